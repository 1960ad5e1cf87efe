/*
 * percentile.c — exact percentile aggregates for double precision and
 * interval: cx.percentile (continuous), cx.percentile_disc, their array
 * forms, and cx.share_within.
 *
 * The answers equal PostgreSQL's percentile_cont / percentile_disc, but these
 * are ordinary aggregates: every value is kept in the aggregate state, states
 * are combined across parallel workers, and the final function selects the
 * needed ranks in O(n) (select_core.c) instead of sorting.
 */
#include "cx_metrics.h"

#include <math.h>
#ifdef __linux__
#include <sys/statvfs.h>
#endif

#include "access/parallel.h"
#include "miscadmin.h"
#include "catalog/pg_type.h"
#include "common/int.h"
#include "executor/execParallel.h"
#include "nodes/execnodes.h"
#include "nodes/nodeFuncs.h"
#include "storage/dsm.h"
#include "storage/dsm_impl.h"
#include "utils/dsa.h"
#include "libpq/pqformat.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

#include "percentile_core.h"
#include "select_core.h"

PG_FUNCTION_INFO_V1(cx_pct_float8_trans);
PG_FUNCTION_INFO_V1(cx_pct_float8_trans_multi);
PG_FUNCTION_INFO_V1(cx_pct_interval_trans);
PG_FUNCTION_INFO_V1(cx_pct_interval_trans_multi);
PG_FUNCTION_INFO_V1(cx_pct_combine);
PG_FUNCTION_INFO_V1(cx_pct_serialize);
PG_FUNCTION_INFO_V1(cx_pct_deserialize);
PG_FUNCTION_INFO_V1(cx_pct_float8_cont_final);
PG_FUNCTION_INFO_V1(cx_pct_float8_disc_final);
PG_FUNCTION_INFO_V1(cx_pct_interval_cont_final);
PG_FUNCTION_INFO_V1(cx_pct_interval_disc_final);
PG_FUNCTION_INFO_V1(cx_pct_float8_cont_multi_final);
PG_FUNCTION_INFO_V1(cx_pct_float8_disc_multi_final);
PG_FUNCTION_INFO_V1(cx_pct_interval_cont_multi_final);
PG_FUNCTION_INFO_V1(cx_pct_interval_disc_multi_final);
PG_FUNCTION_INFO_V1(cx_share_within_float8);
PG_FUNCTION_INFO_V1(cx_share_within_interval);
PG_FUNCTION_INFO_V1(cx_share_within_combine);
PG_FUNCTION_INFO_V1(cx_share_within_final);

#define PCT_KIND_FLOAT8		CXPCT_KIND_FLOAT8
#define PCT_KIND_INTERVAL	CXPCT_KIND_INTERVAL
#define PCT_SERIAL_VERSION	CXPCT_SERIAL_VERSION
#define PCT_MAX_PERCENTILES	CXPCT_MAX_PERCENTILES
#define PCT_FLAG_MULTI		CXPCT_FLAG_MULTI
#define PCT_FLAG_PNULL		CXPCT_FLAG_PNULL
#define PCT_FLAG_SHARED		CXPCT_FLAG_SHARED
#define PCT_BIG_BYTES		(1024 * 1024)	/* states this large use CxBigBuf */

/* Serialized header (percentile_core.h); the bytea is [header][npct doubles][pad to 8][values]. */
typedef CxPctSerialHeader PctSerialHeader;
StaticAssertDecl(CXPCT_MAX_BYTES == MaxAllocSize, "percentile_core.h's size limit is MaxAllocSize");
StaticAssertDecl(sizeof(CxInterval) == sizeof(Interval), "CxInterval has Interval's layout");

/*
 * The leader's view of a parallel query's shared memory: alive until the
 * Gather node detaches it.  Reference counted (the segment while attached,
 * plus each chunk read from it), kept in TopMemoryContext.
 */
typedef struct PctAreaWatch
{
	dsm_segment *seg;
	bool		alive;
	int			refs;
	struct PctAreaWatch *next;
} PctAreaWatch;

/* A run of values adopted from another state by combine. */
typedef struct PctSeg
{
	char	   *data;
	int64		n;
	PctAreaWatch *watch;		/* non-NULL: the run lies in shared memory */
} PctSeg;

/*
 * The aggregate state: every non-NULL value, and the requested fractions.
 *
 * The state's own values live in buf, laid out exactly as the serialized
 * bytea (header room first), so serializing is one copy.  Large buffers grow
 * without copying (CxBigBuf).  Combine adopts the runs of deserialized
 * states instead of copying them.
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
	char	   *buf;			/* [varlena header][PctSerialHeader][pcts][values] */
	CxBigBuf	big;			/* backs buf once it is large */
	Size		hdrlen;			/* bytes of buf before the values */
	int64		n;				/* values in buf */
	int64		cap;			/* capacity of buf, in values */
	int64		total;			/* n plus the values of every run */
	int			nseg;			/* adopted runs */
	int			segcap;
	PctSeg	   *segs;
} PctState;

#define PCT_VALUES(st) ((st)->buf + (st)->hdrlen)

/* Size in bytes of one value of the given kind. */
static inline Size
pct_elem_size(int32 kind)
{
	return cxpct_elem_size(kind);
}

/* Bytes of a serialized state before its values. */
static inline Size
pct_header_len(int32 npct)
{
	return cxpct_header_len(npct);
}

/* The largest number of values a state may keep: its bytes stay under 1 GB. */
static inline int64
pct_max_values(int32 kind, int32 npct)
{
	return cxpct_max_values(kind, npct);
}

/* Error for a state that would pass 1 GB. */
static void
pct_too_many(int32 kind, int32 npct)
{
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("too many values for an exact percentile"),
			 errdetail("An exact percentile keeps every value; one group may hold at most %lld %s values (1 GB).",
					   (long long) pct_max_values(kind, npct),
					   kind == PCT_KIND_FLOAT8 ? "double precision" : "interval"),
			 errhint("Use cx.cycle_sketch for percentiles over larger groups, or split the group.")));
}

