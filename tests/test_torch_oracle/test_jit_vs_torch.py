"""The same script under torch.jit and autograd.jit: a scripted fused activation and a traced
model give torch's values and gradients (the pass-throughs compute what TorchScript does)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import autograd  # noqa: E402
import nn  # noqa: E402

# A script as written for PyTorch, ported by renaming its import (the porting rule)
_SCRIPT = """
import torch


@torch.jit.script
def bias_gelu(bias: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    x = bias + y
    return x * 0.5 * (1.0 + torch.tanh(0.79788456 * x * (1 + 0.044715 * x * x)))
"""


def _load(path: Path, source: str) -> Any:
    """The module in ``source``, written to ``path`` (TorchScript reads a function's source)."""
    path.write_text(source)
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[path.stem] = module
    spec.loader.exec_module(module)
    return module


def test_scripted_fused_activation_matches_torch(tmp_path: Path) -> None:
    ours = _load(
        tmp_path / "jit_ours.py", _SCRIPT.replace("import torch", "import autograd as torch")
    )
    theirs = _load(tmp_path / "jit_theirs.py", _SCRIPT)
    rng = np.random.default_rng(0)
    b, y, w = rng.standard_normal(5), rng.standard_normal((3, 5)), rng.standard_normal((3, 5))
    results = []
    for lib, script in ((autograd, ours), (torch, theirs)):
        tb, ty = lib.tensor(b, requires_grad=True), lib.tensor(y, requires_grad=True)
        out = script.bias_gelu(tb, ty)
        (out * lib.tensor(w)).sum().backward()
        results.append((out.detach().numpy(), tb.grad.numpy(), ty.grad.numpy()))
    for mine, ref in zip(*results):
        np.testing.assert_allclose(mine, ref, rtol=1e-12, atol=1e-14)


def test_traced_model_matches_torch() -> None:
    rng = np.random.default_rng(1)
    w1, b1 = rng.standard_normal((6, 4)), rng.standard_normal(6)
    w2, b2 = rng.standard_normal((2, 6)), rng.standard_normal(2)
    x = rng.standard_normal((8, 4))
    results = []
    for lib, lib_nn in ((autograd, nn), (torch, torch.nn)):
        model = lib_nn.Sequential(lib_nn.Linear(4, 6), lib_nn.Tanh(), lib_nn.Linear(6, 2))
        model.double()
        with lib.no_grad():
            for p, v in zip(model.parameters(), (w1, b1, w2, b2)):
                p.copy_(lib.tensor(v))
        traced = lib.jit.trace(model, lib.tensor(x))
        out = traced(lib.tensor(x))
        out.pow(2).sum().backward()
        results.append([out.detach().numpy()] + [p.grad.numpy() for p in traced.parameters()])
    for ours, theirs in zip(*results):
        np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("condition", [True, False, 1, 0, "cond", ""])
def test_assert_raises_as_torch_assert(condition: Any) -> None:
    for lib in (torch, autograd):
        if condition:
            lib._assert(condition, "msg")
        else:
            with pytest.raises(AssertionError, match="^msg$"):
                lib._assert(condition, "msg")


@pytest.mark.parametrize("values", [[2.0], [0.0], [1.0, 2.0]])
def test_assert_reads_a_tensor_condition_as_torch_does(values: list) -> None:
    outcomes = []
    for lib in (torch, autograd):
        try:
            lib._assert(lib.tensor(values), "msg")
            outcomes.append("passed")
        except Exception as e:  # the same exception type for both
            outcomes.append(type(e).__name__)
    assert outcomes[0] == outcomes[1]
