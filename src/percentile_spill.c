/*
 * percentile_spill.c — where an exact percentile state keeps its values:
 * memory PostgreSQL can see, then a temporary file, and the selection of
 * ranks over both.
 *
 * Memory.  Values go into chunks allocated in the aggregate's memory
 * context (so MemoryContextMemAllocated, which hash aggregation checks
 * against hash_mem, and EXPLAIN ANALYZE's "Memory Usage" count them).  The
 * states of one aggregate context share a pool whose limit is work_mem, the
 * limit PostgreSQL gives one sort or one hash table; percentile_cont's own
 * sort gets the same.
 *
 * Spilling.  When a chunk would take the pool past its limit, the state
 * asking for it (if it holds at least PCT_SPILL_MIN_BYTES; smaller states
 * are left to hash aggregation, which sees them) writes its chunks to a
 * temporary file (BufFile: temp_tablespaces, temp_file_limit and
 * log_temp_files apply, and the file is removed at the end of the query,
 * or by the resource owner on error and cancel) and from then on fills one
 * chunk of PCT_SPILL_CHUNK_BYTES, written out each time it is full.  In
 * memory a GROUP BY then holds at most work_mem plus, per group in memory,
 * one such chunk and the file's buffer (BLCKSZ); hash aggregation limits
 * the number of groups in memory by what it sees.
 *
 * Selection.  A state without a file selects in memory (percentile_select_core.c).
 * A spilled state is read in passes (percentile_spill_core.c) with a
 * budget of work_mem: typically two, one counting key buckets and one
 * collecting the buckets that hold the wanted ranks.
 */
#include "percentile.h"

#include <fcntl.h>

#include "access/parallel.h"
#include "access/xact.h"
#include "executor/executor.h"
#include "miscadmin.h"
#include "storage/buffile.h"
#include "storage/fileset.h"
#include "storage/proc.h"
#include "tcop/pquery.h"
#include "utils/memutils.h"
#include "utils/portal.h"

#define PCT_CHUNK_MIN_BYTES		512
#define PCT_CHUNK_MAX_BYTES		(8 * 1024 * 1024)
/*
 * A state spills once it holds limit / 16 (between 8 kB and 256 kB) and then
 * fills chunks of limit / 64 (the same bounds): with work_mem = 4MB, 256 kB
 * and 64 kB.
 */
#define PCT_SPILL_MIN_BYTES(pool)	Max(BLCKSZ, Min(256 * 1024, (pool)->limit / 16))
#define PCT_SPILL_CHUNK_BYTES(pool) Max(BLCKSZ, Min(256 * 1024, (pool)->limit / 64))
#define PCT_READ_BYTES			(256 * 1024)

/* The memory budget of the states of one aggregate memory context. */
struct PctPool
{
	MemoryContext ctx;
	Size		limit;			/* bytes: work_mem when the pool was made */
	Size		used;			/* bytes of chunks held by the states */
	MemoryContextCallback cb;
	PctPool    *next;
};

/*
 * A temporary file of a state: its own (written as the state grows), or one
 * a parallel worker handed over (read only, in the query's file set).
 */
struct PctSpill
{
	BufFile    *file;
	int64		n;				/* values in the file */
	char		lo[sizeof(CxSpillKey)];	/* smallest and largest key written */
	char		hi[sizeof(CxSpillKey)];	/* (bytes: palloc aligns to 8, keys want 16) */
	bool		reading;		/* the file position is not at its end */
	int			end_fileno;		/* its end, while reading */
	off_t		end_offset;
	bool		in_set;			/* in the query's file set (name below) */
	const FileSet *fs;			/* the leader: the set it is in */
	Portal		portal;			/* the portal running when it was opened, or NULL */
	bool		handed;			/* a worker's file, handed to the leader: kept */
	char		name[CXPCT_FILE_NAME_LEN];
	MemoryContextCallback cb;
	PctSpill   *next;			/* the state's further (handed-over) files */
};

static void pct_set_file_gone(PctSpill *s);
static const FileSet *pct_set_of_worker(void);
static const FileSet *pct_set_of_leader(void);
static void pct_set_worker_made(const char *name);

static PctPool *pct_pools = NULL;

/* Memory context callback: the pool's context is reset or deleted. */
static void
pct_pool_forget(void *arg)
{
	PctPool    *pool = (PctPool *) arg;
	PctPool   **p;

	for (p = &pct_pools; *p != NULL; p = &(*p)->next)
		if (*p == pool)
		{
			*p = pool->next;
			break;
		}
}

