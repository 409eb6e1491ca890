"""``nn.functional.fractional_max_pool2d/3d`` and ``nn.FractionalMaxPool2d/3d``: values and
indices against a loop written from PyTorch's interval formula (hypothesis over shapes,
kernels, output sizes and samples), gradients against central finite differences in
float64 (first and second order), the module's arguments, and the refusals. Against torch
with the same ``_random_samples``: tests/test_torch_oracle/test_fractional_pooling_vs_torch.py."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
import nn
import nn.functional as F
from autograd import Tensor
from autograd.testing import gradcheck, gradgradcheck


def starts(u: float, n: int, o: int, k: int) -> list[int]:
    """The window starts along one axis, PyTorch's formula in Python floats."""
    if o == 1:
        return [n - k]
    alpha = (n - k) / (o - 1)
    return [int((i + u) * alpha) - int(u * alpha) for i in range(o - 1)] + [n - k]


def reference(x: np.ndarray, kernel: tuple, out: tuple, samples: np.ndarray) -> tuple:
    """(values, indices) of batched x (N, C, *spatial), looping over every window."""
    d = len(kernel)
    entry = (1, 0) if d == 2 else (0, 1, 2)
    values = np.zeros(x.shape[:2] + out)
    indices = np.zeros(x.shape[:2] + out, dtype=np.int64)
    for b, c in itertools.product(range(x.shape[0]), range(x.shape[1])):
        axes = [
            starts(samples[b, c, entry[a]], x.shape[2 + a], out[a], kernel[a]) for a in range(d)
        ]
        for pos in itertools.product(*(range(o) for o in out)):
            best, where = -np.inf, None
            for offset in itertools.product(*(range(k) for k in kernel)):
                at = tuple(axes[a][pos[a]] + offset[a] for a in range(d))
                v = x[(b, c) + at]
                if where is None or v > best or np.isnan(v):
                    best, where = v, at
            values[(b, c) + pos] = best
            indices[(b, c) + pos] = np.ravel_multi_index(where, x.shape[2:])
    return values, indices


@st.composite
def _case(draw: st.DrawFn) -> tuple:
    d = draw(st.sampled_from([2, 3]))
    kernel = tuple(draw(st.integers(1, 3)) for _ in range(d))
    out = tuple(draw(st.integers(1, 4)) for _ in range(d))
    # (the 3d form also refuses windows reaching exactly the last entry, as PyTorch)
    spatial = tuple(o + k - 1 + draw(st.integers(d - 2, 3)) for o, k in zip(out, kernel))
    batch = draw(st.sampled_from([None, 1, 2]))
    return d, kernel, out, (batch, draw(st.integers(1, 2)), *spatial)


@settings(max_examples=40, deadline=None)
@given(_case(), st.integers(0, 2**31))
def test_values_and_indices_are_the_formula(case: tuple, seed: int) -> None:
    d, kernel, out, shape = case
    rng = np.random.default_rng(seed)
    batch, rest = shape[0], shape[1:]
    x = rng.normal(size=((batch,) if batch else ()) + rest)
    x[rng.random(x.shape) < 0.1] = 0.0  # ties: the first one wins
    samples = rng.random((batch or 1, rest[0], d))
    fn = F.fractional_max_pool2d if d == 2 else F.fractional_max_pool3d
    values, indices = fn(Tensor(x), kernel, out, return_indices=True,
                         _random_samples=Tensor(samples))  # fmt: skip
    expected = reference(x if batch else x[None], kernel, out, samples)
    got = (
        (values.numpy(), indices.numpy())
        if batch
        else (values.numpy()[None], indices.numpy()[None])
    )
    np.testing.assert_array_equal(got[0], expected[0])
    np.testing.assert_array_equal(got[1], expected[1])
    assert indices.dtype == autograd.int64 and values.dtype == autograd.float64


@settings(max_examples=20, deadline=None)
@given(_case(), st.integers(0, 2**31))
def test_gradients_match_finite_differences(case: tuple, seed: int) -> None:
    d, kernel, out, shape = case
    rng = np.random.default_rng(seed)
    shape = tuple(n for n in shape if n is not None)
    # entries at least 0.01 apart, so no maximum changes within the finite differences' step
    x = Tensor(rng.permutation(np.prod(shape)).reshape(shape) * 0.01, requires_grad=True)
    samples = Tensor(rng.random((shape[0] if len(shape) == d + 2 else 1, shape[-d - 1], d)))
    fn = F.fractional_max_pool2d if d == 2 else F.fractional_max_pool3d

    def f(a: Tensor) -> Tensor:
        return fn(a, kernel, out, _random_samples=samples)

    assert gradcheck(f, [x])
    assert gradgradcheck(lambda a: f(a) ** 2, [x])


def test_a_maximum_in_overlapping_windows_gets_each_windows_gradient() -> None:
    x = Tensor(np.zeros((1, 1, 3, 3)), requires_grad=True)
    with autograd.no_grad():
        x[0, 0, 1, 1] = 5.0
    out = F.fractional_max_pool2d(x, 2, 2, _random_samples=Tensor(np.full((1, 1, 2), 0.5)))
    out.sum().backward()
    assert out.tolist() == [[[[5.0, 5.0], [5.0, 5.0]]]]
    assert x.grad[0, 0, 1, 1].item() == 4.0 and x.grad.sum().item() == 4.0


def test_nan_is_the_maximum_and_the_last_nan_wins() -> None:
    x = Tensor(np.array([[[[1.0, np.nan], [np.nan, 0.0]]]]))
    values, indices = F.fractional_max_pool2d(x, 2, 1, return_indices=True)
    assert np.isnan(values.item()) and indices.item() == 2


