#!/usr/bin/env bash
# Privileges of a trusted install in a shared database: a non-superuser
# database owner (the installer) creates the extension and tracks a table; a
# writer has only UPDATE on it; a stranger has only CONNECT and TEMP.  Checks
# who may do what with the schema, the registries, the log, cx.track /
# cx.untrack / cx.sweep and LISTEN, and that the sweep survives a failing
# table, a dropped table and a temporary one.
set -u
. "$(dirname "$0")/../lib.sh"
db=cx_t_privileges
out=$(mktemp)
cleanup() {
	rm -f "$out"
	cx_drop_db "$db"
	cx_psql -d postgres -c "DROP ROLE IF EXISTS cx_p_installer, cx_p_writer, cx_p_stranger" >/dev/null 2>&1
}
trap cleanup EXIT
cx_drop_db "$db"
cx_psql -d postgres -c "DROP ROLE IF EXISTS cx_p_installer, cx_p_writer, cx_p_stranger" >/dev/null 2>&1
cx_psql -d postgres >/dev/null <<SQL || { echo "FAIL privileges: roles and database"; exit 1; }
CREATE ROLE cx_p_installer LOGIN;
CREATE ROLE cx_p_writer LOGIN;
CREATE ROLE cx_p_stranger LOGIN;
CREATE DATABASE $db OWNER cx_p_installer;
SQL
as() { local role=$1; shift; "$PG_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -At -d "$db" -U "$role" "$@"; }
# check label role sql: the SQL prints t
check() {
	local got
	got=$(as "$2" -c "SET client_min_messages = error" -c "$3" 2>&1 | tail -1)
	if [ "$got" = t ]; then echo "PASS privileges: $1"; else echo "FAIL privileges: $1 (got '$got')"; fi
}
# refused label role sql sqlstate: the SQL fails with that SQLSTATE
refused() {
	local got
	got=$(as "$2" -v VERBOSITY=verbose -c "SET client_min_messages = error" -c "$3" 2>&1)
	if printf '%s' "$got" | grep -q "ERROR:  $4"; then echo "PASS privileges: $1"; else echo "FAIL privileges: $1 (got '$got')"; fi
}

as cx_p_installer >/dev/null <<'SQL' || { echo "FAIL privileges: install and track as the database owner"; exit 1; }
CREATE EXTENSION cx_metrics;
CREATE TABLE apps (case_no text PRIMARY KEY, received_at timestamptz, decided_at timestamptz, cx_status text, note text);
CREATE TABLE runs (who name, at timestamptz DEFAULT clock_timestamp());
GRANT INSERT ON runs TO PUBLIC;
CREATE FUNCTION apps_code() RETURNS trigger LANGUAGE plpgsql SET search_path = public AS $$
BEGIN
	INSERT INTO public.runs (who) VALUES (current_user);
	RETURN NEW;
END
$$;
CREATE TRIGGER aa_code BEFORE UPDATE ON apps FOR EACH ROW EXECUTE FUNCTION apps_code();
SELECT cx.track('apps', 'within 2 seconds', started => 'received_at', finished => 'decided_at', status => 'cx_status', key => 'case_no');
-- a second tracked table whose own trigger fails on every update
CREATE TABLE fragile (id int PRIMARY KEY, received_at timestamptz, decided_at timestamptz, cx_status text);
CREATE FUNCTION fragile_code() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'fragile table refuses updates'; END $$;
SELECT cx.track('fragile', 'within 2 seconds', started => 'received_at', finished => 'decided_at', status => 'cx_status');
CREATE TRIGGER aa_fail BEFORE UPDATE ON fragile FOR EACH ROW EXECUTE FUNCTION fragile_code();
GRANT UPDATE ON apps TO cx_p_writer;
SQL
cx_psql -d "$db" -c "CREATE SCHEMA w AUTHORIZATION cx_p_writer" >/dev/null

# the schema
check "schema cx belongs to the superuser that ran the install script" cx_p_installer \
	"SELECT r.rolsuper FROM pg_namespace n JOIN pg_roles r ON r.oid = n.nspowner WHERE n.nspname = 'cx'"
refused "the installer cannot rename schema cx" cx_p_installer "ALTER SCHEMA cx RENAME TO cx_old" 42501
refused "the installer cannot put a function into schema cx" cx_p_installer \
	"CREATE FUNCTION cx.sweep2() RETURNS int LANGUAGE sql AS 'SELECT 1'" 42501
refused "the installer cannot replace cx.sweep" cx_p_installer \
	"CREATE OR REPLACE FUNCTION cx.sweep(tbl regclass DEFAULT NULL, since timestamptz DEFAULT NULL) RETURNS TABLE (tracked regclass, flipped bigint) LANGUAGE sql AS 'SELECT NULL::regclass, 0::bigint'" 42501

# the registries
refused "the writer cannot update the registry row of a table it may update" cx_p_writer \
	"UPDATE cx.tracked SET swept_to = statement_timestamp(), at_risk = 0.5 WHERE tbl = 'apps'::regclass" 42501
refused "nobody but the registry's owner reads the sweep mark" cx_p_writer \
	"SELECT swept_to FROM cx.tracked" 42501
refused "the stranger cannot lock the registry" cx_p_stranger \
	"BEGIN; LOCK TABLE cx.tracked IN SHARE MODE" 42501
refused "the stranger cannot lock the log" cx_p_stranger \
	"BEGIN; LOCK TABLE cx.breach_log IN SHARE MODE" 42501
refused "the installer cannot register someone else's table directly" cx_p_installer \
	"INSERT INTO cx.tracked (tbl, standard, started, finished, status, due, key, calendar, at_risk, sweep_index) VALUES ('w.mine', 'within 1 day', 'received_at', 'decided_at', 'cx_status', 'cx_due', 'id', 'us_federal', 0.8, 'x')" 42501
refused "the writer cannot add a registry row through the extension's helper" cx_p_writer \
	"SELECT cx._track_registry_add(ROW('public.apps', 'within 1 day', 'received_at', 'decided_at', 'cx_status', 'cx_due', 'case_no', 'us_federal', 0.8, false, 'x', NULL, NULL, now(), NULL, 'default', NULL, false, NULL, NULL, NULL, NULL, false)::cx.tracked)" 42501
refused "the writer cannot remove a registry row through the extension's helper" cx_p_writer \
	"SELECT cx._track_registry_remove('public.apps', false)" 42501
refused "the stranger cannot register someone's table" cx_p_stranger \
	"INSERT INTO cx.tracked (tbl, standard, started, finished, status, due, key, calendar, at_risk, sweep_index) VALUES ('fragile', 'within 1 day', 'received_at', 'decided_at', 'cx_status', 'cx_due', 'id', 'us_federal', 0.8, 'x')" 42501
refused "the stranger cannot delete someone's registry row" cx_p_stranger \
	"DO \$\$ BEGIN DELETE FROM cx.tracked WHERE tbl = 'apps'::regclass; IF NOT FOUND THEN RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = 'no row deleted'; END IF; END \$\$" 42501
refused "the stranger cannot track a temporary table" cx_p_stranger \
	"CREATE TEMP TABLE t (id int PRIMARY KEY, s timestamptz, f timestamptz, st text); SELECT cx.track('t', 'within 1 day', started => 's', finished => 'f', status => 'st')" 42809
refused "the stranger cannot register a temporary table through the extension's helper" cx_p_stranger \
	"CREATE TEMP TABLE t (id int PRIMARY KEY, s timestamptz, f timestamptz, st text, cx_due timestamptz); SELECT cx._track_registry_add(ROW('t', 'within 1 day', 's', 'f', 'st', 'cx_due', 'id', 'us_federal', 0.8, false, 'x', NULL, NULL, now(), NULL, 'default', NULL, false, NULL, NULL, NULL, NULL, false)::cx.tracked)" 42809
as cx_p_writer -c "CREATE TABLE w.mine (id int PRIMARY KEY, received_at timestamptz, decided_at timestamptz, cx_status text)" \
	-c "SELECT cx.track('w.mine', 'within 1 day', started => 'received_at', finished => 'decided_at', status => 'cx_status')" >/dev/null
refused "the writer cannot point its own registry row at the table it may update" cx_p_writer \
	"UPDATE cx.tracked SET tbl = 'public.apps' WHERE tbl = 'w.mine'::regclass" 42501
check "the installer's registry row and columns are intact" cx_p_installer \
	"SELECT count(*) = 1 AND bool_and(status = 'cx_status' AND due = 'cx_due') FROM cx.tracked WHERE tbl = 'apps'::regclass"
refused "cx.track refuses a table the caller does not own" cx_p_writer \
	"SELECT cx.track('public.apps', 'within 1 day', started => 'received_at', finished => 'decided_at', status => 'cx_status')" 42501
refused "cx.untrack refuses a table the caller does not own" cx_p_writer "SELECT cx.untrack('public.apps')" 42501

# internal entry points
refused "the backfill cannot be run by a role without the owner's privileges" cx_p_writer \
	"SELECT cx._track_backfill('public.apps')" 42501
check "no function tells other roles' transaction start times" cx_p_stranger \
	"SELECT to_regprocedure('cx._sweep_horizon()') IS NULL"

# events, the log and LISTEN: the stranger listens while the writer writes
writer="$PG_BINDIR/psql -X -q -v ON_ERROR_STOP=1 -d $db -U cx_p_writer"
as cx_p_installer -c "INSERT INTO apps VALUES ('987-65-4321', now(), NULL), ('123-45-6789', now(), NULL), ('555-00-1111', now(), NULL)" >/dev/null
"$PG_BINDIR/psql" -X -q -d "$db" -U cx_p_stranger >"$out" 2>&1 <<SQL
LISTEN cx_breach;
SELECT pg_sleep(2.5);
\\! $writer -c "UPDATE apps SET decided_at = now()"
SELECT pg_sleep(0.2);
SELECT 1;
SQL
payload=$(sed -n 's/^Asynchronous notification "cx_breach" with payload "\(.*\)" received from server process with PID [0-9]*\.$/\1/p' "$out" | head -1)
if [ -n "$payload" ] && ! printf '%s' "$payload" | grep -q '987' && \
	[ "$(printf '%s\n' "SELECT (SELECT array_agg(k ORDER BY k) FROM json_object_keys(:'p'::json) k) = '{clock,id,table}'" | as cx_p_stranger -v p="$payload")" = t ]; then
	echo "PASS privileges: a listener without privilege on the table gets its name and the log id, not the key"
else
	echo "FAIL privileges: payload to the stranger: '$payload'"
fi
check "the stranger sees no log row of a table it cannot read" cx_p_stranger "SELECT count(*) = 0 FROM cx.breach_log"
check "the writer (UPDATE only) sees no log row either" cx_p_writer "SELECT count(*) = 0 FROM cx.breach_log"
check "the installer reads the log rows of its table" cx_p_installer \
	"SELECT count(*) = 1 FROM cx.breach_log WHERE key = '987-65-4321' AND new_status = 'missed' AND relid = 'apps'::regclass"
as cx_p_installer -c "GRANT SELECT ON cx.breach_log TO cx_p_stranger" >/dev/null 2>&1 &&
	echo "PASS privileges: the installer can grant SELECT on the log" || echo "FAIL privileges: the installer cannot grant SELECT on the log"
check "a grant on the log shows nothing of a table the grantee cannot read" cx_p_stranger "SELECT count(*) = 0 FROM cx.breach_log"
as cx_p_installer -c "GRANT SELECT ON apps TO cx_p_stranger" >/dev/null
check "with SELECT on the table, the log row of the payload is readable" cx_p_stranger \
	"SELECT key = '987-65-4321' FROM cx.breach_log WHERE id = $(printf '%s\n' "SELECT :'p'::json->>'id'" | as cx_p_stranger -v p="${payload:-{\}}")"
as cx_p_installer -c "REVOKE SELECT ON apps FROM cx_p_stranger" >/dev/null
refused "the stranger cannot purge the log" cx_p_stranger "DELETE FROM cx.breach_log" 42501
refused "the installer cannot write into the log" cx_p_installer \
	"INSERT INTO cx.breach_log (tbl, new_status, logged_at) VALUES ('x', 'breached', now())" 42501
refused "the installer cannot add a trigger to the log" cx_p_installer \
	"CREATE TRIGGER t BEFORE INSERT ON cx.breach_log FOR EACH ROW EXECUTE FUNCTION apps_code()" 42501

# the sweep: as the superuser (a cron job), the owner's code runs as the
# owner; a failing table and a dropped one do not stop the others
cx_psql -d "$db" >/dev/null <<'SQL'
INSERT INTO fragile VALUES (1, now(), NULL);
INSERT INTO apps VALUES ('1', now(), NULL), ('2', now(), NULL);
ALTER EVENT TRIGGER cx_track_dropped DISABLE;
DROP TABLE w.mine;
ALTER EVENT TRIGGER cx_track_dropped ENABLE;
DELETE FROM runs;
SQL
sleep 2.5
sweep=$(as cx_p_stranger -c "SELECT count(*) FROM cx.sweep()" 2>"$out")
if [ "$sweep" = 0 ] && grep -q 'removed tracked table [0-9]* from the registry: it no longer exists' "$out"; then
	echo "PASS privileges: the stranger's sweep skips tables it may not update and forgets a dropped table"
else
	echo "FAIL privileges: the stranger's sweep gave '$sweep'; messages: $(tr '\n' ' ' <"$out")"
fi
sweep=$(cx_psql -d "$db" -At -c "SELECT tracked::text || '=' || flipped FROM cx.sweep() ORDER BY 1" 2>"$out")
if [ "$sweep" = "apps=2" ] && grep -q 'cx.sweep skipped table "fragile": fragile table refuses updates' "$out"; then
	echo "PASS privileges: a failing table is reported and rolled back; the others are swept"
else
	echo "FAIL privileges: sweep gave '$sweep'; warnings: $(tr '\n' ' ' <"$out")"
fi
check "the superuser's sweep ran the owner's trigger as the owner" cx_p_installer \
	"SELECT count(*) = 2 AND bool_and(who = 'cx_p_installer') FROM runs"
check "the dropped table's registry row is gone, the failing table's stays" cx_p_installer \
	"SELECT count(*) = 2 FROM cx.tracked"
check "the failing table's rows are unchanged" cx_p_installer \
	"SELECT cx_status = 'on_track' FROM fragile"
as cx_p_installer -c "INSERT INTO apps VALUES ('777', now(), NULL)" >/dev/null
sleep 2.5
check "the writer (UPDATE privilege only) does not sweep the table" cx_p_writer \
	"SELECT count(*) = 0 FROM cx.sweep('public.apps')"
check "its owner sweeps it (the failing table again skipped)" cx_p_installer \
	"SELECT array_agg(tracked::text || '=' || flipped ORDER BY 1) = '{apps=1}' FROM cx.sweep()"
check "the owner's sweep ran its trigger as the owner" cx_p_installer \
	"SELECT count(*) = 3 AND bool_and(who = 'cx_p_installer') FROM runs"
check "the installer can purge its table's log rows" cx_p_installer \
	"WITH d AS (DELETE FROM cx.breach_log WHERE tbl = 'public.apps' RETURNING 1) SELECT count(*) > 0 FROM d"

# the installer can dump its database (the log: the rows it may read)
as cx_p_installer -c "INSERT INTO apps VALUES ('888', now() - interval '1 day', NULL)" >/dev/null
if "$PG_BINDIR/pg_dump" -U cx_p_installer --enable-row-security -d "$db" -f "$out" 2>/dev/null &&
	grep -q "^COPY cx.breach_log " "$out" && grep -q "	888	" "$out"; then
	echo "PASS privileges: the installer dumps the database, with the log rows it may read (--enable-row-security)"
else
	echo "FAIL privileges: pg_dump by the installer"
fi

# the log hides the rows of a table whose own row-level security would hide
# its rows from the reader
as cx_p_installer >/dev/null <<'SQL'
CREATE TABLE tickets (id text PRIMARY KEY, received_at timestamptz, decided_at timestamptz, cx_status text);
SELECT cx.track('tickets', 'within 1 day', started => 'received_at', finished => 'decided_at', status => 'cx_status');
INSERT INTO tickets VALUES ('SSN-123-45-6789', now() - interval '3 days', NULL);
ALTER TABLE tickets ENABLE ROW LEVEL SECURITY;
CREATE POLICY none ON tickets FOR SELECT USING (false);
GRANT SELECT ON tickets TO cx_p_stranger;
SQL
check "a reader whom the table's own row-level security hides its rows sees none of its log rows" cx_p_stranger \
	"SELECT count(*) = 0 FROM cx.breach_log WHERE tbl = 'public.tickets'"
check "the table's owner sees them" cx_p_installer \
	"SELECT count(*) = 1 FROM cx.breach_log WHERE tbl = 'public.tickets'"

# a statement timeout ends the sweep (it is not taken for one table's failure)
as cx_p_installer -c "INSERT INTO apps VALUES ('999', now() - interval '1 day', NULL)" >/dev/null
cx_psql -d "$db" -c "UPDATE cx.tracked SET swept_to = NULL" >/dev/null
( "$PG_BINDIR/psql" -X -q -d "$db" -U cx_p_installer -c "BEGIN" -c "SELECT * FROM apps WHERE case_no = '999' FOR UPDATE NOWAIT" \
	-c "LOCK TABLE fragile IN EXCLUSIVE MODE" -c "SELECT pg_sleep(4)" -c "COMMIT" >/dev/null 2>&1 & )
sleep 1
got=$(cx_psql -d "$db" -At -c "SET statement_timeout = '1s'" -c "SELECT count(*) FROM cx.sweep()" 2>&1)
if printf '%s' "$got" | grep -q "canceling statement due to statement timeout"; then
	echo "PASS privileges: a statement timeout ends the sweep"
else
	echo "FAIL privileges: sweep under statement_timeout gave '$got'"
fi
sleep 3

# the install: a schema cx made beforehand with grants to others is taken
# over with no grant left; release 0.1.0 is not installable by the installer
db2=${db}_2
cx_psql -d postgres -c "CREATE DATABASE $db2 OWNER cx_p_installer" >/dev/null
"$PG_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -d "$db2" -U cx_p_installer -c "CREATE SCHEMA cx" \
	-c "GRANT CREATE, USAGE ON SCHEMA cx TO cx_p_stranger" -c "CREATE EXTENSION cx_metrics" >/dev/null 2>&1
got=$("$PG_BINDIR/psql" -X -q -At -d "$db2" -U cx_p_stranger -c "CREATE FUNCTION cx.track(regclass, text, text, text, text) RETURNS void LANGUAGE sql AS ''" 2>&1)
acl=$(cx_psql -d "$db2" -At -c "SELECT nspacl FROM pg_namespace WHERE nspname = 'cx'")
if printf '%s' "$got" | grep -q "permission denied for schema cx" && [ "$acl" = "{postgres=UC/postgres,=U/postgres}" ]; then
	echo "PASS privileges: a schema cx made beforehand keeps no grant to other roles"
else
	echo "FAIL privileges: pre-made schema: '$got', acl $acl"
fi
"$PG_BINDIR/psql" -X -q -d "$db2" -U cx_p_installer -c "DROP EXTENSION cx_metrics" >/dev/null 2>&1
got=$("$PG_BINDIR/psql" -X -q -d "$db2" -U cx_p_installer -c "CREATE EXTENSION cx_metrics VERSION '0.1.0'" 2>&1)
if printf '%s' "$got" | grep -q "permission denied to create extension"; then
	echo "PASS privileges: the installer cannot install release 0.1.0 (not trusted)"
else
	echo "FAIL privileges: installing 0.1.0 as the installer: '$got'"
fi
cx_drop_db "$db2"
