/*
 * common.c — module magic and helpers shared by every concern.
 */
#include "cx_metrics.h"
#include "percentile.h"

#include <math.h>
#include <stdint.h>
#ifdef __linux__
#include <sys/mman.h>
#endif

#include "utils/guc.h"
#include "utils/memutils.h"
#include "utils/regproc.h"

PG_MODULE_MAGIC;

void		_PG_init(void);

/* CxInterval (prim_core.h) is PostgreSQL's Interval, field for field. */
StaticAssertDecl(sizeof(CxInterval) == sizeof(Interval) &&
				 offsetof(CxInterval, time) == offsetof(Interval, time) &&
				 offsetof(CxInterval, day) == offsetof(Interval, day) &&
				 offsetof(CxInterval, month) == offsetof(Interval, month),
				 "CxInterval does not match Interval");

/* Settings of the extension (cx.*), and the cleanup of the percentiles' file sets. */
void
_PG_init(void)
{
	pct_shm_define_settings();
	pct_spill_init();
	MarkGUCPrefixReserved("cx");
}

/* Report an infinite interval argument (the check is cx_check_interval_finite). */
void
cx_interval_not_finite(const Interval *iv pg_attribute_unused(), const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
			 errmsg("%s must be a finite interval", what),
			 errdetail("Infinite intervals have no place on a cycle-time scale."),
			 errhint("Filter them out, for example with WHERE isfinite(...).")));
}

/* Reject NaN or an infinite double with a clear error. */
void
cx_check_float_finite(double v, const char *what)
{
	if (isnan(v))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s must not be NaN", what),
				 errdetail("NaN has no position on a cycle-time or score scale."),
				 errhint("Filter NaN out, or turn it into NULL with NULLIF(x, 'NaN').")));
	if (isinf(v))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s must be finite, not %s", what, v > 0 ? "Infinity" : "-Infinity"),
				 errdetail("Infinite values have no position on a cycle-time or score scale."),
				 errhint("Filter them out, or turn them into NULL.")));
}

/* Reject a percentile fraction outside [0, 1], or NaN, as percentile_cont does. */
void
cx_check_fraction(double p)
{
	if (!cxp_fraction_ok(p))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("percentile value %g is not between 0 and 1", p),
				 errhint("Give the percentile as a fraction: 0.9 for the 90th percentile.")));
}

/* Refuse a direct call of an aggregate support function. */
void
cx_not_in_aggregate(FunctionCallInfo fcinfo, const char *agg)
{
	Oid			fn = fcinfo->flinfo ? fcinfo->flinfo->fn_oid : InvalidOid;

	ereport(ERROR,
			(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
			 errmsg("function %s can only be called by its aggregate",
					OidIsValid(fn) ? format_procedure(fn) : "(unknown)"),
			 errdetail("It is a support function of %s and keeps its state in the aggregate's memory.", agg),
			 errhint("Call %s instead.", agg)));
}

#ifdef USE_ASSERT_CHECKING
/* Report a failed CX_ASSERT of a pure file as a failed Assert(). */
void
cx_core_assert_failed(const char *cond, const char *file, int line)
{
	CX_ASSERT_FAILED(cond, file, line);
}
#endif

#ifdef __linux__
#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22
#endif
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

/*
 * Give advice over the inside of [p, p + len) aligned to `unit` bytes, when
 * at least `min` bytes long (no-op where unsupported; errors are ignored, as
 * advice is only advice).
 */
static void
cx_advise(const void *p, Size len, uintptr_t unit, Size min, int advice)
{
	uintptr_t	start = ((uintptr_t) p + unit - 1) & ~(unit - 1);
	uintptr_t	end = ((uintptr_t) p + len) & ~(unit - 1);

	if (len >= min && end > start)
		(void) madvise((void *) start, end - start, advice);
}
#endif

/* Ask for transparent huge pages over the 2 MB-aligned inside of a buffer. */
void
cx_advise_huge(void *p, Size len)
{
#if defined(__linux__) && defined(MADV_HUGEPAGE)
	cx_advise(p, len, 2 * 1024 * 1024, 4 * 1024 * 1024, MADV_HUGEPAGE);
#endif
}

