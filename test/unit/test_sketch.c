/*
 * test_sketch.c — unit tests of src/sketch_core.c: bucket mapping, the
 * alpha guarantee against exact order statistics, merge, compact encoding,
 * text round trip, and a decoder fuzz with random and mutated bytes.
 */
#include "sketch_core.h"
#include "unit.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Allocations made through arena_alloc, freed at the end of each test. */
static void *arena[4096];
static int	narena = 0;

/* malloc that the arena remembers. */
static void *
arena_alloc(size_t n)
{
	void	   *p = calloc(1, n ? n : 1);

	if (narena < 4096)
		arena[narena++] = p;
	return p;
}

/* Free everything the arena holds. */
static void
arena_free(void)
{
	while (narena > 0)
		free(arena[--narena]);
}

/* Deterministic random numbers (xorshift64*). */
static uint64_t rng = 88172645463325252ULL;

/* Next random 64-bit value. */
static uint64_t
rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 2685821657736338717ULL;
}

/* Uniform double in (0, 1). */
static double
unif(void)
{
	return ((double) (rnd() >> 11) + 0.5) / 9007199254740992.0;
}

/* Standard normal (Box-Muller). */
static double
gauss(void)
{
	return sqrt(-2 * log(unif())) * cos(2 * M_PI * unif());
}

/* A dense sketch that grows like the aggregate's state does. */
static CxskHeader *
sk_new(double alpha, int isint)
{
	CxskHeader *h = calloc(1, cxsk_dense_size(0, 0));

	cxsk_dense_init(h, alpha, isint, 0, 0, 0, 0);
	return h;
}

/* Add one value, growing the dense slots when needed. */
static CxskHeader *
sk_add(CxskHeader *h, double x)
{
	int64_t		us = 0;
	int			r;

	/* only interval sketches take microseconds (numbers may exceed int64) */
	if (h->flags & CXSK_F_INTERVAL)
	{
		us = (int64_t) x;
		x = (double) us;
	}
	while ((r = cxsk_dense_add(h, x, us)) == 0)
	{
		int32_t		nb,
					ns,
					pb,
					ps;
		CxskHeader *g;
		int			side = x > 0;
		int32_t		key = x > 0 ? cxsk_key_of(h->mult, x) : -cxsk_key_of(h->mult, -x);

		cxsk_grow_for_key(h, side, key, &nb, &ns, &pb, &ps);
		g = calloc(1, cxsk_dense_size(ns, ps));
		cxsk_to_dense(h, g, nb, ns, pb, ps);
		free(h);
		h = g;
	}
	if (r != 1)
		CHECK(0, "add %g succeeds", x);
	return h;
}

/* Compact copy of h (malloc'ed). */
static CxskHeader *
sk_compact(const CxskHeader *h, size_t *len)
{
	CxskHeader *c;

	*len = cxsk_compact_size(h);
	c = calloc(1, *len);
	cxsk_compact(h, c);
	return c;
}

/* Compare doubles for qsort. */
static int
cmp_d(const void *a, const void *b)
{
	double		x = *(const double *) a,
				y = *(const double *) b;

	return x < y ? -1 : x > y;
}

/* Check every q in 0, 0.001, ..., 1 against the exact percentile_disc value. */
static int
guarantee_holds(const CxskHeader *h, double *v, int n, double alpha, int isint, double *worst)
{
	int			i,
				ok = 1;

	qsort(v, n, sizeof(double), cmp_d);
	*worst = 0;
	for (i = 0; i <= 1000; i++)
	{
		double		q = i / 1000.0;
		int64_t		k = cxsk_rank_of(q, n);
		int64_t		us;
		double		got = cxsk_value_at_rank(h, k, &us);
		double		exact = v[k - 1];
		double		err = fabs(got - exact);
		double		bound = alpha * fabs(exact) * (1 + 1e-12) + (isint ? 0.5 : 0);

		if (exact != 0 && err / fabs(exact) > *worst)
			*worst = err / fabs(exact);
		if (err > bound)
			ok = 0;
	}
	return ok;
}

