"""The floor of a pure-Python tensor engine on the tiny MLP, next to ours and numpy by hand.

Issue 12 asks the tiny tensor MLP (``benchmarks.tensor_mlp``'s: 2-16-16-1, batch 100, float64,
max-margin + L2) for <= 2.0x the hand-written numpy step. Its arrays are tiny, so most of a
step is per-op Python work rather than arithmetic. This script measures how close engines
written in Python get, so that the gap between the target and ours can be split into what any
recording engine costs and what our constraints and checks cost.

Contenders, on the same network and weights, checked against the numpy floor's loss and
gradients before timing:
- numpy floor: ``benchmarks.tensor_mlp``'s hand-written forward and backward;
- bare: one slotted node per op holding a closure with its derivative (micrograd's way, on
  arrays); backward newest-first from a heap, as ours;
- bare+rules: one object per op that is also its op's context, forward and backward by our
  own rules (``autograd.ops``' Function classes and ``nn.functional``'s Linear): the shape
  "each derivative written once" imposes, with none of our checks (dtype rules, in-place
  version stamps, grad mode, broadcast conformance beyond a shape test, ``.grad`` as a
  Tensor, hooks, retain_graph);
- ours: ``benchmarks.tensor_mlp.tensor_step`` (F.linear, Tensor ops).
Every step is a full SGD step (forward, backward, update); contenders take turns, and the
median per step is reported.

Run: python -m benchmarks.tensor_floor [--repeats N]
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"  # before numpy is imported, as benchmarks.tensor_mlp

import argparse  # noqa: E402
from collections.abc import Callable  # noqa: E402
from functools import partial  # noqa: E402
from heapq import heappop, heappush  # noqa: E402
from itertools import count  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402

from autograd import Tensor  # noqa: E402
from autograd.ops.activations import ReLU  # noqa: E402
from autograd.ops.arithmetic import Add, Mul, Sub  # noqa: E402
from autograd.ops.reductions import Mean, Sum  # noqa: E402
from benchmarks.data import mlp_weights, two_moons  # noqa: E402
from benchmarks.tensor_mlp import (  # noqa: E402
    ALPHA,
    LR,
    as_tensors,
    numpy_loss_and_grads,
    numpy_step,
    tensor_step,
)
from benchmarks.timing import interleaved_median_ms, row, verdict  # noqa: E402
from nn.functional.linear import Linear  # noqa: E402

SIZES = [2, 16, 16, 1]
_REDUCE = (True, False, False)  # needs_input_grad of a reduction over every axis
_seq = count().__next__
_new = object.__new__


def _backward_from(root: Any, seed: np.ndarray, input_grads: Callable[[Any, Any], tuple]) -> None:
    """Newest-first backward shared by both bare engines: ``input_grads(node, g)`` gives one
    gradient per entry of ``node._inputs`` (None where there is none); leaves accumulate."""
    grads = {root: seed}
    heap = [(-root._seq, root)]
    while heap:
        node = heappop(heap)[1]
        g = grads.pop(node)
        if node._inputs is None:  # a leaf
            node.grad = g if node.grad is None else node.grad + g
            continue
        for parent, gp in zip(node._inputs, input_grads(node, g)):
            if gp is None or not isinstance(parent, type(node)):
                continue
            if type(gp) is not np.ndarray or gp.shape != parent.data.shape:
                gp = _sum_to(np.asarray(gp), parent.data.shape)
            prev = grads.get(parent)
            if prev is None:
                grads[parent] = gp
                heappush(heap, (-parent._seq, parent))
            else:
                grads[parent] = prev + gp


def _sum_to(g: np.ndarray, shape: tuple) -> np.ndarray:
    """A broadcast gradient summed back to ``shape`` (leading axes, then size-1 axes)."""
    g = g.sum(axis=tuple(range(g.ndim - len(shape)))) if g.ndim > len(shape) else g
    axes = tuple(i for i, s in enumerate(shape) if s == 1 and g.shape[i] != 1)
    return g.sum(axis=axes, keepdims=True) if axes else g


class _Leaves:
    """What both bare engines' nodes share: making a leaf (no inputs)."""

    __slots__ = ()
    data: Any
    grad: Any
    _inputs: Any
    _seq: int

    @classmethod
    def leaf(cls, data: np.ndarray) -> Any:
        node: Any = _new(cls)
        node.data, node.grad, node._inputs, node._seq = data, None, None, _seq()
        return node


