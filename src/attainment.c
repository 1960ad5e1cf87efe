/*
 * attainment.c — judging a set of items against a service standard:
 * cx.attainment (share of items within the allowance) and cx.meets
 * (attainment >= target), exact, as parallel-safe aggregates.
 *
 * The state is bigint[6] = {items, within, target_ppm, amount, unit,
 * calendar hash}, updated in place inside the aggregate; the standard and
 * the calendar must be the same on every row of a group.
 */
#include "cx_metrics.h"

#include "catalog/pg_type.h"
#include "common/int.h"
#include "common/hashfn.h"
#include "utils/array.h"
#include "utils/builtins.h"

#include "calendar.h"
#include "standard.h"

PG_FUNCTION_INFO_V1(cx_attain_interval_trans);
PG_FUNCTION_INFO_V1(cx_attain_span_trans);
PG_FUNCTION_INFO_V1(cx_attain_combine);
PG_FUNCTION_INFO_V1(cx_attain_final);
PG_FUNCTION_INFO_V1(cx_meets_final);

#define ATT_N		6
#define ATT_ITEMS	0
#define ATT_WITHIN	1
#define ATT_PPM		2
#define ATT_AMOUNT	3
#define ATT_UNIT	4
#define ATT_CAL		5

/* Reject an attainment state that no attainment aggregate can have built. */
static pg_noinline void
att_bad_state(const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid attainment state"),
			 errdetail("%s", detail),
			 errhint("The state is bigint[6] = {items, within, target ppm, amount, unit, calendar hash}, starting at {0,0,0,0,0,0}.")));
}

/*
 * Check and return the counters of an attainment state array.  The
 * standard it records is checked unless it equals known, a standard already
 * checked (the row's own, on the per-row path).
 */
static int64 *
att_counters_known(ArrayType *arr, const CxstdStandard *known)
{
	int64	   *c;

	if (ARR_NDIM(arr) != 1 || ARR_DIMS(arr)[0] != ATT_N || ARR_HASNULL(arr) ||
		ARR_ELEMTYPE(arr) != INT8OID)
		att_bad_state("The state must be a one-dimensional bigint array of six non-null elements.");
	c = (int64 *) ARR_DATA_PTR(arr);
	if (c[ATT_ITEMS] < 0 || c[ATT_WITHIN] < 0 || c[ATT_WITHIN] > c[ATT_ITEMS])
		att_bad_state("The counts must satisfy 0 <= within <= items.");
	if (c[ATT_UNIT] == 0)
	{
		if (c[ATT_ITEMS] != 0 || c[ATT_PPM] != 0 || c[ATT_AMOUNT] != 0 || c[ATT_CAL] != 0)
			att_bad_state("A state without a standard must be all zeros.");
	}
	else if (known == NULL || c[ATT_PPM] != known->target_ppm ||
			 c[ATT_AMOUNT] != known->amount || c[ATT_UNIT] != known->unit)
	{
		CxstdStandard std;

		if (c[ATT_PPM] < PG_INT32_MIN || c[ATT_PPM] > PG_INT32_MAX ||
			c[ATT_AMOUNT] < PG_INT32_MIN || c[ATT_AMOUNT] > PG_INT32_MAX ||
			c[ATT_UNIT] < PG_INT32_MIN || c[ATT_UNIT] > PG_INT32_MAX)
			att_bad_state("The standard of the state is not a valid standard.");
		std.target_ppm = (int32) c[ATT_PPM];
		std.amount = (int32) c[ATT_AMOUNT];
		std.unit = (int32) c[ATT_UNIT];
		if (cxstd_validate(&std) != CXSTD_OK)
			att_bad_state("The standard of the state is not a valid standard.");
		if (std.unit != CXSTD_BUSINESS_DAYS && c[ATT_CAL] != 0)
			att_bad_state("An elapsed-time standard has no calendar.");
	}
	else if (known->unit != CXSTD_BUSINESS_DAYS && c[ATT_CAL] != 0)
		att_bad_state("An elapsed-time standard has no calendar.");
	return c;
}

/* Check and return the counters of an attainment state array. */
static int64 *
att_counters(ArrayType *arr)
{
	return att_counters_known(arr, NULL);
}

/* Raise the error for an item count that no longer fits in a bigint. */
static pg_noinline void
att_overflow(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("attainment count out of range"),
			 errdetail("The number of items does not fit in a bigint.")));
}

/* Count one item (within the allowance or not). */
static inline void
att_count(int64 *c, bool within)
{
	/* a checked state (att_counters_known) */
	Assert(c[ATT_WITHIN] >= 0 && c[ATT_WITHIN] <= c[ATT_ITEMS]);
	if (unlikely(c[ATT_ITEMS] == PG_INT64_MAX))
		att_overflow();
	c[ATT_ITEMS]++;
	c[ATT_WITHIN] += within;
}

/*
 * The state of argument 0, checked (known: a checked standard, or NULL),
 * writable in place inside an aggregate.
 */
static ArrayType *
att_state(FunctionCallInfo fcinfo, const CxstdStandard *known)
{
	ArrayType  *arr;

	if (AggCheckCallContext(fcinfo, NULL))
		arr = PG_GETARG_ARRAYTYPE_P(0);
	else
		arr = PG_GETARG_ARRAYTYPE_P_COPY(0);
	(void) att_counters_known(arr, known);
	return arr;
}

