"""EmbeddingBag and F.embedding_bag: bag sums, means and maxima worked by hand (2-d input,
1-d input with offsets, include_last_offset, padding_idx, empty bags, per_sample_weights),
gradients by finite differences in float64, PyTorch's initialisation, repr and errors."""

import numpy as np
import pytest

import autograd
import nn
import nn.functional as F
from autograd import Tensor
from autograd.testing import gradcheck, gradgradcheck

W = np.arange(12, dtype=np.float64).reshape(4, 3) * np.array([1.0, -1.0, 0.5])
INPUT = np.array([0, 2, 2, 3, 1])
OFFSETS = np.array([0, 3, 3])  # bags [0, 2, 2], [], [3, 1]


def test_sum_mean_max_by_hand():
    s = F.embedding_bag(INPUT, Tensor(W), OFFSETS, mode="sum")
    np.testing.assert_allclose(s.data, [W[0] + 2 * W[2], np.zeros(3), W[3] + W[1]])
    m = F.embedding_bag(INPUT, Tensor(W), OFFSETS)  # mean is the default
    np.testing.assert_allclose(m.data, [(W[0] + 2 * W[2]) / 3, np.zeros(3), (W[3] + W[1]) / 2])
    x = F.embedding_bag(INPUT, Tensor(W), OFFSETS, mode="max")
    np.testing.assert_allclose(
        x.data, [np.maximum(W[0], W[2]), np.zeros(3), np.maximum(W[3], W[1])]
    )
    assert s.dtype == m.dtype == x.dtype == np.float64 and s.shape == (3, 3)


def test_two_d_input_is_one_bag_per_row():
    idx = np.array([[0, 1], [3, 3]])
    out = F.embedding_bag(idx, Tensor(W), mode="sum")
    np.testing.assert_allclose(out.data, [W[0] + W[1], 2 * W[3]])


def test_include_last_offset_and_padding_idx():
    out = F.embedding_bag(INPUT, Tensor(W), np.array([0, 3, 5]), mode="sum",
                          include_last_offset=True)  # fmt: skip
    np.testing.assert_allclose(out.data, [W[0] + 2 * W[2], W[3] + W[1]])
    # padding entries are left out of their bag, and out of the mean's count
    m = F.embedding_bag(INPUT, Tensor(W), OFFSETS, padding_idx=2)
    np.testing.assert_allclose(m.data, [W[0], np.zeros(3), (W[3] + W[1]) / 2])
    x = F.embedding_bag(np.array([[2, 2]]), Tensor(W), mode="max", padding_idx=2)
    np.testing.assert_array_equal(x.data, np.zeros((1, 3)))


def test_per_sample_weights_weight_each_entry_and_get_gradients():
    psw = Tensor(np.array([1.0, 2.0, -1.0, 0.5, 3.0]), requires_grad=True)
    w = Tensor(W, requires_grad=True)
    out = F.embedding_bag(INPUT, w, OFFSETS, mode="sum", per_sample_weights=psw)
    np.testing.assert_allclose(out.data, [W[0] + W[2], np.zeros(3), 0.5 * W[3] + 3 * W[1]])
    out.sum().backward()
    np.testing.assert_allclose(psw.grad.data, W[INPUT].sum(1))
    np.testing.assert_allclose(w.grad.data[:, 0], [1.0, 3.0, 1.0, 0.5])


def test_max_gradient_goes_to_the_first_maximum():
    w = Tensor(np.array([[1.0, 2.0], [1.0, 3.0]]), requires_grad=True)
    F.embedding_bag(np.array([[0, 1]]), w, mode="max").sum().backward()
    np.testing.assert_array_equal(w.grad.data, [[1.0, 0.0], [0.0, 1.0]])


@pytest.mark.parametrize("mode", ["sum", "mean", "max"])
@pytest.mark.parametrize("padding_idx", [None, 2])
def test_gradcheck(mode, padding_idx):
    rng = np.random.default_rng(1)
    w = Tensor(rng.standard_normal((4, 3)), requires_grad=True)

    def f(w):
        return F.embedding_bag(INPUT, w, OFFSETS, mode=mode, padding_idx=padding_idx)

    assert gradcheck(f, [w])
    if mode != "max":
        assert gradgradcheck(f, [w])


