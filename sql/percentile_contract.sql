-- percentile_cont's whole contract for cx.percentile / cx.percentile_disc:
-- PostgreSQL's own ordered-set regression queries (src/test/regress/sql/
-- aggregates.sql), rewritten for the cx aggregates and checked against the
-- built-ins in the same query; fraction arrays of any shape and bounds; empty
-- and NULL arrays; NULL elements; the sketch accessors' arrays.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS cx_metrics;
RESET client_min_messages;
SET extra_float_digits = 0;
-- tenk1's thousand column (unique1 % 1000) and aggtest's b (float4)
CREATE TEMP TABLE tenk1 AS SELECT g % 1000 AS thousand FROM generate_series(0, 9999) g;
CREATE TEMP TABLE aggtest (a int2, b float4);
INSERT INTO aggtest VALUES (56, 7.8), (100, 99.097), (0, 0.09561), (42, 324.78);

-- select p, percentile_cont(p) within group (order by x::float8) ...
SELECT p, cx.percentile(x::float8, p) AS cx,
       percentile_cont(p) WITHIN GROUP (ORDER BY x::float8) AS pg
FROM generate_series(1, 5) x,
     (VALUES (0::float8), (0.1), (0.25), (0.4), (0.5), (0.6), (0.75), (0.9), (1)) v(p)
GROUP BY p ORDER BY p;
SELECT cx.percentile(b, 0.5) AS cx, percentile_cont(0.5) WITHIN GROUP (ORDER BY b) AS pg FROM aggtest;
SELECT cx.percentile(b, 0.5) AS cx, sum(b) FROM aggtest;
SELECT cx.percentile(thousand, 0.5) AS cx, percentile_cont(0.5) WITHIN GROUP (ORDER BY thousand) AS pg FROM tenk1;
SELECT cx.percentile_disc(thousand, 0.5) AS cx, percentile_disc(0.5) WITHIN GROUP (ORDER BY thousand::float8) AS pg FROM tenk1;
SELECT cx.percentile_disc(thousand, array[0,0.1,0.25,0.5,0.75,0.9,1]) AS cx,
       cx.percentile_disc(thousand, array[0,0.1,0.25,0.5,0.75,0.9,1])
         = percentile_disc(array[0,0.1,0.25,0.5,0.75,0.9,1]) WITHIN GROUP (ORDER BY thousand::float8) AS same
FROM tenk1;
SELECT cx.percentile(thousand, array[0,0.25,0.5,0.75,1]) AS cx,
       cx.percentile(thousand, array[0,0.25,0.5,0.75,1])
         = percentile_cont(array[0,0.25,0.5,0.75,1]) WITHIN GROUP (ORDER BY thousand) AS same
FROM tenk1;
-- a two-dimensional array with NULL elements
SELECT cx.percentile_disc(thousand, array[[null,1,0.5],[0.75,0.25,null]]) AS cx,
       percentile_disc(array[[null,1,0.5],[0.75,0.25,null]]) WITHIN GROUP (ORDER BY thousand::float8) AS pg
FROM tenk1;
SELECT cx.percentile(x, array[0,1,0.25,0.75,0.5,1,0.3,0.32,0.35,0.38,0.4]) AS cx,
       cx.percentile(x, array[0,1,0.25,0.75,0.5,1,0.3,0.32,0.35,0.38,0.4])
         = percentile_cont(array[0,1,0.25,0.75,0.5,1,0.3,0.32,0.35,0.38,0.4]) WITHIN GROUP (ORDER BY x) AS same
FROM generate_series(1, 6) x;
-- (aggregates.sql's percentile_disc(a) WITHIN GROUP (ORDER BY x) with an
-- outer x is an error about direct arguments, which ordinary aggregates
-- do not have)

-- shape and bounds: every dimensionality, lower bounds other than 1
CREATE TEMP TABLE shapes (id int, fr float8[]);
INSERT INTO shapes VALUES
  (1, '[0:2]={0.1,0.5,0.9}'),
  (2, '[-3:-2]={0.25,0.75}'),
  (3, '{{0.1,0.2},{0.3,0.4},{0.5,0.6}}'),
  (4, '[2:3][0:1]={{0,1},{NULL,0.5}}'),
  (5, '{{{0.1},{0.9}},{{0.5},{NULL}}}'),
  (6, '[5:5]={1}'),
  (7, '{}'),
  (8, NULL);
