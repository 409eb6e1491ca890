"""kuangliu/pytorch-cifar, The Annotated Transformer, milesial's U-Net, Kim's TextCNN,
Andras7's word2vec, a from-scratch ViT and junyanz's CycleGAN run with our packages under
torch's names: properties that hold without PyTorch (formulas, shapes, schedules, it trains),
the contract differences pinned (sparse gradients kept dense), and, when
PyTorch is installed, PyTorch's numbers from its initial weights."""

from __future__ import annotations

import math
import re
from typing import Any

import numpy as np
import pytest

import autograd
import nn
import nn.functional as F
import nn.utils.data as data
import optim

from . import model_scripts as scripts
from .test_course_scripts import both, close, no_sync

OURS = (autograd, nn, F, optim, data)


@pytest.fixture(autouse=True)
def one_torch_thread():
    """Tiny models: PyTorch's thread pool only adds contention."""
    try:
        import torch
    except ImportError:
        yield
        return
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def no_dropout(sync: Any) -> Any:
    """``sync``, then every dropout off (nn.Dropout, Dropout1d/2d/3d modules and
    MultiheadAttention's attention dropout): the libraries' random streams differ."""

    def run(module: Any) -> None:
        sync(module)
        for m in module.modules():
            if type(m).__name__ in ("Dropout", "Dropout1d", "Dropout2d", "Dropout3d"):
                m.p = 0.0
            if type(m).__name__ == "MultiheadAttention":
                m.dropout = 0.0

    return run


def close_lists(ours: list, theirs: list, rtol: float, atol: float) -> None:
    """Arrays pairwise close, each within ``rtol`` of its own largest entry (float32 sums
    leave entries near zero with rounding of the size of the array's scale)."""
    assert len(ours) == len(theirs)
    for i, (a, b) in enumerate(zip(ours, theirs)):
        scale = float(np.abs(b).max()) if np.size(b) else 0.0
        np.testing.assert_allclose(a, b, rtol=rtol, atol=atol + rtol * scale, err_msg=f"item {i}")


# --- kuangliu/pytorch-cifar ---


def basic_resnet_params(w: int, blocks: list[int], classes: int = 10) -> int:
    """ResNet(BasicBlock) parameters counted from the paper's layout."""
    n = 3 * 9 * w + 2 * w
    c_in = w
    for stage, count in enumerate(blocks):
        c = w * 2**stage
        for b in range(count):
            stride = 2 if stage > 0 and b == 0 else 1
            n += 9 * c_in * c + 9 * c * c + 4 * c
            if stride != 1 or c_in != c:
                n += c_in * c + 2 * c
            c_in = c
    return n + c_in * classes + classes


@pytest.mark.filterwarnings("ignore:`nn.init.\\w+` is now deprecated")
def test_cifar_utils_mean_std_and_init_params():
    out = scripts.cifar_utils(autograd, nn, data)
    x = np.random.RandomState(1).rand(6, 3, 4, 4).astype(np.float32)
    np.testing.assert_allclose(out["mean"], x.mean((2, 3)).mean(0), rtol=1e-5)
    np.testing.assert_allclose(out["std"], x.reshape(6, 3, 16).std(2, ddof=1).mean(0), rtol=1e-5)
    assert out["init_error"] == "Boolean value of Tensor with more than one value is ambiguous"
    np.testing.assert_array_equal(out["bn_weight"], 1.0)
    assert out["conv_std"] == pytest.approx(math.sqrt(2 / (4 * 9)), rel=0.5)


def test_cifar_utils_match_torch():
    ours, theirs = both(lambda L, sync: scripts.cifar_utils(L[0], L[1], L[4]))
    close(ours["mean"], theirs["mean"], rtol=1e-5)
    close(ours["std"], theirs["std"], rtol=1e-5)
    assert ours["init_error"] == theirs["init_error"]


