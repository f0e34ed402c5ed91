# twlab: see README.md.  `make run` and `make test` are the two commands.

BUILD    ?= build
CC       := gcc
PKGS     := libnl-3.0 libnl-route-3.0 libmnl jansson zlib
CFLAGS   ?= -O2 -g
CFLAGS   += -std=gnu11 -Wall -Wextra -Werror -Ilib -Iharness -MMD -MP
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
UNIT_SRCS    := $(wildcard tests/unit/test_*.c)
ITEST_SRCS   := $(wildcard tests/integration/test_*.c)

obj = $(patsubst %.c,$(BUILD)/%.o,$(1))
CORE_OBJS := $(call obj,$(LIB_SRCS) $(HARNESS_SRCS))
CASE_OBJS := $(call obj,$(CASE_SRCS))
UNIT_BINS := $(patsubst %.c,$(BUILD)/%,$(UNIT_SRCS))
ITEST_BINS := $(patsubst %.c,$(BUILD)/%,$(ITEST_SRCS))
TWLAB     := $(BUILD)/twlab

.PHONY: all deps run test check unit integration bench clean
all: twlab

twlab: $(TWLAB)
	@[ "$(BUILD)" = build ] && ln -sf $(TWLAB) twlab || true

$(TWLAB): $(CORE_OBJS) $(CASE_OBJS) $(call obj,harness/main.c)
	$(CC) $(LDFLAGS) -o $@ $(filter %.c %.o,$^) $(LDLIBS)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

# Unit tests link the pure parts only, and register cases of their own.
$(BUILD)/tests/unit/%: tests/unit/%.c $(CORE_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(filter %.c %.o,$^) $(LDLIBS) $(CMOCKA)

$(BUILD)/tests/integration/%: tests/integration/%.c $(CORE_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(filter %.c %.o,$^) $(LDLIBS) $(CMOCKA)

deps:
	@ci/deps.sh

run: deps
	@$(MAKE) --no-print-directory all
	./twlab run

unit: $(UNIT_BINS)
	@set -e; for t in $(UNIT_BINS); do $$t; done

integration: $(TWLAB) $(ITEST_BINS)
	@set -e; for t in $(ITEST_BINS); do TWLAB=$(abspath $(TWLAB)) $$t; done

test: deps
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory unit integration

check: deps
	@$(MAKE) --no-print-directory BUILD=build-asan SANITIZE=1 unit integration

bench: deps
	@$(MAKE) --no-print-directory $(BUILD)/bench/lab
	bench/lab.sh $(BUILD)/bench/lab

# $^ also holds the headers that the generated .d file adds: link only
# the source and the objects.
$(BUILD)/bench/%: bench/%.c $(CORE_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(filter %.c %.o,$^) $(LDLIBS)

clean:
	rm -rf build build-asan twlab

-include $(shell find build build-asan -name '*.d' 2>/dev/null)
