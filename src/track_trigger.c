/*
 * track_trigger.c — the row trigger of cx.track, which keeps the status and
 * due columns of every clock of a row current in one pass over the row (and
 * the standard and paused-time columns of clocks that have them); the
 * low-score trigger of cx.track_scores; the statement triggers; and the SQL
 * wrappers of the status rules of track_core.c.
 */
#include "track.h"

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "commands/async.h"
#include "common/int.h"
#include "executor/tuptable.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "storage/proc.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/inval.h"
#include "utils/json.h"
#include "utils/timestamp.h"

#include "calendar.h"

#include <math.h>

PG_FUNCTION_INFO_V1(cx_track_trigger);
PG_FUNCTION_INFO_V1(cx_track_scores_trigger);
PG_FUNCTION_INFO_V1(cx_track_flush);
PG_FUNCTION_INFO_V1(cx_track_inserted);
PG_FUNCTION_INFO_V1(cx_track_config_changed);
PG_FUNCTION_INFO_V1(cx_track_at_risk_time);
PG_FUNCTION_INFO_V1(cx_track_status_at);
PG_FUNCTION_INFO_V1(cx_track_status_code);
PG_FUNCTION_INFO_V1(cx_track_cohort_verdict);

/* Check how a trigger function was called. */
TriggerData *
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
 * what lets cx.sweep move its window forward (see track_sweep_horizon).
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

/* The status a status column's value stands for. */
static cxtr_status
track_status_of(const TrackClock *c, Datum d, bool isnull)
{
	int			i;

	if (isnull)
		return CXTR_NONE;
	if (c->status_enum)
	{
		for (i = 1; i < CXTR_NSTATUS; i++)
			if (c->status_datum[i] != (Datum) 0 &&
				DatumGetObjectId(d) == DatumGetObjectId(c->status_datum[i]))
				return (cxtr_status) i;
		return CXTR_NONE;
	}
	else
	{
		text	   *t = DatumGetTextPP(d);
		cxtr_status s = cxtr_status_parse(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));

		return s == CXTR_LOW_SCORE || s == CXTR_RESUMED ? CXTR_NONE : s;
	}
}

/*
 * Read the columns the clocks use in one pass over the row's columns (up to
 * the last of them), as heap_deform_tuple does, noting where each is
 * stored.
 */
static void
track_read_row(const TrackConfig *cfg, HeapTuple tup, TupleDesc td, TrackCol *cols)
{
	HeapTupleHeader th = tup->t_data;
	char	   *tp = (char *) th + th->t_hoff;
	bool		hasnulls = HeapTupleHasNulls(tup);
	int			tnatts = HeapTupleHeaderGetNatts(th);
	uint32		off = 0;
	int			i;

	Assert(cfg->att_last <= td->natts && th->t_hoff <= tup->t_len);
	for (i = 0; i < cfg->att_last; i++)
	{
		Form_pg_attribute att = TupleDescAttr(td, i);
		Datum		d = (Datum) 0;
		bool		isnull = true;
		char	   *at = NULL;
		int			c;

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
			/* the column lies inside the tuple */
			Assert(th->t_hoff + off <= tup->t_len);
		}
		if ((c = cfg->att_col[i]) >= 0)
		{
			cols[c].d = d;
			cols[c].isnull = isnull;
			cols[c].at = at;
		}
	}
}

/* One column value the trigger writes. */
typedef struct TrackWrite
{
	int			col;			/* index into the columns read */
	Datum		d;
	bool		isnull;
} TrackWrite;

/* What the trigger found for one clock of a row. */
typedef struct TrackVerdict
{
	cxtr_status st;				/* the new status (CXTR_NONE: none) */
	cxtr_status old_st;			/* the stored one before an update */
	cxtr_status judged_from;	/* the status the event rule compares with */
	bool		resumed;		/* the clock started again with this write */
	TimestampTz started;
	TimestampTz due;
	const CxstdStandard *std;
} TrackVerdict;

/*
 * Write the new values over the ones the row already holds, when that keeps
 * its layout: every column stored and not null (the defaults cx.track gives
 * them see to that on insert), fixed-size, or a status of the same stored
 * size (an enum, or text of the same length).  PostgreSQL then stores the
 * row as it is, without the new row the trigger would otherwise form and
 * PostgreSQL's copy of it.  Only a row that its slot owns and has not yet
 * taken apart is written, so nothing else holds its old values; false
 * otherwise, with the row untouched.
 */
