-- Tracking tables against a service standard: registry, breach log, row
-- triggers (C), cx.track / cx.untrack, cx.sweep, low-score follow-up.

-- Registry of tables tracked against a standard: one row per clock of a
-- table (most tables have one, named default).
CREATE TABLE cx.tracked (
	tbl pg_catalog.regclass NOT NULL,
	-- the clock's standard; with standard_column, the default for rows
	-- that have none (NULL: such rows get no status)
	standard cx.standard,
	started name NOT NULL,
	finished name NOT NULL,
	status name NOT NULL,
	due name NOT NULL,
	key name NOT NULL,
	calendar text NOT NULL,
	at_risk float8 NOT NULL CHECK (at_risk > 0 AND at_risk <= 1),
	due_added boolean NOT NULL DEFAULT false,
	sweep_index name NOT NULL,
	-- the defaults cx.track gave the status and due columns (NULL: the
	-- column had its own), removed by cx.untrack while unchanged
	status_default text,
	due_default text,
	tracked_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
	-- cx.sweep's mark: every flip instant before it has been swept (NULL:
	-- none yet, so the next sweep looks at every open row)
	swept_to timestamptz,
	clock name NOT NULL DEFAULT 'default',
	-- the row's own standard (a cx.standard column), chosen from the lookup
	-- table by the value of column "by" when there is one
	standard_column name,
	standard_added boolean NOT NULL DEFAULT false,
	lookup pg_catalog.regclass,
	by name,
	-- the clock stops while column "paused" (paused since) is set; the
	-- time it was stopped accumulates in column paused_for
	paused name,
	paused_for name,
	paused_added boolean NOT NULL DEFAULT false,
	CONSTRAINT tracked_pkey PRIMARY KEY (tbl, clock),
	CONSTRAINT tracked_standard_given CHECK (standard IS NOT NULL OR standard_column IS NOT NULL),
	CONSTRAINT tracked_lookup_by CHECK ((lookup IS NULL) = (by IS NULL) AND (lookup IS NULL OR standard_column IS NOT NULL)),
	CONSTRAINT tracked_paused_for CHECK ((paused IS NULL) = (paused_for IS NULL))
);
COMMENT ON TABLE cx.tracked IS 'Clocks of tables tracked against a service standard (maintained by cx.track / cx.untrack)';

-- Registry of rating columns whose low answers are logged for follow-up.
CREATE TABLE cx.tracked_scores (
	tbl pg_catalog.regclass PRIMARY KEY,
	answer name NOT NULL,
	threshold float8 NOT NULL,
	scale_min float8 NOT NULL,
	scale_max float8 NOT NULL,
	key name NOT NULL,
	at name,
	tracked_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
	CHECK (scale_min < scale_max AND threshold >= scale_min AND threshold <= scale_max)
);
COMMENT ON TABLE cx.tracked_scores IS 'Rating columns whose low answers are logged (maintained by cx.track_scores / cx.untrack_scores)';

-- Every event someone must act on: transitions into at_risk, breached,
-- missed, and low scores.
CREATE TABLE cx.breach_log (
	id bigserial PRIMARY KEY,
	tbl text NOT NULL,
	key text,
	standard cx.standard,
	started timestamptz,
	due timestamptz,
	finished timestamptz,
	old_status text,
	new_status text NOT NULL,
	score float8,
	logged_at timestamptz NOT NULL,
	-- the table: who may read a row (see the policies below); a regclass,
	-- so that a dump and restore points it at the restored table, and NULL
	-- once the table is dropped
	relid regclass,
	-- the clock of the event (NULL for a low score)
	clock name
);
-- the drop of a table clears its rows' relid (see cx._track_dropped)
CREATE INDEX breach_log_relid ON cx.breach_log (relid);
-- ids are handed out 100 at a time per session: ordered within a session,
-- not across sessions (use logged_at for time)
ALTER SEQUENCE cx.breach_log_id_seq CACHE 100;
COMMENT ON TABLE cx.breach_log IS 'Transitions into at_risk, breached, missed, paused and out of paused, and low scores of tracked tables';

SELECT pg_catalog.pg_extension_config_dump('cx.tracked', '');
SELECT pg_catalog.pg_extension_config_dump('cx.tracked_scores', '');
SELECT pg_catalog.pg_extension_config_dump('cx.breach_log', '');
SELECT pg_catalog.pg_extension_config_dump('cx.breach_log_id_seq', '');

-- The registry is readable by all (the triggers of every writer need it),
-- but for the sweep mark, which follows other sessions' transactions.  It
-- is written only by the extension, as the registry's owner, after
-- checking that the calling role owns the table (cx._track_registry_add,
-- cx._track_registry_remove, cx.sweep); the installer may insert rows (for its
-- own tables: cx._tracked_guard) so that it can restore a dump.
GRANT SELECT (tbl, standard, started, finished, status, due, key, calendar, at_risk, due_added,
			  sweep_index, status_default, due_default, tracked_at, clock, standard_column,
			  standard_added, lookup, by, paused, paused_for, paused_added) ON cx.tracked TO PUBLIC;
GRANT SELECT ON cx.tracked_scores TO PUBLIC;
GRANT SELECT, INSERT ON cx.tracked, cx.tracked_scores TO @extowner@;

