#!/bin/sh
# t_reliability_serve.sh - toivo serve under pressure: with 300 idle
# connections open (on 127.0.0.1 only) a normal request is still answered;
# SIGTERM and Ctrl-C stop serve while a hook runs away.  No timing is
# asserted beyond generous wall-clock limits that today's failures exceed.
. "$(dirname "$0")/lib.sh"

if ! command -v curl >/dev/null 2>&1; then
	echo "ok - # SKIP toivo serve: curl is not installed"
	exit 0
fi
S=$T/s
new_site "$S"
PORT=$(free_port)
U=http://127.0.0.1:$PORT
# serve runs without timeout(1), which would send it a second signal; every
# wait below is bounded, and the EXIT trap kills what is left.
"$TOIVO" serve -s "$S" -o "$T/pub" --port "$PORT" > "$T/serve.out" 2> "$T/serve.err" &
PID=$!
trap 'kill -KILL $PID $IDLE 2>/dev/null; chmod -R u+w "$T" 2>/dev/null; rm -rf "$T"' EXIT
WAIT=60
if ! wait_for curl -sf -o /dev/null "$U/fi/"; then
	nok "serve answers after the first build" "$(cat "$T/serve.err")"
	kill "$PID"
	exit 0
fi

# 300 idle connections, held open by one helper for 30 s at most.
python3 - "$PORT" > "$T/idle.out" 2>&1 <<'PY' &
import socket, sys, time
socks = []
for i in range(300):
    s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5)
    socks.append(s)
print("open", len(socks), flush=True)
time.sleep(30)
PY
IDLE=$!
WAIT=20
wait_for grep -q '^open 300' "$T/idle.out"
code=$(curl -s -o "$T/body" -w '%{http_code}' --max-time 10 "$U/fi/mod/eka/")
if grep -q '^open 300' "$T/idle.out" && [ "$code" = 200 ] && grep -q '</html>' "$T/body"; then
	ok "a page is answered while 300 idle connections are open"
else
	nok "a page is answered while 300 idle connections are open" "status $code; $(cat "$T/idle.out")"
fi
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$U/en/")
[ "$code" = 200 ] && ok "and a second one" || nok "and a second one" "status $code"
kill "$IDLE" 2>/dev/null
wait "$IDLE" 2>/dev/null
kill -TERM "$PID"
i=0
while kill -0 "$PID" 2>/dev/null && [ "$i" -lt 300 ]; do
	sleep 0.1
	i=$((i + 1))
done
kill -KILL "$PID" 2>/dev/null
wait "$PID"
rc=$?
[ "$rc" = 0 ] && ok "serve stops with SIGTERM after the pressure" || nok "serve stops with SIGTERM after the pressure" "exit $rc"

# stopped_within SIGNAL: serve with a hook that runs away (it would run
# for minutes: its limits are raised to the maximum) stops on SIGNAL.
stops() {
	sig=$1
	mkdir -p "$S/lua"
	printf 'return { codeblocks = { spin = function(b)\nlocal co = coroutine.create(function() while true do pcall(function() while true do end end) end end)\ncoroutine.resume(co)\nend } }\n' > "$S/lua/spin.lua"
	printf -- '---\ntitle: "Eka"\nweight: 1\n---\n\n```spin\nx\n```\n' > "$S/content/mod/eka.fi.md"
	printf '%s\nhooks:\n  instructions: 2000000000\n  seconds: 300\n' "$(cat "$T/site.yaml")" > "$S/site.yaml"
	PORT=$(free_port)
	"$TOIVO" serve -s "$S" --port "$PORT" > "$T/serve.out" 2> "$T/serve.err" &
	PID=$!
	WAIT=30
	wait_for grep -q 'serves' "$T/serve.err"
	sleep 1         # the first build is in the hook now
	kill "-$sig" "$PID"
	i=0
	while kill -0 "$PID" 2>/dev/null && [ "$i" -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	if kill -0 "$PID" 2>/dev/null; then
		nok "SIG$sig stops serve while a hook runs away" "still running 10 s later; $(tail -5 "$T/serve.err")"
		kill -KILL "$PID"
		wait "$PID"
	else
		wait "$PID"
		rc=$?
		cp "$T/serve.err" "$T/serve-$sig.err"
		n=$(grep -c 'error' "$T/serve.err")
		if [ "$rc" -lt 128 ] && [ "$n" -le 2 ]; then
			ok "SIG$sig stops serve while a hook runs away"
		else
			nok "SIG$sig stops serve while a hook runs away" "exit $rc, $n error lines: $(cat "$T/serve.err")"
		fi
	fi
}
cp "$S/site.yaml" "$T/site.yaml"
stops TERM
stops INT