@pytest.mark.parametrize("arch", ["ResNet18", "ResNet50", "MobileNetV2", "VGG"])
def test_cifar_main_trains_checkpoints_and_resumes(tmp_path, arch):
    autograd.manual_seed(0)
    out = scripts.cifar_main(*OURS, no_sync, str(tmp_path), arch=arch)
    if arch == "ResNet18":
        assert out["n_params"] == basic_resnet_params(4, [2, 2, 2, 2])
    assert all(np.isfinite(out["train_loss"])) and all(np.isfinite(out["test_loss"]))
    assert all(round(a * 8 / 100, 6) % 1 == 0 for a in out["train_acc"] + out["test_acc"])
    assert out["lr"] == pytest.approx([0.05 * (1 + math.cos(math.pi * e / 200)) for e in (1, 2)])
    assert out["best_acc"] == max(out["test_acc"])
    best = [i for i, a in enumerate(out["test_acc"]) if a == max(out["test_acc"])]
    assert out["resumed_epoch"] == best[-1]  # saved on every new best (>=: see the script)
    assert out["resumed_out"].shape == (2, 10) and np.isfinite(out["resumed_out"]).all()
    assert out["first_grad"].shape == (4, 3, 3, 3) and np.abs(out["first_grad"]).max() > 0


def test_cifar_main_on_the_gpu_branch_wraps_in_data_parallel(tmp_path):
    autograd.manual_seed(0)
    out = scripts.cifar_main(*OURS, no_sync, str(tmp_path), arch="VGG", data_parallel=True)
    assert out["keys"] == ["module.features.0.weight", "module.features.0.bias"]
    assert out["resumed_out"].shape == (2, 10)


@pytest.mark.parametrize("arch", ["ResNet18", "ResNet50", "MobileNetV2", "VGG"])
def test_cifar_main_matches_torch(tmp_path, arch):
    def run(L, sync):
        d = tmp_path / L[0].__name__
        d.mkdir()
        return scripts.cifar_main(*L, sync, str(d), arch=arch, data_parallel=arch == "VGG")

    ours, theirs = both(run)
    close_lists(ours["grad0"], theirs["grad0"], rtol=1e-3, atol=1e-5)
    close(ours["train_loss"][0], theirs["train_loss"][0], rtol=1e-5)
    # four SGD steps at lr 0.1 through BatchNorm over batches of four (1x1 maps in the last
    # stages): float32 rounding grows, in PyTorch too (in float64 both agree to 1e-14)
    close(ours["train_loss"], theirs["train_loss"], rtol=1e-2)
    close(ours["test_loss"], theirs["test_loss"], rtol=1e-2)
    close(ours["resumed_out"], theirs["resumed_out"], rtol=1e-2, atol=2e-3)
    for key in ("train_acc", "test_acc", "lr", "best_acc", "resumed_epoch", "n_params"):
        assert ours[key] == pytest.approx(theirs[key]), key
    assert ours["keys"] == theirs["keys"]


# --- The Annotated Transformer ---


# the notebook's smoothing example multiplies 0 by log(0): numpy warns where PyTorch is silent
@pytest.mark.filterwarnings("ignore:invalid value encountered in multiply")
def test_annotated_transformer_as_written_masks_smooths_schedules_and_decodes():
    """As written, LabelSmoothing's ``x.data.clone()`` and ``target.data.unsqueeze(1)`` too."""
    autograd.manual_seed(0)
    out = scripts.annotated_transformer(*OURS, no_sync)
    # the notebook's LabelSmoothing(5, 0, 0.4) example: 0.4 / 3 off target, 0.6 on it, the
    # padding column and the row whose target is padding zero
    want = np.full((5, 5), 0.4 / 3, np.float32)
    want[np.arange(5), [2, 1, 0, 3, 3]] = 0.6
    want[:, 0] = 0
    want[2] = 0
    np.testing.assert_allclose(out["true_dist"], want, rtol=1e-6)
    assert np.isnan(out["smoothing_loss"])  # log(0) in the example's predictions, as there
    np.testing.assert_array_equal(out["subsequent_mask"], np.tril(np.ones((1, 5, 5), bool)))
    pos, i = np.arange(100)[:, None], np.array([4, 6])
    np.testing.assert_allclose(out["pe"][:, 0::2], np.sin(pos / 10000 ** (i / 20)), atol=2e-5)
    np.testing.assert_allclose(out["pe"][:, 1::2], np.cos(pos / 10000 ** (i / 20)), atol=2e-5)
    assert out["rates"] == pytest.approx(
        [512**-0.5 * min(s**-0.5, s * 4000**-1.5) for s in (1, 1, 2000, 4000, 8000)]
    )
    assert out["lrs"] == pytest.approx([0.5 * 16**-0.5 * s * 400**-1.5 for s in (4, 8)])
    assert all(0 < loss < 5 for loss in out["train"] + out["eval"])
    pattern = r"Epoch Step:      1 \| Accumulation Step:   2 \| Loss:   \d\.\d\d \| Learning Rate: "
    assert len(out["printed"]) == 2 and all(re.match(pattern, p) for p in out["printed"])
    assert out["decoded"].shape == (1, 10) and out["decoded"][0, 0] == 0
    assert out["decoded"].dtype == np.int64  # ys.type_as(src.data)
    np.testing.assert_allclose(out["attn"].sum(-1), 1.0, rtol=1e-5)


