#!/bin/sh
# t_search.sh - the search index the build writes (generator/search.c): per
# language a manifest, term shards and page records, each a script; titles,
# modules, URLs from the language root, sections with their ids, plain text
# without tags or hidden parts, Finnish base forms and compound parts,
# every word of a long page, `search: false`, the 404 page, shard order,
# and the sizes for the bundled course.  The search box itself is tested
# in t_search_browser.sh and t_browser.sh.
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

Kokemusasiantuntijoiden työ asumispalveluissa.

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

D=$T/pub/fi/search
check "fi/search/index.js is written" test -s "$D/index.js"
check "en/search/index.js is written" test -s "$T/pub/en/search/index.js"
check "the manifest sets window.toivoSearch[\"fi/index\"]" grep -q '(window.toivoSearch = window.toivoSearch || {})\["fi/index"\] = {"pages":6,' "$D/index.js"
check "the en records hold en pages" grep -q '\["First","Module","module/first/index.html",' "$T/pub/en/search/r0.js"
check "a record: title, module, URL from the language root" grep -q '\["Eka","Moduuli","mod/eka/index.html",' "$D"/r*.js
check "the home page's URL is index.html" grep -q '^\["Koti","","index.html",' "$D/r0.js"
check "sections: heading and id" grep -q '\["Toivon löytäminen","toivon-loytaminen",' "$D"/r*.js
check "entities decoded, the title kept whole" grep -q '"Työn & toivon sivu"' "$D"/r*.js
check "inline markup runs on in a heading" grep -q '"Otsikko korostettu","otsikko-korostettu"' "$D"/r*.js
check "< is escaped for a script" grep -q 'on \\u003ctagin näköistä> ja \\"lainaus\\"' "$D"/r*.js
# Each "left out" check first finds the text on the built page, so it
# cannot pass because the page or the words are missing.
if ! grep -rq 'PIILOSANA' "$T/pub/fi" --include=index.html; then nok "svg and aria-hidden text left out" "PIILOSANA is on no built page"
elif grep -qi 'PIILO' "$D"/*.js; then nok "svg and aria-hidden text left out"; else ok "svg and aria-hidden text left out"; fi
if ! grep -q 'Ei hakuun' "$T/pub/fi/mod/salainen/index.html" 2>/dev/null; then nok "search: false leaves a page out" "the page was not built"
elif grep -q 'Salainen\|"ei":\|"hakuun"' "$D"/*.js; then nok "search: false leaves a page out"; else ok "search: false leaves a page out"; fi
nf=$(sed -n 's/.*<h1[^>]*>\([^<]*\)<\/h1>.*/\1/p' "$T/pub/fi/404.html" | head -1)
if [ -z "$nf" ]; then nok "the 404 page is not indexed" "no <h1> in fi/404.html"
elif grep -qF "\"$nf\"" "$D"/*.js; then nok "the 404 page is not indexed" "'$nf' is in the index"; else ok "the 404 page is not indexed ('$nf')"; fi
check "a Finnish compound: base form, then its parts" grep -q '"kokemusasiantuntijoiden":"kokemusasiantuntija|kokemus asiantuntija tuntija"' "$D"/s*.js
check "an inflected compound's base form and tail" grep -q '"asumispalveluissa":"asumispalvelu|palvelu"' "$D"/s*.js
check "an inflected word's base form (työn -> työ)" grep -q '"työn":"työ"' "$D"/s*.js
check "a base form is a term with its pages" grep -q '"asumispalvelu":\[' "$D"/s*.js
check "every word of a long page is indexed (sana399)" grep -q '"sana399":\[' "$D"/s*.js
check "English terms are Snowball stems" grep -q '"first":\[' "$T/pub/en/search"/s*.js
if command -v node >/dev/null 2>&1; then
	# Every file is a script; every term and form sits in the shard the
	# manifest names for it (the last whose first key sorts at or before
	# its folded spelling, folded as search.js does); records per file.
	out=$(node -e '
		const fs = require("fs"), dir = process.argv[1];
		global.window = {};
		for (const f of fs.readdirSync(dir)) require(dir + "/" + f);
		const d = window.toivoSearch, m = d["fi/index"], bad = [];
		const fold = (s) => s.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
		const shardOf = (k) => { let i = 0; while (i + 1 < m.shards.length && m.shards[i + 1] <= k) i++; return i; };
		let terms = 0;
		m.shards.forEach((_, i) => {
			const s = d["fi/s" + i];
			if (!s) { bad.push("no shard " + i); return; }
			for (const k of Object.keys(s.t).concat(Object.keys(s.f))) {
				terms++;
				if (shardOf(fold(k)) !== i) bad.push(k + " in s" + i + ", not s" + shardOf(fold(k)));
			}
		});
		let recs = 0;
		for (let i = 0; d["fi/r" + i]; i++) recs += d["fi/r" + i].length;
		console.log(bad.length ? bad.slice(0, 5).join("; ") : "ok", recs, terms > 50);
	' "$D" 2>&1)
	[ "$out" = "ok 6 true" ] && ok "every file is a script; each word sits in its shard; 6 fi records" ||
		nok "every file is a script; each word sits in its shard; 6 fi records" "$out"
fi

# The bundled course: no file over 30 KB, a language's index under 400 KB.
run_toivo build -s "$ROOT" -o "$T/course"
for l in fi en; do
	sz=$(cat "$T/course/$l/search"/*.js 2>/dev/null | wc -c)
	big=$(find "$T/course/$l/search" -name '*.js' -size +30k | head -3)
	if [ "$sz" -gt 1000 ] && [ "$sz" -lt 409600 ] && [ -z "$big" ]; then
		ok "the bundled course's $l index: $sz bytes, no file over 30 KB"
	else
		nok "the bundled course's $l index: under 400 KB, no file over 30 KB" "$sz bytes; $big"
	fi
done