-- The log is written only by the extension (as the log's owner).  Every
-- role reads the rows of the tables whose every row it may read; the
-- installing role may also remove those rows and rows of tables that no
-- longer exist, and grant both to others.
ALTER TABLE cx.breach_log ENABLE ROW LEVEL SECURITY;
GRANT SELECT ON cx.breach_log TO PUBLIC;
GRANT SELECT, DELETE ON cx.breach_log TO @extowner@ WITH GRANT OPTION;
-- (pg_dump by the installer reads the sequence's position)
GRANT SELECT ON SEQUENCE cx.breach_log_id_seq TO @extowner@;
-- Whether the current role may read the log rows of a table: it may SELECT
-- the table and sees all of its rows (the table has no row-level security,
-- or the role bypasses it); NULL when the table no longer exists.
CREATE FUNCTION cx._track_log_readable(relid oid) RETURNS boolean
	LANGUAGE sql STABLE PARALLEL SAFE
	RETURN (SELECT pg_catalog.has_table_privilege(c.oid, 'SELECT')
				   AND (NOT c.relrowsecurity
						OR (pg_catalog.pg_has_role(c.relowner, 'USAGE') AND NOT c.relforcerowsecurity)
						OR (SELECT r.rolbypassrls FROM pg_catalog.pg_roles r WHERE r.rolname OPERATOR(pg_catalog.=) CURRENT_USER))
			FROM pg_catalog.pg_class c WHERE c.oid OPERATOR(pg_catalog.=) relid);
CREATE POLICY breach_log_read ON cx.breach_log FOR SELECT
	USING (COALESCE(cx._track_log_readable(relid), pg_catalog.has_table_privilege('cx.breach_log'::pg_catalog.regclass, 'DELETE')));
CREATE POLICY breach_log_purge ON cx.breach_log FOR DELETE
	USING (cx._track_log_readable(relid) IS NOT FALSE);

CREATE FUNCTION cx.track_trigger() RETURNS trigger
	LANGUAGE C AS 'MODULE_PATHNAME', 'cx_track_trigger';
CREATE FUNCTION cx.track_scores_trigger() RETURNS trigger
	LANGUAGE C AS 'MODULE_PATHNAME', 'cx_track_scores_trigger';
CREATE FUNCTION cx.track_flush() RETURNS trigger
	LANGUAGE C AS 'MODULE_PATHNAME', 'cx_track_flush';
-- The WHEN condition of the row trigger cx_track_inserted: a row was
-- inserted, so the events buffered for it count (false: the trigger never fires).
CREATE FUNCTION cx._track_inserted(tbl regclass) RETURNS boolean
	LANGUAGE C STRICT AS 'MODULE_PATHNAME', 'cx_track_inserted';
CREATE FUNCTION cx.track_config_changed() RETURNS trigger
	LANGUAGE C AS 'MODULE_PATHNAME', 'cx_track_config_changed';

-- The at-risk instant of a row: that fraction of the way from started to due.
CREATE FUNCTION cx.at_risk_time(started timestamptz, due timestamptz, fraction float8)
	RETURNS timestamptz
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
	AS 'MODULE_PATHNAME', 'cx_track_at_risk_time';

-- Every backend reloads its cached configuration when the registry changes
-- (not when a sweep moves its mark), or a lookup table (cx_track_lookup).
CREATE TRIGGER tracked_changed
	AFTER INSERT OR UPDATE OF tbl, standard, started, finished, status, due, key, calendar, at_risk,
		due_added, sweep_index, tracked_at, clock, standard_column, lookup, by, paused, paused_for
		OR DELETE OR TRUNCATE ON cx.tracked
	FOR EACH STATEMENT EXECUTE FUNCTION cx.track_config_changed();
CREATE TRIGGER tracked_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON cx.tracked_scores
	FOR EACH STATEMENT EXECUTE FUNCTION cx.track_config_changed();

-- A registry row names, when inserted, an ordinary, permanent table that
-- the current role owns, and keeps naming it; the sweep mark is never in
-- the future.
CREATE FUNCTION cx._tracked_guard() RETURNS trigger
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $$
BEGIN
	IF TG_OP = 'UPDATE' AND NEW.tbl IS DISTINCT FROM OLD.tbl THEN
		RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
			MESSAGE = format('cannot change the table of a registry row of %s', OLD.tbl),
			HINT = 'Run cx.untrack on the table, then cx.track on the other one.';
	END IF;
	-- (updates come from the extension: the sweep mark, a dropped lookup)
	IF TG_OP = 'INSERT' THEN
		PERFORM cx._track_table(NEW.tbl);
	END IF;
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
CREATE TRIGGER tracked_guard BEFORE INSERT OR UPDATE ON cx.tracked
	FOR EACH ROW EXECUTE FUNCTION cx._tracked_guard();
CREATE TRIGGER tracked_guard BEFORE INSERT OR UPDATE ON cx.tracked_scores
	FOR EACH ROW EXECUTE FUNCTION cx._tracked_guard();

-- The sweep index of a tracked table: a BRIN index (cheap to keep up on
-- insert, and not on the status column, so the sweep's flips are HOT) over
-- the due time and the at-risk instant, the two instants at which an open
-- row's status changes with time alone.
CREATE FUNCTION cx._track_sweep_index(started name, due name, at_risk float8)
	RETURNS text
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp
	AS $$
	SELECT format('USING brin (%1$I timestamptz_minmax_multi_ops, cx.at_risk_time(%2$I, %1$I, %3$s::float8) timestamptz_minmax_multi_ops)'
				  ' WITH (pages_per_range = 32, autosummarize = on)', due, started, at_risk::text)
$$;

-- The sweep window of a tracked table: open rows, not yet breached, whose
-- status changes with time at an instant in [$1, $2) (the due time, or the
-- at-risk instant of a row still on track).
CREATE FUNCTION cx._track_sweep_window(started name, finished name, status name, due name, at_risk float8)
	RETURNS text
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp
	AS $$
	SELECT format('(%4$I >= $1 AND %4$I < $2 OR cx.at_risk_time(%1$I, %4$I, %5$s::float8) >= $1'
				  ' AND cx.at_risk_time(%1$I, %4$I, %5$s::float8) < $2 AND %3$I = %6$L)'
				  ' AND %2$I IS NULL AND %3$I IN (%6$L, %7$L)',
				  started, finished, status, due, at_risk::text, 'on_track', 'at_risk')
$$;

-- The instant that puts a row into the sweep window (see above).
CREATE FUNCTION cx._track_sweep_instant(started name, status name, due name, at_risk float8)
	RETURNS text
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp
	AS $$
	SELECT format('CASE WHEN %2$I = %5$L AND cx.at_risk_time(%1$I, %3$I, %4$s::float8) >= $1'
				  ' THEN cx.at_risk_time(%1$I, %3$I, %4$s::float8) ELSE %3$I END',
				  started, status, due, at_risk::text, 'on_track')
$$;

-- The default expression of a column, NULL when it has none.
CREATE FUNCTION cx._track_default(tbl regclass, col name)
	RETURNS text
	LANGUAGE sql STABLE STRICT
	SET search_path = pg_catalog, pg_temp
	AS $$
	SELECT pg_get_expr(d.adbin, d.adrelid)
	FROM pg_attrdef d JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
	WHERE d.adrelid = tbl AND a.attname = col
$$;

-- Give a column a default unless it has one; returns the default set, or
-- NULL.  cx.track gives the status and due columns defaults so that a new
-- row arrives with room for both and the trigger writes them in place.
CREATE FUNCTION cx._track_set_default(tbl regclass, col name, val text)
	RETURNS text
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $$
BEGIN
	-- a generated column has a default expression too (identity columns are
	-- integers, never a status or due column)
	IF cx._track_default(tbl, col) IS NOT NULL THEN
		RETURN NULL;
	END IF;
	EXECUTE format('ALTER TABLE %s ALTER COLUMN %I SET DEFAULT %L', tbl, col, val);
	RETURN cx._track_default(tbl, col);
END
$$;

-- Drop a default that cx.track set, unless it was changed since.
CREATE FUNCTION cx._track_drop_default(tbl regclass, col name, expr text)
	RETURNS void
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $$
BEGIN
	IF expr IS NOT NULL AND cx._track_default(tbl, col) = expr THEN
		EXECUTE format('ALTER TABLE %s ALTER COLUMN %I DROP DEFAULT', tbl, col);
	END IF;
END
$$;

-- Attach the statement trigger that writes a table's buffered log entries
-- and the row trigger whose WHEN condition tells which rows to insert were
-- inserted (a later trigger or ON CONFLICT may discard one), shared by
-- cx.track and cx.track_scores, unless they are there already.
CREATE FUNCTION cx._track_add_flush(tbl regclass)
	RETURNS void
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = tbl AND tgname = 'cx_track_flush') THEN
		EXECUTE format('CREATE TRIGGER cx_track_flush AFTER INSERT OR UPDATE ON %s FOR EACH STATEMENT EXECUTE FUNCTION cx.track_flush()', tbl);
	END IF;
	IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = tbl AND tgname = 'cx_track_inserted') THEN
		EXECUTE format('CREATE TRIGGER cx_track_inserted AFTER INSERT ON %s FOR EACH ROW WHEN (cx._track_inserted(%L)) '
					   'EXECUTE FUNCTION cx.track_flush()', tbl, tbl);
	END IF;
END
$$;

-- Drop a table's statement trigger that writes the log, and its row trigger
-- cx_track_inserted, once neither cx.track nor cx.track_scores registers
-- the table any more.
CREATE FUNCTION cx._track_drop_flush(tbl regclass)
	RETURNS void
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM cx.tracked t WHERE t.tbl = _track_drop_flush.tbl)
	   AND NOT EXISTS (SELECT 1 FROM cx.tracked_scores s WHERE s.tbl = _track_drop_flush.tbl) THEN
		EXECUTE format('DROP TRIGGER IF EXISTS cx_track_flush ON %s', tbl);
		EXECUTE format('DROP TRIGGER IF EXISTS cx_track_inserted ON %s', tbl);
	END IF;
