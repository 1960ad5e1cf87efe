/*
 * calendar.c — business calendars: the per-backend cache of cx.calendars and
 * cx.holidays, and the SQL functions business_days, add_business_days,
 * due_at, is_business_day, us_federal_holidays.  Day arithmetic lives in
 * calendar_core.c.
 *
 * Days are decided in the calendar's own time zone.  The cache is dropped
 * whenever a relcache invalidation for cx.calendars or cx.holidays arrives;
 * statement triggers on both tables send one (cx_calendar_invalidate), so
 * every backend sees committed changes at its next call.
 */
#include "cx_metrics.h"

#include "access/htup_details.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "common/int.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "pgtime.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/guc.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/regproc.h"
#include "utils/rel.h"
#include "utils/tuplestore.h"

#include "calendar.h"
#include "calendar_core.h"
#include "standard.h"

PG_FUNCTION_INFO_V1(cx_business_days);
PG_FUNCTION_INFO_V1(cx_business_days_date);
PG_FUNCTION_INFO_V1(cx_add_business_days);
PG_FUNCTION_INFO_V1(cx_add_business_days_date);
PG_FUNCTION_INFO_V1(cx_due_at);
PG_FUNCTION_INFO_V1(cx_is_business_day);
PG_FUNCTION_INFO_V1(cx_us_federal_holidays);
PG_FUNCTION_INFO_V1(cx_calendar_invalidate);
PG_FUNCTION_INFO_V1(cx_calendars_check);

#define CX_BUILTIN_CALENDAR "us_federal"

/* Seconds between the Unix epoch and the PostgreSQL epoch (2000-01-01). */
#define CAL_EPOCH_SHIFT ((int64) (POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * SECS_PER_DAY)

/* One cached calendar. */
typedef struct CalEntry
{
	struct CalEntry *next;
	char	   *name;
	int			name_len;
	pg_tz	   *tz;
	int64		cutoff;			/* local time of day in usecs, or -1 */
	int64	   *user_days;
	CxcalCalendar cal;

	/* UTC offsets of tz between tr_lo and tr_hi (pg_time_t seconds) */
	int			n_tr;
	pg_time_t  *tr_at;			/* offset tr_off[i] holds from tr_at[i] */
	long	   *tr_off;
	pg_time_t	tr_lo;
	pg_time_t	tr_hi;
} CalEntry;

static MemoryContext cal_context = NULL;
static CalEntry *cal_entries = NULL;
static CalEntry *cal_last = NULL;
static uint64 cal_generation = 1;	/* bumped whenever the cache is rebuilt */

/*
 * The last business-day due times computed, one per standard amount (a
 * table tracked under several clocks, or with a standard per row, asks for
 * a few amounts in turn): items received the same day (the common case of
 * a tracked insert) share them.
 */
typedef struct CalDueMemo
{
	uint64		generation;
	const CalEntry *entry;
	int64		receipt_day;
	int64		amount;
	TimestampTz due;
	/* start times in [lo, hi) have that receipt day (lo > hi: unknown) */
	TimestampTz lo;
	TimestampTz hi;
} CalDueMemo;

#define CAL_DUE_MEMOS 4
static CalDueMemo cal_due_memos[CAL_DUE_MEMOS];
static int	cal_due_next = 0;	/* the slot a new amount replaces */

static bool cal_stale = false;
static bool cal_callback_registered = false;
static Oid	cal_calendars_oid = InvalidOid;
static Oid	cal_holidays_oid = InvalidOid;

/* Relcache callback: drop the cache when either table is invalidated. */
static void
cal_relcache_callback(Datum arg pg_attribute_unused(), Oid relid)
{
	if (relid == InvalidOid || relid == cal_calendars_oid || relid == cal_holidays_oid)
		cal_stale = true;
}

/* Allocator for calendar_core: memory in the cache context. */
static void *
cal_alloc(void *ctx, size_t size)
{
	return MemoryContextAllocExtended((MemoryContext) ctx, size, MCXT_ALLOC_HUGE | MCXT_ALLOC_NO_OOM);
}

