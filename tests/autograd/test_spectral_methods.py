"""``Tensor.stft`` and ``Tensor.istft``: the methods give the module functions' values and
gradients for the same arguments (positional or by keyword, hypothesis over their
combinations), their gradients match central finite differences in float64, and stft's own
padding refuses what it cannot pad, naming stft. Against torch's methods:
tests/test_torch_oracle/test_spectral_methods_vs_torch.py."""

from __future__ import annotations

import inspect
import warnings
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
from autograd.testing import gradcheck


@st.composite
def _stft_arguments(draw: st.DrawFn) -> dict:
    n_fft = draw(st.integers(2, 9))
    win_length = draw(st.integers(1, n_fft))
    center = draw(st.booleans())
    return dict(
        n_fft=n_fft,
        hop_length=draw(st.integers(1, win_length)),
        win_length=win_length,
        center=center,
        pad_mode=draw(st.sampled_from(["reflect", "constant", "replicate", "circular"])),
        normalized=draw(st.booleans()),
        onesided=draw(st.sampled_from([None, False])),
        align_to_window=None if center else draw(st.sampled_from([None, True, False])),
    )


def _grads(out: Any, *leaves: Any) -> list:
    real = autograd.view_as_real(out) if out.is_complex() else out
    weights = np.random.default_rng(0).normal(size=real.shape)
    (real * autograd.tensor(weights)).sum().backward()
    return [leaf.grad.numpy() for leaf in leaves]


@settings(max_examples=30, deadline=None)
@given(_stft_arguments(), st.integers(0, 2**31), st.booleans())
def test_methods_are_the_functions(kw: dict, seed: int, positional: bool) -> None:
    rng = np.random.default_rng(seed)
    x0, w0 = rng.normal(size=(2, 14)), rng.uniform(0.5, 1.5, size=kw["win_length"])
    results = []
    for form in ("function", "method"):
        x = autograd.tensor(x0, requires_grad=True)
        w = autograd.tensor(w0, requires_grad=True)
        args = dict(kw, window=w, return_complex=True)
        if form == "function":
            spec = autograd.stft(x, **args)
        elif positional:  # torch's argument order
            order = list(inspect.signature(autograd.Tensor.stft).parameters)[1:]
            spec = x.stft(*(args[name] for name in order))
        else:
            spec = x.stft(**args)
        # the inverse with frames one sample apart, so every sample is covered (NOLA)
        common = dict(n_fft=kw["n_fft"], hop_length=1, win_length=kw["win_length"])
        inverse_kw = dict(common, window=w, normalized=kw["normalized"], length=14)
        spectrum = autograd.stft(x.detach(), window=w.detach(), return_complex=True, **common)
        s = spectrum.clone().requires_grad_(True)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            signal = (
                autograd.istft(s, **inverse_kw) if form == "function" else s.istft(**inverse_kw)
            )
        results.append(
            (
                spec.detach().numpy(),
                signal.detach().numpy(),
                *_grads(spec, x, w),
                *_grads(signal, s),
            )
        )
    for ours, theirs in zip(*results, strict=True):
        np.testing.assert_array_equal(ours, theirs)


@settings(max_examples=8, deadline=None)
@given(_stft_arguments(), st.integers(0, 2**31))
def test_method_gradients_match_finite_differences(kw: dict, seed: int) -> None:
    rng = np.random.default_rng(seed)
    x = autograd.tensor(rng.normal(size=(2, 10)), requires_grad=True)
    w = autograd.tensor(rng.uniform(0.5, 1.5, size=kw["win_length"]), requires_grad=True)
    assert gradcheck(
        lambda s, win: autograd.view_as_real(s.stft(window=win, return_complex=True, **kw)), [x, w]
    )
    common = dict(n_fft=kw["n_fft"], hop_length=1, win_length=kw["win_length"])
    spectrum = autograd.stft(x.detach(), window=w.detach(), return_complex=True, **common)
    pairs = autograd.view_as_real(spectrum[0]).requires_grad_(True)
    assert gradcheck(
        lambda p, win: autograd.view_as_complex(p).istft(window=win, length=10, **common),
        [pairs, w],
    )


def test_the_methods_take_torchs_arguments_and_defaults() -> None:
    stft = inspect.signature(autograd.Tensor.stft).parameters
    assert list(stft) == [
        "self", "n_fft", "hop_length", "win_length", "window", "center", "pad_mode",
        "normalized", "onesided", "return_complex", "align_to_window",
    ]  # fmt: skip
    assert stft["center"].default is True and stft["pad_mode"].default == "reflect"
    istft = inspect.signature(autograd.Tensor.istft).parameters
    assert list(istft) == [
        "self", "n_fft", "hop_length", "win_length", "window", "center", "normalized",
        "onesided", "length", "return_complex",
    ]  # fmt: skip
    assert istft["return_complex"].default is False and istft["length"].default is None


@pytest.mark.parametrize(
    ("length", "pad_mode", "error", "match"),
    [
        (4, "reflect", RuntimeError, "stft: reflect padding \\(4, 4\\) must be smaller"),
        (3, "circular", RuntimeError, "stft: circular padding \\(4, 4\\) can be at most"),
        (20, "bogus", NotImplementedError, "stft: unrecognised padding mode 'bogus'"),
    ],
)
def test_padding_the_signal_refuses_what_it_cannot_pad(length, pad_mode, error, match) -> None:
    x = autograd.ones(length, dtype=autograd.float64)
    with pytest.raises(error, match=match):
        x.stft(8, window=autograd.ones(8, dtype=autograd.float64), pad_mode=pad_mode,
               return_complex=True)  # fmt: skip


@pytest.mark.parametrize("pad_mode", ["constant", "replicate", "circular", "reflect"])
def test_the_shortest_signals_each_mode_pads(pad_mode: str) -> None:
    length = {"constant": 1, "replicate": 1, "circular": 4, "reflect": 5}[pad_mode]
    x = np.arange(1.0, length + 1)
    spec = autograd.tensor(x).stft(8, window=autograd.ones(8, dtype=autograd.float64),
                                   pad_mode=pad_mode, return_complex=True)  # fmt: skip
    numpy_mode = {"replicate": "edge", "circular": "wrap"}.get(pad_mode, pad_mode)
    padded = np.pad(x, 4, mode=numpy_mode)
    frames = [padded[i : i + 8] for i in range(0, padded.size - 7, 2)]
    np.testing.assert_allclose(spec.numpy(), np.fft.rfft(frames, axis=-1).T, atol=1e-12)
