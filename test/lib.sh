# Shared shell helpers for test/run.sh, test/demo.sh and test/bench.sh:
# install what is missing, build and install the extension, and run a
# throwaway PostgreSQL cluster on a private Unix socket.
# shellcheck shell=bash

CX_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PG_MAJOR=${PG_MAJOR:-15}
PG_BINDIR=${PG_BINDIR:-/usr/lib/postgresql/$PG_MAJOR/bin}
CX_PORT=${CX_PORT:-55432}
# tells apart the logs of runs against different installations
CX_TAG=$(printf '%s' "$PG_BINDIR" | cksum | cut -d' ' -f1)

# One make test / demo / bench at a time per PostgreSQL installation: they
# install into it.
cx_lock() {
	exec 9>"/tmp/cx_metrics.$CX_TAG.lock"
	flock 9
}

cx_say() { printf '%s\n' "cx_metrics: $*" >&2; }

# Make sure the build and the server are available; install with apt when root.
cx_ensure_deps() {
	local want=("$@") missing=() p
	want+=("postgresql-$PG_MAJOR" "postgresql-server-dev-$PG_MAJOR" gcc make)
	for p in "${want[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	if [ "$(id -u)" -ne 0 ]; then
		cx_say "missing Debian packages: ${missing[*]}"
		cx_say "install them with:  sudo apt-get install ${missing[*]}   (or run this command as root)"
		return 1
	fi
	cx_say "installing ${missing[*]} with apt-get"
	if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"; } >/tmp/cx_apt.log 2>&1; then
		cx_say "apt-get could not install ${missing[*]}; see /tmp/cx_apt.log"
		return 1
	fi
}

# Optional packages (comparison runs): install when possible, never fail.
cx_try_packages() {
	local p missing=()
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	[ "$(id -u)" -eq 0 ] || { cx_say "optional packages not installed: ${missing[*]}"; return 1; }
	{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"; } >/tmp/cx_apt_opt.log 2>&1 \
		|| { cx_say "could not install optional ${missing[*]}"; return 1; }
}

# Build and install the extension into the PostgreSQL installation.
cx_build_install() {
	local pgc="$PG_BINDIR/pg_config" jobs
	jobs=$(nproc 2>/dev/null || echo 2)
	# objects built for another PostgreSQL (another pg_config, or another
	# minor release's headers) are rebuilt from scratch
	local stamp="$CX_ROOT/.build/pg_config" want
	want="$pgc $("$pgc" --version 2>/dev/null) $("$pgc" --includedir-server 2>/dev/null)"
	if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
		make -C "$CX_ROOT" -s clean PG_CONFIG="$pgc" >/dev/null 2>&1
		mkdir -p "$CX_ROOT/.build" && printf '%s\n' "$want" >"$stamp"
	fi
	# the project's own builds treat every warning as an error
	make -C "$CX_ROOT" -s -j"$jobs" PG_CONFIG="$pgc" WERROR=-Werror >/tmp/cx_build.$CX_TAG.log 2>&1 \
		|| { cat /tmp/cx_build.$CX_TAG.log >&2; cx_say "build failed"; return 1; }
	# and so does any warning of the bitcode compiler (clang, for JIT inlining)
	if grep -q 'warning:' /tmp/cx_build.$CX_TAG.log; then
		cat /tmp/cx_build.$CX_TAG.log >&2; cx_say "the build printed warnings"; return 1
	fi
	if [ "$(id -u)" -ne 0 ] && [ ! -w "$("$pgc" --pkglibdir)" ]; then
		cx_say "cannot write $("$pgc" --pkglibdir): run as root, or 'sudo make install' first"
		return 1
	fi
	make -C "$CX_ROOT" -s install PG_CONFIG="$pgc" >>/tmp/cx_build.$CX_TAG.log 2>&1 \
		|| { cat /tmp/cx_build.$CX_TAG.log >&2; cx_say "install failed"; return 1; }
}

# Run a command as the cluster owner (postgres when we are root).
cx_as_owner() {
	if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# Start a throwaway cluster in a temporary directory; sets CX_PGDATA, PGHOST, PGPORT.
cx_cluster_start() {
	CX_TMP=$(mktemp -d /tmp/cx_cluster.XXXXXX)
	CX_PGDATA=$CX_TMP/data
	[ "$(id -u)" -eq 0 ] && chown postgres: "$CX_TMP"
	chmod 755 "$CX_TMP"
	cx_as_owner "$PG_BINDIR/initdb" -D "$CX_PGDATA" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$CX_TMP/initdb.log" 2>&1 \
		|| { cat "$CX_TMP/initdb.log" >&2; cx_say "initdb failed"; return 1; }
	cat >>"$CX_PGDATA/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$CX_TMP'
port = $CX_PORT
fsync = off
synchronous_commit = off
full_page_writes = off
max_worker_processes = 16
shared_preload_libraries = '${CX_PRELOAD:-}'
cron.database_name = '${CX_CRON_DB:-postgres}'
cron.use_background_workers = on
${CX_EXTRA_CONF:-}
CONF
	cx_as_owner "$PG_BINDIR/pg_ctl" -D "$CX_PGDATA" -l "$CX_TMP/server.log" -w -t 60 start >/dev/null \
		|| { cat "$CX_TMP/server.log" >&2; cx_say "server did not start"; return 1; }
	export PGHOST=$CX_TMP PGPORT=$CX_PORT PGUSER=postgres
	trap cx_cluster_stop EXIT
}

# Stop the throwaway cluster and remove its directory.
cx_cluster_stop() {
	[ -n "${CX_PGDATA:-}" ] || return 0
	cx_as_owner "$PG_BINDIR/pg_ctl" -D "$CX_PGDATA" -m immediate -w stop >/dev/null 2>&1 || true
	[ -n "${CX_KEEP:-}" ] || rm -rf "$CX_TMP"
	CX_PGDATA=
}

cx_psql() { "$PG_BINDIR/psql" -X -v ON_ERROR_STOP=1 -q "$@"; }

# A new empty database for a test script (a leftover one is dropped first);
# reports FAIL for the script and exits when it cannot be created.
cx_fresh_db() { # db test
	cx_psql -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1" >/dev/null ||
		{ echo "FAIL $2: create database"; exit 1; }
}

# Drop a test script's database (for its EXIT trap).
cx_drop_db() { cx_psql -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $1" >/dev/null 2>&1; }
