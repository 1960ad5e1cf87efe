# Satisfaction (issue 4): cx.ratings, cx.csat, cx.nps against the SQL an
# analyst writes by hand.  Sourced by test/bench.sh.
rrows=${BENCH_ROWS:-10000000}
if [ "$(cx_psql -Atc "SELECT to_regclass('bench_answers') IS NOT NULL")" != t ]; then
	cx_say "creating bench_answers with $rrows rows"
	cx_psql <<SQL
SELECT setseed(0.31);
CREATE TABLE bench_answers AS
SELECT 1 + (i % 1000) AS service,
	   1 + (i / 7) % 4 AS quarter,
	   least(5, 1 + floor(random() * 5.6))::int AS a5,
	   least(10, floor(random() * 12.5))::int AS a11
FROM generate_series(0, $rrows - 1) AS i;
VACUUM ANALYZE bench_answers;
SQL
fi
rows=$(cx_psql -Atc "SELECT count(*) FROM bench_answers")

# Median ms of each of several queries run in turn (A B C A B C ...), after
# one warm-up round, so that load from other processes on a shared machine
# falls on all of them alike.  Prints the medians, space-separated.
ratings_interleaved_ms() {
	local n=$# i k q times out=""
	times=$({
		echo '\timing on'
		for ((i = 0; i <= BENCH_RUNS; i++)); do for q in "$@"; do echo "$q;"; done; done
	} | "$PG_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -o /dev/null 2>&1 |
		sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' | tail -n +$((n + 1)))
	for ((k = 0; k < n; k++)); do
		out+="$(echo "$times" | awk -v n="$n" -v k="$k" '(NR - 1) % n == k' | sort -g |
			awk '{a[NR]=$1} END {if (NR == 0) print "NaN"; else if (NR % 2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}') "
	done
	echo "$out"
}
echo "satisfaction on bench_answers ($rows answers, 1,000 services x 4 quarters; median of $BENCH_RUNS interleaved runs; ratio to the hand-written SQL, bar: <= 1.00, GROUP BY <= 1.20)"

# the results must agree before the timings mean anything
same=$(cx_psql -Atc "SELECT abs(cx.csat(a5) - 100.0 * avg((a5 >= 4)::int)) < 1e-9
	AND abs(cx.nps(a11) - 100.0 * (count(*) FILTER (WHERE a11 >= 9) - count(*) FILTER (WHERE a11 <= 6)) / count(*)) < 1e-9
	AND abs(cx.csat(cx.ratings(a5, 1, 5)) - 100.0 * avg((a5 >= 4)::int)) < 1e-9 FROM bench_answers")
echo "  results equal to the hand-written SQL: $same"

read -r floor h_csat c_csat r_csat < <(ratings_interleaved_ms "SELECT count(*), sum(a5) FROM bench_answers" \
	"SELECT 100.0 * avg((a5 >= 4)::int) FROM bench_answers" \
	"SELECT cx.csat(a5) FROM bench_answers" \
	"SELECT cx.csat(cx.ratings(a5, 1, 5)) FROM bench_answers")
read -r h_nps c_nps r_nps < <(ratings_interleaved_ms \
	"SELECT 100.0 * (count(*) FILTER (WHERE a11 >= 9) - count(*) FILTER (WHERE a11 <= 6)) / count(*) FROM bench_answers" \
	"SELECT cx.nps(a11) FROM bench_answers" \
	"SELECT cx.nps(cx.ratings(a11, 0, 10)) FROM bench_answers")
read -r h_mean c_mean r_mean < <(ratings_interleaved_ms "SELECT avg(a5) FROM bench_answers" \
	"SELECT cx.mean_score(a5, 1, 5) FROM bench_answers" \
	"SELECT cx.mean(cx.ratings(a5, 1, 5)) FROM bench_answers")
read -r g_floor g_h_csat g_c_csat < <(ratings_interleaved_ms \
	"SELECT service, quarter, count(*) FROM bench_answers GROUP BY service, quarter" \
	"SELECT service, quarter, 100.0 * avg((a5 >= 4)::int) FROM bench_answers GROUP BY service, quarter" \
	"SELECT service, quarter, cx.csat(a5) FROM bench_answers GROUP BY service, quarter")
read -r g_h_nps g_c_nps < <(ratings_interleaved_ms \
	"SELECT service, quarter, 100.0 * (count(*) FILTER (WHERE a11 >= 9) - count(*) FILTER (WHERE a11 <= 6)) / count(*) FROM bench_answers GROUP BY service, quarter" \
	"SELECT service, quarter, cx.nps(a11) FROM bench_answers GROUP BY service, quarter")
read -r g_h_all g_r_all < <(ratings_interleaved_ms \
	"SELECT service, quarter, count(a5), avg(a5), 100.0 * avg((a5 >= 4)::int) FROM bench_answers GROUP BY service, quarter" \
	"SELECT service, quarter, cx.count(r), cx.mean(r), cx.csat(r) FROM (SELECT service, quarter, cx.ratings(a5, 1, 5) AS r FROM bench_answers GROUP BY service, quarter) s")

bench_row "scan floor: count(*), sum(a5)" "$floor"
bench_row "hand: 100 * avg((a5 >= 4)::int)" "$h_csat" floor "$floor"
bench_row "cx.csat(a5)" "$c_csat" hand "$h_csat" floor "$floor"
bench_row "cx.csat(cx.ratings(a5, 1, 5))" "$r_csat" hand "$h_csat" floor "$floor"
bench_row "hand: NPS with count(*) FILTER" "$h_nps" floor "$floor"
bench_row "cx.nps(a11)" "$c_nps" hand "$h_nps" floor "$floor"
bench_row "cx.nps(cx.ratings(a11, 0, 10))" "$r_nps" hand "$h_nps" floor "$floor"
bench_row "hand: avg(a5)" "$h_mean" floor "$floor"
bench_row "cx.mean_score(a5, 1, 5)" "$c_mean" hand "$h_mean" floor "$floor"
bench_row "cx.mean(cx.ratings(a5, 1, 5))" "$r_mean" hand "$h_mean" floor "$floor"
bench_row "GROUP BY 1000 x 4: count(*)" "$g_floor"
bench_row "GROUP BY 1000 x 4: hand csat" "$g_h_csat" floor "$g_floor"
bench_row "GROUP BY 1000 x 4: cx.csat(a5)" "$g_c_csat" hand "$g_h_csat" floor "$g_floor"
bench_row "GROUP BY 1000 x 4: hand NPS" "$g_h_nps" floor "$g_floor"
bench_row "GROUP BY 1000 x 4: cx.nps(a11)" "$g_c_nps" hand "$g_h_nps" floor "$g_floor"
bench_row "GROUP BY 1000 x 4: hand count, avg, csat" "$g_h_all" floor "$g_floor"
bench_row "GROUP BY 1000 x 4: cx.ratings + 3 accessors" "$g_r_all" hand "$g_h_all" floor "$g_floor"
echo "  serialized 5-point cx.ratings: $(cx_psql -Atc "SELECT pg_column_size(cx.ratings(a5, 1, 5)) FROM bench_answers WHERE service = 1") bytes in memory (bar: <= 64), $(cx_psql -Atc "CREATE TEMP TABLE t AS SELECT cx.ratings(a5, 1, 5) AS r FROM bench_answers WHERE service = 1; SELECT pg_column_size(r) FROM t") bytes stored"
