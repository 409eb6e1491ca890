"""Integer division by zero against torch: the same exception type (RuntimeError) for every
op, the same results where no divisor is zero."""

from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")

import autograd  # noqa: E402

OPS = {
    "fmod": lambda L, a, b: L.fmod(a, b),
    "remainder": lambda L, a, b: L.remainder(a, b),
    "mod": lambda L, a, b: a % b,
    "floordiv": lambda L, a, b: a // b,
    "div_trunc": lambda L, a, b: L.div(a, b, rounding_mode="trunc"),
    "div_floor": lambda L, a, b: L.div(a, b, rounding_mode="floor"),
}


@pytest.mark.parametrize("name", sorted(OPS))
@pytest.mark.parametrize("divisor", [[2, 0, 1], 0])
def test_zero_divisor(name: str, divisor) -> None:
    for lib in (torch, autograd):
        a = lib.tensor([5, -3, 4], dtype=lib.int32)
        b = lib.tensor(divisor, dtype=lib.int32) if isinstance(divisor, list) else divisor
        with pytest.raises(RuntimeError, match="ZeroDivisionError"):
            OPS[name](lib, a, b)


@pytest.mark.parametrize("name", sorted(OPS))
def test_nonzero_divisors(name: str) -> None:
    a, b = [5, -3, 4, -7], [2, -2, 3, 3]
    ours = OPS[name](autograd, autograd.tensor(a), autograd.tensor(b)).tolist()
    assert ours == OPS[name](torch, torch.tensor(a), torch.tensor(b)).tolist()
