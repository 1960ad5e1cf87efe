/*
 * test_ratings.c — unit tests of src/ratings_core.c: the text form, the
 * statistics, and the distribution functions against published tables.
 */
#include "ratings_core.h"
#include "unit.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* True when a and b agree to within tol. */
static int
near(double a, double b, double tol)
{
	return fabs(a - b) <= tol;
}

/* Parse s and format it again; returns the status and fills out. */
static cxr_status
roundtrip(const char *s, char *out, size_t len)
{
	int64_t		counts[CXR_MAX_POINTS];
	int			low,
				n;
	int64_t		skipped;
	const char *why = NULL;
	cxr_status	st = cxr_parse(s, &low, &n, &skipped, counts, &why);
	CxrView		v;

	if (st != CXR_OK)
		return st;
	v.low = low;
	v.npoints = n;
	v.skipped = skipped;
	v.counts = counts;
	cxr_format(&v, out, len);
	return st;
}

/* Text form: canonical output, round trips, and every kind of bad input. */
static void
test_text(void)
{
	char		buf[20000];
	static const struct
	{
		const char *in;
		const char *out;
	}			good[] = {
		{"1..5: 3 0 10 25 40", "1..5: 3 0 10 25 40"},
		{"  1 .. 5 :3   0 10 25 40  ", "1..5: 3 0 10 25 40"},
		{"0..1: 7 9; 2 skipped", "0..1: 7 9; 2 skipped"},
		{"0..1: 7 9; 0 skipped", "0..1: 7 9"},
		{"-3..3: 1 2 3 4 5 6 7", "-3..3: 1 2 3 4 5 6 7"},
		{"0..10: 0 0 0 0 0 0 0 0 0 0 9223372036854775807", "0..10: 0 0 0 0 0 0 0 0 0 0 9223372036854775807"},
	};
	static const struct
	{
		const char *in;
		cxr_status	st;
	}			bad[] = {
		{"", CXR_ESYNTAX},
		{"1..5", CXR_ESYNTAX},
		{"1..5:", CXR_ESYNTAX},
		{"1..5: 1 2 3 4", CXR_ESYNTAX},
		{"1..5: 1 2 3 4 5 6", CXR_ESYNTAX},
		{"1..5: 1 2 3 4 x", CXR_ESYNTAX},
		{"1..5: 1 2 3 4 5x", CXR_ESYNTAX},
		{"1..5: 1 2 -3 4 5", CXR_ERANGE},
		{"1..5: 1 2 3 4 99999999999999999999", CXR_ERANGE},
		{"0..1: 9223372036854775807 1", CXR_ERANGE},
		{"5..1: 1 2 3 4 5", CXR_ESCALE},
		{"1..1: 5", CXR_ESCALE},
		{"0..1001: 1", CXR_ESCALE},
		{"-40000..1: 1", CXR_ESCALE},
		{"1..99999999999999999999999: 1", CXR_ESCALE},
		{"1-5: 1 2 3 4 5", CXR_ESYNTAX},
		{"1..5: 1 2 3 4 5;", CXR_ESYNTAX},
		{"1..5: 1 2 3 4 5; 3", CXR_ESYNTAX},
		{"1..5: 1 2 3 4 5; -3 skipped", CXR_ESYNTAX},
		{"1..5: 1 2 3 4 5; 3 skipped extra", CXR_ESYNTAX},
		{"1..5: 1,2,3,4,5", CXR_ESYNTAX},
		{"1..5:1 2 3 4 5 junk", CXR_ESYNTAX},
	};
	size_t		i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		CHECK(roundtrip(good[i].in, buf, sizeof(buf)) == CXR_OK && strcmp(buf, good[i].out) == 0,
			  "text: \"%s\" -> \"%s\" (got \"%s\")", good[i].in, good[i].out, buf);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
	{
		int64_t		counts[CXR_MAX_POINTS];
		int			low,
					n;
		int64_t		skipped;
		const char *why = NULL;
		cxr_status	st = cxr_parse(bad[i].in, &low, &n, &skipped, counts, &why);

		CHECK(st == bad[i].st && why != NULL, "text: rejects \"%s\" (status %d, want %d)", bad[i].in, st, bad[i].st);
	}

	/* a 0..100 scale of large counts round-trips exactly */
	{
		int64_t		counts[101];
		CxrView		v = {0, 101, 12345, counts};
		char	   *text;
		size_t		need;
		int64_t		back[CXR_MAX_POINTS];
		int			low,
					n,
					same = 1;
		int64_t		skipped;
		const char *why;

		for (i = 0; i < 101; i++)
			counts[i] = (int64_t) (i * 7919) * 1000003;
		need = cxr_format(&v, NULL, 0);
		text = malloc(need);
		CHECK(cxr_format(&v, text, need) == need && strlen(text) + 1 == need, "text: format length");
		CHECK(cxr_parse(text, &low, &n, &skipped, back, &why) == CXR_OK, "text: 101 points parse");
		for (i = 0; i < 101; i++)
			same &= back[i] == counts[i];
		CHECK(same && low == 0 && n == 101 && skipped == 12345, "text: 101 points round trip");
		/* a short buffer is truncated but terminated */
		CHECK(cxr_format(&v, buf, 10) == need && strlen(buf) == 9, "text: truncated format");
		free(text);
	}

	/* random bytes never crash the parser */
	{
		int			k,
					ok = 1;

		srand(7);
		for (k = 0; k < 20000; k++)
		{
			char		s[40];
			int64_t		counts[CXR_MAX_POINTS];
			int			low,
						n,
						j,
						len = rand() % 39;
			int64_t		skipped;
			const char *why = NULL;
			const char	alphabet[] = "0123456789 .:;-+skipped\t";

			for (j = 0; j < len; j++)
				s[j] = (rand() % 4 == 0) ? (char) (rand() % 255 + 1) : alphabet[rand() % (sizeof(alphabet) - 1)];
			s[len] = '\0';
			if (cxr_parse(s, &low, &n, &skipped, counts, &why) != CXR_OK && why == NULL)
				ok = 0;
		}
		CHECK(ok, "text: 20000 random strings parse or fail with a reason");
	}
}

