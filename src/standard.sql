-- Service standards: "90% within 30 business days".

CREATE TYPE cx.standard;

CREATE FUNCTION cx._standard_in(cstring) RETURNS cx.standard
	AS 'MODULE_PATHNAME', 'cx_standard_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cx._standard_out(cx.standard) RETURNS cstring
	AS 'MODULE_PATHNAME', 'cx_standard_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cx._standard_recv(internal) RETURNS cx.standard
	AS 'MODULE_PATHNAME', 'cx_standard_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cx._standard_send(cx.standard) RETURNS bytea
	AS 'MODULE_PATHNAME', 'cx_standard_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE cx.standard (
	INTERNALLENGTH = 12,
	INPUT = cx._standard_in,
	OUTPUT = cx._standard_out,
	RECEIVE = cx._standard_recv,
	SEND = cx._standard_send,
	ALIGNMENT = int4,
	STORAGE = plain
);
COMMENT ON TYPE cx.standard IS 'service standard such as ''90% within 30 business days''';

-- comparison: equal when target, amount and unit are all equal; ordered by
-- allowance length (elapsed units first, then business days), then target
CREATE FUNCTION cx._standard_eq(cx.standard, cx.standard) RETURNS boolean
	AS 'MODULE_PATHNAME', 'cx_standard_eq' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION cx._standard_ne(cx.standard, cx.standard) RETURNS boolean
	AS 'MODULE_PATHNAME', 'cx_standard_ne' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION cx._standard_lt(cx.standard, cx.standard) RETURNS boolean
	AS 'MODULE_PATHNAME', 'cx_standard_lt' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION cx._standard_le(cx.standard, cx.standard) RETURNS boolean
	AS 'MODULE_PATHNAME', 'cx_standard_le' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION cx._standard_gt(cx.standard, cx.standard) RETURNS boolean
	AS 'MODULE_PATHNAME', 'cx_standard_gt' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION cx._standard_ge(cx.standard, cx.standard) RETURNS boolean
	AS 'MODULE_PATHNAME', 'cx_standard_ge' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION cx._standard_cmp(cx.standard, cx.standard) RETURNS integer
	AS 'MODULE_PATHNAME', 'cx_standard_cmp' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION cx._standard_hash(cx.standard) RETURNS integer
	AS 'MODULE_PATHNAME', 'cx_standard_hash' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

CREATE OPERATOR cx.= (
	LEFTARG = cx.standard, RIGHTARG = cx.standard, PROCEDURE = cx._standard_eq,
	COMMUTATOR = OPERATOR(cx.=), NEGATOR = OPERATOR(cx.<>),
	RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES
);
CREATE OPERATOR cx.<> (
	LEFTARG = cx.standard, RIGHTARG = cx.standard, PROCEDURE = cx._standard_ne,
	COMMUTATOR = OPERATOR(cx.<>), NEGATOR = OPERATOR(cx.=),
	RESTRICT = neqsel, JOIN = neqjoinsel
);
CREATE OPERATOR cx.< (
	LEFTARG = cx.standard, RIGHTARG = cx.standard, PROCEDURE = cx._standard_lt,
	COMMUTATOR = OPERATOR(cx.>), NEGATOR = OPERATOR(cx.>=),
	RESTRICT = scalarltsel, JOIN = scalarltjoinsel
);
CREATE OPERATOR cx.<= (
	LEFTARG = cx.standard, RIGHTARG = cx.standard, PROCEDURE = cx._standard_le,
	COMMUTATOR = OPERATOR(cx.>=), NEGATOR = OPERATOR(cx.>),
	RESTRICT = scalarlesel, JOIN = scalarlejoinsel
);
CREATE OPERATOR cx.> (
	LEFTARG = cx.standard, RIGHTARG = cx.standard, PROCEDURE = cx._standard_gt,
	COMMUTATOR = OPERATOR(cx.<), NEGATOR = OPERATOR(cx.<=),
	RESTRICT = scalargtsel, JOIN = scalargtjoinsel
);
CREATE OPERATOR cx.>= (
	LEFTARG = cx.standard, RIGHTARG = cx.standard, PROCEDURE = cx._standard_ge,
	COMMUTATOR = OPERATOR(cx.<=), NEGATOR = OPERATOR(cx.<),
	RESTRICT = scalargesel, JOIN = scalargejoinsel
);

CREATE OPERATOR CLASS cx.standard_ops DEFAULT FOR TYPE cx.standard USING btree AS
	OPERATOR 1 cx.<, OPERATOR 2 cx.<=, OPERATOR 3 cx.=, OPERATOR 4 cx.>=, OPERATOR 5 cx.>,
	FUNCTION 1 cx._standard_cmp(cx.standard, cx.standard);
CREATE OPERATOR CLASS cx.standard_hash_ops DEFAULT FOR TYPE cx.standard USING hash AS
	OPERATOR 1 cx.=,
	FUNCTION 1 cx._standard_hash(cx.standard);

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
