-- Tracking as agencies run it: a standard per row (a column, or a lookup
-- table), clock pauses, several clocks on one table.  Every expectation is
-- computed independently in SQL from cx.due_at / cx.business_days.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS cx_metrics;
\set SHOW_CONTEXT never

-- ---- a standard per row, from a lookup table
CREATE TABLE clk_std (line text PRIMARY KEY, standard cx.standard, calendar text);
INSERT INTO clk_std VALUES ('foia', '90% within 20 business days', NULL),
	('claims', '90% within 30 business days', NULL),
	('hotline', '95% within 48 hours', NULL),
	('blank', NULL, NULL);
CREATE TABLE clk_apps (id int PRIMARY KEY, line text, received_at timestamptz, decided_at timestamptz,
					   cx_status text);
INSERT INTO clk_apps VALUES (1, 'foia', '2026-01-05 10:00+00', '2026-01-20 10:00+00'),
	(2, 'claims', '2026-01-05 10:00+00', NULL),
	(3, 'unknown', '2026-01-05 10:00+00', NULL),
	(4, NULL, '2026-01-05 10:00+00', NULL),
	(5, 'blank', '2026-01-05 10:00+00', NULL);
-- no default standard: rows without an entry get no status
SELECT cx.track('clk_apps', NULL, started => 'received_at', finished => 'decided_at', status => 'cx_status',
				lookup => 'clk_std', by => 'line');
-- the independent reference: the entry's standard (or the default), its due time and status now
CREATE FUNCTION clk_ref(r clk_apps, dflt cx.standard) RETURNS text LANGUAGE sql AS $$
	SELECT CASE WHEN s IS NULL THEN 'none'
				ELSE format('%s|%s|%s', s, d,
							CASE WHEN r.decided_at IS NOT NULL THEN CASE WHEN r.decided_at <= d THEN 'met' ELSE 'missed' END
								 WHEN now() > d THEN 'breached'
								 WHEN now() > cx.at_risk_time(r.received_at, d, 0.8) THEN 'at_risk' ELSE 'on_track' END) END
	FROM (SELECT COALESCE((SELECT e.standard FROM clk_std e WHERE e.line = r.line), dflt) AS s) x,
		 LATERAL (SELECT cx.due_at(r.received_at, x.s, 'us_federal') AS d) y
$$;
SELECT id, line, cx_standard::text, cx_status,
	   CASE WHEN cx_standard IS NULL THEN 'none' ELSE format('%s|%s|%s', cx_standard, cx_due, cx_status) END = clk_ref(a, NULL) AS ok
FROM clk_apps a ORDER BY id;
-- the log records the standard that judged the event
SELECT key, clock, standard::text, new_status FROM cx.breach_log WHERE tbl = 'public.clk_apps' ORDER BY key, id;

-- a change of an entry: rows already started keep their standard, also when
-- written again; new rows get the new one (in this session and others)
UPDATE clk_std SET standard = '90% within 25 business days' WHERE line = 'foia';
UPDATE clk_apps SET decided_at = '2026-02-10 10:00+00' WHERE id = 1;
INSERT INTO clk_apps VALUES (6, 'foia', '2026-01-05 10:00+00', '2026-02-10 10:00+00');
SELECT id, cx_standard::text, cx_due = cx.due_at(received_at, cx_standard, 'us_federal') AS due_ok, cx_status
FROM clk_apps WHERE id IN (1, 6) ORDER BY id;
-- re-judging a row is asking for its standard again: set the column to NULL
UPDATE clk_apps SET cx_standard = NULL WHERE id = 1;
SELECT id, cx_standard::text, cx_status FROM clk_apps WHERE id = 1;
-- a change of the looked-up value chooses again
UPDATE clk_apps SET line = 'hotline' WHERE id = 2;
SELECT id, cx_standard::text, format('%s|%s|%s', cx_standard, cx_due, cx_status) = clk_ref(a, NULL) AS ok
FROM clk_apps a WHERE id = 2;
-- an explicit standard written into the column is kept
UPDATE clk_apps SET cx_standard = '50% within 1 weeks' WHERE id = 3;
SELECT id, cx_standard::text, cx_due = cx.due_at(received_at, '50% within 1 weeks', 'us_federal') AS due_ok, cx_status
FROM clk_apps WHERE id = 3;
-- the cohort review groups rows by the standard that judges them
SELECT cohort, grp, standard, rows, met, missed, open, verdict FROM cx.cohorts('clk_apps', 'month', 'line');

