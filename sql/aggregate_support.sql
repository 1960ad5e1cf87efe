-- Support functions called directly, with NULLs, with states of the wrong
-- shape, scale or accuracy, and inside user-defined aggregates with hostile
-- initial values: every call ends in a clean error or a right answer, never
-- a crash.  (test/t/crash.sh calls every function this way, generated from
-- pg_proc; these are the cases that crashed the server, and their siblings.)
CREATE EXTENSION IF NOT EXISTS cx_metrics;
\set VERBOSITY terse

-- share_within: a NULL state is skipped (STRICT), never dereferenced
SELECT cx._share_within_trans(NULL::bigint[], 1::float8, 2::float8) IS NULL AS null_state;
SELECT cx._share_within_trans(NULL::bigint[], interval '1 day', interval '2 days') IS NULL AS null_state;
SELECT cx._share_within_trans('{0,0}'::bigint[], 1::float8, 2::float8) AS one_within,
	   cx._share_within_trans('{4,1}'::bigint[], 3::float8, 2::float8) AS one_more,
	   cx._share_within_trans('{0,0}'::bigint[], NULL::float8, 2::float8) IS NULL AS null_value;
-- states of the wrong shape or with impossible counts
SELECT cx._share_within_trans('{}'::bigint[], 1::float8, 2::float8);
SELECT cx._share_within_trans('{0}'::bigint[], 1::float8, 2::float8);
SELECT cx._share_within_trans('{0,0,0}'::bigint[], 1::float8, 2::float8);
SELECT cx._share_within_trans('{{0,0},{0,0}}'::bigint[], 1::float8, 2::float8);
SELECT cx._share_within_trans('{NULL,0}'::bigint[], 1::float8, 2::float8);
SELECT cx._share_within_trans('{1,2}'::bigint[], 1::float8, 2::float8);
SELECT cx._share_within_trans('{-1,0}'::bigint[], 1::float8, 2::float8);
SELECT cx._share_within_trans('{9223372036854775807,0}'::bigint[], 1::float8, 2::float8);
SELECT cx._share_within_combine('{9223372036854775807,0}', '{1,1}');
SELECT cx._share_within_combine('{2,1}', '{0,0,0}');
SELECT cx._share_within_final('{4,3}') AS three_quarters, cx._share_within_final('{0,0}') IS NULL AS no_items;
SELECT cx._share_within_final('{3,4}');
-- the same states as the initial value of a user's aggregate
CREATE AGGREGATE pg_temp.sw(double precision, double precision) (
	SFUNC = cx._share_within_trans, STYPE = bigint[], INITCOND = '{1,5}', FINALFUNC = cx._share_within_final);
SELECT pg_temp.sw(x, 2) FROM generate_series(1, 3) x;
DROP AGGREGATE pg_temp.sw(double precision, double precision);
CREATE AGGREGATE pg_temp.sw(double precision, double precision) (
	SFUNC = cx._share_within_trans, STYPE = bigint[], INITCOND = '{10,5}', FINALFUNC = cx._share_within_final);
SELECT pg_temp.sw(x, 2) FROM generate_series(1, 3) x;	-- (5 + 2) / (10 + 3)

