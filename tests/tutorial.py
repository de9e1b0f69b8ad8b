#!/usr/bin/python3
"""doc/tutorial.md, run as a user would: its programs and commands, from the page itself.

The page marks what it holds with HTML comments before fenced blocks:

    <!-- tutorial: file NAME -->   the block is the file NAME (a C program, a script)
    <!-- tutorial: run NAME -->    the block is shell commands, run in order

Every file is written into a temporary directory, the C programs are compiled
strictly (C11, -Wall -Wextra -pedantic -Werror) against the build tree's
headers, and the run blocks are run verbatim by bash: `cc ... $(pkg-config
--cflags --libs nn)` finds a nn.pc written here that points at the build
tree, and `nn-train`, `nn-predict` are the built programs, first on PATH.
Iris comes from the installed scikit-learn (the page's own make-iris.py);
without it the test is skipped (exit 77).

What it asserts, on outcomes: the Iris program's held-out accuracy, the
sine regression's RMSE and R^2 and its early stop, the predict-one program
answering what nn-predict answers for the same rows with the same model
(and the true species for nearly every flower), nn-train's model read by
the C program and the C program's by nn-predict, and the page's stated
line count of the Iris program (at most 40).

usage: tutorial.py SOURCE_DIR BUILD_DIR LIBNN NN_TRAIN NN_PREDICT [SANITIZE]
"""

import csv
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tempfile

MARK = re.compile(r'^<!-- tutorial: (file|run) (\S+) -->\n```[a-z]*\n(.*?)^```$', re.M | re.S)


def fail(msg):
    print('FAIL: ' + msg)
    sys.exit(1)


def blocks(doc):
    """The page's marked blocks, in order: [(kind, name, text)]."""
    with open(doc, encoding='utf-8') as f:
        text = f.read()
    found = [(m.group(1), m.group(2), m.group(3)) for m in MARK.finditer(text)]
    # a marker whose block the pattern missed (a typo in the fence) must not
    # silently drop a program from the test
    if len(found) != text.count('<!-- tutorial: '):
        fail('%s: %d markers, %d of them before a fenced block' %
             (doc, text.count('<!-- tutorial: '), len(found)))
    return text, found


def sh(block, cwd, env, name):
    p = subprocess.run(['bash', '-e', '-o', 'pipefail', '-c', block], cwd=cwd, env=env,
                       capture_output=True, text=True, timeout=120)
    if p.returncode != 0:
        fail('run block %s exited %d:\n%s\n%s' % (name, p.returncode, p.stdout, p.stderr))
    return p.stdout


def number(pattern, out, what):
    m = re.search(pattern, out, re.M)
    if not m:
        fail('%s: no match for %r in:\n%s' % (what, pattern, out))
    return [float(g) for g in m.groups()]


