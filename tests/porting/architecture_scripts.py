# The authors' idioms are kept as written: super(Cls, self), (object) bases, %-formatting,
# list defaults, float(-100.0), lambda assignments, names the body ignores, long lines.
# ruff: noqa: UP004, UP008, UP018, UP031, B006, B007, E501, E731, E741, F841, N806, PLW2901
"""Well-known architectures and techniques, shortened (tiny sizes, synthetic data, a few
steps) and written once against the names ``torch``, ``nn``, ``F``, ``optim``: the Swin
Transformer's blocks (microsoft/Swin-Transformer's swin_transformer.py with timm's DropPath),
an MLP-Mixer without einops, fxia22's PointNet classifier, gram-ai's capsule network (and the
higgsfield tutorial's routing), davidmrau's sparse mixture of experts, PyTorch's FGSM tutorial,
a neural ODE trained through a hand-written RK4 solver (torchdiffeq's ode_demo.py) and with
torchdiffeq's adjoint method (a custom autograd.Function),
senya-ashukha's RealNVP on two moons, karpathy's pytorch-normalizing-flows (NICE, RealNVP,
a Glow-like flow over a logistic prior), denisyarats' pytorch_sac (a tanh-squashed Gaussian
policy as a TransformedDistribution subclass) and DeepSpeed's GShard-style top-1/top-2 MoE
gating (Gumbel noise, random token selection, einsum dispatch), Hugging Face's Mixtral
sparse MoE block with its load-balancing loss, and sagelywizard's mixture density network. The tests run them with our packages under those names
and, when it is installed, with PyTorch.

Weights a result depends on pass through ``sync(module)`` (see course_scripts.py). Sizes
written as constants in the originals (1024 features, 256 channels, 28x28 images) are scaled
down; ``.cuda()`` lines are dropped; everything else is as the authors write it. What a
script returns for the tests beyond what it prints is marked ``# recorded``.
"""

from __future__ import annotations

import copy
import itertools
import math
import os
from typing import Any

import numpy as np

from .course_scripts import Sync

# --- Swin Transformer (microsoft/Swin-Transformer, models/swin_transformer.py) ---