/* Build a sketch over n values from gen and check the guarantee. */
static void
check_dataset(const char *name, double alpha, int isint, int n, double (*gen) (int))
{
	double	   *v = malloc(sizeof(double) * n);
	CxskHeader *h = sk_new(alpha, isint);
	CxskHeader *c;
	size_t		len;
	double		worst = 0;
	char		err[CXSK_ERRLEN];
	int			i;

	for (i = 0; i < n; i++)
	{
		v[i] = gen(i);
		if (isint)
			v[i] = (double) (int64_t) v[i];
		h = sk_add(h, v[i]);
	}
	CHECK(h->count == n, "%s: count", name);
	c = sk_compact(h, &len);
	CHECK(cxsk_validate(c, len, err), "%s: compact form validates", name);
	CHECK(guarantee_holds(h, v, n, alpha, isint, &worst), "%s: dense within alpha=%g (worst %.5f)", name, alpha, worst);
	CHECK(guarantee_holds(c, v, n, alpha, isint, &worst), "%s: compact within alpha (worst %.5f)", name, worst);
	free(v);
	free(h);
	free(c);
}

static double
g_lognormal(int i)
{
	(void) i;
	return exp(log(432000.0) + gauss());
}

static double
g_pareto(int i)
{
	(void) i;
	return 3600.0 / pow(unif(), 1.0 / 1.1);
}

static double
g_mixed_sign(int i)
{
	return (i % 7 == 0) ? 0.0 : (i % 3 == 0 ? -1 : 1) * exp(gauss() * 3);
}

static double
g_span_us(int i)
{
	(void) i;
	/* 1 microsecond .. 100 years, log-uniform */
	return floor(exp(unif() * log(3.15576e15))) + 1;
}

static double
g_same(int i)
{
	(void) i;
	return 86400e6;
}

static double
g_tiny_huge(int i)
{
	return (i % 2 ? 1e-300 : 1e300) * unif();
}

/* Round trip through text and check the bytes are identical. */
static void
check_text_roundtrip(const CxskHeader *c, size_t len, const char *name)
{
	size_t		n = cxsk_format(c, NULL, 0);
	char	   *buf = malloc(n + 1);
	char		err[CXSK_ERRLEN];
	size_t		len2 = 0;
	CxskHeader *back;

	cxsk_format(c, buf, n + 1);
	back = cxsk_parse(buf, arena_alloc, &len2, err);
	CHECK(back != NULL, "%s: text parses back (%s)", name, back ? "ok" : err);
	CHECK(back && len2 == len && memcmp((char *) back + 4, (char *) c + 4, len - 4) == 0,
		  "%s: text round trip is exact", name);
	free(buf);
	arena_free();
}

/*
 * Negative durations: an interval sketch whose exact sum is negative, and
 * below INT64_MIN, is built, merged, compacted, written as text and in
 * binary and read back, with the sum, mean and counts exact.  Under UBSan
 * this fails if the 128-bit sum is ever shifted while negative.
 */
static void
check_negative_durations(void)
{
	/* -2^62 three times: the sum passes INT64_MIN (values exact as doubles, as sk_add takes them) */
	static const int64_t vals[] = {-1, -5, 0, 3, -86400000000LL, -1, -4611686018427387904LL, -7,
	-4611686018427387904LL, 2, -4611686018427387904LL};
	int			nv = (int) (sizeof(vals) / sizeof(vals[0]));
	CxskHeader *a = sk_new(0.01, 1),
			   *b = sk_new(0.01, 1),
			   *m,
			   *c,
			   *back;
	__int128	exact = 0;
	size_t		len,
				n,
				blen;
	uint8_t    *wire;
	char		err[CXSK_ERRLEN];
	int32_t		nb,
				ns,
				pb,
				ps;
	double		d;
	int64_t		us;
	int			i;

	for (i = 0; i < nv; i++)
	{
		exact += vals[i];
		if (i % 2)
			a = sk_add(a, (double) vals[i]);
		else
			b = sk_add(b, (double) vals[i]);
	}
	CHECK(exact < (__int128) INT64_MIN, "negative durations: the exact sum is below INT64_MIN");
	cxsk_grow_for_merge(a, b, &nb, &ns, &pb, &ps);
	m = calloc(1, cxsk_dense_size(ns, ps));
	cxsk_to_dense(a, m, nb, ns, pb, ps);
	CHECK(cxsk_merge_into(m, b, err), "negative durations: merge");
	CHECK(cxsk_sum_us(m) == exact, "negative durations: merged sum is exact");
	CHECK(m->count == nv && m->zeros == 1 && m->min.i == -4611686018427387904LL && m->max.i == 3,
		  "negative durations: count, zeros, min and max");
	CHECK(cxsk_count_le(m, -2.0) == 6 && cxsk_count_le(m, -1e300) == 0 && cxsk_count_le(m, 3.0) == nv,
		  "negative durations: counts at or below a limit");
	cxsk_mean(m, &d, &us);
	CHECK(us == (int64_t) (exact / nv - ((exact % nv) * 2 <= -nv ? 1 : 0)),
		  "negative durations: mean rounded half away from zero");
	c = sk_compact(m, &len);
	CHECK(cxsk_validate(c, len, err), "negative durations: compact form validates");
	CHECK(cxsk_sum_us(c) == exact, "negative durations: compact sum is exact");
	check_text_roundtrip(c, len, "negative durations");
	n = cxsk_send_size(c);
	wire = malloc(n);
	cxsk_send(c, wire);
	back = cxsk_recv(wire, n, arena_alloc, &blen, err);
	CHECK(back != NULL && blen == len && memcmp((char *) back + 4, (char *) c + 4, len - 4) == 0,
		  "negative durations: binary round trip is exact");
	CHECK(back != NULL && cxsk_sum_us(back) == exact, "negative durations: received sum is exact");
	arena_free();
	free(wire);
	free(a);
	free(b);
	free(m);
	free(c);
}

