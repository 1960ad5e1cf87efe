-- Parallel plans: partial aggregation (the state is the sketch type itself)
-- gives exactly the same sketch as a serial plan, for the aggregates, the
-- rollup and GROUP BY.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS cx_metrics;
RESET client_min_messages;
SELECT setseed(0.7);
CREATE TABLE sk_par AS
SELECT i AS id, i % 5 AS grp,
       make_interval(secs => round(exp(ln(432000) + sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()))::numeric, 6)) AS d,
       exp(ln(3600) + 2 * sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random())) - 100 AS x
FROM generate_series(1, 200000) i;
ANALYZE sk_par;
CREATE TABLE sk_par_daily AS SELECT id % 400 AS day, cx.cycle_sketch(d) AS s FROM sk_par GROUP BY 1;
ANALYZE sk_par_daily;

-- serial answers
SET max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE serial AS
SELECT (SELECT cx.cycle_sketch(d)::text FROM sk_par) AS s_int,
       (SELECT cx.percentile(cx.number_sketch(x), ARRAY[0, 0.01, 0.5, 0.9, 0.99, 1]) FROM sk_par) AS n_pct,
       (SELECT cx.count(cx.number_sketch(x)) FROM sk_par) AS n_count,
       (SELECT cx.mean(cx.number_sketch(x)) FROM sk_par) AS n_mean,
       (SELECT cx.rollup(s)::text FROM sk_par_daily) AS rolled,
       (SELECT array_agg(t ORDER BY grp) FROM (SELECT grp, cx.cycle_sketch(d)::text t FROM sk_par GROUP BY grp) g) AS grouped;

-- force parallel plans
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF) SELECT cx.cycle_sketch(d) FROM sk_par;
EXPLAIN (COSTS OFF) SELECT cx.rollup(s) FROM sk_par_daily;
SET enable_hashagg = off;
EXPLAIN (COSTS OFF) SELECT grp, cx.cycle_sketch(d) FROM sk_par GROUP BY grp;
RESET enable_hashagg;

SELECT (SELECT cx.cycle_sketch(d)::text FROM sk_par) = s_int AS interval_sketch_same,
       (SELECT cx.percentile(cx.number_sketch(x), ARRAY[0, 0.01, 0.5, 0.9, 0.99, 1]) FROM sk_par) = n_pct AS number_percentiles_same,
       (SELECT cx.count(cx.number_sketch(x)) FROM sk_par) = n_count AS number_count_same,
       abs((SELECT cx.mean(cx.number_sketch(x)) FROM sk_par) - n_mean) <= 1e-12 * abs(n_mean) AS number_mean_same,
       (SELECT cx.rollup(s)::text FROM sk_par_daily) = rolled AS rollup_same,
       (SELECT array_agg(t ORDER BY grp) FROM (SELECT grp, cx.cycle_sketch(d)::text t FROM sk_par GROUP BY grp) g) = grouped AS group_by_same
FROM serial;
SET enable_hashagg = off;
SELECT (SELECT array_agg(t ORDER BY grp) FROM (SELECT grp, cx.cycle_sketch(d)::text t FROM sk_par GROUP BY grp) g) = grouped AS sorted_group_by_same
FROM serial;
RESET enable_hashagg;

DROP TABLE sk_par, sk_par_daily;
