"""``autograd.fft`` against ``torch.fft``: hypothesis draws a transform, a shape, dims, lengths,
a norm and an input dtype (float32, float64, int64, complex64, complex128); both libraries
compute the transform's value (dtype, shape, entries) and the gradient of a real loss built
from it (weighted (real, imaginary) pairs, squared magnitudes or magnitudes) with respect to
the input, a complex leaf included. Also the frequencies, the shifts and the errors."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

torch = pytest.importorskip("torch")

import autograd  # noqa: E402

ONE_DIM = ["fft", "ifft", "rfft", "irfft", "hfft", "ihfft"]
MANY_DIM = ["fft2", "ifft2", "rfft2", "irfft2", "fftn", "ifftn", "rfftn", "irfftn"]
REAL_ONLY = {"rfft", "ihfft", "rfft2", "rfftn"}
C2R = {"irfft", "hfft", "irfft2", "irfftn"}
DTYPES = ["float32", "float64", "int64", "complex64", "complex128"]


@st.composite
def cases(draw: Any) -> dict:
    name = draw(st.sampled_from(ONE_DIM + MANY_DIM))
    ndim = draw(st.integers(2 if name.endswith("2") else 1, 3))
    shape = tuple(draw(st.lists(st.integers(1, 5), min_size=ndim, max_size=ndim)))
    dtypes = [d for d in DTYPES if not (name in REAL_ONLY and d.startswith("complex"))]
    case: dict[str, Any] = {
        "name": name,
        "shape": shape,
        "dtype": draw(st.sampled_from(dtypes)),
        "seed": draw(st.integers(0, 2**32 - 1)),
        "loss": draw(st.sampled_from(["pairs", "power", "abs"])),
        "kwargs": {},
    }
    norm = draw(st.sampled_from([None, "backward", "forward", "ortho"]))
    if norm is not None:
        case["kwargs"]["norm"] = norm
    if name in ONE_DIM:
        case["kwargs"]["dim"] = draw(st.integers(-ndim, ndim - 1))
        n = draw(st.one_of(st.none(), st.integers(1, 7)))
        if name in C2R and n is None and shape[case["kwargs"]["dim"]] == 1:
            n = 3
        if n is not None:
            case["kwargs"]["n"] = n
    else:
        count = 2 if name.endswith("2") else draw(st.integers(1, ndim))
        dims = tuple(draw(st.permutations(range(ndim)))[:count])
        if not name.endswith("2") or draw(st.booleans()):
            case["kwargs"]["dim"] = dims
        else:
            dims = (ndim - 2, ndim - 1)
        s = draw(st.one_of(st.none(), st.lists(st.integers(1, 6), min_size=count, max_size=count)))
        if name in C2R and s is None and shape[dims[-1]] == 1:
            s = [-1] * (count - 1) + [4]
        if s is not None:
            case["kwargs"]["s"] = tuple(s)
    return case


def _input(lib: Any, case: dict) -> Any:
    rng = np.random.default_rng(case["seed"])
    shape, dtype = case["shape"], case["dtype"]
    if dtype == "int64":
        return lib.tensor(rng.integers(-4, 5, shape))
    data = rng.standard_normal(shape)
    if dtype.startswith("complex"):
        data = data + 1j * rng.standard_normal(shape)
    return lib.tensor(data.astype(dtype), requires_grad=True)


def _run(lib: Any, case: dict) -> tuple:
    x = _input(lib, case)
    y = getattr(lib.fft, case["name"])(x, **case["kwargs"])
    shape = tuple(y.shape)
    weights = np.random.default_rng(1).standard_normal(shape + (2,))
    w0 = lib.tensor(weights[..., 0].astype(np.float64)).to(y.real.dtype)
    if y.is_complex():
        if case["loss"] == "pairs":
            # (torch's view_as_real refuses its lazily conjugated results: resolve_conj)
            pairs = lib.view_as_real(y.resolve_conj())
            loss = (pairs * lib.tensor(weights).to(y.real.dtype)).sum()
        elif case["loss"] == "power":
            loss = ((y * y.conj()).real * w0).sum()
        else:
            loss = (y.abs() * w0).sum()
    else:
        loss = (y * w0).sum()
    grad = None
    if x.requires_grad:
        loss.backward()
        grad = x.grad.detach().resolve_conj().resolve_neg().numpy()
    return y.dtype, shape, y.detach().resolve_conj().resolve_neg().numpy(), grad


def _tolerance(dtype: Any) -> dict:
    single = np.dtype(dtype) in (np.float32, np.complex64)
    return {"rtol": 1e-4, "atol": 1e-4} if single else {"rtol": 1e-9, "atol": 1e-9}


@settings(max_examples=300, deadline=None)
@given(cases())
def test_transforms_match_torch_in_value_dtype_shape_and_gradient(case: dict) -> None:
    d_o, shape_o, v_o, g_o = _run(autograd, case)
    d_t, shape_t, v_t, g_t = _run(torch, case)
    assert shape_o == shape_t
    assert np.dtype(d_o) == v_t.dtype, (d_o, d_t)
    np.testing.assert_allclose(v_o, v_t, **_tolerance(v_t.dtype), err_msg="value")
    assert (g_o is None) == (g_t is None)
    if g_o is not None:
        assert g_o.dtype == g_t.dtype
        np.testing.assert_allclose(g_o, g_t, **_tolerance(g_t.dtype), err_msg="gradient")


@pytest.mark.parametrize("name", ["fftfreq", "rfftfreq"])
@pytest.mark.parametrize("n", [0, 1, 2, 5, 8])
@pytest.mark.parametrize("d", [1.0, 0.1, 3])
@pytest.mark.parametrize("dtype", [None, "float64"])
def test_frequencies_match_torch(name: str, n: int, d: float, dtype: str | None) -> None:
    ours = getattr(autograd.fft, name)(n, d, dtype=None if dtype is None else autograd.float64)
    theirs = getattr(torch.fft, name)(n, d, dtype=None if dtype is None else torch.float64)
    assert ours.dtype == theirs.numpy().dtype and tuple(ours.shape) == tuple(theirs.shape)
    np.testing.assert_allclose(ours.data, theirs.numpy(), rtol=1e-6, atol=0)


@pytest.mark.parametrize("name", ["fftshift", "ifftshift"])
@pytest.mark.parametrize("dim", [None, 0, -1, (0, 1), [1]])
def test_shifts_match_torch(name: str, dim: Any) -> None:
    data = np.random.default_rng(4).standard_normal((3, 4, 5))
    weights = np.random.default_rng(5).standard_normal((3, 4, 5))
    results = []
    for lib in (autograd, torch):
        x = lib.tensor(data, requires_grad=True)
        y = getattr(lib.fft, name)(x, dim=dim)
        (y * lib.tensor(weights)).sum().backward()
        results.append((y.detach().numpy(), x.grad.numpy()))
    for ours, theirs in zip(*results):
        np.testing.assert_array_equal(ours, theirs)


BAD = {
    "n_zero": lambda L, x: L.fft.fft(x, n=0),
    "n_negative": lambda L, x: L.fft.rfft(x, n=-2),
    "irfft_one_entry": lambda L, x: L.fft.irfft(x[:, :1]),
    "dim_out_of_range": lambda L, x: L.fft.fft(x, dim=2),
    "norm": lambda L, x: L.fft.ifft(x, norm="bad"),
    "s_dim_lengths": lambda L, x: L.fft.fftn(x, s=(3,), dim=(0, 1)),
    "dims_repeat": lambda L, x: L.fft.fftn(x, dim=(1, 1)),
    "s_too_long": lambda L, x: L.fft.rfftn(x, s=(1, 2, 3)),
    "rfft_complex": lambda L, x: L.fft.rfft(L.fft.fft(x)),
    "ihfft_complex": lambda L, x: L.fft.ihfft(L.fft.fft(x)),
    "fft2_of_1d": lambda L, x: L.fft.fft2(x[0]),
    "half": lambda L, x: L.fft.fft(x.half()),
    "empty": lambda L, x: L.fft.fft(x[:, :0]),
    "fftfreq_negative": lambda L, x: L.fft.fftfreq(-1),
    "view_as_complex_shape": lambda L, x: L.view_as_complex(x),
    "view_as_real_real": lambda L, x: L.view_as_real(x),
    "complex_dtypes": lambda L, x: L.complex(x, x.float()),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_arguments_raise_as_torch(name: str) -> None:
    data = np.random.default_rng(6).standard_normal((3, 4))
    with pytest.raises(Exception) as theirs:
        BAD[name](torch, torch.tensor(data))
    with pytest.raises(Exception) as ours:
        BAD[name](autograd, autograd.tensor(data))
    assert isinstance(ours.value, type(theirs.value)), (ours.value, theirs.value)


def test_fft_convolution_training_step_matches_torch() -> None:
    """A script's FFT convolution layer (a learnt filter applied through rfft/irfft), one
    gradient with respect to input and filter."""
    rng = np.random.default_rng(7)
    x, k = rng.standard_normal((2, 16)), rng.standard_normal(16)
    results = []
    for lib in (autograd, torch):
        tx, tk = lib.tensor(x, requires_grad=True), lib.tensor(k, requires_grad=True)
        y = lib.fft.irfft(lib.fft.rfft(tx) * lib.fft.rfft(tk), n=16)
        loss = (y - lib.tensor(np.roll(x, 1, -1))).pow(2).mean()
        loss.backward()
        results.append((loss.item(), tx.grad.numpy(), tk.grad.numpy()))
    for ours, theirs in zip(*results):
        np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-12)
