#!/usr/bin/python3
"""Write the golden files of the datasets and random tests (tests/data/datasets/).

Run with Debian's interpreter, which has numpy and scikit-learn:

    /usr/bin/python3 scripts/gen_dataset_fixtures.py            # rewrite the fixtures
    /usr/bin/python3 scripts/gen_dataset_fixtures.py --check    # regenerate into a
                                                                # temporary directory and
                                                                # compare (exit 77: no sklearn)

Each fixture is a small text file that tests/test_datasets.c and
tests/test_random.c read back:

    # comment
    KEY VALUE...                parameters (generator, seed, options)
    array NAME ROWS COLS        then ROWS lines of COLS numbers (numpy's C order)
    op KIND ARG... COUNT        then one line of COUNT numbers (random.txt)

Data sets come from scikit-learn with random_state=RandomState(seed); when a
case has split_* keys the same RandomState then goes through
train_test_split, and with an init key through the lecture's weight
initialisation, exactly as the lecture's global stream does after
np.random.seed(seed). index.txt lists the files.
"""
import argparse
import os
import shutil
import sys
import tempfile

try:
    import numpy as np
    import sklearn
    import sklearn.datasets as skd
    import sklearn.model_selection as skms
except ImportError as e:  # the meson test treats 77 as "skipped"
    print('gen_dataset_fixtures: %s; skipping' % e, file=sys.stderr)
    sys.exit(77)

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_OUT = os.path.join(HERE, '..', 'tests', 'data', 'datasets')

# ---------------------------------------------------------------- the cases
# Each case: generator, seed, generator keywords (scikit-learn's names),
# optional split keywords and an optional weight initialisation.

