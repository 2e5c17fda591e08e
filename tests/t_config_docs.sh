#!/bin/sh
# t_config_docs.sh - docs/configuration.md cannot drift from the code: the
# keys the sources read from site.yaml and front matter, the one list of
# keys in generator/keys.c and the tables of docs/configuration.md are the
# same three sets.  Then what the list is for: an unknown site.yaml key
# warns with the closest known one, a misspelt front-matter key too, and a
# page's own key (page.params.KEY) does not.
. "$(dirname "$0")/lib.sh"

# drift SRC DOCS: prints one line per difference between the keys read in
# SRC's sources (generator/, publish/, themes/, lua/), SRC's
# generator/keys.c and the tables of DOCS; nothing when they agree.
drift() {
	timeout 60 python3 - "$1" "$2" <<'PY'
import glob, os, re, sys
src, docs = sys.argv[1], sys.argv[2]
def text(p):
    with open(p, encoding="utf-8") as f:
        return f.read()
code = {p: text(p) for d in ("generator", "publish") for p in glob.glob(os.path.join(src, d, "*.c"))
        if not p.endswith("keys.c")}
site, front = set(), set()
# site.yaml: the whole config (c, s->config, *cfg) and its dotted paths.
for p, t in code.items():
    site.update(re.findall(r'value_get\((?:s->config|\*cfg), "([a-z_]+)"\)', t))
    if p.endswith("site.c"):
        site.update(re.findall(r'value_get\(c, "([a-z_]+)"\)', t))
    site.update(re.findall(r'value_path\(c, "([a-z_.]+)"\)', t))
    site.update(re.findall(r'S_hook_limit\(s, "([a-z_.]+)"', t))
    # The pdf: and publish: maps are read by their commands.
    if p.endswith("cmd_pdf.c"):
        site.update("pdf." + k for k in re.findall(r'value_get\(p, "([a-z_]+)"\)', t))
    if p.endswith("cmd_publish.c"):
        m = re.search(r'keys\[\] = \{([^}]*)\}', t)
        site.update("publish." + k for k in re.findall(r'"([a-z_]+)"', m.group(1) if m else ""))
    # front matter: a page's fm (or the params copied from it).
    front.update(re.findall(r'value_get\((?:fm|p->fm|d->fm|deck->fm|to->fm|params), "([a-z_]+)"\)', t))
    front.update(re.findall(r'S_expect\(fm, "([a-z_]+)"', t))
    m = re.search(r'dates\[\] = \{([^}]*)\}', t)
    if m:
        front.update(re.findall(r'"([a-z_]+)"', m.group(1)))
# Maps holding other keys are not keys themselves.
site -= {"pdf", "publish", "markdown", "hooks"}
for p in glob.glob(os.path.join(src, "themes", "*", "*", "*.mustache")) + glob.glob(os.path.join(src, "lua", "*.lua")):
    front.update(re.findall(r'params\.([a-z_]+)', text(p)))
    front.update(re.findall(r'params\["([a-z_]+)"\]', text(p)))
keys = text(os.path.join(src, "generator", "keys.c"))
def table(name):
    m = re.search(name + r'\[\] = \{(.*?)NULL', keys, re.S)
    return set(re.findall(r'"([a-z_.]+)"', m.group(1))) if m else set()
ksite, kfront = table("S_site_keys"), table("S_front_keys")
d = text(docs)
def section(title):
    m = re.search(r'^## ' + title + r'\n(.*?)(?=^## |\Z)', d, re.S | re.M)
    return set(re.findall(r'^\| `([a-z_.]+)` \|', m.group(1), re.M)) if m else set()
dsite, dfront = section("site.yaml"), section("Front matter")
out = []
if len(site) < 12 or len(front) < 12:
    out.append("found only %d site.yaml and %d front-matter keys in the sources: the patterns above no longer match how the code reads keys" % (len(site), len(front)))
for what, c, k, doc in (("site.yaml", site, ksite, dsite), ("front matter", front, kfront, dfront)):
    for x in sorted(c - k): out.append("%s key '%s' is read in the code but not listed in generator/keys.c" % (what, x))
    for x in sorted(k - c): out.append("%s key '%s' is listed in generator/keys.c but the code never reads it" % (what, x))
    for x in sorted(k - doc): out.append("%s key '%s' is missing from docs/configuration.md" % (what, x))
    for x in sorted(doc - k): out.append("%s key '%s' is in docs/configuration.md but toivo does not read it" % (what, x))
print("\n".join(out))
PY
}

