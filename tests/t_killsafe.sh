#!/bin/sh
# t_killsafe.sh - a build or a publish killed with SIGKILL at any moment
# leaves the old state or the new one, never a mix: OUT is byte-identical
# to the old site or to the new one (tree_sum), the publish branch points
# at the old commit or at the new one, and the next run works.
. "$(dirname "$0")/lib.sh"

# --- builds ----------------------------------------------------------------
# Two versions of one large site: every page differs between A and B.
A=$T/a
B=$T/b
OUT=$T/public
new_site "$A"
python3 - "$A" <<'PY'
import os, sys
root = sys.argv[1]
for m in range(12):
    for lang, slug in (("fi", ""), ("en", "slug: m%d\n" % m)):
        d = os.path.join(root, "content", "m%02d" % m)
        os.makedirs(d, exist_ok=True)
        open(os.path.join(d, "_index.%s.md" % lang), "w").write('---\ntitle: "M %d"\nweight: %d\n%s---\nModule.\n' % (m, m, slug))
        for p in range(25):
            body = "\n\n".join("## Osa %d\n\nTeksti %d %d %s VERSION" % (k, m, p, "x" * 200) for k in range(8))
            open(os.path.join(d, "p%02d.%s.md" % (p, lang)), "w").write('---\ntitle: "P %d"\nweight: %d\n---\n%s\n' % (p, p, body))
PY
cp -R "$A" "$B"
find "$B/content" -name '*.md' -exec sed -i 's/VERSION/TOINEN-VERSIO/' {} +
run_toivo build -q -s "$B" -o "$T/ref-b"
if [ "$rc" != 0 ]; then
	nok "the large site builds" "$(cat "$T/err")"
	exit 0
fi
SUMB=$(tree_sum "$T/ref-b")
start=$(date +%s%N)
run_toivo build -q -s "$A" -o "$OUT"
ms=$((($(date +%s%N) - start) / 1000000))
if [ "$rc" != 0 ]; then
	nok "the large site builds" "$(cat "$T/err")"
	exit 0
fi
ok "the large site builds (${ms} ms, $(find "$OUT" -type f | wc -l) files)"
SUMA=$(tree_sum "$OUT")
[ "$SUMA" != "$SUMB" ] || nok "the two versions differ"

# Kill builds at moments spread over one build's duration.
bad=
cur=a
n=0
flips=0
for frac in 5 15 30 45 60 75 85 95 10 50 70 90; do
	if [ "$cur" = a ]; then src=$B; else src=$A; fi
	delay=$((ms * frac / 100))
	"$TOIVO" build -q -s "$src" -o "$OUT" > /dev/null 2>&1 &
	pid=$!
	sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	n=$((n + 1))
	sum=$(tree_sum "$OUT")
	if [ "$sum" = "$SUMA" ]; then
		[ "$cur" = a ] || flips=$((flips + 1))
		cur=a
	elif [ "$sum" = "$SUMB" ]; then
		[ "$cur" = b ] || flips=$((flips + 1))
		cur=b
	else
		bad="$bad kill at ${frac}% of the build ($delay ms): OUT is neither the old nor the new site;"
		break
	fi
done
[ -z "$bad" ] && ok "$n builds killed at 5..95% of a build: OUT is always the old or the new site ($flips had swapped in the new one)" ||
	nok "builds killed: OUT is the old or the new site" "$bad $(ls -a "$T")"
# After the kills the next build works and gives exactly the new site.
run_toivo build -q -s "$B" -o "$OUT"
[ "$rc" = 0 ] && [ "$(tree_sum "$OUT")" = "$SUMB" ] && ok "after the kills a build gives exactly the new site" ||
	nok "after the kills a build gives exactly the new site" "exit $rc; $(cat "$T/err")"
run_toivo build -q -s "$A" -o "$OUT"
[ "$rc" = 0 ] && [ "$(tree_sum "$OUT")" = "$SUMA" ] && ok "and back to the old one" || nok "and back to the old one" "exit $rc"

# --- publish -----------------------------------------------------------------
if ! command -v git >/dev/null 2>&1; then
	echo "ok - publish killed # SKIP git is not installed"
	exit 0
fi
git_sandbox
S=$A
R=$T/remote.git
printf 'publish:\n  branch: gh-pages\n  remote: origin\n' >> "$S/site.yaml"
publish_repo "$S" "$R"

