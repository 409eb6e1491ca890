"""uint8 (ByteTensor) masks in indexing, against PyTorch: selected values, gradients, the
assignment of a tensor of values, and the error for a single value."""

import warnings

import numpy as np
import pytest

import autograd

torch = pytest.importorskip("torch")

X = np.random.RandomState(0).randn(2, 3, 4)
MASKS = {
    "full": (np.random.RandomState(1).rand(2, 3, 4) > 0.5).astype(np.uint8),
    "first_axis": np.array([0, 1], dtype=np.uint8),
    "after_int": (1, np.array([1, 0, 1], dtype=np.uint8)),
    "after_slice": (slice(None), slice(None), np.array([1, 1, 0, 1], dtype=np.uint8)),
}


def _index(lib, spec):
    parts = spec if isinstance(spec, tuple) else (spec,)
    return tuple(lib.tensor(p) if isinstance(p, np.ndarray) else p for p in parts)


@pytest.mark.parametrize("name", sorted(MASKS))
def test_select_and_gradient_match_torch(name):
    results = []
    for lib in (autograd, torch):
        x = lib.tensor(X, requires_grad=True)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            y = x[_index(lib, MASKS[name])]
            (y * y).sum().backward()
        results.append((y.detach().numpy(), x.grad.numpy()))
    np.testing.assert_allclose(results[0][0], results[1][0])
    np.testing.assert_allclose(results[0][1], results[1][1])


@pytest.mark.parametrize("name", sorted(MASKS))
def test_assignment_matches_torch(name):
    outs = []
    for lib in (autograd, torch):
        x = lib.tensor(X)
        idx = _index(lib, MASKS[name])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            n = x[idx].shape
            x[idx] = lib.arange(float(np.prod(n)), dtype=lib.float64).view(n)
            outs.append(x.numpy())
            with pytest.raises(RuntimeError, match="masked_fill_ only supports boolean masks"):
                x[idx] = 0.0
    np.testing.assert_array_equal(outs[0], outs[1])
