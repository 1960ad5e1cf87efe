/*
 * track_core.c — status state machine and helpers of table tracking
 * (pure C, unit-tested in test/unit/test_track.c).
 */
#include "track_core.h"
#include "prim_core.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *const cxtr_names[CXTR_NSTATUS] = {
	NULL, "on_track", "at_risk", "breached", "met", "missed", "low_score", "paused", "resumed"
};

/* The name of a status ("on_track", ...); NULL for CXTR_NONE. */
const char *
cxtr_status_name(cxtr_status s)
{
	if ((int) s <= 0 || (int) s >= CXTR_NSTATUS)
		return NULL;
	return cxtr_names[s];
}

/* The status named by len bytes at s; CXTR_NONE when it names none. */
cxtr_status
cxtr_status_parse(const char *s, size_t len)
{
	int			i;

	for (i = 1; i < CXTR_NSTATUS; i++)
	{
		if (strlen(cxtr_names[i]) == len && memcmp(cxtr_names[i], s, len) == 0)
			return (cxtr_status) i;
	}
	return CXTR_NONE;
}

/* The instant a fraction of the way from started to due (at-risk instant). */
int64_t
cxtr_at_risk_time(int64_t started, int64_t due, double fraction)
{
	int64_t		span,
				lo,
				hi;
	double		r;

	if (started == INT64_MIN || started == INT64_MAX ||
		due == INT64_MIN || due == INT64_MAX || !(fraction < 1.0))
		return due;
	if (!(fraction > 0.0))
		return started;
	if (!__builtin_sub_overflow(due, started, &span))
	{
		/* the offset, unless rounding took it to the 64-bit limit */
		r = floor(fraction * (double) span);
		if (r < 9223372036854775807.0 && r > -9223372036854775807.0)
			return started + (int64_t) r;
		return due;
	}
	/* far apart: in doubles, kept between the two so the cast cannot overflow */
	r = floor((double) started + fraction * ((double) due - (double) started));
	lo = started < due ? started : due;
	hi = started < due ? due : started;
	if (!(r > (double) lo))
		return lo;
	if (!(r < (double) hi))
		return hi;
	return (int64_t) r;
}

/* The status of a row at instant now (see track_core.h). */
cxtr_status
cxtr_status_at(int64_t started, int64_t due, bool finished_null,
			   int64_t finished, bool paused, int64_t now, double fraction)
{
	if (!finished_null)
		return finished <= due ? CXTR_MET : CXTR_MISSED;
	if (paused)
		return CXTR_PAUSED;
	if (now > due)
		return CXTR_BREACHED;
	if (now > cxtr_at_risk_time(started, due, fraction))
		return CXTR_AT_RISK;
	return CXTR_ON_TRACK;
}

/* The verdict on a cohort (see track_core.h). */
cxtr_verdict
cxtr_cohort_verdict(int64_t rows, int64_t met, int64_t open, int64_t open_breached, int32_t target_ppm)
{
	/* share >= target  <=>  count * 1e6 >= target_ppm * rows, in 128 bits */
	__int128	need = (__int128) target_ppm * rows;

	if ((__int128) met * 1000000 >= need)
		return CXTR_VERDICT_MET;
	if ((__int128) (met + open) * 1000000 < need)
		return CXTR_VERDICT_MISSED;
	if ((__int128) (met + open - open_breached) * 1000000 < need)
		return CXTR_VERDICT_AT_RISK;
	return CXTR_VERDICT_OPEN;
}

/* The name of a verdict ("met", "missed", "at_risk", "open"). */
const char *
cxtr_verdict_name(cxtr_verdict v)
{
	switch (v)
	{
		case CXTR_VERDICT_MET:
			return "met";
		case CXTR_VERDICT_MISSED:
			return "missed";
		case CXTR_VERDICT_AT_RISK:
			return "at_risk";
		case CXTR_VERDICT_OPEN:
			break;
	}
	return "open";
}

/* Whether a change from old to new status is an event to log and announce. */
bool
cxtr_is_event(cxtr_status old_status, cxtr_status new_status)
{
	if (old_status == new_status)
		return false;
	return new_status == CXTR_AT_RISK || new_status == CXTR_BREACHED ||
		new_status == CXTR_MISSED || new_status == CXTR_PAUSED;
}

/* Whether a logged event is also announced (see track_core.h). */
bool
cxtr_is_announced(cxtr_status new_status)
{
	return new_status != CXTR_PAUSED && new_status != CXTR_RESUMED;
}

/* The stretch of a pause that ends with this write (see track_core.h). */
bool
cxtr_pause_span(int64_t started, bool old_finished_null, bool old_paused_null,
				int64_t old_paused, bool new_paused_null, bool new_finished_null,
				int64_t new_finished, int64_t now, int64_t *from, int64_t *to)
{
	if (!old_finished_null || old_paused_null || (!new_paused_null && new_finished_null))
		return false;
	*from = old_paused > started ? old_paused : started;
	*to = new_finished_null ? now : new_finished;
	return *to > *from;
}

/* Whether an answer is a new low score (see track_core.h). */
bool
cxtr_low_score(bool had_old, bool old_null, double old_answer,
			   double answer, double threshold, double lo, double hi)
{
	if (isnan(answer) || answer < lo || answer > hi || answer > threshold)
		return false;
	if (had_old && !old_null && !isnan(old_answer) &&
		old_answer >= lo && old_answer <= hi && old_answer <= threshold)
		return false;			/* already flagged when it was written */
	return true;
}

/* Write a timestamp as ISO 8601 in UTC into buf (see track_core.h). */
int
cxtr_iso8601(int64_t ts, char *buf, size_t buflen)
{
	const int64_t usec_per_day = CXP_USECS_PER_DAY;
	int64_t		days,
				rem,
				y;
	int			m,
				d,
				n;

	if (ts == INT64_MAX || ts == INT64_MIN)
		n = snprintf(buf, buflen, "%s", ts == INT64_MAX ? "infinity" : "-infinity");
	else
	{
		days = ts / usec_per_day;
		rem = ts % usec_per_day;
		if (rem < 0)
		{
			rem += usec_per_day;
			days--;
		}
		cxp_civil_from_days(days, &y, &m, &d);
		if (rem % 1000000 == 0)
			n = snprintf(buf, buflen, "%04lld-%02d-%02dT%02d:%02d:%02dZ",
						 (long long) y, m, d, (int) (rem / 3600000000),
						 (int) (rem / 60000000 % 60), (int) (rem / 1000000 % 60));
		else
			n = snprintf(buf, buflen, "%04lld-%02d-%02dT%02d:%02d:%02d.%06dZ",
						 (long long) y, m, d, (int) (rem / 3600000000),
						 (int) (rem / 60000000 % 60), (int) (rem / 1000000 % 60),
						 (int) (rem % 1000000));
	}
	if (n < 0 || (size_t) n >= buflen)
		return -1;
	return n;
}
