-- Hostile bytes: binary COPY of truncated, oversized, mutated and random
-- sketch data, and mutated text.  Every input is either rejected with an
-- error or is a valid sketch; nothing crashes.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS cx_metrics;
RESET client_min_messages;
SELECT setseed(0.11);

CREATE TEMP TABLE hb_int (s cx.cycle_sketch);
CREATE TEMP TABLE hb_num (s cx.number_sketch);

-- bytes as printf octal escapes (the COPY program runs under /bin/sh)
CREATE FUNCTION pg_temp.octal(b bytea) RETURNS text LANGUAGE sql AS $$
  SELECT coalesce(string_agg('\' || ((v >> 6) & 7) || ((v >> 3) & 7) || (v & 7), '' ORDER BY i), '')
  FROM (SELECT i, get_byte(b, i) AS v FROM generate_series(0, length(b) - 1) i) t $$;

-- feed one field value through binary COPY; 'accepted' or the error message
CREATE FUNCTION pg_temp.copy_bin(payload bytea, tbl text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  stream bytea := '\x5047434f50590aff0d0a00'::bytea || '\x00000000'::bytea || '\x00000000'::bytea
                  || '\x0001'::bytea || int4send(length(payload)) || payload || '\xffff'::bytea;
  detail text;
BEGIN
  EXECUTE format('TRUNCATE %I', tbl);
  EXECUTE format('COPY %I FROM PROGRAM %L WITH (FORMAT binary)', tbl, 'printf ''' || pg_temp.octal(stream) || '''');
  RETURN 'accepted';
EXCEPTION WHEN others THEN
  GET STACKED DIAGNOSTICS detail = PG_EXCEPTION_DETAIL;
  RETURN SQLERRM || coalesce(': ' || nullif(detail, ''), '');
END $$;

-- replace bytes of b at offset off
CREATE FUNCTION pg_temp.patch(b bytea, off int, v bytea) RETURNS bytea LANGUAGE sql AS $$
  SELECT overlay(b PLACING v FROM off + 1 FOR length(v)) $$;

CREATE TEMP TABLE good AS
SELECT cx._cycle_sketch_send(cx.cycle_sketch(d)) AS b
FROM (VALUES (interval '1 second'), ('3 hours'), ('1 day'), ('1 day'), ('9 days'), ('-2 hours'), ('0')) v(d);
CREATE TEMP TABLE goodn AS
SELECT cx._number_sketch_send(cx.number_sketch(x)) AS b FROM (VALUES (-1.5), (0), (2.5), (1e6)) v(x);

-- valid binary round trips; a sketch of the other kind is refused
SELECT pg_temp.copy_bin(b, 'hb_int') AS valid FROM good;
SELECT (SELECT s::text FROM hb_int) = (SELECT cx.cycle_sketch(d)::text
  FROM (VALUES (interval '1 second'), ('3 hours'), ('1 day'), ('1 day'), ('9 days'), ('-2 hours'), ('0')) v(d)) AS binary_round_trip;
SELECT pg_temp.copy_bin(b, 'hb_num') AS valid_number FROM goodn;
SELECT pg_temp.copy_bin(b, 'hb_num') AS wrong_kind FROM good;

-- every truncation and every extension is refused
SELECT count(*) AS truncations, count(*) FILTER (WHERE r <> 'accepted') AS refused
FROM good, LATERAL (SELECT pg_temp.copy_bin(substr(b, 1, n), 'hb_int') r FROM generate_series(0, length(b) - 1) n) t;
SELECT pg_temp.copy_bin(b || '\x00'::bytea, 'hb_int') AS one_extra_byte FROM good;
SELECT pg_temp.copy_bin(b || '\x00000000000000000000000000000000'::bytea, 'hb_int') AS extra_bytes FROM good;

-- header fields (offsets: 0 version, 1 flags, 2 alpha, 10 count, 18 zeros,
-- 26 min, 34 max, 42/50 sum, 58 neg base/span/nbytes, 70 pos base/span/nbytes)
SELECT what, pg_temp.copy_bin(p, 'hb_int') AS result
FROM good, LATERAL (VALUES
  ('bad version', pg_temp.patch(b, 0, '\x02')),
  ('dense flag', pg_temp.patch(b, 1, '\x03')),
  ('unknown flag', pg_temp.patch(b, 1, '\x81')),
  ('NaN alpha', pg_temp.patch(b, 2, float8send('NaN'))),
  ('other alpha', pg_temp.patch(b, 2, float8send(0.02))),
  ('zero count', pg_temp.patch(b, 10, int8send(0))),
  ('negative count', pg_temp.patch(b, 10, int8send(-7))),
  ('too many zeros', pg_temp.patch(b, 18, int8send(9))),
  ('min not in its bucket', pg_temp.patch(b, 26, int8send(-99999999999))),
  ('max below min', pg_temp.patch(b, 34, int8send(1))),
  ('sum too large', pg_temp.patch(b, 50, int8send(-1))),
  ('huge nbytes', pg_temp.patch(b, 66, int4send(2147483647))),
  ('negative nbytes', pg_temp.patch(b, 66, int4send(-1))),
  ('negative span', pg_temp.patch(b, 74, int4send(-5))),
  ('huge span', pg_temp.patch(b, 74, int4send(2147483647))),
  ('index out of range', pg_temp.patch(b, 70, int4send(-2147483648))),
  ('zero bucket count', pg_temp.patch(b, length(b) - 1, '\x00')),
  ('unterminated varint', pg_temp.patch(b, length(b) - 1, '\xff'))) v(what, p);

-- 300 random single-byte mutations and 100 random buffers: no crash;
-- whatever is accepted is a valid sketch whose text form reads back
CREATE TEMP TABLE mutated AS
SELECT k, pg_temp.patch(b, (random() * (length(b) - 1))::int, set_byte('\x00'::bytea, 0, (random() * 255)::int)) AS m
FROM good, generate_series(1, 300) k;
INSERT INTO mutated
SELECT 1000 + k, (SELECT string_agg(set_byte('\x00'::bytea, 0, (random() * 255)::int), ''::bytea) FROM generate_series(0, (random() * 120)::int + k * 0) j)
FROM generate_series(1, 100) k;
CREATE TEMP TABLE outcome (k int, r text, txt text);
DO $$
DECLARE rec record; res text; t text;
BEGIN
  FOR rec IN SELECT k, m FROM mutated ORDER BY k LOOP
    res := pg_temp.copy_bin(rec.m, 'hb_int');
    t := NULL;
    IF res = 'accepted' THEN
      SELECT s::text INTO t FROM hb_int;
    END IF;
    INSERT INTO outcome VALUES (rec.k, res, t);
  END LOOP;
END $$;
SELECT count(*) AS inputs, count(*) FILTER (WHERE r <> 'accepted') > 250 AS mostly_refused,
       bool_and(txt::cx.cycle_sketch::text = txt) FILTER (WHERE r = 'accepted') AS accepted_are_valid
FROM outcome;

-- mutated text forms: refused or valid, never a crash
CREATE TEMP TABLE text_outcome (ok bool);
DO $$
DECLARE base text := (SELECT cx.cycle_sketch(d)::text FROM (VALUES (interval '1 second'), ('3 hours'), ('9 days'), ('-2 hours'), ('0')) v(d));
  m text; p int; res bool;
BEGIN
  FOR i IN 1..500 LOOP
    p := 1 + (random() * (length(base) - 1))::int;
    m := overlay(base PLACING substr('0123456789-:,{}= .eEvx', 1 + (random() * 21)::int, 1) FROM p FOR 1);
    IF i % 3 = 0 THEN m := substr(m, 1, (random() * length(m))::int); END IF;
    BEGIN
      PERFORM m::cx.cycle_sketch;
      res := true;
    EXCEPTION WHEN invalid_text_representation THEN
      res := false;
    END;
    INSERT INTO text_outcome VALUES (res);
  END LOOP;
END $$;
SELECT count(*) AS text_inputs, count(*) FILTER (WHERE NOT ok) > 300 AS mostly_refused FROM text_outcome;

-- one value: the minimum, the maximum and the sum are that value; zeros are +0
SELECT cx.number_sketch(x)::text AS one_value FROM (VALUES (5.0::float8)) v(x);
SELECT 'v1 number alpha=0.01 count=1 zeros=0 min=5 max=5.01 sum=5 sum_err=0 neg={} pos={81:1}'::cx.number_sketch;
SELECT 'v1 number alpha=0.01 count=1 zeros=0 min=5 max=5 sum=5 sum_err=1e-30 neg={} pos={81:1}'::cx.number_sketch;
SELECT 'v1 interval alpha=0.01 count=1 zeros=0 min_us=1000000 max_us=1000001 sum_us=1000000 neg={} pos={691:1}'::cx.cycle_sketch;
SELECT 'v1 number alpha=0.01 count=2 zeros=1 min=-0 max=5 sum=5 sum_err=0 neg={} pos={81:1}'::cx.number_sketch;
SELECT 'v1 number alpha=0.01 count=1 zeros=1 min=0 max=-0 sum=0 sum_err=0 neg={} pos={}'::cx.number_sketch;
-- exact fields that contradict the count are refused by the text input
SELECT 'v1 interval alpha=0.01 count=1 zeros=0 min_us=86400000000 max_us=86500000000 sum_us=86400000000 neg={} pos={1260:1}'::cx.cycle_sketch;
SELECT 'v1 interval alpha=0.01 count=1 zeros=0 min_us=86400000000 max_us=86400000000 sum_us=86400000001 neg={} pos={1260:1}'::cx.cycle_sketch;
SELECT 'v1 interval alpha=0.01 count=2 zeros=0 min_us=86400000000 max_us=172800000000 sum_us=259200000001 neg={} pos={1260:1,1294:1}'::cx.cycle_sketch;
SELECT 'v1 number alpha=0.01 count=1 zeros=0 min=1.5 max=1.51 sum=1.5 sum_err=0 neg={} pos={21:1}'::cx.number_sketch;
SELECT 'v1 number alpha=0.01 count=1 zeros=0 min=1.5 max=1.5 sum=1.6 sum_err=0 neg={} pos={21:1}'::cx.number_sketch;
-- and the consistent ones still read back (percentile(s, 1) = max(s))
SELECT s, cx.percentile(s, 1) = cx.max(s) AS p100_is_max
FROM (VALUES ('v1 interval alpha=0.01 count=1 zeros=0 min_us=86400000000 max_us=86400000000 sum_us=86400000000 neg={} pos={1260:1}'::cx.cycle_sketch),
			 ('v1 interval alpha=0.01 count=2 zeros=0 min_us=86400000000 max_us=172800000000 sum_us=259200000000 neg={} pos={1260:1,1294:1}')) v(s);