/* The pool of an aggregate memory context, made on first use. */
static PctPool *
pct_pool_of(MemoryContext ctx)
{
	PctPool    *pool;

	for (pool = pct_pools; pool != NULL; pool = pool->next)
		if (pool->ctx == ctx)
			return pool;
	pool = MemoryContextAllocZero(ctx, sizeof(PctPool));
	pool->ctx = ctx;
	pool->limit = (Size) work_mem * 1024;
	pool->cb.func = pct_pool_forget;
	pool->cb.arg = pool;
	MemoryContextRegisterResetCallback(ctx, &pool->cb);
	pool->next = pct_pools;
	pct_pools = pool;
	return pool;
}

/* Allocate an empty state in the aggregate context. */
PctState *
pct_state_new(MemoryContext ctx, int32 kind, bool multi, int32 npct)
{
	PctState   *st = MemoryContextAllocZero(ctx, sizeof(PctState));

	st->kind = kind;
	st->multi = multi;
	st->npct = npct;
	st->ctx = ctx;
	st->pool = pct_pool_of(ctx);
	if (npct > 0)
		st->pcts = MemoryContextAlloc(ctx, sizeof(double) * npct);
	return st;
}

/* Add a run to the state's list. */
static void
pct_push_run(PctState *st, char *data, int64 n, Size bytes, PctAreaWatch *watch)
{
	if (st->nrun == st->runcap)
	{
		st->runcap = Max(8, st->runcap * 2);
		st->runs = st->runs == NULL ?
			MemoryContextAlloc(st->ctx, sizeof(PctRun) * st->runcap) :
			repalloc(st->runs, sizeof(PctRun) * st->runcap);
	}
	st->runs[st->nrun].data = data;
	st->runs[st->nrun].n = n;
	st->runs[st->nrun].bytes = bytes;
	st->runs[st->nrun].watch = watch;
	st->nrun++;
}

/* A fresh chunk of bytes as the chunk being filled, charged to the pool. */
static void
pct_new_chunk(PctState *st, Size bytes)
{
	st->cur = MemoryContextAllocHuge(st->ctx, bytes);
	if (bytes >= 64 * 1024)
		cx_advise_fresh(st->cur, bytes);
	st->curbytes = bytes;
	st->cap = (int64) (bytes / pct_elem_size(st->kind));
	st->n = 0;
	st->pool->used += bytes;
}

/* Memory context callback: close the state's file at the end of the query. */
static void
pct_spill_close(void *arg)
{
	PctSpill   *s = (PctSpill *) arg;

	/*
	 * On error the resource owner has closed (and removed) the file, or will;
	 * only a context reset inside a live transaction closes it here.  A
	 * cursor that failed inside a subtransaction since rolled back is
	 * dropped later, in a live transaction, but its resource owner was
	 * released with the subtransaction: its File numbers are stale (and may
	 * name other files by now).
	 */
	if (!IsTransactionState() ||
		(s->portal != NULL && s->portal->status == PORTAL_FAILED))
	{
		s->file = NULL;
		return;
	}
	if (s->file != NULL)
		BufFileClose(s->file);
	s->file = NULL;
	if (s->in_set && !s->handed)
		pct_set_file_gone(s);
}

/* Write n values to the end of the state's own file. */
static void
pct_spill_write(PctState *st, const char *data, int64 n)
{
	PctSpill   *s = st->spill;
	CxSpillKey lo,
				hi;

	if (n <= 0)
		return;
	if (unlikely(s->handed || s->file == NULL))
		elog(ERROR, "percentile state was already sent to the leader");
	if (s->reading)
	{
		if (BufFileSeek(s->file, s->end_fileno, s->end_offset, SEEK_SET) != 0)
			ereport(ERROR,
					(errcode_for_file_access(),
					 errmsg("could not seek in the temporary file of a percentile state")));
		s->reading = false;
	}
	memcpy(&lo, s->lo, sizeof(lo));
	memcpy(&hi, s->hi, sizeof(hi));
	cxspill_key_range(st->kind, data, (size_t) n, &lo, &hi);
	memcpy(s->lo, &lo, sizeof(lo));
	memcpy(s->hi, &hi, sizeof(hi));
	BufFileWrite(s->file, unconstify(char *, data), (size_t) n * pct_elem_size(st->kind));
	s->n += n;
}

/*
 * Start the state's file: write every chunk out, give their memory back to
 * the pool, and keep one chunk to fill.
 */