static bool
track_write_in_place(const TrackConfig *cfg, TupleDesc td, TupleTableSlot *slot, HeapTuple tup,
					 TrackCol *cols, const TrackWrite *w, int nw)
{
	int			i;

	if (slot == NULL || !(TTS_IS_HEAPTUPLE(slot) || TTS_IS_BUFFERTUPLE(slot)) ||
		!TTS_SHOULDFREE(slot) || slot->tts_nvalid != 0 ||
		((HeapTupleTableSlot *) slot)->tuple != tup)
		return false;
	for (i = 0; i < nw; i++)
	{
		Form_pg_attribute att = TupleDescAttr(td, cfg->col_att[w[i].col] - 1);
		char	   *p = cols[w[i].col].at;

		if (p == NULL || w[i].isnull)
			return false;
		if (att->attlen == -1)
		{
			Size		len = VARSIZE_ANY_EXHDR(DatumGetPointer(w[i].d));

			if (VARATT_IS_SHORT(p) ? VARSIZE_SHORT(p) - VARHDRSZ_SHORT != len :
				!VARATT_IS_4B_U(p) || VARSIZE_4B(p) - VARHDRSZ != len)
				return false;
		}
		else if (att->attlen < 0)
			return false;
	}
	for (i = 0; i < nw; i++)
	{
		Form_pg_attribute att = TupleDescAttr(td, cfg->col_att[w[i].col] - 1);
		char	   *p = cols[w[i].col].at;
		char	   *end pg_attribute_unused() = (char *) tup->t_data + tup->t_len;

		/* the old value is stored inside this tuple's data, as read */
		Assert(w[i].col >= 0 && w[i].col < cfg->ncols);
		Assert(p >= (char *) tup->t_data + tup->t_data->t_hoff && p < end);
		if (att->attlen == -1)
		{
			/* a plain value of the same length over an uncompressed inline one */
			Assert(!VARATT_IS_EXTERNAL(DatumGetPointer(w[i].d)) &&
				   !VARATT_IS_COMPRESSED(DatumGetPointer(w[i].d)));
			Assert(VARDATA_ANY(p) + VARSIZE_ANY_EXHDR(DatumGetPointer(w[i].d)) <= end);
			memcpy(VARDATA_ANY(p), VARDATA_ANY(DatumGetPointer(w[i].d)),
				   VARSIZE_ANY_EXHDR(DatumGetPointer(w[i].d)));
		}
		else if (att->attbyval)
		{
			Assert(att->attlen == 1 || att->attlen == 2 || att->attlen == 4 || att->attlen == 8);
			Assert(p + att->attlen <= end);
			store_att_byval(p, w[i].d, att->attlen);
		}
		else
		{
			Assert(att->attlen > 0 && p + att->attlen <= end);
			memcpy(p, DatumGetPointer(w[i].d), att->attlen);
		}
	}
	return true;
}

/* Add a write unless the column already holds the value. */
static void
track_write(TrackWrite *w, int *nw, const TrackCol *cols, int col, Datum d, bool isnull,
			int16 typlen, bool typbyval)
{
	const TrackCol *cur = &cols[col];

	if (cur->isnull == isnull && (isnull || datumIsEqual(cur->d, d, typbyval, typlen)))
		return;
	w[*nw].col = col;
	w[*nw].d = d;
	w[*nw].isnull = isnull;
	(*nw)++;
}

/* The business days (business-day standards) or microseconds a stretch lasted. */
static int64
track_pause_length(const CxstdStandard *std, TimestampTz from, TimestampTz to,
				   const char *cal, int cal_len)
{
	if (std->unit == CXSTD_BUSINESS_DAYS)
		return cal_business_days(from, to, cal, cal_len);
	return to - from;
}

/*
 * The due time of a row started at started under std, pushed out by the
 * time its clock was paused: for a business-day standard that many more
 * business days (the interval's days), else the interval's length.
 */
