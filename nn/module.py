"""``Module``: the base class of layers and models, which finds its parameters by itself.

What registers, on attribute assignment (``self.x = ...``), in assignment order:

- a ``Parameter`` or a ``Value`` becomes a parameter named ``x``;
- a non-empty list or tuple whose items are all Parameters or Values becomes a parameter
  sequence: its items are parameters ``x.0``, ``x.1``, ... (the list itself is kept, so
  ``self.x`` is that list; later changes to it are seen). This is how micrograd-style
  modules hold ``self.w = [Value(...) for _ in range(n)]``;
- a ``Module`` becomes a child named ``x``;
- ``register_buffer`` adds non-trained state (a Tensor or ndarray) saved in ``state_dict``.

Assigning ``None`` to a registered parameter or child keeps its name with no value (it is
skipped by ``parameters()``), as in PyTorch; assigning anything else that is not of the
registered kind raises TypeError. Plain lists of Modules do not register: use
``nn.ModuleList`` or ``nn.Sequential``.
"""

from __future__ import annotations

import warnings
from collections import OrderedDict
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol, TypeVar

import numpy as np

from autograd import Tensor, Value
from autograd.hooks import RemovableHandle
from autograd.row_grad import forget_rows
from autograd.tensor_style_array import TensorStyleArray

from .backward_hooks import tap_inputs, tap_outputs
from .parameter import UNINITIALIZED, Buffer, Parameter

ParamLike = Any  # a Parameter, a Value, or a list/tuple of them

if TYPE_CHECKING:
    from typing_extensions import Self

    _F_co = TypeVar("_F_co", bound=Callable[..., Any], covariant=True)
    _F = TypeVar("_F", bound=Callable[..., Any])

    class _HasForward(Protocol[_F_co]):
        @property
        def forward(self) -> _F_co: ...

    class _CallsForward:
        """What type checkers see as ``Module.__call__``: the type of the instance's own
        bound ``forward`` (overloads included), so ``nn.Linear(2, 1)(x)`` is a Tensor and a
        wrong argument is reported. At run time ``__call__`` is the plain method."""

        def __get__(self, instance: _HasForward[_F], owner: Any) -> _F: ...


class IncompatibleKeys(NamedTuple):
    """What ``load_state_dict(strict=False)`` could not match."""

    missing_keys: list[str]
    unexpected_keys: list[str]

    def __repr__(self) -> str:
        if not self.missing_keys and not self.unexpected_keys:
            return "<All keys matched successfully>"  # what a notebook cell shows, as torch
        return (
            f"_IncompatibleKeys(missing_keys={self.missing_keys}, "
            f"unexpected_keys={self.unexpected_keys})"
        )

    def __str__(self) -> str:
        return repr(self)


def _is_param(value: Any) -> bool:
    return isinstance(value, (Parameter, Value))


def _is_param_sequence(value: Any) -> bool:
    return (
        isinstance(value, (list, tuple))
        and len(value) > 0
        and all(isinstance(v, (Parameter, Value)) for v in value)
    )


def _as_saved_array(p: Any) -> np.ndarray:
    """A copy of a parameter's or buffer's values as an ndarray (Values: 0-d float64), one
    that also answers torch's Tensor methods (``v.clone()``, ``v.cpu()``, ``v.float()``: what
    scripts call on a state_dict's values)."""
    if isinstance(p, Value):
        arr = np.array(p._data, dtype=np.float64)
    elif isinstance(p, Tensor):
        arr = p._data.copy()
    else:
        arr = np.array(p)
    return arr.view(TensorStyleArray)


def _shape_of(p: Any) -> tuple:
    if isinstance(p, Value):
        return ()
    return tuple(p._data.shape) if isinstance(p, Tensor) else tuple(np.shape(p))


def _copy_into(p: Any, arr: np.ndarray) -> None:
    """Write ``arr`` into the existing storage of ``p``, keeping its dtype."""
    if isinstance(p, Value):
        p.data = float(arr)
    elif isinstance(p, Tensor):
        np.copyto(p._data, arr, casting="unsafe")
    else:
        np.copyto(p, arr, casting="unsafe")


