-- chart.lua - the `chart` code block: bar, grouped-bar, stacked-bar and line
-- charts as inline SVG, with the same numbers as a table.  The block body is
-- YAML; see docs/blocks.md.
--
-- Accessibility and print:
--   * <svg role="img" aria-labelledby="ID-title ID-desc"> with <title> and
--     <desc>; the figure's visible caption is the title too;
--   * the Okabe-Ito palette (safe for the common colour-vision deficiencies),
--     ordered so that neighbouring series differ in lightness, and each
--     series also has its own fill pattern (bars) or dash and marker shape
--     (lines), so the chart still reads in greyscale print;
--   * value labels on bars, direct labels at the ends of lines;
--   * viewBox + width="100%": the chart scales with the page; no raster;
--   * a <details> table of the same numbers for screen readers and for
--     anyone who prefers numbers.
-- The output depends only on the input: same data, byte-identical SVG.

local FALLBACK = {
  fi = { hooks_chart_data = "Kaavion tiedot taulukkona",
         hooks_chart_desc = "Luvut ovat taulukossa kaavion alla." },
  en = { hooks_chart_data = "Chart data as a table",
         hooks_chart_desc = "The figures are in the table below the chart." },
}

local function T(lang, key)
  return toivo.t(key) or (FALLBACK[lang] or FALLBACK.en)[key] or key
end

local esc = toivo.escape

-- Okabe & Ito (2008), reordered: dark blue, orange, green, vermillion, sky
-- blue, purple, yellow, black.
local PALETTE = { "#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442", "#000000" }
local DASHES = { nil, "8 4", "2 3", "10 3 2 3", "4 4", "1 3", "12 3 3 3", "6 2" }
local SHAPES = { "circle", "square", "triangle", "diamond", "down", "circle", "square", "triangle" }

local W = 640           -- viewBox width
local PLOT_H = 240      -- height of the plotting area
local FONT = 12         -- axis text size
local CHAR_W = 6.6      -- rough width of one character at FONT

local str = toivo.text

local function f1(x)  -- a coordinate
  local s = string.format("%.1f", x)
  if s == "-0.0" then s = "0.0" end
  return (s:gsub("%.0$", ""))
end

local function text_w(s, size)
  return utf8.len(s) * CHAR_W * (size or FONT) / FONT
end

-- A tick step of 1, 2, 2.5 or 5 times a power of ten.
local function nice_step(range, n)
  local raw = range / n
  local mag = 10 ^ math.floor(math.log(raw, 10))
  local r = raw / mag
  local s = (r <= 1 and 1) or (r <= 2 and 2) or (r <= 2.5 and 2.5) or (r <= 5 and 5) or 10
  return s * mag
end

