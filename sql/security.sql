-- search_path safety (as contrib/seg's security test): objects in public and
-- pg_temp that would hijack unqualified names (operators on every type the
-- extension compares, functions, tables shadowing catalogs) must never run
-- when the extension's entry points are called, by a superuser or by
-- another role, with those schemas first in search_path.  And the code of a
-- tracked table's owner runs as that owner, never as the superuser who
-- sweeps or tracks the table.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS cx_metrics;
\set SHOW_CONTEXT never

CREATE ROLE cx_sec_owner LOGIN;
GRANT CREATE ON SCHEMA public TO cx_sec_owner;
-- every hijack records who ran it
CREATE TABLE public.cx_sec_hits (who name, what text);
GRANT ALL ON public.cx_sec_hits TO PUBLIC;
CREATE FUNCTION public.cx_sec_hit(what text) RETURNS boolean LANGUAGE sql
	AS $$ INSERT INTO public.cx_sec_hits VALUES (current_user, what) RETURNING false $$;

-- comparison operators on every type pair the extension's queries compare,
-- and the arithmetic and text operators they use
DO $$
DECLARE
	p text[];
	op text;
	n integer := 0;
BEGIN
	FOREACH p SLICE 1 IN ARRAY ARRAY[
		['oid', 'oid'], ['oid', 'regclass'], ['regclass', 'oid'], ['regclass', 'regclass'],
		['oid', 'regrole'], ['regrole', 'oid'], ['text', 'text'], ['name', 'name'], ['name', 'text'],
		['text', 'name'], ['"char"', '"char"'], ['timestamptz', 'timestamptz'], ['double precision', 'double precision'],
		['integer', 'integer'], ['bigint', 'bigint'], ['bigint', 'integer'], ['integer', 'bigint'],
		['date', 'date'], ['tid', 'tid'], ['interval', 'interval'], ['boolean', 'boolean'],
		['numeric', 'numeric'], ['regtype', 'regtype'], ['cx.standard', 'cx.standard']] LOOP
		FOREACH op IN ARRAY ARRAY['=', '<>', '<', '<=', '>', '>='] LOOP
			n := n + 1;
			EXECUTE format('CREATE FUNCTION public.cx_sec_op%s(%s, %s) RETURNS boolean LANGUAGE sql AS %L',
						   n, p[1], p[2], format('SELECT public.cx_sec_hit(%L)', p[1] || ' ' || op || ' ' || p[2]));
			EXECUTE format('CREATE OPERATOR public.%s (LEFTARG = %s, RIGHTARG = %s, FUNCTION = public.cx_sec_op%s)',
						   op, p[1], p[2], n);
		END LOOP;
	END LOOP;
	FOREACH p SLICE 1 IN ARRAY ARRAY[
		['double precision', 'double precision', '+', 'double precision'], ['double precision', 'double precision', '-', 'double precision'],
		['double precision', 'double precision', '*', 'double precision'], ['double precision', 'double precision', '/', 'double precision'],
		['integer', 'integer', '+', 'integer'], ['integer', 'integer', '-', 'integer'], ['bigint', 'bigint', '+', 'bigint'],
		['timestamptz', 'interval', '+', 'timestamptz'], ['timestamptz', 'interval', '-', 'timestamptz'],
		['timestamptz', 'timestamptz', '-', 'interval'], ['date', 'date', '-', 'integer'], ['date', 'integer', '+', 'date'],
		['text', 'text', '||', 'text'], ['integer', 'integer', '<<', 'integer']] LOOP
		n := n + 1;
		EXECUTE format('CREATE FUNCTION public.cx_sec_op%s(a %s, b %s) RETURNS %s LANGUAGE sql AS %L',
					   n, p[1], p[2], p[4],
					   format('SELECT CASE WHEN public.cx_sec_hit(%L) THEN NULL ELSE a OPERATOR(pg_catalog.%s) b END',
							  p[1] || ' ' || p[3] || ' ' || p[2], p[3]));
		EXECUTE format('CREATE OPERATOR public.%s (LEFTARG = %s, RIGHTARG = %s, FUNCTION = public.cx_sec_op%s)',
					   p[3], p[1], p[2], n);
	END LOOP;
END
$$;
-- functions shadowing those the extension calls
CREATE FUNCTION public.now() RETURNS timestamptz LANGUAGE sql AS $$ SELECT pg_catalog.now() WHERE NOT public.cx_sec_hit('now()') $$;
CREATE FUNCTION public.statement_timestamp() RETURNS timestamptz LANGUAGE sql AS $$ SELECT pg_catalog.statement_timestamp() WHERE NOT public.cx_sec_hit('statement_timestamp()') $$;
CREATE FUNCTION public.has_table_privilege(oid, text) RETURNS boolean LANGUAGE sql AS $$ SELECT public.cx_sec_hit('has_table_privilege') $$;
CREATE FUNCTION public.pg_has_role(oid, text) RETURNS boolean LANGUAGE sql AS $$ SELECT public.cx_sec_hit('pg_has_role') $$;
CREATE FUNCTION public.current_setting(text) RETURNS text LANGUAGE sql AS $$ SELECT pg_catalog.current_setting($1) WHERE NOT public.cx_sec_hit('current_setting') $$;
CREATE FUNCTION public.set_config(text, text, boolean) RETURNS text LANGUAGE sql AS $$ SELECT pg_catalog.set_config($1, $2, $3) WHERE NOT public.cx_sec_hit('set_config') $$;
CREATE FUNCTION public.unnest(anyarray) RETURNS SETOF anyelement LANGUAGE sql AS $$ SELECT x FROM pg_catalog.unnest($1) x WHERE NOT public.cx_sec_hit('unnest') $$;
CREATE FUNCTION public.to_regclass(text) RETURNS regclass LANGUAGE sql AS $$ SELECT pg_catalog.to_regclass($1) WHERE NOT public.cx_sec_hit('to_regclass') $$;
CREATE FUNCTION public.isfinite(date) RETURNS boolean LANGUAGE sql AS $$ SELECT public.cx_sec_hit('isfinite') $$;
CREATE FUNCTION public.format(text, text) RETURNS text LANGUAGE sql AS $$ SELECT pg_catalog.format($1, $2) WHERE NOT public.cx_sec_hit('format') $$;
CREATE FUNCTION public.left(text, integer) RETURNS text LANGUAGE sql AS $$ SELECT pg_catalog.left($1, $2) WHERE NOT public.cx_sec_hit('left') $$;
CREATE FUNCTION public.octet_length(text) RETURNS integer LANGUAGE sql AS $$ SELECT pg_catalog.octet_length($1) WHERE NOT public.cx_sec_hit('octet_length') $$;
CREATE FUNCTION public.least(timestamptz, timestamptz, timestamptz) RETURNS timestamptz LANGUAGE sql AS $$ SELECT NULL::timestamptz WHERE public.cx_sec_hit('least') $$;

-- the control: with public first, the hijacks are found (so a hit below
-- would be seen)
SET search_path = public, pg_catalog;
SELECT 1::oid = 1::oid AS eq, 'a'::text || 'b' AS cat, now() IS NOT NULL AS now;
RESET search_path;
SELECT count(*) > 0 AS control_hijacks_work FROM public.cx_sec_hits;
TRUNCATE public.cx_sec_hits;

-- a table of another role, with its own code: a trigger that records the
-- role it runs as and tries to make that role a superuser
SET ROLE cx_sec_owner;
CREATE TABLE public.sec_apps (id int PRIMARY KEY, received_at timestamptz, decided_at timestamptz,
							  cx_status text, nps int);
CREATE TABLE public.cx_sec_ran (who name, escalated boolean, restricted boolean);
CREATE FUNCTION public.sec_apps_code() RETURNS trigger LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	escalated boolean := true;
	restricted boolean := false;
BEGIN
	BEGIN
		ALTER ROLE cx_sec_owner SUPERUSER;
	EXCEPTION WHEN insufficient_privilege THEN
		escalated := false;
	END;
	-- refused only inside a security-restricted operation
	BEGIN
		CREATE TEMP TABLE IF NOT EXISTS cx_sec_probe (x int);
	EXCEPTION WHEN insufficient_privilege THEN
		restricted := true;
	END;
	INSERT INTO public.cx_sec_ran VALUES (current_user, escalated, restricted);
	-- a setting for the rest of the session of whoever runs this
	PERFORM set_config('work_mem', '77kB', false);
	RETURN NEW;
END
$$;
CREATE TRIGGER aa_code BEFORE UPDATE ON public.sec_apps FOR EACH ROW EXECUTE FUNCTION public.sec_apps_code();
INSERT INTO public.sec_apps VALUES (1, now() - interval '20 days', NULL, NULL, 3), (2, now() - interval '1 day', NULL, NULL, 9);
RESET ROLE;

-- a trigger a superuser adds on the breach log (so the log is written
-- through SQL): it records the role and search_path it runs with
CREATE TABLE public.cx_sec_logged (who name, path text);
CREATE FUNCTION public.cx_sec_log_code() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO public.cx_sec_logged VALUES (current_user, pg_catalog.current_setting('search_path'));
	RETURN NEW;
END
$$;
CREATE TRIGGER cx_sec_log BEFORE INSERT ON cx.breach_log FOR EACH ROW EXECUTE FUNCTION public.cx_sec_log_code();

-- every entry point, as the superuser, on a fresh connection (so every
-- cache loads under the hostile path), with pg_temp and public first and
-- temporary tables shadowing the catalogs and the registry
\c
SET client_min_messages = warning;
\set SHOW_CONTEXT never
CREATE TEMP TABLE pg_class (oid oid, relname name, relnamespace oid, relowner oid, relkind "char", relpersistence "char", relispartition boolean);
CREATE TEMP TABLE pg_namespace (oid oid, nspname name);
CREATE TEMP TABLE pg_attribute (attrelid oid, attname name, atttypid oid, attnum int2, attisdropped boolean, atttypmod int4, attgenerated "char");
CREATE TEMP TABLE tracked (tbl regclass);
CREATE TEMP TABLE breach_log (id bigint);
SET search_path = pg_temp, public, pg_catalog;
SELECT cx.track('public.sec_apps', '90% within 10 days', started => 'received_at', finished => 'decided_at', status => 'cx_status');
SELECT cx.track_scores('public.sec_apps', answer => 'nps');
-- (the test's own statements qualify their operators)
INSERT INTO public.sec_apps VALUES (3, pg_catalog.now() OPERATOR(pg_catalog.-) interval '30 days', NULL, NULL, 2);
-- a row written while the trigger was off, overdue: the sweep flips it
SET session_replication_role = replica;
INSERT INTO public.sec_apps VALUES (5, pg_catalog.now() OPERATOR(pg_catalog.-) interval '30 days', NULL, 'on_track', NULL,
									pg_catalog.now() OPERATOR(pg_catalog.-) interval '1 day');
RESET session_replication_role;
SELECT tracked::text, flipped FROM cx.sweep(since => '-infinity');
SELECT tracked::text, flipped FROM cx.sweep('public.sec_apps');
-- the owner's code left nothing in the superuser's session
SELECT pg_catalog.current_setting('work_mem') OPERATOR(pg_catalog.<>) '77kB' AS settings_kept, pg_catalog.current_setting('search_path') AS search_path;
INSERT INTO cx.calendars (name, weekend) VALUES ('sec_cal', '{6,7}');
INSERT INTO cx.holidays VALUES ('sec_cal', '2026-12-24', 'closure');
SELECT cx.business_days('2026-12-21 10:00+00', '2026-12-31 10:00+00', 'sec_cal') AS bdays,
	   cx.add_business_days('2026-12-21 10:00+00', 5, 'sec_cal') AS due,
	   cx.due_at('2026-12-21 10:00+00', 'within 5 business days', 'sec_cal') AS due_at;
SELECT * FROM cx.calendar_closures('sec_cal', '2026-12-01', '2026-12-31');
SELECT * FROM cx.distribution((SELECT cx.ratings(a, 1, 5) FROM generate_series(1, 5) a));
SELECT cx.csat(a), cx.nps(a OPERATOR(pg_catalog.+) 5), cx.percentile(a::float8, 0.5), cx.share_within(a::float8, 3)
FROM generate_series(1, 5) a;
SELECT cx.attainment(cx.cycle_sketch(d), 'within 2 days'), cx.meets(cx.cycle_sketch(d), '50% within 2 days')
FROM (VALUES (interval '1 day'), (interval '3 days')) v(d);
SELECT cx.untrack_scores('public.sec_apps');
SELECT cx.untrack('public.sec_apps');
RESET search_path;

-- no hijack ran, for any role
SELECT who, what FROM public.cx_sec_hits;
-- the owner's trigger ran as the owner, inside a security-restricted
-- operation when the superuser swept or backfilled the table
SELECT who, escalated, restricted, count(*) FROM public.cx_sec_ran GROUP BY 1, 2, 3;
SELECT rolsuper FROM pg_roles WHERE rolname = 'cx_sec_owner';
-- the log was written through SQL as its owner, under a safe search_path
SELECT DISTINCT who, path FROM public.cx_sec_logged;
SELECT count(*) > 0 AS logged FROM cx.breach_log WHERE tbl = 'public.sec_apps';

-- the same entry points as the table's owner, on a fresh connection
TRUNCATE public.cx_sec_hits, public.cx_sec_ran, public.cx_sec_logged;
\c - cx_sec_owner
SET client_min_messages = warning;
\set SHOW_CONTEXT never
CREATE TEMP TABLE pg_class (oid oid, relname name, relnamespace oid, relowner oid, relkind "char", relpersistence "char", relispartition boolean);
CREATE TEMP TABLE tracked (tbl regclass);
SET search_path = pg_temp, public, pg_catalog;
SELECT cx.track('public.sec_apps', '90% within 10 days', started => 'received_at', finished => 'decided_at', status => 'cx_status');
INSERT INTO public.sec_apps VALUES (4, pg_catalog.now() OPERATOR(pg_catalog.-) interval '30 days', NULL, NULL, 2);
SELECT tracked::text, flipped FROM cx.sweep(since => '-infinity');
SELECT cx.business_days('2026-12-21 10:00+00', '2026-12-31 10:00+00', 'sec_cal') AS bdays;
SELECT cx.untrack('public.sec_apps');
RESET search_path;
SELECT who, what FROM public.cx_sec_hits;
SELECT who, escalated, restricted, count(*) FROM public.cx_sec_ran GROUP BY 1, 2, 3;
\c - postgres
SET client_min_messages = warning;

DROP TRIGGER cx_sec_log ON cx.breach_log;
DELETE FROM cx.breach_log WHERE tbl = 'public.sec_apps';
DELETE FROM cx.holidays WHERE calendar = 'sec_cal';
DELETE FROM cx.calendars WHERE name = 'sec_cal';
DROP TABLE public.sec_apps, public.cx_sec_ran, public.cx_sec_logged, public.cx_sec_hits;
DROP FUNCTION public.sec_apps_code(), public.cx_sec_log_code();
DROP OWNED BY cx_sec_owner;
DROP ROLE cx_sec_owner;
-- the hijacking objects go too (other tests run in this database)
DO $$
DECLARE
	o record;
BEGIN
	FOR o IN SELECT oid::regoperator AS op FROM pg_operator
			 WHERE oprnamespace = 'public'::regnamespace AND oprcode::text LIKE 'cx_sec_op%' LOOP
		EXECUTE format('DROP OPERATOR %s', o.op);
	END LOOP;
	FOR o IN SELECT oid::regprocedure AS fn FROM pg_proc
			 WHERE pronamespace = 'public'::regnamespace
			   AND (proname LIKE 'cx_sec_%' OR proname IN ('now', 'statement_timestamp', 'has_table_privilege', 'pg_has_role',
															'current_setting', 'set_config', 'unnest', 'to_regclass', 'isfinite',
															'format', 'left', 'octet_length', 'least')) LOOP
		EXECUTE format('DROP FUNCTION %s', o.fn);
	END LOOP;
END
$$;
SELECT count(*) AS hijacks_left FROM pg_proc WHERE pronamespace = 'public'::regnamespace;
SELECT pg_catalog.setval('cx.breach_log_id_seq', 1, false);

-- every function written in SQL or PL/pgSQL runs under search_path =
-- pg_catalog, pg_temp, unless its body is SQL-standard (bound when the
-- extension was created, its operators written OPERATOR(pg_catalog.=))
SELECT p.oid::regprocedure AS unpinned
FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_language l ON l.oid OPERATOR(pg_catalog.=) p.prolang
WHERE p.pronamespace OPERATOR(pg_catalog.=) 'cx'::regnamespace AND l.lanname IN ('sql', 'plpgsql')
  AND p.prosqlbody IS NULL AND p.proconfig IS DISTINCT FROM ARRAY['search_path=pg_catalog, pg_temp'];
SELECT p.oid::regprocedure AS sql_standard_body
FROM pg_catalog.pg_proc p
WHERE p.pronamespace OPERATOR(pg_catalog.=) 'cx'::regnamespace AND p.prosqlbody IS NOT NULL
ORDER BY p.oid::regprocedure::text COLLATE "C";
