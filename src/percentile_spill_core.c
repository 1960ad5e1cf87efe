/*
 * percentile_spill_core.c — exact order statistics read in passes over a
 * data set that does not fit in memory (see percentile_spill_core.h).
 */
#include "percentile_spill_core.h"

#include <stdlib.h>
#include <string.h>

#define SPILL_BUCKET_BITS	16
/* room for one counting range: 65,536 counts and key bounds */
#define SPILL_MIN_BUDGET	((size_t) (1 << SPILL_BUCKET_BITS) * (sizeof(uint64_t) + 2 * sizeof(CxSpillKey)) + 16)

/* What a pass does with the values whose keys fall in a range. */
typedef enum SpillMode
{
	SPILL_COUNT,				/* count them into buckets of their keys */
	SPILL_COLLECT,				/* keep them all, then select inside */
	SPILL_ONE					/* keep one: every key of the range is equal */
} SpillMode;

/* A key range [lo, hi] of the data, and the wanted ranks that lie in it. */
typedef struct SpillRange
{
	CxSpillKey lo;
	CxSpillKey hi;
	SpillMode	mode;
	int			shift;			/* COUNT: bucket of key k is (k - lo) >> shift */
	uint32_t	nbuckets;
	uint64_t   *counts;
	CxSpillKey *kmin;			/* COUNT: smallest and largest key per bucket */
	CxSpillKey *kmax;
	char	   *vals;			/* COLLECT, ONE: the values kept */
	size_t		nvals;			/* values seen in the range this pass */
	int64_t		below;			/* values of the data set with a smaller key */
	int64_t		count;			/* values with a key in the range */
	int			r0;				/* ranks[r0 .. r1) lie in the range */
	int			r1;
} SpillRange;

/* One pass: the ranges it reads, in ascending key order. */
typedef struct SpillPass
{
	int			kind;
	size_t		elem;
	SpillRange **ranges;
	int			nranges;
} SpillPass;

/*
 * Memory for structures holding keys: 16-byte aligned (__int128), which the
 * caller's allocator (8 bytes in PostgreSQL) may not give; the raw pointer
 * is kept just before the block.
 */
static void *
spill_alloc(const CxSelAlloc *mem, size_t size)
{
	char	   *raw = mem->alloc(size + 16, mem->arg),
			   *p;

	if (raw == NULL)
		return NULL;
	p = (char *) (((uintptr_t) raw + 16) & ~(uintptr_t) 15);
	memcpy(p - sizeof(char *), &raw, sizeof(char *));
	return p;
}

static void
spill_free(const CxSelAlloc *mem, void *p)
{
	char	   *raw;

	memcpy(&raw, (char *) p - sizeof(char *), sizeof(char *));
	mem->release(raw, mem->arg);
}

/* Number of significant bits of a key (0 for zero). */
static int
spill_bit_length(CxSpillKey k)
{
	uint64_t	high = (uint64_t) (k >> 64),
				low = (uint64_t) k;

	if (high != 0)
		return 128 - __builtin_clzll(high);
	return low != 0 ? 64 - __builtin_clzll(low) : 0;
}

/* The double of a key (the inverse of cxspill_key_double). */
static double
spill_key_to_double(CxSpillKey k)
{
	uint64_t	u = (uint64_t) k;
	double		x;

	u = (u >> 63) ? (u & ~((uint64_t) 1 << 63)) : ~u;
	memcpy(&x, &u, sizeof(x));
	return x;
}

/* The key of value i of a run of a kind. */
static inline CxSpillKey
spill_key_at(int kind, const void *values, size_t i)
{
	if (kind == CXSPILL_DOUBLE)
		return cxspill_key_double(((const double *) values)[i]);
	return cxspill_key_interval(&((const CxInterval *) values)[i]);
}

void
cxspill_key_range(int kind, const void *values, size_t n, CxSpillKey *lo, CxSpillKey *hi)
{
	size_t		i;

	for (i = 0; i < n; i++)
	{
		CxSpillKey k = spill_key_at(kind, values, i);

		if (k < *lo)
			*lo = k;
		if (k > *hi)
			*hi = k;
	}
}

