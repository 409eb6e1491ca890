"""The op table never hands torch an operation that kills the process: torch's lcm computes
a / gcd(a, b) in C, and gcd(INT64_MIN, b) is -1 for some odd b (7, 13...), so lcm(INT64_MIN,
b) divides INT64_MIN by -1 (SIGFPE) -- as does div(INT64_MIN, -1, rounding_mode='trunc').
The fuzzer's values include inf, nan and huge numbers, which cast to INT64_MIN; the entries
that cast to integers and then divide keep their operands above it."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
from tests.op_catalogue import BY_NAME, OPS

INT64_MIN = np.iinfo(np.int64).min
VALUES = st.lists(
    st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-30, 30).map(float)),
    min_size=12,
    max_size=12,
)


def _record_lcm(monkeypatch: Any) -> list:
    seen: list = []
    original = autograd.Tensor.lcm

    def lcm(self: Any, other: Any) -> Any:
        seen.append((self.numpy().copy(), np.asarray(other.numpy()).copy()))
        return original(self, other)

    monkeypatch.setattr(autograd.Tensor, "lcm", lcm)
    monkeypatch.setattr(autograd, "lcm", lambda a, b: lcm(a, b))
    return seen


@pytest.mark.parametrize("name", [o.name for o in OPS if "lcm" in o.name])
@settings(max_examples=60, deadline=None)
@given(a=VALUES, b=VALUES)
def test_lcm_entries_never_divide_int64_min_by_minus_one(name: str, a: list, b: list) -> None:
    with pytest.MonkeyPatch.context() as mp:
        seen = _record_lcm(mp)
        x = autograd.tensor(np.array(a).reshape(3, 4))
        y = autograd.tensor(np.array(b).reshape(3, 4))
        with np.errstate(invalid="ignore"):
            BY_NAME[name].fn(autograd, x, y)
    assert seen
    for p, q in seen:
        g = autograd.gcd(autograd.tensor(p), autograd.tensor(q)).numpy()
        assert not np.any(((p == INT64_MIN) | (q == INT64_MIN)) & (g == -1))


def test_integer_rounded_division_draws_small_dividends() -> None:
    e = BY_NAME["int_div_rounding"]
    rng = np.random.default_rng(0)
    for _ in range(20):
        x = e.inputs[0].like(e.inputs[0].shape)(rng, np.dtype(np.int64))
        assert x.min() > INT64_MIN
