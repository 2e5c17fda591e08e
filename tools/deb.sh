#!/bin/sh
# deb.sh OUTDIR - builds the Debian package with dpkg-buildpackage -us -uc -b
# in a clean copy of the source (a git worktree or a dirty tree must not
# leak into the package) and copies toivo_VERSION_ARCH.deb, the debug
# symbols, the .changes, the .buildinfo and the log into OUTDIR.  The copy
# is the committed tree with the uncommitted changes to tracked files (git
# stash create); outside git, the files as they are, build/ and public/
# aside.
set -e
out=${1:?usage: deb.sh OUTDIR}
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d /tmp/toivo-deb.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/toivo"
if [ -e "$root/.git" ] && git -C "$root" rev-parse -q --verify HEAD > /dev/null 2>&1; then
	rev=$(git -C "$root" stash create 2> /dev/null || true)
	git -C "$root" archive "${rev:-HEAD}" | tar -x -C "$tmp/toivo"
else
	(cd "$root" && tar --exclude=./build --exclude=./public --exclude=./.git -cf - .) | tar -x -C "$tmp/toivo"
fi
if ! (cd "$tmp/toivo" && dpkg-buildpackage -us -uc -b) > "$tmp/build.log" 2>&1; then
	tail -40 "$tmp/build.log" >&2
	echo "deb.sh: error: dpkg-buildpackage failed (the end of its log is above)" >&2
	exit 1
fi
mkdir -p "$out"
rm -f "$out"/toivo_* "$out"/toivo-dbgsym_*
for f in "$tmp"/toivo_* "$tmp"/toivo-dbgsym_* "$tmp/build.log"; do
	[ ! -e "$f" ] || cp "$f" "$out"/
done
ls "$out"/toivo_*.deb