END
$$;

-- Check that a column exists and has one of the wanted types; return its type.
CREATE FUNCTION cx._track_column(tbl regclass, col name, what text, types regtype[])
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

-- The column a tracked table's rows are identified by: key, or the primary key.
CREATE FUNCTION cx._track_key(tbl regclass, key name)
	RETURNS name
	LANGUAGE plpgsql STABLE
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	cols name[];
BEGIN
	IF key IS NOT NULL THEN
		PERFORM cx._track_column(tbl, key, 'key', NULL);
		RETURN key;
	END IF;
	SELECT array_agg(a.attname ORDER BY a.attnum) INTO cols
	FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
	WHERE i.indrelid = tbl AND i.indisprimary;
	IF cols IS NULL OR cardinality(cols) <> 1 THEN
		RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
			MESSAGE = format('table %s has no single-column primary key', tbl),
			DETAIL = 'The breach log identifies each row by one key column.',
			HINT = 'Name a column that identifies rows with key => ''column''.';
	END IF;
	RETURN cols[1];
END
$$;

-- Check that a table can be tracked: an ordinary table the caller owns.
CREATE FUNCTION cx._track_table(tbl regclass)
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

-- A free name for the sweep index of a table: <table>_<due>_sweep when it
-- fits in a name and no relation of the table's schema has it, else the
-- longest prefix of the table's name that does, with a number.
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

-- Check the arguments of cx.track that are not columns.
CREATE FUNCTION cx._track_check_args(standard cx.standard, per_row boolean, calendar text, at_risk float8, clock name)
	RETURNS void
	LANGUAGE plpgsql STABLE
	SET search_path = pg_catalog, pg_temp
	AS $$
BEGIN
	IF standard IS NULL AND NOT per_row THEN
		RAISE EXCEPTION USING ERRCODE = 'null_value_not_allowed',
			MESSAGE = 'standard must not be null',
			HINT = 'Give a standard such as ''90% within 30 business days'', or a standard per row with standard_column or lookup.';
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
	IF clock IS NULL OR clock = '' THEN
		RAISE EXCEPTION USING ERRCODE = 'null_value_not_allowed',
			MESSAGE = 'clock must not be null or empty',
			HINT = 'Leave it out for the clock named default, or name the clock, for example ''acknowledge''.';
	END IF;
	-- an unknown calendar fails here, before anything is changed
	PERFORM cx.due_at(now(), COALESCE(standard, '100% within 1 business days'), calendar);
