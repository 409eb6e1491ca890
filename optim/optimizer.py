"""``Optimizer``: the base class — parameter groups, per-parameter state, zero_grad, step,
and state_dict / load_state_dict in PyTorch's layout."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Iterator, MutableMapping
from typing import Any, TypeVar, overload

import numpy as np

from autograd import Tensor, Value, enable_grad, get_default_dtype
from autograd.row_grad import forget_rows

from ._params import (
    Param,
    check_param,
    dtype_of,
    grad_array,
    grad_rows,
    param_array,
    store_array,
)

_T = TypeVar("_T")  # what a step's closure returns (the loss)


class _Required:
    """Marks a hyperparameter that has no default and must be given."""

    def __repr__(self) -> str:
        return "<required parameter>"


required = _Required()


class ParamState(MutableMapping):
    """``optimizer.state``: one dict per parameter, keyed by the parameter object itself.

    Keys are compared by identity (a Tensor's ``==`` is elementwise). Reading a missing
    parameter gives a new empty dict, as PyTorch's ``defaultdict(dict)`` does.
    """

    def __init__(self) -> None:
        self._entries: dict[int, tuple[Param, dict]] = {}

    def __getitem__(self, p: Param) -> dict:
        entry = self._entries.get(id(p))
        if entry is None:
            entry = self._entries[id(p)] = (p, {})
        return entry[1]

    def __setitem__(self, p: Param, value: dict) -> None:
        self._entries[id(p)] = (p, value)

    def __delitem__(self, p: Param) -> None:
        del self._entries[id(p)]

    def __contains__(self, p: object) -> bool:
        return id(p) in self._entries

    def get(self, p: Param, default: Any = None) -> Any:
        entry = self._entries.get(id(p))
        return default if entry is None else entry[1]

    def __iter__(self) -> Iterator[Param]:
        return (p for p, _ in self._entries.values())

    def __len__(self) -> int:
        return len(self._entries)

    def __repr__(self) -> str:
        return f"ParamState({len(self)} parameters)"


def with_weight_decay(grad: np.ndarray, x: np.ndarray, weight_decay: float) -> np.ndarray:
    """The gradient of loss + weight_decay/2 * ||x||^2 (L2 penalty): g + weight_decay * x."""
    return grad + weight_decay * x if weight_decay != 0 else grad


class Optimizer:
    """Base class of all optimizers.

    ``params`` is an iterable of parameters (Values or Tensors) or of dicts, each a
    parameter group: ``{"params": [...], "lr": ...}`` with per-group options; options a
    group leaves out come from ``defaults``.

    Per-parameter update rules implement ``_update(x, grad, state, group)``, which changes
    the array ``x`` in place; methods that need the whole problem at once (LBFGS, Newton,
    ConjugateGradient) override ``step`` instead. Subclasses check their options per group
    in ``_check_group``.
    """

    def __init__(self, params: Iterable[Any], defaults: dict[str, Any]) -> None:
        if isinstance(params, (Value, Tensor, dict)):
            raise TypeError(
                "params must be an iterable of Values/Tensors or of dicts (parameter groups), "
                f"got a single {type(params).__name__}; wrap it in a list"
            )
        self.defaults = dict(defaults)
        self.state = ParamState()
        self.param_groups: list[dict[str, Any]] = []
        groups = list(params)
        if not groups:
            raise ValueError("optimizer got an empty parameter list (params)")
        if not isinstance(groups[0], dict):
            groups = [{"params": groups}]
        for group in groups:
            self.add_param_group(group)

    # --- parameter groups ---
    def add_param_group(self, param_group: dict[str, Any]) -> None:
        """Add a group of parameters with its own options (missing ones from defaults)."""
        if not isinstance(param_group, dict):
            raise TypeError(f"a parameter group must be a dict, got {type(param_group).__name__}")
        group = dict(param_group)
        params = group.get("params")
        if params is None:
            raise ValueError("a parameter group needs a 'params' entry")
        if isinstance(params, (Value, Tensor)):
            params = [params]
        elif isinstance(params, (set, frozenset)):
            raise TypeError("params must be an ordered collection (a list), not a set")
        params, names = _split_names(list(params))
        if names is not None:
            group["param_names"] = names
        if self.param_groups and ("param_names" in group) != (
            "param_names" in self.param_groups[0]
        ):
            raise ValueError(
                "all optimizer params should be with or without names (named_parameters()); "
                "some parameter groups are with names and some without"
            )
        for p in params:
            check_param(p)
        ids = [id(p) for p in params]
        if len(set(ids)) != len(ids):
            raise ValueError("params: a parameter is given twice; list each parameter once")
        seen = {id(p) for g in self.param_groups for p in g["params"]}
        if seen.intersection(ids):
            raise ValueError("params: a parameter appears in more than one parameter group")
        for name, default in self.defaults.items():
            if default is required and name not in group:
                raise ValueError(
                    f"parameter group didn't specify a value of required option {name}"
                )
            group.setdefault(name, default)
        group["params"] = params
        self._check_group(group)
        self.param_groups.append(group)

    def _check_group(self, group: dict[str, Any]) -> None:
        """Raise ValueError naming the option if a group's options are invalid."""

    def _all_params(self) -> list[Param]:
        return [p for g in self.param_groups for p in g["params"]]

    # --- the training loop's calls ---
    def zero_grad(self, set_to_none: bool = True) -> None:
        """Reset gradients: Tensors' ``.grad`` to None (or zeros), Values' ``.grad`` to 0.0."""
        for p in self._all_params():
            if isinstance(p, Value):
                p.grad = 0.0
            elif set_to_none:
                p.grad = None
            elif p.grad is not None:
                p.grad._data[...] = 0
                forget_rows(p.grad)

    @overload
    def step(self, closure: None = None) -> None: ...
    @overload
    def step(self, closure: Callable[[], _T]) -> _T: ...
    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Update every parameter that has a gradient once; return the closure's loss."""
        loss = None
        if closure is not None:
            with enable_grad():
                loss = closure()
        for group in self.param_groups:
            maximize = group.get("maximize", False)
            for p in group["params"]:
                grad = grad_array(p)
                if grad is None:
                    continue
                rows = grad_rows(p)
                if maximize:
                    grad = -grad
                x = param_array(p)
                if rows is None:
                    self._update(x, grad, self.state[p], group)
                else:
                    self._update_rows(x, grad, rows, self.state[p], group)
                store_array(p, x)
        return loss

    def _update(self, x: np.ndarray, grad: np.ndarray, state: dict, group: dict) -> None:
        raise NotImplementedError(f"{type(self).__name__} must implement step() or _update()")

    def _update_rows(
        self, x: np.ndarray, grad: np.ndarray, rows: np.ndarray, state: dict, group: dict
    ) -> None:
        """``_update`` for a gradient from ``sparse=True`` lookups (PyTorch's sparse
        gradient): dense ``grad``, zero outside ``rows``. Refused unless overridden, as
        PyTorch's optimizers other than SGD, Adagrad and SparseAdam refuse sparse gradients."""
        raise RuntimeError(f"{type(self).__name__} does not support sparse gradients")

    # --- saving and resuming ---
    def state_dict(self) -> dict[str, Any]:
        """A copy of the optimizer's state in PyTorch's layout.

        ``{"state": {index: {...}}, "param_groups": [{..., "params": [index, ...]}]}``,
        parameters numbered in group order. Unlike PyTorch, arrays are copies, so the
        snapshot does not change as training continues.
        """
        index = {id(p): i for i, p in enumerate(self._all_params())}
        groups = []
        for g in self.param_groups:
            packed = {k: copy.deepcopy(v) for k, v in g.items() if k != "params"}
            packed["params"] = [index[id(p)] for p in g["params"]]
            groups.append(packed)
        state = {index[id(p)]: copy.deepcopy(s) for p, s in self.state.items()}
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore a ``state_dict()``; training then continues exactly where it was saved."""
        saved_groups = state_dict["param_groups"]
        if len(saved_groups) != len(self.param_groups):
            raise ValueError(
                f"loaded state dict has {len(saved_groups)} parameter groups, the optimizer "
                f"has {len(self.param_groups)}"
            )
        by_index: dict[int, Param] = {}
        for i, (saved, group) in enumerate(zip(saved_groups, self.param_groups, strict=True)):
            if len(saved["params"]) != len(group["params"]):
                raise ValueError(
                    f"loaded state dict's parameter group {i} has {len(saved['params'])} "
                    f"parameters, the optimizer's has {len(group['params'])}"
                )
            by_index.update(zip(saved["params"], group["params"], strict=True))
        state = ParamState()
        for i, s in state_dict["state"].items():
            if i not in by_index:
                raise KeyError(f"loaded state dict has state for unknown parameter index {i}")
            p = by_index[i]
            state[p] = {k: _copy_state_value(v, dtype_of(p)) for k, v in s.items()}
        groups = []
        for saved, group in zip(saved_groups, self.param_groups, strict=True):
            new = {k: copy.deepcopy(v) for k, v in saved.items() if k != "params"}
            new["params"] = group["params"]
            groups.append(new)
        self.state = state
        self.param_groups = groups

    def __repr__(self) -> str:
        lines = [f"{type(self).__name__} ("]
        for i, g in enumerate(self.param_groups):
            lines.append(f"Parameter Group {i}")
            lines += [f"    {k}: {v}" for k, v in sorted(g.items()) if k != "params"]
        lines.append(")")
        return "\n".join(lines)


def _split_names(params: list) -> tuple[list, list[str] | None]:
    """The parameters of a group and their names, when given as ``named_parameters()``
    pairs (``(name, parameter)``); names None when given plain."""
    named = [isinstance(p, tuple) for p in params]
    if not any(named):
        return params, None
    if not all(named) or not all(len(p) == 2 and isinstance(p[0], str) for p in params):
        raise TypeError(
            "params: give parameters either all plain or all as (name, parameter) pairs, as "
            "named_parameters() yields them"
        )
    return [p for _, p in params], [name for name, _ in params]


def scalar_state(value: float) -> np.floating:
    """A number kept in an optimizer's per-parameter state as PyTorch keeps it: a 0-d
    float32 tensor (float64 when that is the default dtype), so its rounding is torch's."""
    dt = np.float64 if get_default_dtype() == np.float64 else np.float32
    return dt(value)


def implementation_options(optimizer: str, **given: Any) -> dict[str, Any]:
    """PyTorch's implementation switches (``foreach``, ``fused``, ``capturable``,
    ``differentiable``), checked and returned for the optimizer's defaults.

    ``foreach`` and ``fused`` choose PyTorch's kernels, not the update, so any value is
    accepted and the update is the same; ``capturable`` (CUDA graphs) and ``differentiable``
    (recording the step itself for autograd) change what a step is and are refused.
    """
    for name, value in given.items():
        if value is not None and not isinstance(value, bool):
            raise TypeError(f"{optimizer}: {name} must be a bool or None, got {value!r}")
    if given.get("fused") and given.get("foreach"):
        raise RuntimeError(f"{optimizer}: `fused` and `foreach` cannot be `True` together.")
    if given.get("capturable"):
        raise ValueError(
            f"{optimizer}: capturable=True is for CUDA graph capture; this library computes on "
            "the CPU with numpy (leave capturable=False)"
        )
    if given.get("differentiable"):
        raise ValueError(
            f"{optimizer}: differentiable=True (recording the optimizer step for autograd) is "
            "not supported: steps update the parameters' arrays in place, unrecorded"
        )
    return given


def _copy_state_value(value: Any, dtype: np.dtype) -> Any:
    """A copy of one state entry; floating arrays in the parameter's dtype."""
    if isinstance(value, np.ndarray) and value.dtype.kind == "f":
        return np.array(value, dtype=dtype)
    return copy.deepcopy(value)
