"""Creation functions: sizes, dtypes, values, memory sharing, devices and errors (torch-free;
tests/test_torch_oracle/test_creation_vs_torch.py checks the same calls against torch)."""

import numpy as np
import pytest

import autograd as ag
from autograd import Tensor


@pytest.mark.parametrize("make", [ag.zeros, ag.ones, ag.empty, ag.rand, ag.randn])
def test_sizes_as_varargs_sequence_or_keyword(make):
    for args, kw in [((2, 3), {}), (((2, 3),), {}), (([2, 3],), {}), ((), {"size": (2, 3)})]:
        t = make(*args, **kw)
        assert isinstance(t, Tensor) and t.shape == (2, 3) and t.dtype == np.float32
    assert make(()).shape == () and make(0, 4).shape == (0, 4)
    assert make(np.int64(2), ag.tensor(3)).shape == (2, 3)


@pytest.mark.parametrize("make", [ag.zeros, ag.ones, ag.empty, ag.rand, ag.randn])
def test_bad_sizes_are_refused_naming_the_op(make):
    name = make.__name__
    with pytest.raises(RuntimeError, match=f"{name}.*non-negative.*-1"):
        make(2, -1)
    with pytest.raises(TypeError, match=f"{name}.*'size'.*float"):
        make(2.0)
    with pytest.raises(TypeError, match=f"{name}.*'size'.*bool"):
        make(True)
    with pytest.raises(TypeError, match=name):
        make((2,), (3,))
    with pytest.raises(TypeError, match="both"):
        make(2, size=(2,))


def test_filled_values_and_default_dtypes():
    np.testing.assert_array_equal(ag.zeros(2, 2).data, np.zeros((2, 2), np.float32))
    np.testing.assert_array_equal(ag.ones(3).data, np.ones(3, np.float32))
    assert ag.zeros(2, dtype=ag.int64).dtype == np.int64
    assert ag.ones(2, dtype=ag.bool).data.tolist() == [True, True]
    np.testing.assert_array_equal(ag.eye(2, 3).data, np.eye(2, 3, dtype=np.float32))
    assert ag.eye(3, m=1).shape == (3, 1)
    assert ag.empty(4, dtype=ag.float64).dtype == np.float64


def test_full_takes_its_dtype_from_the_fill_value():
    assert ag.full((2,), 1).dtype == np.int64
    assert ag.full((2,), True).dtype == np.bool_
    assert ag.full((2,), 1.5).dtype == np.float32
    assert ag.full((2,), 1 + 1j).dtype == np.complex64
    assert ag.full((2,), ag.tensor(2.5, dtype=ag.float64)).dtype == np.float32  # a number
    assert ag.full(3, 2.0).shape == (3,)
    np.testing.assert_array_equal(ag.full((2,), 1.5, dtype=ag.int64).data, [1, 1])
    with pytest.raises(ValueError, match="fill_value"):
        ag.full((2,), ag.ones(2))


def test_like_functions_follow_the_input():
    x = ag.tensor([[1, 2, 3]], dtype=ag.int32)
    for make in (ag.zeros_like, ag.ones_like, ag.empty_like):
        t = make(x)
        assert t.shape == (1, 3) and t.dtype == np.int32 and t is not x
        assert make(x, dtype=ag.float64).dtype == np.float64
    np.testing.assert_array_equal(ag.full_like(x, 2.7).data, [[2, 2, 2]])
    np.testing.assert_array_equal(ag.full_like(x, -2.7).data, [[-2, -2, -2]])
    assert ag.zeros_like(np.ones((2, 2), np.float16)).dtype == np.float16  # ndarrays too
    with pytest.raises(TypeError, match="zeros_like.*input.*list"):
        ag.zeros_like([1, 2])


def test_arange_dtypes_values_and_overloads():
    assert ag.arange(5).data.tolist() == [0, 1, 2, 3, 4] and ag.arange(5).dtype == np.int64
    assert ag.arange(end=3).data.tolist() == [0, 1, 2]
    assert ag.arange(2, 5).data.tolist() == [2, 3, 4]
    assert ag.arange(10, 0, -3).data.tolist() == [10, 7, 4, 1]
    a = ag.arange(0, 1, 0.1)
    assert a.dtype == np.float32 and a.shape == (10,)
    # values computed as start + i * step in float64, then rounded once
    np.testing.assert_array_equal(a.data, (np.arange(10) * 0.1).astype(np.float32))
    assert ag.arange(2.5).data.tolist() == [0.0, 1.0, 2.0]
    # integer dtype: start, end and step are truncated first (PyTorch's rule)
    assert ag.arange(0.5, 5.7, 1.5, dtype=ag.int64).data.tolist() == [0, 1, 2, 3, 4]
    assert ag.arange(3, 3).shape == (0,)
    assert ag.arange(0, 10**10, 10**9).data[-1] == 9 * 10**9


