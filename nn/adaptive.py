"""``AdaptiveLogSoftmaxWithLoss``: the adaptive softmax of Grave et al. (2016), an approximate
softmax for many classes ordered by frequency.

The frequent classes (below ``cutoffs[0]``) form the head's shortlist; the others fall into
clusters ``[cutoffs[i], cutoffs[i + 1])``, each with one extra column in the head (the log
probability of being in that cluster) and a small tail network (a projection to
``in_features // div_value**(i + 1)`` features, then to the cluster's classes). So
log p(c | x) = head_logprob[c] for c in the shortlist, and
head_logprob[shortlist_size + i] + log_softmax(tail_i(x))[c - cutoffs[i]] for c in cluster i.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np

from autograd import Tensor, cat

from .containers import ModuleList, Sequential
from .functional import log_softmax
from .linear import Linear
from .module import Module

_BAD_CUTOFFS = (
    "cutoffs should be a sequence of unique, positive integers sorted in an increasing order, "
    "where each value is between 1 and n_classes-1"
)


class _ASMoutput(NamedTuple):  # noqa: N801 (torch's name)
    """What ``AdaptiveLogSoftmaxWithLoss`` returns: each target's log probability, and the
    mean negative log likelihood."""

    output: Tensor
    loss: Tensor


def _checked_cutoffs(cutoffs: Sequence[Any], n_classes: int) -> list[int]:
    values = list(cutoffs)
    if not values:
        raise ValueError("cutoffs should be a sequence of length larger than 0")
    integral = all(
        not isinstance(c, bool) and isinstance(c, (int, float, np.integer, np.floating))
        and float(c) == int(c)
        for c in values
    )  # fmt: skip
    if (
        not integral
        or values != sorted(values)
        or min(values) <= 0
        or max(values) > n_classes - 1
        or len(set(values)) != len(values)
    ):
        raise ValueError(_BAD_CUTOFFS)
    if not all(isinstance(c, (int, np.integer)) for c in values):
        raise TypeError(f"AdaptiveLogSoftmaxWithLoss: cutoffs must be ints, got {values!r}")
    return [int(c) for c in values]


class AdaptiveLogSoftmaxWithLoss(Module):
    """Efficient softmax approximation for ``n_classes`` classes sorted by frequency (class 0
    the most frequent), split at ``cutoffs`` into a head shortlist and tail clusters.

    Modules, named as torch's: ``head``, a Linear(in_features, shortlist_size + n_clusters,
    bias=head_bias); ``tail``, a ModuleList of Sequential(Linear(in_features, hsz,
    bias=False), Linear(hsz, osz, bias=False)), hsz = in_features // div_value**(i + 1)
    and osz the cluster's class count. ``cutoffs`` is kept with ``n_classes`` appended.

    ``forward(input, target)`` takes input (N, in_features) with target (N), or
    (in_features) with a 0-d target, and returns ``_ASMoutput(output, loss)``: each target's
    log probability and their mean negative log likelihood. ``log_prob(input)`` gives every
    class's log probability (N, n_classes); ``predict(input)`` the most likely class (N).
    """

    def __init__(
        self,
        in_features: int,
        n_classes: int,
        cutoffs: Sequence[int],
        div_value: float = 4.0,
        head_bias: bool = False,
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        self.in_features = in_features
        self.n_classes = n_classes
        self.cutoffs = [*_checked_cutoffs(cutoffs, n_classes), n_classes]
        self.div_value = div_value
        self.head_bias = head_bias
        self.shortlist_size = self.cutoffs[0]
        self.n_clusters = len(self.cutoffs) - 1
        self.head_size = self.shortlist_size + self.n_clusters
        factory = dict(device=device, dtype=dtype)
        self.head = Linear(in_features, self.head_size, bias=head_bias, **factory)
        tails = []
        for i in range(self.n_clusters):
            hidden = int(in_features // div_value ** (i + 1))
            size = self.cutoffs[i + 1] - self.cutoffs[i]
            tails.append(
                Sequential(
                    Linear(in_features, hidden, bias=False, **factory),
                    Linear(hidden, size, bias=False, **factory),
                )
            )
        self.tail = ModuleList(tails)

    def reset_parameters(self) -> None:
        """Draw fresh weights (each Linear's default initialisation)."""
        self.head.reset_parameters()
        for layer in self.tail.modules():
            if isinstance(layer, Linear):
                layer.reset_parameters()

    def _check_shapes(self, input: Tensor, target: Tensor) -> None:  # noqa: A002
        if target.ndim == 1:
            if input.shape[0] != target.shape[0]:
                raise RuntimeError(
                    "Input and target should have the same size in the batch dimension."
                )
            if input.ndim != 2:
                raise RuntimeError(
                    "1D target tensor expects 2D input tensors, but found inputs with size "
                    f"{tuple(input.shape)}"
                )
        elif target.ndim == 0:
            if input.ndim != 1:
                raise RuntimeError(
                    "0D target tensor expects 1D input tensors, but found inputs with size "
                    f"{tuple(input.shape)}"
                )
        else:
            raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
        if target.dtype.kind not in "iu":
            raise RuntimeError(
                "AdaptiveLogSoftmaxWithLoss: target must hold class indices (an integer "
                f"tensor), got {target.dtype}"
            )

    def forward(self, input_: Tensor, target_: Tensor) -> _ASMoutput:
        """Each target's log probability and the loss (argument names are torch's)."""
        self._check_shapes(input_, target_)
        batched = target_.ndim == 1
        x = input_ if batched else input_.unsqueeze(0)
        classes = np.asarray(target_.data).reshape(-1).astype(np.int64)
        if classes.size and (classes.min() < 0 or classes.max() >= self.n_classes):
            raise RuntimeError(
                f"Target values should be in [0, {self.n_classes - 1}], but values in range "
                f"[{classes.min()}, {classes.max()}] were found. "
            )
        # 0 for the shortlist, i for the i-th cluster (from 1)
        cluster = np.searchsorted(self.cutoffs, classes, side="right")
        column = np.where(cluster == 0, classes, self.shortlist_size + cluster - 1)
        head_logprob = log_softmax(self.head(x), dim=1)
        in_clusters = Tensor(np.zeros(len(classes), dtype=head_logprob.dtype))
        for i, projection in enumerate(self.tail, start=1):
            rows = np.flatnonzero(cluster == i)
            if rows.size == 0:
                continue
            within = classes[rows] - self.cutoffs[i - 1]
            logprob = log_softmax(projection(x[rows]), dim=1)
            picked = logprob.gather(1, Tensor(within[:, None])).squeeze(1)
            in_clusters = in_clusters.index_add(0, Tensor(rows), picked)
        output = in_clusters + head_logprob.gather(1, Tensor(column[:, None])).squeeze(1)
        loss = (-output).mean()
        return _ASMoutput(output if batched else output.squeeze(0), loss)

    def _full_log_prob(self, x: Tensor, head_output: Tensor) -> Tensor:
        """Every class's log probability from the inputs and their head outputs."""
        head_logprob = log_softmax(head_output, dim=1)
        pieces = [head_logprob[:, : self.shortlist_size]]
        for i, projection in enumerate(self.tail):
            at = self.shortlist_size + i
            pieces.append(log_softmax(projection(x), dim=1) + head_logprob[:, at : at + 1])
        return cat(pieces, dim=1)

    def log_prob(self, input: Tensor) -> Tensor:  # noqa: A002
        """The log probability of every class for each input: (N, n_classes)."""
        return self._full_log_prob(input, self.head(input))

    def predict(self, input: Tensor) -> Tensor:  # noqa: A002
        """The most likely class of each input (N,); the tails are evaluated only for the
        inputs whose best head entry is a cluster."""
        head_output = self.head(input)
        best = head_output.argmax(dim=1)
        outside = np.asarray(best.data) >= self.shortlist_size
        if outside.any():
            rows = np.flatnonzero(outside)
            full = self._full_log_prob(input[rows], head_output[rows])
            best[Tensor(rows)] = full.argmax(dim=1)
        return best
