-- Attainment: the share of items that met a service standard
-- (cx.attainment) and whether it reaches the standard's target (cx.meets),
-- over durations, over start and finish times on a business calendar, and
-- over a cycle-time sketch (src/attainment.c).

-- The aggregates' state is {items, within, target ppm, amount, unit,
-- calendar hash}; the standard must be the same on every row.  The state is
-- checked on every call; the transitions are STRICT (rows with a NULL
-- argument are skipped; the state starts at '{0,0,0,0,0,0}').
CREATE FUNCTION cx._attain_trans(bigint[], interval, cx.standard) RETURNS bigint[]
	AS 'MODULE_PATHNAME', 'cx_attain_interval_trans' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cx._attain_trans(bigint[], timestamptz, timestamptz, cx.standard) RETURNS bigint[]
	AS 'MODULE_PATHNAME', 'cx_attain_span_trans' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cx._attain_trans(bigint[], timestamptz, timestamptz, cx.standard, text) RETURNS bigint[]
	AS 'MODULE_PATHNAME', 'cx_attain_span_trans' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cx._attain_combine(bigint[], bigint[]) RETURNS bigint[]
	AS 'MODULE_PATHNAME', 'cx_attain_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cx._attain_final(bigint[]) RETURNS double precision
	AS 'MODULE_PATHNAME', 'cx_attain_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cx._attain_meets_final(bigint[]) RETURNS boolean
	AS 'MODULE_PATHNAME', 'cx_meets_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE AGGREGATE cx.attainment(duration interval, std cx.standard) (
	SFUNC = cx._attain_trans, STYPE = bigint[], INITCOND = '{0,0,0,0,0,0}',
	FINALFUNC = cx._attain_final, COMBINEFUNC = cx._attain_combine, PARALLEL = SAFE);
CREATE AGGREGATE cx.meets(duration interval, std cx.standard) (
	SFUNC = cx._attain_trans, STYPE = bigint[], INITCOND = '{0,0,0,0,0,0}',
	FINALFUNC = cx._attain_meets_final, COMBINEFUNC = cx._attain_combine, PARALLEL = SAFE);
CREATE AGGREGATE cx.attainment(started timestamptz, finished timestamptz, std cx.standard) (
	SFUNC = cx._attain_trans, STYPE = bigint[], INITCOND = '{0,0,0,0,0,0}',
	FINALFUNC = cx._attain_final, COMBINEFUNC = cx._attain_combine, PARALLEL = SAFE);
CREATE AGGREGATE cx.meets(started timestamptz, finished timestamptz, std cx.standard) (
	SFUNC = cx._attain_trans, STYPE = bigint[], INITCOND = '{0,0,0,0,0,0}',
	FINALFUNC = cx._attain_meets_final, COMBINEFUNC = cx._attain_combine, PARALLEL = SAFE);
CREATE AGGREGATE cx.attainment(started timestamptz, finished timestamptz, std cx.standard, calendar text) (
	SFUNC = cx._attain_trans, STYPE = bigint[], INITCOND = '{0,0,0,0,0,0}',
	FINALFUNC = cx._attain_final, COMBINEFUNC = cx._attain_combine, PARALLEL = SAFE);
CREATE AGGREGATE cx.meets(started timestamptz, finished timestamptz, std cx.standard, calendar text) (
	SFUNC = cx._attain_trans, STYPE = bigint[], INITCOND = '{0,0,0,0,0,0}',
	FINALFUNC = cx._attain_meets_final, COMBINEFUNC = cx._attain_combine, PARALLEL = SAFE);

-- Judging a cycle-time sketch (cx.cycle_sketch) against an elapsed-time
-- standard: its estimated share within the allowance (see cx.share_within
-- for the guarantee), and whether that share reaches the target.
CREATE FUNCTION cx._attain_sketch_allowance(cx.standard) RETURNS interval
	AS 'MODULE_PATHNAME', 'cx_standard_sketch_allowance' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cx.attainment(sketch cx.cycle_sketch, std cx.standard) RETURNS double precision
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
	RETURN cx.share_within(sketch, cx._attain_sketch_allowance(std));
COMMENT ON FUNCTION cx.attainment(cx.cycle_sketch, cx.standard) IS 'estimated share of a sketch''s durations within the standard''s allowance';
CREATE FUNCTION cx.meets(sketch cx.cycle_sketch, std cx.standard) RETURNS boolean
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
	RETURN cx.share_within(sketch, cx._attain_sketch_allowance(std)) OPERATOR(pg_catalog.>=) cx.target(std);
COMMENT ON FUNCTION cx.meets(cx.cycle_sketch, cx.standard) IS 'does a sketch''s estimated share within the allowance reach the target?';