/* Check one fraction, as percentile_cont does, with a hint. */
static void
pct_check_fraction(double p)
{
	if (isnan(p) || p < 0.0 || p > 1.0)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("percentile value %g is not between 0 and 1", p),
				 errhint("Give the percentile as a fraction: 0.9 for the 90th percentile.")));
}

/* The memory context of the calling aggregate, or an error. */
static MemoryContext
pct_agg_context(FunctionCallInfo fcinfo)
{
	MemoryContext aggcontext;

	if (!AggCheckCallContext(fcinfo, &aggcontext))
		cx_not_in_aggregate(fcinfo, "cx.percentile or cx.percentile_disc");
	return aggcontext;
}

/* Allocate an empty state in the aggregate context. */
static PctState *
pct_state_new(MemoryContext ctx, int32 kind, bool multi, int32 npct)
{
	PctState   *st = MemoryContextAllocZero(ctx, sizeof(PctState));

	st->kind = kind;
	st->multi = multi;
	st->npct = npct;
	st->hdrlen = pct_header_len(npct);
	if (npct > 0)
		st->pcts = MemoryContextAlloc(ctx, sizeof(double) * npct);
	return st;
}

/* Grow buf so that it holds at least need values. */
static void
pct_reserve(PctState *st, int64 need)
{
	int64		limit = pct_max_values(st->kind, st->npct);
	int64		newcap;
	Size		bytes;

	if (need <= st->cap)
		return;
	if (need > limit)
		pct_too_many(st->kind, st->npct);
	newcap = Max(st->cap * 2, 64);
	while (newcap < need)
		newcap *= 2;
	newcap = Min(newcap, limit);
	bytes = st->hdrlen + newcap * pct_elem_size(st->kind);
	if (bytes >= PCT_BIG_BYTES)
	{
		/* large: grow without copying, on huge pages */
		bool		was_small = st->buf != NULL && st->big.data == NULL;

		cx_bigbuf_resize(&st->big, GetMemoryChunkContext(st), bytes);
		if (was_small)
		{
			memcpy(st->big.data, st->buf, st->hdrlen + st->n * pct_elem_size(st->kind));
			pfree(st->buf);
		}
		st->buf = st->big.data;
	}
	else if (st->buf == NULL)
		st->buf = MemoryContextAlloc(GetMemoryChunkContext(st), bytes);
	else
		st->buf = repalloc(st->buf, bytes);
	st->cap = newcap;
}

/*
 * Add a run of values to the state: adopt it (no copy; watch is set when it
 * lies in shared memory) or copy it into buf.
 */
static void
pct_add_run(PctState *st, char *data, int64 n, bool adopt, PctAreaWatch *watch)
{
	if (n <= 0)
		return;
	if (st->total + n > pct_max_values(st->kind, st->npct))
		pct_too_many(st->kind, st->npct);
	if (!adopt)
	{
		pct_reserve(st, st->n + n);
		memcpy(PCT_VALUES(st) + st->n * pct_elem_size(st->kind), data,
			   n * pct_elem_size(st->kind));
		st->n += n;
		st->total += n;
		return;
	}
	if (st->nseg == st->segcap)
	{
		st->segcap = Max(4, st->segcap * 2);
		st->segs = st->segs == NULL ?
			MemoryContextAlloc(GetMemoryChunkContext(st), sizeof(PctSeg) * st->segcap) :
			repalloc(st->segs, sizeof(PctSeg) * st->segcap);
	}
	st->segs[st->nseg].data = data;
	st->segs[st->nseg].n = n;
	st->segs[st->nseg].watch = watch;
	st->nseg++;
	st->total += n;
}

/* Move every adopted run into buf, so the values are contiguous. */
static void
pct_flatten(PctState *st)
{
	int			i;
	int			nseg = st->nseg;

	if (nseg == 0)
		return;
	st->nseg = 0;
	st->total = st->n;
	for (i = 0; i < nseg; i++)
		pct_add_run(st, st->segs[i].data, st->segs[i].n, false, NULL);
}

/* Read the fractions of a float8[] argument into a new state. */
static PctState *
pct_state_from_array(FunctionCallInfo fcinfo, int32 kind, ArrayType *arr)
{
	Datum	   *elems;
	bool	   *nulls;
	int			n,
				i;
	PctState   *st;

	deconstruct_array(arr, FLOAT8OID, sizeof(float8), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE,
					  &elems, &nulls, &n);
	if (n > PCT_MAX_PERCENTILES)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many percentiles requested: %d", n),
				 errdetail("At most %d percentiles can be asked for at once.", PCT_MAX_PERCENTILES)));
	st = pct_state_new(pct_agg_context(fcinfo), kind, true, n);
	/* the answer has the shape and bounds of the fraction array */
	st->shape.ndim = n == 0 ? 0 : ARR_NDIM(arr);
	memcpy(st->shape.dims, ARR_DIMS(arr), sizeof(int32) * st->shape.ndim);
	memcpy(st->shape.lbs, ARR_LBOUND(arr), sizeof(int32) * st->shape.ndim);
	Assert(cxpct_shape_ok(&st->shape, n));
	for (i = 0; i < n; i++)
	{
		if (nulls[i])
			st->pcts[i] = get_float8_nan();
		else
		{
			pct_check_fraction(DatumGetFloat8(elems[i]));
			st->pcts[i] = DatumGetFloat8(elems[i]);
		}
	}
	return st;
}

/* Check that a later row asks for the same fractions as the first. */
static void
pct_same_fractions_error(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("percentile fraction must be the same for every row of a group"),
			 errhint("Pass the fraction as a constant, e.g. cx.percentile(x, 0.9).")));
}

/* Common transition work for the scalar-fraction forms: the state to append to. */
static PctState *
pct_trans_scalar(FunctionCallInfo fcinfo, int32 kind)
{
	PctState   *st = PG_ARGISNULL(0) ? NULL : (PctState *) PG_GETARG_POINTER(0);
	bool		pnull = PG_ARGISNULL(2);
	double		p = pnull ? 0.0 : PG_GETARG_FLOAT8(2);

	if (st == NULL)
	{
		st = pct_state_new(pct_agg_context(fcinfo), kind, false, 1);
		st->pnull = pnull;
		if (!pnull)
			pct_check_fraction(p);
		st->pcts[0] = p;
	}
	else if (unlikely(st->pnull != pnull || (!pnull && st->pcts[0] != p)))
		pct_same_fractions_error();
	return st;
}

