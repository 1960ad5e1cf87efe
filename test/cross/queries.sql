-- The answers test/cross.sh compares between the dumped and the restored
-- database (and back): percentiles, sketches, indices, standards,
-- calendars, statuses, the registry and the log.
SET TIME ZONE 'UTC';
SELECT office, cx.percentile(wait, 0.9), cx.percentile_disc(wait, ARRAY[0.5, 0.99]), cx.percentile(score, ARRAY[0.1, 0.5]),
	   cx.share_within(wait, interval '10 days')
FROM waits GROUP BY office ORDER BY office;
SELECT office, cx.percentile(sk, 0.5), cx.percentile(sk, ARRAY[0.9, 0.99]), cx.count(sk), cx.min(sk), cx.max(sk),
	   cx.percentile(nsk, 0.9), cx.mean(nsk), sk::text = cx.cycle_sketch(sk)::text
FROM sketches ORDER BY office;
SELECT cx.percentile(cx.rollup(sk), 0.75) FROM sketches;
SELECT office, r::text, cx.csat(r), cx.csat_ci(r), cx.top_box(r, 2), cx.mean(r), nps::text, cx.nps(nps), cx.nps_ci(nps)
FROM surveys ORDER BY office;
SELECT service, promise::text, cx.target(promise), cx.allowance(promise),
	   cx.due_at(timestamptz '2025-12-22 15:00+00', promise, 'us_federal'),
	   cx.due_at(timestamptz '2025-12-22 15:00+00', promise, 'pacific_ops')
FROM promises ORDER BY service;
SELECT name, time_zone, weekend, federal_holidays, cutoff FROM cx.calendars ORDER BY name;
SELECT calendar, day, name FROM cx.holidays WHERE day BETWEEN '2025-12-01' AND '2026-01-31' ORDER BY calendar, day;
SELECT cx.business_days(date '2025-12-15', date '2026-01-05', 'us_federal'),
	   cx.business_days(date '2025-12-15', date '2026-01-05', 'pacific_ops');
SELECT id, cx_status, cx_due FROM apps ORDER BY id;
SELECT id, st, cx_due FROM claims ORDER BY id;
SELECT tbl::text, clock, standard, started, finished, status, due, key, calendar, at_risk, standard_column, lookup::text, by, paused, paused_for
FROM cx.tracked ORDER BY tbl::text, clock;
SELECT id, cx_decide_standard, cx_decide_paused, cx_status, cx_decide_due, ack_status, cx_acknowledge_due FROM reqs ORDER BY id;
SELECT tbl::text, answer, threshold, scale_min, scale_max, key FROM cx.tracked_scores ORDER BY tbl::text;
SELECT id, tbl, key, standard, started, due, finished, old_status, new_status, score, relid::regclass, clock
FROM cx.breach_log ORDER BY id;
SELECT cx.attainment(received_at, decided_at, 'within 20 business days') FROM apps WHERE decided_at IS NOT NULL;
