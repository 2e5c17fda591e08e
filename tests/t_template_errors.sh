#!/bin/sh
# t_template_errors.sh - `toivo template FILE [DATA]`: template syntax
# errors with file:line:col, runaway partial recursion, usage and data
# errors, and the spec's lenient partial rules (a missing partial renders as
# nothing here; a site build is strict, see t_build.sh).
. "$(dirname "$0")/lib.sh"
cd "$T" || exit 2

# expect_out WHAT EXPECTED ARGS...: toivo exits 0 and prints EXPECTED exactly.
expect_out() {
	what=$1
	want=$2
	shift 2
	run_toivo "$@"
	if [ "$rc" = 0 ] && [ "$(cat "$T/out"; echo x)" = "$(printf '%s' "$want"; echo x)" ]; then
		ok "$what"
	else
		nok "$what" "exit $rc; stdout: $(cat "$T/out"); stderr: $(cat "$T/err")"
	fi
}

printf 'line one\n<p>{{#x}}y</p>\n' > unclosed.mustache
expect_fail "unclosed section" "^unclosed.mustache:2:4: error: section 'x' is never closed" \
	template unclosed.mustache

printf '{{#a}}\n  {{#b}}x{{/a}}\n{{/b}}\n' > mismatch.mustache
expect_fail "mismatched closing tag" \
	"^mismatch.mustache:2:10: error: closing tag 'a' does not match open section 'b' \(opened at line 2\)" \
	template mismatch.mustache

printf 'text {{/x}}\n' > unopened.mustache
expect_fail "closing tag without a section" "^unopened.mustache:1:6: error: closing tag 'x'" \
	template unopened.mustache

printf 'ok\n  {{name\n' > opentag.mustache
expect_fail "tag without its closing delimiter" "^opentag.mustache:2:3: error: tag opened with '\{\{' is never closed" \
	template opentag.mustache

printf 'a\n{{=<%% %%>}}\n' > delim1.mustache
expect_fail "set-delimiter tag without its closing '='" "^delim1.mustache:2:1: error: bad set-delimiter tag" \
	template delim1.mustache
printf '{{=<%%%%>=}}\n' > delim2.mustache
expect_fail "set-delimiter tag with one delimiter" "^delim2.mustache:1:1: error: bad set-delimiter tag" \
	template delim2.mustache

printf '{{#a}}{{/b}}\n{{> fine}}{{#c}}\n' > several.mustache
run_toivo template several.mustache
n=$(grep -c 'error:' "$T/err")
if [ "$rc" = 1 ] && [ "$n" -ge 2 ] && grep -q "^several.mustache:2:11: error: section 'c' is never closed" "$T/err"; then
	ok "every syntax error of a template is reported"
else
	nok "every syntax error of a template is reported" "exit $rc; stderr: $(cat "$T/err")"
fi

printf 'head\n{{> bad}}\n' > usesbad.mustache
printf 'x\n\n{{^y}}\n' > bad.mustache
expect_fail "syntax error in a partial names the partial" "^\./bad.mustache:3:1: error: section 'y' is never closed|^bad.mustache:3:1: error: section 'y' is never closed" \
	template usesbad.mustache

# A partial that includes itself is legal Mustache; without end it stops.
printf 'x{{> self}}\n' > self.mustache
start=$(date +%s)
expect_fail "partial including itself without end" \
	"^self.mustache:1:2: error: partials nested more than 100 deep" template self.mustache
[ $(( $(date +%s) - start )) -le 10 ] && ok "runaway partial recursion stops quickly" ||
	nok "runaway partial recursion stops quickly"
if [ ! -s "$T/out" ]; then ok "no output after a rendering error"; else nok "no output after a rendering error"; fi
printf '{{<loop}}{{/loop}}\n' > loop.mustache
expect_fail "parent including itself without end" "error: partials nested more than 100 deep" \
	template loop.mustache

# Recursion that ends is fine: a tree rendered by a partial of itself (the
# leaves need "kids": [], or {{#kids}} would find their parent's kids).
printf '{{name}}{{#kids}}({{> node}}){{/kids}}' > node.mustache
printf '{"name": "a", "kids": [{"name": "b", "kids": [{"name": "c", "kids": []}]}, {"name": "d", "kids": []}]}\n' > tree.json
expect_out "partial recursion that ends" "a(b(c))(d)" template node.mustache tree.json

# The spec's lenient rule: a missing partial renders as nothing.
printf 'A{{> nosuch}}B\n' > missing.mustache
expect_out "missing partial renders as nothing" "AB
" template missing.mustache
printf 'A{{<nosuch}}{{$x}}y{{/x}}{{/nosuch}}B' > missingparent.mustache
expect_out "missing parent renders as nothing" "AB" template missingparent.mustache

# Partials: beside the template, with its extension.
mkdir -p sub
printf '[{{> part}}]' > sub/page.html
printf 'html part {{v}}' > sub/part.html
printf 'mustache part' > sub/part.mustache
printf 'v: "<b>"\n' > data.yaml
expect_out "partials are looked up beside FILE with FILE's extension" "[html part &lt;b&gt;]" \
	template sub/page.html data.yaml

# Usage and data errors.
run_toivo template
if [ "$rc" = 2 ] && grep -q '^usage: toivo template FILE \[DATA\]' "$T/err"; then
	ok "no arguments: usage, exit 2"
else
	nok "no arguments: usage, exit 2" "exit $rc; stderr: $(cat "$T/err")"
fi
run_toivo template a b c
[ "$rc" = 2 ] && ok "too many arguments: exit 2" || nok "too many arguments: exit 2" "exit $rc"
expect_fail "missing template file" "^nosuch.mustache: error: cannot read the template" \
	template nosuch.mustache
printf 'title: [unclosed\nx: 1\n' > bad.yaml
expect_fail "bad YAML data names the data file, line and column" "^bad.yaml:[0-9]+:[0-9]+: error: " \
	template missing.mustache bad.yaml
expect_fail "missing data file" "nosuch.yaml.*error|error.*nosuch.yaml" \
	template missing.mustache nosuch.yaml

# Data: JSON as well as YAML; without DATA an empty map.
printf '{"s": "a\\"b\\u00e4\\n", "n": 1.5, "i": 3, "z": null, "t": true, "o": {"l": [1, "x"]}}\n' > d.json
printf '{{{s}}}|{{s}}|{{n}}|{{i}}|{{z}}|{{t}}|{{#o.l}}{{.}};{{/o.l}}' > d.mustache
expect_out "JSON data" 'a"bä
|a&quot;bä
|1.5|3||true|1;x;' template d.mustache d.json
printf 'Hello{{#x}} never{{/x}}{{^x}}, world{{/x}}' > nodata.mustache
expect_out "no DATA: an empty map" "Hello, world" template nodata.mustache
