-- Weekly cycle-time review: decisions made in the week ending Friday
-- 2026-11-20, per product line, against each line's published standard;
-- then the open items already past their standard, and a 6-week trend.
\pset null '-'
\echo
\echo '=============================================================================='
\echo ' Weekly cycle-time review: decisions made Sat 2026-11-14 through Fri 2026-11-20'
\echo '=============================================================================='
WITH week AS (
    SELECT a.product_line, s.standard_days, a.decided_at - a.received_at AS took
    FROM applications a JOIN service_lines s USING (product_line)
    WHERE a.decided_at >= timestamptz '2026-11-14 00:00 America/New_York'
      AND a.decided_at <  timestamptz '2026-11-21 00:00 America/New_York'
), summary AS (
    SELECT product_line, standard_days, count(*) AS decided,
           cx.percentile(took, ARRAY[0.5, 0.9, 0.95]) AS p,
           cx.share_within(took, make_interval(days => standard_days)) AS within
    FROM week GROUP BY product_line, standard_days
)
SELECT product_line AS "Product line",
       decided AS "Decided",
       round((extract(epoch FROM p[1]) / 86400)::numeric, 1) AS "p50 days",
       round((extract(epoch FROM p[2]) / 86400)::numeric, 1) AS "p90 days",
       round((extract(epoch FROM p[3]) / 86400)::numeric, 1) AS "p95 days",
       standard_days AS "Standard days",
       to_char(100 * within, 'FM990.0') || '%' AS "Within standard",
       CASE WHEN within >= 0.9 THEN 'meets 90%' ELSE 'MISSES 90%' END AS "90% goal"
FROM summary
ORDER BY within, product_line;

\echo
\echo 'Open applications already past their standard (as of Fri 2026-11-20 17:00 ET)'
SELECT a.product_line AS "Product line",
       count(*) AS "Open",
       count(*) FILTER (WHERE timestamptz '2026-11-20 17:00 America/New_York' - a.received_at
                              > make_interval(days => s.standard_days)) AS "Past standard",
       round((extract(epoch FROM cx.percentile(timestamptz '2026-11-20 17:00 America/New_York' - a.received_at, 0.5)) / 86400)::numeric, 1)
           AS "Median age days",
       round((extract(epoch FROM max(timestamptz '2026-11-20 17:00 America/New_York' - a.received_at)) / 86400)::numeric, 1)
           AS "Oldest days"
FROM applications a JOIN service_lines s USING (product_line)
WHERE a.decided_at IS NULL
GROUP BY a.product_line
ORDER BY 3 DESC, 1;

\echo
\echo 'Six-week trend, all product lines: p90 decision time (days) and share within standard'
SELECT to_char(date_trunc('week', a.decided_at AT TIME ZONE 'America/New_York'), 'YYYY-MM-DD') AS "Week of",
       count(*) AS "Decided",
       round((extract(epoch FROM cx.percentile(a.decided_at - a.received_at, 0.9)) / 86400)::numeric, 1) AS "p90 days",
       to_char(100 * cx.share_within(a.decided_at - a.received_at, make_interval(days => s.standard_days)), 'FM990.0') || '%'
           AS "Within standard"
FROM applications a JOIN service_lines s USING (product_line)
WHERE a.decided_at >= timestamptz '2026-10-12 00:00 America/New_York'
  AND a.decided_at <  timestamptz '2026-11-23 00:00 America/New_York'
GROUP BY 1 ORDER BY 1;
