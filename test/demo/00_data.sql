-- Sample agency data set for make demo: about 200,000 applications over two
-- years, across eight product lines, with heavy-tailed (lognormal, and for
-- two lines a lognormal mixture with a backlog tail) decision times.  The
-- data are as of Friday 2026-11-20 17:00 US Eastern; applications whose
-- decision would come after that are still open (decided_at IS NULL).
-- Deterministic: setseed() makes every run produce the same rows.
SELECT setseed(0.2026);

CREATE TABLE service_lines (
    product_line  text PRIMARY KEY,
    volume        int NOT NULL,              -- applications over the two years
    median_days   float8 NOT NULL,           -- typical decision time
    spread        float8 NOT NULL,           -- lognormal sigma
    backlog_share float8 NOT NULL,           -- share that falls into a slow backlog
    standard_days int NOT NULL               -- the published standard: decided within N days
);

INSERT INTO service_lines VALUES
    ('Passport renewal',        52000,  9, 0.45, 0.03, 21),
    ('Benefit claim',           41000, 18, 0.60, 0.08, 30),
    ('Disability appeal',        9000, 95, 0.55, 0.10, 180),
    ('FOIA request',            14000, 16, 0.90, 0.12, 20),
    ('Small business loan',     17000, 12, 0.50, 0.04, 30),
    ('Building permit',         23000, 24, 0.70, 0.05, 45),
    ('Tax refund inquiry',      31000,  6, 0.80, 0.02, 14),
    ('Veterans records',        13000, 11, 0.65, 0.06, 20);

CREATE TABLE applications (
    id           bigserial PRIMARY KEY,
    product_line text NOT NULL REFERENCES service_lines,
    channel      text NOT NULL,
    received_at  timestamptz NOT NULL,
    decided_at   timestamptz               -- NULL: still open
);

INSERT INTO applications (product_line, channel, received_at, decided_at)
SELECT product_line, channel, received_at,
       CASE WHEN received_at + took <= timestamptz '2026-11-20 17:00 America/New_York'
            THEN received_at + took END
FROM (
    SELECT s.product_line,
           (ARRAY['online', 'online', 'online', 'mail', 'phone', 'in person'])[1 + floor(random() * 6)::int] AS channel,
           -- received during business hours, any day of the two years
           date_trunc('day', timestamptz '2024-11-21 00:00 America/New_York' + random() * interval '730 days')
             + interval '8 hours' + random() * interval '9 hours' AS received_at,
           -- lognormal decision time, with a slower backlog for some items
           make_interval(secs => 86400 * s.median_days
                 * CASE WHEN random() < s.backlog_share THEN 3.5 ELSE 1 END
                 * exp(s.spread * sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()))) AS took
    FROM service_lines s, generate_series(1, s.volume) AS g
) x;

CREATE INDEX ON applications (product_line, decided_at);
ANALYZE service_lines;
ANALYZE applications;
