# ruff: noqa: UP008, B007  (the originals' spellings: super(Class, self), unused loop names)
"""Self-supervised and representation-learning code, shortened (tiny sizes, synthetic data)
and written once against the names ``torch``, ``nn``, ``F``, ``optim``, keeping the
originals' PyTorch idioms: SimCLR's NT-Xent (Spijkervet/SimCLR and sthalles/SimCLR),
SupCon (HobbitLong/SupContrast), MoCo v2 (facebookresearch/moco), BYOL (lucidrains/
byol-pytorch), DINO's loss, head and training step (facebookresearch/dino), SwAV's
Sinkhorn-Knopp codes and queue (facebookresearch/swav), Barlow Twins with LARS
(facebookresearch/barlowtwins), MAE (facebookresearch/mae) and the VQ-VAE quantisers
(zalandoresearch/pytorch-vq-vae, rosinality/vq-vae-2-pytorch), with SimSiam, VICReg's loss and
CLIP's contrastive loss. The tests run them with our packages under those names and, when it
is installed, with PyTorch.

Weights and random draws a result depends on pass through ``sync(module_or_tensors)``: the
tests make it a no-op, or record PyTorch's values and copy them into ours, since the
libraries' random streams differ.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable
from functools import wraps
from typing import Any

import numpy as np

Sync = Callable[[Any], None]


def _np(t: Any) -> np.ndarray:
    return t.detach().cpu().numpy().copy()


class _Encoder:
    """A tiny conv encoder factory with a ``fc`` head, the shape of torchvision's resnets."""

    @staticmethod
    def make(nn: Any) -> Any:
        class TinyNet(nn.Module):
            def __init__(self, num_classes=8):
                super().__init__()
                self.conv = nn.Conv2d(3, 4, 3, padding=1)
                self.bn = nn.BatchNorm2d(4)
                self.relu = nn.ReLU(inplace=True)
                self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
                self.fc = nn.Linear(4, num_classes)

            def forward(self, x):
                x = self.avgpool(self.relu(self.bn(self.conv(x))))
                return self.fc(x.flatten(1))

        return TinyNet


def simclr(torch: Any, nn: Any, F: Any, optim: Any, sync: Sync) -> dict:
    """NT-Xent as Spijkervet/SimCLR writes it (a bool mask built with fill_diagonal_,
    CosineSimilarity over broadcast pairs, torch.diag offsets, sim[mask]) and sthalles/
    SimCLR's info_nce_loss (F.normalize, ~torch.eye(dtype=torch.bool), labels.bool()
    selections), plus a masked_select variant and a training step."""
    rs = np.random.RandomState(0)

    class NT_Xent(nn.Module):
        def __init__(self, batch_size, temperature, world_size):
            super().__init__()
            self.batch_size = batch_size
            self.temperature = temperature
            self.world_size = world_size
            self.mask = self.mask_correlated_samples(batch_size, world_size)
            self.criterion = nn.CrossEntropyLoss(reduction="sum")
            self.similarity_f = nn.CosineSimilarity(dim=2)

        def mask_correlated_samples(self, batch_size, world_size):
            N = 2 * batch_size * world_size
            mask = torch.ones((N, N), dtype=bool)
            mask = mask.fill_diagonal_(0)
            for i in range(batch_size * world_size):
                mask[i, batch_size * world_size + i] = 0
                mask[batch_size * world_size + i, i] = 0
            return mask

        def forward(self, z_i, z_j):
            N = 2 * self.batch_size * self.world_size
            z = torch.cat((z_i, z_j), dim=0)
            sim = self.similarity_f(z.unsqueeze(1), z.unsqueeze(0)) / self.temperature
            sim_i_j = torch.diag(sim, self.batch_size * self.world_size)
            sim_j_i = torch.diag(sim, -self.batch_size * self.world_size)
            positive_samples = torch.cat((sim_i_j, sim_j_i), dim=0).reshape(N, 1)
            negative_samples = sim[self.mask].reshape(N, -1)
            labels = torch.zeros(N).to(positive_samples.device).long()
            logits = torch.cat((positive_samples, negative_samples), dim=1)
            loss = self.criterion(logits, labels)
            loss /= N
            return loss

    def info_nce_loss(features, batch_size, n_views, temperature, device):
        labels = torch.cat([torch.arange(batch_size) for i in range(n_views)], dim=0)
        labels = (labels.unsqueeze(0) == labels.unsqueeze(1)).float()
        labels = labels.to(device)
        features = F.normalize(features, dim=1)
        similarity_matrix = torch.matmul(features, features.T)
        mask = torch.eye(labels.shape[0], dtype=torch.bool).to(device)
        labels = labels[~mask].view(labels.shape[0], -1)
        similarity_matrix = similarity_matrix[~mask].view(similarity_matrix.shape[0], -1)
        positives = similarity_matrix[labels.bool()].view(labels.shape[0], -1)
        negatives = similarity_matrix[~labels.bool()].view(similarity_matrix.shape[0], -1)
        logits = torch.cat([positives, negatives], dim=1)
        labels = torch.zeros(logits.shape[0], dtype=torch.long).to(device)
        logits = logits / temperature
        return logits, labels

    def leftthomas_loss(out_1, out_2, temperature):
        # leftthomas/SimCLR: exp-similarities, the diagonal dropped by masked_select
        batch_size = out_1.shape[0]
        out_1, out_2 = F.normalize(out_1, dim=-1), F.normalize(out_2, dim=-1)
        out = torch.cat([out_1, out_2], dim=0)
        sim_matrix = torch.exp(torch.mm(out, out.t().contiguous()) / temperature)
        mask = (
            torch.ones_like(sim_matrix) - torch.eye(2 * batch_size, device=sim_matrix.device)
        ).bool()
        sim_matrix = sim_matrix.masked_select(mask).view(2 * batch_size, -1)
        pos_sim = torch.exp(torch.sum(out_1 * out_2, dim=-1) / temperature)
        pos_sim = torch.cat([pos_sim, pos_sim], dim=0)
        return (-torch.log(pos_sim / sim_matrix.sum(dim=-1))).mean()

    batch, dim = 4, 6
    zi = torch.tensor(rs.randn(batch, dim), dtype=torch.float32, requires_grad=True)
    zj = torch.tensor(rs.randn(batch, dim), dtype=torch.float32, requires_grad=True)
    crit = NT_Xent(batch, 0.5, 1)
    loss = crit(zi, zj)
    loss.backward()

    feats = torch.cat([zi, zj]).detach().requires_grad_()
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    logits, labels = info_nce_loss(feats, batch, 2, 0.5, device)
    info_loss = nn.CrossEntropyLoss().to(device)(logits, labels)
    info_loss.backward()

    # the functional spelling of the pairwise cosine similarities
    z = torch.cat([zi, zj])
    sim_f = F.cosine_similarity(z.unsqueeze(1), z.unsqueeze(0), dim=2)
    zi2, zj2 = zi.detach().clone().requires_grad_(True), zj.detach().clone().requires_grad_(True)
    ms_loss = leftthomas_loss(zi2, zj2, 0.5)
    ms_loss.backward()

    Net = _Encoder.make(nn)
    model = Net(num_classes=dim)
    sync(model)
    optimizer = optim.Adam(model.parameters(), 3e-3, weight_decay=1e-4)
    scaler = torch.cuda.amp.GradScaler(enabled=False)
    images = torch.tensor(rs.rand(batch, 3, 6, 6), dtype=torch.float32)
    views = [images, torch.flip(images, dims=[3])]
    losses = []
    for _ in range(3):
        images_cat = torch.cat(views, dim=0)
        with torch.cuda.amp.autocast(enabled=False):
            features = model(images_cat)
            logits_t, labels_t = info_nce_loss(features, batch, 2, 0.07, device)
            step_loss = nn.CrossEntropyLoss()(logits_t, labels_t)
        optimizer.zero_grad()
        scaler.scale(step_loss).backward()
        scaler.step(optimizer)
        scaler.update()
        top1 = (logits_t.argmax(1) == labels_t).float().mean() * 100
        losses.append(step_loss.item())
    return {
        "nt_xent": loss.item(),
        "nt_xent_grad": _np(zi.grad),
        "info_nce": info_loss.item(),
        "info_nce_logits": _np(logits),
        "info_nce_grad": _np(feats.grad),
        "masked_select": ms_loss.item(),
        "masked_select_grad": _np(zj2.grad),
        "mask": _np(crit.mask),
        "cosine_similarity": _np(sim_f),
        "train_losses": losses,
        "top1": float(top1),
    }


