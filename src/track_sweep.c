/*
 * track_sweep.c — cx.sweep, which flips the open rows of every clock of the
 * tracked tables whose at-risk or due instant has passed, each table as its
 * owner inside a security-restricted operation and a subtransaction of its
 * own; the backfill of cx.track; and the registry writes, done as the
 * registry's owner once the calling role is found to own the table.
 */
#include "track.h"

#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/array.h"
#include "utils/backend_status.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/resowner.h"
#include "utils/syscache.h"
#include "utils/tuplestore.h"

PG_FUNCTION_INFO_V1(cx_track_sweep);
PG_FUNCTION_INFO_V1(cx_track_backfill);
PG_FUNCTION_INFO_V1(cx_registry_add);
PG_FUNCTION_INFO_V1(cx_registry_add_scores);
PG_FUNCTION_INFO_V1(cx_registry_remove);

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

/* Append a (non-null) argument to a query of track_query. */
static void
track_arg(TrackQuery *q, Oid type, Datum value)
{
	Assert(q->nargs < (int) lengthof(q->types));
	q->types[q->nargs] = type;
	q->values[q->nargs] = value;
	q->nulls[q->nargs] = ' ';
	q->nargs++;
}

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

	for (i = 0; i < nargs; i++)
		track_arg(&q, types[i], values[i]);
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

/* Whether the registry has the clocks of 0.2.0 (before its update script ran, not). */
static bool
track_registry_v020(void)
{
	Oid			relid = get_relname_relid("tracked", get_namespace_oid("cx", false));

	return OidIsValid(relid) && get_attnum(relid, "clock") != InvalidAttrNumber;
}

/*
 * Sweep one clock of a table: lock its registry row and read its mark (as
 * the registry's owner), find and flip the rows of its window (as the
 * table's owner), and move the mark (as the registry's owner).  Returns
 * false when the clock is no longer tracked.
 */
static bool
track_sweep_table(Oid relid, const char *clock, Oid owner, Oid regowner, bool since_null,
				  TimestampTz since, bool horizon_known, TimestampTz horizon, TimestampTz now_at,
				  int64 *flipped)
{
	bool		v020 = track_registry_v020();
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
	track_arg(&q, OIDOID, ObjectIdGetDatum(relid));
	track_arg(&q, TEXTOID, CStringGetTextDatum(clock));
	q.nout = 6;
	if (track_query(&q, v020 ?
					"SELECT t.started::pg_catalog.text, t.finished::pg_catalog.text, "
					"t.status::pg_catalog.text, t.due::pg_catalog.text, t.at_risk, t.swept_to "
					"FROM cx.tracked t WHERE t.tbl OPERATOR(pg_catalog.=) $1 "
					"AND t.clock OPERATOR(pg_catalog.=) $2::pg_catalog.name FOR UPDATE" :
					"SELECT t.started::pg_catalog.text, t.finished::pg_catalog.text, "
					"t.status::pg_catalog.text, t.due::pg_catalog.text, t.at_risk, t.swept_to "
					"FROM cx.tracked t WHERE t.tbl OPERATOR(pg_catalog.=) $1 AND $2 IS NOT NULL FOR UPDATE") == 0)
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
	track_arg(&q, TEXTARRAYOID, PointerGetDatum(construct_array(cols, 4, TEXTOID, -1, false, TYPALIGN_INT)));
	track_arg(&q, FLOAT8OID, Float8GetDatum(at_risk));
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
	track_arg(&q, TIMESTAMPTZOID, TimestampTzGetDatum(lo));
	track_arg(&q, TIMESTAMPTZOID, TimestampTzGetDatum(now_at));
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
		track_arg(&q, TIMESTAMPTZOID, TimestampTzGetDatum(lo));
		track_arg(&q, TIMESTAMPTZOID, TimestampTzGetDatum(now_at));
		track_arg(&q, get_array_type(TIDOID), cands);
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
		track_arg(&q, OIDOID, ObjectIdGetDatum(relid));
		track_arg(&q, TIMESTAMPTZOID, TimestampTzGetDatum(to));
		track_arg(&q, TEXTOID, CStringGetTextDatum(clock));
		(void) track_query(&q, v020 ?
						   "UPDATE cx.tracked t SET swept_to = $2 WHERE t.tbl OPERATOR(pg_catalog.=) $1 "
						   "AND t.clock OPERATOR(pg_catalog.=) $3::pg_catalog.name" :
						   "UPDATE cx.tracked t SET swept_to = $2 WHERE t.tbl OPERATOR(pg_catalog.=) $1 AND $3 IS NOT NULL");
	}
	return true;
}

