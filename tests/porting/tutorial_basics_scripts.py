# ruff: noqa: UP008, E741, B007 (the tutorials' own super(Cls, self), names and loop variables)
"""PyTorch's beginner tutorials "Learning PyTorch with Examples", "What is torch.nn
really?" and the 60-minute blitz's "Neural Networks", shortened (small sizes, synthetic data
instead of MNIST, a few steps) and written once against the names ``torch``, ``nn``, ``F``,
``optim`` and ``data`` (``torch.utils.data``). The tests run them with our packages under
those names and, when it is installed, with PyTorch.

Random initial values a result depends on pass through ``sync`` (see course_scripts.py).
``.data`` lines (``f.data.sub_(...)``) are as written.
"""

from __future__ import annotations

import math
import random
from typing import Any

import numpy as np

from .course_scripts import Sync

# --- Learning PyTorch with Examples (beginner_source/pytorch_with_examples) ---


def polynomial_tensors(torch: Any, sync: Sync, steps: int = 200) -> dict:
    """Fit a cubic to sin(x) with hand-written gradients, then the same with autograd and
    the ``with torch.no_grad()`` update and ``a.grad = None``."""
    dtype = torch.float64  # the tutorial: torch.float
    device = torch.device("cpu")
    x = torch.linspace(-math.pi, math.pi, 2000, device=device, dtype=dtype)
    y = torch.sin(x)
    a = torch.randn((), device=device, dtype=dtype)
    b = torch.randn((), device=device, dtype=dtype)
    c = torch.randn((), device=device, dtype=dtype)
    d = torch.randn((), device=device, dtype=dtype)
    sync([a, b, c, d])
    start = [a.item(), b.item(), c.item(), d.item()]
    learning_rate = 1e-6
    manual = []
    for t in range(steps):
        y_pred = a + b * x + c * x**2 + d * x**3
        loss = (y_pred - y).pow(2).sum().item()
        manual.append(loss)
        grad_y_pred = 2.0 * (y_pred - y)
        grad_a = grad_y_pred.sum()
        grad_b = (grad_y_pred * x).sum()
        grad_c = (grad_y_pred * x**2).sum()
        grad_d = (grad_y_pred * x**3).sum()
        a -= learning_rate * grad_a
        b -= learning_rate * grad_b
        c -= learning_rate * grad_c
        d -= learning_rate * grad_d
    manual_coeffs = [a.item(), b.item(), c.item(), d.item()]

    a = torch.tensor(start[0], dtype=dtype, requires_grad=True)
    b = torch.tensor(start[1], dtype=dtype, requires_grad=True)
    c = torch.tensor(start[2], dtype=dtype, requires_grad=True)
    d = torch.tensor(start[3], dtype=dtype, requires_grad=True)
    auto = []
    for t in range(steps):
        y_pred = a + b * x + c * x**2 + d * x**3
        loss = (y_pred - y).pow(2).sum()
        auto.append(loss.item())
        loss.backward()
        with torch.no_grad():
            a -= learning_rate * a.grad
            b -= learning_rate * b.grad
            c -= learning_rate * c.grad
            d -= learning_rate * d.grad
            a.grad = None
            b.grad = None
            c.grad = None
            d.grad = None
    return {
        "manual": manual,
        "manual_coeffs": manual_coeffs,
        "autograd": auto,
        "autograd_coeffs": [a.item(), b.item(), c.item(), d.item()],
        "leaf": [a.is_leaf, a.requires_grad, a.grad is None],
    }


