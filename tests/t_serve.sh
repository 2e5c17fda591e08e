#!/bin/sh
# t_serve.sh - toivo serve: HTTP, safety, live reload, errors, shutdown.
. "$(dirname "$0")/lib.sh"

if ! command -v curl >/dev/null 2>&1; then
	echo "ok - # SKIP toivo serve: curl is not installed"
	exit 0
fi

# get URL...: status in $code, body in $T/body, headers in $T/hdr.
get() {
	code=$(curl -s --path-as-is --max-time 10 -o "$T/body" -D "$T/hdr" -w '%{http_code}' "$@")
}

page_has() { get "$1"; [ "$code" = 200 ] && grep -q -- "$2" "$T/body"; }
sse_has() { grep -q -- "$2" "$1"; }

# The page as written on disk, without the injected script (for comparing).
strip_script() { sed 's#<script src="/__toivo/reload.js" data-toivo-gen="[^"]*"></script>##' "$1" | tr -d '\n'; }

# --- usage errors ------------------------------------------------------------
for bad in "--port 0" "--port abc" "--port 70000" "--port" "--bind nonsense" "--frobnicate"; do
	# shellcheck disable=SC2086
	run_toivo serve $bad
	[ "$rc" = 2 ] && ok "serve $bad exits 2" || nok "serve $bad exits 2" "exit $rc; $(cat "$T/err")"
done
run_toivo serve -s "$T/nosite" --port "$(free_port)"
[ "$rc" = 1 ] && grep -q 'site.yaml not found' "$T/err" && ok "serve without a site exits 1" ||
	nok "serve without a site exits 1" "exit $rc; $(cat "$T/err")"

# An output folder inside a watched folder would rebuild for ever.
new_site "$T/w"
for o in content/pub static themes lua; do
	run_toivo serve -s "$T/w" -o "$T/w/$o" --port "$(free_port)"
	[ "$rc" = 2 ] && grep -q 'inside a folder that is watched' "$T/err" && ok "serve -o $o (watched) exits 2" ||
		nok "serve -o $o (watched) exits 2" "exit $rc; $(cat "$T/err")"
done

# --- start -------------------------------------------------------------------
S=$T/s
new_site "$S"
printf 'TOPSECRET\n' > "$T/secret.txt"
OUT=$T/pub
PORT=$(free_port)
U=http://127.0.0.1:$PORT
"$TOIVO" serve -s "$S" -o "$OUT" --port "$PORT" > "$T/serve.out" 2> "$T/serve.err" &
PID=$!
WAIT=30
if wait_for page_has "$U/fi/" "</html>"; then
	ok "serve answers after the first build"
else
	nok "serve answers after the first build" "$(cat "$T/serve.err")"
	kill "$PID" 2>/dev/null
	exit 0
fi
WAIT=2

# --- pages and types ---------------------------------------------------------
get "$U/"
if { [ "$code" = 200 ] && grep -q 'url=fi/index.html' "$T/body"; } || [ "$code" = 301 ] || [ "$code" = 302 ]; then
	ok "GET / leads to the default language"
else
	nok "GET / leads to the default language" "status $code"
fi
get "$U/fi/mod/eka/"
[ "$code" = 200 ] && ok "a page is served" || nok "a page is served" "status $code"
grep -qi '^content-type: text/html; charset=utf-8' "$T/hdr" && ok "HTML is text/html; charset=utf-8" ||
	nok "HTML is text/html; charset=utf-8" "$(cat "$T/hdr")"
grep -q '<script src="/__toivo/reload.js" data-toivo-gen="[^"]*"></script>' "$T/body" &&
	ok "the reload script is injected" || nok "the reload script is injected" "$(tail -5 "$T/body")"
grep -q 'Toivon löytäminen' "$T/body" && ok "UTF-8 text served as is" || nok "UTF-8 text served as is"
[ "$(grep -c '/__toivo/reload.js' "$T/body")" = 1 ] && ok "the script is injected once" || nok "the script is injected once"
[ "$(strip_script "$T/body")" = "$(strip_script "$OUT/fi/mod/eka/index.html")" ] &&
	ok "served page is the built page plus the script" || nok "served page is the built page plus the script"
grep -q 'data-toivo-gen' "$OUT/fi/mod/eka/index.html" && nok "the script is added when serving, not in the built file" ||
	ok "the script is added when serving, not in the built file"
GEN=$(sed -n 's/.*data-toivo-gen="\([^"]*\)".*/\1/p' "$T/body" | head -1)

