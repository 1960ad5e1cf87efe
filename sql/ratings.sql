-- cx.ratings: every accessor against an independent plain-SQL formula,
-- published interval values, rollups, parallel plans and bad input.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS cx_metrics;
RESET client_min_messages;
SET extra_float_digits = 0;

SELECT setseed(0.25);
CREATE TABLE ra AS
SELECT i,
	   date '2026-01-01' + (i % 30) AS day,
	   i % 7 AS svc,
	   CASE WHEN i % 17 = 0 THEN NULL ELSE least(5, 1 + floor(random() * 5.6))::int END AS a5,
	   CASE WHEN i % 23 = 0 THEN NULL ELSE floor(random() * 11)::int END AS a11,
	   1 + floor(random() * 7)::int AS a7,
	   1 + floor(random() * 4)::int AS a4,
	   floor(random() * 2)::int AS a2,
	   1 + floor(random() * 10)::int AS a10,
	   floor(random() * 101)::int AS a100
FROM generate_series(1, 50000) AS i;
ANALYZE ra;

-- text form: canonical output and round trip
SELECT '1..5: 3 0 10 25 40'::cx.ratings AS a,
	   ' 0 .. 1 :7   9 ; 2 skipped '::cx.ratings AS b,
	   '-3..3: 1 2 3 4 5 6 7; 0 skipped'::cx.ratings AS c;
SELECT r::text::cx.ratings::text = r::text AS round_trip
FROM (SELECT cx.ratings(a100, 0, 100) AS r FROM ra) s;

-- bad text input: a clear error each
SELECT ''::cx.ratings;
SELECT '1..5'::cx.ratings;
SELECT '1..5: 1 2 3 4'::cx.ratings;
SELECT '1..5: 1 2 3 4 5 6'::cx.ratings;
SELECT '1..5: 1 2 -3 4 5'::cx.ratings;
SELECT '1..5: 1 2 3 4 x'::cx.ratings;
SELECT '5..1: 1 2 3 4 5'::cx.ratings;
SELECT '0..1001: 1 2'::cx.ratings;
SELECT '0..1: 9223372036854775807 1'::cx.ratings;
SELECT '1..5: 1 2 3 4 5; 3'::cx.ratings;

-- accessors against plain SQL on the same rows
WITH t AS (SELECT cx.ratings(a5, 1, 5) AS r FROM ra),
	 ref AS (SELECT count(a5) AS n, count(*) - count(a5) AS skipped, avg(a5)::float8 AS mean,
					stddev_samp(a5)::float8 AS sd,
					100.0 * avg((a5 >= 4)::int)::float8 AS csat,
					100.0 * avg((a5 = 5)::int)::float8 AS top1,
					100.0 * avg((a5 <= 2)::int)::float8 AS bottom2,
					(avg(a5)::float8 - 1) / 4 * 100 AS idx
			 FROM ra)
SELECT cx.count(r) = n AS count,
	   cx.skipped(r) = skipped AS skipped,
	   abs(cx.mean(r) - mean) < 1e-12 AS mean,
	   abs(cx.stddev(r) - sd) < 1e-12 AS stddev_is_sample,
	   abs(cx.csat(r) - csat) < 1e-9 AS csat,
	   abs(cx.top_box(r, 2) - csat) < 1e-9 AS top2,
	   abs(cx.top_box(r, 1) - top1) < 1e-9 AS top1,
	   abs(cx.bottom_box(r, 2) - bottom2) < 1e-9 AS bottom2,
	   abs(cx.index100(r) - idx) < 1e-9 AS index100,
	   cx.scale_low(r) = 1 AND cx.scale_high(r) = 5 AS scale
FROM t, ref;

