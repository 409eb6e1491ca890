"""fast.ai's course part 2 (2022), "from the foundations": the torch-only parts of
01_matmul, 03_backprop, 04_minibatch_training, 09_learner, 10_activations and
11_initializing, shortened
(8x8 synthetic "digits" instead of MNIST, a few epochs) and written once against the names
``torch``, ``nn``, ``F``, ``optim``, ``data`` (``torch.utils.data``).

fastcore's helpers the notebooks import (``test_close``, ``store_attr``, ``L``, ``chunked``)
are rewritten here in a line or two each; everything that touches a tensor is the notebooks'.
Initial weights pass through ``sync`` (see course_scripts); batches drawn with Python's
``random`` are the same in both libraries, those drawn by torch's samplers are not and only
their properties are returned.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Iterable, Mapping
from functools import partial, reduce
from itertools import islice
from operator import attrgetter
from typing import Any

import numpy as np

Sync = Callable[[Any], None]


def digits(n_train: int = 200, n_valid: int = 50, side: int = 8) -> tuple:
    """Synthetic MNIST stand-ins as the pickle gives them: float32 pixels in [0, 1) with
    int64 labels 0-9, each image its class's prototype plus noise."""
    rs = np.random.RandomState(0)
    prototypes = rs.rand(10, side * side)
    out = []
    for n in (n_train, n_valid):
        y = rs.randint(0, 10, size=n).astype(np.int64)
        x = (0.6 * prototypes[y] + 0.4 * rs.rand(n, side * side)).astype(np.float32)
        out += [x, y]
    return tuple(out)


def is_close(a: Any, b: Any, eps: float = 1e-5) -> Any:
    """fastcore.test.is_close."""
    if hasattr(a, "__array__") or hasattr(b, "__array__"):
        return (abs(a - b) < eps).all()
    if isinstance(a, Iterable) or isinstance(b, Iterable):
        return all(abs(a_ - b_) < eps for a_, b_ in zip(a, b))
    return abs(a - b) < eps


def test_close(a: Any, b: Any, eps: float = 1e-5) -> None:
    """fastcore.test.test_close."""
    assert is_close(a, b, eps), f"close:\n{a}\n{b}"


def fastai_matmul(torch: Any, sync: Sync) -> dict:
    """01_matmul: matrix multiplication from loops to broadcasting to einsum."""
    x_train, y_train, x_valid, y_valid = digits()
    tensor = torch.tensor
    x_train, y_train, x_valid, y_valid = map(tensor, (x_train, y_train, x_valid, y_valid))
    types = [x_train.type(), y_train.type()]
    imgs = x_train.reshape((-1, 8, 8))
    pixel = imgs[0, 5, 3]
    n, c = x_train.shape
    n_c = (n, c)
    label_range = [min(y_train).item(), max(y_train).item(), y_train.min(), y_train.max()]

    torch.manual_seed(1)
    weights = torch.randn(64, 10)
    bias = torch.zeros(10)
    sync([weights])
    m1 = x_valid[:5]
    m2 = weights
    ar, ac = m1.shape  # n_rows * n_cols
    br, bc = m2.shape
    t1 = torch.zeros(ar, bc)
    for i in range(ar):  # 5
        for j in range(bc):  # 10
            for k in range(ac):  # 64
                t1[i, j] += m1[i, k] * m2[k, j]
    torch.set_printoptions(precision=2, linewidth=140, sci_mode=False)
    printed = str(t1)
    torch.set_printoptions(profile="default")

    def matmul(a, b):
        (ar, ac), (br, bc) = a.shape, b.shape  # noqa: F841 (the notebook's)
        c = torch.zeros(ar, bc)
        for i in range(ar):
            for j in range(bc):
                for k in range(ac):
                    c[i, j] += a[i, k] * b[k, j]
        return c

    test_close(t1, matmul(m1, m2))
    _m1, _m2 = m1.numpy(), m2.numpy()

    # elementwise ops
    a = tensor([10.0, 6, -4])
    b = tensor([2.0, 8, 7])
    frac = (a < b).float().mean()
    m = tensor([[1.0, 2, 3], [4, 5, 6], [7, 8, 9]])
    sf = (m * m).sum()
    frobenius = sf.sqrt()
    rows = [m[2, :].tolist(), m[:, 2].tolist(), m[2].tolist()]

    def matmul(a, b):  # noqa: F811 (the notebook redefines it at each step)
        (ar, ac), (br, bc) = a.shape, b.shape  # noqa: F841 (the notebook's)
        c = torch.zeros(ar, bc)
        for i in range(ar):
            for j in range(bc):
                c[i, j] = (a[i, :] * b[:, j]).sum()
        return c

    test_close(t1, matmul(m1, m2))

    def matmul(a, b):  # noqa: F811
        (ar, ac), (br, bc) = a.shape, b.shape  # noqa: F841 (the notebook's)
        c = torch.zeros(ar, bc)
        for i in range(ar):
            for j in range(bc):
                c[i, j] = torch.dot(a[i, :], b[:, j])
        return c

    test_close(t1, matmul(m1, m2))

    # broadcasting
    c = tensor([10.0, 20, 30])
    t = c.expand_as(m)
    t_storage = t.storage()
    broadcast = [
        (a > 0).tolist(),
        (a + 1).tolist(),
        (2 * m).tolist(),
        (m + c).tolist(),
        (c + m).tolist(),
        (m + t).tolist(),
        t_storage.tolist(),
        list(t.stride()),
        tuple(t.shape),
        c.unsqueeze(0).tolist(),
        c[None, :].tolist(),
        tuple(c.unsqueeze(1).shape),
        c[:, None].tolist(),
        tuple(c[None].shape),
        tuple(c[..., None].shape),
        c[:, None].expand_as(m).tolist(),
        (m + c[:, None]).tolist(),
        (m + c[None, :]).tolist(),
        (c[None, :] * c[:, None]).tolist(),
        (c[None] > c[:, None]).tolist(),
    ]

    digit = m1[0]
    shapes = [
        tuple(digit[:, None].shape),
        tuple(digit[:, None].expand_as(m2).shape),
        tuple((digit[:, None] * m2).shape),
    ]

    def matmul(a, b):  # noqa: F811
        (ar, ac), (br, bc) = a.shape, b.shape  # noqa: F841 (the notebook's)
        c = torch.zeros(ar, bc)
        for i in range(ar):
            #       c[i,j] = (a[i,:]          * b[:,j]).sum()      # previous version
            c[i] = (a[i, :, None] * b).sum(dim=0)  # broadcast version
        return c

    test_close(t1, matmul(m1, m2))
    tr = matmul(x_train, weights)

    # Einstein summation
    mr = torch.einsum("ik,kj->ikj", m1, m2)
    test_close(mr.sum(1), t1)
    test_close(torch.einsum("ik,kj->ij", m1, m2), t1)

    def matmul(a, b):  # noqa: F811
        return torch.einsum("ik,kj->ij", a, b)

    test_close(tr, matmul(x_train, weights), eps=1e-3)
    test_close(tr, x_train @ weights, eps=1e-3)

    def matmul(a, b):  # noqa: F811
        return torch.matmul(a, b)

    test_close(tr, matmul(x_train, weights), eps=1e-3)
    return {
        "types": types,
        "imgs_shape": tuple(imgs.shape),
        "pixel": pixel.item(),
        "n_c": n_c,
        "label_range": [int(v) for v in label_range],
        "t1": t1.numpy(),
        "printed": printed,
        "numpy_views": (type(_m1).__name__, _m1.dtype.name, _m2.shape),
        "frac": frac.item(),
        "frobenius": frobenius.item(),
        "rows": rows,
        "broadcast": broadcast,
        "shapes": shapes,
        "mr_shape": tuple(mr.shape),
        "tr": tr.numpy(),
        "bias": bias.tolist(),
        "weights": weights.numpy(),
    }


