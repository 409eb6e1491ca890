"""The special functions' values against torch on wide float64 grids (relative error bounds
per function, documented where torch is itself the less accurate side), their edge values
(0, +-inf, nan, poles, outside the domain) and their errors; the catalogue covers
gradients."""

from __future__ import annotations

import numpy as np
import pytest

import autograd
from autograd import special

torch = pytest.importorskip("torch")

_POS = np.concatenate([np.linspace(1e-3, 40, 40001), np.geomspace(1e-300, 1e300, 4001)])
_NEG = np.linspace(-30, -1e-3, 30001)
_NEG = _NEG[np.abs(_NEG - np.round(_NEG)) > 1e-2]  # away from the poles
_UNIT = np.concatenate(
    [np.linspace(-1, 1, 40001), 1 - np.geomspace(1e-16, 1, 2001), np.geomspace(1e-300, 1, 2001)]
)
_PROB = np.concatenate([np.linspace(0, 1, 40001), np.geomspace(5e-324, 0.5, 2001)])
_WIDE = np.concatenate([np.linspace(-50, 50, 40001), np.geomspace(1e-300, 1e300, 2001)])
_WIDE = np.concatenate([_WIDE, -_WIDE])
# the normal tails (ndtr down to about 1e-200; both sides round x / sqrt 2 there)
_MODERATE = np.linspace(-30, 8, 40001)


def _ours(fn, x):
    return fn(autograd.tensor(x)).data


def _theirs(fn, x):
    return fn(torch.tensor(x)).numpy()


# (name, ours, torch's, grid, relative bound, absolute bound)
CASES = [
    ("lgamma", autograd.lgamma, torch.lgamma, _POS, 1e-14, 1e-15),
    # negative x next to lgamma's zeros (-2.457, -2.747, ...): reflection cancels; absolute
    ("lgamma_negative", autograd.lgamma, torch.lgamma, _NEG, 1e-13, 1e-14),
    ("digamma", autograd.digamma, torch.digamma, _POS, 1e-12, 1e-15),
    ("digamma_negative", autograd.digamma, torch.digamma, _NEG, 1e-12, 1e-12),
    # torch's float64 trigamma is good to ~5e-10 (ours 6e-16 against mpmath)
    (
        "trigamma",
        lambda t: autograd.polygamma(1, t),
        lambda t: torch.polygamma(1, t),
        _POS,
        1e-9,
        0.0,
    ),
    (
        "polygamma_5",
        lambda t: autograd.polygamma(5, t),
        lambda t: torch.polygamma(5, t),
        _POS,
        1e-13,
        1e-250,
    ),
    ("erfinv", autograd.erfinv, torch.erfinv, _UNIT, 1e-14, 0.0),
    ("ndtri", special.ndtri, torch.special.ndtri, _PROB, 1e-14, 0.0),
    ("erfcx", special.erfcx, torch.special.erfcx, _WIDE[_WIDE > -20], 1e-13, 0.0),
    ("log_ndtr", special.log_ndtr, torch.special.log_ndtr, _MODERATE, 1e-12, 0.0),
    ("i0", special.i0, torch.special.i0, _WIDE[np.abs(_WIDE) < 700], 1e-14, 0.0),
    ("i0e", special.i0e, torch.special.i0e, _WIDE, 1e-14, 0.0),
    ("i1", special.i1, torch.special.i1, _WIDE[np.abs(_WIDE) < 700], 1e-14, 0.0),
    ("i1e", special.i1e, torch.special.i1e, _WIDE, 1e-14, 0.0),
    ("sinc", special.sinc, torch.special.sinc, _WIDE[np.abs(_WIDE) < 1e6], 1e-12, 1e-15),
    ("entr", special.entr, torch.special.entr, _WIDE, 1e-15, 0.0),
    ("logit", autograd.logit, torch.logit, _UNIT, 1e-15, 0.0),
]


@pytest.mark.parametrize(
    ("name", "ours", "theirs", "grid", "rtol", "atol"), CASES, ids=[c[0] for c in CASES]
)
def test_values_match_torch_on_wide_grids(name, ours, theirs, grid, rtol, atol):
    np.testing.assert_allclose(_ours(ours, grid), _theirs(theirs, grid), rtol=rtol, atol=atol)


EDGES = np.array([0.0, -0.0, 1.0, -1.0, 2.0, -2.0, np.inf, -np.inf, np.nan, 0.5, -0.5])


@pytest.mark.parametrize(
    "name",
    [
        "lgamma",
        "digamma",
        "erfinv",
        "special.erfcx",
        "special.ndtri",
        "special.log_ndtr",
        "special.i0e",
        "special.i1e",
        "special.entr",
        "logit",
        "sinc",
        "special.ndtr",
    ],
)
def test_edge_values_match_torch(name):
    def pick(lib):
        obj = lib
        for part in name.split("."):
            obj = getattr(obj, part)
        return obj

    np.testing.assert_allclose(
        _ours(pick(autograd), EDGES), _theirs(pick(torch), EDGES), rtol=1e-15
    )


