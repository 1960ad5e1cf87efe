/*
 * track_cache.c — the tracking registry as this backend caches it: one
 * TrackConfig per tracked table, holding its clocks (rows of cx.tracked),
 * its low-score settings (cx.tracked_scores) and the entries of the lookup
 * tables its clocks choose standards from.
 *
 * A table's configuration is read with SPI when a backend first meets the
 * table, and again after it changed: statement triggers on the registry
 * and on every lookup table invalidate that relation's relcache entry, and
 * every backend's relcache callback marks the configurations that use it
 * stale.  Every query runs under search_path "pg_catalog, pg_temp"; a
 * lookup table is read as the tracked table's owner inside a
 * security-restricted operation (the owner chose it at cx.track).
 */
#include "track.h"

#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/hsearch.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/syscache.h"

static HTAB *track_cache = NULL;
static TrackEntry *track_last = NULL;	/* the entry found last */
static Oid	track_config_relids[2] = {InvalidOid, InvalidOid};
static bool track_callbacks_registered = false;
static bool track_counters_dirty = false;

/* Whether a configuration reads a relation (a lookup table). */
static bool
track_config_uses(const TrackConfig *cfg, Oid relid)
{
	int			i;

	for (i = 0; i < cfg->nclocks; i++)
		if (cfg->clocks[i].lookup == relid)
			return true;
	return false;
}

/*
 * Mark cached configurations stale when a tracked table, the registry or a
 * lookup table changes.
 */
static void
track_relcache_callback(Datum arg pg_attribute_unused(), Oid relid)
{
	HASH_SEQ_STATUS seq;
	TrackEntry *e;
	bool		all;

	if (track_cache == NULL)
		return;
	all = relid == InvalidOid || relid == track_config_relids[0] ||
		relid == track_config_relids[1];
	/* the table itself, and every table that uses it as a lookup */
	hash_seq_init(&seq, track_cache);
	while ((e = (TrackEntry *) hash_seq_search(&seq)) != NULL)
		if (e->cfg && (all || e->relid == relid || track_config_uses(e->cfg, relid)))
			e->cfg->valid = false;
}

/* Note that a statement counted notifications (reset at transaction end). */
void
track_counters_touched(void)
{
	track_counters_dirty = true;
}

/* Reset the per-statement notification counters of every table. */
static void
track_reset_counters(void)
{
	HASH_SEQ_STATUS seq;
	TrackEntry *e;

	if (!track_counters_dirty || track_cache == NULL)
		return;
	hash_seq_init(&seq, track_cache);
	while ((e = (TrackEntry *) hash_seq_search(&seq)) != NULL)
		e->notified = e->suppressed = 0;
	track_counters_dirty = false;
}

/* At transaction end: nothing may stay buffered; forget counters. */
static void
track_xact_callback(XactEvent event, void *arg pg_attribute_unused())
{
	switch (event)
	{
		case XACT_EVENT_PRE_COMMIT:
		case XACT_EVENT_PARALLEL_PRE_COMMIT:
		case XACT_EVENT_PRE_PREPARE:
			if (track_log_pending() > 0)
				ereport(ERROR,
						(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
						 errmsg("%d breach log entries were not written", track_log_pending()),
						 errdetail("The statement trigger cx_track_flush of a tracked table did not run."),
						 errhint("Enable the trigger cx_track_flush again, or run cx.untrack and cx.track on the table.")));
			break;
		case XACT_EVENT_ABORT:
		case XACT_EVENT_PARALLEL_ABORT:
		case XACT_EVENT_COMMIT:
		case XACT_EVENT_PARALLEL_COMMIT:
		case XACT_EVENT_PREPARE:
			track_log_clear();
			track_reset_counters();
			break;
	}
}

/* On subtransaction abort, forget the log entries it buffered. */
static void
track_subxact_callback(SubXactEvent event, SubTransactionId mySubid,
					   SubTransactionId parentSubid pg_attribute_unused(),
					   void *arg pg_attribute_unused())
{
	if (event == SUBXACT_EVENT_ABORT_SUB)
		track_log_discard_subxact(mySubid);
}

