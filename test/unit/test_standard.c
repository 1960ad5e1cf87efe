/*
 * test_standard.c — unit tests of standard_core.c: parsing, canonical
 * output, errors, ordering, and robustness against random and mutated input.
 */
#include "standard_core.h"
#include "unit.h"

#include <stdlib.h>
#include <string.h>

/* Parse s; return its canonical form in buf or "ERR<code>". */
static const char *
canon(const char *s, char *buf, size_t len)
{
	CxstdStandard std;
	cxstd_error err = cxstd_parse(s, strlen(s), &std, NULL);

	if (err != CXSTD_OK)
		snprintf(buf, len, "ERR%d", (int) err);
	else
		cxstd_format(&std, buf, len);
	return buf;
}

/* Check that s reads as the expected canonical text (or error code). */
static void
expect(const char *s, const char *want)
{
	char		buf[80];

	CHECK(strcmp(canon(s, buf, sizeof(buf)), want) == 0, "'%s' -> '%s' (got '%s')", s, want, buf);
}

/* Simple deterministic random numbers. */
static uint64_t rng_state = 0x9E3779B97F4A7C15ULL;

/* Next random number. */
static uint64_t
rnd(void)
{
	return unit_xorshift(&rng_state);
}

/* Valid forms and their canonical output. */
static void
test_valid(void)
{
	char		buf[80];

	expect("90% within 30 business days", "90% within 30 business days");
	expect("within 5 days", "100% within 5 days");
	expect("80% within 20 minutes", "80% within 20 minutes");
	expect("  95 %  WITHIN  4\tHours ", "95% within 4 hours");
	expect("99.95% within 1 hour", "99.95% within 1 hour");
	expect("99.9500% within 2 weeks", "99.95% within 2 weeks");
	expect("100% within 1 business day", "100% within 1 business day");
	expect("50% within 10 working days", "50% within 10 business days");
	expect("50% within 10 calendar days", "50% within 10 days");
	expect("75% within 45 secs", "75% within 45 seconds");
	expect("75% within 1 sec", "75% within 1 second");
	expect("75% within 90 mins", "75% within 90 minutes");
	expect("75% within 3 hrs", "75% within 3 hours");
	expect("75% within 3 h", "75% within 3 hours");
	expect("75% within 1 H", "75% within 1 hour");
	expect("75% within 3 hr", "75% within 3 hours");
	expect("75% within 45 s", "75% within 45 seconds");
	expect("75% within 2 d", "75% within 2 days");
	expect("75% within 2 min", "75% within 2 minutes");
	expect("0.0001% within 1 week", "0.0001% within 1 week");
	expect("+90% within +3 days", "90% within 3 days");
	expect("90% within 3.0 days", "90% within 3 days");
	expect("90% within 007 days", "90% within 7 days");
	expect("90.% within 7 days", "90% within 7 days");
	expect("90% within 13000 business days", "90% within 13000 business days");
	expect("90% within 18262 days", "90% within 18262 days");
	(void) buf;
}

