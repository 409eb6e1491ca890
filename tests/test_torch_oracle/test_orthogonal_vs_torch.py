"""``nn.utils.parametrizations.orthogonal`` against torch's: from the same initial weight, the
same parametrized weight, originals and (square) ``base``; with torch's base copied in, the
same weights and gradients to ``parametrizations.weight.original`` after SGD steps, for
every map, shape, dtype (float32, float64, complex128) and trivialization setting; the same
assignments and the same refusals."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import autograd  # noqa: E402
import nn  # noqa: E402
import optim  # noqa: E402
from nn.utils.parametrizations import orthogonal  # noqa: E402

SHAPES = [(3, 3), (5, 3), (3, 5), (2, 4, 3), (1, 1)]
MAPS = [None, "matrix_exp", "cayley", "householder"]


def _pair(w: np.ndarray, **kw: Any) -> tuple:
    theirs = torch.nn.Module()
    theirs.weight = torch.nn.Parameter(torch.tensor(w))
    torch.nn.utils.parametrizations.orthogonal(theirs, **kw)
    ours = nn.Module()
    ours.weight = nn.Parameter(autograd.tensor(w))
    orthogonal(ours, **kw)
    return ours, theirs


def _close(a: Any, b: Any, dtype: str) -> None:
    tol = 2e-5 if dtype == "float32" else 1e-10
    a = a.detach().numpy() if hasattr(a, "detach") else a
    b = b.detach().numpy() if hasattr(b, "detach") else b
    assert a.shape == b.shape and a.dtype == b.dtype
    np.testing.assert_allclose(a, b, rtol=tol, atol=tol)


@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("orthogonal_map", MAPS)
@pytest.mark.parametrize("use_trivialization", [True, False])
@pytest.mark.parametrize("dtype", ["float64", "float32", "complex128"])
def test_weights_and_gradients_match_torch(shape, orthogonal_map, use_trivialization, dtype):
    if dtype == "complex128" and orthogonal_map == "householder":
        pytest.skip("householder takes no complex weights (both refuse: test_refusals_match)")
    rng = np.random.default_rng(0)
    w = rng.normal(size=shape) + (1j * rng.normal(size=shape) if dtype == "complex128" else 0)
    ours, theirs = _pair(w.astype(dtype), orthogonal_map=orthogonal_map,
                         use_trivialization=use_trivialization)  # fmt: skip
    ours_p, theirs_p = ours.parametrizations.weight, theirs.parametrizations.weight
    assert ours_p[0].orthogonal_map == theirs_p[0].orthogonal_map.name
    _close(ours.weight, theirs.weight, dtype)
    _close(ours_p.original, theirs_p.original, dtype)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    if use_trivialization:
        if shape[-1] == shape[-2]:
            _close(ours_p[0].base, theirs_p[0].base, dtype)
        ours_p[0].base = autograd.tensor(theirs_p[0].base.numpy().copy())  # random completion
    steps = [lib.SGD([p.original], lr=0.2) for lib, p in ((optim, ours_p), (torch.optim, theirs_p))]
    target = rng.normal(size=shape).astype(np.float32 if dtype == "float32" else np.float64)
    for _ in range(3):
        for lib, module, step in ((autograd, ours, steps[0]), (torch, theirs, steps[1])):
            step.zero_grad()
            weight = module.weight
            real = lib.view_as_real(weight)[..., 0] if weight.is_complex() else weight
            (real * lib.tensor(target)).sum().backward()
        _close(ours_p.original.grad, theirs_p.original.grad, dtype)
        for step in steps:
            step.step()
        _close(ours.weight, theirs.weight, dtype)


@pytest.mark.parametrize("shape", [(4, 4), (5, 3), (3, 5)], ids=str)
@pytest.mark.parametrize("orthogonal_map", MAPS)
def test_assignment_matches_torch(shape, orthogonal_map):
    rng = np.random.default_rng(1)
    ours, theirs = _pair(rng.normal(size=shape), orthogonal_map=orthogonal_map)
    for value in (
        rng.normal(size=shape),
        np.linalg.qr(rng.normal(size=(6, 6)))[0][: shape[0], : shape[1]],
    ):
        ours.weight = autograd.tensor(value)
        theirs.weight = torch.tensor(value)
        _close(ours.weight, theirs.weight, "float64")
        _close(ours.parametrizations.weight.original, theirs.parametrizations.weight.original,
               "float64")  # fmt: skip
        if shape[0] == shape[1]:
            _close(ours.parametrizations.weight[0].base, theirs.parametrizations.weight[0].base,
                   "float64")  # fmt: skip
    ours, theirs = _pair(rng.normal(size=shape), orthogonal_map="householder",
                         use_trivialization=False)  # fmt: skip
    value = rng.normal(size=shape)
    ours.weight = autograd.tensor(value)
    theirs.weight = torch.tensor(value)
    _close(ours.weight, theirs.weight, "float64")
    _close(ours.parametrizations.weight.original, theirs.parametrizations.weight.original,
           "float64")  # fmt: skip


@pytest.mark.parametrize(
    ("weight", "kw", "assign", "error"),
    [
        (np.ones(3), {}, None, ValueError),
        (np.eye(3), dict(orthogonal_map="qr"), None, ValueError),
        (np.eye(3) + 0j, dict(orthogonal_map="householder"), None, ValueError),
        (np.eye(3), dict(name="kernel"), None, ValueError),
        (np.eye(3), {}, np.eye(2), ValueError),
        (np.eye(3), dict(use_trivialization=False), np.eye(3), NotImplementedError),
        (
            np.eye(3),
            dict(orthogonal_map="cayley", use_trivialization=False),
            np.eye(3),
            NotImplementedError,
        ),  # fmt: skip
    ],
)
def test_refusals_match_torch(weight, kw, assign, error):
    for lib, module, make in (
        (autograd, nn.Module(), orthogonal),
        (torch, torch.nn.Module(), torch.nn.utils.parametrizations.orthogonal),
    ):
        module.weight = (nn if lib is autograd else torch.nn).Parameter(lib.tensor(weight))
        if assign is None:
            with pytest.raises(error):
                make(module, **kw)
        else:
            make(module, **kw)
            with pytest.raises(error):
                module.weight = lib.tensor(assign)


def test_the_repr_matches_torch():
    ours, theirs = _pair(np.eye(3))
    assert repr(ours.parametrizations.weight[0]) == repr(theirs.parametrizations.weight[0])
    layer = orthogonal(nn.Linear(3, 4))
    assert repr(layer) == repr(torch.nn.utils.parametrizations.orthogonal(torch.nn.Linear(3, 4)))
