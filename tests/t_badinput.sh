#!/bin/sh
# t_badinput.sh - broken and hostile input.  Every case starts from a site
# that built into OUT, breaks one thing, and then requires of the build:
#   - exit status exactly 1 (not 0, not a crash: >= 128, 99 from the
#     sanitizers, 124 from the time limit),
#   - a message naming the file and the line (path:line:col: error: or
#     path:line: error:),
#   - OUT byte-identical to the last good build (tree_sum), no stage folder
#     left behind, and nothing created or changed outside OUT.
# t_build.sh and t_hooks.sh check the messages of the common cases; this
# file checks the invariants above on many more variants, then the cases
# that must build (a 30 MB page, deep nesting), symlinks, the output folder
# itself, and the server under load and malformed requests.
. "$(dirname "$0")/lib.sh"

S=$T/s
OUT=$T/public
PRISTINE=$T/pristine
new_site "$S"
mkdir -p "$S/lua" "$S/content/data"
printf 'group,total,a,b\none,10,4,6\ntwo,8,4,4\n' > "$S/content/data/t.csv"
# A theme of the site's own, a copy of the default one, for template cases.
cp -R "$ROOT/themes/default" "$S/themes-mine"
mkdir -p "$S/themes"
mv "$S/themes-mine" "$S/themes/mine"
printf 'theme: mine\n' >> "$S/site.yaml"
run_toivo build -s "$S" -o "$OUT"
if [ "$rc" != 0 ]; then
	nok "the fixture site builds" "$(cat "$T/err")"
	exit 0
fi
ok "the fixture site builds"
GOOD=$(tree_sum "$OUT")
cp -R "$S" "$PRISTINE"

# outside: every path under $T with size and time (folders without), but
# OUT, the test's own files, the pristine copy and toivo's own working trees
# beside OUT (.public.toivo-prev: the last output, reused as the next stage)
# and in the site's cache (.toivo-cache/, docs/where-toivo-writes.md);
# and anything a hook might have made in /tmp.
outside() {
	find "$T" \( -path "$OUT" -o -path "$PRISTINE" -o -path "$T/out" -o -path "$T/err" -o -name '.public.toivo-*' -o -name .toivo-cache \) -prune -o \
		\( -type d -printf '%p/\n' \) -o -printf '%p %s %T@\n' 2>/dev/null | LC_ALL=C sort
	ls -d /tmp/toivo-pwned* "$ROOT"/toivo-pwned* 2>/dev/null
}

# restore: the site as it was when it built.
restore() {
	rm -rf "$S"
	cp -R "$PRISTINE" "$S"
}

# verify WHAT PATTERN [ARGS...]: runs the build (default args: -s S -o OUT)
# and checks the invariants; PATTERN is an ERE for stderr.
verify() {
	what=$1
	pat=$2
	shift 2
	[ $# = 0 ] && set -- build -s "$S" -o "$OUT"
	before=$(outside)
	start=$(date +%s)
	run_toivo "$@"
	secs=$(($(date +%s) - start))
	why=
	[ "$rc" = 1 ] || why="exit status $rc, not 1;"
	grep -Eq -- "$pat" "$T/err" || why="$why no message matching /$pat/;"
	grep -Eq '^[^ :]+:[0-9]+(:[0-9]+)?: error: |^/[^:]*: error: |^[^ :/]+/[^ :]*: error: |error: lua/[^: ]+\.lua:[0-9]+: ' "$T/err" || why="$why no path:line: error: line;"
	[ "$(tree_sum "$OUT")" = "$GOOD" ] || why="$why OUT changed;"
	ls -a "$T" | grep -q 'toivo-stage' && why="$why a stage folder is left;"
	[ "$(outside)" = "$before" ] || why="$why something changed outside OUT: $(printf '%s\n' "$before" > "$T/b"; outside | diff "$T/b" - | head -5);"
	if [ -z "$why" ]; then
		ok "$what"
	else
		nok "$what" "$why (${secs}s) stderr: $(head -c 1500 "$T/err")"
		# Start the next case from a good build again.
		restore
		run_toivo build -s "$S" -o "$OUT"
		GOOD=$(tree_sum "$OUT")
	fi
}

# --- the table: one file written with printf, the build must fail -------------
# NAME @ FILE (under the site) @ stderr ERE @ printf format of the file's bytes
while IFS='@' read -r name file pat fmt <&3; do
	case "$name" in '' | '#'*) continue ;; esac
	mkdir -p "$(dirname "$S/$file")"
	# shellcheck disable=SC2059
	printf -- "$fmt" > "$S/$file"
	verify "$name" "$pat"
	restore
