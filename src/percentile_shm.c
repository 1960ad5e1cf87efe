/*
 * percentile_shm.c — parallel transfer of large exact percentile states
 * through the query's shared memory, and its setting cx.shared_transfer.
 *
 * A partial state is one row sent from a worker to the leader; PostgreSQL
 * copies that row several times on the way (tuple form, queue buffer, the
 * leader's copies), each into fresh memory.  For large states the worker
 * instead writes its values once into the query's shared memory area (the
 * DSA area every parallel query has, es_query_dsa) and sends only a
 * reference; the leader's deserialize adopts them where they lie (or
 * decodes a narrower layout into its own chunks) and frees the chunk when
 * the aggregate's memory is reset.  The area lives until the Gather node is
 * shut down, after the Finalize Aggregate above it has read every row.  The
 * leader finds it by walking the Finalize Aggregate's plan subtree for the
 * Gather (or Gather Merge) whose worker plan the reference names.
 */
#include "percentile.h"

#ifdef __linux__
#include <sys/statvfs.h>
#endif

#include "access/parallel.h"
#include "executor/execParallel.h"
#include "miscadmin.h"
#include "nodes/execnodes.h"
#include "nodes/nodeFuncs.h"
#include "storage/dsm.h"
#include "storage/dsm_impl.h"
#include "utils/dsa.h"
#include "utils/guc.h"
#include "utils/memutils.h"

/*
 * The leader's view of a parallel query's shared memory: alive until the
 * Gather node detaches it.  Reference counted (the segment while attached,
 * plus each chunk read from it), kept in TopMemoryContext.
 */
struct PctAreaWatch
{
	dsm_segment *seg;
	bool		alive;
	int			refs;
	struct PctAreaWatch *next;
};

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

static bool cx_shared_transfer = true;	/* cx.shared_transfer */

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
 * the small bytea (head, headlen bytes of header and fractions, then the
 * reference) that refers to them, or NULL to send them in the tuple.
 */
bytea *
pct_serialize_shared(FunctionCallInfo fcinfo, PctState *st, const char *head, Size headlen,
					 int32 layout, Size bytes)
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
	pct_write_values(st, layout, dst + sizeof(uint64));

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
	out = (bytea *) palloc(headlen + sizeof(ref));
	memcpy(out, head, headlen);
	memcpy((char *) out + headlen, &ref, sizeof(ref));
	SET_VARSIZE(out, headlen + sizeof(ref));
	return out;
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
void
pct_deserialize_shared(FunctionCallInfo fcinfo, PctState *st, int32 layout, int64 n,
					   const char *refp, Size reflen)
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
	if (ref.bytes != n * (int64) cxpct_wire_size(st->kind, layout) ||
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

	c = MemoryContextAlloc(st->ctx, sizeof(PctSharedChunk));
	c->watch = pct_watch(pei->pcxt->seg);
	c->area = pei->area;
	c->dp = ref.dp;
	c->cb.func = pct_chunk_release;
	c->cb.arg = c;
	MemoryContextRegisterResetCallback(st->ctx, &c->cb);

	if (layout == 0)
		pct_adopt_run(st, src + sizeof(uint64), n, c->watch);
	else
		pct_add_encoded(st, layout, src + sizeof(uint64), n);
	/* tells the tests that this version's plans take the shared-memory path */
	elog(DEBUG1, "cx_metrics: partial percentile state of " INT64_FORMAT " values read from shared memory",
		 (int64) n);
}


/* Is the shared memory a run was adopted from still there? */
bool
pct_watch_alive(const PctAreaWatch *w)
{
	return w->alive;
}

/* Define cx.shared_transfer (from _PG_init). */
void
pct_shm_define_settings(void)
{
	DefineCustomBoolVariable("cx.shared_transfer",
							 "Sends large parallel percentile states through shared memory.",
							 "When on, a parallel worker leaves the values of a large exact-percentile "
							 "state in the query's shared memory area and sends the leader a reference, "
							 "instead of sending every value through the tuple queue.",
							 &cx_shared_transfer,
							 true,
							 PGC_USERSET,
							 0,
							 NULL, NULL, NULL);
}