/* Release for calendar_core. */
static void
cal_release(void *ctx pg_attribute_unused(), void *p)
{
	pfree(p);
}

/* Raise the error for a calendar_core failure. */
static void
cal_check_status(cxcal_status st)
{
	switch (st)
	{
		case CXCAL_OK:
			return;
		case CXCAL_OUT_OF_RANGE:
			ereport(ERROR,
					(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
					 errmsg("date out of range for a business calendar"),
					 errdetail("Business-day arithmetic is defined for years %d to %d.",
							   CXCAL_YEAR_MIN, CXCAL_YEAR_MAX)));
			break;
		case CXCAL_NO_WORKDAYS:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("calendar has no working days"),
					 errdetail("Every day of the week is a weekend day.")));
			break;
		case CXCAL_NO_MEMORY:
			ereport(ERROR,
					(errcode(ERRCODE_OUT_OF_MEMORY),
					 errmsg("out of memory building a business calendar")));
			break;
	}
}

/* Table of UTC offsets of the entry's zone for years 1900-2100. */
static void
cal_build_transitions(CalEntry *e)
{
	pg_time_t	lo = (pg_time_t) cxp_days_from_civil(1900, 1, 1) * SECS_PER_DAY + CAL_EPOCH_SHIFT;
	pg_time_t	hi = (pg_time_t) cxp_days_from_civil(2100, 1, 1) * SECS_PER_DAY + CAL_EPOCH_SHIFT;
	pg_time_t	t = lo;
	int			cap = 64;

	e->tr_at = MemoryContextAlloc(cal_context, cap * sizeof(pg_time_t));
	e->tr_off = MemoryContextAlloc(cal_context, cap * sizeof(long));
	e->n_tr = 0;
	for (;;)
	{
		long		before_off,
					after_off;
		int			before_dst,
					after_dst;
		pg_time_t	boundary;
		int			r = pg_next_dst_boundary(&t, &before_off, &before_dst, &boundary,
											 &after_off, &after_dst, e->tz);

		if (r < 0)
		{
			/* no usable table: always fall back to the slow path */
			e->n_tr = 0;
			e->tr_lo = e->tr_hi = 0;
			return;
		}
		if (e->n_tr == 0 || e->tr_off[e->n_tr - 1] != before_off)
		{
			if (e->n_tr + 1 >= cap)
			{
				cap *= 2;
				e->tr_at = repalloc(e->tr_at, cap * sizeof(pg_time_t));
				e->tr_off = repalloc(e->tr_off, cap * sizeof(long));
			}
			e->tr_at[e->n_tr] = t;
			e->tr_off[e->n_tr] = before_off;
			e->n_tr++;
		}
		if (r == 0 || boundary >= hi)
			break;
		t = boundary;
	}
	e->tr_lo = lo;
	e->tr_hi = hi;
}

/* UTC offset (seconds) of the entry's zone at pg_time_t t, from the table; false if outside it. */
static bool
cal_offset_at(const CalEntry *e, pg_time_t t, long *off)
{
	size_t		i;

	StaticAssertStmt(sizeof(pg_time_t) == sizeof(int64_t), "pg_time_t is not 64 bits");
	if (e->n_tr == 0 || t < e->tr_lo || t >= e->tr_hi)
		return false;
	/* the last transition at or before t; the first is at tr_lo */
	Assert(e->tr_at[0] == e->tr_lo);
	i = cxp_lower_bound_int64((const int64_t *) e->tr_at, e->n_tr, t + 1);
	Assert(i > 0 && i <= (size_t) e->n_tr);
	*off = e->tr_off[i - 1];
	return true;
}

/* pg_time_t (Unix seconds, floored) of a timestamp. */
static pg_time_t
cal_time_t(TimestampTz ts)
{
	return (pg_time_t) (ts >= 0 ? ts / USECS_PER_SEC : -((-ts + USECS_PER_SEC - 1) / USECS_PER_SEC)) + CAL_EPOCH_SHIFT;
}

