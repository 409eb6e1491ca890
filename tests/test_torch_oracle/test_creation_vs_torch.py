"""Creation functions, dtypes and devices against torch: the same call, written once for both
libraries (``m`` is ``autograd`` or ``torch``), gives the same shape, dtype and values (random
ones: the same shape, dtype, support and statistics; the numbers differ by design); calls
torch refuses are refused here too."""

from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import autograd  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore:To copy construct from a tensor")


def np_dtype(t: object) -> np.dtype:
    """A torch or autograd result's dtype as numpy's."""
    if isinstance(t, torch.Tensor):
        return torch.empty(0, dtype=t.dtype).numpy().dtype
    return np.dtype(t.dtype)


def as_np(t: object) -> np.ndarray:
    if isinstance(t, torch.Tensor):
        return t.detach().numpy()
    return np.asarray(t.data)


# --- deterministic: shape, dtype and values equal ---------------------------------------------

DETERMINISTIC = {
    "tensor_int": lambda m: m.tensor([1, 2, 3]),
    "tensor_float": lambda m: m.tensor([[1.0, 2.0], [3.0, 4.5]]),
    "tensor_mixed": lambda m: m.tensor([1, 2.5]),
    "tensor_bool": lambda m: m.tensor([True, False]),
    "tensor_bool_int": lambda m: m.tensor([True, 2]),
    "tensor_scalar": lambda m: m.tensor(3.5),
    "tensor_complex": lambda m: m.tensor(1 + 2j),
    "tensor_ndarray_f64": lambda m: m.tensor(np.arange(4.0)),
    "tensor_ndarray_i32": lambda m: m.tensor(np.arange(4, dtype=np.int32)),
    "tensor_np_scalar": lambda m: m.tensor(np.float64(1.5)),
    "tensor_dtype": lambda m: m.tensor([1.7, -1.7], dtype=m.int64),
    "tensor_dtype_f64": lambda m: m.tensor([1, 2], dtype=m.float64),
    "tensor_of_tensor": lambda m: m.tensor(m.ones(2)),
    "tensor_list_of_0d": lambda m: m.tensor([m.tensor(1.0), m.tensor(2.0)]),
    "tensor_empty": lambda m: m.tensor([]),
    "zeros_varargs": lambda m: m.zeros(2, 3),
    "zeros_tuple": lambda m: m.zeros((2, 3)),
    "zeros_list": lambda m: m.zeros([2, 3]),
    "zeros_size_kw": lambda m: m.zeros(size=(2, 3)),
    "zeros_0d": lambda m: m.zeros(()),
    "zeros_empty_list": lambda m: m.zeros([]),
    "zeros_zero_size": lambda m: m.zeros(0, 3),
    "zeros_dtype": lambda m: m.zeros(2, dtype=m.int64),
    "zeros_bool": lambda m: m.zeros(2, dtype=m.bool),
    "zeros_numpy_int": lambda m: m.zeros(np.int64(3)),
    "zeros_tensor_size": lambda m: m.zeros(m.tensor(3)),
    "ones": lambda m: m.ones(3, 1),
    "ones_half": lambda m: m.ones(2, dtype=m.half),
    "ones_double": lambda m: m.ones(2, dtype=m.double),
    "ones_int": lambda m: m.ones(2, dtype=m.int),
    "ones_long": lambda m: m.ones(2, dtype=m.long),
    "ones_short": lambda m: m.ones(2, dtype=m.short),
    "ones_uint8": lambda m: m.ones(2, dtype=m.uint8),
    "ones_int8": lambda m: m.ones(2, dtype=m.int8),
    "ones_float": lambda m: m.ones(2, dtype=m.float),
    "ones_cfloat": lambda m: m.ones(2, dtype=m.cfloat),
    "full_float": lambda m: m.full((2, 2), 1.5),
    "full_int": lambda m: m.full((2,), 7),
    "full_bool": lambda m: m.full((2,), True),
    "full_list_size": lambda m: m.full([3], -1.0),
    "full_dtype": lambda m: m.full((2,), 1.5, dtype=m.int64),
    "full_0d_tensor_fill": lambda m: m.full((2,), m.tensor(2.5, dtype=m.float64)),
    "full_0d_int_tensor_fill": lambda m: m.full((2,), m.tensor(2)),
    "eye": lambda m: m.eye(3),
    "eye_rect": lambda m: m.eye(2, 3),
    "eye_m_kw": lambda m: m.eye(3, m=2),
    "eye_empty": lambda m: m.eye(2, 0),
    "eye_bool": lambda m: m.eye(3, dtype=m.bool),
    "arange_end": lambda m: m.arange(5),
    "arange_end_kw": lambda m: m.arange(end=5),
    "arange_start_end": lambda m: m.arange(2, 7),
    "arange_step": lambda m: m.arange(10, 0, -3),
    "arange_float": lambda m: m.arange(0, 1, 0.1),
    "arange_float_end": lambda m: m.arange(2.5),
    "arange_float_dtype64": lambda m: m.arange(0, 1, 0.1, dtype=m.float64),
    "arange_int_dtype_truncates": lambda m: m.arange(0.5, 5.7, 1.5, dtype=m.int64),
    "arange_int_dtype_neg": lambda m: m.arange(-2.5, 3, 1, dtype=m.int64),
    "arange_float_dtype_ints": lambda m: m.arange(5, dtype=m.float32),
    "arange_empty": lambda m: m.arange(3, 3),
    "arange_tensor_arg": lambda m: m.arange(m.tensor(3)),
    "arange_big": lambda m: m.arange(0, 10**10, 10**9),
    "arange_kw_all": lambda m: m.arange(start=1, end=4, step=1),
    "linspace": lambda m: m.linspace(0, 1, 7),
    "linspace_5": lambda m: m.linspace(-2.0, 3.0, 5),
    "linspace_long": lambda m: m.linspace(-3.7, 11.1, 101),
    "linspace_f64": lambda m: m.linspace(0, 1, 11, dtype=m.float64),
    "linspace_int": lambda m: m.linspace(0, 10, 4, dtype=m.int64),
    "linspace_one": lambda m: m.linspace(3, 5, 1),
    "linspace_zero": lambda m: m.linspace(3, 5, 0),
    "linspace_down": lambda m: m.linspace(5, -5, 6),
    "linspace_tensor_ends": lambda m: m.linspace(m.tensor(0.0), m.tensor(1.0), 3),
    "logspace": lambda m: m.logspace(0, 2, 3),
    "logspace_base2": lambda m: m.logspace(0, 4, 5, base=2),
    "logspace_f64": lambda m: m.logspace(-2, 2, 9, dtype=m.float64),
    "logspace_int": lambda m: m.logspace(0, 3, 4, dtype=m.int64),
    "zeros_like": lambda m: m.zeros_like(m.ones(2, 3, dtype=m.float64)),
    "zeros_like_dtype": lambda m: m.zeros_like(m.ones(2), dtype=m.int64),
    "ones_like_int": lambda m: m.ones_like(m.tensor([1, 2])),
    "full_like": lambda m: m.full_like(m.ones(2, 2), 3.5),
    "full_like_int_truncates": lambda m: m.full_like(m.tensor([1, 2]), 2.7),
    "full_like_neg_truncates": lambda m: m.full_like(m.tensor([1, 2]), -2.7),
    "full_like_dtype": lambda m: m.full_like(m.tensor([1, 2]), 2.5, dtype=m.float64),
    "empty_like_shape": lambda m: (
        m.empty_like(m.ones(2, 3, dtype=m.int32)).fill_(0)
        if hasattr(m.Tensor, "fill_")
        else m.zeros_like(m.empty_like(m.ones(2, 3, dtype=m.int32)))
    ),
    "from_numpy": lambda m: m.from_numpy(np.arange(6, dtype=np.int16).reshape(2, 3)),
    "as_tensor_list": lambda m: m.as_tensor([1, 2]),
    "as_tensor_array": lambda m: m.as_tensor(np.ones(2)),
    "as_tensor_dtype": lambda m: m.as_tensor(np.ones(2), dtype=m.float32),
    "as_tensor_tensor_dtype": lambda m: m.as_tensor(m.ones(2), dtype=m.float64),
}