-- attainment: the same for its three transitions
SELECT cx._attain_trans(NULL::bigint[], interval '1 day', 'within 1 day'::cx.standard) IS NULL AS null_state;
SELECT cx._attain_trans(NULL::bigint[], timestamptz '2026-01-05', timestamptz '2026-01-06', '90% within 30 business days') IS NULL AS null_state;
SELECT cx._attain_trans(NULL::bigint[], timestamptz '2026-01-05', timestamptz '2026-01-06', '90% within 30 business days', 'us_federal') IS NULL AS null_state;
SELECT cx._attain_trans('{0,0,0,0,0,0}', interval '1 day', 'within 1 day') AS first_row;
SELECT cx._attain_trans('{0,0,0,0,0,0}', interval '1 day', NULL::cx.standard) IS NULL AS null_standard;
SELECT cx._attain_trans('{}', interval '1 day', 'within 1 day');
SELECT cx._attain_trans('{0,0}', interval '1 day', 'within 1 day');
SELECT cx._attain_trans('{{0,0,0},{0,0,0}}', interval '1 day', 'within 1 day');
SELECT cx._attain_trans('{0,0,0,0,0,NULL}', interval '1 day', 'within 1 day');
SELECT cx._attain_trans('{1,2,1000000,1,4,0}', interval '1 day', 'within 1 day');
SELECT cx._attain_trans('{1,1,2000000,1,4,0}', interval '1 day', 'within 1 day');
SELECT cx._attain_trans('{1,1,1000000,1,99,0}', interval '1 day', 'within 1 day');
SELECT cx._attain_trans('{1,1,1000000,1,4,77}', interval '1 day', 'within 1 day');
SELECT cx._attain_trans('{5,0,0,0,0,0}', interval '1 day', 'within 1 day');
SELECT cx._attain_trans('{9223372036854775807,0,1000000,1,4,0}', interval '1 day', 'within 1 day');
SELECT cx._attain_combine('{1,1,1000000,1,4,0}', '{1,0,900000,1,4,0}');
SELECT cx._attain_combine('{1,1,1000000,1,4,0}', '{1,0,1000000,1,4,0}') AS combined;
SELECT cx._attain_final('{4,3,900000,1,4,0}') AS share, cx._attain_meets_final('{4,3,900000,1,4,0}') AS meets;
SELECT cx._attain_meets_final('{1,0,1000000,1,0,0}');
CREATE AGGREGATE pg_temp.att(interval, cx.standard) (
	SFUNC = cx._attain_trans, STYPE = bigint[], INITCOND = '{2,2,0,0,0,0}', FINALFUNC = cx._attain_final);
SELECT pg_temp.att(x * interval '1 day', 'within 2 days') FROM generate_series(1, 3) x;
DROP AGGREGATE pg_temp.att(interval, cx.standard);
CREATE AGGREGATE pg_temp.att(interval, cx.standard) (
	SFUNC = cx._attain_trans, STYPE = bigint[], INITCOND = '{2,2,500000,2,4,0}', FINALFUNC = cx._attain_final);
SELECT pg_temp.att(x * interval '1 day', '50% within 2 days') FROM generate_series(1, 3) x;	-- (2 + 2) / (2 + 3)
SELECT pg_temp.att(x * interval '1 day', 'within 2 days') FROM generate_series(1, 3) x;

