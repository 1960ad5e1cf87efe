/*
 * sketch.c — PostgreSQL glue for the cycle-time sketch types
 * cx.cycle_sketch (built from intervals) and cx.number_sketch (built from
 * double precision).  Both share one binary layout (sketch_core.h); a flag
 * records the kind and every input path checks it against the SQL type.
 *
 * The aggregates' state is the sketch type itself.  While aggregating it is
 * kept in the dense layout and updated in place; when a bucket falls outside
 * the allocated slots a larger copy is built in the per-call memory context
 * and returned, and the executor moves it into the aggregate context (and
 * frees the old one).  The final function writes the compact layout.
 */
#include "cx_metrics.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/tuplestore.h"

#include "sketch_core.h"

PG_FUNCTION_INFO_V1(cx_sketch_in_interval);
PG_FUNCTION_INFO_V1(cx_sketch_in_number);
PG_FUNCTION_INFO_V1(cx_sketch_out);
PG_FUNCTION_INFO_V1(cx_sketch_recv_interval);
PG_FUNCTION_INFO_V1(cx_sketch_recv_number);
PG_FUNCTION_INFO_V1(cx_sketch_send);
PG_FUNCTION_INFO_V1(cx_sketch_add_interval);
PG_FUNCTION_INFO_V1(cx_sketch_add_number);
PG_FUNCTION_INFO_V1(cx_sketch_combine);
PG_FUNCTION_INFO_V1(cx_sketch_final);
PG_FUNCTION_INFO_V1(cx_sketch_percentile);
PG_FUNCTION_INFO_V1(cx_sketch_percentiles);
PG_FUNCTION_INFO_V1(cx_sketch_percentile_unit);
PG_FUNCTION_INFO_V1(cx_sketch_percentiles_unit);
PG_FUNCTION_INFO_V1(cx_sketch_share_within);
PG_FUNCTION_INFO_V1(cx_sketch_rank);
PG_FUNCTION_INFO_V1(cx_sketch_count);
PG_FUNCTION_INFO_V1(cx_sketch_mean);
PG_FUNCTION_INFO_V1(cx_sketch_min);
PG_FUNCTION_INFO_V1(cx_sketch_max);
PG_FUNCTION_INFO_V1(cx_sketch_mean_unit);
PG_FUNCTION_INFO_V1(cx_sketch_min_unit);
PG_FUNCTION_INFO_V1(cx_sketch_max_unit);
PG_FUNCTION_INFO_V1(cx_sketch_histogram);
PG_FUNCTION_INFO_V1(cx_sketch_histogram_unit);
PG_FUNCTION_INFO_V1(cx_sketch_relative_accuracy);

#define IS_INTERVAL(h) (((h)->flags & CXSK_F_INTERVAL) != 0)

/* palloc for the core's allocation callbacks. */
static void *
sketch_palloc(size_t n)
{
	return palloc(n);
}

/* Name of the SQL type of a sketch of this kind. */
static const char *
sketch_kind_name(bool isint)
{
	return isint ? "cx.cycle_sketch" : "cx.number_sketch";
}

/* Fetch a sketch argument (either layout), detoasted, structurally checked. */
static CxskHeader *
sketch_arg(FunctionCallInfo fcinfo, int n)
{
	CxskHeader *h = (CxskHeader *) PG_DETOAST_DATUM(PG_GETARG_DATUM(n));

	if (!cxsk_check_layout(h, VARSIZE(h)))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("corrupted cycle-time sketch"),
				 errdetail("The size or header of the value matches no sketch layout.")));
	return h;
}

/*
 * The transition state of argument 0: the aggregate's own value, or its
 * initial value (checked like any argument, as it came from the user).
 */
