"""A small decoder-only transformer that invents names, and what its attention looks at.

Same data and task as ``char_rnn`` (census first names from the ``names`` package, predict
the next character), but instead of a recurrence every position attends to the earlier
ones: token embedding + learned positional embedding, then blocks of
LayerNorm -> causal multi-head self-attention -> residual and LayerNorm -> MLP -> residual
(pre-norm, as GPT-2), dropout on the residual branches, a final LayerNorm and a linear
head. New names are sampled with a seeded ``autograd.Generator``; the attention weights of
each head for one name are drawn.
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


class Block(nn.Module):
    """Pre-norm transformer block: x + attn(ln(x)), then x + mlp(ln(x))."""

    def __init__(self, dim: int, heads: int, dropout: float) -> None:
        super().__init__()
        self.ln1 = nn.LayerNorm(dim)
        self.attn = nn.MultiheadAttention(dim, heads, dropout=dropout, batch_first=True)
        self.ln2 = nn.LayerNorm(dim)
        self.mlp = nn.Sequential(
            nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim), nn.Dropout(dropout)
        )
        self.drop = nn.Dropout(dropout)
        self.last_attention: np.ndarray | None = None
        self.keep_attention = False

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        t = x.shape[1]
        # True above the diagonal: position i may not look at positions j > i
        causal = torch.ones(t, t, dtype=torch.bool).triu(diagonal=1)
        h = self.ln1(x)
        out, weights = self.attn(
            h,
            h,
            h,
            attn_mask=causal,
            need_weights=self.keep_attention,
            average_attn_weights=False,
        )
        if self.keep_attention and weights is not None:  # weights exist when asked for
            self.last_attention = weights.detach().numpy()  # (N, heads, T, T)
        x = x + self.drop(out)
        return x + self.mlp(self.ln2(x))


class CharTransformer(nn.Module):
    """Characters (N, T) -> next-character logits (N, T, V), T <= block_size."""

    def __init__(
        self,
        vocab: int,
        block_size: int,
        dim: int = 32,
        heads: int = 4,
        layers: int = 2,
        dropout: float = 0.1,
    ) -> None:
        super().__init__()
        self.block_size = block_size
        self.tok = nn.Embedding(vocab, dim)
        self.pos = nn.Embedding(block_size, dim)
        self.drop = nn.Dropout(dropout)
        self.blocks = nn.ModuleList([Block(dim, heads, dropout) for _ in range(layers)])
        self.ln = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, vocab)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        t = x.shape[1]
        if t > self.block_size:
            raise ValueError(f"CharTransformer: {t} characters, at most {self.block_size}")
        h = self.drop(self.tok(x) + self.pos(torch.arange(t)))
        for block in self.blocks:
            h = block(h)
        return self.head(self.ln(h))


def attention_of(model: CharTransformer, word: str) -> list[np.ndarray]:
    """Each block's attention weights (heads, T, T) while reading ``.word``."""
    index = {c: i for i, c in enumerate(CHARS)}
    x = torch.tensor([[0] + [index[c] for c in word]])
    for block in model.blocks:
        block.keep_attention = True
    model.eval()
    with torch.no_grad():
        model(x)
    for block in model.blocks:
        block.keep_attention = False
    return [block.last_attention[0] for block in model.blocks]  # type: ignore[index]


@on_one_blas_thread
def main(out_dir: str | Path, quick: bool = False) -> dict[str, object]:
    """Train the transformer, print samples and losses, draw loss and attention."""
    out_dir = output_dir(out_dir)
    torch.manual_seed(0)
    words = load_names()
    train_words, val_words = split_names(words)
    train, val = encode(train_words), encode(val_words)
    block_size = train[0].shape[1]
    model = CharTransformer(len(CHARS), block_size)
    n_params = sum(p.numel() for p in model.parameters())
    print(
        f"{len(words)} census first names ({len(train_words)} train, {len(val_words)} "
        f"validation), context of {block_size} characters\n{model}\n{n_params} parameters"
    )
    steps = 40 if quick else 450
    history = train_next_char(
        model,
        train,
        val,
        steps=steps,
        lr=5e-3,
        eval_every=50,
        desc="char_transformer",
        progress=not quick,
    )
    print(f"\n{'step':>5} {'validation loss (nats/char)':>28}")
    for step, loss in zip(history["val_step"], history["val"]):
        print(f"{step:>5} {loss:>28.3f}")
    print(f"(uniform guess over {len(CHARS)} symbols: {np.log(len(CHARS)):.3f})")

    generator = torch.Generator().manual_seed(42)
    samples = sample_names(model, 20, generator, max_len=block_size - 1)
    known = set(words)
    print(f"\n{'sampled name':<14} {'in the census list?':<20}")
    for name in samples:
        print(f"{name:<14} {'yes' if name in known else 'new':<20}")
    novel = sum(name not in known for name in samples)
    print(f"{novel} of {len(samples)} samples are not in the training data or validation data")

    fig, ax = plt.subplots(figsize=(8, 4.5))
    plot_losses(ax, history, "Transformer character model on census first names")
    save(fig, out_dir, "char_transformer_loss.png")

    word = "isabella"
    maps = attention_of(model, word)
    labels = ["."] + list(word)
    heads = maps[0].shape[0]
    fig, axes = plt.subplots(len(maps), heads, figsize=(3.2 * heads, 3.2 * len(maps)))
    axes = np.atleast_2d(axes)
    for layer, weights in enumerate(maps):
        for head in range(heads):
            ax = axes[layer, head]
            image = ax.imshow(weights[head], cmap="magma", vmin=0, vmax=1)
            ax.set_xticks(range(len(labels)), labels)
            ax.set_yticks(range(len(labels)), labels)
            ax.set_title(f"block {layer + 1}, head {head + 1}", fontsize=10)
            ax.set_xlabel("attends to (key)")
            if head == 0:
                ax.set_ylabel("reading (query)")
    fig.colorbar(image, ax=axes.ravel().tolist(), shrink=0.6, label="attention weight")
    fig.suptitle(
        f'Causal self-attention while reading ".{word}" (rows sum to 1; nothing above the diagonal)'
    )
    path = Path(out_dir) / "char_transformer_attention.png"
    fig.savefig(path, dpi=100, bbox_inches="tight")
    plt.close(fig)
    print(f"  wrote {path}")
    return {"samples": samples, "val_loss": history["val"], "attention": maps}


if __name__ == "__main__":
    run(main, "char_transformer", __doc__)
