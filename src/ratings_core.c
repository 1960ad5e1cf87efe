/*
 * ratings_core.c — text form, validation and statistics of the ratings
 * tally (no PostgreSQL headers; see ratings_core.h).
 */
#include "ratings_core.h"
#include "prim_core.h"
#include "wire_core.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* Check a declared scale; returns CXR_OK or CXR_ESCALE with a reason. */
cxr_status
cxr_check_scale(int64_t low, int64_t high, const char **why)
{
	if (low < CXR_SCALE_MIN || low > CXR_SCALE_MAX ||
		high < CXR_SCALE_MIN || high > CXR_SCALE_MAX)
	{
		*why = "Scale bounds must lie between -32768 and 32767.";
		return CXR_ESCALE;
	}
	if (high <= low)
	{
		*why = "The upper bound of a scale must be greater than the lower bound.";
		return CXR_ESCALE;
	}
	if (high - low + 1 > CXR_MAX_POINTS)
	{
		*why = "A scale has at most 1001 points.";
		return CXR_ESCALE;
	}
	return CXR_OK;
}

/* Sum of the counts; returns 0 and sets *total, or -1 on overflow or a negative count. */
int
cxr_total(const int64_t *counts, int npoints, int64_t *total)
{
	int64_t		t = 0;
	int			i;

	for (i = 0; i < npoints; i++)
	{
		if (counts[i] < 0 || counts[i] > INT64_MAX - t)
			return -1;
		t += counts[i];
	}
	*total = t;
	return 0;
}

/* Parse an optionally signed decimal integer; returns NULL when there is none or it overflows. */
static const char *
parse_int(const char *p, int64_t *out, int *overflow)
{
	int			neg = 0;
	uint64_t	v = 0;
	const char *start;

	*overflow = 0;
	if (*p == '-' || *p == '+')
	{
		neg = (*p == '-');
		p++;
	}
	start = p;
	while (*p >= '0' && *p <= '9')
	{
		if (v > (UINT64_MAX - 9) / 10)
			*overflow = 1;
		else
			v = v * 10 + (uint64_t) (*p - '0');
		p++;
	}
	if (p == start)
		return NULL;
	if (!*overflow && v > (uint64_t) INT64_MAX + (neg ? 1 : 0))
		*overflow = 1;
	if (*overflow)
		return p;
	if (neg)
		*out = (v == (uint64_t) INT64_MAX + 1) ? INT64_MIN : -(int64_t) v;
	else
		*out = (int64_t) v;
	return p;
}

/* True when c may end a number token. */
static int
ends_token(char c)
{
	return c == '\0' || cxp_is_blank(c) || c == ';' || c == ':' || c == '.';
}

/* The scale "low..high" and the ":" after it, at *pp (moved past them). */
static cxr_status
parse_scale(const char **pp, int64_t *lo, int64_t *hi, const char **why)
{
	const char *p = *pp;
	int			ovf;
	cxr_status	st;

	p = parse_int(p, lo, &ovf);
	if (p == NULL || !ends_token(*p))
	{
		*why = "A ratings value starts with its scale, for example \"1..5: 3 0 10 25 40\".";
		return CXR_ESYNTAX;
	}
	if (ovf)
	{
		*why = "Scale bounds must lie between -32768 and 32767.";
		return CXR_ESCALE;
	}
	p = cxp_skip_blanks(p);
	if (p[0] != '.' || p[1] != '.')
	{
		*why = "Expected \"..\" between the bounds of the scale, as in \"1..5\".";
		return CXR_ESYNTAX;
	}
	p = cxp_skip_blanks(p + 2);
	p = parse_int(p, hi, &ovf);
	if (p == NULL || !ends_token(*p))
	{
		*why = "Expected the upper bound of the scale after \"..\".";
		return CXR_ESYNTAX;
	}
	if (ovf)
	{
		*why = "Scale bounds must lie between -32768 and 32767.";
		return CXR_ESCALE;
	}
	st = cxr_check_scale(*lo, *hi, why);
	if (st != CXR_OK)
		return st;
	p = cxp_skip_blanks(p);
	if (*p != ':')
	{
		*why = "Expected \":\" after the scale, then one count per point.";
		return CXR_ESYNTAX;
	}
	*pp = p + 1;
	return CXR_OK;
}