out=$(drift "$ROOT" "$ROOT/docs/configuration.md")
[ -z "$out" ] && ok "the keys read in the code, generator/keys.c and docs/configuration.md agree" ||
	nok "the keys read in the code, generator/keys.c and docs/configuration.md agree" "$out"

# The check itself finds drift each way: a key the code starts reading, a
# row taken out of the docs, a row for a key the code does not read.
mkdir -p "$T/src"
cp -r "$ROOT/generator" "$ROOT/publish" "$ROOT/themes" "$ROOT/lua" "$T/src/"
printf 'void x(struct site *s) { value_get(s->config, "colour"); }\n' > "$T/src/generator/zz_new.c"
printf 'void y(struct value *fm) { value_get(fm, "mood"); }\n' >> "$T/src/generator/zz_new.c"
out=$(drift "$T/src" "$ROOT/docs/configuration.md")
echo "$out" | grep -q "site.yaml key 'colour' is read in the code but not listed" &&
	echo "$out" | grep -q "front matter key 'mood' is read in the code but not listed" &&
	ok "a key newly read in the code fails the check" || nok "a key newly read in the code fails the check" "$out"
sed 's/^| `review_interval` .*/| `colour` | text | none | `colour: red` | nothing |/' "$ROOT/docs/configuration.md" > "$T/less.md"
out=$(drift "$ROOT" "$T/less.md")
echo "$out" | grep -q "site.yaml key 'review_interval' is missing from docs/configuration.md" &&
	echo "$out" | grep -q "key 'colour' is in docs/configuration.md but toivo does not read it" &&
	ok "a key missing from the docs, or documented and not read, fails the check" ||
	nok "a key missing from the docs, or documented and not read, fails the check" "$out"

grep -q 'docs/configuration.md' "$ROOT/README.md" &&
	ok "README points to docs/configuration.md" || nok "README points to docs/configuration.md"

# --- unknown keys -------------------------------------------------------------
S=$T/site
new_site "$S"
run_toivo check -s "$S"
[ "$rc" = 0 ] && ! grep -q warning "$T/err" && ok "a site of known keys checks without a warning" ||
	nok "a site of known keys checks without a warning" "exit $rc; $(cat "$T/err")"
printf 'titel: "Kurssi"\npdf:\n  timout: 30\nvärit: 3\n' >> "$S/site.yaml"
run_toivo build -s "$S"
[ "$rc" = 0 ] && grep -q "^site.yaml:5:8: warning: unknown key 'titel' in site.yaml; did you mean 'title'? See docs/configuration.md" "$T/err" &&
	ok "an unknown site.yaml key warns with file:line:col and the closest key" || nok "an unknown site.yaml key warns" "exit $rc; $(cat "$T/err")"
grep -q "^site.yaml:7:11: warning: unknown key 'pdf.timout' in site.yaml; did you mean 'pdf.timeout'?" "$T/err" &&
	ok "an unknown nested key is named with its map" || nok "an unknown nested key is named with its map" "$(cat "$T/err")"
grep -q "unknown key 'värit' in site.yaml; toivo does not read it: remove it" "$T/err" &&
	ok "a key like no known one says to remove it" || nok "a key like no known one says to remove it" "$(cat "$T/err")"
[ "$(grep -c ": warning:" "$T/err")" = 3 ] && ok "one warning per unknown key" || nok "one warning per unknown key" "$(cat "$T/err")"

new_site "$T/fm"
printf -- '---\ntitle: "Eka"\nweigth: 1\nTitle: "x"\nkuvaaja: "oma avain"\ndata: 3\n---\n\nTeksti.\n' > "$T/fm/content/mod/eka.fi.md"
run_toivo check -s "$T/fm"
grep -q "^content/mod/eka.fi.md:3:9: warning: unknown front-matter key 'weigth'; did you mean 'weight'?" "$T/err" &&
	ok "a misspelt front-matter key warns, naming the known one" || nok "a misspelt front-matter key warns" "$(cat "$T/err")"
grep -q "unknown front-matter key 'Title'; did you mean 'title'?" "$T/err" &&
	ok "a known key in the wrong case warns" || nok "a known key in the wrong case warns" "$(cat "$T/err")"
! grep -Eq "'kuvaaja'|'data'" "$T/err" &&
	ok "a page's own keys (page.params) do not warn" || nok "a page's own keys (page.params) do not warn" "$(cat "$T/err")"

run_toivo check -s "$ROOT"
! grep -q "unknown" "$T/err" && ok "the bundled course uses only known keys" || nok "the bundled course uses only known keys" "$(grep unknown "$T/err")"
