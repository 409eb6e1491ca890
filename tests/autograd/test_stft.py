"""``autograd.stft`` and the window functions: values against numpy written from PyTorch's
formulas, gradients (to the signal and to the window) against central finite differences in
float64, shapes, warnings and errors naming the op. The comparison with PyTorch is in
tests/test_torch_oracle/test_stft_vs_torch.py and the op catalogue (``stft``)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd as ag

from .reroute_programs import central_differences


def reference_stft(x, n_fft, hop, window, center, onesided):
    """X[w, m] = sum_k window[k] x[m hop + k] exp(-2 pi i w k / n_fft), written directly."""
    if center:
        x = np.pad(x, (n_fft // 2, n_fft // 2), mode="reflect")
    left = (n_fft - len(window)) // 2
    w = np.zeros(n_fft)
    w[left : left + len(window)] = window
    frames = 1 + (len(x) - n_fft) // hop
    k = np.arange(n_fft)
    n_freq = n_fft // 2 + 1 if onesided else n_fft
    out = np.zeros((n_freq, frames), complex)
    for m in range(frames):
        seg = w * x[m * hop : m * hop + n_fft]
        for f in range(n_freq):
            out[f, m] = (seg * np.exp(-2j * np.pi * f * k / n_fft)).sum()
    return out


@settings(max_examples=25, deadline=None)
@given(
    n_fft=st.integers(2, 9),
    hop=st.integers(1, 4),
    win_cut=st.integers(0, 3),
    center=st.booleans(),
    onesided=st.booleans(),
    seed=st.integers(0, 2**16),
)
def test_values_and_gradients_are_the_formula_and_the_finite_differences(
    n_fft, hop, win_cut, center, onesided, seed
):
    rs = np.random.RandomState(seed)
    win_length = max(1, n_fft - win_cut)
    x, window = rs.randn(2, 15), rs.uniform(0.1, 1, win_length)
    weights = rs.randn(*reference_stft(x[0], n_fft, hop, window, center, onesided).shape, 2)

    def loss(xx: np.ndarray, ww: np.ndarray) -> float:
        total = 0.0
        for row in xx:
            z = reference_stft(row, n_fft, hop, ww, center, onesided)
            total += float((np.stack([z.real, z.imag], -1) * weights).sum())
        return total

    xt = ag.tensor(x, requires_grad=True)
    wt = ag.tensor(window, requires_grad=True)
    kw = dict(hop_length=hop, win_length=win_length, center=center, onesided=onesided)
    z = ag.stft(xt, n_fft, window=wt, return_complex=True, **kw)
    assert z.dtype == ag.complex128 and tuple(z.shape) == (2,) + weights.shape[:2]
    for b in range(2):
        expected = reference_stft(x[b], n_fft, hop, window, center, onesided)
        np.testing.assert_allclose(z[b].detach().numpy(), expected, rtol=1e-10, atol=1e-10)
    (ag.view_as_real(z) * ag.tensor(weights)).sum().backward()
    numeric_x = central_differences(lambda v: loss(v, window), x)
    numeric_w = central_differences(lambda v: loss(x, v), window)
    np.testing.assert_allclose(xt.grad.numpy(), numeric_x, rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(wt.grad.numpy(), numeric_w, rtol=1e-6, atol=1e-7)


def test_one_signal_normalized_real_pairs_and_align_to_window():
    x = np.random.RandomState(0).randn(20)
    w = ag.hann_window(4, dtype=ag.float64)
    z = ag.stft(ag.tensor(x), 8, window=ag.hann_window(8, dtype=ag.float64), return_complex=True)
    assert tuple(z.shape) == (5, 11)  # 20 + 8 padded samples, frames n_fft // 4 = 2 apart
    normalized = ag.stft(ag.tensor(x), 8, window=ag.hann_window(8, dtype=ag.float64),
                         normalized=True, return_complex=True)  # fmt: skip
    np.testing.assert_allclose(normalized.numpy(), z.numpy() / np.sqrt(8), rtol=1e-12)
    with pytest.warns(UserWarning, match="return_complex=False is deprecated"):
        pairs = ag.stft(ag.tensor(x), 8, window=ag.hann_window(8, dtype=ag.float64),
                        return_complex=False)  # fmt: skip
    np.testing.assert_allclose(pairs.numpy()[..., 0] + 1j * pairs.numpy()[..., 1], z.numpy())
    # align_to_window: frames start where the (short) window starts, 1 + (20 - 4) // 2 of them
    aligned = ag.stft(ag.tensor(x), 8, 2, 4, w, center=False, align_to_window=True,
                      return_complex=True)  # fmt: skip
    assert tuple(aligned.shape) == (5, 9)
    np.testing.assert_allclose(
        aligned.numpy()[:, 0], np.fft.rfft(np.r_[0, 0, x[:4] * w.numpy(), 0, 0]), atol=1e-12
    )


def test_no_window_is_rectangular_with_torchs_warning():
    x = ag.tensor(np.random.RandomState(1).randn(12))
    with pytest.warns(UserWarning, match="A window was not provided"):
        z = ag.stft(x, 4, return_complex=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        np.testing.assert_allclose(
            z.numpy(), ag.stft(x, 4, window=ag.ones(4), return_complex=True).numpy()
        )


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda x: ag.stft(x, 8), RuntimeError, "return_complex parameter be given"),
        (lambda x: ag.stft(x, 8, hop_length=0, return_complex=True), ValueError, "hop_length"),
        (lambda x: ag.stft(x, 8, win_length=9, return_complex=True), ValueError, "win_length"),
        (lambda x: ag.stft(x, 8, window=ag.ones(5), return_complex=True), ValueError, "window"),
        (lambda x: ag.stft(x, 40, center=False, return_complex=True), ValueError, "n_fft"),
        (lambda x: ag.stft(x[None, None], 8, return_complex=True), ValueError, "1D or 2D"),
        (lambda x: ag.stft(x.long(), 8, return_complex=True), TypeError, "floating or complex"),
        (lambda x: ag.stft(x, 8, align_to_window=True, return_complex=True), ValueError, "align"),
    ],
)
def test_bad_arguments_name_stft(call, error, match):
    with pytest.raises(error, match=f"stft.*{match}|{match}.*stft"):
        call(ag.ones(20))


def test_windows_are_the_formulas():
    n = np.arange(8)
    np.testing.assert_allclose(ag.hann_window(7, periodic=False).numpy(), np.hanning(7), atol=1e-7)
    np.testing.assert_allclose(
        ag.hann_window(7, dtype=ag.float64).numpy(), 0.5 - 0.5 * np.cos(2 * np.pi * n[:7] / 7)
    )
    np.testing.assert_allclose(
        ag.hamming_window(8, False, 0.5, 0.3, dtype=ag.float64).numpy(),
        0.5 - 0.3 * np.cos(2 * np.pi * n / 7),
    )
    np.testing.assert_allclose(
        ag.blackman_window(8, periodic=False, dtype=ag.float64).numpy(), np.blackman(8), atol=1e-15
    )
    np.testing.assert_allclose(ag.bartlett_window(8, dtype=ag.float64).numpy(), np.bartlett(9)[:8])
    np.testing.assert_allclose(
        ag.kaiser_window(6, beta=5.0, dtype=ag.float64).numpy(), np.kaiser(7, 5.0)[:6]
    )
    assert ag.hann_window(1).tolist() == [1.0] and ag.hann_window(0).shape == (0,)
    w = ag.hann_window(4, requires_grad=True)
    assert w.requires_grad and w.dtype == ag.float32
    with pytest.raises(RuntimeError, match="hann_window requires non-negative window_length"):
        ag.hann_window(-1)
    with pytest.raises(RuntimeError, match="kaiser_window expects floating point dtypes"):
        ag.kaiser_window(4, dtype=ag.long)
