"""A character-level recurrent network (Embedding -> GRU -> Linear) that invents names.

Trained on the 1990 US census first names shipped by the ``names`` package (about 5,000
names, 90% to train on, 10% to validate): at every position the GRU reads the characters so
far and predicts the next one (26 letters or the end token). New names are then sampled one
character at a time from a seeded ``autograd.Generator``, so a run is repeatable.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

import autograd as torch
import nn
from demos.blas import on_one_blas_thread
from demos.cli import output_dir, run
from demos.names_data import (
    CHARS,
    encode,
    load_names,
    plot_losses,
    sample_names,
    split_names,
    train_next_char,
)
from demos.plotting import plt, save


class CharRNN(nn.Module):
    """Characters (N, T) -> next-character logits (N, T, V) through a one-layer GRU."""

    def __init__(self, vocab: int, embed: int = 16, hidden: int = 64) -> None:
        super().__init__()
        self.embed = nn.Embedding(vocab, embed)
        self.rnn = nn.GRU(embed, hidden, batch_first=True)
        self.head = nn.Linear(hidden, vocab)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out, _ = self.rnn(self.embed(x))
        return self.head(out)


@on_one_blas_thread
def main(out_dir: str | Path, quick: bool = False) -> dict[str, object]:
    """Train the GRU, print samples and losses, draw the loss curve."""
    out_dir = output_dir(out_dir)
    torch.manual_seed(0)
    words = load_names()
    train_words, val_words = split_names(words)
    train, val = encode(train_words), encode(val_words)
    model = CharRNN(len(CHARS))
    n_params = sum(p.numel() for p in model.parameters())
    print(
        f"{len(words)} census first names ({len(train_words)} train, {len(val_words)} "
        f"validation), e.g. {', '.join(train_words[:5])}\n{model}\n{n_params} parameters"
    )
    steps = 60 if quick else 1000
    history = train_next_char(
        model,
        train,
        val,
        steps=steps,
        lr=1e-2,
        eval_every=50,
        desc="char_rnn",
        progress=not quick,
    )
    print(f"\n{'step':>5} {'validation loss (nats/char)':>28}")
    for step, loss in zip(history["val_step"], history["val"]):
        print(f"{step:>5} {loss:>28.3f}")
    print(f"(uniform guess over {len(CHARS)} symbols: {np.log(len(CHARS)):.3f})")
    best = int(np.argmin(history["val"]))
    print(
        f"lowest validation loss {history['val'][best]:.3f} at step {history['val_step'][best]}; "
        f"last training batches {np.mean(history['train'][-50:]):.3f} (a gap = memorising names)"
    )

    generator = torch.Generator().manual_seed(42)
    samples = sample_names(model, 20, generator, max_len=train[0].shape[1] + 4)
    known = set(words)
    print(f"\n{'sampled name':<14} {'in the census list?':<20}")
    for name in samples:
        print(f"{name:<14} {'yes' if name in known else 'new':<20}")
    novel = sum(name not in known for name in samples)
    print(f"{novel} of {len(samples)} samples are not in the training data or validation data")

    fig, ax = plt.subplots(figsize=(8, 4.5))
    plot_losses(ax, history, "GRU character model on census first names")
    save(fig, out_dir, "char_rnn_loss.png")
    return {"samples": samples, "val_loss": history["val"], "train_loss": history["train"]}


if __name__ == "__main__":
    run(main, "char_rnn", __doc__)
