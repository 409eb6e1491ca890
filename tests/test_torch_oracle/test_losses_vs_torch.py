"""Every loss, as a function and as a module, for every reduction, against torch: the value
and the gradients of the input and (where torch gives one) the target. Losses torch lacks
(hinge, log-cosh, contrastive, squared triplet) are compared with their formulas in torch."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import nn  # noqa: E402
import nn.functional as F  # noqa: E402
from autograd import Tensor  # noqa: E402

from .oracle import compare, normal, to_torch  # noqa: E402

TF = torch.nn.functional
REDUCTIONS = ("mean", "sum", "none")
rng = np.random.default_rng(7)


def _torch_kwargs(kwargs: dict) -> dict:
    return {k: to_torch(v) for k, v in kwargs.items()}


def both_forms(
    fn: str,
    module: str,
    arrays: list,
    grads: list[bool],
    kwargs: dict,
    *,
    torch_fn: Any = None,
    torch_module: Any = None,
    rtol: float = 1e-10,
) -> None:
    """The functional and the module form agree with torch's (the module built from kwargs)."""
    t_kwargs = _torch_kwargs(kwargs)
    theirs = torch_fn or getattr(TF, fn)
    compare(
        lambda *a: getattr(F, fn)(*a, **kwargs),
        lambda *a: theirs(*a, **t_kwargs),
        arrays,
        grads,
        rtol=rtol,
    )
    t_mod = (torch_module or getattr(torch.nn, module))(**t_kwargs)
    compare(getattr(nn, module)(**kwargs), t_mod, arrays, grads, rtol=rtol)


# --- regression ---------------------------------------------------------------------------

X = normal((6, 4), 30, scale=2.0)
Y = normal((6, 4), 31, scale=2.0)

REGRESSION = [
    ("l1_loss", "L1Loss", {}),
    ("mse_loss", "MSELoss", {}),
    ("huber_loss", "HuberLoss", {}),
    ("huber_loss", "HuberLoss", {"delta": 0.6}),
    ("huber_loss", "HuberLoss", {"delta": 3.0}),
    ("smooth_l1_loss", "SmoothL1Loss", {}),
    ("smooth_l1_loss", "SmoothL1Loss", {"beta": 0.6}),
    ("smooth_l1_loss", "SmoothL1Loss", {"beta": 0.0}),
]


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("fn, module, kwargs", REGRESSION, ids=str)
def test_regression(fn, module, kwargs, reduction):
    both_forms(fn, module, [X, Y], [True, True], {**kwargs, "reduction": reduction})
    both_forms(fn, module, [X[0], Y[0]], [True, False], {**kwargs, "reduction": reduction})


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_log_cosh_is_the_formula(reduction):
    def formula(x, y):
        out = torch.log(torch.cosh(x - y))
        return {"mean": out.mean(), "sum": out.sum(), "none": out}[reduction]

    kw = {"reduction": reduction}
    compare(lambda x, y: F.log_cosh_loss(x, y, **kw), formula, [X, Y])
    compare(nn.LogCoshLoss(**kw), formula, [X, Y])


# --- binary -------------------------------------------------------------------------------

