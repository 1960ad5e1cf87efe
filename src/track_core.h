/*
 * track_core.h — the pure logic of tracking a table against a service
 * standard: the status of a row, which transitions are logged, the at-risk
 * instant, low-score flags and the UTC timestamps of notification payloads.
 *
 * No PostgreSQL headers: timestamps are PostgreSQL's int64 microseconds
 * since 2000-01-01 00:00:00 UTC, with INT64_MIN / INT64_MAX for -infinity
 * and infinity.
 */
#ifndef CX_TRACK_CORE_H
#define CX_TRACK_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum cxtr_status
{
	CXTR_NONE = 0,				/* no status (not started, or unknown text) */
	CXTR_ON_TRACK,
	CXTR_AT_RISK,
	CXTR_BREACHED,
	CXTR_MET,
	CXTR_MISSED,
	CXTR_LOW_SCORE,				/* log only: a low score */
	CXTR_PAUSED,				/* the clock is stopped (waiting on the customer) */
	CXTR_RESUMED				/* log only: the clock started again */
} cxtr_status;

#define CXTR_NSTATUS 9

/* The name of a status ("on_track", ...); NULL for CXTR_NONE. */
extern const char *cxtr_status_name(cxtr_status s);

/* The status named by len bytes at s; CXTR_NONE when it names none. */
extern cxtr_status cxtr_status_parse(const char *s, size_t len);

/* The instant a fraction of the way from started to due (at-risk instant). */
extern int64_t cxtr_at_risk_time(int64_t started, int64_t due, double fraction);

/*
 * The status of a row at instant now: met / missed once finished (finished
 * at or before due is met), else paused while its clock is stopped, else
 * breached after due, at_risk after the at-risk instant, on_track before.
 * This is the one definition of a status: the row trigger, the sweep (whose
 * window is tested against it) and the cohort verdicts all use it.
 */
extern cxtr_status cxtr_status_at(int64_t started, int64_t due,
								  bool finished_null, int64_t finished,
								  bool paused, int64_t now, double fraction);

/*
 * The stretch of time a pause that ends with this write stopped the clock:
 * from the later of the pause's start and the row's start, to the finish
 * when the row finishes with this write (finishing ends a pause), else to
 * now.  False when the pause does not end with this write (the row was not
 * paused, was already finished, or stays paused and open) or the stretch
 * is empty.
 */
extern bool cxtr_pause_span(int64_t started, bool old_finished_null,
							bool old_paused_null, int64_t old_paused,
							bool new_paused_null, bool new_finished_null,
							int64_t new_finished, int64_t now,
							int64_t *from, int64_t *to);

/*
 * The verdict on a cohort of rows against a target share (in parts per
 * million): met when even if every open row misses the target holds,
 * missed when even if every open row is met it cannot, at_risk when it
 * cannot unless open rows already past their due are met after all, open
 * otherwise.  rows counts met, missed and open rows; open counts
 * open_breached.  Exact (integer) arithmetic.
 */
typedef enum cxtr_verdict
{
	CXTR_VERDICT_OPEN = 0,
	CXTR_VERDICT_MET,
	CXTR_VERDICT_MISSED,
	CXTR_VERDICT_AT_RISK
} cxtr_verdict;

extern cxtr_verdict cxtr_cohort_verdict(int64_t rows, int64_t met, int64_t open,
										int64_t open_breached, int32_t target_ppm);
extern const char *cxtr_verdict_name(cxtr_verdict v);

/*
 * Whether a change from old to new status is an event to log and announce:
 * into at_risk, breached, missed or paused.  (Leaving paused is logged as
 * resumed by the trigger, which then judges the row against the status it
 * had when it was paused.)
 */
extern bool cxtr_is_event(cxtr_status old_status, cxtr_status new_status);

/*
 * Whether a logged event is also announced (NOTIFY): every event someone
 * must act on; pauses and resumes are bookkeeping, logged only.
 */
extern bool cxtr_is_announced(cxtr_status new_status);

/*
 * Whether an answer is a new low score: in [lo, hi], at or below threshold,
 * and the previous answer (if any) was not already a low score.
 */
extern bool cxtr_low_score(bool had_old, bool old_null, double old_answer,
						   double answer, double threshold, double lo, double hi);

/*
 * Write a timestamp as ISO 8601 in UTC ("2026-03-01T14:05:00Z", fractional
 * seconds only when non-zero, "infinity" / "-infinity") into buf; returns
 * the length, or -1 when buf is too small (needs at most 40 bytes).
 */
extern int	cxtr_iso8601(int64_t ts, char *buf, size_t buflen);

#endif
