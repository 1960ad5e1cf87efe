-- Exact percentiles: every answer is compared with PostgreSQL's own
-- percentile_cont / percentile_disc on the same data.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS cx_metrics;
RESET client_min_messages;
SET extra_float_digits = 0;
SELECT setseed(0.5);

CREATE TEMP TABLE d AS
SELECT i,
       (i % 7) AS g,
       CASE WHEN i % 10 = 0 THEN NULL ELSE round((random() * 1000)::numeric, 1)::float8 END AS x,  -- many ties
       (random() - 0.5) * 1e6 AS y,                                                              -- mixed signs
       exp(random() * 60 - 30) AS z,                                                             -- 1e-13 .. 1e13
       make_interval(days => (random() * 40)::int, secs => random() * 86400) AS iv,
       make_interval(months => (random() * 3)::int, days => (random() * 45)::int - 10,
                     secs => (random() - 0.3) * 200000) AS mix                                   -- months, negatives
FROM generate_series(1, 5000) AS i;

-- float8, many fractions, continuous and discrete, with ties and NULLs
SELECT p,
       cx.percentile(x, p) = percentile_cont(p) WITHIN GROUP (ORDER BY x) AS cont_x,
       cx.percentile_disc(x, p) = percentile_disc(p) WITHIN GROUP (ORDER BY x) AS disc_x,
       cx.percentile(y, p) = percentile_cont(p) WITHIN GROUP (ORDER BY y) AS cont_y,
       cx.percentile_disc(y, p) = percentile_disc(p) WITHIN GROUP (ORDER BY y) AS disc_y,
       cx.percentile(z, p) = percentile_cont(p) WITHIN GROUP (ORDER BY z) AS cont_z,
       cx.percentile_disc(z, p) = percentile_disc(p) WITHIN GROUP (ORDER BY z) AS disc_z
FROM d, unnest(ARRAY[0, 0.001, 0.1, 0.25, 0.333, 0.5, 0.9, 0.95, 0.99, 0.999, 1]) AS p
GROUP BY p ORDER BY p;

-- interval, including months and negative parts
SELECT p,
       cx.percentile(iv, p) = percentile_cont(p) WITHIN GROUP (ORDER BY iv) AS cont_iv,
       cx.percentile_disc(iv, p) = percentile_disc(p) WITHIN GROUP (ORDER BY iv) AS disc_iv,
       cx.percentile(mix, p) = percentile_cont(p) WITHIN GROUP (ORDER BY mix) AS cont_mix,
       cx.percentile_disc(mix, p) = percentile_disc(p) WITHIN GROUP (ORDER BY mix) AS disc_mix
FROM d, unnest(ARRAY[0, 0.01, 0.5, 0.9, 0.95, 1]) AS p
GROUP BY p ORDER BY p;

-- array forms, with a NULL element, in the caller's order
SELECT cx.percentile(x, ARRAY[0.9, NULL, 0.5, 0.5, 0]) =
         percentile_cont(ARRAY[0.9, NULL, 0.5, 0.5, 0]) WITHIN GROUP (ORDER BY x) AS cont_arr,
       cx.percentile_disc(x, ARRAY[0.9, NULL, 0.5, 0.5, 0]) =
         percentile_disc(ARRAY[0.9, NULL, 0.5, 0.5, 0]) WITHIN GROUP (ORDER BY x) AS disc_arr,
       cx.percentile(iv, ARRAY[0.95, 0.5, 0.9]) =
         percentile_cont(ARRAY[0.95, 0.5, 0.9]) WITHIN GROUP (ORDER BY iv) AS cont_iv_arr,
       cx.percentile_disc(mix, ARRAY[0.95, 0.5, 0.9]) =
         percentile_disc(ARRAY[0.95, 0.5, 0.9]) WITHIN GROUP (ORDER BY mix) AS disc_mix_arr,
       cx.percentile(x, ARRAY[]::float8[]) AS empty_arr
FROM d;
SELECT cx.percentile(x, ARRAY[0.5, NULL]) FROM (VALUES (1.0::float8), (2.0)) v(x);

-- GROUP BY and ROLLUP
SELECT count(*) AS groups,
       bool_and(a = b) AS same