@pytest.mark.parametrize("name", sorted(DETERMINISTIC))
def test_deterministic_creation_matches_torch(name):
    make = DETERMINISTIC[name]
    ours, ref = make(autograd), make(torch)
    assert isinstance(ours, autograd.Tensor)
    assert tuple(ours.shape) == tuple(ref.shape)
    assert np_dtype(ours) == np_dtype(ref), (np_dtype(ours), np_dtype(ref))
    if name.startswith("empty"):
        return
    np.testing.assert_allclose(as_np(ours), as_np(ref), rtol=1e-6, atol=0)


# arange's longer runs go through torch's SIMD path, whose blocks (8 or 16 wide, by CPU) round
# differently, so those are compared to within float32 rounding; linspace is swept below.
EXACT = ["linspace", "linspace_5", "linspace_down", "arange_float"]


@pytest.mark.parametrize("dtype", ["float32", "float64", "int64", "int32", "float16"])
def test_linspace_is_bit_identical_for_every_length(dtype):
    """torch's linspace rounds each point's multiply-add once (its kernel is compiled with
    fused multiply-add) and converts integer ends to the integer type first: the same here,
    so every point agrees to the last bit (the base grids of affine_grid depend on it)."""
    ours_dt, theirs_dt = getattr(autograd, dtype), getattr(torch, dtype)
    ends = [(-1, 1), (0, 1), (-3.14159, 3.14159), (0.1, 7.3), (5, -5), (1e-3, 1e3), (-7.9, 3.2)]
    for start, end in ends:
        for steps in [*range(0, 70), 101, 1000, 2000]:
            ours = autograd.linspace(start, end, steps, dtype=ours_dt)
            theirs = torch.linspace(start, end, steps, dtype=theirs_dt)
            np.testing.assert_array_equal(
                as_np(ours), as_np(theirs), err_msg=f"linspace({start}, {end}, {steps})"
            )


