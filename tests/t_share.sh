#!/bin/sh
# t_share.sh - what a page says when it is shared: Open Graph and Twitter
# card tags in <head> (absolute URLs from base_url, locales of the page and
# its translations, image: of the page or the site), and a sitemap that is
# well-formed XML with an x-default alternate for translated pages.
. "$(dirname "$0")/lib.sh"

S=$T/site
P=$S/public
new_site "$S"
# A title that must be escaped, a page with a picture, one without a
# translation.
printf -- '---\ntitle: "Eka & \\"toka\\""\ndescription: "Ensimmäinen sivu."\nweight: 1\nimage: kuva.png\nimage_alt: "Kaksi kättä"\n---\n\nTeksti.\n' > "$S/content/mod/eka.fi.md"
printf 'PNG' > "$S/content/mod/kuva.png"
printf -- '---\ntitle: "Vain suomeksi"\nweight: 3\n---\n\nYksin.\n' > "$S/content/mod/yksin.fi.md"
run_toivo build -s "$S"
[ "$rc" = 0 ] && ! grep -q warning "$T/err" && ok "the site builds without warnings" || nok "the site builds without warnings" "exit $rc; $(cat "$T/err")"

# meta PAGE PROPERTY: the content of <meta property|name="PROPERTY"> lines.
meta() { sed -n "s/^<meta \(property\|name\)=\"$2\" content=\"\([^\"]*\)\">\$/\2/p" "$1"; }
# is WHAT GOT WANT
is() { [ "$2" = "$3" ] && ok "$1" || nok "$1" "got '$2', want '$3'"; }

EKA=$P/fi/mod/eka/index.html
TOKA=$P/fi/mod/toka/index.html
is "og:title is the page's title, escaped" "$(meta "$EKA" og:title)" 'Eka &amp; &quot;toka&quot;'
is "og:type of a lesson is article" "$(meta "$EKA" og:type)" article
is "og:type of the home page is website" "$(meta "$P/fi/index.html" og:type)" website
is "og:title of the home page is the site's title" "$(meta "$P/en/index.html" og:title)" Test
is "og:site_name is the site's title in the page's language" "$(meta "$P/en/module/first/index.html" og:site_name)" Test
is "og:url is absolute, from base_url" "$(meta "$TOKA" og:url)" https://example.org/t/fi/mod/toka/
is "og:url of a slugged page" "$(meta "$P/en/module/second/index.html" og:url)" https://example.org/t/en/module/second/
canon=$(sed -n 's/^<link rel="canonical" href="\([^"]*\)">$/\1/p' "$TOKA")
is "og:url is the canonical URL" "$(meta "$TOKA" og:url)" "$canon"
is "og:description is the page's description" "$(meta "$EKA" og:description)" "Ensimmäinen sivu."
! grep -q 'og:description' "$TOKA" && ok "no description anywhere: no empty og:description" || nok "no description anywhere: no empty og:description" "$(grep og:description "$TOKA")"
is "og:locale of a Finnish page is fi_FI" "$(meta "$TOKA" og:locale)" fi_FI
is "og:locale of an English page is en_GB" "$(meta "$P/en/module/second/index.html" og:locale)" en_GB
is "og:locale:alternate names the translation's locale" "$(meta "$TOKA" og:locale:alternate)" en_GB
is "an untranslated page has no og:locale:alternate" "$(meta "$P/fi/mod/yksin/index.html" og:locale:alternate)" ""
is "no image: no og:image" "$(meta "$TOKA" og:image)" ""
is "no image: a summary card" "$(meta "$TOKA" twitter:card)" summary
img=$(meta "$EKA" og:image)
is "image: beside the page is an absolute URL" "$img" https://example.org/t/fi/mod/kuva.png
check "the shared picture is in the output at that URL" test -f "$P/${img#https://example.org/t/}"
is "image_alt is og:image:alt" "$(meta "$EKA" og:image:alt)" "Kaksi kättä"
is "with an image: a large card" "$(meta "$EKA" twitter:card)" summary_large_image
! grep -q 'og:' "$P/fi/404.html" && ok "the 404 page has no og tags" || nok "the 404 page has no og tags" "$(grep og: "$P/fi/404.html")"
n=$(grep -c '^<meta property="og:title"' "$TOKA")
is "each tag once" "$n" 1