/* Is argument n (0-based, of the aggregate) of the calling aggregate a constant? */
static bool
pct_arg_is_const(FunctionCallInfo fcinfo, int n)
{
	Aggref	   *ar = AggGetAggref(fcinfo);
	TargetEntry *te;

	if (ar == NULL || list_length(ar->args) <= n)
		return false;
	te = (TargetEntry *) list_nth(ar->args, n);
	return IsA(te->expr, Const);
}

/* Does a fraction array have the shape and bounds the state keeps? */
static bool
pct_same_shape(const PctState *st, ArrayType *arr)
{
	return ARR_NDIM(arr) == st->shape.ndim &&
		memcmp(ARR_DIMS(arr), st->shape.dims, sizeof(int32) * st->shape.ndim) == 0 &&
		memcmp(ARR_LBOUND(arr), st->shape.lbs, sizeof(int32) * st->shape.ndim) == 0;
}

/* Do two states ask the same question (kind, form, fractions and shape)? */
static bool
pct_same_question(const PctState *a, const PctState *b)
{
	return a->kind == b->kind && a->multi == b->multi && a->pnull == b->pnull &&
		a->npct == b->npct &&
		(a->npct == 0 || memcmp(a->pcts, b->pcts, sizeof(double) * a->npct) == 0) &&
		memcmp(&a->shape, &b->shape, sizeof(CxPctShape)) == 0;
}

/* Copy the question (fractions and shape) of one state into a new one. */
static void
pct_copy_question(PctState *dst, const PctState *src)
{
	dst->pnull = src->pnull;
	if (src->npct > 0)
		memcpy(dst->pcts, src->pcts, sizeof(double) * src->npct);
	dst->shape = src->shape;
}

/* Common transition work for the array forms: the state to append to. */
static PctState *
pct_trans_multi(FunctionCallInfo fcinfo, int32 kind)
{
	PctState   *st = PG_ARGISNULL(0) ? NULL : (PctState *) PG_GETARG_POINTER(0);
	Datum		pd;

	if (PG_ARGISNULL(2))
	{
		/* a NULL array gives NULL, as percentile_cont's does */
		if (st == NULL)
		{
			st = pct_state_new(pct_agg_context(fcinfo), kind, true, 0);
			st->pnull = true;
		}
		else if (!st->pnull)
			pct_same_fractions_error();
		return st;
	}
	if (st != NULL && st->pnull)
		pct_same_fractions_error();
	pd = PG_GETARG_DATUM(2);
	if (st == NULL)
	{
		st = pct_state_from_array(fcinfo, kind, DatumGetArrayTypeP(pd));
		st->pdatum = pd;
		st->pconst = pct_arg_is_const(fcinfo, 1);
	}
	else if (!st->pconst || pd != st->pdatum)
	{
		/*
		 * Compare contents: only a constant array is the same datum on every
		 * row (a computed one may be rebuilt at the same address with other
		 * fractions).
		 */
		ArrayType  *arr = DatumGetArrayTypeP(pd);
		Datum	   *elems;
		bool	   *nulls;
		int			n,
					i;

		deconstruct_array(arr, FLOAT8OID, sizeof(float8), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE,
						  &elems, &nulls, &n);
		if (n != st->npct || (n > 0 && !pct_same_shape(st, arr)))
			pct_same_fractions_error();
		for (i = 0; i < n; i++)
			if (nulls[i] != isnan(st->pcts[i]) ||
				(!nulls[i] && DatumGetFloat8(elems[i]) != st->pcts[i]))
				pct_same_fractions_error();
	}
	return st;
}

/* Append a double to the state. */
static inline void
pct_push_float8(PctState *st, double x)
{
	if (unlikely(isnan(x) || isinf(x)))
		cx_check_float_finite(x, "cycle time");
	if (unlikely(st->n >= st->cap))
		pct_reserve(st, st->n + 1);
	((double *) PCT_VALUES(st))[st->n++] = x;
	st->total++;
}

/* Append an interval to the state. */
static inline void
pct_push_interval(PctState *st, const Interval *x)
{
	cx_check_interval_finite(x, "cycle time");
	if (unlikely(st->n >= st->cap))
		pct_reserve(st, st->n + 1);
	((Interval *) PCT_VALUES(st))[st->n++] = *x;
	st->total++;
}

/* The transition work of every form; kind and multi are constants per caller. */
static inline Datum
pct_trans(FunctionCallInfo fcinfo, int32 kind, bool multi)
{
	PctState   *st;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_POINTER(PG_GETARG_POINTER(0));
	}
	st = multi ? pct_trans_multi(fcinfo, kind) : pct_trans_scalar(fcinfo, kind);
	if (st->pnull)
		PG_RETURN_POINTER(st);	/* the answer is NULL: keep no values */
	if (kind == PCT_KIND_FLOAT8)
		pct_push_float8(st, PG_GETARG_FLOAT8(1));
	else
		pct_push_interval(st, PG_GETARG_INTERVAL_P(1));
	PG_RETURN_POINTER(st);
}

/* cx.percentile(float8, float8) transition. */
Datum
cx_pct_float8_trans(PG_FUNCTION_ARGS)
{
	return pct_trans(fcinfo, PCT_KIND_FLOAT8, false);
}

/* cx.percentile(float8, float8[]) transition. */
Datum
cx_pct_float8_trans_multi(PG_FUNCTION_ARGS)
{
	return pct_trans(fcinfo, PCT_KIND_FLOAT8, true);
}

/* cx.percentile(interval, float8) transition. */
Datum
cx_pct_interval_trans(PG_FUNCTION_ARGS)
{
	return pct_trans(fcinfo, PCT_KIND_INTERVAL, false);
}

