#!/bin/sh
# t_browser.sh - the default theme in a real browser: Debian's chromium
# driven by npm playwright-core, accessibility checked with npm axe-core
# (versions pinned in tests/browser/package-lock.json, installed here with
# npm ci when missing).  The checks are in tests/browser/browser.mjs.
# Needs node, npm and /usr/bin/chromium: a missing one is a failure, never
# a skip.  Under the ASan build the browser part is skipped (it tests the
# theme, and the release build has just run it).
. "$(dirname "$0")/lib.sh"

case "$TOIVO" in
*-asan)
	echo "ok - # SKIP browser tests run only with the release build"
	exit 0
	;;
esac

CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
export CHROMIUM
missing=
for tool in node npm; do
	command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"
done
[ -x "$CHROMIUM" ] || missing="$missing $CHROMIUM"
if [ -n "$missing" ]; then
	nok "the browser tests have what they need" "missing:$missing (Debian: apt-get install chromium nodejs; npm comes with NodeSource's nodejs, else apt-get install npm)"
	exit 0
fi

major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null)
if [ "${major:-0}" -lt 20 ]; then
	nok "node is version 20 or later (playwright-core needs it)" "node $(node --version 2>&1)"
	exit 0
fi

B=$ROOT/tests/browser
if [ ! -f "$B/node_modules/playwright-core/package.json" ] || [ ! -f "$B/node_modules/axe-core/axe.min.js" ]; then
	if npm ci --prefix "$B" --no-audit --no-fund > "$T/npm.log" 2>&1; then
		ok "npm ci installs playwright-core and axe-core"
	else
		nok "npm ci installs playwright-core and axe-core" "$(tail -20 "$T/npm.log")"
		exit 0
	fi
fi

# A copy of the bundled course (the theme and hooks are built in), so the
# live-reload check can edit a page.
S=$T/site
mkdir -p "$S"
cp -R "$ROOT/content" "$ROOT/site.yaml" "$S/"
[ -d "$ROOT/static" ] && cp -R "$ROOT/static" "$S/"
[ -d "$ROOT/i18n" ] && cp -R "$ROOT/i18n" "$S/"

timeout 300 node "$B/browser.mjs" "$TOIVO" "$S" "$T/pub" "$T"
rc=$?
[ "$rc" = 0 ] || nok "browser.mjs ran to the end" "exit status $rc"
