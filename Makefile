# cx_metrics — PGXS build.  Targets a user runs: all, install, test, demo, bench, fuzz.

EXTENSION = cx_metrics
EXTVERSION = $(shell sed -n "s/^default_version = '\(.*\)'/\1/p" $(EXTENSION).control)

# The PostgreSQL to build for, as PGXS documents it: the pg_config on PATH
# (on Debian, the newest installed postgresql-server-dev-NN), or another one:
#   make PG_CONFIG=/usr/lib/postgresql/17/bin/pg_config
PG_CONFIG ?= pg_config

# The SQL parts of the install script, in dependency order.  Each concern
# keeps its declarations beside its C file (src/<part>.sql); parts not listed
# here are appended after these, in name order.
PARTS = common percentile sketch ratings standard calendar attainment track
PART_SQL = $(foreach p,$(PARTS),$(wildcard src/$(p).sql))
SQL_PARTS = $(PART_SQL) $(filter-out $(PART_SQL),$(sort $(wildcard src/*.sql)))

MODULE_big = $(EXTENSION)
# pure computations live in src/*_core.c (no PostgreSQL headers): unit tested alone
OBJS = $(patsubst %.c,%.o,$(sort $(wildcard src/*.c)))
DATA_built = $(EXTENSION)--$(EXTVERSION).sql
# released install scripts (kept as released) and the upgrade scripts between them
DATA = $(wildcard upgrade/$(EXTENSION)--*.sql) $(wildcard upgrade/$(EXTENSION)--*.control)
# make installcheck: the pg_regress suite of sql/ against a running server
# (PGHOST, PGPORT, PGUSER as for psql; the role must be able to create databases
# and, for the security tests, roles)
REGRESS = $(patsubst sql/%.sql,%,$(sort $(wildcard sql/*.sql)))
REGRESS_OPTS = --inputdir=. --dbname=cx_regress
EXTRA_CLEAN = $(EXTENSION)--$(EXTVERSION).sql results regression.diffs regression.out test/unit/bin test/fuzz/bin

# Warnings are errors only in the project's own test and CI builds (test/lib.sh
# passes WERROR=-Werror), so that other compilers and a distribution's flags
# build cleanly.  PostgreSQL's own headers are included as system headers
# (they do not build warning-free under -Wextra); the extension's code gets
# every warning.
WERROR ?=
PG_CFLAGS = -Wall -Wextra $(WERROR)
# clang with a server built by gcc: its recorded gcc-only flags are not our warnings
ifneq ($(findstring clang,$(CC)),)
PG_CFLAGS += -Wno-unknown-warning-option -Wno-ignored-optimization-argument
endif
PG_CPPFLAGS = -isystem $(shell $(PG_CONFIG) --includedir-server 2>/dev/null)

PGXS := $(shell $(PG_CONFIG) --pgxs 2>/dev/null)
ifneq ($(wildcard $(PGXS)),)
include $(PGXS)
else
all install installcheck:
	@echo "cx_metrics: the PostgreSQL server headers are missing (no PGXS from '$(PG_CONFIG)')." >&2
	@echo "  Install them for your server, e.g.:  sudo apt-get install postgresql-server-dev-15" >&2
	@echo "  pick another PostgreSQL with:  make PG_CONFIG=/usr/lib/postgresql/17/bin/pg_config" >&2
	@echo "  or run 'make test' / 'make demo' as root, which installs them for you." >&2
	@exit 1
endif

# every object depends on every header of the project (small project: simple and safe)
$(OBJS): $(wildcard src/*.h)

$(EXTENSION)--$(EXTVERSION).sql: $(SQL_PARTS) $(EXTENSION).control
	@{ echo "-- $(EXTENSION) $(EXTVERSION): generated from src/*.sql by make; do not edit"; \
	   printf '%s\n' '\echo Use "CREATE EXTENSION $(EXTENSION)" to load this file. \quit'; \
	   for f in $(SQL_PARTS); do echo; echo "-- ---- $$f"; cat $$f; done; } > $@

# The two commands of the README, and the benchmark.
.PHONY: test test-versions bench-versions test-cassert test-versions-clean demo bench unit fuzz
test:
	@bash test/run.sh

# The whole suite once per supported PostgreSQL major (15, 17, 18, 19), each in
# a cached minimal Debian root (as root; VERSIONS="17 18" for some).
test-versions:
	@bash test/versions.sh

# make bench in each root of make test-versions (VERSIONS="17 18" for some)
bench-versions:
	@CX_BENCH=1 bash test/versions.sh

# The whole suite against PostgreSQL 15 built with assertions from Debian's
# source package (built once, about 10 minutes, and cached).
test-cassert:
	@bash test/cassert.sh

test-versions-clean:
	rm -rf $${CX_ROOTS:-/var/cache/cx_metrics/roots}

demo:
	@bash test/demo.sh

bench:
	@bash test/bench.sh

# Unit tests of the pure-C parts only (no server needed).
unit:
	@bash test/unit.sh

# Fuzz every parser and binary decoder of the pure-C parts with libFuzzer
# (clang, ASan + UBSan), FUZZ_SECONDS seconds per target.
FUZZ_SECONDS ?= 60
fuzz:
	@FUZZ_SECONDS=$(FUZZ_SECONDS) bash test/fuzz.sh
