"""The results of the new torch.linalg functions that carry no gradient (info, rank, pivots,
the lstsq drivers' residuals / rank / singular values, failed factorizations) and their
errors, against torch: every field of the named results with its name, dtype, shape and
values. (Values and gradients of the differentiable results: the catalogue entries.)"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import autograd  # noqa: E402

RNG = np.random.default_rng(7)
SPD = (lambda m: m @ m.T + np.eye(3))(RNG.standard_normal((3, 3)))
NOT_PD = np.array([[4.0, 1.0, 7.0], [100.0, 1.0, 8.0], [5.0, 6.0, 9.0]])
SINGULAR = np.stack([np.eye(3) * 2, np.diag([1.0, 0.0, 1.0]), np.zeros((3, 3))])
LOW_RANK = RNG.standard_normal((2, 5, 2)) @ RNG.standard_normal((2, 2, 4))


def _same(fn: Callable[[Any, list], Any], arrays: list[np.ndarray]) -> None:
    ours = fn(autograd, [autograd.tensor(a) for a in arrays])
    theirs = fn(torch, [torch.tensor(a) for a in arrays])
    pairs = [("", ours, theirs)]
    if isinstance(theirs, tuple):
        assert type(ours).__name__ == type(theirs).__name__
        assert len(ours) == len(theirs)
        pairs = [(f, getattr(ours, f), getattr(theirs, f)) for f in ours._fields]
    for name, o, t in pairs:
        t_np = t.numpy()
        assert tuple(o.shape) == tuple(t_np.shape), (name, o.shape, t_np.shape)
        assert o.dtype == t_np.dtype, (name, o.dtype, t_np.dtype)
        tol = (1e-5, 1e-6) if t_np.dtype == np.float32 else (1e-9, 1e-10)
        np.testing.assert_allclose(np.asarray(o.data), t_np, rtol=tol[0], atol=tol[1],
                                   err_msg=name)  # fmt: skip


CASES: dict[str, tuple[Callable[[Any, list], Any], list[np.ndarray]]] = {
    "inv_ex_fine": (lambda L, a: L.linalg.inv_ex(a[0]), [SPD]),
    "inv_ex_info": (lambda L, a: L.linalg.inv_ex(a[0]).info, [SINGULAR]),
    "solve_ex_info": (lambda L, a: L.linalg.solve_ex(a[0], a[0][:, 0]).info, [SINGULAR]),
    "solve_ex_fine": (lambda L, a: L.linalg.solve_ex(a[0], a[0][:2], left=False), [SPD]),
    "cholesky_ex_fine": (lambda L, a: L.linalg.cholesky_ex(a[0], upper=True), [SPD]),
    "cholesky_ex_failed": (lambda L, a: L.linalg.cholesky_ex(a[0]), [NOT_PD]),
    "cholesky_ex_failed_upper_info": (
        lambda L, a: L.linalg.cholesky_ex(a[0], upper=True).info,
        [NOT_PD],
    ),
    "cholesky_ex_batch_info": (
        lambda L, a: L.linalg.cholesky_ex(a[0]).info,
        [np.stack([SPD, -SPD, NOT_PD])],
    ),
    "matrix_rank": (lambda L, a: L.linalg.matrix_rank(a[0]), [LOW_RANK]),
    "matrix_rank_tol": (lambda L, a: L.linalg.matrix_rank(a[0], 1.0), [LOW_RANK]),
    "matrix_rank_atol_rtol": (
        lambda L, a: L.linalg.matrix_rank(a[0], atol=0.5, rtol=0.2),
        [LOW_RANK],
    ),
    "matrix_rank_tensor_rtol": (
        lambda L, a: L.linalg.matrix_rank(a[0], rtol=a[1]),
        [LOW_RANK, np.array([0.01, 0.6])],
    ),
    "matrix_rank_hermitian": (
        lambda L, a: L.linalg.matrix_rank(a[0] + a[0].mT, hermitian=True),
        [LOW_RANK[..., :4, :]],
    ),
    "cond_singular": (
        lambda L, a: L.stack([L.linalg.cond(a[0], p) for p in ("fro", 1, -math.inf)]),
        [SINGULAR],
    ),
    "cond_zero_2": (lambda L, a: L.linalg.cond(a[0]), [SINGULAR]),
    "lu_factor_ex_singular": (lambda L, a: L.linalg.lu_factor_ex(a[0]), [SINGULAR]),
    "lu_factor_tall": (lambda L, a: L.linalg.lu_factor(a[0]), [RNG.standard_normal((5, 3))]),
    "lu_factor_wide": (lambda L, a: L.linalg.lu_factor(a[0]), [RNG.standard_normal((2, 3, 5))]),
    "lu_batch": (lambda L, a: L.linalg.lu(a[0]), [np.stack([SPD, NOT_PD])]),
    "lu_ties": (lambda L, a: L.linalg.lu(a[0]), [np.array([[1.0, 2], [-1, 3]])]),
    "vander_int": (lambda L, a: L.linalg.vander(a[0], N=4), [np.array([[1, 2, 3]], np.int32)]),
}
LSTSQ_SHAPES = {
    "tall": ((2, 5, 3), (2, 5, 2)),
    "vector": ((5, 3), (5,)),
    "wide": ((3, 5), (3, 2)),
    "broadcast": ((1, 5, 3), (2, 5, 2)),
}
for _driver in (None, "gels", "gelsy", "gelsd", "gelss"):
    for _name, _shapes in LSTSQ_SHAPES.items():
        CASES[f"lstsq_{_name}_{_driver}"] = (
            lambda L, a, d=_driver: L.linalg.lstsq(a[0], a[1], driver=d),
            [RNG.standard_normal(s) for s in _shapes],
        )
for _driver in (None, "gelsy", "gelsd", "gelss"):
    CASES[f"lstsq_rank_deficient_{_driver}"] = (
        lambda L, a, d=_driver: L.linalg.lstsq(a[0], a[0][..., :2], driver=d),
        [LOW_RANK.swapaxes(-1, -2)],
    )


@pytest.mark.parametrize("name", list(CASES))
def test_named_results_match_torch(name: str) -> None:
    _same(*CASES[name])


ERRORS: dict[str, Callable[[Any], Any]] = {
    "inv_ex_check": lambda L: L.linalg.inv_ex(L.zeros(2, 3, 3), check_errors=True),
    "solve_ex_check": lambda L: L.linalg.solve_ex(L.zeros(3, 3), L.ones(3), check_errors=True),
    "cholesky_ex_check": lambda L: L.linalg.cholesky_ex(-L.eye(3), check_errors=True),
    "lstsq_driver": lambda L: L.linalg.lstsq(L.ones(3, 2), L.ones(3, 1), driver="x"),
    "lstsq_rows": lambda L: L.linalg.lstsq(L.ones(3, 2), L.ones(4, 1)),
    "lstsq_dims": lambda L: L.linalg.lstsq(L.ones(3, 2), L.ones(2, 2, 3, 1)),
    "cond_norm": lambda L: L.linalg.cond(L.eye(3), 3),
    "cond_not_square": lambda L: L.linalg.cond(L.ones(3, 2), "nuc"),
    "solve_triangular_vector": lambda L: L.linalg.solve_triangular(L.eye(3), L.ones(3), upper=True),
    "solve_triangular_shapes": lambda L: L.linalg.solve_triangular(
        L.eye(3), L.ones(2, 3), upper=True
    ),
    "multi_dot_one": lambda L: L.linalg.multi_dot([L.ones(2, 2)]),
    "multi_dot_3d": lambda L: L.linalg.multi_dot([L.ones(2, 2, 2), L.ones(2, 2)]),
    "multi_dot_shapes": lambda L: L.linalg.multi_dot([L.ones(2, 3), L.ones(2, 3)]),
    "vander_n": lambda L: L.linalg.vander(L.ones(3), N=1),
    "vander_bool": lambda L: L.linalg.vander(L.ones(3) > 0),
    "cross_length": lambda L: L.linalg.cross(L.ones(2, 4), L.ones(2, 4)),
    "cross_ndim": lambda L: L.linalg.cross(L.ones(2, 3), L.ones(3)),
    "vecdot_dtype": lambda L: L.linalg.vecdot(L.ones(3), L.ones(3, dtype=L.float64)),
    "tensorinv_sizes": lambda L: L.linalg.tensorinv(L.ones(4, 6, 8, 2)),
    "tensorsolve_sizes": lambda L: L.linalg.tensorsolve(L.ones(2, 3, 5), L.ones(2, 3)),
    "lu_factor_singular": lambda L: L.linalg.lu_factor(L.zeros(3, 3)),
    "lu_no_pivot": lambda L: L.linalg.lu(L.eye(3), pivot=False),
    "lu_factor_ex_check": lambda L: L.linalg.lu_factor_ex(L.zeros(3, 3), check_errors=True),
    "lu_solve_vector": lambda L: L.linalg.lu_solve(*L.linalg.lu_factor(L.eye(3)), L.ones(3)),
    "lu_solve_shapes": lambda L: L.linalg.lu_solve(*L.linalg.lu_factor(L.eye(3)), L.ones(2, 3)),
    "eig_not_square": lambda L: L.linalg.eig(L.ones(2, 3)),
    "eigvals_int": lambda L: L.linalg.eigvals(L.ones(3, 3, dtype=L.int64)),
    "householder_wide": lambda L: L.linalg.householder_product(L.ones(2, 3), L.ones(2)),
    "householder_tau": lambda L: L.linalg.householder_product(L.ones(3, 2), L.ones(3)),
    "ldl_factor_singular": lambda L: L.linalg.ldl_factor(L.zeros(3, 3)),
    "ldl_factor_ex_check": lambda L: L.linalg.ldl_factor_ex(L.zeros(3, 3), check_errors=True),
    "lu_solve_dtype": lambda L: L.linalg.lu_solve(
        *L.linalg.lu_factor(L.eye(3, dtype=L.float64)), L.ones(3, 2)
    ),
    "matrix_exp_not_square": lambda L: L.linalg.matrix_exp(L.ones(2, 3)),
}


@pytest.mark.parametrize("name", list(ERRORS))
def test_bad_calls_fail_in_both(name: str) -> None:
    with pytest.raises(RuntimeError):
        ERRORS[name](torch)
    with pytest.raises((RuntimeError, ValueError, TypeError)):
        ERRORS[name](autograd)


@pytest.mark.parametrize("name", ["inv_ex_check", "solve_ex_check", "cholesky_ex_check"])
def test_check_errors_raise_linalg_error_in_both(name: str) -> None:
    with pytest.raises(torch.linalg.LinAlgError):
        ERRORS[name](torch)
    with pytest.raises(autograd.linalg.LinAlgError):
        ERRORS[name](autograd)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape", [(3, 3), (2, 4, 4)])
def test_eig_and_eigvals_match_torch(dtype, shape) -> None:
    """Eigenvalues as torch's (LAPACK's order); each eigenvector up to its phase, which
    differs between LAPACK builds (torch documents it as arbitrary)."""
    a = RNG.standard_normal(shape).astype(dtype)
    w, v = autograd.linalg.eig(autograd.tensor(a))
    tw, tv = torch.linalg.eig(torch.tensor(a))
    tol = {"rtol": 1e-4, "atol": 1e-5} if dtype == np.float32 else {"rtol": 1e-9, "atol": 1e-10}
    assert w.dtype == tw.numpy().dtype and v.dtype == tv.numpy().dtype
    np.testing.assert_allclose(w.data, tw.numpy(), **tol)
    np.testing.assert_allclose(autograd.linalg.eigvals(autograd.tensor(a)).data, tw.numpy(), **tol)
    overlap = np.abs(np.einsum("...ij,...ij->...j", v.data.conj(), tv.numpy()))
    np.testing.assert_allclose(overlap, 1.0, **tol)


def test_householder_product_of_geqrf_is_qr_q() -> None:
    a = RNG.standard_normal((2, 5, 3))
    qr = torch.geqrf(torch.tensor(a))
    q = autograd.linalg.householder_product(
        autograd.tensor(qr.a.numpy()), autograd.tensor(qr.tau.numpy())
    )
    np.testing.assert_allclose(q.data, torch.linalg.qr(torch.tensor(a)).Q.numpy(), atol=1e-12)


def _symmetric(seed: int, shape: tuple) -> np.ndarray | None:
    """A random symmetric matrix (sometimes with a zero diagonal or integer entries, which
    steer Bunch-Kaufman to 2x2 pivots and ties), None when it is nearly singular."""
    rng = np.random.default_rng(seed)
    a = rng.standard_normal(shape)
    if seed % 3 == 1:
        a = np.round(a)
    a = a + np.swapaxes(a, -1, -2)
    if seed % 3 == 2:
        a = a - np.eye(shape[-1]) * np.diagonal(a, axis1=-2, axis2=-1)[..., None, :]
    if np.min(np.abs(np.linalg.eigvalsh(a))) < 1e-3:
        return None
    return a


@pytest.mark.parametrize("seed", range(40))
def test_ldl_factor_and_solve_match_torch(seed: int) -> None:
    shape = ((2,) if seed % 2 else ()) + (1 + seed % 7,) * 2
    a = _symmetric(seed, shape)
    if a is None:
        pytest.skip("nearly singular draw")
    b = np.random.default_rng(seed).standard_normal(shape[:-1] + (2,))
    _same(lambda L, x: L.linalg.ldl_factor_ex(x[0]), [a])
    _same(lambda L, x: L.linalg.ldl_factor(x[0].float(), hermitian=True), [a])
    _same(lambda L, x: L.linalg.ldl_solve(*L.linalg.ldl_factor(x[0]), x[1]), [a, b])


@pytest.mark.parametrize("seed", range(30))
@pytest.mark.parametrize("upper", [False, True])
def test_cholesky_ex_failed_factor_and_info_match_torch(seed: int, upper: bool) -> None:
    """potf2's partial factor (the columns done, the failing pivot's value, the rest as it
    was) and info, for matrices that are positive-definite or not, symmetric or not."""
    rng = np.random.default_rng(seed)
    n = 1 + seed % 5
    a = rng.standard_normal((2, n, n))
    a = a + (a @ np.swapaxes(a, -1, -2) if seed % 2 else 0)
    _same(lambda L, x: L.linalg.cholesky_ex(x[0], upper=upper), [a])
