#!/usr/bin/env bash
# Crash test: an unprivileged role (LOGIN, with only CONNECT and the default
# TEMP) calls every function of the extension found in pg_proc with calls
# generated from each signature (test/t/crash_gen.sql): every argument NULL,
# each argument NULL in turn, each sample value of each argument's type in
# turn (test/t/crash_setup.sql: mismatched states, empty / wrong-length /
# 2-D / NULL-element arrays, TOASTed, compressed and short-header values
# read from a table, NaN, infinities, huge and tiny numbers), and aggregates
# of the extension's transition and combine functions with hostile initial
# states.  Errors are fine; a crash, a lost connection, a restarted
# postmaster or an internal error (SQLSTATE class XX) is a FAIL, and so is
# an argument type without sample values (a new function must be covered).
# Trigger functions cannot be called directly: they are counted and must
# refuse.  Needs PGHOST/PGPORT/PGUSER of a running server.
set -u
. "$(dirname "$0")/../lib.sh"
here=$(cd "$(dirname "$0")" && pwd)
db=cx_t_crash
role=cx_crash_intruder
work=$(mktemp -d /tmp/cx_crash.XXXXXX)
chmod 755 "$work"
cleanup() {
	cx_drop_db "$db"
	cx_psql -d postgres -c "DROP ROLE IF EXISTS $role" >/dev/null 2>&1
	[ -n "${CX_KEEP:-}" ] || rm -rf "$work"
}
trap cleanup EXIT

cx_fresh_db "$db" crash
cx_psql -d postgres -c "SET client_min_messages = warning" -c "DROP ROLE IF EXISTS $role" \
	-c "CREATE ROLE $role LOGIN" >/dev/null || { echo "FAIL crash: create role"; exit 1; }
cx_psql -d "$db" -c "CREATE EXTENSION cx_metrics" >/dev/null || { echo "FAIL crash: create extension"; exit 1; }
t0=$(cx_psql -d "$db" -Atc "SELECT pg_postmaster_start_time()")
super=$(cx_psql -d "$db" -Atc "SELECT rolsuper OR rolcreaterole OR rolcreatedb FROM pg_roles WHERE rolname = '$role'")
[ "$super" = f ] || { echo "FAIL crash: role $role is privileged"; exit 1; }

as_role() { "$PG_BINDIR/psql" -X -q -At -U "$role" -d "$db" "$@"; }

# 1. generate the calls (as the role, whose session holds the samples)
if ! as_role -v ON_ERROR_STOP=1 -f "$here/crash_setup.sql" -f "$here/crash_gen.sql" \
	-c "SELECT count(*) FROM missing" \
	-c "SELECT (SELECT count(*) FROM pg_class WHERE oid = (SELECT reltoastrelid FROM pg_class WHERE oid = 'pg_temp.tv'::regclass))" \
	>"$work/gen.out" 2>"$work/gen.err"; then
	echo "FAIL crash: generating the calls: $(head -5 "$work/gen.err")"
	exit 1
fi
as_role -v ON_ERROR_STOP=1 -F $'\t' -f "$here/crash_setup.sql" -f "$here/crash_gen.sql" -f - >"$work/info.tsv" 2>"$work/gen2.err" <<'SQL' || { echo "FAIL crash: listing the calls: $(head -5 "$work/gen2.err")"; exit 1; }
SELECT fn, kind, q FROM calls ORDER BY n;
SQL
as_role -v ON_ERROR_STOP=1 -f "$here/crash_setup.sql" -f "$here/crash_gen.sql" -f - >"$work/missing.txt" 2>&1 <<'SQL'
SELECT DISTINCT format('%s (argument type %s)', fn, typ) FROM missing ORDER BY 1;
SQL
# the toast check: the sample table's values went out of line, some compressed
toast=$(as_role -f "$here/crash_setup.sql" -c "SELECT (SELECT count(*) FROM pg_class c WHERE c.oid = (SELECT reltoastrelid FROM pg_class WHERE oid = 'pg_temp.tv'::regclass)) || ' ' || (pg_column_compression(r_cmp) IS NOT NULL AND pg_column_compression(a_cmp) IS NOT NULL AND pg_column_compression(r_ext) IS NULL) || ' ' || (pg_column_size(r_ext) > 2000 AND pg_column_size(c_ext) > 2000 AND pg_column_size(n_ext) > 2000) FROM pg_temp.tv" 2>&1 | tail -1)
if [ "$toast" = "1 true true" ]; then
	echo "PASS crash: sample values stored out of line (EXTERNAL), compressed and short"
else
	echo "FAIL crash: sample values not stored as intended ($toast)"
fi

if [ -s "$work/missing.txt" ]; then
	while IFS= read -r m; do echo "FAIL crash: no sample values for $m"; done <"$work/missing.txt"
fi

# 2. one statement per line: the line number and what the call returned;
# after each function's calls, a check that the postmaster did not restart
awk -F'\t' -v t0="$t0" '
	function lit(s) { gsub(/\047/, "\047\047", s); return "\047" s "\047" }
	{
		if (NR > 1 && $1 != prev) { n++; printf "SELECT %d, CASE WHEN pg_postmaster_start_time() = %s THEN \047alive\047 ELSE \047RESTARTED\047 END;\n", n, lit(t0); info[n] = "check after " prev }
		n++; printf "SELECT %d, pg_temp.try(%s);\n", n, lit($3)
		prev = $1
	}
	END { n++; printf "SELECT %d, CASE WHEN pg_postmaster_start_time() = %s THEN \047alive\047 ELSE \047RESTARTED\047 END;\n", n, lit(t0) }
