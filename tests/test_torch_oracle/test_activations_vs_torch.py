"""Every activation of nn.functional, its module and its Value method against torch."""

from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import nn  # noqa: E402
import nn.functional as F  # noqa: E402
from autograd import Tensor, Value  # noqa: E402

from .oracle import compare, normal  # noqa: E402

TF = torch.nn.functional

# random points, the kinks and bounds themselves, and points far out in both tails
SPECIAL = np.array([0.0, -1.0, 1.0, -3.0, 3.0, 19.9, 20.0, 20.1, -20.0, 10.0, 10.05, 1e3, -1e3])
X = np.concatenate([normal(40, 20, scale=3.0), SPECIAL])

# name -> (ours, torch's), both applied to a node
FUNCTIONAL = {
    "sigmoid": (F.sigmoid, torch.sigmoid),
    "tanh": (F.tanh, torch.tanh),
    "relu": (F.relu, TF.relu),
    "leaky_relu_default": (F.leaky_relu, TF.leaky_relu),
    "leaky_relu_0.2": (lambda x: F.leaky_relu(x, 0.2), lambda x: TF.leaky_relu(x, 0.2)),
    "elu_default": (F.elu, TF.elu),
    "elu_alpha": (lambda x: F.elu(x, alpha=0.7), lambda x: TF.elu(x, alpha=0.7)),
    "selu": (F.selu, TF.selu),
    "softplus_default": (F.softplus, TF.softplus),
    "softplus_beta_threshold": (
        lambda x: F.softplus(x, beta=2.0, threshold=20.1),
        lambda x: TF.softplus(x, beta=2.0, threshold=20.1),
    ),
    "softplus_small_threshold": (
        lambda x: F.softplus(x, 0.5, 1.5),
        lambda x: TF.softplus(x, 0.5, 1.5),
    ),
    "silu": (F.silu, TF.silu),
    "swish_beta1_is_silu": (F.swish, TF.silu),
    "mish": (F.mish, TF.mish),
    "gelu_default": (F.gelu, TF.gelu),
    "gelu_none": (
        lambda x: F.gelu(x, approximate="none"),
        lambda x: TF.gelu(x, approximate="none"),
    ),
    "gelu_tanh": (
        lambda x: F.gelu(x, approximate="tanh"),
        lambda x: TF.gelu(x, approximate="tanh"),
    ),
    "hardtanh_default": (F.hardtanh, TF.hardtanh),
    "hardtanh_bounds": (lambda x: F.hardtanh(x, -3.0, 10.0), lambda x: TF.hardtanh(x, -3.0, 10.0)),
    "identity": (F.identity, lambda x: x * 1),
}


@pytest.mark.parametrize("name", list(FUNCTIONAL))
def test_functional(name):
    ours, theirs = FUNCTIONAL[name]
    compare(ours, theirs, [X])
    compare(ours, theirs, [normal((3, 4, 2), 21, scale=2.0)])


