"""Karpathy's "Neural Networks: Zero to Hero" code (the makemore lectures, parts 1-5, and
ng-video-lecture's gpt.py / bigram.py with the gpt-dev notebook's cells), shortened (a few
names and a few lines of text instead of the downloads, tens of steps instead of 200000) and
written once against the names ``torch``, ``nn``, ``F``: the idioms are the lectures' own.

Random draws a result depends on (initial weights, minibatch indices) pass through
``sync(list_of_tensors)``: the tests make it a no-op, or record PyTorch's values and copy them
into ours, since the libraries' random streams differ. Samples drawn with
``torch.multinomial`` are returned only for checks that hold whatever the stream.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

Sync = Callable[[Any], None]

WORDS = (
    "emma olivia ava isabella sophia charlotte mia amelia harper evelyn abigail emily "
    "elizabeth mila ella avery sofia camila aria scarlett victoria madison luna grace chloe "
    "penelope layla riley zoey nora lily eleanor hannah lillian addison aubrey ellie stella "
    "natalie zoe leah hazel violet aurora savannah audrey brooklyn bella claire skylar lucy "
    "paisley everly anna caroline nova genesis emilia kennedy samantha maya willow kinsley "
    "naomi aaliyah elena sarah ariana allison gabriella alice madelyn cora ruby eva serenity "
    "autumn adeline hailey gianna valentina isla eliana quinn nevaeh ivy sadie piper lydia "
    "alexa josephine emery julia delilah arianna vivian kaylee sophie brielle madeline xavier"
).split()

TEXT = (
    "First Citizen:\nBefore we proceed any further, hear me speak.\n\n"
    "All:\nSpeak, speak.\n\n"
    "First Citizen:\nYou are all resolved rather to die than to famish?\n\n"
    "All:\nResolved. resolved.\n\n"
    "First Citizen:\nFirst, you know Caius Marcius is chief enemy to the people.\n\n"
)


def vocabulary(words: list) -> tuple[dict, dict]:
    """makemore's stoi/itos: letters from 1, '.' is 0."""
    chars = sorted(list(set("".join(words))))
    stoi = {s: i + 1 for i, s in enumerate(chars)}
    stoi["."] = 0
    itos = {i: s for s, i in stoi.items()}
    return stoi, itos


def build_dataset(torch: Any, words: list, stoi: dict, block_size: int) -> tuple:
    """makemore part 2's build_dataset: every context of block_size characters and the next."""
    X, Y = [], []
    for w in words:
        context = [0] * block_size
        for ch in w + ".":
            ix = stoi[ch]
            X.append(context)
            Y.append(ix)
            context = context[1:] + [ix]
    X = torch.tensor(X)
    Y = torch.tensor(Y)
    return X, Y


def makemore_bigram(torch: Any, nn: Any, F: Any, sync: Sync) -> dict:
    """makemore part 1: the bigram counts model, sampling from it, its negative log likelihood,
    then the same model as a one-layer net trained by gradient descent."""
    words = list(WORDS)
    N = torch.zeros((27, 27), dtype=torch.int32)
    stoi, itos = vocabulary(words)
    for w in words:
        chs = ["."] + list(w) + ["."]
        for ch1, ch2 in zip(chs, chs[1:]):
            ix1 = stoi[ch1]
            ix2 = stoi[ch2]
            N[ix1, ix2] += 1
    cells = [N[i, j].item() for i in range(27) for j in range(27)]

    p = N[0].float()
    p = p / p.sum()
    g = torch.Generator().manual_seed(2147483647)
    pr = torch.rand(3, generator=g)
    pr = pr / pr.sum()
    draws = torch.multinomial(pr, num_samples=100, replacement=True, generator=g)
    ix = torch.multinomial(p, num_samples=1, replacement=True, generator=g).item()

    P = (N + 1).float()
    P /= P.sum(1, keepdims=True)

    g = torch.Generator().manual_seed(2147483647)
    samples = []
    for _i in range(5):
        out = []
        ix = 0
        while True:
            p = P[ix]
            ix = torch.multinomial(p, num_samples=1, replacement=True, generator=g).item()
            out.append(itos[ix])
            if ix == 0:
                break
        samples.append("".join(out))

    log_likelihood = 0.0
    n = 0
    for w in words:
        chs = ["."] + list(w) + ["."]
        for ch1, ch2 in zip(chs, chs[1:]):
            ix1 = stoi[ch1]
            ix2 = stoi[ch2]
            prob = P[ix1, ix2]
            logprob = torch.log(prob)
            log_likelihood += logprob
            n += 1
    nll = -log_likelihood
    avg_nll = f"{nll / n}"

    xs, ys = [], []
    for w in words:
        chs = ["."] + list(w) + ["."]
        for ch1, ch2 in zip(chs, chs[1:]):
            xs.append(stoi[ch1])
            ys.append(stoi[ch2])
    xs = torch.tensor(xs)
    ys = torch.tensor(ys)
    num = xs.nelement()

    # the first five examples by hand, with a weight matrix that does not require grad yet
    g = torch.Generator().manual_seed(2147483647)
    W = torch.randn((27, 27), generator=g)
    sync([W])
    xenc = F.one_hot(xs, num_classes=27).float()
    logits = xenc @ W  # log-counts
    counts = logits.exp()  # equivalent N
    probs = counts / counts.sum(1, keepdims=True)
    nlls = torch.zeros(5)
    for i in range(5):
        x = xs[i].item()
        y = ys[i].item()
        p = probs[i, y]
        logp = torch.log(p)
        nll5 = -logp
        nlls[i] = nll5
    first_nlls = nlls.tolist()
    first_x = x
    g = torch.Generator().manual_seed(2147483647)
    W = torch.randn((27, 27), generator=g, requires_grad=True)
    sync([W])

    losses = []
    for _k in range(30):
        xenc = F.one_hot(xs, num_classes=27).float()
        logits = xenc @ W
        counts = logits.exp()
        probs = counts / counts.sum(1, keepdims=True)
        loss = -probs[torch.arange(num), ys].log().mean() + 0.01 * (W**2).mean()
        losses.append(loss.item())
        W.grad = None
        loss.backward()
        W.data += -50 * W.grad

    g = torch.Generator().manual_seed(2147483647)
    net_samples = []
    for _i in range(3):
        out = []
        ix = 0
        while True:
            xenc = F.one_hot(torch.tensor([ix]), num_classes=27).float()
            logits = xenc @ W
            counts = logits.exp()
            p = counts / counts.sum(1, keepdims=True)
            ix = torch.multinomial(p, num_samples=1, replacement=True, generator=g).item()
            out.append(itos[ix])
            if ix == 0:
                break
        net_samples.append("".join(out))
    return {
        "counts": cells,
        "count_dtype": str(N.dtype),
        "P": P.numpy(),
        "draws": draws.tolist(),
        "first": ix,
        "samples": samples,
        "nll": nll.item(),
        "n": n,
        "avg_nll": avg_nll,
        "losses": losses,
        "W": W.detach().numpy(),
        "net_samples": net_samples,
        "xenc_dtype": str(xenc.dtype),
        "first_nlls": first_nlls,
        "first_x": first_x,
        "nlls_mean": nlls.mean().item(),
    }