-- ratings: the shorthand transitions check the scale of a state they did
-- not create (this wrote past a 2-point tally into the next group's memory)
CREATE AGGREGATE pg_temp.evil(int) (SFUNC = cx._ratings_accum_1_5, STYPE = cx.ratings, INITCOND = '1..2: 0 0');
SELECT g, pg_temp.evil(5), length(string_agg('x', ',')) FROM generate_series(1,2) g, generate_series(1,2000) GROUP BY g;
CREATE AGGREGATE pg_temp.evil10(int) (SFUNC = cx._ratings_accum_0_10, STYPE = cx.ratings, INITCOND = '1..2: 0 0');
SELECT g, pg_temp.evil10(10), length(string_agg('x', ',')) FROM generate_series(1,2) g, generate_series(1,2000) GROUP BY g;
CREATE AGGREGATE pg_temp.evil10b(int) (SFUNC = cx._ratings_accum_0_10, STYPE = cx.ratings, INITCOND = '-1..9: 0 0 0 0 0 0 0 0 0 0 0');
SELECT pg_temp.evil10b(10);
CREATE AGGREGATE pg_temp.evil3(int, int, int) (SFUNC = cx._ratings_accum, STYPE = cx.ratings, INITCOND = '1..2: 0 0');
SELECT pg_temp.evil3(5, 1, 5);
-- an initial tally on the right scale is counted on
CREATE AGGREGATE pg_temp.good(int) (SFUNC = cx._ratings_accum_1_5, STYPE = cx.ratings, INITCOND = '1..5: 1 0 0 0 0; 2 skipped');
SELECT pg_temp.good(x) FROM (VALUES (5), (5), (NULL)) v(x);
-- counts that would pass 2^63 - 1
CREATE AGGREGATE pg_temp.full(int) (SFUNC = cx._ratings_accum_1_5, STYPE = cx.ratings, INITCOND = '1..5: 0 0 0 0 9223372036854775807');
SELECT pg_temp.full(5);
SELECT pg_temp.full(1);
SELECT cx.csat(pg_temp.full(1));
CREATE AGGREGATE pg_temp.fullskip(int) (SFUNC = cx._ratings_accum_1_5, STYPE = cx.ratings, INITCOND = '1..5: 0 0 0 0 0; 9223372036854775807 skipped');
SELECT pg_temp.fullskip(NULL);
-- outside an aggregate
SELECT cx._ratings_accum_1_5(NULL, 3);
SELECT cx._ratings_accum_0_10('0..10: 0 0 0 0 0 0 0 0 0 0 0', 3);
SELECT cx._ratings_accum(NULL, 3, 1, 5);
SELECT cx.ratings_merge(NULL, NULL) IS NULL AS both_null, cx.ratings_merge(NULL, '1..5: 1 2 3 4 5') AS one,
	   cx.ratings_merge('1..5: 1 2 3 4 5', '1..5: 1 1 1 1 1') AS two;
SELECT cx.ratings_merge('1..5: 1 2 3 4 5', '0..10: 0 0 0 0 0 0 0 0 0 0 0');
CREATE AGGREGATE pg_temp.mix(cx.ratings) (SFUNC = cx.ratings_merge, STYPE = cx.ratings, INITCOND = '1..2: 0 0');
SELECT pg_temp.mix(r) FROM (VALUES ('1..5: 1 2 3 4 5'::cx.ratings)) v(r);

-- sketches: a stored value TOASTed out of line reaches the final function
-- detoasted (it read the TOAST pointer as a sketch header)
CREATE TABLE support_sketches (k int, c cx.cycle_sketch, n cx.number_sketch);
ALTER TABLE support_sketches ALTER c SET STORAGE EXTERNAL, ALTER n SET STORAGE EXTERNAL;
INSERT INTO support_sketches
SELECT 1, cx.cycle_sketch(exp(i / 300.0) * interval '1 microsecond', 0.001),
	   cx.number_sketch(exp(i / 50.0) * (i % 2 * 2 - 1), 0.001)
FROM generate_series(1, 9000) i;
SELECT pg_column_size(c) > 2000 AS big_c, pg_column_size(n) > 2000 AS big_n FROM support_sketches;
SELECT cx.count(cx._cycle_sketch_final(c)) AS count_c, cx.count(cx._number_sketch_final(n)) AS count_n,
	   cx._cycle_sketch_final(c)::text = c::text AS same_c, cx._number_sketch_final(n)::text = n::text AS same_n
FROM support_sketches;
SELECT cx.count(cx.rollup(c)) AS rollup_c, cx.count(cx.rollup(n)) AS rollup_n FROM support_sketches;
-- transitions and combine outside their aggregates
SELECT cx._cycle_sketch_add(NULL, interval '1 day');
SELECT cx._number_sketch_add(n, 1.0) FROM support_sketches;
SELECT cx._number_sketch_combine(n, n) FROM support_sketches;
-- a state of another accuracy, as an initial value or in a rollup
CREATE AGGREGATE pg_temp.sk(double precision) (SFUNC = cx._number_sketch_add, STYPE = cx.number_sketch,
	INITCOND = 'v1 number alpha=0.05 count=1 zeros=0 min=1 max=1 sum=1 sum_err=0 neg={} pos={0:1}',
	FINALFUNC = cx._number_sketch_final);
SELECT pg_temp.sk(x) FROM generate_series(1, 3) x;
CREATE AGGREGATE pg_temp.sk2(double precision, double precision) (SFUNC = cx._number_sketch_add, STYPE = cx.number_sketch,
	INITCOND = 'v1 number alpha=0.05 count=1 zeros=0 min=1 max=1 sum=1 sum_err=0 neg={} pos={0:1}',
	FINALFUNC = cx._number_sketch_final);
SELECT cx.count(pg_temp.sk2(x, 0.05)) AS five FROM generate_series(1, 4) x;
SELECT cx.rollup(s) FROM (SELECT cx.number_sketch(x) FROM generate_series(1, 3) x
						  UNION ALL SELECT cx.number_sketch(x, 0.05) FROM generate_series(1, 3) x) v(s);
-- percentile support functions take internal: no SQL value can reach them
-- (the server refuses the call as "function does not exist" or, in older
-- minor releases, as "cannot accept a value of type internal")
DO $$
BEGIN
	PERFORM cx._pct_float8_trans(NULL, 1.0::float8, 0.5::float8);
	RAISE EXCEPTION 'cx._pct_float8_trans was reached';
EXCEPTION WHEN undefined_function OR feature_not_supported THEN
	RAISE NOTICE 'cx._pct_float8_trans refused';
END $$;
DO $$
BEGIN
	PERFORM cx._pct_float8_cont_final(NULL);
	RAISE EXCEPTION 'cx._pct_float8_cont_final was reached';
EXCEPTION WHEN undefined_function OR feature_not_supported THEN
	RAISE NOTICE 'cx._pct_float8_cont_final refused';
END $$;

-- fraction arrays computed per row must be the same on every row, even when
-- each row's array is built at the same address (only a constant of the
-- query is the same datum on every row)
SELECT cx.percentile(x::float8, ARRAY[p]) FROM (VALUES (1, 0.5::float8), (2, 0.9), (3, 0.1)) v(x, p);
SELECT cx.percentile(x * interval '1 day', ARRAY[p, 0.5]) FROM (VALUES (1, 0.5::float8), (2, 0.9)) v(x, p);
SELECT cx.percentile(x::float8, ARRAY[p, 0.9]) AS same_fractions FROM (VALUES (1, 0.5::float8), (2, 0.5), (3, 0.5)) v(x, p);

