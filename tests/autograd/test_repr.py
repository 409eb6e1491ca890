"""A Tensor prints as PyTorch's does: ``tensor(...)``, 4 decimals, then dtype and history."""

from __future__ import annotations

import numpy as np
import pytest

import autograd as torch


@pytest.mark.parametrize(
    ("make", "text"),
    [
        (
            lambda: torch.tensor([0.2429157, 0.589883, 0.16720125]),
            "tensor([0.2429, 0.5899, 0.1672])",
        ),
        (lambda: torch.tensor(1.0000001), "tensor(1.0000)"),
        (lambda: torch.tensor([1.0, 2.0]), "tensor([1., 2.])"),
        (lambda: torch.tensor([1e-5, 1.0]), "tensor([1.0000e-05, 1.0000e+00])"),
        (
            lambda: torch.tensor([0.5, float("nan"), float("inf")]),
            "tensor([0.5000,    nan,    inf])",
        ),
        (lambda: torch.tensor([[1, 2], [3, 4]]), "tensor([[1, 2],\n        [3, 4]])"),
        (lambda: torch.tensor([True, False]), "tensor([ True, False])"),
        (lambda: torch.tensor(3), "tensor(3)"),
        (lambda: torch.zeros(2, dtype=torch.int32), "tensor([0, 0], dtype=autograd.int32)"),
        (
            lambda: torch.tensor([1.5], dtype=torch.float64),
            "tensor([1.5000], dtype=autograd.float64)",
        ),
        (lambda: torch.zeros(0, 3), "tensor([], size=(0, 3))"),
        (
            lambda: torch.tensor([1.0, 2.0], requires_grad=True),
            "tensor([1., 2.], requires_grad=True)",
        ),
        (
            lambda: torch.tensor([1.0, 2.0], requires_grad=True) * 2,
            "tensor([2., 4.], grad_fn=<MulBackward>)",
        ),
        (
            lambda: torch.tensor([1.0], requires_grad=True).sum(),
            "tensor(1., grad_fn=<SumBackward>)",
        ),
    ],
)
def test_repr_follows_torchs_layout(make, text):
    assert repr(make()) == text
    assert str(make()) == text


def test_repr_matches_torch_where_the_names_agree():
    real = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    for values in (
        rng.normal(size=(3, 4)),
        rng.normal(size=(2, 3)) * 1e4,
        rng.normal(size=5) * 1e-6,
    ):
        data = values.astype(np.float32)
        assert repr(torch.tensor(data)) == repr(real.tensor(data))
    big = rng.normal(size=(40, 40)).astype(np.float32)
    assert repr(torch.tensor(big)) == repr(real.tensor(big))


def test_set_printoptions_precision_sci_mode_threshold_and_profile():
    try:
        torch.set_printoptions(precision=2)
        assert repr(torch.tensor([1.23456, 2.5])) == "tensor([1.23, 2.50])"
        torch.set_printoptions(sci_mode=True)
        assert repr(torch.tensor([1.5, 2.5])) == "tensor([1.50e+00, 2.50e+00])"
        torch.set_printoptions(profile="default", threshold=5)
        assert repr(torch.arange(10.0)) == "tensor([0., 1., 2.,  ..., 7., 8., 9.])"
    finally:
        torch.set_printoptions(profile="default")
    assert repr(torch.tensor([1.23456])) == "tensor([1.2346])"
    with pytest.raises(ValueError, match="profile"):
        torch.set_printoptions(profile="huge")


def test_a_suffix_without_room_goes_on_a_new_line_as_torch():
    text = repr(torch.tensor(np.arange(9.0) / 7))
    assert text.endswith("1.1429],\n       dtype=autograd.float64)")
    text = repr(torch.tensor(np.arange(30.0).reshape(3, 10) / 7))
    assert text.endswith("4.1429]], dtype=autograd.float64)")  # room on the last line
    assert repr(torch.tensor([1e10, 1.0])) == "tensor([1.0000e+10, 1.0000e+00])"
    assert repr(torch.tensor([], dtype=torch.int64)) == "tensor([], dtype=autograd.int64)"


def test_named_pairs_print_as_torchs_return_types():
    x = torch.tensor([[1.0, 3.0], [4.0, 2.0]])
    assert repr(x.max(dim=1)) == (
        "autograd.return_types.max(\nvalues=tensor([3., 4.]),\nindices=tensor([1, 0]))"
    )
    values, indices = x.sort()
    assert values.tolist() == [[1.0, 3.0], [2.0, 4.0]] and x.sort().indices.tolist()[1] == [1, 0]


def test_printing_extreme_values_raises_no_numpy_warning():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert repr(torch.tensor([3e38, 1e-45])) == "tensor([3.0000e+38, 1.4013e-45])"
        assert "inf" in repr(torch.tensor([1e38, 1e-38, float("inf")]))
