# toivo - a static site generator for bilingual course material.
#
#   make site     build the generator and this course into public/
#   make test     the whole suite (also under ASan + UBSan)
#   make bench    toivo against Hugo on the same generated content
#
# Dependencies are Debian packages, found with pkg-config; tools/deps.sh
# installs the missing ones with apt-get when it may, or prints the line.

CC      ?= cc
PKGS    := libcmark-gfm lua5.4 libgit2 yaml-0.1 libmicrohttpd jansson
PKGS    += libvoikko
WARN    := -Wall -Wextra -Wpedantic -Wshadow -Wno-unused-parameter -Werror
CSTD    := -std=c17 -D_GNU_SOURCE
OPT     ?= -O2 -g
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcmark-gfm-extensions
# libstemmer (Snowball, for search) has no pkg-config file.
PKG_LIBS  += -lstemmer
# The release build allocates with jemalloc: a build frees and makes
# millions of small objects from many threads, where glibc's malloc cost
# 30 % of the CPU time at 100 000 pages (docs/hacking.md, "Memory").  The
# sanitizer builds keep the C library's, which ASan replaces.
REL_LIBS   = $(shell pkg-config --libs jemalloc 2>/dev/null)
CFLAGS  ?=
LDFLAGS ?=

SRC     := $(sort $(wildcard generator/*.c publish/*.c))
EMBED   := $(sort $(shell find themes/default lua -type f 2>/dev/null))
B       := build

OBJ      := $(patsubst %.c,$(B)/rel/%.o,$(SRC)) $(B)/rel/embed.o
OBJ_ASAN := $(patsubst %.c,$(B)/asan/%.o,$(SRC)) $(B)/asan/embed.o
ASAN     := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

.PHONY: all site test test-deps deps clean bench fuzz check-site unit
all: $(B)/toivo

deps:
	@sh tools/deps.sh

$(B)/.deps-ok: tools/deps.sh
	@sh tools/deps.sh
	@mkdir -p $(B) && touch $@

$(B)/embed.c: tools/embed.sh $(EMBED) | $(B)/.deps-ok
	@mkdir -p $(B)
	sh tools/embed.sh $(EMBED) > $@.tmp && mv $@.tmp $@

$(B)/rel/%.o: %.c $(wildcard generator/*.h publish/*.h) | $(B)/.deps-ok
	@mkdir -p $(dir $@)
	$(CC) $(CSTD) $(OPT) $(WARN) $(PKG_CFLAGS) -Igenerator -Ipublish $(CFLAGS) -c $< -o $@

$(B)/rel/embed.o: $(B)/embed.c
	$(CC) $(CSTD) $(OPT) -Igenerator -c $< -o $@

$(B)/asan/%.o: %.c $(wildcard generator/*.h publish/*.h) | $(B)/.deps-ok
	@mkdir -p $(dir $@)
	$(CC) $(CSTD) -O1 -g $(ASAN) $(WARN) $(PKG_CFLAGS) -Igenerator -Ipublish $(CFLAGS) -c $< -o $@

$(B)/asan/embed.o: $(B)/embed.c
	@mkdir -p $(dir $@)
	$(CC) $(CSTD) -O1 -Igenerator -c $< -o $@

$(B)/toivo: $(OBJ)
	$(CC) $(OPT) $(LDFLAGS) -o $@ $(OBJ) $(PKG_LIBS) $(REL_LIBS) -lpthread -lm

$(B)/toivo-asan: $(OBJ_ASAN)
	$(CC) -g $(ASAN) $(LDFLAGS) -o $@ $(OBJ_ASAN) $(PKG_LIBS) -lpthread -lm

site: $(B)/toivo
	./$(B)/toivo build

# What the tests drive for real: git repositories, HTTP, PDF engines and
# poppler to read the PDFs back.
TEST_PKGS := git curl python3 chromium weasyprint poppler-utils nodejs valgrind qpdf chromium-headless-shell

test-deps: $(B)/.deps-ok
	@TOIVO_EXTRA_PKGS="$(TEST_PKGS)" sh tools/deps.sh

test: test-deps $(B)/toivo $(B)/toivo-asan unit
	@sh tests/run.sh

bench: $(B)/toivo
	@sh tests/bench.sh

clean:
	rm -rf $(B)

# Unit tests: each tests/unit/NAME_test.c is linked with the generator's
# objects (built with the sanitizers) except main.
UNIT_SRC := $(sort $(wildcard tests/unit/*_test.c))
UNIT     := $(patsubst tests/unit/%.c,$(B)/unit/%,$(UNIT_SRC))
$(B)/unit/%: tests/unit/%.c $(filter-out $(B)/asan/generator/main.o,$(OBJ_ASAN))
	@mkdir -p $(dir $@)
	$(CC) $(CSTD) -O1 -g $(ASAN) $(WARN) $(PKG_CFLAGS) -Igenerator -Ipublish -o $@ $^ $(PKG_LIBS) -lpthread -lm
unit: $(UNIT)

# ---------------------------------------------------------------------------
# Fuzzing (tests/fuzz/): `make fuzz FUZZ_TIME=60` builds each libFuzzer
# target with clang and the generator's sources (main.c aside) under ASan +
# UBSan and runs it for FUZZ_TIME seconds, one after another.  New inputs go
# to build/fuzz/corpus/NAME (seeded from tests/fuzz/corpus/NAME), crashes
# to build/fuzz/NAME-crash-*; copy each into tests/fuzz/regress/NAME/, which
# tests/t_fuzz_regress.sh replays.  Needs libclang-rt-14-dev for
# -fsanitize=fuzzer.
FUZZ_CC      ?= clang
FUZZ_TIME    ?= 60
FUZZ_TARGETS := page template csv yaml
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_SRC     := $(filter-out generator/main.c,$(SRC))
FUZZ_OBJ     := $(patsubst %.c,$(B)/fuzz/obj/%.o,$(FUZZ_SRC)) $(B)/fuzz/obj/embed.o
FUZZ_BIN     := $(patsubst %,$(B)/fuzz/fuzz_%,$(FUZZ_TARGETS))
.SECONDARY: $(FUZZ_OBJ)

$(B)/fuzz/obj/%.o: %.c $(wildcard generator/*.h publish/*.h) | $(B)/.deps-ok
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(CSTD) -O1 -g -fsanitize=fuzzer-no-link $(FUZZ_SAN) $(WARN) $(PKG_CFLAGS) -Igenerator -Ipublish -c $< -o $@

$(B)/fuzz/obj/embed.o: $(B)/embed.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(CSTD) -O1 -Igenerator -c $< -o $@

$(B)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_OBJ)
	$(FUZZ_CC) $(CSTD) -O1 -g -fsanitize=fuzzer $(FUZZ_SAN) $(WARN) $(PKG_CFLAGS) -Igenerator -Ipublish \
		-o $@ $^ $(PKG_LIBS) -lpthread -lm

fuzz: $(FUZZ_BIN)
	@for t in $(FUZZ_TARGETS); do \
		mkdir -p $(B)/fuzz/corpus/$$t tests/fuzz/corpus/$$t; \
		echo "fuzz_$$t: $(FUZZ_TIME) s"; \
		$(B)/fuzz/fuzz_$$t -max_total_time=$(FUZZ_TIME) -timeout=10 -rss_limit_mb=2048 \
			-close_fd_mask=2 -print_final_stats=1 -artifact_prefix=$(B)/fuzz/$$t-crash- \
			$(B)/fuzz/corpus/$$t tests/fuzz/corpus/$$t || exit 1; \
	done

# ---------------------------------------------------------------------------
# Version, installing, the Debian package.
#
# `toivo --version` says `git describe` when built from a git checkout, else
# the released number, TOIVO_RELEASE in generator/cmd.h.  build/version.h
# changes only when the version does, so only main.o and publish.o follow.
RELEASE      := $(shell sed -n 's/^\#define TOIVO_RELEASE "\(.*\)"/\1/p' generator/cmd.h)
GIT_TAGGED   := $(shell test -e .git && git describe --tags --dirty 2>/dev/null | sed 's/^v//')
GIT_COMMIT   := $(shell test -e .git && git describe --always --dirty 2>/dev/null)
VERSION      := $(or $(GIT_TAGGED),$(if $(GIT_COMMIT),$(RELEASE)+git.$(GIT_COMMIT),$(RELEASE)))
VERSIONED    := $(foreach d,rel asan,$(B)/$(d)/generator/main.o $(B)/$(d)/publish/publish.o)

.PHONY: install uninstall deb test-deb FORCE
$(B)/version.h: FORCE
	@mkdir -p $(B)
	@echo '#define TOIVO_VERSION "$(VERSION)"' > $@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi
$(VERSIONED): $(B)/version.h
$(VERSIONED): CSTD += -include $(B)/version.h

# make install [PREFIX=/usr/local] [DESTDIR=]: the binary (theme and hooks
# are inside it), the manual with a name for each command, and bash
# completion.  Nothing else is needed at run time.
PREFIX      ?= /usr/local
BINDIR      ?= $(PREFIX)/bin
MANDIR      ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
MAN_CMDS    := build check serve pdf publish new template clean

install: $(B)/toivo
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(BASHCOMPDIR)
	install -m 755 $(B)/toivo $(DESTDIR)$(BINDIR)/toivo
	install -m 644 man/toivo.1 $(DESTDIR)$(MANDIR)/man1/toivo.1
	for c in $(MAN_CMDS); do ln -sf toivo.1 $(DESTDIR)$(MANDIR)/man1/toivo-$$c.1; done
	install -m 644 completion/toivo.bash $(DESTDIR)$(BASHCOMPDIR)/toivo

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/toivo $(DESTDIR)$(MANDIR)/man1/toivo.1 $(DESTDIR)$(BASHCOMPDIR)/toivo
	for c in $(MAN_CMDS); do rm -f $(DESTDIR)$(MANDIR)/man1/toivo-$$c.1; done

# make deb: toivo_VERSION_ARCH.deb in build/deb/, made by dpkg-buildpackage
# from a clean copy of the committed tree (uncommitted changes to tracked
# files included).  make test-deb builds it, checks it with lintian and
# installs it into a scratch root (tests/t_deb.sh).
DEB_PKGS := dpkg-dev debhelper lintian fakeroot

deb: $(B)/.deps-ok
	@TOIVO_EXTRA_PKGS="$(DEB_PKGS)" sh tools/deps.sh
	sh tools/deb.sh $(B)/deb

test-deb: $(B)/.deps-ok
	@TOIVO_EXTRA_PKGS="$(DEB_PKGS)" sh tools/deps.sh
	@TOIVO_TEST_DEB=1 sh tests/t_deb.sh; r=$$?; echo "t_deb.sh exit $$r"; exit $$r

# The tests of the installed program read the manual with mandoc and man,
# and the CI files with python3-yaml.
TEST_PKGS += mandoc man-db python3-yaml

# Golden tests (tests/golden/NAME/, run by tests/t_golden.sh): after an
# intended change of the output, `make golden-update` rewrites every case's
# expected/ and messages from the release build; review with
# `git diff tests/golden` and commit.  GOLDEN=NAME limits it to one case.
.PHONY: golden-update
golden-update: $(B)/toivo
	@GOLDEN_UPDATE=1 TOIVO=$(CURDIR)/$(B)/toivo sh tests/t_golden.sh