/* cx.percentile(interval, float8[]) transition. */
Datum
cx_pct_interval_trans_multi(PG_FUNCTION_ARGS)
{
	return pct_trans(fcinfo, PCT_KIND_INTERVAL, true);
}

/* Error for combining states that ask different questions. */
static void
pct_combine_mismatch(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("cannot combine percentile states with different fractions"),
			 errhint("Pass the fraction as a constant, e.g. cx.percentile(x, 0.9).")));
}

/* Combine two states (parallel workers): adopt or copy the second's values. */
Datum
cx_pct_combine(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = pct_agg_context(fcinfo);
	PctState   *a = PG_ARGISNULL(0) ? NULL : (PctState *) PG_GETARG_POINTER(0);
	PctState   *b = PG_ARGISNULL(1) ? NULL : (PctState *) PG_GETARG_POINTER(1);
	bool		owned;
	int			i;

	if (b == NULL)
	{
		if (a == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(a);
	}
	/* a state deserialized into our context is ours to take over */
	owned = GetMemoryChunkContext(b) == ctx;
	if (a == NULL)
	{
		if (owned)
			PG_RETURN_POINTER(b);
		a = pct_state_new(ctx, b->kind, b->multi, b->npct);
		pct_copy_question(a, b);
	}
	if (!pct_same_question(a, b))
		pct_combine_mismatch();
	pct_add_run(a, PCT_VALUES(b), b->n, owned, NULL);
	for (i = 0; i < b->nseg; i++)
		pct_add_run(a, b->segs[i].data, b->segs[i].n, owned, b->segs[i].watch);
	PG_RETURN_POINTER(a);
}

/* Bytes per value on the wire for a kind and flags. */
static inline Size
pct_wire_size(int32 kind, int32 flags)
{
	return cxpct_wire_size(kind, flags);
}

/* Write n values of a state in a wire layout (values only, no header). */
static void
pct_encode(const PctState *st, int32 layout, char *w)
{
	cxpct_encode(st->kind, layout, PCT_VALUES(st), st->n, w);
}

/* Read n values in a wire layout into the state's buffer (which holds n). */
static void
pct_decode(PctState *st, int32 layout, const char *r, int64 n)
{
	cxpct_decode(st->kind, layout, r, n, PCT_VALUES(st));
}

/*
 * Parallel transfer through shared memory.
 *
 * A partial state is one row sent from a worker to the leader; PostgreSQL
 * copies that row several times on the way (tuple form, queue buffer, the
 * leader's copies), each into fresh memory.  For large states the worker
 * instead writes its values once into the query's shared memory area (the
 * DSA area every parallel query has, es_query_dsa) and sends only a
 * reference; the leader's deserialize copies them out and frees the chunk.
 * The area lives until the Gather node is shut down, after the Finalize
 * Aggregate above it has read every row.  The leader finds it by walking
 * the Finalize Aggregate's plan subtree for the Gather (or Gather Merge)
 * whose worker plan the reference names.
 */
#define PCT_SHARED_MIN_BYTES	(64 * 1024)	/* smaller states use the tuple */

/*
 * Follows the header and fractions of a serialized state in shared form.
 * The chunk starts with the same token, which the leader checks and clears
 * before it frees the chunk: a reference read twice (a plan that replays
 * the rows it gathered) or to a chunk gone with its area is an error, never
 * a read of someone else's memory.
 */
typedef struct PctSharedRef
{
	dsa_pointer dp;				/* [token][values in the wire layout] */
	int64		bytes;			/* size of the values */
	uint64		token;			/* unique per chunk */
	int32		node_id;		/* worker: plan node id of the Gather's child */
	int32		reserved;
	uint64		area_tag;		/* leader itself: address of its dsa_area */
} PctSharedRef;

bool		cx_shared_transfer = true;	/* cx.shared_transfer */

/* Could /dev/shm take this many more bytes (with room to spare)? */
static bool
pct_shm_room(Size bytes)
{
#ifdef __linux__
	struct statvfs sv;

	if (dynamic_shared_memory_type != DSM_IMPL_POSIX)
		return false;
	if (statvfs("/dev/shm", &sv) != 0)
		return false;
	return (double) sv.f_bavail * (double) sv.f_frsize >= 4.0 * (double) bytes + 64.0 * 1024 * 1024;
#else
	return false;
#endif
}

/* A token no other chunk of this cluster's recent past carries. */
static uint64
pct_next_token(void)
{
	static uint64 counter = 0;
	uint64		t = ((uint64) MyProcPid << 40) ^ (uint64) GetCurrentTimestamp() ^ (++counter << 20);

	/* zero marks a consumed chunk */
	return t == 0 ? 1 : t;
}

/* Search state for the Gather whose area holds a shared-form state. */
typedef struct PctAreaSearch
{
	int32		node_id;
	uint64		area_tag;
	ParallelExecutorInfo *found;
} PctAreaSearch;

static bool
pct_area_walker(PlanState *ps, void *arg)
{
	PctAreaSearch *s = (PctAreaSearch *) arg;
	ParallelExecutorInfo *pei = NULL;

	if (ps == NULL)
		return false;
	if (IsA(ps, GatherState))
		pei = ((GatherState *) ps)->pei;
	else if (IsA(ps, GatherMergeState))
		pei = ((GatherMergeState *) ps)->pei;
	else
		return planstate_tree_walker(ps, pct_area_walker, arg);
	if (pei != NULL && pei->area != NULL &&
		((s->node_id >= 0 && outerPlanState(ps) != NULL &&
		  outerPlanState(ps)->plan->plan_node_id == s->node_id) ||
		 (s->area_tag != 0 && (uint64) (uintptr_t) pei->area == s->area_tag)))
	{
		s->found = pei;
		return true;
	}
	/* nothing below a Gather runs in this query's other workers */
	return false;
}

/*
 * Try to leave a state's values in the query's shared memory area; returns
 * the small bytea that refers to them, or NULL to send them in the tuple.
 */
static bytea *
pct_serialize_shared(FunctionCallInfo fcinfo, PctState *st, int32 layout, Size bytes)
{
	AggState   *agg;
	EState	   *estate;
	dsa_area   *area;
	dsa_pointer dp;
	PctSharedRef ref;
	bytea	   *out;
	char	   *dst;

	if (!cx_shared_transfer || bytes < PCT_SHARED_MIN_BYTES ||
		fcinfo->context == NULL || !IsA(fcinfo->context, AggState))
		return NULL;
	agg = (AggState *) fcinfo->context;
	estate = agg->ss.ps.state;
	area = estate->es_query_dsa;
	if (area == NULL || !pct_shm_room(bytes))
		return NULL;
	dp = dsa_allocate_extended(area, sizeof(uint64) + bytes, DSA_ALLOC_HUGE | DSA_ALLOC_NO_OOM);
	if (!DsaPointerIsValid(dp))
		return NULL;
	dst = dsa_get_address(area, dp);
	cx_prefault(dst, sizeof(uint64) + bytes);
	pct_encode(st, layout, dst + sizeof(uint64));

	memset(&ref, 0, sizeof(ref));
	ref.dp = dp;
	ref.bytes = (int64) bytes;
	ref.token = pct_next_token();
	memcpy(dst, &ref.token, sizeof(uint64));
	if (IsParallelWorker())
	{
		ref.node_id = estate->es_plannedstmt->planTree->plan_node_id;
		ref.area_tag = 0;
	}
	else
	{
		ref.node_id = -1;
		ref.area_tag = (uint64) (uintptr_t) area;
	}
	out = (bytea *) palloc(st->hdrlen + sizeof(ref));
	memcpy(out, st->buf, st->hdrlen);
	memcpy((char *) out + st->hdrlen, &ref, sizeof(ref));
	SET_VARSIZE(out, st->hdrlen + sizeof(ref));
	return out;
}

/*
 * Serialize a state into bytea (parallel workers to leader), intervals in
 * their narrowest layout.  Large states go through shared memory (above);
 * otherwise the header room of the state's buffer is filled in and the image
 * copied once into the current memory context (where the executor wants it).
 */
Datum
cx_pct_serialize(PG_FUNCTION_ARGS)
{
	PctState   *st = (PctState *) PG_GETARG_POINTER(0);
	PctSerialHeader hdr;
	Size		len,
				wsz;
	bytea	   *out;
	int32		layout = 0;

	if (!AggCheckCallContext(fcinfo, NULL))
		cx_not_in_aggregate(fcinfo, "cx.percentile or cx.percentile_disc");
	pct_flatten(st);
	if (st->buf == NULL)
		pct_reserve(st, 1);
	if (st->kind == PCT_KIND_INTERVAL)
		layout = cxpct_interval_layout((const CxInterval *) PCT_VALUES(st), st->n);
	wsz = pct_wire_size(st->kind, layout);
	len = st->hdrlen + st->n * wsz;
	hdr.version = PCT_SERIAL_VERSION;
	hdr.kind = st->kind;
	hdr.flags = (st->multi ? PCT_FLAG_MULTI : 0) | (st->pnull ? PCT_FLAG_PNULL : 0) | layout;
	hdr.npct = st->npct;
	hdr.n = st->n;
	hdr.shape = st->shape;
	hdr.reserved = 0;
	memset(st->buf, 0, st->hdrlen);
	if (st->npct > 0)
		memcpy(st->buf + VARHDRSZ + sizeof(hdr), st->pcts, st->npct * sizeof(double));

	hdr.flags |= PCT_FLAG_SHARED;
	memcpy(st->buf + VARHDRSZ, &hdr, sizeof(hdr));
	out = pct_serialize_shared(fcinfo, st, layout, st->n * wsz);
	if (out != NULL)
		PG_RETURN_BYTEA_P(out);
	hdr.flags &= ~PCT_FLAG_SHARED;
	memcpy(st->buf + VARHDRSZ, &hdr, sizeof(hdr));

	out = (bytea *) MemoryContextAllocHuge(CurrentMemoryContext, len);
	cx_advise_fresh(out, len);
	memcpy(out, st->buf, st->hdrlen);
	pct_encode(st, layout, (char *) out + st->hdrlen);
	SET_VARSIZE(out, len);
	PG_RETURN_BYTEA_P(out);
}

/* Error for a malformed serialized state. */
static void
pct_bad_serial(const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid serialized percentile state"),
			 errdetail("%s", detail)));
}