static inline CxskHeader *
sketch_state(FunctionCallInfo fcinfo, bool isint)
{
	struct varlena *v = PG_GETARG_RAW_VARLENA_P(0);
	CxskHeader *h;

	if (unlikely(VARATT_IS_EXTENDED(v)))
		v = pg_detoast_datum(v);
	h = (CxskHeader *) v;
	if (unlikely(!cxsk_check_layout(h, VARSIZE(h))))
		h = sketch_arg(fcinfo, 0);	/* reports the corruption */
	if (unlikely(IS_INTERVAL(h) != isint || h->count < 0 || h->zeros < 0 || h->zeros > h->count))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid %s transition state", sketch_kind_name(isint)),
				 errdetail("The state holds a sketch of %s or impossible counts.",
						   IS_INTERVAL(h) ? "intervals" : "numbers")));
	return h;
}

/*
 * Reject a sketch whose exact fields contradict each other: one value is
 * its own minimum, maximum and sum; two values (of an interval sketch) are
 * the minimum and the maximum, and add up to the sum.
 */
static void
sketch_check_fields(const CxskHeader *h, bool isint, bool binary)
{
	bool		ok = true;

	if (isint && h->count <= 2)
	{
		int128		sum = cxsk_sum_us(h);

		if (h->count == 1)
			ok = h->min.i == h->max.i && sum == (int128) h->min.i;
		else
			ok = sum == (int128) h->min.i + (int128) h->max.i;
	}
	else if (!isint && h->count == 1)
	{
		double		hi,
					lo;

		memcpy(&hi, &h->sum_hi, sizeof(hi));
		memcpy(&lo, &h->sum_lo, sizeof(lo));
		ok = h->min.d == h->max.d && hi + lo == h->min.d;
	}
	if (!ok)
		ereport(ERROR,
				(errcode(binary ? ERRCODE_INVALID_BINARY_REPRESENTATION : ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg(binary ? "invalid binary data for type %s" : "invalid input syntax for type %s",
						sketch_kind_name(isint)),
				 errdetail("The minimum, maximum and sum contradict the count: one value is its own minimum, maximum and sum, and two values add up to the sum.")));
}

/* Compact form of h (h itself when already compact). */
static CxskHeader *
sketch_compacted(CxskHeader *h)
{
	CxskHeader *c;
	size_t		len;

	if (!(h->flags & CXSK_F_DENSE))
		return h;
	len = cxsk_compact_size(h);
	c = palloc(len);
	cxsk_compact(h, c);
	SET_VARSIZE(c, len);
	Assert(cxsk_check_layout(c, len));
	return c;
}

/* Microseconds of an interval on the scale interval comparison uses (30-day months). */
static int64
sketch_interval_us(const Interval *iv, const char *what)
{
	int128		span;

	cx_check_interval_finite(iv, what);
	span = CX_INTERVAL_USECS(iv);
	if (!cxp_usecs_fit(span))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("%s is out of range for a cycle-time sketch", what),
				 errdetail("Sketches hold durations of up to about 292,000 years."),
				 errhint("Filter out implausible durations.")));
	return (int64) span;
}

/* Interval of us microseconds, as days and time (no months). */
static Datum
sketch_us_interval(int64 us)
{
	Interval   *iv = palloc(sizeof(Interval));
	CxInterval	c = cxp_usecs_interval(us);

	iv->month = c.month;
	iv->day = c.day;
	iv->time = c.time;
	return IntervalPGetDatum(iv);
}

/* Check the relative accuracy argument. */
static void
sketch_check_alpha(double alpha)
{
	if (!cxsk_alpha_ok(alpha))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("relative accuracy %g is out of range", alpha),
				 errdetail("A sketch's relative accuracy must be between %g and %g.",
						   CXSK_ALPHA_MIN, CXSK_ALPHA_MAX),
				 errhint("Use 0.01 (1%%, the default) unless you need more.")));
}

/* A core message as an errdetail sentence (capitalized). */
static const char *
sketch_error_sentence(char *err)
{
	err[0] = (char) pg_toupper((unsigned char) err[0]);
	return err;
}

