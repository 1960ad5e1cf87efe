/*
 * sketch_core.c — the cycle-time sketch without PostgreSQL (see sketch_core.h).
 */
#include "sketch_core.h"
#include "wire_core.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <stdarg.h>

typedef __int128 CxskI128;

/* The header is the stored form's first bytes: its size is part of the format. */
_Static_assert(sizeof(CxskHeader) == 104, "CxskHeader is not 104 bytes");

/* Set an error message. */
static void
seterr(char *err, const char *msg)
{
	if (err)
	{
		strncpy(err, msg, CXSK_ERRLEN - 1);
		err[CXSK_ERRLEN - 1] = '\0';
	}
}

/* Largest |key| a value of this sketch may have. */
int32_t
cxsk_key_limit(double mult)
{
	/* ln(DBL_TRUE_MIN) ~ -744.44, ln(DBL_MAX) ~ 709.78 */
	return (int32_t) ceil(745.0 * mult) + 2;
}

/*
 * Fast natural logarithm: ln(x) = e ln 2 - ln(inv[j]) + ln(1 + r) with j the
 * top 10 mantissa bits, inv[j] ~ 1 / (1 + j/1024) and 0 <= r < 1/1024, so
 * r - r^2/2 is accurate to 3.2e-10 absolute.  Only used to pick a bucket
 * where the exact answer is not in doubt (see key_of).
 */
typedef struct LnEntry
{
	double		inv;
	double		neglog;			/* -log(inv), exactly as libm gives it */
} LnEntry;

static LnEntry ln_tab[1024];
static int	ln_ready = 0;

/* Fill the table of the fast logarithm. */
static void
ln_init(void)
{
	int			j;

	for (j = 0; j < 1024; j++)
	{
		ln_tab[j].inv = 1.0 / (1.0 + j / 1024.0);
		ln_tab[j].neglog = -log(ln_tab[j].inv);
	}
	ln_ready = 1;
}

/* ceil(t) for |t| < 2^31, without a libm call. */
static inline int32_t
ceil_i32(double t)
{
	int32_t		k = (int32_t) t;

	return (double) k < t ? k + 1 : k;
}

/*
 * Key of |x| > 0: exactly ceil(log(x) * mult), the libm answer; the fast
 * logarithm decides whenever the product is farther than its error bound
 * from an integer (all but about one value in 10^7 at alpha = 0.01).
 */
static inline int32_t
key_of(double mult, double absx)
{
	uint64_t	bits;
	int			e;
	double		m,
				r,
				l,
				t,
				fl,
				frac;
	int32_t		k;

	memcpy(&bits, &absx, 8);
	e = (int) ((bits >> 52) & 0x7ff);
	if (e == 0 || e == 0x7ff || !ln_ready)
		return ceil_i32(log(absx) * mult);	/* subnormal, or tables not ready */
	bits = (bits & 0x000fffffffffffffULL) | 0x3ff0000000000000ULL;
	memcpy(&m, &bits, 8);
	{
		const LnEntry *le = &ln_tab[(bits >> 42) & 0x3ff];

		r = m * le->inv - 1.0;
		l = (double) (e - 1023) * 0.69314718055994530942 + le->neglog + r * (1.0 - 0.5 * r);
	}
	t = l * mult;
	k = (int32_t) t;			/* |t| < 2^31: keys are bounded */
	fl = (double) k;
	if (fl > t)
	{
		k--;
		fl -= 1.0;
	}
	frac = t - fl;
	/* error of t: at most 3.3e-10 * mult + rounding; decide only with margin */
	if (frac < 2e-9 * (1.0 + mult) || frac > 1.0 - 2e-9 * (1.0 + mult))
		return ceil_i32(log(absx) * mult);
	return k + 1;
}

/* Key of the bucket holding |x| > 0 (x finite). */
int32_t
cxsk_key_of(double mult, double absx)
{
	return key_of(mult, absx);
}

/* 1 / ln(gamma) for a relative accuracy alpha. */
double
cxsk_mult(double alpha)
{
	if (!ln_ready)
		ln_init();
	return 1.0 / log1p(2.0 * alpha / (1.0 - alpha));
}

/* Is alpha an accepted relative accuracy? */
int
cxsk_alpha_ok(double alpha)
{
	return alpha >= CXSK_ALPHA_MIN && alpha <= CXSK_ALPHA_MAX;
}

/* Bytes of a dense sketch with these side spans. */
size_t
cxsk_dense_size(int32_t negspan, int32_t posspan)
{
	return CXSK_HDRSZ + ((size_t) negspan + (size_t) posspan) * sizeof(int64_t);
}

/* Pointer to a dense side's slots (side 0 = negative, 1 = positive). */
int64_t *
cxsk_dense_slots(CxskHeader *h, int side)
{
	int64_t    *s = (int64_t *) ((char *) h + CXSK_HDRSZ);

	CX_ASSERT((h->flags & CXSK_F_DENSE) && (side == 0 || side == 1));
	CX_ASSERT(h->neg.span >= 0 && h->pos.span >= 0);
	return side ? s + h->neg.span : s;
}

/* Read-only variant of cxsk_dense_slots. */
static const int64_t *
dense_slots_c(const CxskHeader *h, int side)
{
	const int64_t *s = (const int64_t *) ((const char *) h + CXSK_HDRSZ);

	CX_ASSERT((h->flags & CXSK_F_DENSE) && (side == 0 || side == 1));
	return side ? s + h->neg.span : s;
}

/* Add c to the dense slot of bucket key on side sign (-1 or +1), which the slots cover. */
static void
dense_slot_add(CxskHeader *h, int sign, int32_t key, int64_t c)
{
	const CxskSide *sd = sign > 0 ? &h->pos : &h->neg;
	int64_t		slot = (int64_t) key - sd->base;

	CX_ASSERT(sign == -1 || sign == 1);
	CX_ASSERT(slot >= 0 && slot < sd->span);
	cxsk_dense_slots(h, sign > 0)[slot] += c;
}

