/*
 * ratings.c — the cx.ratings type (an exact tally of survey answers on a
 * declared scale), its aggregates, accessors and inference functions.
 *
 * The arithmetic lives in ratings_core.c; this file is the fmgr glue.
 * Names: the SQL-callable entry points are cxr_* (the symbols the install
 * scripts name, kept as released), this file's own helpers rat_*, and the
 * core's functions and types cxr_* / Cxr* (ratings_core.h).
 */
#include "cx_metrics.h"

#include <math.h>

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "common/int.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "nodes/execnodes.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"

#include "ratings_core.h"

PG_FUNCTION_INFO_V1(cxr_in);
PG_FUNCTION_INFO_V1(cxr_out);
PG_FUNCTION_INFO_V1(cxr_recv);
PG_FUNCTION_INFO_V1(cxr_send);
PG_FUNCTION_INFO_V1(cxr_make);
PG_FUNCTION_INFO_V1(cxr_accum);
PG_FUNCTION_INFO_V1(cxr_accum_1_5);
PG_FUNCTION_INFO_V1(cxr_accum_0_10);
PG_FUNCTION_INFO_V1(cxr_merge);
PG_FUNCTION_INFO_V1(cxr_count);
PG_FUNCTION_INFO_V1(cxr_skipped);
PG_FUNCTION_INFO_V1(cxr_scale_low);
PG_FUNCTION_INFO_V1(cxr_scale_high);
PG_FUNCTION_INFO_V1(cxr_counts);
PG_FUNCTION_INFO_V1(cxr_mean_fn);
PG_FUNCTION_INFO_V1(cxr_stddev_fn);
PG_FUNCTION_INFO_V1(cxr_csat);
PG_FUNCTION_INFO_V1(cxr_top_box);
PG_FUNCTION_INFO_V1(cxr_bottom_box);
PG_FUNCTION_INFO_V1(cxr_nps_fn);
PG_FUNCTION_INFO_V1(cxr_index100);
PG_FUNCTION_INFO_V1(cxr_csat_ci);
PG_FUNCTION_INFO_V1(cxr_top_box_ci);
PG_FUNCTION_INFO_V1(cxr_bottom_box_ci);
PG_FUNCTION_INFO_V1(cxr_nps_moe);
PG_FUNCTION_INFO_V1(cxr_nps_ci);
PG_FUNCTION_INFO_V1(cxr_mean_ci);
PG_FUNCTION_INFO_V1(cxr_compare_csat);
PG_FUNCTION_INFO_V1(cxr_compare_top_box);
PG_FUNCTION_INFO_V1(cxr_compare_nps);
PG_FUNCTION_INFO_V1(cxr_compare_mean);

#define CXR_NPOINTS(t) ((int) ((VARSIZE(t) - CXR_HDRSZ) / sizeof(int64)))
#define CXR_HIGH(t) ((t)->low + CXR_NPOINTS(t) - 1)

/* Reject a stored value whose shape is impossible (corruption). */
static void
rat_check_shape(const CxrTally *t)
{
	Size		sz = VARSIZE(t);
	int			n;

	if (sz < CXR_HDRSZ + CXR_MIN_POINTS * sizeof(int64) ||
		(sz - CXR_HDRSZ) % sizeof(int64) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("corrupt cx.ratings value"),
				 errdetail("The value is %zu bytes long, which no tally has.", (size_t) sz)));
	n = CXR_NPOINTS(t);
	if (t->version != CXR_VERSION || t->flags != 0 || n > CXR_MAX_POINTS ||
		(int) t->low + n - 1 > CXR_SCALE_MAX || t->skipped < 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("corrupt cx.ratings value"),
				 errdetail("Version %d, flags %d, %d points from %d.", t->version, t->flags, n, t->low)));
}

/* Raise the error for counts whose total no longer fits in a bigint. */
static pg_noinline void
rat_overflow(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("ratings count out of range"),
			 errdetail("The number of answers does not fit in a bigint.")));
}

