/*
 * test_calendar.c — unit tests of calendar_core.c: civil dates, the US
 * federal holidays 2017-2030 against a hand-checked list (OPM's published
 * schedules), and business-day counting and adding against a day-by-day
 * count on random calendars.
 */
#include "calendar_core.h"
#include "unit.h"

#include <stdlib.h>
#include <string.h>

/* Observed federal holidays by legal year, checked by hand against the OPM lists. */
static const char *const expected_holidays[] = {
	"2017: 2017-01-02 2017-01-16 2017-02-20 2017-05-29 2017-07-04 2017-09-04 2017-10-09 2017-11-10 2017-11-23 2017-12-25",
	"2018: 2018-01-01 2018-01-15 2018-02-19 2018-05-28 2018-07-04 2018-09-03 2018-10-08 2018-11-12 2018-11-22 2018-12-25",
	"2019: 2019-01-01 2019-01-21 2019-02-18 2019-05-27 2019-07-04 2019-09-02 2019-10-14 2019-11-11 2019-11-28 2019-12-25",
	"2020: 2020-01-01 2020-01-20 2020-02-17 2020-05-25 2020-07-03 2020-09-07 2020-10-12 2020-11-11 2020-11-26 2020-12-25",
	"2021: 2021-01-01 2021-01-18 2021-02-15 2021-05-31 2021-06-18 2021-07-05 2021-09-06 2021-10-11 2021-11-11 2021-11-25 2021-12-24",
	"2022: 2021-12-31 2022-01-17 2022-02-21 2022-05-30 2022-06-20 2022-07-04 2022-09-05 2022-10-10 2022-11-11 2022-11-24 2022-12-26",
	"2023: 2023-01-02 2023-01-16 2023-02-20 2023-05-29 2023-06-19 2023-07-04 2023-09-04 2023-10-09 2023-11-10 2023-11-23 2023-12-25",
	"2024: 2024-01-01 2024-01-15 2024-02-19 2024-05-27 2024-06-19 2024-07-04 2024-09-02 2024-10-14 2024-11-11 2024-11-28 2024-12-25",
	"2025: 2025-01-01 2025-01-20 2025-02-17 2025-05-26 2025-06-19 2025-07-04 2025-09-01 2025-10-13 2025-11-11 2025-11-27 2025-12-25",
	"2026: 2026-01-01 2026-01-19 2026-02-16 2026-05-25 2026-06-19 2026-07-03 2026-09-07 2026-10-12 2026-11-11 2026-11-26 2026-12-25",
	"2027: 2027-01-01 2027-01-18 2027-02-15 2027-05-31 2027-06-18 2027-07-05 2027-09-06 2027-10-11 2027-11-11 2027-11-25 2027-12-24",
	"2028: 2027-12-31 2028-01-17 2028-02-21 2028-05-29 2028-06-19 2028-07-04 2028-09-04 2028-10-09 2028-11-10 2028-11-23 2028-12-25",
	"2029: 2029-01-01 2029-01-15 2029-02-19 2029-05-28 2029-06-19 2029-07-04 2029-09-03 2029-10-08 2029-11-12 2029-11-22 2029-12-25",
	"2030: 2030-01-01 2030-01-21 2030-02-18 2030-05-27 2030-06-19 2030-07-04 2030-09-02 2030-10-14 2030-11-11 2030-11-28 2030-12-25",
};

/* Format a day number as YYYY-MM-DD. */
static void
fmt_day(int64_t day, char *buf)
{
	int64_t		y;
	int			m,
				d;

	cxp_civil_from_days(day, &y, &m, &d);
	sprintf(buf, "%04lld-%02d-%02d", (long long) y, m, d);
}

/* malloc-backed allocator for the calendar. */
static void *
t_alloc(void *ctx, size_t size)
{
	(void) ctx;
	return malloc(size ? size : 1);
}

