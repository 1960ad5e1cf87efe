/*
 * percentile_core.c — the serialized percentile state without PostgreSQL
 * (see percentile_core.h).
 */
#include "percentile_core.h"
#include "prim_core.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Size in bytes of one value of a kind in memory. */
size_t
cxpct_elem_size(int32_t kind)
{
	return kind == CXPCT_KIND_FLOAT8 ? sizeof(double) : sizeof(CxInterval);
}

/* Bytes per value on the wire for a kind and flags. */
size_t
cxpct_wire_size(int32_t kind, int32_t flags)
{
	if (kind == CXPCT_KIND_FLOAT8)
		return sizeof(double);
	if (flags & CXPCT_FLAG_TIME_ONLY)
		return sizeof(int64_t);
	if (flags & CXPCT_FLAG_NO_MONTHS)
		return sizeof(int64_t) + sizeof(int32_t);
	return sizeof(CxInterval);
}

/* Bytes of a serialized state before its values, varlena word included. */
size_t
cxpct_header_len(int32_t npct)
{
	size_t		n = 4 + sizeof(CxPctSerialHeader) + (size_t) npct * sizeof(double);

	return (n + 7) & ~(size_t) 7;
}

/* The largest number of values a state may keep. */
int64_t
cxpct_max_values(int32_t kind, int32_t npct)
{
	return (int64_t) ((CXPCT_MAX_BYTES - cxpct_header_len(npct)) / cxpct_elem_size(kind));
}

/*
 * The narrowest wire layout for a run of intervals: most cycle times have
 * no months (timestamp differences) and many no days either, so parallel
 * workers send 8 or 12 bytes a value instead of 16.
 */
int32_t
cxpct_interval_layout(const CxInterval *v, int64_t n)
{
	int32_t		months = 0,
				days = 0;
	int64_t		i;

	for (i = 0; i < n; i++)
	{
		months |= v[i].month;
		days |= v[i].day;
	}
	if (months != 0)
		return 0;
	return days != 0 ? CXPCT_FLAG_NO_MONTHS : CXPCT_FLAG_TIME_ONLY;
}

/* Write n values of a kind to w in a wire layout (values only, no header). */
void
cxpct_encode(int32_t kind, int32_t layout, const void *values, int64_t n, char *w)
{
	size_t		wsz = cxpct_wire_size(kind, layout);
	const CxInterval *v = (const CxInterval *) values;
	int64_t		i;

	if (wsz == cxpct_elem_size(kind))
	{
		if (n > 0)
			memcpy(w, values, (size_t) n * wsz);
		return;
	}
	for (i = 0; i < n; i++, w += wsz)
	{
		memcpy(w, &v[i].time, sizeof(int64_t));
		if (layout == CXPCT_FLAG_NO_MONTHS)
			memcpy(w + sizeof(int64_t), &v[i].day, sizeof(int32_t));
	}
}

/* Read n values in a wire layout into values (which has room for n). */
void
cxpct_decode(int32_t kind, int32_t layout, const char *r, int64_t n, void *values)
{
	size_t		wsz = cxpct_wire_size(kind, layout);
	CxInterval *v = (CxInterval *) values;
	int64_t		k;

	if (layout == 0)
	{
		if (n > 0)
			memcpy(values, r, (size_t) n * wsz);
		return;
	}
	for (k = 0; k < n; k++, r += wsz)
	{
		memcpy(&v[k].time, r, sizeof(int64_t));
		v[k].day = 0;
		v[k].month = 0;
		if (layout == CXPCT_FLAG_NO_MONTHS)
			memcpy(&v[k].day, r + sizeof(int64_t), sizeof(int32_t));
	}
}

/* The fractions of a checked state. */
void
cxpct_fractions(const char *p, int32_t npct, double *out)
{
	if (npct > 0)
		memcpy(out, p + sizeof(CxPctSerialHeader), (size_t) npct * sizeof(double));
}

/* Is an array shape one a fraction array of npct elements can have? */
int
cxpct_shape_ok(const CxPctShape *s, int32_t npct)
{
	int64_t		count = 1;
	int			i;

	if (s->ndim < 0 || s->ndim > CXPCT_MAX_DIMS)
		return 0;
	for (i = s->ndim; i < CXPCT_MAX_DIMS; i++)
		if (s->dims[i] != 0 || s->lbs[i] != 0)
			return 0;
	if (s->ndim == 0)
		return npct == 0;
	for (i = 0; i < s->ndim; i++)
	{
		if (s->dims[i] < 1 || (int64_t) s->lbs[i] + s->dims[i] - 1 > INT32_MAX)
			return 0;
		count *= s->dims[i];
		if (count > CXPCT_MAX_PERCENTILES)
			return 0;
	}
	return count == npct;
}

