/*
 * test_percentile_core.c — unit tests of the rank planning in
 * percentile_core.c (cxpct_plan, cxpct_rank_index) against ranks worked out
 * by hand from PostgreSQL's documented results: percentile_cont(0.5) of
 * 1, 2, 3, 4 is 2.5 (the values of 0-based ranks 1 and 2, halfway), and
 * percentile_disc(0.5) is 2 (the first value whose cumulative share reaches
 * 0.5: rank 1).
 */
#include <math.h>
#include <string.h>

#include "percentile_core.h"
#include "unit.h"

int
main(void)
{
	CxPctRank	rk[8];
	int64_t		ranks[16];
	double		half[] = {0.5};
	double		many[] = {0.9, 0, 1, NAN, 0.9, 0.25};
	int			m;

	m = cxpct_plan(half, 1, 4, 1, rk, ranks);
	CHECK(m == 2 && ranks[0] == 1 && ranks[1] == 2 && rk[0].first == 1 && rk[0].second == 2 &&
		  rk[0].proportion == 0.5, "plan: percentile_cont(0.5) of 4 values interpolates ranks 1 and 2 halfway");
	m = cxpct_plan(half, 1, 4, 0, rk, ranks);
	CHECK(m == 1 && ranks[0] == 1 && rk[0].first == 1 && rk[0].second == 1,
		  "plan: percentile_disc(0.5) of 4 values is rank 1");
	m = cxpct_plan(half, 1, 1, 1, rk, ranks);
	CHECK(m == 1 && ranks[0] == 0 && rk[0].second == 0 && rk[0].proportion == 0,
		  "plan: one value is every percentile");

	/* n = 10: cont 0.9 is 8.1 -> ranks 8, 9 with weight 0.1; disc 0.9 is ceil(9) -> rank 8 */
	m = cxpct_plan(many, 6, 10, 1, rk, ranks);
	CHECK(rk[0].first == 8 && rk[0].second == 9 && fabs(rk[0].proportion - 0.1) < 1e-12,
		  "plan: percentile_cont(0.9) of 10 values is 10%% of the way from rank 8 to rank 9");
	CHECK(rk[1].first == 0 && rk[1].second == 0 && rk[2].first == 9 && rk[2].second == 9,
		  "plan: fractions 0 and 1 are the smallest and the largest value");
	CHECK(rk[3].first == -1, "plan: a NULL fraction (NaN) needs no rank");
	CHECK(rk[5].first == 2 && rk[5].second == 3 && fabs(rk[5].proportion - 0.25) < 1e-12,
		  "plan: percentile_cont(0.25) of 10 values is a quarter from rank 2 to rank 3");
	CHECK(m == 5 && ranks[0] == 0 && ranks[1] == 2 && ranks[2] == 3 && ranks[3] == 8 && ranks[4] == 9,
		  "plan: the ranks to select are sorted and unique (%d)", m);
	CHECK(cxpct_rank_index(ranks, m, 0) == 0 && cxpct_rank_index(ranks, m, 8) == 3 &&
		  cxpct_rank_index(ranks, m, 9) == 4, "rank index: finds each rank in the list");
	m = cxpct_plan(many, 6, 10, 0, rk, ranks);
	CHECK(rk[0].first == 8 && rk[1].first == 0 && rk[2].first == 9 && rk[5].first == 2,
		  "plan: percentile_disc of 0.9, 0, 1 and 0.25 over 10 values: ranks 8, 0, 9, 2");
	CHECK(m == 4, "plan: discrete ranks are unique (%d)", m);

	/* a large count: ranks stay exact in 64 bits */
	m = cxpct_plan(half, 1, 3000000001LL, 1, rk, ranks);
	CHECK(m == 1 && ranks[0] == 1500000000LL, "plan: the median of 3,000,000,001 values is rank 1,500,000,000");
	return unit_done();
}