static void
pct_spill_start(PctState *st)
{
	MemoryContext old = MemoryContextSwitchTo(st->ctx);
	PctSpill   *s = palloc0(sizeof(PctSpill));
	int			i,
				kept = 0;

	if (IsInParallelMode())
	{
		/*
		 * In a parallel query (a worker, or the leader running its share of
		 * the plan) the file goes into the query's file set, so that the
		 * partial state can be sent to the leader as the file.
		 */
		static uint64 counter = 0;
		uint64		token = ((uint64) random() << 32) ^ (uint64) random() ^ (++counter << 48) ^
			(uint64) GetCurrentTimestamp();

		snprintf(s->name, sizeof(s->name), "cxpct.%d.%016llx", MyProcPid, (unsigned long long) token);
		s->in_set = true;
		s->fs = IsParallelWorker() ? pct_set_of_worker() : pct_set_of_leader();
		s->file = BufFileCreateFileSet(unconstify(FileSet *, s->fs), s->name);
		if (IsParallelWorker())
			pct_set_worker_made(s->name);
	}
	else
		s->file = BufFileCreateTemp(false);
	memset(s->lo, 0xff, sizeof(s->lo));	/* empty: lo above hi */
	s->portal = ActivePortal;
	s->cb.func = pct_spill_close;
	s->cb.arg = s;
	MemoryContextRegisterResetCallback(st->ctx, &s->cb);
	MemoryContextSwitchTo(old);
	st->spill = s;

	for (i = 0; i < st->nrun; i++)
	{
		PctRun	   *r = &st->runs[i];

		if (r->bytes == 0)
		{
			st->runs[kept++] = *r;	/* adopted: stays where it is */
			continue;
		}
		pct_spill_write(st, r->data, r->n);
		st->pool->used -= r->bytes;
		pfree(r->data);
	}
	st->nrun = kept;
	pct_new_chunk(st, PCT_SPILL_CHUNK_BYTES(st->pool));
	elog(DEBUG1, "cx_metrics: percentile state of " INT64_FORMAT " values spilled to a temporary file (work_mem %zu kB)",
		 st->total, st->pool->limit / 1024);
}

/* Bytes of chunks the state holds. */
static Size
pct_own_bytes(const PctState *st)
{
	Size		bytes = st->curbytes;
	int			i;

	for (i = 0; i < st->nrun; i++)
		bytes += st->runs[i].bytes;
	return bytes;
}

/*
 * Make room for at least one more value in the chunk being filled: write a
 * full chunk of a spilled state out, or keep it and take a new one (twice
 * the size, up to PCT_CHUNK_MAX_BYTES), spilling the state when the pool
 * has no room for it.
 */
void
pct_grow(PctState *st)
{
	Size		want;

	if (st->spill != NULL && st->cur != NULL)
	{
		pct_spill_write(st, st->cur, st->n);
		st->n = 0;
		return;
	}
	if (st->spill != NULL)
	{
		pct_new_chunk(st, PCT_SPILL_CHUNK_BYTES(st->pool));
		return;
	}
	want = st->curbytes == 0 ? PCT_CHUNK_MIN_BYTES : Min(st->curbytes * 2, PCT_CHUNK_MAX_BYTES);
	if (st->cur != NULL)
	{
		pct_push_run(st, st->cur, st->n, st->curbytes, NULL);
		st->cur = NULL;
		st->n = st->cap = 0;
	}
	if (st->pool->used + want > st->pool->limit && pct_own_bytes(st) + want >= PCT_SPILL_MIN_BYTES(st->pool))
	{
		st->curbytes = 0;
		pct_spill_start(st);
		return;
	}
	pct_new_chunk(st, want);
}

/* Append n values in a wire layout (decoding them into the chunks). */
void
pct_add_encoded(PctState *st, int32 layout, const char *r, int64 n)
{
	Size		wsz = cxpct_wire_size(st->kind, layout),
				elem = pct_elem_size(st->kind);

	while (n > 0)
	{
		int64		k;

		if (st->n >= st->cap)
			pct_grow(st);
		k = Min(st->cap - st->n, n);
		cxpct_decode(st->kind, layout, r, k, st->cur + st->n * elem);
		st->n += k;
		st->total += k;
		r += k * wsz;
		n -= k;
	}
}

/* Adopt a run of values in the query's shared memory (no copy, not charged). */
void
pct_adopt_run(PctState *st, char *data, int64 n, PctAreaWatch *watch)
{
	if (n <= 0)
		return;
	pct_push_run(st, data, n, 0, watch);
	st->total += n;
}

/*
 * Read the state's file from the start, n values at a time into buf (room
 * for PCT_READ_BYTES), calling fn(arg, values, k) for each block.
 */
