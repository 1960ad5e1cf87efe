#!/usr/bin/env bash
# The README's reference tables name every SQL object of the extension (as
# pg_describe_object lists the members of the extension) and nothing else,
# and the README stays a reference of at most 40,000 bytes.
#
# The convention this test reads (README.md, "Reference"):
# - a reference table is a Markdown table whose header row begins with
#   "| Object |"; every other table is left alone;
# - the first cell of each row of a reference table is one code span that
#   names one object:
#   - a function or aggregate as `cx.name(arg, ...)`, each argument written
#     as its type or as "name type" with the parameter's own name; OUT
#     parameters and defaults are left out; float8, float4, int, int2, int4,
#     int8, bool and timestamptz may stand for PostgreSQL's type names;
#   - any other object as pg_describe_object names it: `type cx.ratings`,
#     `table cx.tracked`, `sequence cx.breach_log_id_seq`,
#     `operator cx.=(cx.standard, cx.standard)`,
#     `operator class cx.standard_ops for access method btree`,
#     `event trigger cx_track_dropped`;
#   blanks after commas do not matter.
# Needs PGHOST/PGPORT/PGUSER of a running server (test/run.sh sets them).
set -u
. "$(dirname "$0")/../lib.sh"
db=cx_t_readme_catalog
readme=$CX_ROOT/README.md
cells=$(mktemp /tmp/cx_readme_cells.XXXXXX)
out=$(mktemp /tmp/cx_readme_out.XXXXXX)
trap 'rm -f "$cells" "$out"; cx_drop_db "$db"' EXIT

bytes=$(wc -c <"$readme")
if [ "$bytes" -le 40000 ]; then
	echo "PASS readme_catalog: README.md is $bytes bytes (at most 40,000)"
else
	echo "FAIL readme_catalog: README.md is $bytes bytes, more than 40,000"
fi

