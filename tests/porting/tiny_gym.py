"""A stand-in for the part of gymnasium that cleanrl's scripts use (``gym.make``,
``gym.wrappers.RecordEpisodeStatistics``, ``gym.vector.SyncVectorEnv``, ``gym.spaces``), over
a tiny deterministic pole: the scripts then run as written, without gym and its downloads.

The pole has four observations; a discrete action pushes it left or right, a continuous one
(shape ``(1,)``, clipped to [-1, 1]) pushes with that force and costs ``0.1 * force**2``. An
episode ends when the pole leans past 0.1 rad (terminated) or after ``max_steps`` (truncated).
Starts are drawn by each environment's own numpy stream, seeded by ``reset(seed=...)``.
"""

from __future__ import annotations

import math
from types import SimpleNamespace
from typing import Any

import numpy as np


class Discrete:
    """``gym.spaces.Discrete(n)``: ``sample()`` from its own stream (``seed(s)``)."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.shape: tuple = ()
        self.dtype = np.dtype(np.int64)
        self._rs = np.random.RandomState()

    def seed(self, seed: int) -> None:
        self._rs = np.random.RandomState(seed)

    def sample(self) -> int:
        return int(self._rs.randint(self.n))


class Box:
    """``gym.spaces.Box(low, high, shape, dtype)``."""

    def __init__(self, low: float, high: float, shape: tuple, dtype: Any = np.float32) -> None:
        self.low = np.full(shape, low, dtype)
        self.high = np.full(shape, high, dtype)
        self.shape = tuple(shape)
        self.dtype = np.dtype(dtype)

    def seed(self, seed: int) -> None:
        """Nothing to seed: no script samples a Box here."""


class TinyPole:
    """One environment: ``reset(seed) -> (obs, info)``, ``step(a) -> (obs, reward,
    terminated, truncated, info)``."""

    def __init__(self, continuous: bool, obs_dtype: Any, max_steps: int) -> None:
        self.continuous = continuous
        self.max_steps = max_steps
        self.observation_space = Box(-np.inf, np.inf, (4,), obs_dtype)
        self.action_space = Box(-1.0, 1.0, (1,), obs_dtype) if continuous else Discrete(2)
        self._rs = np.random.RandomState(0)

    def reset(self, seed: int | None = None) -> tuple[np.ndarray, dict]:
        if seed is not None:
            self._rs = np.random.RandomState(seed)
        self.state = self._rs.uniform(-0.05, 0.05, 4)
        self.t = 0
        return self.state.astype(self.observation_space.dtype), {}

    def step(self, action: Any) -> tuple[np.ndarray, float, bool, bool, dict]:
        x, v, theta, omega = self.state
        if self.continuous:
            force = float(np.clip(np.asarray(action, dtype=np.float64).reshape(-1)[0], -1, 1))
            reward = 1.0 - 0.1 * force**2
        else:
            force = 1.0 if int(action) == 1 else -1.0
            reward = 1.0
        omega = omega + 0.05 * (9.8 * math.sin(theta) - force * math.cos(theta))
        theta = theta + 0.05 * omega
        v = v + 0.05 * force
        x = x + 0.05 * v
        self.state = np.array([x, v, theta, omega])
        self.t += 1
        terminated = bool(abs(theta) > 0.1)
        truncated = self.t >= self.max_steps and not terminated
        return self.state.astype(self.observation_space.dtype), reward, terminated, truncated, {}


class RecordEpisodeStatistics:
    """Adds ``info["episode"] = {"r": return, "l": length}`` when an episode ends."""

    def __init__(self, env: TinyPole) -> None:
        self.env = env
        self.observation_space = env.observation_space
        self.action_space = env.action_space

    def reset(self, seed: int | None = None) -> tuple[np.ndarray, dict]:
        self.episode_return, self.episode_length = 0.0, 0
        return self.env.reset(seed=seed)

    def step(self, action: Any) -> tuple[np.ndarray, float, bool, bool, dict]:
        obs, reward, terminated, truncated, info = self.env.step(action)
        self.episode_return += reward
        self.episode_length += 1
        if terminated or truncated:
            info = dict(info, episode={"r": self.episode_return, "l": self.episode_length})
        return obs, reward, terminated, truncated, info


class SyncVectorEnv:
    """gymnasium 0.29's SyncVectorEnv: stacked observations, autoreset, and on an episode's end
    ``infos["final_observation"]`` and ``infos["final_info"]`` (object arrays, None elsewhere)."""

    def __init__(self, env_fns: list) -> None:
        self.envs = [fn() for fn in env_fns]
        self.num_envs = len(self.envs)
        self.single_observation_space = self.envs[0].observation_space
        self.single_action_space = self.envs[0].action_space

    def reset(self, seed: int | None = None) -> tuple[np.ndarray, dict]:
        seeds = [None if seed is None else seed + i for i in range(self.num_envs)]
        return np.stack([e.reset(seed=s)[0] for e, s in zip(self.envs, seeds)]), {}

    def step(self, actions: np.ndarray) -> tuple:
        obs, rewards, terms, truncs = [], [], [], []
        infos: dict = {}
        for i, (env, action) in enumerate(zip(self.envs, actions)):
            o, r, term, trunc, info = env.step(action)
            if term or trunc:
                for key, value in (("final_observation", o), ("final_info", info)):
                    infos.setdefault(key, np.full(self.num_envs, None, dtype=object))[i] = value
                o, _ = env.reset()
            obs.append(o)
            rewards.append(r)
            terms.append(term)
            truncs.append(trunc)
        return np.stack(obs), np.array(rewards), np.array(terms), np.array(truncs), infos

    def close(self) -> None:
        """Nothing to release."""


def make_gym(obs_dtype: Any = np.float32, max_steps: int = 8) -> SimpleNamespace:
    """The ``gym`` module the scripts import: ``make("TinyPole-v1")`` (discrete) or
    ``make("TinyPoleContinuous-v1")``."""

    def make(env_id: str, render_mode: str | None = None) -> TinyPole:
        if env_id not in ("TinyPole-v1", "TinyPoleContinuous-v1"):
            raise ValueError(f"tiny_gym: no environment {env_id!r}")
        return TinyPole(env_id == "TinyPoleContinuous-v1", obs_dtype, max_steps)

    return SimpleNamespace(
        make=make,
        wrappers=SimpleNamespace(RecordEpisodeStatistics=RecordEpisodeStatistics),
        vector=SimpleNamespace(SyncVectorEnv=SyncVectorEnv),
        spaces=SimpleNamespace(Discrete=Discrete, Box=Box),
    )


class SummaryWriter:
    """torch.utils.tensorboard's SummaryWriter, keeping the scalars: ``scalars[tag]`` is a list
    of ``(step, float(value))``."""

    def __init__(self, log_dir: str | None = None) -> None:
        self.scalars: dict[str, list] = {}
        self.texts: dict[str, str] = {}

    def add_scalar(self, tag: str, value: Any, global_step: int | None = None) -> None:
        self.scalars.setdefault(tag, []).append((global_step, float(value)))

    def add_text(self, tag: str, text: str) -> None:
        self.texts[tag] = text

    def close(self) -> None:
        """Nothing to flush."""
