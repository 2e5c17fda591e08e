#!/bin/sh
# t_golden.sh - golden regression tests (as lowdown's regress/): each
# tests/golden/NAME/ holds a small site (site/) and what building it must
# give, byte for byte: the output tree (expected/) and the messages with the
# exit status (messages).  The theme's assets that are copied unchanged
# (OUT/assets/ files equal to themes/default/assets/) are left out of
# expected/ to keep it small.
#
# A case may have setup.sh, run in the copied site before the build (e.g. a
# git history for renames; it finds lib.sh's git_sandbox already set up).
# Builds are reproducible: SOURCE_DATE_EPOCH fixes the build date and clamps
# file times, git dates come from the commits setup.sh makes.
#
# After an intended change of the output:  make golden-update
# (GOLDEN_UPDATE=1 sh tests/t_golden.sh), then read `git diff tests/golden`.
# GOLDEN=NAME runs (or updates) one case.
. "$(dirname "$0")/lib.sh"

G=$ROOT/tests/golden
SOURCE_DATE_EPOCH=1700000000    # 2023-11-14 22:13:20 UTC
TZ=UTC
LC_ALL=C.UTF-8
export SOURCE_DATE_EPOCH TZ LC_ALL
git_sandbox

# prune_assets OUT: removes OUT/assets/ files equal to the default theme's.
prune_assets() {
	[ -d "$1/assets" ] || return 0
	(cd "$1/assets" && find . -type f) | while read -r f; do
		cmp -s "$1/assets/$f" "$ROOT/themes/default/assets/$f" && rm -f "$1/assets/$f"
	done
	find "$1/assets" -depth -type d -empty -delete
}

for dir in "$G"/*/; do
	name=$(basename "$dir")
	[ -n "$GOLDEN" ] && [ "$GOLDEN" != "$name" ] && continue
	w=$T/site-$name
	out=$T/out-$name
	cp -R "$dir/site" "$w"
	if [ -f "$dir/setup.sh" ] && ! (cd "$w" && timeout 60 sh "$dir/setup.sh") > "$T/setup.log" 2>&1; then
		nok "$name: setup.sh" "$(cat "$T/setup.log")"
		continue
	fi
	timeout 60 "$TOIVO" build -q -s "$w" -o "$out" > "$T/stdout" 2> "$T/err"
	rc=$?
	# Messages name files relative to the site; anything else shows as SITE/.
	{ sed "s|$w/|SITE/|g; s|$w|SITE|g; s|$out|OUT|g" "$T/err" "$T/stdout"; echo "exit status: $rc"; } > "$T/messages"
	mkdir -p "$out"
	prune_assets "$out"
	if [ -n "$GOLDEN_UPDATE" ]; then
		rm -rf "$dir/expected"
		cp -R "$out" "$dir/expected"
		cp "$T/messages" "$dir/messages"
		ok "$name: expected output updated"
		continue
	fi
	exp=$dir/expected
	[ -d "$exp" ] || { exp=$T/empty; mkdir -p "$exp"; }
	if d=$(diff -r "$exp" "$out" 2>&1); then
		ok "$name: output as expected"
	else
		nok "$name: output as expected" "$(printf '%s\n' "$d" | sed "s|$exp|expected|; s|$out|OUT|" | head -40)"
	fi
	if d=$(diff "$dir/messages" "$T/messages" 2>&1); then
		ok "$name: messages as expected"
	else
		nok "$name: messages as expected" "$d"
	fi
done