@pytest.mark.parametrize(
    "args, kw, match",
    [
        ((0, 5, 0), {}, "step must be nonzero"),
        ((5, 1), {}, "inconsistent with step sign"),
        ((0, 2.5, 0.5), {"dtype": ag.int64}, "step must be nonzero"),
        ((0, float("inf")), {}, "unsupported range"),
        ((), {}, "missing.*end"),
    ],
)
def test_arange_errors(args, kw, match):
    with pytest.raises((RuntimeError, TypeError), match=match):
        ag.arange(*args, **kw)


def test_linspace_and_logspace():
    t = ag.linspace(0, 1, 5)
    assert t.dtype == np.float32 and t.data.tolist() == [0.0, 0.25, 0.5, 0.75, 1.0]
    long = ag.linspace(-3.7, 11.1, 101, dtype=ag.float64)
    assert long.data[0] == -3.7 and long.data[-1] == 11.1  # both ends exact
    np.testing.assert_allclose(long.data, np.linspace(-3.7, 11.1, 101), rtol=1e-15, atol=1e-15)
    assert ag.linspace(0, 10, 4, dtype=ag.int64).data.tolist() == [0, 3, 6, 10]
    assert ag.linspace(3, 5, 1).data.tolist() == [3.0]
    assert ag.linspace(3, 5, 0).shape == (0,)
    with pytest.raises(RuntimeError, match="linspace.*non-negative"):
        ag.linspace(0, 1, -1)
    np.testing.assert_allclose(ag.logspace(0, 2, 3).data, [1, 10, 100])
    np.testing.assert_allclose(ag.logspace(0, 3, 4, base=2).data, [1, 2, 4, 8])
    assert ag.logspace(0, 3, 4, dtype=ag.int64).data.tolist() == [1, 10, 100, 1000]


def test_tensor_infers_pytorch_dtypes_and_copies():
    assert ag.tensor([1, 2]).dtype == np.int64
    assert ag.tensor([1, 2.5]).dtype == np.float32
    assert ag.tensor([True, False]).dtype == np.bool_
    assert ag.tensor(1 + 2j).dtype == np.complex64
    assert ag.tensor(np.arange(3, dtype=np.int16)).dtype == np.int16
    assert ag.tensor([ag.tensor(1.0), ag.tensor(2.0)]).data.tolist() == [1.0, 2.0]
    assert ag.tensor([-1.7, 1.7], dtype=ag.int64).data.tolist() == [-1, 1]
    arr = np.zeros(2)
    t = ag.tensor(arr)
    arr[0] = 1.0
    assert t.data[0] == 0.0  # a copy
    x = ag.ones(2, requires_grad=True)
    y = ag.tensor(x)
    assert y.requires_grad is False and y._data is not x._data
    with pytest.raises(ValueError, match="tensor\\(\\).*rectangular"):
        ag.tensor([[1, 2], [3]])
    with pytest.raises(TypeError, match="tensor\\(\\)"):
        ag.tensor("abc")
    with pytest.raises(TypeError):
        ag.tensor([1.0], dtype=ag.int64, requires_grad=True)


def test_from_numpy_shares_memory_and_checks_its_input():
    arr = np.arange(6.0).reshape(2, 3)
    t = ag.from_numpy(arr)
    assert t._data is arr and t.dtype == np.float64
    t.data[0, 0] = -1.0
    assert arr[0, 0] == -1.0
    with pytest.raises(TypeError, match="expected np.ndarray"):
        ag.from_numpy([1, 2])
    with pytest.raises(TypeError, match="object"):
        ag.from_numpy(np.array([{}], dtype=object))
    with pytest.raises(ValueError, match="byte order"):
        ag.from_numpy(np.ones(2, dtype=">f8"))


