"""autograd.viz: DOT contents (values, ops, data/grad, clusters, collapse, ids, depth) and
rendering to SVG/PNG with whatever renderer exists, or a clear error when none does."""

from __future__ import annotations

import re
import shutil
import sys

import numpy as np
import pytest

import nn
from autograd import Tensor, Value, viz
from autograd.viz import style


def records(g) -> list[str]:
    return [line for line in g.body if "shape=record" in line]


def node_line(g, text: str) -> str:
    (line,) = [line for line in g.body if text in line]
    return line


def clusters(g) -> dict[str, list[str]]:
    """Cluster label -> the body lines inside it."""
    found: dict[str, list[str]] = {}
    current = None
    for line in g.body:
        if line.strip().startswith("subgraph cluster_"):
            current = []
        elif line.strip() == "}":
            current = None
        elif current is not None:
            m = re.search(r'\blabel=(?:"([^"]*)"|(\S+)) labelloc=t', line)
            if m:
                found[m.group(1) or m.group(2)] = current
            else:
                current.append(line)
    return found


def mlp_graph(max_nodes=250):
    net = nn.Sequential(nn.Linear(3, 4), nn.Linear(4, 2))
    x = Tensor(np.random.default_rng(0).normal(size=(5, 3)).astype(np.float32))
    out = net[1](net[0](x).tanh()).sum()
    out.backward()
    return net, out


# --- Value graphs --------------------------------------------------------------------------


def test_value_graph_has_one_record_per_value_with_data_and_grad():
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    e = a * b
    f = e + 2.5
    f.backward()
    g = viz.draw(f)
    assert len(records(g)) == 4  # a, b, e, f (the constant is a separate dashed box)
    assert "{ a | data 2 | grad -3 }" in node_line(g, "{ a |")
    assert "{ b | data -3 | grad 2 }" in node_line(g, "{ b |")
    assert "{ data -6 | grad 1 }" in g.source and "{ data -3.5 | grad 1 }" in g.source
    assert "label=Mul" in g.source and "label=Add" in g.source
    assert 'label="const 2.5"' in g.source
    assert "rankdir=LR" in g.source


def test_each_op_feeds_its_value_and_takes_its_inputs():
    a, b = Value(1.0, label="a"), Value(2.0, label="b")
    c = (a * b).tanh()
    g = viz.draw(c)
    edges = {tuple(line.strip().split(" -> ")) for line in g.body if "->" in line}
    ids = {lbl: re.match(r"\s*(\w+) ", node_line(g, f"{{ {lbl} |")).group(1) for lbl in "ab"}
    mul = re.match(r"\s*(\w+) ", node_line(g, "label=Mul")).group(1)
    tanh = re.match(r"\s*(\w+) ", node_line(g, "label=Tanh")).group(1)
    product = mul.removesuffix("_op")
    assert {(ids["a"], mul), (ids["b"], mul), (mul, product), (product, tanh)} <= edges


def test_numbers_are_formatted_compactly():
    assert style.number(0.123456) == "0.1235"
    assert style.number(2.0) == "2"
    assert style.number(1.5e-7) == "1.5e-07"
    assert style.number(float("inf")) == "inf"


# --- Tensor graphs ------------------------------------------------------------------------


def test_tensor_records_show_shape_dtype_and_summaries():
    data = np.arange(12, dtype=np.float32).reshape(3, 4) - 5
    x = Tensor(data, requires_grad=True)
    y = (x * 2.0).sum()
    y.backward()
    g = viz.draw(y, names={x: "x"})
    line = node_line(g, "{ x |")
    assert "(3, 4) float32" in line
    assert f"data mean {style.number(data.mean())}  max\\|x\\| 6" in line
    assert "grad mean 2  max\\|x\\| 2" in line
    # An intermediate Tensor has no gradient unless retained.
    assert "(3, 4) float32 | data mean 1  max\\|x\\| 12 | grad None" in g.source


def test_retain_grads_makes_intermediate_gradients_visible():
    x = Tensor(np.ones(5), requires_grad=True)
    h = x * 3.0
    y = h.sum()
    viz.retain_grads(y)
    y.backward()
    assert "data mean 3  max\\|x\\| 3 | grad mean 1  max\\|x\\| 1" in viz.draw(y).source


def test_small_tensors_are_shown_in_full_and_op_arguments_in_the_op_label():
    x = Tensor(np.array([1.0, -2.0]), requires_grad=True)
    y = x.sum(axis=0)
    assert "data [1, -2]" in viz.draw(y).source
    assert 'label="Sum\n(0,), False"' in viz.draw(y).source