def test_logspace_float64_is_bit_identical():
    """torch's logspace does not fuse its multiply-add: neither does ours."""
    for start, end in [(-1, 1), (0, 3), (0.5, 2.7), (-2.5, 2)]:
        for steps in range(0, 30):
            for base in (10.0, 2.0):
                ours = autograd.logspace(start, end, steps, base=base, dtype=autograd.float64)
                theirs = torch.logspace(start, end, steps, base=base, dtype=torch.float64)
                np.testing.assert_array_equal(as_np(ours), as_np(theirs))


@pytest.mark.parametrize("name", EXACT)
def test_spaced_values_are_bit_identical(name):
    """linspace follows torch's formula (half counted up from start, half down from end), so
    the float32 values agree bit for bit, both ends exactly."""
    make = DETERMINISTIC[name]
    np.testing.assert_array_equal(as_np(make(autograd)), as_np(make(torch)))


@pytest.mark.parametrize("default", [np.float64, np.float32])
def test_default_dtype_applies_like_torch(default):
    calls = [
        lambda m: m.zeros(2),
        lambda m: m.tensor([1.5]),
        lambda m: m.full((1,), 2.0),
        lambda m: m.arange(0.0, 1.0, 0.5),
        lambda m: m.linspace(0, 1, 3),
        lambda m: m.rand(2),
        lambda m: m.randn(2),
        lambda m: m.normal(0.0, 1.0, (2,)),
        lambda m: m.eye(2),
        lambda m: m.tensor(1j),
    ]
    old_t, old_a = torch.get_default_dtype(), autograd.get_default_dtype()
    try:
        torch.set_default_dtype(torch.float64 if default == np.float64 else torch.float32)
        autograd.set_default_dtype(default)
        for call in calls:
            assert np_dtype(call(autograd)) == np_dtype(call(torch))
    finally:
        torch.set_default_dtype(old_t)
        autograd.set_default_dtype(old_a)


# --- random: shape, dtype, support ------------------------------------------------------------

