"""RNNCell/LSTMCell/GRUCell, the 1-d poolings and GroupNorm against PyTorch: torch's
parameters copied into ours (same state_dict keys), then outputs and the gradients of the
input, the states and every parameter compared in float32 and float64; the functional forms
over a grid of arguments; reprs printed the same."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import nn
import nn.functional as F
from autograd import Tensor

torch = pytest.importorskip("torch")
TF = torch.nn.functional

TOL = {np.float32: {"rtol": 2e-4, "atol": 2e-5}, np.float64: {"rtol": 1e-10, "atol": 1e-12}}
TORCH_DTYPE = {np.float32: torch.float32, np.float64: torch.float64}


def _flat(out: Any) -> list:
    if isinstance(out, (tuple, list)):
        return [t for o in out for t in _flat(o)]
    return [out]


# (id, module constructor name, args, kwargs, input shape, state shapes (hx) or None)
CASES: list[tuple[str, str, tuple, dict, tuple, Any]] = [
    ("RNNCell", "RNNCell", (3, 5), {}, (4, 3), (4, 5)),
    ("RNNCell-relu-nobias", "RNNCell", (3, 5), {"bias": False, "nonlinearity": "relu"},
     (4, 3), (4, 5)),
    ("RNNCell-no-hx", "RNNCell", (3, 5), {}, (4, 3), None),
    ("RNNCell-unbatched", "RNNCell", (3, 5), {}, (3,), (5,)),
    ("LSTMCell", "LSTMCell", (3, 5), {}, (4, 3), ((4, 5), (4, 5))),
    ("LSTMCell-nobias-unbatched", "LSTMCell", (3, 5), {"bias": False}, (3,), ((5,), (5,))),
    ("LSTMCell-no-hx", "LSTMCell", (3, 5), {}, (2, 3), None),
    ("GRUCell", "GRUCell", (3, 5), {}, (4, 3), (4, 5)),
    ("GRUCell-nobias", "GRUCell", (3, 5), {"bias": False}, (4, 3), (4, 5)),
    ("GRUCell-unbatched-no-hx", "GRUCell", (3, 5), {}, (3,), None),
    ("MaxPool1d", "MaxPool1d", (3,), {"stride": 2, "padding": 1, "ceil_mode": True},
     (2, 3, 10), None),
    ("MaxPool1d-dilation-unbatched", "MaxPool1d", (2,), {"stride": 1, "dilation": 3},
     (3, 9), None),
    ("AvgPool1d", "AvgPool1d", (3,), {"stride": 2, "padding": 1, "count_include_pad": False,
                                      "ceil_mode": True}, (2, 3, 10), None),
    ("AvgPool1d-default", "AvgPool1d", (4,), {}, (2, 3, 11), None),
    ("AdaptiveAvgPool1d", "AdaptiveAvgPool1d", (4,), {}, (2, 3, 10), None),
    ("AdaptiveAvgPool1d-unbatched", "AdaptiveAvgPool1d", ((3,),), {}, (3, 7), None),
    ("GroupNorm", "GroupNorm", (2, 6), {}, (3, 6, 5), None),
    ("GroupNorm-4d", "GroupNorm", (3, 6), {"eps": 1e-3}, (2, 6, 3, 4), None),
    ("GroupNorm-2d-input", "GroupNorm", (2, 4), {}, (5, 4), None),
    ("GroupNorm-no-affine", "GroupNorm", (1, 4), {"affine": False}, (2, 4, 3), None),
    ("GroupNorm-no-bias", "GroupNorm", (4, 4), {"bias": False}, (2, 4, 3), None),
]  # fmt: skip


@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=["float32", "float64"])
@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_module_matches_torch(case, dtype):
    name, cls, args, kwargs, in_shape, hx_shape = case
    rng = np.random.default_rng(sum(map(ord, name)))
    theirs = getattr(torch.nn, cls)(*args, **kwargs).to(TORCH_DTYPE[dtype])
    ours = getattr(nn, cls)(*args, **kwargs).to(dtype)
    with torch.no_grad():  # random values, so that no default (ones, zeros) hides a mistake
        for p in theirs.parameters():
            p.copy_(torch.tensor(rng.normal(size=tuple(p.shape)) * 0.5))
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert [(n, tuple(p.shape)) for n, p in ours.named_parameters()] == [
        (n, tuple(p.shape)) for n, p in theirs.named_parameters()
    ]
    ours.load_state_dict({k: v.numpy() for k, v in theirs.state_dict().items()})

    arrays = [rng.normal(size=in_shape).astype(dtype)]
    if hx_shape is not None:
        shapes = hx_shape if isinstance(hx_shape[0], tuple) else [hx_shape]
        arrays += [rng.normal(size=s).astype(dtype) for s in shapes]
    xs = [Tensor(a, requires_grad=True) for a in arrays]
    txs = [torch.tensor(a, requires_grad=True) for a in arrays]
    if hx_shape is None:
        ins, tins = xs, txs
    elif cls == "LSTMCell":
        ins, tins = [xs[0], (xs[1], xs[2])], [txs[0], (txs[1], txs[2])]
    else:
        ins, tins = xs, txs
    outs, touts = _flat(ours(*ins)), _flat(theirs(*tins))
    assert len(outs) == len(touts)
    tol = TOL[dtype]
    for o, t in zip(outs, touts):
        assert o.dtype == dtype and tuple(o.shape) == tuple(t.shape)
        np.testing.assert_allclose(o.data, t.detach().numpy(), **tol)
    gs = [rng.normal(size=tuple(t.shape)).astype(dtype) for t in touts]
    sum((o * Tensor(g)).sum() for o, g in zip(outs, gs)).backward()
    sum((t * torch.tensor(g)).sum() for t, g in zip(touts, gs)).backward()
    for i, (x, tx) in enumerate(zip(xs, txs)):
        np.testing.assert_allclose(np.asarray(x.grad), tx.grad.numpy(), err_msg=f"input {i}", **tol)
    tparams = dict(theirs.named_parameters())
    for pname, p in ours.named_parameters():
        np.testing.assert_allclose(
            np.asarray(p.grad), tparams[pname].grad.numpy(), err_msg=pname, **tol
        )


def test_cell_init_bounds_as_torch():
    for cls in ("RNNCell", "LSTMCell", "GRUCell"):
        ours, theirs = getattr(nn, cls)(3, 9), getattr(torch.nn, cls)(3, 9)
        for (n, p), (tn, tp) in zip(ours.named_parameters(), theirs.named_parameters()):
            assert n == tn and p.dtype == np.float32 and tp.dtype == torch.float32
            bound = 1 / 3  # 1 / sqrt(hidden_size)
            assert np.abs(p.data).max() <= bound and tp.abs().max().item() <= bound
            assert np.abs(p.data).max() > bound / 2
    g, tg = nn.GroupNorm(2, 4), torch.nn.GroupNorm(2, 4)
    for k, v in tg.state_dict().items():
        np.testing.assert_array_equal(g.state_dict()[k], v.numpy())


# (our function, torch's function, input shape, args, kwargs)
FUNCTIONAL: list[tuple[Callable, Callable, tuple, tuple, dict]] = [
    (F.max_pool1d, TF.max_pool1d, (2, 3, 9), (2,), {}),
    (F.max_pool1d, TF.max_pool1d, (2, 3, 9), (3, 2, 1), {"ceil_mode": True}),
    (F.max_pool1d, TF.max_pool1d, (2, 3, 10), (3, 2, 1), {"ceil_mode": True}),
    (F.max_pool1d, TF.max_pool1d, (3, 12), (3, 2, 1, 2), {}),
    (F.max_pool1d, TF.max_pool1d, (2, 2, 11), ((4,), (3,), (2,), (2,)), {"ceil_mode": True}),
    (F.avg_pool1d, TF.avg_pool1d, (2, 3, 9), (3,), {}),
    (F.avg_pool1d, TF.avg_pool1d, (2, 3, 9), (3, 2, 1), {"ceil_mode": True}),
    (F.avg_pool1d, TF.avg_pool1d, (2, 3, 10), (4, 3, 2),
     {"ceil_mode": True, "count_include_pad": False}),
    (F.avg_pool1d, TF.avg_pool1d, (3, 8), (2, 1, 1), {"count_include_pad": True}),
    (F.adaptive_avg_pool1d, TF.adaptive_avg_pool1d, (2, 3, 10), (3,), {}),
    (F.adaptive_avg_pool1d, TF.adaptive_avg_pool1d, (2, 3, 7), (5,), {}),
    (F.adaptive_avg_pool1d, TF.adaptive_avg_pool1d, (3, 4), (7,), {}),
    (F.group_norm, TF.group_norm, (2, 6, 4), (3,), {}),
    (F.group_norm, TF.group_norm, (2, 4, 3, 3), (2,), {"eps": 0.1}),
    (F.group_norm, TF.group_norm, (3, 6), (3,), {}),
]  # fmt: skip


@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=["float32", "float64"])
@pytest.mark.parametrize("fn, tfn, shape, args, kw", FUNCTIONAL)
def test_functional_matches_torch(fn, tfn, shape, args, kw, dtype):
    rng = np.random.default_rng(len(shape) * 100 + sum(shape))
    a = (rng.normal(size=shape) * 2 + 0.5).astype(dtype)
    x, tx = Tensor(a, requires_grad=True), torch.tensor(a, requires_grad=True)
    extra, textra = [], []
    if fn is F.group_norm:  # weight and bias too
        for _ in range(2):
            p = rng.normal(size=shape[1]).astype(dtype)
            extra.append(Tensor(p, requires_grad=True))
            textra.append(torch.tensor(p, requires_grad=True))
    y, ty = fn(x, *args, *extra, **kw), tfn(tx, *args, *textra, **kw)
    tol = TOL[dtype]
    assert y.dtype == dtype and tuple(y.shape) == tuple(ty.shape)
    np.testing.assert_allclose(y.data, ty.detach().numpy(), **tol)
    g = rng.normal(size=tuple(ty.shape)).astype(dtype)
    y.backward(g)
    ty.backward(torch.tensor(g))
    for ours, theirs in zip([x, *extra], [tx, *textra]):
        np.testing.assert_allclose(np.asarray(ours.grad), theirs.grad.numpy(), **tol)


@pytest.mark.parametrize("shape, args, kw", [((2, 3, 9), (3, 2, 1), {"ceil_mode": True}),
                                             ((3, 12), (2, 1, 1, 3), {}),
                                             ((1, 1, 6), (2,), {})])  # fmt: skip
def test_max_pool1d_indices_and_ties_as_torch(shape, args, kw):
    rng = np.random.default_rng(5)
    a = rng.integers(0, 3, size=shape).astype(np.float64)  # many ties
    x, tx = Tensor(a, requires_grad=True), torch.tensor(a, requires_grad=True)
    (y, idx), (ty, tidx) = (
        F.max_pool1d(x, *args, return_indices=True, **kw),
        TF.max_pool1d(tx, *args, return_indices=True, **kw),
    )
    np.testing.assert_array_equal(y.data, ty.detach().numpy())
    np.testing.assert_array_equal(idx.data, tidx.numpy())
    g = rng.normal(size=tuple(ty.shape))
    y.backward(g)
    ty.backward(torch.tensor(g))
    np.testing.assert_allclose(np.asarray(x.grad), tx.grad.numpy(), rtol=1e-12)


REPRS = [
    ("RNNCell", (3, 4), {}),
    ("RNNCell", (3, 4), {"bias": False, "nonlinearity": "relu"}),
    ("RNNCell", (3, 4), {"nonlinearity": "tanh"}),
    ("LSTMCell", (3, 4), {}),
    ("LSTMCell", (3, 4), {"bias": False}),
    ("GRUCell", (2, 7), {}),
    ("MaxPool1d", (3,), {}),
    ("MaxPool1d", (3, 2, 1, 2, True, True), {}),
    ("MaxPool1d", ((3,),), {}),
    ("AvgPool1d", (3,), {}),
    ("AvgPool1d", (3, 2, 1, True, False), {}),
    ("AvgPool1d", ((2,),), {"stride": (1,)}),
    ("AdaptiveAvgPool1d", (4,), {}),
    ("AdaptiveAvgPool1d", ((4,),), {}),
    ("GroupNorm", (2, 4), {}),
    ("GroupNorm", (2, 4), {"eps": 1e-3, "affine": False}),
    ("GroupNorm", (1, 3), {"bias": False}),
]


@pytest.mark.parametrize("cls, args, kw", REPRS)
def test_repr_as_torch(cls, args, kw):
    assert repr(getattr(nn, cls)(*args, **kw)) == repr(getattr(torch.nn, cls)(*args, **kw))
    seq = nn.Sequential(getattr(nn, cls)(*args, **kw))
    tseq = torch.nn.Sequential(getattr(torch.nn, cls)(*args, **kw))
    assert repr(seq) == repr(tseq)
