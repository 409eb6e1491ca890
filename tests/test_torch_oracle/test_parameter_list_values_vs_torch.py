"""ParameterList with None and other plain values among parameters, against PyTorch: lengths,
entries, registered names, state_dict keys, repr layout, replacement."""

from __future__ import annotations

import pytest

import autograd
import nn

torch = pytest.importorskip("torch")


def describe(pl) -> tuple:
    return (
        len(pl),
        [type(v).__name__ for v in pl],
        [n for n, _ in pl.named_parameters()],
        list(pl.state_dict()),
        repr(pl).replace("torch.", ""),
    )


def test_matches_torch():
    ours = nn.ParameterList([None, nn.Parameter(autograd.ones(2)), 3, autograd.zeros(2, 3)])
    theirs = torch.nn.ParameterList([None, torch.nn.Parameter(torch.ones(2)), 3, torch.zeros(2, 3)])
    assert describe(ours) == describe(theirs)
    for pl, lib in ((ours, autograd), (theirs, torch)):
        pl[0] = lib.ones(1)
        pl[1] = None
        pl.append(None)
    assert describe(ours) == describe(theirs)
    assert describe(ours[1:]) == describe(theirs[1:])