END
$$;

-- Check the status column of a clock: text, varchar of 8 or more, or an
-- enum with every status label (paused too, when the clock can pause).
CREATE FUNCTION cx._track_status_column(tbl regclass, status name, pausable boolean)
	RETURNS void
	LANGUAGE plpgsql STABLE
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	st regtype := cx._track_column(tbl, status, 'status', NULL);
	labels text[] := ARRAY['on_track', 'at_risk', 'breached', 'met', 'missed']
		|| CASE WHEN pausable THEN ARRAY['paused'] ELSE ARRAY[]::text[] END;
	missing text[];
BEGIN
	IF st NOT IN ('text'::regtype, 'varchar'::regtype) THEN
		IF NOT EXISTS (SELECT 1 FROM pg_type WHERE oid = st AND typtype = 'e') THEN
			RAISE EXCEPTION USING ERRCODE = 'datatype_mismatch',
				MESSAGE = format('status column "%s" has type %s', status, st),
				DETAIL = format('The status column must have type text, varchar, or an enum with the labels %s.', array_to_string(labels, ', ')),
				HINT = format('Change it, for example with ALTER TABLE %s ALTER COLUMN %I TYPE text.', tbl, status);
		END IF;
		SELECT array_agg(l) INTO missing
		FROM unnest(labels) l
		WHERE NOT EXISTS (SELECT 1 FROM pg_enum e WHERE e.enumtypid = st AND e.enumlabel = l);
		IF missing IS NOT NULL THEN
			RAISE EXCEPTION USING ERRCODE = 'datatype_mismatch',
				MESSAGE = format('enum %s lacks the labels %s', st, array_to_string(missing, ', ')),
				DETAIL = format('The status enum must have the labels %s.', array_to_string(labels, ', ')),
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
END
$$;

-- Check a lookup table: an ordinary table that the tracked table's owner
-- may read, with the column "by" (of the type of the tracked table's
-- column, under a unique index of its own) and a column standard of type
-- cx.standard (and optionally a text column calendar, naming calendars).
CREATE FUNCTION cx._track_lookup(tbl regclass, lookup regclass, by name)
	RETURNS void
	LANGUAGE plpgsql STABLE
	SET search_path = pg_catalog, pg_temp
	AS $$
#variable_conflict use_variable
DECLARE
	c pg_class;
	kt regtype := cx._track_column(tbl, by, 'by', NULL);
	cal text;
BEGIN
	SELECT * INTO c FROM pg_class WHERE oid = lookup;
	IF c.relkind NOT IN ('r', 'p') OR c.relpersistence = 't' THEN
		RAISE EXCEPTION USING ERRCODE = 'wrong_object_type',
			MESSAGE = format('lookup %s is not a permanent table', lookup),
			HINT = 'Keep the standards in a table with a column named like the tracked column, and a column standard.';
	END IF;
	-- nothing of another role (its policies, its types) runs as the owner
	IF NOT pg_has_role((SELECT relowner FROM pg_class WHERE oid = tbl), c.relowner, 'USAGE') THEN
		RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
			MESSAGE = format('the owner of table %s does not have the privileges of the owner of lookup table %s', tbl, lookup),
			DETAIL = 'The tracking trigger reads the lookup table as the tracked table''s owner.',
			HINT = 'Keep the lookup table in the tracked table''s owner''s hands.';
	END IF;
	IF NOT has_table_privilege((SELECT relowner FROM pg_class WHERE oid = tbl), lookup, 'SELECT') THEN
		RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
			MESSAGE = format('the owner of table %s may not read lookup table %s', tbl, lookup),
			DETAIL = 'The tracking trigger reads the lookup table as the tracked table''s owner.',
			HINT = format('GRANT SELECT ON %s to the owner.', lookup);
	END IF;
	IF NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = lookup AND a.attname = by AND a.atttypid = kt
				   AND a.attnum > 0 AND NOT a.attisdropped) THEN
		RAISE EXCEPTION USING ERRCODE = 'undefined_column',
			MESSAGE = format('lookup table %s has no column "%s" of type %s', lookup, by, kt),
			HINT = format('The lookup table keys its standards by a column named like the tracked table''s column "%s".', by);
	END IF;
	IF NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = lookup AND a.attname = 'standard'
				   AND a.atttypid = 'cx.standard'::regtype AND a.attnum > 0 AND NOT a.attisdropped) THEN
		RAISE EXCEPTION USING ERRCODE = 'undefined_column',
			MESSAGE = format('lookup table %s has no column "standard" of type cx.standard', lookup),
			HINT = format('Add it with ALTER TABLE %s ADD COLUMN standard cx.standard.', lookup);
	END IF;
	IF NOT EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = lookup AND i.indisunique AND i.indpred IS NULL
				   AND i.indexprs IS NULL AND i.indnkeyatts = 1
				   AND i.indkey[0] = (SELECT a.attnum FROM pg_attribute a WHERE a.attrelid = lookup AND a.attname = by)) THEN
		RAISE EXCEPTION USING ERRCODE = 'invalid_table_definition',
			MESSAGE = format('column "%s" of lookup table %s has no unique index', by, lookup),
			DETAIL = 'Each value chooses one standard.',
			HINT = format('Make it the primary key, or CREATE UNIQUE INDEX ON %s (%I).', lookup, by);
	END IF;
	-- every calendar an entry names exists
	IF EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = lookup AND a.attname = 'calendar'
			   AND a.attnum > 0 AND NOT a.attisdropped) THEN
		IF NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = lookup AND a.attname = 'calendar'
					   AND a.atttypid = 'text'::regtype) THEN
			RAISE EXCEPTION USING ERRCODE = 'datatype_mismatch',
				MESSAGE = format('column "calendar" of lookup table %s is not of type text', lookup),
				HINT = 'It names a calendar of cx.calendars for the entry''s rows.';
		END IF;
		FOR cal IN EXECUTE format('SELECT DISTINCT l.calendar FROM %s l WHERE l.calendar IS NOT NULL', lookup) LOOP
			PERFORM cx.due_at(now(), '100% within 1 business days', cal);
		END LOOP;
	END IF;