def fastai_backprop(torch: Any, nn: Any, F: Any, sync: Sync) -> dict:
    """03_backprop: a two-layer MLP's gradients by hand, stored as ``.g`` attributes on the
    tensors, checked against autograd; refactored into layer classes, a Module base with
    forward/bwd, and finally nn.Module with autograd."""
    x_train, y_train, x_valid, y_valid = digits()
    tensor = torch.tensor
    x_train, y_train, x_valid, y_valid = map(tensor, [x_train, y_train, x_valid, y_valid])
    n, m = x_train.shape
    c = y_train.max() + 1
    nh = 50
    w1 = torch.randn(m, nh)
    b1 = torch.zeros(nh)
    w2 = torch.randn(nh, 1)
    b2 = torch.zeros(1)
    sync([w1, w2])

    def lin(x, w, b):
        return x @ w + b

    t = lin(x_valid, w1, b1)

    def relu(x):
        return x.clamp_min(0.0)

    t = relu(t)

    def model(xb):
        l1 = lin(xb, w1, b1)
        l2 = relu(l1)
        return lin(l2, w2, b2)

    res = model(x_valid)
    shapes = [tuple(res.shape), tuple(res[:, 0].shape), tuple(res.squeeze().shape)]
    shapes.append(tuple((res - y_valid).shape))  # the broadcasting trap the notebook shows
    y_train, y_valid = y_train.float(), y_valid.float()
    preds = model(x_train)

    def mse(output, targ):
        return (output[:, 0] - targ).pow(2).mean()

    first_mse = mse(preds, y_train).item()

    def lin_grad(inp, out, w, b):
        # grad of matmul with respect to input
        inp.g = out.g @ w.t()
        w.g = (inp.unsqueeze(-1) * out.g.unsqueeze(1)).sum(0)
        b.g = out.g.sum(0)

    def forward_and_backward(inp, targ):
        # forward pass:
        l1 = lin(inp, w1, b1)
        l2 = relu(l1)
        out = lin(l2, w2, b2)
        diff = out[:, 0] - targ
        loss = diff.pow(2).mean()  # noqa: F841

        # backward pass:
        out.g = 2.0 * diff[:, None] / inp.shape[0]
        lin_grad(l2, out, w2, b2)
        l1.g = (l1 > 0).float() * l2.g
        lin_grad(inp, l1, w1, b1)

    forward_and_backward(x_train, y_train)

    # Save for testing against later
    def get_grad(x):
        return x.g.clone()

    chks = w1, w2, b1, b2, x_train
    grads = w1g, w2g, b1g, b2g, ig = tuple(map(get_grad, chks))

    def mkgrad(x):
        return x.clone().requires_grad_(True)

    ptgrads = w12, w22, b12, b22, xt2 = tuple(map(mkgrad, chks))

    def forward(inp, targ):
        l1 = lin(inp, w12, b12)
        l2 = relu(l1)
        out = lin(l2, w22, b22)
        return mse(out, targ)

    loss = forward(xt2, y_train)
    loss.backward()
    for a, b in zip(grads, ptgrads):
        test_close(a, b.grad, eps=0.01)

    # Refactor model
    class Relu:
        def __call__(self, inp):
            self.inp = inp
            self.out = inp.clamp_min(0.0)
            return self.out

        def backward(self):
            self.inp.g = (self.inp > 0).float() * self.out.g

    class Lin:
        def __init__(self, w, b):
            self.w, self.b = w, b

        def __call__(self, inp):
            self.inp = inp
            self.out = lin(inp, self.w, self.b)
            return self.out

        def backward(self):
            self.inp.g = self.out.g @ self.w.t()
            self.w.g = self.inp.t() @ self.out.g
            self.b.g = self.out.g.sum(0)

    class Mse:
        def __call__(self, inp, targ):
            self.inp, self.targ = inp, targ
            self.out = mse(inp, targ)
            return self.out

        def backward(self):
            self.inp.g = 2.0 * (self.inp.squeeze() - self.targ).unsqueeze(-1) / self.targ.shape[0]

    class Model:
        def __init__(self, w1, b1, w2, b2):
            self.layers = [Lin(w1, b1), Relu(), Lin(w2, b2)]
            self.loss = Mse()

        def __call__(self, x, targ):
            for l in self.layers:  # noqa: E741 (the notebook's)
                x = l(x)
            return self.loss(x, targ)

        def backward(self):
            self.loss.backward()
            for l in reversed(self.layers):  # noqa: E741
                l.backward()

    model = Model(w1, b1, w2, b2)
    loss = model(x_train, y_train)
    model.backward()
    test_close(w2g, w2.g, eps=0.01)
    test_close(b2g, b2.g, eps=0.01)
    test_close(w1g, w1.g, eps=0.01)
    test_close(b1g, b1.g, eps=0.01)
    test_close(ig, x_train.g, eps=0.01)

    # Module.forward()
    class Module:
        def __call__(self, *args):
            self.args = args
            self.out = self.forward(*args)
            return self.out

        def forward(self):
            raise Exception("not implemented")

        def backward(self):
            self.bwd(self.out, *self.args)

        def bwd(self):
            raise Exception("not implemented")

    class Relu(Module):  # noqa: F811
        def forward(self, inp):
            return inp.clamp_min(0.0)

        def bwd(self, out, inp):
            inp.g = (inp > 0).float() * out.g

    class Lin(Module):  # noqa: F811
        def __init__(self, w, b):
            self.w, self.b = w, b

        def forward(self, inp):
            return inp @ self.w + self.b

        def bwd(self, out, inp):
            inp.g = self.out.g @ self.w.t()
            self.w.g = inp.t() @ self.out.g
            self.b.g = self.out.g.sum(0)

    class Mse(Module):  # noqa: F811
        def forward(self, inp, targ):
            return (inp.squeeze() - targ).pow(2).mean()

        def bwd(self, out, inp, targ):
            inp.g = 2 * (inp.squeeze() - targ).unsqueeze(-1) / targ.shape[0]

    model = Model(w1, b1, w2, b2)
    loss = model(x_train, y_train)
    model.backward()
    test_close(w2g, w2.g, eps=0.01)
    test_close(b2g, b2.g, eps=0.01)
    test_close(w1g, w1.g, eps=0.01)
    test_close(b1g, b1.g, eps=0.01)
    test_close(ig, x_train.g, eps=0.01)

    # Autograd
    class Linear(nn.Module):
        def __init__(self, n_in, n_out):
            super().__init__()
            self.w = torch.randn(n_in, n_out).requires_grad_()
            self.b = torch.zeros(n_out).requires_grad_()

        def forward(self, inp):
            return inp @ self.w + self.b

    class Model(nn.Module):  # noqa: F811
        def __init__(self, n_in, nh, n_out):
            super().__init__()
            self.layers = [Linear(n_in, nh), nn.ReLU(), Linear(nh, n_out)]

        def __call__(self, x, targ):
            for l in self.layers:  # noqa: E741
                x = l(x)
            return F.mse_loss(x, targ[:, None])

    model = Model(m, nh, 1)
    with torch.no_grad():  # the first model's weights, so the gradients can be compared
        model.layers[0].w.copy_(w1)
        model.layers[2].w.copy_(w2)
    loss = model(x_train, y_train)
    loss.backward()
    l0 = model.layers[0]
    return {
        "n_m_c": (n, m, c.item()),
        "shapes": shapes,
        "first_mse": first_mse,
        "grads": [g.numpy() for g in grads],
        "autograd_grads": [p.grad.numpy() for p in ptgrads],
        "module_loss": loss.item(),
        "l0_b_grad": l0.b.grad.numpy(),
        "l0_w_grad": l0.w.grad.numpy(),
        "has_g": [hasattr(t, "g") for t in (w1, b1, x_train, xt2)],
        "nn_params": len(list(model.parameters())),
    }


