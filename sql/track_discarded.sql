-- Rows that the tracking trigger sees but PostgreSQL never stores: the
-- proposed row of INSERT ... ON CONFLICT (DO NOTHING, DO UPDATE) that meets
-- an existing row, a row that a later BEFORE trigger skips, a row of a
-- rolled-back savepoint.  Only the events of stored rows are logged, each
-- once; the statuses are chosen so that every expected event is plain:
-- received 9 days ago is at_risk, 11 days ago breached, 1 day ago on_track
-- ("within 10 days", at risk after 80%).
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS cx_metrics;
\set SHOW_CONTEXT never

CREATE TABLE dsc_apps (id int PRIMARY KEY, received_at timestamptz, decided_at timestamptz, cx_status text,
					   note text, answer int);
SELECT cx.track('dsc_apps', 'within 10 days', started => 'received_at', finished => 'decided_at', status => 'cx_status');
SELECT cx.track_scores('dsc_apps', 'answer', threshold => 6, scale_min => 0, scale_max => 10);
-- the row trigger that confirms inserted rows: its WHEN condition is always false
SELECT tgname, pg_get_triggerdef(oid) FROM pg_trigger WHERE tgrelid = 'dsc_apps'::regclass ORDER BY tgname;
-- the events logged since the last look (dsc_mark)
CREATE TABLE dsc_seen (seen bigint);
CREATE FUNCTION dsc_new() RETURNS TABLE (key text, clock name, old_status text, new_status text, score float8)
	LANGUAGE sql AS $$
	SELECT l.key, l.clock, l.old_status, l.new_status, l.score FROM cx.breach_log l
	WHERE l.id > coalesce((SELECT max(s.seen) FROM dsc_seen s), 0) ORDER BY l.id
$$;
CREATE VIEW dsc_log AS SELECT * FROM dsc_new();
CREATE FUNCTION dsc_mark() RETURNS void LANGUAGE sql AS $$
	INSERT INTO dsc_seen SELECT max(id) FROM cx.breach_log
$$;

-- ---- ON CONFLICT DO NOTHING
INSERT INTO dsc_apps (id, received_at) VALUES (1, now() - interval '9 days');
INSERT INTO dsc_apps (id, received_at) VALUES (1, now() - interval '11 days') ON CONFLICT DO NOTHING;
SELECT * FROM dsc_log;
SELECT dsc_mark();
-- several rows: two meet row 1, one meets row 5 inserted by the same statement
INSERT INTO dsc_apps (id, received_at) VALUES (1, now() - interval '11 days'), (2, now() - interval '9 days'),
	(1, now() - interval '9 days'), (3, now() - interval '1 day'), (4, now() - interval '11 days'),
	(5, now() - interval '9 days'), (5, now() - interval '11 days')
ON CONFLICT DO NOTHING;
SELECT * FROM dsc_log;
SELECT dsc_mark();

-- ---- ON CONFLICT DO UPDATE: the proposed row is discarded, the update is judged
-- row 2 at_risk -> met (no event); row 3 on_track -> breached (one event)
INSERT INTO dsc_apps (id, received_at) VALUES (2, now() - interval '11 days')
ON CONFLICT (id) DO UPDATE SET decided_at = now();
INSERT INTO dsc_apps (id, received_at) VALUES (3, now() - interval '11 days')
ON CONFLICT (id) DO UPDATE SET received_at = EXCLUDED.received_at;
-- nothing updated at all
INSERT INTO dsc_apps (id, received_at) VALUES (4, now() - interval '9 days')
ON CONFLICT (id) DO UPDATE SET received_at = EXCLUDED.received_at WHERE false;
SELECT * FROM dsc_log;
SELECT dsc_mark();
SELECT id, cx_status FROM dsc_apps ORDER BY id;

-- ---- a later BEFORE trigger skips a row, or inserts rows of its own
CREATE FUNCTION dsc_skip() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RETURN CASE WHEN NEW.note LIKE '%skip' THEN NULL ELSE NEW END;
END $$;
CREATE TRIGGER zz_skip BEFORE INSERT ON dsc_apps FOR EACH ROW EXECUTE FUNCTION dsc_skip();
-- while the row that fired it waits, it inserts a row twice (the second is discarded)
CREATE FUNCTION dsc_nest() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.note LIKE 'nest%' THEN
		INSERT INTO dsc_apps (id, received_at) VALUES (NEW.id + 100, now() - interval '11 days') ON CONFLICT DO NOTHING;
		INSERT INTO dsc_apps (id, received_at) VALUES (NEW.id + 100, now() - interval '9 days') ON CONFLICT DO NOTHING;
	END IF;
	RETURN NEW;
END $$;
CREATE TRIGGER zz_nest BEFORE INSERT ON dsc_apps FOR EACH ROW EXECUTE FUNCTION dsc_nest();
INSERT INTO dsc_apps (id, received_at, note) VALUES (10, now() - interval '9 days', 'skip'),
	(11, now() - interval '9 days', NULL), (12, now() - interval '11 days', 'skip');