/* Statistics of small tallies against hand computations. */
static void
test_stats(void)
{
	int64_t		c5[] = {3, 0, 10, 25, 40};
	CxrView		v5 = {1, 5, 0, c5};
	int64_t		c11[] = {1, 0, 2, 0, 1, 0, 3, 5, 4, 10, 14};	/* det 7, pas 9, pro 24 */
	CxrView		v11 = {0, 11, 0, c11};
	int64_t		one[] = {0, 0, 1, 0, 0};
	CxrView		v1 = {1, 5, 0, one};
	int64_t		zero[11] = {0};
	CxrView		v0 = {1, 5, 4, zero};
	CxrView		v0nps = {0, 11, 4, zero};
	double		m = (3 * 1 + 10 * 3 + 25 * 4 + 40 * 5) / 78.0;
	double		ss = 3 * (1 - m) * (1 - m) + 10 * (3 - m) * (3 - m) + 25 * (4 - m) * (4 - m) + 40 * (5 - m) * (5 - m);

	CHECK(cxr_n(&v5) == 78, "stats: n");
	CHECK(near(cxr_mean(&v5), m, 1e-12), "stats: mean");
	CHECK(near(cxr_variance(&v5), ss / 77.0, 1e-12), "stats: sample variance");
	CHECK(cxr_top_count(&v5, cxr_positive_points(5)) == 65, "stats: top-2 of 5 points");
	CHECK(cxr_bottom_count(&v5, 2) == 3, "stats: bottom-2");
	CHECK(cxr_positive_points(4) == 2 && cxr_positive_points(7) == 3 && cxr_positive_points(2) == 1 &&
		  cxr_positive_points(10) == 5 && cxr_positive_points(11) == 5 && cxr_positive_points(101) == 50,
		  "stats: positive set sizes 4, 7, 2, 10, 11, 101");
	CHECK(near(cxr_nps(&v11), 100.0 * (24 - 7) / 40.0, 1e-12), "stats: nps");
	CHECK(near(cxr_nps_variance(&v11), 10000.0 * ((24 + 7) / 40.0 - pow((24 - 7) / 40.0, 2)), 1e-9),
		  "stats: nps variance");
	CHECK(isnan(cxr_mean(&v0)) && isnan(cxr_variance(&v0)) && isnan(cxr_nps(&v0nps)) && isnan(cxr_nps_variance(&v0nps)), "stats: n = 0 gives NaN");
	CHECK(cxr_mean(&v1) == 3.0 && isnan(cxr_variance(&v1)), "stats: n = 1 mean defined, variance NaN");
}

