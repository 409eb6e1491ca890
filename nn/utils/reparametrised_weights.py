"""``weight_norm`` and ``spectral_norm`` (PyTorch's ``nn.utils`` hook-based forms): a module's
weight recomputed before every forward from new parameters.

- weight norm (Salimans and Kingma, 2016): ``w = g * v / ||v||``, the norm taken over every
  dimension but ``dim`` (over all of ``v`` when ``dim`` is None or -1, as PyTorch); the module
  gets parameters ``<name>_g`` and ``<name>_v`` in place of ``<name>``.
- spectral norm (Miyato et al., 2018): ``w = w_orig / sigma``, sigma the largest singular value
  of ``w_orig`` (as a matrix with ``dim`` first), estimated by power iteration on buffers
  ``<name>_u`` and ``<name>_v``, advanced in training mode only; the parameter becomes
  ``<name>_orig``.
"""

from __future__ import annotations

from typing import Any, TypeVar

import numpy as np

from autograd import Tensor, no_grad
from autograd.random import default_generator

from ..module import Module
from ..parameter import Parameter

M = TypeVar("M", bound=Module)


def _hook_of(module: Module, kind: type, name: str) -> Any:
    for hook in module.__dict__.get("_forward_pre_hooks", {}).values():
        if isinstance(hook, kind) and getattr(hook, "name", None) == name:
            return hook
    return None


def _parameter(module: Module, name: str, op: str) -> Tensor:
    p = module._parameters.get(name)
    if not isinstance(p, Tensor):
        raise AttributeError(f"{op}: {type(module).__name__} has no parameter {name!r}")
    return p


def _check_unhooked(module: Module, kind: type, name: str, op: str) -> None:
    if _hook_of(module, kind, name) is not None:
        raise RuntimeError(f"Cannot register two {op} hooks on the same parameter {name}")


def _norm_except_dim(v: Tensor, dim: int | None) -> Tensor:
    """The 2-norm of ``v`` over every axis but ``dim`` (keeping it), or over all of ``v``."""
    if dim is None or dim == -1:
        return (v * v).sum().sqrt()
    axes = tuple(a for a in range(v.ndim) if a != dim % v.ndim)
    return (v * v).sum(dim=axes, keepdim=True).sqrt()


class _WeightNorm:
    """The forward pre-hook that recomputes ``<name>`` from ``<name>_g`` and ``<name>_v``."""

    def __init__(self, name: str, dim: int | None) -> None:
        self.name, self.dim = name, dim
        self.handle: Any = None

    def compute(self, module: Module) -> Tensor:
        g = getattr(module, self.name + "_g")
        v = getattr(module, self.name + "_v")
        return v * (g / _norm_except_dim(v, self.dim))

    def __call__(self, module: Module, inputs: Any) -> None:
        setattr(module, self.name, self.compute(module))


def weight_norm(module: M, name: str = "weight", dim: int | None = 0) -> M:
    """Reparametrise ``module.<name>`` as ``g * v / ||v||`` (see the module doc); returns
    ``module``."""
    _check_unhooked(module, _WeightNorm, name, "weight_norm")
    weight = _parameter(module, name, "weight_norm")
    if dim is not None and not -weight.ndim <= dim < weight.ndim:
        raise IndexError(
            f"weight_norm: dim {dim} is out of range for the {weight.ndim}-d parameter {name!r}"
        )
    hook = _WeightNorm(name, dim)
    hook.handle = module.register_forward_pre_hook(hook)
    with no_grad():
        g = _norm_except_dim(Tensor(weight._data), dim)._data.copy()
    del module._parameters[name]
    module.register_parameter(name + "_g", Parameter(g))
    module.register_parameter(name + "_v", Parameter(weight._data))
    hook(module, ())
    return module


def remove_weight_norm(module: M, name: str = "weight") -> M:
    """Undo ``weight_norm``: ``<name>`` is a plain parameter again, with the current value."""
    hook = _hook_of(module, _WeightNorm, name)
    if hook is None:
        raise ValueError(f"weight_norm of {name!r} not found in {type(module).__name__}")
    with no_grad():
        weight = hook.compute(module)._data.copy()
    hook.handle.remove()
    del module._parameters[name + "_g"], module._parameters[name + "_v"]
    module.__dict__.pop(name, None)
    module.register_parameter(name, Parameter(weight))
    return module


