#!/bin/sh
# t_serve_script.sh - the live-reload script is a file of the default theme
# (themes/default/serve/reload.js): toivo serve answers /__toivo/reload.js
# with it, whatever theme the site uses, and toivo build never puts it (or
# any /__toivo/ address) into the output.
. "$(dirname "$0")/lib.sh"

if ! command -v curl >/dev/null 2>&1; then
	echo "ok - # SKIP toivo serve's script: curl is not installed"
	exit 0
fi
JS=$ROOT/themes/default/serve/reload.js

# serve_script SITE NAME: serves SITE, fetches the script into $T/NAME.js
# and stops the server; $code is the status, $rc the server's exit status.
serve_script() {
	port=$(free_port)
	# --foreground: timeout passes SIGINT on to serve once, not also to its
	# process group (a second SIGINT stops serve at once, with status 130).
	timeout --foreground 120 "$TOIVO" serve -s "$1" -o "$T/$2-pub" --port "$port" > "$T/$2.out" 2> "$T/$2.err" &
	pid=$!
	WAIT=60
	code=000
	script_ready() {
		code=$(curl -s --max-time 10 -o "$T/$2.js" -w '%{http_code}' "http://127.0.0.1:$port/__toivo/reload.js")
		[ "$code" = 200 ]
	}
	wait_for script_ready "$1" "$2"
	# The script does not wait for the first build; the stop does.
	WAIT=60
	wait_for grep -q 'pages in' "$T/$2.err"
	kill -INT "$pid" 2>/dev/null
	wait "$pid"
	rc=$?
}

# --- a build leaves it out ----------------------------------------------------
S=$T/s
new_site "$S"
run_toivo build -s "$S" -o "$T/built"
[ "$rc" = 0 ] && [ -f "$T/built/assets/style.css" ] && [ -z "$(find "$T/built" -name 'reload.js')" ] &&
	! grep -rq '__toivo' "$T/built" &&
	ok "a build with the built-in theme has no reload script" ||
	nok "a build with the built-in theme has no reload script" "exit $rc; $(cat "$T/err"; find "$T/built" -name 'reload.js')"

# A site with its own copy of the default theme (as the bundled course).
O=$T/own
new_site "$O"
mkdir -p "$O/themes"
cp -R "$ROOT/themes/default" "$O/themes/default"
run_toivo build -s "$O" -o "$T/own-out"
[ "$rc" = 0 ] && [ -f "$T/own-out/assets/style.css" ] && [ -z "$(find "$T/own-out" -name 'reload.js')" ] &&
	! grep -rq '__toivo' "$T/own-out" &&
	ok "a build with the site's own default theme has no reload script" ||
	nok "a build with the site's own default theme has no reload script" "exit $rc; $(find "$T/own-out" -name 'reload.js')"

# --- serve reads it -------------------------------------------------------------
serve_script "$S" builtin
[ "$code" = 200 ] && cmp -s "$JS" "$T/builtin.js" &&
	ok "serve answers with the built-in themes/default/serve/reload.js" ||
	nok "serve answers with the built-in themes/default/serve/reload.js" "status $code; $(cat "$T/builtin.err")"
[ "$rc" = 0 ] && ok "...and stops cleanly" || nok "...and stops cleanly" "exit $rc; $(tail -20 "$T/builtin.err")"

# The site's own default theme: its copy is used (edits show up).
printf '/* the site own copy */\n' >> "$O/themes/default/serve/reload.js"
serve_script "$O" own
[ "$code" = 200 ] && cmp -s "$O/themes/default/serve/reload.js" "$T/own.js" &&
	ok "serve answers with the site's own themes/default/serve/reload.js" ||
	nok "serve answers with the site's own themes/default/serve/reload.js" "status $code; $(cat "$T/own.err")"

# Another theme, with no serve/ folder: the default theme's script.
A=$T/other
new_site "$A"
mkdir -p "$A/themes"
cp -R "$ROOT/themes/default" "$A/themes/plain"
rm -r "$A/themes/plain/serve"
printf 'theme: plain\n' >> "$A/site.yaml"
serve_script "$A" other
[ "$code" = 200 ] && cmp -s "$JS" "$T/other.js" && grep -q 'pages in' "$T/other.err" &&
	ok "a site with another theme gets the default theme's script" ||
	nok "a site with another theme gets the default theme's script" "status $code; $(cat "$T/other.err")"

# A script that leads out of the site is refused, with one clear message.
L=$T/link
new_site "$L"
mkdir -p "$L/themes/default/serve"
printf 'alert(1)\n' > "$T/outside.js"
ln -s "$T/outside.js" "$L/themes/default/serve/reload.js"
timeout 60 "$TOIVO" serve -s "$L" --port "$(free_port)" > "$T/link.out" 2> "$T/link.err"
rc=$?
[ "$rc" = 1 ] && grep -q 'themes/default/serve/reload.js.*error: cannot read the live-reload script' "$T/link.err" &&
	[ "$(grep -c 'error:' "$T/link.err")" = 1 ] &&
	ok "a script outside the site stops serve with one message" ||
	nok "a script outside the site stops serve with one message" "exit $rc; $(cat "$T/link.err")"
exit 0
