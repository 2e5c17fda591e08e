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

# run_vg WHAT ARGS...: toivo under memcheck; any finding fails.
run_vg() {
	what=$1
	shift
	timeout 600 valgrind -q --error-exitcode=99 --suppressions="$ROOT/tests/valgrind.supp" --leak-check=full \
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
timeout 600 valgrind -q --error-exitcode=99 --suppressions="$ROOT/tests/valgrind.supp" --leak-check=full --errors-for-leak-kinds=definite,indirect \
	"$TOIVO" build -s "$T/s" -o "$T/p2" > "$T/out" 2> "$T/err"
rc=$?
[ "$rc" = 1 ] && ! grep -q '^==[0-9]*==' "$T/err" && ok "valgrind: a failed build is clean too" ||
	nok "valgrind: a failed build is clean too" "exit $rc; $(grep -A25 '^==[0-9]*==' "$T/err" | head -60)"
