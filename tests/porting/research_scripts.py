# The authors' idioms are kept as written: super(Cls, self), %-formatting, f-strings with
# nothing in them, names the body ignores, lambda assignments, long comment lines.
# ruff: noqa: UP008, UP031, B007, B008, E501, E731, F541, PLW2901, RUF001, RUF003
"""Well-known research code, shortened (tiny sizes, synthetic data and environments, a few
steps) and written once against the names ``torch``, ``nn``, ``F``, ``optim``, ``data``
(``torch.utils.data``): cleanrl's ppo.py, ppo_continuous_action.py and dqn.py, karpathy's
minGPT (model.py, trainer.py and the "sorter" demo) and dome272's Diffusion-Models-pytorch
(modules.py's UNet and EMA, ddpm.py's Diffusion and train loop). The tests run them with our
packages under those names and, when it is installed, with PyTorch.

gym is tiny_gym's stand-in (and tensorboard's SummaryWriter its recorder), tyro/argparse a
``SimpleNamespace`` of the same options with smaller counts, stable-baselines3's ReplayBuffer a
numpy one of the same interface. Weights a result depends on pass through ``sync(module)``
(see course_scripts.py); the tests make the scripts' random draws (``Categorical.sample``,
``torch.randn_like``...) numpy draws shared by both libraries. What a script records for the
tests beyond what it prints or logs is marked ``# recorded``. ``.data`` lines
(``target_param.data.copy_(...)``) are as written.
"""

from __future__ import annotations

import copy
import logging
import math
import os
import pickle
import random
import time
from collections import defaultdict, namedtuple
from types import SimpleNamespace
from typing import Any

import numpy as np

from . import tiny_gym
from .course_scripts import Sync
from .examples_scripts import captured

# --- cleanrl: ppo.py and ppo_continuous_action.py ---


