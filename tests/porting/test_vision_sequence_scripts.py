"""ConvNeXt, EfficientNet / ShuffleNet v2 / ResNeXt / MobileNetV2 blocks, YOLOv3's head,
segmentation (U-Net, FCN, DeepLab ASPP, Dice, ignore_index), Transformer-XL, Linformer,
Performer, RWKV-v4 and RetNet code run with our packages under torch's names: properties that
hold without PyTorch, and, when PyTorch is installed, PyTorch's numbers given its initial
weights."""

from __future__ import annotations

import math

import numpy as np
import pytest

import autograd
import nn
import nn.functional as F

from . import vision_sequence_scripts as scripts
from .test_course_scripts import Recorder, no_sync, torch_libs

OURS = (autograd, nn, F)


def both(script, **kwargs) -> tuple[dict, dict]:
    """The script with PyTorch (recording its initial weights) and with ours (replaying)."""
    torch, tnn, tF, _, _ = torch_libs()
    rec = Recorder()
    torch.manual_seed(0)
    theirs = script(torch, tnn, tF, rec.record, **kwargs)
    autograd.manual_seed(0)
    ours = script(autograd, nn, F, rec.replay, **kwargs)
    return ours, theirs


def same(ours: dict, theirs: dict, skip: tuple = (), rtol: float = 1e-4, atol: float = 1e-5):
    assert set(ours) == set(theirs)
    for key in sorted(set(theirs) - set(skip)):
        a, b = ours[key], theirs[key]
        if isinstance(b, str) or (isinstance(b, (list, tuple)) and b and isinstance(b[0], str)):
            assert a == b, key
        elif isinstance(b, (list, tuple)) and b and isinstance(b[0], np.ndarray):
            for x, y in zip(a, b, strict=True):
                np.testing.assert_allclose(x, y, rtol=rtol, atol=atol, err_msg=key)
        else:
            np.testing.assert_allclose(
                np.asarray(a, dtype=float),
                np.asarray(b, dtype=float),
                rtol=rtol,
                atol=atol,
                err_msg=key,
            )


def run_ours(script, **kwargs) -> dict:
    autograd.manual_seed(0)
    return script(*OURS, no_sync, **kwargs)


# --- ConvNeXt ---


def test_convnext_block_properties():
    out = run_ours(scripts.convnext_block)
    assert out["dw_shape"] == (8, 1, 7, 7) and out["gamma_requires_grad"]
    assert out["biases_zero"] and all(0.012 < s < 0.028 for s in out["linear_stds"][:-1])
    # the channels_first LayerNorm written by hand is F.layer_norm over the channels
    np.testing.assert_allclose(out["ln_cf"], out["ln_cf_ref"], atol=1e-5)
    # DropPath keeps (scaled by 1 / keep_prob) or drops whole samples
    per_sample = out["branch"].reshape(6, -1)
    assert all(np.all(r == 0) or np.allclose(r, 2.0) for r in per_sample)
    assert np.isfinite(out["loss"]) and np.abs(out["gamma_grad"]).sum() > 0


def test_convnext_block_matches_torch():
    ours, theirs = both(scripts.convnext_block)
    same(ours, theirs, skip=("branch", "linear_stds"))


# --- EfficientNet MBConv, ShuffleNet v2, ResNeXt, MobileNetV2 ---


def test_efficient_blocks_properties():
    out = run_ours(scripts.efficient_blocks)
    assert out["mb"].shape == (2, 4, 6, 6) and out["down"].shape == (2, 6, 3, 3)
    assert out["grouped_shape"] == (8, 2, 3, 3)
    np.testing.assert_array_equal(out["shuffled"], [0, 4, 1, 5, 2, 6, 3, 7])
    per_sample = out["dropped"].reshape(64, -1)
    kept = [np.allclose(r, 1 / 0.75) for r in per_sample]
    assert all(k or np.all(r == 0) for k, r in zip(kept, per_sample)) and 0 < sum(kept) < 64
    assert np.isfinite(out["xgrad"]).all() and np.abs(out["se_grad"]).sum() > 0
    assert np.abs(out["running_mean"]).sum() > 0


def test_efficient_blocks_match_torch():
    ours, theirs = both(scripts.efficient_blocks)
    same(ours, theirs, skip=("dropped",), rtol=1e-3, atol=1e-5)


# --- YOLOv3 ---


def _iou(a, b):  # YOLOv3's bbox_iou (x1y1x2y2, +1 pixel convention)
    w = np.clip(np.minimum(a[2], b[2]) - np.maximum(a[0], b[0]) + 1, 0, None)
    h = np.clip(np.minimum(a[3], b[3]) - np.maximum(a[1], b[1]) + 1, 0, None)
    area = lambda r: (r[2] - r[0] + 1) * (r[3] - r[1] + 1)  # noqa: E731
    return w * h / (area(a) + area(b) - w * h + 1e-16)


