/*
 * fuzz_sketch_ops.c — the sketch aggregates' state: values added to dense
 * states grown on demand, states merged (combine, rollup) and compacted
 * (final function), as src/sketch.c drives the core.
 *
 * Input: one byte choosing the kind and relative accuracy, then records of
 * 9 bytes: a byte choosing the state (A or B) and 8 bytes of a value (an
 * int64 of microseconds, or the bits of a double; non-finite doubles are
 * skipped, as the server rejects them).
 *
 * Properties: the compact sketch of all values validates, has their exact
 * count, minimum, maximum (and sum, for intervals), equals the merge of A
 * and B, survives the binary and text round trips, and every percentile is
 * within the relative accuracy of the exact order statistic.
 */
#include "fuzz.h"
#include "sketch_build.h"

#include <float.h>
#include <math.h>

#define MAX_VALUES 512

/* Are two compact sketches equal (number sketches: sums aside, they depend on order)? */
static int
same(const CxskHeader *a, size_t alen, const CxskHeader *b, size_t blen, int isint)
{
	CxskHeader	x,
				y;

	if (alen != blen)
		return 0;
	memcpy(&x, a, CXSK_HDRSZ);
	memcpy(&y, b, CXSK_HDRSZ);
	x.vl_len = y.vl_len = 0;
	if (!isint)
		x.sum_hi = y.sum_hi = x.sum_lo = y.sum_lo = 0;
	return memcmp(&x, &y, CXSK_HDRSZ) == 0 &&
		memcmp((const char *) a + CXSK_HDRSZ, (const char *) b + CXSK_HDRSZ, alen - CXSK_HDRSZ) == 0;
}

/* One input. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const double alphas[8] = {0.01, 0.0001, 0.5, 0.05, 0.001, 0.02, 0.3, 0.1};
	static double xs[MAX_VALUES];
	static int64_t uss[MAX_VALUES];
	CxskHeader *w = NULL,
			   *a = NULL,
			   *b = NULL,
			   *cw,
			   *cm,
			   *back;
	int			isint,
				n = 0,
				overflow = 0;
	double		alpha;
	size_t		off,
				lw,
				lm,
				lb;
	char		err[CXSK_ERRLEN];
	char	   *text;
	uint8_t    *bin;
	__int128	sum = 0;
	int64_t		k;

	if (size < 1)
		return 0;
	isint = data[0] & 1;
	alpha = alphas[(data[0] >> 1) & 7];
	for (off = 1; off + 9 <= size && n < MAX_VALUES; off += 9)
	{
		CxskHeader **side = (data[off] & 1) ? &b : &a;
		uint64_t	bits = 0;
		double		x;
		int64_t		us = 0;
		int			i;

		for (i = 0; i < 8; i++)
			bits = (bits << 8) | data[off + 1 + i];
		if (isint)
		{
			us = (int64_t) bits;
			x = (double) us;
		}
		else
		{
			memcpy(&x, &bits, sizeof(x));
			if (!isfinite(x))
				continue;
			if (x == 0)
				x = 0.0;		/* no negative zero, as the server */
		}
		if (sb_add(&w, isint, alpha, x, us) < 0 || sb_add(side, isint, alpha, x, us) < 0)
		{
			overflow = 1;		/* the server raises an error: nothing more to check */
			break;
		}
		xs[n] = x;
		uss[n] = us;
		sum += us;
		n++;
	}
	if (n == 0 || overflow)
		goto done;

	cw = sb_compact(w, &lw);
	FZ_CHECK(cxsk_validate(cw, lw, err), "compact sketch fails validation");
	FZ_CHECK(cw->count == n, "count");
	qsort(xs, n, sizeof(double), fz_cmp_double);
	qsort(uss, n, sizeof(int64_t), fz_cmp_int64);
	if (isint)
	{
		FZ_CHECK(cw->min.i == uss[0] && cw->max.i == uss[n - 1], "min or max");
		FZ_CHECK(cxsk_sum_us(cw) == sum, "sum");
	}
	else
		FZ_CHECK(cw->min.d == xs[0] && cw->max.d == xs[n - 1], "min or max");

	/* merge of the two halves (either may be empty) equals the whole */
	if (a != NULL && b != NULL)
	{
		FZ_CHECK(sb_merge(&a, b, err), "merge of two states failed");
		cm = sb_compact(a, &lm);
		FZ_CHECK(same(cw, lw, cm, lm, isint), "merge differs from the whole");
		free(cm);
	}

	/* binary and text round trips */
	bin = malloc(cxsk_send_size(cw));
	cxsk_send(cw, bin);
	back = cxsk_recv(bin, cxsk_send_size(cw), fz_alloc, &lb, err);
	FZ_CHECK(back != NULL && lb == lw && memcmp((char *) back + 4, (char *) cw + 4, lw - 4) == 0,
			 "binary round trip");
	free(bin);
	text = fz_alloc(cxsk_format(cw, NULL, 0) + 1);
	cxsk_format(cw, text, cxsk_format(cw, NULL, 0) + 1);
	back = cxsk_parse(text, fz_alloc, &lb, err);
	FZ_CHECK(back != NULL && lb == lw && memcmp((char *) back + 4, (char *) cw + 4, lw - 4) == 0,
			 "text round trip");

	/* every rank within the relative accuracy of the exact value */
	for (k = 1; k <= n; k++)
	{
		int64_t		us;
		double		v = cxsk_value_at_rank(cw, k, &us),
					t = isint ? (double) uss[k - 1] : xs[k - 1];

		if (fabs(t) < DBL_MIN)
			FZ_CHECK(fabs(v) < DBL_MIN * 4 || v == t, "value at the rank of a zero");
		else
			FZ_CHECK(fabs(v - t) <= alpha * fabs(t) * (1 + 1e-9) + (isint ? 1 : 0),
					 "value at rank outside the relative accuracy");
		FZ_CHECK(v >= (isint ? (double) uss[0] : xs[0]) && v <= (isint ? (double) uss[n - 1] : xs[n - 1]),
				 "value at rank outside [min, max]");
		/* the exact extremes may lie below their bucket's reported value */
		if (k > 1 && k < n)
			FZ_CHECK(cxsk_count_le(cw, v) >= k, "count_le of a reported value below its rank");
	}
	free(cw);
done:
	free(w);
	free(a);
	free(b);
	fz_free_all();
	return 0;
}
