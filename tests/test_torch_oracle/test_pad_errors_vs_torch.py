"""F.pad over a grid of input shapes (0-d to 5-d, empty dims included), padding tuples (odd
lengths, too many pairs, negative amounts, crops to nothing, reflections as long as the
input) and modes against torch: it raises exactly where torch does, with an error of torch's
type (RuntimeError, NotImplementedError, TypeError), and otherwise gives torch's values."""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import autograd  # noqa: E402
import nn.functional as F  # noqa: E402

SHAPES = [
    (),
    (3,),
    (2, 3),
    (1, 2, 3),
    (2, 1, 2, 3),
    (1, 1, 2, 2, 3),
    (2, 0, 3),
    (0, 3),
    (1, 2, 0),
    (1, 1, 1),
    (1, 2, 1, 1),
    (2, 4),
]
PADS = [
    (),
    (1,),
    (1, 1),
    (0, 0),
    (2, 1),
    (3, 0),
    (0, 3),
    (-1, 1),
    (-2, -1),
    (-3, 0),
    (-3, 1),
    (-4, 1),
    (2, -2),
    (4, 4),
    (1, 1, 1),
    (1, 1, 1, 1),
    (1, -1, 2, 0),
    (-1, -1, -1, -1),
    (0, 0, -1, -1),
    (0, 0, 0, 0),
    (1, 1, 1, 1, 1, 1),
    (1, 0, 0, 1, 1, 0),
    (0, 0, 0, 0, -1, -1),
    (1, 1, 1, 1, 1, 1, 1, 1),
]
MODES = ["constant", "reflect", "replicate", "circular"]


def _torch_reads_unwritten(mode: str, shape: tuple, pad: tuple) -> bool:
    """Circular padding that wraps more than the cropped axis holds into a non-empty output:
    torch copies from parts of its output it never wrote (uninitialised memory); ours wraps
    the part that is left, or refuses when nothing is left."""
    if mode != "circular" or len(pad) % 2 or len(pad) // 2 > len(shape):
        return False
    out = list(shape)
    worse = False
    for i in range(len(pad) // 2):
        ax = len(shape) - 1 - i
        a, b, n = pad[2 * i], pad[2 * i + 1], shape[ax]
        kept = n - max(-a, 0) - max(-b, 0)
        worse |= max(a, b) > max(kept, 0) and min(a, b) < 0
        out[ax] = n + a + b
    return worse and all(s > 0 for s in out)


def _outcome(run: Any) -> tuple[str, Any]:
    try:
        return "ok", run()
    except Exception as e:  # noqa: BLE001 (the error is the outcome compared)
        return "raises", e


def _compare(shape: tuple, pad: Any, mode: str, value: Any) -> None:
    x = np.arange(int(np.prod(shape)), dtype=np.float64).reshape(shape) + 1
    kw = {} if value is None else {"value": value}
    kind_t, theirs = _outcome(lambda: torch.nn.functional.pad(torch.tensor(x), pad, mode, **kw))
    kind_o, ours = _outcome(lambda: F.pad(autograd.tensor(x), pad, mode, **kw))
    where = f"pad(shape {shape}, {pad!r}, {mode!r}, value={value})"
    assert kind_o == kind_t, f"{where}: torch {kind_t} {theirs!r:.150}, ours {ours!r:.150}"
    if kind_t == "raises":
        assert isinstance(ours, type(theirs)), f"{where}: torch {theirs!r:.150}, ours {ours!r}"
    else:
        assert ours.shape == tuple(theirs.shape), where
        np.testing.assert_array_equal(ours.numpy(), theirs.numpy(), err_msg=where)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("shape", SHAPES)
def test_pad_raises_where_torch_raises_and_agrees_elsewhere(shape, mode):
    for pad, value in itertools.product(PADS, (None, 2.5)):
        if not _torch_reads_unwritten(mode, shape, pad):
            _compare(shape, pad, mode, value)


@pytest.mark.parametrize(
    ("pad", "mode", "value"),
    [
        ((1.5, 1), "constant", None),  # not ints: TypeError
        ((True, 1), "constant", None),
        ([1, 2], "constant", None),  # a list is taken
        ((1, 1), "reflect", 1.0),  # value only with mode='constant'
        ((1, 1), "reflect", 0.0),
        ((1, 1), "bogus", None),  # no such mode: NotImplementedError
        ((1, 1, 1), "reflect", None),
    ],
)
def test_pad_argument_errors_as_torch(pad, mode, value):
    _compare((1, 2, 3), pad, mode, value)


def test_the_grid_covers_every_kind_of_refusal():
    """The grid reaches each of torch's refusals (so the comparison above can fail)."""
    seen = set()
    for shape, pad, mode in itertools.product(SHAPES, PADS, MODES):
        x = torch.zeros(shape)
        try:
            torch.nn.functional.pad(x, pad, mode)
        except Exception as e:  # noqa: BLE001
            seen.add(type(e).__name__)
    assert {"RuntimeError", "NotImplementedError"} <= seen
