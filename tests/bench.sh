#!/bin/sh
# bench.sh - `make bench`: toivo against Hugo on the same generated content,
# in one run, with the floor (cmark-gfm over the same files, writing the
# HTML, on every core) so the gap is visible.
#
#   BENCH_SIZES   pages per language, "1000 5000" (2 000 and 10 000 pages);
#                 "50000" is 100 000 pages (Hugo is left out above 10 000
#                 pages per language when it would need more memory than
#                 the machine has free)
#   BENCH_RUNS    measured runs of each tool per size after a warm-up (5)
#   BENCH_DIR     where corpora and outputs go (build/bench)
#   BENCH_JOBS    toivo -j and floor threads (default: the number of cores)
#   BENCH_TOIVO   the binary to measure (build/toivo)
#   BENCH_EDITS   one-page edits timed in toivo serve on the largest corpus (20)
#   BENCH_PDF     runs of the PDF benchmark (3; 0 = none): toivo pdf on the
#                 bundled course against one cold Chromium print of its
#                 biggest print page, and toivo pdf again with nothing changed
#   BENCH_PDF_BASE  another toivo binary (say main's) timed in the PDF
#                 benchmark too, in turn with BENCH_TOIVO, for a before/after
#                 in the same run
#   (BENCH_SIZES= BENCH_EDITS=0 BENCH_SEARCH=0 runs the PDF benchmark alone.)
#
# Each run is timed with /usr/bin/time: wall, user + system, peak RSS.  The
# tools run in turn (toivo, Hugo, floor, toivo again, ...) so a machine
# that is busy at one moment slows all of them alike; the ratios come from
# the same run.  Each tool's previous output is moved aside into DIR/trash
# before a clean run and all of it is removed at the end, not deleted right
# before the next run: on ext4, creating files within a minute of deleting
# many costs every tool seconds of kernel time (measured here: the floor at
# 10 000 pages took 1.2-1.4 s after a move, 2.9-3.9 s right after rm -rf).
# And before every timed run, `sync` writes back what earlier runs wrote, so
# that no run pays for another's disk writes.  BENCH_RM=1 deletes instead.  "toivo" builds into an empty folder like Hugo does;
# "toivo rebuild" builds again over its last output, as `toivo build`
# after saving one file does (unchanged files are left as they are, the
# folders of the tree it replaced are reused).
cd "$(dirname "$0")/.." || exit 2
ROOT=$(pwd)
TOIVO=${BENCH_TOIVO:-$ROOT/build/toivo}
SIZES=${BENCH_SIZES-1000 5000}
RUNS=${BENCH_RUNS:-5}
DIR=${BENCH_DIR:-$ROOT/build/bench}
JOBS=${BENCH_JOBS:-$(nproc)}
mkdir -p "$DIR" || exit 2
DIR=$(cd "$DIR" && pwd)

if { [ -n "$SIZES" ] && ! command -v hugo > /dev/null 2>&1; } || ! [ -x /usr/bin/time ]; then
	TOIVO_EXTRA_PKGS="hugo time" sh tools/deps.sh || exit 2
fi
[ -z "$SIZES" ] || command -v hugo > /dev/null 2>&1 || { echo "bench: hugo is needed (apt-get install hugo)"; exit 2; }
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time is needed (apt-get install time)"; exit 2; }
[ -x "$TOIVO" ] || { echo "bench: build toivo first (make)"; exit 2; }

FLOOR=$DIR/floor
if ! [ -x "$FLOOR" ] || [ tests/bench/floor.c -nt "$FLOOR" ]; then
	${CC:-cc} -std=c17 -O2 $(pkg-config --cflags libcmark-gfm) tests/bench/floor.c -o "$FLOOR" \
		$(pkg-config --libs libcmark-gfm) -lcmark-gfm-extensions -lpthread || exit 2
fi

