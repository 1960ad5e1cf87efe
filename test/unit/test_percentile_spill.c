/*
 * test_percentile_spill.c — unit tests of percentile_spill_core.c: selection
 * in passes against a full sort, on data sets read in runs of varied sizes.
 */
#include <stdlib.h>
#include <string.h>
#include <math.h>

#include "percentile_spill_core.h"
#include "unit.h"
#include "unit_select.h"

/* The test's data set: values read in runs of pseudo-random length. */
typedef struct Data
{
	const char *v;
	size_t		n;
	size_t		elem;
	int			scans;
	int			fail_at;		/* scan number that fails, 0 for none */
	int			change_at;		/* scan number that drops a value, 0 for none */
} Data;

static int
t_scan(void *arg, CxSpillVisit visit, void *varg)
{
	Data	   *d = (Data *) arg;
	size_t		i = 0,
				n = d->n;

	d->scans++;
	if (d->scans == d->fail_at)
		return -1;
	if (d->scans == d->change_at)
		n /= 2;
	while (i < n)
	{
		size_t		run = 1 + next() % 5000;

		if (run > n - i)
			run = n - i;
		if (visit(varg, d->v + i * d->elem, run) != 0)
			return -1;
		i += run;
	}
	return 0;
}

/* Ranks for a set of n: ends, quartiles, neighbours. */
static int
some_ranks(int64_t n, int64_t *r)
{
	int64_t		cand[] = {0, 1, n / 4, n / 2 - 1, n / 2, n / 2 + 1, (3 * n) / 4, n - 2, n - 1};
	int			i,
				m = 0;

	for (i = 0; i < 9; i++)
		if (cand[i] >= 0 && cand[i] < n && (m == 0 || cand[i] > r[m - 1]))
			r[m++] = cand[i];
	return m;
}

/* Select with a budget and compare with the sorted copy; returns passes or -100 on mismatch. */
static int
check_doubles(const char *name, double *v, size_t n, size_t budget, int *rc_out)
{
	double	   *sorted = malloc(sizeof(double) * n),
				out[16];
	int64_t		ranks[16];
	int			m = some_ranks((int64_t) n, ranks),
				passes = -1,
				rc,
				i,
				ok = 1;
	CxSpillKey lo = ~(CxSpillKey) 0,
				hi = 0;
	Data		d = {(const char *) v, n, sizeof(double), 0, 0, 0};
	CxSpillScan sc = {t_scan, &d};

	memcpy(sorted, v, sizeof(double) * n);
	qsort(sorted, n, sizeof(double), dcmp);
	cxspill_key_range(CXSPILL_DOUBLE, v, n, &lo, &hi);
	peak = allocated = 0;
	rc = cxspill_select(CXSPILL_DOUBLE, (int64_t) n, lo, hi, ranks, m, out, budget, &sc, &mem, &passes);
	*rc_out = rc;
	for (i = 0; i < m && rc == 0; i++)
		if (out[i] != sorted[ranks[i]])
			ok = 0;
	CHECK(rc == 0 && ok, "spill %s: %d ranks of %zu doubles equal the sorted values (%d passes)",
		  name, m, n, passes);
	CHECK(peak <= budget + 65536 || budget < 3 * 1024 * 1024, "spill %s: memory %zu within the budget %zu", name, peak, budget);
	CHECK(allocated == 0, "spill %s: everything released", name);
	CHECK(d.scans == passes, "spill %s: %d scans reported as passes", name, d.scans);
	free(sorted);
	return passes;
}

