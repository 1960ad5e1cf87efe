/*
 * calendar_core.c — the US federal holiday rules of 5 U.S.C. 6103 and
 * business-day counting, without PostgreSQL headers (day numbers and civil
 * dates are prim_core.c's).
 */
#include "calendar_core.h"

#include <stdlib.h>
#include <string.h>

#define CXCAL_ALL_DAYS	0x7Fu
/* cxcal_add_fast met closures for too many rounds: bisect instead */
#define CAL_GAVE_UP		((cxcal_status) -1)

/* ISO day of week of a day number: 1 = Monday .. 7 = Sunday. */
int
cxcal_iso_dow(int64_t day)
{
	int64_t		r = day % 7;

	if (r < 0)
		r += 7;
	/* day 0, 2000-01-01, was a Saturday */
	return (int) ((r + 5) % 7) + 1;
}

/* The n-th (n >= 1) or last (n = -1) given ISO weekday of a month. */
int64_t
cxcal_nth_weekday(int64_t year, int month, int iso_dow, int n)
{
	if (n > 0)
	{
		int64_t		first = cxp_days_from_civil(year, month, 1);

		return first + (iso_dow - cxcal_iso_dow(first) + 7) % 7 + 7 * (n - 1);
	}
	else
	{
		int64_t		last = (month == 12 ? cxp_days_from_civil(year + 1, 1, 1)
							: cxp_days_from_civil(year, month + 1, 1)) - 1;

		return last - (cxcal_iso_dow(last) - iso_dow + 7) % 7;
	}
}

/* Name of a federal holiday as in 5 U.S.C. 6103(a). */
const char *
cxcal_federal_name(int which)
{
	static const char *const names[CXCAL_N_FEDERAL] = {
		"New Year's Day",
		"Birthday of Martin Luther King, Jr.",
		"Washington's Birthday",
		"Memorial Day",
		"Juneteenth National Independence Day",
		"Independence Day",
		"Labor Day",
		"Columbus Day",
		"Veterans Day",
		"Thanksgiving Day",
		"Christmas Day",
	};

	if (which < 0 || which >= CXCAL_N_FEDERAL)
		return "?";
	return names[which];
}

/* The US federal holidays whose legal date falls in year (see header). */
int
cxcal_us_federal_holidays(int64_t year, CxcalHoliday *out)
{
	int64_t		actual[CXCAL_N_FEDERAL];
	int			n = 0,
				i;

	actual[CXCAL_NEW_YEARS] = cxp_days_from_civil(year, 1, 1);
	actual[CXCAL_MLK] = cxcal_nth_weekday(year, 1, 1, 3);
	actual[CXCAL_WASHINGTON] = cxcal_nth_weekday(year, 2, 1, 3);
	actual[CXCAL_MEMORIAL] = cxcal_nth_weekday(year, 5, 1, -1);
	actual[CXCAL_JUNETEENTH] = cxp_days_from_civil(year, 6, 19);
	actual[CXCAL_INDEPENDENCE] = cxp_days_from_civil(year, 7, 4);
	actual[CXCAL_LABOR] = cxcal_nth_weekday(year, 9, 1, 1);
	actual[CXCAL_COLUMBUS] = cxcal_nth_weekday(year, 10, 1, 2);
	actual[CXCAL_VETERANS] = cxp_days_from_civil(year, 11, 11);
	actual[CXCAL_THANKSGIVING] = cxcal_nth_weekday(year, 11, 4, 4);
	actual[CXCAL_CHRISTMAS] = cxp_days_from_civil(year, 12, 25);

	for (i = 0; i < CXCAL_N_FEDERAL; i++)
	{
		int			dow;

		/* Juneteenth became a legal public holiday in 2021 (Pub. L. 117-17) */
		if (i == CXCAL_JUNETEENTH && year < 2021)
			continue;
		dow = cxcal_iso_dow(actual[i]);
		out[n].actual = actual[i];
		out[n].day = actual[i] + (dow == 6 ? -1 : dow == 7 ? 1 : 0);
		out[n].which = i;
		n++;
	}
	return n;
}

/* First and last day numbers of the supported years. */
static int64_t
cxcal_day_min(void)
{
	return cxp_days_from_civil(CXCAL_YEAR_MIN, 1, 1);
}

/* Last supported day number. */
static int64_t
cxcal_day_max(void)
{
	return cxp_days_from_civil(CXCAL_YEAR_MAX + 1, 1, 1) - 1;
}

