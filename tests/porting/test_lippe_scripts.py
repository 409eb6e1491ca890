"""Phillip Lippe's UvA DL tutorials 3, 4, 5, 9, 11 and 12 run with our packages under torch's
names: properties that hold without PyTorch (formulas, invariants, it trains), and, when
PyTorch is installed, PyTorch's numbers from its initial weights, with the scripts' random
draws (shuffles, dequantisation noise, sampling) made by numpy and shared."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import autograd
import nn
import nn.functional as F
import nn.utils.data as data
import nn.utils.data.sampler as sampler
import optim

from . import lippe_scripts as scripts
from .test_course_scripts import both, close, no_sync
from .test_examples_scripts import shared_draws, torch_lib
from .test_model_scripts import (  # noqa: F401 (one_torch_thread: an autouse fixture)
    close_lists,
    one_torch_thread,
)

OURS = (autograd, nn, F, optim, data)


def shared_permutations(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each library's RandomSampler (a DataLoader's shuffle) draws its orders from a numpy
    stream of the same seed (PyTorch's also draws a spare, empty permutation per pass)."""
    torch_lib()
    import torch.utils.data.sampler as torch_sampler

    for owner in (torch_sampler.RandomSampler, sampler.RandomSampler):
        rs = np.random.RandomState(11)
        monkeypatch.setattr(
            owner,
            "__iter__",
            lambda self, rs=rs: iter(rs.permutation(len(self.data_source)).tolist()),
        )


def uniform_like(lib: Any, rs: np.random.RandomState) -> Any:
    """``rand_like(t)``."""
    return lambda t, **_: lib.tensor(rs.rand(*tuple(t.shape)), dtype=t.dtype)


def categorical_rows(lib: Any, rs: np.random.RandomState) -> Any:
    """``multinomial(probs, num_samples=1)`` by inverting each row's CDF."""

    def multinomial(probs: Any, num_samples: int, **_: Any) -> Any:
        assert num_samples == 1
        p = np.asarray(probs.detach(), dtype=np.float64)
        p = p / p.sum(-1, keepdims=True)
        u = rs.rand(*p.shape[:-1], 1)
        return lib.tensor(np.minimum((np.cumsum(p, -1) < u).sum(-1), p.shape[-1] - 1)[..., None])

    return multinomial


# --- tutorial 3: activation functions ---


def test_activation_functions_are_the_formulas_and_the_network_trains(tmp_path):
    autograd.manual_seed(0)
    out = scripts.activation_functions(*OURS, no_sync, str(tmp_path))
    x = np.linspace(-5, 5, 1000)
    s = 1 / (1 + np.exp(-x))
    want = {
        "sigmoid": (s, s * (1 - s)),
        "tanh": (np.tanh(x), 1 - np.tanh(x) ** 2),
        "relu": (np.maximum(x, 0), (x > 0) * 1.0),
        "leakyrelu": (np.where(x > 0, x, 0.1 * x), np.where(x > 0, 1, 0.1)),
        "elu": (np.where(x > 0, x, np.exp(x) - 1), np.where(x > 0, 1, np.exp(x))),
        "swish": (x * s, s + x * s * (1 - s)),
    }
    for name, (y, dy) in want.items():
        close(out["curves"][name][0], y, rtol=1e-5, atol=1e-6)
        close(out["curves"][name][1], dy, rtol=1e-4, atol=1e-5)
    # sigmoid's gradients vanish towards the input layer (the tutorial's point)
    g = out["gradients"]["sigmoid"]
    assert g["layers.0.weight"] < g["layers.2.weight"] < g["layers.4.weight"]
    for dead in out["dead"].values():
        assert len(dead) == 2 and all(0 <= d <= 8 for d in dead)
    assert out["dead"]["sigmoid"] == [0, 0] and out["dead"]["tanh"] == [0, 0]
    assert out["printed"][0].startswith("[Epoch  1] Training accuracy: ")
    assert out["printed"][1] == "\t   (New best performance, saving model...)"
    assert 0 <= out["test_acc"] <= 1
    for key, value in out["trained_state"].items():
        assert np.array_equal(out["reloaded_state"][key], value)
    assert out["reloaded_type"] == "ReLU" and out["leaky_alpha"] == 0.2
    close(out["leaky_out"], [-0.2, -0.1, 0.0, 0.5, 1.0], rtol=1e-6)
    assert out["config"] == {
        "act_fn": {"name": "ReLU"},
        "input_size": 16,
        "num_classes": 4,
        "hidden_sizes": [8, 8],
    }


