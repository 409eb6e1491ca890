"""``gradcheck`` and ``gradgradcheck``: analytic derivatives against central differences.

Both compare the full Jacobian: every element of every output against every element of every
input that requires grad. The analytic side takes one backward pass per output element
(``autograd.grad`` with a one-hot ``grad_outputs``); the numeric side perturbs each input
element in place by +-eps and takes ``(f(x + eps) - f(x - eps)) / (2 eps)``, restoring the
exact original value afterwards. An element passes when
``|analytic - numeric| <= atol + rtol * |numeric|`` (PyTorch's criterion and defaults).

Tensors must be float64: with float32 data the rounding error of a central difference with
eps = 1e-6 is about 1e-7 / 1e-6 = 10 % of the derivative, far above the tolerances, so a
check would fail (or, with loosened tolerances, prove little). Inputs are refused rather than
converted so that the function is checked on exactly the nodes it was given.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..grad import grad
from ..node import Node
from ..random import default_generator
from ..tensor import Tensor
from ..value import Value


class GradcheckError(AssertionError):
    """A derivative disagrees with its finite-difference estimate (or cannot be checked)."""


@dataclass
class _Checked:
    """An input whose derivative is checked: its position in ``inputs`` and its node."""

    position: int
    node: Node

    @property
    def size(self) -> int:
        return 1 if isinstance(self.node, Value) else self.node._data.size

    def describe(self) -> str:
        if isinstance(self.node, Value):
            return f"input {self.position} (Value)"
        return f"input {self.position} (Tensor of shape {self.node.data.shape})"

    def element(self, flat: int) -> str:
        if isinstance(self.node, Value):
            return ""
        return f" element {_index(flat, self.node.data.shape)}"


def _index(flat: int, shape: tuple) -> tuple:
    return tuple(int(i) for i in np.unravel_index(flat, shape))


def _as_input_list(inputs: Any) -> list[Any]:
    if isinstance(inputs, Node):
        return [inputs]
    if isinstance(inputs, (str, bytes)) or not isinstance(inputs, Sequence):
        raise TypeError(
            f"gradcheck: inputs must be a Value, a Tensor or a sequence of them, "
            f"got {type(inputs).__name__}"
        )
    return list(inputs)


def _float64_problem(node: Node) -> str | None:
    if isinstance(node, Tensor) and node._data.dtype != np.float64:
        return (
            f"has dtype {node.data.dtype}, not float64: finite differences in lower precision "
            "have rounding errors far above atol/rtol, so the check cannot tell right from "
            "wrong. Make it with dtype=np.float64"
        )
    return None


def _checked_inputs(args: list[Any]) -> list[_Checked]:
    checked = []
    for k, a in enumerate(args):
        if not isinstance(a, Node) or not a.requires_grad:
            continue
        problem = _float64_problem(a)
        if problem is not None:
            raise TypeError(f"gradcheck: input {k} {problem}")
        checked.append(_Checked(k, a))
    if not checked:
        raise ValueError(
            "gradcheck: no input requires grad, so there is nothing to check "
            "(pass Values, or Tensors with requires_grad=True)"
        )
    return checked


def _outputs(fn: Callable[..., Any], args: list[Any]) -> list[Node]:
    out = fn(*args)
    outs = list(out) if isinstance(out, (tuple, list)) else [out]
    for j, o in enumerate(outs):
        if not isinstance(o, Node):
            raise TypeError(
                f"gradcheck: fn must return a Value or a Tensor (or a tuple of them); "
                f"output {j} is a {type(o).__name__}"
            )
        problem = _float64_problem(o)
        if problem is not None:
            raise TypeError(f"gradcheck: output {j} {problem}")
    return outs


def _flat_data(node: Node) -> np.ndarray:
    """A float64 copy of the node's data, flattened (a copy: inputs are perturbed in place)."""
    return np.array(node._data, dtype=np.float64).reshape(-1)


def _output_size(o: Node) -> int:
    return 1 if isinstance(o, Value) else o._data.size


def _output_element(outs: list[Node], row: int, names: Sequence[str]) -> str:
    for name, o in zip(names, outs):
        n = _output_size(o)
        if row < n:
            return name if isinstance(o, Value) else f"{name} element {_index(row, o.data.shape)}"
        row -= n
    raise IndexError(row)


def _one_hot(o: Node, k: int) -> Any:
    if isinstance(o, Value):
        return 1.0
    seed = np.zeros(o._data.size, dtype=o._data.dtype)
    seed[k] = 1.0
    return seed.reshape(o._data.shape)


def _analytic(outs: list[Node], checked: list[_Checked]) -> list[np.ndarray]:
    """Per checked input, the Jacobian (rows: all output elements; columns: its elements)."""
    rows = sum(_output_size(o) for o in outs)
    jac = [np.zeros((rows, c.size)) for c in checked]
    nodes = [c.node for c in checked]
    row = 0
    for o in outs:
        for k in range(_output_size(o)):
            if o.requires_grad:
                gs = grad(
                    [o], nodes, grad_outputs=[_one_hot(o, k)], retain_graph=True, allow_unused=True
                )
                for J, g in zip(jac, gs):
                    if g is not None:
                        J[row] = _flat_data(g)
            row += 1
    return jac