RANDOM = {
    "rand": lambda m: m.rand(2, 3),
    "rand_tuple": lambda m: m.rand((4,)),
    "rand_size_kw": lambda m: m.rand(size=(2, 2)),
    "rand_f64": lambda m: m.rand(3, dtype=m.float64),
    "rand_f16": lambda m: m.rand(3, dtype=m.float16),
    "rand_0d": lambda m: m.rand(()),
    "randn": lambda m: m.randn(4, 5),
    "randn_f64": lambda m: m.randn(2, dtype=m.float64),
    "rand_c64": lambda m: m.rand(3, 2, dtype=m.complex64),
    "randn_c128": lambda m: m.randn(4, dtype=m.complex128),
    "rand_like_c128": lambda m: m.rand_like(m.zeros(2, dtype=m.complex128)),
    "randn_like_c64": lambda m: m.randn_like(m.zeros(1, 3, dtype=m.complex64)),
    "randint_high": lambda m: m.randint(5, (3, 2)),
    "randint_low_high": lambda m: m.randint(3, 10, (50,)),
    "randint_size_kw": lambda m: m.randint(10, size=(4,)),
    "randint_all_kw": lambda m: m.randint(low=2, high=4, size=(30,)),
    "randint_high_kw": lambda m: m.randint(high=3, size=(30,)),
    "randint_float_dtype": lambda m: m.randint(3, 5, (20,), dtype=m.float32),
    "randint_negative": lambda m: m.randint(-5, -2, (20,)),
    "randint_big": lambda m: m.randint(0, 2**40, (5,)),
    "randperm": lambda m: m.randperm(7),
    "randperm_zero": lambda m: m.randperm(0),
    "randperm_float": lambda m: m.randperm(4, dtype=m.float32),
    "rand_like": lambda m: m.rand_like(m.ones(2, 3, dtype=m.float64)),
    "randn_like": lambda m: m.randn_like(m.ones(3)),
    "randint_like_high": lambda m: m.randint_like(m.ones(2), 5),
    "randint_like_low_high": lambda m: m.randint_like(m.ones(20, dtype=m.int32), 2, 5),
    "normal_size": lambda m: m.normal(2.0, 3.0, (1, 4)),
    "normal_int_args": lambda m: m.normal(2, 3, size=(1, 4)),
    "normal_tensor_tensor": lambda m: m.normal(m.zeros(2), m.ones(3, 1)),
    "normal_tensor_float": lambda m: m.normal(m.zeros(2, dtype=m.float64), 1.0),
    "normal_float_tensor": lambda m: m.normal(0.0, m.ones(2)),
    "normal_kw": lambda m: m.normal(mean=m.zeros(2), std=m.ones(2)),
    "normal_mean_only": lambda m: m.normal(m.zeros(3)),
    "bernoulli": lambda m: m.bernoulli(m.full((30,), 0.5)),
    "bernoulli_f64": lambda m: m.bernoulli(m.full((3,), 0.5, dtype=m.float64)),
    "bernoulli_p": lambda m: m.bernoulli(m.ones(3), 0.2),
    "bernoulli_p_kw": lambda m: m.bernoulli(m.ones(3), p=0.0),
    "multinomial_1d": lambda m: m.multinomial(m.tensor([0.1, 0.5, 0.4]), 2),
    "multinomial_2d": lambda m: m.multinomial(m.ones(4, 3), 3),
    "multinomial_repl": lambda m: m.multinomial(m.tensor([1.0, 1.0]), 5, True),
    "multinomial_repl_kw": lambda m: m.multinomial(m.ones(2, 2), 5, replacement=True),
    "multinomial_f64": lambda m: m.multinomial(m.ones(3, dtype=m.float64), 1),
}


@pytest.mark.parametrize("name", sorted(RANDOM))
def test_random_creation_matches_torch_in_shape_dtype_and_support(name):
    make = RANDOM[name]
    ours, ref = make(autograd), make(torch)
    assert isinstance(ours, autograd.Tensor)
    assert tuple(ours.shape) == tuple(ref.shape)
    assert np_dtype(ours) == np_dtype(ref)
    a, r = as_np(ours), as_np(ref)
    if name.startswith(("rand_", "rand")) and not name.startswith(("randn", "randint", "randp")):
        for part in (a.real, a.imag) if np.iscomplexobj(a) else (a,):  # complex: each part
            assert np.all((part >= 0) & (part < 1))
    if name.startswith(("randint", "randperm", "bernoulli", "multinomial")):
        # integer-valued draws: our values are in the set torch can produce
        support = set(r.ravel().tolist())
        if name.startswith("randint"):
            low, high = {
                "randint_high": (0, 5),
                "randint_low_high": (3, 10),
                "randint_size_kw": (0, 10),
                "randint_all_kw": (2, 4),
                "randint_high_kw": (0, 3),
                "randint_float_dtype": (3, 5),
                "randint_negative": (-5, -2),
                "randint_big": (0, 2**40),
                "randint_like_high": (0, 5),
                "randint_like_low_high": (2, 5),
            }[name]
            assert a.min() >= low and a.max() < high
            assert np.all(a == np.round(a))
        elif name.startswith("randperm"):
            assert sorted(a.tolist()) == sorted(support)
        elif name.startswith("bernoulli"):
            assert set(a.ravel().tolist()) <= {0.0, 1.0}
        else:
            k = 3 if name != "multinomial_repl" else 2
            assert a.min() >= 0 and a.max() < k
    assert ours.requires_grad is False


