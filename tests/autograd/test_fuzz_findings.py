"""Regressions found by the differential fuzzer (tests/test_fuzz_vs_torch.py): each pins
PyTorch's documented behaviour without needing torch installed."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
from autograd import Tensor
from autograd.ops.linalg import SolveTriangular
from autograd.testing import gradcheck, gradgradcheck


def test_floor_divide_is_pythons_floor_division() -> None:
    # floor(a / b) rounds a / b first: 1 / 0.1 rounds to 10.0 although 0.1 * 10 > 1
    a = autograd.tensor(np.array([1.0, -1.0, 7.0, np.inf, -np.inf, 1.0, 0.0]))
    b = autograd.tensor(np.array([0.1, 0.1, 0.7, 1.5, 1.5, 0.0, 0.0]))
    want = np.array([1.0 // 0.1, -1.0 // 0.1, 7.0 // 0.7, np.nan, np.nan, np.inf, np.nan])
    np.testing.assert_array_equal(np.asarray((a // b).data), want)
    np.testing.assert_array_equal(np.asarray(autograd.floor_divide(a, b).data), want)


def test_remainder_gradient_wrt_divisor_uses_floor_division() -> None:
    a = autograd.tensor(np.array([1.0, np.inf]), requires_grad=True)
    b = autograd.tensor(np.array([0.1, 1.5]), requires_grad=True)
    autograd.remainder(a, b).sum().backward()
    np.testing.assert_array_equal(np.asarray(b.grad), [-(1.0 // 0.1), np.nan])


def test_flatten_of_an_empty_tensor_keeps_the_merged_size() -> None:
    x = autograd.zeros(0, 2, 3, requires_grad=True)
    assert x.flatten(1).shape == (0, 6)
    assert autograd.flatten(autograd.zeros(2, 0, 3), 0, 1).shape == (0, 3)


def test_prod_over_an_empty_dim_is_one_and_keeps_the_graph() -> None:
    x = autograd.zeros(4, 0, requires_grad=True)
    for out in (x.prod(), x.prod(1), x.prod(1, keepdim=True)):
        assert out.requires_grad
        np.testing.assert_array_equal(np.asarray(out.data), np.ones(out.shape))
        out.sum().backward()
        assert np.asarray(x.grad).shape == (4, 0)


def test_masked_fill_broadcasts_self_with_the_mask() -> None:
    x = autograd.tensor(2.0, requires_grad=True)
    mask = autograd.tensor(np.array([[True, False], [False, False]]))
    out = x.masked_fill(mask, 0.0)
    np.testing.assert_array_equal(np.asarray(out.data), [[0.0, 2.0], [2.0, 2.0]])
    out.sum().backward()
    assert float(np.asarray(x.grad)) == 3.0


def test_movedim_of_a_0d_tensor_accepts_dims_0_and_minus_1() -> None:
    x = autograd.tensor(3.0, requires_grad=True)
    out = autograd.movedim(x, 0, -1)
    assert out.shape == ()
    out.backward()
    assert float(np.asarray(x.grad)) == 1.0


def test_chunk_of_an_empty_dim_gives_chunks_empty_pieces() -> None:
    pieces = autograd.zeros(1, 3, 0).chunk(3, 2)
    assert [p.shape for p in pieces] == [(1, 3, 0)] * 3


def test_expand_needs_sizes() -> None:
    with pytest.raises(TypeError, match="expand"):
        autograd.zeros(2, 3).expand()
    assert autograd.tensor(1.0).expand(()).shape == ()


def test_unflatten_checks_the_sizes_multiply_to_the_dim() -> None:
    with pytest.raises(ValueError, match="unflatten"):
        autograd.zeros(0, 3, 3).unflatten(2, (2, 2))
    assert autograd.zeros(0, 3, 4).unflatten(2, (2, -1)).shape == (0, 3, 2, 2)


def test_einsum_gradient_of_an_operand_broadcast_along_a_size_1_axis() -> None:
    x = autograd.tensor(np.arange(6.0).reshape(2, 3, 1), requires_grad=True)
    y = autograd.tensor(np.array([1.0, 2.0, 3.0, 4.0]), requires_grad=True)
    out = autograd.einsum("...i,i", x, y)  # i is 1 in x, 4 in y: x broadcasts
    np.testing.assert_allclose(np.asarray(out.data), np.arange(6.0).reshape(2, 3) * 10)
    out.sum().backward()
    np.testing.assert_allclose(np.asarray(x.grad), np.full((2, 3, 1), 10.0))
    np.testing.assert_allclose(np.asarray(y.grad), np.full(4, 15.0))


def test_clamp_with_tensor_bounds_passes_no_gradient_at_nan() -> None:
    x = autograd.tensor(np.array([np.nan, 0.5, 3.0]), requires_grad=True)
    lo = autograd.tensor(np.array([-0.5, -0.5, -0.5]), requires_grad=True)
    out = autograd.clamp(x, min=lo, max=lo + 1.5)
    np.testing.assert_array_equal(np.asarray(out.data), [np.nan, 0.5, 1.0])
    out.sum().backward()
    np.testing.assert_array_equal(np.asarray(x.grad), [0.0, 1.0, 0.0])
    np.testing.assert_array_equal(np.asarray(lo.grad), [0.0, 0.0, 1.0])


def test_inner_contracts_the_last_dims_of_nd_tensors() -> None:
    a = autograd.tensor(np.arange(12.0).reshape(3, 4), requires_grad=True)
    b = autograd.tensor(np.arange(8.0).reshape(2, 4), requires_grad=True)
    out = autograd.inner(a, b)
    np.testing.assert_allclose(np.asarray(out.data), np.inner(a.data, b.data))
    out.sum().backward()
    np.testing.assert_allclose(np.asarray(a.grad), np.tile(b.data.sum(0), (3, 1)))
    assert autograd.inner(autograd.tensor(2.0), a).shape == (3, 4)


def test_clamp_with_a_nan_bound_gives_nan_and_no_gradient() -> None:
    x = autograd.tensor(np.array([0.5, 0.5, 0.5]), requires_grad=True)
    lo = autograd.tensor(np.array([np.nan, -0.5, -0.5]), requires_grad=True)
    hi = autograd.tensor(np.array([1.0, np.nan, 0.2]), requires_grad=True)
    out = autograd.clamp(x, min=lo, max=hi)
    np.testing.assert_array_equal(np.asarray(out.data), [np.nan, np.nan, 0.2])
    out.sum().backward()
    np.testing.assert_array_equal(np.asarray(x.grad), [0.0, 0.0, 0.0])
    np.testing.assert_array_equal(np.asarray(lo.grad), [0.0, 0.0, 0.0])
    np.testing.assert_array_equal(np.asarray(hi.grad), [0.0, 0.0, 1.0])


def test_flipud_and_fliplr_need_enough_dims() -> None:
    with pytest.raises(ValueError, match="flipud"):
        autograd.flipud(autograd.tensor(1.0))
    with pytest.raises(ValueError, match="fliplr"):
        autograd.fliplr(autograd.zeros(3))
    assert autograd.flipud(autograd.zeros(3)).shape == (3,)


def test_nonzero_of_a_0d_tensor() -> None:
    assert autograd.nonzero(autograd.tensor(2.0)).shape == (1, 0)
    assert autograd.nonzero(autograd.tensor(0.0)).shape == (0, 0)
    (i,) = autograd.nonzero(autograd.tensor(2.0), as_tuple=True)
    assert i.tolist() == [0]


def test_prod_of_one_entry_has_exact_second_derivatives() -> None:
    # the fuzzer saw prod of a 0-d tensor give a second derivative of -2**25 (torch: 0) inside
    # a program; a product of one entry now is the entry itself, not the cumulative product's
    # g * out / x rule. (This check holds before that change too: it pins the values only.)
    for shape in ((), (1,), (3, 1)):
        x = autograd.tensor(np.full(shape, 1.0e-9), requires_grad=True)
        dim = None if shape != (3, 1) else 1
        y = x.prod() if dim is None else x.prod(dim).sum()
        (g,) = autograd.grad(y, x, create_graph=True)
        np.testing.assert_array_equal(g.data, np.ones(shape))
        if not g.requires_grad:  # the first derivative is a constant: nothing to differentiate
            continue
        (h,) = autograd.grad(g.sum(), x, allow_unused=True)
        assert h is None or not np.asarray(h.data).any()


def test_prod_gradient_when_the_product_underflows() -> None:
    # found by the fuzzer: the product underflows to 0 although no entry is 0, and the
    # gradient out / x then gave 0 where the product of the other entries is representable
    x = autograd.tensor(np.array([1e-30, 1e-30, 2.0], dtype=np.float32), requires_grad=True)
    x.prod().backward()
    np.testing.assert_allclose(x.grad.data, np.array([2e-30, 2e-30, 0.0]), rtol=1e-6)


# the fuzzer's inputs (float64) where the second derivative of prod / cumprod was off by up
# to 2**52 (torch's too): the division rule g * out / x cancels two ~1e30 terms when an entry
# is 1e-30; ours is division-free now and matches exact rational arithmetic
PRODUCT_GRAD2_FINDINGS = [
    (
        "prod",
        None,
        [-1e-30, -2.7373480581660203],
        0.20573134494682813,
        [-0.7835948765056134, 1.2264980292859606],
    ),
    (
        "cumprod",
        1,
        [[-1e-30, 2.702782177955612, -2.135042323682198, 2.6918966828234634]],
        [[-0.16290994799305278, -0.48211931267997826, 0.5988462126346276, 0.03972210748165899]],
        [[-0.2924567509650886, -0.7819084623568421, -0.2571922406188707, 0.008142180518343508]],
    ),
    (
        "prod",
        1,
        [
            [-1.4303271945041016, -1.2090531395152602, -90.0, 1e-30],
            [90.0, 1.371363160870768, -0.5, 1.0],
            [-0.5, 0.9445980892535557, 0.3735939766825682, -2.0996264201679833],
        ],
        [-0.4218588261783162, 0.2429388530987352, 1.8014208584493328],
        [
            [-0.7644641157203993, -1.0790604591369424, -0.5632871985040379, 0.9692722011381628],
            [-0.23500550689182578, 1.324347019236957, -1.872529517606024, 1.128523141900478],
            [1.0348662399295387, -1.4186656898014849, 0.15358188653595775, 1.2157576351945363],
        ],
    ),
]


@pytest.mark.parametrize("op, axis, x, v, w", PRODUCT_GRAD2_FINDINGS)
def test_prod_cumprod_second_derivative_at_mixed_magnitudes(op, axis, x, v, w) -> None:
    from tests.autograd.test_prod_exact import assert_exact, exact_derivatives, ours

    x, v, w = np.array(x), np.array(v), np.array(w)
    d1, d2, s1, s2 = exact_derivatives(op, x, axis, v, w)
    g1, g2 = ours(op, x, axis, v, w)
    assert_exact(g1, d1, s1, f"{op} first derivative")
    assert_exact(g2, d2, s2, f"{op} second derivative")


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_logsumexp_gradient_beside_an_infinity(dtype) -> None:
    # found by the fuzzer (float32): with a +inf in the slice, the other entries' gradient is
    # exp(x - inf) = 0 (PyTorch's); shifting by 0 there let exp(100) overflow to inf and gave
    # inf / inf = nan
    x = autograd.tensor(np.array([[np.inf, 100.0, 1.0, 800.0], [1.0, 2.0, 3.0, 4.0]], dtype=dtype))
    x.requires_grad_()
    y = x.logsumexp(1)
    np.testing.assert_array_equal(np.asarray(y.data)[0], np.inf)
    y.sum().backward()
    g = np.asarray(x.grad.data)
    assert np.isnan(g[0, 0])
    np.testing.assert_array_equal(g[0, 1:], 0.0)
    e = np.exp(np.arange(1.0, 5.0))
    np.testing.assert_allclose(g[1], e / e.sum(), rtol=1e-6)


def test_var_and_std_of_large_float32_entries_do_not_overflow():
    # squares of ~1.5e19 pass float32's max; the variance itself (~3e38) does not: PyTorch's
    # CPU kernel accumulates in double, and so do we now
    x = np.array([1.5e19, -1.5e19, 1.4e19, -1.6e19], np.float32)
    t = autograd.tensor(x, requires_grad=True)
    v = t.var()
    expected = np.float32(np.var(x.astype(np.float64), ddof=1))
    assert v.dtype == np.float32 and np.isfinite(v.item())
    np.testing.assert_allclose(v.item(), expected, rtol=1e-6)
    np.testing.assert_allclose(
        t.std(unbiased=False).item(), np.sqrt(np.var(x.astype(np.float64))), rtol=1e-6
    )
    v.backward()
    grad = 2 * (x.astype(np.float64) - x.astype(np.float64).mean()) / 3
    assert t.grad.dtype == np.float32
    np.testing.assert_allclose(t.grad.data, grad, rtol=1e-6)


@pytest.mark.parametrize("x", [[0.0, 1e-30], [1e-30, -1e-30], [3e-25, 0.0, -1e-25]])
def test_std_of_tiny_float32_entries_takes_the_root_before_rounding(x) -> None:
    # the variance (~1e-60) is below float32's range but its root (~1e-30) is not: PyTorch
    # takes the root in double and rounds once, so std and its gradient are not 0
    data = np.array(x, np.float32)
    t = autograd.tensor(data, requires_grad=True)
    s = t.std()
    wide = data.astype(np.float64)
    expected = np.sqrt(np.var(wide, ddof=1))
    assert s.dtype == np.float32
    np.testing.assert_allclose(s.item(), expected, rtol=1e-6)
    s.backward()
    grad = (wide - wide.mean()) / ((len(x) - 1) * expected)
    assert t.grad.dtype == np.float32
    np.testing.assert_allclose(t.grad.data, grad, rtol=1e-6)
    t_dim = autograd.tensor(data[None, :], requires_grad=True)
    np.testing.assert_allclose(t_dim.std(dim=1).data, [expected], rtol=1e-6)


def test_where_backward_selects_so_a_nan_between_two_masks_stays_out() -> None:
    # tril, log10 (whose gradient at the zeroed entries is 0 / 0 = nan), tril again: the first
    # tril's backward selects the kept entries, as PyTorch's where does, so the nan the masked
    # entries carry does not reach x there (a product with the mask would give nan * 0 = nan)
    x = autograd.tensor(np.array([[0.5, 2.0], [0.0, 1.0]]), requires_grad=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        autograd.tril(autograd.log10(autograd.tril(x))).sum().backward()
    np.testing.assert_allclose(
        x.grad.data, [[1 / (0.5 * np.log(10)), 0.0], [np.inf, 1 / np.log(10)]]
    )
    w = autograd.tensor(np.array([np.nan, 1.0, np.inf]), requires_grad=True)
    cond = np.array([False, True, False])
    (autograd.where(cond, w * 2.0, 3.0) * 1.0).backward(autograd.tensor([np.nan, 5.0, np.inf]))
    np.testing.assert_array_equal(w.grad.data, [0.0, 10.0, 0.0])


def test_cumprod_and_cumsum_of_float32_accumulate_in_double() -> None:
    # PyTorch's CPU kernels run the scan in double and round each entry: a running product
    # that passes float32's range and comes back (times 0, or times 1e-30) stays finite
    x = autograd.tensor(np.array([1e30, 1e30, 0.0, 1e-30], np.float32))
    out = x.cumprod(0)
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out.data, np.array([1e30, np.inf, 0.0, 0.0], np.float32))
    y = autograd.tensor(np.array([1e30, 1e30, 1e-30, 1e-30], np.float32))
    np.testing.assert_allclose(y.cumprod(0).data, [1e30, np.inf, 1e30, 1.0], rtol=1e-6)
    s = autograd.tensor(np.array([3e38, 3e38, -3e38], np.float32)).cumsum(0)
    np.testing.assert_allclose(s.data, [3e38, np.inf, 3e38], rtol=1e-6)


def test_histc_bins_by_pytorchs_formula_in_the_input_dtype() -> None:
    # bin = trunc((x - min) * bins / (max - min)) in float32: -1.2 (float32 -1.20000005) is
    # below the edge at -1.2, so bin 0 (np.histogram's float32 edges put it in bin 1); the
    # maximum goes in the last bin; nan and values outside [min, max] are skipped
    x = np.array([-1.2, 0.4, 2.0, -2.0, np.nan, 2.5, -np.inf], np.float32)
    counts = autograd.histc(autograd.tensor(x), bins=5, min=-2, max=2)
    assert counts.dtype == np.float32
    np.testing.assert_array_equal(counts.data, [2.0, 0.0, 0.0, 1.0, 1.0])
    # min == max == 0: the data's own range
    y = autograd.tensor(np.array([1.0, 2.0, 3.0, 4.0]))
    np.testing.assert_array_equal(y.histc(bins=3).data, [1.0, 1.0, 2.0])


@pytest.mark.parametrize("p", [2, "fro", 3, 1, 0.5, float("inf")])
def test_norm_over_one_entry_is_its_magnitude(p) -> None:
    # PyTorch returns |x| when each norm covers one entry: no x**p to overflow or underflow
    # float32 (x * x of 1e27 is inf, of 1e-30 is 0)
    data = np.array([[1e27], [-1e-30], [0.0], [-3.0]], np.float32)
    x = autograd.tensor(data, requires_grad=True)
    n = x.norm(p, dim=1)
    np.testing.assert_array_equal(n.data, np.abs(data[:, 0]))
    n.sum().backward()
    np.testing.assert_array_equal(x.grad.data, np.sign(data))
    assert autograd.tensor(np.array([-1e27], np.float32)).norm(p).item() == np.float32(1e27)


def test_cartesian_prod_searchsorted_and_cross_refuse_what_pytorch_refuses() -> None:
    with pytest.raises(ValueError, match="cartesian_prod: expected 1-d"):
        autograd.cartesian_prod(autograd.tensor(1.0), autograd.ones(2))
    assert autograd.cartesian_prod(autograd.ones(0), autograd.ones(2)).shape == (0, 2)
    with pytest.raises(ValueError, match="searchsorted: sorted_sequence must have at least 1"):
        autograd.searchsorted(autograd.tensor(1.0), autograd.ones(2))
    with pytest.raises(ValueError, match="searchsorted: values can be a scalar only"):
        autograd.searchsorted(autograd.ones(2, 3), autograd.tensor(1.0))
    assert autograd.searchsorted(autograd.ones(3), autograd.tensor(2.0)).item() == 3
    with pytest.raises(ValueError, match="cross: inputs must have the same number of dim"):
        autograd.ones(3, 3, 1).cross(autograd.ones(3, 1), dim=0)
    assert autograd.ones(3, 1).cross(autograd.ones(3, 3), dim=0).shape == (3, 3)
    with pytest.raises(ValueError, match="cross: dim 0 must have length 3 in both"):
        autograd.ones(1, 2).cross(autograd.ones(3, 1), dim=0)  # no broadcasting along dim


def test_addmm_broadcasts_self_only_to_the_products_shape() -> None:
    a, b = autograd.ones(3, 4), autograd.ones(4, 2)
    with pytest.raises(ValueError, match="addmm: self of shape"):
        autograd.ones(3, 1, 2).addmm(a, b)
    assert autograd.ones(2).addmm(a, b).shape == (3, 2)
    with pytest.raises(ValueError, match="addmm: mat1 and mat2 must be matrices"):
        autograd.ones(2).addmm(autograd.ones(1, 3, 4), b)


def test_unique_consecutive_over_a_dim_of_an_empty_tensor() -> None:
    # PyTorch: fine when the selected dim is the empty one, refused when another dim is
    assert autograd.ones(2, 0).unique_consecutive(dim=1).shape == (2, 0)
    assert autograd.ones(3, 0, 3).unique_consecutive(dim=1).shape == (3, 0, 3)
    with pytest.raises(ValueError, match="unique_consecutive: shape"):
        autograd.ones(0, 2, 1).unique_consecutive(dim=1)


def test_quantile_refuses_empty_inputs_and_checks_the_dim_of_a_0d_tensor() -> None:
    for name in ("quantile", "nanquantile"):
        with pytest.raises(ValueError, match=f"{name}: input tensor must be non-empty"):
            getattr(autograd.ones(0, 2, 3), name)(0.3, dim=1)
    with pytest.raises(IndexError, match="quantile: dim 1"):
        autograd.tensor(1.0).quantile(0.3, dim=1)
    assert autograd.tensor(2.0).quantile(0.3, dim=0).item() == 2.0


def test_median_of_an_empty_tensor_is_nan_in_the_graph() -> None:
    x = autograd.zeros(0, requires_grad=True, dtype=autograd.float32)
    m = x.median()
    assert m.requires_grad and m.dtype == np.float32 and np.isnan(m.item())
    m.backward()
    assert x.grad.shape == (0,)


@pytest.mark.parametrize("shape", [(3, 3), (4, 2), (1, 4), (2, 3, 5)])
def test_qr_of_a_zero_pivot_follows_pytorchs_sign(shape) -> None:
    # LAPACK builds differ on the sign of a -0.0 pivot; PyTorch's gives R[0, 0] = -|column|
    # for +0.0 and -0.0 alike (Householder: beta = -sign(alpha) * norm with sign(-0.0) = +1)
    rng = np.random.default_rng(0)
    a = rng.uniform(-2, 2, shape)
    a[..., 0, 0] = -0.0
    q, r = autograd.linalg.qr(autograd.tensor(a))
    column = np.linalg.norm(a[..., :, 0], axis=-1)
    np.testing.assert_allclose(np.asarray(r.data)[..., 0, 0], -column)
    np.testing.assert_allclose(np.asarray((q @ r).data), a, atol=1e-12)
    r_only = autograd.linalg.qr(autograd.tensor(a), mode="r").R
    np.testing.assert_allclose(np.asarray(r_only.data)[..., 0, 0], -column)


def test_qr_gradient_of_a_singular_matrix_is_nan_not_an_error() -> None:
    # PyTorch's backward solves with R by triangular substitution: a zero on R's diagonal
    # gives nan/inf, not a LinAlgError
    x = autograd.zeros(3, 3, requires_grad=True, dtype=autograd.float64)
    q, r = autograd.linalg.qr(x)
    (q.sum() + r.sum()).backward()
    assert np.isnan(np.asarray(x.grad.data)).all()


_TRI = st.integers(1, 4).flatmap(
    lambda n: st.tuples(st.just(n), st.integers(1, 3), st.booleans(), st.integers(0, 2**31 - 1))
)


@settings(max_examples=25, deadline=None)
@given(_TRI)
def test_solve_triangular_values_and_gradients(case) -> None:
    n, k, upper, seed = case
    rng = np.random.default_rng(seed)
    t = rng.uniform(-1, 1, (2, n, n)) + 3 * np.eye(n)  # diagonally dominant: well-conditioned
    b = rng.uniform(-2, 2, (n, k))  # batch dims broadcast
    tri = np.triu(t) if upper else np.tril(t)
    x = SolveTriangular.apply(autograd.tensor(t), autograd.tensor(b), upper)
    np.testing.assert_allclose(np.asarray(x.data), np.linalg.solve(tri, b), rtol=1e-12)
    ins = (autograd.tensor(t, requires_grad=True), autograd.tensor(b, requires_grad=True))

    def f(tt, bb):
        return SolveTriangular.apply(tt, bb, upper)

    assert gradcheck(f, ins)
    assert gradgradcheck(f, ins)


def test_quantile_interpolates_as_pytorchs_lerp() -> None:
    # lerp from the nearer end: -inf and 1 at weight 0.9 give -inf (1 - inf * 0.1), not
    # -inf + 0.9 * inf = nan; at weight 0.3 both formulas give nan
    x = autograd.tensor(np.array([-np.inf, 1.0]))
    assert x.quantile(0.9).item() == -np.inf
    assert np.isnan(x.quantile(0.3).item())
    # lower / higher / nearest pick an entry as it is (inf, not inf - inf)
    y = autograd.tensor(np.array([1.0, np.inf, np.inf]))
    for how in ("lower", "higher", "nearest"):
        assert y.quantile(0.7, interpolation=how).item() == np.inf
    g = autograd.tensor(np.array([[1.0, 2.0, 3.0, 5.0]]), requires_grad=True)
    g.quantile(0.3, dim=1).sum().backward()
    np.testing.assert_allclose(np.asarray(g.grad.data), [[0.1, 0.9, 0.0, 0.0]])


def test_mode_counts_each_nan_alone() -> None:
    # nan != nan: two nans are two values seen once, so the mode of [nan, nan, 2, 2, 1] is 2
    x = autograd.tensor(np.array([np.nan, np.nan, 2.0, 2.0, 1.0]))
    m = x.mode()
    assert m.values.item() == 2.0 and m.indices.item() == 3


def test_sinc_derivatives_near_zero_use_the_taylor_series():
    x = Tensor(np.array([0.0, 1e-300, 1e-8, 2e-3]), requires_grad=True)
    (g,) = autograd.grad(autograd.sinc(x).sum(), x, create_graph=True)
    (h,) = autograd.grad(g.sum(), x)
    np.testing.assert_allclose(g.data[:3], -(np.pi**2) / 3 * x.data[:3], rtol=1e-12, atol=0)
    np.testing.assert_allclose(h.data[:3], -(np.pi**2) / 3, rtol=1e-12)
    v = 2e-3  # just past the switch: the closed form, equal to the series there
    series = -(np.pi**2) / 3 * v + np.pi**4 / 30 * v**3
    np.testing.assert_allclose(g.data[3], series, rtol=1e-9)


def test_log_ndtr_gradient_stays_finite_far_in_the_upper_tail():
    x = Tensor(np.array([40.0, 1e10, -40.0]), requires_grad=True)
    (g,) = autograd.grad(autograd.special.log_ndtr(x).sum(), x, create_graph=True)
    (h,) = autograd.grad(g.sum(), x)
    assert g.data[0] == 0.0 and g.data[1] == 0.0 and np.isfinite(h.data).all()
    np.testing.assert_allclose(g.data[2], 40.02496884720726, rtol=1e-12)  # phi / Phi


def test_block_diag_keeps_an_empty_1d_input_as_a_row():
    blocks = [Tensor(np.zeros(0)), Tensor(np.array([1.0, 2.0])), Tensor(np.array([3.0]))]
    out = autograd.block_diag(*blocks)
    assert out.shape == (3, 3)
    np.testing.assert_array_equal(out.data, [[0, 0, 0], [1, 2, 0], [0, 0, 3]])


def test_polygamma_far_below_zero_is_computed_at_once_by_reflection():
    """trigamma's reflection, psi1(x) = pi^2 / sin^2(pi x) - psi1(1 - x), against its
    asymptotic series at 1 - x (no long sum of |x| terms: the call returns at once)."""
    x = np.array([-2e5 - 0.5, -1e9 - 0.25, -50.5])
    out = autograd.polygamma(1, Tensor(x)).data
    y = 1 - x
    frac = x - np.floor(x)  # (sin(pi x)^2 from the fractional part: pi * 1e9 loses digits)
    expected = np.pi**2 / np.sin(np.pi * frac) ** 2 - (1 / y + 1 / (2 * y**2) + 1 / (6 * y**3))
    np.testing.assert_allclose(out[:2], expected[:2], rtol=1e-12)
    assert np.isfinite(out[2])


def test_trapezoid_with_a_constant_spacing_is_torchs_sum_minus_half_the_ends():
    # dx * (sum(y) - (y_first + y_last) / 2): an infinite end sample gives nan (inf - inf),
    # where adding the trapezoids one by one would give that infinity
    y = Tensor(np.array([[-np.inf, 1.0], [1.0, 2.0], [2.0, np.inf]]))
    with np.errstate(invalid="ignore"):
        out = autograd.trapezoid(y, dx=0.5, dim=0).data
    assert np.isnan(out).all()
    finite = Tensor(np.array([1.0, 2.0, 4.0]), requires_grad=True)
    total = autograd.trapezoid(finite, dx=2.0)
    total.backward()
    assert total.item() == 9.0
    np.testing.assert_array_equal(finite.grad.data, [1.0, 2.0, 1.0])


def test_masked_scatter_refuses_a_source_of_another_dtype():
    x = autograd.zeros(3, dtype=autograd.float64)
    with pytest.raises(RuntimeError, match="same dtypes"):
        x.masked_scatter(x == 0, autograd.ones(3))
    with pytest.raises(RuntimeError, match="same dtypes"):
        x.masked_scatter_(x == 0, autograd.ones(3))
    x.masked_scatter_(x == 0, autograd.ones(3, dtype=autograd.float64))
    np.testing.assert_array_equal(x.data, [1.0, 1.0, 1.0])


def test_matrix_exp_of_a_matrix_holding_inf_or_nan_is_nan_and_leaves_the_batch_alone():
    a = np.array([[[1.0, np.inf], [0.0, 1.0]], [[0.0, 1.0], [0.0, 0.0]], [[np.nan, 0], [0, 0]]])
    out = autograd.tensor(a).matrix_exp().data
    assert np.isnan(out[0]).all() and np.isnan(out[2]).all()
    np.testing.assert_allclose(out[1], [[1.0, 1.0], [0.0, 1.0]], rtol=1e-15)


def test_vander_first_column_is_one_for_inf_and_nan():
    out = autograd.vander(autograd.tensor([np.inf, np.nan, 0.0, 2.0]), N=3).data
    np.testing.assert_array_equal(out[:, -1], [1.0, 1.0, 1.0, 1.0])
    np.testing.assert_array_equal(out[3], [4.0, 2.0, 1.0])


def test_pdist_p0_counts_differences_and_passes_nan_through():
    x = np.array([[1.0, np.nan, 0], [1.0, 2.0, 0], [3.0, np.inf, 0], [1.0, 2.0, 0]])
    with np.errstate(invalid="ignore"):
        out = autograd.pdist(autograd.tensor(x), 0).data
    np.testing.assert_array_equal(out, [np.nan, np.nan, np.nan, 2.0, 0.0, 2.0])


def test_trapezoid_over_an_empty_dim_with_sample_points_is_zero():
    out = autograd.trapezoid(autograd.ones(4, 0), autograd.ones(4, 0), dim=1)
    np.testing.assert_array_equal(out.data, np.zeros(4))


def test_mT_of_a_0d_tensor_is_itself_with_torchs_warning():  # noqa: N802
    x = autograd.tensor(2.0)
    with pytest.warns(UserWarning, match="deprecated on 0-D"):
        assert x.mT is x
    with pytest.raises(RuntimeError, match="matrices or batches of matrices"):
        _ = autograd.ones(3).mT


def test_sign_and_sgn_of_nan_are_zero_as_torch():
    x = autograd.tensor([np.nan, 0.0, -0.0, 2.0, -np.inf], dtype=autograd.float32)
    for out in (autograd.sign(x), x.sgn(), x.sign()):
        np.testing.assert_array_equal(out.data, [0.0, 0.0, 0.0, 1.0, -1.0])
        assert out.dtype == np.float32


def test_hardshrink_method_keeps_nan_as_the_functional_form():
    x = autograd.tensor([np.nan, 0.2, -0.7, 0.5, np.inf], dtype=autograd.float64)
    np.testing.assert_array_equal(x.hardshrink(0.5).data, [np.nan, 0.0, -0.7, 0.0, np.inf])


def test_nextafter_gradient_is_torchs_where_self_differs_from_other():
    a = autograd.tensor([1.0, 2.0, 0.0, 5.0], requires_grad=True)
    b = autograd.tensor([1.0, 3.0, -1.0, 5.0], requires_grad=True)
    autograd.nextafter(a, b).sum().backward()
    np.testing.assert_array_equal(a.grad.data, [0.0, 1.0, 1.0, 0.0])
    np.testing.assert_array_equal(b.grad.data, [0.0, 0.0, 0.0, 0.0])


# --- fuzz seeds 31-33 ---------------------------------------------------------------------
def test_create_graph_gradient_of_a_float32_leaf_in_a_float64_graph_is_float32():
    x = autograd.tensor([[1.5, 2.0], [3.0, -1.0]], dtype=autograd.float64, requires_grad=True)
    y = autograd.tensor([[0.5, 1.0], [2.0, 4.0]], requires_grad=True)
    gx, gy = autograd.grad(
        x * y * y, [x, y], autograd.ones(2, 2, dtype=autograd.float64), create_graph=True
    )
    assert gx.dtype == np.float64 and gy.dtype == np.float32
    np.testing.assert_array_equal(gy.data, (2 * x.data * y.data).astype(np.float32))
    (hy,) = autograd.grad((gy * gy).sum(), [y])
    assert hy.dtype == np.float32


@pytest.mark.parametrize(
    ("shape", "sections", "name"),
    [
        ((3, 0, 1), 2, "hsplit"),
        ((0,), 3, "hsplit"),
        ((0, 4), 2, "vsplit"),
        ((2, 2, 0), 2, "dsplit"),
    ],
)
def test_equal_splits_of_an_empty_dim_give_that_many_empty_pieces(shape, sections, name):
    pieces = getattr(autograd, name)(autograd.zeros(*shape), sections)
    assert [tuple(p.shape) for p in pieces] == [shape] * sections


def test_lerp_refuses_an_end_or_a_dimensioned_weight_of_another_dtype():
    x = autograd.ones(3, dtype=autograd.float64)
    with pytest.raises(RuntimeError, match="lerp: expected dtype float64 for `end`"):
        autograd.lerp(x, autograd.ones(3), 0.5)
    with pytest.raises(RuntimeError, match="for `weight`"):
        autograd.lerp(x, x, autograd.ones(3))
    out = autograd.lerp(x, 3 * x, autograd.tensor(0.5))  # a 0-d weight may differ
    assert out.dtype == np.float64
    np.testing.assert_array_equal(out.data, [2.0, 2.0, 2.0])


def test_max_pool_lets_nan_win_at_the_last_nan_of_a_window():
    import nn.functional as F

    x = autograd.tensor([[1.0, np.nan, np.nan, 0.0], [np.inf, np.nan, 1.0, 2.0]])
    values, idx = F.max_pool1d(x, 3, 1, return_indices=True)
    np.testing.assert_array_equal(values.data, [[np.nan, np.nan], [np.nan, np.nan]])
    np.testing.assert_array_equal(idx.data, [[2, 2], [1, 1]])


def test_renorm_leaves_a_slice_with_a_nan_norm_alone_gradient_included():
    x = autograd.tensor([[3.0, 4.0], [np.nan, 1.0]], dtype=autograd.float64, requires_grad=True)
    y = x.renorm(2, 0, 1.0)
    y.backward(autograd.tensor([[1.0, 0.0], [2.0, 3.0]], dtype=autograd.float64))
    np.testing.assert_array_equal(x.grad.data[1], [2.0, 3.0])
    assert np.isfinite(x.grad.data[0]).all()


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2**31 - 1), st.sampled_from([1.0, 2.0, 3.0]))
def test_renorm_gradients_match_finite_differences(seed, p):
    x = Tensor(np.random.default_rng(seed).normal(size=(3, 4)), requires_grad=True)
    assert gradcheck(lambda t: t.renorm(p, 0, 1.0), [x])


def test_margin_losses_skip_terms_that_are_nan_or_not_counted():
    import nn.functional as F

    for row, want in (([np.nan, 0.0, 1.0, 2.0], 0.0), ([0.0, np.nan, 1.0, 2.0], 1.25)):
        for loss in (
            F.multi_margin_loss(autograd.tensor([row]), autograd.tensor([0])),
            F.multilabel_margin_loss(autograd.tensor([row]), autograd.tensor([[0, -1, 0, 0]])),
        ):
            assert loss.item() == want
    # inf at the label itself: its pair with itself is not a term (inf - inf never counted)
    x = autograd.tensor([[np.inf, 0.0, 1.0, 2.0]], requires_grad=True)
    loss = F.multilabel_margin_loss(x, autograd.tensor([[0, -1, 0, 0]]))
    loss.backward()
    assert loss.item() == 0.0
    np.testing.assert_array_equal(x.grad.data, np.zeros((1, 4)))


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2**31 - 1))
def test_margin_loss_gradients_match_finite_differences(seed):
    import nn.functional as F

    x = Tensor(np.random.default_rng(seed).normal(size=(3, 4)), requires_grad=True)
    labels = autograd.tensor(np.array([[3, 0, -1, 1], [1, 2, 3, 0], [-1, 1, 2, 0]]))
    assert gradcheck(lambda t: F.multilabel_margin_loss(t, labels), [x])
    assert gradcheck(lambda t: F.multi_margin_loss(t, autograd.tensor([0, 3, 1]), p=2), [x])


def test_ldexp_is_exact_where_two_to_the_exponent_alone_overflows():
    x = autograd.tensor([90.0, -90.0, 1e-300, 0.0, np.inf], dtype=autograd.float64)
    e = autograd.tensor([180, -180, 1100, 5000, -5000])
    np.testing.assert_array_equal(
        x.ldexp(e).data, [90.0 * 2.0**180, -90.0 * 2.0**-180, np.ldexp(1e-300, 1100), 0.0, np.inf]
    )
    assert autograd.ldexp(autograd.tensor([1, 2]), autograd.tensor([3, -1])).dtype == np.float32


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2**31 - 1))
def test_ldexp_gradient_is_two_to_the_exponent(seed):
    rng = np.random.default_rng(seed)
    x = Tensor(rng.normal(size=(3, 4)), requires_grad=True)
    e = autograd.tensor(rng.integers(-8, 8, size=(3, 4)))
    assert gradcheck(lambda t: t.ldexp(e), [x])
    assert gradgradcheck(lambda t: t.ldexp(e) * t, [x])


def test_index_put_accumulate_refuses_extra_indices_and_a_mask_of_another_shape():
    x = autograd.zeros(4)
    with pytest.raises(IndexError, match="too many indices for tensor of dimension 1"):
        x.index_put((autograd.tensor([0, 2]), autograd.tensor([1, 1])), autograd.tensor(1.0), True)
    with pytest.raises(IndexError, match="shape of the mask"):
        x.index_put((autograd.tensor([True, False]),), autograd.tensor(1.0), True)
    with pytest.raises(IndexError, match="dimension 0"):  # a 0-d tensor takes no index
        autograd.tensor(0.7).index_put((autograd.tensor(True),), autograd.tensor(2.0))


def test_svd_family_refuses_nan_and_gives_nan_for_inf_without_hanging():
    # LAPACK's SVD iteration can run forever on non-finite entries (the fuzzer hung there)
    bad = autograd.tensor([[[np.nan, 1.0], [1.0, 2.0]], [[1.0, 0.0], [0.0, 3.0]]])
    for f in (autograd.linalg.svdvals, autograd.linalg.pinv, autograd.linalg.matrix_rank):
        with pytest.raises(autograd.linalg.LinAlgError, match="non-finite values"):
            f(bad)
    inf = autograd.tensor([[[np.inf, 1.0], [1.0, 2.0]], [[1.0, 0.0], [0.0, 3.0]]])
    s = autograd.linalg.svdvals(inf)
    np.testing.assert_array_equal(s.data, [[np.nan, np.nan], [3.0, 1.0]])
    np.testing.assert_array_equal(autograd.linalg.matrix_rank(inf).data, [0, 2])


def test_index_put_accumulate_into_rows_with_an_empty_trailing_dim():
    x = autograd.zeros(4, 0, 4, requires_grad=True)
    out = autograd.index_put(x, (autograd.tensor([2, 2]),), autograd.ones(4), True)
    assert out.shape == (4, 0, 4)


@pytest.mark.parametrize(("name", "shape"), [("max_pool1d", (3, 0, 3)), ("avg_pool1d", (0, 3))])
def test_pooling_refuses_empty_dims_other_than_the_batch_dim(name, shape):
    import nn.functional as F

    with pytest.raises(RuntimeError, match="other than the batch dim are not empty"):
        getattr(F, name)(autograd.zeros(*shape), 2)
    assert getattr(F, name)(autograd.zeros(0, 2, 4), 2).shape == (0, 2, 2)


@pytest.mark.parametrize(("seq", "values"), [((3, 0), (3, 4)), ((0, 3), (0, 2)), ((3, 0), (3, 0))])
def test_searchsorted_over_empty_rows_or_an_empty_batch(seq, values):
    out = autograd.searchsorted(autograd.zeros(*seq), autograd.ones(*values))
    assert out.shape == values and out.dtype == np.int64
    np.testing.assert_array_equal(out.data, np.zeros(values))


def test_scatter_family_refuses_a_src_tensor_of_another_dtype():
    x, idx = autograd.zeros(3, 4, dtype=autograd.float64), autograd.zeros(1, 4, dtype=autograd.long)
    for call in (
        lambda: x.scatter(0, idx, autograd.ones(1, 4)),
        lambda: x.scatter(0, idx, autograd.tensor(1.0)),
        lambda: x.scatter_add(0, idx, autograd.ones(1, 4)),
    ):
        with pytest.raises(RuntimeError, match="expected self.dtype to be equal to src.dtype"):
            call()
    assert x.scatter(0, idx, 2.0).dtype == np.float64  # a number is cast


def test_index_put_and_index_copy_refuse_values_of_another_dtype():
    x, idx = autograd.zeros(3, 4, dtype=autograd.float64), autograd.tensor([1])
    for accumulate in (False, True):
        with pytest.raises(RuntimeError, match="Index put requires the source and destination"):
            x.index_put((idx,), autograd.ones(4), accumulate)
        with pytest.raises(RuntimeError, match="Index put requires the source and destination"):
            autograd.index_put_(x * 1, (idx,), autograd.tensor(1.0), accumulate)
    with pytest.raises(RuntimeError, match="index_copy_.*same dtype"):
        x.index_copy(0, idx, autograd.ones(1, 4))
    out = x.index_put((idx,), autograd.ones(4, dtype=autograd.float64))
    assert out.dtype == np.float64 and out.data[1].tolist() == [1.0] * 4


@pytest.mark.parametrize("op", ["addcmul", "addcdiv"])
def test_addcmul_addcdiv_compute_in_the_promoted_dtype(op):
    rng = np.random.default_rng(5)
    s = rng.uniform(0.5, 3, 6)
    t1, t2 = rng.uniform(0.5, 3, (2, 6)).astype(np.float32)
    exact = t1.astype(np.float64) * -0.3
    exact = s + (exact * t2 if op == "addcmul" else exact / t2)
    out = getattr(autograd, op)(Tensor(s), Tensor(t1), Tensor(t2), value=-0.3)
    assert out.dtype == np.float64
    # float32 operands are widened first: no float32 rounding of the product or quotient
    np.testing.assert_allclose(out.data, exact, rtol=1e-15)
    both = getattr(autograd, op)(Tensor(t1), Tensor(s), Tensor(t2))
    assert both.dtype == np.float64


def test_addcdiv_refuses_integer_tensor1_and_tensor2():
    x = autograd.tensor([1, 2])
    with pytest.raises(RuntimeError, match="addcdiv: integer division"):
        x.addcdiv(x, x)
    assert autograd.tensor([1.0, 2.0]).addcdiv(x, x.float()).dtype == np.float32


@pytest.mark.parametrize("upper", [False, True])
def test_solve_triangular_gradient_is_zero_in_the_unread_triangle_even_beside_nan(upper):
    """The triangle solve_triangular does not read gets a gradient of exactly 0 (selected, as
    torch), also where a right-hand side of inf/nan makes the read triangle's nan."""
    t = np.array([[2.0, 0.3, -1.0], [0.5, -1.5, 0.7], [1.0, 2.0, 3.0]])
    b = np.array([[1.0, np.inf, 2.0], [np.nan, 1.0, 0.5]])
    a = Tensor(t, requires_grad=True)
    x = autograd.linalg.solve_triangular(a, Tensor(b), upper=upper, left=False)
    (ga,) = autograd.grad(x.sum(), [a])
    unread = np.tril(np.ones((3, 3)), -1) if upper else np.triu(np.ones((3, 3)), 1)
    assert np.all(ga.data[unread == 1] == 0)
    assert not np.all(np.isfinite(ga.data))