SELECT s.id, s.fr,
       (SELECT cx.percentile(thousand, s.fr) FROM tenk1) AS cont,
       (SELECT cx.percentile_disc(thousand, s.fr) FROM tenk1) AS disc
FROM shapes s ORDER BY s.id;
-- the same answers, shapes and bounds as the built-ins, double precision and interval
SELECT s.id,
       (SELECT cx.percentile(thousand, s.fr) FROM tenk1)
         IS NOT DISTINCT FROM (SELECT percentile_cont(s.fr) WITHIN GROUP (ORDER BY thousand) FROM tenk1) AS cont,
       (SELECT cx.percentile_disc(thousand, s.fr) FROM tenk1)
         IS NOT DISTINCT FROM (SELECT percentile_disc(s.fr) WITHIN GROUP (ORDER BY thousand::float8) FROM tenk1) AS disc,
       (SELECT array_dims(cx.percentile(thousand * interval '1 hour', s.fr)) FROM tenk1)
         IS NOT DISTINCT FROM (SELECT array_dims(percentile_cont(s.fr) WITHIN GROUP (ORDER BY thousand * interval '1 hour')) FROM tenk1) AS dims_iv,
       (SELECT cx.percentile(thousand * interval '1 hour', s.fr)::text FROM tenk1)
         IS NOT DISTINCT FROM (SELECT (percentile_cont(s.fr) WITHIN GROUP (ORDER BY thousand * interval '1 hour'))::text FROM tenk1) AS cont_iv,
       (SELECT cx.percentile_disc(thousand * interval '1 day', s.fr)::text FROM tenk1)
         IS NOT DISTINCT FROM (SELECT (percentile_disc(s.fr) WITHIN GROUP (ORDER BY thousand * interval '1 day'))::text FROM tenk1) AS disc_iv
FROM shapes s ORDER BY s.id;
-- no rows: NULL whatever the array
SELECT cx.percentile(x, '[0:1]={0.5,0.9}'::float8[]) IS NULL AS cx_null,
       percentile_cont('[0:1]={0.5,0.9}'::float8[]) WITHIN GROUP (ORDER BY x) IS NULL AS pg_null,
       cx.percentile(x, '{}'::float8[]) IS NULL AS cx_empty_null
FROM generate_series(1, 0) x;
-- every row must ask the same question: the same shape too
SELECT cx.percentile(x, CASE WHEN x < 3 THEN '{0.5}'::float8[] ELSE '[0:0]={0.5}' END) FROM generate_series(1, 5) x;
SELECT cx.percentile(x, CASE WHEN x < 3 THEN NULL ELSE '{0.5}'::float8[] END) FROM generate_series(1, 5) x;
SELECT cx.percentile(x, array[[0.5],[1.5]]) FROM generate_series(1, 5) x;

-- the shape travels with partial states through a parallel plan
CREATE TABLE contract_par AS SELECT g % 1000 AS thousand, g % 7 AS grp FROM generate_series(0, 99999) g;
ANALYZE contract_par;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT grp, cx.percentile(thousand, '[0:1][2:3]={{0.1,0.9},{0.5,NULL}}'::float8[])
FROM contract_par GROUP BY grp;
SELECT grp, cx.percentile(thousand, '[0:1][2:3]={{0.1,0.9},{0.5,NULL}}'::float8[]) AS cx,
       cx.percentile(thousand, '[0:1][2:3]={{0.1,0.9},{0.5,NULL}}'::float8[])
         IS NOT DISTINCT FROM percentile_cont('[0:1][2:3]={{0.1,0.9},{0.5,NULL}}'::float8[]) WITHIN GROUP (ORDER BY thousand) AS same
FROM contract_par GROUP BY grp ORDER BY grp;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
DROP TABLE contract_par;

-- the sketch accessors keep shape and bounds too, and NULL / empty arrays
SELECT s.id,
       array_dims(cx.percentile(cx.cycle_sketch(thousand * interval '1 hour'), s.fr)) AS cycle_dims,
       array_dims(cx.percentile(cx.cycle_sketch(thousand * interval '1 hour'), s.fr, 'hours')) AS unit_dims,
       array_dims(cx.percentile(cx.number_sketch(thousand::float8), s.fr)) AS number_dims,
       array_dims(percentile_cont(s.fr) WITHIN GROUP (ORDER BY thousand)) AS pg_dims,
       cx.percentile(cx.number_sketch(thousand::float8), s.fr) IS NULL AS number_null
FROM shapes s, tenk1 GROUP BY s.id, s.fr ORDER BY s.id;