def fastai_minibatch(torch: Any, nn: Any, F: Any, optim: Any, data: Any, sync: Sync) -> dict:
    """04_minibatch_training: cross entropy from log_softmax and logsumexp, a hand-written
    training loop, nn.Module's registration (by attribute, add_module, ModuleList,
    Sequential), a hand-written then torch optimizer, and Dataset / DataLoader / samplers,
    hand-written and torch's."""
    x_train, y_train, x_valid, y_valid = digits()
    tensor = torch.tensor
    x_train, y_train, x_valid, y_valid = map(tensor, [x_train, y_train, x_valid, y_valid])
    n, m = x_train.shape
    c = y_train.max() + 1
    nh = 50
    out: dict = {"c": c.item()}

    class Model(nn.Module):
        def __init__(self, n_in, nh, n_out):
            super().__init__()
            self.layers = [nn.Linear(n_in, nh), nn.ReLU(), nn.Linear(nh, n_out)]

        def __call__(self, x):
            for l in self.layers:  # noqa: E741 (the notebook's)
                x = l(x)
            return x

    model = Model(m, nh, 10)
    for layer in model.layers:
        if hasattr(layer, "weight"):
            sync(layer)
    pred = model(x_train)

    # cross entropy loss
    def log_softmax(x):
        return (x.exp() / (x.exp().sum(-1, keepdim=True))).log()

    first = log_softmax(pred)

    def log_softmax(x):  # noqa: F811
        return x - x.exp().sum(-1, keepdim=True).log()

    def logsumexp(x):
        m = x.max(-1)[0]
        return m + (x - m[:, None]).exp().sum(-1).log()

    def log_softmax(x):  # noqa: F811
        return x - x.logsumexp(-1, keepdim=True)

    test_close(logsumexp(pred), pred.logsumexp(-1))
    sm_pred = log_softmax(pred)
    test_close(first, sm_pred, eps=1e-4)
    picked = [sm_pred[0, 5], sm_pred[1, 0], sm_pred[2, 4]]
    fancy = sm_pred[[0, 1, 2], y_train[:3]]

    def nll(input, target):
        return -input[range(target.shape[0]), target].mean()

    loss = nll(sm_pred, y_train)
    test_close(F.nll_loss(F.log_softmax(pred, -1), y_train), loss, 1e-3)
    test_close(F.cross_entropy(pred, y_train), loss, 1e-3)
    out["nll"] = loss.item()
    out["picked"] = [p.item() for p in picked] + fancy.tolist()

    # basic training loop
    loss_func = F.cross_entropy
    bs = 50
    xb = x_train[0:bs]
    preds = model(xb)
    yb = y_train[0:bs]
    out["argmax"] = preds.argmax(dim=1).tolist()

    def accuracy(out, yb):
        return (out.argmax(dim=1) == yb).float().mean()

    reports = []

    def report(loss, preds, yb):
        reports.append(f"{loss:.2f}, {accuracy(preds, yb):.2f}")

    lr = 0.5
    epochs = 3
    xb, yb = x_train[:bs], y_train[:bs]
    preds = model(xb)
    report(loss_func(preds, yb), preds, yb)
    for _epoch in range(epochs):
        for i in range(0, n, bs):
            s = slice(i, min(n, i + bs))
            xb, yb = x_train[s], y_train[s]
            preds = model(xb)
            loss = loss_func(preds, yb)
            loss.backward()
            with torch.no_grad():
                for l in model.layers:  # noqa: E741
                    if hasattr(l, "weight"):
                        l.weight -= l.weight.grad * lr
                        l.bias -= l.bias.grad * lr
                        l.weight.grad.zero_()
                        l.bias.grad.zero_()
        report(loss, preds, yb)

    # using parameters and optim
    m1 = nn.Module()
    m1.foo = nn.Linear(3, 4)
    out["m1_repr"] = repr(m1)
    out["m1_children"] = [name for name, _ in m1.named_children()]
    out["m1_params"] = [tuple(p.shape) for p in m1.parameters()]

    class MLP(nn.Module):
        def __init__(self, n_in, nh, n_out):
            super().__init__()
            self.l1 = nn.Linear(n_in, nh)
            self.l2 = nn.Linear(nh, n_out)
            self.relu = nn.ReLU()

        def forward(self, x):
            return self.l2(self.relu(self.l1(x)))

    model = MLP(m, nh, 10)
    sync(model)
    out["mlp_repr"] = repr(model)
    out["mlp_children"] = [f"{name}: {l}" for name, l in model.named_children()]
    out["mlp_shapes"] = [tuple(p.shape) for p in model.parameters()]

    def fit():
        for _epoch in range(epochs):
            for i in range(0, n, bs):
                s = slice(i, min(n, i + bs))
                xb, yb = x_train[s], y_train[s]
                preds = model(xb)
                loss = loss_func(preds, yb)
                loss.backward()
                with torch.no_grad():
                    for p in model.parameters():
                        p -= p.grad * lr
                    model.zero_grad()
            report(loss, preds, yb)

    fit()
    out["mlp_grads_after_zero"] = [p.grad for p in model.parameters()]

    class MyModule:
        def __init__(self, n_in, nh, n_out):
            self._modules = {}
            self.l1 = nn.Linear(n_in, nh)
            self.l2 = nn.Linear(nh, n_out)

        def __setattr__(self, k, v):
            if not k.startswith("_"):
                self._modules[k] = v
            super().__setattr__(k, v)

        def __repr__(self):
            return f"{self._modules}"

        def parameters(self):
            for l in self._modules.values():  # noqa: E741
                yield from l.parameters()

    mdl = MyModule(m, nh, 10)
    out["mymodule_repr"] = repr(mdl)
    out["mymodule_shapes"] = [tuple(p.shape) for p in mdl.parameters()]

    # registering modules
    layers = [nn.Linear(m, nh), nn.ReLU(), nn.Linear(nh, 10)]

    class Model(nn.Module):  # noqa: F811
        def __init__(self, layers):
            super().__init__()
            self.layers = layers
            for i, l in enumerate(self.layers):  # noqa: E741
                self.add_module(f"layer_{i}", l)

        def forward(self, x):
            return reduce(lambda val, layer: layer(val), self.layers, x)

    model = Model(layers)
    sync(model)
    out["registered_repr"] = repr(model)
    out["registered_out"] = model(xb).detach().numpy()

    class SequentialModel(nn.Module):
        def __init__(self, layers):
            super().__init__()
            self.layers = nn.ModuleList(layers)

        def forward(self, x):
            for l in self.layers:  # noqa: E741
                x = l(x)
            return x

    model = SequentialModel(layers)
    out["modulelist_repr"] = repr(model)
    fit()
    out["modulelist_final"] = (loss_func(model(xb), yb).item(), accuracy(model(xb), yb).item())

    model = nn.Sequential(nn.Linear(m, nh), nn.ReLU(), nn.Linear(nh, 10))
    sync(model)
    fit()
    out["sequential_final"] = (loss_func(model(xb), yb).item(), accuracy(model(xb), yb).item())
    out["sequential_repr"] = repr(model)

    # optim
    class Optimizer:
        def __init__(self, params, lr=0.5):
            self.params, self.lr = list(params), lr

        def step(self):
            with torch.no_grad():
                for p in self.params:
                    p -= p.grad * self.lr

        def zero_grad(self):
            for p in self.params:
                p.grad.data.zero_()

    model = nn.Sequential(nn.Linear(m, nh), nn.ReLU(), nn.Linear(nh, 10))
    sync(model)
    opt = Optimizer(model.parameters())
    for _epoch in range(epochs):
        for i in range(0, n, bs):
            s = slice(i, min(n, i + bs))
            xb, yb = x_train[s], y_train[s]
            preds = model(xb)
            loss = loss_func(preds, yb)
            loss.backward()
            opt.step()
            opt.zero_grad()
        report(loss, preds, yb)

    def get_model():
        model = nn.Sequential(nn.Linear(m, nh), nn.ReLU(), nn.Linear(nh, 10))
        sync(model)
        return model, optim.SGD(model.parameters(), lr=lr)

    model, opt = get_model()
    out["sgd_first"] = loss_func(model(xb), yb).item()
    for _epoch in range(epochs):
        for i in range(0, n, bs):
            s = slice(i, min(n, i + bs))
            xb, yb = x_train[s], y_train[s]
            preds = model(xb)
            loss = loss_func(preds, yb)
            loss.backward()
            opt.step()
            opt.zero_grad()
        report(loss, preds, yb)

    # Dataset and DataLoader
    class Dataset:
        def __init__(self, x, y):
            self.x, self.y = x, y

        def __len__(self):
            return len(self.x)

        def __getitem__(self, i):
            return self.x[i], self.y[i]

    train_ds, valid_ds = Dataset(x_train, y_train), Dataset(x_valid, y_valid)
    assert len(train_ds) == len(x_train)
    assert len(valid_ds) == len(x_valid)
    xb, yb = train_ds[0:5]
    assert xb.shape == (5, 8 * 8)
    assert yb.shape == (5,)

    model, opt = get_model()
    for _epoch in range(epochs):
        for i in range(0, n, bs):
            xb, yb = train_ds[i : min(n, i + bs)]
            preds = model(xb)
            loss = loss_func(preds, yb)
            loss.backward()
            opt.step()
            opt.zero_grad()
        report(loss, preds, yb)

    class DataLoader:
        def __init__(self, ds, bs):
            self.ds, self.bs = ds, bs

        def __iter__(self):
            for i in range(0, len(self.ds), self.bs):
                yield self.ds[i : i + self.bs]

    train_dl = DataLoader(train_ds, bs)
    valid_dl = DataLoader(valid_ds, bs)
    xb, yb = next(iter(valid_dl))
    model, opt = get_model()

    def fit():  # noqa: F811
        for _epoch in range(epochs):
            for xb, yb in train_dl:
                preds = model(xb)
                loss = loss_func(preds, yb)
                loss.backward()
                opt.step()
                opt.zero_grad()
            report(loss, preds, yb)

    fit()

    # random sampling
    class Sampler:
        def __init__(self, ds, shuffle=False):
            self.n, self.shuffle = len(ds), shuffle

        def __iter__(self):
            res = list(range(self.n))
            if self.shuffle:
                random.shuffle(res)
            return iter(res)

    ss = Sampler(train_ds)
    out["first5"] = list(islice(ss, 5))
    random.seed(42)
    ss = Sampler(train_ds, shuffle=True)
    out["shuffled5"] = list(islice(ss, 5))

    def chunked(it, chunk_sz, drop_last=False):
        """fastcore.all.chunked."""
        it = iter(it)
        while True:
            res = list(islice(it, chunk_sz))
            if res and (len(res) == chunk_sz or not drop_last):
                yield res
            if len(res) < chunk_sz:
                return

    class BatchSampler:
        def __init__(self, sampler, bs, drop_last=False):
            self.sampler, self.bs, self.drop_last = sampler, bs, drop_last

        def __iter__(self):
            yield from chunked(iter(self.sampler), self.bs, drop_last=self.drop_last)

    def collate(b):
        xs, ys = zip(*b)
        return torch.stack(xs), torch.stack(ys)

    class DataLoader:  # noqa: F811
        def __init__(self, ds, batchs, collate_fn=collate):
            self.ds, self.batchs, self.collate_fn = ds, batchs, collate_fn

        def __iter__(self):
            yield from (self.collate_fn(self.ds[i] for i in b) for b in self.batchs)

    train_samp = BatchSampler(Sampler(train_ds, shuffle=True), bs)
    valid_samp = BatchSampler(Sampler(valid_ds, shuffle=False), bs)
    train_dl = DataLoader(train_ds, batchs=train_samp)
    valid_dl = DataLoader(valid_ds, batchs=valid_samp)
    xb, yb = next(iter(valid_dl))
    out["collated"] = (tuple(xb.shape), yb.tolist())
    random.seed(0)
    model, opt = get_model()
    fit()
    out["fancy_index"] = [tuple(t.shape) for t in train_ds[[3, 6, 8, 1]]]

    # PyTorch DataLoader
    DataLoader, SequentialSampler, RandomSampler, BatchSampler = (
        data.DataLoader,
        data.SequentialSampler,
        data.RandomSampler,
        data.BatchSampler,
    )
    train_samp = BatchSampler(RandomSampler(train_ds), bs, drop_last=False)
    valid_samp = BatchSampler(SequentialSampler(valid_ds), bs, drop_last=False)
    train_dl = DataLoader(train_ds, batch_sampler=train_samp, collate_fn=collate)
    valid_dl = DataLoader(valid_ds, batch_sampler=valid_samp, collate_fn=collate)
    model, opt = get_model()
    fit()
    out["torch_dl_final"] = (loss_func(model(xb), yb).item(), accuracy(model(xb), yb).item())
    train_dl = DataLoader(train_ds, bs, sampler=RandomSampler(train_ds), collate_fn=collate)
    valid_dl = DataLoader(valid_ds, bs, sampler=SequentialSampler(valid_ds), collate_fn=collate)
    out["sampled_batches"] = [tuple(b[0].shape) for b in train_dl]
    out["valid_labels"] = [yb.tolist() for _, yb in valid_dl]
    train_dl = DataLoader(train_ds, bs, shuffle=True, drop_last=True, num_workers=2)
    out["workers_len"] = len(train_dl)
    # the dataset indexes with a list of indices, so a batch sampler can be the sampler
    train_dl = DataLoader(train_ds, sampler=train_samp)
    xb, yb = next(iter(train_dl))
    out["batch_as_sample"] = (tuple(xb.shape), tuple(yb.shape))

    # validation
    def fit(epochs, model, loss_func, opt, train_dl, valid_dl):  # noqa: F811
        for epoch in range(epochs):
            model.train()
            for xb, yb in train_dl:
                loss = loss_func(model(xb), yb)
                loss.backward()
                opt.step()
                opt.zero_grad()

            model.eval()
            with torch.no_grad():
                tot_loss, tot_acc, count = 0.0, 0.0, 0
                for xb, yb in valid_dl:
                    pred = model(xb)
                    n = len(xb)
                    count += n
                    tot_loss += loss_func(pred, yb).item() * n
                    tot_acc += accuracy(pred, yb).item() * n
            reports.append((epoch, tot_loss / count, tot_acc / count))
        return tot_loss / count, tot_acc / count

    def get_dls(train_ds, valid_ds, bs, **kwargs):
        return (
            DataLoader(train_ds, batch_size=bs, shuffle=True, **kwargs),
            DataLoader(valid_ds, batch_size=bs * 2, **kwargs),
        )

    train_dl, valid_dl = get_dls(train_ds, valid_ds, bs)
    model, opt = get_model()
    out["valid_fit"] = fit(5, model, loss_func, opt, train_dl, valid_dl)
    out["reports"] = reports
    return out


