-- Quarterly satisfaction report in the shape OMB Circular A-11 section 280
-- asks for: per item, the number of answers at each point, the mean and the
-- percent who agree (with its 95% interval); then NPS and effort per
-- product line, and a two-quarter comparison that separates real change
-- from noise.  Quarters are rolled up from the stored daily tallies.
\pset null '-'
\echo
\echo '=============================================================================='
\echo ' A-11 customer experience survey, 2026 Q3 (Jul 1 - Sep 30), all product lines'
\echo '=============================================================================='
WITH q AS (
	SELECT question, cx.rollup(tally) AS r
	FROM survey_daily
	WHERE day >= '2026-07-01' AND day < '2026-10-01'
	GROUP BY question
)
SELECT q.question AS "Item",
	   cx.count(r) AS "Answers",
	   (cx.counts(r))[1] AS "1 Strongly disagree",
	   (cx.counts(r))[2] AS "2",
	   (cx.counts(r))[3] AS "3",
	   (cx.counts(r))[4] AS "4",
	   (cx.counts(r))[5] AS "5 Strongly agree",
	   round(cx.mean(r)::numeric, 2) AS "Mean",
	   to_char(cx.csat(r), 'FM990.0') || '%' AS "Agree (4-5)",
	   to_char((cx.csat_ci(r)).low, 'FM990.0') || '-' || to_char((cx.csat_ci(r)).high, 'FM990.0') || '%' AS "95% interval",
	   cx.skipped(r) AS "Skipped"
FROM q JOIN survey_questions USING (question)
WHERE scale_low = 1 AND scale_high = 5
ORDER BY array_position(ARRAY['satisfaction', 'trust', 'ease', 'efficiency', 'helpfulness'], q.question);

\echo
\echo 'Distribution of "satisfaction" in 2026 Q3 (cx.distribution)'
SELECT point AS "Answer", count AS "Count", to_char(percent, 'FM990.0') || '%' AS "Share",
	   repeat('#', round(percent)::int) AS " "
FROM cx.distribution((SELECT cx.rollup(tally) FROM survey_daily
					  WHERE question = 'satisfaction' AND day >= '2026-07-01' AND day < '2026-10-01'));

\echo
\echo 'Per product line, 2026 Q3: satisfaction, Net Promoter Score, effort (1-7)'
WITH q AS (
	SELECT product_line,
		   cx.rollup(tally) FILTER (WHERE question = 'satisfaction') AS sat,
		   cx.rollup(tally) FILTER (WHERE question = 'nps') AS nps,
		   cx.rollup(tally) FILTER (WHERE question = 'effort') AS effort
	FROM survey_daily
	WHERE day >= '2026-07-01' AND day < '2026-10-01'
	GROUP BY product_line
)
SELECT product_line AS "Product line",
	   cx.count(sat) AS "n",
	   to_char(cx.csat(sat), 'FM990.0') || '% (' || to_char((cx.csat_ci(sat)).low, 'FM990.0') || '-'
		   || to_char((cx.csat_ci(sat)).high, 'FM990.0') || ')' AS "Satisfied, 95% CI",
	   round(cx.index100(sat)::numeric, 1) AS "Index 0-100",
	   to_char(cx.nps(nps), 'FMS990.0') || ' +/- ' || to_char(cx.nps_moe(nps), 'FM990.0') AS "NPS +/- 95% MoE",
	   round(cx.mean(effort)::numeric, 2) || ' (' || round((cx.mean_ci(effort)).low::numeric, 2) || '-'
		   || round((cx.mean_ci(effort)).high::numeric, 2) || ')' AS "Effort mean, 95% CI"
FROM q
ORDER BY cx.csat(sat) DESC;

\echo
\echo 'Did it change? 2026 Q2 vs 2026 Q3 per product line (two-sided tests; * = p < 0.05)'
WITH q AS (
	SELECT product_line,
		   cx.rollup(tally) FILTER (WHERE question = 'satisfaction' AND day < '2026-07-01') AS sat_q2,
		   cx.rollup(tally) FILTER (WHERE question = 'satisfaction' AND day >= '2026-07-01') AS sat_q3,
		   cx.rollup(tally) FILTER (WHERE question = 'nps' AND day < '2026-07-01') AS nps_q2,
		   cx.rollup(tally) FILTER (WHERE question = 'nps' AND day >= '2026-07-01') AS nps_q3
	FROM survey_daily
	WHERE day >= '2026-04-01' AND day < '2026-10-01'
	GROUP BY product_line
)
SELECT product_line AS "Product line",
	   to_char(cx.csat(sat_q2), 'FM990.0') || '%' AS "Satisfied Q2",
	   to_char(cx.csat(sat_q3), 'FM990.0') || '%' AS "Satisfied Q3",
	   to_char(c.difference, 'FMS990.0') AS "Change (points)",
	   round(c.z::numeric, 2) AS "z",
	   CASE WHEN c.p_value < 0.0001 THEN '<0.0001' ELSE to_char(c.p_value, 'FM0.0000') END
		   || CASE WHEN c.p_value < 0.05 THEN ' *' ELSE '' END AS "p",
	   to_char(n.difference, 'FMS990.0') || ' +/- ' || to_char(1.96 * n.std_error, 'FM990.0') AS "NPS change +/- 95%",
	   CASE WHEN n.p_value < 0.0001 THEN '<0.0001' ELSE to_char(n.p_value, 'FM0.0000') END
		   || CASE WHEN n.p_value < 0.05 THEN ' *' ELSE '' END AS "NPS p"
FROM q, LATERAL cx.compare_csat(sat_q2, sat_q3) AS c, LATERAL cx.compare_nps(nps_q2, nps_q3) AS n
ORDER BY c.p_value;

\echo
\echo 'Satisfaction by quarter, all product lines (rolled up from daily tallies; Q4 to date)'
SELECT to_char(date_trunc('quarter', day), 'YYYY "Q"Q') AS "Quarter",
	   cx.count(cx.rollup(tally)) AS "Answers",
	   round(cx.mean(cx.rollup(tally))::numeric, 2) AS "Mean",
	   to_char(cx.csat(cx.rollup(tally)), 'FM990.0') || '%' AS "Agree (4-5)",
	   round(cx.index100(cx.rollup(tally))::numeric, 1) AS "Index 0-100"
FROM survey_daily
WHERE question = 'satisfaction'
GROUP BY date_trunc('quarter', day)
ORDER BY date_trunc('quarter', day);
