"""``nn.utils.parametrizations.orthogonal``: for every map, shape (tall, wide, square,
batched) and dtype the parametrized weight has orthonormal columns (rows when wide); with
trivialization it starts as the Q factor of the weight (R's diagonal positive), assigning
goes through ``right_inverse`` as PyTorch documents, gradients to the original match central
finite differences in float64 (first and second order, real and complex), and bad calls are
refused. Against torch: tests/test_torch_oracle/test_orthogonal_vs_torch.py."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
import nn
from autograd import Tensor
from autograd.testing import gradcheck, gradgradcheck
from nn.utils.parametrizations import orthogonal

MAPS = ["matrix_exp", "cayley", "householder"]


def _module(w: np.ndarray, **kw: Any) -> nn.Module:
    m = nn.Module()
    m.weight = nn.Parameter(autograd.tensor(w))
    return orthogonal(m, **kw)


def _assert_orthonormal(q: np.ndarray) -> None:
    """Orthonormal columns (tall or square) or rows (wide)."""
    if q.shape[-2] < q.shape[-1]:
        q = np.swapaxes(q, -1, -2)
    gram = np.conj(np.swapaxes(q, -1, -2)) @ q
    np.testing.assert_allclose(gram, np.broadcast_to(np.eye(q.shape[-1]), gram.shape), atol=1e-12)


def _assert_q_factor(q: np.ndarray, w: np.ndarray) -> None:
    """q is the Q of w = QR with R upper triangular with a positive real diagonal."""
    if q.shape[-2] < q.shape[-1]:
        q, w = np.swapaxes(q, -1, -2), np.swapaxes(w, -1, -2)
    r = np.conj(np.swapaxes(q, -1, -2)) @ w
    np.testing.assert_allclose(np.tril(r, -1), 0, atol=1e-10)
    diag = np.diagonal(r, axis1=-2, axis2=-1)
    assert (diag.real > 0).all()
    np.testing.assert_allclose(diag.imag, 0, atol=1e-10)
    np.testing.assert_allclose(q @ r, w, atol=1e-10)


_shapes = st.tuples(st.sampled_from([(), (2,)]), st.integers(1, 5), st.integers(1, 5)).map(
    lambda t: (*t[0], t[1], t[2])
)


@settings(max_examples=40, deadline=None)
@given(_shapes, st.sampled_from([None, *MAPS]), st.booleans(), st.booleans(), st.integers(0, 2**31))
def test_the_weight_is_orthogonal_and_starts_as_the_q_factor(
    shape: tuple, orthogonal_map: Any, use_trivialization: bool, complex_: bool, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    complex_ = complex_ and orthogonal_map != "householder"
    w = rng.normal(size=shape) + (1j * rng.normal(size=shape) if complex_ else 0)
    m = _module(w, orthogonal_map=orthogonal_map, use_trivialization=use_trivialization)
    q = m.weight.detach().numpy()
    assert q.shape == w.shape and q.dtype == w.dtype
    _assert_orthonormal(q)
    expected_map = orthogonal_map or (
        "matrix_exp" if shape[-1] == shape[-2] or complex_ else "householder"
    )
    assert m.parametrizations.weight[0].orthogonal_map == expected_map
    if use_trivialization or expected_map == "householder":
        _assert_q_factor(q, w)
    else:  # matrix_exp and cayley cannot be inverted: the original is the weight as it was
        np.testing.assert_array_equal(m.parametrizations.weight.original.detach().numpy(), w)
    # the optimiser's step keeps it orthogonal
    (m.weight.abs() ** 2 * Tensor(rng.normal(size=shape))).sum().backward()
    original = m.parametrizations.weight.original
    step = original.grad.numpy()
    original.data = original.data - 0.1 * step / max(1.0, float(np.abs(step).max()))
    _assert_orthonormal(m.weight.detach().numpy())


def _original(shape: tuple, orthogonal_map: str, rng: np.random.Generator) -> np.ndarray:
    """An original away from householder's sign steps: its diagonal is +-1.5."""
    x = rng.normal(size=shape) * 0.5
    if orthogonal_map == "householder":
        k = np.arange(min(shape[-2:]))
        x[..., k, k] = np.where(rng.random(k.size) < 0.5, -1.5, 1.5)
    return x


