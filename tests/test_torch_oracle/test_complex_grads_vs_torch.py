"""Complex gradients against torch: a real input goes through ``fft`` into a complex tensor,
each op that carries complex gradients (autograd/complex_grads.py) is applied to it, and the
gradient of a weighted real readout with respect to the input must be torch's."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import autograd  # noqa: E402

OPS: dict[str, Callable[[Any, Any, Any], Any]] = {
    "getitem_int": lambda L, x, z: z[0],
    "slice": lambda L, x, z: z[:, 1:3],
    "mask": lambda L, x, z: z[x > 0],
    "fancy": lambda L, x, z: z[[0, 2, 0]],
    "sum_dim": lambda L, x, z: z.sum(1),
    "mean": lambda L, x, z: z.mean(0),
    "cat": lambda L, x, z: L.cat([z, z * 2]),
    "stack": lambda L, x, z: L.stack([z, z.conj()]),
    "reshape": lambda L, x, z: z.reshape(24),
    "view": lambda L, x, z: z.view(6, 4),
    "permute": lambda L, x, z: z.permute(1, 0),
    "transpose": lambda L, x, z: z.transpose(0, 1),
    "unsqueeze_squeeze": lambda L, x, z: z.unsqueeze(0).squeeze(0),
    "flatten": lambda L, x, z: z.flatten(),
    "roll": lambda L, x, z: z.roll(1, 0),
    "narrow": lambda L, x, z: z.narrow(0, 1, 2),
    "chunk": lambda L, x, z: z.chunk(2)[0],
    "expand": lambda L, x, z: z[:1].expand(3, 6),
    "flip": lambda L, x, z: z.flip(0),
    "mul_real": lambda L, x, z: z * x,
    "div_real": lambda L, x, z: z / (x.abs() + 1),
    "add_real": lambda L, x, z: z + x,
    "scalars": lambda L, x, z: (1 - z) * 2 - z / 2,
    "complex_scalars": lambda L, x, z: z * (1 + 2j) + (1 + 1j) / (z + 5),
    "neg_clone": lambda L, x, z: (-z).clone().contiguous(),
    "to_complex64": lambda L, x, z: z.to(L.complex64),
    "sum_all": lambda L, x, z: z.sum(),
    "unbind_split_select": lambda L, x, z: z.unbind(0)[1] + z.split(2)[0][1] + z.select(0, 1),
    "index_select": lambda L, x, z: z.index_select(0, L.tensor([1, 2])),
    "repeat": lambda L, x, z: z.repeat(2, 1),
    "diagonal": lambda L, x, z: z.diagonal(),
    "where": lambda L, x, z: L.where(x > 0, z, z * z),
    "mul_div_conj": lambda L, x, z: z * z.flip(1) / (z.conj() + 3),
    "matmul": lambda L, x, z: (z @ z.conj().T) * x[:, :4],
    "matmul_batched_vector": lambda L, x, z: z.reshape(2, 2, 6) @ z[0],
    "einsum": lambda L, x, z: L.einsum("ij,kj->ik", z, z * x),
    "abs": lambda L, x, z: z.abs(),
    "angle": lambda L, x, z: z.angle(),
    "real_imag": lambda L, x, z: z.real * z.imag,
    "complex_of_parts": lambda L, x, z: L.complex(z.imag, x) * z,
    "view_as_complex": lambda L, x, z: L.view_as_complex(L.view_as_real(z) * 2) * z,
}


def _grad(lib: Any, name: str) -> tuple:
    rng = np.random.default_rng(0)
    x = lib.tensor(rng.standard_normal((4, 6)), requires_grad=True)
    y = OPS[name](lib, x, lib.fft.fft(x))
    readout = lib.view_as_real(y.resolve_conj()) if y.is_complex() else y
    weights = rng.standard_normal(readout.numel())
    (readout.reshape(-1) * lib.tensor(weights)).sum().backward()
    return y.detach().resolve_conj().numpy(), x.grad.numpy()


@pytest.mark.parametrize("name", sorted(OPS))
def test_complex_gradients_match_torch(name: str) -> None:
    tol = 1e-6 if name == "to_complex64" else 1e-10
    for ours, theirs in zip(_grad(autograd, name), _grad(torch, name)):
        assert ours.dtype == theirs.dtype
        np.testing.assert_allclose(ours, theirs, rtol=tol, atol=tol)


def test_a_complex_leaf_gets_torchs_gradient() -> None:
    rng = np.random.default_rng(1)
    data = rng.standard_normal((3, 4)) + 1j * rng.standard_normal((3, 4))
    grads = []
    for lib in (autograd, torch):
        z = lib.tensor(data, requires_grad=True)
        loss = (lib.fft.ifft2(z * z.conj().flip(0)).abs() + (z / (z + 2)).real).sum()
        loss.backward()
        grads.append(z.grad.resolve_conj().numpy())
    np.testing.assert_allclose(grads[0], grads[1], rtol=1e-10, atol=1e-12)
