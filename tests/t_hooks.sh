#!/bin/sh
# t_hooks.sh - Lua hooks: the contract (block fields, page and done hooks,
# toivo.* functions), the sandbox and its limits, data files, and the
# built-in table, chart, quotes, quote and planform blocks.
. "$(dirname "$0")/lib.sh"

S=$T/s
new_site "$S"
mkdir -p "$S/lua" "$S/content/data"
P=$S/public
NB=$(printf '\302\240')   # the no-break space between thousands in Finnish
FI=$P/fi/mod/eka/index.html
EN=$P/en/module/first/index.html

# page_fi BODY: the Finnish lesson with BODY after the front matter; its
# first body line is line 6 of content/mod/eka.fi.md.
page_fi() {
	printf -- '---\ntitle: "Eka"\nweight: 1\ndescription: "alku"\n---\n%s\n' "$1" > "$S/content/mod/eka.fi.md"
}
page_en() {
	printf -- '---\ntitle: "First"\nslug: first\nweight: 1\n---\n%s\n' "$1" > "$S/content/mod/eka.en.md"
}
reset_pages() {
	page_fi 'Teksti.'
	page_en 'Text.'
	rm -f "$S/lua/"*.lua
}

# bad_hook WHAT PATTERN LUA: a code block `bad` on line 6 whose hook runs LUA;
# the build must fail within seconds naming the page line and the Lua line.
bad_hook() {
	reset_pages
	printf 'return { codeblocks = { bad = function(block)\n%s\nend } }\n' "$3" > "$S/lua/bad.lua"
	page_fi '```bad
x
```'
	start=$(date +%s)
	run_toivo build -s "$S"
	secs=$(($(date +%s) - start))
	if [ "$rc" = 1 ] && grep -q 'content/mod/eka.fi.md:6: error: lua/bad.lua:[0-9]*: ' "$T/err" &&
	   grep -Eq -- "$2" "$T/err" && [ "$secs" -lt 20 ]; then
		ok "$1"
	else
		nok "$1" "exit $rc after ${secs}s; stderr: $(head -c 2000 "$T/err")"
	fi
}

# --- the block's fields -----------------------------------------------------
reset_pages
cat > "$S/lua/probe.lua" <<'LUA'
-- Prints every field a code block gets.
local function probe(b)
  local p, s = b.page, b.site
  return string.format('<p class="probe">text=[%s] info=[%s] line=%d title=%s lang=%s url=%s path=%s param=%s site=%s langs=%s base=%s</p>',
    toivo.escape(b.text), toivo.escape(b.info), b.line, p.title, p.lang, p.url, p.path,
    tostring(p.params.custom), s.title, table.concat(s.languages, "+"), s.base_url)
end
return {
  codeblocks = {
    probe = probe,
    nothing = function(b) return nil end,
    md = function(b) return toivo.markdown("*em* <b>x</b>") end,
    t = function(b) return "<p>t=" .. toivo.t("hooks_total") .. " missing=" .. tostring(toivo.t("no_such_key_xyz")) .. "</p>" end,
    num = function(b)
      return "<p>n=" .. toivo.format_number(1234567.891, 2) .. "|" .. toivo.format_number(-0.5, 1) .. "|" .. toivo.format_number(12) .. "</p>"
    end,
    yml = function(b)
      local y = toivo.yaml(b.text)
      return "<p>yaml=" .. y.a .. "," .. y.list[2] .. "," .. table.concat(toivo.keys(y.map), ",") .. "</p>"
    end,
    warn = function(b) toivo.warn("careful here") return "" end,
    rows = function(b)
      local rows = toivo.yaml(b.text)
      local function ids(list)
        local out = {}
        for _, r in ipairs(list) do out[#out + 1] = toivo.text(r.id) end
        return table.concat(out, "+")
      end
      return "<p>text=" .. toivo.text(nil) .. "|" .. toivo.text(2011.0) .. "|" .. toivo.text(2.5) .. "|" ..
        toivo.text(true) .. "|" .. toivo.text("x") ..
        " all=" .. ids(toivo.rows(rows)) ..
        " where=" .. ids(toivo.rows(rows, {year = 2011})) ..
        " where2=" .. ids(toivo.rows(rows, {year = "2011", town = "Pori"})) ..
        " exclude=" .. ids(toivo.rows(rows, nil, {town = {"Pori", "Turku"}})) ..
        " exclude1=" .. ids(toivo.rows(rows, {year = 2012}, {town = "Pori"})) ..
        " empty=" .. ids(toivo.rows(rows, {town = ""})) .. "</p>"
    end,
  },
}
LUA
page_fi '```probe {.x} extra
a < b
```

```nothing
left as code
```

```md
```

```t
```

```num
```

```yml
a: one
list: [x, y]
map: {zeta: 1, alpha: 2, mid: 3}
```

```warn
```

```rows
- {id: 1, year: 2011.0, town: Pori}
- {id: 2, year: 2011, town: Turku}
- {id: 3, year: 2012, town: Pori}
- {id: 4, year: 2012, town: Oulu}
- {id: 5, year: 2012}
```'
sed -i 's/^weight: 1$/weight: 1\ncustom: "kissa"/' "$S/content/mod/eka.fi.md"
run_toivo build -s "$S"
[ "$rc" = 0 ] && ok "a site hook builds" || nok "a site hook builds" "$(cat "$T/err")"
check "block.text is the body" grep -q 'text=\[a &lt; b' "$FI"
check "block.info is the whole info string" grep -q 'info=\[probe {.x} extra\]' "$FI"
check "block.line is the fence line in the page file" grep -q 'line=7 ' "$FI"
check "block.page title, lang, url, path" grep -q 'title=Eka lang=fi url=https://example.org/t/fi/mod/eka/ path=content/mod/eka.fi.md' "$FI"
check "block.page.params is the front matter" grep -q 'param=kissa' "$FI"
check "block.site title, languages, base_url" grep -q 'site=Testi langs=fi+en base=https://example.org/t/' "$FI"
check "a hook returning nil leaves the code block" grep -q 'left as code' "$FI"
check "toivo.markdown renders Markdown" grep -q '<em>em</em>' "$FI"
if grep -q '<b>x</b>' "$FI"; then nok "toivo.markdown drops raw HTML like the page does"; else ok "toivo.markdown drops raw HTML like the page does"; fi
check "toivo.t gives the page language's UI string" grep -q 't=Yhteensä missing=nil' "$FI"
check "toivo.format_number in Finnish" grep -q "n=1${NB}234${NB}567,89|-0,5|12" "$FI"
check "toivo.yaml parses, toivo.keys keeps file order" grep -q 'yaml=one,y,zeta,alpha,mid' "$FI"
check "toivo.text: empty for nil, whole floats without .0" grep -q 'text=|2011|2.5|true|x ' "$FI"
check "toivo.rows without filters keeps every row" grep -q 'all=1+2+3+4+5 ' "$FI"
check "toivo.rows where compares as text (2011 = 2011.0)" grep -q ' where=1+2 ' "$FI"
check "toivo.rows where with two columns" grep -q ' where2=1 ' "$FI"
check "toivo.rows exclude with a list" grep -q ' exclude=4+5 ' "$FI"
check "toivo.rows where and exclude with one value" grep -q ' exclude1=4+5 ' "$FI"
check "toivo.rows: a missing cell is the empty text" grep -q ' empty=5</p>' "$FI"
check "toivo.warn is a warning at the block" grep -q 'content/mod/eka.fi.md:[0-9]*: warning: careful here' "$T/err"
page_en '```num
```'
run_toivo build -s "$S"
check "toivo.format_number in English" grep -q 'n=1,234,567.89|-0.5|12' "$EN"

# --- page and done hooks ------------------------------------------------------
reset_pages
cat > "$S/lua/site.lua" <<'LUA'
return {
  page = function(page)
    page.params.description = "HOOKED " .. page.lang .. " " .. page.title
    page.params.added = { list = { 1, 2 }, flag = true }
  end,
  done = function(site)
    local n, fi = 0, 0
    for _, p in ipairs(site.pages) do
      n = n + 1
      if p.lang == "fi" then fi = fi + 1 end
    end
    toivo.warn(string.format("done saw %d pages, %d in Finnish, site %s", n, fi, site.title))
  end,
}
LUA
run_toivo build -s "$S"
[ "$rc" = 0 ] && ok "page and done hooks build" || nok "page and done hooks build" "$(cat "$T/err")"
check "page hook changes page.params (seen by the template)" grep -q 'HOOKED fi Eka' "$FI"
check "page hook runs for every page" grep -q 'HOOKED en First' "$EN"
check "done hook gets site.pages" grep -Eq 'warning: done saw (8|9|1[0-9]) pages, [4-9] in Finnish, site Testi' "$T/err"

# A page hook error names the page and the Lua line.
printf 'return { page = function(p)\n  error("page boom")\nend }\n' > "$S/lua/site.lua"
expect_fail "a page hook error names page and Lua line" 'content/mod/eka.fi.md: error: lua/site.lua:2: page boom' build -s "$S"
printf 'return { page = function(p)\n  p.params.f = function() end\nend }\n' > "$S/lua/site.lua"
expect_fail "page.params cannot hold a function" 'page.params holds a function' build -s "$S"
printf 'return { done = function(s)\n  local x = nil\n  return x.y\nend }\n' > "$S/lua/site.lua"
expect_fail "a done hook error fails the build" '^lua/site.lua:3: error: attempt to index' build -s "$S"

# Loading errors.
reset_pages
printf 'return { codeblocks = { x = function( } }\n' > "$S/lua/broken.lua"
expect_fail "a syntax error in a hook file" '^lua/broken.lua:1: error: ' build -s "$S"
printf 'return 42\n' > "$S/lua/broken.lua"
expect_fail "a hook file must return a table" 'lua/broken.lua: the file must return a table' build -s "$S"
printf '\033Lua binary' > "$S/lua/broken.lua"
expect_fail "a binary hook file is refused" 'binary chunk' build -s "$S"
rm -f "$S/lua/broken.lua"

# --- errors: location and traceback -----------------------------------------
bad_hook "a Lua error names the page line and the Lua line" 'lua/bad.lua:3: attempt to' 'local t = nil
return t.x'
check "the error is followed by a traceback" grep -q 'note: stack traceback' "$T/err"
bad_hook "toivo.error names the Lua line" 'lua/bad.lua:3: the data is wrong' '
toivo.error("the data is wrong")'
bad_hook "a hook must return a string or nil" 'returned a number' 'return 42'

# --- the sandbox ---------------------------------------------------------------
bad_hook "sandbox: no os.execute" "field 'execute'" 'os.execute("touch /tmp/toivo-pwned")'
bad_hook "sandbox: no os.remove" "field 'remove'" 'os.remove("/tmp/x")'
bad_hook "sandbox: no io" "global 'io'" 'local f = io.open("/etc/passwd")'
bad_hook "sandbox: no require" "global 'require'" 'require("os")'
bad_hook "sandbox: no package.loadlib" "global 'package'" 'package.loadlib("libc.so.6", "system")'
bad_hook "sandbox: no dofile" "global 'dofile'" 'dofile("/etc/passwd")'
bad_hook "sandbox: no loadfile" "global 'loadfile'" 'loadfile("/etc/passwd")'
bad_hook "sandbox: no debug" "global 'debug'" 'debug.sethook()'
bad_hook "sandbox: no string.dump" "field 'dump'" 'return load(string.dump(function() end))'
bad_hook "sandbox: load refuses binary chunks" 'binary chunk' 'return assert(load("\27LuaT\0\25\147"))'
bad_hook "sandbox: load refuses mode b" 'only text chunks' 'return assert(load("return 1", "x", "b"))'
bad_hook "sandbox: collectgarbage cannot change the collector" "invalid option 'stop'" 'collectgarbage("stop")'
bad_hook "sandbox: toivo.data refuses ../" 'without ".."' 'return toivo.data("../../site.yaml")'
bad_hook "sandbox: toivo.data refuses absolute paths" 'not absolute' 'return toivo.data("/etc/passwd.csv")'
ln -s /etc/hostname "$S/content/data/escape.csv"
bad_hook "sandbox: toivo.data refuses a symlink out of content/data" 'leads outside content/data' 'return toivo.data("escape.csv")'
rm -f "$S/content/data/escape.csv"
bad_hook "sandbox: an endless loop stops" 'hook stopped after 50000000 instructions: it probably loops without end' '
while true do end'
bad_hook "sandbox: an endless loop inside pcall stops too" 'hook stopped after' '
while true do pcall(function() while true do end end) end'
bad_hook "sandbox: an endless loop in a coroutine stops" 'hook stopped after' '
local co = coroutine.wrap(function() while true do end end)
co()'
bad_hook "sandbox: an endless __close stops" 'hook stopped after' '
local x <close> = setmetatable({}, {__close = function() while true do end end})'
bad_hook "sandbox: no __gc (finalizers run without the instruction limit)" 'cannot set a __gc' '
setmetatable({}, {__gc = function() while true do end end})'
bad_hook "sandbox: a loop of work in C (table.sort) stops" 'hook stopped after' '
local t = {} for i = 1, 1e6 do t[i] = i end
for i = 1, 1e9 do table.sort(t) end'
bad_hook "sandbox: a loop of work in C (string.find) stops" 'hook stopped after' '
local s = string.rep("x", 1e8)
for i = 1, 1e9 do s:find("y", 1, true) end'
bad_hook "sandbox: a memory bomb stops" 'hook used more than 256 MiB of memory' '
local t = {}
for i = 1, 1e9 do t[i] = string.rep("x", 1000000) .. i end'
bad_hook "sandbox: a memory bomb inside pcall stops too" 'hook used more than 256 MiB of memory' '
local ok = pcall(function() local t = {} for i = 1, 1e9 do t[i] = string.rep("y", 1000000) .. i end end)
return "<p>survived</p>"'
bad_hook "sandbox: one huge string stops" 'hook used more than 256 MiB of memory' '
return string.rep("z", 1 << 30)'

# --- data files ----------------------------------------------------------------
bad_hook "a missing data file is an error" 'content/data/nope.csv: data file not found' 'return toivo.data("nope.csv")'
printf 'a,b,c\n1,2,3\n4,5\n' > "$S/content/data/ragged.csv"
bad_hook "a ragged CSV names the CSV line" 'content/data/ragged.csv:3: error: row has 2 fields, the header has 3' 'return toivo.data("ragged.csv")'
printf '\357\273\277name,n,note\r\n"Smith, J.",007,"say ""hi""\nthere"\r\nx,-1.5e2,\r\n' > "$S/content/data/fancy.csv"
printf 'list: [1, 2]\n' > "$S/content/data/d.yaml"
printf '{"k": [true, null, 3]}' > "$S/content/data/d.json"
reset_pages
cat > "$S/lua/data.lua" <<'LUA'
return { codeblocks = { data = function(b)
  local rows = toivo.data("fancy.csv")
  local r1, r2 = rows[1], rows[2]
  local y, j = toivo.data("d.yaml"), toivo.data("d.json")
  rows[1].name = "changed"   -- a hook cannot change what the next one reads
  local again = toivo.data("fancy.csv")
  return string.format("<p>csv=%d|%s|%s|%s|%s|%s|%s|%s yaml=%d json=%s,%s</p>",
    #rows, r1.name, math.type(r1.n) or type(r1.n), r1.note:gsub("\n", "/"), tostring(r2.n), r2.note == "" and "empty" or "?",
    table.concat(toivo.keys(r1), ":"), again[1].name, y.list[2], tostring(j.k[1]), tostring(j.k[3]))
end } }
LUA
page_fi '```data
```'
run_toivo build -s "$S"
check "CSV: quotes, BOM, CRLF, numbers only when wholly numbers, empty cells" \
	grep -q 'csv=2|changed|string|say "hi"/there|-150|empty|name:n:note|Smith, J. yaml=2 json=true,3' "$FI"

# --- the built-in blocks ---------------------------------------------------------
reset_pages
cat > "$S/content/data/t.csv" <<'CSV'
group,total,a,b,big
one,10,4,6,1234.5
two,8,4,4,2000000
three,5,2,2,7
CSV
TABLE='```table
data: t.csv
caption: "Ryhmät"
key: group
rows: {one: "Ensimmäinen"}
total: total
parts: [a, b]
share: {of: a, label: "A-osuus"}
totals: row
note: "Lähde: keksitty."
```'
page_fi "$TABLE"
page_en "$TABLE"
run_toivo build -s "$S"
[ "$rc" = 0 ] && ok "table: builds" || nok "table: builds" "$(cat "$T/err")"
check "table: wrapped in a focusable region named by the caption" grep -q '<div class="table-wrap" role="region" aria-labelledby="tbl-6-caption" tabindex="0">' "$FI"
check "table: caption" grep -q '<caption id="tbl-6-caption">Ryhmät</caption>' "$FI"
check "table: column headers" grep -q '<th scope="col" class="num">total</th>' "$FI"
check "table: row headers with labels" grep -q '<th scope="row">Ensimmäinen</th>' "$FI"
check "table: numbers right-aligned" grep -q '<td class="num">10</td>' "$FI"
check "table: Finnish number format" grep -q "<td class=\"num\">1${NB}234,5</td>" "$FI"
check "table: Finnish thousands" grep -q "<td class=\"num\">2${NB}000${NB}000</td>" "$FI"
check "table: English number format" grep -q '<td class="num">1,234.5</td>' "$EN"
check "table: computed share, one decimal, decimal comma" grep -q '<td class="num">50,0</td>' "$FI"
check "table: share in English" grep -q '<td class="num">50.0</td>' "$EN"
check "table: totals row in tfoot with the UI string" grep -q '<tfoot>' "$FI"
check "table: totals row label from toivo.t" grep -q '<th scope="row">Yhteensä</th>' "$FI"
check "table: totals row label in English" grep -q '<th scope="row">Total</th>' "$EN"
check "table: totals row sums" grep -q '<td class="num">23</td><td class="num">10</td><td class="num">12</td>' "$FI"
check "table: note" grep -q 'Lähde: keksitty.' "$FI"
check "table: a parts mismatch warns naming the row" grep -q 'content/mod/eka.fi.md:6: warning: .*row "three"' "$T/err"
check "table: the warning gives the sums" grep -q 'a + b add up to 4, but total is 5' "$T/err"
if grep -q 'row "one"\|row "two"' "$T/err"; then nok "table: rows that add up do not warn" "$(cat "$T/err")"; else ok "table: rows that add up do not warn"; fi
page_fi "$(printf '%s' "$TABLE" | sed 's/^note:/flagged: [three, two]\nnote:/')"
page_en 'Text.'
run_toivo build -s "$S"
if grep -q 'row "three"' "$T/err"; then nok "table: flagged suppresses the warning" "$(cat "$T/err")"; else ok "table: flagged suppresses the warning"; fi
check "table: flagged rows are marked" grep -q '<tr class="flagged"><th scope="row" aria-describedby="tbl-6-flag">three<span class="flag-mark"' "$FI"
check "table: the flag note is there with its id" grep -q '<p class="table-flag-note" id="tbl-6-flag">' "$FI"
page_fi '```table
data: t.csv
caption: "Sarakkeet"
columns: {group: "Ryhmä", a: "A", b: "B"}
totals: column
```'
run_toivo build -s "$S"
check "table: columns in the order written, with labels" grep -q '<th scope="col">Ryhmä</th><th scope="col" class="num">A</th><th scope="col" class="num">B</th><th scope="col" class="num">Yhteensä</th>' "$FI"
check "table: totals column" grep -q '<td class="num">4</td><td class="num">6</td><td class="num">10</td>' "$FI"
page_fi '```table
data: t.csv
caption: [broken
```'
expect_fail "table: invalid YAML in the block is reported at its line" 'content/mod/eka.fi.md:[89]:[0-9]*: error: invalid YAML' build -s "$S"

# A site's own lua/table.lua replaces the built-in one.
page_fi "$TABLE"
printf 'return { codeblocks = { table = function(b) return "<p>SITE TABLE</p>" end } }\n' > "$S/lua/table.lua"
run_toivo build -s "$S"
check "a site hook file replaces the built-in one of the same name" grep -q 'SITE TABLE' "$FI"
rm -f "$S/lua/table.lua"

# Charts.
cat > "$S/content/data/c.csv" <<'CSV'
year,x,y,total
2016,3,5,10
2017,4,,12
2018,6,2,8
total,13,7,30
CSV
CHART='```chart
data: c.csv
type: TYPE
x: year
series: [x, y]
labels: {x: "Äks", y: "Yy"}
exclude: {year: [total]}
title: "Kaavio & otsikko"
y_label: "Henkilöä"
```'
for type in bar grouped-bar stacked-bar line; do
	page_fi "$(printf '%s' "$CHART" | sed "s/TYPE/$type/")"
	run_toivo build -s "$S"
	if [ "$rc" = 0 ] && grep -q '<svg [^>]*role="img" aria-labelledby="chart-6-title chart-6-desc"' "$FI" &&
	   grep -q '<title id="chart-6-title">Kaavio &amp; otsikko</title>' "$FI" &&
	   grep -q '<desc id="chart-6-desc">' "$FI" && grep -q 'viewBox="0 0 640 [0-9]*" width="100%"' "$FI"; then
		ok "chart $type: SVG with role=img, title, desc, viewBox"
	else
		nok "chart $type: SVG with role=img, title, desc, viewBox" "exit $rc $(cat "$T/err")"
	fi
	check "chart $type: the data as a table in details" grep -q '<details class="chart-data">' "$FI"
	check "chart $type: data table rows" grep -q '<tr><th scope="row">2017</th><td class="num">4</td><td class="num"></td></tr>' "$FI"
done
check "chart: axis label" grep -q '>Henkilöä</text>' "$FI"
check "chart: series labels" grep -q '>Äks' "$FI"
check "chart: summary from the UI strings" grep -q '<summary>Kaavion tiedot taulukkona</summary>' "$FI"
cp "$FI" "$T/chart1.html"
run_toivo build -s "$S"
check "chart: the same input gives the same output" cmp -s "$FI" "$T/chart1.html"
page_fi '```chart
data: c.csv
type: grouped-bar
x: year
series_from: year
y: x
ratio_of: total
exclude: {year: [total]}
title: "Osuus"
```'
run_toivo build -s "$S"
check "chart: long format with ratio_of in percent" grep -q '<td class="num">30,0</td>' "$FI"
printf 'year,x\n2016,3\n2017,lots\n' > "$S/content/data/bad.csv"
page_fi '```chart
data: bad.csv
x: year
series: [x]
title: "Huono"
```'
expect_fail "chart: a non-numeric value names row and column" 'content/mod/eka.fi.md:6: error: lua/chart.lua:[0-9]*: .*year is 2017, column "x" holds "lots"' build -s "$S"
page_fi '```chart
data: c.csv
x: year
series: [nope]
title: "Huono"
```'
expect_fail "chart: an unknown column is an error" 'there is no column "nope"' build -s "$S"

# Quotes and the plan form.
cat > "$S/content/data/q.yaml" <<'YAML'
- fi: "ensimmäinen lainaus"
  en: "first quote"
- fi: "toinen lainaus"
  en: "second quote"
YAML
cat > "$S/content/data/plan.yaml" <<'YAML'
title: {fi: "Suunnitelma", en: "Plan"}
hope: {fi: "Toivo on mahdollista.", en: "Hope is possible."}
fields:
  - key: name
  - key: date
    label: {fi: "Pvm", en: "Date"}
parts:
  - key: hope
    heading: {fi: "Mitä toivon?", en: "What do I hope for?"}
    questions:
      - {fi: "mistä haaveilen", en: "what I dream of"}
  - key: next
    heading: {fi: "Seuraavaksi", en: "Next"}
    questions: []
    lines: 3
YAML
Q='```quotes
data: q.yaml
```

```quote
data: q.yaml
index: 2
```

```planform
data: plan.yaml
```'
page_fi "$Q"
page_en "$Q"
run_toivo build -s "$S"
[ "$rc" = 0 ] && ok "quotes and planform build" || nok "quotes and planform build" "$(cat "$T/err")"
check "quotes: Finnish page shows Finnish" grep -q '<blockquote class="client-quote" lang="fi"><p>”ensimmäinen lainaus”</p></blockquote>' "$FI"
if grep -q 'first quote' "$FI"; then nok "quotes: no translation on a Finnish page"; else ok "quotes: no translation on a Finnish page"; fi
check "quotes: English page keeps the Finnish original" grep -q '<p lang="fi">”ensimmäinen lainaus”</p>' "$EN"
check "quotes: with the translation" grep -q '<p class="translation"><span class="quote-label">Translation</span>“first quote”</p>' "$EN"
check "quote: index picks one" grep -q 'client-quote-featured" lang="fi"><p>”toinen lainaus”' "$FI"
check "planform: title and hope" grep -q 'Suunnitelma</h2>' "$FI"
check "planform: field label from the UI strings" grep -q '<label class="planform-label" for="plan-[0-9]*-name">Nimi</label>' "$FI"
check "planform: field label from the plan" grep -q '<label class="planform-label" for="plan-[0-9]*-date">Date</label>' "$EN"
check "planform: part heading and questions" grep -q '<li>what I dream of</li>' "$EN"
check "planform: lined writing space" grep -q '<div class="write-space" style="min-height: 6.5rem" aria-hidden="true"></div>' "$FI"

# --- toivo.upper and toivo.lower: letters beyond ASCII ------------------------
reset_pages
cat > "$S/lua/case.lua" <<'LUA'
return { codeblocks = { case = function(block)
  local up = toivo.upper(block.text)
  return '<p class="case">up=[' .. up .. '] down=[' .. toivo.lower(up) ..
    '] lua=[' .. string.upper(block.text) .. '] bad=[' .. toivo.upper("a\255b") .. ']</p>'
end } }
LUA
page_fi '```case
äiti öljy åland éclair über šakki žurnaali ÿ ß ı ok
```'
run_toivo build -s "$S"
[ "$rc" = 0 ] && ok "a hook using toivo.upper and toivo.lower builds" || nok "a hook using toivo.upper and toivo.lower builds" "$(cat "$T/err")"
check "toivo.upper: Finnish and other Latin letters" grep -q 'up=\[ÄITI ÖLJY ÅLAND ÉCLAIR ÜBER ŠAKKI ŽURNAALI Ÿ ß I OK' "$FI"
check "toivo.lower: back to lower case" grep -q 'down=\[äiti öljy åland éclair über šakki žurnaali ÿ ß i ok' "$FI"
check "string.upper still changes ASCII only (why toivo.upper exists)" grep -q 'lua=\[äITI öLJY åLAND éCLAIR üBER šAKKI žURNAALI' "$FI"
check "toivo.upper keeps a byte that is not UTF-8" grep -q "bad=\[A$(printf '\377')B\]" "$FI"
