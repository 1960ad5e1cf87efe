-- Shared declarations.  The schema cx comes from the control file.

-- The schema must hold nothing but the extension's own objects: a function,
-- operator, type or table put there beforehand would be found by the
-- extension's own schema-qualified names.
DO $$
DECLARE
	found text;
BEGIN
	SELECT pg_catalog.string_agg(what, ', ') INTO found
	FROM (SELECT pg_catalog.concat('relation ', c.relname) AS what FROM pg_catalog.pg_class c WHERE c.relnamespace OPERATOR(pg_catalog.=) 'cx'::pg_catalog.regnamespace
		  UNION ALL SELECT pg_catalog.concat('function ', p.oid::pg_catalog.regprocedure::text) FROM pg_catalog.pg_proc p WHERE p.pronamespace OPERATOR(pg_catalog.=) 'cx'::pg_catalog.regnamespace
		  UNION ALL SELECT pg_catalog.concat('type ', t.typname) FROM pg_catalog.pg_type t WHERE t.typnamespace OPERATOR(pg_catalog.=) 'cx'::pg_catalog.regnamespace
		  UNION ALL SELECT pg_catalog.concat('operator ', o.oprname) FROM pg_catalog.pg_operator o WHERE o.oprnamespace OPERATOR(pg_catalog.=) 'cx'::pg_catalog.regnamespace
		  UNION ALL SELECT pg_catalog.concat('collation ', l.collname) FROM pg_catalog.pg_collation l WHERE l.collnamespace OPERATOR(pg_catalog.=) 'cx'::pg_catalog.regnamespace
		  UNION ALL SELECT pg_catalog.concat('conversion ', v.conname) FROM pg_catalog.pg_conversion v WHERE v.connamespace OPERATOR(pg_catalog.=) 'cx'::pg_catalog.regnamespace
		  UNION ALL SELECT pg_catalog.concat('operator family ', f.opfname) FROM pg_catalog.pg_opfamily f WHERE f.opfnamespace OPERATOR(pg_catalog.=) 'cx'::pg_catalog.regnamespace
		  UNION ALL SELECT pg_catalog.concat('text search configuration ', s.cfgname) FROM pg_catalog.pg_ts_config s WHERE s.cfgnamespace OPERATOR(pg_catalog.=) 'cx'::pg_catalog.regnamespace
		  UNION ALL SELECT pg_catalog.concat('text search dictionary ', d.dictname) FROM pg_catalog.pg_ts_dict d WHERE d.dictnamespace OPERATOR(pg_catalog.=) 'cx'::pg_catalog.regnamespace
		  UNION ALL SELECT pg_catalog.concat('statistics object ', x.stxname) FROM pg_catalog.pg_statistic_ext x WHERE x.stxnamespace OPERATOR(pg_catalog.=) 'cx'::pg_catalog.regnamespace) o;
	IF found IS NOT NULL THEN
		RAISE EXCEPTION USING ERRCODE = 'object_not_in_prerequisite_state',
			MESSAGE = 'schema cx is not empty',
			DETAIL = pg_catalog.format('It holds %s.', found),
			HINT = 'Install cx_metrics into a schema cx that does not exist yet or is empty.';
	END IF;
END
$$;

-- The schema belongs to the role that runs this script (the bootstrap
-- superuser in an install of the trusted extension by another role), so
-- that no other role can rename it or put objects into it.  Every role may
-- use what lives in it (functions are PUBLIC unless revoked, tables carry
-- their own grants).
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