/* Is the day a weekend day of cal? */
static int
cxcal_is_weekend(const CxcalCalendar *cal, int64_t day)
{
	return (cal->weekend_mask >> (cxcal_iso_dow(day) - 1)) & 1u;
}

/* Index of the first closure >= day, for a day the closure list covers. */
static size_t
cxcal_lower_bound(const CxcalCalendar *cal, int64_t day)
{
	CX_ASSERT(cal->covered && day >= cal->cover_lo && day <= cal->cover_hi);
	return cxp_lower_bound_int64(cal->closed, cal->n_closed, day);
}

/*
 * The closures on working days of the years lo..hi, sorted and unique, in
 * a new array of *n days.  The cost is proportional to the years and to the
 * user closures in them.
 */
static cxcal_status
cxcal_collect(CxcalCalendar *cal, int64_t lo, int64_t hi, int64_t **out, size_t *n)
{
	int64_t		first = cxp_days_from_civil(lo, 1, 1);
	int64_t		end = cxp_days_from_civil(hi + 1, 1, 1);
	size_t		ufirst = cxp_lower_bound_int64(cal->user_days, cal->n_user, first),
				uend = cxp_lower_bound_int64(cal->user_days, cal->n_user, end);
	size_t		cap = (size_t) (hi - lo + 2) * CXCAL_N_FEDERAL + (uend - ufirst) + 1;
	int64_t    *days;
	size_t		k = 0,
				i,
				o;
	int64_t		y;

	days = cal->alloc(cal->alloc_ctx, cap * sizeof(int64_t));
	if (days == NULL)
		return CXCAL_NO_MEMORY;
	if (cal->federal)
	{
		/* the year after hi may be observed on December 31 of hi */
		for (y = lo; y <= hi + 1; y++)
		{
			CxcalHoliday h[CXCAL_N_FEDERAL];
			int			j,
						m = cxcal_us_federal_holidays(y, h);

			for (j = 0; j < m; j++)
				if (h[j].day >= first && h[j].day < end && !cxcal_is_weekend(cal, h[j].day))
					days[k++] = h[j].day;
		}
	}
	for (i = ufirst; i < uend; i++)
		if (!cxcal_is_weekend(cal, cal->user_days[i]))
			days[k++] = cal->user_days[i];
	CX_ASSERT(k <= cap);
	qsort(days, k, sizeof(int64_t), cxp_cmp_int64);
	for (i = 0, o = 0; i < k; i++)
		if (o == 0 || days[o - 1] != days[i])
			days[o++] = days[i];
	*out = days;
	*n = o;
	return CXCAL_OK;
}

/*
 * Extend the closure list to the years lo..hi (a superset of what it
 * covers): only the new years are computed, and joined to the list.
 */
static cxcal_status
cxcal_extend(CxcalCalendar *cal, int64_t lo, int64_t hi)
{
	int64_t    *before = NULL,
			   *after = NULL,
			   *days;
	size_t		nb = 0,
				na = 0;
	cxcal_status st;

	if (!cal->covered)
	{
		st = cxcal_collect(cal, lo, hi, &days, &nb);
		if (st != CXCAL_OK)
			return st;
		cal->closed = days;
		cal->n_closed = nb;
	}
	else
	{
		if (lo < cal->year_lo &&
			(st = cxcal_collect(cal, lo, cal->year_lo - 1, &before, &nb)) != CXCAL_OK)
			return st;
		if (hi > cal->year_hi &&
			(st = cxcal_collect(cal, cal->year_hi + 1, hi, &after, &na)) != CXCAL_OK)
		{
			if (before && cal->release)
				cal->release(cal->alloc_ctx, before);
			return st;
		}
		days = cal->alloc(cal->alloc_ctx, (nb + cal->n_closed + na + 1) * sizeof(int64_t));
		if (days == NULL)
			return CXCAL_NO_MEMORY;
		/* the segments are disjoint ranges of days, in order */
		if (nb > 0)
			memcpy(days, before, nb * sizeof(int64_t));
		if (cal->n_closed > 0)
			memcpy(days + nb, cal->closed, cal->n_closed * sizeof(int64_t));
		if (na > 0)
			memcpy(days + nb + cal->n_closed, after, na * sizeof(int64_t));
		if (cal->release)
		{
			if (before)
				cal->release(cal->alloc_ctx, before);
			if (after)
				cal->release(cal->alloc_ctx, after);
			if (cal->closed)
				cal->release(cal->alloc_ctx, cal->closed);
		}
		cal->closed = days;
		cal->n_closed = nb + cal->n_closed + na;
	}
	cal->covered = 1;
	cal->year_lo = lo;
	cal->year_hi = hi;
	cal->cover_lo = cxp_days_from_civil(lo, 1, 1);
	cal->cover_hi = cxp_days_from_civil(hi + 1, 1, 1);
	return CXCAL_OK;
}