def test_activation_functions_match_torch(tmp_path, monkeypatch):
    shared_permutations(monkeypatch)
    ours, theirs = both(
        lambda L, sync: scripts.activation_functions(
            *L, sync, str(tmp_path / L[0].__name__.replace(".", "_"))
        )
    )
    for name in theirs["curves"]:
        close(ours["curves"][name], theirs["curves"][name], rtol=1e-5, atol=1e-6)
    for key in ("gradients", "activations"):
        for name in theirs[key]:
            assert ours[key][name].keys() == theirs[key][name].keys()
            close(list(ours[key][name].values()), list(theirs[key][name].values()), rtol=1e-4)
    assert ours["dead"] == theirs["dead"] and ours["dead_percentages"] == theirs["dead_percentages"]
    assert ours["printed"] == theirs["printed"] and ours["test_acc"] == theirs["test_acc"]
    for key in theirs["trained_state"]:
        close(ours["trained_state"][key], theirs["trained_state"][key], rtol=1e-4, atol=1e-6)
    assert ours["config"] == theirs["config"] and ours["leaky_alpha"] == theirs["leaky_alpha"]


# --- tutorial 4: optimization and initialization ---


def test_initializations_have_their_variances_and_optimizers_agree():
    autograd.manual_seed(0)
    out = scripts.optimization_initialization(*OURS, no_sync)
    inits = out["inits"]
    assert all(s == 0 for s in inits["const"]["weight_std"].values())
    assert inits["const"]["bias_max"] == pytest.approx(0.005)
    # constant init: every hidden unit the same, so the hidden layers' gradients are equal
    assert inits["const"]["grad_var"]["layers.0.weight"] == 0
    for name, want in (("const_variance", [0.1] * 5), ("equal_var", [1 / 8] * 5)):
        close(list(inits[name]["weight_std"].values()), want, rtol=0.1)
    xavier = np.sqrt(2 / (64 + np.array([64, 64, 64, 64, 4])))
    close(list(inits["xavier"]["weight_std"].values()), xavier, rtol=0.1)
    kaiming = np.array([1, 2**0.5, 2**0.5, 2**0.5, 2**0.5]) / 8
    close(list(inits["kaiming"]["weight_std"].values()), kaiming, rtol=0.1)
    assert inits["kaiming"]["bias_max"] == 0 and inits["xavier"]["bias_max"] == 0
    # equal variance with identity activations keeps the activations' variance roughly stable
    act = list(inits["equal_var"]["act_var"].values())
    assert 0.1 < act[-1] / act[0] < 10
    trained = out["trained"]
    # the hand-written Adam is PyTorch's Adam
    close(trained["Adam"]["losses"], trained["torch_Adam"]["losses"], rtol=1e-5)
    close(trained["Adam"]["weight"], trained["torch_Adam"]["weight"], rtol=1e-4, atol=1e-6)
    for name in ("SGD", "SGDMom", "Adam"):
        assert np.mean(trained[name]["losses"][-4:]) < np.mean(trained[name]["losses"][:4])
    x, y, z = out["surface"]
    close(z, np.tanh(x) ** 2 + 0.01 * np.abs(x) + 1 / (1 + np.exp(-y)), rtol=1e-5, atol=1e-6)
    assert x.shape == (100, 100) and np.all(x[0] == x[1])  # "xy" indexing: x varies along rows
    paths = out["paths"]
    assert paths["SGD"].shape == (100, 3)
    # momentum and Adam get further down the sigmoid than plain SGD
    assert (
        paths["SGDMom"][-1, 2] < paths["SGD"][-1, 2] and paths["Adam"][-1, 2] < paths["SGD"][-1, 2]
    )
    assert paths["SGD"][0, 2] == pytest.approx(np.tanh(5) ** 2 + 0.05 + 1 / (1 + np.exp(-5)))
    # on the steep optima, Adam finds the nearest one, (-0.5, -0.8), the SGD's do not
    close(paths["steep_Adam"][-1, :2], [-0.5, -0.8], rtol=0.01)
    assert paths["steep_Adam"][-1, 2] < -3.9 < -0.01 < paths["steep_SGD"][-1, 2]


