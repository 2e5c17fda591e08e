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

browser_ready || exit 0

# A copy of the bundled course (the theme and hooks are built in), so the
# live-reload check can edit a page.
S=$T/site
mkdir -p "$S"
cp -R "$ROOT/content" "$ROOT/site.yaml" "$S/"
[ -d "$ROOT/static" ] && cp -R "$ROOT/static" "$S/"
[ -d "$ROOT/i18n" ] && cp -R "$ROOT/i18n" "$S/"

timeout 1200 node "$B/browser.mjs" "$TOIVO" "$S" "$T/pub" "$T"
rc=$?
[ "$rc" = 0 ] || nok "browser.mjs ran to the end" "exit status $rc"