FROM (SELECT g, cx.percentile(x, 0.9) AS a, percentile_cont(0.9) WITHIN GROUP (ORDER BY x) AS b
      FROM d GROUP BY ROLLUP (g)) s;

-- one row, two rows, all NULL, empty
SELECT cx.percentile(x, 0.9), cx.percentile_disc(x, 0.9), cx.percentile(x, ARRAY[0, 1])
FROM (VALUES (3.5::float8)) v(x);
SELECT cx.percentile(x, 0.25), percentile_cont(0.25) WITHIN GROUP (ORDER BY x)
FROM (VALUES (1::float8), (5)) v(x);
SELECT cx.percentile(x, 0.5) IS NULL AS all_null, cx.percentile_disc(iv, 0.5) IS NULL AS all_null_iv,
       cx.percentile(x, ARRAY[0.5]) IS NULL AS all_null_arr
FROM (SELECT NULL::float8 AS x, NULL::interval AS iv FROM generate_series(1, 3)) s;
SELECT cx.percentile(x, 0.5) IS NULL AS empty FROM d WHERE false;
SELECT cx.percentile(x, NULL) IS NULL AS null_fraction FROM d;

-- integers and numeric go through double precision, as with percentile_cont
SELECT cx.percentile(i, 0.33) = percentile_cont(0.33) WITHIN GROUP (ORDER BY i) AS int_ok,
       cx.percentile(i::numeric / 7, 0.33) = percentile_cont(0.33) WITHIN GROUP (ORDER BY (i::numeric / 7)::float8) AS numeric_ok
FROM d;

-- huge and tiny magnitudes
SELECT cx.percentile(v, 0.5) = percentile_cont(0.5) WITHIN GROUP (ORDER BY v) AS extreme_ok
FROM (VALUES (1e-300::float8), (-1e300), (1e300), (5e-324), (0)) s(v);

-- as a window aggregate
SELECT bool_and(w = r) AS window_ok
FROM (SELECT g, cx.percentile(x, 0.5) OVER (PARTITION BY g) AS w FROM d) a
JOIN (SELECT g, percentile_cont(0.5) WITHIN GROUP (ORDER BY x) AS r FROM d GROUP BY g) b USING (g);

-- share_within against a plain count
SELECT cx.share_within(x, 500) = avg((x <= 500)::int)::float8 AS float_ok,
       cx.share_within(iv, interval '20 days') = avg((iv <= interval '20 days')::int)::float8 AS interval_ok,
       cx.share_within(mix, interval '1 month') = avg((mix <= interval '1 month')::int)::float8 AS month_ok
FROM d WHERE x IS NOT NULL;
SELECT cx.share_within(x, 1) IS NULL AS empty_share FROM d WHERE false;
SELECT cx.share_within(x, NULL) IS NULL AS null_limit FROM d;

-- a larger set: the one-scan selection path (more than 131072 values)
CREATE TEMP TABLE big AS
SELECT (random() * 1e6)::int::float8 AS x, make_interval(secs => random() * 1e7) AS iv,
       make_interval(days => (random() * 90)::int, secs => random() * 86400) AS ivd,
       make_interval(months => (random() * 2)::int, days => (random() * 40)::int, secs => random() * 86400) AS ivm
FROM generate_series(1, 300000);
SELECT cx.percentile(x, ARRAY[0.001, 0.5, 0.9, 0.95, 0.999]) =
         percentile_cont(ARRAY[0.001, 0.5, 0.9, 0.95, 0.999]) WITHIN GROUP (ORDER BY x) AS big_cont,
       cx.percentile_disc(iv, ARRAY[0.001, 0.5, 0.9]) =
         percentile_disc(ARRAY[0.001, 0.5, 0.9]) WITHIN GROUP (ORDER BY iv) AS big_disc_iv,
       cx.percentile(iv, 0.9) = percentile_cont(0.9) WITHIN GROUP (ORDER BY iv) AS big_cont_iv
FROM big;