def supcon(torch: Any, nn: Any, F: Any, optim: Any, sync: Sync) -> dict:
    """HobbitLong/SupContrast's SupConLoss: torch.eq(labels, labels.T), torch.unbind, the
    torch.max pair, torch.scatter into ones_like, torch.where with a Python number."""

    class SupConLoss(nn.Module):
        def __init__(self, temperature=0.07, contrast_mode="all", base_temperature=0.07):
            super(SupConLoss, self).__init__()
            self.temperature = temperature
            self.contrast_mode = contrast_mode
            self.base_temperature = base_temperature

        def forward(self, features, labels=None, mask=None):
            device = torch.device("cuda") if features.is_cuda else torch.device("cpu")
            if len(features.shape) < 3:
                raise ValueError("`features` needs to be [bsz, n_views, ...]")
            if len(features.shape) > 3:
                features = features.view(features.shape[0], features.shape[1], -1)
            batch_size = features.shape[0]
            if labels is not None and mask is not None:
                raise ValueError("Cannot define both `labels` and `mask`")
            elif labels is None and mask is None:
                mask = torch.eye(batch_size, dtype=torch.float32).to(device)
            elif labels is not None:
                labels = labels.contiguous().view(-1, 1)
                if labels.shape[0] != batch_size:
                    raise ValueError("Num of labels does not match num of features")
                mask = torch.eq(labels, labels.T).float().to(device)
            else:
                mask = mask.float().to(device)

            contrast_count = features.shape[1]
            contrast_feature = torch.cat(torch.unbind(features, dim=1), dim=0)
            if self.contrast_mode == "one":
                anchor_feature = features[:, 0]
                anchor_count = 1
            else:
                anchor_feature = contrast_feature
                anchor_count = contrast_count

            anchor_dot_contrast = torch.div(
                torch.matmul(anchor_feature, contrast_feature.T), self.temperature
            )
            logits_max, _ = torch.max(anchor_dot_contrast, dim=1, keepdim=True)
            logits = anchor_dot_contrast - logits_max.detach()
            mask = mask.repeat(anchor_count, contrast_count)
            logits_mask = torch.scatter(
                torch.ones_like(mask),
                1,
                torch.arange(batch_size * anchor_count).view(-1, 1).to(device),
                0,
            )
            mask = mask * logits_mask
            exp_logits = torch.exp(logits) * logits_mask
            log_prob = logits - torch.log(exp_logits.sum(1, keepdim=True))
            mask_pos_pairs = mask.sum(1)
            mask_pos_pairs = torch.where(mask_pos_pairs < 1e-6, 1, mask_pos_pairs)
            mean_log_prob_pos = (mask * log_prob).sum(1) / mask_pos_pairs
            loss = -(self.temperature / self.base_temperature) * mean_log_prob_pos
            loss = loss.view(anchor_count, batch_size).mean()
            return loss

    rs = np.random.RandomState(1)
    raw = torch.tensor(rs.randn(6, 2, 5), dtype=torch.float32, requires_grad=True)
    labels = torch.tensor([0, 1, 0, 2, 1, 3])
    out = {}
    for name, kwargs in (
        ("supcon", {"labels": labels}),
        ("simclr", {}),
        ("one", {"labels": labels}),
    ):
        raw.grad = None
        features = F.normalize(raw, dim=2)
        crit = SupConLoss(temperature=0.1, contrast_mode="one" if name == "one" else "all")
        loss = crit(features, **kwargs)
        loss.backward()
        out[name] = loss.item()
        out[name + "_grad"] = _np(raw.grad)
    return out


def moco(torch: Any, nn: Any, F: Any, optim: Any, sync: Sync) -> dict:
    """facebookresearch/moco's MoCo v2 (without the distributed gather and shuffle): a key
    encoder updated through ``.data``, a normalised queue buffer reassigned in __init__, an
    int() pointer, einsum with a list of operands, ``logits /= T``; SGD over all parameters
    (the key encoder's have no gradients)."""
    Net = _Encoder.make(nn)

    class MoCo(nn.Module):
        def __init__(self, base_encoder, dim=128, K=65536, m=0.999, T=0.07, mlp=False):
            super(MoCo, self).__init__()
            self.K = K
            self.m = m
            self.T = T
            self.encoder_q = base_encoder(num_classes=dim)
            self.encoder_k = base_encoder(num_classes=dim)
            if mlp:
                dim_mlp = self.encoder_q.fc.weight.shape[1]
                self.encoder_q.fc = nn.Sequential(
                    nn.Linear(dim_mlp, dim_mlp), nn.ReLU(), self.encoder_q.fc
                )
                self.encoder_k.fc = nn.Sequential(
                    nn.Linear(dim_mlp, dim_mlp), nn.ReLU(), self.encoder_k.fc
                )
            for param_q, param_k in zip(self.encoder_q.parameters(), self.encoder_k.parameters()):
                param_k.data.copy_(param_q.data)
                param_k.requires_grad = False
            self.register_buffer("queue", torch.randn(dim, K))
            self.queue = nn.functional.normalize(self.queue, dim=0)
            self.register_buffer("queue_ptr", torch.zeros(1, dtype=torch.long))

        @torch.no_grad()
        def _momentum_update_key_encoder(self):
            for param_q, param_k in zip(self.encoder_q.parameters(), self.encoder_k.parameters()):
                param_k.data = param_k.data * self.m + param_q.data * (1.0 - self.m)

        @torch.no_grad()
        def _dequeue_and_enqueue(self, keys):
            batch_size = keys.shape[0]
            ptr = int(self.queue_ptr)
            assert self.K % batch_size == 0
            self.queue[:, ptr : ptr + batch_size] = keys.T
            ptr = (ptr + batch_size) % self.K
            self.queue_ptr[0] = ptr

        def forward(self, im_q, im_k):
            q = self.encoder_q(im_q)
            q = nn.functional.normalize(q, dim=1)
            with torch.no_grad():
                self._momentum_update_key_encoder()
                k = self.encoder_k(im_k)
                k = nn.functional.normalize(k, dim=1)
            l_pos = torch.einsum("nc,nc->n", [q, k]).unsqueeze(-1)
            l_neg = torch.einsum("nc,ck->nk", [q, self.queue.clone().detach()])
            logits = torch.cat([l_pos, l_neg], dim=1)
            logits /= self.T
            labels = torch.zeros(logits.shape[0], dtype=torch.long)
            self._dequeue_and_enqueue(k)
            return logits, labels

    rs = np.random.RandomState(2)
    model = MoCo(Net, dim=8, K=12, m=0.9, T=0.2, mlp=True)
    sync(model)
    criterion = nn.CrossEntropyLoss()
    optimizer = optim.SGD(model.parameters(), 0.05, momentum=0.9, weight_decay=1e-4)
    images = torch.tensor(rs.rand(4, 3, 6, 6), dtype=torch.float32)
    losses, ptrs = [], []
    for _ in range(4):
        im_q, im_k = images, torch.flip(images, dims=[2])
        output, target = model(im_q=im_q, im_k=im_k)
        loss = criterion(output, target)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
        ptrs.append(int(model.queue_ptr))
    return {
        "losses": losses,
        "ptrs": ptrs,
        "queue": _np(model.queue),
        "queue_dtype": str(model.queue.dtype).split(".")[-1],
        "ptr_dtype": str(model.queue_ptr.dtype).split(".")[-1],
        "key_fc": _np(model.encoder_k.fc[2].weight),
        "query_fc": _np(model.encoder_q.fc[2].weight),
        "key_grads": [p.grad is None for p in model.encoder_k.parameters()],
        "key_requires_grad": [p.requires_grad for p in model.encoder_k.parameters()],
        "buffers": sorted(name for name, _ in model.named_buffers()),
    }


