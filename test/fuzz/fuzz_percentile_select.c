/*
 * fuzz_percentile_select.c — exact selection of order statistics
 * (percentile_select_core.c, as the exact percentile aggregates run it), on
 * doubles and intervals.
 *
 * Input: a kind and size byte, a rank count byte, then a pool of values;
 * the data set repeats pool values in a scrambled order (ties, runs and
 * the sampled-pivot path of large sets included) and may be split into
 * several runs.  Property: every selected value equals the value of that
 * rank in the sorted data set (intervals: equal comparison keys).
 */
#include "fuzz.h"
#include "percentile_select_core.h"

/* Memory callbacks. */
static void *
sel_alloc(size_t n, void *arg)
{
	(void) arg;
	return malloc(n ? n : 1);
}

static void
sel_release(void *p, void *arg)
{
	(void) arg;
	free(p);
}

/* Compare intervals by their comparison key for qsort. */
static int
cmp_interval(const void *a, const void *b)
{
	__int128	x = cxsel_interval_key((const CxInterval *) a),
				y = cxsel_interval_key((const CxInterval *) b);

	return (x > y) - (x < y);
}

/* One input. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const CxSelAlloc mem = {sel_alloc, sel_release, NULL};
	int			isint,
				nranks,
				nseg,
				i;
	size_t		n,
				npool,
				esz,
				k;
	uint64_t	h;
	char	   *vals,
			   *sorted,
			   *out;
	int64_t		ranks[32];
	CxSelSeg	segs[3];

	if (size < 3)
		return 0;
	isint = data[0] & 1;
	esz = isint ? sizeof(CxInterval) : sizeof(double);
	npool = (size - 3) / esz;
	if (npool == 0)
		return 0;
	/* 1 in 16: a set large enough for the sampled pivots */
	n = (data[0] >> 1) == 0x7f ? 131072 + data[1] * 256 : 1 + (size_t) data[1] * ((data[0] >> 1) & 15);
	nranks = 1 + (data[2] & 31);
	nseg = 1 + (data[2] >> 5) % 3;
	vals = malloc(n * esz);
	sorted = malloc(n * esz);
	out = malloc((size_t) nranks * esz);
	h = 0x9E3779B97F4A7C15ULL ^ size;
	for (k = 0; k < n; k++)
	{
		h ^= h >> 12;
		h ^= h << 25;
		h ^= h >> 27;
		memcpy(vals + k * esz, data + 3 + ((h * 2685821657736338717ULL) >> 33) % npool * esz, esz);
		if (!isint && ((double *) vals)[k] != ((double *) vals)[k])
			((double *) vals)[k] = 0;	/* no NaN: the aggregates reject it */
	}
	memcpy(sorted, vals, n * esz);
	qsort(sorted, n, esz, isint ? cmp_interval : fz_cmp_double);
	for (i = 0; i < nranks; i++)
		ranks[i] = (int64_t) ((data[3 + i % (size - 3)] * 2654435761u + (unsigned) i * 40503u) % n);
	qsort(ranks, nranks, sizeof(int64_t), fz_cmp_int64);
	for (i = 0; i < nseg; i++)
	{
		segs[i].data = vals + (n * i / nseg) * esz;
		segs[i].n = n * (i + 1) / nseg - n * i / nseg;
	}
	FZ_CHECK((isint ? cxsel_interval(segs, nseg, ranks, nranks, (CxInterval *) out, &mem) :
			  cxsel_double(segs, nseg, ranks, nranks, (double *) out, &mem)) == 0, "selection failed");
	for (i = 0; i < nranks; i++)
		FZ_CHECK(isint ? cmp_interval(out + i * esz, sorted + ranks[i] * esz) == 0 :
				 fz_cmp_double(out + i * esz, sorted + ranks[i] * esz) == 0, "wrong value at a rank");
	free(vals);
	free(sorted);
	free(out);
	return 0;
}