class CancelFitException(Exception):
    pass


class CancelBatchException(Exception):
    pass


class CancelEpochException(Exception):
    pass


def fastai_learner(torch: Any, nn: Any, F: Any, optim: Any, data: Any, sync: Sync) -> dict:
    """09_learner, 10_activations and 11_initializing: a Learner whose every step is a
    callback, an LR finder on ExponentialLR that cancels the fit, a momentum learner scaling
    gradients in place, forward hooks collecting activation means, stds and histc
    histograms; then GeneralRelu (in-place shift and clamp of its output), Kaiming init
    through model.apply, and LSUV rescaling ``weight.data`` in place through a hook."""
    x_train, y_train, x_valid, y_valid = digits()
    tensor = torch.tensor
    x_train, y_train, x_valid, y_valid = map(tensor, [x_train, y_train, x_valid, y_valid])
    m, nh, bs = 64, 50, 50
    DataLoader = data.DataLoader
    ExponentialLR = optim.lr_scheduler.ExponentialLR
    def_device = (
        "mps"
        if torch.backends.mps.is_available()
        else "cuda"
        if torch.cuda.is_available()
        else "cpu"
    )
    out: dict = {"device": def_device}

    def to_device(x, device=def_device):
        if isinstance(x, torch.Tensor):
            return x.to(device)
        if isinstance(x, Mapping):
            return {k: v.to(device) for k, v in x.items()}
        return type(x)(to_device(o, device) for o in x)

    def to_cpu(x):
        if isinstance(x, Mapping):
            return {k: to_cpu(v) for k, v in x.items()}
        if isinstance(x, list):
            return [to_cpu(o) for o in x]
        if isinstance(x, tuple):
            return tuple(to_cpu(list(x)))
        res = x.detach().cpu()
        return res.float() if res.dtype == torch.float16 else res

    class Dataset:
        def __init__(self, x, y):
            self.x, self.y = x, y

        def __len__(self):
            return len(self.x)

        def __getitem__(self, i):
            return self.x[i], self.y[i]

    train_ds, valid_ds = Dataset(x_train, y_train), Dataset(x_valid, y_valid)

    def get_dls(train_ds, valid_ds, bs, **kwargs):
        return (
            DataLoader(train_ds, batch_size=bs, shuffle=True, **kwargs),
            DataLoader(valid_ds, batch_size=bs * 2, **kwargs),
        )

    class DataLoaders:
        def __init__(self, *dls):
            self.train, self.valid = dls[:2]

    class Callback:
        order = 0

    def run_cbs(cbs, method_nm, learn=None):
        for cb in sorted(cbs, key=attrgetter("order")):
            method = getattr(cb, method_nm, None)
            if method is not None:
                method(learn)

    class CompletionCB(Callback):
        def before_fit(self, learn):
            self.count = 0

        def after_batch(self, learn):
            self.count += 1

        def after_fit(self, learn):
            out.setdefault("completed", []).append(f"Completed {self.count} batches")

    class with_cbs:
        def __init__(self, nm):
            self.nm = nm

        def __call__(self, f):
            def _f(o, *args, **kwargs):
                try:
                    o.callback(f"before_{self.nm}")
                    f(o, *args, **kwargs)
                    o.callback(f"after_{self.nm}")
                except globals()[f"Cancel{self.nm.title()}Exception"]:
                    pass
                finally:
                    o.callback(f"cleanup_{self.nm}")

            return _f

    class Learner:
        def __init__(
            self, model, dls=(0,), loss_func=F.mse_loss, lr=0.1, cbs=None, opt_func=optim.SGD
        ):
            cbs = list(cbs or [])  # fastcore's L(cbs) and store_attr()
            self.model, self.dls, self.loss_func = model, dls, loss_func
            self.lr, self.cbs, self.opt_func = lr, cbs, opt_func

        @with_cbs("batch")
        def _one_batch(self):
            self.predict()
            self.callback("after_predict")
            self.get_loss()
            self.callback("after_loss")
            if self.training:
                self.backward()
                self.callback("after_backward")
                self.step()
                self.callback("after_step")
                self.zero_grad()

        @with_cbs("epoch")
        def _one_epoch(self):
            for self.iter, self.batch in enumerate(self.dl):  # noqa: B020 (the notebook's)
                self._one_batch()

        def one_epoch(self, training):
            self.model.train(training)
            self.dl = self.dls.train if training else self.dls.valid
            self._one_epoch()

        @with_cbs("fit")
        def _fit(self, train, valid):
            for self.epoch in self.epochs:  # noqa: B020
                if train:
                    self.one_epoch(True)
                if valid:
                    torch.no_grad()(self.one_epoch)(False)

        def fit(self, n_epochs=1, train=True, valid=True, cbs=None, lr=None):
            cbs = [cbs] if isinstance(cbs, Callback) else list(cbs or [])
            for cb in cbs:
                self.cbs.append(cb)
            try:
                self.n_epochs = n_epochs
                self.epochs = range(n_epochs)
                if lr is None:
                    lr = self.lr
                if self.opt_func:
                    self.opt = self.opt_func(self.model.parameters(), lr)
                self._fit(train, valid)
            finally:
                for cb in cbs:
                    self.cbs.remove(cb)

        def __getattr__(self, name):
            if name in ("predict", "get_loss", "backward", "step", "zero_grad"):
                return partial(self.callback, name)
            raise AttributeError(name)

        def callback(self, method_nm):
            run_cbs(self.cbs, method_nm, self)

        @property
        def training(self):
            return self.model.training

    class TrainCB(Callback):
        def __init__(self, n_inp=1):
            self.n_inp = n_inp

        def predict(self, learn):
            learn.preds = learn.model(*learn.batch[: self.n_inp])

        def get_loss(self, learn):
            learn.loss = learn.loss_func(learn.preds, *learn.batch[self.n_inp :])

        def backward(self, learn):
            learn.loss.backward()

        def step(self, learn):
            learn.opt.step()

        def zero_grad(self, learn):
            learn.opt.zero_grad()

    class DeviceCB(Callback):
        def __init__(self, device=def_device):
            self.device = device

        def before_fit(self, learn):
            if hasattr(learn.model, "to"):
                learn.model.to(self.device)

        def before_batch(self, learn):
            learn.batch = to_device(learn.batch, device=self.device)

    class MetricsCB(Callback):
        """torcheval's metrics in the notebook: here a running accuracy and mean loss."""

        def before_epoch(self, learn):
            self.correct, self.losses, self.count = 0.0, 0.0, 0

        def after_batch(self, learn):
            x, y = to_cpu(learn.batch)
            preds = to_cpu(learn.preds)
            self.correct += (preds.argmax(dim=1) == y).float().sum().item()
            self.losses += to_cpu(learn.loss).item() * len(x)
            self.count += len(x)

        def after_epoch(self, learn):
            log = {
                "accuracy": f"{self.correct / self.count:.3f}",
                "loss": f"{self.losses / self.count:.3f}",
                "epoch": learn.epoch,
                "train": "train" if learn.model.training else "eval",
            }
            out.setdefault("metrics", []).append(log)

    class SingleBatchCB(Callback):
        order = 1

        def after_batch(self, learn):
            raise CancelFitException()

    def get_model():
        return nn.Sequential(nn.Linear(m, nh), nn.ReLU(), nn.Linear(nh, 10))

    dls = DataLoaders(*get_dls(train_ds, valid_ds, bs))
    model = get_model()
    sync(model)
    metrics = MetricsCB()
    cbs = [TrainCB(), DeviceCB(), metrics, CompletionCB()]
    learn = Learner(model, dls, F.cross_entropy, lr=0.2, cbs=cbs)
    learn.fit(2)
    out["shuffled_fit_metrics"] = out.pop("metrics")
    learn.fit(1, cbs=SingleBatchCB())
    out["single_batch_preds"] = tuple(learn.preds.shape)

    class TrainLearner(Learner):
        def predict(self):
            self.preds = self.model(self.batch[0])

        def get_loss(self):
            self.loss = self.loss_func(self.preds, self.batch[1])

        def backward(self):
            self.loss.backward()

        def step(self):
            self.opt.step()

        def zero_grad(self):
            self.opt.zero_grad()

    class MomentumLearner(TrainLearner):
        def __init__(self, model, dls, loss_func, lr=None, cbs=None, opt_func=optim.SGD, mom=0.85):
            self.mom = mom
            super().__init__(model, dls, loss_func, lr, cbs, opt_func)

        def zero_grad(self):
            with torch.no_grad():
                for p in self.model.parameters():
                    p.grad *= self.mom

    # the runs compared with torch read the data in order (torch's shuffle is its own stream)
    dls = DataLoaders(DataLoader(train_ds, batch_size=bs), DataLoader(valid_ds, batch_size=2 * bs))
    model = get_model()
    sync(model)
    learn = MomentumLearner(model, dls, F.cross_entropy, lr=0.1, cbs=[DeviceCB(), MetricsCB()])
    learn.fit(2)
    out["momentum_metrics"] = out.pop("metrics")
    out["momentum_grads"] = [p.grad.numpy() for p in learn.model.parameters()]

    class LRFinderCB(Callback):
        def __init__(self, gamma=1.3, max_mult=3):
            self.gamma, self.max_mult = gamma, max_mult

        def before_fit(self, learn):
            self.sched = ExponentialLR(learn.opt, self.gamma)
            self.lrs, self.losses = [], []
            self.min = math.inf

        def after_batch(self, learn):
            if not learn.training:
                raise CancelEpochException()
            self.lrs.append(learn.opt.param_groups[0]["lr"])
            loss = to_cpu(learn.loss)
            self.losses.append(loss)
            if loss < self.min:
                self.min = loss
            if math.isnan(loss) or (loss > self.min * self.max_mult):
                raise CancelFitException()
            self.sched.step()

    model = get_model()
    sync(model)
    learn = MomentumLearner(model, dls, F.cross_entropy, lr=1e-4, cbs=[DeviceCB()])
    finder = LRFinderCB(gamma=3)
    learn.fit(10, cbs=finder)
    out["finder_lrs"] = finder.lrs
    out["finder_losses"] = [float(v) for v in finder.losses]
    out["finder_min"] = float(finder.min)
    out["finder_removed"] = finder not in learn.cbs

    # 10_activations: a CNN's activation statistics through forward hooks
    def conv(ni, nf, ks=3, stride=2, act=True):
        res = nn.Conv2d(ni, nf, stride=stride, kernel_size=ks, padding=ks // 2)
        if act:
            res = nn.Sequential(res, nn.ReLU())
        return res

    def cnn_layers():
        return [
            conv(1, 8, ks=5),  # 4x4
            conv(8, 16),  # 2x2
            conv(16, 32),  # 1x1
            conv(32, 10, act=False),
            nn.Flatten(),
        ]

    class Reshape(nn.Module):
        def forward(self, x):
            return x.view(-1, 1, 8, 8)

    def set_seed(seed, deterministic=False):
        torch.use_deterministic_algorithms(deterministic)
        torch.manual_seed(seed)
        random.seed(seed)
        np.random.seed(seed)

    set_seed(1)
    model = nn.Sequential(Reshape(), *cnn_layers())
    sync(model)
    act_means = [[] for _ in model]
    act_stds = [[] for _ in model]

    def append_stats(i, mod, inp, outp):
        act_means[i].append(to_cpu(outp).mean())
        act_stds[i].append(to_cpu(outp).std())

    handles = [m.register_forward_hook(partial(append_stats, i)) for i, m in enumerate(model)]
    learn = MomentumLearner(model, dls, F.cross_entropy, lr=0.2, cbs=[DeviceCB()])
    learn.fit(1)
    out["act_means"] = [[float(v) for v in layer] for layer in act_means]
    out["act_stds"] = [[float(v) for v in layer] for layer in act_stds]
    for h in handles:
        h.remove()

    class Hook:
        def __init__(self, m, f):
            self.hook = m.register_forward_hook(partial(f, self))

        def remove(self):
            self.hook.remove()

        def __del__(self):
            self.remove()

    class Hooks(list):
        def __init__(self, ms, f):
            super().__init__([Hook(m, f) for m in ms])

        def __enter__(self, *args):
            return self

        def __exit__(self, *args):
            self.remove()

        def __del__(self):
            self.remove()

        def __delitem__(self, i):
            self[i].remove()
            super().__delitem__(i)

        def remove(self):
            for h in self:
                h.remove()

    def append_stats(hook, mod, inp, outp):  # noqa: F811 (the notebook's second version)
        if not hasattr(hook, "stats"):
            hook.stats = ([], [], [])
        acts = to_cpu(outp)
        hook.stats[0].append(acts.mean())
        hook.stats[1].append(acts.std())
        hook.stats[2].append(acts.abs().histc(40, 0, 10))

    def get_hist(h):
        return torch.stack(h.stats[2]).t().float().log1p()

    def get_min(h):
        h1 = torch.stack(h.stats[2]).t().float()
        return h1[0] / h1.sum(0)

    set_seed(1)
    model = nn.Sequential(Reshape(), *cnn_layers())
    sync(model)
    with Hooks(model[1:], append_stats) as hooks:
        learn = MomentumLearner(model, dls, F.cross_entropy, lr=0.2, cbs=[DeviceCB()])
        learn.fit(1)
        out["hook_means"] = [[float(v) for v in h.stats[0]] for h in hooks]
        out["hists"] = [get_hist(h).numpy() for h in hooks]
        out["mins"] = [get_min(h).numpy() for h in hooks]
    out["hooks_left"] = sum(len(m._forward_hooks) for m in model.modules())

    # 11_initializing: input normalisation in a batch transform, GeneralRelu, Kaiming init
    # applied with model.apply, and LSUV through a hook
    init = nn.init

    class BatchTransformCB(Callback):
        def __init__(self, tfm, on_train=True, on_val=True):
            self.tfm, self.on_train, self.on_val = tfm, on_train, on_val

        def before_batch(self, learn):
            if (self.on_train and learn.training) or (self.on_val and not learn.training):
                learn.batch = self.tfm(learn.batch)

    xb, yb = next(iter(dls.train))
    xmean, xstd = xb.mean(), xb.std()

    def _norm(b):
        return ((b[0] - xmean) / xstd).view(-1, 1, 8, 8), b[1]  # (and the notebook's 28x28)

    norm = BatchTransformCB(_norm)

    class GeneralRelu(nn.Module):
        def __init__(self, leak=None, sub=None, maxv=None):
            super().__init__()
            self.leak, self.sub, self.maxv = leak, sub, maxv

        def forward(self, x):
            x = F.leaky_relu(x, self.leak) if self.leak is not None else F.relu(x)
            if self.sub is not None:
                x -= self.sub
            if self.maxv is not None:
                x.clamp_max_(self.maxv)
            return x

    def plot_func(f, start=-5.0, end=5.0, steps=100):
        x = torch.linspace(start, end, steps)
        return x, f(x)  # plt.plot(x, f(x))

    px, py = plot_func(GeneralRelu(leak=0.1, sub=0.4))
    out["general_relu"] = (px.tolist(), py.tolist())

    def conv(ni, nf, ks=3, stride=2, act=nn.ReLU):  # noqa: F811 (11_initializing's)
        res = nn.Conv2d(ni, nf, stride=stride, kernel_size=ks, padding=ks // 2)
        if act:
            res = nn.Sequential(res, act())
        return res

    def get_model(act=nn.ReLU, nfs=None):
        if nfs is None:
            nfs = [1, 8, 16, 32]
        layers = [conv(nfs[i], nfs[i + 1], act=act) for i in range(len(nfs) - 1)]
        return nn.Sequential(*layers, conv(nfs[-1], 10, act=None), nn.Flatten()).to(def_device)

    def init_weights(m, leaky=0.0):
        if isinstance(m, (nn.Conv1d, nn.Conv2d, nn.Conv3d)):
            init.kaiming_normal_(m.weight, a=leaky)

    act_gr = partial(GeneralRelu, leak=0.1, sub=0.4)
    iw = partial(init_weights, leaky=0.1)
    set_seed(42)
    model = get_model(act_gr).apply(iw)
    out["kaiming_stds"] = [
        m.weight.std().item() for m in model.modules() if isinstance(m, nn.Conv2d)
    ]
    sync(model)
    learn = MomentumLearner(model, dls, F.cross_entropy, lr=0.2, cbs=[DeviceCB(), norm])
    with Hooks(model, append_stats) as hooks:
        learn.fit(1)
        out["init_hook_means"] = [[float(v) for v in h.stats[0]] for h in hooks]
        out["init_hook_stds"] = [[float(v) for v in h.stats[1]] for h in hooks]

    def _lsuv_stats(hook, mod, inp, outp):
        acts = to_cpu(outp)
        hook.mean = acts.mean()
        hook.std = acts.std()

    passes = []

    def lsuv_init(m, m_in, xb):
        h = Hook(m, _lsuv_stats)
        with torch.no_grad():
            while model(xb) is not None and (abs(h.std - 1) > 1e-3 or abs(h.mean) > 1e-3):
                m_in.bias -= h.mean
                m_in.weight.data /= h.std
                passes.append((float(h.mean), float(h.std)))
        h.remove()

    set_seed(42)
    model = get_model(act_gr)
    sync(model)
    relus = [o for o in model.modules() if isinstance(o, GeneralRelu)]
    convs = [o for o in model.modules() if isinstance(o, nn.Conv2d)]
    out["lsuv_pairs"] = [repr(ms) for ms in zip(relus, convs)]
    xb = _norm((xb, yb))[0]
    for ms in zip(relus, convs):
        lsuv_init(*ms, xb.to(def_device))
    stats = []
    for r in relus:
        h = Hook(r, _lsuv_stats)
        with torch.no_grad():
            model(xb)
        stats.append((float(h.mean), float(h.std)))
        h.remove()
    out["lsuv_passes"] = len(passes)
    out["lsuv_stats"] = stats
    out["lsuv_weights"] = [c.weight.detach().numpy() for c in convs]
    return out
