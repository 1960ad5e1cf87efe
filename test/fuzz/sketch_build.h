/*
 * sketch_build.h — build sketches from values the way the aggregates do
 * (dense state grown on demand, merged, compacted), with malloc; for the
 * fuzz targets and the seed generator.
 */
#ifndef CX_SKETCH_BUILD_H
#define CX_SKETCH_BUILD_H

#include <stdlib.h>
#include <string.h>

#include "sketch_core.h"

/* Dense copy of src (any layout) with the given ranges, malloc'd. */
static inline CxskHeader *
sb_dense_copy(const CxskHeader *src, int32_t nb, int32_t ns, int32_t pb, int32_t ps)
{
	CxskHeader *h = malloc(cxsk_dense_size(ns, ps));

	if (h == NULL)
		abort();
	cxsk_to_dense(src, h, nb, ns, pb, ps);
	return h;
}

/*
 * Add x (us for interval sketches) to *hp, starting a dense sketch of
 * accuracy alpha when *hp is NULL, as the transition function does.
 * Returns 1, or -1 when the sum or count overflows (the state is then
 * unusable, as after the server's error).
 */
static inline int
sb_add(CxskHeader **hp, int isint, double alpha, double x, int64_t us)
{
	CxskHeader *h = *hp;
	int			r;

	if (h == NULL)
	{
		int32_t		nb,
					ns,
					pb,
					ps;

		cxsk_dense_first_range(cxsk_mult(alpha), x, &nb, &ns, &pb, &ps);
		h = malloc(cxsk_dense_size(ns, ps));
		if (h == NULL)
			abort();
		cxsk_dense_init(h, alpha, isint, nb, ns, pb, ps);
	}
	while ((r = cxsk_dense_add(h, x, us)) == 0)
	{
		int32_t		nb,
					ns,
					pb,
					ps;
		int32_t		key = x > 0 ? cxsk_key_of(h->mult, x) : -cxsk_key_of(h->mult, -x);
		CxskHeader *g;

		cxsk_grow_for_key(h, x > 0, key, &nb, &ns, &pb, &ps);
		g = sb_dense_copy(h, nb, ns, pb, ps);
		free(h);
		h = g;
	}
	*hp = h;
	return r < 0 ? -1 : 1;
}

/* Merge o into *hp as the combine function does; 1, or 0 with err. */
static inline int
sb_merge(CxskHeader **hp, const CxskHeader *o, char *err)
{
	CxskHeader *h = *hp;
	int32_t		nb,
				ns,
				pb,
				ps;

	if (!cxsk_mergeable(h, o, err))
		return 0;
	if (!cxsk_grow_for_merge(h, o, &nb, &ns, &pb, &ps) || !(h->flags & CXSK_F_DENSE))
	{
		CxskHeader *g = sb_dense_copy(h, nb, ns, pb, ps);

		free(h);
		*hp = h = g;
	}
	return cxsk_merge_into(h, o, err);
}

/* The compact form of h, malloc'd, its length in *len. */
static inline CxskHeader *
sb_compact(const CxskHeader *h, size_t *len)
{
	CxskHeader *c;

	*len = cxsk_compact_size(h);
	c = malloc(*len);
	if (c == NULL)
		abort();
	cxsk_compact(h, c);
	return c;
}

#endif
