#!/bin/sh
# t_publish.sh - toivo publish: a commit of the built site on a branch, pushed
# to a bare remote, with the author's working tree, index and HEAD untouched.
. "$(dirname "$0")/lib.sh"

if ! command -v git >/dev/null 2>&1; then
	echo "ok - publish # SKIP git is not installed"
	exit 0
fi

git_sandbox

S=$T/site
R=$T/remote.git
new_site "$S"
printf 'publish:\n  branch: gh-pages\n  remote: origin\n  cname: course.example.org\n' >> "$S/site.yaml"
publish_repo "$S" "$R"

g() { git -C "$S" "$@"; }
# one_line WHAT: the failure was reported as exactly one line.
one_line() {
	n=$(wc -l < "$T/err")
	[ "$n" = 1 ] && ok "$1: one line" || nok "$1: one line" "$(cat "$T/err")"
}
# state: what publish must never change in the source repository: the
# working tree (.git aside), the index, HEAD and the status.
state() {
	sha256sum "$S/.git/index" | cut -d' ' -f1
	cat "$S/.git/HEAD"
	g rev-parse HEAD
	g status --porcelain=v1 --untracked-files=all
	(cd "$S" && find . -path ./.git -prune -o -type f -print | LC_ALL=C sort | xargs -d '\n' sha256sum)
}
# git_sum DIR: every file of a git directory (objects, refs, logs).
git_sum() {
	(cd "$1" && find . -type f | LC_ALL=C sort | xargs -d '\n' sha256sum) | sha256sum | cut -d' ' -f1
}
# served DIR: the files a static host serves from a checkout, without .git,
# .nojekyll and CNAME.
served() {
	(cd "$1" && find . -path ./.git -prune -o -type f ! -name .nojekyll ! -name CNAME -print |
		LC_ALL=C sort | xargs -d '\n' sha256sum) | sha256sum | cut -d' ' -f1
}
# edit FILE TEXT: a change to a lesson, committed.
edit() {
	printf '\n%s\n' "$2" >> "$S/$1"
	g commit -qam "Edit $1: $2"
}

# --- wrong usage: exit 2 ----------------------------------------------------
run_toivo publish --nope
[ "$rc" = 2 ] && ok "unknown option exits 2" || nok "unknown option exits 2" "exit $rc"
run_toivo publish -s "$S" --branch
[ "$rc" = 2 ] && ok "option without value exits 2" || nok "option without value exits 2" "exit $rc"
run_toivo publish -s "$S" stray
[ "$rc" = 2 ] && ok "stray argument exits 2" || nok "stray argument exits 2" "exit $rc"
run_toivo publish -s "$S" --branch 'bad..name'
[ "$rc" = 2 ] && ok "invalid branch name exits 2" || nok "invalid branch name exits 2" "exit $rc"

# --- not a repository ---------------------------------------------------------
new_site "$T/norepo"
expect_fail "not a repository: exit 1" 'not inside a git repository' publish -s "$T/norepo"
one_line "not a repository"

base_state=$(state)
git_before=$(git_sum "$S/.git")
remote_before=$(git_sum "$R")

# --- no such remote, unreachable remote, branch checked out --------------------
expect_fail "no such remote: exit 1" "no remote named 'upstream'.*git remote add" publish -s "$S" --remote upstream
one_line "no such remote"
expect_fail "unreachable remote (path): exit 1" "cannot reach remote .*nowhere" publish -s "$S" --remote "$T/nowhere.git"
one_line "unreachable remote (path)"
expect_fail "unreachable remote (file://): exit 1" "cannot reach remote" publish -s "$S" --remote "file://$T/nowhere.git"
one_line "unreachable remote (file://)"
expect_fail "publishing to the checked-out branch is refused" "checked out" publish -s "$S" --branch main
one_line "checked-out branch"
[ "$(rev "$S" refs/heads/gh-pages)" = none ] && ok "failures made no branch" || nok "failures made no branch"

# --- dry run before the first publish --------------------------------------------
run_toivo publish -s "$S" --dry-run
if [ "$rc" = 0 ] && grep -q '^add  *fi/index.html$' "$T/out" && grep -q '^add  *\.nojekyll$' "$T/out" &&
	grep -q '^add  *CNAME$' "$T/out" && grep -q 'nothing was written' "$T/out"; then
	ok "dry run lists the files to add"
else
	nok "dry run lists the files to add" "exit $rc; $(cat "$T/out" "$T/err")"
