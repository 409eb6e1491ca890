"""Weight pruning, as ``torch.nn.utils.prune``: zero out some entries (unstructured) or whole
channels (structured) of a parameter, by a mask that training respects.

Pruning ``module.weight`` reparametrises it as torch does: the original Parameter moves to
``weight_orig`` (still the one the optimizer trains), the mask is the buffer ``weight_mask``,
and ``weight`` becomes a plain attribute ``weight_orig * weight_mask``, recomputed by a
forward pre-hook (the pruning method itself, kept in ``module._forward_pre_hooks``) before
every call. So the gradient reaches ``weight_orig`` only where the mask is 1. Pruning the same
parameter again combines the methods in a ``PruningContainer``: the new method sees only what
is left (the unpruned entries, or the channels not yet pruned away). ``remove`` makes the
pruning permanent: ``weight`` is a Parameter again, holding the pruned values.

Methods: ``Identity``, ``RandomUnstructured``, ``L1Unstructured`` (the entries of smallest
magnitude), ``RandomStructured``, ``LnStructured`` (the channels along ``dim`` of smallest
L``n`` norm), ``CustomFromMask``; each as a function (``l1_unstructured(module, name,
amount)``...), plus ``global_unstructured`` (one threshold across several parameters),
``remove`` and ``is_pruned``. ``amount`` is a fraction in [0, 1] (rounded as Python's
``round``) or a count. Subclass ``BasePruningMethod`` (``PRUNING_TYPE`` and ``compute_mask``)
for a method of your own.

The entries (or channels) chosen are those torch's ``topk`` chooses, also where values tie
at the cut (``autograd.topk_ties``), so the masks are torch's. The random methods draw from
this library's generator, so their masks are not torch's for the same seed.
"""

from __future__ import annotations

import numbers
import operator
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np

import autograd
from autograd import Tensor
from autograd.topk_ties import topk_index_set

__all__ = [
    "BasePruningMethod",
    "PruningContainer",
    "Identity",
    "RandomUnstructured",
    "L1Unstructured",
    "RandomStructured",
    "LnStructured",
    "CustomFromMask",
    "identity",
    "random_unstructured",
    "l1_unstructured",
    "random_structured",
    "ln_structured",
    "global_unstructured",
    "custom_from_mask",
    "remove",
    "is_pruned",
]


# ----- the amount to prune -------------------------------------------------------------------
def _validate_amount_init(amount: Any) -> None:
    if not isinstance(amount, numbers.Real):
        raise TypeError(f"Invalid type for amount: {amount}. Must be int or float.")
    integral = isinstance(amount, numbers.Integral)
    value = float(amount)
    if (integral and value < 0) or (not integral and not 0.0 <= value <= 1.0):
        raise ValueError(
            f"amount={amount} should either be a float in the range [0, 1] or a non-negative "
            "integer"
        )


def _count(amount: Any, size: int) -> int:
    """How many of ``size`` units ``amount`` prunes; an int beyond ``size`` is an error."""
    if isinstance(amount, numbers.Integral):
        count = operator.index(amount)
        if count > size:
            raise ValueError(
                f"amount={amount} should be smaller than the number of parameters to prune={size}"
            )
        return count
    return round(amount * size)


def _check_structured(t: Tensor, dim: int) -> None:
    if t.dim() <= 1:
        raise ValueError(
            "Structured pruning can only be applied to multidimensional tensors. Found tensor "
            f"of shape {t.shape} with {t.dim()} dims"
        )
    if dim >= t.dim():
        raise IndexError(f"Invalid index {dim} for tensor of size {t.shape}")


def _channel_mask(t: Tensor, dim: int, keep: np.ndarray, default_mask: Tensor) -> Tensor:
    """Ones on the channels ``keep`` (a boolean or index array along ``dim``), times the
    previous mask."""
    mask = np.zeros(t.shape, dtype=t._data.dtype)
    where: list[Any] = [slice(None)] * t.dim()
    where[dim] = keep
    mask[tuple(where)] = 1
    return Tensor(mask * default_mask._data.astype(mask.dtype))