/*
 * Make sure the closure list covers day.  A first call covers 30 years on
 * either side; a later miss extends the side it falls on past the day by
 * at least 10 years and by half the years already covered, so that a scan
 * over many years misses a logarithmic number of times and every year is
 * computed once.
 */
static cxcal_status
cxcal_cover(CxcalCalendar *cal, int64_t day)
{
	int64_t		y,
				lo,
				hi,
				grow;
	int			m,
				d;

	if ((cal->weekend_mask & CXCAL_ALL_DAYS) == CXCAL_ALL_DAYS)
		return CXCAL_NO_WORKDAYS;
	if (cal->covered && day >= cal->cover_lo && day < cal->cover_hi)
		return CXCAL_OK;
	if (day < cxcal_day_min() || day > cxcal_day_max())
		return CXCAL_OUT_OF_RANGE;
	cxp_civil_from_days(day, &y, &m, &d);
	if (cal->covered)
	{
		grow = (cal->year_hi - cal->year_lo + 1) / 2;
		lo = cal->year_lo;
		hi = cal->year_hi;
		if (day < cal->cover_lo)
			lo = (y - 10 < lo - grow ? y - 10 : lo - grow);
		else
			hi = (y + 10 > hi + grow ? y + 10 : hi + grow);
	}
	else
	{
		lo = y - 30;
		hi = y + 30;
	}
	if (lo < CXCAL_YEAR_MIN)
		lo = CXCAL_YEAR_MIN;
	if (hi > CXCAL_YEAR_MAX)
		hi = CXCAL_YEAR_MAX;
	return cxcal_extend(cal, lo, hi);
}

/* Release the closure list built by the calendar functions. */
void
cxcal_free(CxcalCalendar *cal)
{
	if (cal->closed && cal->release)
		cal->release(cal->alloc_ctx, cal->closed);
	cal->closed = NULL;
	cal->n_closed = 0;
	cal->covered = 0;
}

/* Workdays (ignoring closures) before day, counted from a fixed Monday. */
static int64_t
cxcal_workdays_before(const CxcalCalendar *cal, int64_t day)
{
	/* day 2 (2000-01-03) was a Monday */
	int64_t		m = day - 2;
	int64_t		weeks = cxp_floor_div(m, 7);
	int			r = (int) (m - weeks * 7);
	int			per_week = 0,
				partial = 0,
				i;

	for (i = 0; i < 7; i++)
	{
		int			work = !((cal->weekend_mask >> i) & 1u);

		per_week += work;
		if (i < r)
			partial += work;
	}
	return weeks * per_week + partial;
}

/* Is day a business day of cal? */
cxcal_status
cxcal_is_business_day(CxcalCalendar *cal, int64_t day, int *result)
{
	cxcal_status st = cxcal_cover(cal, day);
	size_t		i;

	if (st != CXCAL_OK)
		return st;
	if (cxcal_is_weekend(cal, day))
	{
		*result = 0;
		return CXCAL_OK;
	}
	i = cxcal_lower_bound(cal, day);
	*result = !(i < cal->n_closed && cal->closed[i] == day);
	return CXCAL_OK;
}

/* First business day on or after day. */
cxcal_status
cxcal_next_business_day(CxcalCalendar *cal, int64_t day, int64_t *result)
{
	for (;;)
	{
		int			ok;
		cxcal_status st = cxcal_is_business_day(cal, day, &ok);

		if (st != CXCAL_OK)
			return st;
		if (ok)
		{
			*result = day;
			return CXCAL_OK;
		}
		day++;
	}
}

/* Number of business days d with from <= d < to (negative if to < from). */
cxcal_status
cxcal_count(CxcalCalendar *cal, int64_t from, int64_t to, int64_t *result)
{
	cxcal_status st;

	if ((st = cxcal_cover(cal, from)) != CXCAL_OK)
		return st;
	if ((st = cxcal_cover(cal, to)) != CXCAL_OK)
		return st;
	/* both ends are covered now (covering to never uncovers from) */
	*result = (cxcal_workdays_before(cal, to) - (int64_t) cxcal_lower_bound(cal, to))
		- (cxcal_workdays_before(cal, from) - (int64_t) cxcal_lower_bound(cal, from));
	return CXCAL_OK;
}

