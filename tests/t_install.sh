#!/bin/sh
# t_install.sh - toivo installed like real software: make install into a
# scratch root, the installed program used from elsewhere with no clone
# around, the manual, bash completion, --version, and what `toivo new` makes
# (languages, title, git repository, CI files that work).
. "$(dirname "$0")/lib.sh"

if ! command -v git >/dev/null 2>&1 || ! python3 -c 'import yaml' 2>/dev/null; then
	echo "ok - # SKIP git or python3-yaml is not installed"
	exit 0
fi
git_sandbox

# --- make install / uninstall ---------------------------------------------
X=$T/x
# -o: the suite's build/toivo is installed as it is, never rebuilt under the
# other tests' feet (a commit since the build would change its version).
if timeout 300 make -s -C "$ROOT" -o build/toivo install DESTDIR="$X" PREFIX=/usr > "$T/make.log" 2>&1; then
	ok "make install DESTDIR PREFIX=/usr"
else
	nok "make install DESTDIR PREFIX=/usr" "$(tail -20 "$T/make.log")"
fi
# The binary under test (the ASan one on that pass) stands where make put
# the release build.
[ "$TOIVO" != "$X/usr/bin/toivo" ] && cp "$TOIVO" "$X/usr/bin/toivo"
(cd "$X" && find . \( -type f -o -type l \) | LC_ALL=C sort) > "$T/installed"
cat > "$T/expected" <<'EOF'
./usr/bin/toivo
./usr/share/bash-completion/completions/toivo
./usr/share/man/man1/toivo-build.1
./usr/share/man/man1/toivo-check.1
./usr/share/man/man1/toivo-clean.1
./usr/share/man/man1/toivo-new.1
./usr/share/man/man1/toivo-pdf.1
./usr/share/man/man1/toivo-publish.1
./usr/share/man/man1/toivo-serve.1
./usr/share/man/man1/toivo-template.1
./usr/share/man/man1/toivo.1
EOF
diff "$T/expected" "$T/installed" > "$T/diff" && ok "install puts the binary, the manual and completion, nothing else" ||
	nok "install puts the binary, the manual and completion, nothing else" "$(cat "$T/diff")"
check "installed binary is executable" test -x "$X/usr/bin/toivo"
U=$T/u
timeout 300 make -s -C "$ROOT" -o build/toivo install DESTDIR="$U" PREFIX=/opt/t > /dev/null 2>&1 &&
	timeout 60 make -s -C "$ROOT" uninstall DESTDIR="$U" PREFIX=/opt/t > /dev/null 2>&1
left=$(find "$U" -type f -o -type l 2>/dev/null)
[ -z "$left" ] && [ -d "$U/opt/t/bin" ] && ok "make uninstall removes what install put" ||
	nok "make uninstall removes what install put" "$left"

# --- the installed program, away from the clone ---------------------------
I=$X/usr/bin/toivo
W=$T/work
mkdir -p "$W" "$T/elsewhere"
# Only the system's folders on PATH, and no way back to the source tree.
(cd "$W" && env -i HOME="$HOME" PATH=/usr/bin:/bin GIT_CONFIG_NOSYSTEM=1 ASAN_OPTIONS="$ASAN_OPTIONS" \
	UBSAN_OPTIONS="$UBSAN_OPTIONS" timeout 60 "$I" new c) > "$T/out" 2> "$T/err"
rc=$?
[ "$rc" = 0 ] && ok "installed toivo new c" || nok "installed toivo new c" "exit $rc; $(cat "$T/err")"
(cd "$W/c" && env -i HOME="$HOME" PATH=/usr/bin:/bin ASAN_OPTIONS="$ASAN_OPTIONS" UBSAN_OPTIONS="$UBSAN_OPTIONS" \
	timeout 60 "$I" build) > "$T/out" 2> "$T/err"
rc=$?
[ "$rc" = 0 ] && [ -f "$W/c/public/fi/aloitus/ensimmainen/index.html" ] && [ -f "$W/c/public/assets/style.css" ] &&
	grep -q '<table' "$W/c/public/fi/aloitus/ensimmainen/index.html" &&
	ok "cd c && installed toivo build: pages, theme and hooks from inside the binary" ||
	nok "cd c && installed toivo build: pages, theme and hooks from inside the binary" "exit $rc; $(cat "$T/err")"
