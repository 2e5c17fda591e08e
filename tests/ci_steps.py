#!/usr/bin/env python3
"""ci_steps.py KIND FILE SITE TOIVO - runs the shell steps of a course's CI
file (KIND: github for .github/workflows/pages.yml, gitlab for
.gitlab-ci.yml) in SITE, in order, as the CI service would, with the program
TOIVO standing in for the toivo the CI would download and build: it is put
where the "build toivo" step looks first.  Steps that use an action (which
only GitHub can run) are named and passed over.  Prints one line per step;
exits 1 when a step fails."""
import atexit
import os
import shutil
import subprocess
import sys
import tempfile

import yaml

kind, ci_file, site, toivo = sys.argv[1:5]
with open(ci_file, encoding="utf-8") as f:
    ci = yaml.safe_load(f)

env = dict(os.environ)
# a sudo for machines without one (GitHub's runners have it; as root here
# it just runs the command)
shim = tempfile.mkdtemp(prefix="toivo-ci-")
atexit.register(shutil.rmtree, shim, True)
if not shutil.which("sudo"):
    with open(os.path.join(shim, "sudo"), "w", encoding="utf-8") as f:
        f.write('#!/bin/sh\nexec "$@"\n')
    os.chmod(os.path.join(shim, "sudo"), 0o755)
env["PATH"] = shim + ":" + env["PATH"]


def stand_in(variables):
    """Puts TOIVO where the CI keeps the toivo it built."""
    version = str(variables["TOIVO_VERSION"])
    dest = os.path.join(site, ".toivo-cache", "toivo-" + version)
    os.makedirs(dest, exist_ok=True)
    shutil.copy(toivo, os.path.join(dest, "toivo"))
    return dest


def run(name, script, shell):
    r = subprocess.run([shell, "-e", "-c", script], cwd=site, env=env, timeout=300,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    print(f"step: {name}: exit {r.returncode}")
    if r.returncode != 0:
        print("\n".join("  " + line for line in r.stdout.splitlines()[-20:]))
        sys.exit(1)


if kind == "github":
    for k, v in (ci.get("env") or {}).items():
        env[k] = str(v)
    dest = stand_in(ci["env"])
    gh_path = os.path.join(shim, "github_path")
    open(gh_path, "w").close()
    env["GITHUB_PATH"] = gh_path
    env["GITHUB_WORKSPACE"] = site
    for job_name, job in ci["jobs"].items():
        for step in job["steps"]:
            name = step.get("name") or step.get("uses") or step.get("id")
            if "uses" in step:
                print(f"step: {job_name}: {name}: an action, passed over")
                continue
            run(f"{job_name}: {name}", step["run"], "bash")
            # GitHub adds the lines of $GITHUB_PATH to PATH between steps
            with open(gh_path, encoding="utf-8") as f:
                for line in f.read().split():
                    if line not in env["PATH"].split(":"):
                        env["PATH"] = line + ":" + env["PATH"]
elif kind == "gitlab":
    job = ci["pages"]
    variables = dict(ci.get("variables") or {})
    variables.update(job.get("variables") or {})
    for k, v in variables.items():
        env[k] = str(v)
    dest = stand_in(variables)
    env["CI_PROJECT_DIR"] = site
    # GitLab runs before_script and script in one shell, one line at a time
    lines = list(job.get("before_script") or []) + list(job["script"])
    run("pages: before_script + script", "\n".join(lines), "bash")
else:
    sys.exit(f"unknown kind {kind}")

if os.path.isdir(os.path.join(dest, "src")):
    print("error: the CI downloaded toivo although it was there")
    sys.exit(1)