CASES = [
    # the lecture's example1: make_blobs(n, centers=2, center_box=(-3, 3)), then the split
    dict(name='blobs_lecture_s0', gen='blobs', seed=0,
         kw=dict(n_samples=40, centers=2, center_box=(-3, 3), cluster_std=1.0),
         split=dict(test_size=0.2), init=('random', [2, 1])),
    dict(name='blobs_lecture_s1', gen='blobs', seed=1,
         kw=dict(n_samples=40, centers=2, center_box=(-3, 3), cluster_std=1.0),
         split=dict(test_size=0.2), init=('random', [2, 1])),
    dict(name='blobs_lecture_s2024', gen='blobs', seed=2024,
         kw=dict(n_samples=35, centers=2, center_box=(-3, 3), cluster_std=1.0),
         split=dict(test_size=0.2), init=('randn', [2, 10, 2])),
    dict(name='blobs_defaults_s7', gen='blobs', seed=7, kw=dict(n_samples=25)),
    dict(name='blobs_stds_noshuffle_s5', gen='blobs', seed=5,
         kw=dict(n_samples=22, n_features=3, centers=4, cluster_std=[0.5, 1.0, 2.0, 0.0],
                 shuffle=False)),
    dict(name='blobs_counts_s11', gen='blobs', seed=11,
         kw=dict(n_samples=[3, 5, 2], center_box=(0.0, 1.0))),
    dict(name='blobs_points_s2', gen='blobs', seed=2,
         kw=dict(n_samples=9, centers=[[1.0, 2.0, 0.0], [-1.0, -2.0, 3.0]], cluster_std=0.3)),
    dict(name='blobs_big_seed', gen='blobs', seed=4294967295,
         kw=dict(n_samples=12, n_features=1, centers=3, cluster_std=2.5)),
    # the lecture's example2: make_circles(n, noise=0.1), then the split
    dict(name='circles_lecture_s0', gen='circles', seed=0, kw=dict(n_samples=40, noise=0.1),
         split=dict(test_size=0.2), init=('randn', [2, 10, 2])),
    dict(name='circles_lecture_s7', gen='circles', seed=7, kw=dict(n_samples=30, noise=0.1),
         split=dict(test_size=0.2), init=('randn', [2, 10, 2])),
    dict(name='circles_odd_factor_s3', gen='circles', seed=3, kw=dict(n_samples=15, factor=0.5)),
    dict(name='circles_pair_noise0_s4', gen='circles', seed=4,
         kw=dict(n_samples=(7, 4), noise=0.0)),
    dict(name='circles_noshuffle_s9', gen='circles', seed=9,
         kw=dict(n_samples=10, shuffle=False, noise=0.2, factor=0.0)),
    dict(name='moons_defaults_s0', gen='moons', seed=0, kw=dict(n_samples=30)),
    dict(name='moons_noise_s5', gen='moons', seed=5, kw=dict(n_samples=21, noise=0.1),
         split=dict(test_size=5)),
    dict(name='moons_pair_noshuffle_s6', gen='moons', seed=6,
         kw=dict(n_samples=(4, 9), shuffle=False, noise=0.3)),
    dict(name='moons_tiny_s8', gen='moons', seed=8, kw=dict(n_samples=3, noise=0.05)),
    # the hands-on: make_classification(n_features=2, n_redundant=0, n_clusters_per_class=1)
    dict(name='cls_handson_s0', gen='classification', seed=0,
         kw=dict(n_samples=30, n_features=2, n_redundant=0, n_clusters_per_class=1),
         split=dict(test_size=0.2)),
    dict(name='cls_handson_s1', gen='classification', seed=1,
         kw=dict(n_samples=30, n_features=2, n_redundant=0, n_clusters_per_class=1)),
    dict(name='cls_defaults_s3', gen='classification', seed=3, kw=dict(n_samples=25)),
    dict(name='cls_mixed_s8', gen='classification', seed=8,
         kw=dict(n_samples=40, n_features=7, n_informative=3, n_redundant=1, n_repeated=2,
                 n_classes=3, n_clusters_per_class=2, weights=[0.5, 0.3], flip_y=0.1,
                 class_sep=2.0, hypercube=False, shift=None, scale=None),
         split=dict(test_size=0.3, stratify=True)),
    dict(name='cls_tracking_s12', gen='classification', seed=12,
         kw=dict(n_samples=12, n_features=10, n_informative=10, n_redundant=0, n_classes=4,
                 n_clusters_per_class=1, flip_y=0.0)),
    dict(name='cls_sparse_clusters_s13', gen='classification', seed=13,
         kw=dict(n_samples=5, n_features=4, n_informative=3, n_redundant=1, n_classes=3,
                 n_clusters_per_class=2, flip_y=-1.0)),
    dict(name='cls_wide_s14', gen='classification', seed=14,
         kw=dict(n_samples=8, n_features=32, n_informative=31, n_redundant=0, n_classes=2,
                 n_clusters_per_class=1)),
    dict(name='cls_one_informative_s15', gen='classification', seed=15,
         kw=dict(n_samples=9, n_features=3, n_informative=1, n_redundant=1, n_repeated=1,
                 n_classes=2, n_clusters_per_class=1, weights=[0.2, 0.8],
                 shift=[1.0, -2.0, 0.5], scale=[2.0, 0.5, 3.0], shuffle=False)),
    # splits on their own
    dict(name='split_counts_s21', gen='blobs', seed=21, kw=dict(n_samples=20, centers=2),
         split=dict(test_size=7, train_size=0.5)),
    dict(name='split_noshuffle_s22', gen='moons', seed=22, kw=dict(n_samples=10),
         split=dict(train_size=0.6, shuffle=False)),
    dict(name='split_default_s23', gen='circles', seed=23, kw=dict(n_samples=13), split=dict()),
    dict(name='split_stratify_ties_s24', gen='blobs', seed=24,
         kw=dict(n_samples=[5, 5, 4], centers=None), split=dict(test_size=0.25, stratify=True)),
    dict(name='split_stratify_train_s25', gen='classification', seed=25,
         kw=dict(n_samples=23, n_features=2, n_redundant=0, n_classes=3, n_clusters_per_class=1,
                 weights=[0.6, 0.3, 0.1], flip_y=0.0),
         split=dict(train_size=11, stratify=True)),
]

RANDOM_SEEDS = [0, 1, 42, 12345, 4294967295]


# ---------------------------------------------------------------- writing

def fmt(v):
    """Shortest text that reads back to the same double (or integer)."""
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    return repr(float(v))


def array_lines(name, a):
    a = np.asarray(a)
    if a.ndim == 1:
        a = a.reshape(-1, 1)
    lines = ['array %s %d %d' % (name, a.shape[0], a.shape[1])]
    for row in a:
        lines.append(' '.join(fmt(v) for v in row.tolist()))
    return lines


def header():
    return ['# written by scripts/gen_dataset_fixtures.py: numpy %s, scikit-learn %s'
            % (np.__version__, sklearn.__version__)]


