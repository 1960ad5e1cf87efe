/*
 * test_track.c — unit tests of src/track_core.c: status state machine,
 * logged transitions, at-risk instant, low scores, ISO 8601 payload times.
 */
#include "unit.h"
#include "track_core.h"

#include <math.h>
#include <string.h>

#define H INT64_C(3600000000)	/* one hour in microseconds */

int
main(void)
{
	char		buf[64];
	int64_t		s = 1000 * H,
				due = s + 100 * H;
	int			i;

	/* names round-trip */
	for (i = 1; i < CXTR_NSTATUS; i++)
	{
		const char *n = cxtr_status_name((cxtr_status) i);

		CHECK(cxtr_status_parse(n, strlen(n)) == (cxtr_status) i, "status %s round-trips", n);
	}
	CHECK(cxtr_status_name(CXTR_NONE) == NULL, "no name for none");
	CHECK(cxtr_status_parse("on_trac", 7) == CXTR_NONE, "prefix is not a status");
	CHECK(cxtr_status_parse("on_track ", 9) == CXTR_NONE, "trailing blank is not a status");
	CHECK(cxtr_status_parse("", 0) == CXTR_NONE, "empty is not a status");

	/* at-risk instant */
	CHECK(cxtr_at_risk_time(s, due, 0.8) == s + 80 * H, "at-risk instant at 80%%");
	CHECK(cxtr_at_risk_time(s, due, 1.0) == due, "fraction 1 is the due time");
	CHECK(cxtr_at_risk_time(s, s + 3, 0.5) == s + 1, "instant rounds down");
	CHECK(cxtr_at_risk_time(INT64_MIN, due, 0.5) == due, "-infinity start gives due");
	CHECK(cxtr_at_risk_time(s, INT64_MAX, 0.5) == INT64_MAX, "infinite due stays");
	CHECK(cxtr_at_risk_time(-INT64_C(211813488000000000), INT64_C(9223371331200000000), 0.5) > 0,
		  "huge span does not overflow");
	{
		int64_t		lo = -INT64_C(211813488000000000),
					hi = INT64_C(9223371331200000000);
		int64_t		r = cxtr_at_risk_time(lo, hi, 0.999999999);

		CHECK(r > lo && r <= hi, "huge span, fraction near 1: between start and due");
		r = cxtr_at_risk_time(hi, lo, 0.999999999);
		CHECK(r >= lo && r < hi, "huge negative span, fraction near 1: between due and start");
		r = cxtr_at_risk_time(hi - 1, lo, 0.5);
		CHECK(r > lo && r < hi, "huge negative span, half way");
	}

	/* every status */
	CHECK(cxtr_status_at(s, due, true, 0, false, s + 10 * H, 0.8) == CXTR_ON_TRACK, "open early: on_track");
	CHECK(cxtr_status_at(s, due, true, 0, false, s + 80 * H, 0.8) == CXTR_ON_TRACK, "exactly at-risk instant: on_track");
	CHECK(cxtr_status_at(s, due, true, 0, false, s + 80 * H + 1, 0.8) == CXTR_AT_RISK, "just after at-risk instant: at_risk");
	CHECK(cxtr_status_at(s, due, true, 0, false, due, 0.8) == CXTR_AT_RISK, "exactly due: at_risk");
	CHECK(cxtr_status_at(s, due, true, 0, false, due + 1, 0.8) == CXTR_BREACHED, "after due: breached");
	CHECK(cxtr_status_at(s, due, true, 0, false, due + 1, 1.0) == CXTR_BREACHED, "fraction 1: breached after due");
	CHECK(cxtr_status_at(s, due, true, 0, false, due, 1.0) == CXTR_ON_TRACK, "fraction 1: no at_risk stage");
	CHECK(cxtr_status_at(s, due, false, due, false, due + 5 * H, 0.8) == CXTR_MET, "finished at due: met");
	CHECK(cxtr_status_at(s, due, false, s - H, false, due + 5 * H, 0.8) == CXTR_MET, "finished before start: met");
	CHECK(cxtr_status_at(s, due, false, due + 1, false, s, 0.8) == CXTR_MISSED, "finished after due: missed");

	/* logged events */
	CHECK(cxtr_is_event(CXTR_ON_TRACK, CXTR_AT_RISK), "on_track → at_risk logged");
	CHECK(cxtr_is_event(CXTR_AT_RISK, CXTR_BREACHED), "at_risk → breached logged");
	CHECK(cxtr_is_event(CXTR_ON_TRACK, CXTR_BREACHED), "on_track → breached logged");
	CHECK(cxtr_is_event(CXTR_BREACHED, CXTR_MISSED), "breached → missed logged");
	CHECK(cxtr_is_event(CXTR_NONE, CXTR_MISSED), "insert missed logged");
	CHECK(!cxtr_is_event(CXTR_BREACHED, CXTR_BREACHED), "breached again not logged");
	CHECK(!cxtr_is_event(CXTR_AT_RISK, CXTR_AT_RISK), "at_risk again not logged");
	CHECK(!cxtr_is_event(CXTR_NONE, CXTR_ON_TRACK), "on_track not logged");
	CHECK(!cxtr_is_event(CXTR_BREACHED, CXTR_MET), "met not logged");

	/* cohort verdicts: 10 rows at 90% */
	CHECK(cxtr_cohort_verdict(10, 9, 0, 0, 900000) == CXTR_VERDICT_MET, "9 of 10 met at 90%%: met");
	CHECK(cxtr_cohort_verdict(10, 9, 1, 1, 900000) == CXTR_VERDICT_MET, "9 met, 1 open: met whatever the open one does");
	CHECK(cxtr_cohort_verdict(10, 8, 1, 0, 900000) == CXTR_VERDICT_OPEN, "8 met, 1 open in time, 1 missed: open");
	CHECK(cxtr_cohort_verdict(10, 8, 1, 1, 900000) == CXTR_VERDICT_AT_RISK, "8 met, 1 open past due: at_risk");
	CHECK(cxtr_cohort_verdict(10, 7, 1, 0, 900000) == CXTR_VERDICT_MISSED, "7 met, 1 open, 2 missed: missed");
	CHECK(cxtr_cohort_verdict(10, 0, 10, 0, 900000) == CXTR_VERDICT_OPEN, "all open: open");
	CHECK(cxtr_cohort_verdict(3, 3, 0, 0, 1000000) == CXTR_VERDICT_MET, "100%% of 3: met");
	CHECK(cxtr_cohort_verdict(3, 2, 1, 0, 1000000) == CXTR_VERDICT_OPEN, "2 of 3 met, 1 open at 100%%: open");
	CHECK(cxtr_cohort_verdict(3, 2, 0, 0, 1000000) == CXTR_VERDICT_MISSED, "2 of 3 at 100%%: missed");
	/* exact at the boundary: 2 of 3 is 666666.67 ppm */
	CHECK(cxtr_cohort_verdict(3, 2, 0, 0, 666667) == CXTR_VERDICT_MISSED, "2 of 3 below 66.6667%%: missed");
	CHECK(cxtr_cohort_verdict(3, 2, 0, 0, 666666) == CXTR_VERDICT_MET, "2 of 3 above 66.6666%%: met");
	CHECK(cxtr_cohort_verdict(INT64_MAX / 2, INT64_MAX / 2, 0, 0, 1000000) == CXTR_VERDICT_MET, "huge counts do not overflow");
	CHECK(strcmp(cxtr_verdict_name(CXTR_VERDICT_AT_RISK), "at_risk") == 0 &&
		  strcmp(cxtr_verdict_name(CXTR_VERDICT_OPEN), "open") == 0, "verdict names");

	/* pauses: paused while open, never breached while paused; finished wins */
	CHECK(cxtr_status_at(s, due, true, 0, true, due + 1, 0.8) == CXTR_PAUSED, "paused after due: paused, not breached");
	CHECK(cxtr_status_at(s, due, true, 0, true, s, 0.8) == CXTR_PAUSED, "paused early: paused");
	CHECK(cxtr_status_at(s, due, false, due + 1, true, due + 2, 0.8) == CXTR_MISSED, "finished while paused: missed");
	CHECK(cxtr_is_event(CXTR_ON_TRACK, CXTR_PAUSED) && !cxtr_is_event(CXTR_PAUSED, CXTR_PAUSED), "pausing is an event, once");
	CHECK(!cxtr_is_announced(CXTR_PAUSED) && !cxtr_is_announced(CXTR_RESUMED) &&
		  cxtr_is_announced(CXTR_BREACHED) && cxtr_is_announced(CXTR_AT_RISK) &&
		  cxtr_is_announced(CXTR_MISSED) && cxtr_is_announced(CXTR_LOW_SCORE),
		  "pauses and resumes are logged, not announced; breaches and low scores are announced");
	CHECK(cxtr_status_parse("paused", 6) == CXTR_PAUSED && strcmp(cxtr_status_name(CXTR_RESUMED), "resumed") == 0,
		  "paused and resumed names");
	{
		int64_t		from = 0,
					to = 0;

		CHECK(cxtr_pause_span(s, true, false, s + H, true, true, 0, s + 5 * H, &from, &to) &&
			  from == s + H && to == s + 5 * H, "resume: from the pause to now");
		CHECK(cxtr_pause_span(s, true, false, s - H, true, true, 0, s + 5 * H, &from, &to) &&
			  from == s && to == s + 5 * H, "paused before the start: counted from the start");
		CHECK(cxtr_pause_span(s, true, false, s + H, false, false, s + 3 * H, s + 5 * H, &from, &to) &&
			  from == s + H && to == s + 3 * H, "finished while paused: the pause ends at the finish");
		CHECK(!cxtr_pause_span(s, true, false, s + H, false, true, 0, s + 5 * H, &from, &to), "still paused: no span yet");
		CHECK(!cxtr_pause_span(s, true, true, 0, true, true, 0, s + 5 * H, &from, &to), "never paused: no span");
		CHECK(!cxtr_pause_span(s, false, false, s + H, true, false, s + 2 * H, s + 5 * H, &from, &to), "already finished: no span");
		CHECK(!cxtr_pause_span(s, true, false, s + 6 * H, true, true, 0, s + 5 * H, &from, &to), "pause after now: empty span");
	}

	/* low scores */
	CHECK(cxtr_low_score(false, false, 0, 6, 6, 0, 10), "6 of 10 at threshold 6 is low");
	CHECK(!cxtr_low_score(false, false, 0, 7, 6, 0, 10), "7 is not low");
	CHECK(!cxtr_low_score(false, false, 0, -1, 6, 0, 10), "below the scale is ignored");
	CHECK(!cxtr_low_score(false, false, 0, NAN, 6, 0, 10), "NaN is ignored");
	CHECK(!cxtr_low_score(true, false, 3, 2, 6, 0, 10), "low to low is not logged again");
	CHECK(cxtr_low_score(true, false, 9, 2, 6, 0, 10), "high to low is logged");
	CHECK(cxtr_low_score(true, true, 0, 2, 6, 0, 10), "null to low is logged");

	/* ISO 8601 */
	CHECK(cxtr_iso8601(0, buf, sizeof(buf)) > 0 && strcmp(buf, "2000-01-01T00:00:00Z") == 0, "epoch");
	CHECK(cxtr_iso8601(-1, buf, sizeof(buf)) > 0 && strcmp(buf, "1999-12-31T23:59:59.999999Z") == 0, "before epoch");
	/* 2024-02-29 12:34:56.5 UTC = 8825 days after 2000-01-01 */
	CHECK(cxtr_iso8601(INT64_C(8825) * 24 * H + 12 * H + INT64_C(34) * 60000000 + INT64_C(56500000), buf, sizeof(buf)) > 0 &&
		  strcmp(buf, "2024-02-29T12:34:56.500000Z") == 0, "leap day with fraction: %s", buf);
	CHECK(cxtr_iso8601(INT64_MAX, buf, sizeof(buf)) > 0 && strcmp(buf, "infinity") == 0, "infinity");
	CHECK(cxtr_iso8601(INT64_MIN, buf, sizeof(buf)) > 0 && strcmp(buf, "-infinity") == 0, "-infinity");
	CHECK(cxtr_iso8601(0, buf, 5) == -1, "small buffer refused");
	return unit_done();
}
