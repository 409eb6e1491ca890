"""The training loop the Tensor demos share: epochs over a DataLoader, a progress bar, and a
history of train/validation loss and accuracy per epoch."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from tqdm import tqdm

import nn
import optim
from autograd import Tensor, no_grad
from nn.utils.data import DataLoader

History = dict[str, list[float]]


def evaluate(
    model: nn.Module, loss_fn: Callable[..., Tensor], x: np.ndarray, y: np.ndarray
) -> tuple[float, float]:
    """Loss and accuracy (argmax of the class scores) of ``model`` on a whole set."""
    was_training = model.training
    model.eval()
    with no_grad():
        scores = model(Tensor(x))
        loss = loss_fn(scores, y).item()
    model.train(was_training)
    return loss, float(np.mean(scores.numpy().argmax(axis=1) == y))


def fit(
    model: nn.Module,
    optimizer: optim.Optimizer,
    train: tuple[np.ndarray, np.ndarray],
    val: tuple[np.ndarray, np.ndarray],
    epochs: int,
    batch_size: int | None = 32,
    loss_fn: Callable[..., Tensor] | None = None,
    desc: str = "training",
    progress: bool = True,
    seed: int = 0,
) -> History:
    """Train a classifier with cross-entropy (unless ``loss_fn``), reshuffling every epoch.

    Before training and after each epoch the whole training and validation sets are
    evaluated, so the curves compare like with like (the notes' learning curves); entry k
    of each history list is after k epochs.
    """
    loss_fn = loss_fn or nn.CrossEntropyLoss()
    loader = DataLoader(*train, batch_size=batch_size, shuffle=True, seed=seed)
    history: History = {"train_loss": [], "val_loss": [], "train_acc": [], "val_acc": []}
    record(history, model, loss_fn, train, val)  # epoch 0: before training
    bar = tqdm(range(epochs), desc=desc, unit="epoch", disable=not progress)
    for _ in bar:
        model.train()
        for xb, yb in loader:
            loss = loss_fn(model(Tensor(xb)), yb)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        record(history, model, loss_fn, train, val)
        bar.set_postfix(
            loss=f"{history['train_loss'][-1]:.3f}", val_acc=f"{history['val_acc'][-1]:.0%}"
        )
    bar.close()
    return history


def record(
    history: History,
    model: nn.Module,
    loss_fn: Callable[..., Tensor],
    train: tuple[np.ndarray, np.ndarray],
    val: tuple[np.ndarray, np.ndarray],
) -> None:
    """Append the whole-set loss and accuracy on both splits to ``history``."""
    for split, (x, y) in (("train", train), ("val", val)):
        loss_value, acc = evaluate(model, loss_fn, x, y)
        history[f"{split}_loss"].append(loss_value)
        history[f"{split}_acc"].append(acc)


def scores_of(model: nn.Module, x: np.ndarray) -> np.ndarray:
    """Class scores for a numpy batch, without recording a graph."""
    model.eval()
    with no_grad():
        return model(Tensor(x)).numpy()


def summary(history: History, name: str = "") -> str:
    """One line: final train/validation loss and accuracy."""
    return (
        f"{name}train loss {history['train_loss'][-1]:.3f}, acc {history['train_acc'][-1]:.1%}"
        f" | validation loss {history['val_loss'][-1]:.3f},"
        f" acc {history['val_acc'][-1]:.1%}"
    )
