"""Code from Dive into Deep Learning (PyTorch edition), yunjey's pytorch-tutorial and common
Kaggle training loops, shortened (small sizes, synthetic data) and written once against the
names ``torch``, ``nn``, ``F``, ``optim``, ``data``. The tests run them with our packages
under those names and, when it is installed, with PyTorch.

Weights a result depends on pass through ``sync(module_or_tensors)``: the tests make it a
no-op, or record PyTorch's initial values and copy them into ours, since the libraries'
random streams differ.
"""

from __future__ import annotations

import copy
import math
import os
from collections.abc import Callable
from typing import Any

import numpy as np

Sync = Callable[[Any], None]


def d2l_attention(torch: Any, nn: Any, F: Any, sync: Sync) -> dict:
    """d2l 11.3-11.6: masked softmax (in-place masking), additive and multi-head attention,
    sinusoidal positional encoding."""
    rs = np.random.RandomState(5)

    def sequence_mask(X, valid_len, value=0):
        maxlen = X.size(1)
        mask = torch.arange((maxlen), dtype=torch.float32)[None, :] < valid_len[:, None]
        X[~mask] = value
        return X

    def masked_softmax(X, valid_lens):
        if valid_lens is None:
            return nn.functional.softmax(X, dim=-1)
        shape = X.shape
        if valid_lens.dim() == 1:
            valid_lens = torch.repeat_interleave(valid_lens, shape[1])
        else:
            valid_lens = valid_lens.reshape(-1)
        X = sequence_mask(X.reshape(-1, shape[-1]), valid_lens, value=-1e6)
        return nn.functional.softmax(X.reshape(shape), dim=-1)

    class AdditiveAttention(nn.Module):
        def __init__(self, num_hiddens, dropout):
            super().__init__()
            self.W_k = nn.LazyLinear(num_hiddens, bias=False)
            self.W_q = nn.LazyLinear(num_hiddens, bias=False)
            self.w_v = nn.LazyLinear(1, bias=False)
            self.dropout = nn.Dropout(dropout)

        def forward(self, queries, keys, values, valid_lens):
            queries, keys = self.W_q(queries), self.W_k(keys)
            features = torch.tanh(queries.unsqueeze(2) + keys.unsqueeze(1))
            scores = self.w_v(features).squeeze(-1)
            self.attention_weights = masked_softmax(scores, valid_lens)
            return torch.bmm(self.dropout(self.attention_weights), values)

    class DotProductAttention(nn.Module):
        def __init__(self, dropout):
            super().__init__()
            self.dropout = nn.Dropout(dropout)

        def forward(self, queries, keys, values, valid_lens=None):
            d = queries.shape[-1]
            scores = torch.bmm(queries, keys.transpose(1, 2)) / math.sqrt(d)
            self.attention_weights = masked_softmax(scores, valid_lens)
            return torch.bmm(self.dropout(self.attention_weights), values)

    class MultiHeadAttention(nn.Module):
        def __init__(self, num_hiddens, num_heads, dropout, bias=False):
            super().__init__()
            self.num_heads = num_heads
            self.attention = DotProductAttention(dropout)
            self.W_q = nn.LazyLinear(num_hiddens, bias=bias)
            self.W_k = nn.LazyLinear(num_hiddens, bias=bias)
            self.W_v = nn.LazyLinear(num_hiddens, bias=bias)
            self.W_o = nn.LazyLinear(num_hiddens, bias=bias)

        def transpose_qkv(self, X):
            X = X.reshape(X.shape[0], X.shape[1], self.num_heads, -1)
            X = X.permute(0, 2, 1, 3)
            return X.reshape(-1, X.shape[2], X.shape[3])

        def transpose_output(self, X):
            X = X.reshape(-1, self.num_heads, X.shape[1], X.shape[2])
            X = X.permute(0, 2, 1, 3)
            return X.reshape(X.shape[0], X.shape[1], -1)

        def forward(self, queries, keys, values, valid_lens):
            queries = self.transpose_qkv(self.W_q(queries))
            keys = self.transpose_qkv(self.W_k(keys))
            values = self.transpose_qkv(self.W_v(values))
            if valid_lens is not None:
                valid_lens = torch.repeat_interleave(valid_lens, repeats=self.num_heads, dim=0)
            output = self.attention(queries, keys, values, valid_lens)
            return self.W_o(self.transpose_output(output))

    class PositionalEncoding(nn.Module):
        def __init__(self, num_hiddens, dropout, max_len=1000):
            super().__init__()
            self.dropout = nn.Dropout(dropout)
            self.P = torch.zeros((1, max_len, num_hiddens))
            X = torch.arange(max_len, dtype=torch.float32).reshape(-1, 1) / torch.pow(
                10000, torch.arange(0, num_hiddens, 2, dtype=torch.float32) / num_hiddens
            )
            self.P[:, :, 0::2] = torch.sin(X)
            self.P[:, :, 1::2] = torch.cos(X)

        def forward(self, X):
            X = X + self.P[:, : X.shape[1], :].to(X.device)
            return self.dropout(X)

    Xg = torch.tensor(rs.rand(2, 2, 4), dtype=torch.float32, requires_grad=True)
    weights = masked_softmax(Xg * 2, torch.tensor([2, 3]))
    (weights * torch.arange(4.0)).sum().backward()

    queries, keys = (
        torch.tensor(rs.normal(size=(2, 1, 20)), dtype=torch.float32),
        torch.ones((2, 10, 2)),
    )
    values = torch.arange(40, dtype=torch.float32).reshape(1, 10, 4).repeat(2, 1, 1)
    valid_lens = torch.tensor([2, 6])
    additive = AdditiveAttention(num_hiddens=8, dropout=0.1)
    additive.eval()
    additive(queries, keys, values, valid_lens)
    sync(additive)
    add_out = additive(queries, keys, values, valid_lens)

    mha = MultiHeadAttention(16, 4, 0.5)
    mha.eval()
    X = torch.tensor(rs.rand(2, 4, 16), dtype=torch.float32, requires_grad=True)
    Y = torch.tensor(rs.rand(2, 6, 16), dtype=torch.float32)
    mha(X, Y, Y, torch.tensor([3, 2]))
    sync(mha)
    out = mha(X, Y, Y, torch.tensor([3, 2]))
    out.pow(2).sum().backward()

    pos = PositionalEncoding(32, 0)
    pos.eval()
    P = pos(torch.zeros((1, 60, 32)))
    return {
        "masked_weights": weights.detach().numpy(),
        "masked_grad": Xg.grad.numpy(),
        "additive": add_out.detach().numpy(),
        "additive_weights": additive.attention_weights.detach().numpy(),
        "mha": out.detach().numpy(),
        "mha_weights": mha.attention.attention_weights.detach().numpy(),
        "mha_xgrad": X.grad.numpy(),
        "pos": P[0].numpy(),
        "types": [type(m).__name__ for m in mha.modules()],
    }


