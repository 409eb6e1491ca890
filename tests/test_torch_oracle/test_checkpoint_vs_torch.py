"""nn.utils.checkpoint against torch.utils.checkpoint: the same model and input give the same
outputs and gradients (reentrant or not, whole or in segments), and the same warnings and
errors for torch's rules."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest

torch = pytest.importorskip("torch")
import torch.utils.checkpoint as tcp  # noqa: E402

import autograd  # noqa: E402
import nn  # noqa: E402
from nn.utils import checkpoint as ocp  # noqa: E402

X = np.random.default_rng(3).normal(size=(5, 4))


def pair() -> tuple[Any, Any]:
    autograd.manual_seed(0)
    ours = nn.Sequential(nn.Linear(4, 6), nn.Tanh(), nn.Linear(6, 6), nn.SiLU(), nn.Linear(6, 2))
    theirs = torch.nn.Sequential(
        torch.nn.Linear(4, 6),
        torch.nn.Tanh(),
        torch.nn.Linear(6, 6),
        torch.nn.SiLU(),
        torch.nn.Linear(6, 2),
    ).double()
    ours = ours.double()
    with torch.no_grad():
        for p, tp in zip(ours.parameters(), theirs.parameters()):
            tp.copy_(torch.tensor(p.data))
    return ours, theirs


@pytest.mark.parametrize("reentrant", [True, False])
@pytest.mark.parametrize("segments", [None, 1, 2, 5])
def test_same_outputs_and_gradients(reentrant: bool, segments: int | None) -> None:
    m, tm = pair()
    x = autograd.tensor(X, requires_grad=True)
    tx = torch.tensor(X, requires_grad=True)
    if segments is None:
        y = ocp.checkpoint(m, x, use_reentrant=reentrant)
        ty = tcp.checkpoint(tm, tx, use_reentrant=reentrant)
    else:
        y = ocp.checkpoint_sequential(m, segments, x, use_reentrant=reentrant)
        ty = tcp.checkpoint_sequential(tm, segments, tx, use_reentrant=reentrant)
    np.testing.assert_allclose(y.data, ty.detach().numpy(), rtol=1e-12)
    (y**3).sum().backward()
    (ty**3).sum().backward()
    np.testing.assert_allclose(x.grad.data, tx.grad.numpy(), rtol=1e-10)
    for p, tp in zip(m.parameters(), tm.parameters()):
        np.testing.assert_allclose(p.grad.data, tp.grad.numpy(), rtol=1e-10)


def test_reentrant_without_inputs_that_require_grad_as_torch() -> None:
    m, tm = pair()
    with warnings.catch_warnings(record=True) as ours_w:
        warnings.simplefilter("always")
        y = ocp.checkpoint(m, autograd.tensor(X), use_reentrant=True)
    with warnings.catch_warnings(record=True) as theirs_w:
        warnings.simplefilter("always")
        ty = tcp.checkpoint(tm, torch.tensor(X), use_reentrant=True)
    assert y.requires_grad == ty.requires_grad
    assert [type(w.message) for w in ours_w] == [type(w.message) for w in theirs_w]
    y2 = ocp.checkpoint(m, autograd.tensor(X), use_reentrant=False)
    ty2 = tcp.checkpoint(tm, torch.tensor(X), use_reentrant=False)
    y2.sum().backward()
    ty2.sum().backward()
    for p, tp in zip(m.parameters(), tm.parameters()):
        np.testing.assert_allclose(p.grad.data, tp.grad.numpy(), rtol=1e-10)


def test_missing_use_reentrant_warns_and_bad_keywords_raise_as_torch() -> None:
    for mod, t in ((ocp, autograd.tensor(X, requires_grad=True)), (tcp, torch.tensor(X))):
        with pytest.warns(UserWarning, match="use_reentrant parameter should be passed"):
            mod.checkpoint(lambda v: v * 2, t)
        with pytest.raises(ValueError, match="Unexpected keyword arguments"):
            mod.checkpoint(lambda v, k: v, t, k=1, use_reentrant=True)
        with pytest.raises(ValueError, match="only supported when use_reentrant=False"):
            mod.checkpoint(lambda v: v, t, use_reentrant=True, debug=True)
