"""``lu_unpack`` and the deprecated ``torch.lu`` / ``torch.lu_solve`` without torch: P L U
rebuilds the matrix (square, tall, wide, batched), the flags leave parts empty, bad pivots are
refused, the deprecated spellings warn and equal linalg's; gradients of the unpacked factors
against central finite differences in float64 (hypothesis drawing the matrices)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd as ag
from autograd.testing import gradcheck


def t(a, requires_grad=False):
    return ag.tensor(np.asarray(a, dtype=np.float64), requires_grad=requires_grad)


@pytest.mark.parametrize("shape", [(3, 3), (2, 4, 4), (5, 3), (2, 3, 5)])
def test_unpacked_factors_rebuild_the_matrix(shape):
    a = np.random.default_rng(0).normal(size=shape)
    P, L, U = ag.lu_unpack(*ag.linalg.lu_factor(t(a)))
    m, n = shape[-2:]
    k = min(m, n)
    assert P.shape == shape[:-2] + (m, m) and L.shape == shape[:-2] + (m, k)
    assert U.shape == shape[:-2] + (k, n)
    np.testing.assert_allclose((P @ L @ U).numpy(), a, atol=1e-12)
    np.testing.assert_array_equal(np.diagonal(L.numpy(), axis1=-2, axis2=-1), 1.0)
    np.testing.assert_array_equal(np.triu(L.numpy(), 1), 0.0)
    np.testing.assert_array_equal(np.tril(U.numpy(), -1), 0.0)
    # the same factors as linalg.lu
    for mine, want in zip((P, L, U), ag.linalg.lu(t(a)), strict=True):
        np.testing.assert_allclose(mine.numpy(), want.numpy(), atol=1e-12)


def test_flags_leave_parts_empty_and_results_are_named():
    packed, pivots = ag.linalg.lu_factor(t(np.eye(3) + 1))
    out = ag.lu_unpack(packed, pivots, unpack_data=False)
    assert out.L.shape == (0,) and out.U.shape == (0,) and out.P.shape == (3, 3)
    out = ag.lu_unpack(packed, pivots, unpack_pivots=False)
    assert out.P.shape == (0,) and out.P.dtype == ag.float64 and out.L.shape == (3, 3)


def test_bad_pivots_are_refused():
    packed, pivots = ag.linalg.lu_factor(t(np.eye(3) + 1))
    with pytest.raises(
        RuntimeError, match="LU_pivots is expected to be a contiguous tensor of torch.int32"
    ):
        ag.lu_unpack(packed, pivots.long())
    with pytest.raises(RuntimeError, match=r"pivots must lie in \[1, 3\]"):
        ag.lu_unpack(packed, ag.tensor([1, 2, 4], dtype=ag.int32))
    with pytest.raises(RuntimeError, match="expected LU_pivots of shape"):
        ag.lu_unpack(packed, ag.tensor([1, 2], dtype=ag.int32))
    with pytest.raises(RuntimeError, match="at least 2 dimensions"):
        ag.lu_unpack(t([1.0, 2.0]), ag.tensor([1], dtype=ag.int32))


def test_deprecated_lu_and_lu_solve_warn_and_equal_linalg():
    a = np.random.default_rng(1).normal(size=(2, 3, 3)) + 3 * np.eye(3)
    b = np.random.default_rng(2).normal(size=(2, 3, 2))
    with pytest.warns(
        UserWarning, match="torch.lu is deprecated in favor of torch.linalg.lu_factor"
    ):
        packed, pivots = ag.lu(t(a))
    want = ag.linalg.lu_factor(t(a))
    np.testing.assert_array_equal(packed.numpy(), want.LU.numpy())
    np.testing.assert_array_equal(pivots.numpy(), want.pivots.numpy())
    with pytest.warns(UserWarning, match="torch.lu is deprecated"):
        out = t(a).lu(get_infos=True)
    assert type(out) is tuple and len(out) == 3 and out[2].dtype == ag.int32
    np.testing.assert_array_equal(out[2].numpy(), [0, 0])
    with pytest.warns(
        UserWarning, match="torch.lu_solve is deprecated in favor of torch.linalg.lu_solve"
    ):
        x = ag.lu_solve(t(b), packed, pivots)
    np.testing.assert_allclose(x.numpy(), np.linalg.solve(a, b), rtol=1e-10)
    with pytest.warns(UserWarning, match="lu_solve is deprecated"):
        np.testing.assert_allclose(t(b).lu_solve(packed, pivots).numpy(), x.numpy())


matrices = st.integers(1, 4).flatmap(
    lambda m: st.integers(1, 4).flatmap(
        lambda n: hnp.arrays(np.float64, (m, n), elements=st.floats(-2, 2, allow_subnormal=False))
    )
)


@settings(max_examples=30)
@given(a=matrices)
def test_unpacked_factor_gradients_match_finite_differences(a):
    pivots = ag.linalg.lu_factor(t(a + 5 * np.eye(*a.shape))).pivots  # valid swaps for a's shape

    def unpack(x):
        _, lower, upper = ag.lu_unpack(x, pivots)
        return ag.cat([lower.reshape(-1), upper.reshape(-1)])

    assert gradcheck(unpack, [t(a, requires_grad=True)])


@settings(max_examples=20)
@given(a=hnp.arrays(np.float64, (3, 3), elements=st.floats(-1, 1)))
def test_gradients_through_lu_then_unpack_match_finite_differences(a):
    well = a + 4 * np.eye(3)  # pivots constant near the point

    def factors(x):
        with pytest.warns(UserWarning):
            p, lower, upper = ag.lu_unpack(*x.lu())
        return ag.cat([lower.reshape(-1), upper.reshape(-1)])

    assert gradcheck(factors, [t(well, requires_grad=True)])