(cd "$T/elsewhere" && env -i HOME="$HOME" PATH=/usr/bin:/bin ASAN_OPTIONS="$ASAN_OPTIONS" UBSAN_OPTIONS="$UBSAN_OPTIONS" \
	timeout 60 "$I" check -s "$W/c") > "$T/out" 2> "$T/err"
rc=$?
[ "$rc" = 0 ] && grep -q 'no problems found' "$T/err" && ! grep 'warning' "$T/err" | grep -qv 'run toivo pdf' &&
	ok "installed toivo check from another folder: no problems, no warnings" ||
	nok "installed toivo check from another folder: no problems, no warnings" "exit $rc; $(cat "$T/err")"

# --- --version -------------------------------------------------------------
# What the Makefile promises: git describe in a git checkout (the tag, else
# the release and the commit), else the release number of cmd.h.
v=$(timeout 10 "$I" --version)
release=$(sed -n 's/^#define TOIVO_RELEASE "\(.*\)"/\1/p' "$ROOT/generator/cmd.h")
want=$release
if [ -e "$ROOT/.git" ] && git -C "$ROOT" rev-parse -q --verify HEAD > /dev/null 2>&1; then
	want=$(git -C "$ROOT" describe --tags --dirty 2>/dev/null | sed 's/^v//')
	[ -n "$want" ] || want=$release+git.$(git -C "$ROOT" describe --always --dirty)
fi
# A binary built before the last commit names the commit it was built from.
h=$(printf '%s\n' "$v" | sed -n 's/^toivo .*[.g]\([0-9a-f]\{7,\}\)\(-dirty\)\{0,1\}$/\1/p')
if [ "$v" = "toivo $want" ] || { [ "$want" != "$release" ] && [ -n "$h" ] && git -C "$ROOT" cat-file -e "$h^{commit}" 2>/dev/null; }; then
	ok "--version: $v"
else
	nok "--version says toivo $want" "$v"
fi

# --- the manual --------------------------------------------------------------
M=$X/usr/share/man/man1/toivo.1
if command -v mandoc >/dev/null 2>&1; then
	mandoc -T lint -W warning "$M" > "$T/lint" 2>&1 && ok "mandoc -T lint: no warnings" ||
		nok "mandoc -T lint: no warnings" "$(cat "$T/lint")"
else
	echo "ok - # SKIP mandoc is not installed"
fi
LC_ALL=C.UTF-8 MANWIDTH=80 timeout 60 man --warnings -l "$M" > "$T/man.txt" 2> "$T/man.err"
rc=$?
[ "$rc" = 0 ] && [ ! -s "$T/man.err" ] && grep -q 'EXIT STATUS' "$T/man.txt" &&
	ok "man -l renders toivo(1), man --warnings silent" || nok "man -l renders toivo(1), man --warnings silent" "exit $rc; $(cat "$T/man.err")"
# Every command, and every option each command's --help names, is in the
# manual; so are the exit status, the files and an example.
missing=""
for c in build check serve pdf publish new template clean; do
	grep -q "^   toivo $c\$" "$T/man.txt" || missing="$missing $c"
	timeout 10 "$I" $c --help > "$T/help" 2>&1
	for o in $(grep -o -- '--[a-z][a-z-]*' "$T/help" | sort -u); do
		grep -q -- "$o" "$T/man.txt" || missing="$missing $c$o"
	done
done
for s in 'EXIT STATUS' FILES EXAMPLES ENVIRONMENT site.yaml 'toivo new --lang'; do
	grep -q -- "$s" "$T/man.txt" || missing="$missing '$s'"
done
[ -z "$missing" ] && ok "the manual has every command, option, exit status, file and an example" ||
	nok "the manual has every command, option, exit status, file and an example" "missing:$missing"
for c in build publish new; do
	p=$(MANPATH=$X/usr/share/man timeout 10 man -w "toivo-$c" 2>/dev/null)
	[ -n "$p" ] && ok "man toivo-$c finds the page" || nok "man toivo-$c finds the page"
done

