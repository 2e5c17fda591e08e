-- planform.lua - the `planform` code block: a client plan (or any form of
-- the same shape) from a YAML file, as a real <form> that prints as the
-- blank A4 form.  The YAML is described in docs/forms.md.
--
--   <form class="planform" data-form="ID" ...>      data-msg-*: form.js's texts
--     <h2>title</h2> <p class="planform-hope">hope</p>
--     <div class="planform-tools" hidden> privacy sentence, Save, Open,
--       Print, Clear, a live region </div>          form.js reveals it
--     <div class="planform-fields"> per field: <label>, <input>, and the
--       ruled line of the paper form (.write-space) </div>
--     <fieldset class="planform-part"> <legend><h3>heading</h3></legend>
--       <ul class="planform-questions" id=..> the guiding questions </ul>
--       <textarea aria-labelledby=heading aria-describedby=questions>
--       <div class="write-space" aria-hidden="true"></div>
--     </fieldset> ...
--   </form>
--   <script src="ROOT/assets/form.js" defer></script>
--
-- Without JavaScript the fields stay hidden and the page is the paper form
-- (the writing boxes).  form.js shows the fields, and copies every answer
-- into its box so that printing gives the same paper form with the answers
-- in it: a <textarea> itself would print clipped to its height.  The
-- fields have no name attribute, so a submitted form could not carry an
-- answer anywhere (form.js stops submitting anyway).

