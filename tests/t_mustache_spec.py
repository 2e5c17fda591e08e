#!/usr/bin/python3
"""t_mustache_spec.py - the Mustache spec (v1.3 JSON files) against
`toivo template`.

Runs the core files (comments, delimiters, interpolation, inverted,
partials, sections) and ~inheritance; the other optional modules
(~dynamic-names, ~lambdas) are not implemented and are reported as SKIP.
Each spec test becomes a folder with t.mustache, its partials beside it as
NAME.mustache and data.json; the output of `toivo template t.mustache
data.json` must equal the expected text exactly.

Usage: t_mustache_spec.py [TOIVO]   (default: $TOIVO, else build/toivo)
The spec folder is ../shared/conformance/mustache from the repository root,
else tests/spec/mustache (a copy), or $TOIVO_MUSTACHE_SPEC.  Prints "ok - FILE: NAME" / "not ok - FILE: NAME"
lines with the evidence on "#" lines, as tests/run.sh counts them.
"""
import json
import os
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RUN = ['comments', 'delimiters', 'interpolation', 'inverted', 'partials',
       'sections', '~inheritance']


def comment(label, text):
    lines = text.split('\n')
    return ['# %s %s' % (label, json.dumps(line)) for line in lines[:20]]


def run_test(toivo, fname, test, tmp):
    d = tempfile.mkdtemp(dir=tmp)
    with open(os.path.join(d, 't.mustache'), 'w', encoding='utf-8', newline='') as f:
        f.write(test['template'])
    for name, text in test.get('partials', {}).items():
        with open(os.path.join(d, name + '.mustache'), 'w', encoding='utf-8', newline='') as f:
            f.write(text)
    with open(os.path.join(d, 'data.json'), 'w', encoding='utf-8') as f:
        json.dump(test['data'], f)
    label = '%s: %s' % (fname, test['name'])
    try:
        p = subprocess.run([toivo, 'template', 't.mustache', 'data.json'], cwd=d,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=30)
    except subprocess.TimeoutExpired:
        print('not ok - %s' % label)
        print('# timed out')
        return False
    got = p.stdout.decode('utf-8', 'replace')
    if p.returncode == 0 and got == test['expected']:
        print('ok - %s' % label)
        return True
    print('not ok - %s' % label)
    print('# exit status %d' % p.returncode)
    for line in comment('template', test['template']):
        print(line)
    for line in comment('expected', test['expected']):
        print(line)
    for line in comment('got     ', got):
        print(line)
    err = p.stderr.decode('utf-8', 'replace').strip()
    if err:
        for line in err.split('\n')[:10]:
            print('# stderr ' + line)
    return False


def main():
    toivo = sys.argv[1] if len(sys.argv) > 1 else os.environ.get('TOIVO') or \
        os.path.join(REPO, 'build', 'toivo')
    toivo = os.path.abspath(toivo)
    # The shared conformance folder beside the repository when it is there;
    # otherwise the copy in tests/spec/mustache (same files, see its COMMIT),
    # so a clone anywhere runs the whole spec.
    spec = os.environ.get('TOIVO_MUSTACHE_SPEC')
    if not spec:
        spec = os.path.join(REPO, '..', 'shared', 'conformance', 'mustache')
        if not os.path.isdir(spec):
            spec = os.path.join(REPO, 'tests', 'spec', 'mustache')
    print('# spec files from %s' % os.path.normpath(spec))
    if not os.path.isdir(spec):
        print('not ok - mustache spec folder %s is missing' % spec)
        return 1
    files = sorted(f for f in os.listdir(spec) if f.endswith('.json'))
    failed = 0
    with tempfile.TemporaryDirectory(prefix='toivo-spec.') as tmp:
        for f in files:
            base = f[:-len('.json')]
            if base not in RUN:
                print('ok - # SKIP %s: optional module, not implemented in toivo' % f)
                continue
            with open(os.path.join(spec, f), encoding='utf-8') as fh:
                tests = json.load(fh)['tests']
            for t in tests:
                if not run_test(toivo, f, t, tmp):
                    failed += 1
    for name in RUN:
        if name + '.json' not in files:
            print('not ok - spec file %s.json is missing' % name)
            failed += 1
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