static void
pct_spill_read(PctState *st, PctSpill *s, char *buf,
			   void (*fn) (void *arg, const char *values, int64 k), void *arg)
{
	Size		elem = pct_elem_size(st->kind);
	int64		left = s->n,
				block = PCT_READ_BYTES / elem;

	if (unlikely(s->file == NULL))
		elog(ERROR, "percentile state was already sent to the leader");
	if (!s->reading)
	{
		BufFileTell(s->file, &s->end_fileno, &s->end_offset);
		s->reading = true;
	}
	if (BufFileSeek(s->file, 0, 0, SEEK_SET) != 0)
		ereport(ERROR,
				(errcode_for_file_access(),
				 errmsg("could not seek in the temporary file of a percentile state")));
	while (left > 0)
	{
		int64		k = Min(left, block);
		size_t		got = BufFileRead(s->file, buf, (size_t) k * elem);

		if (got != (size_t) k * elem)
			ereport(ERROR,
					(errcode_for_file_access(),
					 errmsg("could not read the temporary file of a percentile state: read %zu of %zu bytes",
							got, (size_t) k * elem)));
		fn(arg, buf, k);
		left -= k;
		CHECK_FOR_INTERRUPTS();
	}
}

/* pct_spill_read over every file of the state. */
static void
pct_read_files(PctState *st, void (*fn) (void *arg, const char *values, int64 k), void *arg)
{
	char	   *buf;
	PctSpill   *s;

	if (st->spill == NULL && st->more == NULL)
		return;
	buf = palloc(PCT_READ_BYTES);
	if (st->spill != NULL)
		pct_spill_read(st, st->spill, buf, fn, arg);
	for (s = st->more; s != NULL; s = s->next)
		pct_spill_read(st, s, buf, fn, arg);
	pfree(buf);
}

/* pct_spill_read callback of pct_take_over: append to the other state's file. */
static void
pct_append_to_file(void *arg, const char *values, int64 k)
{
	pct_spill_write((PctState *) arg, values, k);
}

/* pct_spill_read callback of pct_copy_values: append through the chunks. */
static void
pct_append_values(void *arg, const char *values, int64 k)
{
	pct_add_encoded((PctState *) arg, 0, values, k);
}

/*
 * Combine: state a takes over every value of state b, which lives in the
 * same memory context (same pool): its runs and handed-over files move
 * without a copy, its own file becomes a's or is appended to a's.  b is
 * left empty.
 */
void
pct_take_over(PctState *a, PctState *b)
{
	int			i;

	for (i = 0; i < b->nrun; i++)
		pct_push_run(a, b->runs[i].data, b->runs[i].n, b->runs[i].bytes, b->runs[i].watch);
	if (b->cur != NULL && b->n > 0)
		pct_push_run(a, b->cur, b->n, b->curbytes, NULL);
	else if (b->cur != NULL)
	{
		b->pool->used -= b->curbytes;
		pfree(b->cur);
	}
	a->total += b->total;
	if (b->spill != NULL && a->spill == NULL)
		a->spill = b->spill;
	else if (b->spill != NULL)
	{
		char	   *buf = palloc(PCT_READ_BYTES);

		pct_spill_read(b, b->spill, buf, pct_append_to_file, a);
		pfree(buf);
	}
	while (b->more != NULL)
	{
		PctSpill   *s = b->more;

		b->more = s->next;
		s->next = a->more;
		a->more = s;
	}
	b->nrun = 0;
	b->cur = NULL;
	b->n = b->cap = 0;
	b->curbytes = 0;
	b->total = 0;
	b->spill = NULL;
}

/* Combine: copy every value of b (another memory context's state) into a. */
void
pct_copy_values(PctState *a, PctState *b)
{
	int			i;

	for (i = 0; i < b->nrun; i++)
		pct_add_encoded(a, 0, b->runs[i].data, b->runs[i].n);
	if (b->cur != NULL)
		pct_add_encoded(a, 0, b->cur, b->n);
	pct_read_files(b, pct_append_values, a);
}

/* The narrowest wire layout for every value of the state. */
int32
pct_wire_layout(PctState *st)
{
	int32		layout = CXPCT_FLAG_TIME_ONLY;
	int			i;

	if (st->kind != PCT_KIND_INTERVAL || st->spill != NULL || st->more != NULL)
		return 0;				/* a file is not read twice to narrow it */
	for (i = 0; i <= st->nrun && layout != 0; i++)
	{
		int32		l = i < st->nrun ?
			cxpct_interval_layout((const CxInterval *) st->runs[i].data, st->runs[i].n) :
			cxpct_interval_layout((const CxInterval *) st->cur, st->cur ? st->n : 0);

		if (l == 0)
			layout = 0;
		else if (l == CXPCT_FLAG_NO_MONTHS)
			layout = CXPCT_FLAG_NO_MONTHS;
	}
	return layout;
}