def test_zeta_and_polygamma_at_negative_arguments_match_torch():
    """q < 0 (integer s), near and far below 0: torch sums the terms one by one, ours
    reflects them onto positive arguments; both agree where torch's sum keeps its digits."""
    q = np.array([-0.7, -3.2, -12345.678, -100000.40625, -250000.3])
    for s in (2.0, 3.0, 4.0):
        np.testing.assert_allclose(
            _ours(lambda t, s=s: autograd.special.zeta(s, t), q),
            _theirs(lambda t, s=s: torch.special.zeta(s, t), q),
            rtol=1e-7,
            err_msg=f"zeta({s}, q)",
        )
    for n in (1, 2):
        np.testing.assert_allclose(
            _ours(lambda t, n=n: t.polygamma(n), q),
            _theirs(lambda t, n=n: t.polygamma(n), q),
            rtol=1e-7,
            err_msg=f"polygamma({n})",
        )
    ours, theirs = autograd.tensor(q, requires_grad=True), torch.tensor(q, requires_grad=True)
    autograd.special.zeta(3.0, ours).sum().backward()
    torch.special.zeta(3.0, theirs).sum().backward()
    np.testing.assert_allclose(ours.grad.numpy(), theirs.grad.numpy(), rtol=1e-7)


def test_polygamma_edges_and_binary_functions_match_torch():
    x = np.array([0.0, -0.0, -1.0, -2.0, np.nan, 1.0, 0.25])
    for n in (1, 2, 3):
        np.testing.assert_array_equal(
            _ours(lambda t, n=n: t.polygamma(n), x)[[0, 4]],
            _theirs(lambda t, n=n: t.polygamma(n), x)[[0, 4]],
        )
    a = np.array([0.0, 0.0, 1.0, -2.0, np.inf, -np.inf, np.inf, np.nan, 3.0])
    b = np.array([0.0, np.nan, 0.0, 3.0, np.inf, -np.inf, -np.inf, 1.0, -0.0])
    for fn in ("xlogy", "logaddexp", "logaddexp2", "hypot", "copysign"):
        ours = getattr(autograd, fn)(autograd.tensor(a), autograd.tensor(b)).data
        np.testing.assert_allclose(
            ours,
            getattr(torch, fn)(torch.tensor(a), torch.tensor(b)).numpy(),
            rtol=1e-15,
            err_msg=fn,
        )
    ours = special.xlog1py(autograd.tensor(a), autograd.tensor(b)).data
    np.testing.assert_allclose(
        ours, torch.special.xlog1py(torch.tensor(a), torch.tensor(b)).numpy(), rtol=1e-15
    )
    np.testing.assert_array_equal(
        autograd.signbit(autograd.tensor(b)).data, torch.signbit(torch.tensor(b)).numpy()
    )


def test_xlogy_gradients_at_zero_match_torch():
    x = np.array([0.0, 0.0, 2.0])
    y = np.array([0.0, 3.0, 0.5])
    xa, ya = autograd.tensor(x, requires_grad=True), autograd.tensor(y, requires_grad=True)
    xt, yt = torch.tensor(x, requires_grad=True), torch.tensor(y, requires_grad=True)
    autograd.xlogy(xa, ya).sum().backward()
    torch.xlogy(xt, yt).sum().backward()
    np.testing.assert_array_equal(np.asarray(xa.grad), xt.grad.numpy())
    np.testing.assert_array_equal(np.asarray(ya.grad), yt.grad.numpy())


def test_integer_inputs_give_torch_dtypes():
    i = np.array([1, 2, 3])
    for fn in ("lgamma", "digamma", "erfinv", "i0", "sinc"):
        assert getattr(autograd, fn)(autograd.tensor(i)).dtype == np.float32, fn
    assert autograd.copysign(autograd.tensor(i), autograd.tensor(-i)).dtype == np.float32
    assert autograd.xlogy(autograd.tensor(i), autograd.tensor(i)).dtype == np.float32
    assert autograd.signbit(autograd.tensor(-i)).dtype == np.bool_


def _raise_both(fn, match):
    with pytest.raises(Exception):  # noqa: B017, PT011
        fn(torch)
    with pytest.raises((RuntimeError, TypeError, ValueError), match=match):
        fn(autograd)


