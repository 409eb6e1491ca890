"""Fractional max pooling against torch with the same ``_random_samples``: values, indices
and gradients of ``nn.functional.fractional_max_pool2d/3d`` and ``nn.FractionalMaxPool2d/3d``
over shapes (batched, unbatched, empty batch), kernels, output sizes and ratios, float32 and
float64, samples outside [0, 1); the modules' attributes and reprs; the calls both refuse,
with the same exception types."""

from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import autograd  # noqa: E402
import nn  # noqa: E402
import nn.functional as F  # noqa: E402

CASES = [
    (2, (2, 3, 11, 13), (2, 3), dict(output_size=(5, 6))),
    (2, (3, 9, 9), 3, dict(output_size=4)),
    (2, (2, 2, 10, 7), 2, dict(output_ratio=(0.5, 0.75))),
    (2, (1, 1, 8, 8), 8, dict(output_size=1)),
    (2, (0, 2, 6, 6), 2, dict(output_size=3)),
    (2, (2, 2, 6, 6), 2, dict(output_size=0)),
    (2, (1, 2, 17, 5), (4, 2), dict(output_size=(9, 4))),
    (3, (2, 2, 7, 9, 11), 2, dict(output_size=(4, 5, 6))),
    (3, (2, 5, 6, 7), (1, 2, 3), dict(output_size=(4, 3, 2))),
    (3, (1, 2, 8, 8, 8), 3, dict(output_ratio=(0.5, 0.5, 0.5))),
]


def _run(lib, functional, x0, samples, kernel, kw):
    x = lib.tensor(x0, requires_grad=True)
    values, indices = functional(x, kernel, return_indices=True,
                                 _random_samples=lib.tensor(samples), **kw)  # fmt: skip
    weights = np.random.default_rng(1).normal(size=tuple(values.shape)).astype(x0.dtype)
    (values * lib.tensor(weights)).sum().backward()
    return values.detach().numpy(), indices.numpy(), x.grad.numpy(), str(values.dtype)[-7:]


@pytest.mark.parametrize("case", CASES, ids=[str(i) for i in range(len(CASES))])
@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("sample_range", [(0, 1), (-2, 3)])
def test_functional_matches_torch(case, dtype, sample_range):
    d, shape, kernel, kw = case
    rng = np.random.default_rng(0)
    x0 = rng.normal(size=shape).astype(dtype)
    x0[rng.random(shape) < 0.1] = 0.0  # ties
    batch = shape[0] if len(shape) == d + 2 else 1
    samples = rng.uniform(*sample_range, size=(batch, shape[-d - 1], d)).astype(dtype)
    name = f"fractional_max_pool{d}d"
    ours = _run(autograd, getattr(F, name), x0, samples, kernel, kw)
    theirs = _run(torch, getattr(torch.nn.functional, name), x0, samples, kernel, kw)
    assert ours[3] == theirs[3]
    for a, b in zip(ours[:3], theirs[:3], strict=True):
        assert a.shape == b.shape and a.dtype == b.dtype
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("d", [2, 3])
def test_modules_match_torch(d):
    rng = np.random.default_rng(2)
    shape = (2, 3) + (7,) * d
    x0 = rng.normal(size=shape)
    samples = rng.random((2, 3, d))
    name = f"FractionalMaxPool{d}d"
    for kwargs in (dict(output_size=3), dict(output_ratio=0.5, return_indices=True)):
        ours = getattr(nn, name)(2, _random_samples=autograd.tensor(samples), **kwargs)
        theirs = getattr(torch.nn, name)(2, _random_samples=torch.tensor(samples), **kwargs)
        assert repr(ours) == repr(theirs)
        for attr in ("kernel_size", "output_size", "output_ratio", "return_indices"):
            assert getattr(ours, attr) == getattr(theirs, attr)
        assert list(ours.state_dict()) == list(theirs.state_dict())
        a, b = ours(autograd.tensor(x0)), theirs(torch.tensor(x0))
        for u, v in zip(a if isinstance(a, tuple) else (a,), b if isinstance(b, tuple) else (b,)):
            np.testing.assert_array_equal(u.numpy(), v.numpy())


def test_the_output_is_a_max_of_windows_without_samples_in_both():
    x = np.random.default_rng(3).normal(size=(2, 3, 9, 9))
    for lib, fn in ((autograd, F.fractional_max_pool2d),
                    (torch, torch.nn.functional.fractional_max_pool2d)):  # fmt: skip
        values, indices = fn(lib.tensor(x), 3, output_size=4, return_indices=True)
        assert tuple(values.shape) == tuple(indices.shape) == (2, 3, 4, 4)
        gathered = np.take_along_axis(x.reshape(2, 3, -1), indices.numpy().reshape(2, 3, -1), 2)
        np.testing.assert_array_equal(gathered.reshape(2, 3, 4, 4), values.numpy())


X = np.zeros((2, 3, 8, 8))


@pytest.mark.parametrize(
    ("args", "kw", "errors"),
    [
        ((X, 2), {}, ValueError),
        ((X, 2, 8), {}, RuntimeError),
        ((X, 9, 1), {}, RuntimeError),
        ((X[0, 0], 2, 3), {}, IndexError),
        ((X[None], 2, 3), {}, RuntimeError),
        ((X, 2, -1), {}, RuntimeError),
        ((X, (2, 2, 2), 3), {}, (RuntimeError, TypeError)),
        ((X[:, :0], 2, 3), {}, RuntimeError),
        ((X, 2, 3), dict(_random_samples=np.zeros((2, 3))), RuntimeError),
        ((X, 2, 3), dict(_random_samples=np.zeros((2, 3, 3))), RuntimeError),
        ((X, 2, 3), dict(_random_samples=np.zeros((1, 3, 2))), RuntimeError),
        ((X, 2, 3), dict(_random_samples=np.zeros((2, 4, 2))), RuntimeError),
        ((X, 2, 3), dict(_random_samples=np.zeros((2, 3, 2), np.float32)), RuntimeError),
    ],
)
def test_both_refuse_the_same_calls(args, kw, errors):
    for lib, fn in ((autograd, F.fractional_max_pool2d),
                    (torch, torch.nn.functional.fractional_max_pool2d)):  # fmt: skip
        call_kw = {k: lib.tensor(v) for k, v in kw.items()}
        with pytest.raises(errors):
            fn(lib.tensor(args[0]), *args[1:], **call_kw)


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        dict(output_size=3, output_ratio=0.5),
        dict(output_ratio=1.0),
        dict(output_ratio=(0.5, 0)),
    ],
)
def test_both_modules_refuse_the_same_arguments(kwargs):
    for lib in (nn, torch.nn):
        with pytest.raises(ValueError):
            lib.FractionalMaxPool2d(2, **kwargs)


def test_both_refuse_integer_input():
    for lib, fn in ((autograd, F.fractional_max_pool2d),
                    (torch, torch.nn.functional.fractional_max_pool2d)):  # fmt: skip
        with pytest.raises(NotImplementedError):
            fn(lib.zeros(1, 1, 4, 4, dtype=lib.int64), 2, 2)


@pytest.mark.parametrize(("kernel", "out"), [(1, 5), ((1, 2, 2), (4, 4, 4)), (2, (4, 3, 4))])
def test_both_refuse_3d_windows_reaching_the_last_entry(kernel, out):
    for lib, fn in ((autograd, F.fractional_max_pool3d),
                    (torch, torch.nn.functional.fractional_max_pool3d)):  # fmt: skip
        with pytest.raises(RuntimeError, match="too large relative to input"):
            fn(lib.zeros(1, 1, 5, 5, 5), kernel, out)
