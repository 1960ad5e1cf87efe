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