# corpus N: generates DIR/cN once (gen-corpus.py is deterministic) and gives
# it the site.yaml toivo reads next to Hugo's config.toml.
corpus() {
	c=$DIR/c$1
	if ! [ -f "$c/corpus-info.json" ]; then
		echo "bench: generating $1 pages per language in $c" >&2
		python3 "$ROOT/../shared/bench/gen-corpus.py" "$c" --pages "$1" --force > /dev/null || exit 2
	fi
	cat > "$c/site.yaml" <<EOF
title:
  fi: Vertailusivusto
  en: Benchmark site
description:
  fi: Koneellisesti tuotettu vertailuaineisto
  en: Generated benchmark corpus
base_url: https://example.org/
languages: [fi, en]
default_language: fi
print: ${2:-false}
EOF
}

# timed TAG CMD...: runs CMD under /usr/bin/time, appends "TAG wall cpu kb"
# to $results; the command's own output goes to $DIR/last.log.
timed() {
	tag=$1
	shift
	sync
	/usr/bin/time -f '%e %U %S %M' -o "$DIR/time.out" "$@" > "$DIR/last.log" 2>&1
	rc=$?
	if [ $rc != 0 ]; then
		echo "bench: $tag failed (status $rc):" >&2
		tail -20 "$DIR/last.log" >&2
		exit 1
	fi
	tail -1 "$DIR/time.out" | awk -v t="$tag" '{ printf "%s %s %.2f %s\n", t, $1, $2 + $3, $4 }' >> "$results"
}

# aside PATH...: out of the way for a clean run (see the top).
aside() {
	for p in "$@"; do
		[ -e "$p" ] || continue
		if [ -n "${BENCH_RM:-}" ]; then
			rm -rf "$p"
		else
			mkdir -p "$DIR/trash" && mv "$p" "$(mktemp -d "$DIR/trash/XXXXXX")/"
		fi
	done
}

run_toivo() { aside "$DIR/out-toivo" "$DIR/.out-toivo.toivo-prev" "$c/.toivo-cache"; timed "$1" "$TOIVO" build -q -j "$JOBS" -s "$c" -o "$DIR/out-toivo"; }
# toivo with print pages on (the default of a real site), the same corpus.
run_print() { corpus "$n" true; aside "$DIR/out-print" "$c/.toivo-cache"; timed "$1" "$TOIVO" build -q -j "$JOBS" -s "$c" -o "$DIR/out-print"; corpus "$n"; }
run_rebuild() { timed "$1" "$TOIVO" build -q -j "$JOBS" -s "$c" -o "$DIR/out-toivo"; }
run_hugo() { aside "$DIR/out-hugo"; timed "$1" hugo --quiet --source "$c" --destination "$DIR/out-hugo"; }
run_floor() { aside "$DIR/out-floor"; timed "$1" "$FLOOR" "$c/content" "$DIR/out-floor" "$JOBS"; }