/* n counts at *pp (moved past them): whole numbers >= 0 separated by blanks. */
static cxr_status
parse_counts(const char **pp, int n, int64_t *counts, const char **why)
{
	const char *p = *pp;
	int64_t		v;
	int			ovf,
				i;

	for (i = 0; i < n; i++)
	{
		const char *q = cxp_skip_blanks(p);

		if (*q == '\0' || *q == ';')
		{
			*why = "There are fewer counts than points on the scale.";
			return CXR_ESYNTAX;
		}
		if (i > 0 && q == p)
		{
			*why = "Counts must be separated by blanks.";
			return CXR_ESYNTAX;
		}
		p = parse_int(q, &v, &ovf);
		if (p == NULL || !(ends_token(*p) && *p != ':' && *p != '.'))
		{
			*why = "Counts must be whole numbers.";
			return CXR_ESYNTAX;
		}
		if (ovf || v < 0 || *q == '-')
		{
			*why = ovf ? "A count is too large." : "Counts must not be negative.";
			return CXR_ERANGE;
		}
		counts[i] = v;
	}
	*pp = p;
	return CXR_OK;
}

/* The optional "; N skipped" at *pp (moved past it); *skipped is 0 without it. */
static cxr_status
parse_skipped(const char **pp, int64_t *skipped, const char **why)
{
	const char *p = cxp_skip_blanks(*pp);
	const char *q;
	int64_t		v;
	int			ovf;

	*skipped = 0;
	if (*p != ';')
	{
		*pp = p;
		return CXR_OK;
	}
	q = cxp_skip_blanks(p + 1);
	p = parse_int(q, &v, &ovf);
	if (p == NULL || *q == '+' || *q == '-')
	{
		*why = "Expected \"; N skipped\" after the counts.";
		return CXR_ESYNTAX;
	}
	if (ovf)
	{
		*why = "The skipped count is too large.";
		return CXR_ERANGE;
	}
	q = cxp_skip_blanks(p);
	if (q == p || strncmp(q, "skipped", 7) != 0)
	{
		*why = "Expected \"; N skipped\" after the counts.";
		return CXR_ESYNTAX;
	}
	*pp = q + 7;
	*skipped = v;
	return CXR_OK;
}

/*
 * Parse the text form "low..high: c1 c2 ... cn[; k skipped]".  counts must
 * have room for CXR_MAX_POINTS values.  On failure *why explains.
 */
cxr_status
cxr_parse(const char *s, int *low, int *npoints, int64_t *skipped,
		  int64_t *counts, const char **why)
{
	const char *p = cxp_skip_blanks(s);
	int64_t		lo,
				hi,
				total;
	int			n;
	cxr_status	st;

	if ((st = parse_scale(&p, &lo, &hi, why)) != CXR_OK)
		return st;
	n = (int) (hi - lo + 1);
	CX_ASSERT(n >= CXR_MIN_POINTS && n <= CXR_MAX_POINTS);
	if ((st = parse_counts(&p, n, counts, why)) != CXR_OK ||
		(st = parse_skipped(&p, skipped, why)) != CXR_OK)
		return st;
	p = cxp_skip_blanks(p);
	if (*p != '\0')
	{
		*why = (*p >= '0' && *p <= '9') || *p == '-' || *p == '+'
			? "There are more counts than points on the scale."
			: "Unexpected text after the counts.";
		return CXR_ESYNTAX;
	}
	if (cxr_total(counts, n, &total) != 0)
	{
		*why = "The total number of answers does not fit in a bigint.";
		return CXR_ERANGE;
	}
	*low = (int) lo;
	*npoints = n;
	return CXR_OK;
}

/* Format a tally; writes at most len bytes (NUL included), returns the length needed. */
size_t
cxr_format(const CxrView *v, char *buf, size_t len)
{
	size_t		used = 0;
	char		tmp[64];
	int			i,
				k;

#define CXR_EMIT(...) do { \
		k = snprintf(tmp, sizeof(tmp), __VA_ARGS__); \
		if (used + (size_t) k < len) memcpy(buf + used, tmp, (size_t) k); \
		used += (size_t) k; \
	} while (0)

	CXR_EMIT("%d..%d:", v->low, v->low + v->npoints - 1);
	for (i = 0; i < v->npoints; i++)
		CXR_EMIT(" %lld", (long long) v->counts[i]);
	if (v->skipped > 0)
		CXR_EMIT("; %lld skipped", (long long) v->skipped);
#undef CXR_EMIT
	if (len > 0)
		buf[used < len ? used : len - 1] = '\0';
	return used + 1;
}

/* Number of answers (skipped excluded). */
int64_t
cxr_n(const CxrView *v)
{
	int64_t		t = 0;
	int			i;

	for (i = 0; i < v->npoints; i++)
		t += v->counts[i];
	return t;
}

