# Jiazheng build. `make` builds build/jiazheng; `make run` and `make test` are the two
# commands README.md documents. Generated sources go to build/gen/.

CC      ?= cc
# V=1 shows whole command lines.
Q       := $(if $(V),,@)
PKGS    := libmicrohttpd jansson sqlite3 libpq libsodium libqrencode
# dashboards (issue #6): XLSX exports
PKGS    += xlsxwriter
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
CFLAGS  ?= -O2 -g
ALL_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $(WARN) $(CFLAGS) \
             -Isrc -Ibuild/gen $(PKG_CFLAGS) -MMD -MP
LIBS    := $(PKG_LIBS) -lcsv -lpthread -lm
SAN     := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

LIB_SRC := $(filter-out src/main.c,$(shell find src -name '*.c' | sort))
GEN_SRC := build/gen/regions_data.c build/gen/migrations.c
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
STORE_SRC := $(sort $(wildcard tests/store/test_*.c))

OBJ      := $(LIB_SRC:%.c=build/obj/%.o) $(GEN_SRC:build/gen/%.c=build/obj/gen/%.o)
ASAN_OBJ := $(LIB_SRC:%.c=build/asan/obj/%.o) $(GEN_SRC:build/gen/%.c=build/asan/obj/gen/%.o)

UNIT_BIN      := $(UNIT_SRC:tests/unit/%.c=build/tests/%)
UNIT_ASAN_BIN := $(UNIT_SRC:tests/unit/%.c=build/asan/tests/%)
STORE_BIN     := $(STORE_SRC:tests/store/%.c=build/tests/%)

# Fuzzing (issue #7): libFuzzer targets, one per parser, built with clang (only these;
# the program and the other tests stay with $(CC)) from objects of their own in build/fuzz/.
# clang-14 by name: scripts/deps.sh installs it with the libFuzzer runtime of the same version.
FUZZ_CC      := clang-14
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_SRC     := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BIN     := $(FUZZ_SRC:tests/fuzz/%.c=build/fuzz/%)
FUZZ_OBJ     := $(LIB_SRC:%.c=build/fuzz/obj/%.o) $(GEN_SRC:build/gen/%.c=build/fuzz/obj/gen/%.o)
# Seconds each target runs under `make fuzz`.
FUZZ_SECONDS ?= 60

.PHONY: all run test check-build asan clean deps format bench bench-import bench-verify bench-dashboard \
        fuzz fuzz-build soak security-scan
all: build/jiazheng

build/jiazheng: build/obj/src/main.o build/libjz.a
	@echo '  CC   $@'
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $^ $(LIBS)

build/libjz.a: $(OBJ)
	@echo '  AR   $@'
	$(Q)rm -f $@; ar rcs $@ $^

build/obj/%.o: %.c $(GEN_SRC)
	@mkdir -p $(dir $@)
	@echo '  CC   $@'
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

build/obj/gen/%.o: build/gen/%.c
	@mkdir -p $(dir $@)
	@echo '  CC   $@'
	$(Q)$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes -c -o $@ $<

# Sanitizer build: the same program under AddressSanitizer and UBSan, for the tests.
asan: build/asan/jiazheng $(UNIT_ASAN_BIN)

build/asan/jiazheng: build/asan/obj/src/main.o build/asan/libjz.a
	@echo '  CC   $@'
	$(Q)$(CC) $(ALL_CFLAGS) $(SAN) -o $@ $^ $(LIBS)

build/asan/libjz.a: $(ASAN_OBJ)
	@echo '  AR   $@'
	$(Q)rm -f $@; ar rcs $@ $^

build/asan/obj/%.o: %.c $(GEN_SRC)
	@mkdir -p $(dir $@)
	@echo '  CC   $@'
	$(Q)$(CC) $(ALL_CFLAGS) -O1 $(SAN) -c -o $@ $<

build/asan/obj/gen/%.o: build/gen/%.c
	@mkdir -p $(dir $@)
	@echo '  CC   $@'
	$(Q)$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes -O1 $(SAN) -c -o $@ $<

build/gen/regions_data.c: data/regions.csv data/region_history.csv tools/gen_regions.sh
	@mkdir -p build/gen
	sh tools/gen_regions.sh data/regions.csv data/region_history.csv > $@.tmp && mv $@.tmp $@

