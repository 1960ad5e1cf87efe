-- cx_metrics 0.1.0 -> 0.2.0: ALTER EXTENSION cx_metrics UPDATE TO '0.2.0'
\echo Use "ALTER EXTENSION cx_metrics UPDATE TO '0.2.0'" to load this file. \quit

-- Each section holds the changes of one part of src/ (src/<part>.sql), in
-- the order of the install script.  After this script the objects of the
-- extension equal those of a fresh 0.2.0 install (test/t/upgrade.sh).

-- ---- src/common.sql

-- ---- src/percentile.sql

-- share_within transitions: STRICT (NULL rows skipped, a NULL state refused)
ALTER FUNCTION cx._share_within_trans(bigint[], double precision, double precision) STRICT;
ALTER FUNCTION cx._share_within_trans(bigint[], interval, interval) STRICT;

-- ---- src/sketch.sql

-- ---- src/ratings.sql

-- ---- src/standard.sql

-- ---- src/calendar.sql

-- attainment transitions: STRICT (NULL rows skipped, a NULL state refused)
ALTER FUNCTION cx._attain_trans(bigint[], interval, cx.standard) STRICT;
ALTER FUNCTION cx._attain_trans(bigint[], timestamptz, timestamptz, cx.standard) STRICT;
ALTER FUNCTION cx._attain_trans(bigint[], timestamptz, timestamptz, cx.standard, text) STRICT;

-- ---- src/track.sql