# --- the site's image, a missing one, no base_url -----------------------------
printf 'SVG' > "$S/content/kansi.png"
printf 'image: kansi.png\nimage_alt: {fi: "Kansi", en: "Cover"}\n' >> "$S/site.yaml"
run_toivo build -s "$S"
is "a page without image: gets the site's" "$(meta "$TOKA" og:image)" https://example.org/t/fi/kansi.png
is "... in the page's language" "$(meta "$P/en/module/second/index.html" og:image)" https://example.org/t/en/kansi.png
is "... with its alt text in that language" "$(meta "$P/en/module/second/index.html" og:image:alt)" Cover
check "the site's picture is in the output" test -f "$P/en/kansi.png"
is "a page's own image wins over the site's" "$(meta "$EKA" og:image)" https://example.org/t/fi/mod/kuva.png
printf -- '---\ntitle: "Toka"\nweight: 2\nimage: puuttuu.png\n---\n\nToinen.\n' > "$S/content/mod/toka.fi.md"
run_toivo build -s "$S"
[ "$rc" = 0 ] && grep -q "^content/mod/toka.fi.md:4:8: warning: image 'puuttuu.png': no such file in the page's folder in content/; add it or fix the path" "$T/err" &&
	ok "a missing picture is a warning with file:line:col" || nok "a missing picture is a warning with file:line:col" "exit $rc; $(cat "$T/err")"
is "... and the site's picture is used instead" "$(meta "$TOKA" og:image)" https://example.org/t/fi/kansi.png
printf -- '---\ntitle: "Toka"\nweight: 2\nimage: [a.png]\n---\n\nToinen.\n' > "$S/content/mod/toka.fi.md"
run_toivo build -s "$S"
[ "$rc" = 1 ] && grep -q "^content/mod/toka.fi.md:4:8: error: 'image' must be text, not a list" "$T/err" &&
	ok "an image that is not text is an error at its line" || nok "an image that is not text is an error at its line" "exit $rc; $(cat "$T/err")"
sed -i 's/^image: kansi.png$/image: 12/' "$S/site.yaml"
printf -- '---\ntitle: "Toka"\nweight: 2\n---\n\nToinen.\n' > "$S/content/mod/toka.fi.md"
run_toivo build -s "$S"
[ "$rc" = 0 ] && grep -q "^site.yaml:[0-9]*:8: warning: image must be a picture's file name or URL" "$T/err" &&
	ok "a site image that is not a name is a warning at its line" || nok "a site image that is not a name is a warning" "exit $rc; $(cat "$T/err")"
sed -i 's/^image: 12$/image: kansi.png/' "$S/site.yaml"
sed -i '/^base_url/d' "$S/site.yaml"
run_toivo build -s "$S"
is "without base_url: no og:url" "$(meta "$TOKA" og:url)" ""
is "without base_url: no og:image" "$(meta "$EKA" og:image)" ""
grep -q "warning: image 'kansi.png' is not shared: base_url in site.yaml is not a whole URL" "$T/err" &&
	ok "without base_url: the image is a warning saying what to set" || nok "without base_url: the image is a warning" "$(cat "$T/err")"

# A page hook may set the picture, as it may set the description.
H=$T/hook
new_site "$H"
mkdir -p "$H/lua"
printf 'PNG' > "$H/content/mod/kuva.png"
printf 'return { page = function(page) if page.path:find("eka") then page.params.image = "kuva.png" end end }\n' > "$H/lua/kuva.lua"
run_toivo build -s "$H"
is "an image set by a page hook is shared" "$(meta "$H/public/fi/mod/eka/index.html" og:image)" https://example.org/t/fi/mod/kuva.png

# --- the sitemap ---------------------------------------------------------------
new_site "$T/sm"
printf -- '---\ntitle: "Vain suomeksi"\nweight: 3\n---\n\nYksin.\n' > "$T/sm/content/mod/yksin.fi.md"
run_toivo build -s "$T/sm"
X=$T/sm/public/sitemap.xml
if command -v xmllint > /dev/null 2>&1; then
	check "sitemap.xml is well-formed XML (xmllint)" xmllint --noout "$X"
else
	check "sitemap.xml is well-formed XML (python3)" python3 -c 'import sys, xml.dom.minidom; xml.dom.minidom.parse(sys.argv[1])' "$X"
fi
res=$(timeout 30 python3 - "$X" <<'PY'
import sys, xml.etree.ElementTree as ET
ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
for u in ET.parse(sys.argv[1]).getroot().findall("s:url", ns):
    alts = {l.get("hreflang"): l.get("href") for l in u.findall("x:link", ns)}
    print(u.find("s:loc", ns).text, alts.get("fi", "-"), alts.get("x-default", "-"), len(alts))
PY
)
echo "$res" | grep -q '^https://example.org/t/en/module/first/ https://example.org/t/fi/mod/eka/ https://example.org/t/fi/mod/eka/ 3$' &&
	ok "an English page's x-default is its Finnish original" || nok "an English page's x-default is its Finnish original" "$res"
echo "$res" | grep -q '^https://example.org/t/fi/mod/eka/ https://example.org/t/fi/mod/eka/ https://example.org/t/fi/mod/eka/ 3$' &&
	ok "a Finnish page's x-default is itself" || nok "a Finnish page's x-default is itself" "$res"
n=$(echo "$res" | awk '$3 == "-"' | wc -l)
[ "$n" = 0 ] && [ "$(echo "$res" | wc -l)" = 9 ] && ok "every page in the sitemap has x-default" || nok "every page in the sitemap has x-default" "$res"
