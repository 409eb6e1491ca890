"""Modules that hold other modules: ``Sequential``, ``ModuleList``, ``ModuleDict``,
``ParameterList``, ``ParameterDict`` and ``Residual``."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar, overload

import numpy as np

from autograd import Tensor

from .module import Module, _addindent
from .parameter import Parameter

if TYPE_CHECKING:
    from typing_extensions import Unpack

_R = TypeVar("_R")
_R_co = TypeVar("_R_co", covariant=True)


class _Returns(Protocol[_R_co]):
    """A module whose forward returns ``_R_co`` (for type checkers only)."""

    def forward(self, *args: Any, **kwargs: Any) -> _R_co: ...


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
        if not isinstance(modules, Iterable):
            raise TypeError(
                f"{type(self).__name__}.extend should be called with an iterable, but got "
                f"{type(modules).__name__}"
            )
        for m in modules:
            self.append(m)
        return self

    def _renumber(self, modules: Iterable[Module]) -> None:
        """Make ``modules`` the children, named "0", "1", ... in order."""
        self._modules = OrderedDict((str(i), m) for i, m in enumerate(modules))

    def __delitem__(self, idx: int | slice) -> None:
        """Remove the item(s) at ``idx``; the rest are renumbered from "0"."""
        items = list(self._modules.values())
        if isinstance(idx, slice):
            del items[idx]
        else:
            self._index(idx)  # (an IndexError when out of range)
            items.pop(idx)
        self._renumber(items)

    def insert(self, index: int, module: Module) -> _IndexedModules:
        """Put ``module`` before the item at ``index`` (negative counts from the end); the
        items are renumbered. Returns self."""
        _check_module(module, f"{type(self).__name__}.insert")
        n = len(self._modules)
        if not -n <= index <= n:
            raise IndexError(f"{type(self).__name__}.insert: index {index} is out of range")
        items = list(self._modules.values())
        items.insert(index, module)
        self._renumber(items)
        return self

    def pop(self, key: int | slice) -> Any:
        """Remove and return the item(s) at ``key``."""
        value = self[key]
        del self[key]
        return value


class Sequential(_IndexedModules, Generic[_R]):
    """Modules applied one after another: ``Sequential(a, b)(x) == b(a(x))``.

    Children are named "0", "1", ... unless given as one ``OrderedDict`` of name -> module.
    For type checkers, ``Sequential[R]`` returns what its last module's ``forward`` is
    declared to return (Tensor for ``Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 1))``),
    and Any when that depends on the input or is not known; modules added later must keep R.
    """

    if TYPE_CHECKING:

        def append(self, module: _Returns[_R]) -> Sequential[_R]: ...
        def extend(self, modules: Iterable[_Returns[_R]]) -> Sequential[_R]: ...
        def __setitem__(self, idx: int, module: _Returns[_R]) -> None: ...

    @overload
    def __init__(
        self: Sequential[_R], *modules: Unpack[tuple[Unpack[tuple[Module, ...]], _Returns[_R]]]
    ) -> None: ...
    @overload
    def __init__(self: Sequential[Any], *modules: Any) -> None: ...
    # mypy (2.4) wrongly says *modules: Any does not accept the first overload's
    # *tuple[*tuple[Module, ...], _Returns[_R]]; *modules: object passes, so it is a false report
    def __init__(self, *modules: Any) -> None:  # type: ignore[misc]
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

    def _sequential(self, other: Any, op: str) -> Sequential:
        if not isinstance(other, Sequential):
            raise ValueError(
                f"{op} operator supports only objects of Sequential class, but {type(other)} is "
                "given."
            )
        return other

    def __add__(self, other: Sequential) -> Sequential:
        """A new Sequential of this one's modules, then ``other``'s (the same objects)."""
        return Sequential(*self, *self._sequential(other, "add"))

    def __iadd__(self, other: Sequential) -> Sequential:
        """Append ``other``'s modules; returns self."""
        self.extend(list(self._sequential(other, "add")))
        return self

    def _times(self, other: Any) -> int:
        if isinstance(other, bool) or not isinstance(other, (int, np.integer)):
            raise TypeError(f"unsupported operand type(s) for *: {type(self)} and {type(other)}")
        if other <= 0:
            raise ValueError(f"Non-positive multiplication factor {other} for {type(self)}")
        return int(other)

    def __mul__(self, other: int) -> Sequential:
        """A new Sequential repeating this one's modules ``other`` times (the same objects,
        so the repeats share their parameters, as in PyTorch)."""
        return Sequential(*(list(self) * self._times(other)))

    __rmul__ = __mul__

    def __imul__(self, other: int) -> Sequential:
        """Repeat the modules ``other`` times in place; returns self."""
        self._renumber(list(self) * self._times(other))
        return self

    def forward(self, x: Any) -> _R:
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

    def __add__(self, other: Iterable[Module]) -> ModuleList:
        """A new ModuleList of this one's modules, then ``other``'s (the same objects)."""
        return ModuleList([*self, *other])

    def __iadd__(self, modules: Iterable[Module]) -> ModuleList:
        """Append each of ``modules``; returns self."""
        self.extend(modules)
        return self

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError("ModuleList has no forward: iterate over it and call its items")

    def __repr__(self) -> str:
        """PyTorch's: runs of items that print alike are listed once, as ``(0-5): 6 x ...``."""
        items = [repr(m) for m in self._modules.values()]
        name = type(self).__name__
        if not items:
            return f"{name}()"
        runs: list[list] = []  # [first index, last index, text]
        for i, text in enumerate(items):
            if runs and runs[-1][2] == text:
                runs[-1][1] = i
            else:
                runs.append([i, i, text])
        lines = [
            _addindent(f"({a}): {t}" if a == b else f"({a}-{b}): {b - a + 1} x {t}", 2)
            for a, b, t in runs
        ]
        return f"{name}(\n  " + "\n  ".join(lines) + "\n)"


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


