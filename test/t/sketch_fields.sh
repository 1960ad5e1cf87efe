#!/usr/bin/env bash
# Binary input (recv) of a sketch rejects exact fields that contradict the
# count, as the text input does: a one-value sketch whose maximum differs
# from its minimum by a microsecond (a binary COPY file patched in place).
# Needs PGHOST/PGPORT/PGUSER of a running server (test/run.sh sets them).
set -u
. "$(dirname "$0")/../lib.sh"
db=cx_t_sketch_fields
bin=$(mktemp /tmp/cx_sketch_fields.XXXXXX)
trap 'rm -f "$bin"; cx_drop_db "$db"' EXIT
cx_fresh_db "$db" sketch_fields
cx_psql -d "$db" >/dev/null <<'SQL' || { echo "FAIL sketch_fields: setup"; exit 1; }
CREATE EXTENSION cx_metrics;
CREATE TABLE s (c cx.cycle_sketch);
INSERT INTO s SELECT cx.cycle_sketch(interval '1 day');
SQL
cx_psql -d "$db" -c "\\copy s TO '$bin' (FORMAT binary)" || { echo "FAIL sketch_fields: copy out"; exit 1; }
# file header 19 bytes, field count 2, field length 4: the value starts at 25;
# version 1, flags 1, alpha 8, count 8, zeros 8, min 8: max at 59..66
# (86400000000 microseconds, last byte 0x00)
out=$(cx_psql -d "$db" -c "TRUNCATE s" -c "\\copy s FROM '$bin' (FORMAT binary)" -Atc "SELECT cx.percentile(c, 1) = cx.max(c) FROM s" 2>&1)
if [ "$out" = t ]; then
	echo "PASS sketch_fields: an unchanged binary sketch reads back"
else
	echo "FAIL sketch_fields: unchanged binary sketch: $out"
fi
printf '\001' | dd of="$bin" bs=1 seek=66 conv=notrunc 2>/dev/null
out=$(cx_psql -d "$db" -c "TRUNCATE s" -c "\\copy s FROM '$bin' (FORMAT binary)" 2>&1)
case $out in
*"invalid binary data for type cx.cycle_sketch"*"one value"*)
	echo "PASS sketch_fields: a one-value sketch with max <> min is rejected by recv" ;;
*) echo "FAIL sketch_fields: patched binary sketch accepted or wrong error: $out" ;;
esac
[ "$(cx_psql -d "$db" -Atc "SELECT count(*) FROM s")" = 0 ] &&
	echo "PASS sketch_fields: nothing was stored" || echo "FAIL sketch_fields: a row was stored"
