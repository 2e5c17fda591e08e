#!/bin/sh
# t_check.sh - toivo check tells the truth: dates must be ISO 8601 (an
# error), images without alt text and left-out raw HTML are warnings (once
# each, in build and check), the last line counts errors and warnings,
# --strict fails on warnings; cmark-gfm's fixed English (footnote labels,
# the left-out HTML note) in the page's language; one error for a YAML
# error in a home page.
. "$(dirname "$0")/lib.sh"

S=$T/s
new_site "$S"
E=$S/content/mod/eka.fi.md
FI=$S/public/fi/mod/eka/index.html
EN=$S/public/en/module/first/index.html
printf 'PNG' > "$S/content/mod/kuva.png"

# page_fi FRONT BODY: the Finnish lesson with extra front matter lines FRONT
# (from line 4 on), then BODY (from line 5 on without FRONT).
page_fi() {
	printf -- '---\ntitle: "Eka"\nweight: 1\n%s---\n%s\n' "$1" "$2" > "$E"
}
# count PATTERN: how many lines of stderr match.
count() { grep -c -- "$1" "$T/err"; }

# --- dates: ISO 8601 or an error, in build and check ---------------------------
page_fi 'date: eilen
' 'Teksti.'
expect_fail "date: eilen fails the build at file:line:col" \
	"^content/mod/eka.fi.md:4:7: error: date: 'eilen' is not a date; write it as YYYY-MM-DD \(ISO 8601\), e.g. date: 2026-03-01" build -s "$S"
[ "$(count 'error:')" = 1 ] && ok "date: eilen is one error" || nok "date: eilen is one error" "$(cat "$T/err")"
expect_fail "date: eilen fails toivo check the same way" "^content/mod/eka.fi.md:4:7: error: date: 'eilen' is not a date" check -s "$S"
grep -q 'toivo check: 1 error$' "$T/err" && ! grep -q 'no problems' "$T/err" &&
	ok "check's last line counts the error" || nok "check's last line counts the error" "$(cat "$T/err")"
if grep -q '/tmp/toivo-check' "$T/err"; then nok "check does not name its temporary folder" "$(cat "$T/err")"; else ok "check does not name its temporary folder"; fi
page_fi 'date: 2026
' 'Teksti.'
expect_fail "a bare year (a number to YAML) is no date" "^content/mod/eka.fi.md:4:7: error: date: '2026' is not a date" build -s "$S"
page_fi 'date: 1.3.2026
' 'Teksti.'
expect_fail "the Finnish way of writing a date is an error" "^content/mod/eka.fi.md:4:7: error: date: '1.3.2026' is not a date" build -s "$S"
page_fi 'date: 2026-03-01T25:00
' 'Teksti.'
expect_fail "a date with an impossible time is an error" "^content/mod/eka.fi.md:4:7: error: date: '2026-03-01T25:00' is not a date" build -s "$S"
for d in 2026-03-01 2026-03-01T14:30 "2026-03-01 14:30:00+02:00" 2026-03-01T14:30:00Z 2026-03-01T14:30:00.5+0200; do
	page_fi "date: $d
" 'Teksti.'
	run_toivo build -s "$S"
	[ "$rc" = 0 ] && ! grep -q 'date' "$T/err" && ok "date: $d builds" || nok "date: $d builds" "exit $rc; $(cat "$T/err")"
done

# --- a clean site: no problems, exit 0, with and without --strict ---------------
page_fi '' 'Teksti.'
run_toivo check -s "$S"
[ "$rc" = 0 ] && grep -q '^toivo check: no problems found$' "$T/err" && ! grep -q 'warning' "$T/err" &&
	ok "a clean site: no problems found" || nok "a clean site: no problems found" "exit $rc; $(cat "$T/err")"
run_toivo check --strict -s "$S"
[ "$rc" = 0 ] && grep -q 'no problems found' "$T/err" && ok "a clean site passes --strict" || nok "a clean site passes --strict" "exit $rc; $(cat "$T/err")"

# --- images without alt text, raw HTML: warnings --------------------------------
page_fi '' '
Kuva ilman tekstiä: ![](kuva.png)

Koriste: ![-](kuva.png) ja kuvattu: ![Kaavio tuloksista](kuva.png)

<div class="raw">raaka</div>

Rivin sisällä <span>x</span> ja <b>y</b>.

<!-- muistiinpano kirjoittajalle -->

