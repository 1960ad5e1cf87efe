/*
 * test_prim.c — unit tests of prim_core.c: intervals as microseconds, civil
 * dates against a day-by-day walk of the calendar, the int64 comparator and
 * lower-bound search against a linear scan, the fraction check, blanks and
 * the time-unit vocabulary.
 */
#include "prim_core.h"
#include "unit.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Days in a month of the proleptic Gregorian calendar. */
static int
month_days(int64_t y, int m)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int			leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return days[m - 1] + (m == 2 && leap);
}

/* Walk the calendar day by day from 1600-01-01 to 2400-12-31 against both conversions. */
static void
test_civil(void)
{
	int64_t		y = 1600,
				day = cxp_days_from_civil(1600, 1, 1);
	int			m = 1,
				d = 1,
				bad = 0;

	CHECK(cxp_days_from_civil(2000, 1, 1) == 0, "2000-01-01 is day 0");
	CHECK(cxp_days_from_civil(1970, 1, 1) == -10957, "1970-01-01 is day -10957");
	CHECK(cxp_days_from_civil(2000, 3, 1) == 60, "2000 is a leap year");
	CHECK(cxp_days_from_civil(1900, 3, 1) - cxp_days_from_civil(1900, 2, 28) == 1,
		  "1900 is not a leap year");
	while (y <= 2400)
	{
		int64_t		yy;
		int			mm,
					dd;

		cxp_civil_from_days(day, &yy, &mm, &dd);
		if (yy != y || mm != m || dd != d || cxp_days_from_civil(y, m, d) != day)
			bad++;
		day++;
		if (++d > month_days(y, m))
		{
			d = 1;
			if (++m > 12)
			{
				m = 1;
				y++;
			}
		}
	}
	CHECK(bad == 0, "day by day, 1600 to 2400: %d mismatches", bad);
	{
		int64_t		yy;
		int			mm,
					dd;

		cxp_civil_from_days(cxp_days_from_civil(-4800, 1, 1), &yy, &mm, &dd);
		CHECK(yy == -4800 && mm == 1 && dd == 1, "-4800-01-01 round trip");
		cxp_civil_from_days(cxp_days_from_civil(300000, 12, 31), &yy, &mm, &dd);
		CHECK(yy == 300000 && mm == 12 && dd == 31, "300000-12-31 round trip");
		cxp_civil_from_days(-1, &yy, &mm, &dd);
		CHECK(yy == 1999 && mm == 12 && dd == 31, "day -1 is 1999-12-31");
	}
	CHECK(cxp_floor_div(-1, 7) == -1 && cxp_floor_div(-7, 7) == -1 &&
		  cxp_floor_div(-8, 7) == -2 && cxp_floor_div(6, 7) == 0 && cxp_floor_div(7, 7) == 1,
		  "floor division");
}

/* Intervals as microseconds, months as 30 days, negative parts included. */
static void
test_interval(void)
{
	CxInterval	a = {1, 2, 3},
				b = {-5, -1, 0},
				c = {INT64_MAX, INT32_MAX, INT32_MAX},
				d = {INT64_MIN, INT32_MIN, INT32_MIN};
	__int128	day = (__int128) 86400000000LL;
	CxInterval	r;

	CHECK(cxp_cxinterval_usecs(&a) == 1 + 2 * day + 90 * day, "1 us 2 days 3 months");
	CHECK(cxp_cxinterval_usecs(&b) == -5 - day, "-1 day -5 us");
	CHECK(cxp_cxinterval_usecs(&c) ==
		  (__int128) INT64_MAX + ((__int128) INT32_MAX * 31) * day, "largest interval, exact");
	CHECK(cxp_cxinterval_usecs(&d) ==
		  (__int128) INT64_MIN + ((__int128) INT32_MIN * 31) * day, "smallest interval, exact");
	CHECK(cxp_usecs_fit(INT64_MAX) && cxp_usecs_fit(INT64_MIN) &&
		  !cxp_usecs_fit((__int128) INT64_MAX + 1) && !cxp_usecs_fit((__int128) INT64_MIN - 1) &&
		  !cxp_usecs_fit(cxp_cxinterval_usecs(&c)), "int64 range");
	r = cxp_usecs_interval(-(3 * 86400000000LL + 7));
	CHECK(r.month == 0 && r.day == -3 && r.time == -7, "-3 days -7 us back to an interval");
	r = cxp_usecs_interval(INT64_MIN);
	CHECK(cxp_cxinterval_usecs(&r) == INT64_MIN, "INT64_MIN us round trip");
	r = cxp_usecs_interval(INT64_MAX);
	CHECK(cxp_cxinterval_usecs(&r) == INT64_MAX, "INT64_MAX us round trip");
}