/* Merge of pieces equals the sketch over everything. */
static void
check_merge(void)
{
	CxskHeader *all = sk_new(0.01, 1);
	CxskHeader *acc = NULL;
	CxskHeader *c1,
			   *c2;
	size_t		l1,
				l2;
	char		err[CXSK_ERRLEN];
	int			d,
				i;

	for (d = 0; d < 50; d++)
	{
		CxskHeader *day = sk_new(0.01, 1);
		CxskHeader *dc;
		size_t		dl;
		int32_t		nb,
					ns,
					pb,
					ps;

		for (i = 0; i < 200; i++)
		{
			double		x = floor(exp(log(432000e6) + 1.5 * gauss()));

			day = sk_add(day, x);
			all = sk_add(all, x);
		}
		dc = sk_compact(day, &dl);
		if (acc == NULL)
		{
			cxsk_grow_for_merge(dc, dc, &nb, &ns, &pb, &ps);
			acc = calloc(1, cxsk_dense_size(dc->neg.span, dc->pos.span));
			cxsk_to_dense(dc, acc, dc->neg.base, dc->neg.span, dc->pos.base, dc->pos.span);
		}
		else
		{
			if (!cxsk_grow_for_merge(acc, dc, &nb, &ns, &pb, &ps))
			{
				CxskHeader *g = calloc(1, cxsk_dense_size(ns, ps));

				cxsk_to_dense(acc, g, nb, ns, pb, ps);
				free(acc);
				acc = g;
			}
			CHECK(cxsk_merge_into(acc, dc, err), "merge day %d", d);
		}
		free(day);
		free(dc);
	}
	c1 = sk_compact(all, &l1);
	c2 = sk_compact(acc, &l2);
	CHECK(l1 == l2 && memcmp((char *) c1 + 4, (char *) c2 + 4, l1 - 4) == 0,
		  "rollup of 50 daily sketches is byte-identical to one sketch");
	{
		CxskHeader *other = sk_new(0.02, 1);

		other = sk_add(other, 5);
		CHECK(!cxsk_merge_into(acc, other, err) && strstr(err, "relative accuracy"),
			  "merging different alphas is refused");
		free(other);
	}
	check_text_roundtrip(c1, l1, "rollup");
	free(all);
	free(acc);
	free(c1);
	free(c2);
}

