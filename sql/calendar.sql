-- Business calendars: US federal holidays 2017-2030 against a hand-checked
-- list, business_days / add_business_days against a plain-SQL day-by-day
-- reference, every documented edge case, time zones, closures, errors.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS cx_metrics;

-- The observed federal holidays 2017-2030 (legal year, observed day), checked
-- by hand against OPM's published schedules.  New Year's Day 2022 and 2028
-- fall on a Saturday and are observed on the Friday before, in the year before.
CREATE TEMP TABLE ref_holidays (year int, day date);
INSERT INTO ref_holidays SELECT substr(l, 1, 4)::int, d::date
FROM unnest(ARRAY[
 '2017 2017-01-02 2017-01-16 2017-02-20 2017-05-29 2017-07-04 2017-09-04 2017-10-09 2017-11-10 2017-11-23 2017-12-25',
 '2018 2018-01-01 2018-01-15 2018-02-19 2018-05-28 2018-07-04 2018-09-03 2018-10-08 2018-11-12 2018-11-22 2018-12-25',
 '2019 2019-01-01 2019-01-21 2019-02-18 2019-05-27 2019-07-04 2019-09-02 2019-10-14 2019-11-11 2019-11-28 2019-12-25',
 '2020 2020-01-01 2020-01-20 2020-02-17 2020-05-25 2020-07-03 2020-09-07 2020-10-12 2020-11-11 2020-11-26 2020-12-25',
 '2021 2021-01-01 2021-01-18 2021-02-15 2021-05-31 2021-06-18 2021-07-05 2021-09-06 2021-10-11 2021-11-11 2021-11-25 2021-12-24',
 '2022 2021-12-31 2022-01-17 2022-02-21 2022-05-30 2022-06-20 2022-07-04 2022-09-05 2022-10-10 2022-11-11 2022-11-24 2022-12-26',
 '2023 2023-01-02 2023-01-16 2023-02-20 2023-05-29 2023-06-19 2023-07-04 2023-09-04 2023-10-09 2023-11-10 2023-11-23 2023-12-25',
 '2024 2024-01-01 2024-01-15 2024-02-19 2024-05-27 2024-06-19 2024-07-04 2024-09-02 2024-10-14 2024-11-11 2024-11-28 2024-12-25',
 '2025 2025-01-01 2025-01-20 2025-02-17 2025-05-26 2025-06-19 2025-07-04 2025-09-01 2025-10-13 2025-11-11 2025-11-27 2025-12-25',
 '2026 2026-01-01 2026-01-19 2026-02-16 2026-05-25 2026-06-19 2026-07-03 2026-09-07 2026-10-12 2026-11-11 2026-11-26 2026-12-25',
 '2027 2027-01-01 2027-01-18 2027-02-15 2027-05-31 2027-06-18 2027-07-05 2027-09-06 2027-10-11 2027-11-11 2027-11-25 2027-12-24',
 '2028 2027-12-31 2028-01-17 2028-02-21 2028-05-29 2028-06-19 2028-07-04 2028-09-04 2028-10-09 2028-11-10 2028-11-23 2028-12-25',
 '2029 2029-01-01 2029-01-15 2029-02-19 2029-05-28 2029-06-19 2029-07-04 2029-09-03 2029-10-08 2029-11-12 2029-11-22 2029-12-25',
 '2030 2030-01-01 2030-01-21 2030-02-18 2030-05-27 2030-06-19 2030-07-04 2030-09-02 2030-10-14 2030-11-11 2030-11-28 2030-12-25'
]) AS l, unnest(string_to_array(substr(l, 6), ' ')) AS d;

SELECT count(*) AS reference_days,
	   (SELECT count(*) FROM generate_series(2017, 2030) y, cx.us_federal_holidays(y)) AS computed_days,
	   NOT EXISTS (SELECT y, h.day FROM generate_series(2017, 2030) y, cx.us_federal_holidays(y) h
				   EXCEPT SELECT year, day FROM ref_holidays) AS none_extra,
	   NOT EXISTS (SELECT year, day FROM ref_holidays
				   EXCEPT SELECT y, h.day FROM generate_series(2017, 2030) y, cx.us_federal_holidays(y) h) AS none_missing
