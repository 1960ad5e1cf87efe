/*
 * track.h — what the files of table tracking share:
 *
 *   track_cache.c    the registry as this backend caches it (one TrackConfig
 *                    per table, one TrackClock per clock, the lookup tables)
 *   track_trigger.c  the row triggers (clocks, low scores), the statement
 *                    triggers, and the SQL wrappers of track_core.c
 *   track_log.c      the breach-log buffer, its writers and NOTIFY
 *   track_sweep.c    cx.sweep, the backfill of cx.track, registry writes
 *
 * The pure rules (statuses, events, pauses, verdicts) are in track_core.c.
 */
#ifndef CX_TRACK_H
#define CX_TRACK_H

#include "cx_metrics.h"

#include "access/htup_details.h"
#include "commands/trigger.h"
#include "utils/rel.h"

#include "standard.h"
#include "track_core.h"

/* One entry of a lookup table: the standard and calendar of a value. */
typedef struct TrackLookupEntry
{
	char	   *key;			/* the value as text */
	int			keylen;
	CxstdStandard std;
	bool		std_null;
	char	   *calendar;		/* NULL: the clock's calendar */
	int			calendar_len;
} TrackLookupEntry;

/* One clock of a tracked table (a row of cx.tracked). */
typedef struct TrackClock
{
	char	   *name;
	/* the columns read, as indexes into the row trigger's TrackCol array (-1: none) */
	int			c_started;
	int			c_finished;
	int			c_status;
	int			c_due;
	int			c_std;			/* the row's standard */
	int			c_by;			/* the value looked up */
	int			c_paused;		/* paused since */
	int			c_paused_for;	/* paused time so far */
	AttrNumber	att_key;
	FmgrInfo	key_out;
	bool		status_enum;
	Datum		status_datum[CXTR_NSTATUS]; /* text or enum OID per status */
	bool		has_standard;	/* the clock's own (default) standard */
	CxstdStandard standard;
	char	   *calendar;
	int			calendar_len;
	double		at_risk;
	/* the lookup table, sorted by key */
	Oid			lookup;
	int			nentries;
	TrackLookupEntry *entries;
	FmgrInfo	by_out;
	bool		by_text;		/* text or varchar: compared as bytes */
	bool		has_calendars;	/* some entry names a calendar */
	int			last_entry;		/* the entry found last, or -1 */
} TrackClock;

/* A column of a row as the trigger read it, and where it is stored. */
typedef struct TrackCol
{
	Datum		d;
	bool		isnull;
	char	   *at;				/* the stored value, NULL when null or missing */
} TrackCol;

/* Configuration of one tracked table, as cached by this backend. */
typedef struct TrackConfig
{
	MemoryContext cxt;			/* holds this struct and everything it points to */
	bool		valid;
	char	   *relname;		/* schema-qualified name for the log */
	/* the clocks, and the columns they read */
	int			nclocks;
	TrackClock *clocks;
	int			ncols;
	AttrNumber *col_att;		/* attribute number of each column read */
	int16	   *att_col;		/* index into the columns read per attribute - 1, or -1 */
	AttrNumber	att_last;		/* the last attribute read */
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

/*
 * What is known of the row a buffered entry comes from: a row to insert
 * that a later trigger or INSERT ... ON CONFLICT may still discard; a row
 * stored (updated, or inserted: the WHEN condition of cx_track_inserted
 * ran for it); or a row discarded.  Only entries of stored rows are
 * written to the log.
 */
typedef enum TrackLogRowState
{
	CX_LOG_PENDING,
	CX_LOG_STORED,
	CX_LOG_DISCARDED
} TrackLogRowState;

/* One buffered breach-log row. */
typedef struct TrackLogEntry
{
	SubTransactionId subid;
	TrackLogRowState state;
	uint32		row;			/* the row it comes from (a number per backend) */
	CommandId	level;			/* the statement of that row (track_log_level) */
	Oid			relid;
	int64		id;				/* assigned when written */
	const char *tbl;
	const char *clock;			/* NULL for a low score */
	char	   *key;
	bool		std_null;
	CxstdStandard std;			/* the standard that judged the row */
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
} TrackLogEntry;

/* track_cache.c */
extern void track_init(void);
extern TrackEntry *track_lookup(Relation rel);
extern TrackEntry *track_entry_find(Oid relid);
extern void track_counters_touched(void);
extern const TrackLookupEntry *track_lookup_entry(TrackClock *c, Datum value);

/* track_log.c */
extern void track_log_init(void);
extern void track_log_clear(void);
extern int	track_log_pending(void);
extern void track_log_discard_subxact(SubTransactionId subid);
extern TrackLogEntry *track_log_append(Oid relid, bool insert);
extern char *track_log_strdup(const char *s);
extern void track_log_flush(void);
extern void track_log_flush_if_full(void);
extern void track_check_flush_trigger(Relation rel);
extern bool track_log_confirms(Relation rel);
extern bool track_clock_trigger_fires(Relation rel);
extern void track_log_row_begin(Oid relid);
extern void track_log_row_stored(Oid relid);
extern void track_log_statement_end(Oid relid);

/* track_trigger.c */
extern TriggerData *track_trigger_data(FunctionCallInfo fcinfo, const char *fname, bool row);

/* Individual notifications per table and statement before coalescing. */
#define CX_TRACK_NOTIFY_MAX 100
/* Buffered log entries written at once in the middle of a long statement. */
#define CX_TRACK_FLUSH_ROWS 10000

#endif
