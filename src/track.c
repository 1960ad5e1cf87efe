/*
 * track.c — tracking tables against a service standard: the row trigger
 * that keeps a status and due column current, the low-score trigger, the
 * statement trigger that writes buffered breach-log rows and coalesced
 * notifications, and the per-backend configuration cache.
 *
 * Configuration lives in cx.tracked / cx.tracked_scores.  It is read with
 * SPI only when a backend first meets a table (or after it changed: a
 * statement trigger on those tables invalidates their relcache entry, which
 * every backend's relcache callback turns into a reload).  Rows never go
 * through SPI: log entries are buffered in memory and written by one
 * multi-row INSERT, a plan prepared once per backend, at the end of each
 * statement (or every CX_TRACK_FLUSH_ROWS entries), and each written row is
 * announced by its id.  Every query runs under search_path "pg_catalog,
 * pg_temp"; the log is written as its owner, and the sweep and the backfill
 * of cx.track run as each table's owner inside a security-restricted
 * operation.
 */
#include "cx_metrics.h"

#include "access/htup_details.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "catalog/pg_authid.h"
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "catalog/pg_index.h"
#include "catalog/pg_type.h"
#include "commands/async.h"
#include "commands/sequence.h"
#include "commands/trigger.h"
#include "executor/executor.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "storage/proc.h"
#include "utils/acl.h"
#include "utils/array.h"
#include "utils/backend_status.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/hsearch.h"
#include "utils/inval.h"
#include "utils/json.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/guc.h"
#include "utils/regproc.h"
#include "utils/rel.h"
#include "utils/relcache.h"
#include "utils/resowner.h"
#include "utils/syscache.h"
#include "utils/tuplestore.h"

#include "calendar.h"
#include "standard.h"
#include "track_core.h"

#include <math.h>

/* Individual notifications per table and statement before coalescing. */
#define CX_TRACK_NOTIFY_MAX 100
/* Buffered log entries written at once in the middle of a long statement. */
#define CX_TRACK_FLUSH_ROWS 10000

/* Configuration of one tracked table, as cached by this backend. */
typedef struct TrackConfig
{
	MemoryContext cxt;			/* holds this struct and everything it points to */
	bool		valid;
	char	   *relname;		/* schema-qualified name for the log */
	/* service-standard tracking */
	bool		has_standard;
	AttrNumber	att_started;
	AttrNumber	att_finished;
	AttrNumber	att_status;
	AttrNumber	att_due;
	AttrNumber	att_key;
	AttrNumber	att_last;		/* the last of started, finished, status, due */
	bool		status_enum;
	Datum		status_datum[CXTR_NSTATUS];	/* text or enum OID per status */
	Datum		standard;		/* cx.standard value */
	char	   *standard_text;
	char	   *calendar;		/* calendar name */
	int			calendar_len;
	double		at_risk;
	FmgrInfo	key_out;
	int			natts;			/* size of values / nulls */
	Datum	   *values;			/* a row's columns, filled by the row trigger */
	bool	   *nulls;
	/* low-score tracking */
	bool		has_scores;
	AttrNumber	att_answer;
	Oid			answer_type;
	AttrNumber	att_at;
	AttrNumber	att_skey;
	double		threshold;
	double		scale_lo;
	double		scale_hi;
	FmgrInfo	skey_out;
} TrackConfig;

/* Hash entry: a table's current configuration and its statement counters. */
typedef struct TrackEntry
{
	Oid			relid;			/* hash key */
	TrackConfig *cfg;
	int64		notified;		/* notifications sent in this statement */
	int64		suppressed;		/* events beyond CX_TRACK_NOTIFY_MAX */
	int64		suppressed_from;	/* their first and last log ids */
	int64		suppressed_to;
} TrackEntry;

/* One buffered breach-log row. */
typedef struct LogEntry
{
	SubTransactionId subid;
	Oid			relid;
	int64		id;				/* assigned when written */
	const char *tbl;
	char	   *key;
	const char *standard;
	Datum		standard_datum;	/* cx.standard value (config memory) */
	TimestampTz started;
	TimestampTz due;
	TimestampTz finished;
	bool		started_null;
	bool		due_null;
	bool		finished_null;
	int8		old_status;
	int8		new_status;
	bool		score_null;
	double		score;
	TimestampTz logged_at;
} LogEntry;

static HTAB *track_cache = NULL;
static TrackEntry *track_last = NULL;	/* the entry found last */
static Oid	track_config_relids[2] = {InvalidOid, InvalidOid};
static bool track_callbacks_registered = false;
static bool track_counters_dirty = false;

static MemoryContext log_cxt = NULL;
static LogEntry *log_buf = NULL;
static int	log_len = 0;
static int	log_cap = 0;
/* the SPI INSERT into the log, without and with the relid column of 0.2.0 */
static SPIPlanPtr log_plan[2] = {NULL, NULL};

static cxtr_status track_status_of(TrackConfig *cfg, Datum d, bool isnull);

PG_FUNCTION_INFO_V1(cx_track_trigger);
PG_FUNCTION_INFO_V1(cx_track_scores_trigger);
PG_FUNCTION_INFO_V1(cx_track_flush);
PG_FUNCTION_INFO_V1(cx_track_config_changed);
PG_FUNCTION_INFO_V1(cx_track_at_risk_time);
PG_FUNCTION_INFO_V1(cx_track_status_at);
PG_FUNCTION_INFO_V1(cx_track_cohort_verdict);
PG_FUNCTION_INFO_V1(cx_track_sweep);
PG_FUNCTION_INFO_V1(cx_track_backfill);
PG_FUNCTION_INFO_V1(cx_registry_add);
PG_FUNCTION_INFO_V1(cx_registry_add_scores);
PG_FUNCTION_INFO_V1(cx_registry_remove);

