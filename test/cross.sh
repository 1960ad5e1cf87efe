#!/usr/bin/env bash
# Cross-version dump and restore (make test-versions runs it per version):
# a database with every cx type stored, calendars with closures, tracked
# tables and a breach log (test/cross/fixture.sql) is dumped by this host's
# PostgreSQL 15 pg_dump and restored with the pg_restore of the major in a
# Debian root; test/cross/queries.sql must give the same answers there,
# before and after new writes that the restored triggers judge and log.
# Then the other way: the restored database, dumped as plain SQL by that
# major's pg_dump, is loaded into PostgreSQL 15 with psql (pg_restore cannot
# read a newer archive), and must give the same answers again.
#
#   bash test/cross.sh MAJOR ROOT     (ROOT mounted, cx_metrics installed in both)
set -u
. "$(dirname "$0")/lib.sh"
cd "$CX_ROOT" || exit 2
v=$1 root=$2
label="cross (15 -> $v)"
rbin=/usr/lib/postgresql/$v/bin
rport=$((CX_PORT + 2))
work=$root/tmp/cx_cross
in_root() { chroot "$root" /usr/bin/env -i HOME=/root LANG=C.UTF-8 PATH=/usr/sbin:/usr/bin:/sbin:/bin "$@"; }
root_stop() {
	in_root runuser -u postgres -- "$rbin/pg_ctl" -D /tmp/cx_cross/data -m immediate -w stop >/dev/null 2>&1
	rm -rf "$work"
}
out=$(mktemp -d /tmp/cx_cross_out.XXXXXX)

# this host's PostgreSQL 15, on a port of its own
CX_PORT=$((CX_PORT + 1)) cx_cluster_start || { rm -rf "$out"; echo "FAIL $label: host server"; exit 1; }
trap 'root_stop; cx_cluster_stop; rm -rf "$out"' EXIT
h=(-h "$PGHOST" -p "$PGPORT" -U postgres)
r=(-h "$work" -p "$rport" -U postgres)

# the major's server in its root, its socket where this host reaches it
rm -rf "$work"
mkdir -p "$work"
in_root chown postgres: /tmp/cx_cross
in_root runuser -u postgres -- "$rbin/initdb" -D /tmp/cx_cross/data -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$out/initdb.log" 2>&1 ||
	{ cat "$out/initdb.log"; echo "FAIL $label: initdb $v"; exit 1; }
printf '%s\n' "listen_addresses = ''" "unix_socket_directories = '/tmp/cx_cross'" "port = $rport" "fsync = off" \
	>>"$work/data/postgresql.conf"
in_root runuser -u postgres -- "$rbin/pg_ctl" -D /tmp/cx_cross/data -l /tmp/cx_cross/server.log -w start >/dev/null ||
	{ cat "$work/server.log"; echo "FAIL $label: server $v did not start"; exit 1; }

q() { # conn... -> the answers of the query set, with psql 15 on both sides
	cx_psql "$@" -f test/cross/queries.sql 2>&1
}
compare() { # what fileA fileB
	if cmp -s "$2" "$3" && [ -s "$2" ] && ! grep -q ERROR "$2"; then
		echo "PASS $label: $1 ($(wc -l <"$2") lines of answers)"
	else
		diff "$2" "$3" | head -20; echo "FAIL $label: $1"
	fi
}
# new writes judged by the triggers: fixed instants, a finish that meets, one that misses, a new open row
writes="SET TIME ZONE 'UTC';
UPDATE apps SET decided_at = received_at + interval '2 days' WHERE id IN (3, 6);
UPDATE apps SET decided_at = received_at + interval '90 days' WHERE id IN (9, 12);
INSERT INTO apps VALUES (1001, '2025-06-02 10:00+00', NULL);
UPDATE claims SET closed = opened + interval '30 days' WHERE id IN (4, 8);
INSERT INTO claims VALUES (1001, '2025-06-02 10:00+00', '2025-06-04 10:00+00');
INSERT INTO survey VALUES (1001, 2);
UPDATE reqs SET decided_at = received_at + interval '30 days' WHERE id IN (15, 25);
UPDATE lines SET standard = '90% within 15 business days' WHERE line = 'claims';
INSERT INTO reqs (id, line, received_at) VALUES (1001, 'foia', '2025-06-02 10:00+00'), (1002, 'claims', '2025-06-02 10:00+00');"

