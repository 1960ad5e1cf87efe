#!/usr/bin/env bash
# make test-versions: the whole suite (make test: unit tests, pg_regress and
# test/t) once per supported PostgreSQL major, each inside a minimal Debian
# root built with debootstrap from Debian's archive:
#
#   15  bookworm      17  trixie      18  sid      19  sid + experimental
#
# Roots are cached under $CX_ROOTS (default /var/cache/cx_metrics/roots), one
# directory per major, and reused when present; 'make test-versions-clean'
# removes them.  Prints one "PostgreSQL N: N passed, N failed" line per
# version and a total last; exits non-zero on any failure.
#
#   VERSIONS="17 18" make test-versions     only some versions
#   make bench-versions                      make bench in each root instead
#                                            (its report in $CX_ROOTS/pgN.bench.log)
#   CX_MIRROR=http://host/debian            another Debian mirror
set -u
. "$(dirname "$0")/lib.sh"
cd "$CX_ROOT" || exit 2

VERSIONS=${VERSIONS:-15 17 18 19}
CX_ROOTS=${CX_ROOTS:-/var/cache/cx_metrics/roots}
# the host's Debian mirror, as its apt sources name it
if [ -z "${CX_MIRROR:-}" ]; then
	CX_MIRROR=$(sed -n 's/^URIs: *\(http[^ ]*debian\/\{0,1\}\)$/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | grep -v security | head -1)
	[ -n "$CX_MIRROR" ] || CX_MIRROR=$(awk '$1 == "deb" && $2 ~ /debian\/?$/ { print $2; exit }' /etc/apt/sources.list 2>/dev/null)
	[ -n "$CX_MIRROR" ] || CX_MIRROR=http://deb.debian.org/debian
fi

if [ "$(id -u)" -ne 0 ]; then
	cx_say "make test-versions builds Debian roots with debootstrap and chroot: run it as root"
	echo "0 passed, 1 failed"
	exit 1
fi
cx_ensure_deps debootstrap || { echo "0 passed, 1 failed"; exit 1; }

suite_of() {
	case $1 in
	15) echo bookworm ;;
	17) echo trixie ;;
	18 | 19) echo sid ;;
	*) return 1 ;;
	esac
}

# Mount what apt and the server need inside a root (proc, a private /dev and
# its /dev/shm for parallel query); cx_root_umount undoes it.
cx_root_mount() {
	local r=$1
	mount -t proc proc "$r/proc" &&
		mount --bind /dev "$r/dev" && mount --make-private "$r/dev" &&
		mount -t tmpfs -o mode=1777,size=4g cxshm "$r/dev/shm"
}
cx_root_umount() {
	local r m p
	r=$(readlink -f "$1")
	# whatever still runs inside (a server left by an interrupted run)
	for p in /proc/[0-9]*; do
		[ "$(readlink "$p/root" 2>/dev/null)" = "$r" ] && kill -9 "${p#/proc/}" 2>/dev/null
	done
	for m in dev/shm dev proc; do
		mountpoint -q "$r/$m" && umount "$r/$m" 2>/dev/null
		mountpoint -q "$r/$m" && umount -l "$r/$m"
	done
	return 0
}

cx_in_root() { # root command...
	local r=$1
	shift
	chroot "$r" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		DEBIAN_FRONTEND=noninteractive "$@"
}

# Build the root of one major: debootstrap, apt sources, the server, its
# headers, the compiler and the optional packages the suite uses.
cx_build_root() { # major
	local v=$1 suite r tmp apt pkgs p
	suite=$(suite_of "$v") || { cx_say "PostgreSQL $v: no Debian suite known"; return 1; }
	r=$CX_ROOTS/pg$v
	tmp=$r.tmp
	rm -rf "$tmp"
	mkdir -p "$CX_ROOTS"
	debootstrap --variant=minbase "$suite" "$tmp" "$CX_MIRROR" >"$CX_ROOTS/pg$v.debootstrap.log" 2>&1 ||
		{ cx_say "PostgreSQL $v: debootstrap $suite failed; see $CX_ROOTS/pg$v.debootstrap.log"; return 1; }
	cp /etc/resolv.conf "$tmp/etc/resolv.conf" 2>/dev/null
	# the archive here is a snapshot: its sid and experimental Release files are past Valid-Until
	echo 'Acquire::Check-Valid-Until "false";' >"$tmp/etc/apt/apt.conf.d/99cx_metrics"
	echo "deb $CX_MIRROR $suite main" >"$tmp/etc/apt/sources.list"
	apt=(apt-get -y -qq --no-install-recommends)
	if [ "$v" = 19 ]; then
		# the server and its own packages from experimental, the rest from sid
		echo "deb $CX_MIRROR experimental main" >>"$tmp/etc/apt/sources.list"
		printf '%s\n' 'Package: postgresql* libpq*' 'Pin: release a=experimental' 'Pin-Priority: 500' \
			>"$tmp/etc/apt/preferences.d/cx_metrics"
	fi
	pkgs=("postgresql-$v" "postgresql-server-dev-$v" "postgresql-client-$v" gcc make libc6-dev)
	cx_root_mount "$tmp" || { cx_root_umount "$tmp"; return 1; }
	{
		cx_in_root "$tmp" apt-get update -qq &&
			cx_in_root "$tmp" "${apt[@]}" install "${pkgs[@]}"
	} >"$CX_ROOTS/pg$v.apt.log" 2>&1
	local rc=$?
	if [ $rc -eq 0 ]; then
		# optional: pg_cron (the cron scenario) and tdigest (make bench), when the suite has them
		for p in "postgresql-$v-cron" "postgresql-$v-tdigest"; do
			cx_in_root "$tmp" "${apt[@]}" install "$p" >>"$CX_ROOTS/pg$v.apt.log" 2>&1 ||
				cx_say "PostgreSQL $v: optional $p not available in $suite"
		done
	fi
	cx_root_umount "$tmp"
	[ $rc -eq 0 ] || { cx_say "PostgreSQL $v: apt-get failed in the root; see $CX_ROOTS/pg$v.apt.log"; return 1; }
	mv "$tmp" "$r"
}

