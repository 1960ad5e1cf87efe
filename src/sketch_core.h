/*
 * sketch_core.h — the cycle-time sketch without PostgreSQL: bucket mapping,
 * the dense (aggregation) and compact (stored) layouts, varint streams,
 * validation, merge, quantiles, text form.
 *
 * A sketch is one contiguous buffer that starts with CxskHeader; the first
 * four bytes are PostgreSQL's varlena length word, which this file never
 * reads or writes.  Bucket i covers (gamma^(i-1), gamma^i] with
 * gamma = (1 + alpha) / (1 - alpha); negative values use the mirrored
 * buckets [-gamma^i, -gamma^(i-1)); exact zeros are counted apart.
 *
 * Buckets are addressed by a "key" that grows with the value: key = i on
 * the positive side and key = -i on the negative side, so both sides are
 * stored and walked in ascending value order.
 *
 * Dense form (flag CXSK_F_DENSE): after the header, int64 counts for the
 * negative side (neg.span slots, slot s = key neg.base + s), then for the
 * positive side.  Used while aggregating; updated in place.
 *
 * Compact form: after the header, the negative side's token stream, then
 * the positive side's.  A side's stream starts at key base; each token is an
 * unsigned varint u: u even: a bucket with count u >> 1 (>= 1), then the key
 * advances by one; u odd: u >> 1 (>= 1) empty buckets are skipped.  The
 * stream begins and ends with a count and never has two gaps in a row, so
 * every sketch has exactly one compact encoding.
 */
#ifndef CX_SKETCH_CORE_H
#define CX_SKETCH_CORE_H

#include <stddef.h>
#include <stdint.h>

#include "prim_core.h"

#define CXSK_VERSION 1
#define CXSK_F_INTERVAL 0x01	/* values are microseconds of an interval */
#define CXSK_F_DENSE 0x02		/* dense in-memory layout */
#define CXSK_F_ALL (CXSK_F_INTERVAL | CXSK_F_DENSE)

#define CXSK_ALPHA_MIN 0.0001
#define CXSK_ALPHA_MAX 0.5
#define CXSK_ALPHA_DEFAULT 0.01

/* Largest accepted |microseconds| of an interval value. */
#define CXSK_MAX_US INT64_MAX

typedef struct CxskSide
{
	int32_t		base;			/* key of the first slot / first bucket */
	int32_t		span;			/* slots (dense) or last - first + 1 (compact), 0 if empty */
	uint32_t	nbytes;			/* bytes of this side after the header */
	uint32_t	pad;
} CxskSide;

typedef union CxskNum
{
	int64_t		i;				/* interval sketches: microseconds */
	double		d;				/* number sketches */
} CxskNum;

typedef struct CxskHeader
{
	int32_t		vl_len;			/* PostgreSQL's varlena word, not touched here */
	uint8_t		version;
	uint8_t		flags;
	uint16_t	reserved;
	double		alpha;			/* relative accuracy as given */
	double		mult;			/* 1 / ln(gamma), derived from alpha */
	int64_t		count;			/* values in the sketch, zeros included */
	int64_t		zeros;			/* values equal to zero */
	CxskNum		min;
	CxskNum		max;
	int64_t		sum_hi;			/* interval: high half of the int128 sum of us; number: double sum */
	uint64_t	sum_lo;			/* interval: low half; number: double compensation term */
	CxskSide	neg;
	CxskSide	pos;
} CxskHeader;

#define CXSK_HDRSZ sizeof(CxskHeader)

/* The exact sum of an interval sketch in microseconds (sum_hi:sum_lo, no signed shift). */
static inline __int128
cxsk_sum_us(const CxskHeader *h)
{
	return (__int128) (((unsigned __int128) (uint64_t) h->sum_hi << 64) | h->sum_lo);
}

/* Store the exact sum of an interval sketch (no shift of a negative number). */
static inline void
cxsk_set_sum_us(CxskHeader *h, __int128 s)
{
	h->sum_hi = (int64_t) (uint64_t) ((unsigned __int128) s >> 64);
	h->sum_lo = (uint64_t) s;
}

/* Error message buffer size used by the checking functions. */
#define CXSK_ERRLEN 200

/* 1 / ln(gamma) for a relative accuracy alpha. */
extern double cxsk_mult(double alpha);

/* Largest |key| a value of this sketch may have. */
extern int32_t cxsk_key_limit(double mult);

/* Key of the bucket holding |x| > 0 (x finite). */
extern int32_t cxsk_key_of(double mult, double absx);

/* Is alpha an accepted relative accuracy? */
extern int	cxsk_alpha_ok(double alpha);

/* Bytes of a dense sketch with these side spans. */
extern size_t cxsk_dense_size(int32_t negspan, int32_t posspan);

/* Pointer to a dense side's slots (side 0 = negative, 1 = positive). */
extern int64_t *cxsk_dense_slots(CxskHeader *h, int side);

/* Start an empty dense sketch in buf (cxsk_dense_size(...) bytes). */
extern void cxsk_dense_init(CxskHeader *h, double alpha, int is_interval,
							int32_t negbase, int32_t negspan,
							int32_t posbase, int32_t posspan);

