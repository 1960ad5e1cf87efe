/*
 * percentile_select_core.h — exact order statistics (selection) without a
 * full sort.
 *
 * Pure C, no PostgreSQL headers: unit tested on its own (test/unit).
 *
 * cxsel_*() find the values at several 0-based ranks of an unsorted array.
 * Large arrays are scanned once against pivots drawn from a sample (the
 * Floyd–Rivest idea, generalised to several ranks at once); only the values
 * between each pair of pivots are copied out and selected with introselect
 * (quickselect with a heapsort fallback, so the worst case is O(n log n) and
 * the expected cost O(n)).  The input array keeps its contents as a multiset
 * but may be permuted.
 */
#ifndef CX_PERCENTILE_SELECT_CORE_H
#define CX_PERCENTILE_SELECT_CORE_H

#include <stddef.h>
#include <stdint.h>

#include "prim_core.h"		/* CxInterval */

/* Memory callbacks, so the server can use its memory contexts. */
typedef struct CxSelAlloc
{
	void	   *(*alloc) (size_t size, void *arg);
	void		(*release) (void *ptr, void *arg);
	void	   *arg;
} CxSelAlloc;

/* The comparison key of an interval, as PostgreSQL orders intervals. */
static inline __int128
cxsel_interval_key(const CxInterval *iv)
{
	return cxp_cxinterval_usecs(iv);
}

/* One contiguous run of values; a data set may be several runs. */
typedef struct CxSelSeg
{
	void	   *data;
	size_t		n;
} CxSelSeg;

/*
 * Set out[i] to the value of rank ranks[i] (0-based) among all values of
 * the nseg runs.  ranks must be ascending (repeats allowed), each below the
 * total count.  A single run may be permuted; several runs are left as they
 * are.  Returns 0, or -1 if memory ran out.
 */
extern int	cxsel_double(const CxSelSeg *segs, int nseg, const int64_t *ranks, int nranks,
						 double *out, const CxSelAlloc *mem);
extern int	cxsel_interval(const CxSelSeg *segs, int nseg, const int64_t *ranks, int nranks,
						   CxInterval *out, const CxSelAlloc *mem);

#endif
