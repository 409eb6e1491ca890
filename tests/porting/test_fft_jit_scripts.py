"""A script in the style of GFNet (global filter networks: a learnt filter multiplied into
``torch.fft.rfft2`` of the features, held as a real parameter viewed with
``torch.view_as_complex``) with a ``@torch.jit.script`` fused activation and a
``torch.jit.trace``d model, ported by renaming its imports: it trains, and with PyTorch
installed it gives PyTorch's losses from the same initial weights."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

SCRIPT = """
import torch
import torch.nn as nn


@torch.jit.script
def gelu_tanh(x: torch.Tensor) -> torch.Tensor:
    return 0.5 * x * (1.0 + torch.tanh(0.7978845608 * (x + 0.044715 * x * x * x)))


class GlobalFilter(nn.Module):
    def __init__(self, dim, h=6, w=4):
        super().__init__()
        self.complex_weight = nn.Parameter(torch.randn(h, w, dim, 2, dtype=torch.float64) * 0.02)

    def forward(self, x):
        B, a, b, C = x.shape
        x = torch.fft.rfft2(x, dim=(1, 2), norm="ortho")
        weight = torch.view_as_complex(self.complex_weight)
        x = x * weight
        return torch.fft.irfft2(x, s=(a, b), dim=(1, 2), norm="ortho")


class Block(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.norm = nn.LayerNorm(dim)
        self.filter = GlobalFilter(dim)
        self.fc = nn.Linear(dim, dim)

    def forward(self, x):
        return x + self.fc(gelu_tanh(self.filter(self.norm(x))))


class Net(nn.Module):
    def __init__(self, dim=4, classes=3):
        super().__init__()
        self.block = Block(dim)
        self.head = nn.Linear(dim, classes)

    def forward(self, x):
        x = self.block(x)
        freq = torch.fft.fftshift(torch.fft.fft(x.mean(dim=(1, 2)))).abs()
        return self.head(x.mean(dim=(1, 2)) + 0.1 * freq)


def train(weights, x, y, steps=6):
    model = Net().double()
    with torch.no_grad():
        for p, w in zip(model.parameters(), weights):
            p.copy_(torch.tensor(w))
    model = torch.jit.trace(model, torch.tensor(x))
    opt = torch.optim.Adam(model.parameters(), lr=0.05)
    losses = []
    for _ in range(steps):
        opt.zero_grad()
        loss = nn.functional.cross_entropy(model(torch.tensor(x)), torch.tensor(y))
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses
"""


def _load(path: Path, source: str) -> Any:
    path.write_text(source)
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[path.stem] = module
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[path.stem]
    return module


def _data() -> tuple:
    rng = np.random.default_rng(0)
    # (in registration order: the LayerNorm's, the filter, the block's and the head's Linear)
    shapes = [(4,), (4,), (6, 4, 4, 2), (4, 4), (4,), (3, 4), (3,)]
    weights = [rng.standard_normal(s) * 0.3 for s in shapes]
    weights[0], weights[1] = np.ones(4), np.zeros(4)
    x = rng.standard_normal((8, 6, 6, 4))
    y = rng.integers(0, 3, 8)
    return weights, x, y


def test_the_ported_script_trains(tmp_path: Path) -> None:
    ported = SCRIPT.replace("import torch.nn as nn", "import nn").replace(
        "import torch\n", "import autograd as torch\n"
    )
    ours = _load(tmp_path / "gfnet_ours.py", ported)
    losses = ours.train(*_data())
    assert losses[-1] < losses[0]
    torch = pytest.importorskip("torch")
    theirs = _load(tmp_path / "gfnet_theirs.py", SCRIPT)
    torch.set_num_threads(1)
    np.testing.assert_allclose(losses, theirs.train(*_data()), rtol=1e-9, atol=1e-12)
