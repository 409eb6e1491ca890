"""autograd.linalg without torch: values against numpy, batching, shapes of results, the
torch-style argument rules and the errors. Gradients (first and second order, against finite
differences and torch) are checked through the catalogue entries (tests/op_catalogue.py)."""

from __future__ import annotations

import math

import numpy as np
import pytest

import autograd
from autograd import linalg
from autograd.testing import gradcheck, gradgradcheck

RNG = np.random.default_rng(0)


def _well(*shape: int) -> np.ndarray:
    n = shape[-1]
    return RNG.uniform(-0.5, 0.5, shape) + 2 * np.eye(n)


def _t(a: np.ndarray, grad: bool = False) -> autograd.Tensor:
    return autograd.tensor(a, requires_grad=grad)


def test_module_is_reachable_the_torch_way() -> None:
    torch = autograd  # the porting rule: import autograd as torch
    assert torch.linalg.inv is linalg.inv
    assert issubclass(torch.linalg.LinAlgError, RuntimeError)


@pytest.mark.parametrize("shape", [(3, 3), (2, 3, 3), (2, 1, 4, 4), (0, 3, 3)])
def test_inv_det_slogdet_match_numpy_batched(shape: tuple) -> None:
    a = _well(*shape)
    np.testing.assert_allclose(linalg.inv(_t(a)).data, np.linalg.inv(a), rtol=1e-12)
    np.testing.assert_allclose(linalg.det(_t(a)).data, np.linalg.det(a), rtol=1e-12)
    sign, lad = linalg.slogdet(_t(a))
    s_np, l_np = np.linalg.slogdet(a)
    np.testing.assert_array_equal(sign.data, s_np)
    np.testing.assert_allclose(lad.data, l_np, rtol=1e-12)
    assert linalg.det(_t(a)).shape == shape[:-2]


def test_top_level_names_and_methods() -> None:
    a = _well(3, 3)
    t = _t(a)
    np.testing.assert_allclose(autograd.inverse(t).data, np.linalg.inv(a), rtol=1e-12)
    np.testing.assert_allclose(t.inverse().data, np.linalg.inv(a), rtol=1e-12)
    np.testing.assert_allclose(t.det().data, np.linalg.det(a), rtol=1e-12)
    np.testing.assert_allclose(autograd.det(t).data, np.linalg.det(a), rtol=1e-12)
    np.testing.assert_allclose(autograd.logdet(t).data, np.log(np.linalg.det(a)), rtol=1e-12)
    np.testing.assert_allclose(t.matrix_power(3).data, np.linalg.matrix_power(a, 3), rtol=1e-12)
    r = autograd.slogdet(t)
    assert r.sign.item() == 1.0 and r.logabsdet.item() == pytest.approx(np.log(np.linalg.det(a)))


def test_slogdet_is_a_named_pair_and_logdet_of_negative_determinant_is_nan() -> None:
    a = np.diag([-1.0, 2.0, 3.0])
    sign, logabsdet = linalg.slogdet(_t(a))
    assert sign.item() == -1.0 and logabsdet.item() == pytest.approx(math.log(6))
    assert math.isnan(autograd.logdet(_t(a)).item())
    assert autograd.logdet(_t(np.zeros((2, 2)))).item() == -math.inf


def test_float32_stays_float32() -> None:
    a = _t(_well(2, 3, 3).astype(np.float32), grad=True)
    for out in (linalg.inv(a), linalg.det(a), linalg.solve(a, a), linalg.cholesky(a @ a.mT)):
        assert out.dtype == np.float32
        out.sum().backward()
        assert a.grad.dtype == np.float32
        a.grad = None


def test_integer_input_is_refused() -> None:
    with pytest.raises(TypeError, match="linalg.inv.*floating"):
        linalg.inv(autograd.tensor([[1, 2], [3, 4]]))