-- NPS: percent 9-10 minus percent 0-6, and the shorthands
WITH t AS (SELECT cx.ratings(a11, 0, 10) AS r FROM ra)
SELECT abs(cx.nps(r) - (SELECT 100.0 * (count(*) FILTER (WHERE a11 >= 9) - count(*) FILTER (WHERE a11 <= 6)) / count(a11) FROM ra)) < 1e-9 AS nps,
	   abs((SELECT cx.nps(a11) FROM ra) - cx.nps(r)) < 1e-12 AS nps_shorthand,
	   abs((SELECT cx.csat(a5) FROM ra) - (SELECT 100.0 * avg((a5 >= 4)::int) FROM ra)) < 1e-9 AS csat_shorthand,
	   abs((SELECT cx.csat(a7, 1, 7) FROM ra) - (SELECT 100.0 * avg((a7 >= 5)::int) FROM ra)) < 1e-9 AS csat_shorthand_7,
	   abs((SELECT cx.mean_score(a5, 1, 5) FROM ra) - (SELECT avg(a5) FROM ra)) < 1e-12 AS mean_score
FROM t;

-- the positive set by scale length: 2 -> {1}, 4 -> {3,4}, 7 -> {5,6,7},
-- 10 (1..10) -> {6..10}, 11 (0..10) -> {6..10}, 101 (0..100) -> {51..100}
SELECT abs(cx.csat(cx.ratings(a2, 0, 1)) - 100.0 * avg((a2 = 1)::int)) < 1e-9 AS two,
	   abs(cx.csat(cx.ratings(a4, 1, 4)) - 100.0 * avg((a4 >= 3)::int)) < 1e-9 AS four,
	   abs(cx.csat(cx.ratings(a7, 1, 7)) - 100.0 * avg((a7 >= 5)::int)) < 1e-9 AS seven,
	   abs(cx.csat(cx.ratings(a10, 1, 10)) - 100.0 * avg((a10 >= 6)::int)) < 1e-9 AS ten,
	   abs(cx.csat(cx.ratings(a11, 0, 10)) - 100.0 * avg((a11 >= 6)::int)) < 1e-9 AS eleven,
	   abs(cx.csat(cx.ratings(a100, 0, 100)) - 100.0 * avg((a100 >= 51)::int)) < 1e-9 AS hundred_one
FROM ra;

-- distribution = GROUP BY count, shares in percent
WITH t AS (SELECT cx.ratings(a7, 1, 7) AS r FROM ra),
	 d AS (SELECT (cx.distribution(r)).* FROM t),
	 ref AS (SELECT g AS point, count(a7) AS count, 100.0 * count(a7) / (SELECT count(*) FROM ra) AS percent
			 FROM generate_series(1, 7) AS g LEFT JOIN ra ON a7 = g GROUP BY g)
SELECT count(*) AS points,
	   bool_and(d.count = ref.count) AS counts,
	   bool_and(abs(d.percent - ref.percent) < 1e-9) AS percents
FROM d JOIN ref USING (point);
SELECT * FROM cx.distribution('1..5: 3 0 10 25 40');
SELECT * FROM cx.distribution('1..5: 0 0 0 0 0; 4 skipped');

-- rollup of per-day tallies equals the tally of all rows
WITH daily AS (SELECT day, cx.ratings(a5, 1, 5) AS r FROM ra GROUP BY day)
SELECT (SELECT cx.rollup(r) FROM daily)::text = (SELECT cx.ratings(a5, 1, 5) FROM ra)::text AS rollup_equals_all,
	   (SELECT cx.rollup(r) FROM daily) AS tally;
-- stored, merged pairwise, with NULLs
CREATE TABLE ra_daily AS SELECT day, svc, cx.ratings(a11, 0, 10) AS r FROM ra GROUP BY day, svc;
INSERT INTO ra_daily VALUES ('2026-03-01', 0, NULL);
SELECT (SELECT cx.rollup(r) FROM ra_daily)::text = (SELECT cx.ratings(a11, 0, 10) FROM ra)::text AS stored_rollup,
	   cx.ratings_merge('1..5: 1 2 3 4 5; 1 skipped', '1..5: 5 4 3 2 1') AS merged,
	   cx.ratings_merge(NULL, '1..5: 5 4 3 2 1') AS left_null,
	   cx.ratings_merge('1..5: 5 4 3 2 1', NULL) AS right_null,
	   (SELECT cx.rollup(r) FROM ra_daily WHERE r IS NULL) AS all_null;