/* Local day number (0 = 2000-01-01) and time of day (usecs) of ts in the entry's zone. */
static int64
cal_local_day(const CalEntry *e, TimestampTz ts, int64 *tod)
{
	int64		local,
				day;
	long		off;

	if (TIMESTAMP_NOT_FINITE(ts))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp must be finite"),
				 errdetail("Business days are counted between finite timestamps."),
				 errhint("Filter out infinite timestamps, or turn them into NULL.")));
	if (cal_offset_at(e, cal_time_t(ts), &off))
		local = ts + (int64) off * USECS_PER_SEC;
	else
	{
		struct pg_tm tm;
		fsec_t		fsec;
		int			tz;

		if (timestamp2tm(ts, &tz, &tm, &fsec, NULL, e->tz) != 0)
			ereport(ERROR,
					(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
					 errmsg("timestamp out of range")));
		day = date2j(tm.tm_year, tm.tm_mon, tm.tm_mday) - POSTGRES_EPOCH_JDATE;
		*tod = ((((int64) tm.tm_hour * MINS_PER_HOUR) + tm.tm_min) * SECS_PER_MINUTE + tm.tm_sec) * USECS_PER_SEC + fsec;
		return day;
	}
	day = local / USECS_PER_DAY;
	if (local < 0 && local % USECS_PER_DAY != 0)
		day--;
	*tod = local - day * USECS_PER_DAY;
	return day;
}

/* The last microsecond of local day `day` in the entry's zone. */
static TimestampTz
cal_end_of_day(const CalEntry *e, int64 day)
{
	struct pg_tm tm;
	int			tz;
	int			y,
				m,
				d;
	Timestamp	result;

	if (day + 1 + POSTGRES_EPOCH_JDATE > INT_MAX || day + 1 + POSTGRES_EPOCH_JDATE < 0)
		goto out_of_range;
	/* fast path: the offset at local midnight is the same just before and after it */
	{
		int64		midnight = (day + 1) * USECS_PER_DAY;
		long		off1,
					off2;

		if (cal_offset_at(e, cal_time_t(midnight), &off1) &&
			cal_offset_at(e, cal_time_t(midnight - (int64) off1 * USECS_PER_SEC), &off2) &&
			off1 == off2)
			return midnight - (int64) off1 * USECS_PER_SEC - 1;
	}
	j2date((int) (day + 1 + POSTGRES_EPOCH_JDATE), &y, &m, &d);
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y;
	tm.tm_mon = m;
	tm.tm_mday = d;
	tz = DetermineTimeZoneOffset(&tm, e->tz);
	if (tm2timestamp(&tm, 0, &tz, &result) != 0 || !IS_VALID_TIMESTAMP(result - 1))
		goto out_of_range;
	return result - 1;

out_of_range:
	ereport(ERROR,
			(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
			 errmsg("timestamp out of range"),
			 errdetail("The business day falls outside the range of timestamp with time zone.")));
	return 0;					/* keep the compiler quiet */
}

