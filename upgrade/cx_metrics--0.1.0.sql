-- cx_metrics 0.1.0: the install script of release 0.1.0, kept as released (the base of every upgrade path); do not edit
\echo Use "CREATE EXTENSION cx_metrics" to load this file. \quit

-- ---- src/common.sql
-- Shared declarations.  The schema cx comes from the control file; every
-- role may use what lives in it (functions are PUBLIC by default, tables
-- carry their own grants).
GRANT USAGE ON SCHEMA cx TO PUBLIC;

-- ---- src/percentile.sql
-- Exact percentiles: cx.percentile, cx.percentile_disc, cx.share_within.
-- Ordinary aggregates (not ordered-set): they run in parallel plans and with
-- GROUP BY ROLLUP, and give the same answers as percentile_cont / _disc.

CREATE FUNCTION cx._pct_float8_trans(internal, double precision, double precision)
RETURNS internal AS 'MODULE_PATHNAME', 'cx_pct_float8_trans'
LANGUAGE C CALLED ON NULL INPUT PARALLEL SAFE;

CREATE FUNCTION cx._pct_float8_trans(internal, double precision, double precision[])
RETURNS internal AS 'MODULE_PATHNAME', 'cx_pct_float8_trans_multi'
LANGUAGE C CALLED ON NULL INPUT PARALLEL SAFE;

CREATE FUNCTION cx._pct_interval_trans(internal, interval, double precision)
RETURNS internal AS 'MODULE_PATHNAME', 'cx_pct_interval_trans'
LANGUAGE C CALLED ON NULL INPUT PARALLEL SAFE;

CREATE FUNCTION cx._pct_interval_trans(internal, interval, double precision[])
RETURNS internal AS 'MODULE_PATHNAME', 'cx_pct_interval_trans_multi'
LANGUAGE C CALLED ON NULL INPUT PARALLEL SAFE;

CREATE FUNCTION cx._pct_combine(internal, internal)
RETURNS internal AS 'MODULE_PATHNAME', 'cx_pct_combine'
LANGUAGE C CALLED ON NULL INPUT PARALLEL SAFE;

CREATE FUNCTION cx._pct_serialize(internal)
RETURNS bytea AS 'MODULE_PATHNAME', 'cx_pct_serialize'
LANGUAGE C STRICT PARALLEL SAFE;

CREATE FUNCTION cx._pct_deserialize(bytea, internal)
RETURNS internal AS 'MODULE_PATHNAME', 'cx_pct_deserialize'
LANGUAGE C STRICT PARALLEL SAFE;

CREATE FUNCTION cx._pct_float8_cont_final(internal)
RETURNS double precision AS 'MODULE_PATHNAME', 'cx_pct_float8_cont_final'
LANGUAGE C CALLED ON NULL INPUT PARALLEL SAFE;

CREATE FUNCTION cx._pct_float8_disc_final(internal)
RETURNS double precision AS 'MODULE_PATHNAME', 'cx_pct_float8_disc_final'
LANGUAGE C CALLED ON NULL INPUT PARALLEL SAFE;

CREATE FUNCTION cx._pct_interval_cont_final(internal)
RETURNS interval AS 'MODULE_PATHNAME', 'cx_pct_interval_cont_final'
LANGUAGE C CALLED ON NULL INPUT PARALLEL SAFE;

CREATE FUNCTION cx._pct_interval_disc_final(internal)
RETURNS interval AS 'MODULE_PATHNAME', 'cx_pct_interval_disc_final'
LANGUAGE C CALLED ON NULL INPUT PARALLEL SAFE;

CREATE FUNCTION cx._pct_float8_cont_multi_final(internal)
RETURNS double precision[] AS 'MODULE_PATHNAME', 'cx_pct_float8_cont_multi_final'
LANGUAGE C CALLED ON NULL INPUT PARALLEL SAFE;

CREATE FUNCTION cx._pct_float8_disc_multi_final(internal)
RETURNS double precision[] AS 'MODULE_PATHNAME', 'cx_pct_float8_disc_multi_final'
LANGUAGE C CALLED ON NULL INPUT PARALLEL SAFE;

CREATE FUNCTION cx._pct_interval_cont_multi_final(internal)
RETURNS interval[] AS 'MODULE_PATHNAME', 'cx_pct_interval_cont_multi_final'
LANGUAGE C CALLED ON NULL INPUT PARALLEL SAFE;

CREATE FUNCTION cx._pct_interval_disc_multi_final(internal)
RETURNS interval[] AS 'MODULE_PATHNAME', 'cx_pct_interval_disc_multi_final'
LANGUAGE C CALLED ON NULL INPUT PARALLEL SAFE;

CREATE AGGREGATE cx.percentile(double precision, double precision) (
	SFUNC = cx._pct_float8_trans, STYPE = internal, SSPACE = 8000000,
	FINALFUNC = cx._pct_float8_cont_final,
	COMBINEFUNC = cx._pct_combine,
	SERIALFUNC = cx._pct_serialize, DESERIALFUNC = cx._pct_deserialize,
	PARALLEL = SAFE);

CREATE AGGREGATE cx.percentile(double precision, double precision[]) (
	SFUNC = cx._pct_float8_trans, STYPE = internal, SSPACE = 8000000,
	FINALFUNC = cx._pct_float8_cont_multi_final,
	COMBINEFUNC = cx._pct_combine,
	SERIALFUNC = cx._pct_serialize, DESERIALFUNC = cx._pct_deserialize,
	PARALLEL = SAFE);

CREATE AGGREGATE cx.percentile(interval, double precision) (
	SFUNC = cx._pct_interval_trans, STYPE = internal, SSPACE = 16000000,
	FINALFUNC = cx._pct_interval_cont_final,
	COMBINEFUNC = cx._pct_combine,
	SERIALFUNC = cx._pct_serialize, DESERIALFUNC = cx._pct_deserialize,
	PARALLEL = SAFE);

CREATE AGGREGATE cx.percentile(interval, double precision[]) (
	SFUNC = cx._pct_interval_trans, STYPE = internal, SSPACE = 16000000,
	FINALFUNC = cx._pct_interval_cont_multi_final,
	COMBINEFUNC = cx._pct_combine,
	SERIALFUNC = cx._pct_serialize, DESERIALFUNC = cx._pct_deserialize,
	PARALLEL = SAFE);

CREATE AGGREGATE cx.percentile_disc(double precision, double precision) (
	SFUNC = cx._pct_float8_trans, STYPE = internal, SSPACE = 8000000,
	FINALFUNC = cx._pct_float8_disc_final,
	COMBINEFUNC = cx._pct_combine,
	SERIALFUNC = cx._pct_serialize, DESERIALFUNC = cx._pct_deserialize,
	PARALLEL = SAFE);

CREATE AGGREGATE cx.percentile_disc(double precision, double precision[]) (
	SFUNC = cx._pct_float8_trans, STYPE = internal, SSPACE = 8000000,
	FINALFUNC = cx._pct_float8_disc_multi_final,
	COMBINEFUNC = cx._pct_combine,
	SERIALFUNC = cx._pct_serialize, DESERIALFUNC = cx._pct_deserialize,
	PARALLEL = SAFE);

CREATE AGGREGATE cx.percentile_disc(interval, double precision) (
	SFUNC = cx._pct_interval_trans, STYPE = internal, SSPACE = 16000000,
	FINALFUNC = cx._pct_interval_disc_final,
	COMBINEFUNC = cx._pct_combine,
	SERIALFUNC = cx._pct_serialize, DESERIALFUNC = cx._pct_deserialize,
	PARALLEL = SAFE);

CREATE AGGREGATE cx.percentile_disc(interval, double precision[]) (
	SFUNC = cx._pct_interval_trans, STYPE = internal, SSPACE = 16000000,
	FINALFUNC = cx._pct_interval_disc_multi_final,
	COMBINEFUNC = cx._pct_combine,
	SERIALFUNC = cx._pct_serialize, DESERIALFUNC = cx._pct_deserialize,
	PARALLEL = SAFE);

-- share_within: fraction of items with x <= limit.  State {items, within}.
CREATE FUNCTION cx._share_within_trans(bigint[], double precision, double precision)
RETURNS bigint[] AS 'MODULE_PATHNAME', 'cx_share_within_float8'
LANGUAGE C CALLED ON NULL INPUT PARALLEL SAFE;

CREATE FUNCTION cx._share_within_trans(bigint[], interval, interval)
RETURNS bigint[] AS 'MODULE_PATHNAME', 'cx_share_within_interval'
LANGUAGE C CALLED ON NULL INPUT PARALLEL SAFE;

CREATE FUNCTION cx._share_within_combine(bigint[], bigint[])
RETURNS bigint[] AS 'MODULE_PATHNAME', 'cx_share_within_combine'
LANGUAGE C STRICT PARALLEL SAFE;

CREATE FUNCTION cx._share_within_final(bigint[])
RETURNS double precision AS 'MODULE_PATHNAME', 'cx_share_within_final'
LANGUAGE C STRICT PARALLEL SAFE;

CREATE AGGREGATE cx.share_within(double precision, double precision) (
	SFUNC = cx._share_within_trans, STYPE = bigint[], INITCOND = '{0,0}',
	FINALFUNC = cx._share_within_final, COMBINEFUNC = cx._share_within_combine,
	PARALLEL = SAFE);

CREATE AGGREGATE cx.share_within(interval, interval) (
	SFUNC = cx._share_within_trans, STYPE = bigint[], INITCOND = '{0,0}',
	FINALFUNC = cx._share_within_final, COMBINEFUNC = cx._share_within_combine,
	PARALLEL = SAFE);

-- ---- src/sketch.sql
-- Cycle-time sketches: cx.cycle_sketch (built from intervals, answers in
-- intervals) and cx.number_sketch (built from double precision, answers in
-- double precision).  Mergeable, with a relative-error guarantee on every
-- quantile (DDSketch-style log buckets).  The aggregates' state is the
-- sketch type itself, so Citus can push partial aggregation to workers.

