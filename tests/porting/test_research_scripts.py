"""cleanrl (PPO discrete and continuous, DQN), karpathy's minGPT and dome272's DDPM run with
our packages under torch's names: properties that hold without PyTorch (GAE, the clipped
objective's bookkeeping, schedules, masks, parameter groups, the noise schedule, it trains),
the contract differences pinned, and, when PyTorch is installed, PyTorch's numbers from its
initial weights and the same random draws (in float64 where the script allows)."""

from __future__ import annotations

import re
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
from .test_examples_scripts import (
    categorical_sample,
    in_float64,
    integers,
    multinomial_one,
    normal,
    normal_like,
    shared_draws,
    torch_lib,
)
from .test_model_scripts import (  # noqa: F401 (one_torch_thread: an autouse fixture)
    close_lists,
    no_dropout,
    one_torch_thread,
)

OURS = (autograd, nn, F, optim, data)


def normal_sample(lib: Any, rs: np.random.RandomState) -> Any:
    """``Normal.sample()``: ``loc + scale * z`` with ``z`` a numpy draw."""

    def sample(self: Any, sample_shape: Any = ()) -> Any:
        z = lib.tensor(rs.standard_normal(tuple(self.loc.shape)), dtype=self.loc.dtype)
        return (self.loc + self.scale * z).detach()

    return sample


def uniform(lib: Any, rs: np.random.RandomState) -> Any:
    """``rand(*size)``."""

    def rand(*size: Any, dtype: Any = None, **_: Any) -> Any:
        shape = tuple(size[0]) if len(size) == 1 and not isinstance(size[0], int) else size
        return lib.tensor(rs.random_sample(shape), dtype=dtype or lib.get_default_dtype())

    return rand


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


@pytest.mark.parametrize("continuous", [False, True])
def test_ppo_matches_torch_in_float32(monkeypatch, continuous):
    """As users run it: float32 observations and weights."""
    shared_draws(
        monkeypatch,
        distributions__categorical__Categorical__sample=categorical_sample,
        distributions__normal__Normal__sample=normal_sample,
    )
    ours, theirs = both(lambda L, sync: scripts.ppo(*L, sync, continuous=continuous))
    for key, value in theirs["state"].items():
        close(ours["state"][key], value, rtol=1e-5, atol=1e-7)
    # the policy loss is a mean of terms of either sign near 0: float32 rounding of the terms
    for key in ("losses/value_loss", "losses/policy_loss", "losses/explained_variance"):
        close(ours["scalars"][key], theirs["scalars"][key], rtol=1e-4, atol=1e-6)
    # returns of float32 actions (continuous): equal to float32 rounding, not digit for digit
    key = "charts/episodic_return"
    close(ours["scalars"][key], theirs["scalars"][key], rtol=1e-6)


def test_ppo_tensor_of_numpy_flags_and_observations_keeps_their_dtype():
    """``torch.Tensor(next_done)`` on numpy bools, ``torch.Tensor(next_obs)``: an ndarray keeps
    its dtype here (API.md), where PyTorch's legacy constructor gives its default float;
    ``1.0 - next_done`` is the same float either way (PyTorch refuses ``-`` on a bool tensor,
    we do not), so the script's numbers agree (test_ppo_matches_torch*)."""
    flags, obs = np.array([True, False]), np.zeros(4)
    assert autograd.Tensor(flags).dtype == autograd.bool
    np.testing.assert_array_equal((1.0 - autograd.Tensor(flags)).numpy(), [0.0, 1.0])
    # float64 observations (gym's NormalizeObservation, MuJoCo) stay float64 too, and a float32
    # Linear then computes in float64, where PyTorch's float32 Tensor meets float32 weights
    assert autograd.Tensor(obs).dtype == autograd.float64
    assert nn.Linear(4, 2)(autograd.Tensor(obs)).dtype == autograd.float64
    try:
        import torch
    except ImportError:
        return
    assert torch.Tensor(flags).dtype == torch.Tensor(obs).dtype == torch.float32
    with pytest.raises(RuntimeError, match="same dtype"):  # where no Tensor() came between
        torch.nn.Linear(4, 2)(torch.tensor(obs))


# --- cleanrl DQN ---