class BareTensor(_Leaves):
    """One slotted node per op; its closure ``_grads(g)`` returns the input gradients."""

    __slots__ = ("data", "grad", "_inputs", "_grads", "_seq")
    _grads: Callable[[Any], tuple]

    @classmethod
    def _op(cls, data: Any, inputs: tuple, grads: Callable[[Any], tuple]) -> BareTensor:
        node = _new(cls)
        node.data = data if type(data) is np.ndarray else np.asarray(data)
        node.grad, node._inputs, node._grads, node._seq = None, inputs, grads, _seq()
        return node

    def __add__(self, other: Any) -> BareTensor:
        b = other.data if type(other) is BareTensor else other
        return BareTensor._op(self.data + b, (self, other), lambda g: (g, g))

    __radd__ = __add__

    def __mul__(self, other: Any) -> BareTensor:
        a, b = self.data, other.data if type(other) is BareTensor else other
        return BareTensor._op(a * b, (self, other), lambda g: (g * b, g * a))

    __rmul__ = __mul__

    def __rsub__(self, other: Any) -> BareTensor:
        return BareTensor._op(other - self.data, (self,), lambda g: (-g,))

    def relu(self) -> BareTensor:
        y = np.maximum(self.data, 0)
        mask = y != 0
        return BareTensor._op(y, (self,), lambda g: (g * mask,))

    def sum(self) -> BareTensor:
        shape = self.data.shape
        return BareTensor._op(self.data.sum(), (self,), lambda g: (np.full(shape, g),))

    def mean(self) -> BareTensor:
        shape, n = self.data.shape, self.data.size
        return BareTensor._op(self.data.sum() / n, (self,), lambda g: (np.full(shape, g / n),))

    @staticmethod
    def linear(x: BareTensor, W: BareTensor, b: BareTensor) -> BareTensor:
        xd, Wd = x.data, W.data
        y = xd.dot(Wd.T)
        y += b.data

        def grads(g: np.ndarray) -> tuple:
            gx = g.dot(Wd) if x._inputs is not None else None
            return gx, g.T.dot(xd), np.ones(len(g)).dot(g)

        return BareTensor._op(y, (x, W, b), grads)

    def backward(self) -> None:
        _backward_from(self, np.ones(self.data.shape), lambda node, g: node._grads(g))


class RulesTensor(_Leaves):
    """One object per op that is also the op's context: our Function rules, no checks."""

    __slots__ = (
        "data",
        "grad",
        "fn",
        "_inputs",
        "needs_input_grad",
        "saved_tensors",
        "_seq",
        "__dict__",  # attributes a rule's forward sets for its backward
    )
    fn: Any
    needs_input_grad: tuple
    saved_tensors: tuple

    @staticmethod
    def _node(fn: Any, inputs: tuple, needs: tuple, raw: tuple) -> RulesTensor:
        node = _new(RulesTensor)
        node.saved_tensors = ()
        node.needs_input_grad = needs
        out = fn.forward(node, *raw)
        node.data = out if type(out) is np.ndarray else np.asarray(out)
        node.grad, node.fn, node._inputs, node._seq = None, fn, inputs, _seq()
        return node

    @staticmethod
    def _binary(fn: Any, a: Any, b: Any) -> RulesTensor:
        ra, rb = type(a) is RulesTensor, type(b) is RulesTensor
        raw = (a.data if ra else a, b.data if rb else b)
        return RulesTensor._node(fn, (a, b), (ra, rb), raw)

    def __add__(self, other: Any) -> RulesTensor:
        return RulesTensor._binary(Add, self, other)

    def __radd__(self, other: Any) -> RulesTensor:
        return RulesTensor._binary(Add, other, self)

    def __mul__(self, other: Any) -> RulesTensor:
        return RulesTensor._binary(Mul, self, other)

    def __rmul__(self, other: Any) -> RulesTensor:
        return RulesTensor._binary(Mul, other, self)

    def __rsub__(self, other: Any) -> RulesTensor:
        return RulesTensor._binary(Sub, other, self)

    def relu(self) -> RulesTensor:
        return RulesTensor._node(ReLU, (self,), (True,), (self.data,))

    def sum(self) -> RulesTensor:
        return RulesTensor._node(Sum, (self, None, False), _REDUCE, (self.data, None, False))

    def mean(self) -> RulesTensor:
        return RulesTensor._node(Mean, (self, None, False), _REDUCE, (self.data, None, False))

    @staticmethod
    def linear(x: RulesTensor, W: RulesTensor, b: RulesTensor) -> RulesTensor:
        # the network's input (a leaf) needs no gradient
        needs = (x._inputs is not None, True, True)
        return RulesTensor._node(Linear, (x, W, b), needs, (x.data, W.data, b.data))

    def backward(self) -> None:
        def input_grads(node: RulesTensor, g: Any) -> tuple:
            out = node.fn.backward(node, g)
            return out if type(out) is tuple else (out,)

        _backward_from(self, np.ones(self.data.shape), input_grads)


