"""autograd.viz.explore without a browser: the engine's observer hook, the recorded steps
against the engine's own backward, the page being self-contained, and the user's gradients
left alone. (tests/autograd/test_explorer_browser.py clicks through the page in Chromium.)"""

from __future__ import annotations

import re
import time

import numpy as np
import pytest

import nn
from autograd import Function, Tensor, Value, viz
from autograd.engine import run_backward
from autograd.viz.graph import nodes_in_order
from autograd.viz.rules import RULES, rule_of

pytest.importorskip("pygraphviz", reason="explore lays the graph out with Graphviz (pygraphviz)")


def notes_network() -> tuple[dict[str, Value], Value]:
    """The lecture notes' 2-2-1 sigmoid network (demos.backprop_worked) and its loss."""
    w = {n: Value(v, label=n) for n, v in {"w1": 0.2, "w2": 0.3, "w3": 0.9}.items()}
    h = (w["w1"] * 0.35 + w["w2"] * 0.7).sigmoid()
    h.label = "h"
    y = (w["w3"] * h + w["w1"] * h).sigmoid()  # w1 and h each feed two ops
    y.label = "y"
    loss = 0.5 * (0.5 - y) ** 2
    loss.label = "loss"
    return w, loss


# --- the engine's observer -------------------------------------------------------------------


def test_observer_sees_every_node_once_with_its_total_gradient_and_what_it_sends():
    w, loss = notes_network()
    seen = []
    captured = run_backward(
        [loss],
        [1.0],
        retain_graph=True,
        capture=nodes_in_order([loss]),
        observer=lambda node, g, sent: seen.append((node, g, sent)),
    )
    interior = [n for n in nodes_in_order([loss]) if n._ctx is not None]
    assert sorted(map(id, (n for n, _, _ in seen))) == sorted(map(id, interior))
    for node, g, sent in seen:
        assert g == captured[node]
        assert type(sent) is tuple and len(sent) == len(node._ctx.inputs)
    # the leaves' gradients are the sums of what was sent to them
    for leaf in w.values():
        total = sum(
            gi
            for node, _, sent in seen
            for a, gi in zip(node._ctx.inputs, sent)
            if a is leaf and gi is not None
        )
        assert total == pytest.approx(captured[leaf], rel=1e-15)
    assert all(p.grad == 0.0 for p in w.values())  # capture mode wrote nothing


def test_without_observer_backward_is_unchanged():
    w, loss = notes_network()
    loss.backward()
    w2, loss2 = notes_network()
    calls = []
    run_backward([loss2], [1.0], observer=lambda *a: calls.append(a))
    assert calls and all(w[k].grad == w2[k].grad for k in w)


# --- the recorded steps ----------------------------------------------------------------------


def test_steps_are_forward_then_backward_with_the_engines_numbers():
    w, loss = notes_network()
    e = viz.explore(loss)
    assert all(p.grad == 0.0 for p in w.values()), "explore must not touch .grad"
    loss.backward()  # the graph was kept: the user's own backward still works
    order = nodes_in_order([loss])
    phases = [s["phase"] for s in e.steps]
    n_ops = sum(n._ctx is not None for n in order)
    assert phases == ["forward"] * len(order) + ["backward"] * n_ops + ["leaf"] * len(w)
    for s in e.steps:
        node = order[s["node"]]
        if s["phase"] == "forward":
            (value,) = re.findall(r'class="value">([^<]*)<', s["html"])
            assert float(value) == pytest.approx(node.data, rel=1e-5)
        elif s["phase"] == "backward":
            assert s["numbers"]["upstream"] == node.grad  # exactly the engine's
            for _parent, contribution, local, _ in s["numbers"]["contributions"]:
                assert contribution == pytest.approx(s["numbers"]["upstream"] * local, rel=1e-12)
        else:
            assert s["numbers"]["total"] == node.grad
    for n in order:
        if n.requires_grad:
            assert e.grads[n] == n.grad


def test_accumulation_is_shown_where_a_node_feeds_several():
    w, loss = notes_network()
    e = viz.explore(loss)
    loss.backward()
    w1_leaf = [s for s in e.steps if s["phase"] == "leaf" and s["name"] == "w1"]
    (step,) = w1_leaf
    assert step["html"].count("(from ") == 2  # two contributions, summed
    accumulated = [s for s in e.steps if "accumulated:" in s["html"]]
    assert accumulated, "the second contribution to w1 and to h shows the running sum"
    totals = [
        float(t) for s in accumulated for t in re.findall(r'class="total">([^<]*)<', s["html"])
    ]
    assert any(t == pytest.approx(w["w1"].grad, rel=1e-5) for t in totals)
    for s in accumulated:  # each running sum reads: previous total + contribution = new total
        for a, b, c in re.findall(
            r'accumulated: (\S+) \+ (\S+) = <span class="total">([^<]*)<', s["html"]
        ):
            assert float(a) + float(b) == pytest.approx(float(c), rel=2e-5)
            assert float(a) != pytest.approx(float(c), rel=1e-9), "previous is not the new total"


