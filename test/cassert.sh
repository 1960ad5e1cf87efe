#!/usr/bin/env bash
# make test-cassert: the whole suite (make test) against PostgreSQL 15 built
# with assertions (--enable-cassert), from Debian's source package
# postgresql-15 as Debian's archive has it.  The build is cached under
# $CX_CASSERT (default /var/cache/cx_metrics/pg15-cassert) and reused.
set -u
. "$(dirname "$0")/lib.sh"
cd "$CX_ROOT" || exit 2
base=${CX_CASSERT:-/var/cache/cx_metrics/pg15-cassert}
prefix=$base/install
fail() { cx_say "$*"; echo "0 passed, 1 failed"; exit 1; }

if [ ! -x "$prefix/bin/postgres" ]; then
	[ "$(id -u)" -eq 0 ] || fail "the assert-enabled build downloads Debian's source package and builds it: run as root"
	cx_ensure_deps dpkg-dev libreadline-dev zlib1g-dev pkg-config || fail "build dependencies missing"
	rm -rf "$base" && mkdir -p "$base/apt/lists/partial" "$base/src"
	# a private apt configuration that knows the host's suites as deb-src
	sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources >"$base/apt/src.sources" 2>/dev/null
	[ -s "$base/apt/src.sources" ] || sed -n 's/^deb \(.*\)/deb-src \1/p' /etc/apt/sources.list >"$base/apt/src.list"
	apt_src=(-o Dir::Etc::SourceParts="$base/apt" -o Dir::Etc::SourceList=/dev/null -o Dir::State::Lists="$base/apt/lists")
	cx_say "downloading Debian's source of postgresql-15 and building it with --enable-cassert (about 5 minutes)"
	apt-get "${apt_src[@]}" update >"$base/download.log" 2>&1 || fail "apt-get update (deb-src) failed; see $base/download.log"
	# the newest version whose files the mirror serves (a mirror may lack the security pool's sources)
	got=
	for ver in $(apt-cache "${apt_src[@]}" showsrc postgresql-15 | sed -n 's/^Version: //p' | sort -rV); do
		(cd "$base/src" && apt-get "${apt_src[@]}" source --download-only "postgresql-15=$ver") >>"$base/download.log" 2>&1 && { got=$ver; break; }
		rm -f "$base"/src/*
	done
	[ -n "$got" ] || fail "could not download the postgresql-15 source package; see $base/download.log"
	orig=$(ls "$base"/src/postgresql-15_*.orig.tar.* 2>/dev/null | head -1)
	[ -n "$orig" ] || fail "no postgresql-15 source tarball in $base/src"
	tar -C "$base/src" -xf "$orig" || fail "cannot unpack $orig"
	dir=$(ls -d "$base"/src/postgresql-15*/ | head -1)
	# PostgreSQL's build generates its headers only as a top-level make
	unset MAKELEVEL MAKEFLAGS MFLAGS
	{ cd "$dir" &&
		./configure --prefix="$prefix" --enable-cassert --enable-debug --without-icu --without-llvm CFLAGS="-O2 -g" &&
		make -s -j"$(nproc)" &&
		make -s install; } >"$base/build.log" 2>&1
	cd "$CX_ROOT" || exit 2
	[ -x "$prefix/bin/postgres" ] || fail "the assert-enabled build failed; see $base/build.log"
fi
"$prefix/bin/pg_config" --configure | grep -q -- --enable-cassert || fail "$prefix is not built with --enable-cassert"
cx_say "PostgreSQL $("$prefix/bin/pg_config" --version | cut -d' ' -f2) with assertions in $prefix"
PG_BINDIR=$prefix/bin CX_PORT=${CX_PORT_CASSERT:-55442} CX_EXPECT_ASSERTS=1 bash test/run.sh
