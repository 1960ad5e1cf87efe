-- cx_metrics 0.1.0 -> 0.2.0: ALTER EXTENSION cx_metrics UPDATE TO '0.2.0'
\echo Use "ALTER EXTENSION cx_metrics UPDATE TO '0.2.0'" to load this file. \quit

-- Each section holds the changes of one part of src/ (src/<part>.sql), in
-- the order of the install script.  After this script the objects of the
-- extension equal those of a fresh 0.2.0 install (test/t/upgrade.sh).

-- ---- src/common.sql
-- The schema now belongs to the role that runs the script (the bootstrap
-- superuser for the trusted extension), so no other role can rename it or
-- put objects into it.  Objects in it that are not the extension's stop the
-- update: the extension's names could find them.
ALTER SCHEMA cx OWNER TO CURRENT_USER;
-- No other role keeps a privilege on it: grants made before the install (or
-- by the owner of release 0.1.0's schema) are revoked.
DO $$
DECLARE
	g record;
BEGIN
	FOR g IN SELECT DISTINCT a.grantee
			 FROM pg_catalog.pg_namespace n, pg_catalog.aclexplode(n.nspacl) a
			 WHERE n.nspname OPERATOR(pg_catalog.=) 'cx' AND a.grantee OPERATOR(pg_catalog.<>) n.nspowner LOOP
		IF g.grantee OPERATOR(pg_catalog.=) 0 THEN
			EXECUTE 'REVOKE ALL ON SCHEMA cx FROM PUBLIC CASCADE';
		ELSE
			EXECUTE pg_catalog.format('REVOKE ALL ON SCHEMA cx FROM %s CASCADE', g.grantee::pg_catalog.regrole);
		END IF;
	END LOOP;
END
$$;
GRANT USAGE ON SCHEMA cx TO PUBLIC;
DO $$
DECLARE
	found text;
BEGIN
	SELECT pg_catalog.string_agg(pg_catalog.pg_describe_object(o.classid, o.objid, 0), ', ') INTO found
	FROM (SELECT 'pg_catalog.pg_class'::pg_catalog.regclass AS classid, c.oid AS objid FROM pg_catalog.pg_class c
		  WHERE c.relnamespace OPERATOR(pg_catalog.=) 'cx'::pg_catalog.regnamespace
		  UNION ALL SELECT 'pg_catalog.pg_proc'::pg_catalog.regclass, p.oid FROM pg_catalog.pg_proc p
		  WHERE p.pronamespace OPERATOR(pg_catalog.=) 'cx'::pg_catalog.regnamespace
		  UNION ALL SELECT 'pg_catalog.pg_type'::pg_catalog.regclass, t.oid FROM pg_catalog.pg_type t
		  WHERE t.typnamespace OPERATOR(pg_catalog.=) 'cx'::pg_catalog.regnamespace
		  UNION ALL SELECT 'pg_catalog.pg_operator'::pg_catalog.regclass, o.oid FROM pg_catalog.pg_operator o
		  WHERE o.oprnamespace OPERATOR(pg_catalog.=) 'cx'::pg_catalog.regnamespace) o
	WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
					  WHERE d.classid OPERATOR(pg_catalog.=) o.classid AND d.objid OPERATOR(pg_catalog.=) o.objid
					    AND d.deptype OPERATOR(pg_catalog.=) 'e')
	  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
					  WHERE d.classid OPERATOR(pg_catalog.=) o.classid AND d.objid OPERATOR(pg_catalog.=) o.objid
					    AND d.deptype OPERATOR(pg_catalog.=) ANY (ARRAY['i', 'a']::"char"[]));
	IF found IS NOT NULL THEN
		RAISE EXCEPTION USING ERRCODE = 'object_not_in_prerequisite_state',
			MESSAGE = 'schema cx holds objects that are not part of cx_metrics',
			DETAIL = pg_catalog.format('It holds %s.', found),
			HINT = 'Move them to another schema (ALTER ... SET SCHEMA) or drop them, then update again.';
	END IF;
END
$$;

-- ---- src/percentile.sql