/* Where pct_write_values writes the values of a file. */
typedef struct PctWriter
{
	int32		kind;
	int32		layout;
	char	   *w;
} PctWriter;

static void
pct_write_block(void *arg, const char *values, int64 k)
{
	PctWriter  *wr = (PctWriter *) arg;

	cxpct_encode(wr->kind, wr->layout, values, k, wr->w);
	wr->w += k * cxpct_wire_size(wr->kind, wr->layout);
}

/* Write every value of the state to w in a wire layout (room for total values). */
void
pct_write_values(PctState *st, int32 layout, char *w)
{
	PctWriter	wr = {st->kind, layout, w};
	int			i;

	for (i = 0; i < st->nrun; i++)
		pct_write_block(&wr, st->runs[i].data, st->runs[i].n);
	if (st->cur != NULL)
		pct_write_block(&wr, st->cur, st->n);
	pct_read_files(st, pct_write_block, &wr);
}

/* Memory callbacks for the selection code: the current memory context. */
static void *
pct_alloc(size_t size, void *arg pg_attribute_unused())
{
	void	   *p = MemoryContextAllocHuge(CurrentMemoryContext, size);

	if (size >= 64 * 1024)
		cx_advise_fresh(p, size);
	return p;
}

static void
pct_release(void *ptr, void *arg pg_attribute_unused())
{
	pfree(ptr);
}

static const CxSelAlloc pct_mem = {pct_alloc, pct_release, NULL};

/* Refuse to read values whose shared memory is gone. */
static void
pct_check_runs(const PctState *st)
{
	int			i;

	for (i = 0; i < st->nrun; i++)
		if (st->runs[i].watch != NULL && !pct_watch_alive(st->runs[i].watch))
			ereport(ERROR,
					(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
					 errmsg("the shared memory of a parallel percentile state is gone"),
					 errdetail("The plan finished the aggregate after its Gather node had shut down."),
					 errhint("Run the query with SET cx.shared_transfer = off, and report the plan.")));
}

/* The scan of a spilled state for percentile_spill_core.c. */
typedef struct PctScan
{
	PctState   *st;
	CxSpillVisit visit;
	void	   *varg;
} PctScan;

static void
pct_scan_block(void *arg, const char *values, int64 k)
{
	PctScan    *sc = (PctScan *) arg;

	(void) sc->visit(sc->varg, values, (size_t) k);
}

static int
pct_scan(void *arg, CxSpillVisit visit, void *varg)
{
	PctScan    *sc = (PctScan *) arg;
	PctState   *st = sc->st;
	int			i;

	CHECK_FOR_INTERRUPTS();
	for (i = 0; i < st->nrun; i++)
		(void) visit(varg, st->runs[i].data, (size_t) st->runs[i].n);
	if (st->cur != NULL)
		(void) visit(varg, st->cur, (size_t) st->n);
	sc->visit = visit;
	sc->varg = varg;
	pct_read_files(st, pct_scan_block, sc);
	return 0;
}