def swin(torch: Any, nn: Any, F: Any, optim: Any, sync: Sync, drop_path_rate: float = 0.0) -> dict:
    """A two-stage Swin Transformer (shifted-window attention with the cyclic-shift mask and
    relative position bias, patch merging) on 8x8 images, trained a few AdamW steps."""

    def to_2tuple(x):
        return (x, x)

    # timm.models.layers.drop_path / DropPath
    def drop_path(x, drop_prob: float = 0.0, training: bool = False, scale_by_keep: bool = True):
        if drop_prob == 0.0 or not training:
            return x
        keep_prob = 1 - drop_prob
        shape = (x.shape[0],) + (1,) * (
            x.ndim - 1
        )  # work with diff dim tensors, not just 2D ConvNets
        random_tensor = x.new_empty(shape).bernoulli_(keep_prob)
        if keep_prob > 0.0 and scale_by_keep:
            random_tensor.div_(keep_prob)
        return x * random_tensor

    class DropPath(nn.Module):
        def __init__(self, drop_prob: float = 0.0, scale_by_keep: bool = True):
            super(DropPath, self).__init__()
            self.drop_prob = drop_prob
            self.scale_by_keep = scale_by_keep

        def forward(self, x):
            return drop_path(x, self.drop_prob, self.training, self.scale_by_keep)

        def extra_repr(self):
            return f"drop_prob={round(self.drop_prob, 3):0.3f}"

    class Mlp(nn.Module):
        def __init__(
            self, in_features, hidden_features=None, out_features=None, act_layer=nn.GELU, drop=0.0
        ):
            super().__init__()
            out_features = out_features or in_features
            hidden_features = hidden_features or in_features
            self.fc1 = nn.Linear(in_features, hidden_features)
            self.act = act_layer()
            self.fc2 = nn.Linear(hidden_features, out_features)
            self.drop = nn.Dropout(drop)

        def forward(self, x):
            x = self.fc1(x)
            x = self.act(x)
            x = self.drop(x)
            x = self.fc2(x)
            x = self.drop(x)
            return x

    def window_partition(x, window_size):
        B, H, W, C = x.shape
        x = x.view(B, H // window_size, window_size, W // window_size, window_size, C)
        windows = x.permute(0, 1, 3, 2, 4, 5).contiguous().view(-1, window_size, window_size, C)
        return windows

    def window_reverse(windows, window_size, H, W):
        B = int(windows.shape[0] / (H * W / window_size / window_size))
        x = windows.view(B, H // window_size, W // window_size, window_size, window_size, -1)
        x = x.permute(0, 1, 3, 2, 4, 5).contiguous().view(B, H, W, -1)
        return x

    class WindowAttention(nn.Module):
        def __init__(
            self,
            dim,
            window_size,
            num_heads,
            qkv_bias=True,
            qk_scale=None,
            attn_drop=0.0,
            proj_drop=0.0,
        ):
            super().__init__()
            self.dim = dim
            self.window_size = window_size  # Wh, Ww
            self.num_heads = num_heads
            head_dim = dim // num_heads
            self.scale = qk_scale or head_dim**-0.5

            # define a parameter table of relative position bias
            self.relative_position_bias_table = nn.Parameter(
                torch.zeros((2 * window_size[0] - 1) * (2 * window_size[1] - 1), num_heads)
            )  # 2*Wh-1 * 2*Ww-1, nH

            # get pair-wise relative position index for each token inside the window
            coords_h = torch.arange(self.window_size[0])
            coords_w = torch.arange(self.window_size[1])
            coords = torch.stack(torch.meshgrid([coords_h, coords_w], indexing="ij"))  # 2, Wh, Ww
            coords_flatten = torch.flatten(coords, 1)  # 2, Wh*Ww
            relative_coords = (
                coords_flatten[:, :, None] - coords_flatten[:, None, :]
            )  # 2, Wh*Ww, Wh*Ww
            relative_coords = relative_coords.permute(1, 2, 0).contiguous()  # Wh*Ww, Wh*Ww, 2
            relative_coords[:, :, 0] += self.window_size[0] - 1  # shift to start from 0
            relative_coords[:, :, 1] += self.window_size[1] - 1
            relative_coords[:, :, 0] *= 2 * self.window_size[1] - 1
            relative_position_index = relative_coords.sum(-1)  # Wh*Ww, Wh*Ww
            self.register_buffer("relative_position_index", relative_position_index)

            self.qkv = nn.Linear(dim, dim * 3, bias=qkv_bias)
            self.attn_drop = nn.Dropout(attn_drop)
            self.proj = nn.Linear(dim, dim)
            self.proj_drop = nn.Dropout(proj_drop)

            nn.init.trunc_normal_(self.relative_position_bias_table, std=0.02)
            self.softmax = nn.Softmax(dim=-1)

        def forward(self, x, mask=None):
            B_, N, C = x.shape
            qkv = (
                self.qkv(x)
                .reshape(B_, N, 3, self.num_heads, C // self.num_heads)
                .permute(2, 0, 3, 1, 4)
            )
            q, k, v = qkv[0], qkv[1], qkv[2]  # make torchscript happy (cannot use tensor as tuple)

            q = q * self.scale
            attn = q @ k.transpose(-2, -1)

            relative_position_bias = self.relative_position_bias_table[
                self.relative_position_index.view(-1)
            ].view(
                self.window_size[0] * self.window_size[1],
                self.window_size[0] * self.window_size[1],
                -1,
            )  # Wh*Ww,Wh*Ww,nH
            relative_position_bias = relative_position_bias.permute(
                2, 0, 1
            ).contiguous()  # nH, Wh*Ww, Wh*Ww
            attn = attn + relative_position_bias.unsqueeze(0)

            if mask is not None:
                nW = mask.shape[0]
                attn = attn.view(B_ // nW, nW, self.num_heads, N, N) + mask.unsqueeze(1).unsqueeze(
                    0
                )
                attn = attn.view(-1, self.num_heads, N, N)
                attn = self.softmax(attn)
            else:
                attn = self.softmax(attn)

            attn = self.attn_drop(attn)

            x = (attn @ v).transpose(1, 2).reshape(B_, N, C)
            x = self.proj(x)
            x = self.proj_drop(x)
            return x

        def extra_repr(self) -> str:
            return f"dim={self.dim}, window_size={self.window_size}, num_heads={self.num_heads}"

    class SwinTransformerBlock(nn.Module):
        def __init__(
            self,
            dim,
            input_resolution,
            num_heads,
            window_size=7,
            shift_size=0,
            mlp_ratio=4.0,
            qkv_bias=True,
            qk_scale=None,
            drop=0.0,
            attn_drop=0.0,
            drop_path=0.0,
            act_layer=nn.GELU,
            norm_layer=nn.LayerNorm,
        ):
            super().__init__()
            self.dim = dim
            self.input_resolution = input_resolution
            self.num_heads = num_heads
            self.window_size = window_size
            self.shift_size = shift_size
            self.mlp_ratio = mlp_ratio
            if min(self.input_resolution) <= self.window_size:
                # if window size is larger than input resolution, we don't partition windows
                self.shift_size = 0
                self.window_size = min(self.input_resolution)
            assert 0 <= self.shift_size < self.window_size, "shift_size must in 0-window_size"

            self.norm1 = norm_layer(dim)
            self.attn = WindowAttention(
                dim,
                window_size=to_2tuple(self.window_size),
                num_heads=num_heads,
                qkv_bias=qkv_bias,
                qk_scale=qk_scale,
                attn_drop=attn_drop,
                proj_drop=drop,
            )

            self.drop_path = DropPath(drop_path) if drop_path > 0.0 else nn.Identity()
            self.norm2 = norm_layer(dim)
            mlp_hidden_dim = int(dim * mlp_ratio)
            self.mlp = Mlp(
                in_features=dim, hidden_features=mlp_hidden_dim, act_layer=act_layer, drop=drop
            )

            if self.shift_size > 0:
                # calculate attention mask for SW-MSA
                H, W = self.input_resolution
                img_mask = torch.zeros((1, H, W, 1))  # 1 H W 1
                h_slices = (
                    slice(0, -self.window_size),
                    slice(-self.window_size, -self.shift_size),
                    slice(-self.shift_size, None),
                )
                w_slices = (
                    slice(0, -self.window_size),
                    slice(-self.window_size, -self.shift_size),
                    slice(-self.shift_size, None),
                )
                cnt = 0
                for h in h_slices:
                    for w in w_slices:
                        img_mask[:, h, w, :] = cnt
                        cnt += 1

                mask_windows = window_partition(
                    img_mask, self.window_size
                )  # nW, window_size, window_size, 1
                mask_windows = mask_windows.view(-1, self.window_size * self.window_size)
                attn_mask = mask_windows.unsqueeze(1) - mask_windows.unsqueeze(2)
                attn_mask = attn_mask.masked_fill(attn_mask != 0, float(-100.0)).masked_fill(
                    attn_mask == 0, float(0.0)
                )
            else:
                attn_mask = None

            self.register_buffer("attn_mask", attn_mask)

        def forward(self, x):
            H, W = self.input_resolution
            B, L, C = x.shape
            assert L == H * W, "input feature has wrong size"

            shortcut = x
            x = self.norm1(x)
            x = x.view(B, H, W, C)

            # cyclic shift
            if self.shift_size > 0:
                shifted_x = torch.roll(x, shifts=(-self.shift_size, -self.shift_size), dims=(1, 2))
                # partition windows
                x_windows = window_partition(
                    shifted_x, self.window_size
                )  # nW*B, window_size, window_size, C
            else:
                shifted_x = x
                # partition windows
                x_windows = window_partition(
                    shifted_x, self.window_size
                )  # nW*B, window_size, window_size, C

            x_windows = x_windows.view(
                -1, self.window_size * self.window_size, C
            )  # nW*B, window_size*window_size, C

            # W-MSA/SW-MSA
            attn_windows = self.attn(
                x_windows, mask=self.attn_mask
            )  # nW*B, window_size*window_size, C

            # merge windows
            attn_windows = attn_windows.view(-1, self.window_size, self.window_size, C)

            # reverse cyclic shift
            if self.shift_size > 0:
                shifted_x = window_reverse(attn_windows, self.window_size, H, W)  # B H' W' C
                x = torch.roll(shifted_x, shifts=(self.shift_size, self.shift_size), dims=(1, 2))
            else:
                shifted_x = window_reverse(attn_windows, self.window_size, H, W)  # B H' W' C
                x = shifted_x
            x = x.view(B, H * W, C)
            x = shortcut + self.drop_path(x)

            # FFN
            x = x + self.drop_path(self.mlp(self.norm2(x)))

            return x

    class PatchMerging(nn.Module):
        def __init__(self, input_resolution, dim, norm_layer=nn.LayerNorm):
            super().__init__()
            self.input_resolution = input_resolution
            self.dim = dim
            self.reduction = nn.Linear(4 * dim, 2 * dim, bias=False)
            self.norm = norm_layer(4 * dim)

        def forward(self, x):
            H, W = self.input_resolution
            B, L, C = x.shape
            assert L == H * W, "input feature has wrong size"
            assert H % 2 == 0 and W % 2 == 0, f"x size ({H}*{W}) are not even."

            x = x.view(B, H, W, C)

            x0 = x[:, 0::2, 0::2, :]  # B H/2 W/2 C
            x1 = x[:, 1::2, 0::2, :]  # B H/2 W/2 C
            x2 = x[:, 0::2, 1::2, :]  # B H/2 W/2 C
            x3 = x[:, 1::2, 1::2, :]  # B H/2 W/2 C
            x = torch.cat([x0, x1, x2, x3], -1)  # B H/2 W/2 4*C
            x = x.view(B, -1, 4 * C)  # B H/2*W/2 4*C

            x = self.norm(x)
            x = self.reduction(x)

            return x

    class BasicLayer(nn.Module):
        def __init__(
            self,
            dim,
            input_resolution,
            depth,
            num_heads,
            window_size,
            mlp_ratio=4.0,
            qkv_bias=True,
            qk_scale=None,
            drop=0.0,
            attn_drop=0.0,
            drop_path=0.0,
            norm_layer=nn.LayerNorm,
            downsample=None,
        ):
            super().__init__()
            self.dim = dim
            self.input_resolution = input_resolution
            self.depth = depth

            # build blocks
            self.blocks = nn.ModuleList(
                [
                    SwinTransformerBlock(
                        dim=dim,
                        input_resolution=input_resolution,
                        num_heads=num_heads,
                        window_size=window_size,
                        shift_size=0 if (i % 2 == 0) else window_size // 2,
                        mlp_ratio=mlp_ratio,
                        qkv_bias=qkv_bias,
                        qk_scale=qk_scale,
                        drop=drop,
                        attn_drop=attn_drop,
                        drop_path=drop_path[i] if isinstance(drop_path, list) else drop_path,
                        norm_layer=norm_layer,
                    )
                    for i in range(depth)
                ]
            )

            # patch merging layer
            if downsample is not None:
                self.downsample = downsample(input_resolution, dim=dim, norm_layer=norm_layer)
            else:
                self.downsample = None

        def forward(self, x):
            for blk in self.blocks:
                x = blk(x)
            if self.downsample is not None:
                x = self.downsample(x)
            return x

    class PatchEmbed(nn.Module):
        def __init__(self, img_size=224, patch_size=4, in_chans=3, embed_dim=96, norm_layer=None):
            super().__init__()
            img_size = to_2tuple(img_size)
            patch_size = to_2tuple(patch_size)
            patches_resolution = [img_size[0] // patch_size[0], img_size[1] // patch_size[1]]
            self.img_size = img_size
            self.patch_size = patch_size
            self.patches_resolution = patches_resolution
            self.num_patches = patches_resolution[0] * patches_resolution[1]
            self.proj = nn.Conv2d(in_chans, embed_dim, kernel_size=patch_size, stride=patch_size)
            if norm_layer is not None:
                self.norm = norm_layer(embed_dim)
            else:
                self.norm = None

        def forward(self, x):
            B, C, H, W = x.shape
            x = self.proj(x).flatten(2).transpose(1, 2)  # B Ph*Pw C
            if self.norm is not None:
                x = self.norm(x)
            return x

    class SwinTransformer(nn.Module):
        def __init__(
            self,
            img_size=224,
            patch_size=4,
            in_chans=3,
            num_classes=1000,
            embed_dim=96,
            depths=[2, 2, 6, 2],
            num_heads=[3, 6, 12, 24],
            window_size=7,
            mlp_ratio=4.0,
            qkv_bias=True,
            qk_scale=None,
            drop_rate=0.0,
            attn_drop_rate=0.0,
            drop_path_rate=0.1,
            norm_layer=nn.LayerNorm,
            ape=False,
            patch_norm=True,
        ):
            super().__init__()
            self.num_classes = num_classes
            self.num_layers = len(depths)
            self.embed_dim = embed_dim
            self.ape = ape
            self.patch_norm = patch_norm
            self.num_features = int(embed_dim * 2 ** (self.num_layers - 1))
            self.mlp_ratio = mlp_ratio

            # split image into non-overlapping patches
            self.patch_embed = PatchEmbed(
                img_size=img_size,
                patch_size=patch_size,
                in_chans=in_chans,
                embed_dim=embed_dim,
                norm_layer=norm_layer if self.patch_norm else None,
            )
            num_patches = self.patch_embed.num_patches
            patches_resolution = self.patch_embed.patches_resolution
            self.patches_resolution = patches_resolution

            # absolute position embedding
            if self.ape:
                self.absolute_pos_embed = nn.Parameter(torch.zeros(1, num_patches, embed_dim))
                nn.init.trunc_normal_(self.absolute_pos_embed, std=0.02)

            self.pos_drop = nn.Dropout(p=drop_rate)

            # stochastic depth
            dpr = [
                x.item() for x in torch.linspace(0, drop_path_rate, sum(depths))
            ]  # stochastic depth decay rule

            # build layers
            self.layers = nn.ModuleList()
            for i_layer in range(self.num_layers):
                layer = BasicLayer(
                    dim=int(embed_dim * 2**i_layer),
                    input_resolution=(
                        patches_resolution[0] // (2**i_layer),
                        patches_resolution[1] // (2**i_layer),
                    ),
                    depth=depths[i_layer],
                    num_heads=num_heads[i_layer],
                    window_size=window_size,
                    mlp_ratio=self.mlp_ratio,
                    qkv_bias=qkv_bias,
                    qk_scale=qk_scale,
                    drop=drop_rate,
                    attn_drop=attn_drop_rate,
                    drop_path=dpr[sum(depths[:i_layer]) : sum(depths[: i_layer + 1])],
                    norm_layer=norm_layer,
                    downsample=PatchMerging if (i_layer < self.num_layers - 1) else None,
                )
                self.layers.append(layer)

            self.norm = norm_layer(self.num_features)
            self.avgpool = nn.AdaptiveAvgPool1d(1)
            self.head = (
                nn.Linear(self.num_features, num_classes) if num_classes > 0 else nn.Identity()
            )

            self.apply(self._init_weights)

        def _init_weights(self, m):
            if isinstance(m, nn.Linear):
                nn.init.trunc_normal_(m.weight, std=0.02)
                if isinstance(m, nn.Linear) and m.bias is not None:
                    nn.init.constant_(m.bias, 0)
            elif isinstance(m, nn.LayerNorm):
                nn.init.constant_(m.bias, 0)
                nn.init.constant_(m.weight, 1.0)

        def no_weight_decay_keywords(self):
            return {"relative_position_bias_table"}

        def forward_features(self, x):
            x = self.patch_embed(x)
            if self.ape:
                x = x + self.absolute_pos_embed
            x = self.pos_drop(x)

            for layer in self.layers:
                x = layer(x)

            x = self.norm(x)  # B L C
            x = self.avgpool(x.transpose(1, 2))  # B C 1
            x = torch.flatten(x, 1)
            return x

        def forward(self, x):
            x = self.forward_features(x)
            x = self.head(x)
            return x

    rs = np.random.RandomState(0)
    model = SwinTransformer(
        img_size=8,
        patch_size=2,
        in_chans=3,
        num_classes=3,
        embed_dim=8,
        depths=[2, 2],
        num_heads=[2, 4],
        window_size=2,
        mlp_ratio=2.0,
        drop_path_rate=drop_path_rate,
    )
    sync(model)
    table_std = float(
        model.layers[0].blocks[1].attn.relative_position_bias_table.detach().std()
    )  # recorded
    images = torch.tensor(rs.normal(size=(4, 3, 8, 8)), dtype=torch.float32)
    labels = torch.tensor(rs.randint(0, 3, size=4))

    # the optimizer's parameter groups as Swin's build_optimizer sets them
    skip_keywords = model.no_weight_decay_keywords()
    has_decay, no_decay = [], []
    for name, param in model.named_parameters():
        if (
            len(param.shape) == 1
            or name.endswith(".bias")
            or any(kw in name for kw in skip_keywords)
        ):
            no_decay.append(param)
        else:
            has_decay.append(param)
    optimizer = optim.AdamW(
        [{"params": has_decay}, {"params": no_decay, "weight_decay": 0.0}],
        lr=1e-2,
        betas=(0.9, 0.999),
        eps=1e-8,
        weight_decay=0.05,
    )
    criterion = nn.CrossEntropyLoss(label_smoothing=0.1)

    losses = []
    model.train()
    for step in range(4):
        outputs = model(images)
        loss = criterion(outputs, labels)
        optimizer.zero_grad()
        loss.backward()
        if step == 0:
            first_grads = {
                n: p.grad.clone().numpy() for n, p in model.named_parameters()
            }  # recorded
        optimizer.step()
        losses.append(loss.item())

    block = model.layers[0].blocks[1]
    model.eval()
    with torch.no_grad():
        logits = model(images)
    # the windows of a (1, 4, 4, 1) ramp, and the ramp back from them
    ramp = torch.arange(16.0).view(1, 4, 4, 1)
    windows = window_partition(ramp, 2)
    # DropPath in training: each sample's residual branch kept (scaled) or dropped
    dp = DropPath(0.5)
    ones = torch.ones(64, 2, 3)
    return {
        "losses": losses,
        "first_grads": first_grads,
        "logits": logits.numpy(),
        "attn_mask": block.attn_mask.numpy(),
        "relative_position_index": block.attn.relative_position_index.numpy(),
        "index_dtype": str(block.attn.relative_position_index.dtype),
        "buffers": sorted(n for n, _ in model.named_buffers()),
        "shift_sizes": [b.shift_size for layer in model.layers for b in layer.blocks],
        "window_sizes": [b.window_size for layer in model.layers for b in layer.blocks],
        "windows": windows.numpy(),
        "reversed": window_reverse(windows, 2, 4, 4).numpy(),
        "drop_path_train": dp(ones).numpy(),
        "drop_path_eval": dp.eval()(ones).numpy(),
        "drop_path_repr": repr(dp),
        "table_std": table_std,
        "n_params": sum(p.numel() for p in model.parameters()),
    }


# --- MLP-Mixer (written without einops) ---


def mlp_mixer(torch: Any, nn: Any, F: Any, optim: Any, sync: Sync) -> dict:
    """An MLP-Mixer (token mixing across the transposed patch axis, channel mixing, mean
    pooling; the AdaptiveAvgPool1d head of some ports as a second head) trained a few steps."""

    class MlpBlock(nn.Module):
        def __init__(self, dim, mlp_dim):
            super().__init__()
            self.fc1 = nn.Linear(dim, mlp_dim)
            self.act = nn.GELU()
            self.fc2 = nn.Linear(mlp_dim, dim)

        def forward(self, x):
            return self.fc2(self.act(self.fc1(x)))

    class MixerBlock(nn.Module):
        def __init__(self, num_patches, hidden_dim, tokens_mlp_dim, channels_mlp_dim):
            super().__init__()
            self.norm1 = nn.LayerNorm(hidden_dim)
            self.token_mixing = MlpBlock(num_patches, tokens_mlp_dim)
            self.norm2 = nn.LayerNorm(hidden_dim)
            self.channel_mixing = MlpBlock(hidden_dim, channels_mlp_dim)

        def forward(self, x):
            y = self.norm1(x)
            y = y.transpose(1, 2)
            y = self.token_mixing(y)
            y = y.transpose(1, 2)
            x = x + y
            y = self.norm2(x)
            return x + self.channel_mixing(y)

    class MlpMixer(nn.Module):
        def __init__(
            self,
            num_classes,
            num_blocks,
            patch_size,
            hidden_dim,
            tokens_mlp_dim,
            channels_mlp_dim,
            image_size=224,
            pool="mean",
        ):
            super().__init__()
            num_patches = (image_size // patch_size) ** 2
            self.image_size = image_size
            self.stem = nn.Conv2d(3, hidden_dim, kernel_size=patch_size, stride=patch_size)
            self.blocks = nn.Sequential(
                *[
                    MixerBlock(num_patches, hidden_dim, tokens_mlp_dim, channels_mlp_dim)
                    for _ in range(num_blocks)
                ]
            )
            self.pre_head_layer_norm = nn.LayerNorm(hidden_dim)
            self.pool = pool
            self.gap = nn.AdaptiveAvgPool1d(1)
            self.head = nn.Linear(hidden_dim, num_classes)
            nn.init.zeros_(self.head.weight)
            nn.init.zeros_(self.head.bias)

        def forward(self, x):
            # timm's PatchEmbed check (from torch import _assert)
            B, C, H, W = x.shape
            torch._assert(
                H == self.image_size, f"Input height ({H}) doesn't match model ({self.image_size})."
            )
            torch._assert(
                W == self.image_size, f"Input width ({W}) doesn't match model ({self.image_size})."
            )
            x = self.stem(x)  # (n, c, h, w)
            x = x.flatten(2).transpose(1, 2)  # (n, h*w, c)
            x = self.blocks(x)
            x = self.pre_head_layer_norm(x)
            if self.pool == "mean":
                x = x.mean(dim=1)
            else:
                x = self.gap(x.transpose(1, 2)).squeeze(-1)
            return self.head(x)

    rs = np.random.RandomState(1)
    images = torch.tensor(rs.normal(size=(6, 3, 8, 8)), dtype=torch.float32)
    labels = torch.tensor(rs.randint(0, 4, size=6))
    out: dict = {}
    for pool in ("mean", "gap"):
        model = MlpMixer(
            num_classes=4,
            num_blocks=2,
            patch_size=2,
            hidden_dim=8,
            tokens_mlp_dim=12,
            channels_mlp_dim=16,
            image_size=8,
            pool=pool,
        )
        sync(model)
        optimizer = optim.Adam(model.parameters(), lr=3e-3)
        losses = []
        for step in range(5):
            optimizer.zero_grad()
            loss = F.cross_entropy(model(images), labels)
            loss.backward()
            if step == 1:
                out[f"{pool}_stem_grad"] = model.stem.weight.grad.numpy().copy()  # recorded
            optimizer.step()
            losses.append(loss.item())
        out[f"{pool}_losses"] = losses
        with torch.no_grad():
            out[f"{pool}_logits"] = model(images).numpy()
    out["token_mixing_weight_shape"] = tuple(model.blocks[0].token_mixing.fc1.weight.shape)
    try:
        model(images[:, :, :6])
    except AssertionError as e:
        out["wrong_size"] = str(e)  # recorded
    return out


# --- PointNet (fxia22/pointnet.pytorch, pointnet/model.py and train_classification.py) ---


def pointnet(
    torch: Any,
    nn: Any,
    F: Any,
    optim: Any,
    sync: Sync,
    feature_transform: bool = True,
) -> dict:
    """PointNet's classifier with the input and feature T-Nets and the feature-transform
    regulariser, on spheres against cubes, trained a few steps (1024/512/256 widths as 32/16/16,
    64/128 as 8/16)."""
    Variable = torch.autograd.Variable  # from torch.autograd import Variable
    G, F1, F2, C1, C2 = 32, 16, 16, 8, 16  # 1024, 512, 256, 64, 128 in the original

    class STN3d(nn.Module):
        def __init__(self):
            super(STN3d, self).__init__()
            self.conv1 = torch.nn.Conv1d(3, C1, 1)
            self.conv2 = torch.nn.Conv1d(C1, C2, 1)
            self.conv3 = torch.nn.Conv1d(C2, G, 1)
            self.fc1 = nn.Linear(G, F1)
            self.fc2 = nn.Linear(F1, F2)
            self.fc3 = nn.Linear(F2, 9)
            self.relu = nn.ReLU()

            self.bn1 = nn.BatchNorm1d(C1)
            self.bn2 = nn.BatchNorm1d(C2)
            self.bn3 = nn.BatchNorm1d(G)
            self.bn4 = nn.BatchNorm1d(F1)
            self.bn5 = nn.BatchNorm1d(F2)

        def forward(self, x):
            batchsize = x.size()[0]
            x = F.relu(self.bn1(self.conv1(x)))
            x = F.relu(self.bn2(self.conv2(x)))
            x = F.relu(self.bn3(self.conv3(x)))
            x = torch.max(x, 2, keepdim=True)[0]
            x = x.view(-1, G)

            x = F.relu(self.bn4(self.fc1(x)))
            x = F.relu(self.bn5(self.fc2(x)))
            x = self.fc3(x)

            iden = (
                Variable(torch.from_numpy(np.array([1, 0, 0, 0, 1, 0, 0, 0, 1]).astype(np.float32)))
                .view(1, 9)
                .repeat(batchsize, 1)
            )
            if x.is_cuda:
                iden = iden.cuda()
            x = x + iden
            x = x.view(-1, 3, 3)
            return x

    class STNkd(nn.Module):
        def __init__(self, k=64):
            super(STNkd, self).__init__()
            self.conv1 = torch.nn.Conv1d(k, C1, 1)
            self.conv2 = torch.nn.Conv1d(C1, C2, 1)
            self.conv3 = torch.nn.Conv1d(C2, G, 1)
            self.fc1 = nn.Linear(G, F1)
            self.fc2 = nn.Linear(F1, F2)
            self.fc3 = nn.Linear(F2, k * k)
            self.relu = nn.ReLU()

            self.bn1 = nn.BatchNorm1d(C1)
            self.bn2 = nn.BatchNorm1d(C2)
            self.bn3 = nn.BatchNorm1d(G)
            self.bn4 = nn.BatchNorm1d(F1)
            self.bn5 = nn.BatchNorm1d(F2)

            self.k = k

        def forward(self, x):
            batchsize = x.size()[0]
            x = F.relu(self.bn1(self.conv1(x)))
            x = F.relu(self.bn2(self.conv2(x)))
            x = F.relu(self.bn3(self.conv3(x)))
            x = torch.max(x, 2, keepdim=True)[0]
            x = x.view(-1, G)

            x = F.relu(self.bn4(self.fc1(x)))
            x = F.relu(self.bn5(self.fc2(x)))
            x = self.fc3(x)

            iden = torch.eye(self.k).flatten().view(1, self.k * self.k).repeat(batchsize, 1)
            if x.is_cuda:
                iden = iden.cuda()
            x = x + iden
            x = x.view(-1, self.k, self.k)
            return x

    class PointNetfeat(nn.Module):
        def __init__(self, global_feat=True, feature_transform=False):
            super(PointNetfeat, self).__init__()
            self.stn = STN3d()
            self.conv1 = torch.nn.Conv1d(3, C1, 1)
            self.conv2 = torch.nn.Conv1d(C1, C2, 1)
            self.conv3 = torch.nn.Conv1d(C2, G, 1)
            self.bn1 = nn.BatchNorm1d(C1)
            self.bn2 = nn.BatchNorm1d(C2)
            self.bn3 = nn.BatchNorm1d(G)
            self.global_feat = global_feat
            self.feature_transform = feature_transform
            if self.feature_transform:
                self.fstn = STNkd(k=C1)

        def forward(self, x):
            n_pts = x.size()[2]
            trans = self.stn(x)
            x = x.transpose(2, 1)
            x = torch.bmm(x, trans)
            x = x.transpose(2, 1)
            x = F.relu(self.bn1(self.conv1(x)))

            if self.feature_transform:
                trans_feat = self.fstn(x)
                x = x.transpose(2, 1)
                x = torch.bmm(x, trans_feat)
                x = x.transpose(2, 1)
            else:
                trans_feat = None

            pointfeat = x
            x = F.relu(self.bn2(self.conv2(x)))
            x = self.bn3(self.conv3(x))
            x = torch.max(x, 2, keepdim=True)[0]
            x = x.view(-1, G)
            if self.global_feat:
                return x, trans, trans_feat
            else:
                x = x.view(-1, G, 1).repeat(1, 1, n_pts)
                return torch.cat([x, pointfeat], 1), trans, trans_feat

    class PointNetCls(nn.Module):
        def __init__(self, k=2, feature_transform=False):
            super(PointNetCls, self).__init__()
            self.feature_transform = feature_transform
            self.feat = PointNetfeat(global_feat=True, feature_transform=feature_transform)
            self.fc1 = nn.Linear(G, F1)
            self.fc2 = nn.Linear(F1, F2)
            self.fc3 = nn.Linear(F2, k)
            self.dropout = nn.Dropout(p=0.3)
            self.bn1 = nn.BatchNorm1d(F1)
            self.bn2 = nn.BatchNorm1d(F2)
            self.relu = nn.ReLU()

        def forward(self, x):
            x, trans, trans_feat = self.feat(x)
            x = F.relu(self.bn1(self.fc1(x)))
            x = F.relu(self.bn2(self.dropout(self.fc2(x))))
            x = self.fc3(x)
            return F.log_softmax(x, dim=1), trans, trans_feat

    def feature_transform_regularizer(trans):
        d = trans.size()[1]
        batchsize = trans.size()[0]
        I = torch.eye(d)[None, :, :]
        if trans.is_cuda:
            I = I.cuda()
        loss = torch.mean(torch.norm(torch.bmm(trans, trans.transpose(2, 1)) - I, dim=(1, 2)))
        return loss

    # the dataset: points on a sphere (class 0) or a cube's surface (class 1), target (B, 1)
    rs = np.random.RandomState(2)
    n_points = 24

    def sample(label):
        p = rs.normal(size=(n_points, 3))
        if label == 0:
            p /= np.linalg.norm(p, axis=1, keepdims=True)
        else:
            p /= np.abs(p).max(axis=1, keepdims=True)
        return p.astype(np.float32), np.array([label], dtype=np.int64)

    batches = []
    for _ in range(3):
        pts, tgt = zip(*(sample(i % 2) for i in range(8)))
        batches.append((torch.from_numpy(np.stack(pts)), torch.from_numpy(np.stack(tgt))))

    classifier = PointNetCls(k=2, feature_transform=feature_transform)
    sync(classifier)
    optimizer = optim.Adam(classifier.parameters(), lr=0.001, betas=(0.9, 0.999))
    scheduler = optim.lr_scheduler.StepLR(optimizer, step_size=20, gamma=0.5)
    losses, accuracies, regs = [], [], []
    for epoch in range(2):
        for i, data in enumerate(batches, 0):
            points, target = data
            target = target[:, 0]
            points = points.transpose(2, 1)
            optimizer.zero_grad()
            classifier = classifier.train()
            pred, trans, trans_feat = classifier(points)
            loss = F.nll_loss(pred, target)
            if feature_transform:
                reg = feature_transform_regularizer(trans_feat)
                loss += reg * 0.001
                regs.append(reg.item())  # recorded
            loss.backward()
            optimizer.step()
            pred_choice = pred.data.max(1)[1]
            correct = pred_choice.eq(target.data).cpu().sum()
            print(
                "[%d: %d/%d] train loss: %f accuracy: %f"
                % (epoch, i, len(batches), loss.item(), correct.item() / float(8))
            )
            losses.append(loss.item())
            accuracies.append(correct.item() / float(8))
        scheduler.step()

    # as train_classification.py tests: eval mode, the accuracy over the batches
    total_correct = 0
    total_testset = 0
    for i, data in enumerate(batches, 0):
        points, target = data
        target = target[:, 0]
        points = points.transpose(2, 1)
        classifier = classifier.eval()
        pred, _, _ = classifier(points)
        pred_choice = pred.data.max(1)[1]
        correct = pred_choice.eq(target.data).cpu().sum()
        total_correct += correct.item()
        total_testset += points.size()[0]
    # the regulariser of orthogonal matrices is zero, of a scaled identity its Frobenius norm
    q = torch.from_numpy(np.linalg.qr(rs.normal(size=(3, 4, 4)))[0].astype(np.float32))
    return {
        "losses": losses,
        "accuracies": accuracies,
        "regs": regs,
        "test_accuracy": total_correct / float(total_testset),
        "eval_pred": pred.detach().numpy(),
        "trans": trans.detach().numpy(),
        "reg_orthogonal": feature_transform_regularizer(q).item(),
        "reg_scaled": feature_transform_regularizer(2 * torch.eye(4).repeat(3, 1, 1)).item(),
        "running_mean": classifier.feat.bn3.running_mean.numpy(),
    }


# --- capsule network (gram-ai/capsule-networks, capsule_network.py) ---


def capsule_network(torch: Any, nn: Any, F: Any, optim: Any, sync: Sync) -> dict:
    """gram-ai's CapsuleNet (primary capsules from convolutions, dynamic routing by agreement
    on 5-d broadcast products, margin and reconstruction losses, masking by the longest
    capsule) on 12x12 images, and the higgsfield tutorial's DigitCaps routing."""
    Variable = torch.autograd.Variable
    NUM_CLASSES = 10
    NUM_ROUTING_ITERATIONS = 3
    PRIMARY, PRIMARY_CHANNELS, DIGIT_DIM = 8, 4, 4  # 8, 32, 16 in the original

    def softmax(input, dim=1):
        transposed_input = input.transpose(dim, len(input.size()) - 1)
        softmaxed_output = F.softmax(
            transposed_input.contiguous().view(-1, transposed_input.size(-1)), dim=-1
        )
        return softmaxed_output.view(*transposed_input.size()).transpose(dim, len(input.size()) - 1)

    class CapsuleLayer(nn.Module):
        def __init__(
            self,
            num_capsules,
            num_route_nodes,
            in_channels,
            out_channels,
            kernel_size=None,
            stride=None,
            num_iterations=NUM_ROUTING_ITERATIONS,
        ):
            super(CapsuleLayer, self).__init__()

            self.num_route_nodes = num_route_nodes
            self.num_iterations = num_iterations

            self.num_capsules = num_capsules

            if num_route_nodes != -1:
                self.route_weights = nn.Parameter(
                    torch.randn(num_capsules, num_route_nodes, in_channels, out_channels)
                )
            else:
                self.capsules = nn.ModuleList(
                    [
                        nn.Conv2d(
                            in_channels,
                            out_channels,
                            kernel_size=kernel_size,
                            stride=stride,
                            padding=0,
                        )
                        for _ in range(num_capsules)
                    ]
                )

        def squash(self, tensor, dim=-1):
            squared_norm = (tensor**2).sum(dim=dim, keepdim=True)
            scale = squared_norm / (1 + squared_norm)
            return scale * tensor / torch.sqrt(squared_norm)

        def forward(self, x):
            if self.num_route_nodes != -1:
                priors = x[None, :, :, None, :] @ self.route_weights[:, None, :, :, :]

                logits = Variable(torch.zeros(*priors.size()))
                for i in range(self.num_iterations):
                    probs = softmax(logits, dim=2)
                    outputs = self.squash((probs * priors).sum(dim=2, keepdim=True))

                    if i != self.num_iterations - 1:
                        delta_logits = (priors * outputs).sum(dim=-1, keepdim=True)
                        logits = logits + delta_logits
            else:
                outputs = [capsule(x).view(x.size(0), -1, 1) for capsule in self.capsules]
                outputs = torch.cat(outputs, dim=-1)
                outputs = self.squash(outputs)

            return outputs

    class CapsuleNet(nn.Module):
        def __init__(self):
            super(CapsuleNet, self).__init__()

            self.conv1 = nn.Conv2d(in_channels=1, out_channels=16, kernel_size=5, stride=1)
            self.primary_capsules = CapsuleLayer(
                num_capsules=PRIMARY,
                num_route_nodes=-1,
                in_channels=16,
                out_channels=PRIMARY_CHANNELS,
                kernel_size=3,
                stride=2,
            )
            self.digit_capsules = CapsuleLayer(
                num_capsules=NUM_CLASSES,
                num_route_nodes=PRIMARY_CHANNELS * 3 * 3,
                in_channels=PRIMARY,
                out_channels=DIGIT_DIM,
            )

            self.decoder = nn.Sequential(
                nn.Linear(DIGIT_DIM * NUM_CLASSES, 32),
                nn.ReLU(inplace=True),
                nn.Linear(32, 64),
                nn.ReLU(inplace=True),
                nn.Linear(64, 144),
                nn.Sigmoid(),
            )

        def forward(self, x, y=None):
            x = F.relu(self.conv1(x), inplace=True)
            x = self.primary_capsules(x)
            x = self.digit_capsules(x).squeeze().transpose(0, 1)

            classes = (x**2).sum(dim=-1) ** 0.5
            classes = F.softmax(classes, dim=-1)

            if y is None:
                # In all batches, get the most active capsule.
                _, max_length_indices = classes.max(dim=1)
                y = Variable(torch.eye(NUM_CLASSES)).index_select(
                    dim=0, index=max_length_indices.data
                )

            # .contiguous(): PyTorch >= 1.5 keeps x's transposed layout through the product,
            # where the original's .view fails (as later forks of the repository write it)
            reconstructions = self.decoder((x * y[:, :, None]).contiguous().view(x.size(0), -1))

            return classes, reconstructions

    class CapsuleLoss(nn.Module):
        def __init__(self):
            super(CapsuleLoss, self).__init__()
            self.reconstruction_loss = nn.MSELoss(size_average=False)

        def forward(self, images, labels, classes, reconstructions):
            left = F.relu(0.9 - classes, inplace=True) ** 2
            right = F.relu(classes - 0.1, inplace=True) ** 2

            margin_loss = labels * left + 0.5 * (1.0 - labels) * right
            margin_loss = margin_loss.sum()

            assert torch.numel(images) == torch.numel(reconstructions)
            images = images.view(reconstructions.size()[0], -1)
            reconstruction_loss = self.reconstruction_loss(reconstructions, images)

            return (margin_loss + 0.0005 * reconstruction_loss) / images.size(0)

    rs = np.random.RandomState(3)
    model = CapsuleNet()
    sync(model)
    capsule_loss = CapsuleLoss()
    optimizer = optim.Adam(model.parameters())

    data = torch.tensor(rs.rand(4, 1, 12, 12), dtype=torch.float32)
    ground_truth = torch.tensor(rs.randint(0, NUM_CLASSES, size=4))
    losses = []
    for step in range(3):
        labels = torch.eye(NUM_CLASSES).index_select(dim=0, index=ground_truth)
        data, labels = Variable(data), Variable(labels)
        classes, reconstructions = model(data, labels)
        loss = capsule_loss(data, labels, classes, reconstructions)
        optimizer.zero_grad()
        loss.backward()
        if step == 0:
            first_grad = model.digit_capsules.route_weights.grad.numpy().copy()  # recorded
        optimizer.step()
        losses.append(loss.item())
    with torch.no_grad():
        classes, reconstructions = model(data)

    # higgsfield/Capsule-Network-Tutorial's DigitCaps: the same routing written with
    # torch.matmul, b_ij and copies along the batch
    class DigitCaps(nn.Module):
        def __init__(self, num_capsules=10, num_routes=32 * 6 * 6, in_channels=8, out_channels=16):
            super(DigitCaps, self).__init__()

            self.in_channels = in_channels
            self.num_routes = num_routes
            self.num_capsules = num_capsules

            self.W = nn.Parameter(
                torch.randn(1, num_routes, num_capsules, out_channels, in_channels)
            )

        def forward(self, x):
            batch_size = x.size(0)
            x = torch.stack([x] * self.num_capsules, dim=2).unsqueeze(4)

            W = torch.cat([self.W] * batch_size, dim=0)
            u_hat = torch.matmul(W, x)

            b_ij = Variable(torch.zeros(1, self.num_routes, self.num_capsules, 1))

            num_iterations = 3
            for iteration in range(num_iterations):
                c_ij = F.softmax(b_ij, dim=2)
                c_ij = torch.cat([c_ij] * batch_size, dim=0).unsqueeze(4)
                s_j = (c_ij * u_hat).sum(dim=1, keepdim=True)
                v_j = self.squash(s_j)

                if iteration < num_iterations - 1:
                    a_ij = torch.matmul(
                        u_hat.transpose(3, 4), torch.cat([v_j] * self.num_routes, dim=1)
                    )
                    b_ij = b_ij + a_ij.squeeze(4).mean(dim=0, keepdim=True)

            return v_j.squeeze(1)

        def squash(self, input_tensor):
            squared_norm = (input_tensor**2).sum(-1, keepdim=True)
            output_tensor = (
                squared_norm * input_tensor / ((1.0 + squared_norm) * torch.sqrt(squared_norm))
            )
            return output_tensor

    digit = DigitCaps(
        num_capsules=NUM_CLASSES,
        num_routes=PRIMARY_CHANNELS * 3 * 3,
        in_channels=PRIMARY,
        out_channels=DIGIT_DIM,
    )
    sync(digit)
    u = torch.tensor(
        rs.normal(size=(2, PRIMARY_CHANNELS * 3 * 3, PRIMARY)),
        dtype=torch.float32,
        requires_grad=True,
    )
    v = digit(u)
    v_len = torch.sqrt((v**2).sum(dim=2, keepdim=True))
    v_len.sum().backward()
    return {
        "losses": losses,
        "first_grad": first_grad,
        "classes": classes.numpy(),
        "reconstructions": reconstructions.numpy(),
        "digit_v": v.detach().numpy(),
        "digit_u_grad": u.grad.numpy(),
        "digit_W_grad": digit.W.grad.numpy(),
    }


# --- sparse mixture of experts (davidmrau/mixture-of-experts, moe.py) ---


def mixture_of_experts(torch: Any, nn: Any, F: Any, optim: Any, sync: Sync) -> dict:
    """Shazeer et al.'s sparsely-gated mixture of experts: noisy top-k gating, dispatch and
    combine by the nonzero gates, and the importance and load cv^2 losses (the load from the
    normal CDF of being in the top k), trained a few steps."""
    Normal = torch.distributions.normal.Normal

    class SparseDispatcher(object):
        def __init__(self, num_experts, gates):
            """Create a SparseDispatcher."""
            self._gates = gates
            self._num_experts = num_experts
            # sort experts
            sorted_experts, index_sorted_experts = torch.nonzero(gates).sort(0)
            # drop indices
            _, self._expert_index = sorted_experts.split(1, dim=1)
            # get according batch index for each expert
            self._batch_index = torch.nonzero(gates)[index_sorted_experts[:, 1], 0]
            # calculate num samples that each expert gets
            self._part_sizes = (gates > 0).sum(0).tolist()
            # expand gates to match with self._batch_index
            gates_exp = gates[self._batch_index.flatten()]
            self._nonzero_gates = torch.gather(gates_exp, 1, self._expert_index)

        def dispatch(self, inp):
            # assigns samples to experts whose gate is nonzero
            # expand according to batch index so we can just split by _part_sizes
            inp_exp = inp[self._batch_index].squeeze(1)
            return torch.split(inp_exp, self._part_sizes, dim=0)

        def combine(self, expert_out, multiply_by_gates=True):
            # apply exp to expert outputs, so we are not longer in log space
            stitched = torch.cat(expert_out, 0)
            if multiply_by_gates:
                stitched = stitched.mul(self._nonzero_gates)
            zeros = torch.zeros(
                self._gates.size(0),
                expert_out[-1].size(1),
                requires_grad=True,
                device=stitched.device,
            )
            # combine samples that have been processed by the same k experts
            combined = zeros.index_add(0, self._batch_index, stitched.float())
            return combined

        def expert_to_gates(self):
            # split nonzero gates for each expert
            return torch.split(self._nonzero_gates, self._part_sizes, dim=0)

    class MLP(nn.Module):
        def __init__(self, input_size, output_size, hidden_size):
            super(MLP, self).__init__()
            self.fc1 = nn.Linear(input_size, hidden_size)
            self.fc2 = nn.Linear(hidden_size, output_size)
            self.relu = nn.ReLU()
            self.soft = nn.Softmax(1)

        def forward(self, x):
            out = self.fc1(x)
            out = self.relu(out)
            out = self.fc2(out)
            out = self.soft(out)
            return out

    class MoE(nn.Module):
        def __init__(
            self, input_size, output_size, num_experts, hidden_size, noisy_gating=True, k=4
        ):
            super(MoE, self).__init__()
            self.noisy_gating = noisy_gating
            self.num_experts = num_experts
            self.output_size = output_size
            self.input_size = input_size
            self.hidden_size = hidden_size
            self.k = k
            # instantiate experts
            self.experts = nn.ModuleList(
                [
                    MLP(self.input_size, self.output_size, self.hidden_size)
                    for i in range(self.num_experts)
                ]
            )
            self.w_gate = nn.Parameter(torch.zeros(input_size, num_experts), requires_grad=True)
            self.w_noise = nn.Parameter(torch.zeros(input_size, num_experts), requires_grad=True)

            self.softplus = nn.Softplus()
            self.softmax = nn.Softmax(1)
            self.register_buffer("mean", torch.tensor([0.0]))
            self.register_buffer("std", torch.tensor([1.0]))
            assert self.k <= self.num_experts

        def cv_squared(self, x):
            eps = 1e-10
            # if only num_experts = 1
            if x.shape[0] == 1:
                return torch.tensor([0], device=x.device, dtype=x.dtype)
            return x.float().var() / (x.float().mean() ** 2 + eps)

        def _gates_to_load(self, gates):
            return (gates > 0).sum(0)

        def _prob_in_top_k(self, clean_values, noisy_values, noise_stddev, noisy_top_values):
            batch = clean_values.size(0)
            m = noisy_top_values.size(1)
            top_values_flat = noisy_top_values.flatten()

            threshold_positions_if_in = torch.arange(batch, device=clean_values.device) * m + self.k
            threshold_if_in = torch.unsqueeze(
                torch.gather(top_values_flat, 0, threshold_positions_if_in), 1
            )
            is_in = torch.gt(noisy_values, threshold_if_in)
            threshold_positions_if_out = threshold_positions_if_in - 1
            threshold_if_out = torch.unsqueeze(
                torch.gather(top_values_flat, 0, threshold_positions_if_out), 1
            )
            # is each value currently in the top k.
            normal = Normal(self.mean, self.std)
            prob_if_in = normal.cdf((clean_values - threshold_if_in) / noise_stddev)
            prob_if_out = normal.cdf((clean_values - threshold_if_out) / noise_stddev)
            prob = torch.where(is_in, prob_if_in, prob_if_out)
            return prob

        def noisy_top_k_gating(self, x, train, noise_epsilon=1e-2):
            clean_logits = x @ self.w_gate
            if self.noisy_gating and train:
                raw_noise_stddev = x @ self.w_noise
                noise_stddev = self.softplus(raw_noise_stddev) + noise_epsilon
                noisy_logits = clean_logits + (torch.randn_like(clean_logits) * noise_stddev)
                logits = noisy_logits
            else:
                logits = clean_logits

            # calculate topk + 1 that will be needed for the noisy gates
            top_logits, top_indices = logits.topk(min(self.k + 1, self.num_experts), dim=1)
            top_k_logits = top_logits[:, : self.k]
            top_k_indices = top_indices[:, : self.k]
            top_k_gates = self.softmax(top_k_logits)

            zeros = torch.zeros_like(logits, requires_grad=True)
            gates = zeros.scatter(1, top_k_indices, top_k_gates)

            if self.noisy_gating and self.k < self.num_experts and train:
                load = (
                    self._prob_in_top_k(clean_logits, noisy_logits, noise_stddev, top_logits)
                ).sum(0)
            else:
                load = self._gates_to_load(gates)
            return gates, load

        def forward(self, x, loss_coef=1e-2):
            gates, load = self.noisy_top_k_gating(x, self.training)
            # calculate importance loss
            importance = gates.sum(0)
            #
            loss = self.cv_squared(importance) + self.cv_squared(load)
            loss *= loss_coef

            dispatcher = SparseDispatcher(self.num_experts, gates)
            expert_inputs = dispatcher.dispatch(x)
            gates = dispatcher.expert_to_gates()
            expert_outputs = [self.experts[i](expert_inputs[i]) for i in range(self.num_experts)]
            y = dispatcher.combine(expert_outputs)
            return y, loss

    rs = np.random.RandomState(4)
    model = MoE(input_size=6, output_size=3, num_experts=5, hidden_size=8, noisy_gating=True, k=2)
    sync(model)
    x = torch.tensor(rs.normal(size=(16, 6)), dtype=torch.float32)
    y = torch.tensor(rs.randint(0, 3, size=16))
    criterion = nn.NLLLoss()
    optimizer = optim.Adam(model.parameters(), lr=0.01)
    model.train()
    losses, aux_losses = [], []
    for step in range(12):
        optimizer.zero_grad()
        y_hat, aux_loss = model(x)
        loss = criterion(torch.log(y_hat + 1e-9), y)
        total_loss = loss + aux_loss
        total_loss.backward()
        if step == 0:
            grads = {
                n: p.grad.numpy().copy() for n, p in model.named_parameters() if p.grad is not None
            }  # recorded
            gates, load = model.noisy_top_k_gating(x, False)
        optimizer.step()
        losses.append(loss.item())
        aux_losses.append(aux_loss.item())
    model.eval()
    with torch.no_grad():
        y_eval, aux_eval = model(x)
        gates_eval, load_eval = model.noisy_top_k_gating(x, False)
    return {
        "losses": losses,
        "aux_losses": aux_losses,
        "grads": grads,
        "y_eval": y_eval.numpy(),
        "aux_eval": aux_eval.item(),
        "gates_eval": gates_eval.numpy(),
        "load_eval": load_eval.numpy(),
        "load_dtype": str(load_eval.dtype),
        "cv_one": model.cv_squared(torch.tensor([3.0])).numpy(),
    }


# --- FGSM (PyTorch tutorials, beginner_source/fgsm_tutorial.py) ---


def fgsm(torch: Any, nn: Any, F: Any, optim: Any, sync: Sync, path: str) -> dict:
    """The tutorial's LeNet (trained briefly here and loaded with ``weights_only=True`` as it
    loads the pretrained one), attacked with the fast gradient sign method at several epsilons,
    one image at a time."""
    data_utils = torch.utils.data  # torch.utils.data
    epsilons = [0, 0.05, 0.1, 0.3]
    use_cuda = True
    torch.manual_seed(42)
    # the tutorial before and after torch.accelerator: both spellings of "the device"
    device = torch.device("cuda" if use_cuda and torch.cuda.is_available() else "cpu")
    device = (
        torch.accelerator.current_accelerator().type if torch.accelerator.is_available() else "cpu"
    )
    print(f"Using {device} device")

    class Net(nn.Module):
        def __init__(self):
            super(Net, self).__init__()
            self.conv1 = nn.Conv2d(1, 4, 3, 1)
            self.conv2 = nn.Conv2d(4, 8, 3, 1)
            self.dropout1 = nn.Dropout(0.25)
            self.dropout2 = nn.Dropout(0.5)
            self.fc1 = nn.Linear(72, 16)
            self.fc2 = nn.Linear(16, 10)

        def forward(self, x):
            x = self.conv1(x)
            x = F.relu(x)
            x = self.conv2(x)
            x = F.relu(x)
            x = F.max_pool2d(x, 2)
            x = self.dropout1(x)
            x = torch.flatten(x, 1)
            x = self.fc1(x)
            x = F.relu(x)
            x = self.dropout2(x)
            x = self.fc2(x)
            output = F.log_softmax(x, dim=1)
            return output

    # the synthetic "MNIST": each class a fixed 10x10 pattern plus noise, normalised as
    # transforms.Normalize((0.1307,), (0.3081,)) does
    rs = np.random.RandomState(5)
    patterns = rs.rand(10, 1, 10, 10)
    targets = np.arange(40) % 10
    raw = np.clip(patterns[targets] + 0.1 * rs.normal(size=(40, 1, 10, 10)), 0, 1)
    images = torch.tensor((raw - 0.1307) / 0.3081, dtype=torch.float32)
    dataset = data_utils.TensorDataset(images, torch.tensor(targets))
    test_loader = data_utils.DataLoader(
        dataset, batch_size=1, shuffle=False
    )  # shuffle=True in the tutorial

    # "the pretrained model": a few epochs here, saved, then loaded as the tutorial loads it
    model = Net().to(device)
    sync(model)
    opt = optim.SGD(model.parameters(), lr=0.1, momentum=0.5)
    model.eval()  # dropout off: the libraries' random streams differ
    for epoch in range(5):
        for xb, yb in data_utils.DataLoader(dataset, batch_size=10):
            opt.zero_grad()
            F.nll_loss(model(xb), yb).backward()
            opt.step()
    torch.save(model.state_dict(), path)

    model = Net().to(device)
    model.load_state_dict(torch.load(path, map_location=device, weights_only=True))
    model.eval()

    def fgsm_attack(image, epsilon, data_grad):
        # Collect the element-wise sign of the data gradient
        sign_data_grad = data_grad.sign()
        # Create the perturbed image by adjusting each pixel of the input image
        perturbed_image = image + epsilon * sign_data_grad
        # Adding clipping to maintain [0,1] range
        perturbed_image = torch.clamp(perturbed_image, 0, 1)
        # Return the perturbed image
        return perturbed_image

    def denorm(batch, mean=[0.1307], std=[0.3081]):
        if isinstance(mean, list):
            mean = torch.tensor(mean).to(device)
        if isinstance(std, list):
            std = torch.tensor(std).to(device)
        return batch * std.view(1, -1, 1, 1) + mean.view(1, -1, 1, 1)

    def normalize(t):  # transforms.Normalize((0.1307,), (0.3081,))
        return (t - 0.1307) / 0.3081

    first_grads = []  # recorded

    def test(model, device, test_loader, epsilon):
        # Accuracy counter
        correct = 0
        adv_examples = []

        # Loop over all examples in test set
        for data, target in test_loader:
            # Send the data and label to the device
            data, target = data.to(device), target.to(device)

            # Set requires_grad attribute of tensor. Important for Attack
            data.requires_grad = True

            # Forward pass the data through the model
            output = model(data)
            init_pred = output.max(1, keepdim=True)[1]  # get the index of the max log-probability

            # If the initial prediction is wrong, don't bother attacking, just move on
            if init_pred.item() != target.item():
                continue

            # Calculate the loss
            loss = F.nll_loss(output, target)

            # Zero all existing gradients
            model.zero_grad()

            # Calculate gradients of model in backward pass
            loss.backward()

            # Collect ``datagrad``
            data_grad = data.grad.data
            if len(first_grads) < 3:
                first_grads.append(data_grad.numpy().copy())

            # Restore the data to its original scale
            data_denorm = denorm(data)

            # Call FGSM Attack
            perturbed_data = fgsm_attack(data_denorm, epsilon, data_grad)

            # Reapply normalization
            perturbed_data_normalized = normalize(perturbed_data)

            # Re-classify the perturbed image
            output = model(perturbed_data_normalized)

            # Check for success
            final_pred = output.max(1, keepdim=True)[1]  # get the index of the max log-probability
            if final_pred.item() == target.item():
                correct += 1
                # Special case for saving 0 epsilon examples
                if epsilon == 0 and len(adv_examples) < 5:
                    adv_ex = perturbed_data.squeeze().detach().cpu().numpy()
                    adv_examples.append((init_pred.item(), final_pred.item(), adv_ex))
            else:
                # Save some adv examples for visualization later
                if len(adv_examples) < 5:
                    adv_ex = perturbed_data.squeeze().detach().cpu().numpy()
                    adv_examples.append((init_pred.item(), final_pred.item(), adv_ex))

        # Calculate final accuracy for this epsilon
        final_acc = correct / float(len(test_loader))
        print(f"Epsilon: {epsilon}\tTest Accuracy = {correct} / {len(test_loader)} = {final_acc}")

        # Return the accuracy and an adversarial example
        return final_acc, adv_examples

    accuracies = []
    examples = []

    # Run test for each epsilon
    for eps in epsilons:
        acc, ex = test(model, device, test_loader, eps)
        accuracies.append(acc)
        examples.append(ex)

    return {
        "accuracies": accuracies,
        "examples": examples,
        "first_grads": first_grads,
        "raw": raw,
        "file_exists": os.path.exists(path),
    }


# --- neural ODE (rtqichen/torchdiffeq, examples/ode_demo.py, with its own RK4 solver) ---


def neural_ode(torch: Any, nn: Any, F: Any, optim: Any, sync: Sync, method: str = "rk4") -> dict:
    """ode_demo.py's spiral: the true dynamics integrated without gradients, an ODEFunc
    fitted by backpropagating through a fixed-step solver (torchdiffeq's rk4 and euler steps,
    written out here) on random windows of the trajectory."""
    args_data_size, args_batch_time, args_batch_size, args_niters = 40, 5, 6, 8
    rs = np.random.RandomState(6)

    def rk4_alt_step_func(func, t0, dt, t1, y0, f0=None):
        """torchdiffeq's rk4 step: Kutta's 3/8 rule."""
        k1 = f0
        if k1 is None:
            k1 = func(t0, y0)
        _one_third = 1 / 3
        k2 = func(t0 + dt * _one_third, y0 + dt * k1 * _one_third)
        k3 = func(t0 + dt * _one_third * 2, y0 + dt * (k2 - k1 * _one_third))
        k4 = func(t1, y0 + dt * (k1 - k2 + k3))
        return (k1 + 3 * (k2 + k3) + k4) * dt * 0.125

    def euler_step_func(func, t0, dt, t1, y0):
        return dt * func(t0, y0)

    def odeint(func, y0, t, method="rk4"):
        step = {"rk4": rk4_alt_step_func, "euler": euler_step_func}[method]
        solution = torch.empty(len(t), *y0.shape, dtype=y0.dtype, device=y0.device)
        solution[0] = y0
        j = 1
        y0_ = y0
        for t0, t1 in zip(t[:-1], t[1:]):
            dt = t1 - t0
            dy = step(func, t0, dt, t1, y0_)
            y1 = y0_ + dy
            solution[j] = y1
            j += 1
            y0_ = y1
        return solution

    true_y0 = torch.tensor([[2.0, 0.0]])
    t = torch.linspace(0.0, 5.0, args_data_size)
    true_A = torch.tensor([[-0.1, 2.0], [-2.0, -0.1]])

    class Lambda(nn.Module):
        def forward(self, t, y):
            return torch.mm(y**3, true_A)

    with torch.no_grad():
        true_y = odeint(Lambda(), true_y0, t, method="rk4")

    def get_batch():
        s = torch.from_numpy(
            rs.choice(
                np.arange(args_data_size - args_batch_time, dtype=np.int64),
                args_batch_size,
                replace=False,
            )
        )
        batch_y0 = true_y[s]  # (M, D)
        batch_t = t[:args_batch_time]  # (T)
        batch_y = torch.stack([true_y[s + i] for i in range(args_batch_time)], dim=0)  # (T, M, D)
        return batch_y0, batch_t, batch_y

    class ODEFunc(nn.Module):
        def __init__(self):
            super(ODEFunc, self).__init__()

            self.net = nn.Sequential(
                nn.Linear(2, 50),
                nn.Tanh(),
                nn.Linear(50, 2),
            )

            for m in self.net.modules():
                if isinstance(m, nn.Linear):
                    nn.init.normal_(m.weight, mean=0, std=0.1)
                    nn.init.constant_(m.bias, val=0)

        def forward(self, t, y):
            return self.net(y**3)

    class RunningAverageMeter(object):
        """Computes and stores the average and current value"""

        def __init__(self, momentum=0.99):
            self.momentum = momentum
            self.reset()

        def reset(self):
            self.val = None
            self.avg = 0

        def update(self, val):
            if self.val is None:
                self.avg = val
            else:
                self.avg = self.avg * self.momentum + val * (1 - self.momentum)
            self.val = val

    func = ODEFunc()
    sync(func)
    optimizer = optim.RMSprop(func.parameters(), lr=1e-2)
    loss_meter = RunningAverageMeter(0.97)
    losses, full_losses = [], []
    for itr in range(1, args_niters + 1):
        optimizer.zero_grad()
        batch_y0, batch_t, batch_y = get_batch()
        pred_y = odeint(func, batch_y0, batch_t, method=method)
        loss = torch.mean(torch.abs(pred_y - batch_y))
        loss.backward()
        if itr == 1:
            first_grad = func.net[0].weight.grad.numpy().copy()  # recorded
        optimizer.step()
        loss_meter.update(loss.item())
        losses.append(loss.item())
        with torch.no_grad():
            pred_y = odeint(func, true_y0, t, method=method)
            loss = torch.mean(torch.abs(pred_y - true_y))
            full_losses.append(loss.item())
    return {
        "true_y": true_y.numpy(),
        "losses": losses,
        "full_losses": full_losses,
        "first_grad": first_grad,
        "avg": loss_meter.avg,
        "solution_requires_grad": odeint(func, true_y0, t[:3], method=method).requires_grad,
    }


def sklearn_make_moons(rs: np.random.RandomState, n_samples: int = 100, noise: Any = None) -> tuple:
    """sklearn.datasets.make_moons: two interleaving half circles, with ``rs``'s noise."""
    n_out, n_in = n_samples // 2, n_samples - n_samples // 2
    outer = np.stack(
        [np.cos(np.linspace(0, math.pi, n_out)), np.sin(np.linspace(0, math.pi, n_out))], 1
    )
    inner = np.stack(
        [
            1 - np.cos(np.linspace(0, math.pi, n_in)),
            1 - np.sin(np.linspace(0, math.pi, n_in)) - 0.5,
        ],
        1,
    )
    X = np.concatenate([outer, inner])
    if noise is not None:
        X += rs.normal(scale=noise, size=X.shape)
    return X, np.concatenate([np.zeros(n_out), np.ones(n_in)])


# --- RealNVP (senya-ashukha/real-nvp-pytorch, real-nvp-pytorch.ipynb) ---


def real_nvp(torch: Any, nn: Any, F: Any, optim: Any, sync: Sync) -> dict:
    """A RealNVP flow of six affine couplings on two moons: the inverse pass's log-density
    under a standard normal prior, trained a few Adam steps, and samples drawn through it."""
    distributions = torch.distributions  # from torch import distributions
    rs = np.random.RandomState(7)

    def make_moons(n_samples=100, noise=None):  # sklearn.datasets.make_moons
        return sklearn_make_moons(rs, n_samples, noise)

    class RealNVP(nn.Module):
        def __init__(self, nets, nett, mask, prior):
            super(RealNVP, self).__init__()

            self.prior = prior
            self.mask = nn.Parameter(mask, requires_grad=False)
            self.t = torch.nn.ModuleList([nett() for _ in range(len(masks))])
            self.s = torch.nn.ModuleList([nets() for _ in range(len(masks))])

        def g(self, z):
            x = z
            for i in range(len(self.t)):
                x_ = x * self.mask[i]
                s = self.s[i](x_) * (1 - self.mask[i])
                t = self.t[i](x_) * (1 - self.mask[i])
                x = x_ + (1 - self.mask[i]) * (x * torch.exp(s) + t)
            return x

        def f(self, x):
            log_det_J, z = x.new_zeros(x.shape[0]), x
            for i in reversed(range(len(self.t))):
                z_ = self.mask[i] * z
                s = self.s[i](z_) * (1 - self.mask[i])
                t = self.t[i](z_) * (1 - self.mask[i])
                z = (1 - self.mask[i]) * (z - t) * torch.exp(-s) + z_
                log_det_J -= s.sum(dim=1)
            return z, log_det_J

        def log_prob(self, x):
            z, logp = self.f(x)
            return self.prior.log_prob(z) + logp

        def sample(self, batchSize):
            z = self.prior.sample((batchSize, 1))
            logp = self.prior.log_prob(z)
            x = self.g(z)
            return x

    nets = lambda: nn.Sequential(
        nn.Linear(2, 32),
        nn.LeakyReLU(),
        nn.Linear(32, 32),
        nn.LeakyReLU(),
        nn.Linear(32, 2),
        nn.Tanh(),
    )
    nett = lambda: nn.Sequential(
        nn.Linear(2, 32), nn.LeakyReLU(), nn.Linear(32, 32), nn.LeakyReLU(), nn.Linear(32, 2)
    )
    masks = torch.from_numpy(np.array([[0, 1], [1, 0]] * 3).astype(np.float32))
    prior = distributions.MultivariateNormal(torch.zeros(2), torch.eye(2))
    flow = RealNVP(nets, nett, masks, prior)
    sync(flow)

    optimizer = torch.optim.Adam([p for p in flow.parameters() if p.requires_grad == True], lr=1e-3)  # noqa: E712
    losses = []
    for t in range(30):
        noisy_moons = make_moons(n_samples=64, noise=0.05)[0].astype(np.float32)
        loss = -flow.log_prob(torch.from_numpy(noisy_moons)).mean()

        optimizer.zero_grad()
        loss.backward(retain_graph=True)
        if t == 0:
            first_grad = flow.s[0][0].weight.grad.numpy().copy()  # recorded
        optimizer.step()

        if t % 10 == 0:
            print("iter %s:" % t, "loss = %.3f" % loss)
        losses.append(loss.item())

    noisy_moons = make_moons(n_samples=32, noise=0.05)[0].astype(np.float32)
    z = flow.f(torch.from_numpy(noisy_moons))[0].detach().numpy()
    x = flow.sample(16).detach().numpy()[:, 0, :]
    back = flow.g(flow.f(torch.from_numpy(noisy_moons))[0]).detach().numpy()
    return {
        "losses": losses,
        "first_grad": first_grad,
        "moons": noisy_moons,
        "z": z,
        "back": back,
        "samples": x,
        "n_trainable": sum(p.numel() for p in flow.parameters() if p.requires_grad),
        "n_params": sum(p.numel() for p in flow.parameters()),
        "state_keys": sorted(flow.state_dict().keys())[:3],
    }


# --- karpathy/pytorch-normalizing-flows (nflib/flows.py and the notebook) ---


def karpathy_flows(torch: Any, nn: Any, F: Any, optim: Any, sync: Sync, kind: str = "nice") -> dict:
    """NICE, RealNVP and a Glow-like flow (ActNorm, an LU-parameterised invertible 1x1
    "convolution", affine couplings) over a logistic prior built as
    ``TransformedDistribution(Uniform, SigmoidTransform().inv)``, fitted to two moons."""
    from_torch_distributions = torch.distributions  # from torch.distributions import ...
    Uniform = from_torch_distributions.Uniform
    TransformedDistribution = from_torch_distributions.TransformedDistribution
    SigmoidTransform = from_torch_distributions.SigmoidTransform
    rs = np.random.RandomState(8)

    class AffineConstantFlow(nn.Module):
        """
        Scales + Shifts the flow by (learned) constants per dimension.
        In NICE paper there is a Scaling layer which is a special case of this where t is None
        """

        def __init__(self, dim, scale=True, shift=True):
            super().__init__()
            self.s = nn.Parameter(torch.randn(1, dim, requires_grad=True)) if scale else None
            self.t = nn.Parameter(torch.randn(1, dim, requires_grad=True)) if shift else None

        def forward(self, x):
            s = self.s if self.s is not None else x.new_zeros(x.size())
            t = self.t if self.t is not None else x.new_zeros(x.size())
            z = x * torch.exp(s) + t
            log_det = torch.sum(s, dim=1)
            return z, log_det

        def backward(self, z):
            s = self.s if self.s is not None else z.new_zeros(z.size())
            t = self.t if self.t is not None else z.new_zeros(z.size())
            x = (z - t) * torch.exp(-s)
            log_det = torch.sum(-s, dim=1)
            return x, log_det

    class ActNorm(AffineConstantFlow):
        """
        Really an AffineConstantFlow but with a data-dependent initialization,
        where on the very first batch we clever initialize the s,t so that the output
        is unit gaussian. As described in Glow paper.
        """

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.data_dep_init_done = False

        def forward(self, x):
            # first batch is used for init
            if not self.data_dep_init_done:
                assert self.s is not None and self.t is not None  # for now
                self.s.data = (-torch.log(x.std(dim=0, keepdim=True))).detach()
                self.t.data = (-(x * torch.exp(self.s)).mean(dim=0, keepdim=True)).detach()
                self.data_dep_init_done = True
            return super().forward(x)

    class MLP(nn.Module):
        """a simple 4-layer MLP"""

        def __init__(self, nin, nout, nh):
            super().__init__()
            self.net = nn.Sequential(
                nn.Linear(nin, nh),
                nn.LeakyReLU(0.2),
                nn.Linear(nh, nh),
                nn.LeakyReLU(0.2),
                nn.Linear(nh, nh),
                nn.LeakyReLU(0.2),
                nn.Linear(nh, nout),
            )

        def forward(self, x):
            return self.net(x)

    class AffineHalfFlow(nn.Module):
        """
        As seen in RealNVP, affine autoregressive flow (z = x * exp(s) + t), where half of the
        dimensions in x are linearly scaled/transfromed as a function of the other half.
        Which half is which is determined by the parity bit.
        - RealNVP both scales and shifts (default)
        - NICE only shifts
        """

        def __init__(self, dim, parity, net_class=MLP, nh=24, scale=True, shift=True):
            super().__init__()
            self.dim = dim
            self.parity = parity
            self.s_cond = lambda x: x.new_zeros(x.size(0), self.dim // 2)
            self.t_cond = lambda x: x.new_zeros(x.size(0), self.dim // 2)
            if scale:
                self.s_cond = net_class(self.dim // 2, self.dim // 2, nh)
            if shift:
                self.t_cond = net_class(self.dim // 2, self.dim // 2, nh)

        def forward(self, x):
            x0, x1 = x[:, ::2], x[:, 1::2]
            if self.parity:
                x0, x1 = x1, x0
            s = self.s_cond(x0)
            t = self.t_cond(x0)
            z0 = x0  # untouched half
            z1 = torch.exp(s) * x1 + t  # transform this half as a function of the other
            if self.parity:
                z0, z1 = z1, z0
            z = torch.cat([z0, z1], dim=1)
            log_det = torch.sum(s, dim=1)
            return z, log_det

        def backward(self, z):
            z0, z1 = z[:, ::2], z[:, 1::2]
            if self.parity:
                z0, z1 = z1, z0
            s = self.s_cond(z0)
            t = self.t_cond(z0)
            x0 = z0  # this was the same
            x1 = (z1 - t) * torch.exp(-s)  # reverse the transform on this half
            if self.parity:
                x0, x1 = x1, x0
            x = torch.cat([x0, x1], dim=1)
            log_det = torch.sum(-s, dim=1)
            return x, log_det

    class Invertible1x1Conv(nn.Module):
        """
        As introduced in Glow paper.
        """

        def __init__(self, dim):
            super().__init__()
            self.dim = dim
            Q = torch.nn.init.orthogonal_(torch.randn(dim, dim))
            P, L, U = torch.lu_unpack(*Q.lu())
            self.P = P  # remains fixed during optimization
            self.L = nn.Parameter(L)  # lower triangular portion
            self.S = nn.Parameter(U.diag())  # "crop out" the diagonal to its own parameter
            self.U = nn.Parameter(torch.triu(U, diagonal=1))  # "crop out" diagonal, stored in S

        def _assemble_W(self):
            """assemble W from its pieces (P, L, U, S)"""
            L = torch.tril(self.L, diagonal=-1) + torch.diag(torch.ones(self.dim))
            U = torch.triu(self.U, diagonal=1)
            W = self.P @ L @ (U + torch.diag(self.S))
            return W

        def forward(self, x):
            W = self._assemble_W()
            z = x @ W
            log_det = torch.sum(torch.log(torch.abs(self.S)))
            return z, log_det

        def backward(self, z):
            W = self._assemble_W()
            W_inv = torch.inverse(W)
            x = z @ W_inv
            log_det = -torch.sum(torch.log(torch.abs(self.S)))
            return x, log_det

    class NormalizingFlow(nn.Module):
        """A sequence of Normalizing Flows is a Normalizing Flow"""

        def __init__(self, flows):
            super().__init__()
            self.flows = nn.ModuleList(flows)

        def forward(self, x):
            m, _ = x.shape
            log_det = torch.zeros(m)
            zs = [x]
            for flow in self.flows:
                x, ld = flow.forward(x)
                log_det += ld
                zs.append(x)
            return zs, log_det

        def backward(self, z):
            m, _ = z.shape
            log_det = torch.zeros(m)
            xs = [z]
            for flow in self.flows[::-1]:
                z, ld = flow.backward(z)
                log_det += ld
                xs.append(z)
            return xs, log_det

    class NormalizingFlowModel(nn.Module):
        """A Normalizing Flow Model is a (prior, flow) pair"""

        def __init__(self, prior, flows):
            super().__init__()
            self.prior = prior
            self.flow = NormalizingFlow(flows)

        def forward(self, x):
            zs, log_det = self.flow.forward(x)
            prior_logprob = self.prior.log_prob(zs[-1]).view(x.size(0), -1).sum(1)
            return zs, prior_logprob, log_det

        def backward(self, z):
            xs, log_det = self.flow.backward(z)
            return xs, log_det

        def sample(self, num_samples):
            z = self.prior.sample((num_samples,))
            xs, _ = self.flow.backward(z)
            return xs

    class DatasetMoons:
        """two half-moons"""

        def sample(self, n):
            moons = sklearn_make_moons(rs, n_samples=n, noise=0.05)[0].astype(np.float32)
            return torch.from_numpy(moons)

    d = DatasetMoons()
    prior = TransformedDistribution(
        Uniform(torch.zeros(2), torch.ones(2)), SigmoidTransform().inv
    )  # Logistic distribution

    if kind == "nice":
        flows = [AffineHalfFlow(dim=2, parity=i % 2, nh=16, scale=False) for i in range(4)]
        flows.append(AffineConstantFlow(dim=2, shift=False))
    elif kind == "realnvp":
        flows = [AffineHalfFlow(dim=2, parity=i % 2, nh=16) for i in range(4)]
    else:  # Glow-like: ActNorm, 1x1 "convolution", coupling
        flows = [Invertible1x1Conv(dim=2) for i in range(2)]
        norms = [ActNorm(dim=2) for _ in flows]
        couplings = [AffineHalfFlow(dim=2, parity=i % 2, nh=16) for i in range(len(flows))]
        flows = list(
            itertools.chain(*zip(norms, flows, couplings))
        )  # append a coupling layer after each 1x1

    model = NormalizingFlowModel(prior, flows)
    sync(model)
    optimizer = optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-5)
    model.train()
    losses = []
    for k in range(15):
        x = d.sample(64)
        zs, prior_logprob, log_det = model(x)
        logprob = prior_logprob + log_det
        loss = -torch.sum(logprob)  # NLL

        model.zero_grad()
        loss.backward()
        optimizer.step()
        if k == 0:
            first_grads = {
                n: p.grad.numpy().copy() for n, p in model.named_parameters()
            }  # recorded
        losses.append(loss.item())

    model.eval()
    x = d.sample(32)
    zs, prior_logprob, _ = model(x)
    z = zs[-1]
    xs, _ = model.backward(z.detach())
    samples = model.sample(16)[-1].detach().numpy()
    return {
        "losses": losses,
        "first_grads": first_grads,
        "z": z.detach().numpy(),
        "x": x.numpy(),
        "x_back": xs[-1].detach().numpy(),
        "prior_logprob": prior_logprob.detach().numpy(),
        "samples": samples,
    }


# --- denisyarats/pytorch_sac (agent/sac.py, agent/actor.py, agent/critic.py, utils.py) ---


def pytorch_sac(torch: Any, nn: Any, F: Any, optim: Any, sync: Sync) -> dict:
    """SAC's actor (a Normal squashed by its own TanhTransform subclass, as a
    TransformedDistribution subclass), double-Q critic with a soft-updated target, and the
    learned temperature, updated from a replay buffer of a 1-d point-mass task."""
    pyd = torch.distributions  # import torch.distributions as pyd
    rs = np.random.RandomState(9)

    # utils.py
    def weight_init(m):
        """Custom weight init for Conv2D and Linear layers."""
        if isinstance(m, nn.Linear):
            nn.init.orthogonal_(m.weight.data)
            if hasattr(m.bias, "data"):
                m.bias.data.fill_(0.0)

    def mlp(input_dim, hidden_dim, output_dim, hidden_depth, output_mod=None):
        if hidden_depth == 0:
            mods = [nn.Linear(input_dim, output_dim)]
        else:
            mods = [nn.Linear(input_dim, hidden_dim), nn.ReLU(inplace=True)]
            for i in range(hidden_depth - 1):
                mods += [nn.Linear(hidden_dim, hidden_dim), nn.ReLU(inplace=True)]
            mods.append(nn.Linear(hidden_dim, output_dim))
        if output_mod is not None:
            mods.append(output_mod)
        trunk = nn.Sequential(*mods)
        return trunk

    def soft_update_params(net, target_net, tau):
        for param, target_param in zip(net.parameters(), target_net.parameters()):
            target_param.data.copy_(tau * param.data + (1 - tau) * target_param.data)

    def to_np(t):
        if t is None:
            return None
        elif t.nelement() == 0:
            return np.array([])
        else:
            return t.cpu().detach().numpy()

    # agent/actor.py
    class TanhTransform(pyd.transforms.Transform):
        domain = pyd.constraints.real
        codomain = pyd.constraints.interval(-1.0, 1.0)
        bijective = True
        sign = +1

        def __init__(self, cache_size=1):
            super().__init__(cache_size=cache_size)

        @staticmethod
        def atanh(x):
            return 0.5 * (x.log1p() - (-x).log1p())

        def __eq__(self, other):
            return isinstance(other, TanhTransform)

        def _call(self, x):
            return x.tanh()

        def _inverse(self, y):
            # We do not clamp to the boundary here as it may degrade the performance of certain algorithms.
            # one should use `cache_size=1` instead
            return self.atanh(y)

        def log_abs_det_jacobian(self, x, y):
            # We use a formula that is more numerically stable, see details in the following link
            # https://github.com/tensorflow/probability/commit/ef6bb176e0ebd1cf6e25c6b5cecdd2428c22963f#diff-e120f70e92e6741bca649f04fcd907b7
            return 2.0 * (math.log(2.0) - x - F.softplus(-2.0 * x))

    class SquashedNormal(pyd.transformed_distribution.TransformedDistribution):
        def __init__(self, loc, scale):
            self.loc = loc
            self.scale = scale

            self.base_dist = pyd.Normal(loc, scale)
            transforms = [TanhTransform()]
            super().__init__(self.base_dist, transforms)

        @property
        def mean(self):
            mu = self.loc
            for tr in self.transforms:
                mu = tr(mu)
            return mu

    class DiagGaussianActor(nn.Module):
        """torch.distributions implementation of an diagonal Gaussian policy."""

        def __init__(self, obs_dim, action_dim, hidden_dim, hidden_depth, log_std_bounds):
            super().__init__()

            self.log_std_bounds = log_std_bounds
            self.trunk = mlp(obs_dim, hidden_dim, 2 * action_dim, hidden_depth)

            self.outputs = dict()
            self.apply(weight_init)

        def forward(self, obs):
            mu, log_std = self.trunk(obs).chunk(2, dim=-1)

            # constrain log_std inside [log_std_min, log_std_max]
            log_std = torch.tanh(log_std)
            log_std_min, log_std_max = self.log_std_bounds
            log_std = log_std_min + 0.5 * (log_std_max - log_std_min) * (log_std + 1)

            std = log_std.exp()

            self.outputs["mu"] = mu
            self.outputs["std"] = std

            dist = SquashedNormal(mu, std)
            return dist

    # agent/critic.py
    class DoubleQCritic(nn.Module):
        """Critic network, employes double Q-learning."""

        def __init__(self, obs_dim, action_dim, hidden_dim, hidden_depth):
            super().__init__()

            self.Q1 = mlp(obs_dim + action_dim, hidden_dim, 1, hidden_depth)
            self.Q2 = mlp(obs_dim + action_dim, hidden_dim, 1, hidden_depth)

            self.outputs = dict()
            self.apply(weight_init)

        def forward(self, obs, action):
            assert obs.size(0) == action.size(0)

            obs_action = torch.cat([obs, action], dim=-1)
            q1 = self.Q1(obs_action)
            q2 = self.Q2(obs_action)

            self.outputs["q1"] = q1
            self.outputs["q2"] = q2

            return q1, q2

    # agent/sac.py
    class SACAgent:
        """SAC algorithm."""

        def __init__(
            self,
            obs_dim,
            action_dim,
            action_range,
            device,
            discount,
            init_temperature,
            alpha_lr,
            alpha_betas,
            actor_lr,
            actor_betas,
            actor_update_frequency,
            critic_lr,
            critic_betas,
            critic_tau,
            critic_target_update_frequency,
            batch_size,
            learnable_temperature,
        ):
            super().__init__()

            self.action_range = action_range
            self.device = torch.device(device)
            self.discount = discount
            self.critic_tau = critic_tau
            self.actor_update_frequency = actor_update_frequency
            self.critic_target_update_frequency = critic_target_update_frequency
            self.batch_size = batch_size
            self.learnable_temperature = learnable_temperature

            self.critic = DoubleQCritic(obs_dim, action_dim, 16, 2).to(self.device)
            self.critic_target = DoubleQCritic(obs_dim, action_dim, 16, 2).to(self.device)
            self.critic_target.load_state_dict(self.critic.state_dict())

            self.actor = DiagGaussianActor(obs_dim, action_dim, 16, 2, [-5, 2]).to(self.device)

            self.log_alpha = torch.tensor(np.log(init_temperature)).to(self.device)
            self.log_alpha.requires_grad = True
            # set target entropy to -|A|
            self.target_entropy = -action_dim

            # optimizers
            self.actor_optimizer = torch.optim.Adam(
                self.actor.parameters(), lr=actor_lr, betas=actor_betas
            )

            self.critic_optimizer = torch.optim.Adam(
                self.critic.parameters(), lr=critic_lr, betas=critic_betas
            )

            self.log_alpha_optimizer = torch.optim.Adam(
                [self.log_alpha], lr=alpha_lr, betas=alpha_betas
            )

            self.train()
            self.critic_target.train()

        def train(self, training=True):
            self.training = training
            self.actor.train(training)
            self.critic.train(training)

        @property
        def alpha(self):
            return self.log_alpha.exp()

        def act(self, obs, sample=False):
            obs = torch.FloatTensor(obs).to(self.device)
            obs = obs.unsqueeze(0)
            dist = self.actor(obs)
            action = dist.sample() if sample else dist.mean
            action = action.clamp(*self.action_range)
            assert action.ndim == 2 and action.shape[0] == 1
            return to_np(action[0])

        def update_critic(self, obs, action, reward, next_obs, not_done, logger, step):
            dist = self.actor(next_obs)
            next_action = dist.rsample()
            log_prob = dist.log_prob(next_action).sum(-1, keepdim=True)
            target_Q1, target_Q2 = self.critic_target(next_obs, next_action)
            target_V = torch.min(target_Q1, target_Q2) - self.alpha.detach() * log_prob
            target_Q = reward + (not_done * self.discount * target_V)
            target_Q = target_Q.detach()

            # get current Q estimates
            current_Q1, current_Q2 = self.critic(obs, action)
            critic_loss = F.mse_loss(current_Q1, target_Q) + F.mse_loss(current_Q2, target_Q)
            logger.log("train_critic/loss", critic_loss, step)

            # Optimize the critic
            self.critic_optimizer.zero_grad()
            critic_loss.backward()
            self.critic_optimizer.step()

        def update_actor_and_alpha(self, obs, logger, step):
            dist = self.actor(obs)
            action = dist.rsample()
            log_prob = dist.log_prob(action).sum(-1, keepdim=True)
            actor_Q1, actor_Q2 = self.critic(obs, action)

            actor_Q = torch.min(actor_Q1, actor_Q2)
            actor_loss = (self.alpha.detach() * log_prob - actor_Q).mean()

            logger.log("train_actor/loss", actor_loss, step)
            logger.log("train_actor/target_entropy", self.target_entropy, step)
            logger.log("train_actor/entropy", -log_prob.mean(), step)

            # optimize the actor
            self.actor_optimizer.zero_grad()
            actor_loss.backward()
            self.actor_optimizer.step()

            if self.learnable_temperature:
                self.log_alpha_optimizer.zero_grad()
                alpha_loss = (self.alpha * (-log_prob - self.target_entropy).detach()).mean()
                logger.log("train_alpha/loss", alpha_loss, step)
                logger.log("train_alpha/value", self.alpha, step)
                alpha_loss.backward()
                self.log_alpha_optimizer.step()

        def update(self, replay_buffer, logger, step):
            obs, action, reward, next_obs, not_done, not_done_no_max = replay_buffer.sample(
                self.batch_size
            )

            logger.log("train/batch_reward", reward.mean(), step)

            self.update_critic(obs, action, reward, next_obs, not_done_no_max, logger, step)

            if step % self.actor_update_frequency == 0:
                self.update_actor_and_alpha(obs, logger, step)

            if step % self.critic_target_update_frequency == 0:
                soft_update_params(self.critic, self.critic_target, self.critic_tau)

    class ReplayBuffer:
        """Buffer to store environment transitions (replay_buffer.py, sampling with ``rs``)."""

        def __init__(self, obs_shape, action_shape, capacity, device):
            self.capacity = capacity
            self.device = device
            self.obses = np.empty((capacity, *obs_shape), dtype=np.float32)
            self.next_obses = np.empty((capacity, *obs_shape), dtype=np.float32)
            self.actions = np.empty((capacity, *action_shape), dtype=np.float32)
            self.rewards = np.empty((capacity, 1), dtype=np.float32)
            self.not_dones = np.empty((capacity, 1), dtype=np.float32)
            self.not_dones_no_max = np.empty((capacity, 1), dtype=np.float32)
            self.idx = 0
            self.full = False

        def __len__(self):
            return self.capacity if self.full else self.idx

        def add(self, obs, action, reward, next_obs, done, done_no_max):
            np.copyto(self.obses[self.idx], obs)
            np.copyto(self.actions[self.idx], action)
            np.copyto(self.rewards[self.idx], reward)
            np.copyto(self.next_obses[self.idx], next_obs)
            np.copyto(self.not_dones[self.idx], not done)
            np.copyto(self.not_dones_no_max[self.idx], not done_no_max)
            self.idx = (self.idx + 1) % self.capacity
            self.full = self.full or self.idx == 0

        def sample(self, batch_size):
            idxs = rs.randint(0, self.capacity if self.full else self.idx, size=batch_size)
            obses = torch.as_tensor(self.obses[idxs], device=self.device).float()
            actions = torch.as_tensor(self.actions[idxs], device=self.device)
            rewards = torch.as_tensor(self.rewards[idxs], device=self.device)
            next_obses = torch.as_tensor(self.next_obses[idxs], device=self.device).float()
            not_dones = torch.as_tensor(self.not_dones[idxs], device=self.device)
            not_dones_no_max = torch.as_tensor(self.not_dones_no_max[idxs], device=self.device)
            return obses, actions, rewards, next_obses, not_dones, not_dones_no_max

    class Logger:
        def __init__(self):
            self.logged = []  # recorded

        def log(self, key, value, step):
            self.logged.append((key, float(value), step))

    agent = SACAgent(
        obs_dim=2,
        action_dim=1,
        action_range=[-1.0, 1.0],
        device="cpu",
        discount=0.99,
        init_temperature=0.1,
        alpha_lr=1e-3,
        alpha_betas=[0.9, 0.999],
        actor_lr=1e-3,
        actor_betas=[0.9, 0.999],
        actor_update_frequency=1,
        critic_lr=1e-3,
        critic_betas=[0.9, 0.999],
        critic_tau=0.005,
        critic_target_update_frequency=2,
        batch_size=16,
        learnable_temperature=True,
    )
    sync(agent.actor)
    sync(agent.critic)
    agent.critic_target.load_state_dict(agent.critic.state_dict())

    # a point mass on a line: the reward is -|position|, the action moves it
    replay_buffer = ReplayBuffer((2,), (1,), 100, agent.device)
    obs = np.array([0.5, 0.0], dtype=np.float32)
    actions = []
    for step in range(40):
        action = agent.act(obs, sample=False)  # the policy's mean (sampling draws differ)
        actions.append(float(action[0]))  # recorded
        next_obs = np.array([np.clip(obs[0] + 0.1 * action[0], -1, 1), step / 40], dtype=np.float32)
        reward = -abs(float(next_obs[0]))
        done = step % 20 == 19
        replay_buffer.add(obs, action, reward, next_obs, done, done)
        obs = next_obs if not done else np.array([rs.uniform(-1, 1), 0.0], dtype=np.float32)
    logger = Logger()
    for step in range(6):
        agent.update(replay_buffer, logger, step)
    dist = agent.actor(torch.as_tensor(replay_buffer.obses[:4]))
    return {
        "actions": actions,
        "logged": logger.logged,
        "alpha": agent.alpha.item(),
        "alpha_dtype": str(agent.alpha.dtype),
        "mean": dist.mean.detach().numpy(),
        "log_prob_of_mean": dist.log_prob(dist.mean.detach()).detach().numpy(),
        "target_q1_weight": agent.critic_target.Q1[0].weight.detach().numpy(),
        "event_shape": tuple(dist.event_shape),
        "batch_shape": tuple(dist.batch_shape),
    }


# --- DeepSpeed's mixture of experts (deepspeed/moe/sharded_moe.py, experts.py, layer.py) ---


def deepspeed_moe(torch: Any, nn: Any, F: Any, optim: Any, sync: Sync, k: int = 2) -> dict:
    """GShard's top-1 and top-2 gating as DeepSpeed writes it (Gumbel noise on the logits,
    random token selection within each expert's capacity, cumsum positions, one-hot capacity
    slots, einsum dispatch and combine), one process (ep_size 1), trained a few steps."""
    einsum = torch.einsum
    Tensor = torch.Tensor  # from torch import Tensor
    gumbel_map: dict = {}
    exp_selection_uniform_map: dict = {}

    def gumbel_rsample(shape, device):
        gumbel = gumbel_map.get(device)
        if gumbel is None:
            one = torch.tensor(1.0, device=device)
            zero = torch.tensor(0.0, device=device)
            gumbel = torch.distributions.gumbel.Gumbel(zero, one).rsample  # type: ignore
            gumbel_map[device] = gumbel
        return gumbel(shape)

    @torch.jit.script
    def _capacity(gates: Tensor, capacity_factor: Tensor, min_capacity: Tensor) -> Tensor:
        # gates has shape of SE
        num_tokens = gates.shape[0]
        num_experts = gates.shape[1]
        # to(torch.int64) works around a bug in torch.onnx.export:
        # it should cast k to int64 when converting torch.topk but it doesn't.
        capacity = torch.ceil((num_tokens / num_experts) * capacity_factor).to(torch.int64)
        if capacity < min_capacity:
            capacity = min_capacity.to(torch.int64)
        return capacity

    @torch.jit.script
    def _top_idx(source, k):
        return torch.topk(source, k=k, dim=0)[1]

    @torch.jit.script
    def _one_hot_to_float(x, num_classes):
        return F.one_hot(x, num_classes=num_classes).float()

    def top1gating(
        logits: Tensor,
        capacity_factor: float,
        min_capacity: int,
        used_token: Tensor = None,
        noisy_gate_policy=None,
        drop_tokens: bool = True,
        use_rts: bool = True,
    ):
        """Implements Top1Gating on logits."""
        if noisy_gate_policy == "RSample":
            logits_w_noise = logits + gumbel_rsample(logits.shape, device=logits.device)
        # everything is in fp32 in this function
        gates = F.softmax(logits, dim=1)

        capacity = _capacity(gates, torch.tensor(capacity_factor), torch.tensor(min_capacity))

        # Create a mask for 1st's expert per token
        # noisy gating
        indices1_s = torch.argmax(
            logits_w_noise if noisy_gate_policy == "RSample" else gates, dim=1
        )
        num_experts = int(gates.shape[1])
        mask1 = F.one_hot(indices1_s, num_classes=num_experts)

        # mask only used tokens
        if used_token is not None:
            mask1 = einsum("s,se->se", used_token, mask1)

        # gating decisions
        exp_counts = torch.sum(mask1, dim=0).detach().to("cpu")

        # Compute l_aux
        me = torch.mean(gates, dim=0)
        ce = torch.mean(mask1.float(), dim=0)
        l_aux = torch.sum(me * ce) * num_experts

        # Random Token Selection
        if use_rts:
            uniform = exp_selection_uniform_map.get(logits.device)
            if uniform is None:
                uniform = torch.distributions.uniform.Uniform(
                    low=torch.tensor(0.0, device=logits.device),
                    high=torch.tensor(1.0, device=logits.device),
                ).rsample
                exp_selection_uniform_map[logits.device] = uniform

            mask1_rand = mask1 * uniform(mask1.shape)
        else:
            mask1_rand = mask1

        assert logits.shape[0] >= min_capacity, (
            "No. of tokens (batch-size) should be greater than min_capacity. Either set min_capacity to 0 or increase your batch size."
        )

        top_idx = _top_idx(mask1_rand, capacity)

        new_mask1 = mask1 * torch.zeros_like(mask1).scatter_(0, top_idx, 1)
        mask1 = new_mask1

        # Compute locations in capacity buffer
        locations1 = torch.cumsum(mask1, dim=0) - 1

        # Store the capacity location for each token
        locations1_s = torch.sum(locations1 * mask1, dim=1)

        # Normalize gate probabilities
        mask1_float = mask1.float()
        gates = gates * mask1_float

        locations1_sc = _one_hot_to_float(locations1_s, capacity)
        combine_weights = einsum("se,sc->sec", gates, locations1_sc)

        dispatch_mask = combine_weights.bool()

        return l_aux, combine_weights, dispatch_mask, exp_counts

    def top2gating(
        logits: Tensor,
        capacity_factor: float,
        min_capacity: int,
        drop_tokens: bool = True,
        top2_2nd_expert_sampling: bool = True,
    ):
        """Implements Top2Gating on logits."""
        # everything is in fp32 in this function
        gates = F.softmax(logits, dim=1)

        # Create a mask for 1st's expert per token
        indices1_s = torch.argmax(gates, dim=1)
        num_experts = int(gates.shape[1])
        mask1 = F.one_hot(indices1_s, num_classes=num_experts)

        if top2_2nd_expert_sampling:
            # Create a mask for 2nd's expert per token using Gumbel-max trick
            # https://timvieira.github.io/blog/post/2014/07/31/gumbel-max-trick/
            logits += gumbel_rsample(logits.shape, device=logits.device)

        # Replace top-expert with min value
        logits_except1 = logits.masked_fill(mask1.bool(), float("-inf"))
        indices2_s = torch.argmax(logits_except1, dim=1)
        mask2 = F.one_hot(indices2_s, num_classes=num_experts)

        # Compute locations in capacity buffer
        locations1 = torch.cumsum(mask1, dim=0) - 1
        locations2 = torch.cumsum(mask2, dim=0) - 1
        # Update 2nd's location by accounting for locations of 1st
        locations2 += torch.sum(mask1, dim=0, keepdim=True)

        # Compute l_aux
        me = torch.mean(gates, dim=0)
        ce = torch.mean(mask1.float(), dim=0)
        l_aux = torch.mean(me * ce) * num_experts * num_experts

        # gating decisions
        exp_counts = torch.sum(mask1 + mask2, dim=0).detach().to(logits.device)

        if drop_tokens:
            # Calculate configured capacity and remove locations outside capacity from mask
            capacity = _capacity(
                gates, torch.tensor(capacity_factor * 2), torch.tensor(min_capacity)
            )
            mask1 *= torch.lt(locations1, capacity)
            mask2 *= torch.lt(locations2, capacity)

        # Store the capacity location for each token
        locations1_s = torch.sum(locations1 * mask1, dim=1)
        locations2_s = torch.sum(locations2 * mask2, dim=1)

        # Normalize gate probabilities
        mask1_float = mask1.float()
        mask2_float = mask2.float()
        gates1_s = einsum("se,se->s", gates, mask1_float)
        gates2_s = einsum("se,se->s", gates, mask2_float)
        denom_s = gates1_s + gates2_s
        # Avoid divide-by-zero
        denom_s = torch.clamp(denom_s, min=torch.finfo(denom_s.dtype).eps)
        gates1_s /= denom_s
        gates2_s /= denom_s

        # Calculate combine_weights and dispatch_mask
        gates1 = einsum("s,se->se", gates1_s, mask1_float)
        gates2 = einsum("s,se->se", gates2_s, mask2_float)
        locations1_sc = _one_hot_to_float(locations1_s, capacity)
        locations2_sc = _one_hot_to_float(locations2_s, capacity)
        combine1_sec = einsum("se,sc->sec", gates1, locations1_sc)
        combine2_sec = einsum("se,sc->sec", gates2, locations2_sc)
        combine_weights = combine1_sec + combine2_sec
        dispatch_mask = combine_weights.bool()

        return l_aux, combine_weights, dispatch_mask, exp_counts

    class TopKGate(nn.Module):
        wg: nn.Linear

        def __init__(
            self,
            model_dim: int,
            num_experts: int,
            k: int = 1,
            capacity_factor: float = 1.0,
            eval_capacity_factor: float = 1.0,
            min_capacity: int = 8,
            noisy_gate_policy=None,
            drop_tokens: bool = True,
            use_rts: bool = True,
            top2_2nd_expert_sampling: bool = True,
        ) -> None:
            super().__init__()

            # Only top-1 and top-2 are supported at the moment.
            if k != 1 and k != 2:
                raise ValueError("Only top-1 and top-2 gatings are supported.")
            self.wg = torch.nn.Linear(model_dim, num_experts, bias=False).float()
            self.k = k
            self.capacity_factor = capacity_factor
            self.eval_capacity_factor = eval_capacity_factor
            self.min_capacity = min_capacity
            self.noisy_gate_policy = noisy_gate_policy
            self.drop_tokens = drop_tokens
            self.use_rts = use_rts
            self.top2_2nd_expert_sampling = top2_2nd_expert_sampling

        def forward(self, input: Tensor, used_token: Tensor = None):
            input_fp32 = input.float()
            logits = torch.nn.functional.linear(
                input_fp32, weight=self.wg.weight.float(), bias=None
            )

            if self.k == 1:
                gate_output = top1gating(
                    logits,
                    self.capacity_factor if self.training else self.eval_capacity_factor,
                    self.min_capacity,
                    used_token,
                    self.noisy_gate_policy if self.training else None,
                    self.drop_tokens,
                    self.use_rts,
                )
            else:
                gate_output = top2gating(
                    logits,
                    self.capacity_factor if self.training else self.eval_capacity_factor,
                    self.min_capacity,
                    self.drop_tokens,
                    self.top2_2nd_expert_sampling,
                )

            return gate_output

    class Experts(nn.Module):
        def __init__(self, expert, num_local_experts=1):
            super(Experts, self).__init__()

            self.deepspeed_experts = nn.ModuleList(
                [copy.deepcopy(expert) for _ in range(num_local_experts)]
            )
            self.num_local_experts = num_local_experts

            # TODO: revisit allreduce for moe.gate...
            for expert in self.deepspeed_experts:
                # TODO: Create param groups to handle expert + data case (e.g. param.group = moe_group)
                for param in expert.parameters():
                    param.allreduce = False

        def forward(self, inputs):
            chunks = inputs.chunk(self.num_local_experts, dim=1)
            expert_outputs = []
            for chunk, expert in zip(chunks, self.deepspeed_experts):
                out = expert(chunk)
                if isinstance(out, tuple):
                    out = out[0]  # Ignore the bias term for now
                expert_outputs += [out]

            expert_output = torch.cat(expert_outputs, dim=1)
            return expert_output

    class MOELayer(nn.Module):
        def __init__(
            self, gate: nn.Module, experts: nn.Module, ep_size, num_local_experts: int
        ) -> None:
            super().__init__()
            self.gate = gate
            self.experts = experts
            self.ep_size = ep_size
            self.num_local_experts = num_local_experts

        def forward(self, *input: Tensor, **kwargs: Any) -> Tensor:
            # Implement Algorithm 2 from GShard paper.
            d_model = input[0].shape[-1]

            # Initial implementation -> Reshape into S tokens by dropping sequence dimension.
            # Reshape into G groups so that each group can distribute tokens equally
            # group_size = kwargs['group_size'] if 'group_size' in kwargs.keys() else 1
            reshaped_input = input[0].reshape(-1, d_model)

            self.l_aux, combine_weights, dispatch_mask, self.exp_counts = self.gate(
                reshaped_input, input[1]
            )
            dispatched_input = einsum(
                "sec,sm->ecm", dispatch_mask.type_as(input[0]), reshaped_input
            )

            # Re-shape after all-to-all: ecm -> gecm
            dispatched_input = dispatched_input.reshape(
                self.ep_size, self.num_local_experts, -1, d_model
            )

            expert_output = self.experts(dispatched_input)

            # Re-shape back: gecm -> ecm
            expert_output = expert_output.reshape(
                self.ep_size * self.num_local_experts, -1, d_model
            )

            combined_output = einsum(
                "sec,ecm->sm", combine_weights.type_as(input[0]), expert_output
            )

            a = combined_output.reshape(input[0].shape)
            return a

    class MoE(nn.Module):
        """deepspeed.moe.layer.MoE (one expert-parallel rank)."""

        def __init__(
            self,
            hidden_size,
            expert,
            num_experts=1,
            k=1,
            capacity_factor=1.0,
            eval_capacity_factor=1.0,
            min_capacity=4,
            noisy_gate_policy=None,
            drop_tokens=True,
            use_rts=True,
        ):
            super(MoE, self).__init__()
            self.num_experts = num_experts
            self.num_local_experts = num_experts  # // ep_size
            experts = Experts(expert, self.num_local_experts)
            self.deepspeed_moe = MOELayer(
                TopKGate(
                    hidden_size,
                    num_experts,
                    k,
                    capacity_factor,
                    eval_capacity_factor,
                    min_capacity,
                    noisy_gate_policy,
                    drop_tokens,
                    use_rts,
                ),
                experts,
                1,
                self.num_local_experts,
            )

        def forward(self, hidden_states, used_token=None):
            output = self.deepspeed_moe(hidden_states, used_token)
            return output, self.deepspeed_moe.l_aux, self.deepspeed_moe.exp_counts

    rs = np.random.RandomState(10)
    expert = nn.Sequential(nn.Linear(6, 12), nn.GELU(), nn.Linear(12, 6))
    moe = MoE(
        6,
        expert,
        num_experts=4,
        k=k,
        capacity_factor=1.0,
        min_capacity=2,
        noisy_gate_policy="RSample" if k == 1 else None,
    )
    head = nn.Linear(6, 3)
    model = nn.ModuleDict({"moe": moe, "head": head})
    sync(model)
    x = torch.tensor(rs.normal(size=(2, 8, 6)), dtype=torch.float32)
    y = torch.tensor(rs.normal(size=(2, 8, 3)), dtype=torch.float32)
    optimizer = optim.Adam(model.parameters(), lr=1e-2)
    losses, aux_losses, counts = [], [], []
    for step in range(5):
        out, l_aux, exp_counts = moe(x)
        loss = F.mse_loss(head(out), y) + 0.01 * l_aux
        optimizer.zero_grad()
        loss.backward()
        if step == 0:
            grads = {
                n: p.grad.numpy().copy() for n, p in model.named_parameters() if p.grad is not None
            }  # recorded
        optimizer.step()
        losses.append(loss.item())
        aux_losses.append(l_aux.item())
        counts.append(exp_counts.tolist())
    moe.eval()
    with torch.no_grad():
        out, l_aux, exp_counts = moe(x)
    with torch.no_grad():  # the gate's decisions in eval mode (capacity from eval_capacity_factor)
        gate_logits = moe.deepspeed_moe.gate.wg(x.reshape(-1, 6))
        _, combine_weights, dispatch_mask, _ = moe.deepspeed_moe.gate(x.reshape(-1, 6))
    return {
        "losses": losses,
        "aux_losses": aux_losses,
        "counts": counts,
        "grads": grads,
        "eval_out": out.numpy(),
        "combine_weights": combine_weights.numpy(),
        "dispatch_mask": dispatch_mask.numpy(),
        "capacity": int(_capacity(gate_logits, torch.tensor(1.0), torch.tensor(2))),
    }


# --- torchdiffeq's adjoint method (torchdiffeq/_impl/adjoint.py), fixed-step RK4 ---


def neural_ode_adjoint(torch: Any, nn: Any, F: Any, optim: Any, sync: Sync) -> dict:
    """ode_demo.py's ODEFunc trained with ``odeint_adjoint``: a custom autograd.Function whose
    backward integrates the augmented adjoint system backwards in time, taking vector-Jacobian
    products of the dynamics with ``torch.autograd.grad`` with respect to the state and the
    parameters it saved with ``ctx.save_for_backward``."""
    rs = np.random.RandomState(11)

    def rk4_step(func, t0, dt, y0):
        """Kutta's 3/8 rule on a tensor or a tuple of tensors (torchdiffeq's _TupleFunc)."""

        def axpy(a, x, y):
            return tuple(y_ + a * x_ for x_, y_ in zip(x, y)) if isinstance(y, tuple) else y + a * x

        def lin(*terms):
            if isinstance(terms[0][1], tuple):
                return tuple(sum(c * k[j] for c, k in terms) for j in range(len(terms[0][1])))
            return sum(c * k for c, k in terms)

        _one_third = 1 / 3
        k1 = func(t0, y0)
        k2 = func(t0 + dt * _one_third, axpy(dt * _one_third, k1, y0))
        k3 = func(t0 + dt * _one_third * 2, axpy(dt, lin((1.0, k2), (-_one_third, k1)), y0))
        k4 = func(t0 + dt, axpy(dt, lin((1.0, k1), (-1.0, k2), (1.0, k3)), y0))
        return lin((dt * 0.125, k1), (dt * 0.375, k2), (dt * 0.375, k3), (dt * 0.125, k4))

    def odeint(func, y0, t, method="rk4"):
        """Fixed-step RK4 at the times ``t`` (four steps between them); a tuple state gives a
        tuple of stacked solutions."""
        solution = [y0]
        y = y0
        for t0, t1 in zip(t[:-1], t[1:]):
            dt = (t1 - t0) / 4
            for s in range(4):
                dy = rk4_step(func, t0 + s * dt, dt, y)
                y = tuple(a + b for a, b in zip(y, dy)) if isinstance(y, tuple) else y + dy
            solution.append(y)
        if isinstance(y0, tuple):
            return tuple(torch.stack([s[j] for s in solution]) for j in range(len(y0)))
        return torch.stack(solution)

    class OdeintAdjointMethod(torch.autograd.Function):
        @staticmethod
        def forward(ctx, func, y0, t, t_requires_grad, *adjoint_params):
            ctx.func = func
            ctx.t_requires_grad = t_requires_grad

            with torch.no_grad():
                ans = odeint(func, y0, t)
                y = ans
                ctx.save_for_backward(t, y, *adjoint_params)
            return ans

        @staticmethod
        def backward(ctx, *grad_y):
            with torch.no_grad():
                func = ctx.func
                t_requires_grad = ctx.t_requires_grad

                t, y, *adjoint_params = ctx.saved_tensors
                adjoint_params = tuple(adjoint_params)
                grad_y = grad_y[0]

                # [-1] because y and grad_y are both of shape (len(t), *y0.shape)
                aug_state = [
                    torch.zeros((), dtype=y.dtype, device=y.device),
                    y[-1],
                    grad_y[-1],
                ]  # vjp_t, y, vjp_y
                aug_state.extend(
                    [torch.zeros_like(param) for param in adjoint_params]
                )  # vjp_params

                def augmented_dynamics(t, y_aug):
                    # Dynamics of the original system augmented with
                    # the adjoint wrt y, and an integrator wrt t and args.
                    y = y_aug[1]
                    adj_y = y_aug[2]
                    # ignore gradients wrt time and parameters

                    with torch.enable_grad():
                        t_ = t.detach()
                        t = t_.requires_grad_(True)
                        y = y.detach().requires_grad_(True)

                        func_eval = func(t if t_requires_grad else t_, y)

                        # Workaround for PyTorch bug #39784
                        _t = torch.as_strided(t, (), ())  # noqa
                        _y = torch.as_strided(y, (), ())  # noqa
                        _params = tuple(torch.as_strided(param, (), ()) for param in adjoint_params)  # noqa

                        vjp_t, vjp_y, *vjp_params = torch.autograd.grad(
                            func_eval,
                            (t, y) + adjoint_params,
                            -adj_y,
                            allow_unused=True,
                            retain_graph=True,
                        )

                    # autograd.grad returns None if no gradient, set to zero.
                    vjp_t = torch.zeros_like(t) if vjp_t is None else vjp_t
                    vjp_y = torch.zeros_like(y) if vjp_y is None else vjp_y
                    vjp_params = [
                        torch.zeros_like(param) if vjp_param is None else vjp_param
                        for param, vjp_param in zip(adjoint_params, vjp_params)
                    ]

                    return (vjp_t, func_eval, vjp_y, *vjp_params)

                for i in range(len(t) - 1, 0, -1):
                    # Run the augmented system backwards in time.
                    aug_state = odeint(
                        augmented_dynamics, tuple(aug_state), t[i - 1 : i + 1].flip(0)
                    )
                    aug_state = [a[1] for a in aug_state]  # extract just the t[i - 1] value
                    aug_state[1] = y[i - 1]  # update to use our forward-pass estimate of the state
                    aug_state[2] += grad_y[
                        i - 1
                    ]  # update any gradients wrt state at this time point

                adj_y = aug_state[2]
                adj_params = aug_state[3:]

            return (None, adj_y, None, None, *adj_params)

    def odeint_adjoint(func, y0, t, adjoint_params=None):
        # We need this in order to access the variables inside this module,
        # since we have no other way of getting variables along the execution path.
        if adjoint_params is None and not isinstance(func, nn.Module):
            raise ValueError(
                "func must be an instance of nn.Module to specify the adjoint parameters; alternatively they can be specified explicitly via the `adjoint_params` argument. If there are no parameters then it is allowable to set `adjoint_params=()`."
            )
        # Must come before _check_inputs as we don't want to use normalised input (in particular any changes to time)
        adjoint_params = (
            tuple(func.parameters()) if adjoint_params is None else tuple(adjoint_params)
        )
        return OdeintAdjointMethod.apply(func, y0, t, t.requires_grad, *adjoint_params)

    class ODEFunc(nn.Module):
        def __init__(self):
            super(ODEFunc, self).__init__()
            self.net = nn.Sequential(nn.Linear(2, 16), nn.Tanh(), nn.Linear(16, 2))
            for m in self.net.modules():
                if isinstance(m, nn.Linear):
                    nn.init.normal_(m.weight, mean=0, std=0.1)
                    nn.init.constant_(m.bias, val=0)

        def forward(self, t, y):
            return self.net(y**3)

    true_A = torch.tensor([[-0.1, 2.0], [-2.0, -0.1]])
    t = torch.linspace(0.0, 1.0, 6)
    func = ODEFunc()
    sync(func)
    batch_y0 = torch.tensor(
        rs.normal(size=(4, 2)) * 0.5 + np.array([2.0, 0.0]), dtype=torch.float32
    )
    with torch.no_grad():
        batch_y = odeint(lambda t, y: torch.mm(y**3, true_A), batch_y0, t)

    pred_y = odeint_adjoint(func, batch_y0, t)
    loss = torch.mean(torch.abs(pred_y - batch_y))
    loss.backward()
    adjoint_grads = [p.grad.numpy().copy() for p in func.parameters()]
    func.zero_grad()
    direct = odeint(func, batch_y0, t)  # backpropagation through the solver's steps
    torch.mean(torch.abs(direct - batch_y)).backward()
    direct_grads = [p.grad.numpy().copy() for p in func.parameters()]
    return {
        "loss": loss.item(),
        "pred_y": pred_y.detach().numpy(),
        "direct_y": direct.detach().numpy(),
        "adjoint_grads": adjoint_grads,
        "direct_grads": direct_grads,
    }


# --- Hugging Face's Mixtral sparse MoE block (transformers/models/mixtral/modeling_mixtral.py) ---


def mixtral_moe(
    torch: Any, nn: Any, F: Any, optim: Any, sync: Sync, jitter_noise: float = 0.0
) -> dict:
    """MixtralSparseMoeBlock (softmax router, top-2 experts renormalised, dispatch by
    one_hot(...).permute / torch.where / index_add_) in a two-layer token model, trained with
    load_balancing_loss_func's auxiliary loss over the padding-masked tokens."""
    from types import SimpleNamespace

    ACT2FN = {"silu": nn.SiLU()}
    config = SimpleNamespace(
        hidden_size=8,
        intermediate_size=12,
        num_local_experts=4,
        num_experts_per_tok=2,
        router_jitter_noise=jitter_noise,
        hidden_act="silu",
        vocab_size=11,
        num_hidden_layers=2,
        router_aux_loss_coef=0.02,
    )

    class MixtralBlockSparseTop2MLP(nn.Module):
        def __init__(self, config):
            super().__init__()
            self.ffn_dim = config.intermediate_size
            self.hidden_dim = config.hidden_size

            self.w1 = nn.Linear(self.hidden_dim, self.ffn_dim, bias=False)
            self.w2 = nn.Linear(self.ffn_dim, self.hidden_dim, bias=False)
            self.w3 = nn.Linear(self.hidden_dim, self.ffn_dim, bias=False)

            self.act_fn = ACT2FN[config.hidden_act]

        def forward(self, hidden_states):
            current_hidden_states = self.act_fn(self.w1(hidden_states)) * self.w3(hidden_states)
            current_hidden_states = self.w2(current_hidden_states)
            return current_hidden_states

    class MixtralSparseMoeBlock(nn.Module):
        """
        This implementation is
        strictly equivalent to standard MoE with full capacity (no
        dropped tokens). It's faster since it formulates MoE operations
        in terms of block-sparse operations to accommodate imbalanced
        assignments of tokens to experts, whereas standard MoE either
        (1) drop tokens at the cost of reduced performance or (2) set
        capacity factor to number of experts and thus waste computation
        and memory on padding.
        """

        def __init__(self, config):
            super().__init__()
            self.hidden_dim = config.hidden_size
            self.ffn_dim = config.intermediate_size
            self.num_experts = config.num_local_experts
            self.top_k = config.num_experts_per_tok

            # gating
            self.gate = nn.Linear(self.hidden_dim, self.num_experts, bias=False)

            self.experts = nn.ModuleList(
                [MixtralBlockSparseTop2MLP(config) for _ in range(self.num_experts)]
            )

            # Jitter parameters
            self.jitter_noise = config.router_jitter_noise

        def forward(self, hidden_states: torch.Tensor) -> torch.Tensor:
            """ """
            batch_size, sequence_length, hidden_dim = hidden_states.shape
            if self.training and self.jitter_noise > 0:
                hidden_states *= torch.empty_like(hidden_states).uniform_(
                    1.0 - self.jitter_noise, 1.0 + self.jitter_noise
                )
            hidden_states = hidden_states.view(-1, hidden_dim)
            # router_logits: (batch * sequence_length, n_experts)
            router_logits = self.gate(hidden_states)

            routing_weights = F.softmax(router_logits, dim=1, dtype=torch.float)
            routing_weights, selected_experts = torch.topk(routing_weights, self.top_k, dim=-1)
            routing_weights /= routing_weights.sum(dim=-1, keepdim=True)
            # we cast back to the input dtype
            routing_weights = routing_weights.to(hidden_states.dtype)

            final_hidden_states = torch.zeros(
                (batch_size * sequence_length, hidden_dim),
                dtype=hidden_states.dtype,
                device=hidden_states.device,
            )

            # One hot encode the selected experts to create an expert mask
            # this will be used to easily index which expert is going to be sollicitated
            expert_mask = torch.nn.functional.one_hot(
                selected_experts, num_classes=self.num_experts
            ).permute(2, 1, 0)

            expert_hitted = torch.greater(expert_mask.sum(dim=(-1, -2)), 0).nonzero()
            for expert_idx in expert_hitted:
                expert_layer = self.experts[expert_idx]
                idx, top_x = torch.where(expert_mask[expert_idx].squeeze(0))
                # Index the correct hidden states and compute the expert hidden state for
                # the current expert. We need to make sure to multiply the output hidden
                # states by `routing_weights` on the corresponding tokens (top-1 and top-2)
                current_state = hidden_states[None, top_x].reshape(-1, hidden_dim)
                current_hidden_states = (
                    expert_layer(current_state) * routing_weights[top_x, idx, None]
                )

                # However `index_add_` only support torch tensors for indexing so we'll use
                # the `top_x` tensor here.
                final_hidden_states.index_add_(
                    0, top_x, current_hidden_states.to(hidden_states.dtype)
                )
            final_hidden_states = final_hidden_states.reshape(
                batch_size, sequence_length, hidden_dim
            )
            return final_hidden_states, router_logits

    def load_balancing_loss_func(gate_logits, num_experts=None, top_k=2, attention_mask=None):
        if gate_logits is None or not isinstance(gate_logits, tuple):
            return 0

        if isinstance(gate_logits, tuple):
            compute_device = gate_logits[0].device
            concatenated_gate_logits = torch.cat(
                [layer_gate.to(compute_device) for layer_gate in gate_logits], dim=0
            )

        routing_weights = torch.nn.functional.softmax(concatenated_gate_logits, dim=-1)

        _, selected_experts = torch.topk(routing_weights, top_k, dim=-1)

        expert_mask = torch.nn.functional.one_hot(selected_experts, num_experts)

        if attention_mask is None:
            # Compute the percentage of tokens routed to each experts
            tokens_per_expert = torch.mean(expert_mask.float(), dim=0)

            # Compute the average probability of routing to these experts
            router_prob_per_expert = torch.mean(routing_weights, dim=0)
        else:
            batch_size, sequence_length = attention_mask.shape
            num_hidden_layers = concatenated_gate_logits.shape[0] // (batch_size * sequence_length)

            # Compute the mask that masks all padding tokens as 0 with the same shape of expert_mask
            expert_attention_mask = (
                attention_mask[None, :, :, None, None]
                .expand((num_hidden_layers, batch_size, sequence_length, top_k, num_experts))
                .reshape(-1, top_k, num_experts)
                .to(compute_device)
            )

            # Compute the percentage of tokens routed to each experts
            tokens_per_expert = torch.sum(
                expert_mask.float() * expert_attention_mask, dim=0
            ) / torch.sum(expert_attention_mask, dim=0)

            # Compute the mask that masks all padding tokens as 0 with the same shape of tokens_per_expert
            router_per_expert_attention_mask = (
                attention_mask[None, :, :, None]
                .expand((num_hidden_layers, batch_size, sequence_length, num_experts))
                .reshape(-1, num_experts)
                .to(compute_device)
            )

            # Compute the average probability of routing to these experts
            router_prob_per_expert = torch.sum(
                routing_weights * router_per_expert_attention_mask, dim=0
            ) / torch.sum(router_per_expert_attention_mask, dim=0)

        overall_loss = torch.sum(tokens_per_expert * router_prob_per_expert.unsqueeze(0))
        return overall_loss * num_experts

    class TinyMixtral(nn.Module):
        """Embedding, pre-norm MoE layers with residuals, LM head (attention left out)."""

        def __init__(self, config):
            super().__init__()
            self.embed_tokens = nn.Embedding(config.vocab_size, config.hidden_size)
            self.norms = nn.ModuleList(
                [nn.LayerNorm(config.hidden_size) for _ in range(config.num_hidden_layers)]
            )
            self.layers = nn.ModuleList(
                [MixtralSparseMoeBlock(config) for _ in range(config.num_hidden_layers)]
            )
            self.lm_head = nn.Linear(config.hidden_size, config.vocab_size, bias=False)

        def forward(self, input_ids):
            hidden_states = self.embed_tokens(input_ids)
            all_router_logits = ()
            for norm, layer in zip(self.norms, self.layers):
                out, router_logits = layer(norm(hidden_states))
                hidden_states = hidden_states + out
                all_router_logits += (router_logits,)
            return self.lm_head(hidden_states), all_router_logits

    rs = np.random.RandomState(12)
    model = TinyMixtral(config)
    sync(model)
    input_ids = torch.tensor(rs.randint(0, config.vocab_size, size=(3, 6)))
    attention_mask = torch.tensor([[1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 0, 0], [1, 1, 1, 0, 0, 0]])
    labels = input_ids.roll(-1, dims=1).masked_fill(attention_mask == 0, -100)
    optimizer = optim.AdamW(model.parameters(), lr=1e-2)
    losses, aux_losses = [], []
    for step in range(5):
        logits, router_logits = model(input_ids)
        loss = F.cross_entropy(
            logits.view(-1, config.vocab_size), labels.view(-1), ignore_index=-100
        )
        aux_loss = load_balancing_loss_func(
            router_logits, config.num_local_experts, config.num_experts_per_tok, attention_mask
        )
        total = loss + config.router_aux_loss_coef * aux_loss.to(loss.device)
        optimizer.zero_grad()
        total.backward()
        if step == 0:
            grads = {
                n: p.grad.numpy().copy() for n, p in model.named_parameters() if p.grad is not None
            }  # recorded
        optimizer.step()
        losses.append(loss.item())
        aux_losses.append(aux_loss.item())
    model.eval()
    with torch.no_grad():
        logits, router_logits = model(input_ids)
    unmasked = load_balancing_loss_func(router_logits, config.num_local_experts, 2, None)
    return {
        "losses": losses,
        "aux_losses": aux_losses,
        "grads": grads,
        "logits": logits.numpy(),
        "router_logits": [r.numpy() for r in router_logits],
        "aux_unmasked": unmasked.item(),
        "aux_not_a_tuple": load_balancing_loss_func(None, 4),
    }


# --- mixture density network (sagelywizard/pytorch-mdn, mdn/mdn.py and the example) ---


def mixture_density_network(torch: Any, nn: Any, F: Any, optim: Any, sync: Sync) -> dict:
    """An MDN on the inverted sine (one input, several outputs): mixture weights, scales and
    means from linear heads, the NLL written out and as a torch.distributions
    MixtureSameFamily, and the example's sampling loop."""
    Variable = torch.autograd.Variable
    Categorical = torch.distributions.Categorical  # from torch.distributions import Categorical
    ONEOVERSQRT2PI = 1.0 / math.sqrt(2 * math.pi)
    rs = np.random.RandomState(13)

    class MDN(nn.Module):
        """A mixture density network layer"""

        def __init__(self, in_features, out_features, num_gaussians):
            super(MDN, self).__init__()
            self.in_features = in_features
            self.out_features = out_features
            self.num_gaussians = num_gaussians
            self.pi = nn.Sequential(nn.Linear(in_features, num_gaussians), nn.Softmax(dim=1))
            self.sigma = nn.Linear(in_features, out_features * num_gaussians)
            self.mu = nn.Linear(in_features, out_features * num_gaussians)

        def forward(self, minibatch):
            pi = self.pi(minibatch)
            sigma = torch.exp(self.sigma(minibatch))
            sigma = sigma.view(-1, self.num_gaussians, self.out_features)
            mu = self.mu(minibatch)
            mu = mu.view(-1, self.num_gaussians, self.out_features)
            return pi, sigma, mu

    def gaussian_probability(sigma, mu, target):
        """Returns the probability of `target` given MoG parameters `sigma` and `mu`."""
        target = target.unsqueeze(1).expand_as(sigma)
        ret = ONEOVERSQRT2PI * torch.exp(-0.5 * ((target - mu) / sigma) ** 2) / sigma
        return torch.prod(ret, 2)

    def mdn_loss(pi, sigma, mu, target):
        """Calculates the error, given the MoG parameters and the target"""
        prob = pi * gaussian_probability(sigma, mu, target)
        nll = -torch.log(torch.sum(prob, dim=1))
        return torch.mean(nll)

    def sample(pi, sigma, mu):
        """Draw samples from a MoG."""
        categorical = Categorical(pi)
        pis = list(categorical.sample().data)
        sample = Variable(sigma.data.new(sigma.size(0), sigma.size(2)).normal_())
        for i, idx in enumerate(pis):
            sample[i] = sample[i].mul(sigma[i, idx]).add(mu[i, idx])
        return sample

    # the example: x = sin(y) + noise, predict y from x (many valid answers)
    y = rs.uniform(-3, 3, size=(64, 1))
    x = np.sin(y) + rs.normal(scale=0.05, size=y.shape)
    x_var = torch.tensor(x, dtype=torch.float32)
    y_var = torch.tensor(np.concatenate([y, -y], 1), dtype=torch.float32)

    model = nn.Sequential(nn.Linear(1, 16), nn.Tanh(), MDN(16, 2, 4))
    sync(model)
    optimizer = optim.Adam(model.parameters(), lr=1e-2)
    losses, dist_losses = [], []
    for epoch in range(20):
        model.zero_grad()
        pi, sigma, mu = model(x_var)
        loss = mdn_loss(pi, sigma, mu, y_var)
        mixture = torch.distributions.MixtureSameFamily(
            torch.distributions.Categorical(probs=pi),
            torch.distributions.Independent(torch.distributions.Normal(mu, sigma), 1),
        )
        dist_losses.append(-mixture.log_prob(y_var).mean().item())  # recorded
        loss.backward()
        if epoch == 0:
            first_grad = model[0].weight.grad.numpy().copy()  # recorded
        optimizer.step()
        losses.append(loss.item())

    pi, sigma, mu = model(x_var[:8])
    samples = sample(pi, sigma, mu)
    return {
        "losses": losses,
        "dist_losses": dist_losses,
        "first_grad": first_grad,
        "pi": pi.detach().numpy(),
        "mixture_mean": mixture.mean.detach().numpy(),
        "samples_shape": tuple(samples.shape),
        "samples_finite": bool(np.isfinite(samples.detach().numpy()).all()),
    }
