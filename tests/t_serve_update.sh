#!/bin/sh
# t_serve_update.sh - toivo serve renders only the page whose body changed,
# and the result is byte for byte what a whole build makes.  Runs on a copy
# of the bundled course in a real git repository (hooks, print pages,
# search indexes, git dates).
. "$(dirname "$0")/lib.sh"

if ! command -v curl >/dev/null 2>&1; then
	echo "ok - # SKIP serve one-page rebuilds: curl is not installed"
	exit 0
fi

# How many times serve's log has a line matching $1.
count() { grep -c -- "$1" "$T/serve.err"; }
more_than() { [ "$(count "$1")" -gt "$2" ]; }
# Waits until serve has logged a line matching $1 more than $2 times (a
# one-page rebuild logs its line after the search index and the rest).
settle() { wait_for more_than "$1" "$2"; }

git_sandbox
C=$T/course
mkdir -p "$C"
cp -r "$ROOT/site.yaml" "$ROOT/content" "$ROOT/lua" "$ROOT/themes" "$C/"
(
	cd "$C" && git init -q && git add -A && GIT_COMMITTER_DATE="2025-03-04T12:00:00Z" git commit -q --date "2025-03-04T12:00:00Z" -m course
) || { nok "a git copy of the course" ""; exit 0; }

OUT=$T/pub
PORT=$(free_port)
U=http://127.0.0.1:$PORT
: > "$T/serve.err"
"$TOIVO" serve -s "$C" -o "$OUT" --port "$PORT" > "$T/serve.out" 2> "$T/serve.err" &
PID=$!
trap 'kill $PID 2>/dev/null; chmod -R u+w "$T" 2>/dev/null; rm -rf "$T"' EXIT
WAIT=60
if wait_for more_than '^toivo: .* pages in' 0; then
	ok "serve builds the course"
else
	nok "serve builds the course" "$(cat "$T/serve.err")"
	exit 0
fi
WAIT=10
sleep 0.3

P=content/pori/tulokset.fi.md
PAGE=$OUT/fi/pori/tulokset/index.html
other=$OUT/fi/pori/miksi/index.html
before_other=$(stat -c '%i %Y' "$other")
full0=$(count 'change seen')

# --- a body edit: one page --------------------------------------------------
printf '\nMuokattu kappale sateenkaarikoontia varten.\n' >> "$C/$P"
if settle 'tulokset.fi.md rebuilt in' 0; then
	ok "a body edit rebuilds one page"
else
	nok "a body edit rebuilds one page" "$(cat "$T/serve.err")"
fi
[ "$(count 'change seen')" = "$full0" ] && ok "a body edit does not rebuild the whole site" ||
	nok "a body edit does not rebuild the whole site" "$(cat "$T/serve.err")"
grep -q 'Muokattu kappale sateenkaarikoontia' "$PAGE" && ok "the page has the new text" || nok "the page has the new text"
cat "$OUT/fi/search/"*.js | grep -qi 'sateenkaarikoontia' && ok "the search index has the new text" ||
	nok "the search index has the new text"
grep -q 'Muokattu kappale sateenkaarikoontia' "$OUT/fi/pori/print/index.html" && ok "the module's print page has the new text" ||
	nok "the module's print page has the new text"
grep -q 'Muokattu kappale sateenkaarikoontia' "$OUT/fi/print/index.html" && ok "the course print page has the new text" ||
	nok "the course print page has the new text"
! cat "$OUT/en/search/"*.js | grep -qi 'sateenkaarikoontia' && ok "the other language's index is left alone" ||
	nok "the other language's index is left alone"
[ "$(stat -c '%i %Y' "$other")" = "$before_other" ] && ok "other pages keep their file (inode and mtime)" ||
	nok "other pages keep their file (inode and mtime)"
grep -q 'rebuilt in [0-9.]* ms; search index, sitemap and print pages updated after [0-9.]* ms' "$T/serve.err" &&
	ok "serve says how long the one-page rebuild took" || nok "serve says how long the one-page rebuild took" "$(cat "$T/serve.err")"
[ -z "$(find "$OUT" -name '*.toivo-new')" ] && ok "no temporary files left in OUT" ||
	nok "no temporary files left in OUT" "$(find "$OUT" -name '*.toivo-new')"

# A whole build (site.yaml touched) must give the very same bytes.
same_as_whole() {
	s1=$(tree_sum "$OUT")
	n=$(count '^toivo: .* pages in')
	touch "$C/site.yaml"
	settle '^toivo: .* pages in' "$n"
	sleep 0.2
	s2=$(tree_sum "$OUT")
	[ "$s1" = "$s2" ] && ok "$1: the same bytes as a whole build" ||
		nok "$1: the same bytes as a whole build" "$(cat "$T/serve.err")"
}
same_as_whole "after a body edit (file time as the date)"

# --- back to the committed text: the commit's date again --------------------
n=$(count 'tulokset.fi.md rebuilt in')
(cd "$C" && git checkout -q -- "$P")
settle 'tulokset.fi.md rebuilt in' "$n" && ok "git checkout of one page rebuilds one page" ||
	nok "git checkout of one page rebuilds one page" "$(cat "$T/serve.err")"
sleep 0.3
grep -q '2025-03-04' "$PAGE" && ok "the page has its commit date again" || nok "the page has its commit date again" "$(grep -o '20[0-9-]*' "$PAGE" | head -3)"
same_as_whole "after a git checkout"