def test_as_tensor_shares_when_it_can():
    arr = np.ones(3)
    assert ag.as_tensor(arr)._data is arr
    assert ag.as_tensor(arr, dtype=ag.float64)._data is arr
    converted = ag.as_tensor(arr, dtype=ag.float32)
    assert converted.dtype == np.float32 and converted._data is not arr
    x = ag.ones(2)
    assert ag.as_tensor(x) is x and ag.as_tensor(x, dtype=ag.float32) is x
    assert ag.as_tensor(x, dtype=ag.float64).dtype == np.float64
    assert ag.as_tensor([1, 2]).dtype == np.int64
    assert ag.as_tensor(np.ones(2, dtype=">f4")).dtype == np.float32  # swapped to native


def test_requires_grad_gives_a_leaf_that_gets_gradients():
    for t in (ag.zeros(3, requires_grad=True), ag.randn(3, requires_grad=True)):
        assert t.requires_grad
        (t * 2.0).sum().backward()
        np.testing.assert_array_equal(np.asarray(t.grad), [2.0, 2.0, 2.0])
    with pytest.raises(TypeError, match="floating"):
        ag.zeros(2, dtype=ag.int64, requires_grad=True)


CREATORS = {
    "tensor": lambda d: ag.tensor([1.0], device=d),
    "zeros": lambda d: ag.zeros(2, device=d),
    "full": lambda d: ag.full((2,), 1.0, device=d),
    "arange": lambda d: ag.arange(3, device=d),
    "linspace": lambda d: ag.linspace(0, 1, 3, device=d),
    "eye": lambda d: ag.eye(2, device=d),
    "rand": lambda d: ag.rand(2, device=d),
    "randint": lambda d: ag.randint(3, (2,), device=d),
    "randperm": lambda d: ag.randperm(3, device=d),
    "normal": lambda d: ag.normal(0.0, 1.0, (2,), device=d),
    "zeros_like": lambda d: ag.zeros_like(ag.ones(2), device=d),
    "randn_like": lambda d: ag.randn_like(ag.ones(2), device=d),
    "as_tensor": lambda d: ag.as_tensor([1.0], device=d),
}


@pytest.mark.parametrize("name", sorted(CREATORS))
def test_device_argument(name):
    make = CREATORS[name]
    for ok in (None, "cpu", "cpu:0", ag.device("cpu")):
        assert isinstance(make(ok), Tensor)
    for bad in ("cuda", "cuda:0", ag.device("mps"), 0):
        with pytest.raises(RuntimeError, match=f"{name}.*CPU only"):
            make(bad)
    with pytest.raises(RuntimeError, match="device type"):
        make("gpu")
    with pytest.raises(TypeError, match="device"):
        make(3.5)


def test_rand_and_randn():
    ag.manual_seed(0)
    u = ag.rand(20000, dtype=ag.float64).data
    assert u.min() >= 0 and u.max() < 1 and abs(u.mean() - 0.5) < 0.01
    z = ag.randn(20000).data
    assert z.dtype == np.float32 and abs(z.mean()) < 0.03 and abs(z.std() - 1) < 0.03
    assert ag.rand(3, dtype=ag.float16).dtype == np.float16
    with pytest.raises(TypeError, match="rand.*floating"):
        ag.rand(2, dtype=ag.int64)
    with pytest.raises(TypeError, match="randn_like.*floating"):
        ag.randn_like(ag.tensor([1, 2]))


def test_randint_overloads_and_bounds():
    ag.manual_seed(0)
    for t, lo, hi in [
        (ag.randint(5, (1000,)), 0, 5),
        (ag.randint(3, 10, (1000,)), 3, 10),
        (ag.randint(10, size=(1000,)), 0, 10),
        (ag.randint(low=-4, high=-1, size=(1000,)), -4, -1),
        (ag.randint(2, high=4, size=(1000,)), 2, 4),
        (ag.randint_like(ag.ones(1000), 7), 0, 7),
        (ag.randint_like(ag.ones(1000), 1, 3), 1, 3),
    ]:
        assert t.data.min() == lo and t.data.max() == hi - 1  # every value hit at n=1000
    assert ag.randint(5, (2,)).dtype == np.int64
    assert ag.randint(3, 5, (2,), dtype=ag.float32).dtype == np.float32
    assert ag.randint_like(ag.ones(2), 5).dtype == np.float32
    with pytest.raises(RuntimeError, match="low=5 >= high=5"):
        ag.randint(5, 5, (2,))
    with pytest.raises(TypeError, match="'size'.*tuple"):
        ag.randint(5, 3)
    with pytest.raises(TypeError, match="size"):
        ag.randint(5)