/* Random, truncated and mutated inputs never crash the decoder. */
static void
fuzz(void)
{
	CxskHeader *h = sk_new(0.01, 0);
	CxskHeader *c;
	size_t		len;
	char		err[CXSK_ERRLEN];
	int			i,
				accepted = 0,
				rejected = 0;
	uint8_t    *buf;

	for (i = 0; i < 3000; i++)
		h = sk_add(h, g_mixed_sign(i));
	c = sk_compact(h, &len);
	CHECK(cxsk_validate(c, len, err), "fuzz seed validates");
	buf = malloc(len + 64);
	for (i = 0; i < 200000; i++)
	{
		size_t		n = len;
		int			k,
					muts = 1 + (int) (rnd() % 4);

		memcpy(buf, c, len);
		for (k = 0; k < muts; k++)
		{
			switch (rnd() % 4)
			{
				case 0:
					buf[4 + rnd() % (len - 4)] ^= (uint8_t) (1 << (rnd() % 8));
					break;
				case 1:
					buf[4 + rnd() % (len - 4)] = (uint8_t) rnd();
					break;
				case 2:
					n = 4 + rnd() % (len - 4);
					break;
				case 3:
					n = len + rnd() % 64;
					buf[len + rnd() % 64] = (uint8_t) rnd();
					break;
			}
		}
		{
			/* exact-size copy so ASan sees any overread */
			CxskHeader *t = malloc(n < CXSK_HDRSZ ? CXSK_HDRSZ : n);

			memcpy(t, buf, n < len + 64 ? n : len + 64);
			if (n >= CXSK_HDRSZ && cxsk_validate(t, n, err))
			{
				double		d;
				int64_t		us;
				size_t		fl = cxsk_format(t, NULL, 0);
				char	   *txt = malloc(fl + 1);

				accepted++;
				cxsk_format(t, txt, fl + 1);
				d = cxsk_value_at_rank(t, t->count / 2 + 1, &us);
				(void) d;
				cxsk_count_le(t, 1.0);
				free(txt);
			}
			else
				rejected++;
			free(t);
		}
	}
	CHECK(rejected > 150000, "fuzz: mutated binary sketches rejected (%d rejected, %d accepted)", rejected, accepted);
	/* pure random bytes after a plausible header */
	for (i = 0; i < 100000; i++)
	{
		size_t		n = CXSK_HDRSZ + rnd() % 64;
		CxskHeader *t = malloc(n);
		size_t		k;

		memcpy(t, c, CXSK_HDRSZ);
		for (k = (rnd() % 2) ? 4 : CXSK_HDRSZ; k < n; k++)
			((uint8_t *) t)[k] = (uint8_t) rnd();
		if (cxsk_validate(t, n, err))
			cxsk_value_at_rank(t, 1 + (int64_t) (rnd() % (uint64_t) t->count), NULL);
		free(t);
	}
	CHECK(1, "fuzz: 100000 random buffers decoded without a crash");
	/* text: random mutations of a valid text form */
	{
		size_t		tl = cxsk_format(c, NULL, 0);
		char	   *txt = malloc(tl + 1),
				   *m = malloc(tl + 1);
		int			ok = 0;

		cxsk_format(c, txt, tl + 1);
		for (i = 0; i < 20000; i++)
		{
			size_t		l2;
			const char	alphabet[] = "0123456789-:,{}= .eEvx";

			memcpy(m, txt, tl + 1);
			m[rnd() % tl] = alphabet[rnd() % (sizeof(alphabet) - 1)];
			if (rnd() % 3 == 0)
				m[rnd() % tl] = '\0';
			if (cxsk_parse(m, arena_alloc, &l2, err))
				ok++;
			arena_free();
		}
		CHECK(ok < 20000, "fuzz: mutated text forms parsed or rejected without a crash (%d accepted)", ok);
		free(txt);
		free(m);
	}
	free(buf);
	free(h);
	free(c);
}

/* Hand-written bad text inputs are refused with a message. */
static void
bad_text(void)
{
	const char *bad[] = {
		"",
		"v2 number alpha=0.01 count=1 zeros=1 min=0 max=0 sum=0 sum_err=0 neg={} pos={}",
		"v1 number alpha=0.9 count=1 zeros=1 min=0 max=0 sum=0 sum_err=0 neg={} pos={}",
		"v1 number alpha=0.01 count=2 zeros=1 min=0 max=0 sum=0 sum_err=0 neg={} pos={}",
		"v1 number alpha=0.01 count=1 zeros=0 min=1 max=1 sum=1 sum_err=0 neg={} pos={5:1}",
		"v1 number alpha=0.01 count=2 zeros=0 min=1 max=1 sum=2 sum_err=0 neg={} pos={0:1,0:1}",
		"v1 number alpha=0.01 count=1 zeros=0 min=1 max=1 sum=1 sum_err=0 neg={} pos={0:0}",
		"v1 number alpha=0.01 count=1 zeros=0 min=1 max=1 sum=1 sum_err=0 neg={} pos={999999999:1}",
		"v1 number alpha=0.01 count=1 zeros=0 min=1 max=1 sum=1 sum_err=0 neg={} pos={0:1} extra",
		"v1 number alpha=0.01 count=1 zeros=0 min=1 max=1 sum=NaN sum_err=0 neg={} pos={0:1}",
		"v1 number alpha=0.01 count=1 zeros=0 min=1 max=1 sum=1 sum_err=0 neg={} pos={0:1",
		"v1 interval alpha=0.01 count=1 zeros=0 min_us=1 max_us=1 sum_us=5 neg={} pos={0:1}",
		"v1 interval alpha=0.01 count=9223372036854775807 zeros=0 min_us=1 max_us=1 sum_us=1 neg={} pos={0:9223372036854775807,1:1}",
	};
	char		err[CXSK_ERRLEN];
	size_t		len;
	int			i;

	for (i = 0; i < (int) (sizeof(bad) / sizeof(bad[0])); i++)
	{
		err[0] = '\0';
		CHECK(cxsk_parse(bad[i], arena_alloc, &len, err) == NULL && err[0] != '\0',
			  "bad text %d refused (%s)", i, err);
		arena_free();
	}
	CHECK(cxsk_parse("v1 number alpha=0.01 count=1 zeros=0 min=1 max=1 sum=1 sum_err=0 neg={} pos={0:1}",
					 arena_alloc, &len, err) != NULL, "minimal number sketch parses");
	arena_free();
}