@pytest.mark.filterwarnings("ignore:invalid value encountered in multiply")
def test_annotated_transformer_matches_torch():
    ours, theirs = both(lambda L, sync: scripts.annotated_transformer(*L, no_dropout(sync)))
    for key in ("true_dist", "pe", "rates", "step_losses", "train", "eval", "lrs", "attn"):
        close(ours[key], theirs[key], rtol=1e-4, atol=1e-5)
    for key in ("subsequent_mask", "decoded", "printed", "n_params"):
        assert np.array_equal(ours[key], theirs[key]), key


# --- U-Net ---


@pytest.mark.parametrize("n_classes, bilinear", [(1, False), (3, True)])
def test_unet_pads_concatenates_trains_and_predicts(tmp_path, n_classes, bilinear):
    autograd.manual_seed(0)
    out = scripts.unet(
        *OURS, no_sync, n_classes=n_classes, bilinear=bilinear, size=36, workdir=str(tmp_path)
    )
    assert out["shape"] == (2, n_classes, 36, 36)  # 36 -> 18 -> 9 -> 4 -> 2, padded 8 -> 9
    assert sorted(p.name for p in (tmp_path / "checkpoints").iterdir()) == [
        "checkpoint_epoch1.pth",
        "checkpoint_epoch2.pth",
    ]
    if n_classes == 1:
        assert out["mask_values"] == [0, 1] and out["result"].dtype == bool
        np.testing.assert_array_equal(out["predicted"], out["logits"][0, 0] > 0)
    else:
        assert out["mask_values"] == [[0, 0, 0], [128, 128, 128], [255, 255, 255]]
        assert out["result"].dtype == np.uint8 and out["result"].shape == (35, 35, 3)
    assert out["predicted"].shape == (35, 35) and out["predicted"].dtype == np.int64
    assert out["losses"][-1] < out["losses"][0]
    assert all(0 <= d <= 1 for d in out["dice"]) and out["lr"] == [1e-3, 1e-3]
    assert all(n > 0 for n in out["norms"])


@pytest.mark.parametrize("n_classes, bilinear", [(1, False), (3, True)])
def test_unet_matches_torch(tmp_path, n_classes, bilinear):
    def run(L, sync):
        d = tmp_path / L[0].__name__
        return scripts.unet(
            *L, sync, n_classes=n_classes, bilinear=bilinear, size=36, workdir=str(d)
        )

    ours, theirs = both(run)
    # RMSprop (momentum 0.999, eps 1e-8) turns float32 rounding in small gradients into
    # whole steps: four steps apart by ~1e-3 here (computed in float64 both agree to 1e-10)
    close(ours["logits"], theirs["logits"], rtol=1e-2, atol=5e-3)
    for key in ("mask_values", "predicted", "result"):
        assert np.array_equal(ours[key], theirs[key]), key
    close_lists(ours["grad0"], theirs["grad0"], rtol=1e-3, atol=1e-5)
    close(ours["losses"], theirs["losses"], rtol=1e-3)
    close(ours["norms"], theirs["norms"], rtol=3e-3)
    close(ours["dice"], theirs["dice"], rtol=1e-5)
    for key in ("lr", "shape", "n_params"):
        assert ours[key] == theirs[key], key