# --- bash completion ---------------------------------------------------------
if command -v bash >/dev/null 2>&1; then
	C=$X/usr/share/bash-completion/completions/toivo
	got=$(bash -c '. "$1"; COMP_WORDS=(toivo pu); COMP_CWORD=1; _toivo; echo "${COMPREPLY[*]}"' _ "$C")
	[ "$got" = publish ] && ok "completion: commands" || nok "completion: commands" "$got"
	got=$(bash -c '. "$1"; COMP_WORDS=(toivo pdf --e); COMP_CWORD=2; _toivo; echo "${COMPREPLY[*]}"; COMP_WORDS=(toivo pdf --engine w); COMP_CWORD=3; _toivo; echo "${COMPREPLY[*]}"' _ "$C")
	[ "$got" = "--engine
weasyprint" ] && ok "completion: options and their values" || nok "completion: options and their values" "$got"
	missing=""
	for c in build check serve pdf publish new clean; do
		timeout 10 "$I" $c --help > "$T/help" 2>&1
		opts=$(bash -c '. "$1"; COMP_WORDS=(toivo "$2" -); COMP_CWORD=2; _toivo; echo "${COMPREPLY[*]}"' _ "$C" "$c")
		for o in $(grep -o -- '--[a-z][a-z-]*' "$T/help" | sort -u); do
			case " $opts " in *" $o "*) ;; *) missing="$missing $c$o" ;; esac
		done
	done
	[ -z "$missing" ] && ok "completion offers every option of every command" ||
		nok "completion offers every option of every command" "missing:$missing"
fi

# --- toivo new: a repository with a first commit ------------------------------
S=$W/c
[ "$(git -C "$S" rev-list --count HEAD 2>/dev/null)" = 1 ] && [ -z "$(git -C "$S" status --porcelain)" ] &&
	ok "toivo new: git init and a first commit of every file" ||
	nok "toivo new: git init and a first commit of every file" "$(git -C "$S" log --stat 2>&1; git -C "$S" status 2>&1)"
check "toivo new: the CI files are committed" git -C "$S" cat-file -e HEAD:.github/workflows/pages.yml
check "toivo new: .gitlab-ci.yml committed" git -C "$S" cat-file -e HEAD:.gitlab-ci.yml
check "toivo new: first branch is main" test "$(git -C "$S" symbolic-ref --short HEAD)" = main
mkdir -p "$S/.toivo-cache"
touch "$S/.toivo-cache/x"
check ".gitignore leaves out public/" git -C "$S" check-ignore -q public/index.html
check ".gitignore leaves out .toivo-cache/" git -C "$S" check-ignore -q .toivo-cache/x
rm -rf "$S/.toivo-cache"
git init -q --bare "$T/pub.git"
git -C "$S" remote add origin "$T/pub.git"
(cd "$S" && timeout 60 "$I" publish) > "$T/out" 2> "$T/err"
rc=$?
[ "$rc" = 0 ] && git -C "$T/pub.git" cat-file -e gh-pages:fi/index.html 2>/dev/null &&
	ok "toivo publish works at once in a new site" || nok "toivo publish works at once in a new site" "exit $rc; $(cat "$T/err")"
# Inside a repository of the user's own: no repository in the repository.
git init -q "$T/outer"
run_toivo new "$T/outer/course"
[ "$rc" = 0 ] && [ ! -e "$T/outer/course/.git" ] && grep -q "$T/outer" "$T/out" &&
	ok "toivo new inside a repository makes none of its own" || nok "toivo new inside a repository makes none of its own" "exit $rc; $(cat "$T/out" "$T/err")"

# --- toivo new --lang, --title ------------------------------------------------
run_toivo new --lang fi,en,sv --title 'Toipuminen "yhdessä"' "$T/three"
[ "$rc" = 0 ] && ok "toivo new --lang fi,en,sv --title" || nok "toivo new --lang fi,en,sv --title" "exit $rc; $(cat "$T/err")"
run_toivo check -s "$T/three"
[ "$rc" = 0 ] && ! grep warning "$T/err" | grep -qv 'run toivo pdf' && ok "three languages: check passes with no warnings" ||
	nok "three languages: check passes with no warnings" "exit $rc; $(cat "$T/err")"
keys() { grep -o '^[a-z_]*:' "$1" | sort; }
keys "$ROOT/themes/default/i18n/en.yaml" > "$T/k.en"
keys "$T/three/i18n/sv.yaml" > "$T/k.sv"
cmp -s "$T/k.en" "$T/k.sv" && ok "i18n/sv.yaml has every string of the theme" ||
	nok "i18n/sv.yaml has every string of the theme" "$(diff "$T/k.en" "$T/k.sv")"
