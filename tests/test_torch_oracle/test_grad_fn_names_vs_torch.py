"""``grad_fn`` against torch: the node names of simple ops, and the shape of
``next_functions`` (which inputs lead to a node, a leaf's AccumulateGrad, or None)."""

from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")

import autograd  # noqa: E402
import nn.functional as F  # noqa: E402

OPS = {
    "add": lambda L, F, x, w: x + w,
    "sub": lambda L, F, x, w: x - 1.5,
    "mul": lambda L, F, x, w: x * w,
    "div": lambda L, F, x, w: x / 2.0,
    "neg": lambda L, F, x, w: -x,
    "exp": lambda L, F, x, w: x.exp(),
    "tanh": lambda L, F, x, w: x.tanh(),
    "sigmoid": lambda L, F, x, w: x.sigmoid(),
    "relu": lambda L, F, x, w: F.relu(x),
    "sum": lambda L, F, x, w: x.sum(),
    "mean": lambda L, F, x, w: x.mean(),
    "matmul": lambda L, F, x, w: x @ w.t(),
    "view": lambda L, F, x, w: x.view(6),
    "cat": lambda L, F, x, w: L.cat([x, w]),
    "abs": lambda L, F, x, w: x.abs(),
    "clone": lambda L, F, x, w: x.clone(),
    "softmax": lambda L, F, x, w: F.softmax(x, 1),
    "pow": lambda L, F, x, w: x**2,
}


def _run(lib, functional, name):
    x = lib.ones(2, 3, requires_grad=True)
    w = lib.ones(2, 3)
    return OPS[name](lib, functional, x, w).grad_fn, x


@pytest.mark.parametrize("name", sorted(OPS))
def test_node_names_match_torch(name: str) -> None:
    ours, _ = _run(autograd, F, name)
    theirs, _ = _run(torch, torch.nn.functional, name)
    assert ours.name() == theirs.name() == type(ours).__name__
    assert type(ours).__name__ == type(theirs).__name__


@pytest.mark.parametrize("name", ["add", "mul", "sub", "exp"])
def test_next_functions_lead_to_the_leaf_like_torch(name: str) -> None:
    ours, xo = _run(autograd, F, name)
    theirs, xt = _run(torch, torch.nn.functional, name)
    assert len(ours.next_functions) == len(theirs.next_functions)
    for (a, i), (b, j) in zip(ours.next_functions, theirs.next_functions):
        assert (a is None) == (b is None) and i == j
        assert type(a).__name__ == type(b).__name__
    assert ours.next_functions[0][0].variable is xo
    assert theirs.next_functions[0][0].variable is xt