/* free for the calendar. */
static void
t_release(void *ctx, void *p)
{
	(void) ctx;
	free(p);
}

/* Simple deterministic random numbers. */
static uint64_t rng_state = 88172645463325252ULL;

/* Next random number. */
static uint64_t
rnd(void)
{
	return unit_xorshift(&rng_state);
}

/* Reference: is day closed (weekend, federal, user) by direct rules? */
static int
ref_closed(const CxcalCalendar *cal, int64_t day)
{
	size_t		i;

	if ((cal->weekend_mask >> (cxcal_iso_dow(day) - 1)) & 1u)
		return 1;
	for (i = 0; i < cal->n_user; i++)
		if (cal->user_days[i] == day)
			return 1;
	if (cal->federal)
	{
		int64_t		y;
		int			m,
					d,
					k,
					n;
		CxcalHoliday h[CXCAL_N_FEDERAL];

		cxp_civil_from_days(day, &y, &m, &d);
		/* the legal date is in y, or in y + 1 (New Year's Day observed Dec 31) */
		n = cxcal_us_federal_holidays(y, h);
		for (k = 0; k < n; k++)
			if (h[k].day == day)
				return 1;
		n = cxcal_us_federal_holidays(y + 1, h);
		for (k = 0; k < n; k++)
			if (h[k].day == day)
				return 1;
	}
	return 0;
}

/* Reference count of business days in [from, to), negative if to < from. */
static int64_t
ref_count(const CxcalCalendar *cal, int64_t from, int64_t to)
{
	int64_t		n = 0,
				d;

	if (to < from)
		return -ref_count(cal, to, from);
	for (d = from; d < to; d++)
		n += !ref_closed(cal, d);
	return n;
}

/* Reference: n business days after (before) business day start, day by day. */
static int64_t
ref_add(const CxcalCalendar *cal, int64_t start, int64_t n)
{
	int64_t		d = start;

	while (n > 0)
	{
		d++;
		if (!ref_closed(cal, d))
			n--;
	}
	while (n < 0)
	{
		d--;
		if (!ref_closed(cal, d))
			n++;
	}
	return d;
}

/* Civil date conversions round-trip and match known weekdays. */
static void
test_civil(void)
{
	int64_t		day,
				y;
	int			m,
				d,
				ok = 1;

	CHECK(cxp_days_from_civil(2000, 1, 1) == 0, "2000-01-01 is day 0");
	CHECK(cxp_days_from_civil(1970, 1, 1) == -10957, "1970-01-01 is day -10957");
	CHECK(cxcal_iso_dow(0) == 6, "2000-01-01 was a Saturday");
	CHECK(cxcal_iso_dow(cxp_days_from_civil(2026, 11, 22)) == 7, "2026-11-22 is a Sunday");
	CHECK(cxcal_iso_dow(cxp_days_from_civil(1776, 7, 4)) == 4, "1776-07-04 was a Thursday");
	CHECK(cxp_days_from_civil(2024, 3, 1) - cxp_days_from_civil(2024, 2, 28) == 2, "2024 is a leap year");
	CHECK(cxp_days_from_civil(2100, 3, 1) - cxp_days_from_civil(2100, 2, 28) == 1, "2100 is not a leap year");
	for (day = -2500000; day < 110000000; day += 997)
	{
		cxp_civil_from_days(day, &y, &m, &d);
		if (cxp_days_from_civil(y, m, d) != day || m < 1 || m > 12 || d < 1 || d > 31)
			ok = 0;
	}
	CHECK(ok, "civil date round trip over -4800..300000");
	CHECK(cxcal_nth_weekday(2026, 5, 1, -1) == cxp_days_from_civil(2026, 5, 25), "last Monday of May 2026");
	CHECK(cxcal_nth_weekday(2026, 11, 4, 4) == cxp_days_from_civil(2026, 11, 26), "4th Thursday of Nov 2026");
}

