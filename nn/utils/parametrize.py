"""``nn.utils.parametrize``: a module tensor computed on every access from stored originals
(PyTorch's parametrizations).

``register_parametrization(module, "weight", p)`` moves ``module.weight`` into
``module.parametrizations.weight.original`` (or ``original0``, ``original1``... when ``p`` has
a ``right_inverse`` returning several tensors) and makes ``module.weight`` read as
``p(original)``; further parametrizations of the same name chain after it. Setting
``module.weight = value`` stores ``right_inverse(value)`` in the originals. The module's class
becomes a subclass named ``Parametrized<Class>`` holding the properties, as in PyTorch.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from autograd import Tensor, no_grad

from ..containers import ModuleDict, ModuleList
from ..module import Module
from ..parameter import Parameter

_CACHE: list[dict[tuple[int, str], Tensor] | None] = [None]


class ParametrizationList(ModuleList):
    """The parametrizations of one tensor, applied in order, and its originals."""

    def __init__(self, modules: list[Module], original: Tensor, unsafe: bool = False) -> None:
        super().__init__(modules)
        self.unsafe = unsafe
        first = modules[0]
        new = original
        if hasattr(first, "right_inverse"):
            with no_grad():
                try:
                    new = first.right_inverse(original)
                except NotImplementedError:  # taken as the identity, as PyTorch
                    new = original
        if isinstance(new, Tensor):
            self.is_tensor = True
            self.ntensors = 1
            self.register_parameter("original", _as_original(original, new))
        else:
            self.is_tensor = False
            self.ntensors = len(new)
            for i, t in enumerate(new):
                self.register_parameter(
                    f"original{i}",
                    Parameter(_data(t).copy(), requires_grad=original.requires_grad),
                )

    def right_inverse(self, value: Tensor) -> None:
        """Store originals whose parametrized value is ``value``."""
        with no_grad():
            for module in reversed(list(self)):
                if not hasattr(module, "right_inverse"):
                    raise RuntimeError(
                        f"parametrization {type(module).__name__} does not implement "
                        "right_inverse, so the parametrized tensor cannot be assigned"
                    )
                value = module.right_inverse(value)
            if self.is_tensor:
                self.original._data[...] = _data(value)
            else:
                for i, t in enumerate(value):
                    getattr(self, f"original{i}")._data[...] = _data(t)

    def forward(self) -> Tensor:
        modules = list(self)
        if self.is_tensor:
            x = modules[0](self.original)
        else:
            x = modules[0](*(getattr(self, f"original{i}") for i in range(self.ntensors)))
        for module in modules[1:]:
            x = module(x)
        return x


def _data(t: Any) -> Any:
    return t._data if isinstance(t, Tensor) else t


def _as_original(original: Tensor, value: Tensor) -> Parameter:
    """``value`` as a Parameter that requires grad as ``original`` does: ``original`` itself,
    holding ``value``, when it is a Parameter (as PyTorch keeps it)."""
    if isinstance(original, Parameter):
        if value is not original:
            original.data = _data(value).copy()
        return original
    return Parameter(_data(value).copy(), requires_grad=original.requires_grad)


def _parametrized_class(module: Module) -> type:
    """The ``Parametrized<Class>`` subclass of ``module``'s class (made once per module)."""
    cls = type(module)
    if getattr(cls, "_is_parametrized_class", False):
        return cls

    def __setattr__(self: Module, name: str, value: Any) -> None:  # noqa: N807
        if name in self.__dict__.get("_modules", {}).get("parametrizations", {}):
            self.parametrizations[name].right_inverse(value)
        else:
            cls.__setattr__(self, name, value)

    return type(
        f"Parametrized{cls.__name__}",
        (cls,),
        {"_is_parametrized_class": True, "__setattr__": __setattr__, "__module__": cls.__module__},
    )


def _property(name: str) -> property:
    def get(self: Module) -> Tensor:
        cache = _CACHE[0]
        if cache is None:
            return self.parametrizations[name]()
        key = (id(self), name)
        if key not in cache:
            cache[key] = self.parametrizations[name]()
        return cache[key]

    return property(get)