/* The range holding key k, or NULL (ranges are disjoint and ascending). */
static inline SpillRange *
spill_find(const SpillPass *p, CxSpillKey k)
{
	int			lo = 0,
				hi = p->nranges - 1;

	while (lo < hi)
	{
		int			mid = (lo + hi + 1) / 2;

		if (p->ranges[mid]->lo <= k)
			lo = mid;
		else
			hi = mid - 1;
	}
	if (k < p->ranges[lo]->lo || k > p->ranges[lo]->hi)
		return NULL;
	return p->ranges[lo];
}

/* Account one value to its range. */
static inline void
spill_take(SpillPass *p, SpillRange *r, CxSpillKey k, const char *value)
{
	switch (r->mode)
	{
		case SPILL_COUNT:
			{
				size_t		b = (size_t) ((k - r->lo) >> r->shift);

				r->counts[b]++;
				r->kmin[b] = k < r->kmin[b] ? k : r->kmin[b];
				r->kmax[b] = k > r->kmax[b] ? k : r->kmax[b];
			}
			break;
		case SPILL_COLLECT:
			if (r->nvals < (size_t) r->count)
				memcpy(r->vals + r->nvals * p->elem, value, p->elem);
			r->nvals++;
			break;
		case SPILL_ONE:
			if (r->nvals == 0)
				memcpy(r->vals, value, p->elem);
			r->nvals++;
			break;
	}
}

/* The scan callback of a pass: every value to the range that holds its key. */
static int
spill_visit(void *varg, const void *values, size_t n)
{
	SpillPass  *p = (SpillPass *) varg;
	const char *v = (const char *) values;
	size_t		i;

	if (p->nranges == 1)
	{
		SpillRange *r = p->ranges[0];

		if (r->mode == SPILL_COUNT && p->kind == CXSPILL_DOUBLE)
		{
			/* the first pass over a large set: the hot loop */
			for (i = 0; i < n; i++)
			{
				CxSpillKey k = cxspill_key_double(((const double *) values)[i]);

				if (k >= r->lo && k <= r->hi)
				{
					size_t		b = (size_t) ((k - r->lo) >> r->shift);

					r->counts[b]++;
					r->kmin[b] = k < r->kmin[b] ? k : r->kmin[b];
					r->kmax[b] = k > r->kmax[b] ? k : r->kmax[b];
				}
			}
			return 0;
		}
		for (i = 0; i < n; i++)
		{
			CxSpillKey k = spill_key_at(p->kind, values, i);

			if (k >= r->lo && k <= r->hi)
				spill_take(p, r, k, v + i * p->elem);
		}
		return 0;
	}
	for (i = 0; i < n; i++)
	{
		CxSpillKey k = spill_key_at(p->kind, values, i);
		SpillRange *r = spill_find(p, k);

		if (r != NULL)
			spill_take(p, r, k, v + i * p->elem);
	}
	return 0;
}

/* Memory a range needs during its pass. */
static size_t
spill_cost(const SpillRange *r, size_t elem)
{
	switch (r->mode)
	{
		case SPILL_COUNT:
			return (size_t) r->nbuckets * (sizeof(uint64_t) + 2 * sizeof(CxSpillKey)) + 16;
		case SPILL_COLLECT:
			return (size_t) r->count * elem;
		case SPILL_ONE:
			break;
	}
	return elem;
}

/* Choose how the next pass reads a range of known count. */
static void
spill_plan_range(SpillRange *r, size_t elem, size_t budget)
{
	CxSpillKey width = r->hi - r->lo;
	int			bits = spill_bit_length(width);

	if (width == 0)
		r->mode = SPILL_ONE;
	else if ((uint64_t) r->count <= budget / elem)
		r->mode = SPILL_COLLECT;
	else
	{
		r->mode = SPILL_COUNT;
		r->shift = bits > SPILL_BUCKET_BITS ? bits - SPILL_BUCKET_BITS : 0;
		r->nbuckets = (uint32_t) (width >> r->shift) + 1;
	}
}

