/*
 * standard.c — the cx.standard type: text and binary I/O, comparison,
 * accessors.  Parsing and formatting live in standard_core.c.
 */
#include "cx_metrics.h"

#include "common/hashfn.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"

#include "standard.h"

PG_FUNCTION_INFO_V1(cx_standard_in);
PG_FUNCTION_INFO_V1(cx_standard_out);
PG_FUNCTION_INFO_V1(cx_standard_recv);
PG_FUNCTION_INFO_V1(cx_standard_send);
PG_FUNCTION_INFO_V1(cx_standard_eq);
PG_FUNCTION_INFO_V1(cx_standard_ne);
PG_FUNCTION_INFO_V1(cx_standard_lt);
PG_FUNCTION_INFO_V1(cx_standard_le);
PG_FUNCTION_INFO_V1(cx_standard_gt);
PG_FUNCTION_INFO_V1(cx_standard_ge);
PG_FUNCTION_INFO_V1(cx_standard_cmp);
PG_FUNCTION_INFO_V1(cx_standard_hash);
PG_FUNCTION_INFO_V1(cx_standard_target);
PG_FUNCTION_INFO_V1(cx_standard_allowance);
PG_FUNCTION_INFO_V1(cx_standard_business_allowance);
PG_FUNCTION_INFO_V1(cx_standard_unit);
PG_FUNCTION_INFO_V1(cx_standard_amount);
PG_FUNCTION_INFO_V1(cx_standard_sketch_allowance);

/* Raise the error that matches a parse or validation failure. */
static void
standard_error(cxstd_error err, const char *input, const CxstdParseInfo *info)
{
	const char *in = input ? input : "";

	switch (err)
	{
		case CXSTD_OK:
			return;
		case CXSTD_ERR_PERCENT_RANGE:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("service standard target must be between 0%% and 100%%: \"%s\"", in),
					 errdetail("The target is the share of items that must meet the allowance; it must be more than 0%% and at most 100%%."),
					 errhint("Write it like '90%% within 30 business days'.")));
			break;
		case CXSTD_ERR_PERCENT_DIGITS:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("service standard target has too many decimals: \"%s\"", in),
					 errdetail("A target is kept to 4 decimal places of a percent."),
					 errhint("Round the percentage, for example '99.95%%'.")));
			break;
		case CXSTD_ERR_AMOUNT_NEGATIVE:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("service standard allowance must not be negative: \"%s\"", in),
					 errdetail("The allowance is how long an item may take; it must be a positive whole number of units."),
					 errhint("Write it like '90%% within 30 business days'.")));
			break;
		case CXSTD_ERR_AMOUNT_ZERO:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("service standard allowance must be positive: \"%s\"", in),
					 errdetail("An allowance of zero cannot be met by any item that takes time."),
					 errhint("Use a smaller unit, for example 'within 30 minutes'.")));
			break;
		case CXSTD_ERR_AMOUNT_FRACTION:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("service standard allowance must be a whole number: \"%s\"", in),
					 errdetail("Allowances are whole numbers of seconds, minutes, hours, days, weeks or business days."),
					 errhint("Use a smaller unit, for example 'within 90 minutes' instead of 'within 1.5 hours'.")));
			break;
		case CXSTD_ERR_AMOUNT_RANGE:
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("service standard allowance is too long: \"%s\"", in),
					 errdetail("An allowance may be at most 50 years (%d business days).",
							   CXSTD_MAX_BUSINESS_DAYS)));
			break;
		case CXSTD_ERR_UNIT:
			if (info && info->token[0])
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
						 errmsg("unknown service standard unit \"%s\"", info->token),
						 errdetail("Input: \"%s\".", in),
						 errhint("Use seconds, minutes, hours, days, weeks or business days.")));
			else
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
						 errmsg("unknown service standard unit in \"%s\"", in),
						 errhint("Use seconds, minutes, hours, days, weeks or business days.")));
			break;
		case CXSTD_ERR_UNIT_SHORT:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("service standard unit \"%s\" is shorter than a second",
							info ? info->token : ""),
					 errdetail("Allowances are whole numbers of seconds, minutes, hours, days, weeks or business days."),
					 errhint("Write the allowance in seconds or a longer unit.")));
			break;
		case CXSTD_ERR_SYNTAX:
		default:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid input syntax for type cx.standard: \"%s\"", in),
					 errdetail("A service standard reads \"[P%%] within N unit\"; the problem is at character %d.",
							   info ? (int) info->pos + 1 : 1),
					 errhint("For example '90%% within 30 business days', 'within 5 days' (100%%) or '80%% within 20 minutes'.")));
	}
}

/* Text input: "90% within 30 business days". */
Datum
cx_standard_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	CxstdStandard *std = palloc(sizeof(CxstdStandard));
	CxstdParseInfo info;
	cxstd_error err;

	err = cxstd_parse(str, strlen(str), std, &info);
	if (err != CXSTD_OK)
		standard_error(err, str, &info);
	PG_RETURN_STANDARD_P(std);
}

/* Canonical text output. */
Datum
cx_standard_out(PG_FUNCTION_ARGS)
{
	CxstdStandard *std = PG_GETARG_STANDARD_P(0);
	char		buf[64];

	cxstd_format(std, buf, sizeof(buf));
	PG_RETURN_CSTRING(pstrdup(buf));
}

