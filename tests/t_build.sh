#!/bin/sh
# t_build.sh - the core build: pages, URLs, the site model, safety.
. "$(dirname "$0")/lib.sh"

# --- command line -------------------------------------------------------
run_toivo --version
[ "$rc" = 0 ] && grep -q '^toivo [0-9]' "$T/out" && ok "--version" || nok "--version" "$(cat "$T/out" "$T/err")"
run_toivo --help
[ "$rc" = 0 ] && grep -q 'toivo new' "$T/out" && ok "--help lists the commands" || nok "--help"
for c in build check serve pdf publish new template; do
	run_toivo $c --help
	[ "$rc" = 0 ] && grep -q "^usage: toivo $c" "$T/out" && [ "$(grep -c '' "$T/out")" -gt 2 ] &&
		ok "toivo $c --help explains the command" || nok "toivo $c --help explains the command" "exit $rc; $(cat "$T/out" "$T/err")"
done
run_toivo frobnicate
[ "$rc" = 2 ] && ok "an unknown command exits 2" || nok "an unknown command exits 2" "exit $rc"
run_toivo build --nope
[ "$rc" = 2 ] && ok "an unknown option exits 2" || nok "an unknown option exits 2" "exit $rc"

# --- toivo new builds at once ---------------------------------------------
run_toivo new "$T/new"
[ "$rc" = 0 ] && ok "toivo new makes a site" || nok "toivo new makes a site" "$(cat "$T/err")"
run_toivo build -s "$T/new"
[ "$rc" = 0 ] && ok "the new site builds at once" || nok "the new site builds at once" "$(cat "$T/err")"
check "new site: Finnish lesson written" test -f "$T/new/public/fi/aloitus/ensimmainen/index.html"
check "new site: English lesson at its slug" test -f "$T/new/public/en/getting-started/first-lesson/index.html"
check "new site: the table hook ran" grep -q '<table' "$T/new/public/fi/aloitus/ensimmainen/index.html"
run_toivo new "$T/new"
[ "$rc" = 1 ] && ok "toivo new refuses an existing site" || nok "toivo new refuses an existing site" "exit $rc"

# --- a small site ----------------------------------------------------------
S=$T/s
new_site "$S"
run_toivo build -s "$S"
[ "$rc" = 0 ] && ok "minimal site builds" || nok "minimal site builds" "$(cat "$T/err")"
P=$S/public
check "root index leads to the default language" grep -q 'http-equiv="refresh" content="0; url=fi/index.html"' "$P/index.html"
check "root index lists both languages" grep -q 'href="en/index.html"' "$P/index.html"
check "fi home" test -f "$P/fi/index.html"
check "en home" test -f "$P/en/index.html"
check "fi lesson under its folder" test -f "$P/fi/mod/eka/index.html"
check "en lesson under the module's English slug" test -f "$P/en/module/first/index.html"
check "404 page per language" test -f "$P/fi/404.html" -a -f "$P/en/404.html"
check "sitemap.xml" grep -q '<loc>https://example.org/t/fi/mod/eka/</loc>' "$P/sitemap.xml"
check "sitemap has language alternates" grep -q 'hreflang="en" href="https://example.org/t/en/module/first/"' "$P/sitemap.xml"
check "heading id folds ä and ö" grep -q 'id="toivon-loytaminen"' "$P/fi/mod/eka/index.html"
check "heading has a visible anchor link" grep -q 'href="#toivon-loytaminen"' "$P/fi/mod/eka/index.html"
check "html lang" grep -q '<html lang="en"' "$P/en/module/first/index.html"
check "hreflang alternate to the translation" grep -q 'hreflang="fi"[^>]*href="https://example.org/t/fi/mod/eka/"\|href="https://example.org/t/fi/mod/eka/"[^>]*hreflang="fi"' "$P/en/module/first/index.html"
check "next link from the first lesson goes to the second" grep -q 'href="../toka/index.html"' "$P/fi/mod/eka/index.html"
check "stylesheet linked relatively" grep -q 'href="../../../assets/style.css"' "$P/fi/mod/eka/index.html"
check "theme CSS copied once" test -f "$P/assets/style.css"

# Heading ids are unique within a page; raw HTML is dropped; links to
# sources resolve; files beside pages are copied.
cat > "$S/content/mod/eka.fi.md" <<'MD'
---
title: "Eka"
weight: 1
---

## Tulokset

## Tulokset

<div class="raw">raaka</div>

