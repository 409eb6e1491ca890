"""autograd.testing.assert_close against torch.testing.assert_close: the same verdicts."""

from __future__ import annotations

import math

import numpy as np
import pytest

import autograd
from autograd.testing import assert_close

torch = pytest.importorskip("torch")

CASES = [
    (np.float32, [1.0, 2.0], [1.0, 2.0 + 1e-5], {}),
    (np.float32, [1.0, 2.0], [1.0, 2.0 + 1e-4], {}),
    (np.float64, [1.0, 2.0], [1.0, 2.0 + 1e-7], {}),
    (np.float64, [1.0, 2.0], [1.0, 2.0 + 1e-6], {}),
    (np.float64, [1.0, 2.0], [1.0, 2.1], {"rtol": 0.1, "atol": 0.0}),
    (np.float64, [1.0, math.nan], [1.0, math.nan], {}),
    (np.float64, [1.0, math.nan], [1.0, math.nan], {"equal_nan": True}),
    (np.float64, [math.inf, -math.inf], [math.inf, -math.inf], {}),
    (np.float64, [math.inf], [-math.inf], {}),
    (np.int64, [1, 2], [1, 2], {}),
    (np.int64, [1, 2], [1, 3], {}),
    (np.int64, [1, 2], [1, 3], {"rtol": 0.0, "atol": 1.0}),
]


@pytest.mark.parametrize(("dtype", "a", "e", "kw"), CASES)
def test_same_verdict_as_torch(dtype: type, a: list, e: list, kw: dict) -> None:
    an, en = np.array(a, dtype=dtype), np.array(e, dtype=dtype)
    try:
        torch.testing.assert_close(torch.from_numpy(an), torch.from_numpy(en), **kw)
        torch_ok = True
    except AssertionError:
        torch_ok = False
    try:
        assert_close(autograd.tensor(an), autograd.tensor(en), **kw)
        ours_ok = True
    except AssertionError:
        ours_ok = False
    assert ours_ok == torch_ok


def test_shape_dtype_and_arguments() -> None:
    x = autograd.tensor([1.0, 2.0])
    with pytest.raises(AssertionError, match="shape"):
        assert_close(x, autograd.tensor([1.0, 2.0, 3.0]))
    with pytest.raises(AssertionError, match="dtype"):
        assert_close(x, x.double())
    assert_close(x, x.double(), check_dtype=False)
    with pytest.raises(ValueError, match="rtol"):
        assert_close(x, x, atol=1e-3)
    with pytest.raises(AssertionError, match="^custom$"):
        assert_close(x, x + 1, msg="custom")
    with pytest.raises(AssertionError, match="Mismatched elements: 1 / 2"):
        assert_close(x, autograd.tensor([1.0, 3.0]))
    assert_close([x, {"a": 1.0}], [x.clone(), {"a": 1.0}])
    with pytest.raises(AssertionError):
        assert_close(1, 1.0)
    assert_close(autograd.testing.assert_close, autograd.testing.assert_close)