def param_lines(case):
    g, kw = case['gen'], case['kw']
    out = ['generator %s' % g, 'seed %d' % case['seed']]
    for k, v in kw.items():
        if v is None:
            out.append('%s None' % k)
        elif isinstance(v, (list, tuple)):
            flat = np.asarray(v, dtype=float).ravel() if k != 'n_samples' else v
            if k == 'centers':
                a = np.asarray(v, dtype=float)
                out.append('center_points %d %d %s' % (a.shape[0], a.shape[1],
                                                       ' '.join(fmt(x) for x in a.ravel())))
            elif k == 'n_samples':
                out.append('n_samples_list %s' % ' '.join(str(int(x)) for x in v))
            else:
                out.append('%s_list %s' % (k, ' '.join(fmt(x) for x in flat)))
        elif isinstance(v, bool):
            out.append('%s %d' % (k, int(v)))
        else:
            out.append('%s %s' % (k, fmt(v)))
    if 'split' in case:
        for k, v in case['split'].items():
            if k == 'stratify':
                out.append('split_stratify %d' % int(v))
            elif k == 'shuffle':
                out.append('split_shuffle %d' % int(v))
            elif isinstance(v, int):
                out.append('split_%s_count %d' % (k.replace('_size', ''), v))
            else:
                out.append('split_%s %s' % (k, fmt(v)))
        if not case['split']:
            out.append('split_default 1')
    if 'init' in case:
        kind, sizes = case['init']
        out.append('init %s %s' % (kind, ' '.join(str(s) for s in sizes)))
    return out


def run_case(case):
    rs = np.random.RandomState(case['seed'])
    g, kw = case['gen'], dict(case['kw'])
    if g == 'blobs':
        X, y = skd.make_blobs(random_state=rs, **kw)
    elif g == 'circles':
        X, y = skd.make_circles(random_state=rs, **kw)
    elif g == 'moons':
        X, y = skd.make_moons(random_state=rs, **kw)
    else:
        X, y = skd.make_classification(random_state=rs, **kw)
    lines = header() + param_lines(case)
    lines += array_lines('X', X) + array_lines('y', y)
    if 'split' in case:
        skw = dict(case['split'])
        if skw.pop('stratify', False):
            skw['stratify'] = y
        train_x, test_x, train_y, test_y = skms.train_test_split(X, y, random_state=rs, **skw)
        lines += array_lines('train_x', train_x) + array_lines('test_x', test_x)
        lines += array_lines('train_y', train_y) + array_lines('test_y', test_y)
    if 'init' in case:
        kind, sizes = case['init']
        for l in range(1, len(sizes)):
            if kind == 'randn':    # second_network: W_l = npr.randn(n_l, n_{l-1}), b_l = 0
                lines += array_lines('W%d' % l, rs.randn(sizes[l], sizes[l - 1]))
            else:                  # first_network: npr.random() per entry, W_l then b_l
                w = np.array([[rs.random() for _ in range(sizes[l - 1])] for _ in range(sizes[l])])
                b = np.array([[rs.random()] for _ in range(sizes[l])])
                lines += array_lines('W%d' % l, w) + array_lines('b%d' % l, b)
    return lines


def op(lines, kind, args, values):
    values = np.asarray(values).ravel()
    lines.append('op %s %s%d' % (kind, ''.join('%s ' % fmt(a) for a in args), values.size))
    lines.append(' '.join(fmt(v) for v in values.tolist()))


def random_lines(seed):
    """The first draws of each kind, from one RandomState, in this order."""
    rs = np.random.RandomState(seed)
    lines = header() + ['seed %d' % seed]
    op(lines, 'uint32', [], rs.randint(0, 2**32, size=6, dtype=np.uint32))
    op(lines, 'random_sample', [], rs.random_sample(8))
    op(lines, 'randn', [], rs.randn(7))          # odd: leaves a cached Gaussian
    op(lines, 'random', [], [rs.random()])       # not touching the cache
    op(lines, 'standard_normal', [], rs.standard_normal(3))
    op(lines, 'randint', [0, 10], rs.randint(0, 10, size=9))
    op(lines, 'randint', [-5, 3], rs.randint(-5, 3, size=5))
    op(lines, 'randint', [0, 2**33 + 5], rs.randint(0, 2**33 + 5, size=4))
    op(lines, 'randint', [-2**40, 2**40], rs.randint(-2**40, 2**40, size=3))
    op(lines, 'randint', [7, 8], rs.randint(7, 8, size=2))
    op(lines, 'permutation', [12], rs.permutation(12))
    a = np.arange(9)
    rs.shuffle(a)
    op(lines, 'shuffle', [9], a)
    op(lines, 'uniform', [-3, 3], rs.uniform(-3, 3, size=4))
    op(lines, 'uniform', [2.5, -1], rs.uniform(2.5, -1, size=2))
    op(lines, 'normal', [2, 0.5], rs.normal(2, 0.5, size=5))
    op(lines, 'skip', [700], [rs.random_sample(700)[-1]])  # crosses the 624-word refill
    op(lines, 'randn', [], rs.randn(4))
    op(lines, 'permutation', [1], rs.permutation(1))
    op(lines, 'permutation', [300], rs.permutation(300)[:10])  # the first 10 of 300
    rs.seed(seed)
    op(lines, 'reseed', [], [rs.randn()])       # seed() drops the cached Gaussian
    return lines