cx_psql "${h[@]}" -d postgres -c "CREATE DATABASE src" >/dev/null &&
	cx_psql "${h[@]}" -d src -f test/cross/fixture.sql >"$out/fixture.log" 2>&1 ||
	{ cat "$out/fixture.log"; echo "FAIL $label: fixture"; exit 1; }
q "${h[@]}" -d src >"$out/src.1"

# 15 -> v: pg_dump 15, pg_restore v
"$PG_BINDIR/pg_dump" "${h[@]}" -Fc -d src -f "$work/src.dump" 2>"$out/dump.err" ||
	{ cat "$out/dump.err"; echo "FAIL $label: pg_dump 15"; exit 1; }
cx_psql "${r[@]}" -d postgres -c "CREATE DATABASE dst" >/dev/null || { echo "FAIL $label: create database on $v"; exit 1; }
if in_root "$rbin/pg_restore" -h /tmp/cx_cross -p "$rport" -U postgres -d dst /tmp/cx_cross/src.dump 2>"$out/restore.err"; then
	echo "PASS $label: pg_restore $v of a pg_dump 15 archive without errors"
else
	head -20 "$out/restore.err"; echo "FAIL $label: pg_restore $v reported errors"
fi
q "${r[@]}" -d dst >"$out/dst.1"
compare "restored into $v: same percentiles, sketches, indices, standards, calendars, statuses, registry and log" "$out/src.1" "$out/dst.1"

# the restored triggers and log keep working as the original ones do
cx_psql "${h[@]}" -d src -c "$writes" >/dev/null 2>"$out/w.err" || { cat "$out/w.err"; echo "FAIL $label: writes on 15"; }
cx_psql "${r[@]}" -d dst -c "$writes" >/dev/null 2>"$out/w.err" || { cat "$out/w.err"; echo "FAIL $label: writes on $v"; }
q "${h[@]}" -d src >"$out/src.2"
q "${r[@]}" -d dst >"$out/dst.2"
if cmp -s "$out/src.1" "$out/src.2"; then
	echo "FAIL $label: the writes changed nothing on 15"
else
	compare "after new writes on both, $v judged and logged them as 15 did" "$out/src.2" "$out/dst.2"
fi

# v -> 15: pg_dump v as plain SQL, loaded by psql 15
nostats=
in_root "$rbin/pg_dump" --help | grep -q -- --no-statistics && nostats=--no-statistics
in_root "$rbin/pg_dump" -h /tmp/cx_cross -p "$rport" -U postgres $nostats -Fp -d dst -f /tmp/cx_cross/back.sql 2>"$out/dump.err" ||
	{ cat "$out/dump.err"; echo "FAIL $label: pg_dump $v"; exit 1; }
cx_psql "${h[@]}" -d postgres -c "CREATE DATABASE back" >/dev/null
"$PG_BINDIR/psql" -X -q "${h[@]}" -d back -f "$work/back.sql" >/dev/null 2>"$out/back.err"
# settings that only newer servers know are the one expected difference
grep 'ERROR' "$out/back.err" | grep -v 'unrecognized configuration parameter "\(transaction_timeout\)"' >"$out/back.bad"
if [ ! -s "$out/back.bad" ]; then
	echo "PASS $label: a plain pg_dump $v loads into 15 (errors only for settings 15 does not have: $(grep -c ERROR "$out/back.err"))"
else
	head -20 "$out/back.bad"; echo "FAIL $label: loading the pg_dump $v output into 15 reported errors"
fi
q "${h[@]}" -d back >"$out/back.2"
compare "restored back into 15: same answers" "$out/src.2" "$out/back.2"
res=$(cx_psql "${h[@]}" -d back -At -c "SET TIME ZONE 'UTC'" -c "INSERT INTO apps VALUES (1002, '2025-06-02 10:00+00', NULL) RETURNING cx_status" \
	-c "SELECT new_status FROM cx.breach_log WHERE key = '1002' AND tbl = 'public.apps'" 2>&1 | tr '\n' ' ')
[ "$res" = "breached breached " ] && echo "PASS $label: triggers work after the way back (a new overdue row breached and logged)" ||
	echo "FAIL $label: after the way back: $res"