-- share_within transitions: STRICT (NULL rows skipped, a NULL state refused)
ALTER FUNCTION cx._share_within_trans(bigint[], double precision, double precision) STRICT;
ALTER FUNCTION cx._share_within_trans(bigint[], interval, interval) STRICT;

-- ---- src/sketch.sql

-- ---- src/ratings.sql

-- ---- src/standard.sql

-- ---- src/calendar.sql

-- attainment transitions: STRICT (NULL rows skipped, a NULL state refused)
ALTER FUNCTION cx._attain_trans(bigint[], interval, cx.standard) STRICT;
ALTER FUNCTION cx._attain_trans(bigint[], timestamptz, timestamptz, cx.standard) STRICT;
ALTER FUNCTION cx._attain_trans(bigint[], timestamptz, timestamptz, cx.standard, text) STRICT;

-- ---- src/track.sql
-- The breach log records the table's oid, which decides who may read a row.
-- Rows are given the table of their name only when that table is tracked
-- (a table dropped and another made under its name keeps nobody's rows).
ALTER TABLE cx.breach_log ADD COLUMN relid regclass;
UPDATE cx.breach_log l SET relid = pg_catalog.to_regclass(l.tbl)
WHERE pg_catalog.to_regclass(l.tbl) OPERATOR(pg_catalog.=) ANY
	  (SELECT t.tbl FROM cx.tracked t UNION SELECT s.tbl FROM cx.tracked_scores s);
CREATE INDEX breach_log_relid ON cx.breach_log (relid);

-- The registries are written only by the extension, as their owner, after
-- checking that the calling role owns the table; nobody but the installer
-- (restoring a dump) writes them directly, and the sweep mark is not
-- readable by all.
DROP POLICY tracked_read ON cx.tracked;
DROP POLICY tracked_owner ON cx.tracked;
DROP POLICY tracked_sweep ON cx.tracked;
DROP POLICY tracked_read ON cx.tracked_scores;
DROP POLICY tracked_owner ON cx.tracked_scores;
ALTER TABLE cx.tracked DISABLE ROW LEVEL SECURITY;
ALTER TABLE cx.tracked_scores DISABLE ROW LEVEL SECURITY;
REVOKE ALL ON cx.tracked, cx.tracked_scores FROM PUBLIC;
GRANT SELECT (tbl, standard, started, finished, status, due, key, calendar, at_risk, due_added,
			  sweep_index, status_default, due_default, tracked_at) ON cx.tracked TO PUBLIC;
GRANT SELECT ON cx.tracked_scores TO PUBLIC;
GRANT SELECT, INSERT ON cx.tracked, cx.tracked_scores TO @extowner@;

ALTER TABLE cx.breach_log ENABLE ROW LEVEL SECURITY;
GRANT SELECT ON cx.breach_log TO PUBLIC;
GRANT SELECT, DELETE ON cx.breach_log TO @extowner@ WITH GRANT OPTION;
-- (pg_dump by the installer reads the sequence's position)
GRANT SELECT ON SEQUENCE cx.breach_log_id_seq TO @extowner@;
-- Whether the current role may read the log rows of a table: it may SELECT
-- the table and sees all of its rows (the table has no row-level security,
-- or the role bypasses it); NULL when the table no longer exists.
CREATE FUNCTION cx._log_readable(relid oid) RETURNS boolean
	LANGUAGE sql STABLE PARALLEL SAFE
	RETURN (SELECT pg_catalog.has_table_privilege(c.oid, 'SELECT')
				   AND (NOT c.relrowsecurity
						OR (pg_catalog.pg_has_role(c.relowner, 'USAGE') AND NOT c.relforcerowsecurity)
						OR (SELECT r.rolbypassrls FROM pg_catalog.pg_roles r WHERE r.rolname OPERATOR(pg_catalog.=) CURRENT_USER))
			FROM pg_catalog.pg_class c WHERE c.oid OPERATOR(pg_catalog.=) relid);
CREATE POLICY breach_log_read ON cx.breach_log FOR SELECT
	USING (COALESCE(cx._log_readable(relid), pg_catalog.has_table_privilege('cx.breach_log'::pg_catalog.regclass, 'DELETE')));
CREATE POLICY breach_log_purge ON cx.breach_log FOR DELETE
	USING (cx._log_readable(relid) IS NOT FALSE);

CREATE OR REPLACE FUNCTION cx._track_table(tbl regclass)
	RETURNS void
	LANGUAGE plpgsql STABLE
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	c pg_class;
BEGIN
	IF tbl IS NULL THEN
		RAISE EXCEPTION USING ERRCODE = 'null_value_not_allowed',
			MESSAGE = 'table must not be null';
	END IF;
	SELECT * INTO c FROM pg_class WHERE oid = tbl;
	IF NOT FOUND THEN
		RAISE EXCEPTION USING ERRCODE = 'undefined_table',
			MESSAGE = format('table with OID %s does not exist', tbl::oid);
	END IF;
	IF c.relkind <> 'r' OR c.relispartition THEN
		RAISE EXCEPTION USING ERRCODE = 'wrong_object_type',
			MESSAGE = format('%s is not an ordinary table', tbl),
			DETAIL = 'Only ordinary tables that are not partitions can be tracked.',
			HINT = 'Track a plain table; partitioned tables are not supported.';
	END IF;
	IF c.relpersistence = 't' THEN
		RAISE EXCEPTION USING ERRCODE = 'wrong_object_type',
			MESSAGE = format('%s is a temporary table', tbl),
			DETAIL = 'Temporary tables cannot be tracked: they end with their session, which the registry and the sweep of other sessions would not see.',
			HINT = 'Track a permanent (or unlogged) table.';
	END IF;
	IF NOT pg_has_role(c.relowner, 'USAGE') THEN
		RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
			MESSAGE = format('must be owner of table %s', tbl),
			HINT = 'Ask the table owner to run it.';
	END IF;
END
$$;


CREATE OR REPLACE FUNCTION cx._tracked_guard() RETURNS trigger
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $$
BEGIN
	IF TG_OP = 'UPDATE' AND NEW.tbl IS DISTINCT FROM OLD.tbl THEN
		RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
			MESSAGE = format('cannot change the table of a registry row of %s', OLD.tbl),
			HINT = 'Run cx.untrack on the table, then cx.track on the other one.';
	END IF;
	PERFORM cx._track_table(NEW.tbl);
	IF TG_TABLE_NAME = 'tracked' THEN
		IF NEW.swept_to > statement_timestamp() THEN
			RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
				MESSAGE = format('swept_to of table %s must not be in the future', NEW.tbl),
				DETAIL = format('%s is after the statement time %s.', NEW.swept_to, statement_timestamp()),
				HINT = 'cx.sweep moves the mark; set it to NULL to make the next sweep look at every open row.';
		END IF;
	END IF;
	RETURN NEW;
END
$$;

DROP TRIGGER tracked_guard ON cx.tracked;
CREATE TRIGGER tracked_guard BEFORE INSERT OR UPDATE ON cx.tracked
	FOR EACH ROW EXECUTE FUNCTION cx._tracked_guard();
CREATE TRIGGER tracked_guard BEFORE INSERT OR UPDATE ON cx.tracked_scores
	FOR EACH ROW EXECUTE FUNCTION cx._tracked_guard();

CREATE OR REPLACE FUNCTION cx._track_column(tbl regclass, col name, what text, types regtype[])
	RETURNS regtype
	LANGUAGE plpgsql STABLE
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	t regtype;
	gen "char";
BEGIN
	IF col IS NULL THEN
		RAISE EXCEPTION USING ERRCODE = 'null_value_not_allowed',
			MESSAGE = format('%s column must not be null', what),
			HINT = format('Name the %s column of table %s.', what, tbl);
	END IF;
	SELECT a.atttypid::regtype, a.attgenerated INTO t, gen
	FROM pg_attribute a
	WHERE a.attrelid = tbl AND a.attname = col AND a.attnum > 0 AND NOT a.attisdropped;
	IF NOT FOUND THEN
		RAISE EXCEPTION USING ERRCODE = 'undefined_column',
			MESSAGE = format('column "%s" of table %s does not exist', col, tbl),
			DETAIL = format('The %s column must be a column of the tracked table.', what),
			HINT = 'Check the spelling, or add the column first.';
	END IF;
	IF gen <> '' THEN
		RAISE EXCEPTION USING ERRCODE = 'feature_not_supported',
			MESSAGE = format('%s column "%s" is a generated column', what, col),
			DETAIL = 'The tracking trigger runs before generated columns are computed, so it would judge the row by an old value.',
			HINT = 'Name a column that is written directly.';
	END IF;
	IF types IS NOT NULL AND NOT (t = ANY (types)) THEN
		RAISE EXCEPTION USING ERRCODE = 'datatype_mismatch',
			MESSAGE = format('%s column "%s" has type %s', what, col, t),
			DETAIL = format('The %s column must have type %s.', what, array_to_string(types, ' or ')),
			HINT = format('Change it, for example with ALTER TABLE %s ALTER COLUMN %I TYPE %s.', tbl, col, types[1]);
	END IF;
	RETURN t;
END
$$;


CREATE FUNCTION cx._track_index_name(tbl regclass, due name)
	RETURNS name
	LANGUAGE plpgsql STABLE STRICT
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	c pg_class;
	suffix text;
	cand text;
	i integer := 0;
BEGIN
	SELECT * INTO c FROM pg_class WHERE oid = tbl;
	LOOP
		suffix := format('_%s_sweep%s', due, CASE WHEN i > 0 THEN i::text ELSE '' END);
		IF octet_length(suffix) > 40 THEN
			suffix := format('_sweep%s', CASE WHEN i > 0 THEN i::text ELSE '' END);
		END IF;
		cand := c.relname::text;
		WHILE octet_length(cand || suffix) > 63 LOOP
			cand := left(cand, -1);
		END LOOP;
		cand := cand || suffix;
		EXIT WHEN NOT EXISTS (SELECT 1 FROM pg_class r WHERE r.relnamespace = c.relnamespace AND r.relname = cand);
		i := i + 1;
	END LOOP;
	RETURN cand;
END
$$;


CREATE FUNCTION cx._track(tbl regclass, standard cx.standard,
						  started name, finished name, status name,
						  calendar text, at_risk float8, key name, due name,
						  backfill boolean)
	RETURNS void
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $$
#variable_conflict use_variable
DECLARE
	st regtype;
	k name;
	added boolean := false;
	idx name;
	missing text[];
BEGIN
	PERFORM cx._track_table(tbl);
	IF EXISTS (SELECT 1 FROM cx.tracked t WHERE t.tbl = _track.tbl) THEN
		RAISE EXCEPTION USING ERRCODE = 'duplicate_object',
			MESSAGE = format('table %s is already tracked', tbl),
			HINT = 'Run cx.untrack on it first to change how it is tracked.';
	END IF;
	IF standard IS NULL THEN
		RAISE EXCEPTION USING ERRCODE = 'null_value_not_allowed',
			MESSAGE = 'standard must not be null',
			HINT = 'Give a standard such as ''90% within 30 business days''.';
	END IF;
	IF at_risk IS NULL OR at_risk = 'NaN' OR at_risk <= 0 OR at_risk > 1 THEN
		RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
			MESSAGE = format('at_risk must be greater than 0 and at most 1, not %s', coalesce(at_risk::text, 'null')),
			DETAIL = 'It is the fraction of the allowance after which an open row is at risk.',
			HINT = 'Use for example 0.8; 1 means no at-risk stage.';
	END IF;
	IF calendar IS NULL THEN
		RAISE EXCEPTION USING ERRCODE = 'null_value_not_allowed',
			MESSAGE = 'calendar must not be null',
			HINT = 'Use for example ''us_federal''.';
	END IF;
	-- an unknown calendar fails here, before anything is changed
	PERFORM cx.due_at(now(), standard, calendar);

	PERFORM cx._track_column(tbl, started, 'started', ARRAY['timestamptz']::regtype[]);
	PERFORM cx._track_column(tbl, finished, 'finished', ARRAY['timestamptz']::regtype[]);
	st := cx._track_column(tbl, status, 'status', NULL);
	IF st NOT IN ('text'::regtype, 'varchar'::regtype) THEN
		IF NOT EXISTS (SELECT 1 FROM pg_type WHERE oid = st AND typtype = 'e') THEN
			RAISE EXCEPTION USING ERRCODE = 'datatype_mismatch',
				MESSAGE = format('status column "%s" has type %s', status, st),
				DETAIL = 'The status column must have type text, varchar, or an enum with the labels on_track, at_risk, breached, met, missed.',
				HINT = format('Change it, for example with ALTER TABLE %s ALTER COLUMN %I TYPE text.', tbl, status);
		END IF;
		SELECT array_agg(l) INTO missing
		FROM unnest(ARRAY['on_track', 'at_risk', 'breached', 'met', 'missed']) l
		WHERE NOT EXISTS (SELECT 1 FROM pg_enum e WHERE e.enumtypid = st AND e.enumlabel = l);
		IF missing IS NOT NULL THEN
			RAISE EXCEPTION USING ERRCODE = 'datatype_mismatch',
				MESSAGE = format('enum %s lacks the labels %s', st, array_to_string(missing, ', ')),
				DETAIL = 'The status enum must have the labels on_track, at_risk, breached, met, missed.',
				HINT = format('Add them with ALTER TYPE %s ADD VALUE.', st);
		END IF;
	END IF;
	IF st = 'varchar'::regtype AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = tbl AND a.attname = status
											 AND a.atttypmod >= 0 AND a.atttypmod - 4 < 8) THEN
		RAISE EXCEPTION USING ERRCODE = 'datatype_mismatch',
			MESSAGE = format('status column "%s" is too short', status),
			DETAIL = 'Statuses are up to 8 characters long (on_track, breached).',
			HINT = format('Widen it, for example with ALTER TABLE %s ALTER COLUMN %I TYPE varchar(16).', tbl, status);
	END IF;
	k := cx._track_key(tbl, key);
	IF due IS NULL THEN
		RAISE EXCEPTION USING ERRCODE = 'null_value_not_allowed',
			MESSAGE = 'due column must not be null',
			HINT = 'Leave it out to use a new column cx_due.';
	END IF;
	IF cardinality(ARRAY(SELECT DISTINCT x FROM unnest(ARRAY[started, finished, status, due]) x)) <> 4 THEN
		RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
			MESSAGE = 'started, finished, status and due must be four different columns',
			HINT = 'Name a separate column for each.';
	END IF;
	IF EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = tbl AND a.attname = due AND NOT a.attisdropped) THEN
		PERFORM cx._track_column(tbl, due, 'due', ARRAY['timestamptz']::regtype[]);
	ELSE
		EXECUTE format('ALTER TABLE %s ADD COLUMN %I timestamptz', tbl, due);
		added := true;
	END IF;

	idx := cx._track_index_name(tbl, due);
	PERFORM cx._registry_add(ROW(tbl, standard, started, finished, status, due, k, calendar, at_risk, added, idx,
								 cx._track_set_default(tbl, status, 'on_track'), cx._track_set_default(tbl, due, 'infinity'),
								 now(), NULL)::cx.tracked);

	EXECUTE format('CREATE TRIGGER cx_track BEFORE INSERT OR UPDATE ON %s FOR EACH ROW EXECUTE FUNCTION cx.track_trigger()', tbl);
	PERFORM cx._track_add_flush(tbl);
	EXECUTE format('CREATE INDEX %I ON %s %s', idx, tbl, cx._track_sweep_index(started, due, at_risk));
	IF backfill THEN
		PERFORM cx._track_backfill(tbl);
	END IF;
