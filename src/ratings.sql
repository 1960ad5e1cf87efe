-- Satisfaction: the cx.ratings tally type, its aggregates, accessors,
-- intervals and two-period comparisons (src/ratings.c).

CREATE TYPE cx.ratings;

CREATE FUNCTION cx._ratings_in(cstring) RETURNS cx.ratings
	AS 'MODULE_PATHNAME', 'cxr_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cx._ratings_out(cx.ratings) RETURNS cstring
	AS 'MODULE_PATHNAME', 'cxr_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cx._ratings_recv(internal) RETURNS cx.ratings
	AS 'MODULE_PATHNAME', 'cxr_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cx._ratings_send(cx.ratings) RETURNS bytea
	AS 'MODULE_PATHNAME', 'cxr_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE cx.ratings (
	INPUT = cx._ratings_in,
	OUTPUT = cx._ratings_out,
	RECEIVE = cx._ratings_recv,
	SEND = cx._ratings_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = extended
);
COMMENT ON TYPE cx.ratings IS 'exact tally of survey answers per point of a declared integer scale';

CREATE FUNCTION cx.make_ratings(low integer, high integer, counts bigint[], skipped bigint DEFAULT 0)
	RETURNS cx.ratings
	AS 'MODULE_PATHNAME', 'cxr_make' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- transition functions, and the combine function, which users may also call
-- to merge two tallies (the state is cx.ratings, updated in place)
CREATE FUNCTION cx._ratings_accum(cx.ratings, integer, integer, integer) RETURNS cx.ratings
	AS 'MODULE_PATHNAME', 'cxr_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION cx._ratings_accum_1_5(cx.ratings, integer) RETURNS cx.ratings
	AS 'MODULE_PATHNAME', 'cxr_accum_1_5' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION cx._ratings_accum_0_10(cx.ratings, integer) RETURNS cx.ratings
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
	SFUNC = cx._ratings_accum,
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
	SFUNC = cx._ratings_accum_1_5,
	STYPE = cx.ratings,
	FINALFUNC = cx.csat,
	COMBINEFUNC = cx.ratings_merge,
	PARALLEL = SAFE
);
CREATE AGGREGATE cx.csat(answer integer, low integer, high integer) (
	SFUNC = cx._ratings_accum,
	STYPE = cx.ratings,
	FINALFUNC = cx.csat,
	COMBINEFUNC = cx.ratings_merge,
	PARALLEL = SAFE
);
CREATE AGGREGATE cx.nps(answer integer) (
	SFUNC = cx._ratings_accum_0_10,
	STYPE = cx.ratings,
	FINALFUNC = cx.nps,
	COMBINEFUNC = cx.ratings_merge,
	PARALLEL = SAFE
);
CREATE AGGREGATE cx.mean_score(answer integer, low integer, high integer) (
	SFUNC = cx._ratings_accum,
	STYPE = cx.ratings,
	FINALFUNC = cx.mean,
	COMBINEFUNC = cx.ratings_merge,
	PARALLEL = SAFE
);

-- The names release 0.1.0 documented for the type's I/O and transition
-- functions, kept working for callers and for user aggregates built on them
-- (the same C functions; the extension itself uses the cx._ names).
CREATE FUNCTION cx.ratings_in(cstring) RETURNS cx.ratings
	AS 'MODULE_PATHNAME', 'cxr_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cx.ratings_out(cx.ratings) RETURNS cstring
	AS 'MODULE_PATHNAME', 'cxr_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cx.ratings_recv(internal) RETURNS cx.ratings
	AS 'MODULE_PATHNAME', 'cxr_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cx.ratings_send(cx.ratings) RETURNS bytea
	AS 'MODULE_PATHNAME', 'cxr_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cx.ratings_accum(cx.ratings, integer, integer, integer) RETURNS cx.ratings
	AS 'MODULE_PATHNAME', 'cxr_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION cx.ratings_accum_1_5(cx.ratings, integer) RETURNS cx.ratings
	AS 'MODULE_PATHNAME', 'cxr_accum_1_5' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION cx.ratings_accum_0_10(cx.ratings, integer) RETURNS cx.ratings
	AS 'MODULE_PATHNAME', 'cxr_accum_0_10' LANGUAGE C IMMUTABLE PARALLEL SAFE;
