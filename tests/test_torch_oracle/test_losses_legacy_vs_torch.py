"""The losses' signatures (names, order, defaults of every PyTorch argument, including the
deprecated ``size_average`` / ``reduce``) and their legacy-argument results against PyTorch."""

from __future__ import annotations

import inspect
import warnings

import numpy as np
import pytest

import nn
import nn.functional as F
from autograd import Tensor
from tests.nn.test_losses_legacy_reduction import CASES, LEGACY

torch = pytest.importorskip("torch")

MODULES = {name: module.__name__ for name, (_, module, _) in CASES.items()}


def _params(fn) -> list[tuple[str, object]]:
    return [
        (p.name, p.default) for p in inspect.signature(fn).parameters.values() if p.name != "self"
    ]


@pytest.mark.parametrize("name", sorted(CASES))
def test_signature_prefix_matches_torch(name):
    ours = _params(getattr(F, name))
    theirs = _params(getattr(torch.nn.functional, name))
    # torch's own arguments come first and in its order (ours may add extras after them;
    # torch 2.6+'s weight= on l1/mse is not ours)
    theirs = [p for p in theirs if not (name in ("l1_loss", "mse_loss") and p[0] == "weight")]
    assert [n for n, _ in ours[: len(theirs)]] == [n for n, _ in theirs]
    for (n, d), (_, td) in zip(ours, theirs):
        assert d == td or (d is None and td is None), (n, d, td)
    ours_m = [n for n, _ in _params(getattr(nn, MODULES[name]).__init__)]
    theirs_m = [n for n, _ in _params(getattr(torch.nn, MODULES[name]).__init__)]
    assert ours_m[: len(theirs_m)] == theirs_m


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("size_average,reduce,_", LEGACY)
def test_legacy_values_match_torch(name, size_average, reduce, _):
    function, module, arrays = CASES[name]
    tfn = getattr(torch.nn.functional, name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours = function(*[Tensor(a) for a in arrays], size_average=size_average, reduce=reduce)
        theirs = tfn(*[torch.tensor(a) for a in arrays], size_average=size_average, reduce=reduce)
        ours_m = module(size_average=size_average, reduce=reduce)
        theirs_m = getattr(torch.nn, MODULES[name])(size_average=size_average, reduce=reduce)
    assert ours_m.reduction == theirs_m.reduction
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-10, atol=1e-12)
