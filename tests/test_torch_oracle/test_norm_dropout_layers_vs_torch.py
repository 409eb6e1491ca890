"""InstanceNorm1d/2d/3d, BatchNorm3d, RMSNorm, LocalResponseNorm, AlphaDropout and
FeatureAlphaDropout against PyTorch: same state_dict keys and reprs, torch's parameters
copied into ours, outputs and the gradients of the input and every parameter compared in
float32 and float64, running statistics after training steps, eval mode; the functional
forms over a grid of arguments."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest

import autograd
import nn
import nn.functional as F
from autograd import Tensor
from tests.test_torch_oracle.oracle import compare

torch = pytest.importorskip("torch")
TF = torch.nn.functional

TOL = {np.float32: {"rtol": 2e-4, "atol": 2e-5}, np.float64: {"rtol": 1e-10, "atol": 1e-12}}
TORCH_DTYPE = {np.float32: torch.float32, np.float64: torch.float64}

# (id, class name, args, kwargs, input shape)
CASES: list[tuple[str, str, tuple, dict, tuple]] = [
    ("IN1d", "InstanceNorm1d", (3,), {}, (2, 3, 5)),
    ("IN1d-unbatched", "InstanceNorm1d", (3,), {"affine": True}, (3, 6)),
    ("IN1d-tracked", "InstanceNorm1d", (3,), {"affine": True, "track_running_stats": True,
                                              "momentum": 0.3}, (4, 3, 5)),
    ("IN1d-tracked-unbatched", "InstanceNorm1d", (3,), {"track_running_stats": True}, (3, 4)),
    ("IN1d-momentum-none", "InstanceNorm1d", (2,), {"track_running_stats": True,
                                                    "momentum": None}, (3, 2, 4)),
    ("IN2d", "InstanceNorm2d", (2,), {"affine": True, "eps": 1e-3}, (3, 2, 3, 4)),
    ("IN2d-nobias", "InstanceNorm2d", (2,), {"affine": True, "bias": False}, (2, 2, 3, 3)),
    ("IN2d-unbatched-tracked", "InstanceNorm2d", (2,), {"affine": True,
                                                        "track_running_stats": True}, (2, 3, 4)),
    ("IN3d", "InstanceNorm3d", (2,), {"affine": True, "track_running_stats": True},
     (2, 2, 2, 3, 2)),
    ("IN3d-unbatched", "InstanceNorm3d", (2,), {}, (2, 2, 3, 2)),
    ("BN3d", "BatchNorm3d", (3,), {}, (2, 3, 2, 2, 3)),
    ("BN3d-momentum-none", "BatchNorm3d", (2,), {"momentum": None, "affine": False},
     (3, 2, 2, 2, 2)),
    ("RMSNorm", "RMSNorm", (4,), {}, (3, 4)),
    ("RMSNorm-2d-eps", "RMSNorm", ((2, 3),), {"eps": 1e-2}, (4, 2, 3)),
    ("RMSNorm-no-affine", "RMSNorm", ([5],), {"elementwise_affine": False}, (2, 3, 5)),
    ("LRN", "LocalResponseNorm", (3,), {}, (2, 5, 4)),
    ("LRN-args-4d", "LocalResponseNorm", (2,), {"alpha": 0.5, "beta": 0.6, "k": 2.0},
     (2, 4, 3, 3)),
    ("LRN-5d-wide", "LocalResponseNorm", (6,), {"alpha": 0.1}, (1, 3, 2, 2, 2)),
]  # fmt: skip


def _grads(mod: Any, x: Any) -> list:
    return [x.grad] + [p.grad for p in mod.parameters()]


@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=["float32", "float64"])
@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_module_matches_torch(case, dtype):
    name, cls, args, kwargs, in_shape = case
    rng = np.random.default_rng(sum(map(ord, name)))
    theirs = getattr(torch.nn, cls)(*args, **kwargs).to(TORCH_DTYPE[dtype])
    ours = getattr(nn, cls)(*args, **kwargs).to(dtype)
    assert repr(ours) == repr(theirs)
    with torch.no_grad():  # random values, so that no default (ones, zeros) hides a mistake
        for p in theirs.parameters():
            p.copy_(torch.tensor(rng.normal(size=tuple(p.shape)) * 0.5 + 1))
    assert list(ours.state_dict()) == list(theirs.state_dict())
    ours.load_state_dict({k: v.numpy() for k, v in theirs.state_dict().items()})
    tol = TOL[dtype]
    for mode in ("train", "train", "eval"):
        ours.train(mode == "train")
        theirs.train(mode == "train")
        a = (rng.normal(size=in_shape) * 2 + 0.5).astype(dtype)
        up = rng.normal(size=in_shape).astype(dtype)
        xo, xt = Tensor(a, requires_grad=True), torch.tensor(a, requires_grad=True)
        for m in (ours, theirs):
            for p in m.parameters():
                p.grad = None
        yo, yt = ours(xo), theirs(xt)
        np.testing.assert_allclose(yo.data, yt.detach().numpy(), **tol, err_msg=mode)
        assert yo.dtype == yt.detach().numpy().dtype
        yo.backward(up)
        yt.backward(torch.tensor(up))
        for i, (go, gt) in enumerate(zip(_grads(ours, xo), _grads(theirs, xt))):
            np.testing.assert_allclose(go, gt.numpy(), **tol, err_msg=f"{mode} gradient {i}")
        for k, v in theirs.state_dict().items():  # running statistics and the counter
            np.testing.assert_allclose(ours.state_dict()[k], v.numpy(), **tol, err_msg=k)


@pytest.mark.parametrize("n", [1, 2, 3])
def test_instance_norm_init_and_mismatch_like_torch(n):
    ours = getattr(nn, f"InstanceNorm{n}d")(4)
    theirs = getattr(torch.nn, f"InstanceNorm{n}d")(4)
    assert repr(ours) == repr(theirs) and list(ours.state_dict()) == []
    shape = (2, 3) + (4,) * n  # 3 channels where 4 were declared: a warning when not affine
    a = np.random.default_rng(n).normal(size=shape).astype(np.float32)
    with warnings.catch_warnings(record=True) as got:
        warnings.simplefilter("always")
        yo = ours(Tensor(a))
    with warnings.catch_warnings(record=True) as want:
        warnings.simplefilter("always")
        yt = theirs(torch.tensor(a))
    assert len(got) == len(want) == 1
    np.testing.assert_allclose(yo.data, yt.numpy(), rtol=2e-4, atol=2e-5)
    bad = np.zeros((1, 4) + (1,) * n)  # one spatial element: refused in training
    with pytest.raises(ValueError):
        theirs(torch.tensor(bad))
    with pytest.raises(ValueError, match=f"InstanceNorm{n}d: expected"):
        ours(Tensor(bad))


@pytest.mark.parametrize("use_input_stats", [True, False])
@pytest.mark.parametrize("affine", [True, False])
def test_functional_instance_norm_and_running_buffers(use_input_stats, affine):
    rng = np.random.default_rng(int(use_input_stats) * 2 + int(affine))
    x = rng.normal(size=(3, 2, 4, 3)) * 2 + 1
    rm, rv = rng.normal(size=2), rng.uniform(0.5, 2.0, size=2)
    w, b = rng.normal(size=2), rng.normal(size=2)
    bufs_o = [Tensor(rm.copy()), Tensor(rv.copy())]
    bufs_t = [torch.tensor(rm.copy()), torch.tensor(rv.copy())]
    arrays = [x, w, b] if affine else [x]

    def ours(x, w=None, b=None):
        return F.instance_norm(x, *bufs_o, w, b, use_input_stats, 0.2, 1e-4)

    def theirs(x, w=None, b=None):
        return TF.instance_norm(x, *bufs_t, w, b, use_input_stats, 0.2, 1e-4)

    compare(ours, theirs, arrays)
    for o, t in zip(bufs_o, bufs_t):
        np.testing.assert_allclose(o.data, t.numpy(), rtol=1e-12)


@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=["float32", "float64"])
@pytest.mark.parametrize("eps", [None, 1e-6, 0.3])
@pytest.mark.parametrize(
    ("shape", "normalized"), [((3, 4), (4,)), ((2, 3, 4), (3, 4)), ((5,), [5])]
)
def test_functional_rms_norm(dtype, eps, shape, normalized):
    rng = np.random.default_rng(len(shape))
    x = (rng.normal(size=shape) * 1e-3).astype(dtype)  # small: eps matters
    w = rng.normal(size=tuple(normalized)).astype(dtype)
    tol = TOL[dtype]
    compare(
        lambda x, w: F.rms_norm(x, normalized, w, eps),
        lambda x, w: TF.rms_norm(x, list(normalized), w, eps),
        [x, w],
        rtol=tol["rtol"],
        atol=tol["atol"] * 1e-3,
    )
    compare(
        lambda x: F.rms_norm(x, normalized, eps=eps),
        lambda x: TF.rms_norm(x, list(normalized), eps=eps),
        [x],
        **tol,
    )


@pytest.mark.parametrize("size", [1, 2, 3, 4, 5, 9])
@pytest.mark.parametrize("shape", [(2, 6, 3), (1, 5, 2, 3), (2, 4, 2, 2, 2)])
def test_functional_local_response_norm(size, shape):
    x = np.random.default_rng(size).normal(size=shape) * 3
    compare(
        lambda x: F.local_response_norm(x, size, alpha=0.2, beta=0.9, k=0.5),
        lambda x: TF.local_response_norm(x, size, alpha=0.2, beta=0.9, k=0.5),
        [x],
    )


@pytest.mark.parametrize("p", [0.1, 0.5, 0.9])
@pytest.mark.parametrize("feature", [False, True])
def test_alpha_dropout_constants_and_gradient_match_torch(p, feature):
    # the masks come from different generators: compare the two affine maps entry by entry
    ours = F.feature_alpha_dropout if feature else F.alpha_dropout
    theirs = TF.feature_alpha_dropout if feature else TF.alpha_dropout
    x = np.random.default_rng(0).normal(size=(30, 20, 3))
    autograd.manual_seed(0)
    torch.manual_seed(0)
    xo, xt = Tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    yo, yt = ours(xo, p, True), theirs(xt, p, True)
    yo.sum().backward()
    yt.sum().backward()
    go, gt = xo.grad, xt.grad.numpy()
    ko, kt = go != 0, gt != 0  # kept entries (the gradient is the scale a there, else 0)
    assert 0 < ko.sum() < x.size and 0 < kt.sum() < x.size
    if feature:
        assert (ko == ko[:, :, :1]).all() and (kt == kt[:, :, :1]).all()
    both, neither = ko & kt, ~ko & ~kt
    np.testing.assert_allclose(yo.data[both], yt.detach().numpy()[both], rtol=1e-12)
    np.testing.assert_allclose(yo.data[neither], yt.detach().numpy()[neither], rtol=1e-12)
    np.testing.assert_allclose(go[both], gt[both], rtol=1e-12)
    for q in (0.0, 1.0):
        np.testing.assert_array_equal(
            ours(Tensor(x), q, True).data, theirs(torch.tensor(x), q, True)
        )
    np.testing.assert_array_equal(ours(Tensor(x), p).data, theirs(torch.tensor(x), p))


def test_alpha_dropout_modules_like_torch():
    for cls in ("AlphaDropout", "FeatureAlphaDropout"):
        for args in ((), (0.3,)):
            assert repr(getattr(nn, cls)(*args)) == repr(getattr(torch.nn, cls)(*args))
    with pytest.raises(RuntimeError):
        TF.feature_alpha_dropout(torch.zeros(3), 0.5, True)
    with pytest.raises(ValueError):
        F.feature_alpha_dropout(Tensor(np.zeros(3)), 0.5, True)


def _mask_axes(y: np.ndarray) -> tuple[bool, ...]:
    """For each axis, whether the dropout mask of ``y`` (dropout of ones) varies along it."""
    return tuple(bool(np.ptp(y, axis=a).max() > 0) for a in range(y.ndim))


@pytest.mark.parametrize("name", ["dropout1d", "dropout2d", "dropout3d"])
@pytest.mark.parametrize("rank", range(7))
def test_channel_dropout_ranks_masks_and_warnings_match_torch(name, rank):
    """Every rank: refused by both or by neither, a deprecation warning from both or neither,
    and the mask varying along the same axes (random streams differ; 8 per axis)."""
    shape = (8,) * rank

    def run(fn: Any, x: Any) -> tuple:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                y = fn(x, 0.5, True)
            except (ValueError, RuntimeError):
                return "error", False
        deprecated = any("deprecated" in str(w.message) for w in caught)
        return _mask_axes(np.asarray(y.detach())), deprecated

    torch.manual_seed(0)
    autograd.manual_seed(0)
    theirs = run(getattr(TF, name), torch.ones(shape))
    ours = run(getattr(F, name), Tensor(np.ones(shape)))
    assert ours == theirs


INTEGER_INPUTS = {
    "batch_norm": lambda F, x: F.batch_norm(x, None, None, training=True),
    "layer_norm": lambda F, x: F.layer_norm(x, (4,)),
    "group_norm": lambda F, x: F.group_norm(x, 1),
    "instance_norm": lambda F, x: F.instance_norm(x),
    "rms_norm": lambda F, x: F.rms_norm(x, (4,)),
    "dropout": lambda F, x: F.dropout(x, 0.3),
    "dropout1d": lambda F, x: F.dropout1d(x, 0.3),
    "alpha_dropout": lambda F, x: F.alpha_dropout(x, 0.3, training=True),
    "dropout_p1": lambda F, x: F.dropout(x, 1.0),
    "dropout_eval": lambda F, x: F.dropout(x, 0.3, training=False),
}


@pytest.mark.parametrize("name", sorted(INTEGER_INPUTS))
@pytest.mark.parametrize("dtype", [np.int64, np.uint8])
def test_integer_input_refused_or_kept_as_torch(name: str, dtype: Any) -> None:
    """An integer image (uint8 pixels) fed to a normalisation or dropout: PyTorch raises
    (NotImplementedError for the norms, RuntimeError for dropout), and so do we with the same
    exception type; where it computes (p=1, evaluation) the results agree."""
    a = np.arange(24).reshape(2, 3, 4).astype(dtype)
    results = []
    for lib, functional in ((torch, TF), (autograd, F)):
        try:
            out = INTEGER_INPUTS[name](functional, lib.tensor(a))
            results.append(("ok", str(np.asarray(out).dtype), np.asarray(out).tolist()))
        except NotImplementedError:
            results.append(("NotImplementedError",))
        except RuntimeError:
            results.append(("RuntimeError",))
    assert results[0] == results[1]
