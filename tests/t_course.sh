#!/bin/sh
# t_course.sh - the bundled course as a whole: toivo check is clean, every
# page exists in both languages, and every language-switcher and
# alternate link of the built site lands on a page that exists.
. "$(dirname "$0")/lib.sh"

run_toivo check -s "$ROOT"
[ "$rc" = 0 ] && ok "toivo check exits 0 on the course" || nok "toivo check exits 0 on the course" "$(cat "$T/err")"
# (but the one about print pages without a PDF before toivo pdf: t_pdf_site.sh)
grep 'warning' "$T/err" | grep -qv 'run toivo pdf' && nok "toivo check has no warnings on the course" "$(grep warning "$T/err")" ||
	ok "toivo check has no warnings on the course"

missing=""
for f in $(cd "$ROOT/content" && find . -name '*.fi.md'); do
	[ -f "$ROOT/content/${f%.fi.md}.en.md" ] || missing="$missing $f"
done
for f in $(cd "$ROOT/content" && find . -name '*.en.md'); do
	[ -f "$ROOT/content/${f%.en.md}.fi.md" ] || missing="$missing $f"
done
[ -z "$missing" ] && ok "every course page exists in both languages" || nok "every course page exists in both languages" "$missing"

run_toivo build -s "$ROOT" -o "$T/o" -q
[ "$rc" = 0 ] && ok "the course builds" || nok "the course builds" "$(cat "$T/err")"
nfi=$(find "$T/o/fi" -name index.html -not -path '*/print/*' | wc -l)
nen=$(find "$T/o/en" -name index.html -not -path '*/print/*' | wc -l)
[ "$nfi" = "$nen" ] && [ "$nfi" -ge 20 ] && ok "as many pages in Finnish as in English ($nfi)" || nok "page counts" "fi $nfi en $nen"

bad=""
for f in $(find "$T/o/fi" "$T/o/en" -name index.html); do
	d=$(dirname "$f")
	for u in $(grep -o '<a [^>]*hreflang="[a-z]*"[^>]*>' "$f" | grep -o 'href="[^"]*"' | sed 's/href="//; s/"$//'); do
		[ -f "$d/$u" ] || bad="$bad ${f#$T/o/}->$u"
	done
done
[ -z "$bad" ] && ok "every language-switcher link lands on a page" || nok "every language-switcher link lands on a page" "$bad"

# The switcher on each page leads to the same page in the other language:
# following it and coming back returns to the start.
back=""
for f in $(find "$T/o/fi" -name index.html -not -path '*/print/*'); do
	d=$(dirname "$f")
	u=$(grep -o '<a [^>]*hreflang="en"[^>]*>' "$f" | grep -o 'href="[^"]*"' | head -1 | sed 's/href="//; s/"$//')
	[ -n "$u" ] || { back="$back ${f#$T/o/}:no-link"; continue; }
	g=$(cd "$d" && realpath "$u")
	gd=$(dirname "$g")
	v=$(grep -o '<a [^>]*hreflang="fi"[^>]*>' "$g" | grep -o 'href="[^"]*"' | head -1 | sed 's/href="//; s/"$//')
	[ "$(cd "$gd" && realpath "$v")" = "$(realpath "$f")" ] || back="$back ${f#$T/o/}"
done
[ -z "$back" ] && ok "fi -> en -> fi through the switcher returns to the same page" || nok "switcher round trip" "$back"