def test_tensor_graph_with_module_summarises_values():
    net = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2)).double()
    x = Tensor(np.random.default_rng(0).normal(size=(5, 3)))
    loss = (net(x) ** 2).sum()
    e = viz.explore(loss, module=net)
    assert all(p.grad is None for p in net.parameters())
    nn_grads = {}
    loss.backward()
    for name, p in net.named_parameters():
        nn_grads[name] = np.asarray(p.grad)
        np.testing.assert_array_equal(np.asarray(e.grads[p]), nn_grads[name])
    assert "shape (5, 4) float64; min" in e.html
    assert "0.weight" in e.html and "d tanh(x)/dx = 1 - tanh(x)^2" in e.html


def test_page_is_self_contained(tmp_path):
    _, loss = notes_network()
    path = tmp_path / "page.html"
    e = viz.explore(loss, path)
    text = path.read_text(encoding="utf-8")
    assert text == e.html and text.startswith("<!DOCTYPE html>")
    assert "<svg" in text and "<script>" in text and "<style>" in text
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=", text)
    assert "http://" not in text.replace("http://www.w3.org", "")
    assert "https://" not in text
    inline = e._repr_html_()
    assert inline.startswith("<iframe") and "srcdoc=" in inline


def test_released_graph_is_refused_with_advice():
    _, loss = notes_network()
    loss.backward()
    with pytest.raises(RuntimeError, match=r"explore.*before root.backward\(\).*retain_graph"):
        viz.explore(loss)


def test_after_backward_with_retain_graph_it_works_and_leaves_grads():
    w, loss = notes_network()
    loss.backward(retain_graph=True)
    before = {k: p.grad for k, p in w.items()}
    e = viz.explore(loss)
    assert {k: p.grad for k, p in w.items()} == before
    assert all(e.grads[p] == before[k] for k, p in w.items())


def test_rules_cover_the_ops_and_fall_back_to_the_docstring():
    assert rule_of((Value(1.0) * 2).grad_fn) == RULES["Mul"]

    class Cube(Function):
        """x^3; derivative 3 x^2."""

        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x**3

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return 3 * x**2 * g

    a = Value(2.0, label="a")
    y = Cube.apply(a)
    e = viz.explore(y)
    assert "x^3; derivative 3 x^2." in e.html
    (step,) = [s for s in e.steps if s["phase"] == "backward"]
    (_, contribution, local, _) = step["numbers"]["contributions"][0]
    assert local == 12.0 and contribution == 12.0


def test_two_thousand_nodes_explore_quickly():
    xs = [Value(i / 1000, label=f"x{i}") for i in range(500)]
    acc = Value(0.0)
    for v in xs:
        acc = acc + (v * v).tanh()
    t0 = time.perf_counter()
    e = viz.explore(acc)
    elapsed = time.perf_counter() - t0
    assert len(nodes_in_order([acc])) == 2001
    assert len(e.steps) == 2001 + 1500 + 501  # forward; 1500 ops; 501 leaves complete
    assert elapsed < 30, f"explore took {elapsed:.1f} s for 2,001 values"
    assert "more values" in e.html  # collapsed to max_nodes boxes, as draw does


def test_root_without_grad_gives_a_forward_only_page():
    x = Tensor(np.arange(3.0))
    e = viz.explore((x * 2).sum())
    assert [s["phase"] for s in e.steps] == ["forward"]
    assert e.grads == {}


def test_bad_root_is_a_clear_error():
    with pytest.raises(TypeError, match="Value or Tensor"):
        viz.explore(3.0)
    a, b = Value(1.0), Value(2.0)
    with pytest.raises(ValueError, match="one root"):
        viz.explore([a * b, a + b])


def test_non_scalar_tensor_root_takes_a_seed_like_backward():
    x = Tensor(np.array([1.0, -2.0, 3.0]), requires_grad=True)
    y = x * x
    seed = np.array([1.0, 0.5, -1.0])
    e = viz.explore(y, grad=seed)
    assert x.grad is None
    y.backward(seed)
    np.testing.assert_array_equal(np.asarray(e.grads[x]), np.asarray(x.grad))
    with pytest.raises(RuntimeError, match="single-element"):
        viz.explore(x * 2)


def test_a_node_used_twice_by_one_op_accumulates_within_the_step():
    x = Value(3.0, label="x")
    y = x * x
    e = viz.explore(y)
    (step,) = [s for s in e.steps if s["phase"] == "backward"]
    assert step["html"].count("dL/dx += ") == 2
    assert 'accumulated: 3 + 3 = <span class="total">6</span>' in step["html"]
    y.backward()
    assert e.grads[x] == x.grad == 6.0
