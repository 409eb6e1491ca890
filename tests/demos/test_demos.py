"""Smoke tests: every demo runs with small settings and writes its pictures; the notes'
worked examples come out of the engine with the right numbers."""

from __future__ import annotations

import importlib
import math
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("matplotlib")
pytest.importorskip("sklearn")
pytest.importorskip("tqdm")

from demos import STORIES  # noqa: E402

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


def _check_pictures(folder: Path) -> list[Path]:
    files = sorted(p for p in folder.iterdir() if p.suffix in (".png", ".svg", ".dot"))
    assert files, f"no pictures written to {folder}"
    for path in files:
        content = path.read_bytes()
        assert content, f"{path.name} is empty"
        if path.suffix == ".png":
            assert content.startswith(PNG_MAGIC), f"{path.name} is not a PNG"
        elif path.suffix == ".svg":
            assert b"<svg" in content[:2000], f"{path.name} is not an SVG"
        else:
            assert content.lstrip().startswith(b"digraph"), f"{path.name} is not DOT source"
    return files


@pytest.mark.parametrize("name", ["__main__", *STORIES])
def test_demo_runs_quick_and_writes_pictures(name: str, tmp_path: Path) -> None:
    module = importlib.import_module(f"demos.{name}")
    module.main(tmp_path / name, quick=True)
    _check_pictures(tmp_path / name)


def test_flagship_writes_boundary_curves_and_graph(tmp_path: Path) -> None:
    from demos.__main__ import main

    main(tmp_path, quick=True)
    names = {p.stem for p in _check_pictures(tmp_path)}
    assert {"decision_boundary", "learning_curves", "value_network_graph"} <= names


def _check_explorer_page(path: Path) -> None:
    pytest.importorskip("pygraphviz", reason="the explorer page needs a Graphviz layout")
    assert path.exists(), f"{path.name} was not written"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and "<svg" in text and "<script>" in text
    assert '"phase": "backward"' in text, "the page holds the recorded backward steps"


def test_flagship_writes_an_explorer_page(tmp_path: Path) -> None:
    from demos.__main__ import value_network_graph

    value_network_graph(tmp_path)
    _check_explorer_page(tmp_path / "value_network_explorer.html")


def test_backprop_worked_writes_an_explorer_page(tmp_path: Path) -> None:
    from demos.backprop_worked import main

    main(tmp_path)
    _check_explorer_page(tmp_path / "backprop_explorer.html")