/* Check a serialized state's header, fractions and length. */
int
cxpct_check_state(const char *p, size_t len, CxPctSerialHeader *hdr,
				  int32_t *layout, size_t *head, const char **why)
{
	CxPctSerialHeader h;
	size_t		wsz,
				hl;
	int			shared,
				i;

	if (len < sizeof(h))
	{
		*why = "The state is shorter than its header.";
		return 0;
	}
	memcpy(&h, p, sizeof(h));
	if (h.version != CXPCT_SERIAL_VERSION)
	{
		*why = "Unknown state version.";
		return 0;
	}
	if (h.kind != CXPCT_KIND_FLOAT8 && h.kind != CXPCT_KIND_INTERVAL)
	{
		*why = "Unknown value kind.";
		return 0;
	}
	*layout = h.flags & CXPCT_LAYOUTS;
	/* a reference to values elsewhere follows the fractions */
	shared = (h.flags & (CXPCT_FLAG_SHARED | CXPCT_FLAG_FILE)) != 0;
	if ((h.flags & CXPCT_FLAG_FILE) &&
		((h.flags & CXPCT_FLAG_SHARED) || *layout != 0 ||
		 len != cxpct_header_len(h.npct) - 4 + sizeof(CxPctFileRef)))
	{
		*why = "Invalid temporary-file reference.";
		return 0;
	}
	if ((h.flags & ~CXPCT_FLAG_ALL) != 0 || h.npct < 0 || h.npct > CXPCT_MAX_PERCENTILES ||
		(!(h.flags & CXPCT_FLAG_MULTI) && h.npct != 1) ||
		*layout == CXPCT_LAYOUTS ||
		(*layout != 0 && h.kind != CXPCT_KIND_INTERVAL))
	{
		*why = "Invalid flags or number of fractions.";
		return 0;
	}
	if (h.reserved != 0 ||
		((h.flags & CXPCT_FLAG_MULTI) ?
		 !cxpct_shape_ok(&h.shape, h.npct) : !cxpct_shape_ok(&h.shape, 0)))
	{
		*why = "Invalid shape of the fraction array.";
		return 0;
	}
	wsz = cxpct_wire_size(h.kind, *layout);
	hl = cxpct_header_len(h.npct) - 4;
	if (h.n < 0 || h.n > cxpct_max_values(h.kind, h.npct) ||
		(!shared && len != hl + (size_t) h.n * wsz) ||
		(shared && len < hl))
	{
		*why = "The length does not match the number of values.";
		return 0;
	}
	for (i = 0; i < h.npct; i++)
	{
		double		f;

		memcpy(&f, p + sizeof(h) + (size_t) i * sizeof(double), sizeof(f));
		if (!isnan(f) && (f < 0.0 || f > 1.0))
		{
			*why = "A fraction is outside [0, 1].";
			return 0;
		}
	}
	*hdr = h;
	*head = hl;
	return 1;
}

/* The ranks each fraction needs, and the sorted unique list of them. */
int
cxpct_plan(const double *pcts, int npct, int64_t total, int continuous,
		   CxPctRank *rk, int64_t *ranks)
{
	int64_t		n = total;
	int			i,
				m = 0,
				u = 0;

	for (i = 0; i < npct; i++)
	{
		double		p = pcts[i];

		if (isnan(p))
		{
			rk[i].first = -1;
			continue;
		}
		if (continuous)
		{
			rk[i].first = (int64_t) floor(p * (n - 1));
			rk[i].second = (int64_t) ceil(p * (n - 1));
			rk[i].proportion = (p * (n - 1)) - floor(p * (n - 1));
		}
		else
		{
			int64_t		row = (int64_t) ceil(p * n);

			rk[i].first = rk[i].second = (row > 1 ? row : 1) - 1;
			rk[i].proportion = 0;
		}
		ranks[m++] = rk[i].first;
		if (rk[i].second != rk[i].first)
			ranks[m++] = rk[i].second;
	}
	qsort(ranks, m, sizeof(int64_t), cxp_cmp_int64);
	for (i = 0; i < m; i++)
		if (u == 0 || ranks[i] != ranks[u - 1])
			ranks[u++] = ranks[i];
	return u;
}

/* Index of rank r in the sorted unique list. */
int
cxpct_rank_index(const int64_t *ranks, int m, int64_t r)
{
	return (int) cxp_lower_bound_int64(ranks, (size_t) m, r);
}

/* Is a file reference well formed: its count, and a name of the form the workers give? */
int
cxpct_file_ref_ok(const CxPctFileRef *ref, int64_t n)
{
	static const char prefix[] = "cxpct.";
	size_t		len = strnlen(ref->name, CXPCT_FILE_NAME_LEN),
				i;
	int			dots = 0;

	if (ref->n != n || len == CXPCT_FILE_NAME_LEN || len <= sizeof(prefix) ||
		memcmp(ref->name, prefix, sizeof(prefix) - 1) != 0)
		return 0;
	for (i = sizeof(prefix) - 1; i < len; i++)
	{
		char		c = ref->name[i];

		if (c == '.')
			dots++;
		else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return 0;
	}
	for (i = len; i < CXPCT_FILE_NAME_LEN; i++)
		if (ref->name[i] != '\0')
			return 0;
	return dots == 1;
}
