"""nn against torch.nn: Linear (init distribution, forward/backward with torch's weights),
Dropout (statistical), nn.init (gains exactly, spreads and bounds), state_dict keys."""

from __future__ import annotations

import math

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import autograd  # noqa: E402
import nn  # noqa: E402
import nn.functional as F  # noqa: E402
from autograd import Tensor  # noqa: E402

from .oracle import compare, normal  # noqa: E402

# --- Linear -------------------------------------------------------------------------------


def test_linear_default_init_has_torchs_bounds_and_spread():
    autograd.manual_seed(0)
    torch.manual_seed(0)
    ours = nn.Linear(50, 400)
    theirs = torch.nn.Linear(50, 400)
    bound = 1 / math.sqrt(50)
    for name in ("weight", "bias"):
        w = getattr(ours, name).data
        t = getattr(theirs, name).detach().numpy()
        assert w.shape == t.shape and w.dtype == t.dtype == np.float32
        assert np.abs(w).max() <= bound and np.abs(t).max() <= bound
        spread = 0.1 if name == "bias" else 0.02  # 400 vs 20000 draws
        assert w.std() == pytest.approx(bound / math.sqrt(3), rel=spread)
        assert w.std() == pytest.approx(t.std(), rel=2 * spread)
        assert abs(w.mean()) < 3 * bound / math.sqrt(3 * w.size)
    assert np.abs(ours.weight.data).max() > 0.98 * bound


@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("x_shape", [(5, 3), (3,), (2, 4, 3)], ids=str)
def test_linear_forward_backward_with_the_same_weights(bias, x_shape):
    theirs = torch.nn.Linear(3, 4, bias=bias, dtype=torch.float64)
    ours = nn.Linear(3, 4, bias=bias, dtype=np.float64)
    ours.load_state_dict({k: v.detach().numpy() for k, v in theirs.state_dict().items()})
    compare(ours, theirs, [normal(x_shape, 70)])
    x = normal(x_shape, 71)
    up = normal(x_shape[:-1] + (4,), 72)
    ours(Tensor(x)).backward(up)
    theirs(torch.tensor(x)).backward(torch.tensor(up))
    for (name, p), (t_name, tp) in zip(ours.named_parameters(), theirs.named_parameters()):
        assert name == t_name
        np.testing.assert_allclose(p.grad, tp.grad.numpy(), rtol=1e-12, atol=1e-14)


def test_mlp_with_torchs_weights_matches_forward_and_every_gradient():
    arch = [(4, 16), (16, 8), (8, 3)]
    t_layers: list = []
    o_layers: list = []
    for a, b in arch:
        t_layers += [torch.nn.Linear(a, b, dtype=torch.float64), torch.nn.Tanh()]
        o_layers += [nn.Linear(a, b, dtype=np.float64), nn.Tanh()]
    theirs, ours = torch.nn.Sequential(*t_layers[:-1]), nn.Sequential(*o_layers[:-1])
    ours.load_state_dict({k: v.detach().numpy() for k, v in theirs.state_dict().items()})
    x, y = normal((10, 4), 73), np.arange(10) % 3
    loss = F.cross_entropy(ours(Tensor(x)), y)
    loss.backward()
    t_loss = torch.nn.functional.cross_entropy(theirs(torch.tensor(x)), torch.tensor(y))
    t_loss.backward()
    assert loss.item() == pytest.approx(t_loss.item(), rel=1e-12)
    t_params = dict(theirs.named_parameters())
    for name, p in ours.named_parameters():
        np.testing.assert_allclose(p.grad, t_params[name].grad.numpy(), rtol=1e-10, atol=1e-14)


# --- Dropout ------------------------------------------------------------------------------


@pytest.mark.parametrize("p", [0.2, 0.5, 0.8])
def test_dropout_training_statistics(p):
    autograd.manual_seed(1)
    x = np.ones((200, 100))
    xt = Tensor(x, requires_grad=True)
    layer = nn.Dropout(p)
    out = layer(xt)
    out.backward(np.full(x.shape, 2.0))
    kept = out.data != 0
    # like torch: survivors are scaled by 1 / (1 - p), the rest are zeros
    np.testing.assert_allclose(out.data[kept], 1 / (1 - p))
    assert kept.mean() == pytest.approx(1 - p, abs=4 * math.sqrt(p * (1 - p) / x.size))
    # the gradient uses the same mask and scale
    np.testing.assert_allclose(xt.grad, np.where(kept, 2 / (1 - p), 0.0))
    t_out = torch.nn.Dropout(p)(torch.tensor(x))
    t_kept = (t_out != 0).numpy()
    np.testing.assert_allclose(t_out.numpy()[t_kept], 1 / (1 - p))
    assert kept.mean() == pytest.approx(t_kept.mean(), abs=8 * math.sqrt(p * (1 - p) / x.size))


