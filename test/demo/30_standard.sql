-- Service standards on the US federal business calendar: each product
-- line's published standard restated as "90% within N business days",
-- judged on the last quarter's decisions; the open items by due date.
\pset null '-'
\echo
\echo '=============================================================================='
\echo ' Service standards on business days (us_federal calendar, US Eastern days)'
\echo ' decisions Fri 2026-08-21 through Fri 2026-11-20'
\echo '=============================================================================='
WITH std AS (
    SELECT product_line,
           format('90%% within %s business days', greatest(1, round(standard_days * 5 / 7.0)))::cx.standard AS standard
    FROM service_lines
), quarter AS (
    SELECT a.product_line, s.standard, a.received_at, a.decided_at,
           cx.business_days(a.received_at, a.decided_at) AS bdays
    FROM applications a JOIN std s USING (product_line)
    WHERE a.decided_at >= timestamptz '2026-08-21 00:00 America/New_York'
      AND a.decided_at <  timestamptz '2026-11-21 00:00 America/New_York'
)
SELECT product_line AS "Product line",
       standard::text AS "Standard",
       count(*) AS "Decided",
       round(cx.percentile(bdays::float8, 0.5)::numeric, 1) AS "p50 bus. days",
       round(cx.percentile(bdays::float8, 0.9)::numeric, 1) AS "p90 bus. days",
       to_char(100 * cx.attainment(received_at, decided_at, standard), 'FM990.0') || '%' AS "Within",
       CASE WHEN cx.meets(received_at, decided_at, standard) THEN 'meets' ELSE 'MISSES' END AS "Standard met"
FROM quarter
GROUP BY product_line, standard
ORDER BY cx.attainment(received_at, decided_at, standard), product_line;

\echo
\echo 'Open applications by due date (due = end of the N-th business day, Eastern), as of Fri 2026-11-20 17:00 ET'
WITH std AS (
    SELECT product_line,
           format('90%% within %s business days', greatest(1, round(standard_days * 5 / 7.0)))::cx.standard AS standard
    FROM service_lines
), open AS (
    SELECT a.product_line, s.standard, cx.due_at(a.received_at, s.standard) AS due
    FROM applications a JOIN std s USING (product_line)
    WHERE a.decided_at IS NULL
)
SELECT product_line AS "Product line",
       count(*) AS "Open",
       count(*) FILTER (WHERE due < timestamptz '2026-11-20 17:00 America/New_York') AS "Overdue",
       count(*) FILTER (WHERE due >= timestamptz '2026-11-20 17:00 America/New_York'
                          AND due < cx.add_business_days(timestamptz '2026-11-20 17:00 America/New_York', 5)) AS "Due within 5 bus. days",
       to_char(min(due) AT TIME ZONE 'America/New_York', 'Dy YYYY-MM-DD') AS "Oldest due date"
FROM open
GROUP BY product_line
ORDER BY 3 DESC, 1;

\echo
\echo 'Coming US federal holidays (5 U.S.C. 6103, as observed)'
SELECT to_char(day, 'Dy YYYY-MM-DD') AS "Observed", name AS "Holiday",
       CASE WHEN day <> actual THEN to_char(actual, 'Dy YYYY-MM-DD') END AS "Legal date"
FROM generate_series(2026, 2027) y, cx.us_federal_holidays(y)
WHERE day >= date '2026-11-21' AND day < date '2027-07-01'
ORDER BY day;
