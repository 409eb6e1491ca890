"""The local derivative rule of each built-in op, as a short line of text for the explorer.

Keyed by the Function's class name; a Function not listed (a user's own op) is described by
the first line of its docstring.
"""

from __future__ import annotations

RULES: dict[str, str] = {
    "Add": "d(a + b)/da = 1,  d(a + b)/db = 1",
    "Sub": "d(a - b)/da = 1,  d(a - b)/db = -1",
    "Mul": "d(a * b)/da = b,  d(a * b)/db = a",
    "Div": "d(a / b)/da = 1/b,  d(a / b)/db = -a/b^2",
    "Pow": "d(a^b)/da = b a^(b-1),  d(a^b)/db = a^b ln a",
    "Neg": "d(-a)/da = -1",
    "Exp": "d(e^x)/dx = e^x",
    "Log": "d(ln x)/dx = 1/x",
    "Sqrt": "d(sqrt x)/dx = 1 / (2 sqrt x)",
    "Abs": "d|x|/dx = sign(x)",
    "Clip": "d clip(x)/dx = 1 inside [min, max], else 0",
    "Maximum": "d max(a, b)/da = 1 where a > b (1/2 at ties), else 0",
    "Minimum": "d min(a, b)/da = 1 where a < b (1/2 at ties), else 0",
    "Where": "d where(c, a, b)/da = c,  /db = 1 - c",
    "Sigmoid": "d s(x)/dx = s (1 - s)",
    "Tanh": "d tanh(x)/dx = 1 - tanh(x)^2",
    "ReLU": "d relu(x)/dx = 1 if x > 0 else 0",
    "LeakyReLU": "dy/dx = 1 if x > 0 else negative_slope",
    "ELU": "dy/dx = 1 if x > 0 else y + alpha",
    "SELU": "dy/dx = scale if x > 0 else scale * alpha * e^x",
    "Softplus": "dy/dx = sigmoid(beta x)",
    "Swish": "dy/dx = s + beta x s (1 - s),  s = sigmoid(beta x)",
    "SiLU": "dy/dx = s + x s (1 - s),  s = sigmoid(x)",
    "Mish": "dy/dx = tanh(sp) + x sigmoid(x) (1 - tanh(sp)^2),  sp = softplus(x)",
    "NormalCDF": "d Phi(x)/dx = phi(x)",
    "GELU": "d (x Phi(x))/dx = Phi(x) + x phi(x)",
    "Hardtanh": "dy/dx = 1 strictly inside [min_val, max_val], else 0",
    "Step": "dy/dx = 0 (a threshold has no slope)",
    "Identity": "dy/dx = 1",
    "PReLU": "dy/dx = 1 if x > 0 else a;  dy/da = x where x <= 0",
    "Softmax": "dy_i/dx_j = y_i (delta_ij - y_j)",
    "LogSoftmax": "dy_i/dx_j = delta_ij - softmax(x)_j",
    "Sum": "d sum(x)/dx_i = 1 (the gradient is copied to every entry)",
    "Mean": "d mean(x)/dx_i = 1/n (the gradient over n is copied to every entry)",
    "Max": "d max(x)/dx_i = 1 at the maximum (shared at ties), else 0",
    "Min": "d min(x)/dx_i = 1 at the minimum (shared at ties), else 0",
    "MatMul": "d(A @ B)/dA: G @ B^T,  d(A @ B)/dB: A^T @ G",
    "Linear": "y = x W^T + b:  dL/dx = G @ W,  dL/dW = G^T @ x,  dL/db = sum of G over the batch",
    "Reshape": "the gradient is reshaped back to the input's shape",
    "Transpose": "the gradient is transposed back",
    "BroadcastTo": "the gradient is summed over the broadcast axes",
    "Concatenate": "each input gets its slice of the gradient",
    "GetItem": "the gradient goes to the selected entries (summed where repeated), 0 elsewhere",
    "ScatterAdd": "d/d(source) = the gradient gathered at the indices; d/d(input) = 1",
}


def rule_of(fn: type) -> str:
    """The rule text of a Function class, or of the op behind a ``grad_fn`` (its docstring's
    first line when not in the table)."""
    fn = getattr(fn, "fn", fn)
    for cls in getattr(fn, "__mro__", (fn,)):
        rule = RULES.get(cls.__name__)
        if rule is not None:
            return rule
        if cls.__name__ == "Function":
            break
    doc = (fn.__doc__ or "").strip()
    return doc.splitlines()[0] if doc else f"{fn.__name__}: no rule text"
