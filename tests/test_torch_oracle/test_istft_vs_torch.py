"""istft against torch.istft: values, dtypes and the gradients to the spectrum and the window
over the arguments' combinations (random spectra, not only stft's), first and second order;
warnings; the calls both refuse, with torch's error types."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import autograd  # noqa: E402

CASES = [
    dict(n_fft=8, hop_length=2),
    dict(n_fft=8, hop_length=3, win_length=6),
    dict(n_fft=8, center=False),
    dict(n_fft=16, normalized=True),
    dict(n_fft=7, onesided=False),
    dict(n_fft=7, onesided=False, return_complex=True),
    dict(n_fft=8, onesided=False, return_complex=True, normalized=True, hop_length=3),
    dict(n_fft=8, length=45),
    dict(n_fft=8, length=10),
    dict(n_fft=8, length=30, center=False),
    dict(n_fft=5, hop_length=5),
    dict(n_fft=6, win_length=3, hop_length=1, length=8),
]


def _run(lib: Any, kw: dict, spec: np.ndarray, w: np.ndarray | None, g: np.ndarray, order2: bool):
    s = lib.tensor(spec, requires_grad=True)
    window = None if w is None else lib.tensor(w, requires_grad=True)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        y = lib.istft(s, window=window, **kw)
    given = [t for t in (s, window) if t is not None]
    out = lib.view_as_real(y) if y.is_complex() else y
    grads = lib.autograd.grad(out, given, lib.tensor(g), create_graph=order2)
    result = [y.detach().numpy(), *(q.detach().numpy() for q in grads)]
    if order2:
        total = sum((q.abs() ** 2).sum() for q in grads)
        result += [q.numpy() for q in lib.autograd.grad(total, given)]
    messages = sorted(str(c.message).split(" (Triggered internally")[0] for c in caught)
    return result, str(y.dtype).split(".")[-1], messages


@pytest.mark.parametrize("kw", CASES, ids=str)
@pytest.mark.parametrize("batched", [False, True])
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_matches_torch(kw: dict, batched: bool, dtype: str) -> None:
    rng = np.random.default_rng(len(str(kw)))
    n_fft, hop = kw["n_fft"], kw.get("hop_length", kw["n_fft"] // 4)
    n_freq = n_fft if kw.get("onesided") is False else n_fft // 2 + 1
    shape = ((2,) if batched else ()) + (n_freq, 9)
    cdtype = np.complex128 if dtype == "float64" else np.complex64
    spec = (rng.normal(size=shape) + 1j * rng.normal(size=shape)).astype(cdtype)
    w = rng.uniform(0.5, 1.5, size=kw.get("win_length", n_fft)).astype(dtype)
    if hop == n_fft:
        w = np.ones(n_fft, dtype=dtype)  # frames that only touch: a flat window covers them
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        y = torch.istft(torch.tensor(spec), window=torch.tensor(w), **kw)
    g_shape = tuple(torch.view_as_real(y).shape) if y.is_complex() else tuple(y.shape)
    g = rng.normal(size=g_shape).astype(dtype)
    order2 = dtype == "float64"
    ours = _run(autograd, kw, spec, w, g, order2)
    theirs = _run(torch, kw, spec, w, g, order2)
    assert ours[1] == theirs[1]  # dtype (torch warns once per process: not compared)
    tol = dict(rtol=1e-10, atol=1e-12) if dtype == "float64" else dict(rtol=1e-4, atol=1e-5)
    for k, (a, b) in enumerate(zip(ours[0], theirs[0], strict=True)):
        np.testing.assert_allclose(a, b, **tol, err_msg=f"result {k}")


def test_no_window_matches_torch_and_warns_alike() -> None:
    spec = np.random.default_rng(0).normal(size=(5, 11)) + 0j
    ours = _run(autograd, dict(n_fft=8, hop_length=2), spec, None, np.ones(20), False)
    theirs = _run(torch, dict(n_fft=8, hop_length=2), spec, None, np.ones(20), False)
    assert ours[1] == theirs[1]
    assert ours[2] == [
        "A window was not provided. A rectangular window will be applied.Please provide the "
        "same window used by stft to make the inversion lossless.To suppress this warning and "
        "use a rectangular window, explicitly set `window=torch.ones(n_fft, device=<device>)`."
    ]
    for a, b in zip(ours[0], theirs[0], strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-12)


REFUSED = [
    lambda L, s, w: L.istft(L.view_as_real(s), 8, 2, window=w),
    lambda L, s, w: L.istft(s[None, None], 8, 2, window=w),
    lambda L, s, w: L.istft(s[0], 8, 2, window=w),
    lambda L, s, w: L.istft(s, 8, 0, window=w),
    lambda L, s, w: L.istft(s, 8, 9, window=w),
    lambda L, s, w: L.istft(s, 8, 2, 9),
    lambda L, s, w: L.istft(s, 10, 2),
    lambda L, s, w: L.istft(s, 8, 2, window=w, onesided=False),
    lambda L, s, w: L.istft(s, 8, 2, window=w, return_complex=True),
    lambda L, s, w: L.istft(s, 8, 2, window=w[:7]),
    lambda L, s, w: L.istft(s, 8, 2, window=w * 0),
    lambda L, s, w: L.istft(s, 8, 8, window=w),  # hann's zero at each frame's start
    lambda L, s, w: L.istft(s, 8, 2, window=L.complex(w, w)),
    lambda L, s, w: L.istft(s[:, :0], 8, 2, window=w),
    lambda L, s, w: L.istft(s, 8, 2, window=w, length=0),
    lambda L, s, w: L.istft(s[:, :1], 8, 2, window=w),
]


@pytest.mark.parametrize("call", REFUSED, ids=range(len(REFUSED)))
def test_refuses_what_torch_refuses_with_its_error_type(call: Any) -> None:
    spec = np.random.default_rng(2).normal(size=(5, 21)) + 1j
    errors = []
    for lib in (torch, autograd):
        w = lib.hann_window(8, dtype=lib.float64)
        with pytest.raises(Exception) as info:  # noqa: PT011 (the type is compared below)
            call(lib, lib.tensor(spec), w)
        errors.append(info.value)
    assert isinstance(errors[1], type(errors[0])), errors
    assert "istft" in str(errors[1]), errors[1]
