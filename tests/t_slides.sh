#!/bin/sh
# t_slides.sh - decks (docs/slides.md): slides.LANG.md in a module folder
# becomes OUT/LANG/MODULE/slides/index.html, listed in OUT/slides.json and
# linked from the module page; slides split on `---` lines outside fenced
# blocks, notes start at "Note:" / "Muistiinpano:", hooks and links work as
# on pages, and `toivo check` reports a slide's broken link.  Then the
# bundled course's decks, when it has any.  The browser part
# (tests/browser/slides.mjs: keys, fragment, overflow at two sizes, speaker
# view, axe, print) runs with the release build only.
. "$(dirname "$0")/lib.sh"

S=$T/site
new_site "$S"
mkdir -p "$S/content/data"
printf 'group,count\na,3\nb,5\n' > "$S/content/data/groups.csv"
cat > "$S/content/mod/slides.fi.md" <<'EOF'
---
title: "Moduulin diat"
subtitle: "Alaotsikko diasarjalle"
---

## Ensimmäinen dia

- Kohta yksi
- Katso [eka sivu](eka.fi.md#toivon-loytaminen)

Muistiinpano:
Puhujan ohje ensimmäiseen diaan.

---

## Taulukko

```table
data: groups.csv
caption: "Ryhmät"
```

Note: Toinen muistiinpano.

---

## Koodia

```text
ennen
---
jälkeen samalla dialla
```
EOF
cat > "$S/content/mod/slides.en.md" <<'EOF'
---
title: "Module slides"
---

## First slide

- Point one
- See [the first page](eka.en.md)

Note:
Speaker's note for the first slide.

This note is long on purpose, to see that printed notes shrink to fit under their slide rather than being cut off. This note is long on purpose, to see that printed notes shrink to fit under their slide rather than being cut off. This note is long on purpose, to see that printed notes shrink to fit under their slide rather than being cut off. This note is long on purpose, to see that printed notes shrink to fit under their slide rather than being cut off. This note is long on purpose, to see that printed notes shrink to fit under their slide rather than being cut off. This note is long on purpose, to see that printed notes shrink to fit under their slide rather than being cut off. This note is long on purpose, to see that printed notes shrink to fit under their slide rather than being cut off. This note is long on purpose, to see that printed notes shrink to fit under their slide rather than being cut off. This note is long on purpose, to see that printed notes shrink to fit under their slide rather than being cut off. This note is long on purpose, to see that printed notes shrink to fit under their slide rather than being cut off. This note is long on purpose, to see that printed notes shrink to fit under their slide rather than being cut off. This note is long on purpose, to see that printed notes shrink to fit under their slide rather than being cut off. This note is long on purpose, to see that printed notes shrink to fit under their slide rather than being cut off. This note is long on purpose, to see that printed notes shrink to fit under their slide rather than being cut off. This note is long on purpose, to see that printed notes shrink to fit under their slide rather than being cut off. This note is long on purpose, to see that printed notes shrink to fit under their slide rather than being cut off. This note is long on purpose, to see that printed notes shrink to fit under their slide rather than being cut off. This note is long on purpose, to see that printed notes shrink to fit under their slide rather than being cut off.

---

## A table

```table
data: groups.csv
caption: "Groups"
```

---

## Code

```text
before
---
after, on the same slide
```
EOF

run_toivo build -s "$S" -o "$T/pub"
if [ "$rc" = 0 ]; then ok "a site with decks builds"; else nok "a site with decks builds" "$(cat "$T/err")"; fi
FI=$T/pub/fi/mod/slides/index.html
EN=$T/pub/en/module/slides/index.html
check "each language's deck is at LANG/MODULE/slides/index.html" test -f "$FI" -a -f "$EN"

n=$(grep -c '<section class="slide' "$FI")
if [ "$n" = 4 ]; then ok "a title slide plus one section per slide (4)"; else nok "a title slide plus one section per slide (4)" "$n sections"; fi
if grep -q '<h1 id="deck-title">Moduulin diat</h1>' "$FI" && grep -q 'Alaotsikko diasarjalle' "$FI"; then
	ok "the title slide comes from the front matter"
else
	nok "the title slide comes from the front matter"
fi
# The fenced --- stays in the code of slide 4.
if awk '/<section class="slide" id="\/4"/,/<\/section>/' "$FI" | grep -q 'jälkeen samalla dialla' &&
	awk '/<section class="slide" id="\/4"/,/<\/section>/' "$FI" | grep -q '^---$'; then
	ok "a --- line in a fenced block does not split the slide"
else
	nok "a --- line in a fenced block does not split the slide" "$(awk '/id="\/4"/,/<\/section>/' "$FI")"
fi
notes=$(awk '/<aside class="slide-notes"/,/<\/aside>/' "$FI")
if printf '%s' "$notes" | grep -q 'Puhujan ohje ensimmäiseen diaan.' &&
	printf '%s' "$notes" | grep -q 'Toinen muistiinpano.' &&
	! grep -q 'Muistiinpano:\|Note:' "$FI"; then
	ok "Muistiinpano: and Note: start the notes, without the word itself"
else
	nok "Muistiinpano: and Note: start the notes, without the word itself" "$notes"
fi
body2=$(awk '/<section class="slide" id="\/2"/,/<aside/' "$FI")
if printf '%s' "$body2" | grep -q 'Kohta yksi' && ! printf '%s' "$body2" | grep -q 'Puhujan ohje'; then
	ok "notes are not in the slide's body"
else
	nok "notes are not in the slide's body" "$body2"
fi
if grep -q 'class="data-table"' "$FI" && grep -q '<caption[^>]*>Ryhmät</caption>' "$FI"; then
	ok "hook blocks render on slides"
else
	nok "hook blocks render on slides"
fi
if grep -q 'href="../eka/index.html#toivon-loytaminen"' "$FI"; then
	ok "links to pages resolve from the deck's folder"
else
	nok "links to pages resolve from the deck's folder" "$(grep -o 'href="[^"]*eka[^"]*"' "$FI")"
fi
if grep -q 'href="../../../en/module/slides/index.html"' "$FI" && grep -q 'href="../../../fi/mod/slides/index.html"' "$EN"; then
	ok "the language switcher leads to the other language's deck"
else
	nok "the language switcher leads to the other language's deck"
fi
if grep -q '<a href="slides/index.html">' "$T/pub/fi/mod/index.html" && grep -q '<a href="slides/index.html">' "$T/pub/en/module/index.html"; then
	ok "the module page links to its deck"
else
	nok "the module page links to its deck"
fi
if grep -q 'assets/slides.js' "$FI" && test -f "$T/pub/assets/slides.js" -a -f "$T/pub/assets/slides.css"; then
	ok "the deck's script and style are in the output"
else
	nok "the deck's script and style are in the output"
fi
if python3 - "$T/pub" <<'PY'
import json, os, sys
out = sys.argv[1]
d = json.load(open(os.path.join(out, "slides.json")))
assert len(d) == 2, d
for e in d:
    assert set(e) == {"lang", "kind", "title", "html", "pdf", "module"}, e
    assert e["kind"] == "slides" and e["module"] == "mod", e
    assert os.path.isfile(os.path.join(out, e["html"])), e
    assert e["pdf"] == e["html"].replace("index.html", e["html"].split("/")[1] + "-slides.pdf"), e
assert {(e["lang"], e["title"]) for e in d} == {("fi", "Moduulin diat"), ("en", "Module slides")}, d
PY
then ok "slides.json lists both decks with lang, kind, title, html, pdf, module"; else nok "slides.json lists both decks with lang, kind, title, html, pdf, module"; fi
if ! grep -q 'slides' "$T/pub/sitemap.xml" && ! grep -rq 'Puhujan ohje' "$T/pub/fi/mod/print/" 2>/dev/null; then
	ok "decks are not pages: not in the sitemap or the print pages"
else
	nok "decks are not pages: not in the sitemap or the print pages"
fi

run_toivo check -s "$S"
if [ "$rc" = 0 ]; then ok "toivo check passes on good decks"; else nok "toivo check passes on good decks" "$(cat "$T/err")"; fi

# A broken link on a slide is reported by check as on pages, and the
# output stays as it was.
before=$(tree_sum "$T/pub")
cp "$S/content/mod/slides.en.md" "$T/slides.en.md.good"
printf '\n---\n\n## Broken\n\nSee [gone](puuttuu.en.md) and [anchor](eka.en.md#no-such-id).\n' >> "$S/content/mod/slides.en.md"
expect_fail "check reports a slide's link to a missing page with its line" \
	"^content/mod/slides\.en\.md:3[0-9]:.*error: link to 'puuttuu\.en\.md': no such page" check -s "$S"
if grep -q "content/mod/slides.en.md:3[0-9]:.*#no-such-id" "$T/err"; then
	ok "check reports a slide's link to a missing heading"
else
	nok "check reports a slide's link to a missing heading" "$(cat "$T/err")"
fi
run_toivo build -s "$S" -o "$T/pub"
if [ "$rc" = 0 ] && grep -q "warning: link to 'puuttuu.en.md'" "$T/err"; then
	ok "build warns about it, as on pages"
else
	nok "build warns about it, as on pages" "exit $rc: $(cat "$T/err")"
fi
cp "$T/slides.en.md.good" "$S/content/mod/slides.en.md"
run_toivo build -s "$S" -o "$T/pub"
after=$(tree_sum "$T/pub")
if [ "$before" = "$after" ]; then ok "the same source builds the same output"; else nok "the same source builds the same output"; fi

# A deck in a folder without a module page, and a slide without a heading.
mkdir -p "$S/content/orpo"
printf -- '---\ntitle: "Orpo"\n---\n\n## Yksi\n\nTeksti.\n' > "$S/content/orpo/slides.fi.md"
before=$(tree_sum "$T/pub")
expect_fail "a deck without a module page is an error that says what to create" \
	"^content/orpo/slides\.fi\.md:1:1: error: a deck belongs to a module: create content/orpo/_index\.fi\.md" build -s "$S" -o "$T/pub"
if [ "$before" = "$(tree_sum "$T/pub")" ]; then ok "a failed build leaves the output as it was"; else nok "a failed build leaves the output as it was"; fi
rm -r "$S/content/orpo"
printf '\n---\n\nJust text, no heading.\n' >> "$S/content/mod/slides.fi.md"
run_toivo build -s "$S" -o "$T/pub"
if [ "$rc" = 0 ] && grep -q "^content/mod/slides.fi.md:[0-9]*: warning: slide 5 has no heading" "$T/err" &&
	grep -q '<h2 class="visually-hidden">Dia 5</h2>' "$FI"; then
	ok "a slide without a heading is warned about and gets a hidden one"
else
	nok "a slide without a heading is warned about and gets a hidden one" "exit $rc: $(cat "$T/err")"
fi
printf '\n---\n\n## Viimeinen\n\nTeksti heti ennen viivaa\n---\n\nLisää.\n' >> "$S/content/mod/slides.fi.md"
line=$(grep -n '^---$' "$S/content/mod/slides.fi.md" | tail -1 | cut -d: -f1)
run_toivo build -s "$S" -o "$T/pub"
if [ "$rc" = 0 ] && grep -q "^content/mod/slides.fi.md:$line:1: warning: this '---' does not start a new slide" "$T/err" &&
	[ "$(grep -c "does not start a new slide" "$T/err")" = 1 ]; then
	ok "a --- right under text is warned about (it makes a heading), the fenced one is not"
else
	nok "a --- right under text is warned about (it makes a heading), the fenced one is not" "line $line: $(cat "$T/err")"
fi
rm "$S/content/mod/slides.en.md"
run_toivo check -s "$S"
if grep -q "^content/mod/slides.fi.md:1: warning: no en translation; add slides.en.md beside it" "$T/err"; then
	ok "check says when a deck has no translation"
else
	nok "check says when a deck has no translation" "$(cat "$T/err")"
fi
cp "$T/slides.en.md.good" "$S/content/mod/slides.en.md"

# --- the bundled course's decks ---------------------------------------------
C=$T/course
set -- "$ROOT"/content/*/slides.*.md
if [ ! -f "$1" ]; then
	echo "ok - # SKIP the bundled course has no slides.LANG.md yet"
else
	run_toivo build -s "$ROOT" -o "$C"
	if [ "$rc" = 0 ]; then ok "the bundled course builds with its decks"; else nok "the bundled course builds with its decks" "$(cat "$T/err")"; fi
	if python3 - "$C" "$#" <<'PY'
import json, os, re, sys
out, n = sys.argv[1], int(sys.argv[2])
d = json.load(open(os.path.join(out, "slides.json")))
assert len(d) == n, (len(d), n)
for e in d:
    html = open(os.path.join(out, e["html"]), encoding="utf-8").read()
    sections = re.findall(r'<section class="slide[^"]*"[^>]*>.*?</section>', html, re.S)
    assert len(sections) > 1, e["html"]
    for s in sections:
        assert re.search(r"<h[12][ >]", s), (e["html"], s[:200])
        body = s.split('<aside class="slide-notes"')[0]
        assert "Note:" not in body and "Muistiinpano:" not in body, (e["html"], body[:200])
PY
	then ok "every deck of the course is listed and every slide has a heading"; else nok "every deck of the course is listed and every slide has a heading"; fi
	run_toivo check -s "$ROOT"
	if grep -q 'slides\.[a-z]*\.md:.*error' "$T/err"; then
		nok "toivo check finds no broken link in the course's decks" "$(grep 'slides\.' "$T/err")"
	else
		ok "toivo check finds no broken link in the course's decks"
	fi
fi

# --- in a browser -------------------------------------------------------------
case "$TOIVO" in
*-asan)
	echo "ok - # SKIP the browser checks of decks run only with the release build"
	exit 0
	;;
esac
browser_ready pdfinfo || exit 0
mkdir -p "$T/shots"
timeout 300 node "$B/slides.mjs" "$T/pub" "$T/shots" "test deck"
rc=$?
[ "$rc" = 0 ] || nok "slides.mjs ran to the end on the test decks" "exit status $rc"
if [ -d "$C" ] && [ -f "$C/slides.json" ]; then
	timeout 900 node "$B/slides.mjs" "$C" "$T/shots" "course"
	rc=$?
	[ "$rc" = 0 ] || nok "slides.mjs ran to the end on the course's decks" "exit status $rc"
fi