/* Load one calendar from cx.calendars and cx.holidays into the cache. */
static CalEntry *
cal_load(const char *name, int name_len)
{
	CalEntry   *e;
	char	   *cname = pnstrdup(name, name_len);
	Datum		arg = CStringGetTextDatum(cname);
	Oid			argtype = TEXTOID;
	bool		isnull;
	char	   *zone;
	int64		mask;
	bool		federal;
	Datum		cutoff;
	bool		cutoff_null;
	uint64		i;
	Oid			nsp;
	int			save_nestlevel;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	/* read the tables with a safe search_path, whatever the caller's is */
	save_nestlevel = NewGUCNestLevel();
	(void) set_config_option("search_path", "pg_catalog, pg_temp", PGC_USERSET, PGC_S_SESSION,
							 GUC_ACTION_SAVE, true, 0, false);

	nsp = get_namespace_oid("cx", false);
	cal_calendars_oid = get_relname_relid("calendars", nsp);
	cal_holidays_oid = get_relname_relid("holidays", nsp);

	if (SPI_execute_with_args("SELECT time_zone,"
							  " (SELECT coalesce(sum(DISTINCT 1 << (w - 1)), 0) FROM pg_catalog.unnest(weekend) AS w WHERE w BETWEEN 1 AND 7)::int8,"
							  " federal_holidays,"
							  " (EXTRACT(epoch FROM cutoff) * 1000000)::int8"
							  " FROM cx.calendars WHERE name = $1",
							  1, &argtype, &arg, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read cx.calendars");
	if (SPI_processed == 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("calendar \"%s\" does not exist", cname),
				 errhint("Calendars are the rows of cx.calendars; the built-in one is \"%s\".",
						 CX_BUILTIN_CALENDAR)));

	e = MemoryContextAllocZero(cal_context, sizeof(CalEntry));
	e->name = MemoryContextStrdup(cal_context, cname);
	e->name_len = name_len;
	zone = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
	mask = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull));
	federal = DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 3, &isnull));
	cutoff = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 4, &cutoff_null);
	e->cutoff = cutoff_null ? -1 : DatumGetInt64(cutoff);
	e->tz = zone ? pg_tzset(zone) : NULL;
	if (e->tz == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("time zone \"%s\" of calendar \"%s\" is not recognized", zone ? zone : "", cname),
				 errhint("Set cx.calendars.time_zone to a name from pg_timezone_names.")));

	if (SPI_execute_with_args("SELECT (day - date '2000-01-01')::int8 FROM cx.holidays"
							  " WHERE calendar = $1 AND pg_catalog.isfinite(day) ORDER BY 1",
							  1, &argtype, &arg, NULL, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read cx.holidays");
	e->user_days = MemoryContextAlloc(cal_context, (SPI_processed + 1) * sizeof(int64));
	for (i = 0; i < SPI_processed; i++)
		e->user_days[i] = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1, &isnull));

	e->cal.weekend_mask = (unsigned) mask;
	e->cal.federal = federal;
	e->cal.user_days = e->user_days;
	e->cal.n_user = (size_t) SPI_processed;
	e->cal.alloc = cal_alloc;
	e->cal.release = cal_release;
	e->cal.alloc_ctx = cal_context;
	AtEOXact_GUC(true, save_nestlevel);
	SPI_finish();

	cal_build_transitions(e);
	return e;
}

/* The cached calendar of that name, loading it if needed. */
static CalEntry *
cal_lookup(const char *name, int name_len)
{
	CalEntry   *e;

	if (!cal_callback_registered)
	{
		CacheRegisterRelcacheCallback(cal_relcache_callback, (Datum) 0);
		cal_callback_registered = true;
	}
	if (cal_context == NULL)
		cal_context = AllocSetContextCreate(TopMemoryContext, "cx_metrics calendars",
											ALLOCSET_SMALL_SIZES);
	if (cal_stale)
	{
		MemoryContextReset(cal_context);
		cal_entries = NULL;
		cal_last = NULL;
		cal_generation++;
		cal_stale = false;
	}
	if (cal_last && cal_last->name_len == name_len && memcmp(cal_last->name, name, name_len) == 0)
		return cal_last;
	for (e = cal_entries; e; e = e->next)
		if (e->name_len == name_len && memcmp(e->name, name, name_len) == 0)
			return cal_last = e;
	e = cal_load(name, name_len);
	e->next = cal_entries;
	cal_entries = e;
	return cal_last = e;
}

/* Effective receipt day: local day of ts, the next day when at or after the cut-off. */
static int64
cal_receipt_day(const CalEntry *e, TimestampTz ts)
{
	int64		tod;
	int64		day = cal_local_day(e, ts, &tod);

	if (e->cutoff >= 0 && tod >= e->cutoff)
		day++;
	return day;
}

/*
 * Business days between two timestamps, as days of the calendar's zone.
 * The receipt day (day 0) is the local date of start, or the next date when
 * start is at or after the calendar's cut-off; the count is of the business
 * days from day 0 up to, not including, the local date of finish.  So a
 * finish on day 0 is 0 (as is one on the date of a start at or after the
 * cut-off), Friday to Monday is 1, and a finish on a closed day counts as
 * one on the next business day.  A finish before the start gives the count
 * from finish to start, negated.
 */
