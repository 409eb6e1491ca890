"""Edge cases against torch: zero derivatives with nan arriving from above, nanmedian of
nan, adaptive average pooling of inf, pdist's ties and zeros (p = inf, p < 1, p = 0), gcd and
lcm with the integer minimum."""

from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import autograd  # noqa: E402
import nn.functional as F  # noqa: E402

NAN, INF = float("nan"), float("inf")


def _grads(fn_ours, fn_torch, x: np.ndarray, g: np.ndarray | None = None):
    a = autograd.tensor(x, requires_grad=True)
    b = torch.tensor(x, requires_grad=True)
    ya, yb = fn_ours(a), fn_torch(b)
    ga = autograd.ones_like(ya) if g is None else autograd.tensor(g)
    gb = torch.ones_like(yb) if g is None else torch.tensor(g)
    ya.backward(ga)
    yb.backward(gb)
    np.testing.assert_allclose(ya.detach().numpy(), yb.detach().numpy(), rtol=1e-12, equal_nan=True)
    np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(force=True), rtol=1e-12, equal_nan=True)


@pytest.mark.parametrize("name", ["sign", "sgn", "floor", "ceil", "round", "trunc"])
def test_zero_derivative_with_nan_and_inf_upstream(name: str) -> None:
    x = np.array([1.5, -2.0, 0.0, 3.0])
    g = np.array([NAN, INF, -INF, 2.0])
    _grads(lambda t: getattr(t, name)(), lambda t: getattr(t, name)(), x, g)


@pytest.mark.parametrize("x", [NAN, [NAN], [NAN, NAN, NAN], [[NAN, NAN]], [1.0, NAN, 2.0]])
def test_nanmedian_of_nan(x) -> None:
    _grads(lambda t: t.nanmedian(), lambda t: t.nanmedian(), np.array(x))


@pytest.mark.parametrize(
    ("name", "shape", "out"),
    [
        ("adaptive_avg_pool1d", (2, 3, 7), 3),
        ("adaptive_avg_pool1d", (3, 9), 4),
        ("adaptive_avg_pool2d", (1, 2, 5, 6), (3, 4)),
        ("adaptive_avg_pool3d", (1, 2, 5, 6, 4), (3, 4, 3)),
    ],
)
def test_adaptive_avg_pool_of_infinities(name: str, shape: tuple, out) -> None:
    rng = np.random.default_rng(0)
    x = rng.standard_normal(shape)
    flat = x.reshape(-1)
    flat[rng.integers(0, flat.size, 5)] = [INF, -INF, INF, NAN, -INF]
    ours, theirs = getattr(F, name), getattr(torch.nn.functional, name)
    with np.errstate(invalid="ignore"):
        _grads(lambda t: ours(t, out), lambda t: theirs(t, out), x, None)


@pytest.mark.parametrize("p", [INF, 0.5, 0.9, 1.0, 0.0, 3.0])
def test_pdist_at_ties_and_zeros(p: float) -> None:
    x = np.array([[0.0, 1.0, 2.0], [0.0, 2.0, 3.0], [1.0, 0.0, 2.0], [-1.0, 1.0, 1.0]])
    g = np.arange(1.0, 7.0)
    _grads(lambda t: F.pdist(t, p), lambda t: torch.nn.functional.pdist(t, p), x, g)


def test_gcd_and_lcm_with_the_int64_minimum() -> None:
    m = -(2**63)
    ks = [0, 1, -1, 2, -6, 3, 4, 6, 9, 12, -21, 1000, m, m + 1024, 2**62]
    a = [x for x in ks for _ in ks]
    b = [y for _ in ks for y in ks]
    g = torch.gcd(torch.tensor(a), torch.tensor(b))
    assert autograd.gcd(autograd.tensor(a), autograd.tensor(b)).tolist() == g.tolist()
    # lcm(min, b) with gcd -1 divides min by -1, which kills torch (SIGFPE): left out
    keep = [i for i in range(len(a)) if not (a[i] == m and g[i] == -1)]
    a, b = [a[i] for i in keep], [b[i] for i in keep]
    want = torch.lcm(torch.tensor(a), torch.tensor(b)).tolist()
    assert autograd.lcm(autograd.tensor(a), autograd.tensor(b)).tolist() == want


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_atan2_at_the_origin_and_infinities(dtype) -> None:
    """Both derivatives are 0 where x^2 + y^2 is 0 (the origin, squares that underflow),
    nan where an infinity meets a zero factor, as torch's."""
    y = np.array([0.0, -0.0, 1e-200, 1e-30, INF, -INF, 2.0, NAN, 0.5], dtype=dtype)
    x = np.array([0.0, 0.0, 1e-200, -1e-30, 1.5, -1.5, INF, 1.0, -0.3], dtype=dtype)
    g = np.array([1.0, 2.0, -1.0, 3.0, 1.0, 1.0, 1.0, 1.0, 0.5], dtype=dtype)
    ours = [autograd.tensor(v, requires_grad=True) for v in (y, x)]
    theirs = [torch.tensor(v, requires_grad=True) for v in (y, x)]
    autograd.atan2(*ours).backward(autograd.tensor(g))
    torch.atan2(*theirs).backward(torch.tensor(g))
    for a, b in zip(ours, theirs):
        np.testing.assert_array_equal(a.grad.numpy(), b.grad.numpy())
