/*
 * wire_core.h — big-endian binary messages without PostgreSQL headers: the
 * byte order of PostgreSQL's send/recv functions (pq_sendint32 and friends),
 * read with bounds checks so that the binary decoders of the core files can
 * be unit tested and fuzzed on their own.
 *
 * A reader that runs past the end of its buffer stays at the end, returns
 * zeros and remembers it (cxw_ok() is false); decoders check once at the end.
 */
#ifndef CX_WIRE_CORE_H
#define CX_WIRE_CORE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* A cursor over len bytes of an untrusted message. */
typedef struct CxWire
{
	const uint8_t *p;
	size_t		len;
	size_t		pos;
	int			overrun;		/* a read went past the end */
} CxWire;

/* Start reading buf. */
static inline void
cxw_init(CxWire *w, const void *buf, size_t len)
{
	w->p = (const uint8_t *) buf;
	w->len = len;
	w->pos = 0;
	w->overrun = 0;
}

/* Bytes not read yet. */
static inline size_t
cxw_left(const CxWire *w)
{
	return w->len - w->pos;
}

/* Did every read so far stay inside the buffer? */
static inline int
cxw_ok(const CxWire *w)
{
	return !w->overrun;
}

/* Pointer to the next n bytes, consumed; NULL (and overrun) if fewer are left. */
static inline const uint8_t *
cxw_bytes(CxWire *w, size_t n)
{
	const uint8_t *r;

	if (n > cxw_left(w))
	{
		w->overrun = 1;
		w->pos = w->len;
		return NULL;
	}
	r = w->p + w->pos;
	w->pos += n;
	return r;
}

/* Next n (<= 8) bytes as a big-endian unsigned number; 0 past the end. */
static inline uint64_t
cxw_uint(CxWire *w, int n)
{
	const uint8_t *b = cxw_bytes(w, (size_t) n);
	uint64_t	v = 0;
	int			i;

	if (b == NULL)
		return 0;
	for (i = 0; i < n; i++)
		v = (v << 8) | b[i];
	return v;
}

/* Next byte. */
static inline uint8_t
cxw_u8(CxWire *w)
{
	return (uint8_t) cxw_uint(w, 1);
}

/* Next int16, int32, int64 (two's complement, big-endian). */
static inline int16_t
cxw_i16(CxWire *w)
{
	return (int16_t) (uint16_t) cxw_uint(w, 2);
}

static inline int32_t
cxw_i32(CxWire *w)
{
	return (int32_t) (uint32_t) cxw_uint(w, 4);
}

static inline int64_t
cxw_i64(CxWire *w)
{
	return (int64_t) cxw_uint(w, 8);
}

/* Next float8 (its IEEE bits as an int64, as pq_sendfloat8 writes it). */
static inline double
cxw_f64(CxWire *w)
{
	uint64_t	bits = cxw_uint(w, 8);
	double		d;

	memcpy(&d, &bits, sizeof(d));
	return d;
}

/* Write v as n (<= 8) big-endian bytes at out; returns out + n. */
static inline uint8_t *
cxw_put_uint(uint8_t *out, uint64_t v, int n)
{
	int			i;

	for (i = n - 1; i >= 0; i--)
	{
		out[i] = (uint8_t) (v & 0xff);
		v >>= 8;
	}
	return out + n;
}

/* Write a float8 as pq_sendfloat8 does; returns out + 8. */
static inline uint8_t *
cxw_put_f64(uint8_t *out, double d)
{
	uint64_t	bits;

	memcpy(&bits, &d, sizeof(bits));
	return cxw_put_uint(out, bits, 8);
}

#endif