/* Select the values at the unique ascending ranks; out has room for m values. */
void
pct_select(PctState *st, const int64 *ranks, int m, void *out)
{
	int			rc;

	pct_check_runs(st);
	if (st->spill == NULL && st->more == NULL)
	{
		CxSelSeg   *segs = palloc(sizeof(CxSelSeg) * (st->nrun + 1));
		int			nseg = 0,
					i;

		for (i = 0; i < st->nrun; i++)
		{
			segs[nseg].data = st->runs[i].data;
			segs[nseg++].n = st->runs[i].n;
		}
		if (st->cur != NULL && st->n > 0)
		{
			segs[nseg].data = st->cur;
			segs[nseg++].n = st->n;
		}
		if (st->kind == PCT_KIND_FLOAT8)
			rc = cxsel_double(segs, nseg, ranks, m, out, &pct_mem);
		else
			rc = cxsel_interval(segs, nseg, ranks, m, out, &pct_mem);
		pfree(segs);
	}
	else
	{
		PctScan		sc = {st, NULL, NULL};
		CxSpillScan scan = {pct_scan, &sc};
		CxSpillKey lo,
					hi;
		int			passes,
					i;

		PctSpill   *s;
		int64		infiles = 0;

		lo = ~(CxSpillKey) 0;
		hi = 0;
		for (s = st->spill != NULL ? st->spill : st->more; s != NULL;
			 s = s == st->spill ? st->more : s->next)
		{
			CxSpillKey l,
						h;

			memcpy(&l, s->lo, sizeof(l));
			memcpy(&h, s->hi, sizeof(h));
			lo = Min(lo, l);
			hi = Max(hi, h);
			infiles += s->n;
		}
		for (i = 0; i < st->nrun; i++)
			cxspill_key_range(st->kind, st->runs[i].data, st->runs[i].n, &lo, &hi);
		if (st->cur != NULL)
			cxspill_key_range(st->kind, st->cur, st->n, &lo, &hi);
		rc = cxspill_select(st->kind, st->total, lo, hi, ranks, m, out, st->pool->limit,
							&scan, &pct_mem, &passes);
		if (rc == -2)
			elog(ERROR, "the values of a spilled percentile state changed between passes");
		elog(DEBUG1, "cx_metrics: percentile of " INT64_FORMAT " values, " INT64_FORMAT " in temporary files, selected in %d pass%s",
			 st->total, infiles, passes, passes == 1 ? "" : "es");
	}
	if (rc != 0)
		elog(ERROR, "out of memory selecting percentiles");
}

/*
 * Files handed from parallel workers to the leader.
 *
 * A spilled state in a parallel query (a worker's, or the leader's share of
 * the partial aggregation) goes into a file set named after the leader
 * (pgsql_tmp<leader pid>.<PCT_SET_NUMBER>.fileset, in the temporary
 * tablespaces the worker and the leader share through temp_tablespaces),
 * under a name with a random 64-bit token.  The partial state the worker
 * sends is then a reference to the file (CXPCT_FLAG_FILE); the leader opens
 * it read-only and deletes it when the aggregate's memory is reset.  What
 * nobody deleted is removed with the whole set at the end of the leader's
 * transaction, commit or abort, or when a subtransaction aborts; the
 * leader arms that cleanup when it runs any parallel query (the workers
 * may fail, or be canceled, before it reads a partial state, and it may
 * not take part in the partial aggregation).  A worker that fails deletes
 * every file it made.
 */
#define PCT_SET_NUMBER	0xC7C70001u	/* FileSetInit numbers stay below INT_MAX */
#define PCT_LEADER_SETS	8		/* distinct temp_tablespaces lists per transaction */

static FileSet pct_worker_set;	/* a worker: its leader's set */
static bool pct_worker_set_ready = false;

/*
 * The leader: its own set, once per list of temporary tablespaces that a
 * parallel query of this transaction ran with (temp_tablespaces can change
 * between statements); the last is the current one.  All are deleted at the
 * end of the transaction and when a subtransaction aborts.
 */
static FileSet pct_leader_sets[PCT_LEADER_SETS];
static int	pct_leader_nsets = 0;
static int	pct_leader_cur = -1;

/* Names of the files this worker made in this transaction. */
static char (*pct_worker_files)[CXPCT_FILE_NAME_LEN] = NULL;
static int	pct_worker_nfiles = 0;
static int	pct_worker_filecap = 0;

static ExecutorRun_hook_type pct_prev_executor_run = NULL;

/* A file set of the given leader in the current temporary tablespaces. */
static void
pct_set_init(FileSet *fs, pid_t leader)
{
	FileSetInit(fs);
	fs->creator_pid = leader;
	fs->number = PCT_SET_NUMBER;
}

/* The leader: delete every set of this transaction, with what is left in it. */
static void
pct_set_delete_leader_sets(void)
{
	int			i;

	for (i = 0; i < pct_leader_nsets; i++)
		FileSetDeleteAll(&pct_leader_sets[i]);
	pct_leader_nsets = 0;
	pct_leader_cur = -1;
}

/* Transaction end: delete what this backend's role in a parallel query left. */
static void
pct_set_xact_end(XactEvent event, void *arg pg_attribute_unused())
{
	int			i;

	switch (event)
	{
		case XACT_EVENT_COMMIT:
		case XACT_EVENT_ABORT:
		case XACT_EVENT_PREPARE:
			pct_set_delete_leader_sets();
			break;
		case XACT_EVENT_PARALLEL_ABORT:
			/* every file this worker made, handed over or not */
			for (i = 0; i < pct_worker_nfiles; i++)
				BufFileDeleteFileSet(&pct_worker_set, pct_worker_files[i], true);
			pct_worker_nfiles = 0;
			pct_worker_set_ready = false;
			break;
		case XACT_EVENT_PARALLEL_COMMIT:
			pct_worker_nfiles = 0;
			pct_worker_set_ready = false;
			break;
		default:
			break;
	}
}

