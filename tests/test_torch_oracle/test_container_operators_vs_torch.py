"""The list operators of Sequential and ModuleList (+, +=, *, insert, pop, del) against
torch: the same children, names and numbering, and the same refusals."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

import pytest

torch = pytest.importorskip("torch")

import nn  # noqa: E402


def names(m: Any) -> list:
    return [(k, type(v).__name__) for k, v in m._modules.items()]


def run(nn: Any) -> list:
    out = []
    lst = nn.ModuleList([nn.Linear(1, 1)])
    lst += [nn.ReLU()]
    both = lst + [nn.Tanh()]
    out += [names(lst), names(both), both[0] is lst[0]]
    lst.insert(1, nn.Sigmoid())
    lst.insert(3, nn.ELU())
    out += [names(lst), type(lst.pop(0)).__name__, names(lst)]
    del lst[1:]
    out.append(names(lst))
    seq = nn.Sequential(OrderedDict(a=nn.ReLU(), b=nn.Tanh()))
    out += [names(seq + nn.Sequential(nn.ELU())), names(seq * 2), names(2 * seq)]
    seq += nn.Sequential(nn.ELU())
    out.append(names(seq))
    del seq[0]
    seq.insert(0, nn.GELU())
    out += [names(seq), type(seq.pop(1)).__name__, names(seq)]
    seq *= 2
    out += [names(seq), seq[0] is seq[2]]
    for bad in (
        lambda: seq + [nn.ReLU()],
        lambda: seq * 0,
        lambda: seq * 1.5,
        lambda: lst.__iadd__(nn.ReLU()),
        lambda: seq.insert(9, nn.ReLU()),
        lambda: lst.pop(7),
    ):
        try:
            bad()
            out.append(None)
        except (TypeError, ValueError, IndexError) as e:
            out.append(type(e).__name__)
    return out


def test_list_operators_match_torch():
    assert run(nn) == run(torch.nn)