def test_erfcx_where_sixteen_x_overflows_is_inf_not_nan():
    x = Tensor(np.array([-1.7e308, -np.inf, -30.0]), requires_grad=True)
    y = autograd.special.erfcx(x)
    assert y.data.tolist() == [np.inf] * 3
    (g,) = autograd.grad(y.sum(), [x])
    assert g.data.tolist() == [-np.inf] * 3


def test_roll_refuses_shifts_that_do_not_align_with_dims():
    x = autograd.arange(6.0).reshape(2, 3)
    for shifts, dims in [((1, 2), None), ((), ()), ([], None), ((1,), (0, 1)), ((1, 2), (0,))]:
        with pytest.raises(RuntimeError, match="roll"):
            autograd.roll(x, shifts, dims)


@pytest.mark.parametrize("dims", [None, (), []])
def test_roll_with_one_shift_and_no_dims_rolls_the_flattened_tensor(dims):
    x = autograd.tensor(np.arange(6.0).reshape(2, 3), requires_grad=True)
    out = autograd.roll(x, (1,), dims)
    np.testing.assert_array_equal(np.asarray(out.data), [[5.0, 0.0, 1.0], [2.0, 3.0, 4.0]])
    assert gradcheck(lambda t: autograd.roll(t, 2, dims), [x.double()])


