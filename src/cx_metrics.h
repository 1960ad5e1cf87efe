/*
 * cx_metrics.h — shared declarations and PostgreSQL version shims.
 *
 * Every C file of the extension that uses PostgreSQL headers includes this
 * first.  Version differences are handled here, in small #if blocks, and
 * nowhere else.
 */
#ifndef CX_METRICS_H
#define CX_METRICS_H

#include "postgres.h"
#include "fmgr.h"
#include "utils/timestamp.h"

#include "prim_core.h"

#if PG_VERSION_NUM < 150000
#error "cx_metrics requires PostgreSQL 15 or later"
#endif

/*
 * ---- PostgreSQL version shims -------------------------------------------
 * Every difference between the supported major versions (15 to 19) is
 * spelled here, as a macro named for what the code wants; the macros that
 * name server functions expand only where their header is included.
 */

/* PostgreSQL 16 moved the varlena macros out of postgres.h. */
#if PG_VERSION_NUM >= 160000
#include "varatt.h"
#endif

/*
 * A function that does not return.  PostgreSQL 18 replaced the postfix
 * pg_attribute_noreturn() with the prefix pg_noreturn; the prefix form is
 * used here, written for older versions with the attribute they define.
 */
#if PG_VERSION_NUM >= 180000
#define CX_NORETURN pg_noreturn
#elif defined(__GNUC__) || defined(__clang__)
#define CX_NORETURN __attribute__((noreturn))
#else
#define CX_NORETURN
#endif

/* This backend's local transaction id (storage/proc.h): PGPROC.vxid since 17. */
#if PG_VERSION_NUM >= 170000
#define CX_MY_LXID() (MyProc->vxid.lxid)
#else
#define CX_MY_LXID() (MyProc->lxid)
#endif

/*
 * Insert a new heap tuple's entries into a relation's indexes
 * (executor/executor.h); PostgreSQL 16 added onlySummarizing, 19 turned the
 * booleans into flags.
 */
#if PG_VERSION_NUM >= 190000
#define CX_INSERT_INDEX_TUPLES(rri, slot, estate) \
	ExecInsertIndexTuples((rri), (estate), 0, (slot), NIL, NULL)
#elif PG_VERSION_NUM >= 160000
#define CX_INSERT_INDEX_TUPLES(rri, slot, estate) \
	ExecInsertIndexTuples((rri), (slot), (estate), false, false, NULL, NIL, false)
#else
#define CX_INSERT_INDEX_TUPLES(rri, slot, estate) \
	ExecInsertIndexTuples((rri), (slot), (estate), false, false, NULL, NIL)
#endif

/*
 * The i-th (1-based) entry of this backend's snapshot of the activity of
 * other backends (utils/backend_status.h): renamed in PostgreSQL 16.
 */
#if PG_VERSION_NUM >= 160000
#define CX_LOCAL_BACKEND_STATUS(i) pgstat_get_local_beentry_by_index(i)
#else
#define CX_LOCAL_BACKEND_STATUS(i) pgstat_fetch_stat_local_beentry(i)
#endif

/* Report a failed assertion as Assert() does: PostgreSQL 16 dropped errorType. */
#if PG_VERSION_NUM >= 160000
#define CX_ASSERT_FAILED(cond, file, line) ExceptionalCondition((cond), (file), (line))
#else
#define CX_ASSERT_FAILED(cond, file, line) \
	ExceptionalCondition((cond), "FailedAssertion", (file), (line))
#endif

/*
 * The parameters of an ExecutorRun hook (executor/executor.h), and the
 * arguments to pass on: PostgreSQL 18 dropped execute_once.
 */
#if PG_VERSION_NUM >= 180000
#define CX_EXECUTOR_RUN_PARAMS QueryDesc *queryDesc, ScanDirection direction, uint64 count
#define CX_EXECUTOR_RUN_ARGS queryDesc, direction, count
#else
#define CX_EXECUTOR_RUN_PARAMS QueryDesc *queryDesc, ScanDirection direction, uint64 count, bool execute_once
#define CX_EXECUTOR_RUN_ARGS queryDesc, direction, count, execute_once
#endif

/* PostgreSQL 17 added infinite intervals; before that none exist. */
#ifdef INTERVAL_NOT_FINITE
#define CX_INTERVAL_IS_FINITE(iv) (!INTERVAL_NOT_FINITE(iv))
#else
#define CX_INTERVAL_IS_FINITE(iv) (true)
#endif

/* Reject an infinite interval argument with a clear error. */
CX_NORETURN extern void cx_interval_not_finite(const Interval *iv, const char *what);
#define cx_check_interval_finite(iv, what) \
	do { \
		if (unlikely(!CX_INTERVAL_IS_FINITE(iv))) \
			cx_interval_not_finite((iv), (what)); \
	} while (0)

/* Reject NaN or an infinite double with a clear error. */
extern void cx_check_float_finite(double v, const char *what);

/* Microseconds of a finite interval, months as 30 days (see prim_core.h). */
#define CX_INTERVAL_USECS(iv) cxp_interval_usecs((iv)->time, (iv)->day, (iv)->month)

/* Reject a percentile fraction outside [0, 1], or NaN, with a clear error. */
extern void cx_check_fraction(double p);

/*
 * Refuse a call of an aggregate's support function from outside its
 * aggregate (agg names the aggregate to use instead).
 */
CX_NORETURN extern void cx_not_in_aggregate(FunctionCallInfo fcinfo, const char *agg);

/*
 * Ask the kernel for transparent huge pages over a large buffer (no-op where
 * unsupported).  First-touch page faults dominate the cost of filling large
 * aggregate states on some virtual machines.
 */
extern void cx_advise_huge(void *p, Size len);

/*
 * Map the pages of a fresh large buffer in one system call rather than one
 * fault per page (no-op where unsupported); cx_advise_fresh does both.
 */
extern void cx_prefault(void *p, Size len);
extern void cx_advise_fresh(void *p, Size len);
extern void cx_prefault_read(const void *p, Size len);

/*
 * Run the extension's own queries under search_path "pg_catalog, pg_temp"
 * (a GUC nesting level; cx_unpin_search_path undoes every setting changed
 * inside it, as does the abort of the transaction on error).
 */
extern int	cx_pin_search_path(void);
extern void cx_unpin_search_path(int level);

/*
 * A large buffer that grows without copying (mremap on Linux), backed by
 * transparent huge pages where available, and released when the memory
 * context it is tied to is reset or deleted.  Elsewhere it falls back to
 * palloc in that context.
 */
typedef struct CxBigBuf
{
	char	   *data;
	Size		len;
	bool		mapped;			/* data came from mmap */
	MemoryContext ctx;
	MemoryContextCallback cb;
} CxBigBuf;

/* Make buf at least newlen bytes long, keeping its contents. */
extern void cx_bigbuf_resize(CxBigBuf *buf, MemoryContext ctx, Size newlen);

#endif