# ----- the methods ----------------------------------------------------------------------------
class BasePruningMethod(ABC):
    """A way of choosing a mask for a parameter. Subclasses set ``PRUNING_TYPE``
    (``'unstructured'``, ``'structured'`` with a ``dim`` attribute, or ``'global'``) and
    ``compute_mask(t, default_mask)``; ``apply`` prunes a module's parameter with them."""

    PRUNING_TYPE: str
    _tensor_name: str | None = None

    def __call__(self, module: Any, inputs: Any) -> None:
        """The forward pre-hook: recompute the pruned tensor from its original and mask."""
        setattr(module, self._name(module), self.apply_mask(module))

    def _name(self, module: Any) -> str:
        if self._tensor_name is None:
            raise AssertionError(f"Module {module} has to be pruned")
        return self._tensor_name

    @abstractmethod
    def compute_mask(self, t: Tensor, default_mask: Tensor) -> Tensor:
        """The mask (same shape as ``t``) that this method puts on top of ``default_mask``
        (the mask of earlier pruning, ones if none)."""

    def apply_mask(self, module: Any) -> Tensor:
        """``module``'s original tensor times its mask (differentiable in the original)."""
        name = self._name(module)
        orig = getattr(module, name + "_orig")
        mask = getattr(module, name + "_mask")
        return mask.to(dtype=orig.dtype) * orig

    @classmethod
    def apply(
        cls, module: Any, name: str, *args: Any, importance_scores: Any = None, **kwargs: Any
    ) -> BasePruningMethod:
        """Prune ``module.<name>`` with a new ``cls(*args, **kwargs)`` (combined with the
        pruning already there), choosing by ``importance_scores`` (default: the tensor)."""
        method = _compose(cls, module, name, *args, **kwargs)
        orig = getattr(module, name)
        if importance_scores is not None:
            if tuple(importance_scores.shape) != tuple(orig.shape):
                raise AssertionError(
                    f"importance_scores should have the same shape as parameter {name} of "
                    f"{module}, got {importance_scores.shape} vs {orig.shape}"
                )
        else:
            importance_scores = orig
        first = not isinstance(method, PruningContainer)
        if first:
            module.register_parameter(name + "_orig", orig)
            del module._parameters[name]
            default_mask = autograd.ones_like(orig).detach()
        else:
            default_mask = getattr(module, name + "_mask").detach().clone()
        try:
            with autograd.no_grad():
                mask = method.compute_mask(importance_scores.detach(), default_mask=default_mask)
            module.register_buffer(name + "_mask", mask)
            setattr(module, name, method.apply_mask(module))
            module.register_forward_pre_hook(method)
        except Exception:
            if first:  # put the parameter back as it was
                original = getattr(module, name + "_orig")
                del module._parameters[name + "_orig"]
                module.__dict__.pop(name, None)
                module.register_parameter(name, original)
            raise
        return method

    def prune(
        self, t: Tensor, default_mask: Tensor | None = None, importance_scores: Any = None
    ) -> Tensor:
        """``t`` times the mask this method chooses (by ``importance_scores``, default ``t``)."""
        if importance_scores is not None:
            if tuple(importance_scores.shape) != tuple(t.shape):
                raise AssertionError(
                    "importance_scores should have the same shape as tensor t, got "
                    f"{importance_scores.shape} vs {t.shape}"
                )
        else:
            importance_scores = t
        default_mask = default_mask if default_mask is not None else autograd.ones_like(t)
        return t * self.compute_mask(importance_scores, default_mask=default_mask)

    def remove(self, module: Any) -> None:
        """Make the pruning permanent: the parameter holds the pruned values, and the
        original, the mask and the hook's effect go."""
        name = self._tensor_name
        if name is None:
            raise AssertionError(f"Module {module} has to be pruned before pruning can be removed")
        weight = self.apply_mask(module)
        module.__dict__.pop(name, None)
        orig = module._parameters[name + "_orig"]
        orig.data = weight._data
        del module._parameters[name + "_orig"]
        del module._buffers[name + "_mask"]
        setattr(module, name, orig)


def _compose(cls: type, module: Any, name: str, *args: Any, **kwargs: Any) -> BasePruningMethod:
    """A new ``cls`` method for ``name``, inside a PruningContainer with the method already
    pruning ``name`` (whose hook is taken off: the container's replaces it), if any."""
    hooks = module._forward_pre_hooks
    old = [
        k for k, h in hooks.items() if isinstance(h, BasePruningMethod) and h._tensor_name == name
    ]
    if len(old) > 1:
        raise AssertionError(
            f"Avoid adding multiple pruning hooks to the same tensor {name} of module "
            f"{module}. Use a PruningContainer."
        )
    old_method = hooks.pop(old[0]) if old else None
    method = cls(*args, **kwargs)
    method._tensor_name = name
    if old_method is None:
        return method
    if isinstance(old_method, PruningContainer):
        old_method.add_pruning_method(method)
        return old_method
    container = PruningContainer(old_method)
    container.add_pruning_method(method)
    return container


