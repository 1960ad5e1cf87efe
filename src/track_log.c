/*
 * track_log.c — the breach log's writers: entries are buffered in memory by
 * the row triggers and written at the end of each statement (or every
 * CX_TRACK_FLUSH_ROWS entries) by the statement trigger cx_track_flush,
 * straight into the heap and indexes of cx.breach_log as COPY does, or by
 * one multi-row INSERT (a plan prepared once per backend) when the log was
 * customized.  Each written row is announced by its id (NOTIFY cx_breach).
 * The log is written as its owner.  Entries of a row to insert wait until
 * PostgreSQL has stored it (the WHEN condition of the row trigger
 * cx_track_inserted), since a later trigger or INSERT ... ON CONFLICT may
 * discard it.
 */
#include "track.h"

#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "catalog/pg_index.h"
#include "catalog/pg_trigger.h"
#include "catalog/pg_type.h"
#include "commands/async.h"
#include "commands/sequence.h"
#include "executor/executor.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/json.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"
#include "utils/syscache.h"

static MemoryContext log_cxt = NULL;
static TrackLogEntry *log_buf = NULL;
static int	log_len = 0;
static int	log_cap = 0;
static int	log_npending = 0;	/* entries in state CX_LOG_PENDING */
/* the SPI INSERT into the log of 0.1.0 and of 0.2.0 (with relid and clock) */
static SPIPlanPtr log_plan[2] = {NULL, NULL};

/*
 * A row being inserted, which a later BEFORE trigger or the conflict check
 * of INSERT ... ON CONFLICT may still discard: from the first of the
 * extension's row triggers on it to the WHEN condition of the trigger
 * cx_track_inserted, which PostgreSQL evaluates once the row is stored.
 * A statement inserts the rows of a table one after another, so there is
 * at most one such row per table and statement; there are more while a
 * trigger's own statements write rows of their own.
 */
typedef struct LogRow
{
	Oid			relid;
	CommandId	level;
	uint32		row;
	int			first;			/* its entries are at or after this one */
	SubTransactionId subid;
} LogRow;

static LogRow *log_rows = NULL;
static int	log_nrows = 0;
static int	log_rows_cap = 0;
static uint32 log_row_next = 0;

/* Create the buffer's memory, once per backend. */
void
track_log_init(void)
{
	if (log_cxt == NULL)
		log_cxt = AllocSetContextCreate(TopMemoryContext, "cx_track log buffer",
										ALLOCSET_DEFAULT_SIZES);
}

/* Empty the buffer and free its memory. */
static void
track_log_reset(void)
{
	log_len = 0;
	log_cap = 0;
	log_npending = 0;
	log_buf = NULL;
	if (log_cxt)
		MemoryContextReset(log_cxt);
}

/* Drop buffered log entries and forget the rows in progress. */
void
track_log_clear(void)
{
	track_log_reset();
	log_nrows = 0;
}

/* The number of buffered entries. */
int
track_log_pending(void)
{
	return log_len;
}

/*
 * The statement a row trigger or a WHEN condition runs for: the command id
 * of its snapshot.  Every statement that writes, including one run by a
 * trigger while the statement that fired it is in the middle of a row,
 * runs with a snapshot of its own taken after the command counter moved.
 */
static CommandId
track_log_level(void)
{
	return ActiveSnapshotSet() ? GetActiveSnapshot()->curcid : InvalidCommandId;
}

/* The row in progress of a table in the current statement, or NULL. */
static LogRow *
track_log_row_find(Oid relid, CommandId level)
{
	int			i;

	for (i = log_nrows - 1; i >= 0; i--)
		if (log_rows[i].relid == relid && log_rows[i].level == level)
			return &log_rows[i];
	return NULL;
}

/* Give the pending entries of a row in progress a state (stored or discarded). */
static void
track_log_row_settle(const LogRow *r, TrackLogRowState state)
{
	int			i;

	for (i = r->first; i < log_len; i++)
		if (log_buf[i].row == r->row && log_buf[i].state == CX_LOG_PENDING)
		{
			log_buf[i].state = state;
			log_npending--;
		}
}