def makemore_mlp(torch: Any, nn: Any, F: Any, sync: Sync) -> dict:
    """makemore part 2: Bengio et al.'s MLP with a learned embedding table C, minibatches,
    a learning-rate sweep over 10**linspace, and sampling."""
    words = list(WORDS)
    stoi, itos = vocabulary(words)
    block_size = 3
    random.seed(42)
    random.shuffle(words)
    n1 = int(0.8 * len(words))
    n2 = int(0.9 * len(words))
    Xtr, Ytr = build_dataset(torch, words[:n1], stoi, block_size)
    Xdev, Ydev = build_dataset(torch, words[n1:n2], stoi, block_size)

    g = torch.Generator().manual_seed(2147483647)
    C = torch.randn((27, 2), generator=g)
    sync([C])
    # the lecture's first steps: three ways to embed, and unbinding the context
    emb = C[Xtr]
    ways = [
        (F.one_hot(torch.tensor(5), num_classes=27).float() @ C).tolist(),
        C[5].tolist(),
        C[[5, 6, 7, 7, 7]].tolist(),
        C[torch.tensor([5, 6, 7, 7, 7, 7])].tolist(),
        C[Xtr][13, 2].tolist(),
    ]
    W1 = torch.randn((6, 100), generator=g)
    b1 = torch.randn(100, generator=g)
    h_shape = tuple(torch.tanh(emb.view(emb.shape[0], 6) @ W1 + b1).shape)
    cat1 = torch.cat([emb[:, 0, :], emb[:, 1, :], emb[:, 2, :]], 1)
    cat2 = torch.cat(torch.unbind(emb, 1), 1)
    a = torch.arange(18)
    views = [a.view(2, 9).tolist(), a.view(9, 2).tolist(), a.view(3, 3, 2).tolist()]
    storage = list(a.storage())  # the one row of numbers every view reads
    W2 = torch.randn((100, 27), generator=g)
    b2 = torch.randn(27, generator=g)
    sync([W1, b1, W2, b2])
    h = torch.tanh(emb.view(-1, 6) @ W1 + b1)
    logits = h @ W2 + b2
    counts = logits.exp()
    prob = counts / counts.sum(1, keepdims=True)
    manual_loss = -prob[torch.arange(Ytr.shape[0]), Ytr].log().mean()
    ce_loss = F.cross_entropy(logits, Ytr)

    # the cleaned-up version
    g = torch.Generator().manual_seed(2147483647)
    C = torch.randn((27, 10), generator=g)
    W1 = torch.randn((30, 200), generator=g)
    b1 = torch.randn(200, generator=g)
    W2 = torch.randn((200, 27), generator=g)
    b2 = torch.randn(27, generator=g)
    parameters = [C, W1, b1, W2, b2]
    sync(parameters)
    n_params = sum(p.nelement() for p in parameters)
    for p in parameters:
        p.requires_grad = True

    lre = torch.linspace(-3, 0, 1000)
    lrs = 10**lre
    lri = []
    lossi = []
    stepi = []
    for i in range(40):
        ix = torch.randint(0, Xtr.shape[0], (32,))
        sync([ix])
        emb = C[Xtr[ix]]  # (32, 3, 10)
        h = torch.tanh(emb.view(-1, 30) @ W1 + b1)
        logits = h @ W2 + b2
        loss = F.cross_entropy(logits, Ytr[ix])
        for p in parameters:
            p.grad = None
        loss.backward()
        lr = lrs[i * 25]
        for p in parameters:
            p.data += -lr * p.grad
        lri.append(lre[i * 25])
        stepi.append(i)
        lossi.append(loss.log10().item())

    emb = C[Xdev]
    h = torch.tanh(emb.view(-1, 30) @ W1 + b1)
    logits = h @ W2 + b2
    dev_loss = F.cross_entropy(logits, Ydev)

    g = torch.Generator().manual_seed(2147483647 + 10)
    samples = []
    for _ in range(5):
        out = []
        context = [0] * block_size
        while True:
            emb = C[torch.tensor([context])]  # (1,block_size,d)
            h = torch.tanh(emb.view(1, -1) @ W1 + b1)
            logits = h @ W2 + b2
            probs = F.softmax(logits, dim=1)
            ix = torch.multinomial(probs, num_samples=1, generator=g).item()
            context = context[1:] + [ix]
            out.append(ix)
            if ix == 0:
                break
        samples.append("".join(itos[i] for i in out))
    return {
        "shapes": [tuple(Xtr.shape), tuple(Ytr.shape), tuple(emb.shape), h_shape],
        "dtypes": [str(Xtr.dtype), str(lre.dtype), str(lrs.dtype)],
        "ways": ways,
        "cat_same": bool((cat1 == cat2).all()),
        "views": views,
        "storage": storage,
        "manual_loss": manual_loss.item(),
        "ce_loss": ce_loss.item(),
        "n_params": n_params,
        "lri": [float(x) for x in lri],
        "lossi": lossi,
        "dev_loss": dev_loss.item(),
        "samples": samples,
    }