/* Allocate what a range needs for its pass; returns 0 or -1. */
static int
spill_range_alloc(SpillRange *r, size_t elem, const CxSelAlloc *mem)
{
	size_t		bytes = spill_cost(r, elem);

	r->nvals = 0;
	if (r->mode == SPILL_COUNT)
	{
		uint32_t	b;

		r->counts = spill_alloc(mem, bytes);
		if (r->counts == NULL)
			return -1;
		memset(r->counts, 0, sizeof(uint64_t) * r->nbuckets);
		/* the keys want 16-byte alignment; allocators may give 8 */
		r->kmin = (CxSpillKey *) (((uintptr_t) (r->counts + r->nbuckets) + 15) & ~(uintptr_t) 15);
		r->kmax = r->kmin + r->nbuckets;
		for (b = 0; b < r->nbuckets; b++)
		{
			r->kmin[b] = r->hi;
			r->kmax[b] = r->lo;
		}
	}
	else
	{
		r->vals = spill_alloc(mem, bytes ? bytes : elem);
		if (r->vals == NULL)
			return -1;
	}
	return 0;
}

/* A new range for bucket b of a counted range. */
static SpillRange *
spill_child(const SpillRange *r, uint32_t b, int64_t below, int64_t count,
			const CxSelAlloc *mem)
{
	SpillRange *c = spill_alloc(mem, sizeof(SpillRange));
	CxSpillKey mask = (((CxSpillKey) 1) << r->shift) - 1;

	if (c == NULL)
		return NULL;
	memset(c, 0, sizeof(*c));
	c->lo = r->lo + (((CxSpillKey) b) << r->shift);
	c->hi = c->lo + (r->hi - c->lo < mask ? r->hi - c->lo : mask);
	/* only the keys the bucket really holds */
	if (r->kmin[b] > c->lo)
		c->lo = r->kmin[b];
	if (r->kmax[b] < c->hi)
		c->hi = r->kmax[b];
	c->below = below;
	c->count = count;
	return c;
}

/* A growable list of ranges. */
typedef struct SpillList
{
	SpillRange **items;
	int			n;
	int			cap;
} SpillList;

static int
spill_push(SpillList *l, SpillRange *r, const CxSelAlloc *mem)
{
	if (l->n == l->cap)
	{
		int			cap = l->cap ? l->cap * 2 : 16;
		SpillRange **items = spill_alloc(mem, sizeof(SpillRange *) * cap);

		if (items == NULL)
			return -1;
		if (l->n > 0)
			memcpy(items, l->items, sizeof(SpillRange *) * l->n);
		if (l->items != NULL)
			spill_free(mem, l->items);
		l->items = items;
		l->cap = cap;
	}
	l->items[l->n++] = r;
	return 0;
}

/*
 * After a counting pass: a range for every bucket that holds wanted ranks,
 * queued in ascending key order.  Returns 0, -1 (memory) or -2 (the counts
 * do not add up to the range's count).
 */
static int
spill_split(int kind, const SpillRange *r, const int64_t *ranks, char *out, size_t elem,
			size_t budget, SpillList *queue, const CxSelAlloc *mem)
{
	int64_t		cum = 0,
				sum = 0;
	uint32_t	b;
	int			i = r->r0;

	for (b = 0; b < r->nbuckets; b++)
		sum += (int64_t) r->counts[b];
	if (sum != r->count)
		return -2;
	for (b = 0; b < r->nbuckets && i < r->r1; b++)
	{
		int64_t		cnt = (int64_t) r->counts[b];
		int			first = i;
		SpillRange *c;

		while (i < r->r1 && ranks[i] < r->below + cum + cnt)
			i++;
		if (i > first)
		{
			c = spill_child(r, b, r->below + cum, cnt, mem);
			if (c == NULL)
				return -1;
			c->r0 = first;
			c->r1 = i;
			spill_plan_range(c, elem, budget);
			if (c->mode == SPILL_ONE && kind == CXSPILL_DOUBLE)
			{
				/* equal doubles: the key is the value, no pass needed */
				double		x = spill_key_to_double(c->lo);
				int			j;

				for (j = c->r0; j < c->r1; j++)
					memcpy(out + (size_t) j * elem, &x, elem);
				spill_free(mem, c);
			}
			else if (spill_push(queue, c, mem) != 0)
				return -1;
		}
		cum += cnt;
	}
	return 0;
}

