-- table.lua - the `table` code block: a CSV (or YAML/JSON list of rows) as
-- an accessible HTML table.  The block body is YAML; see docs/blocks.md.
--
-- Output, for a block on line L of the page:
--   <div class="table-block">
--     <div class="table-wrap" role="region" aria-labelledby="tbl-L-caption" tabindex="0">
--       <table class="data-table"><caption id="tbl-L-caption">...</caption>
--         <thead> <th scope="col"> ... </thead>
--         <tbody> <th scope="row"> + <td class="num"> ... </tbody>
--         <tfoot> the computed totals row, when asked for </tfoot>
--       </table></div>
--     <p class="table-flag-note" id="tbl-L-flag">* ...</p>   (when rows are flagged)
--     <p class="table-note" id="tbl-L-note">...</p>          (when note: is given)
--   </div>
-- The wrapper scrolls sideways on narrow screens; tabindex lets keyboard
-- users scroll it.

-- UI strings: the theme's i18n files first, then these.
local FALLBACK = {
  fi = { hooks_total = "Yhteensä", hooks_share = "Osuus, %",
         hooks_mismatch_note = "Lähteen luvut eivät täsmää tällä rivillä" },
  en = { hooks_total = "Total", hooks_share = "Share, %",
         hooks_mismatch_note = "The source's figures do not add up on this row" },
}

local function T(lang, key)
  return toivo.t(key) or (FALLBACK[lang] or FALLBACK.en)[key] or key
end

local esc = toivo.escape

-- A cell value as text for comparing: 2018 and "2018" are the same.
local str = toivo.text

-- The number in a cell, or nil when it is empty or not a number.
local function num(v)
  if type(v) == "number" then return v end
  return nil
end

-- A set from a list (or a single value) of keys, compared as text.
local function set_of(list)
  local s = {}
  if type(list) ~= "table" then list = { list } end
  for _, k in ipairs(list) do s[str(k)] = true end
  return s
end