def byol(torch: Any, nn: Any, F: Any, optim: Any, sync: Sync) -> dict:
    """lucidrains/byol-pytorch: a forward hook taking the penultimate layer, a projector
    made lazily (``projector.to(hidden)``) under a caching decorator, the target encoder a
    copy.deepcopy with requires_grad off, the EMA through ``.data`` reassignment; then the
    EMA again in place (``mul_(tau).add_(..., alpha=1 - tau)`` and ``lerp_``)."""

    def default(val, def_val):
        return def_val if val is None else val

    def flatten(t):
        return t.reshape(t.shape[0], -1)

    def singleton(cache_key):
        def inner_fn(fn):
            @wraps(fn)
            def wrapper(self, *args, **kwargs):
                instance = getattr(self, cache_key)
                if instance is not None:
                    return instance
                instance = fn(self, *args, **kwargs)
                setattr(self, cache_key, instance)
                return instance

            return wrapper

        return inner_fn

    def get_module_device(module):
        return next(module.parameters()).device

    def set_requires_grad(model, val):
        for p in model.parameters():
            p.requires_grad = val

    def loss_fn(x, y):
        x = F.normalize(x, dim=-1, p=2)
        y = F.normalize(y, dim=-1, p=2)
        return 2 - 2 * (x * y).sum(dim=-1)

    class EMA:
        def __init__(self, beta):
            super().__init__()
            self.beta = beta

        def update_average(self, old, new):
            if old is None:
                return new
            return old * self.beta + (1 - self.beta) * new

    def update_moving_average(ema_updater, ma_model, current_model):
        for current_params, ma_params in zip(current_model.parameters(), ma_model.parameters()):
            old_weight, up_weight = ma_params.data, current_params.data
            ma_params.data = ema_updater.update_average(old_weight, up_weight)

    def MLP(dim, projection_size, hidden_size=4096):
        return nn.Sequential(
            nn.Linear(dim, hidden_size),
            nn.BatchNorm1d(hidden_size),
            nn.ReLU(inplace=True),
            nn.Linear(hidden_size, projection_size),
        )

    class NetWrapper(nn.Module):
        def __init__(self, net, projection_size, projection_hidden_size, layer=-2):
            super().__init__()
            self.net = net
            self.layer = layer
            self.projector = None
            self.projection_size = projection_size
            self.projection_hidden_size = projection_hidden_size
            self.hidden = {}
            self.hook_registered = False

        def _find_layer(self):
            if type(self.layer) == str:  # noqa: E721 (as the original)
                modules = dict([*self.net.named_modules()])
                return modules.get(self.layer, None)
            elif type(self.layer) == int:  # noqa: E721
                children = [*self.net.children()]
                return children[self.layer]
            return None

        def _hook(self, _, input, output):
            device = input[0].device
            self.hidden[device] = flatten(output)

        def _register_hook(self):
            layer = self._find_layer()
            assert layer is not None, f"hidden layer ({self.layer}) not found"
            layer.register_forward_hook(self._hook)
            self.hook_registered = True

        @singleton("projector")
        def _get_projector(self, hidden):
            _, dim = hidden.shape
            projector = MLP(dim, self.projection_size, self.projection_hidden_size)
            return projector.to(hidden)

        def get_representation(self, x):
            if self.layer == -1:
                return self.net(x)
            if not self.hook_registered:
                self._register_hook()
            self.hidden.clear()
            _ = self.net(x)
            hidden = self.hidden[x.device]
            self.hidden.clear()
            assert hidden is not None, f"hidden layer {self.layer} never emitted an output"
            return hidden

        def forward(self, x, return_projection=True):
            representation = self.get_representation(x)
            if not return_projection:
                return representation
            projector = self._get_projector(representation)
            projection = projector(representation)
            return projection, representation

    class BYOL(nn.Module):
        def __init__(
            self,
            net,
            image_size,
            hidden_layer=-2,
            projection_size=256,
            projection_hidden_size=4096,
            augment_fn=None,
            augment_fn2=None,
            moving_average_decay=0.99,
            use_momentum=True,
        ):
            super().__init__()
            self.net = net
            self.augment1 = default(augment_fn, lambda x: x)
            self.augment2 = default(augment_fn2, self.augment1)
            self.online_encoder = NetWrapper(
                net, projection_size, projection_hidden_size, layer=hidden_layer
            )
            self.use_momentum = use_momentum
            self.target_encoder = None
            self.target_ema_updater = EMA(moving_average_decay)
            self.online_predictor = MLP(projection_size, projection_size, projection_hidden_size)
            device = get_module_device(net)
            self.to(device)
            self.forward(torch.randn(2, 3, image_size, image_size, device=device))

        @singleton("target_encoder")
        def _get_target_encoder(self):
            target_encoder = copy.deepcopy(self.online_encoder)
            set_requires_grad(target_encoder, False)
            return target_encoder

        def reset_moving_average(self):
            del self.target_encoder
            self.target_encoder = None

        def update_moving_average(self):
            assert self.use_momentum
            assert self.target_encoder is not None, "target encoder has not been created yet"
            update_moving_average(self.target_ema_updater, self.target_encoder, self.online_encoder)

        def forward(self, x, return_embedding=False, return_projection=True):
            assert not (self.training and x.shape[0] == 1), "batch size must be greater than 1"
            if return_embedding:
                return self.online_encoder(x, return_projection=return_projection)
            image_one, image_two = self.augment1(x), self.augment2(x)
            images = torch.cat((image_one, image_two), dim=0)
            online_projections, _ = self.online_encoder(images)
            online_predictions = self.online_predictor(online_projections)
            online_pred_one, online_pred_two = online_predictions.chunk(2, dim=0)
            with torch.no_grad():
                target_encoder = (
                    self._get_target_encoder() if self.use_momentum else self.online_encoder
                )
                target_projections, _ = target_encoder(images)
                target_projections = target_projections.detach()
                target_proj_one, target_proj_two = target_projections.chunk(2, dim=0)
            loss_one = loss_fn(online_pred_one, target_proj_two.detach())
            loss_two = loss_fn(online_pred_two, target_proj_one.detach())
            loss = loss_one + loss_two
            return loss.mean()

    class Backbone(nn.Module):
        def __init__(self):
            super().__init__()
            self.features = nn.Sequential(nn.Conv2d(3, 4, 3, padding=1), nn.ReLU())
            self.avgpool = nn.AdaptiveAvgPool2d(1)
            self.fc = nn.Linear(4, 3)

        def forward(self, x):
            return self.fc(torch.flatten(self.avgpool(self.features(x)), 1))

    rs = np.random.RandomState(3)
    learner = BYOL(
        Backbone(),
        image_size=6,
        hidden_layer="avgpool",
        projection_size=5,
        projection_hidden_size=7,
        augment_fn=lambda x: x,
        augment_fn2=lambda x: torch.flip(x, dims=[3]),
        moving_average_decay=0.9,
    )
    sync(learner)
    opt = optim.Adam(learner.parameters(), lr=3e-4)
    images = torch.tensor(rs.rand(4, 3, 6, 6), dtype=torch.float32)
    losses, first_grads = [], None
    for _ in range(3):
        loss = learner(images)
        opt.zero_grad()
        loss.backward()
        if first_grads is None:
            first_grads = [_np(p.grad) for p in learner.parameters() if p.grad is not None]
        opt.step()
        learner.update_moving_average()
        losses.append(loss.item())
    target_after_ema = _np(learner.target_encoder.net.fc.weight)

    # the same EMA written in place, as solo-learn and many BYOL forks do
    tau = 0.8
    with torch.no_grad():
        for op, tp in zip(learner.online_encoder.parameters(), learner.target_encoder.parameters()):
            tp.data.mul_(tau).add_(op.data, alpha=1 - tau)
    target_inplace = _np(learner.target_encoder.net.fc.weight)
    for op, tp in zip(learner.online_encoder.parameters(), learner.target_encoder.parameters()):
        tp.data.lerp_(op.data, 1 - tau)
    target_lerp = _np(learner.target_encoder.net.fc.weight)
    with torch.no_grad():
        for op, tp in zip(learner.online_encoder.parameters(), learner.target_encoder.parameters()):
            tp.lerp_(op, 1 - tau)
    target_lerp_tensor = _np(learner.target_encoder.net.fc.weight)
    embedding, _ = learner(images, return_embedding=True)
    return {
        "losses": losses,
        "first_grads": first_grads,
        "online_fc": _np(learner.online_encoder.net.fc.weight),
        "target_after_ema": target_after_ema,
        "target_inplace": target_inplace,
        "target_lerp": target_lerp,
        "target_lerp_tensor": target_lerp_tensor,
        "target_requires_grad": [p.requires_grad for p in learner.target_encoder.parameters()],
        "target_is_copy": learner.target_encoder.net is not learner.online_encoder.net,
        "embedding": _np(embedding),
        "projector_type": type(learner.online_encoder.projector).__name__,
    }