get "$U/fi"
{ [ "$code" = 301 ] || [ "$code" = 302 ] || [ "$code" = 308 ]; } && grep -qi '^location: /fi/' "$T/hdr" &&
	ok "/fi redirects to /fi/" || nok "/fi redirects to /fi/" "status $code; $(cat "$T/hdr")"
get "$U/fi/mod/eka/index.html"
[ "$code" = 200 ] && ok "index.html by name" || nok "index.html by name" "status $code"
get "$U/assets/style.css"
[ "$code" = 200 ] && grep -qi '^content-type: text/css; charset=utf-8' "$T/hdr" && ok "CSS content type" ||
	nok "CSS content type" "status $code; $(cat "$T/hdr")"
get "$U/sitemap.xml"
grep -qi '^content-type: application/xml; charset=utf-8' "$T/hdr" && ok "XML content type" || nok "XML content type" "$(cat "$T/hdr")"
get "$U/__toivo/reload.js"
[ "$code" = 200 ] && grep -qi '^content-type: text/javascript; charset=utf-8' "$T/hdr" && grep -q 'EventSource' "$T/body" &&
	ok "reload.js served from memory" || nok "reload.js served from memory" "status $code"
grep -q 'textContent' "$T/body" && ! grep -q 'innerHTML' "$T/body" && ok "overlay text is escaped (textContent)" ||
	nok "overlay text is escaped (textContent)"