/* Federal holidays 2017-2030 equal the hand-checked list. */
static void
test_federal_list(void)
{
	size_t		i;

	for (i = 0; i < sizeof(expected_holidays) / sizeof(expected_holidays[0]); i++)
	{
		CxcalHoliday h[CXCAL_N_FEDERAL];
		char		got[CXCAL_N_FEDERAL * 11 + 8];
		char		buf[16];
		int			year = atoi(expected_holidays[i]);
		int			n = cxcal_us_federal_holidays(year, h),
					k;

		sprintf(got, "%d:", year);
		for (k = 0; k < n; k++)
		{
			fmt_day(h[k].day, buf);
			strcat(got, " ");
			strcat(got, buf);
		}
		CHECK(strcmp(got, expected_holidays[i]) == 0, "federal holidays %d (got %s)", year, got);
	}
	{
		CxcalHoliday h[CXCAL_N_FEDERAL];

		CHECK(cxcal_us_federal_holidays(2020, h) == 10, "no Juneteenth before 2021");
		CHECK(cxcal_us_federal_holidays(2021, h) == 11, "Juneteenth from 2021");
		CHECK(strcmp(cxcal_federal_name(h[4].which), "Juneteenth National Independence Day") == 0, "Juneteenth name");
	}
}

/* Observed days are weekdays and within a day of the legal date, for many years. */
static void
test_federal_rules(void)
{
	int64_t		y;
	int			ok = 1;

	for (y = 1; y <= 3000; y++)
	{
		CxcalHoliday h[CXCAL_N_FEDERAL];
		int			n = cxcal_us_federal_holidays(y, h),
					k;

		for (k = 0; k < n; k++)
		{
			int			dow = cxcal_iso_dow(h[k].day);
			int			adow = cxcal_iso_dow(h[k].actual);

			if (dow > 5)
				ok = 0;
			if (adow == 6 && h[k].day != h[k].actual - 1)
				ok = 0;
			if (adow == 7 && h[k].day != h[k].actual + 1)
				ok = 0;
			if (adow <= 5 && h[k].day != h[k].actual)
				ok = 0;
			if (k > 0 && h[k].day <= h[k - 1].day)
				ok = 0;
		}
	}
	CHECK(ok, "observed rule (Sat -> Fri, Sun -> Mon) for years 1..3000");
}

/* Counting and adding business days agree with a day-by-day reference. */
static void
test_random_calendars(void)
{
	int			round,
				bad_count = 0,
				bad_add = 0,
				bad_next = 0;

	for (round = 0; round < 60; round++)
	{
		int64_t		user[40];
		CxcalCalendar cal;
		int			nuser = (int) (rnd() % 40),
					i,
					q;
		int64_t		base = cxp_days_from_civil(2015 + (int) (rnd() % 20), 1, 1);

		memset(&cal, 0, sizeof(cal));
		cal.weekend_mask = (unsigned) (rnd() % 127);	/* never all seven days */
		if (round == 0)
			cal.weekend_mask = 0x60;	/* Saturday and Sunday */
		cal.federal = (int) (rnd() % 2);
		for (i = 0; i < nuser; i++)
			user[i] = base + (int64_t) (rnd() % 2000);
		/* sort and deduplicate */
		for (i = 1; i < nuser; i++)
		{
			int64_t		v = user[i];
			int			j = i - 1;

			while (j >= 0 && user[j] > v)
			{
				user[j + 1] = user[j];
				j--;
			}
			user[j + 1] = v;
		}
		{
			int			out = 0;

			for (i = 0; i < nuser; i++)
				if (out == 0 || user[out - 1] != user[i])
					user[out++] = user[i];
			nuser = out;
		}
		cal.user_days = user;
		cal.n_user = (size_t) nuser;
		cal.alloc = t_alloc;
		cal.release = t_release;

		for (q = 0; q < 50; q++)
		{
			int64_t		a = base + (int64_t) (rnd() % 2200) - 100;
			int64_t		b = base + (int64_t) (rnd() % 2200) - 100;
			int64_t		got,
						first;
			int64_t		n = (int64_t) (rnd() % 120) - 40;

			if (cxcal_count(&cal, a, b, &got) != CXCAL_OK || got != ref_count(&cal, a, b))
				bad_count++;
			if (cxcal_next_business_day(&cal, a, &first) != CXCAL_OK ||
				ref_closed(&cal, first) || ref_count(&cal, a, first) != 0)
				bad_next++;
			else if (cxcal_add(&cal, first, n, &got) != CXCAL_OK || got != ref_add(&cal, first, n))
				bad_add++;
		}
		cxcal_free(&cal);
	}
	CHECK(bad_count == 0, "count matches day-by-day reference (%d mismatches)", bad_count);
	CHECK(bad_next == 0, "next business day matches reference (%d mismatches)", bad_next);
	CHECK(bad_add == 0, "add matches day-by-day reference (%d mismatches)", bad_add);
}

