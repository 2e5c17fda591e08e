#!/bin/sh
# t_bilingual.sh - two languages side by side: switcher, missing and stale
# translations, git dates (in real git repositories made here), aliases,
# automatic redirects for renamed pages, shallow clones, review dates, UI
# strings and date formats.
. "$(dirname "$0")/lib.sh"

# commit_at DATE MSG: commits everything with both git dates set to DATE.
commit_at() {
	git add -A >/dev/null &&
	GIT_AUTHOR_DATE="$1" GIT_COMMITTER_DATE="$1" git commit -qm "$2" >/dev/null
}
git_sandbox
gitinit() { git init -q "$1"; }

S=$T/s
new_site "$S"
gitinit "$S"
(cd "$S" && commit_at "2026-03-02T12:00:00Z" "first")
run_toivo build -s "$S"
[ "$rc" = 0 ] && ok "site in a git repository builds" || nok "site in a git repository builds" "$(cat "$T/err")"
P=$S/public

# --- dates from git, written the way each language writes them ------------
check "fi date from the commit, as 2.3.2026" grep -q '2\.3\.2026' "$P/fi/mod/eka/index.html"
check "en date from the commit, as 2 March 2026" grep -q '2 March 2026' "$P/en/module/first/index.html"
check "machine-readable date in <time>" grep -q 'datetime="2026-03-02"' "$P/fi/mod/eka/index.html"
check "sitemap lastmod is the commit date" grep -q '<lastmod>2026-03-02</lastmod>' "$P/sitemap.xml"
check "how to cite names the permalink" grep -q 'https://example.org/t/en/module/first/' "$P/en/module/first/index.html"

# A site two folders down in a repository: the .git is found above it.
R=$T/repo
mkdir -p "$R/docs"
new_site "$R/docs/kurssi"
gitinit "$R"
(cd "$R" && commit_at "2026-04-09T12:00:00Z" "nested")
run_toivo build -s "$R/docs/kurssi"
check "a site in a folder of a repository takes its dates from git" grep -q '9\.4\.2026' "$R/docs/kurssi/public/fi/mod/eka/index.html"
# No repository anywhere above: the files' times.
N=$T/norepo
new_site "$N"
touch -d '2026-01-15 12:00:00' "$N/content/mod/eka.fi.md"
run_toivo build -s "$N"
check "a site in no repository takes its dates from the files" grep -q '15\.1\.2026' "$N/public/fi/mod/eka/index.html"

# An uncommitted change keeps the file's own modification time.
printf '\nMuutos.\n' >> "$S/content/mod/toka.fi.md"
touch -d '2026-05-07 12:00:00' "$S/content/mod/toka.fi.md"
run_toivo build -s "$S"
check "an uncommitted change shows the file's time" grep -q '7\.5\.2026' "$P/fi/mod/toka/index.html"
check "the committed page keeps its commit date" grep -q '2\.3\.2026' "$P/fi/mod/eka/index.html"
(cd "$S" && git checkout -q -- content/mod/toka.fi.md)

# --- language switcher -------------------------------------------------------
check "switcher on fi lesson goes to the en lesson" grep -q 'href="../../../en/module/first/index.html"' "$P/fi/mod/eka/index.html"
check "switcher on en lesson goes to the fi lesson" grep -q 'href="../../../fi/mod/eka/index.html"' "$P/en/module/first/index.html"
check "x-default alternate" grep -q 'hreflang="x-default"' "$P/en/module/first/index.html"

# Every switcher link lands on a file that exists.
bad=""
for f in $(find "$P/fi" "$P/en" -name index.html); do
	d=$(dirname "$f")
	for u in $(grep -o 'hreflang="[a-z]*" href="[^"]*"\|href="[^"]*" hreflang="[a-z]*"' "$f" | grep -o 'href="[^"]*"' | sed 's/href="//; s/"$//' | grep -v '^http'); do
		[ -f "$d/$u" ] || bad="$bad $f->$u"
	done
done
[ -z "$bad" ] && ok "every relative hreflang link lands on a page" || nok "every relative hreflang link lands on a page" "$bad"