/* Mark cached configurations stale when a tracked table or the registry changes. */
static void
track_relcache_callback(Datum arg pg_attribute_unused(), Oid relid)
{
	HASH_SEQ_STATUS seq;
	TrackEntry *e;

	if (track_cache == NULL)
		return;
	if (relid == InvalidOid || relid == track_config_relids[0] ||
		relid == track_config_relids[1])
	{
		hash_seq_init(&seq, track_cache);
		while ((e = (TrackEntry *) hash_seq_search(&seq)) != NULL)
			if (e->cfg)
				e->cfg->valid = false;
		return;
	}
	e = (TrackEntry *) hash_search(track_cache, &relid, HASH_FIND, NULL);
	if (e && e->cfg)
		e->cfg->valid = false;
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

/* Drop buffered log entries. */
static void
track_log_clear(void)
{
	log_len = 0;
	log_cap = 0;
	log_buf = NULL;
	if (log_cxt)
		MemoryContextReset(log_cxt);
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
			if (log_len > 0)
				ereport(ERROR,
						(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
						 errmsg("%d breach log entries were not written", log_len),
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
	if (event != SUBXACT_EVENT_ABORT_SUB)
		return;
	while (log_len > 0 && log_buf[log_len - 1].subid >= mySubid)
		log_len--;
}

/* Create the cache and register the callbacks, once per backend. */
static void
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
	if (log_cxt == NULL)
		log_cxt = AllocSetContextCreate(TopMemoryContext, "cx_track log buffer",
										ALLOCSET_DEFAULT_SIZES);
	memset(&ctl, 0, sizeof(ctl));
	ctl.keysize = sizeof(Oid);
	ctl.entrysize = sizeof(TrackEntry);
	ctl.hcxt = CacheMemoryContext;
	track_cache = hash_create("cx_track config", 32, &ctl,
							  HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
}

/* Complain that a registered column no longer fits. */
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
	return InvalidAttrNumber;	/* keep compiler quiet */
}

/* A text column of an SPI result row, copied into the current context. */
static char *
spi_text(HeapTuple tup, TupleDesc td, int col)
{
	char	   *s = SPI_getvalue(tup, td, col);

	return s ? pstrdup(s) : NULL;
}

/* The output function of a key column, for the log's text key. */
static void
track_key_output(Relation rel, AttrNumber attnum, FmgrInfo *out, MemoryContext cxt)
{
	Oid			outfn;
	bool		varlena;

	getTypeOutputInfo(TupleDescAttr(RelationGetDescr(rel), attnum - 1)->atttypid, &outfn, &varlena);
	fmgr_info_cxt(outfn, out, cxt);
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
				level;

	/* under the caller's context until complete, so an error frees it */
	cxt = AllocSetContextCreate(CurrentMemoryContext, "cx_track table config",
								ALLOCSET_SMALL_SIZES);
	cfg = MemoryContextAllocZero(cxt, sizeof(TrackConfig));
	cfg->cxt = cxt;
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

	ret = SPI_execute_with_args("SELECT t.standard, t.standard::pg_catalog.text, "
								"t.started::pg_catalog.text, t.finished::pg_catalog.text, "
								"t.status::pg_catalog.text, t.due::pg_catalog.text, "
								"t.key::pg_catalog.text, t.calendar, t.at_risk, "
								"pg_catalog.format('%I.%I', n.nspname, c.relname) "
								"FROM cx.tracked t "
								"JOIN pg_catalog.pg_class c ON c.oid OPERATOR(pg_catalog.=) t.tbl "
								"JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.relnamespace "
								"WHERE t.tbl OPERATOR(pg_catalog.=) $1",
								1, argtypes, args, NULL, true, 1);
	if (ret != SPI_OK_SELECT)
		elog(ERROR, "reading cx.tracked failed: %d", ret);
	if (SPI_processed == 1)
	{
		HeapTuple	tup = SPI_tuptable->vals[0];
		TupleDesc	td = SPI_tuptable->tupdesc;
		int16		typlen;
		bool		typbyval;
		Oid			status_type;
		char	   *status_col;
		int			i;

		old = MemoryContextSwitchTo(cxt);
		cfg->has_standard = true;
		get_typlenbyval(SPI_gettypeid(td, 1), &typlen, &typbyval);
		cfg->standard = datumCopy(SPI_getbinval(tup, td, 1, &isnull), typbyval, typlen);
		cfg->standard_text = spi_text(tup, td, 2);
		cfg->att_started = track_attnum(rel, SPI_getvalue(tup, td, 3), TIMESTAMPTZOID);
		cfg->att_finished = track_attnum(rel, SPI_getvalue(tup, td, 4), TIMESTAMPTZOID);
		status_col = SPI_getvalue(tup, td, 5);
		cfg->att_status = track_attnum(rel, status_col, InvalidOid);
		cfg->att_due = track_attnum(rel, SPI_getvalue(tup, td, 6), TIMESTAMPTZOID);
		cfg->att_key = track_attnum(rel, SPI_getvalue(tup, td, 7), InvalidOid);
		cfg->att_last = Max(Max(cfg->att_started, cfg->att_finished), Max(cfg->att_status, cfg->att_due));
		cfg->calendar = SPI_getvalue(tup, td, 8);
		cfg->calendar_len = strlen(cfg->calendar);
		cfg->at_risk = DatumGetFloat8(SPI_getbinval(tup, td, 9, &isnull));
		cfg->relname = spi_text(tup, td, 10);
		cfg->natts = RelationGetDescr(rel)->natts;
		cfg->values = palloc(cfg->natts * sizeof(Datum));
		cfg->nulls = palloc(cfg->natts * sizeof(bool));

		status_type = TupleDescAttr(RelationGetDescr(rel), cfg->att_status - 1)->atttypid;
		cfg->status_enum = type_is_enum(status_type);
		if (!cfg->status_enum && status_type != TEXTOID && status_type != VARCHAROID)
			track_bad_column(rel, status_col, "has the wrong type");
		if (status_type == VARCHAROID &&
			TupleDescAttr(RelationGetDescr(rel), cfg->att_status - 1)->atttypmod >= 0 &&
			TupleDescAttr(RelationGetDescr(rel), cfg->att_status - 1)->atttypmod - VARHDRSZ < 8)
			track_bad_column(rel, status_col, "is too short for the statuses");
		for (i = 1; i < CXTR_NSTATUS; i++)
		{
			const char *name = cxtr_status_name((cxtr_status) i);

			if (i == CXTR_LOW_SCORE)
				continue;
			if (cfg->status_enum)
				cfg->status_datum[i] = DirectFunctionCall2(enum_in, CStringGetDatum(name),
														   ObjectIdGetDatum(status_type));
			else
				cfg->status_datum[i] = CStringGetTextDatum(name);
		}
		track_key_output(rel, cfg->att_key, &cfg->key_out, cxt);
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
		track_key_output(rel, cfg->att_skey, &cfg->skey_out, cxt);
		if (cfg->relname == NULL)
			cfg->relname = spi_text(tup, td, 7);
		MemoryContextSwitchTo(old);
	}
	cx_unpin_search_path(level);
	SPI_finish();
	MemoryContextSetParent(cxt, CacheMemoryContext);
	cfg->valid = true;
	return cfg;
}

/* The current configuration of a table, loading it when missing or stale. */
static TrackEntry *
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

/* Check that the flush statement trigger is present and enabled. */
static void
track_check_flush_trigger(Relation rel)
{
	TriggerDesc *td = rel->trigdesc;
	int			i;

	if (td != NULL && td->trig_insert_after_statement && td->trig_update_after_statement)
	{
		for (i = 0; i < td->numtriggers; i++)
		{
			Trigger    *t = &td->triggers[i];

			if (strcmp(t->tgname, "cx_track_flush") == 0 &&
				t->tgenabled != TRIGGER_DISABLED)
				return;
		}
	}
	ereport(ERROR,
			(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
			 errmsg("table \"%s\" has no enabled cx_track_flush trigger",
					RelationGetRelationName(rel)),
			 errdetail("Breach log entries are written by that statement trigger."),
			 errhint("Run cx.untrack and cx.track on the table again.")));
}

/* Append one entry to the log buffer. */
static LogEntry *
track_log_append(void)
{
	LogEntry   *le;

	if (log_len == log_cap)
	{
		MemoryContext old = MemoryContextSwitchTo(log_cxt);

		if (log_buf == NULL)
		{
			log_cap = 256;
			log_buf = palloc(log_cap * sizeof(LogEntry));
		}
		else
		{
			log_cap *= 2;
			log_buf = repalloc(log_buf, log_cap * sizeof(LogEntry));
		}
		MemoryContextSwitchTo(old);
	}
	le = &log_buf[log_len++];
	memset(le, 0, sizeof(LogEntry));
	le->subid = GetCurrentSubTransactionId();
	le->logged_at = GetCurrentStatementStartTimestamp();
	le->started_null = le->due_null = le->finished_null = le->score_null = true;
	return le;
}

/* A one-dimensional array from n datums (with nulls) of a type. */
static Datum
track_array(Datum *d, bool *nulls, int n, Oid elemtype)
{
	int16		typlen;
	bool		typbyval;
	char		typalign;
	int			dims[1] = {n};
	int			lbs[1] = {1};

	get_typlenbyvalalign(elemtype, &typlen, &typbyval, &typalign);
	return PointerGetDatum(construct_md_array(d, nulls, 1, dims, lbs, elemtype,
											  typlen, typbyval, typalign));
}

/* Columns of the log the SQL path writes, as arrays. */
#define CX_LOG_SPI_ARGS 12

/*
 * The INSERT of the log's rows from one array per column ($1 .. $12 in the
 * order of the log's columns); with_relid: into the relid column of 0.2.0
 * too.
 */
static char *
track_log_insert_sql(bool with_relid)
{
	static const char *const cols[CX_LOG_SPI_ARGS] = {"id", "tbl", "key", "standard", "started",
	"due", "finished", "old_status", "new_status", "score", "logged_at", "relid"};
	int			ncols = with_relid ? CX_LOG_SPI_ARGS : CX_LOG_SPI_ARGS - 1;
	StringInfoData q;
	int			c;

	initStringInfo(&q);
	appendStringInfoString(&q, "INSERT INTO cx.breach_log (");
	for (c = 0; c < ncols; c++)
		appendStringInfo(&q, "%s%s", c ? ", " : "", cols[c]);
	appendStringInfoString(&q, ") SELECT ");
	for (c = 0; c < ncols; c++)
		appendStringInfo(&q, "%su.%s%s", c ? ", " : "", cols[c], c == 3 ? "::cx.standard" : "");
	appendStringInfoString(&q, " FROM ROWS FROM (");
	for (c = 0; c < CX_LOG_SPI_ARGS; c++)
		appendStringInfo(&q, "%spg_catalog.unnest($%d)", c ? ", " : "", c + 1);
	appendStringInfoString(&q, ") AS u(");
	for (c = 0; c < CX_LOG_SPI_ARGS; c++)
		appendStringInfo(&q, "%s%s", c ? ", " : "", cols[c]);
	appendStringInfoChar(&q, ')');
	return q.data;
}

/*
 * Write the buffered entries into cx.breach_log with one SPI INSERT
 * (with_relid: the log has the relid column, as it has since 0.2.0).
 */
static void
track_log_flush_spi(bool with_relid)
{
	int			n = log_len,
				i,
				c,
				ret,
				level;
	Datum	   *vals[CX_LOG_SPI_ARGS];
	bool	   *nulls[CX_LOG_SPI_ARGS];
	Datum		args[CX_LOG_SPI_ARGS];
	static const Oid elemtypes[CX_LOG_SPI_ARGS] = {INT8OID, TEXTOID, TEXTOID, TEXTOID,
		TIMESTAMPTZOID, TIMESTAMPTZOID, TIMESTAMPTZOID, TEXTOID, TEXTOID, FLOAT8OID,
	TIMESTAMPTZOID, OIDOID};
	Oid			save_userid;
	int			save_sec;
	Oid			owner;
	HeapTuple	ctup;
	Oid			logrel;
	MemoryContext old,
				tmp;

	if (n == 0)
		return;
	tmp = AllocSetContextCreate(CurrentMemoryContext, "cx_track flush", ALLOCSET_DEFAULT_SIZES);
	old = MemoryContextSwitchTo(tmp);
	for (c = 0; c < CX_LOG_SPI_ARGS; c++)
	{
		vals[c] = palloc(n * sizeof(Datum));
		nulls[c] = palloc0(n * sizeof(bool));
	}
	for (i = 0; i < n; i++)
	{
		LogEntry   *le = &log_buf[i];
		const char *os = cxtr_status_name((cxtr_status) le->old_status);

		vals[0][i] = Int64GetDatum(le->id);
		vals[1][i] = CStringGetTextDatum(le->tbl);
		if (le->key)
			vals[2][i] = CStringGetTextDatum(le->key);
		else
			nulls[2][i] = true;
		if (le->standard)
			vals[3][i] = CStringGetTextDatum(le->standard);
		else
			nulls[3][i] = true;
		vals[4][i] = TimestampTzGetDatum(le->started);
		nulls[4][i] = le->started_null;
		vals[5][i] = TimestampTzGetDatum(le->due);
		nulls[5][i] = le->due_null;
		vals[6][i] = TimestampTzGetDatum(le->finished);
		nulls[6][i] = le->finished_null;
		if (os)
			vals[7][i] = CStringGetTextDatum(os);
		else
			nulls[7][i] = true;
		vals[8][i] = CStringGetTextDatum(cxtr_status_name((cxtr_status) le->new_status));
		vals[9][i] = Float8GetDatum(le->score);
		nulls[9][i] = le->score_null;
		vals[10][i] = TimestampTzGetDatum(le->logged_at);
		vals[11][i] = ObjectIdGetDatum(le->relid);
	}
	for (c = 0; c < CX_LOG_SPI_ARGS; c++)
		args[c] = track_array(vals[c], nulls[c], n, elemtypes[c]);

	/* the log belongs to the extension: write it as its owner */
	logrel = get_relname_relid("breach_log", get_namespace_oid("cx", false));
	ctup = SearchSysCache1(RELOID, ObjectIdGetDatum(logrel));
	if (!HeapTupleIsValid(ctup))
		elog(ERROR, "cache lookup failed for relation %u", logrel);
	owner = ((Form_pg_class) GETSTRUCT(ctup))->relowner;
	ReleaseSysCache(ctup);
	GetUserIdAndSecContext(&save_userid, &save_sec);
	SetUserIdAndSecContext(owner, save_sec | SECURITY_LOCAL_USERID_CHANGE |
						   SECURITY_RESTRICTED_OPERATION);

	if ((ret = SPI_connect()) != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed: %d", ret);
	level = cx_pin_search_path();
	if (log_plan[with_relid] == NULL)
	{
		Oid			argtypes[CX_LOG_SPI_ARGS];
		SPIPlanPtr	plan;

		for (c = 0; c < CX_LOG_SPI_ARGS; c++)
			argtypes[c] = get_array_type(elemtypes[c]);
		plan = SPI_prepare(track_log_insert_sql(with_relid), CX_LOG_SPI_ARGS, argtypes);
		if (plan == NULL)
			elog(ERROR, "SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
		if (SPI_keepplan(plan) != 0)
			elog(ERROR, "SPI_keepplan failed");
		log_plan[with_relid] = plan;
	}
	ret = SPI_execute_plan(log_plan[with_relid], args, NULL, false, 0);
	if (ret != SPI_OK_INSERT)
		elog(ERROR, "writing cx.breach_log failed: %s", SPI_result_code_string(ret));
	cx_unpin_search_path(level);
	SPI_finish();
	SetUserIdAndSecContext(save_userid, save_sec);

	MemoryContextSwitchTo(old);
	MemoryContextDelete(tmp);
}

#define CX_LOG_NATTS 12
#define CX_LOG_BATCH 1000

/* Whether the log has the relid column of 0.2.0 (before its update script ran, not). */
static bool
track_log_has_relid(Relation rel)
{
	TupleDesc	td = RelationGetDescr(rel);

	return td->natts >= CX_LOG_NATTS &&
		!TupleDescAttr(td, CX_LOG_NATTS - 1)->attisdropped &&
		strcmp(NameStr(TupleDescAttr(td, CX_LOG_NATTS - 1)->attname), "relid") == 0;
}

/*
 * Whether cx.breach_log can be written directly: it still has the columns
 * of the extension with their types (and no type modifier), no triggers,
 * no rules, no forced row-level security (its owner, whom the extension
 * writes as, bypasses the policies), no check constraints, and only
 * immediately checked indexes on plain columns, so that no code runs.
 * Otherwise rows go through SQL.
 * (NOT NULL constraints are checked by the direct writer as an INSERT
 * would check them.)
 */
static bool
track_log_direct_ok(Relation rel)
{
	static const char *const names[CX_LOG_NATTS] = {"id", "tbl", "key", "standard", "started",
	"due", "finished", "old_status", "new_status", "score", "logged_at", "relid"};
	Oid			types[CX_LOG_NATTS] = {INT8OID, TEXTOID, TEXTOID, InvalidOid, TIMESTAMPTZOID,
		TIMESTAMPTZOID, TIMESTAMPTZOID, TEXTOID, TEXTOID, FLOAT8OID, TIMESTAMPTZOID, REGCLASSOID};
	TupleDesc	td = RelationGetDescr(rel);
	List	   *indexes;
	ListCell   *lc;
	bool		ok = true;
	int			i;

	if (!track_log_has_relid(rel) || td->natts != CX_LOG_NATTS || rel->trigdesc != NULL ||
		rel->rd_rules != NULL || rel->rd_rel->relforcerowsecurity ||
		(td->constr && td->constr->has_generated_stored))
		return false;
	types[3] = GetSysCacheOid2(TYPENAMENSP, Anum_pg_type_oid, CStringGetDatum("standard"),
							   ObjectIdGetDatum(RelationGetNamespace(rel)));
	for (i = 0; i < CX_LOG_NATTS; i++)
		if (TupleDescAttr(td, i)->attisdropped ||
			strcmp(NameStr(TupleDescAttr(td, i)->attname), names[i]) != 0 ||
			TupleDescAttr(td, i)->atttypid != types[i] || TupleDescAttr(td, i)->atttypmod != -1)
			return false;
	if (td->constr && td->constr->num_check > 0)
		return false;
	indexes = RelationGetIndexList(rel);
	foreach(lc, indexes)
	{
		HeapTuple	itup = SearchSysCache1(INDEXRELID, ObjectIdGetDatum(lfirst_oid(lc)));

		if (!HeapTupleIsValid(itup))
			elog(ERROR, "cache lookup failed for index %u", lfirst_oid(lc));
		if (!((Form_pg_index) GETSTRUCT(itup))->indimmediate ||
			!heap_attisnull(itup, Anum_pg_index_indexprs, NULL) ||
			!heap_attisnull(itup, Anum_pg_index_indpred, NULL))
			ok = false;
		ReleaseSysCache(itup);
	}
	list_free(indexes);
	return ok;
}

/*
 * Refuse a log row with NULL in a column that has a NOT NULL constraint, as
 * an INSERT would (the same error; the row is not shown).
 */
static void
track_log_check_not_null(Relation rel, const bool *nulls)
{
	TupleDesc	td = RelationGetDescr(rel);
	int			i;

	for (i = 0; i < td->natts; i++)
		if (nulls[i] && TupleDescAttr(td, i)->attnotnull)
			ereport(ERROR,
					(errcode(ERRCODE_NOT_NULL_VIOLATION),
					 errmsg("null value in column \"%s\" of relation \"%s\" violates not-null constraint",
							NameStr(TupleDescAttr(td, i)->attname), RelationGetRelationName(rel)),
					 errtablecol(rel, i + 1)));
}

/*
 * Announce a written log entry by its id (NOTIFY cx_breach), or count it
 * into the statement's summary of its table once past the limit.  The
 * payload names the table and the log row, nothing of the row itself: a
 * listener reads the row from cx.breach_log, which shows it only to roles
 * that may read the table.
 */
static void
track_notify(const LogEntry *le)
{
	TrackEntry *e = (TrackEntry *) hash_search(track_cache, &le->relid, HASH_FIND, NULL);
	StringInfoData buf;

	track_counters_dirty = true;
	if (e != NULL && e->notified >= CX_TRACK_NOTIFY_MAX)
	{
		if (e->suppressed++ == 0)
			e->suppressed_from = le->id;
		e->suppressed_to = le->id;
		return;
	}
	if (e != NULL)
		e->notified++;
	initStringInfo(&buf);
	appendStringInfoString(&buf, "{\"table\":");
	escape_json(&buf, le->tbl);
	appendStringInfo(&buf, ",\"id\":" INT64_FORMAT "}", le->id);
	Async_Notify("cx_breach", buf.data);
	pfree(buf.data);
}

/*
 * Write the buffered entries straight into cx.breach_log (multi-insert into
 * the heap, then its indexes), as COPY does; fall back to SQL when the log
 * table was customized.  Then announce each entry.
 */
static void
track_log_flush(void)
{
	Oid			logrel,
				seqrel;
	Relation	rel;
	EState	   *estate;
	ResultRelInfo *rri;
	TupleTableSlot **slots;
	MemoryContext old,
				tmp;
	CommandId	cid;
	int			i,
				j,
				n;

	if (log_len == 0)
		return;
	logrel = get_relname_relid("breach_log", get_namespace_oid("cx", false));
	if (!OidIsValid(logrel))
		elog(ERROR, "relation cx.breach_log does not exist");
	seqrel = get_relname_relid("breach_log_id_seq", get_namespace_oid("cx", false));
	if (!OidIsValid(seqrel))
		elog(ERROR, "sequence cx.breach_log_id_seq does not exist");
	for (i = 0; i < log_len; i++)
		log_buf[i].id = nextval_internal(seqrel, false);
	rel = table_open(logrel, RowExclusiveLock);
	if (!track_log_direct_ok(rel))
	{
		bool		with_relid = track_log_has_relid(rel);

		table_close(rel, RowExclusiveLock);
		elog(DEBUG1, "cx_metrics: %d breach log rows written through SPI", log_len);
		track_log_flush_spi(with_relid);
	}
	else
	{
		tmp = AllocSetContextCreate(CurrentMemoryContext, "cx_track flush", ALLOCSET_DEFAULT_SIZES);
		old = MemoryContextSwitchTo(tmp);
		estate = CreateExecutorState();
		rri = makeNode(ResultRelInfo);
		InitResultRelInfo(rri, rel, 1, NULL, 0);
		ExecOpenIndices(rri, false);
		cid = GetCurrentCommandId(true);
		slots = palloc(CX_LOG_BATCH * sizeof(TupleTableSlot *));
		for (j = 0; j < CX_LOG_BATCH; j++)
			slots[j] = MakeSingleTupleTableSlot(RelationGetDescr(rel), table_slot_callbacks(rel));

		for (i = 0; i < log_len; i += n)
		{
			n = Min(CX_LOG_BATCH, log_len - i);
			for (j = 0; j < n; j++)
			{
				LogEntry   *le = &log_buf[i + j];
				TupleTableSlot *slot = slots[j];
				Datum	   *v = slot->tts_values;
				bool	   *nl = slot->tts_isnull;
				const char *os = cxtr_status_name((cxtr_status) le->old_status);

				ExecClearTuple(slot);
				memset(nl, 0, CX_LOG_NATTS * sizeof(bool));
				v[0] = Int64GetDatum(le->id);
				v[1] = CStringGetTextDatum(le->tbl);
				if (le->key)
					v[2] = CStringGetTextDatum(le->key);
				else
					nl[2] = true;
				v[3] = le->standard_datum;
				nl[3] = le->standard == NULL;
				v[4] = TimestampTzGetDatum(le->started);
				nl[4] = le->started_null;
				v[5] = TimestampTzGetDatum(le->due);
				nl[5] = le->due_null;
				v[6] = TimestampTzGetDatum(le->finished);
				nl[6] = le->finished_null;
				if (os)
					v[7] = CStringGetTextDatum(os);
				else
					nl[7] = true;
				v[8] = CStringGetTextDatum(cxtr_status_name((cxtr_status) le->new_status));
				v[9] = Float8GetDatum(le->score);
				nl[9] = le->score_null;
				v[10] = TimestampTzGetDatum(le->logged_at);
				v[11] = ObjectIdGetDatum(le->relid);
				ExecStoreVirtualTuple(slot);
				/* NOT NULL constraints someone added, as an INSERT checks them */
				if (rel->rd_att->constr && rel->rd_att->constr->has_not_null)
					track_log_check_not_null(rel, nl);
			}
			table_multi_insert(rel, slots, n, cid, 0, NULL);
			for (j = 0; j < n; j++)
			{
				if (rri->ri_NumIndices > 0)
					CX_INSERT_INDEX_TUPLES(rri, slots[j], estate);
				ResetPerTupleExprContext(estate);
			}
			MemoryContextSwitchTo(tmp);
		}
		elog(DEBUG1, "cx_metrics: %d breach log rows written directly", log_len);
		for (j = 0; j < CX_LOG_BATCH; j++)
			ExecDropSingleTupleTableSlot(slots[j]);
		ExecCloseIndices(rri);
		FreeExecutorState(estate);
		table_close(rel, NoLock);
		MemoryContextSwitchTo(old);
		MemoryContextDelete(tmp);
	}
	for (i = 0; i < log_len; i++)
		track_notify(&log_buf[i]);
	track_log_clear();
}

/* The text of a key value, or NULL. */
static char *
track_key_text(HeapTuple tup, TupleDesc td, AttrNumber att, FmgrInfo *out)
{
	bool		isnull;
	Datum		d = heap_getattr(tup, att, td, &isnull);
	char	   *s;
	MemoryContext old;

	if (isnull)
		return NULL;
	s = OutputFunctionCall(out, d);
	old = MemoryContextSwitchTo(log_cxt);
	s = pstrdup(s);
	MemoryContextSwitchTo(old);
	return s;
}

/* The status stored in a tuple's status column. */
static cxtr_status
track_stored_status(TrackConfig *cfg, HeapTuple tup, TupleDesc td)
{
	bool		isnull;
	Datum		d = heap_getattr(tup, cfg->att_status, td, &isnull);

	return track_status_of(cfg, d, isnull);
}

/* The status a status column's value stands for. */
static cxtr_status
track_status_of(TrackConfig *cfg, Datum d, bool isnull)
{
	int			i;

	if (isnull)
		return CXTR_NONE;
	if (cfg->status_enum)
	{
		for (i = 1; i < CXTR_LOW_SCORE; i++)
			if (DatumGetObjectId(d) == DatumGetObjectId(cfg->status_datum[i]))
				return (cxtr_status) i;
		return CXTR_NONE;
	}
	else
	{
		text	   *t = DatumGetTextPP(d);

		return cxtr_status_parse(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
	}
}

/* Check how a trigger function was called. */
static TriggerData *
track_trigger_data(FunctionCallInfo fcinfo, const char *fname, bool row)
{
	TriggerData *td;

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("%s must be called as a trigger", fname),
				 errhint("Attach it with cx.track or cx.track_scores.")));
	td = (TriggerData *) fcinfo->context;
	if (row && !(TRIGGER_FIRED_BEFORE(td->tg_event) && TRIGGER_FIRED_FOR_ROW(td->tg_event) &&
				 (TRIGGER_FIRED_BY_INSERT(td->tg_event) || TRIGGER_FIRED_BY_UPDATE(td->tg_event))))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("%s must be fired before insert or update for each row", fname),
				 errhint("Attach it with cx.track or cx.track_scores.")));
	if (!row && !(TRIGGER_FIRED_AFTER(td->tg_event) && TRIGGER_FIRED_FOR_STATEMENT(td->tg_event)))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("%s must be fired after each statement", fname),
				 errhint("Attach it with cx.track or cx.track_scores.")));
	return td;
}