def test_cli_takes_out_and_quick(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from demos.cli import run
    from demos.softmax_stability import main

    run(main, "softmax_stability", main.__doc__, ["--out", str(tmp_path / "o"), "--quick"])
    assert (tmp_path / "o" / "softmax_stability.png").stat().st_size > 0
    assert str((tmp_path / "o").resolve()) in capsys.readouterr().out


def test_forward_pass_numbers(tmp_path: Path) -> None:
    from demos.forward_pass import main

    figures = main(tmp_path)
    x1, x2 = 4.218, 2.234
    h1 = _sigmoid(1.764 * x1 + 0.978 * x2 + 0.950)
    h2 = _sigmoid(0.400 * x1 + 2.240 * x2 - 0.151)
    a3 = 1.867 * h1 - 0.977 * h2 - 0.103
    out = _sigmoid(a3)
    assert figures["out"] == pytest.approx(out, abs=1e-12)
    # the notes' 0.6872 carries h1 = 0.999 and h2 = 0.998 into the output neuron
    assert round(figures["notes_rounding"], 4) == 0.6872
    assert round(figures["out"], 4) == 0.6875
    # gradients of the output: sigmoid'(a3) times the chain rule, by hand
    d_a3 = out * (1 - out)
    assert figures["W211"] == pytest.approx(d_a3 * h1, rel=1e-12)
    assert figures["bo"] == pytest.approx(d_a3, rel=1e-12)
    assert figures["W111"] == pytest.approx(d_a3 * 1.867 * h1 * (1 - h1) * x1, rel=1e-9)
    assert figures["X2"] == pytest.approx(
        d_a3 * (1.867 * h1 * (1 - h1) * 0.978 - 0.977 * h2 * (1 - h2) * 2.240), rel=1e-9
    )


def test_backprop_worked_updates_match_the_corrected_arithmetic(tmp_path: Path) -> None:
    from demos.backprop_worked import main

    figures = main(tmp_path)
    x1, x2, target, lr = 0.35, 0.7, 0.5, 1.0
    w = {"w11": 0.2, "w21": 0.2, "w12": 0.3, "w22": 0.3, "w13": 0.3, "w23": 0.9}
    y3 = _sigmoid(w["w11"] * x1 + w["w21"] * x2)
    y4 = _sigmoid(w["w12"] * x1 + w["w22"] * x2)
    y5 = _sigmoid(w["w13"] * y3 + w["w23"] * y4)
    d5 = y5 * (1 - y5) * (target - y5)  # the notes' error terms
    d3 = y3 * (1 - y3) * w["w13"] * d5
    d4 = y4 * (1 - y4) * w["w23"] * d5
    expected = {
        "w11": w["w11"] + lr * d3 * x1,
        "w21": w["w21"] + lr * d3 * x2,
        "w12": w["w12"] + lr * d4 * x1,
        "w22": w["w22"] + lr * d4 * x2,
        "w13": w["w13"] + lr * d5 * y3,
        "w23": w["w23"] + lr * d5 * y4,
    }
    for name, value in expected.items():
        assert figures[f"new_{name}"] == pytest.approx(value, abs=1e-12), name
    assert figures["y5"] == pytest.approx(y5, abs=1e-12)
    assert figures["delta4"] == pytest.approx(d4, abs=1e-12)
    # where the notes are right to their precision, and where they are not
    assert round(figures["new_w23"], 3) == 0.879  # notes: 0.877816
    assert figures["new_w11"] < 0.2  # notes: 0.200945 (sign lost)
    assert abs(figures["delta4"]) == pytest.approx(0.0081, abs=1e-4)  # notes: -0.0819


def test_gradient_descent_follows_the_notes_rule(tmp_path: Path) -> None:
    from demos.gradient_descent import START, main

    paths = main(tmp_path, quick=True)
    for alpha, path in paths.items():
        factor = 1 - 2 * alpha  # t - alpha * 2 t
        steps = np.arange(len(path))[:, None]
        np.testing.assert_allclose(path, np.array(START) * factor**steps, rtol=1e-9)


def test_softmax_stability_reproduces_the_notes(tmp_path: Path) -> None:
    from demos.softmax_stability import main

    results = main(tmp_path, quick=True)
    naive = results["naive (numpy)"]
    assert naive[0] == 0 and naive[1] == 0 and np.isnan(naive[2])
    stable = results["engine: nn.functional.softmax (float64)"]
    assert stable[0] == 0 and stable[2] == 1
    assert stable[1] == pytest.approx(2.0322308e-313, rel=1e-6)


def _np_sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def test_output_layers_heads_and_losses(tmp_path: Path) -> None:
    from demos.output_layers import main

    results = main(tmp_path, quick=True)
    binary = results["binary"]
    z, y = binary["logits"].astype(float), binary["targets"].astype(float)
    p = _np_sigmoid(z)
    bce = float(np.mean(-(y * np.log(p) + (1 - y) * np.log(1 - p))))
    assert binary["bce_with_logits"] == pytest.approx(bce, rel=1e-4)
    assert binary["bce"] == pytest.approx(bce, rel=1e-4)
    assert binary["metric"] > 0.85  # two well-separated blobs
    np.testing.assert_allclose(results["multi-class"]["row_sums"], 1.0, atol=1e-5)
    assert np.ptp(results["multi-label"]["row_sums"]) > 0.5  # independent sigmoids


def test_gan_step_detaches_the_fake_for_the_discriminator(tmp_path: Path) -> None:
    import nn
    import optim
    from autograd import Tensor, manual_seed
    from demos.gan import NOISE_DIM, mlp, mode_stats, ring, train_step

    manual_seed(0)
    rng = np.random.default_rng(0)
    generator, discriminator = mlp(NOISE_DIM, 2), mlp(2, 1)
    opt_g = optim.SGD(generator.parameters(), lr=0.0)  # generator frozen: only D moves
    opt_d = optim.SGD(discriminator.parameters(), lr=0.1)
    real = ring(64, rng)
    noise = rng.normal(size=(64, NOISE_DIM)).astype(np.float32)
    loss_d, loss_g = train_step(generator, discriminator, opt_g, opt_d, real, noise)
    grads = [np.asarray(p.grad).copy() for p in generator.parameters()]
    # the generator's gradients are those of its own loss alone (D's loss did not reach it)
    opt_g.zero_grad()
    ones = Tensor(np.ones((64, 1), dtype=np.float32))
    nn.BCEWithLogitsLoss()(discriminator(generator(Tensor(noise))), ones).backward()
    for g, p in zip(grads, generator.parameters()):
        np.testing.assert_allclose(g, np.asarray(p.grad), rtol=1e-5, atol=1e-7)
    # at initialisation D is near 1/2: the losses are near 2 ln 2 and ln 2
    assert loss_d == pytest.approx(2 * math.log(2), abs=0.3)
    assert loss_g == pytest.approx(math.log(2), abs=0.3)
    with pytest.raises(RuntimeError):  # without detach D's backward frees G's graph
        train_step(generator, discriminator, opt_g, opt_d, real, noise, detach=False)
    # the coverage measure: real ring samples hit all 8 modes, a point cloud at 0 none
    assert mode_stats(ring(2000, rng)) == (8, pytest.approx(1.0, abs=0.01))
    assert mode_stats(np.zeros((100, 2))) == (0, 0.0)


def test_autoencoder_denoises_against_the_clean_images(tmp_path: Path) -> None:
    from demos.autoencoder import MASK_FRACTION, main

    out = main(tmp_path, quick=True)
    clean, corrupted, recon = out["clean"], out["corrupted"], out["reconstructed"]
    # masking noise: pixels are either kept or set to 0, about 30% of the lit ones
    kept = corrupted == clean
    assert np.all(kept | (corrupted == 0))
    lit = clean > 0
    assert np.mean(~kept[lit]) == pytest.approx(MASK_FRACTION, abs=0.03)
    assert out["baseline"] == pytest.approx(np.mean((corrupted - clean) ** 2), rel=1e-6)
    last = max(out["errors"])
    assert out["errors"][last] == pytest.approx(np.mean((recon - clean) ** 2), rel=1e-5)
    assert out["errors"][last] < out["baseline"] < out["errors"][0]


def test_adagrad_rate_vanishes_rmsprop_does_not(tmp_path: Path) -> None:
    from demos.adagrad_decay import main

    runs = main(tmp_path, quick=True)
    g = runs["Adagrad"]["grad"]
    np.testing.assert_allclose(runs["Adagrad"]["rate"], 1.0 / np.sqrt(np.cumsum(g**2)), rtol=1e-6)
    g = runs["RMSprop"]["grad"]
    avg, expected = 0.0, []
    for gt in g:
        avg = 0.99 * avg + 0.01 * gt**2
        expected.append(0.2 / (np.sqrt(avg) + 1e-8))
    np.testing.assert_allclose(runs["RMSprop"]["rate"], expected, rtol=1e-6)
    # gradients stay near -1 on the slope: Adagrad's rate is about 1/sqrt(t)
    assert runs["Adagrad"]["rate"][99] == pytest.approx(0.1, rel=0.01)
    assert runs["RMSprop"]["w"][-1] > 2 * runs["Adagrad"]["w"][-1]


def test_clipping_keeps_the_step_at_the_cliff(tmp_path: Path) -> None:
    from demos.clipping import LR, MAX_NORM, main

    runs = main(tmp_path, quick=True)
    clipped = runs[f"clip_grad_norm_(max_norm={MAX_NORM:g})"]
    for r in runs.values():  # the returned norms are the true gradient norms, by hand
        w1, w2 = r["path"][:-1, 0], r["path"][:-1, 1]
        g1 = (w1 - 2) + 250 / np.cosh(5 * (w1 - 2)) ** 2
        np.testing.assert_allclose(r["grad_norm"], np.hypot(g1, w2), rtol=1e-5)
    assert runs["no clipping"]["step_length"].max() > 10  # thrown off the cliff
    assert clipped["grad_norm"].max() > 100  # it met the cliff too...
    assert clipped["step_length"].max() <= LR * MAX_NORM * (1 + 1e-6)  # ...and stepped 0.25


def test_gradient_variance_falls_like_one_over_batch_size(tmp_path: Path) -> None:
    from demos.batch_sizes import noisy_line
    from demos.gradient_variance import B0, W0, main

    out = main(tmp_path, quick=True)
    x, y = noisy_line(1024, seed=0)
    r = W0 * x + B0 - y  # per-sample gradient of (1/2) r^2: (r x, r)
    per_sample = np.stack([r * x, r], axis=1)
    np.testing.assert_allclose(out["full"], per_sample.mean(axis=0), rtol=1e-5)
    var_1 = np.mean(np.sum((per_sample - per_sample.mean(axis=0)) ** 2, axis=1))
    assert float(out["var_1"]) == pytest.approx(var_1, rel=1e-5)
    assert -1.3 < float(out["slope"]) < -0.7


def test_softmax_temperature_values_and_limit(tmp_path: Path) -> None:
    from demos.softmax_temperature import main

    out = main(tmp_path, quick=True)
    np.testing.assert_allclose(out["p"], [0.659, 0.242, 0.099], atol=5e-4)
    e = np.exp([2.0, 1.0, 0.1])
    np.testing.assert_allclose(out["p"], e / e.sum(), rtol=1e-12)
    assert not np.allclose(out["p"], [0.65, 0.24, 0.11], atol=5e-3)  # the notes' numbers
    table = out["table"]
    np.testing.assert_allclose(table[0], 1 / 3)  # c = 0: uniform
    np.testing.assert_allclose(table[-1], [1.0, 0.0, 0.0], atol=1e-12)  # large c: argmax
    assert np.all(np.diff(table[:, 0]) > 0)  # the top class only gains as c grows


def test_dropout_l2_weight_decay_is_half_lambda(tmp_path: Path) -> None:
    import optim
    from autograd import Tensor
    from demos.dropout_l2 import main

    out = main(tmp_path, quick=True)
    assert out["equivalence_gap"] < 1e-12
    assert out["without_half"] > 1e-3  # the check can tell the factor apart
    # one SGD step with weight_decay, by hand: w - lr (g + wd w), g of mean(w x)^2 / 2
    w = Tensor(np.array([1.5, -2.0]), requires_grad=True)
    x = np.array([0.3, 0.7])
    opt = optim.SGD([w], lr=0.1, weight_decay=0.2)
    (0.5 * (w * Tensor(x)).sum() ** 2).backward()
    opt.step()
    w0 = np.array([1.5, -2.0])
    g = (w0 @ x) * x
    np.testing.assert_allclose(w.data, w0 - 0.1 * (g + 0.2 * w0), rtol=1e-12)
    norms = {name: r["norm"] for name, r in out.items() if isinstance(r, dict)}
    assert norms["L2, lambda = 0.001"] < norms["no regularisation"]


def test_early_stopping_restores_the_best_epoch(tmp_path: Path) -> None:
    from demos.early_stopping import PATIENCE, main

    out = main(tmp_path, quick=True)
    stopped = np.array(out["stopped_history"]["val"])
    best = int(np.argmin(stopped)) + 1  # epochs count from 1
    assert out["best_epoch"] == best
    assert out["stopped_epoch"] == best + PATIENCE == len(stopped)  # the loop broke there
    assert out["restored"][0] == pytest.approx(stopped.min(), rel=1e-6)  # best weights back
    full = np.array(out["history"]["val"])  # the same run, not stopped
    np.testing.assert_allclose(full[: len(stopped)], stopped, rtol=1e-6)
    assert full[-1] > stopped.min()


def test_quasi_newton_beats_gradient_descent(tmp_path: Path) -> None:
    from demos.quasi_newton import L2, data, main, reference

    runs = main(tmp_path, quick=True)
    x, y = data()

    def loss(w: np.ndarray) -> float:  # the same loss, by hand
        z = x @ w
        return float(np.mean(np.logaddexp(0, z) - y * z) + L2 * w @ w)

    best = reference(x, y)
    for r in runs.values():
        assert r["loss"][-1] == pytest.approx(loss(r["w"]), rel=1e-9)
        assert r["loss"][-1] >= best - 1e-7
    assert runs["L-BFGS"]["loss"][-1] - best < 1e-6  # 2 step calls of 20 iterations
    assert runs["gradient descent"]["loss"][-1] - best > 1e-4  # after 500 steps


def test_growing_batch_follows_the_schedule(tmp_path: Path) -> None:
    from demos.growing_batch import main

    runs = main(tmp_path, quick=True)  # 256 points, 8 epochs, doubling every epoch
    name = next(k for k in runs if k.startswith("growing"))
    growing = runs[name]
    sizes = [4 * 2**e for e in range(8)]
    updates = [-(-256 // b) for b in sizes]  # ceil: the last batch may be smaller
    np.testing.assert_array_equal(growing["epoch_ends"], np.cumsum(updates))
    assert growing["batch"].sum() == 8 * 256  # every point once per epoch
    last = growing["batch"][growing["epoch_ends"] - 1]
    np.testing.assert_array_equal(last, np.minimum(sizes, 256))  # 512 > 256 points: one batch
    assert len(runs["batch 4"]["cost"]) == 8 * 64
    assert growing["last_epoch_excess"].mean() < runs["batch 4"]["last_epoch_excess"].mean()


def test_learning_curve_readings_cover_the_six_cases() -> None:
    from demos.learning_curves import reading

    def h(train: list[float], val: list[float]) -> dict[str, list[float]]:
        return {"train_loss": train, "val_loss": val}

    falling = list(np.linspace(0.7, 0.3, 20))
    assert reading(h(falling, [v + 0.01 for v in falling])).startswith("under-fit (needs")
    flat = [0.7] + [0.33] * 19
    assert reading(h(flat, [0.34] * 20)).startswith("under-fit (not enough")
    overfit_val = [0.7, 0.4, 0.35] + list(np.linspace(0.4, 2.0, 17))
    assert reading(h(list(np.geomspace(0.7, 1e-3, 20)), overfit_val)).startswith("over-fit")
    assert reading(
        h(list(np.linspace(0.8, 0.1, 20)), list(np.linspace(0.85, 0.45, 20)))
    ).startswith("training set too small")
    assert reading(h([0.7] + [0.2] * 19, [0.6] + [0.06] * 19)).startswith(
        "validation set too small"
    )
    assert reading(h([0.7] + [0.2] * 19, [0.7] + [0.19] * 19)).startswith("good fit")


def test_losses_flags_the_notes_hinge_code(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import autograd
    import nn.functional as F
    from demos.losses import main

    main(tmp_path, quick=True)
    assert "np.max(0, 1 - yHat * y) raises" in capsys.readouterr().out
    margins = np.array([-1.0, 0.5, 1.0, 3.0])
    hinge = F.hinge_loss(autograd.tensor(margins), np.ones(4), reduction="none")
    np.testing.assert_allclose(hinge.numpy(), np.maximum(0, 1 - margins))


def test_batch_sizes_uses_the_notes_cost_and_batch_24(tmp_path: Path) -> None:
    from demos.batch_sizes import cost, main, noisy_line

    paths = main(tmp_path, quick=True)  # 64 points, 3 epochs
    assert len(paths["mini-batch (24)"]) == 1 + 3 * 3  # ceil(64 / 24) updates per epoch
    x, y = noisy_line(64)
    by_hand = np.mean(0.5 * (1.5 * x - 0.25 - y) ** 2)
    assert float(cost(np.array(1.5), np.array(-0.25), x, y)) == pytest.approx(by_hand, rel=1e-12)


def test_cnn_digits_beats_chance_on_the_held_out_test_set(tmp_path: Path) -> None:
    from demos.cnn_digits import main, split

    train, val, test = split()
    seen = {x.tobytes() for x in np.concatenate([train[0], val[0]])}
    assert not any(x.tobytes() in seen for x in test[0][:50]), "test images leak into training"
    results = main(tmp_path, quick=True)
    names = {p.stem for p in _check_pictures(tmp_path)}
    assert {"cnn_digits_filters", "cnn_digits_feature_maps"} <= names
    assert results["test_accuracy"] > 0.6  # chance is 0.1; three epochs of Adam


def test_char_rnn_samples_names_of_the_alphabet_and_learns(tmp_path: Path) -> None:
    pytest.importorskip("names", reason="the census name lists ship with the `names` package")
    from demos.char_rnn import main
    from demos.names_data import ALPHABET

    results = main(tmp_path, quick=True)
    _check_pictures(tmp_path)
    samples = results["samples"]
    assert len(samples) == 20 and all(isinstance(s, str) for s in samples)
    assert all(set(s) <= set(ALPHABET) for s in samples)
    assert sum(bool(s) for s in samples) >= 15
    # better than a uniform guess over 27 symbols (ln 27 = 3.30) on validation names
    assert results["val_loss"][-1] < math.log(27) - 0.5
    # the seeded Generator makes the samples repeatable
    assert main(tmp_path / "again", quick=True)["samples"] == samples


def test_char_transformer_attention_is_causal_and_samples_are_names(tmp_path: Path) -> None:
    pytest.importorskip("names", reason="the census name lists ship with the `names` package")
    from demos.char_transformer import main
    from demos.names_data import ALPHABET

    results = main(tmp_path, quick=True)
    names = {p.stem for p in _check_pictures(tmp_path)}
    assert {"char_transformer_loss", "char_transformer_attention"} <= names
    samples = results["samples"]
    assert len(samples) == 20 and all(set(s) <= set(ALPHABET) for s in samples)
    assert results["val_loss"][-1] < results["val_loss"][0] - 0.5
    for weights in results["attention"]:  # (heads, T, T) per block
        np.testing.assert_allclose(weights.sum(axis=-1), 1.0, rtol=1e-5)
        assert np.all(np.triu(weights, k=1) == 0), "a position attended to a later one"


def test_style_transfer_moves_towards_the_style_and_keeps_the_content(tmp_path: Path) -> None:
    from demos.style_transfer import main

    results = main(tmp_path, quick=True)
    names = {p.stem for p in _check_pictures(tmp_path)}
    assert {"style_transfer_images", "style_transfer_loss"} <= names
    history, result = results["history"], results["result"]
    assert result.shape == results["content"].shape
    assert result.min() >= 0 and result.max() <= 1
    # losses are scaled by the other photo's: the style loss falls far below the content
    # photo's own, while the result stays nearer the content than the style photo is
    assert history["style"][-1] < 0.3 * history["style"][0]
    assert history["content"][-1] < 0.8
    assert history["total"][-1] < history["total"][0]


def test_demos_help_lists_every_demo_without_loading_the_heavy_libraries() -> None:
    import subprocess
    import sys

    probe = (
        "import runpy, sys\n"
        "sys.argv = ['demos', '--help']\n"
        "try:\n"
        "    runpy.run_module('demos', run_name='__main__')\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = ('numpy', 'matplotlib', 'sklearn')\n"
        "print('LOADED', sorted(m for m in heavy if m in sys.modules))\n"
    )
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=root, check=True
    ).stdout
    assert "LOADED []" in out
    for name in STORIES:
        assert f"  {name} " in out, f"{name} is not listed"
    assert "``" not in out, "reStructuredText markup in --help"


def test_gradient_descent_step_labels_merge_only_points_that_would_overlap() -> None:
    from demos.gradient_descent import step_labels

    oscillating = np.array([[4.0, 3.0], [-4.16, -3.12], [4.33, 3.24], [-4.5, -3.37]])
    assert [text for _, text in step_labels(oscillating)] == ["0, 2", "1, 3"]
    shrinking = np.array([[4.0, 3.0], [3.2, 2.4], [2.56, 1.92]])
    assert [text for _, text in step_labels(shrinking)] == ["0", "1", "2"]


def test_digits_keeps_validation_and_test_images_apart() -> None:
    from demos.digits import split

    train, val, test = split()
    sizes = [len(part[0]) for part in (train, val, test)]
    assert sum(sizes) == 1797 and min(sizes) > 300
    rows = [{row.tobytes() for row in part[0]} for part in (train, val, test)]
    assert not (rows[0] & rows[1] or rows[1] & rows[2] or rows[0] & rows[2])
