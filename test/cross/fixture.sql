-- The database that test/cross.sh dumps with one PostgreSQL major and
-- restores into another: every cx type stored, calendars with closures,
-- tracked tables (text and enum statuses, a scores table) and a breach log.
-- Every instant is fixed, so the answers do not depend on the clock.
CREATE EXTENSION cx_metrics;
SET TIME ZONE 'UTC';
INSERT INTO cx.calendars (name, time_zone, weekend, federal_holidays, cutoff, description)
VALUES ('pacific_ops', 'America/Los_Angeles', '{7}', true, '16:30', 'six-day field offices');
INSERT INTO cx.holidays (calendar, day, name) VALUES
	('pacific_ops', '2025-12-24', 'Christmas Eve closure'),
	('us_federal', '2025-12-26', 'day after Christmas by executive order');

CREATE TABLE waits (id int PRIMARY KEY, office text, wait interval, score float8);
INSERT INTO waits
SELECT g, 'office ' || g % 4, make_interval(days => g % 40, secs => (g * 7919) % 86400), ((g * 104729) % 10007) / 100.0 - 30
FROM generate_series(1, 20000) g;
CREATE TABLE sketches AS
SELECT office, cx.cycle_sketch(wait) AS sk, cx.number_sketch(score) AS nsk FROM waits GROUP BY office;
CREATE TABLE surveys AS
SELECT office, cx.ratings(1 + (id * 31) % 5, 1, 5) AS r, cx.ratings((id * 17) % 11, 0, 10) AS nps FROM waits GROUP BY office;
CREATE TABLE promises (service text PRIMARY KEY, promise cx.standard NOT NULL);
INSERT INTO promises VALUES ('passport', '90% within 30 business days'), ('call center', '80% within 20 minutes'),
	('foia', 'within 20 business days');

CREATE TYPE app_state AS ENUM ('on_track', 'at_risk', 'breached', 'met', 'missed');
CREATE TABLE apps (id int PRIMARY KEY, received_at timestamptz, decided_at timestamptz, cx_status text);
CREATE TABLE claims (id int PRIMARY KEY, opened timestamptz, closed timestamptz, st app_state);
SELECT cx.track('apps', 'within 20 business days', started => 'received_at', finished => 'decided_at',
				status => 'cx_status', key => 'id');
SELECT cx.track('claims', '90% within 10 business days', started => 'opened', finished => 'closed',
				status => 'st', calendar => 'pacific_ops', key => 'id');
INSERT INTO apps
SELECT g, timestamptz '2025-11-03 09:00+00' + g * interval '7 hours',
	   CASE WHEN g % 3 <> 0 THEN timestamptz '2025-11-03 09:00+00' + g * interval '7 hours' + (g % 50) * interval '1 day' END
FROM generate_series(1, 200) g;
INSERT INTO claims
SELECT g, timestamptz '2025-12-01 17:00+00' + g * interval '5 hours',
	   CASE WHEN g % 4 <> 0 THEN timestamptz '2025-12-01 17:00+00' + g * interval '5 hours' + (g % 25) * interval '1 day' END
FROM generate_series(1, 100) g;
UPDATE apps SET decided_at = received_at + interval '60 days' WHERE id % 10 = 0 AND decided_at IS NULL;
CREATE TABLE survey (id int PRIMARY KEY, nps int);
SELECT cx.track_scores('survey', answer => 'nps', threshold => 6);
INSERT INTO survey SELECT g, g % 11 FROM generate_series(1, 50) g;
-- two clocks, a standard per row from a lookup table (with a calendar per entry), pauses
CREATE TABLE lines (line text PRIMARY KEY, standard cx.standard, calendar text);
INSERT INTO lines VALUES ('foia', '90% within 20 business days', NULL), ('claims', '90% within 10 business days', 'pacific_ops'),
	('calls', '95% within 48 hours', NULL);
CREATE TABLE reqs (id int PRIMARY KEY, line text, received_at timestamptz, acked_at timestamptz, decided_at timestamptz,
				   tolled timestamptz, cx_status text, ack_status text);
SELECT cx.track('reqs', NULL, started => 'received_at', finished => 'decided_at', status => 'cx_status',
				lookup => 'lines', by => 'line', paused => 'tolled', clock => 'decide');
SELECT cx.track('reqs', '90% within 2 business days', started => 'received_at', finished => 'acked_at',
				status => 'ack_status', clock => 'acknowledge');
INSERT INTO reqs (id, line, received_at, acked_at)
SELECT g, (ARRAY['foia', 'claims', 'calls', 'none'])[1 + g % 4], timestamptz '2025-11-03 09:00+00' + g * interval '9 hours',
	   CASE WHEN g % 2 = 0 THEN timestamptz '2025-11-03 09:00+00' + g * interval '9 hours' + (g % 4) * interval '1 day' END
FROM generate_series(1, 60) g;
UPDATE reqs SET tolled = received_at + interval '3 days' WHERE id % 5 = 0;
UPDATE reqs SET decided_at = received_at + interval '40 days' WHERE id % 10 = 0;
UPDATE lines SET standard = '90% within 25 business days' WHERE line = 'foia';
