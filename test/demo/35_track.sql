-- Tracking report for make demo: the standard's attainment per product line
-- from the tracked statuses, the weekly overdue review (open items past due,
-- oldest first) and the breach log.
-- Every section reads the data as of the demo's instant (the trigger's
-- stored statuses are as of the machine's clock; cx.status_at applies the
-- trigger's rule at any instant).
\set as_of '\'2026-11-20 17:00 America/New_York\'::timestamptz'
\echo
\echo '== Tracking: applications against "90% within 30 business days" (US federal calendar), as of Fri 2026-11-20 17:00 ET'
\echo
\echo 'Status of every application, per product line (decided: met / missed; open: on track / at risk / breached)'
SELECT product_line,
       count(*) FILTER (WHERE st = 'met')      AS met,
       count(*) FILTER (WHERE st = 'missed')   AS missed,
       round(100.0 * count(*) FILTER (WHERE st = 'met')
             / nullif(count(*) FILTER (WHERE st IN ('met', 'missed')), 0), 1) AS "met %",
       CASE WHEN count(*) FILTER (WHERE st = 'met')
                 >= cx.target('90% within 30 business days')
                    * count(*) FILTER (WHERE st IN ('met', 'missed'))
            THEN 'meets 90%' ELSE 'below 90%' END AS standard,
       count(*) FILTER (WHERE st = 'on_track') AS on_track,
       count(*) FILTER (WHERE st = 'at_risk')  AS at_risk,
       count(*) FILTER (WHERE st = 'breached') AS breached
FROM (SELECT product_line,
             cx.status_at(received_at, cx_due, decided_at, :as_of, at_risk => 0.8) AS st
      FROM applications WHERE received_at <= :as_of) a
GROUP BY product_line
ORDER BY product_line;

\echo
\echo 'Weekly overdue review: open applications past their due date, oldest first (top 15)'
SELECT id, product_line, channel,
       received_at::date AS received,
       (cx_due AT TIME ZONE 'America/New_York')::date AS due,
       cx.business_days(cx_due, :as_of, 'us_federal') AS "business days overdue"
FROM applications
WHERE received_at <= :as_of AND cx.status_at(received_at, cx_due, decided_at, :as_of) = 'breached'
ORDER BY cx_due, id
LIMIT 15;

\echo
\echo 'Open items that will breach within 5 business days (at risk), per product line'
SELECT product_line, count(*) AS at_risk,
       min(cx_due AT TIME ZONE 'America/New_York')::date AS first_due
FROM applications
WHERE received_at <= :as_of AND cx.status_at(received_at, cx_due, decided_at, :as_of, at_risk => 0.8) = 'at_risk'
  AND cx_due <= cx.add_business_days(:as_of, 5, 'us_federal')
GROUP BY product_line
ORDER BY at_risk DESC, product_line;

\echo
\echo 'Cohort verdicts, the last two quarters: applications received per quarter'
\echo 'and product line against 90% (met / missed: provably, whatever the open items do; at_risk: missed'
\echo 'unless overdue items end in time after all)'
SELECT cohort AS "received in", grp AS product_line, standard, rows, met, missed, open, open_breached AS "open, overdue",
       round((100 * attainment)::numeric, 1) AS "met % so far",
       round((100 * worst)::numeric, 1) AS "worst %", round((100 * best)::numeric, 1) AS "best %", verdict
FROM cx.cohorts('applications', 'quarter', 'product_line', as_of => :as_of)
WHERE cohort >= '2026-07-01'
ORDER BY 1, 2;

\echo
\echo 'Breach log: events logged by the tracking trigger, by kind'
SELECT coalesce(old_status, '(first status)') AS "from", new_status AS "to", count(*) AS events
FROM cx.breach_log
WHERE tbl = 'public.applications'
GROUP BY 1, 2
ORDER BY 3 DESC;
