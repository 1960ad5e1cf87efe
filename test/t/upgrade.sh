#!/usr/bin/env bash
# ALTER EXTENSION cx_metrics UPDATE from every released version: install the
# old version, store a value of every cx type, track a table, update, and
# check that (a) the extension's objects, as catalog rows (signatures,
# volatility, strictness, parallel safety, proconfig, privileges, columns,
# policies, triggers, ...; test/catalog.sql), equal those of a fresh install
# of the current version, and (b) the stored values and the tracking still
# work, and (c) a dump of the old version, with a user's aggregate and view
# built on the functions it documented, restores into the current one.
set -u
. "$(dirname "$0")/../lib.sh"
cd "$CX_ROOT" || exit 2
fresh=cx_t_upgrade_fresh
old=cx_t_upgrade_old
restored=cx_t_upgrade_restored
trap 'cx_drop_db "$fresh"; cx_drop_db "$old"; cx_drop_db "$restored"; rm -f /tmp/cx_upgrade_$$.*' EXIT
current=$(sed -n "s/^default_version = '\(.*\)'/\1/p" cx_metrics.control)
catalog() { cx_psql -d "$1" -At -f test/catalog.sql; }

# the PGXN metadata names the version the control file installs
meta=$(sed -n 's/^   "version": "\(.*\)",$/\1/p' META.json)
meta_p=$(sed -n 's/^         "version": "\(.*\)"$/\1/p' META.json)
[ "$meta" = "$current" ] && [ "$meta_p" = "$current" ] && echo "PASS upgrade: META.json names version $current" ||
	echo "FAIL upgrade: META.json names '$meta'/'$meta_p', the control file $current"

cx_fresh_db "$fresh" upgrade
cx_psql -d "$fresh" -c "CREATE EXTENSION cx_metrics" >/dev/null || { echo "FAIL upgrade: fresh install of $current"; exit 1; }
catalog "$fresh" >/tmp/cx_upgrade_$$.fresh

