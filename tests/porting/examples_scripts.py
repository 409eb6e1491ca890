# The authors' idioms are kept as written: super(Cls, self), (object) bases, open(p, "r"),
# float(0.0), str.format, long comment lines, loop variables the body ignores.
# ruff: noqa: UP004, UP008, UP015, UP018, UP032, B007, E501
"""The official pytorch/examples scripts, shortened (tiny widths, synthetic data instead of
downloads, a few steps) and written once against the names ``torch``, ``nn``, ``F``,
``optim``, ``data`` (``torch.utils.data``): mnist, mnist_rnn, vae, regression,
time_sequence_prediction, super_resolution, word_language_model, reinforcement_learning
(REINFORCE and actor-critic), siamese_network, fast_neural_style, mnist_forward_forward and
gat. The tests run them with our packages under those names and, when it is installed, with
PyTorch.

argparse becomes a ``SimpleNamespace`` of the same options; torchvision's datasets become
seeded numpy arrays of the same kind, converted with ``torch.tensor(array,
dtype=torch.get_default_dtype())`` (so a test may run a script in float64 by setting the
default dtype); ``print`` output is captured and returned. Weights a result depends on pass
through ``sync(module)`` (see course_scripts.py). ``.data`` lines (``p.data.add_(...)``,
``m.bias.data.fill_(...)``) are as written: ``.data`` answers torch.Tensor's methods. Where a
script saves a whole module (``torch.save(model, path)``), ``faithful_save=False`` saves its
state_dict: our format stores no code (API.md). The tests pin that difference on the scripts
as written.
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


def regression(torch: Any, F: Any, sync: Sync, max_batches: int = 2000) -> dict:
    """Fit a degree-4 polynomial with one Linear layer (``make_features``, ``f``, the manual
    update ``param.data.add_(-0.1 * param.grad)``, ``poly_desc`` formatting 0-d tensors).
    ``torch.randn`` draws are numpy draws here, so both libraries fit the same batches."""
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
                param.data.add_(-0.1 * param.grad)

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


# --- super_resolution ---


def super_resolution(
    torch: Any,
    nn: Any,
    F: Any,
    optim: Any,
    data: Any,
    sync: Sync,
    workdir: str,
    faithful_save: bool = True,
) -> dict:
    """model.py's Net (ReLU convolutions, PixelShuffle, ``init.orthogonal_`` with
    ``init.calculate_gain('relu')``) and main.py's train, test (PSNR) and checkpoint
    (``torch.save(model, path)``); BSDS300 crops become random 12 x 12 images, 64 channels 8.

    ``faithful_save=False`` saves ``model.state_dict()`` instead: our format stores no code,
    so a whole module is refused (API.md)."""
    init = nn.init
    c = 8

    class Net(nn.Module):
        def __init__(self, upscale_factor):
            super(Net, self).__init__()

            self.relu = nn.ReLU()
            self.conv1 = nn.Conv2d(1, c, (5, 5), (1, 1), (2, 2))
            self.conv2 = nn.Conv2d(c, c, (3, 3), (1, 1), (1, 1))
            self.conv3 = nn.Conv2d(c, c // 2, (3, 3), (1, 1), (1, 1))
            self.conv4 = nn.Conv2d(c // 2, upscale_factor**2, (3, 3), (1, 1), (1, 1))
            self.pixel_shuffle = nn.PixelShuffle(upscale_factor)

            self._initialize_weights()

        def forward(self, x):
            x = self.relu(self.conv1(x))
            x = self.relu(self.conv2(x))
            x = self.relu(self.conv3(x))
            x = self.pixel_shuffle(self.conv4(x))
            return x

        def _initialize_weights(self):
            init.orthogonal_(self.conv1.weight, init.calculate_gain("relu"))
            init.orthogonal_(self.conv2.weight, init.calculate_gain("relu"))
            init.orthogonal_(self.conv3.weight, init.calculate_gain("relu"))
            init.orthogonal_(self.conv4.weight)

    opt = SimpleNamespace(
        upscale_factor=3, batchSize=4, testBatchSize=4, nEpochs=2, lr=0.01, cuda=False, seed=123
    )
    torch.manual_seed(opt.seed)
    device = torch.device("cuda" if opt.cuda else "cpu")

    def dataset(n, seed):
        """get_training_set / get_test_set: the Y channel, downscaled input and full target."""
        rs = np.random.RandomState(seed)
        target = rs.rand(n, 1, 12, 12)
        input = target.reshape(n, 1, 4, 3, 4, 3).mean((3, 5))
        return data.TensorDataset(floats(torch, input), floats(torch, target))

    training_data_loader = data.DataLoader(dataset=dataset(8, 0), batch_size=opt.batchSize)
    testing_data_loader = data.DataLoader(dataset=dataset(4, 1), batch_size=opt.testBatchSize)

    model = Net(upscale_factor=opt.upscale_factor).to(device)
    weights = [m.weight.detach().numpy().copy() for m in (model.conv1, model.conv4)]
    sync(model)
    criterion = nn.MSELoss()

    optimizer = optim.Adam(model.parameters(), lr=opt.lr)
    losses, psnrs = [], []

    def train(epoch):
        epoch_loss = 0
        for iteration, batch in enumerate(training_data_loader, 1):
            input, target = batch[0].to(device), batch[1].to(device)

            optimizer.zero_grad()
            loss = criterion(model(input), target)
            epoch_loss += loss.item()
            loss.backward()
            optimizer.step()
            losses.append(loss.item())

            print(
                "===> Epoch[{}]({}/{}): Loss: {:.4f}".format(
                    epoch, iteration, len(training_data_loader), loss.item()
                )
            )

        print(
            "===> Epoch {} Complete: Avg. Loss: {:.4f}".format(
                epoch, epoch_loss / len(training_data_loader)
            )
        )

    def test():
        avg_psnr = 0
        with torch.no_grad():
            for batch in testing_data_loader:
                input, target = batch[0].to(device), batch[1].to(device)

                prediction = model(input)
                mse = criterion(prediction, target)
                psnr = 10 * math.log10(1 / mse.item())
                avg_psnr += psnr
        print("===> Avg. PSNR: {:.4f} dB".format(avg_psnr / len(testing_data_loader)))
        psnrs.append(avg_psnr / len(testing_data_loader))

    def checkpoint(epoch):
        model_out_path = "model_epoch_{}.pth".format(epoch)
        torch.save(
            model if faithful_save else model.state_dict(), os.path.join(workdir, model_out_path)
        )
        print("Checkpoint saved to {}".format(model_out_path))

    def run():
        for epoch in range(1, opt.nEpochs + 1):
            train(epoch)
            test()
            checkpoint(epoch)

    _, printed = captured(run)
    x = training_data_loader.dataset[:2][0]
    return {
        "losses": losses,
        "psnrs": psnrs,
        "printed": printed,
        "init_weights": weights,
        "gain": init.calculate_gain("relu"),
        "out": model(x).detach().numpy(),
        "saved": sorted(os.listdir(workdir)),
    }


# --- word_language_model ---

WORDS = "the a cat dog sat ran on under mat log and".split()


def word_language_model(
    torch: Any,
    nn: Any,
    F: Any,
    optim: Any,
    data: Any,
    sync: Sync,
    workdir: str,
    model_type: str = "LSTM",
    tied: bool = False,
    dropout: float = 0.2,
    faithful_save: bool = True,
    words: int = 6,
) -> dict:
    """data.py's Dictionary and Corpus (files written to ``workdir``), model.py's RNNModel
    (LSTM, GRU, RNN_TANH; tied weights) and TransformerModel (an nn.Transformer subclass with
    PositionalEncoding and ``_generate_square_subsequent_mask``), main.py's batchify,
    repackage_hidden, get_batch, train (``clip_grad_norm_`` and the manual SGD
    ``p.data.add_(p.grad, alpha=-lr)``), evaluate, the annealing loop, the best model saved
    and loaded, and generate.py's sampling. Sizes 200 -> 8, bptt 35 -> 5.

    ``faithful_save=False`` saves the state_dict, not the module: the format stores no code
    here (API.md)."""

    class Dictionary(object):
        def __init__(self):
            self.word2idx = {}
            self.idx2word = []

        def add_word(self, word):
            if word not in self.word2idx:
                self.idx2word.append(word)
                self.word2idx[word] = len(self.idx2word) - 1
            return self.word2idx[word]

        def __len__(self):
            return len(self.idx2word)

    class Corpus(object):
        def __init__(self, path):
            self.dictionary = Dictionary()
            self.train = self.tokenize(os.path.join(path, "train.txt"))
            self.valid = self.tokenize(os.path.join(path, "valid.txt"))
            self.test = self.tokenize(os.path.join(path, "test.txt"))

        def tokenize(self, path):
            """Tokenizes a text file."""
            assert os.path.exists(path)
            # Add words to the dictionary
            with open(path, "r", encoding="utf8") as f:
                for line in f:
                    words = line.split() + ["<eos>"]
                    for word in words:
                        self.dictionary.add_word(word)

            # Tokenize file content
            with open(path, "r", encoding="utf8") as f:
                idss = []
                for line in f:
                    words = line.split() + ["<eos>"]
                    ids = []
                    for word in words:
                        ids.append(self.dictionary.word2idx[word])
                    idss.append(torch.tensor(ids).type(torch.int64))
                ids = torch.cat(idss)

            return ids

    class RNNModel(nn.Module):
        """Container module with an encoder, a recurrent module, and a decoder."""

        def __init__(self, rnn_type, ntoken, ninp, nhid, nlayers, dropout=0.5, tie_weights=False):
            super(RNNModel, self).__init__()
            self.ntoken = ntoken
            self.drop = nn.Dropout(dropout)
            self.encoder = nn.Embedding(ntoken, ninp)
            if rnn_type in ["LSTM", "GRU"]:
                self.rnn = getattr(nn, rnn_type)(ninp, nhid, nlayers, dropout=dropout)
            else:
                try:
                    nonlinearity = {"RNN_TANH": "tanh", "RNN_RELU": "relu"}[rnn_type]
                except KeyError as e:
                    raise ValueError(
                        """An invalid option for `--model` was supplied,
                                 options are ['LSTM', 'GRU', 'RNN_TANH' or 'RNN_RELU']"""
                    ) from e
                self.rnn = nn.RNN(ninp, nhid, nlayers, nonlinearity=nonlinearity, dropout=dropout)
            self.decoder = nn.Linear(nhid, ntoken)

            # Optionally tie weights as in:
            # "Using the Output Embedding to Improve Language Models" (Press & Wolf 2016)
            if tie_weights:
                if nhid != ninp:
                    raise ValueError("When using the tied flag, nhid must be equal to emsize")
                self.decoder.weight = self.encoder.weight

            self.init_weights()

            self.rnn_type = rnn_type
            self.nhid = nhid
            self.nlayers = nlayers

        def init_weights(self):
            initrange = 0.1
            nn.init.uniform_(self.encoder.weight, -initrange, initrange)
            nn.init.zeros_(self.decoder.bias)
            nn.init.uniform_(self.decoder.weight, -initrange, initrange)

        def forward(self, input, hidden):
            emb = self.drop(self.encoder(input))
            output, hidden = self.rnn(emb, hidden)
            output = self.drop(output)
            decoded = self.decoder(output)
            decoded = decoded.view(-1, self.ntoken)
            return F.log_softmax(decoded, dim=1), hidden

        def init_hidden(self, bsz):
            weight = next(self.parameters())
            if self.rnn_type == "LSTM":
                return (
                    weight.new_zeros(self.nlayers, bsz, self.nhid),
                    weight.new_zeros(self.nlayers, bsz, self.nhid),
                )
            else:
                return weight.new_zeros(self.nlayers, bsz, self.nhid)

    # Temporarily leave PositionalEncoding module here. Will be moved somewhere else.
    class PositionalEncoding(nn.Module):
        def __init__(self, d_model, dropout=0.1, max_len=5000):
            super(PositionalEncoding, self).__init__()
            self.dropout = nn.Dropout(p=dropout)

            pe = torch.zeros(max_len, d_model)
            position = torch.arange(0, max_len, dtype=torch.float).unsqueeze(1)
            div_term = torch.exp(
                torch.arange(0, d_model, 2).float() * (-math.log(10000.0) / d_model)
            )
            pe[:, 0::2] = torch.sin(position * div_term)
            pe[:, 1::2] = torch.cos(position * div_term)
            pe = pe.unsqueeze(0).transpose(0, 1)
            self.register_buffer("pe", pe)

        def forward(self, x):
            x = x + self.pe[: x.size(0), :]
            return self.dropout(x)

    class TransformerModel(nn.Transformer):
        """Container module with an encoder, a recurrent or transformer module, and a decoder."""

        def __init__(self, ntoken, ninp, nhead, nhid, nlayers, dropout=0.5):
            super(TransformerModel, self).__init__(
                d_model=ninp, nhead=nhead, dim_feedforward=nhid, num_encoder_layers=nlayers
            )
            self.model_type = "Transformer"
            self.src_mask = None
            self.pos_encoder = PositionalEncoding(ninp, dropout)

            self.input_emb = nn.Embedding(ntoken, ninp)
            self.ninp = ninp
            self.decoder = nn.Linear(ninp, ntoken)

            self.init_weights()

        def _generate_square_subsequent_mask(self, sz):
            mask = (torch.triu(torch.ones(sz, sz)) == 1).transpose(0, 1)
            mask = (
                mask.float()
                .masked_fill(mask == 0, float("-inf"))
                .masked_fill(mask == 1, float(0.0))
            )
            return mask

        def init_weights(self):
            initrange = 0.1
            nn.init.uniform_(self.input_emb.weight, -initrange, initrange)
            nn.init.zeros_(self.decoder.bias)
            nn.init.uniform_(self.decoder.weight, -initrange, initrange)

        def forward(self, src, has_mask=True):
            if has_mask:
                device = src.device
                if self.src_mask is None or self.src_mask.size(0) != len(src):
                    mask = self._generate_square_subsequent_mask(len(src)).to(device)
                    self.src_mask = mask
            else:
                self.src_mask = None

            src = self.input_emb(src) * math.sqrt(self.ninp)
            src = self.pos_encoder(src)
            output = self.encoder(src, mask=self.src_mask)
            output = self.decoder(output)
            return F.log_softmax(output, dim=-1)

    # synthetic corpus files instead of wikitext-2
    rs = np.random.RandomState(3)
    for name, lines in (("train", 12), ("valid", 4), ("test", 4)):
        with open(os.path.join(workdir, name + ".txt"), "w", encoding="utf8") as f:
            for _ in range(lines):
                f.write(" ".join(rs.choice(WORDS, rs.randint(3, 7))) + "\n")

    args = SimpleNamespace(
        data=workdir,
        model=model_type,
        emsize=8,
        nhid=8,
        nlayers=2,
        lr=20,
        clip=0.25,
        epochs=3,
        batch_size=4,
        bptt=5,
        dropout=dropout,
        tied=tied,
        seed=1111,
        log_interval=2,
        save=os.path.join(workdir, "model.pt"),
        nhead=2,
        dry_run=False,
        temperature=1.0,
    )
    torch.manual_seed(args.seed)
    device = torch.device("cpu")
    corpus = Corpus(args.data)

    def batchify(data, bsz):
        # Work out how cleanly we can divide the dataset into bsz parts.
        nbatch = data.size(0) // bsz
        # Trim off any extra elements that wouldn't cleanly fit (remainders).
        data = data.narrow(0, 0, nbatch * bsz)
        # Evenly divide the data across the bsz batches.
        data = data.view(bsz, -1).t().contiguous()
        return data.to(device)

    eval_batch_size = 2
    train_data = batchify(corpus.train, args.batch_size)
    val_data = batchify(corpus.valid, eval_batch_size)
    test_data = batchify(corpus.test, eval_batch_size)

    ntokens = len(corpus.dictionary)
    if args.model == "Transformer":
        model = TransformerModel(
            ntokens, args.emsize, args.nhead, args.nhid, args.nlayers, args.dropout
        ).to(device)
    else:
        model = RNNModel(
            args.model, ntokens, args.emsize, args.nhid, args.nlayers, args.dropout, args.tied
        ).to(device)
    sync(model)

    criterion = nn.NLLLoss()

    def repackage_hidden(h):
        """Wraps hidden states in new Tensors, to detach them from their history."""

        if isinstance(h, torch.Tensor):
            return h.detach()
        else:
            return tuple(repackage_hidden(v) for v in h)

    def get_batch(source, i):
        seq_len = min(args.bptt, len(source) - 1 - i)
        data = source[i : i + seq_len]
        target = source[i + 1 : i + 1 + seq_len].view(-1)
        return data, target

    def evaluate(data_source):
        # Turn on evaluation mode which disables dropout.
        model.eval()
        total_loss = 0.0
        ntokens = len(corpus.dictionary)
        if args.model != "Transformer":
            hidden = model.init_hidden(eval_batch_size)
        with torch.no_grad():
            for i in range(0, data_source.size(0) - 1, args.bptt):
                data, targets = get_batch(data_source, i)
                if args.model == "Transformer":
                    output = model(data)
                    output = output.view(-1, ntokens)
                else:
                    output, hidden = model(data, hidden)
                    hidden = repackage_hidden(hidden)
                total_loss += len(data) * criterion(output, targets).item()
        return total_loss / (len(data_source) - 1)

    losses: list = []

    def train():
        # Turn on training mode which enables dropout.
        model.train()
        total_loss = 0.0
        ntokens = len(corpus.dictionary)
        if args.model != "Transformer":
            hidden = model.init_hidden(args.batch_size)
        for batch, i in enumerate(range(0, train_data.size(0) - 1, args.bptt)):
            data, targets = get_batch(train_data, i)
            # Starting each batch, we detach the hidden state from how it was previously produced.
            # If we didn't, the model would try backpropagating all the way to start of the dataset.
            model.zero_grad()
            if args.model == "Transformer":
                output = model(data)
                output = output.view(-1, ntokens)
            else:
                hidden = repackage_hidden(hidden)
                output, hidden = model(data, hidden)
            loss = criterion(output, targets)
            loss.backward()

            # `clip_grad_norm` helps prevent the exploding gradient problem in RNNs / LSTMs.
            norms.append(float(nn.utils.clip_grad_norm_(model.parameters(), args.clip)))
            for p in model.parameters():
                p.data.add_(p.grad, alpha=-lr)

            total_loss += loss.item()
            losses.append(loss.item())

            if batch % args.log_interval == 0 and batch > 0:
                cur_loss = total_loss / args.log_interval
                print(
                    "| epoch {:3d} | {:5d}/{:5d} batches | lr {:02.2f} | "
                    "loss {:5.2f} | ppl {:8.2f}".format(
                        epoch, batch, len(train_data) // args.bptt, lr, cur_loss, math.exp(cur_loss)
                    )
                )
                total_loss = 0
            if args.dry_run:
                break

    # Loop over epochs.
    lr = args.lr
    best_val_loss = None
    norms: list = []
    val_losses, lrs = [], []

    def run():
        nonlocal lr, best_val_loss, epoch, model
        for epoch in range(1, args.epochs + 1):
            train()
            val_loss = evaluate(val_data)
            print("-" * 89)
            print(
                "| end of epoch {:3d} | valid loss {:5.2f} | valid ppl {:8.2f}".format(
                    epoch, val_loss, math.exp(val_loss)
                )
            )
            print("-" * 89)
            val_losses.append(val_loss)
            # Save the model if the validation loss is the best we've seen so far.
            if not best_val_loss or val_loss < best_val_loss:
                with open(args.save, "wb") as f:
                    torch.save(model if faithful_save else model.state_dict(), f)
                best_val_loss = val_loss
            else:
                # Anneal the learning rate if no improvement has been seen in the validation dataset.
                lr /= 4.0
            lrs.append(lr)

        # Load the best saved model.
        with open(args.save, "rb") as f:
            if faithful_save:
                model = torch.load(f)
            else:
                model.load_state_dict(torch.load(f))
            # after load the rnn params are not a continuous chunk of memory
            # this makes them a continuous chunk, and will speed up forward pass
            # Currently, only rnn model supports flatten_parameters function.
            if args.model in ["RNN_TANH", "RNN_RELU", "LSTM", "GRU"]:
                model.rnn.flatten_parameters()

        # Run on test data.
        test_loss = evaluate(test_data)
        print("=" * 89)
        print(
            "| End of training | test loss {:5.2f} | test ppl {:8.2f}".format(
                test_loss, math.exp(test_loss)
            )
        )
        print("=" * 89)
        return test_loss

    epoch = 0
    test_loss, printed = captured(run)

    # generate.py
    is_transformer_model = args.model == "Transformer"
    if not is_transformer_model:
        hidden = model.init_hidden(1)
    input = torch.randint(ntokens, (1, 1), dtype=torch.long).to(device)
    generated = []
    with torch.no_grad():  # no tracking history
        for i in range(words):
            if is_transformer_model:
                output = model(input, False)
                word_weights = output[-1].squeeze().div(args.temperature).exp().cpu()
                word_idx = torch.multinomial(word_weights, 1)[0]
                word_tensor = torch.Tensor([[word_idx]]).long().to(device)
                input = torch.cat([input, word_tensor], 0)
            else:
                output, hidden = model(input, hidden)
                word_weights = output.squeeze().div(args.temperature).exp().cpu()
                word_idx = torch.multinomial(word_weights, 1)[0]
                input.fill_(word_idx)

            word = corpus.dictionary.idx2word[word_idx]
            generated.append(word)

    return {
        "vocab": list(corpus.dictionary.idx2word),
        "train_shape": tuple(train_data.shape),
        "train_data": np.array(train_data),
        "losses": losses,
        "norms": norms,
        "val_losses": val_losses,
        "lrs": lrs,
        "test_loss": test_loss,
        "printed": printed,
        "generated": generated,
        "tied": model.decoder.weight is model.encoder.weight if tied else None,
        "src_mask": np.array(model._generate_square_subsequent_mask(4))
        if is_transformer_model
        else None,
        "n_params": sum(p.numel() for p in model.parameters()),
    }


# --- reinforcement_learning ---


class TinyCartPole:
    """gym's CartPole-v1 interface (``reset() -> (state, info)``, ``step(action) -> (state,
    reward, terminated, truncated, info)``, ``spec.reward_threshold``) over a deterministic
    pole: four float64 observations, reward 1 a step, done when the pole leans past 0.1 rad or
    after ``max_steps``. Episode ``k`` starts from a tilt drawn by ``RandomState(k)``."""

    def __init__(self, max_steps: int = 12, reward_threshold: float = 11.0) -> None:
        self.max_steps = max_steps
        self.spec = SimpleNamespace(reward_threshold=reward_threshold)
        self.episode = 0

    def reset(self, seed: int | None = None) -> tuple[np.ndarray, dict]:
        rs = np.random.RandomState(self.episode if seed is None else seed)
        self.episode += 1
        self.state = rs.uniform(-0.05, 0.05, 4)
        self.t = 0
        return self.state.copy(), {}

    def step(self, action: int) -> tuple[np.ndarray, float, bool, bool, dict]:
        x, v, theta, omega = self.state
        force = 1.0 if action == 1 else -1.0
        omega = omega + 0.05 * (9.8 * math.sin(theta) - force * math.cos(theta))
        theta = theta + 0.05 * omega
        v = v + 0.05 * force
        x = x + 0.05 * v
        self.state = np.array([x, v, theta, omega])
        self.t += 1
        terminated = abs(theta) > 0.1
        truncated = self.t >= self.max_steps
        return self.state.copy(), 1.0, terminated or truncated, truncated, {}


def reinforce(
    torch: Any, nn: Any, F: Any, optim: Any, data: Any, sync: Sync, episodes: int = 6
) -> dict:
    """reinforce.py: Policy (Linear, Dropout(0.6), softmax), ``Categorical`` sampling and
    ``log_prob``, returns discounted into a deque, normalised with ``eps =
    np.finfo(np.float32).eps.item()``, the loss ``torch.cat(policy_loss).sum()``, Adam; gym's
    CartPole is TinyCartPole. Hidden 128 -> 16."""
    Categorical = torch.distributions.Categorical
    args = SimpleNamespace(gamma=0.99, seed=543, render=False, log_interval=2)
    env = TinyCartPole()
    env.reset(seed=args.seed)
    torch.manual_seed(args.seed)

    class Policy(nn.Module):
        def __init__(self):
            super(Policy, self).__init__()
            self.affine1 = nn.Linear(4, 16)
            self.dropout = nn.Dropout(p=0.6)
            self.affine2 = nn.Linear(16, 2)

            self.saved_log_probs = []
            self.rewards = []

        def forward(self, x):
            x = self.affine1(x)
            x = self.dropout(x)
            x = F.relu(x)
            action_scores = self.affine2(x)
            return F.softmax(action_scores, dim=1)

    policy = Policy()
    sync(policy)
    optimizer = optim.Adam(policy.parameters(), lr=1e-2)
    eps = np.finfo(np.float32).eps.item()

    def select_action(state):
        state = torch.from_numpy(state).float().unsqueeze(0)
        probs = policy(state)
        m = Categorical(probs)
        action = m.sample()
        policy.saved_log_probs.append(m.log_prob(action))
        return action.item()

    def finish_episode():
        R = 0
        policy_loss = []
        returns = deque()
        for r in policy.rewards[::-1]:
            R = r + args.gamma * R
            returns.appendleft(R)
        returns = torch.tensor(returns)
        returns = (returns - returns.mean()) / (returns.std() + eps)
        for log_prob, R in zip(policy.saved_log_probs, returns):
            policy_loss.append(-log_prob * R)
        optimizer.zero_grad()
        policy_loss = torch.cat(policy_loss).sum()
        policy_loss.backward()
        optimizer.step()
        del policy.rewards[:]
        del policy.saved_log_probs[:]
        record.append((returns.numpy(), policy_loss.item()))

    record: list = []
    actions: list = []

    def main():
        running_reward = 10
        for i_episode in count(1):
            state, _ = env.reset()
            ep_reward = 0
            for t in range(1, 10000):  # Don't infinite loop while learning
                action = select_action(state)
                actions.append(action)
                state, reward, done, _, _ = env.step(action)
                if args.render:
                    env.render()
                policy.rewards.append(reward)
                ep_reward += reward
                if done:
                    break

            running_reward = 0.05 * ep_reward + (1 - 0.05) * running_reward
            finish_episode()
            if i_episode % args.log_interval == 0:
                print(
                    "Episode {}\tLast reward: {:.2f}\tAverage reward: {:.2f}".format(
                        i_episode, ep_reward, running_reward
                    )
                )
            if running_reward > env.spec.reward_threshold or i_episode == episodes:
                print(
                    "Solved! Running reward is now {} and "
                    "the last episode runs to {} time steps!".format(running_reward, t)
                )
                break

    _, printed = captured(main)
    return {
        "returns": [r for r, _ in record],
        "losses": [loss for _, loss in record],
        "actions": actions,
        "printed": printed,
        "eps": eps,
        "weight": policy.affine2.weight.detach().numpy().copy(),
    }


def actor_critic(
    torch: Any, nn: Any, F: Any, optim: Any, data: Any, sync: Sync, episodes: int = 6
) -> dict:
    """actor_critic.py: one body with an action head (softmax) and a value head,
    ``SavedAction`` namedtuples, advantages ``R - value.item()``, ``F.smooth_l1_loss(value,
    torch.tensor([R]))`` with R a 0-d tensor, ``torch.stack(...).sum()``; Adam(lr=3e-2)."""
    Categorical = torch.distributions.Categorical
    args = SimpleNamespace(gamma=0.99, seed=543, render=False, log_interval=2)
    env = TinyCartPole()
    env.reset(seed=args.seed)
    torch.manual_seed(args.seed)

    SavedAction = namedtuple("SavedAction", ["log_prob", "value"])

    class Policy(nn.Module):
        """
        implements both actor and critic in one model
        """

        def __init__(self):
            super(Policy, self).__init__()
            self.affine1 = nn.Linear(4, 16)

            # actor's layer
            self.action_head = nn.Linear(16, 2)

            # critic's layer
            self.value_head = nn.Linear(16, 1)

            # action & reward buffer
            self.saved_actions = []
            self.rewards = []

        def forward(self, x):
            """
            forward of both actor and critic
            """
            x = F.relu(self.affine1(x))

            # actor: choses action to take from state s_t
            # by returning probability of each action
            action_prob = F.softmax(self.action_head(x), dim=-1)

            # critic: evaluates being in the state s_t
            state_values = self.value_head(x)

            # return values for both actor and critic as a tuple of 2 values:
            # 1. a list with the probability of each action over the action space
            # 2. the value from state s_t
            return action_prob, state_values

    model = Policy()
    sync(model)
    optimizer = optim.Adam(model.parameters(), lr=3e-2)
    eps = np.finfo(np.float32).eps.item()

    def select_action(state):
        state = torch.from_numpy(state).float()
        probs, state_value = model(state)

        # create a categorical distribution over the list of probabilities of actions
        m = Categorical(probs)

        # and sample an action using the distribution
        action = m.sample()

        # save to action buffer
        model.saved_actions.append(SavedAction(m.log_prob(action), state_value))

        # the action to take (left or right)
        return action.item()

    def finish_episode():
        """
        Training code. Calculates actor and critic loss and performs backprop.
        """
        R = 0
        saved_actions = model.saved_actions
        policy_losses = []  # list to save actor (policy) loss
        value_losses = []  # list to save critic (value) loss
        returns = []  # list to save the true values

        # calculate the true value using rewards returned from the environment
        for r in model.rewards[::-1]:
            # calculate the discounted value
            R = r + args.gamma * R
            returns.insert(0, R)

        returns = torch.tensor(returns)
        returns = (returns - returns.mean()) / (returns.std() + eps)

        for (log_prob, value), R in zip(saved_actions, returns):
            advantage = R - value.item()

            # calculate actor (policy) loss
            policy_losses.append(-log_prob * advantage)

            # calculate critic (value) loss using L1 smooth loss
            value_losses.append(F.smooth_l1_loss(value, torch.tensor([R])))

        # reset gradients
        optimizer.zero_grad()

        # sum up all the values of policy_losses and value_losses
        loss = torch.stack(policy_losses).sum() + torch.stack(value_losses).sum()

        # perform backprop
        loss.backward()
        optimizer.step()

        # reset rewards and action buffer
        del model.rewards[:]
        del model.saved_actions[:]
        record.append(loss.item())

    record: list = []
    actions: list = []

    def main():
        running_reward = 10

        # run infinitely many episodes
        for i_episode in count(1):
            # reset environment and episode reward
            state, _ = env.reset()
            ep_reward = 0

            # for each episode, only run 9999 steps so that we don't
            # infinite loop while learning
            for t in range(1, 10000):
                # select action from policy
                action = select_action(state)
                actions.append(action)

                # take the action
                state, reward, done, _, _ = env.step(action)

                if args.render:
                    env.render()

                model.rewards.append(reward)
                ep_reward += reward
                if done:
                    break

            # update cumulative reward
            running_reward = 0.05 * ep_reward + (1 - 0.05) * running_reward

            # perform backprop
            finish_episode()

            # log results
            if i_episode % args.log_interval == 0:
                print(
                    "Episode {}\tLast reward: {:.2f}\tAverage reward: {:.2f}".format(
                        i_episode, ep_reward, running_reward
                    )
                )

            # check if we have "solved" the cart pole problem
            if running_reward > env.spec.reward_threshold or i_episode == episodes:
                print(
                    "Solved! Running reward is now {} and "
                    "the last episode runs to {} time steps!".format(running_reward, t)
                )
                break

    _, printed = captured(main)
    return {
        "losses": record,
        "actions": actions,
        "printed": printed,
        "weight": model.value_head.weight.detach().numpy().copy(),
    }


# --- siamese_network ---


def siamese_network(
    torch: Any,
    nn: Any,
    F: Any,
    optim: Any,
    data: Any,
    sync: Sync,
) -> dict:
    """main.py: SiameseNetwork (a ResNet trunk with its first convolution replaced and its
    ``fc`` cut off by ``nn.Sequential(*(list(self.resnet.children())[:-1]))``, the two
    images' features concatenated, a Linear head, sigmoid), ``init_weights`` applied with
    ``apply``, BCELoss, Adadelta with StepLR, and the test's ``torch.where(outputs > 0.5, 1,
    0)``. torchvision's resnet18 is a one-block ResNet with torchvision's attribute names;
    APP_MATCHER's MNIST pairs are seeded random pairs (same digit: target 1)."""
    StepLR = optim.lr_scheduler.StepLR
    w = 4

    class BasicBlock(nn.Module):
        def __init__(self, planes):
            super().__init__()
            self.conv1 = nn.Conv2d(planes, planes, 3, padding=1, bias=False)
            self.bn1 = nn.BatchNorm2d(planes)
            self.relu = nn.ReLU(inplace=True)
            self.conv2 = nn.Conv2d(planes, planes, 3, padding=1, bias=False)
            self.bn2 = nn.BatchNorm2d(planes)

        def forward(self, x):
            out = self.relu(self.bn1(self.conv1(x)))
            out = self.bn2(self.conv2(out))
            return self.relu(out + x)

    class ResNet(nn.Module):
        """torchvision.models.resnet18(weights=None), one block of width ``w``."""

        def __init__(self):
            super().__init__()
            self.conv1 = nn.Conv2d(3, w, kernel_size=7, stride=2, padding=3, bias=False)
            self.bn1 = nn.BatchNorm2d(w)
            self.relu = nn.ReLU(inplace=True)
            self.maxpool = nn.MaxPool2d(kernel_size=3, stride=2, padding=1)
            self.layer1 = nn.Sequential(BasicBlock(w))
            self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
            self.fc = nn.Linear(w, 1000)

    class SiameseNetwork(nn.Module):
        """
        Siamese network for image similarity estimation.
        """

        def __init__(self):
            super(SiameseNetwork, self).__init__()
            # get resnet model
            self.resnet = ResNet()

            # over-write the first conv layer to be able to read MNIST images
            # as resnet18 reads (3,x,x) where 3 is RGB channels
            # whereas MNIST has (1,x,x) where 1 is a gray-scale channel
            self.resnet.conv1 = nn.Conv2d(
                1, w, kernel_size=(7, 7), stride=(2, 2), padding=(3, 3), bias=False
            )
            self.fc_in_features = self.resnet.fc.in_features

            # remove the last layer of resnet18 (linear layer which is before avgpool layer)
            self.resnet = torch.nn.Sequential(*(list(self.resnet.children())[:-1]))

            # add linear layers to compare between the features of the two images
            self.fc = nn.Sequential(
                nn.Linear(self.fc_in_features * 2, 8),
                nn.ReLU(inplace=True),
                nn.Linear(8, 1),
            )

            self.sigmoid = nn.Sigmoid()

            # initialize the weights
            self.resnet.apply(self.init_weights)
            self.fc.apply(self.init_weights)

        def init_weights(self, m):
            if isinstance(m, nn.Linear):
                torch.nn.init.xavier_uniform_(m.weight)
                m.bias.data.fill_(0.01)

        def forward_once(self, x):
            output = self.resnet(x)
            output = output.view(output.size()[0], -1)
            return output

        def forward(self, input1, input2):
            # get two images' features
            output1 = self.forward_once(input1)
            output2 = self.forward_once(input2)

            # concatenate both images' features
            output = torch.cat((output1, output2), 1)

            # pass the concatenation to the linear layers
            output = self.fc(output)

            # pass the out of the linear layers to sigmoid layer
            output = self.sigmoid(output)

            return output

    class APP_MATCHER(data.Dataset):
        """Pairs of 12 x 12 images: an even index pairs two images of one digit (target 1),
        an odd one two of different digits (target 0)."""

        def __init__(self, n, seed):
            rs = np.random.RandomState(seed)
            self.images = floats(torch, rs.rand(n, 2, 1, 12, 12))
            self.n = n

        def __len__(self):
            return self.n

        def __getitem__(self, index):
            if index % 2 == 0:
                target = torch.tensor(1, dtype=torch.float)
            else:
                target = torch.tensor(0, dtype=torch.float)
            return self.images[index, 0], self.images[index, 1], target

    def train(args, model, device, train_loader, optimizer, epoch):
        model.train()

        # we aren't using `TripletLoss` as the MNIST dataset is simple, so `BCELoss` can do the trick.
        criterion = nn.BCELoss()

        for batch_idx, (images_1, images_2, targets) in enumerate(train_loader):
            images_1, images_2, targets = (
                images_1.to(device),
                images_2.to(device),
                targets.to(device),
            )
            optimizer.zero_grad()
            outputs = model(images_1, images_2).squeeze()
            loss = criterion(outputs, targets)
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
            if batch_idx % args.log_interval == 0:
                print(
                    "Train Epoch: {} [{}/{} ({:.0f}%)]\tLoss: {:.6f}".format(
                        epoch,
                        batch_idx * len(images_1),
                        len(train_loader.dataset),
                        100.0 * batch_idx / len(train_loader),
                        loss.item(),
                    )
                )
                if args.dry_run:
                    break

    def test(model, device, test_loader):
        model.eval()
        test_loss = 0
        correct = 0

        # we aren't using `TripletLoss` as the MNIST dataset is simple, so `BCELoss` can do the trick.
        criterion = nn.BCELoss()

        with torch.no_grad():
            for images_1, images_2, targets in test_loader:
                images_1, images_2, targets = (
                    images_1.to(device),
                    images_2.to(device),
                    targets.to(device),
                )
                outputs = model(images_1, images_2).squeeze()
                test_loss += criterion(outputs, targets).sum().item()  # sum up batch loss
                pred = torch.where(outputs > 0.5, 1, 0)  # get the index of the max log-probability
                correct += pred.eq(targets.view_as(pred)).sum().item()
                preds.append(pred.numpy())

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
        batch_size=4, test_batch_size=6, epochs=2, lr=1.0, gamma=0.7, dry_run=False, seed=1
    )
    args.log_interval = 1
    torch.manual_seed(args.seed)
    device = torch.device("cpu")
    train_loader = data.DataLoader(APP_MATCHER(8, 0), batch_size=args.batch_size)
    test_loader = data.DataLoader(APP_MATCHER(6, 1), batch_size=args.test_batch_size)

    losses: list = []
    tests: list = []
    preds: list = []
    model = SiameseNetwork().to(device)
    head_bias = [m.bias.detach().numpy().copy() for m in model.fc if isinstance(m, nn.Linear)]
    sync(model)
    optimizer = optim.Adadelta(model.parameters(), lr=args.lr)

    scheduler = StepLR(optimizer, step_size=1, gamma=args.gamma)

    def run():
        for epoch in range(1, args.epochs + 1):
            train(args, model, device, train_loader, optimizer, epoch)
            test(model, device, test_loader)
            scheduler.step()

    _, printed = captured(run)
    return {
        "losses": losses,
        "tests": tests,
        "preds": preds,
        "printed": printed,
        "head_bias": head_bias,
        "trunk": [type(m).__name__ for m in model.resnet],
    }