class PruningContainer(BasePruningMethod):
    """The methods applied one after another to one parameter (iterative pruning): each new
    one acts on what the earlier ones left."""

    def __init__(self, *args: Any) -> None:
        self._pruning_methods: tuple[BasePruningMethod, ...] = ()
        if len(args) == 1:
            self._tensor_name = args[0]._tensor_name
        for m in args:
            self.add_pruning_method(m)

    def add_pruning_method(self, method: BasePruningMethod | None) -> None:
        """Append ``method`` (which must act on the same parameter)."""
        if method is None:
            return
        if not isinstance(method, BasePruningMethod):
            raise TypeError(f"{type(method)} is not a BasePruningMethod subclass")
        if self._tensor_name != method._tensor_name:
            raise ValueError(
                "Can only add pruning methods acting on the parameter named "
                f"'{self._tensor_name}' to PruningContainer {self}. Found "
                f"'{method._tensor_name}'"
            )
        self._pruning_methods += (method,)

    def __len__(self) -> int:
        return len(self._pruning_methods)

    def __iter__(self) -> Iterator[BasePruningMethod]:
        return iter(self._pruning_methods)

    def __getitem__(self, idx: int) -> BasePruningMethod:
        return self._pruning_methods[idx]

    def compute_mask(self, t: Tensor, default_mask: Tensor) -> Tensor:
        """The last method's mask, computed on the part of ``t`` that ``default_mask`` has
        not pruned (entries, channels, or all of it, by the method's PRUNING_TYPE)."""
        method = self._pruning_methods[-1]
        kind = method.PRUNING_TYPE
        mask = default_mask._data
        if kind == "unstructured":
            where: Any = mask == 1
        elif kind == "structured":
            if not hasattr(method, "dim"):
                raise AttributeError(
                    "Pruning methods of PRUNING_TYPE 'structured' need to have the attribute "
                    "`dim` defined."
                )
            n_dims = t.dim()
            dim = method.dim if method.dim >= 0 else n_dims + method.dim
            if dim < 0:
                raise IndexError(f"Index is out of bounds for tensor of size {n_dims}")
            others = tuple(d for d in range(n_dims) if d != dim)
            sel: list[Any] = [slice(None)] * n_dims
            sel[dim] = mask.sum(axis=others) != 0
            where = tuple(sel)
        elif kind == "global":
            where = (slice(None),) * t.dim()
        else:
            raise ValueError(f"Unrecognized PRUNING_TYPE {kind}")
        part = method.compute_mask(
            Tensor(t._data[where]), default_mask=Tensor(np.array(mask[where]))
        )
        new_mask = mask.astype(t._data.dtype, copy=True)
        new_mask[where] = part._data
        return Tensor(new_mask)


class Identity(BasePruningMethod):
    """Prunes nothing (the mask is all ones): the reparametrisation alone."""

    PRUNING_TYPE = "unstructured"

    def compute_mask(self, t: Tensor, default_mask: Tensor) -> Tensor:
        return default_mask

    @classmethod
    def apply(cls, module: Any, name: str) -> BasePruningMethod:  # type: ignore[override]
        """Reparametrise ``module.<name>`` without pruning any of it."""
        return super().apply(module, name)


class RandomUnstructured(BasePruningMethod):
    """Prunes ``amount`` of the (still unpruned) entries, chosen at random."""

    PRUNING_TYPE = "unstructured"

    def __init__(self, amount: float) -> None:
        _validate_amount_init(amount)
        self.amount = amount

    def compute_mask(self, t: Tensor, default_mask: Tensor) -> Tensor:
        k = _count(self.amount, t.numel())
        mask = default_mask._data.copy()
        if k:
            prob = autograd.rand_like(t)._data.reshape(-1)
            mask.reshape(-1)[topk_index_set(prob, k, largest=True)] = 0
        return Tensor(mask)

    @classmethod
    def apply(cls, module: Any, name: str, amount: float) -> BasePruningMethod:  # type: ignore[override]
        """Prune ``amount`` of ``module.<name>``'s entries at random."""
        return super().apply(module, name, amount=amount)