/* Invalid forms give the right error. */
static void
test_invalid(void)
{
	char		want[16];
	CxstdParseInfo info;
	CxstdStandard std;

#define EXPECT_ERR(s, e) do { snprintf(want, sizeof(want), "ERR%d", (int) (e)); expect(s, want); } while (0)
	EXPECT_ERR("150% within 3 days", CXSTD_ERR_PERCENT_RANGE);
	EXPECT_ERR("0% within 3 days", CXSTD_ERR_PERCENT_RANGE);
	EXPECT_ERR("-5% within 3 days", CXSTD_ERR_PERCENT_RANGE);
	EXPECT_ERR("100.0001% within 3 days", CXSTD_ERR_PERCENT_RANGE);
	EXPECT_ERR("99.99999% within 3 days", CXSTD_ERR_PERCENT_DIGITS);
	EXPECT_ERR("90% within -2 days", CXSTD_ERR_AMOUNT_NEGATIVE);
	EXPECT_ERR("90% within 0 days", CXSTD_ERR_AMOUNT_ZERO);
	EXPECT_ERR("90% within 1.5 hours", CXSTD_ERR_AMOUNT_FRACTION);
	EXPECT_ERR("90% within 2 fortnights", CXSTD_ERR_UNIT);
	EXPECT_ERR("90% within 2 business weeks", CXSTD_ERR_UNIT);
	EXPECT_ERR("90% within 2 days5", CXSTD_ERR_UNIT);
	EXPECT_ERR("90% within 500 ms", CXSTD_ERR_UNIT_SHORT);
	EXPECT_ERR("90% within 5 Microseconds", CXSTD_ERR_UNIT_SHORT);
	EXPECT_ERR("90% within 5 hx", CXSTD_ERR_UNIT);
	EXPECT_ERR("90% within 5 h.", CXSTD_ERR_UNIT);
	EXPECT_ERR("90% within 13001 business days", CXSTD_ERR_AMOUNT_RANGE);
	EXPECT_ERR("90% within 18263 days", CXSTD_ERR_AMOUNT_RANGE);
	EXPECT_ERR("90% within 99999999999999999999 seconds", CXSTD_ERR_AMOUNT_RANGE);
	EXPECT_ERR("", CXSTD_ERR_SYNTAX);
	EXPECT_ERR("90%", CXSTD_ERR_SYNTAX);
	EXPECT_ERR("90 within 3 days", CXSTD_ERR_SYNTAX);
	EXPECT_ERR("90% within", CXSTD_ERR_SYNTAX);
	EXPECT_ERR("90% within 3", CXSTD_ERR_SYNTAX);
	EXPECT_ERR("90% within3 days", CXSTD_ERR_SYNTAX);
	EXPECT_ERR("90% in 3 days", CXSTD_ERR_SYNTAX);
	EXPECT_ERR("90% within 3 days please", CXSTD_ERR_SYNTAX);
	EXPECT_ERR("% within 3 days", CXSTD_ERR_SYNTAX);
	EXPECT_ERR(". within 3 days", CXSTD_ERR_SYNTAX);

	CHECK(cxstd_parse("90% within 2 fortnights", 23, &std, &info) == CXSTD_ERR_UNIT &&
		  strcmp(info.token, "fortnights") == 0, "unknown unit is named");
	CHECK(cxstd_parse("90% within 500 ms ", 18, &std, &info) == CXSTD_ERR_UNIT_SHORT &&
		  strcmp(info.token, "ms") == 0 && info.pos == 15, "a unit shorter than a second is named");
	CHECK(cxstd_parse("90% within 5 %days", 18, &std, &info) == CXSTD_ERR_UNIT &&
		  strcmp(info.token, "%days") == 0, "non-letter unit is named");
	/* an embedded NUL is not the end of the input */
	CHECK(cxstd_parse("within 5 days\0x", 15, &std, NULL) != CXSTD_OK, "embedded NUL rejected");
#undef EXPECT_ERR
}

/* Validation, allowance, ordering. */
static void
test_values(void)
{
	CxstdStandard a = {900000, 30, CXSTD_BUSINESS_DAYS};
	CxstdStandard b = {900000, 2, CXSTD_WEEKS};
	CxstdStandard c = {900000, 14, CXSTD_DAYS};
	CxstdStandard d = {800000, 14, CXSTD_DAYS};
	CxstdStandard bad;

	CHECK(cxstd_validate(&a) == CXSTD_OK, "valid standard");
	CHECK(cxstd_allowance_usecs(&a) == -1, "business days have no elapsed allowance");
	CHECK(cxstd_allowance_usecs(&b) == INT64_C(14) * 86400 * 1000000, "2 weeks in usecs");
	CHECK(cxstd_compare(&b, &c) > 0 && cxstd_compare(&c, &b) < 0, "2 weeks orders after 14 days (same length, by unit)");
	CHECK(cxstd_compare(&d, &c) < 0, "lower target orders first");
	CHECK(cxstd_compare(&c, &a) < 0, "elapsed before business days");
	CHECK(cxstd_compare(&a, &a) == 0, "equal to itself");
	bad = a;
	bad.target_ppm = 0;
	CHECK(cxstd_validate(&bad) == CXSTD_ERR_PERCENT_RANGE, "target 0 refused");
	bad = a;
	bad.unit = 7;
	CHECK(cxstd_validate(&bad) == CXSTD_ERR_UNIT, "unit 7 refused");
	bad = a;
	bad.amount = -1;
	CHECK(cxstd_validate(&bad) == CXSTD_ERR_AMOUNT_NEGATIVE, "negative amount refused");
	bad = b;
	bad.amount = 1000000;
	CHECK(cxstd_validate(&bad) == CXSTD_ERR_AMOUNT_RANGE, "1e6 weeks refused");
}