/* Parse text into a sketch of the expected kind. */
static Datum
sketch_in(const char *str, bool isint)
{
	char		err[CXSK_ERRLEN];
	size_t		len;
	CxskHeader *h = cxsk_parse(str, sketch_palloc, &len, err);

	if (h == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type %s", sketch_kind_name(isint)),
				 errdetail("%s.", sketch_error_sentence(err))));
	if (IS_INTERVAL(h) != isint)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type %s", sketch_kind_name(isint)),
				 errdetail("The text describes a sketch of %s.", isint ? "numbers" : "intervals"),
				 errhint("Use type %s for it.", sketch_kind_name(!isint))));
	sketch_check_fields(h, isint, false);
	SET_VARSIZE(h, len);
	PG_RETURN_POINTER(h);
}

/* Text input of cx.cycle_sketch. */
Datum
cx_sketch_in_interval(PG_FUNCTION_ARGS)
{
	return sketch_in(PG_GETARG_CSTRING(0), true);
}

/* Text input of cx.number_sketch. */
Datum
cx_sketch_in_number(PG_FUNCTION_ARGS)
{
	return sketch_in(PG_GETARG_CSTRING(0), false);
}

/* Text output of either sketch type. */
Datum
cx_sketch_out(PG_FUNCTION_ARGS)
{
	CxskHeader *h = sketch_compacted(sketch_arg(fcinfo, 0));
	size_t		n = cxsk_format(h, NULL, 0);
	char	   *buf = palloc(n + 1);

	cxsk_format(h, buf, n + 1);
	PG_RETURN_CSTRING(buf);
}

/* Binary input of a sketch of the expected kind (decoded by cxsk_recv). */
static Datum
sketch_recv(StringInfo buf, bool isint)
{
	CxskHeader *h;
	size_t		len;
	char		err[CXSK_ERRLEN];

	h = cxsk_recv((const uint8_t *) buf->data + buf->cursor, (size_t) (buf->len - buf->cursor),
				  sketch_palloc, &len, err);
	if (h == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary data for type %s", sketch_kind_name(isint)),
				 errdetail("%s.", sketch_error_sentence(err))));
	buf->cursor = buf->len;
	if (IS_INTERVAL(h) != isint)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary data for type %s", sketch_kind_name(isint)),
				 errdetail("The data describes a sketch of %s.", isint ? "numbers" : "intervals")));
	sketch_check_fields(h, isint, true);
	SET_VARSIZE(h, len);
	PG_RETURN_POINTER(h);
}

/* Binary input of cx.cycle_sketch. */
Datum
cx_sketch_recv_interval(PG_FUNCTION_ARGS)
{
	return sketch_recv((StringInfo) PG_GETARG_POINTER(0), true);
}

/* Binary input of cx.number_sketch. */
Datum
cx_sketch_recv_number(PG_FUNCTION_ARGS)
{
	return sketch_recv((StringInfo) PG_GETARG_POINTER(0), false);
}

/* Binary output of either sketch type (always the compact layout; see cxsk_send). */
Datum
cx_sketch_send(PG_FUNCTION_ARGS)
{
	CxskHeader *h = sketch_compacted(sketch_arg(fcinfo, 0));
	size_t		n = cxsk_send_size(h);
	bytea	   *out = (bytea *) palloc(VARHDRSZ + n);

	cxsk_send(h, (uint8_t *) VARDATA(out));
	SET_VARSIZE(out, VARHDRSZ + n);
	PG_RETURN_BYTEA_P(out);
}

/* A new dense sketch with room for the given range sizes (in the current memory context). */
static CxskHeader *
sketch_dense_alloc(int32 ns, int32 ps)
{
	size_t		sz = cxsk_dense_size(ns, ps);
	CxskHeader *h = palloc(sz);

	SET_VARSIZE(h, sz);
	return h;
}

/* Dense copy of src with the given ranges. */
static CxskHeader *
sketch_dense_copy(const CxskHeader *src, int32 nb, int32 ns, int32 pb, int32 ps)
{
	CxskHeader *h = sketch_dense_alloc(ns, ps);

	cxsk_to_dense(src, h, nb, ns, pb, ps);
	SET_VARSIZE(h, cxsk_dense_size(ns, ps));
	return h;
}

