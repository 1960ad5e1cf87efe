-- Session setup of test/t/crash.sh, run by the unprivileged role at the
-- start of every session: the sample values (a temporary table with
-- TOASTed, compressed and short-header values), the sample expressions per
-- argument type, and pg_temp.try, which runs one call and reports its
-- SQLSTATE.
SET client_min_messages = error;
SET statement_timeout = '20s';
SET max_parallel_workers_per_gather = 0;

-- a dense-layout sketch, as an aggregate without a final function returns it
CREATE AGGREGATE pg_temp.raw_cycle(interval) (SFUNC = cx._cycle_sketch_add, STYPE = cx.cycle_sketch);
CREATE AGGREGATE pg_temp.raw_number(double precision) (SFUNC = cx._number_sketch_add, STYPE = cx.number_sketch);

-- one row; *_ext columns are stored out of line uncompressed (EXTERNAL),
-- *_cmp compressed, *_short small enough for a 1-byte header on disk
CREATE TEMP TABLE tv (
	r_ext cx.ratings, r_cmp cx.ratings, r_short cx.ratings,
	c_ext cx.cycle_sketch, c_cmp cx.cycle_sketch, c_short cx.cycle_sketch,
	n_ext cx.number_sketch, n_cmp cx.number_sketch, n_short cx.number_sketch,
	a_ext bigint[], a_cmp bigint[], f_ext double precision[], t_ext text, t_cmp text, b_ext bytea);
ALTER TABLE tv ALTER r_ext SET STORAGE EXTERNAL, ALTER c_ext SET STORAGE EXTERNAL,
	ALTER n_ext SET STORAGE EXTERNAL, ALTER a_ext SET STORAGE EXTERNAL,
	ALTER f_ext SET STORAGE EXTERNAL, ALTER t_ext SET STORAGE EXTERNAL, ALTER b_ext SET STORAGE EXTERNAL;
INSERT INTO tv SELECT
	cx.make_ratings(0, 1000, (SELECT array_agg((i * 7919) % 1000)::bigint[] FROM generate_series(0, 1000) i)),
	cx.make_ratings(0, 1000, array_fill(2::bigint, ARRAY[1001])),
	'1..5: 1 2 3 4 5',
	(SELECT cx.cycle_sketch(exp(i / 300.0) * interval '1 microsecond', 0.001) FROM generate_series(1, 9000) i),
	(SELECT cx.cycle_sketch(((i % 7) + 1) * interval '1 second' * exp(i / 600.0), 0.0001) FROM generate_series(1, 9000) i),
	(SELECT cx.cycle_sketch(interval '3 days')),
	(SELECT cx.number_sketch(exp(i / 50.0) * (i % 2 * 2 - 1), 0.001) FROM generate_series(1, 20000) i),
	(SELECT cx.number_sketch(exp(i / 40.0), 0.0001) FROM generate_series(1, 20000) i),
	(SELECT cx.number_sketch(2.5)),
	(SELECT array_agg(i % 3)::bigint[] FROM generate_series(1, 5000) i),
	(SELECT array_agg(i % 3)::bigint[] FROM generate_series(1, 100000) i),
	(SELECT array_agg(0.5)::float8[] FROM generate_series(1, 5000) i),
	repeat('us_federal', 1000),
	repeat('x', 100000),
	decode(repeat('01', 5000), 'hex');

