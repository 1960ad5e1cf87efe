/*
 * standard_core.c — parse, check, format and compare service standards
 * ("90% within 30 business days"), without PostgreSQL headers.
 */
#include "standard_core.h"
#include "wire_core.h"

#include <stdio.h>
#include <string.h>

/* Is c an ASCII blank (space, tab, newline, carriage return)? */
static int
std_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Is c an ASCII digit? */
static int
std_is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Is c an ASCII letter? */
static int
std_is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* ASCII lower case of c. */
static char
std_lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char) (c - 'A' + 'a') : c;
}

/* Skip blanks from *p; returns how many were skipped. */
static size_t
std_skip_space(const char *s, size_t len, size_t *p)
{
	size_t		start = *p;

	while (*p < len && std_is_space(s[*p]))
		(*p)++;
	return *p - start;
}

/* Read a word of letters at *p; returns its length (0 if none). */
static size_t
std_word(const char *s, size_t len, size_t *p, const char **word)
{
	size_t		start = *p;

	*word = s + start;
	while (*p < len && std_is_alpha(s[*p]))
		(*p)++;
	return *p - start;
}

/* Case-insensitive comparison of a word with a lower-case literal. */
static int
std_word_is(const char *w, size_t wlen, const char *lit)
{
	size_t		i;

	if (strlen(lit) != wlen)
		return 0;
	for (i = 0; i < wlen; i++)
		if (std_lower(w[i]) != lit[i])
			return 0;
	return 1;
}

/* Copy an offending word into info->token, printable ASCII only. */
static void
std_set_token(cxstd_parse_info *info, const char *w, size_t wlen)
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
std_fail(cxstd_parse_info *info, cxstd_error err, size_t pos)
{
	if (info)
		info->pos = pos;
	return err;
}

/* Map a single unit word to a unit (0 if unknown). */
static int32_t
std_simple_unit(const char *w, size_t wlen)
{
	static const struct
	{
		const char *word;
		int32_t		unit;
	}			words[] = {
		{"second", CXSTD_SECONDS}, {"seconds", CXSTD_SECONDS},
		{"sec", CXSTD_SECONDS}, {"secs", CXSTD_SECONDS},
		{"minute", CXSTD_MINUTES}, {"minutes", CXSTD_MINUTES},
		{"min", CXSTD_MINUTES}, {"mins", CXSTD_MINUTES},
		{"hour", CXSTD_HOURS}, {"hours", CXSTD_HOURS},
		{"hr", CXSTD_HOURS}, {"hrs", CXSTD_HOURS},
		{"day", CXSTD_DAYS}, {"days", CXSTD_DAYS},
		{"week", CXSTD_WEEKS}, {"weeks", CXSTD_WEEKS},
	};
	size_t		i;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (std_word_is(w, wlen, words[i].word))
			return words[i].unit;
	return 0;
}