-- The model: categories (x values), series, values[s][c] (nil = missing).
local function model(spec, block)
  local rows = toivo.data(spec.data)
  if type(rows) ~= "table" then toivo.error(spec.data .. ": the data is not a list of rows") end
  local header = {}
  for _, k in ipairs(toivo.keys(rows[1] or {})) do header[k] = true end
  rows = toivo.rows(rows, spec.where, spec.exclude)
  local x = spec.x and str(spec.x) or toivo.keys(rows[1] or {})[1]
  if not x then toivo.error(spec.data .. ": no rows left to chart") end
  local function need(col, what)
    if not header[col] then
      toivo.error(string.format("%s: there is no column %q (%s:)", spec.data, col, what))
    end
  end
  need(x, "x")
  local labels = spec.labels or {}
  local x_labels = spec.x_labels or {}
  local m = { cats = {}, series = {}, values = {}, ratio = spec.ratio_of ~= nil }

  local function value_of(row, col, cat)
    local v = row[col]
    if v == nil or v == "" then return nil end
    if type(v) ~= "number" then
      toivo.error(string.format("%s: in the row where %s is %s, column %q holds %q, which is not a number",
        spec.data, x, cat, col, str(v)))
    end
    return v
  end

  local cat_index = {}
  local function cat_of(row)
    local c = str(row[x])
    if not cat_index[c] then
      m.cats[#m.cats + 1] = { key = c, label = str(x_labels[c] ~= nil and x_labels[c] or c) }
      cat_index[c] = #m.cats
    end
    return cat_index[c]
  end

  if spec.series_from then
    -- long format: one series per distinct value of series_from
    local sf, y = str(spec.series_from), spec.y and str(spec.y)
    need(sf, "series_from")
    if not y then toivo.error("chart: series_from: needs y: (the value column)") end
    need(y, "y")
    if spec.ratio_of then need(str(spec.ratio_of), "ratio_of") end
    local s_index = {}
    for _, row in ipairs(rows) do
      local ci = cat_of(row)
      local sk = str(row[sf])
      if not s_index[sk] then
        m.series[#m.series + 1] = { key = sk, label = str(labels[sk] ~= nil and labels[sk] or sk) }
        s_index[sk] = #m.series
        m.values[#m.series] = {}
      end
      local v = value_of(row, y, m.cats[ci].key)
      if v and spec.ratio_of then
        local d = value_of(row, str(spec.ratio_of), m.cats[ci].key)
        v = (d and d ~= 0) and v / d * 100 or nil
      end
      m.values[s_index[sk]][ci] = v
    end
  else
    local series = spec.series
    if type(series) ~= "table" or #series == 0 then
      series = {}
      for _, k in ipairs(toivo.keys(rows[1] or {})) do
        if k ~= x then series[#series + 1] = k end
      end
    end
    for i, s in ipairs(series) do
      local sk = str(s)
      need(sk, "series")
      m.series[i] = { key = sk, label = str(labels[sk] ~= nil and labels[sk] or sk) }
      m.values[i] = {}
    end
    for _, row in ipairs(rows) do
      local ci = cat_of(row)
      for i, s in ipairs(m.series) do
        local v = value_of(row, s.key, m.cats[ci].key)
        if v and spec.ratio_of then
          local d = value_of(row, str(spec.ratio_of), m.cats[ci].key)
          v = (d and d ~= 0) and v / d * 100 or nil
        end
        m.values[i][ci] = v
      end
    end
  end
  if #m.cats == 0 or #m.series == 0 then toivo.error(spec.data .. ": nothing to chart") end
  return m
end

-- The greyscale-safe fills: white marks on the series colour, one kind of
-- mark per series.  They are drawn as plain lines and dots clipped to each
-- bar here, not as an SVG <pattern>: Chromium prints a pattern as a raster
-- image (blurry when zoomed, and heavy: one copy per bar), while lines and
-- dots stay vector in every PDF engine.  The marks lie on an 8-unit grid
-- anchored at the chart's origin, so neighbouring bars line up.
local MARKS = {
  nil,                                  -- plain colour
  { kind = "rise", w = 1.6 },           -- ////
  { kind = "dots", r = 1.5 },
  { kind = "fall", w = 1.6 },           -- \\
  { kind = "rows", w = 1.6 },           -- ====
  { kind = "cross", w = 1.2 },          -- XXXX
  { kind = "cols", w = 1.6 },           -- ||||
  { kind = "dots", r = 2 },
}
local GRID = 8

-- The path of the marks of one kind over the rectangle x0..x1, y0..y1.
local function marks_path(kind, x0, y0, x1, y1, r)
  local d = {}
  local function seg(ax, ay, bx, by)
    if math.abs(bx - ax) + math.abs(by - ay) > 0.1 then
      d[#d + 1] = string.format("M%s %sL%s %s", f1(ax), f1(ay), f1(bx), f1(by))
    end
  end
  if kind == "rise" or kind == "cross" then     -- the lines x + y = 8k
    for c = math.ceil((x0 + y0) / GRID) * GRID, x1 + y1, GRID do
      local xa, xb = math.max(x0, c - y1), math.min(x1, c - y0)
      if xb > xa then seg(xa, c - xa, xb, c - xb) end
    end
  end
  if kind == "fall" or kind == "cross" then     -- the lines y - x = 8k
    for c = math.ceil((y0 - x1) / GRID) * GRID, y1 - x0, GRID do
      local xa, xb = math.max(x0, y0 - c), math.min(x1, y1 - c)
      if xb > xa then seg(xa, xa + c, xb, xb + c) end
    end
  end
  local function centres(lo, hi) -- 4 + 8k between lo and hi
    local t = {}
    for v = math.ceil((lo - GRID / 2) / GRID) * GRID + GRID / 2, hi, GRID do t[#t + 1] = v end
    return t
  end
  if kind == "rows" then
    for _, y in ipairs(centres(y0, y1)) do seg(x0, y, x1, y) end
  elseif kind == "cols" then
    for _, x in ipairs(centres(x0, x1)) do seg(x, y0, x, y1) end
  elseif kind == "dots" then
    -- Whole dots only: a dot cut by the bar's edge would need a clip path.
    for _, y in ipairs(centres(y0 + r, y1 - r)) do
      for _, x in ipairs(centres(x0 + r, x1 - r)) do
        d[#d + 1] = string.format("M%s %sa%s %s 0 1 0 %s 0a%s %s 0 1 0 -%s 0",
          f1(x - r), f1(y), f1(r), f1(r), f1(2 * r), f1(r), f1(r), f1(2 * r))
      end
    end
  end
  return table.concat(d)
end

-- A bar (or legend key) of series i: its colour, its marks, its outline.
local function bar(i, x, y, w, h)
  local k = (i - 1) % #PALETTE + 1
  local out = { string.format('<rect x="%s" y="%s" width="%s" height="%s" fill="%s"/>',
    f1(x), f1(y), f1(w), f1(h), PALETTE[k]) }
  local m = MARKS[k]
  local d = m and marks_path(m.kind, x, y, x + w, y + h, m.r) or ""
  if d ~= "" then
    if m.kind == "dots" then
      out[#out + 1] = string.format('<path d="%s" fill="#fff"/>', d)
    else
      out[#out + 1] = string.format('<path d="%s" fill="none" stroke="#fff" stroke-width="%s"/>', d, f1(m.w))
    end
  end
  out[#out + 1] = string.format('<rect x="%s" y="%s" width="%s" height="%s" fill="none" stroke="#222" stroke-width="0.6"/>',
    f1(x), f1(y), f1(w), f1(h))
  return table.concat(out)
end

local function marker(shape, x, y, colour)
  local r = 4
  local attrs = string.format(' fill="%s" stroke="#fff" stroke-width="1"', colour)
  if shape == "circle" then
    return string.format('<circle cx="%s" cy="%s" r="%s"%s/>', f1(x), f1(y), f1(r), attrs)
  elseif shape == "square" then
    return string.format('<rect x="%s" y="%s" width="%s" height="%s"%s/>', f1(x - r), f1(y - r), f1(2 * r), f1(2 * r), attrs)
  elseif shape == "triangle" then
    return string.format('<path d="M%s %sL%s %sL%s %sZ"%s/>', f1(x), f1(y - r - 1), f1(x + r + 1), f1(y + r), f1(x - r - 1), f1(y + r), attrs)
  elseif shape == "down" then
    return string.format('<path d="M%s %sL%s %sL%s %sZ"%s/>', f1(x), f1(y + r + 1), f1(x + r + 1), f1(y - r), f1(x - r - 1), f1(y - r), attrs)
  else -- diamond
    return string.format('<path d="M%s %sL%s %sL%s %sL%s %sZ"%s/>', f1(x), f1(y - r - 1), f1(x + r + 1), f1(y), f1(x), f1(y + r + 1), f1(x - r - 1), f1(y), attrs)
  end
end

-- A value label with a white halo, readable on any background.
local function vlabel(x, y, s, anchor)
  return string.format('<text x="%s" y="%s" text-anchor="%s" font-size="10" fill="#222" ' ..
    'stroke="#fff" stroke-width="3" paint-order="stroke">%s</text>', f1(x), f1(y), anchor or "middle", esc(s))
end

local function render(block)
  local spec = toivo.yaml(block.text)
  local lang = block.page.lang or "en"
  if type(spec) ~= "table" or not spec.data then
    toivo.error("the chart block needs data: (a file under content/data/)")
  end
  local kind = str(spec.type or "bar")
  local kinds = { bar = true, ["grouped-bar"] = true, ["stacked-bar"] = true, line = true }
  if not kinds[kind] then
    toivo.error(string.format("chart type %q is not known; use bar, grouped-bar, stacked-bar or line", kind))
  end
  local m = model(spec, block)
  local ns, nc = #m.series, #m.cats
  local id = "chart-" .. block.line
  local title = spec.title and str(spec.title) or nil
  if not title then
    toivo.warn("chart from " .. spec.data .. " has no title:; it names the chart for screen readers")
    title = spec.data
  end
  local decimals = spec.decimals or (m.ratio and 1 or nil)
  local function fmt(v)
    if decimals then return toivo.format_number(v, decimals) end
    if v == math.floor(v) then return toivo.format_number(v, 0) end
    return toivo.format_number(v, 1)
  end
  local series_names = {}
  for i, s in ipairs(m.series) do series_names[i] = s.label end
  local desc = spec.desc and str(spec.desc) or
    (table.concat(series_names, ", ") .. ": " .. m.cats[1].label .. "–" .. m.cats[nc].label .. ". " .. T(lang, "hooks_chart_desc"))

  -- The value range.
  local lo, hi = 0, 0
  for ci = 1, nc do
    local pos, neg = 0, 0
    for si = 1, ns do
      local v = m.values[si][ci]
      if v then
        if kind == "stacked-bar" then
          if v >= 0 then pos = pos + v else neg = neg + v end
        else
          hi, lo = math.max(hi, v), math.min(lo, v)
        end
      end
    end
    if kind == "stacked-bar" then hi, lo = math.max(hi, pos), math.min(lo, neg) end
  end
  if hi == lo then hi = lo + 1 end
  local step = nice_step(hi - lo, 5)
  local ymax = math.ceil(hi / step - 1e-9) * step
  local ymin = math.floor(lo / step + 1e-9) * step
  local tick_dec = step >= 1 and 0 or math.ceil(-math.log(step, 10) - 1e-9)
  local ticks = {}
  local t = ymin
  while t <= ymax + step / 2 do
    ticks[#ticks + 1] = t
    t = t + step
  end

  -- Layout.
  local tick_w = 0
  for _, v in ipairs(ticks) do tick_w = math.max(tick_w, text_w(toivo.format_number(v, tick_dec))) end
  local left = math.floor(tick_w + 12 + (spec.y_label and 20 or 0))
  local right = 16
  if kind == "line" and ns > 1 then
    -- room for the direct labels "Series 123" at the line ends
    local lw = 0
    for si, s in ipairs(m.series) do
      local last = ""
      for ci = nc, 1, -1 do
        if m.values[si][ci] then last = " " .. fmt(m.values[si][ci]) break end
      end
      lw = math.max(lw, text_w(s.label .. last, 11))
    end
    right = math.floor(math.min(lw, 200) + 14)
  end
  -- legend rows
  local legend, lx, ly = {}, 0, 0
  if ns > 1 then
    local avail = W - 16
    for i, s in ipairs(m.series) do
      local w = 22 + text_w(s.label) + 18
      if lx > 0 and lx + w > avail then lx, ly = 0, ly + 20 end
      legend[i] = { x = 8 + lx, y = 8 + ly }
      lx = lx + w
    end
    ly = ly + 20
  end
  local top = 12 + ly + 8
  local plot_w = W - left - right
  local band = plot_w / nc
  local label_w = 0
  for _, c in ipairs(m.cats) do label_w = math.max(label_w, text_w(c.label)) end
  local rotate = label_w > band - 6
  local bottom = rotate and math.floor(label_w * 0.72 + 24) or 28
  if spec.x_label then bottom = bottom + 20 end
  local H = top + PLOT_H + bottom
  local function Y(v) return top + PLOT_H - (v - ymin) / (ymax - ymin) * PLOT_H end
  local function X(ci) return left + band * (ci - 0.5) end

  local h = {}
  local function add(s) h[#h + 1] = s end
  add(string.format('<figure class="chart" id="%s">\n', id))
  add(string.format('<figcaption class="chart-title">%s</figcaption>\n', esc(title)))
  add(string.format('<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg" role="img" ' ..
    'aria-labelledby="%s-title %s-desc" viewBox="0 0 %d %d" width="100%%" ' ..
    'preserveAspectRatio="xMidYMid meet" font-size="%d">\n', id, id, W, H, FONT))
  add(string.format('<title id="%s-title">%s</title>\n', id, esc(title)))
  add(string.format('<desc id="%s-desc">%s</desc>\n', id, esc(desc)))

  -- grid and y axis
  for _, v in ipairs(ticks) do
    local y = Y(v)
    add(string.format('<line x1="%d" y1="%s" x2="%d" y2="%s" stroke="%s" stroke-width="1"/>',
      left, f1(y), W - right, f1(y), v == 0 and "#444" or "#ddd"))
    add(string.format('<text x="%d" y="%s" text-anchor="end" fill="#222">%s</text>\n',
      left - 6, f1(y + 4), toivo.format_number(v, tick_dec)))
  end
  if spec.y_label then
    local cy = top + PLOT_H / 2
    add(string.format('<text x="14" y="%s" text-anchor="middle" transform="rotate(-90 14 %s)" fill="#222">%s</text>\n',
      f1(cy), f1(cy), esc(str(spec.y_label))))
  end
  add(string.format('<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#444"/>\n', left, top, left, top + PLOT_H))

  -- x axis labels
  for ci, c in ipairs(m.cats) do
    local x, y = X(ci), top + PLOT_H + 16
    if rotate then
      add(string.format('<text x="%s" y="%s" text-anchor="end" transform="rotate(-40 %s %s)" fill="#222">%s</text>\n',
        f1(x), f1(y), f1(x), f1(y), esc(c.label)))
    else
      add(string.format('<text x="%s" y="%s" text-anchor="middle" fill="#222">%s</text>\n', f1(x), f1(y), esc(c.label)))
    end
  end
  if spec.x_label then
    add(string.format('<text x="%s" y="%d" text-anchor="middle" fill="#222">%s</text>\n',
      f1(left + plot_w / 2), H - 6, esc(str(spec.x_label))))
  end

  -- the data
  local zero = Y(math.max(ymin, math.min(0, ymax)))
  if kind == "line" then
    for si, s in ipairs(m.series) do
      local k = (si - 1) % #PALETTE + 1
      local d, pen = {}, false
      for ci = 1, nc do
        local v = m.values[si][ci]
        if v then
          d[#d + 1] = (pen and "L" or "M") .. f1(X(ci)) .. " " .. f1(Y(v))
          pen = true
        else
          pen = false
        end
      end
      add(string.format('<g class="series series-%d"><path d="%s" fill="none" stroke="%s" stroke-width="2.5"%s/>',
        si, table.concat(d), PALETTE[k], DASHES[k] and (' stroke-dasharray="' .. DASHES[k] .. '"') or ""))
      for ci = 1, nc do
        local v = m.values[si][ci]
        if v then
          add(marker(SHAPES[k], X(ci), Y(v), PALETTE[k]))
          if ns == 1 then add(vlabel(X(ci), Y(v) - 9, fmt(v))) end
        end
      end
      add("</g>\n")
    end
    -- direct labels at the line ends, pushed apart so they do not overlap
    if ns > 1 then
      local ends = {}
      for si, s in ipairs(m.series) do
        for ci = nc, 1, -1 do
          local v = m.values[si][ci]
          if v then
            ends[#ends + 1] = { si = si, y = Y(v), x = X(ci), text = s.label .. " " .. fmt(v) }
            break
          end
        end
      end
      table.sort(ends, function(a, b) if a.y ~= b.y then return a.y < b.y end return a.si < b.si end)
      for i = 2, #ends do
        if ends[i].y - ends[i - 1].y < 13 then ends[i].y = ends[i - 1].y + 13 end
      end
      for _, e in ipairs(ends) do
        add(string.format('<text x="%s" y="%s" font-size="11" fill="#222">%s</text>\n',
          f1(math.max(e.x + 8, W - right + 4)), f1(e.y + 4), esc(e.text)))
      end
    end
  else
    local grouped = kind ~= "stacked-bar" and ns > 1
    local inner = band * 0.8
    local bw = grouped and inner / ns or inner * 0.75
    for si = 1, ns do
      add(string.format('<g class="series series-%d">', si))
      for ci = 1, nc do
        local v = m.values[si][ci]
        if v then
          local x0, y0, y1
          if kind == "stacked-bar" then
            local base = 0
            for sj = 1, si - 1 do
              local u = m.values[sj][ci]
              if u and (u >= 0) == (v >= 0) then base = base + u end
            end
            y0, y1 = Y(base), Y(base + v)
            x0 = X(ci) - bw / 2
          else
            x0 = grouped and (X(ci) - inner / 2 + (si - 1) * bw) or (X(ci) - bw / 2)
            y0, y1 = zero, Y(v)
          end
          local top_y, hgt = math.min(y0, y1), math.abs(y1 - y0)
          add(bar(si, x0, top_y, bw, hgt))
          local s = fmt(v)
          if kind == "stacked-bar" then
            if hgt >= 14 and text_w(s, 10) <= bw - 2 then
              add(vlabel(x0 + bw / 2, top_y + hgt / 2 + 3.5, s))
            end
          elseif text_w(s, 10) <= bw + 6 then
            add(vlabel(x0 + bw / 2, v >= 0 and (y1 - 4) or (y1 + 12), s))
          end
        end
      end
      add("</g>\n")
    end
    if kind == "stacked-bar" then
      for ci = 1, nc do
        local sum, any = 0, false
        for si = 1, ns do
          local v = m.values[si][ci]
          if v then sum, any = sum + v, true end
        end
        if any then add(vlabel(X(ci), Y(math.max(sum, 0)) - 4, fmt(sum))) end
      end
      add("\n")
    end
  end

  -- legend
  for i, s in ipairs(m.series) do
    local p = legend[i]
    if p then
      local k = (i - 1) % #PALETTE + 1
      if kind == "line" then
        add(string.format('<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="2.5"%s/>',
          f1(p.x), f1(p.y + 6), f1(p.x + 18), f1(p.y + 6), PALETTE[k],
          DASHES[k] and (' stroke-dasharray="' .. DASHES[k] .. '"') or ""))
        add(marker(SHAPES[k], p.x + 9, p.y + 6, PALETTE[k]))
      else
        add(bar(i, p.x, p.y, 16, 12))
      end
      add(string.format('<text x="%s" y="%s" fill="#222">%s</text>\n', f1(p.x + 22), f1(p.y + 10), esc(s.label)))
    end
  end
  add('</svg>\n')

  -- the same numbers as a table
  add(string.format('<details class="chart-data">\n<summary>%s</summary>\n', esc(T(lang, "hooks_chart_data"))))
  add(string.format('<div class="table-wrap" role="region" aria-labelledby="%s-data" tabindex="0">\n', id))
  add(string.format('<table class="data-table">\n<caption id="%s-data">%s</caption>\n<thead>\n<tr>', id, esc(title)))
  add('<th scope="col">' .. esc(str(spec.x_label or spec.x or "")) .. '</th>')
  for _, s in ipairs(m.series) do add('<th scope="col" class="num">' .. esc(s.label) .. '</th>') end
  add('</tr>\n</thead>\n<tbody>\n')
  for ci, c in ipairs(m.cats) do
    add('<tr><th scope="row">' .. esc(c.label) .. '</th>')
    for si = 1, ns do
      local v = m.values[si][ci]
      add('<td class="num">' .. (v and fmt(v) or '') .. '</td>')
    end
    add('</tr>\n')
  end
  add('</tbody>\n</table>\n</div>\n</details>\n</figure>\n')
  return table.concat(h)
end

return { codeblocks = { chart = render } }
