"""Embedding and one_hot: lookups, scatter-added gradients (padding_idx, repeats,
scale_grad_by_freq), second derivatives, PyTorch's initialisation and errors."""

import numpy as np
import pytest

import autograd
import nn
import nn.functional as F
from autograd import Tensor
from autograd.testing import gradcheck, gradgradcheck


def test_lookup_and_gradient_adds_repeats():
    e = nn.Embedding(4, 2, padding_idx=3, dtype=np.float64)
    idx = np.array([[0, 2, 2], [3, 0, 2]])
    y = e(Tensor(idx))
    assert y.shape == (2, 3, 2)
    np.testing.assert_array_equal(y.data, e.weight.data[idx])
    np.testing.assert_array_equal(e.weight.data[3], 0)  # the padding row starts at zero
    y.backward(np.ones((2, 3, 2)))
    np.testing.assert_array_equal(np.asarray(e.weight.grad)[:, 0], [2, 0, 3, 0])


def test_scale_grad_by_freq_and_max_norm():
    w = Tensor(np.arange(8.0).reshape(4, 2), requires_grad=True)
    y = F.embedding(Tensor(np.array([1, 1, 2])), w, scale_grad_by_freq=True)
    y.backward(np.ones((3, 2)))
    np.testing.assert_array_equal(np.asarray(w.grad)[:, 0], [0, 1, 1, 0])
    w2 = Tensor(np.array([[3.0, 4.0], [0.3, 0.4]]))
    F.embedding(Tensor(np.array([0, 1])), w2, max_norm=1.0)
    np.testing.assert_allclose(np.linalg.norm(w2.data, axis=1), [1.0, 0.5], rtol=1e-6)


def test_second_derivatives():
    w = Tensor(np.random.default_rng(0).normal(size=(5, 3)), requires_grad=True)
    idx = Tensor(np.array([[1, 4], [1, 0]]))

    def f(w):
        return F.embedding(idx, w) ** 2  # padding_idx and scale_grad_by_freq alter it on purpose

    assert gradcheck(f, [w]) and gradgradcheck(f, [w])


def test_init_state_dict_repr_and_from_pretrained():
    autograd.manual_seed(0)
    e = nn.Embedding(1000, 8)
    assert abs(e.weight.data.std() - 1) < 0.05 and abs(e.weight.data.mean()) < 0.05
    assert list(e.state_dict()) == ["weight"] and e.weight.dtype == np.float32
    assert repr(nn.Embedding(5, 2, padding_idx=0)) == "Embedding(5, 2, padding_idx=0)"
    pre = nn.Embedding.from_pretrained(np.eye(3, dtype=np.float32))
    assert not pre.weight.requires_grad and pre.weight.shape == (3, 3)


def test_parameters_made_from_a_tensor_share_its_memory_as_in_pytorch():
    """nn.Parameter(t), Embedding(EmbeddingBag).from_pretrained(t) and ParameterList([t]) hold
    t's memory: training the parameter writes through to t (PyTorch's behaviour; Chris Tran's
    TextCNN tutorial relies on it). Arrays are still copied."""
    t = autograd.tensor([[1.0, 2.0], [3.0, 4.0]])
    p = nn.Parameter(t)
    assert p.requires_grad and p.is_leaf and p.grad_fn is None and not t.requires_grad
    pre = nn.Embedding.from_pretrained(t, freeze=False)
    bag = nn.EmbeddingBag.from_pretrained(t, freeze=False)
    plist = nn.ParameterList([t])
    for q in (p, pre.weight, bag.weight, plist[0]):
        with autograd.no_grad():
            q.add_(1.0)
    np.testing.assert_array_equal(t.numpy(), [[5.0, 6.0], [7.0, 8.0]])
    # one version counter, as a detached view's: an in-place write to t invalidates what a
    # recorded op saved from p
    y = (p * p).sum()
    t.mul_(2.0)
    with pytest.raises(RuntimeError, match="modified by an in-place operation"):
        y.backward()
    arr = np.ones((2, 2), dtype=np.float32)
    nn.Embedding.from_pretrained(arr, freeze=False).weight.data += 1
    nn.Parameter(arr).data += 1
    np.testing.assert_array_equal(arr, 1.0)


def test_errors():
    e = nn.Embedding(10, 3)
    with pytest.raises(IndexError, match=r"Embedding: index 12 .*num_embeddings=10.*\(2,\)"):
        e(Tensor(np.array([1, 12])))
    with pytest.raises(IndexError, match="index -1"):
        e(Tensor(np.array([-1])))
    with pytest.raises(TypeError, match="integers.*float"):
        e(Tensor(np.array([1.0])))


def test_one_hot():
    out = F.one_hot(Tensor(np.array([[0, 2], [1, 1]])), 4)
    assert out.shape == (2, 2, 4) and out.dtype == np.int64
    np.testing.assert_array_equal(out.data[0], [[1, 0, 0, 0], [0, 0, 1, 0]])
    assert F.one_hot(np.array([3])).shape == (1, 4)
    with pytest.raises(ValueError, match="out of range"):
        F.one_hot(np.array([3]), 3)
