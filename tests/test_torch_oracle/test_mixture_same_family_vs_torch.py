"""``MixtureSameFamily`` against torch.distributions, given the same float64 parameters:
log_prob, mean, variance, cdf and their gradients, batch/event/sample/expand shapes, repr
and the construction errors."""

import numpy as np
import pytest

import autograd as ag

torch = pytest.importorskip("torch")

RNG = np.random.default_rng(0)

# name: (make(D, params) -> distribution, params, value); a mixture of batch () over components
# of batch (2, 3) evaluates but cannot sample (torch's gather needs the batch dims)
CASES = {
    "normal_1d": (
        lambda D, p: D.MixtureSameFamily(D.Categorical(probs=p[0]), D.Normal(p[1], p[2])),
        [np.array([0.2, 0.5, 0.3]), RNG.normal(size=3), RNG.uniform(0.5, 1.5, 3)],
        RNG.normal(size=(4,)) * 2,
    ),
    "batched_diag_gaussians": (
        lambda D, p: D.MixtureSameFamily(
            D.Categorical(logits=p[0]), D.Independent(D.Normal(p[1], p[2]), 1)
        ),
        [RNG.normal(size=(2, 3)), RNG.normal(size=(2, 3, 2)), RNG.uniform(0.5, 1.5, (2, 3, 2))],
        RNG.normal(size=(5, 2, 2)),
    ),
    "broadcast_weights_mvn": (
        lambda D, p: D.MixtureSameFamily(
            D.Categorical(logits=p[0]), D.MultivariateNormal(p[1], scale_tril=p[2])
        ),
        [RNG.normal(size=(3,)), RNG.normal(size=(2, 3, 2)), np.tile(np.eye(2) * 0.8, (2, 3, 1, 1))],
        RNG.normal(size=(4, 2, 2)),
    ),
}


def run(lib, name):
    make, params, value = CASES[name]
    ps = [lib.tensor(p, dtype=lib.float64, requires_grad=True) for p in params]
    d = make(lib.distributions, ps)
    v = lib.tensor(value, dtype=lib.float64)
    lp = d.log_prob(v)
    out = [lp, d.mean, d.variance]
    if not d.event_shape:
        out.append(d.cdf(v))
    sum(o.sum() for o in out).backward()
    return {
        "values": [o.detach().numpy() for o in out],
        "grads": [p.grad.numpy() for p in ps],
        "shapes": (tuple(d.batch_shape), tuple(d.event_shape))
        + (
            ()
            if name == "broadcast_weights_mvn"
            else (tuple(d.sample((3,)).shape), tuple(d.expand((4, *d.batch_shape)).sample().shape))
        ),
        "repr": repr(d).replace("torch.", "").replace("autograd.", ""),
    }


@pytest.mark.parametrize("name", sorted(CASES))
def test_matches_torch(name):
    ours, theirs = run(ag, name), run(torch, name)
    for mine, want in zip(
        ours["values"] + ours["grads"], theirs["values"] + theirs["grads"], strict=True
    ):
        np.testing.assert_allclose(mine, want, rtol=1e-10, atol=1e-12)
    assert ours["shapes"] == theirs["shapes"] and ours["repr"] == theirs["repr"]


BAD = [
    lambda lib, D, comp: D.MixtureSameFamily(D.Normal(0.0, 1.0), comp),
    lambda lib, D, comp: D.MixtureSameFamily(D.Categorical(logits=lib.zeros(4)), comp),
    lambda lib, D, comp: D.MixtureSameFamily(D.Categorical(logits=lib.zeros(5, 3)), comp),
]


@pytest.mark.parametrize("bad", BAD)
def test_errors_match_torch(bad):
    for lib in (ag, torch):
        D = lib.distributions
        with pytest.raises(ValueError):
            bad(lib, D, D.Normal(lib.zeros(2, 3), lib.ones(2, 3)))