def test_optimization_initialization_matches_torch(monkeypatch):
    shared_permutations(monkeypatch)
    ours, theirs = both(lambda L, sync: scripts.optimization_initialization(*L, sync))
    for name in theirs["inits"]:
        for key in ("grad_var", "act_var"):
            close(
                list(ours["inits"][name][key].values()),
                list(theirs["inits"][name][key].values()),
                rtol=1e-3,
                atol=1e-12,
            )
    for name in theirs["trained"]:
        close(ours["trained"][name]["losses"], theirs["trained"][name]["losses"], rtol=1e-4)
        close(
            ours["trained"][name]["weight"], theirs["trained"][name]["weight"], rtol=1e-3, atol=1e-5
        )
        assert ours["trained"][name]["scores"] == theirs["trained"][name]["scores"]
    for key in ("surface", "steep"):
        close(ours[key], theirs[key], rtol=1e-5, atol=1e-6)
    # float32 paths with lr=10 amplify one-ulp differences in tanh' (each library within
    # rounding of the float64 value, on opposite sides): the first steps agree tightly, Adam's
    # normalised steps all the way
    for name in theirs["paths"]:
        steps = 100 if "Adam" in name else 15
        close(ours["paths"][name][:steps], theirs["paths"][name][:steps], rtol=1e-4, atol=1e-4)


# --- tutorial 5: Inception, ResNet, DenseNet ---


def test_cnn_architectures_train_and_report():
    autograd.manual_seed(0)
    out = scripts.cnn_architectures(*OURS, no_sync)
    for name in ("GoogleNet", "ResNet", "PreActResNet", "DenseNet"):
        res = out[name]
        assert res["logits"].shape == (8, 10) and np.isfinite(res["losses"]).all()
        assert all(a in (0.0, 0.25, 0.5, 0.75, 1.0) for a in res["accs"])
        assert 0 <= res["val_acc"] <= 1
    # milestone 1: the learning rate drops tenfold after the first epoch and stays
    assert out["GoogleNet"]["lrs"] == pytest.approx([1e-4, 1e-4])
    assert out["ResNet"]["lrs"] == pytest.approx([1e-2, 1e-2])
    # the same batches twice: the second pass fits them better
    for name in ("GoogleNet", "ResNet", "PreActResNet"):
        losses = out[name]["losses"]
        assert losses[2] + losses[3] < losses[0] + losses[1]
    # ResNet([2, 2, 2], [4, 8, 16]): input conv + BN, 6 blocks, a 1x1 downsampling conv per stage
    assert out["ResNet"]["params"] == 11350
    assert "unsupported nonlinearity" in out["gelu_error"].lower()
    assert out["resnet_repr"].startswith("ResNetBlock(\n  (net): Sequential(\n    (0): Conv2d(2, 4")


def test_cnn_architectures_match_torch():
    ours, theirs = both(lambda L, sync: scripts.cnn_architectures(*L, sync))
    for name in ("GoogleNet", "ResNet", "PreActResNet", "DenseNet"):
        close(ours[name]["losses"], theirs[name]["losses"], rtol=2e-3, atol=1e-4)
        close(ours[name]["lrs"], theirs[name]["lrs"], rtol=1e-12)
        close_lists([ours[name]["logits"]], [theirs[name]["logits"]], rtol=5e-3, atol=1e-5)
        assert ours[name]["repr"] == theirs[name]["repr"]  # print(model)
        assert (
            ours[name]["accs"] == theirs[name]["accs"]
            and ours[name]["params"] == theirs[name]["params"]
        )
    assert ours["resnet_repr"] == theirs["resnet_repr"]
    assert (ours["gelu_error"] is None) == (theirs["gelu_error"] is None)


# --- tutorial 9: autoencoder ---


def test_autoencoder_reconstructs_and_finds_neighbours():
    autograd.manual_seed(0)
    out = scripts.autoencoder(*OURS, no_sync, steps=6)
    assert out["shape_out"] == (2, 3, 32, 32) and out["grid_shape"] == (4, 3, 32, 32)
    losses = out["losses"]  # two batches per epoch
    assert losses[-2] < losses[0] and losses[-1] < losses[1]
    assert np.all(np.diff(out["val_losses"]) < 0) and out["lrs"] == [1e-3] * 6
    assert out["shifted"] == (pytest.approx(0.25 * 3 * 32 * 32, rel=1e-5), (2, 3, 32, 32))
    assert np.abs(out["generated"]).max() <= 1 and out["generated"].shape == (8, 3, 32, 32)
    train = out["train_embeds"]
    for i, (dist, indices, shape) in enumerate(out["similar"]):
        assert shape == (4, 3, 32, 32) and sorted(indices) == list(range(8))
        assert np.all(np.diff(dist) >= 0)
        close(
            dist,
            np.linalg.norm(train[indices] - out["test_embeds"][i], axis=1),
            rtol=1e-3,
            atol=1e-7,
        )


