"""Tensor operators, reductions, shape ops, indexing and joins against torch: values and grads."""

from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import autograd  # noqa: E402
from autograd import Tensor  # noqa: E402

from .oracle import compare, normal  # noqa: E402

A = normal((3, 4), 1)
B = normal((3, 4), 2)
POS = np.abs(normal((3, 4), 3)) + 0.5


# --- arithmetic ---------------------------------------------------------------------------

BINARY = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / b,
}
SHAPE_PAIRS = [((3, 4), (3, 4)), ((3, 4), (4,)), ((2, 1, 4), (3, 1)), ((), (2, 3)), ((5, 1), ())]


@pytest.mark.parametrize("op", list(BINARY))
@pytest.mark.parametrize("shapes", SHAPE_PAIRS, ids=str)
def test_binary_operators_broadcast(op, shapes):
    a = normal(shapes[0], 4)
    b = normal(shapes[1], 5) + (3.0 if op == "div" else 0.0)
    compare(BINARY[op], None, [a, b])


@pytest.mark.parametrize("op", list(BINARY))
def test_operators_with_numbers_on_either_side(op):
    f = BINARY[op]
    compare(lambda x: f(x, 2.5), None, [POS])
    compare(lambda x: f(2.5, x), None, [POS])
    compare(lambda x: -x, None, [A])


def test_reflected_numpy_array_gives_a_tensor_with_the_gradient():
    arr = normal((4,), 6)
    compare(lambda x: arr - x, lambda x: torch.tensor(arr) - x, [A])
    compare(lambda x: arr / x, lambda x: torch.tensor(arr) / x, [POS])


@pytest.mark.parametrize("exponent", [2, 3, 0.5, -1.5, 0, 1, -2])
def test_pow_number_exponent(exponent):
    base = POS if exponent != int(exponent) else A
    compare(lambda x: x**exponent, None, [base])


def test_pow_tensor_exponent_broadcast():
    compare(lambda a, b: a**b, None, [POS, normal((4,), 7)])


def test_number_to_a_tensor_power():
    compare(lambda x: 2.0**x, None, [A])
    compare(lambda x: 0.5**x, None, [A])


@pytest.mark.parametrize("exponent", [0.0, 1.0, 2.0, 3.0])
def test_pow_at_zero_base(exponent):
    # d(x^0)/dx = 0 at x = 0 and d(0^b)/db = 0 (PyTorch masks both)
    base = np.array([0.0, 0.0, 1.5])
    compare(lambda x, e: x**e, None, [base, np.full(3, exponent)])


# --- matmul -------------------------------------------------------------------------------

MATMUL_SHAPES = [
    ((4,), (4,)),
    ((4,), (4, 3)),
    ((3, 4), (4,)),
    ((3, 4), (4, 2)),
    ((5, 3, 4), (5, 4, 2)),
    ((2, 1, 3, 4), (5, 4, 2)),
    ((5, 3, 4), (4,)),
    ((4,), (2, 4, 3)),
    ((5, 3, 4), (4, 2)),
]


@pytest.mark.parametrize("shapes", MATMUL_SHAPES, ids=str)
def test_matmul(shapes):
    compare(lambda a, b: a @ b, None, [normal(shapes[0], 8), normal(shapes[1], 9)])


# --- reductions ---------------------------------------------------------------------------

X3 = normal((3, 4, 5), 10)
AXES = [None, 0, 1, -1, (0, 2)]


@pytest.mark.parametrize("keepdim", [False, True])
@pytest.mark.parametrize("axis", AXES, ids=str)
@pytest.mark.parametrize("op", ["sum", "mean"])
def test_sum_mean(op, axis, keepdim):
    if axis is None:
        compare(lambda x: getattr(x, op)(), None, [X3])
        return
    compare(lambda x: getattr(x, op)(dim=axis, keepdim=keepdim), None, [X3])
    compare(
        lambda x: getattr(x, op)(axis=axis, keepdims=keepdim),
        lambda x: getattr(x, op)(dim=axis, keepdim=keepdim),
        [X3],
    )