run_toivo build -s "$T/three"
check "three languages: Swedish home built" test -f "$T/three/public/sv/index.html"
check "--title is the site's title" grep -q '<title>Toipuminen &quot;yhdessä&quot;' "$T/three/public/sv/index.html"
check "--title is the same in every language" grep -q 'Toipuminen &quot;yhdessä&quot;' "$T/three/public/fi/index.html"
grep -q '^languages: \[fi, en, sv\]$' "$T/three/site.yaml" && grep -q '^default_language: fi$' "$T/three/site.yaml" &&
	ok "site.yaml lists the languages, the first the default" || nok "site.yaml lists the languages, the first the default" "$(cat "$T/three/site.yaml")"
run_toivo new --lang en "$T/one"
[ "$rc" = 0 ] && [ ! -e "$T/one/content/_index.fi.md" ] && [ ! -e "$T/one/i18n" ] &&
	timeout 60 "$TOIVO" check -s "$T/one" > /dev/null 2>&1 && ok "toivo new --lang en: English only, checks clean" ||
	nok "toivo new --lang en: English only, checks clean" "exit $rc; $(cat "$T/err")"
# A language with no strings of its own gets one message, not one per string.
rm "$T/three/i18n/sv.yaml"
run_toivo check -s "$T/three"
n=$(grep ": warning:" "$T/err" | grep -cv 'run toivo pdf')   # the closing line counts them too
[ "$rc" = 0 ] && [ "$n" = 1 ] && grep -q "missing in language 'sv'.*'skip_to_content'" "$T/err" &&
	ok "a language without strings: one warning listing them" || nok "a language without strings: one warning listing them" "exit $rc; $n warnings; $(head -3 "$T/err")"
for bad in "--lang fi,fi" "--lang FI" "--lang" "--title" "--nope"; do
	run_toivo new $bad "$T/bad"
	[ "$rc" = 2 ] && [ ! -e "$T/bad" ] && ok "toivo new $bad: usage error, nothing written" ||
		nok "toivo new $bad: usage error, nothing written" "exit $rc; $(cat "$T/err")"
done

# --- the CI files, run here -----------------------------------------------------
for kind in github gitlab; do
	F=$T/ci-$kind
	git clone -q "$S" "$F"
	case $kind in github) file=.github/workflows/pages.yml ;; gitlab) file=.gitlab-ci.yml ;; esac
	if timeout 600 python3 "$ROOT/tests/ci_steps.py" "$kind" "$F/$file" "$F" "$TOIVO" > "$T/ci.log" 2>&1; then
		ok "$kind CI: every shell step runs in a fresh copy"
	else
		nok "$kind CI: every shell step runs in a fresh copy" "$(cat "$T/ci.log")"
	fi
	check "$kind CI: public/ comes out" test -f "$F/public/fi/aloitus/ensimmainen/index.html"
	(cd "$F" && timeout 60 "$TOIVO" check) > /dev/null 2>&1 && ok "$kind CI: toivo check passes" || nok "$kind CI: toivo check passes"
	[ -z "$(git -C "$F" status --porcelain)" ] && ok "$kind CI: leaves nothing to commit" ||
		nok "$kind CI: leaves nothing to commit" "$(git -C "$F" status --porcelain)"
done
python3 - "$S" > "$T/ci.err" 2>&1 <<'PY' && ok "CI files deploy with the official Pages actions and public/ as the artifact" || nok "CI files deploy with the official Pages actions and public/ as the artifact" "$(cat "$T/ci.err")"
import sys, yaml
site = sys.argv[1]
gh = yaml.safe_load(open(site + "/.github/workflows/pages.yml"))
uses = [s.get("uses", "").split("@")[0] for j in gh["jobs"].values() for s in j["steps"]]
for a in ("actions/checkout", "actions/configure-pages", "actions/upload-pages-artifact", "actions/deploy-pages"):
    assert a in uses, a
up = [s for s in gh["jobs"]["build"]["steps"] if s.get("uses", "").startswith("actions/upload-pages-artifact")][0]
assert up["with"]["path"] == "public", up
assert gh["permissions"]["pages"] == "write" and gh["permissions"]["id-token"] == "write"
gl = yaml.safe_load(open(site + "/.gitlab-ci.yml"))
assert gl["pages"]["artifacts"]["paths"] == ["public"], gl["pages"]
PY