def test_autoencoder_matches_torch():
    ours, theirs = both(lambda L, sync: scripts.autoencoder(*L, sync))
    for key in ("losses", "val_losses", "lrs", "train_embeds", "test_embeds", "generated"):
        close_lists([np.asarray(ours[key])], [np.asarray(theirs[key])], rtol=1e-4, atol=1e-6)
    assert ours["shifted"][0] == pytest.approx(theirs["shifted"][0], rel=1e-6)
    assert ours["smoothed"][0] == pytest.approx(theirs["smoothed"][0], rel=1e-5)
    for (d_ours, i_ours, _), (d_theirs, i_theirs, _) in zip(ours["similar"], theirs["similar"]):
        close(d_ours, d_theirs, rtol=1e-3, atol=1e-7)
        # the same neighbours, up to near-ties: torch's distances in our order stay sorted
        by_ours = dict(zip(i_theirs.tolist(), d_theirs.tolist()))
        assert np.all(np.diff([by_ours[i] for i in i_ours.tolist()]) >= -1e-3 * d_theirs.max())


# --- tutorial 11: normalizing flows ---


def test_normalizing_flows_invert_and_train():
    autograd.manual_seed(0)
    out = scripts.normalizing_flows(*OURS, no_sync)
    assert out["mismatches"] == []  # the dequantization inverts exactly on these pixels
    close(out["deq_ldj"], 0.0, atol=1e-3)  # log(256) per pixel out, the logit's Jacobian back in
    squeezed = out["squeezed"]
    assert squeezed.shape == (1, 4, 2, 2)
    assert squeezed[0, 0].tolist() == [[1, 3], [9, 11]] and squeezed[0, 3].tolist() == [
        [6, 8],
        [14, 16],
    ]
    assert out["unsqueezed"].reshape(-1).tolist() == list(range(1, 17))
    assert out["checkerboard"][0, 0].tolist() == [[0, 1, 0, 1], [1, 0, 1, 0]] * 2
    assert out["channel_mask"].reshape(-1).tolist() == [0, 0, 1, 1, 1]
    imgs = scripts.fake_images(autograd, 8, (1, 8, 8), 4, seed=11, normalize=False)[0][:4].numpy()
    simple, multi = out["simple"], out["multiscale"]
    # inverting the flows from the encoding gives the images back, pixel for pixel
    assert simple["decoded"].dtype == np.int32 and np.array_equal(simple["decoded"], imgs)
    for res in (simple, multi):
        losses = res["losses"]  # two batches per epoch, seen twice
        assert losses[2] < losses[0] and losses[3] < losses[1]
        assert res["lr"] == pytest.approx(1e-3 * 0.99**2)
        assert np.isfinite(res["test_bpd"]) and 0 < res["test_bpd"] < 8.5
        assert any(np.abs(s).max() > 0 for s in res["scaling"])
    assert multi["z"].shape == (4, 8, 2, 2) and simple["z"].shape == (4, 1, 8, 8)
    # the tutorial's dequantization plot: over the logits, exp(ldj) times the prior (scaled
    # to 1 per bin when uniform) has each bin's prior mass (the two end bins lose the tails
    # beyond -4 and 4)
    custom = np.array([0.075, 0.2, 0.4, 0.2, 0.075, 0.025, 0.0125, 0.0125])
    for key, prior in (
        ("dequantization", np.ones(8)),
        ("dequantization_prior", custom / custom.sum() * 8),
    ):
        inp, out_bins, prob = out[key]
        assert inp.shape == out_bins.shape == prob.shape == (800,)
        assert out_bins.min() == 0 and out_bins.max() == 7 and np.all(np.diff(out_bins) >= 0)
        masses = np.array([prob[out_bins == b].sum() * 0.01 for b in range(8)])
        close(masses[1:7], prior[1:7], rtol=0.05)
        assert np.all(masses[[0, 7]] < prior[[0, 7]])
    assert simple["interpolated"].shape == (4, 1, 8, 8)
    # the two ends of the interpolation decode to the two images
    assert np.array_equal(simple["interpolated"][0], imgs[1]) and np.array_equal(
        simple["interpolated"][-1], imgs[0]
    )
    sampled = multi["sampled"]
    assert sampled.shape == (2, 1, 8, 8) and sampled.min() >= 0 and sampled.max() <= 255


