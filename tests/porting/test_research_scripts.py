"""cleanrl (PPO discrete and continuous, DQN), karpathy's minGPT and dome272's DDPM run with
our packages under torch's names: properties that hold without PyTorch (GAE, the clipped
objective's bookkeeping, schedules, masks, parameter groups, the noise schedule, it trains),
the contract differences pinned, and, when PyTorch is installed, PyTorch's numbers from its
initial weights and the same random draws (in float64 where the script allows)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import autograd
import nn
import nn.functional as F
import nn.utils.data as data
import optim

from . import research_scripts as scripts
from .test_course_scripts import both, close, no_sync
from .test_examples_scripts import categorical_sample, in_float64, shared_draws
from .test_model_scripts import (  # noqa: F401 (one_torch_thread: an autouse fixture)
    close_lists,
    one_torch_thread,
)

OURS = (autograd, nn, F, optim, data)


def normal_sample(lib: Any, rs: np.random.RandomState) -> Any:
    """``Normal.sample()``: ``loc + scale * z`` with ``z`` a numpy draw."""

    def sample(self: Any, sample_shape: Any = ()) -> Any:
        z = lib.tensor(rs.standard_normal(tuple(self.loc.shape)), dtype=self.loc.dtype)
        return (self.loc + self.scale * z).detach()

    return sample


# --- cleanrl PPO ---


def gae(rewards, dones, values, next_value, next_done, gamma=0.99, lam=0.95):
    """Generalised advantage estimates, step by step from the last."""
    adv = np.zeros_like(rewards)
    last = 0.0
    for t in reversed(range(len(rewards))):
        nonterminal = 1.0 - (next_done if t == len(rewards) - 1 else dones[t + 1])
        next_v = next_value[0] if t == len(rewards) - 1 else values[t + 1]
        delta = rewards[t] + gamma * next_v * nonterminal - values[t]
        adv[t] = last = delta + gamma * lam * nonterminal * last
    return adv


@pytest.mark.parametrize("continuous", [False, True])
def test_ppo_gae_clipping_schedule_and_explained_variance(continuous):
    autograd.manual_seed(0)
    out = scripts.ppo(*OURS, no_sync, continuous=continuous)
    lr = 3e-4 if continuous else 2.5e-4
    n = out["num_iterations"]
    lrs = [v for _, v in out["scalars"]["charts/learning_rate"]]
    assert lrs == pytest.approx([lr * (1 - i / n) for i in range(n)])
    for i, it in enumerate(out["iterations"]):
        want = gae(it["rewards"], it["dones"], it["values"], it["next_value"], it["next_done"])
        np.testing.assert_allclose(it["advantages"], want, rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(it["returns"], it["advantages"] + it["values"], rtol=1e-6)
        y, pred = it["returns"].ravel(), it["values"].ravel()
        ev = out["scalars"]["losses/explained_variance"][i][1]
        assert ev == pytest.approx(1 - np.var(y - pred) / np.var(y), rel=1e-5)
        r = it["ratio"].astype(np.float64)  # float32 ratios near 1: kl within their rounding
        assert it["approx_kl"] == pytest.approx(np.mean(r - 1 - np.log(r)), abs=2e-7)
        assert len(it["mb_inds"]) == out["batch_size"] // (4 if continuous else 2)
    clipfrac = [v for _, v in out["scalars"]["losses/clipfrac"]]
    assert all(0 <= c <= 1 for c in clipfrac)
    # clip_grad_norm_ left the last minibatch's gradients within max_grad_norm
    assert np.sqrt(sum((g.astype(np.float64) ** 2).sum() for g in out["grads"])) <= 0.5 + 1e-6
    if continuous:
        assert out["state"]["actor_logstd"].shape == (1, 1)
        assert (out["iterations"][0]["actions"] != 0).all()  # Normal draws
    else:
        assert set(np.unique(out["iterations"][0]["actions"])) <= {0.0, 1.0}
    returns = [v for _, v in out["scalars"]["charts/episodic_return"]]
    assert out["printed"] == [
        f"global_step={s}, episodic_return={r}"
        for (s, r) in out["scalars"]["charts/episodic_return"]
    ]
    assert len(returns) > 0


def test_ppo_layer_init_is_orthogonal_with_constant_bias():
    autograd.manual_seed(0)
    initial: dict = {}
    scripts.ppo(*OURS, lambda agent: initial.update(agent.state_dict()))
    for name, gain in (("0", 2**0.5), ("2", 2**0.5), ("4", 0.01)):
        w = initial[f"actor.{name}.weight"].astype(np.float64)
        small = min(w.shape)  # rows or columns orthonormal, times the gain
        gram = w @ w.T if w.shape[0] == small else w.T @ w
        np.testing.assert_allclose(gram, gain**2 * np.eye(small), atol=1e-5 * gain**2)
        np.testing.assert_array_equal(initial[f"actor.{name}.bias"], 0.0)
    w = initial["critic.4.weight"].astype(np.float64)
    assert float((w @ w.T)[0, 0]) == pytest.approx(1.0, rel=1e-5)


@pytest.mark.parametrize("continuous", [False, True])
def test_ppo_matches_torch(monkeypatch, continuous):
    shared_draws(
        monkeypatch,
        distributions__categorical__Categorical__sample=categorical_sample,
        distributions__normal__Normal__sample=normal_sample,
    )
    ours, theirs = both(
        in_float64(
            lambda L, sync: scripts.ppo(*L, sync, continuous=continuous, obs_dtype=np.float64)
        )
    )
    for key, value in theirs["scalars"].items():
        if key != "charts/SPS":
            close(ours["scalars"][key], value, rtol=1e-9, atol=1e-12)
    for a, b in zip(ours["iterations"], theirs["iterations"], strict=True):
        for key, value in b.items():
            close(a[key], value, rtol=1e-9, atol=1e-12)
    for key, value in theirs["state"].items():
        close(ours["state"][key], value, rtol=1e-9, atol=1e-12)
    close_lists(ours["grads"], theirs["grads"], rtol=1e-8, atol=1e-12)
    assert ours["printed"] == theirs["printed"]


def test_ppo_tensor_of_the_done_flags_keeps_numpy_bool():
    """``torch.Tensor(next_done)`` on numpy bools: an ndarray keeps its dtype here (API.md),
    where PyTorch's legacy constructor gives its default float; ``1.0 - next_done`` is the
    same float either way, so the script's numbers agree (test_ppo_matches_torch)."""
    flags = np.array([True, False])
    assert autograd.Tensor(flags).dtype == autograd.bool
    np.testing.assert_array_equal((1.0 - autograd.Tensor(flags)).numpy(), [0.0, 1.0])
    try:
        import torch
    except ImportError:
        return
    assert torch.Tensor(flags).dtype == torch.float32