-- The columns to show, as a list of {key = ..., label = ...}.
local function column_list(spec, rows, key)
  local cols = {}
  if type(spec.columns) == "table" and #spec.columns > 0 then
    -- a list of column names
    for _, k in ipairs(spec.columns) do cols[#cols + 1] = { key = str(k), label = str(k) } end
  elseif type(spec.columns) == "table" then
    -- a map name -> label, in the order written
    for _, k in ipairs(toivo.keys(spec.columns)) do
      cols[#cols + 1] = { key = k, label = str(spec.columns[k]) }
    end
  else
    for _, k in ipairs(toivo.keys(rows[1] or {})) do cols[#cols + 1] = { key = k, label = k } end
  end
  -- the row key always comes first
  local found = false
  for i, c in ipairs(cols) do
    if c.key == key then
      found = true
      table.remove(cols, i)
      table.insert(cols, 1, c)
      break
    end
  end
  if not found then table.insert(cols, 1, { key = key, label = key }) end
  return cols
end

local function fmt(v, decimals)
  if type(v) == "number" then return toivo.format_number(v, decimals) end
  return esc(str(v))
end

local function render(block)
  local spec = toivo.yaml(block.text)
  local lang = block.page.lang or "en"
  if type(spec) ~= "table" or not spec.data then
    toivo.error("the table block needs data: (a file under content/data/)")
  end
  local rows = toivo.data(spec.data)
  if type(rows) ~= "table" then
    toivo.error(spec.data .. ": the data is not a list of rows")
  end
  rows = toivo.rows(rows, spec.where, spec.exclude)
  local first = toivo.keys(rows[1] or {})[1]
  local key = spec.key and str(spec.key) or first
  if not key then toivo.error(spec.data .. ": no rows left to show") end
  local cols = column_list(spec, rows, key)
  local labels = spec.rows or {}
  local plain = set_of(spec.plain or {})
  plain[key] = true
  local flagged = set_of(spec.flagged or {})
  local id = "tbl-" .. block.line
  local total_col = spec.total and str(spec.total)
  local share = type(spec.share) == "table" and spec.share or nil
  local share_total = share and str(share.total or spec.total or "") or nil
  local totals = spec.totals and str(spec.totals) or nil
  local totals_label = spec.totals_label or T(lang, "hooks_total")
  local caption = spec.caption
  if not caption then
    toivo.warn("table from " .. spec.data .. " has no caption:; screen readers announce a table by its caption")
    caption = spec.data
  end

  -- Which columns hold numbers (they are right-aligned)?
  local numeric = {}
  for _, c in ipairs(cols) do
    local any = false
    for _, row in ipairs(rows) do
      if num(row[c.key]) then any = true end
    end
    numeric[c.key] = any and c.key ~= key
  end

  -- The parts check.
  local mismatched = {}
  if spec.parts and total_col then
    for _, row in ipairs(rows) do
      local rk = str(row[key])
      local sum, names = 0, {}
      for _, p in ipairs(spec.parts) do
        sum = sum + (num(row[str(p)]) or 0)
        names[#names + 1] = str(p)
      end
      local stated = num(row[total_col])
      if stated and math.abs(sum - stated) > 1e-9 then
        mismatched[rk] = true
        if not flagged[rk] then
          toivo.warn(string.format(
            "table %s: row %q (%s): %s add up to %s, but %s is %s; fix the data or list the row in flagged:",
            spec.data, rk, str(labels[rk] or rk), table.concat(names, " + "), str(sum), total_col, str(stated)))
        end
      end
    end
  end
  local any_flagged = false
  for _, row in ipairs(rows) do
    if flagged[str(row[key])] then any_flagged = true end
  end

  -- The computed totals column: the parts if given, else every numeric column.
  local sum_cols = {}
  if totals == "column" then
    if spec.parts then
      for _, p in ipairs(spec.parts) do sum_cols[#sum_cols + 1] = str(p) end
    else
      for _, c in ipairs(cols) do
        if numeric[c.key] and c.key ~= total_col then sum_cols[#sum_cols + 1] = c.key end
      end
    end
  end
  local function row_sum(row)
    local s = 0
    for _, k in ipairs(sum_cols) do s = s + (num(row[k]) or 0) end
    return s
  end
  local function share_of(row)
    local a, b = num(row[str(share.of)]), num(row[share_total])
    if a and b and b ~= 0 then return a / b * 100 end
    return nil
  end

  local h = {}
  local function add(s) h[#h + 1] = s end
  add('<div class="table-block">\n')
  add(string.format('<div class="table-wrap" role="region" aria-labelledby="%s-caption" tabindex="0">\n', id))
  add('<table class="data-table">\n')
  add(string.format('<caption id="%s-caption">%s</caption>\n', id, esc(caption)))
  add('<thead>\n<tr>')
  for _, c in ipairs(cols) do
    add(string.format('<th scope="col"%s>%s</th>', numeric[c.key] and ' class="num"' or '', esc(c.label)))
  end
  if totals == "column" then add('<th scope="col" class="num">' .. esc(totals_label) .. '</th>') end
  if share then add('<th scope="col" class="num">' .. esc(share.label or T(lang, "hooks_share")) .. '</th>') end
  add('</tr>\n</thead>\n<tbody>\n')
  for _, row in ipairs(rows) do
    local rk = str(row[key])
    local is_flag = flagged[rk]
    add(is_flag and '<tr class="flagged">' or '<tr>')
    for i, c in ipairs(cols) do
      local v = row[c.key]
      if i == 1 then
        -- the row header: its label from rows:, else the key as written
        local label = esc(str(labels[rk] ~= nil and labels[rk] or v))
        if is_flag then
          add(string.format('<th scope="row" aria-describedby="%s-flag">%s<span class="flag-mark" aria-hidden="true">*</span></th>', id, label))
        else
          add('<th scope="row">' .. label .. '</th>')
        end
      elseif plain[c.key] then
        add('<td>' .. esc(str(v)) .. '</td>')
      else
        add(string.format('<td%s>%s</td>', numeric[c.key] and ' class="num"' or '', fmt(v)))
      end
    end
    if totals == "column" then add('<td class="num">' .. fmt(row_sum(row)) .. '</td>') end
    if share then
      local s = share_of(row)
      add('<td class="num">' .. (s and toivo.format_number(s, 1) or '') .. '</td>')
    end
    add('</tr>\n')
  end
  add('</tbody>\n')

  if totals == "row" then
    local sums = {}
    for _, c in ipairs(cols) do
      if numeric[c.key] and not plain[c.key] then
        local s = 0
        for _, row in ipairs(rows) do s = s + (num(row[c.key]) or 0) end
        sums[c.key] = s
      end
    end
    add('<tfoot>\n<tr class="totals">')
    for i, c in ipairs(cols) do
      if i == 1 then
        add('<th scope="row">' .. esc(totals_label) .. '</th>')
      elseif sums[c.key] then
        add('<td class="num">' .. fmt(sums[c.key]) .. '</td>')
      else
        add('<td></td>')
      end
    end
    if share then
      local a, b = sums[str(share.of)], sums[share_total]
      add('<td class="num">' .. ((a and b and b ~= 0) and toivo.format_number(a / b * 100, 1) or '') .. '</td>')
    end
    add('</tr>\n</tfoot>\n')
  end
  add('</table>\n</div>\n')
  if any_flagged then
    add(string.format('<p class="table-flag-note" id="%s-flag"><span aria-hidden="true">* </span>%s</p>\n',
      id, esc(spec.flag_note or T(lang, "hooks_mismatch_note"))))
  end
  if spec.note then
    add(string.format('<p class="table-note" id="%s-note">%s</p>\n', id, esc(str(spec.note))))
  end
  add('</div>\n')
  return table.concat(h)
end

return { codeblocks = { table = render } }