-- an entry's calendar decides the due time of its rows
INSERT INTO cx.calendars (name, weekend, federal_holidays, time_zone) VALUES ('clk_7day', '{}', false, 'UTC');
INSERT INTO clk_std VALUES ('weekend', '90% within 5 business days', 'clk_7day');
INSERT INTO clk_apps VALUES (7, 'weekend', '2026-01-09 10:00+00', NULL);
SELECT cx_due = cx.due_at('2026-01-09 10:00+00', '90% within 5 business days', 'clk_7day') AS due_ok,
	   cx_due <> cx.due_at('2026-01-09 10:00+00', '90% within 5 business days', 'us_federal') AS not_federal
FROM clk_apps WHERE id = 7;

-- bad lookups are refused before anything changes
CREATE TABLE clk_nokey (line text, standard cx.standard);
CREATE TABLE clk_nostd (line text PRIMARY KEY, std text);
CREATE TABLE clk_intkey (line int PRIMARY KEY, standard cx.standard);
CREATE TABLE clk_other (id int PRIMARY KEY, line text, s timestamptz, f timestamptz, st text);
\set VERBOSITY default
SELECT cx.track('clk_other', NULL, started => 's', finished => 'f', status => 'st', lookup => 'clk_nokey', by => 'line');
SELECT cx.track('clk_other', NULL, started => 's', finished => 'f', status => 'st', lookup => 'clk_nostd', by => 'line');
SELECT cx.track('clk_other', NULL, started => 's', finished => 'f', status => 'st', lookup => 'clk_intkey', by => 'line');
SELECT cx.track('clk_other', NULL, started => 's', finished => 'f', status => 'st', lookup => 'clk_std');
SELECT cx.track('clk_other', NULL, started => 's', finished => 'f', status => 'st');
INSERT INTO clk_std VALUES ('bad', '90% within 5 business days', 'no_such_calendar');
SELECT cx.track('clk_other', NULL, started => 's', finished => 'f', status => 'st', lookup => 'clk_std', by => 'line');
DELETE FROM clk_std WHERE line = 'bad';
-- two entries for one value (the unique index dropped behind the tracking's back)
CREATE TABLE clk_dup (line text PRIMARY KEY, standard cx.standard);
INSERT INTO clk_dup VALUES ('a', 'within 1 day');
SELECT cx.track('clk_other', NULL, started => 's', finished => 'f', status => 'st', lookup => 'clk_dup', by => 'line');
ALTER TABLE clk_dup DROP CONSTRAINT clk_dup_pkey;
INSERT INTO clk_dup VALUES ('a', 'within 2 days');
INSERT INTO clk_other VALUES (1, 'a', now(), NULL);
\set VERBOSITY terse

-- a dropped lookup table: rows keep their standards, new rows get the default
SELECT cx.untrack('clk_other');
CREATE TABLE clk_gone (line text PRIMARY KEY, standard cx.standard);
INSERT INTO clk_gone VALUES ('a', 'within 1 day');
SELECT cx.track('clk_other', 'within 3 days', started => 's', finished => 'f', status => 'st', lookup => 'clk_gone', by => 'line');
INSERT INTO clk_other VALUES (1, 'a', '2026-01-05 10:00+00', NULL);
DROP TABLE clk_gone;
SELECT lookup, by, standard_column FROM cx.tracked WHERE tbl = 'clk_other'::regclass;
INSERT INTO clk_other VALUES (2, 'a', '2026-01-05 10:00+00', NULL);
UPDATE clk_other SET f = '2026-01-06 10:00+00' WHERE id = 1;
SELECT id, cx_standard::text, cx_due = cx.due_at(s, cx_standard, 'us_federal') AS due_ok FROM clk_other ORDER BY id;

-- a standard column the user keeps (no lookup): a row without one gets the default
CREATE TABLE clk_own (id int PRIMARY KEY, s timestamptz, f timestamptz, st text, promise cx.standard);
INSERT INTO clk_own VALUES (1, '2026-01-05 10:00+00', NULL, NULL, 'within 2 days'), (2, '2026-01-05 10:00+00', NULL, NULL, NULL);
SELECT cx.track('clk_own', 'within 9 days', started => 's', finished => 'f', status => 'st', standard_column => 'promise');
SELECT id, promise::text, cx_due = cx.due_at(s, COALESCE(promise, 'within 9 days'), 'us_federal') AS due_ok FROM clk_own ORDER BY id;

-- ---- clock pauses
CREATE TYPE clk_state AS ENUM ('on_track', 'at_risk', 'breached', 'met', 'missed', 'paused');
CREATE TABLE clk_foia (id int PRIMARY KEY, received_at timestamptz, closed_at timestamptz,
					   tolled_since timestamptz, cx_status clk_state);
SELECT cx.track('clk_foia', '90% within 20 business days', started => 'received_at', finished => 'closed_at',
				status => 'cx_status', paused => 'tolled_since');
SELECT paused, paused_for FROM cx.tracked WHERE tbl = 'clk_foia'::regclass;
-- an open row paused: status paused, never breached while paused
INSERT INTO clk_foia VALUES (1, '2026-01-05 10:00+00', NULL, '2026-01-07 15:00+00'),
	(2, '2026-01-05 10:00+00', NULL, NULL),
	(3, '2026-01-05 10:00+00', NULL, '2025-12-01 10:00+00');
SELECT id, cx_status, cx_paused FROM clk_foia ORDER BY id;
-- finishing while paused ends the pause at the finish: the business days
-- paused push the due time out (pause before the start counts from the start)
UPDATE clk_foia SET closed_at = '2026-02-10 12:00+00' WHERE id IN (1, 3);
SELECT id, cx_paused, cx_status,
	   cx_paused = make_interval(days => cx.business_days(GREATEST(tolled_since, received_at), closed_at, 'us_federal')) AS paused_ok,
	   cx_due = cx.due_at(received_at, format('90%% within %s business days',
											  20 + cx.business_days(GREATEST(tolled_since, received_at), closed_at, 'us_federal'))::cx.standard,
						  'us_federal') AS due_ok
FROM clk_foia WHERE id IN (1, 3) ORDER BY id;
-- pausing a finished row changes nothing; resuming a row never paused neither
UPDATE clk_foia SET tolled_since = '2026-03-01 10:00+00' WHERE id = 1;
UPDATE clk_foia SET tolled_since = NULL WHERE id = 2;
SELECT id, cx_status, cx_paused FROM clk_foia WHERE id IN (1, 2) ORDER BY id;
-- pause and resume (now): the paused time is the business days from the
-- pause to the resume; several pauses add up; the log has both events
INSERT INTO clk_foia VALUES (4, now() - interval '3 days', NULL, NULL);
UPDATE clk_foia SET tolled_since = now() - interval '2 days' WHERE id = 4;
SELECT cx_status FROM clk_foia WHERE id = 4;
SELECT now() AS t_resume \gset
UPDATE clk_foia SET tolled_since = NULL WHERE id = 4;
SELECT cx_paused = make_interval(days => cx.business_days(now() - interval '2 days', :'t_resume', 'us_federal')) AS paused_ok
FROM clk_foia WHERE id = 4;
SELECT cx_paused AS first_pause FROM clk_foia WHERE id = 4 \gset
UPDATE clk_foia SET tolled_since = now() - interval '1 day' WHERE id = 4;
UPDATE clk_foia SET tolled_since = NULL WHERE id = 4;
SELECT cx_paused = :'first_pause'::interval + make_interval(days => cx.business_days(now() - interval '1 day', now(), 'us_federal')) AS sums_ok,
	   cx_due = cx.due_at(received_at, format('90%% within %s business days', 20 + extract(day FROM cx_paused))::cx.standard, 'us_federal') AS due_ok
FROM clk_foia WHERE id = 4;
SELECT key, old_status, new_status FROM cx.breach_log WHERE tbl = 'public.clk_foia' ORDER BY id;
-- an elapsed standard pauses by elapsed time
CREATE TABLE clk_calls (id int PRIMARY KEY, opened timestamptz, closed timestamptz, hold timestamptz, state text);
SELECT cx.track('clk_calls', '95% within 48 hours', started => 'opened', finished => 'closed', status => 'state',
				paused => 'hold', paused_for => 'held');
INSERT INTO clk_calls VALUES (1, '2026-01-05 10:00+00', NULL, '2026-01-05 20:00+00');
UPDATE clk_calls SET closed = '2026-01-08 10:00+00' WHERE id = 1;
SELECT held, cx_due = '2026-01-07 10:00+00'::timestamptz + (closed - hold) AS due_ok, state FROM clk_calls;
-- the cohort review counts a paused row as open, never as breached
INSERT INTO clk_calls VALUES (2, '2026-01-05 10:00+00', NULL, '2026-01-06 10:00+00');
SELECT cohort, rows, met, missed, open, open_breached, verdict FROM cx.cohorts('clk_calls', 'month', as_of => '2026-01-20 00:00+00');
-- a sweep never flips a paused row
SELECT flipped FROM cx.sweep('clk_calls', since => '-infinity');
SELECT id, state FROM clk_calls ORDER BY id;
-- an enum status column without the label paused is refused for a pausable clock
CREATE TYPE clk_nopause AS ENUM ('on_track', 'at_risk', 'breached', 'met', 'missed');
CREATE TABLE clk_np (id int PRIMARY KEY, s timestamptz, f timestamptz, p timestamptz, st clk_nopause);
\set VERBOSITY default
SELECT cx.track('clk_np', 'within 1 day', started => 's', finished => 'f', status => 'st', paused => 'p');
SELECT cx.track('clk_np', 'within 1 day', started => 's', finished => 'f', status => 'st', paused_for => 'p');
\set VERBOSITY terse

-- ---- several clocks on one table
CREATE TABLE clk_req (id int PRIMARY KEY, received_at timestamptz, acknowledged_at timestamptz,
					  decided_at timestamptz, ack_status text, cx_status text);
INSERT INTO clk_req VALUES (1, '2026-01-05 10:00+00', '2026-01-06 10:00+00', NULL),
	(2, '2026-01-05 10:00+00', NULL, '2026-01-20 10:00+00');
SELECT cx.track('clk_req', '90% within 30 business days', started => 'received_at', finished => 'decided_at',
				status => 'cx_status', clock => 'decide');
SELECT cx.track('clk_req', '90% within 2 business days', started => 'received_at', finished => 'acknowledged_at',
				status => 'ack_status', clock => 'acknowledge');
SELECT clock, status, due FROM cx.tracked WHERE tbl = 'clk_req'::regclass ORDER BY clock;
-- one trigger does every clock
SELECT tgname FROM pg_trigger WHERE tgrelid = 'clk_req'::regclass ORDER BY tgname;
SELECT id, ack_status, cx_acknowledge_due = cx.due_at(received_at, '90% within 2 business days', 'us_federal') AS ack_due_ok,
	   cx_status, cx_decide_due = cx.due_at(received_at, '90% within 30 business days', 'us_federal') AS decide_due_ok
FROM clk_req ORDER BY id;
SELECT key, clock, standard::text, new_status FROM cx.breach_log WHERE tbl = 'public.clk_req' ORDER BY key, clock;
-- a clock's columns are its own
\set VERBOSITY default
SELECT cx.track('clk_req', 'within 1 day', started => 'received_at', finished => 'decided_at', status => 'ack_status', clock => 'third');
ALTER TABLE clk_req ADD COLUMN st3 text;
SELECT cx.track('clk_req', 'within 1 day', started => 'cx_decide_due', finished => 'decided_at', status => 'st3', clock => 'third');
SELECT cx.track('clk_req', 'within 1 day', started => 'received_at', finished => 'decided_at', status => 'cx_status', clock => 'decide');
SELECT cx.track('clk_req', 'within 1 day', started => 'received_at', finished => 'decided_at', status => 'cx_status', clock => '');
SELECT * FROM cx.cohorts('clk_req');
\set VERBOSITY terse
SELECT cohort, standard, rows, met, missed, open FROM cx.cohorts('clk_req', 'month', clock => 'acknowledge');
-- the sweep does each clock, with a mark of its own
SELECT tracked::text, clock, flipped FROM cx.sweep('clk_req', since => '-infinity') ORDER BY clock;
SELECT clock, swept_to IS NOT NULL AS marked FROM cx.tracked WHERE tbl = 'clk_req'::regclass ORDER BY clock;
-- untracking one clock leaves the others
SELECT cx.untrack('clk_req', 'acknowledge');
SELECT clock FROM cx.tracked WHERE tbl = 'clk_req'::regclass;
SELECT attname FROM pg_attribute WHERE attrelid = 'clk_req'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum;
SELECT tgname FROM pg_trigger WHERE tgrelid = 'clk_req'::regclass ORDER BY tgname;
INSERT INTO clk_req VALUES (3, '2026-01-05 10:00+00', NULL, NULL);
SELECT id, ack_status, cx_status FROM clk_req WHERE id = 3;
SELECT cx.untrack('clk_req', 'acknowledge');
SELECT cx.untrack('clk_req');
SELECT count(*) AS triggers FROM pg_trigger WHERE tgrelid = 'clk_req'::regclass;

-- untracking a lookup clock removes the lookup table's trigger with the last user
SELECT tgname FROM pg_trigger WHERE tgrelid = 'clk_std'::regclass;
SELECT cx.untrack('clk_apps');
SELECT count(*) AS lookup_triggers FROM pg_trigger WHERE tgrelid = 'clk_std'::regclass;
SELECT count(*) AS added_columns FROM pg_attribute WHERE attrelid = 'clk_apps'::regclass AND attname IN ('cx_due', 'cx_standard') AND NOT attisdropped;

DROP FUNCTION clk_ref;
DROP TABLE clk_apps, clk_std, clk_nokey, clk_nostd, clk_intkey, clk_dup, clk_other, clk_own, clk_foia, clk_calls, clk_np, clk_req;
DROP TYPE clk_state, clk_nopause;
DELETE FROM cx.calendars WHERE name = 'clk_7day';
DELETE FROM cx.breach_log;

-- ---- lookups that change behind the tracking's back, or are not the owner's
CREATE TABLE clk_lk (line text PRIMARY KEY, standard cx.standard, calendar text);
INSERT INTO clk_lk VALUES ('a', '90% within 5 business days', NULL);
CREATE TABLE clk_lt (id int PRIMARY KEY, line text, s timestamptz, f timestamptz, st text, p timestamptz);
SELECT cx.track('clk_lt', 'within 10 days', started => 's', finished => 'f', status => 'st', lookup => 'clk_lk', by => 'line',
				paused => 'p');
-- the lookup's standard column retyped: a clear error, never a standard read from other bytes
ALTER TABLE clk_lk ALTER COLUMN standard TYPE bigint USING 1234567;
INSERT INTO clk_lt VALUES (1, 'a', '2026-01-05 10:00+00');
ALTER TABLE clk_lk ALTER COLUMN standard TYPE text USING '90% within 5 business days';
INSERT INTO clk_lt VALUES (1, 'a', '2026-01-05 10:00+00');
ALTER TABLE clk_lk ALTER COLUMN standard TYPE cx.standard USING standard::cx.standard;
ALTER TABLE clk_lk ALTER COLUMN calendar TYPE varchar;
INSERT INTO clk_lt VALUES (1, 'a', '2026-01-05 10:00+00');
ALTER TABLE clk_lk ALTER COLUMN calendar TYPE text;
INSERT INTO clk_lt VALUES (1, 'a', '2026-01-05 10:00+00');
SELECT id, cx_standard::text FROM clk_lt;
-- a paused time too large for the due time is an error, not a wrap-around
UPDATE clk_lt SET cx_paused = make_interval(days => 213503983) WHERE id = 1;
UPDATE clk_lt SET cx_paused = make_interval(days => 2147483647) WHERE id = 1;
UPDATE clk_lt SET cx_standard = 'within 4 hours', cx_paused = make_interval(days => 106751992) WHERE id = 1;
UPDATE clk_lt SET cx_standard = 'within 4 hours', cx_paused = make_interval(days => 213503983) WHERE id = 1;
-- a lookup table that is itself tracked: its changes reach this session at once
ALTER TABLE clk_lk ADD COLUMN ls timestamptz, ADD COLUMN lf timestamptz, ADD COLUMN lst text;
SELECT cx.track('clk_lk', 'within 1 day', started => 'ls', finished => 'lf', status => 'lst');
INSERT INTO clk_lt VALUES (2, 'a', '2026-01-05 10:00+00');
UPDATE clk_lk SET standard = '90% within 7 business days' WHERE line = 'a';
INSERT INTO clk_lt VALUES (3, 'a', '2026-01-05 10:00+00');
SELECT id, cx_standard::text FROM clk_lt ORDER BY id;
SELECT cx.untrack('clk_lk');
-- temporary lookups, and lookups of another role, are refused
CREATE TABLE clk_o2 (id int PRIMARY KEY, line text, s timestamptz, f timestamptz, st text);
CREATE TEMP TABLE clk_tmp (line text PRIMARY KEY, standard cx.standard);
SELECT cx.track('clk_o2', 'within 1 day', started => 's', finished => 'f', status => 'st', lookup => 'pg_temp.clk_tmp', by => 'line', clock => 'tmp');
CREATE ROLE clk_mallory;
CREATE TABLE clk_theirs (line text PRIMARY KEY, standard cx.standard, calendar text);
ALTER TABLE clk_theirs OWNER TO clk_mallory;
CREATE ROLE clk_bob;
ALTER TABLE clk_o2 OWNER TO clk_bob;
GRANT SELECT, TRIGGER ON clk_theirs TO clk_bob;
SET ROLE clk_bob;
SELECT cx.track('clk_o2', 'within 1 day', started => 's', finished => 'f', status => 'st', lookup => 'clk_theirs', by => 'line');
RESET ROLE;
-- a lookup of a table that became a partition: dropping the lookup still works
CREATE TABLE clk_pl (id int, line text, s timestamptz, f timestamptz, st text);
CREATE TABLE clk_plk (line text PRIMARY KEY, standard cx.standard);
SELECT cx.track('clk_pl', 'within 1 day', started => 's', finished => 'f', status => 'st', lookup => 'clk_plk', by => 'line', key => 'id');
CREATE TABLE clk_parent (id int, line text, s timestamptz, f timestamptz, st text, cx_due timestamptz, cx_standard cx.standard)
	PARTITION BY RANGE (id);
ALTER TABLE clk_parent ATTACH PARTITION clk_pl FOR VALUES FROM (0) TO (100);
DROP TABLE clk_plk;
SELECT lookup IS NULL AS lookup_forgotten FROM cx.tracked WHERE tbl = 'clk_pl'::regclass;
DROP TABLE clk_parent;
DROP TABLE clk_lt, clk_lk, clk_tmp, clk_theirs, clk_o2;
DROP ROLE clk_mallory, clk_bob;
DELETE FROM cx.breach_log;

-- ---- one definition of a status: the sweep's window (SQL) is the set of
-- open rows whose status by cx.status_at (the trigger's rule) changes
-- between the window's ends, on generated rows judged at its start
CREATE TABLE clk_win AS
SELECT g AS id, s, s + make_interval(mins => ((g * 7919) % 4000) - 200) AS d, NULL::timestamptz AS f
FROM generate_series(1, 3000) g,
	 LATERAL (SELECT '2026-01-05 00:00+00'::timestamptz + make_interval(mins => (g * 104729) % 5000) AS s) x;
ALTER TABLE clk_win ADD COLUMN st text;
UPDATE clk_win SET st = cx.status_at(s, d, f, '2026-01-06 00:00+00', at_risk => 0.8);
CREATE FUNCTION clk_window(lo timestamptz, hi timestamptz) RETURNS int[] LANGUAGE plpgsql AS $$
DECLARE
	r int[];
BEGIN
	EXECUTE format('SELECT array_agg(id ORDER BY id) FROM clk_win WHERE %s', cx._track_sweep_window('s', 'f', 'st', 'd', 0.8))
		INTO r USING lo, hi;
	RETURN r;
END
$$;
SELECT cardinality(w) AS in_window,
	   w = (SELECT array_agg(id ORDER BY id) FROM clk_win
			WHERE st IN ('on_track', 'at_risk')
			  AND cx.status_at(s, d, f, '2026-01-07 00:00+00', at_risk => 0.8) <> cx.status_at(s, d, f, '2026-01-06 00:00+00', at_risk => 0.8)) AS same_rows
FROM clk_window('2026-01-06 00:00+00', '2026-01-07 00:00+00') w;
-- cx.status_at against the rule written out, at many instants
SELECT count(*) AS checked,
	   count(*) FILTER (WHERE cx.status_at(s, d, f2, t, p, 0.8) IS DISTINCT FROM
			CASE WHEN f2 IS NOT NULL AND f2 <= t THEN CASE WHEN f2 <= d THEN 'met' ELSE 'missed' END
				 WHEN p IS NOT NULL AND p <= t THEN 'paused'
				 WHEN t > d THEN 'breached'
				 WHEN t > cx.at_risk_time(s, d, 0.8) THEN 'at_risk' ELSE 'on_track' END) AS wrong
FROM clk_win,
	 LATERAL (SELECT CASE WHEN id % 3 = 0 THEN s + make_interval(mins => id % 3000) END AS f2,
					 CASE WHEN id % 5 = 0 THEN s + make_interval(mins => id % 700) END AS p) y,
	 LATERAL (SELECT '2026-01-05 00:00+00'::timestamptz + make_interval(hours => h) AS t FROM generate_series(0, 120, 7) h) z;
DROP TABLE clk_win;
DROP FUNCTION clk_window;
