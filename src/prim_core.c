/*
 * prim_core.c — the primitives every concern shares: civil dates, sorted
 * int64 arrays and the time-unit vocabulary (see prim_core.h).
 */
#include "prim_core.h"

#include <string.h>

/* a / b rounded towards minus infinity, for b > 0. */
int64_t
cxp_floor_div(int64_t a, int64_t b)
{
	int64_t		q = a / b;

	CX_ASSERT(b > 0);
	if ((a % b != 0) && (a < 0))
		q--;
	return q;
}

/*
 * Day number (0 = 2000-01-01) of a proleptic Gregorian date: Howard
 * Hinnant's days_from_civil, shifted from 1970-01-01 by 10957 days.
 */
int64_t
cxp_days_from_civil(int64_t y, int m, int d)
{
	int64_t		era,
				yoe,
				doy,
				doe;

	CX_ASSERT(m >= 1 && m <= 12);
	y -= (m <= 2);
	era = cxp_floor_div(y, 400);
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468 - 10957;
}

/* Proleptic Gregorian date of a day number (0 = 2000-01-01). */
void
cxp_civil_from_days(int64_t day, int64_t *y, int *m, int *d)
{
	int64_t		z = day + 719468 + 10957;
	int64_t		era = cxp_floor_div(z, 146097);
	int64_t		doe = z - era * 146097;
	int64_t		yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t		doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t		mp = (5 * doy + 2) / 153;
	int			mm = (int) (mp < 10 ? mp + 3 : mp - 9);

	CX_ASSERT(doe >= 0 && doe < 146097 && doy >= 0 && doy < 366);
	*d = (int) (doy - (153 * mp + 2) / 5 + 1);
	*m = mm;
	*y = yoe + era * 400 + (mm <= 2);
}

/* qsort / bsearch comparison of two int64_t. */
int
cxp_cmp_int64(const void *a, const void *b)
{
	int64_t		x = *(const int64_t *) a;
	int64_t		y = *(const int64_t *) b;

	return (x > y) - (x < y);
}

/* Index of the first of the n ascending values v that is >= key (n if none). */
size_t
cxp_lower_bound_int64(const int64_t *v, size_t n, int64_t key)
{
	size_t		lo = 0,
				hi = n;

	while (lo < hi)
	{
		size_t		mid = lo + (hi - lo) / 2;

		if (v[mid] < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	CX_ASSERT(lo == n || v[lo] >= key);
	CX_ASSERT(lo == 0 || v[lo - 1] < key);
	return lo;
}

/* Are the len bytes at w the lower-case word lit, in any mix of cases? */
int
cxp_word_is(const char *w, size_t len, const char *lit)
{
	size_t		i;

	for (i = 0; i < len; i++)
	{
		char		c = w[i];

		if (c >= 'A' && c <= 'Z')
			c = (char) (c - 'A' + 'a');
		if (lit[i] == '\0' || c != lit[i])
			return 0;
	}
	return lit[len] == '\0';
}

/* Every unit word, lower case: full words singular and plural, then abbreviations. */
static const struct
{
	const char *word;
	cxp_time_unit unit;
}			cxp_unit_words[] = {
	{"microsecond", CXP_MICROSECONDS}, {"microseconds", CXP_MICROSECONDS},
	{"us", CXP_MICROSECONDS},
	{"millisecond", CXP_MILLISECONDS}, {"milliseconds", CXP_MILLISECONDS},
	{"ms", CXP_MILLISECONDS},
	{"second", CXP_SECONDS}, {"seconds", CXP_SECONDS},
	{"s", CXP_SECONDS}, {"sec", CXP_SECONDS}, {"secs", CXP_SECONDS},
	{"minute", CXP_MINUTES}, {"minutes", CXP_MINUTES},
	{"min", CXP_MINUTES}, {"mins", CXP_MINUTES},
	{"hour", CXP_HOURS}, {"hours", CXP_HOURS},
	{"h", CXP_HOURS}, {"hr", CXP_HOURS}, {"hrs", CXP_HOURS},
	{"day", CXP_DAYS}, {"days", CXP_DAYS},
	{"d", CXP_DAYS},
	{"week", CXP_WEEKS}, {"weeks", CXP_WEEKS},
};

/* The unit named by the len bytes at w (any case); CXP_UNIT_NONE if none. */
cxp_time_unit
cxp_time_unit_of(const char *w, size_t len)
{
	size_t		i;

	for (i = 0; i < sizeof(cxp_unit_words) / sizeof(cxp_unit_words[0]); i++)
		if (cxp_word_is(w, len, cxp_unit_words[i].word))
			return cxp_unit_words[i].unit;
	return CXP_UNIT_NONE;
}

/* Microseconds of one unit (0 for CXP_UNIT_NONE). */
int64_t
cxp_unit_usecs(cxp_time_unit unit)
{
	switch (unit)
	{
		case CXP_MICROSECONDS:
			return 1;
		case CXP_MILLISECONDS:
			return 1000;
		case CXP_SECONDS:
			return CXP_USECS_PER_SEC;
		case CXP_MINUTES:
			return 60 * CXP_USECS_PER_SEC;
		case CXP_HOURS:
			return 3600 * CXP_USECS_PER_SEC;
		case CXP_DAYS:
			return CXP_USECS_PER_DAY;
		case CXP_WEEKS:
			return 7 * CXP_USECS_PER_DAY;
		case CXP_UNIT_NONE:
			break;
	}
	return 0;
}

/* The plural word of a unit ("seconds"; "?" for CXP_UNIT_NONE). */
const char *
cxp_unit_name(cxp_time_unit unit)
{
	switch (unit)
	{
		case CXP_MICROSECONDS:
			return "microseconds";
		case CXP_MILLISECONDS:
			return "milliseconds";
		case CXP_SECONDS:
			return "seconds";
		case CXP_MINUTES:
			return "minutes";
		case CXP_HOURS:
			return "hours";
		case CXP_DAYS:
			return "days";
		case CXP_WEEKS:
			return "weeks";
		case CXP_UNIT_NONE:
			break;
	}
	return "?";
}