int
main(void)
{
	CxskHeader *h;
	CxskHeader *c;
	size_t		len;
	char		err[CXSK_ERRLEN];
	int			i;

	/* bucket i covers (gamma^(i-1), gamma^i] */
	{
		double		a = 0.01,
					g = (1 + a) / (1 - a),
					m = cxsk_mult(a);

		CHECK(cxsk_key_of(m, 1.0) == 0, "key of 1 is 0");
		CHECK(cxsk_key_of(m, g * 1.0000001) == 2 && cxsk_key_of(m, g * 0.9999999) == 1,
			  "keys either side of gamma");
		CHECK(cxsk_rank_of(0, 10) == 1 && cxsk_rank_of(1, 10) == 10 && cxsk_rank_of(0.5, 10) == 5 &&
			  cxsk_rank_of(0.51, 10) == 6, "rank is max(1, ceil(q n))");
	}

	/* the fast bucket mapping gives exactly ceil(log(x) * mult) */
	{
		static const double alphas[] = {0.0001, 0.001, 0.005, 0.01, 0.02, 0.1, 0.5};
		int			a,
					bad = 0,
					n = 0;

		for (a = 0; a < 7; a++)
		{
			double		m = cxsk_mult(alphas[a]);
			double		g = (1 + alphas[a]) / (1 - alphas[a]);

			for (i = 0; i < 400000; i++)
			{
				double		x;

				if (i % 4 == 0)
				{
					uint64_t	b = rnd() & 0x7fefffffffffffffULL;

					memcpy(&x, &b, 8);	/* any positive finite double */
					if (x == 0)
						continue;
				}
				else if (i % 4 == 1)
					x = exp((unif() - 0.5) * 80);
				else if (i % 4 == 2)
					x = (double) (rnd() % 100000000000000ULL + 1);
				else
				{
					/* right at, just below and just above bucket bounds */
					int			k = (int) (rnd() % 4000) - 2000;

					x = pow(g, k);
					if ((i / 4) % 3 != 2)
						x = nextafter(x, (i / 4) % 3 == 0 ? 0 : INFINITY);
					if (!(x > 0) || !isfinite(x))
						x = pow(g, k);
					if (!(x > 0) || !isfinite(x))
						continue;
				}
				n++;
				if (cxsk_key_of(m, x) != (int32_t) ceil(log(x) * m))
					bad++;
			}
		}
		CHECK(bad == 0, "fast bucket mapping equals ceil(log(x)/log(gamma)) on %d values (%d differ)", n, bad);
	}

	check_dataset("lognormal", 0.01, 0, 100000, g_lognormal);
	check_dataset("pareto", 0.01, 0, 100000, g_pareto);
	check_dataset("mixed sign with zeros", 0.01, 0, 50000, g_mixed_sign);
	check_dataset("1us..100y intervals", 0.01, 1, 100000, g_span_us);
	check_dataset("single value", 0.01, 1, 1000, g_same);
	check_dataset("tiny and huge", 0.05, 0, 2000, g_tiny_huge);
	check_dataset("lognormal alpha=0.001", 0.001, 0, 50000, g_lognormal);
	check_dataset("lognormal alpha=0.5", 0.5, 0, 50000, g_lognormal);

	/* size: 1M lognormal values at 1% */
	h = sk_new(0.01, 1);
	for (i = 0; i < 1000000; i++)
		h = sk_add(h, floor(exp(log(432000e6) + gauss())));
	c = sk_compact(h, &len);
	CHECK(len <= 2048, "1M lognormal durations compact to %zu bytes (<= 2048)", len);
	CHECK(cxsk_validate(c, len, err), "1M sketch validates");
	check_text_roundtrip(c, len, "1M sketch");
	{
		double		d;
		int64_t		us;

		cxsk_mean(h, &d, &us);
		CHECK(us > 0, "interval mean computed");
	}
	free(h);
	free(c);

	check_merge();
	check_negative_durations();
	bad_text();
	fuzz();
	return unit_done();
}