/* Create the cache and register the callbacks, once per backend. */
void
track_init(void)
{
	HASHCTL		ctl;

	if (track_cache != NULL)
		return;
	if (!track_callbacks_registered)
	{
		CacheRegisterRelcacheCallback(track_relcache_callback, (Datum) 0);
		RegisterXactCallback(track_xact_callback, NULL);
		RegisterSubXactCallback(track_subxact_callback, NULL);
		track_callbacks_registered = true;
	}
	track_log_init();
	memset(&ctl, 0, sizeof(ctl));
	ctl.keysize = sizeof(Oid);
	ctl.entrysize = sizeof(TrackEntry);
	ctl.hcxt = CacheMemoryContext;
	track_cache = hash_create("cx_track config", 32, &ctl,
							  HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
}

/* The cache entry of a table, or NULL. */
TrackEntry *
track_entry_find(Oid relid)
{
	if (track_cache == NULL)
		return NULL;
	return (TrackEntry *) hash_search(track_cache, &relid, HASH_FIND, NULL);
}

/* Complain that a registered column no longer fits. */
CX_NORETURN static void track_bad_column(Relation rel, const char *col, const char *what);
static void
track_bad_column(Relation rel, const char *col, const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATATYPE_MISMATCH),
			 errmsg("tracked column \"%s\" of table \"%s\" %s", col,
					RelationGetRelationName(rel), what),
			 errdetail("The column was changed after cx.track registered the table."),
			 errhint("Run cx.untrack and cx.track on the table again.")));
}

/* The attribute number of a registered column, checking it still exists. */
static AttrNumber
track_attnum(Relation rel, const char *col, Oid want_type)
{
	int			i;
	TupleDesc	td = RelationGetDescr(rel);

	for (i = 0; i < td->natts; i++)
	{
		Form_pg_attribute a = TupleDescAttr(td, i);

		if (!a->attisdropped && strcmp(NameStr(a->attname), col) == 0)
		{
			if (OidIsValid(want_type) && a->atttypid != want_type)
				track_bad_column(rel, col, "has the wrong type");
			return a->attnum;
		}
	}
	track_bad_column(rel, col, "does not exist");
}

/*
 * The index among the columns the row trigger reads of a registered column
 * (added to them on first use), or -1 for NULL (no such column).
 */
static int
track_col(TrackConfig *cfg, Relation rel, const char *col, Oid want_type)
{
	AttrNumber	att;

	if (col == NULL)
		return -1;
	att = track_attnum(rel, col, want_type);
	if (cfg->att_col[att - 1] < 0)
	{
		cfg->att_col[att - 1] = cfg->ncols;
		cfg->col_att[cfg->ncols++] = att;
		cfg->att_last = Max(cfg->att_last, att);
	}
	return cfg->att_col[att - 1];
}

/* A text column of an SPI result row, copied into the current context (or NULL). */
static char *
track_spi_text(HeapTuple tup, TupleDesc td, int col)
{
	char	   *s = SPI_getvalue(tup, td, col);

	return s ? pstrdup(s) : NULL;
}

/* The output function of a column. */
static void
track_output(Relation rel, AttrNumber attnum, FmgrInfo *out, MemoryContext cxt)
{
	Oid			outfn;
	bool		varlena;

	getTypeOutputInfo(TupleDescAttr(RelationGetDescr(rel), attnum - 1)->atttypid, &outfn, &varlena);
	fmgr_info_cxt(outfn, out, cxt);
}

/* Order of lookup entries: by the bytes of their keys. */
static int
track_entry_cmp(const void *a, const void *b)
{
	const TrackLookupEntry *x = a,
			   *y = b;
	int			c = memcmp(x->key, y->key, Min(x->keylen, y->keylen));

	if (c != 0)
		return c;
	return (x->keylen > y->keylen) - (x->keylen < y->keylen);
}

/* The text of a lookup value, as the entries hold it. */
static char *
track_by_text(TrackClock *c, Datum value, int *len)
{
	char	   *s;

	if (c->by_text)
	{
		text	   *t = DatumGetTextPP(value);

		*len = VARSIZE_ANY_EXHDR(t);
		return VARDATA_ANY(t);
	}
	s = OutputFunctionCall(&c->by_out, value);
	*len = strlen(s);
	return s;
}

