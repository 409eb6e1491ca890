"""What a user's type checker sees: mypy, run on a small training script, must reveal the
public API's precise types (Tensor, Value, float, tuples), not Any.

Any is compatible with everything, so a script cannot fail to type-check merely because a
result is Any: the test reads mypy's ``reveal_type`` output instead. One mypy run, with the
project's ``[tool.mypy]`` configuration.
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# each reveal_type line ends with the expected type, module prefixes dropped
SCRIPT = """
from collections import OrderedDict

import autograd as torch
import nn
import nn.functional as F
import optim
from autograd import Value

x = torch.randn(4, 2)
y = torch.randn(4, 1)
v = Value(0.5)
vs = [Value(1.0), Value(2.0)]
model = nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 1))
opt = optim.SGD(model.parameters(), lr=0.1)

reveal_type(model)  # Sequential[Tensor]
reveal_type(model(x))  # Tensor
reveal_type(nn.Sequential(nn.Linear(2, 8), nn.ReLU()))  # Sequential[Any]
reveal_type(nn.Sequential(OrderedDict(a=nn.Linear(2, 1))))  # Sequential[Any]
reveal_type(nn.Linear(2, 1)(x))  # Tensor
reveal_type(nn.Conv2d(1, 2, 3)(x))  # Tensor
reveal_type(nn.Embedding(10, 3)(x))  # Tensor
reveal_type(nn.LayerNorm(2)(x))  # Tensor
reveal_type(nn.ReLU()(x))  # Tensor
reveal_type(nn.ReLU()(v))  # Value
reveal_type(nn.Tanh()(v))  # Value
reveal_type(nn.Softmax(dim=1)(x))  # Tensor
reveal_type(nn.Dropout(0.1)(x))  # Tensor
reveal_type(nn.RNN(2, 3)(x))  # tuple[Tensor, Tensor]
reveal_type(nn.GRU(2, 3)(x))  # tuple[Tensor, Tensor]
reveal_type(nn.LSTM(2, 3)(x))  # tuple[Tensor, tuple[Tensor, Tensor]]
reveal_type(nn.MultiheadAttention(4, 2)(x, x, x))  # tuple[Tensor, Tensor | None]
reveal_type(nn.MSELoss()(x, y))  # Tensor
reveal_type(nn.MSELoss()(v, 1.0))  # Value
reveal_type(nn.BCEWithLogitsLoss()(x, y))  # Tensor
reveal_type(nn.CrossEntropyLoss()(x, y))  # Tensor
reveal_type(F.mse_loss(x, y))  # Tensor
reveal_type(F.mse_loss(v, 1.0))  # Value
reveal_type(F.mse_loss(vs, [1.0, 2.0]))  # Value
reveal_type(F.mse_loss(vs, [1.0, 2.0], reduction="none"))  # list[Value]
reveal_type(F.l1_loss(x, y))  # Tensor
reveal_type(F.huber_loss(v, 0.0))  # Value
reveal_type(F.binary_cross_entropy(x, y))  # Tensor
reveal_type(F.binary_cross_entropy_with_logits(x, y))  # Tensor
reveal_type(F.hinge_loss(vs, [1.0, -1.0]))  # Value
reveal_type(F.relu(x))  # Tensor
reveal_type(F.relu(v))  # Value
reveal_type(F.softmax(x, dim=1))  # Tensor
reveal_type(F.log_softmax(vs))  # list[Value]
reveal_type(F.dropout(x, 0.1))  # Tensor
reveal_type(F.max_pool2d(x, 2))  # Tensor
reveal_type(F.max_pool2d(x, 2, return_indices=True))  # tuple[Tensor, Tensor]
loss = F.mse_loss(model(x), y)
reveal_type(loss.item())  # float
reveal_type(model.train())  # Sequential[Tensor]
reveal_type(opt.step())  # None
reveal_type(opt.step(lambda: loss))  # Tensor
"""


def _expected() -> dict[int, str]:
    out = {}
    for n, line in enumerate(SCRIPT.splitlines(), start=1):
        if line.startswith("reveal_type("):
            out[n] = line.rsplit("# ", 1)[1]
    return out


def _short(type_text: str) -> str:
    """Module prefixes dropped, and older mypys' spellings (Tuple[...], Union[A, B],
    Optional[A]) written as the newer ones."""
    text = re.sub(r"\b(?:\w+\.)+(\w+)", r"\1", type_text)
    text = re.sub(r"\bTuple\[", "tuple[", re.sub(r"\bList\[", "list[", text))
    text = re.sub(r"\bOptional\[([\w\[\], ]*?)\]$", r"\1 | None", text)
    return re.sub(r"\bUnion\[(\w+), (\w+)\]", r"\1 | \2", text)


@pytest.mark.skipif(
    importlib.util.find_spec("mypy") is None, reason="mypy is not installed (the test extra)"
)
def test_user_script_sees_precise_types(tmp_path: Path) -> None:
    script = tmp_path / "user_script.py"
    script.write_text(SCRIPT)
    # run from the project root, so the packages are found whether or not they are installed
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--config-file", str(ROOT / "pyproject.toml"),
         "--cache-dir", str(tmp_path / "mypy_cache"), "--no-error-summary", str(script)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    revealed = {}
    errors = []
    for line in result.stdout.splitlines():
        m = re.match(r".*user_script\.py:(\d+): note: Revealed type is \"(.*)\"$", line)
        if m:
            revealed[int(m.group(1))] = _short(m.group(2))
        elif "error:" in line:
            errors.append(line)
    assert not errors, "\n".join(errors) + "\n" + result.stderr
    lines = SCRIPT.splitlines()
    wrong = [
        f"line {n}: {lines[n - 1].split('  #')[0]} is {revealed.get(n)!r}, expected {want!r}"
        for n, want in _expected().items()
        if revealed.get(n) != want
    ]
    assert not wrong, "\n".join(wrong)
