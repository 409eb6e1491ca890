"""Zero to Mastery's "Learn PyTorch for Deep Learning" notebooks 00-04 run with our packages
under torch's names: what each notebook shows holds without PyTorch (values, shapes, dtypes,
printed lines, it learns), and, when PyTorch is installed, PyTorch's numbers and lines from its
initial weights (the shuffles made by numpy and shared)."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pytest

import autograd
import nn
import nn.utils.data as data
import optim

from . import ztm_scripts as scripts
from .test_course_scripts import both, close, no_sync
from .test_lippe_scripts import shared_permutations
from .test_model_scripts import (  # noqa: F401 (one_torch_thread: an autouse fixture)
    close_lists,
    one_torch_thread,
)


def renamed(value: Any) -> Any:
    """PyTorch's printed names under the porting rule's rename (``torch.Size`` is
    ``autograd.Size``); dtypes print as numpy's (API.md), so ``torch.float32`` is ``float32``."""
    if isinstance(value, str):
        return re.sub(r"torch\.(?=(float|int|uint|bool|half|double|long))", "", value).replace(
            "torch.", "autograd."
        )
    if isinstance(value, (list, tuple)):
        return type(value)(renamed(v) for v in value)
    if isinstance(value, dict):
        return {k: renamed(v) for k, v in value.items()}
    return value


def number_pattern(line: str) -> str:
    """A printed line as a regex whose numbers match any number (to compare the text)."""
    return re.sub(r"-?\d+(\.\d+)?", "NUM", line)