def test_dropout_eval_and_edge_probabilities_as_torch():
    x = normal((4, 5), 74)
    layer, t_layer = nn.Dropout(0.5), torch.nn.Dropout(0.5)
    layer.eval()
    t_layer.eval()
    np.testing.assert_array_equal(layer(Tensor(x)).data, t_layer(torch.tensor(x)).numpy())
    np.testing.assert_array_equal(layer(Tensor(x)).data, x)
    for p in (0.0, 1.0):
        ours = F.dropout(Tensor(x), p)  # training=True by default, as torch's functional
        theirs = torch.nn.functional.dropout(torch.tensor(x), p)
        np.testing.assert_array_equal(ours.data, theirs.numpy())
    np.testing.assert_array_equal(F.dropout(Tensor(x), 0.5, training=False).data, x)
    assert nn.Dropout().p == torch.nn.Dropout().p == 0.5


def test_dropout_bad_probability_raises_like_torch():
    for p in (-0.1, 1.5):
        with pytest.raises(ValueError):
            torch.nn.Dropout(p)
        with pytest.raises(ValueError, match="p"):
            nn.Dropout(p)


# --- init ---------------------------------------------------------------------------------

GAINS = [
    ("linear", None),
    ("conv1d", None),
    ("conv2d", None),
    ("conv3d", None),
    ("conv_transpose1d", None),
    ("conv_transpose2d", None),
    ("conv_transpose3d", None),
    ("sigmoid", None),
    ("tanh", None),
    ("relu", None),
    ("leaky_relu", None),
    ("leaky_relu", 0.2),
    ("leaky_relu", 0),
    ("leaky_relu", math.sqrt(5)),
    ("selu", None),
]


@pytest.mark.parametrize("nonlinearity, param", GAINS, ids=str)
def test_calculate_gain_equals_torchs_exactly(nonlinearity, param):
    assert nn.init.calculate_gain(nonlinearity, param) == torch.nn.init.calculate_gain(
        nonlinearity, param
    )


def test_calculate_gain_rejects_what_torch_rejects():
    with pytest.raises(ValueError):
        torch.nn.init.calculate_gain("softmax")
    with pytest.raises(ValueError, match="softmax"):
        nn.init.calculate_gain("softmax")


SHAPES = [(300, 200), (64, 32, 3, 3), (40, 600)]


def _std(fan_in: int, fan_out: int, name: str, kw: dict) -> tuple[float, bool]:
    """torch's documented std of each initialiser, and whether it is uniform."""
    if name.startswith("xavier"):
        s = kw.get("gain", 1.0) * math.sqrt(2 / (fan_in + fan_out))
    else:
        fan = fan_out if kw.get("mode") == "fan_out" else fan_in
        s = torch.nn.init.calculate_gain(
            kw.get("nonlinearity", "leaky_relu"), kw.get("a", 0)
        ) / math.sqrt(fan)
    return s, name.endswith("uniform_")


INITS = [
    ("xavier_uniform_", {}),
    ("xavier_uniform_", {"gain": 5 / 3}),
    ("xavier_normal_", {}),
    ("xavier_normal_", {"gain": 0.5}),
    ("kaiming_uniform_", {}),
    ("kaiming_uniform_", {"a": math.sqrt(5)}),
    ("kaiming_uniform_", {"mode": "fan_out", "nonlinearity": "relu"}),
    ("kaiming_normal_", {}),
    ("kaiming_normal_", {"a": 0.1, "mode": "fan_out"}),
    ("kaiming_normal_", {"nonlinearity": "tanh"}),
]