static int32
cal_entry_business_days(CalEntry *e, TimestampTz start, TimestampTz finish)
{
	int64		from,
				to,
				n,
				tod;
	bool		negate = false;

	if (finish < start)
	{
		TimestampTz tmp = start;

		start = finish;
		finish = tmp;
		negate = true;
	}
	from = cal_receipt_day(e, start);
	to = cal_local_day(e, finish, &tod);
	cal_check_status(cxcal_count(&e->cal, from, to, &n));
	if (n < 0)
		n = 0;					/* finished on the receipt day, after the cut-off */
	if (n > PG_INT32_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("number of business days out of range")));
	return (int32) (negate ? -n : n);
}

/* Due day: the n-th business day after the effective receipt day of ts. */
static int64
cal_due_day(CalEntry *e, TimestampTz ts, int64 n)
{
	int64		first,
				due;

	cal_check_status(cxcal_next_business_day(&e->cal, cal_receipt_day(e, ts), &first));
	cal_check_status(cxcal_add(&e->cal, first, n, &due));
	return due;
}

/* Business days between two timestamps, as cx.business_days. */
int32
cal_business_days(TimestampTz start, TimestampTz finish, const char *name, int name_len)
{
	return cal_entry_business_days(cal_lookup(name, name_len), start, finish);
}

/* Due time of an item (see calendar.h). */
TimestampTz
cal_due_at(TimestampTz started, const CxstdStandard *std, const char *name, int name_len)
{
	CalEntry   *e = cal_lookup(name, name_len);
	int64		usecs;
	TimestampTz result;

	if (std->unit == CXSTD_BUSINESS_DAYS)
	{
		CalDueMemo *m = NULL;
		bool		memo;
		int64		rday;
		int			i;

		for (i = 0; i < CAL_DUE_MEMOS; i++)
			if (cal_due_memos[i].generation == cal_generation && cal_due_memos[i].entry == e &&
				cal_due_memos[i].amount == std->amount)
			{
				m = &cal_due_memos[i];
				break;
			}
		memo = m != NULL;
		/* same receipt day as the last item: no calendar arithmetic at all */
		if (memo && started >= m->lo && started < m->hi)
			return m->due;
		rday = cal_receipt_day(e, started);
		if (memo && rday == m->receipt_day)
			return m->due;
		result = cal_end_of_day(e, cal_due_day(e, started, std->amount));
		if (m == NULL)
		{
			m = &cal_due_memos[cal_due_next];
			cal_due_next = (cal_due_next + 1) % CAL_DUE_MEMOS;
		}
		m->generation = cal_generation;
		m->entry = e;
		m->receipt_day = rday;
		m->amount = std->amount;
		m->due = result;
		/* the local day of the receipt, when the receipt day is that day */
		m->lo = 1;
		m->hi = 0;
		if (e->cutoff < 0 && rday > -POSTGRES_EPOCH_JDATE + 1 && rday < INT_MAX - POSTGRES_EPOCH_JDATE - 1)
		{
			TimestampTz lo = cal_end_of_day(e, rday - 1) + 1;
			TimestampTz hi = cal_end_of_day(e, rday) + 1;

			/* local days never go backwards: checking both ends checks all */
			if (lo <= started && started < hi &&
				cal_receipt_day(e, lo) == rday && cal_receipt_day(e, hi - 1) == rday)
			{
				m->lo = lo;
				m->hi = hi;
			}
		}
		return result;
	}
	if (TIMESTAMP_NOT_FINITE(started))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp must be finite"),
				 errdetail("A due time is computed from a finite start time.")));
	usecs = cxstd_allowance_usecs(std);
	if (pg_add_s64_overflow(started, usecs, &result) || !IS_VALID_TIMESTAMP(result))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp out of range"),
				 errdetail("The due time falls outside the range of timestamp with time zone.")));
	return result;
}

