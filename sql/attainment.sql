-- Attainment: cx.attainment / cx.meets over durations, over start and
-- finish times (elapsed units, and business days on a calendar), and over
-- cycle-time sketches, against plain-SQL references, also in parallel
-- plans; a standard that differs between rows or does not fit the input is
-- a clear error.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS cx_metrics;

-- attainment over durations against plain SQL
CREATE TEMP TABLE items AS
SELECT i, (i % 3) AS grp, make_interval(secs => (i * 7919) % 864000) AS dur
FROM generate_series(1, 3000) AS i;
INSERT INTO items VALUES (0, 0, NULL);
SELECT grp,
	   cx.attainment(dur, '90% within 5 days') = (count(*) FILTER (WHERE dur <= interval '5 days'))::float8 / count(dur) AS attainment_ok,
	   cx.meets(dur, '50% within 5 days') = ((count(*) FILTER (WHERE dur <= interval '5 days'))::float8 / count(dur) >= 0.5) AS meets_ok,
	   cx.meets(dur, '51% within 5 days') = ((count(*) FILTER (WHERE dur <= interval '5 days'))::float8 / count(dur) >= 0.51) AS meets_ok2
FROM items GROUP BY grp ORDER BY grp;
-- exact threshold: 9 of 10 within is exactly 90%
SELECT cx.meets(d, '90% within 1 hour') AS nine_of_ten, NOT cx.meets(d, '90.0001% within 1 hour') AS just_above_not_met
FROM (SELECT CASE WHEN i = 10 THEN interval '2 hours' ELSE interval '1 hour' END FROM generate_series(1, 10) i) v(d);
-- empty input and all-NULL input give NULL
SELECT cx.attainment(dur, 'within 1 day') IS NULL AS empty_null, cx.meets(dur, 'within 1 day') IS NULL AS meets_null
FROM items WHERE false;
SELECT cx.attainment(NULL::interval, 'within 1 day') IS NULL AS all_null;
-- parallel plan gives the same answer
CREATE TABLE std_par AS SELECT i, make_interval(secs => (i::bigint * 104729) % 1000000) AS dur FROM generate_series(1, 200000) i;
ANALYZE std_par;
SET max_parallel_workers_per_gather = 2; SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
EXPLAIN (COSTS OFF) SELECT cx.attainment(dur, '90% within 5 days') FROM std_par;
SELECT cx.attainment(dur, '90% within 5 days') = (SELECT (count(*) FILTER (WHERE dur <= interval '5 days'))::float8 / count(*) FROM std_par) AS parallel_ok
FROM std_par;
RESET max_parallel_workers_per_gather; RESET parallel_setup_cost; RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
DROP TABLE std_par;
-- one standard per group; business days need start and finish
SELECT cx.attainment(dur, CASE WHEN i = 1 THEN 'within 1 day' ELSE 'within 2 days' END::cx.standard) FROM items;
SELECT cx.attainment(dur, '90% within 3 business days') FROM items;
-- elapsed-unit standard from start and finish times
SELECT cx.attainment(t, t + dur, '90% within 5 days') = (SELECT (count(*) FILTER (WHERE dur <= interval '5 days'))::float8 / count(dur) FROM items) AS span_ok
FROM items, (VALUES (timestamptz '2026-03-07 12:00+00')) v(t);
-- business-day standard from start and finish times: business days on the
-- calendar (default us_federal), as cx.business_days counts them
SELECT cx.attainment(s, f, '90% within 3 business days') = (count(*) FILTER (WHERE cx.business_days(s, f) <= 3))::float8 / count(f) AS business_ok,
	   cx.meets(s, f, '50% within 3 business days') = ((count(*) FILTER (WHERE cx.business_days(s, f) <= 3))::float8 / count(f) >= 0.5) AS meets_ok,
	   cx.attainment(s, f, '90% within 3 business days', 'us_federal') = cx.attainment(s, f, '90% within 3 business days') AS default_calendar,
	   cx.attainment(s, f, '90% within 3 business days') BETWEEN 0.1 AND 0.9 AS some_within_some_not
FROM (SELECT t, t + dur FROM items, (VALUES (timestamptz '2026-03-07 12:00+00')) v(t)) x(s, f);

-- sketches: estimated attainment lies within the sketch's guarantee (alpha =
-- 1%: between the exact shares within allowance/1.01 and allowance/0.99),
-- and meets agrees with attainment >= target
CREATE TEMP TABLE sk_items AS
SELECT i % 4 AS grp, make_interval(secs => exp(ln(432000) + ((i * 7919) % 1000 - 500) / 400.0)) AS dur
FROM generate_series(1, 20000) i;
WITH s AS (SELECT grp, cx.cycle_sketch(dur) AS sk FROM sk_items GROUP BY grp)
SELECT s.grp,
	   cx.attainment(sk, '90% within 5 days') BETWEEN
		 (SELECT (count(*) FILTER (WHERE dur <= interval '5 days' / 1.01))::float8 / count(*) FROM sk_items i WHERE i.grp = s.grp) AND
		 (SELECT (count(*) FILTER (WHERE dur <= interval '5 days' / 0.99))::float8 / count(*) FROM sk_items i WHERE i.grp = s.grp) AS within_guarantee,
	   cx.meets(sk, '90% within 5 days') = (cx.attainment(sk, '90% within 5 days') >= 0.9) AS meets_90,
	   cx.meets(sk, '40% within 5 days') = (cx.attainment(sk, '40% within 5 days') >= 0.4) AS meets_40
FROM s ORDER BY s.grp;
SELECT cx.attainment(cx.cycle_sketch(dur), 'within 1 week') = 1 AS all_within_a_week_max_rule FROM sk_items WHERE dur <= interval '6 days';
SELECT cx.attainment(cx.cycle_sketch(dur), '90% within 3 business days') FROM sk_items;

-- parallel workers read the calendars too: business-day attainment on a
-- user calendar with a cut-off and a closure, in a parallel plan, equals
-- the share counted with cx.business_days
INSERT INTO cx.calendars (name, time_zone, federal_holidays, cutoff) VALUES ('par_cal', 'America/Chicago', true, '16:00');
INSERT INTO cx.holidays (calendar, day) VALUES ('par_cal', '2026-03-03');
CREATE TABLE cal_par AS
SELECT timestamptz '2026-01-01 00:00+00' + (i * 7919 % 300000) * interval '1 minute' AS s,
	   timestamptz '2026-01-01 00:00+00' + (i * 7919 % 300000 + i % 50000) * interval '1 minute' AS f
FROM generate_series(1, 100000) i;
ANALYZE cal_par;
SET max_parallel_workers_per_gather = 2; SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
EXPLAIN (COSTS OFF) SELECT cx.attainment(s, f, '50% within 10 business days', 'par_cal') FROM cal_par;
SELECT (SELECT cx.attainment(s, f, '50% within 10 business days', 'par_cal') FROM cal_par) =
	   (SELECT (count(*) FILTER (WHERE cx.business_days(s, f, 'par_cal') <= 10))::float8 / count(*) FROM cal_par) AS parallel_attainment;
RESET max_parallel_workers_per_gather; RESET parallel_setup_cost; RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
DROP TABLE cal_par;
DELETE FROM cx.calendars WHERE name = 'par_cal';

-- leave the database as found, for the tests that follow
DROP EXTENSION cx_metrics CASCADE;
