"""The module system as PyTorch's: buffers, walking the tree, apply, to(), nested repr, and
the containers ModuleDict, ParameterList, Flatten, Unflatten, Identity."""

import numpy as np
import pytest

import nn
from autograd import Tensor


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2))
        self.norm = nn.BatchNorm2d(4)
        self.head = nn.ModuleDict({"flat": nn.Flatten(), "fc": nn.Linear(4 * 2 * 2, 3)})
        self.register_buffer("scale", Tensor(np.ones(3, np.float32)))
        self.register_buffer("scratch", Tensor(np.zeros(2, np.float32)), persistent=False)

    def forward(self, x):
        h = self.norm(self.features(x))
        return self.head["fc"](self.head["flat"](h)) * self.scale


def test_buffers_are_saved_moved_and_not_trained():
    net = Net()
    names = [n for n, _ in net.named_buffers()]
    assert names == [
        "scale", "scratch", "norm.running_mean", "norm.running_var", "norm.num_batches_tracked",
    ]  # fmt: skip
    assert "scale" in net.state_dict() and "scratch" not in net.state_dict()
    assert all(b is not p for b in net.buffers() for p in net.parameters())
    net.double()
    assert net.scale.dtype == np.float64 and net.norm.running_var.dtype == np.float64
    assert net.norm.num_batches_tracked.dtype == np.int64  # integers are not cast
    assert net.features[0].weight.dtype == np.float64
    net.to("cpu").to(device="cpu", dtype=np.float32)
    assert net.scale.dtype == np.float32
    with pytest.raises(ValueError, match="cuda"):
        net.to("cuda")
    y = net(Tensor(np.ones((2, 1, 4, 4), np.float32)))
    assert y.shape == (2, 3)


def test_walking_the_tree_apply_and_requires_grad():
    net = Net()
    assert [n for n, _ in net.named_children()] == ["features", "norm", "head"]
    mods = [n for n, _ in net.named_modules()]
    assert mods[:5] == ["", "features", "features.0", "features.1", "features.2"]
    assert "head.fc" in mods
    seen = []
    net.apply(lambda m: seen.append(type(m).__name__))
    assert seen[-1] == "Net" and seen.count("Conv2d") == 1
    net.requires_grad_(False)
    assert not any(p.requires_grad for p in net.parameters())
    net.add_module("extra", nn.Identity())
    net.register_parameter("alpha", nn.Parameter(np.zeros(1, np.float32)))
    assert "alpha" in dict(net.named_parameters()) and "extra" in dict(net.named_children())


def test_nested_repr_matches_pytorch_layout():
    model = nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(16, 4),
    )
    assert repr(model) == (
        "Sequential(\n"
        "  (0): Conv2d(1, 16, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))\n"
        "  (1): ReLU()\n"
        "  (2): MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)\n"
        "  (3): Flatten(start_dim=1, end_dim=-1)\n"
        "  (4): Linear(in_features=16, out_features=4, bias=True)\n"
        ")"
    )
    assert repr(nn.ModuleDict({"a": nn.ReLU()})) == "ModuleDict(\n  (a): ReLU()\n)"


def test_sequential_indexing_slicing_len_append():
    s = nn.Sequential(nn.ReLU(), nn.Tanh())
    s.append(nn.Identity())
    assert len(s) == 3 and isinstance(s[-1], nn.Identity)
    assert isinstance(s[1:], nn.Sequential) and len(s[1:]) == 2
    assert isinstance(s[1:][0], nn.Tanh)


def test_module_dict_and_parameter_list():
    d = nn.ModuleDict([("a", nn.Linear(2, 2)), ("b", nn.ReLU())])
    d["c"] = nn.Linear(2, 1)
    assert list(d) == ["a", "b", "c"] and "b" in d and len(d) == 3
    assert [n for n, _ in d.named_parameters()] == ["a.weight", "a.bias", "c.weight", "c.bias"]
    with pytest.raises(TypeError, match="Module"):
        d["x"] = 3
    pl = nn.ParameterList([np.zeros((2, 3), np.float32)])
    pl.append(Tensor(np.ones(2, np.float32)))
    assert len(pl) == 2 and isinstance(pl[0], nn.Parameter)
    assert [n for n, _ in pl.named_parameters()] == ["0", "1"]
    assert list(pl.state_dict()) == ["0", "1"]
    assert "(0): Parameter containing: [float32 of size 2x3]" in repr(pl)


def test_flatten_unflatten_identity():
    x = Tensor(np.arange(24.0).reshape(2, 3, 4))
    assert nn.Flatten()(x).shape == (2, 12)
    assert nn.Flatten(0, 1)(x).shape == (6, 4)
    assert nn.Unflatten(2, (2, 2))(x).shape == (2, 3, 2, 2)
    assert nn.Unflatten(-1, (-1, 2))(x).shape == (2, 3, 2, 2)
    with pytest.raises(ValueError, match=r"Unflatten.*\(3, 2\).*size 4"):
        nn.Unflatten(2, (3, 2))(x)
    np.testing.assert_array_equal(nn.Identity(5, k=1)(x).data, x.data)


def test_module_list_repr_groups_repeated_items_as_torch():
    layers = nn.ModuleList([nn.Linear(2, 2) for _ in range(3)] + [nn.ReLU(), nn.ReLU(), nn.Tanh()])
    assert repr(layers) == (
        "ModuleList(\n"
        "  (0-2): 3 x Linear(in_features=2, out_features=2, bias=True)\n"
        "  (3-4): 2 x ReLU()\n"
        "  (5): Tanh()\n"
        ")"
    )
    assert repr(nn.ModuleList()) == "ModuleList()"


def test_batchnorm_checkpoint_without_num_batches_tracked_loads_strictly():
    # as PyTorch: older checkpoints lack the counter; it keeps its value, nothing is missing
    net = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4))
    net.train()
    net(Tensor(np.random.default_rng(0).normal(size=(5, 3)).astype(np.float32)))
    state = {k: v for k, v in net.state_dict().items() if "num_batches_tracked" not in k}
    state["1.running_mean"] = state["1.running_mean"] + 1.0
    fresh = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4))
    result = fresh.load_state_dict(state)
    assert result.missing_keys == [] and result.unexpected_keys == []
    np.testing.assert_allclose(fresh[1].running_mean.numpy(), state["1.running_mean"])
    assert int(fresh[1].num_batches_tracked.item()) == 0
    with pytest.raises(RuntimeError, match="missing key"):
        fresh.load_state_dict({k: v for k, v in state.items() if k != "1.running_var"})
