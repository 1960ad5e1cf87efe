/*
 * calendar_core.h — business-calendar arithmetic without PostgreSQL headers
 * (unit tested on its own).
 *
 * Days are numbered like PostgreSQL's date type: day 0 is 2000-01-01
 * (cxp_days_from_civil and cxp_civil_from_days of prim_core.h convert).  A
 * calendar has weekend days (ISO day of week 1 = Monday .. 7 = Sunday),
 * optionally the US federal holidays of 5 U.S.C. 6103, and the user's own
 * closures.  A business day is a day that is neither a weekend day nor a
 * closure.
 */
#ifndef CX_CALENDAR_CORE_H
#define CX_CALENDAR_CORE_H

#include <stddef.h>
#include <stdint.h>

#include "prim_core.h"

/* Years for which calendar arithmetic is defined (covers the timestamp range). */
#define CXCAL_YEAR_MIN	(-4800)
#define CXCAL_YEAR_MAX	300000

/* Federal holidays of 5 U.S.C. 6103(a), in calendar order. */
typedef enum cxcal_federal
{
	CXCAL_NEW_YEARS = 0,
	CXCAL_MLK,
	CXCAL_WASHINGTON,
	CXCAL_MEMORIAL,
	CXCAL_JUNETEENTH,
	CXCAL_INDEPENDENCE,
	CXCAL_LABOR,
	CXCAL_COLUMBUS,
	CXCAL_VETERANS,
	CXCAL_THANKSGIVING,
	CXCAL_CHRISTMAS,
	CXCAL_N_FEDERAL
} cxcal_federal;

/* One federal holiday: the day it is observed, and its legal (actual) date. */
typedef struct CxcalHoliday
{
	int64_t		day;			/* observed */
	int64_t		actual;			/* date named by the statute */
	int			which;			/* cxcal_federal */
} CxcalHoliday;

/* Outcome of a calendar computation. */
typedef enum cxcal_status
{
	CXCAL_OK = 0,
	CXCAL_OUT_OF_RANGE,			/* a day outside CXCAL_YEAR_MIN..MAX */
	CXCAL_NO_WORKDAYS,			/* every day of the week is a weekend day */
	CXCAL_NO_MEMORY
} cxcal_status;

/*
 * A calendar.  The caller fills weekend_mask, federal, user_days/n_user
 * (sorted ascending, any days) and the allocator; the closure list of
 * working days (closed) is built and extended on demand by the functions
 * below, for the years they touch.
 */
typedef struct CxcalCalendar
{
	unsigned	weekend_mask;	/* bit (iso_dow - 1) set: weekend day */
	int			federal;		/* close on US federal holidays (observed) */
	const int64_t *user_days;	/* user closures, sorted ascending */
	size_t		n_user;

	void	   *(*alloc) (void *ctx, size_t size);
	void		(*release) (void *ctx, void *p);
	void	   *alloc_ctx;

	/* built on demand: closures falling on working days, sorted, unique */
	int64_t    *closed;
	size_t		n_closed;
	int			covered;		/* is year_lo..year_hi valid? */
	int64_t		year_lo;
	int64_t		year_hi;
	int64_t		cover_lo;		/* first day of year_lo */
	int64_t		cover_hi;		/* first day of year_hi + 1 */
} CxcalCalendar;

/* ISO day of week of a day number: 1 = Monday .. 7 = Sunday. */
extern int	cxcal_iso_dow(int64_t day);

/* The n-th (n >= 1) or last (n = -1) given ISO weekday of a month. */
extern int64_t cxcal_nth_weekday(int64_t year, int month, int iso_dow, int n);

/*
 * The US federal holidays whose legal date falls in year, ordered by
 * observed day, into out[CXCAL_N_FEDERAL]; returns how many (10 before 2021,
 * 11 from 2021).  A legal date on a Saturday is observed the Friday before
 * (New Year's Day on a Saturday is observed on December 31 of the year
 * before), on a Sunday the Monday after.
 */
extern int	cxcal_us_federal_holidays(int64_t year, CxcalHoliday *out);

/* Name of a federal holiday as in 5 U.S.C. 6103(a). */
extern const char *cxcal_federal_name(int which);

/* Release the closure list built by the calendar functions. */
extern void cxcal_free(CxcalCalendar *cal);

/* Is day a business day of cal? */
extern cxcal_status cxcal_is_business_day(CxcalCalendar *cal, int64_t day, int *result);

/* First business day on or after day. */
extern cxcal_status cxcal_next_business_day(CxcalCalendar *cal, int64_t day, int64_t *result);

/* Number of business days d with from <= d < to (negative of [to, from) if to < from). */
extern cxcal_status cxcal_count(CxcalCalendar *cal, int64_t from, int64_t to, int64_t *result);

/*
 * The business day n business days after business day start (before it when
 * n < 0; start itself when n = 0).
 */
extern cxcal_status cxcal_add(CxcalCalendar *cal, int64_t start, int64_t n, int64_t *result);

#endif