/*
 * The instant a statement judges its rows at: the clock when its first
 * tracked row is written (once per statement and transaction).  It is never
 * before the writing transaction's start as other backends see it, which is
 * what lets cx.sweep move its window forward (see cx_track_sweep_horizon).
 */
static TimestampTz
track_eval_time(void)
{
	static LocalTransactionId lxid = InvalidLocalTransactionId;
	static TimestampTz stmt = 0;
	static TimestampTz at = 0;
	TimestampTz cur = GetCurrentStatementStartTimestamp();

	if (CX_MY_LXID() != lxid || cur != stmt)
	{
		lxid = CX_MY_LXID();
		stmt = cur;
		at = Max(GetCurrentTimestamp(), cur);
	}
	return at;
}

/* The columns of a row the tracking trigger reads, and where two are stored. */
typedef struct TrackRow
{
	Datum		started;
	Datum		finished;
	Datum		status;
	Datum		due;
	bool		started_null;
	bool		finished_null;
	bool		status_null;
	bool		due_null;
	char	   *status_at;		/* the stored status, NULL when null */
	char	   *due_at;			/* the stored due time, NULL when null */
} TrackRow;

/*
 * Read the started, finished, status and due columns of a row in one pass
 * over its columns (up to the last of the four), as heap_deform_tuple does,
 * noting where the status and due are stored.
 */
