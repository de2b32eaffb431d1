# solidata - one plain, non-recursive GNU Makefile. `make help` lists the targets.
.SUFFIXES:
.DEFAULT_GOAL := all
SHELL := /bin/bash

PREFIX  ?= /usr/local
DESTDIR ?=
CC      ?= cc
CFLAGS  ?= -O2 -g
PKGS    := sqlite3 gdal jansson libsodium gsl libmicrohttpd cairo librsvg-2.0 nlopt zlib libcurl libxml-2.0 libpq
# GLPK ships no pkg-config file on Debian: linked by name, its header checked below.
LIBS_EXTRA := -lglpk
TOOLS   := pkg-config sqlite3 clang clang-format curl cppcheck jq xgettext msgfmt msgmerge xmllint

# Dependencies: when a pkg-config or tool check fails, run the one install script first.
ifeq ($(filter clean help format,$(MAKECMDGOALS)),)
DEPS_OK := $(shell pkg-config --exists $(PKGS) 2>/dev/null && test -f /usr/include/glpk.h && \
             for t in $(TOOLS); do command -v $$t >/dev/null || exit 1; done && echo ok)
ifneq ($(DEPS_OK),ok)
$(info solidata: build dependencies missing; running scripts/install-deps)
DEPS_RC := $(shell scripts/install-deps >&2; echo $$?)
ifneq ($(DEPS_RC),0)
$(error scripts/install-deps failed (exit $(DEPS_RC)); install the packages it lists and retry)
endif
endif
endif

# SAN=address,undefined builds everything instrumented into its own directory.
ifdef SAN
BUILD   ?= build/san
SANFLAGS := -fsanitize=$(SAN) -fno-sanitize-recover=all -fno-omit-frame-pointer \
            -DSOL_FAULT_INJECTION
CFLAGS  := -O1 -g
else
BUILD   ?= build
SANFLAGS :=
endif

WARN := -std=c11 -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wconversion \
        -Wno-sign-conversion -Wno-missing-field-initializers
ifdef WERROR
WARN += -Werror
endif
# GDAL and librsvg (with Cairo and GLib) are opened with dlopen when first needed, not linked:
# together they cost every run of the command about 0.1 s of CPU (src/core/dl.c). Their headers
# are used as usual; their file names come from the installed libraries.
PKGS_DLOPEN := gdal cairo librsvg-2.0
soname = $(shell objdump -p "$$($(CC) -print-file-name=$(1).so)" 2>/dev/null | \
                 awk '$$1 == "SONAME" { print $$2 }')
GDAL_SONAME := $(or $(call soname,libgdal),libgdal.so)
RSVG_SONAME := $(or $(call soname,librsvg-2),librsvg-2.so)
DEP_CFLAGS := $(patsubst -I%,-isystem %,$(shell pkg-config --cflags $(PKGS) 2>/dev/null)) \
              -DSOL_GDAL_SONAME='"$(GDAL_SONAME)"' -DSOL_RSVG_SONAME='"$(RSVG_SONAME)"'
DEP_LIBS   := $(shell pkg-config --libs $(filter-out $(PKGS_DLOPEN),$(PKGS)) 2>/dev/null) \
              $(LIBS_EXTRA) -ldl -lpthread -lm
ALL_CFLAGS := $(WARN) -D_POSIX_C_SOURCE=200809L -D_FILE_OFFSET_BITS=64 -fPIC \
              -fvisibility=hidden -fopenmp -Iinclude -Isrc $(DEP_CFLAGS) $(CPPFLAGS) \
              $(CFLAGS) $(SANFLAGS)
ALL_LDFLAGS := -fopenmp $(LDFLAGS) $(SANFLAGS)

