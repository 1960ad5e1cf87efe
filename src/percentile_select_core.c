/*
 * percentile_select_core.c — exact order statistics without a full sort.
 * See percentile_select_core.h.  Two instances of
 * percentile_select_template.h: double and interval.
 */
#include "percentile_select_core.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SEL_T double
#define SEL_K double
#define SEL_KEY(p) (*(p))
#define SEL_KMIN (-HUGE_VAL)
#define SEL_KMAX HUGE_VAL
#define SEL_NAME(x) cxsel_d_##x
#include "percentile_select_template.h"

#define SEL_T CxInterval
#define SEL_K __int128
#define SEL_KEY(p) cxsel_interval_key(p)
#define SEL_KMAX ((__int128) (((unsigned __int128) 1 << 127) - 1))
#define SEL_KMIN (-SEL_KMAX - 1)
#define SEL_NAME(x) cxsel_i_##x
#include "percentile_select_template.h"

/* Values at ascending ranks of runs of doubles (no NaN). */
int
cxsel_double(const CxSelSeg *segs, int nseg, const int64_t *ranks, int nranks,
			 double *out, const CxSelAlloc *mem)
{
	return cxsel_d_select(segs, nseg, ranks, nranks, out, mem);
}

/* Values at ascending ranks of runs of intervals. */
int
cxsel_interval(const CxSelSeg *segs, int nseg, const int64_t *ranks, int nranks,
			   CxInterval *out, const CxSelAlloc *mem)
{
	return cxsel_i_select(segs, nseg, ranks, nranks, out, mem);
}
