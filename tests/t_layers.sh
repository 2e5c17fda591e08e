#!/bin/sh
# t_layers.sh - the modules form layers (docs/hacking.md): no module
# includes, directly or through others, a module that includes it back.
# A module is NAME.c with NAME.h; "a uses b" when a.c or a.h includes b.h
# and b.c exists (a header without a .c, such as publish_git.h, only shares
# declarations among the files of one module).
. "$(dirname "$0")/lib.sh"

cycles=$(timeout 60 python3 - "$ROOT" <<'PY'
import os, re, sys
root = sys.argv[1]
uses = {}
mods = {f[:-2] for d in ("generator", "publish") for f in os.listdir(os.path.join(root, d)) if f.endswith(".c")}
for d in ("generator", "publish"):
    for f in os.listdir(os.path.join(root, d)):
        if not f.endswith((".c", ".h")):
            continue
        mod = f[:-2]
        with open(os.path.join(root, d, f), encoding="utf-8") as fh:
            for inc in re.findall(r'^#include "([^"]+)\.h"', fh.read(), re.M):
                if inc != mod and inc in mods:
                    uses.setdefault(mod, set()).add(inc)
# Every cycle found by a depth-first search, each printed once.
seen, found = set(), set()
def walk(m, path):
    if m in path:
        c = path[path.index(m):]
        k = min(range(len(c)), key=lambda i: c[i])
        found.add(" -> ".join(c[k:] + c[:k] + [c[k]]))
        return
    if m in seen:
        return
    for n in sorted(uses.get(m, ())):
        walk(n, path + [m])
for m in sorted(uses):
    walk(m, [])
    seen.add(m)
print("\n".join(sorted(found)))
PY
)
if [ -z "$cycles" ]; then
	ok "no include cycles between modules"
else
	nok "no include cycles between modules" "$cycles"
fi
