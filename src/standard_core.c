/*
 * standard_core.c — parse, check, format and compare service standards
 * ("90% within 30 business days"), without PostgreSQL headers.
 */
#include "standard_core.h"
#include "prim_core.h"
#include "wire_core.h"

#include <stdio.h>
#include <string.h>

/* Is c an ASCII digit? */
static int
std_is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* The text of a standard being read, and where the reading is. */
typedef struct StdScan
{
	const char *s;
	size_t		len;
	size_t		p;				/* the next byte to read */
	CxstdParseInfo *info;		/* details of a failure (may be NULL) */
} StdScan;

/* Skip blanks; returns how many were skipped. */
static size_t
std_skip_blanks(StdScan *sc)
{
	size_t		start = sc->p;

	while (sc->p < sc->len && cxp_is_blank(sc->s[sc->p]))
		sc->p++;
	return sc->p - start;
}

/* Read a word of letters; returns its length (0 if none) and its start in *word. */
static size_t
std_word(StdScan *sc, const char **word)
{
	size_t		start = sc->p;

	*word = sc->s + start;
	while (sc->p < sc->len && cxp_is_letter(sc->s[sc->p]))
		sc->p++;
	return sc->p - start;
}

/* The end of the blank-delimited token that contains byte q. */
static size_t
std_token_end(const StdScan *sc, size_t q)
{
	while (q < sc->len && !cxp_is_blank(sc->s[q]))
		q++;
	return q;
}

/* Copy an offending word into info->token, printable ASCII only. */
static void
std_set_token(CxstdParseInfo *info, const char *w, size_t wlen)
{
	size_t		i,
				n = 0;

	if (info == NULL)
		return;
	for (i = 0; i < wlen && n + 1 < sizeof(info->token); i++)
		info->token[n++] = (w[i] >= 0x20 && w[i] < 0x7f) ? w[i] : '?';
	info->token[n] = '\0';
}

/* Record a failure and return its code. */
static cxstd_error
std_fail(CxstdParseInfo *info, cxstd_error err, size_t pos)
{
	if (info)
		info->pos = pos;
	return err;
}

/* Record a failure of the unit starting at start, naming bytes start..end, and return it. */
static cxstd_error
std_fail_unit(StdScan *sc, cxstd_error err, size_t start, size_t end)
{
	std_set_token(sc->info, sc->s + start, end - start);
	return std_fail(sc->info, err, start);
}

/* The elapsed-time unit of each stored unit (CXP_UNIT_NONE for business days). */
static const cxp_time_unit std_time_units[] = {
	[CXSTD_SECONDS] = CXP_SECONDS,
	[CXSTD_MINUTES] = CXP_MINUTES,
	[CXSTD_HOURS] = CXP_HOURS,
	[CXSTD_DAYS] = CXP_DAYS,
	[CXSTD_WEEKS] = CXP_WEEKS,
	[CXSTD_BUSINESS_DAYS] = CXP_UNIT_NONE,
};

/* The elapsed-time unit of a stored unit (CXP_UNIT_NONE for business days or none). */
static cxp_time_unit
std_time_unit(int32_t unit)
{
	if (unit < CXSTD_SECONDS || unit > CXSTD_BUSINESS_DAYS)
		return CXP_UNIT_NONE;
	return std_time_units[unit];
}

/* The stored unit of an elapsed-time unit; 0 for one a standard cannot hold. */
static int32_t
std_unit_of(cxp_time_unit tu)
{
	int32_t		u;

	for (u = CXSTD_SECONDS; u < CXSTD_BUSINESS_DAYS; u++)
		if (std_time_units[u] == tu)
			return u;
	return 0;
}

/*
 * The optional target "P%" (absent: 100%), in parts per million, with the
 * blanks after it.
 */
