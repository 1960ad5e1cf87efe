#!/usr/bin/env bash
# pg_dump -Fc / pg_restore keeps the user's calendars, closures and
# cx.standard values, and does not duplicate the built-in us_federal row.
# Needs PGHOST/PGPORT/PGUSER of a running server (test/run.sh sets them).
set -u
. "$(dirname "$0")/../lib.sh"
src=cx_std_dump_src dst=cx_std_dump_dst dump=$(mktemp /tmp/cx_std_dump.XXXXXX)
cleanup() { cx_psql -d postgres -c "DROP DATABASE IF EXISTS $src" -c "DROP DATABASE IF EXISTS $dst" >/dev/null 2>&1; rm -f "$dump"; }
trap cleanup EXIT
cleanup
check() { if [ "$2" = "$3" ]; then echo "PASS standard_dump: $1"; else echo "FAIL standard_dump: $1 (got '$2', want '$3')"; fi; }

cx_psql -d postgres -c "CREATE DATABASE $src" -c "CREATE DATABASE $dst" >/dev/null || { echo "FAIL standard_dump: create databases"; exit 1; }
cx_psql -d $src <<'SQL' || { echo "FAIL standard_dump: setup"; exit 1; }
CREATE EXTENSION cx_metrics;
INSERT INTO cx.calendars (name, time_zone, weekend, federal_holidays, cutoff, description)
VALUES ('pacific_ops', 'America/Los_Angeles', '{7}', true, '16:30', 'six-day field offices');
INSERT INTO cx.holidays (calendar, day, name) VALUES
	('pacific_ops', '2026-12-24', 'Christmas Eve closure'),
	('us_federal', '2026-12-24', 'Christmas Eve by executive order');
CREATE TABLE service_standards (service text PRIMARY KEY, promise cx.standard NOT NULL);
INSERT INTO service_standards VALUES ('passport', '90% within 30 business days'), ('call center', '80% within 20 minutes');
SQL
cat_sql="SELECT string_agg(format('%s|%s|%s|%s|%s', name, time_zone, weekend, federal_holidays, cutoff), ';' ORDER BY name) FROM cx.calendars"
hol_sql="SELECT string_agg(format('%s|%s|%s', calendar, day, name), ';' ORDER BY calendar, day) FROM cx.holidays"
std_sql="SELECT string_agg(format('%s|%s', service, promise), ';' ORDER BY service) FROM service_standards"
calc_sql="SELECT cx.business_days(timestamptz '2026-12-22 12:00-08', timestamptz '2026-12-29 12:00-08', 'pacific_ops') || ',' || cx.business_days(date '2026-12-22', date '2026-12-29')"
before_cal=$(cx_psql -d $src -Atc "$cat_sql"); before_hol=$(cx_psql -d $src -Atc "$hol_sql")
before_std=$(cx_psql -d $src -Atc "$std_sql"); before_calc=$(cx_psql -d $src -Atc "$calc_sql")

"$PG_BINDIR/pg_dump" -Fc -d $src -f "$dump" 2>/tmp/cx_std_dump.err || { echo "FAIL standard_dump: pg_dump"; cat /tmp/cx_std_dump.err; exit 1; }
if "$PG_BINDIR/pg_restore" --exit-on-error -d $dst "$dump" 2>/tmp/cx_std_restore.err; then
	echo "PASS standard_dump: pg_restore without errors"
else
	echo "FAIL standard_dump: pg_restore reported errors: $(head -3 /tmp/cx_std_restore.err)"
fi
check "calendars restored" "$(cx_psql -d $dst -Atc "$cat_sql")" "$before_cal"
check "closures restored" "$(cx_psql -d $dst -Atc "$hol_sql")" "$before_hol"
check "cx.standard column restored" "$(cx_psql -d $dst -Atc "$std_sql")" "$before_std"
check "business days equal after restore" "$(cx_psql -d $dst -Atc "$calc_sql")" "$before_calc"
check "one built-in us_federal row" "$(cx_psql -d $dst -Atc "SELECT count(*) FROM cx.calendars WHERE name = 'us_federal'")" "1"
check "closures and 6-day week counted (Tue, Wed, Sat, Mon; federal Tue, Wed, Mon)" "$before_calc" "4,3"
