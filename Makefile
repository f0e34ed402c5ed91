# twlab: see README.md.  `make run` and `make test` are the two commands;
# `make install`, `make deb` and `make lint` are for packagers.
#
# CC, CFLAGS, CPPFLAGS, LDFLAGS, PKG_CONFIG, PREFIX, DESTDIR and BUILD are
# taken from the environment or the command line; V=1 shows the commands.

BUILD    ?= build
PREFIX   ?= /usr/local
BINDIR   ?= $(PREFIX)/bin
HELPERDIR ?= $(PREFIX)/lib/twlab
MANDIR   ?= $(PREFIX)/share/man
DOCDIR   ?= $(PREFIX)/share/doc/twlab
ifeq ($(origin CC),default)
CC       := gcc
endif
CFLAGS   ?= -O2 -g

# The version's one home is debian/changelog: `twlab --version`, the JSON
# and the package all read it from there.
VERSION  := $(shell awk -F'[()]' 'NR == 1 { print $$2 }' debian/changelog)

PKG_CONFIG ?= pkg-config

# pkg-config name:Debian package, for the one line that says what is missing
PKG_DEBS := libnl-3.0:libnl-3-dev libnl-route-3.0:libnl-route-3-dev libmnl:libmnl-dev \
	    jansson:libjansson-dev zlib:zlib1g-dev libpcap:libpcap-dev \
	    libnftables:libnftables-dev libnftnl:libnftnl-dev \
	    libnetfilter_queue:libnetfilter-queue-dev
PKGS     := $(foreach p,$(PKG_DEBS),$(firstword $(subst :, ,$(p))))

# Goals that build nothing themselves (run and test first install what is
# missing, then build in a second make), so they need no check.
NOBUILD  := deps run test check bench bench-impair fuzz report-check clean lint uninstall deb
GOALS    := $(or $(MAKECMDGOALS),all)
ifneq ($(filter-out $(NOBUILD),$(GOALS)),)
NEED     := $(PKG_DEBS) $(if $(filter unit integration $(BUILD)/tests/%,$(GOALS)),cmocka:libcmocka-dev)
HAVE_PC  := $(shell command -v $(PKG_CONFIG))
MISSING  := $(if $(HAVE_PC),,pkg-config) \
	    $(foreach p,$(NEED),$(if $(HAVE_PC),$(if $(shell $(PKG_CONFIG) --exists \
	    $(firstword $(subst :, ,$(p))) && echo y),,$(lastword $(subst :, ,$(p))))))
ifneq ($(strip $(MISSING)),)
$(error twlab: missing Debian packages: $(strip $(MISSING)); run 'make deps' as root to install them)
endif
endif

TW_CFLAGS := -std=gnu11 -Wall -Wextra -Werror -Ilib -Iharness -Icases -MMD -MP
TW_CFLAGS += $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
LDLIBS   += $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null) -lm
CMOCKA   := $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null)

ifeq ($(SANITIZE),1)
TW_CFLAGS += -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
LDFLAGS  += -fsanitize=address,undefined
endif

# Quiet lines, as the kernel's and git's builds print them; V=1: the commands.
ifneq ($(V),1)
Q   := @
say  = printf '  %-7s %s\n' '$(1)' '$(2)';
endif
COMPILE = $(CC) $(CPPFLAGS) $(TW_CFLAGS) $(CFLAGS)

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
MAN       := $(BUILD)/twlab.8

.PHONY: all deps run test check unit integration bench bench-impair fuzz clean \
	install uninstall lint deb man
all: twlab man

twlab: $(TWLAB)
	@[ "$(BUILD)" = build ] && ln -sf $(TWLAB) twlab || true

$(TWLAB): $(CORE_OBJS) $(CASE_OBJS) $(call obj,harness/main.c)
	$(Q)$(call say,LD,$@)$(CC) $(LDFLAGS) -o $@ $(filter %.c %.o,$^) $(LDLIBS)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(Q)$(call say,CC,$*.o)$(COMPILE) -c -o $@ $<

# the version, where it is printed and written
$(call obj,harness/main.c harness/json.c): debian/changelog
$(call obj,harness/main.c harness/json.c): TW_CFLAGS += -DTWLAB_VERSION='"$(VERSION)"'

