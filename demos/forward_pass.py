"""The notes' forward-propagation example: a 2-2-1 sigmoid network, output 0.6872.

Every number is computed by ``Value`` nodes; ``backward()`` then gives the gradient of the
output with respect to each weight, bias and input, and the graph is drawn.
"""

from __future__ import annotations

from pathlib import Path

from autograd import Value
from demos.cli import output_dir, run
from demos.graph_drawing import draw_graph

INPUTS = (4.218, 2.234)
PARAMETERS = {
    "W111": 1.764,
    "W121": 0.978,
    "b11": 0.950,
    "W112": 0.400,
    "W122": 2.240,
    "b12": -0.151,
    "W211": 1.867,
    "W212": -0.977,
    "bo": -0.103,
}
# what the notes print for a1, h1, a2, h2, a3 and the output
NOTES = {"a1": 10.575, "h1": 0.999, "a2": 6.540, "h2": 0.998, "a3": 0.787, "out": 0.6872}


def forward(x1: Value, x2: Value, p: dict[str, Value]) -> dict[str, Value]:
    """The notes' equations, one Value op at a time; returns every named intermediate."""
    a1 = p["W111"] * x1 + p["W121"] * x2 + p["b11"]
    h1 = a1.sigmoid()
    a2 = p["W112"] * x1 + p["W122"] * x2 + p["b12"]
    h2 = a2.sigmoid()
    a3 = p["W211"] * h1 + p["W212"] * h2 + p["bo"]
    out = a3.sigmoid()
    named = {"a1": a1, "h1": h1, "a2": a2, "h2": h2, "a3": a3, "out": out}
    for name, node in named.items():
        node.label = name
    return named


def notes_rounding() -> Value:
    """The output computed as the notes do: h1 and h2 cut to three decimals before layer 2."""
    a3 = (
        Value(PARAMETERS["W211"]) * Value(NOTES["h1"])
        + Value(PARAMETERS["W212"]) * Value(NOTES["h2"])
        + Value(PARAMETERS["bo"])
    )
    return a3.sigmoid()


def main(out_dir: str | Path, quick: bool = False) -> dict[str, float]:
    """Print the forward pass and the gradients, draw the graph; return the numbers."""
    out_dir = output_dir(out_dir)
    x1, x2 = Value(INPUTS[0], label="X1"), Value(INPUTS[1], label="X2")
    params = {name: Value(v, label=name) for name, v in PARAMETERS.items()}
    named = forward(x1, x2, params)
    out = named["out"]
    print("Forward pass of the notes' 2-2-1 sigmoid network (inputs X1 = 4.218, X2 = 2.234)")
    print(f"  {'node':5} {'engine':>12} {'notes':>8}")
    for name, node in named.items():
        print(f"  {name:5} {node.data:12.6f} {NOTES[name]:8}")
    rounded = notes_rounding().data
    print(
        f"\nThe engine gives out = {out.data:.4f}. The notes' 0.6872 comes from carrying h1 and h2"
        f"\ncut to three decimals (h1 = {named['h1'].data:.5f} written 0.999, h2 ="
        f" {named['h2'].data:.5f} written 0.998)\ninto a3: a3 = 0.787 instead of"
        f" {named['a3'].data:.4f}. With those rounded values the engine also gives {rounded:.4f}."
    )

    out.backward()
    print("\nGradients d(out)/d(node) from backward():")
    for p in [*params.values(), x1, x2]:
        print(f"  {p.label:5} = {p.data:7.3f}   grad = {p.grad: .6e}")
    print(
        "  (h1 and h2 are saturated, sigmoid'(a) = h(1-h) is tiny there, so the layer-1"
        " weights barely matter)"
    )
    draw_graph(out, out_dir, "forward_pass_graph")
    return {
        "out": out.data,
        "notes_rounding": rounded,
        **{p.label: p.grad for p in [*params.values(), x1, x2]},
    }


if __name__ == "__main__":
    run(main, "forward_pass", __doc__)
