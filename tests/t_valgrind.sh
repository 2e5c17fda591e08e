#!/bin/sh
# t_valgrind.sh - a full build of the bundled course under valgrind's
# memcheck: no invalid read or write, no use of uninitialised memory, no
# definite or indirect leak.  The release build only: ASan and valgrind do
# not combine, and the ASan pass checks the same with the sanitizers.
. "$(dirname "$0")/lib.sh"

case "$TOIVO" in
*asan*)
	echo "ok - # SKIP valgrind runs on the release build only"
	exit 0
	;;
esac
if ! command -v valgrind >/dev/null 2>&1; then
	echo "ok - # SKIP valgrind is not installed (make test-deps installs it)"
	exit 0
fi

# The release build allocates with jemalloc: memcheck must replace that
# library's malloc and free, as it does the C library's, to see them.
VG_MALLOC=
ldd "$TOIVO" 2>/dev/null | grep -q jemalloc && VG_MALLOC='--soname-synonyms=somalloc=*jemalloc*'

# run_vg WHAT ARGS...: toivo under memcheck; any finding fails.
run_vg() {
	what=$1
	shift
	timeout 600 valgrind -q --error-exitcode=99 --suppressions="$ROOT/tests/valgrind.supp" $VG_MALLOC --leak-check=full \
		--errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect \
		--track-origins=yes --num-callers=30 "$TOIVO" "$@" > "$T/out" 2> "$T/err"
	rc=$?
	if [ "$rc" = 0 ] && ! grep -q '^==[0-9]*==' "$T/err"; then
		ok "$what"
	else
		nok "$what" "exit $rc; $(grep -A25 '^==[0-9]*==' "$T/err" | head -60)"
	fi
}

run_vg "valgrind: the bundled course builds without memory errors or leaks" build -s "$ROOT" -o "$T/public"
check "valgrind: the course was written" test -f "$T/public/fi/index.html"
# A failed build takes the other paths (errors, abort of the stage).
new_site "$T/s"
printf -- '---\ntitle: "Toka"\nweight: abc\n---\n' > "$T/s/content/mod/toka.fi.md"
timeout 600 valgrind -q --error-exitcode=99 --suppressions="$ROOT/tests/valgrind.supp" $VG_MALLOC --leak-check=full --errors-for-leak-kinds=definite,indirect \
	"$TOIVO" build -s "$T/s" -o "$T/p2" > "$T/out" 2> "$T/err"
rc=$?
[ "$rc" = 1 ] && ! grep -q '^==[0-9]*==' "$T/err" && ok "valgrind: a failed build is clean too" ||
	nok "valgrind: a failed build is clean too" "exit $rc; $(grep -A25 '^==[0-9]*==' "$T/err" | head -60)"

# toivo serve: the first build, a page, the script, a missing page, an event
# stream, a one-page rebuild, a whole build, then SIGINT.  The threads
# (watcher, connections, streams) must all end and free what they hold.
if command -v curl >/dev/null 2>&1; then
	S=$T/serve-site
	new_site "$S"
	port=$(free_port)
	U=http://127.0.0.1:$port
	# --foreground: SIGINT reaches serve once (see t_serve_script.sh).
	timeout --foreground 600 valgrind -q --error-exitcode=99 --suppressions="$ROOT/tests/valgrind.supp" $VG_MALLOC \
		--leak-check=full --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect \
		--num-callers=30 "$TOIVO" serve -s "$S" -o "$T/serve-out" --port "$port" > "$T/out" 2> "$T/serve.err" &
	pid=$!
	builds() { grep -c 'pages in\|rebuilt in' "$T/serve.err"; }
	more() { [ "$(builds)" -gt "$1" ]; }
	WAIT=300
	wait_for more 0
	code=
	for u in "$U/fi/" "$U/__toivo/reload.js" "$U/fi/nothing/"; do
		code=$code$(curl -s -o /dev/null -w '%{http_code}' --max-time 60 "$u")
	done
	curl -sN --max-time 300 "$U/__toivo/events?since=x" > "$T/sse" 2>/dev/null &
	sse=$!
	n=$(builds)
	printf '\nMuokattu.\n' >> "$S/content/mod/toka.fi.md"
	wait_for more "$n"
	n=$(builds)
	touch "$S/site.yaml"
	wait_for more "$n"
	kill -INT "$pid"
	wait "$pid"
	rc=$?
	kill "$sse" 2>/dev/null
	wait "$sse" 2>/dev/null
	[ "$code" = 200200404 ] && [ "$rc" = 0 ] && [ "$(builds)" -ge 3 ] && grep -q 'event: reload' "$T/sse" &&
		! grep -q '^==[0-9]*==' "$T/serve.err" &&
		ok "valgrind: toivo serve serves, rebuilds and stops without memory errors or leaks" ||
		nok "valgrind: toivo serve serves, rebuilds and stops without memory errors or leaks" \
			"status $code; exit $rc; $(grep -v '^==' "$T/serve.err" | tail -5; grep -A25 '^==[0-9]*==' "$T/serve.err" | head -60)"
else
	echo "ok - # SKIP valgrind: toivo serve: curl is not installed"
fi
