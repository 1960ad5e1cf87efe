-- Sample survey answers for make demo: after a decision, about one customer
-- in five answers the agency's post-transaction survey — the OMB Circular
-- A-11 section 280 items on a 1-5 agreement scale, the Net Promoter question
-- on 0-10, and customer effort on 1-7.  Satisfaction differs by product
-- line, falls when a decision took long, and drifts from quarter to quarter
-- (Benefit claim slips in 2026 Q3).  Deterministic: setseed().
SELECT setseed(0.404);

-- Standalone use (without 00_data.sql): a small applications table.
DO $$
BEGIN
	IF to_regclass('applications') IS NULL THEN
		CREATE TABLE applications (
			id           bigserial PRIMARY KEY,
			product_line text NOT NULL,
			channel      text NOT NULL,
			received_at  timestamptz NOT NULL,
			decided_at   timestamptz
		);
		INSERT INTO applications (product_line, channel, received_at, decided_at)
		SELECT line, 'online', t, t + (1 + 40 * random() ^ 2) * interval '1 day'
		FROM (SELECT (ARRAY['Passport renewal', 'Benefit claim', 'Disability appeal', 'FOIA request',
							'Small business loan', 'Building permit', 'Tax refund inquiry',
							'Veterans records'])[1 + floor(random() * 8)::int] AS line,
					 timestamptz '2024-11-21 09:00 America/New_York' + random() * interval '700 days' AS t
			  FROM generate_series(1, 200000)) g;
	END IF;
END
$$;

-- The questions and their declared scales (never guessed from the answers).
CREATE TABLE survey_questions (
	question   text PRIMARY KEY,
	wording    text NOT NULL,
	scale_low  int NOT NULL,
	scale_high int NOT NULL
);
INSERT INTO survey_questions VALUES
	('satisfaction', 'I am satisfied with the service I received.', 1, 5),
	('trust',        'This interaction increased my trust in the agency.', 1, 5),
	('ease',         'It was easy to complete what I needed to do.', 1, 5),
	('efficiency',   'It took a reasonable amount of time.', 1, 5),
	('helpfulness',  'Employees were helpful.', 1, 5),
	('nps',          'How likely are you to recommend this service to a friend? (0-10)', 0, 10),
	('effort',       'The agency made it easy for me to handle my request. (1-7)', 1, 7);

CREATE TABLE survey_answers (
	id             bigserial PRIMARY KEY,
	application_id bigint NOT NULL,
	product_line   text NOT NULL,
	answered_at    timestamptz NOT NULL,
	question       text NOT NULL REFERENCES survey_questions,
	answer         int				-- NULL: question skipped
);

-- One latent "how did it go" per respondent: product line, quarter-to-
-- quarter drift, a penalty when the decision took long, and noise; each item
-- adds its own noise and is rounded onto its scale.
WITH respondents AS (
	SELECT a.id, a.product_line,
		   a.decided_at + (1 + 6 * random()) * interval '1 day' AS answered_at,
		   extract(epoch FROM a.decided_at - a.received_at) / 86400 AS took_days
	FROM applications a
	WHERE a.decided_at IS NOT NULL AND random() < 0.2
), latent AS (
	SELECT r.*,
		   CASE r.product_line
			   WHEN 'Passport renewal' THEN 0.55 WHEN 'Benefit claim' THEN 0.10
			   WHEN 'Disability appeal' THEN -0.55 WHEN 'FOIA request' THEN -0.35
			   WHEN 'Small business loan' THEN 0.30 WHEN 'Building permit' THEN -0.15
			   WHEN 'Tax refund inquiry' THEN 0.20 ELSE 0.05 END
		   -- drift: +0.04 per quarter for most lines, Benefit claim slips in 2026 Q3
		   + 0.04 * (extract(year FROM r.answered_at) * 4 + extract(quarter FROM r.answered_at) - 8100)
		   - CASE WHEN r.product_line = 'Benefit claim' AND r.answered_at >= '2026-07-01' THEN 0.45 ELSE 0 END
		   - 0.35 * least(2, greatest(0, ln(greatest(r.took_days, 1) / 15)))
		   + 0.75 * sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()) AS s
	FROM respondents r
)
INSERT INTO survey_answers (application_id, product_line, answered_at, question, answer)
SELECT l.id, l.product_line, l.answered_at, q.question,
	   CASE WHEN random() < 0.04 THEN NULL	-- skipped
			ELSE least(q.scale_high, greatest(q.scale_low, round(
				CASE q.question
					WHEN 'nps' THEN 7.6 + 2.2 * l.s
					WHEN 'effort' THEN 5.0 + 1.5 * l.s
					WHEN 'efficiency' THEN 3.6 + 1.1 * l.s - 0.2
					ELSE 3.7 + 1.0 * l.s END
				+ 0.6 * sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()))))::int END
FROM latent l CROSS JOIN survey_questions q;

CREATE INDEX ON survey_answers (question, answered_at);
ANALYZE survey_questions;
ANALYZE survey_answers;

-- Daily tallies, the way a dashboard would store them: one cx.ratings per
-- day, product line and question; quarters are rolled up from these.
CREATE TABLE survey_daily AS
SELECT (a.answered_at AT TIME ZONE 'America/New_York')::date AS day, a.product_line, a.question,
	   cx.ratings(a.answer, q.scale_low, q.scale_high) AS tally
FROM survey_answers a JOIN survey_questions q USING (question)
GROUP BY 1, 2, 3;
ANALYZE survey_daily;