/* The comparator and lower-bound search on random sorted arrays. */
static void
test_sorted(void)
{
	int64_t		v[64];
	int			round,
				bad = 0;
	uint64_t	rng = 12345;
	int64_t		x = INT64_MIN,
				y = INT64_MAX;

	CHECK(cxp_cmp_int64(&x, &y) < 0 && cxp_cmp_int64(&y, &x) > 0 && cxp_cmp_int64(&x, &x) == 0,
		  "comparator at the extremes");
	CHECK(cxp_lower_bound_int64(v, 0, 5) == 0, "lower bound of nothing");
	for (round = 0; round < 2000; round++)
	{
		size_t		n = (size_t) (round % 64),
					i,
					want;
		int64_t		key;

		for (i = 0; i < n; i++)
		{
			rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
			v[i] = (int64_t) (rng >> 58) - 16;	/* small values: many repeats */
		}
		qsort(v, n, sizeof(int64_t), cxp_cmp_int64);
		for (i = 1; i < n; i++)
			if (v[i - 1] > v[i])
				bad++;
		for (key = -18; key <= 18; key++)
		{
			for (want = 0; want < n && v[want] < key; want++)
				;
			if (cxp_lower_bound_int64(v, n, key) != want)
				bad++;
		}
	}
	CHECK(bad == 0, "qsort order and lower bound against a linear scan: %d mismatches", bad);
}

/* Fractions, blanks, words and time units. */
static void
test_text(void)
{
	static const struct
	{
		const char *word;
		cxp_time_unit unit;
	}			words[] = {
		{"us", CXP_MICROSECONDS}, {"Microseconds", CXP_MICROSECONDS},
		{"ms", CXP_MILLISECONDS}, {"MILLISECOND", CXP_MILLISECONDS},
		{"s", CXP_SECONDS}, {"sec", CXP_SECONDS}, {"secs", CXP_SECONDS}, {"seconds", CXP_SECONDS},
		{"min", CXP_MINUTES}, {"mins", CXP_MINUTES}, {"minute", CXP_MINUTES},
		{"h", CXP_HOURS}, {"hr", CXP_HOURS}, {"HRS", CXP_HOURS}, {"hours", CXP_HOURS},
		{"d", CXP_DAYS}, {"day", CXP_DAYS}, {"Days", CXP_DAYS},
		{"week", CXP_WEEKS}, {"weeks", CXP_WEEKS},
		{"", CXP_UNIT_NONE}, {"dayss", CXP_UNIT_NONE}, {"day ", CXP_UNIT_NONE},
		{"m", CXP_UNIT_NONE}, {"w", CXP_UNIT_NONE}, {"\xc4", CXP_UNIT_NONE},
		{"business", CXP_UNIT_NONE}, {"mo", CXP_UNIT_NONE},
	};
	size_t		i;
	int			bad = 0;

	CHECK(cxp_fraction_ok(0) && cxp_fraction_ok(1) && cxp_fraction_ok(0.5) &&
		  !cxp_fraction_ok(-1e-300) && !cxp_fraction_ok(1.0000001) &&
		  !cxp_fraction_ok(NAN) && !cxp_fraction_ok(INFINITY), "fractions");
	CHECK(cxp_is_blank(' ') && cxp_is_blank('\t') && cxp_is_blank('\n') && cxp_is_blank('\r') &&
		  cxp_is_blank('\f') && cxp_is_blank('\v') && !cxp_is_blank('\0') && !cxp_is_blank('x') &&
		  !cxp_is_blank((char) 0xa0), "blanks");
	CHECK(strcmp(cxp_skip_blanks(" \t\r\n\f\vx "), "x ") == 0 && *cxp_skip_blanks("   ") == '\0',
		  "skip blanks");
	CHECK(cxp_is_letter('a') && cxp_is_letter('Z') && !cxp_is_letter('0') && !cxp_is_letter('_'),
		  "letters");
	CHECK(cxp_word_is("WiThIn", 6, "within") && !cxp_word_is("with", 4, "within") &&
		  !cxp_word_is("withins", 7, "within") && cxp_word_is("", 0, ""), "words in any case");
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (cxp_time_unit_of(words[i].word, strlen(words[i].word)) != words[i].unit)
		{
			printf("# unit word \"%s\"\n", words[i].word);
			bad++;
		}
	CHECK(bad == 0, "time-unit words");
	CHECK(cxp_time_unit_of("hours", 1) == CXP_HOURS && cxp_time_unit_of("msx", 2) == CXP_MILLISECONDS,
		  "unit words by length, not by NUL");
	CHECK(cxp_unit_usecs(CXP_MICROSECONDS) == 1 && cxp_unit_usecs(CXP_MILLISECONDS) == 1000 &&
		  cxp_unit_usecs(CXP_SECONDS) == 1000000 && cxp_unit_usecs(CXP_MINUTES) == 60000000 &&
		  cxp_unit_usecs(CXP_HOURS) == 3600000000LL && cxp_unit_usecs(CXP_DAYS) == 86400000000LL &&
		  cxp_unit_usecs(CXP_WEEKS) == 604800000000LL && cxp_unit_usecs(CXP_UNIT_NONE) == 0,
		  "microseconds per unit");
	CHECK(strcmp(cxp_unit_name(CXP_HOURS), "hours") == 0 &&
		  strcmp(cxp_unit_name(CXP_UNIT_NONE), "?") == 0, "unit names");
	for (i = CXP_MICROSECONDS, bad = 0; i <= CXP_WEEKS; i++)
	{
		const char *name = cxp_unit_name((cxp_time_unit) i);

		if (cxp_time_unit_of(name, strlen(name)) != (cxp_time_unit) i)
			bad++;
	}
	CHECK(bad == 0, "every unit's name reads back as the unit");
}

/* Run every test. */
int
main(void)
{
	test_civil();
	test_interval();
	test_sorted();
	test_text();
	return unit_done();
}