def legendre_custom_function(torch: Any, steps: int = 200) -> dict:
    """The custom ``torch.autograd.Function`` LegendrePolynomial3: ``ctx.save_for_backward``
    in forward, ``ctx.saved_tensors`` in backward, used through ``.apply``."""

    class LegendrePolynomial3(torch.autograd.Function):
        @staticmethod
        def forward(ctx, input):
            ctx.save_for_backward(input)
            return 0.5 * (5 * input**3 - 3 * input)

        @staticmethod
        def backward(ctx, grad_output):
            (input,) = ctx.saved_tensors
            return grad_output * 1.5 * (5 * input**2 - 1)

    dtype = torch.float64  # the tutorial: torch.float
    device = torch.device("cpu")
    x = torch.linspace(-math.pi, math.pi, 2000, device=device, dtype=dtype)
    y = torch.sin(x)
    a = torch.full((), 0.0, device=device, dtype=dtype, requires_grad=True)
    b = torch.full((), -1.0, device=device, dtype=dtype, requires_grad=True)
    c = torch.full((), 0.0, device=device, dtype=dtype, requires_grad=True)
    d = torch.full((), 0.3, device=device, dtype=dtype, requires_grad=True)
    learning_rate = 5e-6
    losses = []
    for t in range(steps):
        P3 = LegendrePolynomial3.apply
        y_pred = a + b * P3(c + d * x)
        loss = (y_pred - y).pow(2).sum()
        losses.append(loss.item())
        loss.backward()
        with torch.no_grad():
            a -= learning_rate * a.grad
            b -= learning_rate * b.grad
            c -= learning_rate * c.grad
            d -= learning_rate * d.grad
            a.grad = None
            b.grad = None
            c.grad = None
            d.grad = None
    probe = torch.tensor([0.25, -0.5], dtype=dtype, requires_grad=True)
    LegendrePolynomial3.apply(probe).sum().backward()
    return {
        "losses": losses,
        "coeffs": [a.item(), b.item(), c.item(), d.item()],
        "probe_grad": probe.grad.numpy().copy(),
        "grad_fn": type(y_pred.grad_fn).__name__,
    }


def polynomial_nn(torch: Any, sync: Sync, steps: int = 100) -> dict:
    """``torch.nn``: the features ``x.unsqueeze(-1).pow(p)``, Sequential(Linear,
    Flatten(0, 1)), MSELoss(reduction='sum'), the manual update over ``model.parameters()``;
    then the same with ``torch.optim.RMSprop``."""
    x = torch.linspace(-math.pi, math.pi, 2000)
    y = torch.sin(x)
    p = torch.tensor([1, 2, 3])
    xx = x.unsqueeze(-1).pow(p)
    model = torch.nn.Sequential(torch.nn.Linear(3, 1), torch.nn.Flatten(0, 1))
    sync(model)
    loss_fn = torch.nn.MSELoss(reduction="sum")
    learning_rate = 1e-6
    manual = []
    for t in range(steps):
        y_pred = model(xx)
        loss = loss_fn(y_pred, y)
        manual.append(loss.item())
        model.zero_grad()
        loss.backward()
        with torch.no_grad():
            for param in model.parameters():
                param -= learning_rate * param.grad
    linear_layer = model[0]
    result = (
        f"Result: y = {linear_layer.bias.item()} + {linear_layer.weight[:, 0].item()} x + "
        f"{linear_layer.weight[:, 1].item()} x^2 + {linear_layer.weight[:, 2].item()} x^3"
    )

    model = torch.nn.Sequential(torch.nn.Linear(3, 1), torch.nn.Flatten(0, 1))
    sync(model)
    learning_rate = 1e-3
    optimizer = torch.optim.RMSprop(model.parameters(), lr=learning_rate)
    optimised = []
    for t in range(steps):
        y_pred = model(xx)
        loss = loss_fn(y_pred, y)
        optimised.append(loss.item())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return {
        "xx_dtype": str(xx.dtype).replace("torch.", ""),
        "xx_shape": tuple(xx.shape),
        "y_pred_shape": tuple(y_pred.shape),
        "manual": manual,
        "result": result,
        "optim": optimised,
        "weight": model[0].weight.detach().numpy().copy(),
    }


