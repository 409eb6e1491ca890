"""dtypes follow PyTorch's rules: float32 stays float32 through forward, backward and
create_graph; Python floats become the default dtype; ints are int64 and cannot require grad."""

import numpy as np
import pytest

import autograd as ag
from autograd import Tensor

F32 = np.float32


def f32(*shape, lo=0.5, hi=2.0, seed=0):
    data = np.random.default_rng(seed).uniform(lo, hi, size=shape).astype(F32)
    return Tensor(data, requires_grad=True)


# every op, with float32 inputs (and Python numbers / float32 arrays as the other operand)
OPS = {
    "add": lambda a, b: a + b,
    "radd_number": lambda a, b: 2.5 + a,
    "sub": lambda a, b: a - b,
    "rsub_number": lambda a, b: 1.5 - b,
    "mul": lambda a, b: a * b,
    "mul_number": lambda a, b: a * 0.1,
    "div": lambda a, b: a / b,
    "rdiv_number": lambda a, b: 3.0 / b,
    "pow_number": lambda a, b: a**2.5,
    "pow_int": lambda a, b: a**3,
    "pow_tensor": lambda a, b: a**b,
    "rpow_number": lambda a, b: 2.0**a,
    "neg": lambda a, b: -a,
    "matmul": lambda a, b: a @ b.T,
    "matmul_f32_array": lambda a, b: a @ np.ones((3, 2), dtype=F32),
    "add_f32_array": lambda a, b: np.ones(3, dtype=F32) + a,
    "exp": lambda a, b: a.exp(),
    "log": lambda a, b: a.log(),
    "sqrt": lambda a, b: a.sqrt(),
    "abs": lambda a, b: abs(a - 1),
    "clip": lambda a, b: a.clip(0.8, 1.5),
    "sigmoid": lambda a, b: a.sigmoid(),
    "tanh": lambda a, b: a.tanh(),
    "relu": lambda a, b: (a - 1).relu(),
    "sum": lambda a, b: a.sum(axis=0),
    "mean": lambda a, b: a.mean(axis=1, keepdims=True),
    "max": lambda a, b: a.amax(axis=0),
    "min": lambda a, b: a.min(),
    "var": lambda a, b: a.var(axis=1, ddof=1),
    "std": lambda a, b: a.std(),
    "reshape": lambda a, b: a.reshape(3, 2),
    "transpose": lambda a, b: a.T,
    "swapaxes": lambda a, b: a.swapaxes(0, 1),
    "squeeze": lambda a, b: a.unsqueeze(0).squeeze(0),
    "flatten": lambda a, b: a.flatten(),
    "expand": lambda a, b: a.expand(4, 2, 3),
    "getitem_slice": lambda a, b: a[:, 1:],
    "getitem_int_array": lambda a, b: a[[0, 0, 1]],
    "getitem_mask": lambda a, b: a[a.data > 1],
    "concatenate": lambda a, b: ag.concatenate([a, b]),
    "stack": lambda a, b: ag.stack([a, b], axis=1),
    "where": lambda a, b: ag.where(a.data > 1, a, b),
    "where_number": lambda a, b: ag.where(a.data > 1, a, 0.0),
    "maximum": lambda a, b: ag.maximum(a, b),
    "minimum_number": lambda a, b: ag.minimum(a, 1.0),
}


@pytest.mark.parametrize("name", OPS)
def test_float32_stays_float32_through_forward_and_backward(name):
    a, b = f32(2, 3, seed=1), f32(2, 3, seed=2)
    out = OPS[name](a, b)
    assert out.dtype == F32
    (out * out).sum().backward()
    for x in (a, b):
        assert x.grad is None or x.grad.dtype == F32


@pytest.mark.parametrize("name", OPS)
def test_float32_stays_float32_under_create_graph(name):
    a, b = f32(2, 3, seed=1), f32(2, 3, seed=2)
    out = OPS[name](a, b)
    grads = ag.grad((out * out).sum(), [a, b], create_graph=True, allow_unused=True)
    for g in grads:
        assert g is None or g.dtype == F32
    second = [g for g in grads if g is not None and g.requires_grad]
    if second:
        hs = ag.grad(sum(g.sum() for g in second), [a, b], allow_unused=True)
        for h in hs:
            assert h is None or h.dtype == F32


def test_float64_stays_float64():
    x = Tensor(np.ones(3), requires_grad=True)
    y = (x * 0.5 + 1.0).exp().sum()
    y.backward()
    assert y.dtype == np.float64 and x.grad.dtype == np.float64


def test_mixed_float_dtypes_promote_but_each_grad_keeps_its_input_dtype():
    a = Tensor(np.ones(3, dtype=F32), requires_grad=True)
    b = Tensor(np.ones(3, dtype=np.float64), requires_grad=True)
    out = a * b
    assert out.dtype == np.float64
    out.sum().backward()
    assert a.grad.dtype == F32 and b.grad.dtype == np.float64