# --- cleanrl DQN ---


def test_dqn_as_written_stops_at_data_copy():
    """``target_network_param.data.copy_(...)``: ``.data`` is the ndarray by contract (API.md),
    which has no ``copy_`` (the arithmetic on ``.data`` before it runs, in numpy)."""
    with pytest.raises(AttributeError, match="'numpy.ndarray' object has no attribute 'copy_'"):
        scripts.dqn(*OURS, no_sync)


@pytest.mark.parametrize("tau", [1.0, 0.25])
def test_dqn_schedules_explores_trains_and_updates_its_target(tau):
    autograd.manual_seed(0)
    out = scripts.dqn(*OURS, no_sync, tau=tau, faithful_data=False)
    eps = out["epsilon"]
    assert eps[:3] == pytest.approx([1.0, 1 - 0.95 / 60, 1 - 2 * 0.95 / 60])
    assert eps[60:] == pytest.approx([0.05] * 60) and eps[61:] == [0.05] * 59
    assert set(out["actions"]) == {0, 1}
    assert len(out["loss"]) == 49 and all(np.isfinite(out["loss"]))
    assert [s for s, _ in out["scalars"]["losses/td_loss"]] == [40, 60, 80, 100]
    assert len(out["loss"]) == len(range(22, 120, 2))  # trains on even steps past 20
    assert len(out["target"]) == len(range(30, 120, 10))
    for before, q, after in out["target"]:
        for b, w, a in zip(before, q, after, strict=True):
            np.testing.assert_allclose(a, tau * w + (1 - tau) * b, rtol=1e-6, atol=1e-7)
    returns = out["scalars"]["charts/episodic_return"]
    assert out["printed"] == [f"global_step={s}, episodic_return={r}" for s, r in returns]


@pytest.mark.parametrize("tau", [1.0, 0.25])
def test_dqn_matches_torch_with_its_data_update(tau):
    ours, theirs = both(
        in_float64(
            lambda L, sync: scripts.dqn(
                *L, sync, tau=tau, obs_dtype=np.float64, faithful_data=L[0] is not autograd
            )
        )
    )
    for key in ("epsilon", "actions", "printed"):
        assert ours[key] == theirs[key], key
    close(ours["loss"], theirs["loss"], rtol=1e-9, atol=1e-12)
    for key, value in theirs["scalars"].items():
        if key != "charts/SPS":
            close(ours["scalars"][key], value, rtol=1e-9, atol=1e-12)
    for net in ("q", "target_net"):
        for key, value in theirs[net].items():
            close(ours[net][key], value, rtol=1e-8, atol=1e-12)
