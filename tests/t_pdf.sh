#!/bin/sh
# t_pdf.sh - toivo pdf on the bundled course: every print page as an A4,
# tagged PDF with an outline, title and language; TOC page numbers that
# match; the plan form on at most two pages; WeasyPrint; a missing engine;
# a failed run leaves OUT as it was.  Needs the Debian packages chromium,
# weasyprint and poppler-utils: a missing one is a failure, not a skip.
. "$(dirname "$0")/lib.sh"

for tool in chromium weasyprint pdfinfo pdftotext pdftohtml; do
	command -v "$tool" >/dev/null 2>&1 && ok "$tool is installed" ||
		nok "$tool is installed" "apt-get install -y chromium weasyprint poppler-utils"
done

# pdf_run ARGS...: toivo pdf with a longer time limit than run_toivo.
# PDF_ENV may hold VAR=VALUE words for toivo's environment.
pdf_run() {
	timeout 600 env $PDF_ENV "$TOIVO" pdf "$@" > "$T/out" 2> "$T/err"
	rc=$?
}

O=$T/out-site
pdf_run -s "$ROOT" -o "$O"
[ "$rc" = 0 ] && ok "toivo pdf on the bundled course" || nok "toivo pdf on the bundled course" "exit $rc; $(cat "$T/err")"
M=$O/print.json
check "print.json written" test -s "$M"

# The manifest as lines: lang kind html pdf title.
python3 - "$M" > "$T/items" <<'PY' || nok "print.json is a JSON list" "$(cat "$M" 2>/dev/null | head -c 400)"
import json, sys
for e in json.load(open(sys.argv[1])):
    print(e["lang"], e["kind"], e["html"], e["pdf"], e["title"], sep="\t")
PY
for k in fi:module en:module fi:course en:course fi:form en:form; do
	grep -q "^${k%%:*}	${k#*:}	" "$T/items" && ok "manifest has a $k entry" || nok "manifest has a $k entry" "$(cat "$T/items")"
done

# toc_check PDF HTML WHAT: every TOC number of the rendered copy matches a
# page whose text holds the heading.  The numbers are read back from the PDF
# itself: the TOC page's lines end in the page number.
toc_check() {
	python3 - "$1" "$2" <<'PY'
import html, re, subprocess, sys
pdf, src = sys.argv[1], sys.argv[2]
h = open(src, encoding="utf-8").read()
ids = re.findall(r'class="toc-page" data-for="([^"]+)"', h)
def heading(i):
    m = re.search(r'id="%s"[^>]*>.*?<h([1-6])[^>]*>(.*?)</h\1>' % re.escape(i), h, re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", m.group(2))).split()) if m else None
pages = subprocess.run(["pdftotext", "-layout", pdf, "-"], capture_output=True, text=True).stdout.split("\f")
norm = lambda s: " ".join(s.split())
# The TOC is on the second page (after the cover), maybe more.
toc = "\n".join(pages[1:4])
bad = []
for i in ids:
    t = heading(i)
    if not t:
        bad.append("no heading for #" + i); continue
    m = re.search(re.escape(t[:40]).replace(r"\ ", r"\s+") + r".*?\s(\d+)\s*$", toc, re.M | re.S)
    if not m:
        bad.append("no TOC number for '%s'" % t); continue
    n = int(m.group(1))
    if n < 1 or n > len(pages) or t[:30] not in norm(pages[n - 1]):
        bad.append("'%s' listed on page %d but not there" % (t, n))
print("\n".join(bad))
sys.exit(1 if bad else 0)
PY
}

total_pages=0
while IFS='	' read -r lang kind html pdf title; do
	f=$O/$pdf
	what="$kind $pdf"
	if [ ! -s "$f" ]; then
		nok "$what: PDF exists"
		continue
	fi
	ok "$what: PDF exists"
	pdfinfo "$f" > "$T/info" 2>&1
	grep -q '^Tagged: *yes' "$T/info" && ok "$what: tagged" || nok "$what: tagged" "$(cat "$T/info")"
	pdftohtml -q -xml -i -stdout "$f" > "$T/xml" 2>/dev/null
	grep -q '<item page=' "$T/xml" && ok "$what: has an outline" || nok "$what: has an outline"
	size=$(sed -n 's/^Page size: *\([0-9.]*\) x \([0-9.]*\) pts.*/\1 \2/p' "$T/info")
	echo "$size" | awk '{ exit !($1 > 593 && $1 < 597 && $2 > 840 && $2 < 844) }' &&
		ok "$what: A4 ($size pt)" || nok "$what: A4" "page size: $size"
	pages=$(sed -n 's/^Pages: *//p' "$T/info")
	case $kind in
	form) lo=1 hi=2 ;;
	course) lo=10 hi=150 ;;
	*) lo=2 hi=40 ;;
	esac
	[ -n "$pages" ] && [ "$pages" -ge $lo ] && [ "$pages" -le $hi ] &&
		ok "$what: $pages pages (expected $lo-$hi)" || nok "$what: $lo-$hi pages" "pages: $pages"
	total_pages=$((total_pages + ${pages:-0}))
	grep -q "^Title: *$title" "$T/info" && ok "$what: title in the metadata" || nok "$what: title in the metadata" "$(grep '^Title' "$T/info")"
	grep -aq "/Lang *($lang)" "$f" && ok "$what: language $lang in the metadata" || nok "$what: language $lang in the metadata"
	pdftotext "$f" "$T/text" 2>/dev/null
	tr -s ' \n' '  ' < "$T/text" > "$T/text1"
	grep -qF "$title" "$T/text1" && ok "$what: text holds the title" || nok "$what: text holds the title" "$title"
	if [ "$kind" != form ]; then
		h=$(python3 -c 'import html, re, sys
m = re.search(r"<section class=\"print-lesson[^>]*>\s*<h[23][^>]*>(.*?)</h[23]>", open(sys.argv[1], encoding="utf-8").read(), re.S)
print(" ".join(html.unescape(re.sub("<[^>]+>", "", m.group(1))).split()) if m else "")' "$O/$html")
		[ -n "$h" ] && grep -qF "$h" "$T/text1" && ok "$what: text holds lesson heading '$h'" ||
			nok "$what: text holds a lesson heading" "heading: '$h'"
		case $lang in
		fi) grep -q 'sivu [0-9]*/[0-9]*' "$T/text" && ok "$what: Finnish page numbers" || nok "$what: Finnish page numbers" ;;
		en) grep -q 'page [0-9]* of [0-9]*' "$T/text" && ok "$what: English page numbers" || nok "$what: English page numbers" ;;
		esac
		r=$(toc_check "$f" "$O/$html" 2>&1) && ok "$what: TOC page numbers match the pages" ||
			nok "$what: TOC page numbers match the pages" "$r"
	fi
