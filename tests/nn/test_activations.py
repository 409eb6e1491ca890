"""nn.functional activations and the activation modules: PyTorch's signatures and defaults,
Value and Tensor inputs, softmax over lists of Values, module settings, parameters, reprs,
and (when torch is installed) agreement with torch on values and gradients."""

from __future__ import annotations

import inspect

import numpy as np
import pytest

import nn
import nn.functional as F
from autograd import Tensor, Value
from autograd.testing import gradcheck, gradgradcheck

ELEMENTWISE = [
    "sigmoid",
    "tanh",
    "relu",
    "leaky_relu",
    "elu",
    "selu",
    "softplus",
    "silu",
    "swish",
    "mish",
    "gelu",
    "hardtanh",
    "step",
    "identity",
]

X = np.array([-4.0, -1.5, -0.2, 0.3, 0.8, 2.5, 7.0])


def _sig(x):
    return 1 / (1 + np.exp(-x))


# --- nn.functional ----------------------------------------------------------------------------


def test_functional_defaults_are_pytorchs():
    def defaults(fn):
        return {
            k: p.default
            for k, p in inspect.signature(fn).parameters.items()
            if p.default is not inspect.Parameter.empty
        }

    assert defaults(F.leaky_relu)["negative_slope"] == 0.01
    assert defaults(F.elu)["alpha"] == 1.0
    assert defaults(F.softplus) == {"beta": 1.0, "threshold": 20.0}
    assert defaults(F.gelu) == {"approximate": "none"}
    assert defaults(F.hardtanh)["min_val"] == -1.0 and defaults(F.hardtanh)["max_val"] == 1.0
    assert defaults(F.swish) == {"beta": 1.0}
    # no axis: torch's implicit choice (see test_softmax_without_dim_takes_torchs_implicit_axis)
    assert defaults(F.softmax)["axis"] is None and defaults(F.log_softmax)["axis"] is None
    assert list(inspect.signature(F.prelu).parameters) == ["input", "weight"]


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_functional_takes_values_and_tensors_alike(name):
    fn = getattr(F, name)
    t = Tensor(X, requires_grad=True)
    y = fn(t)
    assert isinstance(y, Tensor) and y.shape == X.shape
    y.backward(np.ones_like(X))
    for k, x in enumerate(X):
        v = Value(x)
        out = fn(v)
        assert isinstance(out, Value)
        assert out.data == pytest.approx(y.data[k], rel=1e-12, abs=1e-15)
        out.backward()
        assert v.grad == pytest.approx(t.grad.data[k], rel=1e-12, abs=1e-15)


@pytest.mark.parametrize("name", ELEMENTWISE + ["softmax", "log_softmax"])
def test_functional_rejects_non_nodes(name):
    with pytest.raises(TypeError, match=f"{name}: expected a "):
        getattr(F, name)(np.ones(3))


def test_softplus_is_exactly_linear_above_its_threshold_only():
    # PyTorch: x where beta * x > threshold, else log(1 + e^(beta x)) / beta
    x = Tensor(np.array([1.5, 1.5 + 1e-9, 1.75, 1.0]), requires_grad=True)
    y = F.softplus(x, beta=2, threshold=3)
    z = 2 * x.data
    np.testing.assert_array_equal(y.data[1:3], x.data[1:3])
    np.testing.assert_allclose(y.data[[0, 3]], np.log1p(np.exp(z[[0, 3]])) / 2, rtol=1e-14)
    assert y.data[0] > 1.5 + 0.01  # at the threshold itself: still the smooth branch
    y.sum().backward()
    np.testing.assert_allclose(x.grad, [_sig(3.0), 1.0, 1.0, _sig(2.0)], rtol=1e-14)


def test_functional_settings_reach_the_op():
    t = Tensor(X)
    np.testing.assert_allclose(F.leaky_relu(t, 0.2).data, np.where(X > 0, X, 0.2 * X))
    np.testing.assert_allclose(F.elu(t, alpha=2.0).data, np.where(X > 0, X, 2 * np.expm1(X)))
    np.testing.assert_allclose(
        F.softplus(t, beta=2, threshold=3).data,
        np.where(2 * X > 3, X, np.log1p(np.exp(2 * X)) / 2),
    )
    np.testing.assert_allclose(F.swish(t, 2.0).data, X * _sig(2 * X))
    np.testing.assert_allclose(F.hardtanh(t, -0.5, 2.0).data, np.clip(X, -0.5, 2.0))
    np.testing.assert_allclose(
        F.gelu(t, approximate="tanh").data,
        0.5 * X * (1 + np.tanh(np.sqrt(2 / np.pi) * (X + 0.044715 * X**3))),
    )
    np.testing.assert_allclose(F.relu(t, inplace=True).data, np.maximum(X, 0))