END
$$;

-- Add a column unless it exists (checking its type when it does); returns
-- whether it was added.
CREATE FUNCTION cx._track_add_column(tbl regclass, col name, what text, typ regtype, dflt text)
	RETURNS boolean
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $$
BEGIN
	IF col IS NULL THEN
		RAISE EXCEPTION USING ERRCODE = 'null_value_not_allowed',
			MESSAGE = format('%s column must not be null', what),
			HINT = 'Leave it out to use a new column.';
	END IF;
	IF EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = tbl AND a.attname = col AND a.attnum > 0 AND NOT a.attisdropped) THEN
		PERFORM cx._track_column(tbl, col, what, ARRAY[typ]);
		RETURN false;
	END IF;
	EXECUTE format('ALTER TABLE %s ADD COLUMN %I %s%s', tbl, col, typ,
				   CASE WHEN dflt IS NULL THEN '' ELSE format(' DEFAULT %L::%s', dflt, typ) END);
	RETURN true;
END
$$;

-- Check that the columns a new clock writes are its own: distinct, not
-- read by it, and neither read nor written by another clock of the table,
-- whose written columns it does not read either.
CREATE FUNCTION cx._track_columns_free(tbl regclass, writes name[], reads name[])
	RETURNS void
	LANGUAGE plpgsql STABLE
	SET search_path = pg_catalog, pg_temp
	AS $$
#variable_conflict use_variable
DECLARE
	other_w name[];
	other_r name[];
	bad name;
BEGIN
	SELECT COALESCE(array_agg(x), '{}') INTO other_w FROM cx.tracked t,
		unnest(ARRAY[t.status, t.due, t.paused_for] || CASE WHEN t.lookup IS NULL THEN ARRAY[]::name[] ELSE ARRAY[t.standard_column] END) x
	WHERE t.tbl = _track_columns_free.tbl AND x IS NOT NULL;
	SELECT COALESCE(array_agg(x), '{}') INTO other_r FROM cx.tracked t,
		unnest(ARRAY[t.started, t.finished, t.by, t.paused, t.standard_column]) x
	WHERE t.tbl = _track_columns_free.tbl AND x IS NOT NULL;
	IF cardinality(ARRAY(SELECT DISTINCT x FROM unnest(writes) x)) <> cardinality(writes)
	   OR writes && reads THEN
		RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
			MESSAGE = format('the columns %s of a clock must be different columns, none of them read by it',
							 array_to_string(writes, ', ')),
			HINT = 'Name a separate column for each: status, due, and the standard and paused-time columns it keeps.';
	END IF;
	SELECT x INTO bad FROM unnest(writes) x WHERE x = ANY (other_w || other_r) LIMIT 1;
	IF bad IS NULL THEN
		SELECT x INTO bad FROM unnest(reads) x WHERE x = ANY (other_w) LIMIT 1;
	END IF;
	IF bad IS NOT NULL THEN
		RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
			MESSAGE = format('column "%s" of table %s is used by another clock', bad, tbl),
			DETAIL = 'Each clock writes its own status, due, standard and paused-time columns; clocks may share only the columns they read.',
			HINT = 'Name other columns for this clock (the defaults are cx_<clock>_due and so on).';
	END IF;
END
$$;

-- The body of cx.track.
CREATE FUNCTION cx._track(tbl regclass, standard cx.standard,
						  started name, finished name, status name,
						  calendar text, at_risk float8, key name, due name,
						  backfill boolean, clock name, standard_column name,
						  lookup regclass, by name, paused name, paused_for name)
	RETURNS void
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $$
#variable_conflict use_variable
DECLARE
	pfx text := CASE WHEN clock = 'default' THEN 'cx_' ELSE format('cx_%s_', clock) END;
	k name;
	added boolean := false;
	std_added boolean := false;
	pf_added boolean := false;
	idx name;
