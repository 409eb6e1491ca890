"""A real list of names for the character-level demos: the US census first names (1990)
that the ``names`` package on PyPI ships as data files (``dist.female.first``,
``dist.male.first``), lower-cased, deduplicated, letters a-z only.

Each name becomes a sequence of character indices framed by the boundary token ``.``
(index 0): ``".emma."``; a model reads ``.emma`` and is trained to predict ``emma.``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from tqdm import tqdm

import autograd as torch
import nn
import nn.functional as F
import optim
from autograd import Tensor

BOUNDARY = "."
ALPHABET = "abcdefghijklmnopqrstuvwxyz"
CHARS = BOUNDARY + ALPHABET  # index 0 is the start/end token
IGNORE = -100  # cross_entropy's default ignore_index: marks padding in the targets


def load_names() -> list[str]:
    """The census first names (female and male), lower-case, sorted, without duplicates."""
    try:
        import names as names_package
    except ImportError as error:  # pragma: no cover - depends on the environment
        raise ImportError(
            "the character-level demos need the census name lists of the `names` package: "
            'pip install names (or pip install -e ".[demos]")'
        ) from error
    folder = Path(names_package.__file__).parent
    found: set[str] = set()
    for filename in ("dist.female.first", "dist.male.first"):
        for line in (folder / filename).read_text().splitlines():
            if line.strip():
                word = line.split()[0].lower()
                if word.isalpha() and set(word) <= set(ALPHABET):
                    found.add(word)
    return sorted(found)


def encode(words: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Inputs (N, T) and targets (N, T) int64 for next-character prediction.

    Row k is ``.name`` as input and ``name.`` as target; shorter names are padded with the
    boundary index in the inputs and with ``IGNORE`` in the targets (so the loss skips them).
    T is the longest name's length + 1.
    """
    index = {c: i for i, c in enumerate(CHARS)}
    t = max(len(w) for w in words) + 1
    x = np.zeros((len(words), t), dtype=np.int64)
    y = np.full((len(words), t), IGNORE, dtype=np.int64)
    for row, word in enumerate(words):
        codes = [index[c] for c in word]
        x[row, 1 : len(codes) + 1] = codes
        y[row, : len(codes)] = codes
        y[row, len(codes)] = 0
    return x, y


def split_names(words: list[str], seed: int = 0) -> tuple[list[str], list[str]]:
    """A shuffled 90% / 10% split into training and validation names."""
    order = np.random.default_rng(seed).permutation(len(words))
    cut = int(0.9 * len(words))
    return [words[i] for i in order[:cut]], [words[i] for i in order[cut:]]


def decode(codes: list[int]) -> str:
    """Characters of a list of indices (the boundary token left out)."""
    return "".join(CHARS[c] for c in codes if c != 0)


def next_char_loss(model: Any, x: np.ndarray, y: np.ndarray) -> Tensor:
    """Mean cross-entropy of the model's next-character logits (N, T, V) over real positions."""
    logits = model(torch.tensor(x))
    return nn.functional.cross_entropy(
        logits.reshape(-1, logits.shape[-1]), torch.tensor(y.reshape(-1))
    )


def train_next_char(
    model: nn.Module,
    train: tuple[np.ndarray, np.ndarray],
    val: tuple[np.ndarray, np.ndarray],
    steps: int,
    batch_size: int = 64,
    lr: float = 1e-2,
    eval_every: int = 25,
    seed: int = 0,
    desc: str = "training",
    progress: bool = True,
) -> dict[str, list[float]]:
    """Adam on random mini-batches of names; the training loss of every step and the
    whole validation set's loss every ``eval_every`` steps (and at the start and end)."""
    optimizer = optim.Adam(model.parameters(), lr=lr)
    rng = np.random.default_rng(seed)
    history: dict[str, list[float]] = {"step": [], "train": [], "val_step": [], "val": []}

    def validate(step: int) -> None:
        model.eval()
        with torch.no_grad():
            history["val"].append(next_char_loss(model, *val).item())
        history["val_step"].append(step)
        model.train()

    validate(0)
    model.train()
    for step in tqdm(range(1, steps + 1), desc=desc, unit="step", disable=not progress):
        rows = rng.integers(0, len(train[0]), batch_size)
        loss = next_char_loss(model, train[0][rows], train[1][rows])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        history["step"].append(step)
        history["train"].append(loss.item())
        if step % eval_every == 0 or step == steps:
            validate(step)
    model.eval()
    return history


def sample_names(
    model: nn.Module, count: int, generator: torch.Generator, max_len: int, temperature: float = 1.0
) -> list[str]:
    """``count`` names drawn one character at a time from the model's next-character
    distribution (softmax of the last position's logits), until the boundary token or
    ``max_len`` characters. The model is fed the whole prefix at every step."""
    model.eval()
    prefixes = np.zeros((count, 1), dtype=np.int64)
    done = np.zeros(count, dtype=bool)
    with torch.no_grad():
        for _ in range(max_len):
            logits = model(torch.tensor(prefixes))[:, -1, :] / temperature
            probs = F.softmax(logits, dim=-1)
            nxt = torch.multinomial(probs, 1, generator=generator).numpy()[:, 0]
            nxt[done] = 0
            done |= nxt == 0
            prefixes = np.concatenate([prefixes, nxt[:, None]], axis=1)
            if done.all():
                break
    return [decode(list(row[1:])).split(BOUNDARY)[0] for row in prefixes]


def plot_losses(ax: Any, history: dict[str, list[float]], title: str) -> None:
    """Per-step training loss (faint), its running mean, and the validation loss."""
    steps, losses = np.array(history["step"]), np.array(history["train"])
    ax.plot(steps, losses, color="C0", alpha=0.25, lw=0.8, label="train (one batch)")
    width = max(1, len(losses) // 20)
    smooth = np.convolve(losses, np.ones(width) / width, mode="valid")
    ax.plot(steps[width - 1 :], smooth, color="C0", label=f"train (mean of {width} steps)")
    ax.plot(history["val_step"], history["val"], "o-", color="C1", ms=3, label="validation")
    ax.axhline(np.log(len(CHARS)), color="gray", ls=":", label=f"uniform guess ln {len(CHARS)}")
    ax.set_xlabel("training step (mini-batch)")
    ax.set_ylabel("cross-entropy per character (nats)")
    ax.set_title(title)
    ax.legend()