/* The lookup entry of a value of a clock's lookup column, or NULL. */
const TrackLookupEntry *
track_lookup_entry(TrackClock *c, Datum value)
{
	TrackLookupEntry key;
	const TrackLookupEntry *e;

	if (c->nentries == 0)
		return NULL;
	key.key = track_by_text(c, value, &key.keylen);
	if (c->last_entry >= 0 && track_entry_cmp(&key, &c->entries[c->last_entry]) == 0)
		return &c->entries[c->last_entry];
	e = bsearch(&key, c->entries, c->nentries, sizeof(TrackLookupEntry), track_entry_cmp);
	if (e != NULL)
		c->last_entry = e - c->entries;
	return e;
}

/*
 * Check that a lookup table may be read for a tracked table: an ordinary
 * (or partitioned) permanent table whose owner's privileges the tracked
 * table's owner has, so that no code of another role (its policies, its
 * column types) runs as the tracked table's owner.
 */
static void
track_lookup_check(Relation rel, Oid lookup, const char *lname)
{
	HeapTuple	ctup = SearchSysCache1(RELOID, ObjectIdGetDatum(lookup));
	Form_pg_class lc;

	if (!HeapTupleIsValid(ctup))
		elog(ERROR, "cache lookup failed for relation %u", lookup);
	lc = (Form_pg_class) GETSTRUCT(ctup);
	if ((lc->relkind != RELKIND_RELATION && lc->relkind != RELKIND_PARTITIONED_TABLE) ||
		lc->relpersistence == RELPERSISTENCE_TEMP)
		ereport(ERROR,
				(errcode(ERRCODE_WRONG_OBJECT_TYPE),
				 errmsg("lookup \"%s\" of tracked table \"%s\" is not a permanent table", lname,
						RelationGetRelationName(rel)),
				 errhint("Run cx.untrack and cx.track on the table with a permanent lookup table.")));
	if (!has_privs_of_role(rel->rd_rel->relowner, lc->relowner))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("the owner of tracked table \"%s\" does not have the privileges of the owner of lookup table \"%s\"",
						RelationGetRelationName(rel), lname),
				 errhint("Keep the lookup table in the tracked table's owner's hands.")));
	ReleaseSysCache(ctup);
}

/*
 * Read a clock's lookup table (its key column named like the tracked
 * table's lookup column, a standard column and, optionally, a calendar
 * column) as the tracked table's owner, inside a security-restricted
 * operation, into c->entries (allocated in cxt).  Entries with a NULL key
 * are left out; two entries for one value are an error.
 */