FROM ref_holidays;
SELECT * FROM cx.us_federal_holidays(2022);
SELECT count(*) AS before_juneteenth FROM cx.us_federal_holidays(2020);
-- the actual date is the legal date; observed is within a day of it, never on a weekend
SELECT bool_and(extract(isodow FROM day) < 6) AS weekdays_only,
	   bool_and(day - actual = CASE extract(isodow FROM actual) WHEN 6 THEN -1 WHEN 7 THEN 1 ELSE 0 END) AS observed_rule
FROM generate_series(1900, 2200) y, cx.us_federal_holidays(y);
SELECT cx.is_business_day('2021-12-31') AS dec31_2021, cx.is_business_day('2022-12-30') AS dec30_2022,
	   cx.is_business_day('2026-07-03') AS jul3_2026, cx.is_business_day('2026-07-04') AS jul4_2026_saturday,
	   cx.is_business_day('2026-07-06') AS jul6_2026;

-- plain-SQL reference: a business day is a weekday that is not a reference holiday
CREATE TEMP TABLE ref_bday AS
SELECT d::date AS day, row_number() OVER (ORDER BY d) AS rn
FROM generate_series(date '2017-01-01', date '2030-12-31', interval '1 day') d
WHERE extract(isodow FROM d) < 6 AND d::date NOT IN (SELECT day FROM ref_holidays);
CREATE INDEX ON ref_bday (day);
SELECT count(*) = (SELECT count(*) FROM ref_bday WHERE day BETWEEN '2026-01-01' AND '2026-12-31') AS same_count_2026,
	   count(*) AS business_days_2026
FROM generate_series(date '2026-01-01', date '2026-12-31', interval '1 day') d WHERE cx.is_business_day(d::date);

