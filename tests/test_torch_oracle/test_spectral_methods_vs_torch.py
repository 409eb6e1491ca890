"""``Tensor.stft`` and ``Tensor.istft`` against torch's methods: the same spectra, signals and
gradients (to the signal, the spectrum and the window) for the same calls, positional and by
keyword, in float64 and float32; the calls both refuse."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import autograd  # noqa: E402

CALLS = [
    ((8,), dict(window="hann", return_complex=True)),
    ((8, 3, 6), dict(window="hann", return_complex=True)),
    ((8, 2, 4, "hann", False, "reflect", True, False, True, True), {}),  # positional, aligned
    ((6,), dict(window="hann", pad_mode="circular", normalized=True, return_complex=True)),
    ((6,), dict(window="hann", pad_mode="replicate", onesided=False, return_complex=True)),
    ((8,), dict(window="hann", pad_mode="constant", return_complex=False)),
]


def _window(lib, args: tuple, kw: dict, dtype: str) -> tuple:
    """The call with its window made by ``lib`` (a leaf requiring grad)."""
    win_length = args[2] if len(args) > 2 else kw.get("win_length", args[0])
    w = lib.hann_window(win_length, dtype=getattr(lib, dtype)).requires_grad_(True)
    if len(args) > 3:
        return (*args[:3], w, *args[4:]), kw, w
    return args, dict(kw, window=w), w


def _weighted(lib, out, seed: int):
    real = lib.view_as_real(out) if out.is_complex() else out
    dtype = str(real.dtype).split(".")[-1]
    weights = np.random.default_rng(seed).normal(size=tuple(real.shape)).astype(dtype)
    return (real * lib.tensor(weights)).sum()


def _stft_then_istft(lib, x0: np.ndarray, args: tuple, kw: dict, dtype: str) -> list:
    x = lib.tensor(x0, requires_grad=True)
    args, kw, w = _window(lib, args, kw, dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        spec = x.stft(*args, **kw)
    _weighted(lib, spec, 1).backward()
    found = [str(spec.dtype).split(".")[-1], spec.detach().numpy(), x.grad.numpy(), w.grad.numpy()]
    if spec.is_complex() and not args[4:5] == (False,):  # back again, with the same frames
        s = spec.detach().requires_grad_(True)
        w.grad = None
        hop = args[1] if len(args) > 1 else kw.get("hop_length")
        two_sided = kw.get("onesided") is False
        y = s.istft(args[0], hop, args[2] if len(args) > 2 else None, w,
                    normalized=kw.get("normalized", False), onesided=kw.get("onesided"),
                    length=x0.shape[-1] + 1, return_complex=two_sided)  # fmt: skip
        _weighted(lib, y, 2).backward()
        found += [y.detach().numpy(), s.grad.numpy(), w.grad.numpy()]
    return found


@pytest.mark.parametrize("call", CALLS, ids=[str(i) for i in range(len(CALLS))])
@pytest.mark.parametrize("shape", [(19,), (2, 20)])
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_methods_match_torchs(call, shape, dtype) -> None:
    args, kw = call
    x0 = np.random.default_rng(0).normal(size=shape).astype(dtype)
    ours = _stft_then_istft(autograd, x0, args, kw, dtype)
    theirs = _stft_then_istft(torch, x0, args, kw, dtype)
    assert ours[0] == theirs[0] and len(ours) == len(theirs)
    if len(args) == 1 and kw["return_complex"]:  # the istft half ran too
        assert len(ours) == 7
    tol = dict(rtol=1e-9, atol=1e-9) if dtype == "float64" else dict(rtol=2e-4, atol=2e-4)
    for a, b in zip(ours[1:], theirs[1:], strict=True):
        assert a.shape == b.shape
        np.testing.assert_allclose(a, b, **tol)


@pytest.mark.parametrize(
    ("length", "kw"),
    [
        (4, dict(pad_mode="reflect")),
        (3, dict(pad_mode="circular")),
        (20, dict(pad_mode="bogus")),
        (20, dict(hop_length=0)),
        (20, dict(align_to_window=True)),
    ],
)
def test_both_refuse_the_same_stft_calls(length, kw) -> None:
    for lib in (autograd, torch):
        x = lib.ones(length, dtype=lib.float64)
        with pytest.raises((RuntimeError, ValueError, NotImplementedError)):
            x.stft(8, window=lib.ones(8, dtype=lib.float64), return_complex=True, **kw)


@pytest.mark.filterwarnings("ignore:A window was not provided")  # torch warns before refusing
def test_both_refuse_a_real_spectrum_in_istft() -> None:
    for lib in (autograd, torch):
        with pytest.raises(RuntimeError, match="istft requires a complex-valued input"):
            lib.ones(5, 3).istft(8)
