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
RETURNS double precision AS 'MODULE_PATHNAME', 'cx_pct_cont_final'
LANGUAGE C CALLED ON NULL INPUT PARALLEL SAFE;

CREATE FUNCTION cx._pct_float8_disc_final(internal)
RETURNS double precision AS 'MODULE_PATHNAME', 'cx_pct_disc_final'
LANGUAGE C CALLED ON NULL INPUT PARALLEL SAFE;

CREATE FUNCTION cx._pct_interval_cont_final(internal)
RETURNS interval AS 'MODULE_PATHNAME', 'cx_pct_cont_final'
LANGUAGE C CALLED ON NULL INPUT PARALLEL SAFE;

CREATE FUNCTION cx._pct_interval_disc_final(internal)
RETURNS interval AS 'MODULE_PATHNAME', 'cx_pct_disc_final'
LANGUAGE C CALLED ON NULL INPUT PARALLEL SAFE;

CREATE FUNCTION cx._pct_float8_cont_multi_final(internal)
RETURNS double precision[] AS 'MODULE_PATHNAME', 'cx_pct_cont_multi_final'
LANGUAGE C CALLED ON NULL INPUT PARALLEL SAFE;

CREATE FUNCTION cx._pct_float8_disc_multi_final(internal)
RETURNS double precision[] AS 'MODULE_PATHNAME', 'cx_pct_disc_multi_final'
LANGUAGE C CALLED ON NULL INPUT PARALLEL SAFE;

CREATE FUNCTION cx._pct_interval_cont_multi_final(internal)
RETURNS interval[] AS 'MODULE_PATHNAME', 'cx_pct_cont_multi_final'
LANGUAGE C CALLED ON NULL INPUT PARALLEL SAFE;

CREATE FUNCTION cx._pct_interval_disc_multi_final(internal)
RETURNS interval[] AS 'MODULE_PATHNAME', 'cx_pct_disc_multi_final'
LANGUAGE C CALLED ON NULL INPUT PARALLEL SAFE;

-- SSPACE: what a group holds in memory once the states' pool (work_mem) is
-- full: at most 256 kB before it spills, then a chunk of up to 256 kB
CREATE AGGREGATE cx.percentile(double precision, double precision) (
	SFUNC = cx._pct_float8_trans, STYPE = internal, SSPACE = 131072,
	FINALFUNC = cx._pct_float8_cont_final,
	COMBINEFUNC = cx._pct_combine,
	SERIALFUNC = cx._pct_serialize, DESERIALFUNC = cx._pct_deserialize,
	PARALLEL = SAFE);

CREATE AGGREGATE cx.percentile(double precision, double precision[]) (
	SFUNC = cx._pct_float8_trans, STYPE = internal, SSPACE = 131072,
	FINALFUNC = cx._pct_float8_cont_multi_final,
	COMBINEFUNC = cx._pct_combine,
	SERIALFUNC = cx._pct_serialize, DESERIALFUNC = cx._pct_deserialize,
	PARALLEL = SAFE);

CREATE AGGREGATE cx.percentile(interval, double precision) (
	SFUNC = cx._pct_interval_trans, STYPE = internal, SSPACE = 131072,
	FINALFUNC = cx._pct_interval_cont_final,
	COMBINEFUNC = cx._pct_combine,
	SERIALFUNC = cx._pct_serialize, DESERIALFUNC = cx._pct_deserialize,
	PARALLEL = SAFE);

CREATE AGGREGATE cx.percentile(interval, double precision[]) (
	SFUNC = cx._pct_interval_trans, STYPE = internal, SSPACE = 131072,
	FINALFUNC = cx._pct_interval_cont_multi_final,
	COMBINEFUNC = cx._pct_combine,
	SERIALFUNC = cx._pct_serialize, DESERIALFUNC = cx._pct_deserialize,
	PARALLEL = SAFE);

CREATE AGGREGATE cx.percentile_disc(double precision, double precision) (
	SFUNC = cx._pct_float8_trans, STYPE = internal, SSPACE = 131072,
	FINALFUNC = cx._pct_float8_disc_final,
	COMBINEFUNC = cx._pct_combine,
	SERIALFUNC = cx._pct_serialize, DESERIALFUNC = cx._pct_deserialize,
	PARALLEL = SAFE);

CREATE AGGREGATE cx.percentile_disc(double precision, double precision[]) (
	SFUNC = cx._pct_float8_trans, STYPE = internal, SSPACE = 131072,
	FINALFUNC = cx._pct_float8_disc_multi_final,
	COMBINEFUNC = cx._pct_combine,
	SERIALFUNC = cx._pct_serialize, DESERIALFUNC = cx._pct_deserialize,
	PARALLEL = SAFE);

CREATE AGGREGATE cx.percentile_disc(interval, double precision) (
	SFUNC = cx._pct_interval_trans, STYPE = internal, SSPACE = 131072,
	FINALFUNC = cx._pct_interval_disc_final,
	COMBINEFUNC = cx._pct_combine,
	SERIALFUNC = cx._pct_serialize, DESERIALFUNC = cx._pct_deserialize,
	PARALLEL = SAFE);

CREATE AGGREGATE cx.percentile_disc(interval, double precision[]) (
	SFUNC = cx._pct_interval_trans, STYPE = internal, SSPACE = 131072,
	FINALFUNC = cx._pct_interval_disc_multi_final,
	COMBINEFUNC = cx._pct_combine,
	SERIALFUNC = cx._pct_serialize, DESERIALFUNC = cx._pct_deserialize,
	PARALLEL = SAFE);

-- share_within: fraction of items with x <= limit.  State {items, within},
-- checked on every call.  The transition is STRICT: rows with a NULL value or
-- limit are skipped (the state starts at '{0,0}', never NULL).
CREATE FUNCTION cx._share_within_trans(bigint[], double precision, double precision)
RETURNS bigint[] AS 'MODULE_PATHNAME', 'cx_share_within_float8'
LANGUAGE C STRICT PARALLEL SAFE;

CREATE FUNCTION cx._share_within_trans(bigint[], interval, interval)
RETURNS bigint[] AS 'MODULE_PATHNAME', 'cx_share_within_interval'
LANGUAGE C STRICT PARALLEL SAFE;

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