-- random pairs, 2017-2030, compared in several session time zones: days are
-- decided in America/New_York (the calendar's zone), never the session's
SELECT setseed(0.5);
CREATE TEMP TABLE pairs AS
SELECT i, s, s + (random() * 90 - 10) * interval '1 day' AS f
FROM (SELECT i, timestamptz '2017-01-15 00:00+00' + random() * (timestamptz '2030-11-01' - timestamptz '2017-01-15') AS s
	  FROM generate_series(1, 3000) i) x;
CREATE TEMP TABLE pairs_ref AS
SELECT i, s, f, ls, lf,
	   CASE WHEN f >= s THEN (SELECT count(*) FROM ref_bday WHERE day >= ls AND day < lf)
			ELSE -(SELECT count(*) FROM ref_bday WHERE day >= lf AND day < ls) END AS ref_days
FROM (SELECT i, s, f, (s AT TIME ZONE 'America/New_York')::date AS ls, (f AT TIME ZONE 'America/New_York')::date AS lf
	  FROM pairs) p;
SET timezone = 'UTC';
SELECT count(*) FILTER (WHERE cx.business_days(s, f) IS DISTINCT FROM ref_days) AS mismatches_utc,
	   count(*) FILTER (WHERE ref_days < 0) > 0 AS has_negative, count(*) FILTER (WHERE ref_days = 0) > 0 AS has_zero
FROM pairs_ref;
SET timezone = 'Asia/Tokyo';
SELECT count(*) FILTER (WHERE cx.business_days(s, f) IS DISTINCT FROM ref_days) AS mismatches_tokyo FROM pairs_ref;
SET timezone = 'America/Los_Angeles';
SELECT count(*) FILTER (WHERE cx.business_days(s, f, 'us_federal') IS DISTINCT FROM ref_days) AS mismatches_la FROM pairs_ref;
-- a reading in the session's zone would differ (the test would catch it)
SELECT count(*) FILTER (WHERE (SELECT count(*) FROM ref_bday WHERE day >= s::date AND day < f::date) <> ref_days AND f >= s) > 0 AS session_zone_differs
FROM pairs_ref;

-- add_business_days: end of the n-th business day after the first business
-- day on or after receipt, in the calendar's zone
CREATE TEMP TABLE adds AS
SELECT i, s, (i % 45) - 5 AS n,
	   (SELECT b2.day FROM ref_bday b1 JOIN ref_bday b2 ON b2.rn = b1.rn + (i % 45) - 5
		WHERE b1.day = (SELECT min(day) FROM ref_bday WHERE day >= ls)) AS ref_day
FROM pairs_ref;
SET timezone = 'UTC';
SELECT count(*) FILTER (WHERE cx.add_business_days(s, n) <> ((ref_day + 1)::timestamp AT TIME ZONE 'America/New_York') - interval '1 microsecond') AS mismatches_utc,
	   count(*) FILTER (WHERE cx.add_business_days(s, n) IS NULL) AS nulls
FROM adds;
SET timezone = 'Asia/Tokyo';
SELECT count(*) FILTER (WHERE cx.add_business_days(s, n) <> ((ref_day + 1)::timestamp AT TIME ZONE 'America/New_York') - interval '1 microsecond') AS mismatches_tokyo
FROM adds;
-- consistency: finished by the due time <=> business_days <= n (n >= 0)
SELECT count(*) FILTER (WHERE (f <= cx.add_business_days(s, n)) <> (cx.business_days(s, f) <= n)) AS inconsistent
FROM adds JOIN pairs USING (i, s) WHERE n >= 0;
-- date forms
SELECT count(*) FILTER (WHERE cx.add_business_days(ls, (i % 45) - 5) <> a.ref_day) AS date_add_mismatches,
	   count(*) FILTER (WHERE cx.business_days(ls, lf) <> CASE WHEN lf >= ls THEN (SELECT count(*) FROM ref_bday WHERE day >= ls AND day < lf)
		  ELSE -(SELECT count(*) FROM ref_bday WHERE day >= lf AND day < ls) END) AS date_count_mismatches
FROM pairs_ref JOIN adds a USING (i);
RESET timezone;

-- every edge case, by hand (times are Eastern: the calendar's zone)
SET timezone = 'UTC';
SELECT label, cx.business_days(s::timestamptz, f::timestamptz) AS days, expected,
	   cx.business_days(s::timestamptz, f::timestamptz) = expected AS ok
FROM (VALUES
	('same day', '2026-01-02 09:00 America/New_York', '2026-01-02 17:00 America/New_York', 0),
	('next business day', '2026-01-05 09:00 America/New_York', '2026-01-06 08:00 America/New_York', 1),
	('Fri to Mon', '2026-01-02 09:00 America/New_York', '2026-01-05 09:00 America/New_York', 1),
	('finished Saturday after Friday receipt', '2026-01-02 09:00 America/New_York', '2026-01-03 12:00 America/New_York', 1),
	('received Saturday, finished Monday', '2026-01-03 09:00 America/New_York', '2026-01-05 09:00 America/New_York', 0),
	('received Saturday, finished Tuesday', '2026-01-03 09:00 America/New_York', '2026-01-06 09:00 America/New_York', 1),
	('received Sunday, finished Sunday', '2026-01-04 09:00 America/New_York', '2026-01-04 10:00 America/New_York', 0),
	('received on MLK Day, finished next day', '2026-01-19 09:00 America/New_York', '2026-01-20 09:00 America/New_York', 0),
	('over observed Independence Day', '2026-07-02 09:00 America/New_York', '2026-07-06 09:00 America/New_York', 1),
	('over New Year 2022 observed Dec 31', '2021-12-30 09:00 America/New_York', '2022-01-03 09:00 America/New_York', 1),
	('late evening Eastern is still Friday', '2026-01-02 23:30 America/New_York', '2026-01-05 10:00 America/New_York', 1),
	('finish before start is negative', '2026-01-05 09:00 America/New_York', '2026-01-02 09:00 America/New_York', -1),
	('finish before start, same day', '2026-01-05 12:00 America/New_York', '2026-01-05 09:00 America/New_York', 0),
	('a full 2026', '2026-01-01 09:00 America/New_York', '2027-01-01 09:00 America/New_York', 250),
	('over spring DST change', '2026-03-06 23:30 America/New_York', '2026-03-09 00:30 America/New_York', 1)
) v(label, s, f, expected);
SELECT label, cx.add_business_days(s::timestamptz, n) AS due, expected::timestamptz,
	   cx.add_business_days(s::timestamptz, n) = expected::timestamptz AS ok
FROM (VALUES
	('0 days: end of receipt day', '2026-01-02 09:00 America/New_York', 0, '2026-01-02 23:59:59.999999 America/New_York'),
	('0 days from Saturday: Monday', '2026-01-03 09:00 America/New_York', 0, '2026-01-05 23:59:59.999999 America/New_York'),
	('1 day from Friday', '2026-01-02 09:00 America/New_York', 1, '2026-01-05 23:59:59.999999 America/New_York'),
	('1 day from Thursday before Jul 3', '2026-07-02 09:00 America/New_York', 1, '2026-07-06 23:59:59.999999 America/New_York'),
	('-1 day from Monday', '2026-07-06 09:00 America/New_York', -1, '2026-07-02 23:59:59.999999 America/New_York'),
	('1 day over spring DST', '2026-03-06 12:00 America/New_York', 1, '2026-03-09 23:59:59.999999 America/New_York'),
	('30 business days', '2026-01-02 09:00 America/New_York', 30, '2026-02-17 23:59:59.999999 America/New_York')
) v(label, s, n, expected);
RESET timezone;

-- due_at: elapsed units add exactly; business days equal add_business_days
SELECT cx.due_at('2026-03-07 12:00+00', 'within 3 hours') = timestamptz '2026-03-07 15:00+00' AS hours,
	   cx.due_at('2026-03-07 12:00+00', '90% within 20 minutes') = timestamptz '2026-03-07 12:20+00' AS minutes,
	   cx.due_at('2026-03-07 12:00+00', 'within 2 days') = timestamptz '2026-03-09 12:00+00' AS days_are_48_hours,
	   cx.due_at('2026-03-07 12:00+00', 'within 1 week') = timestamptz '2026-03-14 12:00+00' AS week,
	   cx.due_at('2026-03-07 12:00+00', 'within 45 seconds') = timestamptz '2026-03-07 12:00:45+00' AS seconds,
	   cx.due_at('2026-03-07 12:00+00', '90% within 30 business days') = cx.add_business_days('2026-03-07 12:00+00', 30) AS business;

-- other calendars: a 7-day operation on Pacific time, a Friday-Saturday
-- weekend, a federal calendar with a 5 p.m. receipt cut-off
INSERT INTO cx.calendars (name, time_zone, weekend, federal_holidays, description)
VALUES ('ops_24x7', 'America/Los_Angeles', '{}', false, 'every day'),
	   ('fri_sat', 'Asia/Dubai', '{5,6}', false, NULL);
INSERT INTO cx.calendars (name, time_zone, federal_holidays, cutoff)
VALUES ('federal_5pm', 'America/New_York', true, '17:00');
SELECT cx.business_days('2026-01-02 12:00-08', '2026-01-05 12:00-08', 'ops_24x7') AS seven_day_fri_mon,
	   cx.business_days('2026-01-01 12:00-08', '2026-01-02 12:00-08', 'ops_24x7') AS seven_day_new_year,
	   cx.business_days('2026-01-01 12:00+04', '2026-01-04 12:00+04', 'fri_sat') AS thu_to_sun,
	   cx.is_business_day('2026-01-02', 'fri_sat') AS friday_closed, cx.is_business_day('2026-01-04', 'fri_sat') AS sunday_open;
SET timezone = 'UTC';
SELECT cx.business_days('2026-01-02 17:30 America/New_York', '2026-01-05 09:00 America/New_York', 'federal_5pm') AS after_cutoff_fri_to_mon,
	   cx.business_days('2026-01-02 16:59 America/New_York', '2026-01-05 09:00 America/New_York', 'federal_5pm') AS before_cutoff_fri_to_mon,
	   cx.business_days('2026-01-02 17:30 America/New_York', '2026-01-02 18:00 America/New_York', 'federal_5pm') AS after_cutoff_same_evening,
	   cx.business_days('2026-01-02 17:30 America/New_York', '2026-01-06 09:00 America/New_York', 'federal_5pm') AS after_cutoff_fri_to_tue,
	   cx.add_business_days('2026-01-02 17:30 America/New_York', 0, 'federal_5pm') = '2026-01-05 23:59:59.999999 America/New_York' AS due_0_is_monday,
	   cx.add_business_days('2026-01-02 16:30 America/New_York', 0, 'federal_5pm') = '2026-01-02 23:59:59.999999 America/New_York' AS due_0_before_cutoff;
RESET timezone;

-- user closures change results at once (cache invalidation), in this session
SELECT cx.business_days(date '2026-01-02', date '2026-01-07') AS before_closure;
INSERT INTO cx.holidays (calendar, day, name) VALUES ('us_federal', '2026-01-05', 'snow day'),
	('us_federal', '2026-01-03', 'a Saturday: no effect'), ('us_federal', '2026-01-19', 'already MLK Day');
SELECT cx.business_days(date '2026-01-02', date '2026-01-07') AS with_closure,
	   cx.is_business_day('2026-01-05') AS snow_day_open,
	   cx.add_business_days(date '2026-01-02', 1) AS next_after_friday;
SELECT * FROM cx.calendar_closures('us_federal', '2026-01-01', '2026-02-28');
-- the listed closures are exactly the weekdays the C calendar treats as closed
SELECT array_agg(d::date ORDER BY d) = (SELECT array_agg(day ORDER BY day) FROM cx.calendar_closures('us_federal', '2021-06-01', '2028-06-30'))
	   AS closures_match_is_business_day
FROM generate_series(date '2021-06-01', date '2028-06-30', interval '1 day') d
WHERE extract(isodow FROM d) < 6 AND NOT cx.is_business_day(d::date);
BEGIN;
DELETE FROM cx.holidays WHERE day = '2026-01-05';
SELECT cx.business_days(date '2026-01-02', date '2026-01-07') AS deleted_in_transaction;
ROLLBACK;
SELECT cx.business_days(date '2026-01-02', date '2026-01-07') AS after_rollback;
UPDATE cx.calendars SET weekend = '{7}' WHERE name = 'fri_sat';
SELECT cx.is_business_day('2026-01-02', 'fri_sat') AS friday_open_now;
DELETE FROM cx.holidays;
SELECT cx.business_days(date '2026-01-02', date '2026-01-07') AS closures_removed;

-- parallel workers read the calendars too (a user calendar with a cut-off)
INSERT INTO cx.calendars (name, time_zone, federal_holidays, cutoff) VALUES ('par_cal', 'America/Chicago', true, '16:00');
INSERT INTO cx.holidays (calendar, day) VALUES ('par_cal', '2026-03-03');
CREATE TABLE cal_par AS
SELECT timestamptz '2026-01-01 00:00+00' + (i * 7919 % 300000) * interval '1 minute' AS s,
	   timestamptz '2026-01-01 00:00+00' + (i * 7919 % 300000 + i % 50000) * interval '1 minute' AS f
FROM generate_series(1, 100000) i;
ANALYZE cal_par;
SET max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE cal_serial AS
SELECT sum(cx.business_days(s, f, 'par_cal')) AS bd, max(cx.add_business_days(s, 7, 'par_cal')) AS due,
	   sum(cx.business_days(s, f)) AS bd_fed FROM cal_par;
SET max_parallel_workers_per_gather = 2; SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
EXPLAIN (COSTS OFF) SELECT sum(cx.business_days(s, f, 'par_cal')) FROM cal_par;
SELECT (SELECT sum(cx.business_days(s, f, 'par_cal')) FROM cal_par) = bd AS parallel_business_days,
	   (SELECT max(cx.add_business_days(s, 7, 'par_cal')) FROM cal_par) = due AS parallel_add
FROM cal_serial;
RESET max_parallel_workers_per_gather; RESET parallel_setup_cost; RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
DROP TABLE cal_par;
DELETE FROM cx.calendars WHERE name = 'par_cal';

-- bad input: clear errors
SELECT cx.business_days(now(), now(), 'no_such_calendar');
SELECT cx.business_days('infinity'::timestamptz, now());
SELECT cx.add_business_days('-infinity'::timestamptz, 1);
SELECT cx.business_days('infinity'::date, current_date);
SELECT cx.add_business_days(date '2026-01-02', 2147483647);
SELECT cx.us_federal_holidays(0);
INSERT INTO cx.calendars (name, time_zone) VALUES ('mars', 'Mars/Olympus_Mons');
INSERT INTO cx.calendars (name, weekend) VALUES ('never', '{1,2,3,4,5,6,7}');
INSERT INTO cx.calendars (name, weekend) VALUES ('eighth', '{8}');
INSERT INTO cx.calendars (name, cutoff) VALUES ('midnight', '00:00');
INSERT INTO cx.holidays (calendar, day) VALUES ('no_such_calendar', '2026-01-05');
UPDATE cx.calendars SET time_zone = 'UTC' WHERE name = 'us_federal';
DELETE FROM cx.calendars WHERE name = 'us_federal';
TRUNCATE cx.calendars CASCADE;
SELECT name, time_zone, weekend, federal_holidays, cutoff FROM cx.calendars ORDER BY name;
DELETE FROM cx.calendars WHERE name <> 'us_federal';

-- no search_path hijack: functions and triggers work with a hostile path
CREATE SCHEMA hijack;
CREATE FUNCTION hijack.unnest(anyarray) RETURNS SETOF anyelement LANGUAGE sql AS 'SELECT 1/0';
CREATE FUNCTION hijack.texteq(text, text) RETURNS boolean LANGUAGE sql AS 'SELECT 1/0 = 1';
CREATE OPERATOR hijack.= (LEFTARG = text, RIGHTARG = text, FUNCTION = hijack.texteq);
CREATE FUNCTION hijack.date_mi(date, date) RETURNS integer LANGUAGE sql AS 'SELECT 1/0';
CREATE OPERATOR hijack.- (LEFTARG = date, RIGHTARG = date, FUNCTION = hijack.date_mi);
SET search_path = hijack, pg_catalog, public;
INSERT INTO cx.calendars (name) VALUES ('hijack_test');
SELECT cx.business_days(date '2026-01-02', date '2026-01-07', 'hijack_test') AS safe_count;
RESET search_path;
DELETE FROM cx.calendars WHERE name = 'hijack_test';
DROP SCHEMA hijack CASCADE;

-- due times of consecutive items (the per-day memo) equal add_business_days,
-- every 7 minutes over a daylight-saving change and at each local midnight
-- and one microsecond either side of it
SELECT count(*) AS items,
	   count(*) FILTER (WHERE cx.due_at(ts, '90% within 5 business days') IS DISTINCT FROM cx.add_business_days(ts, 5)) AS differ
FROM generate_series(timestamptz '2026-03-06 00:00+00', timestamptz '2026-03-10 00:00+00', interval '7 minutes') ts;
SELECT count(*) AS items,
	   count(*) FILTER (WHERE cx.due_at(ts, '90% within 5 business days') IS DISTINCT FROM cx.add_business_days(ts, 5)) AS differ
FROM generate_series(date '2026-03-05', date '2026-03-12', interval '1 day') d,
	 (VALUES (-1), (0), (1)) o(us),
	 LATERAL (SELECT (d::timestamp AT TIME ZONE 'America/New_York') + o.us * interval '1 microsecond' AS ts) x;

-- leave the database as found, for the tests that follow
DROP EXTENSION cx_metrics CASCADE;