CREATE TYPE cx.cycle_sketch;
CREATE TYPE cx.number_sketch;

CREATE FUNCTION cx._cycle_sketch_in(cstring) RETURNS cx.cycle_sketch
AS 'MODULE_PATHNAME', 'cx_sketch_in_interval' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cx._cycle_sketch_out(cx.cycle_sketch) RETURNS cstring
AS 'MODULE_PATHNAME', 'cx_sketch_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cx._cycle_sketch_recv(internal) RETURNS cx.cycle_sketch
AS 'MODULE_PATHNAME', 'cx_sketch_recv_interval' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cx._cycle_sketch_send(cx.cycle_sketch) RETURNS bytea
AS 'MODULE_PATHNAME', 'cx_sketch_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE cx.cycle_sketch (
	INPUT = cx._cycle_sketch_in, OUTPUT = cx._cycle_sketch_out,
	RECEIVE = cx._cycle_sketch_recv, SEND = cx._cycle_sketch_send,
	INTERNALLENGTH = VARIABLE, ALIGNMENT = double, STORAGE = extended);
COMMENT ON TYPE cx.cycle_sketch IS 'mergeable summary of durations (intervals) with a relative-error guarantee on every percentile';

CREATE FUNCTION cx._number_sketch_in(cstring) RETURNS cx.number_sketch
AS 'MODULE_PATHNAME', 'cx_sketch_in_number' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cx._number_sketch_out(cx.number_sketch) RETURNS cstring
AS 'MODULE_PATHNAME', 'cx_sketch_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cx._number_sketch_recv(internal) RETURNS cx.number_sketch
AS 'MODULE_PATHNAME', 'cx_sketch_recv_number' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cx._number_sketch_send(cx.number_sketch) RETURNS bytea
AS 'MODULE_PATHNAME', 'cx_sketch_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE cx.number_sketch (
	INPUT = cx._number_sketch_in, OUTPUT = cx._number_sketch_out,
	RECEIVE = cx._number_sketch_recv, SEND = cx._number_sketch_send,
	INTERNALLENGTH = VARIABLE, ALIGNMENT = double, STORAGE = extended);
COMMENT ON TYPE cx.number_sketch IS 'mergeable summary of numbers (e.g. durations in seconds) with a relative-error guarantee on every percentile';

-- Aggregate support (transition, combine/rollup, final).
CREATE FUNCTION cx._cycle_sketch_add(cx.cycle_sketch, interval) RETURNS cx.cycle_sketch
AS 'MODULE_PATHNAME', 'cx_sketch_add_interval' LANGUAGE C CALLED ON NULL INPUT PARALLEL SAFE;
CREATE FUNCTION cx._cycle_sketch_add(cx.cycle_sketch, interval, double precision) RETURNS cx.cycle_sketch
AS 'MODULE_PATHNAME', 'cx_sketch_add_interval' LANGUAGE C CALLED ON NULL INPUT PARALLEL SAFE;
CREATE FUNCTION cx._cycle_sketch_combine(cx.cycle_sketch, cx.cycle_sketch) RETURNS cx.cycle_sketch
AS 'MODULE_PATHNAME', 'cx_sketch_combine' LANGUAGE C CALLED ON NULL INPUT PARALLEL SAFE;
CREATE FUNCTION cx._cycle_sketch_final(cx.cycle_sketch) RETURNS cx.cycle_sketch
AS 'MODULE_PATHNAME', 'cx_sketch_final' LANGUAGE C STRICT PARALLEL SAFE;

CREATE FUNCTION cx._number_sketch_add(cx.number_sketch, double precision) RETURNS cx.number_sketch
AS 'MODULE_PATHNAME', 'cx_sketch_add_number' LANGUAGE C CALLED ON NULL INPUT PARALLEL SAFE;
CREATE FUNCTION cx._number_sketch_add(cx.number_sketch, double precision, double precision) RETURNS cx.number_sketch
AS 'MODULE_PATHNAME', 'cx_sketch_add_number' LANGUAGE C CALLED ON NULL INPUT PARALLEL SAFE;
CREATE FUNCTION cx._number_sketch_combine(cx.number_sketch, cx.number_sketch) RETURNS cx.number_sketch
AS 'MODULE_PATHNAME', 'cx_sketch_combine' LANGUAGE C CALLED ON NULL INPUT PARALLEL SAFE;
CREATE FUNCTION cx._number_sketch_final(cx.number_sketch) RETURNS cx.number_sketch
AS 'MODULE_PATHNAME', 'cx_sketch_final' LANGUAGE C STRICT PARALLEL SAFE;

CREATE AGGREGATE cx.cycle_sketch(interval) (
	SFUNC = cx._cycle_sketch_add, STYPE = cx.cycle_sketch,
	FINALFUNC = cx._cycle_sketch_final, COMBINEFUNC = cx._cycle_sketch_combine,
	PARALLEL = SAFE);
CREATE AGGREGATE cx.cycle_sketch(interval, double precision) (
	SFUNC = cx._cycle_sketch_add, STYPE = cx.cycle_sketch,
	FINALFUNC = cx._cycle_sketch_final, COMBINEFUNC = cx._cycle_sketch_combine,
	PARALLEL = SAFE);
CREATE AGGREGATE cx.rollup(cx.cycle_sketch) (
	SFUNC = cx._cycle_sketch_combine, STYPE = cx.cycle_sketch,
	FINALFUNC = cx._cycle_sketch_final, COMBINEFUNC = cx._cycle_sketch_combine,
	PARALLEL = SAFE);

CREATE AGGREGATE cx.number_sketch(double precision) (
	SFUNC = cx._number_sketch_add, STYPE = cx.number_sketch,
	FINALFUNC = cx._number_sketch_final, COMBINEFUNC = cx._number_sketch_combine,
	PARALLEL = SAFE);
CREATE AGGREGATE cx.number_sketch(double precision, double precision) (
	SFUNC = cx._number_sketch_add, STYPE = cx.number_sketch,
	FINALFUNC = cx._number_sketch_final, COMBINEFUNC = cx._number_sketch_combine,
	PARALLEL = SAFE);
CREATE AGGREGATE cx.rollup(cx.number_sketch) (
	SFUNC = cx._number_sketch_combine, STYPE = cx.number_sketch,
	FINALFUNC = cx._number_sketch_final, COMBINEFUNC = cx._number_sketch_combine,
	PARALLEL = SAFE);

-- Accessors of cx.cycle_sketch (intervals in, intervals out; numbers with an explicit unit).
CREATE FUNCTION cx.percentile(cx.cycle_sketch, double precision) RETURNS interval
AS 'MODULE_PATHNAME', 'cx_sketch_percentile' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cx.percentile(cx.cycle_sketch, double precision[]) RETURNS interval[]
AS 'MODULE_PATHNAME', 'cx_sketch_percentiles' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cx.percentile(cx.cycle_sketch, double precision, unit text) RETURNS double precision
AS 'MODULE_PATHNAME', 'cx_sketch_percentile_unit' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cx.percentile(cx.cycle_sketch, double precision[], unit text) RETURNS double precision[]
AS 'MODULE_PATHNAME', 'cx_sketch_percentiles_unit' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cx.share_within(cx.cycle_sketch, interval) RETURNS double precision
AS 'MODULE_PATHNAME', 'cx_sketch_share_within' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cx.rank(cx.cycle_sketch, interval) RETURNS bigint
AS 'MODULE_PATHNAME', 'cx_sketch_rank' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cx.count(cx.cycle_sketch) RETURNS bigint
AS 'MODULE_PATHNAME', 'cx_sketch_count' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cx.mean(cx.cycle_sketch) RETURNS interval
AS 'MODULE_PATHNAME', 'cx_sketch_mean' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cx.min(cx.cycle_sketch) RETURNS interval
AS 'MODULE_PATHNAME', 'cx_sketch_min' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cx.max(cx.cycle_sketch) RETURNS interval
AS 'MODULE_PATHNAME', 'cx_sketch_max' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cx.mean(cx.cycle_sketch, unit text) RETURNS double precision
AS 'MODULE_PATHNAME', 'cx_sketch_mean_unit' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cx.min(cx.cycle_sketch, unit text) RETURNS double precision
AS 'MODULE_PATHNAME', 'cx_sketch_min_unit' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cx.max(cx.cycle_sketch, unit text) RETURNS double precision
AS 'MODULE_PATHNAME', 'cx_sketch_max_unit' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cx.histogram(cx.cycle_sketch, OUT lower interval, OUT upper interval, OUT count bigint)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'cx_sketch_histogram' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 200;
CREATE FUNCTION cx.histogram(cx.cycle_sketch, unit text, OUT lower double precision, OUT upper double precision, OUT count bigint)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'cx_sketch_histogram_unit' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 200;
CREATE FUNCTION cx.relative_accuracy(cx.cycle_sketch) RETURNS double precision
AS 'MODULE_PATHNAME', 'cx_sketch_relative_accuracy' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- Accessors of cx.number_sketch (numbers in, numbers out).
CREATE FUNCTION cx.percentile(cx.number_sketch, double precision) RETURNS double precision
AS 'MODULE_PATHNAME', 'cx_sketch_percentile' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cx.percentile(cx.number_sketch, double precision[]) RETURNS double precision[]
AS 'MODULE_PATHNAME', 'cx_sketch_percentiles' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cx.share_within(cx.number_sketch, double precision) RETURNS double precision
AS 'MODULE_PATHNAME', 'cx_sketch_share_within' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cx.rank(cx.number_sketch, double precision) RETURNS bigint
AS 'MODULE_PATHNAME', 'cx_sketch_rank' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cx.count(cx.number_sketch) RETURNS bigint
AS 'MODULE_PATHNAME', 'cx_sketch_count' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cx.mean(cx.number_sketch) RETURNS double precision
AS 'MODULE_PATHNAME', 'cx_sketch_mean' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cx.min(cx.number_sketch) RETURNS double precision
AS 'MODULE_PATHNAME', 'cx_sketch_min' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cx.max(cx.number_sketch) RETURNS double precision
AS 'MODULE_PATHNAME', 'cx_sketch_max' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cx.histogram(cx.number_sketch, OUT lower double precision, OUT upper double precision, OUT count bigint)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'cx_sketch_histogram' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 200;
CREATE FUNCTION cx.relative_accuracy(cx.number_sketch) RETURNS double precision
AS 'MODULE_PATHNAME', 'cx_sketch_relative_accuracy' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- ---- src/ratings.sql
-- Satisfaction: the cx.ratings tally type, its aggregates, accessors,
-- intervals and two-period comparisons (src/ratings.c).