def makemore_batchnorm(torch: Any, nn: Any, F: Any, sync: Sync) -> dict:
    """makemore part 3: a batch-normalised MLP written with bare tensors (running statistics
    updated under no_grad, calibrated after training, split_loss under @torch.no_grad()), then
    "PyTorch-ified" into hand-written Linear / BatchNorm1d / Tanh classes with activation,
    gradient and update-to-data statistics."""
    words = list(WORDS)
    stoi, itos = vocabulary(words)
    vocab_size = len(itos)
    block_size = 3
    random.seed(42)
    random.shuffle(words)
    n1 = int(0.8 * len(words))
    n2 = int(0.9 * len(words))
    Xtr, Ytr = build_dataset(torch, words[:n1], stoi, block_size)
    Xdev, Ydev = build_dataset(torch, words[n1:n2], stoi, block_size)
    Xte, Yte = build_dataset(torch, words[n2:], stoi, block_size)

    # the lecture's asides: the loss at initialisation, and the scale of x @ w
    init_loss = -torch.tensor(1 / 27.0).log()
    logits = torch.tensor([0.0, 0.0, 0.0, 0.0])
    probs = torch.softmax(logits, dim=0)
    uniform_loss = -probs[2].log()
    x = torch.randn(1000, 10)
    w = torch.randn(10, 200) / 10**0.5
    y = x @ w
    scale = [x.mean().item(), x.std().item(), y.mean().item(), y.std().item()]

    n_embd = 10
    n_hidden = 200
    g = torch.Generator().manual_seed(2147483647)
    C = torch.randn((vocab_size, n_embd), generator=g)
    W1 = (
        torch.randn((n_embd * block_size, n_hidden), generator=g)
        * (5 / 3)
        / ((n_embd * block_size) ** 0.5)
    )
    W2 = torch.randn((n_hidden, vocab_size), generator=g) * 0.01
    b2 = torch.randn(vocab_size, generator=g) * 0
    bngain = torch.ones((1, n_hidden))
    bnbias = torch.zeros((1, n_hidden))
    bnmean_running = torch.zeros((1, n_hidden))
    bnstd_running = torch.ones((1, n_hidden))
    parameters = [C, W1, W2, b2, bngain, bnbias]
    sync(parameters)
    n_params = sum(p.nelement() for p in parameters)
    for p in parameters:
        p.requires_grad = True

    max_steps = 30
    batch_size = 32
    lossi = []
    printed = []
    for i in range(max_steps):
        ix = torch.randint(0, Xtr.shape[0], (batch_size,), generator=g)
        sync([ix])
        Xb, Yb = Xtr[ix], Ytr[ix]
        emb = C[Xb]
        embcat = emb.view(emb.shape[0], -1)
        hpreact = embcat @ W1  # + b1
        bnmeani = hpreact.mean(0, keepdim=True)
        bnstdi = hpreact.std(0, keepdim=True)
        hpreact = bngain * (hpreact - bnmeani) / bnstdi + bnbias
        with torch.no_grad():
            bnmean_running = 0.999 * bnmean_running + 0.001 * bnmeani
            bnstd_running = 0.999 * bnstd_running + 0.001 * bnstdi
        h = torch.tanh(hpreact)
        logits = h @ W2 + b2
        loss = F.cross_entropy(logits, Yb)
        for p in parameters:
            p.grad = None
        loss.backward()
        lr = 0.1 if i < 20 else 0.01
        for p in parameters:
            p.data += -lr * p.grad
        if i % 10 == 0:
            printed.append(f"{i:7d}/{max_steps:7d}: {loss.item():.4f}")
        lossi.append(loss.log10().item())
    saturated = (h.abs() > 0.99).float().mean().item()
    h_hist = len(h.view(-1).tolist())

    with torch.no_grad():
        emb = C[Xtr]
        embcat = emb.view(emb.shape[0], -1)
        hpreact = embcat @ W1  # + b1
        bnmean = hpreact.mean(0, keepdim=True)
        bnstd = hpreact.std(0, keepdim=True)

    split_losses = {}

    @torch.no_grad()  # this decorator disables gradient tracking
    def split_loss(split):
        x, y = {
            "train": (Xtr, Ytr),
            "val": (Xdev, Ydev),
            "test": (Xte, Yte),
        }[split]
        emb = C[x]
        embcat = emb.view(emb.shape[0], -1)
        hpreact = embcat @ W1
        hpreact = bngain * (hpreact - bnmean) / bnstd + bnbias
        h = torch.tanh(hpreact)
        logits = h @ W2 + b2
        loss = F.cross_entropy(logits, y)
        split_losses[split] = (loss.item(), loss.requires_grad)

    split_loss("train")
    split_loss("val")

    # --- PyTorch-ifying the code ---
    class Linear:
        def __init__(self, fan_in, fan_out, bias=True):
            self.weight = torch.randn((fan_in, fan_out), generator=g) / fan_in**0.5
            self.bias = torch.zeros(fan_out) if bias else None

        def __call__(self, x):
            self.out = x @ self.weight
            if self.bias is not None:
                self.out += self.bias
            return self.out

        def parameters(self):
            return [self.weight] + ([] if self.bias is None else [self.bias])

    class BatchNorm1d:
        def __init__(self, dim, eps=1e-5, momentum=0.1):
            self.eps = eps
            self.momentum = momentum
            self.training = True
            # parameters (trained with backprop)
            self.gamma = torch.ones(dim)
            self.beta = torch.zeros(dim)
            # buffers (trained with a running 'momentum update')
            self.running_mean = torch.zeros(dim)
            self.running_var = torch.ones(dim)

        def __call__(self, x):
            if self.training:
                xmean = x.mean(0, keepdim=True)  # batch mean
                xvar = x.var(0, keepdim=True)  # batch variance
            else:
                xmean = self.running_mean
                xvar = self.running_var
            xhat = (x - xmean) / torch.sqrt(xvar + self.eps)  # normalize to unit variance
            self.out = self.gamma * xhat + self.beta
            if self.training:
                with torch.no_grad():
                    self.running_mean = (
                        1 - self.momentum
                    ) * self.running_mean + self.momentum * xmean
                    self.running_var = (1 - self.momentum) * self.running_var + self.momentum * xvar
            return self.out

        def parameters(self):
            return [self.gamma, self.beta]

    class Tanh:
        def __call__(self, x):
            self.out = torch.tanh(x)
            return self.out

        def parameters(self):
            return []

    n_embd = 10
    n_hidden = 40
    g = torch.Generator().manual_seed(2147483647)
    C = torch.randn((vocab_size, n_embd), generator=g)
    layers = [
        Linear(n_embd * block_size, n_hidden, bias=False),
        BatchNorm1d(n_hidden),
        Tanh(),
        Linear(n_hidden, n_hidden, bias=False),
        BatchNorm1d(n_hidden),
        Tanh(),
        Linear(n_hidden, n_hidden, bias=True),
        Tanh(),
        Linear(n_hidden, vocab_size, bias=False),
        BatchNorm1d(vocab_size),
    ]
    with torch.no_grad():
        # last layer: make less confident
        layers[-1].gamma *= 0.1
        # all other layers: apply gain
        for layer in layers[:-1]:
            if isinstance(layer, Linear):
                layer.weight *= 5 / 3

    parameters = [C] + [p for layer in layers for p in layer.parameters()]
    sync(parameters)
    n_params2 = sum(p.nelement() for p in parameters)
    for p in parameters:
        p.requires_grad = True

    lossi2 = []
    ud = []
    for _i in range(20):
        ix = torch.randint(0, Xtr.shape[0], (batch_size,), generator=g)
        sync([ix])
        Xb, Yb = Xtr[ix], Ytr[ix]
        emb = C[Xb]
        x = emb.view(emb.shape[0], -1)
        for layer in layers:
            x = layer(x)
        loss = F.cross_entropy(x, Yb)
        for layer in layers:
            layer.out.retain_grad()  # AFTER_DEBUG: would take out retain_graph
        for p in parameters:
            p.grad = None
        loss.backward()
        lr = 0.1
        for p in parameters:
            p.data += -lr * p.grad
        lossi2.append(loss.log10().item())
        with torch.no_grad():
            ud.append([((lr * p.grad).std() / p.data.std()).log10().item() for p in parameters])

    activation_lines, gradient_lines, hists = [], [], []
    for i, layer in enumerate(layers[:-1]):
        if isinstance(layer, Tanh):
            t = layer.out
            activation_lines.append(
                "layer %d (%10s): mean %+.2f, std %.2f, saturated: %.2f%%"  # noqa: UP031 (the lecture's)
                % (
                    i,
                    layer.__class__.__name__,
                    t.mean(),
                    t.std(),
                    (t.abs() > 0.97).float().mean() * 100,
                )
            )
            hy, hx = torch.histogram(t, density=True)
            hists.append((hx[:-1].detach().tolist(), hy.detach().tolist()))
    for i, layer in enumerate(layers[:-1]):
        if isinstance(layer, Tanh):
            t = layer.out.grad
            gradient_lines.append(
                "layer %d (%10s): mean %+f, std %e"  # noqa: UP031 (the lecture's)
                % (i, layer.__class__.__name__, t.mean(), t.std())
            )
    weight_lines = []
    for _i, p in enumerate(parameters):
        t = p.grad
        if p.ndim == 2:
            weight_lines.append(
                "weight %10s | mean %+f | std %e | grad:data ratio %e"  # noqa: UP031 (the lecture's)
                % (tuple(p.shape), t.mean(), t.std(), t.std() / p.std())
            )
    for layer in layers:
        layer.training = False
    with torch.no_grad():
        x = C[Xdev].view(Xdev.shape[0], -1)
        for layer in layers:
            x = layer(x)
        eval_loss = F.cross_entropy(x, Ydev)
    return {
        "init_loss": init_loss.item(),
        "uniform_loss": uniform_loss.item(),
        "scale": scale,
        "n_params": n_params,
        "lossi": lossi,
        "printed": printed,
        "saturated": saturated,
        "h_hist": h_hist,
        "bnmean": bnmean.numpy(),
        "bnstd": bnstd.numpy(),
        "bnmean_running": bnmean_running.numpy(),
        "bnstd_running": bnstd_running.numpy(),
        "running_requires_grad": bnmean_running.requires_grad,
        "split_losses": split_losses,
        "n_params2": n_params2,
        "lossi2": lossi2,
        "ud": ud,
        "activation_lines": activation_lines,
        "gradient_lines": gradient_lines,
        "weight_lines": weight_lines,
        "hists": hists,
        "running_var": layers[1].running_var.numpy(),
        "eval_loss": eval_loss.item(),
        "numels": [p.numel() for p in parameters],
    }