# --- what data becomes ---


def test_python_floats_and_lists_become_the_default_float_dtype():
    assert ag.get_default_dtype() == F32
    assert Tensor(1.5).dtype == F32
    assert Tensor([1.0, 2.0]).dtype == F32
    assert Tensor([1, 2.5]).dtype == F32
    assert ag.tensor([[0.5]]).dtype == F32


def test_numpy_data_keeps_its_dtype():
    for dtype in (np.float16, np.float32, np.float64, np.int32, np.int64, np.bool_):
        assert Tensor(np.zeros(2, dtype=dtype)).dtype == dtype
    assert Tensor(np.float64(1.0)).dtype == np.float64


def test_explicit_dtype_wins():
    assert Tensor([1, 2], dtype=np.float64).dtype == np.float64
    assert Tensor(np.zeros(2, dtype=F32), dtype=np.float64).dtype == np.float64


def test_ints_become_int64_and_cannot_require_grad():
    assert Tensor(3).dtype == np.int64
    assert ag.tensor([1, 2]).dtype == np.int64
    with pytest.raises(TypeError, match="floating.*int64"):
        ag.tensor([1, 2], requires_grad=True)
    with pytest.raises(TypeError, match="floating.*bool"):
        Tensor(np.array([True]), requires_grad=True)


def test_the_tensor_class_makes_lists_of_ints_and_bools_floats_as_torch_tensor():
    # torch.Tensor([0]) is a float tensor (the char-RNN tutorial's ``loss = torch.Tensor([0])``
    # then ``loss += l``); torch.tensor([0]) infers int64
    assert Tensor([1, 2]).dtype == F32 and Tensor([[True], [False]]).dtype == F32
    assert Tensor((1, 2)).tolist() == [1.0, 2.0]
    assert Tensor([1, 2], requires_grad=True).requires_grad
    assert Tensor([1 + 2j]).dtype.kind == "c"
    ag.set_default_dtype(np.float64)
    try:
        assert Tensor([1]).dtype == np.float64
    finally:
        ag.set_default_dtype(F32)


def test_integer_tensors_compute_without_gradients():
    i = ag.tensor([1, 2, 3])
    out = i * 2 + 1
    assert out.dtype == np.int64 and not out.requires_grad
    np.testing.assert_array_equal(out.data, [3, 5, 7])


def test_non_numeric_data_is_refused():
    with pytest.raises(TypeError, match="numeric"):
        Tensor(["a", "b"])


def test_set_default_dtype():
    try:
        ag.set_default_dtype(np.float64)
        assert ag.get_default_dtype() == np.float64
        assert Tensor(1.5).dtype == np.float64
        assert ag.zeros(2).dtype == np.float64 and ag.randn(2).dtype == np.float64
        with pytest.raises(TypeError, match="floating"):
            ag.set_default_dtype(np.int32)
    finally:
        ag.set_default_dtype(np.float32)
    assert Tensor(1.5).dtype == F32


def test_creation_helpers():
    assert ag.zeros(2, 3).shape == (2, 3) and ag.zeros((2, 3)).dtype == F32
    assert ag.ones(4, requires_grad=True).requires_grad
    assert ag.full((2,), 7.0).data.tolist() == [7.0, 7.0]
    assert ag.arange(5).dtype == np.int64
    assert ag.arange(0.0, 1.0, 0.25).dtype == F32
    assert ag.arange(3, dtype=np.float64).dtype == np.float64
    x = ag.randn(3, 2, dtype=np.float64)
    assert x.dtype == np.float64 and ag.zeros_like(x).dtype == np.float64
    ag.manual_seed(3)
    first = ag.rand(4).data
    ag.manual_seed(3)
    np.testing.assert_array_equal(ag.rand(4).data, first)
    assert np.all((first >= 0) & (first < 1))


# --- comparisons and numpy interplay ---


@pytest.mark.parametrize(
    "compare, reference",
    [
        (lambda a, b: a < b, np.less),
        (lambda a, b: a <= b, np.less_equal),
        (lambda a, b: a > b, np.greater),
        (lambda a, b: a >= b, np.greater_equal),
        (lambda a, b: a == b, np.equal),
        (lambda a, b: a != b, np.not_equal),
    ],
)
def test_comparisons_give_bool_tensors_without_grad(compare, reference):
    a = Tensor(np.array([1.0, 2.0, 3.0]), requires_grad=True)
    b = Tensor(np.array([2.0, 2.0, 2.0]), requires_grad=True)
    for other in (b, b.data, 2.0):
        out = compare(a, other)
        assert isinstance(out, Tensor) and out.dtype == bool and not out.requires_grad
        np.testing.assert_array_equal(out.data, reference(a.data, np.asarray(other)))