def _as_matrix(w: Any, dim: int) -> Any:
    """``w`` (a Tensor or an array) with axis ``dim`` first, flattened to (size of dim, rest)."""
    if dim != 0:
        order = [dim, *[a for a in range(w.ndim) if a != dim]]
        w = w.permute(*order) if isinstance(w, Tensor) else w.transpose(order)
    return w.reshape(w.shape[0], -1)


def _normalised(x: np.ndarray, eps: float) -> np.ndarray:
    return x / max(float(np.linalg.norm(x)), eps)


class _SpectralNorm:
    """The forward pre-hook that divides ``<name>_orig`` by its estimated spectral norm."""

    def __init__(self, name: str, n_power_iterations: int, dim: int, eps: float) -> None:
        self.name, self.n_power_iterations, self.dim, self.eps = name, n_power_iterations, dim, eps
        self.handle: Any = None

    def compute(self, module: Module, power_iteration: bool) -> Tensor:
        weight = getattr(module, self.name + "_orig")
        u_buf = module._buffers[self.name + "_u"]
        v_buf = module._buffers[self.name + "_v"]
        mat = _as_matrix(weight, self.dim)
        if power_iteration:
            m = mat._data
            u, v = u_buf._data, v_buf._data
            for _ in range(self.n_power_iterations):
                v[...] = _normalised(m.T @ u, self.eps)
                u[...] = _normalised(m @ v, self.eps)
        u, v = Tensor(u_buf._data.copy()), Tensor(v_buf._data.copy())
        sigma = (u * (mat @ v)).sum()
        return weight / sigma

    def __call__(self, module: Module, inputs: Any) -> None:
        setattr(module, self.name, self.compute(module, module.training))


def _default_dim(module: Module) -> int:
    # a transposed convolution's weight is (in, out, ...): its output axis is 1
    return 1 if type(module).__name__.startswith("ConvTranspose") else 0


def spectral_norm(
    module: M,
    name: str = "weight",
    n_power_iterations: int = 1,
    eps: float = 1e-12,
    dim: int | None = None,
) -> M:
    """Divide ``module.<name>`` by its spectral norm before every forward (see the module
    doc); returns ``module``."""
    if n_power_iterations <= 0:
        raise ValueError(
            "Expected n_power_iterations to be positive, but got "
            f"n_power_iterations={n_power_iterations}"
        )
    _check_unhooked(module, _SpectralNorm, name, "spectral_norm")
    weight = _parameter(module, name, "spectral_norm")
    dim = _default_dim(module) if dim is None else dim % weight.ndim
    hook = _SpectralNorm(name, n_power_iterations, dim, eps)
    hook.handle = module.register_forward_pre_hook(hook)
    h, w = _as_matrix(weight._data, dim).shape
    rng = default_generator()
    u = _normalised(rng.normal(size=h), eps).astype(weight.dtype)
    v = _normalised(rng.normal(size=w), eps).astype(weight.dtype)
    del module._parameters[name]
    module.register_parameter(name + "_orig", weight)
    module.__dict__[name] = Tensor(weight._data)
    module.register_buffer(name + "_u", Tensor(u))
    module.register_buffer(name + "_v", Tensor(v))
    return module


def remove_spectral_norm(module: M, name: str = "weight") -> M:
    """Undo ``spectral_norm``: ``<name>`` is a plain parameter again, the normalised value."""
    hook = _hook_of(module, _SpectralNorm, name)
    if hook is None:
        raise ValueError(f"spectral_norm of {name!r} not found in {type(module).__name__}")
    with no_grad():
        weight = hook.compute(module, False)._data.copy()
    hook.handle.remove()
    del module._parameters[name + "_orig"]
    del module._buffers[name + "_u"], module._buffers[name + "_v"]
    module.__dict__.pop(name, None)
    module.register_parameter(name, Parameter(weight))
    return module