/* Detoast argument n as a tally and describe it in *v (then check its counts too). */
static CxrTally *
rat_arg(FunctionCallInfo fcinfo, int n, CxrView *v)
{
	CxrTally   *t = (CxrTally *) PG_DETOAST_DATUM(PG_GETARG_DATUM(n));

	rat_check_shape(t);
	if (v)
	{
		int64		total;

		if (cxr_total(t->counts, CXR_NPOINTS(t), &total) != 0)
			rat_overflow();
		v->low = t->low;
		v->npoints = CXR_NPOINTS(t);
		v->skipped = t->skipped;
		v->counts = t->counts;
	}
	return t;
}

/* Allocate an empty tally for the scale low..high in cxt. */
static CxrTally *
rat_new(MemoryContext cxt, int low, int npoints)
{
	Size		sz = CXR_HDRSZ + (Size) npoints * sizeof(int64);
	CxrTally   *t;

	StaticAssertStmt(CXR_HDRSZ == 16, "the header of a stored tally is 16 bytes");
	Assert(npoints >= CXR_MIN_POINTS && npoints <= CXR_MAX_POINTS);
	Assert(low >= CXR_SCALE_MIN && low + npoints - 1 <= CXR_SCALE_MAX);
	t = (CxrTally *) MemoryContextAllocZero(cxt, sz);

	SET_VARSIZE(t, sz);
	t->version = CXR_VERSION;
	t->flags = 0;
	t->low = (int16) low;
	t->skipped = 0;
	return t;
}

/* Validate a declared scale and return its number of points. */
static int
rat_scale_points(int64 low, int64 high)
{
	const char *why = NULL;

	if (cxr_check_scale(low, high, &why) != CXR_OK)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid rating scale %lld..%lld", (long long) low, (long long) high),
				 errdetail("%s", why),
				 errhint("Declare the scale of the question, for example 1 and 5 for an agreement scale or 0 and 10 for Net Promoter.")));
	return (int) (high - low + 1);
}

/* Raise the error for an answer outside its scale. */
static pg_noinline void
rat_out_of_scale(int32 answer, int low, int high)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("answer %d is outside the rating scale %d..%d", answer, low, high),
			 errdetail("Every answer must be a whole number from %d to %d.", low, high),
			 errhint("Check the scale declared for this question, or leave out invalid answers with WHERE answer BETWEEN %d AND %d.", low, high)));
}

/* Add one answer (argument 1, NULL = skipped) to the tally. */
static inline void
rat_add_answer(FunctionCallInfo fcinfo, CxrTally *st, int npoints)
{
	int32		answer;
	uint32		idx;

	if (PG_ARGISNULL(1))
	{
		if (unlikely(st->skipped == PG_INT64_MAX))
			rat_overflow();
		st->skipped++;
		return;
	}
	/* the state holds exactly the counts of its scale */
	Assert(npoints == CXR_NPOINTS(st) && npoints >= CXR_MIN_POINTS && npoints <= CXR_MAX_POINTS);
	answer = PG_GETARG_INT32(1);
	idx = (uint32) answer - (uint32) (int32) st->low;
	if (unlikely(idx >= (uint32) npoints))
		rat_out_of_scale(answer, st->low, st->low + npoints - 1);
	if (unlikely(st->counts[idx] == PG_INT64_MAX))
		rat_overflow();
	st->counts[idx]++;
}

/*
 * True when called as an aggregate transition function (the inline form of
 * AggCheckCallContext, for the per-row path).
 */
#define CXR_IN_AGG(fcinfo) \
	((fcinfo)->context != NULL && \
	 (IsA((fcinfo)->context, AggState) || IsA((fcinfo)->context, WindowAggState)))

/* First row of a group: check the context and scale, allocate the tally in the aggregate context. */
static pg_noinline CxrTally *
rat_first_state(FunctionCallInfo fcinfo, int32 low, int32 high)
{
	MemoryContext aggctx;
	int			npoints;

	if (!AggCheckCallContext(fcinfo, &aggctx))
		cx_not_in_aggregate(fcinfo, "cx.ratings, cx.csat, cx.nps or cx.mean_score");
	npoints = rat_scale_points(low, high);
	return rat_new(aggctx, low, npoints);
}

/* Raise the error for a transition function called outside an aggregate. */
static pg_noinline void
rat_not_in_agg(FunctionCallInfo fcinfo)
{
	cx_not_in_aggregate(fcinfo, "cx.ratings, cx.csat, cx.nps or cx.mean_score");
}