# --- modules, names, colours --------------------------------------------------------------


def test_parameters_are_named_and_clustered_by_module():
    net, out = mlp_graph()
    g = viz.draw(out, module=net)
    found = clusters(g)
    assert set(found) == {"0: Linear", "1: Linear"}
    inside0 = "\n".join(found["0: Linear"])
    assert "{ 0.weight | (4, 3) float32" in inside0 and "{ 0.bias | (4,) float32" in inside0
    assert "label=Linear" in inside0 and "label=Tanh" in inside0  # layer's op and activation
    assert "0.weight" not in "\n".join(found["1: Linear"])
    # The input data and the loss stay outside every cluster.
    outside = [line for line in g.body if line not in sum(found.values(), [])]
    assert any("(5, 3) float32" in line for line in outside)
    assert any('label="Sum' in line for line in outside)
    # Parameters are outlined.
    assert "penwidth=2" in node_line(g, "{ 0.weight |")


def test_names_mapping_names_nodes_and_dotted_names_cluster():
    w, x = Tensor(np.ones(3), requires_grad=True), Tensor(np.ones(3))
    y = (w * x).sum()
    g = viz.draw(y, names={w: "enc.w", y: "loss"})
    assert "{ enc.w |" in g.source and "{ loss |" in g.source
    assert list(clusters(g)) == ["enc"]


def test_fill_colour_follows_log_gradient_magnitude():
    a, b, c = Value(1.0, label="a"), Value(1.0, label="b"), Value(1.0, label="c")
    y = a * 1e-6 + b + c * 0.0
    y.backward()
    g = viz.draw(y)
    fill = {k: re.search(r'fillcolor="(#\w+)"', node_line(g, f"{{ {k} |")).group(1) for k in "abc"}
    assert fill["a"] == "#ffffcc"  # smallest magnitude: palest
    assert fill["b"] == "#f03b20"  # largest: darkest
    assert fill["c"] == style.ZERO_GRAD_FILL
    # the legend's swatches span the graph's range: palest at 1e-06, darkest at 1
    assert '<td bgcolor="#ffffcc" border="1">&nbsp;&nbsp;&nbsp;&nbsp;</td>' in g.source
    assert "|grad| 1e-06" in g.source and "|grad| 1&" in g.source
    assert "fillcolor" not in viz.draw(y, color_by_grad=False).source


# --- big graphs ---------------------------------------------------------------------------


def test_collapse_to_module_level_beyond_the_node_limit():
    net = nn.Sequential(nn.Linear(2, 3), nn.Linear(3, 3), nn.Linear(3, 1))
    x = Tensor(np.ones((4, 2), dtype=np.float32))
    out = net(x).sum()
    out.backward()
    full = viz.draw(out, module=net)
    assert len(records(full)) == 11  # x; per layer W, b and the fused x W^T + b; the sum
    g = viz.draw(out, module=net, max_nodes=5)
    assert len(records(g)) <= 5 and not clusters(g)
    boxes = [line for line in records(g) if "parameters" in line]
    assert len(boxes) == 3
    assert "{ 0: Linear | 3 values | 2 parameters (9 elements) | ops: Linear" in boxes[0]
    assert "max_nodes=5" in g.source


def test_a_graph_without_modules_keeps_the_values_nearest_the_root():
    x = Value(0.0, label="start")
    for _ in range(100):
        x = x + 1.0
    g = viz.draw(x, max_nodes=10)
    assert len(records(g)) == 10  # 9 values and the box for the rest
    assert "… 92 more values" in g.source and "start" not in g.source
    assert "data 100 " in g.source


def test_ids_are_stable_across_rebuilds():
    def build():
        a, b = Value(0.5, label="a"), Value(-1.5, label="b")
        return ((a * b).exp() + a).tanh()

    first, second = viz.draw(build()).source, viz.draw(build()).source
    assert first == second
    assert re.findall(r"\bv\d+\b", first)


def test_deep_graph_draws_without_recursion():
    x = Value(1.0)
    for _ in range(20000):
        x = x * 1.0
    x.backward()  # also: the graph is still drawable after backward released it
    assert len(records(viz.draw(x))) == 250
    y = Value(1.0)
    for _ in range(3000):
        y = y.tanh()
    assert len(records(viz.draw(y, max_nodes=None))) == 3001


