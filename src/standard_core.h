/*
 * standard_core.h — the service-standard value and its text form, without
 * PostgreSQL headers (unit tested on its own).
 *
 * A standard is a promise "P% within N <unit>": a target share P in (0, 100]
 * held exactly in parts per million, a positive whole amount N and a unit.
 */
#ifndef CX_STANDARD_CORE_H
#define CX_STANDARD_CORE_H

#include <stddef.h>
#include <stdint.h>

/* Units of an allowance; the values are part of the stored and binary forms. */
typedef enum cxstd_unit
{
	CXSTD_SECONDS = 1,
	CXSTD_MINUTES = 2,
	CXSTD_HOURS = 3,
	CXSTD_DAYS = 4,				/* calendar days of 24 elapsed hours */
	CXSTD_WEEKS = 5,
	CXSTD_BUSINESS_DAYS = 6
} cxstd_unit;

#define CXSTD_PPM_MAX		1000000 /* 100% */
#define CXSTD_MAX_SECONDS	INT64_C(1577880000) /* 50 years of 365.25 days */
#define CXSTD_MAX_BUSINESS_DAYS 13000	/* about 50 years of business days */

/* The stored form (12 bytes, int4 aligned). */
typedef struct CxstdStandard
{
	int32_t		target_ppm;		/* 1 .. 1000000 */
	int32_t		amount;			/* >= 1 */
	int32_t		unit;			/* cxstd_unit */
} CxstdStandard;

/* Outcome of parsing or validating a standard. */
typedef enum cxstd_error
{
	CXSTD_OK = 0,
	CXSTD_ERR_SYNTAX,			/* does not read "P% within N unit" */
	CXSTD_ERR_PERCENT_RANGE,	/* P outside (0, 100] */
	CXSTD_ERR_PERCENT_DIGITS,	/* more than 4 decimals in P */
	CXSTD_ERR_AMOUNT_NEGATIVE,	/* N < 0 */
	CXSTD_ERR_AMOUNT_ZERO,		/* N = 0 */
	CXSTD_ERR_AMOUNT_FRACTION,	/* N has a fractional part */
	CXSTD_ERR_AMOUNT_RANGE,		/* N too large for its unit */
	CXSTD_ERR_UNIT,				/* unknown unit word */
	CXSTD_ERR_UNIT_SHORT		/* a time unit shorter than a second */
} cxstd_error;

/* Details of a parse failure, for the error message. */
typedef struct CxstdParseInfo
{
	size_t		pos;			/* byte offset where the problem starts */
	char		token[48];		/* the offending word (unit), NUL-terminated */
} CxstdParseInfo;

/* Parse len bytes of text; on failure fills info (may be NULL). */
extern cxstd_error cxstd_parse(const char *s, size_t len, CxstdStandard *out,
							   CxstdParseInfo *info);

/* Check every field of a standard (for binary input). */
extern cxstd_error cxstd_validate(const CxstdStandard *std);

/* Canonical text form into buf; returns the length (buf of 64 bytes is enough). */
extern size_t cxstd_format(const CxstdStandard *std, char *buf, size_t buflen);

/* Seconds per unit for elapsed-time units; 0 for business days. */
extern int64_t cxstd_unit_seconds(int32_t unit);

/* Allowance in microseconds for elapsed units; -1 for business days. */
extern int64_t cxstd_allowance_usecs(const CxstdStandard *std);

/* Total order: elapsed allowances by length, then business days; ties by target. */
extern int	cxstd_compare(const CxstdStandard *a, const CxstdStandard *b);

/* Canonical unit word (plural) for a unit. */
extern const char *cxstd_unit_name(int32_t unit);

/* The binary form: a version byte, then target (ppm), amount, unit as int4. */
#define CXSTD_BINARY_VERSION 1
#define CXSTD_BINARY_SIZE 13

/* Outcome of decoding the binary form. */
typedef enum cxstd_bin_status
{
	CXSTD_BIN_OK = 0,
	CXSTD_BIN_LENGTH,			/* not CXSTD_BINARY_SIZE bytes */
	CXSTD_BIN_VERSION,			/* unknown version (in *version) */
	CXSTD_BIN_FIELDS			/* the fields (in *out) are not a valid standard */
} cxstd_bin_status;

/* Write the binary form of std into out (CXSTD_BINARY_SIZE bytes). */
extern void cxstd_encode_binary(const CxstdStandard *std, uint8_t *out);

/* Decode and validate the binary form of len bytes into out. */
extern cxstd_bin_status cxstd_decode_binary(const uint8_t *buf, size_t len,
											CxstdStandard *out, int *version);

#endif