class L1Unstructured(BasePruningMethod):
    """Prunes ``amount`` of the (still unpruned) entries: those of smallest magnitude."""

    PRUNING_TYPE = "unstructured"

    def __init__(self, amount: float) -> None:
        _validate_amount_init(amount)
        self.amount = amount

    def compute_mask(self, t: Tensor, default_mask: Tensor) -> Tensor:
        k = _count(self.amount, t.numel())
        mask = default_mask._data.copy()
        if k:
            mask.reshape(-1)[topk_index_set(np.abs(t._data), k, largest=False)] = 0
        return Tensor(mask)

    @classmethod
    def apply(  # type: ignore[override]
        cls, module: Any, name: str, amount: float, importance_scores: Any = None
    ) -> BasePruningMethod:
        """Prune ``amount`` of ``module.<name>``'s entries, those of smallest magnitude (of
        ``importance_scores`` when given)."""
        return super().apply(module, name, amount=amount, importance_scores=importance_scores)


class RandomStructured(BasePruningMethod):
    """Prunes ``amount`` of the channels along ``dim``, chosen at random."""

    PRUNING_TYPE = "structured"

    def __init__(self, amount: float, dim: int = -1) -> None:
        _validate_amount_init(amount)
        self.amount = amount
        self.dim = dim

    def compute_mask(self, t: Tensor, default_mask: Tensor) -> Tensor:
        _check_structured(t, self.dim)
        n = t.shape[self.dim]
        k = _count(self.amount, n)
        if not k:
            return default_mask
        prob = autograd.rand(n)._data
        threshold = np.sort(prob)[k - 1]  # the k-th smallest
        return _channel_mask(t, self.dim, prob > threshold, default_mask)

    @classmethod
    def apply(cls, module: Any, name: str, amount: float, dim: int = -1) -> BasePruningMethod:  # type: ignore[override]
        """Prune ``amount`` of ``module.<name>``'s channels along ``dim`` at random."""
        return super().apply(module, name, amount=amount, dim=dim)


class LnStructured(BasePruningMethod):
    """Prunes ``amount`` of the channels along ``dim``: those of smallest L``n`` norm
    (``n`` as ``p`` of ``autograd.norm``: a number, ``inf``, ``-inf``, ``'fro'``)."""

    PRUNING_TYPE = "structured"

    def __init__(self, amount: float, n: Any, dim: int = -1) -> None:
        _validate_amount_init(amount)
        self.amount = amount
        self.n = n
        self.dim = dim

    def compute_mask(self, t: Tensor, default_mask: Tensor) -> Tensor:
        _check_structured(t, self.dim)
        size = t.shape[self.dim]
        k = _count(self.amount, size)
        if not k:
            return default_mask
        dim = self.dim % t.dim()
        others = [d for d in range(t.dim()) if d != dim]
        norm = autograd.norm(t, p=self.n, dim=others)._data
        return _channel_mask(t, self.dim, topk_index_set(norm, size - k), default_mask)

    @classmethod
    def apply(  # type: ignore[override]
        cls,
        module: Any,
        name: str,
        amount: float,
        n: Any,
        dim: int,
        importance_scores: Any = None,
    ) -> BasePruningMethod:
        """Prune ``amount`` of ``module.<name>``'s channels along ``dim``, those of smallest
        L``n`` norm (of ``importance_scores`` when given)."""
        return super().apply(
            module, name, amount=amount, n=n, dim=dim, importance_scores=importance_scores
        )


class CustomFromMask(BasePruningMethod):
    """Prunes where the given ``mask`` is 0."""

    PRUNING_TYPE = "global"

    def __init__(self, mask: Any) -> None:
        self.mask = mask

    def compute_mask(self, t: Tensor, default_mask: Tensor) -> Tensor:
        if tuple(default_mask.shape) != tuple(self.mask.shape):
            raise AssertionError(
                f"default_mask shape {default_mask.shape} must match self.mask shape "
                f"{self.mask.shape}"
            )
        given = self.mask._data if isinstance(self.mask, Tensor) else np.asarray(self.mask)
        return Tensor(default_mask._data * given.astype(default_mask._data.dtype))

    @classmethod
    def apply(cls, module: Any, name: str, mask: Any) -> BasePruningMethod:  # type: ignore[override]
        """Prune ``module.<name>`` where ``mask`` is 0."""
        return super().apply(module, name, mask=mask)