# median of column COL for TAG in $results
median() {
	awk -v t="$1" -v c="$2" '$1 == t { print $c }' "$results" | sort -n |
		awk '{ v[NR] = $1 } END { if (NR == 0) print 0; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
peak() { awk -v t="$1" '$1 == t && $4 > m { m = $4 } END { print m + 0 }' "$results"; }

# Deleting many files slows creating files for a while on ext4 without a
# journal: a new inode skips every inode deleted in the last 60 s (300 s
# while the inode table is not yet written back), reading the inode table
# to find out (`recently_deleted` was up to 30 % of a build's samples right
# after a delete).  So a trash (left by an interrupted run, or this
# bench's own at its end) is removed with a sync after it, that time is
# noted, and a run starts only 61 s after the last such removal.
remove_trash() {
	[ -d "$DIR/trash" ] || return 0
	rm -rf "$DIR/trash"
	sync
	date +%s > "$DIR/deleted-at"
}
remove_trash
if [ -f "$DIR/deleted-at" ]; then
	wait_s=$(( $(cat "$DIR/deleted-at") + 61 - $(date +%s) ))
	if [ "$wait_s" -gt 0 ]; then
		echo "bench: waiting ${wait_s} s: files were deleted here less than a minute ago, and ext4 makes new files slowly until then" >&2
		sleep "$wait_s"
	fi
fi

echo "toivo $(git rev-parse --short HEAD 2>/dev/null)$(git diff --quiet 2>/dev/null || echo +), $(hugo version 2>/dev/null | cut -d' ' -f1-2), $(nproc) cores, $RUNS runs after a warm-up, -j $JOBS"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
for n in $SIZES; do
	corpus "$n"
	pages=$(find "$c/content" -name '*.md' | wc -l)
	mb=$(du -sm "$c/content" | cut -f1)
	results=$DIR/results-$n
	: > "$results"
	# Hugo holds every page in memory, about 270 KB a page (2.7 GB at
	# 10 000 pages, measured here): above 10 000 pages per language it is
	# left out when that is more than the machine has free.
	free_mb=$(awk '/^MemAvailable:/ { print int($2 / 1024) }' /proc/meminfo)
	need_mb=$((n * 2 * 270 / 1024))
	hugo=yes
	if [ "$n" -gt 10000 ] && [ "$need_mb" -gt "$free_mb" ]; then
		hugo=
		echo "bench: Hugo left out at $n pages per language: it would need about $need_mb MB, the machine has $free_mb MB free"
	fi
	# Warm-up: the page cache holds the corpus, toivo's output exists for
	# the rebuilds.
	run_toivo warm
	[ -n "$hugo" ] && run_hugo warm
	run_floor warm
	i=0
	while [ $i -lt "$RUNS" ]; do
		run_toivo toivo
		run_rebuild rebuild
		run_print print
		[ -n "$hugo" ] && run_hugo hugo
		run_floor floor
		i=$((i + 1))
	done
	tw=$(median toivo 2)
	hw=$(median hugo 2)
	[ -n "$hugo" ] || hw=0
	fw=$(median floor 2)
	echo
	echo "$pages pages ($((pages / 2)) per language, $mb MB of Markdown)"
	printf '%-16s %9s %12s %10s %10s %9s %9s\n' tool "wall s" "user+sys s" "peak MB" "pages/s" "/ hugo" "/ floor"
	for t in toivo rebuild print hugo floor; do
		[ $t = hugo ] && [ -z "$hugo" ] && continue
		w=$(median $t 2)
		cpu=$(median $t 3)
		kb=$(peak $t)
		label=$t
		[ $t = rebuild ] && label="toivo rebuild"
		[ $t = print ] && label="toivo +print"
		awk -v l="$label" -v w="$w" -v cpu="$cpu" -v kb="$kb" -v p="$pages" -v hw="$hw" -v fw="$fw" 'BEGIN {
			h = hw > 0 ? sprintf("%9.3f", w / hw) : sprintf("%9s", "-")
			printf "%-16s %9.2f %12.2f %10.0f %10.0f %s %9.2f\n", l, w, cpu, kb / 1024, (w > 0 ? p / w : 0), h, w / fw }'
	done
	pw=$(median print 2)
	awk -v tw="$tw" -v hw="$hw" -v fw="$fw" -v pw="$pw" 'BEGIN {
		if (hw > 0)
			printf "toivo is %.1fx faster than Hugo (%.1fx with print pages), ", hw / tw, hw / pw
		printf "%.2fx the floor; print pages cost %.2fx the build without them\n", tw / fw, pw / tw }'
done
# toivo serve on the largest corpus: from saving one page to the reload
# event a browser waits for (tests/bench/serve_edit.py).
if [ "${BENCH_EDITS:-20}" -gt 0 ] && [ -n "$SIZES" ]; then
	echo
	python3 tests/bench/serve_edit.py "$TOIVO" "$c" "$DIR/serve-out" "${BENCH_EDITS:-20}" ||
		echo "serve: the one-page edit benchmark failed; see $DIR/serve-out.serve.log"