SELECT max(pg_column_size(r)) AS stored_bytes_0_10 FROM ra_daily;
SELECT pg_column_size('1..5: 3 0 10 25 40'::cx.ratings) AS bytes_5_point,
	   pg_column_size(cx.ratings(a5, 1, 5)) <= 64 AS at_most_64 FROM ra;
SELECT cx.make_ratings(1, 5, '{3,0,10,25,40}') AS made,
	   cx.make_ratings(0, 1, '{1,2}', 7) AS with_skipped,
	   cx.counts('1..5: 3 0 10 25 40') AS counts;

-- parallel plans give identical results
CREATE TEMP TABLE serial AS
SELECT svc, cx.ratings(a5, 1, 5)::text AS r, cx.csat(a5) AS c, cx.nps(a11) AS n, cx.mean_score(a7, 1, 7) AS m
FROM ra GROUP BY svc;
CREATE TEMP TABLE serial_all AS
SELECT cx.ratings(a5, 1, 5)::text AS r, cx.csat(a5) AS c, cx.nps(a11) AS n FROM ra;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT cx.ratings(a5, 1, 5), cx.csat(a5), cx.nps(a11) FROM ra;
SELECT s.r = p.r AND s.c = p.c AND s.n = p.n AS parallel_same
FROM serial_all s, (SELECT cx.ratings(a5, 1, 5)::text AS r, cx.csat(a5) AS c, cx.nps(a11) AS n FROM ra) p;
SELECT count(*) = 7 AND bool_and(s.r = p.r AND s.c = p.c AND s.n = p.n AND s.m = p.m) AS parallel_grouped_same
FROM serial s JOIN (SELECT svc, cx.ratings(a5, 1, 5)::text AS r, cx.csat(a5) AS c, cx.nps(a11) AS n,
						   cx.mean_score(a7, 1, 7) AS m
					FROM ra GROUP BY svc) p USING (svc);
EXPLAIN (COSTS OFF) SELECT cx.rollup(r) FROM ra_daily;
SELECT (SELECT cx.rollup(r) FROM ra_daily)::text = (SELECT cx.ratings(a11, 0, 10) FROM ra)::text AS parallel_rollup_same;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;

-- as a window aggregate (running tally) and under GROUPING SETS
SELECT bool_and(cx.count(r) = n AND cx.skipped(r) = sk AND abs(cx.csat(r) - c) < 1e-9) AS running_tally
FROM (SELECT cx.ratings(a5, 1, 5) OVER w AS r, count(a5) OVER w AS n, count(*) OVER w - count(a5) OVER w AS sk,
			 100.0 * avg((a5 >= 4)::int) OVER w AS c
	  FROM ra WINDOW w AS (ORDER BY i ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)) s;
SELECT bool_and(cx.count(r) = n AND abs(cx.mean(r) - m) < 1e-12) AS moving_window
FROM (SELECT cx.ratings(a7, 1, 7) OVER w AS r, count(a7) OVER w AS n, avg(a7) OVER w AS m
	  FROM ra WHERE i <= 2000 WINDOW w AS (ORDER BY i ROWS BETWEEN 9 PRECEDING AND CURRENT ROW)) s;
SELECT count(*) AS grouping_rows, bool_and(cx.count(r) = n) AS grouping_sets
FROM (SELECT svc, day, cx.ratings(a5, 1, 5) AS r, count(a5) AS n FROM ra GROUP BY GROUPING SETS ((svc), (day), ())) s;

-- Wilson score interval against published values (Newcombe 1998, Table I)
SELECT x, n, round((ci).low::numeric / 100, 4) AS low, round((ci).high::numeric / 100, 4) AS high,
	   round((ci).low::numeric / 100, 4) = lo AND round((ci).high::numeric / 100, 4) = hi AS published
FROM (VALUES (1, 10, 0.0179, 0.4042), (81, 263, 0.2553, 0.3662), (15, 148, 0.0624, 0.1605),
			 (0, 20, 0.0000, 0.1611), (1, 29, 0.0061, 0.1718), (10, 10, 0.7225, 1.0000)) AS v(x, n, lo, hi),
	 LATERAL (SELECT cx.top_box_ci(cx.make_ratings(0, 1, ARRAY[n - x, x]), 1) AS ci) c;
