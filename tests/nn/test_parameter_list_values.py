"""ParameterList keeps values that are not tensors (``None``, numbers) in their places, as
PyTorch's (Transformer-XL's ``out_projs.append(None)``); Tensors and arrays become registered
Parameters that train."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given

import autograd
import nn
import nn.functional as F
from autograd.testing import gradcheck
from autograd.testing.strategies import tensors


def test_none_is_kept_and_not_registered():
    pl = nn.ParameterList()
    pl.append(None)
    pl.append(nn.Parameter(autograd.ones(2)))
    pl.append(3)
    assert len(pl) == 3 and pl[0] is None and pl[2] == 3 and pl[-1] == 3
    assert [n for n, _ in pl.named_parameters()] == ["1"] and list(pl.state_dict()) == ["1"]
    assert [type(v).__name__ for v in pl] == ["NoneType", "Parameter", "int"]
    assert "(0): Object of type: NoneType" in repr(pl)
    assert "(1): Parameter containing: [float32 of size 2]" in repr(pl)


def test_replacing_entries_registers_and_unregisters():
    pl = nn.ParameterList([None, autograd.zeros(2, 3)])
    pl[0] = autograd.ones(1)
    assert isinstance(pl[0], nn.Parameter)
    pl[1] = None
    assert pl[1] is None and [n for n, _ in pl.named_parameters()] == ["0"]
    with pytest.raises(IndexError, match="out of range for ParameterList of length 2"):
        pl[2]
    assert len(pl[1:]) == 1 and pl[1:][0] is None


def test_conversions_reach_the_registered_entries():
    pl = nn.ParameterList([None, np.ones(2, dtype=np.float32)]).double()
    assert pl[0] is None and pl[1].dtype == autograd.float64


@given(tensors(shape=(2, 3)))
def test_transformer_xl_style_projection_or_none(h):
    """``proj is None``: F.linear on the hidden state itself, else through the projection."""
    weight = autograd.tensor(np.linspace(-1, 1, 12).reshape(4, 3), requires_grad=True)
    projs = nn.ParameterList([None, autograd.tensor(np.eye(3) * 2.0)]).double()

    def logit(hidden, proj):
        if proj is None:
            return F.linear(hidden, weight)
        return F.linear(F.linear(hidden, proj.t().contiguous()), weight)

    assert gradcheck(lambda x: logit(x, projs[0]), [h])
    assert gradcheck(lambda x: logit(x, projs[1]), [h])
    np.testing.assert_allclose(
        logit(h, projs[1]).detach().numpy(), 2 * logit(h, projs[0]).detach().numpy()
    )