/* Forget a row in progress. */
static void
track_log_row_forget(LogRow *r)
{
	int			k = r - log_rows;

	memmove(&log_rows[k], &log_rows[k + 1], (log_nrows - k - 1) * sizeof(LogRow));
	log_nrows--;
}

/*
 * A row trigger meets a new row to insert into a table whose inserted rows
 * are confirmed (track_log_confirms): the table's previous row in this
 * statement, if it is still in progress, was discarded, and so are its
 * entries.
 */
void
track_log_row_begin(Oid relid)
{
	CommandId	level = track_log_level();
	LogRow	   *r = track_log_row_find(relid, level);

	if (r != NULL)
		track_log_row_settle(r, CX_LOG_DISCARDED);
	else
	{
		if (log_nrows == log_rows_cap)
		{
			log_rows_cap = log_rows_cap ? log_rows_cap * 2 : 8;
			log_rows = log_rows ? repalloc(log_rows, log_rows_cap * sizeof(LogRow)) :
				MemoryContextAlloc(TopMemoryContext, log_rows_cap * sizeof(LogRow));
		}
		r = &log_rows[log_nrows++];
		r->relid = relid;
		r->level = level;
	}
	r->row = ++log_row_next;
	r->first = log_len;
	r->subid = GetCurrentSubTransactionId();
}

/*
 * The row in progress of a table was inserted (the WHEN condition of
 * cx_track_inserted): its entries are written with the statement's.
 */
void
track_log_row_stored(Oid relid)
{
	LogRow	   *r = track_log_row_find(relid, track_log_level());

	if (r == NULL)
		return;
	track_log_row_settle(r, CX_LOG_STORED);
	track_log_row_forget(r);
}

/*
 * A statement that wrote rows of a table ends (its statement trigger): the
 * entries of its rows that were never stored are discarded.
 */
void
track_log_statement_end(Oid relid)
{
	CommandId	level = track_log_level();
	LogRow	   *r = track_log_row_find(relid, level);
	int			i;

	if (r != NULL)
		track_log_row_forget(r);
	for (i = 0; i < log_len && log_npending > 0; i++)
		if (log_buf[i].state == CX_LOG_PENDING && log_buf[i].relid == relid &&
			log_buf[i].level == level)
		{
			log_buf[i].state = CX_LOG_DISCARDED;
			log_npending--;
		}
}

/* Forget the entries and rows in progress an aborted subtransaction buffered. */
void
track_log_discard_subxact(SubTransactionId subid)
{
	while (log_len > 0 && log_buf[log_len - 1].subid >= subid)
	{
		if (log_buf[log_len - 1].state == CX_LOG_PENDING)
			log_npending--;
		log_len--;
	}
	while (log_nrows > 0 && log_rows[log_nrows - 1].subid >= subid)
		log_nrows--;
}

/* A copy of a string that lives as long as the buffer. */
char *
track_log_strdup(const char *s)
{
	return MemoryContextStrdup(log_cxt, s);
}

/* Whether a trigger fires in this session (session_replication_role). */
static bool
track_trigger_fires(const Trigger *t)
{
	if (SessionReplicationRole == SESSION_REPLICATION_ROLE_REPLICA)
		return t->tgenabled == TRIGGER_FIRES_ON_REPLICA || t->tgenabled == TRIGGER_FIRES_ALWAYS;
	return t->tgenabled == TRIGGER_FIRES_ON_ORIGIN || t->tgenabled == TRIGGER_FIRES_ALWAYS;
}

/*
 * Whether a table has a trigger of a name that fires for each row, at the
 * given timing, on every INSERT, in this session.
 */
static bool
track_insert_trigger(Relation rel, const char *name, int timing)
{
	TriggerDesc *td = rel->trigdesc;
	int			i;

	if (td == NULL)
		return false;
	for (i = 0; i < td->numtriggers; i++)
	{
		Trigger    *t = &td->triggers[i];

		if (strcmp(t->tgname, name) == 0)
			return TRIGGER_TYPE_MATCHES(t->tgtype, TRIGGER_TYPE_ROW, timing, TRIGGER_TYPE_INSERT) &&
				track_trigger_fires(t);
	}
	return false;
}

