"""``autograd.jit``: PyTorch's ``torch.jit`` for code that scripts or traces its models.

TorchScript compiles a function or module into a graph that computes what the Python code
computes. This library runs the Python code itself, so ``script`` and ``trace`` return what
they are given (a traced module keeps its parameters, buffers, state_dict and train/eval
mode, as PyTorch's shares them), after the checks PyTorch makes on their arguments; the
decorators (``ignore``, ``unused``, ``export``, ``interface``...) return the function or class
unchanged. ``save``/``load`` of TorchScript archives cannot work and raise an error naming
the alternative (a state_dict with ``autograd.save``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, Final, TypeVar  # Final: torch.jit.Final, typing's

from .node import Node

__all__ = [
    "Final",
    "Future",
    "TracerWarning",
    "annotate",
    "export",
    "fork",
    "freeze",
    "ignore",
    "interface",
    "is_scripting",
    "is_tracing",
    "load",
    "optimize_for_inference",
    "save",
    "script",
    "script_if_tracing",
    "script_method",
    "trace",
    "trace_module",
    "unused",
    "wait",
]

_T = TypeVar("_T")
_F = TypeVar("_F", bound=Callable[..., Any])
_tracing = threading.local()


def __getattr__(name: str) -> Any:
    """``ScriptModule``, an nn.Module subclass, from ``nn`` (which builds on this package)."""
    if name == "ScriptModule":
        from nn.script_module import ScriptModule

        return ScriptModule
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class TracerWarning(Warning):
    """PyTorch's warning category for code a trace may not capture (scripts filter it)."""


def _is_module(obj: Any) -> bool:
    """True for an nn.Module instance or class (by name: autograd does not import nn)."""
    cls = obj if isinstance(obj, type) else type(obj)
    return any(c.__name__ == "Module" and c.__module__ == "nn.module" for c in cls.__mro__)


def script(
    obj: Any,
    optimize: None = None,
    _frames_up: int = 0,
    _rcb: Callable[[str], Any] | None = None,
    example_inputs: Any = None,
) -> Any:
    """``obj`` itself: a function, an nn.Module instance or a plain class, which compute here
    exactly what a TorchScript compilation of them would. An nn.Module class (not an
    instance) and built-in types are refused, as in PyTorch."""
    if isinstance(obj, type):
        if _is_module(obj):
            raise RuntimeError(
                f"Type '{obj}' cannot be compiled since it inherits from nn.Module, pass an "
                "instance instead"
            )
        if obj.__module__ == "builtins":
            raise TypeError(f"{obj} is a built-in class")
        return obj
    if not callable(obj) and not _is_module(obj):
        raise TypeError(f"{type(obj)} is a built-in class")
    return obj


def _check_outputs(out: Any) -> None:
    """Refuse what PyTorch's tracer cannot return: anything but tensors in tuples, lists and
    dicts."""
    if isinstance(out, Node):
        return
    if isinstance(out, (tuple, list)):
        for item in out:
            _check_outputs(item)
        return
    if isinstance(out, dict):
        for item in out.values():
            _check_outputs(item)
        return
    raise RuntimeError(
        "Only tensors, lists, tuples of tensors, or dictionary of tensors can be output from "
        f"traced functions (got {type(out).__name__})"
    )


def _run_traced(fn: Callable[..., Any], args: Any, kwargs: Any) -> None:
    """Call ``fn`` once on the example inputs, with ``is_tracing()`` true, and check what it
    returns (as PyTorch's tracer, which runs the code to record it)."""
    if isinstance(args, Node):
        args = (args,)
    depth = getattr(_tracing, "depth", 0)
    _tracing.depth = depth + 1
    try:
        out = fn(**kwargs) if args is None else fn(*args, **(kwargs or {}))
    finally:
        _tracing.depth = depth
    _check_outputs(out)


def trace(
    func: Any,
    example_inputs: Any = None,
    optimize: Any = None,
    check_trace: bool = True,
    check_inputs: Any = None,
    check_tolerance: float = 1e-5,
    strict: bool = True,
    _force_outplace: bool = False,
    _module_class: Any = None,
    _compilation_unit: Any = None,
    example_kwarg_inputs: dict[str, Any] | None = None,
    _store_inputs: bool = True,
) -> Any:
    """``func`` (a function or an nn.Module) itself, after running it once on
    ``example_inputs`` (a tensor or a tuple of them; or ``example_kwarg_inputs``, a dict) to
    check that it accepts them and returns tensors (in tuples, lists or dicts).

    Unlike a PyTorch trace, which records the operations of that one run, the result keeps
    its Python control flow: code whose branches depend on the data runs them each call."""
    if not callable(func):
        raise RuntimeError(
            f"trace: expected a function or an nn.Module to trace, got {type(func).__name__}"
        )
    if example_inputs is None and example_kwarg_inputs is None:
        raise TypeError("trace: example_inputs (or example_kwarg_inputs) must be given")
    if example_inputs is not None and not isinstance(example_inputs, (Node, tuple, list)):
        raise TypeError(f"'{type(example_inputs).__name__}' object is not iterable")
    _run_traced(func, example_inputs, example_kwarg_inputs)
    return func