' "$work/info.tsv" >"$work/script.sql"
# line -> function, kind, call (check lines included)
awk -F'\t' '
	{ if (NR > 1 && $1 != prev) print prev "\tcheck\tserver still up"; print; prev = $1 }
	END { print prev "\tcheck\tserver still up" }
' "$work/info.tsv" >"$work/lines.tsv"
lines=$(wc -l <"$work/script.sql")
[ "$lines" -gt 100 ] || { echo "FAIL crash: only $lines calls generated"; exit 1; }

# 3. run them; after a crash, note the call, wait for the server, go on
line=1
crashes=0
: >"$work/results"
while [ "$line" -le "$lines" ]; do
	tail -n +"$line" "$work/script.sql" |
		as_role -f "$here/crash_setup.sql" -f - >>"$work/results" 2>"$work/run.err"
	last=$(tail -1 "$work/results" | cut -d'|' -f1)
	[ -n "$last" ] || last=$((line - 1))
	if [ "$last" -ge "$lines" ]; then break; fi
	bad=$((last + 1))
	[ "$bad" -ge "$line" ] || bad=$line
	crashes=$((crashes + 1))
	echo "FAIL crash: the session died at $(sed -n "${bad}p" "$work/lines.tsv" | tr '\t' ' '): $(grep -v '^$' "$work/run.err" | head -2 | tr '\n' ' ')"
	for _ in $(seq 1 120); do
		"$PG_BINDIR/pg_isready" -q -d "$db" && cx_psql -d "$db" -Atc "SELECT 1" >/dev/null 2>&1 && break
		sleep 0.5
	done
	[ "$crashes" -lt 20 ] || { echo "FAIL crash: giving up after $crashes crashes"; break; }
	line=$((bad + 1))
done

# 4. judge every result
awk -F'|' -v lines="$work/lines.tsv" '
	BEGIN { while ((getline l < lines) > 0) { n++; split(l, f, "\t"); fn[n] = f[1]; kind[n] = f[2]; q[n] = f[3] } }
	{
		i = $1; r = substr($0, length($1) + 2)
		seen[fn[i]] = 1
		if (kind[i] == "check") { if (r != "alive") { print "FAIL crash: postmaster restarted before " fn[i] }; checks++; next }
		calls++
		if (kind[i] == "trigger") {
			trig++
			if (r ~ /^0A000 / || r ~ /^39P01 /) trigok++; else print "FAIL crash: trigger function " fn[i] " did not refuse a direct call: " r
			next
		}
		if (kind[i] ~ /^hostile/) hostile++
		if (kind[i] ~ /^trigger (attach|fire)/) attached++
		if (r ~ /^XX/) { if (++internal <= 100) print "FAIL crash: internal error from " fn[i] " (" kind[i] "): " q[i] " -> " r }
		else if (r ~ /^57014 /) { timeouts++; print "NOTE crash: statement timeout in " fn[i] ": " q[i] }
		else if (r == "ok") ok++
		else errors++
	}
	END {
		for (x in seen) nfn++
		printf "PASS crash: %d functions, %d calls (%d succeeded, %d clean errors, %d timeouts), %d server checks\n", nfn, calls, ok, errors, timeouts + 0, checks
		if (trig > 0 && trig == trigok) printf "PASS crash: %d trigger functions refuse direct calls\n", trig
		else printf "FAIL crash: %d of %d trigger functions refused direct calls\n", trigok, trig
		printf "PASS crash: %d calls of aggregates with hostile initial states\n", hostile
		printf "PASS crash: %d statements attaching and firing the trigger functions on a table of the role\n", attached
		if (internal == 0) print "PASS crash: no internal errors (SQLSTATE class XX)"
		else if (internal > 100) printf "FAIL crash: %d internal errors in all (the first 100 listed)\n", internal
	}
' "$work/results"

# every function of the extension was called (the generator reads pg_proc;
# this compares the functions called with it)
want=$(cx_psql -d "$db" -Atc "SELECT count(*) FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.deptype = 'e' AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'cx_metrics')")
hostile_fns=$(awk -F'\t' '$2 ~ /^hostile/ { print $1 }' "$work/info.tsv" | sort -u | grep -c .)
direct=$(awk -F'\t' '$2 !~ /^hostile|^trigger (attach|fire)/ { print $1 }' "$work/info.tsv" | sort -u | grep -c .)
if [ "$direct" = "$want" ]; then
	echo "PASS crash: every one of the $want functions of the extension in pg_proc was called ($hostile_fns aggregates and combine functions also with hostile states)"
else
	echo "FAIL crash: $direct functions called, $want in pg_proc"
fi
if [ "$crashes" -eq 0 ]; then
	echo "PASS crash: no crash, the connection survived every call"
fi
[ "$crashes" -eq 0 ] && [ "$(cx_psql -d "$db" -Atc "SELECT pg_postmaster_start_time()")" = "$t0" ] &&
	echo "PASS crash: postmaster never restarted" || echo "FAIL crash: postmaster restarted"