/* Start an empty dense sketch. */
void
cxsk_dense_init(CxskHeader *h, double alpha, int is_interval,
				int32_t negbase, int32_t negspan, int32_t posbase, int32_t posspan)
{
	int32_t		vl = h->vl_len;

	CX_ASSERT(negspan >= 0 && posspan >= 0);
	memset(h, 0, cxsk_dense_size(negspan, posspan));
	h->vl_len = vl;
	h->version = CXSK_VERSION;
	h->flags = CXSK_F_DENSE | (is_interval ? CXSK_F_INTERVAL : 0);
	h->alpha = alpha;
	h->mult = cxsk_mult(alpha);
	h->neg.base = negbase;
	h->neg.span = negspan;
	h->neg.nbytes = (uint32_t) negspan * sizeof(int64_t);
	h->pos.base = posbase;
	h->pos.span = posspan;
	h->pos.nbytes = (uint32_t) posspan * sizeof(int64_t);
	if (is_interval)
	{
		h->min.i = INT64_MAX;
		h->max.i = INT64_MIN;
	}
	else
	{
		h->min.d = HUGE_VAL;
		h->max.d = -HUGE_VAL;
	}
}

/* Clamp a slot range [*base, *base + *span) to the key limits. */
static void
clamp_range(int32_t limit, int32_t *base, int32_t *span)
{
	int64_t		lo = *base,
				hi = (int64_t) *base + *span - 1;

	if (lo < -limit)
		lo = -limit;
	if (hi > limit)
		hi = limit;
	*base = (int32_t) lo;
	*span = (int32_t) (hi - lo + 1);
}

/* Slot range a new dense sketch should get for a first value x. */
void
cxsk_dense_first_range(double mult, double x, int32_t *negbase, int32_t *negspan,
					   int32_t *posbase, int32_t *posspan)
{
	int32_t		limit = cxsk_key_limit(mult);

	*negbase = *negspan = *posbase = *posspan = 0;
	if (x > 0)
	{
		*posbase = cxsk_key_of(mult, x) - 32;
		*posspan = 64;
		clamp_range(limit, posbase, posspan);
	}
	else if (x < 0)
	{
		*negbase = -cxsk_key_of(mult, -x) - 32;
		*negspan = 64;
		clamp_range(limit, negbase, negspan);
	}
}

/* Add one value to a dense sketch; 1 done, 0 needs more slots, -1 overflow. */
int
cxsk_dense_add(CxskHeader *h, double x, int64_t us)
{
	if (h->count == INT64_MAX)
		return -1;
	if (x > 0)
	{
		int32_t		slot = key_of(h->mult, x) - h->pos.base;

		if ((uint32_t) slot >= (uint32_t) h->pos.span)
			return 0;
		cxsk_dense_slots(h, 1)[slot]++;
	}
	else if (x < 0)
	{
		int32_t		slot = -key_of(h->mult, -x) - h->neg.base;

		if ((uint32_t) slot >= (uint32_t) h->neg.span)
			return 0;
		cxsk_dense_slots(h, 0)[slot]++;
	}
	else
		h->zeros++;
	h->count++;
	if (h->flags & CXSK_F_INTERVAL)
	{
		CxskI128	s = cxsk_sum_us(h);

		s += us;
		cxsk_set_sum_us(h, s);
		if (us < h->min.i)
			h->min.i = us;
		if (us > h->max.i)
			h->max.i = us;
	}
	else
	{
		double		hi,
					lo,
					t;

		memcpy(&hi, &h->sum_hi, sizeof(double));
		memcpy(&lo, &h->sum_lo, sizeof(double));
		t = hi + x;
		if (fabs(hi) >= fabs(x))
			lo += (hi - t) + x;
		else
			lo += (x - t) + hi;
		hi = t;
		memcpy(&h->sum_hi, &hi, sizeof(double));
		memcpy(&h->sum_lo, &lo, sizeof(double));
		if (x < h->min.d)
			h->min.d = x;
		if (x > h->max.d)
			h->max.d = x;
		if (!isfinite(hi))
			return -1;
	}
	return 1;
}

/* Make [*base, *base + *span) cover key, with slack; 1 if it already did. */
static int
span_cover(int32_t limit, int32_t key, int32_t *base, int32_t *span, int slack)
{
	int64_t		lo = *base,
				hi = (int64_t) *base + *span - 1;
	int64_t		extra;

	if (*span == 0)
	{
		lo = key - (slack ? 16 : 0);
		hi = key + (slack ? 16 : 0);
	}
	else
	{
		if (key >= lo && key <= hi)
			return 1;
		extra = slack ? (*span / 2 > 16 ? *span / 2 : 16) : 0;
		if (key < lo)
			lo = key - extra;
		else
			hi = key + extra;
	}
	if (lo < -limit)
		lo = -limit;
	if (hi > limit)
		hi = limit;
	*base = (int32_t) lo;
	*span = (int32_t) (hi - lo + 1);
	return 0;
}

/* Ranges a dense sketch needs to also hold key on side (0 neg, 1 pos); 1 if enough. */
int
cxsk_grow_for_key(const CxskHeader *h, int side, int32_t key,
				  int32_t *negbase, int32_t *negspan, int32_t *posbase, int32_t *posspan)
{
	int32_t		limit = cxsk_key_limit(h->mult);

	*negbase = h->neg.base;
	*negspan = h->neg.span;
	*posbase = h->pos.base;
	*posspan = h->pos.span;
	if (side)
		return span_cover(limit, key, posbase, posspan, 1);
	return span_cover(limit, key, negbase, negspan, 1);
}

/* Ranges a dense sketch needs to also hold other's buckets; 1 if enough. */
int
cxsk_grow_for_merge(const CxskHeader *h, const CxskHeader *other,
					int32_t *negbase, int32_t *negspan, int32_t *posbase, int32_t *posspan)
{
	int32_t		limit = cxsk_key_limit(h->mult);
	int			ok = 1;

	*negbase = h->neg.base;
	*negspan = h->neg.span;
	*posbase = h->pos.base;
	*posspan = h->pos.span;
	if (other->neg.span > 0)
	{
		ok &= span_cover(limit, other->neg.base, negbase, negspan, 0);
		ok &= span_cover(limit, other->neg.base + other->neg.span - 1, negbase, negspan, 0);
	}
	if (other->pos.span > 0)
	{
		ok &= span_cover(limit, other->pos.base, posbase, posspan, 0);
		ok &= span_cover(limit, other->pos.base + other->pos.span - 1, posbase, posspan, 0);
	}
	return ok;
}