/* Mean of the answers; NaN when there are none. */
double
cxr_mean(const CxrView *v)
{
	int64_t		n = cxr_n(v);
	double		s = 0;
	int			i;

	if (n == 0)
		return NAN;
	for (i = 1; i < v->npoints; i++)
		s += (double) v->counts[i] * i;
	s /= (double) n;
	/* rounding of huge counts must not leave the scale */
	if (s > v->npoints - 1)
		s = v->npoints - 1;
	return v->low + s;
}

/* Sample variance (n - 1 denominator); NaN when n < 2. */
double
cxr_variance(const CxrView *v)
{
	int64_t		n = cxr_n(v);
	double		m,
				ss = 0;
	int			i;

	if (n < 2)
		return NAN;
	m = cxr_mean(v) - v->low;
	for (i = 0; i < v->npoints; i++)
		ss += (double) v->counts[i] * (i - m) * (i - m);
	return ss / (double) (n - 1);
}

/*
 * How many top points make the csat positive set of a scale of npoints:
 * the points strictly above the scale's midpoint (5 -> 2, 4 -> 2, 7 -> 3,
 * 2 -> 1, 10 -> 5, 11 -> 5).
 */
int
cxr_positive_points(int npoints)
{
	return npoints / 2;
}

/* Answers in the top k points. */
int64_t
cxr_top_count(const CxrView *v, int k)
{
	int64_t		t = 0;
	int			i;

	for (i = v->npoints - k; i < v->npoints; i++)
		t += v->counts[i];
	return t;
}

/* Answers in the bottom k points. */
int64_t
cxr_bottom_count(const CxrView *v, int k)
{
	int64_t		t = 0;
	int			i;

	for (i = 0; i < k; i++)
		t += v->counts[i];
	return t;
}

/* Net Promoter Score of a 0..10 tally (-100..100); NaN when n = 0. */
double
cxr_nps(const CxrView *v)
{
	int64_t		n,
				pro,
				det;

	if (v->npoints != 11 || (n = cxr_n(v)) == 0)
		return NAN;
	pro = cxr_top_count(v, 2);
	det = cxr_bottom_count(v, 7);
	/* |pro - det| <= n, so the rounded ratio stays in [-1, 1] and the score in [-100, 100] */
	return 100.0 * ((double) (pro - det) / (double) n);
}

/* Per-answer variance of the NPS, 100^2 [(p + d) - (p - d)^2]; NaN when n = 0. */
double
cxr_nps_variance(const CxrView *v)
{
	int64_t		n = cxr_n(v);
	double		p,
				d;

	if (v->npoints != 11 || n == 0)
		return NAN;
	p = (double) cxr_top_count(v, 2) / (double) n;
	d = (double) cxr_bottom_count(v, 7) / (double) n;
	/* never negative, whatever the rounding of huge counts */
	return fmax(0.0, 10000.0 * ((p + d) - (p - d) * (p - d)));
}

/* Standard normal cumulative distribution function. */
double
cxr_norm_cdf(double x)
{
	return 0.5 * erfc(-x / sqrt(2.0));
}

/* Standard normal quantile (inverse CDF), Wichura's AS 241; p in (0, 1). */
double
cxr_norm_quantile(double p)
{
	double		q = p - 0.5,
				r,
				val;

	if (!(p > 0 && p < 1))
		return p == 0 ? -INFINITY : p == 1 ? INFINITY : NAN;
	if (fabs(q) <= 0.425)
	{
		r = 0.180625 - q * q;
		return q * (((((((r * 2509.0809287301226727 +
						  33430.575583588128105) * r + 67265.770927008700853) * r +
						45921.953931549871457) * r + 13731.693765509461125) * r +
					  1971.5909503065514427) * r + 133.14166789178437745) * r +
					3.387132872796366608)
			/ (((((((r * 5226.495278852545925 +
					 28729.085735721942674) * r + 39307.89580009271061) * r +
				   21213.794301586595867) * r + 5394.1960214247511077) * r +
				 687.1870074920579083) * r + 42.313330701600911252) * r + 1.0);
	}
	r = q < 0 ? p : 1.0 - p;
	r = sqrt(-log(r));
	if (r <= 5.0)
	{
		r -= 1.6;
		val = (((((((r * 7.7454501427834140764e-4 +
					 .0227238449892691845833) * r + .24178072517745061177) *
				   r + 1.27045825245236838258) * r +
				  3.64784832476320460504) * r + 5.7694972214606914055) *
				r + 4.6303378461565452959) * r +
			   1.42343711074968357734)
			/ (((((((r *
					 1.05075007164441684324e-9 + 5.475938084995344946e-4) *
					r + .0151986665636164571966) * r +
				   .14810397642748007459) * r + .68976733498510000455) *
				 r + 1.6763848301838038494) * r +
				2.05319162663775882187) * r + 1.0);
	}
	else
	{
		r -= 5.0;
		val = (((((((r * 2.01033439929228813265e-7 +
					 2.71155556874348757815e-5) * r +
					.0012426609473880784386) * r + .026532189526576123093) *
				  r + .29656057182850489123) * r +
				 1.7848265399172913358) * r + 5.4637849111641143699) *
			   r + 6.6579046435011037772)
			/ (((((((r *
					 2.04426310338993978564e-15 + 1.4215117583164458887e-7) *
					r + 1.8463183175100546818e-5) * r +
				   7.868691311456132591e-4) * r + .0148753612908506148525)
				 * r + .13692988092273580531) * r +
				.59983220655588793769) * r + 1.0);
	}
	return q < 0 ? -val : val;
}