Koriste, jonka teksti on linkki: ![[-](toka.fi.md)](kuva.png)
'
IMG='^content/mod/eka.fi.md:6: warning: image '"'"'kuva.png'"'"' has no alt text'
DIV='^content/mod/eka.fi.md:10: warning: raw HTML .<div class="raw">. is left out of the page, as markdown.unsafe is off'
SPAN='^content/mod/eka.fi.md:12: warning: raw HTML .<span>. is left out.*markdown: {unsafe: true}'
for cmd in build check; do
	run_toivo $cmd -s "$S"
	[ "$rc" = 0 ] && ok "$cmd: warnings alone exit 0" || nok "$cmd: warnings alone exit 0" "exit $rc; $(cat "$T/err")"
	[ "$(count "$IMG")" = 1 ] && ok "$cmd: an image without alt text is one warning naming file:line" ||
		nok "$cmd: an image without alt text is one warning naming file:line" "$(cat "$T/err")"
	[ "$(count 'has no alt text')" = 1 ] && ok "$cmd: decorative (-) and described images pass" ||
		nok "$cmd: decorative (-) and described images pass" "$(cat "$T/err")"
	[ "$(count "$DIV")" = 1 ] && ok "$cmd: a raw HTML block is a warning naming the line and markdown.unsafe" ||
		nok "$cmd: a raw HTML block is a warning naming the line and markdown.unsafe" "$(cat "$T/err")"
	[ "$(count "$SPAN")" = 1 ] && [ "$(count ':12: warning')" = 1 ] && ok "$cmd: inline raw HTML is one warning for its line" ||
		nok "$cmd: inline raw HTML is one warning for its line" "$(cat "$T/err")"
	if grep -q 'muistiinpano\|:14: warning' "$T/err"; then nok "$cmd: an HTML comment passes without a word" "$(cat "$T/err")"; else ok "$cmd: an HTML comment passes without a word"; fi
	[ "$(count 'warning:')" = 3 ] && ok "$cmd: three warnings in all, each once" || nok "$cmd: three warnings in all, each once" "$(cat "$T/err")"
done
grep -q '^toivo check: 3 warnings$' "$T/err" && ! grep -q 'no problems' "$T/err" &&
	ok "check's last line says 3 warnings, not no problems" || nok "check's last line says 3 warnings, not no problems" "$(tail -1 "$T/err")"
run_toivo build -s "$S"
grep -q '^toivo: 8 pages in [0-9]* ms -> .*; 3 warnings$' "$T/err" &&
	ok "build's summary counts the warnings" || nok "build's summary counts the warnings" "$(tail -1 "$T/err")"
check "a decorative image is written with alt=\"\"" grep -q 'Koriste: <img src="../kuva.png" alt="" />' "$FI"
check "a described image keeps its alt text" grep -q 'alt="Kaavio tuloksista"' "$FI"
run_toivo check --strict -s "$S"
[ "$rc" = 1 ] && grep -q '^toivo check: 3 warnings; --strict fails the check on warnings$' "$T/err" &&
	ok "check --strict: warnings exit 1" || nok "check --strict: warnings exit 1" "exit $rc; $(tail -2 "$T/err")"
run_toivo build --strict -s "$S"
[ "$rc" = 2 ] && ok "build has no --strict (a usage error)" || nok "build has no --strict (a usage error)" "exit $rc"
printf 'markdown: {unsafe: true}\n' >> "$S/site.yaml"
run_toivo check -s "$S"
[ "$rc" = 0 ] && ! grep -q 'raw HTML' "$T/err" && grep -q '^toivo check: 1 warning$' "$T/err" &&
	ok "with markdown.unsafe, raw HTML is kept without a warning" || nok "with markdown.unsafe, raw HTML is kept without a warning" "exit $rc; $(cat "$T/err")"
sed -i '/^markdown:/d' "$S/site.yaml"
# An error and warnings: both counted, exit 1.
printf -- '---\ntitle: "Toka"\nweight: 2\n---\n\n[rikki](ei-ole.fi.md)\n' > "$S/content/mod/toka.fi.md"
run_toivo check -s "$S"
[ "$rc" = 1 ] && grep -q '^toivo check: 1 error, 3 warnings$' "$T/err" &&
	ok "an error and warnings: exit 1, both counted" || nok "an error and warnings: exit 1, both counted" "exit $rc; $(tail -2 "$T/err")"
printf -- '---\ntitle: "Toka"\nweight: 2\n---\n\nToinen.\n' > "$S/content/mod/toka.fi.md"

# --- cmark-gfm's words in the page's language ----------------------------------
page_fi '' '
Teksti, jossa on alaviite.[^1]

<div>pois</div>

