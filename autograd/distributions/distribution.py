"""``Distribution``: the base class (shapes, argument validation, sampling entry points), and
the helpers the distributions share."""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from .. import grad_mode
from ..dtypes import get_default_dtype
from ..random import resolve_generator
from ..size import Size
from ..tensor import Tensor
from . import constraints


def broadcast_all(*values: Any) -> tuple[Tensor, ...]:
    """The arguments as Tensors of one broadcast shape (numbers become tensors of the default
    dtype, or of a Tensor argument's dtype when there is one)."""
    tensors = [v for v in values if isinstance(v, Tensor)]
    for v in values:
        if not isinstance(v, (Tensor, numbers.Number)):
            raise ValueError(
                f"Input arguments must all be instances of numbers.Number or Tensor, got "
                f"{type(v).__name__}"
            )
    dtype = tensors[0].dtype if tensors else get_default_dtype()
    as_t = [v if isinstance(v, Tensor) else Tensor(np.asarray(v, dtype=dtype)) for v in values]
    shape = np.broadcast_shapes(*(tuple(t.shape) for t in as_t))
    return tuple(t if tuple(t.shape) == shape else t.expand(*shape) for t in as_t)


def generator() -> np.random.Generator:
    """The library's default generator (reseeded by ``autograd.manual_seed``)."""
    return resolve_generator(None, "distributions")


def _size(shape: Any) -> Size:
    if isinstance(shape, numbers.Integral):
        return Size((int(shape),))
    return Size(tuple(int(s) for s in shape))


class Distribution:
    """A batch of probability distributions, as ``torch.distributions.Distribution``.

    ``batch_shape``: the shape of the batch of independent distributions; ``event_shape``: the
    shape of one draw of one of them. ``sample(sample_shape)`` has shape ``sample_shape +
    batch_shape + event_shape``. With ``validate_args`` (the default, as PyTorch's) the
    parameters are checked at construction and values at ``log_prob``.
    """

    has_rsample = False
    has_enumerate_support = False
    arg_constraints: dict[str, constraints.Constraint] = {}
    support: Any = None
    _validate_args = True

    @staticmethod
    def set_default_validate_args(value: bool) -> None:
        """Turn argument validation on or off for distributions made afterwards."""
        if value not in (True, False):
            raise ValueError
        Distribution._validate_args = value

    def __init__(
        self,
        batch_shape: Any = (),
        event_shape: Any = (),
        validate_args: bool | None = None,
    ) -> None:
        self._batch_shape = _size(batch_shape)
        self._event_shape = _size(event_shape)
        if validate_args is not None:
            self._validate_args = validate_args
        if self._validate_args:
            for param, constraint in self.arg_constraints.items():
                if param not in self.__dict__ and isinstance(
                    getattr(type(self), param, None), (property, _lazy)
                ):
                    continue  # computed lazily from the other parameterisation
                value = getattr(self, param)
                if not np.all(constraint.check(value)):
                    raise ValueError(
                        f"Expected parameter {param} ({type(value).__name__} of shape "
                        f"{tuple(value.shape)}) of distribution {self!r} to satisfy the "
                        f"constraint {constraint!r}, but found invalid values:\n{value}"
                    )

    @property
    def batch_shape(self) -> Size:
        """The shape over which parameters are batched."""
        return self._batch_shape

    @property
    def event_shape(self) -> Size:
        """The shape of a single sample (without batching)."""
        return self._event_shape

    def _extended_shape(self, sample_shape: Any = ()) -> Size:
        return Size(tuple(_size(sample_shape)) + tuple(self._batch_shape + self._event_shape))

    def sample(self, sample_shape: Any = ()) -> Tensor:
        """A draw (without gradient) of shape ``sample_shape + batch_shape + event_shape``."""
        with grad_mode.no_grad():
            return self.rsample(sample_shape)

    def rsample(self, sample_shape: Any = ()) -> Tensor:
        """A reparameterised draw: differentiable with respect to the parameters."""
        raise NotImplementedError(f"{type(self).__name__} has no rsample")

    def sample_n(self, n: int) -> Tensor:
        return self.sample((n,))

    def log_prob(self, value: Tensor) -> Tensor:
        raise NotImplementedError

    def entropy(self) -> Tensor:
        raise NotImplementedError

    def perplexity(self) -> Tensor:
        return self.entropy().exp()

    def cdf(self, value: Tensor) -> Tensor:
        raise NotImplementedError

    def icdf(self, value: Tensor) -> Tensor:
        raise NotImplementedError

    def enumerate_support(self, expand: bool = True) -> Tensor:
        raise NotImplementedError

    def expand(self, batch_shape: Any, _instance: Any = None) -> Distribution:
        """The same distribution repeated over ``batch_shape`` (parameters broadcast)."""
        raise NotImplementedError(f"{type(self).__name__} does not implement expand")

    @property
    def mean(self) -> Tensor:
        raise NotImplementedError(f"{type(self)} does not implement mean")

    @property
    def mode(self) -> Tensor:
        raise NotImplementedError(f"{type(self)} does not implement mode")

    @property
    def variance(self) -> Tensor:
        raise NotImplementedError(f"{type(self)} does not implement variance")

    @property
    def stddev(self) -> Tensor:
        return self.variance.sqrt()

    def _validate_sample(self, value: Any) -> None:
        if not isinstance(value, Tensor):
            raise ValueError("The value argument to log_prob must be a Tensor")
        shape = tuple(value.shape)
        event = tuple(self._event_shape)
        if shape[len(shape) - len(event) :] != event:
            raise ValueError(
                f"The right-most size of value must match event_shape: {value.size()} vs "
                f"{self._event_shape}."
            )
        expected = tuple(self._batch_shape) + event
        for i, j in zip(reversed(shape), reversed(expected)):
            if i != 1 and j != 1 and i != j:
                raise ValueError(
                    f"Value is not broadcastable with batch_shape+event_shape: {Size(shape)} "
                    f"vs {Size(expected)}."
                )
        if self.support is not None and not np.all(self.support.check(value)):
            raise ValueError(
                f"Expected value argument ({type(value).__name__} of shape {shape}) to be "
                f"within the support ({self.support!r}) of the distribution {self!r}, but "
                f"found invalid values:\n{value}"
            )

    def __repr__(self) -> str:
        names = [k for k in self.arg_constraints if k in self.__dict__]
        args = ", ".join(
            f"{p}: {self.__dict__[p] if self.__dict__[p].numel() == 1 else self.__dict__[p].size()}"
            for p in names
        )
        return f"{type(self).__name__}({args})"