# --- an editor's save: a temporary file renamed over the page --------------
n=$(count 'miksi.en.md rebuilt in')
full0=$(count 'change seen')
cp "$C/content/pori/miksi.en.md" "$C/content/pori/.miksi.en.md.tmp"
printf '\nSaved through a temporary file.\n' >> "$C/content/pori/.miksi.en.md.tmp"
mv "$C/content/pori/.miksi.en.md.tmp" "$C/content/pori/miksi.en.md"
settle 'miksi.en.md rebuilt in' "$n" && ok "a save through a renamed temporary file rebuilds one page" ||
	nok "a save through a renamed temporary file rebuilds one page" "$(cat "$T/serve.err")"
[ "$(count 'change seen')" = "$full0" ] && ok "...and not the whole site" || nok "...and not the whole site"
np=$(count '^toivo: .* pages in')
cp "$C/content/pori/miksi.en.md" "$C/content/pori/miksi.en.md.orig"
printf 'x' > "$C/content/pori/notes.txt"
rm "$C/content/pori/miksi.en.md.orig"
# Waits for the whole build to end (not a fixed time: a busy machine is slow).
settle '^toivo: .* pages in' "$np" && [ -f "$OUT/fi/pori/notes.txt" ] && ok "a new file beside pages rebuilds the whole site" ||
	nok "a new file beside pages rebuilds the whole site" "$(cat "$T/serve.err")"
sleep 0.3
same_as_whole "after a renamed save and a new file"

# --- two pages saved together (a git checkout, a search and replace) ---------
n=$(count 'rebuilt in')
full0=$(count 'change seen')
printf '\nKaksi kerralla.\n' >> "$C/content/pori/miksi.fi.md"
printf '\nTwo at once.\n' >> "$C/content/pori/tulokset.en.md"
settle 'rebuilt in' "$n" && [ "$(count 'change seen')" = "$full0" ] && ok "two pages saved together rebuild just those two" ||
	nok "two pages saved together rebuild just those two" "$(cat "$T/serve.err")"
grep -q 'Kaksi kerralla' "$OUT/fi/pori/miksi/index.html" && grep -q 'Two at once' "$OUT/en/case-pori/results/index.html" &&
	ok "...and both are new" || nok "...and both are new" "$(ls "$OUT/en")"
sleep 0.3
same_as_whole "after two pages at once"

# --- a page removed: the whole site, and its page is gone --------------------
cp "$C/content/pori/miksi.en.md" "$T/miksi.en.md"
n=$(count 'change seen')
rm "$C/content/pori/miksi.en.md"
settle 'change seen' "$n" && ok "removing a page rebuilds the whole site" || nok "removing a page rebuilds the whole site"
WAIT=20
gone() { ! [ -e "$OUT/en/case-pori/why/index.html" ]; }
wait_for gone && ok "...and its page is gone" || nok "...and its page is gone" "$(ls "$OUT/en/case-pori")"
WAIT=10
n=$(count '^toivo: .* pages in')
cp "$T/miksi.en.md" "$C/content/pori/miksi.en.md"
settle '^toivo: .* pages in' "$n"
sleep 0.3

# --- the front matter changed: the whole site --------------------------------
n=$(count 'change seen')
sed -i 's/^title: .*/title: "Tulokset ja luvut"/' "$C/$P"
settle 'change seen' "$n" && ok "a front matter edit rebuilds the whole site" ||
	nok "a front matter edit rebuilds the whole site" "$(cat "$T/serve.err")"
WAIT=20
wait_for grep -q 'Tulokset ja luvut' "$other" && ok "other pages' navigation has the new title" ||
	nok "other pages' navigation has the new title"
WAIT=10

# --- a body that breaks a hook: the whole build reports it -------------------
sleep 0.3
s1=$(tree_sum "$OUT")
curl -sN --max-time 8 "$U/__toivo/events" > "$T/sse" 2>/dev/null &
CURL=$!
sleep 0.3
printf '\n```table\ndata: pori/ei-ole.csv\n```\n' >> "$C/$P"
sse_error() { grep -q '^event: error' "$T/sse"; }
wait_for sse_error && ok "a broken body shows the error overlay" || nok "a broken body shows the error overlay" "$(cat "$T/sse")"
grep -q 'tulokset.fi.md:[0-9]*.*ei-ole.csv' "$T/sse" && ok "the overlay names the page and line" ||
	nok "the overlay names the page and line" "$(cat "$T/sse")"
[ "$(tree_sum "$OUT")" = "$s1" ] && ok "the output is left as it was" || nok "the output is left as it was"
kill "$CURL" 2>/dev/null
wait "$CURL" 2>/dev/null
(cd "$C" && git checkout -q -- "$P")
n=$(count '^toivo: .* pages in')
settle '^toivo: .* pages in' "$n" && ok "fixing it builds the whole site again" ||
	nok "fixing it builds the whole site again" "$(cat "$T/serve.err")"
sleep 0.3
same_as_whole "after an error and its fix"

# --- the next body edit takes the one-page path again ------------------------
n=$(count 'tulokset.fi.md rebuilt in')
printf '\nVielä yksi kappale.\n' >> "$C/$P"
settle 'tulokset.fi.md rebuilt in' "$n" && ok "after a whole build, body edits rebuild one page again" ||
	nok "after a whole build, body edits rebuild one page again" "$(cat "$T/serve.err")"
sleep 0.3
same_as_whole "after the last edit"

kill -TERM "$PID"
wait "$PID"
rc=$?
trap 'chmod -R u+w "$T" 2>/dev/null; rm -rf "$T"' EXIT
[ "$rc" = 0 ] && ! grep -q 'Sanitizer' "$T/serve.err" && ok "serve exits 0 after one-page rebuilds (ASan: no leaks)" ||
	nok "serve exits 0 after one-page rebuilds (ASan: no leaks)" "exit $rc; $(tail -30 "$T/serve.err")"
