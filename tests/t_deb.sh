#!/bin/sh
# t_deb.sh - the Debian package: dpkg-buildpackage -us -uc -b (through
# tools/deb.sh, in a clean copy of the source) makes toivo_VERSION_ARCH.deb
# holding the binary, the manual and completion; lintian finds no errors;
# apt would install it; the program in it runs with no clone around.
# It takes minutes, so it runs from `make test-deb` (TOIVO_TEST_DEB=1) and
# not with every `make test`.
. "$(dirname "$0")/lib.sh"

if [ -z "$TOIVO_TEST_DEB" ]; then
	echo "ok - # SKIP the Debian package is tested by make test-deb"
	exit 0
fi
for p in dpkg-buildpackage dpkg-parsechangelog dh lintian; do
	if ! command -v $p > /dev/null 2>&1; then
		nok "$p is installed (make test-deb installs it)"
		exit 1
	fi
done

D=$T/deb
if timeout 1200 nice sh "$ROOT/tools/deb.sh" "$D" > "$T/out" 2> "$T/err"; then
	ok "dpkg-buildpackage -us -uc -b builds the package"
else
	nok "dpkg-buildpackage -us -uc -b builds the package" "$(cat "$T/err")"
	exit 1
fi

version=$(cd "$ROOT" && dpkg-parsechangelog -S Version)
arch=$(dpkg --print-architecture)
deb=$D/toivo_${version}_$arch.deb
check "the package is toivo_${version}_$arch.deb" test -f "$deb"
release=$(sed -n 's/^#define TOIVO_RELEASE "\(.*\)"/\1/p' "$ROOT/generator/cmd.h")
[ "${version%-*}" = "$release" ] && ok "debian/changelog's version is the release in cmd.h ($release)" ||
	nok "debian/changelog's version is the release in cmd.h" "changelog $version, cmd.h $release"

dpkg-deb -c "$deb" | awk '{print $6}' | LC_ALL=C sort > "$T/files"
missing=""
for f in ./usr/bin/toivo ./usr/share/man/man1/toivo.1.gz ./usr/share/man/man1/toivo-build.1.gz \
	./usr/share/man/man1/toivo-publish.1.gz ./usr/share/bash-completion/completions/toivo \
	./usr/share/doc/toivo/copyright; do
	grep -qx -- "$f" "$T/files" || missing="$missing $f"
done
[ -z "$missing" ] && ok "the package holds usr/bin/toivo, the manual, completion, copyright" ||
	nok "the package holds usr/bin/toivo, the manual, completion, copyright" "missing:$missing; $(cat "$T/files")"
dep=$(dpkg-deb -f "$deb" Depends)
case $dep in
*libgit2*libmicrohttpd*) ok "Depends comes from shlibs ($dep)" ;;
*) nok "Depends comes from shlibs" "$dep" ;;
esac

timeout 600 lintian --fail-on error "$D/toivo_${version}_$arch.changes" > "$T/lint" 2>&1
rc=$?
grep -v 'running with root privileges' "$T/lint" | sed 's/^/# /'
[ "$rc" = 0 ] && ! grep -q '^E:' "$T/lint" && ok "lintian: no errors ($(grep -c '^W:' "$T/lint") warnings)" ||
	nok "lintian: no errors" "exit $rc; $(grep '^E:' "$T/lint")"

# apt resolves its dependencies (without installing it on this machine).
timeout 300 apt-get install -s "$deb" > "$T/apt" 2>&1 && grep -q '^Inst toivo ' "$T/apt" &&
	ok "apt install ./toivo_*.deb would install it" || nok "apt install ./toivo_*.deb would install it" "$(tail -5 "$T/apt")"

# The program from the package, in a scratch root, from a folder far from
# the clone: the released number, and a new course that builds and checks.
R=$T/root
dpkg-deb -x "$deb" "$R"
I=$R/usr/bin/toivo
v=$(timeout 10 "$I" --version)
[ "$v" = "toivo $release" ] && ok "packaged toivo --version says the release" || nok "packaged toivo --version says the release" "$v"
git_sandbox
mkdir -p "$T/away"
(cd "$T/away" && env -i HOME="$HOME" PATH=/usr/bin:/bin timeout 60 "$I" new c > /dev/null 2>&1 &&
	cd c && env -i HOME="$HOME" PATH=/usr/bin:/bin timeout 60 "$I" build > /dev/null 2>&1 &&
	env -i HOME="$HOME" PATH=/usr/bin:/bin timeout 60 "$I" check) > "$T/out" 2> "$T/err"
rc=$?
[ "$rc" = 0 ] && [ -f "$T/away/c/public/en/getting-started/first-lesson/index.html" ] &&
	ok "packaged toivo: new, build and check with no clone around" ||
	nok "packaged toivo: new, build and check with no clone around" "exit $rc; $(cat "$T/err")"
zcat "$R/usr/share/man/man1/toivo.1.gz" > "$T/toivo.1"
LC_ALL=C.UTF-8 timeout 60 man --warnings -l "$T/toivo.1" > /dev/null 2> "$T/man.err" && [ ! -s "$T/man.err" ] &&
	ok "packaged manual renders without warnings" || nok "packaged manual renders without warnings" "$(cat "$T/man.err")"
