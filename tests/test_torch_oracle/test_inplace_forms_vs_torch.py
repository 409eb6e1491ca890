"""The generic in-place forms (``x.atan2_(y)``, ``x.tril_(-1)``, ``x.squeeze_()`` ...): each
gives the out-of-place op's values and gradients (finite differences, and torch's), returns
self, bumps the version counter, and is refused on a leaf that requires grad, as in torch."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
from autograd.tensor import IN_PLACE_FORMS, VIEW_FORMS
from autograd.testing import gradcheck

torch = pytest.importorskip("torch")

# name -> (call on the tensor x with partner y, domain of x, shape of x); y is drawn from
# (0.5, 1.5) in x's shape. Differentiable ones first.
_X = (3, 4)
DIFFERENTIABLE = {
    "abs": (lambda x, y: x.abs_(), (0.1, 0.9)),
    "sqrt": (lambda x, y: x.sqrt_(), (0.1, 0.9)),
    "acos": (lambda x, y: x.acos_(), (-0.9, 0.9)),
    "arccos": (lambda x, y: x.arccos_(), (-0.9, 0.9)),
    "asin": (lambda x, y: x.asin_(), (-0.9, 0.9)),
    "arcsin": (lambda x, y: x.arcsin_(), (-0.9, 0.9)),
    "atan": (lambda x, y: x.atan_(), (-3, 3)),
    "arctan": (lambda x, y: x.arctan_(), (-3, 3)),
    "atan2": (lambda x, y: x.atan2_(y), (-3, 3)),
    "arctan2": (lambda x, y: x.arctan2_(y), (-3, 3)),
    "cosh": (lambda x, y: x.cosh_(), (-2, 2)),
    "sinh": (lambda x, y: x.sinh_(), (-2, 2)),
    "erf": (lambda x, y: x.erf_(), (-2, 2)),
    "erfc": (lambda x, y: x.erfc_(), (-2, 2)),
    "erfinv": (lambda x, y: x.erfinv_(), (-0.9, 0.9)),
    "exp2": (lambda x, y: x.exp2_(), (-2, 2)),
    "lgamma": (lambda x, y: x.lgamma_(), (0.2, 4)),
    "digamma": (lambda x, y: x.digamma_(), (0.5, 4)),
    "polygamma": (lambda x, y: x.polygamma_(2), (0.5, 4)),
    "i0": (lambda x, y: x.i0_(), (-2, 2)),
    "logit": (lambda x, y: x.logit_(), (0.1, 0.9)),
    "sinc": (lambda x, y: x.sinc_(), (0.1, 2)),
    "hypot": (lambda x, y: x.hypot_(y), (0.2, 2)),
    "copysign": (lambda x, y: x.copysign_(-y), (0.2, 2)),
    "xlogy": (lambda x, y: x.xlogy_(y), (0.2, 2)),
    "fmod": (lambda x, y: x.fmod_(0.7), (0.1, 0.6)),
    "remainder": (lambda x, y: x.remainder_(y + 1), (0.1, 0.4)),
    "negative": (lambda x, y: x.negative_(), (-2, 2)),
    "divide": (lambda x, y: x.divide_(y), (-2, 2)),
    "true_divide": (lambda x, y: x.true_divide_(y), (-2, 2)),
    "multiply": (lambda x, y: x.multiply_(y), (-2, 2)),
    "subtract": (lambda x, y: x.subtract_(y, alpha=2), (-2, 2)),
    "nan_to_num": (lambda x, y: x.nan_to_num_(), (-2, 2)),
    "tril": (lambda x, y: x.tril_(-1), (-2, 2)),
    "triu": (lambda x, y: x.triu_(1), (-2, 2)),
    "cumsum": (lambda x, y: x.cumsum_(1), (-2, 2)),
    "cumprod": (lambda x, y: x.cumprod_(0), (0.5, 2)),
    "addmm": (lambda x, y: x.addmm_(y[:, :2], y[:2], beta=0.5), (-2, 2)),
    "asinh": (lambda x, y: x.asinh_(), (-2, 2)),
    "arcsinh": (lambda x, y: x.arcsinh_(), (-2, 2)),
    "acosh": (lambda x, y: x.acosh_(), (1.2, 3)),
    "arccosh": (lambda x, y: x.arccosh_(), (1.2, 3)),
    "atanh": (lambda x, y: x.atanh_(), (-0.9, 0.9)),
    "arctanh": (lambda x, y: x.arctanh_(), (-0.9, 0.9)),
    "absolute": (lambda x, y: x.absolute_(), (0.1, 2)),
    "sgn": (lambda x, y: x.sgn_(), (0.1, 2)),
    "deg2rad": (lambda x, y: x.deg2rad_(), (-90, 90)),
    "rad2deg": (lambda x, y: x.rad2deg_(), (-2, 2)),
    "ldexp": (lambda x, y: x.ldexp_(y), (-2, 2)),
    "nextafter": (lambda x, y: x.nextafter_(y), (-2, 2)),
    "float_power": (lambda x, y: x.float_power_(y), (0.2, 2)),
}
# torch has no derivative for these in-place forms (its out-of-place op stands in for them)
TORCH_OUT_OF_PLACE = {
    "asinh": lambda x, y: x.asinh(),
    "arcsinh": lambda x, y: x.arcsinh(),
    "acosh": lambda x, y: x.acosh(),
    "arccosh": lambda x, y: x.arccosh(),
    "atanh": lambda x, y: x.atanh(),
    "arctanh": lambda x, y: x.arctanh(),
}
# results that are constants (comparisons, rounding): values only, without grad
CONSTANT = {
    "floor_divide": lambda x, y: x.floor_divide_(y),
    "fix": lambda x, y: x.fix_(),
    "eq": lambda x, y: x.eq_(x.round()),
    "ne": lambda x, y: x.ne_(y),
    "lt": lambda x, y: x.lt_(y),
    "le": lambda x, y: x.le_(1.0),
    "gt": lambda x, y: x.gt_(y),
    "ge": lambda x, y: x.ge_(y),
    "greater": lambda x, y: x.greater_(y),
    "greater_equal": lambda x, y: x.greater_equal_(y),
    "less": lambda x, y: x.less_(y),
    "less_equal": lambda x, y: x.less_equal_(y),
    "not_equal": lambda x, y: x.not_equal_(y),
    "logical_and": lambda x, y: x.logical_and_(y > 1),
    "logical_or": lambda x, y: x.logical_or_(y > 1),
    "logical_xor": lambda x, y: x.logical_xor_(y > 1),
    "logical_not": lambda x, y: (x > 1).logical_not_(),
    "heaviside": lambda x, y: x.round().heaviside_(y),
    "gcd": lambda x, y: (x * 10).long().gcd_((y * 10).long()),
    "lcm": lambda x, y: (x * 10).long().lcm_((y * 10).long()),
    "bitwise_and": lambda x, y: (x * 10).long().bitwise_and_(5),
    "bitwise_or": lambda x, y: (x > 1).bitwise_or_(y > 1),
    "bitwise_xor": lambda x, y: (x * 10).long().bitwise_xor_((y * 10).long()),
    "bitwise_not": lambda x, y: (x * 10).long().bitwise_not_(),
    "bitwise_left_shift": lambda x, y: (x * 10).long().bitwise_left_shift_(2),
    "bitwise_right_shift": lambda x, y: (x * 10).long().bitwise_right_shift_(1),
}
# on 3-d inputs: checked on their own below; writes at indices: in tests/op_catalogue.py
OTHER = {"baddbmm", "addbmm", "index_fill", "index_copy", "index_put", "masked_scatter", "put"}
OTHER |= {"addmv", "addr", "renorm"}


def _arrays(seed: int, lo: float, hi: float) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return rng.uniform(lo, hi, _X), rng.uniform(0.5, 1.5, _X)


def test_every_in_place_form_has_a_case() -> None:
    old = set(
        "abs sqrt rsqrt sigmoid tanh relu log log2 log10 log1p expm1 floor ceil round trunc "
        "frac sign sin cos tan reciprocal square".split()
    )  # covered by tests/autograd/test_inplace.py
    missing = set(IN_PLACE_FORMS) - set(DIFFERENTIABLE) - set(CONSTANT) - OTHER - old
    assert not missing


@pytest.mark.parametrize("name", sorted(DIFFERENTIABLE))
def test_in_place_form_matches_torch_values_and_gradients(name: str) -> None:
    call, (lo, hi) = DIFFERENTIABLE[name]
    x0, y0 = _arrays(1, lo, hi)
    up = np.random.default_rng(2).normal(size=_X)
    x, y = autograd.tensor(x0, requires_grad=True), autograd.tensor(y0, requires_grad=True)
    h = x * 1
    out = call(h, y)
    assert out is h
    (out * autograd.tensor(up)).sum().backward()
    tx, ty = torch.tensor(x0, requires_grad=True), torch.tensor(y0, requires_grad=True)
    th = TORCH_OUT_OF_PLACE.get(name, call)(tx * 1, ty)
    (th * torch.tensor(up)).sum().backward()
    np.testing.assert_allclose(h.data, th.detach().numpy(), rtol=1e-10, atol=1e-12)
    assert h.dtype == th.detach().numpy().dtype
    for ours, theirs in ((x, tx), (y, ty)):
        o = np.zeros(_X) if ours.grad is None else ours.grad.data
        t = np.zeros(_X) if theirs.grad is None else theirs.grad.numpy(force=True)
        np.testing.assert_allclose(o, t, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("name", sorted(DIFFERENTIABLE))
@settings(max_examples=3, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_in_place_form_gradient_matches_finite_differences(name: str, seed: int) -> None:
    call, (lo, hi) = DIFFERENTIABLE[name]
    x0, y0 = _arrays(seed, lo, hi)
    x, y = autograd.tensor(x0, requires_grad=True), autograd.tensor(y0, requires_grad=True)
    assert gradcheck(lambda a, b: call(a * 1, b), [x, y])


@pytest.mark.parametrize("name", sorted(CONSTANT))
def test_in_place_form_with_a_constant_result_matches_torch(name: str) -> None:
    x0, y0 = _arrays(3, 0, 2)
    x0[0, 0] = y0[0, 0]  # a tie for the comparisons
    x = autograd.tensor(x0)
    tx = torch.tensor(x0)
    before = x._version
    out = CONSTANT[name](x, autograd.tensor(y0))
    ref = CONSTANT[name](tx, torch.tensor(y0))
    np.testing.assert_array_equal(out.data, ref.numpy())
    assert out.dtype == ref.numpy().dtype
    if out is x:
        assert x._version == before + 1


@pytest.mark.parametrize("name", sorted(DIFFERENTIABLE))
def test_in_place_form_refuses_a_leaf_that_requires_grad_as_torch(name: str) -> None:
    call, (lo, hi) = DIFFERENTIABLE[name]
    x0, y0 = _arrays(4, lo, hi)
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad"):
        call(torch.tensor(x0, requires_grad=True), torch.tensor(y0))
    x = autograd.tensor(x0, requires_grad=True)
    with pytest.raises(RuntimeError, match=f"{name}_: a leaf Tensor that requires grad"):
        call(x, autograd.tensor(y0))
    np.testing.assert_array_equal(x.data, x0)


@pytest.mark.parametrize("name", sorted(DIFFERENTIABLE))
def test_in_place_form_writes_the_array_and_bumps_the_version(name: str) -> None:
    call, (lo, hi) = DIFFERENTIABLE[name]
    x0, y0 = _arrays(5, lo, hi)
    x = autograd.tensor(x0.copy())
    alias = x.detach()
    arr = x.data
    assert call(x, autograd.tensor(y0)) is x
    assert x.data is arr and x._version == 1 and alias._version == 1
    t = torch.tensor(x0)
    call(t, torch.tensor(y0))
    np.testing.assert_allclose(alias.data, t.numpy(), rtol=1e-10, atol=1e-12)


def test_batched_products_in_place_match_torch() -> None:
    rng = np.random.default_rng(6)
    s, b1, b2 = rng.normal(size=(2, 3, 5)), rng.normal(size=(2, 3, 4)), rng.normal(size=(2, 4, 5))
    ours = [autograd.tensor(a, requires_grad=True) for a in (s, b1, b2)]
    theirs = [torch.tensor(a, requires_grad=True) for a in (s, b1, b2)]
    for lib_args in (ours, theirs):
        a, p, q = lib_args
        h = (a * 1).baddbmm_(p, q, alpha=0.5)
        g = (a[0] * 1).addbmm_(p, q, beta=2.0)
        (h.sum() + (g * g).sum()).backward()
    for o, t in zip(ours, theirs):
        np.testing.assert_allclose(o.grad.data, t.grad.numpy(), rtol=1e-10)


def test_float_power_in_place_needs_a_double_tensor_as_torch() -> None:
    with pytest.raises(RuntimeError, match="float_power_"):
        torch.ones(3).float_power_(2)
    with pytest.raises(RuntimeError, match="float_power_: the base given to float_power_ has"):
        autograd.ones(3).float_power_(2)


def test_integer_tensor_refuses_a_float_result_as_torch() -> None:
    with pytest.raises(RuntimeError, match="can't be cast"):
        torch.ones(3, dtype=torch.long).acos_()
    with pytest.raises(RuntimeError, match="acos_: result type Float can't be cast"):
        autograd.ones(3, dtype=autograd.long).acos_()


# --- in-place view changes ---

VIEWS = {
    "squeeze": (lambda x: x.squeeze_(), (3, 1, 4)),
    "squeeze_dim": (lambda x: x.squeeze_(1), (3, 1, 4)),
    "unsqueeze": (lambda x: x.unsqueeze_(-1), (3, 4)),
    "t": (lambda x: x.t_(), (3, 4)),
    "transpose": (lambda x: x.transpose_(0, 2), (2, 3, 4)),
    "swapdims": (lambda x: x.swapdims_(0, 1), (3, 4)),
    "swapaxes": (lambda x: x.swapaxes_(1, 0), (3, 4)),
}


def test_every_view_form_has_a_case() -> None:
    assert set(VIEW_FORMS) <= {k.split("_")[0] for k in VIEWS}


@pytest.mark.parametrize("name", sorted(VIEWS))
def test_view_form_changes_the_shape_in_place_as_torch(name: str) -> None:
    call, shape = VIEWS[name]
    x0 = np.random.default_rng(7).normal(size=shape)
    x = autograd.tensor(x0.copy())
    t = torch.tensor(x0)
    assert call(x) is x
    call(t)
    assert tuple(x.shape) == tuple(t.shape)
    np.testing.assert_array_equal(x.data, t.numpy())
    assert x._version == 1
    x.data[...] = 0  # a view: no copy was made... of its own data
    np.testing.assert_array_equal(x.data, 0)


@pytest.mark.parametrize("name", sorted(VIEWS))
def test_view_form_keeps_gradients_flowing_as_torch(name: str) -> None:
    call, shape = VIEWS[name]
    x0 = np.random.default_rng(8).normal(size=shape)
    x, tx = autograd.tensor(x0, requires_grad=True), torch.tensor(x0, requires_grad=True)
    h, th = x * 2, tx * 2
    call(h)
    call(th)
    w = np.random.default_rng(9).normal(size=tuple(th.shape))
    (h * autograd.tensor(w)).sum().backward()
    (th * torch.tensor(w)).sum().backward()
    np.testing.assert_allclose(x.grad.data, tx.grad.numpy(), rtol=1e-12)
    with pytest.raises(RuntimeError, match="a leaf Variable"):
        call(torch.tensor(x0, requires_grad=True))
    with pytest.raises(RuntimeError, match=f"{name.split('_')[0]}_: a leaf Tensor"):
        call(autograd.tensor(x0, requires_grad=True))
    with autograd.no_grad():
        p = autograd.tensor(x0, requires_grad=True)
        assert call(p) is p and p.is_leaf and p.requires_grad


@pytest.mark.parametrize("form", ["squeeze_", "t_", "unsqueeze_", "transpose_"])
def test_view_form_of_a_tensor_already_used_by_a_recorded_op_as_torch(form: str) -> None:
    # the ops recorded before keep the old shape (and value), later ones see the new one
    call = {
        "squeeze_": lambda h: h.squeeze_(),
        "t_": lambda h: h.t_(),
        "unsqueeze_": lambda h: h.unsqueeze_(0),
        "transpose_": lambda h: h.transpose_(0, 1),
    }[form]
    start = np.array([[1.0], [-2.0], [3.0]])

    def run(lib):
        x = lib.tensor(start, requires_grad=True)
        h = x * 2
        used = h + 1  # (saves nothing: torch refuses once a saved tensor changed)
        call(h)
        assert tuple(used.shape) == (3, 1)
        (used.sum() + (h * lib.ones_like(h).cumsum(-1)).sum()).backward()
        return tuple(h.shape), x.grad.numpy()

    ours, theirs = run(autograd), run(torch)
    assert ours[0] == theirs[0]
    np.testing.assert_allclose(ours[1], theirs[1])


@settings(max_examples=5, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_view_forms_gradient_matches_finite_differences(seed: int) -> None:
    x = autograd.tensor(np.random.default_rng(seed).normal(size=(2, 1, 3)), requires_grad=True)

    def f(a):
        h = a * a
        return h.squeeze_(1).t_().unsqueeze_(0).transpose_(0, 2) * 3

    assert gradcheck(f, [x])
