-- Tracking tables against a service standard: statuses, transitions, the
-- breach log, the sweep, low scores, bad arguments, untrack.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS cx_metrics;
\set SHOW_CONTEXT never

CREATE TABLE trk_apps (
	id bigserial PRIMARY KEY,
	received_at timestamptz,
	decided_at timestamptz,
	cx_status text,
	note text
);
-- rows present before tracking are backfilled by cx.track
INSERT INTO trk_apps (id, received_at, decided_at) VALUES
	(1, now() - interval '1 day', NULL),					-- on_track
	(2, now() - interval '9 days', NULL),					-- at_risk (past 8 of 10 days)
	(3, now() - interval '12 days', NULL),					-- breached
	(4, now() - interval '12 days', now() - interval '5 days'),	-- met
	(5, now() - interval '12 days', now() - interval '1 day'),	-- missed
	(6, NULL, NULL);										-- not started: no status
SELECT setval('trk_apps_id_seq', 100);

SELECT cx.track('trk_apps', 'within 10 days', started => 'received_at',
				finished => 'decided_at', status => 'cx_status');

-- the independent reference: status from the stored due time, in plain SQL
CREATE FUNCTION trk_expected(r trk_apps, f float8 DEFAULT 0.8) RETURNS text LANGUAGE sql AS $$
	SELECT CASE
		WHEN r.received_at IS NULL THEN NULL
		WHEN r.decided_at IS NOT NULL THEN CASE WHEN r.decided_at <= r.cx_due THEN 'met' ELSE 'missed' END
		WHEN statement_timestamp() > r.cx_due THEN 'breached'
		WHEN extract(epoch FROM statement_timestamp()) >
			 extract(epoch FROM r.received_at) + f * extract(epoch FROM r.cx_due - r.received_at) THEN 'at_risk'
		ELSE 'on_track' END
$$;

SELECT id, cx_status,
	   cx_status IS NOT DISTINCT FROM trk_expected(t) AS status_ok,
	   cx_due IS NOT DISTINCT FROM cx.due_at(received_at, 'within 10 days', 'us_federal') AS due_ok
FROM trk_apps t ORDER BY id;

-- the backfill logged the three events, each once, with old status NULL
SELECT key, old_status, new_status, tbl, standard::text,
	   due = cx.due_at(started, 'within 10 days', 'us_federal') AS due_ok,
	   logged_at = statement_timestamp() OR logged_at <= statement_timestamp() AS logged_ok
FROM cx.breach_log ORDER BY id;

-- every transition, one statement each
UPDATE trk_apps SET received_at = now() - interval '9 days' WHERE id = 1;	-- on_track → at_risk
UPDATE trk_apps SET received_at = now() - interval '11 days' WHERE id = 1;	-- at_risk → breached
UPDATE trk_apps SET decided_at = now() WHERE id = 1;							-- breached → missed
UPDATE trk_apps SET decided_at = received_at + interval '1 day' WHERE id = 1;	-- missed → met (not an event)
UPDATE trk_apps SET received_at = now() - interval '1 hour' WHERE id = 2;		-- at_risk → on_track (not an event)
UPDATE trk_apps SET received_at = now() - interval '20 days' WHERE id = 2;	-- on_track → breached
UPDATE trk_apps SET decided_at = now() WHERE id = 3;							-- breached → missed
UPDATE trk_apps SET received_at = NULL WHERE id = 4;							-- met → no status
INSERT INTO trk_apps (received_at, decided_at) VALUES
	(now(), NULL),															-- on_track
	(now() - interval '9 days', NULL),										-- at_risk
	(now() - interval '30 days', now() - interval '25 days'),				-- met
	(now() - interval '30 days', now());									-- missed
-- updates that change nothing relevant log nothing again
UPDATE trk_apps SET note = 'touched';
UPDATE trk_apps SET note = 'touched again', cx_status = 'on_track';	-- a hand-set status is overwritten

SELECT id, cx_status, cx_status IS NOT DISTINCT FROM trk_expected(t) AS status_ok,
	   cx_due IS NOT DISTINCT FROM cx.due_at(received_at, 'within 10 days', 'us_federal') AS due_ok
FROM trk_apps t ORDER BY id;

SELECT key, old_status, new_status FROM cx.breach_log WHERE id > 3 ORDER BY id;

-- each (key, old, new) transition appears once
SELECT count(*) = count(DISTINCT (key, old_status, new_status)) AS logged_once FROM cx.breach_log;

-- an aborted subtransaction leaves no log entry behind
BEGIN;
SAVEPOINT s;
INSERT INTO trk_apps (id, received_at) VALUES (200, now() - interval '40 days');
ROLLBACK TO SAVEPOINT s;
INSERT INTO trk_apps (id, received_at) VALUES (201, now() - interval '40 days');
COMMIT;
SELECT key FROM cx.breach_log WHERE key IN ('200', '201') ORDER BY key;

-- a large statement: every event logged (flushed in batches mid-statement)
INSERT INTO trk_apps (id, received_at, decided_at)
SELECT 1000 + i, now() - interval '60 days', now() - interval '1 day' FROM generate_series(1, 25000) i;
SELECT count(*) AS missed_logged FROM cx.breach_log WHERE new_status = 'missed' AND started < now() - interval '59 days';