/*
 * Whether the rows inserted into a table are confirmed once stored, by the
 * WHEN condition of its trigger cx_track_inserted; without it (the trigger
 * disabled) the events of every row the row triggers see count at once.
 */
bool
track_log_confirms(Relation rel)
{
	return track_insert_trigger(rel, "cx_track_inserted", TRIGGER_TYPE_AFTER);
}

/* Whether the clocks' row trigger cx_track fires for the rows inserted. */
bool
track_clock_trigger_fires(Relation rel)
{
	return track_insert_trigger(rel, "cx_track", TRIGGER_TYPE_BEFORE);
}

/* Check that the flush statement trigger is present and enabled. */
void
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

/*
 * Append one entry of a table's row to the log buffer: pending while a row
 * to insert is in progress (track_log_row_begin), else stored.
 */
TrackLogEntry *
track_log_append(Oid relid, bool insert)
{
	TrackLogEntry *le;
	CommandId	level = track_log_level();
	LogRow	   *r = insert ? track_log_row_find(relid, level) : NULL;

	if (log_len == log_cap)
	{
		MemoryContext old = MemoryContextSwitchTo(log_cxt);

		if (log_buf == NULL)
		{
			log_cap = 256;
			log_buf = palloc(log_cap * sizeof(TrackLogEntry));
		}
		else
		{
			log_cap *= 2;
			log_buf = repalloc(log_buf, log_cap * sizeof(TrackLogEntry));
		}
		MemoryContextSwitchTo(old);
	}
	le = &log_buf[log_len++];
	memset(le, 0, sizeof(TrackLogEntry));
	le->subid = GetCurrentSubTransactionId();
	le->relid = relid;
	le->level = level;
	if (r != NULL)
	{
		le->state = CX_LOG_PENDING;
		le->row = r->row;
		log_npending++;
	}
	else
		le->state = CX_LOG_STORED;
	le->logged_at = GetCurrentStatementStartTimestamp();
	le->started_null = le->due_null = le->finished_null = le->score_null = le->std_null = true;
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
#define CX_LOG_SPI_ARGS 13

/*
 * The INSERT of the log's rows from one array per column ($1 .. $13 in the
 * order of the log's columns); v020: into the relid and clock columns of
 * 0.2.0 too.
 */
static char *
track_log_insert_sql(bool v020)
{
	static const char *const cols[CX_LOG_SPI_ARGS] = {"id", "tbl", "key", "standard", "started",
	"due", "finished", "old_status", "new_status", "score", "logged_at", "relid", "clock"};
	int			ncols = v020 ? CX_LOG_SPI_ARGS : CX_LOG_SPI_ARGS - 2;
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
 * Write the first n buffered entries into cx.breach_log with one SPI INSERT
 * (v020: the log has the relid and clock columns of 0.2.0).
 */
static void
track_log_flush_spi(int n, bool v020)
{
	int			i,
				c,
				ret,
				level;
	Datum	   *vals[CX_LOG_SPI_ARGS];
	bool	   *nulls[CX_LOG_SPI_ARGS];
	Datum		args[CX_LOG_SPI_ARGS];
	static const Oid elemtypes[CX_LOG_SPI_ARGS] = {INT8OID, TEXTOID, TEXTOID, TEXTOID,
		TIMESTAMPTZOID, TIMESTAMPTZOID, TIMESTAMPTZOID, TEXTOID, TEXTOID, FLOAT8OID,
	TIMESTAMPTZOID, OIDOID, TEXTOID};
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
		TrackLogEntry *le = &log_buf[i];
		const char *os = cxtr_status_name((cxtr_status) le->old_status);

		vals[0][i] = Int64GetDatum(le->id);
		vals[1][i] = CStringGetTextDatum(le->tbl);
		if (le->key)
			vals[2][i] = CStringGetTextDatum(le->key);
		else
			nulls[2][i] = true;
		if (!le->std_null)
		{
			char		buf[64];

			cxstd_format(&le->std, buf, sizeof(buf));
			vals[3][i] = CStringGetTextDatum(buf);
		}
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
		if (le->clock)
			vals[12][i] = CStringGetTextDatum(le->clock);
		else
			nulls[12][i] = true;
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
	if (log_plan[v020] == NULL)
	{
		Oid			argtypes[CX_LOG_SPI_ARGS];
		SPIPlanPtr	plan;

		for (c = 0; c < CX_LOG_SPI_ARGS; c++)
			argtypes[c] = get_array_type(elemtypes[c]);
		plan = SPI_prepare(track_log_insert_sql(v020), CX_LOG_SPI_ARGS, argtypes);
		if (plan == NULL)
			elog(ERROR, "SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
		if (SPI_keepplan(plan) != 0)
			elog(ERROR, "SPI_keepplan failed");
		log_plan[v020] = plan;
	}
	ret = SPI_execute_plan(log_plan[v020], args, NULL, false, 0);
	if (ret != SPI_OK_INSERT)
		elog(ERROR, "writing cx.breach_log failed: %s", SPI_result_code_string(ret));
	cx_unpin_search_path(level);
	SPI_finish();
	SetUserIdAndSecContext(save_userid, save_sec);

	MemoryContextSwitchTo(old);
	MemoryContextDelete(tmp);
}

#define CX_LOG_NATTS 13
#define CX_LOG_BATCH 1000

/*
 * Whether the log has the relid and clock columns of 0.2.0 (before its
 * update script ran, not).
 */
static bool
track_log_v020(Relation rel)
{
	TupleDesc	td = RelationGetDescr(rel);

	return td->natts >= CX_LOG_NATTS &&
		!TupleDescAttr(td, CX_LOG_NATTS - 2)->attisdropped &&
		strcmp(NameStr(TupleDescAttr(td, CX_LOG_NATTS - 2)->attname), "relid") == 0 &&
		!TupleDescAttr(td, CX_LOG_NATTS - 1)->attisdropped &&
		strcmp(NameStr(TupleDescAttr(td, CX_LOG_NATTS - 1)->attname), "clock") == 0;
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
	"due", "finished", "old_status", "new_status", "score", "logged_at", "relid", "clock"};
	Oid			types[CX_LOG_NATTS] = {INT8OID, TEXTOID, TEXTOID, InvalidOid, TIMESTAMPTZOID,
		TIMESTAMPTZOID, TIMESTAMPTZOID, TEXTOID, TEXTOID, FLOAT8OID, TIMESTAMPTZOID, REGCLASSOID, NAMEOID};
	TupleDesc	td = RelationGetDescr(rel);
	List	   *indexes;
	ListCell   *lc;
	bool		ok = true;
	int			i;

	if (!track_log_v020(rel) || td->natts != CX_LOG_NATTS || rel->trigdesc != NULL ||
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
 * payload names the table, the clock and the log row, nothing of the row
 * itself: a
 * listener reads the row from cx.breach_log, which shows it only to roles
 * that may read the table.
 */
static void
track_notify(const TrackLogEntry *le)
{
	TrackEntry *e = track_entry_find(le->relid);
	StringInfoData buf;

	track_counters_touched();
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
	if (le->clock)
	{
		appendStringInfoString(&buf, ",\"clock\":");
		escape_json(&buf, le->clock);
	}
	appendStringInfo(&buf, ",\"id\":" INT64_FORMAT "}", le->id);
	Async_Notify("cx_breach", buf.data);
	pfree(buf.data);
}

/*
 * Order the buffer as the flush writes it: the entries of stored rows
 * first, in the order they were buffered, then those of rows in progress;
 * discarded entries are left out.  Returns the number of entries to write.
 */
static int
track_log_partition(void)
{
	TrackLogEntry *keep = NULL;
	int			nw = 0,
				nk = 0,
				i,
				k;

	if (log_npending > 0)
		keep = palloc(log_npending * sizeof(TrackLogEntry));
	for (i = 0; i < log_len; i++)
	{
		if (log_buf[i].state == CX_LOG_STORED)
			log_buf[nw++] = log_buf[i];
		else if (log_buf[i].state == CX_LOG_PENDING)
			keep[nk++] = log_buf[i];
	}
	Assert(nk == log_npending);
	if (nk > 0)
		memcpy(&log_buf[nw], keep, nk * sizeof(TrackLogEntry));
	log_len = nw + nk;
	if (keep)
		pfree(keep);
	/* where the entries of each row in progress now start */
	for (k = 0; k < log_nrows; k++)
	{
		for (i = nw; i < log_len; i++)
			if (log_buf[i].row == log_rows[k].row)
				break;
		log_rows[k].first = Min(i, nw + nk);
	}
	return nw;
}

/*
 * Write the buffered entries of stored rows straight into cx.breach_log
 * (multi-insert into the heap, then its indexes), as COPY does; fall back
 * to SQL when the log table was customized.  Then announce each entry.
 * Entries of rows still in progress stay buffered.
 */
void
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
				n,
				nw,
				nslots;

	if (log_len == 0)
		return;
	nw = track_log_partition();
	if (nw == 0)
	{
		if (log_len == 0)
			track_log_reset();
		return;
	}
	logrel = get_relname_relid("breach_log", get_namespace_oid("cx", false));
	if (!OidIsValid(logrel))
		elog(ERROR, "relation cx.breach_log does not exist");
	seqrel = get_relname_relid("breach_log_id_seq", get_namespace_oid("cx", false));
	if (!OidIsValid(seqrel))
		elog(ERROR, "sequence cx.breach_log_id_seq does not exist");
	for (i = 0; i < nw; i++)
		log_buf[i].id = nextval_internal(seqrel, false);
	rel = table_open(logrel, RowExclusiveLock);
	if (!track_log_direct_ok(rel))
	{
		bool		v020 = track_log_v020(rel);

		table_close(rel, RowExclusiveLock);
		elog(DEBUG1, "cx_metrics: %d breach log rows written through SPI", nw);
		track_log_flush_spi(nw, v020);
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
		/* as many slots as one batch needs (a statement often logs one row) */
		nslots = Min(CX_LOG_BATCH, nw);
		slots = palloc(nslots * sizeof(TupleTableSlot *));
		for (j = 0; j < nslots; j++)
			slots[j] = MakeSingleTupleTableSlot(RelationGetDescr(rel), table_slot_callbacks(rel));

		for (i = 0; i < nw; i += n)
		{
			n = Min(CX_LOG_BATCH, nw - i);
			for (j = 0; j < n; j++)
			{
				TrackLogEntry *le = &log_buf[i + j];
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
				v[3] = PointerGetDatum(&le->std);
				nl[3] = le->std_null;
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
				if (le->clock)
					v[12] = DirectFunctionCall1(namein, CStringGetDatum(le->clock));
				else
					nl[12] = true;
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
		elog(DEBUG1, "cx_metrics: %d breach log rows written directly", nw);
		for (j = 0; j < nslots; j++)
			ExecDropSingleTupleTableSlot(slots[j]);
		ExecCloseIndices(rri);
		FreeExecutorState(estate);
		table_close(rel, NoLock);
		MemoryContextSwitchTo(old);
		MemoryContextDelete(tmp);
	}
	for (i = 0; i < nw; i++)
		if (cxtr_is_announced((cxtr_status) log_buf[i].new_status))
			track_notify(&log_buf[i]);
	/* what stays: the entries of rows in progress (and any buffered meanwhile) */
	memmove(log_buf, &log_buf[nw], (log_len - nw) * sizeof(TrackLogEntry));
	log_len -= nw;
	for (i = 0; i < log_nrows; i++)
		log_rows[i].first = Max(log_rows[i].first - nw, 0);
	if (log_len == 0)
		track_log_reset();
}

/*
 * Write the entries of stored rows once CX_TRACK_FLUSH_ROWS of them are
 * buffered (in the middle of a long statement).
 */
void
track_log_flush_if_full(void)
{
	if (log_len - log_npending >= CX_TRACK_FLUSH_ROWS)
		track_log_flush();
}