def test_bad_arguments_raise_clear_errors():
    with pytest.raises(TypeError, match="root must be a Value or Tensor"):
        viz.draw(3.0)
    with pytest.raises(ValueError, match="rankdir"):
        viz.draw(Value(1.0), rankdir="XY")
    with pytest.raises(TypeError, match="named_parameters"):
        viz.draw(Value(1.0), module=object())
    with pytest.raises(ValueError, match="max_nodes"):
        viz.draw(Value(1.0), max_nodes=0)


# --- rendering ----------------------------------------------------------------------------


@pytest.fixture
def without_dot(monkeypatch):
    """Render the way a machine without the Graphviz package does: through pygraphviz."""
    pytest.importorskip("pygraphviz")
    real_which = shutil.which
    monkeypatch.setattr(
        shutil, "which", lambda cmd, *a, **k: None if cmd == "dot" else real_which(cmd, *a, **k)
    )


def test_render_svg_and_png_with_pygraphviz_only(without_dot, tmp_path):
    net, out = mlp_graph()
    svg = viz.render(out, tmp_path / "mlp.svg", module=net)
    png = viz.render(viz.draw(out), str(tmp_path / "mlp.png"))
    assert svg == str(tmp_path / "mlp.svg") and png == str(tmp_path / "mlp.png")
    text = (tmp_path / "mlp.svg").read_text()
    assert "<svg" in text and "0.weight" in text
    assert (tmp_path / "mlp.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.skipif(shutil.which("dot") is None, reason="the dot program is not on PATH")
def test_render_with_dot_on_path(tmp_path):
    path = viz.render(Value(1.0) * 2.0, tmp_path / "g.png")
    assert open(path, "rb").read(4) == b"\x89PNG"


def test_jupyter_display_works_without_dot(without_dot):
    bundle = viz.draw(Value(1.0, label="a").exp())._repr_mimebundle_()
    assert "<svg" in bundle["image/svg+xml"] and "a" in bundle["image/svg+xml"]


def test_no_renderer_error_names_the_fix(monkeypatch, tmp_path):
    monkeypatch.setattr(shutil, "which", lambda *a, **k: None)
    monkeypatch.setitem(sys.modules, "pygraphviz", None)
    with pytest.raises(viz.RendererNotFoundError, match=r"pip install pygraphviz"):
        viz.render(Value(1.0).exp(), tmp_path / "g.svg")
    assert not (tmp_path / "g.svg").exists()
    assert "digraph" in viz.draw(Value(1.0).exp()).source  # the DOT source needs no renderer


def test_render_rejects_unknown_suffixes_and_options_for_a_drawing(tmp_path):
    with pytest.raises(ValueError, match=r"\.svg, \.png"):
        viz.render(Value(1.0), tmp_path / "g.jpg")
    with pytest.raises(TypeError, match="existing drawing"):
        viz.render(viz.draw(Value(1.0)), tmp_path / "g.svg", rankdir="TB")


def test_numbers_never_round_to_a_misleading_whole_number():
    assert style.number(0.99997) == "0.99997"
    assert style.number(-2.00001) == "-2.00001"
    assert style.number(3.0) == "3"


def test_operand_order_is_drawn_for_non_commutative_ops():
    x = Value(3.0, label="x")
    one_minus = viz.draw(1 - x).source
    minus_one = viz.draw(x - 1).source
    assert 'label="Sub: a − b"' in one_minus
    # 1 - x: the constant is operand a and x operand b; x - 1 the other way round
    assert re.search(r"v\d+_c0 -> v\d+_op \[label=a", one_minus)
    assert re.search(r"v0 -> v\d+_op \[label=b", one_minus)
    assert re.search(r"v0 -> v\d+_op \[label=a", minus_one)
    assert re.search(r"v\d+_c1 -> v\d+_op \[label=b", minus_one)
    # x - x: two edges from x, one per operand
    same = viz.draw(x - x).source
    assert re.search(r"v0 -> v1_op \[label=a", same) and re.search(r"v0 -> v1_op \[label=b", same)
    # commutative ops carry no operand names
    assert "label=a" not in viz.draw(2 * x + 1).source


def test_gradient_legend_shows_swatches_for_the_graph_range():
    a = Value(2.0, label="a")
    y = a * a * 0.01
    y.backward()
    source = viz.draw(y).source
    assert "label=<<table" in source and "|grad| 1" in source and "no grad" in source