fi
# Search: toivo's index against Pagefind's (npm pagefind, installed by npm ci
# into tests/browser/node_modules, never downloaded here) on the same built
# site, in Chromium (tests/bench/search_bench.mjs).  Pagefind indexes <main>
# of the same pages, print pages left out as toivo leaves them out.
#   BENCH_SEARCH        0 skips this part
#   BENCH_SEARCH_SIZES  "course" (the bundled course, with the query set)
#                       and pages per language ("course 5000 50000": the
#                       course, 10 000 and 100 000 pages)
if [ "${BENCH_SEARCH:-1}" != 0 ]; then
	echo
	PF=$ROOT/tests/browser/node_modules/.bin/pagefind
	if ! [ -x "$PF" ] || ! [ -f "$ROOT/tests/browser/node_modules/playwright-core/package.json" ]; then
		npm ci --prefix "$ROOT/tests/browser" --no-audit --no-fund > "$DIR/npm.log" 2>&1 ||
			echo "search: npm ci in tests/browser failed; see $DIR/npm.log"
	fi
	if ! [ -x "$PF" ] || ! command -v node > /dev/null 2>&1 || ! [ -x "${CHROMIUM:-/usr/bin/chromium}" ]; then
		echo "search: skipped (needs node, npm ci in tests/browser, and chromium)"
	else
		sr=$DIR/search-results
		: > "$sr"
		for n in ${BENCH_SEARCH_SIZES:-course 5000 50000}; do
			if [ "$n" = course ]; then
				src=$ROOT
				q=$ROOT/tests/search/queries.yaml
				label=course
			else
				corpus "$n"
				src=$c
				q=
				label=$((n * 2))
			fi
			so=$DIR/search-$n
			aside "$so" "$so-pf"
			"$TOIVO" build -q -j "$JOBS" -s "$src" -o "$so" > "$DIR/last.log" 2>&1 ||
				{ echo "search: toivo build of $label failed"; continue; }
			cp -al "$so" "$so-pf" && find "$so-pf" -type d -name print -prune -exec rm -rf {} +
			/usr/bin/time -f '%e' -o "$DIR/pf.time" "$PF" --site "$so-pf" --output-path "$so/pagefind" \
				--root-selector main --quiet > "$DIR/pf.log" 2>&1 ||
				{ echo "search: pagefind failed on $label; see $DIR/pf.log"; continue; }
			timeout 3600 node tests/bench/search_bench.mjs "$so" "$label" $q >> "$sr" 2> "$DIR/search.log" ||
				echo "search: the browser part failed on $label; see $DIR/search.log"
			aside "$so" "$so-pf"
		done
		echo "search: toivo and Pagefind $("$PF" --version 2>/dev/null | cut -d' ' -f2) on the same site, in Chromium"
		echo "(KB uncompressed; cold = a fresh page's first query, search script included, median and largest;"
		echo " ms = input event to results shown, median; hits@3 on tests/search/queries.yaml)"
		printf '%-8s %-9s %10s %10s %10s %9s %9s %8s %8s\n' pages tool "index KB" "cold KB" "max KB" "ms cold" "ms warm" "hits fi" "hits en"
		awk '{ printf "%-8s %-9s %10.0f %10.1f %10.1f %9s %9s %8s %8s\n", $1, $2, $3 / 1024, $4 / 1024, $5 / 1024, $6, $7, $8, $9 }' "$sr"
	fi