def test_softmax_axis_and_dim():
    x = Tensor(np.arange(6.0).reshape(2, 3))
    np.testing.assert_allclose(F.softmax(x, dim=0).data.sum(axis=0), 1.0)
    np.testing.assert_allclose(F.softmax(x, 0).data, F.softmax(x, dim=0).data)
    np.testing.assert_allclose(F.softmax(x).data.sum(axis=1), 1.0)
    np.testing.assert_allclose(F.log_softmax(x, dim=1).data, np.log(F.softmax(x, axis=1).data))
    with pytest.raises(TypeError, match="either axis= or dim="):
        F.softmax(x, 0, dim=1)


def test_softmax_of_a_list_of_values():
    logits = [20.0, 134.0, 854.0]
    vs = [Value(z) for z in logits]
    s = F.softmax(vs)
    assert all(isinstance(v, Value) for v in s)
    assert [v.data for v in s] == pytest.approx([0.0, 2.0322308e-313, 1.0], rel=1e-7)
    logs = F.log_softmax([Value(z) for z in logits])
    assert [v.data for v in logs] == [-834.0, -720.0, 0.0]
    # gradients agree with the Tensor primitive
    z = [0.3, -1.0, 2.2]
    vs = [Value(a) for a in z]
    loss = F.log_softmax(vs)[2] * 2.0 + F.softmax(vs)[0]
    loss.backward()
    t = Tensor(np.array(z), requires_grad=True)
    (F.log_softmax(t)[2] * 2.0 + F.softmax(t)[0]).backward()
    np.testing.assert_allclose([v.grad for v in vs], t.grad, rtol=1e-12)
    with pytest.raises(TypeError, match="non-empty list of Values"):
        F.softmax([])


def test_prelu_with_values_and_tensors():
    x, a = Value(-2.0), Value(0.25)
    y = F.prelu(x, a)
    y.backward()
    assert y.data == -0.5 and x.grad == 0.25 and a.grad == -2.0
    with pytest.raises(TypeError, match="Value input needs a Value weight"):
        F.prelu(Value(1.0), Tensor(np.array([0.25])))
    gradcheck(
        F.prelu,
        [
            Tensor(np.array([[-1.0, 2.0], [3.0, -0.5]]), requires_grad=True),
            Tensor(np.array([0.1, 0.3]), requires_grad=True),
        ],
    )


# --- modules ---------------------------------------------------------------------------------

MODULES = [
    (nn.Sigmoid(), "Sigmoid()", lambda x: _sig(x)),
    (nn.Tanh(), "Tanh()", np.tanh),
    (nn.ReLU(), "ReLU()", lambda x: np.maximum(x, 0)),
    (nn.ReLU(inplace=True), "ReLU(inplace=True)", lambda x: np.maximum(x, 0)),
    (nn.LeakyReLU(), "LeakyReLU(negative_slope=0.01)", lambda x: np.where(x > 0, x, 0.01 * x)),
    (nn.LeakyReLU(0.2), "LeakyReLU(negative_slope=0.2)", lambda x: np.where(x > 0, x, 0.2 * x)),
    (nn.ELU(), "ELU(alpha=1.0)", lambda x: np.where(x > 0, x, np.expm1(x))),
    (nn.SELU(), "SELU()", lambda x: F.selu(Tensor(x)).data),
    (
        nn.Softplus(beta=2.0, threshold=5.0),
        "Softplus(beta=2.0, threshold=5.0)",
        lambda x: np.where(2 * x > 5, x, np.log1p(np.exp(2 * x)) / 2),
    ),
    (nn.SiLU(), "SiLU()", lambda x: x * _sig(x)),
    (nn.Swish(), "Swish(beta=1.0, trainable=False)", lambda x: x * _sig(x)),
    (nn.Swish(beta=0.5), "Swish(beta=0.5, trainable=False)", lambda x: x * _sig(0.5 * x)),
    (nn.Mish(), "Mish()", lambda x: x * np.tanh(np.log1p(np.exp(x)))),
    (nn.GELU(), "GELU(approximate='none')", lambda x: F.gelu(Tensor(x)).data),
    (nn.GELU("tanh"), "GELU(approximate='tanh')", lambda x: F.gelu(Tensor(x), "tanh").data),
    (nn.Hardtanh(), "Hardtanh(min_val=-1.0, max_val=1.0)", lambda x: np.clip(x, -1, 1)),
    (nn.Step(), "Step()", lambda x: (x >= 0).astype(float)),
    (nn.Identity(), "Identity()", lambda x: x),
    (nn.Softmax(dim=0), "Softmax(dim=0)", lambda x: np.exp(x) / np.exp(x).sum()),
    (nn.LogSoftmax(-1), "LogSoftmax(dim=-1)", lambda x: x - np.log(np.exp(x).sum())),
]