static void
track_read_row(TrackConfig *cfg, HeapTuple tup, TupleDesc td, TrackRow *r)
{
	HeapTupleHeader th = tup->t_data;
	char	   *tp = (char *) th + th->t_hoff;
	bool		hasnulls = HeapTupleHasNulls(tup);
	int			tnatts = HeapTupleHeaderGetNatts(th);
	uint32		off = 0;
	int			i;

	memset(r, 0, sizeof(*r));	/* the loop sets all four; this keeps compilers sure */
	for (i = 0; i < cfg->att_last; i++)
	{
		Form_pg_attribute att = TupleDescAttr(td, i);
		Datum		d = (Datum) 0;
		bool		isnull = true;
		char	   *at = NULL;

		if (i >= tnatts)
			d = getmissingattr(td, i + 1, &isnull);		/* added since the row was written */
		else if (!(hasnulls && att_isnull(i, th->t_bits)))
		{
			if (att->attlen == -1)
				off = att_align_pointer(off, att->attalign, -1, tp + off);
			else
				off = att_align_nominal(off, att->attalign);
			at = tp + off;
			d = fetchatt(att, at);
			isnull = false;
			off = att_addlength_pointer(off, att->attlen, at);
		}
		if (i + 1 == cfg->att_started)
			r->started = d, r->started_null = isnull;
		else if (i + 1 == cfg->att_finished)
			r->finished = d, r->finished_null = isnull;
		else if (i + 1 == cfg->att_status)
			r->status = d, r->status_null = isnull, r->status_at = at;
		else if (i + 1 == cfg->att_due)
			r->due = d, r->due_null = isnull, r->due_at = at;
	}
}

/*
 * Write the status and due values over the ones the row already holds, when
 * that keeps its layout: both stored and not null (the defaults cx.track
 * gives the columns see to that on insert), and the status of the same
 * stored size (an enum, or text of the same length; the due is a
 * timestamp).  PostgreSQL then stores the row as it is, without the new row
 * the trigger would otherwise form and PostgreSQL's copy of it.  Only a row
 * that its slot owns and has not yet taken apart is written, so nothing
 * else holds its old values; false otherwise, with the row untouched.
 */
static bool
track_write_in_place(TrackConfig *cfg, TupleTableSlot *slot, HeapTuple tup,
					 TrackRow *r, Datum status, TimestampTz due)
{
	if (r->status_at == NULL || r->due_at == NULL || slot == NULL ||
		!(TTS_IS_HEAPTUPLE(slot) || TTS_IS_BUFFERTUPLE(slot)) ||
		!TTS_SHOULDFREE(slot) || slot->tts_nvalid != 0 ||
		((HeapTupleTableSlot *) slot)->tuple != tup)
		return false;
	if (cfg->status_enum)
		*(Oid *) r->status_at = DatumGetObjectId(status);
	else
	{
		char	   *p = r->status_at;
		Size		len = VARSIZE_ANY_EXHDR(DatumGetPointer(status));

		if (VARATT_IS_SHORT(p) ? VARSIZE_SHORT(p) - VARHDRSZ_SHORT != len :
			!VARATT_IS_4B_U(p) || VARSIZE_4B(p) - VARHDRSZ != len)
			return false;
		memcpy(VARDATA_ANY(p), VARDATA_ANY(DatumGetPointer(status)), len);
	}
	memcpy(r->due_at, &due, sizeof(due));
	return true;
}