def makemore_backprop_ninja(torch: Any, nn: Any, F: Any, sync: Sync) -> dict:
    """makemore part 4: backpropagation by hand through every intermediate of the batch-norm
    MLP, checked against autograd with cmp(); the fused cross-entropy and batch-norm
    backward formulas; a training loop on the manual gradients under torch.no_grad()."""
    words = list(WORDS)
    stoi, itos = vocabulary(words)
    vocab_size = len(itos)
    block_size = 3
    random.seed(42)
    random.shuffle(words)
    n1 = int(0.8 * len(words))
    Xtr, Ytr = build_dataset(torch, words[:n1], stoi, block_size)

    report = {}

    def cmp(s, dt, t):
        ex = torch.all(dt == t.grad).item()
        app = torch.allclose(dt, t.grad)
        maxdiff = (dt - t.grad).abs().max().item()
        report[s] = (ex, app, maxdiff)
        return f"{s:15s} | exact: {str(ex):5s} | approximate: {str(app):5s} | maxdiff: {maxdiff}"

    n_embd = 10
    n_hidden = 64
    g = torch.Generator().manual_seed(2147483647)
    C = torch.randn((vocab_size, n_embd), generator=g)
    # Layer 1
    W1 = (
        torch.randn((n_embd * block_size, n_hidden), generator=g)
        * (5 / 3)
        / ((n_embd * block_size) ** 0.5)
    )
    b1 = torch.randn(n_hidden, generator=g) * 0.1  # using b1 just for fun, it's useless
    # Layer 2
    W2 = torch.randn((n_hidden, vocab_size), generator=g) * 0.1
    b2 = torch.randn(vocab_size, generator=g) * 0.1
    # BatchNorm parameters
    bngain = torch.randn((1, n_hidden)) * 0.1 + 1.0
    bnbias = torch.randn((1, n_hidden)) * 0.1
    parameters = [C, W1, b1, W2, b2, bngain, bnbias]
    sync(parameters)
    n_params = sum(p.nelement() for p in parameters)
    for p in parameters:
        p.requires_grad = True

    batch_size = 32
    n = batch_size  # a shorter variable also, for convenience
    ix = torch.randint(0, Xtr.shape[0], (batch_size,), generator=g)
    sync([ix])
    Xb, Yb = Xtr[ix], Ytr[ix]  # batch X,Y

    emb = C[Xb]  # embed the characters into vectors
    embcat = emb.view(emb.shape[0], -1)  # concatenate the vectors
    # Linear layer 1
    hprebn = embcat @ W1 + b1  # hidden layer pre-activation
    # BatchNorm layer
    bnmeani = 1 / n * hprebn.sum(0, keepdim=True)
    bndiff = hprebn - bnmeani
    bndiff2 = bndiff**2
    bnvar = 1 / (n - 1) * (bndiff2).sum(0, keepdim=True)  # Bessel's correction
    bnvar_inv = (bnvar + 1e-5) ** -0.5
    bnraw = bndiff * bnvar_inv
    hpreact = bngain * bnraw + bnbias
    # Non-linearity
    h = torch.tanh(hpreact)  # hidden layer
    # Linear layer 2
    logits = h @ W2 + b2  # output layer
    # cross entropy loss (same as F.cross_entropy(logits, Yb))
    logit_maxes = logits.max(1, keepdim=True).values
    norm_logits = logits - logit_maxes  # subtract max for numerical stability
    counts = norm_logits.exp()
    counts_sum = counts.sum(1, keepdims=True)
    counts_sum_inv = counts_sum**-1
    probs = counts * counts_sum_inv
    logprobs = probs.log()
    loss = -logprobs[range(n), Yb].mean()

    for p in parameters:
        p.grad = None
    for t in [
        logprobs,
        probs,
        counts,
        counts_sum,
        counts_sum_inv,
        norm_logits,
        logit_maxes,
        logits,
        h,
        hpreact,
        bnraw,
        bnvar_inv,
        bnvar,
        bndiff2,
        bndiff,
        hprebn,
        bnmeani,
        embcat,
        emb,
    ]:
        t.retain_grad()
    loss.backward()

    # Exercise 1: backprop through the whole thing manually
    dlogprobs = torch.zeros_like(logprobs)
    dlogprobs[range(n), Yb] = -1.0 / n
    dprobs = (1.0 / probs) * dlogprobs
    dcounts_sum_inv = (counts * dprobs).sum(1, keepdim=True)
    dcounts = counts_sum_inv * dprobs
    dcounts_sum = (-(counts_sum**-2)) * dcounts_sum_inv
    dcounts += torch.ones_like(counts) * dcounts_sum
    dnorm_logits = counts * dcounts
    dlogits = dnorm_logits.clone()
    dlogit_maxes = (-dnorm_logits).sum(1, keepdim=True)
    dlogits += F.one_hot(logits.max(1).indices, num_classes=logits.shape[1]) * dlogit_maxes
    dh = dlogits @ W2.T
    dW2 = h.T @ dlogits
    db2 = dlogits.sum(0)
    dhpreact = (1.0 - h**2) * dh
    dbngain = (bnraw * dhpreact).sum(0, keepdim=True)
    dbnraw = bngain * dhpreact
    dbnbias = dhpreact.sum(0, keepdim=True)
    dbndiff = bnvar_inv * dbnraw
    dbnvar_inv = (bndiff * dbnraw).sum(0, keepdim=True)
    dbnvar = (-0.5 * (bnvar + 1e-5) ** -1.5) * dbnvar_inv
    dbndiff2 = (1.0 / (n - 1)) * torch.ones_like(bndiff2) * dbnvar
    dbndiff += (2 * bndiff) * dbndiff2
    dhprebn = dbndiff.clone()
    dbnmeani = (-dbndiff).sum(0)
    dhprebn += 1.0 / n * (torch.ones_like(hprebn) * dbnmeani)
    dembcat = dhprebn @ W1.T
    dW1 = embcat.T @ dhprebn
    db1 = dhprebn.sum(0)
    demb = dembcat.view(emb.shape)
    dC = torch.zeros_like(C)
    for k in range(Xb.shape[0]):
        for j in range(Xb.shape[1]):
            ix = Xb[k, j]
            dC[ix] += demb[k, j]

    lines = [
        cmp("logprobs", dlogprobs, logprobs),
        cmp("probs", dprobs, probs),
        cmp("counts_sum_inv", dcounts_sum_inv, counts_sum_inv),
        cmp("counts_sum", dcounts_sum, counts_sum),
        cmp("counts", dcounts, counts),
        cmp("norm_logits", dnorm_logits, norm_logits),
        cmp("logit_maxes", dlogit_maxes, logit_maxes),
        cmp("logits", dlogits, logits),
        cmp("h", dh, h),
        cmp("W2", dW2, W2),
        cmp("b2", db2, b2),
        cmp("hpreact", dhpreact, hpreact),
        cmp("bngain", dbngain, bngain),
        cmp("bnbias", dbnbias, bnbias),
        cmp("bnraw", dbnraw, bnraw),
        cmp("bnvar_inv", dbnvar_inv, bnvar_inv),
        cmp("bnvar", dbnvar, bnvar),
        cmp("bndiff2", dbndiff2, bndiff2),
        cmp("bndiff", dbndiff, bndiff),
        cmp("bnmeani", dbnmeani, bnmeani),
        cmp("hprebn", dhprebn, hprebn),
        cmp("embcat", dembcat, embcat),
        cmp("W1", dW1, W1),
        cmp("b1", db1, b1),
        cmp("emb", demb, emb),
        cmp("C", dC, C),
    ]

    # Exercise 2: the cross entropy backward in one go
    loss_fast = F.cross_entropy(logits, Yb)
    ce_diff = (loss_fast - loss).item()
    dlogits = F.softmax(logits, 1)
    dlogits[range(n), Yb] -= 1
    dlogits /= n
    lines.append(cmp("logits_fast", dlogits, logits))
    row_sums = dlogits.sum(1).tolist()

    # Exercise 3: the batch norm backward in one go
    hpreact_fast = (
        bngain
        * (hprebn - hprebn.mean(0, keepdim=True))
        / torch.sqrt(hprebn.var(0, keepdim=True, unbiased=True) + 1e-5)
        + bnbias
    )
    bn_diff = (hpreact_fast - hpreact).abs().max()
    dhprebn = (
        bngain
        * bnvar_inv
        / n
        * (n * dhpreact - dhpreact.sum(0) - n / (n - 1) * bnraw * (dhpreact * bnraw).sum(0))
    )
    lines.append(cmp("hprebn_fast", dhprebn, hprebn))

    # Exercise 4: train on the manual gradients
    losses = []
    with torch.no_grad():
        for _i in range(15):
            ix = torch.randint(0, Xtr.shape[0], (batch_size,), generator=g)
            sync([ix])
            Xb, Yb = Xtr[ix], Ytr[ix]
            emb = C[Xb]
            embcat = emb.view(emb.shape[0], -1)
            hprebn = embcat @ W1 + b1
            bnmean = hprebn.mean(0, keepdim=True)
            bnvar = hprebn.var(0, keepdim=True, unbiased=True)
            bnvar_inv = (bnvar + 1e-5) ** -0.5
            bnraw = (hprebn - bnmean) * bnvar_inv
            hpreact = bngain * bnraw + bnbias
            h = torch.tanh(hpreact)
            logits = h @ W2 + b2
            loss = F.cross_entropy(logits, Yb)

            dlogits = F.softmax(logits, 1)
            dlogits[range(n), Yb] -= 1
            dlogits /= n
            dh = dlogits @ W2.T
            dW2 = h.T @ dlogits
            db2 = dlogits.sum(0)
            dhpreact = (1.0 - h**2) * dh
            dbngain = (bnraw * dhpreact).sum(0, keepdim=True)
            dbnbias = dhpreact.sum(0, keepdim=True)
            dhprebn = (
                bngain
                * bnvar_inv
                / n
                * (n * dhpreact - dhpreact.sum(0) - n / (n - 1) * bnraw * (dhpreact * bnraw).sum(0))
            )
            dembcat = dhprebn @ W1.T
            dW1 = embcat.T @ dhprebn
            db1 = dhprebn.sum(0)
            demb = dembcat.view(emb.shape)
            dC = torch.zeros_like(C)
            for k in range(Xb.shape[0]):
                for j in range(Xb.shape[1]):
                    ix = Xb[k, j]
                    dC[ix] += demb[k, j]
            grads = [dC, dW1, db1, dW2, db2, dbngain, dbnbias]
            lr = 0.1
            for p, grad in zip(parameters, grads):
                p.data += -lr * grad
            losses.append(loss.item())
    return {
        "n_params": n_params,
        "report": report,
        "lines": lines,
        "ce_diff": ce_diff,
        "row_sums": row_sums,
        "bn_diff": bn_diff.item(),
        "losses": losses,
        "C": C.detach().numpy(),
    }


