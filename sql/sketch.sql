-- Cycle-time sketches: construction, accessors, text form, NULLs, edge
-- cases and bad input.  Answers are checked against exact built-ins.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS cx_metrics;
RESET client_min_messages;

CREATE TEMP TABLE sk_small (d interval, x float8);
INSERT INTO sk_small VALUES
  ('3 hours', 10800), ('1 day', 86400), ('2 days', 172800), (NULL, NULL),
  ('1 day', 86400), ('5 days 04:00', 446400), ('30 days', 2592000);

-- the text form is readable and round-trips exactly
SELECT cx.cycle_sketch(d) FROM sk_small;
SELECT cx.number_sketch(x) FROM sk_small;
SELECT s::text::cx.cycle_sketch::text = s::text AS interval_text_round_trip,
       n::text::cx.number_sketch::text = n::text AS number_text_round_trip
FROM (SELECT cx.cycle_sketch(d) s, cx.number_sketch(x) n FROM sk_small) t;

-- exact count, min, max, mean; NULLs ignored
SELECT cx.count(s) = count AS count_ok,
       cx.min(s) = min AS min_ok, cx.max(s) = max AS max_ok,
       cx.mean(s) = avg AS mean_ok,
       cx.mean(s, 'days') = extract(epoch FROM avg)::float8 / 86400 AS mean_days_ok,
       cx.min(s, 'hours') = 3 AS min_hours_ok, cx.max(s, 'seconds') = 2592000 AS max_seconds_ok
FROM (SELECT cx.cycle_sketch(d) s, count(d), min(d), max(d), avg(d) FROM sk_small) t;
SELECT cx.count(n) = 6 AS count_ok, cx.min(n) = 10800 AS min_ok, cx.max(n) = 2592000 AS max_ok,
       cx.mean(n) = (SELECT avg(x) FROM sk_small) AS mean_ok,
       cx.relative_accuracy(n) = 0.01 AS default_alpha
FROM (SELECT cx.number_sketch(x) n FROM sk_small) t;

-- percentiles: q = 0 and q = 1 are the exact min and max; the rest within 1%
SELECT cx.percentile(s, 0) = min AS p0_is_min, cx.percentile(s, 1) = max AS p1_is_max,
       abs(extract(epoch FROM cx.percentile(s, 0.5) - med)) <= 0.01 * extract(epoch FROM med) AS p50_within,
       cx.percentile(s, ARRAY[0, 0.5, 1]) = ARRAY[min, cx.percentile(s, 0.5), max] AS array_form,
       cx.percentile(s, ARRAY[0.5], 'seconds') = ARRAY[extract(epoch FROM cx.percentile(s, 0.5))::float8] AS array_seconds,
       cx.percentile(s, 1, 'days') = 30 AS p1_days
FROM (SELECT cx.cycle_sketch(d) s, min(d), max(d), percentile_disc(0.5) WITHIN GROUP (ORDER BY d) med FROM sk_small) t;
SELECT cx.percentile(n, ARRAY[0.25, NULL, 0.75]) AS with_null_fraction,
       cx.percentile(n, '{}'::float8[]) AS empty_array,
       cx.percentile(n, ARRAY[[0, 1], [1, 0]]) AS two_dims
FROM (SELECT cx.number_sketch(x) n FROM sk_small) t;

-- share_within and rank: exact at the ends, within the alpha bracket in between
SELECT cx.share_within(s, interval '30 days') AS all_within_30d,
       cx.share_within(s, interval '2 hours') AS none_within_2h,
       cx.share_within(s, interval '1 day') AS three_within_1d,
       cx.rank(s, interval '2 days') AS rank_2d
FROM (SELECT cx.cycle_sketch(d) s FROM sk_small) t;
SELECT cx.share_within(n, 2592000) = 1 AS all_within, cx.rank(n, 0) = 0 AS none_below
FROM (SELECT cx.number_sketch(x) n FROM sk_small) t;

-- histogram rows add up to the count, cover [min, max], and are in order
SELECT sum(count) = 6 AS counts_add_up, min(lower) = interval '3 hours' AS starts_at_min,
       max(upper) = interval '30 days' AS ends_at_max, bool_and(lower <= upper) AS ordered
FROM cx.histogram((SELECT cx.cycle_sketch(d) FROM sk_small));
SELECT * FROM cx.histogram((SELECT cx.cycle_sketch(d) FROM sk_small), 'days');

-- one time-unit vocabulary (cx.standard reads the same words): every
-- spelling of a unit gives the same number, in any case
SELECT bool_and(cx.max(s, a) = cx.max(s, b) AND cx.min(s, upper(a)) = cx.min(s, b)) AS same_units,
       count(*) AS spellings