static PctAreaWatch *pct_watches = NULL;

/* Drop one reference to a watch; the last one frees it. */
static void
pct_watch_release(PctAreaWatch *w)
{
	PctAreaWatch **p;

	if (--w->refs > 0)
		return;
	for (p = &pct_watches; *p != NULL; p = &(*p)->next)
		if (*p == w)
		{
			*p = w->next;
			break;
		}
	pfree(w);
}

/* on_dsm_detach callback: the parallel query's shared memory is gone. */
static void
pct_watch_detach(dsm_segment *seg pg_attribute_unused(), Datum arg)
{
	PctAreaWatch *w = (PctAreaWatch *) DatumGetPointer(arg);

	w->alive = false;
	pct_watch_release(w);
}

/* The watch of a parallel context's segment, with one more reference. */
static PctAreaWatch *
pct_watch(dsm_segment *seg)
{
	PctAreaWatch *w;

	for (w = pct_watches; w != NULL; w = w->next)
		if (w->seg == seg && w->alive)
			break;
	if (w == NULL)
	{
		w = MemoryContextAllocZero(TopMemoryContext, sizeof(PctAreaWatch));
		w->seg = seg;
		w->alive = true;
		w->refs = 1;
		w->next = pct_watches;
		pct_watches = w;
		on_dsm_detach(seg, pct_watch_detach, PointerGetDatum(w));
	}
	w->refs++;
	return w;
}

/* A chunk of shared memory a state reads from, freed with the state. */
typedef struct PctSharedChunk
{
	PctAreaWatch *watch;
	dsa_area   *area;
	dsa_pointer dp;
	MemoryContextCallback cb;
} PctSharedChunk;

