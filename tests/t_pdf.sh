#!/bin/sh
# t_pdf.sh - toivo pdf: every print page of the bundled course as an A4,
# tagged PDF with an outline whose first level is the module's headings,
# catalogue metadata, TOC page numbers that match, vector charts and small
# files; one browser for the run; only changed documents made again; a page
# that never finishes loading named while the rest are written; SIGINT
# leaving nothing behind; requests outside the output blocked; slide decks;
# WeasyPrint; a missing engine; a failed run leaves OUT as it was.  Needs
# the Debian packages chromium, chromium-headless-shell, weasyprint,
# poppler-utils and qpdf: a
# missing one is a failure, not a skip.
. "$(dirname "$0")/lib.sh"

for tool in chromium chromium-headless-shell weasyprint pdfinfo pdftotext pdftohtml qpdf; do
	command -v "$tool" >/dev/null 2>&1 && ok "$tool is installed" ||
		nok "$tool is installed" "apt-get install -y chromium chromium-headless-shell weasyprint poppler-utils qpdf"
done

# pdf_run ARGS...: toivo pdf with a longer time limit than run_toivo.
# PDF_ENV may hold VAR=VALUE words for toivo's environment.
pdf_run() {
	timeout 600 env $PDF_ENV "$TOIVO" pdf "$@" > "$T/out" 2> "$T/err"
	rc=$?
}

# toivo pdf's work folder (the browser's profile) goes to TMPDIR: here, so
# that browsers finds the ones this test started and no others.
TMPDIR=$T/tmp
export TMPDIR
mkdir -p "$TMPDIR"
# browsers: the Chromium processes toivo pdf started.
browsers() { ps -eo pid=,args= | grep -v grep | grep "user-data-dir=$TMPDIR/toivo-pdf-" || true; }

# remade: the PDFs the last run made (not taken from the cache), sorted.
remade() { sed -n 's/^toivo pdf: \([^ ]*\.pdf\)  [0-9.]* s.*/\1/p' "$T/err" | LC_ALL=C sort | tr '\n' ' '; }