/* Copy src (any layout) into a new dense layout dst with the given ranges. */
void
cxsk_to_dense(const CxskHeader *src, CxskHeader *dst,
			  int32_t negbase, int32_t negspan, int32_t posbase, int32_t posspan)
{
	CxskIter	it;
	int			sign;
	int32_t		key;
	int64_t		c;

	cxsk_dense_init(dst, src->alpha, (src->flags & CXSK_F_INTERVAL) != 0,
					negbase, negspan, posbase, posspan);
	dst->count = src->count;
	dst->zeros = src->zeros;
	dst->min = src->min;
	dst->max = src->max;
	dst->sum_hi = src->sum_hi;
	dst->sum_lo = src->sum_lo;
	cxsk_iter_init(&it, src);
	while (cxsk_iter_next(&it, &sign, &key, &c))
		if (sign != 0)
			dense_slot_add(dst, sign, key, c);
}

/* Can a and b be merged?  0 with a message in err if not. */
int
cxsk_mergeable(const CxskHeader *a, const CxskHeader *b, char *err)
{
	if ((a->flags & CXSK_F_INTERVAL) != (b->flags & CXSK_F_INTERVAL))
	{
		seterr(err, "cannot merge a sketch of intervals with a sketch of numbers");
		return 0;
	}
	if (a->alpha != b->alpha)
	{
		char		buf[CXSK_ERRLEN];

		snprintf(buf, sizeof(buf),
				 "cannot merge sketches of different relative accuracy (%.17g and %.17g)",
				 a->alpha, b->alpha);
		seterr(err, buf);
		return 0;
	}
	return 1;
}

/* Merge other into dense h whose slots cover it; 0 + err on overflow or mismatch. */
int
cxsk_merge_into(CxskHeader *h, const CxskHeader *other, char *err)
{
	CxskIter	it;
	int			sign;
	int32_t		key;
	int64_t		c;
	int64_t		total;

	if (!cxsk_mergeable(h, other, err))
		return 0;
	if (__builtin_add_overflow(h->count, other->count, &total))
	{
		seterr(err, "sketch count out of range");
		return 0;
	}
	if (h->flags & CXSK_F_INTERVAL)
	{
		CxskI128	a = cxsk_sum_us(h);
		CxskI128	b = cxsk_sum_us(other);
		CxskI128	s;

		if (__builtin_add_overflow(a, b, &s))
		{
			seterr(err, "sketch sum out of range");
			return 0;
		}
		cxsk_set_sum_us(h, s);
		if (other->min.i < h->min.i)
			h->min.i = other->min.i;
		if (other->max.i > h->max.i)
			h->max.i = other->max.i;
	}
	else
	{
		double		ah,
					al,
					bh,
					bl,
					t,
					e;

		memcpy(&ah, &h->sum_hi, 8);
		memcpy(&al, &h->sum_lo, 8);
		memcpy(&bh, &other->sum_hi, 8);
		memcpy(&bl, &other->sum_lo, 8);
		t = ah + bh;
		if (fabs(ah) >= fabs(bh))
			e = (ah - t) + bh;
		else
			e = (bh - t) + ah;
		al = al + bl + e;
		if (!isfinite(t) || !isfinite(al))
		{
			seterr(err, "sketch sum out of range");
			return 0;
		}
		memcpy(&h->sum_hi, &t, 8);
		memcpy(&h->sum_lo, &al, 8);
		if (other->min.d < h->min.d)
			h->min.d = other->min.d;
		if (other->max.d > h->max.d)
			h->max.d = other->max.d;
	}
	h->count = total;
	h->zeros += other->zeros;
	cxsk_iter_init(&it, other);
	while (cxsk_iter_next(&it, &sign, &key, &c))
		if (sign != 0)
			dense_slot_add(h, sign, key, c);
	return 1;
}

/* Bytes of an unsigned varint. */
static size_t
varint_len(uint64_t u)
{
	size_t		n = 1;

	while (u >= 0x80)
	{
		u >>= 7;
		n++;
	}
	return n;
}

/* Write an unsigned varint; returns bytes written. */
static size_t
varint_put(uint8_t *p, uint64_t u)
{
	size_t		n = 0;

	while (u >= 0x80)
	{
		p[n++] = (uint8_t) (u | 0x80);
		u >>= 7;
	}
	p[n++] = (uint8_t) u;
	return n;
}

/* Read an unsigned varint from [*p, end); 0 if malformed or truncated. */
static int
varint_get(const uint8_t **p, const uint8_t *end, uint64_t *u)
{
	uint64_t	v = 0;
	int			shift = 0;

	while (*p < end)
	{
		uint8_t		b = *(*p)++;

		if (shift == 63 && (b & 0x7e))
			return 0;			/* more than 64 bits */
		v |= (uint64_t) (b & 0x7f) << shift;
		if (!(b & 0x80))
		{
			/* reject non-minimal encodings (a trailing zero byte) */
			if (b == 0 && shift > 0)
				return 0;
			*u = v;
			return 1;
		}
		shift += 7;
		if (shift > 63)
			return 0;
	}
	return 0;
}

/*
 * Encode one side of h (0 neg, 1 pos) into out (or only measure when out
 * is NULL); sets *base and *span of the compact side.
 */
static size_t
encode_side(const CxskHeader *h, int side, uint8_t *out, int32_t *base, int32_t *span)
{
	CxskIter	it;
	int			sign;
	int32_t		key;
	int64_t		c;
	size_t		n = 0;
	int			first = 1;
	int32_t		next = 0;

	*base = 0;
	*span = 0;
	cxsk_iter_init(&it, h);
	while (cxsk_iter_next(&it, &sign, &key, &c))
	{
		if (sign != (side ? 1 : -1))
			continue;
		if (first)
		{
			*base = key;
			first = 0;
		}
		else if (key > next)
		{
			uint64_t	u = ((uint64_t) (key - next) << 1) | 1;

			n += out ? varint_put(out + n, u) : varint_len(u);
		}
		n += out ? varint_put(out + n, (uint64_t) c << 1) : varint_len((uint64_t) c << 1);
		next = key + 1;
	}
	if (!first)
		*span = next - *base;
	return n;
}

/* Bytes of the compact form of h (any layout). */
size_t
cxsk_compact_size(const CxskHeader *h)
{
	int32_t		b,
				s;

	return CXSK_HDRSZ + encode_side(h, 0, NULL, &b, &s) + encode_side(h, 1, NULL, &b, &s);
}

