-- cx_metrics 0.1.0 -> 0.2.0: ALTER EXTENSION cx_metrics UPDATE TO '0.2.0'
\echo Use "ALTER EXTENSION cx_metrics UPDATE TO '0.2.0'" to load this file. \quit

-- Each section holds the changes of one part of src/ (src/<part>.sql), in
-- the order of the install script.  After this script the objects of the
-- extension equal those of a fresh 0.2.0 install (test/t/upgrade.sh).

-- ---- src/common.sql

-- ---- src/percentile.sql

-- ---- src/sketch.sql

-- ---- src/ratings.sql

-- ---- src/standard.sql

-- ---- src/calendar.sql

-- ---- src/track.sql