class _Perturbed:
    """Reads and writes one element of an input's data in place."""

    def __init__(self, node: Node) -> None:
        self.node = node
        self.original_array = None
        if isinstance(node, Tensor) and not node._data.flags.writeable:
            self.original_array = node._data
            node.data = node._data.copy()

    def get(self, k: int) -> float:
        if isinstance(self.node, Value):
            return self.node._data
        return self.node._data.flat[k]

    def set(self, k: int, v: float) -> None:
        if isinstance(self.node, Value):
            self.node.data = v
        else:
            self.node._data.flat[k] = v

    def close(self) -> None:
        if self.original_array is not None:
            self.node.data = self.original_array


def _numeric(
    fn: Callable[..., Any], args: list[Any], checked: list[_Checked], eps: float, rows: int
) -> list[np.ndarray]:
    """Per checked input, the central-difference Jacobian, same layout as ``_analytic``."""

    def evaluate() -> np.ndarray:
        return np.concatenate([_flat_data(o) for o in _outputs(fn, args)])

    jac = []
    for c in checked:
        J = np.zeros((rows, c.size))
        slot = _Perturbed(c.node)
        try:
            for k in range(c.size):
                x = slot.get(k)
                try:
                    slot.set(k, x + eps)
                    up = evaluate()
                    slot.set(k, x - eps)
                    down = evaluate()
                finally:
                    slot.set(k, x)
                J[:, k] = (up - down) / (2.0 * eps)
        finally:
            slot.close()
        jac.append(J)
    return jac


def _compare(
    analytic: list[np.ndarray],
    numeric: list[np.ndarray],
    checked: list[_Checked],
    outs: list[Node],
    atol: float,
    rtol: float,
    what: str,
    names: Sequence[str],
) -> None:
    for c, A, N in zip(checked, analytic, numeric):
        excess = np.abs(A - N) - (atol + rtol * np.abs(N))
        excess = np.where(np.isnan(A) | np.isnan(N), np.inf, excess)
        if A.size == 0 or np.max(excess) <= 0:
            continue
        row, col = (int(i) for i in np.unravel_index(int(np.argmax(excess)), A.shape))
        bad = int(np.count_nonzero(excess > 0))
        a, n = float(A[row, col]), float(N[row, col])
        raise GradcheckError(
            f"{what} mismatch for {c.describe()}{c.element(col)}: "
            f"d({_output_element(outs, row, names)}) / d(input {c.position}{c.element(col)}) "
            f"is {a!r} analytic, {n!r} numeric (difference {abs(a - n):.3g}, allowed "
            f"{atol:g} + {rtol:g} * |numeric|); {bad} of {A.size} Jacobian entries of this "
            "input disagree"
        )


def _check(
    fn: Callable[..., Any],
    args: list[Any],
    eps: float,
    atol: float,
    rtol: float,
    what: str,
    names: Sequence[str] | None = None,
) -> bool:
    checked = _checked_inputs(args)
    outs = _outputs(fn, args)
    if names is None:
        names = ["output"] if len(outs) == 1 else [f"output {j}" for j in range(len(outs))]
    analytic = _analytic(outs, checked)
    rows = sum(_output_size(o) for o in outs)
    numeric = _numeric(fn, args, checked, eps, rows)
    _compare(analytic, numeric, checked, outs, atol, rtol, what, names)
    return True


def gradcheck(
    fn: Callable[..., Any],
    inputs: Any,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    *,
    raise_exception: bool = True,
) -> bool:
    """Check the first derivatives of ``fn`` at ``inputs`` against central differences.

    ``fn(*inputs)`` returns a Value or Tensor of any shape (or a tuple of them); ``inputs`` is
    one node or a sequence (non-node items are passed through as constants). Every input that
    requires grad is checked, element by element, against every output element. Tensors must
    be float64. Returns True, or raises ``GradcheckError`` naming the input, the worst element
    and the analytic and numeric values; with ``raise_exception=False`` returns False instead
    (as ``torch.autograd.gradcheck``, which is this function under ``autograd.gradcheck``).
    """
    return _verdict(
        lambda: _check(fn, _as_input_list(inputs), eps, atol, rtol, "gradient"), raise_exception
    )


def torch_gradcheck(
    func: Callable[..., Any],
    inputs: Any,
    *,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    raise_exception: bool = True,
    **options: Any,
) -> bool:
    """``torch.autograd.gradcheck``'s signature (``autograd.gradcheck``): ``gradcheck`` above.
    torch's other options (``fast_mode``, ``nondet_tol``, ``check_undefined_grad``...) are
    accepted; every check here is the full, deterministic one."""
    _known_options("gradcheck", options, _GRADCHECK_OPTIONS)
    return gradcheck(func, inputs, eps, atol, rtol, raise_exception=raise_exception)