/*
 * Row trigger of cx.track: compute the due time and the status of the row,
 * store both, and buffer a log entry (and a notification) for an event.
 */
Datum
cx_track_trigger(PG_FUNCTION_ARGS)
{
	TriggerData *trig = track_trigger_data(fcinfo, "cx.track_trigger", true);
	Relation	rel = trig->tg_relation;
	TupleDesc	td = RelationGetDescr(rel);
	bool		is_update = TRIGGER_FIRED_BY_UPDATE(trig->tg_event);
	HeapTuple	tup = is_update ? trig->tg_newtuple : trig->tg_trigtuple;
	TrackEntry *e = track_lookup(rel);
	TrackConfig *cfg = e->cfg;
	TrackRow	row;
	Datum		due = (Datum) 0;
	cxtr_status st = CXTR_NONE,
				cur,
				old_st;
	TimestampTz now = track_eval_time();
	bool		no_start;

	if (!cfg->has_standard)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("table \"%s\" is not tracked", RelationGetRelationName(rel)),
				 errdetail("The trigger cx_track is attached but cx.tracked has no row for the table."),
				 errhint("Run cx.track on the table, or drop the trigger.")));

	/* one pass over the row's columns; the row written in place if it can be */
	if (td->natts != cfg->natts)
		elog(ERROR, "tracked table \"%s\" changed shape", RelationGetRelationName(rel));
	track_read_row(cfg, tup, td, &row);
	/* a row without a finite start has no due time and no status */
	no_start = row.started_null || TIMESTAMP_NOT_FINITE(DatumGetTimestampTz(row.started));
	if (!no_start)
	{
		due = TimestampTzGetDatum(cx_calendar_due_at(DatumGetTimestampTz(row.started),
													 DatumGetStandardP(cfg->standard),
													 cfg->calendar, cfg->calendar_len));
		st = cxtr_status_at(DatumGetTimestampTz(row.started), DatumGetTimestampTz(due),
							row.finished_null, row.finished_null ? 0 : DatumGetTimestampTz(row.finished),
							now, cfg->at_risk);
	}

	/* leave the row alone when both columns already hold the result */
	cur = track_status_of(cfg, row.status, row.status_null);
	if (cur == st && (st != CXTR_NONE || row.status_null) &&
		row.due_null == no_start &&
		(no_start || DatumGetTimestampTz(row.due) == DatumGetTimestampTz(due)))
		;						/* nothing more to do */
	else if (st != CXTR_NONE &&
			 track_write_in_place(cfg, is_update ? trig->tg_newslot : trig->tg_trigslot, tup, &row,
								  cfg->status_datum[st], DatumGetTimestampTz(due)))
		elog(DEBUG1, "cx_metrics: row of \"%s\" written in place", cfg->relname);
	else
	{
		HeapTuple	newtup;

		heap_deform_tuple(tup, td, cfg->values, cfg->nulls);
		cfg->values[cfg->att_status - 1] = st == CXTR_NONE ? (Datum) 0 : cfg->status_datum[st];
		cfg->nulls[cfg->att_status - 1] = st == CXTR_NONE;
		cfg->values[cfg->att_due - 1] = due;
		cfg->nulls[cfg->att_due - 1] = no_start;
		newtup = heap_form_tuple(td, cfg->values, cfg->nulls);
		/* keep the identity of the row, as heap_modify_tuple does */
		newtup->t_data->t_ctid = tup->t_data->t_ctid;
		newtup->t_self = tup->t_self;
		newtup->t_tableOid = tup->t_tableOid;
		tup = newtup;
		elog(DEBUG1, "cx_metrics: row of \"%s\" formed anew", cfg->relname);
	}

	old_st = is_update ? track_stored_status(cfg, trig->tg_trigtuple, td) : CXTR_NONE;
	if (cxtr_is_event(old_st, st))
	{
		LogEntry   *le;

		track_check_flush_trigger(rel);
		if (log_len >= CX_TRACK_FLUSH_ROWS)
			track_log_flush();
		le = track_log_append();
		le->relid = RelationGetRelid(rel);
		le->tbl = cfg->relname;
		/* from the tuple: a flush may have run triggers that reuse cfg->values */
		le->key = track_key_text(tup, td, cfg->att_key, &cfg->key_out);
		le->standard = cfg->standard_text;
		le->standard_datum = cfg->standard;
		le->started = DatumGetTimestampTz(row.started);
		le->started_null = false;
		le->due = DatumGetTimestampTz(due);
		le->due_null = false;
		le->finished = row.finished_null ? 0 : DatumGetTimestampTz(row.finished);
		le->finished_null = row.finished_null;
		le->old_status = (int8) old_st;
		le->new_status = (int8) st;
	}
	return PointerGetDatum(tup);
}

/* A numeric column value as double. */
static double
track_answer(Oid type, Datum d)
{
	switch (type)
	{
		case INT2OID:
			return DatumGetInt16(d);
		case INT4OID:
			return DatumGetInt32(d);
		case INT8OID:
			return (double) DatumGetInt64(d);
		case FLOAT4OID:
			return DatumGetFloat4(d);
		case FLOAT8OID:
			return DatumGetFloat8(d);
		case NUMERICOID:
			return DatumGetFloat8(DirectFunctionCall1(numeric_float8, d));
	}
	elog(ERROR, "unexpected answer type %u", type);
	return 0;
}

/*
 * Row trigger of cx.track_scores: buffer a log entry (and a notification)
 * for an answer at or below the threshold.
 */
Datum
cx_track_scores_trigger(PG_FUNCTION_ARGS)
{
	TriggerData *trig = track_trigger_data(fcinfo, "cx.track_scores_trigger", true);
	Relation	rel = trig->tg_relation;
	TupleDesc	td = RelationGetDescr(rel);
	bool		is_update = TRIGGER_FIRED_BY_UPDATE(trig->tg_event);
	HeapTuple	tup = is_update ? trig->tg_newtuple : trig->tg_trigtuple;
	TrackEntry *e = track_lookup(rel);
	TrackConfig *cfg = e->cfg;
	bool		isnull,
				old_null = true;
	Datum		d;
	double		answer,
				old_answer = 0;

	if (!cfg->has_scores)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("table \"%s\" has no tracked scores", RelationGetRelationName(rel)),
				 errdetail("The trigger cx_track_scores is attached but cx.tracked_scores has no row for the table."),
				 errhint("Run cx.track_scores on the table, or drop the trigger.")));

	d = heap_getattr(tup, cfg->att_answer, td, &isnull);
	if (isnull)
		return PointerGetDatum(tup);
	answer = track_answer(cfg->answer_type, d);
	if (is_update)
	{
		Datum		od = heap_getattr(trig->tg_trigtuple, cfg->att_answer, td, &old_null);

		if (!old_null)
			old_answer = track_answer(cfg->answer_type, od);
	}
	if (cxtr_low_score(is_update, old_null, old_answer, answer, cfg->threshold,
					   cfg->scale_lo, cfg->scale_hi))
	{
		LogEntry   *le;

		track_check_flush_trigger(rel);
		if (log_len >= CX_TRACK_FLUSH_ROWS)
			track_log_flush();
		le = track_log_append();
		le->relid = RelationGetRelid(rel);
		le->tbl = cfg->relname;
		le->key = track_key_text(tup, td, cfg->att_skey, &cfg->skey_out);
		if (cfg->att_at != InvalidAttrNumber)
		{
			d = heap_getattr(tup, cfg->att_at, td, &isnull);
			le->started = isnull ? 0 : DatumGetTimestampTz(d);
			le->started_null = isnull;
		}
		le->old_status = CXTR_NONE;
		le->new_status = CXTR_LOW_SCORE;
		le->score = answer;
		le->score_null = false;
	}
	return PointerGetDatum(tup);
}

/*
 * Statement trigger of tracked tables: write the buffered log entries and
 * announce the table's entries beyond the per-statement limit with one
 * summary (their count and first and last ids).
 */
Datum
cx_track_flush(PG_FUNCTION_ARGS)
{
	TriggerData *trig = track_trigger_data(fcinfo, "cx.track_flush", false);
	Oid			relid = RelationGetRelid(trig->tg_relation);
	TrackEntry *e;

	track_init();
	track_log_flush();
	e = (TrackEntry *) hash_search(track_cache, &relid, HASH_FIND, NULL);
	if (e)
	{
		if (e->suppressed > 0 && e->cfg)
		{
			StringInfoData buf;

			initStringInfo(&buf);
			appendStringInfoString(&buf, "{\"table\":");
			escape_json(&buf, e->cfg->relname);
			appendStringInfo(&buf, ",\"coalesced\":" INT64_FORMAT ",\"from_id\":" INT64_FORMAT
							 ",\"to_id\":" INT64_FORMAT "}",
							 e->suppressed, e->suppressed_from, e->suppressed_to);
			Async_Notify("cx_breach", buf.data);
		}
		e->notified = e->suppressed = 0;
	}
	return PointerGetDatum(NULL);
}

/* Statement trigger of the registry tables: make every backend reload. */
Datum
cx_track_config_changed(PG_FUNCTION_ARGS)
{
	TriggerData *trig = track_trigger_data(fcinfo, "cx.track_config_changed", false);

	CacheInvalidateRelcache(trig->tg_relation);
	return PointerGetDatum(NULL);
}