def test_errors_name_the_op():
    _raise_both(lambda L: L.polygamma(-1, L.ones(2)), "polygamma")
    _raise_both(lambda L: L.logaddexp(L.tensor([1]), L.tensor([2])), "logaddexp")
    _raise_both(lambda L: L.hypot(L.tensor([1]), L.tensor([2])), "hypot")
    _raise_both(lambda L: L.tensordot(L.ones(2, 3), L.ones(4, 2), dims=1), "tensordot")
    _raise_both(lambda L: L.tensordot(L.ones(2, 3), L.ones(3, 2), dims=-1), "tensordot")
    _raise_both(lambda L: L.vdot(L.ones(2, 3), L.ones(3)), "vdot")
    _raise_both(lambda L: L.vdot(L.ones(3), L.ones(4)), "vdot")
    _raise_both(lambda L: L.vdot(L.ones(3), L.ones(3, dtype=L.float64)), "vdot")
    _raise_both(lambda L: L.aminmax(L.ones(0)), "aminmax")
    _raise_both(lambda L: L.combinations(L.ones(2, 2)), "combinations")
    _raise_both(lambda L: L.poisson(L.tensor([-1.0])), "poisson")
    _raise_both(lambda L: L.addbmm(L.ones(2, 2), L.ones(2, 2), L.ones(2, 2)), "addbmm")


def test_addbmm_with_beta_zero_ignores_nan_in_input():
    args = [np.full((2, 2), np.nan), np.ones((3, 2, 4)), np.ones((3, 4, 2))]
    ours = autograd.addbmm(*[autograd.tensor(a) for a in args], beta=0).data
    theirs = torch.addbmm(*[torch.tensor(a) for a in args], beta=0).numpy()
    np.testing.assert_array_equal(ours, theirs)


def test_combinations_and_aminmax_shapes_match_torch():
    for r in (0, 1, 2, 4, 5):
        for rep in (False, True):
            ours = autograd.combinations(autograd.arange(4.0), r, rep)
            theirs = torch.combinations(torch.arange(4.0), r, rep)
            assert tuple(ours.shape) == tuple(theirs.shape), (r, rep)
            np.testing.assert_array_equal(ours.data, theirs.numpy())
    r = autograd.aminmax(autograd.ones(2, 3), keepdim=True)
    assert r.min.shape == (1, 1) and r.max.shape == (1, 1)
    assert repr(r).startswith("autograd.return_types.aminmax(")


def test_poisson_draws_counts_with_the_given_rates_and_generator():
    g = autograd.Generator().manual_seed(0)
    rates = autograd.full((20000,), 3.5, dtype=autograd.float64)
    draws = autograd.poisson(rates, generator=g)
    assert draws.dtype == np.float64 and not draws.requires_grad
    assert abs(draws.data.mean() - 3.5) < 0.1 and abs(draws.data.var() - 3.5) < 0.2
    again = autograd.poisson(rates, generator=autograd.Generator().manual_seed(0))
    np.testing.assert_array_equal(draws.data, again.data)
    assert autograd.poisson(autograd.zeros(3)).tolist() == [0.0, 0.0, 0.0]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("eps", [None, 1e-3, 0.2, 1e-6])
def test_logit_at_its_bounds_nan_and_outside_matches_torch(dtype, eps):
    """The clamp bounds in the input's dtype (float32's 1 - 1e-6 is not float64's), and a zero
    gradient at nan and outside the clamp (ours gave nan at nan)."""
    x = np.array([np.inf, -np.inf, np.nan, 1e3, 1e-30, 0.0, 1.0, 0.5, 2.0, 1e-3, 0.999,
                  np.float32(0.999), np.float32(1e-3), 0.2, 0.8, np.float32(0.8), 1 - 1e-6,
                  1e-6], dtype=dtype)  # fmt: skip
    g = np.random.default_rng(0).normal(size=x.shape).astype(dtype)
    a = autograd.Tensor(x, requires_grad=True)
    out = special.logit(a, eps=eps)
    out.backward(g)
    t = torch.tensor(x, requires_grad=True)
    ref = torch.special.logit(t, eps=eps)
    ref.backward(torch.tensor(g))
    np.testing.assert_allclose(out.data, ref.detach().numpy(), rtol=1e-6, equal_nan=True)
    np.testing.assert_allclose(a.grad.data, t.grad.numpy(), rtol=1e-6, equal_nan=True)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_erfcx_far_below_zero_is_inf_with_its_gradient_as_torch(dtype):
    """erfcx(x) = e^(x^2) erfc(x) is past the largest float below about -26.6: inf (it was nan
    where 16 x overflowed, x < -1.1e307), gradient 2 x erfcx(x) - 2 / sqrt(pi) = -inf."""
    x = np.array([-1.7e308, -1e300, -27.5, -26.0, -5.0], dtype=np.float64).astype(dtype)
    results = []
    for lib in (autograd, torch):
        t = lib.tensor(x, requires_grad=True)
        y = lib.special.erfcx(t)
        results.append((y.detach().numpy(), lib.autograd.grad(y.sum(), [t])[0].numpy()))
    for ours, theirs in zip(*results):
        np.testing.assert_allclose(ours, theirs, rtol=1e-6 if dtype == np.float32 else 1e-14)