/* Raise the error for a scale that differs from the group's first row. */
static pg_noinline void
rat_scale_changed(const CxrTally *st, int32 low, int32 high)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("rating scale changed from %d..%d to %d..%d within one aggregate",
					st->low, CXR_HIGH(st), low, high),
			 errdetail("One tally counts answers to questions on one scale."),
			 errhint("Group by the question, or pass the scale as constants.")));
}

/*
 * Check a state the transition function did not create (an aggregate's
 * initial value): its shape, and its scale against low..high.
 */
static pg_noinline void
rat_check_state(const CxrTally *st, int32 low, int32 high)
{
	int64		total;

	if (VARATT_IS_EXTENDED(st))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid cx.ratings transition state"),
				 errdetail("The state is not a plain in-memory tally.")));
	rat_check_shape(st);
	if (low != st->low || high != CXR_HIGH(st))
		rat_scale_changed(st, low, high);
	if (cxr_total(st->counts, CXR_NPOINTS(st), &total) != 0)
		rat_overflow();
}

/*
 * The transition state: created on the first row, afterwards the same
 * tally, updated in place.  The per-row path allocates nothing and calls
 * nothing but compares the state's size with the scale's (a state handed
 * in by an aggregate's initial value may be on any scale).
 */
static inline CxrTally *
rat_state(FunctionCallInfo fcinfo, int32 low, int32 high)
{
	CxrTally   *st;

	if (unlikely(PG_ARGISNULL(0)))
		return rat_first_state(fcinfo, low, high);
	if (unlikely(!CXR_IN_AGG(fcinfo)))
		rat_not_in_agg(fcinfo);
	st = (CxrTally *) PG_GETARG_POINTER(0);
	if (unlikely(VARATT_IS_EXTENDED(st) || st->low != low ||
				 VARSIZE(st) != CXR_HDRSZ + (int64) ((int64) high - low + 1) * (int64) sizeof(int64)))
		rat_check_state(st, low, high);
	return st;
}

/* Raise the error for a NULL scale bound. */
static pg_noinline void
rat_null_scale(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
			 errmsg("rating scale bounds must not be null"),
			 errhint("Declare the scale of the question, for example cx.ratings(answer, 1, 5).")));
}

/* cx.ratings(answer, low, high) transition: count one answer, in place. */
Datum
cxr_accum(PG_FUNCTION_ARGS)
{
	CxrTally   *st;
	int32		low,
				high;
	int			npoints;

	if (unlikely(PG_ARGISNULL(2) || PG_ARGISNULL(3)))
		rat_null_scale();
	low = PG_GETARG_INT32(2);
	high = PG_GETARG_INT32(3);
	st = rat_state(fcinfo, low, high);
	npoints = CXR_NPOINTS(st);
	if (unlikely(low != st->low || high != st->low + npoints - 1))
		rat_scale_changed(st, low, high);
	rat_add_answer(fcinfo, st, npoints);
	PG_RETURN_POINTER(st);
}

/* Transition of the 1..5 shorthands (cx.csat(answer)). */
Datum
cxr_accum_1_5(PG_FUNCTION_ARGS)
{
	CxrTally   *st = rat_state(fcinfo, 1, 5);

	rat_add_answer(fcinfo, st, 5);
	PG_RETURN_POINTER(st);
}

/* Transition of the 0..10 shorthand (cx.nps(answer)). */
Datum
cxr_accum_0_10(PG_FUNCTION_ARGS)
{
	CxrTally   *st = rat_state(fcinfo, 0, 10);

	rat_add_answer(fcinfo, st, 11);
	PG_RETURN_POINTER(st);
}

