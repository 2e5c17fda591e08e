#!/bin/sh
# t_reliability_collide.sh - generated pages win or the build says why: a
# file copied from static/ or from beside the pages whose output path is a
# page (or another generated file, or another copied file) is an error
# naming both files; OUT stays as it was.  A file of static/ may still
# replace a theme asset.
. "$(dirname "$0")/lib.sh"

S=$T/s
new_site "$S"
run_toivo build -s "$S"
GOOD=$(tree_sum "$S/public")

# collides WHAT FILE PATTERN: FILE (relative to the site) is made; the build
# fails naming FILE and PATTERN, and OUT is unchanged.
collides() {
	mkdir -p "$(dirname "$S/$2")"
	printf 'copied %s\n' "$2" > "$S/$2"
	run_toivo build -s "$S"
	if [ "$rc" = 1 ] && grep -q "$2: error: this file would .*$3" "$T/err" &&
	   [ "$(tree_sum "$S/public")" = "$GOOD" ]; then
		ok "$1"
	else
		nok "$1" "exit $rc; $(cat "$T/err")"
	fi
	rm -f "$S/$2"
}
collides "static/fi/index.html would replace the Finnish home page" static/fi/index.html 'public/fi/index.html, which the build makes from content/_index.fi.md'
collides "a file beside the pages would replace the module page" content/mod/index.html 'public/fi/mod/index.html, which the build makes from content/mod/_index.fi.md'
collides "a file in a folder named like a page would replace the page" content/mod/eka/index.html 'fi/mod/eka/index.html, which the build makes from content/mod/eka.fi.md'
collides "static/ under an English slug would replace the English page" static/en/module/first/index.html 'en/module/first/index.html, which the build makes from content/mod/eka.en.md'
collides "static/index.html would replace the root page" static/index.html 'public/index.html, which the build makes from'
collides "static/fi/404.html would replace the Finnish 404 page" static/fi/404.html 'public/fi/404.html, which the build makes from'
collides "static/sitemap.xml would be replaced by the sitemap" static/sitemap.xml 'replaced by .*public/sitemap.xml'
collides "static/fi/search/index.js would be replaced by the search index" static/fi/search/index.js 'replaced by .*public/fi/search/index.js'
collides "static/fi/mod/print/index.html would replace the print page" static/fi/mod/print/index.html 'public/fi/mod/print/index.html, which the build makes from content/mod/_index.fi.md'

# Two copies of different files on one path.
mkdir -p "$S/static/fi/mod"
printf 'a\n' > "$S/static/fi/mod/kuva.txt"
printf 'b\n' > "$S/content/mod/kuva.txt"
run_toivo build -s "$S"
if [ "$rc" = 1 ] && grep -q 'content/mod/kuva.txt: error: this file would replace .*fi/mod/kuva.txt, a copy of .*static/fi/mod/kuva.txt' "$T/err"; then
	ok "a file beside the pages and one in static/ on the same path: an error naming both"
else
	nok "a file beside the pages and one in static/ on the same path: an error naming both" "exit $rc; $(cat "$T/err")"
fi
rm -rf "$S/static" "$S/content/mod/kuva.txt"

# static/ may replace a theme asset (that is how a site changes its theme).
mkdir -p "$S/static/assets"
printf 'body { color: black }\n' > "$S/static/assets/style.css"
run_toivo build -s "$S"
if [ "$rc" = 0 ] && cmp -s "$S/static/assets/style.css" "$S/public/assets/style.css"; then
	ok "static/assets/style.css replaces the theme's style.css"
else
	nok "static/assets/style.css replaces the theme's style.css" "exit $rc; $(cat "$T/err")"
fi
