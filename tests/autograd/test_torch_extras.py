"""In-place forms and index helpers added for ported scripts: one-hot by scatter_,
fill_diagonal_, relu_/sqrt_..., meshgrid, tril/triu_indices, median, nansum."""

from __future__ import annotations

import numpy as np
import pytest

import autograd as torch
from autograd import Tensor


def test_one_hot_rows_by_scatter_():
    y = torch.tensor([1, 3, 0])
    one_hot = torch.zeros(3, 4).scatter_(1, y.unsqueeze(1), 1)
    np.testing.assert_array_equal(one_hot.data, np.eye(4, dtype=np.float32)[[1, 3, 0]])


def test_in_place_unary_forms_follow_the_graph():
    x = Tensor([4.0, 9.0], requires_grad=True)
    y = x * 1
    y.sqrt_()
    y.sum().backward()  # d sqrt(x) / dx = 1 / (2 sqrt(x))
    np.testing.assert_allclose(x.grad.data, [0.25, 1 / 6])
    z = Tensor([-1.0, 2.0])
    assert z.relu_() is z and z.tolist() == [0.0, 2.0]
    assert Tensor([-1.5]).abs_().tolist() == [1.5]
    assert Tensor([1.0, 5.0]).clamp_max_(2.0).tolist() == [1.0, 2.0]


def test_fill_diagonal_square_tall_and_wrapped():
    assert torch.zeros(3, 3).fill_diagonal_(1.0).tolist() == np.eye(3).tolist()
    tall = torch.zeros(5, 2).fill_diagonal_(7.0, wrap=True).data
    assert tall[0, 0] == tall[1, 1] == tall[3, 0] == tall[4, 1] == 7.0 and tall.sum() == 28.0
    assert torch.zeros(5, 2).fill_diagonal_(7.0).data.sum() == 14.0
    with pytest.raises(ValueError, match="all dims equal"):
        torch.zeros(2, 3, 4).fill_diagonal_(1.0)


def test_meshgrid_and_triangle_indices():
    a, b = torch.meshgrid(torch.tensor([1, 2, 3]), torch.tensor([10, 20]), indexing="ij")
    assert a.tolist() == [[1, 1], [2, 2], [3, 3]] and b.tolist() == [[10, 20]] * 3
    x, y = torch.meshgrid(torch.tensor([1, 2, 3]), torch.tensor([10, 20]), indexing="xy")
    assert x.tolist() == [[1, 2, 3]] * 2 and y.tolist() == [[10] * 3, [20] * 3]
    assert torch.tril_indices(3, 3).tolist() == [[0, 1, 1, 2, 2, 2], [0, 0, 1, 0, 1, 2]]
    assert torch.triu_indices(2, 3, 1).tolist() == [[0, 0, 1], [1, 2, 2]]


def test_median_is_the_lower_middle_and_nan_helpers():
    m = torch.tensor([[4.0, 1.0, 3.0, 2.0]]).median(dim=1)
    assert m.values.tolist() == [2.0] and m.indices.tolist() == [3]
    assert torch.tensor([3.0, 1.0, 2.0]).median().item() == 2.0
    t = torch.tensor([1.0, float("nan"), 3.0])
    assert t.nansum().item() == 4.0 and t.nanmean().item() == 2.0


def test_scatter_index_add_and_masked_select_gradients():
    from autograd.testing import gradcheck

    rng = np.random.default_rng(0)
    a = Tensor(rng.normal(size=(3, 4)), requires_grad=True)
    b = Tensor(rng.normal(size=(1, 4)), requires_grad=True)
    idx = torch.tensor([[0, 2, 1, 0]])
    assert gradcheck(lambda p, q: p.scatter(0, idx, q), [a, b])
    src = Tensor(rng.normal(size=(3, 4)), requires_grad=True)
    assert gradcheck(lambda p, q: p.index_add(0, torch.tensor([0, 2, 2]), q, alpha=2), [a, src])
    mask = torch.tensor([True, False, True, True])
    assert a.masked_select(mask).shape == (9,)
    assert gradcheck(lambda p: p.masked_select(mask), [a])


def test_median_nan_ties_and_empty_as_torch():
    x = Tensor([1.0, 2.0, 2.0, 3.0], requires_grad=True)
    m = x.median()
    m.backward()
    assert m.item() == 2.0 and x.grad.tolist() == [0.0, 0.5, 0.5, 0.0]  # ties share
    y = Tensor([[1.0, float("nan"), 3.0], [2.0, 1.0, 5.0]], requires_grad=True)
    rows = y.median(dim=1)
    assert np.isnan(rows.values.data[0]) and rows.indices.tolist() == [1, 0]
    assert rows.values.data[1] == 2.0
    assert np.isnan(y.median().item())
    assert np.isnan(torch.zeros(0).median().item())
