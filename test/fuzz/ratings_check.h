/*
 * ratings_check.h — the round trips every accepted ratings value must
 * survive, shared by the ratings fuzz targets.
 */
#ifndef CX_RATINGS_CHECK_H
#define CX_RATINGS_CHECK_H

#include "fuzz.h"
#include "ratings_core.h"

/* Check that a tally formats and parses back, encodes and decodes back, to itself. */
static void
ratings_round_trips(int low, int n, int64_t skipped, const int64_t *counts)
{
	static int64_t c2[CXR_MAX_POINTS];
	CxrView		v = {low, n, skipped, counts};
	int			low2,
				n2;
	int64_t		skipped2,
				total;
	const char *why = NULL;
	size_t		need = cxr_format(&v, NULL, 0),
				bsz;
	char	   *text = fz_alloc(need);
	uint8_t    *bin;
	double		nps;

	FZ_CHECK(n >= CXR_MIN_POINTS && n <= CXR_MAX_POINTS, "point count out of range");
	FZ_CHECK(low >= CXR_SCALE_MIN && low + n - 1 <= CXR_SCALE_MAX, "scale out of range");
	FZ_CHECK(skipped >= 0 && cxr_total(counts, n, &total) == 0, "counts out of range");
	FZ_CHECK(cxr_format(&v, text, need) == need && strlen(text) + 1 == need, "format length");
	FZ_CHECK(cxr_parse(text, &low2, &n2, &skipped2, c2, &why) == CXR_OK, "own text form rejected");
	FZ_CHECK(low2 == low && n2 == n && skipped2 == skipped &&
			 memcmp(c2, counts, (size_t) n * sizeof(int64_t)) == 0, "text round trip changed the tally");

	bsz = cxr_binary_size(n);
	bin = fz_alloc(bsz);
	cxr_encode_binary(&v, bin);
	FZ_CHECK(cxr_decode_binary(bin, bsz, &low2, &n2, &skipped2, c2, &why) == CXR_OK, "own binary form rejected");
	FZ_CHECK(low2 == low && n2 == n && skipped2 == skipped &&
			 memcmp(c2, counts, (size_t) n * sizeof(int64_t)) == 0, "binary round trip changed the tally");

	/* the statistics stay in their ranges */
	if (low == 0 && n == 11 && total > 0)
	{
		nps = cxr_nps(&v);
		FZ_CHECK(nps >= -100 && nps <= 100, "NPS outside -100..100");
		nps = cxr_nps_variance(&v);
		FZ_CHECK(nps >= 0 && nps <= 10000, "NPS variance outside 0..100^2");
	}
	if (total > 0)
	{
		double		m = cxr_mean(&v);

		FZ_CHECK(m >= low && m <= low + n - 1, "mean outside the scale");
	}
}

#endif
