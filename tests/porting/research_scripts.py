# The authors' idioms are kept as written: super(Cls, self), %-formatting, f-strings with
# nothing in them, names the body ignores, lambda assignments, long comment lines.
# ruff: noqa: UP008, UP031, B007, E501, E731, F541, PLW2901, RUF001, RUF003
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
tests beyond what it prints or logs is marked ``# recorded``. Where a script uses ``.data`` as
a Tensor (``target_param.data.copy_(...)``), ``faithful_data=False`` writes the
``torch.no_grad()`` form instead: here ``.data`` is the ndarray (API.md); the tests pin the
scripts as written.
"""

from __future__ import annotations

import copy
import logging
import math
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
            self.actor_logstd = nn.Parameter(torch.zeros(1, np.prod(envs.single_action_space.shape)))

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
        "|param|value|\n|-|-|\n%s" % ("\n".join([f"|{key}|{value}|" for key, value in vars(args).items()])),
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
        assert isinstance(envs.single_action_space, gym.spaces.Box), "only continuous action space is supported"
        agent = ContinuousAgent(envs).to(device)
    else:
        assert isinstance(envs.single_action_space, gym.spaces.Discrete), "only discrete action space is supported"
        agent = Agent(envs).to(device)
    sync(agent)
    optimizer = optim.Adam(agent.parameters(), lr=args.learning_rate, eps=1e-5)

    # ALGO Logic: Storage setup
    obs = torch.zeros((args.num_steps, args.num_envs) + envs.single_observation_space.shape).to(device)
    actions = torch.zeros((args.num_steps, args.num_envs) + envs.single_action_space.shape).to(device)
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
                next_obs, next_done = torch.Tensor(next_obs).to(device), torch.Tensor(next_done).to(device)

                if "final_info" in infos:
                    for info in infos["final_info"]:
                        if info and "episode" in info:
                            print(f"global_step={global_step}, episodic_return={info['episode']['r']}")
                            writer.add_scalar("charts/episodic_return", info["episode"]["r"], global_step)
                            writer.add_scalar("charts/episodic_length", info["episode"]["l"], global_step)

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
                    advantages[t] = lastgaelam = delta + args.gamma * args.gae_lambda * nextnonterminal * lastgaelam
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
                        _, newlogprob, entropy, newvalue = agent.get_action_and_value(b_obs[mb_inds], b_actions[mb_inds])
                    else:
                        _, newlogprob, entropy, newvalue = agent.get_action_and_value(b_obs[mb_inds], b_actions.long()[mb_inds])
                    logratio = newlogprob - b_logprobs[mb_inds]
                    ratio = logratio.exp()

                    with torch.no_grad():
                        # calculate approx_kl http://joschu.net/blog/kl-approx.html
                        old_approx_kl = (-logratio).mean()
                        approx_kl = ((ratio - 1) - logratio).mean()
                        clipfracs += [((ratio - 1.0).abs() > args.clip_coef).float().mean().item()]

                    mb_advantages = b_advantages[mb_inds]
                    if args.norm_adv:
                        mb_advantages = (mb_advantages - mb_advantages.mean()) / (mb_advantages.std() + 1e-8)

                    # Policy loss
                    pg_loss1 = -mb_advantages * ratio
                    pg_loss2 = -mb_advantages * torch.clamp(ratio, 1 - args.clip_coef, 1 + args.clip_coef)
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
                        dict(mb_inds=mb_inds.copy(), ratio=ratio.detach().cpu().numpy(), approx_kl=approx_kl.item())
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
            writer.add_scalar("charts/SPS", int(global_step / (time.time() - start_time)), global_step)
            record[-1].update(  # recorded: this iteration's buffers
                {
                    name: np.array(t.cpu().numpy())
                    for name, t in dict(
                        obs=obs, actions=actions, logprobs=logprobs, rewards=rewards, dones=dones,
                        values=values, advantages=advantages, returns=returns,
                        next_value=next_value, next_done=next_done,
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
    faithful_data: bool = True,
) -> dict:
    """cleanrl's dqn.py: QNetwork (120-84 MLP), the linear epsilon schedule with
    ``random.random()`` and ``action_space.sample()``, argmax actions, the replay buffer with
    ``final_observation`` on truncation, the TD target from ``target_network(...).max(dim=1)``
    under ``no_grad``, ``gather(1, actions).squeeze()``, ``F.mse_loss``, and the target network
    first loaded from ``q_network.state_dict()`` then updated by ``target_network_param.data.
    copy_(tau * q_network_param.data + (1.0 - tau) * target_network_param.data)``
    (``faithful_data=False``: the same update as ``with torch.no_grad(): target_network_param.
    copy_(...)``). Counts shrink: total_timesteps 500000 -> 120, buffer 10000 -> 64, batch 128
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
        [make_env(args.env_id, args.seed + i, i, args.capture_video, run_name) for i in range(args.num_envs)]
    )
    assert isinstance(envs.single_action_space, gym.spaces.Discrete), "only discrete action space is supported"

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
            epsilon = linear_schedule(args.start_e, args.end_e, args.exploration_fraction * args.total_timesteps, global_step)
            if random.random() < epsilon:
                actions = np.array([envs.single_action_space.sample() for _ in range(envs.num_envs)])
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
                        writer.add_scalar("charts/episodic_return", info["episode"]["r"], global_step)
                        writer.add_scalar("charts/episodic_length", info["episode"]["l"], global_step)

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
                        td_target = data.rewards.flatten() + args.gamma * target_max * (1 - data.dones.flatten())
                    old_val = q_network(data.observations).gather(1, data.actions).squeeze()
                    loss = F.mse_loss(td_target, old_val)
                    record["loss"].append(loss.item())  # recorded

                    if global_step % 20 == 0:
                        writer.add_scalar("losses/td_loss", loss, global_step)
                        writer.add_scalar("losses/q_values", old_val.mean().item(), global_step)
                        print("SPS:", int(global_step / (time.time() - start_time)))
                        writer.add_scalar("charts/SPS", int(global_step / (time.time() - start_time)), global_step)

                    # optimize the model
                    optimizer.zero_grad()
                    loss.backward()
                    optimizer.step()

                # update target network
                if global_step % args.target_network_frequency == 0:
                    record["target"].append(  # recorded: before and after the update
                        [np.array(p.detach().cpu().numpy()) for p in target_network.parameters()]
                    )
                    for target_network_param, q_network_param in zip(target_network.parameters(), q_network.parameters()):
                        if faithful_data:
                            target_network_param.data.copy_(
                                args.tau * q_network_param.data + (1.0 - args.tau) * target_network_param.data
                            )
                        else:
                            with torch.no_grad():
                                target_network_param.copy_(
                                    args.tau * q_network_param + (1.0 - args.tau) * target_network_param
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