static cxstd_error
std_read_target(StdScan *sc, int64_t *ppm)
{
	const char *s = sc->s;
	size_t		start = sc->p;
	int64_t		whole = 0;
	int64_t		frac = 0;
	int			nfrac = 0;
	int			ndigits = 0;
	int			excess = 0;
	int			negative = 0;

	*ppm = CXSTD_PPM_MAX;
	if (!(sc->p < sc->len && (std_is_digit(s[sc->p]) || s[sc->p] == '.' ||
							  s[sc->p] == '-' || s[sc->p] == '+')))
		return CXSTD_OK;
	if (s[sc->p] == '-' || s[sc->p] == '+')
	{
		negative = (s[sc->p] == '-');
		sc->p++;
	}
	while (sc->p < sc->len && std_is_digit(s[sc->p]))
	{
		if (whole < 100000)
			whole = whole * 10 + (s[sc->p] - '0');
		ndigits++;
		sc->p++;
	}
	if (sc->p < sc->len && s[sc->p] == '.')
	{
		sc->p++;
		while (sc->p < sc->len && std_is_digit(s[sc->p]))
		{
			if (nfrac < 4)
			{
				frac = frac * 10 + (s[sc->p] - '0');
				nfrac++;
			}
			else if (s[sc->p] != '0')
				excess = 1;
			ndigits++;
			sc->p++;
		}
	}
	if (ndigits == 0)
		return std_fail(sc->info, CXSTD_ERR_SYNTAX, start);
	while (nfrac < 4)
	{
		frac *= 10;
		nfrac++;
	}
	std_skip_blanks(sc);
	if (sc->p >= sc->len || s[sc->p] != '%')
		return std_fail(sc->info, CXSTD_ERR_SYNTAX, sc->p);
	sc->p++;
	*ppm = whole * 10000 + frac;
	if (negative && *ppm > 0)
		return std_fail(sc->info, CXSTD_ERR_PERCENT_RANGE, start);
	if (*ppm <= 0 || *ppm > CXSTD_PPM_MAX)
		return std_fail(sc->info, CXSTD_ERR_PERCENT_RANGE, start);
	if (excess)
		return std_fail(sc->info, CXSTD_ERR_PERCENT_DIGITS, start);
	std_skip_blanks(sc);
	return CXSTD_OK;
}

/* The word "within" and the blanks after it. */
static cxstd_error
std_read_within(StdScan *sc)
{
	const char *w;
	size_t		wlen = std_word(sc, &w);

	if (!cxp_word_is(w, wlen, "within"))
		return std_fail(sc->info, CXSTD_ERR_SYNTAX, (size_t) (w - sc->s));
	if (std_skip_blanks(sc) == 0)
		return std_fail(sc->info, CXSTD_ERR_SYNTAX, sc->p);
	return CXSTD_OK;
}

/*
 * The amount N, a positive whole number, and the blanks after it; *big is
 * set when it has more digits than any unit allows (the range is checked
 * once the unit is known).
 */
static cxstd_error
std_read_amount(StdScan *sc, int64_t *amount, int *big)
{
	const char *s = sc->s;
	size_t		start = sc->p;
	int			ndigits = 0;
	int			negative = 0;
	int			fraction = 0;

	*amount = 0;
	*big = 0;
	if (sc->p < sc->len && (s[sc->p] == '-' || s[sc->p] == '+'))
	{
		negative = (s[sc->p] == '-');
		sc->p++;
	}
	while (sc->p < sc->len && std_is_digit(s[sc->p]))
	{
		if (*amount < INT64_C(1000000000000))
			*amount = *amount * 10 + (s[sc->p] - '0');
		else
			*big = 1;
		ndigits++;
		sc->p++;
	}
	if (sc->p < sc->len && s[sc->p] == '.')
	{
		sc->p++;
		while (sc->p < sc->len && std_is_digit(s[sc->p]))
		{
			if (s[sc->p] != '0')
				fraction = 1;
			ndigits++;
			sc->p++;
		}
	}
	if (ndigits == 0)
		return std_fail(sc->info, CXSTD_ERR_SYNTAX, start);
	if (negative && (*amount > 0 || fraction))
		return std_fail(sc->info, CXSTD_ERR_AMOUNT_NEGATIVE, start);
	if (fraction)
		return std_fail(sc->info, CXSTD_ERR_AMOUNT_FRACTION, start);
	if (*amount == 0 && !*big)
		return std_fail(sc->info, CXSTD_ERR_AMOUNT_ZERO, start);
	if (std_skip_blanks(sc) == 0)
		return std_fail(sc->info, CXSTD_ERR_SYNTAX, sc->p);
	return CXSTD_OK;
}

/*
 * The rest of a two-word unit "business|working|calendar day(s)" whose
 * first word w (of wlen letters, starting at start) has been read.
 */
static cxstd_error
std_read_day_kind(StdScan *sc, size_t start, const char *w, size_t wlen, int32_t *unit)
{
	int			calendar = cxp_word_is(w, wlen, "calendar");
	const char *w2;
	size_t		wlen2;

	if (std_skip_blanks(sc) == 0)
		return std_fail_unit(sc, CXSTD_ERR_UNIT, start, start + wlen);
	wlen2 = std_word(sc, &w2);
	if (!cxp_word_is(w2, wlen2, "day") && !cxp_word_is(w2, wlen2, "days"))
		return std_fail_unit(sc, CXSTD_ERR_UNIT, start, (size_t) (w2 + wlen2 - sc->s));
	*unit = calendar ? CXSTD_DAYS : CXSTD_BUSINESS_DAYS;
	return CXSTD_OK;
}

