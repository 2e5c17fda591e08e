#!/bin/sh
# t_search_browser.sh - the site search in Chromium (tests/browser/search.mjs):
# the query set of tests/search/queries.yaml (hits@3 >= 0.9 per language)
# from file://, a base path, a cold query's loads, failed shards, odd
# queries, ?q= and the suggestion.  Needs node, npm and /usr/bin/chromium as
# t_browser.sh does; runs with the release build only.
. "$(dirname "$0")/lib.sh"

case "$TOIVO" in
*-asan)
	echo "# SKIP browser tests run only with the release build"
	exit 0
	;;
esac

CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
export CHROMIUM
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1 || ! [ -x "$CHROMIUM" ]; then
	nok "the search browser tests have what they need" "node, npm and $CHROMIUM (apt-get install chromium nodejs npm)"
	exit 0
fi
B=$ROOT/tests/browser
if [ ! -f "$B/node_modules/playwright-core/package.json" ]; then
	if ! npm ci --prefix "$B" --no-audit --no-fund > "$T/npm.log" 2>&1; then
		nok "npm ci installs playwright-core" "$(tail -20 "$T/npm.log")"
		exit 0
	fi
fi

run_toivo build -s "$ROOT" -o "$T/pub"
if [ "$rc" != 0 ]; then
	nok "the course builds" "$(cat "$T/err")"
	exit 0
fi
timeout 300 node "$B/search.mjs" "$T/pub" "$ROOT/tests/search/queries.yaml"
rc=$?
[ "$rc" = 0 ] || nok "search.mjs ran to the end" "exit status $rc"