-- the sweep: rows whose statuses went stale (written with triggers off, as if long ago)
SET session_replication_role = replica;
UPDATE trk_apps SET cx_status = 'on_track' WHERE id IN (2, 102);		-- really breached / at_risk
INSERT INTO trk_apps (id, received_at, cx_due, cx_status) VALUES
	(300, now() - interval '9 days', now() + interval '1 day', 'on_track'),	-- at_risk now
	(301, now() - interval '11 days', now() - interval '1 day', 'at_risk'),	-- breached now
	(302, now() - interval '1 day', now() + interval '9 days', 'on_track');	-- still on_track
RESET session_replication_role;
SELECT * FROM cx.sweep();
SELECT id, cx_status, cx_status IS NOT DISTINCT FROM trk_expected(t) AS status_ok
FROM trk_apps t WHERE id IN (2, 102, 300, 301, 302) ORDER BY id;
SELECT key, old_status, new_status FROM cx.breach_log WHERE key IN ('2', '102', '300', '301', '302') AND logged_at = (SELECT max(logged_at) FROM cx.breach_log) ORDER BY key;
-- a second sweep finds nothing to do
SELECT * FROM cx.sweep('trk_apps');
-- no stale status anywhere
SELECT count(*) AS stale FROM trk_apps t WHERE cx_status IS DISTINCT FROM trk_expected(t);

-- the first sweep looked at every open row and left a mark no later than its start
SELECT swept_to IS NOT NULL AND swept_to <= now() AS marked FROM cx.tracked WHERE tbl = 'trk_apps'::regclass;

-- later sweeps look only at instants from the mark on: with the mark two days
-- back, a row gone stale one day ago is flipped, one three days ago is not
-- (rows written with triggers off need since => '-infinity')
UPDATE cx.tracked SET swept_to = now() - interval '2 days' WHERE tbl = 'trk_apps'::regclass;
SET session_replication_role = replica;
INSERT INTO trk_apps (id, received_at, cx_due, cx_status) VALUES
	(303, now() - interval '11 days', now() - interval '1 day', 'at_risk'),	-- due inside the window
	(304, now() - interval '13 days', now() - interval '3 days', 'at_risk'),	-- due before the mark
	(305, now() - interval '8 days' - interval '12 hours', now() + interval '1 day' + interval '12 hours', 'on_track');	-- at risk inside the window
RESET session_replication_role;
SELECT * FROM cx.sweep('trk_apps');
SELECT id, cx_status FROM trk_apps WHERE id IN (303, 304, 305) ORDER BY id;
SELECT swept_to > now() - interval '2 days' AND swept_to <= now() AS mark_moved FROM cx.tracked WHERE tbl = 'trk_apps'::regclass;
SELECT * FROM cx.sweep('trk_apps', since => '-infinity');
SELECT id, cx_status FROM trk_apps WHERE id IN (303, 304, 305) ORDER BY id;
SELECT count(*) AS stale FROM trk_apps t WHERE cx_status IS DISTINCT FROM trk_expected(t);
-- since later than the mark sweeps that window but keeps the mark
SELECT now() - interval '5 days' AS mark5 \gset
UPDATE cx.tracked SET swept_to = :'mark5' WHERE tbl = 'trk_apps'::regclass;
SELECT * FROM cx.sweep('trk_apps', since => now() - interval '1 day');
SELECT swept_to = :'mark5' AS mark_kept FROM cx.tracked WHERE tbl = 'trk_apps'::regclass;
-- bad sweep arguments and marks (their details name the times)
\set VERBOSITY terse
SELECT * FROM cx.sweep('trk_apps', since => now() + interval '1 day');
UPDATE cx.tracked SET swept_to = now() + interval '1 hour' WHERE tbl = 'trk_apps'::regclass;
\set VERBOSITY default
-- the mark is not configuration: moving it does not make every backend reload
SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE tgrelid = 'cx.tracked'::regclass AND tgname = 'tracked_changed';
-- a role that may update the table neither sweeps it (only its owner and
-- superusers do, as the owner) nor reads or writes the registry's mark
CREATE ROLE trk_sweeper;
GRANT SELECT, UPDATE ON trk_apps TO trk_sweeper;
UPDATE cx.tracked SET swept_to = :'mark5' WHERE tbl = 'trk_apps'::regclass;
SET ROLE trk_sweeper;
SELECT * FROM cx.sweep('trk_apps');
SELECT swept_to FROM cx.tracked WHERE tbl = 'trk_apps'::regclass;
UPDATE cx.tracked SET at_risk = 0.5 WHERE tbl = 'trk_apps'::regclass;
SELECT at_risk FROM cx.tracked WHERE tbl = 'trk_apps'::regclass;
RESET ROLE;
SELECT swept_to = :'mark5' AS mark_kept FROM cx.tracked WHERE tbl = 'trk_apps'::regclass;
REVOKE ALL ON trk_apps FROM trk_sweeper;
DROP ROLE trk_sweeper;

-- the sweep query uses the sweep index (BRIN, both instants)
SET enable_seqscan = off;
EXPLAIN (COSTS OFF)
SELECT ctid FROM trk_apps
WHERE (cx_due >= now() - interval '1 hour' AND cx_due < now()
	   OR cx.at_risk_time(received_at, cx_due, 0.8::float8) >= now() - interval '1 hour'
		  AND cx.at_risk_time(received_at, cx_due, 0.8::float8) < now() AND cx_status = 'on_track')
  AND decided_at IS NULL AND cx_status IN ('on_track', 'at_risk');
RESET enable_seqscan;