/*
 * The unit: a time-unit word (prim_core.c's vocabulary) of a second or
 * longer, or "business|working|calendar day(s)", ending at a blank or the
 * end of the text.
 */
static cxstd_error
std_read_unit(StdScan *sc, int32_t *unit)
{
	size_t		start = sc->p;
	const char *w;
	size_t		wlen = std_word(sc, &w);
	cxp_time_unit tu = CXP_UNIT_NONE;
	cxstd_error err;

	if (wlen == 0)
	{
		if (sc->p >= sc->len)
			return std_fail(sc->info, CXSTD_ERR_SYNTAX, sc->p);
		return std_fail_unit(sc, CXSTD_ERR_UNIT, sc->p, std_token_end(sc, sc->p));
	}
	if (cxp_word_is(w, wlen, "business") || cxp_word_is(w, wlen, "working") ||
		cxp_word_is(w, wlen, "calendar"))
	{
		if ((err = std_read_day_kind(sc, start, w, wlen, unit)) != CXSTD_OK)
			return err;
	}
	else if ((tu = cxp_time_unit_of(w, wlen)) == CXP_UNIT_NONE)
	{
		/* take the whole rest of the word, letters or not, for the message */
		return std_fail_unit(sc, CXSTD_ERR_UNIT, start, std_token_end(sc, sc->p));
	}
	if (sc->p < sc->len && !cxp_is_blank(sc->s[sc->p]))
		return std_fail_unit(sc, CXSTD_ERR_UNIT, start, std_token_end(sc, sc->p));
	if (tu != CXP_UNIT_NONE && (*unit = std_unit_of(tu)) == 0)
		return std_fail_unit(sc, CXSTD_ERR_UNIT_SHORT, start, start + wlen);
	return CXSTD_OK;
}

/* Is the amount within the range of its unit (at most about 50 years)? */
static cxstd_error
std_check_amount_range(int64_t amount, int big, int32_t unit, CxstdParseInfo *info)
{
	if (big)
		return std_fail(info, CXSTD_ERR_AMOUNT_RANGE, 0);
	if (unit == CXSTD_BUSINESS_DAYS)
	{
		if (amount > CXSTD_MAX_BUSINESS_DAYS)
			return std_fail(info, CXSTD_ERR_AMOUNT_RANGE, 0);
	}
	else if (amount > CXSTD_MAX_SECONDS / cxstd_unit_seconds(unit))
		return std_fail(info, CXSTD_ERR_AMOUNT_RANGE, 0);
	return CXSTD_OK;
}

/* Parse len bytes of text; on failure fills info (may be NULL). */
cxstd_error
cxstd_parse(const char *s, size_t len, CxstdStandard *out, CxstdParseInfo *info)
{
	StdScan		sc = {s, len, 0, info};
	int64_t		ppm,
				amount;
	int32_t		unit = 0;
	int			big;
	cxstd_error err;

	if (info)
	{
		info->pos = 0;
		info->token[0] = '\0';
	}
	std_skip_blanks(&sc);
	if ((err = std_read_target(&sc, &ppm)) != CXSTD_OK ||
		(err = std_read_within(&sc)) != CXSTD_OK ||
		(err = std_read_amount(&sc, &amount, &big)) != CXSTD_OK ||
		(err = std_read_unit(&sc, &unit)) != CXSTD_OK)
		return err;
	std_skip_blanks(&sc);
	if (sc.p != len)
		return std_fail(info, CXSTD_ERR_SYNTAX, sc.p);
	if ((err = std_check_amount_range(amount, big, unit, info)) != CXSTD_OK)
		return err;
	CX_ASSERT(ppm > 0 && ppm <= CXSTD_PPM_MAX && amount >= 1 && amount <= INT32_MAX);
	out->target_ppm = (int32_t) ppm;
	out->amount = (int32_t) amount;
	out->unit = unit;
	CX_ASSERT(cxstd_validate(out) == CXSTD_OK);
	return CXSTD_OK;
}

/* Check every field of a standard (for binary input). */
cxstd_error
cxstd_validate(const CxstdStandard *std)
{
	if (std->target_ppm <= 0 || std->target_ppm > CXSTD_PPM_MAX)
		return CXSTD_ERR_PERCENT_RANGE;
	if (std->unit < CXSTD_SECONDS || std->unit > CXSTD_BUSINESS_DAYS)
		return CXSTD_ERR_UNIT;
	if (std->amount < 0)
		return CXSTD_ERR_AMOUNT_NEGATIVE;
	if (std->amount == 0)
		return CXSTD_ERR_AMOUNT_ZERO;
	if (std->unit == CXSTD_BUSINESS_DAYS)
	{
		if (std->amount > CXSTD_MAX_BUSINESS_DAYS)
			return CXSTD_ERR_AMOUNT_RANGE;
	}
	else if ((int64_t) std->amount > CXSTD_MAX_SECONDS / cxstd_unit_seconds(std->unit))
		return CXSTD_ERR_AMOUNT_RANGE;
	return CXSTD_OK;
}

