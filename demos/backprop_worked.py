"""The notes' backpropagation example, step by step with the engine's gradients.

Inputs 0.35 and 0.7, sigmoid units h1, h2 and O3, no biases, target 0.5, learning rate 1.
The notes' error terms are delta = y(1 - y)(target - y), i.e. minus the derivative of
E = 1/2 (target - y)^2, and the update w <- w + lr * delta * input is gradient descent on E.
So the engine computes E, calls backward(), and takes one ``optim.SGD(lr=1)`` step. Where the
notes' own arithmetic is off, each line says so and the engine's figure is the right one.
"""

from __future__ import annotations

from pathlib import Path

import optim
from autograd import Value
from demos.cli import output_dir, run
from demos.graph_drawing import draw_graph, explore_graph

INPUTS = (0.35, 0.7)
TARGET = 0.5
LR = 1.0
# the notes' w_{i,j}: from input (or hidden unit) i to unit j; units 1, 2 hidden, 3 output
INITIAL = {"w11": 0.2, "w21": 0.2, "w12": 0.3, "w22": 0.3, "w13": 0.3, "w23": 0.9}
# the notes' figures, and what went wrong where they differ from the engine
NOTES_FORWARD = {
    "a1": (0.21, ""),
    "y3": (0.56, "sigmoid(0.21) = 0.5523; the notes write 0.56, then use 0.57 in a3"),
    "a2": (0.315, ""),
    "y4": (0.59, "sigmoid(0.315) = 0.5781; the notes use 0.59 in a3"),
    "a3": (0.702, "0.3 * 0.5523 + 0.9 * 0.5781; the notes' 0.702 comes from 0.57 and 0.59"),
    "y5": (0.67, "right to two decimals only by luck: sigmoid(0.702) = 0.6686"),
    "error": (-0.17, "0.5 - 0.6651"),
}
NOTES_DELTAS = {
    "delta5": (-0.0376, "carries the rounded y5 = 0.67 and error -0.17"),
    "delta3": (-0.0027, ""),
    "delta4": (-0.0819, "ten times too large: 0.59 * 0.41 * (0.9 * -0.0376) = -0.00819"),
}
NOTES_NEW_WEIGHTS = {
    "w11": (0.200945, "sign lost: 1 * (-0.0027) * 0.35 = -0.000945, so w11 goes DOWN"),
    "w21": (0.269445, "cannot come from delta3 < 0: the weight must go down"),
    "w12": (0.273225, "does not follow from the notes' own delta4"),
    "w22": (0.18534, "does not follow from the notes' own delta4"),
    "w13": (0.086615, "should be 0.3 + delta5 * y3 = 0.3 - 0.0203"),
    "w23": (0.877816, "uses the notes' rounded delta5 and y4 = 0.59"),
}
NOTES_SECOND_PASS = {
    "y3": (0.57, "y3 barely moves: its weights changed by about 1e-3"),
    "y4": (0.56, "y4 goes down a little, to 0.5769"),
    "y5": (0.61, "one step of size 1 moves y5 from 0.6651 to 0.6596, not to 0.61"),
}


def forward(w: dict[str, Value]) -> dict[str, Value]:
    """The notes' forward pass, one Value op at a time, with the notes' names."""
    x1, x2 = INPUTS
    a1 = w["w11"] * x1 + w["w21"] * x2
    y3 = a1.sigmoid()
    a2 = w["w12"] * x1 + w["w22"] * x2
    y4 = a2.sigmoid()
    a3 = w["w13"] * y3 + w["w23"] * y4
    y5 = a3.sigmoid()
    named = {"a1": a1, "y3": y3, "a2": a2, "y4": y4, "a3": a3, "y5": y5}
    for name, node in named.items():
        node.label = name
    return named


def _table(title: str, rows: dict[str, tuple[float, str]], engine: dict[str, float]) -> None:
    print(f"\n{title}")
    print(f"  {'':7} {'engine':>10} {'notes':>10}")
    for name, (noted, why) in rows.items():
        value = engine[name]
        decimals = max(len(repr(noted).split(".")[-1]), 2)
        off = abs(value - noted) > 0.6 * 10.0**-decimals
        flag = f"  <- notes off: {why}" if off else ""
        print(f"  {name:7} {value:10.6f} {noted:10}{flag}")


def main(out_dir: str | Path, quick: bool = False) -> dict[str, float]:
    """Print one training step of the notes' network, draw its graph; return the figures."""
    out_dir = output_dir(out_dir)
    params = {name: Value(v, label=name) for name, v in INITIAL.items()}
    nodes = forward(params)
    y5 = nodes["y5"]
    error = TARGET - y5
    loss = 0.5 * error**2
    figures = {name: node.data for name, node in nodes.items()} | {"error": error.data}
    _table("1. Forward pass (x1 = 0.35, x2 = 0.7, target 0.5)", NOTES_FORWARD, figures)

    loss.label = "E"
    explore_graph(loss, out_dir, "backprop_explorer")  # before backward: it runs its own
    loss.backward()
    draw_graph(loss, out_dir, "backprop_graph")
    # the notes' delta_j is -dE/da_j: the engine's gradient at each weighted sum, negated
    deltas = {"delta5": -nodes["a3"].grad, "delta3": -nodes["a1"].grad, "delta4": -nodes["a2"].grad}
    _table("2. Error terms delta = -dE/da, E = 1/2 (target - y5)^2", NOTES_DELTAS, deltas)
    print("\n   dE/dw from backward() (the update is w <- w - lr * dE/dw):")
    for name in INITIAL:
        print(f"   {name}: {params[name].grad: .6f}")

    optimizer = optim.SGD(params.values(), lr=LR)
    optimizer.step()
    new_weights = {name: p.data for name, p in params.items()}
    _table("3. Updated weights after one SGD step, lr = 1", NOTES_NEW_WEIGHTS, new_weights)

    again = {name: node.data for name, node in forward(params).items()}
    _table("4. Forward pass with the new weights", NOTES_SECOND_PASS, again)
    print(
        f"\n   The error shrinks from {figures['error']:.4f} to {TARGET - again['y5']:.4f};"
        " repeating the step keeps moving y5 towards 0.5."
    )
    return (
        figures
        | deltas
        | {f"new_{k}": v for k, v in new_weights.items()}
        | {"second_y5": again["y5"]}
    )


if __name__ == "__main__":
    run(main, "backprop_worked", __doc__)