def test_requires_grad_flag_like_torch():
    for m in (autograd, torch):
        assert m.zeros(2, requires_grad=True).requires_grad
        assert m.rand(2, requires_grad=True).is_leaf
        assert m.tensor([1.0], requires_grad=True).requires_grad
        assert m.linspace(0, 1, 3, requires_grad=True).requires_grad
        assert m.randn(2, requires_grad=True).requires_grad


def test_normal_statistics_agree_with_torch():
    autograd.manual_seed(0)
    torch.manual_seed(0)
    ours = as_np(autograd.normal(2.0, 3.0, (40000,)))
    ref = as_np(torch.normal(2.0, 3.0, (40000,)))
    # 5 standard errors: the mean's is 3 / 200, the std's about 3 / 283
    assert abs(ours.mean() - ref.mean()) < 5 * 3 / 200 * np.sqrt(2)
    assert abs(ours.std() - ref.std()) < 5 * 3 / 283 * np.sqrt(2)


def test_multinomial_frequencies_agree_with_torch():
    p = [0.1, 0.2, 0.7]
    autograd.manual_seed(1)
    torch.manual_seed(1)
    n = 20000
    ours = as_np(autograd.multinomial(autograd.tensor(p), n, replacement=True))
    ref = as_np(torch.multinomial(torch.tensor(p), n, replacement=True))
    f_ours = np.bincount(ours, minlength=3) / n
    f_ref = np.bincount(ref, minlength=3) / n
    np.testing.assert_allclose(f_ours, f_ref, atol=0.02)
    # without replacement: the first draw of each of many rows follows p, the rest exclude it
    rows_o = as_np(autograd.multinomial(autograd.tensor([p] * 5000), 2))
    rows_r = as_np(torch.multinomial(torch.tensor([p] * 5000), 2))
    assert np.all(rows_o[:, 0] != rows_o[:, 1])
    np.testing.assert_allclose(
        np.bincount(rows_o[:, 0], minlength=3) / 5000,
        np.bincount(rows_r[:, 0], minlength=3) / 5000,
        atol=0.03,
    )
    np.testing.assert_allclose(
        np.bincount(rows_o[:, 1], minlength=3) / 5000,
        np.bincount(rows_r[:, 1], minlength=3) / 5000,
        atol=0.03,
    )


def test_multinomial_exhausts_zero_weights_last_like_torch():
    for m in (autograd, torch):
        out = as_np(m.multinomial(m.tensor([0.0, 1.0, 1.0]), 3))
        assert sorted(out[:2].tolist()) == [1, 2] and out[2] == 0


# --- errors: what torch refuses is refused ---------------------------------------------------

