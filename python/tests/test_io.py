"""libnn's readers from Python: MNIST IDX files and pickles, tables, .npy."""

import gzip
import os

import numpy as np
import pytest

import nn
from nn import _lib


def idx(path):
    """An IDX file read independently (numpy on the raw bytes)."""
    with gzip.open(path, 'rb') as f:
        data = f.read()
    dims = data[3]
    shape = tuple(int.from_bytes(data[4 + 4 * i:8 + 4 * i], 'big') for i in range(dims))
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def test_load_mnist_against_the_raw_bytes(sample):
    images = idx(os.path.join(sample, 'train-images-idx3-ubyte.gz'))
    labels = idx(os.path.join(sample, 'train-labels-idx1-ubyte.gz'))
    train_x, test_x, train_y, test_y = nn.load_mnist(sample)
    assert train_x.shape == (500, 784) and test_x.shape == (100, 784)
    np.testing.assert_array_equal(train_x, images.reshape(500, 784) / 255.0)
    np.testing.assert_array_equal(train_y, labels)
    tx, _, ty, _ = nn.load_mnist(sample, 20, 0, first_train=100, scale=256)
    np.testing.assert_array_equal(tx, images.reshape(500, 784)[100:120] / 256.0)
    np.testing.assert_array_equal(ty, labels[100:120])
    one = nn.read_idx_images(os.path.join(sample, 't10k-images-idx3-ubyte.gz'), 7)
    np.testing.assert_array_equal(one, test_x[:7])
    np.testing.assert_array_equal(nn.read_idx_labels(
        os.path.join(sample, 't10k-labels-idx1-ubyte.gz')), test_y)


needs_table = pytest.mark.skipif(not _lib.has('nn_table_read'),
                                 reason='this libnn has no table reader (include/nn/table.h)')


@needs_table
def test_read_table_classes_and_values(tmp_path):
    p = tmp_path / 'iris.csv'
    p.write_text('sepal,petal,species\n1.5,0.2,setosa\n6.1,1.9,virginica\n5.0,1.5,versicolor\n'
                 '4.9,0.1,setosa\n')
    t = nn.read_table(p)
    assert t.task == 'classify' and t.feature_names == ['sepal', 'petal']
    assert t.class_names == ['setosa', 'versicolor', 'virginica']
    np.testing.assert_array_equal(t.X, [[1.5, 0.2], [6.1, 1.9], [5.0, 1.5], [4.9, 0.1]])
    np.testing.assert_array_equal(t.y, [0, 2, 1, 0])
    q = tmp_path / 'houses.tsv'
    q.write_text('# price by size\nrooms\tarea\tprice\n3\t70.5\t210.25\n5\t120\t330.5\n')
    X, y = nn.read_table(q, target='price')
    np.testing.assert_array_equal(X, [[3, 70.5], [5, 120]])
    np.testing.assert_array_equal(y, [210.25, 330.5])
    t = nn.read_table(q, target='rooms', task='regress')
    assert t.task == 'regress' and t.feature_names == ['area', 'price']
    np.testing.assert_array_equal(t.y, [3.0, 5.0])
    bad = tmp_path / 'bad.csv'
    bad.write_text('a,b\n1,2\nn/a,3\n')
    with pytest.raises(nn.FormatError, match=r"bad.csv:3.*n/a"):
        nn.read_table(bad)


@needs_table
def test_npy_round_trip(tmp_path, rng):
    X = rng.standard_normal((12, 4))
    nn.write_npy(tmp_path / 'x.npy', X)
    np.testing.assert_array_equal(np.load(tmp_path / 'x.npy'), X)
    np.save(tmp_path / 'f.npy', np.asfortranarray(X.astype(np.float32)))
    np.testing.assert_array_equal(nn.read_npy(tmp_path / 'f.npy'), X.astype(np.float32))
    np.save(tmp_path / 'v.npy', np.arange(5))
    assert nn.read_npy(tmp_path / 'v.npy').shape == (5, 1)


@pytest.mark.skipif(_lib.has('nn_table_read'), reason='the table reader is there')
def test_without_the_table_reader_it_says_so(tmp_path):
    with pytest.raises(NotImplementedError, match='nn_table_read'):
        nn.read_table(tmp_path / 'x.csv')