/* Raise the error for a sum or count that left its range. */
static void
sketch_overflow_error(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("cycle-time sketch sum or count out of range"),
			 errdetail("The values added so far overflow the exact sum or count.")));
}

/*
 * Transition step shared by both kinds: add x (us for intervals) to state,
 * in place when the state is dense and has room.
 */
static Datum
sketch_add(FunctionCallInfo fcinfo, bool isint, double x, int64 us)
{
	CxskHeader *h;
	double		alpha = CXSK_ALPHA_DEFAULT;
	int			r;

	if (!AggCheckCallContext(fcinfo, NULL))
		cx_not_in_aggregate(fcinfo, isint ? "cx.cycle_sketch" : "cx.number_sketch");
	if (PG_NARGS() > 2)
	{
		if (PG_ARGISNULL(2))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("relative accuracy must not be null")));
		alpha = PG_GETARG_FLOAT8(2);
	}
	if (PG_ARGISNULL(0))
	{
		int32		nb,
					ns,
					pb,
					ps;

		sketch_check_alpha(alpha);
		cxsk_dense_first_range(cxsk_mult(alpha), x, &nb, &ns, &pb, &ps);
		h = sketch_dense_alloc(ns, ps);
		cxsk_dense_init(h, alpha, isint, nb, ns, pb, ps);
	}
	else
	{
		h = sketch_state(fcinfo, isint);
		if (h->alpha != alpha)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("relative accuracy must be the same for every row of a sketch"),
					 errdetail("The sketch was started with %g, this row asks for %g.", h->alpha, alpha)));
		if (!(h->flags & CXSK_F_DENSE))
			h = sketch_dense_copy(h, h->neg.base, h->neg.span, h->pos.base, h->pos.span);
	}
	while ((r = cxsk_dense_add(h, x, us)) == 0)
	{
		int32		nb,
					ns,
					pb,
					ps;
		int32		key = x > 0 ? cxsk_key_of(h->mult, x) : -cxsk_key_of(h->mult, -x);

		cxsk_grow_for_key(h, x > 0, key, &nb, &ns, &pb, &ps);
		/* the old state stays valid: the executor frees it */
		h = sketch_dense_copy(h, nb, ns, pb, ps);
	}
	if (r < 0)
		sketch_overflow_error();
	Assert((h->flags & CXSK_F_DENSE) &&
		   VARSIZE(h) == cxsk_dense_size(h->neg.span, h->pos.span));
	PG_RETURN_POINTER(h);
}

/* Aggregate transition: add an interval. */
Datum
cx_sketch_add_interval(PG_FUNCTION_ARGS)
{
	int64		us;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	us = sketch_interval_us(PG_GETARG_INTERVAL_P(1), "duration");
	return sketch_add(fcinfo, true, (double) us, us);
}

/* Aggregate transition: add a number. */
Datum
cx_sketch_add_number(PG_FUNCTION_ARGS)
{
	double		x;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	x = PG_GETARG_FLOAT8(1);
	if (unlikely(!isfinite(x)))
		cx_check_float_finite(x, "value");
	if (x == 0)
		x = 0.0;				/* no negative zero */
	return sketch_add(fcinfo, false, x, 0);
}

/* Combine / rollup step: merge sketch 1 into state 0 (every NULL case handled). */
Datum
cx_sketch_combine(PG_FUNCTION_ARGS)
{
	CxskHeader *h,
			   *o;
	int32		nb,
				ns,
				pb,
				ps;
	char		err[CXSK_ERRLEN];

	if (!AggCheckCallContext(fcinfo, NULL))
		cx_not_in_aggregate(fcinfo, "cx.rollup");
	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	o = sketch_arg(fcinfo, 1);
	if (PG_ARGISNULL(0))
		PG_RETURN_POINTER(sketch_dense_copy(o, o->neg.base, o->neg.span, o->pos.base, o->pos.span));
	h = sketch_state(fcinfo, IS_INTERVAL(o));
	if (!cxsk_mergeable(h, o, err))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s", err),
				 errdetail("Buckets of different widths cannot be added without losing the accuracy guarantee."),
				 errhint("Build every sketch you merge with the same relative accuracy.")));
	if (!cxsk_grow_for_merge(h, o, &nb, &ns, &pb, &ps) || !(h->flags & CXSK_F_DENSE))
		h = sketch_dense_copy(h, nb, ns, pb, ps);
	if (!cxsk_merge_into(h, o, err))
		sketch_overflow_error();
	PG_RETURN_POINTER(h);
}