/* Random bytes and mutations of valid text never crash; what parses round-trips. */
static void
test_random(void)
{
	static const char *const seeds[] = {
		"90% within 30 business days", "within 5 days", "80% within 20 minutes",
		"99.95% within 1 hour", "75% within 2 weeks", "50% within 10 calendar days",
	};
	static const char alphabet[] = "0123456789.%+- \tabcdeghiklmnorstuwyBDHW\x80\xff";
	int			i,
				roundtrip_bad = 0,
				accepted = 0,
				fields_bad = 0,
				unnamed_unit = 0;

	for (i = 0; i < 200000; i++)
	{
		char		in[64];
		size_t		len,
					k;
		CxstdStandard std;
		CxstdParseInfo info;

		if (i % 2)
		{
			const char *s = seeds[rnd() % 6];
			int			muts = 1 + (int) (rnd() % 3);

			len = strlen(s);
			memcpy(in, s, len);
			while (muts-- > 0)
			{
				size_t		pos = len ? (size_t) (rnd() % len) : 0;

				switch (rnd() % 3)
				{
					case 0:
						if (len)
							in[pos] = alphabet[rnd() % (sizeof(alphabet) - 1)];
						break;
					case 1:
						if (len)
						{
							memmove(in + pos, in + pos + 1, len - pos - 1);
							len--;
						}
						break;
					default:
						if (len < sizeof(in) - 1)
						{
							memmove(in + pos + 1, in + pos, len - pos);
							in[pos] = alphabet[rnd() % (sizeof(alphabet) - 1)];
							len++;
						}
				}
			}
		}
		else
		{
			len = (size_t) (rnd() % 40);
			for (k = 0; k < len; k++)
				in[k] = (char) (rnd() & 0xff);
		}
		/* parse exactly len bytes from a heap copy so ASan sees over-reads */
		{
			char	   *heap = malloc(len ? len : 1);

			memcpy(heap, in, len);
			cxstd_error err = cxstd_parse(heap, len, &std, &info);

			if (err == CXSTD_ERR_UNIT && info.token[0] == '\0')
				unnamed_unit++;
			if (err == CXSTD_OK)
			{
				char		out[80];
				CxstdStandard again;

				accepted++;
				if (cxstd_validate(&std) != CXSTD_OK)
					fields_bad++;
				cxstd_format(&std, out, sizeof(out));
				if (cxstd_parse(out, strlen(out), &again, NULL) != CXSTD_OK ||
					cxstd_compare(&std, &again) != 0)
					roundtrip_bad++;
			}
			free(heap);
		}
	}
	CHECK(accepted > 1000, "random mutations: %d accepted", accepted);
	CHECK(fields_bad == 0, "every accepted value validates");
	CHECK(roundtrip_bad == 0, "every accepted value round-trips through its text");
	CHECK(unnamed_unit == 0, "every unknown-unit error names the unit (%d did not)", unnamed_unit);
}

int
main(void)
{
	test_valid();
	test_invalid();
	test_values();
	test_random();
	return unit_done();
}