# The documents as C tables: written to a temporary file first, so that a
# heading the generator refuses leaves no half-made docs.c behind.
$(DOCS_GEN): tools/docs2c.awk $(DOCS_MD)
	@mkdir -p $(dir $@)
	$(Q)$(call say,GEN,$@)awk -f tools/docs2c.awk $(DOCS_MD) > $@.tmp
	@mv $@.tmp $@

$(BUILD)/gen/docs.o: $(DOCS_GEN)
	$(Q)$(call say,CC,$@)$(COMPILE) -c -o $@ $<

$(BUILD)/tests/integration/itest.o: TW_CFLAGS += -Itests/integration

# Unit tests link the pure parts only, and register cases of their own.
$(BUILD)/tests/unit/%: tests/unit/%.c $(CORE_OBJS)
	@mkdir -p $(dir $@)
	$(Q)$(call say,CCLD,$@)$(COMPILE) $(LDFLAGS) -o $@ $(filter %.c %.o,$^) $(LDLIBS) $(CMOCKA)

# The documents are checked against every sub-claim twlab registers,
# wherever it is declared: that test links the cases too.
# It also reads the sources and documents for the IDs they cite.
$(BUILD)/tests/unit/test_docs: $(CASE_OBJS)
$(BUILD)/tests/unit/test_docs: private TW_CFLAGS += -DTWLAB_SRCDIR='"$(CURDIR)"'

# Integration tests share tests/integration/itest.c: run twlab, read its JSON.
$(BUILD)/tests/integration/test_%: tests/integration/test_%.c \
				   $(BUILD)/tests/integration/itest.o $(CORE_OBJS)
	@mkdir -p $(dir $@)
	$(Q)$(call say,CCLD,$@)$(COMPILE) -Itests/integration $(LDFLAGS) -o $@ \
		$(filter %.c %.o,$^) $(LDLIBS) $(CMOCKA)

# The manual, its CLAIMS AND FACTS section made from the tables that
# `twlab explain` prints (docs/claims.md, docs/kernel-facts.md).
man: $(MAN)
$(BUILD)/tools/man-claims: tools/man-claims.c $(call obj,harness/claims.c) $(BUILD)/gen/docs.o
	@mkdir -p $(dir $@)
	$(Q)$(call say,CCLD,$@)$(COMPILE) $(LDFLAGS) -o $@ $^
$(MAN): docs/twlab.8.in ci/man-ids.sh debian/changelog $(BUILD)/tools/man-claims
	@mkdir -p $(dir $@)
	$(Q)$(call say,GEN,$@)$(BUILD)/tools/man-claims >$@.ids && \
		ci/man-ids.sh $< debian/changelog $@.ids >$@.tmp && \
		mv $@.tmp $@ && rm -f $@.ids

deps:
	@ci/deps.sh

run: deps
	@$(MAKE) --no-print-directory all
	./twlab run

unit: $(UNIT_BINS)
	@set -e; for t in $(UNIT_BINS); do $$t; done
	@tests/kernel_fetch_sources.sh

integration: $(TWLAB) $(ITEST_BINS)
	@set -e; for t in $(ITEST_BINS); do TWLAB=$(abspath $(TWLAB)) \
		TWLAB_VALIDATE=$(abspath tests/validate-json.sh) $$t; done

test: deps
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory lint
	@BUILD=$(BUILD) tests/install.sh
	@$(MAKE) --no-print-directory unit integration

check: deps
	@$(MAKE) --no-print-directory BUILD=build-asan SANITIZE=1 unit integration