/* Write the compact form of h into dst (cxsk_compact_size(h) bytes). */
void
cxsk_compact(const CxskHeader *h, CxskHeader *dst)
{
	int32_t		vl = dst->vl_len;
	CxskSide	neg,
				pos;
	uint8_t    *p = (uint8_t *) dst + CXSK_HDRSZ;

	memset(&neg, 0, sizeof(neg));
	memset(&pos, 0, sizeof(pos));
	/* h and dst never overlap: encode straight after dst's header */
	neg.nbytes = (uint32_t) encode_side(h, 0, p, &neg.base, &neg.span);
	pos.nbytes = (uint32_t) encode_side(h, 1, p + neg.nbytes, &pos.base, &pos.span);
	memcpy(dst, h, CXSK_HDRSZ);
	dst->vl_len = vl;
	dst->flags &= ~CXSK_F_DENSE;
	dst->reserved = 0;
	dst->neg = neg;
	dst->pos = pos;
	CX_ASSERT(CXSK_HDRSZ + neg.nbytes + pos.nbytes == cxsk_compact_size(h));
}

/* Check one compact side's token stream; adds its counts to *total. */
static int
check_side(const CxskSide *s, const uint8_t *p, int32_t limit, int64_t *total, char *err)
{
	const uint8_t *end = p + s->nbytes;
	int64_t		key,
				last;
	int			prev_gap = 1;	/* a stream must not start with a gap */

	if (s->pad != 0)
	{
		seterr(err, "nonzero padding in bucket header");
		return 0;
	}
	if (s->span == 0)
	{
		if (s->nbytes != 0 || s->base != 0)
		{
			seterr(err, "empty bucket side with data");
			return 0;
		}
		return 1;
	}
	if (s->span < 0 || s->nbytes == 0 || s->base < -limit ||
		(int64_t) s->base + s->span - 1 > limit)
	{
		seterr(err, "bucket range out of bounds for this relative accuracy");
		return 0;
	}
	key = s->base;
	last = (int64_t) s->base + s->span - 1;
	while (p < end)
	{
		uint64_t	u;

		if (!varint_get(&p, end, &u))
		{
			seterr(err, "truncated or malformed bucket data");
			return 0;
		}
		if (u & 1)
		{
			if (prev_gap || (u >> 1) == 0 || (u >> 1) > (uint64_t) (last - key))
			{
				seterr(err, "invalid run of empty buckets");
				return 0;
			}
			key += (int64_t) (u >> 1);
			prev_gap = 1;
		}
		else
		{
			if ((u >> 1) == 0)
			{
				seterr(err, "bucket with zero count");
				return 0;
			}
			if (key > last)
			{
				seterr(err, "more buckets than the declared range");
				return 0;
			}
			if (__builtin_add_overflow(*total, (int64_t) (u >> 1), total))
			{
				seterr(err, "bucket counts out of range");
				return 0;
			}
			key++;
			prev_gap = 0;
		}
	}
	if (prev_gap || key != last + 1)
	{
		seterr(err, "bucket data does not match the declared range");
		return 0;
	}
	return 1;
}

/* Is key within one of the expected key (tolerates last-bit rounding)? */
static int
near_key(int32_t a, int64_t b)
{
	return (int64_t) a >= b - 1 && (int64_t) a <= b + 1;
}

/* Check a compact sketch of len bytes from an untrusted source. */
int
cxsk_validate(const CxskHeader *h, size_t len, char *err)
{
	int32_t		limit;
	int64_t		total = 0;
	const uint8_t *p;
	int			isint;
	double		mn,
				mx;

	if (len < CXSK_HDRSZ)
	{
		seterr(err, "sketch data is too short");
		return 0;
	}
	if (h->version != CXSK_VERSION)
	{
		seterr(err, "unsupported sketch format version");
		return 0;
	}
	if ((h->flags & ~CXSK_F_INTERVAL) != 0 || h->reserved != 0)
	{
		seterr(err, "invalid sketch flags");
		return 0;
	}
	if (!cxsk_alpha_ok(h->alpha))
	{
		seterr(err, "relative accuracy out of range");
		return 0;
	}
	if (h->mult != cxsk_mult(h->alpha))
	{
		seterr(err, "inconsistent bucket scale");
		return 0;
	}
	if (h->count < 1 || h->zeros < 0 || h->zeros > h->count)
	{
		seterr(err, "invalid value count");
		return 0;
	}
	if (h->neg.nbytes > len - CXSK_HDRSZ || h->pos.nbytes > len - CXSK_HDRSZ - h->neg.nbytes ||
		CXSK_HDRSZ + (size_t) h->neg.nbytes + h->pos.nbytes != len)
	{
		seterr(err, "bucket data length does not match the sketch size");
		return 0;
	}
	limit = cxsk_key_limit(h->mult);
	p = (const uint8_t *) h + CXSK_HDRSZ;
	if (!check_side(&h->neg, p, limit, &total, err) ||
		!check_side(&h->pos, p + h->neg.nbytes, limit, &total, err))
		return 0;
	if (__builtin_add_overflow(total, h->zeros, &total) || total != h->count)
	{
		seterr(err, "bucket counts do not add up to the value count");
		return 0;
	}
	isint = (h->flags & CXSK_F_INTERVAL) != 0;
	if (isint)
	{
		mn = (double) h->min.i;
		mx = (double) h->max.i;
		if (h->min.i > h->max.i)
		{
			seterr(err, "minimum exceeds maximum");
			return 0;
		}
	}
	else
	{
		mn = h->min.d;
		mx = h->max.d;
		/* zeros are stored as +0 (the aggregates never add -0) */
		if (!isfinite(mn) || !isfinite(mx) || mn > mx ||
			(mn == 0 && signbit(mn)) || (mx == 0 && signbit(mx)))
		{
			seterr(err, "invalid minimum or maximum");
			return 0;
		}
	}
	/* one value is both the minimum and the maximum */
	if (h->count == 1 && (isint ? h->min.i != h->max.i : mn != mx))
	{
		seterr(err, "a sketch of one value has a minimum different from its maximum");
		return 0;
	}
	/* the extreme values must sit in the extreme buckets */
	if (h->neg.span > 0)
	{
		if (!(mn < 0) || !near_key(-cxsk_key_of(h->mult, -mn), h->neg.base))
		{
			seterr(err, "minimum does not match the buckets");
			return 0;
		}
	}
	else if (h->zeros > 0 ? mn != 0 : !(mn > 0 && near_key(cxsk_key_of(h->mult, mn), h->pos.base)))
	{
		seterr(err, "minimum does not match the buckets");
		return 0;
	}
	if (h->pos.span > 0)
	{
		if (!(mx > 0) || !near_key(cxsk_key_of(h->mult, mx), (int64_t) h->pos.base + h->pos.span - 1))
		{
			seterr(err, "maximum does not match the buckets");
			return 0;
		}
	}
	else if (h->zeros > 0 ? mx != 0 :
			 !(mx < 0 && near_key(-cxsk_key_of(h->mult, -mx), (int64_t) h->neg.base + h->neg.span - 1)))
	{
		seterr(err, "maximum does not match the buckets");
		return 0;
	}
	/* the sum must lie between count * min and count * max */
	if (isint)
	{
		CxskI128	s = cxsk_sum_us(h);

		if (s < (CxskI128) h->min.i * h->count || s > (CxskI128) h->max.i * h->count)
		{
			seterr(err, "sum out of range for the values");
			return 0;
		}
	}
	else
	{
		double		hi,
					lo,
					tol;

		memcpy(&hi, &h->sum_hi, 8);
		memcpy(&lo, &h->sum_lo, 8);
		/* one value's sum is the value itself, exactly */
		tol = h->count == 1 ? 0 : 1e-9 * fmax(fabs(mn), fabs(mx)) * (double) h->count;
		if (!isfinite(hi) || !isfinite(lo) || (h->count == 1 && lo != 0) ||
			hi + lo < mn * (double) h->count - tol || hi + lo > mx * (double) h->count + tol)
		{
			seterr(err, "sum out of range for the values");
			return 0;
		}
	}
	return 1;
}

