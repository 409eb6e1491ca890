"""Tensor gradient hooks (``t.register_hook(fn)``, PyTorch's): ``fn(grad)`` runs when backward
has computed ``t``'s whole gradient, before it is used or stored, and may return a replacement.

Hooks live in the tensor's own ``__dict__`` (no global table keeping tensors alive). The engine
looks for them only once some hook has been registered in the process (``REGISTERED``), so
graphs without hooks pay one check per backward call.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .node import Node
from .row_grad import plain

# how many hooks have ever been registered: 0 lets the engine skip the lookups
REGISTERED = [0]


class RemovableHandle:
    """What ``register_hook`` returns: ``handle.remove()`` unregisters the hook."""

    def __init__(
        self,
        hooks: dict[int, Callable[..., Any]],
        key: int,
        extra_dicts: list[dict[int, Any]] | None = None,
    ) -> None:
        self._hooks = hooks
        self._key = key
        self._extra = extra_dicts or []  # where the hook's flags are kept, by the same key

    def remove(self) -> None:
        """Unregister the hook (again: nothing happens)."""
        self._hooks.pop(self._key, None)
        for d in self._extra:
            d.pop(self._key, None)


def register(tensor: Any, hook: Callable[[Any], Any]) -> RemovableHandle:
    """Add ``hook`` to ``tensor``'s gradient hooks, run in registration order."""
    if not callable(hook):
        raise TypeError(f"register_hook: expected a callable, got {type(hook).__name__}")
    if not tensor.requires_grad:
        raise RuntimeError(
            "register_hook: cannot register a hook on a tensor that doesn't require gradient"
        )
    hooks = tensor.__dict__.setdefault("_grad_hooks", {})
    REGISTERED[0] += 1
    key = REGISTERED[0]
    hooks[key] = hook
    return RemovableHandle(hooks, key)


def run_hooks(node: Any, g: Any) -> Any:
    """``g`` passed through ``node``'s hooks (each sees the previous one's result)."""
    hooks = node.__dict__.get("_grad_hooks") if hasattr(node, "__dict__") else None
    if not hooks:
        return g
    for hook in list(hooks.values()):
        as_tensor = g if isinstance(g, Node) else type(node)._from_op(plain(g), None)
        out: Any = hook(as_tensor)
        if out is not None:
            if not isinstance(out, Node):
                raise TypeError(
                    f"a gradient hook must return None or a Tensor, got {type(out).__name__}"
                )
            if out._data.shape != node._data.shape:
                raise RuntimeError(
                    f"a gradient hook returned a gradient of shape {out._data.shape} for a "
                    f"tensor of shape {node._data.shape}"
                )
            if out._data.dtype != node._data.dtype:
                raise RuntimeError(
                    f"a gradient hook changed the gradient's dtype from {node._data.dtype} to "
                    f"{out._data.dtype}"
                )
            g = out if isinstance(g, Node) else out._data
    return g