# --- fast_neural_style ---


def fast_neural_style(
    torch: Any, nn: Any, F: Any, optim: Any, data: Any, sync: Sync, steps: int = 3
) -> dict:
    """transformer_net.py's TransformerNet (ConvLayer with ReflectionPad2d, InstanceNorm2d
    (affine=True), five ResidualBlocks, UpsampleConvLayer with ``interpolate(mode='nearest',
    scale_factor=...)``), vgg.py's Vgg16 (four slices returning a ``namedtuple``, frozen),
    utils.py's ``gram_matrix`` and ``normalize_batch`` (``new_tensor``, ``div_(255.0)`` on
    the network's output), and neural_style.py's training step (content loss on relu2_2,
    style loss over the Gram matrices, Adam). Widths: 32/64/128 -> 4/8/8; VGG16 has its layer
    layout with widths 2/4/8/8 and random weights (torchvision's pretrained ones are a
    download); images 3 x 16 x 16 in [0, 255]."""
    Adam = optim.Adam

    class TransformerNet(torch.nn.Module):
        def __init__(self):
            super(TransformerNet, self).__init__()
            # Initial convolution layers
            self.conv1 = ConvLayer(3, 4, kernel_size=9, stride=1)
            self.in1 = torch.nn.InstanceNorm2d(4, affine=True)
            self.conv2 = ConvLayer(4, 8, kernel_size=3, stride=2)
            self.in2 = torch.nn.InstanceNorm2d(8, affine=True)
            self.conv3 = ConvLayer(8, 8, kernel_size=3, stride=2)
            self.in3 = torch.nn.InstanceNorm2d(8, affine=True)
            # Residual layers
            self.res1 = ResidualBlock(8)
            self.res2 = ResidualBlock(8)
            self.res3 = ResidualBlock(8)
            self.res4 = ResidualBlock(8)
            self.res5 = ResidualBlock(8)
            # Upsampling Layers
            self.deconv1 = UpsampleConvLayer(8, 8, kernel_size=3, stride=1, upsample=2)
            self.in4 = torch.nn.InstanceNorm2d(8, affine=True)
            self.deconv2 = UpsampleConvLayer(8, 4, kernel_size=3, stride=1, upsample=2)
            self.in5 = torch.nn.InstanceNorm2d(4, affine=True)
            self.deconv3 = ConvLayer(4, 3, kernel_size=9, stride=1)
            # Non-linearities
            self.relu = torch.nn.ReLU()

        def forward(self, X):
            y = self.relu(self.in1(self.conv1(X)))
            y = self.relu(self.in2(self.conv2(y)))
            y = self.relu(self.in3(self.conv3(y)))
            y = self.res1(y)
            y = self.res2(y)
            y = self.res3(y)
            y = self.res4(y)
            y = self.res5(y)
            y = self.relu(self.in4(self.deconv1(y)))
            y = self.relu(self.in5(self.deconv2(y)))
            y = self.deconv3(y)
            return y

    class ConvLayer(torch.nn.Module):
        def __init__(self, in_channels, out_channels, kernel_size, stride):
            super(ConvLayer, self).__init__()
            reflection_padding = kernel_size // 2
            self.reflection_pad = torch.nn.ReflectionPad2d(reflection_padding)
            self.conv2d = torch.nn.Conv2d(in_channels, out_channels, kernel_size, stride)

        def forward(self, x):
            out = self.reflection_pad(x)
            out = self.conv2d(out)
            return out

    class ResidualBlock(torch.nn.Module):
        """ResidualBlock
        introduced in: https://arxiv.org/abs/1512.03385
        recommended architecture: http://torch.ch/blog/2016/02/04/resnets.html
        """

        def __init__(self, channels):
            super(ResidualBlock, self).__init__()
            self.conv1 = ConvLayer(channels, channels, kernel_size=3, stride=1)
            self.in1 = torch.nn.InstanceNorm2d(channels, affine=True)
            self.conv2 = ConvLayer(channels, channels, kernel_size=3, stride=1)
            self.in2 = torch.nn.InstanceNorm2d(channels, affine=True)
            self.relu = torch.nn.ReLU()

        def forward(self, x):
            residual = x
            out = self.relu(self.in1(self.conv1(x)))
            out = self.in2(self.conv2(out))
            out = out + residual
            return out

    class UpsampleConvLayer(torch.nn.Module):
        """UpsampleConvLayer
        Upsamples the input and then does a convolution. This method gives better results
        compared to ConvTranspose2d.
        ref: http://distill.pub/2016/deconv-checkerboard/
        """

        def __init__(self, in_channels, out_channels, kernel_size, stride, upsample=None):
            super(UpsampleConvLayer, self).__init__()
            self.upsample = upsample
            reflection_padding = kernel_size // 2
            self.reflection_pad = torch.nn.ReflectionPad2d(reflection_padding)
            self.conv2d = torch.nn.Conv2d(in_channels, out_channels, kernel_size, stride)

        def forward(self, x):
            x_in = x
            if self.upsample:
                x_in = torch.nn.functional.interpolate(
                    x_in, mode="nearest", scale_factor=self.upsample
                )
            out = self.reflection_pad(x_in)
            out = self.conv2d(out)
            return out

    def vgg16_features():
        """torchvision's vgg16().features layout (indices 0-22 used), widths 64 -> 2."""
        layers, c_in = [], 3
        for v in [2, 2, "M", 4, 4, "M", 8, 8, 8, "M", 8, 8, 8]:
            if v == "M":
                layers.append(torch.nn.MaxPool2d(kernel_size=2, stride=2))
            else:
                layers += [torch.nn.Conv2d(c_in, v, kernel_size=3, padding=1), torch.nn.ReLU()]
                c_in = v
        return torch.nn.Sequential(*layers)

    class Vgg16(torch.nn.Module):
        def __init__(self, requires_grad=False):
            super(Vgg16, self).__init__()
            vgg_pretrained_features = vgg16_features()
            self.slice1 = torch.nn.Sequential()
            self.slice2 = torch.nn.Sequential()
            self.slice3 = torch.nn.Sequential()
            self.slice4 = torch.nn.Sequential()
            for x in range(4):
                self.slice1.add_module(str(x), vgg_pretrained_features[x])
            for x in range(4, 9):
                self.slice2.add_module(str(x), vgg_pretrained_features[x])
            for x in range(9, 16):
                self.slice3.add_module(str(x), vgg_pretrained_features[x])
            for x in range(16, 23):
                self.slice4.add_module(str(x), vgg_pretrained_features[x])
            if not requires_grad:
                for param in self.parameters():
                    param.requires_grad = False

        def forward(self, X):
            h = self.slice1(X)
            h_relu1_2 = h
            h = self.slice2(h)
            h_relu2_2 = h
            h = self.slice3(h)
            h_relu3_3 = h
            h = self.slice4(h)
            h_relu4_3 = h
            vgg_outputs = namedtuple("VggOutputs", ["relu1_2", "relu2_2", "relu3_3", "relu4_3"])
            out = vgg_outputs(h_relu1_2, h_relu2_2, h_relu3_3, h_relu4_3)
            return out

    def gram_matrix(y):
        (b, ch, h, w) = y.size()
        features = y.view(b, ch, w * h)
        features_t = features.transpose(1, 2)
        gram = features.bmm(features_t) / (ch * h * w)
        return gram

    def normalize_batch(batch):
        # normalize using imagenet mean and std
        mean = batch.new_tensor([0.485, 0.456, 0.406]).view(-1, 1, 1)
        std = batch.new_tensor([0.229, 0.224, 0.225]).view(-1, 1, 1)
        batch = batch.div_(255.0)
        return (batch - mean) / std

    args = SimpleNamespace(
        batch_size=2, lr=1e-3, content_weight=1e5, style_weight=1e10, epochs=1, seed=42
    )
    device = torch.device("cpu")
    torch.manual_seed(args.seed)
    rs = np.random.RandomState(0)
    images = floats(torch, 255 * rs.rand(2 * steps, 3, 16, 16))  # ImageFolder(...) * 255
    train_dataset = data.TensorDataset(images, torch.zeros(2 * steps))
    train_loader = data.DataLoader(train_dataset, batch_size=args.batch_size)

    transformer = TransformerNet().to(device)
    sync(transformer)
    optimizer = Adam(transformer.parameters(), args.lr)
    mse_loss = torch.nn.MSELoss()

    vgg = Vgg16(requires_grad=False).to(device)
    sync(vgg)
    style = floats(torch, 255 * rs.rand(1, 3, 16, 16))  # style_transform(load_image(...))
    style = style.repeat(args.batch_size, 1, 1, 1).to(device)

    features_style = vgg(normalize_batch(style))
    gram_style = [gram_matrix(y) for y in features_style]

    content, styles = [], []
    for e in range(args.epochs):
        transformer.train()
        agg_content_loss = 0.0
        agg_style_loss = 0.0
        count = 0
        for batch_id, (x, _) in enumerate(train_loader):
            n_batch = len(x)
            count += n_batch
            optimizer.zero_grad()

            x = x.to(device)
            y = transformer(x)

            y = normalize_batch(y)
            x = normalize_batch(x)

            features_y = vgg(y)
            features_x = vgg(x)

            content_loss = args.content_weight * mse_loss(features_y.relu2_2, features_x.relu2_2)

            style_loss = 0.0
            for ft_y, gm_s in zip(features_y, gram_style):
                gm_y = gram_matrix(ft_y)
                style_loss += mse_loss(gm_y, gm_s[:n_batch, :, :])
            style_loss *= args.style_weight

            total_loss = content_loss + style_loss
            total_loss.backward()
            optimizer.step()

            agg_content_loss += content_loss.item()
            agg_style_loss += style_loss.item()
            content.append(content_loss.item())
            styles.append(style_loss.item())

    transformer.eval()
    with torch.no_grad():
        stylized = transformer(images[:1]).clamp(0, 255)  # stylize()
    return {
        "content": content,
        "style": styles,
        "stylized": stylized.numpy(),
        "gram_style": [g.numpy() for g in gram_style],
        "images_unchanged": bool((images >= 0).all()) and float(images.max()) > 1,
        "vgg_frozen": not any(p.requires_grad for p in vgg.parameters()),
        "vgg_grads": [p.grad for p in vgg.parameters()],
        "in1_weight": transformer.in1.weight.detach().numpy().copy(),
    }


