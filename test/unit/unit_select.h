/*
 * unit_select.h — what the tests of the percentile selection
 * (test_percentile_select.c) and of its passes past work_mem
 * (test_percentile_spill.c) share: an allocator that counts the bytes held,
 * a deterministic random number source, and the reference comparators that
 * qsort() sorts the expected answers with.
 */
#ifndef CX_UNIT_SELECT_H
#define CX_UNIT_SELECT_H

#include <stdint.h>
#include <stdlib.h>

#include "percentile_select_core.h"
#include "unit.h"

static size_t allocated = 0;	/* bytes held by the code under test */
static size_t peak = 0;			/* the most held at once */

/*
 * malloc-based allocator that tracks the bytes held, and like PostgreSQL's
 * gives blocks aligned to 8 bytes but not to 16.
 */
static void *
t_alloc(size_t size, void *arg)
{
	size_t	   *p = malloc(size + 24);

	(void) arg;
	if (p == NULL)
		return NULL;
	p[0] = size;
	allocated += size;
	if (allocated > peak)
		peak = allocated;
	return (char *) p + 24;
}

/* Release a block of t_alloc. */
static void
t_release(void *ptr, void *arg)
{
	size_t	   *p = (size_t *) ((char *) ptr - 24);

	(void) arg;
	allocated -= p[0];
	free(p);
}

static const CxSelAlloc mem = {t_alloc, t_release, NULL};

static uint64_t rng = 88172645463325252ULL;

/* Next pseudo-random number. */
static uint64_t
next(void)
{
	return unit_xorshift(&rng);
}

/* qsort() order of doubles (the tests use no NaN). */
static int
dcmp(const void *a, const void *b)
{
	double		x = *(const double *) a,
				y = *(const double *) b;

	return (x > y) - (x < y);
}

/* qsort() order of intervals, as PostgreSQL orders them. */
static int
icmp(const void *a, const void *b)
{
	__int128	x = cxsel_interval_key(a),
				y = cxsel_interval_key(b);

	return (x > y) - (x < y);
}

#endif
