\echo
\echo '== Cycle-time sketches: dashboards from stored daily rollups'
\echo
SELECT count(*) AS daily_sketches,
       pg_size_pretty(pg_total_relation_size('cycle_daily')) AS stored_in,
       (SELECT count(*) FROM applications WHERE decided_at IS NOT NULL) AS decisions_summarized
FROM cycle_daily;

\echo
\echo 'Last 90 days per product line, from the daily sketches (1% relative accuracy),'
\echo 'beside the exact percentile from the raw rows:'
WITH last AS (SELECT (max(received_at) AT TIME ZONE 'America/New_York')::date AS d FROM applications),
     sk AS (SELECT product_line, cx.rollup(decided) AS s
            FROM cycle_daily, last WHERE day > last.d - 90 AND day <= last.d GROUP BY product_line),
     ex AS (SELECT product_line, percentile_disc(0.9) WITHIN GROUP (ORDER BY decided_at - received_at) AS p90
            FROM applications, last
            WHERE decided_at IS NOT NULL AND (decided_at AT TIME ZONE 'America/New_York')::date BETWEEN last.d - 89 AND last.d
            GROUP BY product_line)
SELECT product_line, cx.count(s) AS decided,
       date_trunc('minute', cx.percentile(s, 0.5)) AS median,
       date_trunc('minute', cx.percentile(s, 0.9)) AS p90_sketch,
       date_trunc('minute', ex.p90) AS p90_exact,
       round((100 * abs(cx.percentile(s, 0.9, 'seconds') - extract(epoch FROM ex.p90)::float8)
              / extract(epoch FROM ex.p90)::float8)::numeric, 2) AS err_pct,
       round(100 * cx.share_within(s, interval '30 days')) AS pct_within_30d
FROM sk JOIN ex USING (product_line)
ORDER BY product_line;

\echo
\echo 'Monthly p90 in days (numbers for a BI chart), all product lines:'
SELECT to_char(date_trunc('month', day), 'YYYY-MM') AS month,
       cx.count(cx.rollup(decided)) AS decided,
       round(cx.percentile(cx.rollup(decided), 0.5, 'days')::numeric, 1) AS median_days,
       round(cx.percentile(cx.rollup(decided), 0.9, 'days')::numeric, 1) AS p90_days,
       round(cx.mean(cx.rollup(decided), 'days')::numeric, 1) AS mean_days
FROM cycle_daily
GROUP BY 1 ORDER BY 1;

\echo
\echo 'Distribution of decision times over the whole period (histogram rows, merged to 8 bands for display):'
SELECT round(min(lower)::numeric, 2) AS from_days, round(max(upper)::numeric, 2) AS to_days,
       sum(count) AS decided
FROM cx.histogram((SELECT cx.rollup(decided) FROM cycle_daily), 'days')
GROUP BY width_bucket(ln(greatest(upper, 1e-6)), ln(0.01), ln(400), 8)
ORDER BY 1;