def test_yolov3_head_properties():
    out = run_ours(scripts.yolov3_head)
    assert out["output"].shape == (2, 48, 8) and np.isfinite(out["loss"])
    assert out["mask_dtype"] == "bool" and out["grid_dtype"] == "float32"
    obj, noobj = out["obj_mask"], out["noobj_mask"]
    assert obj.sum() == 3 and not np.any(obj & noobj)
    g = np.arange(4)
    np.testing.assert_array_equal(out["grid_x"][0, 0], np.tile(g, (4, 1)))
    np.testing.assert_array_equal(out["grid_y"][0, 0], np.tile(g, (4, 1)).T)
    np.testing.assert_allclose(out["anchor_w"].ravel(), np.array([10, 16, 33]) / 8)
    det = out["detections"]
    assert det.shape[1] == 8 and set(det[:, 0]) <= {0.0, 1.0}
    for b in (0, 1):  # NMS leaves no overlapping pair of one class in one image
        for c in set(det[det[:, 0] == b, -1]):
            rows = det[(det[:, 0] == b) & (det[:, -1] == c), 1:5]
            for i in range(len(rows)):
                for j in range(i + 1, len(rows)):
                    assert _iou(rows[i], rows[j]) < 0.3
    np.testing.assert_allclose(out["sorted"][0], [0.9, 0.7, 0.5, 0.2])
    np.testing.assert_array_equal(out["sorted"][1], [1, 3, 2, 0])


def test_yolov3_byte_masks_select_as_bool_masks():
    bool_run = run_ours(scripts.yolov3_head)
    with pytest.warns(UserWarning, match="indexing with dtype torch.uint8 is now deprecated"):
        byte_run = run_ours(scripts.yolov3_head, byte_masks=True)
    assert byte_run["mask_dtype"] == "uint8"
    assert byte_run["loss"] == pytest.approx(bool_run["loss"], rel=1e-6)
    np.testing.assert_allclose(byte_run["w_grad"], bool_run["w_grad"], rtol=1e-6)


@pytest.mark.parametrize("byte_masks", [False, True])
@pytest.mark.filterwarnings("ignore:indexing with dtype torch.uint8")
def test_yolov3_head_matches_torch(byte_masks):
    ours, theirs = both(scripts.yolov3_head, byte_masks=byte_masks)
    same(ours, theirs, rtol=1e-4, atol=1e-5)


def test_yolov3_ultralytics_properties():
    out = run_ours(scripts.yolov3_ultralytics)
    p, inf = out["p"].astype(float), out["inference"].reshape(2, 3, 4, 5, 7)
    sig = lambda z: 1 / (1 + np.exp(-z))  # noqa: E731
    anchors = np.array([[1.0, 1.5], [2.0, 2.0], [0.5, 1.0]]).reshape(1, 3, 1, 1, 2)
    np.testing.assert_allclose(inf[..., :2], (sig(p[..., :2]) + out["grid"]) * 8, rtol=1e-5)
    np.testing.assert_allclose(inf[..., 2:4], np.exp(p[..., 2:4]) * anchors * 8, rtol=1e-5)
    np.testing.assert_allclose(inf[..., 4:], sig(p[..., 4:]), rtol=1e-5)
    b, a, gj, gi = out["indices"]
    assert np.all((0 <= gj) & (gj < 4)) and np.all((0 <= gi) & (gi < 5))
    assert np.all((-1 <= out["giou"]) & (out["giou"] <= 1)) and np.isfinite(out["loss"])
    hit = np.zeros((2, 3, 4, 5), bool)
    hit[b, a, gj, gi] = True
    assert np.all(out["tobj"][~hit] == 0)
    for det in out["dets"]:  # kept by score (conf x class conf), confident, a known class
        assert np.all(det[:, 4] >= 0.3) and set(det[:, 6]) <= {0.0, 1.0}
        assert np.all(np.diff(det[:, 4] * det[:, 5]) <= 1e-7)
    assert sum(len(d) for d in out["dets"]) > 0


def test_yolov3_ultralytics_matches_torch():
    ours, theirs = both(scripts.yolov3_ultralytics)
    same(ours, theirs, rtol=1e-4, atol=1e-4)


# --- segmentation ---


