# Exact percentiles (issue: cx.percentile vs percentile_cont and the scan floor).
# Sourced by test/bench.sh.
bench_durations_table
rows=$(cx_psql -Atc "SELECT count(*) FROM bench_cycle")
echo "exact percentiles on bench_cycle ($rows rows, lognormal; median of $BENCH_RUNS runs; ratios: to the scan floor, to percentile_cont)"
floor=$(bench_ms "SELECT count(*), sum(secs) FROM bench_cycle")
floor_iv=$(bench_ms "SELECT count(*), sum(dur) FROM bench_cycle")
pc_f=$(bench_ms "SELECT percentile_cont(0.9) WITHIN GROUP (ORDER BY secs) FROM bench_cycle" 3)
pc_i=$(bench_ms "SELECT percentile_cont(0.9) WITHIN GROUP (ORDER BY dur) FROM bench_cycle" 3)
cx_f=$(bench_ms "SELECT cx.percentile(secs, 0.9) FROM bench_cycle")
cx_i=$(bench_ms "SELECT cx.percentile(dur, 0.9) FROM bench_cycle")
cx_f3=$(bench_ms "SELECT cx.percentile(secs, ARRAY[0.5, 0.9, 0.95]) FROM bench_cycle")
cx_i3=$(bench_ms "SELECT cx.percentile(dur, ARRAY[0.5, 0.9, 0.95]) FROM bench_cycle")
pc_f3=$(bench_ms "SELECT percentile_cont(ARRAY[0.5, 0.9, 0.95]) WITHIN GROUP (ORDER BY secs) FROM bench_cycle" 3)
cx_g=$(bench_ms "SELECT product_line, cx.percentile(secs, 0.9) FROM bench_cycle GROUP BY product_line")
pc_g=$(bench_ms "SELECT product_line, percentile_cont(0.9) WITHIN GROUP (ORDER BY secs) FROM bench_cycle GROUP BY product_line" 3)
floor_g=$(bench_ms "SELECT product_line, count(*), sum(secs) FROM bench_cycle GROUP BY product_line")
cx_sw=$(bench_ms "SELECT cx.share_within(secs, 2592000) FROM bench_cycle")
bench_row "scan floor: count(*), sum(secs)" "$floor"
bench_row "scan floor: count(*), sum(dur)" "$floor_iv"
bench_row "percentile_cont(0.9) float8" "$pc_f" floor "$floor"
bench_row "cx.percentile(secs, 0.9)" "$cx_f" floor "$floor" percentile_cont "$pc_f"
bench_row "percentile_cont(0.9) interval" "$pc_i" floor "$floor"
bench_row "cx.percentile(dur, 0.9)" "$cx_i" floor "$floor" percentile_cont "$pc_i"
bench_row "percentile_cont(ARRAY[.5,.9,.95]) float8" "$pc_f3" floor "$floor"
bench_row "cx.percentile(secs, ARRAY[.5,.9,.95])" "$cx_f3" floor "$floor" percentile_cont "$pc_f3" one_percentile "$cx_f"
bench_row "cx.percentile(dur, ARRAY[.5,.9,.95])" "$cx_i3" floor "$floor" one_percentile "$cx_i"
bench_row "GROUP BY 12 lines: count, sum" "$floor_g"
bench_row "GROUP BY 12 lines: percentile_cont(0.9)" "$pc_g" floor "$floor_g"
bench_row "GROUP BY 12 lines: cx.percentile(0.9)" "$cx_g" floor "$floor_g" percentile_cont "$pc_g"
bench_row "cx.share_within(secs, 30 days)" "$cx_sw" floor "$floor"
# the same in one process: what the per-row work costs without the transfer
# of every value from the parallel workers to the leader
floor_1=$(PGOPTIONS="-c max_parallel_workers_per_gather=0" bench_ms "SELECT count(*), sum(secs) FROM bench_cycle" 3)
cx_f1=$(PGOPTIONS="-c max_parallel_workers_per_gather=0" bench_ms "SELECT cx.percentile(secs, 0.9) FROM bench_cycle" 3)
bench_row "one process: count(*), sum(secs)" "$floor_1"
bench_row "one process: cx.percentile(secs, 0.9)" "$cx_f1" floor "$floor_1"
track_bar "cx.percentile(secs, 0.9) / scan floor" "$(track_ratio "$cx_f" "$floor")" "<=" 1.2
track_bar "percentile_cont / cx.percentile, float8" "$(track_ratio "$pc_f" "$cx_f")" ">=" 5
track_bar "percentile_cont / cx.percentile, interval" "$(track_ratio "$pc_i" "$cx_i")" ">=" 8