class ModuleDict(Module):
    """A dict of modules (name -> Module) whose parameters register, in insertion order."""

    def __init__(self, modules: Any = None) -> None:
        super().__init__()
        if modules is not None:
            self.update(modules)

    def __getitem__(self, key: str) -> Module:
        return self._modules[key]

    def __setitem__(self, key: str, module: Module) -> None:
        self.add_module(key, _check_module(module, f"ModuleDict[{key!r}]"))

    def __delitem__(self, key: str) -> None:
        del self._modules[key]

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[str]:
        return iter(self._modules)

    def __contains__(self, key: object) -> bool:
        return key in self._modules

    def keys(self) -> Any:
        """The names, in order."""
        return self._modules.keys()

    def values(self) -> Any:
        """The modules, in order."""
        return self._modules.values()

    def items(self) -> Any:
        """(name, module) pairs, in order."""
        return self._modules.items()

    def pop(self, key: str) -> Module:
        """Remove ``key`` and return its module."""
        return self._modules.pop(key)

    def clear(self) -> None:
        """Remove every module."""
        self._modules.clear()

    def update(self, modules: Any) -> None:
        """Add (or replace) modules from a mapping or an iterable of (name, module) pairs."""
        pairs = modules.items() if hasattr(modules, "items") else modules
        for pair in pairs:
            if not isinstance(pair, (tuple, list)) or len(pair) != 2:
                raise TypeError(
                    f"ModuleDict.update: expected (name, module) pairs, got {type(pair).__name__}"
                )
            self[pair[0]] = pair[1]

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError("ModuleDict has no forward: index it and call its items")


def _entry_repr(key: str, p: Any) -> str:
    """One line of a ParameterList's or ParameterDict's repr, as torch's."""
    if isinstance(p, Tensor):
        size = "x".join(str(s) for s in p.shape)
        kind = "Parameter" if isinstance(p, Parameter) else "Tensor"
        return f"  ({key}): {kind} containing: [{p.dtype} of size {size}]"
    return f"  ({key}): Object of type: {type(p).__name__}"


class ParameterList(Module):
    """A list of parameters registered as "0", "1", ... (a plain list of Tensors does not
    register). As PyTorch's, Tensors and arrays become Parameters and other values (``None``
    for Transformer-XL's absent projections) are kept as they are, in their places."""

    def __init__(self, values: Iterable[Any] | None = None) -> None:
        super().__init__()
        object.__setattr__(self, "_size", 0)
        if values is not None:
            self.extend(values)

    @staticmethod
    def _as_parameter(value: Any) -> Any:
        from .parameter import Parameter

        if isinstance(value, Parameter):
            return value
        return Parameter(value)

    def _index(self, idx: int) -> str:
        n = self._size
        if not -n <= idx < n:
            raise IndexError(f"index {idx} is out of range for ParameterList of length {n}")
        return str(idx % n)

    def _set(self, name: str, value: Any) -> None:
        if hasattr(self, name):
            delattr(self, name)
        if isinstance(value, (Tensor, np.ndarray)):
            self.register_parameter(name, self._as_parameter(value))
        else:
            setattr(self, name, value)

    def __getitem__(self, idx: Any) -> Any:
        if isinstance(idx, slice):
            return ParameterList([self[i] for i in range(self._size)][idx])
        return getattr(self, self._index(idx))

    def __setitem__(self, idx: int, value: Any) -> None:
        self._set(self._index(idx), value)

    def __len__(self) -> int:
        return self._size

    def __iter__(self) -> Iterator[Any]:
        return (self[i] for i in range(self._size))

    def append(self, value: Any) -> ParameterList:
        """Add a value at the end (Tensors and arrays become Parameters); returns self."""
        object.__setattr__(self, "_size", self._size + 1)
        self._set(str(self._size - 1), value)
        return self

    def extend(self, values: Iterable[Any]) -> ParameterList:
        """Append each of ``values``; returns self."""
        for v in values:
            self.append(v)
        return self

    def __iadd__(self, values: Iterable[Any]) -> ParameterList:
        """Append each of ``values``; returns self."""
        return self.extend(values)

    def extra_repr(self) -> str:
        return "\n".join(_entry_repr(str(i), p) for i, p in enumerate(self))

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError("ParameterList has no forward: index it")