@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("name, kw", INITS, ids=[f"{n}{k}" for n, k in INITS])
def test_init_spread_and_bounds_follow_torchs_formulas(name, kw, shape):
    autograd.manual_seed(2)
    torch.manual_seed(2)
    w = getattr(nn.init, name)(Tensor(np.zeros(shape), requires_grad=True), **kw)
    t = getattr(torch.nn.init, name)(torch.zeros(shape, dtype=torch.float64), **kw).numpy()
    rf = int(np.prod(shape[2:]))
    std, uniform = _std(shape[1] * rf, shape[0] * rf, name, kw)
    tol = 4 / math.sqrt(2 * w.data.size)  # the sample std's relative spread, 4 sigma
    assert w.data.std() == pytest.approx(std, rel=tol)
    assert t.std() == pytest.approx(std, rel=tol)
    assert w.data.dtype == np.float64 and w.grad is None
    if uniform:
        bound = math.sqrt(3) * std
        assert np.abs(w.data).max() <= bound * (1 + 1e-12)
        assert np.abs(w.data).max() > 0.99 * bound
        assert np.abs(t).max() <= bound * (1 + 1e-12)


@pytest.mark.parametrize(
    "name, args, mean, std",
    [
        ("uniform_", (), 0.5, math.sqrt(1 / 12)),
        ("uniform_", (-2.0, 4.0), 1.0, 6 / math.sqrt(12)),
        ("normal_", (), 0.0, 1.0),
        ("normal_", (3.0, 0.2), 3.0, 0.2),
    ],
    ids=str,
)
def test_uniform_normal_defaults_are_torchs(name, args, mean, std):
    autograd.manual_seed(3)
    w = getattr(nn.init, name)(Tensor(np.zeros((200, 100))), *args).data
    t = getattr(torch.nn.init, name)(torch.zeros((200, 100), dtype=torch.float64), *args).numpy()
    for sample in (w, t):
        assert sample.mean() == pytest.approx(mean, abs=5 * std / math.sqrt(sample.size))
        assert sample.std() == pytest.approx(std, rel=0.02)
    if name == "uniform_":
        lo, hi = args or (0.0, 1.0)
        assert lo <= w.min() and w.max() <= hi


def test_constant_ones_zeros_as_torch():
    for name, args in (("constant_", (0.3,)), ("ones_", ()), ("zeros_", ())):
        w = getattr(nn.init, name)(Tensor(np.full((3, 2), 7.0)), *args)
        t = getattr(torch.nn.init, name)(torch.full((3, 2), 7.0, dtype=torch.float64), *args)
        np.testing.assert_array_equal(w.data, t.numpy())


def test_fans_need_two_dimensions_as_in_torch():
    with pytest.raises(ValueError):
        torch.nn.init.xavier_uniform_(torch.zeros(5))
    with pytest.raises(ValueError):
        nn.init.xavier_uniform_(Tensor(np.zeros(5)))


# --- state_dict keys ----------------------------------------------------------------------


def _pair(lib):
    m = torch.nn if lib is torch else nn
    inner = m.Sequential(m.Linear(4, 4), m.Tanh(), m.Linear(4, 4, bias=False))
    return m.Sequential(
        m.Linear(3, 4),
        m.ReLU(),
        m.Dropout(0.1),
        inner,
        m.PReLU(4),
        m.Linear(4, 2),
        m.LogSoftmax(dim=1),
    )


def test_sequential_state_dict_keys_shapes_and_order_equal_torchs():
    ours, theirs = _pair(nn), _pair(torch)
    o_state, t_state = ours.state_dict(), theirs.state_dict()
    assert list(o_state) == list(t_state)
    for key in o_state:
        assert o_state[key].shape == tuple(t_state[key].shape), key
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    assert len(list(ours.modules())) == len(list(theirs.modules()))
    assert len(list(ours.children())) == len(list(theirs.children()))


def test_loss_weight_is_a_buffer_in_state_dict_as_torch():
    w = np.array([1.0, 2.0, 0.5])
    ours = nn.CrossEntropyLoss(weight=w).state_dict()
    theirs = torch.nn.CrossEntropyLoss(weight=torch.tensor(w)).state_dict()
    assert list(ours) == list(theirs)
    np.testing.assert_array_equal(ours["weight"], theirs["weight"].numpy())


def test_train_eval_flags_propagate_as_torch():
    ours, theirs = _pair(nn), _pair(torch)
    for model in (ours, theirs):
        assert model.training
        model.eval()
    assert [m.training for m in ours.modules()] == [m.training for m in theirs.modules()]
    ours.train()
    theirs.train()
    assert all(m.training for m in ours.modules())


