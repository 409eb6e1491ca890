"""autograd.func (torch.func): the transforms against central finite differences in float64,
their composition, vmap against a numpy loop, functional_call and stack_module_state, and
the errors for bad input."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import autograd
import nn
from autograd import Tensor
from autograd.func import (
    functional_call,
    grad,
    grad_and_value,
    hessian,
    jacfwd,
    jacrev,
    jvp,
    stack_module_state,
    vjp,
    vmap,
)

EPS = 1e-6
VEC = arrays(np.float64, st.integers(1, 4), elements=st.floats(-2, 2))


def t(a: object, requires_grad: bool = False) -> Tensor:
    return Tensor(np.asarray(a, dtype=np.float64), requires_grad=requires_grad)


def numeric_jacobian(f, x: np.ndarray) -> np.ndarray:
    """d f / d x by central differences: shape f(x).shape + x.shape."""
    fx = np.asarray(f(x))
    jac = np.zeros(fx.shape + x.shape)
    for idx in np.ndindex(*x.shape):
        step = np.zeros_like(x)
        step[idx] = EPS
        jac[(..., *idx)] = (np.asarray(f(x + step)) - np.asarray(f(x - step))) / (2 * EPS)
    return jac


def scalar_f(x: Tensor) -> Tensor:
    return (x.sin() * x + x.exp() / 3).sum()


def scalar_f_np(x: np.ndarray) -> float:
    return float((np.sin(x) * x + np.exp(x) / 3).sum())


def vector_f(x: Tensor) -> Tensor:
    return (x.tanh() * x.sum()).cumsum(0)


def vector_f_np(x: np.ndarray) -> np.ndarray:
    return np.cumsum(np.tanh(x) * x.sum())


@settings(max_examples=20, deadline=None)
@given(x=VEC)
def test_grad_matches_finite_differences(x: np.ndarray) -> None:
    g = grad(scalar_f)(t(x))
    np.testing.assert_allclose(g.data, numeric_jacobian(scalar_f_np, x), rtol=1e-6, atol=1e-6)
    assert not g.requires_grad


@settings(max_examples=20, deadline=None)
@given(x=VEC)
def test_second_order_grad_hessian_and_double_jacrev_match_finite_differences(
    x: np.ndarray,
) -> None:
    # the gradient in closed form, differenced once
    num_hess = numeric_jacobian(lambda v: np.sin(v) + v * np.cos(v) + np.exp(v) / 3, x)
    h = hessian(scalar_f)(t(x))
    np.testing.assert_allclose(h.data, num_hess, rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(jacrev(jacrev(scalar_f))(t(x)).data, h.data, rtol=1e-12)
    gg = grad(lambda v: grad(scalar_f)(v).sum())(t(x))
    np.testing.assert_allclose(gg.data, num_hess.sum(0), rtol=1e-6, atol=1e-6)
    assert not h.requires_grad and not gg.requires_grad


@settings(max_examples=20, deadline=None)
@given(x=VEC, seed=st.integers(0, 2**16))
def test_jacobians_vjp_and_jvp_match_finite_differences(x: np.ndarray, seed: int) -> None:
    v = np.random.default_rng(seed).normal(size=x.shape)
    num = numeric_jacobian(vector_f_np, x)
    np.testing.assert_allclose(jacrev(vector_f)(t(x)).data, num, rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(jacfwd(vector_f)(t(x)).data, num, rtol=1e-6, atol=1e-6)
    out, vjp_fn = vjp(vector_f, t(x))
    np.testing.assert_allclose(out.data, vector_f_np(x))
    (g,) = vjp_fn(t(v))
    np.testing.assert_allclose(g.data, v @ num, rtol=1e-6, atol=1e-6)
    out2, jv = jvp(vector_f, (t(x),), (t(v),))
    np.testing.assert_allclose(out2.data, vector_f_np(x))
    np.testing.assert_allclose(jv.data, num @ v, rtol=1e-6, atol=1e-6)
    assert not jv.requires_grad and not out2.requires_grad


def test_argnums_and_pytrees_give_one_result_per_chosen_argument() -> None:
    x, y = t([1.0, 2.0]), t([3.0, -1.0])
    f = lambda a, b: (a * a * b).sum()  # noqa: E731
    gx, gy = grad(f, argnums=(0, 1))(x, y)
    np.testing.assert_allclose(gx.data, 2 * x.data * y.data)
    np.testing.assert_allclose(gy.data, x.data**2)
    np.testing.assert_allclose(grad(f, argnums=-1)(x, y).data, x.data**2)
    d = grad(lambda p: (p["w"] * p["b"][0]).sum())({"w": x, "b": [y]})
    assert set(d) == {"w", "b"} and isinstance(d["b"], list)
    np.testing.assert_allclose(d["w"].data, y.data)
    np.testing.assert_allclose(d["b"][0].data, x.data)
    jac = jacrev(lambda a, b: {"p": a * b, "s": a.sum()}, argnums=(0, 1))(x, y)
    np.testing.assert_allclose(jac["p"][0].data, np.diag(y.data))
    np.testing.assert_allclose(jac["p"][1].data, np.diag(x.data))
    np.testing.assert_allclose(jac["s"][1].data, 0.0)
    assert jac["s"][0].shape == (2,)


def test_has_aux_returns_the_aux_and_grad_and_value_the_value() -> None:
    x = t([1.0, 2.0])
    g, aux = grad(lambda a: ((a**2).sum(), {"n": a.sum()}), has_aux=True)(x)
    np.testing.assert_allclose(g.data, 2 * x.data)
    assert aux["n"].item() == 3.0
    g2, (value, aux2) = grad_and_value(lambda a: ((a**2).sum(), 7), has_aux=True)(x)
    assert value.item() == 5.0 and aux2 == 7
    g3, value3 = grad_and_value(lambda a: (a**2).sum())(x)
    np.testing.assert_allclose(g3.data, g2.data)
    assert value3.item() == 5.0
    j, aux3 = jacrev(lambda a: (a * 2, a.sum()), has_aux=True)(x)
    np.testing.assert_allclose(j.data, 2 * np.eye(2))
    assert aux3.item() == 3.0


def test_unused_input_gets_zeros() -> None:
    g = grad(lambda a, b: (a * 2).sum(), argnums=(0, 1))(t([1.0]), t([5.0, 6.0]))
    np.testing.assert_allclose(g[1].data, [0.0, 0.0])
    np.testing.assert_allclose(grad(lambda a: t(3.0) + 0 * a.sum())(t([1.0])).data, [0.0])


def test_history_is_kept_only_when_it_reaches_outside_the_transform() -> None:
    w = t([1.0, 2.0], requires_grad=True)
    x = t([3.0, 4.0])
    g = grad(lambda a: (w * a**2).sum())(x)  # depends on the captured parameter w
    assert g.requires_grad
    g.sum().backward()
    np.testing.assert_allclose(w.grad.data, 2 * x.data)  # g = 2 w x
    xr = t([3.0, 4.0], requires_grad=True)
    gx = grad(lambda a: (a**3).sum())(xr)  # an input that requires grad: torch keeps history
    assert gx.requires_grad
    (ggx,) = autograd.grad(gx.sum(), xr)
    np.testing.assert_allclose(ggx.data, 6 * xr.data)
    with autograd.no_grad():
        assert not grad(lambda a: (w * a**2).sum())(x).requires_grad


def test_vmap_matches_a_numpy_loop_with_in_dims_and_out_dims() -> None:
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=(3, 4)), rng.normal(size=(4, 5))
    out = vmap(lambda u, m: u @ m, in_dims=(0, None))(t(a), t(b))
    np.testing.assert_allclose(out.data, np.stack([a[i] @ b for i in range(3)]))
    out1 = vmap(lambda u: u.sum(0), in_dims=1, out_dims=0)(t(b))
    np.testing.assert_allclose(out1.data, b.sum(0))
    c = rng.normal(size=(2, 3, 4))
    o2 = vmap(lambda u: u * 2, in_dims=1, out_dims=2)(t(c))
    np.testing.assert_allclose(o2.data, np.moveaxis(2 * c, 1, 2))
    nested = vmap(lambda p, s: p["x"] * p["y"][0] + s, in_dims=({"x": 0, "y": [None]}, None))
    r = nested({"x": t(a), "y": [t(a[0])]}, 1.0)
    np.testing.assert_allclose(r.data, a * a[0] + 1)
    pair = vmap(lambda u: (u.sum(), u * 0 + 1), out_dims=(0, None))(t(a))
    np.testing.assert_allclose(pair[0].data, a.sum(1))
    assert pair[1].shape == (4,)
    mm = vmap(vmap(lambda u, v: (u * v).sum(), in_dims=(None, 0)), in_dims=(0, None))
    np.testing.assert_allclose(mm(t(a), t(b.T)).data, a @ b)
    assert vmap(lambda u: u * 2)(t(np.zeros((0, 3)))).shape == (0, 3)


@settings(max_examples=10, deadline=None)
@given(xs=arrays(np.float64, (3, 2), elements=st.floats(-2, 2)))
def test_vmap_of_grad_is_per_example_gradients(xs: np.ndarray) -> None:
    per = vmap(grad(scalar_f))(t(xs))
    expected = np.stack([numeric_jacobian(scalar_f_np, row) for row in xs])
    np.testing.assert_allclose(per.data, expected, rtol=1e-6, atol=1e-6)


def test_vmap_is_differentiable_through_the_loop() -> None:
    x = t([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    y = vmap(lambda r: (r**2).sum())(x)
    y.sum().backward()
    np.testing.assert_allclose(x.grad.data, 2 * x.data)


def test_vmap_randomness_modes() -> None:
    x = t(np.zeros((3, 2)))
    with pytest.raises(RuntimeError, match="randomness error mode"):
        vmap(lambda r: r + autograd.rand(2))(x)
    autograd.manual_seed(0)
    same = vmap(lambda r: r + autograd.rand(2), randomness="same")(x)
    np.testing.assert_array_equal(same.data[0], same.data[1])
    diff = vmap(lambda r: r + autograd.rand(2), randomness="different")(x)
    assert not np.array_equal(diff.data[0], diff.data[1])
    with pytest.raises(RuntimeError, match="randomness"):
        vmap(lambda r: r, randomness="foo")


def test_errors_as_torch() -> None:
    x = t([1.0, 2.0])
    with pytest.raises(RuntimeError, match="to return a scalar Tensor, got tensor with 1 dims"):
        grad(lambda a: a * 2)(x)
    with pytest.raises(RuntimeError, match="to return a Tensor, got <class 'float'>"):
        grad(lambda a: 3.0)(x)
    with pytest.raises(RuntimeError, match="Got argnum=1, but only 1 positional inputs"):
        grad(lambda a: a.sum(), argnums=1)(x)
    with pytest.raises(RuntimeError, match="argnums must be non-empty"):
        grad(lambda a: a.sum(), argnums=())(x)
    with pytest.raises(RuntimeError, match="argnums elements must be unique"):
        jacrev(lambda a: a, argnums=(0, 0))(x)
    with pytest.raises(RuntimeError, match="argnums must be int or Tuple"):
        jacrev(lambda a: a, argnums=0.5)(x)
    with pytest.raises(RuntimeError, match=r"should be a tuple: \(output, aux\)"):
        grad(lambda a: a.sum(), has_aux=True)(x)
    with pytest.raises(ValueError, match="must be Tensor, got <class 'float'>"):
        grad(lambda a: a * 2)(3.0)
    with pytest.raises(RuntimeError, match="Expected primals to be a tuple"):
        jvp(lambda a: a, x, x)
    with pytest.raises(RuntimeError, match="same python structure"):
        jvp(lambda a: a, (x,), (x, x))
    with pytest.raises(RuntimeError, match="different size"):
        jvp(lambda a: a, (x,), (t([1.0, 2.0, 3.0]),))
    with pytest.raises(RuntimeError, match="Mismatch in shape"):
        vjp(lambda a: a * 2, x)[1](t([1.0]))
    with pytest.raises(RuntimeError, match="return only tensors"):
        jacrev(lambda a: 3.0)(x)
    with pytest.raises(ValueError, match="same size in the mapped dimension, got sizes"):
        vmap(lambda a, b: a + b)(x, t([1.0, 2.0, 3.0]))
    with pytest.raises(ValueError, match="must only return Tensors"):
        vmap(lambda a: 3.0)(x)
    with pytest.raises(ValueError, match="in_dims is not compatible"):
        vmap(lambda a: a, in_dims=(0, 0))(x)
    with pytest.raises(ValueError, match="expected in_dim to satisfy -1 <= in_dim < 1"):
        vmap(lambda a: a, in_dims=1)(x)
    with pytest.raises(ValueError, match="We cannot vmap over non-Tensor arguments"):
        vmap(lambda a: a)(3.0)
    with pytest.raises(ValueError, match="expected `in_dims` to be int"):
        vmap(lambda a: a, in_dims=None)(x)
    with pytest.raises(ValueError, match="got no inputs"):
        vmap(lambda: x)()
    with pytest.raises(ValueError, match="can not return a BatchedTensor when out_dim is None"):
        vmap(lambda a: a, out_dims=None)(x)
    with pytest.raises(IndexError, match="Dimension out of range"):
        vmap(lambda a: a, out_dims=1)(x)


class Tied(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.a = nn.Linear(2, 2)
        self.b = nn.Linear(2, 2)
        self.b.weight = self.a.weight
        self.register_buffer("scale", autograd.tensor(2.0))

    def forward(self, x: Tensor) -> Tensor:
        return self.b(self.a(x)) * self.scale


def test_functional_call_swaps_and_restores_and_ties_weights() -> None:
    m = Tied()
    x = autograd.ones(1, 2)
    w = autograd.zeros(2, 2)
    orig = m.a.weight
    out = functional_call(m, {"a.weight": w, "scale": autograd.tensor(1.0)}, (x,))
    # a.weight is tied to b.weight: both zero, so only the biases pass
    b_a, b_b = m.a.bias.data, m.b.bias.data
    np.testing.assert_allclose(out.data, (b_b + 0 * b_a)[None], rtol=1e-6)
    assert m.a.weight is orig and m.b.weight is orig and m.scale.item() == 2.0
    untied = functional_call(m, {"a.weight": w}, x, tie_weights=False)
    expected = (b_a @ orig.data.T + b_b) * 2
    np.testing.assert_allclose(untied.data, expected[None], rtol=1e-5)
    with pytest.raises(ValueError, match="which are tied"):
        functional_call(m, {"a.weight": w, "b.weight": autograd.ones(2, 2)}, x)
    with pytest.raises(RuntimeError, match="Unexpected key\\(s\\): 'nope'"):
        functional_call(m, {"nope": w}, x, strict=True)
    with pytest.raises(RuntimeError, match="Missing key\\(s\\)"):
        functional_call(m, {"a.weight": w}, x, strict=True)
    with pytest.raises(ValueError, match="appeared in multiple dictionaries"):
        functional_call(m, ({"scale": w}, {"scale": w}), x)
    with pytest.raises(ValueError, match="to be a dict, or a list/tuple of dicts"):
        functional_call(m, 3, x)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        r = nn.utils.stateless.functional_call(m, {"scale": autograd.tensor(1.0)}, x)
    assert any(issubclass(c.category, FutureWarning) for c in caught)
    np.testing.assert_allclose(r.data * 2, m(x).data, rtol=1e-6)


def test_grad_through_functional_call_is_the_parameters_gradient() -> None:
    autograd.manual_seed(0)
    model = nn.Linear(3, 2).double()
    x = autograd.randn(4, 3, dtype=autograd.float64)
    params = {k: v.detach() for k, v in model.named_parameters()}
    g = grad(lambda p: functional_call(model, p, (x,)).pow(2).sum())(params)
    model(x).pow(2).sum().backward()
    for k, p in model.named_parameters():
        np.testing.assert_allclose(g[k].data, p.grad.data, rtol=1e-10)


def test_stack_module_state_and_an_ensemble_through_vmap() -> None:
    autograd.manual_seed(0)
    models = [nn.Linear(3, 2) for _ in range(4)]
    params, buffers = stack_module_state(models)
    assert params["weight"].shape == (4, 2, 3) and params["weight"].is_leaf
    assert params["weight"].requires_grad and buffers == {}
    x = autograd.randn(5, 3)

    def run(p: dict, b: dict, data: Tensor) -> Tensor:
        return functional_call(models[0], (p, b), (data,))

    out = vmap(run, in_dims=(0, 0, None))(params, buffers, x)
    expected = np.stack([m(x).data for m in models])
    np.testing.assert_allclose(out.data, expected, rtol=1e-5, atol=1e-6)
    bn = [nn.BatchNorm1d(3) for _ in range(2)]
    _, bufs = stack_module_state(bn)
    assert bufs["running_mean"].shape == (2, 3)
    with pytest.raises(RuntimeError, match="at least one model"):
        stack_module_state([])
    with pytest.raises(RuntimeError, match="same class"):
        stack_module_state([nn.Linear(3, 2), nn.Tanh()])
    with pytest.raises(RuntimeError, match="same training/eval mode"):
        stack_module_state([nn.Linear(3, 2), nn.Linear(3, 2).eval()])
    mixed = [nn.Linear(3, 2), nn.Linear(3, 2)]
    mixed[1].weight.requires_grad_(False)
    with pytest.raises(RuntimeError, match="same .requires_grad"):
        stack_module_state(mixed)


def test_torch_dot_func_and_vmap_names_reach_these() -> None:
    import autograd.func as func

    assert autograd.func is func and autograd.vmap is func.vmap