def test_numpy_array_on_the_left_gives_a_tensor():
    t = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    arr = np.array([3.0, 4.0])
    for out in (arr + t, arr - t, arr * t, arr / t, arr**t, arr @ t):
        assert isinstance(out, Tensor) and out.requires_grad
    comparison = arr > t
    assert isinstance(comparison, Tensor) and comparison.dtype == bool


def test_tensors_stay_hashable_despite_elementwise_equality():
    a, b = Tensor([1.0]), Tensor([1.0])
    assert len({a, b}) == 2 and {a: 1}[a] == 1


@pytest.mark.parametrize(
    "make",
    [
        lambda f, i: f * Tensor(i),
        lambda f, i: f + i,
        lambda f, i: i + f,
        lambda f, i: Tensor(i) * 2.5,
        lambda f, i: Tensor(i) / Tensor(i),
        lambda f, i: Tensor(i).exp(),
    ],
    ids=["f32*int", "f32+int_ndarray", "int_ndarray+f32", "int*float", "int/int", "int.exp"],
)
def test_integer_operands_do_not_promote_floats_to_float64(make):
    # PyTorch's rule: the widest float input's dtype, else the default dtype (numpy would
    # give float64 in every one of these).
    f32, ints = Tensor(np.array([1.5, 2.0], dtype=np.float32)), np.array([2, 3])
    assert make(f32, ints).dtype == np.float32


def test_float64_inputs_stay_float64_next_to_integers():
    f64 = Tensor(np.array([1.5, 2.0]))
    assert (f64 * ag.tensor([2, 3])).dtype == np.float64


@pytest.mark.parametrize(
    ("make", "dtype"),
    [
        # a 0-d tensor does not widen a floating tensor with dimensions (PyTorch's rule)
        (lambda T: T.ones(2) * T.tensor(2.0, dtype=T.float64), "float32"),
        (lambda T: T.tensor(2.0, dtype=T.float64) * T.ones(2), "float32"),
        (lambda T: T.ones(2, dtype=T.float16) * T.tensor(2.0, dtype=T.float64), "float16"),
        (lambda T: T.maximum(T.ones(2), T.tensor(2.0, dtype=T.float64)), "float32"),
        # ... but it does lift an integer one, and 0-d tensors among themselves promote
        (lambda T: T.ones(2, dtype=T.int64) * T.tensor(2.0, dtype=T.float64), "float64"),
        (lambda T: T.tensor(2.0, dtype=T.float64) * T.tensor(1.0), "float64"),
        (lambda T: T.ones(2, dtype=T.float64) * T.tensor(1.0), "float64"),
    ],
)
def test_zero_dim_tensors_promote_as_torchs(make, dtype):
    assert str(make(ag).dtype) == dtype
    torch = pytest.importorskip("torch")
    assert str(make(torch).dtype) == f"torch.{dtype}"


def test_zero_dim_float64_keeps_a_float32_gradient_float32():
    w = ag.ones(2, requires_grad=True)
    (w * ag.tensor(2.0, dtype=ag.float64)).sum().backward()
    assert w.grad.dtype == np.float32 and w.grad.tolist() == [2.0, 2.0]


@pytest.mark.parametrize(
    "make",
    [
        lambda T: 100 * (T.tensor([1, 0, 1]) == T.tensor([1, 1, 1])).sum() / 3,  # accuracy
        lambda T: T.tensor(5) * 1.5,
        lambda T: T.tensor(5) ** 0.5,
        lambda T: T.tensor(3) / T.tensor(2),
        lambda T: T.tensor(1.0) + T.tensor(2),
        lambda T: T.exp(T.tensor(1)),
    ],
)
def test_float_results_of_0d_integer_tensors_take_the_default_dtype(make):
    assert make(ag).dtype == np.float32
    torch = pytest.importorskip("torch")
    assert make(torch).dtype == torch.float32


def test_an_integer_0d_result_needs_no_gradient():
    assert not (ag.tensor(3) * ag.tensor(2)).requires_grad


def test_bfloat16_is_a_name_that_refuses_data() -> None:
    """nanoGPT's train.py builds {'bfloat16': torch.bfloat16, ...} even on the CPU: the name
    exists; numpy has no bfloat16, so making or casting data to it fails, naming it."""
    import warnings

    import autograd

    assert "bfloat16" in repr(autograd.bfloat16) and not autograd.cuda.is_bf16_supported()
    with pytest.raises(TypeError, match="bfloat16"):
        autograd.zeros(3, dtype=autograd.bfloat16)
    with pytest.raises(TypeError, match="bfloat16"):
        autograd.ones(2).to(autograd.bfloat16)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with autograd.autocast(device_type="cpu", dtype=autograd.bfloat16):
            out = autograd.ones(2) * 2
    assert out.dtype == autograd.float32
