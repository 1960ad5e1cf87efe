/*
 * percentile.c — exact percentile aggregates for double precision and
 * interval: cx.percentile (continuous), cx.percentile_disc, their array
 * forms, and cx.share_within.
 *
 * The answers equal PostgreSQL's percentile_cont / percentile_disc, but these
 * are ordinary aggregates: every value is kept in the aggregate state (in
 * memory up to work_mem, then in a temporary file: percentile_spill.c),
 * states are combined across parallel workers (percentile_shm.c for large
 * ones), and the final function selects the needed ranks without sorting.
 * This file is the aggregates' glue: arguments, the question a state asks
 * (its fractions and their shape), combine, serialize and final.
 */
#include "percentile.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "common/int.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

PG_FUNCTION_INFO_V1(cx_pct_float8_trans);
PG_FUNCTION_INFO_V1(cx_pct_float8_trans_multi);
PG_FUNCTION_INFO_V1(cx_pct_interval_trans);
PG_FUNCTION_INFO_V1(cx_pct_interval_trans_multi);
PG_FUNCTION_INFO_V1(cx_pct_combine);
PG_FUNCTION_INFO_V1(cx_pct_serialize);
PG_FUNCTION_INFO_V1(cx_pct_deserialize);
PG_FUNCTION_INFO_V1(cx_pct_cont_final);
PG_FUNCTION_INFO_V1(cx_pct_disc_final);
PG_FUNCTION_INFO_V1(cx_pct_cont_multi_final);
PG_FUNCTION_INFO_V1(cx_pct_disc_multi_final);
PG_FUNCTION_INFO_V1(cx_share_within_float8);
PG_FUNCTION_INFO_V1(cx_share_within_interval);
PG_FUNCTION_INFO_V1(cx_share_within_combine);
PG_FUNCTION_INFO_V1(cx_share_within_final);

#define PCT_SERIAL_VERSION	CXPCT_SERIAL_VERSION
#define PCT_MAX_PERCENTILES	CXPCT_MAX_PERCENTILES
#define PCT_FLAG_MULTI		CXPCT_FLAG_MULTI
#define PCT_FLAG_PNULL		CXPCT_FLAG_PNULL
#define PCT_FLAG_SHARED		CXPCT_FLAG_SHARED

/* Serialized header (percentile_core.h); the bytea is [header][npct doubles][pad to 8][values]. */
typedef CxPctSerialHeader PctSerialHeader;
StaticAssertDecl(CXPCT_MAX_BYTES == MaxAllocSize, "percentile_core.h's size limit is MaxAllocSize");
StaticAssertDecl(sizeof(CxInterval) == sizeof(Interval), "CxInterval has Interval's layout");

/* Error for a partial state that would pass 1 GB. */
static void
pct_too_many(int32 kind, int32 npct)
{
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("too many values for a partial percentile state"),
			 errdetail("A partial state sent to another process may hold at most %lld %s values (1 GB).",
					   (long long) cxpct_max_values(kind, npct),
					   kind == PCT_KIND_FLOAT8 ? "double precision" : "interval"),
			 errhint("Run the query without partial aggregation, e.g. with SET max_parallel_workers_per_gather = 0.")));
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
			cx_check_fraction(DatumGetFloat8(elems[i]));
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
			cx_check_fraction(p);
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

/*
 * Combine two states (parallel workers, partitionwise aggregation): take
 * over the second's values when it lives in our context (a deserialized
 * partial state), copy them otherwise.
 */
