"""relu6, hardsigmoid, hardswish, logsigmoid, softsign, softmin, glu, celu, threshold,
softshrink, hardshrink, tanhshrink (functional and module forms), CosineSimilarity and
PairwiseDistance against torch: values, dtypes and gradients at random points, at the kinks
themselves and far out in the tails; module reprs."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import nn  # noqa: E402
import nn.functional as F  # noqa: E402
from autograd import Tensor, Value  # noqa: E402

from .oracle import compare, normal  # noqa: E402

TF = torch.nn.functional

# the kinks of every function below (0, +-0.5, +-1, +-3, 6, the thresholds used), points next
# to them, and the tails
KINKS = np.array(
    [0.0, -0.5, 0.5, -1.0, 1.0, -3.0, 3.0, 6.0, -0.25, 0.7, 2.9999, 3.0001, -2.9999, -3.0001]
)
TAILS = np.array([-20.0, 20.0, 40.0, -40.0, 1e3, -1e3, 5.9999, 6.0001])
X = np.concatenate([normal(40, 30, scale=3.0), KINKS, TAILS])

# name -> (ours, torch's)
FUNCTIONAL = {
    "relu6": (F.relu6, TF.relu6),
    "hardsigmoid": (F.hardsigmoid, TF.hardsigmoid),
    "hardswish": (F.hardswish, TF.hardswish),
    "logsigmoid": (F.logsigmoid, TF.logsigmoid),
    "softsign": (F.softsign, TF.softsign),
    "tanhshrink": (F.tanhshrink, TF.tanhshrink),
    "celu_default": (F.celu, TF.celu),
    "celu_alpha": (lambda x: F.celu(x, alpha=2.5), lambda x: TF.celu(x, alpha=2.5)),
    "celu_small_alpha": (lambda x: F.celu(x, 0.3), lambda x: TF.celu(x, 0.3)),
    "threshold": (lambda x: F.threshold(x, 0.5, -2.0), lambda x: TF.threshold(x, 0.5, -2.0)),
    "threshold_at_kink": (lambda x: F.threshold(x, 3.0, 3.0), lambda x: TF.threshold(x, 3.0, 3.0)),
    "softshrink_default": (F.softshrink, TF.softshrink),
    "softshrink_1": (lambda x: F.softshrink(x, 1.0), lambda x: TF.softshrink(x, 1.0)),
    "softshrink_0": (lambda x: F.softshrink(x, 0.0), lambda x: TF.softshrink(x, 0.0)),
    "hardshrink_default": (F.hardshrink, TF.hardshrink),
    "hardshrink_3": (lambda x: F.hardshrink(x, lambd=3.0), lambda x: TF.hardshrink(x, 3.0)),
    "relu6_inplace_false": (
        lambda x: F.relu6(x, inplace=False),
        lambda x: TF.relu6(x, inplace=False),
    ),
}

# Where PyTorch's float64 backward rounds a constant to float32, ours is exact, and the two
# differ by that rounding: hardsigmoid multiplies by float32's 1/6 (0.1666666716...), celu
# by 1 / float32(alpha) (exact for alpha = 1 and 2.5, not for 0.3)
GRAD_RTOL = {"hardsigmoid": 1e-7, "celu_small_alpha": 1e-6}


@pytest.mark.parametrize("name", list(FUNCTIONAL))
def test_functional_float64(name):
    ours, theirs = FUNCTIONAL[name]
    rtol = GRAD_RTOL.get(name, 1e-10)
    compare(ours, theirs, [X], rtol=rtol)
    compare(ours, theirs, [normal((3, 4, 2), 31, scale=4.0)], rtol=rtol)
    compare(ours, theirs, [np.array(-0.5)], rtol=rtol)


@pytest.mark.parametrize("name", list(FUNCTIONAL))
def test_functional_float32_stays_float32(name):
    ours, theirs = FUNCTIONAL[name]
    compare(ours, theirs, [X.astype(np.float32)], rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name", list(FUNCTIONAL))
def test_values_match_torch(name):
    ours, theirs = FUNCTIONAL[name]
    for x in (-40.0, -3.0, -1.0, -0.5, 0.0, 0.3, 0.5, 3.0, 6.0, 25.0):
        v = Value(x)
        out = ours(v)
        out.backward()
        t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
        ref = theirs(t)
        ref.backward()
        assert isinstance(out, Value)
        assert out.data == pytest.approx(ref.item(), rel=1e-12, abs=1e-15), x
        assert v.grad == pytest.approx(t.grad.item(), rel=GRAD_RTOL.get(name, 1e-12)), x


@pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")
def test_nan_passes_through_as_in_torch():
    x = np.array([np.nan, 1.0])
    for name, (ours, theirs) in FUNCTIONAL.items():
        out = ours(Tensor(x)).data
        ref = theirs(torch.tensor(x)).numpy()
        np.testing.assert_array_equal(np.isnan(out), np.isnan(ref), err_msg=name)


# softsign is nan at +-inf in both (inf / inf, PyTorch's formula)
@pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")
@pytest.mark.parametrize("name", ["relu6", "hardsigmoid", "logsigmoid", "softsign", "celu_alpha"])
def test_infinities(name):
    ours, theirs = FUNCTIONAL[name]
    compare(ours, theirs, [np.array([-np.inf, np.inf, 0.0])], rtol=GRAD_RTOL.get(name, 1e-10))


def test_hardswish_infinities_give_finite_gradients():
    # +inf: torch's value and gradient; -inf: torch's formula gives nan (-inf * 0), ours 0
    x = Tensor(np.array([-np.inf, np.inf]), requires_grad=True)
    y = F.hardswish(x)
    y.sum().backward()
    np.testing.assert_array_equal(y.data, [0.0, np.inf])
    np.testing.assert_array_equal(x.grad, [0.0, 1.0])
    tx = torch.tensor([np.inf], dtype=torch.float64, requires_grad=True)
    TF.hardswish(tx).sum().backward()
    assert tx.grad.item() == 1.0


def test_celu_negative_alpha():
    x = normal(30, 32, scale=2.0)
    compare(lambda t: F.celu(t, -1.5), lambda t: TF.celu(t, -1.5), [x])


@pytest.mark.parametrize("dim", [0, 1, 2, -1])
def test_softmin_along_dims(dim):
    x = normal((3, 4, 5), 33, scale=3.0)
    x[0, 0, 0] = -900.0  # the largest exponent after negation: the shift keeps it finite
    compare(lambda t: F.softmin(t, dim), lambda t: TF.softmin(t, dim), [x])
    compare(lambda t: F.softmin(t, dim=dim), lambda t: TF.softmin(t, dim=dim), [x])
    compare(nn.Softmin(dim), torch.nn.Softmin(dim), [x])


@pytest.mark.parametrize("shape", [(), (5,), (3, 4), (2, 3, 4), (2, 3, 2, 2)])
def test_softmin_implicit_dim_is_torchs(shape):
    x = normal(shape, 34)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        compare(F.softmin, TF.softmin, [x])
        compare(nn.Softmin(), torch.nn.Softmin(), [x])
    with pytest.warns(UserWarning, match="Implicit dimension choice for softmin"):
        F.softmin(Tensor(x))


def test_softmin_dtype_casts_first():
    x = normal((3, 4), 35).astype(np.float32)
    compare(
        lambda t: F.softmin(t, 1, dtype=np.float64),
        lambda t: TF.softmin(t, 1, dtype=torch.float64),
        [x],
    )


def test_softmin_float32():
    x = normal((4, 6), 36, scale=5.0).astype(np.float32)
    compare(lambda t: F.softmin(t, 1), lambda t: TF.softmin(t, 1), [x], rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("dim", [0, 1, 2, -1, -2])
def test_glu_along_dims(dim):
    x = normal((4, 6, 2), 37, scale=3.0)
    compare(lambda t: F.glu(t, dim), lambda t: TF.glu(t, dim), [x])
    compare(nn.GLU(dim), torch.nn.GLU(dim), [x])


def test_glu_default_is_last_axis_and_float32():
    x = normal((3, 8), 38, scale=3.0)
    compare(F.glu, TF.glu, [x])
    compare(F.glu, TF.glu, [x.astype(np.float32)], rtol=1e-5, atol=1e-6)
    compare(nn.GLU(), torch.nn.GLU(), [np.array([1e3, -1e3, -1e3, 1e3])])


@pytest.mark.parametrize("dim,eps", [(1, 1e-8), (0, 1e-3), (-1, 1e-8)])
def test_cosine_similarity_module(dim, eps):
    a, b = normal((4, 5), 39), normal((4, 5), 40)
    b[0] = 0.0  # a zero vector: eps takes over
    compare(nn.CosineSimilarity(dim, eps), torch.nn.CosineSimilarity(dim, eps), [a, b])
    compare(nn.CosineSimilarity(dim=dim, eps=eps), torch.nn.CosineSimilarity(dim, eps), [a, b])


@pytest.mark.parametrize(
    "p,eps,keepdim", [(2.0, 1e-6, False), (1.0, 0.0, True), (3.0, 1e-3, False)]
)
def test_pairwise_distance_module(p, eps, keepdim):
    a, b = normal((4, 5), 41), normal((4, 5), 42)
    compare(
        nn.PairwiseDistance(p, eps, keepdim), torch.nn.PairwiseDistance(p, eps, keepdim), [a, b]
    )


MODULES = [
    ("ReLU6", (), {}),
    ("ReLU6", (True,), {}),
    ("Hardsigmoid", (), {}),
    ("Hardsigmoid", (), {"inplace": True}),
    ("Hardswish", (), {}),
    ("Hardswish", (True,), {}),
    ("LogSigmoid", (), {}),
    ("Softsign", (), {}),
    ("Tanhshrink", (), {}),
    ("CELU", (), {}),
    ("CELU", (2,), {"inplace": True}),
    ("CELU", (0.5,), {}),
    ("Threshold", (0.1, 20), {}),
    ("Threshold", (0.5, -2.0, True), {}),
    ("Softshrink", (), {}),
    ("Softshrink", (1,), {}),
    ("Hardshrink", (), {}),
    ("Hardshrink", (), {"lambd": 2.0}),
    ("Softmin", (), {}),
    ("Softmin", (1,), {}),
    ("Softmin", (), {"dim": -1}),
    ("GLU", (), {}),
    ("GLU", (0,), {}),
    ("CosineSimilarity", (), {}),
    ("CosineSimilarity", (0, 1e-3), {}),
    ("PairwiseDistance", (), {}),
    ("PairwiseDistance", (1.0, 0.0, True), {}),
]
MODULE_IDS = [f"{m[0]}{m[1]}{m[2]}" for m in MODULES]


@pytest.mark.parametrize("name, args, kwargs", MODULES, ids=MODULE_IDS)
def test_module_repr_equals_torchs(name, args, kwargs):
    assert repr(getattr(nn, name)(*args, **kwargs)) == repr(
        getattr(torch.nn, name)(*args, **kwargs)
    )


ELEMENTWISE_MODULES = [
    m for m in MODULES if m[0] not in ("Softmin", "GLU", "CosineSimilarity", "PairwiseDistance")
]


@pytest.mark.parametrize(
    "name, args, kwargs",
    ELEMENTWISE_MODULES,
    ids=[f"{m[0]}{m[1]}{m[2]}" for m in ELEMENTWISE_MODULES],
)
def test_elementwise_modules(name, args, kwargs):
    theirs = getattr(torch.nn, name)(*args, **kwargs)
    rtol = 1e-7 if name == "Hardsigmoid" else 1e-10
    ours = getattr(nn, name)(*args, **kwargs)
    # in-place forms may not write into a leaf that requires grad (either library): a copy
    compare(lambda t: ours(t.clone()), lambda t: theirs(t.clone()), [X], rtol=rtol)


def test_relu6_is_a_hardtanh_as_in_torch():
    m, t = nn.ReLU6(), torch.nn.ReLU6()
    assert isinstance(m, nn.Hardtanh) and isinstance(t, torch.nn.Hardtanh)
    assert (m.min_val, m.max_val, m.inplace) == (t.min_val, t.max_val, t.inplace)
