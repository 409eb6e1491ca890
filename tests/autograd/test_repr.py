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
        # an inf, nan or -0. only takes its own room: the nonzero finite entries set the width
        (lambda: torch.tensor([1.0, float("inf")]), "tensor([1., inf])"),
        (lambda: torch.tensor([-0.0, 1.0, 2.0]), "tensor([-0., 1., 2.])"),
        (lambda: torch.tensor([-0.0, 0.5]), "tensor([-0.0000, 0.5000])"),
        (
            lambda: torch.tensor([1e-5, -0.0, float("nan")]),
            "tensor([1.0000e-05, -0.0000e+00,        nan])",
        ),
        (lambda: torch.tensor([0.0, float("-inf")]), "tensor([0., -inf])"),
        (lambda: torch.tensor([True]), "tensor([True])"),
        (lambda: torch.tensor([1.5 + 0j, -2.25j]), "tensor([1.5000+0.0000j, -0.0000-2.2500j])"),
        (
            lambda: torch.zeros(2, 0, dtype=torch.complex64),
            "tensor([], size=(2, 0), dtype=autograd.complex64)",
        ),
        (
            lambda: torch.tensor([1e6, -2e6] * 600),
            "tensor([ 1000000., -2000000.,  1000000.,  ..., -2000000.,  1000000.,\n"
            "        -2000000.])",
        ),
        (
            lambda: torch.tensor([1.0, 2.0], requires_grad=True),
            "tensor([1., 2.], requires_grad=True)",
        ),
        (
            lambda: torch.tensor([1.0, 2.0], requires_grad=True) * 2,
            "tensor([2., 4.], grad_fn=<MulBackward0>)",
        ),
        (
            lambda: torch.tensor([1.0], requires_grad=True).sum(),
            "tensor(1., grad_fn=<SumBackward0>)",
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


def _random_arrays(rng: np.random.Generator, count: int) -> list:
    """Arrays of many dtypes, shapes (0-d, empty, summarised), magnitudes and special values."""
    out = []
    for _ in range(count):
        nd = int(rng.integers(0, 4))
        size = 1300 if nd == 1 and rng.random() < 0.2 else 6 if nd > 1 else 9
        shape = tuple(rng.integers(0 if rng.random() < 0.05 else 1, size, size=nd))
        dtype = rng.choice(["float32", "float64", "float16", "int64", "int32", "bool", "complex64"])
        a = rng.normal(size=shape) * 10.0 ** rng.integers(-9, 12)
        if rng.random() < 0.5:
            a = np.round(a)
        if a.size and rng.random() < 0.5:
            spots = rng.integers(0, a.size, size=3)
            a.reshape(-1)[spots] = rng.choice([np.inf, -np.inf, np.nan, -0.0, 0.0], size=3)
        if dtype == "bool":
            a = a > 0
        elif dtype.startswith("int"):
            a = np.nan_to_num(a, posinf=7, neginf=-7).clip(-1e9, 1e9).astype(dtype)
        elif dtype == "complex64":
            a = (a + 1j * rng.normal(size=shape)).astype(dtype)
        else:
            with np.errstate(over="ignore"):
                a = a.astype(dtype)
        out.append(a)
    return out


def _torch_text(text: str) -> str:
    # torch's dtype names are 3 characters shorter: compare the suffixes on one line
    return text.replace("torch.", "autograd.").replace(",\n       dtype=", ", dtype=")


def test_repr_matches_torch_on_random_arrays_with_special_values():
    real = pytest.importorskip("torch")
    rng = np.random.default_rng(7)
    wrong = []
    for a in _random_arrays(rng, 400):
        ours, theirs = repr(torch.tensor(a)), repr(real.tensor(a))
        if _torch_text(ours) != _torch_text(theirs):
            wrong.append((ours, theirs))
    assert not wrong, wrong[:3]


def test_repr_matches_torch_under_print_options():
    real = pytest.importorskip("torch")
    arrays = [
        np.arange(10.0) / 3,
        np.array([1e-6, 1.0, np.inf]),
        np.arange(24.0).reshape(2, 3, 4) - 0.5,
        np.array([1, -2, 300]),
        np.array([-0.0, np.nan, 2.0]),
    ]
    settings = [
        {"precision": 2},
        {"sci_mode": True},
        {"sci_mode": False},
        {"threshold": 5},
        {"edgeitems": 1, "threshold": 3},
        {"edgeitems": 0, "threshold": 3},
        {"linewidth": 30},
    ]
    try:
        for options in settings:
            torch.set_printoptions(**options)
            real.set_printoptions(**options)
            for a in arrays:
                assert _torch_text(repr(torch.tensor(a))) == _torch_text(repr(real.tensor(a)))
            torch.set_printoptions(profile="default")
            real.set_printoptions(profile="default")
    finally:
        torch.set_printoptions(profile="default")
        real.set_printoptions(profile="default")


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
