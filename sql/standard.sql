-- cx.standard: text and binary forms, canonical output, errors, comparison,
-- accessors.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS cx_metrics;

-- canonical output of every unit and spelling
SELECT s AS input, s::cx.standard AS canonical
FROM (VALUES ('90% within 30 business days'), ('within 5 days'), ('80% within 20 minutes'),
			 ('95% within 4 hours'), ('99.95% within 1 hour'), ('75% within 2 weeks'),
			 ('50% within 45 seconds'), ('50% within 10 calendar days'), ('60% within 3 working days'),
			 ('  85 %   WITHIN 1  Business   Day  '), ('0.0001% within 1 week'), ('100% within 1 sec')) v(s);

-- the time-unit words of the sketch accessors' unit argument name the same units
SELECT s AS input, s::cx.standard AS canonical
FROM (VALUES ('90% within 30 s'), ('90% within 30 secs'), ('90% within 15 min'), ('90% within 4 h'),
			 ('90% within 4 hr'), ('90% within 4 HRS'), ('90% within 3 d'), ('90% within 1 D')) v(s);
SELECT '90% within 4 h'::cx.standard OPERATOR(cx.=) '90% within 4 hours' AS h_is_hours,
	   cx.allowance('within 3 d') = interval '3 days' AS d_is_days;
-- a time unit shorter than a second: a clear error
SELECT '90% within 500 ms'::cx.standard;
SELECT '90% within 5 microseconds'::cx.standard;

-- the canonical text reads back to an equal value
SELECT bool_and(s::cx.standard::text::cx.standard OPERATOR(cx.=) s::cx.standard) AS round_trip
FROM (VALUES ('90% within 30 business days'), ('within 5 days'), ('99.95% within 1 hour'),
			 ('12.3456% within 7 mins')) v(s);

-- bad input: clear errors
SELECT '150% within 3 days'::cx.standard;
SELECT '0% within 3 days'::cx.standard;
SELECT '90% within -2 days'::cx.standard;
SELECT '90% within 0 days'::cx.standard;
SELECT '90% within 1.5 hours'::cx.standard;
SELECT '90% within 2 fortnights'::cx.standard;
SELECT '90% within 2 business weeks'::cx.standard;
SELECT '99.12345% within 2 days'::cx.standard;
SELECT '90% within 13001 business days'::cx.standard;
SELECT '90% of items decided within 30 days'::cx.standard;
SELECT ''::cx.standard;

