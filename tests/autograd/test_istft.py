"""istft: the inverse of stft over its arguments' combinations (hypothesis), the least-squares
estimate written out by hand, derivatives to the spectrum and the window against finite
differences (first and second order), and its checks."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import autograd
from autograd.testing import gradcheck, gradgradcheck


@st.composite
def _arguments(draw: st.DrawFn) -> dict:
    n_fft = draw(st.integers(2, 12))
    win_length = draw(st.integers(1, n_fft))
    return dict(
        n_fft=n_fft,
        win_length=win_length,
        hop_length=draw(st.integers(1, win_length)),
        center=draw(st.booleans()),
        normalized=draw(st.booleans()),
        onesided=draw(st.sampled_from([None, False])),
    )


def _window(win_length: int, rng: np.random.Generator) -> Any:
    return autograd.tensor(rng.uniform(0.5, 1.5, size=win_length))


def _envelope_min(kw: dict, frames: int, length: int) -> float:
    """The smallest overlap-added squared window over the samples istft returns, by hand."""
    n_fft, hop, win = kw["n_fft"], kw["hop_length"], kw["win_length"]
    left = (n_fft - win) // 2
    env = np.zeros(n_fft + (frames - 1) * hop)
    for m in range(frames):
        env[m * hop + left : m * hop + left + win] += 1.0
    start = n_fft // 2 if kw["center"] else 0
    return float(env[start : start + length].min())


@settings(max_examples=80, deadline=None)
@given(_arguments(), st.integers(0, 2**31), st.booleans())
def test_inverts_stft(kw: dict, seed: int, batched: bool) -> None:
    rng = np.random.default_rng(seed)
    length = kw["n_fft"] + 4 * kw["hop_length"] + int(rng.integers(0, kw["hop_length"]))
    x = rng.normal(size=(2, length) if batched else (length,))
    w = _window(kw["win_length"], rng)
    spec = autograd.stft(autograd.tensor(x), window=w, return_complex=True, **kw)
    start = kw["n_fft"] // 2 if kw["center"] else 0
    framed = kw["n_fft"] + (spec.shape[-1] - 1) * kw["hop_length"]  # samples the frames hold
    covered = min(length, framed - start)
    if _envelope_min(kw, spec.shape[-1], covered) == 0:  # samples that no window reaches
        with pytest.raises(RuntimeError, match="istft: window overlap add min: 0"):
            autograd.istft(spec, window=w, length=length, **kw)
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the padding warning (not centred: frames missing)
        y = autograd.istft(spec, window=w, length=length, **kw)
    # samples beyond stft's last frame come back 0
    assert y.shape == x.shape and y.dtype == np.float64
    np.testing.assert_allclose(y.numpy()[..., :covered], x[..., :covered], atol=1e-12)
    assert not np.any(y.numpy()[..., covered:])


def _least_squares(spec: np.ndarray, n_fft: int, hop: int, w: np.ndarray) -> np.ndarray:
    """sum_m w x_m / sum_m w**2 over the frames x_m = irfft(spec[:, m]), uncentred, by hand."""
    count = spec.shape[-1]
    total = n_fft + (count - 1) * hop
    num, den = np.zeros(total), np.zeros(total)
    for m in range(count):
        frame = np.fft.irfft(spec[:, m], n_fft)
        num[m * hop : m * hop + n_fft] += w * frame
        den[m * hop : m * hop + n_fft] += w * w
    return num / den


def test_is_the_least_squares_estimate_of_any_spectrum() -> None:
    rng = np.random.default_rng(3)
    spec = rng.normal(size=(5, 7)) + 1j * rng.normal(size=(5, 7))  # not the stft of a signal
    w = rng.uniform(0.5, 1.5, size=8)
    y = autograd.istft(autograd.tensor(spec), 8, 3, window=autograd.tensor(w), center=False)
    np.testing.assert_allclose(y.numpy(), _least_squares(spec, 8, 3, w), rtol=1e-12)


@settings(max_examples=25, deadline=None)
@given(_arguments(), st.integers(0, 2**31), st.booleans())
def test_derivatives_match_finite_differences(kw: dict, seed: int, as_complex: bool) -> None:
    rng = np.random.default_rng(seed)
    n_freq = kw["n_fft"] if kw["onesided"] is False else kw["n_fft"] // 2 + 1
    assume(not (as_complex and kw["onesided"] is None))
    kw = dict(kw, onesided=False) if as_complex else kw
    spec = autograd.tensor(rng.normal(size=(n_freq, 4, 2)), requires_grad=True)
    w = autograd.tensor(rng.uniform(0.5, 1.5, size=kw["win_length"]), requires_grad=True)
    length = int(rng.integers(1, kw["n_fft"] + 3 * kw["hop_length"] + 3))
    assume(_envelope_min(kw, 4, length) > 0)

    def f(s: Any, window: Any) -> Any:
        y = autograd.istft(
            autograd.view_as_complex(s), window=window, length=length, return_complex=as_complex,
            **kw,
        )  # fmt: skip
        return autograd.view_as_real(y) if as_complex else y

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the padding warning
        assert gradcheck(f, [spec, w])
        assert gradgradcheck(lambda s, window: f(s, window) ** 2, [spec, w])


def test_rectangular_window_by_default_with_torchs_warning() -> None:
    x = autograd.tensor(np.random.default_rng(0).normal(size=20))
    with pytest.warns(UserWarning, match="A window was not provided"):
        spec = autograd.stft(x, 4, return_complex=True)
    with pytest.warns(UserWarning, match="Please provide the same window used by stft"):
        y = autograd.istft(spec, 4)
    np.testing.assert_allclose(y.numpy(), x.numpy(), atol=1e-12)


def test_a_longer_length_pads_zeros_with_a_warning() -> None:
    spec = autograd.stft(
        autograd.ones(12), 4, window=autograd.ones(4), center=False, return_complex=True
    )
    with pytest.warns(UserWarning, match="padded with zeros in the tail"):
        y = autograd.istft(spec, 4, window=autograd.ones(4), center=False, length=20)
    assert y.tolist() == [1.0] * 12 + [0.0] * 8


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda s, w: autograd.istft(autograd.view_as_real(s), 8, 2, window=w), RuntimeError,
         "complex-valued input"),
        (lambda s, w: autograd.istft(s[0], 8, 2, window=w), IndexError, "2 or 3 dims"),
        (lambda s, w: autograd.istft(s[None, None], 8, 2, window=w), RuntimeError, "2 or 3 dims"),
        (lambda s, w: autograd.istft(s, 8, 0, window=w), RuntimeError, "0 < hop_length"),
        (lambda s, w: autograd.istft(s, 8, 9, window=w), RuntimeError, "0 < hop_length"),
        (lambda s, w: autograd.istft(s, 8, 2, 9), RuntimeError, "0 < win_length <= n_fft"),
        (lambda s, w: autograd.istft(s, 10, 2, window=w), RuntimeError, "n_fft / 2 \\+ 1"),
        (lambda s, w: autograd.istft(s, 8, 2, window=w, onesided=False), RuntimeError,
         "match n_fft when onesided=False"),
        (lambda s, w: autograd.istft(s, 8, 2, window=w, return_complex=True), RuntimeError,
         "Cannot have onesided output"),
        (lambda s, w: autograd.istft(s, 8, 2, window=w[:7]), RuntimeError, "1D window"),
        (lambda s, w: autograd.istft(s, 8, 2, window=w * 0), RuntimeError,
         "window overlap add min: 0"),
        (lambda s, w: autograd.istft(s, 8, 2, window=w * 1j), RuntimeError,
         "Complex windows are incompatible"),
        (lambda s, w: autograd.istft(s[:, :0], 8, 2, window=w), RuntimeError, "cannot be empty"),
        (lambda s, w: autograd.istft(s, 8, 2, window=w, length=0), RuntimeError,
         "window overlap add min"),
    ],
)  # fmt: skip
def test_bad_calls_are_refused(call: Any, error: type, message: str) -> None:
    x = autograd.tensor(np.random.default_rng(1).normal(size=40))
    w = autograd.hann_window(8, dtype=autograd.float64)
    spec = autograd.stft(x, 8, 2, window=w, return_complex=True)
    with pytest.raises(error, match=message):
        call(spec, w)


def test_a_gap_between_windows_is_refused() -> None:
    """hop > the window's nonzero part: samples no window covers (NOLA fails)."""
    w = autograd.tensor(np.r_[np.zeros(4), np.ones(4)])
    spec = autograd.tensor(np.ones((5, 6), dtype=np.complex128))
    with pytest.raises(RuntimeError, match="istft: window overlap add min: 0"):
        autograd.istft(spec, 8, 8, window=w)