/*
 * Sweep one table in a subtransaction of its own; a failure is reported as
 * a warning and rolled back, and false returned.  A cancel (or a statement
 * timeout) ends the whole sweep.
 */
static bool
track_sweep_one(Oid relid, const char *clock, Oid owner, Oid regowner, bool since_null,
				TimestampTz since, bool horizon_known, TimestampTz horizon, TimestampTz now_at,
				int64 *flipped)
{
	MemoryContext oldcxt = CurrentMemoryContext;
	ResourceOwner oldowner = CurrentResourceOwner;
	volatile bool ok = false;

	BeginInternalSubTransaction(NULL);
	MemoryContextSwitchTo(oldcxt);
	PG_TRY();
	{
		ok = track_sweep_table(relid, clock, owner, regowner, since_null, since, horizon_known,
							   horizon, now_at, flipped);
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
	Oid			regowner,
				skipped = InvalidOid;
	TrackQuery	q = {0};
	Datum		d;
	bool		isnull;
	Datum	   *relids,
			   *clocks;
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

	/* the clocks of the tracked tables, in OID and clock order */
	if (!only_null)
		track_arg(&q, OIDOID, ObjectIdGetDatum(only));
	q.nout = 2;
	(void) track_query(&q, psprintf("SELECT pg_catalog.array_agg(t.tbl::pg_catalog.oid ORDER BY t.tbl::pg_catalog.oid, %1$s), "
									"pg_catalog.array_agg(%1$s ORDER BY t.tbl::pg_catalog.oid, %1$s) FROM cx.tracked t%2$s",
									track_registry_v020() ? "t.clock::pg_catalog.text" : "'default'::pg_catalog.text",
									only_null ? "" : " WHERE t.tbl OPERATOR(pg_catalog.=) $1"));
	if (q.outnull[0])
		return (Datum) 0;
	deconstruct_array(DatumGetArrayTypeP(q.out[0]), OIDOID, sizeof(Oid), true, TYPALIGN_INT, &relids, NULL, &nrel);
	deconstruct_array(DatumGetArrayTypeP(q.out[1]), TEXTOID, -1, false, TYPALIGN_INT, &clocks, NULL, &nrel);

	for (i = 0; i < nrel; i++)
	{
		Oid			relid = DatumGetObjectId(relids[i]);
		char	   *clock = TextDatumGetCString(clocks[i]);
		Oid			owner;
		char		persistence;
		bool		horizon_known = false;
		TimestampTz horizon = 0;
		int64		flipped;

		CHECK_FOR_INTERRUPTS();
		/* a table skipped for one clock is skipped for all, with one message */
		if (relid == skipped)
			continue;
		if (!track_rel_owner(relid, &owner, &persistence))
		{
			TrackQuery	dq = {0};

			/* dropped without the event trigger seeing it */
			ereport(WARNING,
					(errcode(ERRCODE_UNDEFINED_TABLE),
					 errmsg("cx.sweep removed tracked table %u from the registry: it no longer exists", relid)));
			dq.role = regowner;
			track_arg(&dq, OIDOID, ObjectIdGetDatum(relid));
			(void) track_query(&dq, "DELETE FROM cx.tracked t WHERE t.tbl OPERATOR(pg_catalog.=) $1");
			skipped = relid;
			continue;
		}
		if (!has_privs_of_role(GetUserId(), owner))
		{
			ereport(NOTICE,
					(errmsg("cx.sweep skips table \"%s\": only its owner may sweep it", get_rel_name(relid)),
					 errhint("Schedule cx.sweep as the table's owner or as a superuser.")));
			skipped = relid;
			continue;
		}
		if (persistence == RELPERSISTENCE_TEMP)
		{
			ereport(WARNING,
					(errcode(ERRCODE_WRONG_OBJECT_TYPE),
					 errmsg("cx.sweep skipped table \"%s\": it is a temporary table", get_rel_name(relid)),
					 errhint("Temporary tables cannot be tracked; run cx.untrack on it.")));
			skipped = relid;
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
		if (track_sweep_one(relid, clock, owner, regowner, since_null, since, horizon_known, horizon,
							now_at, &flipped))
		{
			Datum		values[3];
			bool		nulls[3] = {false, false, false};

			values[0] = ObjectIdGetDatum(relid);
			values[1] = Int64GetDatum(flipped);
			values[2] = DirectFunctionCall1(namein, CStringGetDatum(clock));
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
	track_arg(&q, get_rel_type_id(get_relname_relid(registry, get_namespace_oid("cx", false))),
			  PointerGetDatum(row));
	(void) track_query(&q, sql);
}

/* cx._track_registry_add(r cx.tracked): register a table the caller owns. */
Datum
cx_registry_add(PG_FUNCTION_ARGS)
{
	track_registry_insert(PG_GETARG_HEAPTUPLEHEADER(0), "tracked", track_registry_v020() ?
						  "INSERT INTO cx.tracked (tbl, standard, started, finished, status, due, key, calendar, "
						  "at_risk, due_added, sweep_index, status_default, due_default, clock, standard_column, "
						  "standard_added, lookup, by, paused, paused_for, paused_added) "
						  "SELECT (r).tbl, (r).standard, (r).started, (r).finished, (r).status, (r).due, (r).key, "
						  "(r).calendar, (r).at_risk, (r).due_added, (r).sweep_index, (r).status_default, "
						  "(r).due_default, (r).clock, (r).standard_column, (r).standard_added, (r).lookup, (r).by, "
						  "(r).paused, (r).paused_for, (r).paused_added FROM (SELECT $1 AS r) s" :
						  "INSERT INTO cx.tracked (tbl, standard, started, finished, status, due, key, calendar, "
						  "at_risk, due_added, sweep_index, status_default, due_default) "
						  "SELECT (r).tbl, (r).standard, (r).started, (r).finished, (r).status, (r).due, (r).key, "
						  "(r).calendar, (r).at_risk, (r).due_added, (r).sweep_index, (r).status_default, "
						  "(r).due_default FROM (SELECT $1 AS r) s");
	PG_RETURN_VOID();
}

/* cx._track_registry_add_scores(r cx.tracked_scores): register the scores of a table the caller owns. */
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
 * cx._track_registry_remove(tbl, scores, clock): remove a table's rows from
 * cx.tracked (one clock's, or all of them), or its row of cx.tracked_scores, for the table's owner, or for anyone once the
 * table no longer exists.  Returns whether a row was removed.
 */
Datum
cx_registry_remove(PG_FUNCTION_ARGS)
{
	Oid			relid;
	bool		scores;
	Oid			owner;
	char		persistence;
	TrackQuery	q = {0};

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		PG_RETURN_NULL();
	relid = PG_GETARG_OID(0);
	scores = PG_GETARG_BOOL(1);
	if (track_rel_owner(relid, &owner, &persistence))
		(void) track_require_owner(relid, "stop tracking it");
	q.role = track_registry_owner();
	track_arg(&q, OIDOID, ObjectIdGetDatum(relid));
	/* one clock (release 0.2.0), or every clock of the table */
	if (!scores && PG_NARGS() > 2 && !PG_ARGISNULL(2))
	{
		track_arg(&q, NAMEOID, PG_GETARG_DATUM(2));
		PG_RETURN_BOOL(track_query(&q, "DELETE FROM cx.tracked t WHERE t.tbl OPERATOR(pg_catalog.=) $1 "
								   "AND t.clock OPERATOR(pg_catalog.=) $2") > 0);
	}
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