fi
# toivo pdf on the bundled course (a copy, so that its cache starts empty)
# against ONE cold `chromium --headless --print-to-pdf` of its biggest print
# page, in turn in the same run; then toivo pdf again with nothing changed.
if [ "${BENCH_PDF:-3}" -gt 0 ]; then
	P=$DIR/pdf
	rm -rf "$P" && mkdir -p "$P/site" || exit 2
	cp -r "$ROOT/content" "$ROOT/lua" "$ROOT/themes" "$ROOT/site.yaml" "$P/site/"
	"$TOIVO" build -q -s "$P/site" -o "$P/html" || exit 1
	big=$(python3 -c 'import json, os, sys
d = sys.argv[1]
print(max((e["html"] for e in json.load(open(os.path.join(d, "print.json")))), key=lambda h: os.path.getsize(os.path.join(d, h))))' "$P/html")
	chromium=$(command -v chromium || command -v chromium-browser)
	results=$DIR/results-pdf
	shell=$(command -v chromium-headless-shell || true)
	: > "$results"
	cold() {
		prof=$(mktemp -d "$P/prof.XXXXXX")
		timed chromium "$chromium" --headless --no-sandbox --disable-gpu --no-first-run \
			--disable-background-networking --disable-component-update --disable-sync \
			--no-pdf-header-footer --user-data-dir="$prof" --print-to-pdf="$P/cold.pdf" "file://$P/html/$big"
		rm -rf "$prof"
		# toivo pdf drives the headless shell when it is installed: one
		# cold print with it too, to show what the browser alone gains.
		if [ -n "$shell" ]; then
			prof=$(mktemp -d "$P/prof.XXXXXX")
			timed chromium-shell "$shell" --headless --no-sandbox --disable-gpu --no-first-run \
				--disable-background-networking --disable-component-update --disable-sync \
				--no-pdf-header-footer --user-data-dir="$prof" --print-to-pdf="$P/cold.pdf" "file://$P/html/$big"
			rm -rf "$prof"
		fi
	}
	i=0
	while [ $i -lt "${BENCH_PDF:-3}" ]; do
		cold
		rm -rf "$P/site/.toivo-cache"
		timed "toivo-pdf" "$TOIVO" pdf -q -s "$P/site" -o "$P/out"
		timed "toivo-pdf-again" "$TOIVO" pdf -q -s "$P/site" -o "$P/out"
		if [ -n "${BENCH_PDF_BASE:-}" ]; then
			rm -rf "$P/site/.toivo-cache"
			timed "toivo-pdf-base" "$BENCH_PDF_BASE" pdf -q -s "$P/site" -o "$P/out-base"
		fi
		i=$((i + 1))
	done
	docs=$(python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))))' "$P/out/print.json")
	# toivo pdf also makes a PDF of each slide deck (slides.json): counted apart.
	decks=$(python3 -c 'import json, os, sys; print(len(json.load(open(sys.argv[1]))) if os.path.exists(sys.argv[1]) else 0)' "$P/out/slides.json")
	cw=$(median chromium 2)
	echo
	echo "toivo pdf: the bundled course, $docs print PDFs and $decks slide-deck PDFs; one cold Chromium print of $big ($(du -k "$P/html/$big" | cut -f1) kB); median of ${BENCH_PDF:-3}"
	echo "(toivo pdf drives ${TOIVO_CHROMIUM:-${shell:-chromium}}; the ratio is to the full browser's cold print)"
	printf '%-28s %9s %12s %10s %14s\n' run "wall s" "user+sys s" "peak MB" "/ one Chromium"
	for t in chromium ${shell:+chromium-shell} toivo-pdf toivo-pdf-again ${BENCH_PDF_BASE:+toivo-pdf-base}; do
		w=$(median $t 2)
		cpu=$(median $t 3)
		kb=$(peak $t)
		label=$t
		[ $t = chromium ] && label="chromium, one page (cold)"
		[ $t = chromium-shell ] && label="headless shell, one (cold)"
		[ $t = toivo-pdf ] && label="toivo pdf, all (cold cache)"
		[ $t = toivo-pdf-again ] && label="toivo pdf, nothing changed"
		[ $t = toivo-pdf-base ] && label="BENCH_PDF_BASE, all (cold)"
		awk -v l="$label" -v w="$w" -v cpu="$cpu" -v kb="$kb" -v cw="$cw" 'BEGIN {
			printf "%-28s %9.2f %12.2f %10.0f %14.2f\n", l, w, cpu, kb / 1024, (cw > 0 ? w / cw : 0) }'
	done
	echo "(user+sys is what /usr/bin/time sees: the processes that were waited for; Chromium's renderers and"
	echo " print compositors are mostly not, so both Chromium rows show a third to a half of the CPU time)"
	awk -v tw="$(median toivo-pdf 2)" -v cw="$cw" -v aw="$(median toivo-pdf-again 2)" 'BEGIN {
		printf "toivo pdf takes %.2fx one cold Chromium print (target <= 2); a run with nothing changed %.2f s (target < 1)\n", tw / cw, aw }'
	ls -l "$P"/out/*/print/*.pdf "$P"/out/*/*/print/*.pdf 2>/dev/null | awk '{ s += $5; if ($5 > m) m = $5 } END { printf "PDF sizes: %.1f MB in all, the biggest %.2f MB\n", s / 1048576, m / 1048576 }'
fi
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
remove_trash