# --- mnist_forward_forward ---


def mnist_forward_forward(
    torch: Any, nn: Any, F: Any, optim: Any, data: Any, sync: Sync, side: int = 8
) -> dict:
    """main.py: Hinton's forward-forward training (Pezeshki's code): labels overlaid on the
    first pixels by ``x_[range(x.shape[0]), y] = x.max()``, negatives from
    ``torch.randint``, ``Layer(nn.Linear)`` with its own Adam and a ``train`` method that
    overrides Module.train, layers kept in a plain list, ``predict`` by the goodness summed
    with Python's ``sum``. Sizes 784 -> 500 -> 500 become side**2 -> 16 -> 16, 1000 epochs 20,
    50000 training images 32."""
    Adam = optim.Adam
    DataLoader = data.DataLoader

    def get_y_neg(y):
        y_neg = y.clone()
        for idx, y_samp in enumerate(y):
            allowed_indices = list(range(10))
            allowed_indices.remove(y_samp.item())
            y_neg[idx] = torch.tensor(allowed_indices)[
                torch.randint(len(allowed_indices), size=(1,))
            ].item()
        return y_neg.to(device)

    def overlay_y_on_x(x, y, classes=10):
        x_ = x.clone()
        x_[:, :classes] *= 0.0
        x_[range(x.shape[0]), y] = x.max()
        return x_

    class Net(torch.nn.Module):
        def __init__(self, dims):
            super().__init__()
            self.layers = []
            for d in range(len(dims) - 1):
                self.layers = self.layers + [Layer(dims[d], dims[d + 1]).to(device)]

        def predict(self, x):
            goodness_per_label = []
            for label in range(10):
                h = overlay_y_on_x(x, label)
                goodness = []
                for layer in self.layers:
                    h = layer(h)
                    goodness = goodness + [h.pow(2).mean(1)]
                goodness_per_label += [sum(goodness).unsqueeze(1)]
            goodness_per_label = torch.cat(goodness_per_label, 1)
            return goodness_per_label.argmax(1)

        def train(self, x_pos, x_neg):
            h_pos, h_neg = x_pos, x_neg
            for i, layer in enumerate(self.layers):
                print("training layer: ", i)
                h_pos, h_neg = layer.train(h_pos, h_neg)

    class Layer(nn.Linear):
        def __init__(self, in_features, out_features, bias=True, device=None, dtype=None):
            super().__init__(in_features, out_features, bias, device, dtype)
            self.relu = torch.nn.ReLU()
            self.opt = Adam(self.parameters(), lr=args.lr)
            self.threshold = args.threshold
            self.num_epochs = args.epochs

        def forward(self, x):
            x_direction = x / (x.norm(2, 1, keepdim=True) + 1e-4)
            return self.relu(torch.mm(x_direction, self.weight.T) + self.bias.unsqueeze(0))

        def train(self, x_pos, x_neg):
            for i in range(self.num_epochs):
                g_pos = self.forward(x_pos).pow(2).mean(1)
                g_neg = self.forward(x_neg).pow(2).mean(1)
                loss = torch.log1p(
                    torch.exp(torch.cat([-g_pos + self.threshold, g_neg - self.threshold]))
                ).mean()
                self.opt.zero_grad()
                loss.backward()
                self.opt.step()
                if i % args.log_interval == 0:
                    print("Loss: ", loss.item())
                    losses.append(loss.item())
            return self.forward(x_pos).detach(), self.forward(x_neg).detach()

    args = SimpleNamespace(
        epochs=20,
        lr=0.03,
        no_cuda=False,
        no_xpu=False,
        no_mps=False,
        seed=1,
        save_model=False,
        train_size=32,
        threshold=2,
        test_size=16,
        log_interval=5,
    )
    use_cuda = not args.no_cuda and torch.cuda.is_available()
    use_xpu = not args.no_xpu and torch.xpu.is_available()
    use_mps = not args.no_mps and torch.backends.mps.is_available()
    if use_cuda:
        device = torch.device("cuda")
    elif use_xpu:
        device = torch.device("xpu")
    elif use_mps:
        device = torch.device("mps")
    else:
        device = torch.device("cpu")

    train_kwargs = {"batch_size": args.train_size}
    test_kwargs = {"batch_size": args.test_size}

    def flat_mnist(n, seed):  # MNIST(...) with ToTensor, Normalize and Lambda(torch.flatten)
        images, labels = fake_mnist(torch, data, n, side, seed)[:]
        return data.TensorDataset(torch.flatten(images, 1), labels)

    train_loader = DataLoader(flat_mnist(40, 6), **train_kwargs)
    test_loader = DataLoader(flat_mnist(20, 7), **test_kwargs)
    losses: list = []
    net = Net([side * side, 16, 16])
    for layer in net.layers:
        sync(layer)
    x, y = next(iter(train_loader))
    x, y = x.to(device), y.to(device)
    x_pos = overlay_y_on_x(x, y)
    y_neg = get_y_neg(y)
    x_neg = overlay_y_on_x(x, y_neg)

    def run():
        net.train(x_pos, x_neg)
        print("train error:", 1.0 - net.predict(x).eq(y).float().mean().item())
        x_te, y_te = next(iter(test_loader))
        x_te, y_te = x_te.to(device), y_te.to(device)
        print("test error:", 1.0 - net.predict(x_te).eq(y_te).float().mean().item())
        return net.predict(x_te)

    predicted, printed = captured(run)
    return {
        "x_pos": x_pos.numpy(),
        "x_max": x.max().item(),
        "y": y.numpy(),
        "y_neg": y_neg.numpy(),
        "losses": losses,
        "printed": printed,
        "predicted": predicted.numpy(),
        "state_dict_keys": list(net.state_dict()),
        "weights": [layer.weight.detach().numpy().copy() for layer in net.layers],
    }