static void
track_load_lookup(Relation rel, TrackClock *c, const char *by, AttrNumber att_by, Oid std_type,
				  MemoryContext cxt)
{
	Oid			key_type = TupleDescAttr(RelationGetDescr(rel), att_by - 1)->atttypid;
	char	   *lname = get_rel_name(c->lookup);
	Oid			save_userid;
	int			save_sec,
				ret,
				level;
	AttrNumber	lk;
	bool		has_cal;
	uint64		i;
	int			n = 0;
	MemoryContext old;

	if (lname == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("lookup table %u of tracked table \"%s\" does not exist", c->lookup,
						RelationGetRelationName(rel)),
				 errhint("Run cx.untrack and cx.track on the table again.")));
	track_lookup_check(rel, c->lookup, lname);
	lk = get_attnum(c->lookup, by);
	if (lk == InvalidAttrNumber || get_atttype(c->lookup, lk) != key_type)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("lookup table \"%s\" has no column \"%s\" of the type of the tracked table's column",
						lname, by),
				 errhint("Run cx.untrack and cx.track on the table again.")));
	lk = get_attnum(c->lookup, "standard");
	if (lk == InvalidAttrNumber || get_atttype(c->lookup, lk) != std_type)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("lookup table \"%s\" has no column \"standard\" of type cx.standard", lname),
				 errhint("Give the column back its type, or run cx.untrack on the table.")));
	lk = get_attnum(c->lookup, "calendar");
	has_cal = lk != InvalidAttrNumber;
	if (has_cal && get_atttype(c->lookup, lk) != TEXTOID)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("column \"calendar\" of lookup table \"%s\" is not of type text", lname),
				 errhint("Give the column type text, or run cx.untrack on the table.")));

	GetUserIdAndSecContext(&save_userid, &save_sec);
	SetUserIdAndSecContext(rel->rd_rel->relowner, save_sec | SECURITY_LOCAL_USERID_CHANGE |
						   SECURITY_RESTRICTED_OPERATION);
	if ((ret = SPI_connect()) != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed: %d", ret);
	level = cx_pin_search_path();
	ret = SPI_execute(psprintf("SELECT l.%s, l.standard, %s FROM %s l WHERE l.%s IS NOT NULL",
							   quote_identifier(by), has_cal ? "l.calendar" : "NULL::pg_catalog.text",
							   quote_qualified_identifier(get_namespace_name(get_rel_namespace(c->lookup)), lname),
							   quote_identifier(by)),
					  true, 0);
	if (ret != SPI_OK_SELECT)
		elog(ERROR, "reading lookup table \"%s\" failed: %s", lname, SPI_result_code_string(ret));
	old = MemoryContextSwitchTo(cxt);
	c->entries = palloc0(Max(SPI_processed, 1) * sizeof(TrackLookupEntry));
	for (i = 0; i < SPI_processed; i++)
	{
		HeapTuple	tup = SPI_tuptable->vals[i];
		TupleDesc	td = SPI_tuptable->tupdesc;
		TrackLookupEntry *e = &c->entries[n++];
		bool		isnull;
		Datum		d = SPI_getbinval(tup, td, 1, &isnull);
		int			len;
		char	   *k = track_by_text(c, d, &len);

		e->key = palloc(len + 1);
		memcpy(e->key, k, len);
		e->key[len] = '\0';
		e->keylen = len;
		if (SPI_gettypeid(td, 2) != std_type || SPI_gettypeid(td, 3) != TEXTOID)
			elog(ERROR, "lookup table \"%s\" changed while it was read", lname);
		d = SPI_getbinval(tup, td, 2, &e->std_null);
		if (!e->std_null)
		{
			memcpy(&e->std, DatumGetPointer(d), sizeof(CxstdStandard));
			if (cxstd_validate(&e->std) != CXSTD_OK)
				ereport(ERROR,
						(errcode(ERRCODE_DATA_CORRUPTED),
						 errmsg("lookup table \"%s\" holds an invalid standard for %s \"%s\"", lname, by, e->key)));
		}
		e->calendar = track_spi_text(tup, td, 3);
		e->calendar_len = e->calendar ? strlen(e->calendar) : 0;
		c->has_calendars |= e->calendar != NULL;
	}
	MemoryContextSwitchTo(old);
	cx_unpin_search_path(level);
	SPI_finish();
	SetUserIdAndSecContext(save_userid, save_sec);

	c->nentries = n;
	c->last_entry = -1;
	qsort(c->entries, n, sizeof(TrackLookupEntry), track_entry_cmp);
	for (i = 1; i < (uint64) n; i++)
		if (track_entry_cmp(&c->entries[i - 1], &c->entries[i]) == 0)
			ereport(ERROR,
					(errcode(ERRCODE_UNIQUE_VIOLATION),
					 errmsg("lookup table \"%s\" has more than one entry for %s \"%s\"",
							lname, by, c->entries[i].key),
					 errdetail("Each value of the tracked table's column \"%s\" chooses one standard.", by),
					 errhint("Remove the extra entries, and keep a unique index on the column.")));
}

