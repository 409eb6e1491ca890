"""One table of Tensor ops (OpInfo-style) that drives the gradient tests, the dtype tests and
the comparison against PyTorch.

Each entry's ``fn(lib, *xs)`` is written once and runs unchanged with ``lib = autograd`` on our
Tensors and with ``lib = torch`` on torch tensors: the porting rule (``import autograd as
torch``) checked op by op. The table imports neither torch nor autograd (``F(lib)`` finds
the functional module of either when called).

Fields of ``OpInfo``:
  name      unique id (``"sum_dim"``, ``"max_dim_values"``...)
  fn        ``fn(lib, *xs) -> tensor``: the op; constants (indices, masks) are built inside
            with ``lib.tensor(ndarray)``
  inputs    one maker per tensor argument: ``maker(rng, dtype) -> ndarray`` (its domain)
  grad      differentiable (first derivatives checked against finite differences and torch)
  gradgrad  second derivatives checked too
  dtypes    float dtypes the op is compared in (float32 and float64 by default)
  atol/rtol tolerances against torch in float64 (float32 uses float32-sized ones)
  tags      markers; ``TORCH_CANNOT_DIFFERENTIATE``: torch's backward raises (its bug), so
            only values are compared with torch and our derivatives with finite differences

``OPS`` is the list of OpInfo (``BY_NAME`` indexes it); the makers ``U``, ``AWAY``,
``DISTINCT``, ``FRACTIONAL`` and ``INT`` describe input domains. ``ERRORS`` lists calls both
libraries must refuse (``ErrorInfo``: name, fn, inputs, and a regex our message must match).

The same table drives the differential fuzzer (tests/test_fuzz_vs_torch.py): the fields
``sample``, ``domain``, ``fuzz_tol``, ``kinked`` and ``known`` say how it draws an op's
further arguments for the program's current tensor and which differences it documents.
``tests/test_op_coverage.py`` checks that every public Tensor method and module function is
in the table or in its justified exclusion list.

Known, justified differences from torch 2.13 (each also a ``Known`` on its entry, so the
fuzzer skips exactly that comparison and counts it as documented):

* ``x ** 0.5`` / ``x ** -0.5`` with a number exponent (and the derivatives of other
  fractional powers, which use them): torch computes these as ``sqrt`` / ``rsqrt``, which
  differ from ``pow`` only at -0.0 and -inf (sqrt(-inf) = nan where pow(-inf, 0.5) = inf;
  rsqrt(-0.0) = -inf where pow(-0.0, -0.5) = inf). We follow C99 ``pow`` (and torch's own
  ``pow`` with a tensor exponent).
* ELU/SELU/CELU gradient at nan: torch gives the linear branch's slope or nan depending on
  the entry's place (its vectorised kernel, 16 entries at a time in float32, gives nan; the
  scalar loop over the remainder gives 1); we give nan (NaN propagates).
* Hardtanh gradient at nan: torch gives 1 (scalar loop) or 0 (vectorised), by length; we
  give 0, as clamp does in both.
* GELU (exact): our erfc form keeps relative precision in the lower tail where torch's
  ``0.5 * x * (1 + erf(x / sqrt 2))`` cancels (float32 at x = -5: torch -1.490e-6, exact
  -1.433e-6); GELU's values and derivatives are not compared where x < -3. tanh-GELU's
  gradient at +-inf: torch nan (inf * 0 in its formula), ours the limits 1 and 0.
* Softplus second derivative exactly at ``beta * x == threshold``: torch's double backward
  uses ``x < threshold`` while its backward uses ``x > threshold``; ours is sigmoid'(x),
  consistent with the first derivative.
* Mish second derivative for large x (seen at 1e3): torch nan (overflow in its formula),
  ours 0 (the limit); not compared where |x| > 80.
* BCE's gradient with respect to the target where p is exactly 0 or 1: torch differentiates
  the unclamped logs (+-inf); ours differentiates the loss it computes (logs clamped at -100).
* kl_div's gradient with respect to a target equal to 0: torch nan (xlogy at 0); ours
  leaves out the t log t term there.
* Second derivatives through a zero divisor (a / 0) or of 0 ** x: inf vs nan (both
  non-finite: 0 * inf met in a different order).
* Huber / smooth L1 second derivative exactly at |d| == delta: torch 0 (its double backward
  tests |d| < delta although its backward takes the quadratic branch there); ours 1.
* Second derivatives of a ** b for a <= 0, +-inf or nan: nan on one side, 0 on the other
  (0 * inf in a different order).
* Gradients that are nan or inf *upstream* of a masking op (relu, clamp with number
  bounds, hardtanh, abs, max...): torch's backward selects (``where(mask, g, 0)``: 0 stays
  0), ours multiplies (``g * mask``: nan * 0 = nan; a product is cheaper than a selection on
  the hot ops). Per-op checks use finite cotangents and agree; in whole programs this shows
  as nan vs 0 and is counted as documented ("end_to_end_nonfinite"). ``where`` and what is
  built on it (tril, triu, masked_fill, clamp with tensor bounds) select, as torch.
* Second derivative of prod / cumprod where entries differ widely in size (max/min > 1e4 among
  the nonzero ones): torch differentiates its g * out / x, whose d/dx_i cancels two huge terms
  (an error up to 1e16 times the true value at 1e-30 next to 1e3); ours is division-free
  (products of the other entries) and matches exact rational arithmetic
  (tests/autograd/test_prod_exact.py).
* BCE of sigmoid(x) in float32 for |x| > 15: one ulp of sigmoid near 1 decides whether
  log(1 - p) is about -16.6 or clamped to -100 (ill-conditioned, not compared).
* a ** b at b == 0, second order: torch's where-mask of d/da also zeroes its derivative wrt
  b; ours keeps d/db (d/da a**b) = 1/a exact there.
* cross_entropy with probability targets where a logit is -inf and its target 0: torch
  nan (0 * -inf); ours 0, the masked-class convention torch itself follows for index targets.
* x / x (one node twice) at small |x| (float32 < 0.05, float64 < 1e-5): the two partial
  derivatives (first and second order) cancel; torch keeps a rounding residue of about
  eps / |x| (2**48 in float64 at 1e-30), ours gives exactly 0 (or another residue of the
  same size).
* BCE of a saturated sigmoid (|x| > 15, p (1 - p) near torch's eps 1e-12), second order:
  torch's eps in its backward gives an artefact (relative 1e-4 at |x| ~ 16, up to O(1)
  beyond 27); ours the true p (1 - p).
* cosine_embedding_loss near |x| = 0: the eps in the norms sits elsewhere (relative 1e-9).
* Found by the long run on the oracle table's entries (``_FOUND`` attaches them): gradients
  at +-inf/nan inputs, or where a product overflows, of prod, cumprod, var/std (also where n
  - correction <= 0), norms (and their second derivative at a zero vector), erfc, einsum
  sums and remainder: inf / inf, inf - inf or 0 * inf met in a different order (nan on one
  side, inf or a number on the other). topk among ties: torch's choice of the tied element
  is unspecified. maximum/minimum at nan: torch passes the gradient to both inputs, ours to
  one. prelu at nan: torch takes the weight branch, ours
  multiplies by a mask (nan); prelu's mixed second derivative at x == 0: torch's double
  backward (0) disagrees with its own first derivative (w, so 1). lerp with infinities:
  torch switches formula at w = 0.5. histogram of one value: torch's (v - min) * bins / (max
  - min) rounds below the middle edge. Errors: torch does not check out-of-range indices
  when the result is empty, skips 1-d empty tensors in cat (and hstack), does not check
  roll's dims on an empty tensor; ours raises in all three. torch's take_along_dim does not
  check index bounds (it reads out-of-range memory); ours raises.
  clamp with min == max: torch gives neither bound a gradient, ours gives it to min
  (clamp(x, c, c) = c). Second run (issue 11): matmul where a product overflows next to an
  infinity (BLAS with fused multiply-add keeps the product finite inside the sum: inf, not
  inf - inf = nan; numpy picks the kernel by shape); sort among ties (torch's order of tied
  elements is unspecified); view of a transposed (not row-major) tensor (torch raises on its
  strides, ours has none); norms' second derivative near a zero vector (rounding residues
  ~ eps / |x| on both sides); mse_loss's gradient near float32's max (torch's 2 (x - t)
  overflows first, ours is finite and exact). (var/std of float32 entries beyond ~1e19
  overflowed in ours: now accumulated in float64 as torch's CPU kernel, fixed.)
  Third run: expm1's gradient below about -17 (float32) or -37 (float64): torch computes it
  as expm1(x) + 1, which cancels to 0 there; ours is exp(x), exact (seen end to end, e.g.
  expm1(log10(x)) at x = 1e-30, where 1 / (x ln 10) scales it up). Fourth run: std of equal
  (or within a few ulps) float32 entries: torch's float32 mean is off by rounding, so its
  std is that residue (6e-8 for 24 entries of 0.937) and its gradient divides by it (0.04
  per entry); ours accumulates in float64: std exactly 0 and gradient 0, as torch gives in
  float64. Fifth run (three runs of ~45,000 programs, a few programs each): the same for
  float64 entries, where either side's mean may be the exact one (summation orders
  differ); x / x in float32 at |x| below ~0.05 (the residue eps/|x| passes the tolerance);
  a second derivative of x ** 3 within 16x of float64's max (torch's intermediate
  overflows to inf); sin(exp(x)) in float32 (the periodic case below). (Fixed in
  ours: std of float32 entries ~1e-30 rounded the variance ~1e-60 to 0 before the root;
  float32 cumprod/cumsum accumulated in float32, so [1e30, 1e30, 0] gave nan at the 0;
  where's backward multiplied by its mask, so a nan between two masks (tril, log10, tril)
  reached the input; histc binned by np.histogram's float32 edges, not torch's
  trunc((x - min) * bins / (max - min)) (49 of 3000 random float32/64 cases differed); a
  norm over one entry computed (|x|**p)**(1/p), which overflows float32 where torch returns
  |x|. A norm over one entry's gradient is now sign(x) where torch's formula gives nan at
  |x| ~ 1e-30 or at +-inf: documented.)
* Sixth run (the searching, scan and order-statistic ops; linear algebra on arbitrary
  inputs): cummax/cummin of an empty tensor with an out-of-range dim (torch does not check);
  kron of a transposed layout (torch views its input and raises on the strides);
  searchsorted/bucketize in a sequence holding nan (nan breaks the order a binary search
  needs: undefined); kthvalue and quantile among equal entries or several nan (which tied
  entry, index and gradient is unspecified); mode where several values are equally frequent
  (torch's documentation does not say which it returns; it gives the smallest or the
  largest), or of a row holding nan (torch's index is often another value's); a histogram
  whose range collapses near float32's max (torch: equal edges; ours refuses); nanmean's
  gradient where a whole slice is nan (torch multiplies its 1 / 0 by the not-nan mask: nan;
  ours 0, nan entries take no part); linalg.norm / vector_norm and
  vector_norm(inf) at nan/inf or over one entry (as norm_fro, norm_3_dim, norm_inf above);
  logcumsumexp's derivatives where a slice holds inf or nan (inf - inf met in another
  order: nan on one side, a number on the other).
  QR's sign where a Householder pivot is 0 only up to rounding (an exact -0.0 input now
  follows torch: ours normalises it to +0.0): the matrix ops' samples now take full-rank
  matrices only (and, for QR of a wide matrix, a well-conditioned leading square block, which
  its derivative inverts), as inv/det/solve already did; a zero matrix no longer passes as
  well-conditioned. Fixed in ours: cartesian_prod, searchsorted (0-d sequence; scalar values
  with an n-d sequence), cross (different numbers of dims), addmm (self with more dims than
  the product), unique_consecutive over a dim of an empty tensor and quantile/nanquantile (an
  empty input; a 0-d input's dim) raise as torch; the median of an empty tensor is nan in the
  graph; QR's backward solves with R by substitution (singular R: nan/inf as torch, not a
  LinAlgError); quantile interpolates with torch's lerp (from the nearer end: -inf next to a
  finite value gives -inf, not nan) and its lower/higher/nearest modes pick an entry as it is
  (inf, not inf - inf); mode counts each nan alone (nan != nan).
* End to end, ill-conditioned chains: log of a result near 0 (e.g. log2(mish(x)) at
  mish(x) ~ 1e-8) turns one ulp of upstream rounding into a different gradient; a chain
  that overflows (expm1(expm1(expm1(x)))) gives inf on one side and a huge finite number
  on the other by one ulp, and the gradients through it then differ (inf * 0 or not); a
  periodic function of a huge intermediate (cos(exp(x)) at exp(x) ~ 1e9 in float32, where
  one ulp is 64) has no meaningful phase, so its gradient differs by O(1) relatively.
* End to end, a periodic op (``periodic``: sin, cos, tan) of an intermediate so large that
  one ulp of it is more than 1/100 of the end-to-end tolerance (float32 beyond ~170, float64
  beyond ~4.5e7): its phase is rounding noise, counted as documented ("end_to_end_periodic").
  And a view in a program whose earlier op left a transposed layout in torch but not in ours
  (ours has no strides: torch raises where ours views; "end_to_end_view_strides").
* End to end (whole programs, each library on its own intermediates): where an op whose
  gradient jumps (``kinked``: relu, max, clamp...) sits after other ops, one ulp of rounding
  difference upstream can put its input on the other side of the kink or break a tie; the
  gradients then differ although every op agreed on identical inputs. Counted as documented
  ("end_to_end_kink").
* Second derivatives of piecewise-linear ops (relu, leaky_relu, hardtanh, clamp, abs,
  max/min): both are 0 almost everywhere; we do not record a graph for a constant gradient.
* Runs 36-38 (``_FOUND_36_38`` and the entries' own ``known``). Torch's: lstsq of a wide
  matrix with its default gelsy driver can be wrong (stale JPVT, pytorch/pytorch#187411);
  cosine_similarity's second derivative at a zero vector is nan (ours agrees with finite
  differences); addcdiv's backward rounds value / tensor2 in a float32 tensor2's dtype
  inside a float64 gradient; vander's gradient where x ** (N - 1) overflows is inf (ours
  finite) and its second derivative far from |x| = 1 meets the cumprod cancellation;
  log_ndtr's second derivative below -50 and sinc's float32 derivative near 0 lose accuracy;
  hardshrink (function) at nan and logit at -0.0 depend on the length; adaptive_avg_pool1d's
  backward refuses the empty input its forward takes; masked_scatter does not check an
  empty input's mask. Rounding: renorm of a slice whose norm is maxnorm to the last bit
  (scaled on one side, left alone on the other); cholesky(a a^T)'s second derivative near a
  singular a (residues eps / s_min) and its float32 gradient where cond(a) > 20; sinc where
  pi x overflows, or end to end at nonzero integers (a residue of exact 0 that a later log
  amplifies); expm1's and ldexp's documented gradients and x / x at tiny x, now also end
  to end (``Known('end_to_end', ...)``: the whole program's gradients are not compared when
  that op's input meets the condition). Ours by design: products (einsum, mm, addbmm...) of
  float32 and float64 promote where torch raises (README). Fixed in ours: index_put and
  index_copy refuse values of another dtype; addcmul/addcdiv compute in the promoted dtype
  (float32 rounding in a float64 result before) and addcdiv refuses integer tensors; a **
  b's exponent gradient takes log(a) in the result's dtype; cosine_similarity where a
  float32 norm overflows is 0 (it was nan); solve_triangular's unread triangle gets
  gradient 0 beside nan (the linalg backward's tril selects).
* Runs 39-40: torch's logcumsumexp gradient loses ~eps * |x| (wrong by O(1) at 1e8 in
  float32); its convolutions skip padded taps for some shapes (a nan weight beside zero
  padding: a number there, ours nan); the gamma family near poles and sinc near 0 also end
  to end. Fixed in ours: a ** b's base gradient at b == 0 where 1/a overflows (a float32
  denormal) is 0, not nan; erfcx below -27 is inf (nan where 16 x overflowed). Run 41:
  torch's huber_loss backward refuses the mixed dtypes its forward takes.
* Runs 61-80 (the runs 61-70 block of ``_FOUND_36_38``): FFTs of +-inf/nan entries give
  nan or +-inf by the order of their butterflies (torch's MKL and numpy's pocketfft differ),
  and end to end, FFTs of widely spread entries leave small outputs as rounding noise;
  torch's MKL FFT fails on a size-0 batch dim; torch's view_as_real backward (conj_physical's
  too) refuses a size-0 complex gradient ("a last dimension with stride 1"); mode's index in
  rows of more than 16 entries (torch's unstable sort picks any position of the mode);
  special.logit(eps) at nan, as logit_eps_method; |z|'s gradient at an infinite part (torch
  nan, ours the limit); det's second derivative near a singular matrix and
  cumulative_trapezoid's through a float32 y (rounding residues); float32 lstsq's gradient
  at condition numbers above 100 (torch's loses eps * cond^2, ours is float64-accurate); a
  p-norm over one float64 entry beyond 1e+-100 (as float32's); log |det|'s gradient at a
  singular matrix (torch: arbitrary +-inf/nan, ours a LinAlgError); complex division's
  gradient at inf/nan or tiny divisors (inf vs nan; torch's residue for z / z); complex
  subtraction beside +-inf/nan (torch's a - 1 * b as a complex product: nan in the other
  component); float32 group_norm over groups of two entries (normalised values +-1: the
  gradient cancels; torch's float32 kernel is off by up to 1e-3 relatively, ours within
  1e-5 of the float64 value). Fixed in ours: roll with shifts that do not match its dims
  (numpy summed them) or no shifts raises, one shift with dims=() rolls the flattened
  tensor; fftshift of a 0-d tensor raises; det's gradient at a singular matrix is the
  cofactor matrix (it raised).
* Survey runs of 2026-12-02 (1,500 and 6,000 programs): stft's frames of +-inf entries as
  the FFTs' (nan vs inf); complex()'s size-0 gradient through view_as_real, as
  conj_physical's; the Frobenius norm's second derivative at a zero matrix (torch nan,
  ours 0), as the other norms' at zero.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

import numpy as np

# torch 2.13's linalg.cond for p in ('fro', 'nuc', inf, -inf, 1, -1) computes A^-1 with
# inv_ex and then writes into it in place, so its backward raises ("modified by an inplace
# operation"); ours is differentiable
TORCH_CANNOT_DIFFERENTIATE = "torch_cannot_differentiate"


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
    # --- what the differential fuzzer (tests/test_fuzz_vs_torch.py) needs beyond that ---
    # ``sample(d, x) -> Sample | None``: the arguments after the program's current tensor x,
    # passed as ``fn(lib, x, *args, **kwargs)`` (the oracle tests use fn's defaults); None:
    # the fuzzer fits the entry's own makers to x (see ``fuzz_sample``)
    sample: Callable[..., Any] | None = None
    domain: str = ""  # a program starting with this op draws x from it ("" = the maker's)
    fuzz_tol: float = 1.0  # relative tolerance multiplier (implementations round differently)
    # its gradient jumps (relu, max, clamp...): one ulp of difference in its input, reached
    # by another computation, can pick another branch (end-to-end results are then documented)
    kinked: bool = False
    # periodic (sin, cos, tan): of a huge input (one ulp a sizeable part of the period) the
    # phase is rounding noise, so end-to-end gradients through it are not compared
    periodic: bool = False
    known: tuple = ()  # documented differences from torch (``Known``), see the docstring

    def make(self, rng: np.random.Generator, dtype: Any) -> list[np.ndarray]:
        return [m(rng, dtype) for m in self.inputs]


# --- input makers (domains) ----------------------------------------------------------------


@dataclass(frozen=True)
class Maker:
    """An input domain of a given shape: ``maker(rng, dtype) -> ndarray``; ``like(shape)`` is
    the same domain in another shape (the fuzzer uses it to fit an op's extra inputs to the
    program's current tensor)."""

    kind: str
    shape: tuple
    lo: float = -2.0
    hi: float = 2.0

    def like(self, shape: tuple) -> Maker:
        return Maker(self.kind, tuple(shape), self.lo, self.hi)

    @property
    def domain(self) -> str:
        """The fuzzer's name for the domain of a program's starting tensor."""
        return "positive" if self.kind == "U" and self.lo >= 0 else "any"

    def __call__(self, rng: np.random.Generator, dtype: Any) -> np.ndarray:
        shape, lo, hi = self.shape, self.lo, self.hi
        if self.kind == "U":
            return rng.uniform(lo, hi, shape).astype(dtype)
        if self.kind == "AWAY":
            return (rng.uniform(lo, hi, shape) * rng.choice([-1.0, 1.0], shape)).astype(dtype)
        if self.kind == "DISTINCT":
            n = int(np.prod(shape))
            v = rng.permutation(n) * 0.3 - 0.15 * n + rng.uniform(0, 0.05, n)
            return v.reshape(shape).astype(dtype)
        if self.kind == "FRACTIONAL":
            whole = rng.integers(int(lo), int(hi), shape)
            frac = rng.uniform(0.2, 0.4, shape) + 0.3 * rng.integers(0, 2, shape)
            return (whole + frac).astype(dtype)
        if self.kind == "INT":
            return rng.integers(int(lo), int(hi), shape).astype(dtype)
        if self.kind == "SIGN":
            return rng.choice([-1.0, 1.0], shape).astype(dtype)
        if self.kind == "WELL":
            # square matrices near 2 I: determinant, inverse and solve well-conditioned
            n = shape[-1]
            return (rng.uniform(-0.5, 0.5, shape) + 2 * np.eye(n)).astype(dtype)
        if self.kind == "SPREAD":
            # Q1 diag(s) Q2 with singular values 1, 2, 3... (+ up to 0.3): full rank, distinct
            # singular values (eigenvalues of a + a^T stay apart too), either determinant sign
            m, n = shape[-2:]
            k = min(m, n)
            q1 = np.linalg.qr(rng.standard_normal(shape[:-2] + (m, m)))[0]
            q2 = np.linalg.qr(rng.standard_normal(shape[:-2] + (n, n)))[0]
            s = np.arange(1, k + 1) + rng.uniform(0, 0.3, shape[:-2] + (k,))
            return ((q1[..., :, :k] * s[..., None, :]) @ q2[..., :k, :]).astype(dtype)
        raise ValueError(f"unknown maker kind {self.kind!r}")


def U(shape: tuple, lo: float = -2.0, hi: float = 2.0) -> Maker:  # noqa: N802
    """Uniform in [lo, hi]."""
    return Maker("U", tuple(shape), lo, hi)


def AWAY(shape: tuple, lo: float = 0.2, hi: float = 2.0) -> Maker:  # noqa: N802
    """Magnitude in [lo, hi] with a random sign (away from 0, where abs/relu/sign kink)."""
    return Maker("AWAY", tuple(shape), lo, hi)


def DISTINCT(shape: tuple) -> Maker:  # noqa: N802
    """Distinct values at least 0.3 apart (no ties within a finite-difference step)."""
    return Maker("DISTINCT", tuple(shape))


def FRACTIONAL(shape: tuple, lo: float = -3.0, hi: float = 3.0) -> Maker:  # noqa: N802
    """Values whose fractional part lies in [0.2, 0.8] (away from floor/round jumps)."""
    return Maker("FRACTIONAL", tuple(shape), lo, hi)


def INT(shape: tuple, lo: int = -5, hi: int = 6) -> Maker:  # noqa: N802
    """Integers in [lo, hi) (in the dtype asked for: the int64 entries use int64)."""
    return Maker("INT", tuple(shape), lo, hi)


def SIGN(shape: tuple) -> Maker:  # noqa: N802
    """-1 or +1 (targets of margin losses)."""
    return Maker("SIGN", tuple(shape))


def WELL(shape: tuple) -> Maker:  # noqa: N802
    """Square matrices near 2 I (well-conditioned for inv, det, solve)."""
    return Maker("WELL", tuple(shape))


def SPREAD(shape: tuple) -> Maker:  # noqa: N802
    """Full-rank matrices with singular values about 1, 2, 3... (distinct: svd, eigh, qr)."""
    return Maker("SPREAD", tuple(shape))


def _idx(a: Any) -> np.ndarray:
    return np.asarray(a, dtype=np.int64)


S = (3, 4)
S3 = (2, 3, 4)


def F(lib: Any) -> Any:  # noqa: N802
    """The functional module next to ``lib``: ``nn.functional`` or ``torch.nn.functional``."""
    if lib.__name__ == "torch":
        return lib.nn.functional
    import nn.functional

    return nn.functional


# --- how the fuzzer draws arguments (``sample``) -------------------------------------------
class Drawer(Protocol):
    """What a ``sample`` function may ask for (the fuzzer implements it with hypothesis)."""

    def choice(self, options: Sequence[Any]) -> Any: ...
    def integer(self, lo: int, hi: int) -> int: ...
    def flag(self) -> bool: ...
    def array(self, shape: tuple, domain: str = "any") -> np.ndarray: ...
    def indices(self, shape: tuple, high: int) -> np.ndarray: ...
    def shape(self) -> tuple: ...
    def broadcast_partner(self, shape: tuple) -> tuple: ...


@dataclass(frozen=True)
class Leaf:
    """A tensor argument: a leaf of each library made from ``data``."""

    data: np.ndarray
    requires_grad: bool = True


SAME = "<same>"  # the op's first input again


@dataclass(frozen=True)
class Sample:
    """The arguments after the first input."""

    args: tuple = ()
    kwargs: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Known:
    """A documented difference: skip comparing ``what`` ('value', 'grad', 'grad2', 'shape',
    'raises': one side raises, 'grad_raises': one side's first-order gradient raises, or
    'end_to_end': a whole program's gradients, when the op is one of its steps) when
    ``when(x, sample)`` holds (x: the first input's data; end to end, our side's)."""

    what: str
    when: Callable[[np.ndarray, Sample], bool]
    reason: str


# --- sample helpers ---------------------------------------------------------------------
def no_args(d: Drawer, x: np.ndarray) -> Sample:
    return Sample()


def scalar_arg(values: Sequence[float]) -> Callable[[Drawer, np.ndarray], Sample]:
    def sample(d: Drawer, x: np.ndarray) -> Sample:
        return Sample((d.choice(values),))

    return sample


def partner(domain: str = "any") -> Callable[[Drawer, np.ndarray], Sample]:
    """A second operand that broadcasts with x (sometimes x itself)."""

    def sample(d: Drawer, x: np.ndarray) -> Sample:
        if d.integer(0, 5) == 0:
            return Sample((SAME,))
        return Sample((Leaf(d.array(d.broadcast_partner(x.shape), domain)),))

    return sample


def _dims(d: Drawer, ndim: int) -> Any:
    """None, one axis (maybe negative) or a tuple of distinct axes."""
    if ndim == 0:
        return d.choice([None, 0, -1])
    kind = d.integer(0, 2)
    if kind == 0:
        return None
    if kind == 1:
        return d.integer(-ndim, ndim - 1)
    axes = [a for a in range(ndim) if d.flag()]
    return tuple(axes) or (0,)


def reduce_sample(allow_tuple: bool = True, allow_none: bool = True) -> Callable:
    def sample(d: Drawer, x: np.ndarray) -> Sample | None:
        dim = _dims(d, x.ndim)
        if dim is None and not allow_none:
            dim = 0 if x.ndim else None
            if dim is None:
                return None
        if isinstance(dim, tuple) and not allow_tuple:
            dim = dim[0]
        return Sample((dim, d.flag()))

    return sample


def dim_sample(d: Drawer, x: np.ndarray) -> Sample:
    return Sample((d.integer(-max(x.ndim, 1), max(x.ndim, 1) - 1),))


def _reshape_target(d: Drawer, shape: tuple) -> tuple:
    n = int(np.prod(shape))
    if n == 0 or d.integer(0, 3) == 0:
        return (-1,) if n else tuple(d.choice([(0,), (0, 2), (2, 0, 1)]))
    factors = [f for f in range(1, n + 1) if n % f == 0]
    a = d.choice(factors)
    rest = n // a
    if d.flag():
        return (a, rest)
    if d.flag():
        return (a, -1)
    return (rest, 1, a)


def reshape_sample(d: Drawer, x: np.ndarray) -> Sample | None:
    target = _reshape_target(d, x.shape)
    if -1 not in target and int(np.prod(target)) != x.size:
        return None
    return Sample((target,))


def permute_sample(d: Drawer, x: np.ndarray) -> Sample:
    perm = list(range(x.ndim))
    for i in range(len(perm) - 1, 0, -1):
        j = d.integer(0, i)
        perm[i], perm[j] = perm[j], perm[i]
    return Sample((tuple(perm),))


def unsqueeze_sample(d: Drawer, x: np.ndarray) -> Sample:
    return Sample((d.integer(-x.ndim - 1, x.ndim),))


def squeeze_sample(d: Drawer, x: np.ndarray) -> Sample | None:
    ones = [a for a, s in enumerate(x.shape) if s == 1]
    if not ones:
        return None
    return Sample((d.choice(ones),))


def expand_sample(d: Drawer, x: np.ndarray) -> Sample:
    target = list(x.shape)
    for i, s in enumerate(target):
        if s == 1 and d.flag():
            target[i] = d.integer(2, 3)
    if d.flag():
        target.insert(0, d.integer(1, 3))
    return Sample((tuple(target),))


def index_sample(d: Drawer, x: np.ndarray) -> Sample | None:
    if x.ndim == 0:
        return Sample(((),)) if d.flag() else Sample((None,))
    n = x.shape[0]
    kind = d.integer(0, 5)
    if kind == 0 and n:
        return Sample((d.integer(-n, n - 1),))
    if kind == 1:
        start, stop = d.integer(-n - 1, n + 1), d.integer(-n - 1, n + 1)
        return Sample((slice(start, stop, d.choice([None, 1, 2, 3])),))
    if kind == 2 and n:
        # an integer array along axis 0 (repeats add their gradients)
        return Sample((d.indices((d.integer(0, 4),), n).tolist(),))
    if kind == 3:
        return Sample((Leaf(d.array(x.shape, "any") > 0, requires_grad=False),))
    if kind == 4 and x.ndim >= 2 and x.shape[-1]:
        return Sample(((Ellipsis, d.integer(0, x.shape[-1] - 1)),))
    return Sample(((slice(None), None),))


def matmul_sample(d: Drawer, x: np.ndarray) -> Sample | None:
    if x.ndim == 0 or x.ndim > 3:
        return None
    n = x.shape[-1]
    k = d.integer(0, 3) or 1
    if x.ndim == 1:
        shape = d.choice([(n,), (n, k), (2, n, k)])
    elif x.ndim == 2:
        shape = d.choice([(n,), (n, k), (2, n, k)])
    else:
        shape = d.choice([(n, k), (x.shape[0], n, k), (1, n, k)])
    return Sample((Leaf(d.array(shape, "any")),))


def softmax_sample(d: Drawer, x: np.ndarray) -> Sample:
    return Sample((d.integer(-max(x.ndim, 1), max(x.ndim, 1) - 1),))


# --- losses -------------------------------------------------------------------------------
REDUCTIONS = ("mean", "sum", "none")


def target_loss(domain: str, **extra: Sequence[Any]) -> Callable:
    """A loss of (input, target of the same shape, reduction, extra keyword arguments)."""

    def sample(d: Drawer, x: np.ndarray) -> Sample:
        kwargs = {"reduction": d.choice(REDUCTIONS)}
        for k, options in extra.items():
            kwargs[k] = d.choice(options)
        return Sample((Leaf(d.array(x.shape, domain), requires_grad=d.flag()),), kwargs)

    return sample


def class_target_sample(d: Drawer, x: np.ndarray) -> Sample | None:
    """Index targets for (C,) / (N, C) / (N, C, d) logits, or class probabilities."""
    if x.ndim == 0 or x.ndim > 3 or x.shape[x.ndim > 1 and 1 or 0] == 0:
        return None
    c = x.shape[1] if x.ndim > 1 else x.shape[0]
    tshape = (x.shape[0],) + x.shape[2:] if x.ndim > 1 else ()
    kwargs: dict = {"reduction": d.choice(REDUCTIONS)}
    if d.flag():
        kwargs["label_smoothing"] = d.choice([0.0, 0.1, 0.5])
    if d.integer(0, 3) == 0:
        probs = d.array(x.shape, "unit")
        return Sample((Leaf(probs, requires_grad=False),), kwargs)
    if d.flag():
        kwargs["weight"] = Leaf(d.array((c,), "unit") + 0.5, requires_grad=False)
    return Sample((Leaf(d.indices(tshape, c), requires_grad=False),), kwargs)


def nll_sample(d: Drawer, x: np.ndarray) -> Sample | None:
    s = class_target_sample(d, x)
    if s is None or s.args[0].data.dtype.kind == "f":
        return None
    s.kwargs.pop("label_smoothing", None)
    return s


def pair_loss(domain_target: str, rows: bool) -> Callable:
    """input2 like x and a +-1 target per row (rows: x is (N, D) and the target (N,))."""

    def sample(d: Drawer, x: np.ndarray) -> Sample | None:
        if rows and x.ndim != 2:
            return None
        tshape = x.shape[:1] if rows else x.shape
        kwargs = {"reduction": d.choice(REDUCTIONS), "margin": d.choice([0.0, 0.5])}
        return Sample(
            (Leaf(d.array(x.shape, "any")), Leaf(d.array(tshape, domain_target), False)), kwargs
        )

    return sample


def triplet_sample(d: Drawer, x: np.ndarray) -> Sample | None:
    if x.ndim != 2:
        return None
    kwargs = {"reduction": d.choice(REDUCTIONS), "margin": d.choice([1.0, 0.3])}
    return Sample((Leaf(d.array(x.shape, "any")), Leaf(d.array(x.shape, "any"))), kwargs)


# --- known differences (see the module docstring) ---------------------------------------
def _has(pred: Callable[[np.ndarray], np.ndarray]) -> Callable[[np.ndarray, Sample], bool]:
    def when(x: np.ndarray, s: Sample) -> bool:
        with np.errstate(invalid="ignore"):
            return bool(np.any(pred(x)))

    return when


_NAN = _has(np.isnan)
_EMPTY_UNCHECKED = (
    "an empty input: torch checks nothing (indices past a dim, x's length) when there is "
    "nothing to compute, ours refuses the mismatch"
)
_EMPTY_INDEX_FILL = Known(
    "raises",
    lambda x, s: x.size == 0,
    "index_fill of an empty tensor with an index past the dim: torch checks nothing when "
    "there is nothing to fill, ours refuses the index",
)
_EMPTY_COMPLEX_GRAD = Known(
    "grad_raises",
    lambda x, s: x.size == 0,
    "a complex result of an empty input: torch's backward through view_as_real raises "
    "('Tensor must have a last dimension with stride 1'), ours gives the empty gradient",
)
_ANY = _has(lambda x: np.ones(x.shape, bool))


def _fractional(c: Any) -> bool:
    return isinstance(c, float) and c != int(c)


# torch rewrites x ** 0.5 as sqrt and x ** -0.5 as rsqrt (also inside the derivatives of
# other fractional powers), which differ from C99 pow at -0.0 and -inf only
SQRT_POW = Known(
    "grad",
    lambda x, s: _fractional(s.args[0]) and bool(np.any(np.isneginf(x) | (x == 0))),
    "torch computes x ** 0.5 / x ** -0.5 as sqrt / rsqrt: differs from pow at -0.0 and -inf",
)
SQRT_POW_VALUE = Known("value", SQRT_POW.when, SQRT_POW.reason)
SQRT_POW_GRAD2 = Known("grad2", SQRT_POW.when, SQRT_POW.reason)


def _flat_along(axis: Any) -> Callable[[np.ndarray, Sample], bool]:
    """Some slice along ``axis`` (None: all of x) whose entries are equal to within 4 ulps."""

    def when(x: np.ndarray, s: Sample) -> bool:
        if x.dtype.kind != "f" or x.size == 0:
            return False
        with np.errstate(invalid="ignore", over="ignore"):
            spread = np.ptp(x, axis=axis)
            ulp = np.spacing(np.max(np.abs(x), axis=axis))
            return bool(np.any(spread <= 4 * ulp))

    return when


# The standard deviation of (nearly) equal entries, where std is not differentiable: a mean
# off by rounding makes the std that residue (~1e-8 for equal float32 entries, ~1e-17 in
# float64) and the gradient divides by it, so one side gives 0 (an exact mean: ours for
# float32, which accumulates in float64) and the other O(1). Which side's mean is exact in
# float64 depends on the values (torch's summation order differs from numpy's).
_STD_FLAT = "std of (nearly) equal entries: 0 or a rounding residue of the mean on either side"
STD_FLAT = Known("grad", _flat_along(None), _STD_FLAT)
STD_FLAT2 = Known("grad2", _flat_along(None), _STD_FLAT)
STD_FLAT_DIM = Known("grad", _flat_along(-1), _STD_FLAT)
STD_FLAT_DIM2 = Known("grad2", _flat_along(-1), _STD_FLAT)
ELU_NAN = Known("grad", _NAN, "torch's ELU gradient at nan depends on the length (1 or nan)")
ELU_NAN2 = Known("grad2", _NAN, ELU_NAN.reason)
HARDTANH_NAN = Known("grad", _NAN, "torch's hardtanh gradient at nan is 1 or 0 by length")
BCE_TARGET = Known(
    "grad",
    lambda x, s: True,
    "BCE's gradient wrt the target where p is 0 or 1: torch differentiates the unclamped "
    "logs (+-inf), ours the loss it computes, whose logs are clamped at -100 (finite)",
)
KL_TARGET_ZERO = Known(
    "grad",
    lambda x, s: bool(np.any(s.args[0].data == 0)),
    "kl_div's gradient wrt a target equal to 0: torch nan (xlogy's derivative at 0), ours "
    "omits the t log t term there (its value is defined as 0)",
)
ZERO_DIVISOR_GRAD2 = Known(
    "grad2",
    lambda x, s: (
        bool(np.any(x == 0)) or any(isinstance(a, Leaf) and np.any(a.data == 0) for a in s.args)
    ),
    "second derivatives through a zero divisor or 0 ** x: inf vs nan (both non-finite; the "
    "formulas meet 0 * inf in different orders)",
)
HUBER_BOUNDARY = Known(
    "grad2",
    lambda x, s: bool(
        np.any(np.abs(x - s.args[0].data) == s.kwargs.get("delta", s.kwargs.get("beta", 1.0)))
    ),
    "Huber/smooth L1 second derivative exactly at |d| == delta: torch's double backward uses "
    "|d| < delta (0), its backward the quadratic branch (ours: 1, consistent with it)",
)
POW_GRAD2 = Known(
    "grad2",
    _has(lambda x: ~(x > 0) | np.isinf(x)),
    "second derivatives of a ** b where a <= 0, inf or nan (log a not finite): 0 * inf met "
    "in a different order gives nan on one side, 0 on the other",
)
SIGMOID_EDGE = Known(
    "value",
    lambda x, s: x.dtype == np.float32 and bool(np.any(np.abs(x) > 15)),
    "log(1 - sigmoid(x)) in float32 for |x| > 15: sigmoid rounds to 1 or to 1 - 2**-24 by "
    "one ulp of difference, and the log turns that into a different (or clamped) number",
)
POW_ZERO_EXPONENT = Known(
    "grad2",
    lambda x, s: (
        any(isinstance(a, Leaf) and np.any(a.data == 0) for a in s.args)
        or (s.args[0] == SAME and bool(np.any(x == 0)))
    ),
    "a ** b at b == 0: torch masks d/da to 0 with a where, which also zeroes its derivative "
    "wrt b; ours keeps that cross derivative exact (1/a), masking only where a is 0 or nan",
)
CE_MASKED_PROBS = Known(
    "value",
    lambda x, s: bool(np.any(np.isneginf(x))) and s.args[0].data.dtype.kind == "f",
    "cross_entropy with probability targets, a -inf logit and target 0 there: torch nan "
    "(0 * -inf), ours 0 (the masked-class convention torch itself uses for index targets)",
)
# Where x / x's partials 1/x and -x/x**2 (times a cotangent of ~1) round to a residue of about
# eps / |x| that the fuzzer's tolerance (float32 2e-5, float64 1e-10) would flag.
_SELF_DIV_SMALL = {np.dtype(np.float32): 0.05, np.dtype(np.float64): 1e-5}
SELF_DIV_TINY = Known(
    "grad",
    lambda x, s: (
        s.args[0] == SAME
        and bool(np.any((np.abs(x) < _SELF_DIV_SMALL.get(x.dtype, 0.0)) & (x != 0)))
    ),
    "x / x at small |x|: the partials 1/x and -x/x**2 cancel; torch keeps a rounding "
    "residue of about eps/|x| (2**48 in float64 at 1e-30), ours cancels exactly to 0",
)
SELF_DIV_TINY2 = Known("grad2", SELF_DIV_TINY.when, SELF_DIV_TINY.reason)
BCE_SATURATED_GRAD2 = Known(
    "grad2",
    _has(lambda x: np.abs(x) > 15),
    "BCE of a saturated sigmoid (p (1 - p) below torch's eps 1e-12, |x| > ~27): torch's "
    "double backward gives an artefact of that eps; ours the true p (1 - p) (e.g. 7.8e-87 "
    "at x = 200)",
)
PIECEWISE_GRAD2 = Known("grad2", _ANY, "piecewise linear: second derivative 0 a.e.")
GELU_TAIL = Known(
    "value",
    _has(lambda x: x < -3),
    "exact GELU's lower tail: torch's erf form cancels, ours (erfc) keeps relative precision",
)
GELU_TAIL_GRAD = Known("grad", GELU_TAIL.when, GELU_TAIL.reason)
GELU_TANH_INF = Known(
    "grad",
    _has(lambda x: np.abs(x) > 1e12),
    "tanh-GELU gradient at +-inf (and where x**3 overflows: |x| > 1e12 in float32): torch "
    "nan (inf * 0 in its formula), ours the limits 1 and 0",
)
SOFTPLUS_THRESHOLD = Known(
    "grad2",
    lambda x, s: True,
    "softplus: torch's double backward uses x < threshold, its backward x > threshold",
)
MISH_LARGE = Known("grad2", _has(lambda x: np.abs(x) > 80), "mish'' overflows in torch's formula")
# where torch's exp(x) = expm1(x) + 1 has lost a tenth of the end-to-end tolerance
# (relative error eps / exp(x): float32 2e-3 / 10 at x ~ -7.4, float64 1e-6 / 10 at x ~ -20)
EXPM1_TAIL = Known(
    "end_to_end",
    lambda x, s: bool(np.any(x < (-7.0 if x.dtype == np.float32 else -20.0))),
    "expm1's gradient far below 0: torch computes exp(x) as expm1(x) + 1, which cancels "
    "(relative error eps / exp(x), 2e-3 at x = -30 in float64); ours is exp(x). Below every "
    "op's scale, but a chain that then divides by a tiny input (expm1(log10(x)) at x = 1e-30 "
    "multiplies by 1 / (x ln 10)) shows it",
)


def _mixed_dtypes(x: np.ndarray, s: Sample) -> bool:
    return len({x.dtype, *(a.data.dtype for a in s.args if isinstance(a, Leaf))}) > 1


PRODUCT_DTYPES = Known(
    "raises",
    _mixed_dtypes,
    "a product (einsum, matmul, Linear...) of float32 and float64 operands: torch raises, "
    "ours promotes, a documented difference (README: Tensor(ndarray) keeps float64 where "
    "torch.Tensor makes float32, so ported scripts feed float64 data to float32 layers)",
)
ADDCDIV_MIXED = tuple(
    Known(
        w,
        _mixed_dtypes,
        "addcdiv of float32 and float64 operands: torch's backward forms value / tensor2 "
        "(and tensor1 / tensor2**2) in tensor2's dtype before widening (float32 rounding, "
        "~3e-8 relative, in a float64 gradient); ours computes in the promoted dtype",
    )
    for w in ("grad", "grad2")
)
# torch's default CPU driver is gelsy, whose column-pivoting array (JPVT) torch allocates
# uninitialised and reuses across the batch (pytorch/pytorch#187411)
LSTSQ_GELSY = tuple(
    Known(
        w,
        lambda x, s: x.ndim >= 2 and x.shape[-2] < x.shape[-1],
        "lstsq of a wide (full row rank) matrix with torch's default gelsy driver: stale "
        "JPVT entries fix columns in place, so its rank estimate and solution can be wrong "
        "(pytorch/pytorch#187411: a residual of 0.86 for a 3x4 system with a zero column, "
        "about 1 in 3 wide matrices of a batch); ours is the minimum-norm solution, as "
        "torch's gelsd/gelss/gels drivers and numpy give",
    )
    for w in ("value", "grad", "grad2")
)
CHOLESKY_TINY = Known(
    "grad2",
    lambda x, s: bool(
        x.ndim >= 2
        and x.size
        and np.all(np.isfinite(x))
        and np.min(np.linalg.svd(x.astype(np.float64), compute_uv=False)) < 1e-6
    ),
    "cholesky(a a^T) is homogeneous of degree 1 in a: its second derivative scales as "
    "1 / |a| and its rounding residue as eps / s_min(a) (2**49 at a = 1e-30 for a 1x1, "
    "whose exact second derivative 0 is left as residues of opposite signs on the two sides)",
)


def _cond_above(limit: float) -> Callable[[np.ndarray, Sample], bool]:
    """float32 matrices (a batch) some of whose condition numbers exceed ``limit``."""

    def when(x: np.ndarray, s: Sample) -> bool:
        if x.dtype != np.float32 or x.ndim < 2 or not x.size or not np.all(np.isfinite(x)):
            return False
        sv = np.linalg.svd(x.astype(np.float64), compute_uv=False)
        with np.errstate(divide="ignore", invalid="ignore"):
            return bool(np.any(~(sv[..., 0] <= limit * sv[..., -1])))

    return when


CHOLESKY_F32 = Known(
    "grad",
    _cond_above(20.0),
    "cholesky(a a^T)'s gradient in float32 where cond(a) > 20: cond(a a^T) = cond(a)**2 "
    "(up to 1e4 for the fuzzer's matrices) times float32's eps gives errors of ~1e-5 "
    "relative on each side (against a float64 reference: ours 9e-6, torch 1e-4 at "
    "cond(a) = 52), beyond the float32 tolerance 2e-5",
)


def _zero_slice_along_1(x: np.ndarray, s: Sample) -> bool:
    arrays = [x] + [a.data for a in s.args if isinstance(a, Leaf)]
    return any(a.ndim >= 2 and bool(np.any(np.all(a == 0, axis=1))) for a in arrays)


COSINE_ZERO = Known(
    "grad2",
    _zero_slice_along_1,
    "cosine_similarity's second derivative where a vector is 0: torch's double backward "
    "goes through that vector's norm at 0 (nan); ours is finite and agrees with finite "
    "differences of the first derivative (which both sides give alike): near 0 the "
    "similarity is x1.x2 / (eps |x2|), linear in x1",
)


# --- the table ---------------------------------------------------------------------------

OPS: list[OpInfo] = []


def op(name: str, fn: Callable[..., Any], *inputs: Maker, **kw: Any) -> None:
    OPS.append(OpInfo(name, fn, inputs, **kw))


# elementwise maths
op("abs", lambda L, x: L.abs(x), AWAY(S), kinked=True, known=(PIECEWISE_GRAD2,))
op("neg", lambda L, x: L.neg(x), U(S))
op("exp", lambda L, x: L.exp(x), U(S))
op("exp2", lambda L, x: L.exp2(x), U(S))
op("expm1", lambda L, x: L.expm1(x), U(S), known=(EXPM1_TAIL,))
op("log", lambda L, x: L.log(x), U(S, 0.2, 3))
op("log2", lambda L, x: x.log2(), U(S, 0.2, 3))
op("log10", lambda L, x: L.log10(x), U(S, 0.2, 3))
op("log1p", lambda L, x: L.log1p(x), U(S, -0.5, 3))
op("sqrt", lambda L, x: L.sqrt(x), U(S, 0.2, 3))
op("rsqrt", lambda L, x: L.rsqrt(x), U(S, 0.2, 3))
op("square", lambda L, x: L.square(x), U(S))
op(
    "pow_scalar",
    lambda L, x, c=3: L.pow(x, c),
    U(S),
    sample=scalar_arg([2, 3, 2.0, 0.5, -0.5, -1.0, 0.0, 1.5, -2]),
    known=(SQRT_POW, SQRT_POW_VALUE, SQRT_POW_GRAD2),
)
op("pow_tensor", lambda L, x, y: x.pow(y), U(S, 0.3, 2), U(S))
op("reciprocal", lambda L, x: L.reciprocal(x), AWAY(S, 0.3, 2))
op("sin", lambda L, x: L.sin(x), U(S, -4, 4), periodic=True)
op("cos", lambda L, x: x.cos(), U(S, -4, 4), periodic=True)
op("tan", lambda L, x: L.tan(x), U(S, -1.2, 1.2), periodic=True)
op("asin", lambda L, x: L.asin(x), U(S, -0.9, 0.9))
op("acos", lambda L, x: L.acos(x), U(S, -0.9, 0.9))
op("atan", lambda L, x: L.atan(x), U(S, -3, 3))
op("atan2", lambda L, y, x: L.atan2(y, x), U(S), AWAY(S, 0.3, 2))
op("sinh", lambda L, x: L.sinh(x), U(S))
op("cosh", lambda L, x: L.cosh(x), U(S))
op("tanh", lambda L, x: L.tanh(x), U(S))
op("sigmoid", lambda L, x: L.sigmoid(x), U(S, -4, 4))
op("relu", lambda L, x: L.relu(x), AWAY(S), kinked=True, known=(PIECEWISE_GRAD2,))
op("erf", lambda L, x: L.erf(x), U(S, -3, 3))
op("erfc", lambda L, x: L.erfc(x), U(S, -3, 5))
op("floor", lambda L, x: L.floor(x), FRACTIONAL(S))
op("ceil", lambda L, x: x.ceil(), FRACTIONAL(S))
op("round", lambda L, x: L.round(x), FRACTIONAL(S))
op("round_decimals", lambda L, x: x.round(decimals=1), U(S, 0.01, 0.04), grad=False)
op("trunc", lambda L, x: L.trunc(x), FRACTIONAL(S))
op("frac", lambda L, x: L.frac(x), FRACTIONAL(S))
op("sign", lambda L, x: L.sign(x), AWAY(S))
op(
    "clamp",
    lambda L, x, lo=-0.5, hi=0.7: L.clamp(x, lo, hi),
    U(S),
    sample=lambda d, x: Sample(d.choice([(-1.0, 1.0), (0.0, None), (None, 0.5), (1.0, -1.0)])),
    kinked=True,
    known=(PIECEWISE_GRAD2,),
)
op("clamp_min_only", lambda L, x: x.clamp(min=0.1), AWAY(S, 0.3, 2))
op("clip_tensor_bounds", lambda L, x, lo: L.clip(x, min=lo, max=lo + 1.5), U(S), U(S, -1, 0))
op(
    "maximum",
    lambda L, a, b: L.maximum(a, b),
    DISTINCT(S),
    DISTINCT(S),
    sample=partner(),
    kinked=True,
    known=(PIECEWISE_GRAD2,),
)
op(
    "minimum",
    lambda L, a, b: L.minimum(a, b),
    DISTINCT(S),
    DISTINCT(S),
    sample=partner(),
    kinked=True,
    known=(PIECEWISE_GRAD2,),
)
op("where", lambda L, a, b: L.where(a > 0, a, b), AWAY(S), U(S))
op("lerp", lambda L, a, b: L.lerp(a, b, 0.3), U(S), U(S))
op("addcmul", lambda L, a, b, c: L.addcmul(a, b, c, value=0.5), U(S), U(S), U((1, 4)))
op("addcmul_method", lambda L, a, b, c: a.addcmul(b, c), U(S), U((4,)), U(S))
op(
    "addcdiv",
    lambda L, a, b, c: L.addcdiv(a, b, c, value=-2),
    U(S),
    U(S),
    AWAY(S),
    known=ADDCDIV_MIXED,
)
op("addcdiv_method", lambda L, a, b, c: a.addcdiv(b, c), U((3, 1)), U(S), AWAY((4,)))
op("lerp_tensor_weight", lambda L, a, b, w: L.lerp(a, b, w), U(S), U(S), U(S, 0, 1))
op("remainder", lambda L, a: a % 1.5, FRACTIONAL(S))
op("remainder_tensor", lambda L, a, b: L.remainder(a * 3, b), U(S, 0.5, 0.6), U(S, 1.2, 1.3))
op("floor_divide", lambda L, a: a // 1.5, FRACTIONAL(S), grad=False)
op("nan_to_num", lambda L, x: L.nan_to_num(L.log(x)), U(S, -1, 2), grad=False)
op("softmax", lambda L, x, dim=1: L.softmax(x, dim), U(S3, -3, 3), sample=softmax_sample)
op("log_softmax_method", lambda L, x: x.log_softmax(-1), U(S3, -3, 3))
op("selu", lambda L, x: L.selu(x), AWAY(S), known=(ELU_NAN, ELU_NAN2))
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
op("std_default", lambda L, x: L.std(x), U(S3), known=(STD_FLAT, STD_FLAT2))
op("std_dim", lambda L, x: x.std(dim=-1), U(S3), known=(STD_FLAT_DIM, STD_FLAT_DIM2))
op("max_all", lambda L, x: L.max(x), DISTINCT(S), kinked=True, known=(PIECEWISE_GRAD2,))
op("min_all", lambda L, x: x.min(), DISTINCT(S), kinked=True, known=(PIECEWISE_GRAD2,))
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
op("reshape", lambda L, x, s=(4, -1): L.reshape(x, s), U(S3), sample=reshape_sample)
op("view", lambda L, x: x.view(6, 4), U(S3))
op("view_as", lambda L, x, y: x.view_as(y), U(S3), U((4, 6)), grad=True)
op("flatten", lambda L, x, start=1: L.flatten(x, start), U(S3), sample=dim_sample)
op("unflatten", lambda L, x: x.unflatten(2, (2, 2)), U(S3))
op("squeeze", lambda L, x, dim=1: L.squeeze(x, dim), U((3, 1, 2)), sample=squeeze_sample)
op("unsqueeze", lambda L, x, dim=-1: L.unsqueeze(x, dim), U(S), sample=unsqueeze_sample)
op("permute", lambda L, x, p=(2, 0, 1): L.permute(x, p), U(S3), sample=permute_sample)
op("transpose", lambda L, x: L.transpose(x, 0, 2), U(S3))
op("transpose_method", lambda L, x: x.transpose(-1, 1), U(S3))
op("swapaxes", lambda L, x: x.swapaxes(0, 1), U(S3))
op("movedim", lambda L, x: L.movedim(x, 0, -1), U(S3))
op("t", lambda L, x: x.t(), U(S))
op("T", lambda L, x: x.T, U(S))
op("mT", lambda L, x: x.mT, U(S3))
op("expand", lambda L, x, s=(2, 3, 4): x.expand(*s), U((3, 1)), sample=expand_sample)
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
_SR_IDX = [[0, 0], [2, 2], [1, 3]]  # dim 1 of (3, 4): repeats, and entries no src reaches
op(
    "scatter_reduce_sum",
    lambda L, x, s: x.scatter_reduce(1, L.tensor(_idx(_SR_IDX)), s, "sum"),
    U(S),
    U((3, 2)),
)
op(
    "scatter_reduce_sum_no_self",
    lambda L, x, s: L.scatter_reduce(x, 1, L.tensor(_idx(_SR_IDX)), s, "sum", include_self=False),
    U(S),
    U((3, 2)),
)
op(
    "scatter_reduce_prod",
    lambda L, x, s: x.scatter_reduce(1, L.tensor(_idx(_SR_IDX)), s, "prod"),
    U(S),
    U((3, 2)),
)
op(
    "scatter_reduce_prod_no_self",
    lambda L, x, s: x.scatter_reduce(0, L.tensor(_idx([[2, 0, 2, 0]] * 2)), s, "prod",
                                     include_self=False),
    U(S),
    U((2, 4)),
)  # fmt: skip
op(
    "scatter_reduce_mean",
    lambda L, x, s: x.scatter_reduce(1, L.tensor(_idx(_SR_IDX)), s, "mean"),
    U(S),
    U((3, 2)),
)
op(
    "scatter_reduce_mean_no_self",
    lambda L, x, s: x.scatter_reduce(1, L.tensor(_idx(_SR_IDX)), s, "mean", include_self=False),
    U(S),
    U((3, 2)),
)
op(
    "scatter_reduce_amax",
    lambda L, x, s: x.scatter_reduce(1, L.tensor(_idx(_SR_IDX)), s, "amax"),
    DISTINCT(S),
    DISTINCT((3, 2)),
    kinked=True,
)
op(
    "scatter_reduce_amin_no_self",
    lambda L, x, s: x.scatter_reduce(0, L.tensor(_idx([[2, 0, 2, 0]] * 2)), s, "amin",
                                     include_self=False),
    DISTINCT(S),
    DISTINCT((2, 4)),
    kinked=True,
)  # fmt: skip
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
op("matmul", lambda L, a, b: L.matmul(a, b), U(S3), U((4, 2)), sample=matmul_sample)
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

# arithmetic with a number, operators between tensors (broadcasting partners in the fuzzer)
op("add_scalar", lambda L, x, c=1.0: x + c, U(S), sample=scalar_arg([1.0, -2.5, 0.0]))
op("rsub_scalar", lambda L, x, c=1.0: c - x, U(S), sample=scalar_arg([1.0, -3.0]))
op("mul_scalar", lambda L, x, c=2.0: x * c, U(S), sample=scalar_arg([2.0, -0.5, 0.0]))
op("div_scalar", lambda L, x, c=2.0: x / c, U(S), sample=scalar_arg([2.0, -0.5, 0.0]))
op("rdiv_scalar", lambda L, x, c=1.0: c / x, AWAY(S, 0.3, 2), sample=scalar_arg([1.0, -2.0]))
op(
    "rpow_scalar",
    lambda L, x, c=2.0: c**x,
    U(S),
    sample=scalar_arg([2.0, 0.5, 0.0]),
    known=(Known("grad2", lambda x, s: s.args[0] == 0, ZERO_DIVISOR_GRAD2.reason),),
)
op("add", lambda L, a, b: a + b, U(S), U(S), sample=partner())
op("sub", lambda L, a, b: a - b, U(S), U(S), sample=partner())
op("mul", lambda L, a, b: a * b, U(S), U(S), sample=partner())
op(
    "div",
    lambda L, a, b: a / b,
    U(S),
    AWAY(S, 0.3, 2),
    sample=partner(),
    known=(
        ZERO_DIVISOR_GRAD2,
        SELF_DIV_TINY,
        SELF_DIV_TINY2,
        Known("end_to_end", SELF_DIV_TINY.when, SELF_DIV_TINY.reason),
    ),
)
op(
    "pow",
    lambda L, a, b: a**b,
    U(S, 0.3, 2),
    U(S),
    sample=partner(),
    fuzz_tol=4.0,
    known=(POW_GRAD2, POW_ZERO_EXPONENT),
)
op(
    "rmatmul",
    lambda L, a, b: b @ a,
    U((4, 2)),
    U(S),
    sample=lambda d, x: matmul_sample(d, x.T if x.ndim == 2 else x),
)

# reductions with random axes
op(
    "sum",
    lambda L, x, dim=None, keepdim=False: x.sum() if dim is None else x.sum(dim, keepdim),
    U(S3),
    sample=reduce_sample(),
)
op(
    "mean",
    lambda L, x, dim=None, keepdim=False: x.mean() if dim is None else x.mean(dim, keepdim),
    U(S3),
    sample=reduce_sample(),
)
op(
    "amax",
    lambda L, x, dim=0, keepdim=False: x.amax(dim=dim, keepdim=keepdim),
    DISTINCT(S3),
    sample=reduce_sample(allow_none=False),
    kinked=True,
    known=(PIECEWISE_GRAD2,),
)
op(
    "amin",
    lambda L, x, dim=0, keepdim=False: x.amin(dim=dim, keepdim=keepdim),
    DISTINCT(S3),
    sample=reduce_sample(allow_none=False),
    kinked=True,
    known=(PIECEWISE_GRAD2,),
)
op("index", lambda L, x, idx=(1, slice(None, None, 2)): x[idx], U(S), sample=index_sample)

# activations (torch.nn.functional's)
op(
    "log_softmax",
    lambda L, x, dim=-1: F(L).log_softmax(x, dim=dim),
    U(S3, -3, 3),
    sample=softmax_sample,
)
op(
    "leaky_relu",
    lambda L, x, a=0.01: F(L).leaky_relu(x, a),
    AWAY(S),
    sample=scalar_arg([0.01, 0.2]),
    kinked=True,
    known=(PIECEWISE_GRAD2,),
)
op(
    "elu",
    lambda L, x, a=1.0: F(L).elu(x, a),
    AWAY(S),
    sample=scalar_arg([1.0, 0.5, 2.0]),
    known=(ELU_NAN, ELU_NAN2),
)
op(
    "softplus",
    lambda L, x, b=1.0, t=20.0: F(L).softplus(x, b, t),
    U(S, -3, 3),
    sample=lambda d, x: Sample(d.choice([(1.0, 20.0), (2.0, 5.0), (0.5, 1.0)])),
    known=(
        Known(
            "grad2",
            lambda x, s: bool(np.any(x * s.args[0] == s.args[1])),
            SOFTPLUS_THRESHOLD.reason,
        ),
    ),
)
op("silu", lambda L, x: F(L).silu(x), U(S, -3, 3))
op("mish", lambda L, x: F(L).mish(x), U(S, -3, 3), known=(MISH_LARGE,))
op(
    "gelu",
    lambda L, x: F(L).gelu(x),
    U(S, -3, 3),
    known=(GELU_TAIL, GELU_TAIL_GRAD, Known("grad2", GELU_TAIL.when, GELU_TAIL.reason)),
)
op(
    "gelu_tanh",
    lambda L, x: F(L).gelu(x, approximate="tanh"),
    U(S, -3, 3),
    fuzz_tol=4.0,
    known=(GELU_TANH_INF, Known("grad2", GELU_TANH_INF.when, GELU_TANH_INF.reason)),
)
op(
    "hardtanh",
    lambda L, x, lo=-1.0, hi=1.0: F(L).hardtanh(x, lo, hi),
    FRACTIONAL(S, -2, 2),
    sample=lambda d, x: Sample(d.choice([(-1.0, 1.0), (-2.0, 0.5)])),
    kinked=True,
    known=(HARDTANH_NAN, PIECEWISE_GRAD2),
)

# losses (torch.nn.functional's): the oracle tests use the defaults, the fuzzer draws targets,
# reductions and options
op("mse_loss", lambda L, x, t, **k: F(L).mse_loss(x, t, **k), U(S), U(S), sample=target_loss("any"))
op(
    "l1_loss",
    lambda L, x, t, **k: F(L).l1_loss(x, t, **k),
    U(S),
    U(S),
    sample=target_loss("any"),
    kinked=True,
    known=(PIECEWISE_GRAD2,),
)
op(
    "huber_loss",
    lambda L, x, t, **k: F(L).huber_loss(x, t, **k),
    U(S),
    U(S),
    sample=target_loss("any", delta=[1.0, 0.5]),
    known=(HUBER_BOUNDARY,),
)
op(
    "smooth_l1_loss",
    lambda L, x, t, **k: F(L).smooth_l1_loss(x, t, **k),
    U(S),
    U(S),
    sample=target_loss("any", beta=[1.0, 0.5]),
    known=(HUBER_BOUNDARY,),
)
op(
    "bce_with_logits",
    lambda L, x, t, **k: F(L).binary_cross_entropy_with_logits(x, t, **k),
    U(S),
    U(S, 0, 1),
    sample=target_loss("unit"),
)
op(
    "bce_of_sigmoid",
    lambda L, x, t, **k: F(L).binary_cross_entropy(x.sigmoid(), t, **k),
    U(S),
    U(S, 0, 1),
    sample=target_loss("unit"),
    fuzz_tol=8.0,
    known=(
        BCE_TARGET,
        SIGMOID_EDGE,
        Known("grad", SIGMOID_EDGE.when, SIGMOID_EDGE.reason),
        BCE_SATURATED_GRAD2,
    ),
)
op(
    "kl_div",
    lambda L, x, t, **k: F(L).kl_div(x, t, **k),
    U(S),
    U(S, 0.1, 1),
    sample=target_loss("unit", log_target=[False]),
    known=(KL_TARGET_ZERO, Known("grad2", KL_TARGET_ZERO.when, KL_TARGET_ZERO.reason)),
)
op(
    "cross_entropy",
    lambda L, x, t, **k: F(L).cross_entropy(x, t, **k),
    U(S),
    U(S, 0, 1),
    sample=class_target_sample,
    known=(CE_MASKED_PROBS, Known("grad", CE_MASKED_PROBS.when, CE_MASKED_PROBS.reason)),
)
op(
    "nll_loss",
    lambda L, x, t=None, **k: F(L).nll_loss(x, L.tensor(_idx([0, 3, 1])) if t is None else t, **k),
    U(S),
    sample=nll_sample,
    gradgrad=False,
)
op(
    "margin_ranking_loss",
    lambda L, x, x2, t=None, **k: F(L).margin_ranking_loss(
        x, x2, L.sign(x2).detach() if t is None else t, **k
    ),
    U(S),
    AWAY(S),
    sample=pair_loss("sign", rows=False),
    kinked=True,
    known=(PIECEWISE_GRAD2,),
)
op(
    "cosine_embedding_loss",
    lambda L, x, x2, t=None, **k: F(L).cosine_embedding_loss(
        x, x2, L.sign(x2[:, 0]).detach() if t is None else t, **k
    ),
    U(S),
    AWAY(S),
    sample=pair_loss("sign", rows=True),
    fuzz_tol=100.0,  # eps placement in the norms differs: relative 1e-9 near |x| = 0
)
op(
    "triplet_margin_loss",
    lambda L, x, p, n, **k: F(L).triplet_margin_loss(x, p, n, **k),
    U(S),
    U(S),
    U(S),
    sample=triplet_sample,
    fuzz_tol=8.0,
)

# aliases and the remaining public ops (tests/test_op_coverage.py keeps the table complete)
op("arccos", lambda L, x: L.arccos(x), U(S, -0.9, 0.9))
op("arcsin_method", lambda L, x: x.arcsin(), U(S, -0.9, 0.9))
op("arctan_method", lambda L, x: x.arctan(), U(S))
op("arctan2", lambda L, y, x: L.arctan2(y, x), U(S), AWAY(S, 0.3, 2))
op("negative", lambda L, x: L.negative(x), U(S))
op("fix", lambda L, x: L.fix(x), FRACTIONAL(S))
op("clone", lambda L, x: x.clone(), U(S))
op("contiguous", lambda L, x: x.t().contiguous(), U(S))
op("type_as", lambda L, x, y: x.type_as(y), U(S), U(S))
op("diag_embed", lambda L, x: L.diag_embed(x), U(S))
op("fliplr", lambda L, x: L.fliplr(x), U(S3))
op("flipud", lambda L, x: x.flipud(), U(S3))
op("moveaxis", lambda L, x: L.moveaxis(x, 0, -1), U(S3))
op("swapdims", lambda L, x: L.swapdims(x, 0, 2), U(S3))
op("select", lambda L, x: L.select(x, 1, 2), U(S3))
op("reshape_as", lambda L, x, y: x.reshape_as(y), U(S3), U((4, 6)))
op("msort", lambda L, x: L.msort(x), DISTINCT(S))
op(
    "take_along_dim",
    lambda L, x: L.take_along_dim(x, L.tensor(_idx([[0, 3], [1, 1], [2, 0]])), 1),
    U(S),
)
op("tensor_split", lambda L, x: L.tensor_split(x, 3, 1)[1], U(S))
op("concatenate", lambda L, a, b: L.concatenate([a, b], 0), U(S), U((1, 4)))
op("row_stack", lambda L, a, b: L.row_stack([a, b]), U((4,)), U(S))
op("ger", lambda L, a, b: L.ger(a, b), U((3,)), U((4,)))
op("inner", lambda L, a, b: L.inner(a, b), U(S), U((2, 4)))
op(
    "floor_divide_fn",
    lambda L, a, b: L.floor_divide(a, b),
    FRACTIONAL(S),
    AWAY(S, 0.5, 2),
    grad=False,
)
op("add_alpha", lambda L, a, b: L.add(a, b, alpha=2.5) + a.add(b), U(S), U((4,)))
op("sub_alpha", lambda L, a, b: a.sub(b, alpha=-0.5) + L.subtract(a, b), U(S), U(S))
op("mul_named", lambda L, a, b: L.mul(a, b) + a.multiply(b), U(S), U((3, 1)))
op("div_named", lambda L, a, b: L.div(a, b) + a.divide(b) + L.true_divide(a, b), U(S), AWAY(S))
op(
    "div_rounding",
    lambda L, a, b: L.div(a, b, rounding_mode="trunc") + a.div(b, rounding_mode="floor"),
    FRACTIONAL(S),
    AWAY(S, 0.5, 2),
    grad=False,
)
op("scatter_src", lambda L, a, b: a.scatter(0, L.tensor(_idx([[0, 2, 1, 0]])), b), U(S), U((1, 4)))
op("scatter_value", lambda L, a: a.scatter(1, L.tensor(_idx([[1], [3], [0]])), 0.5), U(S))
op(
    "index_add",
    lambda L, a, b: a.index_add(0, L.tensor(_idx([0, 2, 2])), b, alpha=2),
    U(S),
    U(S),
)
op(
    "masked_select",
    lambda L, a: L.masked_select(a, L.tensor(np.array([True, False, True, True]))),
    U(S),
)
op("clamp_min_max", lambda L, a: a.clamp_min(0.1) + L.clamp_max(a, 0.2), AWAY(S, 0.3, 2))
op("diff", lambda L, a: a.diff(n=2, dim=1, prepend=a[:, :1] * 2), U(S))
op("trace", lambda L, a: a[:, :3].trace(), U(S))
op("mv", lambda L, a, v: L.mv(a, v), U(S), U((4,)))
op("addmm", lambda L, c, a, b: L.addmm(c, a, b, beta=0.5, alpha=2), U((3, 2)), U(S), U((4, 2)))
op("take", lambda L, a: L.take(a, L.tensor(_idx([[0, 5], [11, 3]]))), U(S))
op("median_all", lambda L, a: a.median(), U(S), kinked=True)
op("median_dim", lambda L, a: L.median(a, 1).values, U(S), kinked=True)
op("meshgrid", lambda L, a, b: L.stack(L.meshgrid(a, b, indexing="xy")), U((3,)), U((2,)))
# (torch has no second derivative of cdist)
op("cdist", lambda L, a, b: L.cdist(a, b), U((3, 2)), U((4, 2)), gradgrad=False)
op("var_mean", lambda L, a: L.stack(L.var_mean(a, 1)), U(S))
op("std_mean", lambda L, a: L.stack(L.std_mean(a, dim=0, keepdim=True)), U(S))
op("nansum_nanmean", lambda L, a: a.nansum(1) + L.nanmean(a, 0).sum(), U(S))
op(
    "logical_ops",
    lambda L, a: L.logical_and(a > 0, a < 1).logical_or(a > 1).logical_xor(L.logical_not(a < -1)),
    U(S),
    grad=False,
)
op("nonzero_method", lambda L, a: (a > 0).nonzero() + (a > 0).argwhere(), U(S), grad=False)
op(
    "tri_indices",
    lambda L, a: L.tril_indices(3, 4, 1).sum() + L.triu_indices(4, 3, -1).sum() + a.sum() * 0,
    U(S),
    grad=False,
)
op("greater", lambda L, a, b: L.greater(a, b), U(S), U(S), grad=False)
op("greater_equal", lambda L, a, b: a.greater_equal(b), U(S), U(S), grad=False)
op("less", lambda L, a, b: L.less(a, b), U(S), U(S), grad=False)
op("less_equal", lambda L, a, b: a.less_equal(b), U(S), U(S), grad=False)
op("not_equal", lambda L, a, b: L.not_equal(a, b), U(S), U(S), grad=False)
op("nonzero", lambda L, x: L.nonzero(x > 0), U(S), grad=False)
op("allclose", lambda L, a: L.tensor(L.allclose(a, a + 1e-12)), U(S), grad=False)
op("equal", lambda L, a: L.tensor(L.equal(a, a * 1) and a.equal(a)), U(S), grad=False)
op("numel", lambda L, x: L.tensor(L.numel(x) + x.numel()), U(S), grad=False)


# --- linear algebra (autograd.linalg; values vs numpy, batching, errors: test_linalg.py) ---
def matrix_sample(square: bool = True, min_gap: float = 0.0, wide: bool = False) -> Callable:
    """The program's tensor as it is, when it is (a batch of) well-conditioned matrices whose
    singular values are ``min_gap`` apart relative to the largest (and, with ``wide``, that
    have no more rows than columns); else no step (the fuzzer draws arbitrary values:
    near-singular matrices have no meaningful inverse to compare)."""

    def sample(d: Drawer, x: np.ndarray) -> Sample | None:
        if x.ndim < 2 or 0 in x.shape or (square and x.shape[-1] != x.shape[-2]):
            return None
        if wide and x.shape[-2] > x.shape[-1]:
            return None
        with np.errstate(all="ignore"):
            if not np.all(np.isfinite(x)) or np.abs(x).max() > 1e3:
                return None
            s = np.linalg.svd(x.astype(np.float64), compute_uv=False)
        if not np.all(s[..., -1] > 1e-2 * s[..., 0]):  # (a zero matrix too)
            return None
        if min_gap and np.any(-np.diff(s, axis=-1) < min_gap * s[..., :1]):
            return None
        return Sample()

    return sample


SQ = (3, 3)
BSQ = (2, 3, 3)
_SQUARE = matrix_sample()
_GAPPED = matrix_sample(square=False, min_gap=0.1)
_GAPPED_SQUARE = matrix_sample(min_gap=0.1)


def qr_sample(wide: bool = False) -> Callable:
    """Full-rank matrices (``wide``: no more rows than columns) whose leading square block is
    well-conditioned too: QR's derivative for m < n goes through that block's inverse."""
    full_rank = matrix_sample(square=False, wide=wide)

    def sample(d: Drawer, x: np.ndarray) -> Sample | None:
        if full_rank(d, x) is None:
            return None
        m, n = x.shape[-2:]
        return _SQUARE(d, x[..., :m]) if m < n else Sample()

    return sample


def solve_sample(b_shape: Callable[[tuple], tuple | None], matrix: Callable = _SQUARE) -> Callable:
    """A (the program's tensor) as ``matrix`` (by default ``_SQUARE``) takes it, and a finite
    right-hand side of shape ``b_shape(A.shape)`` (None: no step)."""

    def sample(d: Drawer, x: np.ndarray) -> Sample | None:
        shape = b_shape(x.shape) if matrix(d, x) is not None else None
        if shape is None:
            return None
        b = d.array(shape)
        return Sample((Leaf(np.where(np.isfinite(b), b, 1.0).astype(b.dtype)),))

    return sample


def _eigh_parts(L: Any, s: Any, uplo: str = "L") -> Any:
    """Eigenvalues and the projectors v_k v_k^T (independent of each eigenvector's sign)."""
    w, v = L.linalg.eigh(s, UPLO=uplo)
    return L.cat([w.reshape(-1), (v.unsqueeze(-1) * v.mT.unsqueeze(-3)).reshape(-1)])


def _svd_parts(L: Any, a: Any, full: bool) -> Any:
    """Singular values and the products u_k vh_k^T (independent of each pair's sign)."""
    u, s, vh = L.linalg.svd(a, full_matrices=full)
    k = s.shape[-1]
    pairs = u[..., :, :k].unsqueeze(-1) * vh[..., :k, :].unsqueeze(-3)
    return L.cat([s.reshape(-1), pairs.reshape(-1)])


op("linalg_inv", lambda L, a: L.linalg.inv(a), WELL(BSQ), sample=_SQUARE)
op("inverse", lambda L, a: L.inverse(a) + a.inverse(), WELL(SQ), sample=_SQUARE)
op("linalg_det", lambda L, a: L.linalg.det(a), SPREAD(BSQ), sample=_SQUARE)
op("det", lambda L, a: L.det(a) + a.det(), WELL(SQ), sample=_SQUARE)
op(
    "linalg_slogdet",
    lambda L, a: L.linalg.slogdet(a).logabsdet * L.linalg.slogdet(a).sign,
    SPREAD(BSQ),
    sample=_SQUARE,
)
op("slogdet", lambda L, a: L.slogdet(a)[1] + a.slogdet()[0], SPREAD(SQ), sample=_SQUARE)
op("logdet", lambda L, a: L.logdet(a @ a.mT) + (a @ a.mT).logdet(), SPREAD(BSQ), sample=_SQUARE)


def _solve(L: Any, a: Any, b: Any) -> Any:  # noqa: N803
    return L.linalg.solve(a, b)


op("linalg_solve", _solve, WELL(BSQ), U((2, 3, 2)), sample=solve_sample(lambda s: s[:-1] + (2,)))
op("linalg_solve_vector", _solve, WELL(SQ), U((3,)), sample=solve_sample(lambda s: s[-1:]))
op(
    "linalg_solve_batched_vectors",
    _solve,
    WELL(BSQ),
    U((2, 3)),
    sample=solve_sample(lambda s: s[:-1] if len(s) > 2 else None),  # (2-d A: a matrix B)
)
op(
    "linalg_solve_broadcast",
    _solve,
    WELL(SQ),
    U((2, 3, 2)),
    sample=solve_sample(lambda s: (2,) + s[:-1] + (2,)),
)
op(
    "linalg_solve_right",
    lambda L, a, b: L.linalg.solve(a, b, left=False),
    WELL(BSQ),
    U((2, 4, 3)),
    sample=solve_sample(lambda s: s[:-2] + (4, s[-1])),
)
op("linalg_cholesky", lambda L, a: L.linalg.cholesky(a @ a.mT), WELL(BSQ), sample=_SQUARE)
op(
    "linalg_cholesky_upper",
    lambda L, a: L.linalg.cholesky(a @ a.mT + 1, upper=True),
    WELL(SQ),
    sample=_SQUARE,
)
op("linalg_eigh", lambda L, a: _eigh_parts(L, a + a.mT), SPREAD(BSQ), sample=_GAPPED_SQUARE)
op(
    "linalg_eigh_upper",
    lambda L, a: _eigh_parts(L, a + a.mT, "U"),
    SPREAD(SQ),
    sample=_GAPPED_SQUARE,
)
op("linalg_eigvalsh", lambda L, a: L.linalg.eigvalsh(a + a.mT), SPREAD(BSQ), sample=_GAPPED_SQUARE)


def _qr(L: Any, a: Any) -> Any:  # noqa: N803
    return L.cat([p.reshape(-1) for p in L.linalg.qr(a)])


op("linalg_qr", _qr, SPREAD((2, 4, 3)), sample=qr_sample())
op("linalg_qr_square", _qr, SPREAD(SQ), sample=qr_sample())
op(
    "linalg_qr_wide_complete",
    lambda L, a: L.cat([p.reshape(-1) for p in L.linalg.qr(a, mode="complete")]),
    SPREAD((2, 3, 5)),
    sample=qr_sample(wide=True),
)
op("linalg_svd", lambda L, a: _svd_parts(L, a, False), SPREAD((2, 4, 3)), sample=_GAPPED)
op("linalg_svd_full_wide", lambda L, a: _svd_parts(L, a, True), SPREAD((2, 3, 5)), sample=_GAPPED)
op("linalg_svd_square", lambda L, a: _svd_parts(L, a, True), SPREAD(SQ), sample=_GAPPED)
op("linalg_svdvals", lambda L, a: L.linalg.svdvals(a), SPREAD((2, 4, 3)), sample=_GAPPED)
op("linalg_pinv", lambda L, a: L.linalg.pinv(a), SPREAD((2, 4, 3)), sample=_GAPPED)
op(
    "linalg_matrix_power",
    lambda L, a: L.linalg.matrix_power(a, 3) + L.linalg.matrix_power(a, 0) + a.matrix_power(-2),
    WELL(BSQ),
    sample=_SQUARE,
)
op("matrix_power", lambda L, a: L.matrix_power(a, 2), WELL(SQ), sample=_SQUARE)
op("linalg_vector_norm", lambda L, a: L.linalg.vector_norm(a), U(S3))
op(
    "linalg_vector_norm_dim",
    lambda L, a: L.linalg.vector_norm(a, 3, dim=(0, 2), keepdim=True),
    AWAY(S3),
)
op("linalg_vector_norm_1", lambda L, a: L.linalg.vector_norm(a, 1, dim=-1), AWAY(S3), kinked=True)
op(
    "linalg_vector_norm_inf",
    lambda L, a: L.linalg.vector_norm(a, float("inf"), dim=1),
    DISTINCT(S3),
    kinked=True,
)
op("linalg_matrix_norm_fro", lambda L, a: L.linalg.matrix_norm(a), U(S3))
op(
    "linalg_matrix_norm_fro_dims",
    lambda L, a: L.linalg.matrix_norm(a, dim=(2, 0), keepdim=True),
    U(S3),
)
op(
    "linalg_matrix_norm_nuc",
    lambda L, a: L.linalg.matrix_norm(a, "nuc"),
    SPREAD((2, 4, 3)),
    sample=_GAPPED,
)
op(
    "linalg_matrix_norm_2",
    lambda L, a: L.linalg.matrix_norm(a, 2) + L.linalg.matrix_norm(a, -2),
    SPREAD((2, 4, 3)),
    sample=_GAPPED,
)
op(
    "linalg_matrix_norm_2_dims",
    lambda L, a: L.linalg.matrix_norm(a, 2, dim=(0, 2), keepdim=True),
    SPREAD((4, 2, 3)),
    known=(
        Known(
            "raises",
            lambda x, s: _wide(x, s),
            "the SVD of matrices whose entries span many orders of magnitude: torch's LAPACK "
            "driver (gesdd) can give up ('ill-conditioned or too many repeated singular "
            "values'), numpy's converges",
        ),
    ),
)
for _ord, _name in ((1, "1"), (-1, "neg1"), (float("inf"), "inf"), (-float("inf"), "neginf")):
    op(
        f"linalg_matrix_norm_{_name}",
        lambda L, a, o=_ord: (
            L.linalg.matrix_norm(a, o) + L.linalg.matrix_norm(a, o, (0, 2), True).sum()
        ),
        DISTINCT(S3),
        kinked=True,
    )
op("linalg_norm_flat", lambda L, a: L.linalg.norm(a), U(S3))
op("linalg_norm_vector", lambda L, a: L.linalg.norm(a, 3, dim=1), AWAY(S3))
op("linalg_norm_matrix", lambda L, a: L.linalg.norm(a, "fro") + L.linalg.norm(a, dim=(0, 1)), U(S))
op("linalg_norm_1d_ord", lambda L, a: L.linalg.norm(a[0], 1), AWAY(S), kinked=True)
op("linalg_norm_matrix_nuc", lambda L, a: L.linalg.norm(a, "nuc"), SPREAD(S), sample=_GAPPED)


# torch.linalg's products, solvers and the _ex forms (autograd/linalg_products.py,
# linalg_solvers.py, linalg_ex.py; ranks, info and driver results: test_linalg_extra.py)
def moderate_square(d: Drawer, x: np.ndarray) -> Sample | None:
    """Square matrices of 1-norm at most 4 (exp of larger ones grows past float32's
    resolution for comparing chains of them); else no step."""
    if x.ndim < 2 or x.shape[-1] != x.shape[-2]:
        return None
    with np.errstate(all="ignore"):
        if not np.all(np.isfinite(x)) or np.abs(x).sum(-2).max(initial=0.0) > 4:
            return None
    return Sample()


op("linalg_matrix_exp", lambda L, a: L.linalg.matrix_exp(a), U(BSQ), sample=moderate_square)
op("linalg_cross", lambda L, a, b: L.linalg.cross(a, b), U((2, 3)), U((1, 3)))
op("linalg_cross_dim", lambda L, a, b: L.linalg.cross(a, b, dim=0), U((3, 4)), U((3, 4)))
op(
    "linalg_diagonal",
    lambda L, a: L.linalg.diagonal(a, offset=1) + L.linalg.diagonal(a, dim1=0, dim2=2)[:, :3],
    U((3, 3, 4)),
)
op("linalg_matmul", lambda L, a, b: L.linalg.matmul(a, b), U(S3), U((4, 2)), sample=matmul_sample)
op(
    "linalg_multi_dot",
    lambda L, a, b, c, d: L.linalg.multi_dot([a, b, c, d]),
    U((3,)),
    U((3, 5)),
    U((5, 2)),
    U((2, 4)),
)
op(
    "linalg_multi_dot_matrices",
    lambda L, a, b, c: L.linalg.multi_dot((a, b, c)),
    U((2, 6)),
    U((6, 3)),
    U((3,)),
)
op("linalg_vecdot", lambda L, a, b: L.linalg.vecdot(a, b), U(S3), U((4,)))
op("linalg_vecdot_dim", lambda L, a, b: L.linalg.vecdot(a, b, dim=0), U(S), U(S))
op("linalg_vander", lambda L, a: L.linalg.vander(a), U((2, 3)))
op("linalg_vander_n", lambda L, a: L.linalg.vander(a, N=5), U((4,)))


def _triangular(L: Any, a: Any, b: Any, **kw: Any) -> Any:  # noqa: N803
    return L.linalg.solve_triangular(a, b, **kw)


op(
    "linalg_solve_triangular",
    lambda L, a, b: _triangular(L, a, b, upper=True),
    WELL(BSQ),
    U((2, 3, 2)),
    sample=solve_sample(lambda s: s[:-1] + (2,)),
)
op(
    "linalg_solve_triangular_lower_unit",
    lambda L, a, b: _triangular(L, a, b, upper=False, unitriangular=True),
    U(BSQ),
    U((2, 3, 2)),
    sample=solve_sample(lambda s: s[:-1] + (2,)),
)
op(
    "linalg_solve_triangular_right",
    lambda L, a, b: _triangular(L, a, b, upper=False, left=False),
    WELL(SQ),
    U((2, 4, 3)),
    sample=solve_sample(lambda s: (2, 4, s[-1]) if len(s) == 2 else None),
)
op("linalg_cond", lambda L, a: L.linalg.cond(a), SPREAD((2, 4, 3)), sample=_GAPPED)
op(
    "linalg_cond_2",
    lambda L, a: L.linalg.cond(a, -2) + L.linalg.cond(a, 2),
    SPREAD(BSQ),
    sample=_GAPPED,
)
op(
    "linalg_cond_fro_nuc",
    lambda L, a: L.linalg.cond(a, "fro") + L.linalg.cond(a, "nuc"),
    SPREAD(BSQ),
    sample=_GAPPED_SQUARE,
    tags=(TORCH_CANNOT_DIFFERENTIATE,),
)
for _ord, _name in ((1, "1"), (-1, "neg1"), (float("inf"), "inf"), (-float("inf"), "neginf")):
    op(
        f"linalg_cond_{_name}",
        lambda L, a, o=_ord: L.linalg.cond(a, o),
        WELL(BSQ),
        sample=_SQUARE,
        kinked=True,
        tags=(TORCH_CANNOT_DIFFERENTIATE,),
    )


def _lstsq(L: Any, a: Any, b: Any, driver: Any = None) -> Any:  # noqa: N803
    """The solution and (for the drivers that give them) the residuals, flattened."""
    x, res = L.linalg.lstsq(a, b, driver=driver)[:2]
    return L.cat([x.reshape(-1), res.reshape(-1)])


_LSTSQ = solve_sample(lambda s: s[:-1] + (2,), matrix_sample(square=False))
op("linalg_lstsq", _lstsq, SPREAD((2, 5, 3)), U((2, 5, 2)), sample=_LSTSQ, known=LSTSQ_GELSY)
op(
    "linalg_lstsq_gelsd",
    lambda L, a, b: _lstsq(L, a, b, "gelsd"),
    SPREAD((2, 5, 3)),
    U((2, 5, 2)),
    sample=_LSTSQ,
)
op(
    "linalg_lstsq_vector_gels",
    lambda L, a, b: _lstsq(L, a, b, "gels"),
    SPREAD((4, 2)),
    U((4,)),
    sample=_LSTSQ,
)
op(
    "linalg_lstsq_wide",
    lambda L, a, b: L.linalg.lstsq(a, b, rcond=1e-3).solution,
    SPREAD((2, 3, 5)),
    U((1, 3, 2)),
    sample=_LSTSQ,
    known=LSTSQ_GELSY,
)
op("linalg_inv_ex", lambda L, a: L.linalg.inv_ex(a).inverse, WELL(BSQ), sample=_SQUARE)
op(
    "linalg_cholesky_ex",
    lambda L, a: L.linalg.cholesky_ex(a @ a.mT).L + L.linalg.cholesky_ex(a @ a.mT, upper=True)[0],
    WELL(BSQ),
    sample=_SQUARE,
    known=(CHOLESKY_TINY, CHOLESKY_F32),
)
op(
    "linalg_cholesky_upper_reads_upper",
    lambda L, a: L.linalg.cholesky(a @ a.mT + L.triu(a, 1), upper=True),
    WELL(SQ),
    sample=_SQUARE,
    grad=False,  # (one triangle read: the gradient is the symmetric one, as torch's)
)
op(
    "linalg_solve_ex",
    lambda L, a, b: L.linalg.solve_ex(a, b).result + L.linalg.solve_ex(a, b, left=False)[0],
    WELL(BSQ),
    U(BSQ),
    sample=solve_sample(lambda s: s),
)
op(
    "linalg_tensorinv",
    lambda L, a: L.linalg.tensorinv(a.reshape(2, 3, 6)) + L.linalg.tensorinv(a, ind=1)[:, :1, None],
    WELL((6, 6)),
    sample=_SQUARE,
)
op(
    "linalg_tensorsolve",
    lambda L, a, b: L.linalg.tensorsolve(a.reshape(2, 3, 6), b),
    WELL((6, 6)),
    U((2, 3)),
    sample=solve_sample(lambda s: (2, 3) if s == (6, 6) else None),
)
op(
    "linalg_tensorsolve_dims",
    lambda L, a, b: L.linalg.tensorsolve(a.reshape(3, 2, 6).movedim(2, 0), b, dims=(0,)),
    WELL((6, 6)),
    U((3, 2)),
    sample=solve_sample(lambda s: (3, 2) if s == (6, 6) else None),
)


def _lu_parts(L: Any, a: Any) -> Any:  # noqa: N803
    p, lower, upper = L.linalg.lu(a)
    return L.cat([lower.reshape(-1), upper.reshape(-1), p.reshape(-1)])


op("linalg_lu", _lu_parts, SPREAD((2, 4, 4)), sample=_SQUARE)
op("linalg_lu_tall", _lu_parts, SPREAD((5, 3)), sample=matrix_sample(square=False))
op("linalg_lu_wide", _lu_parts, SPREAD((2, 3, 5)), sample=matrix_sample(square=False))
op(
    "linalg_lu_factor",
    lambda L, a: L.linalg.lu_factor(a).LU + L.linalg.lu_factor_ex(a)[0],
    SPREAD((2, 3, 3)),
    sample=_SQUARE,
)
op(
    "linalg_lu_factor_rectangular",
    lambda L, a: L.cat(
        [L.linalg.lu_factor(a)[0].reshape(-1), L.linalg.lu_factor(a.mT)[0].reshape(-1)]
    ),
    SPREAD((4, 2)),
    sample=matrix_sample(square=False),
)


def _lu_unpack_parts(L: Any, a: Any, **kw: Any) -> Any:  # noqa: N803
    """torch.lu_unpack of ``a`` read as packed factors (the pivots of ``a``'s own detached
    factorisation: only the unpacking is differentiated)."""
    pivots = L.linalg.lu_factor(a.detach()).pivots
    p, lower, upper = L.lu_unpack(a, pivots, **kw)
    return L.cat([p.reshape(-1), lower.reshape(-1), upper.reshape(-1)])


op("lu_unpack", _lu_unpack_parts, U((2, 3, 3)), sample=_SQUARE)
op("lu_unpack_tall", _lu_unpack_parts, U((5, 3)), sample=matrix_sample(square=False))
op("lu_unpack_wide", _lu_unpack_parts, U((2, 3, 4)), sample=matrix_sample(square=False))
op(
    "lu_unpack_data_only",
    lambda L, a: _lu_unpack_parts(L, a, unpack_pivots=False),
    U((3, 3)),
    sample=_SQUARE,
)
op(
    "lu_legacy_and_unpack",
    lambda L, a: L.cat([f.reshape(-1) for f in L.lu_unpack(*L.lu(a))]),
    SPREAD((2, 3, 3)),
    sample=_SQUARE,
)
op(
    "lu_solve_legacy",
    lambda L, a, b: b.lu_solve(*a.lu()) + L.lu_solve(b, *L.lu(a, get_infos=True)[:2]),
    WELL(BSQ),
    U((2, 3, 2)),
    sample=solve_sample(lambda s: s[:-1] + (2,)),
)


def _lu_solve(L: Any, a: Any, b: Any, **kw: Any) -> Any:  # noqa: N803
    lu, pivots = L.linalg.lu_factor(a)
    return L.linalg.lu_solve(lu, pivots, b, **kw)


op(
    "linalg_lu_solve",
    _lu_solve,
    WELL(BSQ),
    U((2, 3, 2)),
    sample=solve_sample(lambda s: s[:-1] + (2,)),
)
op(
    "linalg_lu_solve_adjoint",
    lambda L, a, b: _lu_solve(L, a, b, adjoint=True),
    SPREAD(BSQ),
    U((3, 2)),
    sample=solve_sample(lambda s: s[-1:] + (2,)),
)
op(
    "linalg_lu_solve_right",
    lambda L, a, b: _lu_solve(L, a, b, left=False) + _lu_solve(L, a, b, left=False, adjoint=True),
    SPREAD(SQ),
    U((2, 2, 3)),
    sample=solve_sample(lambda s: (2, 2, s[-1]) if len(s) == 2 else None),
)


def householder_sample(d: Drawer, x: np.ndarray) -> Sample | None:
    """Reflector vectors (the program's tensor, m >= n, entries within 1: long products of
    reflectors with larger ones are ill-conditioned in float32) and taus in [0.8, 1.6]."""
    with np.errstate(all="ignore"):
        if x.ndim < 2 or x.shape[-2] < x.shape[-1] or not np.all(np.abs(x) <= 1):
            return None
    k = d.integer(0, x.shape[-1])
    tau = 0.8 + 0.8 * np.abs(np.tanh(d.array(x.shape[:-2] + (k,))))
    return Sample((Leaf(np.where(np.isfinite(tau), tau, 1.0).astype(x.dtype)),))


op(
    "linalg_householder_product",
    lambda L, a, t: L.linalg.householder_product(a, t),
    U((2, 5, 3), -0.5, 0.5),
    U((2, 2), 0.8, 1.6),  # (near 2 / (1 + |v|^2): nearly orthogonal reflectors)
    sample=householder_sample,
)
op(
    "linalg_householder_product_square",
    lambda L, a, t: L.linalg.householder_product(a, t),
    U((3, 3), -1, 1),
    U((3,), 0.5, 1.5),
    sample=householder_sample,
)

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
op(
    "int_div_rounding",
    lambda L, x, y: L.stack([L.div(x, y, rounding_mode=m) for m in ("trunc", "floor")]),
    INT(S),
    INT(S, -4, -1),
    grad=False,
    dtypes=INTS,
)
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


# --- differences the long fuzzer run found on entries above (see the module docstring) ----
def _nonfinite(x: np.ndarray, s: Sample) -> bool:
    arrays = [x] + [a.data for a in s.args if isinstance(a, Leaf) and a.data.dtype.kind == "f"]
    return any(not np.isfinite(a).all() for a in arrays)


def _overflows(x: np.ndarray, s: Sample) -> bool:
    if _nonfinite(x, s):
        return True
    with np.errstate(all="ignore"):
        p = np.prod(np.abs(x.astype(np.float64)))
    return bool(x.size) and not (1e-30 < p < 1e-3 * float(np.finfo(x.dtype).max))


NONFINITE = (
    "a gradient at +-inf/nan inputs (or where a product overflows) of prod, cumprod, var, std, "
    "norm, erfc, einsum sums: the derivative formulas meet inf / inf, inf - inf or 0 * inf in "
    "a different order (nan on one side, inf or a number on the other); undefined there"
)


def _wide(x: np.ndarray, s: Sample) -> bool:
    a = np.abs(x[np.isfinite(x) & (x != 0)].astype(np.float64))
    return bool(a.size) and float(a.max()) > 1e4 * float(a.min())


TORCH_PROD_GRAD2 = Known(
    "grad2",
    _wide,
    "second derivative of prod/cumprod where entries differ widely in size (max/min > 1e4): "
    "torch differentiates its g * out / x, where d/dx_i (out / x_i) is two huge terms that "
    "cancel (residue ~ eps * out / x_i^2, up to 1e16 times the true value at |x| ~ 1e-30); "
    "ours is division-free and agrees with the exact rational value to ~1e-15 "
    "(tests/autograd/test_fuzz_findings.py)",
)
PRODUCTS = (*(Known(w, _overflows, NONFINITE) for w in ("grad", "grad2")), TORCH_PROD_GRAD2)
NONFINITE_ALL = tuple(Known(w, _nonfinite, NONFINITE) for w in ("value", "grad", "grad2"))
VAR_DEGENERATE = tuple(
    Known(w, lambda x, s: _nonfinite(x, s) or x.size <= 1 or min(x.shape) <= 1, NONFINITE)
    for w in ("grad", "grad2")
)


def _norm_powers_overflow(x: np.ndarray, s: Sample) -> bool:
    """Some nonzero entry whose powers under- or overflow x's dtype (float32 beyond 1e+-12,
    float64 beyond 1e+-100)."""
    big = 1e12 if x.dtype == np.float32 else 1e100
    with np.errstate(invalid="ignore"):
        return bool(np.any((x != 0) & ((np.abs(x) < 1 / big) | (np.abs(x) > big))))


NORM_ONE_ENTRY = Known(
    "grad",
    _norm_powers_overflow,
    "a norm over one entry is |x| on both sides; torch's p-norm backward x |x|**(p-2) / "
    "norm**(p-1) under- or overflows there (float32 |x| ~ 1e-30, float64 |x| ~ 1e-160) and "
    "gives nan or inf, ours sign(x)",
)
NORM_AT_ZERO = Known(
    "grad2",
    lambda x, s: _nonfinite(x, s) or bool(x.size and np.min(np.abs(x)) < 1e-6),
    "norms' second derivative at or near a zero vector (an entry below 1e-6): singular at 0, "
    "and near it the Hessian (I - u u^T) / |x| has terms ~ 1 / |x| whose rounding residue "
    "(eps / |x|, 2**-7 at |x| ~ 1e-15 where the exact value is 0) exceeds the fuzzer's scale; "
    "torch and ours leave different residues (the first derivatives agree)",
)
TIES = tuple(
    Known(
        w,
        lambda x, s: np.unique(x).size < x.size,
        "topk among equal values: which tied element torch returns (and sends the gradient "
        "to) is unspecified and kernel-dependent; ours takes the first in order",
    )
    for w in ("value", "grad")
)
EXTREMUM_NAN = Known(
    "grad",
    _nonfinite,
    "maximum/minimum where an input is nan: torch passes the gradient to both inputs (its "
    "masks test a < b, false for nan), ours to one",
)
PRELU_NAN = tuple(
    Known(
        w,
        _nonfinite,
        "prelu at nan or +inf: torch's backward takes the weight branch for x and selects "
        "(where) for the weight; ours multiplies by a mask (nan * 0, inf * 0 = nan)",
    )
    for w in ("grad", "grad2")
)
LERP_INF = Known(
    "value",
    _nonfinite,
    "lerp with infinite ends or weights: torch switches to end - (end - start) (1 - w) for "
    "w >= 0.5, ours is start + w (end - start); with infinities one gives nan, the other inf",
)
HISTOGRAM_EDGE = Known(
    "value",
    lambda x, s: x.size <= 1,
    "histogram of one value v (range [v - 0.5, v + 0.5], v on the middle edge): torch "
    "computes the bin as (v - min) * bins / (max - min) in float32, which rounds below 2 and "
    "picks bin 1; ours compares with the edges (bin 2, as the edges say)",
)
EMPTY_INDEX = Known(
    "raises",
    lambda x, s: x.size == 0 or (x.ndim > 0 and x.shape[0] <= 1),
    "out-of-range indices where the result has no elements (e.g. x[1:, [0, 0, 2]] of a (1, 2) "
    "tensor): torch reads nothing and does not check; ours checks the indices always",
)
EMPTY_1D_CAT = Known(
    "raises",
    lambda x, s: x.shape == (0,),
    "cat (and hstack, a cat) with a 1-d empty tensor: torch's legacy rule skips it whatever "
    "the other shapes; ours requires matching dims",
)
EMPTY_ROLL = Known(
    "raises",
    lambda x, s: x.size == 0,
    "roll of an empty tensor with out-of-range dims: torch returns it without checking dims",
)
MT_0D = Known(
    "raises",
    lambda x, s: x.ndim == 0,
    "mT of a 0-d tensor: torch returns it (deprecated, with a warning); ours refuses",
)


def _top(a: np.ndarray) -> float:
    return float(np.max(np.abs(a[np.isfinite(a)]), initial=0.0))


def _other_tops(s: Sample) -> list[float]:
    return [_top(a.data) for a in s.args if isinstance(a, Leaf) and a.data.dtype.kind == "f"]


def _near_max(x: np.ndarray, s: Sample) -> bool:
    top = max([_top(x), *_other_tops(s)])
    return x.dtype.kind == "f" and top > 1e-3 * float(np.finfo(x.dtype).max)


def _product_overflows(x: np.ndarray, s: Sample) -> bool:
    top = _top(x) * max([1.0, *_other_tops(s)])
    return x.dtype.kind == "f" and top > 1e-3 * float(np.finfo(x.dtype).max)


MATMUL_FMA = tuple(
    Known(
        w,
        lambda x, s: _nonfinite(x, s) and _product_overflows(x, s),
        "matmul where a product overflows next to an infinity (e.g. -1e308 * 2 beside "
        "-inf * -20): BLAS kernels with fused multiply-add keep the overflowing product "
        "finite inside the sum (inf + -2e308 = inf, the exact sum), others round it to -inf "
        "first (inf - inf = nan); numpy picks its kernel by shape (3 rows: inf, 1 row: nan)",
    )
    for w in ("value", "grad", "grad2")
)
SORT_TIES = tuple(
    Known(
        w,
        lambda x, s: np.unique(x).size < x.size,
        "sort among equal values (stable=False): torch's order of tied elements (and so which "
        "of them each sorted slot's gradient goes to) is unspecified and kernel-dependent; "
        "ours keeps them in order",
    )
    for w in ("value", "grad")
)
VIEW_STRIDES = Known(
    "raises",
    lambda x, s: not x.flags["C_CONTIGUOUS"],
    "view of a tensor whose layout is not row-major (after transpose/permute): torch raises "
    "(sizes incompatible with the strides); ours has no strides and views it as reshape does",
)
OVERFLOW_ORDER = Known(
    "grad",
    _near_max,
    "a gradient near the dtype's max (entries within 1e-3 of it): torch's mse_loss backward "
    "forms 2 (x - t) first and overflows to inf; ours scales by g first and stays finite "
    "(exact: 2 (x - t) g)",
)

EMPTY_DIM_UNCHECKED = Known(
    "raises",
    lambda x, s: x.size == 0,
    "cummax/cummin of an empty tensor with an out-of-range dim: torch returns it without "
    "checking the dim; ours refuses",
)
KRON_STRIDES = Known(
    "raises",
    lambda x, s: not x.flags["C_CONTIGUOUS"],
    "kron of a tensor whose layout is not row-major (after transpose/permute): torch's kron "
    "views its input and raises on the strides; ours has no strides",
)
SORTED_NAN = Known(
    "value",
    lambda x, s: bool(np.isnan(x).any()),
    "searchsorted in a sequence holding nan: nan breaks the order the binary search needs "
    "(torch and numpy compare against it differently); undefined for an unsorted sequence",
)
BOUNDARIES_NAN = Known(
    "value",
    lambda x, s: bool(np.isnan(s.args[0].data).any()),
    SORTED_NAN.reason,
)


def _tied(x: np.ndarray, s: Sample) -> bool:
    """Equal entries, counting nan as equal to nan (torch sorts them together)."""
    return np.unique(x).size < x.size or int(np.isnan(x).sum()) > 1


ORDER_TIES = tuple(
    Known(
        w,
        _tied,
        "kthvalue/quantile among equal values (or several nan): which of the tied entries "
        "torch picks (its index, and where the gradient goes) is unspecified and "
        "kernel-dependent; ours takes the first in a stable order",
    )
    for w in ("value", "grad")
)


def _mode_tie(x: np.ndarray, s: Sample) -> bool:
    """Some row of floor(x) holds a nan or has two or more values sharing the highest count."""
    rows = np.floor(x).reshape(-1, x.shape[-1]) if x.ndim else np.floor(x).reshape(1, 1)
    if np.isnan(rows).any():
        return True
    for row in rows:
        counts = np.unique(row, return_counts=True, equal_nan=False)[1]
        if counts.size and (counts == counts.max()).sum() > 1:
            return True
    return False


MODE_TIES = Known(
    "value",
    _mode_tie,
    "mode where several values are equally frequent, or of a row holding nan: torch's "
    "documentation does not say which value or position it returns (it gives the smallest "
    "or the largest depending on the counts; with a nan in the row, often the position of "
    "another value); ours the smallest, at its last position, each nan counted alone",
)
NANMEAN_ALL_NAN = Known(
    "grad",
    _has(np.isnan),
    "nanmean's gradient where a slice is all nan: torch's backward multiplies its 1 / 0 by "
    "the not-nan mask (nan); ours selects (0): nan entries take no part in nanmean",
)


def _near_poles(x: np.ndarray, s: Sample) -> bool:
    """Entries at, or within float32 rounding of, a pole of gamma (0, -1, -2, ...)."""
    with np.errstate(invalid="ignore"):
        near = (x <= 0) & (np.abs(x - np.round(x)) <= 1e-3 * np.maximum(1.0, np.abs(x)))
        return _nonfinite(x, s) or bool(np.any(near))


GAMMA_POLES = tuple(
    Known(
        w,
        _near_poles,
        "lgamma/digamma/polygamma at or next to a pole (a non-positive integer): ours is "
        "+-inf or nan there, torch's series gives huge finite values (e.g. -9.4e31) or 0",
    )
    for w in ("value", "grad", "grad2")
)
NORM_GRAD_AT_ZERO = Known(
    "grad",
    lambda x, s: bool(x.size and np.min(np.abs(x)) == 0),
    "a p-norm's gradient over a zero vector: torch's x |x|^(p-2) / ||x||^(p-1) is 0 / 0 = nan, "
    "ours the subgradient 0",
)


I1E_NEAR_ZERO = Known(
    "grad2",
    lambda x, s: bool(np.any((np.abs(x) < 1e-6) & (x != 0))),
    "i1e's second derivative near 0 (|x| < 1e-6): i1e(x) / x cancels there; torch and ours "
    "keep different rounding residues (torch's is -0.99999809 at 1e-10 where -1 is exact)",
)
COPYSIGN_GRAD2 = Known(
    "grad2",
    lambda x, s: bool(np.any((np.abs(x) < _SELF_DIV_SMALL.get(x.dtype, 0.0)) | ~np.isfinite(x))),
    "copysign's second derivative where a is 0, tiny or +-inf: torch's backward is "
    "grad * (result / a) masked to 0 where a == 0, and differentiating that quotient gives "
    "0 / 0 (nan) at 0, inf / inf at +-inf and a rounding residue over a (2**43 at 1e-30) "
    "where a is tiny; the derivative +-1 is locally constant, so the second derivative is 0 "
    "(ours)",
)


def _tiny_anywhere(x: np.ndarray, s: Sample) -> bool:
    """Some nonzero entry of x or of a tensor argument below the self-division threshold."""
    small = _SELF_DIV_SMALL.get(x.dtype, 0.0)
    arrays = [x] + [a.data for a in s.args if isinstance(a, Leaf)]
    return any(bool(np.any((np.abs(a) < small) & (a != 0))) for a in arrays)


PROD_TINY_GRAD2 = Known(
    "grad2",
    _tiny_anywhere,
    "scatter_reduce(prod)'s second derivatives with a tiny factor: both backward rules divide "
    "the product by the factor (result / x), and differentiating that quotient leaves a "
    "rounding residue of about eps / |x| (2**44 at 1e-30) that lands on either side",
)
_BESSEL_F32 = (
    "i0/i1 in float32 past |x| = 88.72: torch's float32 kernel computes e^|x| in float32, "
    "which overflows, so its value is +-inf and its gradient nan (inf - inf) where the true "
    "values (up to ~3e38 at |x| ~ 91.9) are finite; ours computes in float64 and rounds"
)
BESSEL_F32_OVERFLOW = tuple(
    Known(
        what, lambda x, s: x.dtype == np.float32 and bool(np.any(np.abs(x) > 88.72)), _BESSEL_F32
    )  # fmt: skip
    for what in ("value", "grad", "grad2")
)
# (run 37) pi * x overflows past max / pi; every float beyond 2**24 (float32) is an integer,
# where sinc is exactly 0, so both sides' sin(pi x) there is rounding noise anyway
SINC_HUGE = tuple(
    Known(
        w,
        _has(lambda x: np.abs(x) > np.finfo(x.dtype).max / 4),
        "sinc where pi * x overflows the dtype (|x| > 1.08e38 in float32): torch's sin(inf) "
        "is nan, ours (computed in float64) a number of order 1e-39; the exact value is 0 "
        "(x is an integer there)",
    )
    for w in ("value", "grad")
)
SINC_NEAR_ZERO = Known(
    "grad2",
    lambda x, s: bool(np.any(np.abs(x) < 1e-3)),
    "sinc's derivatives near 0: torch's (cos(pi x) - sinc(x)) / x cancels there (nan at 0, "
    "-9.87 for -3.29 at 1e-300); ours switches to the Taylor series below |x| = 1e-3",
)
SINC_NEAR_ZERO_F32 = Known(
    "grad",
    lambda x, s: bool(np.any((x != 0) & (np.abs(x) < (1e-2 if x.dtype == np.float32 else 1e-6)))),
    "sinc's derivative near 0: torch's (cos(pi x) - sinc(x)) / x cancels (float32: 0 for "
    "-3.29e-5 at x = 1e-5, an error of 2e-5 up to |x| ~ 3e-3; float64: 0 for 2.4e-9 at "
    "x = -7e-10, errors above 1e-10 below |x| ~ 1e-6); ours is exact",
)
TENSORDOT_BROADCAST = Known(
    "raises",
    lambda x, s: True,
    "tensordot with contracted dims of different sizes where one is 1: torch broadcasts the "
    "size-1 dim (undocumented), ours refuses the mismatch naming both sizes",
)
TRIGAMMA = Known(
    "grad",
    lambda x, s: True,
    "digamma's gradient is trigamma, which torch computes to ~5e-10 relative (ours to 1e-15 "
    "against mpmath); the catalogue checks it at rtol 1e-9, the fuzzer's end-to-end scale "
    "is tighter",
)
LOGADDEXP_GRAD2 = Known(
    "grad2",
    lambda x, s: True,
    "logaddexp's second derivative: torch's double backward gives nan at some finite points "
    "(seen with inputs in [-5, 5]); ours is the analytic -sigmoid(a - b) sigmoid(b - a) form",
)
LOG_NDTR_TAIL = Known(
    "grad",
    lambda x, s: x.dtype == np.float32 and bool(np.any(x < -20)),
    "log_ndtr's float32 gradient in the far lower tail: torch's loses accuracy (1189 for "
    "1299 at x = -1299); ours is computed in float64 and rounded once",
)
BLOCK_DIAG_EMPTY = Known(
    "grad",
    lambda x, s: x.size == 0 or any(isinstance(a, Leaf) and a.data.size == 0 for a in s.args),
    "block_diag with an empty 1-d input (a (1, 0) block): torch's backward reads the other "
    "blocks' gradients one row up (they disagree with its own forward); ours follow it",
)


def _renorm_zero_slice(dim: int) -> Known:
    """renorm (along ``dim``) of an input with an all-zero slice, or nan/inf."""

    def when(x: np.ndarray, s: Sample) -> bool:
        if _nonfinite(x, s):
            return True
        if x.ndim < 2 or x.size == 0:
            return False
        slices = np.moveaxis(x, dim, 0).reshape(x.shape[dim], -1)
        return bool(np.any(np.all(slices == 0, axis=1)))

    return Known(
        "grad2",
        when,
        "renorm's second derivative on a zero slice (left alone: the identity, so 0): torch's "
        "double backward goes through the slice's norm at 0 and gives nan",
    )


def _renorm_at_maxnorm(p: float, dim: int, maxnorm: float) -> tuple[Known, ...]:
    """renorm (``p``-norm along ``dim``) of an input with a slice whose norm is within 64
    ulps of ``maxnorm``."""

    def when(x: np.ndarray, s: Sample) -> bool:
        if x.ndim < 2 or x.size == 0:
            return False
        with np.errstate(all="ignore"):
            slices = np.abs(np.moveaxis(x, dim, 0).reshape(x.shape[dim], -1).astype(np.float64))
            norms = np.sum(slices**p, axis=1) ** (1 / p)
        return bool(np.any(np.abs(norms - maxnorm) <= 64 * np.finfo(x.dtype).eps * maxnorm))

    reason = (
        "renorm of a slice whose norm is maxnorm to rounding: whether it is scaled (by "
        "maxnorm / (norm + 1e-7), a projection's gradient) or left alone (the identity's) "
        "turns on the last bit of the norm, which torch (summing in float32) and ours (float64, "
        "rounded once) round differently (seen at p = 1: ours 2.0, torch 2.0000002)"
    )
    return tuple(Known(w, when, reason) for w in ("value", "grad", "grad2"))


_QR_TINY_PIVOT = Known(
    "grad",
    _has(lambda x: (x != 0) & (np.abs(x) < 1e-20)),
    "QR's gradient with a pivot near 1e-30: (gQ + Q M) R^-1 cancels to rounding and divides "
    "by the pivot; torch and ours round that cancellation differently",
)


def _matrix_exp_overflow(scale: float) -> tuple[Known, ...]:
    """matrix_exp of ``scale`` * x where the exponential may overflow (a row sum of |A| past
    half the log of the dtype's largest value), or of nan/inf."""

    def when(x: np.ndarray, s: Sample) -> bool:
        rows = scale * np.abs(x.astype(np.float64)).sum(axis=-1)
        return _nonfinite(x, s) or float(rows.max(initial=0.0)) > np.log(np.finfo(x.dtype).max) / 2

    reason = (
        "matrix_exp whose exponential overflows (or of nan/inf): the scaling-and-squaring steps "
        "meet inf - inf in a different order (inf on one side, nan on the other)"
    )
    return tuple(Known(w, when, reason) for w in ("value", "grad", "grad2"))


def _vander_overflow(n: int | None) -> tuple[Known, ...]:
    """vander with ``n`` columns (None: as many as x's last dim) where the last column's
    power x ** (n - 1) overflows."""

    def when(x: np.ndarray, s: Sample) -> bool:
        cols = x.shape[-1] if n is None else n
        with np.errstate(all="ignore"):
            top = np.abs(x.astype(np.float64)) ** max(cols - 1, 0)
        return _nonfinite(x, s) or bool(np.any(top > 1e-3 * float(np.finfo(x.dtype).max)))

    reason = (
        "vander where x ** (N - 1) overflows (the value is inf there on both sides): torch's "
        "cumprod backward multiplies by that inf (inf gradient); ours is the finite "
        "(N - 1) x ** (N - 2) (8.6e35 at x = 6e11, N = 5, in float32)"
    )
    return tuple(Known(w, when, reason) for w in ("grad", "grad2"))


VANDER_FAR_FROM_ONE = Known(
    "grad2",
    _has(lambda x: (x != 0) & ((np.abs(x) < 1e-4) | (np.abs(x) > 1e4))),
    "vander's second derivative where |x| is far from 1: torch's vander is the cumprod of "
    "[1, x, ..., x], so TORCH_PROD_GRAD2's cancellation applies (torch off by a factor 2 at "
    "x = 1e-30, ours exact)",
)


# torch's logcumsumexp backward loses about eps * |x| (float32: 1e-5 at |x| ~ 100, 1e-3 at
# 1e4; float64: 2e-10 at 1e6); ours is exact to rounding at any magnitude
LOGCUMSUMEXP_LARGE = tuple(
    Known(
        w,
        _has(lambda x: np.isfinite(x) & (np.abs(x) > (200.0 if x.dtype == np.float32 else 1e5))),
        "logcumsumexp's gradient at large |x|: torch's backward loses ~eps * |x| (in float32 "
        "[1e8, 1e8, 1e8 + 8] gives [1, 1, 1] for the exact [1.5, 0.5, 1.0]; float64 2e-4 "
        "at 1e12); ours agrees with the exact softmax weights to rounding",
    )
    for w in ("grad", "grad2", "end_to_end")
)


def _nonzero_integer(x: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        return (x != 0) & (np.floor(x) == x)


SINC_AT_INTEGERS = (
    "sinc at a nonzero integer is exactly 0; each side leaves its rounding residue (ours ~1e-17 "
    "computed in float64, torch ~3e-8 in float32) and a later log or division turns the two "
    "residues into unrelated numbers (log2(sinc(2)): nan on one side)"
)


def _renorm_overflow(p: float) -> tuple[Known, ...]:
    """renorm with the ``p``-th power of some entry beyond the dtype's range."""
    when = _has(lambda x: np.abs(x.astype(np.float64)) ** p > np.finfo(x.dtype).max / 16)
    reason = (
        "renorm where |x| ** p overflows the dtype (the slice's norm is inf, so it is scaled to "
        "0): the norm's gradient meets inf / inf or 0 * inf in a different order (nan vs inf)"
    )
    return tuple(Known(w, when, reason) for w in ("grad", "grad2"))


_FOUND: dict[str, tuple] = {
    **{n: MATMUL_FMA for n in ("mm", "matmul", "rmatmul", "linalg_matmul")},
    # (torch's vander is a cumprod, whose backward meets inf / inf where ours multiplies;
    # and where the last column x ** (N - 1) overflows, inf * 0 or an inf where ours is finite)
    "linalg_vander": (*PRODUCTS, *_vander_overflow(None)),
    "linalg_vander_n": (*PRODUCTS, *_vander_overflow(5)),
    **{n: NONFINITE_ALL for n in ("linalg_multi_dot", "linalg_multi_dot_matrices")},
    **{n: NONFINITE_ALL for n in ("linalg_vecdot", "linalg_vecdot_dim")},
    **{n: SORT_TIES for n in ("sort_values", "sort_desc", "sort_indices", "argsort", "msort")},
    **{n: (VIEW_STRIDES,) for n in ("view", "view_as")},
    "mse_loss": (OVERFLOW_ORDER,),
    **{n: PRODUCTS for n in ("prod_all", "prod_dim", "prod_dim_keep", "prod_with_zero")},
    **{n: PRODUCTS for n in ("cumprod", "cumprod_with_zero")},
    **{
        n: VAR_DEGENERATE
        for n in (
            "var_default_unbiased",
            "var_dim",
            "var_correction0",
            "var_unbiased_false",
            "std_default",
            "std_dim",
        )
    },
    # torch's var_mean/std_mean take one Welford pass: with infinite entries its mean is nan
    # where the plain mean (ours, and torch's own mean()) is +-inf
    **{n: (*NONFINITE_ALL, *VAR_DEGENERATE) for n in ("var_mean", "std_mean")},
    **{n: (*NONFINITE_ALL, NORM_AT_ZERO) for n in ("norm_fro", "norm_1_dim")},
    "norm_3_dim": (*NONFINITE_ALL, NORM_AT_ZERO, NORM_ONE_ENTRY),
    "norm_inf": NONFINITE_ALL,
    "erfc": NONFINITE_ALL,
    "remainder_tensor": NONFINITE_ALL,
    **{n: NONFINITE_ALL for n in ("einsum_sum_out", "einsum_matmul", "einsum_ellipsis")},
    **{n: TIES for n in ("topk_values", "topk_smallest", "topk_indices")},
    **{n: (EXTREMUM_NAN,) for n in ("maximum", "minimum", "max_binary")},
    "prelu": (
        *PRELU_NAN,
        Known(
            "grad2",
            _has(lambda x: x == 0),
            "prelu's mixed second derivative at x == 0: torch's first derivative there is the "
            "weight (so d/dw of it is 1) but its double backward gives 0; ours 1, consistent",
        ),
    ),
    "lerp_tensor_weight": (LERP_INF,),
    "histogram": (
        HISTOGRAM_EDGE,
        Known(
            "raises",
            lambda x, s: _near_max(x, s),
            "histogram of values whose range collapses near the dtype's max (x +- 0.5 rounds "
            "to x in float32 at 3e38): torch returns equal bin edges; ours (numpy's edges) "
            "refuses to make finite-sized bins",
        ),
    ),
    **{
        n: (EMPTY_INDEX,)
        for n in (
            "index_int_list_repeats",
            "index_slice_then_array",
            "index_tensor",
            "index_two_arrays_broadcast",
            "index_range",
        )
    },
    **{n: (EMPTY_1D_CAT,) for n in ("cat", "concat_dim", "concatenate", "hstack")},
    **{n: (EMPTY_ROLL,) for n in ("roll", "roll_flat", "roll_dims")},
    "mT": (MT_0D,),
    "clip_tensor_bounds": (
        Known(
            "grad",
            lambda x, s: bool(np.any(s.args[0].data + 1.5 == s.args[0].data)),
            "clamp with min == max (here lo + 1.5 == lo: lo infinite or huge): torch sends "
            "the gradient to neither bound (its masks test min < max); ours to min, since "
            "clamp(x, c, c) = c",
        ),
    ),
    "take_along_dim": (
        Known(
            "raises",
            lambda x, s: True,
            "take_along_dim with an index past the dim: torch (CPU) does not check and reads "
            "out-of-range memory; ours raises (gather's check)",
        ),
    ),
    **{n: (POW_GRAD2, POW_ZERO_EXPONENT) for n in ("pow_tensor", "float_power")},
    # seventh run (the special functions and scatter_reduce)
    **{
        n: GAMMA_POLES
        for n in (
            "lgamma",
            "lgamma_negative",
            "polygamma_1",
            "polygamma_3_method",
            "special_gammaln",
            "special_polygamma",
        )
    },
    # run 32: nan/inf scores meet the kernels' own subgradient rules (torch's pdist spreads
    # nan through sign(), its dist(p=inf) compares |diff| == max and gives 0)
    **{n: NONFINITE_ALL for n in ("torch_pdist_p1", "torch_pdist_inf", "dist_inf")},
    "matrix_exp": _matrix_exp_overflow(1.0),
    "matrix_exp_large": _matrix_exp_overflow(4.0),
    # (and at nan, where a norm over one entry's gradient is sign(x), 0 at nan in ours;
    # torch's x / |x| is nan: the vector norms' NONFINITE above, seen in run 36)
    **{
        n: (*NONFINITE_ALL, NORM_AT_ZERO, NORM_GRAD_AT_ZERO)
        for n in ("linalg_matrix_norm_fro", "linalg_matrix_norm_fro_dims")
    },
    # run 34
    "logit_eps_method": (
        Known(
            "grad",
            _NAN,
            "torch's logit(eps) gradient at nan is 0 or nan by length (its "
            "vectorised kernel and its scalar tail differ); ours is 0",
        ),
    ),  # fmt: skip
    "renorm": (_renorm_zero_slice(0), *_renorm_at_maxnorm(2, 0, 1.2)),
    "renorm_": (_renorm_zero_slice(1), *_renorm_at_maxnorm(3, 1, 1.0)),
    "renorm_p1_dim": (_renorm_zero_slice(-1), *_renorm_at_maxnorm(1, -1, 2.0)),
    **{n: (_QR_TINY_PIVOT,) for n in ("linalg_qr", "linalg_qr_wide_complete")},
    "erf": (Known("grad2", _nonfinite, NONFINITE),),
    "linalg_matrix_norm_2_dims": (NORM_GRAD_AT_ZERO,),
    "index_fill_tensor_value": (_EMPTY_INDEX_FILL,),
    "dist_p3": tuple(
        Known(
            w,
            lambda x, s: (
                _nonfinite(x, s)
                or bool(np.any(np.broadcast_arrays(x, s.args[0].data)[0] == s.args[0].data))
            ),
            "a p-norm's gradient at a zero difference: torch's 0 / 0 is nan, ours the "
            "subgradient 0",
        )
        for w in ("grad", "grad2")
    ),
    # run 35
    **{
        n: (
            Known(
                "grad",
                _NAN,
                "torch's hardshrink gradient at nan is 1 or 0 by length (its "
                "vectorised kernel and its scalar tail differ); ours is 1",
            ),
        )
        for n in ("torch_hardshrink_method", "torch_hardshrink")  # (the function: run 37)
    },
    "tensordot_size1": (
        Known(
            "value",
            lambda x, s: not np.isfinite(x).all(),
            "a size-1 contracted dim broadcast against b's: torch sums b's entries first (inf "
            "times their sum), ours sums the products (inf - inf: nan)",
        ),
    ),
    "torch_adaptive_avg_pool1d": (
        Known(
            "grad_raises",
            lambda x, s: x.size == 0,
            "torch's adaptive_avg_pool1d of an input with an empty channel dim: its forward "
            "gives the empty result, its backward refuses it; ours gives the empty gradient",
        ),
    ),  # fmt: skip
    "torch_channel_shuffle": (
        Known(
            "grad_raises",
            lambda x, s: x.size == 0,
            "torch's channel_shuffle backward on an empty input asks for 0 groups and refuses",
        ),
    ),  # fmt: skip
    **{
        n: (Known("raises", lambda x, s: x.size == 0, _EMPTY_UNCHECKED),)
        for n in ("trapezoid", "trapz", "index_put__function")
    },
    # run 36 (longer)
    "addr": (
        Known(
            "grad_raises",
            lambda x, s: any(isinstance(a, Leaf) and a.data.dtype != x.dtype for a in s.args),
            "torch's addr promotes mixed dtypes forward but its backward "
            "calls addmv, which refuses them",
        ),
    ),  # fmt: skip
    "index_fill": (_EMPTY_INDEX_FILL,),
    "torch_pixel_unshuffle": (
        Known(
            "shape",
            lambda x, s: x.size == 0,
            "torch's pixel_unshuffle returns an empty "
            "input's shape unchanged; ours gives the unshuffled shape",
        ),
    ),  # fmt: skip
    # multigammaln(x, 3) sums lgamma(x - j / 2), j = 0, 1, 2: poles at x = 0, 0.5, 1, ...
    "special_multigammaln": tuple(
        Known(
            k.what,
            lambda x, s: any(_near_poles(x - j / 2, s) for j in range(3)),
            k.reason,
        )
        for k in GAMMA_POLES
    ),
    # i0/i1 at +-inf: ours +-inf (the limit), torch nan
    **{n: NONFINITE_ALL for n in ("special_i0e", "special_i1e")},
    **{n: (*NONFINITE_ALL, *BESSEL_F32_OVERFLOW) for n in ("i0", "special_i0", "special_i1")},
    "linalg_norm_vector": (*NONFINITE_ALL, NORM_AT_ZERO, NORM_ONE_ENTRY, NORM_GRAD_AT_ZERO),
    # (the Frobenius norm of a zero matrix: torch's double backward gives nan, ours 0)
    "linalg_norm_matrix": (NORM_AT_ZERO,),
    **{n: (SINC_NEAR_ZERO, SINC_NEAR_ZERO_F32, *SINC_HUGE) for n in ("sinc", "special_sinc")},
    "tensordot_int": (
        TENSORDOT_BROADCAST,
        Known(
            "value",
            lambda x, s: x.shape[-1:] == (1,) and not np.isfinite(x).all(),
            "a size-1 contracted dim broadcast against b's: torch sums b's entries first (inf "
            "times their sum), ours sums the products (inf - inf: nan)",
        ),
    ),
    **{n: (*NONFINITE_ALL, LOGADDEXP_GRAD2) for n in ("logaddexp", "logaddexp2")},
    **{
        n: (*GAMMA_POLES, TRIGAMMA)
        for n in ("digamma", "digamma_negative", "special_digamma", "special_psi")
    },
    "special_log_ndtr": (*NONFINITE_ALL, LOG_NDTR_TAIL),
    "special_i1e": (*NONFINITE_ALL, I1E_NEAR_ZERO),
    "block_diag": (BLOCK_DIAG_EMPTY,),
    # eighth run (the configuration fuzzer's session)
    "copysign": (COPYSIGN_GRAD2,),
    **{
        n: (*NONFINITE_ALL, PROD_TINY_GRAD2)
        for n in ("scatter_reduce_prod", "scatter_reduce_prod_no_self")
    },
    # sixth run (the searching, scan and order-statistic ops, linalg on arbitrary inputs)
    **{n: (EMPTY_DIM_UNCHECKED,) for n in ("cummax_values", "cummin_values", "cummax_indices")},
    "kron": (KRON_STRIDES,),
    **{n: (SORTED_NAN,) for n in ("searchsorted", "searchsorted_side")},
    "bucketize": (BOUNDARIES_NAN,),
    **{
        n: ORDER_TIES
        for n in (
            "kthvalue",
            "kthvalue_indices",
            "quantile",
            "quantile_all",
            "quantile_midpoint",
            "nanquantile",
        )
    },
    **{n: (MODE_TIES,) for n in ("mode", "mode_indices")},
    "nansum_nanmean": (NANMEAN_ALL_NAN,),
    **{
        n: (*NONFINITE_ALL, NORM_AT_ZERO, NORM_ONE_ENTRY)
        for n in ("linalg_norm_flat", "linalg_vector_norm", "linalg_vector_norm_dim")
    },
    "linalg_vector_norm_inf": NONFINITE_ALL,
    **{
        n: tuple(k for k in NONFINITE_ALL if k.what != "value")
        for n in ("logcumsumexp", "logcumsumexp_spread")
    },
}
# searching, scans, order statistics and more shape ops
op(
    "searchsorted",
    lambda L, s, v: L.searchsorted(L.sort(s, -1).values, v, right=True),
    U((2, 6)),
    U((2, 3)),
    grad=False,
)
op(
    "searchsorted_side",
    lambda L, s, v: L.searchsorted(L.sort(s).values, v, side="left"),
    U((6,)),
    U(S),
    grad=False,
)
op(
    "bucketize",
    lambda L, x, b: L.bucketize(x, L.sort(b).values, right=False),
    U(S),
    U((5,)),
    grad=False,
)
op("isin", lambda L, x, t: L.isin(x, t), INT(S, 0, 6), INT((4,), 0, 6), grad=False, dtypes=INTS)
op(
    "isin_invert",
    lambda L, x, t: L.isin(x, t, invert=True),
    INT(S, 0, 6),
    INT((2, 2), 0, 6),
    grad=False,
    dtypes=INTS,
)
op("isin_scalar_test", lambda L, x: L.isin(x, 3), INT(S, 0, 6), grad=False, dtypes=INTS)
op(
    "isin_float",
    lambda L, x, t: L.isin(x.round(), t.round()),
    U(S, -3, 3),
    U((5,), -3, 3),
    grad=False,
)
op("cummax_values", lambda L, x: L.cummax(x, 1).values, DISTINCT(S3))
op("cummin_values", lambda L, x: x.cummin(-1)[0], DISTINCT(S3))
op("cummax_indices", lambda L, x: x.cummax(0).indices, DISTINCT(S3), grad=False)
op("logcumsumexp", lambda L, x: L.logcumsumexp(x, 1), U(S3))
op("logcumsumexp_spread", lambda L, x: x.logcumsumexp(-1), U((3, 6), -300, 300))
op("quantile", lambda L, x: L.quantile(x, 0.3, dim=1), DISTINCT(S3))
op("quantile_all", lambda L, x: x.quantile(L.tensor([0.25, 0.6]).type_as(x)), DISTINCT(S))
op(
    "quantile_midpoint",
    lambda L, x: L.quantile(x, 0.4, 0, True, interpolation="midpoint"),
    DISTINCT(S3),
)
op("nanquantile", lambda L, x: L.nanquantile(x, 0.7, dim=-1, interpolation="lower"), DISTINCT(S3))
op("kthvalue", lambda L, x: L.kthvalue(x, 2, 1).values, DISTINCT(S3))
op("kthvalue_indices", lambda L, x: x.kthvalue(3).indices, DISTINCT(S3), grad=False)
op("mode", lambda L, x: L.mode(L.floor(x), 1).values, FRACTIONAL((3, 8)), grad=False)
op("mode_indices", lambda L, x: x.floor().mode().indices, FRACTIONAL((3, 8)), grad=False)
op("fmod", lambda L, a, b: L.fmod(a, b), FRACTIONAL(S), AWAY(S, 0.7, 1.3), kinked=True)
op("fmod_scalar", lambda L, a: a.fmod(1.5), FRACTIONAL(S), kinked=True)
op("rot90", lambda L, x: L.rot90(x, 1, (0, 2)), U(S3))
op("rot90_method", lambda L, x: x.rot90(-1), U(S3))
op("kron", lambda L, a, b: L.kron(a, b), U((2, 3)), U((2, 1, 2)))
op("cross", lambda L, a, b: L.cross(a, b, dim=1), U((2, 3)), U((2, 3)))
op("cross_method", lambda L, a, b: a.cross(b, dim=0), U((3, 2)), U((3, 1)))
op("cartesian_prod", lambda L, a, b: L.cartesian_prod(a, b), U((3,)), U((2,)))
op("broadcast_tensors", lambda L, a, b: L.stack(L.broadcast_tensors(a, b)), U((3, 1)), U((4,)))
op("column_stack", lambda L, a, b: L.column_stack([a, b]), U((3,)), U((3, 2)))
op("dstack", lambda L, a, b: L.dstack([a, b]), U((3,)), U((3,)))
op("atleast_1d", lambda L, a: L.atleast_1d(a.sum()), U(S))
op("atleast_2d", lambda L, a, b: L.cat(L.atleast_2d(a, b)), U((4,)), U((2, 4)))
op("atleast_3d", lambda L, a: L.atleast_3d(a), U(S))
op("block_diag", lambda L, a, b, c: L.block_diag(a, b, c.sum()), U((2, 3)), U((3,)), U((2,)))
op(
    "baddbmm",
    lambda L, i, a, b: L.baddbmm(i, a, b, beta=0.5, alpha=2.0),
    U((2, 3, 5)),
    U((2, 3, 4)),
    U((2, 4, 5)),
)
op("baddbmm_method", lambda L, i, a, b: i.baddbmm(a, b), U((3, 5)), U((2, 3, 4)), U((2, 4, 5)))
op(
    "unique_consecutive",
    lambda L, x: L.unique_consecutive(L.floor(x).reshape(-1), return_counts=True)[1],
    U((3, 8), -1, 1.9),
    grad=False,
)
op(
    "unique_consecutive_dim",
    lambda L, x: L.floor(x).unique_consecutive(dim=1),
    U((2, 8), 0, 1.9),
    grad=False,
)

# special functions (autograd.special / torch.special) and more products. torch's float64
# trigamma (digamma's derivative, polygamma(1)) is accurate to about 5e-10 relative (ours to
# 1e-15 against mpmath): those entries compare at rtol 1e-9.
_TRIGAMMA_TOL = {"rtol": 1e-9}
op("lgamma", lambda L, x: L.lgamma(x), U(S, 0.1, 6))
op("lgamma_negative", lambda L, x: x.lgamma(), FRACTIONAL(S, -4, 0))
op("digamma", lambda L, x: L.digamma(x), U(S, 0.1, 6), **_TRIGAMMA_TOL)
op("digamma_negative", lambda L, x: x.digamma(), FRACTIONAL(S, -4, 0), **_TRIGAMMA_TOL)
op(  # (torch's trigamma is good to ~5e-10 relative: the fuzzer's float64 scale is 1e-10)
    "polygamma_1", lambda L, x: L.polygamma(1, x), U(S, 0.2, 6), **_TRIGAMMA_TOL, fuzz_tol=10.0
)
op("polygamma_3_method", lambda L, x: x.polygamma(3), U(S, 0.5, 6))
op("erfinv", lambda L, x: L.erfinv(x), U(S, -0.95, 0.95))
op("i0", lambda L, x: L.i0(x), U(S, -25, 25))
op("sinc", lambda L, x: L.sinc(x), U(S, -3, 3))
op("logit", lambda L, x: L.logit(x), U(S, 0.05, 0.95))
op("logit_eps_method", lambda L, x: x.logit(eps=0.2), U(S, 0.05, 0.95), kinked=True)
op("xlogy", lambda L, x, y: L.xlogy(x, y), U(S), U(S, 0.2, 3))
op("xlogy_method_scalar", lambda L, y: y.xlogy(2.5), U(S, 0.2, 3))
op("logaddexp", lambda L, a, b: L.logaddexp(a, b), U(S, -5, 5), U((4,), -5, 5))
op("logaddexp2", lambda L, a, b: a.logaddexp2(b), U(S, -5, 5), U(S, -5, 5))
op("hypot", lambda L, a, b: L.hypot(a, b), AWAY(S), U((3, 1)))
op("copysign", lambda L, a, b: L.copysign(a, b), AWAY(S), AWAY(S), kinked=True)
op("signbit", lambda L, x: L.signbit(x), U(S), grad=False)
op("tensordot_int", lambda L, a, b: L.tensordot(a, b, dims=1), U(S3), U((4, 2)))
op("tensordot_lists", lambda L, a, b: L.tensordot(a, b, dims=([0, 2], [1, 0])), U(S3), U((4, 2, 5)))
op(  # a size-1 contracted dim broadcasts against the other's
    "tensordot_size1",
    lambda L, a, b: L.tensordot(a, b, dims=([0, 2], [1, 0])),
    U((2, 3, 1)),
    U((4, 2, 5)),
)
op("vdot", lambda L, a, b: L.vdot(a, b), U((5,)), U((5,)))
op("vdot_method", lambda L, a, b: a.vdot(b), U((4,)), U((4,)))
op(
    "addbmm",
    lambda L, i, a, b: L.addbmm(i, a, b, beta=0.5, alpha=2.0),
    U((3, 5)),
    U((2, 3, 4)),
    U((2, 4, 5)),
)
op("addbmm_method", lambda L, i, a, b: i.addbmm(a, b), U((5,)), U((2, 3, 4)), U((2, 4, 5)))
op("aminmax_min", lambda L, x: L.aminmax(x, dim=1).min, DISTINCT(S3))
op("aminmax_max", lambda L, x: x.aminmax(keepdim=True).max, DISTINCT(S3))
op("combinations", lambda L, x: L.combinations(x, 3), U((5,)))
op("combinations_repl", lambda L, x: L.combinations(x, with_replacement=True), U((4,)))
op("special_expit", lambda L, x: L.special.expit(x), U(S, -4, 4))
op("special_logit", lambda L, x: L.special.logit(x, eps=1e-3), U(S, 0.05, 0.95))
op("special_erf", lambda L, x: L.special.erf(x), U(S, -3, 3))
op("special_erfc", lambda L, x: L.special.erfc(x), U(S, -3, 5))
op("special_erfinv", lambda L, x: L.special.erfinv(x), U(S, -0.99, 0.99))
op("special_erfcx", lambda L, x: L.special.erfcx(x), U(S, -3, 8))
op("special_xlogy", lambda L, x, y: L.special.xlogy(x, y), U(S), U(S, 0.2, 3))
op("special_xlog1py", lambda L, x, y: L.special.xlog1py(x, y), U(S), U(S, -0.5, 3))
op("special_gammaln", lambda L, x: L.special.gammaln(x), U(S, 0.1, 30))
op("special_digamma", lambda L, x: L.special.digamma(x), U(S, 0.1, 30), **_TRIGAMMA_TOL)
op("special_psi", lambda L, x: L.special.psi(x), U(S, 0.1, 30), **_TRIGAMMA_TOL)
op("special_polygamma", lambda L, x: L.special.polygamma(2, x), U(S, 0.3, 8))
op("special_multigammaln", lambda L, x: L.special.multigammaln(x, 3), U(S, 1.5, 5))
op("special_i0", lambda L, x: L.special.i0(x), U(S, -5, 5))
op("special_i0e", lambda L, x: L.special.i0e(x), AWAY(S, 0.2, 30))
op("special_i1", lambda L, x: L.special.i1(x), U(S, -5, 5))
op("special_i1e", lambda L, x: L.special.i1e(x), AWAY(S, 0.2, 30))
op("special_sinc", lambda L, x: L.special.sinc(x), U(S, -3, 3))
op("special_entr", lambda L, x: L.special.entr(x), U(S, 0.05, 3))
op("special_ndtr", lambda L, x: L.special.ndtr(x), U(S, -6, 4))
op("special_ndtri", lambda L, x: L.special.ndtri(x), U(S, 0.01, 0.99))
op("special_log_ndtr", lambda L, x: L.special.log_ndtr(x), U(S, -20, 5))
op("special_log1p", lambda L, x: L.special.log1p(x), U(S, -0.5, 3))
op("special_expm1", lambda L, x: L.special.expm1(x), U(S), known=(EXPM1_TAIL,))
op("special_exp2", lambda L, x: L.special.exp2(x), U(S))
op("special_round", lambda L, x: L.special.round(x, decimals=1), U(S, 0.01, 0.04), grad=False)
op("special_softmax", lambda L, x: L.special.softmax(x, 1), U(S3))
op("special_log_softmax", lambda L, x: L.special.log_softmax(x, -1), U(S3))
op("special_logsumexp", lambda L, x: L.special.logsumexp(x, 1, keepdim=True), U(S3))
op("special_zeta", lambda L, q: L.special.zeta(3.0, q), U(S, 0.3, 4))

# more elementwise maths (autograd/elementwise_methods.py)
op("asinh", lambda L, x: L.asinh(x), U(S, -3, 3))
op("arcsinh_method", lambda L, x: x.arcsinh(), U(S, -3, 3))
op("acosh", lambda L, x: L.acosh(x), U(S, 1.2, 4))
op("arccosh_method", lambda L, x: x.arccosh(), U(S, 1.2, 4))
op("atanh", lambda L, x: L.atanh(x), U(S, -0.9, 0.9))
op("arctanh_function", lambda L, x: L.arctanh(x), U(S, -0.9, 0.9))
op("arcsinh_arccosh_functions", lambda L, x: L.arcsinh(x) + L.arccosh(x + 2), U(S, 0, 2))
op("absolute", lambda L, x: L.absolute(x), AWAY(S), kinked=True, known=(PIECEWISE_GRAD2,))
op("sgn", lambda L, x: L.sgn(x) * x, AWAY(S), kinked=True, known=(PIECEWISE_GRAD2,))
op("positive", lambda L, x: L.positive(x) * x.positive(), U(S))
op("deg2rad", lambda L, x: L.deg2rad(x), U(S, -180, 180))
op("rad2deg", lambda L, x: x.rad2deg(), U(S))
op("deg2rad_int", lambda L, x: L.deg2rad(L.floor(x * 30).long()), U(S), grad=False)
op("float_power", lambda L, a, b: L.float_power(a, b), U(S, 0.3, 2), U(S), dtypes=("float64",))
op("float_power_scalar_method", lambda L, a: a.float_power(3), U(S), dtypes=("float64",))
op(
    "float_power_int",
    lambda L, a: L.float_power(L.floor(a).long(), 2),
    U(S),
    grad=False,
    dtypes=("float64",),
)
op("fmax", lambda L, a, b: L.fmax(a, b), DISTINCT(S), DISTINCT(S), kinked=True)
op("fmin_method", lambda L, a, b: a.fmin(b), DISTINCT(S), DISTINCT((4,)), kinked=True)
op(
    "fmax_nan",
    lambda L, a, b: L.fmax(a.masked_fill(a > 1, float("nan")), b).nan_to_num(0.0),
    DISTINCT(S),
    DISTINCT(S),
    kinked=True,
)
op(
    "fmin_ties",
    lambda L, a: L.fmin(a, L.where(a > 0, a.detach(), a.detach() + 5)),
    AWAY(S),
    kinked=True,
)
op("heaviside", lambda L, x: L.heaviside(L.round(x), L.tensor(0.25).type_as(x)), U(S), grad=False)
op("heaviside_method", lambda L, x, v: L.round(x).heaviside(v), U(S), U((4,)), grad=False)
op("ldexp", lambda L, a, b: L.ldexp(a, b), U(S), U(S))
# (non-negative integer exponents: torch's backward takes 2 ** other in integer arithmetic,
# which is 0 for a negative one, while its forward gives the true value)
op(
    "ldexp_int_exponent",
    lambda L, a: a.ldexp(L.floor(a * 2).long()),
    FRACTIONAL(S, 0.2, 3),
    # (end to end too: a step whose other entries' gradients are huge, 2**40 at x = 20,
    # passes within that scale, but the chain after it can shrink them, as exp2(-log(.)))
    known=tuple(
        Known(
            w,
            lambda x, s: bool((~((np.floor(x * 2.0) >= 0) & (np.floor(x * 2.0) < 63))).any()),
            "torch's ldexp gradient takes 2 ** other in integer arithmetic: 0 for a negative "
            "exponent, overflowing past 62 (ours is the derivative, 2 ** other)",
        )
        for w in ("grad", "end_to_end")
    )
    + (
        Known(
            "value",
            lambda x, s: bool((~(np.abs(np.floor(x * 2.0)) < 2.0**62)).any()),
            "nan, inf or |2x| past int64 cast to long is undefined (INT64_MIN here); torch then "
            "truncates that exponent to 32 bits (0: x unchanged), ours clamps it (x * 2**-2**31)",
        ),
    ),
)
op("frexp_mantissa", lambda L, x: L.frexp(x).mantissa, AWAY(S, 0.1, 30))
op("frexp_exponent", lambda L, x: x.frexp()[1], AWAY(S, 0.1, 30), grad=False, dtypes=("float64",))
op("nextafter", lambda L, a, b: L.nextafter(a, b), U(S), U(S))
op("nextafter_promoted", lambda L, a, b: a.nextafter(b.double()), U(S), U(S), dtypes=("float64",))
op(
    "gcd",
    lambda L, a, b: L.gcd(L.floor(a).long(), L.floor(b).long()),
    U(S, -30, 30),
    U(S, -30, 30),
    grad=False,
)


def _long_above_min(L: Any, a: Any) -> Any:  # noqa: N803
    """floor(a) as int64 kept above INT64_MIN (inf, nan and huge values cast to it): torch's
    lcm divides by gcd(INT64_MIN, b), which is -1 for some odd b (7, 13...), and INT64_MIN / -1
    kills torch (SIGFPE), so the fuzzer must never draw it."""
    return L.floor(a).long().clamp(-(2**62), 2**62)


op(
    "lcm_method",
    lambda L, a, b: _long_above_min(L, a).lcm(_long_above_min(L, b)),
    U(S, -30, 30),
    U(S, -30, 30),
    grad=False,
)
op("bitwise_and", lambda L, a: L.bitwise_and(L.floor(a).long(), 6), U(S, -30, 30), grad=False)
op(
    "bitwise_or_method",
    lambda L, a, b: L.floor(a).long().bitwise_or(b > 0),
    U(S, -30, 30),
    U(S),
    grad=False,
)
op("bitwise_xor", lambda L, a, b: L.bitwise_xor(a > 0, b > 0), U(S), U(S), grad=False)
op("bitwise_not", lambda L, a: L.bitwise_not(L.floor(a).long()), U(S, -30, 30), grad=False)
op("bitwise_not_bool", lambda L, a: (a > 0).bitwise_not(), U(S), grad=False)
op(
    "bitwise_left_shift",
    lambda L, a: L.bitwise_left_shift(L.floor(a).long(), 3),
    U(S, -30, 30),
    grad=False,
)
op(
    "bitwise_right_shift",
    lambda L, a: L.floor(a).long().bitwise_right_shift(2),
    U(S, -30, 30),
    grad=False,
)
op("isposinf", lambda L, x: L.isposinf(L.log(x) * 0 + 1 / x.round()), U(S, -1, 1), grad=False)
op("isneginf_method", lambda L, x: (1 / x.round()).isneginf(), U(S, -1, 1), grad=False)
op("isreal", lambda L, x: L.isreal(x), U(S), grad=False)
op("fill", lambda L, x, v: L.fill(x, v.sum()) * x, U(S), U((2,)))
op("fill_number", lambda L, x: L.fill(x, 2.5), U(S), grad=False)

# more shape ops (autograd/shape_methods.py)
op("unfold", lambda L, x: x.unfold(1, 2, 1), U(S))
op("unfold_step", lambda L, x: x.unfold(-1, 2, 3), U(S3))
op("unfold_dim0_overlap", lambda L, x: x.unfold(0, 2, 1) * x.unfold(0, 2, 1), U((5, 3)))
op("unfold_empty_window", lambda L, x: x.unfold(1, 0, 2), U(S))
op("unfold_0d", lambda L, x: x.sum().unfold(0, 1, 1), U(S))


def _strided_pairs(L: Any, x: Any) -> Any:
    """Overlapping pairs of consecutive entries of x's contiguous form, read with
    as_strided at its own offset (so any shape the fuzzer draws works alike)."""
    c = x.contiguous()
    return (
        L.as_strided(c, (max(c.numel() - 1, 0), 2), (1, 1)) * c.reshape(-1)[: c.numel() - 1, None]
    )


op("as_strided_pairs", _strided_pairs, U(S3))
op("as_strided_columns", lambda L, x: x.contiguous().as_strided((4, 3), (1, 4), 0), U(S))
op("as_strided_expanded", lambda L, x: x.expand(2, 3, 4).as_strided((3, 3), (3, 2)), U(S))
op("ravel", lambda L, x: L.ravel(x.mT), U(S3))
op("split_with_sizes", lambda L, x: L.split_with_sizes(x, [1, 3], 1)[1], U(S))
op("split_with_sizes_method", lambda L, x: x.split_with_sizes([2, 0, 1])[0], U(S))
op("sum_to_size", lambda L, x: x.sum_to_size(3, 1), U(S3))
op("sum_to_size_tuple", lambda L, x: x.sum_to_size((1, 4)), U(S))
op("hsplit", lambda L, x: L.hsplit(x, 2)[1], U(S))
op("hsplit_indices", lambda L, x: x.hsplit([1, 3])[1], U(S3))
op("hsplit_1d", lambda L, x: L.hsplit(x, [2, 9])[1], U((5,)))
op("vsplit", lambda L, x: L.vsplit(x, [1])[1], U(S))
op("vsplit_sections", lambda L, x: x.vsplit(2)[0], U((4, 3)))
op("dsplit", lambda L, x: L.dsplit(x, 2)[1], U(S3))
op("dsplit_indices", lambda L, x: x.dsplit([3, 1])[1], U(S3))
op("diagflat", lambda L, x: L.diagflat(x), U((2, 2)))
op("diagflat_offset", lambda L, x: x.diagflat(-2), U((3,)))
op("slice_scatter", lambda L, x, s: L.slice_scatter(x, s, 1, 0, 4, 2), U(S), U((3, 2)))
op("slice_scatter_method", lambda L, x, s: x.slice_scatter(s, start=1), U(S), U((2, 4)))
op("select_scatter", lambda L, x, s: L.select_scatter(x, s, 0, -1), U(S), U((4,)))
op("select_scatter_method", lambda L, x, s: x.select_scatter(s, 2, 1), U(S3), U((2, 3)))
op("diagonal_scatter", lambda L, x, s: L.diagonal_scatter(x, s, 1), U(S), U((3,)))
op(
    "diagonal_scatter_dims",
    lambda L, x, s: x.diagonal_scatter(s, -1, 2, 0),
    U(S3),
    U((3, 2)),
)

# writes at indices (autograd/index_write_methods.py); in place: the generic forms
op("index_fill", lambda L, x: x.index_fill(1, L.tensor(_idx([0, 2])), -1.5), U(S))
op(
    "index_fill_tensor_value",
    lambda L, x, v: L.index_fill(x, 0, L.tensor(_idx(1)), v.sum()),
    U(S),
    U((2,)),
)
op(
    "index_fill_",
    lambda L, x: (x * 1).index_fill_(-1, L.tensor(_idx([3])), 0.5),
    U(S3),
    known=(_EMPTY_INDEX_FILL,),
)
op("index_copy", lambda L, x, s: L.index_copy(x, 0, L.tensor(_idx([2, 0])), s), U(S), U((2, 4)))
op("index_copy_", lambda L, x, s: (x * 1).index_copy_(1, L.tensor(_idx([1])), s), U(S), U((3, 1)))
op(
    "index_put",
    lambda L, x, v: x.index_put((L.tensor(_idx([0, 2])), L.tensor(_idx([1, 3]))), v),
    U(S),
    U((2,)),
)
op("index_put_function", lambda L, x, v: L.index_put(x, (L.tensor(_idx([1])),), v), U(S), U((4,)))
op(
    "index_put_accumulate",
    lambda L, x, v: x.index_put(
        (L.tensor(_idx([0, 0, 2])), L.tensor(_idx([1, 1, -1]))), v, accumulate=True
    ),
    U(S),
    U((3,)),
)
op(
    "index_put_accumulate_rows",
    lambda L, x, v: L.index_put(x, (L.tensor(_idx([2, 2])),), v, True),
    U(S),
    U((4,)),
)
op("index_put_bool", lambda L, x, v: x.index_put((x > 0.5,), v.sum()), U(S), U((2,)))
op(
    "index_put_",
    lambda L, x, v: (x * 1).index_put_((L.tensor(_idx([0, 1])),), v, accumulate=True),
    U(S),
    U((2, 4)),
)
op(
    "index_put__function",
    lambda L, x, v: L.index_put_(x * 1, (L.tensor(_idx([1])),), v),
    U(S),
    U((1,)),
)
op("masked_scatter", lambda L, x, s: x.masked_scatter(x > 0, s), U(S), U((15,)))
op(
    "masked_scatter_broadcast",
    lambda L, x, s: L.masked_scatter(x, L.tensor(np.array([True, False, True, False])), s),
    U(S),
    U(S),
)
op("masked_scatter_", lambda L, x, s: (x * 1).masked_scatter_(x < 0, s), U(S), U(S))
op("put", lambda L, x, s: x.put(L.tensor(_idx([[0, -1], [5, 3]])), s), U(S), U((2, 2)))
op(
    "put_accumulate",
    lambda L, x, s: L.put(x, L.tensor(_idx([1, 1, 7])), s, accumulate=True),
    U(S),
    U((3,)),
)
op("put_", lambda L, x, s: (x * 1).put_(L.tensor(_idx([4, 2])), s), U(S3), U((2,)))


# matrix and statistics methods (autograd/linalg_methods.py)
def _svd_legacy_parts(L: Any, a: Any, some: bool) -> Any:
    """torch.svd's S and the products u_k v_k^T (independent of each pair's sign)."""
    u, s, v = L.svd(a, some=some)
    k = s.shape[-1]
    pairs = u[..., :, :k].unsqueeze(-1) * v[..., :, :k].mT.unsqueeze(-3)
    return L.cat([s.reshape(-1), pairs.reshape(-1)])


op("addmv", lambda L, i, m, v: L.addmv(i, m, v, beta=0.5, alpha=2.0), U((3,)), U(S), U((4,)))
op("addmv_method", lambda L, i, m, v: i.addmv(m, v), U((1,)), U(S), U((4,)))
op("addmv_", lambda L, i, m, v: (i * 1).addmv_(m, v, alpha=-1), U((3,)), U(S), U((4,)))
# (forward only: torch passes 0 * grad to the ignored input, which becomes nan through i * nan)
op(
    "addmv_beta0",
    lambda L, i, m, v: (i * float("nan")).addmv(m, v, beta=0),
    U((3,)),
    U(S),
    U((4,)),
    grad=False,
)
op("addr", lambda L, i, a, b: L.addr(i, a, b, beta=2.0, alpha=0.5), U(S), U((3,)), U((4,)))
op("addr_", lambda L, i, a, b: (i * 1).addr_(a, b), U(S), U((3,)), U((4,)))
op("svd_legacy", lambda L, a: _svd_legacy_parts(L, a, True), SPREAD((2, 4, 3)), sample=_GAPPED)
op("svd_legacy_full", lambda L, a: _svd_legacy_parts(L, a, False), SPREAD((3, 5)), sample=_GAPPED)
op(
    "svd_legacy_no_uv",
    lambda L, a: L.cat([p.reshape(-1) for p in a.svd(compute_uv=False)]),
    SPREAD((4, 3)),
    sample=_GAPPED,
)
op(
    "qr_legacy",
    lambda L, a: L.cat([p.reshape(-1) for p in L.qr(a)]),
    SPREAD((2, 4, 3)),
    sample=qr_sample(),
)
op("qr_legacy_complete", lambda L, a: a.qr(some=False).R, SPREAD((3, 4)), sample=qr_sample())
op("pinverse", lambda L, a: L.pinverse(a), SPREAD((2, 4, 3)), sample=_GAPPED)
op("pinverse_method", lambda L, a: a.pinverse(rcond=1e-3), SPREAD((3, 5)), sample=_GAPPED)
op("matrix_exp", lambda L, a: L.matrix_exp(a), U(BSQ))
op("matrix_exp_large", lambda L, a: (a * 4).matrix_exp(), U(SQ), rtol=1e-9)
op("dist", lambda L, a, b: L.dist(a, b), U(S), U((4,)))
op("dist_p1", lambda L, a, b: a.dist(b, 1), DISTINCT(S), DISTINCT(S), kinked=True)
op("dist_p3", lambda L, a, b: L.dist(a, b, p=3), U(S), U(S))
op("dist_inf", lambda L, a, b: a.dist(b, float("inf")), DISTINCT(S), DISTINCT(S), kinked=True)
op("renorm", lambda L, x: L.renorm(x, 2, 0, 1.2), U(S))
op("renorm_p1_dim", lambda L, x: x.renorm(1, -1, 2.0), AWAY(S3), kinked=True)
op("renorm_", lambda L, x: (x * 1).renorm_(3, 1, 1.0), U(S))
op("cov", lambda L, x: L.cov(x), U(S))
op("cov_correction0", lambda L, x: x.cov(correction=0), U(S))
op("cov_1d", lambda L, x: L.cov(x[0]), U(S))
op(
    "cov_weights",
    lambda L, x, w: L.cov(x, fweights=L.tensor(_idx([1, 2, 0, 3])), aweights=w),
    U(S),
    U((4,), 0.2, 1),
)
op("cov_fweights", lambda L, x: x.cov(correction=2, fweights=L.tensor(_idx([2, 1, 1, 3]))), U(S))
op("corrcoef", lambda L, x: L.corrcoef(x), U(S))
op("corrcoef_method", lambda L, x: x.corrcoef(), U((2, 5)))
op("nanmedian_all", lambda L, x: L.nanmedian(x.masked_fill(x > 1, float("nan"))), DISTINCT(S))
op(
    "nanmedian_dim",
    lambda L, x: x.masked_fill(x > 1, float("nan")).nanmedian(1).values,
    DISTINCT(S),
    known=(
        Known(
            "grad",
            lambda x, s: x.ndim >= 2 and bool(np.any(np.all(~(x <= 1), axis=1))),
            "nanmedian of a row that is all nan: torch's gradient lands on one of its entries "
            "or on none, as its kernel leaves it; ours sends the row no gradient",
        ),
    ),
)
op(
    "nanmedian_dim_indices",
    lambda L, x: L.nanmedian(x.masked_fill(x < -1, float("nan")), 0, keepdim=True).indices,
    DISTINCT(S),
    grad=False,
)
op("nanmedian_no_nan", lambda L, x: x.nanmedian(), DISTINCT(S))

# torch's module-level forms of numeric and network functions (autograd/trapezoid.py,
# autograd/creation.py, autograd/nn_functions.py)
op("trapezoid", lambda L, y, x: L.trapezoid(y, x), U(S), U((4,)))
op("trapezoid_dx_dim", lambda L, y: L.trapezoid(y, dx=0.5, dim=0), U(S3))
op("trapezoid_x_full", lambda L, y, x: L.trapezoid(y, x, dim=1), U(S), U(S))
op("trapz", lambda L, y, x: L.trapz(y, x), U(S), U((4,)))
op("trapz_dx", lambda L, y: L.trapz(y, dx=2.0), U(S))
op("cumulative_trapezoid", lambda L, y, x: L.cumulative_trapezoid(y, x), U(S), U((4,)))
op("cumulative_trapezoid_dx", lambda L, y: L.cumulative_trapezoid(y, dx=0.3, dim=0), U(S))
# (values only: torch's vander backward fails on its own in-place cumprod; ours is checked
# against finite differences in tests/autograd/test_torch_functions.py)
op("vander", lambda L, x: L.vander(x), U((4,)), grad=False)
op("vander_n_increasing", lambda L, x: L.vander(x, N=3, increasing=True), U((5,)), grad=False)
op("vander_int", lambda L, x: L.vander(L.floor(x * 3).long()), U((4,)), grad=False)
op("rsub", lambda L, a, b: L.rsub(a, b, alpha=2), U(S), U((4,)))
op("rsub_number", lambda L, a: L.rsub(a, 3.0), U(S))
op("torch_celu", lambda L, x: L.celu(x, 0.5), AWAY(S), kinked=True, known=(ELU_NAN, ELU_NAN2))
op("torch_celu_", lambda L, x: L.celu_(x * 1), AWAY(S), kinked=True, known=(ELU_NAN, ELU_NAN2))
op("torch_selu_", lambda L, x: L.selu_(x * 1), AWAY(S), kinked=True, known=(ELU_NAN, ELU_NAN2))
op("torch_threshold", lambda L, x: L.threshold(x, 0.3, -2.0), AWAY(S), kinked=True)
op("torch_threshold_", lambda L, x: L.threshold_(x * 1, -0.1, 0.5), AWAY(S), kinked=True)
op("torch_rrelu_eval", lambda L, x: L.rrelu(x, 0.1, 0.3), AWAY(S), kinked=True)
op("torch_rrelu__eval", lambda L, x: L.rrelu_(x * 1), AWAY(S), kinked=True)
op("torch_hardshrink", lambda L, x: L.hardshrink(x, 0.4), AWAY(S, 0.5, 2), kinked=True)
op("torch_hardshrink_method", lambda L, x: x.hardshrink(), AWAY(S, 0.6, 2), kinked=True)
op("torch_conv1d", lambda L, x, w, b: L.conv1d(x, w, b, 2, 1), U((2, 3, 7)), U((4, 3, 3)), U((4,)))
op(
    "torch_conv2d",
    lambda L, x, w: L.conv2d(x, w, None, 1, 1, 1, 2),
    U((1, 4, 5, 5)),
    U((2, 2, 3, 3)),
)
op("torch_conv3d", lambda L, x, w: L.conv3d(x, w), U((1, 2, 3, 4, 4)), U((2, 2, 2, 2, 2)))
op(
    "torch_conv_transpose1d",
    lambda L, x, w: L.conv_transpose1d(x, w, None, 2, 1, 1),
    U((1, 2, 5)),
    U((2, 3, 3)),
)
op(
    "torch_conv_transpose2d",
    lambda L, x, w: L.conv_transpose2d(x, w),
    U((1, 2, 3, 3)),
    U((2, 1, 2, 2)),
)
op(
    "torch_conv_transpose3d",
    lambda L, x, w: L.conv_transpose3d(x, w, stride=2),
    U((1, 1, 2, 2, 2)),
    U((1, 2, 2, 2, 2)),
)
op(
    "torch_bilinear",
    lambda L, a, b, w, c: L.bilinear(a, b, w, c),
    U((3, 2)),
    U((3, 4)),
    U((5, 2, 4)),
    U((5,)),
)


# (gradgrad=False: torch has no double backward for pdist; ours is checked against finite
# differences in tests/autograd/test_torch_functions.py)
def _rows_sample(d: Drawer, x: np.ndarray) -> Sample | None:
    """pdist takes nothing more; an input without rows is skipped (None): torch's pdist
    backward segfaults on one (p != 0), which would kill the fuzzer."""
    return None if x.ndim and x.shape[0] == 0 else Sample()


_NO_GG = {"gradgrad": False, "sample": _rows_sample}
op("torch_pdist", lambda L, x: L.pdist(x), DISTINCT((4, 3)), **_NO_GG)
op("torch_pdist_p1", lambda L, x: L.pdist(x, 1), DISTINCT((4, 3)), kinked=True, **_NO_GG)
op("torch_pdist_p3", lambda L, x: L.pdist(x, 3.0), DISTINCT((3, 5)), **_NO_GG)
op(
    "torch_pdist_inf",
    lambda L, x: L.pdist(x, float("inf")),
    DISTINCT((4, 2)),
    kinked=True,
    **_NO_GG,
)
op("torch_pdist_p0", lambda L, x: L.pdist(x.round(), 0), U((4, 3)), grad=False)
op("F_pdist", lambda L, x: F(L).pdist(x), DISTINCT((5, 2)), **_NO_GG)
op(
    "torch_pixel_shuffle",
    lambda L, x: L.pixel_shuffle(x, 2),
    U((1, 8, 2, 3)),
    known=(
        Known(
            "grad_raises",
            lambda x, s: x.size == 0,
            "torch's PixelShuffleBackward0 gives an empty input a gradient of the output's "
            "shape and its engine refuses it",
        ),
    ),
)
op("torch_pixel_unshuffle", lambda L, x: L.pixel_unshuffle(x, 2), U((1, 2, 4, 2)))
op("torch_channel_shuffle", lambda L, x: L.channel_shuffle(x, 2), U((1, 4, 2, 2)))
op(
    "torch_cosine_similarity",
    lambda L, a, b: L.cosine_similarity(a, b),
    U(S),
    U(S),
    known=(COSINE_ZERO,),
)
op("torch_pairwise_distance", lambda L, a, b: L.pairwise_distance(a, b), U(S), U(S))
op("torch_group_norm", lambda L, x, w, b: L.group_norm(x, 2, w, b), U((2, 4, 3)), U((4,)), U((4,)))
op("torch_layer_norm", lambda L, x, w, b: L.layer_norm(x, (4,), w, b), U(S3), U((4,)), U((4,)))
op("torch_max_pool1d", lambda L, x: L.max_pool1d(x, 2), DISTINCT((2, 2, 6)), kinked=True)
op("torch_max_pool2d", lambda L, x: L.max_pool2d(x, 2, 1), DISTINCT((1, 2, 4, 4)), kinked=True)
op("torch_max_pool3d", lambda L, x: L.max_pool3d(x, 2), DISTINCT((1, 1, 4, 2, 2)), kinked=True)
op(
    "torch_max_pool1d_with_indices",
    lambda L, x: L.max_pool1d_with_indices(x, 3, 1)[1],
    DISTINCT((1, 2, 6)),
    grad=False,
)
op("torch_avg_pool1d", lambda L, x: L.avg_pool1d(x, 3, 2, 1), U((2, 2, 7)))
op("torch_adaptive_avg_pool1d", lambda L, x: L.adaptive_avg_pool1d(x, 3), U((2, 2, 7)))
op("torch_adaptive_max_pool1d", lambda L, x: L.adaptive_max_pool1d(x, 3)[0], DISTINCT((1, 2, 7)))
op("torch_dropout_eval", lambda L, x: L.dropout(x, 0.5, False), U(S))
op("torch_dropout__eval", lambda L, x: L.dropout_(x * 1, 0.3, False), U(S))
op("torch_alpha_dropout_eval", lambda L, x: L.alpha_dropout(x, 0.5, False), U(S))
op("torch_alpha_dropout__eval", lambda L, x: L.alpha_dropout_(x * 1, 0.5, False), U(S))
op("torch_feature_alpha_dropout_eval", lambda L, x: L.feature_alpha_dropout(x, 0.2, False), U(S3))
op("torch_embedding", lambda L, w: L.embedding(w, L.tensor(_idx([[0, 2], [3, 0]]))), U((4, 3)))
op(
    "torch_embedding_padding",
    lambda L, w: L.embedding(w, L.tensor(_idx([1, 2, 1])), padding_idx=1),
    U((4, 3)),
    grad=False,  # (the padding row gets no gradient by design: not a finite difference)
)
op(
    "multilabel_margin_loss",
    lambda L, x: F(L).multilabel_margin_loss(
        x, L.tensor(_idx([[3, 0, -1, 1], [1, 2, 3, 0], [-1, 1, 2, 0]]))
    ),
    DISTINCT(S),
    kinked=True,
    gradgrad=False,  # (torch has no double backward for it; piecewise linear)
)
op(
    "multilabel_margin_loss_1d_sum",
    lambda L, x: F(L).multilabel_margin_loss(x, L.tensor(_idx([2, 2, 0, -1, 1])), reduction="sum"),
    DISTINCT((5,)),
    kinked=True,
    gradgrad=False,  # (torch has no double backward for it; piecewise linear)
)
op(
    "multilabel_margin_loss_none",
    lambda L, x: F(L).multilabel_margin_loss(
        x, L.tensor(_idx([[1, -1, 3, 0], [0, 1, 2, 3], [2, 0, -1, -1]])), reduction="none"
    ),
    DISTINCT(S),
    kinked=True,
    gradgrad=False,  # (torch has no double backward for it; piecewise linear)
)

op("adjoint", lambda L, x: L.adjoint(x), U(S3))
op("adjoint_0d", lambda L, x: L.adjoint(x * 2), U(()))  # deprecated in torch: warns
op("H", lambda L, x: x.H, U(S))
op("mH", lambda L, x: x.mH, U(S3))
op("angle", lambda L, x: L.angle(x), AWAY(S))
op("angle_int", lambda L, x: L.floor(x).long().angle(), U(S), grad=False)
op("unsafe_chunk", lambda L, x: L.unsafe_chunk(x, 2, 1)[1], U(S))
op("unsafe_split", lambda L, x: x.unsafe_split(2)[1], U((5, 2)))
op("unsafe_split_with_sizes", lambda L, x: L.unsafe_split_with_sizes(x, [3, 1], 1)[0], U(S))
op("narrow_copy", lambda L, x: L.narrow_copy(x, 1, 1, 2), U(S))

# complex numbers inside a real computation (autograd/complex_grads.py): real in, real out
op("complex", lambda L, x, y: L.view_as_real(L.complex(x, y) * L.complex(y, x)), U(S), U(S))
op(
    "conj_physical",
    lambda L, x, y: L.view_as_real(L.conj_physical(L.complex(x, y)) * y),
    U(S),
    U(S),
)
op(
    "view_as_complex",
    lambda L, x: (L.view_as_complex(x) / L.view_as_complex(x.flip(0))).imag,
    AWAY((3, 4, 2)),
)
op("view_as_real", lambda L, x, y: L.view_as_real(L.complex(x, y).conj() - x), U(S), U(S))
op("complex_abs", lambda L, x, y: L.complex(x, y).abs(), AWAY(S), AWAY(S))
# polar: torch's result is undefined for a negative abs, and its abs-gradient is 0 where abs
# is 0 (ours: the derivative there too), so abs is kept in (0.5, 1.5) wherever x comes from
# (sigmoid: no overflow to an infinite abs, whose gradients are inf here and nan in torch)
op(
    "polar",
    lambda L, r, t: L.view_as_real(L.polar(r.sigmoid() + 0.5, t) * L.polar(t.sigmoid() + 0.5, r)),
    U(S),
    U(S, -3, 3),
    known=(_EMPTY_COMPLEX_GRAD,),
)
op(
    "polar_broadcast",
    lambda L, r, t: L.view_as_real(L.polar(r.sigmoid() + 0.5, t)),
    U((3, 1)),
    U(S),
    known=(_EMPTY_COMPLEX_GRAD,),
)
# (the window is an input too: its gradient is compared)
op(
    "stft",
    lambda L, x, w: L.view_as_real(L.stft(x, 6, hop_length=2, window=w, return_complex=True)),
    U((2, 13)),
    U((6,), 0.1, 1),
)
op(
    "stft_uncentered_short_window",
    lambda L, x, w: L.view_as_real(
        L.stft(x, 8, 3, 5, w, center=False, normalized=True, onesided=False, return_complex=True)
    ),
    U((17,)),
    U((5,), 0.1, 1),
)
op(
    "stft_method",
    lambda L, x, w: L.view_as_real(x.stft(6, 2, 5, w, pad_mode="replicate", return_complex=True)),
    U((2, 11)),
    U((5,), 0.1, 1),
)
# (the spectrum as (real, imaginary) pairs, and the window: both gradients are compared)
op(
    "istft",
    lambda L, s, w: L.istft(L.view_as_complex(s), 6, hop_length=2, window=w),
    U((4, 7, 2)),
    U((6,), 0.5, 1.5),
)
op(
    "istft_two_sided_complex",
    lambda L, s, w: L.view_as_real(
        L.istft(
            L.view_as_complex(s),
            6,
            2,
            4,
            w,
            normalized=True,
            onesided=False,
            length=10,
            return_complex=True,
        )
    ),  # fmt: skip
    U((2, 6, 5, 2)),
    U((4,), 0.5, 1.5),
)
op(
    "istft_method",
    lambda L, s, w: L.view_as_complex(s).istft(6, 2, window=w, length=9),
    U((4, 5, 2)),
    U((6,), 0.5, 1.5),
)
op("fft_fft", lambda L, x: L.view_as_real(L.fft.fft(x, n=5, dim=0, norm="ortho")), U(S))
op("fft_rfft_irfft", lambda L, x: L.fft.irfft(L.fft.rfft(x) * L.fft.rfft(x.flip(-1)), n=5), U(S))
op(
    "fft_rfft2_power",
    lambda L, x: (L.fft.rfft2(x, s=(4, 5)) * L.fft.rfft2(x, s=(4, 5)).conj()).real,
    U(S),
)
op("fft_irfftn", lambda L, x: L.fft.irfftn(x, s=(2, 6), norm="forward"), U(S))
op(
    "fft_hfft_ihfft",
    lambda L, x: L.fft.hfft(L.fft.ihfft(x), n=6) + L.fft.ifftshift(x, dim=0)[..., :1],
    U(S),
)
op("fft_fftshift", lambda L, x: L.view_as_real(L.fft.fftshift(L.fft.ifftn(x))), U(S))

# runs 36-38 (the session after the eighth), added to what the entries already document
_FOUND_36_38: dict[str, tuple] = {
    **{
        n: (PRODUCT_DTYPES,)
        for n in (
            "einsum_matmul",
            "einsum_sum_out",
            "einsum_ellipsis",
            "matmul",
            "mm",
            "bmm",
            "dot",
            "inner",
            "mv",
            "addmm",
            "baddbmm",
            "baddbmm_method",
            "addbmm",
            "addbmm_method",
            "tensordot_int",
            "tensordot_lists",
            "vdot",
            "vdot_method",
            "addmv",
            "addmv_method",
            "addmv_",
        )
    },
    "ldexp": (Known("grad2", _nonfinite, NONFINITE),),
    "torch_layer_norm": NONFINITE_ALL,
    "addcdiv_method": (*ADDCDIV_MIXED, Known("grad", _nonfinite, NONFINITE)),
    "masked_scatter_broadcast": (Known("raises", lambda x, s: x.size == 0, _EMPTY_UNCHECKED),),
    "logit": (
        Known(
            "grad",
            _has(lambda x: (x == 0) & np.signbit(x)),
            "logit's gradient at -0.0: torch's sign of the infinity depends on the length (its "
            "vectorised kernel gives -inf * dy, its scalar tail +inf * dy); ours 1 / (x (1 - x)) "
            "is -inf * dy",
        ),
    ),
    "special_log_ndtr": (
        Known(
            "grad2",
            _has(lambda x: x < -50),
            "log_ndtr's second derivative in the far lower tail: torch's loses accuracy "
            "(-1.0000329 at x = -1000, below its bound -1; exact -0.999999, as ours, against "
            "mpmath)",
        ),
    ),
    "addcdiv": (Known("grad", _nonfinite, NONFINITE),),
    **{n: (VANDER_FAR_FROM_ONE,) for n in ("linalg_vander", "linalg_vander_n")},
    **{
        n: (
            Known("end_to_end", _has(_nonzero_integer), SINC_AT_INTEGERS),
            Known("end_to_end", SINC_NEAR_ZERO_F32.when, SINC_NEAR_ZERO_F32.reason),
        )
        for n in ("sinc", "special_sinc")
    },
    **{
        n: _renorm_overflow(p)
        for n, p in (("renorm", 2.0), ("renorm_", 3.0), ("renorm_p1_dim", 1.0))
    },
}
# run 41
_FOUND_36_38["huber_loss"] = (
    Known(
        "grad_raises",
        _mixed_dtypes,
        "huber_loss of float32 and float64 tensors: torch's forward gives the input's dtype "
        "but its backward refuses the mix ('Found dtype Float but expected Double'), even "
        "for a target that needs no gradient; ours keeps the input's dtype both ways",
    ),
)
# run 39
_FOUND_36_38.update(
    {
        **{
            n: (
                Known(
                    "value",
                    _nonfinite,
                    "a convolution with nan/inf entries and zero padding: ours multiplies the "
                    "padded zeros (0 * nan = nan, 0 * inf = nan), torch's kernel (for some "
                    "shapes: float32, several channels) skips padded taps and gives a number "
                    "or +-inf there",
                ),
            )
            for n in (
                "torch_conv1d",
                "torch_conv2d",
                "torch_conv3d",
                "torch_conv_transpose1d",
                "torch_conv_transpose2d",
                "torch_conv_transpose3d",
            )
        },
        **{n: LOGCUMSUMEXP_LARGE for n in ("logcumsumexp", "logcumsumexp_spread")},
        "special_multigammaln": (
            Known(
                "end_to_end",
                lambda x, s: any(_near_poles(x - j / 2, s) for j in range(3)),
                GAMMA_POLES[0].reason,
            ),
        ),
        **{
            n: (Known("end_to_end", _near_poles, GAMMA_POLES[0].reason),)
            for n in (
                "lgamma",
                "lgamma_negative",
                "polygamma_1",
                "polygamma_3_method",
                "special_gammaln",
                "special_polygamma",
                "digamma",
                "digamma_negative",
                "special_digamma",
                "special_psi",
            )
        },
    }
)
# runs 61-70
_FFT_WIDE = (
    "end to end, an FFT of entries that differ widely in size (max/min > 1e4): every output "
    "carries an absolute rounding error of about eps * max|x|, so small outputs are rounding "
    "noise that later ops (exp, ndtr) amplify differently on each side"
)
_FFT_EMPTY = (
    "an FFT of a tensor with a size-0 dim besides the transformed ones (x of shape (0, 4), "
    "(1, 0, 0)): torch's MKL backend fails ('Inconsistent configuration parameters'); ours "
    "gives the empty result of the right shape"
)
_FFT_NONFINITE = (
    "an FFT of +-inf/nan entries: inf - inf meets in an order set by the transform's "
    "butterflies (torch's MKL, numpy's pocketfft in ours), so an entry is nan on one side and "
    "+-inf on the other; undefined there"
)


def _ill_conditioned(x: np.ndarray, bound: float) -> bool:
    if x.ndim < 2 or x.size == 0 or not np.isfinite(x).all():
        return x.ndim >= 2 and x.size > 0
    with np.errstate(all="ignore"):
        return bool(np.any(~(np.linalg.cond(x.astype(np.float64)) <= bound)))


def _near_singular(x: np.ndarray) -> bool:
    if x.ndim < 2 or x.shape[-1] != x.shape[-2] or x.size == 0 or not np.isfinite(x).all():
        return x.ndim >= 2 and x.size > 0
    with np.errstate(all="ignore"):
        return bool(np.any(np.abs(np.linalg.det(x.astype(np.float64))) < 1e-6))


_EMPTY_VIEW_AS_REAL_BACKWARD = (
    Known(
        "grad_raises",
        lambda x, s: x.size == 0,
        "torch's view_as_real backward refuses a size-0 gradient ('Tensor must have a last "
        "dimension with stride 1'); ours gives the empty gradient",
    ),
)
_FOUND_36_38.update(
    {
        **{
            n: (
                *(Known(w, _nonfinite, _FFT_NONFINITE) for w in ("value", "grad", "grad2")),
                Known("end_to_end", _wide, _FFT_WIDE),
                Known("raises", lambda x, s: x.size == 0, _FFT_EMPTY),
            )
            for n in (
                "fft_fft",
                "fft_rfft_irfft",
                "fft_rfft2_power",
                "fft_irfftn",
                "fft_hfft_ihfft",
                "fft_fftshift",
            )
        },
        # stft and istft transform each frame (seen: nan vs -inf at an inf entry, float32; nan
        # vs inf where an inf entry meets a zero of the transform's sines, float64)
        **{
            n: (
                *(Known(w, _nonfinite, _FFT_NONFINITE) for w in ("value", "grad", "grad2")),
                Known("end_to_end", _wide, _FFT_WIDE),
            )
            for n in (
                "stft",
                "stft_uncentered_short_window",
                "stft_method",
                "istft",
                "istft_two_sided_complex",
                "istft_method",
            )
        },
        "view_as_real": (
            *_EMPTY_VIEW_AS_REAL_BACKWARD,
            Known(
                "value",
                _nonfinite,
                "complex subtraction where an operand has an infinite or nan part: torch "
                "computes a - alpha * b with alpha = 1 as a complex product, so 0 * inf gives "
                "nan in the other component ((1 + 1.5j) - (inf + 0j) is -inf + nanj); ours "
                "subtracts componentwise (-inf + 1.5j), as numpy and C99",
            ),
        ),
        "special_logit": _FOUND["logit_eps_method"],
        "complex_abs": (
            Known(
                "grad",
                _nonfinite,
                "|z|'s gradient where a part of z is +-inf: torch's z / |z| is inf / inf (nan); "
                "ours scales by the larger part first and gives the limit (1 along the "
                "infinite part, 0 along the finite one)",
            ),
        ),
        "det": (
            Known(
                "grad2",
                lambda x, s: _near_singular(x),
                "det's second derivative at a nearly singular matrix (|det| < 1e-6, e.g. a 1x1 "
                "matrix holding 1e-30): d/dA (det(A) A^-T) meets terms ~ 1 / |A| that cancel, "
                "leaving a rounding residue (2**47 at 1e-30) where the exact value is 0; "
                "torch's residue differs (0 for 1x1 matrices, whose gradient it records as a "
                "constant)",
            ),
        ),
        **{
            n: (
                Known(
                    "grad_raises",
                    lambda x, s: _near_singular(x),
                    "log |det A|'s gradient at a singular matrix (it diverges): torch returns "
                    "the +-inf/nan its LU-based inverse happens to give (signs arbitrary); "
                    "ours raises LinAlgError naming the singular matrix (no silent inf/nan)",
                ),
            )
            for n in ("logdet", "slogdet", "linalg_slogdet")
        },
        "view_as_complex": (
            Known(
                "grad",
                lambda x, s: _nonfinite(x, s) or bool(np.any((x != 0) & (np.abs(x) < 1e-6))),
                "complex division's gradient at +-inf/nan parts (inf vs nan: complex "
                "products meet 0 * inf in a different order) or at a divisor with tiny parts: "
                "z / z (the middle row divided by itself) has gradient exactly 0 in ours and "
                "a rounding residue ~ eps / |z| in torch (7e13 at |z| ~ 1e-30)",
            ),
        ),
        "linalg_lstsq_gelsd": (
            Known(
                "grad",
                lambda x, s: x.dtype == np.float32 and _ill_conditioned(x, 100.0),
                "float32 lstsq's gradient for a matrix with condition number above 100: "
                "torch's float32 backward loses ~eps * cond^2 (up to 6e-4 relatively at cond "
                "~ 1e3), ours stays within 3e-6 of the float64 gradient",
            ),
        ),
        "cumulative_trapezoid": (
            Known(
                "grad2",
                _mixed_dtypes,
                "the second derivative with respect to float64 coordinates through a float32 "
                "y's gradient: torch and ours round different intermediates to float32 "
                "(relative differences ~1e-7)",
            ),
        ),
        **{n: _EMPTY_VIEW_AS_REAL_BACKWARD for n in ("conj_physical", "complex")},
        "mode_indices": (
            Known(
                "value",
                lambda x, s: x.ndim > 0 and x.shape[-1] > 16,
                "mode's index where the mode occurs several times in a row of more than 16 "
                "entries: torch's documentation does not say which position; its sort keeps "
                "equal values in order up to 16 entries (the last position, as ours) but not "
                "beyond",
            ),
        ),
        "torch_group_norm": (
            Known(
                "grad",
                lambda x, s: x.dtype == np.float32 and x.ndim >= 2 and x.size <= 4 * x.shape[0],
                "float32 group_norm over groups of at most two entries (normalised values "
                "+-1): the gradient cancels, torch's float32 kernel is off by up to 1e-3 "
                "relatively where ours is within 1e-5 of the float64 value",
            ),
        ),
    }
)
for _name, _more in _FOUND_36_38.items():
    _FOUND[_name] = _FOUND.get(_name, ()) + _more
OPS = [replace(o, known=o.known + _FOUND.get(o.name, ())) for o in OPS]
assert set(_FOUND) <= {o.name for o in OPS}

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
    ErrorInfo(
        "scatter_reduce_bad_reduce",
        lambda L, x: x.scatter_reduce(0, L.tensor(_idx([[0, 1, 0, 1]])), x[:1], "add"),
        [U(S)],
        "scatter_reduce: reduce argument must be",
    ),
    ErrorInfo(
        "scatter_reduce_index_too_large",
        lambda L, x: x.scatter_reduce(1, L.tensor(_idx([[0]] * 4)), x[:, :1], "sum"),
        [U(S)],
        "scatter_reduce: index of shape",
    ),
    ErrorInfo(
        "scatter_reduce_index_out_of_range",
        lambda L, x: x.scatter_reduce(1, L.tensor(_idx([[4]] * 3)), x[:, :1], "amax"),
        [U(S)],
        "scatter_reduce: index out of range",
    ),
    ErrorInfo(
        "polar_dtypes", lambda L, r, t: L.polar(r.double(), t.float()), [U(S), U(S)], "polar"
    ),
    ErrorInfo("polar_ints", lambda L, r, t: L.polar(r.long(), t.long()), [U(S), U(S)], "polar"),
    ErrorInfo("polar_shapes", lambda L, r, t: L.polar(r, t), [U(S), U((3,))], "polar"),
    ErrorInfo("fftshift_0d", lambda L, x: L.fft.fftshift(x.sum()), [U(S)], "fftshift"),
    ErrorInfo("ifftshift_no_dim", lambda L, x: L.fft.ifftshift(x, dim=()), [U(S)], "ifftshift"),
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
    ErrorInfo("unflatten_bad_sizes", lambda L, x: x.unflatten(1, (3, 2)), [U(S)], "unflatten"),
    ErrorInfo("diag_3d", lambda L, x: L.diag(x), [U(S3)], "diag"),
    ErrorInfo("var_bad_dim", lambda L, x: x.var(3), [U(S)], "var"),
    ErrorInfo(
        "index_select_2d_index",
        lambda L, x: x.index_select(0, L.tensor(_idx([[0]]))),
        [U(S)],
        "index_select",
    ),
    ErrorInfo("linalg_inv_not_square", lambda L, a: L.linalg.inv(a), [U(S)], "inv"),
    ErrorInfo("linalg_inv_singular", lambda L, a: L.linalg.inv(a * 0), [U(SQ)], "inv"),
    ErrorInfo("linalg_det_not_square", lambda L, a: L.linalg.det(a), [U(S)], "det"),
    ErrorInfo("linalg_det_vector", lambda L, a: L.det(a[0]), [U(SQ)], "det"),
    ErrorInfo(
        "linalg_solve_singular", lambda L, a, b: L.linalg.solve(a * 0, b), [U(SQ), U(SQ)], "solve"
    ),
    ErrorInfo(
        "linalg_solve_shapes", lambda L, a, b: L.linalg.solve(a, b), [WELL(SQ), U((4, 2))], "solve"
    ),
    ErrorInfo(
        "linalg_cholesky_not_pd",
        lambda L, a: L.linalg.cholesky(-(a @ a.mT)),
        [WELL(SQ)],
        "cholesky",
    ),
    ErrorInfo(
        "linalg_matrix_norm_1d", lambda L, a: L.linalg.matrix_norm(a[0]), [U(S)], "matrix_norm"
    ),
    ErrorInfo("linalg_qr_bad_mode", lambda L, a: L.linalg.qr(a, mode="full"), [U(S)], "qr"),
    ErrorInfo("gcd_float", lambda L, a, b: L.gcd(a, b), [U(S), U(S)], "gcd"),
    ErrorInfo("bitwise_and_float", lambda L, a: a.bitwise_and(1), [U(S)], "bitwise_and"),
    ErrorInfo("frexp_int", lambda L, a: L.frexp(a.long()), [U(S)], "frexp"),
    ErrorInfo(
        "heaviside_dtypes", lambda L, a, v: L.heaviside(a, v.half()), [U(S), U((4,))], "heaviside"
    ),
    ErrorInfo("nextafter_int", lambda L, a: L.nextafter(a.long(), a.long()), [U(S)], "nextafter"),
    ErrorInfo("positive_bool", lambda L, a: L.positive(a > 0), [U(S)], "positive"),
    ErrorInfo("fill_vector_value", lambda L, a, v: L.fill(a, v), [U(S), U((2,))], "fill"),
    ErrorInfo(
        "istft_window_overlap_add_min",
        lambda L, s: L.istft(L.view_as_complex(s), 6, 2, window=s[0, :6, 0] * 0),
        [U((4, 7, 2))],
        "istft: window overlap add min",
    ),
    ErrorInfo("unfold_too_long", lambda L, x: x.unfold(1, 5, 1), [U(S)], "unfold"),
    ErrorInfo(
        "as_strided_out_of_bounds",
        lambda L, x: x.contiguous().as_strided((4, 4), (4, 1), 1),
        [U(S)],
        "as_strided: .* out of bounds",
    ),
    ErrorInfo(
        "as_strided_negative_stride", lambda L, x: x.as_strided((2,), (-1,), 3), [U(S)], "as_str"
    ),
    ErrorInfo("unfold_zero_step", lambda L, x: x.unfold(1, 2, 0), [U(S)], "unfold"),
    ErrorInfo("unfold_bad_dim", lambda L, x: x.unfold(2, 1, 1), [U(S)], "unfold"),
    ErrorInfo(
        "split_with_sizes_sum", lambda L, x: x.split_with_sizes([1, 1], 1), [U(S)], "split_with"
    ),
    ErrorInfo("sum_to_size_bad", lambda L, x: x.sum_to_size(1, 5), [U(S)], "sum_to_size"),
    ErrorInfo("hsplit_indivisible", lambda L, x: L.hsplit(x, 3), [U(S)], "hsplit"),
    ErrorInfo("vsplit_1d", lambda L, x: L.vsplit(x[0], 2), [U(S)], "vsplit"),
    ErrorInfo("dsplit_2d", lambda L, x: x.dsplit(2), [U(S)], "dsplit"),
    ErrorInfo(
        "slice_scatter_shape",
        lambda L, x, s: x.slice_scatter(s, 1, 0, 4, 2),
        [U(S), U((2, 2))],
        "slice_scatter",
    ),
    ErrorInfo(
        "select_scatter_shape", lambda L, x, s: x.select_scatter(s, 0, 1), [U(S), U((3,))], "select"
    ),
    ErrorInfo(
        "diagonal_scatter_shape",
        lambda L, x, s: x.diagonal_scatter(s, 1),
        [U(S), U((2,))],
        "diagonal_scatter",
    ),
    ErrorInfo(
        "index_fill_float_index",
        lambda L, x: x.index_fill(0, L.tensor([0.0]), 1.0),
        [U(S)],
        "index_fill",
    ),
    ErrorInfo(
        "index_fill_vector_value",
        lambda L, x, v: x.index_fill(0, L.tensor(_idx([0])), v),
        [U(S), U((2,))],
        "index_fill",
    ),
    ErrorInfo(
        "index_fill_out_of_range",
        lambda L, x: x.index_fill(1, L.tensor(_idx([4])), 1.0),
        [U(S)],
        "index_fill",
    ),
    ErrorInfo(
        "index_copy_shape",
        lambda L, x, s: x.index_copy(0, L.tensor(_idx([0])), s),
        [U(S), U((2, 4))],
        "index_copy",
    ),
    ErrorInfo(
        "masked_scatter_short_source",
        lambda L, x, s: x.masked_scatter(x > -9, s),
        [U(S), U((5,))],
        "masked_scatter",
    ),
    ErrorInfo(
        "put_out_of_range", lambda L, x, s: x.put(L.tensor(_idx([12])), s), [U(S), U((1,))], "put"
    ),
    ErrorInfo(
        "index_put_float_index",
        lambda L, x, v: x.index_put((L.tensor([0.0]),), v),
        [U(S), U((4,))],
        "index_put",
    ),
    ErrorInfo(
        "addmv_shapes", lambda L, i, m, v: L.addmv(i, m, v), [U((3,)), U(S), U((3,))], "addmv"
    ),
    ErrorInfo("addr_matrix", lambda L, i, a: L.addr(i, a, a), [U(S), U(S)], "addr"),
    ErrorInfo("matrix_exp_not_square", lambda L, a: a.matrix_exp(), [U(S)], "matrix_exp"),
    ErrorInfo("renorm_p0", lambda L, x: x.renorm(0, 0, 1.0), [U(S)], "renorm"),
    ErrorInfo("renorm_1d", lambda L, x: x[0].renorm(2, 0, 1.0), [U(S)], "renorm"),
    ErrorInfo("cov_3d", lambda L, x: L.cov(x), [U(S3)], "cov"),
    ErrorInfo("cov_float_fweights", lambda L, x, w: x.cov(fweights=w), [U(S), U((4,))], "cov"),
    ErrorInfo(
        "cov_aweights_length", lambda L, x, w: x.cov(aweights=w), [U(S), U((3,), 0.1, 1)], "cov"
    ),
    ErrorInfo(
        "trapezoid_x_length", lambda L, y, x: L.trapezoid(y, x), [U(S), U((3,))], "trapezoid"
    ),
    ErrorInfo("vander_2d", lambda L, x: L.vander(x), [U(S)], "vander"),
    ErrorInfo("torch_pdist_3d", lambda L, x: L.pdist(x), [U(S3)], "pdist"),
    ErrorInfo("torch_pdist_negative_p", lambda L, x: L.pdist(x, -1.0), [U(S)], "pdist"),
    ErrorInfo(
        "multilabel_margin_loss_shape",
        lambda L, x: F(L).multilabel_margin_loss(x, L.tensor(_idx([0, 1, 2]))),
        [U(S)],
        "multilabel_margin_loss",
    ),
    ErrorInfo("H_1d", lambda L, x: x[0].H, [U(S)], "H"),
    ErrorInfo(
        "floor_divide_backward", lambda L, x: (x // 2.0).sum().backward(), [U(S)], "floor_divide"
    ),
]