run_toivo publish -s "$S"
[ "$rc" = 0 ] && ok "publish: the first publish" || nok "publish: the first publish" "exit $rc; $(cat "$T/err")"
OLD_R=$(rev "$R" refs/heads/gh-pages)
OLD_L=$(rev "$S" refs/heads/gh-pages)
start=$(date +%s%N)
printf '\nMuutos.\n' >> "$S/content/m00/p00.fi.md"
git -C "$S" commit -qam "An edit"
run_toivo publish -s "$S" --dry-run
pms=$((($(date +%s%N) - start) / 1000000))
seen=
for frac in 10 30 50 70 90 20 60 95; do
	delay=$((pms * frac / 100))
	"$TOIVO" publish -s "$S" > /dev/null 2>&1 &
	pid=$!
	sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	seen="$seen $(rev "$R" refs/heads/gh-pages):$(rev "$S" refs/heads/gh-pages)"
	# A killed run may leave a lock file; the next run must cope or say so.
done
run_toivo publish -s "$S"
prc=$rc
# A kill while the remote's ref was written (the remote is a folder here,
# so the push writes it in this process) leaves its lock, as with git;
# toivo names it and says what to do (checked below): done, publish works.
if [ "$prc" != 0 ] && grep -q "remote 'origin' is locked: .*gh-pages.lock is there.*delete that file" "$T/err"; then
	rm -f "$R/refs/heads/gh-pages.lock"
	run_toivo publish -s "$S"
	prc=$rc
fi
NEW_R=$(rev "$R" refs/heads/gh-pages)
[ "$prc" = 0 ] && [ "$NEW_R" != "$OLD_R" ] && ok "publish: after the kills a publish goes through" ||
	nok "publish: after the kills a publish goes through" "exit $prc; $(cat "$T/err")"
# Every state seen after a kill: the old commit, or a commit with the old
# one as parent and the new tree (a later publish may have made another
# commit with the same tree).
NEW_TREE=$(git -C "$R" rev-parse "$NEW_R^{tree}" 2>/dev/null)
bad=
for pair in $seen; do
	for c in "${pair%%:*}" "${pair#*:}"; do
		[ "$c" = "$OLD_R" ] || [ "$c" = "$OLD_L" ] && continue
		t=$(git -C "$R" rev-parse -q --verify "$c^{tree}" 2>/dev/null || git -C "$S" rev-parse -q --verify "$c^{tree}" 2>/dev/null)
		p=$(git -C "$R" rev-parse -q --verify "$c^" 2>/dev/null || git -C "$S" rev-parse -q --verify "$c^" 2>/dev/null)
		[ "$t" = "$NEW_TREE" ] && [ "$p" = "$OLD_R" ] || bad="$bad $c (tree $t, parent $p);"
	done
done
[ -z "$bad" ] && ok "publish killed 8 times: the branch is always the old commit or the new one" ||
	nok "publish killed: the branch is the old or the new commit" "old $OLD_R new tree $NEW_TREE; bad:$bad"
git -C "$R" fsck --connectivity-only >"$T/fsck" 2>&1 && git -C "$S" fsck --connectivity-only >>"$T/fsck" 2>&1 &&
	ok "publish killed: both repositories pass git fsck" || nok "publish killed: both repositories pass git fsck" "$(head "$T/fsck")"
[ -z "$(git -C "$S" status --porcelain)" ] && [ "$(git -C "$S" rev-parse --abbrev-ref HEAD)" = main ] &&
	ok "publish killed: the working tree and HEAD untouched" || nok "publish killed: the working tree and HEAD untouched" "$(git -C "$S" status --porcelain | head)"

# The lock such a kill leaves in the remote: named, with what to do, the
# branch put back; once the file is deleted the publish goes through.
printf '\nToinen muutos.\n' >> "$S/content/m00/p00.fi.md"
git -C "$S" commit -qam "Another edit"
BEFORE_R=$(rev "$R" refs/heads/gh-pages)
: > "$R/refs/heads/gh-pages.lock"
run_toivo publish -s "$S"
[ "$rc" = 1 ] && grep -q "^toivo: error: remote 'origin' is locked: .*refs/heads/gh-pages.lock is there, most likely left by a push that was interrupted.*delete that file and run toivo publish again" "$T/err" &&
	[ "$(rev "$R" refs/heads/gh-pages)" = "$BEFORE_R" ] &&
	ok "publish: a lock left in the remote is named, with what to do" ||
	nok "publish: a lock left in the remote is named, with what to do" "exit $rc; $(cat "$T/err")"
rm -f "$R/refs/heads/gh-pages.lock"
run_toivo publish -s "$S"
[ "$rc" = 0 ] && [ "$(rev "$R" refs/heads/gh-pages)" != "$BEFORE_R" ] &&
	ok "publish: with the lock deleted the publish goes through" || nok "publish: with the lock deleted the publish goes through" "exit $rc; $(cat "$T/err")"
exit 0