/* Binary input (decoded by cxstd_decode_binary). */
Datum
cx_standard_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	CxstdStandard *std = palloc(sizeof(CxstdStandard));
	int			version = 0;

	switch (cxstd_decode_binary((const uint8_t *) buf->data + buf->cursor,
								(size_t) (buf->len - buf->cursor), std, &version))
	{
		case CXSTD_BIN_OK:
			break;
		case CXSTD_BIN_LENGTH:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("invalid binary cx.standard: %d bytes", buf->len - buf->cursor),
					 errdetail("A binary cx.standard is exactly %d bytes.", CXSTD_BINARY_SIZE)));
			break;
		case CXSTD_BIN_VERSION:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("unsupported binary cx.standard version %d", version),
					 errdetail("This version of cx_metrics reads version %d.", CXSTD_BINARY_VERSION)));
			break;
		case CXSTD_BIN_FIELDS:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("invalid binary cx.standard"),
					 errdetail("Target %d ppm, amount %d, unit %d is not a valid service standard.",
							   std->target_ppm, std->amount, std->unit)));
			break;
	}
	buf->cursor = buf->len;
	PG_RETURN_STANDARD_P(std);
}

/* Binary output (see cx_standard_recv). */
Datum
cx_standard_send(PG_FUNCTION_ARGS)
{
	CxstdStandard *std = PG_GETARG_STANDARD_P(0);
	bytea	   *out = (bytea *) palloc(VARHDRSZ + CXSTD_BINARY_SIZE);

	cxstd_encode_binary(std, (uint8_t *) VARDATA(out));
	SET_VARSIZE(out, VARHDRSZ + CXSTD_BINARY_SIZE);
	PG_RETURN_BYTEA_P(out);
}

/* Order two standards (see cxstd_compare). */
static int
standard_cmp(FunctionCallInfo fcinfo)
{
	return cxstd_compare(PG_GETARG_STANDARD_P(0), PG_GETARG_STANDARD_P(1));
}

/* a = b */
Datum
cx_standard_eq(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(standard_cmp(fcinfo) == 0);
}

/* a <> b */
Datum
cx_standard_ne(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(standard_cmp(fcinfo) != 0);
}

/* a < b */
Datum
cx_standard_lt(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(standard_cmp(fcinfo) < 0);
}

/* a <= b */
Datum
cx_standard_le(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(standard_cmp(fcinfo) <= 0);
}

/* a > b */
Datum
cx_standard_gt(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(standard_cmp(fcinfo) > 0);
}

/* a >= b */
Datum
cx_standard_ge(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(standard_cmp(fcinfo) >= 0);
}

/* btree support: -1, 0 or 1. */
Datum
cx_standard_cmp(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(standard_cmp(fcinfo));
}

/* hash support, consistent with equality (all three fields). */
Datum
cx_standard_hash(PG_FUNCTION_ARGS)
{
	CxstdStandard *std = PG_GETARG_STANDARD_P(0);
	int32		v[3];

	v[0] = std->target_ppm;
	v[1] = std->amount;
	v[2] = std->unit;
	PG_RETURN_DATUM(hash_any((const unsigned char *) v, sizeof(v)));
}

/* Target share as a fraction in (0, 1]. */
Datum
cx_standard_target(PG_FUNCTION_ARGS)
{
	CxstdStandard *std = PG_GETARG_STANDARD_P(0);

	PG_RETURN_FLOAT8((double) std->target_ppm / CXSTD_PPM_MAX);
}

/* Allowance as an interval for elapsed units; NULL for business days. */
Datum
cx_standard_allowance(PG_FUNCTION_ARGS)
{
	CxstdStandard *std = PG_GETARG_STANDARD_P(0);
	Interval   *iv;

	if (std->unit == CXSTD_BUSINESS_DAYS)
		PG_RETURN_NULL();
	iv = palloc0(sizeof(Interval));
	if (std->unit == CXSTD_DAYS)
		iv->day = std->amount;
	else if (std->unit == CXSTD_WEEKS)
		iv->day = std->amount * 7;
	else
		iv->time = cxstd_allowance_usecs(std);
	PG_RETURN_INTERVAL_P(iv);
}

/* Allowance in business days; NULL for elapsed units. */
Datum
cx_standard_business_allowance(PG_FUNCTION_ARGS)
{
	CxstdStandard *std = PG_GETARG_STANDARD_P(0);

	if (std->unit != CXSTD_BUSINESS_DAYS)
		PG_RETURN_NULL();
	PG_RETURN_INT32(std->amount);
}

/* Unit word of the allowance ("business days", "hours", ...). */
Datum
cx_standard_unit(PG_FUNCTION_ARGS)
{
	CxstdStandard *std = PG_GETARG_STANDARD_P(0);

	PG_RETURN_TEXT_P(cstring_to_text(cxstd_unit_name(std->unit)));
}

/* Number of units in the allowance. */
Datum
cx_standard_amount(PG_FUNCTION_ARGS)
{
	CxstdStandard *std = PG_GETARG_STANDARD_P(0);

	PG_RETURN_INT32(std->amount);
}

/* Allowance for judging a sketch: the elapsed allowance, an error for business days. */
Datum
cx_standard_sketch_allowance(PG_FUNCTION_ARGS)
{
	CxstdStandard *std = PG_GETARG_STANDARD_P(0);

	if (std->unit == CXSTD_BUSINESS_DAYS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a business-day standard cannot judge a cycle sketch"),
				 errdetail("A sketch keeps durations, not the start and finish times that business days need."),
				 errhint("Use cx.attainment(started, finished, standard) on the rows, or an elapsed-time standard.")));
	return cx_standard_allowance(fcinfo);
}