-- the same interval from its formula, at 90%
WITH t AS (SELECT cx.ratings(a5, 1, 5) AS r FROM ra),
	 f AS (SELECT n, p, 1.6448536269514722 AS z
		   FROM (SELECT count(a5)::float8 AS n, avg((a5 >= 4)::int)::float8 AS p FROM ra) s)
SELECT abs((cx.csat_ci(r, 0.90)).low - 100 * ((p + z * z / (2 * n)) - z * sqrt(p * (1 - p) / n + z * z / (4 * n * n))) / (1 + z * z / n)) < 1e-9 AS wilson_low,
	   abs((cx.csat_ci(r, 0.90)).high - 100 * ((p + z * z / (2 * n)) + z * sqrt(p * (1 - p) / n + z * z / (4 * n * n))) / (1 + z * z / n)) < 1e-9 AS wilson_high,
	   abs((cx.bottom_box_ci(r, 1)).low - (cx.top_box_ci(cx.make_ratings(0, 1, ARRAY[cx.count(r) - (cx.counts(r))[1], (cx.counts(r))[1]]), 1)).low) < 1e-12 AS bottom_box_ci
FROM t, f;

-- NPS margin of error: z * sqrt(100^2 [(p + d) - (p - d)^2] / n)
WITH t AS (SELECT cx.ratings(a11, 0, 10) AS r FROM ra),
	 f AS (SELECT count(a11)::float8 AS n, avg((a11 >= 9)::int)::float8 AS p, avg((a11 <= 6)::int)::float8 AS d FROM ra)
SELECT abs(cx.nps_moe(r) - 1.959963984540054 * sqrt(10000 * ((p + d) - (p - d) ^ 2) / n)) < 1e-9 AS moe,
	   abs(cx.nps_moe(r, 0.99) - 2.5758293035489 * sqrt(10000 * ((p + d) - (p - d) ^ 2) / n)) < 1e-9 AS moe_99,
	   abs((cx.nps_ci(r)).low - (cx.nps(r) - cx.nps_moe(r))) < 1e-12 AS ci_low,
	   abs((cx.nps_ci(r)).high - (cx.nps(r) + cx.nps_moe(r))) < 1e-12 AS ci_high
FROM t, f;

-- t interval of the mean: 11 answers, t(0.975, 10) = 2.228139 (t table)
WITH v(a) AS (VALUES (1), (2), (2), (3), (3), (3), (4), (4), (5), (5), (5)),
	 t AS (SELECT cx.ratings(a, 1, 5) AS r FROM v),
	 f AS (SELECT avg(a)::float8 AS m, stddev_samp(a)::float8 AS s, count(*)::float8 AS n FROM v)
SELECT abs((cx.mean_ci(r)).low - (m - 2.228139 * s / sqrt(n))) < 1e-5 AS t_low,
	   abs((cx.mean_ci(r)).high - (m + 2.228139 * s / sqrt(n))) < 1e-5 AS t_high,
	   abs((cx.mean_ci(r, 0.99)).high - (m + 3.169273 * s / sqrt(n))) < 1e-5 AS t_high_99
FROM t, f;

-- two-period comparisons
-- two-proportion z: 48 of 80 then 56 of 70 -> z = 2.65017, p = 0.00805
SELECT round(difference::numeric, 4) AS difference, round(z::numeric, 5) AS z, round(p_value::numeric, 5) AS p_value
FROM cx.compare_top_box(cx.make_ratings(0, 1, '{32,48}'), cx.make_ratings(0, 1, '{14,56}'), 1);
WITH a AS (SELECT cx.ratings(a5, 1, 5) AS r FROM ra WHERE day < '2026-01-16'),
	 b AS (SELECT cx.ratings(a5, 1, 5) AS r FROM ra WHERE day >= '2026-01-16'),
	 f AS (SELECT n1, n2, x1, x2, (x1 + x2) / (n1 + n2) AS pp
		   FROM (SELECT count(a5) FILTER (WHERE day < '2026-01-16')::float8 AS n1,
						count(a5) FILTER (WHERE day >= '2026-01-16')::float8 AS n2,
						count(*) FILTER (WHERE day < '2026-01-16' AND a5 >= 4)::float8 AS x1,
						count(*) FILTER (WHERE day >= '2026-01-16' AND a5 >= 4)::float8 AS x2 FROM ra) s)