-- the at-risk instant
SELECT cx.at_risk_time('2026-01-01 00:00+00', '2026-01-11 00:00+00', 0.8) = '2026-01-09 00:00+00' AS at_risk_ok,
	   cx.at_risk_time('2026-01-01 00:00+00', '2026-01-11 00:00+00', 1) = '2026-01-11 00:00+00' AS one_ok;
SELECT cx.at_risk_time(now(), now(), 0);
SELECT cx.at_risk_time(now(), now(), 'NaN');

-- an enum status column, a text key, a custom due column and at-risk fraction
CREATE TYPE trk_state AS ENUM ('on_track', 'at_risk', 'breached', 'met', 'missed');
CREATE TABLE trk_calls (
	ref text PRIMARY KEY,
	opened timestamptz,
	closed timestamptz,
	state trk_state,
	due_by timestamptz
);
SELECT cx.track('trk_calls', '80% within 20 minutes', started => 'opened', finished => 'closed',
				status => 'state', due => 'due_by', at_risk => 0.5);
INSERT INTO trk_calls (ref, opened, closed) VALUES
	('a', now() - interval '5 minutes', NULL),
	('b', now() - interval '15 minutes', NULL),
	('c', now() - interval '25 minutes', NULL),
	('d', now() - interval '25 minutes', now() - interval '10 minutes'),
	('e', now() - interval '25 minutes', now());
SELECT ref, state, due_by = opened + interval '20 minutes' AS due_ok FROM trk_calls ORDER BY ref;
SELECT key, new_status FROM cx.breach_log WHERE tbl = 'public.trk_calls' ORDER BY key;

-- low scores: NPS detractors (0..6 on 0..10) are logged for follow-up
CREATE TABLE trk_survey (id int PRIMARY KEY, answered_at timestamptz, nps smallint);
SELECT cx.track_scores('trk_survey', answer => 'nps', threshold => 6, at => 'answered_at');
INSERT INTO trk_survey VALUES (1, now(), 10), (2, now(), 6), (3, now(), 0), (4, now(), NULL), (5, now(), 11), (6, now(), 9);
UPDATE trk_survey SET nps = 3 WHERE id IN (1, 2);	-- 1 becomes a detractor; 2 already was
UPDATE trk_survey SET nps = 5 WHERE id = 4;		-- answered later
SELECT key, new_status, score, started IS NOT NULL AS has_time FROM cx.breach_log WHERE tbl = 'public.trk_survey' ORDER BY id;
SELECT cx.untrack_scores('trk_survey');
INSERT INTO trk_survey VALUES (7, now(), 1);
SELECT count(*) AS after_untrack FROM cx.breach_log WHERE tbl = 'public.trk_survey';

-- a table tracked both ways keeps the log's statement trigger until both are gone
CREATE TABLE trk_both (id int PRIMARY KEY, opened timestamptz, closed timestamptz, state text, nps smallint);
SELECT cx.track('trk_both', 'within 5 days', started => 'opened', finished => 'closed', status => 'state');
SELECT cx.track_scores('trk_both', answer => 'nps');
SELECT cx.untrack('trk_both');
SELECT tgname FROM pg_trigger WHERE tgrelid = 'trk_both'::regclass ORDER BY tgname;
SELECT cx.track('trk_both', 'within 5 days', started => 'opened', finished => 'closed', status => 'state');
SELECT cx.untrack_scores('trk_both');
SELECT tgname FROM pg_trigger WHERE tgrelid = 'trk_both'::regclass ORDER BY tgname;
SELECT cx.untrack('trk_both');
SELECT count(*) AS triggers FROM pg_trigger WHERE tgrelid = 'trk_both'::regclass;
DROP TABLE trk_both;

-- configuration changes reach the trigger without reconnecting
SELECT cx.untrack('trk_calls');
SELECT cx.track('trk_calls', 'within 1 hour', started => 'opened', finished => 'closed',
				status => 'state', due => 'due_by');
UPDATE trk_calls SET closed = NULL WHERE ref = 'e';
SELECT ref, state, due_by = opened + interval '1 hour' AS due_ok FROM trk_calls ORDER BY ref;

-- bad arguments are errors at cx.track time
\set VERBOSITY default
SELECT cx.track('trk_survey', 'within 1 day', started => 'nope', finished => 'answered_at', status => 'nps');
SELECT cx.track('trk_survey', 'within 1 day', started => 'id', finished => 'answered_at', status => 'nps');
SELECT cx.track('trk_survey', 'within 1 day', started => 'answered_at', finished => 'answered_at', status => 'nps');
CREATE TABLE trk_bad (k1 int, k2 int, s timestamptz, f timestamptz, st text, PRIMARY KEY (k1, k2));
SELECT cx.track('trk_bad', 'within 1 day', started => 's', finished => 'f', status => 'st');
SELECT cx.track('trk_bad', 'within 1 day', started => 's', finished => 'f', status => 'st', key => 'k1', at_risk => 1.5);
SELECT cx.track('trk_bad', 'within 1 day', started => 's', finished => 'f', status => 'st', key => 'k1', at_risk => 0);
SELECT cx.track('trk_bad', 'within 1 day', started => 's', finished => 'f', status => 'k2', key => 'k1');
SELECT cx.track('trk_bad', 'within 1 day', started => 's', finished => 'f', status => 'st', key => 'k1', due => 'st');
CREATE TABLE trk_bad3 (id int PRIMARY KEY, s timestamptz, f timestamptz, st varchar(5));
SELECT cx.track('trk_bad3', 'within 1 day', started => 's', finished => 'f', status => 'st');
SELECT cx.track('trk_apps', 'within 1 day', started => 'received_at', finished => 'decided_at', status => 'cx_status');
CREATE TYPE trk_short AS ENUM ('on_track', 'met');
CREATE TABLE trk_bad2 (id int PRIMARY KEY, s timestamptz, f timestamptz, st trk_short);
SELECT cx.track('trk_bad2', 'within 1 day', started => 's', finished => 'f', status => 'st');
CREATE VIEW trk_view AS SELECT * FROM trk_bad;
SELECT cx.track('trk_view', 'within 1 day', started => 's', finished => 'f', status => 'st', key => 'k1');
CREATE TABLE trk_parted (id int, s timestamptz, f timestamptz, st text) PARTITION BY RANGE (id);
SELECT cx.track('trk_parted', 'within 1 day', started => 's', finished => 'f', status => 'st', key => 'id');
SELECT cx.untrack('trk_bad');
SELECT cx.track_scores('trk_bad', answer => 'st', key => 'k1');
SELECT cx.track_scores('trk_bad', answer => 'k2', key => 'k1', threshold => 12);
SELECT cx.track_scores('trk_bad', answer => 'k2', key => 'k1', threshold => 'NaN');
DO $$ BEGIN
	PERFORM cx.track('trk_bad', 'within 1 day', started => 's', finished => 'f', status => 'st', key => 'k1', calendar => 'no_such_calendar');
	RAISE NOTICE 'unknown calendar accepted';