/* Memory context callback: free the chunk if its area is still there. */
static void
pct_chunk_release(void *arg)
{
	PctSharedChunk *c = (PctSharedChunk *) arg;

	if (c->watch->alive)
	{
		uint64		zero = 0;

		memcpy(dsa_get_address(c->area, c->dp), &zero, sizeof(zero));
		dsa_free(c->area, c->dp);
	}
	pct_watch_release(c->watch);
}

/*
 * The values of a shared-form state: found and checked.  Values in the
 * in-memory layout are used where they lie (an adopted run); narrower
 * interval layouts are decoded into the state's buffer.  Either way the
 * chunk is freed when the aggregate's memory is reset, if the Gather has
 * not already dropped the whole area.
 */
static void
pct_deserialize_shared(FunctionCallInfo fcinfo, MemoryContext ctx, PctState *st,
					   int32 layout, int64 n, const char *refp, Size reflen)
{
	PctSharedRef ref;
	PctAreaSearch search;
	AggState   *agg;
	ParallelExecutorInfo *pei;
	PctSharedChunk *c;
	char	   *src;
	uint64		token;

	if (reflen != sizeof(ref))
		pct_bad_serial("The shared-memory reference has the wrong length.");
	memcpy(&ref, refp, sizeof(ref));
	if (ref.bytes != n * (int64) pct_wire_size(st->kind, layout) ||
		!DsaPointerIsValid(ref.dp) || (ref.node_id < 0 && ref.area_tag == 0))
		pct_bad_serial("The shared-memory reference does not match the number of values.");
	if (fcinfo->context == NULL || !IsA(fcinfo->context, AggState))
		pct_bad_serial("A shared-memory state can only be read by the aggregate that gathers it.");
	agg = (AggState *) fcinfo->context;
	search.node_id = ref.node_id;
	search.area_tag = ref.area_tag;
	search.found = NULL;
	(void) planstate_tree_walker(&agg->ss.ps, pct_area_walker, &search);
	pei = search.found;
	if (pei == NULL || pei->pcxt == NULL || pei->pcxt->seg == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("the shared memory of a parallel percentile state is gone"),
				 errdetail("No Gather node below the aggregate holds the state's shared memory area."),
				 errhint("Run the query with SET cx.shared_transfer = off, and report the plan.")));
	src = dsa_get_address(pei->area, ref.dp);
	memcpy(&token, src, sizeof(token));
	if (token != ref.token || token == 0)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("the shared memory of a parallel percentile state was already released"),
				 errdetail("The plan read a gathered partial state after the aggregate had finished with it."),
				 errhint("Run the query with SET cx.shared_transfer = off, and report the plan.")));
	cx_prefault_read(src, sizeof(uint64) + (Size) ref.bytes);

	c = MemoryContextAlloc(ctx, sizeof(PctSharedChunk));
	c->watch = pct_watch(pei->pcxt->seg);
	c->area = pei->area;
	c->dp = ref.dp;
	c->cb.func = pct_chunk_release;
	c->cb.arg = c;
	MemoryContextRegisterResetCallback(ctx, &c->cb);

	if (layout == 0)
		pct_add_run(st, src + sizeof(uint64), n, true, c->watch);
	else
	{
		pct_reserve(st, Max(n, 1));
		pct_decode(st, layout, src + sizeof(uint64), n);
		st->n = st->total = n;
	}
	/* tells the tests that this version's plans take the shared-memory path */
	elog(DEBUG1, "cx_metrics: partial percentile state of " INT64_FORMAT " values read from shared memory",
		 (int64) n);
}

/* Deserialize a state, validating every field, into the aggregate context. */
Datum
cx_pct_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *in = PG_GETARG_BYTEA_PP(0);
	const char *p = VARDATA_ANY(in);
	Size		len = VARSIZE_ANY_EXHDR(in);
	PctSerialHeader hdr;
	PctState   *st;
	size_t		head;
	int32		layout;
	bool		shared;
	MemoryContext ctx;
	const char *why = NULL;

	if (!cxpct_check_state(p, len, &hdr, &layout, &head, &why))
		pct_bad_serial(why);
	shared = (hdr.flags & PCT_FLAG_SHARED) != 0;
	ctx = pct_agg_context(fcinfo);
	st = pct_state_new(ctx, hdr.kind, (hdr.flags & PCT_FLAG_MULTI) != 0, hdr.npct);
	st->pnull = (hdr.flags & PCT_FLAG_PNULL) != 0;
	st->shape = hdr.shape;
	cxpct_fractions(p, hdr.npct, st->pcts);
	if (shared)
		pct_deserialize_shared(fcinfo, ctx, st, layout, hdr.n, p + head, len - head);
	else
	{
		/* one copy (or decoding) of the values: buf gets the in-memory layout */
		pct_reserve(st, Max(hdr.n, 1));
		pct_decode(st, layout, p + head, hdr.n);
		st->n = st->total = hdr.n;
	}
	PG_RETURN_POINTER(st);
}

/* Memory callbacks for select_core.c. */
static void *
pct_alloc(size_t size, void *arg pg_attribute_unused())
{
	void	   *p = MemoryContextAllocHuge(CurrentMemoryContext, size);

	cx_advise_fresh(p, size);
	return p;
}

static void
pct_release(void *ptr, void *arg pg_attribute_unused())
{
	pfree(ptr);
}

static const CxSelAlloc pct_mem = {pct_alloc, pct_release, NULL};

/* One requested rank: which fraction it serves, and how. */
typedef struct PctRank
{
	int64		first;			/* 0-based rank of the lower value */
	int64		second;			/* 0-based rank of the upper value */
	double		proportion;		/* interpolation weight of the upper value */
} PctRank;

/* Compare int64 for qsort. */
static int
pct_int64_cmp(const void *a, const void *b)
{
	int64		x = *(const int64 *) a,
				y = *(const int64 *) b;

	return (x > y) - (x < y);
}

/*
 * The ranks percentile_cont (continuous) or percentile_disc needs for each
 * fraction, exactly as PostgreSQL computes them, and the sorted unique list
 * of ranks to select.  NULL fractions get first = -1.
 */