/* Continued fraction of the incomplete beta function (modified Lentz). */
static double
beta_cf(double a, double b, double x)
{
	const double tiny = 1e-300;
	double		qab = a + b,
				qap = a + 1.0,
				qam = a - 1.0,
				c = 1.0,
				d = 1.0 - qab * x / qap,
				h;
	int			m;

	if (fabs(d) < tiny)
		d = tiny;
	d = 1.0 / d;
	h = d;
	for (m = 1; m <= 1000; m++)
	{
		int			m2 = 2 * m;
		double		aa = m * (b - m) * x / ((qam + m2) * (a + m2)),
					del;

		d = 1.0 + aa * d;
		if (fabs(d) < tiny)
			d = tiny;
		c = 1.0 + aa / c;
		if (fabs(c) < tiny)
			c = tiny;
		d = 1.0 / d;
		h *= d * c;
		aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
		d = 1.0 + aa * d;
		if (fabs(d) < tiny)
			d = tiny;
		c = 1.0 + aa / c;
		if (fabs(c) < tiny)
			c = tiny;
		d = 1.0 / d;
		del = d * c;
		h *= del;
		if (fabs(del - 1.0) < 1e-16)
			break;
	}
	return h;
}

/* Regularized incomplete beta function I_x(a, b). */
double
cxr_inc_beta(double a, double b, double x)
{
	double		lbt;

	if (x <= 0)
		return 0;
	if (x >= 1)
		return 1;
	lbt = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x);
	if (x < (a + 1.0) / (a + b + 2.0))
		return exp(lbt) * beta_cf(a, b, x) / a;
	return 1.0 - exp(lbt) * beta_cf(b, a, 1.0 - x) / b;
}

/* Two-sided tail P(|T| > |t|) of Student's t with df degrees of freedom. */
static double
t_two_sided(double t, double df)
{
	if (df > 1e7)
		return erfc(fabs(t) / sqrt(2.0));
	return cxr_inc_beta(df / 2.0, 0.5, df / (df + t * t));
}

/* Student t cumulative distribution function with df > 0 degrees of freedom. */
double
cxr_t_cdf(double t, double df)
{
	double		tail = 0.5 * t_two_sided(t, df);

	return t > 0 ? 1.0 - tail : tail;
}

/* Student t quantile with df > 0 degrees of freedom; p in (0, 1). */
double
cxr_t_quantile(double p, double df)
{
	double		q,
				target,
				lo = 0,
				hi = 1,
				x,
				t;
	int			i;

	if (!(p > 0 && p < 1) || !(df > 0))
		return NAN;
	if (p == 0.5)
		return 0;
	if (df > 1e7)
		return cxr_norm_quantile(p);
	q = p < 0.5 ? p : 1.0 - p;
	target = 2.0 * q;			/* I_x(df/2, 1/2) at x = df / (df + t^2) */
	/* I_x is increasing in x: bisect until x is known to full precision */
	for (i = 0; i < 2000; i++)
	{
		double		mid = 0.5 * (lo + hi);

		if (mid <= lo || mid >= hi)
			break;
		if (cxr_inc_beta(df / 2.0, 0.5, mid) < target)
			lo = mid;
		else
			hi = mid;
		if (hi - lo <= 1e-17 * hi)
			break;
	}
	x = 0.5 * (lo + hi);
	t = sqrt(df * (1.0 - x) / x);
	return p < 0.5 ? -t : t;
}

/* Two-sided critical value z for a confidence level in (0, 1). */
double
cxr_z_for_confidence(double confidence)
{
	return cxr_norm_quantile(1.0 - (1.0 - confidence) / 2.0);
}