ERRORS = {
    "zeros_negative": lambda m: m.zeros(-1),
    "zeros_float_size": lambda m: m.zeros(2.0),
    "zeros_bool_size": lambda m: m.zeros(True),
    "zeros_two_tuples": lambda m: m.zeros((2,), (3,)),
    "int_requires_grad": lambda m: m.zeros(2, dtype=m.int64, requires_grad=True),
    "tensor_int_requires_grad": lambda m: m.tensor([1.0], dtype=m.int64, requires_grad=True),
    "tensor_ragged": lambda m: m.tensor([[1, 2], [3]]),
    "tensor_str": lambda m: m.tensor("a"),
    "eye_negative": lambda m: m.eye(-1),
    "arange_zero_step": lambda m: m.arange(0, 5, 0),
    "arange_wrong_sign": lambda m: m.arange(5, 1),
    "arange_int_dtype_zero_step": lambda m: m.arange(0, 2.5, 0.5, dtype=m.int64),
    "linspace_negative_steps": lambda m: m.linspace(0, 1, -1),
    "linspace_no_steps": lambda m: m.linspace(0, 1),
    "rand_int_dtype": lambda m: m.rand(2, dtype=m.int64),
    "randn_int_dtype": lambda m: m.randn(2, dtype=m.int64),
    "rand_like_int": lambda m: m.rand_like(m.tensor([1, 2])),
    "randint_empty_range": lambda m: m.randint(5, 5, (2,)),
    "randint_int_size": lambda m: m.randint(5, 3),
    "randint_no_size": lambda m: m.randint(5),
    "randperm_negative": lambda m: m.randperm(-1),
    "normal_no_size": lambda m: m.normal(0.0, 1.0),
    "normal_negative_std": lambda m: m.normal(0.0, -1.0, (2,)),
    "normal_negative_std_tensor": lambda m: m.normal(m.zeros(2), m.tensor([1.0, -1.0])),
    "normal_int_mean": lambda m: m.normal(m.zeros(2, dtype=m.int64), 1.0),
    "bernoulli_out_of_range": lambda m: m.bernoulli(m.full((3,), 1.5)),
    "bernoulli_int": lambda m: m.bernoulli(m.ones(3, dtype=m.int64)),
    "multinomial_zero_sum": lambda m: m.multinomial(m.tensor([0.0, 0.0]), 1),
    "multinomial_int": lambda m: m.multinomial(m.tensor([1, 2]), 1),
    "multinomial_0d": lambda m: m.multinomial(m.tensor(1.0), 1),
    "multinomial_3d": lambda m: m.multinomial(m.ones(2, 2, 2), 1),
    "multinomial_negative": lambda m: m.multinomial(m.tensor([1.0, -1.0]), 1),
    "multinomial_nan": lambda m: m.multinomial(m.tensor([1.0, float("nan")]), 1),
    "multinomial_inf": lambda m: m.multinomial(m.tensor([1.0, float("inf")]), 1),
    "multinomial_zero_samples": lambda m: m.multinomial(m.tensor([1.0, 1.0]), 0),
    "multinomial_too_many": lambda m: m.multinomial(m.tensor([1.0, 1.0]), 3),
    "multinomial_no_categories": lambda m: m.multinomial(m.ones(0), 1),
    "from_numpy_list": lambda m: m.from_numpy([1, 2]),
    "from_numpy_object": lambda m: m.from_numpy(np.array([{}], dtype=object)),
    "zeros_like_list": lambda m: m.zeros_like([1, 2]),
    "device_gpu_word": lambda m: m.zeros(2, device="gpu"),
    "device_cuda": lambda m: m.zeros(2, device="cuda"),
    "device_cuda_obj": lambda m: m.ones(2, device=m.device("cuda")),
    "device_cuda_tensor": lambda m: m.tensor([1.0], device="cuda:0"),
    "device_mps": lambda m: m.randn(2, device="mps"),
    "device_constructor_bad": lambda m: m.device("gpu"),
    "set_default_dtype_int": lambda m: m.set_default_dtype(m.int64),
    "generator_cuda": lambda m: m.Generator(device="cuda"),
    "manual_seed_too_big": lambda m: m.manual_seed(2**64),
    "is_floating_point_number": lambda m: m.is_floating_point(1.0),
    "tensor_pin_memory": lambda m: m.tensor([1.0], pin_memory=True),
}


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_calls_torch_refuses_are_refused(name):
    call = ERRORS[name]
    with pytest.raises(Exception):  # noqa: B017, PT011  (torch's own types vary per call)
        call(torch)
    with pytest.raises((TypeError, ValueError, RuntimeError)):
        call(autograd)


# --- devices, generators, dtype helpers -------------------------------------------------------


def test_device_objects_behave_like_torch():
    for spec in ["cpu", "cpu:0", "cuda", "cuda:1", "mps"]:
        ours, ref = autograd.device(spec), torch.device(spec)
        assert (ours.type, ours.index, str(ours)) == (ref.type, ref.index, str(ref))
        assert repr(ours) == repr(ref)
    assert autograd.device("cpu", 0) == autograd.device("cpu:0")
    assert (autograd.device("cpu") == "cpu") == (torch.device("cpu") == "cpu")
    assert autograd.device(autograd.device("cpu")) == autograd.device("cpu")
    for m in (autograd, torch):
        assert m.zeros(2, device="cpu").shape == (2,)
        assert m.zeros(2, device=m.device("cpu")).shape == (2,)
        assert m.cuda.is_available() is False
        assert m.cuda.device_count() == 0
        assert m.cuda.manual_seed(1) is None
        assert m.cuda.manual_seed_all(1) is None