/* Parse len bytes of text; on failure fills info (may be NULL). */
cxstd_error
cxstd_parse(const char *s, size_t len, cxstd_standard *out, cxstd_parse_info *info)
{
	size_t		p = 0,
				wlen;
	const char *w;
	int64_t		ppm = CXSTD_PPM_MAX;
	int64_t		amount = 0;
	int32_t		unit;
	int			negative = 0;
	int			big = 0;
	int			fraction = 0;

	if (info)
	{
		info->pos = 0;
		info->token[0] = '\0';
	}
	std_skip_space(s, len, &p);

	/* optional "P%" */
	if (p < len && (std_is_digit(s[p]) || s[p] == '.' || s[p] == '-' || s[p] == '+'))
	{
		size_t		start = p;
		int64_t		whole = 0;
		int64_t		frac = 0;
		int			nfrac = 0;
		int			ndigits = 0;
		int			excess = 0;

		if (s[p] == '-' || s[p] == '+')
		{
			negative = (s[p] == '-');
			p++;
		}
		while (p < len && std_is_digit(s[p]))
		{
			if (whole < 100000)
				whole = whole * 10 + (s[p] - '0');
			ndigits++;
			p++;
		}
		if (p < len && s[p] == '.')
		{
			p++;
			while (p < len && std_is_digit(s[p]))
			{
				if (nfrac < 4)
				{
					frac = frac * 10 + (s[p] - '0');
					nfrac++;
				}
				else if (s[p] != '0')
					excess = 1;
				ndigits++;
				p++;
			}
		}
		if (ndigits == 0)
			return std_fail(info, CXSTD_ERR_SYNTAX, start);
		while (nfrac < 4)
		{
			frac *= 10;
			nfrac++;
		}
		std_skip_space(s, len, &p);
		if (p >= len || s[p] != '%')
			return std_fail(info, CXSTD_ERR_SYNTAX, p);
		p++;
		ppm = whole * 10000 + frac;
		if (negative && ppm > 0)
			return std_fail(info, CXSTD_ERR_PERCENT_RANGE, start);
		if (ppm <= 0 || ppm > CXSTD_PPM_MAX)
			return std_fail(info, CXSTD_ERR_PERCENT_RANGE, start);
		if (excess)
			return std_fail(info, CXSTD_ERR_PERCENT_DIGITS, start);
		std_skip_space(s, len, &p);
	}

	/* "within" */
	wlen = std_word(s, len, &p, &w);
	if (!std_word_is(w, wlen, "within"))
		return std_fail(info, CXSTD_ERR_SYNTAX, (size_t) (w - s));
	if (std_skip_space(s, len, &p) == 0)
		return std_fail(info, CXSTD_ERR_SYNTAX, p);

	/* amount N: a whole number */
	{
		size_t		start = p;
		int			ndigits = 0;

		negative = 0;
		if (p < len && (s[p] == '-' || s[p] == '+'))
		{
			negative = (s[p] == '-');
			p++;
		}
		while (p < len && std_is_digit(s[p]))
		{
			if (amount < INT64_C(1000000000000))
				amount = amount * 10 + (s[p] - '0');
			else
				big = 1;
			ndigits++;
			p++;
		}
		if (p < len && s[p] == '.')
		{
			p++;
			while (p < len && std_is_digit(s[p]))
			{
				if (s[p] != '0')
					fraction = 1;
				ndigits++;
				p++;
			}
		}
		if (ndigits == 0)
			return std_fail(info, CXSTD_ERR_SYNTAX, start);
		if (negative && (amount > 0 || fraction))
			return std_fail(info, CXSTD_ERR_AMOUNT_NEGATIVE, start);
		if (fraction)
			return std_fail(info, CXSTD_ERR_AMOUNT_FRACTION, start);
		if (amount == 0 && !big)
			return std_fail(info, CXSTD_ERR_AMOUNT_ZERO, start);
		if (std_skip_space(s, len, &p) == 0)
			return std_fail(info, CXSTD_ERR_SYNTAX, p);
	}

	/* unit: one word, or "business|working|calendar day(s)" */
	{
		size_t		start = p;

		wlen = std_word(s, len, &p, &w);
		if (wlen == 0)
		{
			size_t		q = p;

			if (p >= len)
				return std_fail(info, CXSTD_ERR_SYNTAX, p);
			while (q < len && !std_is_space(s[q]))
				q++;
			std_set_token(info, s + p, q - p);
			return std_fail(info, CXSTD_ERR_UNIT, p);
		}
		if (std_word_is(w, wlen, "business") || std_word_is(w, wlen, "working") ||
			std_word_is(w, wlen, "calendar"))
		{
			int			calendar = std_word_is(w, wlen, "calendar");
			const char *w2;
			size_t		wlen2;

			if (std_skip_space(s, len, &p) == 0)
			{
				std_set_token(info, w, wlen);
				return std_fail(info, CXSTD_ERR_UNIT, start);
			}
			wlen2 = std_word(s, len, &p, &w2);
			if (!std_word_is(w2, wlen2, "day") && !std_word_is(w2, wlen2, "days"))
			{
				std_set_token(info, w, (size_t) (w2 + wlen2 - w));
				return std_fail(info, CXSTD_ERR_UNIT, start);
			}
			unit = calendar ? CXSTD_DAYS : CXSTD_BUSINESS_DAYS;
		}
		else if ((unit = std_simple_unit(w, wlen)) == 0)
		{
			/* take the whole rest of the word, letters or not, for the message */
			size_t		q = p;

			while (q < len && !std_is_space(s[q]))
				q++;
			std_set_token(info, w, q - start);
			return std_fail(info, CXSTD_ERR_UNIT, start);
		}
		if (p < len && !std_is_space(s[p]))
		{
			size_t		q = p;

			while (q < len && !std_is_space(s[q]))
				q++;
			std_set_token(info, w, q - start);
			return std_fail(info, CXSTD_ERR_UNIT, start);
		}
	}
	std_skip_space(s, len, &p);
	if (p != len)
		return std_fail(info, CXSTD_ERR_SYNTAX, p);

	/* range of the amount for its unit */
	if (big)
		return std_fail(info, CXSTD_ERR_AMOUNT_RANGE, 0);
	if (unit == CXSTD_BUSINESS_DAYS)
	{
		if (amount > CXSTD_MAX_BUSINESS_DAYS)
			return std_fail(info, CXSTD_ERR_AMOUNT_RANGE, 0);
	}
	else if (amount > CXSTD_MAX_SECONDS / cxstd_unit_seconds(unit))
		return std_fail(info, CXSTD_ERR_AMOUNT_RANGE, 0);

	out->target_ppm = (int32_t) ppm;
	out->amount = (int32_t) amount;
	out->unit = unit;
	return CXSTD_OK;
}

