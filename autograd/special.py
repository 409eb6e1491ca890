"""``autograd.special``: PyTorch's ``torch.special`` (special functions under their SciPy
names), each the library's differentiable op, reused where the function exists elsewhere."""

from __future__ import annotations

import math
import numbers
from typing import Any

from .node import Node
from .ops import special_functions as sf
from .tensor import Tensor

__all__ = [
    "digamma",
    "entr",
    "erf",
    "erfc",
    "erfcx",
    "erfinv",
    "exp2",
    "expit",
    "expm1",
    "gammaln",
    "i0",
    "i0e",
    "i1",
    "i1e",
    "log1p",
    "log_ndtr",
    "log_softmax",
    "logit",
    "logsumexp",
    "multigammaln",
    "ndtr",
    "ndtri",
    "polygamma",
    "psi",
    "round",
    "sinc",
    "softmax",
    "xlog1py",
    "xlogy",
    "zeta",
]


def _t(x: Any) -> Tensor:
    return x if isinstance(x, Tensor) else Tensor(x)


def _pair(x: Any, y: Any, op: str) -> tuple:
    """Two operands of a two-input function: at least one a Tensor (numbers stay numbers)."""
    if not isinstance(x, Node) and not isinstance(y, Node):
        raise TypeError(f"{op}: expected at least one Tensor argument")
    return x, y


def expit(input: Any) -> Tensor:  # noqa: A002
    """The logistic sigmoid 1 / (1 + e^-x)."""
    return _t(input).sigmoid()


def logit(input: Any, eps: float | None = None) -> Tensor:  # noqa: A002
    """log(p / (1 - p)), p clamped to [eps, 1 - eps] first when eps is given."""
    return _t(input).logit(eps)


def erf(input: Any) -> Tensor:  # noqa: A002
    """The error function."""
    return _t(input).erf()


def erfc(input: Any) -> Tensor:  # noqa: A002
    """1 - erf(x), without cancellation for large x."""
    return _t(input).erfc()


def erfinv(input: Any) -> Tensor:  # noqa: A002
    """The inverse of erf on [-1, 1]."""
    return _t(input).erfinv()


def erfcx(input: Any) -> Tensor:  # noqa: A002
    """The scaled complementary error function e^(x^2) erfc(x)."""
    return sf.Erfcx.apply(_t(input))


def xlogy(input: Any, other: Any) -> Tensor:  # noqa: A002
    """x log y, 0 where x == 0 (nan where y is nan)."""
    return sf.Xlogy.apply(*_pair(input, other, "xlogy"))


def xlog1py(input: Any, other: Any) -> Tensor:  # noqa: A002
    """x log(1 + y), 0 where x == 0 (nan where y is nan)."""
    return sf.Xlog1py.apply(*_pair(input, other, "xlog1py"))


def gammaln(input: Any) -> Tensor:  # noqa: A002
    """log |Gamma(x)|."""
    return _t(input).lgamma()


def digamma(input: Any) -> Tensor:  # noqa: A002
    """The logarithmic derivative of Gamma."""
    return _t(input).digamma()


psi = digamma


def polygamma(n: int, input: Any) -> Tensor:  # noqa: A002
    """The n-th derivative of digamma."""
    return _t(input).polygamma(n)


def multigammaln(input: Any, p: int) -> Tensor:  # noqa: A002
    """The log of the multivariate gamma function of dimension p:
    p (p - 1) / 4 log(pi) + sum_{i < p} lgamma(x - i / 2)."""
    x = _t(input)
    if isinstance(p, bool) or not isinstance(p, numbers.Integral) or p < 1:
        raise ValueError(f"multigammaln: p has to be greater than or equal to 1, got {p}")
    total = x.lgamma()
    for i in range(1, p):
        total = total + (x - i / 2).lgamma()
    return total + p * (p - 1) / 4 * math.log(math.pi)


def i0(input: Any) -> Tensor:  # noqa: A002
    """The modified Bessel function of the first kind, order 0."""
    return _t(input).i0()


def i0e(input: Any) -> Tensor:  # noqa: A002
    """e^(-|x|) I0(x)."""
    return sf.I0e.apply(_t(input))


def i1(input: Any) -> Tensor:  # noqa: A002
    """The modified Bessel function of the first kind, order 1."""
    return sf.I1.apply(_t(input))


def i1e(input: Any) -> Tensor:  # noqa: A002
    """e^(-|x|) I1(x)."""
    return sf.I1e.apply(_t(input))


def sinc(input: Any) -> Tensor:  # noqa: A002
    """sin(pi x) / (pi x), 1 at 0."""
    return _t(input).sinc()


def entr(input: Any) -> Tensor:  # noqa: A002
    """-x log x (0 at 0, -inf for x < 0)."""
    return sf.Entr.apply(_t(input))


def ndtr(input: Any) -> Tensor:  # noqa: A002
    """The standard normal distribution function (1 + erf(x / sqrt 2)) / 2, computed as
    erfc(-x / sqrt 2) / 2 (no cancellation in the lower tail)."""
    return (_t(input) * (-1 / math.sqrt(2))).erfc() * 0.5


def ndtri(input: Any) -> Tensor:  # noqa: A002
    """The standard normal quantile function (ndtr's inverse)."""
    return sf.Ndtri.apply(_t(input))


def log_ndtr(input: Any) -> Tensor:  # noqa: A002
    """log(ndtr(x)), accurate in both tails."""
    return sf.LogNdtr.apply(_t(input))


def log1p(input: Any) -> Tensor:  # noqa: A002
    """log(1 + x)."""
    return _t(input).log1p()


def expm1(input: Any) -> Tensor:  # noqa: A002
    """e^x - 1."""
    return _t(input).expm1()


def exp2(input: Any) -> Tensor:  # noqa: A002
    """2^x."""
    return _t(input).exp2()


def round(input: Any, *, decimals: int = 0) -> Tensor:  # noqa: A001, A002
    """Round to ``decimals`` places, halves to even."""
    return _t(input).round(decimals=decimals)


def softmax(input: Any, dim: int, *, dtype: Any = None) -> Tensor:  # noqa: A002
    """softmax along ``dim`` (computed in ``dtype`` when given)."""
    return _t(input).softmax(dim, dtype=dtype)


def log_softmax(input: Any, dim: int, *, dtype: Any = None) -> Tensor:  # noqa: A002
    """log of softmax along ``dim``."""
    return _t(input).log_softmax(dim, dtype=dtype)


def logsumexp(input: Any, dim: Any, keepdim: bool = False) -> Tensor:  # noqa: A002
    """log of the sum of exponentials over ``dim``."""
    return _t(input).logsumexp(dim, keepdim=keepdim)


def zeta(input: Any, other: Any) -> Tensor:  # noqa: A002
    """The Hurwitz zeta function sum_k (other + k)^-input (differentiable in ``other``)."""
    return sf.Zeta.apply(*_pair(input, other, "zeta"))