-- sample expressions per argument type (the first is the typical value,
-- used for the other arguments while one varies); "t" is the row of tv
CREATE TEMP TABLE samples (typ regtype, ord int, expr text);
INSERT INTO samples (typ, ord, expr)
SELECT v.t::regtype, s.ord, s.expr
FROM (VALUES
	('double precision', ARRAY['0.5', '0', '1', '-1', '2', '''NaN''', '''Infinity''', '''-Infinity''',
							   '1e308', '-1e308', '5e-324', '''-0''', '1e-300', '9.3e18', '0.9999999999999999', '0.0001']),
	('double precision[]', ARRAY['ARRAY[0.5]', '''{}''', '''{0.1,0.5,0.9}''', '''{{0.5},{0.9}}''', '''{NULL,0.5}''',
								 '''{NaN}''', '''{2}''', '''{-1}''', '''[0:1]={0.5,0.9}''', 'array_fill(0.5::float8, ARRAY[5000])',
								 't.f_ext', '''{Infinity}''', '''{NULL}''']),
	('integer', ARRAY['5', '0', '1', '2', '10', '-1', '11', '1000', '2147483647', '-2147483648', '13000']),
	('bigint', ARRAY['0', '1', '-1', '9223372036854775807', '-9223372036854775808']),
	('bigint[]', ARRAY['''{0,0,0,0,0,0}''', '''{0,0}''', '''{}''', '''{1}''', '''{{0,0},{0,0}}''', '''{NULL,0}''',
					   '''{-1,5}''', '''{5,10}''', '''{9223372036854775807,9223372036854775807}''',
					   '''{9223372036854775807,0}''', '''{10,5,900000,30,4,0}''', '''{1,1,1,1,1,1}''',
					   '''{0,0,0,0,0,0,0,0,0,0,0}''', '''[5:6]={0,0}''', '''{5,1,0,0,0,0}''',
					   '''{1,1,900000,30,6,-1}''', '''{1,1,2000000,-5,99,0}''', 't.a_ext', 't.a_cmp', '''{1,2,3,4,5}''']),
	('interval', ARRAY['''1 day''', '''0''', '''-1 day''', '''1 month''', '''1 microsecond''', '''178000000 years''',
					   '''-178000000 years''', '''30 days 23:59:59.999999''', '''2147483647 days''',
					   '''-2147483648 months''', '''2147483647 months 2147483647 days''']),
	('text', ARRAY['''us_federal''', '''''', '''no_such_calendar''', '''days''', '''seconds''', '''minutes''',
				   't.t_ext', 't.t_cmp', '''DAYS''', '''fortnights''', '''pg_temp.tv''', '''business days''',
				   '''received_at''', '''us_federal''||chr(10)']),
	('cx.standard', ARRAY['''90% within 30 business days''', '''within 1 day''', '''100% within 1 second''',
						  '''0.0001% within 13000 business days''', '''50% within 2 weeks''']),
	('cx.ratings', ARRAY['''1..5: 1 2 3 4 5''', '''0..10: 1 1 1 1 1 1 1 1 1 1 1''', '''1..2: 0 0''',
						 '''1..5: 0 0 0 0 0''', '''-3..3: 1 0 0 0 0 0 1; 5 skipped''',
						 '''0..10: 0 0 0 0 0 0 0 0 0 0 6626288455254855651''', '''1..7: 9223372036854775807 0 0 0 0 0 0''',
						 '''0..10: 3 0 0 0 0 0 0 0 0 4611686018427387903 4611686018427387903''',
						 '''32766..32767: 1 1''', '''-32768..-32767: 0 1''', 't.r_ext', 't.r_cmp', 't.r_short']),
	('cx.cycle_sketch', ARRAY['(SELECT cx.cycle_sketch(x * interval ''1 hour'') FROM generate_series(1, 100) x)',
							  '(SELECT cx.cycle_sketch(interval ''1 day''))',
							  '(SELECT cx.cycle_sketch(x * interval ''1 hour'', 0.05) FROM generate_series(1, 100) x)',
							  '(SELECT cx.cycle_sketch(interval ''0''))',
							  '(SELECT cx.cycle_sketch(x * interval ''-1 hour'') FROM generate_series(-50, 50) x)',
							  '(SELECT cx.cycle_sketch(x) FROM (VALUES (interval ''290000 years''), (interval ''-290000 years''), (interval ''1 microsecond'')) v(x))',
							  '(SELECT pg_temp.raw_cycle(x * interval ''1 second'') FROM generate_series(1, 50) x)',
							  't.c_ext', 't.c_cmp', 't.c_short']),
	('cx.number_sketch', ARRAY['(SELECT cx.number_sketch(x) FROM generate_series(1, 100) x)',
							   '(SELECT cx.number_sketch(2.5))',
							   '(SELECT cx.number_sketch(x, 0.05) FROM generate_series(1, 100) x)',
							   '(SELECT cx.number_sketch(x, 0.0001) FROM generate_series(1, 100) x)',
							   '(SELECT cx.number_sketch(0))',
							   '(SELECT cx.number_sketch(x) FROM (VALUES (1e300), (-1e300), (1e-300), (-5e-324)) v(x))',
							   '(SELECT pg_temp.raw_number(x) FROM generate_series(-20, 20) x)',
							   't.n_ext', 't.n_cmp', 't.n_short']),
	('timestamp with time zone', ARRAY['''2026-01-05 10:00+00''', '''2026-03-01 09:00+00''', '''infinity''', '''-infinity''',
									   '''4713-01-01 00:00+00 BC''', '''294276-12-31 23:59:59+00''', '''2000-01-01 00:00+00''']),
	('date', ARRAY['''2026-01-05''', '''2026-12-25''', '''infinity''', '''-infinity''', '''4713-11-24 BC''', '''5874897-12-31''']),
	('cstring', ARRAY['''1..5: 1 2 3 4 5''', '''''', '''garbage''', '''90% within 30 business days''',
					  '''v1 interval alpha=0.01 count=1 zeros=0 min_us=86400000000 max_us=86500000000 sum_us=86400000000 neg={} pos={1260:1}''',
					  '''v1 number alpha=0.01 count=1 zeros=0 min=1.5 max=1.5 sum=1.5 sum_err=0 neg={} pos={21:1}''',
					  't.t_ext', '''0..10: 1 2''', '''within''']),
	('internal', ARRAY['NULL']),
	('name', ARRAY['''cx_status''', '''received_at''', '''''', '''no_such_column''', 'repeat(''n'', 70)', '''tv''', '''r_ext''']),
	('regclass', ARRAY['''pg_temp.tv''', '''pg_class''', '''cx.calendars''', '''-''', '4294967295::oid']),
	('regtype[]', ARRAY['''{timestamptz}''', '''{}''', '''{text,integer}''', '''{{timestamptz}}''', '''{NULL}''']),
	('regtype', ARRAY['''timestamptz''', '''cx.standard''', '''interval''', '''-''']),
	('name[]', ARRAY['''{cx_status,cx_due}''', '''{}''', '''{NULL}''', '''{received_at,received_at}''', '''{{cx_status}}''']),
	('boolean', ARRAY['true', 'false']),
	('oid', ARRAY['''pg_temp.tv''::regclass::oid', '0', '''pg_class''::regclass::oid', '''cx.breach_log''::regclass::oid', '4294967295']),
	('bytea', ARRAY['''\x''', '''\x00''', '''\x0100000000''', 't.b_ext', 'decode(repeat(''ff'', 100), ''hex'')'])
) AS v(t, exprs),
	LATERAL unnest(v.exprs) WITH ORDINALITY AS s(expr, ord);

-- run one statement: 'ok' or its SQLSTATE and message
CREATE FUNCTION pg_temp.try(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	st text;
	msg text;
BEGIN
	EXECUTE q;
	RETURN 'ok';
EXCEPTION
	WHEN query_canceled THEN
		RETURN '57014 canceled (statement timeout)';
	WHEN OTHERS THEN
		GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
		RETURN st || ' ' || replace(msg, E'\n', ' ');
END
$$;
RESET client_min_messages;