/* Merge two tallies (rollup transition, combine function, plain function). */
Datum
cxr_merge(PG_FUNCTION_ARGS)
{
	MemoryContext aggctx;
	bool		inagg = AggCheckCallContext(fcinfo, &aggctx) != 0;
	CxrTally   *st,
			   *v;
	int			n,
				i;
	int64		total;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	v = rat_arg(fcinfo, 1, NULL);
	if (PG_ARGISNULL(0))
	{
		if (!inagg)
			PG_RETURN_POINTER(v);
		st = (CxrTally *) MemoryContextAlloc(aggctx, VARSIZE(v));
		memcpy(st, v, VARSIZE(v));
		PG_RETURN_POINTER(st);
	}
	st = rat_arg(fcinfo, 0, NULL);
	n = CXR_NPOINTS(st);
	if (st->low != v->low || n != CXR_NPOINTS(v))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot merge ratings on different scales"),
				 errdetail("One value is on the scale %d..%d, the other on %d..%d.",
						   st->low, CXR_HIGH(st), v->low, CXR_HIGH(v)),
				 errhint("Roll up answers to the same question only, for example by grouping by the question.")));
	if (!inagg)
	{
		CxrTally   *copy = (CxrTally *) palloc(VARSIZE(st));

		memcpy(copy, st, VARSIZE(st));
		st = copy;
	}
	for (i = 0; i < n; i++)
		if (pg_add_s64_overflow(st->counts[i], v->counts[i], &st->counts[i]))
			goto overflow;
	if (pg_add_s64_overflow(st->skipped, v->skipped, &st->skipped) ||
		cxr_total(st->counts, n, &total) != 0)
		goto overflow;
	PG_RETURN_POINTER(st);

overflow:
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("ratings count out of range"),
			 errdetail("The merged number of answers does not fit in a bigint.")));
	PG_RETURN_NULL();
}

/* Text input: "low..high: c1 c2 ... cn[; k skipped]". */
Datum
cxr_in(PG_FUNCTION_ARGS)
{
	char	   *s = PG_GETARG_CSTRING(0);
	int64		counts[CXR_MAX_POINTS];
	int			low,
				n;
	int64		skipped;
	const char *why = NULL;
	cxr_status	rc;
	CxrTally   *t;

	rc = cxr_parse(s, &low, &n, &skipped, (int64_t *) counts, &why);
	if (rc != CXR_OK)
		ereport(ERROR,
				(errcode(rc == CXR_ESYNTAX ? ERRCODE_INVALID_TEXT_REPRESENTATION :
						 rc == CXR_ESCALE ? ERRCODE_INVALID_PARAMETER_VALUE :
						 ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("invalid input syntax for type cx.ratings: \"%s\"", s),
				 errdetail("%s", why),
				 errhint("Write the scale, then one count per point, as in '1..5: 3 0 10 25 40'.")));
	t = rat_new(CurrentMemoryContext, low, n);
	t->skipped = skipped;
	memcpy(t->counts, counts, n * sizeof(int64));
	PG_RETURN_POINTER(t);
}

/* Text output. */
Datum
cxr_out(PG_FUNCTION_ARGS)
{
	CxrView		v;
	size_t		need;
	char	   *buf;

	rat_arg(fcinfo, 0, &v);
	need = cxr_format(&v, NULL, 0);
	buf = palloc(need);
	cxr_format(&v, buf, need);
	PG_RETURN_CSTRING(buf);
}

/* Raise the error for a malformed binary value. */
static void
rat_bad_binary(const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid binary cx.ratings value"),
			 errdetail("%s", detail)));
}

/* Binary input (decoded by cxr_decode_binary; format in ratings_core.h). */
Datum
cxr_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int64		counts[CXR_MAX_POINTS];
	int			low,
				n;
	int64		skipped;
	const char *why = NULL;
	CxrTally   *t;

	if (cxr_decode_binary((const uint8_t *) buf->data + buf->cursor,
						  (size_t) (buf->len - buf->cursor), &low, &n, &skipped,
						  (int64_t *) counts, &why) != CXR_OK)
		rat_bad_binary(why);
	buf->cursor = buf->len;
	t = rat_new(CurrentMemoryContext, low, n);
	t->skipped = skipped;
	memcpy(t->counts, counts, n * sizeof(int64));
	PG_RETURN_POINTER(t);
}

