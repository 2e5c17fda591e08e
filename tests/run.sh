#!/bin/sh
# run.sh - the whole suite: every tests/t_* script, first against the
# release build, then against the ASan + UBSan build; then the unit tests.
# Each script prints "ok - ..." or "not ok - ..." lines, and "ok - # SKIP
# why" (or "ok - NAME # SKIP why") for a check it could not run; the last
# line of this script is "N passed, N failed", with ", N skipped" when
# anything was skipped.  Skips are counted apart, never as passed, and each
# one is shown with its reason; a skip that gives no reason is a failure.
cd "$(dirname "$0")/.." || exit 2
ROOT=$(pwd)
export ROOT
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:exitcode=99"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:exitcode=99"
pass=0
fail=0
skip=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

run() {
	# run LABEL CMD...: counts the ok / not ok lines of one script.
	label=$1
	shift
	start=$(date +%s)
	"$@" > "$log" 2>&1
	rc=$?
	# A skipped check ("ok - # SKIP why", "ok - NAME # SKIP why") is counted
	# apart and shown; one without a reason is a failure.
	s=$(grep -Ec '^ok .*# SKIP' "$log")
	p=$(grep '^ok ' "$log" | grep -Evc '# SKIP')
	f=$(grep -c '^not ok ' "$log")
	if grep -Eq '^ok .*# SKIP[[:space:]]*$' "$log"; then
		f=$((f + 1))
		echo "not ok - $label skipped a check without saying why" >> "$log"
	fi
	if [ "$rc" != 0 ] && [ "$f" = 0 ]; then
		f=1
		echo "not ok - $label exited with status $rc" >> "$log"
	fi
	pass=$((pass + p))
	fail=$((fail + f))
	skip=$((skip + s))
	end=$(date +%s)
	printf '%-40s %4d ok %3d failed %3d skipped  %3ds\n' "$label" "$p" "$f" "$s" $((end - start))
	if [ "$f" != 0 ] || [ -n "$VERBOSE" ]; then
		grep -v '^ok ' "$log" | sed 's/^/    /' | head -60
	fi
	grep -E '^ok .*# SKIP' "$log" | sed 's/^ok - \(.*\)# SKIP */\1/; s/^/    skipped: /'
}

for bin in build/toivo build/toivo-asan; do
	export TOIVO="$ROOT/$bin"
	tag=$(basename "$bin")
	for t in tests/t_*; do
		case "$t" in
		*.sh) run "$tag $(basename "$t")" sh "$t" ;;
		*.py) run "$tag $(basename "$t")" python3 "$t" ;;
		esac
	done
done
for u in build/unit/*_test; do
	[ -x "$u" ] || continue
	run "unit $(basename "$u")" "$u"
done
if [ "$skip" = 0 ]; then
	echo "$pass passed, $fail failed"
else
	echo "$pass passed, $fail failed, $skip skipped"
fi
[ "$fail" = 0 ]
