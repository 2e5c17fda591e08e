#!/bin/sh
# t_form.sh - the plan form (lua/planform.lua, themes/default/assets/form.js).
#
# First the hook's output, with toivo and its ASan build alike: a copy of
# the bundled course plus a trainer's own crisis-plan form (its own YAML,
# docs/forms.md) builds; every field has a label, every part is a fieldset
# with a legend and its guiding questions tied to the text area; the ids
# still match in the print pages; mistakes in the YAML are errors.
# Then the form in a real browser (tests/browser/form.mjs: Debian's
# chromium with npm playwright-core, pdftotext), on the release pass only.
. "$(dirname "$0")/lib.sh"

S=$T/site
mkdir -p "$S"
cp -R "$ROOT/content" "$ROOT/site.yaml" "$S/"
[ -d "$ROOT/i18n" ] && cp -R "$ROOT/i18n" "$S/"

# A form of the trainer's own: only YAML and a page with print: form.
cat > "$S/content/data/crisis.yaml" <<'YAML'
id: crisis
title: {fi: "Kriisisuunnitelma", en: "Crisis plan"}
intro: {fi: "Suunnitelma tehdään yhdessä, kun vointi on hyvä.", en: "The plan is made together while things are going well."}
fields:
  - key: name
  - key: made
    type: date
    label: {fi: "Laadittu", en: "Made on"}
parts:
  - key: signs
    heading: {fi: "Varhaiset merkit", en: "Early signs"}
    questions:
      - {fi: "mistä huomaan, että vointini on heikkenemässä", en: "how I notice that I am getting worse"}
  - key: helps
    heading: {fi: "Mikä auttaa", en: "What helps"}
    questions:
      - {fi: "mitä voin tehdä itse", en: "what I can do myself"}
      - {fi: "keneen voin olla yhteydessä", en: "whom I can contact"}
  - key: notes
    heading: {fi: "Muuta", en: "Other"}
    lines: 3
YAML
printf -- '---\ntitle: "Kriisisuunnitelma"\nweight: 9\nprint: form\n---\n\n```planform\ndata: crisis.yaml\n```\n' \
	> "$S/content/asiakassuunnitelma/kriisi.fi.md"
printf -- '---\ntitle: "Crisis plan"\nslug: crisis-plan\nweight: 9\nprint: form\n---\n\n```planform\ndata: crisis.yaml\n```\n' \
	> "$S/content/asiakassuunnitelma/kriisi.en.md"

OUT=$T/pub
run_toivo build -s "$S" -o "$OUT"
if [ "$rc" = 0 ]; then ok "the course with a second form of its own builds"; else nok "the course with a second form of its own builds" "$(cat "$T/err")"; exit 0; fi

