#!/bin/sh
# t_search_browser.sh - the site search in Chromium (tests/browser/search.mjs):
# the query set of tests/search/queries.yaml (hits@3 >= 0.9 per language)
# from file://, a base path, a cold query's loads, failed shards, odd
# queries, ?q= and the suggestion.  Needs what browser_ready (lib.sh)
# checks; runs with the release build only.
. "$(dirname "$0")/lib.sh"

case "$TOIVO" in
*-asan)
	echo "ok - # SKIP the search in the browser runs only with the release build"
	exit 0
	;;
esac

browser_ready || exit 0

run_toivo build -s "$ROOT" -o "$T/pub"
if [ "$rc" != 0 ]; then
	nok "the course builds" "$(cat "$T/err")"
	exit 0
fi
timeout 300 node "$B/search.mjs" "$T/pub" "$ROOT/tests/search/queries.yaml"
rc=$?
[ "$rc" = 0 ] || nok "search.mjs ran to the end" "exit status $rc"
