# twlab: see README.md.  `make run` and `make test` are the two commands.

BUILD    ?= build
CC       := gcc
PKGS     := libnl-3.0 libnl-route-3.0 libmnl jansson zlib libpcap \
	    libnftables libnftnl libnetfilter_queue
CFLAGS   ?= -O2 -g
CFLAGS   += -std=gnu11 -Wall -Wextra -Werror -Ilib -Iharness -Icases -MMD -MP
CFLAGS   += $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS   += $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm
CMOCKA   := $(shell pkg-config --libs cmocka 2>/dev/null)

ifeq ($(SANITIZE),1)
CFLAGS   += -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
LDFLAGS  += -fsanitize=address,undefined
endif

LIB_SRCS     := $(wildcard lib/*.c)
HARNESS_SRCS := $(filter-out harness/main.c,$(wildcard harness/*.c))
CASE_SRCS    := $(wildcard cases/*.c)
# Judges are pure: linked into the unit tests as well as into twlab.
JUDGE_SRCS   := $(wildcard cases/judges/*.c)
UNIT_SRCS    := $(wildcard tests/unit/test_*.c)
ITEST_SRCS   := $(wildcard tests/integration/test_*.c)

obj = $(patsubst %.c,$(BUILD)/%.o,$(1))
# docs/claims.md and docs/kernel-facts.md, compiled in (harness/claims.c looks them up)
DOCS_MD   := docs/claims.md docs/kernel-facts.md
DOCS_GEN  := $(BUILD)/gen/docs.c
CORE_OBJS := $(call obj,$(LIB_SRCS) $(HARNESS_SRCS) $(JUDGE_SRCS)) $(BUILD)/gen/docs.o
CASE_OBJS := $(call obj,$(CASE_SRCS))
UNIT_BINS := $(patsubst %.c,$(BUILD)/%,$(UNIT_SRCS))
ITEST_BINS := $(patsubst %.c,$(BUILD)/%,$(ITEST_SRCS))
TWLAB     := $(BUILD)/twlab

.PHONY: all deps run test check unit integration bench bench-impair fuzz clean
all: twlab

twlab: $(TWLAB)
	@[ "$(BUILD)" = build ] && ln -sf $(TWLAB) twlab || true

$(TWLAB): $(CORE_OBJS) $(CASE_OBJS) $(call obj,harness/main.c)
	$(CC) $(LDFLAGS) -o $@ $(filter %.c %.o,$^) $(LDLIBS)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

# The documents as C tables: written to a temporary file first, so that a
# heading the generator refuses leaves no half-made docs.c behind.
$(DOCS_GEN): tools/docs2c.awk $(DOCS_MD)
	@mkdir -p $(dir $@)
	awk -f tools/docs2c.awk $(DOCS_MD) > $@.tmp
	@mv $@.tmp $@

$(BUILD)/gen/docs.o: $(DOCS_GEN)
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/tests/integration/itest.o: CFLAGS += -Itests/integration

# Unit tests link the pure parts only, and register cases of their own.
$(BUILD)/tests/unit/%: tests/unit/%.c $(CORE_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(filter %.c %.o,$^) $(LDLIBS) $(CMOCKA)

# The documents are checked against every sub-claim twlab registers,
# wherever it is declared: that test links the cases too.
# It also reads the sources and documents for the IDs they cite.
$(BUILD)/tests/unit/test_docs: $(CASE_OBJS)
$(BUILD)/tests/unit/test_docs: private CFLAGS += -DTWLAB_SRCDIR='"$(CURDIR)"'

# Integration tests share tests/integration/itest.c: run twlab, read its JSON.
$(BUILD)/tests/integration/test_%: tests/integration/test_%.c \
				   $(BUILD)/tests/integration/itest.o $(CORE_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Itests/integration $(LDFLAGS) -o $@ $(filter %.c %.o,$^) $(LDLIBS) $(CMOCKA)

deps:
	@ci/deps.sh

run: deps
	@$(MAKE) --no-print-directory all
	./twlab run

unit: $(UNIT_BINS)
	@set -e; for t in $(UNIT_BINS); do $$t; done

integration: $(TWLAB) $(ITEST_BINS)
	@set -e; for t in $(ITEST_BINS); do TWLAB=$(abspath $(TWLAB)) \
		TWLAB_VALIDATE=$(abspath tests/validate-json.sh) $$t; done

test: deps
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory unit integration

check: deps
	@$(MAKE) --no-print-directory BUILD=build-asan SANITIZE=1 unit integration

bench: deps
	@$(MAKE) --no-print-directory $(BUILD)/bench/lab
	bench/lab.sh $(BUILD)/bench/lab
	@$(MAKE) --no-print-directory bench-impair

# The impaired link: the delay line's one-way delay and the random loss.
bench-impair: deps
	@$(MAKE) --no-print-directory $(BUILD)/bench/impair
	$(BUILD)/bench/impair

# $^ also holds the headers that the generated .d file adds: link only
# the source and the objects.
$(BUILD)/bench/%: bench/%.c $(CORE_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(filter %.c %.o,$^) $(LDLIBS)

# libFuzzer on segment_parse() and tcp_options_parse(): clang, with only
# the parser and inet.c, its packages from `ci/deps.sh fuzz`.  Seeds are
# the unit tests' captured frames; any crash, leak or UB fails the target.
FUZZ_CC     := clang
FUZZ_CFLAGS := -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	       -std=gnu11 -Wall -Wextra -Werror -Ilib
FUZZ_TIME   ?= 60
FUZZ_DIR    := $(BUILD)/fuzz

fuzz:
	@ci/deps.sh fuzz
	@$(MAKE) --no-print-directory $(FUZZ_DIR)/fuzz_segment $(FUZZ_DIR)/seeds
	@rm -rf $(FUZZ_DIR)/seed && mkdir -p $(FUZZ_DIR)/seed $(FUZZ_DIR)/corpus
	$(FUZZ_DIR)/seeds $(FUZZ_DIR)/seed
	$(FUZZ_DIR)/fuzz_segment -max_total_time=$(FUZZ_TIME) -print_final_stats=1 \
		-artifact_prefix=$(FUZZ_DIR)/ $(FUZZ_DIR)/corpus $(FUZZ_DIR)/seed

$(FUZZ_DIR)/fuzz_segment: tests/fuzz/fuzz_segment.c lib/segment.c lib/inet.c \
			  lib/segment.h lib/inet.h tests/fuzz/linktypes.h
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $(filter %.c,$^)

$(FUZZ_DIR)/seeds: tests/fuzz/seeds.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $<

# The report's integration test with chromium installed, so that it also
# renders report.html headless; `make integration` skips that part without it.
.PHONY: report-check
report-check:
	@ci/deps.sh report
	@$(MAKE) --no-print-directory all $(BUILD)/tests/integration/test_report
	TWLAB=$(abspath $(TWLAB)) $(BUILD)/tests/integration/test_report

clean:
	rm -rf build build-asan twlab

-include $(shell find build build-asan -name '*.d' 2>/dev/null)