/* After a collecting pass: select the range's ranks among its values. */
static int
spill_finish(int kind, const SpillRange *r, const int64_t *ranks, char *out, size_t elem,
			 const CxSelAlloc *mem)
{
	int			m = r->r1 - r->r0,
				i,
				rc;
	int64_t    *local;
	CxSelSeg	seg;

	if ((int64_t) r->nvals != r->count)
		return -2;
	if (r->mode == SPILL_ONE)
	{
		for (i = r->r0; i < r->r1; i++)
			memcpy(out + (size_t) i * elem, r->vals, elem);
		return 0;
	}
	local = spill_alloc(mem, sizeof(int64_t) * m);
	if (local == NULL)
		return -1;
	for (i = 0; i < m; i++)
		local[i] = ranks[r->r0 + i] - r->below;
	seg.data = r->vals;
	seg.n = r->nvals;
	if (kind == CXSPILL_DOUBLE)
		rc = cxsel_double(&seg, 1, local, m, (double *) (out + (size_t) r->r0 * elem), mem);
	else
		rc = cxsel_interval(&seg, 1, local, m, (CxInterval *) (out + (size_t) r->r0 * elem), mem);
	spill_free(mem, local);
	return rc;
}

/* Order ranges by their smallest key. */
static int
spill_range_cmp(const void *a, const void *b)
{
	const SpillRange *x = *(SpillRange *const *) a,
			   *y = *(SpillRange *const *) b;

	return (x->lo > y->lo) - (x->lo < y->lo);
}

/* Release what a range holds, and the range. */
static void
spill_range_free(SpillRange *r, const CxSelAlloc *mem)
{
	if (r->counts != NULL)
		spill_free(mem, r->counts);
	r->counts = NULL;
	if (r->vals != NULL)
		spill_free(mem, r->vals);
	spill_free(mem, r);
}

int
cxspill_select(int kind, int64_t total, CxSpillKey lo, CxSpillKey hi,
			   const int64_t *ranks, int nranks, void *out, size_t budget,
			   const CxSpillScan *scan, const CxSelAlloc *mem, int *passes)
{
	size_t		elem = kind == CXSPILL_DOUBLE ? sizeof(double) : sizeof(CxInterval);
	SpillList	queue = {NULL, 0, 0};
	SpillRange *first;
	int			rc = 0;

	*passes = 0;
	if (nranks == 0)
		return 0;
	if (budget < SPILL_MIN_BUDGET)
		budget = SPILL_MIN_BUDGET;
	first = spill_alloc(mem, sizeof(SpillRange));
	if (first == NULL)
		return -1;
	memset(first, 0, sizeof(*first));
	first->lo = lo;
	first->hi = hi;
	first->count = total;
	first->r1 = nranks;
	spill_plan_range(first, elem, budget);
	if (spill_push(&queue, first, mem) != 0)
		return -1;

	while (rc == 0 && queue.n > 0)
	{
		SpillPass	pass;
		SpillList	next = {NULL, 0, 0};
		size_t		used = 0;
		int			take = 0,
					i;

		/* the ranges of this pass: as many as the budget holds, at least one */
		while (take < queue.n &&
			   (take == 0 || used + spill_cost(queue.items[take], elem) <= budget))
			used += spill_cost(queue.items[take++], elem);
		for (i = 0; i < take && rc == 0; i++)
			rc = spill_range_alloc(queue.items[i], elem, mem);
		if (rc != 0)
			break;
		qsort(queue.items, take, sizeof(SpillRange *), spill_range_cmp);
		pass.kind = kind;
		pass.elem = elem;
		pass.ranges = queue.items;
		pass.nranges = take;
		(*passes)++;
		if (scan->scan(scan->arg, spill_visit, &pass) != 0)
		{
			rc = -1;
			break;
		}
		for (i = 0; i < take && rc == 0; i++)
		{
			SpillRange *r = queue.items[i];

			if (r->mode == SPILL_COUNT)
				rc = spill_split(kind, r, ranks, (char *) out, elem, budget, &next, mem);
			else
				rc = spill_finish(kind, r, ranks, (char *) out, elem, mem);
		}
		for (i = 0; i < take; i++)
			spill_range_free(queue.items[i], mem);
		/* the ranges left for later, then the new ones */
		for (i = take; i < queue.n; i++)
			if (spill_push(&next, queue.items[i], mem) != 0)
			{
				spill_range_free(queue.items[i], mem);
				rc = -1;
			}
		if (queue.items != NULL)
			spill_free(mem, queue.items);
		queue = next;
	}
	while (queue.n > 0)
		spill_range_free(queue.items[--queue.n], mem);
	if (queue.items != NULL)
		spill_free(mem, queue.items);
	return rc;
}
