"""Conversions and Python/numpy interop of Tensors: dtypes, devices, numbers, formatting."""

from __future__ import annotations

import numpy as np
import pytest

import autograd as ag
from autograd import Tensor
from autograd.testing import gradcheck


def test_casts_stay_in_the_graph_and_cast_the_gradient_back():
    x = Tensor(np.array([1.0, 2.0], dtype=np.float32), requires_grad=True)
    y = x.double()
    assert y.dtype == np.float64 and y.requires_grad
    (y * y).sum().backward()
    assert x.grad.dtype == np.float32
    np.testing.assert_allclose(x.grad.data, [2.0, 4.0])
    x64 = Tensor(np.array([0.3, -1.2]), requires_grad=True)
    assert gradcheck(lambda t: t.to(np.float64, copy=True) * t.double().exp(), [x64])


def test_to_returns_self_when_nothing_changes_and_accepts_devices():
    x = Tensor(np.array([1.0], dtype=np.float32))
    assert x.to("cpu") is x and x.cpu() is x and x.contiguous() is x
    assert x.to(np.float32) is x
    assert x.to("cpu", np.float64).dtype == np.float64
    assert x.to(Tensor(np.array([1], dtype=np.int64))).dtype == np.int64
    assert x.to(dtype=np.float16).dtype == np.float16
    assert x.to(device=ag.device("cpu")) is x
    assert x.to(np.float32, copy=True) is not x
    assert str(x.device) == "cpu" and x.device == ag.device("cpu") and x.device.type == "cpu"
    assert x.long().dtype == np.int64 and x.int().dtype == np.int32
    assert x.half().dtype == np.float16 and x.bool().dtype == np.bool_
    assert x.byte().dtype == np.uint8 and x.char().dtype == np.int8
    assert x.cfloat().dtype == np.complex64 and x.cdouble().dtype == np.complex128
    assert x.type_as(Tensor(np.array([1.0]))).dtype == np.float64


@pytest.mark.parametrize("dev", ["cuda", "cuda:0", "mps"])
def test_other_devices_are_a_clear_error(dev):
    x = Tensor(np.array([1.0]))
    with pytest.raises(RuntimeError, match=f"device '{dev}' is not available.*CPU only"):
        x.to(dev)
    with pytest.raises(RuntimeError, match="not available"):
        Tensor([1.0], device=dev)
    assert ag.cuda.is_available() is False
    with pytest.raises(RuntimeError, match="not available"):
        x.cuda()


def test_clone_copies_and_passes_gradients():
    x = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    c = x.clone()
    assert c._data is not x._data and c.requires_grad and not c.is_leaf
    (c * 3).sum().backward()
    np.testing.assert_allclose(x.grad.data, [3.0, 3.0])


def test_detach_in_place():
    x = Tensor(np.array([1.0]), requires_grad=True)
    y = x * 2
    assert y.detach_() is y and y.is_leaf and not y.requires_grad


def test_python_numbers_and_formatting():
    loss = Tensor(np.array(0.123456))
    assert float(loss) == pytest.approx(0.123456)
    assert f"{loss:.3f}" == "0.123"
    assert f"{Tensor([[2.5]]):.1f}" == "2.5"
    assert int(Tensor(np.array([7]))) == 7
    assert [10, 20, 30][Tensor(np.array(1))] == 20  # __index__ on integer tensors
    assert f"{Tensor([1.0, 2.0])}" == "tensor([1., 2.])"
    with pytest.raises(TypeError, match="format string"):
        f"{Tensor([1.0, 2.0]):.2f}"
    with pytest.raises(ValueError, match="one-element.*shape \\(2,\\)"):
        float(Tensor([1.0, 2.0]))
    with pytest.raises(TypeError, match="integer tensors"):
        [1, 2][Tensor(np.array(1.0))]


def test_numpy_functions_and_ufuncs_run_on_the_data():
    t = Tensor(np.array([1.0, -2.0, 3.0]))
    assert np.sum(t) == 2.0
    assert np.allclose(t, [1.0, -2.0, 3.0])
    assert isinstance(np.exp(t), Tensor)
    assert isinstance(np.ones(3) * t, Tensor) and isinstance(np.ones(3) < t, Tensor)
    r = Tensor(np.array([1.0]), requires_grad=True)
    with pytest.raises(TypeError, match="requires grad"):
        np.exp(r)
    copied = np.asarray(t)
    copied[0] = 100.0
    assert t.data[0] == 1.0  # np.asarray copies (API.md): the tensor is safe


def test_comparison_with_unknown_objects_defers_to_them():
    assert Tensor(np.array(0.5)) == pytest.approx(0.5)


def test_bitwise_operators_on_bool_and_integer_tensors():
    a = Tensor(np.array([True, False, True]))
    b = Tensor(np.array([True, True, False]))
    np.testing.assert_array_equal((a & b).data, [True, False, False])
    np.testing.assert_array_equal((a | b).data, [True, True, True])
    np.testing.assert_array_equal((a ^ b).data, [False, True, True])
    np.testing.assert_array_equal((~a).data, [False, True, False])
    np.testing.assert_array_equal((np.array([True, True, False]) & a).data, [True, False, False])
    np.testing.assert_array_equal((Tensor(np.array([6])) & 3).data, [2])
    with pytest.raises(TypeError, match="only bool and integer"):
        Tensor(np.array([1.0])) & a
