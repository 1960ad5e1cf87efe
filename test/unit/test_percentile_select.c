/*
 * test_percentile_select.c — unit tests of percentile_select_core.c (exact
 * order statistics without a full sort) against a full sort.
 */
#include <stdlib.h>
#include <string.h>
#include <math.h>

#include "percentile_select_core.h"
#include "unit.h"
#include "unit_select.h"

/* Fill v with one of several distributions. */
static void
fill(double *v, size_t n, int kind)
{
	size_t		i;

	for (i = 0; i < n; i++)
	{
		double		u = (next() >> 11) * (1.0 / 9007199254740992.0);

		switch (kind)
		{
			case 0:				/* uniform */
				v[i] = u;
				break;
			case 1:				/* heavy ties */
				v[i] = (double) (next() % 7);
				break;
			case 2:				/* ascending */
				v[i] = (double) i;
				break;
			case 3:				/* descending */
				v[i] = (double) (n - i);
				break;
			case 4:				/* all equal */
				v[i] = 42.0;
				break;
			case 5:				/* mixed signs, heavy tail */
				v[i] = (u < 0.5 ? -1 : 1) * exp(30 * u);
				break;
			default:			/* organ pipe */
				v[i] = (double) (i < n / 2 ? i : n - i);
				break;
		}
	}
}

/* Check the doubles at several ranks against a sorted copy. */
static void
check_double(size_t n, int kind, const int64_t *ranks, int nranks)
{
	double	   *v = malloc(sizeof(double) * (n ? n : 1));
	double	   *s = malloc(sizeof(double) * (n ? n : 1));
	double		out[16];
	int			i,
				ok = 1;

	fill(v, n, kind);
	memcpy(s, v, sizeof(double) * n);
	qsort(s, n, sizeof(double), dcmp);
	{
		/* as one run, and as three runs */
		CxSelSeg	one = {v, n};
		CxSelSeg	three[3] = {{v, n / 3}, {v + n / 3, n / 3}, {v + 2 * (n / 3), n - 2 * (n / 3)}};
		double		out3[16];

		if (cxsel_double(three, 3, ranks, nranks, out3, &mem) != 0)
			ok = 0;
		if (cxsel_double(&one, 1, ranks, nranks, out, &mem) != 0)
			ok = 0;
		for (i = 0; ok && i < nranks; i++)
			if (out3[i] != s[ranks[i]])
				ok = 0;
	}
	for (i = 0; ok && i < nranks; i++)
		if (out[i] != s[ranks[i]])
			ok = 0;
	/* the multiset is unchanged */
	qsort(v, n, sizeof(double), dcmp);
	if (n > 0 && memcmp(v, s, sizeof(double) * n) != 0)
		ok = 0;
	CHECK(ok, "double select n=%zu kind=%d nranks=%d", n, kind, nranks);
	free(v);
	free(s);
}

/* Check intervals at several ranks against a sorted copy (by key). */
static void
check_interval(size_t n, const int64_t *ranks, int nranks)
{
	CxInterval *v = malloc(sizeof(CxInterval) * n);
	CxInterval *s = malloc(sizeof(CxInterval) * n);
	CxInterval	out[16];
	size_t		i;
	int			ok = 1,
				r;

	for (i = 0; i < n; i++)
	{
		v[i].month = (int32_t) (next() % 3) - 1;
		v[i].day = (int32_t) (next() % 61) - 30;
		v[i].time = (int64_t) (next() % 172800000000ULL) - 86400000000LL;
	}
	memcpy(s, v, sizeof(CxInterval) * n);
	qsort(s, n, sizeof(CxInterval), icmp);
	{
		CxSelSeg	two[2] = {{v, n / 2}, {v + n / 2, n - n / 2}};

		if (cxsel_interval(two, 2, ranks, nranks, out, &mem) != 0)
			ok = 0;
	}
	for (r = 0; ok && r < nranks; r++)
		if (cxsel_interval_key(&out[r]) != cxsel_interval_key(&s[ranks[r]]))
			ok = 0;
	CHECK(ok, "interval select n=%zu nranks=%d", n, nranks);
	free(v);
	free(s);
}

int
main(void)
{
	size_t		sizes[] = {1, 2, 3, 17, 100, 1000, 131071, 131072, 300000, 1000003};
	int			s,
				kind;

	for (s = 0; s < (int) (sizeof(sizes) / sizeof(sizes[0])); s++)
	{
		size_t		n = sizes[s];
		int64_t		one[1] = {(int64_t) (n * 9 / 10)};
		int64_t		ends[2] = {0, (int64_t) n - 1};
		int64_t		three[6] = {(int64_t) (n / 2), (int64_t) (n / 2 + 1 < n ? n / 2 + 1 : n - 1),
		(int64_t) (n * 9 / 10), (int64_t) (n * 9 / 10), (int64_t) (n * 95 / 100),
		(int64_t) (n - 1)};

		int64_t		many[12];
		int			r;

		for (r = 0; r < 12; r++)
			many[r] = (int64_t) (n * (size_t) (r * 8 + 2) / 100);
		for (kind = 0; kind < 7; kind++)
		{
			check_double(n, kind, many, 12);
			check_double(n, kind, one, 1);
			check_double(n, kind, ends, 2);
			check_double(n, kind, three, 6);
		}
		check_interval(n, one, 1);
		check_interval(n, three, 6);
		check_interval(n, many, 12);
	}
	return unit_done();
}