def test_solve_rules_for_vectors_matrices_and_broadcasting() -> None:
    a = _well(2, 3, 3)
    b_mat = RNG.standard_normal((2, 3, 4))
    b_vecs = RNG.standard_normal((2, 3))  # A's shape without its last dim: a batch of vectors
    b_vec = RNG.standard_normal(3)
    x = linalg.solve(_t(a), _t(b_mat))
    np.testing.assert_allclose(x.data, np.linalg.solve(a, b_mat), rtol=1e-12)
    x = linalg.solve(_t(a), _t(b_vecs))
    assert x.shape == (2, 3)
    np.testing.assert_allclose(x.data, np.linalg.solve(a, b_vecs[..., None])[..., 0], rtol=1e-12)
    x = linalg.solve(_t(a), _t(b_vec))
    assert x.shape == (2, 3)
    np.testing.assert_allclose(np.einsum("bij,bj->bi", a, x.data), np.tile(b_vec, (2, 1)))
    # A (3, 3) against a batch of matrices (2, 3, 2): the batch broadcasts
    x = linalg.solve(_t(a[0]), _t(b_mat[..., :2]))
    assert x.shape == (2, 3, 2)
    np.testing.assert_allclose(a[0] @ x.data, b_mat[..., :2], atol=1e-12)
    # left=False: X A = B
    b = RNG.standard_normal((2, 4, 3))
    x = linalg.solve(_t(a), _t(b), left=False)
    np.testing.assert_allclose(x.data @ a, b, atol=1e-12)


def test_solve_gradient_sums_over_a_broadcast_batch() -> None:
    a = _t(_well(3, 3), grad=True)
    b = _t(RNG.standard_normal((2, 3, 2)), grad=True)
    assert gradcheck(lambda a, b: linalg.solve(a, b), [a, b])
    assert gradgradcheck(lambda a, b: linalg.solve(a, b), [a, b])


def test_gradients_have_the_closed_forms() -> None:
    a = _well(3, 3)
    t = _t(a, grad=True)
    linalg.det(t).backward()
    np.testing.assert_allclose(t.grad.data, np.linalg.det(a) * np.linalg.inv(a).T, rtol=1e-12)
    t.grad = None
    g = RNG.standard_normal((3, 3))
    linalg.inv(t).backward(autograd.tensor(g))
    ai = np.linalg.inv(a)
    np.testing.assert_allclose(t.grad.data, -ai.T @ g @ ai.T, rtol=1e-12)


def test_second_derivative_of_logdet_is_minus_inverse_products() -> None:
    # d/dA_kl of (A^-T)_ij = -(A^-1)_jk (A^-1)_li; contracted with W: -(A^-T W^T A^-T)
    a = _well(3, 3)
    w = RNG.standard_normal((3, 3))
    t = _t(a, grad=True)
    (g,) = autograd.grad(autograd.logdet(t), [t], create_graph=True)
    np.testing.assert_allclose(g.data, np.linalg.inv(a).T, rtol=1e-12)
    (h,) = autograd.grad((g * autograd.tensor(w)).sum(), [t])
    ai = np.linalg.inv(a)
    np.testing.assert_allclose(h.data, -(ai.T @ w.T @ ai.T), rtol=1e-10)


def test_cholesky_and_upper() -> None:
    a = _well(2, 4, 4)
    spd = a @ np.swapaxes(a, -1, -2)
    lo = linalg.cholesky(_t(spd))
    np.testing.assert_allclose(lo.data, np.linalg.cholesky(spd), rtol=1e-12)
    up = linalg.cholesky(_t(spd), upper=True)
    np.testing.assert_allclose(up.data, np.swapaxes(lo.data, -1, -2))


def test_eigh_reads_one_triangle_and_reconstructs() -> None:
    s = RNG.standard_normal((2, 4, 4))
    s = s + np.swapaxes(s, -1, -2)
    w, v = linalg.eigh(_t(s))
    assert w.shape == (2, 4) and v.shape == (2, 4, 4)
    assert np.all(np.diff(w.data, axis=-1) > 0)
    np.testing.assert_allclose(
        (v.data * w.data[..., None, :]) @ np.swapaxes(v.data, -1, -2), s, atol=1e-12
    )
    junk = s + np.triu(RNG.standard_normal((4, 4)), 1)  # only the lower triangle is read
    np.testing.assert_allclose(linalg.eigh(_t(junk)).eigenvalues.data, w.data, atol=1e-12)
    junk = s + np.tril(RNG.standard_normal((4, 4)), -1)
    np.testing.assert_allclose(linalg.eigvalsh(_t(junk), UPLO="U").data, w.data, atol=1e-12)
    with pytest.raises(ValueError, match="UPLO"):
        linalg.eigh(_t(s), UPLO="X")


