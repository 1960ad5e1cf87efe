-- Daily cycle-time sketches per product line: what an agency keeps for
-- years instead of (or beside) the raw transactions.
CREATE TABLE cycle_daily AS
SELECT product_line,
       (decided_at AT TIME ZONE 'America/New_York')::date AS day,
       cx.cycle_sketch(decided_at - received_at) AS decided
FROM applications
WHERE decided_at IS NOT NULL
GROUP BY 1, 2;
CREATE INDEX ON cycle_daily (day);
ANALYZE cycle_daily;