@pytest.mark.parametrize("ddof", [0, 1])
@pytest.mark.parametrize("keepdim", [False, True])
@pytest.mark.parametrize("axis", AXES, ids=str)
@pytest.mark.parametrize("op", ["var", "std"])
def test_var_std_with_matching_correction(op, axis, keepdim, ddof):
    compare(
        lambda x: getattr(x, op)(axis=axis, keepdims=keepdim, ddof=ddof),
        lambda x: getattr(x, op)(dim=axis, keepdim=keepdim, correction=ddof),
        [X3],
    )
    compare(lambda x: getattr(x, op)(dim=axis, keepdim=keepdim, correction=ddof), None, [X3])


@pytest.mark.parametrize("op", ["var", "std"])
def test_var_std_default_is_torchs_unbiased_form(op):
    # API.md (PyTorch wins): correction=1 by default, numpy's population form with ddof=0
    compare(lambda x: getattr(x, op)(), None, [X3])
    compare(lambda x: getattr(x, op)(1), None, [X3])
    ours = getattr(Tensor(X3), op)().item()
    assert ours == pytest.approx(getattr(X3, op)(ddof=1), rel=1e-12)
    assert ours != pytest.approx(getattr(X3, op)(), rel=1e-6)


TIES = np.array([[1.0, 3.0, 3.0, -2.0], [-2.0, -2.0, 0.0, 0.5], [4.0, 4.0, 4.0, 4.0]])


@pytest.mark.parametrize("keepdim", [False, True])
@pytest.mark.parametrize("axis", [None, 0, 1, (0, 1)], ids=str)
@pytest.mark.parametrize("op", ["amax", "amin"])
def test_amax_amin_split_ties(op, axis, keepdim):
    # amax/amin: values only, ties share the gradient evenly (PyTorch's)
    for x in (TIES, X3):
        if axis is None:
            compare(lambda x: getattr(x, op)(keepdim=keepdim), None, [x])
        else:
            compare(lambda x: getattr(x, op)(dim=axis, keepdim=keepdim), None, [x])


@pytest.mark.parametrize("keepdim", [False, True])
@pytest.mark.parametrize("op", ["max", "min"])
def test_max_min_ties_as_torch(op, keepdim):
    # the full max()/min() splits ties evenly; max(dim)/min(dim) give it all to the index
    for x in (TIES, X3):
        compare(lambda x: getattr(x, op)(), None, [x])
        for d in (0, 1, -1):
            compare(lambda x, d=d: getattr(x, op)(d, keepdim).values, None, [x])
            compare(
                lambda x, d=d: getattr(x, op)(dim=d, keepdim=keepdim)[1] * 1.0, None, [x], [False]
            )


# --- shape ops ----------------------------------------------------------------------------

SHAPE_OPS = {
    "reshape": (lambda x: x.reshape(4, 15), None),
    "reshape_tuple_minus1": (lambda x: x.reshape((-1, 5)), None),
    "view": (lambda x: x.view(12, 5), None),
    "transpose_swap": (lambda x: x.transpose(0, 2), None),
    "transpose_perm": (lambda x: x.permute(1, 2, 0), None),
    "T": (lambda x: x.T, lambda x: x.permute(2, 1, 0)),
    "swapaxes": (lambda x: x.swapaxes(0, 2), None),
    "swapaxes_neg": (lambda x: x.swapaxes(-1, 1), lambda x: x.transpose(-1, 1)),
    "permute": (lambda x: x.permute(2, 0, 1), None),
    "permute_tuple": (lambda x: x.permute((1, 0, 2)), lambda x: x.permute(1, 0, 2)),
    "unsqueeze0": (lambda x: x.unsqueeze(0), None),
    "unsqueeze_neg": (lambda x: x.unsqueeze(-1), None),
    "unsqueeze_mid": (lambda x: x.unsqueeze(2), None),
    "flatten": (lambda x: x.flatten(), None),
    "flatten_range": (lambda x: x.flatten(1), None),
    "flatten_start_end": (lambda x: x.flatten(0, 1), None),
    "expand": (lambda x: x[:, :1].expand(2, 3, 4, 5), None),
    "expand_minus1": (lambda x: x[:, :1].expand(-1, 6, -1), None),
    "broadcast_to": (lambda x: x[:, :1].broadcast_to((2, 3, 4, 5)), None),
}


@pytest.mark.parametrize("name", list(SHAPE_OPS))
def test_shape_ops(name):
    ours, theirs = SHAPE_OPS[name]
    compare(ours, theirs, [X3])