@pytest.mark.parametrize("shape", [(5, 3), (3, 3), (2, 3, 5)])
@pytest.mark.parametrize("mode", ["reduced", "complete"])
def test_qr_matches_numpy(shape: tuple, mode: str) -> None:
    a = RNG.standard_normal(shape)
    q, r = linalg.qr(_t(a), mode=mode)
    q_np, r_np = np.linalg.qr(a, mode=mode)
    np.testing.assert_allclose(q.data, q_np, atol=1e-12)
    np.testing.assert_allclose(r.data, r_np, atol=1e-12)
    q2, r2 = linalg.qr(_t(a), mode="r")
    assert q2.shape == (0,)
    np.testing.assert_allclose(np.abs(r2.data), np.abs(np.linalg.qr(a, mode="r")), atol=1e-12)


def test_qr_complete_tall_has_no_gradient() -> None:
    t = _t(RNG.standard_normal((4, 2)), grad=True)
    q, r = linalg.qr(t, mode="complete")
    with pytest.raises(RuntimeError, match="qr.*complete"):
        (q.sum() + r.sum()).backward()


@pytest.mark.parametrize("shape", [(4, 3), (3, 5), (2, 3, 3)])
@pytest.mark.parametrize("full", [True, False])
def test_svd_shapes_and_reconstruction(shape: tuple, full: bool) -> None:
    a = RNG.standard_normal(shape)
    u, s, vh = linalg.svd(_t(a), full_matrices=full)
    u_np, s_np, vh_np = np.linalg.svd(a, full_matrices=full)
    assert (u.shape, s.shape, vh.shape) == (u_np.shape, s_np.shape, vh_np.shape)
    k = s.shape[-1]
    np.testing.assert_allclose(
        (u.data[..., :, :k] * s.data[..., None, :]) @ vh.data[..., :k, :], a, atol=1e-12
    )
    np.testing.assert_allclose(linalg.svdvals(_t(a)).data, s_np, rtol=1e-12)


def test_pinv_matches_numpy() -> None:
    a = RNG.standard_normal((2, 5, 3))
    np.testing.assert_allclose(linalg.pinv(_t(a)).data, np.linalg.pinv(a), atol=1e-12)
    rank1 = np.outer([1.0, 2.0, 3.0], [1.0, -1.0])
    np.testing.assert_allclose(linalg.pinv(_t(rank1)).data, np.linalg.pinv(rank1), atol=1e-12)


@pytest.mark.parametrize("n", [0, 1, 2, 3, 5, -1, -3])
def test_matrix_power(n: int) -> None:
    a = _well(2, 3, 3)
    np.testing.assert_allclose(
        linalg.matrix_power(_t(a), n).data, np.linalg.matrix_power(a, n), rtol=1e-10
    )
    with pytest.raises(TypeError, match="matrix_power"):
        linalg.matrix_power(_t(a), 1.5)  # type: ignore[arg-type]


@pytest.mark.parametrize("ord_", [2, 1, 3, 0, math.inf, -math.inf, 0.5])
def test_vector_norm_matches_numpy(ord_: float) -> None:
    x = RNG.standard_normal((2, 3, 4))
    want = np.linalg.norm(x.reshape(-1), ord_)
    np.testing.assert_allclose(linalg.vector_norm(_t(x), ord_).data, want, rtol=1e-12)
    want = np.linalg.norm(x, ord_, axis=1, keepdims=True)
    np.testing.assert_allclose(
        linalg.vector_norm(_t(x), ord_, dim=1, keepdim=True).data, want, rtol=1e-12
    )


