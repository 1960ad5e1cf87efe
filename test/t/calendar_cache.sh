#!/usr/bin/env bash
# The calendar cache of one backend sees closures committed by another
# backend at its next call (relcache invalidation from the statement
# triggers).
set -u
. "$(dirname "$0")/../lib.sh"
db=cx_cal_cache
cleanup() { cx_psql -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1; }
trap cleanup EXIT
cleanup
cx_psql -d postgres -c "CREATE DATABASE $db" >/dev/null || { echo "FAIL calendar_cache: create database"; exit 1; }
cx_psql -d $db -c "CREATE EXTENSION cx_metrics" >/dev/null || { echo "FAIL calendar_cache: create extension"; exit 1; }
q="SELECT cx.business_days(date '2026-01-02', date '2026-01-07')"
# One backend (this psql session) runs the query between changes made by
# other backends (the \! psql commands).
out=$(cx_psql -d $db -At <<SQL
$q;
\! "$PG_BINDIR/psql" -X -q -d $db -c "INSERT INTO cx.holidays VALUES ('us_federal', '2026-01-05', 'snow day')"
$q;
\! "$PG_BINDIR/psql" -X -q -d $db -c "INSERT INTO cx.calendars (name, weekend) VALUES ('six_day', '{7}')"
SELECT cx.business_days(date '2026-01-02', date '2026-01-07', 'six_day');
\! "$PG_BINDIR/psql" -X -q -d $db -c "UPDATE cx.calendars SET weekend = '{6,7}' WHERE name = 'six_day'"
SELECT cx.business_days(date '2026-01-02', date '2026-01-07', 'six_day');
\! "$PG_BINDIR/psql" -X -q -d $db -c "DELETE FROM cx.holidays"
$q;
SQL
)
got=$(echo "$out" | tr '\n' ' ')
if [ "$got" = "3 2 4 3 3 " ]; then
	echo "PASS calendar_cache: another backend's changes seen at the next call"
else
	echo "FAIL calendar_cache: got '$got', want '3 2 4 3 3 '"
fi