CREATE TYPE cx.ratings;

CREATE FUNCTION cx.ratings_in(cstring) RETURNS cx.ratings
	AS 'MODULE_PATHNAME', 'cxr_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cx.ratings_out(cx.ratings) RETURNS cstring
	AS 'MODULE_PATHNAME', 'cxr_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cx.ratings_recv(internal) RETURNS cx.ratings
	AS 'MODULE_PATHNAME', 'cxr_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cx.ratings_send(cx.ratings) RETURNS bytea
	AS 'MODULE_PATHNAME', 'cxr_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE cx.ratings (
	INPUT = cx.ratings_in,
	OUTPUT = cx.ratings_out,
	RECEIVE = cx.ratings_recv,
	SEND = cx.ratings_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = extended
);
COMMENT ON TYPE cx.ratings IS 'exact tally of survey answers per point of a declared integer scale';

CREATE FUNCTION cx.make_ratings(low integer, high integer, counts bigint[], skipped bigint DEFAULT 0)
	RETURNS cx.ratings
	AS 'MODULE_PATHNAME', 'cxr_make' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- transition and combine functions (the state is cx.ratings, updated in place)
CREATE FUNCTION cx.ratings_accum(cx.ratings, integer, integer, integer) RETURNS cx.ratings
	AS 'MODULE_PATHNAME', 'cxr_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION cx.ratings_accum_1_5(cx.ratings, integer) RETURNS cx.ratings
	AS 'MODULE_PATHNAME', 'cxr_accum_1_5' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION cx.ratings_accum_0_10(cx.ratings, integer) RETURNS cx.ratings
	AS 'MODULE_PATHNAME', 'cxr_accum_0_10' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION cx.ratings_merge(cx.ratings, cx.ratings) RETURNS cx.ratings
	AS 'MODULE_PATHNAME', 'cxr_merge' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- accessors
CREATE FUNCTION cx.count(cx.ratings) RETURNS bigint
	AS 'MODULE_PATHNAME', 'cxr_count' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cx.skipped(cx.ratings) RETURNS bigint
	AS 'MODULE_PATHNAME', 'cxr_skipped' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cx.scale_low(cx.ratings) RETURNS integer
	AS 'MODULE_PATHNAME', 'cxr_scale_low' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cx.scale_high(cx.ratings) RETURNS integer
	AS 'MODULE_PATHNAME', 'cxr_scale_high' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cx.counts(cx.ratings) RETURNS bigint[]
	AS 'MODULE_PATHNAME', 'cxr_counts' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cx.mean(cx.ratings) RETURNS double precision
	AS 'MODULE_PATHNAME', 'cxr_mean_fn' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cx.stddev(cx.ratings) RETURNS double precision
	AS 'MODULE_PATHNAME', 'cxr_stddev_fn' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cx.csat(cx.ratings) RETURNS double precision
	AS 'MODULE_PATHNAME', 'cxr_csat' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cx.top_box(cx.ratings, k integer) RETURNS double precision
	AS 'MODULE_PATHNAME', 'cxr_top_box' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cx.bottom_box(cx.ratings, k integer) RETURNS double precision
	AS 'MODULE_PATHNAME', 'cxr_bottom_box' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cx.nps(cx.ratings) RETURNS double precision
	AS 'MODULE_PATHNAME', 'cxr_nps_fn' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cx.index100(cx.ratings) RETURNS double precision
	AS 'MODULE_PATHNAME', 'cxr_index100' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION cx.distribution(r cx.ratings)
	RETURNS TABLE (point integer, count bigint, percent double precision)
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp
	AS $$
	SELECT cx.scale_low(r) + (u.o - 1)::integer,
		   u.c,
		   CASE WHEN t.n > 0 THEN 100.0::float8 * u.c / t.n END
	FROM pg_catalog.unnest(cx.counts(r)) WITH ORDINALITY AS u(c, o),
		 (SELECT cx.count(r) AS n) AS t
	ORDER BY u.o
$$;

-- uncertainty (percent for shares, NPS points for NPS, scale units for the mean)
CREATE FUNCTION cx.csat_ci(r cx.ratings, confidence double precision DEFAULT 0.95,
						   OUT low double precision, OUT high double precision)
	AS 'MODULE_PATHNAME', 'cxr_csat_ci' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cx.top_box_ci(r cx.ratings, k integer, confidence double precision DEFAULT 0.95,
							  OUT low double precision, OUT high double precision)
	AS 'MODULE_PATHNAME', 'cxr_top_box_ci' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cx.bottom_box_ci(r cx.ratings, k integer, confidence double precision DEFAULT 0.95,
								 OUT low double precision, OUT high double precision)
	AS 'MODULE_PATHNAME', 'cxr_bottom_box_ci' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cx.nps_moe(r cx.ratings, confidence double precision DEFAULT 0.95)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'cxr_nps_moe' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cx.nps_ci(r cx.ratings, confidence double precision DEFAULT 0.95,
						  OUT low double precision, OUT high double precision)
	AS 'MODULE_PATHNAME', 'cxr_nps_ci' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cx.mean_ci(r cx.ratings, confidence double precision DEFAULT 0.95,
						   OUT low double precision, OUT high double precision)
	AS 'MODULE_PATHNAME', 'cxr_mean_ci' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- two-period comparisons: b (later) minus a (earlier)
CREATE FUNCTION cx.compare_csat(a cx.ratings, b cx.ratings,
								OUT difference double precision, OUT z double precision,
								OUT p_value double precision)
	AS 'MODULE_PATHNAME', 'cxr_compare_csat' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cx.compare_top_box(a cx.ratings, b cx.ratings, k integer,
								   OUT difference double precision, OUT z double precision,
								   OUT p_value double precision)
	AS 'MODULE_PATHNAME', 'cxr_compare_top_box' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cx.compare_nps(a cx.ratings, b cx.ratings,
							   OUT difference double precision, OUT std_error double precision,
							   OUT z double precision, OUT p_value double precision)
	AS 'MODULE_PATHNAME', 'cxr_compare_nps' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cx.compare_mean(a cx.ratings, b cx.ratings,
								OUT difference double precision, OUT t double precision,
								OUT df double precision, OUT p_value double precision)
	AS 'MODULE_PATHNAME', 'cxr_compare_mean' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- aggregates
CREATE AGGREGATE cx.ratings(answer integer, low integer, high integer) (
	SFUNC = cx.ratings_accum,
	STYPE = cx.ratings,
	COMBINEFUNC = cx.ratings_merge,
	PARALLEL = SAFE
);
CREATE AGGREGATE cx.rollup(cx.ratings) (
	SFUNC = cx.ratings_merge,
	STYPE = cx.ratings,
	COMBINEFUNC = cx.ratings_merge,
	PARALLEL = SAFE
);

-- one-step shorthands
CREATE AGGREGATE cx.csat(answer integer) (
	SFUNC = cx.ratings_accum_1_5,
	STYPE = cx.ratings,
	FINALFUNC = cx.csat,
	COMBINEFUNC = cx.ratings_merge,
	PARALLEL = SAFE
);
CREATE AGGREGATE cx.csat(answer integer, low integer, high integer) (
	SFUNC = cx.ratings_accum,
	STYPE = cx.ratings,
	FINALFUNC = cx.csat,
	COMBINEFUNC = cx.ratings_merge,
	PARALLEL = SAFE
);
CREATE AGGREGATE cx.nps(answer integer) (
	SFUNC = cx.ratings_accum_0_10,
	STYPE = cx.ratings,
	FINALFUNC = cx.nps,
	COMBINEFUNC = cx.ratings_merge,
	PARALLEL = SAFE
);
CREATE AGGREGATE cx.mean_score(answer integer, low integer, high integer) (
	SFUNC = cx.ratings_accum,
	STYPE = cx.ratings,
	FINALFUNC = cx.mean,
	COMBINEFUNC = cx.ratings_merge,
	PARALLEL = SAFE
);

-- ---- src/standard.sql
-- Service standards: "90% within 30 business days".

CREATE TYPE cx.standard;

CREATE FUNCTION cx.standard_in(cstring) RETURNS cx.standard
	AS 'MODULE_PATHNAME', 'cx_standard_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cx.standard_out(cx.standard) RETURNS cstring
	AS 'MODULE_PATHNAME', 'cx_standard_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cx.standard_recv(internal) RETURNS cx.standard
	AS 'MODULE_PATHNAME', 'cx_standard_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cx.standard_send(cx.standard) RETURNS bytea
	AS 'MODULE_PATHNAME', 'cx_standard_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE cx.standard (
	INTERNALLENGTH = 12,
	INPUT = cx.standard_in,
	OUTPUT = cx.standard_out,
	RECEIVE = cx.standard_recv,
	SEND = cx.standard_send,
	ALIGNMENT = int4,
	STORAGE = plain
);
COMMENT ON TYPE cx.standard IS 'service standard such as ''90% within 30 business days''';

