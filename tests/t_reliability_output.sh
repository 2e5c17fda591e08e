#!/bin/sh
# t_reliability_output.sh - toivo writes the output folder and its cache
# (.toivo-cache/ in the site) and nothing else: no copy of the site beside
# the output, after a good build, a failed one or a killed one; builds into
# the same output wait for each other, so the output is always one whole
# site that the next build accepts; toivo clean removes the cache.
. "$(dirname "$0")/lib.sh"

S=$T/s
new_site "$S"
mkdir -p "$S/lua"
for i in 1 2 3 4 5 6 7 8 9; do
	printf -- '---\ntitle: "Sivu %s"\nweight: %s\n---\n\n```slow\nx\n```\n\nTeksti %s.\n' "$i" "$((i + 2))" "$i" > "$S/content/mod/s$i.fi.md"
done
# A hook that takes a little time, so that builds started together overlap.
printf 'return { codeblocks = { slow = function(b) local t = os.clock() while os.clock() - t < 0.05 do end return "<p>slow</p>" end } }\n' > "$S/lua/slow.lua"
O=$T/place
mkdir -p "$O"

# beside DIR NAME: what is in DIR besides NAME (one line each).
beside() { ls -A "$1" | grep -vx "$2"; }

run_toivo build -s "$S"
run_toivo build -s "$S"
GOOD=$(tree_sum "$S/public")
left=$(beside "$S" 'content\|lua\|public\|site.yaml\|\.toivo-cache')
[ "$rc" = 0 ] && [ -z "$left" ] && ok "after two builds the site holds only its sources, public/ and .toivo-cache/" ||
	nok "after two builds the site holds only its sources, public/ and .toivo-cache/" "exit $rc; left: $left"
[ -d "$S/.toivo-cache" ] && ok "the cache is .toivo-cache/ in the site" || nok "the cache is .toivo-cache/ in the site"

run_toivo build -s "$S" -o "$O/course"
run_toivo build -s "$S" -o "$O/course"
left=$(beside "$O" course)
[ "$rc" = 0 ] && [ -z "$left" ] && ok "nothing beside -o OUT after two builds" || nok "nothing beside -o OUT after two builds" "left: $left"

# A failed build: OUT byte-identical, nothing beside.
cp "$S/content/mod/s1.fi.md" "$T/s1"
printf -- '---\ntitle: [broken\n---\n' > "$S/content/mod/s1.fi.md"
before=$(tree_sum "$O/course")
run_toivo build -s "$S" -o "$O/course"
left=$(beside "$O" course)
[ "$rc" = 1 ] && [ "$(tree_sum "$O/course")" = "$before" ] && [ -z "$left" ] &&
	ok "a failed build leaves OUT as it was and nothing beside it" ||
	nok "a failed build leaves OUT as it was and nothing beside it" "exit $rc; left: $left"
cp "$T/s1" "$S/content/mod/s1.fi.md"

# What older versions left beside OUT goes.
mkdir -p "$O/.course.toivo-prev/fi" "$O/.course.toivo-old.1.0"
printf 'old\n' > "$O/.course.toivo-prev/fi/index.html"
run_toivo build -s "$S" -o "$O/course"
left=$(beside "$O" course)
[ "$rc" = 0 ] && [ -z "$left" ] && ok "a copy that an older toivo left beside OUT is removed" ||
	nok "a copy that an older toivo left beside OUT is removed" "left: $left"

# A killed build leaves nothing beside OUT either, and the next build works.
"$TOIVO" build -s "$S" -o "$O/course" -j 1 > /dev/null 2>&1 &
pid=$!
sleep 0.2
kill -9 "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
run_toivo build -s "$S" -o "$O/course"
left=$(beside "$O" course)
[ "$rc" = 0 ] && [ -z "$left" ] && [ "$(tree_sum "$O/course")" = "$GOOD" ] &&
	ok "after a killed build the next one works and leaves nothing beside OUT" ||
	nok "after a killed build the next one works and leaves nothing beside OUT" "exit $rc; left: $left; $(cat "$T/err")"

