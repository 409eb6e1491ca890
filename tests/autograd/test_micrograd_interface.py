"""micrograd's teaching interface on Value: lecture-style code (hand-built topological sort,
manual _backward calls, a draw_dot that reads _prev and _op) runs on our Value."""

from __future__ import annotations

import math

import pytest

from autograd import Value


def neuron():
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")
    x1w1 = x1 * w1
    x2w2 = x2 * w2
    n = x1w1 + x2w2 + b
    o = n.tanh()
    return (x1, x2, w1, w2, b), n, o


def trace(root):
    nodes, edges = set(), set()

    def build(v):
        if v not in nodes:
            nodes.add(v)
            for child in v._prev:
                edges.add((child, v))
                build(child)

    build(root)
    return nodes, edges


def test_ops_are_spelled_as_micrograd_spells_them():
    a, b = Value(2.0), Value(-3.0)
    assert a._op == "" and a._prev == set()
    assert (a + b)._op == "+" and (a * b)._op == "*" and (a - b)._op == "-"
    assert (a**2)._op == "**2" and (a**-1)._op == "**-1" and (a**b)._op == "**"
    assert a.tanh()._op == "tanh" and a.exp()._op == "exp" and a.relu()._op == "ReLU"
    assert (a * b)._prev == {a, b}
    assert (a * 2)._prev == {a}  # numbers are constants here, not Values


def test_draw_dot_style_trace_reads_the_graph():
    _, n, o = neuron()
    nodes, edges = trace(o)
    assert len(nodes) == 10  # 5 leaves, 2 products, 2 sums, tanh
    assert (n, o) in edges
    assert {v._op for v in nodes} == {"", "*", "+", "tanh"}


def test_manual_backward_node_by_node_matches_the_lecture():
    (x1, x2, w1, w2, b), n, o = neuron()
    o.grad = 1.0
    o._backward()
    assert n.grad == pytest.approx(1 - o.data**2)
    topo, visited = [], set()

    def build_topo(v):
        if v not in visited:
            visited.add(v)
            for child in v._prev:
                build_topo(child)
            topo.append(v)

    build_topo(o)
    for v in (x1, x2, w1, w2, b, n):
        v.grad = 0.0
    for node in reversed(topo):
        node._backward()
    assert x1.grad == pytest.approx(-1.5) and w1.grad == pytest.approx(1.0)
    assert x2.grad == pytest.approx(0.5) and w2.grad == pytest.approx(0.0)
    assert o.data == pytest.approx(math.sqrt(0.5), rel=1e-6)


def test_manual_backward_agrees_with_backward():
    (x1, _, w1, _, b), _, o = neuron()
    o.backward(retain_graph=True)
    expected = (x1.grad, w1.grad, b.grad)
    for v in (x1, w1, b):
        v.grad = 0.0
    nodes, _ = trace(o)
    for v in nodes:
        if v is not o:
            v.grad = 0.0
    o.grad = 1.0
    order = sorted((v for v in nodes if v._ctx is not None), key=lambda v: -v._ctx.seq)
    for v in order:
        v._backward()
    assert (x1.grad, w1.grad, b.grad) == pytest.approx(expected)
