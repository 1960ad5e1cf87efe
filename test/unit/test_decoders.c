/*
 * test_decoders.c — unit tests of the binary decoders of the core (the code
 * the recv and deserialize functions run), and of every input the fuzz
 * targets (test/fuzz) found mishandled.
 */
#include "percentile_core.h"
#include "ratings_core.h"
#include "sketch_core.h"
#include "standard_core.h"
#include "wire_core.h"
#include "unit.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Allocations of one check, freed by arena_free. */
static void *arena[256];
static int	narena = 0;

/* malloc that the arena remembers. */
static void *
arena_alloc(size_t n)
{
	void	   *p = calloc(1, n ? n : 1);

	if (narena < 256)
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

/* A compact sketch of n values (us for interval sketches), in the arena. */
static CxskHeader *
sketch_of(int isint, const double *xs, int n, size_t *len)
{
	CxskHeader *h = NULL,
			   *c;
	int			i;

	for (i = 0; i < n; i++)
	{
		int32_t		nb,
					ns,
					pb,
					ps;

		if (h == NULL)
		{
			cxsk_dense_first_range(cxsk_mult(0.01), xs[i], &nb, &ns, &pb, &ps);
			h = arena_alloc(cxsk_dense_size(ns, ps));
			cxsk_dense_init(h, 0.01, isint, nb, ns, pb, ps);
		}
		while (cxsk_dense_add(h, xs[i], (int64_t) xs[i]) == 0)
		{
			CxskHeader *g;
			int32_t		key = xs[i] > 0 ? cxsk_key_of(h->mult, xs[i]) : -cxsk_key_of(h->mult, -xs[i]);

			cxsk_grow_for_key(h, xs[i] > 0, key, &nb, &ns, &pb, &ps);
			g = arena_alloc(cxsk_dense_size(ns, ps));
			cxsk_to_dense(h, g, nb, ns, pb, ps);
			h = g;
		}
	}
	*len = cxsk_compact_size(h);
	c = arena_alloc(*len);
	cxsk_compact(h, c);
	return c;
}

/* The binary form of a compact sketch, in the arena. */
static uint8_t *
sketch_wire(const CxskHeader *c, size_t *n)
{
	uint8_t    *b;

	*n = cxsk_send_size(c);
	b = arena_alloc(*n + 1);
	cxsk_send(c, b);
	return b;
}

/* The exact sum of an interval sketch, read without shifting a negative number. */
static __int128
sum_us(const CxskHeader *h)
{
	return (__int128) (((unsigned __int128) (uint64_t) h->sum_hi << 64) | h->sum_lo);
}

/* Offsets of fields in the binary form of a sketch. */
#define W_MIN 26
#define W_MAX 34
#define W_SUM_LO 50

/* The sketch decoders. */
static void
test_sketch(void)
{
	static const double nums[] = {5, 1.5, -2, 0, 1e9};
	static const double negus[] = {-5000000, -1000000, -3};
	static const double one[] = {5};
	static const double oneus[] = {1000000};
	char		err[CXSK_ERRLEN];
	CxskHeader *c,
			   *d;
	size_t		len,
				dlen,
				n,
				tl;
	uint8_t    *w;
	char	   *text;

	/* binary round trip, and every truncation or extension rejected */
	c = sketch_of(0, nums, 5, &len);
	w = sketch_wire(c, &n);
	d = cxsk_recv(w, n, arena_alloc, &dlen, err);
	CHECK(d != NULL && dlen == len && memcmp((char *) d + 4, (char *) c + 4, len - 4) == 0,
		  "sketch recv(send(x)) = x");
	{
		size_t		k;
		int			bad = 0;

		for (k = 0; k < n; k++)
			bad += cxsk_recv(w, k, arena_alloc, &dlen, err) != NULL;
		CHECK(bad == 0, "sketch recv rejects every truncated message");
		w[n] = 0;
		CHECK(cxsk_recv(w, n + 1, arena_alloc, &dlen, err) == NULL &&
			  strstr(err, "after the bucket data") != NULL, "sketch recv rejects trailing bytes (%s)", err);
	}

	/* found by fuzz_sketch_text: a negative interval sum was shifted left (undefined behaviour) */
	c = sketch_of(1, negus, 3, &len);
	CHECK(c != NULL && (int64_t) sum_us(c) == -6000003, "negative interval sum kept exactly");
	tl = cxsk_format(c, NULL, 0);
	text = arena_alloc(tl + 1);
	cxsk_format(c, text, tl + 1);
	d = cxsk_parse(text, arena_alloc, &dlen, err);
	CHECK(d != NULL && sum_us(d) == sum_us(c), "text with a negative sum parses: %s", text);
	{
		double		m;
		int64_t		us;

		cxsk_mean(d, &m, &us);
		CHECK(us == -2000001, "mean of negative durations (%lld)", (long long) us);
	}

	/* found by fuzz_sketch_recv: one value with a minimum different from its maximum */
	c = sketch_of(0, one, 1, &len);
	w = sketch_wire(c, &n);
	CHECK(cxsk_recv(w, n, arena_alloc, &dlen, err) != NULL, "one-value number sketch accepted");
	cxw_put_f64(w + W_MAX, 5.0001);
	CHECK(cxsk_recv(w, n, arena_alloc, &dlen, err) == NULL, "one value, max != min rejected (binary)");
	w = sketch_wire(c, &n);
	cxw_put_f64(w + W_MIN, 4.9999);
	CHECK(cxsk_recv(w, n, arena_alloc, &dlen, err) == NULL, "one value, min != max rejected (binary)");
	w = sketch_wire(c, &n);
	cxw_put_f64(w + W_SUM_LO, 1e-12);
	CHECK(cxsk_recv(w, n, arena_alloc, &dlen, err) == NULL, "one value with a sum error term rejected");
	c = sketch_of(1, oneus, 1, &len);
	w = sketch_wire(c, &n);
	cxw_put_uint(w + W_MAX, 1000001, 8);
	CHECK(cxsk_recv(w, n, arena_alloc, &dlen, err) == NULL, "one interval, max != min rejected (binary)");
	CHECK(cxsk_parse("v1 interval alpha=0.01 count=1 zeros=0 min_us=1000000 max_us=1000001 "
					 "sum_us=1000000 neg={} pos={691:1}", arena_alloc, &dlen, err) == NULL,
		  "one interval, max != min rejected (text): %s", err);
	CHECK(cxsk_parse("v1 interval alpha=0.01 count=1 zeros=0 min_us=1000000 max_us=1000000 "
					 "sum_us=1000000 neg={} pos={691:1}", arena_alloc, &dlen, err) != NULL,
		  "one interval with min = max accepted (text): %s", err);

	/* found by fuzz_sketch_recv: a negative zero as minimum or maximum (the aggregates store +0) */
	{
		static const double zero[] = {0};
		static const double zs[] = {0, 3};

		c = sketch_of(0, zero, 1, &len);
		w = sketch_wire(c, &n);
		CHECK(cxsk_recv(w, n, arena_alloc, &dlen, err) != NULL, "sketch of one zero accepted");
		cxw_put_f64(w + W_MAX, -0.0);
		CHECK(cxsk_recv(w, n, arena_alloc, &dlen, err) == NULL, "maximum -0 rejected");
		c = sketch_of(0, zs, 2, &len);
		w = sketch_wire(c, &n);
		cxw_put_f64(w + W_MIN, -0.0);
		CHECK(cxsk_recv(w, n, arena_alloc, &dlen, err) == NULL, "minimum -0 rejected");
	}
	arena_free();
}

/* The ratings binary decoder. */
static void
test_ratings(void)
{
	int64_t		counts[5] = {3, 0, 10, 25, 40},
				out[CXR_MAX_POINTS],
				skipped;
	CxrView		v = {1, 5, 4, counts};
	uint8_t		buf[64];
	size_t		n = cxr_binary_size(5);
	int			low,
				np;
	const char *why;

	/* found by fuzz_ratings_recv: an NPS just outside -100..100 with counts above 2^53 */
	{
		int64_t		c[11] = {1, 0, 56053541133LL, 940422246894996749LL, 940422246676103168LL,
		34360131584LL, 15270662, 7, 8, 9, 10};
		CxrView		nv = {0, 11, 4, c};
		double		nps = cxr_nps(&nv);

		CHECK(nps >= -100 && nps <= 100 && nps < -99.99, "NPS of a huge tally within -100..100 (%.17g)", nps);
		c[0] = c[3] = c[4] = 0;
		c[9] = 940422246894996749LL;
		c[10] = 940422246676103168LL;
		nps = cxr_nps(&nv);
		CHECK(nps >= -100 && nps <= 100 && nps > 99.99, "NPS of a huge promoter tally within -100..100 (%.17g)", nps);
	}

	/* found by fuzz_ratings_recv: the mean of a huge tally just above the scale */
	{
		int64_t		c[7] = {0, 0, 0, 0, 0, 0, 3673524401933581LL};
		CxrView		mv = {1, 7, 0, c};

		CHECK(cxr_mean(&mv) == 7, "mean of a huge tally at the top point is 7 (%.17g)", cxr_mean(&mv));
	}

	CHECK(n == 54, "5-point binary size 54 (%zu)", n);
	cxr_encode_binary(&v, buf);
	CHECK(cxr_decode_binary(buf, n, &low, &np, &skipped, out, &why) == CXR_OK && low == 1 && np == 5 &&
		  skipped == 4 && memcmp(out, counts, sizeof(counts)) == 0, "ratings decode(encode(x)) = x");
	CHECK(cxr_decode_binary(buf, n - 1, &low, &np, &skipped, out, &why) == CXR_ESYNTAX, "short ratings rejected");
	CHECK(cxr_decode_binary(buf, 5, &low, &np, &skipped, out, &why) == CXR_ESYNTAX, "ratings header cut");
	buf[5] = 0;					/* high = 0 < low */
	CHECK(cxr_decode_binary(buf, n, &low, &np, &skipped, out, &why) == CXR_ESCALE, "inverted scale rejected");
	cxr_encode_binary(&v, buf);
	buf[6] = 0x80;				/* skipped < 0 */
	CHECK(cxr_decode_binary(buf, n, &low, &np, &skipped, out, &why) == CXR_ERANGE, "negative skipped rejected");
}

/* The standard binary decoder. */
static void
test_standard(void)
{
	CxstdStandard s = {900000, 30, CXSTD_BUSINESS_DAYS},
				o;
	uint8_t		b[CXSTD_BINARY_SIZE + 1];
	int			version;

	cxstd_encode_binary(&s, b);
	CHECK(b[0] == 1 && b[1] == 0 && b[2] == 0x0d && b[3] == 0xbb && b[4] == 0xa0 && b[12] == 6,
		  "standard binary layout");
	CHECK(cxstd_decode_binary(b, CXSTD_BINARY_SIZE, &o, &version) == CXSTD_BIN_OK &&
		  memcmp(&o, &s, sizeof(s)) == 0, "standard decode(encode(x)) = x");
	CHECK(cxstd_decode_binary(b, CXSTD_BINARY_SIZE + 1, &o, &version) == CXSTD_BIN_LENGTH &&
		  cxstd_decode_binary(b, 12, &o, &version) == CXSTD_BIN_LENGTH, "standard length checked");
	b[12] = 7;
	CHECK(cxstd_decode_binary(b, CXSTD_BINARY_SIZE, &o, &version) == CXSTD_BIN_FIELDS, "unknown unit rejected");
	b[0] = 2;
	CHECK(cxstd_decode_binary(b, CXSTD_BINARY_SIZE, &o, &version) == CXSTD_BIN_VERSION && version == 2,
		  "unknown version rejected");
}

/* The percentile partial state's checks and layouts. */
static void
test_pct(void)
{
	CxInterval	iv[3] = {{5, 0, 0}, {86400000000LL, 0, 0}, {-1, 0, 0}},
				back[3];
	char		buf[128];
	CxPctSerialHeader h = {CXPCT_SERIAL_VERSION, CXPCT_KIND_INTERVAL, CXPCT_FLAG_TIME_ONLY, 1, 3, {0, {0}, {0}}, 0},
				got;
	double		p = 0.9;
	size_t		head = cxpct_header_len(1) - 4,
				len = head + 3 * 8,
				at;
	int32_t		layout;
	const char *why;

	CHECK(cxpct_interval_layout(iv, 3) == CXPCT_FLAG_TIME_ONLY, "intervals without days sent as time only");
	memset(buf, 0, sizeof(buf));
	memcpy(buf, &h, sizeof(h));
	memcpy(buf + sizeof(h), &p, sizeof(p));
	cxpct_encode(CXPCT_KIND_INTERVAL, CXPCT_FLAG_TIME_ONLY, iv, 3, buf + head);
	CHECK(cxpct_check_state(buf, len, &got, &layout, &at, &why) && at == head &&
		  layout == CXPCT_FLAG_TIME_ONLY && got.n == 3, "percentile state accepted");
	cxpct_decode(CXPCT_KIND_INTERVAL, layout, buf + at, 3, back);
	CHECK(memcmp(back, iv, sizeof(iv)) == 0, "percentile values decode(encode(x)) = x");
	CHECK(!cxpct_check_state(buf, len - 1, &got, &layout, &at, &why), "percentile state one byte short");
	p = 1.5;
	memcpy(buf + sizeof(h), &p, sizeof(p));
	CHECK(!cxpct_check_state(buf, len, &got, &layout, &at, &why) && strstr(why, "fraction") != NULL,
		  "fraction outside [0, 1] rejected");
	p = 0.5;
	memcpy(buf + sizeof(h), &p, sizeof(p));
	h.kind = CXPCT_KIND_FLOAT8;
	memcpy(buf, &h, sizeof(h));
	CHECK(!cxpct_check_state(buf, len, &got, &layout, &at, &why), "narrow layout of float8 values rejected");
	h.kind = CXPCT_KIND_INTERVAL;
	h.n = -1;
	memcpy(buf, &h, sizeof(h));
	CHECK(!cxpct_check_state(buf, len, &got, &layout, &at, &why), "negative value count rejected");
	{
		CxPctShape	s = {2, {2, 3}, {0, -5}},
					none = {0, {0}, {0}},
					big = {1, {2}, {INT32_MAX}};

		CHECK(cxpct_shape_ok(&s, 6), "a 2 x 3 fraction array with bounds [0:1][-5:-3] is a shape");
		CHECK(!cxpct_shape_ok(&s, 5), "a shape must hold exactly the fractions");
		CHECK(cxpct_shape_ok(&none, 0) && !cxpct_shape_ok(&none, 1),
			  "no dimensions only for no fractions");
		s.ndim = 1;
		CHECK(!cxpct_shape_ok(&s, 2), "entries past the dimensions must be zero");
		s.ndim = 7;
		CHECK(!cxpct_shape_ok(&s, 6), "at most 6 dimensions");
		CHECK(!cxpct_shape_ok(&big, 2), "an upper bound past int32 is rejected");
	}
}

/* Run every test. */
int
main(void)
{
	test_sketch();
	test_ratings();
	test_standard();
	test_pct();
	return unit_done();
}
