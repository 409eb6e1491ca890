"""Differences the differential fuzzer found (seeds 31-33), against torch: second-order
gradients of a float32 leaf in a float64 graph, equal splits of an empty dim, lerp's dtype
rule, max pooling over nan, renorm's gradient beside a nan slice, the margin losses' nan
terms, ldexp past float32's range, and index_put(accumulate=True)'s index checks."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import autograd  # noqa: E402
import nn.functional as ours_F  # noqa: E402

NAN, INF = float("nan"), float("inf")


def _both(run: Callable[[Any, Any], Any]) -> tuple[Any, Any]:
    """``run(lib, F)`` on ours and on torch: (ours, torch's), each a value or the error."""
    out = []
    for lib, F in ((autograd, ours_F), (torch, torch.nn.functional)):
        try:
            out.append(run(lib, F))
        except Exception as e:  # noqa: BLE001 (the error is compared)
            out.append(e)
    return out[0], out[1]


def _same(ours: Any, theirs: Any) -> None:
    if isinstance(theirs, Exception):  # the same builtin kind (torch's LinAlgError: a RuntimeError)
        kind = next(c for c in type(theirs).__mro__ if c.__module__ == "builtins")
        assert isinstance(ours, kind), f"torch {theirs!r}, ours {ours!r}"
        return
    assert not isinstance(ours, Exception), f"torch {theirs!r}, ours {ours!r}"
    if isinstance(theirs, (tuple, list)):
        assert len(ours) == len(theirs)
        for a, b in zip(ours, theirs):
            _same(a, b)
        return
    a, b = np.asarray(ours.detach().numpy()), theirs.detach().numpy()
    assert a.shape == b.shape and str(a.dtype) == str(b.dtype)
    np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-12)


def _second_order(L: Any, F: Any) -> Any:
    x = L.tensor([[1.5, 2.0], [3.0, -1.0]], dtype=L.float64, requires_grad=True)
    y = L.tensor([[0.5, 1.0], [2.0, 4.0]], requires_grad=True)
    gx, gy = L.autograd.grad(x * y * y, [x, y], L.ones(2, 2, dtype=L.float64), create_graph=True)
    return gx, gy, *L.autograd.grad((gy * gy).sum() + (gx * gx).sum(), [x, y])


def _renorm_grad(L: Any, F: Any) -> Any:
    x = L.tensor([[3.0, 4.0], [NAN, 1.0], [0.1, 0.2]], dtype=L.float64, requires_grad=True)
    y = x.renorm(2, 0, 1.0)
    y.backward(L.tensor([[1.0, 0.5], [2.0, 3.0], [1.0, 1.0]], dtype=L.float64))
    return y, x.grad


def _margin(loss: str, target: list) -> Callable[[Any, Any], Any]:
    def run(L: Any, F: Any) -> Any:
        x = L.tensor(
            [
                [NAN, 0.0, 1.0, 2.0],
                [0.0, NAN, 1.0, 2.0],
                [INF, 0.0, 1.0, 2.0],
                [INF, INF, 1.0, 2.0],
            ],
            dtype=L.float64,
            requires_grad=True,
        )
        out = getattr(F, loss)(x, L.tensor(target), reduction="none")
        out.sum().backward()
        return out, x.grad

    return run


def _ldexp(L: Any, F: Any) -> Any:
    x = L.tensor([90.0, -90.0, 3.0, -1.0, 1e-30, 0.0], dtype=L.float64)
    e = L.tensor([180, -180, 6, 2, 0, 5000])
    return x.ldexp(e), L.ldexp(L.tensor([1, 2]), L.tensor([3, 1]))