@pytest.mark.parametrize("module,text,ref", MODULES, ids=[m[1] for m in MODULES])
def test_module_forward_and_repr(module, text, ref):
    assert repr(module) == text
    np.testing.assert_allclose(module(Tensor(X)).data, ref(X), rtol=1e-12, atol=1e-15)
    if not isinstance(module, (nn.Softmax, nn.LogSoftmax)):
        assert module(Value(-0.7)).data == pytest.approx(float(ref(np.array(-0.7))), rel=1e-12)
    assert list(module.parameters()) == []


def test_module_argument_checks():
    with pytest.raises(ValueError, match="GELU: approximate must be 'none' or 'tanh'"):
        nn.GELU("exact")
    with pytest.raises(ValueError, match="Hardtanh: max_val .* must be greater than min_val"):
        nn.Hardtanh(1.0, 1.0)
    with pytest.raises(ValueError, match="num_parameters must be at least 1"):
        nn.PReLU(0)
    assert repr(nn.Identity(54, unused="argument")) == "Identity()"
    assert nn.Softmax(dim=1).dim == 1 and nn.Softmax(1).dim == 1 and nn.Softmax(None).dim is None
    assert nn.Softmax(axis=2).dim == 2 and repr(nn.LogSoftmax()) == "LogSoftmax(dim=None)"


def test_prelu_module_parameters_and_gradients():
    m = nn.PReLU(3)
    assert repr(m) == "PReLU(num_parameters=3)"
    assert [name for name, _ in m.named_parameters()] == ["weight"]
    assert m.weight.shape == (3,) and m.weight.dtype == np.float32
    np.testing.assert_array_equal(m.weight.data, 0.25)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(4, 3, 2)).astype(np.float32)
    g = rng.normal(size=x.shape).astype(np.float32)
    y = m(Tensor(x))
    y.backward(g)
    np.testing.assert_allclose(y.data, np.where(x > 0, x, 0.25 * x), rtol=1e-6)
    np.testing.assert_allclose(m.weight.grad, (g * np.minimum(x, 0)).sum(axis=(0, 2)), rtol=1e-5)
    shared = nn.PReLU(init=0.1, dtype=np.float64)
    assert shared.weight.shape == (1,) and shared.weight.dtype == np.float64
    xt = Tensor(rng.normal(size=(2, 5)), requires_grad=True)
    gradcheck(lambda a, w: F.prelu(a, w), [xt, shared.weight])
    gradgradcheck(lambda a, w: F.prelu(a, w), [xt, shared.weight])
    assert set(m.state_dict()) == {"weight"}


def test_trainable_swish_beta_is_a_parameter_with_the_right_gradient():
    fixed = nn.Swish(1.5)
    assert list(fixed.parameters()) == []
    m = nn.Swish(beta=1.5, trainable=True)
    assert repr(m) == "Swish(beta=1.5, trainable=True)"
    (beta,) = m.parameters()
    assert [name for name, _ in m.named_parameters()] == ["beta"]
    assert beta.shape == () and beta.dtype == np.float32
    x = np.linspace(-3, 3, 12).reshape(3, 4)
    y = m(Tensor(x.astype(np.float32)))
    assert y.shape == (3, 4) and y.dtype == np.float32
    y.sum().backward()
    s = _sig(1.5 * x)
    # dS/dbeta = x^2 sigma(beta x)(1 - sigma(beta x)), summed over every position
    assert float(beta.grad) == pytest.approx(np.sum(x**2 * s * (1 - s)), rel=1e-5)
    state = m.state_dict()
    assert list(state) == ["beta"] and state["beta"] == np.float32(1.5)