def register_parametrization(
    module: Module, tensor_name: str, parametrization: Module, *, unsafe: bool = False
) -> Module:
    """Make ``module.<tensor_name>`` read as ``parametrization(original)`` (see the module
    doc); returns ``module``."""
    if not isinstance(parametrization, Module):
        raise TypeError(
            f"register_parametrization: expected a Module, got {type(parametrization).__name__}"
        )
    if is_parametrized(module, tensor_name):
        plist = module.parametrizations[tensor_name]
        if not unsafe:
            current = plist()
            out = parametrization(current)
            if not isinstance(out, Tensor) or out.shape != current.shape:
                raise ValueError(
                    "register_parametrization: a parametrization must return a tensor of the "
                    f"same shape as its input ({tuple(current.shape)}), got "
                    f"{getattr(out, 'shape', type(out).__name__)} (pass unsafe=True to allow it)"
                )
        plist.append(parametrization)
        return module
    original = module._parameters.get(tensor_name)
    if original is None:
        original = module._buffers.get(tensor_name)
    if not isinstance(original, Tensor):
        raise ValueError(
            f"Module '{module}' does not have a parameter, a buffer, or a parametrized element "
            f"with name '{tensor_name}'"
        )
    plist = ParametrizationList([parametrization], original, unsafe=unsafe)
    if not unsafe:
        out = plist()
        if not isinstance(out, Tensor) or out.shape != original.shape:
            raise ValueError(
                "register_parametrization: the parametrization must return a tensor of the "
                f"original's shape {tuple(original.shape)}, got "
                f"{getattr(out, 'shape', type(out).__name__)} (pass unsafe=True to allow it)"
            )
    module._parameters.pop(tensor_name, None)
    module._buffers.pop(tensor_name, None)
    if not is_parametrized(module):
        object.__setattr__(module, "__class__", _parametrized_class(module))
        Module.__setattr__(module, "parametrizations", ModuleDict())
    module.parametrizations[tensor_name] = plist
    setattr(type(module), tensor_name, _property(tensor_name))
    return module


def is_parametrized(module: Module, tensor_name: str | None = None) -> bool:
    """Whether ``module`` has parametrizations (of ``tensor_name``, when given)."""
    plists = module.__dict__.get("_modules", {}).get("parametrizations")
    if not isinstance(plists, ModuleDict):
        return False
    return len(plists) > 0 if tensor_name is None else tensor_name in plists


def remove_parametrizations(
    module: Module, tensor_name: str, leave_parametrized: bool = True
) -> Module:
    """Undo the parametrizations of ``tensor_name``: it becomes a plain parameter again,
    holding its parametrized value (``leave_parametrized``) or the original."""
    if not is_parametrized(module, tensor_name):
        raise ValueError(f"Module {module} does not have a parametrization on {tensor_name}")
    plist = module.parametrizations[tensor_name]
    if plist.is_tensor:
        # the original Parameter itself stays (optimizers holding it keep working)
        new = plist.original
        if leave_parametrized:
            with no_grad():
                value = plist()
            if value.shape != new.shape:
                raise ValueError(
                    f"remove_parametrizations: the parametrized {tensor_name!r} has shape "
                    f"{tuple(value.shape)}, its original {tuple(new.shape)}"
                )
            new._data[...] = value._data
    elif leave_parametrized:
        with no_grad():
            value = plist()
        new = Parameter(value._data.copy(), requires_grad=plist.original0.requires_grad)
    else:
        raise ValueError(
            "Cannot leave unparametrized (`leave_parametrized=False`) a tensor that is "
            "parametrized in terms of a sequence of tensors."
        )
    cls = type(module)
    delattr(cls, tensor_name)
    del module.parametrizations[tensor_name]
    module._parameters[tensor_name] = new
    if not is_parametrized(module):
        del module._modules["parametrizations"]
        object.__setattr__(module, "__class__", cls.__bases__[0])
    return module


@contextmanager
def cached() -> Iterator[None]:
    """Within this block, each parametrized tensor is computed once and reused."""
    outer = _CACHE[0]
    if outer is None:
        _CACHE[0] = {}
    try:
        yield
    finally:
        if outer is None:
            _CACHE[0] = None