# The bundled course (12 PDFs) on the release build only: under ASan the
# small sites below drive the same code in toivo in a fraction of the time.
case $TOIVO in
*-asan) echo "ok - # SKIP the bundled course's PDFs under ASan (the small sites below run)"; course=false ;;
*) course=true ;;
esac
if $course; then
# The course, copied so that its cache stays in $T.
C=$T/course
mkdir -p "$C"
cp -r "$ROOT/content" "$ROOT/lua" "$ROOT/themes" "$ROOT/site.yaml" "$C/"
O=$T/out-site
pdf_run -s "$C" -o "$O"
[ "$rc" = 0 ] && ok "toivo pdf on the bundled course" || nok "toivo pdf on the bundled course" "exit $rc; $(cat "$T/err")"
M=$O/print.json
check "print.json written" test -s "$M"
n_lines=$(grep -c '^toivo pdf: [^ ]*\.pdf  ' "$T/err")
# Print pages and slide decks: one document each.
n_items=$(python3 -c 'import json, os, sys
n = len(json.load(open(sys.argv[1])))
s = os.path.join(os.path.dirname(sys.argv[1]), "slides.json")
print(n + (len(json.load(open(s))) if os.path.exists(s) else 0))' "$M")
[ "$n_lines" = "$n_items" ] && ok "one progress line per document ($n_items)" || nok "one progress line per document" "$n_lines lines, $n_items documents"
check "no browser left running" test -z "$(browsers)"
check "the cache is in the site's .toivo-cache/" test -n "$(find "$C/.toivo-cache/pdf" -name '*.pdf')"

# The manifest as lines: lang kind html pdf title.
python3 - "$M" > "$T/items" <<'PY' || nok "print.json is a JSON list" "$(head -c 400 "$M")"
import json, sys
for e in json.load(open(sys.argv[1])):
    print(e["lang"], e["kind"], e["html"], e["pdf"], e["title"], sep="\t")
PY
for k in fi:module en:module fi:course en:course fi:form en:form; do
	grep -q "^${k%%:*}	${k#*:}	" "$T/items" && ok "manifest has a $k entry" || nok "manifest has a $k entry" "$(cat "$T/items")"
done

# toc_check PDF HTML: every TOC number matches a page whose text holds the
# heading.  The numbers are read back from the PDF itself: the TOC page's
# lines end in the page number.
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

# outline_check PDF HTML: the outline's first level under the document's
# title holds the module's headings (the modules of a course, the lessons
# of a module), in order.
outline_check() {
	python3 - "$1" "$2" <<'PY'
import html, re, subprocess, sys, xml.etree.ElementTree as ET
pdf, src = sys.argv[1], sys.argv[2]
h = open(src, encoding="utf-8").read()
norm = lambda s: " ".join(html.unescape(re.sub(r"<[^>]+>", "", s)).split())
want = [norm(t) for t in re.findall(r'<section class="print-lesson[^"]*"[^>]*>\s*<h2[^>]*>(.*?)</h2>', h, re.S)]
x = subprocess.run(["pdftohtml", "-q", "-xml", "-i", "-stdout", pdf], capture_output=True, text=True).stdout
m = re.search(r"<outline>.*</outline>", x, re.S)
root = ET.fromstring(m.group(0)) if m else None
# <outline><item>TITLE</item><outline>first level...</outline></outline>
first = []
if root is not None:
    sub = root.find("outline")
    first = [" ".join("".join(i.itertext()).split()) for i in (sub.findall("item") if sub is not None else root.findall("item"))]
got = [t for t in first if t in want]
if not want or got != want:
    print("want %s\ngot first level %s" % (want, first)); sys.exit(1)
PY
}

# images PDF: the number of image objects (/Subtype /Image) qpdf finds.
images() {
	qpdf --json "$1" | python3 -c '
import json, sys
d = json.load(sys.stdin)
objs = d["qpdf"][1] if "qpdf" in d else d.get("objects", {})
n = 0
for k, v in objs.items():
    s = v.get("stream", {}).get("dict", {}) if isinstance(v, dict) else {}
    n += s.get("/Subtype") == "/Image"
print(n)'
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
	grep -q '^Author: *Toipumisorientaatio\|^Author: *Recovery orientation' "$T/info" &&
		ok "$what: the course as Author" || nok "$what: the course as Author" "$(cat "$T/info")"
	grep -q '^Subject: *[^ ]' "$T/info" && ok "$what: Subject from the description" || nok "$what: Subject" "$(cat "$T/info")"
	grep -q '^CreationDate: *[^ ]' "$T/info" && ok "$what: a creation date" || nok "$what: a creation date" "$(cat "$T/info")"
	[ "$kind" = form ] || { grep -q '^Keywords: *[^ ]' "$T/info" && ok "$what: Keywords" || nok "$what: Keywords" "$(cat "$T/info")"; }
	grep -aq "/Lang *($lang)" "$f" && ok "$what: language $lang in the metadata" || nok "$what: language $lang in the metadata"
	bytes=$(wc -c < "$f")
	[ "$bytes" -lt 1572864 ] && ok "$what: under 1.5 MB ($bytes bytes)" || nok "$what: under 1.5 MB" "$bytes bytes"
	qpdf --check "$f" > "$T/qc" 2>&1 && ok "$what: qpdf --check finds no errors" || nok "$what: qpdf --check finds no errors" "$(cat "$T/qc")"
	n=$(images "$f")
	[ "$n" = 0 ] && ok "$what: no image objects (charts stay vector)" || nok "$what: no image objects" "$n /Subtype /Image objects"
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
		r=$(outline_check "$f" "$O/$html" 2>&1) && ok "$what: outline's first level = the module's headings" ||
			nok "$what: outline's first level = the module's headings" "$r"
	fi
done < "$T/items"
echo "# $total_pages pages in all"
check "no render copies left behind" test -z "$(find "$O" -name '.toivo-render-*')"
check "no work folder left beside OUT" test -z "$(find "$T" -maxdepth 1 -name '.*toivo-pdf*')"

# --- only what changed -------------------------------------------------------
pdfsum() { (cd "$1" && find . -name '*.pdf' | LC_ALL=C sort | xargs -d '\n' sha256sum) | sha256sum | cut -d' ' -f1; }
before=$(pdfsum "$O")
pdf_run -s "$C" -o "$O"
[ "$rc" = 0 ] && [ -z "$(remade)" ] && [ "$(grep -c '  unchanged' "$T/err")" = "$n_items" ] &&
	ok "a second run makes nothing again" || nok "a second run makes nothing again" "exit $rc; $(cat "$T/err")"
[ "$(pdfsum "$O")" = "$before" ] && ok "a second run keeps every PDF byte for byte" || nok "a second run keeps every PDF byte for byte"
check "a second run starts no browser" test -z "$(browsers)"
# One Finnish lesson of the Pori module: its module PDF and the Finnish
# course, nothing else.
lesson=$(ls "$C"/content/pori/*.fi.md | grep -v _index | head -1)
printf '\nLisätty kappale testiä varten.\n' >> "$lesson"
pdf_run -s "$C" -o "$O"
want="fi/pori/print/pori.pdf fi/print/course.pdf "
[ "$rc" = 0 ] && [ "$(remade)" = "$want" ] && ok "a changed page remakes only the PDFs that hold it" ||
	nok "a changed page remakes only the PDFs that hold it" "exit $rc; remade: '$(remade)', want '$want'; $(cat "$T/err")"
pdftotext "$O/fi/pori/print/pori.pdf" - | grep -q 'Lisätty kappale' && ok "the remade PDF holds the change" || nok "the remade PDF holds the change"
pdf_run -s "$C" -o "$O" --force
[ "$rc" = 0 ] && [ "$(remade | wc -w)" = "$n_items" ] && ok "--force makes every PDF again" ||
	nok "--force makes every PDF again" "exit $rc; remade: $(remade)"

fi

# --- a small site: what a page may load, pages that hang, SIGINT ----------
S=$T/s
new_site "$S"
printf 'markdown:\n  unsafe: true\n' >> "$S/site.yaml"
printf '\n<img src="file:///etc/hostname" alt="">\n<link rel="stylesheet" href="file:///etc/passwd">\n' >> "$S/content/mod/eka.fi.md"
pdf_run -s "$S" -o "$T/w"
[ "$rc" = 0 ] && ok "a page that points outside the output is still printed" || nok "a page that points outside the output is still printed" "exit $rc; $(cat "$T/err")"
grep -q 'fi/mod/print/index.html: warning: blocked a request for file:///etc/passwd' "$T/err" &&
	ok "a file:/// request outside the output: a warning naming page and URL" ||
	nok "a file:/// request outside the output: a warning naming page and URL" "$(cat "$T/err")"
fp=$(find "$T/w/fi" -name '*.pdf' -path '*mod/print/*' | head -1)
if [ -n "$fp" ] && ! pdftotext "$fp" - | grep -q 'root:x:0:'; then ok "no text of /etc/passwd in the PDF"; else nok "no text of /etc/passwd in the PDF" "$fp"; fi

# A server that accepts connections and never answers; the English pages
# wait for it (the host allowed, so the request is not blocked).
port=$(free_port)
python3 -c '
import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(50)
held = []
while True:
    c, _ = s.accept(); held.append(c)
' "$port" &
server=$!
# Listening before toivo runs: on a busy machine Python may start after the
# browser asks, and a refused request lets the page finish loading.
WAIT=60 wait_for python3 -c 'import socket, sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1)' "$port"
printf 'pdf:\n  timeout: 20\n  allow_remote: [127.0.0.1]\n' >> "$S/site.yaml"
printf '\n<img src="http://127.0.0.1:%s/never.png" alt="">\n' "$port" >> "$S/content/mod/toka.en.md"
rm -rf "$T/w"
pdf_run -s "$S" -o "$T/w"
[ "$rc" = 1 ] && grep -q 'en/module/print/index.html: error: the print page did not finish loading within 20 s; still waiting for http://127.0.0.1' "$T/err" &&
	ok "a page that never finishes loading: exit 1, an error naming it and what it waits for" ||
	nok "a page that never finishes loading: exit 1, an error naming it and what it waits for" "exit $rc; $(cat "$T/err")"
[ -s "$T/w/fi/mod/print/mod.pdf" ] && [ -s "$T/w/fi/print/course.pdf" ] && ok "the other PDFs are written" ||
	nok "the other PDFs are written" "$(find "$T/w" -name '*.pdf')"
check "no PDF for the page that hung" test -z "$(find "$T/w/en" -name '*.pdf' 2>/dev/null)"
check "no browser left after a page that hung" test -z "$(browsers)"

# SIGINT while the English pages wait: the browser goes, OUT stays.
sed -i 's/timeout: 20/timeout: 60/' "$S/site.yaml"
timeout 120 "$TOIVO" pdf -s "$S" -o "$T/w" --force > "$T/out" 2> "$T/err" &
tp=$!
WAIT=60 wait_for sh -c "ps -eo args= | grep -v grep | grep -q 'user-data-dir=$TMPDIR/toivo-pdf-'"
sleep 2
before=$(tree_sum "$T/w")
kill -INT $tp
wait $tp
rc=$?
[ "$rc" = 130 ] && grep -q 'stopped' "$T/err" && ok "SIGINT: exit 130, said so" || nok "SIGINT: exit 130, said so" "exit $rc; $(cat "$T/err")"
sleep 0.5
check "SIGINT: no browser left" test -z "$(browsers)"
[ "$(tree_sum "$T/w")" = "$before" ] && ok "SIGINT: OUT as it was, no half-written PDF" || nok "SIGINT: OUT as it was, no half-written PDF"
check "SIGINT: no work folder left" test -z "$(find "$T" -maxdepth 1 -name '.*toivo-pdf*')"
check "SIGINT: no work folder left in TMPDIR" test -z "$(ls "$TMPDIR")"
kill $server 2>/dev/null
wait $server 2>/dev/null

# --- slide decks (OUT/slides.json), the creation date from git ---------------
D=$T/d
new_site "$D"
# A deck of the module, made by the build from slides.fi.md.
cat > "$D/content/mod/slides.fi.md" <<'MD'
---
title: Esitys
---

## Ensimmäinen dia

Yksi.

---

## Toinen dia

Kaksi.

Note:
Puhujan muistiinpano.

---

## Kolmas dia

Kolme.
MD
git_sandbox
git -C "$D" init -q && git -C "$D" add -A &&
	GIT_AUTHOR_DATE=2024-05-06T10:00:00Z GIT_COMMITTER_DATE=2024-05-06T10:00:00Z git -C "$D" commit -qm "The course"
pdf_run -s "$D" -o "$T/dw"
dp=$(python3 -c 'import json, sys; print(sys.argv[2] + "/" + json.load(open(sys.argv[1]))[0]["pdf"])' "$T/dw/slides.json" "$T/dw" 2>/dev/null)
[ "$rc" = 0 ] && [ -s "$dp" ] && ok "slides.json: a PDF for the deck" || nok "slides.json: a PDF for the deck" "exit $rc; $(cat "$T/err")"
pdfinfo "$dp" > "$T/info" 2>&1
grep -q '^Page size: *84[0-4][.0-9]* x 59[3-7]' "$T/info" && ok "deck: A4 landscape from its CSS" || nok "deck: A4 landscape from its CSS" "$(grep 'Page size' "$T/info")"
grep -q '^Pages: *4$' "$T/info" && ok "deck: one page a slide (the title slide and three)" || nok "deck: one page a slide (the title slide and three)" "$(grep Pages "$T/info")"
pdftohtml -q -xml -i -stdout "$dp" | grep -o '<item[^>]*>[^<]*' | sed 's/.*>//' | tr '\n' '|' > "$T/ol"
case "$(cat "$T/ol")" in
*"Ensimmäinen dia|Toinen dia|Kolmas dia|") ok "deck: outline = slide titles" ;;
*) nok "deck: outline = slide titles" "$(cat "$T/ol")" ;;
esac
check "deck: no running header (the site's name is on no page)" sh -c "! pdftotext '$dp' - | grep -q 'Testi'"
check "deck: the speaker notes are in the handout" sh -c "pdftotext '$dp' - | grep -q 'Puhujan muistiinpano'"
mp=$T/dw/fi/mod/print/mod.pdf
pdfinfo "$mp" > "$T/info" 2>&1
grep -q '^CreationDate: .* 2024' "$T/info" && ok "creation date from the git history" || nok "creation date from the git history" "$(cat "$T/info")"

# --- WeasyPrint, one module --------------------------------------------------
W=$T/ws
new_site "$W"
pdf_run -s "$W" -o "$T/w2" --engine weasyprint
[ "$rc" = 0 ] && ok "toivo pdf --engine weasyprint" || nok "toivo pdf --engine weasyprint" "exit $rc; $(cat "$T/err")"
wp=$(find "$T/w2" -path '*/fi/*/print/*.pdf' | head -1)
if [ -n "$wp" ] && pdfinfo "$wp" > "$T/info" 2>&1; then
	grep -q '^Page size: *59[3-7][.0-9]* x 84[0-4]' "$T/info" && ok "weasyprint: A4" || nok "weasyprint: A4" "$(grep 'Page size' "$T/info")"
	grep -q '^Producer: *WeasyPrint' "$T/info" && ok "weasyprint: made by WeasyPrint" || nok "weasyprint: made by WeasyPrint" "$(grep Producer "$T/info")"
	pdftotext "$wp" - | grep -q 'Toivon löytäminen' && ok "weasyprint: lesson text" || nok "weasyprint: lesson text"
else
	nok "weasyprint: a module PDF" "$(find "$T/w2" -name '*.pdf')"
fi

# --- the headless shell or the full browser ----------------------------------
# toivo pdf takes chromium-headless-shell when it is on PATH, else chromium:
# the same engine, and the same PDF from either.
pdf_run -s "$W" -o "$T/w3"
r1=$rc
PDF_ENV=TOIVO_CHROMIUM=$(command -v chromium) pdf_run -s "$W" -o "$T/w4"
[ "$r1" = 0 ] && [ "$rc" = 0 ] && ok "toivo pdf with the headless shell and with the full browser" ||
	nok "toivo pdf with the headless shell and with the full browser" "exit $r1 and $rc; $(cat "$T/err")"
p3=$(find "$T/w3" -path '*/fi/*/print/*.pdf' | head -1)
p4=${p3:+$T/w4${p3#"$T/w3"}}
if [ -n "$p3" ] && [ -s "$p4" ]; then
	pdftotext -layout "$p3" "$T/p3.txt"
	pdftotext -layout "$p4" "$T/p4.txt"
	grep -q 'Toivon löytäminen' "$T/p3.txt" && cmp -s "$T/p3.txt" "$T/p4.txt" &&
		ok "headless shell and full browser: the same pages and text" ||
		nok "headless shell and full browser: the same pages and text" "$(diff "$T/p3.txt" "$T/p4.txt" | head -20)"
	pdfinfo "$p4" | grep -q '^Tagged: *yes' && ok "full browser: a tagged PDF" || nok "full browser: a tagged PDF"
else
	nok "headless shell and full browser: a module PDF each" "$(find "$T/w3" "$T/w4" -name '*.pdf')"
fi

# --- a missing engine, a failed run -------------------------------------------
before=$(tree_sum "$T/w2")
PDF_ENV=TOIVO_CHROMIUM=/nonexistent pdf_run -s "$W" -o "$T/w2"
[ "$rc" = 1 ] && grep -q 'apt-get install chromium' "$T/err" && ok "missing Chromium: exit 1 with the apt-get line" ||
	nok "missing Chromium: exit 1 with the apt-get line" "exit $rc; $(cat "$T/err")"
mkdir -p "$T/empty"
PDF_ENV=PATH=$T/empty pdf_run -s "$W" -o "$T/w2" --engine weasyprint
[ "$rc" = 1 ] && grep -q 'apt-get install weasyprint' "$T/err" && ok "missing WeasyPrint: exit 1 with the apt-get line" ||
	nok "missing WeasyPrint: exit 1 with the apt-get line" "exit $rc; $(cat "$T/err")"
# An engine that fails: the output stays as it was.
printf '#!/bin/sh\necho "engine broke" >&2\nexit 3\n' > "$T/empty/broken"
chmod +x "$T/empty/broken"
PDF_ENV=TOIVO_CHROMIUM=$T/empty/broken pdf_run -s "$W" -o "$T/w2" --force
[ "$rc" = 1 ] && grep -q 'engine broke' "$T/err" && ok "a failing engine: exit 1, its output shown" ||
	nok "a failing engine: exit 1, its output shown" "exit $rc; $(cat "$T/err")"
[ "$(tree_sum "$T/w2")" = "$before" ] && ok "a failed run leaves OUT untouched" || nok "a failed run leaves OUT untouched"
check "a failed run leaves no work folder" test -z "$(find "$T" -maxdepth 1 -name '.*toivo-pdf*')"
# A site with an error: nothing rendered, OUT untouched.
printf -- '---\ntitle: [broken\n---\n' > "$W/content/mod/eka.fi.md"
pdf_run -s "$W" -o "$T/w2"
[ "$rc" = 1 ] && [ "$(tree_sum "$T/w2")" = "$before" ] && ok "a site error: exit 1, OUT untouched" ||
	nok "a site error: exit 1, OUT untouched" "exit $rc; $(cat "$T/err")"
pdf_run --engine nope
[ "$rc" = 2 ] && ok "an unknown engine is a usage error" || nok "an unknown engine is a usage error" "exit $rc"
printf 'pdf:\n  allow_remote: ["https://example.org/"]\n' >> "$W/site.yaml"
pdf_run -s "$W" -o "$T/w2"
[ "$rc" = 1 ] && grep -q 'pdf.allow_remote lists host names' "$T/err" && ok "pdf.allow_remote with a URL: a clear error" ||
	nok "pdf.allow_remote with a URL: a clear error" "exit $rc; $(cat "$T/err")"