/* Slot range a new dense sketch should get for a first value x. */
extern void cxsk_dense_first_range(double mult, double x, int32_t *negbase, int32_t *negspan,
								   int32_t *posbase, int32_t *posspan);

/*
 * Add one value to a dense sketch.  Returns 1 when done; 0 when the bucket
 * lies outside the allocated slots (nothing changed; grow and retry); -1
 * when the sketch cannot take it: the count is already INT64_MAX (nothing
 * changed), or the sum of a number sketch became infinite (the value was
 * added).  For interval sketches x is (double) us and us the exact
 * microseconds.
 */
extern int	cxsk_dense_add(CxskHeader *h, double x, int64_t us);

/*
 * Ranges a dense sketch must cover to also hold key (on side) or the
 * buckets of other; returns 1 if the current slots already suffice.
 */
extern int	cxsk_grow_for_key(const CxskHeader *h, int side, int32_t key,
							  int32_t *negbase, int32_t *negspan,
							  int32_t *posbase, int32_t *posspan);
extern int	cxsk_grow_for_merge(const CxskHeader *h, const CxskHeader *other,
								int32_t *negbase, int32_t *negspan,
								int32_t *posbase, int32_t *posspan);

/* Copy dense (or compact) src into a new dense layout dst with the given ranges. */
extern void cxsk_to_dense(const CxskHeader *src, CxskHeader *dst,
						  int32_t negbase, int32_t negspan,
						  int32_t posbase, int32_t posspan);

/* Merge other (any layout, same kind and alpha) into dense h whose slots cover it. */
extern int	cxsk_merge_into(CxskHeader *h, const CxskHeader *other, char *err);

/* Can a and b be merged?  0 with a message in err if not. */
extern int	cxsk_mergeable(const CxskHeader *a, const CxskHeader *b, char *err);

/* Bytes of the compact form of h (any layout). */
extern size_t cxsk_compact_size(const CxskHeader *h);

/* Write the compact form of h into dst (cxsk_compact_size(h) bytes). */
extern void cxsk_compact(const CxskHeader *h, CxskHeader *dst);

/* Check a compact sketch of len bytes from an untrusted source; 0 + err if bad. */
extern int	cxsk_validate(const CxskHeader *h, size_t len, char *err);

/* Check a buffer that claims to be a sketch of either layout (cheap, structural). */
extern int	cxsk_check_layout(const CxskHeader *h, size_t len);

/* Walk buckets in ascending value order. */
typedef struct CxskIter
{
	const CxskHeader *h;
	int			stage;			/* 0 negative, 1 zeros, 2 positive, 3 done */
	int32_t		key;
	const uint8_t *p;
	const uint8_t *end;
	int32_t		slot;
} CxskIter;

extern void cxsk_iter_init(CxskIter *it, const CxskHeader *h);

/* Next non-empty bucket: side -1/0/+1, its key (0 for zeros), count; 0 at the end. */
extern int	cxsk_iter_next(CxskIter *it, int *sign, int32_t *key, int64_t *count);

/* Lower and upper bound of a bucket (side -1/0/+1, key). */
extern void cxsk_bucket_bounds(const CxskHeader *h, int sign, int32_t key, double *lo, double *hi);

/* Rank (1-based) percentile_disc uses for fraction q of n values: max(1, ceil(q n)). */
extern int64_t cxsk_rank_of(double q, int64_t n);

/*
 * Value at rank k (1..count): exact min for k = 1, exact max for k = count,
 * otherwise the representative of the bucket holding rank k, clamped to
 * [min, max].  For interval sketches *us gets it rounded to microseconds.
 */
extern double cxsk_value_at_rank(const CxskHeader *h, int64_t k, int64_t *us);

/* Number of values whose reported value is <= limit (limit in us for interval sketches). */
extern int64_t cxsk_count_le(const CxskHeader *h, double limit);

/* Mean: number sketches in *d; interval sketches in *us (rounded half away from zero). */
extern void cxsk_mean(const CxskHeader *h, double *d, int64_t *us);

/* Text form: writes at most cap bytes including NUL; returns the length needed (without NUL). */
extern size_t cxsk_format(const CxskHeader *h, char *buf, size_t cap);

/*
 * Parse the text form.  Returns a compact, validated sketch allocated with
 * alloc (length in *len), or NULL with a message in err.
 */
extern CxskHeader *cxsk_parse(const char *text, void *(*alloc) (size_t), size_t *len, char *err);

/* Build a compact sketch from fields and the two token streams (for recv); NULL + err if bad. */
extern CxskHeader *cxsk_from_parts(const CxskHeader *fields, const uint8_t *negbytes,
								   const uint8_t *posbytes, void *(*alloc) (size_t),
								   size_t *len, char *err);

/* Bytes of the binary (send) form of a compact sketch. */
extern size_t cxsk_send_size(const CxskHeader *h);

/* Write the binary form of compact sketch h into out (cxsk_send_size(h) bytes). */
extern void cxsk_send(const CxskHeader *h, uint8_t *out);

/*
 * Decode the binary form (all len bytes of it): returns a compact, validated
 * sketch allocated with alloc (length in *outlen), or NULL with a message.
 */
extern CxskHeader *cxsk_recv(const uint8_t *buf, size_t len, void *(*alloc) (size_t),
							 size_t *outlen, char *err);

#endif