-- the support functions of the extension's aggregates, types, operators,
-- operator classes and of the triggers on its own tables are SQL-private
-- (cx._...), but for those users call too: the accessors that finish the
-- shorthand aggregates, cx.ratings_merge, and the trigger function that
-- cx.track also attaches to users' lookup tables
WITH cx_proc AS (SELECT oid FROM pg_proc WHERE pronamespace = 'cx'::regnamespace),
support(fn) AS (
	SELECT f FROM pg_aggregate a JOIN cx_proc c ON c.oid = a.aggfnoid,
		 unnest(ARRAY[a.aggtransfn, a.aggfinalfn, a.aggcombinefn, a.aggserialfn, a.aggdeserialfn]::oid[]) f
	UNION ALL
	SELECT f FROM pg_type t, unnest(ARRAY[t.typinput, t.typoutput, t.typreceive, t.typsend]::oid[]) f
	WHERE t.typnamespace = 'cx'::regnamespace
	UNION ALL
	SELECT o.oprcode FROM pg_operator o WHERE o.oprnamespace = 'cx'::regnamespace
	UNION ALL
	SELECT p.amproc FROM pg_amproc p JOIN pg_opfamily f ON f.oid = p.amprocfamily WHERE f.opfnamespace = 'cx'::regnamespace
	UNION ALL
	SELECT t.tgfoid FROM pg_trigger t JOIN pg_class r ON r.oid = t.tgrelid
	WHERE r.relnamespace = 'cx'::regnamespace AND NOT t.tgisinternal
	UNION ALL
	SELECT e.evtfoid FROM pg_event_trigger e JOIN cx_proc c ON c.oid = e.evtfoid)
SELECT DISTINCT p.oid::regprocedure::text COLLATE "C" AS public_support_function
FROM support s JOIN pg_proc p ON p.oid = s.fn
WHERE p.pronamespace = 'cx'::regnamespace AND p.proname !~ '^_'
ORDER BY 1;

DROP TABLE support_sketches;
