"""Call a module with some of its parameters and buffers swapped for other tensors, then put
the originals back: the mechanism of ``torch.func.functional_call`` (and of the deprecated
``torch.nn.utils.stateless.functional_call``).

Modules are handled by duck typing (``_parameters`` / ``_buffers`` registries,
``named_parameters``, ``named_buffers``, ``get_submodule``), so ``autograd`` does not import
``nn``. A name is dotted (``"layer1.weight"``); a registered parameter or buffer is replaced
in its registry for the call, any other name is set as a plain attribute (and removed or
restored afterwards), as torch does.
"""

from __future__ import annotations

from typing import Any

from .tensor import Tensor

__all__ = ["call_with_tensors"]

_MISSING = object()


def _owner(module: Any, name: str) -> tuple[Any, str]:
    prefix, _, attr = name.rpartition(".")
    return (module.get_submodule(prefix) if prefix else module), attr


def _swap(module: Any, name: str, value: Any) -> Any:
    """Put ``value`` (``_MISSING``: nothing) under ``name``; return what was there."""
    owner, attr = _owner(module, name)
    d = owner.__dict__
    for registry in ("_parameters", "_buffers"):
        if attr in d[registry]:
            old = d[registry][attr]
            if value is _MISSING:
                del d[registry][attr]
            else:
                d[registry][attr] = value
            return old
    old = d.get(attr, _MISSING)
    if value is _MISSING:
        d.pop(attr, None)
    else:
        object.__setattr__(owner, attr, value)
    return old


def _tie(module: Any, tensors: dict[str, Any]) -> dict[str, Any]:
    """``tensors`` with every name tied to a given one (the same Parameter or buffer object
    under several names) given the same value; two different values for one tied group is
    an error."""
    named: dict[str, Any] = {}
    named.update(module.named_parameters(remove_duplicate=False))
    named.update(module.named_buffers(remove_duplicate=False))
    groups: dict[int, set[str]] = {}
    for n, t in named.items():
        groups.setdefault(id(t), set()).add(n)
    tied = {n: g for g in groups.values() if len(g) > 1 for n in g}
    out = dict(tensors)
    for given in [n for n in tensors if n in tied]:
        names = tied[given]
        values = {id(tensors[n]) for n in names if n in tensors}
        if len(values) > 1:
            raise ValueError(
                f"functional_call got multiple values for keys {sorted(names)}, which are "
                "tied. Consider using tie_weights=False"
            )
        for n in names:
            out[n] = tensors[given]
    return out


def _check_keys(module: Any, tensors: dict[str, Any]) -> None:
    known = {n for n, _ in module.named_parameters(remove_duplicate=False)}
    known |= {n for n, _ in module.named_buffers(remove_duplicate=False)}
    unexpected = [n for n in tensors if n not in known]
    missing = [n for n in known if n not in tensors]
    msgs = []
    if unexpected:
        msgs.append(f"Unexpected key(s): {', '.join(map(repr, unexpected))}.")
    if missing:
        msgs.append(f"Missing key(s): {', '.join(map(repr, missing))}.")
    if msgs:
        raise RuntimeError(
            f"Error(s) in reparametrizing for {type(module).__name__}:\n\t" + "\n\t".join(msgs)
        )


def call_with_tensors(
    module: Any,
    tensors: dict[str, Any],
    args: Any = None,
    kwargs: dict[str, Any] | None = None,
    *,
    tie_weights: bool = True,
    strict: bool = False,
) -> Any:
    """``module(*args, **kwargs)`` with the tensors named in ``tensors`` in place of the
    module's own for the duration of the call. A tensor the call replaced (a buffer that
    forward reassigned) is written back into ``tensors``."""
    swapped = _tie(module, tensors) if tie_weights else dict(tensors)
    if strict:
        _check_keys(module, swapped)
    if kwargs is None:
        kwargs = {}
    if args is None:
        args = ()
    elif not isinstance(args, tuple):
        args = (args,)
    for n, t in swapped.items():
        if t is not None and not isinstance(t, Tensor):
            raise TypeError(f"{t} is not an instance of Tensor (given for {n!r})")
    originals: dict[str, Any] = {}
    try:
        for n, t in swapped.items():
            originals[n] = _swap(module, n, t)
        return module(*args, **kwargs)
    finally:
        for n in reversed(list(originals)):
            now = _swap(module, n, originals[n])
            if n in tensors and now is not _MISSING:
                tensors[n] = now