# Other content types, through static/ files copied into the output.
mkdir -p "$S/static/f"
for e in svg png jpg webp pdf json txt woff2 js; do printf 'x' > "$S/static/f/a.$e"; done
WAIT=5
if wait_for page_has "$U/f/a.txt" x; then
	bad=
	for pair in "svg image/svg+xml" "png image/png" "jpg image/jpeg" "webp image/webp" "pdf application/pdf" \
		"json application/json" "txt text/plain; charset=utf-8" "woff2 font/woff2" "js text/javascript; charset=utf-8"; do
		e=${pair%% *}
		t=${pair#* }
		get "$U/f/a.$e"
		grep -qi "^content-type: $t" "$T/hdr" || bad="$bad $e"
	done
	[ -z "$bad" ] && ok "content types of svg png jpg webp pdf json txt woff2 js" || nok "content types" "wrong for:$bad"
else
	nok "static files served after being added" "status $code"
fi
WAIT=2

# --- methods -----------------------------------------------------------------
code=$(curl -s -o "$T/body" -D "$T/hdr" -w '%{http_code}' -X POST -d 'a=1' "$U/fi/")
[ "$code" = 405 ] && grep -qi '^allow: GET, HEAD' "$T/hdr" && ok "POST gets 405 with Allow" || nok "POST gets 405 with Allow" "status $code"
code=$(curl -s -o /dev/null -w '%{http_code}' -X DELETE "$U/fi/")
[ "$code" = 405 ] && ok "DELETE gets 405" || nok "DELETE gets 405" "status $code"
code=$(curl -s -I -o "$T/hdr" -w '%{http_code} %{size_download}' "$U/fi/mod/eka/")
[ "$code" = "200 0" ] && grep -qi '^content-length: [1-9]' "$T/hdr" && ok "HEAD: headers with the length, no body" ||
	nok "HEAD: headers with the length, no body" "$code; $(cat "$T/hdr")"

# --- paths outside the output ------------------------------------------------
for p in "/../site.yaml" "/../../secret.txt" "/fi/../../site.yaml" "/%2e%2e/site.yaml" "/%2E%2E/%2e%2e/secret.txt" \
	"/fi/..%2f..%2fsite.yaml" "/%2e%2e%2f%2e%2e%2fsecret.txt" "/..%5c..%5csecret.txt" "/fi%00/index.html" \
	"/fi/index.html%00.css" "//etc/passwd" "/%2fetc%2fpasswd" "/..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd" \
	"/%252e%252e/site.yaml" "/fi/%zz"; do
	get "$U$p"
	if [ "$code" = 404 ] && ! grep -q 'TOPSECRET\|base_url\|root:x:' "$T/body"; then
		ok "404 and nothing outside OUT for $p"
	else
		nok "404 and nothing outside OUT for $p" "status $code; $(head -3 "$T/body")"
	fi
done
code=$(printf 'GET /../../secret.txt HTTP/1.0\r\n\r\n' | python3 -c '
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(sys.stdin.buffer.read())
data = b""
while True:
    d = s.recv(65536)
    if not d: break
    data += d
print(data.split(b" ")[1].decode(), "TOPSECRET" in data.decode("latin-1"))' "$PORT")
[ "$code" = "404 False" ] && ok "raw request line with .. gets 404" || nok "raw request line with .. gets 404" "$code"

# --- missing pages -----------------------------------------------------------
get "$U/en/no/such/page/"
[ "$code" = 404 ] && ok "missing page: 404" || nok "missing page: 404" "status $code"
[ "$(strip_script "$T/body")" = "$(strip_script "$OUT/en/404.html")" ] && ok "missing English page: the English 404 page" ||
	nok "missing English page: the English 404 page" "$(head -5 "$T/body")"
grep -q '/__toivo/reload.js' "$T/body" && ok "the 404 page has the reload script" || nok "the 404 page has the reload script"
get "$U/fi/ei-ole.png"
[ "$code" = 404 ] && [ "$(strip_script "$T/body")" = "$(strip_script "$OUT/fi/404.html")" ] &&
	ok "missing Finnish file: the Finnish 404 page" || nok "missing Finnish file: the Finnish 404 page" "status $code"
get "$U/nowhere"
[ "$code" = 404 ] && [ "$(strip_script "$T/body")" = "$(strip_script "$OUT/fi/404.html")" ] &&
	ok "missing path outside a language: the default language's 404" || nok "missing path outside a language: the default language's 404" "status $code"

# --- live reload -------------------------------------------------------------
curl -sN --max-time 6 "$U/__toivo/events?since=$GEN" > "$T/sse1" 2>/dev/null &
C1=$!
sleep 0.5
printf -- '---\ntitle: "Eka"\nweight: 1\n---\n\n## Toivon löytäminen\n\nMuutettu-4711.\n' > "$S/content/mod/eka.fi.md"
if wait_for page_has "$U/fi/mod/eka/" 'Muutettu-4711'; then
	ok "an edit is served within 2 s"
else
	nok "an edit is served within 2 s" "$(cat "$T/serve.err")"
fi
WAIT=5
wait_for sse_has "$T/sse1" '^event: reload' && ok "SSE stream gets event: reload" || nok "SSE stream gets event: reload" "$(cat "$T/sse1")"
kill "$C1" 2>/dev/null
wait "$C1" 2>/dev/null
get "$U/fi/mod/eka/"
NEWGEN=$(sed -n 's/.*data-toivo-gen="\([^"]*\)".*/\1/p' "$T/body" | head -1)
[ -n "$NEWGEN" ] && [ "$NEWGEN" != "$GEN" ] && ok "the page names the new build" || nok "the page names the new build" "$GEN -> $NEWGEN"
curl -sN --max-time 1 "$U/__toivo/events?since=$GEN" > "$T/sse0" 2>/dev/null
grep -q '^event: reload' "$T/sse0" && ok "a stream from an older page gets reload at once" || nok "a stream from an older page gets reload at once" "$(cat "$T/sse0")"
# One edit may come as several file events, and so as more than one build on
# a busy machine: wait until the build number has settled.
for i in 1 2 3 4 5; do
	sleep 0.7
	get "$U/fi/mod/eka/"
	G2=$(sed -n 's/.*data-toivo-gen="\([^"]*\)".*/\1/p' "$T/body" | head -1)
	[ "$G2" = "$NEWGEN" ] && break
	NEWGEN=$G2
done
curl -sN --max-time 1 "$U/__toivo/events?since=$NEWGEN" > "$T/sse0" 2>/dev/null
grep -q '^event:' "$T/sse0" && nok "a current page's stream stays quiet" "$(cat "$T/sse0")" || ok "a current page's stream stays quiet"

# A new folder is watched too.  (It comes in whole, with a lesson: an empty
# folder is its own case for the build.)
mkdir -p "$T/uusi"
printf -- '---\ntitle: "Uusi"\n---\n\nUusi-kansio-1.\n' > "$T/uusi/_index.fi.md"
printf -- '---\ntitle: "A"\nweight: 1\n---\n\nA.\n' > "$T/uusi/a.fi.md"
mv "$T/uusi" "$S/content/uusi"
WAIT=3
wait_for page_has "$U/fi/uusi/" 'Uusi-kansio-1' && ok "a folder moved into content/ is built" || nok "a folder moved into content/ is built" "status $code"
printf -- '---\ntitle: "B"\nweight: 2\n---\n\nUusi-sivu-2.\n' > "$S/content/uusi/b.fi.md"
wait_for page_has "$U/fi/uusi/b/" 'Uusi-sivu-2' && ok "a page added in the new folder is built (new folders are watched)" ||
	nok "a page added in the new folder is built (new folders are watched)" "status $code; $(tail -5 "$T/serve.err")"

# --- build errors ------------------------------------------------------------
get "$U/fi/mod/toka/"
cp "$T/body" "$T/toka.before"
curl -sN --max-time 8 "$U/__toivo/events?since=$NEWGEN" > "$T/sse2" 2>/dev/null &
C2=$!
sleep 0.5
cp "$S/content/mod/toka.fi.md" "$T/toka.bak"
printf -- '---\ntitle: "Toka"\nweight: 2\n\nEi <b>loppua</b>.\n' > "$S/content/mod/toka.fi.md"
WAIT=5
if wait_for sse_has "$T/sse2" '^event: error'; then
	ok "a failed build sends event: error"
else
	nok "a failed build sends event: error" "$(cat "$T/sse2")"
fi
grep -q '^data: content/mod/toka.fi.md:[0-9][0-9]*' "$T/sse2" && ok "the error event names path:line" ||
	nok "the error event names path:line" "$(cat "$T/sse2")"
get "$U/fi/mod/toka/"
[ "$code" = 200 ] && [ "$(strip_script "$T/body")" = "$(strip_script "$T/toka.before")" ] &&
	ok "the last good page is still served" || nok "the last good page is still served" "status $code"
curl -sN --max-time 1 "$U/__toivo/events?since=$NEWGEN" > "$T/sse0" 2>/dev/null
grep -q '^event: error' "$T/sse0" && grep -q '^data: content/mod/toka.fi.md:' "$T/sse0" &&
	ok "a tab opened after the failure gets the error at once" || nok "a tab opened after the failure gets the error at once" "$(cat "$T/sse0")"
cp "$T/toka.bak" "$S/content/mod/toka.fi.md"
printf -- '\nKorjattu-99.\n' >> "$S/content/mod/toka.fi.md"
wait_for sse_has "$T/sse2" '^event: reload' && ok "fixing it sends event: reload" || nok "fixing it sends event: reload" "$(cat "$T/sse2")"
wait_for page_has "$U/fi/mod/toka/" 'Korjattu-99' && ok "the fixed page is served" || nok "the fixed page is served"
kill "$C2" 2>/dev/null
wait "$C2" 2>/dev/null

# --- port in use ---------------------------------------------------------------
timeout 20 "$TOIVO" serve -s "$S" --port "$PORT" > "$T/out2" 2> "$T/err2"
rc=$?
[ "$rc" = 1 ] && [ "$(wc -l < "$T/err2")" = 1 ] && grep -q "port $PORT.*in use.*--port" "$T/err2" &&
	ok "port in use: exit 1 with one line naming the port and --port" || nok "port in use: exit 1" "exit $rc; $(cat "$T/err2")"

# --- shutdown ------------------------------------------------------------------
curl -sN --max-time 30 "$U/__toivo/events?since=x" > "$T/sse3" 2>/dev/null &
C3=$!
sleep 0.3
kill -TERM "$PID"
i=0
while kill -0 "$PID" 2>/dev/null && [ "$i" -lt 150 ]; do sleep 0.1; i=$((i + 1)); done
if kill -0 "$PID" 2>/dev/null; then
	nok "SIGTERM stops the server within 15 s (with an open event stream)"
	kill -KILL "$PID"
else
	ok "SIGTERM stops the server within 15 s (with an open event stream)"
fi
wait "$PID"
rc=$?
[ "$rc" = 0 ] && ok "serve exits 0 after SIGTERM (ASan: no leaks)" || nok "serve exits 0 after SIGTERM" "exit $rc; $(tail -30 "$T/serve.err")"
kill "$C3" 2>/dev/null
wait "$C3" 2>/dev/null

# SIGINT, with the default temporary output, which is removed.
PORT=$(free_port)
U=http://127.0.0.1:$PORT
"$TOIVO" serve -s "$S" --port "$PORT" > "$T/serve.out" 2> "$T/serve.err" &
PID=$!
WAIT=30
wait_for page_has "$U/fi/" "</html>" && ok "serve with a temporary output folder" || nok "serve with a temporary output folder" "$(cat "$T/serve.err")"
tmpout=$(sed -n 's/.*-> \(\/tmp\/toivo-serve-[^/]*\)\/public.*/\1/p' "$T/serve.err" | head -1)
kill -INT "$PID"
wait "$PID"
rc=$?
[ "$rc" = 0 ] && ok "serve exits 0 after SIGINT" || nok "serve exits 0 after SIGINT" "exit $rc; $(tail -30 "$T/serve.err")"
if [ -n "$tmpout" ]; then
	[ -e "$tmpout" ] && nok "the temporary output folder is removed" "$tmpout" || ok "the temporary output folder is removed"
fi
exit 0
