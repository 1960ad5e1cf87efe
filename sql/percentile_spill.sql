-- Exact percentiles past work_mem: a state that outgrows its memory pool
-- (work_mem per aggregate memory context) spills to a temporary file and
-- still gives percentile_cont's / percentile_disc's answers.
CREATE EXTENSION IF NOT EXISTS cx_metrics;
SET work_mem = '1MB';
SET max_parallel_workers_per_gather = 0;

-- entries of the default temporary directory, file-set directories included
-- (pg_ls_tmpdir lists plain files only)
CREATE FUNCTION pg_temp.temp_entries() RETURNS bigint
LANGUAGE sql AS $$SELECT count(*) FROM pg_ls_dir('base/pgsql_tmp', true, false)$$;

-- 300,000 rows: ties, NULLs, negative values, intervals with months and days
CREATE TEMP TABLE sp AS
SELECT CASE WHEN g % 50 = 0 THEN NULL ELSE ((g::bigint * 7919) % 20011 - 10000)::float8 / 4 END AS x,
       CASE WHEN g % 40 = 0 THEN NULL
            ELSE make_interval(months => (g % 3) - 1, days => (g * 31) % 45, secs => ((g::bigint * 104729) % 86400) - 43200) END AS iv,
       g % 5 AS grp, g
FROM generate_series(1, 300000) g;

-- the spill, and the passes over the file, are reported at DEBUG1
SET client_min_messages = debug1;
SELECT cx.percentile(x, 0.9) = percentile_cont(0.9) WITHIN GROUP (ORDER BY x) AS spilled_cont
FROM sp;
-- more values than the selection's budget: one pass counts, one collects
SELECT cx.percentile(x + v, 0.9) = percentile_cont(0.9) WITHIN GROUP (ORDER BY x + v) AS two_passes
FROM sp CROSS JOIN generate_series(1, 3) v;
RESET client_min_messages;

-- (cont and disc share one transition state: two final calls on one file)
SELECT cx.percentile(x, ARRAY[0, 0.001, 0.25, 0.5, 0.75, 0.999, 1]) =
         percentile_cont(ARRAY[0, 0.001, 0.25, 0.5, 0.75, 0.999, 1]) WITHIN GROUP (ORDER BY x) AS cont_float8,
       cx.percentile_disc(x, ARRAY[0, 0.001, 0.25, 0.5, 0.75, 0.999, 1]) =
         percentile_disc(ARRAY[0, 0.001, 0.25, 0.5, 0.75, 0.999, 1]) WITHIN GROUP (ORDER BY x) AS disc_float8,
       cx.percentile(iv, ARRAY[0.1, 0.5, 0.9]) =
         percentile_cont(ARRAY[0.1, 0.5, 0.9]) WITHIN GROUP (ORDER BY iv) AS cont_interval,
       cx.percentile_disc(iv, ARRAY[0.1, 0.5, 0.9]) =
         percentile_disc(ARRAY[0.1, 0.5, 0.9]) WITHIN GROUP (ORDER BY iv) AS disc_interval,
       cx.percentile(x, '[0:1]={0.2,0.8}'::float8[]) IS NOT DISTINCT FROM
         percentile_cont('[0:1]={0.2,0.8}'::float8[]) WITHIN GROUP (ORDER BY x) AS shape_kept
FROM sp;

-- every value equal, and two values only: ties cost no extra pass
SELECT cx.percentile(5::float8, 0.3) = 5 AS all_equal,
       cx.percentile_disc((g % 2)::float8, ARRAY[0.49, 0.5, 0.51]) =
         percentile_disc(ARRAY[0.49, 0.5, 0.51]) WITHIN GROUP (ORDER BY (g % 2)::float8) AS two_values
FROM generate_series(1, 300000) g;

-- GROUP BY: hash aggregation and sorted groups, each group spilled
SET enable_sort = off;
EXPLAIN (COSTS OFF) SELECT grp, cx.percentile(x, 0.5) FROM sp GROUP BY grp;
SELECT count(*) AS groups_equal
FROM (SELECT grp, cx.percentile(x, 0.5) AS a, cx.percentile_disc(iv, 0.25) AS b FROM sp GROUP BY grp) c
JOIN (SELECT grp, percentile_cont(0.5) WITHIN GROUP (ORDER BY x) AS a,
             percentile_disc(0.25) WITHIN GROUP (ORDER BY iv) AS b FROM sp GROUP BY grp) r USING (grp)
