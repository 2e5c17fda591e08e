#!/bin/sh
# t_memory.sh - memory does not grow with the site's text.  A site of
# 1 500 pages with 40 KB of text each (60 MB of Markdown, print pages and
# search on) builds under a virtual memory limit (ulimit -v) that is the
# small site's need plus 60 MB: a build that kept every page's HTML, its
# search record or a whole course print page in memory fails it (measured
# here: a 20-page site needs 79 MB, the 1 500 pages 95 MB; toivo 0.2.0,
# which kept them, needed 426 MB).  Nothing here looks at
# the clock.
. "$(dirname "$0")/lib.sh"

case "$TOIVO" in
*-asan)
	echo "ok - # SKIP memory limits: AddressSanitizer reserves terabytes of address space, so ulimit -v cannot apply"
	exit 0
	;;
esac

# text_site DIR N: one language, two modules of N/2 lessons, each lesson
# about 40 KB of varied Finnish-looking text with headings and links.
text_site() {
	mkdir -p "$1/content/a" "$1/content/b"
	cat > "$1/site.yaml" <<'YAML'
title: "Iso teksti"
languages: [fi]
default_language: fi
base_url: "https://example.org/iso/"
YAML
	printf -- '---\ntitle: "Koti"\n---\n\nKotisivu.\n' > "$1/content/_index.fi.md"
	printf -- '---\ntitle: "Moduuli A"\nweight: 1\n---\n\nEnsimmäinen.\n' > "$1/content/a/_index.fi.md"
	printf -- '---\ntitle: "Moduuli B"\nweight: 2\n---\n\nToinen.\n' > "$1/content/b/_index.fi.md"
	awk -v n="$2" -v d="$1/content" 'BEGIN {
		split("toipuminen kokemus asiantuntija vertainen tuki arki ryhmä luottamus mielenterveys palvelu kuntoutus toivo yhteisö opinto työ", w, " ")
		srand(7)
		for (i = 1; i <= n; i++) {
			m = i <= n / 2 ? "a" : "b"
			f = sprintf("%s/%s/l%05d.fi.md", d, m, i)
			printf "---\ntitle: \"Oppitunti %d\"\nweight: %d\n---\n\n", i, i > f
			for (s = 1; s <= 20; s++) {
				printf "## Osa %d.%d\n\n", i, s > f
				line = ""
				for (k = 1; k <= 300; k++)
					line = line w[int(rand() * 15) + 1] " "
				printf "%s[alku](l%05d.fi.md)\n\n", line, (m == "a" ? 1 : n / 2 + 1) > f
			}
			close(f)
		}
	}'
}

# vm_build SITE LIMIT_KB: toivo build under ulimit -v LIMIT_KB.  One
# malloc arena: glibc reserves 64 MB of address space for each thread's
# arena, which would measure the threads rather than what is allocated.
vm_build() {
	(ulimit -v "$2" && MALLOC_ARENA_MAX=1 exec timeout 300 "$TOIVO" build -q -j 2 -s "$1" -o "$1/public") > "$T/out" 2> "$T/err"
	rc=$?
}

# peak_vm SITE: the least limit (KB, in steps of 16 MB) the small site
# builds under, so the limit below follows this machine's libraries.
text_site "$T/small" 20
lo=65536
hi=4194304
vm_build "$T/small" $hi
[ "$rc" = 0 ] || { nok "the small site builds" "$(cat "$T/err")"; exit 0; }
while [ $((hi - lo)) -gt 16384 ]; do
	mid=$(((lo + hi) / 2))
	vm_build "$T/small" $mid
	if [ "$rc" = 0 ]; then hi=$mid; else lo=$mid; fi
done
echo "# the small site (20 pages) builds in $((hi / 1024)) MB of address space"

text_site "$T/big" 1500
md=$(du -sm "$T/big/content" | cut -f1)
limit=$((hi + 61440))
vm_build "$T/big" $limit
if [ "$rc" = 0 ]; then
	ok "1 500 pages ($md MB of Markdown) build within the small site's memory + 60 MB ($((limit / 1024)) MB)"
else
	nok "1 500 pages ($md MB of Markdown) build within the small site's memory + 60 MB ($((limit / 1024)) MB)" "exit $rc: $(tail -5 "$T/err")"
fi
check "...and their print pages are written" test -s "$T/big/public/fi/print/index.html"
n=$(grep -c '<section class="print-lesson' "$T/big/public/fi/print/index.html")
[ "$n" = 1502 ] && ok "...the course print page holds every lesson and module ($n sections)" ||
	nok "...the course print page holds every lesson and module" "$n sections"
check "...and the search index" test -s "$T/big/public/fi/search/index.js"
[ -s "$T/err" ] && nok "...with no messages" "$(head -5 "$T/err")" || ok "...with no messages"