done 3<<'TABLE'
# front matter
front matter not closed, CRLF lines@content/mod/toka.fi.md@^content/mod/toka\.fi\.md:1:1: error: front matter is never closed@---\r\ntitle: "Toka"\r\nweight: 2\r\n\r\nNo end.\r\n
front matter not closed: only the opening fence@content/_index.en.md@^content/_index\.en\.md:1:1: error: front matter is never closed@---\n
front matter not closed after a byte order mark@content/mod/eka.en.md@^content/mod/eka\.en\.md:1:1: error: front matter is never closed@\357\273\277---\ntitle: "x"\n
invalid YAML: an unclosed flow map@content/mod/toka.fi.md@^content/mod/toka\.fi\.md:[2-5]:[0-9]+: error: invalid YAML@---\ntitle: {a: 1\nweight: 2\n---\n
invalid YAML: a tab as indentation@content/mod/toka.fi.md@^content/mod/toka\.fi\.md:[3-4]:[0-9]+: error: invalid YAML@---\ntitle: "T"\nparams:\n\tx: 1\n---\n
invalid YAML: an undefined alias@content/mod/toka.fi.md@^content/mod/toka\.fi\.md:2:[0-9]+: error: @---\ntitle: *nope\n---\n
invalid YAML on a late line of a long page@content/mod/toka.fi.md@^content/mod/toka\.fi\.md:[67]:[0-9]+: error: invalid YAML@---\ntitle: "T"\nweight: 2\ndescription: "d"\nslug: toka\nx: [1, 2\n---\nBody\n
front matter that is a list@content/mod/toka.fi.md@^content/mod/toka\.fi\.md:2:1: error: front matter must be@---\n- a\n- b\n---\n
# types
wrong type: weight: abc in an English page@content/mod/toka.en.md@^content/mod/toka\.en\.md:3:9: error: 'weight' must be a number@---\ntitle: "Second"\nweight: abc\n---\n
wrong type: weight as a list@content/mod/toka.fi.md@^content/mod/toka\.fi\.md:3:9: error: 'weight' must be a number@---\ntitle: "T"\nweight: [1]\n---\n
wrong type: title as a map@content/mod/toka.fi.md@^content/mod/toka\.fi\.md:2:8: error: 'title' must be text@---\ntitle: {fi: x}\n---\n
wrong type: draft: maybe in a folder page@content/mod/_index.en.md@^content/mod/_index\.en\.md:2:8: error: 'draft' must be true or false@---\ndraft: maybe\n---\n
wrong type: aliases as a map@content/mod/toka.fi.md@^content/mod/toka\.fi\.md:2:10: error: 'aliases' must be a list@---\naliases: {a: 1}\n---\n
wrong type: an alias that is a number@content/mod/toka.fi.md@^content/mod/toka\.fi\.md:2:[0-9]+: error: an alias must be text@---\naliases: [12]\n---\n
weight out of range@content/mod/toka.fi.md@^content/mod/toka\.fi\.md:2:9: error: weight is out of range@---\nweight: 1e300\n---\n
weight not a number (.nan)@content/mod/toka.fi.md@^content/mod/toka\.fi\.md:2:9: error: .*weight@---\nweight: .nan\n---\n
# bytes
invalid UTF-8: an overlong encoding@content/mod/toka.fi.md@^content/mod/toka\.fi\.md:4:3: error: invalid UTF-8@---\ntitle: "T"\n---\nAB\300\200\n
invalid UTF-8: a UTF-16 surrogate@content/mod/toka.fi.md@^content/mod/toka\.fi\.md:4:1: error: invalid UTF-8@---\ntitle: "T"\n---\n\355\240\200\n
invalid UTF-8: a sequence cut by the end of the file@content/mod/toka.fi.md@^content/mod/toka\.fi\.md:4:2: error: invalid UTF-8@---\ntitle: "T"\n---\nx\342\202
invalid UTF-8: beyond U+10FFFF@content/mod/toka.fi.md@^content/mod/toka\.fi\.md:4:1: error: invalid UTF-8@---\ntitle: "T"\n---\n\364\220\200\200\n
invalid UTF-8 in the front matter@content/mod/toka.fi.md@^content/mod/toka\.fi\.md:2:8: error: invalid UTF-8@---\ntitle: \377\n---\n
a UTF-16 file@content/mod/toka.fi.md@^content/mod/toka\.fi\.md:1:1: error: invalid UTF-8@\377\376-\000-\000-\000\n\000
NUL byte in the front matter@content/mod/toka.fi.md@^content/mod/toka\.fi\.md:2:10: error: NUL byte@---\ntitle: "T\000"\n---\n
NUL byte in a folder page@content/mod/_index.fi.md@^content/mod/_index\.fi\.md:4:1: error: NUL byte@---\ntitle: "M"\n---\n\000\n
# URLs
two pages with one URL: an English slug@content/mod/toka.en.md@^content/mod/(toka|eka)\.en\.md:1:1: error: URL /en/module/first/ is also the URL of@---\ntitle: "S"\nslug: first\n---\n
two pages with one URL: a page beside its folder@content/mod.fi.md@^content/mod(/_index)?\.fi\.md:1:1: error: URL /fi/mod/ is also the URL of@---\ntitle: "X"\n---\n
slug ..@content/mod/toka.fi.md@^content/mod/toka\.fi\.md:2:7: error: slug@---\nslug: ..\n---\n
slug with a backslash@content/mod/toka.fi.md@^content/mod/toka\.fi\.md:2:7: error: slug@---\nslug: "..\\\\..\\\\x"\n---\n
empty slug@content/mod/toka.fi.md@^content/mod/toka\.fi\.md:2:7: error: slug@---\nslug: ""\n---\n
absolute slug@content/mod/toka.fi.md@^content/mod/toka\.fi\.md:2:7: error: slug@---\nslug: /tmp/toivo-pwned\n---\n
alias climbing out with ..@content/mod/toka.fi.md@^content/mod/toka\.fi\.md:2:[0-9]+: error: alias@---\naliases: [../../../../../../tmp/toivo-pwned/]\n---\n
alias to another site@content/mod/toka.fi.md@^content/mod/toka\.fi\.md:2:[0-9]+: error: alias@---\naliases: ["https://evil.example/x/"]\n---\n
alias that is the site root@content/mod/toka.fi.md@^content/mod/toka\.fi\.md:2:[0-9]+: error: alias@---\naliases: [/fi/..]\n---\n
alias that is another page's URL@content/mod/toka.fi.md@^content/mod/toka\.fi\.md:2:[0-9]+: error: alias@---\naliases: [/fi/mod/eka/]\n---\n
# site.yaml
site.yaml: a tab as indentation@site.yaml@(^|/)site\.yaml:[0-9]+:[0-9]+: error: invalid YAML@title: "T"\nlanguages: [fi, en]\nmarkdown:\n\tunsafe: true\n
site.yaml: a list@site.yaml@(^|/)site\.yaml:1:1: error: site\.yaml must be@- fi\n- en\n
site.yaml: invalid UTF-8@site.yaml@(^|/)site\.yaml:[0-9]+:[0-9]+: error: @title: "\377"\nlanguages: [fi, en]\n
site.yaml: NUL byte@site.yaml@(^|/)site\.yaml:[0-9]+:[0-9]+: error: @title: "T"\000\nlanguages: [fi, en]\n
site.yaml: a language code that is a path@site.yaml@(^|/)site\.yaml:1:[0-9]+: error: '\.\./x' is not a language code@languages: [fi, "../x"]\ndefault_language: fi\n
site.yaml: a language listed twice@site.yaml@(^|/)site\.yaml:1:[0-9]+: error: language 'fi' is listed twice@languages: [fi, en, fi]\n
site.yaml: default language not listed@site.yaml@(^|/)site\.yaml:2:[0-9]+: error: default_language@languages: [fi, en]\ndefault_language: sv\n
site.yaml: a theme that is a path@site.yaml@(^|/)site\.yaml:[0-9]+:[0-9]+: error: theme@title: "T"\nlanguages: [fi, en]\ntheme: ../../../../etc\n
site.yaml: a theme that does not exist@site.yaml@(^|/)site\.yaml:[0-9]+:[0-9]+: error: theme 'nosuch' not found@title: "T"\nlanguages: [fi, en]\ntheme: nosuch\n
site.yaml: a billion laughs@site.yaml@(^|/)site\.yaml:[0-9]+:[0-9]+: error: @a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\nh: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\ni: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\nlanguages: [fi, en]\n
# templates
template: an unclosed section in a partial@themes/mine/partials/footer.mustache@(^|/)themes/mine/partials/footer\.mustache:2:3: error: .*never closed@<footer>\n  {{#site}}\n</footer>\n
template: a mismatched closing tag in a layout@themes/mine/layouts/lesson.mustache@(^|/)themes/mine/layouts/lesson\.mustache:1:[0-9]+: error: @{{#page}}{{/site}}\n
template: a tag never closed@themes/mine/layouts/lesson.mustache@(^|/)themes/mine/layouts/lesson\.mustache:3:[0-9]+: error: @<p>\n</p>\n{{page.title\n
template: a bad set-delimiter tag@themes/mine/layouts/home.mustache@(^|/)themes/mine/layouts/home\.mustache:1:[0-9]+: error: @{{=<%% =}}\n
template: a missing partial in a partial@themes/mine/partials/footer.mustache@(^|/)themes/mine/partials/footer\.mustache:1:[0-9]+: error: partial 'nosuch' not found@{{> nosuch}}\n
template: a partial of a missing parent@themes/mine/layouts/lesson.mustache@(^|/)themes/mine/layouts/lesson\.mustache:1:[0-9]+: error: partial 'nobase' not found@{{< nobase}}{{$x}}y{{/x}}{{/nobase}}\n
template: invalid UTF-8 in a layout@themes/mine/layouts/lesson.mustache@(^|/)themes/mine/layouts/lesson\.mustache:[0-9]+:[0-9]+: error: @<p>\377</p>\n
# layouts and data
layout that is a path@content/mod/toka.fi.md@^content/mod/toka\.fi\.md:2:9: error: layout@---\nlayout: ../../../../../etc/passwd\n---\n
layout that does not exist, in English@content/mod/toka.en.md@^content/mod/toka\.en\.md:2:9: error: layout 'nosuch' not found@---\nlayout: nosuch\n---\n
missing data file in a table block@content/mod/toka.fi.md@^content/mod/toka\.fi\.md:4: error: .*nope\.csv@---\ntitle: "T"\n---\n```table\ndata: nope.csv\n```\n
data file path climbing out, in a table block@content/mod/toka.fi.md@^content/mod/toka\.fi\.md:4: error: .*\.\.@---\ntitle: "T"\n---\n```table\ndata: ../../site.yaml\n```\n
TABLE

# Front matter nested 10 000 deep.
python3 -c 'import sys; sys.stdout.write("---\ntitle: \"T\"\nx: " + "[" * 10000 + "\n---\n")' > "$S/content/mod/toka.fi.md"
verify "front matter nested 10 000 deep" '^content/mod/toka\.fi\.md:3:[0-9]+: error: nesting deeper than'
restore

# CSV cases: a page whose table block reads content/data/t.csv.
TABLEPAGE='---\ntitle: "T"\n---\n```table\ndata: t.csv\ncaption: "C"\n```\n'
while IFS='@' read -r name pat fmt <&3; do
	case "$name" in '' | '#'*) continue ;; esac
	# shellcheck disable=SC2059
	printf -- "$TABLEPAGE" > "$S/content/mod/toka.fi.md"
	# shellcheck disable=SC2059
	printf -- "$fmt" > "$S/content/data/t.csv"
	verify "$name" "$pat"
	restore
done 3<<'TABLE'
ragged CSV read by a table block@^content/data/t\.csv:3: error: row has 2 fields, the header has 4@group,total,a,b\none,10,4,6\ntwo,8\n
CSV with an unterminated quote, read by a table block@^content/data/t\.csv:[23]: error: @group,total,a,b\n"one,10,4,6\n
CSV with a duplicate header, read by a table block@^content/data/t\.csv:1: error: @group,total,a,a\none,10,4,6\n
CSV with invalid UTF-8, read by a table block@^content/data/t\.csv:[0-9]+(:[0-9]+)?: error: @group,total,a,b\n\377,10,4,6\n
CSV with a NUL byte, read by a table block@^content/data/t\.csv:[0-9]+(:[0-9]+)?: error: @group,total,a,b\none\000,10,4,6\n
TABLE

# --- hooks that misbehave ---------------------------------------------------------
# NAME @ stderr ERE @ the body of a code-block hook (\n for new lines)
while IFS='@' read -r name pat body <&3; do
	case "$name" in '' | '#'*) continue ;; esac
	# shellcheck disable=SC2059
	printf "return { codeblocks = { bad = function(block)\n$body\nend } }\n" > "$S/lua/bad.lua"
	printf -- '---\ntitle: "T"\n---\n```bad\nx\n```\n' > "$S/content/mod/toka.fi.md"
	verify "$name" "$pat"
	restore
done 3<<'TABLE'
hook: an error@^content/mod/toka\.fi\.md:4: error: lua/bad\.lua:2: boom@error("boom")
hook: an endless loop@^content/mod/toka\.fi\.md:4: error: lua/bad\.lua:[0-9]+: hook stopped after@while true do end
hook: endless recursion@^content/mod/toka\.fi\.md:4: error: lua/bad\.lua:[0-9]+: @local function f(n) return 1 + f(n + 1) end\nreturn f(1)
hook: allocation without bound@^content/mod/toka\.fi\.md:4: error: lua/bad\.lua:[0-9]+: hook used more than@local t = {}\nfor i = 1, 1e9 do t[i] = {i, i, i, i} end
hook: string growth without bound@^content/mod/toka\.fi\.md:4: error: lua/bad\.lua:[0-9]+: hook used more than@local s = "x"\nwhile true do s = s .. s end
hook: run a program with os.execute@^content/mod/toka\.fi\.md:4: error: lua/bad\.lua:2: @os.execute("touch /tmp/toivo-pwned")
hook: run a program with io.popen@^content/mod/toka\.fi\.md:4: error: lua/bad\.lua:2: @io.popen("touch /tmp/toivo-pwned")
hook: open a file with io.open@^content/mod/toka\.fi\.md:4: error: lua/bad\.lua:2: @local f = io.open("/tmp/toivo-pwned", "w") f:write("x")
hook: load a C library@^content/mod/toka\.fi\.md:4: error: lua/bad\.lua:2: @package.loadlib("libc.so.6", "system")()
hook: reach the real environment through getmetatable@^content/mod/toka\.fi\.md:4: error: lua/bad\.lua:[0-9]+: @local mt = getmetatable("")\nreturn mt.__index.dump(function() end)
hook: returns a table@^content/mod/toka\.fi\.md:4: error: lua/bad\.lua@return {}
TABLE

# A hook file that fails to load, and one that loops while loading.
printf 'return { codeblocks = {\n' > "$S/lua/bad.lua"
verify "hook file with a syntax error" '^lua/bad\.lua:[0-9]+: error: .*; fix this hook file'
restore
printf 'while true do end\nreturn {}\n' > "$S/lua/bad.lua"
verify "hook file that loops while loading" '^lua/bad\.lua:1: error: .*stopped after'
restore

# --- template recursion ----------------------------------------------------------
printf '{{> b}}\n' > "$S/themes/mine/partials/a.mustache"
printf 'x{{> a}}\n' > "$S/themes/mine/partials/b.mustache"
printf '{{> a}}\n' > "$S/themes/mine/layouts/lesson.mustache"
start=$(date +%s)
verify "two partials that include each other" 'themes/mine/(layouts|partials)/[a-z]+\.mustache:[0-9]+:[0-9]+: error: partials nested more than'
[ $(($(date +%s) - start)) -le 20 ] && ok "mutual partial recursion stops quickly" || nok "mutual partial recursion stops quickly"
restore
python3 -c 'import sys; sys.stdout.write("{{#page}}" * 20000 + "x" + "{{/page}}" * 20000)' > "$S/themes/mine/layouts/lesson.mustache"
run_toivo build -s "$S" -o "$OUT"
case "$rc" in
0 | 1) ok "a layout with 20000 nested sections builds or fails cleanly (exit $rc)" ;;
*) nok "a layout with 20000 nested sections builds or fails cleanly" "exit $rc; $(tail -c 1500 "$T/err")" ;;
esac
[ "$rc" = 0 ] || [ "$(tree_sum "$OUT")" = "$GOOD" ] && ok "deep template: OUT old or new" || nok "deep template: OUT old or new"
n=$(grep -c ': error: ' "$T/err")
[ "$n" -le 2 ] && ok "deep template: one error, not one per open section" || nok "deep template: one error, not one per open section" "$n errors"
restore
run_toivo build -s "$S" -o "$OUT"
GOOD=$(tree_sum "$OUT")

# --- inputs that must build -------------------------------------------------------
# builds WHAT SECONDS: the build succeeds within SECONDS.
builds() {
	start=$(date +%s)
	run_toivo build -s "$S" -o "$OUT"
	secs=$(($(date +%s) - start))
	if [ "$rc" = 0 ] && [ "$secs" -le "$2" ]; then
		ok "$1 (${secs}s)"
	else
		nok "$1" "exit $rc after ${secs}s (limit $2 s); $(tail -c 1500 "$T/err")"
	fi
}
deep() {
	python3 -c 'import sys; sys.stdout.write("---\ntitle: \"T\"\n---\n" + sys.argv[1] * 10000 + "x\n")' "$1" > "$S/content/mod/toka.fi.md"
}
deep '> '
builds "10 000 nested block quotes" 30
check "10 000 nested block quotes: the text is there" grep -q '<blockquote>' "$OUT/fi/mod/toka/index.html"
deep '- '
builds "10 000 nested list items" 30
deep '1. '
builds "10 000 nested ordered list items" 30
deep '['
builds "10 000 open brackets" 30
deep '*'
builds "10 000 emphasis markers" 30
deep '<div>'
builds "10 000 nested raw HTML tags (dropped)" 30
python3 -c '
import sys
sys.stdout.write("---\ntitle: \"T\"\n---\n")
for i in range(20000):
    sys.stdout.write("## Sama\n\n[x](#sama-%d) [y](toka.fi.md#sama)\n\n" % i)
' > "$S/content/mod/toka.fi.md"
builds "20 000 equal headings and links to them" 30
check "equal headings get unique ids" grep -q 'id="sama-20000"' "$OUT/fi/mod/toka/index.html"
restore

# A 30 MB page (ordinary Markdown: headings, emphasis, links, code).  Under
# ASan it takes minutes and 3 GB: the sanitizer pass uses 8 MB.
case "$TOIVO" in *asan*) MB=8 LIMIT=60 ;; *) MB=30 LIMIT=60 ;; esac
python3 - "$S/content/mod/toka.fi.md" "$MB" <<'PY'
import random, sys
random.seed(7)
words = ['toivo', 'hope', 'recovery', 'asiakas', '**bold**', '*em*', '[link](eka.fi.md)', '`code`', 'ääkköset']
out, n, i = ['---\ntitle: "Iso"\nweight: 2\n---\n'], 0, 0
while n < int(sys.argv[2]) * 1024 * 1024:
    line = ('## Otsikko %d\n\n' % i) if i % 50 == 0 else ' '.join(random.choice(words) for _ in range(15)) + '\n'
    if i % 10 == 9:
        line += '\n'
    out.append(line)
    n += len(line.encode())
    i += 1
open(sys.argv[1], 'w', encoding='utf-8').write(''.join(out))
PY
builds "a $MB MB page" "$LIMIT"
check "a $MB MB page: its headings are there" grep -q 'Otsikko' "$OUT/fi/mod/toka/index.html"
restore
run_toivo build -s "$S" -o "$OUT"
GOOD=$(tree_sum "$OUT")

# --- symbolic links out of the site ---------------------------------------------
printf 'TOPSECRET\n' > "$T/secret.txt"
mkdir -p "$T/secretdir" "$S/static"
printf 'TOPSECRET\n' > "$T/secretdir/inner.txt"
ln -s "$T/secret.txt" "$S/static/leak.txt"
ln -s "$T/secretdir" "$S/static/leakdir"
ln -s "$T/secret.txt" "$S/content/mod/leak.png"
ln -s "$T/secret.txt" "$S/content/mod/leak.fi.md"
ln -s "$T/secretdir" "$S/content/leakdir"
ln -s "$T/secret.txt" "$S/themes/mine/assets/leak.css"
run_toivo build -s "$S" -o "$OUT"
[ "$rc" = 0 ] && ok "symlinks in static/ and content/: the build goes on" || nok "symlinks: the build goes on" "exit $rc; $(cat "$T/err")"
if grep -rq TOPSECRET "$OUT"; then
	nok "symlinks: nothing from outside the site is copied" "$(grep -rl TOPSECRET "$OUT")"
else
	ok "symlinks: nothing from outside the site is copied"
fi
if find "$OUT" -type l | grep -q .; then nok "symlinks: no symlink in OUT" "$(find "$OUT" -type l)"; else ok "symlinks: no symlink in OUT"; fi
grep -q 'content/mod/leak.fi.md.*symbolic link' "$T/err" && ok "a symlinked page is named in a warning" || nok "a symlinked page is named in a warning" "$(cat "$T/err")"
grep -q 'static/leak.txt.*symbolic link' "$T/err" && ok "a symlink in static/ is named in a warning" || nok "a symlink in static/ is named in a warning" "$(cat "$T/err")"
SYMSITE=$T/symsite
cp -R "$S" "$SYMSITE"   # cp -R keeps the links: serve uses this copy below
restore

# --- the output folder ---------------------------------------------------------------
: > "$T/file"
verify "the output folder's parent is a file" "^$T/file(/out)?: error: " build -s "$S" -o "$T/file/out"
verify "the output folder is the site itself" "^$S: error: the output folder holds the site" build -s "$S" -o "$S"
[ -f "$S/site.yaml" ] && [ -f "$S/content/mod/eka.fi.md" ] && ok "the site survives -o SITE" || nok "the site survives -o SITE"
verify "the output folder holds the site" "^$T: error: the output folder holds the site" build -s "$S" -o "$T"
verify "the output folder is inside content/" "^content/out: error: the output folder is inside" build -s "$S" -o "$S/content/out"
mkdir -p "$T/home/docs"
printf 'precious\n' > "$T/home/docs/thesis.txt"
verify "the output folder holds other files" "^$T/home: error: the output folder holds files that no build wrote" build -s "$S" -o "$T/home"
[ -f "$T/home/docs/thesis.txt" ] && ok "a foreign output folder is left alone" || nok "a foreign output folder is left alone"
# OUT is a symlink to a folder: the link is replaced, its target untouched.
mkdir -p "$T/target"
printf 'keep\n' > "$T/target/index.html"
ln -s "$T/target" "$T/linkout"
run_toivo build -s "$S" -o "$T/linkout"
[ "$(cat "$T/target/index.html")" = keep ] && ok "OUT as a symlink: the folder it points to is untouched" ||
	nok "OUT as a symlink: the folder it points to is untouched" "exit $rc; $(ls "$T/target")"
rm -rf "$T/linkout" "$T/target"

# Unwritable output folder.
mkdir -p "$T/ro/out"
chmod 555 "$T/ro"
if [ "$(id -u)" = 0 ]; then
	echo "ok - # SKIP unwritable output folder: running as root"
	# As root, the same case as an ordinary user, when setpriv can drop to one.
	if command -v setpriv >/dev/null 2>&1; then
		U=$(mktemp -d /tmp/toivo-nobody.XXXXXX)
		cp -R "$PRISTINE" "$U/s"
		mkdir -p "$U/ro/out"
		chmod -R a+rX "$U"
		chmod 555 "$U/ro"
		chmod 777 "$U"
		setpriv --reuid=65534 --regid=65534 --clear-groups "$TOIVO" build -s "$U/s" -o "$U/ro/out" > "$T/out" 2> "$T/err"
		urc=$?
		if [ "$urc" = 1 ] && grep -q "^$U/ro/\.out\.toivo-stage: error: cannot create the build folder" "$T/err" &&
		   [ -z "$(ls -A "$U/ro/out")" ]; then
			ok "unwritable output folder (as nobody, through setpriv)"
		elif [ "$urc" = 126 ] || [ "$urc" = 127 ]; then
			echo "ok - # SKIP unwritable output folder as nobody: the binary is not reachable for nobody"
		else
			nok "unwritable output folder (as nobody, through setpriv)" "exit $urc; $(cat "$T/err")"
		fi
		chmod -R u+w "$U"
		rm -rf "$U"
	fi
else
	verify "unwritable output folder" "error: cannot create the build folder" build -s "$S" -o "$T/ro/out"
fi
chmod 755 "$T/ro"

# --- toivo serve: symlinks, load, malformed requests --------------------------------
if ! command -v python3 >/dev/null 2>&1; then
	echo "ok - serve under load # SKIP python3 is not installed"
	exit 0
fi
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# Serve the site with the symlinks; its own output folder inside $T.
"$TOIVO" serve -s "$SYMSITE" --port "$PORT" -o "$T/sout" > "$T/serve.out" 2> "$T/serve.err" &
SPID=$!
i=0
until curl -s -o /dev/null "http://127.0.0.1:$PORT/fi/" || [ $i -ge 300 ]; do sleep 0.1; i=$((i + 1)); done
if [ $i -ge 300 ]; then
	nok "serve starts" "$(cat "$T/serve.err")"
	kill "$SPID" 2>/dev/null
	exit 0
fi
# A symlink placed in OUT by hand (the server must not follow it either).
ln -s "$T/secret.txt" "$T/sout/planted.txt" 2>/dev/null
ln -s "$T/secretdir" "$T/sout/planteddir" 2>/dev/null
bad=
for p in /leak.txt /leakdir/inner.txt /fi/mod/leak.png /planted.txt /planteddir/inner.txt /assets/leak.css; do
	body=$(curl -s "http://127.0.0.1:$PORT$p")
	case "$body" in *TOPSECRET*) bad="$bad $p" ;; esac
done
[ -z "$bad" ] && ok "serve: no file outside OUT through a symlink" || nok "serve: no file outside OUT through a symlink" "served:$bad"

python3 - "$PORT" > "$T/load" 2>&1 <<'PY'
import socket, sys, threading, time, urllib.request
port = int(sys.argv[1])
base = "http://127.0.0.1:%d" % port
res = {"ok": 0, "bad": 0, "err": []}
lock = threading.Lock()
paths = ["/fi/", "/en/", "/fi/mod/eka/", "/assets/style.css", "/sitemap.xml", "/no/such/", "/fi/../../x"]

def get(i):
    p = paths[i % len(paths)]
    try:
        with urllib.request.urlopen(base + p, timeout=30) as r:
            r.read()
            code = r.status
    except urllib.error.HTTPError as e:
        code = e.code
    except Exception as e:
        with lock:
            res["bad"] += 1
            if len(res["err"]) < 5:
                res["err"].append("%s: %r" % (p, e))
        return
    with lock:
        if code in (200, 404):
            res["ok"] += 1
        else:
            res["bad"] += 1
            res["err"].append("%s: %d" % (p, code))

t0 = time.time()
threads = [threading.Thread(target=get, args=(i,)) for i in range(1000)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("load %d ok %d failed in %.1fs %s" % (res["ok"], res["bad"], time.time() - t0, res["err"]))

# Malformed and hostile requests, each on its own connection.
raw = [
    b"GARBAGE\r\n\r\n",
    b"GET\r\n\r\n",
    b"GET / HTTP/9.9\r\n\r\n",
    b"GET /fi/ HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
    b"GET /fi/ HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999\r\n\r\n",
    b"POST /fi/ HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
    b"GET /" + b"a" * 100000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
    b"GET /fi/ HTTP/1.1\r\n" + b"X-Big: " + b"b" * 200000 + b"\r\n\r\n",
    b"GET /fi/ HTTP/1.1\r\n" + b"".join(b"H%d: v\r\n" % i for i in range(5000)) + b"\r\n",
    b"GET /\x00\xff\xfe HTTP/1.1\r\nHost: x\r\n\r\n",
    b"GET /%00%ff HTTP/1.1\r\nHost: x\r\n\r\n",
    b"GET /fi/ HTTP/1.1\r\nRange: bytes=999999999-\r\nHost: x\r\n\r\n",
    b"GET /fi/ HTTP/1.1\r\nRange: bytes=5-1,-0,0-0,1-2,3-4\r\nHost: x\r\n\r\n",
    b"\r\n\r\n\r\n",
    b"",
    b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + b"\x00" * 100,  # a TLS hello
]
bad = []
for r in raw:
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=10)
        s.sendall(r)
        try:
            s.shutdown(socket.SHUT_WR)
        except OSError:
            pass
        try:
            while s.recv(65536):
                pass
        except (socket.timeout, ConnectionResetError):
            pass
        s.close()
    except (ConnectionResetError, BrokenPipeError):
        pass
    except Exception as e:
        bad.append("%r: %r" % (r[:30], e))
# Slow clients: many half-open connections, then a normal request.
socks = []
for i in range(200):
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
        s.sendall(b"GET /fi/ HTTP/1.1\r\nHost: x\r\n")
        socks.append(s)
    except Exception as e:
        bad.append("half-open %d: %r" % (i, e))
        break
t0 = time.time()
try:
    with urllib.request.urlopen(base + "/fi/", timeout=20) as r:
        code = r.status
except Exception as e:
    code = repr(e)
for s in socks:
    s.close()
print("malformed %d problems %s; with 200 half-open connections: %s in %.1fs" % (len(bad), bad[:3], code, time.time() - t0))
PY
if grep -q '^load 1000 ok 0 failed' "$T/load"; then ok "serve: 1000 concurrent requests all answered"; else nok "serve: 1000 concurrent requests all answered" "$(cat "$T/load")"; fi
if grep -q '^malformed 0 problems .*half-open connections: 200 ' "$T/load"; then
	ok "serve: malformed requests and 200 half-open connections, still answering"
else
	nok "serve: malformed requests and 200 half-open connections, still answering" "$(cat "$T/load")"
fi
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "http://127.0.0.1:$PORT/en/")
[ "$code" = 200 ] && kill -0 "$SPID" 2>/dev/null && ok "serve: alive and answering afterwards" || nok "serve: alive and answering afterwards" "status $code"
kill -TERM "$SPID" 2>/dev/null
i=0
while kill -0 "$SPID" 2>/dev/null && [ $i -lt 150 ]; do sleep 0.1; i=$((i + 1)); done
kill -KILL "$SPID" 2>/dev/null
wait "$SPID"
src=$?
[ "$src" = 0 ] && ok "serve: exits 0 after the load (ASan: no leaks, no errors)" || nok "serve: exits 0 after the load" "exit $src; $(tail -c 2000 "$T/serve.err")"
exit 0