WHERE c.a = r.a AND c.b = r.b;
RESET enable_sort;
SET enable_hashagg = off;
SELECT count(*) AS sorted_groups_equal
FROM (SELECT grp, cx.percentile(x, 0.5) AS a FROM sp GROUP BY grp) c
JOIN (SELECT grp, percentile_cont(0.5) WITHIN GROUP (ORDER BY x) AS a FROM sp GROUP BY grp) r USING (grp)
WHERE c.a = r.a;
RESET enable_hashagg;

-- the states' memory is where hash aggregation and EXPLAIN ANALYZE look:
-- 5 groups of 235,200 doubles (1.9 MB each) in memory with work_mem = 64MB
SET work_mem = '64MB';
SET enable_sort = off;
CREATE FUNCTION pg_temp.hash_peak_kb() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
	plan json;
BEGIN
	EXECUTE 'EXPLAIN (ANALYZE, FORMAT JSON) SELECT grp, cx.percentile(x + v, 0.5) FROM sp, '
		'LATERAL (VALUES (1), (2), (3), (4)) t(v) GROUP BY grp' INTO plan;
	RETURN (plan -> 0 -> 'Plan' ->> 'Peak Memory Usage')::bigint;
END $$;
SELECT pg_temp.hash_peak_kb() BETWEEN 5 * 235200 * 8 / 1024 AND 2 * 64 * 1024 AS memory_usage_counts_values;
RESET enable_sort;
SET work_mem = '1MB';

-- a parallel plan: spilled partial states go to the leader as files
CREATE TABLE sp_par AS SELECT * FROM sp;
ANALYZE sp_par;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT cx.percentile(x, 0.5), cx.percentile_disc(iv, 0.5) FROM sp_par;
SELECT cx.percentile(x, ARRAY[0.1, 0.5, 0.9]) = (SELECT percentile_cont(ARRAY[0.1, 0.5, 0.9]) WITHIN GROUP (ORDER BY x) FROM sp) AS par_cont,
       cx.percentile_disc(iv, 0.5) = (SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY iv) FROM sp) AS par_disc_interval
FROM sp_par;
SELECT count(*) AS par_groups_equal
FROM (SELECT grp, cx.percentile(x, 0.75) AS a FROM sp_par GROUP BY grp) c
JOIN (SELECT grp, percentile_cont(0.75) WITHIN GROUP (ORDER BY x) AS a FROM sp GROUP BY grp) r USING (grp)
WHERE c.a = r.a;
-- cont and disc of one column and fraction share the transition state, which
-- the partial aggregation then serializes once for each: twice a reference
-- to the same spilled file
SET work_mem = '64kB';
SELECT cx.percentile(x, 0.5) = (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY x) FROM sp) AS shared_cont,
       cx.percentile_disc(x, 0.5) = (SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY x) FROM sp) AS shared_disc
FROM sp_par;
SELECT count(*) AS shared_groups_equal
FROM (SELECT grp, cx.percentile(x, 0.25) AS a, cx.percentile_disc(x, 0.25) AS b FROM sp_par GROUP BY grp) c
JOIN (SELECT grp, percentile_cont(0.25) WITHIN GROUP (ORDER BY x) AS a,
             percentile_disc(0.25) WITHIN GROUP (ORDER BY x) AS b FROM sp GROUP BY grp) r USING (grp)
WHERE c.a = r.a AND c.b = r.b;
SET work_mem = '1MB';
SET max_parallel_workers_per_gather = 0;

