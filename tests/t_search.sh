#!/bin/sh
# t_search.sh - the search index the build writes (generator/search.c):
# one script per language, titles, modules, URLs from the language root,
# headings with their ids, plain text without tags or hidden parts,
# accent-folded words past the text cut, `search: false`, and the size for
# the bundled course.  The search box itself is tested in t_browser.sh.
. "$(dirname "$0")/lib.sh"

S=$T/s
new_site "$S"
printf 'markdown:\n  unsafe: true\n' >> "$S/site.yaml"
cat > "$S/content/mod/kolmas.fi.md" <<'MD'
---
title: "Työn & toivon sivu"
weight: 3
---

## Otsikko <em>korostettu</em>

Tekstiä, jossa on &lt;tagin näköistä&gt; ja "lainaus".

<svg><text>PIILOSANA</text></svg>
<span aria-hidden="true">PIILOTETTU</span>
MD
{
	printf -- '---\ntitle: "Pitkä"\nweight: 4\n---\n\n'
	i=0
	while [ "$i" -lt 400 ]; do
		printf 'Täytettä sana%d on tässä. ' "$i"
		i=$((i + 1))
	done
	printf '\n\nLopussa Äänekoski ja ŁÓDŹ.\n'
} > "$S/content/mod/pitka.fi.md"
printf -- '---\ntitle: "Salainen"\nweight: 5\nsearch: false\n---\n\nEi hakuun.\n' > "$S/content/mod/salainen.fi.md"
run_toivo build -s "$S" -o "$T/pub"
if [ "$rc" = 0 ]; then ok "the site builds"; else nok "the site builds" "$(cat "$T/err")"; exit 0; fi

FI=$T/pub/fi/search-index.js
EN=$T/pub/en/search-index.js
check "fi/search-index.js is written" test -s "$FI"
check "en/search-index.js is written" test -s "$EN"
check "the index defines window.toivoSearch.fi" grep -q '(window.toivoSearch = window.toivoSearch || {})\["fi"\] = \[' "$FI"
check "the en index holds en pages" grep -q '"First","Module","module/first/index.html"' "$EN"
check "a record: title, module, URL from the language root" grep -q '\["Eka","Moduuli","mod/eka/index.html",' "$FI"
check "the home page's URL is index.html" grep -q '^\["Koti","","index.html",' "$FI"
check "headings with their ids" grep -q '\["Toivon löytäminen","toivon-loytaminen"\]' "$FI"
check "entities decoded, the title kept whole" grep -q '"Työn & toivon sivu"' "$FI"
check "inline markup runs on in a heading" grep -q '"Otsikko korostettu"' "$FI"
check "< is escaped for a script" grep -q 'on \\u003ctagin näköistä> ja \\"lainaus\\"' "$FI"
if grep -q 'PIILO' "$FI"; then nok "svg and aria-hidden text left out"; else ok "svg and aria-hidden text left out"; fi
if grep -q 'Salainen' "$FI"; then nok "search: false leaves a page out"; else ok "search: false leaves a page out"; fi
if grep -q '"Sivua ei löytynyt"' "$FI"; then nok "the 404 page is not indexed"; else ok "the 404 page is not indexed"; fi
check "past the text cut: accent-folded words, each once" grep -q ' aanekoski ja lodz"\]' "$FI"
n=$(grep -o 'sana399' "$FI" | wc -l)
[ "$n" = 1 ] && ok "a word past the cut is listed once" || nok "a word past the cut is listed once" "$n times"
if command -v node >/dev/null 2>&1; then
	out=$(node -e 'global.window = {}; require(process.argv[1]); const a = window.toivoSearch.fi;
		console.log(a.length, a.every((r) => r.length === 6 && r[4].length <= 6000))' "$FI" 2>&1)
	[ "$out" = "6 true" ] && ok "the index is valid JavaScript (6 fi pages, text cut at 6000 bytes)" ||
		nok "the index is valid JavaScript (6 fi pages, text cut at 6000 bytes)" "$out"
fi

# The bundled course: well under 200 KB a language.
run_toivo build -s "$ROOT" -o "$T/course"
for l in fi en; do
	sz=$(wc -c < "$T/course/$l/search-index.js" 2>/dev/null || echo 0)
	if [ "$sz" -gt 1000 ] && [ "$sz" -lt 204800 ]; then
		ok "the bundled course's $l index is under 200 KB ($sz bytes)"
	else
		nok "the bundled course's $l index is under 200 KB" "$sz bytes"
	fi
done
