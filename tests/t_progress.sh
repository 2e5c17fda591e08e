#!/bin/sh
# t_progress.sh - the status line of a long build: shown on a terminal
# (toivo build under script(1), a real pseudo-terminal), never in a log,
# off with --quiet, and cleared before any other message so that it never
# mixes with one.  TOIVO_PROGRESS_AFTER=0 shows it from the start (a real
# build waits a second first), so no check depends on the machine's speed.
. "$(dirname "$0")/lib.sh"

if ! command -v script > /dev/null 2>&1; then
	echo "ok - # SKIP the status line: script(1) from bsdutils is not installed"
	exit 0
fi

new_site "$T/s"
awk -v d="$T/s/content/mod" 'BEGIN {
	for (i = 1; i <= 300; i++) {
		f = sprintf("%s/p%03d.fi.md", d, i)
		printf "---\ntitle: \"Sivu %d\"\nweight: %d\n---\n\n## Osa\n\nTeksti %d.\n", i, i + 10, i > f
		close(f)
	}
}'

# tty ARGS...: runs toivo on a pseudo-terminal; what it wrote is in $T/tty.
tty() {
	TOIVO_PROGRESS_AFTER=0 timeout 120 script -qec "$TOIVO $*" /dev/null > "$T/tty" 2>&1
	rc=$?
}

tty build -s "$T/s" -o "$T/out1"
[ "$rc" = 0 ] && ok "a build on a terminal works" || nok "a build on a terminal works" "$(cat -v "$T/tty")"
# The rendering counter ends at every page (303 pages: 300 + home + module
# in Finnish, 3 in English... counted by the build itself).
pages=$(find "$T/out1" -name index.html -path '*/fi/*' | wc -l)
grep -aq 'toivo: rendering, [0-9]*/[0-9]* pages, [0-9]* pages/s' "$T/tty" &&
	ok "the status line counts the pages rendered" ||
	nok "the status line counts the pages rendered" "$(cat -v "$T/tty" | head -5)"
last=$(tr '\r' '\n' < "$T/tty" | grep -a 'toivo: rendering' | tail -1)
n=$(printf '%s\n' "$last" | sed -n 's/.*rendering, \([0-9]*\)\/\([0-9]*\) pages.*/\1 \2/p')
set -- $n
[ -n "$1" ] && [ "$1" = "$2" ] && [ "$1" -ge "$pages" ] &&
	ok "its last count is all the pages ($last)" ||
	nok "its last count is all the pages" "last: $last; Finnish pages written: $pages"
grep -aq 'toivo: reading pages' "$T/tty" && ok "reading the pages is shown too" ||
	nok "reading the pages is shown too" "$(cat -v "$T/tty" | head -5)"
# The summary comes on a line of its own, the status line cleared before it.
tr '\r' '\n' < "$T/tty" | sed 's/^\x1b\[K//' | grep -aq '^toivo: [0-9]* pages in [0-9]* ms' &&
	ok "the summary line follows the cleared status line" ||
	nok "the summary line follows the cleared status line" "$(cat -v "$T/tty" | tail -3)"

tty build -q -s "$T/s" -o "$T/out2"
if [ "$rc" = 0 ] && ! grep -aq 'rendering' "$T/tty" && ! grep -aq "$(printf '\033')" "$T/tty"; then
	ok "--quiet shows no status line on a terminal"
else
	nok "--quiet shows no status line on a terminal" "$(cat -v "$T/tty")"
fi

# Not a terminal (a CI log): the summary and nothing else.
TOIVO_PROGRESS_AFTER=0 timeout 120 "$TOIVO" build -s "$T/s" -o "$T/out3" > "$T/out" 2> "$T/err"
if ! grep -q "$(printf '\r')" "$T/err" && ! grep -q 'rendering' "$T/err" && [ "$(wc -l < "$T/err")" = 1 ]; then
	ok "in a log there is no status line, only the summary"
else
	nok "in a log there is no status line, only the summary" "$(cat -v "$T/err")"
fi

# A message in the middle of the work clears the status line first: the
# warning stands whole at the start of its line.
printf -- '---\ntitle: "Rikki"\nweight: 999\n---\n\n[ei ole](ei-ole.md)\n' > "$T/s/content/mod/rikki.fi.md"
tty build -s "$T/s" -o "$T/out4"
tr '\r' '\n' < "$T/tty" | sed 's/^\x1b\[K//' | grep -aq '^content/mod/rikki.fi.md:6:.*warning' &&
	ok "a warning during the build is on a line of its own" ||
	nok "a warning during the build is on a line of its own" "$(cat -v "$T/tty" | head -8)"