-- comparison: equal when target, amount and unit are all equal; ordered by
-- allowance length (elapsed units first, then business days), then target
CREATE FUNCTION cx.standard_eq(cx.standard, cx.standard) RETURNS boolean
	AS 'MODULE_PATHNAME', 'cx_standard_eq' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION cx.standard_ne(cx.standard, cx.standard) RETURNS boolean
	AS 'MODULE_PATHNAME', 'cx_standard_ne' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION cx.standard_lt(cx.standard, cx.standard) RETURNS boolean
	AS 'MODULE_PATHNAME', 'cx_standard_lt' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION cx.standard_le(cx.standard, cx.standard) RETURNS boolean
	AS 'MODULE_PATHNAME', 'cx_standard_le' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION cx.standard_gt(cx.standard, cx.standard) RETURNS boolean
	AS 'MODULE_PATHNAME', 'cx_standard_gt' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION cx.standard_ge(cx.standard, cx.standard) RETURNS boolean
	AS 'MODULE_PATHNAME', 'cx_standard_ge' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION cx.standard_cmp(cx.standard, cx.standard) RETURNS integer
	AS 'MODULE_PATHNAME', 'cx_standard_cmp' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION cx.standard_hash(cx.standard) RETURNS integer
	AS 'MODULE_PATHNAME', 'cx_standard_hash' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

CREATE OPERATOR cx.= (
	LEFTARG = cx.standard, RIGHTARG = cx.standard, PROCEDURE = cx.standard_eq,
	COMMUTATOR = OPERATOR(cx.=), NEGATOR = OPERATOR(cx.<>),
	RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES
);
CREATE OPERATOR cx.<> (
	LEFTARG = cx.standard, RIGHTARG = cx.standard, PROCEDURE = cx.standard_ne,
	COMMUTATOR = OPERATOR(cx.<>), NEGATOR = OPERATOR(cx.=),
	RESTRICT = neqsel, JOIN = neqjoinsel
);
CREATE OPERATOR cx.< (
	LEFTARG = cx.standard, RIGHTARG = cx.standard, PROCEDURE = cx.standard_lt,
	COMMUTATOR = OPERATOR(cx.>), NEGATOR = OPERATOR(cx.>=),
	RESTRICT = scalarltsel, JOIN = scalarltjoinsel
);
CREATE OPERATOR cx.<= (
	LEFTARG = cx.standard, RIGHTARG = cx.standard, PROCEDURE = cx.standard_le,
	COMMUTATOR = OPERATOR(cx.>=), NEGATOR = OPERATOR(cx.>),
	RESTRICT = scalarlesel, JOIN = scalarlejoinsel
);
CREATE OPERATOR cx.> (
	LEFTARG = cx.standard, RIGHTARG = cx.standard, PROCEDURE = cx.standard_gt,
	COMMUTATOR = OPERATOR(cx.<), NEGATOR = OPERATOR(cx.<=),
	RESTRICT = scalargtsel, JOIN = scalargtjoinsel
);
CREATE OPERATOR cx.>= (
	LEFTARG = cx.standard, RIGHTARG = cx.standard, PROCEDURE = cx.standard_ge,
	COMMUTATOR = OPERATOR(cx.<=), NEGATOR = OPERATOR(cx.<),
	RESTRICT = scalargesel, JOIN = scalargejoinsel
);

CREATE OPERATOR CLASS cx.standard_ops DEFAULT FOR TYPE cx.standard USING btree AS
	OPERATOR 1 cx.<, OPERATOR 2 cx.<=, OPERATOR 3 cx.=, OPERATOR 4 cx.>=, OPERATOR 5 cx.>,
	FUNCTION 1 cx.standard_cmp(cx.standard, cx.standard);
CREATE OPERATOR CLASS cx.standard_hash_ops DEFAULT FOR TYPE cx.standard USING hash AS
	OPERATOR 1 cx.=,
	FUNCTION 1 cx.standard_hash(cx.standard);

-- accessors (standard types only, for BI tools)
CREATE FUNCTION cx.target(cx.standard) RETURNS double precision
	AS 'MODULE_PATHNAME', 'cx_standard_target' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cx.target(cx.standard) IS 'target share of a standard as a fraction in (0, 1]';
CREATE FUNCTION cx.allowance(cx.standard) RETURNS interval
	AS 'MODULE_PATHNAME', 'cx_standard_allowance' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cx.allowance(cx.standard) IS 'allowance of an elapsed-time standard; NULL for business days';
CREATE FUNCTION cx.business_allowance(cx.standard) RETURNS integer
	AS 'MODULE_PATHNAME', 'cx_standard_business_allowance' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cx.business_allowance(cx.standard) IS 'allowance of a business-day standard in business days; NULL for elapsed units';
CREATE FUNCTION cx.allowance_unit(cx.standard) RETURNS text
	AS 'MODULE_PATHNAME', 'cx_standard_unit' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cx.allowance_unit(cx.standard) IS 'unit of the allowance: seconds, minutes, hours, days, weeks or business days';
CREATE FUNCTION cx.allowance_amount(cx.standard) RETURNS integer
	AS 'MODULE_PATHNAME', 'cx_standard_amount' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cx.allowance_amount(cx.standard) IS 'number of units in the allowance';

-- ---- src/calendar.sql
-- Business calendars: weekend days, time zone, US federal holidays
-- (5 U.S.C. 6103) and the user's own closures.

CREATE TABLE cx.calendars (
	name text PRIMARY KEY CHECK (name <> ''),
	time_zone text NOT NULL DEFAULT 'America/New_York',
	weekend integer[] NOT NULL DEFAULT '{6,7}'
		CONSTRAINT weekend_iso_days_not_all CHECK (weekend <@ '{1,2,3,4,5,6,7}' AND NOT weekend @> '{1,2,3,4,5,6,7}'),
	federal_holidays boolean NOT NULL DEFAULT false,
	cutoff time CONSTRAINT cutoff_after_midnight CHECK (cutoff > time '00:00'),
	description text
);
COMMENT ON TABLE cx.calendars IS 'business calendars: weekend days (ISO 1 = Monday .. 7 = Sunday), time zone, US federal holidays or not, receipt cut-off time';

CREATE TABLE cx.holidays (
	calendar text NOT NULL REFERENCES cx.calendars ON UPDATE CASCADE ON DELETE CASCADE,
	day date NOT NULL CHECK (pg_catalog.isfinite(day)),
	name text NOT NULL DEFAULT 'closure',
	PRIMARY KEY (calendar, day)
);
COMMENT ON TABLE cx.holidays IS 'closures of a calendar besides its weekend days and (if enabled) the US federal holidays';

INSERT INTO cx.calendars (name, time_zone, weekend, federal_holidays, cutoff, description)
VALUES ('us_federal', 'America/New_York', '{6,7}', true, NULL,
		'US federal government: Monday to Friday, legal public holidays of 5 U.S.C. 6103 as observed, Eastern time');

-- pg_dump keeps the user's calendars and every closure; the built-in row is
-- created by CREATE EXTENSION itself
SELECT pg_catalog.pg_extension_config_dump('cx.calendars', 'WHERE name <> ''us_federal''');
SELECT pg_catalog.pg_extension_config_dump('cx.holidays', '');

GRANT SELECT ON cx.calendars, cx.holidays TO PUBLIC;
GRANT INSERT, UPDATE, DELETE ON cx.calendars, cx.holidays TO @extowner@;

CREATE FUNCTION cx.calendars_check() RETURNS trigger
	AS 'MODULE_PATHNAME', 'cx_calendars_check' LANGUAGE C;
CREATE TRIGGER calendars_check BEFORE INSERT OR UPDATE OR DELETE ON cx.calendars
	FOR EACH ROW EXECUTE FUNCTION cx.calendars_check();
CREATE TRIGGER calendars_no_truncate BEFORE TRUNCATE ON cx.calendars
	FOR EACH STATEMENT EXECUTE FUNCTION cx.calendars_check();

-- every change to either table drops the calendar cache of every backend
CREATE FUNCTION cx.calendar_invalidate() RETURNS trigger
	AS 'MODULE_PATHNAME', 'cx_calendar_invalidate' LANGUAGE C;
CREATE TRIGGER calendars_invalidate AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON cx.calendars
	FOR EACH STATEMENT EXECUTE FUNCTION cx.calendar_invalidate();
CREATE TRIGGER holidays_invalidate AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON cx.holidays
	FOR EACH STATEMENT EXECUTE FUNCTION cx.calendar_invalidate();

CREATE FUNCTION cx.us_federal_holidays(year integer, OUT day date, OUT name text, OUT actual date)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME', 'cx_us_federal_holidays' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 11;
COMMENT ON FUNCTION cx.us_federal_holidays(integer) IS 'legal public holidays of 5 U.S.C. 6103 whose legal date is in the year: observed day, name, legal date';

CREATE FUNCTION cx.business_days(start timestamptz, finish timestamptz, calendar text DEFAULT 'us_federal')
	RETURNS integer
	AS 'MODULE_PATHNAME', 'cx_business_days' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cx.business_days(timestamptz, timestamptz, text) IS 'business days from receipt (day 0) to finish, in the calendar''s time zone';

CREATE FUNCTION cx.business_days(start date, finish date, calendar text DEFAULT 'us_federal')
	RETURNS integer
	AS 'MODULE_PATHNAME', 'cx_business_days_date' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cx.business_days(date, date, text) IS 'business days d with start <= d < finish (negative when finish < start)';

CREATE FUNCTION cx.add_business_days(ts timestamptz, n integer, calendar text DEFAULT 'us_federal')
	RETURNS timestamptz
	AS 'MODULE_PATHNAME', 'cx_add_business_days' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cx.add_business_days(timestamptz, integer, text) IS 'end (last microsecond, calendar time zone) of the n-th business day after receipt';

CREATE FUNCTION cx.add_business_days(day date, n integer, calendar text DEFAULT 'us_federal')
	RETURNS date
	AS 'MODULE_PATHNAME', 'cx_add_business_days_date' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cx.add_business_days(date, integer, text) IS 'the n-th business day after the first business day on or after day';

