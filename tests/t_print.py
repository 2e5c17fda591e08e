#!/usr/bin/env python3
"""t_print.py - print pages of the bundled course: one per module and
language, the whole course and the plan form; ids unique, every link and
anchor resolves, lessons in order, headings moved under the lesson title."""
import html, json, os, re, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOIVO = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("TOIVO", os.path.join(ROOT, "build/toivo"))
failed = 0


def check(what, cond, detail=""):
    global failed
    print(("ok - " if cond else "not ok - ") + what)
    if not cond:
        failed += 1
        for line in str(detail).splitlines()[:15]:
            print("# " + line)


with tempfile.TemporaryDirectory() as out:
    r = subprocess.run([TOIVO, "build", "-s", ROOT, "-o", out, "-q"], capture_output=True, text=True, timeout=120)
    check("the course builds", r.returncode == 0, r.stderr)
    man = json.load(open(os.path.join(out, "print.json"), encoding="utf-8"))
    kinds = {}
    for e in man:
        kinds.setdefault((e["lang"], e["kind"]), []).append(e)
    for lang in ("fi", "en"):
        check(f"{lang}: a print page per module", len(kinds.get((lang, "module"), [])) == 4, man)
        check(f"{lang}: one print page of the whole course", len(kinds.get((lang, "course"), [])) == 1)
        check(f"{lang}: one print page of the plan form", len(kinds.get((lang, "form"), [])) == 1)
    for e in man:
        p = os.path.join(out, e["html"])
        s = open(p, encoding="utf-8").read()
        ids = re.findall(r' id="([^"]+)"', s)
        dup = sorted({i for i in ids if ids.count(i) > 1})
        check(f"{e['html']}: ids unique", not dup, dup)
        check(f"{e['html']}: html lang", f'<html lang="{e["lang"]}"' in s)
        bad = []
        for u in re.findall(r' (?:href|src)="([^"]*)"', s):
            u = html.unescape(u)
            if re.match(r"^[a-z]+:", u):
                continue
            path, _, frag = u.partition("#")
            if not path:
                if frag not in ids:
                    bad.append(u)
            elif not os.path.exists(os.path.normpath(os.path.join(os.path.dirname(p), path))):
                bad.append(u)
        check(f"{e['html']}: every link and anchor resolves", not bad, bad)
        check(f"{e['html']}: pdf path beside it", e["pdf"].startswith(os.path.dirname(e["html"]) + "/") and e["pdf"].endswith(".pdf"))
        if e["kind"] == "module":
            mod = os.path.dirname(os.path.dirname(p))
            lessons = [d for d in sorted(os.listdir(mod)) if d not in ("print", "slides") and os.path.isdir(os.path.join(mod, d))]
            secs = re.findall(r'<section class="print-lesson" id="[^"]+" data-title="([^"]+)"', s)
            check(f"{e['html']}: every lesson of the module in it", len(secs) == len(lessons), (secs, lessons))
            check(f"{e['html']}: a table of contents with page-number slots", s.count('class="toc-page"') == len(secs))
            check(f"{e['html']}: no h1 but the cover's", s.count("<h1") == 1)
        if e["kind"] == "form":
            check(f"{e['html']}: the form is in it", 'class="planform"' in s)
    fi = open(os.path.join(out, "fi/pori/print/index.html"), encoding="utf-8").read()
    check("lesson headings move under the lesson title", '<h3 id="pori-tulokset-' in fi, re.findall(r"<h[23][^>]*>", fi)[:10])
    check("the Pori tables are in the module print page", fi.count("<table") >= 5)
    # Links between lessons of the same module stay inside the document.
    check("lesson links become in-document links", 'href="#pori-' in fi)
sys.exit(1 if failed else 0)