LIB_SRC  := $(sort $(wildcard src/*/*.c))
CLI_SRC  := $(sort $(wildcard cli/*.c))
TEST_SRC := $(sort $(wildcard tests/unit/test_*.c))
ifndef SAN
# allocation-failure tests need a build with SOL_FAULT_INJECTION: the sanitizer build (check-san,
# check-oom) runs them
TEST_SRC := $(filter-out tests/unit/test_oom.c,$(TEST_SRC))
endif
WEB      := $(sort $(wildcard web/*.html web/*.js web/*.css web/*.svg web/*.json))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o) $(BUILD)/gen/web_assets.o $(BUILD)/gen/catalogs.o
PO       := $(sort $(wildcard po/*.po))
MO       := $(PO:po/%.po=$(BUILD)/locale/%.mo)
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/%.o)
TEST_BIN := $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)
SOLIDATA := $(BUILD)/solidata

all: $(BUILD)/libsolidata.a $(BUILD)/libsolidata.so.0 $(SOLIDATA)

$(BUILD)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

# the dashboard's files, embedded into the library
$(BUILD)/gen/web_assets.c: $(WEB) tools/embed.sh
	@mkdir -p $(@D)
	tools/embed.sh $(WEB) > $@

$(BUILD)/gen/web_assets.o: $(BUILD)/gen/web_assets.c
	$(CC) $(ALL_CFLAGS) -Wno-overlength-strings -c $< -o $@

# the message catalogues (po/LANG.po, GNU gettext), compiled and embedded into the library
$(BUILD)/locale/%.mo: po/%.po
	@mkdir -p $(@D)
	msgfmt --check -o $@ $<

$(BUILD)/gen/catalogs.c: $(MO) tools/embed-catalogs.sh
	@mkdir -p $(@D)
	tools/embed-catalogs.sh $(foreach m,$(MO),$(basename $(notdir $(m)))=$(m)) > $@

$(BUILD)/gen/catalogs.o: $(BUILD)/gen/catalogs.c
	$(CC) $(ALL_CFLAGS) -Wno-overlength-strings -c $< -o $@

# po/*.po brought up to date with the messages of the code (new ones empty, changed ones fuzzy):
# translate what is empty or fuzzy, then `make check-i18n`.
po:
	@mkdir -p build/i18n
	tools/i18n-extract.sh build/i18n/solidata.pot
	@for p in $(PO); do msgmerge --quiet --update --backup=none --no-location --no-wrap $$p build/i18n/solidata.pot; done

check-i18n:
	@mkdir -p build/results
	@tools/check-i18n.sh build

$(BUILD)/libsolidata.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/libsolidata.so.0: $(LIB_OBJ)
	$(CC) -shared -Wl,-soname,libsolidata.so.0 $(ALL_LDFLAGS) -o $@ $^ $(DEP_LIBS)

$(SOLIDATA): $(CLI_OBJ) $(BUILD)/libsolidata.a
	$(CC) $(ALL_LDFLAGS) -o $@ $(CLI_OBJ) $(BUILD)/libsolidata.a $(DEP_LIBS)

$(BUILD)/tests/%: tests/unit/%.c tests/unit/harness.h tests/unit/csv_fields.h tests/unit/test_util.h \
                   $(BUILD)/libsolidata.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Itests/unit $(ALL_LDFLAGS) -o $@ $< $(TEST_EXTRA) $(BUILD)/libsolidata.a \
	  $(DEP_LIBS)

# the rendering test reads the PNG it made back with Cairo itself
$(BUILD)/tests/test_render: TEST_EXTRA := $(shell pkg-config --libs cairo 2>/dev/null)

# the option parser of the command is tested on its own, with the command's message helpers
$(BUILD)/tests/test_cli_opt: $(BUILD)/cli/opt.o $(BUILD)/cli/out.o
$(BUILD)/tests/test_cli_opt: TEST_EXTRA := $(BUILD)/cli/opt.o $(BUILD)/cli/out.o -Icli

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d)

# ---- tests ----------------------------------------------------------------------------------
# Each runner appends "passed failed" to $(BUILD)/results; check-summary prints the one total line.
check-unit: $(TEST_BIN)
	@mkdir -p $(BUILD)/results
	@tests/unit/run.sh $(BUILD) $(TEST_BIN)

check-cli: $(SOLIDATA)
	@mkdir -p $(BUILD)/results
	@CLI_TESTS="$(CLI_TESTS)" tests/cli/run.sh $(BUILD) $(SOLIDATA)

# The same CLI tests on PostgreSQL/PostGIS: one throwaway cluster (scripts/pg-cluster), one
# database per test (docs/postgresql.md).
check-cli-pg: $(SOLIDATA)
	@mkdir -p $(BUILD)/results
	@SOLIDATA_TEST_BACKEND=postgresql CLI_TESTS="$(CLI_TESTS)" tests/cli/run.sh $(BUILD) $(SOLIDATA)

# The unit tests that open a store (they ask test_store_target or test_store_new,
# tests/unit/test_util.h, for it) with their stores on PostgreSQL/PostGIS: one throwaway cluster,
# one database per store.
STORE_TEST_BIN := $(filter $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(shell grep -lE \
                    'test_store_(target|new)' $(TEST_SRC))),$(TEST_BIN))
.PHONY: check-unit-pg
check-unit-pg: $(STORE_TEST_BIN)
	@mkdir -p $(BUILD)/results
	@SOLIDATA_TEST_BACKEND=postgresql tests/unit/run.sh $(BUILD) $(STORE_TEST_BIN)

# Browser tests: playwright-core from tests/browser/package-lock.json (npm ci, never a browser
# download) driving Debian's chromium; screenshots in $(BUILD)/browser.
check-browser: $(SOLIDATA)
	@mkdir -p $(BUILD)/results
	@PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 tests/browser/run.sh $(BUILD) $(SOLIDATA)

# The sanitizer build runs the unit tests and the CLI tests on PostgreSQL: `make check` runs the
# CLI tests on SQLite with the plain build, so every CLI test meets both backends and ASan once
# each (SAN_BACKEND=sqlite for the sanitizer on SQLite). Each runs even when the other failed.
SAN_BACKEND ?= postgresql
check-san:
	@mkdir -p build/san/results
	@$(MAKE) --no-print-directory SAN=address,undefined all $(TEST_BIN:$(BUILD)/%=build/san/%)
	@u=0; $(MAKE) --no-print-directory -j1 SAN=address,undefined check-unit || u=1; \
	 label=cli; [ "$(SAN_BACKEND)" = sqlite ] || label=cli-pg; \
	 SOLIDATA_TEST_BACKEND=$(SAN_BACKEND) $(MAKE) --no-print-directory -j1 SAN=address,undefined \
	   check-cli || u=1; \
	 [ -f build/san/results/$$label ] || echo "0 1" > build/san/results/build; exit $$u

# Builds use every core (JOBS); the test runners run one after the other.
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
# Every step runs even when an earlier one failed; a step that failed without recording its
# counts (a build error, say) counts as one failure. The last line is the total.
# Allocation failures at every point of the parsers and imports (tests/unit/test_oom.c), under
# ASan/LSan so that no failure path leaks; also part of check-san.
check-oom:
	@$(MAKE) --no-print-directory SAN=address,undefined build/san/tests/test_oom
	@mkdir -p build/san/results
	@tests/unit/run.sh build/san build/san/tests/test_oom

check:
	@rm -rf build/results build/san/results; mkdir -p build/results
	@step() { name=$$1; shift; t0=$$SECONDS; \
	          "$$@" || { [ -f build/results/$$name ] || echo "0 1" > build/results/$$name; }; \
	          echo "step $$name: $$((SECONDS - t0)) s" >> build/step-times; }; \
	 : > build/step-times; \
	 step build     $(MAKE) --no-print-directory -j$(JOBS) all $(TEST_BIN); \
	 step unit      $(MAKE) --no-print-directory check-unit; \
	 step cli       $(MAKE) --no-print-directory check-cli; \
	 step unit-pg   $(MAKE) --no-print-directory check-unit-pg; \
	 step browser   $(MAKE) --no-print-directory check-browser; \
	 step san       $(MAKE) --no-print-directory -j$(JOBS) check-san; \
	 step fuzz      $(MAKE) --no-print-directory -j$(JOBS) check-fuzz; \
	 step i18n      tools/check-i18n.sh build; \
	 step symbols   tools/check-symbols.sh build/libsolidata.so.0; \
	 step checksrc  tools/checksrc.sh; \
	 step format    $(MAKE) --no-print-directory check-format; \
	 echo "time per step: $$(tr '\n' ' ' < build/step-times)"; \
	 cat build/results/* build/san/results/* 2>/dev/null | \
	   awk '{p+=$$1; f+=$$2; k+=$$3} END {printf "%d passed, %d failed", p, f; \
	        if (k) printf ", %d skipped", k; printf "\n"; exit (f>0)}'

# Fuzz smoke: each parser target runs FUZZ_SECONDS under libFuzzer + ASan on its kept corpus.
# The library is compiled once for fuzzing (build/fuzz/obj, archived), and every target links
# what it needs from that archive.
FUZZ_SECONDS ?= 12
FUZZ_CFLAGS := -g -O1 -fsanitize=fuzzer-no-link,address,undefined -std=c11 \
               -D_POSIX_C_SOURCE=200809L -D_FILE_OFFSET_BITS=64 -Iinclude -Isrc $(DEP_CFLAGS)
FUZZ_OBJ := $(LIB_SRC:%.c=build/fuzz/obj/%.o) build/fuzz/obj/gen/web_assets.o \
            build/fuzz/obj/gen/catalogs.o
FUZZ_TARGETS := $(patsubst fuzz/%.c,build/fuzz/%,$(wildcard fuzz/fuzz_*.c))
build/fuzz/obj/%.o: %.c
	@mkdir -p $(@D)
	clang $(FUZZ_CFLAGS) -MMD -MP -c $< -o $@
build/fuzz/obj/gen/web_assets.o: $(BUILD)/gen/web_assets.c
	@mkdir -p $(@D)
	clang $(FUZZ_CFLAGS) -Wno-overlength-strings -c $< -o $@
build/fuzz/obj/gen/catalogs.o: $(BUILD)/gen/catalogs.c
	@mkdir -p $(@D)
	clang $(FUZZ_CFLAGS) -Wno-overlength-strings -c $< -o $@
build/fuzz/libsolidata-fuzz.a: $(FUZZ_OBJ)
	@rm -f $@
	ar rcs $@ $^
build/fuzz/%: fuzz/%.c build/fuzz/libsolidata-fuzz.a
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer,address,undefined -o $@ $< \
	  build/fuzz/libsolidata-fuzz.a $(DEP_LIBS)
-include $(FUZZ_OBJ:.o=.d)
check-fuzz: $(FUZZ_TARGETS)
	@mkdir -p build/results
	@tests/fuzz-smoke.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)

# ---- demo, benchmarks, install ----------------------------------------------------------------
# make demo: the Italian demo then the French one; DEMO=it or DEMO=fr for one of them;
# DB=postgresql runs it on a throwaway PostgreSQL/PostGIS cluster
DEMO ?= all
demo: all
	@DB=$(DB) examples/demo.sh $(SOLIDATA) $(DEMO)

bench: all
	@bench/run.sh $(SOLIDATA)

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib $(DESTDIR)$(PREFIX)/include/solidata
	install -m 755 $(SOLIDATA) $(DESTDIR)$(PREFIX)/bin/solidata
	install -m 644 $(BUILD)/libsolidata.a $(DESTDIR)$(PREFIX)/lib/
	install -m 755 $(BUILD)/libsolidata.so.0 $(DESTDIR)$(PREFIX)/lib/
	ln -sf libsolidata.so.0 $(DESTDIR)$(PREFIX)/lib/libsolidata.so
	install -m 644 include/solidata/*.h $(DESTDIR)$(PREFIX)/include/solidata/

# The C sources as the project's .clang-format lays them out (checked by make check).
FORMAT_SRC = $(wildcard include/solidata/*.h src/*/*.[ch] cli/*.[ch] tests/unit/*.[ch] fuzz/*.c)
format:
	clang-format -i $(FORMAT_SRC)

check-format:
	@mkdir -p build/results
	@if clang-format --dry-run --Werror $(FORMAT_SRC) 2>build/format.log; then \
	   echo "format: $(words $(FORMAT_SRC)) files as .clang-format lays them out"; echo "1 0" > build/results/format; \
	 else grep -m 20 'error:' build/format.log; \
	   echo "format: $$(grep -c 'error:' build/format.log) place(s) differ from .clang-format; run 'make format'"; \
	   echo "0 1" > build/results/format; exit 1; fi

clean:
	rm -rf build

help:
	@echo "make            build libsolidata (.a, .so) and the solidata command into build/"
	@echo "make demo       install missing packages, build, import the bundled data, write the report"
	@echo "make check      unit + CLI + browser tests, again under ASan/UBSan, fuzz smoke, symbol, source and format checks"
	@echo "make format     lay the C sources out as .clang-format says (make check-format checks it)"
	@echo "make check-oom  allocation failures at every point of the parsers and imports, under ASan/LSan"
	@echo "make check-unit-pg  the unit tests that open a store, with their stores on a throwaway PostgreSQL"
	@echo "make check-browser  the dashboard in Debian's chromium (playwright-core from npm, test-only)"
	@echo "make bench      benchmarks (see bench/README.md)"
	@echo "make install    install into PREFIX (default /usr/local); DESTDIR honoured"

.PHONY: all po check-i18n check check-format check-unit check-cli check-cli-pg check-browser check-san check-fuzz check-oom demo bench install format clean help