Datum
cx_pct_combine(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = pct_agg_context(fcinfo);
	PctState   *a = PG_ARGISNULL(0) ? NULL : (PctState *) PG_GETARG_POINTER(0);
	PctState   *b = PG_ARGISNULL(1) ? NULL : (PctState *) PG_GETARG_POINTER(1);
	bool		owned;

	if (b == NULL)
	{
		if (a == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(a);
	}
	/* a state deserialized into our context is ours to take over */
	owned = b->ctx == ctx;
	if (a == NULL)
	{
		if (owned)
			PG_RETURN_POINTER(b);
		a = pct_state_new(ctx, b->kind, b->multi, b->npct);
		pct_copy_question(a, b);
	}
	if (!pct_same_question(a, b))
		pct_combine_mismatch();
	if (owned)
		pct_take_over(a, b);
	else
		pct_copy_values(a, b);
	PG_RETURN_POINTER(a);
}

/* The header of a serialized state (flags beyond the layout are added by the caller). */
static void
pct_serial_header(const PctState *st, int32 layout, PctSerialHeader *hdr)
{
	hdr->version = PCT_SERIAL_VERSION;
	hdr->kind = st->kind;
	hdr->flags = (st->multi ? PCT_FLAG_MULTI : 0) | (st->pnull ? PCT_FLAG_PNULL : 0) | layout;
	hdr->npct = st->npct;
	hdr->n = st->total;
	hdr->shape = st->shape;
	hdr->reserved = 0;
}

/* A serialized state that refers to the temporary file a worker hands over. */
static bytea *
pct_serialize_file(const PctState *st, const CxPctFileRef *ref)
{
	PctSerialHeader hdr;
	Size		hdrlen = cxpct_header_len(st->npct);
	bytea	   *out = palloc0(hdrlen + sizeof(*ref));

	pct_serial_header(st, 0, &hdr);
	hdr.flags |= CXPCT_FLAG_FILE;
	memcpy(VARDATA(out), &hdr, sizeof(hdr));
	if (st->npct > 0)
		memcpy(VARDATA(out) + sizeof(hdr), st->pcts, st->npct * sizeof(double));
	memcpy((char *) out + hdrlen, ref, sizeof(*ref));
	SET_VARSIZE(out, hdrlen + sizeof(*ref));
	return out;
}

/*
 * Serialize a state into bytea (parallel workers to leader), intervals in
 * their narrowest layout.  Large states go through shared memory
 * (percentile_shm.c); otherwise the values are written once into the
 * bytea, in the current memory context (where the executor wants it).
 */
Datum
cx_pct_serialize(PG_FUNCTION_ARGS)
{
	PctState   *st = (PctState *) PG_GETARG_POINTER(0);
	PctSerialHeader hdr;
	Size		hdrlen,
				len,
				wsz;
	bytea	   *out;
	char	   *head;
	int32		layout;

	if (!AggCheckCallContext(fcinfo, NULL))
		cx_not_in_aggregate(fcinfo, "cx.percentile or cx.percentile_disc");
	if (st->spill != NULL)
	{
		/* a spilled state in a parallel worker: hand its file to the leader */
		CxPctFileRef ref;
		Size		reflen = pct_hand_over(st, &ref);

		if (reflen > 0)
			PG_RETURN_BYTEA_P(pct_serialize_file(st, &ref));
	}
	if (st->total > cxpct_max_values(st->kind, st->npct))
		pct_too_many(st->kind, st->npct);
	layout = pct_wire_layout(st);
	wsz = cxpct_wire_size(st->kind, layout);
	hdrlen = cxpct_header_len(st->npct);
	len = hdrlen + st->total * wsz;
	pct_serial_header(st, layout, &hdr);
	head = palloc0(hdrlen);
	if (st->npct > 0)
		memcpy(head + VARHDRSZ + sizeof(hdr), st->pcts, st->npct * sizeof(double));

	hdr.flags |= PCT_FLAG_SHARED;
	memcpy(head + VARHDRSZ, &hdr, sizeof(hdr));
	out = pct_serialize_shared(fcinfo, st, head, hdrlen, layout, st->total * wsz);
	if (out != NULL)
		PG_RETURN_BYTEA_P(out);
	if (len > MaxAllocSize)
		pct_too_many(st->kind, st->npct);
	hdr.flags &= ~PCT_FLAG_SHARED;
	memcpy(head + VARHDRSZ, &hdr, sizeof(hdr));

	out = (bytea *) MemoryContextAllocHuge(CurrentMemoryContext, len);
	if (len >= 64 * 1024)
		cx_advise_fresh(out, len);
	memcpy(out, head, hdrlen);
	pct_write_values(st, layout, (char *) out + hdrlen);
	SET_VARSIZE(out, len);
	pfree(head);
	PG_RETURN_BYTEA_P(out);
}

/* Error for a malformed serialized state. */
void
pct_bad_serial(const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid serialized percentile state"),
			 errdetail("%s", detail)));
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
	const char *why = NULL;

	if (!cxpct_check_state(p, len, &hdr, &layout, &head, &why))
		pct_bad_serial(why);
	pct_set_leader_reads();
	st = pct_state_new(pct_agg_context(fcinfo), hdr.kind, (hdr.flags & PCT_FLAG_MULTI) != 0, hdr.npct);
	st->pnull = (hdr.flags & PCT_FLAG_PNULL) != 0;
	st->shape = hdr.shape;
	cxpct_fractions(p, hdr.npct, st->pcts);
	if (hdr.flags & CXPCT_FLAG_FILE)
	{
		CxPctFileRef ref;

		memcpy(&ref, p + head, sizeof(ref));
		if (!cxpct_file_ref_ok(&ref, hdr.n))
			pct_bad_serial("Invalid temporary-file reference.");
		pct_take_file(st, &ref);
	}
	else if (hdr.flags & PCT_FLAG_SHARED)
		pct_deserialize_shared(fcinfo, st, layout, hdr.n, p + head, len - head);
	else
		pct_add_encoded(st, layout, p + head, hdr.n);
	PG_RETURN_POINTER(st);
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
	CxPctRank  *rk = palloc(sizeof(CxPctRank) * Max(st->npct, 1));
	int64	   *ranks = palloc(sizeof(int64) * Max(st->npct, 1) * 2);
	int			m = cxpct_plan(st->pcts, st->npct, st->total, continuous, rk, ranks),
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
		a = cxpct_rank_index(ranks, m, rk[i].first);
		b = cxpct_rank_index(ranks, m, rk[i].second);
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

