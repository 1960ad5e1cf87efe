/*
 * prim_core.h — the primitives every concern shares, without PostgreSQL
 * headers (unit tested on their own in test/unit/test_prim.c):
 *
 *  - intervals as microseconds, on the scale PostgreSQL compares intervals
 *    on (a month is 30 days, a day 24 hours);
 *  - proleptic Gregorian dates of day numbers (day 0 is 2000-01-01, as
 *    PostgreSQL's date type counts);
 *  - the int64 comparator and lower-bound search over sorted int64 arrays;
 *  - the fraction check of percentile arguments;
 *  - the text scanner's blanks and the one vocabulary of time-unit words
 *    that every unit argument and every service standard reads;
 *  - CX_ASSERT, the assertion macro of the pure files.
 */
#ifndef CX_PRIM_CORE_H
#define CX_PRIM_CORE_H

#include <stddef.h>
#include <stdint.h>

/*
 * CX_ASSERT(cond): an invariant the code relies on.  Unit tests and fuzz
 * targets (built without the server's headers) check it with assert().  In
 * the server build (the server's headers, postgres.h among them, on the
 * include path) it is checked only when the server is built with
 * --enable-cassert, and a failure is reported as PostgreSQL's own Assert()
 * reports it; otherwise it compiles to nothing.  Only pg_config.h, the
 * server's build settings, is read, so the pure files stay free of
 * PostgreSQL's API.
 */
#if defined(__has_include)
#if __has_include(<postgres.h>) && __has_include(<pg_config.h>)
#include <pg_config.h>
#define CX_SERVER_BUILD 1
#endif
#endif

#if !defined(CX_SERVER_BUILD)
#include <assert.h>
#define CX_ASSERT(cond) assert(cond)
#elif defined(USE_ASSERT_CHECKING)
/* Report a failed CX_ASSERT (common.c: PostgreSQL's ExceptionalCondition). */
extern void cx_core_assert_failed(const char *cond, const char *file, int line);
#define CX_ASSERT(cond) \
	((cond) ? (void) 0 : cx_core_assert_failed(#cond, __FILE__, __LINE__))
#else
#define CX_ASSERT(cond) ((void) sizeof(!(cond)))
#endif

/* ---- intervals ----------------------------------------------------------- */

#define CXP_USECS_PER_SEC	INT64_C(1000000)
#define CXP_USECS_PER_DAY	INT64_C(86400000000)
#define CXP_DAYS_PER_MONTH	30

/* Same layout as PostgreSQL's Interval (checked where both are seen). */
typedef struct CxInterval
{
	int64_t		time;			/* microseconds */
	int32_t		day;
	int32_t		month;
} CxInterval;

/*
 * Microseconds of an interval on the scale interval comparison uses (months
 * as 30 days), exact: every interval fits in 128 bits.
 */
static inline __int128
cxp_interval_usecs(int64_t time, int32_t day, int32_t month)
{
	return (__int128) time +
		((__int128) day + (__int128) month * CXP_DAYS_PER_MONTH) * CXP_USECS_PER_DAY;
}

/* The same for a CxInterval. */
static inline __int128
cxp_cxinterval_usecs(const CxInterval *iv)
{
	return cxp_interval_usecs(iv->time, iv->day, iv->month);
}

/* Does a 128-bit count of microseconds fit in an int64? */
static inline int
cxp_usecs_fit(__int128 us)
{
	return us >= (__int128) INT64_MIN && us <= (__int128) INT64_MAX;
}

/* The interval of us microseconds as days and time, no months. */
static inline CxInterval
cxp_usecs_interval(int64_t us)
{
	CxInterval	iv;

	iv.month = 0;
	iv.day = (int32_t) (us / CXP_USECS_PER_DAY);
	iv.time = us % CXP_USECS_PER_DAY;
	return iv;
}

/* ---- civil dates --------------------------------------------------------- */

/* a / b rounded towards minus infinity, for b > 0. */
extern int64_t cxp_floor_div(int64_t a, int64_t b);

/* Day number (0 = 2000-01-01) of a proleptic Gregorian date. */
extern int64_t cxp_days_from_civil(int64_t y, int m, int d);

/* Proleptic Gregorian date of a day number (0 = 2000-01-01). */
extern void cxp_civil_from_days(int64_t day, int64_t *y, int *m, int *d);

/* ---- sorted int64 arrays ------------------------------------------------- */

/* qsort / bsearch comparison of two int64_t. */
extern int	cxp_cmp_int64(const void *a, const void *b);

/* Index of the first of the n ascending values v that is >= key (n if none). */
extern size_t cxp_lower_bound_int64(const int64_t *v, size_t n, int64_t key);

/* ---- fractions ----------------------------------------------------------- */

/* Is p a percentile fraction, in [0, 1] (NaN is not)? */
static inline int
cxp_fraction_ok(double p)
{
	return p >= 0.0 && p <= 1.0;
}

/* ---- the text scanner ---------------------------------------------------- */

/* Is c a blank between the tokens of a text form (C's isspace, any locale)? */
static inline int
cxp_is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* The first character at or after p (a NUL-terminated string) that is not blank. */
static inline const char *
cxp_skip_blanks(const char *p)
{
	while (cxp_is_blank(*p))
		p++;
	return p;
}

/* Is c an ASCII letter (the characters of a unit word)? */
static inline int
cxp_is_letter(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Are the len bytes at w the lower-case word lit, in any mix of cases? */
extern int	cxp_word_is(const char *w, size_t len, const char *lit);

/*
 * Time units.  One vocabulary serves the unit arguments of the sketch
 * accessors and the allowances of service standards; each unit is named
 * by its singular and plural words and the abbreviations listed in
 * prim_core.c (any case).
 */
typedef enum cxp_time_unit
{
	CXP_UNIT_NONE = 0,			/* not a unit word */
	CXP_MICROSECONDS,
	CXP_MILLISECONDS,
	CXP_SECONDS,
	CXP_MINUTES,
	CXP_HOURS,
	CXP_DAYS,					/* 24 hours */
	CXP_WEEKS					/* 7 days */
} cxp_time_unit;

/* The unit named by the len bytes at w (any case); CXP_UNIT_NONE if none. */
extern cxp_time_unit cxp_time_unit_of(const char *w, size_t len);

/* Microseconds of one unit (0 for CXP_UNIT_NONE). */
extern int64_t cxp_unit_usecs(cxp_time_unit unit);

/* The plural word of a unit ("seconds"; "?" for CXP_UNIT_NONE). */
extern const char *cxp_unit_name(cxp_time_unit unit);

#endif