/* Normal and Student t distributions against published tables. */
static void
test_distributions(void)
{
	static const struct
	{
		double		p,
					df,
					t;
	}			tt[] = {
		/* two-sided 95% critical values (any t table), to 6 decimals */
		{0.975, 1, 12.706205}, {0.975, 2, 4.302653}, {0.975, 3, 3.182446},
		{0.975, 5, 2.570582}, {0.975, 10, 2.228139}, {0.975, 30, 2.042272},
		{0.975, 120, 1.979930},
		{0.95, 10, 1.812461}, {0.995, 4, 4.604095}, {0.9995, 1, 636.619249},
		{0.99, 20, 2.527977}, {0.9, 60, 1.295821}, {0.025, 5, -2.570582},
	};
	size_t		i;

	CHECK(near(cxr_norm_quantile(0.975), 1.959963984540054, 1e-14), "normal: z(0.975)");
	CHECK(near(cxr_norm_quantile(0.995), 2.575829303548901, 1e-14), "normal: z(0.995)");
	CHECK(near(cxr_norm_quantile(0.9), 1.281551565544601, 1e-14), "normal: z(0.9)");
	CHECK(near(cxr_norm_quantile(0.5), 0, 1e-15), "normal: z(0.5)");
	CHECK(near(cxr_norm_quantile(1e-10), -6.361340902404056, 1e-12), "normal: z(1e-10)");
	CHECK(near(cxr_norm_quantile(1e-300), -37.04710, 1e-4), "normal: z(1e-300)");
	CHECK(near(cxr_norm_cdf(1.96), 0.9750021048517795, 1e-14), "normal: cdf(1.96)");
	CHECK(near(cxr_norm_cdf(-3), 0.0013498980316301, 1e-15), "normal: cdf(-3)");
	for (i = 1; i < 100; i++)
	{
		double		p = i / 100.0;

		if (!near(cxr_norm_cdf(cxr_norm_quantile(p)), p, 1e-14))
			break;
	}
	CHECK(i == 100, "normal: cdf(quantile(p)) = p for p = 0.01..0.99");
	for (i = 0; i < sizeof(tt) / sizeof(tt[0]); i++)
		CHECK(near(cxr_t_quantile(tt[i].p, tt[i].df), tt[i].t, 5e-6),
			  "t: quantile(%g, df %g) = %g (got %.6f)", tt[i].p, tt[i].df, tt[i].t,
			  cxr_t_quantile(tt[i].p, tt[i].df));
	CHECK(near(cxr_t_cdf(2.228139, 10), 0.975, 1e-7), "t: cdf(2.228139, 10)");
	CHECK(near(cxr_t_cdf(1, 1), 0.75, 1e-14), "t: cdf(1, 1) = 3/4 (Cauchy)");
	CHECK(near(cxr_t_cdf(-1, 1), 0.25, 1e-14), "t: cdf(-1, 1) = 1/4");
	CHECK(near(cxr_t_cdf(0, 7.5), 0.5, 1e-15), "t: cdf(0) = 1/2");
	CHECK(near(cxr_t_cdf(2, 2), 0.5 + 1 / sqrt(6.0), 1e-13), "t: cdf(2, 2) = 1/2 + 1/sqrt(6)");
	CHECK(near(cxr_t_quantile(0.975, 1e9), 1.959963984540054, 1e-12), "t: huge df is normal");
	CHECK(near(cxr_t_quantile(0.975, 2.5), cxr_t_quantile(0.975, 2.5), 0) &&
		  near(cxr_t_cdf(cxr_t_quantile(0.8, 2.5), 2.5), 0.8, 1e-12), "t: fractional df inverts");
	CHECK(near(cxr_inc_beta(2, 3, 0.4), 0.5248, 1e-12), "beta: I_0.4(2,3) = 0.5248");
	CHECK(near(cxr_inc_beta(0.5, 0.5, 0.5), 0.5, 1e-14), "beta: I_0.5(1/2,1/2) = 1/2");
}