def test_segmentation_properties():
    with pytest.warns(UserWarning, match="nn.functional.upsample. is deprecated"):
        out = run_ours(scripts.segmentation)
    assert out["logits"].shape == (2, 4, 9, 9) and out["aux"].shape == (2, 4, 9, 9)
    ignored = out["target"] == 255
    assert np.all(out["ce_none"][ignored] == 0) and np.all(out["ce_none"][~ignored] > 0)
    assert out["dilations"] == [(6, 6), (12, 12), (18, 18)]
    assert out["pool_type"] == "AdaptiveAvgPool2d" and out["intersection"].shape == (2, 4)
    hist = out["hist"]
    assert hist.sum() == (~ignored).sum()
    correct = (out["pred"] == out["target"])[~ignored].mean()
    assert hist.trace() / hist.sum() == pytest.approx(correct)
    assert out["pixel_acc"] == pytest.approx(correct, rel=1e-6)
    assert 0 <= out["miou"] <= 1 and 0 <= out["dice"] <= 1 and 0 <= out["soft_dice"] <= 1
    assert np.isfinite(out["xgrad"]).all() and np.abs(out["aspp_grad"]).sum() > 0
    # PSPNet's pyramid: ReLU output, and upsample_bilinear keeps the corners (align_corners)
    assert out["psp"].shape == (2, 8, 9, 9) and out["psp"].min() >= 0
    corners = (slice(None), slice(None), [0, 0, -1, -1], [0, -1, 0, -1])
    np.testing.assert_allclose(out["psp_up"][corners], out["psp"][corners], rtol=1e-6)


@pytest.mark.filterwarnings("ignore:`nn.functional.upsample")
def test_segmentation_matches_torch():
    ours, theirs = both(scripts.segmentation)
    same(ours, theirs, rtol=1e-4, atol=1e-5)


# --- Transformer-XL ---


def test_transformer_xl_properties():
    out = run_ours(scripts.transformer_xl)
    q, k = out["shifted"].shape
    for i in range(q):  # row i moves left by q - 1 - i: relative distances line up
        for j in range(k):
            if j <= i + k - q:
                assert out["shifted"][i, j] == i * k + j + q - 1 - i
    p, mlen = out["attn_prob"], k - q
    for i in range(q):
        assert np.all(p[i, i + mlen + 1 :] == 0)
    np.testing.assert_allclose(p.sum(1), 1.0, rtol=1e-5)
    pos = np.arange(k - 1, -1, -1.0)[:, None] / 10000 ** (np.arange(0, 8, 2) / 8)
    np.testing.assert_allclose(
        out["pos_emb"][:, 0], np.hstack([np.sin(pos), np.cos(pos)]), atol=1e-6
    )
    assert out["mem_shapes"] == [(5, 2, 8), (5, 2, 8)]
    np.testing.assert_allclose(out["last_mem"][1:], out["segments"][1])
    np.testing.assert_allclose(out["last_mem"][0], out["segments"][0][-1])


def test_transformer_xl_matches_torch():
    ours, theirs = both(scripts.transformer_xl)
    same(ours, theirs, rtol=1e-4, atol=1e-5)


def test_transformer_xl_adaptive_softmax_properties():
    out = run_ours(scripts.transformer_xl_adaptive_softmax)
    assert out["proj_types"] == ["NoneType"] * 3  # d_proj == d_embed: no projections
    np.testing.assert_allclose(np.exp(-out["every"]).sum(), 1.0, rtol=1e-5)
    # without keep_order the nll comes cluster by cluster: the same values, reordered
    np.testing.assert_allclose(np.sort(out["nll"]), np.sort(out["nll_ordered"]), rtol=1e-6)
    target = np.array([3, 8, 5, 0, 9, 1, 7, 2])
    order = np.concatenate([np.flatnonzero((target >= a) & (target < b)) for a, b in
                            ((0, 4), (4, 7), (7, 10))])  # fmt: skip
    np.testing.assert_allclose(out["nll"], out["nll_ordered"][order], rtol=1e-6)
    assert np.abs(out["cluster_grad"]).sum() > 0 and np.abs(out["emb_proj_grad"]).sum() > 0


def test_transformer_xl_adaptive_softmax_matches_torch():
    ours, theirs = both(scripts.transformer_xl_adaptive_softmax)
    same(ours, theirs, rtol=1e-4, atol=1e-5)


# --- Linformer ---


def test_linformer_properties():
    out = run_ours(scripts.linformer)
    assert out["shapes"] == ((2, 6, 8), (2, 6, 4))
    assert out["proj_bound"] <= 1 / math.sqrt(3)
    assert np.isfinite(out["xgrad"]).all() and np.abs(out["proj_k_grad"]).sum() > 0


def test_linformer_matches_torch():
    ours, theirs = both(scripts.linformer)
    same(ours, theirs, skip=("proj_bound",), rtol=1e-4, atol=1e-6)


# --- Performer ---