def test_normalizing_flows_match_torch(monkeypatch):
    shared_draws(monkeypatch, rand_like=uniform_like)
    ours, theirs = both(lambda L, sync: scripts.normalizing_flows(*L, sync))
    assert ours["mismatches"] == theirs["mismatches"]
    for key in ("deq_img", "squeezed", "unsqueezed", "checkerboard", "channel_mask"):
        close(ours[key], theirs[key], rtol=1e-6)
    close(ours["deq_ldj"], theirs["deq_ldj"], rtol=1e-3, atol=1e-4)
    for name in ("simple", "multiscale"):
        close(ours[name]["losses"], theirs[name]["losses"], rtol=1e-5)
        close(ours[name]["test_bpd"], theirs[name]["test_bpd"], rtol=1e-5)
        close_lists(
            [ours[name]["z"], ours[name]["ldj"]],
            [theirs[name]["z"], theirs[name]["ldj"]],
            rtol=1e-4,
            atol=1e-5,
        )
        # the scaling factors start with a zero gradient (the last conv is zero-initialised),
        # and Adam normalises the tiny ones that follow: rounding shows at 1e-2
        close_lists(ours[name]["scaling"], theirs[name]["scaling"], rtol=2e-2, atol=1e-6)
    assert np.array_equal(ours["simple"]["decoded"], theirs["simple"]["decoded"])
    assert np.array_equal(ours["simple"]["interpolated"], theirs["simple"]["interpolated"])
    for key in ("dequantization", "dequantization_prior"):
        close_lists(list(ours[key]), list(theirs[key]), rtol=1e-4, atol=1e-6)


# --- tutorial 12: PixelCNN ---


def test_pixelcnn_is_autoregressive_and_trains():
    autograd.manual_seed(0)
    out = scripts.pixelcnn(*OURS, no_sync)
    fields = out["fields"]
    # horizontal stack with the centre masked: only the pixel to the left of the centre
    assert fields[0][5, 4] == 1 and fields[0].sum() == 1
    # vertical stack with the centre masked: the three pixels above
    assert fields[1][4, 4:7].tolist() == [1, 1, 1] and fields[1].sum() == 3
    assert fields[2].sum() == 4 and fields[2][5, 4] == 1
    # the stacked layers grow the field upwards and to the left, never past the centre
    for field in fields[3:7]:
        assert np.all(field[6:] == 0) and np.all(field[5, 5:] == 0)
    assert np.count_nonzero(fields[6]) > np.count_nonzero(fields[3])
    # the whole PixelCNN: the centre output sees only earlier pixels (raster order)
    full = fields[7]
    assert np.all(full[5:] == 0) and np.all(full[4, 4:] == 0) and full[3, 4] > 0
    side = 8
    order = np.arange(side * side).reshape(side, side)
    for (h, w), grad in zip(((0, 0), (2, 3), (side - 1, side - 1)), out["dependence"]):
        assert np.all(grad[order >= order[h, w]] == 0)
    assert np.abs(out["dependence"][2]).sum() > 0
    losses = out["losses"]
    assert losses[2] < losses[0] and losses[3] < losses[1]
    assert np.all(out["masked_weight"][:, :, 1:] == 0)
    assert out["sampled"].shape == (2, 1, 4, 4) and out["sampled"].min() >= 0
    assert out["sampled"].max() <= 255
    assert np.array_equal(out["completed"][:, :, :6], out["orig"][:, :, :6])
    # writing samples into an expanded tensor (no copy on the CPU) is refused, as PyTorch
    assert "refers to a single memory location" in out["expanded_error"]
    assert out["completed"].min() >= 0


def test_pixelcnn_matches_torch(monkeypatch):
    shared_draws(monkeypatch, multinomial=categorical_rows)
    ours, theirs = both(lambda L, sync: scripts.pixelcnn(*L, sync))
    close_lists(ours["fields"], theirs["fields"], rtol=1e-5, atol=1e-6)
    close(ours["losses"], theirs["losses"], rtol=1e-5)
    close_lists(ours["dependence"], theirs["dependence"], rtol=1e-3, atol=1e-7)
    close(ours["masked_weight"], theirs["masked_weight"], rtol=1e-4, atol=1e-6)
    for key in ("sampled", "completed"):
        assert np.array_equal(ours[key], theirs[key]), key
    assert (ours["expanded_error"] is None) == (theirs["expanded_error"] is None)
