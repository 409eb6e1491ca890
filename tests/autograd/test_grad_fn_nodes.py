"""``tensor.grad_fn`` as PyTorch's backward node: named ``<Op>Backward0`` (type, ``name()``
and repr), ``next_functions`` leading to the inputs' nodes and, for leaves, to an
``AccumulateGrad`` holding the leaf; ``fn`` is the Function class."""

from __future__ import annotations

import re

import autograd
from autograd import Value
from autograd.grad_fn import AccumulateGrad, BackwardNode
from autograd.ops.arithmetic import Add, Mul


def test_the_node_of_a_product() -> None:
    x = autograd.randn(2, 3, requires_grad=True)
    w = autograd.randn(2, 3)
    y = x * w
    node = y.grad_fn
    assert isinstance(node, BackwardNode) and node.fn is Mul
    assert type(node).__name__ == node.name() == "MulBackward0"
    assert re.fullmatch(r"<MulBackward0 object at 0x[0-9a-f]+>", repr(node))
    assert node is y.grad_fn and node == y.grad_fn
    (first, i), (second, j) = node.next_functions
    assert isinstance(first, AccumulateGrad) and first.variable is x and i == 0
    assert second is None and j == 0  # w needs no gradient
    assert "grad_fn=<MulBackward0>" in repr(y)
    assert x.grad_fn is None


def test_walking_the_graph_back_to_the_leaves() -> None:
    x = autograd.randn(3, requires_grad=True)
    loss = ((x * 2).exp() + 1).sum()
    names, node = [], loss.grad_fn
    while not isinstance(node, AccumulateGrad):
        names.append(node.name())
        node = node.next_functions[0][0]
    assert names == ["SumBackward0", "AddBackward0", "ExpBackward0", "MulBackward0"]
    assert node.variable is x and node.next_functions == ()


def test_values_have_the_same_nodes() -> None:
    a = Value(2.0)
    out = a * 3 + 1
    assert out.grad_fn.fn is Add and out.grad_fn.name() == "AddBackward0"
    (mul, _), (const, _) = out.grad_fn.next_functions
    assert mul.name() == "MulBackward0" and const is None
    assert mul.next_functions[0][0].variable is a