/* Check every field of a standard (for binary input). */
cxstd_error
cxstd_validate(const cxstd_standard *std)
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
	switch (unit)
	{
		case CXSTD_SECONDS:
			return 1;
		case CXSTD_MINUTES:
			return 60;
		case CXSTD_HOURS:
			return 3600;
		case CXSTD_DAYS:
			return 86400;
		case CXSTD_WEEKS:
			return 7 * 86400;
		default:
			return 0;
	}
}

/* Canonical unit word (plural) for a unit. */
const char *
cxstd_unit_name(int32_t unit)
{
	switch (unit)
	{
		case CXSTD_SECONDS:
			return "seconds";
		case CXSTD_MINUTES:
			return "minutes";
		case CXSTD_HOURS:
			return "hours";
		case CXSTD_DAYS:
			return "days";
		case CXSTD_WEEKS:
			return "weeks";
		case CXSTD_BUSINESS_DAYS:
			return "business days";
		default:
			return "?";
	}
}

/* Canonical text form into buf; returns the length (buf of 64 bytes is enough). */
size_t
cxstd_format(const cxstd_standard *std, char *buf, size_t buflen)
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
cxstd_allowance_usecs(const cxstd_standard *std)
{
	int64_t		secs = cxstd_unit_seconds(std->unit);

	if (secs == 0)
		return -1;
	return (int64_t) std->amount * secs * INT64_C(1000000);
}

/* Total order: elapsed allowances by length, then business days; ties by target. */
int
cxstd_compare(const cxstd_standard *a, const cxstd_standard *b)
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
cxstd_encode_binary(const cxstd_standard *std, uint8_t *out)
{
	out = cxw_put_uint(out, CXSTD_BINARY_VERSION, 1);
	out = cxw_put_uint(out, (uint32_t) std->target_ppm, 4);
	out = cxw_put_uint(out, (uint32_t) std->amount, 4);
	cxw_put_uint(out, (uint32_t) std->unit, 4);
}

/* Decode the binary form of len bytes into out (see standard_core.h). */
cxstd_bin_status
cxstd_decode_binary(const uint8_t *buf, size_t len, cxstd_standard *out, int *version)
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
