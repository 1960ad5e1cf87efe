# Tracking as agencies run it (sourced by test/bench.sh): a standard per row
# from a lookup table against one standard; two clocks against one; pausing
# and resuming rows against an ordinary update; the sweep of a 2M-row table
# against a 200k-row one with the same flips, and against the bare UPDATE.
#
# Sizes: BENCH_TRACK_INSERT_ROWS (default 1,000,000) rows per bulk insert,
# BENCH_TRACK_SCALE_FLIPS (default 10,000) rows flipped per sweep.
# shellcheck shell=bash

clk_n=${BENCH_TRACK_INSERT_ROWS:-1000000}
clk_flips=${BENCH_TRACK_SCALE_FLIPS:-10000}
clk_rounds=${BENCH_TRACK_INSERT_ROUNDS:-5}
clk_std="'90% within 30 business days'"

cx_psql >/dev/null <<SQL
SET client_min_messages = warning;
DROP TABLE IF EXISTS clk_one, clk_lookup, clk_two, clk_lines, clk_pause CASCADE;
CREATE TABLE clk_one (id bigserial PRIMARY KEY, product_line text, channel text,
	received_at timestamptz, acknowledged_at timestamptz, decided_at timestamptz,
	paused_since timestamptz, cx_status text, ack_status text);
CREATE TABLE clk_lookup (LIKE clk_one INCLUDING ALL);
CREATE TABLE clk_two (LIKE clk_one INCLUDING ALL);
-- twelve product lines, each with its own entry (the same promise, so the
-- due-time arithmetic is the same work as with one standard)
CREATE TABLE clk_lines (product_line text PRIMARY KEY, standard cx.standard);
INSERT INTO clk_lines SELECT 'line ' || i, $clk_std FROM generate_series(0, 11) i;
SELECT cx.track('clk_one', $clk_std, started => 'received_at', finished => 'decided_at', status => 'cx_status');
SELECT cx.track('clk_lookup', $clk_std, started => 'received_at', finished => 'decided_at', status => 'cx_status',
				lookup => 'clk_lines', by => 'product_line');
SELECT cx.track('clk_two', $clk_std, started => 'received_at', finished => 'decided_at', status => 'cx_status');
SELECT cx.track('clk_two', '90% within 2 business days', started => 'received_at', finished => 'acknowledged_at',
				status => 'ack_status', clock => 'acknowledge');
SQL

# 1. bulk insert of on-track rows, rounds alternating the tables
clk_ins() {
	echo "INSERT INTO $1 (product_line, channel, received_at) SELECT 'line ' || (i % 12), 'web', now() - interval '1 day' + i * (interval '1 day' / $clk_n) FROM generate_series(1, $clk_n) i;"
}
c_one= c_look= c_two= r_look= r_two=
for ((r = 0; r < clk_rounds; r++)); do
	a=$(track_ms "TRUNCATE clk_one; CHECKPOINT;" "$(clk_ins clk_one)" 1)
	b=$(track_ms "TRUNCATE clk_lookup; CHECKPOINT;" "$(clk_ins clk_lookup)" 1)
	c=$(track_ms "TRUNCATE clk_two; CHECKPOINT;" "$(clk_ins clk_two)" 1)
	c_one="$c_one $a" c_look="$c_look $b" c_two="$c_two $c"
	r_look="$r_look $(track_ratio "$b" "$a")" r_two="$r_two $(track_ratio "$c" "$a")"
done
echo "  bulk INSERT ... SELECT of $clk_n on-track rows ($clk_rounds alternating rounds; medians):"
bench_row "one clock, one standard (reference)" "$(track_median $c_one)"
bench_row "one clock, standard per row from a lookup" "$(track_median $c_look)" "one standard" "$(track_median $c_one)"
bench_row "two clocks (decide, acknowledge)" "$(track_median $c_two)" "one clock" "$(track_median $c_one)"
echo "  round ratios lookup/one:$r_look; two clocks/one:$r_two"
track_bar "standard per row (lookup) / one standard (median round)" "$(track_median $r_look)" "<=" 1.10
track_bar "two clocks / one clock (median round)" "$(track_median $r_two)" "<=" 1.15

# 2. pausing and resuming rows: single-row updates with pgbench (4 clients),
# each one a pause or a resume (logged), against updates of another column;
# rounds alternate, the ratio is the median of the rounds' time ratios
cx_psql >/dev/null <<SQL
DROP TABLE IF EXISTS clk_pause;
CREATE TABLE clk_pause (id bigserial PRIMARY KEY, product_line text, channel text,
	received_at timestamptz, decided_at timestamptz, paused_since timestamptz, cx_status text);
SELECT cx.track('clk_pause', $clk_std, started => 'received_at', finished => 'decided_at', status => 'cx_status',
				paused => 'paused_since');