/* Record the standard (and calendar) of the group, or check it is the same. */
static void
att_set_standard(int64 *c, const CxstdStandard *std, int64 calhash)
{
	if (c[ATT_UNIT] == 0)
	{
		c[ATT_PPM] = std->target_ppm;
		c[ATT_AMOUNT] = std->amount;
		c[ATT_UNIT] = std->unit;
		c[ATT_CAL] = calhash;
		return;
	}
	if (c[ATT_PPM] != std->target_ppm || c[ATT_AMOUNT] != std->amount || c[ATT_UNIT] != std->unit)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("standard must be the same for every row of a group"),
				 errdetail("Attainment judges one set of items against one standard."),
				 errhint("Group by the standard, for example GROUP BY product_line, standard.")));
	if (c[ATT_CAL] != calhash)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("calendar must be the same for every row of a group"),
				 errhint("Group by the calendar too.")));
}

/* cx.attainment / cx.meets (duration interval, std) transition (STRICT: NULL rows are skipped). */
Datum
cx_attain_interval_trans(PG_FUNCTION_ARGS)
{
	CxstdStandard *std = PG_GETARG_STANDARD_P(2);
	ArrayType  *arr = att_state(fcinfo, std);
	int64	   *c = (int64 *) ARR_DATA_PTR(arr);
	Interval   *dur = PG_GETARG_INTERVAL_P(1);

	cx_check_interval_finite(dur, "duration");
	if (std->unit == CXSTD_BUSINESS_DAYS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a business-day standard cannot judge a duration"),
				 errdetail("Business days depend on when an item started, not only on how long it took."),
				 errhint("Use the form with start and finish times: cx.attainment(started, finished, standard).")));
	att_set_standard(c, std, 0);
	att_count(c, CX_INTERVAL_USECS(dur) <= (int128) cxstd_allowance_usecs(std));
	PG_RETURN_ARRAYTYPE_P(arr);
}

/* cx.attainment / cx.meets (started, finished, std [, calendar]) transition (STRICT). */
Datum
cx_attain_span_trans(PG_FUNCTION_ARGS)
{
	ArrayType  *arr = att_state(fcinfo, PG_GETARG_STANDARD_P(3));
	int64	   *c = (int64 *) ARR_DATA_PTR(arr);
	TimestampTz started,
				finished;
	CxstdStandard *std;
	const char *calname = "us_federal";
	int			callen = 10;
	bool		within;

	started = PG_GETARG_TIMESTAMPTZ(1);
	finished = PG_GETARG_TIMESTAMPTZ(2);
	std = PG_GETARG_STANDARD_P(3);
	if (PG_NARGS() > 4)
	{
		text	   *cal = PG_GETARG_TEXT_PP(4);

		calname = VARDATA_ANY(cal);
		callen = VARSIZE_ANY_EXHDR(cal);
	}
	att_set_standard(c, std, std->unit == CXSTD_BUSINESS_DAYS ?
					 (int64) hash_bytes_extended((const unsigned char *) calname, callen, 0) : 0);
	if (std->unit == CXSTD_BUSINESS_DAYS)
		within = cal_business_days(started, finished, calname, callen) <= std->amount;
	else
	{
		if (TIMESTAMP_NOT_FINITE(started) || TIMESTAMP_NOT_FINITE(finished))
			ereport(ERROR,
					(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
					 errmsg("timestamp must be finite"),
					 errdetail("Attainment is measured between finite start and finish times.")));
		within = (int128) finished - (int128) started <= (int128) cxstd_allowance_usecs(std);
	}
	att_count(c, within);
	PG_RETURN_ARRAYTYPE_P(arr);
}

/* Combine two attainment states (parallel workers, partial aggregation). */
Datum
cx_attain_combine(PG_FUNCTION_ARGS)
{
	ArrayType  *a = att_state(fcinfo, NULL);
	int64	   *ca = (int64 *) ARR_DATA_PTR(a);
	int64	   *cb = att_counters(PG_GETARG_ARRAYTYPE_P(1));

	if (cb[ATT_UNIT] != 0)
	{
		if (ca[ATT_UNIT] == 0)
		{
			ca[ATT_PPM] = cb[ATT_PPM];
			ca[ATT_AMOUNT] = cb[ATT_AMOUNT];
			ca[ATT_UNIT] = cb[ATT_UNIT];
			ca[ATT_CAL] = cb[ATT_CAL];
		}
		else
		{
			CxstdStandard std;

			std.target_ppm = (int32) cb[ATT_PPM];
			std.amount = (int32) cb[ATT_AMOUNT];
			std.unit = (int32) cb[ATT_UNIT];
			att_set_standard(ca, &std, cb[ATT_CAL]);
		}
	}
	if (pg_add_s64_overflow(ca[ATT_ITEMS], cb[ATT_ITEMS], &ca[ATT_ITEMS]) ||
		pg_add_s64_overflow(ca[ATT_WITHIN], cb[ATT_WITHIN], &ca[ATT_WITHIN]))
		att_overflow();
	PG_RETURN_ARRAYTYPE_P(a);
}

/* Share of items within the allowance; NULL without items. */
Datum
cx_attain_final(PG_FUNCTION_ARGS)
{
	int64	   *c = att_counters(PG_GETARG_ARRAYTYPE_P(0));

	if (c[ATT_ITEMS] == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8((double) c[ATT_WITHIN] / (double) c[ATT_ITEMS]);
}

/* Does the share within the allowance reach the target (exactly)? NULL without items. */
Datum
cx_meets_final(PG_FUNCTION_ARGS)
{
	int64	   *c = att_counters(PG_GETARG_ARRAYTYPE_P(0));

	if (c[ATT_ITEMS] == 0)
		PG_RETURN_NULL();
	PG_RETURN_BOOL((int128) c[ATT_WITHIN] * CXSTD_PPM_MAX >= (int128) c[ATT_PPM] * c[ATT_ITEMS]);
}
