"""``grad_fn`` against torch: the node names of simple ops, and the shape of
``next_functions`` (which inputs lead to a node, a leaf's AccumulateGrad, or None)."""

from __future__ import annotations

import numpy as np
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


def _tree(node: object, depth: int) -> object:
    """A backward node's name and, ``depth`` levels down, its next_functions' names."""
    if node is None:
        return None
    if depth == 0:
        return type(node).__name__
    return (type(node).__name__, [_tree(f, depth - 1) for f, _ in node.next_functions])


LOSSES = {
    "mse": lambda F, x, t, y, p: F.mse_loss(x, t),
    "mse_none": lambda F, x, t, y, p: F.mse_loss(x, t, reduction="none"),
    "mse_sum": lambda F, x, t, y, p: F.mse_loss(x, t, reduction="sum"),
    "nll": lambda F, x, t, y, p: F.nll_loss(x, y),
    "nll_none": lambda F, x, t, y, p: F.nll_loss(x, y, reduction="none"),
    "cross_entropy": lambda F, x, t, y, p: F.cross_entropy(x, y),
    "cross_entropy_none": lambda F, x, t, y, p: F.cross_entropy(x, y, reduction="none"),
    "smooth_l1": lambda F, x, t, y, p: F.smooth_l1_loss(x, t),
    "huber": lambda F, x, t, y, p: F.huber_loss(x, t),
    "bce": lambda F, x, t, y, p: F.binary_cross_entropy(x.sigmoid(), p),
    "bce_logits": lambda F, x, t, y, p: F.binary_cross_entropy_with_logits(x, p),
}


def _loss_tree(lib: object, functional: object, name: str) -> object:
    rng = np.random.default_rng(0)
    x = lib.tensor(rng.normal(size=(3, 4)), requires_grad=True) * 1
    t = lib.tensor(rng.normal(size=(3, 4)))
    p = lib.tensor(rng.random((3, 4)))
    y = lib.tensor([0, 1, 3])
    loss = LOSSES[name](functional, x, t, y, p)
    return _tree(loss.grad_fn, 3), repr(loss).split("grad_fn=")[1]


@pytest.mark.parametrize("name", sorted(LOSSES))
def test_loss_nodes_match_torch(name: str) -> None:
    """A loss PyTorch records as one node (composed of several ops here) shows that node,
    in the repr too, leading to the same nodes below it."""
    assert _loss_tree(autograd, F, name) == _loss_tree(torch, torch.nn.functional, name)


@pytest.mark.parametrize("shape", [(2, 4), (4,), (2, 5, 4)])
@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("input_grad", [True, False])
def test_linear_nodes_match_torch(shape: tuple, bias: bool, input_grad: bool) -> None:
    """F.linear is one op here; it shows the addmm or mm PyTorch records, with the views and
    the weight's transpose around it."""
    import nn

    def tree(lib: object, layers: object) -> object:
        layer = layers.Linear(4, 3, bias=bias)
        x = lib.tensor(np.ones(shape), dtype=lib.float32, requires_grad=input_grad)
        return _tree(layer(x * 1 if input_grad else x).grad_fn, 3)

    assert tree(autograd, nn) == tree(torch, torch.nn)


SELECTIONS = {
    "max_dim": lambda L, x: x.max(1).values,
    "max_keepdim": lambda L, x: x.max(1, keepdim=True)[0],
    "torch_max": lambda L, x: L.max(x, 0)[0],
    "min_dim": lambda L, x: x.min(0).values,
    "topk": lambda L, x: x.topk(2).values,
    "sort": lambda L, x: x.sort(1, descending=True).values,
}


@pytest.mark.parametrize("name", sorted(SELECTIONS))
def test_selection_nodes_match_torch(name: str) -> None:
    """max/min along a dim, topk and sort pick entries with a gather here; they show the
    node PyTorch records for each (the BiLSTM CRF's torch.max(vec, 1), seq2seq's topk)."""

    def tree(lib: object) -> object:
        x = lib.tensor(np.arange(6.0).reshape(2, 3), requires_grad=True) * 1
        return _tree(SELECTIONS[name](lib, x).grad_fn, 2)

    assert tree(autograd) == tree(torch)


