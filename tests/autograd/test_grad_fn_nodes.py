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


def test_a_composed_function_shows_one_node() -> None:
    """``present_as``: the last node of a composed function takes PyTorch's name, in the
    repr too, and ``next_functions`` lead to the function's inputs, through the named steps
    in between; backward still runs through the composed ops."""
    from autograd.grad_fn import PresentedNode, present_as

    x = autograd.randn(3, requires_grad=True)
    c = autograd.randn(3)
    y = (x * 2).exp().sum()
    present_as(y, "TwiceExpBackward0", (("DoubleBackward0", (x,)), c))
    node = y.grad_fn
    assert isinstance(node, PresentedNode) and type(node).__name__ == "TwiceExpBackward0"
    assert node.name() == "TwiceExpBackward0" and "grad_fn=<TwiceExpBackward0>" in repr(y)
    assert node is y.grad_fn and node == y.grad_fn
    (step, _), (constant, _) = node.next_functions
    assert type(step).__name__ == "DoubleBackward0" and constant is None
    assert step != node and len({step, node}) == 2  # distinct nodes of the same op
    ((leaf, _),) = step.next_functions
    assert isinstance(leaf, AccumulateGrad) and leaf.variable is x
    y.backward()
    assert autograd.allclose(x.grad, 2 * (x * 2).exp().detach())


def test_presenting_a_result_without_history_does_nothing() -> None:
    from autograd.grad_fn import present_as

    t = autograd.ones(2)
    present_as(t, "NothingBackward0", (t,))
    assert t.grad_fn is None and "grad_fn" not in repr(t)


def test_losses_and_linear_show_torchs_nodes() -> None:
    import nn
    import nn.functional as F

    x = autograd.randn(2, 4, requires_grad=True)
    layer = nn.Linear(4, 3)
    out = layer(x)
    assert type(out.grad_fn).__name__ == "AddmmBackward0"
    bias, inp, weight_t = (f for f, _ in out.grad_fn.next_functions)
    assert bias.variable is layer.bias and inp.variable is x
    assert type(weight_t).__name__ == "TBackward0"
    assert weight_t.next_functions[0][0].variable is layer.weight
    loss = F.mse_loss(out, autograd.zeros(2, 3))
    assert type(loss.grad_fn).__name__ == "MseLossBackward0"
    assert loss.grad_fn.next_functions[0][0] == out.grad_fn
    ce = F.cross_entropy(out, autograd.tensor([0, 2]))
    assert type(ce.grad_fn).__name__ == "NllLossBackward0"
    ((log_softmax, _),) = ce.grad_fn.next_functions
    assert type(log_softmax).__name__ == "LogSoftmaxBackward0"
    assert log_softmax.next_functions[0][0] == out.grad_fn


def test_selections_show_their_own_nodes() -> None:
    x = autograd.randn(2, 3, requires_grad=True)
    for values, name in [
        (x.max(1).values, "MaxBackward0"),
        (x.min(0, keepdim=True).values, "MinBackward0"),
        (x.topk(2).values, "TopkBackward0"),
        (x.sort(1).values, "SortBackward0"),
    ]:
        assert type(values.grad_fn).__name__ == name and f"<{name}>" in repr(values)
        assert values.grad_fn.next_functions[0][0].variable is x
    x.max(1).values.sum().backward()  # the gradient still goes to each row's maximum
    assert (x.grad.sum(1) == 1).all()


def test_indexing_shows_the_nodes_of_its_parts() -> None:
    x = autograd.randn(3, 4, requires_grad=True)
    logits = x[:2]  # a notebook's ``model(X)[:5]``
    assert type(logits.grad_fn).__name__ == "SliceBackward0"
    assert "grad_fn=<SliceBackward0>" in repr(logits)
    assert logits.grad_fn.next_functions[0][0].variable is x
    row_col = x[1:, 0]  # sliced then selected: two nodes, the select last
    assert type(row_col.grad_fn).__name__ == "SelectBackward0"
    inner = row_col.grad_fn.next_functions[0][0]
    assert type(inner).__name__ == "SliceBackward0" and inner.next_functions[0][0].variable is x
    assert type(x[:, 0].grad_fn).__name__ == "SelectBackward0"  # ``:`` among parts: no node
    assert type(x[...].grad_fn).__name__ == "AliasBackward0"
    assert type(x[None].grad_fn).__name__ == "UnsqueezeBackward0"
    assert type(x[[0, 2]].grad_fn).__name__ == "IndexBackward0"
    assert type(x[x > 0].grad_fn).__name__ == "IndexBackward0"
    # only the view changes: the gradient still goes to the picked entries
    (x[1:, 0] * 2).sum().backward()
    assert x.grad.tolist() == [[0, 0, 0, 0], [2, 0, 0, 0], [2, 0, 0, 0]]


def test_pieces_show_their_ops_nodes() -> None:
    x = autograd.randn(4, 1, 3, requires_grad=True)
    for piece, name in [
        (x.split(2)[1], "SplitBackward0"),
        (x.chunk(2)[0], "SplitBackward0"),
        (x.split([1, 3])[0], "SplitWithSizesBackward0"),
        (x.unbind(0)[2], "UnbindBackward0"),
        (next(iter(x)), "UnbindBackward0"),
        (x.index_select(0, autograd.tensor([0, 0])), "IndexSelectBackward0"),
        (x.masked_select(x > 0), "MaskedSelectBackward0"),
        (x.squeeze(), "SqueezeBackward0"),
        (x.squeeze(1), "SqueezeBackward1"),
        (x.squeeze((1,)), "SqueezeBackward2"),
        (x.unsqueeze(0), "UnsqueezeBackward0"),
    ]:
        assert type(piece.grad_fn).__name__ == name, name
        assert piece.grad_fn.next_functions[0][0].variable is x
    x.index_select(0, autograd.tensor([0, 0])).sum().backward()
    assert x.grad[0].tolist() == [[2, 2, 2]] and x.grad[1:].abs().sum().item() == 0