CREATE FUNCTION cx.is_business_day(day date, calendar text DEFAULT 'us_federal')
	RETURNS boolean
	AS 'MODULE_PATHNAME', 'cx_is_business_day' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cx.is_business_day(date, text) IS 'is the day neither a weekend day nor a closure of the calendar?';

CREATE FUNCTION cx.due_at(started timestamptz, std cx.standard, calendar text DEFAULT 'us_federal')
	RETURNS timestamptz
	AS 'MODULE_PATHNAME', 'cx_due_at' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cx.due_at(timestamptz, cx.standard, text) IS 'due time under a standard: start + allowance, or end of the n-th business day';

-- Attainment: the share of items that met a standard's allowance, and
-- whether that share reaches the target.  State {items, within, target ppm,
-- amount, unit, calendar hash}; the standard must be the same on every row.
CREATE FUNCTION cx._attain_trans(bigint[], interval, cx.standard) RETURNS bigint[]
	AS 'MODULE_PATHNAME', 'cx_attain_interval_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION cx._attain_trans(bigint[], timestamptz, timestamptz, cx.standard) RETURNS bigint[]
	AS 'MODULE_PATHNAME', 'cx_attain_span_trans' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION cx._attain_trans(bigint[], timestamptz, timestamptz, cx.standard, text) RETURNS bigint[]
	AS 'MODULE_PATHNAME', 'cx_attain_span_trans' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION cx._attain_combine(bigint[], bigint[]) RETURNS bigint[]
	AS 'MODULE_PATHNAME', 'cx_attain_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cx._attain_final(bigint[]) RETURNS double precision
	AS 'MODULE_PATHNAME', 'cx_attain_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cx._meets_final(bigint[]) RETURNS boolean
	AS 'MODULE_PATHNAME', 'cx_meets_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE AGGREGATE cx.attainment(duration interval, std cx.standard) (
	SFUNC = cx._attain_trans, STYPE = bigint[], INITCOND = '{0,0,0,0,0,0}',
	FINALFUNC = cx._attain_final, COMBINEFUNC = cx._attain_combine, PARALLEL = SAFE);
CREATE AGGREGATE cx.meets(duration interval, std cx.standard) (
	SFUNC = cx._attain_trans, STYPE = bigint[], INITCOND = '{0,0,0,0,0,0}',
	FINALFUNC = cx._meets_final, COMBINEFUNC = cx._attain_combine, PARALLEL = SAFE);
CREATE AGGREGATE cx.attainment(started timestamptz, finished timestamptz, std cx.standard) (
	SFUNC = cx._attain_trans, STYPE = bigint[], INITCOND = '{0,0,0,0,0,0}',
	FINALFUNC = cx._attain_final, COMBINEFUNC = cx._attain_combine, PARALLEL = SAFE);
CREATE AGGREGATE cx.meets(started timestamptz, finished timestamptz, std cx.standard) (
	SFUNC = cx._attain_trans, STYPE = bigint[], INITCOND = '{0,0,0,0,0,0}',
	FINALFUNC = cx._meets_final, COMBINEFUNC = cx._attain_combine, PARALLEL = SAFE);
CREATE AGGREGATE cx.attainment(started timestamptz, finished timestamptz, std cx.standard, calendar text) (
	SFUNC = cx._attain_trans, STYPE = bigint[], INITCOND = '{0,0,0,0,0,0}',
	FINALFUNC = cx._attain_final, COMBINEFUNC = cx._attain_combine, PARALLEL = SAFE);
CREATE AGGREGATE cx.meets(started timestamptz, finished timestamptz, std cx.standard, calendar text) (
	SFUNC = cx._attain_trans, STYPE = bigint[], INITCOND = '{0,0,0,0,0,0}',
	FINALFUNC = cx._meets_final, COMBINEFUNC = cx._attain_combine, PARALLEL = SAFE);

-- Judging a cycle-time sketch (cx.cycle_sketch) against an elapsed-time
-- standard: its estimated share within the allowance (see cx.share_within
-- for the guarantee), and whether that share reaches the target.
CREATE FUNCTION cx._sketch_allowance(cx.standard) RETURNS interval
	AS 'MODULE_PATHNAME', 'cx_standard_sketch_allowance' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cx.attainment(sketch cx.cycle_sketch, std cx.standard) RETURNS double precision
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
	RETURN cx.share_within(sketch, cx._sketch_allowance(std));
COMMENT ON FUNCTION cx.attainment(cx.cycle_sketch, cx.standard) IS 'estimated share of a sketch''s durations within the standard''s allowance';
CREATE FUNCTION cx.meets(sketch cx.cycle_sketch, std cx.standard) RETURNS boolean
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
	RETURN cx.share_within(sketch, cx._sketch_allowance(std)) OPERATOR(pg_catalog.>=) cx.target(std);
COMMENT ON FUNCTION cx.meets(cx.cycle_sketch, cx.standard) IS 'does a sketch''s estimated share within the allowance reach the target?';

-- The closures of a calendar between two dates (inclusive) that fall on its
-- working days: federal holidays as observed (if the calendar has them) and
-- the rows of cx.holidays.  Bound at creation time (no search_path lookups).
CREATE FUNCTION cx.calendar_closures(calendar text, from_day date, to_day date)
	RETURNS TABLE (day date, name text)
	LANGUAGE sql STABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
	SELECT d.day, pg_catalog.string_agg(d.name, '; ' ORDER BY d.src, d.name)
	FROM cx.calendars c,
		 LATERAL (SELECT h.day, h.name, 1 AS src
				  FROM pg_catalog.generate_series(pg_catalog.date_part('year', $2)::integer,
												  pg_catalog.date_part('year', $3)::integer + 1) AS y,
					   cx.us_federal_holidays(y) AS h
				  WHERE c.federal_holidays
				  UNION ALL
				  SELECT u.day, u.name, 2 AS src FROM cx.holidays u WHERE u.calendar OPERATOR(pg_catalog.=) c.name) AS d
	WHERE c.name OPERATOR(pg_catalog.=) $1
	  AND d.day OPERATOR(pg_catalog.>=) $2 AND d.day OPERATOR(pg_catalog.<=) $3
	  AND NOT (pg_catalog.date_part('isodow', d.day)::integer OPERATOR(pg_catalog.=) ANY (c.weekend))
	GROUP BY d.day
	ORDER BY d.day;
END;
COMMENT ON FUNCTION cx.calendar_closures(text, date, date) IS 'closed working days of a calendar between two dates: federal holidays and user closures';

-- ---- src/track.sql
-- Tracking tables against a service standard: registry, breach log, row
-- triggers (C), cx.track / cx.untrack, cx.sweep, low-score follow-up.

-- Registry of tables tracked against a standard (one row per table).
CREATE TABLE cx.tracked (
	tbl pg_catalog.regclass PRIMARY KEY,
	standard cx.standard NOT NULL,
	started name NOT NULL,
	finished name NOT NULL,
	status name NOT NULL,
	due name NOT NULL,
	key name NOT NULL,
	calendar text NOT NULL,
	at_risk float8 NOT NULL CHECK (at_risk > 0 AND at_risk <= 1),
	due_added boolean NOT NULL DEFAULT false,
	sweep_index name NOT NULL,
	-- the defaults cx.track gave the status and due columns (NULL: the
	-- column had its own), removed by cx.untrack while unchanged
	status_default text,
	due_default text,
	tracked_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
	-- cx.sweep's mark: every flip instant before it has been swept (NULL:
	-- none yet, so the next sweep looks at every open row)
	swept_to timestamptz
);
COMMENT ON TABLE cx.tracked IS 'Tables tracked against a service standard (maintained by cx.track / cx.untrack)';

-- Registry of rating columns whose low answers are logged for follow-up.
CREATE TABLE cx.tracked_scores (
	tbl pg_catalog.regclass PRIMARY KEY,
	answer name NOT NULL,
	threshold float8 NOT NULL,
	scale_min float8 NOT NULL,
	scale_max float8 NOT NULL,
	key name NOT NULL,
	at name,
	tracked_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
	CHECK (scale_min < scale_max AND threshold >= scale_min AND threshold <= scale_max)
);
COMMENT ON TABLE cx.tracked_scores IS 'Rating columns whose low answers are logged (maintained by cx.track_scores / cx.untrack_scores)';

-- Every event someone must act on: transitions into at_risk, breached,
-- missed, and low scores.
CREATE TABLE cx.breach_log (
	id bigserial PRIMARY KEY,
	tbl text NOT NULL,
	key text,
	standard cx.standard,
	started timestamptz,
	due timestamptz,
	finished timestamptz,
	old_status text,
	new_status text NOT NULL,
	score float8,
	logged_at timestamptz NOT NULL
);
-- ids are handed out 100 at a time per session: ordered within a session,
-- not across sessions (use logged_at for time)
ALTER SEQUENCE cx.breach_log_id_seq CACHE 100;
COMMENT ON TABLE cx.breach_log IS 'Transitions into at_risk, breached, missed, and low scores of tracked tables';

SELECT pg_catalog.pg_extension_config_dump('cx.tracked', '');
SELECT pg_catalog.pg_extension_config_dump('cx.tracked_scores', '');
SELECT pg_catalog.pg_extension_config_dump('cx.breach_log', '');
SELECT pg_catalog.pg_extension_config_dump('cx.breach_log_id_seq', '');

-- The registry is readable by all (the triggers of every writer need it);
-- rows can be written only for tables the current role owns.
GRANT SELECT, INSERT, UPDATE, DELETE ON cx.tracked, cx.tracked_scores TO PUBLIC;
ALTER TABLE cx.tracked ENABLE ROW LEVEL SECURITY;
ALTER TABLE cx.tracked_scores ENABLE ROW LEVEL SECURITY;
CREATE POLICY tracked_read ON cx.tracked FOR SELECT USING (true);
CREATE POLICY tracked_owner ON cx.tracked FOR ALL
	USING (pg_catalog.pg_has_role((SELECT c.relowner FROM pg_catalog.pg_class c WHERE c.oid = tbl), 'USAGE'))
	WITH CHECK (pg_catalog.pg_has_role((SELECT c.relowner FROM pg_catalog.pg_class c WHERE c.oid = tbl), 'USAGE'));
