"""Random programs that use a tensor (or views of it) in recorded ops and then change it in
place, several times over, written once for our library and for torch (``lib`` is
``autograd`` or ``torch``): the ops recorded before each change must keep the old values.

A program is a list of steps on a base ``h = x * 1.5`` (``x`` a (3, 4) leaf) and the views
taken of it:

- ``("view", kind)``: take ``VIEWS[kind]`` of the base;
- ``("use", target, kind)``: record ``USES[kind]`` of a target (the base or a view);
- ``("change", target, op, no_grad)``: change a target in place by ``OPS[op]`` (under
  ``no_grad()`` if asked), with a partner that requires grad;
- ``("hook", target)``: register a gradient hook on a target that logs what it sees (not
  on a view once something changed: torch 2.13 crashes registering a hook on a view whose
  base changed since the view was taken; nor on a view in a program with a change under
  ``no_grad()``: torch then gives the view a new grad_fn at its next use, so the hook sees
  only the uses before, where ours sees all of them).

Targets are numbered modulo how many there are (0 is the base). The loss weighs every
target's final value and every use (``weighted``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from tests.autograd.view_programs import OPS as ALL_OPS
from tests.autograd.view_programs import VIEWS, weighted

# smooth ones only (finite differences check the gradients); exp_ repeated overflows
OPS = {k: v for k, v in ALL_OPS.items() if k not in {"clamp_", "masked_fill_", "exp_"}}


def _custom_double(lib: Any, t: Any) -> Any:
    """A custom Function that saves nothing, applied to ``t``."""

    class Double(lib.autograd.Function):
        @staticmethod
        def forward(ctx: Any, a: Any) -> Any:
            return a * 2

        @staticmethod
        def backward(ctx: Any, g: Any) -> Any:
            return g * 2

    return Double.apply(t)


# recorded uses of a target: some save nothing of it or only their output (torch allows the
# change after them), some save it (torch then refuses the backward: ours is exact)
USES: dict[str, Any] = {
    "exp": lambda lib, t: t.exp(),
    "tanh": lambda lib, t: t.tanh(),
    "scaled": lambda lib, t: t * 2.5,
    "sum": lambda lib, t: t.sum(),
    "clone": lambda lib, t: t.clone(),
    "custom": _custom_double,
    "sin": lambda lib, t: t.sin(),
    "square": lambda lib, t: t * t,
}


def run(lib: Any, x: Any, steps: list) -> tuple[list, list, list]:
    """Run ``steps`` from the leaf ``x``: (targets, uses, hook logs)."""
    h = x * 1.5
    targets = [h]
    uses: list = []
    logs: list = []
    partner_scale = x.sum() * 0.05 + 1
    changed = False
    quiet = any(step[0] == "change" and step[3] for step in steps)
    for step in steps:
        if step[0] == "view":
            targets.append(VIEWS[step[1]](h))
            continue
        t = targets[step[1] % len(targets)]
        if step[0] == "use":
            uses.append(USES[step[2]](lib, t))
        elif step[0] == "hook":
            if t.requires_grad and (t is h or not (changed or quiet)):
                log: list = []
                logs.append(log)
                t.register_hook(lambda g, log=log: log.append(g.detach().clone()))
        else:
            changed = True
            partner = lib.ones_like(t) * partner_scale
            if step[3]:
                with lib.no_grad():
                    OPS[step[2]](t, partner)
            else:
                OPS[step[2]](t, partner)
    return targets, uses, logs


def loss_of(lib: Any, targets: list, uses: list) -> Any:
    """The scalar that weighs every target and use."""
    return weighted(lib, (*targets, *uses))


def has_quiet_change(steps: list) -> bool:
    """Does the program change something under ``no_grad()`` (which no gradient sees, so
    finite differences of the values do not match the gradient there)?"""
    return any(step[0] == "change" and step[3] for step in steps)


def program_loss(lib: Any, x: Any, steps: list) -> Any:
    """The loss of ``steps`` run from ``x``."""
    targets, uses, _ = run(lib, x, steps)
    return loss_of(lib, targets, uses)


def central_differences(f: Any, x0: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    """The gradient of the scalar function ``f`` of an array at ``x0``, numerically."""
    g = np.zeros_like(x0)
    for i in range(x0.size):
        up, down = x0.copy(), x0.copy()
        up.flat[i] += eps
        down.flat[i] -= eps
        g.flat[i] = (f(up) - f(down)) / (2 * eps)
    return g