/*
 * Final function: the compact form of the state.  Also callable on a stored
 * sketch (detoasted and checked like any argument).
 */
Datum
cx_sketch_final(PG_FUNCTION_ARGS)
{
	CxskHeader *h = sketch_arg(fcinfo, 0);
	CxskHeader *c;
	size_t		len;

	if (!(h->flags & CXSK_F_DENSE))
	{
		/* already compact: a copy, never the argument itself */
		c = palloc(VARSIZE(h));
		memcpy(c, h, VARSIZE(h));
		PG_RETURN_POINTER(c);
	}
	len = cxsk_compact_size(h);
	c = palloc(len);
	cxsk_compact(h, c);
	SET_VARSIZE(c, len);
	PG_RETURN_POINTER(c);
}

/* Microseconds per unit named by text. */
static double
sketch_unit_us(text *unit)
{
	char	   *u = text_to_cstring(unit);
	cxp_time_unit tu = cxp_time_unit_of(u, strlen(u));

	if (tu == CXP_UNIT_NONE)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown time unit \"%s\"", u),
				 errhint("Use microseconds, milliseconds, seconds, minutes, hours, days or weeks.")));
	return (double) cxp_unit_usecs(tu);
}

/* Sketch argument that must be a sketch of intervals (for unit accessors). */
static CxskHeader *
sketch_interval_arg(FunctionCallInfo fcinfo, int n)
{
	CxskHeader *h = sketch_arg(fcinfo, n);

	if (!IS_INTERVAL(h))
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("time unit given for a sketch of numbers"),
				 errhint("Time units apply to cx.cycle_sketch values only.")));
	return h;
}

/* Value at fraction p as a Datum of the sketch's kind (interval or float8). */
static Datum
sketch_value_datum(CxskHeader *h, double p)
{
	int64		us;
	double		v;

	cx_check_fraction(p);
	v = cxsk_value_at_rank(h, cxsk_rank_of(p, h->count), &us);
	return IS_INTERVAL(h) ? sketch_us_interval(us) : Float8GetDatum(v);
}

/* cx.percentile(sketch, p): interval for cycle sketches, float8 for number sketches. */
Datum
cx_sketch_percentile(PG_FUNCTION_ARGS)
{
	CxskHeader *h = sketch_arg(fcinfo, 0);

	return sketch_value_datum(h, PG_GETARG_FLOAT8(1));
}