BEGIN
	PERFORM cx._track_table(tbl);
	PERFORM cx._track_check_args(standard, standard_column IS NOT NULL OR lookup IS NOT NULL, calendar, at_risk, clock);
	IF EXISTS (SELECT 1 FROM cx.tracked t WHERE t.tbl = _track.tbl AND t.clock = _track.clock) THEN
		RAISE EXCEPTION USING ERRCODE = 'duplicate_object',
			MESSAGE = CASE WHEN clock = 'default' THEN format('table %s is already tracked', tbl)
						   ELSE format('clock %s of table %s is already tracked', clock, tbl) END,
			HINT = 'Run cx.untrack on it first to change how it is tracked, or name another clock.';
	END IF;
	IF (lookup IS NULL) <> (by IS NULL) THEN
		RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
			MESSAGE = 'lookup and by go together',
			HINT = 'Name the lookup table with lookup => and the tracked table''s column it is keyed by with by =>.';
	END IF;
	IF lookup IS NOT NULL THEN
		PERFORM cx._track_lookup(tbl, lookup, by);
		standard_column := COALESCE(standard_column, (pfx || 'standard')::name);
	END IF;
	due := COALESCE(due, (pfx || 'due')::name);
	IF paused IS NOT NULL THEN
		PERFORM cx._track_column(tbl, paused, 'paused', ARRAY['timestamptz']::regtype[]);
		paused_for := COALESCE(paused_for, (pfx || 'paused')::name);
	ELSIF paused_for IS NOT NULL THEN
		RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
			MESSAGE = 'paused_for needs paused',
			HINT = 'Name the column that holds the instant a row was paused with paused =>.';
	END IF;
	PERFORM cx._track_column(tbl, started, 'started', ARRAY['timestamptz']::regtype[]);
	PERFORM cx._track_column(tbl, finished, 'finished', ARRAY['timestamptz']::regtype[]);
	PERFORM cx._track_status_column(tbl, status, paused IS NOT NULL);
	k := cx._track_key(tbl, key);
	PERFORM cx._track_columns_free(tbl,
		ARRAY[status, due] || CASE WHEN lookup IS NULL THEN ARRAY[]::name[] ELSE ARRAY[standard_column] END
			|| CASE WHEN paused IS NULL THEN ARRAY[]::name[] ELSE ARRAY[paused_for] END,
		ARRAY[started, finished] || CASE WHEN by IS NULL THEN ARRAY[]::name[] ELSE ARRAY[by] END
			|| CASE WHEN paused IS NULL THEN ARRAY[]::name[] ELSE ARRAY[paused] END
			|| CASE WHEN lookup IS NULL AND standard_column IS NOT NULL THEN ARRAY[standard_column] ELSE ARRAY[]::name[] END);
	added := cx._track_add_column(tbl, due, 'due', 'timestamptz', NULL);
	IF standard_column IS NOT NULL THEN
		-- a new column starts with the default standard, so rows are written in place
		std_added := cx._track_add_column(tbl, standard_column, 'standard', 'cx.standard',
										  CASE WHEN lookup IS NOT NULL THEN standard::text END);
	END IF;
	IF paused IS NOT NULL THEN
		pf_added := cx._track_add_column(tbl, paused_for, 'paused_for', 'interval', '0');
	END IF;

	idx := cx._track_index_name(tbl, due);
	PERFORM cx._track_registry_add(ROW(tbl, standard, started, finished, status, due, k, calendar, at_risk, added, idx,
								 cx._track_set_default(tbl, status, 'on_track'), cx._track_set_default(tbl, due, 'infinity'),
								 now(), NULL, clock, standard_column, std_added, lookup, by, paused, paused_for,
								 pf_added)::cx.tracked);

	IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = tbl AND tgname = 'cx_track') THEN
		EXECUTE format('CREATE TRIGGER cx_track BEFORE INSERT OR UPDATE ON %s FOR EACH ROW EXECUTE FUNCTION cx.track_trigger()', tbl);
	END IF;
	IF lookup IS NOT NULL AND NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = lookup AND tgname = 'cx_track_lookup') THEN
		EXECUTE format('CREATE TRIGGER cx_track_lookup AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %s '
					   'FOR EACH STATEMENT EXECUTE FUNCTION cx.track_config_changed()', lookup);
	END IF;
	PERFORM cx._track_add_flush(tbl);
	EXECUTE format('CREATE INDEX %I ON %s %s', idx, tbl, cx._track_sweep_index(started, due, at_risk));
	IF backfill THEN
		PERFORM cx._track_backfill(tbl);
	END IF;
END
$$;