# --- TextCNN ---


@pytest.mark.filterwarnings("ignore:size_average and reduce args will be deprecated")  # torch's
def test_textcnn_trains_both_formulations():
    autograd.manual_seed(0)
    out = scripts.textcnn(*OURS, no_sync)
    assert all(round(a * 6 / 100, 4) % 1 == 0 for a in out["acc"] + out["acc1d"])
    # corrects = (... .data == target.data).sum(): a reduction of .data to one number is a
    # numpy scalar (numpy's meaning), so the accuracy is a numpy float where PyTorch's is a 0-d
    # tensor (same value)
    assert out["acc_type"] == "float64"
    assert not out["embedding_moved_True"] and out["embedding_moved_False"]  # freeze=
    # from_pretrained(t) shares t's memory, as in PyTorch: training writes through to t
    assert out["pretrained_is_weight_True"] and out["pretrained_is_weight_False"]
    np.testing.assert_array_equal(out["padding_row"], 0)
    assert out["scratch_shape"] == (6, 2)
    assert re.fullmatch(
        r"\nEvaluation - loss: \d\.\d{6}  acc: \d+\.\d{4}%\(\d/6\) \n", out["eval_line"]
    )
    assert out["predicted"] in ("negative", "positive")
    assert all(np.isfinite(out["losses"] + out["losses1d"]))


def test_textcnn_matches_torch():
    ours, theirs = both(lambda L, sync: scripts.textcnn(*L, no_dropout(sync)))
    close_lists(ours["grad0"], theirs["grad0"], rtol=1e-4, atol=1e-6)
    for key in ("losses", "acc", "losses1d", "acc1d"):
        close(ours[key], theirs[key], rtol=1e-4, atol=1e-5)
    assert theirs["acc_type"] == "Tensor"
    for key in (
        "embedding_moved_False",
        "pretrained_is_weight_False",
        "scratch_shape",
        "eval_line",
        "predicted",
    ):
        assert ours[key] == theirs[key], key


# --- word2vec ---


@pytest.mark.parametrize("optimizer_name", ["SparseAdam", "SGD"])
def test_word2vec_as_written_trains_and_saves_the_embedding(tmp_path, optimizer_name):
    """``nn.Embedding(..., sparse=True)`` and ``optim.SparseAdam`` train (dense gradients that
    record their rows); save_embedding's ``weight.cpu().data.numpy()`` runs as written."""
    out = scripts.word2vec(*OURS, no_sync, str(tmp_path), optimizer_name=optimizer_name)
    assert out["header"] == ["22", "8"] and len(out["vocab"]) == 22
    assert all(np.isfinite(out["losses"]))
    assert np.isfinite(out["u"]).all() and np.abs(out["v"]).max() > 0


@pytest.mark.parametrize("optimizer_name", ["SparseAdam", "SGD"])
def test_word2vec_sparse_matches_torch(tmp_path, optimizer_name):
    """The source's sparse=True embeddings with SparseAdam (or SGD), here and in PyTorch: the
    same losses and tables, both as written."""

    def run(L, sync):
        d = tmp_path / L[0].__name__
        d.mkdir()
        return scripts.word2vec(*L, sync, str(d), optimizer_name=optimizer_name)

    ours, theirs = both(run)
    close(ours["losses"], theirs["losses"], rtol=1e-5)
    close(ours["u"], theirs["u"], rtol=1e-4, atol=1e-6)
    close(ours["v"], theirs["v"], rtol=1e-4, atol=1e-6)
    for key in ("header", "vocab", "negatives"):
        assert ours[key] == theirs[key], key


def test_word2vec_dense_sgd_trains(tmp_path):
    out = scripts.word2vec(*OURS, no_sync, str(tmp_path), sparse=False, optimizer_name="SGD")
    # v starts at zero: every score is 0, so the first loss is -log sigmoid(0) * (1 + 5)
    assert out["losses"][0] == pytest.approx(6 * math.log(2), rel=1e-6)
    assert out["header"] == ["22", "8"] and len(out["vocab"]) == 22
    assert np.abs(out["u"]).max() <= 1 / 8 + 1e-3 and np.abs(out["v"]).max() > 0
    assert sorted(set(out["negatives"])) == sorted(set(out["negatives"]) & set(range(22)))


