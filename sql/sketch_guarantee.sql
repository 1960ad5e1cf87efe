-- The relative-error guarantee, tested against PostgreSQL's percentile_disc.
-- For every q in 0, 0.001, ..., 1 the sketch answers the value of rank
-- max(1, ceil(q * n)) (the rank percentile_disc uses) to within alpha:
--   |sketch - exact| <= alpha * |exact|
-- (number sketches: up to 1e-12 relative floating-point slack; cycle
-- sketches answer whole microseconds, so up to 0.5 us more).
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS cx_metrics;
RESET client_min_messages;
SELECT setseed(0.3);

CREATE TEMP TABLE qs AS SELECT array_agg(i / 1000.0::float8 ORDER BY i) AS q FROM generate_series(0, 1000) i;

-- number data sets (20,000 rows each)
CREATE TEMP TABLE nums (ds text, x float8);
INSERT INTO nums SELECT 'uniform', random() * 1000 FROM generate_series(1, 20000);
INSERT INTO nums SELECT 'lognormal', exp(ln(432000) + sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random())) FROM generate_series(1, 20000);
INSERT INTO nums SELECT 'pareto', 3600 / power(1 - random(), 1 / 1.1) FROM generate_series(1, 20000);
INSERT INTO nums SELECT 'bimodal', CASE WHEN random() < 0.7 THEN 2 + random() ELSE 60 + 10 * random() END FROM generate_series(1, 20000);
INSERT INTO nums SELECT 'single value', 86400 FROM generate_series(1, 20000);
INSERT INTO nums SELECT 'signed with zeros', CASE WHEN i % 10 = 0 THEN 0 ELSE (random() - 0.3) * 1e6 END FROM generate_series(1, 20000) i;
INSERT INTO nums SELECT 'tiny to huge', exp(random() * 1400 - 700) FROM generate_series(1, 20000);

-- interval data sets (20,000 rows each)
CREATE TEMP TABLE durs (ds text, d interval);
INSERT INTO durs SELECT 'lognormal', make_interval(secs => round(exp(ln(432000) + sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()))::numeric, 6)) FROM generate_series(1, 20000);
INSERT INTO durs SELECT '1 us to 100 years', make_interval(secs => floor(exp(random() * ln(3155760000e6))) / 1e6) FROM generate_series(1, 20000);
INSERT INTO durs SELECT 'single value', interval '4 days 03:00' FROM generate_series(1, 20000);
INSERT INTO durs SELECT 'bimodal', CASE WHEN random() < 0.5 THEN make_interval(mins => (random() * 30)::int) ELSE make_interval(days => 20 + (random() * 10)::int) END FROM generate_series(1, 20000);

-- alpha = 1% (default) on every number data set
SELECT ds, count(*) AS qs_checked,
       bool_and(abs(a - e) <= 0.01 * abs(e) * (1 + 1e-12)) AS within_alpha,
       bool_and(a = e) FILTER (WHERE q IN (0, 1)) AS ends_exact
FROM (SELECT ds, percentile_disc((SELECT q FROM qs)) WITHIN GROUP (ORDER BY x) AS exact,
             cx.percentile(cx.number_sketch(x), (SELECT q FROM qs)) AS approx
      FROM nums GROUP BY ds) t,
     unnest(exact, approx, (SELECT q FROM qs)) AS u(e, a, q)
GROUP BY ds ORDER BY ds;

-- other accuracies
SELECT ds, alpha, bool_and(abs(a - e) <= alpha * abs(e) * (1 + 1e-12)) AS within_alpha
FROM (VALUES (0.001), (0.05), (0.5)) al(alpha),
     LATERAL (SELECT ds, percentile_disc((SELECT q FROM qs)) WITHIN GROUP (ORDER BY x) AS exact,
                     cx.percentile(cx.number_sketch(x, alpha), (SELECT q FROM qs)) AS approx
              FROM nums WHERE ds IN ('lognormal', 'pareto') GROUP BY ds) t,
     unnest(exact, approx) AS u(e, a)
GROUP BY ds, alpha ORDER BY ds, alpha;

-- interval data sets: answers in whole microseconds
SELECT ds, count(*) AS qs_checked,
       bool_and(abs(extract(epoch FROM a - e)) * 1e6 <= 0.01 * abs(extract(epoch FROM e)) * 1e6 + 0.5) AS within_alpha,
       bool_and(a = e) FILTER (WHERE q IN (0, 1)) AS ends_exact