SELECT abs((cx.compare_csat(a.r, b.r)).difference - 100 * (x2 / n2 - x1 / n1)) < 1e-9 AS csat_difference,
	   abs((cx.compare_csat(a.r, b.r)).z - (x2 / n2 - x1 / n1) / sqrt(pp * (1 - pp) * (1 / n1 + 1 / n2))) < 1e-9 AS csat_z,
	   (cx.compare_csat(a.r, a.r)).p_value = 1 AS same_period_p_is_1
FROM a, b, f;
-- NPS: difference with its standard error sqrt(Var_a / n_a + Var_b / n_b)
WITH a AS (SELECT cx.ratings(a11, 0, 10) AS r FROM ra WHERE svc = 1),
	 b AS (SELECT cx.ratings(a11, 0, 10) AS r FROM ra WHERE svc = 2)
SELECT abs(c.difference - (cx.nps(b.r) - cx.nps(a.r))) < 1e-12 AS nps_difference,
	   abs(c.std_error - sqrt((cx.nps_moe(a.r) / 1.959963984540054) ^ 2 + (cx.nps_moe(b.r) / 1.959963984540054) ^ 2)) < 1e-9 AS nps_std_error,
	   abs(c.z - c.difference / c.std_error) < 1e-12 AS nps_z
FROM a, b, LATERAL cx.compare_nps(a.r, b.r) AS c;
-- Welch: 1..5 vs 3..7 on 1..7: t = 2, df = 8, p = 0.0805 (t table)
SELECT difference, t, df, round(p_value::numeric, 4) AS p_value
FROM cx.compare_mean('1..7: 1 1 1 1 1 0 0', '1..7: 0 0 1 1 1 1 1');
WITH a AS (SELECT cx.ratings(a7, 1, 7) AS r FROM ra WHERE svc = 1),
	 b AS (SELECT cx.ratings(a7, 1, 7) AS r FROM ra WHERE svc = 2),
	 f AS (SELECT var_samp(a7) FILTER (WHERE svc = 1)::float8 / count(*) FILTER (WHERE svc = 1) AS va,
				  var_samp(a7) FILTER (WHERE svc = 2)::float8 / count(*) FILTER (WHERE svc = 2) AS vb,
				  count(*) FILTER (WHERE svc = 1) AS na, count(*) FILTER (WHERE svc = 2) AS nb,
				  avg(a7) FILTER (WHERE svc = 2)::float8 - avg(a7) FILTER (WHERE svc = 1)::float8 AS d
		   FROM ra)
SELECT abs(c.difference - d) < 1e-12 AS welch_difference,
	   abs(c.t - d / sqrt(va + vb)) < 1e-9 AS welch_t,
	   abs(c.df - (va + vb) ^ 2 / (va ^ 2 / (na - 1) + vb ^ 2 / (nb - 1))) < 1e-6 AS welch_df,
	   c.p_value BETWEEN 0 AND 1 AS p_in_range
FROM a, b, f, LATERAL cx.compare_mean(a.r, b.r) AS c;

-- n = 0 and n = 1: NULL where undefined, never a division error
SELECT cx.count(r), cx.skipped(r), cx.mean(r), cx.stddev(r), cx.csat(r), cx.top_box(r, 1),
	   cx.index100(r), cx.nps(r), cx.nps_moe(r), (cx.csat_ci(r)).*, (cx.mean_ci(r)).*, (cx.nps_ci(r)).*
FROM (VALUES ('0..10: 0 0 0 0 0 0 0 0 0 0 0; 3 skipped'::cx.ratings)) v(r);
SELECT cx.count(r), cx.mean(r), cx.stddev(r), cx.csat(r), cx.nps(r), cx.nps_moe(r),
	   round((cx.csat_ci(r)).low::numeric, 2) AS csat_low, (cx.csat_ci(r)).high AS csat_high, (cx.mean_ci(r)).*
