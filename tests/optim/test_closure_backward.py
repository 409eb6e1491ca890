"""Newton and ConjugateGradient differentiate the closure's loss themselves: a closure that
calls backward (as an LBFGS closure does) gets an error saying so, whether or not it
retains the graph, for Tensor and Value parameters; the user's .grad is left as it was."""

from __future__ import annotations

import numpy as np
import pytest

import optim
from autograd import Tensor, Value

OPTIMIZERS = [
    ("Newton", lambda ps: optim.Newton(ps)),
    ("ConjugateGradient", lambda ps: optim.ConjugateGradient(ps)),
    ("ConjugateGradient", lambda ps: optim.ConjugateGradient(ps, line_search="armijo")),
]


@pytest.mark.parametrize(("name", "make"), OPTIMIZERS)
@pytest.mark.parametrize("retain_graph", [False, True])
@pytest.mark.parametrize("kind", ["tensor", "value"])
def test_closure_calling_backward_is_refused(name, make, retain_graph, kind) -> None:
    if kind == "tensor":
        w = Tensor(np.array([1.0, -2.0]), requires_grad=True)
        params = [w]

        def loss_fn():
            return ((w - 3.0) * (w - 3.0)).sum()
    else:
        a, b = Value(1.0), Value(-2.0)
        params = [a, b]

        def loss_fn():
            return (a - 3.0) * (a - 3.0) + (b + 1.0) * (b + 1.0)

    opt = make(params)

    def lbfgs_style_closure():
        opt.zero_grad()
        loss = loss_fn()
        loss.backward(retain_graph=retain_graph)
        return loss

    before = [p.data.copy() if kind == "tensor" else p.data for p in params]
    with pytest.raises(
        RuntimeError, match=rf"{name}.step\(closure\): this closure must not call backward"
    ):
        opt.step(lbfgs_style_closure)
    after = [p.data.copy() if kind == "tensor" else p.data for p in params]
    assert all(np.array_equal(x, y) for x, y in zip(before, after))  # no step taken

    # the same problem with a closure that only returns the loss converges
    for _ in range(30):
        opt.step(loss_fn)
    assert float(loss_fn().data) < 1e-8


@pytest.mark.parametrize(("name", "make"), OPTIMIZERS)
def test_grad_attributes_left_untouched(name, make) -> None:
    w = Tensor(np.array([1.0, -2.0]), requires_grad=True)
    make([w]).step(lambda: (w * w).sum())
    assert w.grad is None
    v = Value(0.5)
    v.grad = 7.0
    make([v]).step(lambda: v * v + v)
    assert v.grad == 7.0