/*
 * Subtransaction abort: no parallel query runs at any level (none can start
 * a subtransaction), so the leader's files are all left over from failed
 * ones; delete them now rather than at the end of the transaction, which a
 * loop of failing statements in a PL/pgSQL EXCEPTION block may not reach.
 */
static void
pct_set_subxact_end(SubXactEvent event, SubTransactionId mySubid pg_attribute_unused(),
					SubTransactionId parentSubid pg_attribute_unused(),
					void *arg pg_attribute_unused())
{
	if (event == SUBXACT_EVENT_ABORT_SUB && !IsParallelWorker())
		pct_set_delete_leader_sets();
}

/* The leader: take the current temporary tablespaces' set as the current one. */
static void
pct_set_arm_leader(bool fresh)
{
	FileSet		fs;
	int			i;

	if (!fresh && pct_leader_cur >= 0)
		return;
	pct_set_init(&fs, MyProcPid);
	for (i = 0; i < pct_leader_nsets; i++)
		if (pct_leader_sets[i].ntablespaces == fs.ntablespaces &&
			memcmp(pct_leader_sets[i].tablespaces, fs.tablespaces,
				   sizeof(Oid) * fs.ntablespaces) == 0)
		{
			pct_leader_cur = i;
			return;
		}
	if (pct_leader_nsets == PCT_LEADER_SETS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many different temp_tablespaces settings for parallel percentiles in one transaction"),
				 errhint("Keep temp_tablespaces unchanged within a transaction, or commit in between.")));
	pct_leader_sets[pct_leader_nsets] = fs;
	pct_leader_cur = pct_leader_nsets++;
}

/*
 * ExecutorRun hook: a parallel query's workers may hand files to this
 * backend, or leave them behind when they fail, even if the leader never
 * runs an aggregate function of its own; arm the cleanup of its set before
 * they start.  (ExecutorRun rather than ExecutorStart: the first query of a
 * session loads this library while it starts.)
 */
static void
pct_executor_run(CX_EXECUTOR_RUN_PARAMS)
{
	if (queryDesc->plannedstmt->parallelModeNeeded && !IsParallelWorker())
		pct_set_arm_leader(true);
	if (pct_prev_executor_run)
		pct_prev_executor_run(CX_EXECUTOR_RUN_ARGS);
	else
		standard_ExecutorRun(CX_EXECUTOR_RUN_ARGS);
}

/* Register the callbacks and the hook that clean up the file sets (from _PG_init). */
void
pct_spill_init(void)
{
	RegisterXactCallback(pct_set_xact_end, NULL);
	RegisterSubXactCallback(pct_set_subxact_end, NULL);
	pct_prev_executor_run = ExecutorRun_hook;
	ExecutorRun_hook = pct_executor_run;
}

/* A worker: its leader's file set, with room to record one more file in it. */
static const FileSet *
pct_set_of_worker(void)
{
	if (MyProc->lockGroupLeader == NULL)
		elog(ERROR, "parallel worker without a leader");
	if (!pct_worker_set_ready)
	{
		pct_set_init(&pct_worker_set, MyProc->lockGroupLeader->pid);
		pct_worker_set_ready = true;
	}
	if (pct_worker_nfiles == pct_worker_filecap)
	{
		int			cap = Max(8, pct_worker_filecap * 2);

		pct_worker_files = pct_worker_files == NULL ?
			MemoryContextAlloc(TopMemoryContext, sizeof(*pct_worker_files) * cap) :
			repalloc(pct_worker_files, sizeof(*pct_worker_files) * cap);
		pct_worker_filecap = cap;
	}
	return &pct_worker_set;
}

/* A worker made a file in its leader's set (room was made by pct_set_of_worker). */
static void
pct_set_worker_made(const char *name)
{
	Assert(pct_worker_nfiles < pct_worker_filecap);
	memcpy(pct_worker_files[pct_worker_nfiles++], name, CXPCT_FILE_NAME_LEN);
}

/* The leader: its current set, armed for deletion at transaction end. */
static const FileSet *
pct_set_of_leader(void)
{
	pct_set_arm_leader(false);
	return &pct_leader_sets[pct_leader_cur];
}

/* The leader reads partial states: files may come, so arm the cleanup. */
void
pct_set_leader_reads(void)
{
	if (!IsParallelWorker())
		pct_set_arm_leader(false);
}

