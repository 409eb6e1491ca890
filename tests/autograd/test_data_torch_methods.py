"""``t.data``: the tensor's array (an ndarray on its memory, the same object while the
tensor keeps that array) that also answers torch.Tensor's methods, so PyTorch's ``.data``
idioms work: in-place fills and updates outside the graph, copies between parameters,
``.cpu().numpy()``; numpy's meanings stay where numpy has the name."""

from __future__ import annotations

import copy
import pickle

import numpy as np

import autograd
import nn
from autograd import Tensor


def test_the_same_array_on_the_tensors_memory():
    p = Tensor(np.arange(3.0), requires_grad=True)
    a = p.data
    assert a is p.data and isinstance(a, np.ndarray) and np.shares_memory(a, p._data)
    a[0] = 5.0
    assert p[0].item() == 5.0
    p.data = np.zeros(3)  # assigning stores a new array
    assert p.data is not a and not p.data.any()


def test_torch_in_place_idioms_write_the_parameter():
    autograd.manual_seed(0)
    m = nn.Linear(200, 50)
    m.weight.data.normal_(0.0, 0.02)
    m.bias.data.fill_(0.5)
    w = m.weight.detach().numpy()
    assert abs(w.mean()) < 2e-3 and abs(w.std() - 0.02) < 1e-3
    np.testing.assert_array_equal(m.bias.detach().numpy(), 0.5)
    other = nn.Linear(200, 50)
    assert other.weight.data.copy_(m.weight.data) is other.weight.data
    np.testing.assert_array_equal(other.weight.detach().numpy(), w)
    other.weight.data.clamp_(-0.01, 0.01)  # WGAN's weight clipping
    assert np.abs(other.weight.detach().numpy()).max() <= 0.01


def test_sgd_by_hand_as_old_pytorch_code_writes_it():
    p = Tensor(np.array([1.0, -2.0]), requires_grad=True)
    (p * p).sum().backward()
    p.data.add_(p.grad.data, alpha=-0.1)  # word_language_model's update
    np.testing.assert_allclose(p.detach().numpy(), [0.8, -1.6])
    p.grad.data.zero_()
    np.testing.assert_array_equal(p.grad.numpy(), [0.0, 0.0])


def test_changes_through_data_are_not_recorded():
    p = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    y = (p * p).sum()  # saves p
    p.data.mul_(3)  # outside the graph: no version bump, as torch's .data
    y.backward()
    np.testing.assert_allclose(p.grad.numpy(), [6.0, 12.0])  # 2 p, at p's new value


def test_conversions_and_torch_keywords():
    out = Tensor(np.array([[0.1, 0.7, 0.2], [0.5, 0.1, 0.4]]))
    pred = out.data.max(1, keepdim=True)[1]  # pytorch/examples' mnist
    np.testing.assert_array_equal(pred, [[1], [0]])
    target = Tensor(np.array([1, 2]))
    assert int(pred.eq(target.data.view_as(pred)).sum()) == 1
    arr = out.data.cpu().numpy()
    assert type(arr) is np.ndarray and np.shares_memory(arr, out._data)
    assert out.data.size(0) == 2 and out.data.size == 6
    assert out.data.data is out.data  # torch's x.data.data (d2l stores .data and reads it again)


def test_max_and_min_given_a_dim_are_torchs_pair():
    out = Tensor(np.array([[0.1, 0.7, 0.2], [0.5, 0.1, 0.4]]))
    pred = out.data.max(1)[1]  # pointnet.pytorch, old pytorch/examples: the indices
    np.testing.assert_array_equal(pred, [1, 0])
    assert int(pred.eq(Tensor(np.array([1, 2]))).sum()) == 1
    values, indices = out.data.min(0)
    np.testing.assert_array_equal(values, [0.1, 0.1, 0.2])
    np.testing.assert_array_equal(indices, [0, 1, 0])
    np.testing.assert_array_equal(out.data.max(np.int64(-1)).indices, [1, 0])


def test_numpy_meanings_stay_where_numpy_has_the_name():
    t = Tensor(np.array([[3.0, 1.0], [2.0, 3.0]]))
    np.testing.assert_array_equal(t.data.max(axis=1), [3.0, 3.0])  # numpy's keyword: values
    np.testing.assert_array_equal(np.max(t.data, 1), [3.0, 3.0])  # numpy's own function
    np.testing.assert_array_equal(np.amin(t.data, 0), [2.0, 1.0])
    assert type(t.data.max()) is np.float64  # no dim: the number, as from a plain array
    assert t.data.std() == np.std(t._data)  # biased
    np.testing.assert_array_equal(np.unique(t.data), [1.0, 2.0, 3.0])
    assert type(t.data.sum()) is np.float64  # a number, as from a plain array
    np.testing.assert_array_equal(t.data.repeat(2, 0), np.repeat(t._data, 2, 0))


def test_copies_and_pickles_do_not_share_the_cached_array():
    p = nn.Parameter(Tensor(np.ones(3)))
    assert p.data is p.data  # read, so cached
    for q in (copy.deepcopy(p), pickle.loads(pickle.dumps(p))):
        q.data.zero_()
        assert not q.detach().numpy().any() and p.detach().numpy().all()
        assert np.shares_memory(q.data, q._data)
