"""The torch.linalg products, solvers and ``_ex`` forms without torch: values against numpy,
the results that have no gradient (info, rank, the lstsq drivers' extras), argument rules and
errors. Gradients are checked through the catalogue entries (tests/op_catalogue.py)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
from autograd import linalg
from autograd.ops.lu import getrf, permutation

RNG = np.random.default_rng(0)


def _well(*shape: int) -> np.ndarray:
    return RNG.uniform(-0.5, 0.5, shape) + 2 * np.eye(shape[-1])


def _t(a: np.ndarray) -> autograd.Tensor:
    return autograd.tensor(a)


def test_names_are_exported() -> None:
    for name in ("matrix_exp", "cross", "diagonal", "matmul", "multi_dot", "vecdot", "vander",
                 "solve_triangular", "matrix_rank", "lstsq", "cond", "inv_ex", "cholesky_ex",
                 "solve_ex", "tensorinv", "tensorsolve", "lu", "lu_factor", "lu_factor_ex",
                 "lu_solve", "eig", "eigvals", "householder_product", "ldl_factor",
                 "ldl_factor_ex", "ldl_solve"):  # fmt: skip
        assert name in linalg.__all__
        assert getattr(autograd.linalg, name) is getattr(linalg, name)


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 2**31), st.integers(1, 5), st.integers(1, 5), st.sampled_from([(), (2,)]))
def test_getrf_reconstructs_and_reports_the_first_zero_pivot(seed, m, n, batch) -> None:
    rng = np.random.default_rng(seed)
    a = rng.integers(-2, 3, batch + (m, n)).astype(np.float64)  # (exact zeros happen)
    lu, piv, info = getrf(a)
    k = min(m, n)
    lo = np.tril(lu, -1)[..., :, :k] + np.eye(m, k)
    up = np.triu(lu)[..., :k, :]
    order = permutation(piv, m)
    np.testing.assert_allclose(np.take_along_axis(a, order[..., None], -2), lo @ up, atol=1e-9)
    diag = np.diagonal(up, axis1=-2, axis2=-1)
    first_zero = np.where((diag == 0).any(-1), (diag == 0).argmax(-1) + 1, 0)
    np.testing.assert_array_equal(info, first_zero)
    assert info.dtype == np.int32


def test_inv_ex_and_solve_ex_info() -> None:
    a = np.stack([_well(3, 3), np.diag([1.0, 0.0, 1.0])])
    inverse, info = linalg.inv_ex(_t(a))
    np.testing.assert_array_equal(info.data, [0, 2])
    assert info.dtype == np.int32
    np.testing.assert_allclose(inverse.data[0], np.linalg.inv(a[0]))
    assert np.isnan(inverse.data[1]).all()
    result, info = linalg.solve_ex(_t(a), _t(np.ones((2, 3))))
    np.testing.assert_array_equal(info.data, [0, 2])
    np.testing.assert_allclose(result.data[0], np.linalg.solve(a[0], np.ones(3)))
    with pytest.raises(linalg.LinAlgError, match=r"inv_ex: \(Batch element 1\).*singular"):
        linalg.inv_ex(_t(a), check_errors=True)
    with pytest.raises(linalg.LinAlgError, match="solve_ex"):
        linalg.solve_ex(_t(a), _t(np.ones(3)), check_errors=True)
    with pytest.raises(linalg.LinAlgError, match=r"inv_ex: The diagonal element 1"):
        linalg.inv_ex(_t(np.zeros((2, 2))), check_errors=True)


def test_ex_results_of_good_matrices_keep_their_gradient() -> None:
    a = autograd.tensor(np.stack([_well(3, 3), np.zeros((3, 3))]), requires_grad=True)
    inverse, info = linalg.inv_ex(a)
    inverse[0].sum().backward()
    want = -(np.linalg.inv(a.data[0]).T @ np.ones((3, 3)) @ np.linalg.inv(a.data[0]).T)
    np.testing.assert_allclose(a.grad[0], want)
    np.testing.assert_array_equal(a.grad[1], 0)


def test_cholesky_ex_info_and_partial_factor() -> None:
    spd = _well(3, 3) @ _well(3, 3).T
    lo, info = linalg.cholesky_ex(_t(spd))
    np.testing.assert_allclose(lo.data, np.linalg.cholesky(spd))
    assert int(info.data) == 0 and info.dtype == np.int32
    bad = np.array([[4.0, 1.0, 7.0], [100.0, 1.0, 8.0], [5.0, 6.0, 9.0]])
    lo, info = linalg.cholesky_ex(_t(bad))
    assert int(info.data) == 2  # 1 - 50^2 < 0: the second leading minor
    # potf2 leaves: column 0 done, the failing pivot's value, the rest as it was
    np.testing.assert_allclose(lo.data, [[2.0, 0, 0], [50.0, -2499.0, 0], [2.5, 6.0, 9.0]])
    up, info = linalg.cholesky_ex(_t(bad), upper=True)  # reads the upper triangle
    assert int(info.data) == 3
    np.testing.assert_allclose(up.data[:2, :2], [[2.0, 0.5], [0.0, math.sqrt(0.75)]])
    with pytest.raises(linalg.LinAlgError, match="leading minor of order 2"):
        linalg.cholesky_ex(_t(bad), check_errors=True)


def test_cholesky_upper_reads_the_upper_triangle() -> None:
    a = np.array([[4.0, 1.0], [100.0, 1.0]])
    np.testing.assert_allclose(linalg.cholesky(_t(a), upper=True).data, np.linalg.cholesky(a.T).T)


def test_matrix_rank_rules() -> None:
    u, v = RNG.standard_normal((2, 5, 2)), RNG.standard_normal((2, 2, 4))
    low = u @ v
    np.testing.assert_array_equal(linalg.matrix_rank(_t(low)).data, [2, 2])
    assert linalg.matrix_rank(_t(low)).dtype == np.int64
    s = np.linalg.svd(low, compute_uv=False)
    mid = (s[:, 0] + s[:, 1]) / 2
    np.testing.assert_array_equal(linalg.matrix_rank(_t(low), atol=_t(mid)).data, [1, 1])
    np.testing.assert_array_equal(linalg.matrix_rank(_t(low), rtol=1.0).data, [0, 0])
    np.testing.assert_array_equal(linalg.matrix_rank(_t(low), float(s.max()) + 1).data, [0, 0])
    sym = np.diag([3.0, -2.0, 0.0])
    assert int(linalg.matrix_rank(_t(sym), hermitian=True).data) == 2
    assert int(linalg.matrix_rank(_t(sym), hermitian=True, atol=2.5).data) == 1


@pytest.mark.parametrize("p", [None, 2, -2, "fro", "nuc", 1, -1, math.inf, -math.inf])
def test_cond_matches_numpy(p) -> None:
    a = RNG.standard_normal((2, 3, 3))
    np.testing.assert_allclose(linalg.cond(_t(a), p).data, np.linalg.cond(a, p))


def test_cond_of_singular_and_wide_matrices() -> None:
    assert linalg.cond(_t(np.ones((3, 3))), 1).data == math.inf
    wide = RNG.standard_normal((3, 5))
    np.testing.assert_allclose(linalg.cond(_t(wide)).data, np.linalg.cond(wide))
    with pytest.raises(RuntimeError, match="cond.*square"):
        linalg.cond(_t(wide), "fro")
    with pytest.raises(RuntimeError, match="invalid norm type"):
        linalg.cond(_t(np.eye(3)), 3)


@pytest.mark.parametrize("driver", [None, "gels", "gelsy", "gelsd", "gelss"])
@pytest.mark.parametrize("shape", [(2, 5, 3), (3, 5)])
def test_lstsq_results_per_driver(driver, shape) -> None:
    a = RNG.standard_normal(shape)
    b = RNG.standard_normal(shape[:-1] + (2,))
    x, res, rank, sv = linalg.lstsq(_t(a), _t(b), driver=driver)
    want = np.stack(
        [
            np.linalg.lstsq(m, r, rcond=None)[0]
            for m, r in zip(a.reshape(-1, *shape[-2:]), b.reshape(-1, *b.shape[-2:]))
        ]
    )
    np.testing.assert_allclose(x.data, want.reshape(x.shape), atol=1e-12)
    m, n = shape[-2:]
    batch = shape[:-2]
    if driver in ("gels", "gelsd", "gelss") and m > n:
        np.testing.assert_allclose(res.data, ((a @ x.data - b) ** 2).sum(-2))
    else:
        assert res.shape == (0,)
    if driver == "gels":
        assert rank.shape == (0,)
    else:
        assert rank.shape == batch and rank.dtype == np.int64 and np.all(rank.data == min(m, n))
    if driver in ("gelsd", "gelss"):
        np.testing.assert_allclose(sv.data, np.linalg.svd(a, compute_uv=False))
    else:
        assert sv.shape == (0,)


def test_lstsq_rank_deficient_vector_and_errors() -> None:
    a = RNG.standard_normal((5, 1)) @ RNG.standard_normal((1, 3))
    b = RNG.standard_normal(5)
    x, res, rank, _ = linalg.lstsq(_t(a), _t(b), driver="gelsd")
    np.testing.assert_allclose(x.data, np.linalg.pinv(a) @ b, atol=1e-12)
    assert int(rank.data) == 1 and res.shape == (0,) and x.shape == (3,)
    with pytest.raises(RuntimeError, match="driver"):
        linalg.lstsq(_t(a), _t(b), driver="gelsx")
    with pytest.raises(RuntimeError, match="lstsq"):
        linalg.lstsq(_t(a), _t(b[:4]))
    with pytest.raises(RuntimeError, match="lstsq.*dtype"):
        linalg.lstsq(_t(a), _t(b.astype(np.float32)))


def test_solve_triangular_reads_one_triangle() -> None:
    a, b = _well(2, 3, 3), RNG.standard_normal((2, 3, 4))
    x = linalg.solve_triangular(_t(a), _t(b), upper=True)
    np.testing.assert_allclose(np.triu(a) @ x.data, b, atol=1e-12)
    x = linalg.solve_triangular(_t(a), _t(b), upper=False, unitriangular=True)
    unit = np.tril(a, -1) + np.eye(3)
    np.testing.assert_allclose(unit @ x.data, b, atol=1e-12)
    bt = RNG.standard_normal((4, 3))
    x = linalg.solve_triangular(_t(a), _t(bt), upper=False, left=False)  # batch broadcast
    np.testing.assert_allclose(x.data @ np.tril(a), np.broadcast_to(bt, (2, 4, 3)), atol=1e-12)
    with pytest.raises(RuntimeError, match="at least 2 dimensions"):
        linalg.solve_triangular(_t(a), _t(b[0, :, 0]), upper=True)
    with pytest.raises(RuntimeError, match="Incompatible shapes"):
        linalg.solve_triangular(_t(a), _t(bt), upper=True)
    with pytest.raises(TypeError):
        linalg.solve_triangular(_t(a), _t(b))  # upper is required


def test_multi_dot_matches_the_chained_product_and_refuses_bad_input() -> None:
    ms = [RNG.standard_normal(s) for s in [(4,), (4, 10), (10, 2), (2, 7), (7,)]]
    want = ms[0] @ ms[1] @ ms[2] @ ms[3] @ ms[4]
    np.testing.assert_allclose(linalg.multi_dot([_t(m) for m in ms]).data, want)
    assert linalg.multi_dot([_t(ms[0]), _t(ms[1])]).shape == (10,)
    with pytest.raises(RuntimeError, match="at least 2"):
        linalg.multi_dot([_t(ms[1])])
    with pytest.raises(RuntimeError, match="tensor 1 must be 2D"):
        linalg.multi_dot([_t(ms[1]), _t(ms[0]), _t(ms[1])])
    with pytest.raises(RuntimeError, match="cannot be multiplied"):
        linalg.multi_dot([_t(ms[1]), _t(ms[1])])
    with pytest.raises(RuntimeError, match="same dtype"):
        linalg.multi_dot([_t(ms[1]), _t(ms[2].astype(np.float32))])


def test_vander_cross_vecdot_diagonal() -> None:
    x = RNG.standard_normal((2, 3))
    v = linalg.vander(_t(x), N=4)
    np.testing.assert_allclose(v.data, np.stack([np.vander(r, 4, increasing=True) for r in x]))
    assert linalg.vander(_t(np.array([1, 2], dtype=np.int32))).dtype == np.int64
    with pytest.raises(RuntimeError, match="N must be greater than 1"):
        linalg.vander(_t(x), N=1)
    with pytest.raises(TypeError, match="vander"):
        linalg.vander(_t(np.array([True, False])))
    a, b = RNG.standard_normal((3, 4)), RNG.standard_normal((3, 4))
    np.testing.assert_allclose(linalg.cross(_t(a.T), _t(b.T)).data, np.cross(a.T, b.T))
    np.testing.assert_allclose(linalg.cross(_t(a), _t(b), dim=0).data, np.cross(a, b, axis=0))
    with pytest.raises(RuntimeError, match="length 3"):
        linalg.cross(_t(a), _t(b))
    with pytest.raises(RuntimeError, match="same number of dimensions"):
        linalg.cross(_t(a.T), _t(b[:, 0]))
    np.testing.assert_allclose(linalg.vecdot(_t(a), _t(b), dim=0).data, (a * b).sum(0))
    t = RNG.standard_normal((2, 3, 4))
    np.testing.assert_allclose(
        linalg.diagonal(_t(t), offset=1).data, np.diagonal(t, 1, axis1=-2, axis2=-1)
    )


def test_tensorinv_and_tensorsolve_match_numpy() -> None:
    a = _well(6, 6).reshape(2, 3, 6)
    np.testing.assert_allclose(linalg.tensorinv(_t(a)).data, np.linalg.tensorinv(a, 2))
    a4 = _well(24, 24).reshape(4, 6, 8, 3)
    np.testing.assert_allclose(linalg.tensorinv(_t(a4), ind=2).data, np.linalg.tensorinv(a4, 2))
    b = RNG.standard_normal((2, 3))
    np.testing.assert_allclose(linalg.tensorsolve(_t(a), _t(b)).data, np.linalg.tensorsolve(a, b))
    moved = np.moveaxis(a, 2, 0)  # (6, 2, 3): dims=(0,) moves the 6 back to the end
    got = linalg.tensorsolve(_t(moved), _t(b), dims=(0,)).data
    np.testing.assert_allclose(got, np.linalg.tensorsolve(moved, b, axes=(0,)))
    with pytest.raises(RuntimeError, match="tensorinv"):
        linalg.tensorinv(_t(a4[..., :2]))
    with pytest.raises(ValueError, match="positive"):
        linalg.tensorinv(_t(a), ind=0)
    with pytest.raises(RuntimeError, match="tensorsolve"):
        linalg.tensorsolve(_t(a[..., :5]), _t(b))


def test_matrix_exp_and_matmul() -> None:
    a = RNG.standard_normal((2, 3, 3)) * 0.3
    want = sum(np.linalg.matrix_power(a, k) / math.factorial(k) for k in range(30))
    np.testing.assert_allclose(linalg.matrix_exp(_t(a)).data, want)
    with pytest.raises(RuntimeError, match="matrix_exp"):
        linalg.matrix_exp(_t(a[..., :2]))
    np.testing.assert_allclose(linalg.matmul(_t(a), _t(a)).data, a @ a)


@pytest.mark.parametrize("shape", [(3, 3), (2, 4, 4), (5, 3), (2, 3, 5)])
def test_lu_reconstructs_and_pivots_are_one_based_int32(shape) -> None:
    a = RNG.standard_normal(shape)
    p, lo, up = linalg.lu(_t(a))
    np.testing.assert_allclose(p.data @ lo.data @ up.data, a, atol=1e-12)
    k = min(shape[-2:])
    assert lo.shape == shape[:-1] + (k,) and up.shape == shape[:-2] + (k, shape[-1])
    np.testing.assert_array_equal(np.diagonal(lo.data, axis1=-2, axis2=-1), 1.0)
    packed, pivots = linalg.lu_factor(_t(a))
    assert pivots.dtype == np.int32 and pivots.shape == shape[:-2] + (k,)
    assert pivots.data.min() >= 1
    np.testing.assert_allclose(np.tril(packed.data, -1)[..., :, :k], np.tril(lo.data, -1))
    np.testing.assert_allclose(np.triu(packed.data)[..., :k, :], up.data)


@pytest.mark.parametrize("left", [True, False])
@pytest.mark.parametrize("adjoint", [True, False])
def test_lu_solve_solves_each_equation(left, adjoint) -> None:
    a, b = _well(2, 3, 3), RNG.standard_normal((2, 3, 3))
    x = linalg.lu_solve(*linalg.lu_factor(_t(a)), _t(b), left=left, adjoint=adjoint).data
    m = np.swapaxes(a, -1, -2) if adjoint else a
    np.testing.assert_allclose(m @ x if left else x @ m, b, atol=1e-12)


def test_lu_errors() -> None:
    with pytest.raises(linalg.LinAlgError, match=r"lu_factor: U\[2,2\] is zero"):
        linalg.lu_factor(_t(np.diag([1.0, 0.0, 1.0])))
    _, _, info = linalg.lu_factor_ex(_t(np.diag([1.0, 0.0, 1.0])))
    assert int(info.data) == 2 and info.dtype == np.int32
    with pytest.raises(RuntimeError, match="without pivoting"):
        linalg.lu(_t(np.eye(2)), pivot=False)
    with pytest.raises(RuntimeError, match="pivots"):
        linalg.lu_solve(_t(np.eye(2)), _t(np.array([1.0, 2.0])), _t(np.eye(2)))


def test_eig_is_complex_and_satisfies_its_equation() -> None:
    a = RNG.standard_normal((2, 4, 4))
    w, v = linalg.eig(_t(a))
    assert w.dtype == np.complex128 and v.dtype == np.complex128
    np.testing.assert_allclose(a @ v.data, v.data * w.data[..., None, :], atol=1e-12)
    np.testing.assert_allclose(np.linalg.norm(v.data, axis=-2), 1.0)
    assert linalg.eigvals(_t(a.astype(np.float32))).dtype == np.complex64
    sym = a + np.swapaxes(a, -1, -2)  # real eigenvalues still come back complex
    assert linalg.eigvals(_t(sym)).dtype == np.complex128
    with pytest.warns(UserWarning, match="no gradient"):
        linalg.eigvals(autograd.tensor(a, requires_grad=True))
    with pytest.raises(RuntimeError, match="square"):
        linalg.eig(_t(a[..., :3]))


def test_householder_product_builds_q_from_reflectors() -> None:
    a = RNG.standard_normal((5, 3))
    v = np.tril(a, -1) + np.eye(5, 3)
    tau = 2 / (v * v).sum(0)  # exact reflectors: Q has orthonormal columns
    q = linalg.householder_product(_t(a), _t(tau)).data
    want = np.eye(5)
    for i in range(3):
        want = want @ (np.eye(5) - tau[i] * np.outer(v[:, i], v[:, i]))
    np.testing.assert_allclose(q, want[:, :3], atol=1e-12)
    np.testing.assert_allclose(q.T @ q, np.eye(3), atol=1e-12)
    with pytest.raises(RuntimeError, match="greater than or equal"):
        linalg.householder_product(_t(a.T), _t(tau[:2]))
    with pytest.raises(RuntimeError, match="tau"):
        linalg.householder_product(_t(a), _t(np.ones(4)))


def test_ldl_factor_follows_bunch_kaufman() -> None:
    a = np.array([[0.0, 1, 2], [1, 0, 3], [2, 3, 0]])  # zero diagonal: a 2x2 pivot first
    ld, piv = linalg.ldl_factor(_t(a))
    np.testing.assert_array_equal(piv.data, [-3, -3, 3])
    assert piv.dtype == np.int32
    np.testing.assert_allclose(ld.data, [[0.0, 0, 0], [2, 0, 0], [1.5, 0.5, -3]])


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 2**31), st.integers(1, 7), st.sampled_from([(), (2,)]))
def test_ldl_solve_inverts_the_factored_matrix(seed, n, batch) -> None:
    rng = np.random.default_rng(seed)
    a = rng.standard_normal(batch + (n, n))
    a = a + np.swapaxes(a, -1, -2) + np.eye(n) * rng.choice([-4.0, 0.0, 4.0])
    if np.min(np.abs(np.linalg.eigvalsh(a))) < 1e-3:
        return
    ld, piv, info = linalg.ldl_factor_ex(_t(a))
    assert not info.data.any()
    b = rng.standard_normal(batch + (n, 2))
    x = linalg.ldl_solve(ld, piv, _t(b)).data
    np.testing.assert_allclose(a @ x, b, atol=1e-8)


def test_ldl_errors_and_info() -> None:
    _, piv, info = linalg.ldl_factor_ex(_t(np.zeros((2, 3, 3))))
    np.testing.assert_array_equal(info.data, [1, 1])
    np.testing.assert_array_equal(piv.data, [[1, 2, 3], [1, 2, 3]])
    with pytest.raises(RuntimeError, match="ldl_factor"):
        linalg.ldl_factor(_t(np.zeros((3, 3))))
    with pytest.raises(linalg.LinAlgError, match="ldl_factor_ex"):
        linalg.ldl_factor_ex(_t(np.zeros((3, 3))), check_errors=True)
    ld, piv = linalg.ldl_factor(_t(np.eye(3)))
    with pytest.raises(RuntimeError, match="ldl_solve"):
        linalg.ldl_solve(ld, piv, _t(np.ones(3)))
    with pytest.raises(RuntimeError, match="pivots"):
        linalg.ldl_solve(ld, _t(np.ones(3)), _t(np.ones((3, 1))))
