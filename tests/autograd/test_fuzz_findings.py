"""Regressions found by the differential fuzzer (tests/test_fuzz_vs_torch.py): each pins
PyTorch's documented behaviour without needing torch installed."""

from __future__ import annotations

import numpy as np

import autograd


def test_floor_divide_is_pythons_floor_division() -> None:
    # floor(a / b) rounds a / b first: 1 / 0.1 rounds to 10.0 although 0.1 * 10 > 1
    a = autograd.tensor(np.array([1.0, -1.0, 7.0, np.inf, -np.inf, 1.0, 0.0]))
    b = autograd.tensor(np.array([0.1, 0.1, 0.7, 1.5, 1.5, 0.0, 0.0]))
    want = np.array([1.0 // 0.1, -1.0 // 0.1, 7.0 // 0.7, np.nan, np.nan, np.inf, np.nan])
    np.testing.assert_array_equal(np.asarray((a // b).data), want)
    np.testing.assert_array_equal(np.asarray(autograd.floor_divide(a, b).data), want)


def test_remainder_gradient_wrt_divisor_uses_floor_division() -> None:
    a = autograd.tensor(np.array([1.0, np.inf]), requires_grad=True)
    b = autograd.tensor(np.array([0.1, 1.5]), requires_grad=True)
    autograd.remainder(a, b).sum().backward()
    np.testing.assert_array_equal(np.asarray(b.grad), [-(1.0 // 0.1), np.nan])
