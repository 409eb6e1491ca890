"""torch.cat with 1-d empty tensors among others, against PyTorch: shapes, dtypes, values and
gradients, and the refusals."""

import numpy as np
import pytest

import autograd

torch = pytest.importorskip("torch")

CASES = {
    "leading": ([(0,), (2, 3), (1, 3)], 0),
    "trailing_dim1": ([(2, 3), (0,), (2, 2)], 1),
    "negative_dim": ([(2, 3), (0,)], -1),
    "only_empty": ([(0,), (0,)], 0),
    "one_d": ([(0,), (4,)], 0),
}


def _run(lib, shapes, dim, dtypes):
    rs = np.random.RandomState(0)
    ts = [
        lib.tensor(rs.randn(*s), dtype=getattr(lib, d), requires_grad=True)
        for s, d in zip(shapes, dtypes, strict=True)
    ]
    out = lib.cat(ts, dim=dim)
    (out * out).sum().backward()
    return out, [t.grad for t in ts]


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("empty_dtype", ["float32", "float64"])
def test_matches_torch(name, empty_dtype):
    shapes, dim = CASES[name]
    dtypes = [empty_dtype if s == (0,) else "float32" for s in shapes]
    ours, our_grads = _run(autograd, shapes, dim, dtypes)
    theirs, their_grads = _run(torch, shapes, dim, dtypes)
    assert ours.shape == tuple(theirs.shape)
    assert str(ours.dtype) == str(theirs.dtype).split(".")[-1]
    np.testing.assert_allclose(ours.detach().numpy(), theirs.detach().numpy())
    for g, h in zip(our_grads, their_grads, strict=True):
        assert g.shape == tuple(h.shape)
        np.testing.assert_allclose(g.numpy(), h.numpy())


@pytest.mark.parametrize(("shapes", "dim"), [([(0,), (2, 3)], 2), ([(0, 3), (2, 3, 4)], 0)])
def test_refusals_match_torch(shapes, dim):
    for lib in (autograd, torch):
        with pytest.raises((RuntimeError, IndexError, ValueError)):
            lib.cat([lib.zeros(*s) for s in shapes], dim=dim)