[^1]: Alaviitteen teksti.'
printf -- '---\ntitle: "First"\nslug: first\nweight: 1\n---\n\nText with a footnote.[^1]\n\n<div>out</div>\n\n[^1]: The note.\n' > "$S/content/mod/eka.en.md"
run_toivo build -s "$S"
[ "$rc" = 0 ] && ok "pages with footnotes build" || nok "pages with footnotes build" "$(cat "$T/err")"
check "fi: the footnote back-link's label is Finnish" grep -q 'class="footnote-backref" data-footnote-backref aria-label="Takaisin tekstiin"' "$FI"
check "fi: the footnotes section is named in Finnish" grep -q '<section class="footnotes" data-footnotes aria-label="Alaviitteet">' "$FI"
check "fi: the note on left-out HTML is Finnish" grep -q '<!-- HTML-koodi jätetty pois -->' "$FI"
if grep -q 'Back to content\|raw HTML omitted\|"Footnotes"' "$FI"; then nok "fi: no English left on the Finnish page" "$(grep -n 'Back to\|omitted\|Footnotes' "$FI")"; else ok "fi: no English left on the Finnish page"; fi
check "en: the footnote back-link's label is English" grep -q 'data-footnote-backref aria-label="Back to content"' "$EN"
check "en: the footnotes section is named in English" grep -q '<section class="footnotes" data-footnotes aria-label="Footnotes">' "$EN"
check "fi print page: the Finnish label too" grep -q 'aria-label="Takaisin tekstiin"' "$S/public/fi/mod/print/index.html"
# The site's own i18n/fi.yaml changes them; toivo.markdown in a hook speaks the page's language.
mkdir -p "$S/i18n" "$S/lua"
printf 'footnote_back: "Palaa tekstiin"\n' > "$S/i18n/fi.yaml"
printf 'return { codeblocks = { md = function(b) return toivo.markdown(b.text) end } }\n' > "$S/lua/md.lua"
page_fi '' '
Teksti.[^1]

```md
Koukun teksti.[^k]

[^k]: Koukun alaviite.
```

[^1]: Alaviite.'
run_toivo build -s "$S"
[ "$rc" = 0 ] && ok "a site string and a hook's Markdown build" || nok "a site string and a hook's Markdown build" "$(cat "$T/err")"
[ "$(grep -c 'aria-label="Palaa tekstiin"' "$FI")" = 2 ] &&
	ok "the site's i18n/fi.yaml names the back-link, in the page and in toivo.markdown" ||
	nok "the site's i18n/fi.yaml names the back-link, in the page and in toivo.markdown" "$(grep -n 'backref' "$FI")"
rm -rf "$S/i18n" "$S/lua"

# --- one error per fault: YAML in the home page --------------------------------
cp "$S/content/_index.fi.md" "$T/home"
printf -- '---\ntitle: "Koti\n---\n\nKotisivu.\n' > "$S/content/_index.fi.md"
for cmd in build check; do
	run_toivo $cmd -s "$S"
	[ "$rc" = 1 ] && grep -q '^content/_index.fi.md:[0-9]*:[0-9]*: error: invalid YAML' "$T/err" &&
		[ "$(count 'error:')" = 1 ] && ! grep -q 'no home page' "$T/err" &&
		ok "$cmd: a YAML error in the home page is one error" || nok "$cmd: a YAML error in the home page is one error" "exit $rc; $(cat "$T/err")"
done
printf -- '---\ntitle: "Koti"\ndraft: true\n---\n\nKotisivu.\n' > "$S/content/_index.fi.md"
expect_fail "a draft home page: one error saying it is a draft" "^content/_index.fi.md: error: the home page of language 'fi' is a draft" build -s "$S"
[ "$(count 'error:')" = 1 ] && ok "a draft home page is one error" || nok "a draft home page is one error" "$(cat "$T/err")"
rm "$S/content/_index.fi.md"
expect_fail "a missing home page still says to create it" "no home page for language 'fi'; create content/_index.fi.md" build -s "$S"
cp "$T/home" "$S/content/_index.fi.md"

# --- --strict is documented ------------------------------------------------------
run_toivo check --help
grep -q -- '--strict' "$T/out" && ok "toivo check --help explains --strict" || nok "toivo check --help explains --strict" "$(cat "$T/out")"
check "the manual explains check --strict" grep -q 'Fl -strict' "$ROOT/man/toivo.1"
check "bash completion offers check --strict" grep -q 'check) opts=.*--strict' "$ROOT/completion/toivo.bash"
exit 0