-- random text: every input is either refused with an error or read back
-- unchanged from its canonical form (no crash, no silent garbage)
SELECT setseed(0.25);
CREATE FUNCTION pg_temp.try_standard(t text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	RETURN CASE WHEN t::cx.standard::text::cx.standard OPERATOR(cx.=) t::cx.standard THEN 'ok' ELSE 'mismatch' END;
EXCEPTION WHEN invalid_text_representation OR numeric_value_out_of_range THEN
	RETURN 'refused';
END $$;
SELECT count(*) FILTER (WHERE r = 'mismatch') AS mismatches,
	   count(*) FILTER (WHERE r = 'ok') > 50 AS some_accepted,
	   count(*) FILTER (WHERE r = 'refused') > 50 AS some_refused
FROM (SELECT pg_temp.try_standard(t) AS r
	  FROM (SELECT CASE WHEN i % 3 = 0
						THEN (SELECT string_agg(substr('0123456789.%+- within business days hours weeks', 1 + (random() * 47)::int, 1 + (random() * 6)::int), '')
							  FROM generate_series(1, 1 + (i % 9)) WHERE i > 0)
						ELSE overlay(w PLACING substr('0123456789.%+- abwsy', 1 + (random() * 19)::int, 1)
									 FROM 1 + (random() * (length(w) - 1))::int FOR (random() * 2)::int)
				   END AS t
			FROM generate_series(1, 6000) AS i,
				 LATERAL (SELECT (ARRAY['90% within 30 business days', 'within 5 days', '80% within 20 minutes',
										'99.95% within 1 hour', '75% within 2 weeks', '50% within 45 secs'])[1 + i % 6] AS w) AS x) AS r0) AS r1;

-- accessors: standard types only
SELECT s::text, cx.target(s), cx.allowance(s), cx.business_allowance(s),
	   cx.allowance_unit(s), cx.allowance_amount(s)
FROM (VALUES ('90% within 30 business days'::cx.standard), ('within 5 days'), ('80% within 20 minutes'),
			 ('95% within 4 hours'), ('75% within 2 weeks'), ('50% within 45 seconds')) v(s);
SELECT cx.target('99.95% within 1 hour') = 0.9995::float8 AS exact_target;
SELECT cx.allowance('within 2 weeks') = interval '336 hours' AS two_weeks_is_336_hours;

-- comparison: equality needs all fields; order by allowance length.  The
-- operators live in schema cx: put it on the search_path or write OPERATOR(cx.=)
SET search_path = public, cx;
SELECT NOT ('within 14 days'::cx.standard = 'within 2 weeks'::cx.standard) AS days_ne_weeks,
	   'within 14 days'::cx.standard < 'within 2 weeks'::cx.standard AS days_before_weeks,
	   '90% within 1 day'::cx.standard = '90% within 1 days'::cx.standard AS singular_plural,
	   '90% within 1 hour'::cx.standard < '90% within 61 minutes'::cx.standard AS hour_before_61_minutes,
	   'within 100 weeks'::cx.standard < 'within 1 business day'::cx.standard AS elapsed_before_business,
	   '80% within 1 day'::cx.standard < '90% within 1 day'::cx.standard AS lower_target_first,
	   '90% within 1 day'::cx.standard <> '90% within 24 hours'::cx.standard AS different_units;
SELECT s FROM (VALUES ('90% within 30 business days'::cx.standard), ('within 5 days'), ('80% within 20 minutes'),
			 ('90% within 2 business days'), ('within 1 week'), ('80% within 20 minutes')) v(s)
GROUP BY s ORDER BY s;
SET enable_sort = off;
SELECT count(DISTINCT s) AS distinct_hash
FROM (VALUES ('90% within 30 business days'::cx.standard), ('90% within 30 business days'), ('within 5 days')) v(s);
RESET enable_sort;
CREATE TEMP TABLE std_tab (s cx.standard PRIMARY KEY);
INSERT INTO std_tab VALUES ('90% within 30 business days'), ('within 5 days');
INSERT INTO std_tab VALUES ('90% within 30 working days');
SELECT count(*) AS joined FROM std_tab t JOIN (VALUES ('within 5 days'::cx.standard)) v(s) USING (s);
RESET search_path;
SELECT NOT ('within 1 day'::cx.standard OPERATOR(cx.=) 'within 24 hours') AS qualified_operator_units_differ,
	   'within 1 day'::cx.standard OPERATOR(cx.=) '100% within 1 days' AS qualified_operator_equal;

-- binary send/recv round trip (COPY BINARY), and bad binary input rejected
CREATE TEMP TABLE std_bin (s cx.standard);
INSERT INTO std_bin VALUES ('90% within 30 business days'), ('99.95% within 1 hour'), ('within 2 weeks');
SELECT encode(cx._standard_send('90% within 30 business days'), 'hex') AS send_hex;
COPY std_bin TO '/tmp/cx_std_bin.copy' (FORMAT binary);
CREATE TEMP TABLE std_bin2 (s cx.standard);
COPY std_bin2 FROM '/tmp/cx_std_bin.copy' (FORMAT binary);
SELECT (SELECT array_agg(s ORDER BY s) FROM std_bin) = (SELECT array_agg(s ORDER BY s) FROM std_bin2) AS binary_round_trip;
-- bad binary input: a binary COPY of a bytea column has the same framing as
-- one cx.standard field, so its bytes reach cx._standard_recv unchanged
COPY (SELECT decode('01000dbba00000001e00000006', 'hex')) TO '/tmp/cx_std_good.copy' (FORMAT binary);
COPY std_bin2 FROM '/tmp/cx_std_good.copy' (FORMAT binary);
COPY (SELECT decode('01000f42410000001e00000006', 'hex')) TO '/tmp/cx_std_bad1.copy' (FORMAT binary);
COPY std_bin2 FROM '/tmp/cx_std_bad1.copy' (FORMAT binary);
COPY (SELECT decode('01000dbba00000001e00000009', 'hex')) TO '/tmp/cx_std_bad2.copy' (FORMAT binary);
COPY std_bin2 FROM '/tmp/cx_std_bad2.copy' (FORMAT binary);
COPY (SELECT decode('02000dbba00000001e00000006', 'hex')) TO '/tmp/cx_std_bad3.copy' (FORMAT binary);
COPY std_bin2 FROM '/tmp/cx_std_bad3.copy' (FORMAT binary);
COPY (SELECT decode('01000dbba0ffffffff00000006', 'hex')) TO '/tmp/cx_std_bad4.copy' (FORMAT binary);
COPY std_bin2 FROM '/tmp/cx_std_bad4.copy' (FORMAT binary);
COPY (SELECT decode('01000dbba0', 'hex')) TO '/tmp/cx_std_bad5.copy' (FORMAT binary);
COPY std_bin2 FROM '/tmp/cx_std_bad5.copy' (FORMAT binary);
COPY (SELECT decode('01000dbba00000001e0000000600', 'hex')) TO '/tmp/cx_std_bad6.copy' (FORMAT binary);
COPY std_bin2 FROM '/tmp/cx_std_bad6.copy' (FORMAT binary);
SELECT count(*) AS rows_after_bad_input FROM std_bin2;

-- leave the database as found, for the tests that follow
DROP EXTENSION cx_metrics CASCADE;
