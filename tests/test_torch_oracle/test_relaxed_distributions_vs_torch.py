"""``RelaxedBernoulli`` and ``RelaxedOneHotCategorical`` against torch.distributions, given the
same float64 parameters: log_prob and its gradients in the logits or probs and in the
temperature, batch/event/sample/expand shapes, supports and has_rsample."""

import numpy as np
import pytest

import autograd as ag

torch = pytest.importorskip("torch")

CASES = {
    "categorical_logits": (
        lambda D, tmp, p: D.RelaxedOneHotCategorical(tmp, logits=p),
        np.array([[0.2, -1.0, 0.5], [1.0, 0.0, -0.3]]),
        np.array([[0.2, 0.5, 0.3], [0.6, 0.3, 0.1]]),
    ),
    "categorical_probs": (
        lambda D, tmp, p: D.RelaxedOneHotCategorical(tmp, probs=p),
        np.array([0.2, 0.5, 0.3]),
        np.array([[0.1, 0.1, 0.8], [0.3, 0.3, 0.4]]),
    ),
    "bernoulli_probs": (
        lambda D, tmp, p: D.RelaxedBernoulli(tmp, probs=p),
        np.array([0.3, 0.8]),
        np.array([[0.2, 0.9], [0.5, 0.01]]),
    ),
    "bernoulli_logits": (
        lambda D, tmp, p: D.RelaxedBernoulli(tmp, logits=p),
        np.array([[-1.0, 0.5, 2.0]]),
        np.array([0.3, 0.6, 0.99]),
    ),
}


def run(lib, name, temperature):
    make, param, value = CASES[name]
    tmp = lib.tensor(temperature, dtype=lib.float64, requires_grad=True)
    p = lib.tensor(param, dtype=lib.float64, requires_grad=True)
    d = make(lib.distributions, tmp, p)
    lp = d.log_prob(lib.tensor(value, dtype=lib.float64))
    lp.sum().backward()
    shapes = (
        tuple(d.batch_shape),
        tuple(d.event_shape),
        tuple(d.rsample((3,)).shape),
        tuple(d.expand((4, *d.batch_shape)).sample().shape),
    )
    support = repr(d.support).replace("torch.", "").replace("autograd.", "")
    return lp.detach().numpy(), p.grad.numpy(), tmp.grad.numpy(), shapes, support, d.has_rsample


@pytest.mark.parametrize("temperature", [0.4, [1.3]])
@pytest.mark.parametrize("name", sorted(CASES))
def test_matches_torch(name, temperature):
    ours, theirs = run(ag, name, temperature), run(torch, name, temperature)
    for mine, want in zip(ours[:3], theirs[:3], strict=True):
        np.testing.assert_allclose(mine, want, rtol=1e-10, atol=1e-12)
    assert ours[3:] == theirs[3:]