EXCEPTION WHEN others THEN
	RAISE WARNING 'unknown calendar rejected';
END $$;
-- nothing was left behind by the failed calls
SELECT count(*) AS leftovers FROM pg_trigger WHERE tgrelid IN ('trk_bad'::regclass, 'trk_bad2'::regclass);
SELECT attname FROM pg_attribute WHERE attrelid = 'trk_bad'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum;
-- the trigger functions refuse to be called any other way
SELECT cx.track_trigger();
CREATE TRIGGER trk_wrong AFTER INSERT ON trk_bad FOR EACH ROW EXECUTE FUNCTION cx.track_trigger();
INSERT INTO trk_bad VALUES (1, 1, now(), NULL, NULL);
DROP TRIGGER trk_wrong ON trk_bad;
CREATE TRIGGER trk_wrong BEFORE INSERT ON trk_bad FOR EACH ROW EXECUTE FUNCTION cx.track_trigger();
INSERT INTO trk_bad VALUES (1, 1, now(), NULL, NULL);
DROP TRIGGER trk_wrong ON trk_bad;
-- a disabled flush trigger is an error, not silently lost log entries
ALTER TABLE trk_apps DISABLE TRIGGER cx_track_flush;
INSERT INTO trk_apps (received_at) VALUES (now() - interval '50 days');
ALTER TABLE trk_apps ENABLE TRIGGER cx_track_flush;

-- cx.track gives the status and due columns defaults (a column's own is
-- kept), so a new row arrives with room for both and the trigger writes
-- them in place; the rows, an index on the due time, and the statuses of
-- rows that a WHEN clause of another trigger read first (which the trigger
-- then forms anew) must all agree with the reference
CREATE TABLE trk_place (id int PRIMARY KEY, received_at timestamptz, decided_at timestamptz,
						cx_status text, note text, state trk_state, due_by timestamptz DEFAULT '-infinity');
CREATE TABLE trk_place_e (LIKE trk_place INCLUDING ALL);
SELECT cx.track('trk_place', 'within 10 days', started => 'received_at', finished => 'decided_at', status => 'cx_status');
SELECT cx.track('trk_place_e', 'within 10 days', started => 'received_at', finished => 'decided_at', status => 'state', due => 'due_by');
SELECT c.relname, a.attname, pg_get_expr(d.adbin, d.adrelid) AS default_expr
FROM pg_attrdef d JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum JOIN pg_class c ON c.oid = d.adrelid
WHERE d.adrelid IN ('trk_place'::regclass, 'trk_place_e'::regclass) ORDER BY 1, a.attnum;
SELECT tbl, status_default, due_default FROM cx.tracked WHERE tbl IN ('trk_place'::regclass, 'trk_place_e'::regclass) ORDER BY 1;
CREATE INDEX trk_place_due ON trk_place (cx_due);
CREATE INDEX trk_place_e_due ON trk_place_e (due_by, state);
CREATE FUNCTION trk_never() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'fired'; END $$;
CREATE FUNCTION trk_place_rows(base int) RETURNS TABLE (id int, received_at timestamptz, decided_at timestamptz) LANGUAGE sql AS $$
	VALUES (base + 1, now() - interval '1 day', NULL::timestamptz),
		   (base + 2, now() - interval '9 days', NULL),
		   (base + 3, now() - interval '12 days', NULL),
		   (base + 4, now() - interval '12 days', now() - interval '5 days'),
		   (base + 5, now() - interval '12 days', now() - interval '1 day'),
		   (base + 6, NULL, NULL)
$$;
INSERT INTO trk_place (id, received_at, decided_at) SELECT * FROM trk_place_rows(0);
INSERT INTO trk_place_e (id, received_at, decided_at) SELECT * FROM trk_place_rows(0);
-- values given for the two columns are replaced
INSERT INTO trk_place (id, received_at, cx_status, cx_due) VALUES
	(7, now() - interval '12 days', 'on_track', '2000-01-01'), (8, now() - interval '1 day', 'xx', 'infinity');
