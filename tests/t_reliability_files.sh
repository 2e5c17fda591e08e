#!/bin/sh
# t_reliability_files.sh - the build reads only regular files, and only
# inside the site: a FIFO, socket or device anywhere the build reads
# (content, data, templates, partials, i18n, static, lua) is a clear error
# and never blocks; a partial name, a data path or a symbolic link that
# leads outside the site is an error, exit 1, and nothing from outside
# reaches the output.
. "$(dirname "$0")/lib.sh"

S=$T/s
new_site "$S"
mkdir -p "$S/lua" "$S/content/data" "$S/themes"
cp -r "$ROOT/themes/default" "$S/themes/t"
printf '%s\ntheme: t\n' "$(cat "$S/site.yaml")" > "$S/site.yaml"
printf 'SECRET-OUTSIDE-THE-SITE\n' > "$T/secret.mustache"
cp "$T/secret.mustache" "$T/secret.csv"
cp "$T/secret.mustache" "$T/secret.md"
printf 'a,b\n1,2\n' > "$S/content/data/ok.csv"
printf 'return { codeblocks = { data = function(b) local r = toivo.data(b.text:gsub("%%s", "")) return "<p>" .. toivo.escape(tostring(#r)) .. "</p>" end } }\n' > "$S/lua/data.lua"
run_toivo build -s "$S"
[ "$rc" = 0 ] || nok "the test site builds" "$(cat "$T/err")"

# fails WHAT PATTERN: the build exits 1 within the wall-clock limit, says
# PATTERN, and leaves no text from outside the site in the output.
fails() {
	timeout 30 "$TOIVO" build -s "$S" -o "$T/out-$$" > "$T/out" 2> "$T/err" < /dev/null
	rc=$?
	if [ "$rc" = 1 ] && grep -Eq -- "$2" "$T/err" && ! grep -rqs SECRET-OUTSIDE "$T/out-$$"; then
		ok "$1"
	else
		nok "$1" "exit $rc; stderr: $(head -c 1500 "$T/err")"
	fi
}
NOTREG='not a regular file \(a FIFO, a device or a socket\)'
OUTSIDE='leads outside the site folder|leaves the partials folder|leads outside content/data'

# --- not regular files --------------------------------------------------------
mkfifo "$S/content/data/pipe.csv"
printf -- '---\ntitle: "Eka"\nweight: 1\n---\n\n```data\npipe.csv\n```\n' > "$S/content/mod/eka.fi.md"
fails "a FIFO in content/data read by toivo.data is an error, not a hang" "content/data/pipe.csv: cannot read: $NOTREG"
rm "$S/content/data/pipe.csv"
python3 -c 'import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])' "$S/content/data/sock.csv"
printf -- '---\ntitle: "Eka"\nweight: 1\n---\n\n```data\nsock.csv\n```\n' > "$S/content/mod/eka.fi.md"
fails "a socket in content/data read by toivo.data is an error" "$NOTREG"
rm "$S/content/data/sock.csv"
printf -- '---\ntitle: "Eka"\nweight: 1\n---\n\nTeksti.\n' > "$S/content/mod/eka.fi.md"

for f in content/mod/pipe.fi.md content/mod/pipe.png themes/t/partials/toc.mustache themes/t/layouts/lesson.mustache \
	 i18n/fi.yaml static/pipe.css lua/pipe.lua themes/t/assets/pipe.js; do
	mkdir -p "$(dirname "$S/$f")"
	mv "$S/$f" "$T/saved" 2>/dev/null
	mkfifo "$S/$f"
	fails "a FIFO at $f is an error, not a hang" "$NOTREG"
	rm "$S/$f"
	mv "$T/saved" "$S/$f" 2>/dev/null