def ppo(
    torch: Any,
    nn: Any,
    F: Any,
    optim: Any,
    data: Any,
    sync: Sync,
    continuous: bool = False,
    obs_dtype: Any = np.float32,
) -> dict:
    """cleanrl's ppo.py (``continuous=False``: Categorical over logits, 4 envs) or
    ppo_continuous_action.py (``continuous=True``: Normal with a learned state-independent
    logstd, ``log_prob(action).sum(1)``, 1 env, no entropy bonus): layer_init (orthogonal_,
    constant_), the rollout into ``torch.zeros`` buffers filled by index, GAE, the clipped
    surrogate and value losses over shuffled minibatches, clipfrac, approx_kl,
    ``clip_grad_norm_``, the annealed learning rate and the explained variance. The scripts'
    counts shrink (total_timesteps 500000 -> 48, num_steps 128/2048 -> 8/16, minibatches 4/32
    -> 2/4, update_epochs 4/10 -> 2); the envs are tiny_gym's pole."""
    gym = tiny_gym.make_gym(obs_dtype)
    SummaryWriter = tiny_gym.SummaryWriter
    Categorical = torch.distributions.categorical.Categorical
    Normal = torch.distributions.normal.Normal
    if continuous:
        args = SimpleNamespace(
            exp_name="ppo_continuous_action", seed=1, torch_deterministic=True, cuda=True,
            capture_video=False, env_id="TinyPoleContinuous-v1", total_timesteps=48,
            learning_rate=3e-4, num_envs=1, num_steps=16, anneal_lr=True, gamma=0.99,
            gae_lambda=0.95, num_minibatches=4, update_epochs=2, norm_adv=True, clip_coef=0.2,
            clip_vloss=True, ent_coef=0.0, vf_coef=0.5, max_grad_norm=0.5, target_kl=None,
        )  # fmt: skip
    else:
        args = SimpleNamespace(
            exp_name="ppo", seed=1, torch_deterministic=True, cuda=True, capture_video=False,
            env_id="TinyPole-v1", total_timesteps=96, learning_rate=2.5e-4, num_envs=4,
            num_steps=8, anneal_lr=True, gamma=0.99, gae_lambda=0.95, num_minibatches=2,
            update_epochs=2, norm_adv=True, clip_coef=0.2, clip_vloss=True, ent_coef=0.01,
            vf_coef=0.5, max_grad_norm=0.5, target_kl=None,
        )  # fmt: skip

    def make_env(env_id, idx, capture_video, run_name):
        def thunk():
            if capture_video and idx == 0:
                env = gym.make(env_id, render_mode="rgb_array")
                env = gym.wrappers.RecordVideo(env, f"videos/{run_name}")
            else:
                env = gym.make(env_id)
            env = gym.wrappers.RecordEpisodeStatistics(env)
            return env

        return thunk

    def layer_init(layer, std=np.sqrt(2), bias_const=0.0):
        torch.nn.init.orthogonal_(layer.weight, std)
        torch.nn.init.constant_(layer.bias, bias_const)
        return layer

    class Agent(nn.Module):
        def __init__(self, envs):
            super().__init__()
            self.critic = nn.Sequential(
                layer_init(nn.Linear(np.array(envs.single_observation_space.shape).prod(), 64)),
                nn.Tanh(),
                layer_init(nn.Linear(64, 64)),
                nn.Tanh(),
                layer_init(nn.Linear(64, 1), std=1.0),
            )
            self.actor = nn.Sequential(
                layer_init(nn.Linear(np.array(envs.single_observation_space.shape).prod(), 64)),
                nn.Tanh(),
                layer_init(nn.Linear(64, 64)),
                nn.Tanh(),
                layer_init(nn.Linear(64, envs.single_action_space.n), std=0.01),
            )

        def get_value(self, x):
            return self.critic(x)

        def get_action_and_value(self, x, action=None):
            logits = self.actor(x)
            probs = Categorical(logits=logits)
            if action is None:
                action = probs.sample()
            return action, probs.log_prob(action), probs.entropy(), self.critic(x)

    class ContinuousAgent(nn.Module):  # ppo_continuous_action.py's Agent
        def __init__(self, envs):
            super().__init__()
            self.critic = nn.Sequential(
                layer_init(nn.Linear(np.array(envs.single_observation_space.shape).prod(), 64)),
                nn.Tanh(),
                layer_init(nn.Linear(64, 64)),
                nn.Tanh(),
                layer_init(nn.Linear(64, 1), std=1.0),
            )
            self.actor_mean = nn.Sequential(
                layer_init(nn.Linear(np.array(envs.single_observation_space.shape).prod(), 64)),
                nn.Tanh(),
                layer_init(nn.Linear(64, 64)),
                nn.Tanh(),
                layer_init(nn.Linear(64, np.prod(envs.single_action_space.shape)), std=0.01),
            )
            self.actor_logstd = nn.Parameter(
                torch.zeros(1, np.prod(envs.single_action_space.shape))
            )

        def get_value(self, x):
            return self.critic(x)

        def get_action_and_value(self, x, action=None):
            action_mean = self.actor_mean(x)
            action_logstd = self.actor_logstd.expand_as(action_mean)
            action_std = torch.exp(action_logstd)
            probs = Normal(action_mean, action_std)
            if action is None:
                action = probs.sample()
            return action, probs.log_prob(action).sum(1), probs.entropy().sum(1), self.critic(x)

    # if __name__ == "__main__":
    args.batch_size = int(args.num_envs * args.num_steps)
    args.minibatch_size = int(args.batch_size // args.num_minibatches)
    args.num_iterations = args.total_timesteps // args.batch_size
    run_name = f"{args.env_id}__{args.exp_name}__{args.seed}__{int(time.time())}"
    writer = SummaryWriter(f"runs/{run_name}")
    writer.add_text(
        "hyperparameters",
        "|param|value|\n|-|-|\n%s"
        % ("\n".join([f"|{key}|{value}|" for key, value in vars(args).items()])),
    )

    # TRY NOT TO MODIFY: seeding
    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    torch.backends.cudnn.deterministic = args.torch_deterministic

    device = torch.device("cuda" if torch.cuda.is_available() and args.cuda else "cpu")

    # env setup
    envs = gym.vector.SyncVectorEnv(
        [make_env(args.env_id, i, args.capture_video, run_name) for i in range(args.num_envs)],
    )
    if continuous:
        assert isinstance(envs.single_action_space, gym.spaces.Box), (
            "only continuous action space is supported"
        )
        agent = ContinuousAgent(envs).to(device)
    else:
        assert isinstance(envs.single_action_space, gym.spaces.Discrete), (
            "only discrete action space is supported"
        )
        agent = Agent(envs).to(device)
    sync(agent)
    optimizer = optim.Adam(agent.parameters(), lr=args.learning_rate, eps=1e-5)

    # ALGO Logic: Storage setup
    obs = torch.zeros((args.num_steps, args.num_envs) + envs.single_observation_space.shape).to(
        device
    )
    actions = torch.zeros((args.num_steps, args.num_envs) + envs.single_action_space.shape).to(
        device
    )
    logprobs = torch.zeros((args.num_steps, args.num_envs)).to(device)
    rewards = torch.zeros((args.num_steps, args.num_envs)).to(device)
    dones = torch.zeros((args.num_steps, args.num_envs)).to(device)
    values = torch.zeros((args.num_steps, args.num_envs)).to(device)

    record: list = []  # recorded

    def main():
        # TRY NOT TO MODIFY: start the game
        global_step = 0
        start_time = time.time()
        next_obs, _ = envs.reset(seed=args.seed)
        next_obs = torch.Tensor(next_obs).to(device)
        next_done = torch.zeros(args.num_envs).to(device)

        for iteration in range(1, args.num_iterations + 1):
            # Annealing the rate if instructed to do so.
            if args.anneal_lr:
                frac = 1.0 - (iteration - 1.0) / args.num_iterations
                lrnow = frac * args.learning_rate
                optimizer.param_groups[0]["lr"] = lrnow

            for step in range(0, args.num_steps):
                global_step += args.num_envs
                obs[step] = next_obs
                dones[step] = next_done

                # ALGO LOGIC: action logic
                with torch.no_grad():
                    action, logprob, _, value = agent.get_action_and_value(next_obs)
                    values[step] = value.flatten()
                actions[step] = action
                logprobs[step] = logprob

                # TRY NOT TO MODIFY: execute the game and log data.
                next_obs, reward, terminations, truncations, infos = envs.step(action.cpu().numpy())
                next_done = np.logical_or(terminations, truncations)
                rewards[step] = torch.tensor(reward).to(device).view(-1)
                next_obs, next_done = (
                    torch.Tensor(next_obs).to(device),
                    torch.Tensor(next_done).to(device),
                )

                if "final_info" in infos:
                    for info in infos["final_info"]:
                        if info and "episode" in info:
                            print(
                                f"global_step={global_step}, episodic_return={info['episode']['r']}"
                            )
                            writer.add_scalar(
                                "charts/episodic_return", info["episode"]["r"], global_step
                            )
                            writer.add_scalar(
                                "charts/episodic_length", info["episode"]["l"], global_step
                            )

            # bootstrap value if not done
            with torch.no_grad():
                next_value = agent.get_value(next_obs).reshape(1, -1)
                advantages = torch.zeros_like(rewards).to(device)
                lastgaelam = 0
                for t in reversed(range(args.num_steps)):
                    if t == args.num_steps - 1:
                        nextnonterminal = 1.0 - next_done
                        nextvalues = next_value
                    else:
                        nextnonterminal = 1.0 - dones[t + 1]
                        nextvalues = values[t + 1]
                    delta = rewards[t] + args.gamma * nextvalues * nextnonterminal - values[t]
                    advantages[t] = lastgaelam = (
                        delta + args.gamma * args.gae_lambda * nextnonterminal * lastgaelam
                    )
                returns = advantages + values

            # flatten the batch
            b_obs = obs.reshape((-1,) + envs.single_observation_space.shape)
            b_logprobs = logprobs.reshape(-1)
            b_actions = actions.reshape((-1,) + envs.single_action_space.shape)
            b_advantages = advantages.reshape(-1)
            b_returns = returns.reshape(-1)
            b_values = values.reshape(-1)

            # Optimizing the policy and value network
            b_inds = np.arange(args.batch_size)
            clipfracs = []
            for epoch in range(args.update_epochs):
                np.random.shuffle(b_inds)
                for start in range(0, args.batch_size, args.minibatch_size):
                    end = start + args.minibatch_size
                    mb_inds = b_inds[start:end]

                    if continuous:
                        _, newlogprob, entropy, newvalue = agent.get_action_and_value(
                            b_obs[mb_inds], b_actions[mb_inds]
                        )
                    else:
                        _, newlogprob, entropy, newvalue = agent.get_action_and_value(
                            b_obs[mb_inds], b_actions.long()[mb_inds]
                        )
                    logratio = newlogprob - b_logprobs[mb_inds]
                    ratio = logratio.exp()

                    with torch.no_grad():
                        # calculate approx_kl http://joschu.net/blog/kl-approx.html
                        old_approx_kl = (-logratio).mean()
                        approx_kl = ((ratio - 1) - logratio).mean()
                        clipfracs += [((ratio - 1.0).abs() > args.clip_coef).float().mean().item()]

                    mb_advantages = b_advantages[mb_inds]
                    if args.norm_adv:
                        mb_advantages = (mb_advantages - mb_advantages.mean()) / (
                            mb_advantages.std() + 1e-8
                        )

                    # Policy loss
                    pg_loss1 = -mb_advantages * ratio
                    pg_loss2 = -mb_advantages * torch.clamp(
                        ratio, 1 - args.clip_coef, 1 + args.clip_coef
                    )
                    pg_loss = torch.max(pg_loss1, pg_loss2).mean()

                    # Value loss
                    newvalue = newvalue.view(-1)
                    if args.clip_vloss:
                        v_loss_unclipped = (newvalue - b_returns[mb_inds]) ** 2
                        v_clipped = b_values[mb_inds] + torch.clamp(
                            newvalue - b_values[mb_inds],
                            -args.clip_coef,
                            args.clip_coef,
                        )
                        v_loss_clipped = (v_clipped - b_returns[mb_inds]) ** 2
                        v_loss_max = torch.max(v_loss_unclipped, v_loss_clipped)
                        v_loss = 0.5 * v_loss_max.mean()
                    else:
                        v_loss = 0.5 * ((newvalue - b_returns[mb_inds]) ** 2).mean()

                    entropy_loss = entropy.mean()
                    loss = pg_loss - args.ent_coef * entropy_loss + v_loss * args.vf_coef

                    optimizer.zero_grad()
                    loss.backward()
                    nn.utils.clip_grad_norm_(agent.parameters(), args.max_grad_norm)
                    optimizer.step()
                    record[-1:] = [  # recorded: the last minibatch's numbers
                        dict(
                            mb_inds=mb_inds.copy(),
                            ratio=ratio.detach().cpu().numpy(),
                            approx_kl=approx_kl.item(),
                        )
                    ]

                if args.target_kl is not None and approx_kl > args.target_kl:
                    break

            y_pred, y_true = b_values.cpu().numpy(), b_returns.cpu().numpy()
            var_y = np.var(y_true)
            explained_var = np.nan if var_y == 0 else 1 - np.var(y_true - y_pred) / var_y

            # TRY NOT TO MODIFY: record rewards for plotting purposes
            writer.add_scalar("charts/learning_rate", optimizer.param_groups[0]["lr"], global_step)
            writer.add_scalar("losses/value_loss", v_loss.item(), global_step)
            writer.add_scalar("losses/policy_loss", pg_loss.item(), global_step)
            writer.add_scalar("losses/entropy", entropy_loss.item(), global_step)
            writer.add_scalar("losses/old_approx_kl", old_approx_kl.item(), global_step)
            writer.add_scalar("losses/approx_kl", approx_kl.item(), global_step)
            writer.add_scalar("losses/clipfrac", np.mean(clipfracs), global_step)
            writer.add_scalar("losses/explained_variance", explained_var, global_step)
            print("SPS:", int(global_step / (time.time() - start_time)))
            writer.add_scalar(
                "charts/SPS", int(global_step / (time.time() - start_time)), global_step
            )
            record[-1].update(  # recorded: this iteration's buffers
                {
                    name: np.array(t.cpu().numpy())
                    for name, t in dict(
                        obs=obs,
                        actions=actions,
                        logprobs=logprobs,
                        rewards=rewards,
                        dones=dones,
                        values=values,
                        advantages=advantages,
                        returns=returns,
                        next_value=next_value,
                        next_done=next_done,
                    ).items()
                }  # fmt: skip
            )
            record.append({})

        envs.close()
        writer.close()

    _, printed = captured(main)
    return {
        "scalars": writer.scalars,
        "iterations": record[:-1],
        "printed": [p for p in printed if not p.startswith("SPS:")],
        "state": {k: np.array(v) for k, v in agent.state_dict().items()},
        "grads": [p.grad.detach().cpu().numpy().copy() for p in agent.parameters()],
        "batch_size": args.batch_size,
        "num_iterations": args.num_iterations,
    }


# --- cleanrl: dqn.py ---


def replay_buffer(torch: Any) -> Any:
    """stable-baselines3's ReplayBuffer as dqn.py uses it: ``add(obs, next_obs, action,
    reward, done, infos)`` into circular numpy arrays (observations in the space's dtype,
    actions int64 ``(n_envs, 1)`` for a Discrete space, rewards and dones float32) and
    ``sample(batch_size)`` with ``np.random.randint`` (the global stream) into a namedtuple of
    tensors made by ``torch.tensor``."""
    ReplayBufferSamples = namedtuple(
        "ReplayBufferSamples", "observations actions next_observations dones rewards"
    )

    class ReplayBuffer:
        def __init__(
            self, buffer_size, observation_space, action_space, device="cpu", n_envs=1,
            handle_timeout_termination=True,
        ):  # fmt: skip
            self.buffer_size, self.n_envs, self.device = buffer_size, n_envs, device
            self.pos, self.full = 0, False
            shape = (buffer_size, n_envs)
            self.observations = np.zeros(shape + observation_space.shape, observation_space.dtype)
            self.next_observations = np.zeros_like(self.observations)
            action_dim = int(np.prod(action_space.shape)) or 1
            self.actions = np.zeros(shape + (action_dim,), action_space.dtype)
            self.rewards = np.zeros(shape, np.float32)
            self.dones = np.zeros(shape, np.float32)

        def add(self, obs, next_obs, action, reward, done, infos):
            self.observations[self.pos] = np.array(obs)
            self.next_observations[self.pos] = np.array(next_obs)
            self.actions[self.pos] = np.array(action).reshape((self.n_envs, -1))
            self.rewards[self.pos] = np.array(reward)
            self.dones[self.pos] = np.array(done)
            self.pos += 1
            if self.pos == self.buffer_size:
                self.full, self.pos = True, 0

        def sample(self, batch_size):
            upper_bound = self.buffer_size if self.full else self.pos
            batch_inds = np.random.randint(0, upper_bound, size=batch_size)
            env_inds = np.random.randint(0, high=self.n_envs, size=(len(batch_inds),))
            arrays = (
                self.observations[batch_inds, env_inds, :],
                self.actions[batch_inds, env_inds, :],
                self.next_observations[batch_inds, env_inds, :],
                self.dones[batch_inds, env_inds].reshape(-1, 1),
                self.rewards[batch_inds, env_inds].reshape(-1, 1),
            )
            return ReplayBufferSamples(*(torch.tensor(a, device=self.device) for a in arrays))

    return ReplayBuffer


def dqn(
    torch: Any,
    nn: Any,
    F: Any,
    optim: Any,
    data: Any,
    sync: Sync,
    tau: float = 1.0,
    obs_dtype: Any = np.float32,
) -> dict:
    """cleanrl's dqn.py: QNetwork (120-84 MLP), the linear epsilon schedule with
    ``random.random()`` and ``action_space.sample()``, argmax actions, the replay buffer with
    ``final_observation`` on truncation, the TD target from ``target_network(...).max(dim=1)``
    under ``no_grad``, ``gather(1, actions).squeeze()``, ``F.mse_loss``, and the target network
    first loaded from ``q_network.state_dict()`` then updated by ``target_network_param.data.
    copy_(tau * q_network_param.data + (1.0 - tau) * target_network_param.data)``. Counts shrink: total_timesteps 500000 -> 120, buffer 10000 -> 64, batch 128
    -> 8, learning_starts 10000 -> 20, target_network_frequency 500 -> 10, train_frequency 10
    -> 2 (and the every-100-steps logging every 20)."""
    gym = tiny_gym.make_gym(obs_dtype)
    SummaryWriter = tiny_gym.SummaryWriter
    ReplayBuffer = replay_buffer(torch)
    args = SimpleNamespace(
        exp_name="dqn", seed=1, torch_deterministic=True, cuda=True, capture_video=False,
        save_model=False, env_id="TinyPole-v1", total_timesteps=120, learning_rate=2.5e-4,
        num_envs=1, buffer_size=64, gamma=0.99, tau=tau, target_network_frequency=10,
        batch_size=8, start_e=1, end_e=0.05, exploration_fraction=0.5, learning_starts=20,
        train_frequency=2,
    )  # fmt: skip

    def make_env(env_id, seed, idx, capture_video, run_name):
        def thunk():
            if capture_video and idx == 0:
                env = gym.make(env_id, render_mode="rgb_array")
                env = gym.wrappers.RecordVideo(env, f"videos/{run_name}")
            else:
                env = gym.make(env_id)
            env = gym.wrappers.RecordEpisodeStatistics(env)
            env.action_space.seed(seed)

            return env

        return thunk

    # ALGO LOGIC: initialize agent here:
    class QNetwork(nn.Module):
        def __init__(self, env):
            super().__init__()
            self.network = nn.Sequential(
                nn.Linear(np.array(env.single_observation_space.shape).prod(), 120),
                nn.ReLU(),
                nn.Linear(120, 84),
                nn.ReLU(),
                nn.Linear(84, env.single_action_space.n),
            )

        def forward(self, x):
            return self.network(x)

    def linear_schedule(start_e: float, end_e: float, duration: int, t: int):
        slope = (end_e - start_e) / duration
        return max(slope * t + start_e, end_e)

    # if __name__ == "__main__":
    run_name = f"{args.env_id}__{args.exp_name}__{args.seed}__{int(time.time())}"
    writer = SummaryWriter(f"runs/{run_name}")

    # TRY NOT TO MODIFY: seeding
    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    torch.backends.cudnn.deterministic = args.torch_deterministic

    device = torch.device("cuda" if torch.cuda.is_available() and args.cuda else "cpu")

    # env setup
    envs = gym.vector.SyncVectorEnv(
        [
            make_env(args.env_id, args.seed + i, i, args.capture_video, run_name)
            for i in range(args.num_envs)
        ]
    )
    assert isinstance(envs.single_action_space, gym.spaces.Discrete), (
        "only discrete action space is supported"
    )

    q_network = QNetwork(envs).to(device)
    sync(q_network)
    optimizer = optim.Adam(q_network.parameters(), lr=args.learning_rate)
    target_network = QNetwork(envs).to(device)
    target_network.load_state_dict(q_network.state_dict())

    rb = ReplayBuffer(
        args.buffer_size,
        envs.single_observation_space,
        envs.single_action_space,
        device,
        handle_timeout_termination=False,
    )
    start_time = time.time()
    record: dict = {"epsilon": [], "actions": [], "loss": [], "target": []}  # recorded

    def main():
        # TRY NOT TO MODIFY: start the game
        obs, _ = envs.reset(seed=args.seed)
        for global_step in range(args.total_timesteps):
            # ALGO LOGIC: put action logic here
            epsilon = linear_schedule(
                args.start_e,
                args.end_e,
                args.exploration_fraction * args.total_timesteps,
                global_step,
            )
            if random.random() < epsilon:
                actions = np.array(
                    [envs.single_action_space.sample() for _ in range(envs.num_envs)]
                )
            else:
                q_values = q_network(torch.Tensor(obs).to(device))
                actions = torch.argmax(q_values, dim=1).cpu().numpy()
            record["epsilon"].append(epsilon)  # recorded
            record["actions"].append(int(actions[0]))  # recorded

            # TRY NOT TO MODIFY: execute the game and log data.
            next_obs, rewards, terminations, truncations, infos = envs.step(actions)

            # TRY NOT TO MODIFY: record rewards for plotting purposes
            if "final_info" in infos:
                for info in infos["final_info"]:
                    if info and "episode" in info:
                        print(f"global_step={global_step}, episodic_return={info['episode']['r']}")
                        writer.add_scalar(
                            "charts/episodic_return", info["episode"]["r"], global_step
                        )
                        writer.add_scalar(
                            "charts/episodic_length", info["episode"]["l"], global_step
                        )

            # TRY NOT TO MODIFY: save data to reply buffer; handle `final_observation`
            real_next_obs = next_obs.copy()
            for idx, trunc in enumerate(truncations):
                if trunc:
                    real_next_obs[idx] = infos["final_observation"][idx]
            rb.add(obs, real_next_obs, actions, rewards, terminations, infos)

            # TRY NOT TO MODIFY: CRUCIAL step easy to overlook
            obs = next_obs

            # ALGO LOGIC: training.
            if global_step > args.learning_starts:
                if global_step % args.train_frequency == 0:
                    data = rb.sample(args.batch_size)
                    with torch.no_grad():
                        target_max, _ = target_network(data.next_observations).max(dim=1)
                        td_target = data.rewards.flatten() + args.gamma * target_max * (
                            1 - data.dones.flatten()
                        )
                    old_val = q_network(data.observations).gather(1, data.actions).squeeze()
                    loss = F.mse_loss(td_target, old_val)
                    record["loss"].append(loss.item())  # recorded

                    if global_step % 20 == 0:
                        writer.add_scalar("losses/td_loss", loss, global_step)
                        writer.add_scalar("losses/q_values", old_val.mean().item(), global_step)
                        print("SPS:", int(global_step / (time.time() - start_time)))
                        writer.add_scalar(
                            "charts/SPS", int(global_step / (time.time() - start_time)), global_step
                        )

                    # optimize the model
                    optimizer.zero_grad()
                    loss.backward()
                    optimizer.step()

                # update target network
                if global_step % args.target_network_frequency == 0:
                    record["target"].append(  # recorded: before and after the update
                        [np.array(p.detach().cpu().numpy()) for p in target_network.parameters()]
                    )
                    for target_network_param, q_network_param in zip(
                        target_network.parameters(), q_network.parameters()
                    ):
                        target_network_param.data.copy_(
                            args.tau * q_network_param.data
                            + (1.0 - args.tau) * target_network_param.data
                        )
                    record["target"][-1] = (
                        record["target"][-1],
                        [np.array(p.detach().cpu().numpy()) for p in q_network.parameters()],
                        [np.array(p.detach().cpu().numpy()) for p in target_network.parameters()],
                    )

        envs.close()
        writer.close()

    _, printed = captured(main)
    return {
        "scalars": writer.scalars,
        "printed": [p for p in printed if not p.startswith("SPS:")],
        "q": {k: np.array(v) for k, v in q_network.state_dict().items()},
        "target_net": {k: np.array(v) for k, v in target_network.state_dict().items()},
        **record,
    }


# --- karpathy/minGPT: mingpt/model.py, mingpt/trainer.py, demo.ipynb ---


class CfgNode:
    """a lightweight configuration class inspired by yacs (mingpt/utils.py)"""

    def __init__(self, **kwargs):
        self.__dict__.update(kwargs)

    def to_dict(self):
        """return a dict representation of the config"""
        return {k: v.to_dict() if isinstance(v, CfgNode) else v for k, v in self.__dict__.items()}

    def merge_from_dict(self, d):
        self.__dict__.update(d)


def mingpt(
    torch: Any,
    nn: Any,
    F: Any,
    optim: Any,
    data: Any,
    sync: Sync,
    max_iters: int = 4,
    eval_batch: int = 16,
) -> dict:
    """minGPT's GPT (NewGELU, CausalSelfAttention with the registered ``bias`` tril buffer,
    Block with its ``mlpf`` lambda, ``_init_weights`` and the scaled ``c_proj`` init,
    configure_optimizers' decay/no_decay split into AdamW parameter groups, generate with
    temperature, top_k and multinomial sampling), Trainer (RandomSampler with replacement,
    callbacks, ``clip_grad_norm_``) and the demo notebook's SortDataset (rejection sampling
    with ``torch.randint``/``torch.rand``, the ``-1`` ignore targets) with its eval_split. As
    the demo (gpt-nano), but max_iters 2000 -> ``max_iters``, eval batches of 100 ->
    ``eval_batch`` and one of them per split; chargpt.py's sampling call
    (``do_sample=True, top_k=10``) is added with top_k 2."""
    Dataset = data.Dataset
    DataLoader = data.DataLoader
    CN = CfgNode

    # --- mingpt/model.py ---

    class NewGELU(nn.Module):
        """
        Implementation of the GELU activation function currently in Google BERT repo (identical to OpenAI GPT).
        Reference: Gaussian Error Linear Units (GELU) paper: https://arxiv.org/abs/1606.08415
        """

        def forward(self, x):
            return (
                0.5
                * x
                * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * torch.pow(x, 3.0))))
            )

    class CausalSelfAttention(nn.Module):
        """
        A vanilla multi-head masked self-attention layer with a projection at the end.
        It is possible to use torch.nn.MultiheadAttention here but I am including an
        explicit implementation here to show that there is nothing too scary here.
        """

        def __init__(self, config):
            super().__init__()
            assert config.n_embd % config.n_head == 0
            # key, query, value projections for all heads, but in a batch
            self.c_attn = nn.Linear(config.n_embd, 3 * config.n_embd)
            # output projection
            self.c_proj = nn.Linear(config.n_embd, config.n_embd)
            # regularization
            self.attn_dropout = nn.Dropout(config.attn_pdrop)
            self.resid_dropout = nn.Dropout(config.resid_pdrop)
            # causal mask to ensure that attention is only applied to the left in the input sequence
            self.register_buffer("bias", torch.tril(torch.ones(config.block_size, config.block_size))
                                         .view(1, 1, config.block_size, config.block_size))  # fmt: skip
            self.n_head = config.n_head
            self.n_embd = config.n_embd

        def forward(self, x):
            B, T, C = x.size()  # batch size, sequence length, embedding dimensionality (n_embd)

            # calculate query, key, values for all heads in batch and move head forward to be the batch dim
            q, k, v = self.c_attn(x).split(self.n_embd, dim=2)
            k = k.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)  # (B, nh, T, hs)
            q = q.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)  # (B, nh, T, hs)
            v = v.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)  # (B, nh, T, hs)

            # causal self-attention; Self-attend: (B, nh, T, hs) x (B, nh, hs, T) -> (B, nh, T, T)
            att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(k.size(-1)))
            att = att.masked_fill(self.bias[:, :, :T, :T] == 0, float("-inf"))
            att = F.softmax(att, dim=-1)
            att = self.attn_dropout(att)
            y = att @ v  # (B, nh, T, T) x (B, nh, T, hs) -> (B, nh, T, hs)
            y = (
                y.transpose(1, 2).contiguous().view(B, T, C)
            )  # re-assemble all head outputs side by side

            # output projection
            y = self.resid_dropout(self.c_proj(y))
            return y

    class Block(nn.Module):
        """an unassuming Transformer block"""

        def __init__(self, config):
            super().__init__()
            self.ln_1 = nn.LayerNorm(config.n_embd)
            self.attn = CausalSelfAttention(config)
            self.ln_2 = nn.LayerNorm(config.n_embd)
            self.mlp = nn.ModuleDict(dict(
                c_fc    = nn.Linear(config.n_embd, 4 * config.n_embd),
                c_proj  = nn.Linear(4 * config.n_embd, config.n_embd),
                act     = NewGELU(),
                dropout = nn.Dropout(config.resid_pdrop),
            ))  # fmt: skip
            m = self.mlp
            self.mlpf = lambda x: m.dropout(m.c_proj(m.act(m.c_fc(x))))  # MLP forward

        def forward(self, x):
            x = x + self.attn(self.ln_1(x))
            x = x + self.mlpf(self.ln_2(x))
            return x

    class GPT(nn.Module):
        """GPT Language Model"""

        @staticmethod
        def get_default_config():
            C = CN()
            # either model_type or (n_layer, n_head, n_embd) must be given in the config
            C.model_type = "gpt"
            C.n_layer = None
            C.n_head = None
            C.n_embd = None
            # these options must be filled in externally
            C.vocab_size = None
            C.block_size = None
            # dropout hyperparameters
            C.embd_pdrop = 0.1
            C.resid_pdrop = 0.1
            C.attn_pdrop = 0.1
            return C

        def __init__(self, config):
            super().__init__()
            assert config.vocab_size is not None
            assert config.block_size is not None
            self.block_size = config.block_size

            type_given = config.model_type is not None
            params_given = all(
                [config.n_layer is not None, config.n_head is not None, config.n_embd is not None]
            )
            assert type_given ^ params_given  # exactly one of these (XOR)
            if type_given:
                # translate from model_type to detailed configuration
                config.merge_from_dict({
                    # names follow the huggingface naming conventions
                    # GPT-1
                    'openai-gpt':   dict(n_layer=12, n_head=12, n_embd=768),  # 117M params
                    # GPT-2 configs
                    'gpt2':         dict(n_layer=12, n_head=12, n_embd=768),  # 124M params
                    'gpt2-medium':  dict(n_layer=24, n_head=16, n_embd=1024), # 350M params
                    'gpt2-large':   dict(n_layer=36, n_head=20, n_embd=1280), # 774M params
                    'gpt2-xl':      dict(n_layer=48, n_head=25, n_embd=1600), # 1558M params
                    # Gophers
                    'gopher-44m':   dict(n_layer=8, n_head=16, n_embd=512),
                    # (there are a number more...)
                    # I made these tiny models up
                    'gpt-mini':     dict(n_layer=6, n_head=6, n_embd=192),
                    'gpt-micro':    dict(n_layer=4, n_head=4, n_embd=128),
                    'gpt-nano':     dict(n_layer=3, n_head=3, n_embd=48),
                }[config.model_type])  # fmt: skip

            self.transformer = nn.ModuleDict(dict(
                wte = nn.Embedding(config.vocab_size, config.n_embd),
                wpe = nn.Embedding(config.block_size, config.n_embd),
                drop = nn.Dropout(config.embd_pdrop),
                h = nn.ModuleList([Block(config) for _ in range(config.n_layer)]),
                ln_f = nn.LayerNorm(config.n_embd),
            ))  # fmt: skip
            self.lm_head = nn.Linear(config.n_embd, config.vocab_size, bias=False)

            # init all weights, and apply a special scaled init to the residual projections, per GPT-2 paper
            self.apply(self._init_weights)
            for pn, p in self.named_parameters():
                if pn.endswith("c_proj.weight"):
                    torch.nn.init.normal_(p, mean=0.0, std=0.02 / math.sqrt(2 * config.n_layer))

            # report number of parameters (note we don't count the decoder parameters in lm_head)
            n_params = sum(p.numel() for p in self.transformer.parameters())
            print("number of parameters: %.2fM" % (n_params / 1e6,))

        def _init_weights(self, module):
            if isinstance(module, nn.Linear):
                torch.nn.init.normal_(module.weight, mean=0.0, std=0.02)
                if module.bias is not None:
                    torch.nn.init.zeros_(module.bias)
            elif isinstance(module, nn.Embedding):
                torch.nn.init.normal_(module.weight, mean=0.0, std=0.02)
            elif isinstance(module, nn.LayerNorm):
                torch.nn.init.zeros_(module.bias)
                torch.nn.init.ones_(module.weight)

        def configure_optimizers(self, train_config):
            """
            This long function is unfortunately doing something very simple and is being very defensive:
            We are separating out all parameters of the model into two buckets: those that will experience
            weight decay for regularization and those that won't (biases, and layernorm/embedding weights).
            We are then returning the PyTorch optimizer object.
            """

            # separate out all parameters to those that will and won't experience regularizing weight decay
            decay = set()
            no_decay = set()
            whitelist_weight_modules = (torch.nn.Linear,)
            blacklist_weight_modules = (torch.nn.LayerNorm, torch.nn.Embedding)
            for mn, m in self.named_modules():
                for pn, p in m.named_parameters():
                    fpn = "%s.%s" % (mn, pn) if mn else pn  # full param name
                    # random note: because named_modules and named_parameters are recursive
                    # we will see the same tensors p many many times. but doing it this way
                    # allows us to know which parent module any tensor p belongs to...
                    if pn.endswith("bias"):
                        # all biases will not be decayed
                        no_decay.add(fpn)
                    elif pn.endswith("weight") and isinstance(m, whitelist_weight_modules):
                        # weights of whitelist modules will be weight decayed
                        decay.add(fpn)
                    elif pn.endswith("weight") and isinstance(m, blacklist_weight_modules):
                        # weights of blacklist modules will NOT be weight decayed
                        no_decay.add(fpn)

            # validate that we considered every parameter
            param_dict = {pn: p for pn, p in self.named_parameters()}
            inter_params = decay & no_decay
            union_params = decay | no_decay
            assert len(inter_params) == 0, (
                "parameters %s made it into both decay/no_decay sets!" % (str(inter_params),)
            )
            assert len(param_dict.keys() - union_params) == 0, "parameters %s were not separated into either decay/no_decay set!" \
                                                        % (str(param_dict.keys() - union_params), )  # fmt: skip

            # create the pytorch optimizer object
            optim_groups = [
                {
                    "params": [param_dict[pn] for pn in sorted(list(decay))],
                    "weight_decay": train_config.weight_decay,
                },
                {"params": [param_dict[pn] for pn in sorted(list(no_decay))], "weight_decay": 0.0},
            ]
            optimizer = torch.optim.AdamW(
                optim_groups, lr=train_config.learning_rate, betas=train_config.betas
            )
            return optimizer

        def forward(self, idx, targets=None):
            device = idx.device
            b, t = idx.size()
            assert t <= self.block_size, (
                f"Cannot forward sequence of length {t}, block size is only {self.block_size}"
            )
            pos = torch.arange(0, t, dtype=torch.long, device=device).unsqueeze(0)  # shape (1, t)

            # forward the GPT model itself
            tok_emb = self.transformer.wte(idx)  # token embeddings of shape (b, t, n_embd)
            pos_emb = self.transformer.wpe(pos)  # position embeddings of shape (1, t, n_embd)
            x = self.transformer.drop(tok_emb + pos_emb)
            for block in self.transformer.h:
                x = block(x)
            x = self.transformer.ln_f(x)
            logits = self.lm_head(x)

            # if we are given some desired targets also calculate the loss
            loss = None
            if targets is not None:
                loss = F.cross_entropy(
                    logits.view(-1, logits.size(-1)), targets.view(-1), ignore_index=-1
                )

            return logits, loss

        @torch.no_grad()
        def generate(self, idx, max_new_tokens, temperature=1.0, do_sample=False, top_k=None):
            """
            Take a conditioning sequence of indices idx (LongTensor of shape (b,t)) and complete
            the sequence max_new_tokens times, feeding the predictions back into the model each time.
            Most likely you'll want to make sure to be in model.eval() mode of operation for this.
            """
            for _ in range(max_new_tokens):
                # if the sequence context is growing too long we must crop it at block_size
                idx_cond = idx if idx.size(1) <= self.block_size else idx[:, -self.block_size :]
                # forward the model to get the logits for the index in the sequence
                logits, _ = self(idx_cond)
                # pluck the logits at the final step and scale by desired temperature
                logits = logits[:, -1, :] / temperature
                # optionally crop the logits to only the top k options
                if top_k is not None:
                    v, _ = torch.topk(logits, top_k)
                    logits[logits < v[:, [-1]]] = -float("Inf")
                # apply softmax to convert logits to (normalized) probabilities
                probs = F.softmax(logits, dim=-1)
                # either sample from the distribution or take the most likely element
                if do_sample:
                    idx_next = torch.multinomial(probs, num_samples=1)
                else:
                    _, idx_next = torch.topk(probs, k=1, dim=-1)
                # append sampled index to the running sequence and continue
                idx = torch.cat((idx, idx_next), dim=1)

            return idx

    # --- mingpt/trainer.py ---

    class Trainer:
        @staticmethod
        def get_default_config():
            C = CN()
            # device to train on
            C.device = "auto"
            # dataloder parameters
            C.num_workers = 4
            # optimizer parameters
            C.max_iters = None
            C.batch_size = 64
            C.learning_rate = 3e-4
            C.betas = (0.9, 0.95)
            C.weight_decay = 0.1  # only applied on matmul weights
            C.grad_norm_clip = 1.0
            return C

        def __init__(self, config, model, train_dataset):
            self.config = config
            self.model = model
            self.optimizer = None
            self.train_dataset = train_dataset
            self.callbacks = defaultdict(list)

            # determine the device we'll train on
            if config.device == "auto":
                self.device = "cuda" if torch.cuda.is_available() else "cpu"
            else:
                self.device = config.device
            self.model = self.model.to(self.device)
            print("running on device", self.device)

            # variables that will be assigned to trainer class later for logging and etc
            self.iter_num = 0
            self.iter_time = 0.0
            self.iter_dt = 0.0

        def add_callback(self, onevent: str, callback):
            self.callbacks[onevent].append(callback)

        def set_callback(self, onevent: str, callback):
            self.callbacks[onevent] = [callback]

        def trigger_callbacks(self, onevent: str):
            for callback in self.callbacks.get(onevent, []):
                callback(self)

        def run(self):
            model, config = self.model, self.config

            # setup the optimizer
            self.optimizer = model.configure_optimizers(config)

            # setup the dataloader
            train_loader = DataLoader(
                self.train_dataset,
                sampler=torch.utils.data.RandomSampler(
                    self.train_dataset, replacement=True, num_samples=int(1e10)
                ),
                shuffle=False,
                pin_memory=True,
                batch_size=config.batch_size,
                num_workers=config.num_workers,
            )

            model.train()
            self.iter_num = 0
            self.iter_time = time.time()
            data_iter = iter(train_loader)
            while True:
                # fetch the next batch (x, y) and re-init iterator if needed
                try:
                    batch = next(data_iter)
                except StopIteration:
                    data_iter = iter(train_loader)
                    batch = next(data_iter)
                batch = [t.to(self.device) for t in batch]
                x, y = batch

                # forward the model
                logits, self.loss = model(x, y)

                # backprop and update the parameters
                model.zero_grad(set_to_none=True)
                self.loss.backward()
                torch.nn.utils.clip_grad_norm_(model.parameters(), config.grad_norm_clip)
                self.optimizer.step()

                self.trigger_callbacks("on_batch_end")
                self.iter_num += 1
                tnow = time.time()
                self.iter_dt = tnow - self.iter_time
                self.iter_time = tnow

                # termination conditions
                if config.max_iters is not None and self.iter_num >= config.max_iters:
                    break

    # --- demo.ipynb ---

    class SortDataset(Dataset):
        """
        Dataset for the Sort problem. E.g. for problem length 6:
        Input: 0 0 2 1 0 1 -> Output: 0 0 0 1 1 2
        Which will feed into the transformer concatenated as:
        input:  0 0 2 1 0 1 0 0 0 1 1
        output: I I I I I 0 0 0 1 1 2
        where I is "ignore", as the transformer is reading the input sequence
        """

        def __init__(self, split, length=6, num_digits=3):
            assert split in {"train", "test"}
            self.split = split
            self.length = length
            self.num_digits = num_digits

        def __len__(self):
            return 10000  # ...

        def get_vocab_size(self):
            return self.num_digits

        def get_block_size(self):
            # the length of the sequence that will feed into transformer,
            # containing concatenated input and the output, but -1 because
            # the transformer starts making predictions at the last input element
            return self.length * 2 - 1

        def __getitem__(self, idx):
            # use rejection sampling to generate an input example from the desired split
            while True:
                # generate some random integers
                inp = torch.randint(self.num_digits, size=(self.length,), dtype=torch.long)
                # half of the time let's try to boost the number of examples that
                # have a large number of repeats, as this is what the model seems to struggle
                # with later in training, and they are kind of rate
                if torch.rand(1).item() < 0.5:
                    if inp.unique().nelement() > self.length // 2:
                        # too many unqiue digits, re-sample
                        continue
                # figure out if this generated example is train or test based on its hash
                h = hash(pickle.dumps(inp.tolist()))
                inp_split = "test" if h % 4 == 0 else "train"  # designate 25% of examples as test
                if inp_split == self.split:
                    break  # ok

            # solve the task: i.e. sort
            sol = torch.sort(inp)[0]

            # concatenate the problem specification and the solution
            cat = torch.cat((inp, sol), dim=0)

            # the inputs to the transformer will be the offset sequence
            x = cat[:-1].clone()
            y = cat[1:].clone()
            # we only want to predict at output locations, mask out the loss at the input locations
            y[: self.length - 1] = -1
            return x, y

    record: dict = {"losses": []}  # recorded

    def main():
        # print an example instance of the dataset
        train_dataset = SortDataset("train")
        test_dataset = SortDataset("test")
        x, y = train_dataset[0]
        for a, b in zip(x, y):
            print(int(a), int(b))
        record["example"] = (x.tolist(), y.tolist())

        # create a GPT instance
        model_config = GPT.get_default_config()
        model_config.model_type = "gpt-nano"
        model_config.vocab_size = train_dataset.get_vocab_size()
        model_config.block_size = train_dataset.get_block_size()
        model = GPT(model_config)
        sync(model)
        record["initial"] = {k: np.array(v) for k, v in model.state_dict().items()}

        # create a Trainer object
        train_config = Trainer.get_default_config()
        # the model we're using is so small that we can go a bit faster
        train_config.learning_rate = 5e-4
        train_config.max_iters = max_iters
        train_config.num_workers = 0
        trainer = Trainer(train_config, model, train_dataset)

        def batch_end_callback(trainer):
            record["losses"].append(trainer.loss.item())
            if trainer.iter_num % 100 == 0:
                print(
                    f"iter_dt {trainer.iter_dt * 1000:.2f}ms; iter {trainer.iter_num}: train loss {trainer.loss.item():.5f}"
                )

        trainer.set_callback("on_batch_end", batch_end_callback)
        trainer.run()
        record["groups"] = [
            (len(g["params"]), g["weight_decay"], g["lr"], g["betas"])
            for g in trainer.optimizer.param_groups
        ]

        # now let's perform some evaluation
        model.eval()

        def eval_split(trainer, split, max_batches):
            dataset = {"train": train_dataset, "test": test_dataset}[split]
            n = train_dataset.length  # naugy direct access shrug
            results = []
            mistakes_printed_already = 0
            loader = DataLoader(dataset, batch_size=eval_batch, num_workers=0, drop_last=False)
            for b, (x, y) in enumerate(loader):
                x = x.to(trainer.device)
                y = y.to(trainer.device)
                # isolate the input pattern alone
                inp = x[:, :n]
                sol = y[:, -n:]
                # let the model sample the rest of the sequence
                cat = model.generate(inp, n, do_sample=False)  # using greedy argmax, not sampling
                sol_candidate = cat[:, n:]  # isolate the filled in sequence
                # compare the predicted sequence to the true sequence
                # Software 1.0 vs. Software 2.0 fight RIGHT on this line haha
                correct = (sol == sol_candidate).all(1).cpu()
                for i in range(x.size(0)):
                    results.append(int(correct[i]))
                    # only print up to 5 mistakes to get a sense
                    if not correct[i] and mistakes_printed_already < 3:
                        mistakes_printed_already += 1
                        print(
                            "GPT claims that %s sorted is %s but gt is %s"
                            % (inp[i].tolist(), sol_candidate[i].tolist(), sol[i].tolist())
                        )
                record.setdefault("evaluated", []).append(
                    (inp.tolist(), sol.tolist(), sol_candidate.tolist())
                )  # recorded
                if max_batches is not None and b + 1 >= max_batches:
                    break
            rt = torch.tensor(results, dtype=torch.float)
            print(
                "%s final score: %d/%d = %.2f%% correct"
                % (split, rt.sum(), len(results), 100 * rt.mean())
            )
            return rt.sum()

        # run a lot of examples from both train and test through the model and verify the output correctness
        with torch.no_grad():
            train_score = eval_split(trainer, "train", max_batches=1)
            test_score = eval_split(trainer, "test", max_batches=1)
        record["scores"] = (float(train_score), float(test_score))

        # let's run a random given sequence through the model as well
        n = train_dataset.length  # naugy direct access shrug
        inp = torch.tensor([[0, 0, 2, 1, 0, 1]], dtype=torch.long).to(trainer.device)
        assert inp[0].nelement() == n
        with torch.no_grad():
            cat = model.generate(inp, n, do_sample=False)
        sol = torch.sort(inp[0])[0]
        sol_candidate = cat[:, n:]
        print("input sequence  :", inp.tolist())
        print("predicted sorted:", sol_candidate.tolist())
        print("gt sort         :", sol.tolist())
        print("matches         :", bool((sol == sol_candidate).all()))

        # chargpt.py's sampling (top_k 10 there)
        with torch.no_grad():
            record["sampled"] = model.generate(inp, n, temperature=1.0, do_sample=True, top_k=2)[
                0
            ].tolist()
            record["sampled_top1"] = model.generate(inp, n, do_sample=True, top_k=1)[0].tolist()
            record["greedy"] = cat[0].tolist()
            record["logits"] = model(cat[:, :-1])[0].detach().cpu().numpy().copy()
        record["state"] = {k: np.array(v) for k, v in model.state_dict().items()}
        record["config"] = model_config.to_dict()

    _, printed = captured(main)
    record["printed"] = printed
    return record