/* Binary output (see cxr_encode_binary for the format). */
Datum
cxr_send(PG_FUNCTION_ARGS)
{
	CxrView		v;
	size_t		n;
	bytea	   *out;

	rat_arg(fcinfo, 0, &v);
	n = cxr_binary_size(v.npoints);
	out = (bytea *) palloc(VARHDRSZ + n);
	cxr_encode_binary(&v, (uint8_t *) VARDATA(out));
	SET_VARSIZE(out, VARHDRSZ + n);
	PG_RETURN_BYTEA_P(out);
}

/* cx.make_ratings(low, high, counts bigint[], skipped): build a tally from counts. */
Datum
cxr_make(PG_FUNCTION_ARGS)
{
	int32		low = PG_GETARG_INT32(0),
				high = PG_GETARG_INT32(1);
	ArrayType  *arr = PG_GETARG_ARRAYTYPE_P(2);
	int64		skipped = PG_GETARG_INT64(3);
	int			n = rat_scale_points(low, high),
				nelems,
				i;
	Datum	   *elems;
	bool	   *nulls;
	CxrTally   *t;
	int64		total;

	if (ARR_NDIM(arr) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("counts must be a one-dimensional array")));
	deconstruct_array(arr, INT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE, &elems, &nulls, &nelems);
	if (nelems != n)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%d counts given for the %d points of the scale %d..%d", nelems, n, low, high),
				 errhint("Give one count per point, zeros included.")));
	t = rat_new(CurrentMemoryContext, low, n);
	for (i = 0; i < n; i++)
	{
		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("counts must not be null"),
					 errhint("Use 0 for a point nobody chose.")));
		t->counts[i] = DatumGetInt64(elems[i]);
	}
	if (skipped < 0 || cxr_total(t->counts, n, &total) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("counts must not be negative and their total must fit in a bigint")));
	t->skipped = skipped;
	PG_RETURN_POINTER(t);
}

/* Number of answers. */
Datum
cxr_count(PG_FUNCTION_ARGS)
{
	CxrView		v;

	rat_arg(fcinfo, 0, &v);
	PG_RETURN_INT64(cxr_n(&v));
}

/* Number of skipped (NULL) answers. */
Datum
cxr_skipped(PG_FUNCTION_ARGS)
{
	CxrView		v;

	rat_arg(fcinfo, 0, &v);
	PG_RETURN_INT64(v.skipped);
}

/* Lowest point of the scale. */
Datum
cxr_scale_low(PG_FUNCTION_ARGS)
{
	CxrView		v;

	rat_arg(fcinfo, 0, &v);
	PG_RETURN_INT32(v.low);
}

/* Highest point of the scale. */
Datum
cxr_scale_high(PG_FUNCTION_ARGS)
{
	CxrView		v;

	rat_arg(fcinfo, 0, &v);
	PG_RETURN_INT32(v.low + v.npoints - 1);
}

/* The counts per point, lowest point first, as bigint[]. */
Datum
cxr_counts(PG_FUNCTION_ARGS)
{
	CxrView		v;
	Datum	   *d;
	int			i;

	rat_arg(fcinfo, 0, &v);
	d = palloc(v.npoints * sizeof(Datum));
	for (i = 0; i < v.npoints; i++)
		d[i] = Int64GetDatum(v.counts[i]);
	PG_RETURN_ARRAYTYPE_P(construct_array(d, v.npoints, INT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
}

/* Return a double, or NULL when it is NaN (undefined). */
#define CXR_RETURN_DOUBLE_OR_NULL(x) \
	do { double r_ = (x); if (isnan(r_)) PG_RETURN_NULL(); PG_RETURN_FLOAT8(r_); } while (0)

/* Mean answer; NULL when there are no answers. */
Datum
cxr_mean_fn(PG_FUNCTION_ARGS)
{
	CxrView		v;

	rat_arg(fcinfo, 0, &v);
	CXR_RETURN_DOUBLE_OR_NULL(cxr_mean(&v));
}

/* Sample standard deviation; NULL below two answers. */
Datum
cxr_stddev_fn(PG_FUNCTION_ARGS)
{
	CxrView		v;

	rat_arg(fcinfo, 0, &v);
	CXR_RETURN_DOUBLE_OR_NULL(sqrt(cxr_variance(&v)));
}

/* Validate a box size k against a scale. */
static void
rat_check_k(int32 k, const CxrView *v)
{
	if (k < 1 || k > v->npoints)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("box size %d is outside 1..%d", k, v->npoints),
				 errdetail("The scale %d..%d has %d points.", v->low, v->low + v->npoints - 1, v->npoints),
				 errhint("Use 2 for top-2-box, 1 for top-box.")));
}