# line number and first cell of every row of every reference table (a
# first cell that is not one code span is kept as it is: it names nothing)
awk '
	/^\| *Object *\|/ { intable = 1; next }
	intable && /^\|[-: |]+\|? *$/ { next }
	intable && /^\|/ {
		if (match($0, /^\| *`[^`]*` *\|/)) {
			cell = substr($0, RSTART, RLENGTH)
			sub(/^\| *`/, "", cell); sub(/` *\|$/, "", cell)
		} else {
			cell = $0; sub(/^\| */, "", cell); sub(/ *\|.*$/, "", cell); cell = "(not a code span) " cell
		}
		gsub(/\t/, " ", cell)
		printf "%d\t%s\n", NR, cell
		next
	}
	{ intable = 0 }
' "$readme" >"$cells"
nrows=$(wc -l <"$cells")

cx_fresh_db "$db" readme_catalog
cx_psql -d "$db" -c "CREATE EXTENSION cx_metrics" >/dev/null || { echo "FAIL readme_catalog: CREATE EXTENSION"; exit 1; }
if ! cx_psql -d "$db" -At -F '	' >"$out" <<SQL; then
CREATE TEMP TABLE readme (line int, cell text);
\\copy readme FROM '$cells' (FORMAT csv, DELIMITER E'\t', QUOTE E'\x01')
-- type names as pg_describe_object and format_type write them
CREATE FUNCTION pg_temp.norm(s text) RETURNS text LANGUAGE sql IMMUTABLE AS \$\$
	SELECT regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(
		   regexp_replace(regexp_replace(regexp_replace(btrim(regexp_replace(s, '\s+', ' ', 'g')),
		   '\s*,\s*', ',', 'g'), '\mtimestamptz\M', 'timestamp with time zone', 'g'),
		   '\mfloat8\M', 'double precision', 'g'), '\mfloat4\M', 'real', 'g'),
		   '\mint8\M', 'bigint', 'g'), '\m(int4|int)\M', 'integer', 'g'),
		   '\mint2\M', 'smallint', 'g'), '\mbool\M', 'boolean', 'g')
\$\$;
CREATE TEMP TABLE member AS
SELECT d.classid, d.objid, pg_describe_object(d.classid, d.objid, d.objsubid) AS what
FROM pg_depend d
WHERE d.refclassid = 'pg_extension'::regclass
  AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'cx_metrics')
  AND d.deptype = 'e'
  -- PostgreSQL 17 and later also record the implicit array type of every
  -- type and the row type of every table: they come with their type or table
  AND NOT EXISTS (SELECT FROM pg_type t
				  WHERE d.classid = 'pg_type'::regclass AND t.oid = d.objid
					AND (EXISTS (SELECT FROM pg_type e WHERE e.typarray = t.oid)
						 OR EXISTS (SELECT FROM pg_class c WHERE c.oid = t.typrelid AND c.relkind <> 'c')));
-- the input arguments of every member function: type and parameter name
CREATE TEMP TABLE member_arg AS
SELECT p.oid AS objid, a.o AS pos, format_type(a.t, NULL) AS typ, coalesce(a.n, '') AS argname
FROM pg_proc p
JOIN member m ON m.classid = 'pg_proc'::regclass AND m.objid = p.oid
CROSS JOIN LATERAL (
	SELECT t, n, row_number() OVER (ORDER BY o) AS o
	FROM unnest(coalesce(p.proallargtypes, p.proargtypes::oid[]),
				coalesce(p.proargnames, array_fill(NULL::text, ARRAY[cardinality(coalesce(p.proallargtypes, p.proargtypes::oid[]))])),
				coalesce(p.proargmodes, array_fill('i'::"char", ARRAY[cardinality(coalesce(p.proallargtypes, p.proargtypes::oid[]))])))
		 WITH ORDINALITY AS x(t, n, m, o)
	WHERE m IN ('i', 'b', 'v')) a;
-- a README function row: qualified name and its arguments, normalised
CREATE TEMP TABLE readme_fn AS
SELECT r.line, m[1] AS fname,
	   CASE WHEN btrim(m[2]) = '' THEN ARRAY[]::text[]
			ELSE (SELECT array_agg(pg_temp.norm(x) ORDER BY o) FROM unnest(string_to_array(m[2], ',')) WITH ORDINALITY AS u(x, o)) END AS args
FROM readme r, regexp_match(r.cell, '^\s*([A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*)\s*\((.*)\)\s*$') AS m;
CREATE TEMP TABLE matched AS
SELECT f.line, mb.what
FROM readme_fn f
JOIN pg_proc p ON p.pronamespace::regnamespace::text || '.' || p.proname = f.fname
JOIN member mb ON mb.classid = 'pg_proc'::regclass AND mb.objid = p.oid
WHERE (SELECT count(*) FROM member_arg a WHERE a.objid = p.oid) = cardinality(f.args)
  AND NOT EXISTS (SELECT FROM member_arg a
				  WHERE a.objid = p.oid
					AND f.args[a.pos] IS DISTINCT FROM a.typ
					AND (a.argname = '' OR f.args[a.pos] IS DISTINCT FROM a.argname || ' ' || a.typ))
UNION ALL
SELECT r.line, mb.what
FROM readme r JOIN member mb ON mb.classid <> 'pg_proc'::regclass AND pg_temp.norm(r.cell) = pg_temp.norm(mb.what);
SELECT 'rows', count(*) FROM readme;
SELECT 'members', count(*) FROM member;
SELECT 'missing', what FROM member m WHERE NOT EXISTS (SELECT FROM matched x WHERE x.what = m.what) ORDER BY what;
SELECT 'stale', 'line ' || line || ': ' || cell FROM readme r WHERE NOT EXISTS (SELECT FROM matched x WHERE x.line = r.line) ORDER BY line;
SELECT 'twice', what || ' (lines ' || string_agg(line::text, ', ' ORDER BY line) || ')' FROM matched GROUP BY what HAVING count(*) > 1 ORDER BY what;
SQL
	echo "FAIL readme_catalog: compare the README with the catalog"; exit 1
fi

members=$(awk -F'\t' '$1 == "members" { print $2 }' "$out")
rows=$(awk -F'\t' '$1 == "rows" { print $2 }' "$out")
[ "$rows" = "$nrows" ] || echo "FAIL readme_catalog: read $nrows reference rows, loaded $rows"
report() { # kind pass-message fail-message
	local n
	n=$(awk -F'\t' -v k="$1" '$1 == k' "$out" | wc -l)
	if [ "$n" -eq 0 ]; then
		echo "PASS readme_catalog: $2"
	else
		awk -F'\t' -v k="$1" '$1 == k { print "  " $2 }' "$out"
		echo "FAIL readme_catalog: $n $3"
	fi
}
report missing "every one of the extension's $members objects has a reference row" \
	"object(s) of the extension without a reference row in README.md (listed above)"
report stale "every one of the README's $rows reference rows names an object of the extension" \
	"reference row(s) in README.md naming no object of the extension (listed above)"
report twice "no object has two reference rows" "object(s) with more than one reference row (listed above)"