def test_fftshift_of_a_0d_tensor_or_no_dims_raises_as_torch():
    for dim in (None, ()):
        with pytest.raises(RuntimeError, match="shifts"):
            autograd.fft.fftshift(autograd.tensor(1.0), dim=dim)
        with pytest.raises(RuntimeError, match="shifts"):
            autograd.fft.ifftshift(autograd.tensor(1.0), dim=dim)
    np.testing.assert_array_equal(np.asarray(autograd.fft.fftshift(autograd.ones(0)).data), [])


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 4), st.integers(0, 3), st.integers(0, 2**31 - 1))
def test_det_gradient_at_singular_matrices_is_the_cofactor_matrix(n, rank, seed):
    rng = np.random.default_rng(seed)
    rank = min(rank, n - 1)  # det 0: the rows past ``rank`` repeat earlier ones, doubled
    a = rng.normal(size=(n, n))
    for i in range(rank, n):
        a[i] = 2.0 * a[i - rank] if rank else 0.0
    stack = np.stack([a, rng.normal(size=(n, n))])  # with an invertible neighbour
    x = autograd.tensor(stack, requires_grad=True)
    if np.linalg.det(a) != 0:
        return  # (rarely) LU's rounding left it invertible: the plain rule covers that
    assert gradcheck(lambda t: autograd.linalg.det(t), [x])
    (g,) = autograd.autograd.grad(autograd.det(x).sum(), [x])
    minors = [
        [np.linalg.det(np.delete(np.delete(a, i, 0), j, 1)) if n > 1 else 1.0 for j in range(n)]
        for i in range(n)
    ]
    signs = (-1.0) ** np.add.outer(np.arange(n), np.arange(n))
    np.testing.assert_allclose(np.asarray(g.data)[0], signs * np.array(minors), atol=1e-10)