P = rng.uniform(0.02, 0.98, size=(6, 4))
T01 = rng.uniform(0, 1, size=(6, 4))
LABELS01 = (rng.uniform(size=(6, 4)) > 0.5).astype(np.float64)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weight", [None, "row", "full"])
@pytest.mark.parametrize("target", ["soft", "hard"])
def test_binary_cross_entropy(reduction, weight, target):
    w = {None: None, "row": rng.uniform(0.5, 2, 4), "full": rng.uniform(0.5, 2, (6, 4))}[weight]
    y = T01 if target == "soft" else LABELS01
    both_forms(
        "binary_cross_entropy",
        "BCELoss",
        [P, y],
        [True, True],
        {"weight": w, "reduction": reduction},
    )


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_binary_cross_entropy_near_0_and_1_with_the_log_clamp(reduction):
    # the log clamp at -100 (PyTorch's) is reached below p = e^-100 ~ 3.7e-44
    p = np.array([1e-10, 1e-8, 1 - 1e-10, 1 - 1e-8, 0.0, 1.0, 1e-50, 1e-300, 0.5])
    y = np.array([0.0, 1.0, 1.0, 0.0, 1.0, 0.0, 0.3, 1.0, 0.5])
    # input gradient only: at clamped points torch's d/dtarget is its unclamped -logit(p)
    both_forms(
        "binary_cross_entropy",
        "BCELoss",
        [p, y],
        [True, False],
        {"reduction": reduction},
        rtol=1e-8,
    )  # torch's 1e-12 floor of p(1-p) is float32
    yt = Tensor(y[:4], requires_grad=True)
    F.binary_cross_entropy(Tensor(p[:4]), yt, reduction="sum").backward()
    np.testing.assert_allclose(yt.grad, np.log1p(-p[:4]) - np.log(p[:4]), rtol=1e-8)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize(
    "shape, pw_shape, w_shape",
    [
        ((6, 4), (4,), None),
        ((6, 4), (4,), (6, 4)),
        ((6, 4), None, (4,)),
        ((2, 3, 5), (3, 1), (5,)),
        ((5,), (), None),
        ((6, 4), (1,), (6, 1)),
    ],
    ids=str,
)
def test_binary_cross_entropy_with_logits(reduction, shape, pw_shape, w_shape):
    z = normal(shape, 32, scale=3.0)
    z.flat[0], z.flat[-1] = 800.0, -900.0
    y = rng.uniform(0, 1, size=shape)
    kw = {
        "weight": None if w_shape is None else rng.uniform(0.5, 2, w_shape),
        "pos_weight": None if pw_shape is None else rng.uniform(0.3, 3, pw_shape),
        "reduction": reduction,
    }
    both_forms("binary_cross_entropy_with_logits", "BCEWithLogitsLoss", [z, y], [True, True], kw)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("margin", [1.0, 0.5])
def test_hinge_is_the_formula(reduction, margin):
    # torch's hinge_embedding_loss is another loss; API.md's is mean(max(0, margin - t x))
    t = np.where(rng.uniform(size=(6, 4)) > 0.5, 1.0, -1.0)

    def formula(x):
        out = torch.clamp(margin - torch.tensor(t) * x, min=0)
        return {"mean": out.mean(), "sum": out.sum(), "none": out}[reduction]

    kw = {"margin": margin, "reduction": reduction}
    compare(lambda x: F.hinge_loss(x, t, **kw), formula, [X])
    compare(lambda x: nn.HingeLoss(**kw)(x, t), formula, [X])


# --- classification -----------------------------------------------------------------------

INDEX_SHAPES = [(5,), (6, 5), (3, 5, 2, 3), (4, 5, 3)]


def _indices(shape: tuple, ignore: int | None) -> np.ndarray:
    axis = 0 if len(shape) == 1 else 1
    t = rng.integers(0, shape[axis], size=shape[:axis] + shape[axis + 1 :])
    if ignore is not None and t.ndim:
        t.flat[1::3] = ignore
    return t


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("shape", INDEX_SHAPES, ids=str)
@pytest.mark.parametrize("smoothing", [0.0, 0.2])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("ignore", [None, 2, -100])
def test_cross_entropy_class_indices(reduction, shape, smoothing, weighted, ignore):
    z = normal(shape, 33, scale=3.0)
    t = _indices(shape, ignore)
    kw: dict = {"reduction": reduction, "label_smoothing": smoothing}
    if weighted:
        kw["weight"] = rng.uniform(0.5, 2, 5)
    if ignore is not None:
        kw["ignore_index"] = ignore
    both_forms("cross_entropy", "CrossEntropyLoss", [z, t], [True, False], kw)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("shape", [(5,), (6, 5), (3, 5, 2, 3)], ids=str)
