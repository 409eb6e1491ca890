"""Variable-length sequences, as ``torch.nn.utils.rnn``: ``pad_sequence`` (a list of
sequences to one padded tensor), ``PackedSequence`` with ``pack_padded_sequence`` /
``pad_packed_sequence`` (what ``nn.RNN``, ``nn.LSTM`` and ``nn.GRU`` take to skip the padded
steps), ``pack_sequence``, ``unpack_sequence``, ``unpad_sequence`` and
``invert_permutation``. Every step is differentiable (gathers by index).

A PackedSequence holds the steps time-major, sequences sorted by decreasing length:
``data`` (sum of lengths, *), ``batch_sizes[t]`` the number of sequences longer than t,
``sorted_indices`` (the original batch index of each sorted position; None when the input
was already sorted) and ``unsorted_indices`` (its inverse).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np

import autograd
from autograd import Tensor

__all__ = [
    "PackedSequence",
    "invert_permutation",
    "pack_padded_sequence",
    "pack_sequence",
    "pad_packed_sequence",
    "pad_sequence",
    "unpack_sequence",
    "unpad_sequence",
]


class PackedSequence(NamedTuple):
    """The steps of a batch of sequences, packed (see the module's docstring). Make one
    with ``pack_padded_sequence`` or ``pack_sequence``, not by hand."""

    data: Tensor
    batch_sizes: Tensor
    sorted_indices: Tensor | None = None
    unsorted_indices: Tensor | None = None

    @property
    def is_cuda(self) -> bool:
        return False

    def to(self, *args: Any, **kwargs: Any) -> PackedSequence:
        """The same sequence with ``data`` converted by ``Tensor.to`` (indices unchanged)."""
        return self._replace(data=self.data.to(*args, **kwargs))

    def cpu(self) -> PackedSequence:
        return self

    def float(self) -> PackedSequence:
        return self._replace(data=self.data.float())

    def double(self) -> PackedSequence:
        return self._replace(data=self.data.double())


def invert_permutation(permutation: Any) -> Tensor | None:
    """The inverse of a permutation of range(n) (None stays None)."""
    if permutation is None:
        return None
    p = np.asarray(permutation._data if isinstance(permutation, Tensor) else permutation)
    inv = np.empty_like(p, dtype=np.int64)
    inv[p] = np.arange(p.size, dtype=np.int64)
    return Tensor(inv)


def _as_tensor(x: Any, op: str) -> Tensor:
    if isinstance(x, Tensor):
        return x
    if isinstance(x, np.ndarray):
        return Tensor(x)
    raise TypeError(f"{op}: expected a Tensor, got {type(x).__name__}")


def _lengths(lengths: Any, op: str) -> np.ndarray:
    arr = np.asarray(lengths._data if isinstance(lengths, Tensor) else lengths)
    if arr.ndim != 1 or (arr.size and arr.dtype.kind not in "iuf"):
        raise ValueError(f"{op}: lengths must be a 1-d sequence of integers, got {lengths!r}")
    return arr.astype(np.int64)  # float lengths (mask.float().sum(1)) truncated, as PyTorch


def _packed_index(lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(time, batch) of every packed step, for lengths sorted in decreasing order."""
    t_len = int(lengths[0]) if lengths.size else 0
    t_idx, b_idx = np.nonzero(np.arange(t_len)[:, None] < lengths[None, :])
    return t_idx, b_idx


def pad_sequence(
    sequences: Any,
    batch_first: bool = False,
    padding_value: float = 0.0,
    padding_side: str = "right",
) -> Tensor:
    """Stack sequences of shapes (L_i, *) into (T, B, *) (``batch_first``: (B, T, *)),
    T = max L_i, each padded with ``padding_value`` on its ``padding_side`` ('right' or
    'left')."""
    op = "pad_sequence"
    if padding_side not in ("left", "right"):
        raise ValueError(f"{op}: padding_side must be 'left' or 'right', got {padding_side!r}")
    seqs = [_as_tensor(s, op) for s in sequences]
    if not seqs:
        raise ValueError(f"{op}: received an empty list of sequences")
    trailing = {tuple(s.shape[1:]) for s in seqs}
    if len(trailing) != 1 or any(s.ndim == 0 for s in seqs):
        shapes = [tuple(s.shape) for s in seqs]
        raise ValueError(
            f"{op}: sequences must agree in all dimensions but the first, got {shapes}"
        )
    t_len = max(s.shape[0] for s in seqs)
    dtype = np.result_type(*[s.dtype for s in seqs])
    rows = []
    for s in seqs:
        short = t_len - s.shape[0]
        s = s if s.dtype == dtype else s.to(dtype)
        if short:
            pad = Tensor(np.full((short,) + tuple(s.shape[1:]), padding_value, dtype=dtype))
            s = autograd.cat([s, pad] if padding_side == "right" else [pad, s], 0)
        rows.append(s)
    return autograd.stack(rows, 0 if batch_first else 1)


def unpad_sequence(padded_sequences: Any, lengths: Any, batch_first: bool = False) -> list:
    """The sequences of a right-padded batch, each cut to its length."""
    x = _as_tensor(padded_sequences, "unpad_sequence")
    if not batch_first:
        x = x.swapaxes(0, 1)
    return [x[i, : int(n)] for i, n in enumerate(_lengths(lengths, "unpad_sequence"))]


def pack_padded_sequence(
    input: Any, lengths: Any, batch_first: bool = False, enforce_sorted: bool = True
) -> PackedSequence:
    """Pack a padded batch (T, B, *) (``batch_first``: (B, T, *)) of sequences of the given
    ``lengths``. With ``enforce_sorted`` the lengths must be in decreasing order; otherwise
    the batch is sorted here and ``sorted_indices`` records how."""
    op = "pack_padded_sequence"
    x = _as_tensor(input, op)
    lens = _lengths(lengths, op)
    if x.ndim < 2:
        raise ValueError(f"{op}: input must be at least 2-d (T, B, *), got {tuple(x.shape)}")
    if batch_first:
        x = x.swapaxes(0, 1)
    if lens.size != x.shape[1]:
        raise ValueError(f"{op}: expected {x.shape[1]} lengths (the batch size), got {lens.size}")
    if lens.size and lens.min() <= 0:
        raise RuntimeError(
            f"{op}: Length of all samples has to be greater than 0, but found an element in "
            f"'lengths' that is <= 0"
        )
    if lens.size and lens.max() > x.shape[0]:
        raise RuntimeError(
            f"{op}: a length ({int(lens.max())}) is longer than the input's time dimension "
            f"({x.shape[0]})"
        )
    sorted_indices = None
    if enforce_sorted:
        if np.any(np.diff(lens) > 0):
            raise RuntimeError(
                f"{op}: `lengths` array must be sorted in decreasing order when "
                f"`enforce_sorted` is True. You can pass `enforce_sorted=False` to "
                f"pack_padded_sequence and/or pack_sequence to sidestep this requirement if "
                f"you do not need ONNX exportability."
            )
    else:
        order = np.argsort(-lens, kind="stable")
        sorted_indices = Tensor(order.astype(np.int64))
        lens = lens[order]
        x = x[:, order]
    t_idx, b_idx = _packed_index(lens)
    batch_sizes = (np.arange(int(lens[0]))[:, None] < lens[None, :]).sum(1) if lens.size else []
    return PackedSequence(
        x[t_idx, b_idx],
        Tensor(np.asarray(batch_sizes, dtype=np.int64)),
        sorted_indices,
        invert_permutation(sorted_indices),
    )


def _sorted_lengths(sequence: PackedSequence) -> np.ndarray:
    """The lengths of the packed sequences, in sorted (decreasing) order."""
    bs = np.asarray(sequence.batch_sizes._data, dtype=np.int64)
    if not bs.size:
        return bs
    return (np.arange(int(bs[0]))[None, :] < bs[:, None]).sum(0).astype(np.int64)


def _unpack_sorted(sequence: PackedSequence, padding_value: float, total_length: int) -> Tensor:
    """The padded (total_length, B, *) batch in sorted order, padding_value past the ends."""
    data = sequence.data
    lens = _sorted_lengths(sequence)
    t_idx, b_idx = _packed_index(lens)
    gather = np.full((total_length, lens.size), t_idx.size, dtype=np.intp)
    gather[t_idx, b_idx] = np.arange(t_idx.size)
    pad = Tensor(np.full((1,) + tuple(data.shape[1:]), padding_value, dtype=data.dtype))
    return autograd.cat([data, pad], 0)[gather]


def pad_packed_sequence(
    sequence: PackedSequence,
    batch_first: bool = False,
    padding_value: float = 0.0,
    total_length: int | None = None,
) -> tuple[Tensor, Tensor]:
    """The inverse of ``pack_padded_sequence``: (padded batch (T, B, *) or (B, T, *) with
    ``batch_first``, lengths (B,) int64), in the original batch order. T is the longest
    length, or ``total_length`` when given (at least the longest)."""
    if not isinstance(sequence, PackedSequence):
        raise TypeError(
            f"pad_packed_sequence: expected a PackedSequence, got {type(sequence).__name__}"
        )
    lens = _sorted_lengths(sequence)
    max_len = int(lens[0]) if lens.size else 0
    if total_length is None:
        total_length = max_len
    elif total_length < max_len:
        raise ValueError(
            f"Expected total_length to be at least the length of the longest sequence in "
            f"input, but got total_length={total_length} and max sequence length being "
            f"{max_len}"
        )
    out = _unpack_sorted(sequence, padding_value, total_length)
    if sequence.unsorted_indices is not None:
        unsort = np.asarray(sequence.unsorted_indices._data)
        out = out[:, unsort]
        lens = lens[unsort]
    if batch_first:
        out = out.swapaxes(0, 1)
    return out, Tensor(lens)


def pack_sequence(sequences: Sequence[Any], enforce_sorted: bool = True) -> PackedSequence:
    """Pack a list of sequences (L_i, *) (by decreasing length unless enforce_sorted=False)."""
    lengths = [len(s) for s in sequences]
    return pack_padded_sequence(pad_sequence(sequences), lengths, enforce_sorted=enforce_sorted)


def unpack_sequence(packed_sequences: PackedSequence) -> list:
    """The list of sequences in a PackedSequence, in their original order."""
    padded, lengths = pad_packed_sequence(packed_sequences, batch_first=True)
    return unpad_sequence(padded, lengths, batch_first=True)
