#!/bin/sh
# deps.sh - makes sure the Debian packages toivo builds with are installed.
# Installs the missing ones with apt-get when it may (root, or sudo without a
# password); otherwise prints the exact command and fails.
pkgs="pkg-config libcmark-gfm-dev libcmark-gfm-extensions-dev liblua5.4-dev libgit2-dev libyaml-dev libmicrohttpd-dev libjansson-dev"
# search: Voikko and its Finnish dictionary, Snowball stemmers
pkgs="$pkgs libvoikko-dev voikko-fi libstemmer-dev"
# the release build's allocator (see docs/hacking.md, "Memory")
pkgs="$pkgs libjemalloc-dev"
[ -n "$TOIVO_EXTRA_PKGS" ] && pkgs="$pkgs $TOIVO_EXTRA_PKGS"
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "toivo: installing missing packages:$missing" >&2
if [ "$(id -u)" = 0 ]; then
	run=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
	run="sudo -n"
else
	echo "toivo: error: missing packages:$missing" >&2
	echo "toivo: run: sudo apt-get install -y$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$run apt-get install -y -q $missing >&2 || {
	$run apt-get update -q >&2 && $run apt-get install -y -q $missing >&2
} || {
	echo "toivo: error: apt-get could not install:$missing" >&2
	echo "toivo: run: sudo apt-get update && sudo apt-get install -y$missing" >&2
	exit 1
}
