-- cx_metrics 0.1.0 -> 0.2.0: ALTER EXTENSION cx_metrics UPDATE TO '0.2.0'
\echo Use "ALTER EXTENSION cx_metrics UPDATE TO '0.2.0'" to load this file. \quit

-- Each section holds the changes of one part of src/ (src/<part>.sql), in
-- the order of the install script.  After this script the objects of the
-- extension equal those of a fresh 0.2.0 install (test/t/upgrade.sh).

-- ---- src/common.sql
-- The schema now belongs to the role that runs the script (the bootstrap
-- superuser for the trusted extension), so no other role can rename it or
-- put objects into it.  Objects in it that are not the extension's are
-- reported: review them, since the extension's names could find them.
ALTER SCHEMA cx OWNER TO CURRENT_USER;
REVOKE ALL ON SCHEMA cx FROM PUBLIC;
GRANT USAGE ON SCHEMA cx TO PUBLIC;
DO $$
DECLARE
	found text;
BEGIN
	SELECT string_agg(pg_catalog.pg_describe_object(o.classid, o.objid, 0), ', ') INTO found
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
		RAISE WARNING USING ERRCODE = 'object_not_in_prerequisite_state',
			MESSAGE = 'schema cx holds objects that are not part of cx_metrics',
			DETAIL = format('It holds %s.', found),
			HINT = 'Move them to another schema, or drop them if nobody created them on purpose.';
	END IF;
END
$$;

-- ---- src/percentile.sql

-- ---- src/sketch.sql

-- ---- src/ratings.sql

-- ---- src/standard.sql

-- ---- src/calendar.sql

-- ---- src/track.sql
-- The breach log records the table's oid, which decides who may read a row.
ALTER TABLE cx.breach_log ADD COLUMN relid oid;
UPDATE cx.breach_log SET relid = pg_catalog.to_regclass(tbl)::pg_catalog.oid;

