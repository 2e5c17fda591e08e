-- planform.lua - the `planform` code block: a printable client plan form
-- from a YAML file (schema in docs/blocks.md).  No <form>: the page is meant
-- to be printed on A4 and filled in by hand, so it is headings, guiding
-- questions and ruled writing space.
--
--   <section class="planform">
--     <h2>title</h2> <p class="planform-hope">hope</p>
--     <div class="planform-fields"> label + ruled line, per field </div>
--     <section class="planform-part"> <h3>heading</h3>
--       <ul class="planform-questions"> ... </ul>
--       <div class="write-space" style="min-height: ..rem" aria-hidden="true"></div>
--     </section> ...
--   </section>

local FALLBACK = {
  fi = { planform_name = "Nimi", planform_date = "Päivämäärä" },
  en = { planform_name = "Name", planform_date = "Date" },
}

local function T(lang, key)
  return toivo.t(key) or (FALLBACK[lang] or FALLBACK.en)[key]
end

local esc = toivo.escape

-- Text in the page's language from {fi: ..., en: ...} (or a plain string).
local function L(t, lang)
  if type(t) == "table" then return t[lang] or t.fi or t.en or "" end
  if t == nil then return "" end
  return tostring(t)
end

-- A box of n lines to write on; the theme's CSS rules a line every 2rem.
local function lines(n)
  return string.format('<div class="write-space" style="min-height: %.1frem" aria-hidden="true"></div>\n', n * 2 + 0.5)
end

local function render(block)
  local spec = toivo.yaml(block.text)
  if type(spec) ~= "table" or not spec.data then
    toivo.error("the planform block needs data: (a plan YAML file under content/data/)")
  end
  local plan = toivo.data(spec.data)
  if type(plan) ~= "table" or type(plan.parts) ~= "table" then
    toivo.error(spec.data .. ": a plan needs parts: (a list of {key, heading, questions})")
  end
  local lang = block.page.lang or "fi"
  local level = math.tointeger(spec.heading_level or 2) or 2
  if level < 1 or level > 5 then level = 2 end
  local id = "plan-" .. block.line
  local h = {}
  local function add(s) h[#h + 1] = s end
  add(string.format('<section class="planform" aria-labelledby="%s-title">\n', id))
  add(string.format('<h%d id="%s-title" class="planform-title">%s</h%d>\n', level, id, esc(L(plan.title, lang)), level))
  if plan.hope then
    add('<p class="planform-hope">' .. esc(L(plan.hope, lang)) .. '</p>\n')
  end
  if type(plan.fields) == "table" and #plan.fields > 0 then
    add('<div class="planform-fields">\n')
    for _, f in ipairs(plan.fields) do
      local label = f.label and L(f.label, lang) or T(lang, "planform_" .. tostring(f.key)) or tostring(f.key)
      add(string.format('<div class="planform-field planform-field-%s"><span class="planform-label">%s</span>\n%s</div>\n',
        esc(tostring(f.key or "")), esc(label), lines(1)))
    end
    add('</div>\n')
  end
  for i, part in ipairs(plan.parts) do
    if type(part) ~= "table" then toivo.error(string.format("%s: part %d is not a table", spec.data, i)) end
    local key = tostring(part.key or i)
    add(string.format('<section class="planform-part planform-part-%s" aria-labelledby="%s-%s">\n', esc(key), id, esc(key)))
    add(string.format('<h%d id="%s-%s">%s</h%d>\n', level + 1, id, esc(key), esc(L(part.heading, lang)), level + 1))
    local qs = part.questions or {}
    if #qs > 0 then
      add('<ul class="planform-questions">\n')
      for _, q in ipairs(qs) do add('<li>' .. esc(L(q, lang)) .. '</li>\n') end
      add('</ul>\n')
    end
    -- more room where there is more to think about; lines: overrides
    local n = math.tointeger(part.lines) or (#qs == 0 and 4 or math.min(10, 4 + #qs))
    add(lines(n))
    add('</section>\n')
  end
  add('</section>\n')
  return table.concat(h)
end

return { codeblocks = { planform = render } }