END
$$;


CREATE OR REPLACE FUNCTION cx.track(tbl regclass, standard cx.standard,
						 started name, finished name, status name,
						 calendar text DEFAULT 'us_federal',
						 at_risk float8 DEFAULT 0.8,
						 key name DEFAULT NULL,
						 due name DEFAULT 'cx_due',
						 backfill boolean DEFAULT true)
	RETURNS void
	LANGUAGE sql
	SET search_path = pg_catalog, pg_temp
	AS $$
	SELECT cx._track($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
$$;

DROP FUNCTION cx._track(regclass, cx.standard, name, name, name, text, float8, name, name, boolean, text);

CREATE OR REPLACE FUNCTION cx.untrack(tbl regclass)
	RETURNS void
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $$
#variable_conflict use_variable
DECLARE
	t record;
	nsp name;
BEGIN
	PERFORM cx._track_table(tbl);
	SELECT r.status, r.due, r.due_added, r.sweep_index, r.status_default, r.due_default INTO t
	FROM cx.tracked r WHERE r.tbl = untrack.tbl;
	IF NOT FOUND THEN
		RAISE EXCEPTION USING ERRCODE = 'undefined_object',
			MESSAGE = format('table %s is not tracked', tbl),
			HINT = 'See the tracked tables with SELECT * FROM cx.tracked.';
	END IF;
	EXECUTE format('DROP TRIGGER IF EXISTS cx_track ON %s', tbl);
	-- the sweep index, if it is still an index of this table
	SELECT n.nspname INTO nsp FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = tbl;
	IF EXISTS (SELECT 1 FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
			   WHERE i.indrelid = tbl AND c.relname = t.sweep_index) THEN
		EXECUTE format('DROP INDEX %I.%I', nsp, t.sweep_index);
	END IF;
	IF t.due_added THEN
		EXECUTE format('ALTER TABLE %s DROP COLUMN IF EXISTS %I', tbl, t.due);
	ELSE
		PERFORM cx._track_drop_default(tbl, t.due, t.due_default);
	END IF;
	PERFORM cx._track_drop_default(tbl, t.status, t.status_default);
	PERFORM cx._registry_remove(tbl, false);
	PERFORM cx._track_drop_flush(tbl);
END
$$;


CREATE OR REPLACE FUNCTION cx.track_scores(tbl regclass, answer name,
								threshold float8 DEFAULT 6,
								scale_min float8 DEFAULT 0,
								scale_max float8 DEFAULT 10,
								key name DEFAULT NULL,
								at name DEFAULT NULL)
	RETURNS void
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $$
#variable_conflict use_variable
DECLARE
	k name;
BEGIN
	PERFORM cx._track_table(tbl);
	IF EXISTS (SELECT 1 FROM cx.tracked_scores s WHERE s.tbl = track_scores.tbl) THEN
		RAISE EXCEPTION USING ERRCODE = 'duplicate_object',
			MESSAGE = format('scores of table %s are already tracked', tbl),
			HINT = 'Run cx.untrack_scores on it first.';
	END IF;
	PERFORM cx._track_column(tbl, answer, 'answer',
							 ARRAY['smallint', 'integer', 'bigint', 'real', 'double precision', 'numeric']::regtype[]);
	IF threshold IS NULL OR scale_min IS NULL OR scale_max IS NULL
	   OR 'NaN' IN (threshold, scale_min, scale_max)
	   OR NOT (scale_min < scale_max AND threshold >= scale_min AND threshold <= scale_max)
	   OR 'Infinity' IN (abs(threshold), abs(scale_min), abs(scale_max)) THEN
		RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
			MESSAGE = format('threshold %s is not within the scale %s to %s',
							 coalesce(threshold::text, 'null'), coalesce(scale_min::text, 'null'),
							 coalesce(scale_max::text, 'null')),
			DETAIL = 'The scale is the range of valid answers, finite with scale_min < scale_max, and the threshold lies within it.',
			HINT = 'For NPS detractors use threshold => 6, scale_min => 0, scale_max => 10.';
	END IF;
	k := cx._track_key(tbl, key);
	IF at IS NOT NULL THEN
		PERFORM cx._track_column(tbl, at, 'at', ARRAY['timestamptz']::regtype[]);
	END IF;
	PERFORM cx._registry_add_scores(ROW(tbl, answer, threshold, scale_min, scale_max, k, at, now())::cx.tracked_scores);
	EXECUTE format('CREATE TRIGGER cx_track_scores BEFORE INSERT OR UPDATE OF %I ON %s FOR EACH ROW EXECUTE FUNCTION cx.track_scores_trigger()', answer, tbl);
	PERFORM cx._track_add_flush(tbl);
END
$$;


CREATE OR REPLACE FUNCTION cx.untrack_scores(tbl regclass)
	RETURNS void
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $$
#variable_conflict use_variable
BEGIN
	PERFORM cx._track_table(tbl);
	IF NOT EXISTS (SELECT 1 FROM cx.tracked_scores s WHERE s.tbl = untrack_scores.tbl) THEN
		RAISE EXCEPTION USING ERRCODE = 'undefined_object',
			MESSAGE = format('scores of table %s are not tracked', tbl),
			HINT = 'See them with SELECT * FROM cx.tracked_scores.';
	END IF;
	EXECUTE format('DROP TRIGGER IF EXISTS cx_track_scores ON %s', tbl);
	PERFORM cx._registry_remove(tbl, true);
	PERFORM cx._track_drop_flush(tbl);
END
$$;


DROP FUNCTION cx._sweep(regclass, timestamptz, text);
DROP FUNCTION cx._sweep_horizon();
CREATE OR REPLACE FUNCTION cx.sweep(tbl regclass DEFAULT NULL, since timestamptz DEFAULT NULL)
	RETURNS TABLE (tracked regclass, flipped bigint)
	LANGUAGE C VOLATILE
	AS 'MODULE_PATHNAME', 'cx_track_sweep';


CREATE FUNCTION cx._track_backfill(tbl regclass)
	RETURNS bigint
	LANGUAGE C VOLATILE STRICT
	AS 'MODULE_PATHNAME', 'cx_track_backfill';


-- Registry writes, done as the registry's owner once the calling role is
-- found to own the table (or, to remove a row, the table no longer exists).
CREATE FUNCTION cx._registry_add(r cx.tracked)
	RETURNS void
	LANGUAGE C VOLATILE STRICT
	AS 'MODULE_PATHNAME', 'cx_registry_add';
CREATE FUNCTION cx._registry_add_scores(r cx.tracked_scores)
	RETURNS void
	LANGUAGE C VOLATILE STRICT
	AS 'MODULE_PATHNAME', 'cx_registry_add_scores';
CREATE FUNCTION cx._registry_remove(tbl regclass, scores boolean)
	RETURNS boolean
	LANGUAGE C VOLATILE STRICT
	AS 'MODULE_PATHNAME', 'cx_registry_remove';

-- tables dropped with their type (typed tables) or their extension leave
-- the registries too, and their log rows lose the table's oid
CREATE OR REPLACE FUNCTION cx._track_dropped()
	RETURNS event_trigger
	LANGUAGE plpgsql SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	AS $$
BEGIN
	DELETE FROM cx.tracked t
	WHERE t.tbl::oid IN (SELECT objid FROM pg_event_trigger_dropped_objects() WHERE classid = 'pg_class'::regclass AND objsubid = 0);
	DELETE FROM cx.tracked_scores t
	WHERE t.tbl::oid IN (SELECT objid FROM pg_event_trigger_dropped_objects() WHERE classid = 'pg_class'::regclass AND objsubid = 0);
	-- the log rows of a dropped table (tracked now or before) name it by text
	-- only: no later table that reuses its oid reads them
	UPDATE cx.breach_log SET relid = NULL
	WHERE relid::oid IN (SELECT objid FROM pg_event_trigger_dropped_objects() WHERE classid = 'pg_class'::regclass AND objsubid = 0);
END
$$;
DROP EVENT TRIGGER cx_track_dropped;
-- every command that drops objects (a table goes with its schema, its type,
-- its owner, its extension, a foreign table it inherits from, a server ...)
CREATE EVENT TRIGGER cx_track_dropped ON sql_drop
	EXECUTE FUNCTION cx._track_dropped();

-- Cohort verdicts: the weekly review of "P% within N" as a promise about the
-- rows received in a week, month, quarter or year.
CREATE FUNCTION cx._status_at(started timestamptz, due timestamptz, finished timestamptz, as_of timestamptz)
	RETURNS "char"
	LANGUAGE C IMMUTABLE PARALLEL SAFE
	AS 'MODULE_PATHNAME', 'cx_track_status_at';
CREATE FUNCTION cx._cohort_verdict(rows bigint, met bigint, open bigint, open_breached bigint, standard cx.standard)
	RETURNS text
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
	AS 'MODULE_PATHNAME', 'cx_track_cohort_verdict';
CREATE FUNCTION cx.cohorts(tbl regclass, period text DEFAULT 'month', by name DEFAULT NULL,
						   as_of timestamptz DEFAULT pg_catalog.now())
	RETURNS TABLE (cohort date, grp text, rows bigint, met bigint, missed bigint, open bigint,
				   open_breached bigint, attainment double precision, best double precision,
				   worst double precision, target double precision, verdict text)
	LANGUAGE plpgsql STABLE PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	std cx.standard;
	c_started name;
	c_finished name;
	c_due name;
	tz text;
BEGIN
	IF period IS NULL OR period NOT IN ('week', 'month', 'quarter', 'year') THEN
		RAISE EXCEPTION 'invalid cohort period "%"', period
			USING ERRCODE = 'invalid_parameter_value', HINT = 'Use week, month, quarter or year.';
	END IF;
	IF as_of IS NULL OR NOT pg_catalog.isfinite(as_of) THEN
		RAISE EXCEPTION 'as_of must be a finite instant' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	SELECT t.standard, t.started, t.finished, t.due, c.time_zone
	INTO std, c_started, c_finished, c_due, tz
	FROM cx.tracked t LEFT JOIN cx.calendars c ON c.name = t.calendar
	WHERE t.tbl = cohorts.tbl;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'table "%" is not tracked', tbl
			USING ERRCODE = 'object_not_in_prerequisite_state', HINT = 'Run cx.track on the table first.';
	END IF;
	IF by IS NOT NULL AND NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = tbl AND a.attname = by
										AND a.attnum > 0 AND NOT a.attisdropped) THEN
		RAISE EXCEPTION 'column "%" of table % does not exist', by, tbl
			USING ERRCODE = 'undefined_column', HINT = 'Name a column of the tracked table to group by.';
	END IF;
	RETURN QUERY EXECUTE format(
		'SELECT q.cohort, q.grp, q.n, q.met, q.missed, q.open, q.open_breached,'
		' CASE WHEN q.met + q.missed > 0 THEN q.met::float8 / (q.met + q.missed) END,'
		' (q.met + q.open)::float8 / q.n, q.met::float8 / q.n, cx.target($1),'
		' cx._cohort_verdict(q.n, q.met, q.open, q.open_breached, $1)'
		' FROM (SELECT s.cohort, s.grp, count(*) AS n,'
		'  count(*) FILTER (WHERE s.st = ''m'') AS met, count(*) FILTER (WHERE s.st = ''x'') AS missed,'
		'  count(*) FILTER (WHERE s.st IN (''o'', ''b'')) AS open, count(*) FILTER (WHERE s.st = ''b'') AS open_breached'
		'  FROM (SELECT date_trunc(%L, timezone($3, r.%I))::date AS cohort, %s AS grp,'
		'        cx._status_at(r.%I, r.%I, r.%I, $2) AS st'
		'        FROM %s r WHERE r.%I <= $2) s'
		'  WHERE s.st IS NOT NULL GROUP BY 1, 2) q ORDER BY 1, 2',
		period, c_started, CASE WHEN by IS NULL THEN 'NULL::text' ELSE format('r.%I::text', by) END,
		c_started, c_due, c_finished, tbl, c_started)
	USING std, as_of, COALESCE(tz, 'UTC');
END
$$;
COMMENT ON FUNCTION cx.cohorts(regclass, text, name, timestamptz) IS
	'per cohort of received rows (and group): counts, attainment, best and worst still possible, verdict against the standard';