-- a WHEN clause that reads the new row, up to the due, before cx_track runs
-- (it never fires)
CREATE TRIGGER a_reads BEFORE INSERT OR UPDATE ON trk_place FOR EACH ROW WHEN (NEW.cx_due IS NULL) EXECUTE FUNCTION trk_never();
CREATE TRIGGER a_reads BEFORE INSERT OR UPDATE ON trk_place_e FOR EACH ROW WHEN (NEW.due_by IS NULL) EXECUTE FUNCTION trk_never();
INSERT INTO trk_place (id, received_at, decided_at) SELECT * FROM trk_place_rows(10);
INSERT INTO trk_place_e (id, received_at, decided_at) SELECT * FROM trk_place_rows(10);
DROP TRIGGER a_reads ON trk_place;
DROP TRIGGER a_reads ON trk_place_e;
UPDATE trk_place SET note = 'touched' WHERE id IN (1, 3, 11);
UPDATE trk_place SET decided_at = now() WHERE id IN (2, 12);
UPDATE trk_place_e SET decided_at = now() WHERE id IN (2, 12);
CREATE FUNCTION trk_place_check(st text, received_at timestamptz, decided_at timestamptz, due timestamptz) RETURNS boolean LANGUAGE sql AS $$
	SELECT CASE
		WHEN received_at IS NULL THEN st IS NULL AND due IS NULL
		ELSE due = cx.due_at(received_at, 'within 10 days', 'us_federal') AND st = CASE
			WHEN decided_at IS NOT NULL THEN CASE WHEN decided_at <= due THEN 'met' ELSE 'missed' END
			WHEN statement_timestamp() > due THEN 'breached'
			WHEN extract(epoch FROM statement_timestamp()) >
				 extract(epoch FROM received_at) + 0.8 * extract(epoch FROM due - received_at) THEN 'at_risk'
			ELSE 'on_track' END END
$$;
SELECT p.id, p.cx_status, trk_place_check(p.cx_status, p.received_at, p.decided_at, p.cx_due) AS text_ok,
	   e.state, trk_place_check(e.state::text, e.received_at, e.decided_at, e.due_by) AS enum_ok
FROM trk_place p LEFT JOIN trk_place_e e USING (id) ORDER BY p.id;
-- the index entries hold the stored values, never the defaults
SET enable_seqscan = off;
SET enable_bitmapscan = off;
SELECT count(*) AS text_indexed FROM trk_place WHERE cx_due > '-infinity' AND cx_due < 'infinity';
SELECT count(*) AS text_indexed_default FROM trk_place WHERE cx_due = 'infinity';
SELECT count(*) AS enum_indexed FROM trk_place_e WHERE due_by > '-infinity' AND due_by < 'infinity';
SELECT state, count(*) AS enum_indexed FROM trk_place_e WHERE due_by > '-infinity' AND due_by < 'infinity' GROUP BY state ORDER BY state;
SELECT count(*) AS enum_indexed_default FROM trk_place_e WHERE due_by IN ('infinity', '-infinity');
RESET enable_seqscan;
SET enable_indexscan = off;
SET enable_indexonlyscan = off;
SELECT count(*) AS text_stored FROM trk_place WHERE cx_due > '-infinity' AND cx_due < 'infinity';
SELECT count(*) AS enum_stored FROM trk_place_e WHERE due_by > '-infinity' AND due_by < 'infinity';
SELECT state, count(*) AS enum_stored FROM trk_place_e WHERE due_by > '-infinity' AND due_by < 'infinity' GROUP BY state ORDER BY state;
RESET enable_bitmapscan;
RESET enable_indexscan;
RESET enable_indexonlyscan;
-- untrack drops the defaults it set while they are unchanged
ALTER TABLE trk_place ALTER COLUMN cx_status SET DEFAULT 'new';
SELECT cx.untrack('trk_place');
SELECT cx.untrack('trk_place_e');
SELECT c.relname, a.attname, pg_get_expr(d.adbin, d.adrelid) AS default_expr
FROM pg_attrdef d JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum JOIN pg_class c ON c.oid = d.adrelid
WHERE d.adrelid IN ('trk_place'::regclass, 'trk_place_e'::regclass) ORDER BY 1, a.attnum;
DROP TABLE trk_place, trk_place_e;
DROP FUNCTION trk_never, trk_place_rows, trk_place_check;

-- untrack leaves no trigger, index, registry row or added column behind
SELECT cx.untrack('trk_apps');
SELECT cx.untrack('trk_calls');
SELECT count(*) AS triggers FROM pg_trigger WHERE tgrelid IN ('trk_apps'::regclass, 'trk_calls'::regclass, 'trk_survey'::regclass);
SELECT count(*) AS indexes FROM pg_index WHERE indrelid IN ('trk_apps'::regclass, 'trk_calls'::regclass) AND NOT indisprimary;
SELECT count(*) AS registry FROM cx.tracked;
SELECT count(*) AS scores_registry FROM cx.tracked_scores;
SELECT attname FROM pg_attribute WHERE attrelid = 'trk_apps'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum;
SELECT attname FROM pg_attribute WHERE attrelid = 'trk_calls'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum;
SELECT cx.untrack('trk_apps');

-- dropping a tracked table forgets its registry row (the log stays)
SELECT cx.track('trk_calls', 'within 1 hour', started => 'opened', finished => 'closed', status => 'state', due => 'due_by');
DROP TABLE trk_calls;
SELECT count(*) AS registry_after_drop FROM cx.tracked;
SELECT count(*) > 0 AS log_kept FROM cx.breach_log WHERE tbl = 'public.trk_calls';

