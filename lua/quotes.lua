-- quotes.lua - the `quotes` and `quote` code blocks: client quotes from a
-- YAML list of {fi: ..., en: ...}.  See docs/blocks.md.
--
-- On a Finnish page a quote is shown in Finnish.  On a page in another
-- language the Finnish original is shown (lang="fi") with the translation
-- after it, each labelled, so readers see what the client actually said:
--
--   <blockquote class="client-quote">
--     <span class="quote-label">Original in Finnish</span>
--     <p lang="fi">”...”</p>
--     <p class="translation"><span class="quote-label">Translation</span>“...”</p>
--   </blockquote>
--
-- A quote that lacks the page's language shows only the original.
-- `quotes` puts every quote in a <ul class="quotes">; `quote` shows one.

local FALLBACK = {
  fi = { hooks_original_fi = "Alkuperäinen suomeksi", hooks_translation = "Käännös" },
  en = { hooks_original_fi = "Original in Finnish", hooks_translation = "Translation" },
}

local function T(lang, key)
  return toivo.t(key) or (FALLBACK[lang] or FALLBACK.en)[key] or key
end

local esc = toivo.escape

-- Quotation marks as each language writes them.
local MARKS = { fi = { "\u{201D}", "\u{201D}" }, en = { "\u{201C}", "\u{201D}" } }

local function quoted(lang, s)
  local m = MARKS[lang] or MARKS.en
  return m[1] .. esc(s) .. m[2]
end

local function load_quotes(block)
  local spec = toivo.yaml(block.text)
  if type(spec) ~= "table" or not spec.data then
    toivo.error("the block needs data: (a YAML list of {fi: ..., en: ...} under content/data/)")
  end
  local list = toivo.data(spec.data)
  if type(list) ~= "table" or #list == 0 then
    toivo.error(spec.data .. ": expected a list of quotes ({fi: ..., en: ...})")
  end
  for i, q in ipairs(list) do
    if type(q) ~= "table" or type(q.fi) ~= "string" then
      toivo.error(string.format("%s: quote %d has no fi: text", spec.data, i))
    end
  end
  return spec, list
end

-- One quote as a <blockquote>.
local function one(q, lang, cls)
  local tr = lang ~= "fi" and type(q[lang]) == "string" and q[lang] or nil
  if not tr then
    return string.format('<blockquote class="%s" lang="fi"><p>%s</p></blockquote>\n', cls, quoted("fi", q.fi))
  end
  return string.format(
    '<blockquote class="%s">\n<span class="quote-label">%s</span>\n<p lang="fi">%s</p>\n' ..
    '<p class="translation"><span class="quote-label">%s</span>%s</p>\n</blockquote>\n',
    cls, esc(T(lang, "hooks_original_fi")), quoted("fi", q.fi),
    esc(T(lang, "hooks_translation")), quoted(lang, tr))
end

local function quotes(block)
  local _, list = load_quotes(block)
  local lang = block.page.lang or "fi"
  local h = { '<ul class="quotes">\n' }
  for _, q in ipairs(list) do h[#h + 1] = '<li>' .. one(q, lang, "client-quote") .. '</li>\n' end
  h[#h + 1] = '</ul>\n'
  return table.concat(h)
end

-- A small stable hash of a string (FNV-1a, 32 bits): the same page picks
-- the same quote in every build.
local function hash(s)
  local x = 2166136261
  for i = 1, #s do
    x = ((x ~ s:byte(i)) * 16777619) & 0xffffffff
  end
  return x
end

local function quote(block)
  local spec, list = load_quotes(block)
  local lang = block.page.lang or "fi"
  local i = spec.index
  if i == nil then
    -- both language versions of a page choose the same quote
    local key = (block.page.path or ""):gsub("%.%a%a%.md$", "")
    i = hash(key) % #list + 1
  end
  if math.type(i) ~= "integer" or i < 1 or i > #list then
    toivo.error(string.format("index: %s is not between 1 and %d", tostring(spec.index), #list))
  end
  return one(list[i], lang, "client-quote client-quote-featured")
end

return { codeblocks = { quotes = quotes, quote = quote } }
