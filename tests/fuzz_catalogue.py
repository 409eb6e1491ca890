"""One catalogue of public ops, each with its PyTorch twin: what drives the differential fuzzer
(tests/test_fuzz_vs_torch.py) and any other test that wants "every op".

An entry (``OpInfo``) says how to call the op on our Tensors (``ours``) and on torch tensors
(``theirs``), and how to draw the rest of its arguments for a given first input
(``sample(d, x)``, returning ``None`` when the op does not apply to that input). The first
input is always the program's current tensor; further tensor arguments are ``Leaf`` arrays
(made into a leaf of each library, with a gradient when ``requires_grad``) or ``SAME`` (the
first input again, so that one node feeds an op twice). Plain Python values (axes, scalars,
reduction names) are passed as they are to both sides.

Adding entries (e.g. from the ``ops`` branch's table): append ``OpInfo(...)`` objects to
``CATALOGUE`` (or ``CATALOGUE.extend(OTHER)``): names must be unique; a ``sample`` gets a
``Drawer`` (``d.choice(seq)``, ``d.integer(lo, hi)``, ``d.flag()``, ``d.array(shape, domain)``,
``d.indices(shape, high)``, ``d.shape()``, ``d.broadcast_partner(shape)``) and the input as an
ndarray (shape, dtype and values visible), so an entry needs nothing from the fuzzer itself.

Known, justified differences from torch 2.13 (each also a ``Known`` on its entry, so the
fuzzer skips exactly that comparison and counts it as documented):

* ``x ** 0.5`` / ``x ** -0.5`` with a number exponent (and the derivatives of other
  fractional powers, which use them): torch computes these as ``sqrt`` / ``rsqrt``, which
  differ from ``pow`` only at -0.0 and -inf (sqrt(-inf) = nan where pow(-inf, 0.5) = inf;
  rsqrt(-0.0) = -inf where pow(-0.0, -0.5) = inf). We follow C99 ``pow`` (and torch's own
  ``pow`` with a tensor exponent).
* ELU/SELU gradient at nan: torch gives the linear branch's slope or nan depending on the
  tensor's length (scalar loop vs vectorised kernel); we give nan (NaN propagates).
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
* maximum/minimum where an input is nan: torch passes the gradient to both inputs, ours to
  one (pending: NaN semantics of max/min belong to the ops branch).
* max/min/amax/amin over a nan: torch sends the gradient to the nan, ours splits it over
  the elements equal to the result (pending: the ops branch).
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
* Gradients that are nan or inf *upstream* of a masking op (relu, clamp, hardtanh, abs,
  max...): torch's backward selects (``where(mask, g, 0)``: 0 stays 0), ours multiplies
  (``g * mask``: nan * 0 = nan). Per-op checks use finite cotangents and agree; in whole
  programs this shows as nan vs 0 and is counted as documented ("end_to_end_nonfinite").
  Fixing it means one shared masking helper for every such backward rule (engine-wide).
* BCE of sigmoid(x) in float32 for |x| > 15: one ulp of sigmoid near 1 decides whether
  log(1 - p) is about -16.6 or clamped to -100 (ill-conditioned, not compared).
* a ** b at b == 0, second order: torch's where-mask of d/da also zeroes its derivative wrt
  b; ours keeps d/db (d/da a**b) = 1/a exact there.
* cross_entropy with probability targets where a logit is -inf and its target 0: torch
  nan (0 * -inf); ours 0, the masked-class convention torch itself follows for index targets.
* x / x (one node twice) at |x| ~ 1e-30: the two partial gradients cancel; torch keeps a
  rounding residue (2**48 in float64), ours gives exactly 0.
* BCE of a saturated sigmoid (p (1 - p) < 1e-12, |x| > ~27), second order: torch's eps
  in its backward gives an artefact (up to O(1)); ours the true p (1 - p).
* cosine_embedding_loss near |x| = 0: the eps in the norms sits elsewhere (relative 1e-9).
* End to end (whole programs, each library on its own intermediates): where an op whose
  gradient jumps (``kinked``: relu, max, clamp...) sits after other ops, one ulp of rounding
  difference upstream can put its input on the other side of the kink or break a tie; the
  gradients then differ although every op agreed on identical inputs. Counted as documented
  ("end_to_end_kink").
* Second derivatives of piecewise-linear ops (relu, leaky_relu, hardtanh, clamp, abs,
  max/min): both are 0 almost everywhere; we do not record a graph for a constant gradient.
* Reductions with ``dim`` over max/min use ``amax``/``amin`` semantics here (values only);
  ``t.max(dim)`` returning ``(values, indices)`` is pending on the ops branch.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

import autograd
import nn.functional as F

try:  # the catalogue itself imports without torch; ``theirs`` needs it when called
    import torch
    import torch.nn.functional as TF
except ImportError:  # pragma: no cover
    torch = None
    TF = None


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
    """A documented difference: skip comparing ``what`` ('value', 'grad', 'grad2') when
    ``when(x, sample)`` holds (x: the first input's data)."""

    what: str
    when: Callable[[np.ndarray, Sample], bool]
    reason: str


@dataclass(frozen=True)
class OpInfo:
    name: str
    ours: Callable[..., Any]
    theirs: Callable[..., Any]
    sample: Callable[[Drawer, np.ndarray], Sample | None]
    family: str = "elementwise"
    domain: str = "any"  # what the first input should hold when a program starts with it
    differentiable: bool = True
    second_order: bool = True
    # relative tolerance multiplier (ops whose two implementations round differently)
    tol: float = 1.0
    # its gradient jumps (relu, max, clamp...): one ulp of difference in its input, reached
    # by another computation, can pick another branch (used to classify end-to-end results)
    kinked: bool = False
    pending: str = ""
    known: tuple[Known, ...] = ()


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


def _reduce_call(method: str, torch_method: str) -> tuple[Callable, Callable]:
    def ours(x: Any, dim: Any, keepdim: bool) -> Any:
        if dim is None:
            return getattr(x, method)()
        return getattr(x, method)(dim=dim, keepdim=keepdim)

    def theirs(x: Any, dim: Any, keepdim: bool) -> Any:
        if dim is None:
            return getattr(x, torch_method)()
        return getattr(x, torch_method)(dim=dim, keepdim=keepdim)

    return ours, theirs


def _amax(x: Any, dim: Any, keepdim: bool, smallest: bool = False) -> Any:
    """Our amax/amin: the method once the ops branch adds it, else max/min (values only)."""
    name = "amin" if smallest else "amax"
    fn = getattr(x, name, None) or getattr(x, "min" if smallest else "max")
    return fn(dim=dim, keepdim=keepdim)


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


def _index_ours(x: Any, idx: Any) -> Any:
    return x[idx.data if isinstance(idx, autograd.Tensor) else idx]


def _index_theirs(x: Any, idx: Any) -> Any:
    return x[idx]


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


def _kw(kwargs: dict, conv: Callable) -> dict:
    return {k: conv(v) if isinstance(v, Leaf) else v for k, v in kwargs.items()}


# --- known differences --------------------------------------------------------------------
def _has(pred: Callable[[np.ndarray], np.ndarray]) -> Callable[[np.ndarray, Sample], bool]:
    def when(x: np.ndarray, s: Sample) -> bool:
        with np.errstate(invalid="ignore"):
            return bool(np.any(pred(x)))

    return when


_NAN = _has(np.isnan)
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
ELU_NAN = Known("grad", _NAN, "torch's ELU gradient at nan depends on the length (1 or nan)")
ELU_NAN2 = Known("grad2", _NAN, ELU_NAN.reason)
HARDTANH_NAN = Known("grad", _NAN, "torch's hardtanh gradient at nan is 1 or 0 by length")
EXTREMUM_NAN = Known(
    "grad",
    lambda x, s: (
        bool(np.isnan(x).any())
        or any(isinstance(a, Leaf) and np.isnan(a.data).any() for a in s.args)
    ),
    "maximum/minimum with a nan: torch passes the gradient to both inputs, ours to one "
    "(pending: max/NaN semantics belong to the ops branch)",
)
REDUCE_NAN = Known(
    "grad",
    _NAN,
    "max/min/amax/amin over a nan: torch sends the gradient to the nan, ours splits it over "
    "the elements equal to the result (none) (pending: NaN reductions belong to the ops branch)",
)
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
SELF_DIV_TINY = Known(
    "grad",
    lambda x, s: s.args[0] == SAME and bool(np.any((np.abs(x) < 1e-20) & (x != 0))),
    "x / x at |x| ~ 1e-30: the partials 1/x and -x/x**2 cancel; torch keeps a rounding "
    "residue (2**48 in float64), ours cancels exactly to 0",
)
BCE_SATURATED_GRAD2 = Known(
    "grad2",
    _has(lambda x: np.abs(x) > 25),
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


# --- the catalogue --------------------------------------------------------------------------
def unary(
    name: str,
    ours: Callable,
    theirs: Callable,
    sample: Callable = no_args,
    **kw: Any,
) -> OpInfo:
    return OpInfo(name, ours, theirs, sample, family="elementwise", **kw)


def _t(name: str) -> Callable:
    return lambda x, *a, **k: getattr(torch, name)(x, *a, **k)


CATALOGUE: list[OpInfo] = [
    # arithmetic with a number
    unary("neg", lambda x: -x, lambda x: -x, second_order=False),
    unary("add_scalar", lambda x, c: x + c, lambda x, c: x + c, scalar_arg([1.0, -2.5, 0.0])),
    unary("rsub_scalar", lambda x, c: c - x, lambda x, c: c - x, scalar_arg([1.0, -3.0])),
    unary("mul_scalar", lambda x, c: x * c, lambda x, c: x * c, scalar_arg([2.0, -0.5, 0.0])),
    unary("div_scalar", lambda x, c: x / c, lambda x, c: x / c, scalar_arg([2.0, -0.5, 0.0])),
    unary("rdiv_scalar", lambda x, c: c / x, lambda x, c: c / x, scalar_arg([1.0, -2.0])),
    unary(
        "pow_scalar",
        lambda x, c: x**c,
        lambda x, c: x**c,
        scalar_arg([2, 3, 2.0, 0.5, -0.5, -1.0, 0.0, 1.5, -2]),
        known=(SQRT_POW, SQRT_POW_VALUE, SQRT_POW_GRAD2),
    ),
    unary(
        "rpow_scalar",
        lambda x, c: c**x,
        lambda x, c: c**x,
        scalar_arg([2.0, 0.5, 0.0]),
        known=(Known("grad2", lambda x, s: s.args[0] == 0, ZERO_DIVISOR_GRAD2.reason),),
    ),
    # elementwise maths
    unary(
        "abs", lambda x: abs(x), torch.abs if torch else None, kinked=True, known=(PIECEWISE_GRAD2,)
    ),
    unary("exp", lambda x: x.exp(), _t("exp")),
    unary("log", lambda x: x.log(), _t("log"), domain="positive"),
    unary("sqrt", lambda x: x.sqrt(), _t("sqrt"), domain="positive"),
    unary("square", lambda x: x**2, lambda x: x**2),
    unary(
        "clamp",
        lambda x, lo, hi: x.clip(lo, hi),
        lambda x, lo, hi: x.clamp(lo, hi),
        lambda d, x: Sample(d.choice([(-1.0, 1.0), (0.0, None), (None, 0.5), (1.0, -1.0)])),
        kinked=True,
        known=(PIECEWISE_GRAD2,),
    ),
    # activations
    unary("sigmoid", F.sigmoid, _t("sigmoid")),
    unary("tanh", F.tanh, _t("tanh")),
    unary("relu", F.relu, _t("relu"), kinked=True, known=(PIECEWISE_GRAD2,)),
    unary(
        "leaky_relu",
        lambda x, a: F.leaky_relu(x, a),
        lambda x, a: TF.leaky_relu(x, a),
        scalar_arg([0.01, 0.2]),
        kinked=True,
        known=(PIECEWISE_GRAD2,),
    ),
    unary(
        "elu",
        lambda x, a: F.elu(x, a),
        lambda x, a: TF.elu(x, a),
        scalar_arg([1.0, 0.5, 2.0]),
        known=(ELU_NAN, ELU_NAN2),
    ),
    unary("selu", F.selu, lambda x: TF.selu(x), known=(ELU_NAN, ELU_NAN2)),
    unary(
        "softplus",
        lambda x, b, t: F.softplus(x, b, t),
        lambda x, b, t: TF.softplus(x, b, t),
        lambda d, x: Sample(d.choice([(1.0, 20.0), (2.0, 5.0), (0.5, 1.0)])),
        known=(
            Known(
                "grad2",
                lambda x, s: bool(np.any(x * s.args[0] == s.args[1])),
                SOFTPLUS_THRESHOLD.reason,
            ),
        ),
    ),
    unary("silu", F.silu, lambda x: TF.silu(x)),
    unary("mish", F.mish, lambda x: TF.mish(x), known=(MISH_LARGE,)),
    unary(
        "gelu",
        lambda x: F.gelu(x),
        lambda x: TF.gelu(x),
        known=(GELU_TAIL, GELU_TAIL_GRAD, Known("grad2", GELU_TAIL.when, GELU_TAIL.reason)),
    ),
    unary(
        "gelu_tanh",
        lambda x: F.gelu(x, approximate="tanh"),
        lambda x: TF.gelu(x, approximate="tanh"),
        known=(GELU_TANH_INF, Known("grad2", GELU_TANH_INF.when, GELU_TANH_INF.reason)),
        tol=4.0,
    ),
    unary(
        "hardtanh",
        lambda x, lo, hi: F.hardtanh(x, lo, hi),
        lambda x, lo, hi: TF.hardtanh(x, lo, hi),
        lambda d, x: Sample(d.choice([(-1.0, 1.0), (-2.0, 0.5)])),
        kinked=True,
        known=(HARDTANH_NAN, PIECEWISE_GRAD2),
    ),
    # two tensors, broadcasting
    OpInfo("add", lambda a, b: a + b, lambda a, b: a + b, partner(), family="binary"),
    OpInfo("sub", lambda a, b: a - b, lambda a, b: a - b, partner(), family="binary"),
    OpInfo("mul", lambda a, b: a * b, lambda a, b: a * b, partner(), family="binary"),
    OpInfo(
        "div",
        lambda a, b: a / b,
        lambda a, b: a / b,
        partner(),
        family="binary",
        known=(ZERO_DIVISOR_GRAD2, SELF_DIV_TINY),
    ),
    OpInfo(
        "pow",
        lambda a, b: a**b,
        lambda a, b: a**b,
        partner(),
        family="binary",
        tol=4.0,
        known=(POW_GRAD2, POW_ZERO_EXPONENT),
    ),
    OpInfo(
        "maximum",
        autograd.maximum,
        lambda a, b: torch.maximum(a, b),
        partner(),
        family="binary",
        kinked=True,
        known=(PIECEWISE_GRAD2, EXTREMUM_NAN),
    ),
    OpInfo(
        "minimum",
        autograd.minimum,
        lambda a, b: torch.minimum(a, b),
        partner(),
        family="binary",
        kinked=True,
        known=(PIECEWISE_GRAD2, EXTREMUM_NAN),
    ),
    # reductions
    OpInfo("sum", *_reduce_call("sum", "sum"), reduce_sample(), family="reduction"),
    OpInfo("mean", *_reduce_call("mean", "mean"), reduce_sample(), family="reduction"),
    OpInfo(
        "max_all",
        lambda x: x.max(),
        lambda x: x.max(),
        lambda d, x: Sample() if x.size else None,
        family="reduction",
        kinked=True,
        known=(PIECEWISE_GRAD2, REDUCE_NAN),
    ),
    OpInfo(
        "min_all",
        lambda x: x.min(),
        lambda x: x.min(),
        lambda d, x: Sample() if x.size else None,
        family="reduction",
        kinked=True,
        known=(PIECEWISE_GRAD2, REDUCE_NAN),
    ),
    OpInfo(
        "amax",
        lambda x, dim, keepdim: _amax(x, dim, keepdim),
        lambda x, dim, keepdim: x.amax(dim=dim, keepdim=keepdim),
        lambda d, x: (
            (s := reduce_sample(allow_none=False)(d, x)) and (Sample(s.args) if x.size else None)
        ),
        family="reduction",
        pending="ours is max(dim) until the ops branch adds amax; empty input: ops branch",
        kinked=True,
        known=(PIECEWISE_GRAD2, REDUCE_NAN),
    ),
    OpInfo(
        "amin",
        lambda x, dim, keepdim: _amax(x, dim, keepdim, smallest=True),
        lambda x, dim, keepdim: x.amin(dim=dim, keepdim=keepdim),
        lambda d, x: (
            (s := reduce_sample(allow_none=False)(d, x)) and (Sample(s.args) if x.size else None)
        ),
        family="reduction",
        pending="ours is min(dim) until the ops branch adds amin; empty input: ops branch",
        kinked=True,
        known=(PIECEWISE_GRAD2, REDUCE_NAN),
    ),
    OpInfo(
        "softmax",
        lambda x, dim: F.softmax(x, dim=dim),
        lambda x, dim: TF.softmax(x, dim=dim),
        softmax_sample,
        family="softmax",
    ),
    OpInfo(
        "log_softmax",
        lambda x, dim: F.log_softmax(x, dim=dim),
        lambda x, dim: TF.log_softmax(x, dim=dim),
        softmax_sample,
        family="softmax",
    ),
    # shape
    OpInfo(
        "reshape",
        lambda x, s: x.reshape(s),
        lambda x, s: x.reshape(s),
        reshape_sample,
        family="shape",
        second_order=False,
    ),
    OpInfo(
        "permute",
        lambda x, p: x.permute(*p) if p else x.permute(),
        lambda x, p: torch.permute(x, p),
        permute_sample,
        family="shape",
        second_order=False,
    ),
    OpInfo(
        "flatten",
        lambda x: x.flatten(),
        lambda x: x.flatten(),
        no_args,
        family="shape",
        second_order=False,
    ),
    OpInfo(
        "unsqueeze",
        lambda x, dim: x.unsqueeze(dim),
        lambda x, dim: x.unsqueeze(dim),
        unsqueeze_sample,
        family="shape",
        second_order=False,
    ),
    OpInfo(
        "squeeze",
        lambda x, dim: x.squeeze(dim),
        lambda x, dim: x.squeeze(dim),
        squeeze_sample,
        family="shape",
        second_order=False,
    ),
    OpInfo(
        "expand",
        lambda x, s: x.expand(*s),
        lambda x, s: x.expand(s),
        expand_sample,
        family="shape",
        second_order=False,
    ),
    OpInfo(
        "index",
        _index_ours,
        _index_theirs,
        index_sample,
        family="indexing",
        second_order=False,
    ),
    OpInfo("matmul", lambda a, b: a @ b, lambda a, b: a @ b, matmul_sample, family="matmul"),
    OpInfo(
        "rmatmul",
        lambda a, b: b @ a,
        lambda a, b: b @ a,
        lambda d, x: matmul_sample(d, x.T if x.ndim == 2 else x),
        family="matmul",
    ),
    # losses
    OpInfo(
        "mse_loss",
        lambda x, t, **k: F.mse_loss(x, t, **k),
        lambda x, t, **k: TF.mse_loss(x, t, **k),
        target_loss("any"),
        family="loss",
    ),
    OpInfo(
        "l1_loss",
        lambda x, t, **k: F.l1_loss(x, t, **k),
        lambda x, t, **k: TF.l1_loss(x, t, **k),
        target_loss("any"),
        family="loss",
        kinked=True,
        known=(PIECEWISE_GRAD2,),
    ),
    OpInfo(
        "huber_loss",
        lambda x, t, **k: F.huber_loss(x, t, **k),
        lambda x, t, **k: TF.huber_loss(x, t, **k),
        target_loss("any", delta=[1.0, 0.5]),
        family="loss",
        known=(HUBER_BOUNDARY,),
    ),
    OpInfo(
        "smooth_l1_loss",
        lambda x, t, **k: F.smooth_l1_loss(x, t, **k),
        lambda x, t, **k: TF.smooth_l1_loss(x, t, **k),
        target_loss("any", beta=[1.0, 0.5]),
        family="loss",
        known=(HUBER_BOUNDARY,),
    ),
    OpInfo(
        "bce_with_logits",
        lambda x, t, **k: F.binary_cross_entropy_with_logits(x, t, **k),
        lambda x, t, **k: TF.binary_cross_entropy_with_logits(x, t, **k),
        target_loss("unit"),
        family="loss",
    ),
    OpInfo(
        "bce_of_sigmoid",
        lambda x, t, **k: F.binary_cross_entropy(x.sigmoid(), t, **k),
        lambda x, t, **k: TF.binary_cross_entropy(x.sigmoid(), t, **k),
        target_loss("unit"),
        family="loss",
        tol=8.0,
        known=(
            BCE_TARGET,
            SIGMOID_EDGE,
            Known("grad", SIGMOID_EDGE.when, SIGMOID_EDGE.reason),
            BCE_SATURATED_GRAD2,
        ),
    ),
    OpInfo(
        "kl_div",
        lambda x, t, **k: F.kl_div(x, t, **k),
        lambda x, t, **k: TF.kl_div(x, t, **k),
        target_loss("unit", log_target=[False]),
        family="loss",
        known=(KL_TARGET_ZERO, Known("grad2", KL_TARGET_ZERO.when, KL_TARGET_ZERO.reason)),
    ),
    OpInfo(
        "cross_entropy",
        lambda x, t, **k: F.cross_entropy(x, t, **k),
        lambda x, t, **k: TF.cross_entropy(x, t, **k),
        class_target_sample,
        family="loss",
        known=(CE_MASKED_PROBS, Known("grad", CE_MASKED_PROBS.when, CE_MASKED_PROBS.reason)),
    ),
    OpInfo(
        "nll_loss",
        lambda x, t, **k: F.nll_loss(x, t, **k),
        lambda x, t, **k: TF.nll_loss(x, t, **k),
        nll_sample,
        family="loss",
        second_order=False,
    ),
    OpInfo(
        "margin_ranking_loss",
        lambda x, x2, t, **k: F.margin_ranking_loss(x, x2, t, **k),
        lambda x, x2, t, **k: TF.margin_ranking_loss(x, x2, t, **k),
        pair_loss("sign", rows=False),
        family="loss",
        kinked=True,
        known=(PIECEWISE_GRAD2,),
    ),
    OpInfo(
        "cosine_embedding_loss",
        lambda x, x2, t, **k: F.cosine_embedding_loss(x, x2, t, **k),
        lambda x, x2, t, **k: TF.cosine_embedding_loss(x, x2, t, **k),
        pair_loss("sign", rows=True),
        family="loss",
        tol=100.0,  # eps placement in the norms differs: relative 1e-9 near |x| = 0
    ),
    OpInfo(
        "triplet_margin_loss",
        lambda x, p, n, **k: F.triplet_margin_loss(x, p, n, **k),
        lambda x, p, n, **k: TF.triplet_margin_loss(x, p, n, **k),
        triplet_sample,
        family="loss",
        tol=8.0,
    ),
]

BY_NAME: dict[str, OpInfo] = {op.name: op for op in CATALOGUE}
assert len(BY_NAME) == len(CATALOGUE), "op names must be unique"

__all__ = [
    "BY_NAME",
    "CATALOGUE",
    "SAME",
    "Drawer",
    "Known",
    "Leaf",
    "OpInfo",
    "Sample",
]