static TimestampTz
track_due(TimestampTz started, const CxstdStandard *std, const Interval *paused,
		  const char *cal, int cal_len)
{
	TimestampTz due;
	int64		extra;

	if (std->unit == CXSTD_BUSINESS_DAYS)
	{
		CxstdStandard s = *std;

		extra = paused ? paused->day + (int64) paused->month * DAYS_PER_MONTH : 0;
		if (extra > 0)
		{
			if (extra > PG_INT32_MAX - s.amount)
				ereport(ERROR,
						(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
						 errmsg("paused time of %lld business days is out of range", (long long) extra)));
			s.amount += (int32) extra;
		}
		return cal_due_at(started, &s, cal, cal_len);
	}
	due = cal_due_at(started, std, cal, cal_len);
	if (paused == NULL)
		return due;
	if (pg_mul_s64_overflow((int64) paused->day + (int64) paused->month * DAYS_PER_MONTH, USECS_PER_DAY, &extra) ||
		pg_add_s64_overflow(extra, paused->time, &extra) ||
		(extra > 0 && (pg_add_s64_overflow(due, extra, &due) || !IS_VALID_TIMESTAMP(due))))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp out of range"),
				 errdetail("The due time pushed out by the paused time falls outside the range of timestamp with time zone.")));
	return due;
}

/*
 * Judge one clock of a row: choose its standard (the row's, chosen from the
 * lookup table on insert and when the looked-up value changes, or the
 * clock's own), account a pause that ends now, compute the due time and the
 * status, and note the columns to write.
 */
static void
track_judge(TrackConfig *cfg, TrackClock *c, TrackCol *cols, HeapTuple oldtup, TupleDesc td,
			TimestampTz now, TrackWrite *w, int *nw, TrackVerdict *v)
{
	const TrackCol *sc = &cols[c->c_started],
			   *fc = &cols[c->c_finished];
	const char *cal = c->calendar;
	int			cal_len = c->calendar_len;
	const CxstdStandard *std = c->has_standard ? &c->standard : NULL;
	Interval   *paused_for = NULL;
	bool		paused = false,
				was_paused = false,
				no_start;
	TimestampTz resumed_from = 0;
	bool		isnull;
	Datum		d;

	memset(v, 0, sizeof(*v));
	v->old_st = CXTR_NONE;
	if (oldtup != NULL)
	{
		d = heap_getattr(oldtup, cfg->col_att[c->c_status], td, &isnull);
		v->old_st = track_status_of(c, d, isnull);
	}
	v->judged_from = v->old_st;

	/* the row's standard, and the calendar of its lookup entry */
	if (c->c_std >= 0)
	{
		const TrackCol *stc = &cols[c->c_std];
		const TrackLookupEntry *ent = NULL;
		bool		choose = false;

		if (c->c_by >= 0)
		{
			const TrackCol *bc = &cols[c->c_by];

			if (oldtup == NULL || stc->isnull)
				choose = true;
			else
			{
				Form_pg_attribute a = TupleDescAttr(td, cfg->col_att[c->c_by] - 1);

				d = heap_getattr(oldtup, cfg->col_att[c->c_by], td, &isnull);
				choose = isnull != bc->isnull ||
					(!isnull && !datumIsEqual(d, bc->d, a->attbyval, a->attlen));
			}
			/* the entry: to choose the standard, or for its calendar */
			if (!bc->isnull && (choose || c->has_calendars))
				ent = track_lookup_entry(c, bc->d);
			if (ent != NULL && ent->calendar != NULL)
			{
				cal = ent->calendar;
				cal_len = ent->calendar_len;
			}
		}
		if (choose)
		{
			if (ent != NULL && !ent->std_null)
				std = &ent->std;
			track_write(w, nw, cols, c->c_std, PointerGetDatum(std), std == NULL,
						sizeof(CxstdStandard), false);
		}
		else if (!stc->isnull)
			std = (const CxstdStandard *) DatumGetPointer(stc->d);
	}
	v->std = std;

	/* a row without a finite start or a standard has no due time and no status */
	no_start = sc->isnull || TIMESTAMP_NOT_FINITE(DatumGetTimestampTz(sc->d)) || std == NULL;
	if (!no_start)
		v->started = DatumGetTimestampTz(sc->d);

	/* a pause that ends with this write adds its length to the paused time */
	if (c->c_paused >= 0)
	{
		const TrackCol *pc = &cols[c->c_paused],
				   *pfc = &cols[c->c_paused_for];

		paused = !pc->isnull;
		if (!pfc->isnull)
			paused_for = DatumGetIntervalP(pfc->d);
		if (oldtup != NULL && !no_start)
		{
			bool		old_fin_null,
						old_p_null;
			TimestampTz old_p,
						from,
						to;

			(void) heap_getattr(oldtup, cfg->col_att[c->c_finished], td, &old_fin_null);
			d = heap_getattr(oldtup, cfg->col_att[c->c_paused], td, &old_p_null);
			old_p = old_p_null ? 0 : DatumGetTimestampTz(d);
			if (cxtr_pause_span(v->started, old_fin_null, old_p_null, old_p, pc->isnull, fc->isnull,
								fc->isnull ? 0 : DatumGetTimestampTz(fc->d), now, &from, &to))
			{
				Interval   *sum = palloc0(sizeof(Interval));
				int64		len = track_pause_length(std, from, to, cal, cal_len);

				if (paused_for)
					*sum = *paused_for;
				if (std->unit == CXSTD_BUSINESS_DAYS)
				{
					if (pg_add_s32_overflow(sum->day, (int32) Min(len, PG_INT32_MAX), &sum->day))
						ereport(ERROR,
								(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
								 errmsg("paused time out of range")));
				}
				else if (pg_add_s64_overflow(sum->time, len, &sum->time))
					ereport(ERROR,
							(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
							 errmsg("paused time out of range")));
				paused_for = sum;
				track_write(w, nw, cols, c->c_paused_for, PointerGetDatum(sum), false,
							sizeof(Interval), false);
			}
			if (v->old_st == CXTR_PAUSED && !old_p_null)
			{
				resumed_from = Max(old_p, v->started);
				was_paused = true;
			}
		}
	}

	if (!no_start)
	{
		v->due = track_due(v->started, std, paused_for, cal, cal_len);
		v->st = cxtr_status_at(v->started, v->due, fc->isnull, fc->isnull ? 0 : DatumGetTimestampTz(fc->d),
							   paused, now, c->at_risk);
	}
	/* resumed (or finished): judged against the status it had when paused */
	if (was_paused && v->st != CXTR_PAUSED)
	{
		bool		old_due_null;
		Datum		od = heap_getattr(oldtup, cfg->col_att[c->c_due], td, &old_due_null);

		if (!old_due_null)
			v->judged_from = cxtr_status_at(v->started, DatumGetTimestampTz(od), true, 0, false,
											resumed_from, c->at_risk);
	}
	v->resumed = v->old_st == CXTR_PAUSED && v->st != CXTR_PAUSED &&
		(v->st == CXTR_ON_TRACK || v->st == CXTR_AT_RISK || v->st == CXTR_BREACHED);

	/* the status and due columns */
	if (v->st == CXTR_NONE)
		track_write(w, nw, cols, c->c_status, (Datum) 0, true, -1, false);
	else if (track_status_of(c, cols[c->c_status].d, cols[c->c_status].isnull) != v->st)
	{
		w[*nw].col = c->c_status;
		w[*nw].d = c->status_datum[v->st];
		w[*nw].isnull = false;
		(*nw)++;
	}
	track_write(w, nw, cols, c->c_due, TimestampTzGetDatum(v->due), v->st == CXTR_NONE,
				sizeof(TimestampTz), true);
}