# Copy the working tree (tracked and new files, no build output) into a root
# and run make test there; the mounts are undone however it ends.
cx_test_in_root() { # major log
	local v=$1 log=$2 r=$CX_ROOTS/pg$v
	rm -rf "$r/build" "$log.cross"
	mkdir -p "$r/build/cx_metrics"
	git ls-files -z --cached --others --exclude-standard | tar --null -T - -cf - | tar -C "$r/build/cx_metrics" -xf - ||
		{ echo "FAIL copying the tree into the root" >"$log"; return 1; }
	cx_root_mount "$r" || { cx_root_umount "$r"; echo "FAIL mounting /proc and /dev in the root" >"$log"; return 1; }
	trap 'cx_root_umount "$r"' EXIT
	trap 'cx_root_umount "$r"; exit 130' INT TERM
	if [ -n "${CX_BENCH:-}" ]; then
		cx_in_root "$r" env PG_MAJOR="$v" BENCH_ONLY="${BENCH_ONLY:-}" bash -c 'cd /build/cx_metrics && make bench' \
			>"$CX_ROOTS/pg$v.bench.log" 2>&1
		local brc=$?
		cx_root_umount "$r"
		trap - EXIT INT TERM
		echo "PostgreSQL $v: make bench exited $brc"
		cat "$CX_ROOTS/pg$v.bench.log"
		return $brc
	fi
	cx_in_root "$r" env PG_MAJOR="$v" bash -c 'cd /build/cx_metrics && make test' >"$log" 2>&1
	local rc=$?
	# dump and restore between this host's PostgreSQL 15 and the root's major
	if [ "$v" != 15 ] && [ -n "$host_ready" ]; then
		bash test/cross.sh "$v" "$r" >"$log.cross" 2>&1
		grep -E '^(PASS|FAIL)' "$log.cross" >>"$log"
		grep -q '^FAIL' "$log.cross" && cat "$log.cross" >&2
	fi
	cx_root_umount "$r"
	trap - EXIT INT TERM
	return $rc
}

# The cross-version dump and restore needs this host's PostgreSQL 15 with
# the extension installed.
host_ready=
[ -n "${CX_BENCH:-}" ] && VERSIONS_CROSS= || VERSIONS_CROSS=" $VERSIONS "
case "$VERSIONS_CROSS" in
*" 17 "* | *" 18 "* | *" 19 "*)
	if cx_ensure_deps && cx_build_install; then host_ready=1; else
		cx_say "PostgreSQL 15 on this host is not ready: the cross-version dump and restore is not run"
		host_fail=1
	fi ;;
esac

# Build every missing root in the background (mostly network-bound), and
# test each version as soon as its root is ready.
declare -A builder
for v in $VERSIONS; do
	suite_of "$v" >/dev/null || { cx_say "unsupported version $v (known: 15 17 18 19)"; exit 2; }
	if [ ! -d "$CX_ROOTS/pg$v" ]; then
		cx_say "PostgreSQL $v: building a $(suite_of "$v") root under $CX_ROOTS/pg$v"
		rm -f "$CX_ROOTS/pg$v.status"
		{ cx_build_root "$v"; echo $? >"$CX_ROOTS/pg$v.status"; } &
		builder[$v]=$!
	fi
done

total_p=0 total_f=0
for v in $VERSIONS; do
	if [ -n "${builder[$v]:-}" ]; then
		wait "${builder[$v]}" 2>/dev/null
		while kill -0 "${builder[$v]}" 2>/dev/null; do sleep 1; done
	fi
	if [ -n "${builder[$v]:-}" ] && [ "$(cat "$CX_ROOTS/pg$v.status" 2>/dev/null)" != 0 ]; then
		echo "PostgreSQL $v: 0 passed, 1 failed (no root)"
		total_f=$((total_f + 1))
		continue
	fi
	log=$CX_ROOTS/pg$v.test.log
	cx_test_in_root "$v" "$log"
	rc=$?
	[ -n "${CX_BENCH:-}" ] && continue
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -1)
	p=0 f=1
	[ -n "$line" ] && { p=${line%% passed*}; f=${line#*passed, }; f=${f%% failed}; }
	[ $rc -ne 0 ] && [ "$f" -eq 0 ] && f=1
	if [ -f "$log.cross" ]; then
		p=$((p + $(grep -c '^PASS' "$log.cross"))) f=$((f + $(grep -c '^FAIL' "$log.cross")))
		grep -q '^PASS' "$log.cross" || f=$((f + 1))
	fi
	if [ "$f" -ne 0 ]; then
		grep -E '^FAIL|\.\.\. FAILED|cx_metrics:' "$log" | head -40 >&2
		cx_say "PostgreSQL $v: see $log"
	fi
	echo "PostgreSQL $v: $p passed, $f failed"
	total_p=$((total_p + p)) total_f=$((total_f + f))
done
[ -n "${CX_BENCH:-}" ] && exit 0
[ -n "${host_fail:-}" ] && total_f=$((total_f + 1))
echo "$total_p passed, $total_f failed"
[ "$total_f" -eq 0 ] && [ "$total_p" -gt 0 ]
