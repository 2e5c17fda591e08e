#!/bin/sh
# t_languages.sh - adding a language as docs/languages.md tells: one
# message for the missing UI strings (a count, the first few, the file to
# write), the recipe it gives makes the site build without a warning, a
# site's i18n file overrides and falls back key by key; the other pages of
# docs/ that promise behaviour (redirects.md, the Lua API of hooks.md)
# are checked against what toivo does.
. "$(dirname "$0")/lib.sh"

# --- a language added to an existing site ------------------------------------
S=$T/site
new_site "$S"
sed -i 's/^languages: .*/languages: [fi, en, sv]/' "$S/site.yaml"
printf -- '---\ntitle: "Hem"\n---\n\nHemsida.\n' > "$S/content/_index.sv.md"
run_toivo build -s "$S"
nkeys=$(grep -c '^[a-z_]*:' "$ROOT/themes/default/i18n/en.yaml")
n=$(grep -c ": warning:" "$T/err")
[ "$rc" = 0 ] && [ "$n" = 1 ] && ok "a new language without strings: one warning" || nok "a new language without strings: one warning" "exit $rc; $n warnings; $(cat "$T/err")"
grep -q "warning: $nkeys UI strings are missing in language 'sv' ('language_name', " "$T/err" &&
	ok "the warning counts every missing string and names the first" || nok "the warning counts every missing string" "want $nkeys; $(cat "$T/err")"
grep -q "and $((nkeys - 8)) more); add them to i18n/sv.yaml (the fi texts are shown meanwhile; 'toivo new --lang sv DIR' writes" "$T/err" &&
	ok "... names eight, counts the rest and says which file to write" || nok "... names eight, counts the rest" "$(cat "$T/err")"
len=$(wc -c < "$T/err")
[ "$len" -lt 600 ] && ok "the message stays short ($len bytes)" || nok "the message stays short" "$len bytes"
check "meanwhile the Swedish page shows the Finnish texts" grep -q 'Siirry sisältöön' "$S/public/sv/index.html"

# The recipe of docs/languages.md, as written there.
grep -q 'toivo new --lang sv /tmp/sv-strings' "$ROOT/docs/languages.md" &&
	grep -q 'cp /tmp/sv-strings/i18n/sv.yaml i18n/sv.yaml' "$ROOT/docs/languages.md" &&
	ok "docs/languages.md gives the recipe tested here" || nok "docs/languages.md gives the recipe tested here"
run_toivo new --lang sv "$T/sv-strings"
mkdir -p "$S/i18n"
cp "$T/sv-strings/i18n/sv.yaml" "$S/i18n/sv.yaml"
run_toivo build -s "$S"
[ "$rc" = 0 ] && ! grep -q warning "$T/err" && ok "with the copied strings the site builds without a warning" ||
	nok "with the copied strings the site builds without a warning" "exit $rc; $(cat "$T/err")"
check "the Swedish page shows the file's texts" grep -q 'Skip to content' "$S/public/sv/index.html"
sed -i 's/^skip_to_content: .*/skip_to_content: "Hoppa till innehållet"/; /^search_label:/d' "$S/i18n/sv.yaml"
run_toivo build -s "$S"
check "a translated string is used" grep -q 'Hoppa till innehållet' "$S/public/sv/index.html"
[ "$(grep -c ": warning:" "$T/err")" = 1 ] && grep -q "UI string 'search_label' is missing in language 'sv'; add it to i18n/sv.yaml" "$T/err" &&
	ok "one string taken out: one warning naming it" || nok "one string taken out: one warning naming it" "$(cat "$T/err")"
check "... and the default language's text stands in" grep -q '>Hae sivustolta<' "$S/public/sv/index.html"
check "og:locale of the new language" grep -q '<meta property="og:locale" content="sv_SE">' "$S/public/sv/index.html"

# --- toivo new --lang fills the new site's strings ----------------------------
run_toivo new --lang fi,en,sv "$T/new"
keys() { grep -o '^[a-z_]*:' "$1" | sort; }
[ "$rc" = 0 ] && [ "$(keys "$T/new/i18n/sv.yaml")" = "$(keys "$ROOT/themes/default/i18n/en.yaml")" ] &&
	ok "toivo new --lang fi,en,sv writes i18n/sv.yaml with every string" || nok "toivo new --lang fi,en,sv writes i18n/sv.yaml" "exit $rc"
[ ! -e "$T/new/i18n/fi.yaml" ] && [ ! -e "$T/new/i18n/en.yaml" ] &&
	ok "... and none for the languages the theme has" || nok "... and none for the languages the theme has" "$(ls "$T/new/i18n")"
run_toivo build -s "$T/new"
[ "$rc" = 0 ] && ! grep -q warning "$T/err" && ok "the new three-language site builds without a warning" ||
	nok "the new three-language site builds without a warning" "exit $rc; $(cat "$T/err")"

# --- docs/redirects.md: where an alias lands ------------------------------------
R=$T/redir
new_site "$R"
printf -- '---\ntitle: "Toka"\nweight: 2\naliases: vanha\n---\n\nToinen.\n' > "$R/content/mod/toka.fi.md"
run_toivo build -s "$R"
grep -q '`OUT/vanha/index.html`' "$ROOT/docs/redirects.md" &&
	grep -q 'url=../fi/mod/toka/index.html' "$R/public/vanha/index.html" 2>/dev/null && [ ! -e "$R/public/fi/mod/vanha" ] &&
	ok "a bare alias (no brackets) lands at the site's root, as redirects.md says" || nok "a bare alias lands at the site's root" "exit $rc; $(cat "$T/err")"
grep -q 'noindex' "$R/public/vanha/index.html" && ! grep -q 'vanha' "$R/public/sitemap.xml" &&
	ok "a redirect page is noindex and not in the sitemap" || nok "a redirect page is noindex and not in the sitemap"

# --- the Lua API in docs/hooks.md is every function of hooks_lib.c ------------
reg=$(sed -n '/hooks_open_toivo/,/^}/p' "$ROOT/generator/hooks_lib.c" | grep -o '{ "[a-z_]*"' | sed 's/{ "//; s/"//' | sort)
doc=$(grep -o '^| `toivo\.[a-z_]*(' "$ROOT/docs/hooks.md" | sed 's/^| `toivo\.//; s/($//' | sort)
[ "$(echo "$reg" | wc -l)" -ge 12 ] && [ "$reg" = "$doc" ] &&
	ok "docs/hooks.md lists every toivo.* function and no other" ||
	nok "docs/hooks.md lists every toivo.* function and no other" "$(printf 'in hooks_lib.c:\n%s\nin hooks.md:\n%s' "$reg" "$doc")"

for d in configuration languages redirects hooks; do
	grep -q "docs/$d.md\|($d.md)" "$ROOT/README.md" "$ROOT/docs/configuration.md" ||
		{ nok "docs/$d.md is linked from README or configuration.md"; continue; }
	ok "docs/$d.md is linked from README or configuration.md"
done
