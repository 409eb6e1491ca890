"""Training diagnostics: gradient norms, update-to-weight ratios, dead and saturated units.

The notes' warnings made measurable: ReLU units that output 0 for every example (dead; no
gradient flows through them), sigmoid/tanh outputs pinned near their asymptotes (saturated;
their derivative s(1 - s) or 1 - t^2 is near 0, so gradients vanish), layers whose gradients
shrink towards the input, and steps that are too large or too small for the weights (an
update-to-weight ratio around 1e-3 is a common rule of thumb for SGD).

Typical use after a training step::

    before = model.state_dict()          # copies, taken before optimizer.step()
    loss.backward(); optimizer.step()
    report = diagnose(model, x_batch, before=before)
    print(report.grad_norms, report.update_ratios, report.activations)
    plot_diagnostics(report, "diagnostics.png")
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from autograd import no_grad
from autograd.node import Node

from ..activations import ReLU, Sigmoid, Tanh
from ..module import Module

SATURATION_TOL = 0.01


def _array(x: Any) -> np.ndarray:
    if isinstance(x, Node):
        x = x._data
    if isinstance(x, (list, tuple)):
        x = [v._data if isinstance(v, Node) else v for v in x]
    return np.asarray(x, dtype=np.float64)


def _layer_of(name: str) -> str:
    return name.rsplit(".", 1)[0] if "." in name else ""


def _named(params: Any) -> list[tuple[str, Any]]:
    if isinstance(params, Module) or callable(getattr(params, "named_parameters", None)):
        return list(params.named_parameters())
    if isinstance(params, Mapping):
        return list(params.items())
    raise TypeError(
        "expected a Module (or anything with named_parameters()) or a mapping name -> "
        f"parameter, got {type(params).__name__}"
    )


def _group(names: Iterable[str], per: str) -> dict[str, list[str]]:
    if per not in ("layer", "parameter"):
        raise ValueError(f"per must be 'layer' or 'parameter', got {per!r}")
    groups: dict[str, list[str]] = {}
    for name in names:
        groups.setdefault(_layer_of(name) if per == "layer" else name, []).append(name)
    return groups


def _norm(arrays: Iterable[np.ndarray], norm_type: float) -> float:
    flat = np.concatenate([a.reshape(-1) for a in arrays]) if arrays else np.zeros(0)
    if norm_type == float("inf"):
        return float(np.max(np.abs(flat))) if flat.size else 0.0
    return float(np.sum(np.abs(flat) ** norm_type) ** (1.0 / norm_type))


def grad_norms(params: Any, norm_type: float = 2.0, per: str = "layer") -> dict[str, float]:
    """The gradient norm of each layer (all its parameters' gradients taken together), or of
    each parameter with ``per='parameter'``. Layers are module paths (``'0'`` for
    ``0.weight``); parameters without a gradient are left out.

    ``params`` is a Module or a mapping name -> parameter (Tensor or Value).
    """
    grads = {n: _array(p.grad) for n, p in _named(params) if p.grad is not None}
    return {
        key: _norm([grads[n] for n in names], norm_type)
        for key, names in _group(grads, per).items()
    }


def update_ratios(
    params: Any,
    before: Mapping[str, Any] | None = None,
    lr: float | None = None,
    per: str = "layer",
) -> dict[str, float]:
    """||update|| / ||weights|| per layer (or per parameter).

    With ``before`` (e.g. ``model.state_dict()`` taken before ``optimizer.step()``) the update
    is the actual change ``after - before`` and the weights are ``before``; with ``lr`` it is
    the plain-SGD step ``lr * grad`` relative to the current weights.
    """
    if (before is None) == (lr is None):
        raise ValueError(
            "update_ratios: pass exactly one of before= (weights before the step) "
            "or lr= (the SGD step lr * grad)"
        )
    updates: dict[str, np.ndarray] = {}
    weights: dict[str, np.ndarray] = {}
    for name, p in _named(params):
        now = _array(p)
        if before is not None:
            if name not in before:
                raise KeyError(f"update_ratios: no weights for {name!r} in before")
            old = _array(before[name])
            if old.shape != now.shape:
                raise ValueError(
                    f"update_ratios: {name!r} had shape {old.shape} before, {now.shape} now"
                )
            updates[name], weights[name] = now - old, old
        elif p.grad is not None:
            updates[name], weights[name] = lr * _array(p.grad), now
    result = {}
    for key, names in _group(updates, per).items():
        w = _norm([weights[n] for n in names], 2.0)
        u = _norm([updates[n] for n in names], 2.0)
        result[key] = u / w if w > 0 else (0.0 if u == 0 else float("inf"))
    return result


def dead_fraction(activations: Any) -> float:
    """The fraction of units (features) that are <= 0 for every example of the batch.

    ``activations`` are a ReLU layer's outputs, shape (batch, units...): the first axis is
    the batch.
    """
    a = _array(activations)
    if a.ndim < 2:
        raise ValueError(f"dead_fraction: expected (batch, units...), got shape {a.shape}")
    dead = np.all(a <= 0, axis=0)
    return float(dead.mean())


def saturated_fraction(activations: Any, kind: str, tol: float = SATURATION_TOL) -> float:
    """The fraction of outputs within ``tol`` of the function's asymptotes.

    ``kind='sigmoid'``: outputs below tol or above 1 - tol (there s(1 - s) < tol);
    ``kind='tanh'``: |outputs| above 1 - tol (there 1 - t^2 < 2 tol).
    """
    a = _array(activations)
    if kind == "sigmoid":
        saturated = (a < tol) | (a > 1 - tol)
    elif kind == "tanh":
        saturated = np.abs(a) > 1 - tol
    else:
        raise ValueError(f"saturated_fraction: kind must be 'sigmoid' or 'tanh', got {kind!r}")
    return float(saturated.mean()) if a.size else 0.0


@dataclass
class ActivationStats:
    """What one activation module produced on a batch."""

    kind: str
    mean: float
    std: float
    dead_fraction: float | None = None
    saturated_fraction: float | None = None


_KINDS = ((ReLU, "relu"), (Sigmoid, "sigmoid"), (Tanh, "tanh"))


def _kind(m: Module) -> str | None:
    return next((k for cls, k in _KINDS if isinstance(m, cls)), None)


def activation_stats(
    model: Module, x: Any, tol: float = SATURATION_TOL
) -> dict[str, ActivationStats]:
    """Run ``model`` on the batch ``x`` (without recording a graph) and measure the output of
    every ReLU, Sigmoid and Tanh module, keyed by module path.

    Activations applied as functions (``F.relu``) rather than modules are not seen.
    """
    outputs: dict[str, np.ndarray] = {}
    watched = [(name, m, kind) for name, m in model.named_modules() if (kind := _kind(m))]

    def recording(name: str, forward: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            out = forward(*args, **kwargs)
            outputs[name] = _array(out)
            return out

        return wrapper

    try:
        for name, m, _ in watched:
            m.__dict__["forward"] = recording(name, m.forward)
        with no_grad():
            model(x)
    finally:
        for _, m, _ in watched:
            m.__dict__.pop("forward", None)
    stats = {}
    for name, _, kind in watched:
        if name not in outputs:
            continue
        a = outputs[name]
        s = ActivationStats(kind, float(a.mean()), float(a.std()))
        if kind == "relu":
            s.dead_fraction = dead_fraction(a) if a.ndim >= 2 else float(np.all(a <= 0))
        else:
            s.saturated_fraction = saturated_fraction(a, kind, tol)
        stats[name] = s
    return stats


@dataclass
class Diagnostics:
    """Per-layer gradient norms, update-to-weight ratios and activation statistics."""

    grad_norms: dict[str, float] = field(default_factory=dict)
    update_ratios: dict[str, float] = field(default_factory=dict)
    activations: dict[str, ActivationStats] = field(default_factory=dict)


def diagnose(
    model: Module,
    x: Any = None,
    before: Mapping[str, Any] | None = None,
    lr: float | None = None,
) -> Diagnostics:
    """Everything at once: gradient norms (from ``.grad``), update ratios (when ``before`` or
    ``lr`` is given) and activation statistics (when a batch ``x`` is given)."""
    return Diagnostics(
        grad_norms=grad_norms(model),
        update_ratios={} if before is None and lr is None else update_ratios(model, before, lr),
        activations={} if x is None else activation_stats(model, x),
    )


def plot_diagnostics(report: Diagnostics, path: str | os.PathLike[str] | None = None) -> Any:
    """Bar charts of a ``Diagnostics`` report (a matplotlib Figure; saved when ``path`` is
    given): gradient norm and update ratio per layer on log scales, and the fraction of dead
    or saturated units per activation module."""
    try:
        import matplotlib.pyplot as plt
    except ImportError:
        raise ImportError(
            "plot_diagnostics needs matplotlib: pip install matplotlib "
            '(or pip install "provengrad[demos]")'
        ) from None
    panels: list[tuple[str, dict[str, Any], bool, float | None]] = [
        ("gradient norm per layer", report.grad_norms, True, None),
        ("update / weight ratio per layer", report.update_ratios, True, 1e-3),
        (
            "dead (ReLU) or saturated (sigmoid, tanh) fraction",
            {
                f"{name} ({s.kind})": (
                    s.dead_fraction if s.dead_fraction is not None else s.saturated_fraction
                )
                for name, s in report.activations.items()
            },
            False,
            None,
        ),
    ]
    panels = [p for p in panels if p[1]]
    if not panels:
        raise ValueError("plot_diagnostics: the report is empty")
    fig, axes = plt.subplots(1, len(panels), figsize=(4.5 * len(panels), 3.6), squeeze=False)
    for ax, (title, data, log, reference) in zip(axes[0], panels):
        labels = [k or "(model)" for k in data]
        heights = [max(v, 1e-30) if log else v for v in data.values()]
        ax.bar(range(len(heights)), heights, color="#4c72b0")
        ax.set_xticks(range(len(labels)), labels, rotation=45, ha="right")
        ax.set_title(title, fontsize=10)
        if log:
            ax.set_yscale("log")
        else:
            ax.set_ylim(0, 1)
        if reference is not None:
            ax.axhline(reference, color="#c44e52", linestyle="--", linewidth=1)
    fig.tight_layout()
    if path is not None:
        fig.savefig(path)
    return fig