def test_gradcheck_per_sample_weights():
    rng = np.random.default_rng(2)
    w = Tensor(rng.standard_normal((4, 3)), requires_grad=True)
    psw = Tensor(rng.standard_normal(5), requires_grad=True)

    def f(w, p):
        return F.embedding_bag(INPUT, w, OFFSETS, mode="sum", per_sample_weights=p)

    assert gradcheck(f, [w, psw]) and gradgradcheck(f, [w, psw])


def test_module_init_repr_and_forward():
    autograd.manual_seed(0)
    bag = nn.EmbeddingBag(2000, 50, padding_idx=3)
    w = bag.weight.data
    assert w.dtype == np.float32 and bag.weight.requires_grad
    np.testing.assert_array_equal(w[3], 0)
    assert abs(w.mean()) < 0.01 and abs(w.std() - 1) < 0.01
    assert repr(nn.EmbeddingBag(5, 3)) == "EmbeddingBag(5, 3, mode='mean')"
    assert (
        repr(nn.EmbeddingBag(5, 3, max_norm=1.0, norm_type=1.0, mode="sum", padding_idx=1))
        == "EmbeddingBag(5, 3, max_norm=1.0, norm_type=1.0, mode='sum', padding_idx=1)"
    )
    pre = nn.EmbeddingBag.from_pretrained(Tensor(W), mode="sum")
    assert not pre.weight.requires_grad
    np.testing.assert_allclose(pre(Tensor(INPUT), Tensor(OFFSETS)).data[0], W[0] + 2 * W[2])
    assert "weight" in dict(pre.named_parameters())


def test_max_norm_renormalises_looked_up_rows():
    w = Tensor(W.copy())
    F.embedding_bag(np.array([[3]]), w, max_norm=1.0)
    assert np.linalg.norm(w.data[3]) == pytest.approx(1.0, abs=1e-6)
    np.testing.assert_array_equal(w.data[1], W[1])


@pytest.mark.parametrize("mode", ["sum", "mean", "max"])
def test_max_norm_renormalises_the_padding_row_too(mode):
    """As torch: every looked-up row, padding_idx's included, though it adds nothing."""
    w = Tensor(np.full((2, 4), 2.0))
    F.embedding_bag(np.array([[0, 0]]), w, max_norm=1.0, mode=mode, padding_idx=0)
    assert np.linalg.norm(w.data[0]) == pytest.approx(1.0, abs=1e-6)
    np.testing.assert_array_equal(w.data[1], 2.0)


def test_errors():
    w = Tensor(W)
    with pytest.raises(ValueError, match="offsets has to be a 1D"):
        F.embedding_bag(INPUT, w)
    with pytest.raises(ValueError, match="if input is 2D"):
        F.embedding_bag(INPUT[None], w, OFFSETS)
    with pytest.raises(RuntimeError, match="offsets\\[0\\] has to be 0"):
        F.embedding_bag(INPUT, w, np.array([1, 3]))
    # the closing offset of include_last_offset may not pass the input's end either
    with pytest.raises(RuntimeError, match="can not be greater than input's length"):
        F.embedding_bag(INPUT, w, np.array([0, 2, INPUT.size + 1]), include_last_offset=True)
    with pytest.raises(NotImplementedError, match="per_sample_weights"):
        F.embedding_bag(INPUT, w, OFFSETS, per_sample_weights=np.ones(5))
    with pytest.raises(ValueError, match="mode"):
        F.embedding_bag(INPUT, w, OFFSETS, mode="min")
    with pytest.raises(IndexError, match="out of range"):
        F.embedding_bag(np.array([[4]]), w)
    with pytest.raises(NotImplementedError, match="scale_grad_by_freq"):
        nn.EmbeddingBag(4, 3, scale_grad_by_freq=True)
    with pytest.raises(ValueError, match="max mode does not support sparse weights"):
        nn.EmbeddingBag(4, 3, mode="max", sparse=True)(INPUT, OFFSETS)
    with pytest.raises(ValueError, match="max mode"):
        F.embedding_bag(INPUT, w, OFFSETS, mode="max", scale_grad_by_freq=True)