/* The statuses of a clock as values of its status column. */
static void
track_status_values(Relation rel, TrackClock *c, AttrNumber att, const char *col)
{
	Form_pg_attribute a = TupleDescAttr(RelationGetDescr(rel), att - 1);
	int			i;

	c->status_enum = type_is_enum(a->atttypid);
	if (!c->status_enum && a->atttypid != TEXTOID && a->atttypid != VARCHAROID)
		track_bad_column(rel, col, "has the wrong type");
	if (a->atttypid == VARCHAROID && a->atttypmod >= 0 && a->atttypmod - VARHDRSZ < 8)
		track_bad_column(rel, col, "is too short for the statuses");
	for (i = 1; i < CXTR_NSTATUS; i++)
	{
		const char *name = cxtr_status_name((cxtr_status) i);

		if (i == CXTR_LOW_SCORE || i == CXTR_RESUMED || (i == CXTR_PAUSED && c->c_paused < 0))
			continue;
		if (c->status_enum)
			c->status_datum[i] = DirectFunctionCall2(enum_in, CStringGetDatum(name),
													 ObjectIdGetDatum(a->atttypid));
		else
			c->status_datum[i] = CStringGetTextDatum(name);
	}
}

/*
 * The registry's clocks of a table: the 0.2.0 registry, or the 0.1.0 one
 * (one clock, one standard) while the update script has not run yet.
 */
static const char *
track_clocks_sql(bool v020)
{
	if (v020)
		return "SELECT t.clock::pg_catalog.text, t.standard, t.started::pg_catalog.text, "
			"t.finished::pg_catalog.text, t.status::pg_catalog.text, t.due::pg_catalog.text, "
			"t.key::pg_catalog.text, t.calendar, t.at_risk, t.standard_column::pg_catalog.text, "
			"t.lookup::pg_catalog.oid, t.by::pg_catalog.text, t.paused::pg_catalog.text, "
			"t.paused_for::pg_catalog.text, pg_catalog.format('%I.%I', n.nspname, c.relname) "
			"FROM cx.tracked t "
			"JOIN pg_catalog.pg_class c ON c.oid OPERATOR(pg_catalog.=) t.tbl "
			"JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.relnamespace "
			"WHERE t.tbl OPERATOR(pg_catalog.=) $1 ORDER BY t.clock";
	return "SELECT 'default'::pg_catalog.text, t.standard, t.started::pg_catalog.text, "
		"t.finished::pg_catalog.text, t.status::pg_catalog.text, t.due::pg_catalog.text, "
		"t.key::pg_catalog.text, t.calendar, t.at_risk, NULL::pg_catalog.text, NULL::pg_catalog.oid, "
		"NULL::pg_catalog.text, NULL::pg_catalog.text, NULL::pg_catalog.text, "
		"pg_catalog.format('%I.%I', n.nspname, c.relname) "
		"FROM cx.tracked t "
		"JOIN pg_catalog.pg_class c ON c.oid OPERATOR(pg_catalog.=) t.tbl "
		"JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.relnamespace "
		"WHERE t.tbl OPERATOR(pg_catalog.=) $1";
}