/* Check a buffer that claims to be a sketch of either layout (structural only). */
int
cxsk_check_layout(const CxskHeader *h, size_t len)
{
	if (len < CXSK_HDRSZ || h->version != CXSK_VERSION || (h->flags & ~CXSK_F_ALL) != 0)
		return 0;
	if (h->neg.span < 0 || h->pos.span < 0)
		return 0;
	if (h->flags & CXSK_F_DENSE)
		return len == cxsk_dense_size(h->neg.span, h->pos.span);
	return CXSK_HDRSZ + (size_t) h->neg.nbytes + h->pos.nbytes == len;
}

/* Start walking h's buckets in ascending value order. */
void
cxsk_iter_init(CxskIter *it, const CxskHeader *h)
{
	it->h = h;
	it->stage = 0;
	it->slot = 0;
	it->key = h->neg.base;
	it->p = (const uint8_t *) h + CXSK_HDRSZ;
	it->end = it->p + ((h->flags & CXSK_F_DENSE) ? 0 : h->neg.nbytes);
}

/* Next non-empty bucket: side -1/0/+1, key, count; 0 at the end. */
int
cxsk_iter_next(CxskIter *it, int *sign, int32_t *key, int64_t *count)
{
	const CxskHeader *h = it->h;

	for (;;)
	{
		const CxskSide *s;

		if (it->stage == 1)
		{
			it->stage = 2;
			it->slot = 0;
			it->key = h->pos.base;
			it->p = (const uint8_t *) h + CXSK_HDRSZ + h->neg.nbytes;
			it->end = it->p + ((h->flags & CXSK_F_DENSE) ? 0 : h->pos.nbytes);
			if (h->zeros > 0)
			{
				*sign = 0;
				*key = 0;
				*count = h->zeros;
				return 1;
			}
			continue;
		}
		if (it->stage >= 3)
			return 0;
		s = it->stage == 0 ? &h->neg : &h->pos;
		if (h->flags & CXSK_F_DENSE)
		{
			const int64_t *slots = dense_slots_c(h, it->stage == 2);

			while (it->slot < s->span)
			{
				int32_t		i = it->slot++;

				if (slots[i] != 0)
				{
					*sign = it->stage == 0 ? -1 : 1;
					*key = s->base + i;
					*count = slots[i];
					return 1;
				}
			}
		}
		else
		{
			while (it->p < it->end)
			{
				uint64_t	u;

				if (!varint_get(&it->p, it->end, &u))
					break;
				if (u & 1)
					it->key += (int32_t) (u >> 1);
				else
				{
					*sign = it->stage == 0 ? -1 : 1;
					*key = it->key++;
					*count = (int64_t) (u >> 1);
					return 1;
				}
			}
		}
		it->stage++;
	}
}

/* Representative of a bucket: within alpha of every value it holds. */
static double
bucket_rep(const CxskHeader *h, int sign, int32_t key)
{
	double		lng = 1.0 / h->mult;
	double		gamma = exp(lng);

	if (sign == 0)
		return 0.0;
	if (sign > 0)
		return 2.0 * exp((double) key * lng) / (1.0 + gamma);
	return -2.0 * exp(-(double) key * lng) / (1.0 + gamma);
}

/* Lower and upper bound of a bucket (side -1/0/+1, key). */
void
cxsk_bucket_bounds(const CxskHeader *h, int sign, int32_t key, double *lo, double *hi)
{
	double		lng = 1.0 / h->mult;

	if (sign == 0)
		*lo = *hi = 0.0;
	else if (sign > 0)
	{
		*lo = exp((double) (key - 1) * lng);
		*hi = exp((double) key * lng);
	}
	else
	{
		*lo = -exp(-(double) key * lng);
		*hi = -exp(-(double) (key + 1) * lng);
	}
}

/* Rank (1-based) percentile_disc uses for fraction q of n values. */
int64_t
cxsk_rank_of(double q, int64_t n)
{
	double		r = ceil(q * (double) n);

	if (r < 1)
		return 1;
	if (r >= (double) n)
		return n;
	return (int64_t) r;
}

/* Reported value of a bucket: representative clamped to [min, max], rounded for intervals. */
static double
bucket_value(const CxskHeader *h, int sign, int32_t key, int64_t *us)
{
	double		v = bucket_rep(h, sign, key);

	if (h->flags & CXSK_F_INTERVAL)
	{
		int64_t		r;

		if (v >= 9.2e18)
			r = INT64_MAX;
		else if (v <= -9.2e18)
			r = INT64_MIN;
		else
			r = llround(v);
		if (r < h->min.i)
			r = h->min.i;
		if (r > h->max.i)
			r = h->max.i;
		if (us)
			*us = r;
		return (double) r;
	}
	if (v < h->min.d)
		v = h->min.d;
	if (v > h->max.d)
		v = h->max.d;
	return v;
}