def _to_dtype_argument(args: tuple, kwargs: dict) -> Any:
    """The dtype among ``Module.to``'s arguments (None if only a device is given)."""
    unknown = set(kwargs) - {"device", "dtype", "non_blocking", "copy", "memory_format"}
    if unknown:
        raise TypeError(f"Module.to: unexpected keyword argument(s) {sorted(unknown)}")
    dtype = kwargs.get("dtype")
    devices = [kwargs["device"]] if kwargs.get("device") is not None else []
    for a in args:
        if isinstance(a, Tensor):
            dtype = a.dtype
        elif isinstance(a, str) or type(a).__name__ == "device":
            devices.append(a)
        elif isinstance(a, bool):
            continue  # non_blocking
        else:
            dtype = a
    for d in devices:
        if str(d).split(":")[0] != "cpu":
            raise ValueError(f"Module.to: only the 'cpu' device exists here, got {d!r}")
    return dtype


# the hook registries every module has, as PyTorch's (registration fills them)
_HOOK_DICTS = (
    "_forward_hooks",
    "_forward_hooks_with_kwargs",
    "_forward_hooks_always_called",
    "_forward_pre_hooks",
    "_forward_pre_hooks_with_kwargs",
    "_backward_hooks",
    "_backward_pre_hooks",
)

# how many module hooks were ever registered: 0 keeps ``Module.__call__`` a plain call
_HOOKS_REGISTERED = [0]


def _register_module_hook(
    module: Module,
    kind: str,
    hook: Callable[..., Any],
    prepend: bool,
    flags: tuple[str, ...] = (),
) -> RemovableHandle:
    """Add ``hook`` to the module's ``kind`` dict (first with ``prepend``), its key also to
    each flag dict named in ``flags`` (``_forward_hooks_with_kwargs``...), as PyTorch keeps
    them; the handle removes it from all."""
    if not callable(hook):
        raise TypeError(f"{kind.strip('_')}: expected a callable, got {type(hook).__name__}")
    _HOOKS_REGISTERED[0] += 1
    key = _HOOKS_REGISTERED[0]
    hooks = module.__dict__.setdefault(kind, {})
    if prepend:
        rest = dict(hooks)
        hooks.clear()
        hooks[key] = hook
        hooks.update(rest)
    else:
        hooks[key] = hook
    flag_dicts = [module.__dict__.setdefault(f, {}) for f in flags]
    for d in flag_dicts:
        d[key] = True
    return RemovableHandle(hooks, key, extra_dicts=flag_dicts)


def _addindent(text: str, spaces: int) -> str:
    lines = text.split("\n")
    return "\n".join([lines[0]] + [" " * spaces + line for line in lines[1:]])