def d2l_rnn_scratch(torch: Any, nn: Any, F: Any, sync: Sync) -> dict:
    """d2l 9.5: an RNN from scratch on one-hot inputs, with gradient clipping and the
    state detached in place between minibatches (sequential partitioning)."""
    rs = np.random.RandomState(4)
    vocab_size, num_steps, batch_size, num_hiddens = 8, 5, 4, 16
    corpus = list(np.tile(rs.randint(0, vocab_size, size=7), 40))  # a learnable pattern

    def seq_data_iter_sequential(corpus, batch_size, num_steps):
        num_tokens = ((len(corpus) - 1) // batch_size) * batch_size
        Xs = torch.tensor(corpus[:num_tokens]).reshape(batch_size, -1)
        Ys = torch.tensor(corpus[1 : 1 + num_tokens]).reshape(batch_size, -1)
        for i in range(0, num_steps * (Xs.shape[1] // num_steps), num_steps):
            yield Xs[:, i : i + num_steps], Ys[:, i : i + num_steps]

    def normal(shape):
        return torch.randn(size=shape) * 0.01

    params = [
        normal((vocab_size, num_hiddens)),
        normal((num_hiddens, num_hiddens)),
        torch.zeros(num_hiddens),
        normal((num_hiddens, vocab_size)),
        torch.zeros(vocab_size),
    ]
    for param in params:
        param.requires_grad_(True)
    sync(params)

    def rnn(inputs, state, params):
        W_xh, W_hh, b_h, W_hq, b_q = params
        (H,) = state
        outputs = []
        for X in inputs:
            H = torch.tanh(torch.mm(X, W_xh) + torch.mm(H, W_hh) + b_h)
            outputs.append(torch.mm(H, W_hq) + b_q)
        return torch.cat(outputs, dim=0), (H,)

    def net(X, state):
        return rnn(F.one_hot(X.T, vocab_size).type(torch.float32), state, params)

    def grad_clipping(theta):
        norm = torch.sqrt(sum(torch.sum(p.grad**2) for p in params))
        if norm > theta:
            for param in params:
                param.grad[:] *= theta / norm
        return float(norm)

    loss = nn.CrossEntropyLoss()
    perplexities, norms = [], []
    for _epoch in range(8):
        state = None
        total, count = 0.0, 0
        for X, Y in seq_data_iter_sequential(corpus, batch_size, num_steps):
            if state is None:
                state = (torch.zeros((X.shape[0], num_hiddens)),)
            else:
                for s in state:
                    s.detach_()
            y = Y.T.reshape(-1)
            y_hat, state = net(X, state)
            lval = loss(y_hat, y.long()).mean()
            lval.backward()
            norms.append(grad_clipping(1))
            with torch.no_grad():
                for param in params:
                    param -= 1.0 * param.grad
                    param.grad.zero_()
            total += float(lval) * y.numel()
            count += y.numel()
        perplexities.append(math.exp(total / count))
    return {"perplexities": perplexities, "norms": norms}


def d2l_batch_norm(torch: Any, nn: Any, F: Any, sync: Sync) -> dict:
    """d2l 8.5: batch normalization from scratch next to nn.BatchNorm2d/1d, in a LeNet."""
    rs = np.random.RandomState(3)

    def batch_norm(X, gamma, beta, moving_mean, moving_var, eps, momentum):
        if not torch.is_grad_enabled():
            X_hat = (X - moving_mean) / torch.sqrt(moving_var + eps)
        else:
            if len(X.shape) == 2:
                mean = X.mean(dim=0)
                var = ((X - mean) ** 2).mean(dim=0)
            else:
                mean = X.mean(dim=(0, 2, 3), keepdim=True)
                var = ((X - mean) ** 2).mean(dim=(0, 2, 3), keepdim=True)
            X_hat = (X - mean) / torch.sqrt(var + eps)
            moving_mean = momentum * moving_mean + (1.0 - momentum) * mean
            moving_var = momentum * moving_var + (1.0 - momentum) * var
        Y = gamma * X_hat + beta
        return Y, moving_mean.data, moving_var.data

    class BatchNorm(nn.Module):
        def __init__(self, num_features, num_dims):
            super().__init__()
            shape = (1, num_features) if num_dims == 2 else (1, num_features, 1, 1)
            self.gamma = nn.Parameter(torch.ones(shape))
            self.beta = nn.Parameter(torch.zeros(shape))
            self.moving_mean = torch.zeros(shape)
            self.moving_var = torch.ones(shape)

        def forward(self, X):
            Y, self.moving_mean, self.moving_var = batch_norm(
                X, self.gamma, self.beta, self.moving_mean, self.moving_var, eps=1e-5, momentum=0.9
            )
            return Y

    def lenet(scratch):
        def bn(n, dims):
            if scratch:
                return BatchNorm(n, dims)
            return nn.BatchNorm2d(n, momentum=0.1) if dims == 4 else nn.BatchNorm1d(n)

        return nn.Sequential(
            nn.Conv2d(1, 6, kernel_size=5), bn(6, 4), nn.Sigmoid(),
            nn.AvgPool2d(kernel_size=2, stride=2),
            nn.Conv2d(6, 16, kernel_size=5), bn(16, 4), nn.Sigmoid(),
            nn.AvgPool2d(kernel_size=2, stride=2), nn.Flatten(),
            nn.Linear(16 * 4 * 4, 32), bn(32, 2), nn.Sigmoid(), nn.Linear(32, 10),
        )  # fmt: skip

    X = torch.tensor(rs.rand(16, 1, 28, 28), dtype=torch.float32)
    y = torch.tensor(rs.randint(0, 10, 16))
    results: dict = {}
    conv_weights = None
    for name in ("scratch", "concise"):
        net = lenet(name == "scratch")
        sync(net)
        if conv_weights is None:
            conv_weights = copy.deepcopy(net.state_dict())
        else:  # the same convolution and linear weights in both nets
            with torch.no_grad():
                for i in (0, 4, 9, 12):
                    net[i].weight.copy_(torch.as_tensor(conv_weights[f"{i}.weight"]))
                    net[i].bias.copy_(torch.as_tensor(conv_weights[f"{i}.bias"]))
        opt = torch.optim.SGD(net.parameters(), lr=1.0)
        losses = []
        for i in range(4):
            net.train()
            opt.zero_grad()
            batch = slice(i % 2 * 8, i % 2 * 8 + 8)
            lval = F.cross_entropy(net(X[batch]), y[batch])
            lval.backward()
            opt.step()
            losses.append(lval.item())
        net.eval()
        with torch.no_grad():
            results[name + "_eval"] = net(X[:4]).numpy()
        results[name + "_losses"] = losses
        first = net[1]
        results[name + "_moving_mean"] = np.asarray(
            first.moving_mean.reshape(-1) if name == "scratch" else first.running_mean
        )
    return results


def yunjey_vae_gan(torch: Any, nn: Any, F: Any, optim: Any, data: Any, sync: Sync) -> dict:
    """yunjey/pytorch-tutorial's VAE (``size_average=False`` BCE, reparameterisation) and
    one GAN step (BCELoss on a sigmoid discriminator, two optimizers)."""
    rs = np.random.RandomState(8)
    image_size, h_dim, z_dim, batch_size = 64, 32, 4, 16
    images = torch.tensor(rs.rand(32, 1, 8, 1) * rs.rand(32, 1, 1, 8), dtype=torch.float32)
    data_loader = data.DataLoader(
        dataset=data.TensorDataset(images, torch.zeros(32)), batch_size=batch_size, shuffle=False
    )

    class VAE(nn.Module):
        def __init__(self, image_size=784, h_dim=400, z_dim=20):
            super().__init__()
            self.fc1 = nn.Linear(image_size, h_dim)
            self.fc2 = nn.Linear(h_dim, z_dim)
            self.fc3 = nn.Linear(h_dim, z_dim)
            self.fc4 = nn.Linear(z_dim, h_dim)
            self.fc5 = nn.Linear(h_dim, image_size)

        def encode(self, x):
            h = F.relu(self.fc1(x))
            return self.fc2(h), self.fc3(h)

        def decode(self, z):
            h = F.relu(self.fc4(z))
            return torch.sigmoid(self.fc5(h))

    model = VAE(image_size, h_dim, z_dim)
    sync(model)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
    eps = torch.tensor(rs.randn(batch_size, z_dim), dtype=torch.float32)  # randn_like(std)
    vae_losses = []
    for _epoch in range(15):
        for x, _ in data_loader:
            x = x.view(-1, image_size)
            mu, log_var = model.encode(x)
            z = mu + eps * torch.exp(log_var / 2)
            x_reconst = model.decode(z)
            reconst_loss = F.binary_cross_entropy(x_reconst, x, size_average=False)
            kl_div = -0.5 * torch.sum(1 + log_var - mu.pow(2) - log_var.exp())
            loss = reconst_loss + kl_div
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            vae_losses.append([reconst_loss.item(), kl_div.item()])
    with torch.no_grad():
        x = images[:batch_size].view(-1, image_size)
        mu, log_var = model.encode(x)
        p = model.decode(mu).numpy()
    ref_bce = float(-(x.numpy() * np.log(p) + (1 - x.numpy()) * np.log(1 - p)).sum())
    with torch.no_grad():
        ours_bce = nn.BCELoss(size_average=False)(model.decode(mu), x).item()

    D = nn.Sequential(nn.Linear(image_size, 16), nn.LeakyReLU(0.2), nn.Linear(16, 1), nn.Sigmoid())
    G = nn.Sequential(nn.Linear(z_dim, 16), nn.ReLU(), nn.Linear(16, image_size), nn.Tanh())
    sync(D)
    sync(G)
    criterion = nn.BCELoss()
    d_optimizer = torch.optim.Adam(D.parameters(), lr=0.0002)
    g_optimizer = torch.optim.Adam(G.parameters(), lr=0.0002)
    real = images[:batch_size].reshape(batch_size, -1) * 2 - 1
    z = torch.tensor(rs.randn(batch_size, z_dim), dtype=torch.float32)
    d_loss = criterion(D(real), torch.ones(batch_size, 1)) + criterion(
        D(G(z)), torch.zeros(batch_size, 1)
    )
    d_optimizer.zero_grad()
    g_optimizer.zero_grad()
    d_loss.backward()
    d_optimizer.step()
    g_grad_after_d_step = G[0].weight.grad
    g_loss = criterion(D(G(z)), torch.ones(batch_size, 1))
    d_optimizer.zero_grad()
    g_optimizer.zero_grad()
    g_loss.backward()
    g_optimizer.step()
    return {
        "vae_losses": vae_losses,
        "bce_sum": ours_bce,
        "bce_reference": ref_bce,
        "d_loss": d_loss.item(),
        "g_loss": g_loss.item(),
        "g_grad_after_d_step": None if g_grad_after_d_step is None else g_grad_after_d_step.numpy(),
        "fake_range": [float(G(z).min()), float(G(z).max())],
    }


def kaggle_loop(torch: Any, nn: Any, F: Any, optim: Any, data: Any, sync: Sync, path: str) -> dict:
    """A Kaggle-style loop: Dataset subclass, Subset, init via model.apply, AdamW + StepLR,
    gradient accumulation with clip_grad_norm_, early stopping on a deepcopy of the
    state_dict, checkpoint save/load, and the evaluation idioms."""
    rs = np.random.RandomState(9)
    X = rs.normal(size=(120, 10)).astype(np.float32)
    y = (X[:, 0] - X[:, 1] > 0).astype(np.int64) + (X[:, 3] > 1).astype(np.int64)

    class TabularDataset(data.Dataset):
        def __init__(self, X, y):
            self.X = torch.tensor(X, dtype=torch.float32)
            self.y = torch.tensor(y, dtype=torch.long)

        def __len__(self):
            return len(self.X)

        def __getitem__(self, idx):
            return self.X[idx], self.y[idx]

    full = TabularDataset(X, y)
    train_ds, val_ds = data.Subset(full, list(range(96))), data.Subset(full, list(range(96, 120)))
    train_loader = data.DataLoader(train_ds, batch_size=16, shuffle=False, num_workers=0)
    val_loader = data.DataLoader(val_ds, batch_size=64)

    def init_weights(m):
        if isinstance(m, nn.Linear):
            nn.init.kaiming_normal_(m.weight, mode="fan_in", nonlinearity="relu")
            nn.init.constant_(m.bias, 0.01)

    model = nn.Sequential(
        nn.Linear(10, 32), nn.ReLU(inplace=True), nn.Dropout(0.0), nn.Linear(32, 3)
    )
    model.apply(init_weights)
    sync(model)
    criterion = nn.CrossEntropyLoss(label_smoothing=0.05)
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-2, weight_decay=1e-2)
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=2, gamma=0.5)

    # gradient accumulation over two half-batches equals one full-batch gradient
    xb, yb = next(iter(train_loader))
    model.zero_grad()
    criterion(model(xb), yb).backward()
    full_grad = model[0].weight.grad.clone()
    model.zero_grad()
    for half in (slice(0, 8), slice(8, 16)):
        (criterion(model(xb[half]), yb[half]) / 2).backward()
    accumulated = model[0].weight.grad.clone()
    optimizer.zero_grad(set_to_none=True)

    @torch.no_grad()
    def evaluate():
        model.eval()
        losses, preds, targets = [], [], []
        for xv, yv in val_loader:
            out = model(xv)
            losses.append(criterion(out, yv).item())
            preds.extend(out.argmax(1).cpu().numpy().tolist())
            targets.extend(yv.tolist())
        return float(np.mean(losses)), float(np.mean(np.array(preds) == np.array(targets)))

    best_loss, best_state, bad_epochs, history, lrs, norms = float("inf"), None, 0, [], [], []
    for _epoch in range(8):
        model.train()
        for step, (xb, yb) in enumerate(train_loader):
            loss = criterion(model(xb), yb) / 2
            loss.backward()
            if (step + 1) % 2 == 0:
                norms.append(float(nn.utils.clip_grad_norm_(model.parameters(), max_norm=0.5)))
                optimizer.step()
                optimizer.zero_grad()
        val_loss, val_acc = evaluate()
        scheduler.step()
        history.append(val_loss)
        lrs.append(scheduler.get_last_lr()[0])
        if val_loss < best_loss - 1e-4:
            best_loss, best_state, bad_epochs = val_loss, copy.deepcopy(model.state_dict()), 0
        else:
            bad_epochs += 1
            if bad_epochs >= 3:
                break
    model.load_state_dict(best_state)
    torch.save(
        {"model_state_dict": model.state_dict(), "optimizer_state_dict": optimizer.state_dict()},
        path,
    )
    ckpt = torch.load(path)
    restored = nn.Sequential(nn.Linear(10, 32), nn.ReLU(), nn.Dropout(0.0), nn.Linear(32, 3))
    restored.load_state_dict(ckpt["model_state_dict"])
    restored.eval()
    model.eval()
    with torch.no_grad():
        xt = torch.from_numpy(X[:8])
        out = model(xt)
        probs = F.softmax(out, dim=1)
        top_p, top_class = probs.topk(2, dim=1)
        one_hot = F.one_hot(torch.tensor(y[:8]), num_classes=3)
    return {
        "accumulation_gap": float((full_grad - accumulated).abs().max()),
        "history": history,
        "lrs": lrs,
        "norms": norms,
        "best_loss": best_loss,
        "reloaded_same": bool(torch.equal(restored(xt), out)),
        "file_exists": os.path.exists(path),
        "optimizer_steps": float(ckpt["optimizer_state_dict"]["state"][0]["step"]),
        "top_p": top_p.numpy(),
        "top_class": top_class.numpy(),
        "one_hot": one_hot.numpy(),
        "acc": float((out.argmax(1).numpy() == y[:8]).mean()),
    }


def d2l_lazy_lenet(torch: Any, nn: Any, F: Any, sync: Sync) -> dict:
    """d2l (current edition): a d2l.Module-style LeNet built from Lazy layers, initialised
    by a dummy forward and ``net.apply(init_cnn)``, trained with its own optimizer."""
    rs = np.random.RandomState(12)

    def init_cnn(module):
        if type(module) == nn.Linear or type(module) == nn.Conv2d:  # noqa: E721
            nn.init.xavier_uniform_(module.weight)

    class LeNet(nn.Module):
        def __init__(self, lr=0.1, num_classes=10):
            super().__init__()
            self.lr = lr
            self.net = nn.Sequential(
                nn.LazyConv2d(6, kernel_size=5, padding=2), nn.Sigmoid(),
                nn.AvgPool2d(kernel_size=2, stride=2),
                nn.LazyConv2d(16, kernel_size=5), nn.LazyBatchNorm2d(), nn.Sigmoid(),
                nn.AvgPool2d(kernel_size=2, stride=2), nn.Flatten(),
                nn.LazyLinear(120), nn.Sigmoid(), nn.LazyLinear(84), nn.Sigmoid(),
                nn.LazyLinear(num_classes),
            )  # fmt: skip

        def forward(self, X):
            return self.net(X)

        def apply_init(self, inputs, init=None):
            self.forward(*inputs)
            if init is not None:
                self.net.apply(init)

        def configure_optimizers(self):
            return torch.optim.SGD(self.parameters(), self.lr)

    X = torch.tensor(rs.rand(16, 1, 28, 28), dtype=torch.float32)
    Y = torch.tensor(rs.randint(0, 10, 16))
    model = LeNet(lr=0.5)
    before = repr(model.net[0])
    optimizer = model.configure_optimizers()  # before the parameters have shapes
    model.apply_init([X[:2]], init_cnn)
    sync(model)
    losses = []
    for _ in range(6):
        model.train()
        loss = F.cross_entropy(model(X), Y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return {
        "repr_before": before,
        "types": [type(m).__name__ for m in model.net],
        "shapes": [tuple(p.shape) for p in model.parameters()],
        "losses": losses,
    }


def blog_custom_optimizer(torch: Any, nn: Any, F: Any, optim: Any, sync: Sync) -> dict:
    """A hand-written Adam (``optim.Optimizer`` subclass with per-parameter state, in-place
    ``addcmul_``/``addcdiv_``, ``memory_format=torch.preserve_format``) next to the built-in
    one, and an EMA of the weights with ``lerp_``."""
    rs = np.random.RandomState(16)

    class MyAdam(optim.Optimizer):
        def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0):
            if not 0.0 <= lr:
                raise ValueError(f"Invalid learning rate: {lr}")
            defaults = dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay)
            super().__init__(params, defaults)

        @torch.no_grad()
        def step(self, closure=None):
            loss = None
            if closure is not None:
                with torch.enable_grad():
                    loss = closure()
            for group in self.param_groups:
                for p in group["params"]:
                    if p.grad is None:
                        continue
                    grad = p.grad
                    state = self.state[p]
                    if len(state) == 0:
                        state["step"] = 0
                        state["exp_avg"] = torch.zeros_like(p, memory_format=torch.preserve_format)
                        state["exp_avg_sq"] = torch.zeros_like(
                            p, memory_format=torch.preserve_format
                        )
                    exp_avg, exp_avg_sq = state["exp_avg"], state["exp_avg_sq"]
                    beta1, beta2 = group["betas"]
                    state["step"] += 1
                    if group["weight_decay"] != 0:
                        grad = grad.add(p, alpha=group["weight_decay"])
                    exp_avg.mul_(beta1).add_(grad, alpha=1 - beta1)
                    exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
                    bias_correction1 = 1 - beta1 ** state["step"]
                    bias_correction2 = 1 - beta2 ** state["step"]
                    denom = (exp_avg_sq.sqrt() / math.sqrt(bias_correction2)).add_(group["eps"])
                    p.addcdiv_(exp_avg, denom, value=-group["lr"] / bias_correction1)
            return loss

    X = torch.tensor(rs.normal(size=(64, 5)), dtype=torch.float32)
    Y = torch.tensor(rs.normal(size=(64, 1)), dtype=torch.float32)
    results: dict = {}
    for name, make in (
        ("mine", lambda ps: MyAdam(ps, lr=0.01, weight_decay=0.01)),
        ("builtin", lambda ps: optim.Adam(ps, lr=0.01, weight_decay=0.01)),
    ):
        model = nn.Sequential(nn.Linear(5, 16), nn.ReLU(), nn.Linear(16, 1))
        sync(model)
        if name == "builtin":  # the same start as the hand-written run
            model.load_state_dict(results["start"])
        else:
            results["start"] = copy.deepcopy(model.state_dict())
        opt = make(model.parameters())
        ema = [p.detach().clone() for p in model.parameters()]
        losses = []
        for _ in range(15):

            def closure(opt=opt, model=model):
                opt.zero_grad()
                loss = F.mse_loss(model(X), Y)
                loss.backward()
                return loss

            losses.append(opt.step(closure).item())
            with torch.no_grad():
                for e, p in zip(ema, model.parameters()):
                    e.lerp_(p, 0.1)
        results[name] = losses
        results[name + "_weights"] = model[0].weight.detach().numpy().copy()
        results[name + "_ema"] = ema[0].numpy().copy()
    del results["start"]
    return results