$(clk_ins clk_pause)
VACUUM ANALYZE clk_pause;
SQL
clk_pgbench() { # SQL with :id → tps
	local f
	f=$(mktemp)
	printf '\\set id random(1, %s)\n%s\n' "$clk_n" "$1" >"$f"
	"$PG_BINDIR/pgbench" -n -c 4 -j 2 -T "${BENCH_TRACK_PGBENCH_SECS:-5}" -f "$f" 2>/dev/null |
		sed -n 's/^tps = \([0-9.]*\).*/\1/p'
	rm -f "$f"
}
p_upd= p_pause= r_pause=
for ((r = 0; r < clk_rounds; r++)); do
	a=$(clk_pgbench "UPDATE clk_pause SET channel = CASE channel WHEN 'web' THEN 'mail' ELSE 'web' END WHERE id = :id;")
	b=$(clk_pgbench "UPDATE clk_pause SET paused_since = CASE WHEN paused_since IS NULL THEN now() END WHERE id = :id;")
	p_upd="$p_upd $a" p_pause="$p_pause $b"
	r_pause="$r_pause $(track_ratio "$a" "$b")"
done
events=$(cx_psql -Atc "SELECT count(*) FROM cx.breach_log WHERE tbl = 'public.clk_pause' AND new_status IN ('paused', 'resumed')")
echo "  single-row UPDATE of a tracked table with pgbench, 4 clients ($clk_rounds alternating rounds of ${BENCH_TRACK_PGBENCH_SECS:-5} s; medians; $events pause and resume events logged):"
printf '  %-46s %10.0f tps\n' "another column (reference)" "$(track_median $p_upd)"
printf '  %-46s %10.0f tps   %6.2fx the time of the reference (median of round ratios:%s)\n' "pause or resume" "$(track_median $p_pause)" "$(track_median $r_pause)" "$r_pause"
track_bar "pause/resume update time / ordinary update time (median round)" "$(track_median $r_pause)" "<=" 1.3
cx_psql -c "DROP TABLE clk_one, clk_lookup, clk_two, clk_pause, clk_lines; TRUNCATE cx.breach_log" >/dev/null

# 3. the sweep of a 200k-row and a 2M-row table, the same number of rows
# falling due since the last sweep in each
clk_scale_table() { # name rows
	cx_psql >/dev/null <<SQL
SET client_min_messages = warning;
DROP TABLE IF EXISTS $1;
CREATE TABLE $1 (id bigserial PRIMARY KEY, received_at timestamptz, decided_at timestamptz, cx_status text, cx_due timestamptz);
INSERT INTO $1 (received_at, decided_at, cx_status, cx_due)
SELECT r, CASE WHEN i % 5 <> 0 THEN r + interval '20 days' END,
	   CASE WHEN i % 5 <> 0 THEN 'met' WHEN now() > r + interval '42 days' THEN 'breached' ELSE 'on_track' END,
	   r + interval '42 days'
FROM (SELECT i, now() - interval '730 days' + i * (interval '729 days' / $2) AS r FROM generate_series(1, $2) i) g;
SELECT cx.track('$1', '90% within 42 days', started => 'received_at', finished => 'decided_at', status => 'cx_status',
				at_risk => 1, backfill => false);
VACUUM (FREEZE, ANALYZE) $1;
SELECT cx.sweep('$1');
SQL
}
clk_stale() { # name: rows fall due in the half second before the setup's end
	echo "SELECT pg_sleep(1);
SET session_replication_role = replica;
UPDATE $1 SET received_at = now() - interval '42 days' - (id % 1000) * interval '0.5 ms', cx_status = 'on_track',
	cx_due = now() - (id % 1000) * interval '0.5 ms'
WHERE id IN (SELECT id FROM $1 WHERE decided_at IS NULL ORDER BY id DESC LIMIT $clk_flips);
RESET session_replication_role;
VACUUM $1;"
}
clk_scale_table clk_s200k 200000
clk_scale_table clk_s2m 2000000
s_small=$(track_ms "$(clk_stale clk_s200k)" "SELECT cx.sweep('clk_s200k');" 5)
s_big=$(track_ms "$(clk_stale clk_s2m)" "SELECT cx.sweep('clk_s2m');" 5)
f_big=$(track_ms "$(clk_stale clk_s2m)
SET session_replication_role = replica;" "UPDATE clk_s2m SET cx_status = 'breached'
WHERE ctid = ANY (ARRAY(SELECT ctid FROM clk_s2m WHERE cx_due >= now() - interval '2 seconds' AND cx_due < now()
						AND decided_at IS NULL AND cx_status = 'on_track' FOR UPDATE SKIP LOCKED));" 5)
flips=$(cx_psql -Atc "SELECT count(*) FROM cx.breach_log WHERE tbl = 'public.clk_s2m'")
echo "  sweep with $clk_flips rows newly due (median of 5; $flips flips logged on the 2M table):"
bench_row "cx.sweep of the 200k-row table (reference)" "$s_small"
bench_row "floor: the same flips on 2M rows, triggers off, no log" "$f_big" "200k sweep" "$s_small"
bench_row "cx.sweep of the 2M-row table" "$s_big" "200k sweep" "$s_small" "floor" "$f_big"
track_bar "sweep 2M rows / sweep 200k rows" "$(track_ratio "$s_big" "$s_small")" "<=" 1.5
track_bar "sweep 2M rows / bare UPDATE of the same flips" "$(track_ratio "$s_big" "$f_big")" "<=" 2.5
cx_psql -c "DROP TABLE clk_s200k, clk_s2m; TRUNCATE cx.breach_log" >/dev/null
