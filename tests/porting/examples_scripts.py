# The authors' idioms are kept as written: super(Cls, self), str.format, loop variables the
# body ignores, mutable defaults.
# ruff: noqa: UP008, UP032, B007, B006
"""The official pytorch/examples scripts, shortened (tiny widths, synthetic data instead of
downloads, a few steps) and written once against the names ``torch``, ``nn``, ``F``,
``optim``, ``data`` (``torch.utils.data``): mnist, mnist_rnn, vae, regression,
time_sequence_prediction, super_resolution, word_language_model, reinforcement_learning
(REINFORCE and actor-critic), siamese_network and fast_neural_style. The tests run them with
our packages under those names and, when it is installed, with PyTorch.

argparse becomes a ``SimpleNamespace`` of the same options; torchvision's datasets become
seeded numpy arrays of the same kind, converted with ``torch.tensor(array,
dtype=torch.get_default_dtype())`` (so a test may run a script in float64 by setting the
default dtype); ``print`` output is captured and returned. Weights a result depends on pass
through ``sync(module)`` (see course_scripts.py). Where a script uses ``.data`` as a Tensor
(``p.data.add_(...)``, ``m.bias.data.fill_(...)``), ``faithful_data=False`` writes the
``torch.no_grad()`` form instead: here ``.data`` is the ndarray (API.md).
"""

from __future__ import annotations

import contextlib
import io
import math
import os
from collections import deque, namedtuple
from itertools import count
from types import SimpleNamespace
from typing import Any

import numpy as np

from .course_scripts import Sync


def floats(torch: Any, array: np.ndarray) -> Any:
    """A numpy stand-in for a downloaded dataset, in the library's default float dtype."""
    return torch.tensor(array, dtype=torch.get_default_dtype())


def fake_mnist(torch: Any, data: Any, n: int, side: int, seed: int, normalize: bool = True):
    """``datasets.MNIST(..., transform=ToTensor() [+ Normalize((0.1307,), (0.3081,))])``:
    ``n`` images ``(1, side, side)`` in [0, 1] and their digits, as a TensorDataset."""
    rs = np.random.RandomState(seed)
    images = rs.rand(n, 1, side, side)
    if normalize:
        images = (images - 0.1307) / 0.3081
    return data.TensorDataset(floats(torch, images), torch.tensor(rs.randint(0, 10, n)))