class ParameterDict(Module):
    """A dict of parameters (name -> Parameter) that register, in insertion order, as
    PyTorch's: Tensors and arrays become Parameters, other values are kept as plain
    attributes. A plain dict passed to the constructor or ``update`` is taken in sorted key
    order (an OrderedDict, a ParameterDict or a list of pairs in its own order), as PyTorch."""

    def __init__(self, parameters: Any = None) -> None:
        super().__init__()
        object.__setattr__(self, "_keys", {})
        if parameters is not None:
            self.update(parameters)

    def _check_key(self, key: Any) -> str:
        if not isinstance(key, str):
            raise TypeError(
                f"ParameterDict: keys must be strings, but got key of type {type(key).__name__}"
            )
        return key

    def __getitem__(self, key: str) -> Any:
        if key not in self._keys:
            raise KeyError(key)
        return getattr(self, key)

    def __setitem__(self, key: str, value: Any) -> None:
        self._check_key(key)
        if key in self._keys:
            delattr(self, key)
        if isinstance(value, (Tensor, np.ndarray)):
            self.register_parameter(key, ParameterList._as_parameter(value))
        else:
            setattr(self, key, value)
        self._keys[key] = None

    def __delitem__(self, key: str) -> None:
        if key not in self._keys:
            raise KeyError(key)
        del self._keys[key]
        delattr(self, key)

    def __len__(self) -> int:
        return len(self._keys)

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __reversed__(self) -> Iterator[str]:
        return reversed(list(self._keys))

    def __contains__(self, key: object) -> bool:
        return key in self._keys

    def keys(self) -> Any:
        """The names, in order."""
        return self._keys.keys()

    def values(self) -> Any:
        """The parameters (and other values), in order."""
        return [self[k] for k in self._keys]

    def items(self) -> Any:
        """(name, parameter) pairs, in order."""
        return [(k, self[k]) for k in self._keys]

    def get(self, key: str, default: Any = None) -> Any:
        """``self[key]`` if present, else ``default``."""
        return self[key] if key in self else default

    def setdefault(self, key: str, default: Any = None) -> Any:
        """``self[key]``, first setting it to ``default`` if absent."""
        if key not in self:
            self[key] = default
        return self[key]

    def pop(self, key: str) -> Any:
        """Remove ``key`` and return its value."""
        value = self[key]
        del self[key]
        return value

    def popitem(self) -> tuple[str, Any]:
        """Remove and return the last (name, value) pair."""
        if not self._keys:
            raise KeyError("popitem(): dictionary is empty")
        key = list(self._keys)[-1]
        return key, self.pop(key)

    def clear(self) -> None:
        """Remove every entry."""
        for key in list(self._keys):
            del self[key]

    def copy(self) -> ParameterDict:
        """A new ParameterDict holding the same parameters (not copies of them)."""
        return ParameterDict(OrderedDict((k, self[k]) for k in self._keys))

    def fromkeys(self, keys: Iterable[str], default: Any = None) -> ParameterDict:
        """A new ParameterDict with each of ``keys`` set to ``default``."""
        return ParameterDict((k, default) for k in keys)

    def update(self, parameters: Any) -> None:
        """Add (or replace) entries from a mapping or an iterable of (name, value) pairs."""
        if isinstance(parameters, (OrderedDict, ParameterDict)):
            pairs: Iterable[Any] = list(parameters.items())
        elif isinstance(parameters, Mapping):
            pairs = sorted(parameters.items())
        elif isinstance(parameters, Iterable) and not isinstance(parameters, (str, bytes)):
            pairs = parameters
        else:
            raise TypeError(
                "ParameterDict.update should be called with an iterable of key/value pairs, "
                f"but got {type(parameters).__name__}"
            )
        for j, pair in enumerate(pairs):
            if not isinstance(pair, Iterable) or isinstance(pair, (str, bytes)):
                raise TypeError(
                    f"ParameterDict update sequence element #{j} should be Iterable; is "
                    f"{type(pair).__name__}"
                )
            pair = tuple(pair)
            if len(pair) != 2:
                raise ValueError(
                    f"ParameterDict update sequence element #{j} has length {len(pair)}; 2 is "
                    "required"
                )
            self[pair[0]] = pair[1]

    def __or__(self, other: Any) -> ParameterDict:
        copy = self.copy()
        copy.update(other)
        return copy

    def __ror__(self, other: Any) -> ParameterDict:
        copy = other.copy()
        copy.update(self)
        return copy

    def __ior__(self, other: Any) -> ParameterDict:
        self.update(other)
        return self

    def extra_repr(self) -> str:
        return "\n".join(_entry_repr(key, p) for key, p in self.items())

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError("ParameterDict has no forward: index it")