def test_randperm():
    ag.manual_seed(0)
    p = ag.randperm(50)
    assert p.dtype == np.int64 and sorted(p.data.tolist()) == list(range(50))
    assert p.data.tolist() != list(range(50))
    assert ag.randperm(0).shape == (0,)
    assert ag.randperm(4, dtype=ag.float32).dtype == np.float32
    with pytest.raises(RuntimeError, match="non-negative"):
        ag.randperm(-1)


def test_normal_overloads():
    ag.manual_seed(0)
    t = ag.normal(2.0, 3.0, (20000,))
    assert t.dtype == np.float32 and abs(t.data.mean() - 2) < 0.1 and abs(t.data.std() - 3) < 0.1
    mean = ag.tensor([0.0, 100.0], dtype=ag.float64)
    s = ag.normal(mean, 0.0)
    assert s.dtype == np.float64 and s.data.tolist() == [0.0, 100.0]  # std 0: the mean exactly
    assert ag.normal(ag.zeros(2), ag.ones(3, 1)).shape == (3, 2)
    assert ag.normal(0.0, ag.ones(4)).shape == (4,)
    assert ag.normal(ag.zeros(3)).shape == (3,)
    wide = ag.normal(ag.zeros(20000), ag.full((20000,), 5.0)).data
    assert abs(wide.std() - 5) < 0.2
    with pytest.raises(TypeError, match="size"):
        ag.normal(0.0, 1.0)
    with pytest.raises(RuntimeError, match="std >= 0"):
        ag.normal(0.0, -1.0, (2,))
    with pytest.raises(RuntimeError, match="std >= 0"):
        ag.normal(ag.zeros(2), ag.tensor([1.0, -1.0]))
    with pytest.raises(TypeError, match="floating"):
        ag.normal(ag.zeros(2, dtype=ag.int64), 1.0)


def test_bernoulli():
    ag.manual_seed(0)
    p = ag.tensor([0.0, 1.0] + [0.3] * 20000, dtype=ag.float64)
    b = ag.bernoulli(p)
    assert b.dtype == np.float64 and b.data[0] == 0 and b.data[1] == 1
    assert set(np.unique(b.data)) <= {0.0, 1.0} and abs(b.data[2:].mean() - 0.3) < 0.02
    assert ag.bernoulli(ag.ones(4), 0.0).data.tolist() == [0, 0, 0, 0]
    assert ag.bernoulli(ag.zeros(4), p=1.0).data.tolist() == [1, 1, 1, 1]
    with pytest.raises(RuntimeError, match="\\[0, 1\\]"):
        ag.bernoulli(ag.full((2,), 1.5))
    with pytest.raises(RuntimeError, match="\\[0, 1\\]"):
        ag.bernoulli(ag.full((2,), float("nan")))
    with pytest.raises(TypeError, match="floating"):
        ag.bernoulli(ag.ones(2, dtype=ag.int64))


def test_multinomial_with_replacement_follows_the_weights():
    ag.manual_seed(0)
    w = ag.tensor([0.0, 1.0, 3.0, 0.0])  # unnormalised, zero weights at both ends
    s = ag.multinomial(w, 40000, replacement=True)
    assert s.dtype == np.int64 and s.shape == (40000,)
    freq = np.bincount(s.data, minlength=4) / 40000
    assert freq[0] == 0 and freq[3] == 0
    np.testing.assert_allclose(freq[1:3], [0.25, 0.75], atol=0.015)


def test_multinomial_without_replacement():
    ag.manual_seed(0)
    rows = ag.tensor([[1.0, 1.0, 1.0, 1.0, 1.0], [0.0, 0.0, 5.0, 1.0, 0.0]])
    s = ag.multinomial(rows, 2)
    assert s.shape == (2, 2)
    assert s.data[0, 0] != s.data[0, 1]
    assert sorted(s.data[1].tolist()) == [2, 3]
    full = ag.multinomial(ag.tensor([0.0, 1.0, 1.0]), 3).data
    assert sorted(full[:2].tolist()) == [1, 2] and full[2] == 0  # zero weight comes last
    for _ in range(20):  # a -0.0 weight is a zero weight (it once won every race: E / -0.0)
        assert ag.multinomial(ag.tensor([5.0, -0.0]), 1).item() == 0
        assert ag.multinomial(ag.tensor([-0.0, 1.0, -0.0]), 2).data[0] == 1
    # first pick follows p; second follows p with the first removed
    many = ag.multinomial(ag.tensor([[0.2, 0.8]] * 20000), 1).data[:, 0]
    assert abs(many.mean() - 0.8) < 0.015


