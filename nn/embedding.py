"""``Embedding``: a learned lookup table of vectors, indexed by integers."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd import Tensor
from autograd.dtypes import get_default_dtype

from . import init
from .functional.sparse import embedding, embedding_bag
from .module import Module
from .parameter import Parameter


def _sizes(who: str, num_embeddings: Any, embedding_dim: Any) -> tuple[int, int]:
    """The table's (num_embeddings, embedding_dim), checked."""
    for arg, v in (("num_embeddings", num_embeddings), ("embedding_dim", embedding_dim)):
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < 0:
            raise ValueError(f"{who}: {arg} must be a non-negative integer, got {v!r}")
    return int(num_embeddings), int(embedding_dim)


def _padding_index(who: str, padding_idx: int | None, num_embeddings: int) -> int | None:
    """padding_idx checked and made non-negative (PyTorch counts a negative one from the end)."""
    if padding_idx is not None:
        if not -num_embeddings <= padding_idx < num_embeddings:
            raise ValueError(
                f"{who}: padding_idx {padding_idx} must be within num_embeddings={num_embeddings}"
            )
        padding_idx %= num_embeddings
    return padding_idx


def _given_weight(who: str, _weight: Any, shape: tuple[int, int]) -> Any:
    """The ``_weight`` a caller passes to the constructor, checked to have the table's shape: a
    Tensor as given (the parameter shares its memory, as in PyTorch), else an ndarray."""
    w = _weight if isinstance(_weight, Tensor) else np.asarray(_weight)
    if tuple(w.shape) != shape:
        raise ValueError(f"{who}: _weight of shape {tuple(w.shape)} should be {shape}")
    return w


def _pretrained(who: str, embeddings: Any) -> Any:
    """``from_pretrained(embeddings)``'s table, checked to be 2-d: a Tensor as given (the
    weight shares its memory, as in PyTorch), else an ndarray."""
    data = embeddings if isinstance(embeddings, Tensor) else np.asarray(embeddings)
    if data.ndim != 2:
        raise ValueError(f"{who}.from_pretrained: embeddings must be 2-d, got {tuple(data.shape)}")
    return data


class _Table(Module):
    """What Embedding and EmbeddingBag share: a ``weight`` table, initialised N(0, 1) with
    the padding_idx row zero."""

    weight: Parameter
    padding_idx: int | None

    def reset_parameters(self) -> None:
        """N(0, 1), with the padding_idx row set to zero."""
        init.normal_(self.weight)
        if self.padding_idx is not None:
            self.weight._data[self.padding_idx] = 0


