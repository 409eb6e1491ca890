"""One table of Tensor ops (OpInfo-style) that drives the gradient tests, the dtype tests and
the comparison against PyTorch.

Each entry's ``fn(lib, *xs)`` is written once and runs unchanged with ``lib = autograd`` on our
Tensors and with ``lib = torch`` on torch tensors: the porting rule (``import autograd as
torch``) checked op by op. The table imports neither torch nor autograd, so a differential
fuzzer can import it anywhere.

Fields of ``OpInfo``:
  name      unique id (``"sum_dim"``, ``"max_dim_values"``...)
  fn        ``fn(lib, *xs) -> tensor``: the op; constants (indices, masks) are built inside
            with ``lib.tensor(ndarray)``
  inputs    one maker per tensor argument: ``maker(rng, dtype) -> ndarray`` (its domain)
  grad      differentiable (first derivatives checked against finite differences and torch)
  gradgrad  second derivatives checked too
  dtypes    float dtypes the op is compared in (float32 and float64 by default)
  atol/rtol tolerances against torch in float64 (float32 uses float32-sized ones)

``OPS`` is the list of OpInfo (``BY_NAME`` indexes it); the makers ``U``, ``AWAY``,
``DISTINCT``, ``FRACTIONAL`` and ``INT`` describe input domains. ``ERRORS`` lists calls both
libraries must refuse (``ErrorInfo``: name, fn, inputs, and a regex our message must match).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

Maker = Callable[[np.random.Generator, Any], np.ndarray]


@dataclass(frozen=True)
class OpInfo:
    name: str
    fn: Callable[..., Any]
    inputs: Sequence[Maker]
    grad: bool = True
    gradgrad: bool = True
    dtypes: tuple = ("float32", "float64")
    atol: float = 1e-12
    rtol: float = 1e-10
    tags: tuple = field(default=())

    def make(self, rng: np.random.Generator, dtype: Any) -> list[np.ndarray]:
        return [m(rng, dtype) for m in self.inputs]


# --- input makers (domains) ----------------------------------------------------------------


def U(shape: tuple, lo: float = -2.0, hi: float = 2.0) -> Maker:  # noqa: N802
    """Uniform in [lo, hi]."""
    return lambda rng, dtype: rng.uniform(lo, hi, shape).astype(dtype)


def AWAY(shape: tuple, lo: float = 0.2, hi: float = 2.0) -> Maker:  # noqa: N802
    """Magnitude in [lo, hi] with a random sign (away from 0, where abs/relu/sign kink)."""

    def make(rng: np.random.Generator, dtype: Any) -> np.ndarray:
        return (rng.uniform(lo, hi, shape) * rng.choice([-1.0, 1.0], shape)).astype(dtype)

    return make


def DISTINCT(shape: tuple) -> Maker:  # noqa: N802
    """Distinct values at least 0.3 apart (no ties within a finite-difference step)."""

    def make(rng: np.random.Generator, dtype: Any) -> np.ndarray:
        n = int(np.prod(shape))
        v = rng.permutation(n) * 0.3 - 0.15 * n + rng.uniform(0, 0.05, n)
        return v.reshape(shape).astype(dtype)

    return make


def FRACTIONAL(shape: tuple, lo: float = -3.0, hi: float = 3.0) -> Maker:  # noqa: N802
    """Values whose fractional part lies in [0.2, 0.8] (away from floor/round jumps)."""

    def make(rng: np.random.Generator, dtype: Any) -> np.ndarray:
        whole = rng.integers(int(lo), int(hi), shape)
        return (whole + rng.uniform(0.2, 0.4, shape) + 0.3 * rng.integers(0, 2, shape)).astype(
            dtype
        )

    return make


def INT(shape: tuple, lo: int = -5, hi: int = 6) -> Maker:  # noqa: N802
    """Integers in [lo, hi) (in the dtype asked for: the int64 entries use int64)."""
    return lambda rng, dtype: rng.integers(lo, hi, shape).astype(dtype)


def _idx(a: Any) -> np.ndarray:
    return np.asarray(a, dtype=np.int64)


S = (3, 4)
S3 = (2, 3, 4)

# --- the table ---------------------------------------------------------------------------

OPS: list[OpInfo] = []


def op(name: str, fn: Callable[..., Any], *inputs: Maker, **kw: Any) -> None:
    OPS.append(OpInfo(name, fn, inputs, **kw))


# elementwise maths
op("abs", lambda L, x: L.abs(x), AWAY(S))
op("neg", lambda L, x: L.neg(x), U(S))
op("exp", lambda L, x: L.exp(x), U(S))
op("exp2", lambda L, x: L.exp2(x), U(S))
op("expm1", lambda L, x: L.expm1(x), U(S))
op("log", lambda L, x: L.log(x), U(S, 0.2, 3))
op("log2", lambda L, x: x.log2(), U(S, 0.2, 3))
op("log10", lambda L, x: L.log10(x), U(S, 0.2, 3))
op("log1p", lambda L, x: L.log1p(x), U(S, -0.5, 3))
op("sqrt", lambda L, x: L.sqrt(x), U(S, 0.2, 3))
op("rsqrt", lambda L, x: L.rsqrt(x), U(S, 0.2, 3))
op("square", lambda L, x: L.square(x), U(S))
op("pow_scalar", lambda L, x: L.pow(x, 3), U(S))
op("pow_tensor", lambda L, x, y: x.pow(y), U(S, 0.3, 2), U(S))
op("reciprocal", lambda L, x: L.reciprocal(x), AWAY(S, 0.3, 2))
op("sin", lambda L, x: L.sin(x), U(S, -4, 4))
op("cos", lambda L, x: x.cos(), U(S, -4, 4))
op("tan", lambda L, x: L.tan(x), U(S, -1.2, 1.2))
op("asin", lambda L, x: L.asin(x), U(S, -0.9, 0.9))
op("acos", lambda L, x: L.acos(x), U(S, -0.9, 0.9))
op("atan", lambda L, x: L.atan(x), U(S, -3, 3))
op("atan2", lambda L, y, x: L.atan2(y, x), U(S), AWAY(S, 0.3, 2))
op("sinh", lambda L, x: L.sinh(x), U(S))
op("cosh", lambda L, x: L.cosh(x), U(S))
op("tanh", lambda L, x: L.tanh(x), U(S))
op("sigmoid", lambda L, x: L.sigmoid(x), U(S, -4, 4))
op("relu", lambda L, x: L.relu(x), AWAY(S))
op("erf", lambda L, x: L.erf(x), U(S, -3, 3))
op("erfc", lambda L, x: L.erfc(x), U(S, -3, 5))
op("floor", lambda L, x: L.floor(x), FRACTIONAL(S))
op("ceil", lambda L, x: x.ceil(), FRACTIONAL(S))
op("round", lambda L, x: L.round(x), FRACTIONAL(S))
op("round_decimals", lambda L, x: x.round(decimals=1), U(S, 0.01, 0.04), grad=False)
op("trunc", lambda L, x: L.trunc(x), FRACTIONAL(S))
op("frac", lambda L, x: L.frac(x), FRACTIONAL(S))
op("sign", lambda L, x: L.sign(x), AWAY(S))
op("clamp", lambda L, x: L.clamp(x, -0.5, 0.7), U(S))
op("clamp_min_only", lambda L, x: x.clamp(min=0.1), AWAY(S, 0.3, 2))
op("clip_tensor_bounds", lambda L, x, lo: L.clip(x, min=lo, max=lo + 1.5), U(S), U(S, -1, 0))
op("maximum", lambda L, a, b: L.maximum(a, b), DISTINCT(S), DISTINCT(S))
op("minimum", lambda L, a, b: L.minimum(a, b), DISTINCT(S), DISTINCT(S))
op("where", lambda L, a, b: L.where(a > 0, a, b), AWAY(S), U(S))
op("lerp", lambda L, a, b: L.lerp(a, b, 0.3), U(S), U(S))
op("lerp_tensor_weight", lambda L, a, b, w: L.lerp(a, b, w), U(S), U(S), U(S, 0, 1))
op("remainder", lambda L, a: a % 1.5, FRACTIONAL(S))
op("remainder_tensor", lambda L, a, b: L.remainder(a * 3, b), U(S, 0.5, 0.6), U(S, 1.2, 1.3))
op("floor_divide", lambda L, a: a // 1.5, FRACTIONAL(S), grad=False)
op("nan_to_num", lambda L, x: L.nan_to_num(L.log(x)), U(S, -1, 2), grad=False)
op("softmax", lambda L, x: L.softmax(x, 1), U(S3, -3, 3))
op("log_softmax_method", lambda L, x: x.log_softmax(-1), U(S3, -3, 3))
op("selu", lambda L, x: L.selu(x), AWAY(S))
op("prelu", lambda L, x, w: L.prelu(x, w), AWAY(S3), U((3,), 0.1, 0.5))
op("logsumexp", lambda L, x: L.logsumexp(x, 1), U(S, -3, 3))
op("logsumexp_dims_keep", lambda L, x: x.logsumexp((0, 2), keepdim=True), U(S3, -3, 3))

# reductions
op("sum_all", lambda L, x: L.sum(x), U(S3))
op("sum_dim", lambda L, x: x.sum(1), U(S3))
op("sum_dims_keep", lambda L, x: x.sum(dim=(0, 2), keepdim=True), U(S3))
op("sum_empty_dims", lambda L, x: x.sum(dim=()), U(S3))
op("mean_dim", lambda L, x: L.mean(x, -1), U(S3))
op("mean_empty_dims", lambda L, x: x.mean(dim=()), U(S3))
op("prod_all", lambda L, x: L.prod(x), AWAY(S, 0.5, 1.5))
op("prod_dim", lambda L, x: x.prod(1), AWAY(S, 0.5, 1.5))
op("prod_dim_keep", lambda L, x: x.prod(0, keepdim=True), AWAY(S, 0.5, 1.5))
op("var_default_unbiased", lambda L, x: x.var(), U(S3))
op("var_dim", lambda L, x: L.var(x, 1), U(S3))
op("var_correction0", lambda L, x: x.var(dim=(0, 2), correction=0, keepdim=True), U(S3))
op("var_unbiased_false", lambda L, x: x.var(1, False), U(S3))
op("std_default", lambda L, x: L.std(x), U(S3))
op("std_dim", lambda L, x: x.std(dim=-1), U(S3))
op("max_all", lambda L, x: L.max(x), DISTINCT(S))
op("min_all", lambda L, x: x.min(), DISTINCT(S))
op("max_dim_values", lambda L, x: x.max(1).values, DISTINCT(S3))
op("max_dim_keepdim", lambda L, x: L.max(x, dim=0, keepdim=True)[0], DISTINCT(S3))
op("min_dim_values", lambda L, x: x.min(-1).values, DISTINCT(S3))
op("max_dim_indices", lambda L, x: x.max(1).indices, DISTINCT(S3), grad=False)
op("min_dim_indices", lambda L, x: L.min(x, 0)[1], DISTINCT(S3), grad=False)
op("max_binary", lambda L, a, b: L.max(a, b), DISTINCT(S), DISTINCT(S))
op("amax_dims", lambda L, x: L.amax(x, (0, 2)), DISTINCT(S3))
op("amax_all", lambda L, x: x.amax(), DISTINCT(S3))
op("amin_dim_keep", lambda L, x: x.amin(1, keepdim=True), DISTINCT(S3))
op("argmax_all", lambda L, x: L.argmax(x), DISTINCT(S3), grad=False)
op("argmax_dim", lambda L, x: x.argmax(1), DISTINCT(S3), grad=False)
op("argmin_dim_keep", lambda L, x: x.argmin(dim=2, keepdim=True), DISTINCT(S3), grad=False)
op("norm_fro", lambda L, x: L.norm(x), U(S3))
op("norm_1_dim", lambda L, x: x.norm(1, dim=1), AWAY(S3))
op("norm_3_dim", lambda L, x: x.norm(3, dim=(0, 1), keepdim=True), AWAY(S3))
op("norm_inf", lambda L, x: x.norm(float("inf")), DISTINCT(S))
op("cumsum", lambda L, x: L.cumsum(x, 1), U(S3))
op("cumsum_neg", lambda L, x: x.cumsum(dim=-1), U(S3))
op("cumprod", lambda L, x: L.cumprod(x, 1), AWAY(S3, 0.5, 1.5))
op(
    "cumprod_with_zero",
    lambda L, x: x.masked_fill(
        L.tensor(np.array([[0, 1, 0, 0], [0, 0, 0, 1]], dtype=bool)), 0.0
    ).cumprod(1),
    U((2, 4), 0.5, 1.5),
)
op(
    "prod_with_zero",
    lambda L, x: x.masked_fill(
        L.tensor(np.array([[0, 1, 0, 0], [0, 0, 0, 0]], dtype=bool)), 0.0
    ).prod(1),
    U((2, 4), 0.5, 1.5),
)
op("all_dim", lambda L, x: L.all(x > 0, 1), U(S), grad=False)
op("any", lambda L, x: (x > 1.5).any(), U(S), grad=False)
op("sort_values", lambda L, x: L.sort(x, 1).values, DISTINCT(S3))
op("sort_desc", lambda L, x: x.sort(dim=0, descending=True)[0], DISTINCT(S3))
op("sort_indices", lambda L, x: x.sort(-1)[1], DISTINCT(S3), grad=False)
op("argsort", lambda L, x: L.argsort(x, dim=1, descending=True), DISTINCT(S3), grad=False)
op("topk_values", lambda L, x: L.topk(x, 2).values, DISTINCT(S3))
op("topk_smallest", lambda L, x: x.topk(2, dim=1, largest=False)[0], DISTINCT(S3))
op("topk_indices", lambda L, x: x.topk(3).indices, DISTINCT(S3), grad=False)
op("histc", lambda L, x: L.histc(x, bins=5, min=-2, max=2), U((50,)), grad=False)
op("histogram", lambda L, x: L.histogram(x, 4).hist, U((30,)), grad=False)
op("histogram_edges", lambda L, x: x.histogram(3, range=(-1.0, 1.0))[1], U((30,)), grad=False)
op("count_nonzero", lambda L, x: L.count_nonzero(x > 0, dim=1), U(S), grad=False)

# comparisons
op("eq", lambda L, x: L.eq(L.floor(x), 1.0), U(S, -3, 3), grad=False)
op("ne", lambda L, a, b: a.ne(b), U(S), U(S), grad=False)
op("lt", lambda L, a, b: L.lt(a, b), U(S), U(S), grad=False)
op("le", lambda L, a: a.le(0.5), U(S), grad=False)
op("gt", lambda L, a, b: L.gt(a, b), U(S), U(S), grad=False)
op("ge", lambda L, a: a.ge(0.0), U(S), grad=False)
op("isclose", lambda L, a, b: L.isclose(a, a + b * 1e-9), U(S), U(S), grad=False)
op("isnan", lambda L, x: L.isnan(L.log(x)), U(S, -1, 2), grad=False)
op("isinf", lambda L, x: L.isinf(L.log(x * 0)), U(S), grad=False)
op("isfinite", lambda L, x: x.log().isfinite(), U(S, -1, 2), grad=False)

# shape
op("reshape", lambda L, x: L.reshape(x, (4, -1)), U(S3))
op("view", lambda L, x: x.view(6, 4), U(S3))
op("view_as", lambda L, x, y: x.view_as(y), U(S3), U((4, 6)), grad=True)
op("flatten", lambda L, x: L.flatten(x, 1), U(S3))
op("unflatten", lambda L, x: x.unflatten(2, (2, 2)), U(S3))
op("squeeze", lambda L, x: L.squeeze(x, 1), U((3, 1, 2)))
op("unsqueeze", lambda L, x: L.unsqueeze(x, -1), U(S))
op("permute", lambda L, x: L.permute(x, (2, 0, 1)), U(S3))
op("transpose", lambda L, x: L.transpose(x, 0, 2), U(S3))
op("transpose_method", lambda L, x: x.transpose(-1, 1), U(S3))
op("swapaxes", lambda L, x: x.swapaxes(0, 1), U(S3))
op("movedim", lambda L, x: L.movedim(x, 0, -1), U(S3))
op("t", lambda L, x: x.t(), U(S))
op("T", lambda L, x: x.T, U(S))
op("mT", lambda L, x: x.mT, U(S3))
op("expand", lambda L, x: x.expand(2, 3, 4), U((3, 1)))
op("expand_as", lambda L, x, y: x.expand_as(y), U((1, 4)), U(S3))
op("broadcast_to", lambda L, x: L.broadcast_to(x, (2, 3, 4)), U((3, 1)))
op("repeat", lambda L, x: x.repeat(2, 1, 3), U(S))
op("tile", lambda L, x: L.tile(x, (2,)), U(S))
op("repeat_interleave", lambda L, x: L.repeat_interleave(x, 2, dim=1), U(S))
op("repeat_interleave_flat", lambda L, x: x.repeat_interleave(3), U(S))
op(
    "repeat_interleave_tensor",
    lambda L, x: x.repeat_interleave(L.tensor(_idx([1, 0, 2])), dim=0),
    U(S),
)
op("flip", lambda L, x: L.flip(x, (0, 2)), U(S3))
op("roll", lambda L, x: L.roll(x, 1, 1), U(S3))
op("roll_flat", lambda L, x: x.roll(5), U(S3))
op("roll_dims", lambda L, x: x.roll((1, -1), (0, 2)), U(S3))
op("narrow", lambda L, x: L.narrow(x, 1, 1, 2), U(S3))
op("cat", lambda L, a, b: L.cat([a, b], 1), U(S), U((3, 2)))
op("concat_dim", lambda L, a, b: L.concat((a, b), dim=0), U(S), U((1, 4)))
op("stack", lambda L, a, b: L.stack([a, b], 1), U(S), U(S))
op("hstack", lambda L, a, b: L.hstack([a, b]), U(S), U((3, 2)))
op("vstack", lambda L, a, b: L.vstack([a, b]), U((4,)), U(S))
op("split", lambda L, x: L.split(x, 3, 2)[1], U(S3))
op("split_sizes", lambda L, x: x.split([1, 3], dim=-1)[1], U(S3))
op("chunk", lambda L, x: L.chunk(x, 3, 2)[1], U(S3))
op("unbind", lambda L, x: L.unbind(x, 1)[2], U(S3))
op("gather", lambda L, x: L.gather(x, 1, L.tensor(_idx([[0, 0, 3], [2, 1, 1], [3, 3, 3]]))), U(S))
op(
    "scatter_add",
    lambda L, x, s: x.scatter_add(1, L.tensor(_idx([[0, 0], [2, 2], [1, 3]])), s),
    U(S),
    U((3, 2)),
)
op("index_select", lambda L, x: L.index_select(x, 2, L.tensor(_idx([3, 0, 3]))), U(S3))
op("masked_fill", lambda L, x: x.masked_fill(x > 0.5, -1.0), AWAY(S))
op("tril", lambda L, x: L.tril(x), U(S))
op("triu_k", lambda L, x: x.triu(1), U(S3))
op("diag_1d", lambda L, x: L.diag(x, 1), U((3,)))
op("diag_2d", lambda L, x: x.diag(-1), U(S))
op("diagonal", lambda L, x: L.diagonal(x, 0, 0, 2), U(S3))
op("diagonal_offset", lambda L, x: x.diagonal(offset=1, dim1=-1, dim2=-2), U(S3))
op("outer", lambda L, a, b: L.outer(a, b), U((3,)), U((4,)))
op("einsum_matmul", lambda L, a, b: L.einsum("ij,jk->ik", a, b), U(S), U((4, 2)))
op("einsum_sum_out", lambda L, a, b: L.einsum("bij,bjk->bk", a, b), U(S3), U((2, 4, 3)))
op("einsum_ellipsis", lambda L, a, b: L.einsum("...i,i", a, b), U(S3), U((4,)))
op("einsum_implicit", lambda L, a: L.einsum("ij", a), U(S))
op("matmul", lambda L, a, b: L.matmul(a, b), U(S3), U((4, 2)))
op("mm", lambda L, a, b: L.mm(a, b), U(S), U((4, 2)))
op("bmm", lambda L, a, b: a.bmm(b), U(S3), U((2, 4, 3)))
op("dot", lambda L, a, b: L.dot(a, b), U((4,)), U((4,)))

# indexing
op("index_basic", lambda L, x: x[1:, None, ..., ::2], U(S3))
op("index_int_list_repeats", lambda L, x: x[[0, 2, 0, 0]], U(S))
op("index_tensor", lambda L, x: x[:, L.tensor(_idx([[1, 1], [3, 0]]))], U(S))
op("index_bool_mask", lambda L, x: x[x > 0], AWAY(S))
op("index_range", lambda L, x: x[range(3), [1, 3, 1]], U(S))
op("index_0d_tensor", lambda L, x: x[L.tensor(_idx(1))], U(S3))
op("index_mask_tensor_rows", lambda L, x: x[L.tensor(np.array([True, False, True]))], U(S))
op("index_two_arrays_broadcast", lambda L, x: x[[[0], [2]], [1, 3, 3]], U(S))
op("index_slice_then_array", lambda L, x: x[1:, [0, 0, 2]], U(S3))
op("index_negative", lambda L, x: x[-1, ..., -2], U(S3))

# integer inputs: PyTorch's result dtypes (float maths gives the default float, the rest int64)
INTS = ("int64",)
op("int_sin", lambda L, x: L.sin(x), INT(S), grad=False, dtypes=INTS)
op("int_sqrt", lambda L, x: x.sqrt(), INT(S, 0, 9), grad=False, dtypes=INTS)
op("int_reciprocal", lambda L, x: x.reciprocal(), INT(S, 1, 9), grad=False, dtypes=INTS)
op("int_abs", lambda L, x: L.abs(x), INT(S), grad=False, dtypes=INTS)
op("int_square", lambda L, x: x.square(), INT(S), grad=False, dtypes=INTS)
op("int_sign", lambda L, x: x.sign(), INT(S), grad=False, dtypes=INTS)
op("int_floor", lambda L, x: L.floor(x), INT(S), grad=False, dtypes=INTS)
op("int_round", lambda L, x: x.round(), INT(S), grad=False, dtypes=INTS)
op("int_clamp", lambda L, x: x.clamp(0, 3), INT(S), grad=False, dtypes=INTS)
op("int_floor_divide", lambda L, x, y: x // y, INT(S), INT(S, 1, 4), grad=False, dtypes=INTS)
op("int_remainder", lambda L, x, y: x % y, INT(S), INT(S, -4, -1), grad=False, dtypes=INTS)
op("int_true_divide", lambda L, x: x / 2, INT(S), grad=False, dtypes=INTS)
op("int_sum", lambda L, x: x.sum(1), INT(S), grad=False, dtypes=INTS)
op("int_prod", lambda L, x: L.prod(x), INT(S, 1, 4), grad=False, dtypes=INTS)
op("int_cumsum", lambda L, x: L.cumsum(x, 0), INT(S), grad=False, dtypes=INTS)
op("bool_cumsum", lambda L, x: (x > 0).cumsum(1), INT(S), grad=False, dtypes=INTS)
op("int_cumprod", lambda L, x: x.cumprod(1), INT(S, -2, 3), grad=False, dtypes=INTS)
op("int_amax", lambda L, x: x.amax(0), INT(S), grad=False, dtypes=INTS)
op("int_max_dim", lambda L, x: x.max(1).values, INT(S), grad=False, dtypes=INTS)
op("int_sort_desc", lambda L, x: x.sort(1, descending=True).values, INT(S), grad=False, dtypes=INTS)
op("int_bincount", lambda L, x: L.bincount(x), INT((20,), 0, 7), grad=False, dtypes=INTS)
op("int_unique", lambda L, x: L.unique(x), INT((20,)), grad=False, dtypes=INTS)
op("int_exp2", lambda L, x: x.exp2(), INT(S), grad=False, dtypes=INTS)

BY_NAME = {o.name: o for o in OPS}
assert len(BY_NAME) == len(OPS), "duplicate op names in the catalogue"


# --- calls that must fail, in both libraries ---------------------------------------------


@dataclass(frozen=True)
class ErrorInfo:
    """``fn(lib, *xs)`` raises in torch and in ours; ours names the op (``match``)."""

    name: str
    fn: Callable[..., Any]
    inputs: Sequence[Maker]
    match: str


ERRORS: list[ErrorInfo] = [
    ErrorInfo("max_empty_dim", lambda L, x: x[:0].max(0), [U(S)], "max"),
    ErrorInfo("max_empty_all", lambda L, x: x[:0].max(), [U(S)], "max"),
    ErrorInfo("amax_bad_dim", lambda L, x: x.amax(2), [U(S)], "amax"),
    ErrorInfo("transpose_bad_dim", lambda L, x: x.transpose(0, 2), [U(S)], "transpose"),
    ErrorInfo("permute_not_a_permutation", lambda L, x: x.permute(0, 0), [U(S)], "permute"),
    ErrorInfo("mm_shapes", lambda L, a, b: L.mm(a, b), [U(S), U(S)], "mm|matmul"),
    ErrorInfo("bmm_2d", lambda L, a, b: L.bmm(a, b), [U(S), U((4, 3))], "bmm"),
    ErrorInfo("dot_lengths", lambda L, a, b: L.dot(a, b), [U((3,)), U((4,))], "dot"),
    ErrorInfo("topk_k_too_large", lambda L, x: x.topk(5), [U(S)], "topk"),
    ErrorInfo(
        "gather_out_of_range",
        lambda L, x: x.gather(1, L.tensor(_idx([[4], [0], [0]]))),
        [U(S)],
        "gather",
    ),
    ErrorInfo("view_bad_shape", lambda L, x: x.view(5, -1), [U(S)], "reshape"),
    ErrorInfo("cat_shapes", lambda L, a, b: L.cat([a, b], 1), [U(S), U((2, 4))], "concatenate"),
    ErrorInfo("clamp_no_bounds", lambda L, x: x.clamp(), [U(S)], "clamp"),
    ErrorInfo("narrow_too_long", lambda L, x: x.narrow(1, 2, 3), [U(S)], "narrow"),
    ErrorInfo("split_bad_sizes", lambda L, x: x.split([1, 1], 1), [U(S)], "split"),
    ErrorInfo("unflatten_bad_sizes", lambda L, x: x.unflatten(1, (3, 2)), [U(S)], "reshape"),
    ErrorInfo("diag_3d", lambda L, x: L.diag(x), [U(S3)], "diag"),
    ErrorInfo("var_bad_dim", lambda L, x: x.var(3), [U(S)], "var"),
    ErrorInfo(
        "index_select_2d_index",
        lambda L, x: x.index_select(0, L.tensor(_idx([[0]]))),
        [U(S)],
        "index_select",
    ),
    ErrorInfo(
        "floor_divide_backward", lambda L, x: (x // 2.0).sum().backward(), [U(S)], "floor_divide"
    ),
]