/*
 * Start a log entry of a row (insert: a row to insert): the table, and the
 * row's key (the text of column att_key).  Writes the buffer first when it
 * is full.
 */
static TrackLogEntry *
track_log_begin(Relation rel, const TrackConfig *cfg, HeapTuple tup, TupleDesc td,
				AttrNumber att_key, FmgrInfo *key_out, bool insert)
{
	TrackLogEntry *le;
	bool		isnull;
	Datum		d;

	track_check_flush_trigger(rel);
	track_log_flush_if_full();
	le = track_log_append(RelationGetRelid(rel), insert);
	le->tbl = cfg->relname;
	d = heap_getattr(tup, att_key, td, &isnull);
	le->key = isnull ? NULL : track_log_strdup(OutputFunctionCall(key_out, d));
	return le;
}

/* Buffer one log entry of a clock (insert: of a row to insert). */
static void
track_log_event(Relation rel, TrackConfig *cfg, TrackClock *c, HeapTuple tup, TupleDesc td,
				const TrackVerdict *v, const TrackCol *fc, cxtr_status old_st, cxtr_status new_st,
				bool insert)
{
	TrackLogEntry *le = track_log_begin(rel, cfg, tup, td, c->att_key, &c->key_out, insert);

	le->clock = c->name;
	if (v->std)
	{
		le->std = *v->std;
		le->std_null = false;
	}
	le->started = v->started;
	le->started_null = false;
	le->due = v->due;
	le->due_null = false;
	le->finished = fc->isnull ? 0 : DatumGetTimestampTz(fc->d);
	le->finished_null = fc->isnull;
	le->old_status = (int8) old_st;
	le->new_status = (int8) new_st;
}