-- a generated column is computed after the trigger ran: refused as any
-- tracked column
CREATE TABLE trk_gen (id int PRIMARY KEY, received_at timestamptz, decided_at timestamptz, st text,
					  start_gen timestamptz GENERATED ALWAYS AS (received_at) STORED,
					  key_gen int GENERATED ALWAYS AS (id * 2) STORED);
SELECT cx.track('trk_gen', 'within 1 day', started => 'start_gen', finished => 'decided_at', status => 'st');
SELECT cx.track('trk_gen', 'within 1 day', started => 'received_at', finished => 'decided_at', status => 'st', key => 'key_gen');
SELECT count(*) AS registry FROM cx.tracked WHERE tbl = 'trk_gen'::regclass;
DROP TABLE trk_gen;

-- rows with an infinite start have no status and no due time, and do not
-- stop the backfill
CREATE TABLE trk_inf (id int PRIMARY KEY, received_at timestamptz, decided_at timestamptz, st text);
INSERT INTO trk_inf VALUES (1, 'infinity', NULL), (2, '-infinity', NULL), (3, now() - interval '3 days', NULL);
SELECT cx.track('trk_inf', 'within 1 day', started => 'received_at', finished => 'decided_at', status => 'st');
INSERT INTO trk_inf VALUES (4, 'infinity', 'infinity');
SELECT id, st, cx_due IS NOT NULL AS has_due FROM trk_inf ORDER BY id;
UPDATE trk_inf SET received_at = '-infinity' WHERE id = 3;
SELECT id, st, cx_due FROM trk_inf ORDER BY id;
SELECT cx.untrack('trk_inf');
DROP TABLE trk_inf;

-- the sweep index gets a free name of at most 63 bytes: a long table name
-- is cut, and a name already taken in the schema gets a number
CREATE TABLE trk_a_table_name_that_is_exactly_sixty_three_bytes_long_abcdefg (id int PRIMARY KEY, s timestamptz, f timestamptz, st text);
CREATE TABLE trk_shrt_cx_due_sweep (id int);
CREATE TABLE trk_shrt (id int PRIMARY KEY, s timestamptz, f timestamptz, st text);
SELECT cx.track('trk_a_table_name_that_is_exactly_sixty_three_bytes_long_abcdefg', 'within 1 day', started => 's', finished => 'f', status => 'st');
SELECT cx.track('trk_shrt', 'within 1 day', started => 's', finished => 'f', status => 'st');
SELECT tbl, sweep_index, octet_length(sweep_index::text) AS len,
	   EXISTS (SELECT 1 FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = t.tbl AND c.relname = t.sweep_index) AS is_its_index
FROM cx.tracked t WHERE tbl::text LIKE 'trk_shrt%' OR tbl::text LIKE 'trk_a_table%' ORDER BY 1;
SELECT cx.untrack('trk_a_table_name_that_is_exactly_sixty_three_bytes_long_abcdefg');
SELECT cx.untrack('trk_shrt');
SELECT count(*) AS sweep_indexes_left FROM pg_class WHERE relname LIKE 'trk_%sweep%' AND relkind = 'i';
DROP TABLE trk_a_table_name_that_is_exactly_sixty_three_bytes_long_abcdefg, trk_shrt_cx_due_sweep, trk_shrt;

-- a registry row cannot be pointed at another table, even by its owner
CREATE TABLE trk_one (id int PRIMARY KEY, s timestamptz, f timestamptz, st text);
CREATE TABLE trk_two (id int PRIMARY KEY, s timestamptz, f timestamptz, st text);
SELECT cx.track('trk_one', 'within 1 day', started => 's', finished => 'f', status => 'st');
UPDATE cx.tracked SET tbl = 'trk_two' WHERE tbl = 'trk_one'::regclass;
SELECT cx.untrack('trk_one');
DROP TABLE trk_one, trk_two;

-- the log names its table by regclass; a dropped table's rows keep its name
-- in tbl and lose the oid, so that no later table reusing it reads them
CREATE TABLE trk_gone (id int PRIMARY KEY, s timestamptz, f timestamptz, st text);
SELECT cx.track('trk_gone', 'within 1 day', started => 's', finished => 'f', status => 'st', key => 'id');
INSERT INTO trk_gone VALUES (1, now() - interval '3 days', NULL);
SELECT key, new_status, relid FROM cx.breach_log WHERE tbl = 'public.trk_gone';
SELECT pg_typeof(relid) FROM cx.breach_log LIMIT 1;
DROP TABLE trk_gone;
SELECT key, new_status, relid IS NULL AS relid_cleared FROM cx.breach_log WHERE tbl = 'public.trk_gone';

-- rows written while the trigger was off (replica mode) keep the defaults
-- on_track / infinity; the sweep's window does not see them, a sweep with
-- since => '-infinity' judges them (and logs their events)
CREATE TABLE trk_off (id int PRIMARY KEY, received_at timestamptz, decided_at timestamptz, cx_status text);
SELECT cx.track('trk_off', 'within 10 days', started => 'received_at', finished => 'decided_at', status => 'cx_status');
SELECT flipped FROM cx.sweep('trk_off');
SET session_replication_role = replica;
INSERT INTO trk_off (id, received_at, decided_at) VALUES
	(1, now() - interval '30 days', NULL),						-- breached
	(2, now() - interval '30 days', now() - interval '25 days'),	-- met
	(3, now() - interval '30 days', now() - interval '1 day'),	-- missed
	(4, now() - interval '1 hour', NULL),						-- on_track
	(5, NULL, NULL);											-- not started