def test_deterministic_inits_match_torch():
    import nn.init as ours

    for shape, groups in (((4, 2, 3, 3), 2), ((3, 3, 5), 1), ((2, 4, 3, 3, 3), 1)):
        a, b = np.empty(shape, np.float32), torch.empty(shape)
        ours.dirac_(a, groups=groups)
        torch.nn.init.dirac_(b, groups=groups)
        np.testing.assert_array_equal(a, b.numpy())
    a, b = np.empty((3, 5), np.float32), torch.empty(3, 5)
    np.testing.assert_array_equal(ours.eye_(a), torch.nn.init.eye_(b).numpy())


@pytest.mark.parametrize(
    "name", ["uniform", "normal", "constant", "eye", "dirac", "xavier_uniform", "xavier_normal",
             "kaiming_uniform", "kaiming_normal", "orthogonal", "sparse"],
)  # fmt: skip
def test_deprecated_init_names_warn_as_torch(name):
    shape = (2, 2, 3) if name == "dirac" else (2, 3)
    args = {"constant": (0.5,), "sparse": (0.5,)}.get(name, ())
    caught = []
    for lib, t in ((torch.nn.init, torch.empty(shape)), (nn.init, autograd.empty(*shape))):
        with pytest.warns(FutureWarning) as record:
            assert getattr(lib, name)(t, *args) is t
        caught.append(str(record[0].message).replace("torch.nn", "nn"))
    assert caught[0] == caught[1]


def test_trunc_normal_far_from_the_mean_fills_as_torch():
    for lib, t in ((torch.nn.init, torch.empty(500)), (nn.init, autograd.empty(500))):
        with pytest.warns(UserWarning, match="mean is more than 2 std"):
            lib.trunc_normal_(t, mean=0.0, std=1.0, a=5.0, b=6.0)
        values = t.numpy() if isinstance(t, torch.Tensor) else t.data
        assert values.min() >= 5.0 and values.max() <= 6.0
        assert 5.1 < values.mean() < 5.3  # E = 5.186 for N(0, 1) on [5, 6]


@pytest.mark.parametrize("affine", [True, False])
def test_batch_norm_without_bias_matches_torch(affine):
    ours, theirs = (
        nn.BatchNorm1d(3, affine=affine, bias=False),
        torch.nn.BatchNorm1d(3, affine=affine, bias=False),
    )
    assert repr(ours) == repr(theirs)
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    x = np.random.default_rng(0).normal(size=(5, 3)).astype(np.float32)
    a, b = Tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    ya, yb = ours(a), theirs(b)
    np.testing.assert_allclose(ya.data, yb.detach().numpy(), rtol=1e-5, atol=1e-6)
    (ya * ya.detach()).sum().backward()
    (yb * yb.detach()).sum().backward()
    np.testing.assert_allclose(a.grad.data, b.grad.numpy(), rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("input_requires_grad", [False, True])
def test_full_backward_hook_matches_torch(input_requires_grad):
    import warnings

    torch.manual_seed(0)
    theirs = torch.nn.Sequential(torch.nn.Conv2d(2, 3, 3), torch.nn.ReLU(), torch.nn.Flatten(),
                                 torch.nn.Linear(48, 2)).double()  # fmt: skip
    ours = nn.Sequential(nn.Conv2d(2, 3, 3), nn.ReLU(), nn.Flatten(), nn.Linear(48, 2))
    ours.load_state_dict({k: v.detach().numpy() for k, v in theirs.state_dict().items()})
    ours.double()
    x = np.random.default_rng(0).normal(size=(2, 2, 6, 6))
    results = []
    for model, make in ((ours, Tensor), (theirs, torch.tensor)):
        seen = {}

        def hook(module, grad_input, grad_output, seen=seen, torch_side=model is theirs):
            g = grad_output[0]
            seen["out"] = g.detach().numpy() if torch_side else g.data.copy()
            seen["in"] = grad_input[0] is None
            return None if grad_input[0] is None else (grad_input[0] * 2,)

        model[0].register_full_backward_hook(hook)
        inp = make(x.copy(), requires_grad=input_requires_grad)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model(inp).sum().backward()
        grad = (
            None
            if not input_requires_grad
            else (inp.grad.detach().numpy() if model is theirs else inp.grad.data)
        )
        results.append((seen, grad))
    (a, ga), (b, gb) = results
    np.testing.assert_allclose(a["out"], b["out"], rtol=1e-10)
    assert a["in"] == b["in"]
    if input_requires_grad:
        np.testing.assert_allclose(ga, gb, rtol=1e-10)