local FALLBACK = {
  fi = {
    planform_name = "Nimi",
    planform_date = "Päivämäärä",
    planform_privacy = "Vastauksesi pysyvät vain tällä sivulla: niitä ei lähetetä minnekään eikä tallenneta selaimeen, joten tallenna ne tiedostoksi tai tulosta ennen kuin suljet sivun.",
    planform_tools = "Lomakkeen toiminnot",
    planform_save = "Tallenna",
    planform_open = "Avaa tallennettu suunnitelma",
    planform_print = "Tulosta",
    planform_clear = "Tyhjennä",
    planform_saved = "Tallennettu tiedostoon {file}.",
    planform_opened = "Avattu tiedostosta {file}.",
    planform_cleared = "Lomake on tyhjennetty.",
    planform_confirm_clear = "Tyhjennetäänkö kaikki vastaukset? Tallentamattomat vastaukset katoavat.",
    planform_confirm_replace = "Korvataanko nykyiset vastaukset tiedoston vastauksilla? Tallentamattomat vastaukset katoavat.",
    planform_broken = "Tiedostoa {file} ei voitu avata: se ei ole tällä sivulla tallennettu lomake tai se on vioittunut. Lomaketta ei muutettu.",
    planform_other_form = "Tiedosto {file} on toisesta lomakkeesta ({form}). Lomaketta ei muutettu.",
    planform_newer = "Tiedosto {file} on tallennettu uudemmalla lomakkeen versiolla. Lomaketta ei muutettu.",
    planform_unknown = "Tiedostossa {file} on kohtia, joita tässä lomakkeessa ei ole ({keys}). Lomaketta ei muutettu.",
    planform_file_note = "Tallennettu {date}. Voit jatkaa suunnitelmaa avaamalla tämän tiedoston lomakkeen sivulla kohdasta ”Avaa tallennettu suunnitelma”.",
  },
  en = {
    planform_name = "Name",
    planform_date = "Date",
    planform_privacy = "Your answers stay on this page only: they are not sent anywhere or stored in the browser, so save them to a file or print them before you close the page.",
    planform_tools = "Form actions",
    planform_save = "Save",
    planform_open = "Open saved plan",
    planform_print = "Print",
    planform_clear = "Clear",
    planform_saved = "Saved to the file {file}.",
    planform_opened = "Opened from the file {file}.",
    planform_cleared = "The form has been cleared.",
    planform_confirm_clear = "Clear all the answers? Answers that are not saved will be lost.",
    planform_confirm_replace = "Replace the current answers with the ones in the file? Answers that are not saved will be lost.",
    planform_broken = "The file {file} could not be opened: it is not a form saved on this page, or it is damaged. The form was not changed.",
    planform_other_form = "The file {file} is from another form ({form}). The form was not changed.",
    planform_newer = "The file {file} was saved with a newer version of the form. The form was not changed.",
    planform_unknown = "The file {file} has parts this form does not have ({keys}). The form was not changed.",
    planform_file_note = "Saved {date}. To go on with the plan, open this file on the form's page with “Open saved plan”.",
  },
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

-- Keys end up in ids, id lists and the saved file: letters, digits, _ and -.
local function check_key(data, what, key, seen)
  if not key:find("^[%w_-]+$") then
    toivo.error(string.format("%s: %s key %q may hold only letters a-z, digits, _ and -", data, what, key))
  end
  -- The form's own ids are plan-N-title and plan-N-file, a part's text
  -- and questions plan-N-KEY-text and plan-N-KEY-q: keys that would
  -- give the same id twice are refused.
  if key == "title" or key == "file" or key:find("%-text$") or key:find("%-q$") then
    toivo.error(string.format("%s: %s key %q is reserved; choose another key", data, what, key))
  end
  if seen[key] then
    toivo.error(string.format("%s: the key %q is used twice; every field and part needs a key of its own", data, key))
  end
  seen[key] = true
end

-- The site's root from this page, for the theme's assets ("../../../").
local function root_of(page, site)
  local url = page.url or ""
  local base = site and site.base_url or ""
  if base ~= "" and url:sub(1, #base) == base then
    url = url:sub(#base + 1)
  else
    url = url:gsub("^%a[%w+.-]*://[^/]*", ""):gsub("^/", "")
  end
  local _, n = url:gsub("/", "")
  return ("../"):rep(n)
end

local MESSAGES = { "saved", "opened", "cleared", "confirm_clear", "confirm_replace",
  "broken", "other_form", "newer", "unknown", "file_note" }

local function render(block)
  local spec = toivo.yaml(block.text)
  if type(spec) ~= "table" or type(spec.data) ~= "string" then
    toivo.error("the planform block needs data: (a plan YAML file under content/data/)")
  end
  local plan = toivo.data(spec.data)
  if type(plan) ~= "table" or type(plan.parts) ~= "table" then
    toivo.error(spec.data .. ": a plan needs parts: (a list of {key, heading, questions})")
  end
  local lang = block.page.lang or "fi"
  local level = math.tointeger(spec.heading_level or 2) or 2
  if level < 1 or level > 5 then level = 2 end
  -- The form's name in a saved file: a file opens only in the form it
  -- was saved from (in either language).
  local form_id = plan.id and toivo.text(plan.id) or spec.data:match("([^/]+)$"):gsub("%.[^.]*$", "")
  if not form_id:find("^[%w_-]+$") then
    toivo.error(string.format("%s: id %q may hold only letters a-z, digits, _ and -", spec.data, form_id))
  end
  local id = "plan-" .. block.line
  local title = L(plan.title, lang)
  local seen = {}
  local h = {}
  local function add(s) h[#h + 1] = s end

  local msgs = {}
  for _, m in ipairs(MESSAGES) do
    msgs[#msgs + 1] = string.format(' data-msg-%s="%s"', m:gsub("_", "-"), esc(T(lang, "planform_" .. m)))
  end
  add(string.format('<form class="planform" id="%s" data-form="%s" data-form-title="%s" aria-labelledby="%s-title" autocomplete="off" novalidate%s>\n',
    id, esc(form_id), esc(title), id, table.concat(msgs)))
  add(string.format('<h%d id="%s-title" class="planform-title">%s</h%d>\n', level, id, esc(title), level))
  local intro = plan.hope or plan.intro
  if intro then
    add('<p class="planform-hope">' .. esc(L(intro, lang)) .. '</p>\n')
  end

  add(string.format('<div class="planform-tools" hidden>\n<p class="planform-privacy">%s</p>\n', esc(T(lang, "planform_privacy"))))
  add(string.format('<div class="planform-buttons" role="group" aria-label="%s">\n', esc(T(lang, "planform_tools"))))
  add(string.format('<button type="button" class="button" data-action="save">%s</button>\n', esc(T(lang, "planform_save"))))
  add(string.format('<button type="button" class="button" data-action="open">%s</button>\n', esc(T(lang, "planform_open"))))
  add(string.format('<input type="file" id="%s-file" class="planform-file" accept=".html,.htm,text/html" hidden>\n', id))
  add(string.format('<button type="button" class="button" data-action="print">%s</button>\n', esc(T(lang, "planform_print"))))
  add(string.format('<button type="button" class="button" data-action="clear">%s</button>\n', esc(T(lang, "planform_clear"))))
  add('</div>\n<p class="planform-status" role="status" aria-live="polite"></p>\n</div>\n')

  if type(plan.fields) == "table" and #plan.fields > 0 then
    add('<div class="planform-fields">\n')
    for i, f in ipairs(plan.fields) do
      if type(f) ~= "table" or f.key == nil then
        toivo.error(string.format("%s: field %d needs a key:", spec.data, i))
      end
      local key = toivo.text(f.key)
      check_key(spec.data, "field", key, seen)
      local label = f.label and L(f.label, lang) or T(lang, "planform_" .. key) or key
      local ftype = f.type and toivo.text(f.type) or (key == "date" and "date" or "text")
      if ftype ~= "text" and ftype ~= "date" then
        toivo.error(string.format("%s: field %q has type %q; a field is text or date", spec.data, key, ftype))
      end
      add(string.format('<div class="planform-field planform-field-%s"><label class="planform-label" for="%s-%s">%s</label>\n',
        key, id, key, esc(label)))
      add(string.format('<input class="planform-input" type="%s" id="%s-%s" data-key="%s" autocomplete="off" spellcheck="false">\n',
        ftype, id, key, key))
      add(lines(1))
      add('</div>\n')
    end
    add('</div>\n')
  end

  for i, part in ipairs(plan.parts) do
    if type(part) ~= "table" then toivo.error(string.format("%s: part %d is not a table", spec.data, i)) end
    local key = toivo.text(part.key or i)
    check_key(spec.data, "part", key, seen)
    local pid = id .. "-" .. key
    add(string.format('<fieldset class="planform-part planform-part-%s">\n', key))
    add(string.format('<legend><h%d id="%s">%s</h%d></legend>\n', level + 1, pid, esc(L(part.heading, lang)), level + 1))
    local qs = part.questions or {}
    local described = ""
    if #qs > 0 then
      add(string.format('<ul class="planform-questions" id="%s-q">\n', pid))
      for _, q in ipairs(qs) do add('<li>' .. esc(L(q, lang)) .. '</li>\n') end
      add('</ul>\n')
      described = string.format(' aria-describedby="%s-q"', pid)
    end
    -- more room where there is more to think about; lines: overrides
    local n = math.tointeger(part.lines) or (#qs == 0 and 4 or math.min(10, 4 + #qs))
    add(string.format('<textarea class="planform-input" id="%s-text" data-key="%s" rows="%d" aria-labelledby="%s"%s autocomplete="off" spellcheck="false"></textarea>\n',
      pid, key, n, pid, described))
    add(lines(n))
    add('</fieldset>\n')
  end
  add('</form>\n')
  add(string.format('<script src="%sassets/form.js" defer></script>\n', root_of(block.page, block.site)))
  return table.concat(h)
end

return { codeblocks = { planform = render } }