# Another file system than the site's (no rename between them): the stage
# is beside OUT for the build's time only.
SHM=/dev/shm/toivo-test-$$
if mkdir -p "$SHM" 2>/dev/null && [ "$(stat -c %d "$SHM")" != "$(stat -c %d "$S")" ]; then
	run_toivo build -s "$S" -o "$SHM/course"
	run_toivo build -s "$S" -o "$SHM/course"
	left=$(beside "$SHM" course)
	[ "$rc" = 0 ] && [ -z "$left" ] && [ "$(tree_sum "$SHM/course")" = "$GOOD" ] &&
		ok "an output on another file system: nothing left beside it" ||
		nok "an output on another file system: nothing left beside it" "exit $rc; left: $left"
	rm -rf "$SHM"
else
	rm -rf "$SHM"
	echo "ok - # SKIP /dev/shm is not another file system here"
fi

# --- one build at a time ------------------------------------------------------------
rm -rf "$O/course"
i=0
for n in 1 2 3 4; do
	timeout 120 "$TOIVO" build -s "$S" -o "$O/course" > "$T/c$n.out" 2> "$T/c$n.err" &
	eval "p$n=\$!"
done
fails=0
for n in 1 2 3 4; do
	eval "wait \$p$n" || fails=$((fails + 1))
done
left=$(beside "$O" course)
[ "$fails" = 0 ] && [ "$(tree_sum "$O/course")" = "$GOOD" ] && [ -z "$left" ] &&
	ok "four builds started together all succeed and OUT is one whole site" ||
	nok "four builds started together all succeed and OUT is one whole site" "$fails failed; left: $left; $(cat "$T"/c?.err)"
cat "$T"/c?.err > "$T/all.err"
grep -Eq 'course: note: waiting for toivo[-a-z]* build \(process [0-9]+\), which is writing this output folder' "$T/all.err" &&
	ok "a waiting build names the process it waits for" || nok "a waiting build names the process it waits for" "$(cat "$T/all.err")"
run_toivo build -s "$S" -o "$O/course"
[ "$rc" = 0 ] && ok "the next build accepts the folder" || nok "the next build accepts the folder" "$(cat "$T/err")"

# serve builds into the same OUT: a build started meanwhile waits for it.
if command -v curl > /dev/null 2>&1; then
	PORT=$(free_port)
	timeout 120 "$TOIVO" serve -s "$S" -o "$O/course" --port "$PORT" > "$T/serve.out" 2> "$T/serve.err" &
	spid=$!
	timeout 120 "$TOIVO" build -s "$S" -o "$O/course" > "$T/b.out" 2> "$T/b.err"
	brc=$?
	WAIT=60
	wait_for curl -sf -o /dev/null "http://127.0.0.1:$PORT/fi/"
	kill -TERM "$spid" 2>/dev/null
	wait "$spid" 2>/dev/null
	[ "$brc" = 0 ] && [ "$(tree_sum "$O/course")" = "$GOOD" ] && [ -z "$(beside "$O" course)" ] &&
		ok "a build next to toivo serve on the same OUT leaves one whole site" ||
		nok "a build next to toivo serve on the same OUT leaves one whole site" "exit $brc; $(cat "$T/b.err" "$T/serve.err")"
else
	echo "ok - # SKIP curl is not installed"
fi

# --- toivo clean ---------------------------------------------------------------------
run_toivo clean -s "$S"
[ "$rc" = 0 ] && [ ! -e "$S/.toivo-cache" ] && [ "$(tree_sum "$S/public")" = "$GOOD" ] &&
	ok "toivo clean removes the cache and keeps the output" || nok "toivo clean removes the cache and keeps the output" "exit $rc; $(cat "$T/err")"
run_toivo build -s "$S"
[ "$rc" = 0 ] && [ "$(tree_sum "$S/public")" = "$GOOD" ] && ok "a build after toivo clean" || nok "a build after toivo clean" "$(cat "$T/err")"
run_toivo clean -s "$S" --output
[ "$rc" = 0 ] && [ ! -e "$S/public" ] && [ ! -e "$S/.toivo-cache" ] && ok "toivo clean --output removes the output too" ||
	nok "toivo clean --output removes the output too" "exit $rc"
run_toivo clean --help
[ "$rc" = 0 ] && grep -q 'toivo-cache' "$T/out" && ok "toivo clean --help" || nok "toivo clean --help"
run_toivo clean -s "$T/nosite"
[ "$rc" = 1 ] && ok "toivo clean outside a site exits 1" || nok "toivo clean outside a site exits 1" "exit $rc"
run_toivo clean --frobnicate
[ "$rc" = 2 ] && ok "toivo clean with an unknown option exits 2" || nok "toivo clean with an unknown option exits 2" "exit $rc"