def trace_module(
    mod: Any,
    inputs: dict[str, Any],
    optimize: Any = None,
    check_trace: bool = True,
    check_inputs: Any = None,
    check_tolerance: float = 1e-5,
    strict: bool = True,
    _force_outplace: bool = False,
    _module_class: Any = None,
    _compilation_unit: Any = None,
    example_inputs_is_kwarg: bool = False,
    _store_inputs: bool = True,
) -> Any:
    """``mod`` itself, after running each method named in ``inputs`` (method name -> example
    inputs) once on its inputs, as ``trace`` does for ``forward``."""
    if not _is_module(mod) or isinstance(mod, type):
        raise AttributeError("expected torch.nn.Module as the first argument")
    if not isinstance(inputs, dict):
        raise AttributeError("expected a dictionary of (method_name, input) pairs")
    for name, example in inputs.items():
        method = getattr(mod, name)
        if example_inputs_is_kwarg:
            _run_traced(method, None, example)
        else:
            _run_traced(method, example, None)
    return mod


def _pass_through(fn: _T) -> _T:
    return fn


def ignore(drop: Any = False, **kwargs: Any) -> Any:
    """Marks a function the compiler should leave as Python: here, the function unchanged.
    Used bare (``@ignore``) or called (``@ignore(drop=True)``)."""
    if callable(drop):
        return drop
    return _pass_through


def unused(fn: _T) -> _T:
    """Marks a function or property the compiler should skip: here, unchanged."""
    return fn


def export(fn: _F) -> _F:
    """Marks a method to compile besides ``forward``: here, unchanged."""
    return fn


def interface(obj: _T) -> _T:
    """Declares a TorchScript interface class: here, the class unchanged."""
    return obj


def script_method(fn: _F) -> _F:
    """The method decorator of PyTorch's old ``ScriptModule`` style: here, unchanged."""
    return fn


def script_if_tracing(fn: _F) -> _F:
    """Compile ``fn`` on first call under a trace: here, ``fn`` unchanged."""
    return fn


def is_scripting() -> bool:
    """False: code here always runs as Python, never inside TorchScript."""
    return False


def is_tracing() -> bool:
    """True while ``trace`` runs the traced function on its example inputs."""
    return getattr(_tracing, "depth", 0) > 0


def _assert(condition: Any, message: str) -> None:
    """``torch._assert``: Python's ``assert condition, message`` as a function, which model
    code (timm's patch embedding, Swin) calls so that tracing keeps the check; a Tensor
    condition is read as ``bool(condition)`` (one element)."""
    assert condition, message


def annotate(the_type: Any, the_value: _T) -> _T:
    """``the_value`` (the type is a hint for the TorchScript compiler)."""
    return the_value


class Future:
    """A finished asynchronous call (what ``fork`` returns): ``wait()`` gives its result."""

    def __init__(self, result: Any) -> None:
        self._result = result

    def wait(self) -> Any:
        """The call's result."""
        return self._result

    def value(self) -> Any:
        """The call's result."""
        return self._result

    def done(self) -> bool:
        """True: the call ran when it was forked."""
        return True

    def __repr__(self) -> str:
        return f"Future(done=True, value={self._result!r})"


def fork(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Future:
    """Run ``func(*args, **kwargs)`` (now, in this thread) and return its ``Future``."""
    return Future(func(*args, **kwargs))


def wait(future: Future) -> Any:
    """The result of a forked call."""
    return future.wait()


def freeze(
    mod: Any, preserved_attrs: list[str] | None = None, optimize_numerics: bool = True
) -> Any:
    """``mod`` itself (freezing inlines parameters for inference); it must be in eval mode,
    as PyTorch requires."""
    if getattr(mod, "training", False):
        raise RuntimeError(
            "Freezing is currently only implemented for modules in eval mode. Please call "
            ".eval() on your module before freezing."
        )
    return mod


def optimize_for_inference(mod: Any, other_methods: list[str] | None = None) -> Any:
    """``mod`` itself, in eval mode (PyTorch freezes it and optimizes its graph)."""
    if getattr(mod, "training", False):
        mod.eval()
    return mod


_NO_TORCHSCRIPT = (
    "TorchScript serialization is not available (this library runs models as Python code "
    "and has no TorchScript archives). Save the model's parameters instead: "
    "autograd.save(model.state_dict(), path), then model.load_state_dict(autograd.load(path)) "
    "on a freshly built model"
)


def save(m: Any, f: Any, _extra_files: Any = None) -> None:
    """Always raises: there are no TorchScript archives here (see the message for the
    state_dict alternative)."""
    raise NotImplementedError(f"jit.save: {_NO_TORCHSCRIPT}")


def load(f: Any, map_location: Any = None, _extra_files: Any = None) -> Any:
    """Always raises: there are no TorchScript archives here (see the message for the
    state_dict alternative)."""
    raise NotImplementedError(f"jit.load: {_NO_TORCHSCRIPT}")