FROM (SELECT cx.cycle_sketch(d) s FROM sk_small) t,
     (VALUES ('us', 'microseconds'), ('microsecond', 'microseconds'), ('ms', 'milliseconds'),
             ('millisecond', 'milliseconds'), ('s', 'seconds'), ('sec', 'seconds'), ('secs', 'seconds'),
             ('second', 'seconds'), ('min', 'minutes'), ('mins', 'minutes'), ('minute', 'minutes'),
             ('h', 'hours'), ('hr', 'hours'), ('hrs', 'hours'), ('hour', 'hours'), ('d', 'days'),
             ('day', 'days'), ('week', 'weeks')) v(a, b);
SELECT cx.max(s, 'hrs') AS max_hrs, cx.min(s, 'secs') AS min_secs, cx.mean(s, 'mins') AS mean_mins,
       cx.share_within(s, cx.allowance('within 72 h')) = cx.share_within(s, interval '3 days') AS standard_h
FROM (SELECT cx.cycle_sketch(d) s FROM sk_small) t;
SELECT * FROM cx.histogram((SELECT cx.number_sketch(x) FROM generate_series(-2, 2) x));

-- zero and negative values: zeros are exact, negatives use mirrored buckets
SELECT cx.number_sketch(x) FROM (VALUES (-5.0), (0.0), (-0.0), (0.0), (7.5)) v(x);
SELECT cx.percentile(n, ARRAY[0, 0.2, 0.4, 0.6, 1]) AS answers,
       cx.percentile(n, 0.4) = 0 AS zero_exact
FROM (SELECT cx.number_sketch(x) n FROM (VALUES (-5.0), (0.0), (-0.0), (0.0), (7.5)) v(x)) t;
SELECT cx.percentile(cx.cycle_sketch(d), 0.5) AS negative_median
FROM (VALUES (interval '-2 days'), (interval '-1 day'), (interval '0'), (interval '4 days')) v(d);

-- one row; empty input gives NULL; all-NULL input gives NULL
SELECT cx.cycle_sketch(interval '42 minutes') AS one_row;
SELECT cx.cycle_sketch(d) IS NULL AS empty_is_null FROM sk_small WHERE false;
SELECT cx.number_sketch(x) IS NULL AS all_null_is_null FROM (VALUES (NULL::float8)) v(x);
SELECT cx.rollup(s) IS NULL AS empty_rollup_is_null FROM (SELECT NULL::cx.cycle_sketch s) t;

-- as a window aggregate: each running sketch equals the sketch of its prefix
SELECT count(*) AS window_rows,
       bool_and(w::text = (SELECT cx.cycle_sketch(s2.d)::text FROM sk_small s2 WHERE s2.d <= t.d)) AS running_ok
FROM (SELECT d, cx.cycle_sketch(d) OVER (ORDER BY d) AS w FROM sk_small WHERE d IS NOT NULL) t;

-- months count as 30 days, as interval comparison does
SELECT cx.max(cx.cycle_sketch(d)) = interval '1 mon 1 day' AS month_is_30_days
FROM (VALUES (interval '1 mon 1 day'), (interval '1 day')) v(d);

-- relative accuracy: configurable, validated, constant per sketch
SELECT cx.relative_accuracy(cx.cycle_sketch(d, 0.001)) FROM sk_small;
SELECT cx.cycle_sketch(d, 0) FROM sk_small;
SELECT cx.cycle_sketch(d, 0.6) FROM sk_small;
SELECT cx.number_sketch(x, 'NaN') FROM sk_small;
SELECT cx.number_sketch(x, NULL) FROM sk_small;
SELECT cx.number_sketch(x, CASE WHEN x > 100000 THEN 0.02 ELSE 0.01 END) FROM sk_small;

-- merging sketches of different accuracy is refused, not silently wrong
SELECT cx.rollup(s) FROM (SELECT cx.cycle_sketch(d, 0.01) s FROM sk_small
                          UNION ALL SELECT cx.cycle_sketch(d, 0.02) FROM sk_small) t;

-- rollup: of pieces equals one sketch over everything
SELECT cx.rollup(s)::text = (SELECT cx.cycle_sketch(d)::text FROM sk_small) AS rollup_equals_whole
FROM (SELECT cx.cycle_sketch(d) s FROM sk_small GROUP BY d > interval '1 day') t;
SELECT cx.rollup(s)::text = (SELECT cx.number_sketch(x)::text FROM sk_small) AS rollup_equals_whole
FROM (SELECT cx.number_sketch(x) s FROM sk_small GROUP BY x > 100000) t;

-- NaN, infinities and out-of-range values are refused with a clear error
SELECT cx.number_sketch(x) FROM (VALUES (1.0), ('NaN'::float8)) v(x);
SELECT cx.number_sketch(x) FROM (VALUES ('Infinity'::float8)) v(x);
SELECT cx.number_sketch(x) FROM (VALUES ('-Infinity'::float8)) v(x);
SELECT cx.cycle_sketch(d) FROM (VALUES (interval '178000000 years')) v(d);
SELECT cx.number_sketch(x) FROM (VALUES (1e308), (1e308)) v(x);
SELECT cx.percentile(cx.cycle_sketch(d), 1.5) FROM sk_small;
SELECT cx.percentile(cx.cycle_sketch(d), -0.1) FROM sk_small;
SELECT cx.percentile(cx.cycle_sketch(d), 'NaN'::float8) FROM sk_small;
SELECT cx.percentile(cx.cycle_sketch(d), ARRAY[0.5, 2]) FROM sk_small;
SELECT cx.percentile(cx.cycle_sketch(d), 0.5, 'fortnights') FROM sk_small;
SELECT cx.share_within(cx.number_sketch(x), 'NaN'::float8) FROM sk_small;