@pytest.mark.parametrize("ord_", ["fro", "nuc", 1, -1, 2, -2, math.inf, -math.inf])
def test_matrix_norm_matches_numpy(ord_: object) -> None:
    x = RNG.standard_normal((2, 3, 4))
    want = np.linalg.norm(x, ord_, axis=(-2, -1))
    np.testing.assert_allclose(linalg.matrix_norm(_t(x), ord_).data, want, rtol=1e-12)
    want = np.linalg.norm(x, ord_, axis=(2, 0), keepdims=True)
    got = linalg.matrix_norm(_t(x), ord_, dim=(2, 0), keepdim=True)
    assert got.shape == want.shape
    np.testing.assert_allclose(got.data, want, rtol=1e-12)


def test_norm_dispatch() -> None:
    x = RNG.standard_normal((3, 4))
    np.testing.assert_allclose(linalg.norm(_t(x)).data, np.linalg.norm(x), rtol=1e-12)
    np.testing.assert_allclose(linalg.norm(_t(x), 1).data, np.linalg.norm(x, 1), rtol=1e-12)
    np.testing.assert_allclose(
        linalg.norm(_t(x), 3, dim=1).data, np.linalg.norm(x, 3, axis=1), rtol=1e-12
    )
    np.testing.assert_allclose(linalg.norm(_t(x[0]), 1).data, np.abs(x[0]).sum(), rtol=1e-12)
    y = RNG.standard_normal((2, 3, 4))
    np.testing.assert_allclose(linalg.norm(_t(y)).data, np.linalg.norm(y.reshape(-1)))
    with pytest.raises(ValueError, match="linalg.norm"):
        linalg.norm(_t(y), 2)


def test_errors_name_the_op_and_shapes() -> None:
    with pytest.raises(ValueError, match=r"linalg.inv.*square.*\(3, 4\)"):
        linalg.inv(_t(np.ones((3, 4))))
    with pytest.raises(ValueError, match=r"linalg.det.*\(3,\)"):
        linalg.det(_t(np.ones(3)))
    with pytest.raises(linalg.LinAlgError, match="linalg.inv.*singular"):
        linalg.inv(_t(np.ones((2, 3, 3))))
    with pytest.raises(RuntimeError, match="linalg.solve"):
        linalg.solve(_t(np.zeros((3, 3))), _t(np.ones(3)))
    with pytest.raises(ValueError, match=r"linalg.solve.*\(3, 3\).*\(4,\)"):
        linalg.solve(_t(np.eye(3)), _t(np.ones(4)))
    with pytest.raises(linalg.LinAlgError, match="cholesky.*positive-definite"):
        linalg.cholesky(_t(-np.eye(3)))
    with pytest.raises(ValueError, match="matrix_norm.*ord"):
        linalg.matrix_norm(_t(np.eye(3)), 3)
    with pytest.raises(ValueError, match="vector_norm"):
        linalg.vector_norm(_t(np.eye(3)), "fro")


def test_eigh_gradient_through_a_batch_on_nodes() -> None:
    # eigenvector projectors (sign-free) of a batch of symmetric matrices: first and second order
    q = np.linalg.qr(RNG.standard_normal((2, 3, 3)))[0]
    a = (q * np.array([1.0, 2.5, 4.0])) @ np.swapaxes(q, -1, -2)

    def fn(x):
        w, v = linalg.eigh(x + x.mT)
        projectors = v.unsqueeze(-1) * v.mT.unsqueeze(-3)  # (.., i, k, j): v_ik v_jk
        weights = np.array([[1.0], [-2.0], [3.0]])  # one per k
        return (projectors * weights).sum(-2) + w.unsqueeze(-2)

    t = _t(a, grad=True)
    assert gradcheck(fn, [t])
    assert gradgradcheck(fn, [t])


def test_empty_batches_and_empty_matrices():
    import autograd

    assert autograd.linalg.qr(autograd.zeros(0, 3, 3), mode="complete").Q.shape == (0, 3, 3)
    assert autograd.linalg.inv(autograd.zeros(0, 3, 3)).shape == (0, 3, 3)
    for ord_ in (2, 1, float("inf"), "nuc"):
        out = autograd.linalg.matrix_norm(autograd.zeros(4, 0, 0), ord=ord_)
        assert out.shape == (4,) and not out.data.any()