fi
[ "$(git_sum "$S/.git")" = "$git_before" ] && ok "dry run writes nothing in .git (no objects, no refs)" ||
	nok "dry run writes nothing in .git" "$(cd "$S/.git" && find . -newer "$S/site.yaml" -type f | head)"
[ "$(git_sum "$R")" = "$remote_before" ] && ok "dry run writes nothing in the remote" || nok "dry run writes nothing in the remote"
[ "$(state)" = "$base_state" ] && ok "state unchanged after the failures and the dry run" || nok "state unchanged after the failures and the dry run"

# --- first publish -------------------------------------------------------------------
run_toivo publish -s "$S"
[ "$rc" = 0 ] && ok "first publish" || nok "first publish" "exit $rc; $(cat "$T/err")"
grep -q 'pushed to origin' "$T/err" && ok "first publish says it pushed" || nok "first publish says it pushed" "$(cat "$T/err")"
p1=$(rev "$S" refs/heads/gh-pages)
[ "$p1" != none ] && [ "$(rev "$R" refs/heads/gh-pages)" = "$p1" ] && ok "remote branch equals the local one" ||
	nok "remote branch equals the local one" "local $p1 remote $(rev "$R" refs/heads/gh-pages)"
[ "$(rev "$S" refs/remotes/origin/gh-pages)" = "$p1" ] && ok "remote-tracking ref updated" || nok "remote-tracking ref updated"
[ "$(g rev-list --count gh-pages)" = 1 ] && ok "first publish is a root commit" || nok "first publish is a root commit"
src=$(g rev-parse HEAD)
short=$(g rev-parse --short=7 HEAD)
subject=$(g log -1 --format=%s gh-pages)
echo "$subject" | grep -Eq "^Publish $short \(toivo [0-9][^)]*\)$" && ok "message names the source commit" ||
	nok "message names the source commit" "$subject"
trailer=$(g log -1 --format='%(trailers:key=Source-commit,valueonly)' gh-pages | sed '/^$/d')
[ "$trailer" = "$src" ] && ok "Source-commit trailer has the full id" || nok "Source-commit trailer has the full id" "$trailer / $src"
g cat-file -e gh-pages:.nojekyll 2>/dev/null && [ -z "$(g show gh-pages:.nojekyll)" ] && ok ".nojekyll present and empty" || nok ".nojekyll present and empty"
[ "$(g show gh-pages:CNAME)" = "course.example.org" ] && ok "CNAME from site.yaml" || nok "CNAME from site.yaml" "$(g show gh-pages:CNAME 2>&1)"
[ "$(state)" = "$base_state" ] && ok "working tree, index and HEAD unchanged by publish" || nok "working tree, index and HEAD unchanged by publish"
[ "$(g symbolic-ref HEAD)" = refs/heads/main ] && ok "HEAD still on main" || nok "HEAD still on main"

# The published branch, checked out in a fresh clone, serves what toivo build makes.
run_toivo build -s "$S" -o "$T/public"
git clone -q --branch gh-pages "$R" "$T/clone" 2>/dev/null
if [ -d "$T/clone" ] && [ "$(served "$T/clone")" = "$(served "$T/public")" ]; then
	ok "a fresh clone of the branch serves the same files as toivo build"
else
	nok "a fresh clone of the branch serves the same files as toivo build" \
		"$(diff -r -x .git -x .nojekyll -x CNAME "$T/clone" "$T/public" 2>&1 | head)"
fi
check "the clone has index.html at its top" test -f "$T/clone/index.html"

# --- publish with no change ------------------------------------------------------------
run_toivo publish -s "$S"
[ "$rc" = 0 ] && grep -q 'no commit made' "$T/err" && ok "no change: says no commit made" || nok "no change: says no commit made" "exit $rc; $(cat "$T/err")"
[ "$(rev "$S" refs/heads/gh-pages)" = "$p1" ] && [ "$(rev "$R" refs/heads/gh-pages)" = "$p1" ] && ok "no change: no commit" || nok "no change: no commit"
run_toivo publish -s "$S" --dry-run
[ "$rc" = 0 ] && grep -q 'no commit would be made' "$T/out" && ok "no change: dry run says so" || nok "no change: dry run says so" "$(cat "$T/out" "$T/err")"

