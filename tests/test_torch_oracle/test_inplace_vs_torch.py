"""In-place programs run on our Tensors and on torch's give the same values and gradients,
and raise in the same places.

One documented difference: where an op saved its output for backward and a recorded in-place
op then overwrites that output (not through a view), torch refuses the backward; we keep the
old value in the graph and give the exact gradient. The programs mark those places with
``keep``: on the torch side it clones (the out-of-place equivalent), on ours it is the
identity.
"""

from __future__ import annotations

import numpy as np
import pytest

import autograd
import nn.functional as F

torch = pytest.importorskip("torch")
import torch.nn.functional as tF  # noqa: E402


def course_softmax_grad(lib, f, z, y, keep):
    d = keep(f.softmax(z, 1))
    d[range(z.shape[0]), y] -= 1
    d /= z.shape[0]
    return d


def chained(lib, f, z, y, keep):
    h = z * 2
    h += 1
    h[:, 0] = z[:, 1] * 3
    h.clamp_(-3, 3)
    h = keep(h)
    h.mul_(z)
    return h


def setitem_from_grad(lib, f, z, y, keep):
    buf = lib.zeros(z.shape, dtype=z.dtype)
    buf[0] = z[1].exp()
    buf[1:] = z[1:] * 3
    return buf


def masked(lib, f, z, y, keep):
    h = keep(z.tanh())
    h.masked_fill_(z > 0, 0.5)
    h.add_(z, alpha=2)
    h.sub_(1)
    return h


def optimizer_updates(lib, f, z, y, keep):
    # a hand-written Adam step and an EMA, on tensors in the graph
    m = keep(z * 0.5)
    v = keep(z * z)
    m.mul_(0.9).add_(z, alpha=0.1)
    v.mul_(0.99).addcmul_(z, z, value=0.01)
    p = keep(z + 1)
    p.addcdiv_(m, keep(v.sqrt()).add_(1e-3), value=-0.1)
    p.lerp_(z.exp(), 0.25)
    return p


PROGRAMS = [course_softmax_grad, chained, setitem_from_grad, masked, optimizer_updates]


@pytest.mark.parametrize("program", PROGRAMS, ids=lambda p: p.__name__)
def test_in_place_program_matches_torch(program):
    rng = np.random.default_rng(0)
    z0 = rng.normal(size=(4, 3))
    y = np.array([0, 2, 1, 2])
    w = rng.normal(size=(4, 3))
    z = autograd.tensor(z0, requires_grad=True)
    ours = program(autograd, F, z, y, lambda t: t)
    (ours * autograd.tensor(w)).sum().backward()
    tz = torch.tensor(z0, requires_grad=True)
    theirs = program(torch, tF, tz, torch.tensor(y), lambda t: t.clone())
    (theirs * torch.tensor(w)).sum().backward()
    np.testing.assert_allclose(ours.data, theirs.detach().numpy(), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(z.grad.data, tz.grad.numpy(), rtol=1e-10, atol=1e-12)


def test_leaf_error_and_no_grad_update_match_torch():
    p = autograd.tensor([1.0, 2.0], requires_grad=True)
    tp = torch.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError):
        tp += 1
    with pytest.raises(RuntimeError):
        p += 1
    (p * p).sum().backward()
    (tp * tp).sum().backward()
    with autograd.no_grad():
        p -= 0.1 * p.grad
    with torch.no_grad():
        tp -= 0.1 * tp.grad
    np.testing.assert_allclose(p.data, tp.detach().numpy(), rtol=1e-6)


def test_modified_saved_tensor_raises_in_both():
    for lib in (autograd, torch):
        x = lib.tensor([0.5, 1.0], requires_grad=True)
        y = x.exp()
        with lib.no_grad():
            y += 1
        with pytest.raises(RuntimeError, match="in-?place"):
            y.sum().backward()


def test_torch_refuses_where_we_keep_the_old_value():
    # d[[0], [0]] -= 1 (integer-array indexing) reads a copy and writes it back with a
    # recorded index assignment: torch overwrites softmax's saved output, we keep it
    tz = torch.tensor([[0.5, 1.0]], requires_grad=True)
    d = tF.softmax(tz, 1)
    d[[0], [0]] -= 1
    with pytest.raises(RuntimeError, match="inplace"):
        d.sum().backward()
    z = autograd.tensor([[0.5, 1.0]], requires_grad=True)
    d = F.softmax(z, 1)
    d[[0], [0]] -= 1
    d.sum().backward()  # softmax sums to 1: the gradient of the sum is exactly 0
    np.testing.assert_allclose(z.grad.data, [[0.0, 0.0]], atol=1e-7)


def test_a_change_through_a_view_overwrites_saved_output_in_both():
    # d[0, 0] is a view: -= writes into d's memory, as torch's, so softmax's saved output
    # is gone and both refuse the backward
    for lib, f in ((torch, tF), (autograd, F)):
        z = lib.tensor([[0.5, 1.0]], requires_grad=True)
        d = f.softmax(z, 1)
        d[0, 0] -= 1
        with pytest.raises(RuntimeError, match="in-?place"):
            d.sum().backward()