/* The at-risk instant: fraction of the way from started to due (immutable). */
Datum
cx_track_at_risk_time(PG_FUNCTION_ARGS)
{
	TimestampTz started = PG_GETARG_TIMESTAMPTZ(0);
	TimestampTz due = PG_GETARG_TIMESTAMPTZ(1);
	double		fraction = PG_GETARG_FLOAT8(2);

	if (isnan(fraction) || fraction <= 0 || fraction > 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("at-risk fraction must be greater than 0 and at most 1, not %g", fraction),
				 errhint("Use for example 0.8 to flag rows after 80%% of their allowance.")));
	PG_RETURN_TIMESTAMPTZ(cxtr_at_risk_time(started, due, fraction));
}

/*
 * cx._status_at(started, due, finished, as_of): a row's status at an
 * instant, by the trigger's own rule (track_core.c), as one "char": 'o'
 * on_track, 'b' breached, 'm' met, 'x' missed; a finish after as_of is not
 * yet a finish.  NULL without a finite start or a due.
 */
Datum
cx_track_status_at(PG_FUNCTION_ARGS)
{
	TimestampTz started,
				due,
				finished = 0,
				as_of;
	bool		open;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(3))
		PG_RETURN_NULL();
	started = PG_GETARG_TIMESTAMPTZ(0);
	due = PG_GETARG_TIMESTAMPTZ(1);
	as_of = PG_GETARG_TIMESTAMPTZ(3);
	if (TIMESTAMP_NOT_FINITE(started))
		PG_RETURN_NULL();
	open = PG_ARGISNULL(2);
	if (!open)
	{
		finished = PG_GETARG_TIMESTAMPTZ(2);
		open = finished > as_of;
	}
	switch (cxtr_status_at(started, due, open, finished, as_of, 1.0))
	{
		case CXTR_MET:
			PG_RETURN_CHAR('m');
		case CXTR_MISSED:
			PG_RETURN_CHAR('x');
		case CXTR_BREACHED:
			PG_RETURN_CHAR('b');
		default:
			PG_RETURN_CHAR('o');
	}
}

/*
 * cx._cohort_verdict(rows, met, open, open_breached, standard): the verdict
 * on a cohort against the standard's target (track_core.c).
 */
Datum
cx_track_cohort_verdict(PG_FUNCTION_ARGS)
{
	int64		rows = PG_GETARG_INT64(0),
				met = PG_GETARG_INT64(1),
				open = PG_GETARG_INT64(2),
				breached = PG_GETARG_INT64(3);
	cxstd_standard *std = DatumGetStandardP(PG_GETARG_DATUM(4));

	if (rows < 1 || met < 0 || open < 0 || breached < 0 || breached > open || met > rows - open)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cohort counts do not add up"),
				 errdetail("rows " INT64_FORMAT ", met " INT64_FORMAT ", open " INT64_FORMAT ", open and breached " INT64_FORMAT ".",
						   rows, met, open, breached),
				 errhint("Rows must be at least 1 and hold the met and the open rows; the breached rows are open rows.")));
	PG_RETURN_TEXT_P(cstring_to_text(cxtr_verdict_name(cxtr_cohort_verdict(rows, met, open, breached,
																			  std->target_ppm))));
}

/*
 * The lower bound of the next sweep's window: the start of the oldest
 * transaction of another backend of this database that may write tracked
 * rows (DT_NOEND when there is none); false when that is unknown (activity
 * tracking off).  A transaction not visible to a sweep that reads this
 * first judges its rows no earlier than its start, so rows it leaves stale
 * have flip instants at or after it.
 */
static bool
track_sweep_horizon(TimestampTz *horizon)
{
	TimestampTz oldest = DT_NOEND;
	int			n,
				i;

	if (!pgstat_track_activities)
		return false;
	pgstat_clear_backend_activity_snapshot();
	n = pgstat_fetch_stat_numbackends();
	for (i = 1; i <= n; i++)
	{
		LocalPgBackendStatus *l = CX_LOCAL_BACKEND_STATUS(i);
		PgBackendStatus *be;

		if (l == NULL)
			continue;
		be = &l->backendStatus;
		if (be->st_procpid == MyProcPid || be->st_databaseid != MyDatabaseId)
			continue;
		if (be->st_backendType != B_BACKEND && be->st_backendType != B_BG_WORKER)
			continue;
		if (be->st_xact_start_timestamp != 0 && be->st_xact_start_timestamp < oldest)
			oldest = be->st_xact_start_timestamp;
	}
	/* leave the snapshot of pg_stat_activity as a later query expects it */
	pgstat_clear_backend_activity_snapshot();
	*horizon = oldest;
	return true;
}

/* The owner and persistence of a relation; false when it does not exist. */
static bool
track_rel_owner(Oid relid, Oid *owner, char *persistence)
{
	HeapTuple	ctup = SearchSysCache1(RELOID, ObjectIdGetDatum(relid));

	if (!HeapTupleIsValid(ctup))
		return false;
	*owner = ((Form_pg_class) GETSTRUCT(ctup))->relowner;
	*persistence = ((Form_pg_class) GETSTRUCT(ctup))->relpersistence;
	ReleaseSysCache(ctup);
	return true;
}

/* The owner of the registry cx.tracked (the bootstrap superuser, or whoever installed). */
static Oid
track_registry_owner(void)
{
	Oid			relid = get_relname_relid("tracked", get_namespace_oid("cx", false));
	Oid			owner;
	char		persistence;

	if (!OidIsValid(relid) || !track_rel_owner(relid, &owner, &persistence))
		elog(ERROR, "relation cx.tracked does not exist");
	return owner;
}

/* Options of one query of track_query. */
typedef struct TrackQuery
{
	Oid			role;			/* run as this role (security-restricted), or InvalidOid */
	bool		index_plan;		/* plan the rows' selection through the sweep index */
	int			nargs;
	Oid			types[3];
	Datum		values[3];
	char		nulls[3];		/* ' ' or 'n', as SPI wants */
	int			nout;			/* columns of the first row to return */
	Datum		out[6];
	bool		outnull[6];
} TrackQuery;

/*
 * Run one query under search_path "pg_catalog, pg_temp", as q->role inside
 * a security-restricted operation when given (as VACUUM and REFRESH
 * MATERIALIZED VIEW run a table owner's code), and return the rows it
 * processed, with the first row's first q->nout columns in q->out.  Every
 * setting changed inside, by the query or the code it runs, is undone.  On
 * error the (sub)transaction's abort restores the user and the settings.
 */
static uint64
track_query(TrackQuery *q, const char *sql)
{
	Oid			save_userid;
	int			save_sec,
				level,
				ret,
				i;
	uint64		n;

	GetUserIdAndSecContext(&save_userid, &save_sec);
	if (OidIsValid(q->role))
		SetUserIdAndSecContext(q->role, save_sec | SECURITY_LOCAL_USERID_CHANGE |
							   SECURITY_RESTRICTED_OPERATION);
	level = cx_pin_search_path();
	if (q->index_plan)
	{
		/*
		 * the window is small, through the sweep index in one process, even
		 * before the table is analyzed (the planner's guess may not be)
		 */
		(void) set_config_option("enable_seqscan", "off", PGC_USERSET, PGC_S_SESSION,
								 GUC_ACTION_SAVE, true, 0, false);
		(void) set_config_option("max_parallel_workers_per_gather", "0", PGC_USERSET, PGC_S_SESSION,
								 GUC_ACTION_SAVE, true, 0, false);
		(void) set_config_option("jit", "off", PGC_USERSET, PGC_S_SESSION,
								 GUC_ACTION_SAVE, true, 0, false);
	}
	if ((ret = SPI_connect()) != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed: %d", ret);
	ret = SPI_execute_with_args(sql, q->nargs, q->types, q->values, q->nulls, false, 0);
	if (ret < 0)
		elog(ERROR, "query of cx.sweep failed: %s", SPI_result_code_string(ret));
	n = SPI_processed;
	for (i = 0; i < q->nout; i++)
	{
		q->outnull[i] = true;
		q->out[i] = (Datum) 0;
		if (n > 0 && SPI_tuptable != NULL && i < SPI_tuptable->tupdesc->natts)
		{
			Form_pg_attribute att = TupleDescAttr(SPI_tuptable->tupdesc, i);

			q->out[i] = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, i + 1, &q->outnull[i]);
			if (!q->outnull[i])
				q->out[i] = SPI_datumTransfer(q->out[i], att->attbyval, att->attlen);
		}
	}
	SPI_finish();
	cx_unpin_search_path(level);
	SetUserIdAndSecContext(save_userid, save_sec);
	return n;
}

/* The first column of a query's first row, as the current user (or NULL). */
static Datum
track_query_value(const char *sql, int nargs, const Oid *types, const Datum *values, bool *isnull)
{
	TrackQuery	q = {0};
	int			i;

	q.nargs = nargs;
	for (i = 0; i < nargs; i++)
	{
		q.types[i] = types[i];
		q.values[i] = values[i];
		q.nulls[i] = ' ';
	}
	q.nout = 1;
	(void) track_query(&q, sql);
	*isnull = q.outnull[0];
	return q.out[0];
}

/* The schema-qualified, quoted name of a relation. */
static char *
track_qualified_name(Oid relid)
{
	char	   *nsp = get_namespace_name(get_rel_namespace(relid));
	char	   *rel = get_rel_name(relid);

	if (nsp == NULL || rel == NULL)
		elog(ERROR, "cache lookup failed for relation %u", relid);
	return quote_qualified_identifier(nsp, rel);
}

/*
 * Sweep one table: lock its registry row and read its mark (as the
 * registry's owner), find and flip the rows of its window (as the table's
 * owner), and move the mark (as the registry's owner).  Returns false when
 * the table is no longer tracked.
 */