def test_output_ratio_and_fresh_samples() -> None:
    x = Tensor(np.random.default_rng(0).normal(size=(2, 3, 10, 9)))
    y = F.fractional_max_pool2d(x, 2, output_ratio=(0.5, 0.7))
    assert tuple(y.shape) == (2, 3, 5, 6)
    autograd.manual_seed(3)
    a = F.fractional_max_pool2d(x, 3, output_ratio=0.5, return_indices=True)
    autograd.manual_seed(3)
    b = F.fractional_max_pool2d(x, 3, output_ratio=0.5, return_indices=True)
    np.testing.assert_array_equal(a[1].numpy(), b[1].numpy())
    # every output is the largest entry of a 3 x 3 window at its index
    flat = x.numpy().reshape(6, 90)
    rows, cols = np.divmod(a[1].numpy().reshape(6, -1), 9)
    for p in range(6):
        for r, c, v in zip(rows[p], cols[p], a[0].numpy().reshape(6, -1)[p]):
            assert flat[p, r * 9 + c] == v


def test_the_modules_take_torchs_arguments() -> None:
    pool = nn.FractionalMaxPool2d(2, output_ratio=0.5)
    assert pool.kernel_size == (2, 2) and pool.output_ratio == (0.5, 0.5)
    assert pool.output_size is None and pool.return_indices is False
    assert repr(pool) == "FractionalMaxPool2d()"
    assert dict(pool.named_buffers()) == {}
    samples = Tensor(np.random.default_rng(1).random((1, 2, 3)))
    pool3 = nn.FractionalMaxPool3d((1, 2, 2), output_size=2, return_indices=True,
                                   _random_samples=samples)  # fmt: skip
    assert pool3.output_size == (2, 2, 2) and list(pool3.state_dict()) == ["_random_samples"]
    x = Tensor(np.random.default_rng(2).normal(size=(2, 4, 5, 5)))
    values, indices = pool3(x)
    expected = F.fractional_max_pool3d(x, (1, 2, 2), 2, return_indices=True,
                                       _random_samples=samples)  # fmt: skip
    np.testing.assert_array_equal(values.numpy(), expected[0].numpy())
    np.testing.assert_array_equal(indices.numpy(), expected[1].numpy())
    assert tuple(values.shape) == (2, 2, 2, 2)


@pytest.mark.parametrize(
    ("make", "error", "match"),
    [
        (lambda: nn.FractionalMaxPool2d(2), ValueError, "either an output size, or a pooling"),
        (lambda: nn.FractionalMaxPool2d(2, 3, 0.5), ValueError, "only one of output_size"),
        (
            lambda: nn.FractionalMaxPool2d(2, output_ratio=1.0),
            ValueError,
            r"between 0 and 1 \(got 1.0\)",
        ),
        (
            lambda: nn.FractionalMaxPool3d(2, output_ratio=(0.5, 0, 0.5)),
            ValueError,
            "between 0 and 1",
        ),
    ],
)
def test_bad_module_arguments_are_refused(make, error, match) -> None:
    with pytest.raises(error, match=match):
        make()


X = Tensor(np.zeros((2, 3, 8, 8)))


def pool(*args: object, samples: object = None, d: int = 2) -> object:
    fn = F.fractional_max_pool2d if d == 2 else F.fractional_max_pool3d
    return fn(*args, _random_samples=samples)


def rand64(*shape: int) -> Tensor:
    return autograd.rand(*shape, dtype=autograd.float64)


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: pool(X, 2), ValueError, "requires specifying either"),
        (lambda: pool(X, 2, 8), RuntimeError, "pool height 2 too large relative to input height"),
        (lambda: pool(X, (1, 9), 1), RuntimeError, "pool width 9 too large"),
        (lambda: pool(X[0, 0], 2, 3), IndexError, "Expected 3D or 4D tensor"),
        (lambda: pool(X[None], 2, 3), RuntimeError, "Expected 3D or 4D tensor"),
        (lambda: pool(X, 0, 2), RuntimeError, "positive kernel_size"),
        (lambda: pool(X, 2, -1), RuntimeError, "non-negative output_size"),
        (lambda: pool(X, (2, 2, 2), 3), TypeError, "kernel_size must either"),
        (lambda: pool(X, 2, 3.0), TypeError, "output_size must either"),
        (lambda: pool(X.long(), 2, 3), NotImplementedError, "not implemented"),
        (lambda: pool(X[:, :0], 2, 3), RuntimeError, "dimension 1 being empty"),
        (lambda: pool(X, 2, 3, samples=rand64(2, 3)), RuntimeError, "3 dimensions"),
        (lambda: pool(X, 2, 3, samples=rand64(2, 3, 3)), RuntimeError, r"size\(2\) equals to 2"),
        (lambda: pool(X, 2, 3, samples=rand64(1, 3, 2)), RuntimeError, "no less then input batch"),
        (lambda: pool(X, 2, 3, samples=rand64(2, 4, 2)), RuntimeError, "channel size"),
        (lambda: pool(X, 2, 3, samples=autograd.rand(2, 3, 2)), RuntimeError, "same dtype"),
        (lambda: pool(X, 2, 3, samples=rand64(2, 3, 2) * np.nan), RuntimeError, "must be finite"),
        (lambda: pool(X, 2, (5, 3, 3), d=3), RuntimeError, "pool time 2 too large"),
    ],
)
def test_bad_calls_are_refused_naming_the_op_or_argument(call, error, match) -> None:
    with pytest.raises(error, match=match):
        call()