/* Value at rank k (1..count). */
double
cxsk_value_at_rank(const CxskHeader *h, int64_t k, int64_t *us)
{
	CxskIter	it;
	int			sign;
	int32_t		key;
	int64_t		c,
				cum = 0;
	int			isint = (h->flags & CXSK_F_INTERVAL) != 0;

	if (k <= 1 || k >= h->count)
	{
		const CxskNum *e = k <= 1 ? &h->min : &h->max;

		if (us)
			*us = isint ? e->i : 0;
		return isint ? (double) e->i : e->d;
	}
	cxsk_iter_init(&it, h);
	while (cxsk_iter_next(&it, &sign, &key, &c))
	{
		cum += c;
		if (cum >= k)
			return bucket_value(h, sign, key, us);
	}
	/* unreachable for a valid sketch */
	if (us)
		*us = isint ? h->max.i : 0;
	return isint ? (double) h->max.i : h->max.d;
}

/* Number of values whose reported value is <= limit. */
int64_t
cxsk_count_le(const CxskHeader *h, double limit)
{
	CxskIter	it;
	int			sign;
	int32_t		key;
	int64_t		c,
				n = 0;
	int			isint = (h->flags & CXSK_F_INTERVAL) != 0;
	double		mn = isint ? (double) h->min.i : h->min.d;
	double		mx = isint ? (double) h->max.i : h->max.d;

	if (limit >= mx)
		return h->count;
	if (limit < mn)
		return 0;
	cxsk_iter_init(&it, h);
	while (cxsk_iter_next(&it, &sign, &key, &c))
	{
		if (bucket_value(h, sign, key, NULL) > limit)
			break;
		n += c;
	}
	return n;
}

/* Mean of the values. */
void
cxsk_mean(const CxskHeader *h, double *d, int64_t *us)
{
	if (h->flags & CXSK_F_INTERVAL)
	{
		CxskI128	s = cxsk_sum_us(h);
		CxskI128	q = s / h->count;
		CxskI128	r = s % h->count;

		/* round half away from zero */
		if (r < 0)
			r = -r;
		if (2 * r >= h->count)
			q += s < 0 ? -1 : 1;
		*us = (int64_t) q;
		*d = (double) q;
	}
	else
	{
		double		hi,
					lo;

		memcpy(&hi, &h->sum_hi, 8);
		memcpy(&lo, &h->sum_lo, 8);
		*d = (hi + lo) / (double) h->count;
		if (*d < h->min.d)
			*d = h->min.d;
		if (*d > h->max.d)
			*d = h->max.d;
		*us = 0;
	}
}

/* ---- text form ---- */

typedef struct TextOut
{
	char	   *buf;
	size_t		cap;
	size_t		len;
} TextOut;

/* Append formatted text (measuring when it does not fit). */
static void
out_printf(TextOut *o, const char *fmt,...) __attribute__((format(printf, 2, 3)));