# The workflow against GitHub's schema (action-validator, from npm into
# $(BUILD)/npm, once), the shell scripts with shellcheck, the manual with
# mandoc, and the manual's options against --help.
VALIDATOR := $(BUILD)/npm/node_modules/.bin/action-validator
SHELL_SRCS := $(wildcard ci/*.sh tests/*.sh)
lint:
	@ci/deps.sh lint
	@$(MAKE) $(if $(filter 1,$(V)),,-s) --no-print-directory $(TWLAB) $(MAN) $(VALIDATOR)
	$(Q)$(call say,LINT,.github/workflows)$(VALIDATOR) .github/workflows/*.yml
	$(Q)$(call say,LINT,shellcheck)shellcheck $(SHELL_SRCS)
	$(Q)$(call say,LINT,$(MAN))mandoc -T lint -W warning $(MAN)
	$(Q)$(call say,LINT,options)tests/man_options.sh $(TWLAB) $(MAN)

$(VALIDATOR):
	@mkdir -p $(BUILD)/npm
	$(Q)$(call say,NPM,@action-validator/cli)npm install --silent --no-audit --no-fund \
		--prefix $(BUILD)/npm @action-validator/cli >/dev/null

# `make install DESTDIR=/tmp/stage PREFIX=/usr`.  twlab finds its helpers
# at ../lib/twlab/ from its own binary.
HELPERS  := ci/kernel-fetch.sh ci/initramfs.sh ci/deps.sh
install: all
	$(Q)$(call say,INSTALL,$(DESTDIR)$(PREFIX))install -d $(DESTDIR)$(BINDIR) \
		$(DESTDIR)$(HELPERDIR) $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(DOCDIR)/docs/experiments
	$(Q)install -m 755 $(TWLAB) $(DESTDIR)$(BINDIR)/twlab
	$(Q)install -m 755 $(HELPERS) $(DESTDIR)$(HELPERDIR)/
	$(Q)install -m 644 $(MAN) $(DESTDIR)$(MANDIR)/man8/twlab.8
	$(Q)install -m 644 README.md $(DESTDIR)$(DOCDIR)/
	$(Q)install -m 644 $(wildcard docs/*.md) $(DESTDIR)$(DOCDIR)/docs/
	$(Q)install -m 644 $(wildcard docs/experiments/*.md) $(DESTDIR)$(DOCDIR)/docs/experiments/

uninstall:
	$(Q)$(call say,UNINST,$(DESTDIR)$(PREFIX))rm -f $(DESTDIR)$(BINDIR)/twlab \
		$(DESTDIR)$(MANDIR)/man8/twlab.8
	$(Q)rm -f $(addprefix $(DESTDIR)$(HELPERDIR)/,$(notdir $(HELPERS)))
	$(Q)rm -rf $(DESTDIR)$(DOCDIR)
	$(Q)rmdir $(DESTDIR)$(HELPERDIR) 2>/dev/null || true

# The Debian package, built from a copy of the committed tree in
# $(BUILD)/deb/, where the .deb lands (dpkg-buildpackage writes beside the
# source tree it is given).  The package's own make must not inherit this
# one's variables (BUILD, PREFIX...): it starts from a clean slate.
deb:
	@ci/deps.sh deb
	rm -rf $(BUILD)/deb && mkdir -p $(BUILD)/deb/twlab
	git archive HEAD | tar -x -C $(BUILD)/deb/twlab
	cd $(BUILD)/deb/twlab && env -u BUILD -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
		-u PREFIX -u DESTDIR dpkg-buildpackage -b -us -uc
	lintian --fail-on error $(BUILD)/deb/twlab_*.changes
	@ls $(BUILD)/deb/*.deb

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
	$(Q)$(call say,CCLD,$@)$(COMPILE) $(LDFLAGS) -o $@ $(filter %.c %.o,$^) $(LDLIBS)

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
	$(Q)$(call say,FUZZ,$@)$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $(filter %.c,$^)

$(FUZZ_DIR)/seeds: tests/fuzz/seeds.c
	@mkdir -p $(dir $@)
	$(Q)$(call say,CCLD,$@)$(COMPILE) $(LDFLAGS) -o $@ $<

# The report's integration test with chromium installed, so that it also
# renders report.html headless; `make integration` skips that part without it.
.PHONY: report-check
report-check:
	@ci/deps.sh report
	@$(MAKE) --no-print-directory all $(BUILD)/tests/integration/test_report
	TWLAB=$(abspath $(TWLAB)) $(BUILD)/tests/integration/test_report

clean:
	rm -rf $(BUILD) $(if $(filter build,$(BUILD)),build-asan twlab)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