# --- a second publish with a change -------------------------------------------------------
edit content/mod/eka.fi.md "Lisätty kappale."
base_state=$(state)
git_before=$(git_sum "$S/.git")
remote_before=$(git_sum "$R")
run_toivo publish -s "$S" --dry-run
if [ "$rc" = 0 ] && grep -q '^change  *fi/mod/eka/index.html$' "$T/out" && ! grep -q '^add\|^remove' "$T/out"; then
	ok "dry run lists the changed page only"
else
	nok "dry run lists the changed page only" "$(cat "$T/out" "$T/err")"
fi
[ "$(git_sum "$S/.git")" = "$git_before" ] && [ "$(git_sum "$R")" = "$remote_before" ] && ok "dry run over a branch writes nothing" || nok "dry run over a branch writes nothing"
run_toivo publish -s "$S"
[ "$rc" = 0 ] && ok "second publish" || nok "second publish" "exit $rc; $(cat "$T/err")"
p2=$(rev "$S" refs/heads/gh-pages)
[ "$(g rev-list --count gh-pages)" = 2 ] && [ "$(rev "$S" "$p2^")" = "$p1" ] && ok "two commits, the second's parent is the first" ||
	nok "two commits, the second's parent is the first"
[ "$(rev "$R" refs/heads/gh-pages)" = "$p2" ] && ok "second publish pushed" || nok "second publish pushed"
changed=$(g diff --name-only "$p1" "$p2")
echo "$changed" | grep -qx 'fi/mod/eka/index.html' && ! echo "$changed" | grep -q '^en/' &&
	ok "the second commit changes the edited page, not the other language" || nok "the second commit changes the edited page only" "$changed"
[ "$(g log -1 --format='%(trailers:key=Source-commit,valueonly)' gh-pages | sed '/^$/d')" = "$(g rev-parse HEAD)" ] &&
	ok "trailer names the new source commit" || nok "trailer names the new source commit"
[ "$(state)" = "$base_state" ] && ok "state unchanged by the second publish" || nok "state unchanged by the second publish"

# --- --message -------------------------------------------------------------------------------
edit content/mod/toka.fi.md "Uusi lause."
run_toivo publish -s "$S" --message "Kurssin päivitys"
[ "$rc" = 0 ] && [ "$(g log -1 --format=%s gh-pages)" = "Kurssin päivitys" ] && ok "--message sets the subject" || nok "--message sets the subject" "$(cat "$T/err")"
[ "$(g log -1 --format='%(trailers:key=Source-commit,valueonly)' gh-pages | sed '/^$/d')" = "$(g rev-parse HEAD)" ] &&
	ok "--message keeps the trailer" || nok "--message keeps the trailer"

# --- a dirty source is refused ----------------------------------------------------------------
p=$(rev "$S" refs/heads/gh-pages)
printf '\nKeskeneräinen.\n' >> "$S/content/mod/eka.fi.md"
dirty_state=$(state)
expect_fail "dirty content/ refused" 'eka.fi.md.*uncommitted.*--allow-dirty' publish -s "$S"
one_line "dirty source"
[ "$(rev "$S" refs/heads/gh-pages)" = "$p" ] && ok "dirty: branch unchanged" || nok "dirty: branch unchanged"
[ "$(state)" = "$dirty_state" ] && ok "dirty: state unchanged" || nok "dirty: state unchanged"
run_toivo publish -s "$S" --allow-dirty --dry-run
[ "$rc" = 0 ] && grep -q 'fi/mod/eka/index.html' "$T/out" && ok "--allow-dirty lets it through" || nok "--allow-dirty lets it through" "exit $rc; $(cat "$T/err")"
g checkout -q -- content/mod/eka.fi.md
printf -- '---\ntitle: "Uusi"\n---\n\nUusi.\n' > "$S/content/mod/uusi.fi.md"
expect_fail "untracked file in content/ refused" 'uusi.fi.md.*uncommitted' publish -s "$S"
rm "$S/content/mod/uusi.fi.md"
printf '# a note\n' >> "$S/site.yaml"
expect_fail "changed site.yaml refused" 'site.yaml.*uncommitted' publish -s "$S" --dry-run
g checkout -q -- site.yaml
printf 'notes\n' > "$S/NOTES.txt"
run_toivo publish -s "$S"
[ "$rc" = 0 ] && ok "a change outside the sources is no obstacle" || nok "a change outside the sources is no obstacle" "$(cat "$T/err")"
rm "$S/NOTES.txt"

