"""``ctc_loss``: the connectionist temporal classification loss (Graves et al., 2006),
-log p(target | log_probs) summed over every alignment, PyTorch's arguments.

The target l of length L is extended with blanks, l' = (blank, l1, blank, l2, ..., lL, blank)
of length 2L + 1. In log space, alpha_t(s) is the log-probability of all alignment prefixes
that emit l'_1..l'_s by time t (and end at s); beta_t(s) that of all suffixes from s at time t
to the end. Both include the emission at (t, s), so for every t

    log p = logsumexp_s(alpha_t(s) + beta_t(s) - log_probs[t, l'_s]),

and the derivative of -log p in log_probs[t, c] is -sum over s with l'_s = c of
exp(alpha_t(s) + beta_t(s) - log_probs[t, c] - log p): the posterior probability that the
alignment emits c at t (as a free variable, whether or not log_probs is normalised).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd import Function, Tensor
from autograd.function import Context
from autograd.node import Node

from ._losses_common import check_reduction

_NEG = -np.inf


def _shift(a: np.ndarray, k: int) -> np.ndarray:
    """``a`` moved k places along its last axis (right for k > 0), -inf filling in."""
    out = np.full_like(a, _NEG)
    if k > 0:
        out[..., k:] = a[..., :-k]
    else:
        out[..., :k] = a[..., -k:]
    return out


class _Lattice:
    """The extended targets of a batch and their emission log-probabilities."""

    def __init__(
        self, lp: np.ndarray, targets: list[np.ndarray], in_lens: np.ndarray, blank: int
    ) -> None:
        t_max, n = lp.shape[:2]
        lens = np.array([len(t) for t in targets], dtype=np.int64)
        s = 2 * int(lens.max(initial=0)) + 1
        ext = np.full((n, s), blank, dtype=np.int64)
        for i, tgt in enumerate(targets):
            ext[i, 1 : 2 * len(tgt) : 2] = tgt
        valid = np.arange(s)[None, :] < (2 * lens + 1)[:, None]
        # a label may be reached from two places back unless it is a blank or a repeat
        skip = np.zeros((n, s), dtype=bool)
        skip[:, 2:] = (ext[:, 2:] != blank) & (ext[:, 2:] != ext[:, :-2])
        self.ext, self.skip, self.lens, self.in_lens = ext, skip, lens, in_lens
        emit = lp[:, np.arange(n)[:, None], ext]  # (T, N, S)
        self.emit = np.where(valid[None], emit, _NEG)
        ends = np.arange(s)[None, :]
        self.final = (ends == 2 * lens[:, None]) | (ends == 2 * lens[:, None] - 1)
        self.t_max = t_max

    def alpha(self) -> np.ndarray:
        e = self.emit
        a = np.full(e.shape, _NEG)
        a[0, :, :2] = e[0, :, :2]
        for t in range(1, self.t_max):
            prev = a[t - 1]
            two_back = np.where(self.skip, _shift(prev, 2), _NEG)
            a[t] = np.logaddexp(np.logaddexp(prev, _shift(prev, 1)), two_back) + e[t]
        return a

    def beta(self) -> np.ndarray:
        e = self.emit
        b = np.full(e.shape, _NEG)
        last = (self.in_lens - 1)[:, None]
        for t in range(self.t_max - 1, -1, -1):
            if t + 1 < self.t_max:
                nxt = b[t + 1]
                two_on = _shift(np.where(self.skip, nxt, _NEG), -2)
                rec = np.logaddexp(np.logaddexp(nxt, _shift(nxt, -1)), two_on) + e[t]
            else:
                rec = np.full(e.shape[1:], _NEG)
            start = np.where(self.final, e[t], _NEG)
            b[t] = np.where(t == last, start, np.where(t < last, rec, _NEG))
        return b

    def log_likelihood(self, alpha: np.ndarray) -> np.ndarray:
        n = alpha.shape[1]
        out = np.empty(n)
        for i in range(n):
            t, length = int(self.in_lens[i]), int(self.lens[i])
            if t == 0:
                out[i] = 0.0 if length == 0 else _NEG
                continue
            end = alpha[t - 1, i, 2 * length]
            out[i] = np.logaddexp(end, alpha[t - 1, i, 2 * length - 1]) if length else end
        return out


class _CTC(Function):
    """The per-sample negative log-likelihoods (N,); their gradient is minus the posterior
    of each (time, class) under the alignments (computed with beta in backward)."""

    @staticmethod
    def forward(ctx: Context, lp: Any, lattice: _Lattice, zero_infinity: bool) -> Any:
        alpha = lattice.alpha()
        loglik = lattice.log_likelihood(alpha)
        ctx.lattice, ctx.alpha, ctx.loglik, ctx.zero_inf = lattice, alpha, loglik, zero_infinity
        ctx.shape, ctx.dtype = lp.shape, lp.dtype
        loss = -loglik
        if zero_infinity:
            loss = np.where(np.isinf(loss), 0.0, loss)
        return loss.astype(lp.dtype)

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple:
        if isinstance(g, Node):
            raise NotImplementedError(
                "ctc_loss: second derivatives are not implemented (PyTorch has none either)"
            )
        lat: _Lattice = ctx.lattice
        both = ctx.alpha + lat.beta()
        with np.errstate(invalid="ignore"):
            log_post = np.where(
                np.isfinite(both), both - lat.emit - ctx.loglik[None, :, None], _NEG
            )
        t_max, n, s = log_post.shape
        grad = np.zeros(ctx.shape, dtype=np.float64)
        where = (np.arange(t_max)[:, None, None], np.arange(n)[None, :, None], lat.ext[None])
        np.add.at(grad, where, -np.exp(log_post))
        # an impossible target: no gradient with zero_infinity, else NaN over its frames
        # (as PyTorch)
        if not ctx.zero_inf:
            for i in np.flatnonzero(np.isinf(ctx.loglik)):
                grad[: lat.in_lens[i], i] = np.nan
        return (grad * np.asarray(g)[None, :, None]).astype(ctx.dtype), None, None


def _lengths(v: Any, n: int, name: str, op: str) -> np.ndarray:
    arr = np.asarray(v._data if isinstance(v, Node) else v)
    if arr.dtype.kind not in "iu" or arr.ndim > 1:
        raise ValueError(f"{op}: {name} must be integers, one per sequence, got {v!r}")
    arr = arr.reshape(-1).astype(np.int64)
    if arr.size != n:
        raise ValueError(f"{op}: {name} must have one entry per sequence ({n}), got {arr.size}")
    return arr


def _split_targets(
    targets: Any, t_lens: np.ndarray, n_classes: int, blank: int, unbatched: bool, op: str
) -> list[np.ndarray]:
    """Each sequence's target labels, from padded (N, S) or concatenated targets."""
    tg = np.asarray(targets._data if isinstance(targets, Node) else targets)
    if tg.dtype.kind not in "iu":
        raise ValueError(f"{op}: targets must hold integer class indices, got dtype {tg.dtype}")
    if (t_lens < 0).any():
        raise ValueError(f"{op}: target_lengths must be >= 0, got {t_lens.tolist()}")
    if unbatched:
        tg = tg.reshape(1, -1) if tg.ndim == 1 else tg
    if tg.ndim == 2:
        if tg.shape[0] != len(t_lens) or tg.shape[1] < t_lens.max(initial=0):
            raise ValueError(
                f"{op}: padded targets of shape {tg.shape} must have one row per sequence "
                f"({len(t_lens)}) and at least max(target_lengths) = {t_lens.max()} columns"
            )
        parts = [tg[i, :k] for i, k in enumerate(t_lens)]
    elif tg.ndim == 1:
        if tg.size != t_lens.sum():
            raise ValueError(
                f"{op}: concatenated targets hold {tg.size} labels but target_lengths add up to "
                f"{t_lens.sum()}"
            )
        parts = np.split(tg, np.cumsum(t_lens)[:-1])
    else:
        raise ValueError(f"{op}: targets must be 1-d or 2-d, got shape {tg.shape}")
    for p in parts:
        if p.size and (p.min() < 0 or p.max() >= n_classes):
            raise ValueError(f"{op}: target labels must lie in [0, {n_classes}), got {p.tolist()}")
    return [p.astype(np.int64) for p in parts]