@pytest.mark.parametrize("dim", [None, 0, 2, -1, (0, 2)], ids=str)
def test_squeeze(dim):
    x = normal((1, 3, 1), 11)
    if dim is None:
        compare(lambda x: x.squeeze(), None, [x])
    else:
        compare(lambda x: x.squeeze(dim), None, [x])


@pytest.mark.parametrize("dim", [1, (0, 1), -2, (1, 2)], ids=str)
def test_squeeze_of_a_longer_axis_keeps_it_as_torch(dim):
    # the porting rule: where numpy (which raises) and torch differ, torch's meaning wins
    x = normal((1, 3, 1), 11)
    compare(lambda x: x.squeeze(dim), None, [x])


# --- indexing -----------------------------------------------------------------------------


def _torch_index(index):
    if isinstance(index, tuple):
        return tuple(_torch_index(i) for i in index)
    if isinstance(index, np.ndarray):
        return torch.tensor(index)
    return index


INDICES = {
    "int": 1,
    "neg_int": -1,
    "slice": slice(1, None),
    "slice_step": (slice(None), slice(None, None, 2)),
    "slice_stop": (slice(None, 2), 1, slice(1, 4)),
    "none": (None, 0),
    "none_mid": (slice(None), None, 2),
    "ellipsis": (Ellipsis, 1),
    "ellipsis_none": (0, Ellipsis, None),
    "bool_mask_full": X3 > 0.3,
    "bool_mask_rows": np.array([True, False, True]),
    "bool_mask_axis1": (slice(None), np.array([True, False, False, True])),
    "int_array_repeats": np.array([0, 2, 0, 0, 1]),
    "int_array_2d": np.array([[0, 1], [2, 2]]),
    "int_arrays_paired": (np.array([0, 2, 2]), np.array([1, 1, 3])),
    "int_array_and_slice": (slice(1, 3), np.array([3, 3, 0])),
    "int_array_negative": (Ellipsis, np.array([-1, 0, -1])),
    "int_and_array": (1, np.array([0, 0, 3])),
    "list_index": [2, 2, 1],
}


@pytest.mark.parametrize("name", list(INDICES))
def test_getitem(name):
    index = INDICES[name]
    t_index = _torch_index(index) if not isinstance(index, list) else torch.tensor(index)
    compare(lambda x: x[index], lambda x: x[t_index], [X3])


# --- joins, selection, clip ---------------------------------------------------------------


@pytest.mark.parametrize("axis", [0, 1, -1])
def test_concatenate_and_stack(axis):
    parts = [normal((3, 4), 12), normal((3, 4), 13), normal((3, 4), 14)]
    compare(lambda *t: autograd.concatenate(t, axis=axis), lambda *t: torch.cat(t, dim=axis), parts)
    compare(lambda *t: autograd.cat(t, dim=axis), lambda *t: torch.cat(t, dim=axis), parts)
    compare(lambda *t: autograd.stack(t, axis=axis), lambda *t: torch.stack(t, dim=axis), parts)


def test_concatenate_unequal_lengths():
    parts = [normal((2, 4), 15), normal((5, 4), 16)]
    compare(lambda *t: autograd.concatenate(t), lambda *t: torch.cat(t), parts)


def test_where_broadcasts_both_branches():
    cond = A > 0
    compare(
        lambda a, b: autograd.where(cond, a, b),
        lambda a, b: torch.where(torch.tensor(cond), a, b),
        [A, normal((4,), 17)],
    )
    compare(
        lambda a: autograd.where(Tensor(cond), a, 0.5),
        lambda a: torch.where(torch.tensor(cond), a, 0.5),
        [A],
    )


TIE_A = np.array([1.0, 2.0, 3.0, -1.0, 0.0, 5.0])
TIE_B = np.array([1.0, 1.0, 4.0, -1.0, 0.0, 6.0])


@pytest.mark.parametrize("op", ["maximum", "minimum"])
def test_maximum_minimum_split_ties_in_half(op):
    compare(getattr(autograd, op), getattr(torch, op), [TIE_A, TIE_B])
    compare(getattr(autograd, op), getattr(torch, op), [A, normal((4,), 18)])