/* Wilson score interval for x successes of n (fractions); n > 0. */
void
cxr_wilson(int64_t x, int64_t n, double z, double *lo, double *hi)
{
	double		nn = (double) n,
				p = (double) x / nn,
				z2 = z * z,
				den = 1.0 + z2 / nn,
				centre = (p + z2 / (2.0 * nn)) / den,
				half = z / den * sqrt(p * (1.0 - p) / nn + z2 / (4.0 * nn * nn));

	*lo = x == 0 ? 0.0 : fmax(0.0, centre - half);
	*hi = x == n ? 1.0 : fmin(1.0, centre + half);
}

/*
 * Two-proportion z test of x1/n1 against x2/n2 (pooled standard error).
 * Returns 0 with *z and *p (two-sided), or -1 when the standard error is 0.
 */
int
cxr_two_prop_z(int64_t x1, int64_t n1, int64_t x2, int64_t n2, double *z, double *p)
{
	double		p1 = (double) x1 / (double) n1,
				p2 = (double) x2 / (double) n2,
				pp = ((double) x1 + (double) x2) / ((double) n1 + (double) n2),
				se = sqrt(pp * (1.0 - pp) * (1.0 / (double) n1 + 1.0 / (double) n2));

	if (!(se > 0))
		return -1;
	*z = (p2 - p1) / se;
	*p = erfc(fabs(*z) / sqrt(2.0));
	return 0;
}

/*
 * Welch's t test of two means.  Returns 0 with *t, *df, *p (two-sided), or
 * -1 when the standard error is 0.
 */
int
cxr_welch(double m1, double v1, double n1, double m2, double v2, double n2,
		  double *t, double *df, double *p)
{
	double		a = v1 / n1,
				b = v2 / n2,
				se2 = a + b;

	if (!(se2 > 0))
		return -1;
	*t = (m2 - m1) / sqrt(se2);
	*df = se2 * se2 / (a * a / (n1 - 1.0) + b * b / (n2 - 1.0));
	*p = t_two_sided(*t, *df);
	return 0;
}

/* Bytes of the binary form of a tally of npoints points. */
size_t
cxr_binary_size(int npoints)
{
	return CXR_WIRE_HDRSZ + 8 + (size_t) npoints * 8;
}

/* Write the binary form of v into out (cxr_binary_size(v->npoints) bytes). */
void
cxr_encode_binary(const CxrView *v, uint8_t *out)
{
	int			i;

	out = cxw_put_uint(out, CXR_VERSION, 1);
	out = cxw_put_uint(out, 0, 1);
	out = cxw_put_uint(out, (uint16_t) v->low, 2);
	out = cxw_put_uint(out, (uint16_t) (v->low + v->npoints - 1), 2);
	out = cxw_put_uint(out, (uint64_t) v->skipped, 8);
	for (i = 0; i < v->npoints; i++)
		out = cxw_put_uint(out, (uint64_t) v->counts[i], 8);
}

/* Decode and validate the binary form of len bytes (see ratings_core.h). */
cxr_status
cxr_decode_binary(const uint8_t *buf, size_t len, int *low, int *npoints,
				  int64_t *skipped, int64_t *counts, const char **why)
{
	CxWire		w;
	int			version,
				flags,
				lo,
				hi,
				n,
				i;
	int64_t		total;

	if (len < CXR_WIRE_HDRSZ)
	{
		*why = "The value is shorter than its 6-byte header.";
		return CXR_ESYNTAX;
	}
	cxw_init(&w, buf, len);
	version = cxw_u8(&w);
	flags = cxw_u8(&w);
	lo = cxw_i16(&w);
	hi = cxw_i16(&w);
	if (version != CXR_VERSION)
	{
		*why = "Unknown format version.";
		return CXR_ESYNTAX;
	}
	if (flags != 0)
	{
		*why = "Unknown flags are set.";
		return CXR_ESYNTAX;
	}
	if (cxr_check_scale(lo, hi, why) != CXR_OK)
		return CXR_ESCALE;
	n = hi - lo + 1;
	if (cxw_left(&w) != (size_t) (n + 1) * 8)
	{
		*why = "The length does not match the scale.";
		return CXR_ESYNTAX;
	}
	*skipped = cxw_i64(&w);
	if (*skipped < 0)
	{
		*why = "The skipped count is negative.";
		return CXR_ERANGE;
	}
	for (i = 0; i < n; i++)
		counts[i] = cxw_i64(&w);
	if (cxr_total(counts, n, &total) != 0)
	{
		*why = "A count is negative or the total does not fit in a bigint.";
		return CXR_ERANGE;
	}
	*low = lo;
	*npoints = n;
	return CXR_OK;
}