def main():
    # meson hands the built files over relative to the build directory, the
    # test's working directory: make them absolute before leaving it
    src, build, libnn, nn_train, nn_predict = (os.path.abspath(a) for a in sys.argv[1:6])
    sanitize = sys.argv[6] if len(sys.argv) > 6 else 'none'
    spec = importlib.util.find_spec('sklearn')
    iris_src = spec and os.path.join(os.path.dirname(spec.origin), 'datasets', 'data', 'iris.csv')
    if not iris_src or not os.path.isfile(iris_src):
        print('SKIP: scikit-learn and its iris.csv are not installed (the tutorial\'s data)')
        return 77
    if not shutil.which('cc') or not shutil.which('pkg-config'):
        print('SKIP: the tutorial compiles with cc and pkg-config, and one is missing')
        return 77

    text, found = blocks(os.path.join(src, 'doc', 'tutorial.md'))
    files = {n: b for k, n, b in found if k == 'file'}
    runs = [(n, b) for k, n, b in found if k == 'run']
    want = {'make-iris.py', 'iris.c', 'sin.c', 'iris-save.c', 'iris-predict.c'}
    if not want <= set(files):
        fail('doc/tutorial.md lacks %s' % ', '.join(sorted(want - set(files))))

    # the Iris program's length, as the page states it and at most 40
    n_iris = files['iris.c'].count('\n')
    m = re.search(r'The whole program is (\d+) lines', text)
    if not m or int(m.group(1)) != n_iris:
        fail('the page says "%s", iris.c has %d lines' % (m and m.group(0), n_iris))
    if n_iris > 40:
        fail('iris.c has %d lines, more than 40' % n_iris)

    with tempfile.TemporaryDirectory(prefix='nn-tutorial-') as tmp:
        # a nn.pc for the build tree; a sanitized build's library needs its
        # programs sanitized too
        san = [] if sanitize in ('', 'none') else ['-fsanitize=' + sanitize]
        incs = ['-I' + os.path.join(src, 'include'), '-I' + os.path.join(build, 'include')]
        libdir = os.path.dirname(libnn)
        os.mkdir(os.path.join(tmp, 'pc'))
        with open(os.path.join(tmp, 'pc', 'nn.pc'), 'w') as f:
            f.write('Name: nn\nDescription: nn, the build tree\nVersion: 0\n'
                    'Cflags: %s\nLibs: %s\n' % (' '.join(incs + san), ' '.join(
                        ['-L' + libdir, '-Wl,-rpath,' + libdir, '-lnn'] + san)))
        tools = sorted({os.path.dirname(p) for p in (nn_train, nn_predict)})
        env = dict(os.environ, PKG_CONFIG_PATH=os.path.join(tmp, 'pc'),
                   PATH=os.pathsep.join(tools + [os.environ.get('PATH', '/usr/bin:/bin')]),
                   LC_ALL='C')
        # the C programs in one directory, the command lines in another (both save iris.nn)
        cdir, clidir = os.path.join(tmp, 'c'), os.path.join(tmp, 'cli')
        os.mkdir(cdir)
        os.mkdir(clidir)
        for name, body in files.items():
            with open(os.path.join(cdir, name), 'w') as f:
                f.write(body)

        # the data, by the page's own script, from scikit-learn's copy
        p = subprocess.run([sys.executable, 'make-iris.py'], cwd=cdir, capture_output=True,
                           text=True, timeout=120)
        if p.returncode != 0:
            fail('make-iris.py exited %d: %s' % (p.returncode, p.stderr))
        with open(os.path.join(cdir, 'iris.csv')) as f:
            rows = list(csv.reader(f))
        with open(iris_src) as f:
            n_src = sum(1 for _ in f) - 1
        if rows[0][-1] != 'species' or len(rows) - 1 != n_src or \
                {r[-1] for r in rows[1:]} != {'setosa', 'versicolor', 'virginica'}:
            fail('make-iris.py wrote %d rows, header %s' % (len(rows) - 1, rows[0]))
        shutil.copy(os.path.join(cdir, 'iris.csv'), clidir)

        # every C program compiles cleanly as strict C11
        for name in sorted(files):
            if name.endswith('.c'):
                p = subprocess.run(['cc', '-std=c11', '-Wall', '-Wextra', '-pedantic', '-Werror',
                                    '-fsyntax-only'] + incs + [name], cwd=cdir,
                                   capture_output=True, text=True)
                if p.returncode != 0:
                    fail('%s does not compile cleanly:\n%s' % (name, p.stderr))

        out = {}
        for name, body in runs:
            out[name] = sh(body, clidir if name.startswith('cli-') else cdir, env, name)
        for need in ('iris', 'sin', 'predict', 'cli-classify', 'cli-regress', 'cli-predict'):
            if need not in out:
                fail('doc/tutorial.md has no run block %s' % need)

        # 1. Iris: held-out accuracy (a constant guess scores at most 0.4)
        acc, k, n = number(r'^test accuracy: ([0-9.]+) \((\d+) of (\d+)\)', out['iris'], 'iris')
        if n != 38 or abs(acc - k / n) > 1e-4 or acc < 0.9:
            fail('iris: test accuracy %g (%d of %d), want >= 0.9 of 38' % (acc, k, n))

        # 2. sin(x): a close fit, and early stopping ended the run
        rmse, r2 = number(r'^test RMSE: ([0-9.]+)  R\^2: ([0-9.]+)', out['sin'], 'sin')
        ran, best = number(r'^epochs run: (\d+), best: (\d+) \(stopped early\)', out['sin'], 'sin')
        if rmse > 0.02 or r2 < 0.999 or not best < ran < 1000:
            fail('sin: RMSE %g, R^2 %g, %d epochs run, best %d' % (rmse, r2, ran, best))

        # 3. predict one sample: the page's two flowers ...
        if out['predict'].split() != ['setosa', 'virginica']:
            fail('iris-predict printed %r, want setosa, virginica' % out['predict'])
        # ... and every tenth flower, one by one, against nn-predict on the same rows
        # and the same model, for the C program's model and for nn-train's
        some = rows[1::10]
        for d in (cdir, clidir):
            with open(os.path.join(d, 'rows.csv'), 'w') as f:
                f.write(','.join(rows[0][:4]) + '\n')
                f.write(''.join(','.join(r[:4]) + '\n' for r in some))
            p = subprocess.run([nn_predict, 'iris.nn', 'rows.csv'], cwd=d, capture_output=True,
                               text=True, env=env)
            if p.returncode != 0:
                fail('nn-predict in %s: %s' % (d, p.stderr))
            theirs = p.stdout.split()
            if theirs[0] != 'class':
                fail('nn-predict wrote the header %r' % theirs[0])
            ours = []
            for r in some:
                q = subprocess.run([os.path.join(cdir, 'iris-predict')] + r[:4], cwd=d,
                                   capture_output=True, text=True, env=env)
                if q.returncode != 0:
                    fail('iris-predict %s: %s' % (' '.join(r[:4]), q.stderr))
                ours.append(q.stdout.strip())
            if ours != theirs[1:]:
                fail('%s: iris-predict says %s, nn-predict %s' % (d, ours, theirs[1:]))
            right = sum(o == r[-1] for o, r in zip(ours, some))
            if right < len(some) - 1:
                fail('%s: only %d of %d flowers right' % (d, right, len(some)))

        # the command lines: the same outcomes
        acc, = number(r'^test accuracy: ([0-9.]+)', out['cli-classify'], 'cli-classify')
        if acc < 0.9:
            fail('nn-train on iris: test accuracy %g, want >= 0.9' % acc)
        rmse, r2 = number(r'^test rmse: ([0-9.e-]+)  mae: [0-9.e-]+  r2: ([0-9.]+)',
                          out['cli-regress'], 'cli-regress')
        if rmse > 0.02 or r2 < 0.999 or 'stopped early' not in out['cli-regress']:
            fail('nn-train on sin: test rmse %g, r2 %g, or no early stop' % (rmse, r2))
        if out['cli-predict'].split()[-2:] != ['class', 'virginica']:
            fail('nn-predict printed %r, want class, virginica' % out['cli-predict'])
        with open(os.path.join(clidir, 'proba.csv')) as f:
            proba = list(csv.reader(f))
        ps = [float(v) for v in proba[1]]
        if proba[0] != ['setosa', 'versicolor', 'virginica'] or len(proba) != 2 or \
                abs(sum(ps) - 1) > 1e-9 or max(ps) != ps[2]:
            fail('proba.csv holds %r' % proba)
    print('tutorial: %d files, %d run blocks, iris.c %d lines; nn-train: iris %.4f, sin RMSE %.5f' %
          (len(files), len(runs), n_iris, acc, rmse))
    return 0


if __name__ == '__main__':
    sys.exit(main())
