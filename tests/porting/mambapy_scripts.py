# The authors' idioms are kept as written: long lines, `!= None`, names the body ignores.
# ruff: noqa: B007, C416, E501, E711, F841, UP007
"""alxndrTL/mamba.py (MIT licence): mambapy/pscan.py (a Blelloch parallel scan written as a
``torch.autograd.Function`` whose forward and backward update strided views in place),
mambapy/mamba.py (MambaConfig, Mamba, ResidualBlock, MambaBlock with its depthwise causal
``nn.Conv1d``, softplus-inverse dt init through ``torch.expm1``, the selective scan in
parallel or sequential form, the recurrent ``step`` with its (h, inputs) cache, RMSNorm) and
mambapy/lm.py's LM (embedding with padding_idx, the llama2.c init, configure_optimizers,
generate through ``step``), written once against the names ``torch``, ``nn``, ``F``.

Left out: the Mamba-2 branches of lm.py (``Mamba2Config`` is a stand-in no config is an
instance of), ``from_pretrained`` (HuggingFace downloads) and the CUDA kernels (``use_cuda``
stays False). The HuggingFace tokenizer of ``generate`` is a character one. The training loop
at the end is ours (the repository's examples are notebooks): AdamW steps on next-token
cross-entropy. The tests run it with our packages under those names and, when it is
installed, with PyTorch. Weights pass through ``sync(module)`` (see course_scripts.py).
"""

from __future__ import annotations

import inspect
import math
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any, Union

from .course_scripts import Sync


