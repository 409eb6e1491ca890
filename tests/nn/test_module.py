"""Module and Parameter: registration, traversal, modes, state dicts, repr."""

from collections import OrderedDict

import numpy as np
import pytest

import autograd
import nn
from autograd import Tensor, Value


class Affine(nn.Module):
    def __init__(self, n: int = 3, dtype=np.float32) -> None:
        super().__init__()
        self.weight = nn.Parameter(np.arange(n * 2, dtype=dtype).reshape(2, n))
        self.bias = nn.Parameter(np.zeros(2, dtype=dtype))

    def forward(self, x):
        return x @ self.weight.T + self.bias

    def extra_repr(self) -> str:
        return f"n={self.weight.shape[1]}"


class Net(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.first = Affine()
        self.scale = nn.Parameter([2.0])
        self.second = Affine(2)

    def forward(self, x):
        return self.second(self.first(x)) * self.scale


# --- Parameter ---
def test_parameter_is_a_leaf_tensor_that_requires_grad():
    p = nn.Parameter([1.0, 2.0])
    assert isinstance(p, Tensor) and p.requires_grad and p.is_leaf
    assert p.dtype == np.float32  # Python floats -> default dtype
    assert nn.Parameter(np.ones(2, np.float64)).dtype == np.float64
    assert not nn.Parameter([1.0], requires_grad=False).requires_grad


def test_parameter_copies_its_data_and_unwraps_tensors():
    a = np.ones(3, np.float32)
    p = nn.Parameter(a)
    a[0] = 5.0
    assert p.data[0] == 1.0
    t = Tensor([1.0, 2.0])
    assert np.array_equal(nn.Parameter(t).data, t.data)


def test_parameter_refuses_integer_data():
    for data in (np.array([1, 2]), autograd.tensor([True])):
        with pytest.raises(TypeError, match="floating-point"):
            nn.Parameter(data)
        with pytest.raises(RuntimeError, match="floating-point"):  # torch's type
            nn.Parameter(data)
    assert nn.Parameter(np.array([1, 2]), requires_grad=False).dtype == np.int64


def test_parameter_of_complex_data_trains_and_round_trips_as_torch():
    z = autograd.tensor([1 + 2j, 3 - 1j], dtype=autograd.complex64)
    p = nn.Parameter(z)
    assert p.dtype == np.complex64 and p.requires_grad and p.is_leaf
    assert repr(p) == "Parameter containing:\ntensor([1.+2.j, 3.-1.j], requires_grad=True)"
    (p.abs() ** 2).sum().backward()
    np.testing.assert_allclose(np.asarray(p.grad), [2 + 4j, 6 - 2j])  # 2 z (conjugate-free)
    m = nn.Module()
    m.z = p
    assert [n for n, _ in m.named_parameters()] == ["z"]
    m2 = nn.Module()
    m2.z = nn.Parameter(autograd.zeros(2, dtype=autograd.complex64))
    m2.load_state_dict(m.state_dict())
    np.testing.assert_array_equal(np.asarray(m2.z.data), [1 + 2j, 3 - 1j])


def test_parameter_repr_and_empty_default():
    assert repr(nn.Parameter([1.0])) == "Parameter containing:\ntensor([1.], requires_grad=True)"
    assert nn.Parameter().shape == (0,)


def test_ops_on_parameters_give_plain_tensors():
    p = nn.Parameter([1.0, 2.0])
    assert type(p * 2) is Tensor


# --- registration ---
def test_attributes_register_in_assignment_order():
    net = Net()
    assert [n for n, _ in net.named_parameters()] == [
        "scale",
        "first.weight",
        "first.bias",
        "second.weight",
        "second.bias",
    ]
    assert [n for n, _ in net.named_children()] == ["first", "second"]
    assert [n for n, _ in net.named_modules()] == ["", "first", "second"]
    assert list(net.children()) == [net.first, net.second]
    assert len(list(net.modules())) == 3


def test_recurse_false_gives_only_own_parameters():
    assert [n for n, _ in Net().named_parameters(recurse=False)] == ["scale"]


def test_shared_parameter_and_module_counted_once():
    net = Net()
    net.second.weight = net.first.weight  # tied, even though the shapes would not compute
    params = list(net.parameters())
    assert len(params) == 4
    assert sum(p is net.first.weight for p in params) == 1
    shared = Affine()
    seq = nn.Sequential(shared, shared)
    assert len(list(seq.parameters())) == 2
    assert len(list(seq.modules())) == 2


def test_plain_attributes_do_not_register():
    m = nn.Module()
    m.k = 3
    m.t = Tensor([1.0])  # a plain tensor is not a parameter (as in PyTorch)
    m.mods = [Affine()]  # nor is a plain list of modules
    assert list(m.parameters()) == [] and list(m.children()) == []
    assert m.k == 3


def test_reassigning_a_parameter_name():
    m = Affine()
    m.bias = None
    assert [n for n, _ in m.named_parameters()] == ["weight"]
    assert m.bias is None
    with pytest.raises(TypeError, match="parameter 'weight'"):
        m.weight = Tensor(np.ones((2, 3), np.float32))
    m.bias = nn.Parameter([1.0, 1.0])
    assert [n for n, _ in m.named_parameters()] == ["weight", "bias"]


def test_replacing_kinds_moves_the_name_between_registries():
    m = nn.Module()
    m.x = nn.Parameter([1.0])
    m.x = Affine()
    assert list(m.named_parameters(recurse=False)) == []
    assert [n for n, _ in m.named_children()] == ["x"]
    del m.x
    assert list(m.named_children()) == []
    with pytest.raises(AttributeError, match="'Module' object has no attribute 'x'"):
        _ = m.x


def test_register_parameter_add_module_and_name_checks():
    m = nn.Module()
    m.register_parameter("w", nn.Parameter([1.0]))
    m.add_module("sub", Affine())
    m.register_parameter("nothing", None)
    assert [n for n, _ in m.named_parameters()] == ["w", "sub.weight", "sub.bias"]
    with pytest.raises(KeyError, match=r"contain.*a\.b"):
        m.register_parameter("a.b", nn.Parameter([1.0]))
    with pytest.raises(TypeError, match="Tensor"):
        m.register_parameter("t", Tensor([1.0]))
    with pytest.raises(TypeError, match="not a Module"):
        m.add_module("z", 3)
    m.plain = 1
    with pytest.raises(KeyError, match="already exists"):
        m.register_parameter("plain", nn.Parameter([1.0]))


def test_assigning_before_super_init_is_a_clear_error():
    class Broken(nn.Module):
        def __init__(self) -> None:
            self.w = nn.Parameter([1.0])

    with pytest.raises(AttributeError, match=r"super\(\).__init__\(\)"):
        Broken()


def test_values_and_lists_of_values_register():
    m = nn.Module()
    m.w = [Value(1.0), Value(2.0)]
    m.b = Value(3.0)
    names = [n for n, _ in m.named_parameters()]
    assert names == ["w.0", "w.1", "b"]
    assert m.w[1] is list(m.parameters())[1]
    m.w.append(Value(4.0))  # the live list is kept
    assert len(list(m.parameters())) == 4


def test_buffers_are_saved_but_not_trained():
    m = Affine()
    m.register_buffer("running", np.ones(2))
    m.register_buffer("scratch", np.zeros(1), persistent=False)
    assert [n for n, _ in m.named_parameters()] == ["weight", "bias"]
    assert [n for n, _ in m.named_buffers()] == ["running", "scratch"]
    assert list(m.state_dict()) == ["weight", "bias", "running"]
    m.running = np.full(2, 7.0)
    assert np.array_equal(m.state_dict()["running"], [7.0, 7.0])


def test_call_runs_forward_and_missing_forward_is_clear():
    x = Tensor(np.ones((4, 3), np.float32))
    m = Affine()
    assert np.allclose(m(x).data, x.data @ m.weight.data.T)
    with pytest.raises(NotImplementedError, match="forward"):
        nn.Module()(x)


def test_get_submodule_and_apply():
    net = nn.Sequential(Net(), Affine())
    assert net.get_submodule("0.second") is net[0].second
    with pytest.raises(AttributeError, match="nope"):
        net.get_submodule("0.nope")
    seen = []
    assert net.apply(lambda m: seen.append(type(m).__name__)) is net
    assert seen == ["Affine", "Affine", "Net", "Affine", "Sequential"]


# --- training state ---
def test_train_eval_propagate_recursively():
    net = nn.Sequential(Net(), nn.Dropout())
    assert all(m.training for m in net.modules())
    assert net.eval() is net
    assert not any(m.training for m in net.modules())
    net[0].train()
    assert net[0].first.training and not net.training
    net.train()
    assert all(m.training for m in net.modules())


def test_zero_grad_on_tensors_and_values():
    net = Net()
    net(Tensor(np.ones((1, 3), np.float32))).sum().backward()
    assert all(p.grad is not None for p in net.parameters())
    net.zero_grad(set_to_none=False)
    assert all(np.array_equal(p.grad, np.zeros_like(p.data)) for p in net.parameters())
    net.zero_grad()
    assert all(p.grad is None for p in net.parameters())
    m = nn.Module()
    m.v = [Value(1.0)]
    (m.v[0] * 3).backward()
    m.zero_grad()
    assert m.v[0].grad == 0.0


def test_requires_grad_switch():
    net = Net().requires_grad_(False)
    assert not any(p.requires_grad for p in net.parameters())


# --- state dicts ---
def test_state_dict_holds_copies_with_dtypes():
    net = Net()
    sd = net.state_dict()
    assert list(sd) == ["scale", "first.weight", "first.bias", "second.weight", "second.bias"]
    assert all(isinstance(a, np.ndarray) for a in sd.values())
    assert sd["first.weight"].dtype == np.float32
    sd["first.weight"][...] = -1.0
    assert not np.any(net.first.weight.data == -1.0)


def test_state_dict_values_answer_tensor_methods_as_torchs_do():
    """Scripts keep a best model as {k: v.cpu().clone() ...} or cast loaded weights with
    v.float(): the values are ndarray copies that also answer torch's methods."""
    model = nn.Linear(3, 2)
    sd = model.state_dict()
    best = {k: v.cpu().clone() for k, v in sd.items()}
    assert isinstance(sd["weight"], np.ndarray) and sd["weight"].size(1) == 3
    assert best["weight"].float().dtype == np.float32 and best["bias"].double().dtype == np.float64
    best["weight"].zero_()  # a copy: the model keeps its weights
    assert not np.shares_memory(sd["weight"], model.weight._data)
    assert np.abs(model.weight.detach().numpy()).sum() > 0
    model.load_state_dict(best)
    assert not model.weight.detach().numpy().any()


def test_load_state_dict_restores_outputs_exactly_in_place():
    autograd.manual_seed(0)
    a, b = (
        nn.Sequential(nn.Linear(3, 4), nn.Linear(4, 2)),
        nn.Sequential(nn.Linear(3, 4), nn.Linear(4, 2)),
    )
    x = autograd.randn(5, 3)
    storage = b[0].weight.data
    result = b.load_state_dict(a.state_dict())
    assert result.missing_keys == [] and result.unexpected_keys == []
    assert b[0].weight.data is storage  # copied into the existing array
    assert np.array_equal(a(x).data, b(x).data)


def test_load_state_dict_keeps_the_models_dtype():
    m = Affine()
    sd = {k: v.astype(np.float64) + 0.5 for k, v in m.state_dict().items()}
    m.load_state_dict(sd)
    assert m.weight.dtype == np.float32
    assert np.array_equal(m.weight.data, (np.arange(6).reshape(2, 3) + 0.5).astype(np.float32))


def test_strict_load_names_missing_and_unexpected_keys():
    m = Affine()
    sd = m.state_dict()
    del sd["bias"]
    sd["extra.thing"] = np.ones(1)
    before = m.weight.data.copy()
    sd["weight"] = sd["weight"] + 1
    with pytest.raises(RuntimeError) as e:
        m.load_state_dict(sd)
    assert "'bias'" in str(e.value) and "'extra.thing'" in str(e.value)
    assert "missing" in str(e.value) and "unexpected" in str(e.value)
    assert np.array_equal(m.weight.data, before)  # nothing written on error


def test_non_strict_load_returns_what_did_not_match():
    m = Affine()
    sd = m.state_dict()
    del sd["bias"]
    sd["weight"] = sd["weight"] * 0
    sd["other"] = np.ones(1)
    missing, unexpected = m.load_state_dict(sd, strict=False)
    assert (missing, unexpected) == (["bias"], ["other"])
    assert np.all(m.weight.data == 0)


@pytest.mark.parametrize("strict", [True, False])
def test_shape_mismatch_names_key_and_both_shapes(strict):
    m = Net()
    sd = m.state_dict()
    sd["first.weight"] = np.ones((3, 2), np.float32)
    with pytest.raises(RuntimeError) as e:
        m.load_state_dict(sd, strict=strict)
    msg = str(e.value)
    assert "'first.weight'" in msg and "(3, 2)" in msg and "(2, 3)" in msg


def test_load_refuses_non_numeric_entries():
    m = Affine()
    sd = m.state_dict()
    sd["bias"] = np.array(["a", "b"])
    with pytest.raises(RuntimeError, match="'bias'"):
        m.load_state_dict(sd)


def test_tied_parameter_appears_under_both_names_and_loads():
    net = Net()
    net.second.bias = net.first.bias
    sd = net.state_dict()
    assert "first.bias" in sd and "second.bias" in sd
    sd["first.bias"] = np.array([4.0, 5.0])
    sd["second.bias"] = np.array([4.0, 5.0])
    net.load_state_dict(sd)
    assert np.array_equal(net.second.bias.data, [4.0, 5.0])


def test_value_parameters_round_trip():
    m = nn.Module()
    m.w = [Value(1.5), Value(-2.0)]
    sd = m.state_dict()
    assert sd["w.0"].shape == () and sd["w.0"].dtype == np.float64
    m.w[0].data = 0.0
    m.load_state_dict(sd)
    assert m.w[0].data == 1.5 and isinstance(m.w[0].data, float)


# --- repr ---
def test_repr_tree_like_pytorch():
    net = nn.Sequential(Net(), nn.Linear(2, 1, bias=False))
    assert repr(net) == (
        "Sequential(\n"
        "  (0): Net(\n"
        "    (first): Affine(n=3)\n"
        "    (second): Affine(n=2)\n"
        "  )\n"
        "  (1): Linear(in_features=2, out_features=1, bias=False)\n"
        ")"
    )
    assert repr(nn.Module()) == "Module()"


def test_sequential_from_ordered_dict_uses_the_names():
    seq = nn.Sequential(OrderedDict([("enc", Affine()), ("dec", Affine(2))]))
    assert [n for n, _ in seq.named_parameters()][:2] == ["enc.weight", "enc.bias"]
    assert seq[1] is seq.dec


def test_to_double_and_float_cast_parameters_and_buffers():
    m = Affine()
    m.register_buffer("stat", np.ones(2, np.float32))
    m(Tensor(np.ones((1, 3), np.float32))).sum().backward()
    weight = m.weight
    assert m.double() is m
    assert m.weight is weight and m.weight.dtype == np.float64
    assert m.weight.grad.dtype == np.float64 and m.stat.dtype == np.float64
    assert m(Tensor(np.ones((1, 3)))).dtype == np.float64
    assert m.float().bias.dtype == np.float32
    with pytest.raises(TypeError, match="floating or complex dtype"):
        m.to(np.int32)


def test_double_float_half_leave_complex_parameters_and_to_casts_them():
    m = nn.Linear(2, 2)
    m.z = nn.Parameter(autograd.tensor([1 + 2j], dtype=autograd.complex64))
    for cast, weight in ((m.double, np.float64), (m.half, np.float16), (m.float, np.float32)):
        cast()
        assert m.z.dtype == np.complex64 and m.weight.dtype == weight
    m.to(autograd.complex128)
    assert m.z.dtype == np.complex128 and m.weight.dtype == np.complex128
    with pytest.raises(TypeError, match="floating or complex"):
        m.to(autograd.int64)