# --- gat ---


def gat(
    torch: Any,
    nn: Any,
    F: Any,
    optim: Any,
    data: Any,
    sync: Sync,
    epochs: int = 6,
    dropout_p: float = 0.6,
) -> dict:
    """main.py: GraphAttentionLayer (``nn.Parameter(torch.empty(size=...))`` with
    ``xavier_normal_`` on a 3-d tensor, scores ``source + target.mT``, ``torch.where(adj_mat >
    0, e, -9e16 * torch.ones_like(e))``, ``F.dropout(..., training=self.training)``, heads
    concatenated or averaged), GAT, Adam with weight decay, NLLLoss, ``train_iter`` and
    ``test`` with index masks. Cora (2708 nodes, 1433 features; ``load_cora`` builds it with
    sparse tensors, which this library does not have) becomes a random graph of 24 nodes with
    row-normalised features, and ``torch.randperm`` a numpy permutation; widths 64 x 8 heads
    become 8 x 2."""
    Adam = optim.Adam

    class GraphAttentionLayer(nn.Module):
        def __init__(
            self,
            in_features: int,
            out_features: int,
            n_heads: int,
            concat: bool = False,
            dropout: float = 0.4,
            leaky_relu_slope: float = 0.2,
        ):
            super(GraphAttentionLayer, self).__init__()

            self.n_heads = n_heads  # Number of attention heads
            self.concat = concat  # wether to concatenate the final attention heads
            self.dropout = dropout  # Dropout rate

            if concat:  # concatenating the attention heads
                self.out_features = out_features  # Number of output features per node
                assert (
                    out_features % n_heads == 0
                )  # Ensure that out_features is a multiple of n_heads
                self.n_hidden = out_features // n_heads
            else:  # averaging output over the attention heads (Used in the main paper)
                self.n_hidden = out_features

            #  A shared linear transformation, parametrized by a weight matrix W is applied to every node
            #  Initialize the weight matrix W
            self.W = nn.Parameter(torch.empty(size=(in_features, self.n_hidden * n_heads)))

            # Initialize the attention weights a
            self.a = nn.Parameter(torch.empty(size=(n_heads, 2 * self.n_hidden, 1)))

            self.leakyrelu = nn.LeakyReLU(leaky_relu_slope)  # LeakyReLU activation function
            self.softmax = nn.Softmax(
                dim=1
            )  # softmax activation function to the attention coefficients

            self.reset_parameters()  # Reset the parameters

        def reset_parameters(self):
            """
            Reinitialize learnable parameters.
            """
            nn.init.xavier_normal_(self.W)
            nn.init.xavier_normal_(self.a)

        def _get_attention_scores(self, h_transformed):
            source_scores = torch.matmul(h_transformed, self.a[:, : self.n_hidden, :])
            target_scores = torch.matmul(h_transformed, self.a[:, self.n_hidden :, :])

            # broadcast add
            # (n_heads, n_nodes, 1) + (n_heads, 1, n_nodes) = (n_heads, n_nodes, n_nodes)
            e = source_scores + target_scores.mT
            return self.leakyrelu(e)

        def forward(self, h, adj_mat):
            n_nodes = h.shape[0]

            # Apply linear transformation to node feature -> W h
            # output shape (n_nodes, n_hidden * n_heads)
            h_transformed = torch.mm(h, self.W)
            h_transformed = F.dropout(h_transformed, self.dropout, training=self.training)

            # splitting the heads by reshaping the tensor and putting heads dim first
            # output shape (n_heads, n_nodes, n_hidden)
            h_transformed = h_transformed.view(n_nodes, self.n_heads, self.n_hidden).permute(
                1, 0, 2
            )

            # getting the attention scores
            # output shape (n_heads, n_nodes, n_nodes)
            e = self._get_attention_scores(h_transformed)

            # Set the attention score for non-existent edges to -9e15 (MASKING NON-EXISTENT EDGES)
            connectivity_mask = -9e16 * torch.ones_like(e)
            e = torch.where(adj_mat > 0, e, connectivity_mask)  # masked attention scores

            # attention coefficients are computed as a softmax over the rows
            # for each column j in the attention score matrix e
            attention = F.softmax(e, dim=-1)
            attention = F.dropout(attention, self.dropout, training=self.training)

            # final node embeddings are computed as a weighted average of the features of its neighbors
            h_prime = torch.matmul(attention, h_transformed)

            # concatenating/averaging the attention heads
            # output shape (n_nodes, out_features)
            if self.concat:
                h_prime = h_prime.permute(1, 0, 2).contiguous().view(n_nodes, self.out_features)
            else:
                h_prime = h_prime.mean(dim=0)

            attentions.append(attention.detach().numpy())
            return h_prime

    class GAT(nn.Module):
        def __init__(
            self,
            in_features,
            n_hidden,
            n_heads,
            num_classes,
            concat=False,
            dropout=0.4,
            leaky_relu_slope=0.2,
        ):
            super(GAT, self).__init__()

            # Define the Graph Attention layers
            self.gat1 = GraphAttentionLayer(
                in_features=in_features,
                out_features=n_hidden,
                n_heads=n_heads,
                concat=concat,
                dropout=dropout,
                leaky_relu_slope=leaky_relu_slope,
            )

            self.gat2 = GraphAttentionLayer(
                in_features=n_hidden,
                out_features=num_classes,
                n_heads=1,
                concat=False,
                dropout=dropout,
                leaky_relu_slope=leaky_relu_slope,
            )

        def forward(self, input_tensor, adj_mat):
            # Apply the first Graph Attention layer
            x = self.gat1(input_tensor, adj_mat)
            x = F.elu(x)  # Apply ELU activation function to the output of the first layer

            # Apply the second Graph Attention layer
            x = self.gat2(x, adj_mat)

            return F.log_softmax(x, dim=1)  # Apply log softmax activation function

    def train_iter(
        epoch, model, optimizer, criterion, input, target, mask_train, mask_val, print_every=10
    ):
        model.train()
        optimizer.zero_grad()

        # Forward pass
        output = model(*input)
        loss = criterion(
            output[mask_train], target[mask_train]
        )  # Compute the loss using the training mask

        loss.backward()
        optimizer.step()

        # Evaluate the model performance on training and validation sets
        loss_train, acc_train = test(model, criterion, input, target, mask_train)
        loss_val, acc_val = test(model, criterion, input, target, mask_val)
        history.append((loss.item(), loss_train, acc_train, loss_val, acc_val))

        if epoch % print_every == 0:
            # Print the training progress at specified intervals
            print(
                f"Epoch: {epoch:04d} loss_train: {loss_train:.4f} acc_train: {acc_train:.4f} loss_val: {loss_val:.4f} acc_val: {acc_val:.4f}"
            )

    def test(model, criterion, input, target, mask):
        model.eval()
        with torch.no_grad():
            output = model(*input)
            output, target = output[mask], target[mask]

            loss = criterion(output, target)
            acc = (output.argmax(dim=1) == target).float().sum() / len(target)
        return loss.item(), acc.item()

    args = SimpleNamespace(
        epochs=epochs,
        lr=0.005,
        l2=5e-4,
        dropout_p=dropout_p,
        hidden_dim=8,
        num_heads=2,
        concat_heads=True,
        val_every=2,
        no_accel=False,
        dry_run=False,
        seed=13,
    )
    torch.manual_seed(args.seed)
    use_accel = not args.no_accel and torch.accelerator.is_available()
    if use_accel:
        device = torch.accelerator.current_accelerator()
    else:
        device = torch.device("cpu")

    # load_cora(device=device): a random graph with self-loops, features scaled to sum 1
    rs = np.random.RandomState(8)
    V = 24
    counts = (rs.rand(V, 12) < 0.3).astype(np.float64)
    counts[0] = 0  # a node without features: its scale 1 / 0 is set to 0, as load_cora does
    sums = counts.sum(1, keepdims=True)
    features = floats(torch, np.divide(counts, sums, out=np.zeros_like(counts), where=sums > 0))
    labels = torch.tensor(rs.randint(0, 3, V))
    links = rs.rand(V, V) < 0.15
    adj_mat = torch.eye(V) + floats(torch, (links | links.T) & ~np.eye(V, dtype=bool))
    idx = torch.tensor(rs.permutation(V)).to(device)  # torch.randperm(len(labels))
    idx_test, idx_val, idx_train = idx[:6], idx[6:12], idx[12:]

    attentions: list = []
    history: list = []
    gat_net = GAT(
        in_features=features.shape[1],  # Number of input features per node
        n_hidden=args.hidden_dim,  # Output size of the first Graph Attention Layer
        n_heads=args.num_heads,  # Number of attention heads in the first Graph Attention Layer
        num_classes=labels.max().item() + 1,  # Number of classes to predict for each node
        concat=args.concat_heads,  # Wether to concatinate attention heads
        dropout=args.dropout_p,  # Dropout rate
        leaky_relu_slope=0.2,  # Alpha (slope) of the leaky relu activation
    ).to(device)
    sync(gat_net)

    # configure the optimizer and loss function
    optimizer = Adam(gat_net.parameters(), lr=args.lr, weight_decay=args.l2)
    criterion = nn.NLLLoss()

    def run():
        print(f"Using {device} device")
        for epoch in range(args.epochs):
            train_iter(
                epoch + 1,
                gat_net,
                optimizer,
                criterion,
                (features, adj_mat),
                labels,
                idx_train,
                idx_val,
                args.val_every,
            )
            if args.dry_run:
                break
        loss_test, acc_test = test(gat_net, criterion, (features, adj_mat), labels, idx_test)
        print(f"Test set results: loss {loss_test:.4f} accuracy {acc_test:.4f}")
        return loss_test, acc_test

    result, printed = captured(run)
    return {
        "history": history,
        "test": result,
        "printed": printed,
        "attention": attentions[-1],
        "adj": np.array(adj_mat),
        "W_shape": tuple(gat_net.gat1.W.shape),
        "a_shape": tuple(gat_net.gat1.a.shape),
        "W": gat_net.gat1.W.detach().numpy().copy(),
    }
