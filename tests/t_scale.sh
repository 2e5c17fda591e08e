#!/bin/sh
# t_scale.sh - nothing in a build grows with the square of the pages: one
# module of 5 000 lessons builds in bounded time, and twice the lessons
# cost about twice the time (quadratic work would cost four times).
. "$(dirname "$0")/lib.sh"

# big_site DIR N: one language, one module of N lessons, each linking to
# the next one.
big_site() {
	mkdir -p "$1/content/iso"
	cat > "$1/site.yaml" <<'YAML'
title: "Iso kurssi"
languages: [fi]
default_language: fi
base_url: "https://example.org/iso/"
print: false
YAML
	printf -- '---\ntitle: "Koti"\n---\n\nKotisivu.\n' > "$1/content/_index.fi.md"
	printf -- '---\ntitle: "Iso moduuli"\n---\n\nModuuli.\n' > "$1/content/iso/_index.fi.md"
	awk -v n="$2" -v d="$1/content/iso" 'BEGIN {
		for (i = 1; i <= n; i++) {
			f = sprintf("%s/l%05d.fi.md", d, i)
			printf "---\ntitle: \"Oppitunti %d\"\nweight: %d\ndate: 2021-04-17\ntranslationKey: \"l%d\"\n---\n\n## Osa %d\n\nTeksti [seuraava](/fi/iso/l%05d/), ~~vanha~~ ja www.example.org.\n", i, i, i, i, (i % n) + 1 > f
			close(f)
		}
	}'
}

# timed_build SITE: runs toivo build; $secs = user + system seconds of the
# build (CPU time, steadier than wall time on a busy machine), $wall.
timed_build() {
	set -- $(python3 - "$TOIVO" "$1" "$T/err" <<'PY'
import resource, subprocess, sys, time
t0 = time.monotonic()
with open(sys.argv[3], "w") as err:
    rc = subprocess.call([sys.argv[1], "build", "-q", "-s", sys.argv[2]], stdout=subprocess.DEVNULL, stderr=err)
wall = time.monotonic() - t0
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
print(rc, "%.3f" % (ru.ru_utime + ru.ru_stime), "%.3f" % wall)
PY
)
	rc=$1
	secs=$2
	wall=$3
}

big_site "$T/half" 2500
big_site "$T/full" 5000

timed_build "$T/half"
[ "$rc" = 0 ] && ok "a module of 2 500 lessons builds" || nok "a module of 2 500 lessons builds" "$(cat "$T/err")"
half=$secs
timed_build "$T/full"
[ "$rc" = 0 ] && ok "a module of 5 000 lessons builds" || nok "a module of 5 000 lessons builds" "$(cat "$T/err")"
full=$secs
[ -s "$T/err" ] && nok "no warnings or errors for site-absolute links and dates" "$(cat "$T/err")" ||
	ok "no warnings or errors for site-absolute links and dates"
echo "# 2 500 lessons: ${half}s CPU; 5 000 lessons: ${full}s CPU, ${wall}s wall"
awk -v w="$wall" 'BEGIN { exit !(w < 20) }' && ok "5 000 lessons in under 20 s" || nok "5 000 lessons in under 20 s" "took ${wall}s"
awk -v a="$half" -v b="$full" 'BEGIN { exit !(b < 3 * a) }' &&
	ok "twice the lessons cost less than three times the time" ||
	nok "twice the lessons cost less than three times the time" "2 500: ${half}s, 5 000: ${full}s"

P=$T/full/public/fi/iso
check "the last lesson is written" test -f "$P/l05000/index.html"
n=$(grep -c 'href="\.\./l[0-9]*/index.html"' "$P/l02500/index.html")
[ "$n" -le 60 ] && ok "a lesson's navigation lists a window of its module ($n links)" ||
	nok "a lesson's navigation lists a window of its module" "$n links to lessons"
grep -q 'aria-current="page">Oppitunti 2500<' "$P/l02500/index.html" &&
	ok "the window holds the current lesson" || nok "the window holds the current lesson"
grep -q 'class="lesson-number">[^<]* 2500<' "$P/l02500/index.html" &&
	ok "the lesson knows its number" || nok "the lesson knows its number" "$(grep -o 'lesson-number[^/]*' "$P/l02500/index.html")"
n=$(grep -o 'href="l[0-9]*/index.html"' "$P/index.html" | sort -u | wc -l)
[ "$n" = 5000 ] && ok "the module page lists all its lessons" || nok "the module page lists all its lessons" "$n links"
# cmark-gfm's inline pass is not thread-safe (a global table): every page
# must get its strikethrough and autolink, whichever worker made it.
n=$(grep -L '<del>vanha</del>.*href="http://www.example.org"' "$P"/l*/index.html | wc -l)
[ "$n" = 0 ] && ok "strikethrough and autolinks on every page built in parallel" ||
	nok "strikethrough and autolinks on every page built in parallel" "$n pages without"
grep -q 'href="\.\./l02501/index.html"' "$P/l02500/index.html" &&
	ok "site-absolute links become relative" || nok "site-absolute links become relative"
