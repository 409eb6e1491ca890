"""Layers against PyTorch: one training step (forward, loss, backward, SGD) of three small
models, float32, one thread on both sides, the same weights and the same batch.

- (a) CNN on 8x8 digits: Conv2d 1->16 3x3 pad 1, ReLU, MaxPool 2, Conv2d 16->32 3x3, ReLU,
  Flatten, Linear 128->10; batch 64; cross-entropy.
- (b) char-level transformer: vocabulary 65, batch 16, context 32, width 64, 4 heads,
  2 pre-norm blocks (LayerNorm, causal MultiheadAttention, LayerNorm, MLP 64-256-64 with
  ReLU (``--gelu``: GELU), Dropout 0.1), final LayerNorm and linear head; cross-entropy over
  every position.
- (c) LSTM: batch 32, sequence 32, input 16, hidden 64, a linear head on the last output;
  MSE.

Each model is written once and built twice, from ``torch.nn`` and from ``nn`` (the porting
rule: the same code runs on both). Before timing, both sides must give the same loss and
gradients. Threads: OPENBLAS/OMP/MKL_NUM_THREADS=1 are set before numpy is imported (numpy's
BLAS on one thread) and ``torch.set_num_threads(1)``. Calls alternate between contenders; the
median CPU time per step is reported with the ratio ours / torch (target <= 1.5x, stretch
1.0x). Skipped with a message when torch is not installed.

Run: python -m benchmarks.layers_vs_torch [--repeats N]
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"  # before numpy is imported: one BLAS thread, as torch's one thread

import argparse  # noqa: E402
import sys  # noqa: E402
from collections.abc import Callable  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402

import autograd  # noqa: E402
import nn  # noqa: E402
import nn.functional as F  # noqa: E402
import optim  # noqa: E402
from benchmarks.timing import interleaved_median_ms, row, verdict  # noqa: E402

TARGET = 1.5
# the transformer MLP's activation (--gelu switches to GELU, whose exact erf is not a layer)
ACTIVATION: list[Callable[[Any], Any]] = [lambda nn: nn.ReLU()]
VOCAB, CONTEXT, WIDTH, HEADS = 65, 32, 64, 4


# --- the models, written once against a torch-like namespace -------------------------------
def cnn(nn: Any) -> Any:
    return nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3),
        nn.ReLU(),
        nn.Flatten(),
        nn.Linear(32 * 2 * 2, 10),
    )


def transformer(nn: Any) -> Any:
    class Block(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.ln1 = nn.LayerNorm(WIDTH)
            self.attn = nn.MultiheadAttention(WIDTH, HEADS, dropout=0.1, batch_first=True)
            self.ln2 = nn.LayerNorm(WIDTH)
            self.mlp = nn.Sequential(
                nn.Linear(WIDTH, 4 * WIDTH), ACTIVATION[0](nn), nn.Linear(4 * WIDTH, WIDTH),
                nn.Dropout(0.1),
            )  # fmt: skip

        def forward(self, x: Any, mask: Any) -> Any:
            h = self.ln1(x)
            x = x + self.attn(h, h, h, attn_mask=mask, need_weights=False)[0]
            return x + self.mlp(self.ln2(x))

    class CharTransformer(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.tok = nn.Embedding(VOCAB, WIDTH)
            self.pos = nn.Embedding(CONTEXT, WIDTH)
            self.blocks = nn.ModuleList([Block(), Block()])
            self.ln = nn.LayerNorm(WIDTH)
            self.head = nn.Linear(WIDTH, VOCAB)

        def forward(self, idx: Any, positions: Any, mask: Any) -> Any:
            x = self.tok(idx) + self.pos(positions)
            for block in self.blocks:
                x = block(x, mask)
            return self.head(self.ln(x))

    return CharTransformer()


def lstm(nn: Any) -> Any:
    class Model(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.rnn = nn.LSTM(16, 64, batch_first=True)
            self.head = nn.Linear(64, 1)

        def forward(self, x: Any) -> Any:
            out, _ = self.rnn(x)
            return self.head(out[:, -1])

    return Model()


# --- one training step on each side --------------------------------------------------------
def make_steps(name: str, torch: Any) -> tuple[Callable, Callable, Callable]:
    """(ours_step, torch_step, check): steps return the loss as a float."""
    rng = np.random.default_rng(0)
    torch.manual_seed(0)
    TF = torch.nn.functional
    args: tuple[Any, ...]
    targs: tuple[Any, ...]
    if name == "cnn":
        theirs, ours = cnn(torch.nn), cnn(nn)
        x = rng.normal(size=(64, 1, 8, 8)).astype(np.float32)
        y = rng.integers(0, 10, size=64)
        args, targs = (autograd.Tensor(x),), (torch.tensor(x),)
        target, ttarget = autograd.Tensor(y), torch.tensor(y)

        def loss_ours(out: Any) -> Any:
            return F.cross_entropy(out, target)

        def loss_theirs(out: Any) -> Any:
            return TF.cross_entropy(out, ttarget)

    elif name == "transformer":
        theirs, ours = transformer(torch.nn), transformer(nn)
        idx = rng.integers(0, VOCAB, size=(16, CONTEXT))
        nxt = rng.integers(0, VOCAB, size=(16 * CONTEXT,))
        pos = np.arange(CONTEXT)
        mask = np.triu(np.ones((CONTEXT, CONTEXT), bool), 1)
        args = (autograd.Tensor(idx), autograd.Tensor(pos), mask)
        targs = (torch.tensor(idx), torch.tensor(pos), torch.tensor(mask))
        target, ttarget = autograd.Tensor(nxt), torch.tensor(nxt)

        def loss_ours(out: Any) -> Any:
            return F.cross_entropy(out.reshape(-1, VOCAB), target)

        def loss_theirs(out: Any) -> Any:
            return TF.cross_entropy(out.reshape(-1, VOCAB), ttarget)

    else:
        theirs, ours = lstm(torch.nn), lstm(nn)
        x = rng.normal(size=(32, 32, 16)).astype(np.float32)
        y = rng.normal(size=(32, 1)).astype(np.float32)
        args, targs = (autograd.Tensor(x),), (torch.tensor(x),)
        target, ttarget = autograd.Tensor(y), torch.tensor(y)

        def loss_ours(out: Any) -> Any:
            return F.mse_loss(out, target)

        def loss_theirs(out: Any) -> Any:
            return TF.mse_loss(out, ttarget)

    ours.load_state_dict({k: v.numpy() for k, v in theirs.state_dict().items()})
    opt = optim.SGD(ours.parameters(), lr=0.01)
    topt = torch.optim.SGD(theirs.parameters(), lr=0.01)

    def ours_step() -> float:
        opt.zero_grad()
        loss = loss_ours(ours(*args))
        loss.backward()
        opt.step()
        return loss.item()

    def torch_step() -> float:
        topt.zero_grad()
        loss = loss_theirs(theirs(*targs))
        loss.backward()
        topt.step()
        return loss.item()

    def check() -> None:
        """Same loss and gradients (dropout off: eval mode) before timing."""
        ours.eval()
        theirs.eval()
        opt.zero_grad()
        topt.zero_grad()
        a = loss_ours(ours(*args))
        a.backward()
        b = loss_theirs(theirs(*targs))
        b.backward()
        np.testing.assert_allclose(a.item(), b.item(), rtol=1e-4)
        tp = dict(theirs.named_parameters())
        for pname, p in ours.named_parameters():
            np.testing.assert_allclose(
                np.asarray(p.grad), tp[pname].grad.numpy(), rtol=2e-3, atol=2e-5, err_msg=pname
            )
        ours.train()
        theirs.train()

    return ours_step, torch_step, check


LABELS = {
    "cnn": "(a) CNN on 8x8 digits, batch 64",
    "transformer": "(b) char transformer, batch 16, context 32",
    "lstm": "(c) LSTM 16->64, batch 32, sequence 32",
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--gelu", action="store_true", help="GELU instead of ReLU in the MLP")
    parser.add_argument("models", nargs="*", default=list(LABELS))
    opts = parser.parse_args()
    if opts.gelu:
        ACTIVATION[0] = lambda nn: nn.GELU()
    try:
        import torch
    except ImportError:
        print("layers_vs_torch: skipped (PyTorch is not installed)")
        return 0
    torch.set_num_threads(1)
    print(f"training step, float32, one thread (torch {torch.__version__}); median CPU ms")
    verdicts = []
    for name in opts.models:
        ours_step, torch_step, check = make_steps(name, torch)
        check()
        t = interleaved_median_ms({"ours": ours_step, "torch": torch_step}, opts.repeats, 3)
        print(LABELS[name])
        print(row("torch", t["torch"]))
        print(row("ours", t["ours"], t["torch"]))
        verdicts.append(verdict(name, t["ours"] / t["torch"], TARGET))
    print("\n".join(verdicts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