def test_performer_properties():
    out = run_ours(scripts.performer, nb_features=2048)
    np.testing.assert_allclose(out["block_gram"], np.eye(4), atol=1e-5)
    assert out["projection_shape"] == (2048, 4)
    # FAVOR+ estimates softmax attention
    np.testing.assert_allclose(out["out"], out["exact"], atol=0.15)
    # the chunked causal form: position i attends keys 0..i
    qp, kp, v = out["qp"].astype(float), out["kp"].astype(float), out["v"].astype(float)
    scores = np.tril(qp @ np.swapaxes(kp, -1, -2))
    # (the chunked form adds its eps to every entry of the running key sum)
    want = scores @ v / (scores.sum(-1, keepdims=True) + 1e-6 * qp.sum(-1, keepdims=True))
    np.testing.assert_allclose(out["causal"], want, rtol=1e-3)
    np.testing.assert_allclose(out["causal"][..., -1, :], out["out"][..., -1, :], rtol=1e-3)


def test_performer_matches_torch():
    ours, theirs = both(scripts.performer)
    same(ours, theirs, rtol=1e-4, atol=1e-5)


# --- RWKV-v4 ---


def test_rwkv_v4_properties():
    out = run_ours(scripts.rwkv_v4)
    k, v, w, u = out["k"].astype(float), out["v"].astype(float), out["w"], out["u"]
    T = k.shape[1]
    want = np.empty_like(k)
    for t in range(T):  # WKV written out: past tokens decayed by exp(-(t-1-i) exp(w)), bonus u
        e = [np.exp(-(t - 1 - i) * np.exp(w) + k[:, i]) for i in range(t)]
        e.append(np.exp(u + k[:, t]))
        want[:, t] = sum(ei * v[:, i] for i, ei in enumerate(e)) / sum(e)
    np.testing.assert_allclose(out["wkv"], want, rtol=1e-6)
    np.testing.assert_array_equal(out["shifted"][0], [[0, 0], [0, 1], [2, 3]])
    h = np.arange(6)
    np.testing.assert_allclose(out["init_decay"], -5 + 8 * (h / 5) ** 2.0, rtol=1e-6)
    zigzag = ((h + 1) % 3 - 1) * 0.5
    np.testing.assert_allclose(out["init_first"], math.log(0.3) + zigzag, rtol=1e-6)
    np.testing.assert_allclose(out["init_mix_v"].ravel(), (h / 6) ** 0.5 + 0.3, rtol=1e-6)
    assert np.isfinite(out["xgrad"]).all() and np.abs(out["decay_grad"]).sum() > 0


def test_rwkv_v4_matches_torch():
    ours, theirs = both(scripts.rwkv_v4)
    same(ours, theirs, rtol=1e-4, atol=1e-6)


# --- RetNet ---


def test_retnet_properties():
    out = run_ours(scripts.retnet)
    np.testing.assert_allclose(out["parallel"], out["recurrent"], rtol=1e-10)
    gammas = 1 - 2.0 ** (-5 - np.arange(2))
    np.testing.assert_allclose(out["decay"], np.log(gammas), rtol=1e-6)
    i, j = np.arange(5)[:, None], np.arange(5)[None, :]
    D = np.where(i >= j, gammas[:, None, None] ** (i - j).astype(float), 0)
    np.testing.assert_allclose(out["D"], D, rtol=1e-12)
    mask = out["mask"]
    assert np.all(mask[:, i < j] == 0)
    np.testing.assert_allclose(mask.sum(-1), np.sqrt(D.sum(-1)), rtol=1e-5)
    assert np.isfinite(out["xgrad"]).all()


def test_retnet_matches_torch():
    ours, theirs = both(scripts.retnet)
    same(ours, theirs, rtol=1e-4, atol=1e-6)


# --- RWKV_in_150_lines: the RNN form run from a saved GPT-mode checkpoint ---


def test_rwkv_v4_rnn_mode_equals_gpt_mode(tmp_path):
    out = run_ours(scripts.rwkv_v4_rnn, path=str(tmp_path / "rwkv"))
    assert out["is_script_module"]
    np.testing.assert_allclose(out["rnn"], out["gpt"], rtol=1e-4, atol=1e-5)


def test_rwkv_v4_rnn_script_is_right_on_torch(tmp_path):
    """The script itself (what the test above runs on ours) is faithful: on PyTorch the RNN form
    gives the GPT form's logits token by token."""
    torch, tnn, tF, _, _ = torch_libs()
    torch.manual_seed(0)
    out = scripts.rwkv_v4_rnn(torch, tnn, tF, no_sync, path=str(tmp_path / "rwkv"))
    assert out["is_script_module"]
    np.testing.assert_allclose(out["rnn"], out["gpt"], rtol=1e-4, atol=1e-5)