@pytest.mark.parametrize("tau", [1.0, 0.25])
def test_dqn_as_written_schedules_explores_trains_and_updates_its_target(tau):
    """As written, the target update ``target_network_param.data.copy_(...)`` too."""
    autograd.manual_seed(0)
    out = scripts.dqn(*OURS, no_sync, tau=tau)
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
def test_dqn_as_written_matches_torch(tau):
    ours, theirs = both(
        in_float64(lambda L, sync: scripts.dqn(*L, sync, tau=tau, obs_dtype=np.float64))
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


# --- minGPT ---


def gpt_nano_params(vocab: int = 3, block: int = 11, d: int = 48, layers: int = 3) -> int:
    """The transformer's parameters (lm_head not counted), from the architecture."""
    per_block = 4 * d + (d * 3 * d + 3 * d) + (d * d + d) + (d * 4 * d + 4 * d) + (4 * d * d + d)
    return vocab * d + block * d + layers * per_block + 2 * d


def test_mingpt_sorts_splits_decay_masks_and_generates():
    autograd.manual_seed(0)
    out = scripts.mingpt(*OURS, no_sync)
    x, y = out["example"]
    assert y[:5] == [-1] * 5 and y[5:] == sorted(x[:6]) and x[6:] == sorted(x[:6])[:5]
    assert out["printed"][:11] == [f"{a} {b}" for a, b in zip(x, y)]
    assert out["printed"][11] == "number of parameters: %.2fM" % (gpt_nano_params() / 1e6)
    assert out["config"]["n_embd"] == 48 and out["config"]["block_size"] == 11
    # decay: the 12 block Linear weights and lm_head; no decay: biases, LayerNorm, embeddings
    assert out["groups"] == [(13, 0.1, 5e-4, (0.9, 0.95)), (28, 0.0, 5e-4, (0.9, 0.95))]
    init = out["initial"]
    np.testing.assert_array_equal(
        init["transformer.h.0.attn.bias"], np.tril(np.ones((11, 11)))[None, None]
    )
    proj = np.concatenate([init[f"transformer.h.{i}.attn.c_proj.weight"].ravel() for i in range(3)])
    assert proj.std() == pytest.approx(0.02 / 6**0.5, rel=0.05)
    fc = np.concatenate([init[f"transformer.h.{i}.mlp.c_fc.weight"].ravel() for i in range(3)])
    assert fc.std() == pytest.approx(0.02, rel=0.05)
    assert (init["transformer.h.1.attn.c_attn.bias"] == 0).all()
    assert (init["transformer.ln_f.weight"] == 1).all() and "lm_head.bias" not in init
    assert out["losses"][0] == pytest.approx(np.log(3), abs=0.05)
    assert len(out["losses"]) == 4 and all(np.isfinite(out["losses"]))
    # causality: one forward over the whole greedy sequence predicts each of its tokens
    greedy = out["greedy"]
    assert greedy[:6] == [0, 0, 2, 1, 0, 1] and len(greedy) == 12
    np.testing.assert_array_equal(out["logits"][0, 5:].argmax(-1), greedy[6:])
    assert out["sampled_top1"] == greedy  # top_k=1 leaves one token to sample
    assert out["sampled"][:6] == greedy[:6] and set(out["sampled"]) <= {0, 1, 2}
    for split, (inp, sol, cand) in zip(("train", "test"), out["evaluated"], strict=True):
        assert [sorted(row) for row in inp] == sol
        score = sum(c == s for c, s in zip(cand, sol))
        assert (
            f"{split} final score: {score}/16 = {100 * score / 16:.2f}% correct" in out["printed"]
        )


def test_mingpt_matches_torch(monkeypatch):
    shared_draws(monkeypatch, randint=integers, rand=uniform, multinomial=multinomial_one)
    for lib in (torch_lib(), autograd):
        rs = np.random.RandomState(11)
        monkeypatch.setattr(
            lib.utils.data.RandomSampler,
            "__iter__",
            lambda self, rs=rs: (int(rs.randint(len(self.data_source))) for _ in range(10**9)),
        )
    ours, theirs = both(in_float64(lambda L, sync: scripts.mingpt(*L, no_dropout(sync))))
    close(ours["losses"], theirs["losses"], rtol=1e-10)
    for key in ("initial", "state"):
        for name, value in theirs[key].items():
            close(ours[key][name], value, rtol=1e-9, atol=1e-12)
    close(ours["logits"], theirs["logits"], rtol=1e-9, atol=1e-12)
    for key in ("example", "groups", "evaluated", "scores", "greedy", "sampled", "config"):
        assert ours[key] == theirs[key], key
    timing = re.compile(r"iter_dt \d+\.\d\dms")
    assert [timing.sub("", p) for p in ours["printed"]] == [
        timing.sub("", p) for p in theirs["printed"]
    ]


# --- dome272's conditional DDPM ---


def integer_range(lib: Any, rs: np.random.RandomState) -> Any:
    """``randint(low=0, high, size)``, positionally or by keyword."""

    def randint(*args: Any, low: int = 0, high: Any = None, size: Any = None, **_: Any) -> Any:
        if size is None:
            *args, size = args
        if high is None:
            low, high = (low, *args) if len(args) == 1 else args
        return lib.tensor(rs.randint(low, high, tuple(size)))

    return randint


def ddpm_run(tmp_path: Any, seed: int = 1) -> Any:
    """``run(libs, sync)`` for ddpm: numpy's global stream (the labels dropped one time in ten)
    seeded, checkpoints under a directory of the library's name."""

    def run(L: tuple, sync: Any) -> dict:
        np.random.seed(seed)
        d = tmp_path / L[0].__name__
        d.mkdir()
        return scripts.ddpm(*L, sync, str(d))

    return run


def test_ddpm_schedules_noises_trains_averages_and_samples(tmp_path):
    autograd.manual_seed(0)
    out = ddpm_run(tmp_path)((autograd, nn, F, optim, data), no_sync)
    beta, alpha_hat = out["schedule"]
    np.testing.assert_allclose(beta, np.linspace(1e-4, 0.02, 6), rtol=1e-6)
    np.testing.assert_allclose(alpha_hat, np.cumprod(1 - np.linspace(1e-4, 0.02, 6)), rtol=1e-6)
    images, t, x_t, noise = out["noised"]
    assert t.shape == (2,) and ((1 <= t) & (t < 6)).all()
    a = alpha_hat[t][:, None, None, None]
    np.testing.assert_allclose(x_t, np.sqrt(a) * images + np.sqrt(1 - a) * noise, atol=1e-6)
    assert out["dropped"] == [False, False, True, False]  # np.random.seed(1): the third
    assert [s for s, _ in out["losses"]] == [0, 1, 2, 3]  # logged at epoch * l + i
    assert all(np.isfinite([v for _, v in out["losses"]]))
    for step, before, model, ema in out["ema"]:
        for b, m, e in zip(before, model, ema, strict=True):
            want = m if step <= 2 else 0.995 * b + 0.005 * m  # step_start_ema 2: copies first
            np.testing.assert_allclose(e, want, rtol=1e-6, atol=1e-8)
    assert not any(out["ema_requires_grad"])
    for sampled in out["sampled"] + out["ema_sampled"]:
        assert sampled.shape == (10, 3, 8, 8) and sampled.dtype == np.uint8
    assert len(out["sampled"]) == 1  # epoch 0 of 2 samples (epoch % 10 == 0)
    ckpt = tmp_path / "autograd" / "models" / "DDPM_conditional"
    saved = autograd.load(str(ckpt / "ema_ckpt.pt"))  # after epoch 0: EMA step 2
    assert list(saved) == list(out["ema_state"])
    for value, want in zip(saved.values(), out["ema"][1][3], strict=True):
        np.testing.assert_array_equal(np.asarray(value), want)
    assert set(autograd.load(str(ckpt / "optim.pt"))) == {"state", "param_groups"}


def test_ddpm_matches_torch(tmp_path, monkeypatch):
    shared_draws(monkeypatch, randn=normal, randn_like=normal_like, randint=integer_range)
    ours, theirs = both(ddpm_run(tmp_path))
    close(ours["schedule"], theirs["schedule"], rtol=1e-6)
    close_lists(ours["noised"], theirs["noised"], rtol=1e-6, atol=1e-7)
    assert ours["dropped"] == theirs["dropped"]
    # float32 (the script casts its time encoding with .float()) through a U-Net with
    # GroupNorm and attention, four AdamW steps
    close(ours["losses"], theirs["losses"], rtol=2e-4)
    close_lists(ours["grads"], theirs["grads"], rtol=1e-3, atol=1e-7)  # the first step's
    for key in ("state", "ema_state"):
        for name, value in theirs[key].items():
            mine = ours[key][name]
            if name.endswith("in_proj_bias"):
                # the key bias shifts every score of a query alike, so softmax cancels it: its
                # gradient is 0 but for float32 rounding, of either sign in either library, and
                # Adam steps it by about lr (3e-4) whatever the size: 4 steps apart at most
                k = slice(len(value) // 3, 2 * len(value) // 3)
                assert np.abs(mine[k] - value[k]).max() <= 4 * 3e-4
                mine, value = np.delete(mine, np.r_[k]), np.delete(value, np.r_[k])
            close(mine, value, rtol=1e-3, atol=1e-5)
    for a, b in zip(
        ours["sampled"] + ours["ema_sampled"], theirs["sampled"] + theirs["ema_sampled"]
    ):
        # uint8 after clamping: a rounding may flip one level
        assert np.abs(a.astype(int) - b.astype(int)).max() <= 1
    for key in ("ema_requires_grad", "ema_training"):
        assert ours[key] == theirs[key], key