@pytest.mark.parametrize(
    "bounds", [(-0.5, 0.7), (None, 0.2), (-0.3, None), (1.0, 1.0), (0.6, -0.4)], ids=str
)
def test_clip_gradient_includes_the_bounds(bounds):
    lo, hi = bounds
    x = np.concatenate([A.ravel(), [-0.5, 0.7, 0.2, -0.3, 1.0]])
    compare(lambda x: x.clip(lo, hi), lambda x: x.clamp(lo, hi), [x])
    compare(lambda x: x.clip(min=lo, max=hi), lambda x: torch.clamp(x, min=lo, max=hi), [x])
    compare(lambda x: x.clamp(lo, hi), lambda x: x.clamp(lo, hi), [x])


@pytest.mark.parametrize("op", ["exp", "log", "sqrt", "abs"])
def test_elementwise(op):
    x = POS if op in ("log", "sqrt") else A
    compare(lambda x: getattr(x, op)(), None, [x])


def test_abs_gradient_at_zero_is_zero():
    compare(lambda x: x.abs(), None, [np.array([-1.0, 0.0, 2.0])])
    compare(abs, None, [np.array([-1.0, 0.0, 2.0])])


@pytest.mark.parametrize("op", ["__lt__", "__le__", "__gt__", "__ge__", "__eq__", "__ne__"])
def test_comparisons_are_bool_without_gradient(op):
    b = A.copy()
    b[0] = B[0]
    ours = getattr(Tensor(A, requires_grad=True), op)(Tensor(b))
    ref = getattr(torch.tensor(A), op)(torch.tensor(b))
    assert ours.dtype == np.bool_ and not ours.requires_grad
    np.testing.assert_array_equal(ours.data, ref.numpy())
    np.testing.assert_array_equal(
        getattr(Tensor(A), op)(0.1).data, getattr(torch.tensor(A), op)(0.1).numpy()
    )


# --- dtypes -------------------------------------------------------------------------------

F32_CASES = {
    "add_number": lambda x, y: x + 2.5,
    "rpow_number": lambda x, y: 2.0**x,
    "mul": lambda x, y: x * y,
    "div": lambda x, y: x / (y.abs() + 1),
    "pow_tensor": lambda x, y: x.abs() ** y,
    "matmul": lambda x, y: x @ y.T,
    "mean_var": lambda x, y: x.mean(dim=0) + y.var(dim=0, correction=0),
    "exp_log": lambda x, y: x.exp() + (y.abs() + 1).log(),
    "getitem": lambda x, y: x[np.array([0, 0, 2])] * y,
    "maximum": lambda x, y: (
        autograd.maximum(x, y) if isinstance(x, Tensor) else torch.maximum(x, y)
    ),
}


@pytest.mark.parametrize("name", list(F32_CASES))
def test_float32_in_float32_out_and_grads(name):
    # tolerances: float32 rounding, but the dtype checks inside compare are exact
    compare(
        F32_CASES[name], None, [A.astype(np.float32), B.astype(np.float32)], rtol=2e-5, atol=1e-5
    )


def test_python_floats_become_the_default_float32():
    assert Tensor([1.0, 2.0]).dtype == np.float32 == torch.tensor([1.0, 2.0]).numpy().dtype
    assert autograd.tensor([1, 2]).dtype == np.int64 == torch.tensor([1, 2]).numpy().dtype
    assert Tensor([1, 2]).dtype == np.float32 == torch.Tensor([1, 2]).numpy().dtype
    assert autograd.zeros(2).dtype == np.float32


# --- Value: the scalar node, against 0-d float64 torch tensors -----------------------------

VALUE_OPS = {
    "add": lambda a, b: a + b,
    "rsub": lambda a, b: 2.0 - a * b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / b,
    "rdiv": lambda a, b: 3.0 / a + b,
    "pow_number": lambda a, b: a**3 + b**-2,
    "pow_value": lambda a, b: a**b,
    "rpow": lambda a, b: 2.0**a * 0.5**b,
    "exp_log": lambda a, b: a.exp() * b.log(),
    "sqrt_abs": lambda a, b: b.sqrt() + abs(a),
    "clip": lambda a, b: a.clip(-0.5, 0.3) + b.clip(0.7, 0.2),
}
VALUE_POINTS = [(0.7, 1.3), (-1.2, 2.5), (0.0, 0.5), (2.0, 0.0), (0.0, 0.0), (-0.0, 1.0)]