/* Known federal business-day facts and range errors. */
static void
test_known_cases(void)
{
	CxcalCalendar cal;
	int64_t		got;
	int			ok;

	memset(&cal, 0, sizeof(cal));
	cal.weekend_mask = 0x60;
	cal.federal = 1;
	cal.alloc = t_alloc;
	cal.release = t_release;

	/* 2026: Jan 1 holiday, Jan 19 MLK; January has 22 weekdays, 20 business days */
	CHECK(cxcal_count(&cal, cxp_days_from_civil(2026, 1, 1), cxp_days_from_civil(2026, 2, 1), &got) == CXCAL_OK && got == 20,
		  "20 business days in January 2026");
	/* 2026 has 261 weekdays and 11 holidays on weekdays: 250 business days */
	CHECK(cxcal_count(&cal, cxp_days_from_civil(2026, 1, 1), cxp_days_from_civil(2027, 1, 1), &got) == CXCAL_OK && got == 250,
		  "250 business days in 2026");
	/* Friday 2026-07-02 + 1 business day skips the observed Independence Day (Fri Jul 3) */
	CHECK(cxcal_add(&cal, cxp_days_from_civil(2026, 7, 2), 1, &got) == CXCAL_OK && got == cxp_days_from_civil(2026, 7, 6),
		  "Thu 2026-07-02 + 1 = Mon 2026-07-06");
	CHECK(cxcal_add(&cal, cxp_days_from_civil(2026, 7, 6), -1, &got) == CXCAL_OK && got == cxp_days_from_civil(2026, 7, 2),
		  "Mon 2026-07-06 - 1 = Thu 2026-07-02");
	CHECK(cxcal_is_business_day(&cal, cxp_days_from_civil(2021, 12, 31), &ok) == CXCAL_OK && !ok,
		  "2021-12-31 closed (New Year's Day 2022 observed)");
	CHECK(cxcal_add(&cal, cxp_days_from_civil(2026, 1, 2), 13000, &got) == CXCAL_OK, "13000 business days ahead");
	CHECK(cxcal_count(&cal, cxp_days_from_civil(2026, 1, 1), cxp_days_from_civil(300001, 1, 1), &got) == CXCAL_OUT_OF_RANGE,
		  "beyond year 300000 is out of range");
	CHECK(cxcal_add(&cal, 0, INT64_C(9000000000000), &got) == CXCAL_OUT_OF_RANGE, "huge n is out of range");
	cxcal_free(&cal);

	/* a long run of closures: every day of 2026 from March to October */
	{
		int64_t    *run = malloc(300 * sizeof(int64_t));
		int			i;
		int64_t		want;

		for (i = 0; i < 300; i++)
			run[i] = cxp_days_from_civil(2026, 3, 1) + i;
		cal.user_days = run;
		cal.n_user = 250;
		cxcal_free(&cal);
		want = ref_add(&cal, cxp_days_from_civil(2026, 2, 27), 5);
		CHECK(cxcal_add(&cal, cxp_days_from_civil(2026, 2, 27), 5, &got) == CXCAL_OK && got == want,
			  "add over 250 straight closures");
		want = ref_add(&cal, want, -5);
		CHECK(cxcal_add(&cal, got, -5, &got) == CXCAL_OK && got == want && got == cxp_days_from_civil(2026, 2, 27),
			  "subtract over 250 straight closures");
		cxcal_free(&cal);
		cal.user_days = NULL;
		cal.n_user = 0;
		free(run);
	}

	cal.weekend_mask = 0x7F;
	CHECK(cxcal_count(&cal, 0, 10, &got) == CXCAL_NO_WORKDAYS, "all-weekend calendar refused");
	cxcal_free(&cal);
}