/* Seconds per unit for elapsed-time units; 0 for business days. */
int64_t
cxstd_unit_seconds(int32_t unit)
{
	return cxp_unit_usecs(std_time_unit(unit)) / CXP_USECS_PER_SEC;
}

/* Canonical unit word (plural) for a unit. */
const char *
cxstd_unit_name(int32_t unit)
{
	if (unit == CXSTD_BUSINESS_DAYS)
		return "business days";
	return cxp_unit_name(std_time_unit(unit));
}

/* Canonical text form into buf; returns the length (buf of 64 bytes is enough). */
size_t
cxstd_format(const CxstdStandard *std, char *buf, size_t buflen)
{
	char		pct[16];
	char		unitw[24];
	int32_t		whole = std->target_ppm / 10000;
	int32_t		frac = std->target_ppm % 10000;
	int			n;

	if (frac == 0)
		snprintf(pct, sizeof(pct), "%d", (int) whole);
	else
	{
		int			digits = 4;

		while (frac % 10 == 0)
		{
			frac /= 10;
			digits--;
		}
		snprintf(pct, sizeof(pct), "%d.%0*d", (int) whole, digits, (int) frac);
	}
	snprintf(unitw, sizeof(unitw), "%s", cxstd_unit_name(std->unit));
	if (std->amount == 1)
		unitw[strlen(unitw) - 1] = '\0';	/* singular: drop the final s */
	n = snprintf(buf, buflen, "%s%% within %d %s", pct, (int) std->amount, unitw);
	if (n < 0)
		n = 0;
	return (size_t) n < buflen ? (size_t) n : buflen - 1;
}

/* Allowance in microseconds for elapsed units; -1 for business days. */
int64_t
cxstd_allowance_usecs(const CxstdStandard *std)
{
	int64_t		secs = cxstd_unit_seconds(std->unit);

	if (secs == 0)
		return -1;
	return (int64_t) std->amount * secs * INT64_C(1000000);
}

/* Total order: elapsed allowances by length, then business days; ties by target. */
int
cxstd_compare(const CxstdStandard *a, const CxstdStandard *b)
{
	int			abiz = (a->unit == CXSTD_BUSINESS_DAYS);
	int			bbiz = (b->unit == CXSTD_BUSINESS_DAYS);
	int64_t		av,
				bv;

	if (abiz != bbiz)
		return abiz ? 1 : -1;
	av = abiz ? a->amount : cxstd_allowance_usecs(a);
	bv = bbiz ? b->amount : cxstd_allowance_usecs(b);
	if (av != bv)
		return av < bv ? -1 : 1;
	if (a->unit != b->unit)
		return a->unit < b->unit ? -1 : 1;
	if (a->target_ppm != b->target_ppm)
		return a->target_ppm < b->target_ppm ? -1 : 1;
	return 0;
}

/* Write the binary form of std into out (CXSTD_BINARY_SIZE bytes). */
void
cxstd_encode_binary(const CxstdStandard *std, uint8_t *out)
{
	out = cxw_put_uint(out, CXSTD_BINARY_VERSION, 1);
	out = cxw_put_uint(out, (uint32_t) std->target_ppm, 4);
	out = cxw_put_uint(out, (uint32_t) std->amount, 4);
	cxw_put_uint(out, (uint32_t) std->unit, 4);
}

/* Decode the binary form of len bytes into out (see standard_core.h). */
cxstd_bin_status
cxstd_decode_binary(const uint8_t *buf, size_t len, CxstdStandard *out, int *version)
{
	CxWire		w;

	if (len != CXSTD_BINARY_SIZE)
		return CXSTD_BIN_LENGTH;
	cxw_init(&w, buf, len);
	*version = cxw_u8(&w);
	if (*version != CXSTD_BINARY_VERSION)
		return CXSTD_BIN_VERSION;
	out->target_ppm = cxw_i32(&w);
	out->amount = cxw_i32(&w);
	out->unit = cxw_i32(&w);
	if (cxstd_validate(out) != CXSTD_OK)
		return CXSTD_BIN_FIELDS;
	return CXSTD_BIN_OK;
}
