#!/bin/sh
# t_theme.sh - where each theme file comes from (docs/templates.md): the
# site's own layouts/, partials/, assets/ and i18n/ over the chosen theme,
# the theme over the themes it extends (theme.yaml), all of them over the
# built-in default; UI strings merged key by key; a circle of themes and a
# layout found nowhere are clear errors; toivo template --list says where
# each file came from.
. "$(dirname "$0")/lib.sh"

# site DIR THEME: a new site whose site.yaml chooses THEME (none: default).
site() {
	new_site "$1"
	[ -n "$2" ] && printf 'theme: %s\n' "$2" >> "$1/site.yaml"
	return 0
}

# A theme with only a footer partial builds, with the footer it has.
S=$T/onlyfooter
site "$S" mine
mkdir -p "$S/themes/mine/partials"
printf '<footer class="site-footer"><p>MINE-FOOTER</p></footer>\n' > "$S/themes/mine/partials/footer.mustache"
run_toivo build -s "$S" -o "$S/public"
if [ "$rc" = 0 ] && grep -q "MINE-FOOTER" "$S/public/fi/mod/eka/index.html" &&
   grep -q 'class="site-header' "$S/public/fi/mod/eka/index.html"; then
	ok "a theme with only a footer partial builds and uses its footer"
else
	nok "a theme with only a footer partial builds and uses its footer" "exit $rc; $(cat "$T/err")"
fi
if [ -s "$S/public/assets/style.css" ] && cmp -s "$S/public/assets/style.css" "$ROOT/themes/default/assets/style.css"; then
	ok "a theme without assets/ still gets the default theme's CSS"
else
	nok "a theme without assets/ still gets the default theme's CSS" "$(ls "$S/public/assets" 2>&1)"
fi
# the default theme's texts, read from its files
fi_skip=$(sed -n 's/^skip_to_content: "\(.*\)"$/\1/p' "$ROOT/themes/default/i18n/fi.yaml")
en_skip=$(sed -n 's/^skip_to_content: "\(.*\)"$/\1/p' "$ROOT/themes/default/i18n/en.yaml")
if [ -n "$fi_skip" ] && grep -q "$fi_skip" "$S/public/fi/index.html" &&
   [ -n "$en_skip" ] && grep -q "$en_skip" "$S/public/en/index.html"; then
	ok "a theme without i18n/ still gets the default theme's strings"
else
	nok "a theme without i18n/ still gets the default theme's strings" "$fi_skip / $en_skip"
fi

# The site's own partials/ and assets/ override the theme one file at a time.
mkdir -p "$S/partials" "$S/assets"
printf '<footer class="site-footer"><p>SITE-FOOTER</p></footer>\n' > "$S/partials/footer.mustache"
printf '/* site css */\n' > "$S/assets/extra.css"
mkdir -p "$S/themes/mine/assets"
printf '/* theme css */\n' > "$S/themes/mine/assets/style.css"
run_toivo build -s "$S" -o "$S/public"
if [ "$rc" = 0 ] && grep -q "SITE-FOOTER" "$S/public/fi/index.html" && ! grep -q "MINE-FOOTER" "$S/public/fi/index.html"; then
	ok "a partial at the site root overrides the theme's"
else
	nok "a partial at the site root overrides the theme's" "exit $rc; $(cat "$T/err")"
fi
if cmp -s "$S/public/assets/style.css" "$S/themes/mine/assets/style.css" && [ -f "$S/public/assets/extra.css" ] &&
   cmp -s "$S/public/assets/search.js" "$ROOT/themes/default/assets/search.js"; then
	ok "assets come file by file from the site, the theme and the default theme"
else
	nok "assets come file by file from the site, the theme and the default theme" "$(ls -l "$S/public/assets")"
fi

# toivo template --list names where each file came from.
run_toivo template --list -s "$S"
if [ "$rc" = 0 ] &&
   grep -Eq '^partials/footer\.mustache +partials/footer\.mustache$' "$T/out" &&
   grep -Eq '^assets/style\.css +themes/mine/assets/style\.css$' "$T/out" &&
   grep -Eq '^layouts/lesson\.mustache +(\(built in\) )?themes/default/layouts/lesson\.mustache$' "$T/out" &&
   grep -Eq '^assets/extra\.css +assets/extra\.css$' "$T/out" &&
   [ "$(grep -c '^partials/footer' "$T/out")" = 1 ]; then
	ok "toivo template --list says where each file comes from"
else
	nok "toivo template --list says where each file comes from" "exit $rc; $(cat "$T/out" "$T/err")"
fi

