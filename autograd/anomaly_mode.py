"""Anomaly detection for the backward pass: ``detect_anomaly``, ``set_detect_anomaly``.

When it is on (and ``check_nan``), every op's backward is checked as it runs: a gradient
with a NaN in it raises a RuntimeError naming the op and which of its gradients it was, as
PyTorch's ``Function 'MulBackward0' returned nan values in its 0th output.``

The engine reads the mode once per backward call, not once per node: when it is off the
backward pass costs exactly what it did before. The mode is global, not per thread (as in
PyTorch).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

from .coo_data import COOData

# [enabled, check_nan]: read by the engine at the start of each backward call
STATE = [False, True]


def is_anomaly_enabled() -> bool:
    """Whether anomaly detection is on."""
    return STATE[0]


def is_anomaly_check_nan_enabled() -> bool:
    """Whether anomaly detection, when on, checks gradients for NaN."""
    return STATE[1]


def set_anomaly_enabled(enabled: bool, check_nan: bool = True) -> None:
    """Turn anomaly detection on or off (PyTorch's ``torch.set_anomaly_enabled``)."""
    STATE[0] = bool(enabled)
    STATE[1] = bool(check_nan)


class detect_anomaly:  # noqa: N801  (PyTorch's name)
    """Context manager (and decorator) turning anomaly detection on inside its block.

    ``with autograd.detect_anomaly(): loss.backward()`` raises at the first op whose backward
    returns a gradient containing NaN, naming the op. Only for debugging: it slows backward.
    """

    def __init__(self, check_nan: bool = True) -> None:
        self.prev = STATE[0]
        self.check_nan = check_nan
        self.prev_check_nan = STATE[1]
        warnings.warn(
            "Anomaly Detection has been enabled. This mode will increase the runtime and "
            "should only be enabled for debugging.",
            stacklevel=2,
        )

    def __enter__(self) -> None:
        set_anomaly_enabled(True, self.check_nan)

    def __exit__(self, *args: object) -> None:
        set_anomaly_enabled(self.prev, self.prev_check_nan)

    def __call__(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        import functools

        @functools.wraps(fn)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            with self:
                return fn(*args, **kwargs)

        return wrapped


class set_detect_anomaly:  # noqa: N801  (PyTorch's name)
    """Set anomaly detection on or off, now; as a context manager, restore the previous
    setting at the end of the block (``set_detect_anomaly(True)`` alone just turns it on)."""

    def __init__(self, mode: bool, check_nan: bool = True) -> None:
        self.prev = STATE[0]
        self.prev_check_nan = STATE[1]
        set_anomaly_enabled(mode, check_nan)

    def __enter__(self) -> None:
        pass

    def __exit__(self, *args: object) -> None:
        set_anomaly_enabled(self.prev, self.prev_check_nan)


def _backward_name(fn: type) -> str:
    """The op's backward as PyTorch names it: ``MulBackward0`` for a built-in op,
    ``MyFuncBackward`` for a user's Function."""
    name = fn.__name__
    return f"{name}Backward0" if fn.__module__.startswith("autograd.") else f"{name}Backward"


def _has_nan(g: Any) -> bool:
    data = getattr(g, "data", g)  # a node's data under create_graph
    if isinstance(data, COOData):  # a sparse gradient: its stored values
        data = data.values
    if isinstance(data, float):
        return data != data
    arr = np.asarray(data)
    return arr.dtype.kind in "fc" and bool(np.isnan(arr).any())


def nan_checker(
    observer: Callable[[Any, Any, tuple], None] | None,
) -> Callable[[Any, Any, tuple], None]:
    """An engine observer that raises when an op's backward returned NaN (then calls
    ``observer``, the one it replaces, if any)."""

    def check(node: Any, g: Any, in_grads: tuple) -> None:
        for k, gi in enumerate(in_grads):
            if gi is not None and _has_nan(gi):
                raise RuntimeError(  # (a folded node is its own _ctx)
                    f"Function '{_backward_name(node._ctx.fn)}' returned nan values in its {k}th "
                    "output."
                )
        if observer is not None:
            observer(node, g, in_grads)

    return check