class Module:
    """Base class of all layers and models: subclass it, assign parts in ``__init__``, and
    write ``forward``; calling the module calls ``forward``."""

    training: bool
    # state a checkpoint may lack (PyTorch fills it in: BatchNorm's num_batches_tracked)
    _optional_state: tuple[str, ...] = ()

    def __init__(self) -> None:
        object.__setattr__(self, "training", True)
        object.__setattr__(self, "_parameters", OrderedDict())
        object.__setattr__(self, "_buffers", OrderedDict())
        object.__setattr__(self, "_non_persistent_buffers", set())
        object.__setattr__(self, "_modules", OrderedDict())
        for hooks in _HOOK_DICTS:  # PyTorch's attributes (scripts read or clear them)
            object.__setattr__(self, hooks, OrderedDict())

    # --- forward ---
    def forward(self, *args: Any, **kwargs: Any) -> Any:
        """The computation; every subclass defines it."""
        raise NotImplementedError(f'Module [{type(self).__name__}] is missing a "forward" method')

    if TYPE_CHECKING:
        __call__ = _CallsForward()
    else:

        def __call__(self, *args: Any, **kwargs: Any) -> Any:
            if not _HOOKS_REGISTERED[0]:  # no module hook anywhere: the plain call
                return self.forward(*args, **kwargs)
            return self._call_with_hooks(args, kwargs)

    def _call_with_hooks(self, args: tuple, kwargs: dict) -> Any:
        d = self.__dict__
        pre_kwargs = d.get("_forward_pre_hooks_with_kwargs", {})
        for key, hook in list(d.get("_forward_pre_hooks", {}).items()):
            if key in pre_kwargs:
                changed = hook(self, args, kwargs)
                if changed is not None:
                    if not (isinstance(changed, tuple) and len(changed) == 2):
                        raise RuntimeError(
                            "forward pre-hook must return None or a tuple of (new_args, "
                            f"new_kwargs), but got {changed}."
                        )
                    args, kwargs = changed
                continue
            changed = hook(self, args)
            if changed is not None:
                args = changed if isinstance(changed, tuple) else (changed,)
        backward_pre_hooks = list(d.get("_backward_pre_hooks", {}).values())
        backward_hooks = list(d.get("_backward_hooks", {}).values())
        if backward_hooks or backward_pre_hooks:
            call, args = tap_inputs(self, backward_hooks, args, backward_pre_hooks)
        forward_hooks = d.get("_forward_hooks", {})
        always = d.get("_forward_hooks_always_called", {})
        try:
            out = self.forward(*args, **kwargs)
        except Exception:
            for key, hook in list(forward_hooks.items()):
                if key in always:  # PyTorch runs these on the failed call too (output None)
                    try:
                        self._run_forward_hook(key, hook, args, kwargs, None)
                    except Exception as e:
                        warnings.warn(
                            f"forward hook with ``always_call=True`` raised an exception that "
                            f"was silenced as another error was raised in forward: {e}",
                            stacklevel=2,
                        )
            raise
        for key, hook in list(forward_hooks.items()):
            changed = self._run_forward_hook(key, hook, args, kwargs, out)
            if changed is not None:
                out = changed
        return tap_outputs(call, out) if backward_hooks or backward_pre_hooks else out

    def _run_forward_hook(
        self, key: int, hook: Callable[..., Any], args: tuple, kwargs: dict, out: Any
    ) -> Any:
        if key in self.__dict__.get("_forward_hooks_with_kwargs", {}):
            return hook(self, args, kwargs, out)
        return hook(self, args, out)

    def register_forward_pre_hook(
        self, hook: Callable[..., Any], *, prepend: bool = False, with_kwargs: bool = False
    ) -> Any:
        """Call ``hook(module, args)`` before each forward; a returned value (a tuple, or one
        input) replaces the positional inputs. With ``with_kwargs``: ``hook(module, args,
        kwargs)``, returning None or ``(new_args, new_kwargs)``. Returns a handle with
        ``remove()``."""
        flags = ("_forward_pre_hooks_with_kwargs",) if with_kwargs else ()
        return _register_module_hook(self, "_forward_pre_hooks", hook, prepend, flags)

    def register_full_backward_pre_hook(
        self, hook: Callable[..., Any], prepend: bool = False
    ) -> Any:
        """Call ``hook(module, grad_output)`` when backward has the gradients with respect to
        a call's outputs, before they go further; a returned tuple replaces ``grad_output``.
        Returns a handle with ``remove()``."""
        return _register_module_hook(self, "_backward_pre_hooks", hook, prepend)

    def register_full_backward_hook(self, hook: Callable[..., Any], prepend: bool = False) -> Any:
        """Call ``hook(module, grad_input, grad_output)`` when backward has the gradients with
        respect to a call's tensor inputs (Grad-CAM reads ``grad_output``); a returned tuple
        replaces ``grad_input``. Returns a handle with ``remove()``."""
        return _register_module_hook(self, "_backward_hooks", hook, prepend)

    def register_backward_hook(self, hook: Callable[..., Any]) -> Any:
        """PyTorch's older form of ``register_full_backward_hook``, as used by Grad-CAM and
        guided-backprop scripts: ``hook(module, grad_input, grad_output)``, a returned tuple
        replacing ``grad_input``. ``grad_output`` and, for a module whose inputs are its only
        differentiable arguments (ReLU...), ``grad_input`` are PyTorch's; for a module with
        parameters PyTorch's old hook gives the gradients of the arguments of the module's
        last op (Linear: bias, input, weight), and here ``grad_input`` holds the inputs'
        gradients only."""
        return _register_module_hook(self, "_backward_hooks", hook, False)

    def register_forward_hook(
        self,
        hook: Callable[..., Any],
        *,
        prepend: bool = False,
        with_kwargs: bool = False,
        always_call: bool = False,
    ) -> Any:
        """Call ``hook(module, args, output)`` after each forward (feature extraction); a
        returned value replaces the output. With ``with_kwargs``: ``hook(module, args,
        kwargs, output)``; with ``always_call`` it also runs (output None) when forward
        raises. Returns a handle with ``remove()``."""
        flags: tuple[str, ...] = ("_forward_hooks_with_kwargs",) if with_kwargs else ()
        if always_call:
            flags += ("_forward_hooks_always_called",)
        return _register_module_hook(self, "_forward_hooks", hook, prepend, flags)

    # --- registration ---
    def _registries(self) -> tuple[dict, dict, dict]:
        try:
            d = self.__dict__
            return d["_parameters"], d["_buffers"], d["_modules"]
        except KeyError:
            raise AttributeError(
                f"cannot assign to {type(self).__name__} before Module.__init__() is called "
                "(call super().__init__() first in your __init__)"
            ) from None

    def _check_new_name(self, name: Any, what: str) -> None:
        if not isinstance(name, str):
            raise TypeError(f"{what} name should be a string, got {type(name).__name__}")
        if not name:
            raise KeyError(f'{what} name can\'t be empty string ""')
        if "." in name:
            raise KeyError(f'{what} name can\'t contain ".", got {name!r}')
        params, buffers, modules = self._registries()
        taken = name in self.__dict__ or (
            hasattr(type(self), name)
            and name not in params
            and name not in buffers
            and name not in modules
        )
        if taken:
            raise KeyError(f"attribute {name!r} already exists")

    def _place(self, registry: str, name: str, value: Any) -> None:
        """Put ``value`` under ``name`` in one registry, removing the name from the others."""
        self.__dict__.pop(name, None)
        for other in ("_parameters", "_buffers", "_modules"):
            if other != registry:
                self.__dict__[other].pop(name, None)
        self.__dict__[registry][name] = value

    def register_parameter(self, name: str, param: ParamLike | None) -> None:
        """Add a parameter (a Parameter, a Value, a list/tuple of them, or None) under ``name``."""
        if name not in self._registries()[0]:
            self._check_new_name(name, "parameter")
        if param is not None and not (_is_param(param) or _is_param_sequence(param)):
            raise TypeError(
                f"cannot assign {type(param).__name__} as parameter {name!r} "
                "(nn.Parameter, Value, a list of them, or None expected)"
            )
        self._place("_parameters", name, param)

    def add_module(self, name: str, module: Module | None) -> None:
        """Add a child module (or None) under ``name``."""
        if name not in self._registries()[2]:
            self._check_new_name(name, "module")
        if module is not None and not isinstance(module, Module):
            raise TypeError(f"{type(module).__name__} is not a Module subclass")
        self._place("_modules", name, module)

    register_module = add_module

    def register_buffer(self, name: str, tensor: Any, persistent: bool = True) -> None:
        """Add non-trained state (a Tensor, an ndarray or None); persistent ones are saved."""
        if name not in self._registries()[1]:
            self._check_new_name(name, "buffer")
        if tensor is not None and not isinstance(tensor, (Tensor, np.ndarray)):
            raise TypeError(
                f"cannot assign {type(tensor).__name__} as buffer {name!r} "
                "(Tensor, ndarray or None expected)"
            )
        self._place("_buffers", name, tensor)
        if persistent:
            self.__dict__["_non_persistent_buffers"].discard(name)
        else:
            self.__dict__["_non_persistent_buffers"].add(name)

    def __setattr__(self, name: str, value: Any) -> None:
        params, buffers, modules = self._registries()
        if _is_param(value) or _is_param_sequence(value):
            self._place("_parameters", name, value)
        elif isinstance(value, Module):
            self._place("_modules", name, value)
        elif name in params:
            self.register_parameter(name, value)
        elif name in modules:
            self.add_module(name, value)
        elif isinstance(value, Buffer):
            self.register_buffer(name, value, value.__dict__["persistent"])
        elif name in buffers:
            self.register_buffer(name, value, name not in self._non_persistent_buffers)
        else:
            object.__setattr__(self, name, value)

    def __getattr__(self, name: str) -> Any:
        # only called when normal lookup fails: look in the registries
        d = self.__dict__
        for registry in ("_parameters", "_buffers", "_modules"):
            if registry in d and name in d[registry]:
                return d[registry][name]
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def __delattr__(self, name: str) -> None:
        for registry in ("_parameters", "_buffers", "_modules"):
            if name in self.__dict__.get(registry, ()):
                del self.__dict__[registry][name]
                self.__dict__["_non_persistent_buffers"].discard(name)
                return
        object.__delattr__(self, name)

    def __dir__(self) -> list[str]:
        names = set(super().__dir__())
        for registry in ("_parameters", "_buffers", "_modules"):
            names.update(self.__dict__.get(registry, ()))
        return sorted(names)

    # --- walking the tree ---
    def named_modules(
        self, memo: set[int] | None = None, prefix: str = "", remove_duplicate: bool = True
    ) -> Iterator[tuple[str, Module]]:
        """(dotted name, module) for this module and every descendant, each once, parents first."""
        if memo is None:
            memo = set()
        if remove_duplicate:
            if id(self) in memo:
                return
            memo.add(id(self))
        yield prefix, self
        for name, child in self._modules.items():
            if child is None:
                continue
            sub = f"{prefix}.{name}" if prefix else name
            yield from child.named_modules(memo, sub, remove_duplicate)

    def modules(self) -> Iterator[Module]:
        """This module and every descendant, each once."""
        for _, m in self.named_modules():
            yield m

    def named_children(self) -> Iterator[tuple[str, Module]]:
        """(name, module) for the direct children, each once."""
        seen: set[int] = set()
        for name, child in self._modules.items():
            if child is not None and id(child) not in seen:
                seen.add(id(child))
                yield name, child

    def children(self) -> Iterator[Module]:
        """The direct children, each once."""
        for _, child in self.named_children():
            yield child

    def _own_parameters(self) -> Iterator[tuple[str, Any]]:
        for name, p in self._parameters.items():
            if p is None:
                continue
            if isinstance(p, (list, tuple)):
                for i, item in enumerate(p):
                    yield f"{name}.{i}", item
            else:
                yield name, p

    def _own_buffers(self) -> Iterator[tuple[str, Any]]:
        for name, b in self._buffers.items():
            if b is not None:
                yield name, b

    def _named_members(
        self,
        members: Callable[[Module], Iterator[tuple[str, Any]]],
        prefix: str,
        recurse: bool,
        remove_duplicate: bool,
    ) -> Iterator[tuple[str, Any]]:
        seen: set[int] = set()
        modules = (
            self.named_modules(prefix=prefix, remove_duplicate=remove_duplicate)
            if recurse
            else [(prefix, self)]
        )
        for mod_prefix, module in modules:
            for name, item in members(module):
                if remove_duplicate:
                    if id(item) in seen:
                        continue
                    seen.add(id(item))
                yield (f"{mod_prefix}.{name}" if mod_prefix else name), item

    def named_parameters(
        self, prefix: str = "", recurse: bool = True, remove_duplicate: bool = True
    ) -> Iterator[tuple[str, Any]]:
        """(dotted name, parameter) pairs; a parameter shared by several modules comes once."""
        return self._named_members(Module._own_parameters, prefix, recurse, remove_duplicate)

    def parameters(self, recurse: bool = True) -> Iterator[Any]:
        """Every parameter (Parameters and Values) of this module and its descendants, once each."""
        for _, p in self.named_parameters(recurse=recurse):
            yield p

    def named_buffers(
        self, prefix: str = "", recurse: bool = True, remove_duplicate: bool = True
    ) -> Iterator[tuple[str, Any]]:
        """(dotted name, buffer) pairs."""
        return self._named_members(Module._own_buffers, prefix, recurse, remove_duplicate)

    def buffers(self, recurse: bool = True) -> Iterator[Any]:
        """Every buffer of this module and its descendants."""
        for _, b in self.named_buffers(recurse=recurse):
            yield b

    def get_parameter(self, target: str) -> Any:
        """The parameter at dotted path ``target`` (``"encoder.0.weight"``)."""
        path, _, name = target.rpartition(".")
        module = self.get_submodule(path)
        p = module._parameters.get(name)
        if p is None:
            raise AttributeError(f"{type(module).__name__} has no parameter {name!r} ({target!r})")
        return p

    def get_submodule(self, target: str) -> Module:
        """The descendant at dotted path ``target`` ("" is this module)."""
        module = self
        if target == "":
            return module
        for part in target.split("."):
            child = module._modules.get(part)
            if child is None:
                raise AttributeError(
                    f"{type(module).__name__} has no submodule {part!r} (looking up {target!r})"
                )
            module = child
        return module

    def apply(self, fn: Callable[[Module], Any]) -> Self:
        """Call ``fn`` on every child (recursively) and then on this module; returns self."""
        for child in self.children():
            child.apply(fn)
        fn(self)
        return self

    # --- training state ---
    def zero_grad(self, set_to_none: bool = True) -> None:
        """Forget every parameter's gradient (Tensors: None, or zeros; Values: 0.0)."""
        for p in self.parameters():
            if isinstance(p, Value):
                p.grad = 0.0
            elif set_to_none or p.grad is None:
                p.grad = None
            else:
                p.grad._data[...] = 0  # in place, as PyTorch's zero_grad(set_to_none=False)
                forget_rows(p.grad)

    def train(self, mode: bool = True) -> Self:
        """Set training mode (``.training``) on this module and all descendants; returns self."""
        if not isinstance(mode, bool):
            raise ValueError(f"train(mode): mode should be a bool, got {mode!r}")
        for m in self.modules():
            object.__setattr__(m, "training", mode)
        return self

    def eval(self) -> Self:
        """Evaluation mode: ``train(False)``."""
        return self.train(False)

    def requires_grad_(self, requires_grad: bool = True) -> Self:
        """Set ``requires_grad`` on every Tensor parameter (Values always take part)."""
        for p in self.parameters():
            if isinstance(p, Tensor):
                p.requires_grad_(requires_grad)
        return self

    def to(self, *args: Any, **kwargs: Any) -> Self:
        """Cast floating and complex parameters (and their grads) and buffers to ``dtype``
        (a floating or complex dtype); returns self.

        Called as PyTorch's: ``to(dtype)``, ``to(device)``, ``to(device, dtype)``,
        ``to(tensor)`` (its dtype) or with ``device=``/``dtype=``; the only device is the CPU
        ('cpu'), so a device alone changes nothing. Parameters keep their identity but get new
        arrays, so build optimizers afterwards. Values stay Python floats.
        """
        dtype = _to_dtype_argument(args, kwargs)
        if dtype is None:
            return self
        dt = np.dtype(dtype)
        if dt.kind not in "fc":
            raise TypeError(f"Module.to: dtype must be a floating or complex dtype, got {dt}")
        return self._cast(dt, "fc")

    def _cast(self, dt: np.dtype, kinds: str) -> Self:
        """Parameters (with their grads) and buffers whose dtype kind is in ``kinds`` become
        ``dt`` (complex to real: the real part, with PyTorch's warning)."""
        warned = False

        def cast(a: Any) -> Any:
            nonlocal warned
            if a.dtype.kind == "c" and dt.kind != "c":
                if not warned:
                    warnings.warn(
                        "Casting complex values to real discards the imaginary part",
                        UserWarning,
                        stacklevel=4,
                    )
                    warned = True
                a = a.real
            return a.astype(dt)

        for p in self.parameters():
            if isinstance(p, Tensor) and p._data.dtype.kind in kinds:
                p.data = cast(p._data)
                if p.grad is not None:
                    p.grad = cast(p.grad)
        for module in self.modules():
            for name, b in module._buffers.items():
                if isinstance(b, Tensor) and b._data.dtype.kind in kinds:
                    b.data = cast(b._data)
                elif isinstance(b, np.ndarray) and b.dtype.kind in kinds:
                    module._buffers[name] = cast(b)
        return self

    def double(self) -> Self:
        """Floating parameters and buffers to float64 (complex ones stay): handy for gradient
        checks."""
        return self._cast(np.dtype(np.float64), "f")

    def float(self) -> Self:
        """Floating parameters and buffers to float32 (complex ones stay)."""
        return self._cast(np.dtype(np.float32), "f")

    def half(self) -> Self:
        """Floating parameters and buffers to float16 (complex ones stay)."""
        return self._cast(np.dtype(np.float16), "f")

    def type(self, dst_type: Any) -> Self:
        """``to(dst_type)``: cast floating parameters and buffers to ``dst_type``."""
        return self.to(dst_type)

    def cpu(self) -> Self:
        """The module itself: everything already lives on the CPU."""
        return self

    def cuda(self, device: Any = None) -> Self:
        """Refused: there is no CUDA device (as PyTorch without one)."""
        raise RuntimeError(
            f"{type(self).__name__}.cuda: device 'cuda' is not available; this library runs on "
            "the CPU only (autograd.cuda.is_available() is False). Use .to('cpu') or leave it"
        )

    # --- state ---
    def _named_state(self) -> Iterator[tuple[str, Any]]:
        """Everything ``state_dict`` saves: parameters and persistent buffers, by every name."""
        for mod_prefix, module in self.named_modules(remove_duplicate=False):
            dot = f"{mod_prefix}." if mod_prefix else ""
            for name, p in module._own_parameters():
                yield dot + name, p
            for name, b in module._buffers.items():
                if b is not None and name not in module._non_persistent_buffers:
                    yield dot + name, b

    def state_dict(self) -> OrderedDict[str, np.ndarray]:
        """Dotted name -> a copy of the values (ndarray; a Value gives a 0-d float64 array)."""
        return OrderedDict((name, _as_saved_array(p)) for name, p in self._named_state())

    def load_state_dict(self, state_dict: Any, strict: bool = True) -> IncompatibleKeys:
        """Copy saved values into the existing parameters and buffers (in place, keeping each
        one's dtype).

        A shape mismatch is always an error naming the key and both shapes. With
        ``strict=True`` missing or unexpected keys are errors too (all of them named);
        otherwise they are returned as ``(missing_keys, unexpected_keys)``; a BatchNorm's
        ``num_batches_tracked`` may be absent (older checkpoints), as in PyTorch, and then
        keeps its value. A lazy module's
        placeholders take the checkpoint's shapes. Nothing is
        written unless every check passes. A parameter shared under several names takes the
        value saved under the first of them (``state_dict`` order).
        """
        if not hasattr(state_dict, "keys") or not hasattr(state_dict, "__getitem__"):
            raise TypeError(
                f"load_state_dict expects a dict of name -> array, got {type(state_dict).__name__}"
            )
        targets = dict(self._named_state())
        optional = {
            f"{prefix}.{name}" if prefix else name
            for prefix, module in self.named_modules()
            for name in module._optional_state
        }
        missing = [k for k in targets if k not in state_dict and k not in optional]
        unexpected = [k for k in state_dict.keys() if k not in targets]
        errors = []
        writes = []
        written: set[int] = set()  # a shared parameter takes the value under its first name
        for key, target in targets.items():
            if key not in state_dict:
                continue
            value = state_dict[key]
            arr = value._data if isinstance(value, (Tensor, Value)) else value
            arr = np.asarray(arr)
            if arr.dtype.kind not in "biufc":
                errors.append(f"for {key!r}: expected a numeric array, got dtype {arr.dtype}")
                continue
            expected = _shape_of(target)
            if isinstance(target, UNINITIALIZED):  # a lazy module's placeholder
                expected = arr.shape
            if arr.shape != expected:
                errors.append(
                    f"size mismatch for {key!r}: the checkpoint has shape {arr.shape}, "
                    f"the model has shape {expected}"
                )
                continue
            if id(target) not in written:
                written.add(id(target))
                writes.append((target, arr))
        if strict:
            if missing:
                errors.insert(0, "missing key(s) in state_dict: " + ", ".join(map(repr, missing)))
            if unexpected:
                errors.insert(
                    0, "unexpected key(s) in state_dict: " + ", ".join(map(repr, unexpected))
                )
        if errors:
            raise RuntimeError(
                f"error(s) in loading state_dict for {type(self).__name__}:\n\t"
                + "\n\t".join(errors)
            )
        for target, arr in writes:
            if isinstance(target, UNINITIALIZED):
                target.materialize(arr.shape)
            _copy_into(target, arr)
        return IncompatibleKeys(missing, unexpected)

    # --- display ---
    def extra_repr(self) -> str:
        """The text inside this module's parentheses in ``repr`` (override to describe it)."""
        return ""

    def __repr__(self) -> str:
        lines = [line for line in self.extra_repr().split("\n") if line]
        for name, child in self._modules.items():
            lines.append(f"({name}): " + _addindent(repr(child), 2))
        head = type(self).__name__ + "("
        if not lines:
            return head + ")"
        if len(lines) == 1 and not self._modules:
            return head + lines[0] + ")"
        return head + "\n  " + "\n  ".join(lines) + "\n)"