def dino(torch: Any, nn: Any, F: Any, optim: Any, sync: Sync) -> dict:
    """facebookresearch/dino: DINOLoss (a centre buffer reassigned under no_grad, a numpy
    temperature schedule indexed per epoch, chunks of teacher and student crops), DINOHead
    (weight_norm'd last layer with weight_g frozen, trunc_normal_ init), its parameter groups
    without weight decay for biases and norms, clip_gradients through ``p.grad.data``,
    cancel_gradients_last_layer, numpy cosine schedules written into param_groups, and the
    teacher's EMA ``param_k.data.mul_(m).add_((1 - m) * param_q.detach().data)``."""

    class DINOLoss(nn.Module):
        def __init__(
            self,
            out_dim,
            ncrops,
            warmup_teacher_temp,
            teacher_temp,
            warmup_teacher_temp_epochs,
            nepochs,
            student_temp=0.1,
            center_momentum=0.9,
        ):
            super().__init__()
            self.student_temp = student_temp
            self.center_momentum = center_momentum
            self.ncrops = ncrops
            self.register_buffer("center", torch.zeros(1, out_dim))
            self.teacher_temp_schedule = np.concatenate(
                (
                    np.linspace(warmup_teacher_temp, teacher_temp, warmup_teacher_temp_epochs),
                    np.ones(nepochs - warmup_teacher_temp_epochs) * teacher_temp,
                )
            )

        def forward(self, student_output, teacher_output, epoch):
            student_out = student_output / self.student_temp
            student_out = student_out.chunk(self.ncrops)
            temp = self.teacher_temp_schedule[epoch]
            teacher_out = F.softmax((teacher_output - self.center) / temp, dim=-1)
            teacher_out = teacher_out.detach().chunk(2)
            total_loss = 0
            n_loss_terms = 0
            for iq, q in enumerate(teacher_out):
                for v in range(len(student_out)):
                    if v == iq:
                        continue
                    loss = torch.sum(-q * F.log_softmax(student_out[v], dim=-1), dim=-1)
                    total_loss += loss.mean()
                    n_loss_terms += 1
            total_loss /= n_loss_terms
            self.update_center(teacher_output)
            return total_loss

        @torch.no_grad()
        def update_center(self, teacher_output):
            batch_center = torch.sum(teacher_output, dim=0, keepdim=True)
            batch_center = batch_center / (len(teacher_output) * 1)
            self.center = self.center * self.center_momentum + batch_center * (
                1 - self.center_momentum
            )

    class DINOHead(nn.Module):
        def __init__(
            self,
            in_dim,
            out_dim,
            use_bn=False,
            norm_last_layer=True,
            nlayers=3,
            hidden_dim=2048,
            bottleneck_dim=256,
        ):
            super().__init__()
            nlayers = max(nlayers, 1)
            if nlayers == 1:
                self.mlp = nn.Linear(in_dim, bottleneck_dim)
            else:
                layers = [nn.Linear(in_dim, hidden_dim)]
                if use_bn:
                    layers.append(nn.BatchNorm1d(hidden_dim))
                layers.append(nn.GELU())
                for _ in range(nlayers - 2):
                    layers.append(nn.Linear(hidden_dim, hidden_dim))
                    if use_bn:
                        layers.append(nn.BatchNorm1d(hidden_dim))
                    layers.append(nn.GELU())
                layers.append(nn.Linear(hidden_dim, bottleneck_dim))
                self.mlp = nn.Sequential(*layers)
            self.apply(self._init_weights)
            self.last_layer = nn.utils.weight_norm(nn.Linear(bottleneck_dim, out_dim, bias=False))
            self.last_layer.weight_g.data.fill_(1)
            if norm_last_layer:
                self.last_layer.weight_g.requires_grad = False

        def _init_weights(self, m):
            if isinstance(m, nn.Linear):
                nn.init.trunc_normal_(m.weight, std=0.02)
                if isinstance(m, nn.Linear) and m.bias is not None:
                    nn.init.constant_(m.bias, 0)

        def forward(self, x):
            x = self.mlp(x)
            x = nn.functional.normalize(x, dim=-1, p=2)
            x = self.last_layer(x)
            return x

    class MultiCropWrapper(nn.Module):
        def __init__(self, backbone, head):
            super(MultiCropWrapper, self).__init__()
            backbone.fc, backbone.head = nn.Identity(), nn.Identity()
            self.backbone = backbone
            self.head = head

        def forward(self, x):
            if not isinstance(x, list):
                x = [x]
            idx_crops = torch.cumsum(
                torch.unique_consecutive(
                    torch.tensor([inp.shape[-1] for inp in x]),
                    return_counts=True,
                )[1],
                0,
            )
            start_idx, output = 0, torch.empty(0).to(x[0].device)
            for end_idx in idx_crops:
                _out = self.backbone(torch.cat(x[start_idx:end_idx]))
                if isinstance(_out, tuple):
                    _out = _out[0]
                output = torch.cat((output, _out))
                start_idx = end_idx
            return self.head(output)

    def get_params_groups(model):
        regularized = []
        not_regularized = []
        for name, param in model.named_parameters():
            if not param.requires_grad:
                continue
            if name.endswith(".bias") or len(param.shape) == 1:
                not_regularized.append(param)
            else:
                regularized.append(param)
        return [{"params": regularized}, {"params": not_regularized, "weight_decay": 0.0}]

    def clip_gradients(model, clip):
        norms = []
        for name, p in model.named_parameters():
            if p.grad is not None:
                param_norm = p.grad.data.norm(2)
                norms.append(param_norm.item())
                clip_coef = clip / (param_norm + 1e-6)
                if clip_coef < 1:
                    p.grad.data.mul_(clip_coef)
        return norms

    def cancel_gradients_last_layer(epoch, model, freeze_last_layer):
        if epoch >= freeze_last_layer:
            return
        for n, p in model.named_parameters():
            if "last_layer" in n:
                p.grad = None

    def cosine_scheduler(
        base_value, final_value, epochs, niter_per_ep, warmup_epochs=0, start_warmup_value=0
    ):
        warmup_schedule = np.array([])
        warmup_iters = warmup_epochs * niter_per_ep
        if warmup_epochs > 0:
            warmup_schedule = np.linspace(start_warmup_value, base_value, warmup_iters)
        iters = np.arange(epochs * niter_per_ep - warmup_iters)
        schedule = final_value + 0.5 * (base_value - final_value) * (
            1 + np.cos(np.pi * iters / len(iters))
        )
        schedule = np.concatenate((warmup_schedule, schedule))
        assert len(schedule) == epochs * niter_per_ep
        return schedule

    class Backbone(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(3, 4, 3, padding=1)
            self.pool = nn.AdaptiveAvgPool2d(1)
            self.fc = nn.Linear(4, 10)

        def forward(self, x):
            return self.fc(self.pool(F.relu(self.conv(x))).flatten(1))

    rs = np.random.RandomState(4)
    out_dim, epochs, niter = 6, 2, 2
    student = MultiCropWrapper(
        Backbone(), DINOHead(4, out_dim, hidden_dim=8, bottleneck_dim=5, norm_last_layer=True)
    )
    teacher = MultiCropWrapper(Backbone(), DINOHead(4, out_dim, hidden_dim=8, bottleneck_dim=5))
    teacher.load_state_dict(student.state_dict())
    for p in teacher.parameters():
        p.requires_grad = False
    sync(student)
    sync(teacher)
    dino_loss = DINOLoss(out_dim, 4, 0.04, 0.07, 1, epochs)
    optimizer = optim.AdamW(get_params_groups(student))
    lr_schedule = cosine_scheduler(5e-3, 1e-4, epochs, niter, warmup_epochs=1)
    wd_schedule = cosine_scheduler(0.04, 0.4, epochs, niter)
    momentum_schedule = cosine_scheduler(0.9, 1, epochs, niter)
    globals_ = torch.tensor(rs.rand(2, 2, 3, 6, 6), dtype=torch.float32)
    locals_ = torch.tensor(rs.rand(2, 2, 3, 4, 4), dtype=torch.float32)
    losses, norms, lrs = [], [], []
    for epoch in range(epochs):
        for it_in_epoch in range(niter):
            it = niter * epoch + it_in_epoch
            for i, param_group in enumerate(optimizer.param_groups):
                param_group["lr"] = lr_schedule[it]
                if i == 0:
                    param_group["weight_decay"] = wd_schedule[it]
            images = [globals_[0], globals_[1], locals_[0], locals_[1]]
            teacher_output = teacher(images[:2])
            student_output = student(images)
            loss = dino_loss(student_output, teacher_output, epoch)
            optimizer.zero_grad()
            loss.backward()
            norms.append(clip_gradients(student, 0.05))
            cancel_gradients_last_layer(epoch, student, 1)
            optimizer.step()
            with torch.no_grad():
                m = momentum_schedule[it]
                for param_q, param_k in zip(student.parameters(), teacher.parameters()):
                    param_k.data.mul_(m).add_((1 - m) * param_q.detach().data)
            losses.append(loss.item())
            lrs.append(optimizer.param_groups[0]["lr"])
    return {
        "losses": losses,
        "norms": norms,
        "center": _np(dino_loss.center),
        "center_dtype": str(dino_loss.center.dtype).split(".")[-1],
        "teacher_v": _np(teacher.head.last_layer.weight_v),
        "student_v": _np(student.head.last_layer.weight_v),
        "weight_g": _np(student.head.last_layer.weight_g),
        "groups": [len(g["params"]) for g in optimizer.param_groups],
        "lrs": lrs,
        "buffers": sorted(name for name, _ in dino_loss.named_buffers()),
    }


def swav(torch: Any, nn: Any, F: Any, optim: Any, sync: Sync) -> dict:
    """facebookresearch/swav (one process): prototypes renormalised through
    ``weight.data.clone()`` and ``copy_`` under no_grad, the Sinkhorn-Knopp codes with
    in-place divisions, a feature queue shifted with ``queue[i, bs:] = queue[i, :-bs].clone()``,
    crops indexed by numpy ints from ``np.delete``, prototypes' gradients dropped while
    frozen."""
    epsilon, sinkhorn_iterations, temperature = 0.05, 3, 0.1
    nmb_crops, crops_for_assign, freeze_prototypes_niters = [2, 2], [0, 1], 1

    @torch.no_grad()
    def distributed_sinkhorn(out):
        Q = torch.exp(out / epsilon).t()
        B = Q.shape[1] * 1
        K = Q.shape[0]
        sum_Q = torch.sum(Q)
        Q /= sum_Q
        for it in range(sinkhorn_iterations):
            sum_of_rows = torch.sum(Q, dim=1, keepdim=True)
            Q /= sum_of_rows
            Q /= K
            Q /= torch.sum(Q, dim=0, keepdim=True)
            Q /= B
        Q *= B
        return Q.t()

    class SwAVNet(nn.Module):
        def __init__(self, output_dim=4, nmb_prototypes=5):
            super().__init__()
            self.conv = nn.Conv2d(3, 6, 3, padding=1)
            self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
            self.projection_head = nn.Sequential(
                nn.Linear(6, 8), nn.BatchNorm1d(8), nn.ReLU(inplace=True), nn.Linear(8, output_dim)
            )
            self.l2norm = True
            self.prototypes = nn.Linear(output_dim, nmb_prototypes, bias=False)

        def forward_head(self, x):
            x = self.projection_head(x)
            if self.l2norm:
                x = nn.functional.normalize(x, dim=1, p=2)
            return x, self.prototypes(x)

        def forward(self, inputs):
            if not isinstance(inputs, list):
                inputs = [inputs]
            x = torch.cat(inputs)
            x = torch.flatten(self.avgpool(F.relu(self.conv(x))), 1)
            return self.forward_head(x)

    rs = np.random.RandomState(8)
    model = SwAVNet()
    sync(model)
    optimizer = optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=1e-6)
    queue = torch.zeros(len(crops_for_assign), 8, 4)
    use_the_queue = False
    crops = [torch.tensor(rs.rand(4, 3, 6, 6), dtype=torch.float32) for _ in range(4)]
    losses, codes = [], []
    for iteration in range(3):
        with torch.no_grad():
            w = model.prototypes.weight.data.clone()
            w = nn.functional.normalize(w, dim=1, p=2)
            model.prototypes.weight.copy_(w)
        embedding, output = model(crops)
        embedding = embedding.detach()
        bs = crops[0].size(0)
        loss = 0
        for i, crop_id in enumerate(crops_for_assign):
            with torch.no_grad():
                out = output[bs * crop_id : bs * (crop_id + 1)].detach()
                if queue is not None:
                    if use_the_queue or not torch.all(queue[i, -1, :] == 0):
                        use_the_queue = True
                        out = torch.cat((torch.mm(queue[i], model.prototypes.weight.t()), out))
                    queue[i, bs:] = queue[i, :-bs].clone()
                    queue[i, :bs] = embedding[crop_id * bs : (crop_id + 1) * bs]
                q = distributed_sinkhorn(out)[-bs:]
                codes.append(q.numpy().copy())
            subloss = 0
            for v in np.delete(np.arange(np.sum(nmb_crops)), crop_id):
                x = output[bs * v : bs * (v + 1)] / temperature
                subloss -= torch.mean(torch.sum(q * F.log_softmax(x, dim=1), dim=1))
            loss += subloss / (np.sum(nmb_crops) - 1)
        loss /= len(crops_for_assign)
        optimizer.zero_grad()
        loss.backward()
        if iteration < freeze_prototypes_niters:
            for name, p in model.named_parameters():
                if "prototypes" in name:
                    p.grad = None
        optimizer.step()
        losses.append(loss.item())
    return {
        "losses": losses,
        "loss_dtype": str(loss.dtype).split(".")[-1],
        "codes": codes,
        "queue": _np(queue),
        "use_the_queue": use_the_queue,
        "prototypes": _np(model.prototypes.weight),
    }