# --- dome272/Diffusion-Models-pytorch: modules.py, ddpm_conditional.py ---


class tqdm:
    """tqdm's progress bar over an iterable, keeping what ``set_postfix`` was given."""

    def __init__(self, iterable: Any, **kwargs: Any) -> None:
        self.iterable = iterable
        self.postfix: list = []

    def __iter__(self) -> Any:
        return iter(self.iterable)

    def __len__(self) -> int:
        return len(self.iterable)

    def set_postfix(self, **kwargs: Any) -> None:
        self.postfix.append(kwargs)


def ddpm(
    torch: Any,
    nn: Any,
    F: Any,
    optim: Any,
    data: Any,
    sync: Sync,
    root: str,
    shrink: int = 8,
    image_size: int = 8,
    noise_steps: int = 6,
) -> dict:
    """modules.py's EMA, SelfAttention (nn.MultiheadAttention between LayerNorms, ``swapaxes``),
    DoubleConv (GroupNorm + GELU, residual), Down (MaxPool2d), Up (Upsample bilinear,
    align_corners=True), the sinusoidal ``pos_encoding`` and UNet_conditional (a label
    embedding added to the time encoding); ddpm_conditional.py's Diffusion (linspace beta
    schedule, ``cumprod``, noise_images with ``randn_like``, sample_timesteps with ``randint``,
    the sampling loop with classifier-free guidance by ``torch.lerp``) and train (AdamW, MSE,
    labels dropped one time in ten, ``EMA.step_ema`` on a ``deepcopy(model).eval().
    requires_grad_(False)``, samples from both models, the checkpoints saved). Widths / shrink
    (64 -> 8), 64x64 images -> ``image_size`` (the attention sizes with them), time_dim 256 ->
    256 / shrink, noise_steps 1000 -> ``noise_steps``, EMA's step_start_ema 2000 -> 2, 2 epochs
    of 2 batches of 2; the dataset (ImageFolder of CIFAR-10 in the repository) is seeded numpy
    images in [-1, 1] with labels, not shuffled; save_images keeps the images. The repository
    runs on a GPU: its ``args.device = "cuda"`` is ``"cpu"`` here, and the UNet (whose
    ``device="cuda"`` default places ``pos_encoding``'s ``arange``) is built with it."""
    SummaryWriter = tiny_gym.SummaryWriter
    w = 64 // shrink
    r = 64 // image_size  # the attention layers' sizes are the image's, halved per level

    class EMA:
        def __init__(self, beta):
            super().__init__()
            self.beta = beta
            self.step = 0

        def update_model_average(self, ma_model, current_model):
            for current_params, ma_params in zip(current_model.parameters(), ma_model.parameters()):
                old_weight, up_weight = ma_params.data, current_params.data
                ma_params.data = self.update_average(old_weight, up_weight)

        def update_average(self, old, new):
            if old is None:
                return new
            return old * self.beta + (1 - self.beta) * new

        def step_ema(self, ema_model, model, step_start_ema=2):
            if self.step < step_start_ema:
                self.reset_parameters(ema_model, model)
                self.step += 1
                return
            self.update_model_average(ema_model, model)
            self.step += 1

        def reset_parameters(self, ema_model, model):
            ema_model.load_state_dict(model.state_dict())

    class SelfAttention(nn.Module):
        def __init__(self, channels, size):
            super(SelfAttention, self).__init__()
            self.channels = channels
            self.size = size
            self.mha = nn.MultiheadAttention(channels, 4, batch_first=True)
            self.ln = nn.LayerNorm([channels])
            self.ff_self = nn.Sequential(
                nn.LayerNorm([channels]),
                nn.Linear(channels, channels),
                nn.GELU(),
                nn.Linear(channels, channels),
            )

        def forward(self, x):
            x = x.view(-1, self.channels, self.size * self.size).swapaxes(1, 2)
            x_ln = self.ln(x)
            attention_value, _ = self.mha(x_ln, x_ln, x_ln)
            attention_value = attention_value + x
            attention_value = self.ff_self(attention_value) + attention_value
            return attention_value.swapaxes(2, 1).view(-1, self.channels, self.size, self.size)

    class DoubleConv(nn.Module):
        def __init__(self, in_channels, out_channels, mid_channels=None, residual=False):
            super().__init__()
            self.residual = residual
            if not mid_channels:
                mid_channels = out_channels
            self.double_conv = nn.Sequential(
                nn.Conv2d(in_channels, mid_channels, kernel_size=3, padding=1, bias=False),
                nn.GroupNorm(1, mid_channels),
                nn.GELU(),
                nn.Conv2d(mid_channels, out_channels, kernel_size=3, padding=1, bias=False),
                nn.GroupNorm(1, out_channels),
            )

        def forward(self, x):
            if self.residual:
                return F.gelu(x + self.double_conv(x))
            else:
                return self.double_conv(x)

    class Down(nn.Module):
        def __init__(self, in_channels, out_channels, emb_dim=256 // shrink):
            super().__init__()
            self.maxpool_conv = nn.Sequential(
                nn.MaxPool2d(2),
                DoubleConv(in_channels, in_channels, residual=True),
                DoubleConv(in_channels, out_channels),
            )

            self.emb_layer = nn.Sequential(
                nn.SiLU(),
                nn.Linear(
                    emb_dim,
                    out_channels
                ),
            )  # fmt: skip

        def forward(self, x, t):
            x = self.maxpool_conv(x)
            emb = self.emb_layer(t)[:, :, None, None].repeat(1, 1, x.shape[-2], x.shape[-1])
            return x + emb

    class Up(nn.Module):
        def __init__(self, in_channels, out_channels, emb_dim=256 // shrink):
            super().__init__()

            self.up = nn.Upsample(scale_factor=2, mode="bilinear", align_corners=True)
            self.conv = nn.Sequential(
                DoubleConv(in_channels, in_channels, residual=True),
                DoubleConv(in_channels, out_channels, in_channels // 2),
            )

            self.emb_layer = nn.Sequential(
                nn.SiLU(),
                nn.Linear(
                    emb_dim,
                    out_channels
                ),
            )  # fmt: skip

        def forward(self, x, skip_x, t):
            x = self.up(x)
            x = torch.cat([skip_x, x], dim=1)
            x = self.conv(x)
            emb = self.emb_layer(t)[:, :, None, None].repeat(1, 1, x.shape[-2], x.shape[-1])
            return x + emb

    class UNet_conditional(nn.Module):
        def __init__(
            self, c_in=3, c_out=3, time_dim=256 // shrink, num_classes=None, device="cuda"
        ):
            super().__init__()
            self.device = device
            self.time_dim = time_dim
            self.inc = DoubleConv(c_in, w)
            self.down1 = Down(w, 2 * w)
            self.sa1 = SelfAttention(2 * w, 32 // r)
            self.down2 = Down(2 * w, 4 * w)
            self.sa2 = SelfAttention(4 * w, 16 // r)
            self.down3 = Down(4 * w, 4 * w)
            self.sa3 = SelfAttention(4 * w, 8 // r)

            self.bot1 = DoubleConv(4 * w, 8 * w)
            self.bot2 = DoubleConv(8 * w, 8 * w)
            self.bot3 = DoubleConv(8 * w, 4 * w)

            self.up1 = Up(8 * w, 2 * w)
            self.sa4 = SelfAttention(2 * w, 16 // r)
            self.up2 = Up(4 * w, w)
            self.sa5 = SelfAttention(w, 32 // r)
            self.up3 = Up(2 * w, w)
            self.sa6 = SelfAttention(w, 64 // r)
            self.outc = nn.Conv2d(w, c_out, kernel_size=1)

            if num_classes is not None:
                self.label_emb = nn.Embedding(num_classes, time_dim)

        def pos_encoding(self, t, channels):
            inv_freq = 1.0 / (
                10000 ** (torch.arange(0, channels, 2, device=self.device).float() / channels)
            )
            pos_enc_a = torch.sin(t.repeat(1, channels // 2) * inv_freq)
            pos_enc_b = torch.cos(t.repeat(1, channels // 2) * inv_freq)
            pos_enc = torch.cat([pos_enc_a, pos_enc_b], dim=-1)
            return pos_enc

        def forward(self, x, t, y):
            t = t.unsqueeze(-1).type(torch.float)
            t = self.pos_encoding(t, self.time_dim)

            if y is not None:
                t += self.label_emb(y)

            x1 = self.inc(x)
            x2 = self.down1(x1, t)
            x2 = self.sa1(x2)
            x3 = self.down2(x2, t)
            x3 = self.sa2(x3)
            x4 = self.down3(x3, t)
            x4 = self.sa3(x4)

            x4 = self.bot1(x4)
            x4 = self.bot2(x4)
            x4 = self.bot3(x4)

            x = self.up1(x4, x3, t)
            x = self.sa4(x)
            x = self.up2(x, x2, t)
            x = self.sa5(x)
            x = self.up3(x, x1, t)
            x = self.sa6(x)
            output = self.outc(x)
            return output

    class Diffusion:
        def __init__(
            self, noise_steps=1000, beta_start=1e-4, beta_end=0.02, img_size=256, device="cuda"
        ):
            self.noise_steps = noise_steps
            self.beta_start = beta_start
            self.beta_end = beta_end

            self.beta = self.prepare_noise_schedule().to(device)
            self.alpha = 1.0 - self.beta
            self.alpha_hat = torch.cumprod(self.alpha, dim=0)

            self.img_size = img_size
            self.device = device

        def prepare_noise_schedule(self):
            return torch.linspace(self.beta_start, self.beta_end, self.noise_steps)

        def noise_images(self, x, t):
            sqrt_alpha_hat = torch.sqrt(self.alpha_hat[t])[:, None, None, None]
            sqrt_one_minus_alpha_hat = torch.sqrt(1 - self.alpha_hat[t])[:, None, None, None]
            Ɛ = torch.randn_like(x)
            return sqrt_alpha_hat * x + sqrt_one_minus_alpha_hat * Ɛ, Ɛ

        def sample_timesteps(self, n):
            return torch.randint(low=1, high=self.noise_steps, size=(n,))

        def sample(self, model, n, labels, cfg_scale=3):
            logging.info(f"Sampling {n} new images....")
            model.eval()
            with torch.no_grad():
                x = torch.randn((n, 3, self.img_size, self.img_size)).to(self.device)
                for i in tqdm(reversed(range(1, self.noise_steps)), position=0):
                    t = (torch.ones(n) * i).long().to(self.device)
                    predicted_noise = model(x, t, labels)
                    if cfg_scale > 0:
                        uncond_predicted_noise = model(x, t, None)
                        predicted_noise = torch.lerp(
                            uncond_predicted_noise, predicted_noise, cfg_scale
                        )
                    alpha = self.alpha[t][:, None, None, None]
                    alpha_hat = self.alpha_hat[t][:, None, None, None]
                    beta = self.beta[t][:, None, None, None]
                    if i > 1:
                        noise = torch.randn_like(x)
                    else:
                        noise = torch.zeros_like(x)
                    x = (
                        1
                        / torch.sqrt(alpha)
                        * (x - ((1 - alpha) / (torch.sqrt(1 - alpha_hat))) * predicted_noise)
                        + torch.sqrt(beta) * noise
                    )
            model.train()
            x = (x.clamp(-1, 1) + 1) / 2
            x = (x * 255).type(torch.uint8)
            return x

    record: dict = {"dropped": [], "sampled": [], "ema_sampled": [], "ema": []}  # recorded

    def get_data(args):  # the stand-in: seeded images and labels, in order
        rs = np.random.RandomState(3)
        images = torch.tensor(
            rs.uniform(-1, 1, (4, 3, args.image_size, args.image_size)), dtype=torch.float
        )
        labels = torch.tensor(rs.randint(0, args.num_classes, 4))
        return data.DataLoader(data.TensorDataset(images, labels), batch_size=args.batch_size)

    def save_images(images, path, **kwargs):  # the stand-in: keeps them
        (record["ema_sampled"] if "ema" in path else record["sampled"]).append(
            images.numpy().copy()
        )

    def train(args):
        device = args.device
        dataloader = get_data(args)
        model = UNet_conditional(num_classes=args.num_classes, device=device).to(device)
        sync(model)
        optimizer = optim.AdamW(model.parameters(), lr=args.lr)
        mse = nn.MSELoss()
        diffusion = Diffusion(noise_steps=noise_steps, img_size=args.image_size, device=device)
        logger = SummaryWriter(os.path.join("runs", args.run_name))
        l = len(dataloader)
        ema = EMA(0.995)
        ema_model = copy.deepcopy(model).eval().requires_grad_(False)
        record["schedule"] = (diffusion.beta.numpy().copy(), diffusion.alpha_hat.numpy().copy())

        for epoch in range(args.epochs):
            logging.info(f"Starting epoch {epoch}:")
            pbar = tqdm(dataloader)
            for i, (images, labels) in enumerate(pbar):
                images = images.to(device)
                labels = labels.to(device)
                t = diffusion.sample_timesteps(images.shape[0]).to(device)
                x_t, noise = diffusion.noise_images(images, t)
                record.setdefault(
                    "noised", [a.detach().numpy().copy() for a in (images, t, x_t, noise)]
                )  # recorded
                if np.random.random() < 0.1:
                    labels = None
                record["dropped"].append(labels is None)  # recorded
                predicted_noise = model(x_t, t, labels)
                loss = mse(noise, predicted_noise)

                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
                record.setdefault(
                    "grads",
                    [np.array(p.grad.numpy()) for p in model.parameters() if p.grad is not None],
                )  # recorded
                before = [np.array(p.detach().numpy()) for p in ema_model.parameters()]  # recorded
                ema.step_ema(ema_model, model)
                record["ema"].append(
                    (
                        ema.step,
                        before,
                        [np.array(p.detach().numpy()) for p in model.parameters()],
                        [np.array(p.detach().numpy()) for p in ema_model.parameters()],
                    )
                )  # recorded

                pbar.set_postfix(MSE=loss.item())
                logger.add_scalar("MSE", loss.item(), global_step=epoch * l + i)

            if epoch % 10 == 0:
                labels = torch.arange(args.num_classes).long().to(device)
                sampled_images = diffusion.sample(model, n=len(labels), labels=labels)
                ema_sampled_images = diffusion.sample(ema_model, n=len(labels), labels=labels)
                save_images(
                    sampled_images,
                    os.path.join(args.root, "results", args.run_name, f"{epoch}.jpg"),
                )
                save_images(
                    ema_sampled_images,
                    os.path.join(args.root, "results", args.run_name, f"{epoch}_ema.jpg"),
                )
                torch.save(
                    model.state_dict(), os.path.join(args.root, "models", args.run_name, f"ckpt.pt")
                )
                torch.save(
                    ema_model.state_dict(),
                    os.path.join(args.root, "models", args.run_name, f"ema_ckpt.pt"),
                )
                torch.save(
                    optimizer.state_dict(),
                    os.path.join(args.root, "models", args.run_name, f"optim.pt"),
                )
        record["state"] = {k: np.array(v) for k, v in model.state_dict().items()}
        record["ema_state"] = {k: np.array(v) for k, v in ema_model.state_dict().items()}
        record["ema_requires_grad"] = [p.requires_grad for p in ema_model.parameters()]
        record["ema_training"] = ema_model.training
        record["losses"] = logger.scalars["MSE"]

    def launch():
        args = SimpleNamespace(
            run_name="DDPM_conditional", epochs=2, batch_size=2, image_size=image_size,
            num_classes=10, dataset_path=None, device="cpu", lr=3e-4, root=root,
        )  # fmt: skip
        os.makedirs(os.path.join(args.root, "models", args.run_name), exist_ok=True)
        os.makedirs(os.path.join(args.root, "results", args.run_name), exist_ok=True)
        train(args)

    launch()
    return record