FROM (VALUES ('0..10: 0 0 0 0 0 0 0 0 0 1 0'::cx.ratings)) v(r);
SELECT (cx.compare_csat('1..5: 0 0 0 0 0', '1..5: 1 2 3 4 5')).*;
SELECT (cx.compare_csat('1..5: 0 0 0 0 3', '1..5: 0 0 0 0 5')).*;
SELECT (cx.compare_nps('0..10: 0 0 0 0 0 0 0 0 0 0 1', '0..10: 1 0 0 0 0 0 0 0 0 0 1')).*;
SELECT (cx.compare_mean('1..5: 0 0 1 0 0', '1..5: 0 0 1 1 0')).*;
SELECT cx.ratings(a, 1, 5), cx.csat(a), cx.nps(a), cx.mean_score(a, 1, 5)
FROM (VALUES (NULL::int), (NULL)) v(a);
SELECT cx.ratings(a5, 1, 5) IS NULL AS empty_is_null, cx.csat(a5) IS NULL AS csat_empty_null
FROM ra WHERE false;

-- user mistakes: a clear error each
SELECT cx.ratings(a, 1, 5) FROM (VALUES (1), (6)) v(a);
SELECT cx.csat(a) FROM (VALUES (0)) v(a);
SELECT cx.nps(a) FROM (VALUES (11)) v(a);
SELECT cx.ratings(a, 1, NULL) FROM (VALUES (1)) v(a);
SELECT cx.ratings(a, 5, 1) FROM (VALUES (1)) v(a);
SELECT cx.ratings(a, 0, 5000) FROM (VALUES (1)) v(a);
SELECT cx.ratings(a, 1, hi) FROM (VALUES (1, 5), (2, 7)) v(a, hi);
SELECT cx.rollup(r) FROM (VALUES ('1..5: 1 1 1 1 1'::cx.ratings), ('0..10: 1 1 1 1 1 1 1 1 1 1 1')) v(r);
SELECT cx.nps('1..5: 1 1 1 1 1'::cx.ratings);
SELECT cx.nps_moe('1..7: 1 1 1 1 1 1 1');
SELECT cx.top_box('1..5: 1 1 1 1 1', 6);
SELECT cx.bottom_box('1..5: 1 1 1 1 1', 0);
SELECT cx.csat_ci('1..5: 1 1 1 1 1', 1.5);
SELECT cx.mean_ci('1..5: 1 1 1 1 1', 'NaN');
SELECT cx.compare_csat('1..5: 1 1 1 1 1', '1..7: 1 1 1 1 1 1 1');
SELECT cx.make_ratings(1, 5, '{1,2,3}');
SELECT cx.make_ratings(1, 5, '{1,2,3,NULL,5}');
SELECT cx.make_ratings(1, 5, '{1,2,3,-4,5}');
SELECT cx._ratings_accum(NULL, 1, 1, 5);

-- binary send/recv: COPY BINARY round trip, then crafted and random bytes
CREATE TABLE ra_bin (r cx.ratings);
INSERT INTO ra_bin SELECT r FROM ra_daily;
INSERT INTO ra_bin VALUES ('-3..3: 0 1 2 3 4 5 6; 9 skipped'), (('0..100: ' || repeat('1 ', 100) || '9223372036854775707')::cx.ratings);
CREATE FUNCTION pg_temp.copy_bin_roundtrip() RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
	f text := '/tmp/cx_ratings_regress_' || pg_backend_pid() || '.bin';
	same boolean;
BEGIN
	EXECUTE format('COPY ra_bin TO %L (FORMAT binary)', f);
	CREATE TEMP TABLE ra_bin2 (r cx.ratings);
	EXECUTE format('COPY ra_bin2 FROM %L (FORMAT binary)', f);
	SELECT (SELECT array_agg(r::text ORDER BY r::text) FROM ra_bin) = (SELECT array_agg(r::text ORDER BY r::text) FROM ra_bin2)
	INTO same;
	RETURN same;
END $$;
SELECT pg_temp.copy_bin_roundtrip() AS copy_binary_round_trip;
SELECT encode(cx._ratings_send('1..5: 3 0 10 25 40; 2 skipped'), 'hex') AS wire;
-- feed one value's bytes to cx._ratings_recv through COPY ... (FORMAT binary)
CREATE TEMP TABLE recv_t (r cx.ratings);
CREATE FUNCTION pg_temp.recv(payload bytea) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	f text := '/tmp/cx_ratings_recv_' || pg_backend_pid() || '.bin';
	lo oid;
	res text;
	detail text;