/*
 * Map the pages of a fresh buffer in one system call instead of one page
 * fault per page: on virtual machines a first-touch fault can cost more than
 * writing the page.  Only the page-aligned inside of [p, p + len) is touched;
 * kernels without MADV_POPULATE_WRITE (before Linux 5.14) ignore the advice.
 */
void
cx_prefault(void *p, Size len)
{
#ifdef __linux__
	cx_advise(p, len, 4096, 16 * 4096, MADV_POPULATE_WRITE);
#endif
}

/* Map the pages of a large buffer that another process wrote, for reading. */
void
cx_prefault_read(const void *p, Size len)
{
#ifdef __linux__
	cx_advise(p, len, 4096, 16 * 4096, MADV_POPULATE_READ);
#endif
}

/* A fresh large buffer: huge pages where available, mapped in advance. */
void
cx_advise_fresh(void *p, Size len)
{
	cx_advise_huge(p, len);
	cx_prefault(p, len);
}

#if defined(__linux__) && defined(MREMAP_MAYMOVE)
#define CX_HAVE_MREMAP 1
#endif

/* Memory context callback: give a mapped big buffer back to the kernel. */
static void
cx_bigbuf_release(void *arg)
{
#ifdef CX_HAVE_MREMAP
	CxBigBuf   *buf = (CxBigBuf *) arg;

	if (buf->mapped && buf->data != NULL)
		munmap(buf->data, buf->len);
	buf->data = NULL;
	buf->len = 0;
#endif
}

/* Make buf at least newlen bytes long, keeping its contents. */
void
cx_bigbuf_resize(CxBigBuf *buf, MemoryContext ctx, Size newlen)
{
#ifdef CX_HAVE_MREMAP
	void	   *p;
	Size		oldlen = buf->len;

	if (newlen <= buf->len)
		return;
	/* whole huge pages */
	newlen = TYPEALIGN(2 * 1024 * 1024, newlen);
	if (buf->data == NULL)
		p = mmap(NULL, newlen, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	else
		p = mremap(buf->data, buf->len, newlen, MREMAP_MAYMOVE);
	if (p == MAP_FAILED)
		ereport(ERROR,
				(errcode(ERRCODE_OUT_OF_MEMORY),
				 errmsg("out of memory"),
				 errdetail("Failed on request of size %zu.", newlen)));
	if (buf->data == NULL)
	{
		buf->ctx = ctx;
		buf->cb.func = cx_bigbuf_release;
		buf->cb.arg = buf;
		MemoryContextRegisterResetCallback(ctx, &buf->cb);
	}
	buf->data = p;
	buf->len = newlen;
	buf->mapped = true;
	cx_advise_huge(p, newlen);
	/* the grown part is fresh: map it in one call (the old part stays put) */
	cx_prefault((char *) p + oldlen, newlen - oldlen);
#else
	if (newlen <= buf->len)
		return;
	buf->data = buf->data == NULL ? MemoryContextAllocHuge(ctx, newlen) :
		repalloc_huge(buf->data, newlen);
	buf->len = newlen;
	buf->ctx = ctx;
#endif
}

/*
 * Start a GUC nesting level with search_path set to "pg_catalog, pg_temp",
 * as PostgreSQL does for maintenance operations; returns the level for
 * cx_unpin_search_path.  Every query the extension's C code runs is parsed
 * under it, so no object of any role's schemas can be picked up by name.
 */
int
cx_pin_search_path(void)
{
	int			level = NewGUCNestLevel();

	(void) set_config_option("search_path", "pg_catalog, pg_temp", PGC_USERSET,
							 PGC_S_SESSION, GUC_ACTION_SAVE, true, 0, false);
	return level;
}

/*
 * Leave the nesting level of cx_pin_search_path, undoing every setting
 * changed since, including a plain SET by code that ran inside (as VACUUM
 * does after running a table owner's code), so nothing of it stays in the
 * caller's session.
 */
void
cx_unpin_search_path(int level)
{
	AtEOXact_GUC(false, level);
}
