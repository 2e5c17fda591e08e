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
WARN    := -Wall -Wextra -Wpedantic -Wshadow -Wno-unused-parameter -Werror
CSTD    := -std=c17 -D_GNU_SOURCE
OPT     ?= -O2 -g
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcmark-gfm-extensions
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
	$(CC) $(OPT) $(LDFLAGS) -o $@ $(OBJ) $(PKG_LIBS) -lpthread -lm

$(B)/toivo-asan: $(OBJ_ASAN)
	$(CC) -g $(ASAN) $(LDFLAGS) -o $@ $(OBJ_ASAN) $(PKG_LIBS) -lpthread -lm

site: $(B)/toivo
	./$(B)/toivo build

# What the tests drive for real: git repositories, HTTP, PDF engines and
# poppler to read the PDFs back.
TEST_PKGS := git curl python3 chromium weasyprint poppler-utils nodejs valgrind qpdf

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