CASES: dict[str, Callable[[Any, Any], Any]] = {
    "second_order_mixed_dtypes": _second_order,
    "hsplit_empty": lambda L, F: L.hsplit(L.zeros(3, 0, 1), 2),
    "vsplit_empty": lambda L, F: L.vsplit(L.zeros(0, 4), 2),
    "dsplit_empty": lambda L, F: L.dsplit(L.zeros(2, 2, 0), 2),
    "lerp_end_dtype": lambda L, F: L.lerp(L.ones(3, dtype=L.float64), L.ones(3), 0.5),
    "lerp_0d_end_dtype": lambda L, F: L.lerp(L.tensor(1.0, dtype=L.float64), L.tensor(2.0), 0.5),
    "lerp_weight_dtype": lambda L, F: L.lerp(L.ones(3), L.ones(3), L.ones(3, dtype=L.float64)),
    "lerp_0d_weight": lambda L, F: L.lerp(L.ones(3), 3 * L.ones(3), L.tensor(0.5, dtype=L.float64)),
    "max_pool1d_nan": lambda L, F: F.max_pool1d(
        L.tensor([[1.0, NAN, NAN, 0.0], [INF, NAN, 1.0, 2.0], [NAN, 1.0, 2.0, 3.0]]),
        3,
        1,
        return_indices=True,
    ),
    "max_pool2d_nan": lambda L, F: F.max_pool2d(
        L.tensor([[[1.0, NAN, 2.0], [3.0, 4.0, NAN], [NAN, 0.0, 1.0]]]), 2, 1, return_indices=True
    ),
    "renorm_nan_slice": _renorm_grad,
    "multi_margin_nan": _margin("multi_margin_loss", [0, 0, 0, 1]),
    "multilabel_margin_nan": _margin(
        "multilabel_margin_loss", [[0, -1, 0, 0], [0, 2, -1, 0], [0, -1, 0, 0], [-1, 0, 0, 0]]
    ),
    "ldexp": _ldexp,
    "index_put_too_many": lambda L, F: L.zeros(4).index_put(
        (L.tensor([0, 0, 2]), L.tensor([1, 1, 0])), L.tensor(1.0), accumulate=True
    ),
    "index_put_mask_shape": lambda L, F: L.zeros(4, 3).index_put(
        (L.tensor([True, False, True]),), L.tensor(1.0), accumulate=True
    ),
    "index_put_empty_rows": lambda L, F: L.index_put(
        L.zeros(4, 0, 4), (L.tensor([2, 2]),), L.ones(4), True
    ),
    "svdvals_inf": lambda L, F: L.linalg.svdvals(
        L.tensor([[[INF, 1.0], [1.0, 2.0]], [[1.0, 0.0], [0.0, 3.0]]])
    ),
    "svd_nan": lambda L, F: L.linalg.svd(L.tensor([[NAN, 1.0], [1.0, 2.0]])),
    "matrix_rank_inf": lambda L, F: L.linalg.matrix_rank(
        L.tensor([[[INF, 1.0], [1.0, 2.0]], [[1.0, 0.0], [0.0, 3.0]]])
    ),
    "max_pool1d_empty_channels": lambda L, F: F.max_pool1d(L.zeros(3, 0, 3), 2),
    "max_pool2d_empty_batch": lambda L, F: F.max_pool2d(L.zeros(0, 1, 2, 2), 2),
    "avg_pool1d_empty_unbatched": lambda L, F: F.avg_pool1d(L.zeros(0, 3), 2),
    "searchsorted_empty_rows": lambda L, F: L.searchsorted(L.zeros(3, 0), L.ones(3, 4)),
    "searchsorted_empty_batch": lambda L, F: L.searchsorted(L.zeros(0, 3), L.ones(0, 2)),
    "scatter_src_dtype": lambda L, F: L.zeros(3, 4, dtype=L.float64).scatter(
        0, L.zeros(1, 4, dtype=L.long), L.ones(1, 4)
    ),
    "scatter_add_src_dtype": lambda L, F: L.zeros(3, 4, dtype=L.float64).scatter_add(
        0, L.zeros(1, 4, dtype=L.long), L.ones(1, 4)
    ),
    "scatter_number": lambda L, F: L.zeros(3, 4, dtype=L.float64).scatter(
        0, L.zeros(1, 4, dtype=L.long), 2.0
    ),
    "index_put_0d": lambda L, F: L.tensor(0.7).index_put((L.tensor(True),), L.tensor(2.0)),
    "index_put_values_dtype": lambda L, F: L.zeros(3, 4, dtype=L.float64).index_put(
        (L.tensor([1]),), L.ones(4)
    ),
    "index_put_0d_values_dtype": lambda L, F: L.index_put_(
        L.zeros(3, 4, dtype=L.float64), (L.tensor([1]),), L.tensor(1.0)
    ),
    "index_copy_source_dtype": lambda L, F: L.zeros(3, 4, dtype=L.float64).index_copy(
        0, L.tensor([1]), L.ones(1, 4)
    ),
    "index_put_same_dtype": lambda L, F: L.zeros(3, 4, dtype=L.float64).index_put(
        (L.tensor([1]),), L.ones(4, dtype=L.float64)
    ),
    "index_put_mask_2d": lambda L, F: L.zeros(2, 3).index_put(
        (L.tensor([[True, False, True], [False, False, True]]),), L.tensor(1.0), accumulate=True
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_fuzz_finding_agrees_with_torch(name):
    _same(*_both(CASES[name]))


@pytest.mark.parametrize("op", ["addcmul", "addcdiv"])
@pytest.mark.parametrize("dtypes", [(0, 1, 1), (1, 0, 1), (1, 1, 0), (0, 0, 1)])
def test_addcmul_addcdiv_mixed_dtypes_as_torch(op, dtypes):
    """The result (computed in the promoted dtype, float32 operands widened first) to a
    float64 ulp; the gradients to float32's where torch's backward rounds in float32."""
    rng = np.random.default_rng(9)
    arrays = [rng.uniform(0.5, 3, 5).astype((np.float64, np.float32)[k]) for k in dtypes]
    results = []
    for lib in (autograd, torch):
        xs = [lib.tensor(a, requires_grad=True) for a in arrays]
        y = getattr(lib, op)(*xs, value=-0.3)
        grads = lib.autograd.grad(y.sum(), xs)
        results.append([y.detach().numpy(), *(g.detach().numpy() for g in grads)])
    for a, b in zip(*results):
        assert a.dtype == b.dtype
    np.testing.assert_allclose(results[0][0], results[1][0], rtol=2e-16)
    for a, b in zip(results[0][1:], results[1][1:]):
        np.testing.assert_allclose(a, b, rtol=2.5e-7)  # a float32 ulp, rounded in either order


def test_addcdiv_of_integers_refused_as_torch():
    _same(*_both(lambda L, F: L.tensor([1, 2]).addcdiv(L.tensor([1, 2]), L.tensor([3, 4]))))


def test_pow_exponent_gradient_with_a_float32_base_as_torch():
    """torch takes log(a) in the float64 result's dtype: the exponent's gradient (first and
    second order) agrees to float64 rounding."""
    a32 = np.array([1.7, 2.3, 0.4, 3.1], dtype=np.float32)
    b = np.array([1.5, -0.7, 2.2, 0.3])
    results = []
    for lib in (autograd, torch):
        a, e = lib.tensor(a32, requires_grad=True), lib.tensor(b, requires_grad=True)
        (gb,) = lib.autograd.grad(a.pow(e).sum(), [e], create_graph=True)
        (gbb,) = lib.autograd.grad(gb.sum(), [e])
        results.append((gb.detach().numpy(), gbb.detach().numpy()))
    for ours, theirs in zip(*results):
        np.testing.assert_allclose(ours, theirs, rtol=1e-14)


def test_cosine_similarity_with_an_overflowing_norm_as_torch():
    a = np.array([[1e20, 1.0, 1.0], [3e38, 1.0, 0.0], [0.5, 1.0, 2.0], [0.0, 0.0, 0.0]], np.float32)
    b = np.array([[0.5, -0.9, -1.8]] * 4, dtype=np.float32)
    results = []
    for lib, F in ((autograd, ours_F), (torch, torch.nn.functional)):
        ta, tb = lib.tensor(a, requires_grad=True), lib.tensor(b, requires_grad=True)
        out = F.cosine_similarity(ta, tb)
        results.append(
            [out.detach().numpy(), *(g.numpy() for g in lib.autograd.grad(out.sum(), [ta, tb]))]
        )
    for ours, theirs in zip(*results):
        np.testing.assert_allclose(ours, theirs, rtol=1e-6, atol=1e-30)


@pytest.mark.parametrize("upper", [False, True])
def test_solve_triangular_gradient_beside_nonfinite_right_hand_sides_as_torch(upper):
    t = np.array([[2.0, 0.3, -1.0], [0.5, -1.5, 0.7], [1.0, 2.0, 3.0]], np.float32)
    b = np.array([[1.0, np.inf, 2.0], [np.nan, 1.0, 0.5], [0.3, -0.2, 1.0]], np.float32)
    grads = []
    for lib in (autograd, torch):
        a = lib.tensor(t, requires_grad=True)
        x = lib.linalg.solve_triangular(a, lib.tensor(b), upper=upper, left=False)
        grads.append(lib.autograd.grad(x.sum(), [a])[0].numpy())
    np.testing.assert_allclose(grads[0], grads[1], rtol=1e-6)  # (nan where nan)


def test_pow_base_gradient_at_exponent_zero_beside_a_denormal_base_as_torch():
    a = np.array([1e-45, 2e-39, 1e-30, 0.5, 0.0], dtype=np.float32)
    b = np.array([0.0, 0.0, 0.0, 1.5, 0.0], dtype=np.float32)
    grads = []
    for lib in (autograd, torch):
        x, y = lib.tensor(a, requires_grad=True), lib.tensor(b, requires_grad=True)
        grads.append([g.numpy() for g in lib.autograd.grad(x.pow(y).sum(), [x, y])])
    for ours, theirs in zip(*grads):
        np.testing.assert_allclose(ours, theirs, rtol=1e-6)


@pytest.mark.parametrize(
    ("shifts", "dims"),
    [
        ((1, 2), None),
        ((), ()),
        ((1,), ()),
        ([2], []),
        (-1, None),
        ((1, 2), (0,)),
        ((1, -2), (1, 0)),
    ],
)
def test_roll_shifts_and_dims_as_torch(shifts, dims):
    def run(L: Any, F: Any) -> Any:
        x = L.tensor(np.arange(6.0).reshape(2, 3), requires_grad=True)
        out = L.roll(x, shifts, dims)
        return out, L.autograd.grad((out * L.arange(6.0).reshape(2, 3)).sum(), [x])[0]

    _same(*_both(run))


@pytest.mark.parametrize("fn", ["fftshift", "ifftshift"])
@pytest.mark.parametrize(
    ("shape", "dim"), [((), None), ((), ()), ((3,), ()), ((0,), None), ((4, 3), None)]
)
def test_fftshift_of_0d_and_empty_dims_as_torch(fn, shape, dim):
    _same(
        *_both(
            lambda L, F: getattr(L.fft, fn)(
                L.ones(shape).cumsum(-1) if shape else L.ones(shape), dim=dim
            )
        )
    )


_SCALAR_WRITES = [
    *[("uint8", v) for v in (-1, -255, -256, 255, 256, -0.5, 255.9)],
    *[("int8", v) for v in (-128, -129, 127.9, 128.0, -128.5, 2.7, -2.7)],
    *[("int64", v) for v in (2**63 - 1, -(2**63), 9.3e18, NAN, -INF, 3 + 0j, 1 + 2j, True)],
    *[("float32", v) for v in (3.5e38, 3.4028235e38, -1e39, INF, NAN, 1e-50, 1 + 2j, 2**62)],
    *[("float16", v) for v in (65504.0, 65520.0, 7e4, -7e4)],
    *[("complex64", v) for v in (1e300, 1e300j, 1 + 2j)],
    *[("bool", v) for v in (0.5, NAN, 1e300, 1 + 2j, 0)],
    ("float64", 1e308),
    ("int16", 2**15),
]


_WRITERS: dict[str, Callable[[Any, Any, Any], Any]] = {
    "setitem": lambda L, t, v: t.__setitem__(1, v) or t,
    "fill_": lambda L, t, v: t.fill_(v),
    "masked_fill": lambda L, t, v: t.masked_fill(L.tensor([True, False, True]), v),
    "index_fill": lambda L, t, v: t.index_fill(0, L.tensor([2]), v),
    "full": lambda L, t, v: L.full((2,), v, dtype=t.dtype),
    "new_full": lambda L, t, v: t.new_full((2,), v),
    "full_like": lambda L, t, v: L.full_like(t, v),
}


@pytest.mark.parametrize("how", sorted(_WRITERS))
@pytest.mark.parametrize(("dtype", "value"), _SCALAR_WRITES)
def test_python_numbers_written_into_tensors_as_torch(how, dtype, value):
    def run(L: Any, F: Any) -> Any:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # (torch: complex into real discards)
            return _WRITERS[how](L, L.zeros(3, dtype=getattr(L, dtype)), value)

    ours, theirs = _both(run)
    if isinstance(theirs, Exception):
        assert isinstance(ours, RuntimeError), repr(ours)
        return
    assert not isinstance(ours, Exception), repr(ours)
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
    assert str(ours.dtype).split(".")[-1] == str(theirs.dtype).split(".")[-1]


@pytest.mark.parametrize(
    "m",
    [
        [[1.0, 2.0], [2.0, 4.0]],
        [[0.0]],
        [[0.0, 0.0], [0.0, 0.0]],
        [[1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [1.0, 0.0, 1.0]],
        [[[1.0, 2.0], [2.0, 4.0]], [[1.0, 2.0], [3.0, 4.0]]],
    ],
)
def test_det_gradient_at_singular_matrices_is_torchs_svd_cofactors(m):
    # torch's cofactors of a singular matrix come from its SVD path, which it takes when
    # recording (create_graph=True); without recording its backward gives 0 for a singular
    # matrix larger than 1x1 (det times the solve), which is not the derivative
    theirs_a = torch.tensor(m, dtype=torch.float64, requires_grad=True)
    (theirs,) = torch.autograd.grad(torch.linalg.det(theirs_a).sum(), [theirs_a], create_graph=True)
    ours_a = autograd.tensor(m, dtype=autograd.float64, requires_grad=True)
    (ours,) = autograd.autograd.grad(autograd.linalg.det(ours_a).sum(), [ours_a])
    np.testing.assert_allclose(ours.numpy(), theirs.detach().numpy(), atol=1e-12)


@pytest.mark.parametrize("target", ["real", "complex"])
@pytest.mark.parametrize("value", ["real", "complex"])
def test_index_assignment_between_real_and_complex_tensors_as_torch(target, value):
    def run(L: Any, F: Any) -> Any:
        base = L.tensor([1.0, 2.0, 3.0] if target == "real" else [1 + 1j, 2 + 2j, 3j])
        base.requires_grad_()
        v = L.tensor([1 + 2j, 3 - 1j] if value == "complex" else [5.0, -1.0], requires_grad=True)
        t = base * 2
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # (complex into real: both warn)
            t[0:2] = v
        weights = L.tensor([1 + 1j, 2 - 1j, 1j]) if target == "complex" else L.arange(3.0)
        (t * weights).real.sum().backward() if target == "complex" else (
            t * weights
        ).sum().backward()
        return t.detach(), v.grad, base.grad

    _same(*_both(run))