-- a parallel plan: Partial Aggregate in the workers, same answers
-- temp tables are not scanned by workers: use a real table for the parallel check
CREATE TABLE pct_par AS SELECT * FROM big;
ANALYZE pct_par;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT cx.percentile(x, 0.9), cx.percentile(iv, ARRAY[0.5, 0.9]), cx.share_within(x, 500) FROM pct_par;
SELECT cx.percentile(x, 0.9) = (SELECT percentile_cont(0.9) WITHIN GROUP (ORDER BY x) FROM big) AS par_cont,
       cx.percentile_disc(iv, ARRAY[0.5, 0.9]) = (SELECT percentile_disc(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY iv) FROM big) AS par_disc_iv,
       cx.share_within(x, 5e5) = (SELECT avg((x <= 5e5)::int)::float8 FROM big) AS par_share,
       cx.percentile(ivd, 0.9) = (SELECT percentile_cont(0.9) WITHIN GROUP (ORDER BY ivd) FROM big) AS par_days,
       cx.percentile(ivm, ARRAY[0.1, 0.9]) = (SELECT percentile_cont(ARRAY[0.1, 0.9]) WITHIN GROUP (ORDER BY ivm) FROM big) AS par_months
FROM pct_par;
-- large partial states travel through the query's shared memory
-- (cx.shared_transfer, on by default) or through the tuple queue: same answers
SHOW cx.shared_transfer;
SET cx.shared_transfer = off;
SELECT cx.percentile(x, 0.9) = (SELECT percentile_cont(0.9) WITHIN GROUP (ORDER BY x) FROM big) AS tuple_cont,
       cx.percentile(ivd, 0.9) = (SELECT percentile_cont(0.9) WITHIN GROUP (ORDER BY ivd) FROM big) AS tuple_days,
       cx.percentile(ivm, ARRAY[0.1, 0.9]) = (SELECT percentile_cont(ARRAY[0.1, 0.9]) WITHIN GROUP (ORDER BY ivm) FROM big) AS tuple_months
FROM pct_par;
RESET cx.shared_transfer;
-- groups: finalized from a hash table, then from sorted input (Gather Merge)
ALTER TABLE pct_par ADD COLUMN g int;
UPDATE pct_par SET g = (x::bigint % 3)::int;
VACUUM ANALYZE pct_par;
CREATE TEMP TABLE pct_par_ref AS
SELECT g, percentile_cont(0.9) WITHIN GROUP (ORDER BY x) AS p, percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY iv) AS pi
FROM pct_par GROUP BY g;
SELECT count(*) AS groups, bool_and(s.p = r.p AND s.pi = r.pi) AS hashed_same
FROM (SELECT g, cx.percentile(x, 0.9) AS p, cx.percentile(iv, ARRAY[0.5, 0.9]) AS pi FROM pct_par GROUP BY g) s JOIN pct_par_ref r USING (g);
SET enable_hashagg = off;
SELECT count(*) AS groups, bool_and(s.p = r.p AND s.pi = r.pi) AS sorted_same
FROM (SELECT g, cx.percentile(x, 0.9) AS p, cx.percentile(iv, ARRAY[0.5, 0.9]) AS pi FROM pct_par GROUP BY g) s JOIN pct_par_ref r USING (g);
RESET enable_hashagg;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
DROP TABLE pct_par;

-- bad input: clear errors
SELECT cx.percentile(x, 1.5) FROM d;
SELECT cx.percentile(x, -0.1) FROM d;
SELECT cx.percentile(x, 'NaN') FROM d;
SELECT cx.percentile(x, ARRAY[0.5, 2]) FROM d;
SELECT cx.percentile(x, ARRAY[[0.5], [0.9]]) FROM d;
SELECT cx.percentile(x, NULL::float8[]) FROM d;
SELECT cx.percentile(x, i / 5000.0) FROM d;
SELECT cx.percentile(v, 0.5) FROM (VALUES (1::float8), ('NaN')) s(v);
SELECT cx.percentile(v, 0.5) FROM (VALUES (1::float8), ('Infinity')) s(v);
SELECT cx.percentile_disc(v, 0.5) FROM (VALUES (1::float8), ('-Infinity')) s(v);
SELECT cx.share_within(v, 1) FROM (VALUES ('NaN'::float8)) s(v);
SELECT cx.share_within(1::float8, 'Infinity');
SELECT cx.percentile(1::float8, ARRAY(SELECT 0.5::float8 FROM generate_series(1, 1001)));