-- roles that may sweep a table (UPDATE on it) may move its sweep mark;
-- cx._tracked_guard keeps the other columns to the owner
CREATE POLICY tracked_sweep ON cx.tracked FOR UPDATE
	USING (pg_catalog.has_table_privilege(tbl, 'UPDATE'))
	WITH CHECK (pg_catalog.has_table_privilege(tbl, 'UPDATE'));
CREATE POLICY tracked_read ON cx.tracked_scores FOR SELECT USING (true);
CREATE POLICY tracked_owner ON cx.tracked_scores FOR ALL
	USING (pg_catalog.pg_has_role((SELECT c.relowner FROM pg_catalog.pg_class c WHERE c.oid = tbl), 'USAGE'))
	WITH CHECK (pg_catalog.pg_has_role((SELECT c.relowner FROM pg_catalog.pg_class c WHERE c.oid = tbl), 'USAGE'));

CREATE FUNCTION cx.track_trigger() RETURNS trigger
	LANGUAGE C AS 'MODULE_PATHNAME', 'cx_track_trigger';
CREATE FUNCTION cx.track_scores_trigger() RETURNS trigger
	LANGUAGE C AS 'MODULE_PATHNAME', 'cx_track_scores_trigger';
CREATE FUNCTION cx.track_flush() RETURNS trigger
	LANGUAGE C AS 'MODULE_PATHNAME', 'cx_track_flush';
CREATE FUNCTION cx.track_config_changed() RETURNS trigger
	LANGUAGE C AS 'MODULE_PATHNAME', 'cx_track_config_changed';

-- The at-risk instant of a row: that fraction of the way from started to due.
CREATE FUNCTION cx.at_risk_time(started timestamptz, due timestamptz, fraction float8)
	RETURNS timestamptz
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
	AS 'MODULE_PATHNAME', 'cx_track_at_risk_time';

-- Every backend reloads its cached configuration when the registry changes
-- (not when a sweep moves its mark).
CREATE TRIGGER tracked_changed
	AFTER INSERT OR UPDATE OF tbl, standard, started, finished, status, due, key, calendar, at_risk,
		due_added, sweep_index, tracked_at OR DELETE OR TRUNCATE ON cx.tracked
	FOR EACH STATEMENT EXECUTE FUNCTION cx.track_config_changed();
CREATE TRIGGER tracked_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON cx.tracked_scores
	FOR EACH STATEMENT EXECUTE FUNCTION cx.track_config_changed();

-- Only the owner of a tracked table changes how it is tracked; the sweep
-- mark is never in the future.
CREATE FUNCTION cx._tracked_guard() RETURNS trigger
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $$
BEGIN
	IF NEW.swept_to > statement_timestamp() THEN
		RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
			MESSAGE = format('swept_to of table %s must not be in the future', NEW.tbl),
			DETAIL = format('%s is after the statement time %s.', NEW.swept_to, statement_timestamp()),
			HINT = 'cx.sweep moves the mark; set it to NULL to make the next sweep look at every open row.';
	END IF;
	IF to_jsonb(NEW) - 'swept_to' IS DISTINCT FROM to_jsonb(OLD) - 'swept_to'
	   AND NOT pg_has_role((SELECT c.relowner FROM pg_class c WHERE c.oid = OLD.tbl), 'USAGE') THEN
		RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
			MESSAGE = format('must be owner of table %s to change how it is tracked', OLD.tbl),
			HINT = 'Roles that may update the table may only move its sweep mark (swept_to).';
	END IF;
	RETURN NEW;
END
$$;
CREATE TRIGGER tracked_guard BEFORE UPDATE ON cx.tracked
	FOR EACH ROW EXECUTE FUNCTION cx._tracked_guard();

-- The start of the oldest transaction of another backend of this database
-- ('infinity' when there is none), or NULL when unknown (see cx.sweep).
CREATE FUNCTION cx._sweep_horizon() RETURNS timestamptz
	LANGUAGE C VOLATILE
	AS 'MODULE_PATHNAME', 'cx_track_sweep_horizon';

-- The sweep index of a tracked table: a BRIN index (cheap to keep up on
-- insert, and not on the status column, so the sweep's flips are HOT) over
-- the due time and the at-risk instant, the two instants at which an open
-- row's status changes with time alone.
CREATE FUNCTION cx._track_sweep_index(started name, due name, at_risk float8)
	RETURNS text
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp
	AS $$
	SELECT format('USING brin (%1$I timestamptz_minmax_multi_ops, cx.at_risk_time(%2$I, %1$I, %3$s::float8) timestamptz_minmax_multi_ops)'
				  ' WITH (pages_per_range = 32, autosummarize = on)', due, started, at_risk::text)
$$;

-- The sweep window of a tracked table: open rows, not yet breached, whose
-- status changes with time at an instant in [$1, $2) (the due time, or the
-- at-risk instant of a row still on track).
CREATE FUNCTION cx._track_sweep_window(started name, finished name, status name, due name, at_risk float8)
	RETURNS text
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp
	AS $$
	SELECT format('(%4$I >= $1 AND %4$I < $2 OR cx.at_risk_time(%1$I, %4$I, %5$s::float8) >= $1'
				  ' AND cx.at_risk_time(%1$I, %4$I, %5$s::float8) < $2 AND %3$I = %6$L)'
				  ' AND %2$I IS NULL AND %3$I IN (%6$L, %7$L)',
				  started, finished, status, due, at_risk::text, 'on_track', 'at_risk')
$$;

-- The instant that puts a row into the sweep window (see above).
CREATE FUNCTION cx._track_sweep_instant(started name, status name, due name, at_risk float8)
	RETURNS text
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp
	AS $$
	SELECT format('CASE WHEN %2$I = %5$L AND cx.at_risk_time(%1$I, %3$I, %4$s::float8) >= $1'
				  ' THEN cx.at_risk_time(%1$I, %3$I, %4$s::float8) ELSE %3$I END',
				  started, status, due, at_risk::text, 'on_track')
$$;

-- The default expression of a column, NULL when it has none.
CREATE FUNCTION cx._track_default(tbl regclass, col name)
	RETURNS text
	LANGUAGE sql STABLE STRICT
	SET search_path = pg_catalog, pg_temp
	AS $$
	SELECT pg_get_expr(d.adbin, d.adrelid)
	FROM pg_attrdef d JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
	WHERE d.adrelid = tbl AND a.attname = col
$$;

-- Give a column a default unless it has one; returns the default set, or
-- NULL.  cx.track gives the status and due columns defaults so that a new
-- row arrives with room for both and the trigger writes them in place.
CREATE FUNCTION cx._track_set_default(tbl regclass, col name, val text)
	RETURNS text
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $$
BEGIN
	-- a generated column has a default expression too (identity columns are
	-- integers, never a status or due column)
	IF cx._track_default(tbl, col) IS NOT NULL THEN
		RETURN NULL;
	END IF;
	EXECUTE format('ALTER TABLE %s ALTER COLUMN %I SET DEFAULT %L', tbl, col, val);
	RETURN cx._track_default(tbl, col);
END
$$;

-- Drop a default that cx.track set, unless it was changed since.
CREATE FUNCTION cx._track_drop_default(tbl regclass, col name, expr text)
	RETURNS void
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $$
BEGIN
	IF expr IS NOT NULL AND cx._track_default(tbl, col) = expr THEN
		EXECUTE format('ALTER TABLE %s ALTER COLUMN %I DROP DEFAULT', tbl, col);
	END IF;
END
$$;

-- Attach the statement trigger that writes a table's buffered log entries
-- (shared by cx.track and cx.track_scores), unless it is there already.
CREATE FUNCTION cx._track_add_flush(tbl regclass)
	RETURNS void
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = tbl AND tgname = 'cx_track_flush') THEN
		EXECUTE format('CREATE TRIGGER cx_track_flush AFTER INSERT OR UPDATE ON %s FOR EACH STATEMENT EXECUTE FUNCTION cx.track_flush()', tbl);
	END IF;
END
$$;

-- Drop a table's statement trigger that writes the log once neither
-- cx.track nor cx.track_scores registers the table any more.
CREATE FUNCTION cx._track_drop_flush(tbl regclass)
	RETURNS void
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM cx.tracked t WHERE t.tbl = _track_drop_flush.tbl)
	   AND NOT EXISTS (SELECT 1 FROM cx.tracked_scores s WHERE s.tbl = _track_drop_flush.tbl) THEN
		EXECUTE format('DROP TRIGGER IF EXISTS cx_track_flush ON %s', tbl);
	END IF;
END
$$;

-- Check that a column exists and has one of the wanted types; return its type.
CREATE FUNCTION cx._track_column(tbl regclass, col name, what text, types regtype[])
	RETURNS regtype
	LANGUAGE plpgsql STABLE
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	t regtype;
BEGIN
	IF col IS NULL THEN
		RAISE EXCEPTION USING ERRCODE = 'null_value_not_allowed',
			MESSAGE = format('%s column must not be null', what),
			HINT = format('Name the %s column of table %s.', what, tbl);
	END IF;
	SELECT a.atttypid::regtype INTO t
	FROM pg_attribute a
	WHERE a.attrelid = tbl AND a.attname = col AND a.attnum > 0 AND NOT a.attisdropped;
	IF NOT FOUND THEN
		RAISE EXCEPTION USING ERRCODE = 'undefined_column',
			MESSAGE = format('column "%s" of table %s does not exist', col, tbl),
			DETAIL = format('The %s column must be a column of the tracked table.', what),
			HINT = 'Check the spelling, or add the column first.';
	END IF;
	IF types IS NOT NULL AND NOT (t = ANY (types)) THEN
		RAISE EXCEPTION USING ERRCODE = 'datatype_mismatch',
			MESSAGE = format('%s column "%s" has type %s', what, col, t),
			DETAIL = format('The %s column must have type %s.', what, array_to_string(types, ' or ')),
			HINT = format('Change it, for example with ALTER TABLE %s ALTER COLUMN %I TYPE %s.', tbl, col, types[1]);
	END IF;
	RETURN t;