@pytest.mark.parametrize("smoothing", [0.0, 0.3])
@pytest.mark.parametrize("weighted", [False, True])
def test_cross_entropy_probabilities(reduction, shape, smoothing, weighted):
    z = normal(shape, 34, scale=3.0)
    axis = 0 if len(shape) == 1 else 1
    q = np.moveaxis(rng.dirichlet(np.ones(5), size=shape[:axis] + shape[axis + 1 :]), -1, axis)
    kw: dict = {"reduction": reduction, "label_smoothing": smoothing}
    if weighted:
        kw["weight"] = rng.uniform(0.5, 2, 5)
    both_forms("cross_entropy", "CrossEntropyLoss", [z, q], [True, True], kw)


def test_cross_entropy_extreme_logits_stay_finite():
    z = np.array([[1000.0, -1000.0, 0.0], [-1e4, 1e4, 5.0]])
    compare(
        lambda x: F.cross_entropy(x, np.array([1, 0])),
        lambda x: TF.cross_entropy(x, torch.tensor([1, 0])),
        [z],
    )


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("shape", INDEX_SHAPES, ids=str)
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("ignore", [None, 0, -100])
def test_nll_loss(reduction, shape, weighted, ignore):
    axis = 0 if len(shape) == 1 else 1
    logp = torch.log_softmax(torch.tensor(normal(shape, 35, scale=2.0)), dim=axis).numpy()
    t = _indices(shape, ignore)
    kw: dict = {"reduction": reduction}
    if weighted:
        kw["weight"] = rng.uniform(0.5, 2, 5)
    if ignore is not None:
        kw["ignore_index"] = ignore
    both_forms("nll_loss", "NLLLoss", [logp, t], [True, False], kw)


@pytest.mark.filterwarnings("ignore:reduction. 'mean' divides")  # torch's advice, not ours
@pytest.mark.parametrize("reduction", ["mean", "batchmean", "sum", "none"])
@pytest.mark.parametrize("log_target", [False, True])
@pytest.mark.parametrize("shape", [(3, 4), (2, 3, 4)], ids=str)
def test_kl_div(reduction, log_target, shape):
    x = np.log(rng.dirichlet(np.ones(shape[-1]), size=shape[:-1]))
    t = rng.dirichlet(np.ones(shape[-1]), size=shape[:-1])
    if log_target:
        t = np.log(t)
    kw = {"reduction": reduction, "log_target": log_target}
    both_forms("kl_div", "KLDivLoss", [x, t], [True, True], kw)


# --- ranking and embedding ----------------------------------------------------------------


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("margin", [0.0, 0.4])
def test_margin_ranking(reduction, margin):
    y = np.where(rng.uniform(size=9) > 0.5, 1.0, -1.0)
    a, b = normal(9, 36), normal(9, 37)
    kw = {"margin": margin, "reduction": reduction}
    both_forms("margin_ranking_loss", "MarginRankingLoss", [a, b, y], [True, True, True], kw)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize(
    "p, eps, swap",
    [
        (2, 1e-6, False),
        (2, 1e-6, True),
        (1, 1e-3, False),
        (3, 0.0, True),
        (1.5, 1e-6, False),
        (float("inf"), 1e-6, False),
    ],
    ids=str,
)
@pytest.mark.parametrize("shape", [(7, 3), (3,)], ids=str)
def test_triplet_margin(reduction, p, eps, swap, shape):
    a, pos, neg = (normal(shape, s) for s in (38, 39, 40))
    kw = {"margin": 0.8, "p": p, "eps": eps, "swap": swap, "reduction": reduction}
    both_forms("triplet_margin_loss", "TripletMarginLoss", [a, pos, neg], [True] * 3, kw)