for script in upgrade/cx_metrics--*.sql; do
	base=$(basename "$script" .sql)
	case "$base" in *--*--*) continue ;; esac
	from=${base#cx_metrics--}
	[ "$from" = "$current" ] && continue
	cx_fresh_db "$old" upgrade
	if ! cx_psql -d "$old" >/dev/null 2>/tmp/cx_upgrade_$$.err <<SQL
CREATE EXTENSION cx_metrics VERSION '$from';
CREATE TABLE stored (id int PRIMARY KEY, sk cx.cycle_sketch, nsk cx.number_sketch, r cx.ratings, std cx.standard);
INSERT INTO stored
SELECT 1, cx.cycle_sketch(make_interval(secs => g * 3600)), cx.number_sketch(g::float8),
	   cx.ratings(1 + g % 5, 1, 5), '90% within 30 business days'
FROM generate_series(1, 1000) g;
INSERT INTO cx.holidays VALUES ('us_federal', '2026-12-24', 'closure');
CREATE TABLE apps (id int PRIMARY KEY, received_at timestamptz, decided_at timestamptz, cx_status text);
INSERT INTO apps VALUES (1, now() - interval '70 days', NULL), (2, now() - interval '1 day', NULL);
SELECT cx.track('apps', '90% within 30 business days', started => 'received_at', finished => 'decided_at', status => 'cx_status');
-- a user's objects on the ratings functions 0.1.0 documented
CREATE AGGREGATE tally5(int) (SFUNC = cx.ratings_accum_1_5, STYPE = cx.ratings, COMBINEFUNC = cx.ratings_merge);
CREATE VIEW tally_wire AS
SELECT cx.ratings_out(tally5(1 + g % 5))::text AS tally, length(cx.ratings_send(tally5(1 + g % 5))) AS bytes
FROM generate_series(1, 100) g;
SQL
	then
		cat /tmp/cx_upgrade_$$.err; echo "FAIL upgrade: install $from and store values"; continue
	fi
	# (c) its dump restores into a fresh install of the current version
	cx_fresh_db "$restored" upgrade
	if "$PG_BINDIR/pg_dump" -Fc -d "$old" -f /tmp/cx_upgrade_$$.dump 2>/tmp/cx_upgrade_$$.err &&
		"$PG_BINDIR/pg_restore" --exit-on-error -d "$restored" /tmp/cx_upgrade_$$.dump 2>/tmp/cx_upgrade_$$.err; then
		got=$(cx_psql -d "$restored" -At 2>&1 <<'SQL'
SELECT extversion FROM pg_extension WHERE extname = 'cx_metrics';
SELECT tally || ' ' || bytes FROM tally_wire;
INSERT INTO apps VALUES (3, now() - interval '70 days', NULL);
SELECT string_agg(id || ':' || cx_status, ',' ORDER BY id) FROM apps;
SQL
)
		want="$current
1..5: 20 20 20 20 20 54
1:breached,2:on_track,3:breached"
		[ "$got" = "$want" ] && echo "PASS upgrade: a dump of $from (a user's aggregate and view on its ratings functions, a tracked table) restores into $current" ||
			echo "FAIL upgrade: the dump of $from restored into $current: got '$got', want '$want'"
	else
		head -5 /tmp/cx_upgrade_$$.err; echo "FAIL upgrade: a dump of $from does not restore into $current"
	fi
	before=$(cx_psql -d "$old" -At -c "SELECT cx.percentile(sk, 0.5), cx.percentile(nsk, 0.9), cx.csat(r), std::text FROM stored")
	if cx_psql -d "$old" -c "ALTER EXTENSION cx_metrics UPDATE" >/dev/null 2>/tmp/cx_upgrade_$$.err; then
		echo "PASS upgrade: ALTER EXTENSION cx_metrics UPDATE from $from to $current"
	else
		cat /tmp/cx_upgrade_$$.err; echo "FAIL upgrade: ALTER EXTENSION cx_metrics UPDATE from $from"; continue
	fi
	catalog "$old" >/tmp/cx_upgrade_$$.old
	if diff /tmp/cx_upgrade_$$.fresh /tmp/cx_upgrade_$$.old >/tmp/cx_upgrade_$$.diff; then
		echo "PASS upgrade: objects after the update from $from equal a fresh install of $current ($(wc -l </tmp/cx_upgrade_$$.fresh) catalog rows)"
	else
		head -40 /tmp/cx_upgrade_$$.diff; echo "FAIL upgrade: objects after the update from $from differ from a fresh install (< fresh, > upgraded)"
	fi
	# the comparison sees what a faulty upgrade script would leave: one object
	# left out of the extension, one function's volatility changed (inside a
	# transaction that is rolled back)
	victim=$(cx_psql -d "$old" -At -c "SELECT p.oid::regprocedure FROM pg_proc p JOIN pg_depend d ON d.objid = p.oid
		AND d.classid = 'pg_proc'::regclass AND d.deptype = 'e' JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'cx_metrics'
		WHERE p.prokind = 'f' AND p.provolatile = 'i' ORDER BY p.proname DESC LIMIT 2" | tr '\n' ' ')
	left_out=${victim%% *}; changed=$(echo $victim | cut -d' ' -f2-)
	{ echo "BEGIN; ALTER EXTENSION cx_metrics DROP FUNCTION $left_out; ALTER FUNCTION $changed VOLATILE;"; cat test/catalog.sql; echo "; ROLLBACK;"; } |
		cx_psql -d "$old" -At -f - 2>&1 | grep -v '^\(BEGIN\|ALTER EXTENSION\|ALTER FUNCTION\|ROLLBACK\)$' >/tmp/cx_upgrade_$$.mut
	diff /tmp/cx_upgrade_$$.fresh /tmp/cx_upgrade_$$.mut >/tmp/cx_upgrade_$$.mdiff
	if [ -n "$left_out" ] && grep -q "^< member function $left_out\$" /tmp/cx_upgrade_$$.mdiff &&
		grep -q "^< function $changed | .* vol=i " /tmp/cx_upgrade_$$.mdiff && grep -q "^> function $changed | .* vol=v " /tmp/cx_upgrade_$$.mdiff &&
		[ "$(grep -c '^[<>]' /tmp/cx_upgrade_$$.mdiff)" -ge 3 ]; then
		echo "PASS upgrade: the comparison catches a left-out $left_out and a changed volatility of $changed"
	else
		head -20 /tmp/cx_upgrade_$$.mdiff; echo "FAIL upgrade: the comparison missed a left-out object or a changed volatility ($victim)"
	fi
	after=$(cx_psql -d "$old" -At -c "SELECT cx.percentile(sk, 0.5), cx.percentile(nsk, 0.9), cx.csat(r), std::text FROM stored")
	if [ -n "$before" ] && [ "$before" = "$after" ]; then
		echo "PASS upgrade: stored sketches, ratings and standards read the same after the update from $from"
	else
		echo "FAIL upgrade: stored values before '$before', after '$after'"
	fi
	got=$(cx_psql -d "$old" -At <<'SQL' 2>&1
INSERT INTO apps VALUES (3, now() - interval '70 days', NULL);
UPDATE apps SET decided_at = now() WHERE id = 1;
SELECT string_agg(id || ':' || cx_status, ',' ORDER BY id) FROM apps;
SELECT string_agg(key || ':' || coalesce(old_status, '-') || '>' || new_status || ':' || (relid = 'apps'::regclass), ',' ORDER BY id) FROM cx.breach_log;
SELECT count(*) FROM cx.sweep('apps', since => '-infinity');
SQL
)
	want="1:missed,2:on_track,3:breached
1:->breached:true,3:->breached:true,1:breached>missed:true
1"
	if [ "$got" = "$want" ]; then
		echo "PASS upgrade: tracking after the update from $from (trigger, log with table oids, sweep)"
	else
		echo "FAIL upgrade: tracking after the update from $from: got '$got', want '$want'"
	fi
done