# --- --no-push, then a publish that only pushes ------------------------------------------------
edit content/mod/eka.en.md "More text."
before_remote=$(rev "$R" refs/heads/gh-pages)
run_toivo publish -s "$S" --no-push
pn=$(rev "$S" refs/heads/gh-pages)
[ "$rc" = 0 ] && [ "$pn" != "$before_remote" ] && [ "$(rev "$R" refs/heads/gh-pages)" = "$before_remote" ] &&
	ok "--no-push commits only" || nok "--no-push commits only" "exit $rc; $(cat "$T/err")"
run_toivo publish -s "$S"
[ "$rc" = 0 ] && [ "$(rev "$R" refs/heads/gh-pages)" = "$pn" ] && [ "$(rev "$S" refs/heads/gh-pages)" = "$pn" ] &&
	ok "then publish pushes the unpushed commit without a new one" || nok "then publish pushes the unpushed commit" "$(cat "$T/err")"

# --- publishing from a second machine ---------------------------------------------------------
M2=$T/machine2
g push -q origin main
git clone -q "$R" "$M2"
printf '\nToiselta koneelta.\n' >> "$M2/content/mod/toka.fi.md"
git -C "$M2" commit -qam "From machine 2"
git -C "$M2" push -q origin main
TOIVO_PREV=$(rev "$R" refs/heads/gh-pages)
run_toivo publish -s "$M2"
m2=$(rev "$R" refs/heads/gh-pages)
[ "$rc" = 0 ] && [ "$m2" != "$TOIVO_PREV" ] && [ "$(rev "$R" "$m2^")" = "$TOIVO_PREV" ] &&
	ok "second machine (no local branch) publishes on the remote tip without --force" ||
	nok "second machine publishes on the remote tip" "exit $rc; $(cat "$T/err")"
# Back on the first machine: the local branch is behind; it builds on the remote tip.
g pull -q --ff-only origin main
edit content/_index.fi.md "Tervetuloa."
run_toivo publish -s "$S"
p=$(rev "$S" refs/heads/gh-pages)
[ "$rc" = 0 ] && [ "$(rev "$S" "$p^")" = "$m2" ] && [ "$(rev "$R" refs/heads/gh-pages)" = "$p" ] &&
	ok "a local branch behind the remote builds on the remote tip" || nok "a branch behind builds on the remote tip" "exit $rc; $(cat "$T/err")"

# --- diverged: refused, then --force -----------------------------------------------------------
edit content/mod/toka.en.md "Diverging."
run_toivo publish -s "$S" --no-push
ours=$(rev "$S" refs/heads/gh-pages)
git -C "$M2" pull -q --ff-only origin main
printf '\nKolmas.\n' >> "$M2/content/mod/eka.fi.md"
git -C "$M2" commit -qam "Machine 2 again"
run_toivo publish -s "$M2"
theirs=$(rev "$R" refs/heads/gh-pages)
[ "$(rev "$S" "$ours^")" = "$p" ] && [ "$(rev "$R" "$theirs^")" = "$p" ] && ok "setup: local and remote branches diverged" || nok "setup: diverged"
expect_fail "diverged branches are refused without --force" 'diverged.*--force' publish -s "$S"
one_line "diverged"
[ "$(rev "$S" refs/heads/gh-pages)" = "$ours" ] && [ "$(rev "$R" refs/heads/gh-pages)" = "$theirs" ] &&
	ok "diverged: both branches unchanged" || nok "diverged: both branches unchanged"
run_toivo publish -s "$S" --force
[ "$rc" = 0 ] && [ "$(rev "$R" refs/heads/gh-pages)" = "$ours" ] && ok "--force replaces the remote branch (non-fast-forward push)" ||
	nok "--force replaces the remote branch" "exit $rc; $(cat "$T/err")"

# --- a rejected push leaves the local branch as it was ---------------------------------------------
edit content/mod/eka.fi.md "Lukittu."
p=$(rev "$S" refs/heads/gh-pages)
: > "$R/refs/heads/gh-pages.lock"
expect_fail "a push the remote refuses: exit 1" "push" publish -s "$S"
one_line "refused push"
grep -q "back at" "$T/err" && ok "the refused push says where the branch is" || nok "the refused push says where the branch is" "$(cat "$T/err")"
[ "$(rev "$S" refs/heads/gh-pages)" = "$p" ] && ok "refused push: local branch back where it was" || nok "refused push: local branch back where it was"
rm -f "$R/refs/heads/gh-pages.lock"