static int
pct_plan(const PctState *st, bool continuous, PctRank *rk, int64 *ranks)
{
	int64		n = st->total;
	int			i,
				m = 0,
				u = 0;

	for (i = 0; i < st->npct; i++)
	{
		double		p = st->pcts[i];

		if (isnan(p))
		{
			rk[i].first = -1;
			continue;
		}
		if (continuous)
		{
			rk[i].first = (int64) floor(p * (n - 1));
			rk[i].second = (int64) ceil(p * (n - 1));
			rk[i].proportion = (p * (n - 1)) - floor(p * (n - 1));
		}
		else
		{
			int64		row = (int64) ceil(p * n);

			rk[i].first = rk[i].second = Max(1, row) - 1;
			rk[i].proportion = 0;
		}
		ranks[m++] = rk[i].first;
		if (rk[i].second != rk[i].first)
			ranks[m++] = rk[i].second;
	}
	qsort(ranks, m, sizeof(int64), pct_int64_cmp);
	for (i = 0; i < m; i++)
		if (u == 0 || ranks[i] != ranks[u - 1])
			ranks[u++] = ranks[i];
	return u;
}

/* Index of rank r in the sorted unique list. */
static int
pct_find(const int64 *ranks, int m, int64 r)
{
	int			lo = 0,
				hi = m - 1;

	while (lo < hi)
	{
		int			mid = (lo + hi) / 2;

		if (ranks[mid] < r)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Select the values at the unique ranks; out has room for m values. */
static void
pct_select(PctState *st, const int64 *ranks, int m, void *out)
{
	CxSelSeg   *segs = palloc(sizeof(CxSelSeg) * (st->nseg + 1));
	int			nseg = 0,
				i,
				rc;

	if (st->n > 0)
	{
		segs[nseg].data = PCT_VALUES(st);
		segs[nseg++].n = st->n;
	}
	for (i = 0; i < st->nseg; i++)
	{
		if (st->segs[i].watch != NULL && !st->segs[i].watch->alive)
			ereport(ERROR,
					(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
					 errmsg("the shared memory of a parallel percentile state is gone"),
					 errdetail("The plan finished the aggregate after its Gather node had shut down."),
					 errhint("Run the query with SET cx.shared_transfer = off, and report the plan.")));
		segs[nseg].data = st->segs[i].data;
		segs[nseg++].n = st->segs[i].n;
	}
	if (st->kind == PCT_KIND_FLOAT8)
		rc = cxsel_double(segs, nseg, ranks, m, out, &pct_mem);
	else
		rc = cxsel_interval(segs, nseg, ranks, m, out, &pct_mem);
	if (rc != 0)
		elog(ERROR, "out of memory selecting percentiles");
	pfree(segs);
}

/* Interpolate two intervals exactly as percentile_cont does. */
static Datum
pct_interval_lerp(const Interval *lo, const Interval *hi, double pct)
{
	Datum		diff = DirectFunctionCall2(interval_mi, IntervalPGetDatum(hi),
										   IntervalPGetDatum(lo));
	Datum		mul = DirectFunctionCall2(interval_mul, diff, Float8GetDatum(pct));

	return DirectFunctionCall2(interval_pl, mul, IntervalPGetDatum(lo));
}

/* Compute every requested percentile as Datums; nulls[i] for NULL fractions. */
static void
pct_compute(PctState *st, bool continuous, Datum *res, bool *nulls)
{
	PctRank    *rk = palloc(sizeof(PctRank) * st->npct);
	int64	   *ranks = palloc(sizeof(int64) * st->npct * 2);
	int			m = pct_plan(st, continuous, rk, ranks),
				i;
	char	   *vals = palloc(pct_elem_size(st->kind) * Max(m, 1));

	pct_select(st, ranks, m, vals);
	for (i = 0; i < st->npct; i++)
	{
		int			a,
					b;

		nulls[i] = rk[i].first < 0;
		if (nulls[i])
			continue;
		a = pct_find(ranks, m, rk[i].first);
		b = pct_find(ranks, m, rk[i].second);
		if (st->kind == PCT_KIND_FLOAT8)
		{
			double		lo = ((double *) vals)[a],
						hi = ((double *) vals)[b];

			res[i] = Float8GetDatum(rk[i].second > rk[i].first ?
									lo + (rk[i].proportion * (hi - lo)) : lo);
		}
		else
		{
			Interval   *lo = &((Interval *) vals)[a],
					   *hi = &((Interval *) vals)[b];

			if (rk[i].second > rk[i].first)
				res[i] = pct_interval_lerp(lo, hi, rk[i].proportion);
			else
			{
				Interval   *r = palloc(sizeof(Interval));

				*r = *lo;
				res[i] = IntervalPGetDatum(r);
			}
		}
	}
}

/* The state to finish, or NULL when the answer is NULL. */
static PctState *
pct_final_state(FunctionCallInfo fcinfo)
{
	PctState   *st;

	if (!AggCheckCallContext(fcinfo, NULL))
		cx_not_in_aggregate(fcinfo, "cx.percentile or cx.percentile_disc");
	if (PG_ARGISNULL(0))
		return NULL;
	st = (PctState *) PG_GETARG_POINTER(0);
	if (st->total == 0 || st->pnull)
		return NULL;
	return st;
}

/* Final function of the scalar forms. */
static Datum
pct_final_scalar(FunctionCallInfo fcinfo, bool continuous)
{
	PctState   *st = pct_final_state(fcinfo);
	Datum		res;
	bool		isnull;

	if (st == NULL)
		PG_RETURN_NULL();
	pct_compute(st, continuous, &res, &isnull);
	PG_RETURN_DATUM(res);
}

/* Final function of the array forms: an array with NULL for NULL fractions. */
static Datum
pct_final_multi(FunctionCallInfo fcinfo, bool continuous)
{
	PctState   *st = pct_final_state(fcinfo);
	Datum	   *res;
	bool	   *nulls;
	Oid			typ;
	int16		typlen;
	bool		typbyval;
	char		typalign;

	if (st == NULL)
		PG_RETURN_NULL();
	res = palloc0(sizeof(Datum) * Max(st->npct, 1));
	nulls = palloc0(sizeof(bool) * Max(st->npct, 1));
	pct_compute(st, continuous, res, nulls);
	typ = st->kind == PCT_KIND_FLOAT8 ? FLOAT8OID : INTERVALOID;
	get_typlenbyvalalign(typ, &typlen, &typbyval, &typalign);
	if (st->npct == 0)
		PG_RETURN_ARRAYTYPE_P(construct_empty_array(typ));
	/* the shape and bounds of the fraction array, as percentile_cont keeps them */
	PG_RETURN_ARRAYTYPE_P(construct_md_array(res, nulls, st->shape.ndim, st->shape.dims, st->shape.lbs, typ,
											 typlen, typbyval, typalign));
}

Datum
cx_pct_float8_cont_final(PG_FUNCTION_ARGS)
{
	return pct_final_scalar(fcinfo, true);
}

Datum
cx_pct_float8_disc_final(PG_FUNCTION_ARGS)
{
	return pct_final_scalar(fcinfo, false);
}

Datum
cx_pct_interval_cont_final(PG_FUNCTION_ARGS)
{
	return pct_final_scalar(fcinfo, true);
}

Datum
cx_pct_interval_disc_final(PG_FUNCTION_ARGS)
{
	return pct_final_scalar(fcinfo, false);
}

Datum
cx_pct_float8_cont_multi_final(PG_FUNCTION_ARGS)
{
	return pct_final_multi(fcinfo, true);
}

Datum
cx_pct_float8_disc_multi_final(PG_FUNCTION_ARGS)
{
	return pct_final_multi(fcinfo, false);
}

Datum
cx_pct_interval_cont_multi_final(PG_FUNCTION_ARGS)
{
	return pct_final_multi(fcinfo, true);
}

Datum
cx_pct_interval_disc_multi_final(PG_FUNCTION_ARGS)
{
	return pct_final_multi(fcinfo, false);
}

/* Reject a share_within state that no cx.share_within aggregate can have built. */
static pg_noinline void
share_bad_state(const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid cx.share_within state"),
			 errdetail("%s", detail),
			 errhint("The state is bigint[2] = {items, items within the limit}, starting at {0,0}.")));
}