BEGIN
	lo := lo_from_bytea(0, '\x5047434f50590aff0d0a00'::bytea || '\x00000000000000000001'::bytea
						|| int4send(length(payload)) || payload || '\xffff'::bytea);
	PERFORM lo_export(lo, f);
	PERFORM lo_unlink(lo);
	TRUNCATE recv_t;
	EXECUTE format('COPY recv_t FROM %L (FORMAT binary)', f);
	SELECT r::text INTO res FROM recv_t;
	RETURN res;
EXCEPTION WHEN others THEN
	GET STACKED DIAGNOSTICS detail = PG_EXCEPTION_DETAIL;
	RETURN 'error: ' || SQLERRM || coalesce(' (' || nullif(detail, '') || ')', '');
END $$;
SELECT pg_temp.recv(cx._ratings_send('1..5: 3 0 10 25 40; 2 skipped')) AS valid;
SELECT pg_temp.recv('\x'::bytea) AS empty;
SELECT pg_temp.recv('\x010000010005'::bytea) AS truncated;
SELECT pg_temp.recv(substring(cx._ratings_send('1..5: 3 0 10 25 40') from 1 for 40)) AS short_counts;
SELECT pg_temp.recv(cx._ratings_send('1..5: 3 0 10 25 40') || '\x00'::bytea) AS trailing_byte;
SELECT pg_temp.recv(overlay(cx._ratings_send('1..5: 3 0 10 25 40') placing '\x02' from 1)) AS bad_version;
SELECT pg_temp.recv(overlay(cx._ratings_send('1..5: 3 0 10 25 40') placing '\x01' from 2)) AS bad_flags;
SELECT pg_temp.recv(overlay(cx._ratings_send('1..5: 3 0 10 25 40') placing '\x0001' from 5)) AS one_point;
SELECT pg_temp.recv(overlay(cx._ratings_send('1..5: 3 0 10 25 40') placing '\xffffffffffffffff' from 15)) AS negative_count;
SELECT pg_temp.recv(overlay(cx._ratings_send('1..5: 3 0 10 25 40') placing '\xffffffffffffffff' from 7)) AS negative_skipped;
SELECT pg_temp.recv(overlay(cx._ratings_send('0..1: 0 0') placing '\x7fffffffffffffff7fffffffffffffff' from 15)) AS total_overflow;
-- 400 random mutations and truncations: each is accepted (and then
-- round-trips through text) or rejected with an error, never a crash
SELECT setseed(0.75);
WITH base AS (SELECT cx._ratings_send('0..10: 5 0 3 9 12 0 1 1 4 7 100; 3 skipped') AS b),
	 m AS (SELECT i, CASE WHEN i % 4 = 0 THEN substring(b from 1 for (random() * length(b))::int)
						  ELSE set_byte(b, (random() * (length(b) - 1))::int, (random() * 255)::int) END AS p
		   FROM base, generate_series(1, 400) AS i),
	 r AS (SELECT p, pg_temp.recv(p) AS res FROM m)
SELECT count(*) AS tried,
	   bool_and(res LIKE 'error: %' OR res::cx.ratings::text = res) AS all_handled,
	   count(*) FILTER (WHERE res LIKE 'error: %') > 0 AS some_rejected,
	   count(*) FILTER (WHERE res NOT LIKE 'error: %') > 0 AS some_accepted
FROM r;
-- random text never crashes the input function either
CREATE FUNCTION pg_temp.try_in(s text) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
	RETURN s::cx.ratings::text::cx.ratings::text = s::cx.ratings::text;
EXCEPTION WHEN invalid_text_representation OR invalid_parameter_value OR numeric_value_out_of_range THEN
	RETURN NULL;
END $$;
SELECT count(*) AS tried, bool_and(ok IS NOT FALSE) AS all_handled
FROM (SELECT pg_temp.try_in(overlay('0..10: 5 0 3 9 12 0 1 1 4 7 100; 3 skipped'
									placing substr('0123456789 .:;-+x', (random() * 16)::int + 1, 1)
									from (random() * 40)::int + 1 for (random() * 2)::int)) AS ok
	  FROM generate_series(1, 400)) s;