/*
 * Row trigger of cx.track: judge every clock of the row, store what
 * changed, and buffer a log entry (and a notification) for each event.
 */
Datum
cx_track_trigger(PG_FUNCTION_ARGS)
{
	TriggerData *trig = track_trigger_data(fcinfo, "cx.track_trigger", true);
	Relation	rel = trig->tg_relation;
	TupleDesc	td = RelationGetDescr(rel);
	bool		is_update = TRIGGER_FIRED_BY_UPDATE(trig->tg_event);
	HeapTuple	tup = is_update ? trig->tg_newtuple : trig->tg_trigtuple;
	HeapTuple	oldtup = is_update ? trig->tg_trigtuple : NULL;
	TrackEntry *e = track_lookup(rel);
	TrackConfig *cfg = e->cfg;
	TrackCol	colbuf[32];
	TrackCol   *cols;
	TrackWrite	wbuf[16];
	TrackWrite *w;
	TrackVerdict vbuf[4];
	TrackVerdict *v;
	int			nw = 0,
				k;
	TimestampTz now = track_eval_time();

	if (cfg->nclocks == 0)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("table \"%s\" is not tracked", RelationGetRelationName(rel)),
				 errdetail("The trigger cx_track is attached but cx.tracked has no row for the table."),
				 errhint("Run cx.track on the table, or drop the trigger.")));
	if (td->natts != cfg->natts)
		elog(ERROR, "tracked table \"%s\" changed shape", RelationGetRelationName(rel));
	/* a row to insert may still be discarded: its events wait until it is stored */
	if (!is_update && track_log_confirms(rel))
		track_log_row_begin(RelationGetRelid(rel));
	cols = cfg->ncols <= (int) lengthof(colbuf) ? colbuf : palloc(cfg->ncols * sizeof(TrackCol));
	w = cfg->nclocks * 4 <= (int) lengthof(wbuf) ? wbuf : palloc(cfg->nclocks * 4 * sizeof(TrackWrite));
	v = cfg->nclocks <= (int) lengthof(vbuf) ? vbuf : palloc(cfg->nclocks * sizeof(TrackVerdict));

	/* one pass over the row's columns; every clock judged */
	track_read_row(cfg, tup, td, cols);
	for (k = 0; k < cfg->nclocks; k++)
		track_judge(cfg, &cfg->clocks[k], cols, oldtup, td, now, w, &nw, &v[k]);
	/* each clock writes at most its status, due, standard and paused-time columns */
	Assert(nw <= cfg->nclocks * 4);

	/* the row written in place if it can be, else formed anew */
	if (nw == 0)
		;						/* every column already holds its value */
	else if (track_write_in_place(cfg, td, is_update ? trig->tg_newslot : trig->tg_trigslot, tup, cols, w, nw))
		elog(DEBUG1, "cx_metrics: row of \"%s\" written in place", cfg->relname);
	else
	{
		HeapTuple	newtup;
		int			i;

		heap_deform_tuple(tup, td, cfg->values, cfg->nulls);
		for (i = 0; i < nw; i++)
		{
			cfg->values[cfg->col_att[w[i].col] - 1] = w[i].d;
			cfg->nulls[cfg->col_att[w[i].col] - 1] = w[i].isnull;
		}
		newtup = heap_form_tuple(td, cfg->values, cfg->nulls);
		/* keep the identity of the row, as heap_modify_tuple does */
		newtup->t_data->t_ctid = tup->t_data->t_ctid;
		newtup->t_self = tup->t_self;
		newtup->t_tableOid = tup->t_tableOid;
		tup = newtup;
		elog(DEBUG1, "cx_metrics: row of \"%s\" formed anew", cfg->relname);
	}

	/* the events, read from the row as stored (a flush may reuse cfg->values) */
	for (k = 0; k < cfg->nclocks; k++)
	{
		TrackClock *c = &cfg->clocks[k];

		if (v[k].resumed)
			track_log_event(rel, cfg, c, tup, td, &v[k], &cols[c->c_finished], CXTR_PAUSED, CXTR_RESUMED,
							!is_update);
		if (cxtr_is_event(v[k].judged_from, v[k].st))
			track_log_event(rel, cfg, c, tup, td, &v[k], &cols[c->c_finished], v[k].old_st, v[k].st,
							!is_update);
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
	/* a row to insert, unless cx_track began it (it fires first) */
	if (!is_update && !track_clock_trigger_fires(rel) && track_log_confirms(rel))
		track_log_row_begin(RelationGetRelid(rel));

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
		TrackLogEntry *le = track_log_begin(rel, cfg, tup, td, cfg->att_skey, &cfg->skey_out, !is_update);

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
	track_log_statement_end(relid);
	track_log_flush();
	e = track_entry_find(relid);
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

/*
 * cx._track_inserted(tbl), the WHEN condition of the row trigger
 * cx_track_inserted, which PostgreSQL evaluates once a row is inserted: the
 * events the row triggers buffered for the row count.  Always false, so
 * the trigger never fires.
 */
Datum
cx_track_inserted(PG_FUNCTION_ARGS)
{
	track_log_row_stored(PG_GETARG_OID(0));
	PG_RETURN_BOOL(false);
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
 * cx.status_at(started, due, finished, as_of, paused, at_risk): a row's
 * status at an instant, by the trigger's own rule (track_core.c): a finish
 * after as_of is not yet a finish, a pause that starts after it not yet a
 * pause.  NULL without a finite start or a due.
 */
static cxtr_status track_status_args(FunctionCallInfo fcinfo, double at_risk, bool *isnull);

Datum
cx_track_status_at(PG_FUNCTION_ARGS)
{
	double		at_risk = PG_ARGISNULL(5) ? 1.0 : PG_GETARG_FLOAT8(5);
	bool		isnull;
	cxtr_status st;

	if (isnan(at_risk) || at_risk <= 0 || at_risk > 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("at-risk fraction must be greater than 0 and at most 1, not %g", at_risk),
				 errhint("Use the at_risk of the clock (cx.tracked), or 1 for no at-risk stage.")));
	st = track_status_args(fcinfo, at_risk, &isnull);
	if (isnull)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text(cxtr_status_name(st)));
}