/* Percent of answers in the top k points (k < 0: bottom -k); NaN when n = 0. */
static double
rat_box_percent(const CxrView *v, int k)
{
	int64		n = cxr_n(v);
	int64		x = k > 0 ? cxr_top_count(v, k) : cxr_bottom_count(v, -k);

	if (n == 0)
		return NAN;
	/* ratio first: x <= n, so the rounded share stays within [0, 100] */
	return 100.0 * ((double) x / (double) n);
}

/* CSAT: percent of answers in the positive set (points above the midpoint). */
Datum
cxr_csat(PG_FUNCTION_ARGS)
{
	CxrView		v;

	rat_arg(fcinfo, 0, &v);
	CXR_RETURN_DOUBLE_OR_NULL(rat_box_percent(&v, cxr_positive_points(v.npoints)));
}

/* Percent of answers in the top k points. */
Datum
cxr_top_box(PG_FUNCTION_ARGS)
{
	CxrView		v;
	int32		k = PG_GETARG_INT32(1);

	rat_arg(fcinfo, 0, &v);
	rat_check_k(k, &v);
	CXR_RETURN_DOUBLE_OR_NULL(rat_box_percent(&v, k));
}

/* Percent of answers in the bottom k points. */
Datum
cxr_bottom_box(PG_FUNCTION_ARGS)
{
	CxrView		v;
	int32		k = PG_GETARG_INT32(1);

	rat_arg(fcinfo, 0, &v);
	rat_check_k(k, &v);
	CXR_RETURN_DOUBLE_OR_NULL(rat_box_percent(&v, -k));
}

/* Require the 0..10 scale of the Net Promoter question. */
static void
rat_check_nps_scale(const CxrView *v)
{
	if (v->low != 0 || v->npoints != 11)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("Net Promoter Score needs the rating scale 0..10"),
				 errdetail("This ratings value is on the scale %d..%d.", v->low, v->low + v->npoints - 1),
				 errhint("For other scales use cx.top_box() and cx.bottom_box().")));
}

/* Net Promoter Score, -100..100. */
Datum
cxr_nps_fn(PG_FUNCTION_ARGS)
{
	CxrView		v;

	rat_arg(fcinfo, 0, &v);
	rat_check_nps_scale(&v);
	CXR_RETURN_DOUBLE_OR_NULL(cxr_nps(&v));
}

/* Mean rescaled to 0..100: (mean - low) / (high - low) * 100. */
Datum
cxr_index100(PG_FUNCTION_ARGS)
{
	CxrView		v;
	double		m;

	rat_arg(fcinfo, 0, &v);
	m = cxr_mean(&v);
	CXR_RETURN_DOUBLE_OR_NULL((m - v.low) / (v.npoints - 1) * 100.0);
}

/* Two-sided critical z of a confidence level argument, validated. */
static double
rat_conf_z(double confidence)
{
	if (!(confidence > 0 && confidence < 1))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("confidence level %g is outside (0, 1)", confidence),
				 errhint("Use for example 0.95 for a 95%% interval.")));
	return cxr_z_for_confidence(confidence);
}

/* Build the composite result of fcinfo from doubles (NaN becomes NULL). */
static Datum
rat_tuple(FunctionCallInfo fcinfo, int n, const double *vals)
{
	TupleDesc	td;
	Datum		d[4];
	bool		nulls[4];
	int			i;

	if (get_call_result_type(fcinfo, NULL, &td) != TYPEFUNC_COMPOSITE || td->natts != n)
		elog(ERROR, "cx ratings: unexpected result type");
	td = BlessTupleDesc(td);
	for (i = 0; i < n; i++)
	{
		nulls[i] = isnan(vals[i]);
		d[i] = Float8GetDatum(nulls[i] ? 0 : vals[i]);
	}
	return HeapTupleGetDatum(heap_form_tuple(td, d, nulls));
}