/* Fill one clock from a row of track_clocks_sql (in cfg's memory). */
static void
track_load_clock(Relation rel, TrackConfig *cfg, TrackClock *c, HeapTuple tup, TupleDesc td)
{
	bool		isnull;
	Datum		d;
	char	   *status_col,
			   *by;

	c->name = track_spi_text(tup, td, 1);
	d = SPI_getbinval(tup, td, 2, &isnull);
	c->has_standard = !isnull;
	if (!isnull)
		memcpy(&c->standard, DatumGetPointer(d), sizeof(CxstdStandard));
	c->c_started = track_col(cfg, rel, SPI_getvalue(tup, td, 3), TIMESTAMPTZOID);
	c->c_finished = track_col(cfg, rel, SPI_getvalue(tup, td, 4), TIMESTAMPTZOID);
	status_col = SPI_getvalue(tup, td, 5);
	c->c_status = track_col(cfg, rel, status_col, InvalidOid);
	c->c_due = track_col(cfg, rel, SPI_getvalue(tup, td, 6), TIMESTAMPTZOID);
	c->att_key = track_attnum(rel, SPI_getvalue(tup, td, 7), InvalidOid);
	c->calendar = SPI_getvalue(tup, td, 8);
	c->calendar_len = strlen(c->calendar);
	c->at_risk = DatumGetFloat8(SPI_getbinval(tup, td, 9, &isnull));
	c->c_std = -1;
	if (SPI_getvalue(tup, td, 10) != NULL)
	{
		Oid			std_type = get_atttype(RelationGetRelid(rel),
										   track_attnum(rel, SPI_getvalue(tup, td, 10), InvalidOid));

		if (std_type != SPI_gettypeid(td, 2))
			track_bad_column(rel, SPI_getvalue(tup, td, 10), "is not of type cx.standard");
		c->c_std = track_col(cfg, rel, SPI_getvalue(tup, td, 10), std_type);
	}
	d = SPI_getbinval(tup, td, 11, &isnull);
	c->lookup = isnull ? InvalidOid : DatumGetObjectId(d);
	by = SPI_getvalue(tup, td, 12);
	c->c_by = track_col(cfg, rel, by, InvalidOid);
	c->c_paused = track_col(cfg, rel, SPI_getvalue(tup, td, 13), TIMESTAMPTZOID);
	c->c_paused_for = track_col(cfg, rel, SPI_getvalue(tup, td, 14), INTERVALOID);
	if (cfg->relname == NULL)
		cfg->relname = track_spi_text(tup, td, 15);
	track_status_values(rel, c, cfg->col_att[c->c_status], status_col);
	track_output(rel, c->att_key, &c->key_out, cfg->cxt);
	if (by != NULL)
	{
		AttrNumber	att_by = cfg->col_att[c->c_by];
		Oid			by_type = TupleDescAttr(RelationGetDescr(rel), att_by - 1)->atttypid;

		c->by_text = by_type == TEXTOID || by_type == VARCHAROID;
		track_output(rel, att_by, &c->by_out, cfg->cxt);
		if (OidIsValid(c->lookup))
			track_load_lookup(rel, c, by, att_by, SPI_gettypeid(td, 2), cfg->cxt);
	}
}