def pscan_py(torch: Any, F: Any) -> Any:
    """mambapy/pscan.py, its imports renamed; returns ``pscan``."""

    def npo2(len):
        """
        Returns the next power of 2 above len
        """

        return 2 ** math.ceil(math.log2(len))

    def pad_npo2(X):
        """
        Pads input length dim to the next power of 2

        Args:
            X : (B, L, D, N)

        Returns:
            Y : (B, npo2(L), D, N)
        """

        len_npo2 = npo2(X.size(1))
        pad_tuple = (0, 0, 0, 0, 0, len_npo2 - X.size(1))
        return F.pad(X, pad_tuple, "constant", 0)

    class PScan(torch.autograd.Function):
        @staticmethod
        def pscan(A, X):
            # A : (B, D, L, N)
            # X : (B, D, L, N)

            # modifies X in place by doing a parallel scan.
            # more formally, X will be populated by these values :
            # H[t] = A[t] * H[t-1] + X[t] with H[0] = 0
            # which are computed in parallel (2*log2(T) sequential steps (ideally), instead of T sequential steps)

            # only supports L that is a power of two (mainly for a clearer code)

            B, D, L, _ = A.size()
            num_steps = int(math.log2(L))

            # up sweep (last 2 steps unfolded)
            Aa = A
            Xa = X
            for _ in range(num_steps - 2):
                T = Xa.size(2)
                Aa = Aa.view(B, D, T // 2, 2, -1)
                Xa = Xa.view(B, D, T // 2, 2, -1)

                Xa[:, :, :, 1].add_(Aa[:, :, :, 1].mul(Xa[:, :, :, 0]))
                Aa[:, :, :, 1].mul_(Aa[:, :, :, 0])

                Aa = Aa[:, :, :, 1]
                Xa = Xa[:, :, :, 1]

            # we have only 4, 2 or 1 nodes left
            if Xa.size(2) == 4:
                Xa[:, :, 1].add_(Aa[:, :, 1].mul(Xa[:, :, 0]))
                Aa[:, :, 1].mul_(Aa[:, :, 0])

                Xa[:, :, 3].add_(Aa[:, :, 3].mul(Xa[:, :, 2] + Aa[:, :, 2].mul(Xa[:, :, 1])))
            elif Xa.size(2) == 2:
                Xa[:, :, 1].add_(Aa[:, :, 1].mul(Xa[:, :, 0]))
                return
            else:
                return

            # down sweep (first 2 steps unfolded)
            Aa = A[:, :, 2 ** (num_steps - 2) - 1 : L : 2 ** (num_steps - 2)]
            Xa = X[:, :, 2 ** (num_steps - 2) - 1 : L : 2 ** (num_steps - 2)]
            Xa[:, :, 2].add_(Aa[:, :, 2].mul(Xa[:, :, 1]))
            Aa[:, :, 2].mul_(Aa[:, :, 1])

            for k in range(num_steps - 3, -1, -1):
                Aa = A[:, :, 2**k - 1 : L : 2**k]
                Xa = X[:, :, 2**k - 1 : L : 2**k]

                T = Xa.size(2)
                Aa = Aa.view(B, D, T // 2, 2, -1)
                Xa = Xa.view(B, D, T // 2, 2, -1)

                Xa[:, :, 1:, 0].add_(Aa[:, :, 1:, 0].mul(Xa[:, :, :-1, 1]))
                Aa[:, :, 1:, 0].mul_(Aa[:, :, :-1, 1])

        @staticmethod
        def pscan_rev(A, X):
            # A : (B, D, L, N)
            # X : (B, D, L, N)

            # the same function as above, but in reverse
            # (if you flip the input, call pscan, then flip the output, you get what this function outputs)
            # it is used in the backward pass

            # only supports L that is a power of two (mainly for a clearer code)

            B, D, L, _ = A.size()
            num_steps = int(math.log2(L))

            # up sweep (last 2 steps unfolded)
            Aa = A
            Xa = X
            for _ in range(num_steps - 2):
                T = Xa.size(2)
                Aa = Aa.view(B, D, T // 2, 2, -1)
                Xa = Xa.view(B, D, T // 2, 2, -1)

                Xa[:, :, :, 0].add_(Aa[:, :, :, 0].mul(Xa[:, :, :, 1]))
                Aa[:, :, :, 0].mul_(Aa[:, :, :, 1])

                Aa = Aa[:, :, :, 0]
                Xa = Xa[:, :, :, 0]

            # we have only 4, 2 or 1 nodes left
            if Xa.size(2) == 4:
                Xa[:, :, 2].add_(Aa[:, :, 2].mul(Xa[:, :, 3]))
                Aa[:, :, 2].mul_(Aa[:, :, 3])

                Xa[:, :, 0].add_(Aa[:, :, 0].mul(Xa[:, :, 1].add(Aa[:, :, 1].mul(Xa[:, :, 2]))))
            elif Xa.size(2) == 2:
                Xa[:, :, 0].add_(Aa[:, :, 0].mul(Xa[:, :, 1]))
                return
            else:
                return

            # down sweep (first 2 steps unfolded)
            Aa = A[:, :, 0 : L : 2 ** (num_steps - 2)]
            Xa = X[:, :, 0 : L : 2 ** (num_steps - 2)]
            Xa[:, :, 1].add_(Aa[:, :, 1].mul(Xa[:, :, 2]))
            Aa[:, :, 1].mul_(Aa[:, :, 2])

            for k in range(num_steps - 3, -1, -1):
                Aa = A[:, :, 0 : L : 2**k]
                Xa = X[:, :, 0 : L : 2**k]

                T = Xa.size(2)
                Aa = Aa.view(B, D, T // 2, 2, -1)
                Xa = Xa.view(B, D, T // 2, 2, -1)

                Xa[:, :, :-1, 1].add_(Aa[:, :, :-1, 1].mul(Xa[:, :, 1:, 0]))
                Aa[:, :, :-1, 1].mul_(Aa[:, :, 1:, 0])

        @staticmethod
        def forward(ctx, A_in, X_in, H_0=None):
            """
            Applies the parallel scan operation, as defined above. Returns a new tensor.
            If you can, privilege sequence lengths that are powers of two.

            Args:
                A_in : (B, L, D, N)
                X_in : (B, L, D, N)
                H_0  : (B, D, N) = None

            Returns:
                H : (B, L, D, N)
            """

            B, L, D, N = X_in.size()

            if H_0 is not None:
                X_in = torch.cat([H_0.unsqueeze(1), X_in], dim=1)
                A_in = torch.cat([torch.ones(B, 1, D, N), A_in], dim=1)
                L = L + 1

                if L != npo2(L):
                    # pad tensors
                    A = pad_npo2(A_in)  # (B, npo2(L), D, N)
                    X = pad_npo2(X_in)  # (B, npo2(L), D, N)

            # cloning is requiered because of the in-place ops
            if L == npo2(L):
                A = A_in.clone()
                X = X_in.clone()
            else:
                # pad tensors (and clone btw)
                A = pad_npo2(A_in)  # (B, npo2(L), D, N)
                X = pad_npo2(X_in)  # (B, npo2(L), D, N)

            # prepare tensors
            A = A.transpose(2, 1)  # (B, D, npo2(L), N)
            X = X.transpose(2, 1)  # (B, D, npo2(L), N)

            # parallel scan (modifies X in-place)
            PScan.pscan(A, X)

            ctx.save_for_backward(A_in, X, H_0)

            # slice [:, :L] (cut if there was padding)
            if H_0 is not None:
                return X.transpose(2, 1)[:, 1:L]
            else:
                return X.transpose(2, 1)[:, :L]

        @staticmethod
        def backward(ctx, grad_output_in):
            """
            Flows the gradient from the output to the input. Returns two new tensors.

            Args:
                ctx : A_in : (B, L, D, N), X : (B, D, L, N), H_0 : (B, D, N) = None
                grad_output_in : (B, L, D, N)

            Returns:
                gradA : (B, L, D, N), gradX : (B, L, D, N), gradH_0 : (B, D, N) (if H_0 is not None)
            """

            A_in, X, H_0 = ctx.saved_tensors

            B, L, D, N = grad_output_in.size()

            if H_0 is not None:
                grad_output_in = torch.cat([torch.zeros(B, 1, D, N), grad_output_in], dim=1)
                L = L + 1

            # cloning is requiered because of the in-place ops
            if L == npo2(L):
                grad_output = grad_output_in.clone()
                # the next padding will clone A_in
            else:
                grad_output = pad_npo2(grad_output_in)  # (B, npo2(L), D, N)
                A_in = pad_npo2(A_in)  # (B, npo2(L), D, N)

            # prepare tensors
            grad_output = grad_output.transpose(2, 1)
            A_in = A_in.transpose(2, 1)  # (B, D, npo2(L), N)
            A = torch.nn.functional.pad(
                A_in[:, :, 1:], (0, 0, 0, 1)
            )  # (B, D, npo2(L), N) shift 1 to the left (see hand derivation)

            # reverse parallel scan (modifies grad_output in-place)
            PScan.pscan_rev(A, grad_output)

            Q = torch.zeros_like(X)
            Q[:, :, 1:].add_(X[:, :, :-1] * grad_output[:, :, 1:])

            if H_0 is not None:
                grad_output = grad_output.transpose(2, 1)
                return Q.transpose(2, 1)[:, 1:L], grad_output[:, 1:L], grad_output[:, 0]
            else:
                return Q.transpose(2, 1)[:, :L], grad_output.transpose(2, 1)[:, :L]

    pscan = PScan.apply
    return pscan


def mamba_py(torch: Any, nn: Any, F: Any) -> dict:
    """mambapy/mamba.py, its imports renamed (``from mambapy.pscan import pscan`` is
    ``pscan_py``)."""
    pscan = pscan_py(torch, F)

    @dataclass
    class MambaConfig:
        d_model: int  # D
        n_layers: int
        dt_rank: Union[int, str] = "auto"
        d_state: int = 16  # N in paper/comments
        expand_factor: int = 2  # E in paper/comments
        d_conv: int = 4

        dt_min: float = 0.001
        dt_max: float = 0.1
        dt_init: str = "random"  # "random" or "constant"
        dt_scale: float = 1.0
        dt_init_floor = 1e-4

        rms_norm_eps: float = 1e-5
        base_std: float = 0.02

        bias: bool = False
        conv_bias: bool = True
        inner_layernorms: bool = False  # apply layernorms to internal activations

        mup: bool = False
        mup_base_width: float = 128  # width=d_model

        pscan: bool = True  # use parallel scan mode or sequential mode when training
        use_cuda: bool = (
            False  # use official CUDA implementation when training (not compatible with (b)float16)
        )

        def __post_init__(self):
            self.d_inner = self.expand_factor * self.d_model  # E*D = ED in comments

            if self.dt_rank == "auto":
                self.dt_rank = math.ceil(self.d_model / 16)

            # muP
            if self.mup:
                self.mup_width_mult = self.d_model / self.mup_base_width

    class Mamba(nn.Module):
        def __init__(self, config: MambaConfig):
            super().__init__()

            self.config = config

            self.layers = nn.ModuleList([ResidualBlock(config) for _ in range(config.n_layers)])

        def forward(self, x):
            # x : (B, L, D)

            # y : (B, L, D)

            for layer in self.layers:
                x = layer(x)

            return x

        def step(self, x, caches):
            # x : (B, L, D)
            # caches : [cache(layer) for all layers], cache : (h, inputs)

            # y : (B, L, D)
            # caches : [cache(layer) for all layers], cache : (h, inputs)

            for i, layer in enumerate(self.layers):
                x, caches[i] = layer.step(x, caches[i])

            return x, caches

    class ResidualBlock(nn.Module):
        def __init__(self, config: MambaConfig):
            super().__init__()

            self.mixer = MambaBlock(config)
            self.norm = RMSNorm(config.d_model, config.rms_norm_eps, config.mup)

        def forward(self, x):
            # x : (B, L, D)

            # output : (B, L, D)

            output = self.mixer(self.norm(x)) + x
            return output

        def step(self, x, cache):
            # x : (B, D)
            # cache : (h, inputs)
            # h : (B, ED, N)
            # inputs: (B, ED, d_conv-1)

            # output : (B, D)
            # cache : (h, inputs)

            output, cache = self.mixer.step(self.norm(x), cache)
            output = output + x
            return output, cache

    class MambaBlock(nn.Module):
        def __init__(self, config: MambaConfig):
            super().__init__()

            self.config = config

            # projects block input from D to 2*ED (two branches)
            self.in_proj = nn.Linear(config.d_model, 2 * config.d_inner, bias=config.bias)

            self.conv1d = nn.Conv1d(
                in_channels=config.d_inner,
                out_channels=config.d_inner,
                kernel_size=config.d_conv,
                bias=config.conv_bias,
                groups=config.d_inner,
                padding=config.d_conv - 1,
            )

            # projects x to input-dependent delta, B, C
            self.x_proj = nn.Linear(config.d_inner, config.dt_rank + 2 * config.d_state, bias=False)

            # projects delta from dt_rank to d_inner
            self.dt_proj = nn.Linear(config.dt_rank, config.d_inner, bias=True)

            # dt initialization
            # dt weights
            dt_init_std = config.dt_rank**-0.5 * config.dt_scale
            if config.dt_init == "constant":
                nn.init.constant_(self.dt_proj.weight, dt_init_std)
            elif config.dt_init == "random":
                nn.init.uniform_(self.dt_proj.weight, -dt_init_std, dt_init_std)
            else:
                raise NotImplementedError

            # delta bias
            dt = torch.exp(
                torch.rand(config.d_inner) * (math.log(config.dt_max) - math.log(config.dt_min))
                + math.log(config.dt_min)
            ).clamp(min=config.dt_init_floor)
            inv_dt = dt + torch.log(
                -torch.expm1(-dt)
            )  # inverse of softplus: https://github.com/pytorch/pytorch/issues/72759
            with torch.no_grad():
                self.dt_proj.bias.copy_(inv_dt)
            # self.dt_proj.bias._no_reinit = True # initialization would set all Linear.bias to zero, need to mark this one as _no_reinit
            # todo : explain why removed

            # S4D real initialization
            A = torch.arange(1, config.d_state + 1, dtype=torch.float32).repeat(config.d_inner, 1)
            self.A_log = nn.Parameter(
                torch.log(A)
            )  # why store A in log ? to keep A < 0 (cf -torch.exp(...)) ? for gradient stability ?
            self.A_log._no_weight_decay = True

            self.D = nn.Parameter(torch.ones(config.d_inner))
            self.D._no_weight_decay = True

            # projects block output from ED back to D
            self.out_proj = nn.Linear(config.d_inner, config.d_model, bias=config.bias)

            # used in jamba
            if self.config.inner_layernorms:
                self.dt_layernorm = RMSNorm(self.config.dt_rank, config.rms_norm_eps, config.mup)
                self.B_layernorm = RMSNorm(self.config.d_state, config.rms_norm_eps, config.mup)
                self.C_layernorm = RMSNorm(self.config.d_state, config.rms_norm_eps, config.mup)
            else:
                self.dt_layernorm = None
                self.B_layernorm = None
                self.C_layernorm = None

        def _apply_layernorms(self, dt, B, C):
            if self.dt_layernorm is not None:
                dt = self.dt_layernorm(dt)
            if self.B_layernorm is not None:
                B = self.B_layernorm(B)
            if self.C_layernorm is not None:
                C = self.C_layernorm(C)
            return dt, B, C

        def forward(self, x):
            # x : (B, L, D)

            # y : (B, L, D)

            _, L, _ = x.shape

            xz = self.in_proj(x)  # (B, L, 2*ED)
            x, z = xz.chunk(2, dim=-1)  # (B, L, ED), (B, L, ED)

            # x branch
            x = x.transpose(1, 2)  # (B, ED, L)
            x = self.conv1d(x)[:, :, :L]  # depthwise convolution over time, with a short filter
            x = x.transpose(1, 2)  # (B, L, ED)

            x = F.silu(x)
            y = self.ssm(x, z)

            # z branch
            z = F.silu(z)

            output = y * z
            output = self.out_proj(output)  # (B, L, D)

            return output

        def ssm(self, x, z):
            # x : (B, L, ED)

            # y : (B, L, ED)

            A = -torch.exp(self.A_log.float())  # (ED, N)
            D = self.D.float()

            deltaBC = self.x_proj(x)  # (B, L, dt_rank+2*N)
            delta, B, C = torch.split(
                deltaBC, [self.config.dt_rank, self.config.d_state, self.config.d_state], dim=-1
            )  # (B, L, dt_rank), (B, L, N), (B, L, N)
            delta, B, C = self._apply_layernorms(delta, B, C)
            delta = self.dt_proj.weight @ delta.transpose(
                1, 2
            )  # (ED, dt_rank) @ (B, L, dt_rank) -> (B, ED, L)
            # here we just apply the matrix mul operation of delta = softplus(dt_proj(delta))
            # the rest will be applied later (fused if using cuda)

            delta = delta.transpose(1, 2)
            delta = F.softplus(delta + self.dt_proj.bias)

            if self.config.pscan:
                y = self.selective_scan(x, delta, A, B, C, D)
            else:
                y = self.selective_scan_seq(x, delta, A, B, C, D)

            return y

        def selective_scan(self, x, delta, A, B, C, D):
            # x : (B, L, ED)
            # Δ : (B, L, ED)
            # A : (ED, N)
            # B : (B, L, N)
            # C : (B, L, N)
            # D : (ED)

            # y : (B, L, ED)

            deltaA = torch.exp(delta.unsqueeze(-1) * A)  # (B, L, ED, N)
            deltaB = delta.unsqueeze(-1) * B.unsqueeze(2)  # (B, L, ED, N)

            BX = deltaB * (x.unsqueeze(-1))  # (B, L, ED, N)

            hs = pscan(deltaA, BX)

            y = (hs @ C.unsqueeze(-1)).squeeze(3)  # (B, L, ED, N) @ (B, L, N, 1) -> (B, L, ED, 1)

            y = y + D * x

            return y

        def selective_scan_seq(self, x, delta, A, B, C, D):
            # x : (B, L, ED)
            # Δ : (B, L, ED)
            # A : (ED, N)
            # B : (B, L, N)
            # C : (B, L, N)
            # D : (ED)

            # y : (B, L, ED)

            _, L, _ = x.shape

            deltaA = torch.exp(delta.unsqueeze(-1) * A)  # (B, L, ED, N)
            deltaB = delta.unsqueeze(-1) * B.unsqueeze(2)  # (B, L, ED, N)

            BX = deltaB * (x.unsqueeze(-1))  # (B, L, ED, N)

            h = torch.zeros(
                x.size(0), self.config.d_inner, self.config.d_state, device=deltaA.device
            )  # (B, ED, N)
            hs = []

            for t in range(0, L):
                h = deltaA[:, t] * h + BX[:, t]
                hs.append(h)

            hs = torch.stack(hs, dim=1)  # (B, L, ED, N)

            y = (hs @ C.unsqueeze(-1)).squeeze(3)  # (B, L, ED, N) @ (B, L, N, 1) -> (B, L, ED, 1)

            y = y + D * x

            return y

        # -------------------------- inference -------------------------- #

        def step(self, x, cache):
            # x : (B, D)
            # cache : (h, inputs)
            # h : (B, ED, N)
            # inputs : (B, ED, d_conv-1)

            # y : (B, D)
            # cache : (h, inputs)

            h, inputs = cache

            xz = self.in_proj(x)  # (B, 2*ED)
            x, z = xz.chunk(2, dim=1)  # (B, ED), (B, ED)

            # x branch
            x_cache = x.unsqueeze(2)
            x = self.conv1d(torch.cat([inputs, x_cache], dim=2))[
                :, :, self.config.d_conv - 1
            ]  # (B, ED)

            x = F.silu(x)
            y, h = self.ssm_step(x, h)

            # z branch
            z = F.silu(z)

            output = y * z
            output = self.out_proj(output)  # (B, D)

            # prepare cache for next call
            inputs = torch.cat([inputs[:, :, 1:], x_cache], dim=2)  # (B, ED, d_conv-1)
            cache = (h, inputs)

            return output, cache

        def ssm_step(self, x, h):
            # x : (B, ED)
            # h : (B, ED, N)

            # y : (B, ED)
            # h : (B, ED, N)

            A = -torch.exp(
                self.A_log.float()
            )  # (ED, N) # todo : ne pas le faire tout le temps, puisque c'est indépendant de la timestep
            D = self.D.float()

            deltaBC = self.x_proj(x)  # (B, dt_rank+2*N)

            delta, B, C = torch.split(
                deltaBC, [self.config.dt_rank, self.config.d_state, self.config.d_state], dim=-1
            )  # (B, dt_rank), (B, N), (B, N)
            delta, B, C = self._apply_layernorms(delta, B, C)
            delta = F.softplus(self.dt_proj(delta))  # (B, ED)

            deltaA = torch.exp(delta.unsqueeze(-1) * A)  # (B, ED, N)
            deltaB = delta.unsqueeze(-1) * B.unsqueeze(1)  # (B, ED, N)

            BX = deltaB * (x.unsqueeze(-1))  # (B, ED, N)

            if h is None:
                h = torch.zeros(
                    x.size(0), self.config.d_inner, self.config.d_state, device=deltaA.device
                )  # (B, ED, N)

            h = deltaA * h + BX  # (B, ED, N)

            y = (h @ C.unsqueeze(-1)).squeeze(2)  # (B, ED, N) @ (B, N, 1) -> (B, ED, 1)

            y = y + D * x

            return y, h

    class RMSNorm(nn.Module):
        def __init__(self, d_model: int, eps: float = 1e-5, use_mup: bool = False):
            super().__init__()

            self.use_mup = use_mup
            self.eps = eps

            # https://arxiv.org/abs/2404.05728, RMSNorm gains prevents muTransfer (section 4.2.3)
            if not use_mup:
                self.weight = nn.Parameter(torch.ones(d_model))

        def forward(self, x):
            output = x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps)

            if not self.use_mup:
                return output * self.weight
            else:
                return output

    return dict(Mamba=Mamba, MambaConfig=MambaConfig, RMSNorm=RMSNorm, pscan=pscan)


class Mamba2Config:
    """Stand-in for mambapy.mamba2's config (not ported): no config is one."""


def lm_py(torch: Any, nn: Any, F: Any) -> dict:
    """mambapy/lm.py's LM, its imports renamed (``from_pretrained`` left out)."""
    M = mamba_py(torch, nn, F)
    Mamba, MambaConfig, RMSNorm = M["Mamba"], M["MambaConfig"], M["RMSNorm"]
    Mamba2 = None  # mambapy.mamba2 is not ported

    class LM(nn.Module):
        def __init__(
            self,
            model_config: Union[MambaConfig, Mamba2Config],
            vocab_size: int,
            pad_vocab_size_multiple: int = None,
        ):
            super().__init__()

            if pad_vocab_size_multiple != None and (vocab_size % pad_vocab_size_multiple != 0):
                vocab_size += pad_vocab_size_multiple - vocab_size % pad_vocab_size_multiple

            self.config = model_config

            self.embedding = nn.Embedding(vocab_size, self.config.d_model, padding_idx=0)

            if isinstance(self.config, MambaConfig):
                self.mamba = Mamba(self.config)
            elif isinstance(self.config, Mamba2Config):
                self.mamba = Mamba2(self.config)
            else:
                raise NotImplementedError

            self.norm_f = RMSNorm(self.config.d_model, self.config.rms_norm_eps, self.config.mup)

            self.lm_head = nn.Linear(self.config.d_model, vocab_size, bias=False)
            # self.embedding.weight = self.lm_head.weight # weight-tying disabled

            # muP custom initialization
            if self.config.mup and isinstance(self.config, MambaConfig):
                for pn, p in self.named_parameters():
                    if any(
                        pn.endswith(w)
                        for w in [
                            "mixer.in_proj.weight",
                            "mixer.x_proj.weight",
                            "mixer.dt_proj.weight",
                            "mixer.out_proj.weight",
                        ]
                    ):  # # "hidden weights"
                        std = self.config.base_std

                        if "mixer.out_proj.weight" in pn:
                            std = (
                                std / math.sqrt(2 * self.config.n_layers)
                            )  # scale down std of layers which projects onto the residual stream (not muP related)

                        if "mixer.dt_proj.weight" in pn:
                            std = self.config.dt_rank**-0.5 * self.config.dt_scale
                        torch.nn.init.normal_(
                            p, mean=0.0, std=std / math.sqrt(self.config.mup_width_mult)
                        )
                    elif "mixer.conv1d.weight" in pn:
                        torch.nn.init.zeros_(p)
                    elif pn == "embedding.weight":
                        torch.nn.init.normal_(p, mean=0.0, std=self.config.base_std)
                    elif pn == "lm_head.weight":
                        torch.nn.init.zeros_(p)
                    elif any(pn.endswith(w) for w in ["mixer.A_log", "mixer.D"]):
                        # keep Mamba default init for these params
                        pass
                    else:
                        # here, we only have biases
                        assert p.dim() == 1, (
                            f"a 2d param ({pn}) has not been filtered out for init. please check."
                        )

                        if ("in_proj.bias" in pn) or ("out_proj.bias" in pn):
                            torch.nn.init.zeros_(p)

            else:
                self.apply(self._init_weights)
                for pn, p in self.named_parameters():
                    if pn.endswith("mixer.out_proj.weight"):
                        torch.nn.init.normal_(
                            p,
                            mean=0.0,
                            std=self.config.base_std / math.sqrt(2 * self.config.n_layers),
                        )

        def forward(self, tokens):
            # tokens : (B, L)

            # logits : (B, L, vocab_size)

            x = self.embedding(tokens)
            x = self.mamba(x)
            x = self.norm_f(x)

            if self.config.mup:
                x = x / self.config.mup_width_mult

            logits = self.lm_head(x)

            return logits

        def step(self, token, caches):
            # token : (B)
            # caches : [cache(layer) for all layers], cache : (h, inputs)

            # logits : (B, vocab_size)
            # caches : [cache(layer) for all layers], cache : (h, inputs)

            x = self.embedding(token)

            x, caches = self.mamba.step(x, caches)
            x = self.norm_f(x)

            if self.config.mup:
                x = x / self.config.mup_width_mult

            logits = self.lm_head(x)

            return logits, caches

        # TODO process prompt in parallel, and pass in sequential mode when prompt is finished ?
        def generate(
            self,
            tokenizer,
            prompt: str,
            num_tokens: int = 50,
            batch_size: int = 1,
            sample: bool = True,
            top_k: int = 40,
            temperature: float = 1.0,
        ):
            self.eval()

            input_ids = tokenizer(prompt, return_tensors="pt").input_ids.to(
                next(self.parameters()).device
            )  # (1, num_tokens)
            input_ids = input_ids.repeat(batch_size, 1)

            # caches is a list of cache, one per layer
            # cache is composed of : the hidden state, and the last d_conv-1 inputs
            # the hidden state because the update is like an RNN
            # the last d_conv-1 inputs because they are used in a 1d convolution (usually d_conv=4 so this is not large)
            caches = [
                (
                    None,
                    torch.zeros(
                        batch_size,
                        self.config.d_inner,
                        self.config.d_conv - 1,
                        device=input_ids.device,
                    ),
                )
                for _ in range(self.config.n_layers)
            ]

            for i in range(input_ids.size(1) + num_tokens - 1):
                with torch.no_grad():
                    # forward the new output, get new cache
                    next_token_logits, caches = self.step(
                        input_ids[:, i], caches
                    )  # (batch_size, vocab_size), caches

                # sample (no sampling when the prompt is being processed)
                if i + 1 >= input_ids.size(1):
                    probs = F.softmax(
                        next_token_logits / temperature, dim=-1
                    )  # (batch_size, vocab_size)

                    if top_k is not None:
                        values, _ = torch.topk(
                            probs, k=top_k
                        )  # (batch_size, k) ordered from lowest to biggest
                        probs[probs < values[:, -1, None]] = 0
                        probs = probs / probs.sum(axis=1, keepdims=True)

                    if sample:
                        next_token = torch.multinomial(probs, num_samples=1).squeeze(
                            1
                        )  # (batch_size)
                    else:
                        next_token = torch.argmax(probs, dim=-1)  # (batch_size)

                    input_ids = torch.cat([input_ids, next_token.unsqueeze(1)], dim=1)

            outputs = [tokenizer.decode(output.tolist()) for output in input_ids]

            self.train()

            if batch_size == 1:
                return outputs[0]
            else:
                return outputs

        # non-muP init (taken from llama2.c)
        def _init_weights(self, module):
            if isinstance(module, nn.Linear):
                torch.nn.init.normal_(module.weight, mean=0.0, std=self.config.base_std)
                if module.bias is not None:
                    torch.nn.init.zeros_(module.bias)
            elif isinstance(module, nn.Embedding):
                torch.nn.init.normal_(module.weight, mean=0.0, std=self.config.base_std)

        # adaped from llama2.c
        def configure_optimizers(self, weight_decay, learning_rate, betas, device_type):
            param_dict = {pn: p for pn, p in self.named_parameters()}
            param_dict = {pn: p for pn, p in param_dict.items() if p.requires_grad}

            # create optim groups. Any parameters that is 2D will be weight decayed, otherwise no.
            # i.e. all weight tensors in matmuls + embeddings decay, all biases and layernorms don't.
            if self.config.mup and isinstance(self.config, MambaConfig):
                mup_params_keys = set(
                    [
                        pn
                        for pn in param_dict.keys()
                        if any(
                            pn.endswith(w)
                            for w in [
                                "mixer.in_proj.weight",
                                "mixer.x_proj.weight",
                                "mixer.dt_proj.weight",
                                "mixer.out_proj.weight",
                            ]
                        )
                    ]
                )

                dim2_params_keys = set(
                    [pn for pn in param_dict.keys() if param_dict[pn].dim() >= 2]
                )
                dim2_params_keys = dim2_params_keys.difference(mup_params_keys)

                mup_parameters = [p for n, p in param_dict.items() if n in mup_params_keys]
                decay_params = [p for n, p in param_dict.items() if n in dim2_params_keys]
                nodecay_params = [p for n, p in param_dict.items() if p.dim() < 2]  # biases and D

                optim_groups = [
                    {
                        "params": mup_parameters,
                        "weight_decay": weight_decay * self.config.mup_width_mult,
                        "lr": learning_rate / self.config.mup_width_mult,
                    },
                    {"params": decay_params, "weight_decay": weight_decay, "lr": learning_rate},
                    {"params": nodecay_params, "weight_decay": 0.0, "lr": learning_rate},
                ]

            else:
                decay_params = [p for n, p in param_dict.items() if p.dim() >= 2]
                nodecay_params = [p for n, p in param_dict.items() if p.dim() < 2]

                optim_groups = [
                    {"params": decay_params, "weight_decay": weight_decay, "lr": learning_rate},
                    {"params": nodecay_params, "weight_decay": 0.0, "lr": learning_rate},
                ]

            # Create AdamW optimizer and use the fused version if it is available
            fused_available = "fused" in inspect.signature(torch.optim.AdamW).parameters
            use_fused = fused_available and device_type == "cuda"
            optimizer = torch.optim.AdamW(optim_groups, betas=betas, fused=use_fused)

            return optimizer

    return dict(LM=LM, **M)


ALPHABET = "_abcdefghijklmnopqrstuvwxyz ."  # id 0 is the embedding's padding_idx


class CharTokenizer:
    """The interface of a HuggingFace tokenizer that ``LM.generate`` uses, over ALPHABET."""

    def __init__(self, torch: Any) -> None:
        self.torch = torch

    def __call__(self, text: str, return_tensors: str = "pt") -> Any:
        ids = [[ALPHABET.index(c) for c in text]]
        return SimpleNamespace(input_ids=self.torch.tensor(ids, dtype=self.torch.long))

    def decode(self, ids: list) -> str:
        return "".join(ALPHABET[i] for i in ids)


def mamba_lm(
    torch: Any, nn: Any, F: Any, sync: Sync, pscan: bool = True, mup: bool = False
) -> dict:
    """The README's usage (a Mamba on random inputs), then an LM trained on a repeating text
    by AdamW from configure_optimizers, and generate's argmax decoding through ``step``."""
    C = lm_py(torch, nn, F)
    Mamba, MambaConfig, LM = C["Mamba"], C["MambaConfig"], C["LM"]
    out: dict = {}

    # README.md
    config = MambaConfig(d_model=16, n_layers=2)
    model = Mamba(config)

    B, L, D = 2, 64, 16
    x = torch.randn(B, L, D)
    y = model(x)

    assert y.shape == x.shape
    out["readme_shape"] = tuple(y.shape)
    out["readme_dt"] = F.softplus(model.layers[0].mixer.dt_proj.bias).detach().numpy().copy()

    # training
    tok = CharTokenizer(torch)
    text = "the cat sat on the mat. " * 4
    data = tok(text).input_ids[0]
    config = MambaConfig(d_model=8, n_layers=2, d_state=4, pscan=pscan, mup=mup, mup_base_width=4)
    model = LM(config, vocab_size=len(ALPHABET), pad_vocab_size_multiple=8)
    out["vocab"] = model.lm_head.weight.shape[0]
    out["init_std"] = [
        float(p.detach().std())
        for p in (model.lm_head.weight, model.mamba.layers[0].mixer.out_proj.weight)
    ]
    sync(model)
    optimizer = model.configure_optimizers(
        weight_decay=0.1, learning_rate=1e-2, betas=(0.9, 0.95), device_type="cpu"
    )
    out["groups"] = [(len(g["params"]), g["lr"], g["weight_decay"]) for g in optimizer.param_groups]
    out["losses"] = []
    T = 11  # not a power of two: pscan pads to 16
    for it in range(5):
        ix = [3 * it + 2 * b for b in range(3)]
        xb = torch.stack([data[i : i + T] for i in ix])
        yb = torch.stack([data[i + 1 : i + 1 + T] for i in ix])
        logits = model(xb)
        loss = F.cross_entropy(logits.view(-1, logits.size(-1)), yb.view(-1))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        out["losses"].append(loss.item())
    out["grad_A_log"] = model.mamba.layers[0].mixer.A_log.grad.numpy().copy()
    out["grad_conv"] = model.mamba.layers[1].mixer.conv1d.weight.grad.numpy().copy()

    # the recurrent step reproduces the parallel forward, position by position
    with torch.no_grad():
        tokens = data[:T][None]
        full = model(tokens)
        caches = [
            (None, torch.zeros(1, config.d_inner, config.d_conv - 1))
            for _ in range(config.n_layers)
        ]
        stepped = []
        for i in range(T):
            logits, caches = model.step(tokens[:, i], caches)
            stepped.append(logits)
        out["full"] = full[0].numpy().copy()
        out["stepped"] = torch.stack(stepped, dim=1)[0].numpy().copy()
    out["greedy"] = model.generate(tok, "the ca", num_tokens=8, sample=False, top_k=3)
    out["sampled"] = model.generate(tok, "the ", num_tokens=6, batch_size=2, sample=True, top_k=3)
    out["training"] = model.training
    return out