def barlow_twins(torch: Any, nn: Any, F: Any, optim: Any, sync: Sync) -> dict:
    """facebookresearch/barlowtwins: an affine-free BatchNorm1d on the projections, the
    cross-correlation divided in place, torch.diagonal(c).add_(-1).pow_(2), off_diagonal
    through flatten/view, a backbone whose fc is nn.Identity, and the LARS optimizer with
    its two parameter groups and the learning rate written into param_groups."""

    def off_diagonal(x):
        n, m = x.shape
        assert n == m
        return x.flatten()[:-1].view(n - 1, n + 1)[:, 1:].flatten()

    class Backbone(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(3, 6, 3, padding=1, bias=False)
            self.bn1 = nn.BatchNorm2d(6)
            self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
            self.fc = nn.Linear(6, 1000)

        def forward(self, x):
            x = self.avgpool(F.relu(self.bn1(self.conv(x))))
            return self.fc(torch.flatten(x, 1))

    class BarlowTwins(nn.Module):
        def __init__(self, args):
            super().__init__()
            self.args = args
            self.backbone = Backbone()
            self.backbone.fc = nn.Identity()
            sizes = [6] + list(map(int, args["projector"].split("-")))
            layers = []
            for i in range(len(sizes) - 2):
                layers.append(nn.Linear(sizes[i], sizes[i + 1], bias=False))
                layers.append(nn.BatchNorm1d(sizes[i + 1]))
                layers.append(nn.ReLU(inplace=True))
            layers.append(nn.Linear(sizes[-2], sizes[-1], bias=False))
            self.projector = nn.Sequential(*layers)
            self.bn = nn.BatchNorm1d(sizes[-1], affine=False)

        def forward(self, y1, y2):
            z1 = self.projector(self.backbone(y1))
            z2 = self.projector(self.backbone(y2))
            c = self.bn(z1).T @ self.bn(z2)
            c.div_(self.args["batch_size"])
            on_diag = torch.diagonal(c).add_(-1).pow_(2).sum()
            off_diag = off_diagonal(c).pow_(2).sum()
            loss = on_diag + self.args["lambd"] * off_diag
            return loss

    class LARS(optim.Optimizer):
        def __init__(
            self,
            params,
            lr,
            weight_decay=0,
            momentum=0.9,
            eta=0.001,
            weight_decay_filter=False,
            lars_adaptation_filter=False,
        ):
            defaults = dict(
                lr=lr,
                weight_decay=weight_decay,
                momentum=momentum,
                eta=eta,
                weight_decay_filter=weight_decay_filter,
                lars_adaptation_filter=lars_adaptation_filter,
            )
            super().__init__(params, defaults)

        def exclude_bias_and_norm(self, p):
            return p.ndim == 1

        @torch.no_grad()
        def step(self):
            for g in self.param_groups:
                for p in g["params"]:
                    dp = p.grad
                    if dp is None:
                        continue
                    if not g["weight_decay_filter"] or not self.exclude_bias_and_norm(p):
                        dp = dp.add(p, alpha=g["weight_decay"])
                    if not g["lars_adaptation_filter"] or not self.exclude_bias_and_norm(p):
                        param_norm = torch.norm(p)
                        update_norm = torch.norm(dp)
                        one = torch.ones_like(param_norm)
                        q = torch.where(
                            param_norm > 0.0,
                            torch.where(
                                update_norm > 0, (g["eta"] * param_norm / update_norm), one
                            ),
                            one,
                        )
                        dp = dp.mul(q)
                    param_state = self.state[p]
                    if "mu" not in param_state:
                        param_state["mu"] = torch.zeros_like(p)
                    mu = param_state["mu"]
                    mu.mul_(g["momentum"]).add_(dp)
                    p.add_(mu, alpha=-g["lr"])

    args = {"projector": "8-8-5", "batch_size": 4, "lambd": 0.0051}
    rs = np.random.RandomState(5)
    model = BarlowTwins(args)
    sync(model)
    param_weights = []
    param_biases = []
    for param in model.parameters():
        if param.ndim == 1:
            param_biases.append(param)
        else:
            param_weights.append(param)
    parameters = [{"params": param_weights}, {"params": param_biases}]
    optimizer = LARS(
        parameters,
        lr=0,
        weight_decay=1e-6,
        weight_decay_filter=True,
        lars_adaptation_filter=True,
    )
    scaler = torch.cuda.amp.GradScaler(enabled=False)
    y = torch.tensor(rs.rand(4, 3, 6, 6), dtype=torch.float32)
    losses = []
    for step in range(3):
        noise = torch.tensor(rs.rand(4, 3, 6, 6), dtype=torch.float32)
        y1, y2 = y, torch.flip(y, dims=[3]) + 0.1 * noise
        optimizer.param_groups[0]["lr"] = 0.2 * (step + 1) / 3
        optimizer.param_groups[1]["lr"] = 0.0048 * (step + 1) / 3
        optimizer.zero_grad()
        with torch.cuda.amp.autocast(enabled=False):
            loss = model.forward(y1, y2)
        scaler.scale(loss).backward()
        scaler.step(optimizer)
        scaler.update()
        losses.append(loss.item())
    c = torch.tensor(rs.randn(5, 5), dtype=torch.float32)
    return {
        "losses": losses,
        "off_diagonal": _np(off_diagonal(c)),
        "projector_w": _np(model.projector[0].weight),
        "bn_affine": model.bn.weight is None and model.bn.bias is None,
        "bn_running_mean": _np(model.bn.running_mean),
        "mu": _np(optimizer.state[model.projector[0].weight]["mu"]),
        "groups": [len(g["params"]) for g in optimizer.param_groups],
    }


def simsiam_vicreg_clip(torch: Any, nn: Any, F: Any, optim: Any, sync: Sync) -> dict:
    """facebookresearch/simsiam (a frozen bias by ``fc[6].bias.requires_grad = False``,
    BatchNorm1d(affine=False), a custom ``fix_lr`` key in the param groups read back by the
    learning-rate schedule, negative cosine similarity with detached targets),
    facebookresearch/vicreg's loss (variance, invariance, covariance with ``.div``) and the
    CLIP contrastive loss (a 0-d ``logit_scale`` Parameter from ``torch.ones([]) *
    np.log(1 / 0.07)``, clamped through ``.data.clamp_``)."""

    class SimSiam(nn.Module):
        def __init__(self, dim=6, pred_dim=3):
            super().__init__()
            self.encoder = nn.Sequential(nn.Conv2d(3, 4, 3), nn.AdaptiveAvgPool2d(1), nn.Flatten())
            self.encoder.fc = nn.Linear(4, dim)
            prev_dim = self.encoder.fc.weight.shape[1]
            self.encoder.fc = nn.Sequential(
                nn.Linear(prev_dim, prev_dim, bias=False),
                nn.BatchNorm1d(prev_dim),
                nn.ReLU(inplace=True),
                nn.Linear(prev_dim, prev_dim, bias=False),
                nn.BatchNorm1d(prev_dim),
                nn.ReLU(inplace=True),
                self.encoder.fc,
                nn.BatchNorm1d(dim, affine=False),
            )
            self.encoder.fc[6].bias.requires_grad = False
            self.predictor = nn.Sequential(
                nn.Linear(dim, pred_dim, bias=False),
                nn.BatchNorm1d(pred_dim),
                nn.ReLU(inplace=True),
                nn.Linear(pred_dim, dim),
            )

        def forward(self, x1, x2):
            z1 = self.encoder(x1)  # (fc is the Sequential's last module, as a resnet's)
            z2 = self.encoder(x2)
            p1 = self.predictor(z1)
            p2 = self.predictor(z2)
            return p1, p2, z1.detach(), z2.detach()

    def adjust_learning_rate(optimizer, init_lr, epoch, epochs):
        cur_lr = init_lr * 0.5 * (1.0 + math.cos(math.pi * epoch / epochs))
        for param_group in optimizer.param_groups:
            if "fix_lr" in param_group and param_group["fix_lr"]:
                param_group["lr"] = init_lr
            else:
                param_group["lr"] = cur_lr

    rs = np.random.RandomState(10)
    model = SimSiam()
    sync(model)
    criterion = nn.CosineSimilarity(dim=1)
    optim_params = [
        {"params": model.encoder.parameters(), "fix_lr": False},
        {"params": model.predictor.parameters(), "fix_lr": True},
    ]
    optimizer = optim.SGD(optim_params, 0.05, momentum=0.9, weight_decay=1e-4)
    images = torch.tensor(rs.rand(4, 3, 5, 5), dtype=torch.float32)
    losses, lrs = [], []
    for epoch in range(3):
        adjust_learning_rate(optimizer, 0.05, epoch, 3)
        p1, p2, z1, z2 = model(x1=images, x2=torch.flip(images, dims=[2]))
        loss = -(criterion(p1, z2).mean() + criterion(p2, z1).mean()) * 0.5
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
        lrs.append([g["lr"] for g in optimizer.param_groups])
    frozen_bias = _np(model.encoder.fc[6].bias)

    def off_diagonal(x):
        n, m = x.shape
        assert n == m
        return x.flatten()[:-1].view(n - 1, n + 1)[:, 1:].flatten()

    def vicreg_loss(x, y, batch_size, num_features):
        repr_loss = F.mse_loss(x, y)
        x = x - x.mean(dim=0)
        y = y - y.mean(dim=0)
        std_x = torch.sqrt(x.var(dim=0) + 0.0001)
        std_y = torch.sqrt(y.var(dim=0) + 0.0001)
        std_loss = torch.mean(F.relu(1 - std_x)) / 2 + torch.mean(F.relu(1 - std_y)) / 2
        cov_x = (x.T @ x) / (batch_size - 1)
        cov_y = (y.T @ y) / (batch_size - 1)
        cov_loss = off_diagonal(cov_x).pow_(2).sum().div(num_features) + off_diagonal(cov_y).pow_(
            2
        ).sum().div(num_features)
        return 25.0 * repr_loss + 25.0 * std_loss + 1.0 * cov_loss

    vx = torch.tensor(rs.randn(6, 4), dtype=torch.float32, requires_grad=True)
    vy = torch.tensor(rs.randn(6, 4), dtype=torch.float32, requires_grad=True)
    vic = vicreg_loss(vx, vy, 6, 4)
    vic.backward()

    class CLIPHead(nn.Module):
        def __init__(self):
            super().__init__()
            self.visual = nn.Linear(5, 4)
            self.text = nn.Linear(3, 4)
            self.logit_scale = nn.Parameter(torch.ones([]) * np.log(1 / 0.07))

        def forward(self, image, text):
            image_features = self.visual(image)
            text_features = self.text(text)
            image_features = image_features / image_features.norm(dim=1, keepdim=True)
            text_features = text_features / text_features.norm(dim=1, keepdim=True)
            logit_scale = self.logit_scale.exp()
            logits_per_image = logit_scale * image_features @ text_features.t()
            logits_per_text = logits_per_image.t()
            return logits_per_image, logits_per_text

    clip = CLIPHead()
    sync(clip)
    copt = optim.AdamW(clip.parameters(), lr=0.5, betas=(0.9, 0.98), eps=1e-6, weight_decay=0.2)
    image = torch.tensor(rs.randn(4, 5), dtype=torch.float32)
    text = torch.tensor(rs.randn(4, 3), dtype=torch.float32)
    clip_losses, scales = [], []
    for _ in range(3):
        logits_per_image, logits_per_text = clip(image, text)
        ground_truth = torch.arange(len(image), dtype=torch.long)
        total_loss = (
            F.cross_entropy(logits_per_image, ground_truth)
            + F.cross_entropy(logits_per_text, ground_truth)
        ) / 2
        copt.zero_grad()
        total_loss.backward()
        copt.step()
        clip.logit_scale.data.clamp_(0, 4.6052)
        clip_losses.append(total_loss.item())
        scales.append(clip.logit_scale.item())
    return {
        "losses": losses,
        "lrs": lrs,
        "frozen_bias": frozen_bias,
        "frozen_grad_none": model.encoder.fc[6].bias.grad is None,
        "vicreg": vic.item(),
        "vicreg_grad": _np(vx.grad),
        "clip_losses": clip_losses,
        "scales": scales,
        "scale_shape": tuple(clip.logit_scale.shape),
        "scale_dtype": str(clip.logit_scale.dtype).split(".")[-1],
    }


def mae(torch: Any, nn: Any, F: Any, optim: Any, sync: Sync) -> dict:
    """facebookresearch/mae's MaskedAutoencoderViT, shrunk: random masking by argsort of
    noise and gathers, mask tokens repeated and unshuffled, the numpy 2-d sin-cos positional
    embedding copied into frozen Parameters through ``.data.copy_``, xavier_uniform_ on a
    ``.data.view([...])`` of the patch projection, patchify with ``reshape(shape=...)`` and
    einsum, the masked (norm_pix) loss, AdamW with betas (0.9, 0.95)."""

    def get_1d_sincos_pos_embed_from_grid(embed_dim, pos):
        assert embed_dim % 2 == 0
        omega = np.arange(embed_dim // 2, dtype=np.float64)
        omega /= embed_dim / 2.0
        omega = 1.0 / 10000**omega
        pos = pos.reshape(-1)
        out = np.einsum("m,d->md", pos, omega)
        return np.concatenate([np.sin(out), np.cos(out)], axis=1)

    def get_2d_sincos_pos_embed_from_grid(embed_dim, grid):
        emb_h = get_1d_sincos_pos_embed_from_grid(embed_dim // 2, grid[0])
        emb_w = get_1d_sincos_pos_embed_from_grid(embed_dim // 2, grid[1])
        return np.concatenate([emb_h, emb_w], axis=1)

    def get_2d_sincos_pos_embed(embed_dim, grid_size, cls_token=False):
        grid_h = np.arange(grid_size, dtype=np.float32)
        grid_w = np.arange(grid_size, dtype=np.float32)
        grid = np.meshgrid(grid_w, grid_h)
        grid = np.stack(grid, axis=0)
        grid = grid.reshape([2, 1, grid_size, grid_size])
        pos_embed = get_2d_sincos_pos_embed_from_grid(embed_dim, grid)
        if cls_token:
            pos_embed = np.concatenate([np.zeros([1, embed_dim]), pos_embed], axis=0)
        return pos_embed

    class PatchEmbed(nn.Module):
        def __init__(self, img_size=8, patch_size=4, in_chans=3, embed_dim=8):
            super().__init__()
            self.patch_size = (patch_size, patch_size)
            self.num_patches = (img_size // patch_size) ** 2
            self.proj = nn.Conv2d(in_chans, embed_dim, kernel_size=patch_size, stride=patch_size)

        def forward(self, x):
            return self.proj(x).flatten(2).transpose(1, 2)

    class Attention(nn.Module):
        def __init__(self, dim, num_heads=2, qkv_bias=True):
            super().__init__()
            self.num_heads = num_heads
            self.scale = (dim // num_heads) ** -0.5
            self.qkv = nn.Linear(dim, dim * 3, bias=qkv_bias)
            self.proj = nn.Linear(dim, dim)

        def forward(self, x):
            B, N, C = x.shape
            qkv = self.qkv(x).reshape(B, N, 3, self.num_heads, C // self.num_heads)
            q, k, v = qkv.permute(2, 0, 3, 1, 4).unbind(0)
            attn = (q @ k.transpose(-2, -1)) * self.scale
            attn = attn.softmax(dim=-1)
            x = (attn @ v).transpose(1, 2).reshape(B, N, C)
            return self.proj(x)

    class Block(nn.Module):
        def __init__(self, dim, num_heads, mlp_ratio=2.0, qkv_bias=True, norm_layer=None):
            super().__init__()
            self.norm1 = norm_layer(dim)
            self.attn = Attention(dim, num_heads=num_heads, qkv_bias=qkv_bias)
            self.norm2 = norm_layer(dim)
            hidden = int(dim * mlp_ratio)
            self.mlp = nn.Sequential(nn.Linear(dim, hidden), nn.GELU(), nn.Linear(hidden, dim))

        def forward(self, x):
            x = x + self.attn(self.norm1(x))
            return x + self.mlp(self.norm2(x))

    class MaskedAutoencoderViT(nn.Module):
        def __init__(
            self,
            img_size=8,
            patch_size=4,
            in_chans=3,
            embed_dim=8,
            depth=1,
            num_heads=2,
            decoder_embed_dim=8,
            decoder_depth=1,
            decoder_num_heads=2,
            mlp_ratio=2.0,
            norm_layer=nn.LayerNorm,
            norm_pix_loss=False,
        ):
            super().__init__()
            self.patch_embed = PatchEmbed(img_size, patch_size, in_chans, embed_dim)
            num_patches = self.patch_embed.num_patches
            self.cls_token = nn.Parameter(torch.zeros(1, 1, embed_dim))
            self.pos_embed = nn.Parameter(
                torch.zeros(1, num_patches + 1, embed_dim), requires_grad=False
            )
            self.blocks = nn.ModuleList(
                [
                    Block(embed_dim, num_heads, mlp_ratio, qkv_bias=True, norm_layer=norm_layer)
                    for i in range(depth)
                ]
            )
            self.norm = norm_layer(embed_dim)
            self.decoder_embed = nn.Linear(embed_dim, decoder_embed_dim, bias=True)
            self.mask_token = nn.Parameter(torch.zeros(1, 1, decoder_embed_dim))
            self.decoder_pos_embed = nn.Parameter(
                torch.zeros(1, num_patches + 1, decoder_embed_dim), requires_grad=False
            )
            self.decoder_blocks = nn.ModuleList(
                [
                    Block(decoder_embed_dim, decoder_num_heads, mlp_ratio, norm_layer=norm_layer)
                    for i in range(decoder_depth)
                ]
            )
            self.decoder_norm = norm_layer(decoder_embed_dim)
            self.decoder_pred = nn.Linear(decoder_embed_dim, patch_size**2 * in_chans, bias=True)
            self.norm_pix_loss = norm_pix_loss
            self.initialize_weights()

        def initialize_weights(self):
            pos_embed = get_2d_sincos_pos_embed(
                self.pos_embed.shape[-1], int(self.patch_embed.num_patches**0.5), cls_token=True
            )
            self.pos_embed.data.copy_(torch.from_numpy(pos_embed).float().unsqueeze(0))
            decoder_pos_embed = get_2d_sincos_pos_embed(
                self.decoder_pos_embed.shape[-1],
                int(self.patch_embed.num_patches**0.5),
                cls_token=True,
            )
            self.decoder_pos_embed.data.copy_(
                torch.from_numpy(decoder_pos_embed).float().unsqueeze(0)
            )
            w = self.patch_embed.proj.weight.data
            nn.init.xavier_uniform_(w.view([w.shape[0], -1]))
            nn.init.normal_(self.cls_token, std=0.02)
            nn.init.normal_(self.mask_token, std=0.02)
            self.apply(self._init_weights)

        def _init_weights(self, m):
            if isinstance(m, nn.Linear):
                nn.init.xavier_uniform_(m.weight)
                if isinstance(m, nn.Linear) and m.bias is not None:
                    nn.init.constant_(m.bias, 0)
            elif isinstance(m, nn.LayerNorm):
                nn.init.constant_(m.bias, 0)
                nn.init.constant_(m.weight, 1.0)

        def patchify(self, imgs):
            p = self.patch_embed.patch_size[0]
            assert imgs.shape[2] == imgs.shape[3] and imgs.shape[2] % p == 0
            h = w = imgs.shape[2] // p
            x = imgs.reshape(shape=(imgs.shape[0], 3, h, p, w, p))
            x = torch.einsum("nchpwq->nhwpqc", x)
            x = x.reshape(shape=(imgs.shape[0], h * w, p**2 * 3))
            return x

        def unpatchify(self, x):
            p = self.patch_embed.patch_size[0]
            h = w = int(x.shape[1] ** 0.5)
            assert h * w == x.shape[1]
            x = x.reshape(shape=(x.shape[0], h, w, p, p, 3))
            x = torch.einsum("nhwpqc->nchpwq", x)
            imgs = x.reshape(shape=(x.shape[0], 3, h * p, h * p))
            return imgs

        def random_masking(self, x, mask_ratio):
            N, L, D = x.shape
            len_keep = int(L * (1 - mask_ratio))
            noise = torch.rand(N, L, device=x.device)
            sync([noise])
            ids_shuffle = torch.argsort(noise, dim=1)
            ids_restore = torch.argsort(ids_shuffle, dim=1)
            ids_keep = ids_shuffle[:, :len_keep]
            x_masked = torch.gather(x, dim=1, index=ids_keep.unsqueeze(-1).repeat(1, 1, D))
            mask = torch.ones([N, L], device=x.device)
            mask[:, :len_keep] = 0
            mask = torch.gather(mask, dim=1, index=ids_restore)
            return x_masked, mask, ids_restore

        def forward_encoder(self, x, mask_ratio):
            x = self.patch_embed(x)
            x = x + self.pos_embed[:, 1:, :]
            x, mask, ids_restore = self.random_masking(x, mask_ratio)
            cls_token = self.cls_token + self.pos_embed[:, :1, :]
            cls_tokens = cls_token.expand(x.shape[0], -1, -1)
            x = torch.cat((cls_tokens, x), dim=1)
            for blk in self.blocks:
                x = blk(x)
            x = self.norm(x)
            return x, mask, ids_restore

        def forward_decoder(self, x, ids_restore):
            x = self.decoder_embed(x)
            mask_tokens = self.mask_token.repeat(
                x.shape[0], ids_restore.shape[1] + 1 - x.shape[1], 1
            )
            x_ = torch.cat([x[:, 1:, :], mask_tokens], dim=1)
            x_ = torch.gather(x_, dim=1, index=ids_restore.unsqueeze(-1).repeat(1, 1, x.shape[2]))
            x = torch.cat([x[:, :1, :], x_], dim=1)
            x = x + self.decoder_pos_embed
            for blk in self.decoder_blocks:
                x = blk(x)
            x = self.decoder_norm(x)
            x = self.decoder_pred(x)
            x = x[:, 1:, :]
            return x

        def forward_loss(self, imgs, pred, mask):
            target = self.patchify(imgs)
            if self.norm_pix_loss:
                mean = target.mean(dim=-1, keepdim=True)
                var = target.var(dim=-1, keepdim=True)
                target = (target - mean) / (var + 1.0e-6) ** 0.5
            loss = (pred - target) ** 2
            loss = loss.mean(dim=-1)
            loss = (loss * mask).sum() / mask.sum()
            return loss

        def forward(self, imgs, mask_ratio=0.75):
            latent, mask, ids_restore = self.forward_encoder(imgs, mask_ratio)
            pred = self.forward_decoder(latent, ids_restore)
            loss = self.forward_loss(imgs, pred, mask)
            return loss, pred, mask

    rs = np.random.RandomState(6)
    model = MaskedAutoencoderViT(norm_pix_loss=True)
    pos_embed = _np(model.pos_embed)
    patch_w = _np(model.patch_embed.proj.weight)
    frozen = [model.pos_embed.requires_grad, model.decoder_pos_embed.requires_grad]
    sync(model)
    optimizer = optim.AdamW(model.parameters(), lr=1e-3, betas=(0.9, 0.95), weight_decay=0.05)
    imgs = torch.tensor(rs.rand(2, 3, 8, 8), dtype=torch.float32)
    losses, masks = [], []
    for _ in range(3):
        loss, pred, mask = model(imgs, mask_ratio=0.5)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
        masks.append(_np(mask))
    roundtrip = model.unpatchify(model.patchify(imgs))
    return {
        "losses": losses,
        "masks": masks,
        "pred": _np(pred),
        "pos_embed": pos_embed,
        "patch_w": patch_w,
        "frozen": frozen,
        "pos_grad_none": model.pos_embed.grad is None,
        "roundtrip": _np(roundtrip),
        "imgs": _np(imgs),
        "cls_grad": _np(model.cls_token.grad),
        "mask_token": _np(model.mask_token),
    }


def vqvae(torch: Any, nn: Any, F: Any, optim: Any, sync: Sync) -> dict:
    """zalandoresearch/pytorch-vq-vae: the VectorQuantizer (squared distances by expansion,
    argmin, a one-hot by scatter_, the straight-through estimator, perplexity) and its EMA
    variant (a buffer and a Parameter replaced every step, ``torch.Tensor(n, d)`` filled by
    ``.data.normal_()``), between a tiny conv encoder and decoder, trained with Adam."""

    class VectorQuantizer(nn.Module):
        def __init__(self, num_embeddings, embedding_dim, commitment_cost):
            super(VectorQuantizer, self).__init__()
            self._embedding_dim = embedding_dim
            self._num_embeddings = num_embeddings
            self._embedding = nn.Embedding(self._num_embeddings, self._embedding_dim)
            self._embedding.weight.data.uniform_(
                -1 / self._num_embeddings, 1 / self._num_embeddings
            )
            self._commitment_cost = commitment_cost

        def forward(self, inputs):
            inputs = inputs.permute(0, 2, 3, 1).contiguous()
            input_shape = inputs.shape
            flat_input = inputs.view(-1, self._embedding_dim)
            distances = (
                torch.sum(flat_input**2, dim=1, keepdim=True)
                + torch.sum(self._embedding.weight**2, dim=1)
                - 2 * torch.matmul(flat_input, self._embedding.weight.t())
            )
            encoding_indices = torch.argmin(distances, dim=1).unsqueeze(1)
            encodings = torch.zeros(
                encoding_indices.shape[0], self._num_embeddings, device=inputs.device
            )
            encodings.scatter_(1, encoding_indices, 1)
            quantized = torch.matmul(encodings, self._embedding.weight).view(input_shape)
            e_latent_loss = F.mse_loss(quantized.detach(), inputs)
            q_latent_loss = F.mse_loss(quantized, inputs.detach())
            loss = q_latent_loss + self._commitment_cost * e_latent_loss
            quantized = inputs + (quantized - inputs).detach()
            avg_probs = torch.mean(encodings, dim=0)
            perplexity = torch.exp(-torch.sum(avg_probs * torch.log(avg_probs + 1e-10)))
            return loss, quantized.permute(0, 3, 1, 2).contiguous(), perplexity, encodings

    class VectorQuantizerEMA(nn.Module):
        def __init__(self, num_embeddings, embedding_dim, commitment_cost, decay, epsilon=1e-5):
            super(VectorQuantizerEMA, self).__init__()
            self._embedding_dim = embedding_dim
            self._num_embeddings = num_embeddings
            self._embedding = nn.Embedding(self._num_embeddings, self._embedding_dim)
            self._embedding.weight.data.normal_()
            self._commitment_cost = commitment_cost
            self.register_buffer("_ema_cluster_size", torch.zeros(num_embeddings))
            self._ema_w = nn.Parameter(torch.Tensor(num_embeddings, self._embedding_dim))
            self._ema_w.data.normal_()
            self._decay = decay
            self._epsilon = epsilon

        def forward(self, inputs):
            inputs = inputs.permute(0, 2, 3, 1).contiguous()
            input_shape = inputs.shape
            flat_input = inputs.view(-1, self._embedding_dim)
            distances = (
                torch.sum(flat_input**2, dim=1, keepdim=True)
                + torch.sum(self._embedding.weight**2, dim=1)
                - 2 * torch.matmul(flat_input, self._embedding.weight.t())
            )
            encoding_indices = torch.argmin(distances, dim=1).unsqueeze(1)
            encodings = torch.zeros(
                encoding_indices.shape[0], self._num_embeddings, device=inputs.device
            )
            encodings.scatter_(1, encoding_indices, 1)
            quantized = torch.matmul(encodings, self._embedding.weight).view(input_shape)
            if self.training:
                self._ema_cluster_size = self._ema_cluster_size * self._decay + (
                    1 - self._decay
                ) * torch.sum(encodings, 0)
                n = torch.sum(self._ema_cluster_size.data)
                self._ema_cluster_size = (
                    (self._ema_cluster_size + self._epsilon)
                    / (n + self._num_embeddings * self._epsilon)
                    * n
                )
                dw = torch.matmul(encodings.t(), flat_input)
                self._ema_w = nn.Parameter(self._ema_w * self._decay + (1 - self._decay) * dw)
                self._embedding.weight = nn.Parameter(
                    self._ema_w / self._ema_cluster_size.unsqueeze(1)
                )
            e_latent_loss = F.mse_loss(quantized.detach(), inputs)
            loss = self._commitment_cost * e_latent_loss
            quantized = inputs + (quantized - inputs).detach()
            avg_probs = torch.mean(encodings, dim=0)
            perplexity = torch.exp(-torch.sum(avg_probs * torch.log(avg_probs + 1e-10)))
            return loss, quantized.permute(0, 3, 1, 2).contiguous(), perplexity, encodings

    class Quantize(nn.Module):
        """rosinality/vq-vae-2-pytorch: EMA codebook buffers updated through ``.data``."""

        def __init__(self, dim, n_embed, decay=0.99, eps=1e-5):
            super().__init__()
            self.dim = dim
            self.n_embed = n_embed
            self.decay = decay
            self.eps = eps
            embed = torch.randn(dim, n_embed)
            self.register_buffer("embed", embed)
            self.register_buffer("cluster_size", torch.zeros(n_embed))
            self.register_buffer("embed_avg", embed.clone())

        def forward(self, input):
            flatten = input.reshape(-1, self.dim)
            dist = (
                flatten.pow(2).sum(1, keepdim=True)
                - 2 * flatten @ self.embed
                + self.embed.pow(2).sum(0, keepdim=True)
            )
            _, embed_ind = (-dist).max(1)
            embed_onehot = F.one_hot(embed_ind, self.n_embed).type(flatten.dtype)
            embed_ind = embed_ind.view(*input.shape[:-1])
            quantize = self.embed_code(embed_ind)
            if self.training:
                embed_onehot_sum = embed_onehot.sum(0)
                embed_sum = flatten.transpose(0, 1) @ embed_onehot
                self.cluster_size.data.mul_(self.decay).add_(embed_onehot_sum, alpha=1 - self.decay)
                self.embed_avg.data.mul_(self.decay).add_(embed_sum, alpha=1 - self.decay)
                n = self.cluster_size.sum()
                cluster_size = (self.cluster_size + self.eps) / (n + self.n_embed * self.eps) * n
                embed_normalized = self.embed_avg / cluster_size.unsqueeze(0)
                self.embed.data.copy_(embed_normalized)
            diff = (quantize.detach() - input).pow(2).mean()
            quantize = input + (quantize - input).detach()
            return quantize, diff, embed_ind

        def embed_code(self, embed_id):
            return F.embedding(embed_id, self.embed.transpose(0, 1))

    class Model(nn.Module):
        def __init__(self, num_embeddings, embedding_dim, commitment_cost, decay=0):
            super(Model, self).__init__()
            self._encoder = nn.Sequential(
                nn.Conv2d(3, 6, kernel_size=4, stride=2, padding=1),
                nn.ReLU(True),
                nn.Conv2d(6, embedding_dim, kernel_size=3, stride=1, padding=1),
            )
            if decay > 0.0:
                self._vq_vae = VectorQuantizerEMA(
                    num_embeddings, embedding_dim, commitment_cost, decay
                )
            else:
                self._vq_vae = VectorQuantizer(num_embeddings, embedding_dim, commitment_cost)
            self._decoder = nn.Sequential(
                nn.Conv2d(embedding_dim, 6, kernel_size=3, stride=1, padding=1),
                nn.ReLU(True),
                nn.ConvTranspose2d(6, 3, kernel_size=4, stride=2, padding=1),
            )

        def forward(self, x):
            z = self._encoder(x)
            loss, quantized, perplexity, _ = self._vq_vae(z)
            x_recon = self._decoder(quantized)
            return loss, x_recon, perplexity

    rs = np.random.RandomState(7)
    data = torch.tensor(rs.rand(4, 3, 8, 8), dtype=torch.float32)
    data_variance = float(np.var(rs.rand(64)))
    out: dict = {}
    for name, decay in (("vq", 0.0), ("ema", 0.9)):
        model = Model(5, 4, 0.25, decay=decay)
        sync(model)
        optimizer = optim.Adam(model.parameters(), lr=1e-2, amsgrad=False)
        model.train()
        recon, perp, vq = [], [], []
        for _ in range(3):
            optimizer.zero_grad()
            vq_loss, data_recon, perplexity = model(data)
            recon_error = F.mse_loss(data_recon, data) / data_variance
            loss = recon_error + vq_loss
            loss.backward()
            optimizer.step()
            recon.append(recon_error.item())
            perp.append(perplexity.item())
            vq.append(vq_loss.item())
        out[name] = {
            "recon": recon,
            "perplexity": perp,
            "vq": vq,
            "codebook": _np(model._vq_vae._embedding.weight),
            "encoder_grad": _np(model._encoder[0].weight.grad),
        }
        if decay > 0:
            out[name]["cluster_size"] = _np(model._vq_vae._ema_cluster_size)
            out[name]["param_names"] = sorted(n for n, _ in model.named_parameters())

    quantize = Quantize(4, 5, decay=0.8)
    sync(quantize)
    z = torch.tensor(rs.randn(2, 3, 3, 4), dtype=torch.float32, requires_grad=True)
    codes = []
    for _ in range(3):
        q, diff, ids = quantize(z)
        (q.pow(2).sum() + diff).backward()
        codes.append(_np(ids))
    out["rosinality"] = {
        "codes": codes,
        "ids_dtype": str(ids.dtype).split(".")[-1],
        "embed": _np(quantize.embed),
        "cluster_size": _np(quantize.cluster_size),
        "embed_avg": _np(quantize.embed_avg),
        "z_grad": _np(z.grad),
        "q": _np(q),
        "diff": diff.item(),
    }
    return out