SELECT * FROM dsc_log;
SELECT dsc_mark();
-- row 20 is stored after its trigger's rows; row 21 is skipped after them
INSERT INTO dsc_apps (id, received_at, note) VALUES (20, now() - interval '9 days', 'nest'),
	(21, now() - interval '9 days', 'nest skip');
SELECT * FROM dsc_log;
SELECT dsc_mark();
SELECT id, cx_status FROM dsc_apps WHERE id >= 10 ORDER BY id;
DROP TRIGGER zz_skip ON dsc_apps;
DROP TRIGGER zz_nest ON dsc_apps;

-- ---- savepoints: the events of a rolled-back row go with it
BEGIN;
INSERT INTO dsc_apps (id, received_at) VALUES (30, now() - interval '9 days');
SAVEPOINT s;
INSERT INTO dsc_apps (id, received_at) VALUES (31, now() - interval '9 days');
INSERT INTO dsc_apps (id, received_at) VALUES (30, now() - interval '11 days') ON CONFLICT DO NOTHING;
ROLLBACK TO s;
INSERT INTO dsc_apps (id, received_at) VALUES (32, now() - interval '11 days'), (30, now() - interval '11 days')
ON CONFLICT DO NOTHING;
COMMIT;
SELECT * FROM dsc_log;
SELECT dsc_mark();

-- ---- a clock and low scores on one row
INSERT INTO dsc_apps (id, received_at, answer) VALUES (40, now() - interval '9 days', 2);
INSERT INTO dsc_apps (id, received_at, answer) VALUES (40, now() - interval '11 days', 1) ON CONFLICT DO NOTHING;
-- the proposed row (breached, a low score) is discarded; the update to 3 is no new low score
INSERT INTO dsc_apps (id, received_at, answer) VALUES (40, now() - interval '11 days', 1)
ON CONFLICT (id) DO UPDATE SET answer = 3;
SELECT * FROM dsc_log;
SELECT dsc_mark();

-- ---- low scores only
CREATE TABLE dsc_survey (id int PRIMARY KEY, answer int, note text);
SELECT cx.track_scores('dsc_survey', 'answer', threshold => 6, scale_min => 0, scale_max => 10);
INSERT INTO dsc_survey VALUES (1, 3), (2, 9);
INSERT INTO dsc_survey VALUES (1, 2), (2, 1), (3, 0) ON CONFLICT DO NOTHING;
-- the update does not write the answer (the scores trigger does not fire for it)
INSERT INTO dsc_survey VALUES (2, 1) ON CONFLICT (id) DO UPDATE SET note = 'seen';
-- 9 -> 1: a new low score
INSERT INTO dsc_survey VALUES (2, 5) ON CONFLICT (id) DO UPDATE SET answer = 1;
SELECT * FROM dsc_log;
SELECT dsc_mark();

-- ---- many rows, past the buffer's flush size: every stored row once, none discarded
INSERT INTO dsc_apps (id, received_at) SELECT i, now() - interval '9 days' FROM generate_series(1000, 25000, 2) i;
INSERT INTO dsc_apps (id, received_at) SELECT i, now() - interval '11 days' FROM generate_series(1000, 25000) i
ON CONFLICT DO NOTHING;
SELECT new_status, count(*), count(DISTINCT key) AS keys FROM dsc_log GROUP BY 1 ORDER BY 1;
SELECT count(*) AS missing FROM dsc_apps a
WHERE a.id >= 1000 AND NOT EXISTS (SELECT 1 FROM cx.breach_log l WHERE l.key = a.id::text AND l.new_status = a.cx_status);
SELECT dsc_mark();

-- ---- without its trigger cx_track_inserted (disabled), every row's events count at once
ALTER TABLE dsc_apps DISABLE TRIGGER cx_track_inserted;
INSERT INTO dsc_apps (id, received_at) VALUES (50, now() - interval '9 days');
INSERT INTO dsc_apps (id, received_at) VALUES (50, now() - interval '11 days') ON CONFLICT DO NOTHING;
ALTER TABLE dsc_apps ENABLE TRIGGER cx_track_inserted;
SELECT * FROM dsc_log;
SELECT dsc_mark();

-- cx.untrack and cx.untrack_scores remove the trigger with the last registration
SELECT cx.untrack('dsc_apps');
SELECT tgname FROM pg_trigger WHERE tgrelid = 'dsc_apps'::regclass ORDER BY tgname;
SELECT cx.untrack_scores('dsc_apps');
SELECT cx.untrack_scores('dsc_survey');
SELECT count(*) AS triggers FROM pg_trigger WHERE tgrelid IN ('dsc_apps'::regclass, 'dsc_survey'::regclass);
DROP VIEW dsc_log;
DROP FUNCTION dsc_new(), dsc_mark(), dsc_skip(), dsc_nest();
DROP TABLE dsc_apps, dsc_survey, dsc_seen;