done
mkfifo "$S/site.yaml.fifo"
mv "$S/site.yaml" "$T/site.yaml"
mv "$S/site.yaml.fifo" "$S/site.yaml"
fails "site.yaml as a FIFO is an error, not a hang" "$NOTREG"
rm "$S/site.yaml"
mv "$T/site.yaml" "$S/site.yaml"
if mknod "$S/content/data/zero.csv" c 1 5 2>/dev/null; then
	printf -- '---\ntitle: "Eka"\nweight: 1\n---\n\n```data\nzero.csv\n```\n' > "$S/content/mod/eka.fi.md"
	fails "a character device in content/data is an error, not an endless read" "$NOTREG"
	rm "$S/content/data/zero.csv"
else
	ok "# SKIP cannot make a device node here"
fi
printf -- '---\ntitle: "Eka"\nweight: 1\n---\n\nTeksti.\n' > "$S/content/mod/eka.fi.md"

# --- outside the site -----------------------------------------------------------
cp "$S/themes/t/layouts/lesson.mustache" "$T/lesson.orig"
UP=$(echo "$T" | sed 's|[^/]*|..|g')     # enough ../ to reach /
for name in "../../../../secret" "..$UP$T/secret" "$T/secret" "../layouts/../../../../secret"; do
	printf '{{> %s}}\n' "$name" >> "$S/themes/t/layouts/lesson.mustache"
	fails "partial {{> $name}} is refused" 'partial .* leaves the partials folder'
	cp "$T/lesson.orig" "$S/themes/t/layouts/lesson.mustache"
done
ln -s "$T/secret.mustache" "$S/themes/t/partials/leak.mustache"
printf '{{> leak}}\n' >> "$S/themes/t/layouts/lesson.mustache"
fails "a partial that is a symbolic link out of the site is refused" "$OUTSIDE"
rm "$S/themes/t/partials/leak.mustache"
mkdir -p "$T/outdir"
cp "$T/secret.mustache" "$T/outdir/leak.mustache"
mv "$S/themes/t/partials" "$S/themes/t/partials.real"
ln -s "$T/outdir" "$S/themes/t/partials"
fails "a partials folder that is a symbolic link out of the site is refused" "$OUTSIDE"
rm "$S/themes/t/partials"
mv "$S/themes/t/partials.real" "$S/themes/t/partials"
cp "$T/lesson.orig" "$S/themes/t/layouts/lesson.mustache"
mv "$S/themes/t/layouts/lesson.mustache" "$T/lesson.orig"
ln -s "$T/secret.mustache" "$S/themes/t/layouts/lesson.mustache"
fails "a layout that is a symbolic link out of the site is refused" "$OUTSIDE"
rm "$S/themes/t/layouts/lesson.mustache"
mv "$T/lesson.orig" "$S/themes/t/layouts/lesson.mustache"
mkdir -p "$S/i18n"
ln -s "$T/secret.csv" "$S/i18n/en.yaml"
fails "site i18n that is a symbolic link out of the site is refused" "$OUTSIDE"
rm "$S/i18n/en.yaml"
ln -s "$T/secret.csv" "$S/content/data/leak.csv"
printf -- '---\ntitle: "Eka"\nweight: 1\n---\n\n```data\nleak.csv\n```\n' > "$S/content/mod/eka.fi.md"
fails "a data file that is a symbolic link out of the site is refused" "$OUTSIDE"
rm "$S/content/data/leak.csv"
ln -s "$T" "$S/content/data/up"
printf -- '---\ntitle: "Eka"\nweight: 1\n---\n\n```data\nup/secret.csv\n```\n' > "$S/content/mod/eka.fi.md"
fails "a data folder that is a symbolic link out of the site is refused" "$OUTSIDE"
rm "$S/content/data/up"
printf -- '---\ntitle: "Eka"\nweight: 1\n---\n\nTeksti.\n' > "$S/content/mod/eka.fi.md"

run_toivo build -s "$S"
if [ "$rc" = 0 ] && ! grep -rq SECRET-OUTSIDE "$S/public"; then
	ok "the site builds again once the bad files are gone"
else
	nok "the site builds again once the bad files are gone" "exit $rc; $(cat "$T/err")"
fi