/* The two counters of a share_within state, after checking its shape and values. */
static int64 *
share_counts(ArrayType *arr)
{
	int64	   *c;

	if (ARR_NDIM(arr) != 1 || ARR_DIMS(arr)[0] != 2 || ARR_HASNULL(arr) ||
		ARR_ELEMTYPE(arr) != INT8OID)
		share_bad_state("The state must be a one-dimensional bigint array of two non-null elements.");
	c = (int64 *) ARR_DATA_PTR(arr);
	if (c[0] < 0 || c[1] < 0 || c[1] > c[0])
		share_bad_state("The counts must satisfy 0 <= within <= items.");
	return c;
}

/* Raise the error for a share_within count that no longer fits in a bigint. */
static pg_noinline void
share_overflow(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("cx.share_within count out of range"),
			 errdetail("The number of items does not fit in a bigint.")));
}

/*
 * cx.share_within: the state is bigint[2] = {items, items within the limit},
 * updated in place inside the aggregate.
 */
static ArrayType *
share_state(FunctionCallInfo fcinfo)
{
	ArrayType  *arr;

	if (AggCheckCallContext(fcinfo, NULL))
		arr = PG_GETARG_ARRAYTYPE_P(0);
	else
		arr = PG_GETARG_ARRAYTYPE_P_COPY(0);
	(void) share_counts(arr);
	return arr;
}

/* Count one item (within the limit or not). */
static inline void
share_count(int64 *c, bool within)
{
	if (unlikely(c[0] == PG_INT64_MAX))
		share_overflow();
	c[0]++;
	c[1] += within;
}

/* cx.share_within(float8, float8) transition (STRICT: NULL rows are skipped). */
Datum
cx_share_within_float8(PG_FUNCTION_ARGS)
{
	ArrayType  *arr = share_state(fcinfo);
	int64	   *c = (int64 *) ARR_DATA_PTR(arr);
	double		x = PG_GETARG_FLOAT8(1),
				limit = PG_GETARG_FLOAT8(2);

	if (unlikely(isnan(x) || isinf(x)))
		cx_check_float_finite(x, "cycle time");
	if (unlikely(isnan(limit) || isinf(limit)))
		cx_check_float_finite(limit, "limit");
	share_count(c, x <= limit);
	PG_RETURN_ARRAYTYPE_P(arr);
}

/* cx.share_within(interval, interval) transition (STRICT: NULL rows are skipped). */
Datum
cx_share_within_interval(PG_FUNCTION_ARGS)
{
	ArrayType  *arr = share_state(fcinfo);
	int64	   *c = (int64 *) ARR_DATA_PTR(arr);
	Interval   *x = PG_GETARG_INTERVAL_P(1),
			   *limit = PG_GETARG_INTERVAL_P(2);

	cx_check_interval_finite(x, "cycle time");
	cx_check_interval_finite(limit, "limit");
	share_count(c, cxsel_interval_key((CxInterval *) x) <= cxsel_interval_key((CxInterval *) limit));
	PG_RETURN_ARRAYTYPE_P(arr);
}

/* Combine two share_within states. */
Datum
cx_share_within_combine(PG_FUNCTION_ARGS)
{
	ArrayType  *a = share_state(fcinfo);
	int64	   *ca = (int64 *) ARR_DATA_PTR(a);
	int64	   *cb = share_counts(PG_GETARG_ARRAYTYPE_P(1));

	if (pg_add_s64_overflow(ca[0], cb[0], &ca[0]) ||
		pg_add_s64_overflow(ca[1], cb[1], &ca[1]))
		share_overflow();
	PG_RETURN_ARRAYTYPE_P(a);
}

/* The share of items within the limit; NULL without items. */
Datum
cx_share_within_final(PG_FUNCTION_ARGS)
{
	int64	   *c = share_counts(PG_GETARG_ARRAYTYPE_P(0));

	if (c[0] == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8((double) c[1] / (double) c[0]);
}