# --- missing translation -------------------------------------------------------
printf -- '---\ntitle: "Vain suomeksi"\nweight: 3\n---\n\nTeksti.\n' > "$S/content/mod/vain.fi.md"
run_toivo check -s "$S"
[ "$rc" = 0 ] && ok "a missing translation is not an error" || nok "a missing translation is not an error" "exit $rc $(cat "$T/err")"
grep -q 'content/mod/vain.fi.md:1: warning: no en translation; add vain.en.md' "$T/err" &&
	ok "check warns about the missing translation" || nok "check warns about the missing translation" "$(cat "$T/err")"
run_toivo build -s "$S"
check "untranslated page: switcher goes to the translated parent" grep -q 'href="../../../en/module/index.html"' "$P/fi/mod/vain/index.html"
grep -q 'lang="en"' "$P/fi/mod/vain/index.html" && grep -qi 'notice\|only' "$P/fi/mod/vain/index.html" &&
	ok "untranslated page shows a notice" || nok "untranslated page shows a notice"
rm "$S/content/mod/vain.fi.md"

# --- stale translation ---------------------------------------------------------
printf '\nLisää tekstiä.\n' >> "$S/content/mod/eka.fi.md"
(cd "$S" && commit_at "2026-04-10T12:00:00Z" "update the Finnish page only")
run_toivo check -s "$S"
grep -q 'content/mod/eka.en.md:1: warning: translation probably out of date: content/mod/eka.fi.md changed later (2026-04-10) than this file (2026-03-02)' "$T/err" &&
	ok "check warns about a stale translation, naming both files and dates" || nok "stale translation warning" "$(cat "$T/err")"
grep -q 'eka.fi.md:1: warning: translation probably' "$T/err" &&
	nok "the newer side is not reported as stale" || ok "the newer side is not reported as stale"
printf '\nMore text.\n' >> "$S/content/mod/eka.en.md"
(cd "$S" && commit_at "2026-04-11T12:00:00Z" "bring English up to date")
run_toivo check -s "$S"
grep -q 'out of date' "$T/err" && nok "no stale warning once the translation is updated" "$(cat "$T/err")" ||
	ok "no stale warning once the translation is updated"

# --- broken link and anchor --------------------------------------------------------
cp "$S/content/mod/toka.fi.md" "$T/toka.keep"
printf '\n[rikki](puuttuu.fi.md)\n\n[ankkuri](eka.fi.md#ei-ole)\n\n[hyva](eka.fi.md#toivon-loytaminen)\n' >> "$S/content/mod/toka.fi.md"
run_toivo check -s "$S"
[ "$rc" = 1 ] && ok "check exits 1 on broken links" || nok "check exits 1 on broken links" "exit $rc"
grep -q 'content/mod/toka.fi.md:8:[0-9]*: *error: .*puuttuu.fi.md\|content/mod/toka.fi.md:8: error: .*puuttuu' "$T/err" &&
	ok "broken link named with file and line" || nok "broken link named with file and line" "$(cat "$T/err")"
grep -q 'content/mod/toka.fi.md:10: error: link to #ei-ole' "$T/err" &&
	ok "broken anchor named with file and line" || nok "broken anchor named with file and line" "$(cat "$T/err")"
grep -q 'toivon-loytaminen' "$T/err" && nok "a good anchor is not reported" || ok "a good anchor is not reported"
cp "$T/toka.keep" "$S/content/mod/toka.fi.md"

# --- alias ---------------------------------------------------------------------------
printf -- '---\ntitle: "Toka"\nweight: 2\naliases: ["/fi/vanha/toka/"]\n---\n\nToinen.\n' > "$S/content/mod/toka.fi.md"
run_toivo build -s "$S"
check "alias writes a redirect page" grep -q 'http-equiv="refresh" content="0; url=../../mod/toka/index.html"' "$P/fi/vanha/toka/index.html"
printf -- '---\ntitle: "Toka"\nweight: 2\naliases: ["/fi/mod/eka/"]\n---\n\nToinen.\n' > "$S/content/mod/toka.fi.md"
expect_fail "an alias onto another page is an error" 'content/mod/toka.fi.md:4:[0-9]+: error: alias' build -s "$S"
cp "$T/toka.keep" "$S/content/mod/toka.fi.md"