/* Wilson interval, two-proportion z test and Welch's t against published values. */
static void
test_inference(void)
{
	/* Newcombe (1998), Statistics in Medicine 17:857, Table I, method 3 */
	static const struct
	{
		int64_t		x,
					n;
		double		lo,
					hi;
	}			w[] = {
		{81, 263, 0.2553, 0.3662}, {15, 148, 0.0624, 0.1605}, {0, 20, 0.0, 0.1611},
		{1, 29, 0.0061, 0.1718}, {1, 10, 0.0179, 0.4042}, {0, 10, 0.0, 0.2775},
		{10, 10, 0.7225, 1.0}, {5, 10, 0.2366, 0.7634}, {1, 1, 0.2065, 1.0},
	};
	size_t		i;
	double		z = cxr_z_for_confidence(0.95),
				lo,
				hi,
				zz,
				p,
				t,
				df;

	for (i = 0; i < sizeof(w) / sizeof(w[0]); i++)
	{
		cxr_wilson(w[i].x, w[i].n, z, &lo, &hi);
		CHECK(near(lo, w[i].lo, 5e-5) && near(hi, w[i].hi, 5e-5),
			  "wilson: %lld of %lld -> [%.4f, %.4f] (got [%.4f, %.4f])",
			  (long long) w[i].x, (long long) w[i].n, w[i].lo, w[i].hi, lo, hi);
	}
	/*
	 * 56/70 vs 48/80: pooled p = 104/150, se = sqrt(p(1-p)(1/80 + 1/70)) =
	 * 0.0754668, z = 0.2 / se = 2.65017, two-sided p = 0.00805
	 */
	i = cxr_two_prop_z(48, 80, 56, 70, &zz, &p);
	CHECK(i == 0 && near(zz, 2.65017, 5e-5) && near(p, 0.00805, 5e-5),
		  "z test: 56/70 vs 48/80 (z %.5f, p %.5f)", zz, p);
	CHECK(cxr_two_prop_z(5, 5, 7, 7, &zz, &p) == -1, "z test: zero standard error is undefined");
	/* Welch: m 20 v 4 n 10 vs m 22 v 9 n 15: t = 2/sqrt(0.4+0.6) = 2, df = 1/(0.16/9+0.36/14) */
	CHECK(cxr_welch(20, 4, 10, 22, 9, 15, &t, &df, &p) == 0 && near(t, 2.0, 1e-12) &&
		  near(df, 1.0 / (0.16 / 9 + 0.36 / 14), 1e-9) &&
		  near(p, 2 * (1 - cxr_t_cdf(2.0, df)), 1e-12), "welch: t, df, p");
	CHECK(cxr_welch(3, 0, 5, 3, 0, 5, &t, &df, &p) == -1, "welch: zero variance is undefined");
}

int
main(void)
{
	test_text();
	test_stats();
	test_distributions();
	test_inference();
	return unit_done();
}