done < "$T/items"
echo "# $total_pages pages in all"
check "no render copies left behind" test -z "$(find "$O" -name '.toivo-render-*')"
check "no work folder left beside OUT" test -z "$(find "$T" -maxdepth 1 -name '.*toivo-pdf*')"

# --- WeasyPrint, one module --------------------------------------------------
# A small site of one module keeps this quick.
S=$T/s
new_site "$S"
pdf_run -s "$S" -o "$T/w" --engine weasyprint
[ "$rc" = 0 ] && ok "toivo pdf --engine weasyprint" || nok "toivo pdf --engine weasyprint" "exit $rc; $(cat "$T/err")"
wp=$(find "$T/w" -path '*/fi/*/print/*.pdf' | head -1)
if [ -n "$wp" ] && pdfinfo "$wp" > "$T/info" 2>&1; then
	grep -q '^Page size: *59[3-7][.0-9]* x 84[0-4]' "$T/info" && ok "weasyprint: A4" || nok "weasyprint: A4" "$(grep 'Page size' "$T/info")"
	grep -q '^Producer: *WeasyPrint' "$T/info" && ok "weasyprint: made by WeasyPrint" || nok "weasyprint: made by WeasyPrint" "$(grep Producer "$T/info")"
	pdftotext "$wp" - | grep -q 'Toivon löytäminen' && ok "weasyprint: lesson text" || nok "weasyprint: lesson text"
else
	nok "weasyprint: a module PDF" "$(find "$T/w" -name '*.pdf')"
fi

# --- a missing engine, a failed run -------------------------------------------
before=$(tree_sum "$T/w")
PDF_ENV=TOIVO_CHROMIUM=/nonexistent pdf_run -s "$S" -o "$T/w"
[ "$rc" = 1 ] && grep -q 'apt-get install chromium' "$T/err" && ok "missing Chromium: exit 1 with the apt-get line" ||
	nok "missing Chromium: exit 1 with the apt-get line" "exit $rc; $(cat "$T/err")"
mkdir -p "$T/empty"
PDF_ENV=PATH=$T/empty pdf_run -s "$S" -o "$T/w" --engine weasyprint
[ "$rc" = 1 ] && grep -q 'apt-get install weasyprint' "$T/err" && ok "missing WeasyPrint: exit 1 with the apt-get line" ||
	nok "missing WeasyPrint: exit 1 with the apt-get line" "exit $rc; $(cat "$T/err")"
# An engine that fails: the output stays as it was.
printf '#!/bin/sh\necho "engine broke" >&2\nexit 3\n' > "$T/empty/broken"
chmod +x "$T/empty/broken"
PDF_ENV=TOIVO_CHROMIUM=$T/empty/broken pdf_run -s "$S" -o "$T/w"
[ "$rc" = 1 ] && grep -q 'engine broke' "$T/err" && ok "a failing engine: exit 1, its output shown" ||
	nok "a failing engine: exit 1, its output shown" "exit $rc; $(cat "$T/err")"
[ "$(tree_sum "$T/w")" = "$before" ] && ok "a failed run leaves OUT untouched" || nok "a failed run leaves OUT untouched"
check "a failed run leaves no work folder" test -z "$(find "$T" -maxdepth 1 -name '.*toivo-pdf*')"
# A site with an error: nothing rendered, OUT untouched.
printf -- '---\ntitle: [broken\n---\n' > "$S/content/mod/eka.fi.md"
pdf_run -s "$S" -o "$T/w"
[ "$rc" = 1 ] && [ "$(tree_sum "$T/w")" = "$before" ] && ok "a site error: exit 1, OUT untouched" ||
	nok "a site error: exit 1, OUT untouched" "exit $rc; $(cat "$T/err")"
pdf_run --engine nope
[ "$rc" = 2 ] && ok "an unknown engine is a usage error" || nok "an unknown engine is a usage error" "exit $rc"
