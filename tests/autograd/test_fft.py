"""``autograd.fft`` (autograd/ops/fft.py): gradients of real-valued functions of every
transform against central differences in float64 (first and second order, hypothesis drawing
shapes, dims, lengths and norms), values against numpy's transforms, dtypes, shapes, and
errors for bad arguments. (Against torch: tests/test_torch_oracle/test_fft_vs_torch.py.)"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
from autograd import Tensor
from autograd import fft as F
from autograd.testing import gradcheck, gradgradcheck

NORMS = [None, "backward", "forward", "ortho"]


def _real(a: Tensor, b: Tensor | None) -> Tensor:
    """A real input, or a complex one a + ib built in the graph (so a and b are checked)."""
    return a if b is None else autograd.complex(a, b)


def _arrays(draw: Any, shape: tuple, complex_input: bool) -> list[Tensor]:
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    count = 2 if complex_input else 1
    return [Tensor(rng.standard_normal(shape), requires_grad=True) for _ in range(count)]


def _check(fn: Callable[..., Tensor], inputs: list[Tensor], second: bool = True) -> None:
    gradcheck(fn, inputs, eps=1e-6, atol=1e-7, rtol=1e-5)
    if second:
        gradgradcheck(fn, inputs, eps=1e-6, atol=1e-6, rtol=1e-4)


def _readouts(y: Tensor, weights: np.ndarray, how: str) -> Tensor:
    """A real function of a complex (or real) transform: its (real, imaginary) pairs, or
    weighted squared magnitudes, or weighted real parts."""
    if y.dtype.kind != "c":
        return y * Tensor(weights[..., 0])
    if how == "pairs":
        return autograd.view_as_real(y)
    if how == "abs2":
        return y.abs() ** 2 * Tensor(weights[..., 0])
    if how == "power":
        return (y * y.conj()).real * Tensor(weights[..., 0])
    return y.real * Tensor(weights[..., 0]) + y.imag * Tensor(weights[..., 1])


@st.composite
def one_dim_cases(draw: Any, transform: str) -> tuple:
    shape = tuple(draw(st.lists(st.integers(1, 4), min_size=1, max_size=3)))
    dim = draw(st.integers(-len(shape), len(shape) - 1))
    n = draw(st.one_of(st.none(), st.integers(1, 6)))
    norm = draw(st.sampled_from(NORMS))
    complex_input = transform in ("fft", "ifft", "irfft", "hfft") and draw(st.booleans())
    how = draw(st.sampled_from(["pairs", "abs2", "power", "parts"]))
    return shape, dim, n, norm, how, _arrays(draw, shape, complex_input)


@pytest.mark.parametrize("transform", ["fft", "ifft", "rfft", "irfft", "hfft", "ihfft"])
@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_one_dim_transform_gradients_match_finite_differences(transform: str, data: Any) -> None:
    shape, dim, n, norm, how, inputs = data.draw(one_dim_cases(transform))
    op = getattr(F, transform)
    if transform in ("irfft", "hfft") and n is None and shape[dim] == 1:
        n = 2  # (the default length 2 * (m - 1) is 0 for a single entry: an error)
    probe = op(_real(*inputs, *([None] * (2 - len(inputs)))), n=n, dim=dim, norm=norm)
    weights = np.random.default_rng(1).standard_normal(tuple(probe.shape) + (2,))

    def fn(*xs: Tensor) -> Tensor:
        z = _real(xs[0], xs[1] if len(xs) == 2 else None)
        return _readouts(op(z, n=n, dim=dim, norm=norm), weights, how)

    _check(fn, inputs)


@st.composite
def many_dim_cases(draw: Any, transform: str) -> tuple:
    ndim = draw(st.integers(1, 3))
    shape = tuple(draw(st.lists(st.integers(1, 4), min_size=ndim, max_size=ndim)))
    two = transform.endswith("2")
    if two and ndim < 2:
        shape = (2,) + shape
    count = 2 if two else draw(st.integers(1, len(shape)))
    dims = draw(st.permutations(range(len(shape))))[:count]
    dim = tuple(d - len(shape) if draw(st.booleans()) else d for d in dims)
    s = draw(st.one_of(st.none(), st.lists(st.integers(1, 5), min_size=count, max_size=count)))
    if s is not None and draw(st.booleans()):
        s[0] = -1
    norm = draw(st.sampled_from(NORMS))
    complex_input = not transform.startswith("rfft") and draw(st.booleans())
    how = draw(st.sampled_from(["pairs", "abs2", "power", "parts"]))
    return shape, dim, s, norm, how, _arrays(draw, shape, complex_input)


@pytest.mark.parametrize(
    "transform", ["fft2", "ifft2", "rfft2", "irfft2", "fftn", "ifftn", "rfftn", "irfftn"]
)
@settings(max_examples=20, deadline=None)
@given(data=st.data())
def test_many_dim_transform_gradients_match_finite_differences(transform: str, data: Any) -> None:
    shape, dim, s, norm, how, inputs = data.draw(many_dim_cases(transform))
    op = getattr(F, transform)
    if transform.startswith("irfft") and (s is None or s[-1] == -1) and shape[dim[-1]] == 1:
        s = [-1] * (len(dim) - 1) + [3]
    probe = op(_real(*inputs, *([None] * (2 - len(inputs)))), s=s, dim=dim, norm=norm)
    weights = np.random.default_rng(2).standard_normal(tuple(probe.shape) + (2,))

    def fn(*xs: Tensor) -> Tensor:
        z = _real(xs[0], xs[1] if len(xs) == 2 else None)
        return _readouts(op(z, s=s, dim=dim, norm=norm), weights, how)

    _check(fn, inputs)


@settings(max_examples=20, deadline=None)
@given(data=st.data())
def test_rfft_then_irfft_and_shifts_gradients(data: Any) -> None:
    n = data.draw(st.integers(2, 7))
    (x,) = _arrays(data.draw, (2, n), False)
    kernel = np.random.default_rng(3).standard_normal((2, n))

    def conv(t: Tensor) -> Tensor:  # a circular convolution through the spectrum
        spectrum = F.rfft(t) * F.rfft(Tensor(kernel))
        return F.fftshift(F.irfft(spectrum, n=n), dim=-1) * 0.5 + F.ifftshift(t, dim=(0, 1))

    _check(conv, [x])
    expected = np.real(np.fft.ifft(np.fft.fft(x.data) * np.fft.fft(kernel)))
    got = F.irfft(F.rfft(x) * F.rfft(Tensor(kernel)), n=n)
    np.testing.assert_allclose(got.data, expected, atol=1e-12)


# --- the complex parts and the ops that pass complex gradients (complex_grads.py) ---

PARTS: dict[str, Callable[[Tensor, Tensor, Tensor], Tensor]] = {
    "real": lambda a, b, c: autograd.complex(a, b).real * c,
    "imag": lambda a, b, c: autograd.complex(a, b).imag * c,
    "conj": lambda a, b, c: autograd.view_as_real(autograd.complex(a, b).conj() * c),
    "abs": lambda a, b, c: autograd.complex(a, b).abs() * c,
    "angle": lambda a, b, c: autograd.complex(a, b).angle() * c,
    "view_as_complex": lambda a, b, c: autograd.view_as_complex(autograd.stack([a, b], -1)).imag,
    "mul": lambda a, b, c: autograd.view_as_real(autograd.complex(a, b) * autograd.complex(c, a)),
    "mul_real": lambda a, b, c: autograd.view_as_real(autograd.complex(a, b) * c),
    "div": lambda a, b, c: autograd.view_as_real(autograd.complex(a, b) / autograd.complex(c, b)),
    "add_sub_neg": lambda a, b, c: autograd.view_as_real(-(autograd.complex(a, b) + c) - a),
    "sum_mean_index": lambda a, b, c: autograd.view_as_real(
        autograd.complex(a, b).sum(0) + autograd.complex(c, a).mean(0) + autograd.complex(a, c)[0]
    ),
    "matmul": lambda a, b, c: autograd.view_as_real(
        autograd.complex(a, b) @ autograd.complex(c, a).T * (a @ b.T)
    ),
    "einsum": lambda a, b, c: autograd.view_as_real(
        autograd.einsum("ij,kj->ik", autograd.complex(a, b), autograd.complex(c, a))
    ),
    "cast": lambda a, b, c: autograd.view_as_real(a.to(autograd.complex128) * c),
}
FIRST_ORDER_ONLY = {"angle"}


@pytest.mark.parametrize("name", sorted(PARTS))
@settings(max_examples=20, deadline=None)
@given(data=st.data())
def test_complex_part_gradients_match_finite_differences(name: str, data: Any) -> None:
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))
    inputs = [
        Tensor(rng.uniform(0.5, 2.0, (2, 3)) * rng.choice([-1, 1], (2, 3)), requires_grad=True)
        for _ in range(3)
    ]  # fmt: skip  (away from 0, where abs and angle have kinks)
    gradcheck(PARTS[name], inputs, eps=1e-6, atol=1e-7, rtol=1e-5)
    if name not in FIRST_ORDER_ONLY:
        gradgradcheck(PARTS[name], inputs, eps=1e-6, atol=1e-6, rtol=1e-4)


def test_a_complex_leaf_gets_dL_dx_plus_i_dL_dy() -> None:
    z = Tensor(np.array([1 + 2j, -0.5 + 0.25j]), requires_grad=True)
    (z.abs() ** 2).sum().backward()
    np.testing.assert_allclose(z.grad.data, 2 * z.data)  # |z|^2 = x^2 + y^2: 2x + 2iy
    assert z.grad.dtype == np.complex128
    w = Tensor(np.array([1 + 2j, -0.5 + 0.25j]), requires_grad=True)
    (w * (1 - 1j)).imag.sum().backward()  # Im((1 - i) z) = y - x
    np.testing.assert_allclose(w.grad.data, [-1 + 1j, -1 + 1j])


def test_a_real_input_times_a_complex_constant_gets_the_real_gradient() -> None:
    x = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    c = np.array([1 + 2j, 3 - 1j])
    (x * Tensor(c) * Tensor(c)).abs().sum().backward()
    np.testing.assert_allclose(x.grad.data, np.abs(c) ** 2 * np.sign(x.data))
    assert x.grad.dtype == np.float64


def test_ops_without_complex_gradients_refuse_complex_data() -> None:
    z = F.fft(Tensor(np.ones(4), requires_grad=True))
    with pytest.raises(NotImplementedError, match="Exp: gradients through complex tensors"):
        z.exp()
    with pytest.raises(NotImplementedError, match="sgn"):
        z.sgn()
    with autograd.no_grad():
        assert z.exp().dtype == np.complex128
    with pytest.raises(RuntimeError, match="only for real outputs"):
        z.sum().backward()
    with pytest.raises(NotImplementedError, match="second derivatives"):
        x = Tensor(np.array([1.0, 2.0]), requires_grad=True)
        (g,) = autograd.grad(F.fft(x).angle().sum(), x, create_graph=True)
        autograd.grad(g.sum(), x)


# --- values, dtypes, shapes and errors (numpy's transforms as the reference) ---

X = np.random.default_rng(0).standard_normal((3, 5))


@pytest.mark.parametrize(
    ("ours", "reference"),
    [
        (lambda x: F.fft(x, n=7, dim=0, norm="ortho"), lambda x: np.fft.fft(x, 7, 0, "ortho")),
        (lambda x: F.ifft(x), lambda x: np.fft.ifft(x)),
        (lambda x: F.rfft(x, n=4), lambda x: np.fft.rfft(x, 4)),
        (lambda x: F.irfft(x, norm="forward"), lambda x: np.fft.irfft(x, norm="forward")),
        (lambda x: F.fft2(x, s=(2, 6)), lambda x: np.fft.fft2(x, s=(2, 6))),
        (lambda x: F.ifftn(x, dim=(1,)), lambda x: np.fft.ifftn(x, axes=(1,))),
        (lambda x: F.rfftn(x), lambda x: np.fft.rfftn(x)),
        (lambda x: F.irfft2(x, s=(3, 9)), lambda x: np.fft.irfft2(x, s=(3, 9))),
        (lambda x: F.hfft(x, n=6), lambda x: np.fft.hfft(x, 6)),
        (lambda x: F.ihfft(x), lambda x: np.fft.ihfft(x)),
        (lambda x: F.fftshift(x), lambda x: np.fft.fftshift(x)),
        (lambda x: F.ifftshift(x, dim=1), lambda x: np.fft.ifftshift(x, axes=1)),
    ],
)
def test_values_match_numpy(ours: Callable, reference: Callable) -> None:
    np.testing.assert_allclose(ours(Tensor(X)).data, reference(X), atol=1e-12)


def test_dtypes_follow_the_input_precision() -> None:
    f32, f64 = Tensor(X.astype(np.float32)), Tensor(X)
    assert F.fft(f32).dtype == np.complex64 and F.fft(f64).dtype == np.complex128
    assert F.irfft(F.rfft(f32)).dtype == np.float32 and F.irfft(F.rfft(f64)).dtype == np.float64
    assert F.hfft(F.fft(f32)).dtype == np.float32 and F.ihfft(f64).dtype == np.complex128
    assert F.fft(autograd.arange(4)).dtype == np.complex64  # integers: the default float
    assert F.fftn(f32, dim=()).dtype == np.complex64
    assert F.fftfreq(4).dtype == np.float32 and F.rfftfreq(4, dtype=np.float64).dtype == np.float64
    np.testing.assert_allclose(F.fftfreq(5, d=0.5).data, np.fft.fftfreq(5, 0.5), rtol=1e-6)
    np.testing.assert_allclose(F.rfftfreq(6, d=0.1).data, np.fft.rfftfreq(6, 0.1), rtol=1e-6)
    assert F.fftfreq(3, requires_grad=True).requires_grad


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: F.fft(Tensor(X), n=0), RuntimeError, r"Invalid number of data points \(0\)"),
        (lambda: F.irfft(Tensor(np.ones(1))), RuntimeError, r"data points \(0\)"),
        (lambda: F.fft(Tensor(X), dim=2), IndexError, "out of range"),
        (lambda: F.fft(Tensor(X), norm="foo"), RuntimeError, 'Invalid normalization mode: "foo"'),
        (lambda: F.fftn(Tensor(X), s=(3,), dim=(0, 1)), RuntimeError, "same length"),
        (lambda: F.fftn(Tensor(X), dim=(0, 0)), RuntimeError, "FFT dims must be unique"),
        (lambda: F.rfftn(Tensor(X), s=(1, 2, 3)), RuntimeError, "only has 2 dimensions"),
        (lambda: F.rfft(F.fft(Tensor(X))), RuntimeError, "rfft expects a real input tensor"),
        (lambda: F.ihfft(F.fft(Tensor(X))), RuntimeError, "ihfft expects a real input"),
        (lambda: F.fft(Tensor(X.astype(np.float16))), RuntimeError, "Unsupported dtype Half"),
        (lambda: F.fft(Tensor(np.ones(0))), RuntimeError, r"data points \(0\)"),
        (lambda: F.fftfreq(-1), RuntimeError, "negative dimension"),
        (lambda: autograd.view_as_complex(Tensor(X)), RuntimeError, "last dimension of size 2"),
        (lambda: autograd.view_as_real(Tensor(X)), RuntimeError, "only supported for complex"),
        (lambda: autograd.complex(Tensor(X), Tensor(X.astype(np.float32))), RuntimeError, "same"),
    ],
)
def test_bad_arguments_raise_naming_the_problem(call: Callable, error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        call()


@pytest.mark.parametrize("shift", [F.fftshift, F.ifftshift])
def test_shifts_refuse_nothing_to_shift_as_torch(shift: Callable) -> None:
    """A 0-d input (every dim of none) or ``dim=()``: torch's roll gets no shifts and raises."""
    with pytest.raises(RuntimeError, match=f"{shift.__name__}: `shifts` required"):
        shift(Tensor(1.0))
    with pytest.raises(RuntimeError, match="`shifts` required"):
        shift(Tensor(X), dim=())
    assert shift(Tensor(np.ones(0))).shape == (0,)  # empty but with a dimension: fine