# form_check PAGE YAML FORM_ID: the structure of one form page.
form_check() {
	timeout 30 python3 - "$1" "$2" "$3" <<'PY'
import html.parser, os, re, sys
page, yaml, form_id = sys.argv[1:4]
src = open(page, encoding="utf-8").read()
want = re.findall(r"^  - key: (\S+)", open(yaml, encoding="utf-8").read(), re.M)

class P(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.els, self.stack, self.fieldsets = [], [], []
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        e = {"tag": tag, "a": a, "text": "", "kids": [], "parent": self.stack[-1] if self.stack else None}
        if self.stack:
            self.stack[-1]["kids"].append(e)
        self.els.append(e)
        if tag not in ("input", "meta", "link", "br", "img", "hr"):
            self.stack.append(e)
        if tag == "fieldset":
            self.fieldsets.append(e)
    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()["tag"] == tag:
                break
    def handle_data(self, d):
        for e in self.stack:
            e["text"] += d
p = P()
p.feed(src)
ids = {e["a"]["id"]: e for e in p.els if e["a"].get("id")}
bad = []
def say(ok, what, ev=""):
    print(("ok - " if ok else "not ok - ") + what)
    if not ok and ev:
        print("# " + str(ev)[:400])
forms = [e for e in p.els if e["tag"] == "form" and e["a"].get("class") == "planform"]
say(len(forms) == 1 and forms[0]["a"].get("data-form") == form_id, f"{page}: one <form> of id {form_id}",
    [f["a"].get("data-form") for f in forms])
fields = [e for e in p.els if "data-key" in e["a"]]
keys = [e["a"]["data-key"] for e in fields]
say(keys == want, f"{page}: a field for every key of the YAML, in its order", (keys, want))
say(all("name" not in e["a"] for e in fields), f"{page}: no field has a name (nothing could be submitted)")
unlabelled = []
for e in fields:
    labels = [l for l in p.els if l["tag"] == "label" and l["a"].get("for") == e["a"].get("id") and l["text"].strip()]
    by = e["a"].get("aria-labelledby", "").split()
    if not labels and not (by and all(i in ids and ids[i]["text"].strip() for i in by)):
        unlabelled.append(e["a"]["data-key"])
say(not unlabelled, f"{page}: every field has a label or aria-labelledby with text", unlabelled)
tas = [e for e in fields if e["tag"] == "textarea"]
say(len(p.fieldsets) == len(tas) and all(f["kids"] and f["kids"][0]["tag"] == "legend" and f["kids"][0]["text"].strip()
    for f in p.fieldsets), f"{page}: every part is a fieldset whose legend names it", len(p.fieldsets))
undescribed = []
for t in tas:
    fs = t["parent"]
    qs = [k for k in fs["kids"] if k["tag"] == "ul"]
    d = t["a"].get("aria-describedby")
    if qs and not (d and d in ids and ids[d] is qs[0] and any(k["tag"] == "li" for k in qs[0]["kids"])):
        undescribed.append(t["a"]["data-key"])
say(not undescribed, f"{page}: the guiding questions describe their text area (aria-describedby)", undescribed)
refs = []
for e in p.els:
    for at in ("for", "aria-labelledby", "aria-describedby"):
        for i in e["a"].get(at, "").split():
            if i not in ids:
                refs.append(f"{at}={i}")
say(not refs, f"{page}: every for / aria- reference finds its id", refs)
say(any(e["a"].get("type") == "date" for e in fields), f"{page}: a date input")
boxes = [k for f in fields for k in (f["parent"]["kids"] if f["parent"] else [])
         if k["a"].get("class") == "write-space" and k["a"].get("aria-hidden") == "true"]
say(len(boxes) == len(fields), f"{page}: every field has its writing box for print", (len(boxes), len(fields)))
scripts = [e["a"]["src"] for e in p.els if e["tag"] == "script" and e["a"].get("src", "").endswith("assets/form.js")]
say(len(scripts) == 1 and os.path.isfile(os.path.join(os.path.dirname(page), scripts[0])),
    f"{page}: form.js is linked, relative, and there", scripts)
PY
}

FI=$OUT/fi/asiakassuunnitelma/lomake/index.html
EN=$OUT/en/client-plan/form/index.html
form_check "$FI" "$S/content/data/plan.yaml" plan
form_check "$EN" "$S/content/data/plan.yaml" plan
form_check "$OUT/fi/asiakassuunnitelma/kriisi/index.html" "$S/content/data/crisis.yaml" crisis
form_check "$OUT/en/client-plan/crisis-plan/index.html" "$S/content/data/crisis.yaml" crisis
form_check "$OUT/fi/asiakassuunnitelma/lomake/print/index.html" "$S/content/data/plan.yaml" plan
check "Finnish form: Finnish labels and buttons" grep -q '>Tallenna</button>' "$FI"
check "English form: English labels and buttons" grep -q '<label class="planform-label" for="plan-[0-9]*-date">Date</label>' "$EN"
check "English crisis form: the label from its YAML" grep -q '>Made on</label>' "$OUT/en/client-plan/crisis-plan/index.html"
check "the privacy sentence is on the page" grep -q 'class="planform-privacy">Your answers stay on this page only' "$EN"
check "the form pages are print pages (print.json)" grep -q '"kind":"form","title":"Crisis plan"' "$OUT/print.json"
if grep -q 'form\.js' "$OUT/fi/pori/tulokset/index.html"; then
	nok "form.js only on form pages"
else
	ok "form.js only on form pages"
fi
# No request, storage or cookie API anywhere in the form's code (its
# comments name them).
if grep -nE 'fetch\(|XMLHttpRequest|sendBeacon|localStorage|sessionStorage|indexedDB|document\.cookie|WebSocket|\.submit\(' \
	"$ROOT/themes/default/assets/form.js" | grep -vE '^[0-9]+:[[:space:]]*(/?\*|//)' > "$T/apis"; then
	nok "form.js uses no request or storage API" "$(cat "$T/apis")"
else
	ok "form.js uses no request or storage API"
fi

# Mistakes in a form's YAML are errors at the page, with what to do.
bad_yaml() {
	what=$1
	pat=$2
	cat > "$S/content/data/crisis.yaml"
	expect_fail "$what" "$pat" build -s "$S" -o "$T/bad"
}
bad_yaml "a key used twice is an error" 'kriisi\.fi\.md:[0-9]+: error: .*the key "signs" is used twice' <<'YAML'
title: "K"
parts:
  - {key: signs, heading: "A"}
  - {key: signs, heading: "B"}
YAML
bad_yaml "a key with a space is an error" 'key "early signs" may hold only letters' <<'YAML'
title: "K"
parts:
  - {key: "early signs", heading: "A"}
YAML
bad_yaml "an unknown field type is an error" 'field "age" has type "number"; a field is text or date' <<'YAML'
title: "K"
fields:
  - {key: age, type: number}
parts:
  - {key: a, heading: "A"}
YAML
bad_yaml "a form without parts is an error" 'a plan needs parts' <<'YAML'
title: "K"
YAML

# --- in the browser (release build only) ------------------------------------
case "$TOIVO" in
*-asan)
	echo "ok - # SKIP the form in the browser runs only with the release build"
	exit 0
	;;
esac
browser_ready pdftotext pdfinfo pdftoppm || exit 0
# $OUT: the course with the good crisis form (the bad YAML above failed to build into $T/bad).
timeout 300 node "$B/form.mjs" "$OUT" "$T" "$S/content/data/plan.yaml"
rc=$?
[ "$rc" = 0 ] || nok "form.mjs ran to the end" "exit status $rc"