def polynomial_modules(torch: Any, sync: Sync, steps: int = 100) -> dict:
    """Custom ``nn.Module``s: Polynomial3 with four scalar Parameters, and DynamicNet, which
    reuses its parameter ``e`` a random number of times per forward (weight sharing), trained
    with SGD with momentum."""

    class Polynomial3(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.a = torch.nn.Parameter(torch.randn(()))
            self.b = torch.nn.Parameter(torch.randn(()))
            self.c = torch.nn.Parameter(torch.randn(()))
            self.d = torch.nn.Parameter(torch.randn(()))

        def forward(self, x):
            return self.a + self.b * x + self.c * x**2 + self.d * x**3

        def string(self):
            return (
                f"y = {self.a.item()} + {self.b.item()} x + {self.c.item()} x^2 + "
                f"{self.d.item()} x^3"
            )

    class DynamicNet(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.a = torch.nn.Parameter(torch.randn(()))
            self.b = torch.nn.Parameter(torch.randn(()))
            self.c = torch.nn.Parameter(torch.randn(()))
            self.d = torch.nn.Parameter(torch.randn(()))
            self.e = torch.nn.Parameter(torch.randn(()))

        def forward(self, x):
            y = self.a + self.b * x + self.c * x**2 + self.d * x**3
            for exp in range(4, random.randint(4, 6)):
                y = y + self.e * x**exp
            return y

        def string(self):
            return (
                f"y = {self.a.item()} + {self.b.item()} x + {self.c.item()} x^2 + "
                f"{self.d.item()} x^3 + {self.e.item()} x^4 ? + {self.e.item()} x^5 ?"
            )

    x = torch.linspace(-math.pi, math.pi, 2000)
    y = torch.sin(x)
    model = Polynomial3()
    sync(model)
    criterion = torch.nn.MSELoss(reduction="sum")
    optimizer = torch.optim.SGD(model.parameters(), lr=1e-6)
    poly = []
    for t in range(steps):
        y_pred = model(x)
        loss = criterion(y_pred, y)
        poly.append(loss.item())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    poly_string = model.string()

    random.seed(3)  # the tutorial's random.randint, made repeatable
    model = DynamicNet()
    sync(model)
    optimizer = torch.optim.SGD(model.parameters(), lr=1e-8, momentum=0.9)
    dynamic = []
    for t in range(steps):
        y_pred = model(x)
        loss = criterion(y_pred, y)
        dynamic.append(loss.item())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return {
        "names": [n for n, _ in model.named_parameters()],
        "poly": poly,
        "poly_string": poly_string,
        "dynamic": dynamic,
        "dynamic_string": model.string(),
        "e": model.e.item(),
    }


# --- What is torch.nn really? (beginner_source/nn_tutorial.py) ---


def mnist_like(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Stand-in for MNIST: flattened 28x28 float32 images in [0, 1) whose class shows in a
    bright 4x4 block, and int64 labels."""
    rs = np.random.RandomState(seed)
    y = rs.randint(0, 10, n).astype(np.int64)
    x = rs.rand(n, 28, 28).astype(np.float32) * 0.3
    for i, label in enumerate(y):
        r, c = divmod(int(label), 5)
        x[i, 4 + 10 * r : 8 + 10 * r, 2 + 5 * c : 6 + 5 * c] += 0.7
    return x.reshape(n, 784), y


def nn_really(torch: Any, nn: Any, F: Any, optim: Any, data: Any, sync: Sync) -> dict:
    """The whole refactoring: manual weights and a hand-written log_softmax and nll, then
    F.cross_entropy, nn.Module with Parameters, nn.Linear, optim, TensorDataset, DataLoader,
    fit/loss_batch with validation, the CNN, nn.Sequential with Lambda layers, and the
    WrappedDataLoader with AdaptiveAvgPool2d."""
    TensorDataset, DataLoader = data.TensorDataset, data.DataLoader
    x_train, y_train = mnist_like(64, 0)
    x_valid, y_valid = mnist_like(32, 1)
    x_train, y_train, x_valid, y_valid = map(torch.tensor, (x_train, y_train, x_valid, y_valid))
    n, c = x_train.shape
    out: dict = {"shapes": [tuple(x_train.shape), int(y_train.min()), int(y_train.max())]}

    weights = torch.randn(784, 10) / math.sqrt(784)
    weights.requires_grad_()
    bias = torch.zeros(10, requires_grad=True)
    sync([weights])

    def log_softmax(x):
        return x - x.exp().sum(-1).log().unsqueeze(-1)

    def model(xb):
        return log_softmax(xb @ weights + bias)

    bs = 64
    xb = x_train[0:bs]
    preds = model(xb)
    out["preds0"] = preds[0].detach().numpy().copy()
    out["preds_grad_fn"] = preds.grad_fn is not None

    def nll(input, target):
        return -input[range(target.shape[0]), target].mean()

    loss_func = nll
    yb = y_train[0:bs]

    def accuracy(out, yb):
        preds = torch.argmax(out, dim=1)
        return (preds == yb).float().mean()

    out["first"] = [loss_func(preds, yb).item(), accuracy(preds, yb).item()]
    lr = 0.5
    epochs = 2
    for epoch in range(epochs):
        for i in range((n - 1) // bs + 1):
            start_i = i * bs
            end_i = start_i + bs
            xb = x_train[start_i:end_i]
            yb = y_train[start_i:end_i]
            pred = model(xb)
            loss = loss_func(pred, yb)
            loss.backward()
            with torch.no_grad():
                weights -= weights.grad * lr
                bias -= bias.grad * lr
                weights.grad.zero_()
                bias.grad.zero_()
    out["manual"] = [loss_func(model(xb), yb).item(), accuracy(model(xb), yb).item()]
    out["manual_weights"] = weights.detach().numpy().copy()

    loss_func = F.cross_entropy

    def model(xb):  # noqa: F811 (the tutorial redefines it)
        return xb @ weights + bias

    out["cross_entropy"] = loss_func(model(xb), yb).item()

    class Mnist_Logistic(nn.Module):
        def __init__(self):
            super().__init__()
            self.weights = nn.Parameter(torch.randn(784, 10) / math.sqrt(784))
            self.bias = nn.Parameter(torch.zeros(10))

        def forward(self, xb):
            return xb @ self.weights + self.bias

    model = Mnist_Logistic()
    sync(model)

    def fit():
        for epoch in range(epochs):
            for i in range((n - 1) // bs + 1):
                start_i = i * bs
                end_i = start_i + bs
                xb = x_train[start_i:end_i]
                yb = y_train[start_i:end_i]
                pred = model(xb)
                loss = loss_func(pred, yb)
                loss.backward()
                with torch.no_grad():
                    for p in model.parameters():
                        p -= p.grad * lr
                    model.zero_grad()

    fit()
    out["module"] = loss_func(model(xb), yb).item()

    class Mnist_Logistic(nn.Module):  # noqa: F811
        def __init__(self):
            super().__init__()
            self.lin = nn.Linear(784, 10)

        def forward(self, xb):
            return self.lin(xb)

    model = Mnist_Logistic()
    sync(model)
    fit()
    out["linear"] = loss_func(model(xb), yb).item()

    def get_model():
        model = Mnist_Logistic()
        sync(model)
        return model, optim.SGD(model.parameters(), lr=lr)

    model, opt = get_model()
    train_ds = TensorDataset(x_train, y_train)
    for epoch in range(epochs):
        for i in range((n - 1) // bs + 1):
            xb, yb = train_ds[i * bs : i * bs + bs]
            pred = model(xb)
            loss = loss_func(pred, yb)
            loss.backward()
            opt.step()
            opt.zero_grad()
    out["optim_dataset"] = loss_func(model(xb), yb).item()

    model, opt = get_model()
    train_dl = DataLoader(train_ds, batch_size=bs)
    for epoch in range(epochs):
        for xb, yb in train_dl:
            pred = model(xb)
            loss = loss_func(pred, yb)
            loss.backward()
            opt.step()
            opt.zero_grad()
    out["dataloader"] = loss_func(model(xb), yb).item()

    valid_ds = TensorDataset(x_valid, y_valid)
    train_dl = DataLoader(train_ds, batch_size=bs, shuffle=True)
    valid_dl = DataLoader(valid_ds, batch_size=bs * 2)
    model, opt = get_model()
    valid = []
    for epoch in range(epochs):
        model.train()
        for xb, yb in train_dl:
            pred = model(xb)
            loss = loss_func(pred, yb)
            loss.backward()
            opt.step()
            opt.zero_grad()
        model.eval()
        with torch.no_grad():
            valid_loss = sum(loss_func(model(xb), yb) for xb, yb in valid_dl)
        valid.append((valid_loss / len(valid_dl)).item())
    out["valid"] = valid

    def loss_batch(model, loss_func, xb, yb, opt=None):
        loss = loss_func(model(xb), yb)
        if opt is not None:
            loss.backward()
            opt.step()
            opt.zero_grad()
        return loss.item(), len(xb)

    def fit(epochs, model, loss_func, opt, train_dl, valid_dl):  # noqa: F811
        history = []
        for epoch in range(epochs):
            model.train()
            for xb, yb in train_dl:
                loss_batch(model, loss_func, xb, yb, opt)
            model.eval()
            with torch.no_grad():
                losses, nums = zip(*[loss_batch(model, loss_func, xb, yb) for xb, yb in valid_dl])
            val_loss = np.sum(np.multiply(losses, nums)) / np.sum(nums)
            history.append(float(val_loss))
        return history

    def get_data(train_ds, valid_ds, bs):
        return (
            DataLoader(train_ds, batch_size=bs, shuffle=True),
            DataLoader(valid_ds, batch_size=bs * 2),
        )

    train_dl, valid_dl = get_data(train_ds, valid_ds, bs)
    model, opt = get_model()
    out["fit"] = fit(epochs, model, loss_func, opt, train_dl, valid_dl)

    class Mnist_CNN(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = nn.Conv2d(1, 16, kernel_size=3, stride=2, padding=1)
            self.conv2 = nn.Conv2d(16, 16, kernel_size=3, stride=2, padding=1)
            self.conv3 = nn.Conv2d(16, 10, kernel_size=3, stride=2, padding=1)

        def forward(self, xb):
            xb = xb.view(-1, 1, 28, 28)
            xb = F.relu(self.conv1(xb))
            xb = F.relu(self.conv2(xb))
            xb = F.relu(self.conv3(xb))
            xb = F.avg_pool2d(xb, 4)
            return xb.view(-1, xb.size(1))

    lr = 0.1
    model = Mnist_CNN()
    sync(model)
    opt = optim.SGD(model.parameters(), lr=lr, momentum=0.9)
    out["cnn"] = fit(epochs, model, loss_func, opt, train_dl, valid_dl)

    class Lambda(nn.Module):
        def __init__(self, func):
            super().__init__()
            self.func = func

        def forward(self, x):
            return self.func(x)

    def preprocess(x):
        return x.view(-1, 1, 28, 28)

    model = nn.Sequential(
        Lambda(preprocess),
        nn.Conv2d(1, 16, kernel_size=3, stride=2, padding=1),
        nn.ReLU(),
        nn.Conv2d(16, 16, kernel_size=3, stride=2, padding=1),
        nn.ReLU(),
        nn.Conv2d(16, 10, kernel_size=3, stride=2, padding=1),
        nn.ReLU(),
        nn.AvgPool2d(4),
        Lambda(lambda x: x.view(x.size(0), -1)),
    )
    sync(model)
    opt = optim.SGD(model.parameters(), lr=lr, momentum=0.9)
    out["sequential"] = fit(epochs, model, loss_func, opt, train_dl, valid_dl)

    dev = torch.device("cuda") if torch.cuda.is_available() else torch.device("cpu")

    def preprocess(x, y):  # noqa: F811
        return x.view(-1, 1, 28, 28).to(dev), y.to(dev)

    class WrappedDataLoader:
        def __init__(self, dl, func):
            self.dl = dl
            self.func = func

        def __len__(self):
            return len(self.dl)

        def __iter__(self):
            for b in self.dl:
                yield (self.func(*b))

    train_dl, valid_dl = get_data(train_ds, valid_ds, bs)
    train_dl = WrappedDataLoader(train_dl, preprocess)
    valid_dl = WrappedDataLoader(valid_dl, preprocess)
    model = nn.Sequential(
        nn.Conv2d(1, 16, kernel_size=3, stride=2, padding=1),
        nn.ReLU(),
        nn.Conv2d(16, 16, kernel_size=3, stride=2, padding=1),
        nn.ReLU(),
        nn.Conv2d(16, 10, kernel_size=3, stride=2, padding=1),
        nn.ReLU(),
        nn.AdaptiveAvgPool2d(1),
        Lambda(lambda x: x.view(x.size(0), -1)),
    )
    sync(model)
    model.to(dev)
    opt = optim.SGD(model.parameters(), lr=lr, momentum=0.9)
    out["adaptive"] = fit(epochs, model, loss_func, opt, train_dl, valid_dl)
    out["adaptive_grad"] = model[0].weight.grad
    out["adaptive_weight"] = model[4].weight.detach().numpy().copy()
    out["dev"] = str(dev)
    return out


# --- Neural Networks (beginner_source/blitz/neural_networks_tutorial.py) ---


def neural_networks(torch: Any, nn: Any, F: Any, optim: Any, sync: Sync) -> dict:
    """LeNet: its parameters, a backward with a random gradient, MSELoss and a look along
    ``grad_fn.next_functions``, ``net.zero_grad()`` clearing ``conv1.bias.grad``, the
    hand-written SGD update, then ``optim.SGD``."""

    class Net(nn.Module):
        def __init__(self):
            super(Net, self).__init__()
            self.conv1 = nn.Conv2d(1, 6, 5)
            self.conv2 = nn.Conv2d(6, 16, 5)
            self.fc1 = nn.Linear(16 * 5 * 5, 120)
            self.fc2 = nn.Linear(120, 84)
            self.fc3 = nn.Linear(84, 10)

        def forward(self, input):
            c1 = F.relu(self.conv1(input))
            s2 = F.max_pool2d(c1, (2, 2))
            c3 = F.relu(self.conv2(s2))
            s4 = F.max_pool2d(c3, 2)
            s4 = torch.flatten(s4, 1)
            f5 = F.relu(self.fc1(s4))
            f6 = F.relu(self.fc2(f5))
            output = self.fc3(f6)
            return output

    net = Net()
    sync(net)
    params = list(net.parameters())
    out: dict = {"n_params": len(params), "size0": tuple(params[0].size()), "repr": repr(net)}
    input = torch.randn(1, 1, 32, 32)
    sync([input])
    out["out"] = net(input).detach().numpy().copy()
    net.zero_grad()
    grad = torch.randn(1, 10)
    sync([grad])
    net(input).backward(grad)
    out["random_grad"] = net.conv1.weight.grad.numpy().copy()

    output = net(input)
    target = torch.randn(10)
    sync([target])
    target = target.view(1, -1)
    criterion = nn.MSELoss()
    loss = criterion(output, target)
    out["loss"] = loss.item()
    chain = [loss.grad_fn]
    chain.append(chain[-1].next_functions[0][0])
    chain.append(chain[-1].next_functions[0][0])
    out["chain"] = [type(f).__name__ for f in chain]
    net.zero_grad()
    out["bias_grad_before"] = net.conv1.bias.grad
    loss.backward()
    out["bias_grad_after"] = net.conv1.bias.grad.numpy().copy()

    learning_rate = 0.01
    for f in net.parameters():
        f.data.sub_(f.grad.data * learning_rate)
    out["manual_loss"] = criterion(net(input), target).item()

    optimizer = optim.SGD(net.parameters(), lr=0.01)
    losses = []
    for _ in range(3):
        optimizer.zero_grad()
        output = net(input)
        loss = criterion(output, target)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    out["losses"] = losses
    out["fc3"] = net.fc3.weight.detach().numpy().copy()
    return out