@pytest.mark.parametrize("point", VALUE_POINTS, ids=str)
@pytest.mark.parametrize("name", list(VALUE_OPS))
def test_value_ops_and_their_gradients(name, point):
    f = VALUE_OPS[name]
    a, b = autograd.Value(point[0]), autograd.Value(point[1])
    ta, tb = (torch.tensor(p, dtype=torch.float64, requires_grad=True) for p in point)
    with np.errstate(all="ignore"):
        out = f(a, b)
        ref = f(ta, tb)
    out.backward()
    ref.backward()
    np.testing.assert_allclose(out.data, ref.item(), rtol=1e-12, equal_nan=True)
    for ours, theirs in ((a, ta), (b, tb)):
        np.testing.assert_allclose(ours.grad, theirs.grad.item(), rtol=1e-12, equal_nan=True)


@pytest.mark.parametrize(
    "a, b",
    [
        (-0.0, -3.0),
        (-0.0, -2.0),
        (-0.0, -2.5),
        (0.0, -1.0),
        (-2.0, 10001.0),
        (-2.0, 10000.0),
        (-2.0, 10000.5),
        (2.0, 1e4),
        (-8.0, 1 / 3),
    ],
    ids=str,
)
def test_value_power_limits_are_ieee_as_torch(a, b):
    ours = (autograd.Value(a) ** b).data
    theirs = (torch.tensor(a, dtype=torch.float64) ** b).item()
    np.testing.assert_equal(ours, theirs)


@pytest.mark.parametrize(
    "op",
    [
        lambda f, i: f * i,
        lambda f, i: i * 2.5,
        lambda f, i: i / i,
        lambda f, i: i.exp(),
    ],
    ids=["f32*int", "int*float", "int/int", "int.exp"],
)
def test_int_operands_keep_float32_as_torch(op):
    # (torch's own Tensor + int ndarray goes through numpy and gives float64, so the ndarray
    # case is checked against the tensor rule in tests/autograd/test_dtypes.py instead.)
    f32, ints = np.array([1.5, 2.0], dtype=np.float32), np.array([2, 3])
    ours = op(Tensor(f32), Tensor(ints))
    theirs = op(torch.tensor(f32), torch.tensor(ints))
    assert ours.dtype == theirs.numpy().dtype == np.float32


def test_indexing_with_index_tensors():
    rows = np.array([2, 0, 2])
    mask = X3[:, 0, 0] > 0
    compare(lambda x: x[Tensor(rows)], lambda x: x[torch.tensor(rows)], [X3])
    compare(lambda x: x[Tensor(mask)], lambda x: x[torch.tensor(mask)], [X3])
    compare(
        lambda x: x[Tensor(rows), :, Tensor(rows)],
        lambda x: x[torch.tensor(rows), :, torch.tensor(rows)],
        [X3],
    )


def test_ndarray_on_the_left_of_matmul():
    m = normal((5, 3), 19)
    compare(lambda x: m @ x, lambda x: torch.tensor(m) @ x, [normal((3, 4), 20)])


@pytest.mark.parametrize("op", ["sum", "mean", "amax", "amin", "var", "std"])
@pytest.mark.parametrize("dim", [0, -1])
def test_reductions_of_a_0d_tensor_over_its_axis_0_or_minus_1(op, dim):
    # PyTorch accepts dim 0 or -1 on a 0-d tensor: the reduction is the identity
    kw = {"correction": 0} if op in ("var", "std") else {}
    with np.errstate(all="ignore"):  # std's gradient at 0 is nan in both
        compare(
            lambda x: getattr(x, op)(dim=dim, keepdim=True, **kw),
            None,
            [np.array(1.5)],
        )


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_std_of_a_constant_slice_has_zero_gradient_as_torch(dtype):
    x = np.array([[1.0, 1.0, 1.0], [1.0, 2.0, 4.0]], dtype=dtype)
    tol = {"rtol": 1e-6, "atol": 1e-7} if dtype == np.float32 else {}
    compare(lambda t: t.std(dim=1), None, [x], **tol)
    compare(lambda t: t.std(), None, [np.ones((2, 2), dtype)], **tol)


@pytest.mark.parametrize("shape", [(0,), (2,), (2, 3)])
def test_bool_of_an_empty_or_many_valued_tensor_raises_torchs_error(shape):
    with pytest.raises(RuntimeError) as theirs:
        bool(torch.zeros(shape))
    with pytest.raises(RuntimeError) as ours:
        bool(autograd.zeros(shape))
    assert str(ours.value) == str(theirs.value)