[Toinen](toka.fi.md#x) ja [kuva](kuva.png) ja [koti](../_index.fi.md).
MD
printf 'PNG' > "$S/content/mod/kuva.png"
run_toivo build -s "$S"
[ "$rc" = 0 ] && ok "rebuild" || nok "rebuild" "$(cat "$T/err")"
check "second equal heading gets -2" grep -q 'id="tulokset-2"' "$P/fi/mod/eka/index.html"
if grep -q 'class="raw"' "$P/fi/mod/eka/index.html"; then nok "raw HTML dropped by default"; else ok "raw HTML dropped by default"; fi
check "link to a source file becomes the page URL" grep -q 'href="../toka/index.html#x"' "$P/fi/mod/eka/index.html"
check "link to the home page" grep -q 'href="../../index.html"' "$P/fi/mod/eka/index.html"
check "file beside a page is copied to its folder" test -f "$P/fi/mod/kuva.png"
check "relative file link resolves" grep -q 'href="../kuva.png"' "$P/fi/mod/eka/index.html"
printf 'markdown: {unsafe: true}\n' >> "$S/site.yaml"
run_toivo build -s "$S"
check "raw HTML kept with markdown.unsafe" grep -q 'class="raw"' "$P/fi/mod/eka/index.html"

# --- errors: reported as path:line:col, old output kept --------------------
before=$(tree_sum "$P")
cp "$S/content/mod/toka.fi.md" "$T/toka.bak"
printf -- '---\ntitle: "Toka"\nweight: 2\n\nEi loppua.\n' > "$S/content/mod/toka.fi.md"
expect_fail "front matter not closed" '^content/mod/toka.fi.md:1:1: error: front matter is never closed' build -s "$S"
[ "$(tree_sum "$P")" = "$before" ] && ok "failed build leaves the old output byte-identical" || nok "failed build leaves the old output byte-identical"
ls -a "$S" | grep -q 'toivo-stage' && nok "no stage folder left behind" || ok "no stage folder left behind"

printf -- '---\ntitle: "Toka\nweight: 2\n---\n' > "$S/content/mod/toka.fi.md"
expect_fail "invalid YAML names the line" '^content/mod/toka.fi.md:[34]:[0-9]+: error: invalid YAML' build -s "$S"
printf -- '---\ntitle: "Toka"\nweight: abc\n---\n' > "$S/content/mod/toka.fi.md"
expect_fail "wrong type: weight: abc" "^content/mod/toka.fi.md:3:9: error: 'weight' must be a number" build -s "$S"
printf -- '---\ntitle: "Toka"\nslug: ../../x\n---\n' > "$S/content/mod/toka.fi.md"
expect_fail "slug that climbs out is refused" "^content/mod/toka.fi.md:3:7: error: slug" build -s "$S"
[ -e "$T/x" ] || [ -e "$S/x" ] && nok "nothing written outside OUT for a climbing slug" || ok "nothing written outside OUT for a climbing slug"
printf -- '---\ntitle: "Toka"\naliases: [/../../../y/]\n---\n' > "$S/content/mod/toka.fi.md"
expect_fail "alias that climbs out is refused" "^content/mod/toka.fi.md:3:[0-9]+: error: alias" build -s "$S"
[ -e "$T/y" ] || [ -e "$S/y" ] && nok "nothing written outside OUT for a climbing alias" || ok "nothing written outside OUT for a climbing alias"
printf -- '---\ntitle: "Toka"\nslug: eka\n---\n' > "$S/content/mod/toka.fi.md"
expect_fail "two pages with one URL" "error: URL /fi/mod/eka/ is also the URL of" build -s "$S"
printf -- '---\ntitle: "Toka"\nlayout: nosuch\n---\n' > "$S/content/mod/toka.fi.md"
expect_fail "missing layout" "^content/mod/toka.fi.md:3:9: error: layout 'nosuch' not found" build -s "$S"
printf -- '---\ntitle: "Toka"\n---\nA\0B\n' > "$S/content/mod/toka.fi.md"
expect_fail "NUL byte in a page" "^content/mod/toka.fi.md:4:2: error: NUL byte" build -s "$S"
printf -- '---\ntitle: "Toka"\n---\nA\377B\n' > "$S/content/mod/toka.fi.md"
expect_fail "invalid UTF-8 in a page" "^content/mod/toka.fi.md:4:2: error: invalid UTF-8" build -s "$S"
[ "$(tree_sum "$P")" = "$before" ] && ok "old output still byte-identical after every failure" || nok "old output still byte-identical after every failure"
cp "$T/toka.bak" "$S/content/mod/toka.fi.md"

cp "$S/site.yaml" "$T/site.bak"
printf 'title: [unclosed\n' > "$S/site.yaml"
expect_fail "broken site.yaml" "site.yaml:[12]:[0-9]+: error: invalid YAML" build -s "$S"
printf 'languages: fi\n' > "$S/site.yaml"
expect_fail "languages not a list" "site.yaml:1:12: error: 'languages' must be a list" build -s "$S"
cp "$T/site.bak" "$S/site.yaml"

# Two problems in one build are both reported.
printf -- '---\ntitle: "Toka"\nweight: abc\n---\n' > "$S/content/mod/toka.fi.md"
printf -- '---\ntitle: "Eka"\ndraft: maybe\n---\n' > "$S/content/mod/eka.fi.md"
run_toivo build -s "$S"
n=$(grep -c ': error: ' "$T/err")
[ "$rc" = 1 ] && [ "$n" -ge 2 ] && ok "one build reports every problem" || nok "one build reports every problem" "$(cat "$T/err")"
cp "$T/toka.bak" "$S/content/mod/toka.fi.md"
printf -- '---\ntitle: "Eka"\nweight: 1\n---\n\nEka.\n' > "$S/content/mod/eka.fi.md"

# The output path is a file; an unwritable output folder.
: > "$T/file"
expect_fail "output path that is a file" "error: the output path is a file" build -s "$S" -o "$T/file"
mkdir -p "$T/ro/out"
chmod 555 "$T/ro"
if [ "$(id -u)" = 0 ]; then
	echo "ok - # SKIP unwritable output folder: running as root, permissions do not stop root"
else
	expect_fail "unwritable output folder" "error: cannot create the build folder" build -s "$S" -o "$T/ro/out"
fi
chmod 755 "$T/ro"

# A lesson layout that lists its module's pages (shared by the lessons of a
# folder) and the navigation: every link must lead to the page it names,
# from every lesson.
L=$T/lessons
new_site "$L"
mkdir -p "$L/themes/list/layouts"
for l in home module page 404; do printf '<p>{{page.title}}</p>\n' > "$L/themes/list/layouts/$l.mustache"; done
printf '{{#module.pages}}<a class="m" href="{{url}}">{{title}}</a>\n{{/module.pages}}{{#nav}}{{#pages}}<a class="n" href="{{url}}">{{title}}</a>\n{{/pages}}{{/nav}}\n' \
	> "$L/themes/list/layouts/lesson.mustache"
printf 'theme: list\n' >> "$L/site.yaml"
run_toivo build -s "$L" -o "$T/lout"
bad=""
for f in "$T"/lout/fi/mod/*/index.html; do
	[ "$f" = "$T/lout/fi/mod/index.html" ] && continue
	# the print page: the theme has no print layout, default's is used
	[ "$f" = "$T/lout/fi/mod/print/index.html" ] && continue
	dir=$(dirname "$f")
	for pair in 'Eka:eka' 'Toka:toka'; do
		want=${pair#*:}
		for cls in m n; do
			href=$(sed -n "s/.*class=\"$cls\" href=\"\([^\"]*\)\">${pair%%:*}<.*/\1/p" "$f")
			[ -n "$href" ] && [ "$(cd "$dir" && realpath -m "$href")" = "$(realpath -m "$T/lout/fi/mod/$want/index.html")" ] ||
				bad="$bad $f:$cls:${pair%%:*}=$href"
		done
	done
done
[ "$rc" = 0 ] && [ -z "$bad" ] && ok "module.pages and nav links lead to their pages from every lesson" ||
	nok "module.pages and nav links lead to their pages from every lesson" "exit $rc;$bad $(cat "$T/err")"

# Missing partial: a theme of the site's own.
mkdir -p "$S/themes/mine/layouts"
for l in home module lesson page 404; do printf '<p>{{page.title}}</p>{{> nosuch}}\n' > "$S/themes/mine/layouts/$l.mustache"; done
printf 'theme: mine\n' >> "$S/site.yaml"
expect_fail "missing partial" "themes/mine/layouts/[a-z0-9]+.mustache:1:[0-9]+: error: partial 'nosuch' not found" build -s "$S"
for l in home module lesson page 404; do printf '<p>{{#page}}{{title}}</p>\n' > "$S/themes/mine/layouts/$l.mustache"; done
expect_fail "template with an unclosed section" "themes/mine/layouts/[a-z0-9]+.mustache:1:4: error: .*never closed" build -s "$S"
for l in home module lesson page 404; do printf '{{> self}}\n' > "$S/themes/mine/layouts/$l.mustache"; done
printf 'x{{> self}}\n' > "$S/themes/mine/layouts/self.mustache"
start=$(date +%s)
expect_fail "a partial that includes itself" "error: partials nested more than" build -s "$S"
[ $(( $(date +%s) - start )) -le 10 ] && ok "self-including partial stops quickly" || nok "self-including partial stops quickly"
cp "$T/site.bak" "$S/site.yaml"
