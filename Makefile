# natter: natterd (server) and natter (ncurses client).
#   make              build build/natterd and build/natter (installs missing Debian packages first)
#   make run          build and start natterd on the default port, in the foreground
#   make test         build and run every test (unit, integration, end-to-end in tmux)
#   make test-asan    the same under AddressSanitizer + UndefinedBehaviorSanitizer (= SANITIZE=1 make test)
#   make install      PREFIX=/usr/local DESTDIR=... binaries and man pages
#   make deps         install the Debian packages the build and tests need (only the missing ones)

SHELL    := /bin/bash
CXX      ?= g++
PREFIX   ?= /usr/local
DESTDIR  ?=

ifeq ($(SANITIZE),1)
BUILD    ?= build/asan
OPT      := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDSAN    := -fsanitize=address,undefined
else
BUILD    ?= build
OPT      := -O2 -g
LDSAN    :=
endif

CPPFLAGS += -Isrc -D_DEFAULT_SOURCE -D_XOPEN_SOURCE=600
CXXFLAGS += -std=c++17 $(OPT) -Wall -Wextra -Werror -MMD -MP
LDFLAGS  += $(LDSAN)
CURSES_LIBS := -lncursesw -ltinfo
GTEST_LIBS  := -lgtest -lpthread
JOBS        ?= $(shell nproc 2>/dev/null || echo 2)
# The fuzz targets are already built with ASan + UBSan: the sanitizer run of the tests skips them.
RUN_FUZZ     = $(if $(filter 1,$(SANITIZE)),,$(FUZZ_SRC))
SQLITE_LIBS := -lsqlite3

# Debian packages needed to build and test. `make deps` installs the missing ones.
DEB_PACKAGES := g++ make libncurses-dev libcereal-dev libgtest-dev libsqlite3-dev tmux python3 groff-base man-db clang irssi

