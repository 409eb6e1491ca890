"""Tensor engine speed: one SGD step of an MLP with our Tensor against hand-written numpy.

Two networks, one BLAS thread, layers y = x @ W.T + b (PyTorch's layout) in both;
ours runs them as users get them from nn.Linear (F.linear, one node per layer), and also
written out as ``x @ W.T + b`` (three nodes per layer) for comparison:
- MLP 784-256-256-10, batch 128, float32, ReLU, softmax cross-entropy: the floor is numpy's
  matrix products, so the ratio shows what the engine adds to real work (target <= 1.10x);
- MLP 2-16-16-1, batch 100, float64 (micrograd's network, two moons), max-margin loss + 1e-4
  L2: tiny arrays, so the ratio shows the engine's per-op overhead (target <= 2.0x).
The numpy floor is the same forward and backward written by hand; before timing, both must
give the same loss and gradients for the same weights. Calls alternate between contenders
and the median per step is reported.

Run: python -m benchmarks.tensor_mlp [--repeats N]
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"  # before numpy is imported: one thread, for a repeatable floor

import argparse  # noqa: E402
from collections.abc import Callable  # noqa: E402
from functools import partial  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402

import nn.functional as F  # noqa: E402
import optim  # noqa: E402
from autograd import Tensor  # noqa: E402
from benchmarks.data import mlp_weights, two_moons  # noqa: E402
from benchmarks.timing import interleaved_median_ms, row, verdict  # noqa: E402

LR = 0.01
ALPHA = 1e-4
FUSED_CE = hasattr(F, "cross_entropy")

Params = list[tuple[np.ndarray, np.ndarray]]


# --- the numpy floor ---
def numpy_forward(params: Params, x: np.ndarray) -> tuple[np.ndarray, list, list]:
    """Output, plus the layer inputs and pre-activations backward needs."""
    inputs, pre = [], []
    last = len(params) - 1
    for k, (W, b) in enumerate(params):
        inputs.append(x)
        h = x @ W.T + b
        pre.append(h)
        x = np.maximum(h, 0) if k != last else h
    return x, inputs, pre


def numpy_backward(params: Params, inputs: list, pre: list, d_out: np.ndarray) -> list:
    """Gradients (dW, db) per layer, given d(loss)/d(output)."""
    grads: list = [None] * len(params)
    d = d_out
    for k in range(len(params) - 1, -1, -1):
        W, _ = params[k]
        grads[k] = (d.T @ inputs[k], d.sum(axis=0))
        if k:
            d = (d @ W) * (pre[k - 1] > 0)
    return grads


def numpy_cross_entropy(logits: np.ndarray, labels: np.ndarray) -> tuple[float, np.ndarray]:
    """Mean softmax cross-entropy and its gradient with respect to the logits."""
    n = len(labels)
    z = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(z)
    s = e.sum(axis=1, keepdims=True)
    loss = -(z[np.arange(n), labels] - np.log(s[:, 0])).mean()
    d = e / s
    d[np.arange(n), labels] -= 1
    return float(loss), d / n


def numpy_max_margin(scores: np.ndarray, y: np.ndarray, params: Params) -> tuple[float, Any]:
    """mean(relu(1 - y * score)) + ALPHA * sum(p * p): loss, d/d(scores), d/d(params) of L2."""
    m = 1 - y * scores
    loss = np.maximum(m, 0).mean() + ALPHA * sum((p * p).sum() for layer in params for p in layer)
    d = -(y * (m > 0)) / m.size
    reg = [tuple(2 * ALPHA * p for p in layer) for layer in params]
    return float(loss), (d, reg)


def numpy_loss_and_grads(params: Params, x: np.ndarray, target: np.ndarray, head: str) -> tuple:
    """Loss and per-layer (dW, db) of the network with the given loss head."""
    out, inputs, pre = numpy_forward(params, x)
    if head == "cross_entropy":
        loss, d = numpy_cross_entropy(out, target)
        return loss, numpy_backward(params, inputs, pre, d)
    loss, (d, reg) = numpy_max_margin(out, target, params)
    grads = numpy_backward(params, inputs, pre, d)
    return loss, [(gW + rW, gb + rb) for (gW, gb), (rW, rb) in zip(grads, reg)]


def numpy_step(params: Params, x: np.ndarray, target: np.ndarray, head: str) -> float:
    """One SGD step on the numpy network, in place."""
    loss, grads = numpy_loss_and_grads(params, x, target, head)
    for layer, layer_grads in zip(params, grads):
        for p, g in zip(layer, layer_grads):
            p -= LR * g
    return loss


# --- ours ---
def composed_linear(x: Tensor, W: Tensor, b: Tensor) -> Tensor:
    """The layer written out with Tensor ops (three nodes instead of one)."""
    return x @ W.T + b


def tensor_forward(
    params: list[tuple[Tensor, Tensor]], x: Tensor, layer: Callable[..., Tensor] = F.linear
) -> Tensor:
    """The network on our Tensors: ``layer`` (F.linear, what nn.Linear runs), ReLU between."""
    last = len(params) - 1
    for k, (W, b) in enumerate(params):
        x = layer(x, W, b)
        if k != last:
            x = x.relu()
    return x


def tensor_cross_entropy(logits: Tensor, labels: np.ndarray) -> Tensor:
    """nn.functional.cross_entropy when it exists, else log-softmax composed from Tensor ops."""
    if FUSED_CE:
        return F.cross_entropy(logits, Tensor(labels))
    z = logits - logits.amax(dim=1, keepdim=True).detach()
    log_p = z - z.exp().sum(axis=1, keepdims=True).log()
    one_hot = np.eye(logits.shape[1], dtype=logits.dtype)[labels]
    return -(log_p * one_hot).sum() * (1.0 / len(labels))


def tensor_loss(
    params: list, x: Tensor, target: np.ndarray, head: str, layer: Callable[..., Tensor] = F.linear
) -> Tensor:
    """The loss of our network with the given head."""
    out = tensor_forward(params, x, layer)
    if head == "cross_entropy":
        return tensor_cross_entropy(out, target)
    data_loss = (1 - out * target).relu().mean()
    return data_loss + ALPHA * sum((p * p).sum() for layer in params for p in layer)


def tensor_step(
    params: list, x: Tensor, target: np.ndarray, head: str, layer: Callable[..., Tensor] = F.linear
) -> float:
    """One SGD step with our engine: backward, then a hand-written numpy update (as the
    floor's). Written the PyTorch way, ``p.data -= LR * p.grad`` adds two Tensor ops per
    parameter, since ``.grad`` is a Tensor; the optim.SGD row shows the user-facing cost."""
    loss = tensor_loss(params, x, target, head, layer)
    flat = [p for layer in params for p in layer]
    for p in flat:
        p.grad = None
    loss.backward()
    for p in flat:
        p.data -= LR * p.grad.data
    return loss.item()


def optimizer_step(opt: Any, params: list, x: Tensor, target: np.ndarray, head: str) -> float:
    """One step as users write it: zero_grad, backward, optim.SGD.step()."""
    loss = tensor_loss(params, x, target, head)
    opt.zero_grad()
    loss.backward()
    opt.step()
    return loss.item()


# --- the comparison ---
def as_tensors(params: Params) -> list[tuple[Tensor, Tensor]]:
    return [
        (Tensor(W.copy(), requires_grad=True), Tensor(b.copy(), requires_grad=True))
        for W, b in params
    ]


def check_same_numbers(params: Params, x: np.ndarray, target: np.ndarray, head: str) -> float:
    """Assert our loss and gradients match the numpy floor's for the same weights."""
    loss, grads = numpy_loss_and_grads([(W.copy(), b.copy()) for W, b in params], x, target, head)
    ours = as_tensors(params)
    t_loss = tensor_loss(ours, Tensor(x), target, head)
    t_loss.backward()
    assert np.isclose(t_loss.item(), loss, rtol=1e-5), (t_loss.item(), loss)
    for (W, b), (gW, gb) in zip(ours, grads):
        assert W.grad is not None and b.grad is not None
        assert W.grad.dtype == W.dtype and b.grad.dtype == b.dtype
        np.testing.assert_allclose(W.grad, gW, rtol=1e-3, atol=1e-6)
        np.testing.assert_allclose(b.grad, gb, rtol=1e-3, atol=1e-6)
    return loss


def compare(
    title: str,
    sizes: list[int],
    x: np.ndarray,
    target: np.ndarray,
    head: str,
    repeats: int,
    target_ratio: float,
    dtype: Any = np.float32,
) -> None:
    """Print ms/step of the numpy floor, ours, and ours with optim.SGD, and the ratio."""
    params = mlp_weights(sizes, seed=1, dtype=dtype)
    first = check_same_numbers(params, x, target, head)
    ours = as_tensors(params)
    with_opt = as_tensors(params)
    opt = optim.SGD([p for layer in with_opt for p in layer], lr=LR)
    x_t = Tensor(x)
    contenders: dict[str, Callable[[], object]] = {
        "numpy floor": partial(
            numpy_step, [(W.copy(), b.copy()) for W, b in params], x, target, head
        ),
        "ours": partial(tensor_step, ours, x_t, target, head),
        "ours, layers as x @ W.T + b": partial(
            tensor_step, as_tensors(params), x_t, target, head, composed_linear
        ),
        "ours + optim.SGD": partial(optimizer_step, opt, with_opt, x_t, target, head),
    }
    ms = interleaved_median_ms(contenders, repeats, warmup=3)
    print(f"{title}  (same loss and gradients: initial loss {first:.6f})")
    base = ms["numpy floor"]
    for name, t in ms.items():
        print(row(f"{name} ms/step", t, None if name == "numpy floor" else base))
    print(verdict("ours/numpy", ms["ours"] / base, target_ratio))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=200, help="timed steps (big network)")
    args = parser.parse_args()
    ce = "nn.functional.cross_entropy" if FUSED_CE else "log-softmax composed from Tensor ops"
    print(f"one BLAS thread, median of alternating steps; cross-entropy: {ce}")

    rng = np.random.default_rng(0)
    x = rng.normal(size=(128, 784)).astype(np.float32)
    labels = rng.integers(0, 10, size=128)
    compare(
        "MLP 784-256-256-10, batch 128, softmax cross-entropy",
        [784, 256, 256, 10],
        x,
        labels,
        "cross_entropy",
        args.repeats,
        1.10,
    )

    X, y = two_moons(100)
    compare(
        "MLP 2-16-16-1, batch 100, float64, max-margin + L2 (per-op overhead)",
        [2, 16, 16, 1],
        X.astype(np.float64),
        y.astype(np.float64)[:, None],
        "max_margin",
        10 * args.repeats,
        2.0,
        np.float64,
    )


if __name__ == "__main__":
    main()