def captured(fn: Any) -> tuple[Any, list[str]]:
    """``fn()`` with what it prints collected as lines."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        result = fn()
    return result, out.getvalue().splitlines()


# --- mnist/main.py ---


def mnist(
    torch: Any,
    nn: Any,
    F: Any,
    optim: Any,
    data: Any,
    sync: Sync,
    workdir: str,
    side: int = 12,
    shrink: int = 8,
) -> dict:
    """Net (two convolutions, dropout, log_softmax), nll_loss, Adadelta, StepLR, the train and
    test loops (``reduction='sum'``, ``pred.eq(target.view_as(pred)).sum().item()``) and
    ``torch.save(model.state_dict(), ...)``; images ``side`` x ``side``, widths / shrink."""
    StepLR = optim.lr_scheduler.StepLR
    flat = (64 // shrink) * ((side - 4) // 2) ** 2  # 9216 for 28 x 28 images

    class Net(nn.Module):
        def __init__(self):
            super(Net, self).__init__()
            self.conv1 = nn.Conv2d(1, 32 // shrink, 3, 1)
            self.conv2 = nn.Conv2d(32 // shrink, 64 // shrink, 3, 1)
            self.dropout1 = nn.Dropout(0.25)
            self.dropout2 = nn.Dropout(0.5)
            self.fc1 = nn.Linear(flat, 128 // shrink)
            self.fc2 = nn.Linear(128 // shrink, 10)

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

    def train(args, model, device, train_loader, optimizer, epoch):
        model.train()
        for batch_idx, (data, target) in enumerate(train_loader):
            data, target = data.to(device), target.to(device)
            optimizer.zero_grad()
            output = model(data)
            loss = F.nll_loss(output, target)
            loss.backward()
            optimizer.step()
            if batch_idx % args.log_interval == 0:
                print(
                    "Train Epoch: {} [{}/{} ({:.0f}%)]\tLoss: {:.6f}".format(
                        epoch,
                        batch_idx * len(data),
                        len(train_loader.dataset),
                        100.0 * batch_idx / len(train_loader),
                        loss.item(),
                    )
                )
                losses.append(loss.item())
                if args.dry_run:
                    break

    def test(model, device, test_loader):
        model.eval()
        test_loss = 0
        correct = 0
        with torch.no_grad():
            for data, target in test_loader:
                data, target = data.to(device), target.to(device)
                output = model(data)
                test_loss += F.nll_loss(output, target, reduction="sum").item()  # sum up batch loss
                pred = output.argmax(
                    dim=1, keepdim=True
                )  # get the index of the max log-probability
                correct += pred.eq(target.view_as(pred)).sum().item()

        test_loss /= len(test_loader.dataset)

        print(
            "\nTest set: Average loss: {:.4f}, Accuracy: {}/{} ({:.0f}%)\n".format(
                test_loss,
                correct,
                len(test_loader.dataset),
                100.0 * correct / len(test_loader.dataset),
            )
        )
        tests.append((test_loss, correct))

    args = SimpleNamespace(
        batch_size=8,
        test_batch_size=10,
        epochs=2,
        lr=1.0,
        gamma=0.7,
        no_cuda=False,
        no_mps=False,
        dry_run=False,
        seed=1,
        log_interval=1,
        save_model=True,
    )
    use_cuda = not args.no_cuda and torch.cuda.is_available()
    use_mps = not args.no_mps and torch.backends.mps.is_available()

    torch.manual_seed(args.seed)

    if use_cuda:
        device = torch.device("cuda")
    elif use_mps:
        device = torch.device("mps")
    else:
        device = torch.device("cpu")

    train_kwargs = {"batch_size": args.batch_size}
    test_kwargs = {"batch_size": args.test_batch_size}
    dataset1 = fake_mnist(torch, data, 24, side, seed=0)
    dataset2 = fake_mnist(torch, data, 20, side, seed=1)
    train_loader = data.DataLoader(dataset1, **train_kwargs)
    test_loader = data.DataLoader(dataset2, **test_kwargs)

    losses: list = []
    tests: list = []
    model = Net().to(device)
    sync(model)
    optimizer = optim.Adadelta(model.parameters(), lr=args.lr)

    scheduler = StepLR(optimizer, step_size=1, gamma=args.gamma)
    lrs = []

    def run():
        for epoch in range(1, args.epochs + 1):
            train(args, model, device, train_loader, optimizer, epoch)
            test(model, device, test_loader)
            scheduler.step()
            lrs.append(optimizer.param_groups[0]["lr"])

        if args.save_model:
            torch.save(model.state_dict(), os.path.join(workdir, "mnist_cnn.pt"))

    _, printed = captured(run)
    reloaded = Net()
    reloaded.load_state_dict(torch.load(os.path.join(workdir, "mnist_cnn.pt")))
    x = dataset2[:4][0]
    reloaded.eval()
    model.eval()
    return {
        "losses": losses,
        "tests": tests,
        "lrs": lrs,
        "printed": printed,
        "device": str(device),
        "state": {k: np.array(v) for k, v in model.state_dict().items()},
        "same_after_reload": bool(torch.equal(reloaded(x), model(x))),
    }


# --- mnist_rnn/main.py ---


def mnist_rnn(
    torch: Any, nn: Any, F: Any, optim: Any, data: Any, sync: Sync, side: int = 8
) -> dict:
    """Net (an LSTM over the image rows, BatchNorm1d, Dropout2d on its (batch, features)
    output), Adadelta, StepLR, train and test loops (with ``dry_run`` in test)."""
    StepLR = optim.lr_scheduler.StepLR

    class Net(nn.Module):
        def __init__(self):
            super(Net, self).__init__()
            self.rnn = nn.LSTM(input_size=side, hidden_size=16, batch_first=True)
            self.batchnorm = nn.BatchNorm1d(16)
            self.dropout1 = nn.Dropout2d(0.25)
            self.dropout2 = nn.Dropout2d(0.5)
            self.fc1 = nn.Linear(16, 8)
            self.fc2 = nn.Linear(8, 10)

        def forward(self, input):
            # Shape of input is (batch_size,1, 28, 28)
            # converting shape of input to (batch_size, 28, 28)
            # as required by RNN when batch_first is set True
            input = input.reshape(-1, side, side)
            output, hidden = self.rnn(input)

            # RNN output shape is (seq_len, batch, input_size)
            # Get last output of RNN
            output = output[:, -1, :]
            output = self.batchnorm(output)
            output = self.dropout1(output)
            output = self.fc1(output)
            output = F.relu(output)
            output = self.dropout2(output)
            output = self.fc2(output)
            output = F.log_softmax(output, dim=1)
            return output

    def train(args, model, device, train_loader, optimizer, epoch):
        model.train()
        for batch_idx, (data, target) in enumerate(train_loader):
            data, target = data.to(device), target.to(device)
            optimizer.zero_grad()
            output = model(data)
            loss = F.nll_loss(output, target)
            loss.backward()
            optimizer.step()
            if batch_idx % args.log_interval == 0:
                print(
                    "Train Epoch: {} [{}/{} ({:.0f}%)]\tLoss: {:.6f}".format(
                        epoch,
                        batch_idx * len(data),
                        len(train_loader.dataset),
                        100.0 * batch_idx / len(train_loader),
                        loss.item(),
                    )
                )
                losses.append(loss.item())
                if args.dry_run:
                    break

    def test(args, model, device, test_loader):
        model.eval()
        test_loss = 0
        correct = 0
        with torch.no_grad():
            for data, target in test_loader:
                data, target = data.to(device), target.to(device)
                output = model(data)
                test_loss += F.nll_loss(output, target, reduction="sum").item()  # sum up batch loss
                pred = output.argmax(
                    dim=1, keepdim=True
                )  # get the index of the max log-probability
                correct += pred.eq(target.view_as(pred)).sum().item()
                if args.dry_run:
                    break

        test_loss /= len(test_loader.dataset)

        print(
            "\nTest set: Average loss: {:.4f}, Accuracy: {}/{} ({:.0f}%)\n".format(
                test_loss,
                correct,
                len(test_loader.dataset),
                100.0 * correct / len(test_loader.dataset),
            )
        )
        tests.append((test_loss, correct))

    args = SimpleNamespace(
        batch_size=8,
        test_batch_size=10,
        epochs=2,
        lr=0.1,
        gamma=0.7,
        cuda=False,
        mps=False,
        xpu=False,
        dry_run=False,
        seed=1,
        log_interval=1,
        save_model=False,
    )
    if args.cuda and not args.mps:
        device = "cuda"
    elif args.mps and not args.cuda:
        device = "mps"
    elif args.xpu:
        device = "xpu"
    else:
        device = "cpu"

    device = torch.device(device)

    torch.manual_seed(args.seed)

    kwargs = {"num_workers": 1, "pin_memory": True} if args.cuda else {}
    train_loader = data.DataLoader(
        fake_mnist(torch, data, 24, side, seed=2), batch_size=args.batch_size, **kwargs
    )
    test_loader = data.DataLoader(
        fake_mnist(torch, data, 20, side, seed=3), batch_size=args.test_batch_size, **kwargs
    )

    losses: list = []
    tests: list = []
    model = Net().to(device)
    sync(model)
    optimizer = optim.Adadelta(model.parameters(), lr=args.lr)

    scheduler = StepLR(optimizer, step_size=1, gamma=args.gamma)

    def run():
        for epoch in range(1, args.epochs + 1):
            train(args, model, device, train_loader, optimizer, epoch)
            test(args, model, device, test_loader)
            scheduler.step()

    _, printed = captured(run)
    # what the training-mode Dropout2d does to a (batch, features) input
    drop = nn.Dropout2d(0.5)
    dropped = drop(torch.ones(64, 6)).detach().numpy()
    return {
        "losses": losses,
        "tests": tests,
        "printed": printed,
        "running_mean": model.batchnorm.running_mean.detach().numpy().copy(),
        "state": {k: np.array(v) for k, v in model.state_dict().items()},
        "dropout2d_rows": dropped,
    }


# --- vae/main.py ---


def vae(torch: Any, nn: Any, F: Any, optim: Any, data: Any, sync: Sync, side: int = 8) -> dict:
    """VAE (reparameterize with ``randn_like``, the decoder's clamp), the continuous-Bernoulli
    log normaliser (``torch.where(torch.max(torch.le(...), torch.gt(...)), ...)``), the loss
    (BCE ``reduction='sum'`` + NLNC + KLD), train, test (the comparison ``torch.cat``) and the
    samples decoded from ``torch.randn(64, 20)``; 784 -> 400 -> 20 shrunk to side**2 -> 32 -> 4."""
    D = side * side
    args = SimpleNamespace(batch_size=8, epochs=2, no_cuda=False, seed=1, log_interval=1)
    args.cuda = not args.no_cuda and torch.cuda.is_available()

    torch.manual_seed(args.seed)

    device = torch.device("cuda" if args.cuda else "cpu")

    kwargs = {"num_workers": 1, "pin_memory": True} if args.cuda else {}
    train_loader = data.DataLoader(
        fake_mnist(torch, data, 24, side, seed=4, normalize=False),
        batch_size=args.batch_size,
        **kwargs,
    )
    test_loader = data.DataLoader(
        fake_mnist(torch, data, 16, side, seed=5, normalize=False),
        batch_size=args.batch_size,
        **kwargs,
    )

    class VAE(nn.Module):
        def __init__(self):
            super(VAE, self).__init__()

            self.fc1 = nn.Linear(D, 32)
            self.fc21 = nn.Linear(32, 4)
            self.fc22 = nn.Linear(32, 4)
            self.fc3 = nn.Linear(4, 32)
            self.fc4 = nn.Linear(32, D)

        def encode(self, x):
            h1 = F.relu(self.fc1(x))
            return self.fc21(h1), self.fc22(h1)

        def reparameterize(self, mu, logvar):
            std = torch.exp(0.5 * logvar)
            eps = torch.randn_like(std)
            return mu + eps * std

        def decode(self, z):
            h3 = F.relu(self.fc3(z))
            # clamp to avoid numerical issues with the continuous Bernoulli log normalizing constant
            return torch.clamp(torch.sigmoid(self.fc4(h3)), min=1e-4, max=1.0 - 1e-4)

        def forward(self, x):
            mu, logvar = self.encode(x.view(-1, D))
            z = self.reparameterize(mu, logvar)
            return self.decode(z), mu, logvar

    model = VAE().to(device)
    sync(model)
    optimizer = optim.Adam(model.parameters(), lr=1e-3)

    def atanh(x):
        # inverse hyperbolic tangent, used to compute the log normalizing constant of the continuous Bernoulli
        return 0.5 * (torch.log(1.0 + x) - torch.log(1.0 - x))

    def cont_bern_log_norm(lam, l_lim=0.49, u_lim=0.51):
        # computes the log normalizing constant of a continuous Bernoulli distribution in a numerically stable way.
        # returns the log normalizing constant for lam in (0, l_lim) U (u_lim, 1) and a Taylor approximation in
        # [l_lim, u_lim].
        cut_lam = torch.where(
            torch.max(torch.le(lam, l_lim), torch.gt(lam, u_lim)), lam, l_lim * torch.ones_like(lam)
        )
        log_norm = torch.log(torch.abs(2.0 * atanh(1 - 2.0 * cut_lam))) - torch.log(
            torch.abs(1 - 2.0 * cut_lam)
        )
        taylor = (
            torch.log(torch.tensor(2.0))
            + 4.0 / 3.0 * torch.pow(lam - 0.5, 2)
            + 104.0 / 45.0 * torch.pow(lam - 0.5, 4)
        )
        return torch.where(torch.max(torch.le(lam, l_lim), torch.gt(lam, u_lim)), log_norm, taylor)

    # Reconstruction + KL divergence losses summed over all elements and batch
    def loss_function(recon_x, x, mu, logvar):
        BCE = F.binary_cross_entropy(recon_x, x.view(-1, D), reduction="sum")
        NLNC = -torch.sum(cont_bern_log_norm(recon_x))  # negative log normalizing constant
        # 0.5 * sum(1 + log(sigma^2) - mu^2 - sigma^2)
        KLD = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())

        return BCE + NLNC + KLD

    def train(epoch):
        model.train()
        train_loss = 0
        for batch_idx, (data, _) in enumerate(train_loader):
            data = data.to(device)
            optimizer.zero_grad()
            recon_batch, mu, logvar = model(data)
            loss = loss_function(recon_batch, data, mu, logvar)
            loss.backward()
            train_loss += loss.item()
            optimizer.step()
            if batch_idx % args.log_interval == 0:
                print(
                    "Train Epoch: {} [{}/{} ({:.0f}%)]\tLoss: {:.6f}".format(
                        epoch,
                        batch_idx * len(data),
                        len(train_loader.dataset),
                        100.0 * batch_idx / len(train_loader),
                        loss.item() / len(data),
                    )
                )
                losses.append(loss.item() / len(data))

        print(
            "====> Epoch: {} Average loss: {:.4f}".format(
                epoch, train_loss / len(train_loader.dataset)
            )
        )

    def test(epoch):
        model.eval()
        test_loss = 0
        with torch.no_grad():
            for i, (data, _) in enumerate(test_loader):
                data = data.to(device)
                recon_batch, mu, logvar = model(data)
                test_loss += loss_function(recon_batch, data, mu, logvar).item()
                if i == 0:
                    n = min(data.size(0), 8)
                    comparison = torch.cat(
                        [data[:n], recon_batch.view(args.batch_size, 1, side, side)[:n]]
                    )
                    images.append(comparison.cpu().numpy())  # save_image(comparison.cpu(), ...)

        test_loss /= len(test_loader.dataset)
        print("====> Test set loss: {:.4f}".format(test_loss))
        test_losses.append(test_loss)

    losses: list = []
    test_losses: list = []
    images: list = []
    samples: list = []

    def run():
        for epoch in range(1, args.epochs + 1):
            train(epoch)
            test(epoch)
            with torch.no_grad():
                sample = torch.randn(64, 4).to(device)
                sample = model.decode(sample).cpu()
                samples.append(sample.view(64, 1, side, side).numpy())  # save_image(...)

    _, printed = captured(run)
    lam = torch.tensor([1e-4, 0.2, 0.49, 0.5, 0.505, 0.51, 0.8, 1 - 1e-4])
    return {
        "losses": losses,
        "test_losses": test_losses,
        "images": images,
        "samples": samples,
        "printed": printed,
        "log_norm": cont_bern_log_norm(lam).numpy(),
    }


# --- regression/main.py ---


def regression(
    torch: Any, F: Any, sync: Sync, faithful_data: bool = True, max_batches: int = 2000
) -> dict:
    """Fit a degree-4 polynomial with one Linear layer (``make_features``, ``f``, the manual
    update ``param.data.add_(-0.1 * param.grad)``, ``poly_desc`` formatting 0-d tensors).
    ``torch.randn`` draws are numpy draws here, so both libraries fit the same batches.

    ``faithful_data=False`` writes the update ``with torch.no_grad(): param.add_(...)``:
    ``.data`` is the ndarray here (API.md), which has no ``add_``."""
    rs = np.random.RandomState(0)
    POLY_DEGREE = 4
    W_target = floats(torch, rs.randn(POLY_DEGREE, 1)) * 5  # torch.randn(POLY_DEGREE, 1) * 5
    b_target = floats(torch, rs.randn(1)) * 5  # torch.randn(1) * 5

    def make_features(x):
        """Builds features i.e. a matrix with columns [x, x^2, x^3, x^4]."""
        x = x.unsqueeze(1)
        return torch.cat([x**i for i in range(1, POLY_DEGREE + 1)], 1)

    def f(x):
        """Approximated function."""
        return x.mm(W_target) + b_target.item()

    def poly_desc(W, b):
        """Creates a string description of a polynomial."""
        result = "y = "
        for i, w in enumerate(W):
            result += "{:+.2f} x^{} ".format(w, i + 1)
        result += "{:+.2f}".format(b[0])
        return result

    def get_batch(batch_size=32):
        """Builds a batch i.e. (x, f(x)) pair."""
        random = floats(torch, rs.randn(batch_size))  # torch.randn(batch_size)
        x = make_features(random)
        y = f(x)
        return x, y

    # Define model
    fc = torch.nn.Linear(W_target.size(0), 1)
    sync(fc)
    losses = []

    def run():
        for batch_idx in count(1):
            # Get data
            batch_x, batch_y = get_batch()

            # Reset gradients
            fc.zero_grad()

            # Forward pass
            output = F.smooth_l1_loss(fc(batch_x), batch_y)
            loss = output.item()
            losses.append(loss)

            # Backward pass
            output.backward()

            # Apply gradients
            for param in fc.parameters():
                if faithful_data:
                    param.data.add_(-0.1 * param.grad)
                else:
                    with torch.no_grad():
                        param.add_(-0.1 * param.grad)

            # Stop criterion
            if loss < 1e-3 or batch_idx == max_batches:
                break

        print("Loss: {:.6f} after {} batches".format(loss, batch_idx))
        print("==> Learned function:\t" + poly_desc(fc.weight.view(-1), fc.bias))
        print("==> Actual function:\t" + poly_desc(W_target.view(-1), b_target))

    _, printed = captured(run)
    return {
        "losses": losses,
        "printed": printed,
        "weight": fc.weight.detach().numpy().copy(),
        "bias": fc.bias.detach().numpy().copy(),
        "W_target": W_target.numpy(),
        "b_target": b_target.numpy(),
    }


# --- time_sequence_prediction ---


def time_sequence_prediction(
    torch: Any, nn: Any, optim: Any, sync: Sync, hidden: int = 8, steps: int = 2
) -> dict:
    """Sequence (two LSTMCells in double precision, the ``future`` loop feeding back its own
    output), MSELoss, LBFGS(lr=0.8) with a closure, prediction under ``no_grad``;
    generate_sine_wave.py's data (N=100, L=1000 shrunk to 6 x 40), 51 units become ``hidden``."""
    # generate_sine_wave.py
    np.random.seed(2)
    T = 20
    L = 40
    N = 6
    x = np.empty((N, L), "int64")
    x[:] = np.array(range(L)) + np.random.randint(-4 * T, 4 * T, N).reshape(N, 1)
    sine = np.sin(x / 1.0 / T).astype("float64")

    class Sequence(nn.Module):
        def __init__(self):
            super(Sequence, self).__init__()
            self.lstm1 = nn.LSTMCell(1, hidden)
            self.lstm2 = nn.LSTMCell(hidden, hidden)
            self.linear = nn.Linear(hidden, 1)
            self.dummy_param = nn.Parameter(torch.empty(0))

        def forward(self, input, future=0):
            outputs = []
            device = self.dummy_param.device
            h_t = torch.zeros(input.size(0), hidden, dtype=torch.double).to(device)
            c_t = torch.zeros(input.size(0), hidden, dtype=torch.double).to(device)
            h_t2 = torch.zeros(input.size(0), hidden, dtype=torch.double).to(device)
            c_t2 = torch.zeros(input.size(0), hidden, dtype=torch.double).to(device)

            for input_t in input.split(1, dim=1):
                h_t, c_t = self.lstm1(input_t, (h_t, c_t))
                h_t2, c_t2 = self.lstm2(h_t, (h_t2, c_t2))
                output = self.linear(h_t2)
                outputs += [output]
            for i in range(future):  # if we should predict the future
                h_t, c_t = self.lstm1(output, (h_t, c_t))
                h_t2, c_t2 = self.lstm2(h_t, (h_t2, c_t2))
                output = self.linear(h_t2)
                outputs += [output]
            outputs = torch.cat(outputs, dim=1)
            return outputs

    device = torch.device("cpu")
    torch.manual_seed(0)
    data = torch.from_numpy(sine).to(device)  # torch.load('traindata.pt')
    input = data[3:, :-1]
    target = data[3:, 1:]
    test_input = data[:3, :-1]
    test_target = data[:3, 1:]
    # build the model
    seq = Sequence().to(device).double()
    sync(seq)
    criterion = nn.MSELoss().to(device)
    # use LBFGS as optimizer since we can load the whole data to train
    optimizer = optim.LBFGS(seq.parameters(), lr=0.8)
    losses, test_losses, preds = [], [], []

    def run():
        for i in range(steps):
            print("STEP: ", i)

            def closure():
                optimizer.zero_grad()
                out = seq(input)
                loss = criterion(out, target)
                print("loss:", loss.item())
                losses.append(loss.item())
                loss.backward()
                return loss

            optimizer.step(closure)
            # begin to predict, no need to track gradient here
            with torch.no_grad():
                future = 20
                pred = seq(test_input, future=future)
                loss = criterion(pred[:, :-future], test_target)
                print("test loss:", loss.item())
                test_losses.append(loss.item())
                y = pred.cpu().detach().numpy()
            preds.append(y)

    _, printed = captured(run)
    return {
        "losses": losses,
        "test_losses": test_losses,
        "preds": preds,
        "printed": printed,
        "all_double": all(p.dtype == torch.double for p in seq.parameters()),
    }