static bool
track_sweep_table(Oid relid, Oid owner, Oid regowner, bool since_null, TimestampTz since,
				  bool horizon_known, TimestampTz horizon, TimestampTz now_at, int64 *flipped)
{
	TrackQuery	q = {0};
	char	   *started,
			   *finished,
			   *status,
			   *due,
			   *win,
			   *inst,
			   *rel;
	double		at_risk;
	bool		mark_null;
	TimestampTz mark,
				lo,
				first_at = 0;
	bool		first_null = true;
	Datum		cands = (Datum) 0;
	int64		found = 0;
	Datum		cols[4];

	*flipped = 0;
	/* one sweep of a table at a time: another one waits here for the mark */
	q.role = regowner;
	q.nargs = 1;
	q.types[0] = OIDOID;
	q.values[0] = ObjectIdGetDatum(relid);
	q.nulls[0] = ' ';
	q.nout = 6;
	if (track_query(&q, "SELECT t.started::pg_catalog.text, t.finished::pg_catalog.text, "
					"t.status::pg_catalog.text, t.due::pg_catalog.text, t.at_risk, t.swept_to "
					"FROM cx.tracked t WHERE t.tbl OPERATOR(pg_catalog.=) $1 FOR UPDATE") == 0)
		return false;
	started = TextDatumGetCString(q.out[0]);
	finished = TextDatumGetCString(q.out[1]);
	status = TextDatumGetCString(q.out[2]);
	due = TextDatumGetCString(q.out[3]);
	at_risk = DatumGetFloat8(q.out[4]);
	mark_null = q.outnull[5];
	mark = mark_null ? 0 : DatumGetTimestampTz(q.out[5]);
	lo = !since_null ? since : mark_null ? DT_NOBEGIN : mark;

	/* the window's condition and the instant that puts a row into it */
	cols[0] = CStringGetTextDatum(started);
	cols[1] = CStringGetTextDatum(finished);
	cols[2] = CStringGetTextDatum(status);
	cols[3] = CStringGetTextDatum(due);
	memset(&q, 0, sizeof(q));
	q.nargs = 2;
	q.types[0] = TEXTARRAYOID;
	q.values[0] = PointerGetDatum(construct_array(cols, 4, TEXTOID, -1, false, TYPALIGN_INT));
	q.types[1] = FLOAT8OID;
	q.values[1] = Float8GetDatum(at_risk);
	q.nulls[0] = q.nulls[1] = ' ';
	q.nout = 2;
	(void) track_query(&q, "SELECT cx._track_sweep_window($1[1], $1[2], $1[3], $1[4], $2), "
					   "cx._track_sweep_instant($1[1], $1[3], $1[4], $2)");
	win = TextDatumGetCString(q.out[0]);
	inst = TextDatumGetCString(q.out[1]);
	rel = track_qualified_name(relid);

	/*
	 * A window from the beginning (since => '-infinity', or the first sweep)
	 * also judges the rows the trigger never saw (written with the trigger
	 * off): a finite start and the due column's default 'infinity' that
	 * cx.track gave it, or no due at all; no start (or an infinite one) and
	 * a status or a due.  No judged row has either, so the sweep of a table
	 * whose rows were all judged is the same.
	 */
	if (TIMESTAMP_IS_NOBEGIN(lo))
	{
		const char *s = quote_identifier(started),
				   *d = quote_identifier(due),
				   *st = quote_identifier(status);

		win = psprintf("((%1$s) OR (%2$s > '-infinity' AND %2$s < 'infinity' AND (%3$s IS NULL OR %3$s = 'infinity'))"
					   " OR ((%2$s IS NULL OR %2$s = '-infinity' OR %2$s = 'infinity') AND (%4$s IS NOT NULL OR %3$s IS NOT NULL)))",
					   win, s, d, st);
	}

	/* the rows of the window, as the table's owner */
	memset(&q, 0, sizeof(q));
	q.role = owner;
	q.index_plan = true;
	q.nargs = 2;
	q.types[0] = q.types[1] = TIMESTAMPTZOID;
	q.values[0] = TimestampTzGetDatum(lo);
	q.values[1] = TimestampTzGetDatum(now_at);
	q.nulls[0] = q.nulls[1] = ' ';
	q.nout = 3;
	(void) track_query(&q, psprintf("SELECT pg_catalog.array_agg(ctid), pg_catalog.min(%s), pg_catalog.count(*) "
									"FROM %s WHERE %s", inst, rel, win));
	if (!q.outnull[0])
	{
		cands = q.out[0];
		first_null = q.outnull[1];
		first_at = first_null ? 0 : DatumGetTimestampTz(q.out[1]);
		found = DatumGetInt64(q.out[2]);

		/* flip those no other transaction holds (rechecked under the lock) */
		memset(&q, 0, sizeof(q));
		q.role = owner;
		q.nargs = 3;
		q.types[0] = q.types[1] = TIMESTAMPTZOID;
		q.values[0] = TimestampTzGetDatum(lo);
		q.values[1] = TimestampTzGetDatum(now_at);
		q.types[2] = get_array_type(TIDOID);
		q.values[2] = cands;
		q.nulls[0] = q.nulls[1] = q.nulls[2] = ' ';
		*flipped = (int64) track_query(&q, psprintf("UPDATE %1$s SET %2$s = %2$s WHERE ctid OPERATOR(pg_catalog.=) ANY (ARRAY("
													"SELECT ctid FROM %1$s WHERE ctid OPERATOR(pg_catalog.=) ANY ($3) AND %3$s "
													"FOR UPDATE SKIP LOCKED))",
													rel, quote_identifier(status), win));
	}

	/*
	 * A window that started at the mark (or covered everything) moves it:
	 * to the earliest of now, the horizon and, when a row of the window was
	 * skipped, the window's earliest instant.
	 */
	if (horizon_known && (lo == DT_NOBEGIN || (!mark_null && lo <= mark)))
	{
		TimestampTz to = Min(now_at, horizon);

		if (*flipped < found && !first_null)
			to = Min(to, first_at);
		memset(&q, 0, sizeof(q));
		q.role = regowner;
		q.nargs = 2;
		q.types[0] = OIDOID;
		q.values[0] = ObjectIdGetDatum(relid);
		q.types[1] = TIMESTAMPTZOID;
		q.values[1] = TimestampTzGetDatum(to);
		q.nulls[0] = q.nulls[1] = ' ';
		(void) track_query(&q, "UPDATE cx.tracked t SET swept_to = $2 WHERE t.tbl OPERATOR(pg_catalog.=) $1");
	}
	return true;
}

/*
 * Sweep one table in a subtransaction of its own; a failure is reported as
 * a warning and rolled back, and false returned.  A cancel (or a statement
 * timeout) ends the whole sweep.
 */
static bool
track_sweep_one(Oid relid, Oid owner, Oid regowner, bool since_null, TimestampTz since,
				bool horizon_known, TimestampTz horizon, TimestampTz now_at, int64 *flipped)
{
	MemoryContext oldcxt = CurrentMemoryContext;
	ResourceOwner oldowner = CurrentResourceOwner;
	volatile bool ok = false;

	BeginInternalSubTransaction(NULL);
	MemoryContextSwitchTo(oldcxt);
	PG_TRY();
	{
		ok = track_sweep_table(relid, owner, regowner, since_null, since, horizon_known, horizon,
							   now_at, flipped);
		ReleaseCurrentSubTransaction();
		MemoryContextSwitchTo(oldcxt);
		CurrentResourceOwner = oldowner;
	}
	PG_CATCH();
	{
		ErrorData  *edata;

		MemoryContextSwitchTo(oldcxt);
		edata = CopyErrorData();
		FlushErrorState();
		RollbackAndReleaseCurrentSubTransaction();
		MemoryContextSwitchTo(oldcxt);
		CurrentResourceOwner = oldowner;
		if (edata->sqlerrcode == ERRCODE_QUERY_CANCELED ||
			edata->sqlerrcode == ERRCODE_ADMIN_SHUTDOWN)
			ReThrowError(edata);
		ereport(WARNING,
				(errcode(edata->sqlerrcode),
				 errmsg("cx.sweep skipped table \"%s\": %s", get_rel_name(relid), edata->message),
				 edata->detail ? errdetail("%s", edata->detail) : 0,
				 errhint("Nothing of this table was changed; the other tables were swept.  The code of its "
						 "triggers, indexes and policies runs as its owner under search_path \"pg_catalog, "
						 "pg_temp\": qualify the names it uses, or give its functions SET search_path.")));
		FreeErrorData(edata);
		ok = false;
	}
	PG_END_TRY();
	return ok;
}

/*
 * cx.sweep(tbl, since): sweep every tracked table the caller owns (every
 * one, for a superuser), or one, each as its owner in a security-restricted
 * operation and a subtransaction of its own; forget registry rows of tables
 * that no longer exist.  Returns (table, rows flipped) per table swept.
 */