-- very small and very large numbers, and 1 microsecond
SELECT cx.percentile(n, 0) = 1e-300 AS tiny_min, cx.percentile(n, 1) = 1e300 AS huge_max,
       abs(cx.percentile(n, 0.5) - 1) <= 0.01 AS middle_within
FROM (SELECT cx.number_sketch(x) n FROM (VALUES (1e-300), (1.0), (1e300)) v(x)) t;
SELECT cx.percentile(s, ARRAY[0, 0.5, 1]) FROM
  (SELECT cx.cycle_sketch(d) s FROM (VALUES (interval '1 microsecond'), ('2 microseconds'), ('100 years')) v(d)) t;

-- bad text input: every field, length, index and count is checked
SELECT ''::cx.cycle_sketch;
SELECT 'garbage'::cx.cycle_sketch;
SELECT 'v2 interval alpha=0.01 count=1 zeros=0 min_us=1 max_us=1 sum_us=1 neg={} pos={0:1}'::cx.cycle_sketch;
SELECT 'v1 number alpha=0.01 count=1 zeros=0 min=1 max=1 sum=1 sum_err=0 neg={} pos={0:1}'::cx.cycle_sketch;
SELECT 'v1 interval alpha=0.01 count=1 zeros=0 min_us=1 max_us=1 sum_us=1 neg={} pos={0:1}'::cx.number_sketch;
SELECT 'v1 interval alpha=0.7 count=1 zeros=0 min_us=1 max_us=1 sum_us=1 neg={} pos={0:1}'::cx.cycle_sketch;
SELECT 'v1 interval alpha=0.01 count=2 zeros=0 min_us=1 max_us=1 sum_us=1 neg={} pos={0:1}'::cx.cycle_sketch;
SELECT 'v1 interval alpha=0.01 count=1 zeros=0 min_us=1 max_us=1 sum_us=1 neg={} pos={0:1,0:1}'::cx.cycle_sketch;
SELECT 'v1 interval alpha=0.01 count=1 zeros=0 min_us=1 max_us=1 sum_us=1 neg={} pos={0:0}'::cx.cycle_sketch;
SELECT 'v1 interval alpha=0.01 count=1 zeros=0 min_us=1 max_us=1 sum_us=1 neg={} pos={999999999:1}'::cx.cycle_sketch;
SELECT 'v1 interval alpha=0.01 count=1 zeros=0 min_us=1 max_us=1 sum_us=1 neg={} pos={40:1}'::cx.cycle_sketch;
SELECT 'v1 interval alpha=0.01 count=1 zeros=0 min_us=1 max_us=1 sum_us=9 neg={} pos={0:1}'::cx.cycle_sketch;
SELECT 'v1 interval alpha=0.01 count=1 zeros=0 min_us=1 max_us=1 sum_us=1 neg={} pos={0:1'::cx.cycle_sketch;
SELECT 'v1 interval alpha=0.01 count=1 zeros=0 min_us=1 max_us=1 sum_us=1 neg={} pos={0:1} trailing'::cx.cycle_sketch;
SELECT 'v1 interval alpha=0.01 count=99999999999999999999 zeros=0 min_us=1 max_us=1 sum_us=1 neg={} pos={0:1}'::cx.cycle_sketch;
SELECT 'v1 number alpha=0.01 count=1 zeros=0 min=NaN max=1 sum=1 sum_err=0 neg={} pos={0:1}'::cx.number_sketch;
SELECT 'v1 number alpha=0.01 count=1 zeros=0 min=1 max=1 sum=Infinity sum_err=0 neg={} pos={0:1}'::cx.number_sketch;
SELECT 'v1 interval alpha=0.01 count=1 zeros=0 min_us=1 max_us=1 sum_us=1 neg={} pos={0:1}'::cx.cycle_sketch AS minimal_ok;

-- text COPY with a bad row fails as a whole
CREATE TEMP TABLE sk_copy (s cx.cycle_sketch);
COPY sk_copy FROM STDIN;
v1 interval alpha=0.01 count=1 zeros=0 min_us=1 max_us=1 sum_us=1 neg={} pos={0:1}
v1 interval alpha=0.01 count=1 zeros=0 min_us=1 max_us=1 sum_us=1 neg={} pos={0:2}
\.
SELECT count(*) AS rows_after_bad_copy FROM sk_copy;

-- the transition and combine functions are not callable on their own
SELECT cx._cycle_sketch_add(NULL, interval '1 day');
SELECT cx._cycle_sketch_combine(NULL, NULL);