class Embedding(_Table):
    """``weight`` (num_embeddings, embedding_dim), initialised N(0, 1) (the padding_idx row
    zero); ``forward(input)`` returns the rows at the integer ``input`` (see
    ``F.embedding``). ``sparse=True`` keeps the gradient dense but records its rows, for
    ``optim.SparseAdam``."""

    def __init__(
        self,
        num_embeddings: int,
        embedding_dim: int,
        padding_idx: int | None = None,
        max_norm: float | None = None,
        norm_type: float = 2.0,
        scale_grad_by_freq: bool = False,
        sparse: bool = False,
        _weight: Any = None,
        _freeze: bool = False,
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        self.num_embeddings, self.embedding_dim = _sizes("Embedding", num_embeddings, embedding_dim)
        self.padding_idx = _padding_index("Embedding", padding_idx, self.num_embeddings)
        self.max_norm = max_norm
        self.norm_type = norm_type
        self.scale_grad_by_freq = scale_grad_by_freq
        self.sparse = sparse
        dt = np.dtype(get_default_dtype() if dtype is None else dtype)
        shape = (self.num_embeddings, self.embedding_dim)
        if _weight is None:
            self.weight = Parameter(np.empty(shape, dtype=dt), requires_grad=not _freeze)
            self.reset_parameters()
        else:
            w = _given_weight("Embedding", _weight, shape)
            self.weight = Parameter(w, requires_grad=not _freeze)

    @classmethod
    def from_pretrained(
        cls,
        embeddings: Any,
        freeze: bool = True,
        padding_idx: int | None = None,
        max_norm: float | None = None,
        norm_type: float = 2.0,
        scale_grad_by_freq: bool = False,
        sparse: bool = False,
    ) -> Embedding:
        """An Embedding whose weight is ``embeddings`` (2-d; a Tensor's memory is shared, as in
        PyTorch); frozen unless freeze=False."""
        data = _pretrained("Embedding", embeddings)
        return cls(
            data.shape[0], data.shape[1], padding_idx, max_norm, norm_type, scale_grad_by_freq,
            sparse, _weight=data, _freeze=freeze,
        )  # fmt: skip

    def forward(self, input: Any) -> Tensor:
        try:
            return embedding(input, self.weight, self.padding_idx, self.max_norm,
                             self.norm_type, self.scale_grad_by_freq, self.sparse)  # fmt: skip
        except IndexError as e:
            raise IndexError(str(e).replace("embedding:", "Embedding:", 1)) from None
        except TypeError as e:
            raise TypeError(str(e).replace("embedding:", "Embedding:", 1)) from None

    def extra_repr(self) -> str:
        s = f"{self.num_embeddings}, {self.embedding_dim}"
        if self.padding_idx is not None:
            s += f", padding_idx={self.padding_idx}"
        if self.max_norm is not None:
            s += f", max_norm={self.max_norm}"
        if self.norm_type != 2:
            s += f", norm_type={self.norm_type}"
        if self.scale_grad_by_freq:
            s += ", scale_grad_by_freq=True"
        if self.sparse:
            s += ", sparse=True"
        return s


class EmbeddingBag(_Table):
    """Sums, means or maxima of bags of embeddings without building the per-entry lookups,
    as ``torch.nn.EmbeddingBag``: ``weight`` (num_embeddings, embedding_dim), initialised
    N(0, 1) (the padding_idx row zero); ``forward(input, offsets=None,
    per_sample_weights=None)`` returns one row per bag (see ``F.embedding_bag``).
    ``scale_grad_by_freq`` is not supported (NotImplementedError)."""

    def __init__(
        self,
        num_embeddings: int,
        embedding_dim: int,
        max_norm: float | None = None,
        norm_type: float = 2.0,
        scale_grad_by_freq: bool = False,
        mode: str = "mean",
        sparse: bool = False,
        _weight: Any = None,
        include_last_offset: bool = False,
        padding_idx: int | None = None,
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        self.num_embeddings, self.embedding_dim = _sizes(
            "EmbeddingBag", num_embeddings, embedding_dim
        )
        if mode not in ("sum", "mean", "max"):
            raise ValueError(f"EmbeddingBag: mode has to be one of sum, mean or max, got {mode!r}")
        if scale_grad_by_freq:
            raise NotImplementedError(
                "EmbeddingBag: scale_grad_by_freq is not supported (PyTorch's CPU gradient for "
                "it does not divide by each index's frequency; use scale_grad_by_freq=False)"
            )
        self.padding_idx = _padding_index("EmbeddingBag", padding_idx, self.num_embeddings)
        self.max_norm = max_norm
        self.norm_type = norm_type
        self.scale_grad_by_freq = scale_grad_by_freq
        self.mode = mode
        self.sparse = sparse
        self.include_last_offset = include_last_offset
        dt = np.dtype(get_default_dtype() if dtype is None else dtype)
        shape = (self.num_embeddings, self.embedding_dim)
        if _weight is None:
            self.weight = Parameter(np.empty(shape, dtype=dt))
            self.reset_parameters()
        else:
            self.weight = Parameter(_given_weight("EmbeddingBag", _weight, shape))

    @classmethod
    def from_pretrained(
        cls,
        embeddings: Any,
        freeze: bool = True,
        max_norm: float | None = None,
        norm_type: float = 2.0,
        scale_grad_by_freq: bool = False,
        mode: str = "mean",
        sparse: bool = False,
        include_last_offset: bool = False,
        padding_idx: int | None = None,
    ) -> EmbeddingBag:
        """An EmbeddingBag whose weight is ``embeddings`` (2-d; a Tensor's memory is shared, as
        in PyTorch); frozen unless freeze=False."""
        data = _pretrained("EmbeddingBag", embeddings)
        bag = cls(
            data.shape[0], data.shape[1], max_norm, norm_type, scale_grad_by_freq, mode, sparse,
            _weight=data, include_last_offset=include_last_offset,
            padding_idx=padding_idx,
        )  # fmt: skip
        bag.weight.requires_grad = not freeze
        return bag

    def forward(self, input: Any, offsets: Any = None, per_sample_weights: Any = None) -> Tensor:
        return embedding_bag(
            input, self.weight, offsets, self.max_norm, self.norm_type,
            self.scale_grad_by_freq, self.mode, self.sparse, per_sample_weights,
            self.include_last_offset, self.padding_idx,
        )  # fmt: skip

    def extra_repr(self) -> str:
        s = f"{self.num_embeddings!r}, {self.embedding_dim!r}"
        if self.max_norm is not None:
            s += f", max_norm={self.max_norm!r}"
        if self.norm_type != 2:
            s += f", norm_type={self.norm_type!r}"
        if self.scale_grad_by_freq is not False:
            s += f", scale_grad_by_freq={self.scale_grad_by_freq!r}"
        s += f", mode={self.mode!r}"
        if self.padding_idx is not None:
            s += f", padding_idx={self.padding_idx!r}"
        return s