SHARED_SRC := $(wildcard src/shared/*.cpp)
SERVER_SRC := $(filter-out src/server/main.cpp,$(wildcard src/server/*.cpp))
TUI_SRC    := $(filter-out src/tui/main.cpp,$(wildcard src/tui/*.cpp))
SUPPORT_SRC := $(wildcard test/support/*.cpp)
UNIT_SRC   := $(wildcard test/unit/*.cpp)
INTEG_SRC  := $(wildcard test/integration/*.cpp)
E2E_SRC    := $(wildcard test/e2e/*.cpp)

obj = $(patsubst %.cpp,$(BUILD)/obj/%.o,$(1))

SHARED_OBJ := $(call obj,$(SHARED_SRC))
SERVER_OBJ := $(call obj,$(SERVER_SRC))
TUI_OBJ    := $(call obj,$(TUI_SRC))
SUPPORT_OBJ := $(call obj,$(SUPPORT_SRC))

NATTERD := $(BUILD)/natterd
NATTER  := $(BUILD)/natter
UNIT_TESTS  := $(BUILD)/unit-tests
INTEG_TESTS := $(BUILD)/integration-tests
E2E_TESTS   := $(BUILD)/e2e-tests

BINARIES := $(NATTERD) $(if $(wildcard src/tui/main.cpp),$(NATTER))
TEST_BINARIES := $(UNIT_TESTS) $(if $(INTEG_SRC),$(INTEG_TESTS)) $(if $(E2E_SRC),$(E2E_TESTS))

.PHONY: all run test test-asan unit integration e2e deps install clean
.DEFAULT_GOAL := all

all: $(BINARIES)

deps:
	@missing=""; for p in $(DEB_PACKAGES); do \
	  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing missing Debian packages:$$missing"; \
	  SUDO=""; [ "$$(id -u)" -ne 0 ] && SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

# RapidJSON 1.1 (under cereal) adds an offset to its empty stack's null pointer on first use:
# harmless, but UBSan's pointer-overflow check stops on it. Only the codec includes RapidJSON.
CODEC_NO_PTR_CHECK := $(if $(filter 1,$(SANITIZE)),-fno-sanitize=pointer-overflow)
$(BUILD)/obj/src/shared/codec.o: CXXFLAGS += $(CODEC_NO_PTR_CHECK)

$(BUILD)/obj/%.o: %.cpp | deps
	@mkdir -p $(dir $@)
	$(CXX) $(CPPFLAGS) $(CXXFLAGS) -c $< -o $@

$(NATTERD): $(call obj,src/server/main.cpp) $(SERVER_OBJ) $(SHARED_OBJ)
	$(CXX) $(LDFLAGS) $^ -o $@ $(SQLITE_LIBS)

$(NATTER): $(call obj,src/tui/main.cpp) $(TUI_OBJ) $(SHARED_OBJ)
	$(CXX) $(LDFLAGS) $^ -o $@ $(CURSES_LIBS)

$(UNIT_TESTS): $(call obj,$(UNIT_SRC)) $(SERVER_OBJ) $(TUI_OBJ) $(SHARED_OBJ)
	$(CXX) $(LDFLAGS) $^ -o $@ $(CURSES_LIBS) $(SQLITE_LIBS) -lgtest_main $(GTEST_LIBS)

$(INTEG_TESTS): $(call obj,$(INTEG_SRC)) $(SUPPORT_OBJ) $(SHARED_OBJ)
	$(CXX) $(LDFLAGS) $^ -o $@ $(SQLITE_LIBS) -lgtest_main $(GTEST_LIBS)

$(E2E_TESTS): $(call obj,$(E2E_SRC)) $(SUPPORT_OBJ) $(SHARED_OBJ)
	$(CXX) $(LDFLAGS) $^ -o $@ -lgtest_main $(GTEST_LIBS)

# Both programs: the newcomer's next step (README) is build/natter in another terminal.
run: $(BINARIES)
	$(NATTERD)

# Tests find the programs under test through NATTER_BUILD.
TEST_ENV := NATTER_BUILD=$(abspath $(BUILD)) ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1

unit: $(UNIT_TESTS)
	$(TEST_ENV) $(UNIT_TESTS)

integration: $(BINARIES) $(if $(INTEG_SRC),$(INTEG_TESTS))
	$(if $(INTEG_SRC),$(TEST_ENV) $(INTEG_TESTS))

e2e: $(BINARIES) $(if $(E2E_SRC),$(E2E_TESTS))
	$(if $(E2E_SRC),$(TEST_ENV) $(E2E_TESTS))

test: deps
	$(MAKE) --no-print-directory -j$(JOBS) $(BINARIES) $(TEST_BINARIES) $(if $(RUN_FUZZ),$(FUZZ_TARGETS))
	$(MAKE) --no-print-directory unit
	$(MAKE) --no-print-directory integration
	$(MAKE) --no-print-directory e2e
	$(if $(RUN_FUZZ),$(MAKE) --no-print-directory fuzz-smoke)
	@echo "all tests passed"

test-asan:
	$(MAKE) --no-print-directory SANITIZE=1 test

# ---- fuzzing (libFuzzer, clang) -----------------------------------------------------------------
# Every test/fuzz/NAME_fuzz.cpp is a target build/fuzz/NAME_fuzz with seeds in test/fuzz/corpus/NAME/.
# `make fuzz` runs each for FUZZ_SECONDS (default 180); `make fuzz-smoke` (part of `make test`)
# runs them all within FUZZ_SMOKE_TOTAL seconds (28: each gets its share, at least 3 s).
# New corpus entries go to build/fuzz/corpus/, crashes to build/fuzz/crashes/.
FUZZ_CXX     ?= clang++
FUZZ_BUILD   := build/fuzz
FUZZ_FLAGS   := -std=c++17 -g -O1 -fsanitize=address,undefined -fno-sanitize-recover=undefined -Wall -Wextra -Werror -MMD -MP
FUZZ_SECONDS ?= 180
FUZZ_SRC     := $(wildcard test/fuzz/*_fuzz.cpp)
FUZZ_TARGETS := $(patsubst test/fuzz/%.cpp,$(FUZZ_BUILD)/%,$(FUZZ_SRC))
FUZZ_SMOKE_TOTAL ?= 28
FUZZ_SMOKE_SECONDS ?= $(shell n=$(words $(FUZZ_TARGETS)); s=$$(( $(FUZZ_SMOKE_TOTAL) / ($$n > 0 ? $$n : 1) )); echo $$(( s < 3 ? 3 : s )))
FUZZ_LIB_OBJ := $(patsubst %.cpp,$(FUZZ_BUILD)/obj/%.o,$(SHARED_SRC) $(SERVER_SRC) $(TUI_SRC))

$(FUZZ_BUILD)/obj/src/shared/codec.o: FUZZ_FLAGS += -fno-sanitize=pointer-overflow

$(FUZZ_BUILD)/obj/%.o: %.cpp | deps
	@mkdir -p $(dir $@)
	$(FUZZ_CXX) $(CPPFLAGS) $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

$(FUZZ_BUILD)/%_fuzz: $(FUZZ_BUILD)/obj/test/fuzz/%_fuzz.o $(FUZZ_LIB_OBJ)
	$(FUZZ_CXX) -fsanitize=fuzzer,address,undefined $^ -o $@ $(CURSES_LIBS) $(SQLITE_LIBS)

.PHONY: fuzz fuzz-smoke
fuzz: $(FUZZ_TARGETS)
	@for t in $(FUZZ_TARGETS); do n=$$(basename $$t _fuzz); \
	  mkdir -p $(FUZZ_BUILD)/corpus/$$n $(FUZZ_BUILD)/crashes; \
	  echo "fuzzing $$n for $(FUZZ_SECONDS) s"; \
	  $$t -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 -artifact_prefix=$(FUZZ_BUILD)/crashes/$$n- \
	    $(FUZZ_BUILD)/corpus/$$n test/fuzz/corpus/$$n || exit 1; \
	done

fuzz-smoke:
	@$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=$(FUZZ_SMOKE_SECONDS) 2>&1 | grep -E '^(fuzzing|stat::number_of_executed_units|==[0-9]+==|SUMMARY)|ERROR|Done' ; \
	  test $${PIPESTATUS[0]} -eq 0

# ---- benchmark (issue 4) ------------------------------------------------------------------------
# build/natter-bench is the load generator, build/natter-bare-loop the reference fan-out loop it
# measures natterd against. `make bench` runs the standard scenarios (a few minutes) and rewrites
# the table in docs/PERFORMANCE.md; BENCH_ARGS adds natter-bench options (e.g. --reps 1, --only
# fanout5, --quick). `make bench-check` runs natter-bench's own unit tests. Neither is in `make test`.
BENCH_SRC    := $(filter-out bench/main.cpp bench/bare_loop.cpp,$(wildcard bench/*.cpp))
BENCH_OBJ    := $(call obj,$(BENCH_SRC))
NATTER_BENCH := $(BUILD)/natter-bench
BARE_LOOP    := $(BUILD)/natter-bare-loop
BENCH_TESTS  := $(BUILD)/bench-tests
BENCH_ARGS   ?=
$(BUILD)/obj/bench/%.o: CPPFLAGS += -I.

$(NATTER_BENCH): $(call obj,bench/main.cpp) $(BENCH_OBJ) $(SHARED_OBJ)
	$(CXX) $(LDFLAGS) $^ -o $@ -lutil

$(BARE_LOOP): $(call obj,bench/bare_loop.cpp)
	$(CXX) $(LDFLAGS) $^ -o $@

$(BENCH_TESTS): $(call obj,$(wildcard bench/tests/*.cpp)) $(BENCH_OBJ) $(SHARED_OBJ)
	$(CXX) $(LDFLAGS) $^ -o $@ -lutil -lgtest_main $(GTEST_LIBS)

.PHONY: bench bench-check
bench-check: $(BENCH_TESTS)
	$(BENCH_TESTS)

# The integration tests include a one-second natter-bench smoke run (test/integration/bench_smoke_test.cpp).
integration: $(NATTER_BENCH) $(BARE_LOOP)

bench: $(BINARIES) $(NATTER_BENCH) $(BARE_LOOP) bench-check
	$(NATTER_BENCH) suite --build $(abspath $(BUILD)) --out docs/PERFORMANCE.md $(BENCH_ARGS)

install: $(BINARIES)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/man/man7
	install -m 755 $(BINARIES) $(DESTDIR)$(PREFIX)/bin/
	install -m 644 $(wildcard man/*.1) $(DESTDIR)$(PREFIX)/share/man/man1/
	install -m 644 $(wildcard man/*.7) $(DESTDIR)$(PREFIX)/share/man/man7/

clean:
	rm -rf build

-include $(shell find $(BUILD)/obj $(FUZZ_BUILD)/obj -name '*.d' 2>/dev/null)