END
$$;

-- The column a tracked table's rows are identified by: key, or the primary key.
CREATE FUNCTION cx._track_key(tbl regclass, key name)
	RETURNS name
	LANGUAGE plpgsql STABLE
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	cols name[];
BEGIN
	IF key IS NOT NULL THEN
		PERFORM cx._track_column(tbl, key, 'key', NULL);
		RETURN key;
	END IF;
	SELECT array_agg(a.attname ORDER BY a.attnum) INTO cols
	FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
	WHERE i.indrelid = tbl AND i.indisprimary;
	IF cols IS NULL OR cardinality(cols) <> 1 THEN
		RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
			MESSAGE = format('table %s has no single-column primary key', tbl),
			DETAIL = 'The breach log identifies each row by one key column.',
			HINT = 'Name a column that identifies rows with key => ''column''.';
	END IF;
	RETURN cols[1];
END
$$;

-- Check that a table can be tracked: an ordinary table the caller owns.
CREATE FUNCTION cx._track_table(tbl regclass)
	RETURNS void
	LANGUAGE plpgsql STABLE
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	c pg_class;
BEGIN
	IF tbl IS NULL THEN
		RAISE EXCEPTION USING ERRCODE = 'null_value_not_allowed',
			MESSAGE = 'table must not be null';
	END IF;
	SELECT * INTO c FROM pg_class WHERE oid = tbl;
	IF c.relkind <> 'r' OR c.relispartition THEN
		RAISE EXCEPTION USING ERRCODE = 'wrong_object_type',
			MESSAGE = format('%s is not an ordinary table', tbl),
			DETAIL = 'Only ordinary tables that are not partitions can be tracked.',
			HINT = 'Track a plain table; partitioned tables are not supported.';
	END IF;
	IF NOT pg_has_role(c.relowner, 'USAGE') THEN
		RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
			MESSAGE = format('must be owner of table %s', tbl),
			HINT = 'Ask the table owner to run it.';
	END IF;
END
$$;

-- The body of cx.track; caller_path is the caller's search_path, in force
-- while the backfill UPDATE fires the table's other triggers.
CREATE FUNCTION cx._track(tbl regclass, standard cx.standard,
						  started name, finished name, status name,
						  calendar text, at_risk float8, key name, due name,
						  backfill boolean, caller_path text)
	RETURNS void
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $$
#variable_conflict use_variable
DECLARE
	st regtype;
	k name;
	added boolean := false;
	idx name;
	missing text[];
	sql text;
BEGIN
	PERFORM cx._track_table(tbl);
	IF EXISTS (SELECT 1 FROM cx.tracked t WHERE t.tbl = _track.tbl) THEN
		RAISE EXCEPTION USING ERRCODE = 'duplicate_object',
			MESSAGE = format('table %s is already tracked', tbl),
			HINT = 'Run cx.untrack on it first to change how it is tracked.';
	END IF;
	IF standard IS NULL THEN
		RAISE EXCEPTION USING ERRCODE = 'null_value_not_allowed',
			MESSAGE = 'standard must not be null',
			HINT = 'Give a standard such as ''90% within 30 business days''.';
	END IF;
	IF at_risk IS NULL OR at_risk = 'NaN' OR at_risk <= 0 OR at_risk > 1 THEN
		RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
			MESSAGE = format('at_risk must be greater than 0 and at most 1, not %s', coalesce(at_risk::text, 'null')),
			DETAIL = 'It is the fraction of the allowance after which an open row is at risk.',
			HINT = 'Use for example 0.8; 1 means no at-risk stage.';
	END IF;
	IF calendar IS NULL THEN
		RAISE EXCEPTION USING ERRCODE = 'null_value_not_allowed',
			MESSAGE = 'calendar must not be null',
			HINT = 'Use for example ''us_federal''.';
	END IF;
	-- an unknown calendar fails here, before anything is changed
	PERFORM cx.due_at(now(), standard, calendar);

	PERFORM cx._track_column(tbl, started, 'started', ARRAY['timestamptz']::regtype[]);
	PERFORM cx._track_column(tbl, finished, 'finished', ARRAY['timestamptz']::regtype[]);
	st := cx._track_column(tbl, status, 'status', NULL);
	IF st NOT IN ('text'::regtype, 'varchar'::regtype) THEN
		IF NOT EXISTS (SELECT 1 FROM pg_type WHERE oid = st AND typtype = 'e') THEN
			RAISE EXCEPTION USING ERRCODE = 'datatype_mismatch',
				MESSAGE = format('status column "%s" has type %s', status, st),
				DETAIL = 'The status column must have type text, varchar, or an enum with the labels on_track, at_risk, breached, met, missed.',
				HINT = format('Change it, for example with ALTER TABLE %s ALTER COLUMN %I TYPE text.', tbl, status);
		END IF;
		SELECT array_agg(l) INTO missing
		FROM unnest(ARRAY['on_track', 'at_risk', 'breached', 'met', 'missed']) l
		WHERE NOT EXISTS (SELECT 1 FROM pg_enum e WHERE e.enumtypid = st AND e.enumlabel = l);
		IF missing IS NOT NULL THEN
			RAISE EXCEPTION USING ERRCODE = 'datatype_mismatch',
				MESSAGE = format('enum %s lacks the labels %s', st, array_to_string(missing, ', ')),
				DETAIL = 'The status enum must have the labels on_track, at_risk, breached, met, missed.',
				HINT = format('Add them with ALTER TYPE %s ADD VALUE.', st);
		END IF;
	END IF;
	IF st = 'varchar'::regtype AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = tbl AND a.attname = status
											 AND a.atttypmod >= 0 AND a.atttypmod - 4 < 8) THEN
		RAISE EXCEPTION USING ERRCODE = 'datatype_mismatch',
			MESSAGE = format('status column "%s" is too short', status),
			DETAIL = 'Statuses are up to 8 characters long (on_track, breached).',
			HINT = format('Widen it, for example with ALTER TABLE %s ALTER COLUMN %I TYPE varchar(16).', tbl, status);
	END IF;
	k := cx._track_key(tbl, key);
	IF due IS NULL THEN
		RAISE EXCEPTION USING ERRCODE = 'null_value_not_allowed',
			MESSAGE = 'due column must not be null',
			HINT = 'Leave it out to use a new column cx_due.';
	END IF;
	IF cardinality(ARRAY(SELECT DISTINCT x FROM unnest(ARRAY[started, finished, status, due]) x)) <> 4 THEN
		RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
			MESSAGE = 'started, finished, status and due must be four different columns',
			HINT = 'Name a separate column for each.';
	END IF;
	IF EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = tbl AND a.attname = due AND NOT a.attisdropped) THEN
		PERFORM cx._track_column(tbl, due, 'due', ARRAY['timestamptz']::regtype[]);
	ELSE
		EXECUTE format('ALTER TABLE %s ADD COLUMN %I timestamptz', tbl, due);
		added := true;
	END IF;

	idx := left(format('%s_%s_sweep', (SELECT relname FROM pg_class WHERE oid = tbl), due), 63);
	INSERT INTO cx.tracked (tbl, standard, started, finished, status, due, key, calendar, at_risk, due_added, sweep_index,
							status_default, due_default)
	VALUES (tbl, standard, started, finished, status, due, k, calendar, at_risk, added, idx,
			cx._track_set_default(tbl, status, 'on_track'), cx._track_set_default(tbl, due, 'infinity'));

	EXECUTE format('CREATE TRIGGER cx_track BEFORE INSERT OR UPDATE ON %s FOR EACH ROW EXECUTE FUNCTION cx.track_trigger()', tbl);
	PERFORM cx._track_add_flush(tbl);
	EXECUTE format('CREATE INDEX %I ON %s %s', idx, tbl, cx._track_sweep_index(started, due, at_risk));
	IF backfill THEN
		sql := format('UPDATE %s SET %I = %I', tbl, status, status);
		PERFORM set_config('search_path', caller_path, true);
		EXECUTE sql;
		PERFORM set_config('search_path', 'pg_catalog, pg_temp', true);
	END IF;
END
$$;

-- Track a table against a service standard (see the README).
CREATE FUNCTION cx.track(tbl regclass, standard cx.standard,
						 started name, finished name, status name,
						 calendar text DEFAULT 'us_federal',
						 at_risk float8 DEFAULT 0.8,
						 key name DEFAULT NULL,
						 due name DEFAULT 'cx_due',
						 backfill boolean DEFAULT true)
	RETURNS void
	LANGUAGE sql
	AS $$
	SELECT cx._track($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, pg_catalog.current_setting('search_path'))
$$;

-- Stop tracking a table: drop its trigger, sweep index, registry row, and
-- the due column when cx.track added it.
CREATE FUNCTION cx.untrack(tbl regclass)
	RETURNS void
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $$
#variable_conflict use_variable
DECLARE
	t cx.tracked;
BEGIN
	PERFORM cx._track_table(tbl);
	SELECT * INTO t FROM cx.tracked r WHERE r.tbl = untrack.tbl;
	IF NOT FOUND THEN
		RAISE EXCEPTION USING ERRCODE = 'undefined_object',
			MESSAGE = format('table %s is not tracked', tbl),
			HINT = 'See the tracked tables with SELECT * FROM cx.tracked.';
	END IF;
	EXECUTE format('DROP TRIGGER IF EXISTS cx_track ON %s', tbl);
	EXECUTE format('DROP INDEX IF EXISTS %I.%I',
				   (SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = tbl),
				   t.sweep_index);
	IF t.due_added THEN
		EXECUTE format('ALTER TABLE %s DROP COLUMN IF EXISTS %I', tbl, t.due);
	ELSE
		PERFORM cx._track_drop_default(tbl, t.due, t.due_default);
	END IF;
	PERFORM cx._track_drop_default(tbl, t.status, t.status_default);
	DELETE FROM cx.tracked r WHERE r.tbl = untrack.tbl;
	PERFORM cx._track_drop_flush(tbl);