def ctc_loss(
    log_probs: Any,
    targets: Any,
    input_lengths: Any,
    target_lengths: Any,
    blank: int = 0,
    reduction: str = "mean",
    zero_infinity: bool = False,
) -> Tensor:
    """The CTC loss of ``log_probs`` (T, N, C) or unbatched (T, C) (log-probabilities over C
    classes, e.g. from ``log_softmax``) for ``targets``: padded (N, S) or concatenated
    (sum(target_lengths),) class indices, never ``blank``. ``input_lengths`` and
    ``target_lengths`` give each sequence's T_n <= T and L_n.

    Each sequence's loss is -log of the summed probability of its alignments. 'mean' divides
    each by its target length (at least 1) and averages; 'sum' adds; 'none' keeps (N,).
    ``zero_infinity`` makes the infinite loss of an impossible target (T_n too short) and its
    gradient zero."""
    op = "ctc_loss"
    check_reduction(reduction, op)
    lp = log_probs if isinstance(log_probs, Tensor) else Tensor(np.asarray(log_probs))
    if lp.dtype.kind != "f":
        raise ValueError(f"{op}: log_probs must be floating, got dtype {lp.dtype}")
    if lp.ndim not in (2, 3):
        raise ValueError(
            f"{op}: log_probs must be (T, N, C) or unbatched (T, C), got shape {tuple(lp.shape)}"
        )
    unbatched = lp.ndim == 2
    if unbatched:
        lp = lp.unsqueeze(1)
    t_max, n, c = lp.shape
    if isinstance(blank, bool) or not isinstance(blank, (int, np.integer)) or not 0 <= blank < c:
        raise ValueError(f"{op}: blank must be a class index in [0, {c}), got {blank!r}")
    in_lens = _lengths(input_lengths, n, "input_lengths", op)
    t_lens = _lengths(target_lengths, n, "target_lengths", op)
    if (in_lens < 0).any() or (in_lens > t_max).any():
        raise ValueError(
            f"{op}: input_lengths must lie in [0, T = {t_max}], got {in_lens.tolist()}"
        )
    parts = _split_targets(targets, t_lens, c, int(blank), unbatched, op)
    lattice = _Lattice(lp._data.astype(np.float64), parts, in_lens, int(blank))
    losses = _CTC.apply(lp, lattice, bool(zero_infinity))
    if reduction == "none":
        return losses.squeeze(0) if unbatched else losses
    if reduction == "sum":
        return losses.sum()
    per_label = np.maximum(t_lens, 1).astype(losses.dtype)
    return (losses / Tensor(per_label)).mean()
