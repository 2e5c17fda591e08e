# lib.sh - helpers for the shell tests.  Each check prints "ok - what" or
# "not ok - what" (with the evidence on "#" lines); run.sh counts them.
: "${TOIVO:=$(cd "$(dirname "$0")/.." && pwd)/build/toivo}"
: "${ROOT:=$(cd "$(dirname "$0")/.." && pwd)}"
T=$(mktemp -d /tmp/toivo-test.XXXXXX)
trap 'chmod -R u+w "$T" 2>/dev/null; rm -rf "$T"' EXIT

ok() { echo "ok - $1"; }
nok() { echo "not ok - $1"; [ -n "$2" ] && printf '%s\n' "$2" | head -20 | sed 's/^/# /'; return 0; }

# check WHAT CMD...: ok when CMD succeeds.
check() {
	what=$1
	shift
	if "$@" >/dev/null 2>&1; then ok "$what"; else nok "$what"; fi
}

# run_toivo ARGS...: runs toivo, keeping status in $rc and output in $T/out, $T/err.
run_toivo() {
	timeout 60 "$TOIVO" "$@" > "$T/out" 2> "$T/err"
	rc=$?
}

# expect_fail WHAT PATTERN ARGS...: toivo exits 1 and stderr matches PATTERN.
expect_fail() {
	what=$1
	pat=$2
	shift 2
	run_toivo "$@"
	if [ "$rc" = 1 ] && grep -Eq -- "$pat" "$T/err"; then
		ok "$what"
	else
		nok "$what" "exit $rc; stderr: $(cat "$T/err")"
	fi
}

# new_site DIR: a minimal two-language site (no hooks needed).
new_site() {
	mkdir -p "$1/content/mod"
	cat > "$1/site.yaml" <<'YAML'
title: {fi: "Testi", en: "Test"}
languages: [fi, en]
default_language: fi
base_url: "https://example.org/t/"
YAML
	printf -- '---\ntitle: "Koti"\n---\n\nKotisivu.\n' > "$1/content/_index.fi.md"
	printf -- '---\ntitle: "Home"\n---\n\nHome page.\n' > "$1/content/_index.en.md"
	printf -- '---\ntitle: "Moduuli"\nweight: 1\n---\n\nModuulin sivu.\n' > "$1/content/mod/_index.fi.md"
	printf -- '---\ntitle: "Module"\nslug: module\nweight: 1\n---\n\nModule page.\n' > "$1/content/mod/_index.en.md"
	printf -- '---\ntitle: "Eka"\nweight: 1\n---\n\n## Toivon löytäminen\n\nTeksti.\n' > "$1/content/mod/eka.fi.md"
	printf -- '---\ntitle: "First"\nslug: first\nweight: 1\n---\n\n## Finding hope\n\nText.\n' > "$1/content/mod/eka.en.md"
	printf -- '---\ntitle: "Toka"\nweight: 2\n---\n\nToinen.\n' > "$1/content/mod/toka.fi.md"
	printf -- '---\ntitle: "Second"\nslug: second\nweight: 2\n---\n\nSecond.\n' > "$1/content/mod/toka.en.md"
}

# tree_sum DIR: one checksum of every file's path and bytes.
tree_sum() {
	(cd "$1" && find . -type f | LC_ALL=C sort | xargs -d '\n' sha256sum) | sha256sum | cut -d' ' -f1
}

# free_port: a TCP port on 127.0.0.1 that nothing listens on now.
free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# wait_for CMD...: retries CMD every 0.1 s for up to $WAIT seconds.
wait_for() {
	i=0
	while [ "$i" -lt $((WAIT * 10)) ]; do
		"$@" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# git_sandbox: git and libgit2 see only the configuration made here: a HOME
# in $T with a test author, main as the first branch, no signing.
git_sandbox() {
	HOME=$T/home
	GIT_CONFIG_NOSYSTEM=1
	GIT_OPTIONAL_LOCKS=0
	export HOME GIT_CONFIG_NOSYSTEM GIT_OPTIONAL_LOCKS
	unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE SSH_AUTH_SOCK TOIVO_SSH_KEY TOIVO_GIT_TOKEN
	mkdir -p "$HOME"
	git config --global user.name "Test Trainer"
	git config --global user.email "trainer@example.org"
	git config --global init.defaultBranch main
	git config --global advice.detachedHead false
	git config --global commit.gpgsign false
}

# publish_repo SITE REMOTE: SITE committed in a git repository of its own
# (public/ ignored), with a bare REMOTE as origin that has its main branch.
publish_repo() {
	printf '/public/\n/.toivo-cache/\n' > "$1/.gitignore"
	git -C "$1" init -q
	git -C "$1" add -A
	git -C "$1" commit -qm "The course"
	git init -q --bare "$2"
	git -C "$1" remote add origin "$2"
	git -C "$1" push -q origin main
}

# rev REPO REF: the commit REF names in REPO, or "none".
rev() { git -C "$1" rev-parse -q --verify "$2" 2>/dev/null || echo none; }

# browser_ready [TOOL...]: Debian's chromium ($CHROMIUM), node 20 or later,
# npm, and any TOOL given are there, and tests/browser's npm packages are
# installed (npm ci when missing); else a "not ok" line saying what to
# install, and status 1.  Sets CHROMIUM and B (tests/browser).
browser_ready() {
	CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
	export CHROMIUM
	B=$ROOT/tests/browser
	missing=
	for tool in node npm "$@"; do
		command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"
	done
	[ -x "$CHROMIUM" ] || missing="$missing $CHROMIUM"
	if [ -n "$missing" ]; then
		nok "the browser tests have what they need" "missing:$missing (Debian: apt-get install chromium nodejs poppler-utils; npm comes with NodeSource's nodejs, else apt-get install npm)"
		return 1
	fi
	major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null)
	if [ "${major:-0}" -lt 20 ]; then
		nok "node is version 20 or later (playwright-core needs it)" "node $(node --version 2>&1)"
		return 1
	fi
	if [ ! -f "$B/node_modules/playwright-core/package.json" ] || [ ! -f "$B/node_modules/axe-core/axe.min.js" ]; then
		if npm ci --prefix "$B" --no-audit --no-fund > "$T/npm.log" 2>&1; then
			ok "npm ci installs playwright-core and axe-core"
		else
			nok "npm ci installs playwright-core and axe-core" "$(tail -20 "$T/npm.log")"
			return 1
		fi
	fi
}