@settings(max_examples=20, deadline=None)
@given(_shapes, st.sampled_from(MAPS), st.booleans(), st.integers(0, 2**31))
def test_gradients_to_the_original_match_finite_differences(
    shape: tuple, orthogonal_map: str, use_trivialization: bool, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    m = _module(rng.normal(size=shape), orthogonal_map=orthogonal_map,
                use_trivialization=use_trivialization)  # fmt: skip
    parametrization = m.parametrizations.weight[0]
    x = Tensor(_original(shape, orthogonal_map, rng), requires_grad=True)
    assert gradcheck(parametrization, [x])
    assert gradgradcheck(lambda a: parametrization(a) ** 2, [x])


@pytest.mark.parametrize("orthogonal_map", ["matrix_exp", "cayley"])
@pytest.mark.parametrize("shape", [(3, 3), (4, 2), (2, 3)])
def test_complex_gradients_match_finite_differences(orthogonal_map: str, shape: tuple) -> None:
    rng = np.random.default_rng(1)
    w = rng.normal(size=shape) + 1j * rng.normal(size=shape)
    parametrization = _module(w, orthogonal_map=orthogonal_map).parametrizations.weight[0]

    def f(re: Tensor, im: Tensor) -> Tensor:
        return autograd.view_as_real(parametrization(autograd.complex(re, im)))

    parts = [Tensor(rng.normal(size=shape) * 0.5, requires_grad=True) for _ in range(2)]
    assert gradcheck(f, parts)
    assert gradgradcheck(f, parts)


def test_trivialization_keeps_an_orthogonal_base_and_minus_identity_as_original() -> None:
    rng = np.random.default_rng(2)
    q0 = np.linalg.qr(rng.normal(size=(4, 4)))[0]
    m = _module(q0)  # already orthogonal: the base is q0 itself
    base = m.parametrizations.weight[0].base
    np.testing.assert_array_equal(base.numpy(), q0)
    np.testing.assert_array_equal(m.parametrizations.weight.original.detach().numpy(), -np.eye(4))
    np.testing.assert_allclose(m.weight.detach().numpy(), q0, atol=1e-15)
    assert list(m.state_dict()) == ["parametrizations.weight.original",
                                    "parametrizations.weight.0.base"]  # fmt: skip
    # assigning a non-orthogonal matrix: the base becomes its Q factor
    w = rng.normal(size=(4, 4))
    m.weight = Tensor(w)
    _assert_q_factor(m.parametrizations.weight[0].base.numpy(), w)
    _assert_q_factor(m.weight.detach().numpy(), w)
    # a tall one: completed with random columns, so only the first columns are w's Q factor
    tall, w = _module(rng.normal(size=(5, 2))), rng.normal(size=(5, 2))
    tall.weight = Tensor(w)
    base = tall.parametrizations.weight[0].base.numpy()
    assert base.shape == (5, 5)
    _assert_orthonormal(base)
    _assert_q_factor(base[:, :2], w)
    np.testing.assert_allclose(tall.weight.detach().numpy(), base[:, :2], atol=1e-15)


def test_assignment_without_trivialization() -> None:
    rng = np.random.default_rng(3)
    w = rng.normal(size=(5, 3))
    m = _module(rng.normal(size=(5, 3)), orthogonal_map="householder", use_trivialization=False)
    assert "base" not in dict(m.named_buffers())
    m.weight = Tensor(w)
    _assert_q_factor(m.weight.detach().numpy(), w)
    diag = np.diagonal(m.parametrizations.weight.original.detach().numpy())
    assert set(np.abs(diag)) == {1.0}
    for orthogonal_map in ("matrix_exp", "cayley"):
        m = _module(rng.normal(size=(3, 3)), orthogonal_map=orthogonal_map,
                    use_trivialization=False)  # fmt: skip
        with pytest.raises(NotImplementedError, match="use_trivialization=False"):
            m.weight = Tensor(w[:3])
    with pytest.raises(ValueError, match=r"of shape \(5, 3\)\. Got a tensor of shape \(3, 5\)"):
        _module(w).weight = Tensor(w.T.copy())


def test_bad_calls_are_refused() -> None:
    with pytest.raises(ValueError, match="Got a tensor of 1 dimensions"):
        _module(np.ones(3))
    with pytest.raises(ValueError, match='one of "matrix_exp", "cayley", "householder". Got: qr'):
        _module(np.eye(3), orthogonal_map="qr")
    with pytest.raises(ValueError, match="householder parametrization does not support complex"):
        _module(np.eye(3) + 0j, orthogonal_map="householder")
    with pytest.raises(ValueError, match="has no parameter or buffer with name 'kernel'"):
        orthogonal(nn.Linear(2, 2), "kernel")


def test_a_linear_layer_trains_with_an_orthogonal_weight() -> None:
    layer = orthogonal(nn.Linear(3, 5).double())
    assert repr(layer.parametrizations.weight[0]) == "_Orthogonal()"
    assert type(layer).__name__ == "ParametrizedLinear"
    opt = __import__("optim").SGD(layer.parameters(), lr=0.1)
    x = Tensor(np.random.default_rng(4).normal(size=(6, 3)))
    for _ in range(3):
        opt.zero_grad()
        layer(x).pow(2).sum().backward()
        opt.step()
    _assert_orthonormal(layer.weight.detach().numpy())