/* A file of the set is no longer needed: delete it (at a context reset). */
static void
pct_set_file_gone(PctSpill *s)
{
	if (IsParallelWorker())
	{
		if (pct_worker_set_ready)
			BufFileDeleteFileSet(&pct_worker_set, s->name, true);
	}
	else if (pct_leader_nsets > 0 && s->fs != NULL)
		BufFileDeleteFileSet(unconstify(FileSet *, s->fs), s->name, true);
}

/* The reference to a file handed to the leader. */
static void
pct_file_ref(const PctSpill *s, CxPctFileRef *ref)
{
	memset(ref, 0, sizeof(*ref));
	ref->n = s->n;
	memcpy(ref->lo, s->lo, sizeof(ref->lo));
	memcpy(ref->hi, s->hi, sizeof(ref->hi));
	strlcpy(ref->name, s->name, sizeof(ref->name));
}

/*
 * A spilled partial state of a parallel query, at serialize: every value
 * into its file, the file closed and described in *ref for the leader.
 * Returns 0 if the state has no file in the set (it is sent as values).
 */
Size
pct_hand_over(PctState *st, CxPctFileRef *ref)
{
	PctSpill   *s = st->spill;
	int			i,
				kept = 0;

	if (s == NULL || !s->in_set || st->more != NULL)
		return 0;
	if (s->handed)
	{
		/*
		 * Serialized again: aggregates that share the transition state (say
		 * cx.percentile and cx.percentile_disc of the same column and
		 * fraction) each serialize it.  Each reference gets the same file.
		 */
		if (st->nrun > 0 || st->n > 0 || st->total != s->n)
			elog(ERROR, "percentile state changed after it was sent to the leader");
		pct_file_ref(s, ref);
		return sizeof(*ref);
	}
	for (i = 0; i < st->nrun; i++)
	{
		if (st->runs[i].bytes == 0)
		{
			st->runs[kept++] = st->runs[i];
			continue;
		}
		pct_spill_write(st, st->runs[i].data, st->runs[i].n);
		st->pool->used -= st->runs[i].bytes;
		pfree(st->runs[i].data);
	}
	st->nrun = kept;
	if (kept > 0)
		return 0;				/* values adopted from shared memory: not here */
	if (st->cur != NULL)
		pct_spill_write(st, st->cur, st->n);
	st->n = 0;
	Assert(s->n == st->total);
	BufFileExportFileSet(s->file);
	BufFileClose(s->file);
	s->file = NULL;
	s->handed = true;
	pct_file_ref(s, ref);
	return sizeof(*ref);
}

/* The leader: add the file a worker handed over to a deserialized state. */
void
pct_take_file(PctState *st, const CxPctFileRef *ref)
{
	MemoryContext old;
	PctSpill   *s;
	int64		bytes;
	int			i;

	if (IsParallelWorker())
		pct_bad_serial("A temporary-file state can only be read by the leader of a parallel query.");
	old = MemoryContextSwitchTo(st->ctx);
	s = palloc0(sizeof(PctSpill));
	strlcpy(s->name, ref->name, sizeof(s->name));
	/* the current set first: the file is in the set of the query's tablespaces */
	s->fs = pct_set_of_leader();
	s->file = BufFileOpenFileSet(unconstify(FileSet *, s->fs), s->name, O_RDONLY, true);
	for (i = 0; s->file == NULL && i < pct_leader_nsets; i++)
	{
		s->fs = &pct_leader_sets[i];
		s->file = BufFileOpenFileSet(unconstify(FileSet *, s->fs), s->name, O_RDONLY, true);
	}
	MemoryContextSwitchTo(old);
	if (s->file == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("the temporary file of a parallel percentile state is gone"),
				 errdetail("No file \"%s\" is in this query's temporary file set.", ref->name)));
	s->in_set = true;
	s->portal = ActivePortal;
	s->reading = true;			/* never written */
	s->cb.func = pct_spill_close;
	s->cb.arg = s;
	MemoryContextRegisterResetCallback(st->ctx, &s->cb);
	bytes = BufFileSize(s->file);
	if (bytes != ref->n * (int64) pct_elem_size(st->kind))
		pct_bad_serial("The temporary file does not hold the number of values the state says.");
	s->n = ref->n;
	memcpy(s->lo, ref->lo, sizeof(s->lo));
	memcpy(s->hi, ref->hi, sizeof(s->hi));
	s->next = st->more;
	st->more = s;
	st->total += s->n;
}
