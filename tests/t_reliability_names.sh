#!/bin/sh
# t_reliability_names.sh - dates and names are checked: a date the
# calendar does not have is an error at file:line:col; a file or folder
# name that is not valid UTF-8 or holds a control character is an error;
# two names that differ only by case or by Unicode normalisation (NFC/NFD)
# are an error naming both, in toivo build and toivo check; names reach the
# output in NFC.
. "$(dirname "$0")/lib.sh"

S=$T/s
new_site "$S"
run_toivo build -s "$S"
GOOD=$(tree_sum "$S/public")

# fails WHAT PATTERN [CMD]: toivo CMD (build) exits 1, stderr matches
# PATTERN, and the output is as it was.
fails() {
	run_toivo "${3:-build}" -s "$S"
	if [ "$rc" = 1 ] && grep -Eq -- "$2" "$T/err" && [ "$(tree_sum "$S/public")" = "$GOOD" ]; then
		ok "$1"
	else
		nok "$1" "exit $rc; $(cat "$T/err")"
	fi
}

# --- dates ----------------------------------------------------------------------
cp "$S/content/mod/eka.fi.md" "$T/eka"
for d in 2026-02-30 2025-13-01 2025-04-31 2023-02-29 2026-00-10 2026-01-00; do
	printf -- '---\ntitle: "Eka"\nweight: 1\nreviewed: %s\n---\n\nTeksti.\n' "$d" > "$S/content/mod/eka.fi.md"
	fails "reviewed: $d is an error at file:line:col" "content/mod/eka.fi.md:4:11: error: reviewed: '$d' is not a date"
done
printf -- '---\ntitle: "Eka"\nweight: 1\ndate: "2026-02-30"\n---\n\nTeksti.\n' > "$S/content/mod/eka.fi.md"
fails "date: \"2026-02-30\" is an error at file:line:col" "content/mod/eka.fi.md:4:7: error: date: '2026-02-30' is not a date"
fails "toivo check says so too" "content/mod/eka.fi.md:4:7: error: date: '2026-02-30' is not a date" check
printf -- '---\ntitle: "Eka"\nweight: 1\nreviewed: 2024-02-29\n---\n\nTeksti.\n' > "$S/content/mod/eka.fi.md"
run_toivo build -s "$S"
[ "$rc" = 0 ] && grep -q '29\.2\.2024' "$S/public/fi/mod/eka/index.html" && ok "a leap day is a date" ||
	nok "a leap day is a date" "exit $rc; $(cat "$T/err")"
cp "$T/eka" "$S/content/mod/eka.fi.md"
run_toivo build -s "$S"
GOOD=$(tree_sum "$S/public")

# --- names that are not text ---------------------------------------------------------
bad_name() {
	mkdir -p "$(dirname "$S/$2")"
	printf -- '---\ntitle: "X"\n---\n\nX.\n' > "$S/$2"
	fails "$1" "$3"
	rm -rf "$S/$2"
	rmdir "$(dirname "$S/$2")" 2>/dev/null
}
bad_name "a page name that is not UTF-8" "content/mod/$(printf 'x\377y').fi.md" 'mod/x\\xFFy\.fi\.md: error: the name is not valid UTF-8'
bad_name "a page name with a line break" "content/mod/$(printf 'a\nb').fi.md" 'error: the name holds a control character'
bad_name "a folder name with a tab" "content/$(printf 'a\tb')/_index.fi.md" 'error: the name holds a control character'
bad_name "a folder name that is not UTF-8" "content/$(printf '\303')/x.fi.md" 'error: the name is not valid UTF-8'
bad_name "a file beside the pages with an escape character" "content/mod/$(printf 'k\033uva').png" 'error: the name holds a control character'
bad_name "a static file with overlong UTF-8" "static/$(printf '\300\257').css" 'error: the name is not valid UTF-8'
bad_name "a static file with a surrogate" "static/$(printf '\355\240\200').css" 'error: the name is not valid UTF-8'
if LC_ALL=C grep -rlq "$(printf '\377')" "$S/public" 2>/dev/null; then
	nok "no invalid UTF-8 reached the output"
else
	ok "no invalid UTF-8 reached the output"
fi

# --- names that collide ----------------------------------------------------------------
NFC=$(printf 's\303\244\303\244')       # sää, precomposed
NFD=$(printf 'sa\314\210a\314\210')     # sää, decomposed
collide() {
	what=$1
	shift
	for f in "$@"; do
		mkdir -p "$(dirname "$S/$f")"
		printf -- '---\ntitle: "X"\n---\n\nX.\n' > "$S/$f"
	done
	fails "$what (build)" "$pat"
	fails "$what (check)" "$pat" check
	for f in "$@"; do rm -f "$S/$f"; done
}
pat='content/mod/abc.fi.md:1:1: error: URL /fi/mod/abc/ differs from /fi/mod/Abc/ of content/mod/Abc.fi.md only by upper and lower case'
collide "two pages whose names differ by case" content/mod/Abc.fi.md content/mod/abc.fi.md
pat="content/mod/(sa|s)[^ ]*\.fi\.md:1:1: error: the name is the name of content/mod/(sa|s)[^ ]*\.fi\.md written in another Unicode form \(NFC/NFD\), so both are /fi/mod/$NFC/"
collide "two pages named sää, in NFC and in NFD" "content/mod/$NFC.fi.md" "content/mod/$NFD.fi.md"
pat='static/Logo.txt and .*/public/logo.txt|logo.txt and .*public/Logo.txt.* differ only by upper and lower case'
collide "two static files whose names differ by case" static/Logo.txt static/logo.txt
pat="content/mod/$NFD.txt: error: this file would replace .*/fi/mod/$NFC.txt, a copy of .*static/fi/mod/$NFC.txt"
collide "a static file and a file beside the pages named in NFC and NFD" "static/fi/mod/$NFC.txt" "content/mod/$NFD.txt"
pat="differ only by upper and lower case or by how their letters are encoded"
collide "a static file whose name differs from a page's folder by case" "static/FI/mod/index.html"
rm -rf "$S/static"

# --- NFC in the output ------------------------------------------------------------------
printf -- '---\ntitle: "Sää"\nweight: 3\n---\n\nSää.\n' > "$S/content/mod/$NFD.fi.md"
mkdir -p "$S/static"
printf 'x\n' > "$S/static/$NFD.txt"
run_toivo build -s "$S"
if [ "$rc" = 0 ] && [ -f "$S/public/fi/mod/$NFC/index.html" ] && [ ! -e "$S/public/fi/mod/$NFD" ] &&
   [ -f "$S/public/$NFC.txt" ] && grep -q "href=\"[./]*mod/$NFC/\"\|href=\"$NFC/\"\|$NFC/" "$S/public/fi/mod/index.html"; then
	ok "a page and a file named in NFD reach the output in NFC, and links point there"
else
	nok "a page and a file named in NFD reach the output in NFC, and links point there" "exit $rc; $(ls "$S/public/fi/mod" "$S/public" | od -c | head -20)"
fi