# --- a refused push to a new branch removes it once, and says so ----------------------------------
: > "$R/refs/heads/fresh.lock"
expect_fail "a refused push to a new branch: exit 1" "push" publish -s "$S" --branch fresh
one_line "refused push to a new branch"
grep -q "branch 'fresh' was removed again" "$T/err" && ! grep -q "moved meanwhile" "$T/err" &&
	ok "the refused push to a new branch says it was removed" || nok "the refused push to a new branch says it was removed" "$(cat "$T/err")"
[ "$(rev "$S" refs/heads/fresh)" = none ] && ok "refused push: the new local branch is gone" || nok "refused push: the new local branch is gone"
rm -f "$R/refs/heads/fresh.lock"

# --- remote given as a path or a URL ---------------------------------------------------------------
run_toivo publish -s "$S" --remote "$R"
[ "$rc" = 0 ] && [ "$(rev "$R" refs/heads/gh-pages)" = "$(rev "$S" refs/heads/gh-pages)" ] &&
	ok "--remote PATH publishes" || nok "--remote PATH publishes" "exit $rc; $(cat "$T/err")"
R2=$T/other.git
git init -q --bare "$R2"
run_toivo publish -s "$S" --remote "file://$R2" --branch pages
[ "$rc" = 0 ] && [ "$(rev "$R2" refs/heads/pages)" = "$(rev "$S" refs/heads/pages)" ] && [ "$(rev "$S" refs/heads/pages)" != none ] &&
	ok "--remote file:// URL with --branch" || nok "--remote file:// URL with --branch" "exit $rc; $(cat "$T/err")"

# --- unreachable remote after publishing: the branch is unchanged ------------------------------------
p=$(rev "$S" refs/heads/gh-pages)
edit content/mod/toka.fi.md "Ei verkkoa."
g remote set-url origin "$T/gone.git"
expect_fail "unreachable named remote: exit 1" "cannot reach remote 'origin'" publish -s "$S"
one_line "unreachable named remote"
[ "$(rev "$S" refs/heads/gh-pages)" = "$p" ] && ok "unreachable: local branch unchanged" || nok "unreachable: local branch unchanged"
g remote set-url origin "$R"

# --- the source state over the whole run -------------------------------------------------------------
[ "$(g symbolic-ref HEAD)" = refs/heads/main ] && [ -z "$(g status --porcelain)" ] && ok "source still on main and clean at the end" ||
	nok "source still on main and clean at the end" "$(g status --porcelain)"

# --- a site in a subfolder of its repository ------------------------------------------------------------
W=$T/work
mkdir -p "$W/other/content"
new_site "$W/course"
printf 'x\n' > "$W/other/content/x.md"
git -C "$W" init -q
git -C "$W" add -A
git -C "$W" commit -qm "Course in a subfolder"
git init -q --bare "$T/sub.git"
git -C "$W" remote add origin "$T/sub.git"
printf 'y\n' >> "$W/other/content/x.md"
run_toivo publish -s "$W/course"
[ "$rc" = 0 ] && [ "$(rev "$T/sub.git" refs/heads/gh-pages)" != none ] && ok "subfolder site: changes outside the site are no obstacle" ||
	nok "subfolder site publishes" "exit $rc; $(cat "$T/err")"
git -C "$W" cat-file -e gh-pages:fi/index.html 2>/dev/null && ! git -C "$W" cat-file -e gh-pages:course 2>/dev/null &&
	ok "subfolder site: the built site is at the branch's top" || nok "subfolder site: the built site is at the branch's top"
! git -C "$W" cat-file -e gh-pages:CNAME 2>/dev/null && ok "no CNAME without publish.cname" || nok "no CNAME without publish.cname"
printf '\nMuutos.\n' >> "$W/course/content/mod/eka.fi.md"
expect_fail "subfolder site: its own dirty content refused" '^content/mod/eka.fi.md: error: uncommitted' publish -s "$W/course"

# --- no git identity: one line, nothing changed ----------------------------------------------------------
git -C "$W" commit -qam "Muutos"
p=$(rev "$W" refs/heads/gh-pages)
mkdir -p "$T/empty-home"
HOME=$T/empty-home
expect_fail "no git identity: exit 1" "no git identity.*user.name" publish -s "$W/course"
HOME=$T/home
one_line "no git identity"
[ "$(rev "$W" refs/heads/gh-pages)" = "$p" ] && [ "$(rev "$T/sub.git" refs/heads/gh-pages)" = "$p" ] &&
	ok "no git identity: branches unchanged" || nok "no git identity: branches unchanged"