@pytest.mark.parametrize(
    "args, error, match",
    [
        ((ag.tensor([0.0, 0.0]), 1), RuntimeError, "sum of probabilities"),
        ((ag.tensor([1, 2]), 1), TypeError, "floating"),
        ((ag.tensor(1.0), 1), RuntimeError, "1 or 2 dim"),
        ((ag.ones(2, 2, 2), 1), RuntimeError, "1 or 2 dim"),
        ((ag.tensor([1.0, -1.0]), 1), RuntimeError, "< 0"),
        ((ag.tensor([1.0, float("nan")]), 1), RuntimeError, "nan"),
        ((ag.tensor([1.0, float("inf")]), 1), RuntimeError, "inf"),
        ((ag.tensor([1.0, 1.0]), 0), RuntimeError, "<= 0"),
        ((ag.tensor([1.0, 1.0]), 3), RuntimeError, "without replacement"),
        ((ag.tensor([[1.0, 1.0], [0.0, 0.0]]), 1, True), RuntimeError, "sum of probabilities"),
    ],
)
def test_multinomial_errors(args, error, match):
    with pytest.raises(error, match=f"multinomial.*{match}"):
        ag.multinomial(*args)


def test_dtype_attributes_and_helpers():
    assert ag.float32 == np.float32 and ag.float is ag.float32 and ag.double is ag.float64
    assert ag.half is ag.float16 and ag.long is ag.int64 and ag.int is ag.int32
    assert ag.short is ag.int16 and ag.bool == np.bool_ and ag.cfloat == np.complex64
    assert ag.zeros(2).dtype is ag.float32  # identity holds, as for torch dtypes
    assert ag.tensor([1]).dtype == ag.long
    # the short names live on the package only: the library's modules keep the builtins
    import autograd.creation
    import autograd.dtypes

    for module in (autograd.creation, autograd.dtypes):
        assert not {"float", "int", "bool"} & set(vars(module))
    assert ag.is_floating_point(ag.ones(1)) and not ag.is_floating_point(ag.tensor([1]))
    assert ag.is_complex(ag.tensor(1j)) and not ag.is_complex(ag.ones(1))
    assert ag.is_tensor(ag.ones(1)) and not ag.is_tensor(np.ones(1))
    with pytest.raises(TypeError, match="is_floating_point.*Tensor"):
        ag.is_floating_point(1.0)
    assert ag.finfo(ag.float32).eps == np.finfo(np.float32).eps
    assert ag.finfo().bits == 32
    assert ag.iinfo(ag.int8).min == -128
    with pytest.raises(TypeError, match="finfo"):
        ag.finfo(ag.int64)
    with pytest.raises(TypeError, match="iinfo"):
        ag.iinfo(ag.float32)
    assert {"float", "int", "bool"}.isdisjoint(ag.__all__)  # `from autograd import *` is safe


def test_default_dtype_reaches_creation():
    old = ag.get_default_dtype()
    try:
        ag.set_default_dtype(ag.float64)
        for t in (ag.zeros(1), ag.rand(1), ag.arange(0.5), ag.linspace(0, 1, 2), ag.tensor(1.0)):
            assert t.dtype == np.float64
        assert ag.tensor(1j).dtype == np.complex128
        assert ag.arange(3).dtype == np.int64
    finally:
        ag.set_default_dtype(old)


def test_device_class_and_its_module_do_not_shadow_each_other():
    import autograd.devices as devices

    assert ag.device is devices.device and isinstance(ag.device("cpu"), devices.device)
    assert devices.check_device(None, "op") == ag.device("cpu")
    assert devices.check_device("cpu:0", "op") == ag.device("cpu")
    with pytest.raises(RuntimeError, match="only one CPU"):
        devices.check_device("cpu:1", "op")
    assert hash(ag.device("cpu")) == hash(ag.device("cpu"))
    assert {ag.device("cpu"): 1}[ag.device("cpu")] == 1