/*
 * A long-lived calendar whose closure list grows by misses far apart, in
 * both directions, answers like a fresh calendar for every day (the list
 * is extended, not rebuilt, so every segment must join exactly).
 */
static void
test_cache_growth(void)
{
	CxcalCalendar warm,
				cold;
	int64_t		user[6];
	int			i,
				bad = 0,
				badcount = 0;
	int64_t		ylo = INT64_MAX,
				yhi = INT64_MIN;

	user[0] = cxp_days_from_civil(1899, 12, 29);
	user[1] = cxp_days_from_civil(1999, 12, 31);
	user[2] = cxp_days_from_civil(2000, 1, 3);
	user[3] = cxp_days_from_civil(2026, 1, 5);
	user[4] = cxp_days_from_civil(2070, 6, 1);
	user[5] = cxp_days_from_civil(9999, 12, 31);
	memset(&warm, 0, sizeof(warm));
	warm.weekend_mask = 0x60;
	warm.federal = 1;
	warm.user_days = user;
	warm.n_user = 6;
	warm.alloc = t_alloc;
	warm.release = t_release;
	for (i = 0; i < 4000; i++)
	{
		/* days a year apart, alternately later and earlier, plus random ones */
		int64_t		day = (i % 2 ? 1 : -1) * (int64_t) (i / 2) * 365 +
			(i % 7 == 0 ? (int64_t) (rnd() % 3000000) - 1500000 : 0);
		int			a = -1,
					b = -1;
		int64_t		na = -1,
					nb = -1,
					y;
		int			m,
					d;
		cxcal_status sa,
					sb;

		cxp_civil_from_days(day, &y, &m, &d);
		if (y < ylo)
			ylo = y;
		if (y > yhi)
			yhi = y;
		cold = warm;
		cold.closed = NULL;
		cold.n_closed = 0;
		cold.covered = 0;
		sa = cxcal_is_business_day(&warm, day, &a);
		sb = cxcal_is_business_day(&cold, day, &b);
		if (sa != sb || sa != CXCAL_OK || a != b)
			bad++;
		sa = cxcal_count(&warm, day - 400, day + 400, &na);
		sb = cxcal_count(&cold, day - 400, day + 400, &nb);
		if (sa != sb || sa != CXCAL_OK || na != nb)
			badcount++;
		cxcal_free(&cold);
	}
	CHECK(bad == 0, "a growing closure list answers like a fresh one (%d mismatches)", bad);
	CHECK(badcount == 0, "counts over a growing closure list match a fresh one (%d mismatches)", badcount);
	CHECK(warm.year_hi - warm.year_lo <= (yhi - ylo) * 3 / 2 + 100,
		  "the list covers at most about 1.5 times the years asked for (%lld of %lld)",
		  (long long) (warm.year_hi - warm.year_lo), (long long) (yhi - ylo));
	cxcal_free(&warm);
}

int
main(void)
{
	test_civil();
	test_federal_list();
	test_federal_rules();
	test_random_calendars();
	test_known_cases();
	test_cache_growth();
	return unit_done();
}
