"""Custom Functions written for PyTorch run unchanged: their arrays answer torch.Tensor's
methods (tensor_style_array), forward may return a Tensor, torch 2's ``setup_context``,
``once_differentiable`` and ``mark_non_differentiable``. Gradients against central finite
differences in float64; torch's own numbers in tests/test_torch_oracle."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd
from autograd import Tensor
from autograd.tensor_style_array import FunctionArray, styled
from autograd.testing import gradcheck, gradgradcheck
from autograd.testing.strategies import tensors
from tests.autograd.torch_style_functions import build

F = build(autograd)


def _away_from(x: Tensor, points: tuple, gap: float = 1e-3) -> bool:
    return all(np.all(np.abs(x.data - p) > gap) for p in points)


@given(x=tensors(shape=(3, 4), min_value=-2, max_value=2))
def test_relu_and_clamped_square_from_tensor_methods(x):
    if not _away_from(x, (0.0, 1.0, -1.0)):
        return  # the kinks, where a one-sided derivative differs from the central difference
    assert gradcheck(F.MyReLU.apply, [x])
    assert gradcheck(F.ClampedSquare.apply, [x])
    np.testing.assert_array_equal(F.MyReLU.apply(x).data, np.maximum(x.data, 0))


@given(
    x=tensors(shape=(4, 3), min_value=-2, max_value=2),
    w=tensors(shape=(5, 3), min_value=-2, max_value=2),
    b=tensors(shape=(5,), min_value=-2, max_value=2),
)
def test_linear_functions_of_the_docs(x, w, b):
    assert gradcheck(F.LinearFunction.apply, [x, w, b])
    assert gradcheck(F.LinearFunction.apply, [x, w])  # bias left out: its None gradient
    assert gradcheck(F.LinearWithSetup.apply, [x, w, b])
    expected = x.data @ w.data.T + b.data
    np.testing.assert_allclose(F.LinearWithSetup.apply(x, w, b).data, expected, rtol=1e-12)


@given(x=tensors(shape=(2, 5), min_value=-3, max_value=3), k=st.floats(-3, 3))
def test_exp_softmax_and_a_constant_argument(x, k):
    assert gradcheck(F.Exp.apply, [x])
    assert gradcheck(F.ExpOfModule.apply, [x])
    assert gradcheck(F.Softmax.apply, [x])
    assert gradcheck(lambda t: F.MulConstant.apply(t, k), [x])
    np.testing.assert_allclose(F.Softmax.apply(x).data.sum(axis=1), 1.0, rtol=1e-12)


@given(
    x=tensors(shape=(4,), min_value=-2, max_value=2),
    y=tensors(shape=(4,), min_value=-2, max_value=2),
)
def test_several_outputs_first_and_second_order(x, y):
    def combined(x, y):
        a, b = F.ProductAndExp.apply(x, y)
        return (a * a).sum() + (b * a).sum()

    assert gradcheck(combined, [x, y])
    assert gradgradcheck(combined, [x, y])
    assert gradcheck(lambda x: F.ProductAndExp.apply(x, y.detach())[1], [x])  # one unused


def test_sort_of_the_docs_gives_values_with_history_and_indices_without():
    x = Tensor(np.array([3.0, 1.0, 2.0]), requires_grad=True)
    values, indices = F.Sort.apply(x)
    np.testing.assert_array_equal(values.data, [1.0, 2.0, 3.0])
    np.testing.assert_array_equal(indices.data, [1, 2, 0])
    assert values.requires_grad and not indices.requires_grad
    assert values.grad_fn.name() == "SortBackward"
    (values * Tensor(np.array([1.0, 2.0, 3.0]))).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [3.0, 1.0, 2.0])
    with autograd.no_grad():
        values, indices = F.Sort.apply(x)
    assert not values.requires_grad and indices.dtype == np.int64


def test_mark_dirty_is_refused_with_a_clear_error():
    class Inplace(autograd.autograd.Function):  # "Extending PyTorch"'s example
        @staticmethod
        def forward(ctx, x):
            x_npy = x.numpy()
            x_npy += 1
            ctx.mark_dirty(x)
            return x

        @staticmethod
        def backward(ctx, grad_output):
            return grad_output

    with pytest.raises(NotImplementedError, match="mark_dirty"):
        Inplace.apply(Tensor(np.array([1.0]), requires_grad=True).clone())


def test_results_are_tensors_on_plain_arrays():
    x = autograd.randn(3, 4, requires_grad=True)
    for fn in (F.MyReLU, F.Exp, F.ExpOfModule, F.Softmax):
        y = fn.apply(x)
        assert type(y) is Tensor and type(y._data) is np.ndarray and y.requires_grad
        y.sum().backward()
        assert type(x.grad._data) is np.ndarray and x.grad.shape == x.shape
        x.grad = None


def test_once_differentiable_refuses_a_second_derivative():
    x = Tensor(np.array([0.5, -1.5]), requires_grad=True)
    (g,) = autograd.grad(F.OnceCube.apply(x).sum(), x, create_graph=True)
    np.testing.assert_allclose(g.data, 3 * x.data**2)
    assert not g.requires_grad  # torch's rule: no gradient coming in had history
    v = Tensor(np.ones(2), requires_grad=True)
    (h,) = autograd.grad(F.OnceCube.apply(x), x, grad_outputs=v, create_graph=True)
    np.testing.assert_allclose(h.data, 3 * x.data**2)
    with pytest.raises(RuntimeError, match="marked with @once_differentiable"):
        h.sum().backward()
    F.OnceCube.apply(x).sum().backward()  # the first derivative as usual
    np.testing.assert_allclose(x.grad.data, 3 * x.data**2)


def test_mark_non_differentiable_gives_an_output_without_history():
    x = autograd.randn(2, 3, requires_grad=True)
    out = F.Argmax.apply(x)
    assert not out.requires_grad and out.grad_fn is None
    np.testing.assert_array_equal(out.data.sum(axis=-1), [1.0, 1.0])


# --- the arrays themselves -------------------------------------------------------------


def test_size_is_numpys_count_and_torchs_method():
    a = styled(np.zeros((3, 4)))
    assert a.size == 12 and a.size * 2 == 24
    assert a.size() == (3, 4) and a.size(0) == 3 and a.size(-1) == 4


def test_view_transpose_flatten_take_torchs_dims_and_numpys_other_forms():
    m = styled(np.arange(6.0).reshape(2, 3))
    assert m.view(3, 2).shape == (3, 2) and m.view(-1).shape == (6,)
    assert m.view(np.int64).dtype == np.int64  # numpy's reinterpretation (torch's too)
    np.testing.assert_array_equal(m.transpose(0, 1), m.T)  # numpy's would be the identity
    np.testing.assert_array_equal(m.transpose((1, 0)), m.T)
    c = styled(np.zeros((2, 3, 4)))
    assert c.transpose(1, 2).shape == (2, 4, 3) and c.flatten(1).shape == (2, 12)
    assert c.flatten().shape == (24,)


def test_numpys_functions_that_call_methods_positionally_keep_numpys_results():
    m = styled(np.array([[3.0, 1.0], [3.0, 2.0]]))
    plain_m = m.view(np.ndarray)
    np.testing.assert_array_equal(np.unique(m), [1.0, 2.0, 3.0])  # ar.sort() inside
    np.testing.assert_array_equal(np.tile(m, (2, 1)), np.tile(plain_m, (2, 1)))  # .repeat(n, 0)
    np.testing.assert_array_equal(np.repeat(m, 2, 0), np.repeat(plain_m, 2, 0))
    np.testing.assert_array_equal(np.median(m, axis=0), [3.0, 1.5])
    assert repr(m) == repr(plain_m)


def test_torchs_meanings_where_numpy_has_another_unless_numpys_keywords():
    m = styled(np.array([[1.0, 5.0], [7.0, 2.0]]))
    plain_m = m.view(np.ndarray)
    for values, indices in (m.max(1), m.max(dim=1)):
        np.testing.assert_array_equal(values, [5.0, 7.0])
        np.testing.assert_array_equal(indices, [1, 0])
    np.testing.assert_array_equal(m.min(0)[0], [1.0, 2.0])
    np.testing.assert_array_equal(m.max(axis=1), [5.0, 7.0])  # numpy's keyword: numpy's
    np.testing.assert_array_equal(np.max(m, axis=0), [7.0, 5.0])
    assert m.max() == 7.0 and np.max(m) == 7.0
    values, indices = m.sort(dim=1, descending=True)
    np.testing.assert_array_equal(values, [[5.0, 1.0], [7.0, 2.0]])
    np.testing.assert_array_equal(indices, [[1, 0], [0, 1]])
    values, indices = m.sort()
    np.testing.assert_array_equal(values, [[1.0, 5.0], [2.0, 7.0]])
    np.testing.assert_array_equal(m, [[1.0, 5.0], [7.0, 2.0]])  # not sorted in place
    np.testing.assert_array_equal(m.repeat(2, 1), np.tile(plain_m, (2, 1)))  # tiled
    assert m.std() == pytest.approx(np.std(plain_m, ddof=1))  # unbiased, as torch's
    assert np.std(m) == pytest.approx(np.std(plain_m)) and m.std(ddof=0) == np.std(plain_m)
    np.testing.assert_array_equal(np.nonzero(m)[0], [0, 0, 1, 1])


def test_in_place_methods_write_the_array_and_return_it():
    base = np.array([-2.0, 0.5, 3.0])
    a = styled(base)
    assert a.clamp_(-1.0, 1.0) is a
    np.testing.assert_array_equal(base, [-1.0, 0.5, 1.0])
    assert a.zero_() is a and not base.any()


def test_results_and_unknown_names():
    a = styled(np.array([1.0, 2.0]))
    assert type(a.exp()) is FunctionArray and type(a.unsqueeze(0)) is FunctionArray
    assert a.dim() == 1 and a.numel() == 2 and a.device == "cpu"
    t = autograd.exp(a)  # into the library's ops as the plain array it is
    assert type(t) is Tensor and type(t._data) is np.ndarray
    with pytest.raises(AttributeError, match="no attribute 'not_a_method'"):
        a.not_a_method()


@given(x=tensors(shape=(3,), min_value=-2, max_value=2))
def test_set_materialize_grads_false_hands_none_for_outputs_without_a_gradient(x):
    for use in ((0,), (1,), (0, 1)):
        assert gradcheck(lambda t, use=use: sum(F.ScaledPair.apply(t)[k].sum() for k in use), [x])
        assert gradgradcheck(
            lambda t, use=use: sum((F.ScaledPair.apply(t)[k] ** 2).sum() for k in use), [x]
        )
    got = []

    class Probe(F.ScaledPair):
        @staticmethod
        def backward(ctx, g_double, g_square):
            got.append((g_double is None, g_square is None))
            return F.ScaledPair.backward(ctx, g_double, g_square)

    leaf = x.detach().requires_grad_()
    a, b = Probe.apply(leaf)
    a.sum().backward(retain_graph=True)
    b.sum().backward(retain_graph=True)
    (a * 0).sum().backward()  # a zero gradient is still a gradient
    assert got == [(False, True), (True, False), (False, True)]