-- Track a table against a service standard (see the README).
CREATE FUNCTION cx.track(tbl regclass, standard cx.standard,
						 started name, finished name, status name,
						 calendar text DEFAULT 'us_federal',
						 at_risk float8 DEFAULT 0.8,
						 key name DEFAULT NULL,
						 due name DEFAULT NULL,
						 backfill boolean DEFAULT true,
						 clock name DEFAULT 'default',
						 standard_column name DEFAULT NULL,
						 lookup regclass DEFAULT NULL,
						 by name DEFAULT NULL,
						 paused name DEFAULT NULL,
						 paused_for name DEFAULT NULL)
	RETURNS void
	LANGUAGE sql
	SET search_path = pg_catalog, pg_temp
	AS $$
	SELECT cx._track($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
$$;

-- The registry rows of a table (one clock, or all), as any role may read
-- them: without the sweep mark.
CREATE FUNCTION cx._tracked_rows(tbl regclass, clock name)
	RETURNS SETOF cx.tracked
	LANGUAGE sql STABLE
	SET search_path = pg_catalog, pg_temp
	AS $$
	SELECT ROW(r.tbl, r.standard, r.started, r.finished, r.status, r.due, r.key, r.calendar, r.at_risk,
			   r.due_added, r.sweep_index, r.status_default, r.due_default, r.tracked_at, NULL, r.clock,
			   r.standard_column, r.standard_added, r.lookup, r.by, r.paused, r.paused_for,
			   r.paused_added)::cx.tracked
	FROM cx.tracked r
	WHERE r.tbl OPERATOR(pg_catalog.=) $1 AND ($2 IS NULL OR r.clock OPERATOR(pg_catalog.=) $2)
	ORDER BY r.clock
$$;

-- Stop one clock of a table: drop its sweep index, registry row, and the
-- columns cx.track added for it (or the defaults it gave columns); with the
-- last clock, the trigger too.
CREATE FUNCTION cx._track_drop_clock(tbl regclass, t cx.tracked)
	RETURNS void
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	nsp name := (SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = tbl);
BEGIN
	-- the sweep index, if it is still an index of this table
	IF EXISTS (SELECT 1 FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
			   WHERE i.indrelid = tbl AND c.relname = t.sweep_index) THEN
		EXECUTE format('DROP INDEX %I.%I', nsp, t.sweep_index);
	END IF;
	IF t.due_added THEN
		EXECUTE format('ALTER TABLE %s DROP COLUMN IF EXISTS %I', tbl, t.due);
	ELSE
		PERFORM cx._track_drop_default(tbl, t.due, t.due_default);
	END IF;
	IF t.standard_added THEN
		EXECUTE format('ALTER TABLE %s DROP COLUMN IF EXISTS %I', tbl, t.standard_column);
	END IF;
	IF t.paused_added THEN
		EXECUTE format('ALTER TABLE %s DROP COLUMN IF EXISTS %I', tbl, t.paused_for);
	END IF;
	PERFORM cx._track_drop_default(tbl, t.status, t.status_default);
	PERFORM cx._track_registry_remove(tbl, false, t.clock);
	IF NOT EXISTS (SELECT 1 FROM cx.tracked r WHERE r.tbl = _track_drop_clock.tbl) THEN
		EXECUTE format('DROP TRIGGER IF EXISTS cx_track ON %s', tbl);
	END IF;
	-- the lookup table's trigger, once no clock of any table uses it
	IF t.lookup IS NOT NULL AND NOT EXISTS (SELECT 1 FROM cx.tracked r WHERE r.lookup = t.lookup)
	   AND pg_has_role((SELECT relowner FROM pg_class WHERE oid = t.lookup), 'USAGE') THEN
		EXECUTE format('DROP TRIGGER IF EXISTS cx_track_lookup ON %s', t.lookup);
	END IF;
END
$$;

-- Stop tracking a table (one clock of it, or every clock).
CREATE FUNCTION cx.untrack(tbl regclass, clock name DEFAULT NULL)
	RETURNS void
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $$
#variable_conflict use_variable
DECLARE
	t cx.tracked;
	n integer := 0;
BEGIN
	PERFORM cx._track_table(tbl);
	FOR t IN SELECT * FROM cx._tracked_rows(tbl, clock) LOOP
		PERFORM cx._track_drop_clock(tbl, t);
		n := n + 1;
	END LOOP;
	IF n = 0 THEN
		RAISE EXCEPTION USING ERRCODE = 'undefined_object',
			MESSAGE = CASE WHEN clock IS NULL THEN format('table %s is not tracked', tbl)
						   ELSE format('clock %s of table %s is not tracked', clock, tbl) END,
			HINT = 'See the tracked tables and their clocks with SELECT tbl, clock FROM cx.tracked.';
	END IF;
	PERFORM cx._track_drop_flush(tbl);
END
$$;

-- Log answers of a rating column at or below a threshold for follow-up.
CREATE FUNCTION cx.track_scores(tbl regclass, answer name,
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
	PERFORM cx._track_registry_add_scores(ROW(tbl, answer, threshold, scale_min, scale_max, k, at, now())::cx.tracked_scores);
	EXECUTE format('CREATE TRIGGER cx_track_scores BEFORE INSERT OR UPDATE OF %I ON %s FOR EACH ROW EXECUTE FUNCTION cx.track_scores_trigger()', answer, tbl);
	PERFORM cx._track_add_flush(tbl);
END
$$;

-- Stop logging low scores of a table.
CREATE FUNCTION cx.untrack_scores(tbl regclass)
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
	PERFORM cx._track_registry_remove(tbl, true);
	PERFORM cx._track_drop_flush(tbl);
END
$$;

-- Flip open rows whose at-risk or due instant passed since the last sweep
-- (or since the given instant; '-infinity' looks at every open row);
-- returns the rows flipped per table and clock.  Each table the caller owns (every
-- table, for a superuser) is swept as its owner, inside a
-- security-restricted operation with a safe search_path, in a
-- subtransaction of its own: a table that fails is reported with a warning
-- and the others are still swept.  Locked rows are skipped and left to the
-- next sweep.
--
-- Each table has a mark, cx.tracked.swept_to: every open row whose status
-- changes with time before it has been flipped.  A sweep flips the rows whose
-- instant lies in [mark, now) (or [since, now)), found through the BRIN sweep
-- index, and moves the mark to the earliest of: its own start; the start of
-- the oldest transaction of another backend of this database (a
-- transaction it cannot see judges its rows no earlier than its start);
-- and, when it skipped a row of the window (held by another transaction, or
-- changed since the window was read), the earliest instant of the window.
-- It keeps the mark when that horizon is unknown (prepared transactions,
-- track_activities off, not READ COMMITTED).
CREATE FUNCTION cx.sweep(tbl regclass DEFAULT NULL, since timestamptz DEFAULT NULL)
	RETURNS TABLE (tracked regclass, flipped bigint, clock name)
	LANGUAGE C VOLATILE
	AS 'MODULE_PATHNAME', 'cx_track_sweep';

-- Compute the status and due time of every row of a newly tracked table
-- (cx.track's backfill), as the table's owner inside a security-restricted
-- operation; the caller must have the owner's privileges.
CREATE FUNCTION cx._track_backfill(tbl regclass)
	RETURNS bigint
	LANGUAGE C VOLATILE STRICT
	AS 'MODULE_PATHNAME', 'cx_track_backfill';

-- Registry writes, done as the registry's owner once the calling role is
-- found to own the table (or, to remove a row, the table no longer exists).
CREATE FUNCTION cx._track_registry_add(r cx.tracked)
	RETURNS void
	LANGUAGE C VOLATILE STRICT
	AS 'MODULE_PATHNAME', 'cx_registry_add';
CREATE FUNCTION cx._track_registry_add_scores(r cx.tracked_scores)
	RETURNS void
	LANGUAGE C VOLATILE STRICT
	AS 'MODULE_PATHNAME', 'cx_registry_add_scores';
CREATE FUNCTION cx._track_registry_remove(tbl regclass, scores boolean, clock name DEFAULT NULL)
	RETURNS boolean
	LANGUAGE C VOLATILE
	AS 'MODULE_PATHNAME', 'cx_registry_remove';

-- Forget the registry rows of tracked tables that are dropped.
CREATE FUNCTION cx._track_dropped()
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
	-- a dropped lookup table: rows keep the standards they were given, new
	-- rows get the clock's default standard
	UPDATE cx.tracked t SET lookup = NULL, by = NULL
	WHERE t.lookup::oid IN (SELECT objid FROM pg_event_trigger_dropped_objects() WHERE classid = 'pg_class'::regclass AND objsubid = 0);
END
$$;
-- every command that drops objects (a table goes with its schema, its type,
-- its owner, its extension, a foreign table it inherits from, a server ...)
CREATE EVENT TRIGGER cx_track_dropped ON sql_drop
	EXECUTE FUNCTION cx._track_dropped();

-- Cohort verdicts: the weekly review of "P% within N" as a promise about the
-- rows received in a week, month, quarter or year.
-- The status of a row at an instant, by the tracking trigger's own rule.
CREATE FUNCTION cx.status_at(started timestamptz, due timestamptz, finished timestamptz, as_of timestamptz,
							 paused timestamptz DEFAULT NULL, at_risk float8 DEFAULT 1)
	RETURNS text
	LANGUAGE C IMMUTABLE PARALLEL SAFE
	AS 'MODULE_PATHNAME', 'cx_track_status_at';
COMMENT ON FUNCTION cx.status_at(timestamptz, timestamptz, timestamptz, timestamptz, timestamptz, float8) IS
	'status of a tracked row at an instant: on_track, at_risk, breached, paused, met or missed';
-- The same as one "char" without an at-risk stage, for cx.cohorts.
CREATE FUNCTION cx._track_status_code(started timestamptz, due timestamptz, finished timestamptz, as_of timestamptz,
								paused timestamptz)
	RETURNS "char"
	LANGUAGE C IMMUTABLE PARALLEL SAFE
	AS 'MODULE_PATHNAME', 'cx_track_status_code';
CREATE FUNCTION cx._track_cohort_verdict(rows bigint, met bigint, open bigint, open_breached bigint, standard cx.standard)
	RETURNS text
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
	AS 'MODULE_PATHNAME', 'cx_track_cohort_verdict';
-- The registry row of the clock a cohort review reads: the named one, or
-- the table's only clock.
CREATE FUNCTION cx._track_cohort_clock(tbl regclass, clock name)
	RETURNS cx.tracked
	LANGUAGE plpgsql STABLE
	SET search_path = pg_catalog, pg_temp
	AS $$
#variable_conflict use_variable
DECLARE
	t cx.tracked;
	n integer;
BEGIN
	SELECT count(*) INTO n FROM cx.tracked r WHERE r.tbl = _track_cohort_clock.tbl AND (clock IS NULL OR r.clock = clock);
	IF n = 0 THEN
		RAISE EXCEPTION 'table "%" is not tracked%', tbl, CASE WHEN clock IS NULL THEN '' ELSE format(' by clock %s', clock) END
			USING ERRCODE = 'object_not_in_prerequisite_state', HINT = 'Run cx.track on the table first.';
	ELSIF n > 1 THEN
		RAISE EXCEPTION 'table "%" has % clocks', tbl, n
			USING ERRCODE = 'ambiguous_parameter', HINT = 'Name one with clock => ''...''.';
	END IF;
	SELECT * INTO t FROM cx._tracked_rows(tbl, clock);
	RETURN t;
END
$$;
CREATE FUNCTION cx.cohorts(tbl regclass, period text DEFAULT 'month', by name DEFAULT NULL,
						   as_of timestamptz DEFAULT pg_catalog.now(), clock name DEFAULT NULL)
	RETURNS TABLE (cohort date, grp text, standard text, rows bigint, met bigint, missed bigint, open bigint,
				   open_breached bigint, attainment double precision, best double precision,
				   worst double precision, target double precision, verdict text)
	LANGUAGE plpgsql STABLE PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	t cx.tracked;
	tz text;
BEGIN
	IF period IS NULL OR period NOT IN ('week', 'month', 'quarter', 'year') THEN
		RAISE EXCEPTION 'invalid cohort period "%"', period
			USING ERRCODE = 'invalid_parameter_value', HINT = 'Use week, month, quarter or year.';
	END IF;
	IF as_of IS NULL OR NOT pg_catalog.isfinite(as_of) THEN
		RAISE EXCEPTION 'as_of must be a finite instant' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	t := cx._track_cohort_clock(tbl, clock);
	tz := (SELECT c.time_zone FROM cx.calendars c WHERE c.name = t.calendar);
	IF by IS NOT NULL AND NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = tbl AND a.attname = by
										AND a.attnum > 0 AND NOT a.attisdropped) THEN
		RAISE EXCEPTION 'column "%" of table % does not exist', by, tbl
			USING ERRCODE = 'undefined_column', HINT = 'Name a column of the tracked table to group by.';
	END IF;
	-- per cohort, group and standard (rows judged by different standards
	-- are different promises)
	RETURN QUERY EXECUTE format(
		'SELECT q.cohort, q.grp, q.std::text, q.n, q.met, q.missed, q.open, q.open_breached,'
		' CASE WHEN q.met + q.missed > 0 THEN q.met::float8 / (q.met + q.missed) END,'
		' (q.met + q.open)::float8 / q.n, q.met::float8 / q.n, cx.target(q.std),'
		' cx._track_cohort_verdict(q.n, q.met, q.open, q.open_breached, q.std)'
		' FROM (SELECT s.cohort, s.grp, s.std, count(*) AS n,'
		'  count(*) FILTER (WHERE s.st = ''m'') AS met, count(*) FILTER (WHERE s.st = ''x'') AS missed,'
		'  count(*) FILTER (WHERE s.st IN (''o'', ''b'', ''p'')) AS open, count(*) FILTER (WHERE s.st = ''b'') AS open_breached'
		'  FROM (SELECT date_trunc(%L, timezone($3, r.%I))::date AS cohort, %s AS grp, %s AS std,'
		'        cx._track_status_code(r.%I, r.%I, r.%I, $2, %s) AS st'
		'        FROM %s r WHERE r.%I <= $2) s'
		'  WHERE s.st IS NOT NULL AND s.std IS NOT NULL GROUP BY 1, 2, 3) q ORDER BY 1, 2, 3',
		period, t.started, CASE WHEN by IS NULL THEN 'NULL::text' ELSE format('r.%I::text', by) END,
		CASE WHEN t.standard_column IS NULL THEN '$1' ELSE format('COALESCE(r.%I, $1)', t.standard_column) END,
		t.started, t.due, t.finished, CASE WHEN t.paused IS NULL THEN 'NULL::timestamptz' ELSE format('r.%I', t.paused) END,
		tbl, t.started)
	USING t.standard, as_of, COALESCE(tz, 'UTC');
END
$$;
COMMENT ON FUNCTION cx.cohorts(regclass, text, name, timestamptz, name) IS
	'per cohort of received rows (and group): counts, attainment, best and worst still possible, verdict against the standard';