# UI strings: one key in the site's i18n/fi.yaml replaces just that key.
mkdir -p "$S/i18n"
printf 'skip_to_content: "HYPPÄÄ-SISÄLTÖÖN"\n' > "$S/i18n/fi.yaml"
run_toivo build -s "$S" -o "$S/public"
if [ "$rc" = 0 ] && grep -q "HYPPÄÄ-SISÄLTÖÖN" "$S/public/fi/index.html" &&
   grep -q "$(sed -n 's/^main_navigation: "\(.*\)"$/\1/p' "$ROOT/themes/default/i18n/fi.yaml")" "$S/public/fi/index.html" &&
   ! grep -q "HYPPÄÄ-SISÄLTÖÖN" "$S/public/en/index.html"; then
	ok "a site's i18n file overrides one key and keeps the theme's others"
else
	nok "a site's i18n file overrides one key and keeps the theme's others" "exit $rc; $(cat "$T/err")"
fi
run_toivo template --list -s "$S"
if grep -Eq '^i18n/fi\.yaml +i18n/fi\.yaml over \(built in\) themes/default/i18n/fi\.yaml$' "$T/out"; then
	ok "toivo template --list shows the i18n files merged"
else
	nok "toivo template --list shows the i18n files merged" "$(cat "$T/out" "$T/err")"
fi

# extends: a theme over another theme over default.
S=$T/chain
site "$S" child
mkdir -p "$S/themes/child/partials" "$S/themes/parent/partials" "$S/themes/parent/layouts"
printf 'extends: parent\n' > "$S/themes/child/theme.yaml"
printf '<footer class="site-footer"><p>CHILD-FOOTER</p></footer>\n' > "$S/themes/child/partials/footer.mustache"
printf '<footer class="site-footer"><p>PARENT-FOOTER</p></footer>\n' > "$S/themes/parent/partials/footer.mustache"
printf '<p>PARENT-CRUMBS</p>\n' > "$S/themes/parent/partials/breadcrumbs.mustache"
run_toivo build -s "$S" -o "$S/public"
f=$S/public/fi/mod/eka/index.html
if [ "$rc" = 0 ] && grep -q CHILD-FOOTER "$f" && ! grep -q PARENT-FOOTER "$f" && grep -q PARENT-CRUMBS "$f" &&
   [ -s "$S/public/assets/style.css" ]; then
	ok "extends: the child's file, else the parent's, else default's"
else
	nok "extends: the child's file, else the parent's, else default's" "exit $rc; $(cat "$T/err")"
fi

# A circle of themes is an error naming the circle, and the output stays.
before=$(tree_sum "$S/public")
printf 'extends: child\n' > "$S/themes/parent/theme.yaml"
expect_fail "themes that extend each other in a circle are an error" \
	"^themes/parent/theme\.yaml:1:10: error: themes extend each other in a circle \(child -> parent -> child\)" \
	build -s "$S" -o "$S/public"
if [ "$(tree_sum "$S/public")" = "$before" ]; then
	ok "the output is unchanged after the circle error"
else
	nok "the output is unchanged after the circle error"
fi
printf 'extends: nosuch\n' > "$S/themes/parent/theme.yaml"
expect_fail "extends naming no theme is an error at its line" \
	"^themes/parent/theme\.yaml:1:10: error: theme 'nosuch' not found: no folder themes/nosuch" \
	build -s "$S" -o "$S/public"

# A layout found nowhere names every place looked in, relative to the site.
S=$T/nolayout
site "$S" mine
mkdir -p "$S/themes/mine"
printf -- '---\ntitle: "Erikois"\nlayout: special\n---\n\nX.\n' > "$S/content/erikois.fi.md"
run_toivo build -s "$S" -o "$S/public"
if [ "$rc" = 1 ] &&
   grep -q "^content/erikois.fi.md:3:9: error: layout 'special' not found: no file layouts/special.mustache, themes/mine/layouts/special.mustache, (built in) themes/default/layouts/special.mustache;" "$T/err" &&
   [ "$(grep -c "layout 'special'" "$T/err")" = 1 ]; then
	ok "a missing layout names every place looked in"
else
	nok "a missing layout names every place looked in" "exit $rc; $(cat "$T/err")"
fi

# A missing partial too.
rm "$S/content/erikois.fi.md"
mkdir -p "$S/layouts"
sed 's/{{> prevnext}}/{{> nosuchpart}}/' "$ROOT/themes/default/layouts/lesson.mustache" > "$S/layouts/lesson.mustache"
run_toivo build -s "$S" -o "$S/public"
if [ "$rc" = 1 ] &&
   grep -q "^layouts/lesson.mustache:[0-9]*:[0-9]*: error: partial 'nosuchpart' not found (looked for partials/nosuchpart.mustache, layouts/nosuchpart.mustache, themes/mine/partials/nosuchpart.mustache, themes/mine/layouts/nosuchpart.mustache, (built in) themes/default/partials/nosuchpart.mustache, (built in) themes/default/layouts/nosuchpart.mustache)" "$T/err"; then
	ok "a missing partial names every place looked in"
else
	nok "a missing partial names every place looked in" "exit $rc; $(cat "$T/err")"
fi