-- the names release 0.1.0 documented for the I/O and transition functions
-- still work: the same C functions as the cx._ ones, callable, and usable in
-- a user's aggregate
SELECT o.oid::regprocedure AS kept, n.oid::regprocedure AS private, o.prosrc = n.prosrc AS same_function
FROM pg_proc o JOIN pg_proc n ON n.pronamespace = o.pronamespace AND n.proname = '_' || o.proname
	 AND n.proargtypes = o.proargtypes
WHERE o.pronamespace = 'cx'::regnamespace AND o.proname LIKE 'ratings\_%' AND o.proname <> 'ratings_merge'
ORDER BY o.oid::regprocedure::text COLLATE "C";
SELECT cx.ratings_in('1..5: 3 0 10 25 40; 2 skipped')::text AS text_in, cx.ratings_out('1..5: 3 0 10 25 40') AS text_out,
	   cx.ratings_send('1..5: 3 0 10 25 40; 2 skipped') = cx._ratings_send('1..5: 3 0 10 25 40; 2 skipped') AS same_wire;
CREATE AGGREGATE pg_temp.tally_0_1_0(int, int, int) (SFUNC = cx.ratings_accum, STYPE = cx.ratings, COMBINEFUNC = cx.ratings_merge);
CREATE AGGREGATE pg_temp.csat_0_1_0(int) (SFUNC = cx.ratings_accum_1_5, STYPE = cx.ratings, FINALFUNC = cx.csat);
CREATE AGGREGATE pg_temp.nps_0_1_0(int) (SFUNC = cx.ratings_accum_0_10, STYPE = cx.ratings, FINALFUNC = cx.nps);
SELECT pg_temp.tally_0_1_0(a % 5 + 1, 1, 5)::text = cx.ratings(a % 5 + 1, 1, 5)::text AS same_tally,
	   pg_temp.csat_0_1_0(a % 5 + 1) = cx.csat(a % 5 + 1) AS same_csat,
	   pg_temp.nps_0_1_0(a % 11) = cx.nps(a % 11) AS same_nps
FROM generate_series(1, 1000) a;
SELECT cx.ratings_accum(NULL, 1, 1, 5);

-- ratings counts beyond 2^53: shares stay within 0..100, intervals ordered
SELECT cx.nps(r) AS nps, (cx.nps_ci(r)).low <= (cx.nps_ci(r)).high AS ci_ordered,
	   (cx.nps_ci(r)).high <= 100 AS ci_in_range, cx.csat(r) AS csat, cx.top_box(r, 2) AS top2,
	   cx.index100(r) AS index100, cx.mean(r) AS mean
FROM (SELECT cx.make_ratings(0, 10, ARRAY[0,0,0,0,0,0,0,0,0,0,6626288455254855651]) AS r) v;
SELECT count(*) AS tallies,
	   count(*) FILTER (WHERE cx.nps(r) BETWEEN -100 AND 100) AS nps_in_range,
	   count(*) FILTER (WHERE (cx.nps_ci(r)).low <= (cx.nps_ci(r)).high) AS nps_ci_ordered,
	   count(*) FILTER (WHERE cx.csat(r) BETWEEN 0 AND 100 AND cx.index100(r) BETWEEN 0 AND 100) AS shares_in_range,
	   count(*) FILTER (WHERE (cx.csat_ci(r)).low <= (cx.csat_ci(r)).high) AS csat_ci_ordered
FROM (SELECT cx.make_ratings(0, 10, ARRAY[d, 0, 0, 0, 0, 0, 0, p, 0, 0, big]) AS r
	  FROM unnest(ARRAY[0, 1, 3, 1000]::bigint[]) AS d,
		   unnest(ARRAY[0, 1, 7]::bigint[]) AS p,
		   unnest(ARRAY[9007199254740993, 6626288455254855651, 4611686018427387903, 9223372036854770000]::bigint[]) AS big) v;

DROP TABLE ra, ra_daily, ra_bin;