def test_triplet_margin_defaults():
    a, pos, neg = (normal((5, 3), s) for s in (41, 42, 43))
    both_forms("triplet_margin_loss", "TripletMarginLoss", [a, pos, neg], [True] * 3, {})


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_triplet_squared_is_the_notes_formula(reduction):
    # squared=True is beyond PyTorch: max(0, ||a - p||^2 - ||a - n||^2 + margin), no eps
    a, pos, neg = (normal((7, 3), s) for s in (44, 45, 46))

    def formula(a, p, n):
        out = torch.clamp(((a - p) ** 2).sum(-1) - ((a - n) ** 2).sum(-1) + 2.0, min=0)
        return {"mean": out.mean(), "sum": out.sum(), "none": out}[reduction]

    kw = {"margin": 2.0, "reduction": reduction, "squared": True}
    compare(lambda *t: F.triplet_margin_loss(*t, **kw), formula, [a, pos, neg])
    compare(nn.TripletMarginLoss(**kw), formula, [a, pos, neg])


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("margin", [0.0, 0.3, -0.5])
@pytest.mark.parametrize("shape", [(8, 3), (3,)], ids=str)
def test_cosine_embedding(reduction, margin, shape):
    a, b = normal(shape, 47), normal(shape, 48)
    y = np.where(rng.uniform(size=shape[:-1]) > 0.5, 1.0, -1.0)
    if y.ndim:
        y[:2] = [1.0, -1.0]
    kw = {"margin": margin, "reduction": reduction}
    both_forms("cosine_embedding_loss", "CosineEmbeddingLoss", [a, b, y], [True, True, False], kw)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("margin", [1.0, 2.5])
def test_contrastive_is_api_formula(reduction, margin):
    x1, x2 = normal((8, 3), 49), normal((8, 3), 50)
    y = np.array([1.0, 0.0, 1.0, 0.0, 0.0, 1.0, 0.0, 0.0])

    def formula(a, b):
        d = torch.linalg.vector_norm(a - b, dim=-1)
        yt = torch.tensor(y)
        out = 0.5 * (yt * d**2 + (1 - yt) * torch.clamp(margin - d, min=0) ** 2)
        return {"mean": out.mean(), "sum": out.sum(), "none": out}[reduction]

    kw = {"margin": margin, "reduction": reduction}
    compare(lambda a, b: F.contrastive_loss(a, b, y, **kw), formula, [x1, x2])
    compare(lambda a, b: nn.ContrastiveLoss(**kw)(a, b, y), formula, [x1, x2])


def test_contrastive_gradient_at_zero_distance_is_zero():
    x = normal((2, 3), 51)
    for y in ([1.0, 0.0], [0.0, 1.0]):
        a, b = Tensor(x, requires_grad=True), Tensor(x.copy(), requires_grad=True)
        F.contrastive_loss(a, b, np.array(y)).backward()
        np.testing.assert_array_equal(a.grad, np.zeros_like(x))
        np.testing.assert_array_equal(b.grad, np.zeros_like(x))


# --- float32 ------------------------------------------------------------------------------

_X32, _Y32 = X[:, :3].astype(np.float32), Y[:, :3].astype(np.float32)
_P32 = P[:, :3].astype(np.float32)
_PM32 = np.where(_Y32[:, 0] > 0, 1.0, -1.0).astype(np.float32)
F32 = {
    "l1_loss": [_X32, _Y32],
    "mse_loss": [_X32, _Y32],
    "huber_loss": [_X32, _Y32],
    "smooth_l1_loss": [_X32, _Y32],
    "binary_cross_entropy": [_P32, LABELS01[:, :3].astype(np.float32)],
    "binary_cross_entropy_with_logits": [_X32, T01[:, :3].astype(np.float32)],
    "cross_entropy": [_X32, np.array([0, 2, 1, 1, 0, 2])],
    "nll_loss": [np.log(_P32), np.array([0, 2, 1, 1, 0, 2])],
    "kl_div": [np.log(_P32), _P32],
    "margin_ranking_loss": [_X32[:, 0], _Y32[:, 0], _PM32],
    "triplet_margin_loss": [_X32, _Y32, _P32],
    "cosine_embedding_loss": [_X32, _Y32, _PM32],
}


@pytest.mark.filterwarnings("ignore:reduction. 'mean' divides")
@pytest.mark.parametrize("reduction", ["mean", "none"])
@pytest.mark.parametrize("name", list(F32))
def test_float32_in_float32_out_and_grads(name, reduction):
    arrays = F32[name]
    grads = [i == 0 for i in range(len(arrays))]
    compare(
        lambda *a: getattr(F, name)(*a, reduction=reduction),
        lambda *a: getattr(TF, name)(*a, reduction=reduction),
        arrays,
        grads,
        rtol=1e-5,
        atol=1e-6,
    )