build/gen/migrations.c: $(sort $(wildcard src/store/migrations/*/*.sql)) tools/embed_sql.sh
	@mkdir -p build/gen
	sh tools/embed_sql.sh src/store/migrations > $@.tmp && mv $@.tmp $@

build/tests/%: tests/unit/%.c build/libjz.a
	@mkdir -p $(dir $@)
	@echo '  CC   $@'
	$(Q)$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes -o $@ $< build/libjz.a $(LIBS) -lcmocka

build/asan/tests/%: tests/unit/%.c build/asan/libjz.a
	@mkdir -p $(dir $@)
	@echo '  CC   $@'
	$(Q)$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes -O1 $(SAN) -o $@ $< build/asan/libjz.a $(LIBS) -lcmocka

# A static pattern: `build/tests/test_store%` needs a non-empty stem, so it never matched
# test_store.c itself, and the unit rule above would look for tests/unit/test_store.c.
$(STORE_BIN): build/tests/%: tests/store/%.c build/libjz.a
	@mkdir -p $(dir $@)
	@echo '  CC   $@'
	$(Q)$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes -o $@ $< build/libjz.a $(LIBS) -lcmocka

check-build: build/jiazheng build/asan/jiazheng $(UNIT_BIN) $(UNIT_ASAN_BIN) $(STORE_BIN) $(FUZZ_BIN)

# The fuzz targets: the library instrumented for libFuzzer (fuzzer-no-link) under ASan and
# UBSan, each target linked with libFuzzer's main.
fuzz-build: $(FUZZ_BIN)

build/fuzz/libjz.a: $(FUZZ_OBJ)
	@echo '  AR   $@'
	$(Q)rm -f $@; ar rcs $@ $^

build/fuzz/obj/%.o: %.c $(GEN_SRC)
	@mkdir -p $(dir $@)
	@echo '  CLANG $@'
	$(Q)$(FUZZ_CC) $(ALL_CFLAGS) -O1 $(FUZZ_SAN) -fsanitize=fuzzer-no-link -c -o $@ $<

build/fuzz/obj/gen/%.o: build/gen/%.c
	@mkdir -p $(dir $@)
	@echo '  CLANG $@'
	$(Q)$(FUZZ_CC) $(ALL_CFLAGS) -Wno-missing-prototypes -O1 $(FUZZ_SAN) -fsanitize=fuzzer-no-link -c -o $@ $<

build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h build/fuzz/libjz.a
	@mkdir -p $(dir $@)
	@echo '  CLANG $@'
	$(Q)$(FUZZ_CC) $(ALL_CFLAGS) -O1 $(FUZZ_SAN) -fsanitize=fuzzer -o $@ $< build/fuzz/libjz.a $(LIBS)

# Runs every target for FUZZ_SECONDS (default 60) on its seeds and what earlier runs
# found (build/fuzz/corpus/), then prints each one's executions, coverage and crashes.
# Crashing inputs are kept in build/fuzz/crashes/NAME/.
fuzz: deps
	@$(MAKE) --no-print-directory -j2 fuzz-build
	@bash tests/fuzz/run.sh --seconds $(FUZZ_SECONDS)

# Installs missing Debian packages as root, or prints the apt-get line.
deps:
	@sh scripts/deps.sh

run: deps
	@$(MAKE) --no-print-directory build/jiazheng
	@sh scripts/run.sh

test: deps
	@$(MAKE) --no-print-directory -j2 check-build
	@bash tests/run.sh

format:
	clang-format -i $$(find src tests -name '*.[ch]')

# Times `jiazheng import workers` of 1,000,000 generated rows against sqlite3's .import.
bench-import: build/jiazheng
	bash bench/import

# The speed goals of the card check: 1,000,000 workers, wrk on random card pages against
# nginx serving one of them statically, p99, errors, peak RSS and check-ins per second.
bench-verify: build/jiazheng
	bash bench/verify

# dashboards (issue #6): p99 of the province and a prefecture dashboard over 1,000,000
# workers in Hunan's 122 counties, beside a plain SELECT count(*) over the workers.
bench-dashboard: build/jiazheng
	bash bench/dashboard/run

# faults (issue #7): 5 minutes (SOAK_SECONDS) of wrk with 256 connections on card pages,
# check-ins and sign-ins over 100,000 workers; errors must be 0 and the RSS flat.
soak: build/jiazheng
	bash bench/soak
# Hostile input (issue #7): sqlmap against every parameter and path segment of every route,
# on SQLite and PostgreSQL; installs sqlmap (deps.sh scan). Takes hours on a shared 2-core machine.
security-scan: build/jiazheng
	@sh scripts/deps.sh scan
	bash scripts/security-scan.sh

clean:
	rm -rf build

-include $(shell find build -name '*.d' 2>/dev/null)