# ----- the functions ---------------------------------------------------------------------------
def identity(module: Any, name: str) -> Any:
    """Reparametrise ``module.<name>`` as pruned with a mask of ones; returns ``module``."""
    Identity.apply(module, name)
    return module


def random_unstructured(module: Any, name: str, amount: float) -> Any:
    """Prune ``amount`` of ``module.<name>``'s entries at random; returns ``module``."""
    RandomUnstructured.apply(module, name, amount)
    return module


def l1_unstructured(module: Any, name: str, amount: float, importance_scores: Any = None) -> Any:
    """Prune ``amount`` of ``module.<name>``'s entries of smallest magnitude; returns
    ``module``."""
    L1Unstructured.apply(module, name, amount=amount, importance_scores=importance_scores)
    return module


def random_structured(module: Any, name: str, amount: float, dim: int) -> Any:
    """Prune ``amount`` of ``module.<name>``'s channels along ``dim`` at random; returns
    ``module``."""
    RandomStructured.apply(module, name, amount, dim)
    return module


def ln_structured(
    module: Any, name: str, amount: float, n: Any, dim: int, importance_scores: Any = None
) -> Any:
    """Prune ``amount`` of ``module.<name>``'s channels along ``dim`` of smallest L``n``
    norm; returns ``module``."""
    LnStructured.apply(module, name, amount, n, dim, importance_scores=importance_scores)
    return module


def global_unstructured(
    parameters: Iterable[tuple[Any, str]],
    pruning_method: type,
    importance_scores: dict | None = None,
    **kwargs: Any,
) -> None:
    """Prune the parameters ``(module, name)`` together: ``pruning_method(**kwargs)`` (an
    unstructured method, e.g. ``L1Unstructured`` with ``amount``) chooses among all their
    entries at once (by ``importance_scores[(module, name)]`` where given)."""
    if not isinstance(parameters, Iterable):
        raise TypeError("global_unstructured(): parameters is not an Iterable")
    parameters = list(parameters)
    scores = importance_scores if importance_scores is not None else {}
    if not isinstance(scores, dict):
        raise TypeError("global_unstructured(): importance_scores must be of type dict")
    tensors = [getattr(m, n) for m, n in parameters]
    flat_scores = np.concatenate(
        [
            np.asarray(_data(scores.get((m, n), t))).reshape(-1)
            for (m, n), t in zip(parameters, tensors)
        ]
    )
    flat_mask = np.concatenate(
        [
            _data(getattr(m, n + "_mask")).reshape(-1)
            if hasattr(m, n + "_mask")
            else np.ones(t.numel(), dtype=t._data.dtype)
            for (m, n), t in zip(parameters, tensors)
        ]
    )
    method = pruning_method(**kwargs)
    method._tensor_name = "temp"
    if method.PRUNING_TYPE != "unstructured":
        raise TypeError(
            'Only "unstructured" PRUNING_TYPE supported for the `pruning_method`. Found method '
            f"{pruning_method} of type {method.PRUNING_TYPE}"
        )
    container = PruningContainer()
    container._tensor_name = "temp"
    container.add_pruning_method(method)
    final = container.compute_mask(Tensor(flat_scores), Tensor(flat_mask))._data
    start = 0
    for (m, n), t in zip(parameters, tensors):
        size = t.numel()
        custom_from_mask(m, n, mask=Tensor(final[start : start + size].reshape(t.shape)))
        start += size


def _data(x: Any) -> np.ndarray:
    return x._data if isinstance(x, Tensor) else np.asarray(x)


def custom_from_mask(module: Any, name: str, mask: Any) -> Any:
    """Prune ``module.<name>`` where ``mask`` is 0; returns ``module``."""
    CustomFromMask.apply(module, name, mask)
    return module


def remove(module: Any, name: str) -> Any:
    """Make the pruning of ``module.<name>`` permanent (see the module docstring); returns
    ``module``."""
    hooks = module._forward_pre_hooks
    for k, hook in list(hooks.items()):
        if isinstance(hook, BasePruningMethod) and hook._tensor_name == name:
            hook.remove(module)
            del hooks[k]
            return module
    raise ValueError(
        f"Parameter '{name}' of module {module} has to be pruned before pruning can be removed"
    )


def is_pruned(module: Any) -> bool:
    """Whether ``module`` or any module inside it has a pruned parameter."""
    return any(
        isinstance(hook, BasePruningMethod)
        for _, sub in module.named_modules()
        for hook in sub._forward_pre_hooks.values()
    )
