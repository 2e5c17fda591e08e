#!/bin/sh
# t_pdf_site.sh - PDFs as part of the site (docs/pdf.md, "PDFs in the
# site"): toivo build keeps the PDFs toivo pdf made while their print page
# is unchanged and drops one whose page changed; the course's home and each
# module link their print page, and their PDF with its size when there is
# one; toivo check notes print pages without a PDF, and warns once the site
# makes PDFs; toivo publish carries the PDFs.  Needs Debian's chromium and poppler-utils (pdftohtml):
# a missing one is a failure, not a skip.
. "$(dirname "$0")/lib.sh"

for tool in chromium pdftohtml git; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		nok "$tool is installed" "apt-get install -y chromium poppler-utils git"
		exit 0
	fi
done
TMPDIR=$T/tmp
export TMPDIR
mkdir -p "$TMPDIR"
git_sandbox

pdf_run() {
	timeout 600 "$TOIVO" pdf -q "$@" > "$T/out" 2> "$T/err"
	rc=$?
}
# pdfs OUT: the PDFs in OUT, sorted, one line.
pdfs() { (cd "$1" && find . -name '*.pdf' | sed 's|^\./||' | LC_ALL=C sort | tr '\n' ' '); }
# size_text FILE SEP UNIT: what the link says of FILE's size ("PDF, 0,1 Mt").
size_text() {
	b=$(stat -c %s "$1")
	t=$(( (b + 50000) / 100000 ))
	if [ "$t" -lt 1 ]; then printf 'PDF, 0%s1 %s' "$2" "$3"; else printf 'PDF, %d%s%d %s' $((t / 10)) "$2" $((t % 10)) "$3"; fi
}
# links PAGE PDF SIZE: PAGE links its print page, and PDF (relative to
# PAGE's folder) with SIZE in the link's text; PDF "-": no PDF link.
links() {
	grep -q '<a href="print/index.html">' "$1" || return 1
	if [ "$2" = - ]; then
		! grep -q 'type="application/pdf"' "$1"
	else
		grep -q "<a href=\"$2\" type=\"application/pdf\">[^<]*($3)</a>" "$1"
	fi
}

S=$T/site
R=$T/remote.git
O=$S/public
new_site "$S"
printf 'publish:\n  branch: gh-pages\n' >> "$S/site.yaml"
publish_repo "$S" "$R"

# Before toivo pdf: the print page alone, and check says what to do.
run_toivo build -s "$S" -o "$O"
if [ "$rc" = 0 ] && links "$O/fi/mod/index.html" - && links "$O/en/index.html" - && [ -z "$(pdfs "$O")" ]; then
	ok "without PDFs, the module and the course link their print page alone"
else
	nok "without PDFs, the module and the course link their print page alone" "exit $rc; $(cat "$T/err")"
fi
run_toivo check -s "$S"
if [ "$rc" = 0 ] && grep -q "^site.yaml: note: 4 print pages have no PDF.*fi/mod/print/.*run toivo pdf" "$T/err" &&
   ! grep -q "warning\|error" "$T/err"; then
	ok "before toivo pdf ever ran, check notes the print pages without a PDF (no warning)"
else
	nok "before toivo pdf ever ran, check notes the print pages without a PDF (no warning)" "exit $rc; $(cat "$T/err")"
fi
run_toivo check --strict -s "$S"
[ "$rc" = 0 ] && ok "a new site without PDFs passes check --strict" || nok "a new site without PDFs passes check --strict" "exit $rc; $(cat "$T/err")"

# toivo pdf: the PDFs, linked with their size.
pdf_run -s "$S" -o "$O"
want="en/module/print/module.pdf en/print/course.pdf fi/mod/print/mod.pdf fi/print/course.pdf "
if [ "$rc" = 0 ] && [ "$(pdfs "$O")" = "$want" ]; then
	ok "toivo pdf makes the four PDFs"
else
	nok "toivo pdf makes the four PDFs" "exit $rc; $(pdfs "$O"); $(cat "$T/err")"
fi
fi_mod=$(size_text "$O/fi/mod/print/mod.pdf" , Mt)
en_mod=$(size_text "$O/en/module/print/module.pdf" . MB)
fi_course=$(size_text "$O/fi/print/course.pdf" , Mt)
en_course=$(size_text "$O/en/print/course.pdf" . MB)
if links "$O/fi/mod/index.html" print/mod.pdf "$fi_mod" && links "$O/en/module/index.html" print/module.pdf "$en_mod" &&
   links "$O/fi/index.html" print/course.pdf "$fi_course" && links "$O/en/index.html" print/course.pdf "$en_course"; then
	ok "after toivo pdf, the modules and the course link their PDF with its size"
else
	nok "after toivo pdf, the modules and the course link their PDF with its size" "$(grep -h 'application/pdf' "$O"/fi/mod/index.html "$O"/en/index.html)"
fi
cp -R "$O" "$T/after-pdf"

# toivo build keeps them, the same files, still linked.
run_toivo build -s "$S" -o "$O"
same=yes
for f in $want; do cmp -s "$O/$f" "$T/after-pdf/$f" || same=no; done
if [ "$rc" = 0 ] && [ "$(pdfs "$O")" = "$want" ] && [ "$same" = yes ]; then
	ok "toivo build keeps the PDFs toivo pdf made"