/* Wilson interval (percent) of the top k (k < 0: bottom -k) points. */
static Datum
rat_box_ci(FunctionCallInfo fcinfo, const CxrView *v, int k, double confidence)
{
	double		z = rat_conf_z(confidence);
	int64		n = cxr_n(v);
	int64		x = k > 0 ? cxr_top_count(v, k) : cxr_bottom_count(v, -k);
	double		r[2] = {NAN, NAN};

	if (n > 0)
	{
		cxr_wilson(x, n, z, &r[0], &r[1]);
		r[0] *= 100.0;
		r[1] *= 100.0;
	}
	return rat_tuple(fcinfo, 2, r);
}

/* Wilson interval of csat, in percent. */
Datum
cxr_csat_ci(PG_FUNCTION_ARGS)
{
	CxrView		v;

	rat_arg(fcinfo, 0, &v);
	return rat_box_ci(fcinfo, &v, cxr_positive_points(v.npoints), PG_GETARG_FLOAT8(1));
}

/* Wilson interval of top_box(k), in percent. */
Datum
cxr_top_box_ci(PG_FUNCTION_ARGS)
{
	CxrView		v;
	int32		k = PG_GETARG_INT32(1);

	rat_arg(fcinfo, 0, &v);
	rat_check_k(k, &v);
	return rat_box_ci(fcinfo, &v, k, PG_GETARG_FLOAT8(2));
}

/* Wilson interval of bottom_box(k), in percent. */
Datum
cxr_bottom_box_ci(PG_FUNCTION_ARGS)
{
	CxrView		v;
	int32		k = PG_GETARG_INT32(1);

	rat_arg(fcinfo, 0, &v);
	rat_check_k(k, &v);
	return rat_box_ci(fcinfo, &v, -k, PG_GETARG_FLOAT8(2));
}

/* NPS margin of error z * sqrt(Var / n); NaN below two answers. */
static double
rat_nps_margin(const CxrView *v, double z)
{
	int64		n = cxr_n(v);

	if (n < 2)
		return NAN;
	return z * sqrt(cxr_nps_variance(v) / (double) n);
}

/* Margin of error of the NPS at a confidence level, in NPS points. */
Datum
cxr_nps_moe(PG_FUNCTION_ARGS)
{
	CxrView		v;
	double		z;

	rat_arg(fcinfo, 0, &v);
	rat_check_nps_scale(&v);
	z = rat_conf_z(PG_GETARG_FLOAT8(1));
	CXR_RETURN_DOUBLE_OR_NULL(rat_nps_margin(&v, z));
}

/* NPS interval: nps -/+ margin of error, clipped to -100..100. */
Datum
cxr_nps_ci(PG_FUNCTION_ARGS)
{
	CxrView		v;
	double		z,
				m,
				r[2] = {NAN, NAN};

	rat_arg(fcinfo, 0, &v);
	rat_check_nps_scale(&v);
	z = rat_conf_z(PG_GETARG_FLOAT8(1));
	m = rat_nps_margin(&v, z);
	if (!isnan(m))
	{
		r[0] = fmax(-100.0, cxr_nps(&v) - m);
		r[1] = fmin(100.0, cxr_nps(&v) + m);
	}
	return rat_tuple(fcinfo, 2, r);
}

/* t interval of the mean: mean -/+ t(n-1) * s / sqrt(n); NULL below two answers. */
Datum
cxr_mean_ci(PG_FUNCTION_ARGS)
{
	CxrView		v;
	double		conf = PG_GETARG_FLOAT8(1),
				r[2] = {NAN, NAN};
	int64		n;

	rat_arg(fcinfo, 0, &v);
	(void) rat_conf_z(conf);
	n = cxr_n(&v);
	if (n >= 2)
	{
		double		m = cxr_mean(&v),
					h = cxr_t_quantile(1.0 - (1.0 - conf) / 2.0, (double) (n - 1)) *
			sqrt(cxr_variance(&v) / (double) n);

		r[0] = m - h;
		r[1] = m + h;
	}
	return rat_tuple(fcinfo, 2, r);
}

