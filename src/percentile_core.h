/*
 * percentile_core.h — the serialized partial state of the exact percentile
 * aggregates, without PostgreSQL headers: its header, the wire layouts of
 * its values and the checks a deserialized state must pass.
 *
 * A serialized state is a bytea: [varlena word][CxPctSerialHeader][npct
 * fractions as float8][zero padding to 8][n values].  Interval values are
 * sent as 16 bytes (time, day, month), 12 (time, day: no months) or 8 (time
 * only) each, as the flags say; float8 values as 8 bytes.  Native byte
 * order: states only travel between processes of one server.  With
 * CXPCT_FLAG_SHARED the values are in the query's shared memory and the
 * bytes after the fractions are a reference to them, checked by the caller;
 * with CXPCT_FLAG_FILE they are in a temporary file a parallel worker hands
 * to the leader, and a CxPctFileRef follows the fractions.
 */
#ifndef CX_PERCENTILE_CORE_H
#define CX_PERCENTILE_CORE_H

#include <stddef.h>
#include <stdint.h>

#include "percentile_select_core.h"

#define CXPCT_KIND_FLOAT8		1
#define CXPCT_KIND_INTERVAL		2
#define CXPCT_SERIAL_VERSION	2
#define CXPCT_MAX_PERCENTILES	1000
#define CXPCT_MAX_DIMS			6	/* PostgreSQL's MAXDIM */
#define CXPCT_FLAG_MULTI		1
#define CXPCT_FLAG_PNULL		2
#define CXPCT_FLAG_NO_MONTHS	4	/* intervals sent as time + day (12 bytes) */
#define CXPCT_FLAG_TIME_ONLY	8	/* intervals sent as time (8 bytes) */
#define CXPCT_FLAG_SHARED		16	/* values left in the query's shared memory */
#define CXPCT_FLAG_FILE			32	/* values in a temporary file of the query's file set */
#define CXPCT_FLAG_ALL			63
#define CXPCT_LAYOUTS (CXPCT_FLAG_NO_MONTHS | CXPCT_FLAG_TIME_ONLY)

/* Largest state in bytes, varlena word included (PostgreSQL's MaxAllocSize). */
#define CXPCT_MAX_BYTES ((size_t) 0x3fffffff)

/*
 * The shape of a fraction array, which the answer keeps: ndim is 0 for the
 * scalar form and an empty array; entries past ndim are zero.
 */
typedef struct CxPctShape
{
	int32_t		ndim;
	int32_t		dims[CXPCT_MAX_DIMS];
	int32_t		lbs[CXPCT_MAX_DIMS];
} CxPctShape;

/* The header of a serialized state, after the varlena word. */
typedef struct CxPctSerialHeader
{
	int32_t		version;
	int32_t		kind;
	int32_t		flags;			/* CXPCT_FLAG_* */
	int32_t		npct;
	int64_t		n;
	CxPctShape	shape;
	int32_t		reserved;		/* zero */
} CxPctSerialHeader;

/*
 * Is a shape one a fraction array can have: ndim dimensions (0 to
 * CXPCT_MAX_DIMS) of dims[i] >= 1 elements holding npct elements in all,
 * upper bounds lbs[i] + dims[i] - 1 within int32, zeros past ndim (so
 * shapes compare with memcmp)?  Returns 1 or 0.
 */
extern int	cxpct_shape_ok(const CxPctShape *s, int32_t npct);

/* Size in bytes of one value of a kind in memory (double or CxInterval). */
extern size_t cxpct_elem_size(int32_t kind);

/* Bytes per value on the wire for a kind and flags. */
extern size_t cxpct_wire_size(int32_t kind, int32_t flags);

/* Bytes of a serialized state before its values, varlena word included. */
extern size_t cxpct_header_len(int32_t npct);

/* The largest number of values a state may keep (its bytes stay under 1 GB). */
extern int64_t cxpct_max_values(int32_t kind, int32_t npct);

/* The narrowest wire layout (0 or one CXPCT_LAYOUTS flag) for n intervals. */
extern int32_t cxpct_interval_layout(const CxInterval *v, int64_t n);

/* Write n values of a kind (in memory layout) to w in a wire layout. */
extern void cxpct_encode(int32_t kind, int32_t layout, const void *values, int64_t n, char *w);

/* Read n values of a kind in a wire layout from r into values (room for n). */
extern void cxpct_decode(int32_t kind, int32_t layout, const char *r, int64_t n, void *values);

/*
 * Check the len bytes after the varlena word of a serialized state: header,
 * fractions and length.  Returns 1 with the header in *hdr, the wire layout
 * in *layout and the offset of the values (or of the shared reference) in
 * *head; 0 with a message in *why.
 */
extern int	cxpct_check_state(const char *p, size_t len, CxPctSerialHeader *hdr,
							  int32_t *layout, size_t *head, const char **why);

/* The temporary file of a spilled partial state (CXPCT_FLAG_FILE). */
#define CXPCT_FILE_NAME_LEN		48
typedef struct CxPctFileRef
{
	int64_t		n;				/* values in the file, the header's n */
	unsigned char lo[16];		/* smallest and largest key (percentile_spill_core.h) */
	unsigned char hi[16];
	char		name[CXPCT_FILE_NAME_LEN];	/* "cxpct.<pid>.<16 hex digits>", NUL-padded */
} CxPctFileRef;

/* Is a file reference well formed for n values?  Returns 1 or 0. */
extern int	cxpct_file_ref_ok(const CxPctFileRef *ref, int64_t n);

/* One requested fraction's ranks: which values it needs, and how. */
typedef struct CxPctRank
{
	int64_t		first;			/* 0-based rank of the lower value; -1 for a NULL fraction */
	int64_t		second;			/* 0-based rank of the upper value */
	double		proportion;		/* interpolation weight of the upper value */
} CxPctRank;

/*
 * The ranks percentile_cont (continuous) or percentile_disc needs for each
 * of npct fractions (NaN for NULL) over total values, exactly as PostgreSQL
 * computes them, into rk; the sorted unique ranks to select into ranks
 * (room for 2 * npct).  Returns their number.
 */
extern int	cxpct_plan(const double *pcts, int npct, int64_t total, int continuous,
					   CxPctRank *rk, int64_t *ranks);

/* Index of rank r in a sorted unique list of m ranks that holds it. */
extern int	cxpct_rank_index(const int64_t *ranks, int m, int64_t r);

/* The fractions of a checked state: npct doubles at p + sizeof(CxPctSerialHeader). */
extern void cxpct_fractions(const char *p, int32_t npct, double *out);

#endif