def torch_gradgradcheck(
    func: Callable[..., Any],
    inputs: Any,
    grad_outputs: Any = None,
    *,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    raise_exception: bool = True,
    **options: Any,
) -> bool:
    """``torch.autograd.gradgradcheck``'s signature (``autograd.gradgradcheck``):
    ``gradgradcheck`` above, the first gradient weighted by ``grad_outputs`` when given."""
    _known_options("gradgradcheck", options, _GRADGRADCHECK_OPTIONS)
    return _verdict(
        lambda: _check_second(func, inputs, eps, atol, rtol, grad_outputs), raise_exception
    )


_GRADCHECK_OPTIONS = frozenset(
    {
        "nondet_tol",
        "check_undefined_grad",
        "check_grad_dtypes",
        "check_batched_grad",
        "check_batched_forward_grad",
        "check_forward_ad",
        "check_backward_ad",
        "fast_mode",
        "masked",
    }
)
_GRADGRADCHECK_OPTIONS = frozenset(
    {
        "gen_non_contig_grad_outputs",
        "nondet_tol",
        "check_undefined_grad",
        "check_grad_dtypes",
        "check_batched_grad",
        "check_fwd_over_rev",
        "check_rev_over_rev",
        "fast_mode",
        "masked",
    }
)


def _known_options(name: str, options: dict, known: frozenset) -> None:
    unknown = sorted(set(options) - known)
    if unknown:
        raise TypeError(f"{name}() got an unexpected keyword argument {unknown[0]!r}")


def _verdict(check: Callable[[], bool], raise_exception: bool) -> bool:
    """``check()``, or False in place of its GradcheckError when not raising."""
    try:
        return check()
    except GradcheckError:
        if raise_exception:
            raise
        return False


def _projection(o: Node) -> Any:
    """Weights for the output's elements: random signs, magnitudes in [0.5, 1.5] (none tiny)."""
    rng = default_generator()
    shape = () if isinstance(o, Value) else o._data.shape
    w = rng.uniform(0.5, 1.5, size=shape) * rng.choice([-1.0, 1.0], size=shape)
    return float(w) if isinstance(o, Value) else w


def gradgradcheck(
    fn: Callable[..., Any],
    inputs: Any,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    *,
    raise_exception: bool = True,
) -> bool:
    """Check the second derivatives of ``fn`` at ``inputs`` against central differences.

    The first gradient ``g(x) = d<w, fn(x)>/dx`` is taken with ``autograd.grad(...,
    create_graph=True)`` for fixed random weights ``w`` (random signs, magnitudes in
    [0.5, 1.5], so every output element counts); its full Jacobian, computed by autograd, is
    compared with central differences of ``g``. A backward rule that is right but not
    differentiable (written with raw numpy on saved data) fails here. Same arguments, result
    and error as ``gradcheck``.
    """
    return _verdict(lambda: _check_second(fn, inputs, eps, atol, rtol), raise_exception)


def _check_second(
    fn: Callable[..., Any],
    inputs: Any,
    eps: float,
    atol: float,
    rtol: float,
    grad_outputs: Any = None,
) -> bool:
    args = _as_input_list(inputs)
    checked = _checked_inputs(args)
    nodes = [c.node for c in checked]
    if grad_outputs is None:
        weights = [_projection(o) for o in _outputs(fn, args)]
    else:  # the caller's weights (torch's grad_outputs), as raw data
        given = grad_outputs if isinstance(grad_outputs, (list, tuple)) else [grad_outputs]
        weights = [w._data if isinstance(w, Node) else w for w in given]

    def first_gradient(*xs: Any) -> tuple:
        pairs = [(o, w) for o, w in zip(_outputs(fn, list(xs)), weights) if o.requires_grad]
        if not pairs:
            return (None,) * len(nodes)
        outs, ws = zip(*pairs)
        try:
            return grad(
                list(outs), nodes, grad_outputs=list(ws), create_graph=True, allow_unused=True
            )
        except Exception as e:  # a backward that cannot run on nodes is the failure we report
            raise GradcheckError(
                f"the first derivative is not differentiable: computing it with "
                f"create_graph=True raised {type(e).__name__}: {e}"
            ) from e

    grads = first_gradient(*args)
    differentiable = [g is not None and g.requires_grad for g in grads]

    def checked_gradient(*xs: Any) -> tuple:
        gs = first_gradient(*xs)
        return tuple(g if d else _constant_like(g, n) for g, d, n in zip(gs, differentiable, nodes))

    names = [f"gradient for input {c.position}" for c in checked]
    return _check(checked_gradient, args, eps, atol, rtol, "second derivative", names)


def _constant_like(g: Node | None, like: Node) -> Node:
    """A gradient that does not depend on the inputs, as a node (its Jacobian is zero)."""
    if isinstance(like, Value):
        return Value(0.0 if g is None else g._data)
    data = np.zeros_like(like._data) if g is None else g._data
    return Tensor(np.array(data, dtype=np.float64))