/* Require two tallies on the same scale for a comparison. */
static void
rat_check_same_scale(const CxrView *a, const CxrView *b)
{
	if (a->low != b->low || a->npoints != b->npoints)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot compare ratings on different scales"),
				 errdetail("One value is on the scale %d..%d, the other on %d..%d.",
						   a->low, a->low + a->npoints - 1, b->low, b->low + b->npoints - 1)));
}

/* Two-proportion z test of the top k (k < 0: bottom -k) points, b minus a. */
static Datum
rat_compare_box(FunctionCallInfo fcinfo, const CxrView *a, const CxrView *b, int k)
{
	int64		na = cxr_n(a),
				nb = cxr_n(b);
	double		r[3] = {NAN, NAN, NAN};

	if (na > 0 && nb > 0)
	{
		int64		xa = k > 0 ? cxr_top_count(a, k) : cxr_bottom_count(a, -k);
		int64		xb = k > 0 ? cxr_top_count(b, k) : cxr_bottom_count(b, -k);

		r[0] = 100.0 * ((double) xb / (double) nb - (double) xa / (double) na);
		if (cxr_two_prop_z(xa, na, xb, nb, &r[1], &r[2]) != 0)
			r[1] = r[2] = NAN;
	}
	return rat_tuple(fcinfo, 3, r);
}

/* Compare the csat of two periods: difference (points), z, p-value. */
Datum
cxr_compare_csat(PG_FUNCTION_ARGS)
{
	CxrView		a,
				b;

	rat_arg(fcinfo, 0, &a);
	rat_arg(fcinfo, 1, &b);
	rat_check_same_scale(&a, &b);
	return rat_compare_box(fcinfo, &a, &b, cxr_positive_points(a.npoints));
}

/* Compare the top-k box of two periods: difference (points), z, p-value. */
Datum
cxr_compare_top_box(PG_FUNCTION_ARGS)
{
	CxrView		a,
				b;
	int32		k = PG_GETARG_INT32(2);

	rat_arg(fcinfo, 0, &a);
	rat_arg(fcinfo, 1, &b);
	rat_check_same_scale(&a, &b);
	rat_check_k(k, &a);
	return rat_compare_box(fcinfo, &a, &b, k);
}

/* Compare the NPS of two periods: difference, standard error, z, p-value. */
Datum
cxr_compare_nps(PG_FUNCTION_ARGS)
{
	CxrView		a,
				b;
	int64		na,
				nb;
	double		r[4] = {NAN, NAN, NAN, NAN};

	rat_arg(fcinfo, 0, &a);
	rat_arg(fcinfo, 1, &b);
	rat_check_nps_scale(&a);
	rat_check_nps_scale(&b);
	na = cxr_n(&a);
	nb = cxr_n(&b);
	if (na > 0 && nb > 0)
		r[0] = cxr_nps(&b) - cxr_nps(&a);
	if (na >= 2 && nb >= 2)
	{
		double		se = sqrt(cxr_nps_variance(&a) / (double) na + cxr_nps_variance(&b) / (double) nb);

		if (se > 0)
		{
			r[1] = se;
			r[2] = r[0] / se;
			r[3] = erfc(fabs(r[2]) / sqrt(2.0));
		}
	}
	return rat_tuple(fcinfo, 4, r);
}

/* Compare the means of two periods (Welch): difference, t, df, p-value. */
Datum
cxr_compare_mean(PG_FUNCTION_ARGS)
{
	CxrView		a,
				b;
	int64		na,
				nb;
	double		r[4] = {NAN, NAN, NAN, NAN};

	rat_arg(fcinfo, 0, &a);
	rat_arg(fcinfo, 1, &b);
	rat_check_same_scale(&a, &b);
	na = cxr_n(&a);
	nb = cxr_n(&b);
	if (na > 0 && nb > 0)
		r[0] = cxr_mean(&b) - cxr_mean(&a);
	if (na >= 2 && nb >= 2 &&
		cxr_welch(cxr_mean(&a), cxr_variance(&a), (double) na,
				  cxr_mean(&b), cxr_variance(&b), (double) nb,
				  &r[1], &r[2], &r[3]) != 0)
		r[1] = r[2] = r[3] = NAN;
	return rat_tuple(fcinfo, 4, r);
}