int
main(void)
{
	size_t		n = 1000000,
				i;
	double	   *v = malloc(sizeof(double) * n);
	int			rc,
				p;
	size_t		mb = 1024 * 1024;

	/* uniform: one count, one collection */
	for (i = 0; i < n; i++)
		v[i] = (double) (next() % 1000000000) / 7.0 - 1e7;
	p = check_doubles("uniform", v, n, 3 * mb, &rc);
	CHECK(p == 2, "spill uniform: two passes (%d)", p);

	/* within budget: one pass */
	p = check_doubles("in budget", v, 100000, 3 * mb, &rc);
	CHECK(p == 1, "spill in budget: one pass (%d)", p);

	/* sorted input */
	qsort(v, n, sizeof(double), dcmp);
	p = check_doubles("sorted", v, n, 3 * mb, &rc);
	CHECK(p == 2, "spill sorted: two passes (%d)", p);

	/* all equal, and a few distinct values with many ties */
	for (i = 0; i < n; i++)
		v[i] = 42.5;
	p = check_doubles("all equal", v, n, 3 * mb, &rc);
	CHECK(p == 1, "spill all equal: one pass (%d)", p);
	for (i = 0; i < n; i++)
		v[i] = (double) (next() % 3) - 1.0;
	v[7] = -0.0;
	p = check_doubles("three values", v, n, 3 * mb, &rc);
	CHECK(p == 1, "spill three values: one pass, the ties need no more (%d)", p);

	/* a tight cluster and far outliers: the counts narrow it in steps */
	for (i = 0; i < n; i++)
		v[i] = 1e9 + (double) (next() % 1000000) * 1e-6;
	v[3] = -1e300;
	v[5] = 1e300;
	p = check_doubles("cluster", v, n, 3 * mb, &rc);
	CHECK(p == 3, "spill cluster: three passes: the first count narrows 64 key bits to the 23 of the cluster (%d)", p);

	/* negative values only, small budget */
	for (i = 0; i < n; i++)
		v[i] = -(double) (next() % 100000);
	p = check_doubles("negative", v, n, 3 * mb, &rc);
	CHECK(p >= 2, "spill negative: at least two passes (%d)", p);

	/* intervals with months, days and time: equal keys in other spellings */
	{
		size_t		ni = 300000;
		CxInterval *iv = malloc(sizeof(CxInterval) * ni),
				   *sorted = malloc(sizeof(CxInterval) * ni),
					out[16];
		int64_t		ranks[16];
		int			m = some_ranks((int64_t) ni, ranks),
					passes,
					ok = 1;
		CxSpillKey lo = ~(CxSpillKey) 0,
					hi = 0;
		Data		d = {NULL, ni, sizeof(CxInterval), 0, 0, 0};
		CxSpillScan sc = {t_scan, &d};

		for (i = 0; i < ni; i++)
		{
			iv[i].month = (int32_t) (next() % 5) - 2;
			iv[i].day = (int32_t) (next() % 90) - 30;
			iv[i].time = (int64_t) (next() % 86400000000LL) - 43200000000LL;
		}
		d.v = (const char *) iv;
		memcpy(sorted, iv, sizeof(CxInterval) * ni);
		qsort(sorted, ni, sizeof(CxInterval), icmp);
		cxspill_key_range(CXSPILL_INTERVAL, iv, ni, &lo, &hi);
		peak = allocated = 0;
		rc = cxspill_select(CXSPILL_INTERVAL, (int64_t) ni, lo, hi, ranks, m, out, 3 * mb, &sc, &mem, &passes);
		for (i = 0; i < (size_t) m && rc == 0; i++)
			if (cxsel_interval_key(&out[i]) != cxsel_interval_key(&sorted[ranks[i]]))
				ok = 0;
		CHECK(rc == 0 && ok, "spill intervals: %d ranks equal the sorted keys (%d passes)", m, passes);
		CHECK(passes == 2, "spill intervals: two passes (%d)", passes);
		CHECK(allocated == 0, "spill intervals: everything released");
		free(iv);
		free(sorted);
	}

	/* a failed read, and data that changes between passes */
	{
		int64_t		ranks[1] = {500000};
		double		out[1];
		int			passes;
		CxSpillKey lo = ~(CxSpillKey) 0,
					hi = 0;
		Data		d = {(const char *) v, n, sizeof(double), 0, 2, 0};
		CxSpillScan sc = {t_scan, &d};

		for (i = 0; i < n; i++)
			v[i] = (double) (next() % 1000000);
		cxspill_key_range(CXSPILL_DOUBLE, v, n, &lo, &hi);
		allocated = 0;
		rc = cxspill_select(CXSPILL_DOUBLE, (int64_t) n, lo, hi, ranks, 1, out, 3 * mb, &sc, &mem, &passes);
		CHECK(rc == -1 && allocated == 0, "spill: a failed read returns -1 and releases everything");
		d.scans = 0;
		d.fail_at = 0;
		d.change_at = 2;
		rc = cxspill_select(CXSPILL_DOUBLE, (int64_t) n, lo, hi, ranks, 1, out, 3 * mb, &sc, &mem, &passes);
		CHECK(rc == -2 && allocated == 0, "spill: data that changed between passes returns -2");
	}
	free(v);
	return unit_done();
}
