"""Argument checks shared by the optimizers; each error names the argument."""

from __future__ import annotations

from collections.abc import Sequence


def check_nonnegative(name: str, value: float) -> None:
    """Raise ValueError unless ``value >= 0`` (NaN fails too)."""
    if not value >= 0.0:
        raise ValueError(f"{name} must be >= 0, got {value!r}")


def check_positive(name: str, value: float) -> None:
    """Raise ValueError unless ``value > 0`` (NaN fails too)."""
    if not value > 0.0:
        raise ValueError(f"{name} must be > 0, got {value!r}")


def check_unit_interval(name: str, value: float, *, closed: bool = False) -> None:
    """Raise ValueError unless ``0 <= value < 1`` (``<= 1`` when ``closed``)."""
    ok = 0.0 <= value <= 1.0 if closed else 0.0 <= value < 1.0
    if not ok:
        interval = "[0, 1]" if closed else "[0, 1)"
        raise ValueError(f"{name} must be in {interval}, got {value!r}")


def check_betas(betas: Sequence[float]) -> None:
    """Raise ValueError unless ``betas`` is a pair with each beta in [0, 1)."""
    if len(betas) != 2:
        raise ValueError(f"betas must be a pair (beta1, beta2), got {betas!r}")
    for i, beta in enumerate(betas):
        check_unit_interval(f"betas[{i}]", beta)


def check_adam_group(group: dict, *extra: str) -> None:
    """The Adam family's group checks: lr, eps, weight_decay (and ``extra``) >= 0, betas."""
    for name in ("lr", "eps", "weight_decay", *extra):
        check_nonnegative(name, group[name])
    check_betas(group["betas"])


def check_choice(name: str, value: object, choices: Sequence[object]) -> None:
    """Raise ValueError unless ``value`` is one of ``choices``."""
    if value not in choices:
        raise ValueError(f"{name} must be one of {list(choices)!r}, got {value!r}")


def check_closure(optimizer: str, closure: object, *, calls_backward: bool) -> None:
    """Raise TypeError when an optimizer that needs a closure was stepped without one."""
    if closure is None:
        what = (
            "zeroes the gradients, calls loss.backward() and returns the loss"
            if calls_backward
            else "re-evaluates the model and returns the loss (without calling backward)"
        )
        raise TypeError(f"{optimizer}.step() requires a closure argument: a function that {what}")