RESET session_replication_role;
SELECT id, cx_status, cx_due FROM trk_off ORDER BY id;
SELECT flipped FROM cx.sweep('trk_off');
SELECT flipped FROM cx.sweep('trk_off', since => '-infinity');
SELECT t.id, t.cx_status, t.cx_status IS NOT DISTINCT FROM
		CASE WHEN t.received_at IS NULL THEN NULL
			 WHEN t.decided_at IS NOT NULL THEN CASE WHEN t.decided_at <= t.cx_due THEN 'met' ELSE 'missed' END
			 WHEN now() > t.cx_due THEN 'breached' ELSE 'on_track' END AS status_ok,
	   t.cx_due IS NOT DISTINCT FROM CASE WHEN t.received_at IS NOT NULL
			 THEN cx.due_at(t.received_at, 'within 10 days', 'us_federal') END AS due_ok
FROM trk_off t ORDER BY id;
SELECT key, old_status, new_status FROM cx.breach_log WHERE tbl = 'public.trk_off' ORDER BY key;
-- judged rows are not touched again
SELECT flipped FROM cx.sweep('trk_off', since => '-infinity');
SELECT cx.untrack('trk_off');
DROP TABLE trk_off;

-- a table untracked before it is dropped, and a tracked table dropped with
-- the foreign table it inherits from, also leave no oid in the log (and the
-- second no registry row)
CREATE TABLE trk_gone2 (id int PRIMARY KEY, s timestamptz, f timestamptz, st text);
SELECT cx.track('trk_gone2', 'within 1 day', started => 's', finished => 'f', status => 'st', key => 'id');
INSERT INTO trk_gone2 VALUES (1, now() - interval '3 days', NULL);
-- (a dropped column is no dropped table: the registry row and the oid stay)
ALTER TABLE trk_gone2 ADD COLUMN extra int;
ALTER TABLE trk_gone2 DROP COLUMN extra;
SELECT count(*) AS still_tracked FROM cx.tracked WHERE tbl = 'trk_gone2'::regclass;
SELECT cx.untrack('trk_gone2');
SELECT relid FROM cx.breach_log WHERE tbl = 'public.trk_gone2';
DROP TABLE trk_gone2;
SELECT relid IS NULL AS relid_cleared FROM cx.breach_log WHERE tbl = 'public.trk_gone2';
CREATE FOREIGN DATA WRAPPER trk_fdw;
CREATE SERVER trk_srv FOREIGN DATA WRAPPER trk_fdw;
CREATE FOREIGN TABLE trk_fparent (id int) SERVER trk_srv;
CREATE TABLE trk_fchild (id int PRIMARY KEY, s timestamptz, f timestamptz, st text) INHERITS (trk_fparent);
SELECT cx.track('trk_fchild', 'within 1 day', started => 's', finished => 'f', status => 'st', key => 'id');
INSERT INTO trk_fchild VALUES (1, now() - interval '3 days', NULL);
DROP SERVER trk_srv CASCADE;
SELECT count(*) AS registry_rows FROM cx.tracked WHERE tbl::oid NOT IN (SELECT oid FROM pg_class);
SELECT relid IS NULL AS relid_cleared FROM cx.breach_log WHERE tbl = 'public.trk_fchild';
DROP FOREIGN DATA WRAPPER trk_fdw;
EXPLAIN (COSTS OFF) UPDATE cx.breach_log SET relid = NULL WHERE relid::oid IN (1, 2);

