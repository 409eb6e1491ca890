"""nn.AdaptiveLogSoftmaxWithLoss against torch's with copied weights: forward's output and
loss, the gradients to the input and every parameter (first and second order), log_prob,
predict, unbatched calls, float32, the repr, parameter names, and the errors."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import autograd  # noqa: E402
import nn  # noqa: E402

CONFIGS = [
    dict(in_features=8, n_classes=10, cutoffs=[3, 6], div_value=2.0, head_bias=True),
    dict(in_features=6, n_classes=12, cutoffs=[2, 5, 11]),
    dict(in_features=5, n_classes=4, cutoffs=[1], div_value=1.0),
    dict(in_features=3, n_classes=10, cutoffs=(3, 6)),  # tails of width 3 // 4 = 0
]


def _pair(cfg: dict, dtype: str) -> tuple:
    theirs = torch.nn.AdaptiveLogSoftmaxWithLoss(**cfg, dtype=getattr(torch, dtype))
    ours = nn.AdaptiveLogSoftmaxWithLoss(**cfg, dtype=getattr(autograd, dtype))
    names = [n for n, _ in ours.named_parameters()]
    assert names == [n for n, _ in theirs.named_parameters()]
    for p, tp in zip(ours.parameters(), theirs.parameters(), strict=True):
        assert p.data.shape == tuple(tp.shape) and p.data.dtype == tp.detach().numpy().dtype
        p.data[...] = tp.detach().numpy()
    return ours, theirs


def _run(lib: Any, model: Any, x0: np.ndarray, target: np.ndarray, seed: int) -> list:
    x = lib.tensor(x0, requires_grad=True)
    out = model(x, lib.tensor(target))
    params = [x, *model.parameters()]
    g = np.random.default_rng(seed).normal(size=tuple(out.output.shape)).astype(x0.dtype)
    total = out.loss + (out.output * lib.tensor(g)).sum()
    # (a tail that no target reaches has no gradient: None on both sides)
    grads = lib.autograd.grad(total, params, create_graph=True, allow_unused=True)
    squares = sum((q * q).sum() for q in grads if q is not None and q.requires_grad)
    second = lib.autograd.grad(squares, params, allow_unused=True) if squares else []
    result = [out.output, out.loss, *grads, *second]
    result += [
        model.log_prob(x if x.ndim == 2 else x[None]),
        model.predict(x.reshape(-1, x.shape[-1])),
    ]
    return [np.zeros(0) if r is None else r.detach().numpy() for r in result]


@pytest.mark.parametrize("cfg", CONFIGS, ids=str)
@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("batch", [7, 1, 0, None])
def test_matches_torch(cfg: dict, dtype: str, batch: int | None) -> None:
    rng = np.random.default_rng(cfg["n_classes"])
    ours, theirs = _pair(cfg, dtype)
    assert repr(ours) == repr(theirs)
    shape = (cfg["in_features"],) if batch is None else (batch, cfg["in_features"])
    x0 = rng.normal(size=shape).astype(dtype) * 2
    target = rng.integers(0, cfg["n_classes"], size=() if batch is None else batch)
    a, b = _run(autograd, ours, x0, target, 0), _run(torch, theirs, x0, target, 0)
    tol = dict(rtol=1e-10, atol=1e-12) if dtype == "float64" else dict(rtol=2e-4, atol=2e-5)
    for k, (u, v) in enumerate(zip(a, b, strict=True)):
        if batch == 0 and k == 1:  # the mean of nothing: nan on both sides
            assert np.isnan(u) and np.isnan(v)
            continue
        assert u.shape == v.shape, k
        np.testing.assert_allclose(u, v, **tol, err_msg=f"result {k}")


def test_attributes_match_torch() -> None:
    cfg = dict(in_features=16, n_classes=20, cutoffs=(4, 10, 15), div_value=2.0)
    ours, theirs = _pair(cfg, "float32")
    for name in ("in_features", "n_classes", "cutoffs", "div_value", "head_bias",
                 "shortlist_size", "n_clusters", "head_size"):  # fmt: skip
        assert getattr(ours, name) == getattr(theirs, name), name


BAD_CALLS = [
    ((5, 8), [0, 4, 10, 2, 7]),
    ((5, 8), [0, -1, 9, 2, 7]),
    ((5, 8), [0, 4, 9]),
    ((8,), [0, 4, 9, 2, 7]),
    ((5, 8), 3),
    ((1, 5, 8), [[0, 4, 9, 2, 7]]),
]


@pytest.mark.parametrize("x_shape, target", BAD_CALLS, ids=str)
def test_refuses_what_torch_refuses_with_its_message(x_shape: tuple, target: Any) -> None:
    ours, theirs = _pair(dict(in_features=8, n_classes=10, cutoffs=[3, 6]), "float32")
    x = np.zeros(x_shape, dtype=np.float32)
    with pytest.raises(RuntimeError) as t_info:
        theirs(torch.tensor(x), torch.tensor(np.asarray(target)))
    with pytest.raises(RuntimeError) as o_info:
        ours(autograd.tensor(x), autograd.tensor(np.asarray(target)))
    expected = str(t_info.value).split(", but found inputs with size")[0]
    assert str(o_info.value).startswith(expected)
