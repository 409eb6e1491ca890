"""``stft`` and the window functions against torch: values, shapes, dtypes and the gradients
to the signal and the window, over the arguments' combinations (centre and pad modes, short
windows, align_to_window, normalized, two-sided, real pairs, float32), and the calls both
refuse."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import autograd  # noqa: E402

WINDOWS = ["hann_window", "hamming_window", "blackman_window", "bartlett_window", "kaiser_window"]


@pytest.mark.parametrize("name", WINDOWS)
@pytest.mark.parametrize("periodic", [True, False])
@pytest.mark.parametrize("length", [0, 1, 2, 5, 8])
def test_windows_match_torch(name, periodic, length):
    for dtype in ("float32", "float64"):
        ours = getattr(autograd, name)(length, periodic, dtype=getattr(autograd, dtype))
        theirs = getattr(torch, name)(length, periodic, dtype=getattr(torch, dtype))
        assert str(ours.dtype) == dtype and tuple(ours.shape) == tuple(theirs.shape)
        np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-6, atol=1e-7)


def test_window_parameters_match_torch():
    pairs = [
        (lambda L: L.hamming_window(7, False, 0.5, 0.3, dtype=L.float64)),
        (lambda L: L.kaiser_window(7, True, 4.0, dtype=L.float64)),
        (lambda L: L.hann_window(6)),
    ]
    for make in pairs:
        np.testing.assert_allclose(
            make(autograd).numpy(), make(torch).numpy(), rtol=1e-6, atol=1e-7
        )


CASES = [
    dict(n_fft=8, window="hann"),
    dict(n_fft=8, hop_length=3, win_length=6, window="hann"),
    dict(n_fft=8, center=False, window="hamming"),
    dict(n_fft=8, win_length=4, hop_length=2, center=False, align_to_window=True, window="hann"),
    dict(n_fft=16, pad_mode="constant", normalized=True, window="hann"),
    dict(n_fft=7, onesided=False, window="hann"),
    dict(n_fft=6, pad_mode="replicate", hop_length=1, window="blackman"),
    dict(n_fft=6, pad_mode="circular", window="hann"),
    dict(n_fft=8, return_complex=False, window="hann"),
    dict(n_fft=4),  # no window: rectangular, with torch's warning
]


def run(lib, x, kwargs, dtype):
    kw = dict(kwargs)
    kw.setdefault("return_complex", True)
    if "window" in kw:
        length = kw.get("win_length", kw["n_fft"])
        kw["window"] = getattr(lib, f"{kw['window']}_window")(length, dtype=getattr(lib, dtype))
        kw["window"].requires_grad_(True)
    t = lib.tensor(x, requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = lib.stft(t, **kw)
    real = lib.view_as_real(out) if out.is_complex() else out
    weights = lib.tensor(np.random.RandomState(1).randn(*real.shape).astype(dtype))
    (real * weights).sum().backward()
    window_grad = kw["window"].grad.numpy() if "window" in kw else None
    return str(out.dtype).split(".")[-1], real.detach().numpy(), t.grad.numpy(), window_grad


@pytest.mark.parametrize("kwargs", CASES, ids=[str(i) for i in range(len(CASES))])
@pytest.mark.parametrize("shape", [(20,), (2, 21)])
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_stft_values_and_gradients_match_torch(kwargs, shape, dtype):
    x = np.random.RandomState(0).randn(*shape).astype(dtype)
    ours, theirs = run(autograd, x, kwargs, dtype), run(torch, x, kwargs, dtype)
    assert ours[0] == theirs[0] and ours[1].shape == theirs[1].shape
    tol = dict(rtol=1e-10, atol=1e-10) if dtype == "float64" else dict(rtol=1e-4, atol=1e-4)
    for a, b in zip(ours[1:], theirs[1:], strict=True):
        if b is not None:
            np.testing.assert_allclose(a, b, **tol)


def test_stft_of_a_complex_signal_is_two_sided_like_torch():
    rs = np.random.RandomState(2)
    x = rs.randn(16) + 1j * rs.randn(16)
    ours = autograd.stft(autograd.tensor(x), 4, window=autograd.hann_window(4, dtype="float64"))
    theirs = torch.stft(torch.tensor(x), 4, window=torch.hann_window(4, dtype=torch.float64))
    assert tuple(ours.shape) == tuple(theirs.shape) == (4, 17)
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(n_fft=8),  # return_complex missing for a real input
        dict(n_fft=8, hop_length=0, return_complex=True),
        dict(n_fft=8, win_length=9, return_complex=True),
        dict(n_fft=8, window_length=5, return_complex=True),
        dict(n_fft=8, align_to_window=True, return_complex=True),
        dict(n_fft=8, center=False, n=40, return_complex=True),
    ],
)
def test_both_refuse_the_same_calls(kwargs):
    kw = dict(kwargs)
    n = kw.pop("n", 20)
    window_length = kw.pop("window_length", None)
    for lib in (autograd, torch):
        args = dict(kw)
        if window_length is not None:
            args["window"] = lib.ones(window_length)
        if n == 40:
            args["n_fft"] = 40
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with pytest.raises((RuntimeError, ValueError)):
                lib.stft(lib.ones(20), **args)
