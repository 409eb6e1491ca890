"""Run one computation in the library and in PyTorch; compare outputs and gradients.

Both sides get the same float64 arrays; the output is back-propagated with the same random
upstream gradient, so every entry of every gradient is checked, not just their sum.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pytest

from autograd import Tensor

torch = pytest.importorskip("torch")

RTOL = 1e-10
ATOL = 1e-12


def to_torch(a: Any, requires_grad: bool = False) -> Any:
    """A torch tensor with the array's dtype (and grad flag); non-arrays pass through."""
    if isinstance(a, np.ndarray):
        return torch.tensor(a, requires_grad=requires_grad)
    return a


def compare(
    ours: Callable[..., Any],
    theirs: Callable[..., Any] | None,
    arrays: Sequence[Any],
    grads: Sequence[bool] | None = None,
    *,
    rtol: float = RTOL,
    atol: float = ATOL,
    seed: int = 0,
) -> None:
    """``ours(*Tensors)`` and ``theirs(*torch tensors)`` agree in value, dtype and gradients.

    ``arrays`` are ndarrays (become nodes; they require grad where ``grads`` says so, by
    default every floating one) or other constants passed as they are. ``theirs`` defaults to
    ``ours`` (for code that reads the same in both libraries, e.g. operators).
    """
    theirs = theirs or ours
    if grads is None:
        grads = [isinstance(a, np.ndarray) and a.dtype.kind == "f" for a in arrays]

    def ours_node(a: Any, g: bool) -> Any:
        return Tensor(a, requires_grad=g) if isinstance(a, np.ndarray) else a

    o_nodes = [ours_node(a, g) for a, g in zip(arrays, grads)]
    out = ours(*o_nodes)
    t_nodes = [to_torch(a, g) for a, g in zip(arrays, grads)]
    ref = theirs(*t_nodes)
    ref_np = ref.detach().numpy()
    assert out.shape == tuple(ref.shape), (out.shape, tuple(ref.shape))
    assert out.dtype == ref_np.dtype, (out.dtype, ref_np.dtype)
    np.testing.assert_allclose(out.data, ref_np, rtol=rtol, atol=atol, err_msg="forward")
    if not any(grads) or not ref.requires_grad:
        return
    up = np.random.default_rng(seed).normal(size=ref_np.shape).astype(ref_np.dtype)
    out.backward(up)
    ref.backward(torch.tensor(up))
    for i, (o, t, g) in enumerate(zip(o_nodes, t_nodes, grads)):
        if not g:
            continue
        t_grad = np.zeros_like(arrays[i]) if t.grad is None else t.grad.numpy()
        o_grad = np.zeros_like(arrays[i]) if o.grad is None else o.grad
        assert o_grad.dtype == t_grad.dtype, (i, o_grad.dtype, t_grad.dtype)
        np.testing.assert_allclose(
            o_grad, t_grad, rtol=rtol, atol=atol, err_msg=f"gradient of argument {i}"
        )


def normal(shape: Any, seed: int, scale: float = 1.0, dtype: Any = np.float64) -> np.ndarray:
    """Standard normal samples (times ``scale``) from a fixed seed."""
    return np.asarray(np.random.default_rng(seed).normal(size=shape) * scale, dtype=dtype)


def layer_pair(name: str, *args: Any) -> tuple[Any, Any]:
    """``nn.<name>(*args)`` and ``torch.nn.<name>(*args)`` in float64, torch's holding our
    parameters and buffers."""
    import nn

    ours = getattr(nn, name)(*args).double()
    theirs = getattr(torch.nn, name)(*args).double()
    theirs.load_state_dict({k: torch.tensor(v) for k, v in ours.state_dict().items()})
    return ours, theirs
