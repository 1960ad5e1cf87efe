/*
 * percentile_spill_core.h — exact order statistics of a data set too large
 * for memory, read in passes; pure C, no PostgreSQL headers (unit tested in
 * test/unit/test_percentile_spill.c).
 *
 * The data set is only ever read, run by run, through a scan callback (the
 * server reads its temporary file and the values still in memory).  Values
 * are ordered by a 128-bit unsigned key that preserves PostgreSQL's order
 * (CxSpillKey).  Selection works on key ranges:
 *
 *  - a range whose values fit in the memory budget is collected in one pass
 *    and the ranks are selected inside it (percentile_select_core.c);
 *  - a larger range is counted in one pass into up to 65,536 equal-width
 *    buckets of its keys; the buckets that hold a wanted rank become the
 *    ranges of the next pass, each at most 1/65,536 of the key width;
 *  - a range of a single key holds equal values: one is kept, whatever the
 *    count (ties cost nothing).
 *
 * The first range is [smallest key, largest key] of the data, which the
 * caller tracks.  A data set within the budget takes one pass; typical data
 * two (one count, one collection).  Each counting pass narrows the key width
 * by 16 bits, so doubles take at most 1 + 4 passes and intervals 1 + 8, however
 * the values are spread; ranks of ranges that do not fit the budget together
 * are taken in further passes.
 */
#ifndef CX_PERCENTILE_SPILL_CORE_H
#define CX_PERCENTILE_SPILL_CORE_H

#include <stddef.h>
#include <stdint.h>

#include "percentile_select_core.h"

typedef unsigned __int128 CxSpillKey;

/* Kinds of values, as in percentile_core.h. */
#define CXSPILL_DOUBLE		1
#define CXSPILL_INTERVAL	2

/* The order-preserving key of a double (minus zero and zero share a key). */
static inline CxSpillKey
cxspill_key_double(double x)
{
	uint64_t	u;

	if (x == 0.0)
		x = 0.0;
	__builtin_memcpy(&u, &x, sizeof(u));
	u = (u >> 63) ? ~u : (u | ((uint64_t) 1 << 63));
	return (CxSpillKey) u;
}

/* The order-preserving key of an interval (cxsel_interval_key, made unsigned). */
static inline CxSpillKey
cxspill_key_interval(const CxInterval *iv)
{
	return (CxSpillKey) cxsel_interval_key(iv) ^ ((CxSpillKey) 1 << 127);
}

/* Smallest and largest key of n values of a kind; *lo and *hi are widened. */
extern void cxspill_key_range(int kind, const void *values, size_t n,
							  CxSpillKey *lo, CxSpillKey *hi);

/*
 * The caller's data set: scan(arg, visit, varg) calls visit(varg, values, n)
 * for every run of values, in any order but the same values on every call,
 * and returns 0 (or -1 to stop: a failed read).
 */
typedef int (*CxSpillVisit) (void *varg, const void *values, size_t n);
typedef struct CxSpillScan
{
	int			(*scan) (void *arg, CxSpillVisit visit, void *varg);
	void	   *arg;
} CxSpillScan;

/*
 * Set out[i] to the value of 0-based rank ranks[i] among the total values
 * of the data set, whose keys lie in [lo, hi].  ranks are ascending and
 * unique, each below total.  Memory for collected values and bucket counts
 * stays within budget bytes (at least 1 MB is sensible).  Sets *passes to
 * the number of scans made.  Returns 0; -1 if memory ran out or a scan
 * failed; -2 if the scans did not see the same data every time.
 */
extern int	cxspill_select(int kind, int64_t total, CxSpillKey lo, CxSpillKey hi,
						   const int64_t *ranks, int nranks, void *out, size_t budget,
						   const CxSpillScan *scan, const CxSelAlloc *mem, int *passes);

#endif