/* Does day lie past the n-th business day counted from start (see cxcal_add)? */
static cxcal_status
cxcal_past(CxcalCalendar *cal, int64_t start, int64_t day, int64_t n, int *result)
{
	int64_t		c;
	cxcal_status st = cxcal_count(cal, start, day + 1, &c);

	*result = (st == CXCAL_OK && c > n);
	return st;
}

/* The workday (ignoring closures) whose cxcal_workdays_before is c. */
static int64_t
cxcal_workday_at(const CxcalCalendar *cal, int64_t c)
{
	int			offs[7];
	int			per_week = 0,
				i;
	int64_t		weeks;
	int64_t		r;

	for (i = 0; i < 7; i++)
		if (!((cal->weekend_mask >> i) & 1u))
			offs[per_week++] = i;
	weeks = cxp_floor_div(c, per_week);
	r = c - weeks * per_week;
	return 2 + weeks * 7 + offs[r];
}

/*
 * cxcal_add for a start that is a business day: jump over the workdays by
 * arithmetic, then by the closures met on the way, until no new closure is
 * met (the least fixed point is a business day).
 */
static cxcal_status
cxcal_add_fast(CxcalCalendar *cal, int64_t start, int64_t n, int64_t *result)
{
	int64_t		h = 0,
				d,
				wstart = cxcal_workdays_before(cal, start);
	cxcal_status st;
	int			iter;

	for (iter = 0; iter < 64; iter++)
	{
		int64_t		h2;

		d = cxcal_workday_at(cal, wstart + (n >= 0 ? n + h : n - h));
		if (d < cxcal_day_min() || d > cxcal_day_max())
			return CXCAL_OUT_OF_RANGE;
		if ((st = cxcal_cover(cal, start)) != CXCAL_OK || (st = cxcal_cover(cal, d)) != CXCAL_OK)
			return st;
		/* closures strictly between start and d, on d's side */
		if (n >= 0)
			h2 = (int64_t) cxcal_lower_bound(cal, d + 1) - (int64_t) cxcal_lower_bound(cal, start + 1);
		else
			h2 = (int64_t) cxcal_lower_bound(cal, start) - (int64_t) cxcal_lower_bound(cal, d);
		if (h2 == h)
		{
			*result = d;
			return CXCAL_OK;
		}
		h = h2;
	}
	return CAL_GAVE_UP;
}

/* The business day n business days after (n < 0: before) business day start. */
cxcal_status
cxcal_add(CxcalCalendar *cal, int64_t start, int64_t n, int64_t *result)
{
	int64_t		lo,
				hi,
				step;
	int			past;
	cxcal_status st;

	if (start < cxcal_day_min() || start > cxcal_day_max())
		return CXCAL_OUT_OF_RANGE;
	if (n > cxcal_day_max() - cxcal_day_min() || -n > cxcal_day_max() - cxcal_day_min())
		return CXCAL_OUT_OF_RANGE;
	if ((st = cxcal_is_business_day(cal, start, &past)) != CXCAL_OK)
		return st;
	if (past)
	{
		/* the usual case; fall back to bisection if closures keep coming */
		st = cxcal_add_fast(cal, start, n, result);
		if (st != CAL_GAVE_UP)
			return st;
	}

	/* find lo (not past) and hi (past) by galloping, then bisect */
	if (n >= 0)
	{
		lo = start - 1;
		step = n + 1;
		for (;;)
		{
			hi = start - 1 + step;
			if (hi > cxcal_day_max())
				return CXCAL_OUT_OF_RANGE;
			if ((st = cxcal_past(cal, start, hi, n, &past)) != CXCAL_OK)
				return st;
			if (past)
				break;
			lo = hi;
			step *= 2;
		}
	}
	else
	{
		hi = start - 1;
		step = -n;
		for (;;)
		{
			lo = start - 1 - step;
			if (lo < cxcal_day_min())
				return CXCAL_OUT_OF_RANGE;
			if ((st = cxcal_past(cal, start, lo, n, &past)) != CXCAL_OK)
				return st;
			if (!past)
				break;
			hi = lo;
			step *= 2;
		}
	}
	while (hi - lo > 1)
	{
		int64_t		mid = lo + (hi - lo) / 2;

		if ((st = cxcal_past(cal, start, mid, n, &past)) != CXCAL_OK)
			return st;
		if (past)
			hi = mid;
		else
			lo = mid;
	}
	*result = hi;
	return CXCAL_OK;
}