-- temp_file_limit applies to the file
-- (a table scan, so that no other node writes a temporary file; the
-- message quotes the setting's name from PostgreSQL 18 on: the errcode is checked)
SET temp_file_limit = '1MB';
DO $$
BEGIN
	PERFORM cx.percentile(y, 0.5) FROM sp, LATERAL (VALUES (x + 1), (x + 2), (x + 3), (x + 4)) v(y);
	RAISE NOTICE 'temp_file_limit did not apply';
EXCEPTION WHEN configuration_limit_exceeded THEN
	RAISE NOTICE 'temp_file_limit applies (SQLSTATE %)', SQLSTATE;
END $$;
RESET temp_file_limit;

-- an error and a cancel during a spilled aggregate leave no file behind
SELECT cx.percentile(CASE WHEN g = 900000 THEN 1 / (g - g) ELSE g END::float8, 0.5)
FROM generate_series(1, 1000000) g;
SELECT count(*) AS temp_files_after_error FROM pg_ls_tmpdir();
SET statement_timeout = '300ms';
SELECT cx.percentile(a.x + v, 0.5) FROM sp a CROSS JOIN generate_series(1, 1000) v;
RESET statement_timeout;
SELECT count(*) AS temp_files_after_cancel FROM pg_ls_tmpdir();
-- the same in a parallel plan, the error raised in a worker after it spilled
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
SET work_mem = '64kB';
\set VERBOSITY terse
SELECT cx.percentile(CASE WHEN g = 280000 THEN 1 / (g - g) ELSE x END, 0.5) FROM sp_par;
\set VERBOSITY default
SET work_mem = '1MB';
RESET parallel_leader_participation;
SET max_parallel_workers_per_gather = 0;
SELECT count(*) AS temp_files_after_worker_error FROM pg_ls_tmpdir();
SELECT pg_temp.temp_entries() AS temp_entries_after_worker_error;
-- a cancel while the workers aggregate, before the leader (not taking part)
-- has read a partial state: the workers' files go with them
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
SET work_mem = '64kB';
SET statement_timeout = '500ms';
SELECT cx.percentile(a.x + v, 0.5) FROM sp_par a CROSS JOIN generate_series(1, 1000) v;
RESET statement_timeout;
SELECT pg_temp.temp_entries() AS temp_entries_after_parallel_cancel;
-- failing parallel queries in a PL/pgSQL EXCEPTION block, the error raised
-- by the leader after it read the workers' files: gone at each rollback to
-- the block, not only at the end of the transaction
RESET parallel_leader_participation;
DO $$
DECLARE
	n bigint;
BEGIN
	FOR i IN 1..3 LOOP
		BEGIN
			PERFORM 1 / (cx.percentile(x, 0.5) - cx.percentile(x, 0.5)) FROM sp_par;
		EXCEPTION WHEN division_by_zero THEN
			NULL;
		END;
	END LOOP;
	n := pg_temp.temp_entries();
	RAISE NOTICE 'temporary entries after three failed parallel queries: %', n;
END $$;
SET work_mem = '1MB';
SET max_parallel_workers_per_gather = 0;

-- a cursor whose FETCH failed inside a savepoint after its state spilled,
-- closed (or dropped at commit) after ROLLBACK TO: the subtransaction's
-- cleanup closed its file already, the close of the cursor leaves it be
SET work_mem = '64kB';
BEGIN;
DECLARE failed_cur CURSOR FOR
SELECT grp, cx.percentile(CASE WHEN g = 290000 THEN 1 / (g - g) ELSE x END, 0.5) FROM sp GROUP BY grp;
SAVEPOINT before_fetch;
\set VERBOSITY terse
FETCH 1 FROM failed_cur;
\set VERBOSITY default
ROLLBACK TO before_fetch;
-- other files open meanwhile: they may take the freed file numbers
SELECT count(*) AS sorted FROM (SELECT x FROM sp ORDER BY x OFFSET 1) q;
CLOSE failed_cur;
DECLARE failed_cur2 CURSOR FOR
SELECT grp, cx.percentile(CASE WHEN g = 290000 THEN 1 / (g - g) ELSE x END, 0.5) FROM sp GROUP BY grp;
SAVEPOINT before_fetch2;
\set VERBOSITY terse
FETCH 1 FROM failed_cur2;
\set VERBOSITY default
ROLLBACK TO before_fetch2;
COMMIT;
SET work_mem = '1MB';
SELECT pg_temp.temp_entries() AS temp_entries_after_failed_cursor;

-- and a finished query none either
SELECT cx.percentile(x, 0.5) IS NOT NULL AS done FROM sp;
SELECT count(*) AS temp_files_after_query FROM pg_ls_tmpdir();
SELECT pg_temp.temp_entries() AS temp_entries_after_query;

-- temp_tablespaces changed between two parallel queries of one transaction:
-- the leader finds the workers' files in the tablespace they used, and
-- deletes them there (the tablespace then drops: nothing left in it)
SET allow_in_place_tablespaces = on;
CREATE TABLESPACE cx_spill_ts LOCATION '';
SET max_parallel_workers_per_gather = 2;
SET work_mem = '64kB';
BEGIN;
SELECT cx.percentile(x, 0.5) = (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY x) FROM sp) AS default_tablespace
FROM sp_par;
SET LOCAL temp_tablespaces = cx_spill_ts;
SELECT cx.percentile(x, 0.5) = (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY x) FROM sp) AS other_tablespace
FROM sp_par;
COMMIT;
SET work_mem = '1MB';
SET max_parallel_workers_per_gather = 0;
DROP TABLESPACE cx_spill_ts;

DROP TABLE sp_par;
RESET ALL;
