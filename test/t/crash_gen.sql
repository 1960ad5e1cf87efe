-- Generator of test/t/crash.sh (run after crash_setup.sql in the same
-- session): one call per line, from the signature of every function of the
-- extension, with every argument NULL, each argument NULL in turn, and each
-- sample value of each argument's type in turn; then aggregates of the
-- extension's transition and combine functions with hostile initial states.
CREATE TEMP TABLE calls (n serial, fn text, kind text, q text);
CREATE TEMP TABLE missing (fn text, typ text);

DO $gen$
DECLARE
	f record;
	a record;
	i int;
	j int;
	nargs int;
	argv text[];
	typical text[];
	args text;
	s record;
	lit text;
	k int := 0;
	call text;
BEGIN
	-- composite (row) argument types without samples of their own get rows
	-- built from the samples of their attributes: typical values, all NULL,
	-- and each attribute taking each of its samples in turn
	FOR s IN
		SELECT DISTINCT t.oid AS typ, t.typrelid
		FROM pg_proc p
		JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
		CROSS JOIN LATERAL unnest(string_to_array(p.proargtypes::text, ' ')::oid[]) AS u(typ)
		JOIN pg_type t ON t.oid = u.typ
		WHERE d.refclassid = 'pg_extension'::regclass
		  AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'cx_metrics')
		  AND t.typtype = 'c' AND NOT EXISTS (SELECT FROM samples x WHERE x.typ = t.oid)
	LOOP
		SELECT array_agg((SELECT format('CAST(%s AS %s)', x.expr, format_type(at.atttypid, NULL))
						  FROM samples x WHERE x.typ = at.atttypid ORDER BY x.ord LIMIT 1) ORDER BY at.attnum),
			   array_agg(format('CAST(NULL AS %s)', format_type(at.atttypid, NULL)) ORDER BY at.attnum)
		INTO typical, argv
		FROM pg_attribute at WHERE at.attrelid = s.typrelid AND at.attnum > 0 AND NOT at.attisdropped;
		IF array_position(typical, NULL) IS NOT NULL THEN
			CONTINUE;			-- an attribute type without samples: reported as missing
		END IF;
		INSERT INTO samples VALUES
			(s.typ, 1, format('ROW(%s)', array_to_string(typical, ', '))),
			(s.typ, 2, format('ROW(%s)', array_to_string(argv, ', ')));
		i := 0;
		FOR a IN
			SELECT at.attnum, format('CAST(%s AS %s)', x.expr, format_type(at.atttypid, NULL)) AS e
			FROM pg_attribute at JOIN samples x ON x.typ = at.atttypid
			WHERE at.attrelid = s.typrelid AND at.attnum > 0 AND NOT at.attisdropped AND x.ord > 1
			ORDER BY at.attnum, x.ord
		LOOP
			i := i + 1;
			argv := typical;
			argv[(SELECT count(*) FROM pg_attribute z WHERE z.attrelid = s.typrelid AND z.attnum > 0
				  AND z.attnum <= a.attnum AND NOT z.attisdropped)] := a.e;
			INSERT INTO samples VALUES (s.typ, 2 + i, format('ROW(%s)', array_to_string(argv, ', ')));
		END LOOP;
	END LOOP;

	FOR f IN
		SELECT p.oid, p.oid::regprocedure::text AS sig, p.prokind, p.prorettype,
			   string_to_array(p.proargtypes::text, ' ')::oid[] AS types, quote_ident(n.nspname) || '.' || quote_ident(p.proname) AS fname
		FROM pg_proc p
		JOIN pg_namespace n ON n.oid = p.pronamespace
		JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
		WHERE d.refclassid = 'pg_extension'::regclass
		  AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'cx_metrics')
		ORDER BY 2
	LOOP
		nargs := coalesce(array_length(f.types, 1), 0);
		IF f.prorettype IN ('trigger'::regtype, 'event_trigger'::regtype) THEN
			INSERT INTO calls (fn, kind, q) VALUES (f.sig, 'trigger', format('SELECT %s()', f.fname));
			-- attached to a table of the role's own, at every timing and level
			-- (event triggers need a superuser: CREATE EVENT TRIGGER refuses)
			IF f.prorettype = 'trigger'::regtype THEN
				FOR s IN
					SELECT w.timing, l.level, g.targs
					FROM unnest(ARRAY['BEFORE', 'AFTER']) AS w(timing),
						 unnest(ARRAY['ROW', 'STATEMENT']) AS l(level),
						 unnest(ARRAY['', '''x'', ''0'', ''''', '''id'', ''received_at'', ''decided_at'', ''cx_status'', ''1''']) AS g(targs)
				LOOP
					k := k + 1;
					INSERT INTO calls (fn, kind, q) VALUES
						(f.sig, 'trigger attach', format('CREATE TEMP TABLE trg_%s (name text, time_zone text, weekend int[], federal_holidays boolean, cutoff time, description text, id bigint, received_at timestamptz, decided_at timestamptz, cx_status text, cx_due timestamptz)', k)),
						(f.sig, 'trigger attach', format('CREATE TRIGGER t BEFORE INSERT OR UPDATE OR DELETE ON pg_temp.trg_%s FOR EACH %s EXECUTE FUNCTION %s(%s)', k, s.level, f.fname, s.targs)),
						(f.sig, 'trigger attach', format('CREATE TRIGGER tt %s TRUNCATE ON pg_temp.trg_%s FOR EACH STATEMENT EXECUTE FUNCTION %s(%s)', s.timing, k, f.fname, s.targs)),
						(f.sig, 'trigger fire', format('INSERT INTO pg_temp.trg_%s VALUES (''us_federal'', ''UTC'', ''{6,7}'', true, NULL, NULL, 1, ''2026-01-05 10:00+00'', NULL, NULL, NULL), (''x'', ''Nowhere/None'', ''{}'', NULL, NULL, NULL, NULL, ''infinity'', ''-infinity'', ''met'', NULL)', k)),
						(f.sig, 'trigger fire', format('UPDATE pg_temp.trg_%s SET id = 2, decided_at = ''2026-02-05 10:00+00''', k)),
						(f.sig, 'trigger fire', format('DELETE FROM pg_temp.trg_%s', k)),
						(f.sig, 'trigger fire', format('TRUNCATE pg_temp.trg_%s', k)),
						(f.sig, 'trigger attach', format('DROP TABLE pg_temp.trg_%s', k));
					IF s.timing = 'AFTER' THEN
						UPDATE calls SET q = replace(q, 'CREATE TRIGGER t BEFORE', 'CREATE TRIGGER t AFTER')
						WHERE n = (SELECT max(n) - 6 FROM calls);
					END IF;
				END LOOP;
			END IF;
			CONTINUE;
		END IF;
		typical := '{}';
		FOR i IN 1 .. nargs LOOP
			SELECT expr INTO lit FROM samples WHERE typ = f.types[i] ORDER BY ord LIMIT 1;
			IF lit IS NULL THEN
				INSERT INTO missing VALUES (f.sig, f.types[i]::regtype::text);
			END IF;
			typical := typical || CASE WHEN f.types[i] = 'internal'::regtype THEN 'NULL'
									   ELSE format('CAST(%s AS %s)', lit, f.types[i]::regtype) END;
		END LOOP;
		-- every argument NULL
		argv := '{}';
		FOR i IN 1 .. nargs LOOP
			argv := argv || CASE WHEN f.types[i] = 'internal'::regtype THEN 'NULL'
								 ELSE format('CAST(NULL AS %s)', f.types[i]::regtype) END;
		END LOOP;
		INSERT INTO calls (fn, kind, q) VALUES (f.sig, 'all null', argv::text);
		-- each argument NULL in turn, then each sample of its type in turn
		FOR i IN 1 .. nargs LOOP
			argv := typical;
			argv[i] := CASE WHEN f.types[i] = 'internal'::regtype THEN 'NULL'
							ELSE format('CAST(NULL AS %s)', f.types[i]::regtype) END;
			INSERT INTO calls (fn, kind, q) VALUES (f.sig, format('arg %s null', i), argv::text);
			FOR s IN SELECT expr FROM samples WHERE typ = f.types[i] ORDER BY ord LOOP
				argv := typical;
				argv[i] := CASE WHEN f.types[i] = 'internal'::regtype THEN 'NULL'
								ELSE format('CAST(%s AS %s)', s.expr, f.types[i]::regtype) END;
				INSERT INTO calls (fn, kind, q) VALUES (f.sig, format('arg %s sample', i), argv::text);
			END LOOP;
		END LOOP;
		IF nargs = 0 THEN
			INSERT INTO calls (fn, kind, q) VALUES (f.sig, 'no args', '{}');
		END IF;
		-- the argument lists become calls
		UPDATE calls
		SET q = CASE WHEN f.prokind = 'p' THEN format('CALL %s(%s)', f.fname, array_to_string(q::text[], ', '))
					 ELSE format('SELECT %s(%s) FROM pg_temp.tv t', f.fname, array_to_string(q::text[], ', ')) END
		WHERE fn = f.sig AND kind <> 'trigger' AND q LIKE '{%';
	END LOOP;

	-- hostile initial states for the transition (and final) functions of
	-- every aggregate of the extension, and for its combine functions used as
	-- transition functions; internal states cannot be declared by a
	-- non-superuser (CREATE AGGREGATE refuses, which the calls check too)
	FOR a IN
		SELECT DISTINCT g.aggtransfn::regprocedure::text AS sfunc, g.aggtranstype::regtype::text AS stype,
			   g.aggtranstype AS stype_oid,
			   CASE WHEN g.aggfinalfn <> 0 THEN g.aggfinalfn::regprocedure::text END AS ffunc,
			   CASE WHEN g.aggcombinefn <> 0 THEN g.aggcombinefn::regprocedure::text END AS cfunc,
			   string_to_array(p.proargtypes::text, ' ')::oid[] AS types, p.oid::regprocedure::text AS agg
		FROM pg_aggregate g
		JOIN pg_proc p ON p.oid = g.aggfnoid
		JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
		WHERE d.refclassid = 'pg_extension'::regclass
		  AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'cx_metrics')
		ORDER BY agg
	LOOP
		argv := '{}';
		FOR i IN 1 .. coalesce(array_length(a.types, 1), 0) LOOP
			SELECT expr INTO lit FROM samples WHERE typ = a.types[i] ORDER BY ord LIMIT 1;
			argv := argv || format('CAST(%s AS %s)', lit, a.types[i]::regtype);
		END LOOP;
		args := array_to_string(argv, ', ');
		FOR s IN SELECT expr FROM samples WHERE typ = a.stype_oid ORDER BY ord LOOP
			BEGIN
				EXECUTE format('SELECT CAST(%s AS text) FROM pg_temp.tv t', s.expr) INTO lit;
			EXCEPTION WHEN OTHERS THEN
				CONTINUE;		-- not a value of the type (the direct calls try it)
			END;
			FOR j IN 0 .. 1 LOOP
				CONTINUE WHEN j = 1 AND a.ffunc IS NULL;
				k := k + 1;
				INSERT INTO calls (fn, kind, q) VALUES
					(a.agg, 'hostile initcond create',
					 format('CREATE AGGREGATE pg_temp.evil_%s(%s) (SFUNC = %s, STYPE = %s, INITCOND = %L%s)',
							k, (SELECT string_agg(format_type(x, NULL), ', ') FROM unnest(a.types) x),
							a.sfunc::regprocedure::oid::regproc::text, a.stype, lit,
							CASE WHEN j = 1 THEN ', FINALFUNC = ' || a.ffunc::regprocedure::oid::regproc::text ELSE '' END)),
					(a.agg, 'hostile initcond rows', format('SELECT g, pg_temp.evil_%s(%s), length(string_agg(''x'', '','')) FROM pg_temp.tv t, generate_series(1, 2) g, generate_series(1, 300) GROUP BY g', k, args)),
					(a.agg, 'hostile initcond no rows', format('SELECT pg_temp.evil_%s(%s) FROM pg_temp.tv t WHERE false', k, args)),
					(a.agg, 'hostile initcond drop', format('DROP AGGREGATE pg_temp.evil_%s(%s)', k,
							(SELECT string_agg(format_type(x, NULL), ', ') FROM unnest(a.types) x)));
			END LOOP;
			IF a.cfunc IS NOT NULL THEN
				k := k + 1;
				INSERT INTO calls (fn, kind, q) VALUES
					(a.cfunc, 'hostile combine create',
					 format('CREATE AGGREGATE pg_temp.evil_%s(%s) (SFUNC = %s, STYPE = %s, INITCOND = %L)',
							k, a.stype, a.cfunc::regprocedure::oid::regproc::text, a.stype, lit));
				INSERT INTO calls (fn, kind, q)
				SELECT a.cfunc, 'hostile combine rows',
					   format('SELECT g, pg_temp.evil_%s(CAST(%s AS %s)), length(string_agg(''x'', '','')) FROM pg_temp.tv t, generate_series(1, 2) g, generate_series(1, 100) GROUP BY g',
							  k, x.expr, a.stype)
				FROM samples x WHERE x.typ = a.stype_oid ORDER BY x.ord;
				INSERT INTO calls (fn, kind, q) VALUES
					(a.cfunc, 'hostile combine drop', format('DROP AGGREGATE pg_temp.evil_%s(%s)', k, a.stype));
			END IF;
		END LOOP;
	END LOOP;
END
$gen$;