# --- a renamed page gets a redirect without an alias ------------------------------------
(cd "$S" && git mv content/mod/toka.fi.md content/mod/kolmas.fi.md && commit_at "2026-04-12T12:00:00Z" "rename")
run_toivo build -s "$S"
[ "$rc" = 0 ] && ok "build after a rename" || nok "build after a rename" "$(cat "$T/err")"
check "renamed page is at its new URL" test -f "$P/fi/mod/kolmas/index.html"
check "old URL of a renamed page redirects" grep -q 'url=../kolmas/index.html' "$P/fi/mod/toka/index.html"
check "renamed page keeps its git date" grep -q '12\.4\.2026' "$P/fi/mod/kolmas/index.html"

# --- shallow clone -------------------------------------------------------------------------
git clone -q --depth 1 "file://$S" "$T/shallow" 2>/dev/null
run_toivo build -s "$T/shallow"
[ "$rc" = 0 ] && ok "a shallow clone builds" || nok "a shallow clone builds" "$(cat "$T/err")"
[ "$(grep -c 'history is shallow' "$T/err")" = 1 ] && grep -q 'fetch' "$T/err" &&
	ok "a shallow clone warns once and names the fix" || nok "a shallow clone warns once" "$(cat "$T/err")"

# --- review date ----------------------------------------------------------------------------
printf 'review_interval: 30\n' >> "$S/site.yaml"
printf -- '---\ntitle: "Eka"\nweight: 1\nreviewed: 2020-01-15\nreviewed_by: "työryhmä"\n---\n\n## Toivon löytäminen\n' > "$S/content/mod/eka.fi.md"
run_toivo check -s "$S"
grep -q 'content/mod/eka.fi.md:4:[0-9]*: warning: last reviewed 2020-01-15' "$T/err" &&
	ok "check warns about a review past its interval" || nok "review warning" "$(cat "$T/err")"
run_toivo build -s "$S"
check "review date shown beside the update date" grep -q '15\.1\.2020' "$P/fi/mod/eka/index.html"
printf -- '---\ntitle: "Eka"\nweight: 1\nreviewed: 2026-13-45\n---\n\n## Toivon löytäminen\n' > "$S/content/mod/eka.fi.md"
run_toivo check -s "$S"
grep -q "content/mod/eka.fi.md:4:[0-9]*: error: reviewed: '2026-13-45' is not a date" "$T/err" &&
	ok "a malformed review date is named" || nok "a malformed review date is named" "$(cat "$T/err")"
(cd "$S" && git checkout -q -- content/mod/eka.fi.md site.yaml)

# --- UI strings: a site's i18n overrides one key; a missing key warns ---------------------------------
mkdir -p "$S/i18n"
printf 'skip_to_content: "Hyppää tekstiin (oma)"\n' > "$S/i18n/fi.yaml"
printf 'only_site_key: "Vain suomeksi"\n' >> "$S/i18n/fi.yaml"
run_toivo build -s "$S"
check "a site's i18n overrides a theme string" grep -q 'Hyppää tekstiin (oma)' "$P/fi/mod/eka/index.html"
grep -q "UI string 'only_site_key' is missing in language 'en'" "$T/err" &&
	ok "a missing UI string warns, naming key and language" || nok "missing UI string warning" "$(cat "$T/err")"
rm -r "$S/i18n"

# --- per-language slugs, and a slug that would leave OUT -------------------------------------------
check "fi page at its folder name" test -f "$P/fi/mod/eka/index.html"
check "en page at its own slug" test -f "$P/en/module/first/index.html"
[ ! -e "$P/en/mod" ] && ok "no English page under the Finnish folder name" || nok "no English page under the Finnish folder name"

# --- opening from disk: every relative link and stylesheet resolves ---------------------------------
bad=""
for f in $(find "$P/fi" "$P/en" -name index.html); do
	d=$(dirname "$f")
	for u in $(grep -o 'href="[^"#]*"' "$f" | sed 's/href="//; s/"$//' | grep -v '^[a-z]*:' | grep -v '^$'); do
		[ -e "$d/$u" ] || bad="$bad ${f#$P/}->$u"
	done
done
[ -z "$bad" ] && ok "every relative link works from disk" || nok "every relative link works from disk" "$bad"
