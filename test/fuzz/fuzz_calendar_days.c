/*
 * fuzz_calendar_days.c — business-calendar arithmetic (calendar_core.c, as
 * cx.business_days, cx.add_business_days and the tracking trigger run it)
 * on any weekend, federal holidays on or off, any closures and any days.
 *
 * Input: weekend mask, federal flag, up to 16 closures (int16 offsets from
 * a base day), then a start day, a second day (an offset from it) and a
 * count of business days.  Properties: results are business days and
 * agree with each other (count(s, add(s, n)) = n, count is antisymmetric
 * and additive, next_business_day is the first business day on or after),
 * and a calendar that answered earlier questions (a cached closure list)
 * answers exactly as a fresh one.  Days outside the supported years are
 * errors, never wrong answers.
 */
#include "fuzz.h"
#include "calendar_core.h"

/* Allocator callbacks of the calendar. */
static void *
cal_alloc(void *ctx, size_t n)
{
	(void) ctx;
	return malloc(n ? n : 1);
}

static void
cal_release(void *ctx, void *p)
{
	(void) ctx;
	free(p);
}

/* Next n bytes of the input as a big-endian signed number (0 past the end). */
static int64_t
take(const uint8_t **p, const uint8_t *end, int n)
{
	uint64_t	v = 0;
	int			i;

	for (i = 0; i < n; i++)
		v = (v << 8) | (*p < end ? *(*p)++ : 0);
	if (n < 8 && (v >> (8 * n - 1)) & 1)
		v |= ~(uint64_t) 0 << (8 * n);
	return (int64_t) v;
}

/* One input. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *p = data,
			   *end = data + size;
	int64_t		user[16],
				base,
				s,
				d2,
				n,
				r,
				c,
				c2,
				c3,
				next,
				fresh_r;
	CxcalCalendar cal,
				fresh;
	cxcal_status st;
	int			nuser,
				i,
				bd;

	memset(&cal, 0, sizeof(cal));
	if (size < 2)
		return 0;
	cal.weekend_mask = data[0] & 0x7f;
	cal.federal = (data[0] >> 7) & 1;
	nuser = data[1] & 15;
	p += 2;
	base = take(&p, end, 3) * 16;
	for (i = 0; i < nuser; i++)
		user[i] = base + take(&p, end, 2);
	qsort(user, nuser, sizeof(int64_t), fz_cmp_int64);
	cal.user_days = user;
	cal.n_user = nuser;
	cal.alloc = cal_alloc;
	cal.release = cal_release;
	fresh = cal;

	s = base + take(&p, end, 2);
	/* a far day now and then: years apart, or out of range */
	if (p < end && (*p & 0xf0) == 0xf0)
	{
		p++;
		s = take(&p, end, 4) * 64;
	}
	d2 = s + take(&p, end, 2) * (p < end && (*p & 1) ? 37 : 1);
	n = take(&p, end, 2);

	st = cxcal_next_business_day(&cal, s, &next);
	if (st == CXCAL_OK)
	{
		FZ_CHECK(next >= s, "next business day before the day");
		FZ_CHECK(cxcal_is_business_day(&cal, next, &bd) == CXCAL_OK && bd, "next business day is not one");
		FZ_CHECK(cxcal_count(&cal, s, next, &c) == CXCAL_OK && c == 0, "business day skipped by next");
		st = cxcal_add(&cal, next, n, &r);
		if (st == CXCAL_OK)
		{
			FZ_CHECK(cxcal_is_business_day(&cal, r, &bd) == CXCAL_OK && bd, "add gives a non-business day");
			FZ_CHECK(n == 0 ? r == next : (n > 0 ? r > next : r < next), "add went the wrong way");
			FZ_CHECK(cxcal_count(&cal, next, r, &c) == CXCAL_OK && c == n, "count(s, add(s, n)) != n");
			FZ_CHECK(cxcal_add(&fresh, next, n, &fresh_r) == CXCAL_OK && fresh_r == r,
					 "a cached calendar adds differently from a fresh one");
			cxcal_free(&fresh);
		}
		else
			FZ_CHECK(st == CXCAL_OUT_OF_RANGE, "add failed other than out of range");
	}
	else
		FZ_CHECK(st == (cal.weekend_mask == 0x7f ? CXCAL_NO_WORKDAYS : CXCAL_OUT_OF_RANGE),
				 "next business day failed for the wrong reason");

	if (cxcal_count(&cal, s, d2, &c) == CXCAL_OK)
	{
		FZ_CHECK(cxcal_count(&cal, d2, s, &c2) == CXCAL_OK && c2 == -c, "count is not antisymmetric");
		FZ_CHECK((c >= 0 ? c : -c) <= (d2 >= s ? d2 - s : s - d2) && (c == 0 || (c > 0) == (d2 > s)),
				 "more business days than days, or the wrong sign");
		if (cxcal_count(&cal, s, s + (d2 - s) / 2, &c2) == CXCAL_OK &&
			cxcal_count(&cal, s + (d2 - s) / 2, d2, &c3) == CXCAL_OK)
			FZ_CHECK(c2 + c3 == c, "count is not additive");
		FZ_CHECK(cxcal_count(&fresh, s, d2, &c2) == CXCAL_OK && c2 == c,
				 "a cached calendar counts differently from a fresh one");
		cxcal_free(&fresh);
	}
	cxcal_free(&cal);
	cxcal_free(&fresh);
	return 0;
}
