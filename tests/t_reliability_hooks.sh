#!/bin/sh
# t_reliability_hooks.sh - a hook's budget cannot be caught: once its
# instructions or its seconds are spent, every further instruction fails,
# in pcall, xpcall and its message handler, coroutines, __close and
# __tostring; one error names the page, the hook and the budget.  Warnings
# of one hook call are capped.
. "$(dirname "$0")/lib.sh"

S=$T/s
new_site "$S"
mkdir -p "$S/lua"
printf -- '---\ntitle: "Eka"\nweight: 1\n---\n\n```bad\nx\n```\n' > "$S/content/mod/eka.fi.md"
CONF=$(cat "$S/site.yaml")

# runaway WHAT PATTERN LUA: the block's hook runs LUA; the build must fail
# (within the wall-clock limit of run_toivo) with one error at the block
# naming the hook and PATTERN.
runaway() {
	printf 'return { codeblocks = { bad = function(block)\n%s\nend } }\n' "$3" > "$S/lua/bad.lua"
	run_toivo build -s "$S"
	n=$(grep -c ': error: ' "$T/err")
	if [ "$rc" = 1 ] && [ "$n" = 1 ] &&
	   grep -q 'content/mod/eka.fi.md:6: error: lua/bad.lua:[0-9]*: .*codeblocks\.bad' "$T/err" &&
	   grep -Eq -- "$2" "$T/err"; then
		ok "$1"
	else
		nok "$1" "exit $rc, $n errors; stderr: $(head -c 1500 "$T/err")"
	fi
}

STOP='hook stopped after 50000000 instructions: it probably loops without end .*hooks\.instructions'
runaway "a pcall loop inside a coroutine stops" "$STOP" '
local co = coroutine.create(function() while true do pcall(function() while true do end end) end end)
coroutine.resume(co)'
runaway "an xpcall whose message handler loops stops" "$STOP" '
xpcall(function() error("x") end, function() while true do end end)'
runaway "a message handler that loops over pcall stops" "$STOP" '
xpcall(function() error("x") end, function() while true do pcall(function() while true do end end) end end)'
runaway "a pcall loop around a coroutine.wrap function stops" "$STOP" '
local f = coroutine.wrap(function() while true do pcall(function() while true do end end) end end)
while true do pcall(f) end'
runaway "nested coroutines resumed in pcall loops stop" "$STOP" '
local inner = coroutine.create(function() while true do pcall(function() while true do end end) end end)
local outer = coroutine.create(function() while true do pcall(coroutine.resume, inner) end end)
while true do pcall(coroutine.resume, outer) end'
runaway "a looping __close under pcall stops" "$STOP" '
while true do
  pcall(function()
    local x <close> = setmetatable({}, {__close = function() while true do end end})
    while true do end
  end)
end'
runaway "an error object whose __tostring loops stops" "$STOP" '
error(setmetatable({}, {__tostring = function() while true do end end}))'
runaway "coroutine.close of a coroutine with a looping __close stops" "$STOP" '
local co = coroutine.create(function()
  local x <close> = setmetatable({}, {__close = function() while true do pcall(function() while true do end end) end end})
  coroutine.yield()
end)
coroutine.resume(co)
while true do pcall(coroutine.close, co) end'
# Filling 256 MiB takes seconds on a busy machine (more under ASan): the
# wall-clock limit must not come first.
printf '%s\nhooks:\n  seconds: 300\n' "$CONF" > "$S/site.yaml"
runaway "a memory bomb caught by pcall in a coroutine stops" 'hook used more than 256 MiB of memory' '
local co = coroutine.wrap(function()
  local t = {}
  while true do pcall(function() for i = 1, 1e9 do t[#t + 1] = ("x"):rep(1 << 20) .. i end end) end
end)
while true do pcall(co) end'
printf '%s\n' "$CONF" > "$S/site.yaml"

# --- warnings per hook call ------------------------------------------------------
printf 'return { codeblocks = { bad = function(block)\nfor i = 1, 200 do toivo.warn(("w"):rep(1 << 16)) print(("p"):rep(1 << 16)) end\nreturn "<p>x</p>"\nend } }\n' > "$S/lua/bad.lua"
run_toivo build -s "$S"
size=$(wc -c < "$T/err")
if [ "$rc" = 0 ] && [ "$size" -lt 100000 ] &&
   grep -q 'content/mod/eka.fi.md:6: warning: 380 more messages of this hook call not shown' "$T/err" &&
   grep -q 'more bytes not shown' "$T/err"; then
	ok "a flood of 64 KB warnings is capped in count and length, with one line for the rest"
else
	nok "a flood of 64 KB warnings is capped in count and length, with one line for the rest" "exit $rc, $size bytes; $(tail -c 600 "$T/err")"
fi

# --- the wall-clock limit ------------------------------------------------------
printf '%s\nhooks:\n  instructions: 2000000000\n  seconds: 1\n' "$CONF" > "$S/site.yaml"
runaway "the wall-clock limit stops a hook with a big instruction budget" \
	'hook stopped after 1(\.0)? seconds: .*hooks\.seconds in site\.yaml' '
while true do pcall(function() while true do end end) end'

# --- the limits in site.yaml are checked -------------------------------------------
printf 'return { codeblocks = { bad = function(block) return "<p>x</p>" end } }\n' > "$S/lua/bad.lua"
for bad in 'seconds: 0' 'seconds: 100000' 'seconds: "x"' 'instructions: 10' 'instructions: 2500000.5'; do
	printf '%s\nhooks:\n  %s\n' "$CONF" "$bad" > "$S/site.yaml"
	expect_fail "hooks.$bad in site.yaml is refused at its line" 'site.yaml:[0-9]+:[0-9]+: error: hooks\.(seconds|instructions) must be' build -s "$S"
done
printf '%s\nhooks:\n  seconds: 30\n  instructions: 100000000\n' "$CONF" > "$S/site.yaml"
run_toivo build -s "$S"
if [ "$rc" = 0 ] && grep -q '<p>x</p>' "$S/public/fi/mod/eka/index.html"; then
	ok "limits within bounds are accepted"
else
	nok "limits within bounds are accepted" "exit $rc; $(cat "$T/err")"
fi