/* Final function of cx.percentile(x, p), for both value types. */
Datum
cx_pct_cont_final(PG_FUNCTION_ARGS)
{
	return pct_final_scalar(fcinfo, true);
}

/* Final function of cx.percentile_disc(x, p). */
Datum
cx_pct_disc_final(PG_FUNCTION_ARGS)
{
	return pct_final_scalar(fcinfo, false);
}

/* Final function of cx.percentile(x, p[]). */
Datum
cx_pct_cont_multi_final(PG_FUNCTION_ARGS)
{
	return pct_final_multi(fcinfo, true);
}

/* Final function of cx.percentile_disc(x, p[]). */
Datum
cx_pct_disc_multi_final(PG_FUNCTION_ARGS)
{
	return pct_final_multi(fcinfo, false);
}

/*
 * The entry points 0.1.0's install script names, one per value type, so
 * that a 0.1.0 database keeps working with this library until ALTER
 * EXTENSION cx_metrics UPDATE points its functions at the four above.
 */
#define PCT_FINAL_OF_0_1_0(name, final) \
	PG_FUNCTION_INFO_V1(name); \
	Datum name(PG_FUNCTION_ARGS) { return final(fcinfo); }

PCT_FINAL_OF_0_1_0(cx_pct_float8_cont_final, cx_pct_cont_final)
PCT_FINAL_OF_0_1_0(cx_pct_interval_cont_final, cx_pct_cont_final)
PCT_FINAL_OF_0_1_0(cx_pct_float8_disc_final, cx_pct_disc_final)
PCT_FINAL_OF_0_1_0(cx_pct_interval_disc_final, cx_pct_disc_final)
PCT_FINAL_OF_0_1_0(cx_pct_float8_cont_multi_final, cx_pct_cont_multi_final)
PCT_FINAL_OF_0_1_0(cx_pct_interval_cont_multi_final, cx_pct_cont_multi_final)
PCT_FINAL_OF_0_1_0(cx_pct_float8_disc_multi_final, cx_pct_disc_multi_final)
PCT_FINAL_OF_0_1_0(cx_pct_interval_disc_multi_final, cx_pct_disc_multi_final)

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
