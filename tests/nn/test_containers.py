"""Sequential, ModuleList and Residual."""

import numpy as np
import pytest
from hypothesis import given

import autograd
import nn
from autograd import Tensor, Value
from autograd.testing import gradcheck, gradgradcheck
from autograd.testing.strategies import tensors


class Scale(nn.Module):
    def __init__(self, k: float) -> None:
        super().__init__()
        self.k = k

    def forward(self, x):
        return x * self.k


class AddOne(nn.Module):
    def forward(self, x):
        return x + 1


def test_sequential_applies_in_order():
    seq = nn.Sequential(Scale(2.0), AddOne(), Scale(3.0))
    x = Tensor([1.0, -1.0])
    assert np.array_equal(seq(x).data, (x.data * 2 + 1) * 3)


def test_sequential_indexing_len_iteration_append():
    a, b, c = Scale(1.0), AddOne(), Scale(2.0)
    seq = nn.Sequential(a, b)
    assert len(seq) == 2 and seq[0] is a and seq[-1] is b
    assert list(seq) == [a, b]
    assert seq.append(c) is seq and seq[2] is c and len(seq) == 3
    with pytest.raises(IndexError, match="index 3 is out of range"):
        seq[3]
    seq[1] = Scale(5.0)
    assert seq[1].k == 5.0
    with pytest.raises(TypeError, match="expected a Module"):
        seq.append(lambda x: x)
    with pytest.raises(TypeError, match="expected a Module"):
        nn.Sequential(3)


def test_sequential_slice_keeps_names_and_modules():
    seq = nn.Sequential(nn.Linear(2, 3), AddOne(), nn.Linear(3, 1))
    tail = seq[1:]
    assert isinstance(tail, nn.Sequential) and len(tail) == 2
    assert [n for n, _ in tail.named_parameters()] == ["2.weight", "2.bias"]
    assert tail[1] is seq[2]


def test_module_list_registers_and_has_no_forward():
    layers = nn.ModuleList([nn.Linear(2, 2), nn.Linear(2, 2)])
    layers.append(nn.Linear(2, 1))
    assert [n for n, _ in layers.named_parameters()][-1] == "2.bias"
    assert isinstance(layers[:2], nn.ModuleList) and len(layers[:2]) == 2
    with pytest.raises(NotImplementedError, match="iterate"):
        layers(Tensor([1.0, 2.0]))


def test_residual_adds_the_input():
    autograd.manual_seed(0)
    block = nn.Residual(nn.Linear(3, 3, dtype=np.float64))
    x = autograd.randn(4, 3).astype(np.float64)
    inner = block.module(x).data
    assert np.array_equal(block(x).data, x.data + inner)
    assert [n for n, _ in block.named_parameters()] == ["module.weight", "module.bias"]


@given(tensors(shape=(2, 3), min_value=-3, max_value=3))
def test_residual_gradient_is_identity_plus_inner_jacobian(x):
    autograd.manual_seed(1)
    inner = nn.Sequential(nn.Linear(3, 3, dtype=np.float64), nn.Linear(3, 3, dtype=np.float64))
    block = nn.Residual(inner)
    params = list(block.parameters())
    assert gradcheck(lambda x, *ps: block(x).tanh(), [x, *params])
    assert gradgradcheck(lambda x: block(x).tanh(), [x])


def test_residual_shape_change_is_a_clear_error():
    block = nn.Residual(nn.Linear(3, 2))
    with pytest.raises(ValueError, match=r"Linear changed the shape from \(4, 3\) to \(4, 2\)"):
        block(Tensor(np.ones((4, 3), np.float32)))


def test_residual_on_lists_of_values():
    class Double(nn.Module):
        def forward(self, xs):
            return [v * 2 for v in xs]

    block = nn.Residual(Double())
    xs = [Value(1.0), Value(-3.0)]
    out = block(xs)
    assert [v.data for v in out] == [3.0, -9.0]
    out[0].backward()
    assert xs[0].grad == 3.0  # 1 through the skip path + 2 through the block

    class Drop(nn.Module):
        def forward(self, xs):
            return xs[:1]

    with pytest.raises(ValueError, match="turned 2 inputs into 1"):
        nn.Residual(Drop())(xs)


def _names(m):
    return [(k, type(v).__name__) for k, v in m._modules.items()]


def test_module_list_add_iadd_insert_pop_and_del_renumber():
    lst = nn.ModuleList([nn.Linear(1, 1)])
    lst += [nn.ReLU()]  # ParallelWaveGAN's idiom: ModuleList += [module]
    both = lst + [nn.Tanh()]
    assert _names(both) == [("0", "Linear"), ("1", "ReLU"), ("2", "Tanh")] and len(lst) == 2
    assert both[0] is lst[0] and len(list(both.parameters())) == 2
    lst.insert(1, nn.Sigmoid())
    lst.insert(-1, nn.ELU())  # before the last, as list.insert
    assert _names(lst) == [("0", "Linear"), ("1", "Sigmoid"), ("2", "ELU"), ("3", "ReLU")]
    assert isinstance(lst.pop(0), nn.Linear) and _names(lst)[0] == ("0", "Sigmoid")
    del lst[1:]
    assert _names(lst) == [("0", "Sigmoid")] and list(lst.parameters()) == []
    with pytest.raises(TypeError, match="ModuleList.extend should be called with an iterable"):
        lst += nn.ReLU()
    with pytest.raises(IndexError):
        lst.pop(3)


def test_sequential_add_mul_insert_pop_and_del():
    seq = nn.Sequential(Scale(2.0), AddOne())
    longer = seq + nn.Sequential(Scale(3.0))
    assert longer(Tensor([1.0])).tolist() == [9.0] and len(seq) == 2
    twice = 2 * seq
    assert len(twice) == 4 and twice[2] is twice[0]  # the same modules, as PyTorch
    assert twice(Tensor([1.0])).tolist() == [7.0]
    seq += nn.Sequential(Scale(10.0))
    assert seq(Tensor([1.0])).tolist() == [30.0]
    seq.insert(0, AddOne())
    assert seq(Tensor([1.0])).tolist() == [50.0]
    assert isinstance(seq.pop(-1), Scale) and seq(Tensor([1.0])).tolist() == [5.0]
    del seq[0]
    seq *= 2
    assert [k for k, _ in _names(seq)] == ["0", "1", "2", "3"]
    assert seq(Tensor([1.0])).tolist() == [7.0]
    with pytest.raises(ValueError, match="add operator supports only objects of Sequential"):
        seq + [AddOne()]  # noqa: B018
    with pytest.raises(ValueError, match="Non-positive multiplication factor"):
        seq * 0  # noqa: B018
    with pytest.raises(TypeError, match="unsupported operand"):
        seq * 1.5  # noqa: B018


def test_parameter_list_iadd():
    params = nn.ParameterList([nn.Parameter(autograd.ones(2))])
    params += [autograd.zeros(3)]
    assert len(params) == 2 and isinstance(params[1], nn.Parameter)