Datum
cx_track_sweep(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	bool		only_null = PG_ARGISNULL(0);
	Oid			only = only_null ? InvalidOid : PG_GETARG_OID(0);
	bool		since_null = PG_ARGISNULL(1);
	TimestampTz since = since_null ? 0 : PG_GETARG_TIMESTAMPTZ(1);
	TimestampTz now_at = GetCurrentStatementStartTimestamp();
	Oid			regowner;
	Oid			argtypes[1] = {OIDOID};
	Datum		arg[1];
	Datum		d;
	bool		isnull;
	ArrayType  *arr;
	Datum	   *relids;
	int			nrel,
				i;

	if (!since_null && (since > now_at || TIMESTAMP_IS_NOEND(since)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("since must not be in the future"),
				 errdetail("since is %s, the statement time %s.",
						   timestamptz_to_str(since), timestamptz_to_str(now_at)),
				 errhint("Use since => '-infinity' to look at every open row.")));
	InitMaterializedSRF(fcinfo, 0);
	regowner = track_registry_owner();

	/* the tracked tables, in OID order */
	arg[0] = ObjectIdGetDatum(only);
	d = track_query_value(only_null ?
						  "SELECT pg_catalog.array_agg(t.tbl::pg_catalog.oid ORDER BY t.tbl::pg_catalog.oid) FROM cx.tracked t" :
						  "SELECT pg_catalog.array_agg(t.tbl::pg_catalog.oid) FROM cx.tracked t "
						  "WHERE t.tbl OPERATOR(pg_catalog.=) $1",
						  only_null ? 0 : 1, argtypes, arg, &isnull);
	if (isnull)
		return (Datum) 0;
	arr = DatumGetArrayTypeP(d);
	deconstruct_array(arr, OIDOID, sizeof(Oid), true, TYPALIGN_INT, &relids, NULL, &nrel);

	for (i = 0; i < nrel; i++)
	{
		Oid			relid = DatumGetObjectId(relids[i]);
		Oid			owner;
		char		persistence;
		bool		horizon_known = false;
		TimestampTz horizon = 0;
		int64		flipped;

		CHECK_FOR_INTERRUPTS();
		if (!track_rel_owner(relid, &owner, &persistence))
		{
			TrackQuery	q = {0};

			/* dropped without the event trigger seeing it */
			ereport(WARNING,
					(errcode(ERRCODE_UNDEFINED_TABLE),
					 errmsg("cx.sweep removed tracked table %u from the registry: it no longer exists", relid)));
			q.role = regowner;
			q.nargs = 1;
			q.types[0] = OIDOID;
			q.values[0] = ObjectIdGetDatum(relid);
			q.nulls[0] = ' ';
			(void) track_query(&q, "DELETE FROM cx.tracked t WHERE t.tbl OPERATOR(pg_catalog.=) $1");
			continue;
		}
		if (!has_privs_of_role(GetUserId(), owner))
		{
			ereport(NOTICE,
					(errmsg("cx.sweep skips table \"%s\": only its owner may sweep it", get_rel_name(relid)),
					 errhint("Schedule cx.sweep as the table's owner or as a superuser.")));
			continue;
		}
		if (persistence == RELPERSISTENCE_TEMP)
		{
			ereport(WARNING,
					(errcode(ERRCODE_WRONG_OBJECT_TYPE),
					 errmsg("cx.sweep skipped table \"%s\": it is a temporary table", get_rel_name(relid)),
					 errhint("Temporary tables cannot be tracked; run cx.untrack on it.")));
			continue;
		}
		if (XactIsoLevel == XACT_READ_COMMITTED)
		{
			d = track_query_value("SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_prepared_xacts p "
								  "WHERE p.database OPERATOR(pg_catalog.=) pg_catalog.current_database())",
								  0, NULL, NULL, &isnull);
			if (!isnull && !DatumGetBool(d))
				horizon_known = track_sweep_horizon(&horizon);
		}
		if (track_sweep_one(relid, owner, regowner, since_null, since, horizon_known, horizon,
							now_at, &flipped))
		{
			Datum		values[2];
			bool		nulls[2] = {false, false};

			values[0] = ObjectIdGetDatum(relid);
			values[1] = Int64GetDatum(flipped);
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		}
	}
	return (Datum) 0;
}

/* Refuse unless the current role has the privileges of a table's owner. */
static Oid
track_require_owner(Oid relid, const char *what)
{
	Oid			owner;
	char		persistence;

	if (!track_rel_owner(relid, &owner, &persistence))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("table with OID %u does not exist", relid)));
	if (!has_privs_of_role(GetUserId(), owner))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("must be owner of table %s to %s", get_rel_name(relid), what),
				 errhint("Ask the table owner to run it.")));
	return owner;
}

/*
 * cx._track_backfill(tbl): compute every row of a newly tracked table, as
 * the table's owner in a security-restricted operation; the caller must
 * have the owner's privileges.  Returns the rows updated.
 */
Datum
cx_track_backfill(PG_FUNCTION_ARGS)
{
	Oid			relid = PG_GETARG_OID(0);
	Oid			owner = track_require_owner(relid, "recompute its rows");
	Oid			argtypes[1] = {OIDOID};
	Datum		arg[1];
	bool		isnull;
	Datum		d;
	const char *status;
	TrackQuery	q = {0};

	arg[0] = ObjectIdGetDatum(relid);
	d = track_query_value("SELECT t.status::pg_catalog.text FROM cx.tracked t WHERE t.tbl OPERATOR(pg_catalog.=) $1",
						  1, argtypes, arg, &isnull);
	if (isnull)
		PG_RETURN_NULL();
	status = quote_identifier(TextDatumGetCString(d));
	q.role = owner;
	PG_RETURN_INT64((int64) track_query(&q, psprintf("UPDATE %s SET %s = %s", track_qualified_name(relid),
													 status, status)));
}

/*
 * Check that a registry row may be written for a table: an ordinary,
 * permanent table that is not a partition, owned by the current role.
 */
static void
track_registry_check(Oid relid)
{
	HeapTuple	ctup = SearchSysCache1(RELOID, ObjectIdGetDatum(relid));
	Form_pg_class c;

	if (!HeapTupleIsValid(ctup))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("table with OID %u does not exist", relid)));
	c = (Form_pg_class) GETSTRUCT(ctup);
	if (c->relkind != RELKIND_RELATION || c->relispartition || c->relpersistence == RELPERSISTENCE_TEMP)
		ereport(ERROR,
				(errcode(ERRCODE_WRONG_OBJECT_TYPE),
				 errmsg("\"%s\" is not an ordinary permanent table", NameStr(c->relname)),
				 errdetail("Only ordinary tables that are not temporary and not partitions can be tracked.")));
	ReleaseSysCache(ctup);
	(void) track_require_owner(relid, "track it");
}

/* Insert a registry row (a row of the given registry table) as the registry's owner. */
static void
track_registry_insert(HeapTupleHeader row, const char *registry, const char *sql)
{
	bool		isnull;
	Datum		tbl = GetAttributeByName(row, "tbl", &isnull);
	TrackQuery	q = {0};

	if (isnull)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("table must not be null")));
	track_registry_check(DatumGetObjectId(tbl));
	q.role = track_registry_owner();
	q.nargs = 1;
	q.types[0] = get_rel_type_id(get_relname_relid(registry, get_namespace_oid("cx", false)));
	q.values[0] = PointerGetDatum(row);
	q.nulls[0] = ' ';
	(void) track_query(&q, sql);
}

/* cx._registry_add(r cx.tracked): register a table the caller owns. */
Datum
cx_registry_add(PG_FUNCTION_ARGS)
{
	track_registry_insert(PG_GETARG_HEAPTUPLEHEADER(0), "tracked",
						  "INSERT INTO cx.tracked (tbl, standard, started, finished, status, due, key, calendar, "
						  "at_risk, due_added, sweep_index, status_default, due_default) "
						  "SELECT (r).tbl, (r).standard, (r).started, (r).finished, (r).status, (r).due, (r).key, "
						  "(r).calendar, (r).at_risk, (r).due_added, (r).sweep_index, (r).status_default, "
						  "(r).due_default FROM (SELECT $1 AS r) s");
	PG_RETURN_VOID();
}

/* cx._registry_add_scores(r cx.tracked_scores): register the scores of a table the caller owns. */
Datum
cx_registry_add_scores(PG_FUNCTION_ARGS)
{
	track_registry_insert(PG_GETARG_HEAPTUPLEHEADER(0), "tracked_scores",
						  "INSERT INTO cx.tracked_scores (tbl, answer, threshold, scale_min, scale_max, key, at) "
						  "SELECT (r).tbl, (r).answer, (r).threshold, (r).scale_min, (r).scale_max, (r).key, (r).at "
						  "FROM (SELECT $1 AS r) s");
	PG_RETURN_VOID();
}

/*
 * cx._registry_remove(tbl, scores): remove a table's row from cx.tracked
 * (or cx.tracked_scores), for the table's owner, or for anyone once the
 * table no longer exists.  Returns whether a row was removed.
 */
Datum
cx_registry_remove(PG_FUNCTION_ARGS)
{
	Oid			relid = PG_GETARG_OID(0);
	bool		scores = PG_GETARG_BOOL(1);
	Oid			owner;
	char		persistence;
	TrackQuery	q = {0};

	if (track_rel_owner(relid, &owner, &persistence))
		(void) track_require_owner(relid, "stop tracking it");
	q.role = track_registry_owner();
	q.nargs = 1;
	q.types[0] = OIDOID;
	q.values[0] = ObjectIdGetDatum(relid);
	q.nulls[0] = ' ';
	PG_RETURN_BOOL(track_query(&q, scores ?
							   "DELETE FROM cx.tracked_scores t WHERE t.tbl OPERATOR(pg_catalog.=) $1" :
							   "DELETE FROM cx.tracked t WHERE t.tbl OPERATOR(pg_catalog.=) $1") > 0);
}

/*
 * cx._sweep_horizon() of release 0.1.0, kept so that its install script
 * loads: answers "unknown" (the old sweep then keeps its mark), since the
 * horizon told every role when other roles' transactions started.  Release
 * 0.2.0 computes it inside cx.sweep and has no such SQL function.
 */
PG_FUNCTION_INFO_V1(cx_track_sweep_horizon);
Datum
cx_track_sweep_horizon(PG_FUNCTION_ARGS pg_attribute_unused())
{
	PG_RETURN_NULL();
}