-- cohort verdicts: per month of receipt (in the calendar's time zone) and
-- per line, as of one instant, against an independent SQL computation
SET TIME ZONE 'UTC';
CREATE TABLE trk_coh (id int PRIMARY KEY, line text, received_at timestamptz, decided_at timestamptz, cx_status text);
SELECT cx.track('trk_coh', '90% within 10 days', started => 'received_at', finished => 'decided_at', status => 'cx_status');
-- January: 9 met, 1 missed (met); February: 7 met, 3 missed (missed);
-- March: 8 met, 1 missed, 1 open past due (at_risk); May: 2 met, 8 open in
-- time (open); one row received after the instant, one never received
INSERT INTO trk_coh
SELECT 100 + g, 'a', timestamptz '2026-01-10 15:00+00', timestamptz '2026-01-10 15:00+00' + CASE WHEN g <= 9 THEN interval '2 days' ELSE interval '30 days' END
FROM generate_series(1, 10) g
UNION ALL SELECT 200 + g, 'b', timestamptz '2026-02-10 15:00+00', timestamptz '2026-02-10 15:00+00' + CASE WHEN g <= 7 THEN interval '2 days' ELSE interval '30 days' END
FROM generate_series(1, 10) g
UNION ALL SELECT 300 + g, CASE WHEN g % 2 = 0 THEN 'a' ELSE 'b' END, timestamptz '2026-03-10 15:00+00',
	CASE WHEN g <= 8 THEN timestamptz '2026-03-11 15:00+00' WHEN g = 9 THEN '2026-04-30 15:00+00' END
FROM generate_series(1, 10) g
UNION ALL SELECT 500 + g, 'a', timestamptz '2026-05-02 15:00+00', CASE WHEN g <= 2 THEN timestamptz '2026-05-03 15:00+00' END
FROM generate_series(1, 10) g
UNION ALL VALUES (900, 'a', timestamptz '2026-05-20 15:00+00', NULL::timestamptz), (901, 'a', NULL, NULL);
-- a finish after the instant is no finish yet: as of May 6 row 310 is open
UPDATE trk_coh SET decided_at = '2026-05-10 15:00+00' WHERE id = 310;
SELECT * FROM cx.cohorts('trk_coh', as_of => '2026-05-06 00:00+00');
SELECT cohort, grp, rows, met, missed, open, open_breached, verdict
FROM cx.cohorts('trk_coh', 'quarter', 'line', as_of => '2026-05-06 00:00+00');
-- the reference: statuses and verdicts in plain SQL, exact shares
CREATE FUNCTION trk_coh_ref(per text, grouped boolean, as_of timestamptz)
RETURNS TABLE (cohort date, grp text, rows bigint, met bigint, missed bigint, open bigint, open_breached bigint, verdict text)
LANGUAGE sql AS $$
	WITH r AS (
		SELECT date_trunc(per, received_at AT TIME ZONE 'America/New_York')::date AS cohort,
			   CASE WHEN grouped THEN line END AS grp,
			   CASE WHEN decided_at IS NOT NULL AND decided_at <= as_of
					THEN CASE WHEN decided_at <= cx_due THEN 'met' ELSE 'missed' END
					WHEN as_of > cx_due THEN 'breached' ELSE 'open' END AS st
		FROM trk_coh WHERE received_at <= as_of),
	c AS (
		SELECT cohort, grp, count(*) AS n, count(*) FILTER (WHERE st = 'met') AS m,
			   count(*) FILTER (WHERE st = 'missed') AS x, count(*) FILTER (WHERE st IN ('open', 'breached')) AS o,
			   count(*) FILTER (WHERE st = 'breached') AS b
		FROM r GROUP BY 1, 2)
	SELECT cohort, grp, n, m, x, o, b,
		   CASE WHEN m >= 0.9 * n THEN 'met' WHEN m + o < 0.9 * n THEN 'missed'
				WHEN m + o - b < 0.9 * n THEN 'at_risk' ELSE 'open' END
	FROM c
$$;
SELECT count(*) AS differences FROM (
	(SELECT cohort, grp, rows, met, missed, open, open_breached, verdict FROM cx.cohorts('trk_coh', 'month', NULL, '2026-05-06 00:00+00')
	 EXCEPT SELECT * FROM trk_coh_ref('month', false, '2026-05-06 00:00+00'))
	UNION ALL
	(SELECT * FROM trk_coh_ref('month', false, '2026-05-06 00:00+00')
	 EXCEPT SELECT cohort, grp, rows, met, missed, open, open_breached, verdict FROM cx.cohorts('trk_coh', 'month', NULL, '2026-05-06 00:00+00'))) d;
-- many instants, periods and groupings of generated rows
INSERT INTO trk_coh SELECT 1000 + g, 'line ' || g % 3, timestamptz '2026-01-05 12:00+00' + (g % 150) * interval '11 hours',
	CASE WHEN g % 7 <> 0 THEN timestamptz '2026-01-05 12:00+00' + (g % 150) * interval '11 hours' + (g % 23) * interval '1 day' END
FROM generate_series(1, 3000) g;
SELECT count(*) AS differences FROM
	(VALUES ('week'), ('month'), ('quarter'), ('year')) p(per), (VALUES (false), (true)) g(grouped),
	generate_series(timestamptz '2026-01-20 00:00+00', '2026-06-01 00:00+00', interval '9 days 5 hours') t(as_of),
	LATERAL (
		(SELECT cohort, grp, rows, met, missed, open, open_breached, verdict
		 FROM cx.cohorts('trk_coh', per, CASE WHEN grouped THEN 'line' END::name, as_of)
		 EXCEPT SELECT * FROM trk_coh_ref(per, grouped, as_of))
		UNION ALL
		(SELECT * FROM trk_coh_ref(per, grouped, as_of)
		 EXCEPT SELECT cohort, grp, rows, met, missed, open, open_breached, verdict
		 FROM cx.cohorts('trk_coh', per, CASE WHEN grouped THEN 'line' END::name, as_of))) d;
SELECT count(DISTINCT verdict) AS verdicts_seen FROM
	generate_series(timestamptz '2026-01-20 00:00+00', '2026-06-01 00:00+00', interval '9 days 5 hours') t(as_of),
	LATERAL cx.cohorts('trk_coh', 'week', 'line', as_of);
-- bad arguments, and a role that may not read the table reads nothing
SELECT * FROM cx.cohorts('trk_coh', 'fortnight');
SELECT * FROM cx.cohorts('trk_coh', by => 'nope');
SELECT * FROM cx.cohorts('trk_coh', as_of => 'infinity');
SELECT * FROM cx.cohorts('trk_parted');
SELECT cx._track_cohort_verdict(10, 9, 2, 0, '90% within 1 day');
CREATE ROLE trk_coh_reader;
SET ROLE trk_coh_reader;
SELECT * FROM cx.cohorts('trk_coh');
RESET ROLE;
DROP ROLE trk_coh_reader;
DROP FUNCTION trk_coh_ref;
SELECT cx.untrack('trk_coh');
DROP TABLE trk_coh;
RESET TIME ZONE;

DROP FUNCTION trk_expected;
DROP TABLE trk_apps, trk_survey, trk_bad, trk_bad2, trk_bad3 CASCADE;
DROP TABLE trk_parted;
DROP TYPE trk_state, trk_short;

TRUNCATE cx.breach_log;
