#!/bin/sh
# t_incremental.sh - a rebuild rewrites only what changed (same bytes, same
# file, same mtime), never writes through to the previous output, and a
# failed build still leaves the previous output whole.
. "$(dirname "$0")/lib.sh"

S=$T/s
P=$S/public
new_site "$S"
run_toivo build -s "$S"
[ "$rc" = 0 ] && ok "first build" || nok "first build" "$(cat "$T/err")"
# mtimes have a resolution the file system decides: make sure a rewrite
# would show.
touch -d '2001-01-01 00:00:00' "$P/fi/mod/eka/index.html" "$P/fi/mod/toka/index.html" "$P/sitemap.xml" "$P/assets/style.css"
stamp() { stat -c '%Y %i' "$1"; }
eka=$(stamp "$P/fi/mod/eka/index.html")
toka=$(stamp "$P/fi/mod/toka/index.html")
css=$(stamp "$P/assets/style.css")
sum=$(tree_sum "$P")
# A snapshot of the first output sharing its files: a rebuild must never
# write into them.
cp -al "$P" "$T/snap"
snapsum=$(tree_sum "$T/snap")

run_toivo build -s "$S"
[ "$rc" = 0 ] && ok "second build" || nok "second build" "$(cat "$T/err")"
[ "$(tree_sum "$P")" = "$sum" ] && ok "an unchanged site builds to the same bytes" || nok "an unchanged site builds to the same bytes"
[ "$(stamp "$P/fi/mod/eka/index.html")" = "$eka" ] && ok "an unchanged page keeps its file and mtime" ||
	nok "an unchanged page keeps its file and mtime" "$eka -> $(stamp "$P/fi/mod/eka/index.html")"
[ "$(stamp "$P/assets/style.css")" = "$css" ] && ok "an unchanged asset keeps its file and mtime" ||
	nok "an unchanged asset keeps its file and mtime"

printf -- '---\ntitle: "Toka"\nweight: 2\n---\n\nToinen, muutettu.\n' > "$S/content/mod/toka.fi.md"
touch "$T/ref"
sleep 0.1
run_toivo build -s "$S"
[ "$rc" = 0 ] && ok "build after a change" || nok "build after a change" "$(cat "$T/err")"
grep -q 'muutettu' "$P/fi/mod/toka/index.html" && ok "the changed page is rewritten" || nok "the changed page is rewritten"
[ "$(stamp "$P/fi/mod/toka/index.html")" != "$toka" ] && ok "the changed page has a new mtime" ||
	nok "the changed page has a new mtime"
[ "$(stamp "$P/fi/mod/eka/index.html")" = "$eka" ] && ok "the other pages keep their mtime" ||
	nok "the other pages keep their mtime"
[ "$(tree_sum "$T/snap")" = "$snapsum" ] && ok "the previous output's files were not written through" ||
	nok "the previous output's files were not written through"
changed=$(find "$P" -type f -newer "$T/ref" | sed "s|$P/||" | LC_ALL=C sort | tr '\n' ' ')
echo "# files with a new mtime: $changed"
case "$changed" in
*fi/mod/eka/*|*en/*|*assets/*|"") nok "only files that changed get a new mtime" "$changed" ;;
*) ok "only files that changed get a new mtime" ;;
esac

# A removed page disappears from the output.
rm "$S/content/mod/toka.en.md"
run_toivo build -s "$S"
[ "$rc" = 0 ] && ok "build after removing a page" || nok "build after removing a page" "$(cat "$T/err")"
[ ! -e "$P/en/module/second" ] && ok "a removed page's folder is gone" || nok "a removed page's folder is gone"

# After these rebuilds (each reusing the tree the last one replaced) the
# output is what a build from nothing makes.
mkdir -p "$S/content/mod/uusi"
printf -- '---\ntitle: "Uusi"\n---\n\nUusi.\n' > "$S/content/mod/uusi/_index.fi.md"
run_toivo build -s "$S"
run_toivo build -s "$S" -o "$T/fresh"
[ "$(tree_sum "$P")" = "$(tree_sum "$T/fresh")" ] && ok "a rebuild makes what a build from nothing makes" ||
	nok "a rebuild makes what a build from nothing makes" "$(diff -r "$P" "$T/fresh" | head -5)"

# A failed build leaves the last output as it was.
sum=$(tree_sum "$P")
printf -- '---\ntitle: "Rikki"\nlayout: nope\n---\n\nx\n' > "$S/content/mod/rikki.fi.md"
run_toivo build -s "$S"
[ "$rc" = 1 ] && ok "a broken page fails the build" || nok "a broken page fails the build" "exit $rc"
[ "$(tree_sum "$P")" = "$sum" ] && ok "a failed build leaves the output whole" || nok "a failed build leaves the output whole"
rm "$S/content/mod/rikki.fi.md"
ls -a "$S" | grep -q 'toivo-stage' && nok "no stage folder left behind" || ok "no stage folder left behind"