def same_lines(ours: list, theirs: list, atol: float) -> None:
    """Printed lines with the same text and numbers within ``atol`` (a last printed digit may
    round the other way)."""
    assert [number_pattern(line) for line in ours] == [number_pattern(line) for line in theirs]
    for a, b in zip(ours, theirs):
        nums = [[float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", line)] for line in (a, b)]
        close(nums[0], nums[1], rtol=0, atol=atol)


# --- 00 fundamentals ---


def test_fundamentals_values_shapes_and_dtypes():
    out = scripts.fundamentals(autograd, nn)
    assert out["scalar"] == (0, 7, "tensor(7)")
    assert out["vector"] == (1, (2,))
    assert out["matrix"] == (2, [9, 10], "autograd.Size([2, 2])")
    assert out["random"] == ("float32", (3, 4)) and out["zeros_ones"][2] == 0
    assert out["arange"] == (list(range(10)), [0] * 10, "int64")
    assert out["dtypes"] == ("float32", "float16", "float32", "cpu")
    assert out["arithmetic"] == [
        [11, 12, 13], [10, 20, 30], [-9, -8, -7], [10, 20, 30], [10, 20, 30], [11, 12, 13],
        [1, 4, 9], 14, 14,
    ]  # fmt: skip
    assert out["loop_matmul"] == 14
    assert "(3, 2)" in out["matmul_error"]  # the shapes that cannot be multiplied
    assert out["transposed"][1] == [[27, 30, 33], [61, 68, 75], [95, 106, 117]]
    assert out["linear"] == ((3, 2), (3, 6), True)
    assert out["aggregation"] == [0, 90, 45.0, 450, 90, 0, 45.0, 450, 9, 0]
    assert out["mean_int_error"] is not None  # mean of int64 refuses, as PyTorch's
    assert out["types"][1:3] == ("float16", "int8") and out["types"][3] == list(range(10, 100, 10))
    r = out["reshaping"]
    assert r["x"][0] == 5 and r["z"] == [r["x"]]  # view shares memory with x
    assert r["stacked"] == (4, 7) and r["stacked_dim1"] == (7, 2)
    assert (r["squeezed"], r["unsqueezed"], r["permuted"]) == ((7,), (1, 7), (3, 224, 224))
    assert r["permuted_shares"] == 728218  # permute is a view
    assert out["indexing"] == [
        [[1, 2, 3], [4, 5, 6], [7, 8, 9]], [1, 2, 3], 1, [[1, 2, 3]], [[2, 5, 8]], [5],
        [1, 2, 3], 9, [[3, 6, 9]],
    ]  # fmt: skip
    assert out["from_numpy"] == ("float64", [1.0, 2, 3, 4, 5, 6, 7], [2.0, 3, 4, 5, 6, 7, 8])
    assert out["to_numpy"] == ("float32", [1.0] * 7, [2.0] * 7)
    assert out["seeded_equal"] == [[True] * 4] * 3 and not out["unseeded_equal"]
    assert out["device"] == ("cpu", 0, "cpu", [1, 2, 3])
    assert out["exercise"] == ((7, 1), True) and out["squeeze_exercise"] == ((1, 1, 1, 10), (10,))
    assert out["range"] == ([float(i) for i in range(11)], "float32")  # torch.range: end included
    assert out["printed"][0] == (
        "tensor([[ 27.,  30.,  33.],\n        [ 61.,  68.,  75.],\n        [ 95., 106., 117.]])"
    )
    assert out["printed"][-1].endswith("grad_fn=<MulBackward0>)")


def test_fundamentals_match_torch():
    ours, theirs = both(lambda L, sync: scripts.fundamentals(L[0], L[1]))
    for key in theirs:
        if key == "printed":  # the printed tensors: PyTorch's text under the rename
            assert ours[key] == [t.replace("torch.", "autograd.") for t in theirs[key]]
        elif key in ("matmul_error", "mean_int_error"):
            assert (ours[key] is None) == (theirs[key] is None), key
        else:
            assert ours[key] == renamed(theirs[key]), key


# --- 01 workflow ---


def test_workflow_fits_the_line_and_reloads(tmp_path):
    out = scripts.workflow(autograd, nn, optim, no_sync, str(tmp_path))
    assert out["shapes"] == ((50, 1), 40, 10) and out["n_params"] == 2
    assert out["state_keys"] == ["weights", "bias"]
    assert out["inference_flags"] == (False, True)
    assert np.all(np.diff(out["train_loss_values"]) < 0) and out["epoch_count"] == list(
        range(0, 100, 10)
    )
    assert out["printed"][0].startswith("Epoch: 0 | MAE Train Loss: ")
    # the loss prints as its number, as a 0-d tensor's format does
    loss = float(out["printed"][0].split("MAE Train Loss: ")[1].split(" |")[0])
    assert loss == pytest.approx(float(out["train_loss_values"][0]))
    assert out["reloaded_equal"] == [[True]] * 10 and out["file_exists"]
    assert out["before_device"] == "cpu"
    w, b = out["v2_state"]["linear_layer.weight"][0][0], out["v2_state"]["linear_layer.bias"][0]
    assert w == pytest.approx(0.7, abs=0.03) and b == pytest.approx(0.3, abs=0.03)
    assert out["linear_repr"] == (
        "LinearRegressionModelV2(\n  (linear_layer): "
        "Linear(in_features=1, out_features=1, bias=True)\n)"
    )


def test_workflow_matches_torch(tmp_path):
    ours, theirs = both(
        lambda L, sync: scripts.workflow(L[0], L[1], L[3], sync, str(tmp_path / L[0].__name__))
    )
    for key in ("untrained", "train_loss_values", "test_loss_values", "v2_losses"):
        close(ours[key], theirs[key], rtol=1e-5, atol=1e-6)
    for key in ("learned", "v2_state"):
        for name in theirs[key]:
            close(ours[key][name], theirs[key][name], rtol=1e-5, atol=1e-6)
    assert ours["printed_tensors"] == theirs["printed_tensors"]
    for key in (
        "shapes",
        "n_params",
        "state_keys",
        "inference_flags",
        "epoch_count",
        "reloaded_equal",
        "linear_repr",
    ):
        assert ours[key] == theirs[key], key
    assert [number_pattern(line) for line in ours["printed"]] == [
        number_pattern(line) for line in theirs["printed"]
    ]


# --- 02 classification ---


def test_classification_circles_need_relu_and_blobs_separate():
    out = scripts.classification(autograd, nn, optim, no_sync)
    assert out["dtypes"] == ("float32", "float32", "int64")
    assert out["untrained_shape"] == (200, 1) and out["same"] == [True] * 5
    # the notebook's printed predictions name the nodes PyTorch records
    printed = out["printed_tensors"]
    assert printed[3].endswith("grad_fn=<SliceBackward0>)") and printed[4].endswith(
        "grad_fn=<SliceBackward0>)"
    )
    assert printed[5].endswith("grad_fn=<SigmoidBackward0>)")
    assert printed[6].endswith("grad_fn=<SqueezeBackward0>)")
    assert 35 <= out["acc_0"] <= 65  # a straight line cannot separate circles
    assert out["acc_3"] > 75  # the ReLU model can
    assert set(np.unique(out["y_preds"])) <= {0.0, 1.0}
    assert out["relu"] == [0.0] * 11 + list(range(1, 10)) and out["relu_dtype"] == "float32"
    close(out["sigmoid"], 1 / (1 + np.exp(-np.arange(-10, 10))), rtol=1e-6)
    assert out["first_sum"] == pytest.approx(1) and 0 <= out["first_argmax"] < 4
    assert out["blob_acc"] >= 95
    xx, yy, grid = out["boundary_circles"]
    assert xx.shape == yy.shape == grid.shape == (101, 101) and set(np.unique(grid)) <= {0, 1}
    # the ReLU model predicts the inner circle (1) at the centre, the outer (0) at a corner
    assert grid[50, 50] == 1 and grid[0, 0] == 0
    assert set(np.unique(out["boundary_blobs"][2])) <= {0, 1, 2, 3}
    assert re.fullmatch(
        r"Epoch: 0 \| Loss: \d\.\d{5}, Accuracy: \d+\.\d{2}% \| "
        r"Test loss: \d\.\d{5}, Test acc: \d+\.\d{2}%",
        out["printed_0"][0],
    )


def test_classification_matches_torch():
    ours, theirs = both(lambda L, sync: scripts.classification(L[0], L[1], L[3], sync))
    assert ours["printed_tensors"] == theirs["printed_tensors"]
    for key in ("dtypes", "untrained_shape", "same", "relu", "first_argmax"):
        assert ours[key] == renamed(theirs[key]), key
    for key in ("printed_0", "printed_3", "blob_printed"):
        assert ours[key] == theirs[key], key
    for key in ("acc_0", "acc_3", "blob_acc", "y_preds", "first_sum"):
        close(ours[key], theirs[key], rtol=1e-6)
    close(ours["sigmoid"], theirs["sigmoid"], rtol=1e-6)
    for key in ("boundary_circles", "boundary_blobs"):
        close_lists(list(ours[key][:2]), list(theirs[key][:2]), rtol=1e-6, atol=1e-6)
        # the same class everywhere but possibly at a grid point on the boundary itself
        assert (ours[key][2] != theirs[key][2]).sum() <= 2


# --- 03 computer vision ---


def test_computer_vision_loops_convs_and_predictions(tmp_path):
    autograd.manual_seed(0)
    out = scripts.computer_vision(autograd, nn, optim, data, no_sync, str(tmp_path))
    assert out["image"][:1] == ((1, 28, 28),) and out["loaders"] == (3, 1)
    assert out["batch"] == ((32, 1, 28, 28), (32,), "int64") and out["flatten"] == (
        (1, 28, 28),
        (1, 784),
    )
    assert out["printed_0"][:3] == [
        "Epoch: 0\n-------",
        "Looked at 0/96 samples",
        "Looked at 64/96 samples",
    ]
    # train_loss summed the batches' graphs and was divided in place: it keeps a history
    assert out["train_loss_grad_fn"] == "DivBackward0"
    for key in ("model_0_results", "model_1_results", "model_2_results"):
        assert 0 <= out[key]["model_acc"] <= 100 and np.isfinite(out[key]["model_loss"])
    assert out["model_2_results"]["model_name"] == "FashionMNISTModelV2"
    losses = [
        float(re.search(r"Train loss: (\d\.\d+)", line)[1]) for line in out["printed_1"][1::3]
    ]
    assert losses[1] < losses[0]
    c = out["conv"]
    assert c["unbatched"] == (10, 62, 62) and c["unbatched_equal"]
    assert c["conv_2"] == (1, 10, 30, 30) and c["conv_2_params"] == ((10, 3, 5, 5), (10,))
    assert c["pooled"] == ((1, 10, 62, 62), (1, 10, 31, 31)) and c["max_pool"][1] == (1, 1, 1, 1)
    assert c["max_pool"][0] == pytest.approx(0.3367)
    probs, classes, labels, names = out["predictions"]
    close(probs.sum(1), 1, rtol=1e-6)
    assert classes == probs.argmax(1).tolist() and len(labels) == 9 and len(names) == 9
    assert len(out["y_pred_tensor"]) == 32 and out["reloaded_close"]


def test_computer_vision_matches_torch(tmp_path, monkeypatch):
    shared_permutations(monkeypatch)
    ours, theirs = both(
        lambda L, sync: scripts.computer_vision(
            L[0], L[1], L[3], L[4], sync, str(tmp_path / L[0].__name__)
        )
    )
    for key in (
        "image",
        "loaders",
        "batch",
        "flatten",
        "train_loss_grad_fn",
        "reloaded_close",
        "y_pred_tensor",
    ):
        assert ours[key] == renamed(theirs[key]), key
    for key in ("printed_0", "printed_1", "printed_2"):
        same_lines(ours[key], theirs[key], atol=2e-5)
    for key in ("model_0_results", "model_1_results", "model_2_results"):
        assert ours[key]["model_acc"] == theirs[key]["model_acc"]
        close(ours[key]["model_loss"], theirs[key]["model_loss"], rtol=1e-5)
    for key, value in theirs["conv"].items():
        if key not in ("max_pool",):
            assert ours["conv"][key] == value, key
    close(ours["conv"]["max_pool"][0], theirs["conv"]["max_pool"][0], rtol=1e-7)
    close(ours["predictions"][0], theirs["predictions"][0], rtol=1e-4, atol=1e-6)
    assert ours["predictions"][1:] == theirs["predictions"][1:]


# --- 04 custom datasets ---


def test_custom_datasets_folder_dataset_and_training(tmp_path):
    autograd.manual_seed(0)
    out = scripts.custom_datasets(autograd, nn, optim, data, no_sync, str(tmp_path))
    assert "There are 2 directories and 0 images in '<root>'." in out["walked"]
    assert out["random_image"][1:] == ((20, 20, 3), "uint8")
    assert out["classes"] == (
        ["pizza", "steak", "sushi"],
        {"pizza": 0, "steak": 1, "sushi": 2},
        12,
        6,
    )
    assert out["item"] == ((3, 16, 16), 0, (16, 16, 3), "float32")
    assert out["batch"] == ((4, 3, 16, 16), "list", "int64")
    assert out["no_classes"] == "Couldn't find any classes in <root>/train/pizza."
    shape, logits, probs, label, name = out["single"]
    assert (
        shape == (1, 3, 16, 16)
        and probs.sum() == pytest.approx(1)
        and label == [int(logits.argmax())]
    )
    assert name == "pizza"  # the first test image's class, by sorted folder
    results = out["results"]
    assert results["train_loss"][-1] < results["train_loss"][0]
    assert all(0 <= a <= 1 for a in results["train_acc"] + results["test_acc"])
    assert len(out["printed"]) == 5 and out["printed"][0].startswith("Epoch: 1 | train_loss: ")
    assert out["custom"][:3] == ("uint8", (3, 24, 24), (3, 16, 16))
    assert out["custom"][4] in ("pizza", "steak", "sushi")


def test_custom_datasets_match_torch(tmp_path, monkeypatch):
    shared_permutations(monkeypatch)
    ours, theirs = both(
        lambda L, sync: scripts.custom_datasets(
            L[0], L[1], L[3], L[4], sync, str(tmp_path / L[0].__name__)
        )
    )
    for key in ("walked", "random_image", "classes", "item", "batch", "no_classes", "printed"):
        assert ours[key] == renamed(theirs[key]), key
    close_lists(list(ours["single"][1:3]), list(theirs["single"][1:3]), rtol=1e-4, atol=1e-6)
    assert ours["single"][3:] == theirs["single"][3:]
    for key in theirs["results"]:
        close(ours["results"][key], theirs["results"][key], rtol=1e-4, atol=1e-6)
    assert (
        ours["custom"][:3] == renamed(theirs["custom"][:3])
        and ours["custom"][4] == theirs["custom"][4]
    )
    close(ours["custom"][3], theirs["custom"][3], rtol=1e-4, atol=1e-6)
