-- The objects of the extension cx_metrics as catalog rows, one line each,
-- sorted: what test/t/upgrade.sh compares between an upgraded and a fresh
-- install.  Every attribute a user or the planner could observe is listed.
WITH ext AS (
	SELECT d.classid, d.objid FROM pg_depend d JOIN pg_extension e ON d.refobjid = e.oid
	WHERE d.refclassid = 'pg_extension'::regclass AND e.extname = 'cx_metrics' AND d.deptype = 'e'
)
SELECT line FROM (
	-- every member, by identity
	SELECT format('member %s', pg_describe_object(classid, objid, 0)) AS line FROM ext
	UNION ALL
	-- functions, procedures and aggregates
	SELECT format('function %s | kind=%s ret=%s retset=%s vol=%s strict=%s par=%s secdef=%s leak=%s cost=%s rows=%s lang=%s config=%s acl=%s src=%s bin=%s args=%s',
				  p.oid::regprocedure, p.prokind, p.prorettype::regtype, p.proretset, p.provolatile, p.proisstrict,
				  p.proparallel, p.prosecdef, p.proleakproof, p.procost, p.prorows, l.lanname, p.proconfig, p.proacl,
				  md5(coalesce(p.prosrc, '') || coalesce(pg_get_function_sqlbody(p.oid), '')), p.probin,
				  pg_get_function_arguments(p.oid))
	FROM pg_proc p JOIN ext ON ext.classid = 'pg_proc'::regclass AND ext.objid = p.oid JOIN pg_language l ON l.oid = p.prolang
	UNION ALL
	SELECT format('aggregate %s | %s', a.aggfnoid::regprocedure,
				  row(a.aggkind, a.aggnumdirectargs, a.aggtransfn::regprocedure, a.aggfinalfn::regprocedure,
					  a.aggcombinefn::regprocedure, a.aggserialfn::regprocedure, a.aggdeserialfn::regprocedure,
					  a.aggmtransfn, a.aggminvtransfn, a.aggmfinalfn, a.aggfinalextra, a.aggmfinalextra,
					  a.aggfinalmodify, a.aggmfinalmodify, a.aggsortop, a.aggtranstype::regtype, a.aggtransspace,
					  a.aggmtranstype::regtype, a.aggmtransspace, a.agginitval, a.aggminitval))
	FROM pg_aggregate a JOIN ext ON ext.classid = 'pg_proc'::regclass AND ext.objid = a.aggfnoid
	UNION ALL
	-- relations, their columns, indexes, policies and triggers
	SELECT format('relation %s | kind=%s persistence=%s rls=%s force=%s acl=%s options=%s', c.oid::regclass, c.relkind,
				  c.relpersistence, c.relrowsecurity, c.relforcerowsecurity, c.relacl, c.reloptions)
	FROM pg_class c JOIN ext ON ext.classid = 'pg_class'::regclass AND ext.objid = c.oid
	UNION ALL
	SELECT format('column %s.%s | #%s type=%s typmod=%s notnull=%s default=%s generated=%s identity=%s acl=%s', a.attrelid::regclass,
				  a.attname, a.attnum, a.atttypid::regtype, a.atttypmod, a.attnotnull,
				  pg_get_expr(d.adbin, d.adrelid), a.attgenerated, a.attidentity, a.attacl)
	FROM pg_attribute a JOIN ext ON ext.classid = 'pg_class'::regclass AND ext.objid = a.attrelid
	LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
	WHERE a.attnum > 0 AND NOT a.attisdropped
	UNION ALL
	SELECT format('index %s', pg_get_indexdef(i.indexrelid))
	FROM pg_index i JOIN ext ON ext.classid = 'pg_class'::regclass AND ext.objid = i.indrelid
	UNION ALL
	SELECT format('constraint %s on %s | %s', co.conname, co.conrelid::regclass, pg_get_constraintdef(co.oid))
	FROM pg_constraint co JOIN ext ON ext.classid = 'pg_class'::regclass AND ext.objid = co.conrelid
	UNION ALL
	SELECT format('policy %s on %s | cmd=%s permissive=%s roles=%s using=%s check=%s', po.polname, po.polrelid::regclass,
				  po.polcmd, po.polpermissive, po.polroles::regrole[], pg_get_expr(po.polqual, po.polrelid),
				  pg_get_expr(po.polwithcheck, po.polrelid))
	FROM pg_policy po JOIN ext ON ext.classid = 'pg_class'::regclass AND ext.objid = po.polrelid
	UNION ALL
	SELECT format('trigger %s | enabled=%s', pg_get_triggerdef(t.oid), t.tgenabled)
	FROM pg_trigger t JOIN ext ON ext.classid = 'pg_class'::regclass AND ext.objid = t.tgrelid
	WHERE NOT t.tgisinternal
	UNION ALL
	SELECT format('sequence %s | %s', s.seqrelid::regclass, row(s.seqtypid::regtype, s.seqstart, s.seqincrement, s.seqmax, s.seqmin, s.seqcache, s.seqcycle))
	FROM pg_sequence s JOIN ext ON ext.classid = 'pg_class'::regclass AND ext.objid = s.seqrelid
	UNION ALL
	-- types, operators, casts, event triggers
	SELECT format('type %s | %s', t.oid::regtype,
				  row(t.typlen, t.typbyval, t.typtype, t.typcategory, t.typispreferred, t.typinput::regproc, t.typoutput::regproc,
					  t.typreceive::regproc, t.typsend::regproc, t.typmodin, t.typmodout, t.typanalyze, t.typalign, t.typstorage,
					  t.typsubscript, t.typelem::regtype, t.typacl))
	FROM pg_type t JOIN ext ON ext.classid = 'pg_type'::regclass AND ext.objid = t.oid
	UNION ALL
	SELECT format('operator %s | %s', o.oid::regoperator,
				  row(o.oprcode::regproc, o.oprcom::regoperator, o.oprnegate::regoperator, o.oprrest, o.oprjoin, o.oprcanmerge, o.oprcanhash))
	FROM pg_operator o JOIN ext ON ext.classid = 'pg_operator'::regclass AND ext.objid = o.oid
	UNION ALL
	SELECT format('cast %s -> %s | %s', ca.castsource::regtype, ca.casttarget::regtype, row(ca.castfunc::regprocedure, ca.castcontext, ca.castmethod))
	FROM pg_cast ca JOIN ext ON ext.classid = 'pg_cast'::regclass AND ext.objid = ca.oid
	UNION ALL
	SELECT format('event trigger %s | %s', et.evtname, row(et.evtevent, et.evtfoid::regprocedure, et.evtenabled, et.evttags))
	FROM pg_event_trigger et JOIN ext ON ext.classid = 'pg_event_trigger'::regclass AND ext.objid = et.oid
	UNION ALL
	-- comments, initial privileges, configuration dumps, the schema
	SELECT format('comment %s | %s', pg_describe_object(d.classoid, d.objoid, d.objsubid), md5(d.description))
	FROM pg_description d JOIN ext ON ext.classid = d.classoid AND ext.objid = d.objoid
	UNION ALL
	SELECT format('init_privs %s | %s', pg_describe_object(ip.classoid, ip.objoid, ip.objsubid), ip.initprivs)
	FROM pg_init_privs ip JOIN ext ON ext.classid = ip.classoid AND ext.objid = ip.objoid
	UNION ALL
	SELECT format('config_dump %s | %s', e.extconfig::regclass[], e.extcondition) FROM pg_extension e WHERE e.extname = 'cx_metrics'
	UNION ALL
	SELECT format('schema %s | owner=%s acl=%s', n.nspname, n.nspowner::regrole, n.nspacl) FROM pg_namespace n WHERE n.nspname = 'cx'
) x
ORDER BY line;