def test_word2vec_dense_sgd_matches_torch_sparse_sgd(tmp_path):
    """PyTorch with the source's sparse=True and SGD; ours dense: the same numbers (plain SGD
    leaves rows without gradient alone either way)."""

    def run(L, sync):
        d = tmp_path / L[0].__name__
        d.mkdir()
        ours = L[0] is autograd
        return scripts.word2vec(*L, sync, str(d), sparse=not ours, optimizer_name="SGD")

    ours, theirs = both(run)
    close(ours["losses"], theirs["losses"], rtol=1e-5)
    close(ours["u"], theirs["u"], rtol=1e-5, atol=1e-6)
    close(ours["v"], theirs["v"], rtol=1e-4, atol=1e-6)
    for key in ("header", "vocab", "negatives"):
        assert ours[key] == theirs[key], key


# --- ViT ---


def test_vit_patches_cls_token_and_trains():
    autograd.manual_seed(0)
    out = scripts.vit(*OURS, no_sync)
    assert out["trunc_in_range"]
    names = out["param_names"]
    assert names[:2] == ["cls_token", "pos_embed"]
    assert "encoder.layers.1.self_attn.in_proj_weight" in names and names[-1] == "head.bias"
    e, n = 16, 16 + 1
    per_layer = 3 * e * e + 3 * e + e * e + e + 2 * e * 32 + 32 + e + 4 * e
    assert out["n_params"] == e + n * e + 3 * 16 * e + e + 2 * per_layer + 2 * e + 10 * e + 10
    assert out["losses"][-1] < out["losses"][0]
    assert out["lrs"] == pytest.approx([3e-3, 3e-3, 0.0])
    assert 0 <= out["acc"] <= 1


def test_vit_matches_torch():
    ours, theirs = both(lambda L, sync: scripts.vit(*L, no_dropout(sync)))
    close_lists(ours["grad0"], theirs["grad0"], rtol=1e-3, atol=1e-6)
    for key in ("losses", "eval_logits"):
        close(ours[key], theirs[key], rtol=1e-4, atol=1e-5)
    for key in ("lrs", "n_params", "param_names", "acc"):
        assert ours[key] == theirs[key], key


# --- CycleGAN ---


@pytest.mark.parametrize("norm", ["instance", "batch"])
def test_cyclegan_shapes_schedule_and_frozen_discriminators(norm):
    autograd.manual_seed(0)
    out = scripts.cyclegan(*OURS, no_sync, steps=3, norm=norm)
    assert out["D_grad_none"]  # set_requires_grad(False) during the generators' backward
    # lambda_rule with n_epochs=1, n_epochs_decay=2: 1, 2/3, 1/3, 0 of the initial 2e-4
    np.testing.assert_allclose(out["lr"], 2e-4 * np.array([[3, 2], [2, 1], [1, 0]]) / 3)
    assert out["fake_shape"] == (1, 3, 16, 16) and np.abs(out["fake_B"]).max() <= 1
    assert out["pred_shape"] == (1, 1, 2, 2)  # PatchGAN: 16 -> 8 -> 4 -> 3 -> 2
    assert out["n_params_G_opt"] == 2 * out["n_G"]  # itertools.chain of both generators
    assert all(np.isfinite(out["loss_G"] + out["loss_D_A"] + out["loss_D_B"]))


@pytest.mark.parametrize("norm", ["instance", "batch"])
def test_cyclegan_matches_torch(norm):
    ours, theirs = both(lambda L, sync: scripts.cyclegan(*L, sync, steps=3, norm=norm))
    close_lists(ours["grad0"], theirs["grad0"], rtol=1e-3, atol=1e-6)
    for key in ("loss_G", "loss_D_A", "loss_D_B", "loss_cycle_A", "fake_B", "lr"):
        close(ours[key], theirs[key], rtol=1e-4, atol=1e-5)
    for key in ("D_grad_none", "fake_shape", "pred_shape", "n_G", "n_params_G_opt"):
        assert ours[key] == theirs[key], key