/* cx.business_days(start timestamptz, finish timestamptz, calendar text) */
Datum
cx_business_days(PG_FUNCTION_ARGS)
{
	text	   *name = PG_GETARG_TEXT_PP(2);

	PG_RETURN_INT32(cal_business_days(PG_GETARG_TIMESTAMPTZ(0), PG_GETARG_TIMESTAMPTZ(1),
											  VARDATA_ANY(name), VARSIZE_ANY_EXHDR(name)));
}

/* Reject an infinite date with a clear error. */
static int64
cal_date_day(DateADT d)
{
	if (DATE_NOT_FINITE(d))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("date must be finite"),
				 errdetail("Business days are counted between finite dates.")));
	return (int64) d;
}

/* cx.business_days(start date, finish date, calendar text): business days in [start, finish) */
Datum
cx_business_days_date(PG_FUNCTION_ARGS)
{
	text	   *name = PG_GETARG_TEXT_PP(2);
	CalEntry   *e = cal_lookup(VARDATA_ANY(name), VARSIZE_ANY_EXHDR(name));
	int64		n;

	cal_check_status(cxcal_count(&e->cal, cal_date_day(PG_GETARG_DATEADT(0)),
								 cal_date_day(PG_GETARG_DATEADT(1)), &n));
	if (n > PG_INT32_MAX || n < PG_INT32_MIN)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("number of business days out of range")));
	PG_RETURN_INT32((int32) n);
}

/* cx.add_business_days(ts timestamptz, n integer, calendar text): end of the due day */
Datum
cx_add_business_days(PG_FUNCTION_ARGS)
{
	text	   *name = PG_GETARG_TEXT_PP(2);
	CalEntry   *e = cal_lookup(VARDATA_ANY(name), VARSIZE_ANY_EXHDR(name));

	PG_RETURN_TIMESTAMPTZ(cal_end_of_day(e, cal_due_day(e, PG_GETARG_TIMESTAMPTZ(0), PG_GETARG_INT32(1))));
}

/* cx.add_business_days(day date, n integer, calendar text) → date */
Datum
cx_add_business_days_date(PG_FUNCTION_ARGS)
{
	text	   *name = PG_GETARG_TEXT_PP(2);
	CalEntry   *e = cal_lookup(VARDATA_ANY(name), VARSIZE_ANY_EXHDR(name));
	int64		first,
				due;

	cal_check_status(cxcal_next_business_day(&e->cal, cal_date_day(PG_GETARG_DATEADT(0)), &first));
	cal_check_status(cxcal_add(&e->cal, first, PG_GETARG_INT32(1), &due));
	if (!IS_VALID_DATE(due))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("date out of range")));
	PG_RETURN_DATEADT((DateADT) due);
}

/* cx.due_at(started timestamptz, std cx.standard, calendar text) */
Datum
cx_due_at(PG_FUNCTION_ARGS)
{
	text	   *name = PG_GETARG_TEXT_PP(2);

	PG_RETURN_TIMESTAMPTZ(cal_due_at(PG_GETARG_TIMESTAMPTZ(0), PG_GETARG_STANDARD_P(1),
											 VARDATA_ANY(name), VARSIZE_ANY_EXHDR(name)));
}

/* cx.is_business_day(day date, calendar text) */
Datum
cx_is_business_day(PG_FUNCTION_ARGS)
{
	text	   *name = PG_GETARG_TEXT_PP(1);
	CalEntry   *e = cal_lookup(VARDATA_ANY(name), VARSIZE_ANY_EXHDR(name));
	int			ok;

	cal_check_status(cxcal_is_business_day(&e->cal, cal_date_day(PG_GETARG_DATEADT(0)), &ok));
	PG_RETURN_BOOL(ok != 0);
}

