"""``OneHotCategoricalStraightThrough`` against torch: the gradient a function of a draw
sends to the logits (which does not depend on the draw), shapes, has_rsample and the
Independent wrapping DreamerV2 uses."""

import numpy as np
import pytest

import autograd as ag

torch = pytest.importorskip("torch")


@pytest.mark.parametrize("shape", [(1, 3), (2, 5), (4, 2, 3)])
def test_straight_through_gradients_and_shapes_match_torch(shape):
    rng = np.random.default_rng(0)
    logits, weights = rng.normal(size=shape), rng.normal(size=shape)

    def run(lib):
        lg = lib.tensor(logits, requires_grad=True)
        D = lib.distributions
        d = D.Independent(D.OneHotCategoricalStraightThrough(logits=lg), 1)
        x = d.rsample()
        (x * lib.tensor(weights)).sum().backward()
        shapes = (tuple(x.shape), tuple(d.rsample((2,)).shape), tuple(d.batch_shape))
        return lg.grad.numpy(), shapes, d.has_rsample

    ours, theirs = run(ag), run(torch)
    np.testing.assert_allclose(ours[0], theirs[0], rtol=1e-12, atol=1e-15)
    assert ours[1:] == theirs[1:]