FROM (SELECT ds, percentile_disc((SELECT q FROM qs)) WITHIN GROUP (ORDER BY d) AS exact,
             cx.percentile(cx.cycle_sketch(d), (SELECT q FROM qs)) AS approx
      FROM durs GROUP BY ds) t,
     unnest(exact, approx, (SELECT q FROM qs)) AS u(e, a, q)
GROUP BY ds ORDER BY ds;

-- the numeric path with units agrees with the interval answers
SELECT bool_and(cx.percentile(s, q, 'seconds') = extract(epoch FROM cx.percentile(s, q))::float8) AS seconds_agree,
       bool_and(abs(cx.percentile(s, q, 'days') * 86400 - extract(epoch FROM cx.percentile(s, q))::float8) < 1e-6) AS days_agree
FROM (SELECT cx.cycle_sketch(d) s FROM durs WHERE ds = 'lognormal') t, unnest((SELECT q FROM qs)) q;

-- share_within is bracketed: every value <= L/(1+alpha) is counted, none > L/(1-alpha)
WITH k AS (SELECT ds, cx.number_sketch(x) AS s, count(*) AS n FROM nums GROUP BY ds),
     ex AS (SELECT ds, l, count(*) FILTER (WHERE x <= l / 1.01) AS lo, count(*) FILTER (WHERE x <= l / 0.99) AS hi
            FROM nums, (VALUES (-1000.0), (0.0), (1.0), (100.0), (3600.0), (86400.0), (432000.0), (1e6)) v(l)
            GROUP BY ds, l)
SELECT ds, bool_and(lo::float8 / n <= cx.share_within(s, l) AND cx.share_within(s, l) <= hi::float8 / n) AS share_bracketed,
       bool_and(cx.rank(s, l) = round(cx.share_within(s, l) * n)) AS rank_matches_share
FROM k JOIN ex USING (ds) WHERE ds <> 'signed with zeros'
GROUP BY ds ORDER BY ds;

-- mean is exact for intervals (to the microsecond, half away from zero), min and max exact
WITH k AS (SELECT ds, cx.cycle_sketch(d) AS s, avg(extract(epoch FROM d)) AS mean_secs,
                  min(d) AS mn, max(d) AS mx, count(*) AS n
           FROM durs GROUP BY ds)
SELECT ds, extract(epoch FROM cx.mean(s)) = round(mean_secs, 6) AS mean_exact,
       cx.min(s) = mn AS min_exact, cx.max(s) = mx AS max_exact, cx.count(s) = n AS count_exact
FROM k ORDER BY ds;

-- a rollup of 365 daily sketches: same sketch as one over all the data,
-- so the same answers, within alpha of the exact ones
CREATE TEMP TABLE year_rows AS
SELECT date '2025-01-01' + (i % 365) AS day,
       make_interval(secs => round(exp(ln(432000) + 1.2 * sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()))::numeric, 6)) AS d
FROM generate_series(1, 73000) i;
CREATE TEMP TABLE daily AS SELECT day, cx.cycle_sketch(d) AS s FROM year_rows GROUP BY day;
SELECT count(*) AS daily_sketches FROM daily;
SELECT (SELECT cx.rollup(s) FROM daily)::text = (SELECT cx.cycle_sketch(d) FROM year_rows)::text AS rollup_identical;
SELECT bool_and(abs(extract(epoch FROM a - e)) * 1e6 <= 0.01 * abs(extract(epoch FROM e)) * 1e6 + 0.5) AS rollup_within_alpha,
       bool_and(a = b) AS rollup_answers_equal_whole
FROM unnest((SELECT percentile_disc((SELECT q FROM qs)) WITHIN GROUP (ORDER BY d) FROM year_rows),
            (SELECT cx.percentile(cx.rollup(s), (SELECT q FROM qs)) FROM daily),
            (SELECT cx.percentile(cx.cycle_sketch(d), (SELECT q FROM qs)) FROM year_rows)) AS u(e, a, b);
-- rollup of rollups (monthly, then the year) is the same again
SELECT (SELECT cx.rollup(m) FROM (SELECT cx.rollup(s) m FROM daily GROUP BY date_trunc('month', day)) t)::text
     = (SELECT cx.rollup(s) FROM daily)::text AS rollup_of_rollups_identical;

-- size stays small: 20,000 lognormal durations at 1%
SELECT pg_column_size(cx.cycle_sketch(d)) < 1200 AS compact FROM durs WHERE ds = 'lognormal';