def makemore_wavenet(torch: Any, nn: Any, F: Any, sync: Sync) -> dict:
    """makemore part 5: a WaveNet-like hierarchy of hand-written Embedding, FlattenConsecutive,
    Linear, BatchNorm1d (normalising over dims (0, 1) for 3-d input), Tanh and Sequential."""
    words = list(WORDS)
    stoi, itos = vocabulary(words)
    vocab_size = len(itos)
    block_size = 8
    random.seed(42)
    random.shuffle(words)
    n1 = int(0.8 * len(words))
    n2 = int(0.9 * len(words))
    Xtr, Ytr = build_dataset(torch, words[:n1], stoi, block_size)
    Xdev, Ydev = build_dataset(torch, words[n1:n2], stoi, block_size)

    class Linear:
        def __init__(self, fan_in, fan_out, bias=True):
            self.weight = torch.randn((fan_in, fan_out)) / fan_in**0.5  # note: kaiming init
            self.bias = torch.zeros(fan_out) if bias else None

        def __call__(self, x):
            self.out = x @ self.weight
            if self.bias is not None:
                self.out += self.bias
            return self.out

        def parameters(self):
            return [self.weight] + ([] if self.bias is None else [self.bias])

    class BatchNorm1d:
        def __init__(self, dim, eps=1e-5, momentum=0.1):
            self.eps = eps
            self.momentum = momentum
            self.training = True
            self.gamma = torch.ones(dim)
            self.beta = torch.zeros(dim)
            self.running_mean = torch.zeros(dim)
            self.running_var = torch.ones(dim)

        def __call__(self, x):
            if self.training:
                if x.ndim == 2:
                    dim = 0
                elif x.ndim == 3:
                    dim = (0, 1)
                xmean = x.mean(dim, keepdim=True)  # batch mean
                xvar = x.var(dim, keepdim=True)  # batch variance
            else:
                xmean = self.running_mean
                xvar = self.running_var
            xhat = (x - xmean) / torch.sqrt(xvar + self.eps)
            self.out = self.gamma * xhat + self.beta
            if self.training:
                with torch.no_grad():
                    self.running_mean = (
                        1 - self.momentum
                    ) * self.running_mean + self.momentum * xmean
                    self.running_var = (1 - self.momentum) * self.running_var + self.momentum * xvar
            return self.out

        def parameters(self):
            return [self.gamma, self.beta]

    class Tanh:
        def __call__(self, x):
            self.out = torch.tanh(x)
            return self.out

        def parameters(self):
            return []

    class Embedding:
        def __init__(self, num_embeddings, embedding_dim):
            self.weight = torch.randn((num_embeddings, embedding_dim))

        def __call__(self, IX):
            self.out = self.weight[IX]
            return self.out

        def parameters(self):
            return [self.weight]

    class FlattenConsecutive:
        def __init__(self, n):
            self.n = n

        def __call__(self, x):
            B, T, C = x.shape
            x = x.view(B, T // self.n, C * self.n)
            if x.shape[1] == 1:
                x = torch.squeeze(x, dim=1)
            self.out = x
            return self.out

        def parameters(self):
            return []

    class Sequential:
        def __init__(self, layers):
            self.layers = layers

        def __call__(self, x):
            for layer in self.layers:
                x = layer(x)
            self.out = x
            return self.out

        def parameters(self):
            # get parameters of all layers and stretch them out into one list
            return [p for layer in self.layers for p in layer.parameters()]

    # the lecture's check that view is the explicit concatenation of consecutive pairs
    e = torch.randn(4, 8, 10)
    explicit = torch.cat([e[:, ::2, :], e[:, 1::2, :]], dim=2)
    view_is_pairs = (e.view(4, 4, 20) == explicit).all().item()

    torch.manual_seed(42)  # seed rng for reproducibility
    n_embd = 10
    n_hidden = 32
    model = Sequential(
        [
            Embedding(vocab_size, n_embd),
            FlattenConsecutive(2),
            Linear(n_embd * 2, n_hidden, bias=False),
            BatchNorm1d(n_hidden),
            Tanh(),
            FlattenConsecutive(2),
            Linear(n_hidden * 2, n_hidden, bias=False),
            BatchNorm1d(n_hidden),
            Tanh(),
            FlattenConsecutive(2),
            Linear(n_hidden * 2, n_hidden, bias=False),
            BatchNorm1d(n_hidden),
            Tanh(),
            Linear(n_hidden, vocab_size),
        ]
    )
    with torch.no_grad():
        model.layers[-1].weight *= 0.1  # last layer make less confident
    parameters = model.parameters()
    sync(parameters)
    n_params = sum(p.nelement() for p in parameters)
    for p in parameters:
        p.requires_grad = True

    ix = torch.randint(0, Xtr.shape[0], (4,))
    sync([ix])
    Xb, Yb = Xtr[ix], Ytr[ix]
    logits = model(Xb)
    shapes = [(layer.__class__.__name__, tuple(layer.out.shape)) for layer in model.layers]

    max_steps = 40
    batch_size = 32
    lossi = []
    for i in range(max_steps):
        ix = torch.randint(0, Xtr.shape[0], (batch_size,))
        sync([ix])
        Xb, Yb = Xtr[ix], Ytr[ix]  # batch X,Y
        logits = model(Xb)
        loss = F.cross_entropy(logits, Yb)
        for p in parameters:
            p.grad = None
        loss.backward()
        lr = 0.1 if i < 30 else 0.01  # step learning rate decay
        for p in parameters:
            p.data += -lr * p.grad
        lossi.append(loss.log10().item())
    smoothed = torch.tensor(lossi).view(-1, 10).mean(1).tolist()

    for layer in model.layers:
        layer.training = False

    split_losses = {}

    @torch.no_grad()
    def split_loss(split):
        x, y = {
            "train": (Xtr, Ytr),
            "val": (Xdev, Ydev),
        }[split]
        logits = model(x)
        loss = F.cross_entropy(logits, y)
        split_losses[split] = loss.item()

    split_loss("train")
    split_loss("val")

    samples = []
    for _ in range(3):
        out = []
        context = [0] * block_size  # initialize with all ...
        while True:
            logits = model(torch.tensor([context]))
            probs = F.softmax(logits, dim=1)
            ix = torch.multinomial(probs, num_samples=1).item()
            context = context[1:] + [ix]
            out.append(ix)
            if ix == 0:
                break
        samples.append("".join(itos[i] for i in out))
    return {
        "view_is_pairs": view_is_pairs,
        "n_params": n_params,
        "shapes": shapes,
        "lossi": lossi,
        "smoothed": smoothed,
        "split_losses": split_losses,
        "samples": samples,
        "running_mean": model.layers[3].running_mean.numpy(),
        "running_var": model.layers[3].running_var.numpy(),
        "running_shape": tuple(model.layers[3].running_mean.shape),
    }


def ng_gpt(torch: Any, nn: Any, F: Any, sync: Sync) -> dict:
    """ng-video-lecture: the gpt-dev notebook's cells (the averaging trick three ways, one
    self-attention head, a hand-written LayerNorm1d), bigram.py's model, and gpt.py's
    character-level transformer with get_batch, estimate_loss and generate."""
    # hyperparameters
    batch_size = 4  # how many independent sequences will we process in parallel?
    block_size = 8  # what is the maximum context length for predictions?
    max_iters = 12
    eval_interval = 5
    learning_rate = 1e-3
    device = "cuda" if torch.cuda.is_available() else "cpu"
    eval_iters = 3
    n_embd = 16
    n_head = 4
    n_layer = 2
    dropout = 0.0

    torch.manual_seed(1337)
    text = TEXT
    # here are all the unique characters that occur in this text
    chars = sorted(list(set(text)))
    vocab_size = len(chars)
    # create a mapping from characters to integers
    stoi = {ch: i for i, ch in enumerate(chars)}
    itos = {i: ch for i, ch in enumerate(chars)}
    encode = lambda s: [stoi[c] for c in s]  # noqa: E731 (the lecture's)
    decode = lambda l: "".join([itos[i] for i in l])  # noqa: E731, E741

    # Train and test splits
    data = torch.tensor(encode(text), dtype=torch.long)
    n = int(0.9 * len(data))  # first 90% will be train, rest val
    train_data = data[:n]
    val_data = data[n:]

    x = train_data[:block_size]
    y = train_data[1 : block_size + 1]
    pairs = []
    for t in range(block_size):
        context = x[: t + 1]
        target = y[t]
        pairs.append((context.tolist(), target.item(), f"{target}"))

    # data loading
    def get_batch(split):
        # generate a small batch of data of inputs x and targets y
        data = train_data if split == "train" else val_data
        ix = torch.randint(len(data) - block_size, (batch_size,))
        sync([ix])
        x = torch.stack([data[i : i + block_size] for i in ix])
        y = torch.stack([data[i + 1 : i + block_size + 1] for i in ix])
        x, y = x.to(device), y.to(device)
        return x, y

    # --- the mathematical trick in self-attention ---
    B, T, C = 4, 8, 2  # batch, time, channels
    x = torch.randn(B, T, C)
    sync([x])
    xbow = torch.zeros((B, T, C))
    for b in range(B):
        for t in range(T):
            xprev = x[b, : t + 1]  # (t,C)
            xbow[b, t] = torch.mean(xprev, 0)
    wei = torch.tril(torch.ones(T, T))
    wei = wei / wei.sum(1, keepdim=True)
    xbow2 = wei @ x  # (B, T, T) @ (B, T, C) ----> (B, T, C)
    tril = torch.tril(torch.ones(T, T))
    wei = torch.zeros((T, T))
    wei = wei.masked_fill(tril == 0, float("-inf"))
    wei = F.softmax(wei, dim=-1)
    xbow3 = wei @ x
    a = torch.tril(torch.ones(3, 3))
    a = a / torch.sum(a, 1, keepdim=True)
    b = torch.randint(0, 10, (3, 2)).float()
    sync([b])
    c = a @ b

    # version 4: self-attention!
    B, T, C = 4, 8, 32
    x = torch.randn(B, T, C)
    head_size = 16
    key = nn.Linear(C, head_size, bias=False)
    query = nn.Linear(C, head_size, bias=False)
    value = nn.Linear(C, head_size, bias=False)
    sync([x, key.weight, query.weight, value.weight])
    k = key(x)  # (B, T, 16)
    q = query(x)  # (B, T, 16)
    wei = q @ k.transpose(-2, -1)  # (B, T, 16) @ (B, 16, T) ---> (B, T, T)
    tril = torch.tril(torch.ones(T, T))
    wei = wei.masked_fill(tril == 0, float("-inf"))
    wei = F.softmax(wei, dim=-1)
    v = value(x)
    out = wei @ v
    k = torch.randn(B, T, head_size)
    q = torch.randn(B, T, head_size)
    sync([k, q])
    scaled = q @ k.transpose(-2, -1) * head_size**-0.5
    sharpened = torch.softmax(torch.tensor([0.1, -0.2, 0.3, -0.2, 0.5]) * 8, dim=-1)

    class LayerNorm1d:  # (used to be BatchNorm1d)
        def __init__(self, dim, eps=1e-5, momentum=0.1):
            self.eps = eps
            self.gamma = torch.ones(dim)
            self.beta = torch.zeros(dim)

        def __call__(self, x):
            # calculate the forward pass
            xmean = x.mean(1, keepdim=True)  # batch mean
            xvar = x.var(1, keepdim=True)  # batch variance
            xhat = (x - xmean) / torch.sqrt(xvar + self.eps)  # normalize to unit variance
            self.out = self.gamma * xhat + self.beta
            return self.out

        def parameters(self):
            return [self.gamma, self.beta]

    module = LayerNorm1d(100)
    xl = torch.randn(32, 100)  # batch size 32 of 100-dimensional vectors
    sync([xl])
    xl = module(xl)
    ln_stats = [xl[:, 0].mean(), xl[:, 0].std(), xl[0, :].mean(), xl[0, :].std()]

    # --- bigram.py ---
    class BigramLanguageModel(nn.Module):
        def __init__(self, vocab_size):
            super().__init__()
            # each token directly reads off the logits for the next token from a lookup table
            self.token_embedding_table = nn.Embedding(vocab_size, vocab_size)

        def forward(self, idx, targets=None):
            # idx and targets are both (B,T) tensor of integers
            logits = self.token_embedding_table(idx)  # (B,T,C)
            if targets is None:
                loss = None
            else:
                B, T, C = logits.shape
                logits = logits.view(B * T, C)
                targets = targets.view(B * T)
                loss = F.cross_entropy(logits, targets)
            return logits, loss

        def generate(self, idx, max_new_tokens):
            # idx is (B, T) array of indices in the current context
            for _ in range(max_new_tokens):
                logits, loss = self(idx)
                logits = logits[:, -1, :]  # becomes (B, C)
                probs = F.softmax(logits, dim=-1)  # (B, C)
                idx_next = torch.multinomial(probs, num_samples=1)  # (B, 1)
                idx = torch.cat((idx, idx_next), dim=1)  # (B, T+1)
            return idx

    bigram = BigramLanguageModel(vocab_size)
    m = bigram.to(device)
    sync(list(m.parameters()))
    xb, yb = get_batch("train")
    logits, loss = m(xb, yb)
    bigram_shape = tuple(logits.shape)
    bigram_first = loss.item()
    optimizer = torch.optim.AdamW(m.parameters(), lr=1e-3)
    bigram_losses = []
    for _steps in range(10):
        xb, yb = get_batch("train")
        logits, loss = m(xb, yb)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        bigram_losses.append(loss.item())
    bigram_text = decode(
        m.generate(idx=torch.zeros((1, 1), dtype=torch.long), max_new_tokens=20)[0].tolist()
    )

    # --- gpt.py ---
    class Head(nn.Module):
        """one head of self-attention"""

        def __init__(self, head_size):
            super().__init__()
            self.key = nn.Linear(n_embd, head_size, bias=False)
            self.query = nn.Linear(n_embd, head_size, bias=False)
            self.value = nn.Linear(n_embd, head_size, bias=False)
            self.register_buffer("tril", torch.tril(torch.ones(block_size, block_size)))

            self.dropout = nn.Dropout(dropout)

        def forward(self, x):
            B, T, C = x.shape
            k = self.key(x)  # (B,T,C)
            q = self.query(x)  # (B,T,C)
            # compute attention scores ("affinities")
            wei = q @ k.transpose(-2, -1) * C**-0.5  # (B, T, C) @ (B, C, T) -> (B, T, T)
            wei = wei.masked_fill(self.tril[:T, :T] == 0, float("-inf"))  # (B, T, T)
            wei = F.softmax(wei, dim=-1)  # (B, T, T)
            wei = self.dropout(wei)
            # perform the weighted aggregation of the values
            v = self.value(x)  # (B,T,C)
            out = wei @ v  # (B, T, T) @ (B, T, C) -> (B, T, C)
            return out

    class MultiHeadAttention(nn.Module):
        """multiple heads of self-attention in parallel"""

        def __init__(self, num_heads, head_size):
            super().__init__()
            self.heads = nn.ModuleList([Head(head_size) for _ in range(num_heads)])
            self.proj = nn.Linear(n_embd, n_embd)
            self.dropout = nn.Dropout(dropout)

        def forward(self, x):
            out = torch.cat([h(x) for h in self.heads], dim=-1)
            out = self.dropout(self.proj(out))
            return out

    class FeedFoward(nn.Module):
        """a simple linear layer followed by a non-linearity"""

        def __init__(self, n_embd):
            super().__init__()
            self.net = nn.Sequential(
                nn.Linear(n_embd, 4 * n_embd),
                nn.ReLU(),
                nn.Linear(4 * n_embd, n_embd),
                nn.Dropout(dropout),
            )

        def forward(self, x):
            return self.net(x)

    class Block(nn.Module):
        """Transformer block: communication followed by computation"""

        def __init__(self, n_embd, n_head):
            # n_embd: embedding dimension, n_head: the number of heads we'd like
            super().__init__()
            head_size = n_embd // n_head
            self.sa = MultiHeadAttention(n_head, head_size)
            self.ffwd = FeedFoward(n_embd)
            self.ln1 = nn.LayerNorm(n_embd)
            self.ln2 = nn.LayerNorm(n_embd)

        def forward(self, x):
            x = x + self.sa(self.ln1(x))
            x = x + self.ffwd(self.ln2(x))
            return x

    class GPTLanguageModel(nn.Module):
        def __init__(self):
            super().__init__()
            # each token directly reads off the logits for the next token from a lookup table
            self.token_embedding_table = nn.Embedding(vocab_size, n_embd)
            self.position_embedding_table = nn.Embedding(block_size, n_embd)
            self.blocks = nn.Sequential(*[Block(n_embd, n_head=n_head) for _ in range(n_layer)])
            self.ln_f = nn.LayerNorm(n_embd)  # final layer norm
            self.lm_head = nn.Linear(n_embd, vocab_size)

            # better init, not covered in the original GPT video, but important, will cover in
            # followup video
            self.apply(self._init_weights)

        def _init_weights(self, module):
            if isinstance(module, nn.Linear):
                torch.nn.init.normal_(module.weight, mean=0.0, std=0.02)
                if module.bias is not None:
                    torch.nn.init.zeros_(module.bias)
            elif isinstance(module, nn.Embedding):
                torch.nn.init.normal_(module.weight, mean=0.0, std=0.02)

        def forward(self, idx, targets=None):
            B, T = idx.shape

            # idx and targets are both (B,T) tensor of integers
            tok_emb = self.token_embedding_table(idx)  # (B,T,C)
            pos_emb = self.position_embedding_table(torch.arange(T, device=device))  # (T,C)
            x = tok_emb + pos_emb  # (B,T,C)
            x = self.blocks(x)  # (B,T,C)
            x = self.ln_f(x)  # (B,T,C)
            logits = self.lm_head(x)  # (B,T,vocab_size)

            if targets is None:
                loss = None
            else:
                B, T, C = logits.shape
                logits = logits.view(B * T, C)
                targets = targets.view(B * T)
                loss = F.cross_entropy(logits, targets)

            return logits, loss

        def generate(self, idx, max_new_tokens):
            # idx is (B, T) array of indices in the current context
            for _ in range(max_new_tokens):
                # crop idx to the last block_size tokens
                idx_cond = idx[:, -block_size:]
                # get the predictions
                logits, loss = self(idx_cond)
                # focus only on the last time step
                logits = logits[:, -1, :]  # becomes (B, C)
                # apply softmax to get probabilities
                probs = F.softmax(logits, dim=-1)  # (B, C)
                # sample from the distribution
                idx_next = torch.multinomial(probs, num_samples=1)  # (B, 1)
                # append sampled index to the running sequence
                idx = torch.cat((idx, idx_next), dim=1)  # (B, T+1)
            return idx

    model = GPTLanguageModel()
    m = model.to(device)
    sync(list(m.parameters()))
    # print the number of parameters in the model
    n_params = sum(p.numel() for p in m.parameters()) / 1e6

    @torch.no_grad()
    def estimate_loss():
        out = {}
        model.eval()
        for split in ["train", "val"]:
            losses = torch.zeros(eval_iters)
            for k in range(eval_iters):
                X, Y = get_batch(split)
                logits, loss = model(X, Y)
                losses[k] = loss.item()
            out[split] = losses.mean()
        model.train()
        return out

    # create a PyTorch optimizer
    optimizer = torch.optim.AdamW(model.parameters(), lr=learning_rate)

    printed = []
    train_losses = []
    for iter in range(max_iters):
        # every once in a while evaluate the loss on train and val sets
        if iter % eval_interval == 0 or iter == max_iters - 1:
            losses = estimate_loss()
            printed.append(
                f"step {iter}: train loss {losses['train']:.4f}, val loss {losses['val']:.4f}"
            )

        # sample a batch of data
        xb, yb = get_batch("train")

        # evaluate the loss
        logits, loss = model(xb, yb)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        train_losses.append(loss.item())

    # generate from the model
    context = torch.zeros((1, 1), dtype=torch.long, device=device)
    generated = m.generate(context, max_new_tokens=12)[0].tolist()
    sample = decode(generated)
    return {
        "pairs": pairs,
        "xbow": xbow.numpy(),
        "xbow_same": [torch.allclose(xbow, xbow2), torch.allclose(xbow, xbow3)],
        "c": c.numpy(),
        "b": b.numpy(),
        "attention_out": out.detach().numpy(),
        "attention_wei": wei.detach().numpy(),
        "variances": [k.var().item(), q.var().item(), scaled.var().item()],
        "sharpened": sharpened.numpy(),
        "ln_stats": [float(s) for s in ln_stats],
        "bigram_shape": bigram_shape,
        "bigram_first": bigram_first,
        "bigram_losses": bigram_losses,
        "bigram_text": bigram_text,
        "n_params": n_params,
        "printed": printed,
        "train_losses": train_losses,
        "generated": generated,
        "sample": sample,
        "buffers": sorted(name for name, _ in model.named_buffers()),
        "state_keys": len(model.state_dict()),
    }