@pytest.mark.parametrize("name", list(FUNCTIONAL))
def test_float32_stays_float32(name):
    ours, theirs = FUNCTIONAL[name]
    compare(ours, theirs, [X.astype(np.float32)], rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name", [n for n in FUNCTIONAL if n != "swish_beta1_is_silu"])
def test_value_method_matches_torch(name):
    ours, theirs = FUNCTIONAL[name]
    for x in (-2.5, -0.3, 0.0, 0.7, 4.0, 25.0, -40.0):
        v = Value(x)
        out = ours(v)
        out.backward()
        t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
        ref = theirs(t)
        ref.backward()
        assert isinstance(out, Value)
        assert out.data == pytest.approx(ref.item(), rel=1e-12, abs=1e-15), x
        assert v.grad == pytest.approx(t.grad.item(), rel=1e-12, abs=1e-15), x


def test_swish_beta_and_its_gradient():
    beta = np.array(1.7)
    compare(
        lambda x, b: F.swish(x, b),
        lambda x, b: x * torch.sigmoid(b * x),
        [X[:-2], beta],  # not +-1e3: torch's composite overflows there, ours does not
    )


def test_step_is_heaviside_with_zero_gradient():
    xt = Tensor(X, requires_grad=True)
    out = F.step(xt)
    out.backward(np.ones(X.shape))
    np.testing.assert_array_equal(
        out.data, torch.heaviside(torch.tensor(X), torch.tensor(1.0, dtype=torch.float64))
    )
    np.testing.assert_array_equal(xt.grad, np.zeros_like(X))


@pytest.mark.parametrize("shape", [(5,), (4, 3), (2, 3, 4), ()])
def test_prelu_shared_weight(shape):
    x = normal(shape, 22, scale=2.0)
    compare(F.prelu, TF.prelu, [x, np.array([0.3])])


@pytest.mark.parametrize("shape", [(4, 3), (2, 3, 4), (2, 3, 2, 2)])
def test_prelu_per_channel_weight(shape):
    x = normal(shape, 23, scale=2.0)
    x.flat[::5] = 0.0
    compare(F.prelu, TF.prelu, [x, np.array([0.3, -0.5, 1.5])])


@pytest.mark.parametrize("dim", [0, 1, -1, 2])
@pytest.mark.parametrize("log", [False, True])
def test_softmax_along_dims(dim, log):
    x = normal((3, 4, 5), 24, scale=4.0)
    x[0, 0, 0] = 900.0  # the max-shift keeps it finite
    ours = F.log_softmax if log else F.softmax
    theirs = TF.log_softmax if log else TF.softmax
    compare(lambda t: ours(t, dim=dim), lambda t: theirs(t, dim=dim), [x])
    compare(lambda t: ours(t, axis=dim), lambda t: theirs(t, dim=dim), [x])
    cls = nn.LogSoftmax if log else nn.Softmax
    t_cls = torch.nn.LogSoftmax if log else torch.nn.Softmax
    compare(cls(dim=dim), t_cls(dim=dim), [x])


@pytest.mark.parametrize("log", [False, True])
def test_softmax_default_is_last_axis(log):
    x = normal((3, 4), 25)
    ours = F.log_softmax if log else F.softmax
    theirs = TF.log_softmax if log else TF.softmax
    compare(ours, lambda t: theirs(t, dim=-1), [x])
    compare(nn.LogSoftmax(-1) if log else nn.Softmax(-1), lambda t: theirs(t, dim=-1), [x])


@pytest.mark.filterwarnings("ignore:Implicit dimension choice")
@pytest.mark.parametrize("name", ["Softmax", "LogSoftmax"])
@pytest.mark.parametrize("shape", [(3,), (3, 4), (2, 3, 4), (2, 3, 2, 2)])
def test_softmax_module_without_dim_takes_torchs_implicit_axis(name, shape):
    ours, theirs = getattr(nn, name)(), getattr(torch.nn, name)()
    assert repr(ours) == repr(theirs) == f"{name}(dim=None)"
    compare(ours, theirs, [normal(shape, 26)])


# module -> torch module, constructed with the same arguments
MODULES = [
    ("Sigmoid", (), {}),
    ("Tanh", (), {}),
    ("ReLU", (), {}),
    ("LeakyReLU", (), {}),
    ("LeakyReLU", (0.3,), {}),
    ("ELU", (), {}),
    ("ELU", (), {"alpha": 0.4}),
    ("SELU", (), {}),
    ("Softplus", (), {}),
    ("Softplus", (3.0, 5.0), {}),
    ("SiLU", (), {}),
    ("Mish", (), {}),
    ("GELU", (), {}),
    ("GELU", (), {"approximate": "tanh"}),
    ("Hardtanh", (), {}),
    ("Hardtanh", (-0.5, 2.0), {}),
    ("Identity", (), {}),
]


@pytest.mark.parametrize(
    "name, args, kwargs", MODULES, ids=[f"{m[0]}{m[1]}{m[2]}" for m in MODULES]
)
def test_modules(name, args, kwargs):
    compare(getattr(nn, name)(*args, **kwargs), getattr(torch.nn, name)(*args, **kwargs), [X])


def test_swish_module_beta1_is_silu():
    compare(nn.Swish(), torch.nn.SiLU(), [X])


@pytest.mark.parametrize("num_parameters", [1, 3])
def test_prelu_module_default_init_and_weight_gradient(num_parameters):
    x = normal((4, 3, 2), 26, scale=2.0)
    ours, theirs = (
        nn.PReLU(num_parameters, dtype=np.float64),
        torch.nn.PReLU(num_parameters, dtype=torch.float64),
    )
    np.testing.assert_array_equal(ours.weight.data, theirs.weight.detach().numpy())
    assert ours.weight.data.shape == tuple(theirs.weight.shape)
    up = normal(x.shape, 27)
    xt, tt = Tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    ours(xt).backward(up)
    theirs(tt).backward(torch.tensor(up))
    np.testing.assert_allclose(xt.grad, tt.grad.numpy(), rtol=1e-12)
    np.testing.assert_allclose(ours.weight.grad, theirs.weight.grad.numpy(), rtol=1e-12)


def test_prelu_module_default_dtype_is_float32_as_torch():
    assert nn.PReLU().weight.dtype == np.float32
    assert torch.nn.PReLU().weight.dtype == torch.float32


@pytest.mark.parametrize("log", [False, True])
def test_softmax_of_a_list_of_values(log):
    xs = [0.3, -1.2, 2.5, 0.0]
    w = normal(4, 28)
    vs = [Value(x) for x in xs]
    outs = (F.log_softmax if log else F.softmax)(vs)
    total = outs[0] * w[0]
    for o, wi in zip(outs[1:], w[1:]):
        total = total + o * wi
    total.backward()
    t = torch.tensor(xs, dtype=torch.float64, requires_grad=True)
    ref = (TF.log_softmax if log else TF.softmax)(t, dim=0)
    (ref * torch.tensor(w)).sum().backward()
    np.testing.assert_allclose([o.data for o in outs], ref.detach().numpy(), rtol=1e-12)
    np.testing.assert_allclose([v.grad for v in vs], t.grad.numpy(), rtol=1e-10, atol=1e-14)


def test_prelu_on_values():
    for x in (-1.5, 0.0, 2.0):
        v, w = Value(x), Value(0.3)
        out = F.prelu(v, w)
        out.backward()
        t = torch.tensor([x], dtype=torch.float64, requires_grad=True)
        tw = torch.tensor([0.3], dtype=torch.float64, requires_grad=True)
        TF.prelu(t, tw).sum().backward()
        assert out.data == pytest.approx(TF.prelu(t, tw).item(), rel=1e-12)
        assert (v.grad, w.grad) == pytest.approx((t.grad.item(), tw.grad.item()), rel=1e-12)


@pytest.mark.parametrize("log", [False, True])
def test_softmax_with_masked_minus_inf_logits(log):
    x = np.array([[0.0, -np.inf, 1.0], [2.0, 3.0, -np.inf]])
    ours = F.log_softmax if log else F.softmax
    theirs = TF.log_softmax if log else TF.softmax
    compare(lambda t: ours(t, dim=1), lambda t: theirs(t, dim=1), [x])


@pytest.mark.parametrize("ndim", [1, 2, 3, 4])
@pytest.mark.parametrize("log", [False, True])
def test_softmax_without_dim_takes_torchs_implicit_axis(ndim, log):
    # F.softmax(x) with no dim: torch's deprecated choice (axis 0 for 1- and 3-d input, else
    # 1), not the last axis, and its warning, which names the caller's line
    x = normal(tuple([2, 3, 4, 5][:ndim]), 7, scale=2.0)
    ours_fn, torch_fn = (F.log_softmax, TF.log_softmax) if log else (F.softmax, TF.softmax)
    with pytest.warns(UserWarning, match="Implicit dimension") as record:
        ours = ours_fn(Tensor(x))
    assert record[0].filename == __file__
    with pytest.warns(UserWarning):
        theirs = torch_fn(torch.tensor(x))
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("dtype", ["int64", "int32", "int8", "uint8"])
@pytest.mark.parametrize(
    "call",
    [
        lambda F, x: F.hardtanh(x),
        lambda F, x: F.hardtanh(x, -2, 4),
        lambda F, x: F.hardtanh(x, 0.0, 3.0),
        lambda F, x: F.relu6(x),
        lambda F, x: F.relu(x),
    ],
)
def test_clipping_integers_as_torch(call, dtype: str) -> None:
    """hardtanh/relu6/relu of an integer tensor: the same values and dtype as PyTorch's, or
    its error (an unsigned tensor with a negative lower limit)."""
    a = np.array([-3, -1, 0, 2, 5, 9])
    a = np.abs(a) if dtype == "uint8" else a
    outcomes = []
    for functional, make in ((torch.nn.functional, torch.tensor), (F, Tensor)):
        try:
            out = call(functional, make(a.astype(dtype)))
            outcomes.append((str(np.asarray(out).dtype), np.asarray(out).tolist()))
        except RuntimeError:
            outcomes.append(("RuntimeError",))
    assert outcomes[0] == outcomes[1]