else
	nok "toivo build keeps the PDFs toivo pdf made" "exit $rc; $(pdfs "$O"); same: $same"
fi
if links "$O/fi/mod/index.html" print/mod.pdf "$fi_mod" && links "$O/en/index.html" print/course.pdf "$en_course" &&
   cmp -s "$O/fi/mod/index.html" "$T/after-pdf/fi/mod/index.html" && cmp -s "$O/en/index.html" "$T/after-pdf/en/index.html"; then
	ok "the build links them as toivo pdf did, byte for byte"
else
	nok "the build links them as toivo pdf did, byte for byte" "$(diff "$O/fi/mod/index.html" "$T/after-pdf/fi/mod/index.html" | head -5)"
fi
run_toivo check -s "$S"
if [ "$rc" = 0 ] && ! grep -q "no PDF" "$T/err"; then
	ok "check does not warn when every print page has its PDF"
else
	nok "check does not warn when every print page has its PDF" "exit $rc; $(cat "$T/err")"
fi

# toivo publish carries them.
run_toivo publish -s "$S"
published=$(git -C "$R" ls-tree -r --name-only gh-pages 2>/dev/null | grep '\.pdf$' | LC_ALL=C sort | tr '\n' ' ')
if [ "$rc" = 0 ] && [ "$published" = "$want" ] &&
   git -C "$R" show gh-pages:fi/mod/print/mod.pdf | cmp -s - "$T/after-pdf/fi/mod/print/mod.pdf" &&
   git -C "$R" show gh-pages:fi/mod/index.html | grep -q 'type="application/pdf"'; then
	ok "toivo publish carries the PDFs and the pages that link them"
else
	nok "toivo publish carries the PDFs and the pages that link them" "exit $rc; published: $published; $(cat "$T/err")"
fi

# A changed lesson: its module's PDF and its course's PDF go, never shown
# out of date; the other language's stay.
printf -- '---\ntitle: "Eka"\nweight: 1\n---\n\n## Toivon löytäminen\n\nMuutettu teksti.\n' > "$S/content/mod/eka.fi.md"
run_toivo build -s "$S" -o "$O"
if [ "$rc" = 0 ] && [ "$(pdfs "$O")" = "en/module/print/module.pdf en/print/course.pdf " ] &&
   links "$O/fi/mod/index.html" - && links "$O/fi/index.html" - &&
   links "$O/en/module/index.html" print/module.pdf "$en_mod" && links "$O/en/index.html" print/course.pdf "$en_course"; then
	ok "a changed page drops its module's and course's PDF and link, and keeps the others"
else
	nok "a changed page drops its module's and course's PDF and link, and keeps the others" "exit $rc; $(pdfs "$O")"
fi
run_toivo check -s "$S"
if [ "$rc" = 0 ] && grep -q "^site.yaml: warning: 2 print pages have no PDF.*(fi/mod/print/, fi/print/)" "$T/err"; then
	ok "once the site makes PDFs, check warns about the print pages whose PDF is out of date"
else
	nok "once the site makes PDFs, check warns about the print pages whose PDF is out of date" "exit $rc; $(cat "$T/err")"
fi

# toivo pdf makes only those two again; the next build links all four.
timeout 600 "$TOIVO" pdf -s "$S" -o "$O" > "$T/out" 2> "$T/err"
rc=$?
remade=$(sed -n 's/^toivo pdf: \([^ ]*\.pdf\)  [0-9.]* s.*/\1/p' "$T/err" | LC_ALL=C sort | tr '\n' ' ')
if [ "$rc" = 0 ] && [ "$remade" = "fi/mod/print/mod.pdf fi/print/course.pdf " ] && [ "$(pdfs "$O")" = "$want" ]; then
	ok "toivo pdf makes again only the PDFs whose page changed"
else
	nok "toivo pdf makes again only the PDFs whose page changed" "exit $rc; remade: $remade; $(cat "$T/err")"
fi
run_toivo build -s "$S" -o "$O"
if [ "$rc" = 0 ] && [ "$(pdfs "$O")" = "$want" ] && links "$O/fi/mod/index.html" print/mod.pdf "$(size_text "$O/fi/mod/print/mod.pdf" , Mt)"; then
	ok "the next build keeps and links the new PDFs"
else
	nok "the next build keeps and links the new PDFs" "exit $rc; $(pdfs "$O")"
fi

# A style sheet the print pages load changed: every PDF goes.
mkdir -p "$S/static/assets"
{ cat "$ROOT/themes/default/assets/print.css"; printf '\n/* changed */\n'; } > "$S/static/assets/print.css"
run_toivo build -s "$S" -o "$O"
if [ "$rc" = 0 ] && [ -z "$(pdfs "$O")" ] && links "$O/en/index.html" -; then
	ok "a changed style sheet of the print pages drops every PDF"
else
	nok "a changed style sheet of the print pages drops every PDF" "exit $rc; $(pdfs "$O")"
fi