END
$$;

-- Log answers of a rating column at or below a threshold for follow-up.
CREATE FUNCTION cx.track_scores(tbl regclass, answer name,
								threshold float8 DEFAULT 6,
								scale_min float8 DEFAULT 0,
								scale_max float8 DEFAULT 10,
								key name DEFAULT NULL,
								at name DEFAULT NULL)
	RETURNS void
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $$
#variable_conflict use_variable
DECLARE
	k name;
BEGIN
	PERFORM cx._track_table(tbl);
	IF EXISTS (SELECT 1 FROM cx.tracked_scores s WHERE s.tbl = track_scores.tbl) THEN
		RAISE EXCEPTION USING ERRCODE = 'duplicate_object',
			MESSAGE = format('scores of table %s are already tracked', tbl),
			HINT = 'Run cx.untrack_scores on it first.';
	END IF;
	PERFORM cx._track_column(tbl, answer, 'answer',
							 ARRAY['smallint', 'integer', 'bigint', 'real', 'double precision', 'numeric']::regtype[]);
	IF threshold IS NULL OR scale_min IS NULL OR scale_max IS NULL
	   OR 'NaN' IN (threshold, scale_min, scale_max)
	   OR NOT (scale_min < scale_max AND threshold >= scale_min AND threshold <= scale_max)
	   OR 'Infinity' IN (abs(threshold), abs(scale_min), abs(scale_max)) THEN
		RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
			MESSAGE = format('threshold %s is not within the scale %s to %s',
							 coalesce(threshold::text, 'null'), coalesce(scale_min::text, 'null'),
							 coalesce(scale_max::text, 'null')),
			DETAIL = 'The scale is the range of valid answers, finite with scale_min < scale_max, and the threshold lies within it.',
			HINT = 'For NPS detractors use threshold => 6, scale_min => 0, scale_max => 10.';
	END IF;
	k := cx._track_key(tbl, key);
	IF at IS NOT NULL THEN
		PERFORM cx._track_column(tbl, at, 'at', ARRAY['timestamptz']::regtype[]);
	END IF;
	INSERT INTO cx.tracked_scores (tbl, answer, threshold, scale_min, scale_max, key, at)
	VALUES (tbl, answer, threshold, scale_min, scale_max, k, at);
	EXECUTE format('CREATE TRIGGER cx_track_scores BEFORE INSERT OR UPDATE OF %I ON %s FOR EACH ROW EXECUTE FUNCTION cx.track_scores_trigger()', answer, tbl);
	PERFORM cx._track_add_flush(tbl);
END
$$;

-- Stop logging low scores of a table.
CREATE FUNCTION cx.untrack_scores(tbl regclass)
	RETURNS void
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $$
#variable_conflict use_variable
BEGIN
	PERFORM cx._track_table(tbl);
	IF NOT EXISTS (SELECT 1 FROM cx.tracked_scores s WHERE s.tbl = untrack_scores.tbl) THEN
		RAISE EXCEPTION USING ERRCODE = 'undefined_object',
			MESSAGE = format('scores of table %s are not tracked', tbl),
			HINT = 'See them with SELECT * FROM cx.tracked_scores.';
	END IF;
	EXECUTE format('DROP TRIGGER IF EXISTS cx_track_scores ON %s', tbl);
	DELETE FROM cx.tracked_scores s WHERE s.tbl = untrack_scores.tbl;
	PERFORM cx._track_drop_flush(tbl);
END
$$;

-- The body of cx.sweep; caller_path is the caller's search_path, in force
-- while the UPDATE fires the tables' other triggers.
--
-- Each table has a mark, cx.tracked.swept_to: every open row whose status
-- changes with time before it has been flipped.  A sweep flips the rows whose
-- instant lies in [mark, now) (or [since, now)), found through the BRIN sweep
-- index, and moves the mark to the earliest of: its own start; the start of
-- the oldest transaction of another backend of this database (a transaction
-- it cannot see judges its rows no earlier than its start); and, when it
-- skipped a row of the window (held by another transaction, or changed since
-- the window was read), the earliest instant of the window.  It keeps the
-- mark when that horizon is unknown (prepared transactions, track_activities
-- off, not READ COMMITTED).
CREATE FUNCTION cx._sweep(tbl regclass, since timestamptz, caller_path text)
	RETURNS TABLE (tracked regclass, flipped bigint)
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $$
#variable_conflict use_variable
DECLARE
	t cx.tracked;
	n bigint;
	lo timestamptz;
	now_at timestamptz := statement_timestamp();
	horizon timestamptz;
	first_at timestamptz;
	cands tid[];
	win text;
	saved text[];
BEGIN
	IF since > now_at OR since = 'infinity' THEN
		RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
			MESSAGE = 'since must not be in the future',
			DETAIL = format('since is %s, the statement time %s.', since, now_at),
			HINT = 'Use since => ''-infinity'' to look at every open row.';
	END IF;
	FOR t IN SELECT * FROM cx.tracked r WHERE _sweep.tbl IS NULL OR r.tbl = _sweep.tbl ORDER BY r.tbl::oid LOOP
		IF NOT (has_table_privilege(t.tbl, 'SELECT') AND has_table_privilege(t.tbl, 'UPDATE')) THEN
			RAISE NOTICE 'cx.sweep skips table %: no SELECT and UPDATE privilege', t.tbl;
			CONTINUE;
		END IF;
		-- one sweep of a table at a time: another one waits here, then
		-- starts from the mark this one leaves
		SELECT * INTO t FROM cx.tracked r WHERE r.tbl = t.tbl FOR UPDATE;
		CONTINUE WHEN NOT FOUND;
		lo := coalesce(since, t.swept_to, '-infinity');
		IF current_setting('transaction_isolation') = 'read committed'
		   AND NOT EXISTS (SELECT 1 FROM pg_prepared_xacts p WHERE p.database = current_database()) THEN
			horizon := cx._sweep_horizon();
		ELSE
			horizon := NULL;
		END IF;
		win := cx._track_sweep_window(t.started, t.finished, t.status, t.due, t.at_risk);
		-- the rows of the window, and the earliest instant among them,
		-- through the sweep index in one process, even before the table is
		-- analyzed (the window is small; the planner's guess may not be)
		saved := ARRAY[current_setting('enable_seqscan'), current_setting('max_parallel_workers_per_gather'),
					   current_setting('jit')];
		PERFORM set_config('enable_seqscan', 'off', true), set_config('max_parallel_workers_per_gather', '0', true),
				set_config('jit', 'off', true);
		EXECUTE format('SELECT array_agg(ctid), min(%s) FROM %s WHERE %s',
					   cx._track_sweep_instant(t.started, t.status, t.due, t.at_risk), t.tbl, win)
			USING lo, now_at INTO cands, first_at;
		PERFORM set_config('enable_seqscan', saved[1], true), set_config('max_parallel_workers_per_gather', saved[2], true),
				set_config('jit', saved[3], true);
		n := 0;
		IF cands IS NOT NULL THEN
			-- flip those no other transaction holds (rechecked under the lock)
			PERFORM set_config('search_path', caller_path, true);
			EXECUTE format('UPDATE %1$s SET %2$I = %2$I WHERE ctid = ANY (ARRAY('
						   'SELECT ctid FROM %1$s WHERE ctid = ANY ($3) AND %3$s FOR UPDATE SKIP LOCKED))',
						   t.tbl, t.status, win)
				USING lo, now_at, cands;
			GET DIAGNOSTICS n = ROW_COUNT;
			PERFORM set_config('search_path', 'pg_catalog, pg_temp', true);
		END IF;
		-- a window that started at the mark (or covered everything) moves
		-- it; when a row of the window was skipped, no further than the
		-- earliest instant of the window
		IF horizon IS NOT NULL AND (lo <= t.swept_to OR lo = '-infinity') THEN
			UPDATE cx.tracked r
			SET swept_to = least(now_at, horizon, CASE WHEN n < cardinality(cands) THEN first_at END)
			WHERE r.tbl = t.tbl;
		END IF;
		tracked := t.tbl;
		flipped := n;
		RETURN NEXT;
	END LOOP;
END
$$;

-- Flip open rows whose at-risk or due instant passed since the last sweep
-- (or since the given instant; '-infinity' looks at every open row);
-- returns the rows flipped per table.  Locked rows are skipped and left to
-- the next sweep.
CREATE FUNCTION cx.sweep(tbl regclass DEFAULT NULL, since timestamptz DEFAULT NULL)
	RETURNS TABLE (tracked regclass, flipped bigint)
	LANGUAGE sql
	AS $$
	SELECT * FROM cx._sweep($1, $2, pg_catalog.current_setting('search_path'))
$$;

-- Forget the registry rows of tracked tables that are dropped.
CREATE FUNCTION cx._track_dropped()
	RETURNS event_trigger
	LANGUAGE plpgsql SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	AS $$
BEGIN
	DELETE FROM cx.tracked t
	WHERE t.tbl::oid IN (SELECT objid FROM pg_event_trigger_dropped_objects() WHERE classid = 'pg_class'::regclass);
	DELETE FROM cx.tracked_scores t
	WHERE t.tbl::oid IN (SELECT objid FROM pg_event_trigger_dropped_objects() WHERE classid = 'pg_class'::regclass);
END
$$;
CREATE EVENT TRIGGER cx_track_dropped ON sql_drop
	WHEN TAG IN ('DROP TABLE', 'DROP SCHEMA', 'DROP OWNED')
	EXECUTE FUNCTION cx._track_dropped();
