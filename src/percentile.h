/*
 * percentile.h — the exact percentile aggregates' state, shared by their
 * glue files:
 *
 *   percentile.c        the aggregate functions (transition, combine,
 *                       serialize, final) and cx.share_within;
 *   percentile_spill.c  the state's memory: chunks charged to a pool per
 *                       aggregate memory context (limit work_mem), the
 *                       temporary file past it, and selection over both;
 *   percentile_shm.c    parallel transfer through the query's shared memory
 *                       (cx.shared_transfer).
 *
 * The pure parts are percentile_core.c (wire format, rank planning),
 * percentile_select_core.c (selection in memory) and percentile_spill_core.c
 * (selection in passes over a spilled state).
 */
#ifndef CX_PERCENTILE_H
#define CX_PERCENTILE_H

#include "cx_metrics.h"

#include <math.h>

#include "percentile_core.h"
#include "percentile_spill_core.h"

#define PCT_KIND_FLOAT8		CXPCT_KIND_FLOAT8
#define PCT_KIND_INTERVAL	CXPCT_KIND_INTERVAL

typedef struct PctAreaWatch PctAreaWatch;
typedef struct PctPool PctPool;
typedef struct PctSpill PctSpill;

/*
 * A run of values in memory: a full chunk of the state's own (charged to
 * its pool), or values adopted from a partial state in the query's shared
 * memory (watch set; not charged: the Gather owns that memory).
 */
typedef struct PctRun
{
	char	   *data;
	int64		n;
	Size		bytes;			/* own chunk: its size in bytes, else 0 */
	PctAreaWatch *watch;
} PctRun;

/*
 * The aggregate state: the requested fractions and every non-NULL value,
 * in memory (the chunk being filled and earlier runs) and, past the pool's
 * limit, in a temporary file.
 */
typedef struct PctState
{
	int32		kind;			/* PCT_KIND_* */
	bool		multi;			/* array form */
	bool		pnull;			/* the fraction (or fraction array) was NULL */
	int32		npct;			/* number of fractions */
	CxPctShape	shape;			/* array form: the fraction array's shape */
	double	   *pcts;			/* fractions, NaN marks a NULL element */
	Datum		pdatum;			/* the constant fraction-array datum (fast check) */
	bool		pconst;			/* is the fraction array a constant of the query? */
	MemoryContext ctx;			/* the aggregate's memory context */
	PctPool    *pool;			/* memory budget of the states of ctx */
	char	   *cur;			/* the chunk being filled */
	int64		n;				/* values in cur */
	int64		cap;			/* room of cur, in values */
	Size		curbytes;		/* size of cur in bytes (charged to the pool) */
	PctRun	   *runs;			/* earlier chunks and adopted runs */
	int			nrun;
	int			runcap;
	int64		total;			/* every value: runs, cur and the file */
	PctSpill   *spill;			/* its own temporary file, once the pool is full */
	PctSpill   *more;			/* files handed over by parallel workers (leader) */
} PctState;

/* Size in bytes of one value of a kind in memory. */
static inline Size
pct_elem_size(int32 kind)
{
	return cxpct_elem_size(kind);
}

/* percentile_spill.c: memory, the temporary file, selection */
extern PctState *pct_state_new(MemoryContext ctx, int32 kind, bool multi, int32 npct);
extern void pct_grow(PctState *st);
extern void pct_add_encoded(PctState *st, int32 layout, const char *r, int64 n);
extern void pct_adopt_run(PctState *st, char *data, int64 n, PctAreaWatch *watch);
extern void pct_take_over(PctState *a, PctState *b);
extern void pct_copy_values(PctState *a, PctState *b);
extern void pct_write_values(PctState *st, int32 layout, char *w);
extern int32 pct_wire_layout(PctState *st);
extern void pct_select(PctState *st, const int64 *ranks, int m, void *out);
extern Size pct_hand_over(PctState *st, CxPctFileRef *ref);
extern void pct_take_file(PctState *st, const CxPctFileRef *ref);
extern void pct_set_leader_reads(void);
extern void pct_spill_init(void);

/* percentile.c: error for a malformed serialized state */
CX_NORETURN extern void pct_bad_serial(const char *detail);

/* percentile_shm.c: parallel transfer through shared memory */
extern bytea *pct_serialize_shared(FunctionCallInfo fcinfo, PctState *st, const char *head,
								   Size headlen, int32 layout, Size bytes);
extern void pct_deserialize_shared(FunctionCallInfo fcinfo, PctState *st, int32 layout,
								   int64 n, const char *refp, Size reflen);
extern bool pct_watch_alive(const PctAreaWatch *w);
extern void pct_shm_define_settings(void);

/* Append a double to the state. */
static inline void
pct_push_float8(PctState *st, double x)
{
	if (unlikely(isnan(x) || isinf(x)))
		cx_check_float_finite(x, "cycle time");
	if (unlikely(st->n >= st->cap))
		pct_grow(st);
	((double *) st->cur)[st->n++] = x;
	st->total++;
}

/* Append an interval to the state. */
static inline void
pct_push_interval(PctState *st, const Interval *x)
{
	cx_check_interval_finite(x, "cycle time");
	if (unlikely(st->n >= st->cap))
		pct_grow(st);
	((Interval *) st->cur)[st->n++] = *x;
	st->total++;
}

#endif