-- Registry: rows only for tables the current role owns (the sweep runs as
-- each table's owner); rows of tables that no longer exist removable by all.
DROP POLICY tracked_sweep ON cx.tracked;
ALTER POLICY tracked_owner ON cx.tracked
	USING (pg_catalog.pg_has_role((SELECT c.relowner FROM pg_catalog.pg_class c WHERE c.oid OPERATOR(pg_catalog.=) tbl), 'USAGE'))
	WITH CHECK (pg_catalog.pg_has_role((SELECT c.relowner FROM pg_catalog.pg_class c WHERE c.oid OPERATOR(pg_catalog.=) tbl), 'USAGE'));
ALTER POLICY tracked_owner ON cx.tracked_scores
	USING (pg_catalog.pg_has_role((SELECT c.relowner FROM pg_catalog.pg_class c WHERE c.oid OPERATOR(pg_catalog.=) tbl), 'USAGE'))
	WITH CHECK (pg_catalog.pg_has_role((SELECT c.relowner FROM pg_catalog.pg_class c WHERE c.oid OPERATOR(pg_catalog.=) tbl), 'USAGE'));
CREATE POLICY tracked_gone ON cx.tracked FOR DELETE
	USING (NOT EXISTS (SELECT 1 FROM pg_catalog.pg_class c WHERE c.oid OPERATOR(pg_catalog.=) tbl));
CREATE POLICY tracked_gone ON cx.tracked_scores FOR DELETE
	USING (NOT EXISTS (SELECT 1 FROM pg_catalog.pg_class c WHERE c.oid OPERATOR(pg_catalog.=) tbl));

-- The log: every role reads the rows of tables it may read; the installing
-- role may also remove them, and grant both.
ALTER TABLE cx.breach_log ENABLE ROW LEVEL SECURITY;
GRANT SELECT ON cx.breach_log TO PUBLIC;
GRANT SELECT, DELETE ON cx.breach_log TO @extowner@ WITH GRANT OPTION;
-- (pg_dump by the installer reads the sequence's position)
GRANT SELECT ON SEQUENCE cx.breach_log_id_seq TO @extowner@;
CREATE POLICY breach_log_read ON cx.breach_log FOR SELECT
	USING (COALESCE(pg_catalog.has_table_privilege(relid, 'SELECT'),
				   pg_catalog.has_table_privilege('cx.breach_log'::pg_catalog.regclass, 'DELETE')));
CREATE POLICY breach_log_purge ON cx.breach_log FOR DELETE
	USING (pg_catalog.has_table_privilege(relid, 'SELECT') IS NOT FALSE);

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
	INSERT INTO cx.tracked (tbl, standard, started, finished, status, due, key, calendar, at_risk, due_added, sweep_index,
							status_default, due_default)
	VALUES (tbl, standard, started, finished, status, due, k, calendar, at_risk, added, idx,
			cx._track_set_default(tbl, status, 'on_track'), cx._track_set_default(tbl, due, 'infinity'));

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

DROP FUNCTION cx._sweep(regclass, timestamptz, text);
DROP FUNCTION cx._sweep_horizon();
CREATE FUNCTION cx._sweep_table(tbl regclass, since timestamptz, horizon timestamptz)
	RETURNS bigint
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $$
#variable_conflict use_variable
DECLARE
	t cx.tracked;
	n bigint := 0;
	lo timestamptz;
	now_at timestamptz := statement_timestamp();
	first_at timestamptz;
	cands tid[];
	win text;
	saved text[];
BEGIN
	IF current_user::regrole::oid IS DISTINCT FROM (SELECT c.relowner FROM pg_class c WHERE c.oid = tbl) THEN
		RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
			MESSAGE = format('must be the owner of table %s to sweep it directly', tbl),
			HINT = 'Use cx.sweep, which sweeps each table as its owner.';
	END IF;
	-- one sweep of a table at a time: another one waits here, then starts
	-- from the mark this one leaves
	SELECT * INTO t FROM cx.tracked r WHERE r.tbl = _sweep_table.tbl FOR UPDATE;
	IF NOT FOUND THEN
		RETURN NULL;
	END IF;
	lo := coalesce(since, t.swept_to, '-infinity');
	win := cx._track_sweep_window(t.started, t.finished, t.status, t.due, t.at_risk);
	-- the rows of the window, and the earliest instant among them, through
	-- the sweep index in one process, even before the table is analyzed
	-- (the window is small; the planner's guess may not be)
	saved := ARRAY[current_setting('enable_seqscan'), current_setting('max_parallel_workers_per_gather'),
				   current_setting('jit')];
	PERFORM set_config('enable_seqscan', 'off', true), set_config('max_parallel_workers_per_gather', '0', true),
			set_config('jit', 'off', true);
	EXECUTE format('SELECT array_agg(ctid), min(%s) FROM %s WHERE %s',
				   cx._track_sweep_instant(t.started, t.status, t.due, t.at_risk), t.tbl, win)
		USING lo, now_at INTO cands, first_at;
	PERFORM set_config('enable_seqscan', saved[1], true), set_config('max_parallel_workers_per_gather', saved[2], true),
			set_config('jit', saved[3], true);
	IF cands IS NOT NULL THEN
		-- flip those no other transaction holds (rechecked under the lock)
		EXECUTE format('UPDATE %1$s SET %2$I = %2$I WHERE ctid = ANY (ARRAY('
					   'SELECT ctid FROM %1$s WHERE ctid = ANY ($3) AND %3$s FOR UPDATE SKIP LOCKED))',
					   t.tbl, t.status, win)
			USING lo, now_at, cands;
		GET DIAGNOSTICS n = ROW_COUNT;
	END IF;
	-- a window that started at the mark (or covered everything) moves it;
	-- when a row of the window was skipped, no further than the earliest
	-- instant of the window
	IF horizon IS NOT NULL AND (lo <= t.swept_to OR lo = '-infinity') THEN
		UPDATE cx.tracked r
		SET swept_to = least(now_at, horizon, CASE WHEN n < cardinality(cands) THEN first_at END)
		WHERE r.tbl = t.tbl;
	END IF;
	RETURN n;
END
$$;

REVOKE ALL ON FUNCTION cx._sweep_table(regclass, timestamptz, timestamptz) FROM PUBLIC;

CREATE OR REPLACE FUNCTION cx.sweep(tbl regclass DEFAULT NULL, since timestamptz DEFAULT NULL)
	RETURNS TABLE (tracked regclass, flipped bigint)
	LANGUAGE C VOLATILE
	AS 'MODULE_PATHNAME', 'cx_track_sweep';


CREATE FUNCTION cx._track_backfill(tbl regclass)
	RETURNS bigint
	LANGUAGE C VOLATILE STRICT
	AS 'MODULE_PATHNAME', 'cx_track_backfill';


CREATE FUNCTION cx._track_backfill_rows(tbl regclass)
	RETURNS bigint
	LANGUAGE plpgsql STRICT
	SET search_path = pg_catalog, pg_temp
	AS $$
#variable_conflict use_variable
DECLARE
	st name;
	n bigint;
BEGIN
	IF current_user::regrole::oid IS DISTINCT FROM (SELECT c.relowner FROM pg_class c WHERE c.oid = tbl) THEN
		RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
			MESSAGE = format('must be the owner of table %s to recompute its rows directly', tbl),
			HINT = 'Use cx.track, which recomputes them as the table''s owner.';
	END IF;
	SELECT t.status INTO st FROM cx.tracked t WHERE t.tbl = _track_backfill_rows.tbl;
	IF NOT FOUND THEN
		RETURN NULL;
	END IF;
	EXECUTE format('UPDATE %s SET %I = %I', tbl, st, st);
	GET DIAGNOSTICS n = ROW_COUNT;
	RETURN n;
END
$$;

REVOKE ALL ON FUNCTION cx._track_backfill_rows(regclass) FROM PUBLIC;