def init_lines():
    """The lecture's weight initialisations from fresh seeds: second_network's
    npr.randn(10, 2) then npr.randn(2, 10); a 3-4-2 network drawn with
    npr.random() entry by entry, W_l (row by row) then b_l."""
    lines = header()
    for seed in [0, 3]:
        rs = np.random.RandomState(seed)
        lines += array_lines('randn_s%d_W1' % seed, rs.randn(10, 2))
        lines += array_lines('randn_s%d_W2' % seed, rs.randn(2, 10))
        rs = np.random.RandomState(seed)
        lines += array_lines('random_s%d_W1' % seed, rs.random((4, 3)))
        lines += array_lines('random_s%d_b1' % seed, rs.random(4))
        lines += array_lines('random_s%d_W2' % seed, rs.random((2, 4)))
        lines += array_lines('random_s%d_b2' % seed, rs.random(2))
    return lines


def write_all(out):
    os.makedirs(out, exist_ok=True)
    names = []
    for case in CASES:
        names.append(case['name'] + '.txt')
        with open(os.path.join(out, names[-1]), 'w') as f:
            f.write('\n'.join(run_case(case)) + '\n')
    for seed in RANDOM_SEEDS:
        names.append('random_seed%d.txt' % seed)
        with open(os.path.join(out, names[-1]), 'w') as f:
            f.write('\n'.join(random_lines(seed)) + '\n')
    names.append('init.txt')
    with open(os.path.join(out, names[-1]), 'w') as f:
        f.write('\n'.join(init_lines()) + '\n')
    with open(os.path.join(out, 'index.txt'), 'w') as f:
        f.write('\n'.join(names) + '\n')
    return names


# ---------------------------------------------------------------- checking

def numbers_equal(a, b, rtol):
    """Integers exactly; floats to rtol * max(1, |b|): numpy's AVX-512 sin and
    cos and the BLAS kernels of a machine may move the last bits."""
    if a == b:
        return True, False
    try:
        fa, fb = float(a), float(b)
    except ValueError:
        return False, False
    if '.' not in a + b and 'e' not in a + b:
        return False, False
    return abs(fa - fb) <= rtol * max(1.0, abs(fb)), True


def check(ref_dir, rtol=1e-12):
    tmp = tempfile.mkdtemp(prefix='nn-fixtures-')
    try:
        names = write_all(tmp)
        changed, last_bits = [], 0
        ref_index = open(os.path.join(ref_dir, 'index.txt')).read().split()
        if ref_index != names:
            changed.append('index.txt')
        for name in names:
            path = os.path.join(ref_dir, name)
            if not os.path.exists(path):
                changed.append(name + ' (missing)')
                continue
            new = open(os.path.join(tmp, name)).read().splitlines()
            old = open(path).read().splitlines()
            if len(new) != len(old):
                changed.append(name)
                continue
            for ln, lo in zip(new, old):
                if ln.startswith('#') and lo.startswith('#'):
                    continue
                tn, to = ln.split(), lo.split()
                if len(tn) != len(to):
                    changed.append(name)
                    break
                ok = True
                for a, b in zip(tn, to):
                    eq, approx = numbers_equal(a, b, rtol)
                    ok = ok and eq
                    last_bits += approx and eq
                if not ok:
                    changed.append(name)
                    break
        if changed:
            print('fixtures changed: ' + ', '.join(changed))
            return 1
        print('%d fixtures regenerated: unchanged (%d values differ in the last bits only)'
              % (len(names), last_bits))
        return 0
    finally:
        shutil.rmtree(tmp)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--out', default=DEFAULT_OUT, help='directory to write (default: %(default)s)')
    ap.add_argument('--check', action='store_true',
                    help='regenerate into a temporary directory and compare with --out')
    args = ap.parse_args()
    if args.check:
        return check(args.out)
    names = write_all(args.out)
    print('wrote %d fixtures to %s' % (len(names), os.path.normpath(args.out)))
    return 0


if __name__ == '__main__':
    sys.exit(main())