def bare_loss(kind: Any, params: list, x: Any, target: np.ndarray) -> Any:
    """benchmarks.tensor_mlp's max-margin loss, on a bare engine's nodes."""
    last = len(params) - 1
    for k, (W, b) in enumerate(params):
        x = kind.linear(x, W, b)
        if k != last:
            x = x.relu()
    data_loss = (1 - x * target).relu().mean()
    return data_loss + ALPHA * sum((p * p).sum() for layer in params for p in layer)


def bare_step(kind: Any, params: list, x: Any, target: np.ndarray) -> float:
    """One SGD step on a bare engine (the update as benchmarks.tensor_mlp's)."""
    loss = bare_loss(kind, params, x, target)
    flat = [p for layer in params for p in layer]
    for p in flat:
        p.grad = None
    loss.backward()
    for p in flat:
        p.data -= LR * p.grad
    return float(loss.data)


def check_same_numbers(kind: Any, weights: list, X: np.ndarray, y: np.ndarray) -> None:
    """A bare engine gives the numpy floor's loss and gradients for the same weights."""
    loss, grads = numpy_loss_and_grads(
        [(W.copy(), b.copy()) for W, b in weights], X, y, "max_margin"
    )
    params = [(kind.leaf(W.copy()), kind.leaf(b.copy())) for W, b in weights]
    total = bare_loss(kind, params, kind.leaf(X), y)
    total.backward()
    assert np.isclose(float(total.data), loss, rtol=1e-12), (kind.__name__, total.data, loss)
    for (W, b), (gW, gb) in zip(params, grads):
        np.testing.assert_allclose(W.grad, gW, rtol=1e-10, atol=1e-14)
        np.testing.assert_allclose(b.grad, gb, rtol=1e-10, atol=1e-14)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=2000, help="timed steps per contender")
    args = parser.parse_args()

    X, labels = two_moons(100)
    X = X.astype(np.float64)
    y = labels.astype(np.float64)[:, None]
    weights = mlp_weights(SIZES, seed=1, dtype=np.float64)
    for kind in (BareTensor, RulesTensor):
        check_same_numbers(kind, weights, X, y)

    def bare_contender(kind: Any) -> Callable[[], float]:
        params = [(kind.leaf(W.copy()), kind.leaf(b.copy())) for W, b in weights]
        return partial(bare_step, kind, params, kind.leaf(X), y)

    contenders: dict[str, Callable[[], object]] = {
        "numpy floor": partial(
            numpy_step, [(W.copy(), b.copy()) for W, b in weights], X, y, "max_margin"
        ),
        "bare (closure per op)": bare_contender(BareTensor),
        "bare+rules (our Function rules)": bare_contender(RulesTensor),
        "ours": partial(tensor_step, as_tensors(weights), Tensor(X), y, "max_margin"),
    }
    ms = interleaved_median_ms(contenders, args.repeats, warmup=20)
    print("MLP 2-16-16-1, batch 100, float64, max-margin + L2, one SGD step; every engine")
    print(f"gives the numpy floor's loss and gradients; median of {args.repeats} alternating steps")
    base = ms["numpy floor"]
    for name, t in ms.items():
        print(row(f"{name} ms/step", t, None if name == "numpy floor" else base))
    print(verdict("bare/numpy", ms["bare (closure per op)"] / base, 2.0))
    print(verdict("bare+rules/numpy", ms["bare+rules (our Function rules)"] / base, 2.0))
    print(verdict("ours/numpy", ms["ours"] / base, 2.0))
    rules = ms["bare+rules (our Function rules)"]
    print(f"  ours/bare+rules: {ms['ours'] / rules:.3f}x (what our checks and layers add)")


if __name__ == "__main__":
    main()