/*
 * cx._track_status_code(started, due, finished, as_of, paused): cx.status_at
 * without an at-risk stage, as one "char" for the cohort review: 'o'
 * on_track, 'p' paused, 'b' breached, 'm' met, 'x' missed.
 */
Datum
cx_track_status_code(PG_FUNCTION_ARGS)
{
	bool		isnull;

	switch (track_status_args(fcinfo, 1.0, &isnull))
	{
		case CXTR_MET:
			PG_RETURN_CHAR('m');
		case CXTR_MISSED:
			PG_RETURN_CHAR('x');
		case CXTR_BREACHED:
			PG_RETURN_CHAR('b');
		case CXTR_PAUSED:
			PG_RETURN_CHAR('p');
		default:
			break;
	}
	if (isnull)
		PG_RETURN_NULL();
	PG_RETURN_CHAR('o');
}

/* The status by arguments (started, due, finished, as_of, paused), or *isnull. */
static cxtr_status
track_status_args(FunctionCallInfo fcinfo, double at_risk, bool *isnull)
{
	TimestampTz started,
				due,
				finished = 0,
				as_of;
	bool		open,
				paused;

	*isnull = true;
	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(3))
		return CXTR_NONE;
	started = PG_GETARG_TIMESTAMPTZ(0);
	due = PG_GETARG_TIMESTAMPTZ(1);
	as_of = PG_GETARG_TIMESTAMPTZ(3);
	if (TIMESTAMP_NOT_FINITE(started))
		return CXTR_NONE;
	open = PG_ARGISNULL(2);
	if (!open)
	{
		finished = PG_GETARG_TIMESTAMPTZ(2);
		open = finished > as_of;
	}
	paused = !PG_ARGISNULL(4) && PG_GETARG_TIMESTAMPTZ(4) <= as_of;
	*isnull = false;
	return cxtr_status_at(started, due, open, finished, paused, as_of, at_risk);
}

/*
 * cx._track_cohort_verdict(rows, met, open, open_breached, standard): the verdict
 * on a cohort against the standard's target (track_core.c).
 */
Datum
cx_track_cohort_verdict(PG_FUNCTION_ARGS)
{
	int64		rows = PG_GETARG_INT64(0),
				met = PG_GETARG_INT64(1),
				open = PG_GETARG_INT64(2),
				breached = PG_GETARG_INT64(3);
	CxstdStandard *std = DatumGetStandardP(PG_GETARG_DATUM(4));

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
