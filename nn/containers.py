"""Modules that hold other modules: ``Sequential``, ``ModuleList`` and ``Residual``."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Iterator
from typing import Any

from autograd import Tensor

from .module import Module


def _check_module(m: Any, where: str) -> Module:
    if not isinstance(m, Module):
        raise TypeError(f"{where}: expected a Module, got {type(m).__name__}")
    return m


class _IndexedModules(Module):
    """Children named "0", "1", ... that can be indexed, counted and iterated."""

    def _index(self, idx: int) -> str:
        n = len(self._modules)
        if not -n <= idx < n:
            raise IndexError(f"index {idx} is out of range for {type(self).__name__} of length {n}")
        return list(self._modules)[idx % n]

    def __getitem__(self, idx: Any) -> Any:
        return self._modules[self._index(idx)]

    def __setitem__(self, idx: int, module: Module) -> None:
        self.add_module(self._index(idx), _check_module(module, f"{type(self).__name__}[{idx}]"))

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[Module]:
        return iter(self._modules.values())

    def append(self, module: Module) -> _IndexedModules:
        """Add ``module`` at the end; returns self."""
        _check_module(module, f"{type(self).__name__}.append")
        self.add_module(str(len(self._modules)), module)
        return self

    def extend(self, modules: Iterable[Module]) -> _IndexedModules:
        """Append each of ``modules``; returns self."""
        for m in modules:
            self.append(m)
        return self


class Sequential(_IndexedModules):
    """Modules applied one after another: ``Sequential(a, b)(x) == b(a(x))``.

    Children are named "0", "1", ... unless given as one ``OrderedDict`` of name -> module.
    """

    def __init__(self, *modules: Any) -> None:
        super().__init__()
        if len(modules) == 1 and isinstance(modules[0], OrderedDict):
            for name, m in modules[0].items():
                self.add_module(name, _check_module(m, f"Sequential entry {name!r}"))
        else:
            for m in modules:
                self.append(m)

    def __getitem__(self, idx: int | slice) -> Any:
        if isinstance(idx, slice):
            return Sequential(OrderedDict(list(self._modules.items())[idx]))
        return super().__getitem__(idx)

    def forward(self, x: Any) -> Any:
        for m in self._modules.values():
            x = m(x)
        return x


class ModuleList(_IndexedModules):
    """A list of modules whose parameters register (a plain Python list does not)."""

    def __init__(self, modules: Iterable[Module] | None = None) -> None:
        super().__init__()
        if modules is not None:
            self.extend(modules)

    def __getitem__(self, idx: int | slice) -> Any:
        if isinstance(idx, slice):
            return ModuleList(list(self._modules.values())[idx])
        return super().__getitem__(idx)

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError("ModuleList has no forward: iterate over it and call its items")


def _shape(x: Any) -> tuple | None:
    if isinstance(x, Tensor):
        return tuple(x.shape)
    shape = getattr(x, "shape", None)
    return tuple(shape) if shape is not None else None


class Residual(Module):
    """A residual (skip) connection around ``module``: ``x + module(x)``.

    The identity path gives gradients a route around ``module`` (the notes' answer to
    vanishing gradients), so ``module`` must keep the shape of its input. Lists of Values
    (micrograd-style layers) are added item by item.
    """

    def __init__(self, module: Module) -> None:
        super().__init__()
        self.module = _check_module(module, "Residual(module)")

    def forward(self, x: Any) -> Any:
        y = self.module(x)
        if isinstance(x, (list, tuple)):  # micrograd-style layers: lists of Values
            if not isinstance(y, (list, tuple)) or len(x) != len(y):
                got = len(y) if isinstance(y, (list, tuple)) else type(y).__name__
                raise ValueError(
                    f"Residual: the wrapped {type(self.module).__name__} turned {len(x)} inputs "
                    f"into {got}; x + module(x) needs as many outputs as inputs"
                )
            return [a + b for a, b in zip(x, y)]
        xs, ys = _shape(x), _shape(y)
        if xs != ys:
            raise ValueError(
                f"Residual: the wrapped {type(self.module).__name__} changed the shape from "
                f"{xs} to {ys}; x + module(x) needs module(x) of the input's shape"
            )
        return x + y