def test_det_second_derivative_at_a_singular_matrix_raises_clearly():
    x = autograd.tensor([[1.0, 2.0], [2.0, 4.0]], dtype=autograd.float64, requires_grad=True)
    (g,) = autograd.autograd.grad(autograd.det(x), [x], create_graph=False)
    np.testing.assert_allclose(np.asarray(g.data), [[4.0, -2.0], [-2.0, 1.0]], atol=1e-12)
    with pytest.raises(RuntimeError, match="det: the second derivative at a singular matrix"):
        autograd.autograd.grad(autograd.det(x), [x], create_graph=True)


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2**31 - 1), st.booleans())
def test_index_assignment_carries_gradients_through_complex_values(seed, complex_target):
    # the gradient of a real loss wrt z = x + iy is dL/dx + i dL/dy (torch's convention)
    rng = np.random.default_rng(seed)
    vre, vim, w = (
        rng.normal(size=2),
        rng.normal(size=2),
        rng.normal(size=3) + 1j * rng.normal(size=3),
    )

    def loss(vre_: np.ndarray, vim_: np.ndarray, grad: bool = False):
        v = autograd.tensor(vre_ + 1j * vim_, requires_grad=grad)
        base = autograd.tensor(np.arange(3.0) + (1j if complex_target else 0), requires_grad=True)
        t = base * 2
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # (complex into real: torch's warning)
            t[0:2] = v
        out = (t * autograd.tensor(w)).real.sum() if complex_target else (t * w.real).sum()
        return out, v

    out, v = loss(vre, vim, grad=True)
    out.backward()
    eps = 1e-6
    numeric = []
    for k in range(2):
        e = np.eye(2)[k] * eps
        d_re = (float(loss(vre + e, vim)[0]) - float(loss(vre - e, vim)[0])) / (2 * eps)
        d_im = (float(loss(vre, vim + e)[0]) - float(loss(vre, vim - e)[0])) / (2 * eps)
        numeric.append(d_re + 1j * d_im)
    np.testing.assert_allclose(np.asarray(v.grad.data), numeric, atol=1e-8)


def test_complex_values_written_into_a_real_tensor_warn_as_torch():
    t = autograd.zeros(2)
    with pytest.warns(UserWarning, match="discards the imaginary part"):
        t[0:1] = autograd.tensor([1 + 2j])
    assert t.tolist() == [1.0, 0.0]
