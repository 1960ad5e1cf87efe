#!/usr/bin/env bash
# make demo: build, install, start a throwaway cluster, load the sample agency
# data set, and print the report.  The report is made of the parts in
# test/demo/*.sql, run in name order (00_* load data, the rest print).
set -u
. "$(dirname "$0")/lib.sh"
cd "$CX_ROOT" || exit 2
cx_lock
cx_ensure_deps || exit 1
cx_build_install || exit 1
cx_cluster_start || exit 1
cx_psql -d postgres -c "CREATE DATABASE cx_demo" || exit 1
export PGDATABASE=cx_demo
cx_psql -c "CREATE EXTENSION cx_metrics" || exit 1
cx_say "loading the sample agency data set (about 200,000 transactions; takes a few seconds)"
for part in test/demo/*.sql; do
	case $(basename "$part") in
	0*) cx_psql -f "$part" >/dev/null || { cx_say "loading $part failed"; exit 1; } ;;
	*) cx_psql -P footer=off -f "$part" || { cx_say "report part $part failed"; exit 1; } ;;
	esac
done
cx_cluster_stop
trap - EXIT
