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