static void
out_printf(TextOut *o, const char *fmt,...)
{
	va_list		ap;
	int			n;
	char	   *dst = o->len < o->cap ? o->buf + o->len : NULL;
	size_t		room = o->len < o->cap ? o->cap - o->len : 0;

	va_start(ap, fmt);
	n = vsnprintf(dst, room, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->len += (size_t) n;
}

/* Shortest %g text that reads back as exactly d. */
static void
fmt_double(char *buf, size_t cap, double d)
{
	int			prec;

	for (prec = 15; prec <= 17; prec++)
	{
		snprintf(buf, cap, "%.*g", prec, d);
		if (strtod(buf, NULL) == d)
			return;
	}
}

/* Decimal text of a signed 128-bit integer. */
static void
fmt_i128(char *buf, CxskI128 v)
{
	char		tmp[48];
	int			n = 0,
				i = 0;
	unsigned __int128 u = v < 0 ? -(unsigned __int128) v : (unsigned __int128) v;

	do
	{
		tmp[n++] = (char) ('0' + (int) (u % 10));
		u /= 10;
	} while (u);
	if (v < 0)
		buf[i++] = '-';
	while (n)
		buf[i++] = tmp[--n];
	buf[i] = '\0';
}

/* Text form of h into buf (cap bytes); returns the length needed. */
size_t
cxsk_format(const CxskHeader *h, char *buf, size_t cap)
{
	TextOut		o = {buf, cap, 0};
	char		a[40],
				b[40],
				c[48];
	CxskIter	it;
	int			sign,
				side;
	int32_t		key;
	int64_t		n;

	if (cap > 0)
		buf[0] = '\0';
	fmt_double(a, sizeof(a), h->alpha);
	if (h->flags & CXSK_F_INTERVAL)
	{
		fmt_i128(c, cxsk_sum_us(h));
		out_printf(&o, "v1 interval alpha=%s count=%lld zeros=%lld min_us=%lld max_us=%lld sum_us=%s",
				   a, (long long) h->count, (long long) h->zeros,
				   (long long) h->min.i, (long long) h->max.i, c);
	}
	else
	{
		double		hi,
					lo;

		out_printf(&o, "v1 number alpha=%s count=%lld zeros=%lld", a,
				   (long long) h->count, (long long) h->zeros);
		fmt_double(a, sizeof(a), h->min.d);
		fmt_double(b, sizeof(b), h->max.d);
		out_printf(&o, " min=%s max=%s", a, b);
		memcpy(&hi, &h->sum_hi, 8);
		memcpy(&lo, &h->sum_lo, 8);
		fmt_double(a, sizeof(a), hi);
		fmt_double(b, sizeof(b), lo);
		out_printf(&o, " sum=%s sum_err=%s", a, b);
	}
	/* neg={i:count,...} lists buckets by i (value about -gamma^i), in value order */
	for (side = -1; side <= 1; side += 2)
	{
		int			first = 1;

		out_printf(&o, side < 0 ? " neg={" : " pos={");
		cxsk_iter_init(&it, h);
		while (cxsk_iter_next(&it, &sign, &key, &n))
		{
			if (sign != side)
				continue;
			out_printf(&o, "%s%ld:%lld", first ? "" : ",", side < 0 ? -(long) key : (long) key,
					   (long long) n);
			first = 0;
		}
		out_printf(&o, "}");
	}
	return o.len;
}

typedef struct TextIn
{
	const char *s;
} TextIn;

/* Skip blanks. */
static void
in_space(TextIn *in)
{
	in->s = cxp_skip_blanks(in->s);
}

/* Consume a literal word (after spaces); 1 if present. */
static int
in_lit(TextIn *in, const char *lit)
{
	size_t		n = strlen(lit);

	in_space(in);
	if (strncmp(in->s, lit, n) != 0)
		return 0;
	in->s += n;
	return 1;
}

/* Read a signed 64-bit decimal integer. */
static int
in_i64(TextIn *in, int64_t *v)
{
	char	   *end;
	long long	x;

	if (!((*in->s >= '0' && *in->s <= '9') || *in->s == '-'))
		return 0;
	errno = 0;
	x = strtoll(in->s, &end, 10);
	if (errno != 0 || end == in->s)
		return 0;
	in->s = end;
	*v = (int64_t) x;
	return 1;
}

/* Read a signed 128-bit decimal integer. */
static int
in_i128(TextIn *in, CxskI128 *v)
{
	int			neg = 0,
				digits = 0;
	unsigned __int128 u = 0;
	const unsigned __int128 lim = ((unsigned __int128) 1 << 127);

	if (*in->s == '-')
	{
		neg = 1;
		in->s++;
	}
	while (*in->s >= '0' && *in->s <= '9')
	{
		if (u > (lim - (unsigned) (*in->s - '0')) / 10)
			return 0;
		u = u * 10 + (unsigned) (*in->s - '0');
		in->s++;
		digits++;
	}
	if (!digits || (!neg && u >= lim))
		return 0;
	*v = neg ? (CxskI128) (0 - u) : (CxskI128) u;
	return 1;
}

/* Read a finite double. */
static int
in_double(TextIn *in, double *v)
{
	char	   *end;
	double		x;

	if (!((*in->s >= '0' && *in->s <= '9') || *in->s == '-' || *in->s == '.' || *in->s == '+'))
		return 0;
	errno = 0;
	x = strtod(in->s, &end);
	if (end == in->s || !isfinite(x))
		return 0;
	in->s = end;
	*v = x;
	return 1;
}

/* Parse "{i:c,...}" for one side, appending its token stream at out. */
static int
in_side(TextIn *in, int sign, int32_t limit, uint8_t *out, CxskSide *side, char *err)
{
	size_t		n = 0;
	int64_t		prev = 0;
	int			first = 1;

	memset(side, 0, sizeof(*side));
	if (!in_lit(in, "{"))
	{
		seterr(err, "expected \"{\" before bucket list");
		return 0;
	}
	in_space(in);
	if (*in->s == '}')
	{
		in->s++;
		return 1;
	}
	for (;;)
	{
		int64_t		i,
					c,
					key;

		in_space(in);
		if (!in_i64(in, &i) || !in_lit(in, ":") || (in_space(in), !in_i64(in, &c)))
		{
			seterr(err, "invalid bucket entry (expected index:count)");
			return 0;
		}
		if (i < -limit || i > limit)
		{
			seterr(err, "bucket index out of range for this relative accuracy");
			return 0;
		}
		if (c < 1)
		{
			seterr(err, "bucket count must be positive");
			return 0;
		}
		key = sign > 0 ? i : -i;
		if (first)
		{
			side->base = (int32_t) key;
			first = 0;
		}
		else
		{
			if (key <= prev)
			{
				seterr(err, "bucket indexes must be listed in value order without repeats");
				return 0;
			}
			if (key > prev + 1)
				n += varint_put(out + n, ((uint64_t) (key - prev - 1) << 1) | 1);
		}
		n += varint_put(out + n, (uint64_t) c << 1);
		prev = key;
		if (in_lit(in, ","))
			continue;
		if (in_lit(in, "}"))
			break;
		seterr(err, "expected \",\" or \"}\" in bucket list");
		return 0;
	}
	side->span = (int32_t) (prev - side->base + 1);
	side->nbytes = (uint32_t) n;
	return 1;
}

/* Parse the text form into a compact validated sketch. */
CxskHeader *
cxsk_parse(const char *text, void *(*alloc) (size_t), size_t *len, char *err)
{
	TextIn		in = {text};
	CxskHeader	f;
	CxskHeader *h;
	uint8_t    *p;
	size_t		tlen = strlen(text);
	int32_t		limit;
	int			isint;

	if (err)
		err[0] = '\0';
	memset(&f, 0, sizeof(f));
	if (!in_lit(&in, "v1"))
	{
		seterr(err, "sketch text must start with a format version (v1)");
		return NULL;
	}
	if (in_lit(&in, "interval"))
		isint = 1;
	else if (in_lit(&in, "number"))
		isint = 0;
	else
	{
		seterr(err, "expected \"interval\" or \"number\" after the version");
		return NULL;
	}
	f.version = CXSK_VERSION;
	f.flags = isint ? CXSK_F_INTERVAL : 0;
	if (!in_lit(&in, "alpha=") || !in_double(&in, &f.alpha))
	{
		seterr(err, "expected alpha=<relative accuracy>");
		return NULL;
	}
	if (!cxsk_alpha_ok(f.alpha))
	{
		seterr(err, "relative accuracy out of range");
		return NULL;
	}
	f.mult = cxsk_mult(f.alpha);
	if (!in_lit(&in, "count=") || !in_i64(&in, &f.count) ||
		!in_lit(&in, "zeros=") || !in_i64(&in, &f.zeros))
	{
		seterr(err, "expected count=<n> zeros=<n>");
		return NULL;
	}
	if (isint)
	{
		CxskI128	s;

		if (!in_lit(&in, "min_us=") || !in_i64(&in, &f.min.i) ||
			!in_lit(&in, "max_us=") || !in_i64(&in, &f.max.i) ||
			!in_lit(&in, "sum_us=") || !in_i128(&in, &s))
		{
			seterr(err, "expected min_us=<n> max_us=<n> sum_us=<n>");
			return NULL;
		}
		cxsk_set_sum_us(&f, s);
	}
	else
	{
		double		hi,
					lo;

		if (!in_lit(&in, "min=") || !in_double(&in, &f.min.d) ||
			!in_lit(&in, "max=") || !in_double(&in, &f.max.d) ||
			!in_lit(&in, "sum=") || !in_double(&in, &hi) ||
			!in_lit(&in, "sum_err=") || !in_double(&in, &lo))
		{
			seterr(err, "expected min=<x> max=<x> sum=<x> sum_err=<x>");
			return NULL;
		}
		memcpy(&f.sum_hi, &hi, 8);
		memcpy(&f.sum_lo, &lo, 8);
	}
	/* each "i:c" entry has at least 3 characters and encodes in at most 15 bytes */
	h = alloc(CXSK_HDRSZ + 5 * tlen + 16);
	if (!h)
	{
		seterr(err, "out of memory");
		return NULL;
	}
	p = (uint8_t *) h + CXSK_HDRSZ;
	limit = cxsk_key_limit(f.mult);
	if (!in_lit(&in, "neg=") || !in_side(&in, -1, limit, p, &f.neg, err))
	{
		if (err && !err[0])
			seterr(err, "expected neg={...}");
		return NULL;
	}
	if (!in_lit(&in, "pos=") || !in_side(&in, 1, limit, p + f.neg.nbytes, &f.pos, err))
	{
		if (err && !err[0])
			seterr(err, "expected pos={...}");
		return NULL;
	}
	in_space(&in);
	if (*in.s != '\0')
	{
		seterr(err, "unexpected text after the bucket lists");
		return NULL;
	}
	f.vl_len = h->vl_len;
	memcpy(h, &f, CXSK_HDRSZ);
	*len = CXSK_HDRSZ + f.neg.nbytes + f.pos.nbytes;
	if (!cxsk_validate(h, *len, err))
		return NULL;
	return h;
}

/* Build a compact sketch from fields and the two token streams (recv). */
CxskHeader *
cxsk_from_parts(const CxskHeader *fields, const uint8_t *negbytes, const uint8_t *posbytes,
				void *(*alloc) (size_t), size_t *len, char *err)
{
	CxskHeader *h;
	size_t		n = CXSK_HDRSZ + (size_t) fields->neg.nbytes + fields->pos.nbytes;

	h = alloc(n);
	if (!h)
	{
		seterr(err, "out of memory");
		return NULL;
	}
	memcpy(h, fields, CXSK_HDRSZ);
	h->mult = cxsk_mult(fields->alpha);
	memcpy((uint8_t *) h + CXSK_HDRSZ, negbytes, fields->neg.nbytes);
	memcpy((uint8_t *) h + CXSK_HDRSZ + fields->neg.nbytes, posbytes, fields->pos.nbytes);
	*len = n;
	if (!cxsk_validate(h, n, err))
		return NULL;
	return h;
}

/* Bytes of the fields of the binary form, before the token streams. */
#define CXSK_WIRE_HDRSZ (2 + 8 + 6 * 8 + 2 * 3 * 4)

/* Bytes of the binary (send) form of a compact sketch. */
size_t
cxsk_send_size(const CxskHeader *h)
{
	return CXSK_WIRE_HDRSZ + (size_t) h->neg.nbytes + h->pos.nbytes;
}

/* Write the binary form of compact sketch h into out (cxsk_send_size(h) bytes). */
void
cxsk_send(const CxskHeader *h, uint8_t *out)
{
	const CxskSide *sides[2] = {&h->neg, &h->pos};
	int			i;

	out = cxw_put_uint(out, h->version, 1);
	out = cxw_put_uint(out, h->flags, 1);
	out = cxw_put_f64(out, h->alpha);
	out = cxw_put_uint(out, (uint64_t) h->count, 8);
	out = cxw_put_uint(out, (uint64_t) h->zeros, 8);
	out = cxw_put_uint(out, (uint64_t) h->min.i, 8);
	out = cxw_put_uint(out, (uint64_t) h->max.i, 8);
	out = cxw_put_uint(out, (uint64_t) h->sum_hi, 8);
	out = cxw_put_uint(out, h->sum_lo, 8);
	for (i = 0; i < 2; i++)
	{
		out = cxw_put_uint(out, (uint32_t) sides[i]->base, 4);
		out = cxw_put_uint(out, (uint32_t) sides[i]->span, 4);
		out = cxw_put_uint(out, sides[i]->nbytes, 4);
	}
	memcpy(out, (const uint8_t *) h + CXSK_HDRSZ, (size_t) h->neg.nbytes + h->pos.nbytes);
}

/* Read one side's fields of the binary form. */
static void
recv_side(CxWire *w, CxskSide *s)
{
	s->base = cxw_i32(w);
	s->span = cxw_i32(w);
	s->nbytes = (uint32_t) cxw_i32(w);
}

/* Decode and validate the binary form of len bytes; NULL + err if bad. */
CxskHeader *
cxsk_recv(const uint8_t *buf, size_t len, void *(*alloc) (size_t), size_t *outlen, char *err)
{
	CxWire		w;
	CxskHeader	f;
	const uint8_t *negb,
			   *posb;

	memset(&f, 0, sizeof(f));
	cxw_init(&w, buf, len);
	f.version = cxw_u8(&w);
	f.flags = cxw_u8(&w);
	f.alpha = cxw_f64(&w);
	f.count = cxw_i64(&w);
	f.zeros = cxw_i64(&w);
	f.min.i = cxw_i64(&w);
	f.max.i = cxw_i64(&w);
	f.sum_hi = cxw_i64(&w);
	f.sum_lo = (uint64_t) cxw_i64(&w);
	recv_side(&w, &f.neg);
	recv_side(&w, &f.pos);
	if (!cxw_ok(&w))
	{
		seterr(err, "the data is shorter than a sketch header");
		return NULL;
	}
	if (f.neg.nbytes > cxw_left(&w) || f.pos.nbytes > cxw_left(&w) - f.neg.nbytes)
	{
		seterr(err, "bucket data is longer than the message");
		return NULL;
	}
	negb = cxw_bytes(&w, f.neg.nbytes);
	posb = cxw_bytes(&w, f.pos.nbytes);
	if (cxw_left(&w) != 0)
	{
		seterr(err, "the message has bytes after the bucket data");
		return NULL;
	}
	return cxsk_from_parts(&f, negb, posb, alloc, outlen, err);
}