/* Percentiles for an array of fractions; NULL elements give NULL. */
static Datum
sketch_percentiles_array(CxskHeader *h, ArrayType *ps, double unit)
{
	Datum	   *elems;
	bool	   *nulls;
	int			n,
				i;
	bool		isint = IS_INTERVAL(h) && unit == 0;
	int			ndims = ARR_NDIM(ps);
	int			dims[MAXDIM],
				lbs[MAXDIM];

	deconstruct_array(ps, FLOAT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE, &elems, &nulls, &n);
	for (i = 0; i < n; i++)
	{
		if (nulls[i])
			continue;
		if (unit != 0)
		{
			int64		us;

			cx_check_fraction(DatumGetFloat8(elems[i]));
			cxsk_value_at_rank(h, cxsk_rank_of(DatumGetFloat8(elems[i]), h->count), &us);
			elems[i] = Float8GetDatum((double) us / unit);
		}
		else
			elems[i] = sketch_value_datum(h, DatumGetFloat8(elems[i]));
	}
	if (ndims == 0)
		return PointerGetDatum(construct_empty_array(isint ? INTERVALOID : FLOAT8OID));
	memcpy(dims, ARR_DIMS(ps), ndims * sizeof(int));
	memcpy(lbs, ARR_LBOUND(ps), ndims * sizeof(int));
	if (isint)
		return PointerGetDatum(construct_md_array(elems, nulls, ndims, dims, lbs,
												  INTERVALOID, sizeof(Interval), false, TYPALIGN_DOUBLE));
	return PointerGetDatum(construct_md_array(elems, nulls, ndims, dims, lbs,
											  FLOAT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
}

/* cx.percentile(sketch, p[]): one answer per fraction. */
Datum
cx_sketch_percentiles(PG_FUNCTION_ARGS)
{
	CxskHeader *h = sketch_arg(fcinfo, 0);

	return sketch_percentiles_array(h, PG_GETARG_ARRAYTYPE_P(1), 0);
}

/* cx.percentile(cycle_sketch, p, unit): a number of the given time unit. */
Datum
cx_sketch_percentile_unit(PG_FUNCTION_ARGS)
{
	CxskHeader *h = sketch_interval_arg(fcinfo, 0);
	double		p = PG_GETARG_FLOAT8(1);
	double		u = sketch_unit_us(PG_GETARG_TEXT_PP(2));
	int64		us;

	cx_check_fraction(p);
	cxsk_value_at_rank(h, cxsk_rank_of(p, h->count), &us);
	PG_RETURN_FLOAT8((double) us / u);
}

/* cx.percentile(cycle_sketch, p[], unit): numbers of the given time unit. */
Datum
cx_sketch_percentiles_unit(PG_FUNCTION_ARGS)
{
	CxskHeader *h = sketch_interval_arg(fcinfo, 0);
	double		u = sketch_unit_us(PG_GETARG_TEXT_PP(2));

	return sketch_percentiles_array(h, PG_GETARG_ARRAYTYPE_P(1), u);
}

/* The limit argument on the sketch's scale (us for cycle sketches). */
static double
sketch_limit_arg(FunctionCallInfo fcinfo, CxskHeader *h, int n)
{
	if (IS_INTERVAL(h))
	{
		Interval   *iv = PG_GETARG_INTERVAL_P(n);

		cx_check_interval_finite(iv, "limit");
		return (double) CX_INTERVAL_USECS(iv);
	}
	else
	{
		double		x = PG_GETARG_FLOAT8(n);

		cx_check_float_finite(x, "limit");
		return x;
	}
}

/* cx.share_within(sketch, limit): estimated share of values <= limit. */
Datum
cx_sketch_share_within(PG_FUNCTION_ARGS)
{
	CxskHeader *h = sketch_arg(fcinfo, 0);
	double		lim = sketch_limit_arg(fcinfo, h, 1);

	PG_RETURN_FLOAT8((double) cxsk_count_le(h, lim) / (double) h->count);
}

/* cx.rank(sketch, value): estimated number of values <= value. */
Datum
cx_sketch_rank(PG_FUNCTION_ARGS)
{
	CxskHeader *h = sketch_arg(fcinfo, 0);
	double		lim = sketch_limit_arg(fcinfo, h, 1);

	PG_RETURN_INT64(cxsk_count_le(h, lim));
}

/* cx.count(sketch): exact number of values. */
Datum
cx_sketch_count(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(sketch_arg(fcinfo, 0)->count);
}

/* cx.relative_accuracy(sketch): the alpha it was built with. */
Datum
cx_sketch_relative_accuracy(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(sketch_arg(fcinfo, 0)->alpha);
}

/* cx.mean(sketch): exact mean (to the microsecond for cycle sketches). */
Datum
cx_sketch_mean(PG_FUNCTION_ARGS)
{
	CxskHeader *h = sketch_arg(fcinfo, 0);
	double		d;
	int64		us;

	cxsk_mean(h, &d, &us);
	if (IS_INTERVAL(h))
		return sketch_us_interval(us);
	PG_RETURN_FLOAT8(d);
}

/* cx.min(sketch): exact minimum. */
Datum
cx_sketch_min(PG_FUNCTION_ARGS)
{
	CxskHeader *h = sketch_arg(fcinfo, 0);

	if (IS_INTERVAL(h))
		return sketch_us_interval(h->min.i);
	PG_RETURN_FLOAT8(h->min.d);
}

/* cx.max(sketch): exact maximum. */
Datum
cx_sketch_max(PG_FUNCTION_ARGS)
{
	CxskHeader *h = sketch_arg(fcinfo, 0);

	if (IS_INTERVAL(h))
		return sketch_us_interval(h->max.i);
	PG_RETURN_FLOAT8(h->max.d);
}

/* cx.mean(cycle_sketch, unit): exact mean in a time unit. */
Datum
cx_sketch_mean_unit(PG_FUNCTION_ARGS)
{
	CxskHeader *h = sketch_interval_arg(fcinfo, 0);
	double		u = sketch_unit_us(PG_GETARG_TEXT_PP(1));
	int128		s = cxsk_sum_us(h);

	/* full precision: sum / count / unit, not the rounded microseconds */
	PG_RETURN_FLOAT8((double) s / (double) h->count / u);
}

/* cx.min(cycle_sketch, unit): exact minimum in a time unit. */
Datum
cx_sketch_min_unit(PG_FUNCTION_ARGS)
{
	CxskHeader *h = sketch_interval_arg(fcinfo, 0);

	PG_RETURN_FLOAT8((double) h->min.i / sketch_unit_us(PG_GETARG_TEXT_PP(1)));
}

/* cx.max(cycle_sketch, unit): exact maximum in a time unit. */
Datum
cx_sketch_max_unit(PG_FUNCTION_ARGS)
{
	CxskHeader *h = sketch_interval_arg(fcinfo, 0);

	PG_RETURN_FLOAT8((double) h->max.i / sketch_unit_us(PG_GETARG_TEXT_PP(1)));
}

/* Histogram rows (lower, upper, count), bounds clamped to [min, max]. */
static Datum
sketch_histogram(FunctionCallInfo fcinfo, CxskHeader *h, double unit)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	CxskIter	it;
	int			sign;
	int32		key;
	int64		c;
	bool		isint = IS_INTERVAL(h);
	double		mn = isint ? (double) h->min.i : h->min.d;
	double		mx = isint ? (double) h->max.i : h->max.d;

	InitMaterializedSRF(fcinfo, 0);
	cxsk_iter_init(&it, h);
	while (cxsk_iter_next(&it, &sign, &key, &c))
	{
		double		lo,
					hi;
		Datum		values[3];
		bool		nulls[3] = {false, false, false};

		cxsk_bucket_bounds(h, sign, key, &lo, &hi);
		if (lo < mn)
			lo = mn;
		if (hi > mx)
			hi = mx;
		if (isint)
		{
			int64		l = lo <= -9.2e18 ? PG_INT64_MIN : (int64) llround(lo);
			int64		u = hi >= 9.2e18 ? PG_INT64_MAX : (int64) llround(hi);

			if (unit == 0)
			{
				values[0] = sketch_us_interval(l);
				values[1] = sketch_us_interval(u);
			}
			else
			{
				values[0] = Float8GetDatum((double) l / unit);
				values[1] = Float8GetDatum((double) u / unit);
			}
		}
		else
		{
			values[0] = Float8GetDatum(lo);
			values[1] = Float8GetDatum(hi);
		}
		values[2] = Int64GetDatum(c);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

/* cx.sketch_histogram(sketch): one row per non-empty bucket, in value order. */
Datum
cx_sketch_histogram(PG_FUNCTION_ARGS)
{
	return sketch_histogram(fcinfo, sketch_arg(fcinfo, 0), 0);
}

/* cx.sketch_histogram(cycle_sketch, unit): bounds as numbers of a time unit. */
Datum
cx_sketch_histogram_unit(PG_FUNCTION_ARGS)
{
	CxskHeader *h = sketch_interval_arg(fcinfo, 0);

	return sketch_histogram(fcinfo, h, sketch_unit_us(PG_GETARG_TEXT_PP(1)));
}