/* cx.us_federal_holidays(year) → (day, name, actual), ordered by day */
Datum
cx_us_federal_holidays(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	int32		year = PG_GETARG_INT32(0);
	CxcalHoliday h[CXCAL_N_FEDERAL];
	int			n,
				i;

	if (year < 1 || year > 294276)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("year %d is out of range", year),
				 errdetail("Federal holidays are computed for years 1 to 294276.")));
	InitMaterializedSRF(fcinfo, 0);
	n = cxcal_us_federal_holidays(year, h);
	for (i = 0; i < n; i++)
	{
		Datum		values[3];
		bool		nulls[3] = {false, false, false};

		values[0] = DateADTGetDatum((DateADT) h[i].day);
		values[1] = CStringGetTextDatum(cxcal_federal_name(h[i].which));
		values[2] = DateADTGetDatum((DateADT) h[i].actual);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

CX_NORETURN static void cal_not_trigger(FunctionCallInfo fcinfo);

/* Refuse a direct call of a trigger function. */
static void
cal_not_trigger(FunctionCallInfo fcinfo)
{
	ereport(ERROR,
			(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
			 errmsg("function %s can only be called as a trigger",
					fcinfo->flinfo ? format_procedure(fcinfo->flinfo->fn_oid) : "(unknown)")));
}

/* Statement trigger on cx.calendars and cx.holidays: tell every backend to drop its cache. */
Datum
cx_calendar_invalidate(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;

	if (!CALLED_AS_TRIGGER(fcinfo))
		cal_not_trigger(fcinfo);
	CacheInvalidateRelcacheByRelid(RelationGetRelid(trigdata->tg_relation));
	return PointerGetDatum(NULL);
}

/* Row trigger on cx.calendars: keep the built-in calendar, check the time zone. */
Datum
cx_calendars_check(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;
	TupleDesc	desc;
	HeapTuple	newtup = NULL;

	if (!CALLED_AS_TRIGGER(fcinfo))
		cal_not_trigger(fcinfo);
	/* only ever attached to cx.calendars, as its row and truncate triggers */
	if (RelationGetRelid(trigdata->tg_relation) !=
		get_relname_relid("calendars", get_namespace_oid("cx", false)) ||
		(!TRIGGER_FIRED_FOR_ROW(trigdata->tg_event) && !TRIGGER_FIRED_BY_TRUNCATE(trigdata->tg_event)) ||
		!TRIGGER_FIRED_BEFORE(trigdata->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("function cx.calendars_check() checks rows of cx.calendars only"),
				 errdetail("It was fired by a trigger on \"%s\".", RelationGetRelationName(trigdata->tg_relation)),
				 errhint("Do not attach it to other tables.")));
	desc = trigdata->tg_relation->rd_att;
	if (TRIGGER_FIRED_BY_TRUNCATE(trigdata->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("cannot truncate cx.calendars"),
				 errdetail("It holds the built-in calendar \"%s\".", CX_BUILTIN_CALENDAR),
				 errhint("Delete your own calendars with DELETE FROM cx.calendars WHERE name <> '%s'.",
						 CX_BUILTIN_CALENDAR)));
	if (TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event) || TRIGGER_FIRED_BY_DELETE(trigdata->tg_event))
	{
		char	   *oldname = SPI_getvalue(trigdata->tg_trigtuple, desc, SPI_fnumber(desc, "name"));

		if (oldname && strcmp(oldname, CX_BUILTIN_CALENDAR) == 0)
			ereport(ERROR,
					(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
					 errmsg("cannot change the built-in calendar \"%s\"", CX_BUILTIN_CALENDAR),
					 errdetail("It is defined by the extension and follows 5 U.S.C. 6103."),
					 errhint("Add closures to it in cx.holidays, or create your own calendar with federal_holidays = true.")));
	}
	if (TRIGGER_FIRED_BY_DELETE(trigdata->tg_event))
		return PointerGetDatum(trigdata->tg_trigtuple);
	newtup = TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event) ? trigdata->tg_newtuple : trigdata->tg_trigtuple;
	{
		char	   *zone = SPI_getvalue(newtup, desc, SPI_fnumber(desc, "time_zone"));

		if (zone == NULL || pg_tzset(zone) == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("time zone \"%s\" is not recognized", zone ? zone : ""),
					 errdetail("A calendar's time zone decides which day a timestamp falls on."),
					 errhint("Use a name from pg_timezone_names, such as 'America/New_York'.")));
	}
	return PointerGetDatum(newtup);
}