INDEXINGS = [
    "x[:2]", "x[0]", "x[:]", "x[...]", "x[:, 0]", "x[1:, 0]", "x[0, 1]", "x[0, 1, 2]", "x[None]",
    "x[..., :2]", "x[:, :, ::2]", "x[[0, 1]]", "x[x > 0]", "x[0, [0, 1]]", "x[:4]", "x[0:10]",
    "x[-1]", "x[:, None, 0]", "x[L.tensor(1)]", "x[1:3, 2:4]", "x[:, 1:, [0, 2]]",
    "x[np.int64(1)]", "x[True]", "x[False]", "x[:, -2:]", "x[3:1]", "x[:, 0:100]", "x[:, 0:5]",
    "x[:, -5:]", "x[..., None]", "x[0, ...]", "x[None, ...]", "x[[0, 1], [2, 3]]",
    "x[L.tensor([True, False, True, True])]", "x[:, L.tensor([1, 2])]", "x[1][2]",
    "x[..., 1:2]", "x[:, 5:]", "x[L.tensor([0, 1]), 1:]", "x[range(2)]", "x[0][None, :, 1:]",
]  # fmt: skip


def _chain(t: object) -> list:
    """The names of a result's backward nodes down to its leaf."""
    names, node = [], t.grad_fn  # type: ignore[attr-defined]
    while node is not None and type(node).__name__ != "AccumulateGrad":
        names.append(type(node).__name__)
        node = next((n for n, _ in node.next_functions if n is not None), None)
    return names


@pytest.mark.parametrize("expr", INDEXINGS)
def test_indexing_nodes_match_torch(expr: str) -> None:
    """``x[index]`` shows the nodes PyTorch records part by part (select, slice, unsqueeze,
    index; an alias when nothing changes): a notebook's ``model(X)[:5]`` prints
    ``grad_fn=<SliceBackward0>``."""

    def chain(L: object) -> list:
        x = L.tensor(np.random.default_rng(0).normal(size=(4, 5, 6)), requires_grad=True)  # type: ignore[attr-defined]
        return _chain(eval(expr, {"x": x, "L": L, "np": np}))

    assert chain(autograd) == chain(torch)


PIECES = {
    "chunk": lambda L, x: x.chunk(2, dim=1)[0],
    "split": lambda L, x: x.split(2, dim=0)[1],
    "split_sizes": lambda L, x: x.split([1, 3])[1],
    "narrow": lambda L, x: x.narrow(1, 1, 2),
    "unbind": lambda L, x: x.unbind(0)[1],
    "iter": lambda L, x: next(iter(x)),
    "select": lambda L, x: x.select(1, 2),
    "index_select": lambda L, x: x.index_select(0, L.tensor([0, 2])),
    "masked_select": lambda L, x: x.masked_select(x > 0),
    "tensor_split": lambda L, x: L.tensor_split(x, 2)[0],
    "squeeze": lambda L, x: x[:, :1].squeeze(),
    "squeeze_dim": lambda L, x: x[:, :1].squeeze(1),
    "squeeze_dims": lambda L, x: x[:, :1].squeeze((0, 1)),
    "torch_squeeze": lambda L, x: L.squeeze(x[:1]),
    "unsqueeze": lambda L, x: x.unsqueeze(1),
    "torch_unsqueeze": lambda L, x: L.unsqueeze(x, dim=0),
}


@pytest.mark.parametrize("name", sorted(PIECES))
def test_piece_nodes_match_torch(name: str) -> None:
    """Ops that take pieces of a tensor show PyTorch's node for each (SplitBackward0,
    UnbindBackward0, SqueezeBackward0/1/2...), down to the leaf."""

    def chain(L: object) -> list:
        x = L.tensor(np.random.default_rng(1).normal(size=(4, 5, 6)), requires_grad=True)  # type: ignore[attr-defined]
        return _chain(PIECES[name](L, x))

    assert chain(autograd) == chain(torch)