def expand_params(dist: Distribution, batch_shape: Any, *names: str, event_dims: int = 0) -> Any:
    """``type(dist)`` rebuilt from its parameters ``names`` broadcast to ``batch_shape`` (plus
    their last ``event_dims`` dims), keeping whether values are validated."""
    shape = tuple(_size(batch_shape))
    args = {}
    for name in names:
        p = getattr(dist, name)
        tail = tuple(p.shape[p.ndim - event_dims :]) if event_dims else ()
        args[name] = p.expand(*shape, *tail)
    new = type(dist)(**args, validate_args=False)
    new._validate_args = dist._validate_args  # values still checked if they were
    return new


def sum_rightmost(value: Tensor, dim: int) -> Tensor:
    """``value`` summed over its ``dim`` rightmost dims."""
    if dim == 0:
        return value
    return value.reshape(*tuple(value.shape)[: value.ndim - dim], -1).sum(-1)


def batch_shape_of(*params: Any) -> Size:
    """The broadcast shape of the parameters, empty when all of them are plain numbers."""
    if all(isinstance(p, numbers.Number) for p in params):
        return Size()
    return Size(np.broadcast_shapes(*(tuple(getattr(p, "shape", ())) for p in params)))


class _lazy:  # noqa: N801  (used as a decorator, like property)
    """A property computed on first use and then stored on the instance (PyTorch's
    ``lazy_property``): ``probs`` from ``logits`` or the other way round. It is computed with
    grad mode on, as torch's, so a first use under ``no_grad`` (a draw, say) does not store a
    value cut from the parameters' graph."""

    def __init__(self, fn: Any) -> None:
        self.fn = fn
        self.__doc__ = fn.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, obj: Any, objtype: Any = None) -> Any:
        if obj is None:
            return self
        with grad_mode.enable_grad():
            value = self.fn(obj)
        obj.__dict__[self.name] = value
        return value


lazy_property = _lazy