def test_modules_compose_in_sequential():
    model = nn.Sequential(nn.Linear(3, 4), nn.PReLU(4), nn.Linear(4, 3), nn.LogSoftmax(dim=1))
    out = model(Tensor(np.ones((2, 3), dtype=np.float32)))
    np.testing.assert_allclose(np.exp(out.data).sum(axis=1), 1.0, rtol=1e-6)
    out.sum().backward()
    assert model[1].weight.grad.shape == (4,)
    assert "(1): PReLU(num_parameters=4)" in repr(model)


# --- against PyTorch (optional) -------------------------------------------------------------


def _torch_cases(torch, TF):
    return [
        ("sigmoid", F.sigmoid, torch.sigmoid),
        ("tanh", F.tanh, torch.tanh),
        ("relu", F.relu, TF.relu),
        ("leaky_relu", lambda t: F.leaky_relu(t, 0.2), lambda t: TF.leaky_relu(t, 0.2)),
        ("elu", lambda t: F.elu(t, 0.5), lambda t: TF.elu(t, 0.5)),
        ("selu", F.selu, TF.selu),
        ("softplus", F.softplus, TF.softplus),
        ("softplus_b", lambda t: F.softplus(t, 2.0, 3.0), lambda t: TF.softplus(t, 2.0, 3.0)),
        ("silu", F.silu, TF.silu),
        ("mish", F.mish, TF.mish),
        ("gelu", F.gelu, TF.gelu),
        ("gelu_tanh", lambda t: F.gelu(t, "tanh"), lambda t: TF.gelu(t, approximate="tanh")),
        ("hardtanh", lambda t: F.hardtanh(t, -2, 1), lambda t: TF.hardtanh(t, -2.0, 1.0)),
        ("softmax", lambda t: F.softmax(t, dim=1), lambda t: TF.softmax(t, dim=1)),
        ("log_softmax", lambda t: F.log_softmax(t, 0), lambda t: TF.log_softmax(t, 0)),
    ]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_against_torch(dtype):
    torch = pytest.importorskip("torch")
    TF = torch.nn.functional
    rng = np.random.default_rng(3)
    x = np.concatenate(
        [rng.normal(scale=3, size=(4, 5)), [[0.0, 1.0, -1.0, -2.0, 1e3], [-1e3, 25, -25, 3, 0.5]]]
    ).astype(dtype)
    g = rng.normal(size=x.shape).astype(dtype)
    tol = {"rtol": 1e-10, "atol": 1e-12} if dtype == np.float64 else {"rtol": 2e-5, "atol": 1e-6}
    for name, ours, theirs in _torch_cases(torch, TF):
        t = Tensor(x, requires_grad=True)
        y = ours(t)
        y.backward(g)
        tt = torch.tensor(x, requires_grad=True)
        ty = theirs(tt)
        ty.backward(torch.tensor(g))
        np.testing.assert_allclose(y.data, ty.detach().numpy(), err_msg=name, **tol)
        np.testing.assert_allclose(t.grad, tt.grad.numpy(), err_msg=name, **tol)


def test_prelu_against_torch():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(4)
    x = rng.normal(size=(3, 4, 2))
    x[0, 0, 0] = 0.0
    w = np.array([0.25, -0.1, 0.5, 2.0])
    g = rng.normal(size=x.shape)
    t, tw = Tensor(x, requires_grad=True), Tensor(w, requires_grad=True)
    F.prelu(t, tw).backward(g)
    tt, ttw = torch.tensor(x, requires_grad=True), torch.tensor(w, requires_grad=True)
    torch.nn.functional.prelu(tt, ttw).backward(torch.tensor(g))
    np.testing.assert_allclose(t.grad, tt.grad.numpy(), rtol=1e-12)
    np.testing.assert_allclose(tw.grad, ttw.grad.numpy(), rtol=1e-12)


def test_hardtanh_and_relu6_keep_an_integer_dtype():
    """Clipping integers gives integers, as PyTorch's (it gave float32); an unsigned tensor
    cannot be clipped below 0."""
    x = Tensor(np.array([-3, -1, 0, 2, 5, 9], dtype=np.int32))
    out = F.hardtanh(x)
    assert out.dtype == np.int32 and out.data.tolist() == [-1, -1, 0, 1, 1, 1]
    assert F.relu6(x).data.tolist() == [0, 0, 0, 2, 5, 6] and F.relu6(x).dtype == np.int32
    pixels = Tensor(np.array([3, 200], dtype=np.uint8))
    assert F.relu6(pixels).dtype == np.uint8 and F.relu6(pixels).data.tolist() == [3, 6]
    with pytest.raises(RuntimeError, match="unsigned type.*negative limits"):
        F.hardtanh(pixels)
