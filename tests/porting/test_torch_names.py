"""Names a ported script reaches through ``torch.`` after ``import autograd as torch``."""

from __future__ import annotations

import numpy as np

import autograd as torch
import nn
import nn.utils.data
import optim


def test_torch_dot_package_names_are_our_packages():
    assert torch.nn is nn
    assert torch.optim is optim
    assert torch.utils is nn.utils
    assert torch.utils.data is nn.utils.data
    assert torch.autograd is torch


def test_a_script_body_using_torch_dot_optim_and_torch_dot_nn_trains():
    # nanoGPT's style: only ``import torch`` at the top, the rest through ``torch.``
    torch.manual_seed(0)
    model = torch.nn.Linear(3, 1)
    torch.nn.init.normal_(model.weight, mean=0.0, std=0.02)
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-2)
    x = torch.tensor(np.random.default_rng(0).normal(size=(16, 3)), dtype=torch.float32)
    y = x.sum(dim=1, keepdim=True)
    losses = []
    for _ in range(30):
        loss = torch.nn.functional.mse_loss(model(x), y)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    assert losses[-1] < losses[0] * 0.5


def test_unknown_names_still_raise_attribute_error():
    try:
        torch.no_such_name  # noqa: B018
    except AttributeError as e:
        assert "no_such_name" in str(e)
    else:
        raise AssertionError("expected AttributeError")