def test_dtype_attributes_match_torch():
    names = [
        "float16 float32 float64 half float double int8 int16 int32 int64 short int long uint8 "
        "bool complex64 complex128 cfloat cdouble uint16 uint32 uint64"
    ][0].split()
    for name in names:
        assert getattr(autograd, name) == np_dtype(torch.empty(0, dtype=getattr(torch, name)))


def test_finfo_iinfo_match_torch():
    for d in ("float16", "float32", "float64"):
        ours, ref = autograd.finfo(getattr(autograd, d)), torch.finfo(getattr(torch, d))
        for attr in ("eps", "max", "min", "tiny", "resolution", "bits"):
            # float16's resolution: numpy says 0.0010004, torch 0.001
            assert float(getattr(ours, attr)) == pytest.approx(float(getattr(ref, attr)), rel=1e-3)
    assert autograd.finfo().bits == torch.finfo().bits
    for d in ("int8", "int16", "int32", "int64", "uint8"):
        ours, ref = autograd.iinfo(getattr(autograd, d)), torch.iinfo(getattr(torch, d))
        assert (ours.min, ours.max, ours.bits) == (ref.min, ref.max, ref.bits)


def test_is_floating_point_matches_torch():
    for make in (lambda m: m.ones(1), lambda m: m.tensor([1]), lambda m: m.ones(1, dtype=m.half)):
        assert autograd.is_floating_point(make(autograd)) == torch.is_floating_point(make(torch))


def test_generator_interface_matches_torch():
    for m in (autograd, torch):
        g = m.Generator()
        assert g.initial_seed() == 67280421310721
        assert g.manual_seed(3) is g and g.initial_seed() == 3
        s = g.seed()
        assert isinstance(s, int) and g.initial_seed() == s
        assert m.manual_seed(-1).initial_seed() == 2**64 - 1
        assert m.initial_seed() == 2**64 - 1
        state = g.get_state()
        a = m.rand(3, generator=g)
        g.set_state(state)
        b = m.rand(3, generator=g)
        assert np.array_equal(as_np(a), as_np(b))
        state = m.get_rng_state()
        a = m.randn(4)
        m.set_rng_state(state)
        assert np.array_equal(as_np(a), as_np(m.randn(4)))


def test_from_numpy_and_as_tensor_share_memory_like_torch():
    for m in (autograd, torch):
        arr = np.zeros(3)
        t = m.from_numpy(arr)
        arr[0] = 5.0
        assert as_np(t)[0] == 5.0
        shared = m.as_tensor(arr)
        arr[1] = 7.0
        assert as_np(shared)[1] == 7.0
        copied = m.as_tensor(arr, dtype=m.float32)
        arr[2] = 9.0
        assert as_np(copied)[2] == 0.0
        x = m.ones(2)
        assert m.as_tensor(x) is x
        assert m.as_tensor(x, dtype=m.float64) is not x
        c = m.tensor(arr)
        arr[0] = -1.0
        assert as_np(c)[0] == 5.0


def test_backends_and_determinism_flags_match_torch():
    for m in (autograd, torch):
        assert m.backends.mps.is_available() is False
        assert m.backends.mps.is_built() is False
        assert m.backends.cudnn.is_available() is False
        assert m.are_deterministic_algorithms_enabled() is False
        assert m.is_deterministic_algorithms_warn_only_enabled() is False
    assert autograd.backends.cudnn.enabled == torch.backends.cudnn.enabled
    assert autograd.backends.cudnn.benchmark == torch.backends.cudnn.benchmark
    assert autograd.backends.cudnn.deterministic == torch.backends.cudnn.deterministic
    assert autograd.backends.cudnn.allow_tf32 == torch.backends.cudnn.allow_tf32
    assert autograd.backends.cuda.is_built() is torch.backends.cuda.is_built() is False
    for name in (
        "allow_tf32",
        "allow_fp16_reduced_precision_reduction",
        "allow_bf16_reduced_precision_reduction",
    ):
        assert getattr(autograd.backends.cuda.matmul, name) == getattr(
            torch.backends.cuda.matmul, name
        )