/* Read the configuration of a table from the registry (SPI, once). */
static TrackConfig *
track_load(Relation rel)
{
	Oid			relid = RelationGetRelid(rel);
	MemoryContext cxt,
				old;
	TrackConfig *cfg;
	Oid			argtypes[1] = {OIDOID};
	Datum		args[1];
	bool		isnull;
	int			ret,
				level,
				natts = RelationGetDescr(rel)->natts,
				i;
	bool		v020;

	/* under the caller's context until complete, so an error frees it */
	cxt = AllocSetContextCreate(CurrentMemoryContext, "cx_track table config",
								ALLOCSET_SMALL_SIZES);
	cfg = MemoryContextAllocZero(cxt, sizeof(TrackConfig));
	cfg->cxt = cxt;
	cfg->natts = natts;
	cfg->values = MemoryContextAlloc(cxt, natts * sizeof(Datum));
	cfg->nulls = MemoryContextAlloc(cxt, natts * sizeof(bool));
	cfg->col_att = MemoryContextAlloc(cxt, natts * sizeof(AttrNumber));
	cfg->att_col = MemoryContextAlloc(cxt, natts * sizeof(int16));
	for (i = 0; i < natts; i++)
		cfg->att_col[i] = -1;
	args[0] = ObjectIdGetDatum(relid);

	if ((ret = SPI_connect()) != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed: %d", ret);
	level = cx_pin_search_path();

	ret = SPI_execute("SELECT 'cx.tracked'::pg_catalog.regclass::pg_catalog.oid, "
					  "'cx.tracked_scores'::pg_catalog.regclass::pg_catalog.oid", true, 1);
	if (ret != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "cannot find the tracking registry");
	track_config_relids[0] = DatumGetObjectId(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	track_config_relids[1] = DatumGetObjectId(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull));
	v020 = get_attnum(track_config_relids[0], "clock") != InvalidAttrNumber;

	ret = SPI_execute_with_args(track_clocks_sql(v020), 1, argtypes, args, NULL, true, 0);
	if (ret != SPI_OK_SELECT)
		elog(ERROR, "reading cx.tracked failed: %d", ret);
	if (SPI_processed > 0)
	{
		SPITupleTable *tt = SPI_tuptable;
		uint64		n = SPI_processed;

		old = MemoryContextSwitchTo(cxt);
		cfg->nclocks = (int) n;
		cfg->clocks = palloc0(n * sizeof(TrackClock));
		/* (reading a lookup table runs SPI queries of its own) */
		for (i = 0; i < (int) n; i++)
			track_load_clock(rel, cfg, &cfg->clocks[i], tt->vals[i], tt->tupdesc);
		MemoryContextSwitchTo(old);
	}

	ret = SPI_execute_with_args("SELECT s.answer::pg_catalog.text, s.threshold, s.scale_min, "
								"s.scale_max, s.key::pg_catalog.text, s.at::pg_catalog.text, "
								"pg_catalog.format('%I.%I', n.nspname, c.relname) "
								"FROM cx.tracked_scores s "
								"JOIN pg_catalog.pg_class c ON c.oid OPERATOR(pg_catalog.=) s.tbl "
								"JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.relnamespace "
								"WHERE s.tbl OPERATOR(pg_catalog.=) $1",
								1, argtypes, args, NULL, true, 1);
	if (ret != SPI_OK_SELECT)
		elog(ERROR, "reading cx.tracked_scores failed: %d", ret);
	if (SPI_processed == 1)
	{
		HeapTuple	tup = SPI_tuptable->vals[0];
		TupleDesc	td = SPI_tuptable->tupdesc;
		char	   *at;

		old = MemoryContextSwitchTo(cxt);
		cfg->has_scores = true;
		cfg->att_answer = track_attnum(rel, SPI_getvalue(tup, td, 1), InvalidOid);
		cfg->answer_type = TupleDescAttr(RelationGetDescr(rel), cfg->att_answer - 1)->atttypid;
		switch (cfg->answer_type)
		{
			case INT2OID:
			case INT4OID:
			case INT8OID:
			case FLOAT4OID:
			case FLOAT8OID:
			case NUMERICOID:
				break;
			default:
				track_bad_column(rel, SPI_getvalue(tup, td, 1), "is not numeric");
		}
		cfg->threshold = DatumGetFloat8(SPI_getbinval(tup, td, 2, &isnull));
		cfg->scale_lo = DatumGetFloat8(SPI_getbinval(tup, td, 3, &isnull));
		cfg->scale_hi = DatumGetFloat8(SPI_getbinval(tup, td, 4, &isnull));
		cfg->att_skey = track_attnum(rel, SPI_getvalue(tup, td, 5), InvalidOid);
		at = SPI_getvalue(tup, td, 6);
		cfg->att_at = at ? track_attnum(rel, at, TIMESTAMPTZOID) : InvalidAttrNumber;
		track_output(rel, cfg->att_skey, &cfg->skey_out, cxt);
		if (cfg->relname == NULL)
			cfg->relname = track_spi_text(tup, td, 7);
		MemoryContextSwitchTo(old);
	}
	cx_unpin_search_path(level);
	SPI_finish();
	MemoryContextSetParent(cxt, CacheMemoryContext);
	cfg->valid = true;
	return cfg;
}

/* The current configuration of a table, loading it when missing or stale. */
TrackEntry *
track_lookup(Relation rel)
{
	Oid			relid = RelationGetRelid(rel);
	TrackEntry *e;
	bool		found;
	TrackConfig *cfg;

	/* consecutive rows of one table: no hash lookup (entries never move) */
	if (track_last != NULL && track_last->relid == relid &&
		track_last->cfg && track_last->cfg->valid)
		return track_last;
	track_init();
	e = (TrackEntry *) hash_search(track_cache, &relid, HASH_ENTER, &found);
	if (!found)
	{
		e->cfg = NULL;
		e->notified = e->suppressed = 0;
		e->suppressed_from = e->suppressed_to = 0;
	}
	if (e->cfg && e->cfg->valid)
		return track_last = e;
	cfg = track_load(rel);
	/* lookups may have run invalidations: find the entry again */
	e = (TrackEntry *) hash_search(track_cache, &relid, HASH_ENTER, &found);
	if (!found)
	{
		e->notified = e->suppressed = 0;
		e->suppressed_from = e->suppressed_to = 0;
	}
	else if (e->cfg)
	{
		/* a caller up the stack may still use the old one: free it at xact end */
		MemoryContextSetParent(e->cfg->cxt, TopTransactionContext);
	}
	e->cfg = cfg;
	return track_last = e;
}
