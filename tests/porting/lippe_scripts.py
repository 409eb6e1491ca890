# ruff: noqa: B006, B007, B011, E741, F841 (the tutorials' own mutable defaults, names, loop variables, unused names and assert False)
"""Phillip Lippe's UvA Deep Learning course tutorials 3, 4, 5, 9, 11 and 12 (tutorial 6 is
in llm_scripts.py), shortened: tiny widths and images, synthetic data in place of
FashionMNIST/CIFAR10/MNIST, a few steps, PyTorch Lightning's modules written as plain
``nn.Module`` with a hand-written loop. Written once against the names ``torch``, ``nn``,
``F``, ``optim`` and ``data`` (``torch.utils.data``); the tests run them with our packages
under those names and, when it is installed, with PyTorch.

Weights a result depends on pass through ``sync`` (see course_scripts.py). The tutorials'
``param.data.fill_(...)``/``.normal_(...)``/``.zero_()`` and ``grad.data.view(-1)`` lines are
as written.
"""

from __future__ import annotations

import json
import math
import os
from types import SimpleNamespace
from typing import Any

import numpy as np

from .course_scripts import Sync


def fake_images(
    torch: Any, n: int, shape: tuple, classes: int, seed: int, normalize: bool = True
) -> tuple:
    """Images whose class shifts their mean (a learnable stand-in for FashionMNIST/CIFAR10),
    as float32 tensors in [-1, 1] (``ToTensor`` then ``Normalize((0.5,), (0.5,))``) or as
    the uint8-valued int64 pixels the flow/PixelCNN tutorials discretise to."""
    rs = np.random.RandomState(seed)
    labels = rs.randint(0, classes, n)
    pixels = rs.rand(n, *shape) * 0.5 + (labels / (2 * classes)).reshape(-1, *[1] * len(shape))
    if normalize:
        x = torch.tensor((pixels - 0.5) / 0.5, dtype=torch.float32)
    else:
        x = torch.tensor(np.floor(pixels * 255).astype(np.int64))
    return x, torch.tensor(labels)


# --- Tutorial 3: activation functions ---


def activation_functions(
    torch: Any, nn: Any, F: Any, optim: Any, data: Any, sync: Sync, path: str
) -> dict:
    """Tutorial 3: hand-written activation classes, their gradients over a linspace, the
    BaseNetwork with config saved as json, gradient and activation statistics, dead neurons,
    the SGD-momentum training loop with early stopping and checkpointing."""

    class ActivationFunction(nn.Module):
        def __init__(self):
            super().__init__()
            self.name = self.__class__.__name__
            self.config = {"name": self.name}

    class Sigmoid(ActivationFunction):
        def forward(self, x):
            return 1 / (1 + torch.exp(-x))

    class Tanh(ActivationFunction):
        def forward(self, x):
            x_exp, neg_x_exp = torch.exp(x), torch.exp(-x)
            return (x_exp - neg_x_exp) / (x_exp + neg_x_exp)

    class ReLU(ActivationFunction):
        def forward(self, x):
            return x * (x > 0).float()

    class LeakyReLU(ActivationFunction):
        def __init__(self, alpha=0.1):
            super().__init__()
            self.config["alpha"] = alpha

        def forward(self, x):
            return torch.where(x > 0, x, self.config["alpha"] * x)

    class ELU(ActivationFunction):
        def forward(self, x):
            return torch.where(x > 0, x, torch.exp(x) - 1)

    class Swish(ActivationFunction):
        def forward(self, x):
            return x * torch.sigmoid(x)

    act_fn_by_name = {
        "sigmoid": Sigmoid,
        "tanh": Tanh,
        "relu": ReLU,
        "leakyrelu": LeakyReLU,
        "elu": ELU,
        "swish": Swish,
    }

    def get_grads(act_fn, x):
        x = x.clone().requires_grad_()
        out = act_fn(x)
        out.sum().backward()
        return x.grad

    curves = {}
    for name, cls in act_fn_by_name.items():
        act_fn = cls()
        x = torch.linspace(-5, 5, 1000)
        y = act_fn(x)
        y_grads = get_grads(act_fn, x)
        x, y, y_grads = x.cpu().numpy(), y.cpu().numpy(), y_grads.cpu().numpy()
        curves[name] = (y, y_grads)

    class BaseNetwork(nn.Module):
        def __init__(
            self, act_fn, input_size=784, num_classes=10, hidden_sizes=[512, 256, 256, 128]
        ):
            super().__init__()
            layers = []
            layer_sizes = [input_size] + hidden_sizes
            layer_size_last = layer_sizes[0]
            for layer_size in layer_sizes[1:]:
                layers += [nn.Linear(layer_size_last, layer_size), act_fn]
                layer_size_last = layer_size
            layers += [nn.Linear(layer_sizes[-1], num_classes)]
            self.layers = nn.Sequential(*layers)
            self.config = {
                "act_fn": act_fn.config,
                "input_size": input_size,
                "num_classes": num_classes,
                "hidden_sizes": hidden_sizes,
            }

        def forward(self, x):
            x = x.view(x.size(0), -1)
            out = self.layers(x)
            return out

    def _get_config_file(model_path, model_name):
        return os.path.join(model_path, model_name + ".config")

    def _get_model_file(model_path, model_name):
        return os.path.join(model_path, model_name + ".tar")

    def load_model(model_path, model_name, net=None):
        config_file, model_file = (
            _get_config_file(model_path, model_name),
            _get_model_file(model_path, model_name),
        )
        assert os.path.isfile(config_file), f'Could not find the config file "{config_file}".'
        assert os.path.isfile(model_file), f'Could not find the model file "{model_file}".'
        with open(config_file) as f:
            config_dict = json.load(f)
        if net is None:
            act_fn_name = config_dict["act_fn"].pop("name").lower()
            act_fn = act_fn_by_name[act_fn_name](**config_dict.pop("act_fn"))
            net = BaseNetwork(act_fn=act_fn, **config_dict)
        net.load_state_dict(torch.load(model_file, map_location=device))
        return net

    def save_model(model, model_path, model_name):
        config_dict = model.config
        os.makedirs(model_path, exist_ok=True)
        config_file, model_file = (
            _get_config_file(model_path, model_name),
            _get_model_file(model_path, model_name),
        )
        with open(config_file, "w") as f:
            json.dump(config_dict, f)
        torch.save(model.state_dict(), model_file)

    device = torch.device("cuda:0") if torch.cuda.is_available() else torch.device("cpu")
    images, labels = fake_images(torch, 96, (1, 4, 4), 4, seed=3)
    train_dataset = data.TensorDataset(images[:64], labels[:64])
    train_set, val_set = train_dataset, data.TensorDataset(images[64:80], labels[64:80])
    test_set = data.TensorDataset(images[80:], labels[80:])
    val_loader = data.DataLoader(val_set, batch_size=8, shuffle=False, drop_last=False)
    test_loader = data.DataLoader(test_set, batch_size=8, shuffle=False, drop_last=False)

    def visualize_gradients(net, color="C0"):
        net.eval()
        small_loader = data.DataLoader(train_set, batch_size=256, shuffle=False)
        imgs, labels = next(iter(small_loader))
        imgs, labels = imgs.to(device), labels.to(device)
        net.zero_grad()
        preds = net(imgs)
        loss = F.cross_entropy(preds, labels)
        loss.backward()
        grads = {
            name: params.grad.data.view(-1).cpu().clone().numpy()
            for name, params in net.named_parameters()
            if "weight" in name
        }
        net.zero_grad()
        return grads

    def visualize_activations(net, color="C0"):
        activations = {}
        net.eval()
        small_loader = data.DataLoader(train_set, batch_size=1024)
        imgs, labels = next(iter(small_loader))
        with torch.no_grad():
            layer_index = 0
            imgs = imgs.to(device)
            imgs = imgs.view(imgs.size(0), -1)
            for layer_index, layer in enumerate(net.layers[:-1]):
                imgs = layer(imgs)
                if isinstance(layer, ActivationFunction):
                    activations[layer_index] = imgs.view(-1).cpu().numpy()
        return activations

    @torch.no_grad()
    def measure_number_dead_neurons(net):
        neurons_dead = [
            torch.ones(layer.weight.shape[0], device=device, dtype=torch.bool)
            for layer in net.layers[:-1]
            if isinstance(layer, nn.Linear)
        ]
        net.eval()
        for imgs, labels in data.DataLoader(train_set, batch_size=16):
            layer_index = 0
            imgs = imgs.to(device)
            imgs = imgs.view(imgs.size(0), -1)
            for layer in net.layers[:-1]:
                imgs = layer(imgs)
                if isinstance(layer, ActivationFunction):
                    neurons_dead[layer_index] = torch.logical_and(
                        neurons_dead[layer_index], (imgs == 0).all(dim=0)
                    )
                    layer_index += 1
        number_neurons_dead = [t.sum().item() for t in neurons_dead]
        percentages = ", ".join(
            [
                f"{(100.0 * num_dead / tens.shape[0]):4.2f}%"
                for tens, num_dead in zip(neurons_dead, number_neurons_dead)
            ]
        )
        return number_neurons_dead, percentages

    def test_model(net, data_loader):
        net.eval()
        true_preds, count = 0.0, 0
        for imgs, labels in data_loader:
            imgs, labels = imgs.to(device), labels.to(device)
            with torch.no_grad():
                preds = net(imgs).argmax(dim=-1)
                true_preds += (preds == labels).sum().item()
                count += labels.shape[0]
        test_acc = true_preds / count
        return test_acc

    def train_model(net, model_name, max_epochs=50, patience=7, batch_size=256, overwrite=False):
        file_exists = os.path.isfile(_get_model_file(path, model_name))
        if file_exists and not overwrite:
            return None, []
        optimizer = optim.SGD(net.parameters(), lr=1e-2, momentum=0.9)
        loss_module = nn.CrossEntropyLoss()
        train_loader_local = data.DataLoader(
            train_set, batch_size=batch_size, shuffle=True, drop_last=True, pin_memory=True
        )
        val_scores = []
        best_val_epoch = -1
        printed = []
        for epoch in range(max_epochs):
            net.train()
            true_preds, count = 0.0, 0
            for imgs, labels in train_loader_local:
                imgs, labels = imgs.to(device), labels.to(device)
                optimizer.zero_grad()
                preds = net(imgs)
                loss = loss_module(preds, labels)
                loss.backward()
                optimizer.step()
                true_preds += (preds.argmax(dim=-1) == labels).sum()
                count += labels.shape[0]
            train_acc = true_preds / count
            val_acc = test_model(net, val_loader)
            val_scores.append(val_acc)
            printed.append(
                f"[Epoch {epoch + 1:2d}] Training accuracy: {train_acc * 100.0:05.2f}%, "
                f"Validation accuracy: {val_acc * 100.0:05.2f}%"
            )
            if len(val_scores) == 1 or val_acc > val_scores[best_val_epoch]:
                printed.append("\t   (New best performance, saving model...)")
                save_model(net, path, model_name)
                best_val_epoch = epoch
            elif best_val_epoch <= epoch - patience:
                printed.append(
                    f"Early stopping due to no improvement over the last {patience} epochs"
                )
                break
        load_model(path, model_name, net=net)
        test_acc = test_model(net, test_loader)
        return test_acc, printed

    small = {"input_size": 16, "num_classes": 4, "hidden_sizes": [8, 8]}
    gradients, activations, dead = {}, {}, {}
    for act_fn_name in act_fn_by_name:
        act_fn = act_fn_by_name[act_fn_name]()
        net_actfn = BaseNetwork(act_fn=act_fn, **small).to(device)
        sync(net_actfn)
        grads = visualize_gradients(net_actfn)
        gradients[act_fn_name] = {k: float(np.abs(v).mean()) for k, v in grads.items()}
        activations[act_fn_name] = {
            k: float(v.std()) for k, v in visualize_activations(net_actfn).items()
        }
        dead[act_fn_name] = measure_number_dead_neurons(net_actfn)[0]

    net_relu = BaseNetwork(act_fn=ReLU(), **small).to(device)
    sync(net_relu)
    test_acc, printed = train_model(
        net_relu, "FashionMNIST_relu", max_epochs=4, patience=2, batch_size=16
    )
    reloaded = load_model(path, "FashionMNIST_relu")
    leaky = BaseNetwork(act_fn=LeakyReLU(alpha=0.2), **small)
    save_model(leaky, path, "leaky")
    leaky_reloaded = load_model(path, "leaky")
    x = torch.linspace(-1, 1, 5)
    return {
        "curves": curves,
        "gradients": gradients,
        "activations": activations,
        "dead": dead,
        "dead_percentages": measure_number_dead_neurons(net_relu)[1],
        "test_acc": test_acc,
        "printed": printed,
        "reloaded_state": {k: np.asarray(v) for k, v in reloaded.state_dict().items()},
        "trained_state": {k: np.asarray(v) for k, v in net_relu.state_dict().items()},
        "reloaded_type": type(reloaded.layers[1]).__name__,
        "leaky_alpha": leaky_reloaded.layers[1].config["alpha"],
        "leaky_out": leaky_reloaded.layers[1](x).numpy(),
        "config": json.load(open(_get_config_file(path, "FashionMNIST_relu"))),
    }


# --- Tutorial 4: optimization and initialization ---


def optimization_initialization(
    torch: Any, nn: Any, F: Any, optim: Any, data: Any, sync: Sync
) -> dict:
    """Tutorial 4: the init functions (constant, constant variance, equal variance, Xavier,
    Kaiming) writing ``param.data`` in place, weight/gradient/activation statistics, the
    OptimizerTemplate with hand-written SGD, SGDMomentum and Adam, the training loop, and the
    pathological-curvature and steep-optima surfaces."""

    class ActivationFunction(nn.Module):
        def __init__(self):
            super().__init__()
            self.name = self.__class__.__name__
            self.config = {"name": self.name}

    class Identity(ActivationFunction):
        def forward(self, x):
            return x

    class Tanh(ActivationFunction):
        def forward(self, x):
            x_exp, neg_x_exp = torch.exp(x), torch.exp(-x)
            return (x_exp - neg_x_exp) / (x_exp + neg_x_exp)

    class ReLU(ActivationFunction):
        def forward(self, x):
            return x * (x > 0).float()

    act_fn_by_name = {"tanh": Tanh, "relu": ReLU, "identity": Identity}

    class BaseNetwork(nn.Module):
        def __init__(
            self, act_fn, input_size=784, num_classes=10, hidden_sizes=[512, 256, 256, 128]
        ):
            super().__init__()
            layers = []
            layer_sizes = [input_size] + hidden_sizes
            for layer_index in range(1, len(layer_sizes)):
                layers += [
                    nn.Linear(layer_sizes[layer_index - 1], layer_sizes[layer_index]),
                    act_fn(),
                ]
            layers += [nn.Linear(layer_sizes[-1], num_classes)]
            self.layers = nn.ModuleList(layers)
            self.config = {
                "act_fn": act_fn.__name__,
                "input_size": input_size,
                "num_classes": num_classes,
                "hidden_sizes": hidden_sizes,
            }

        def forward(self, x):
            x = x.view(x.size(0), -1)
            for l in self.layers:
                x = l(x)
            return x

    def set_seed(seed):
        np.random.seed(seed)
        torch.manual_seed(seed)
        if torch.cuda.is_available():
            torch.cuda.manual_seed(seed)
            torch.cuda.manual_seed_all(seed)

    device = torch.device("cpu")
    images, labels = fake_images(torch, 96, (1, 8, 8), 4, seed=4)
    train_set = data.TensorDataset(images[:64], labels[:64])
    test_set = data.TensorDataset(images[64:], labels[64:])

    def weight_distribution(model):
        weights = {}
        for name, param in model.named_parameters():
            if name.endswith(".bias"):
                continue
            key_name = f"Layer {name.split('.')[1]}"
            weights[key_name] = param.detach().view(-1).cpu().numpy()
        return weights

    def visualize_gradients(model, color="C0", print_variance=False):
        model.train()
        small_loader = data.DataLoader(train_set, batch_size=1024, shuffle=False)
        imgs, labels = next(iter(small_loader))
        imgs, labels = imgs.to(device), labels.to(device)
        model.zero_grad()
        preds = model(imgs)
        loss = F.cross_entropy(preds, labels)
        loss.backward()
        grads = {
            name: params.grad.view(-1).cpu().clone().numpy()
            for name, params in model.named_parameters()
            if "weight" in name
        }
        model.zero_grad()
        return {key: float(np.var(grads[key])) for key in sorted(grads.keys())}

    def visualize_activations(model, color="C0", print_variance=False):
        model.eval()
        small_loader = data.DataLoader(train_set, batch_size=1024, shuffle=False)
        imgs, labels = next(iter(small_loader))
        imgs, labels = imgs.to(device), labels.to(device)
        feats = imgs.view(imgs.shape[0], -1)
        activations = {}
        with torch.no_grad():
            for layer_index, layer in enumerate(model.layers):
                feats = layer(feats)
                if isinstance(layer, nn.Linear):
                    activations[f"Layer {layer_index}"] = feats.view(-1).detach().cpu().numpy()
        return {key: float(np.var(activations[key])) for key in sorted(activations.keys())}

    def const_init(model, fill=0.0):
        for name, param in model.named_parameters():
            param.data.fill_(fill)

    def const_variance_init(model, std=0.01):
        for name, param in model.named_parameters():
            param.data.normal_(mean=0.0, std=std)

    def equal_var_init(model):
        for name, param in model.named_parameters():
            if name.endswith(".bias"):
                param.data.fill_(0)
            else:
                param.data.normal_(std=1.0 / math.sqrt(param.shape[1]))

    def xavier_init(model):
        for name, param in model.named_parameters():
            if name.endswith(".bias"):
                param.data.fill_(0)
            else:
                bound = math.sqrt(6) / math.sqrt(param.shape[0] + param.shape[1])
                param.data.uniform_(-bound, bound)

    def kaiming_init(model):
        for name, param in model.named_parameters():
            if name.endswith(".bias"):
                param.data.fill_(0)
            elif name.startswith("layers.0"):
                param.data.normal_(0, 1 / math.sqrt(param.shape[1]))
            else:
                param.data.normal_(0, math.sqrt(2) / math.sqrt(param.shape[1]))

    hidden = [64, 64, 64, 64]
    inits = {}
    for init_name, init_fn, act in (
        ("const", lambda m: const_init(m, fill=0.005), Identity),
        ("const_variance", lambda m: const_variance_init(m, std=0.1), Identity),
        ("equal_var", equal_var_init, Identity),
        ("xavier", xavier_init, Tanh),
        ("kaiming", kaiming_init, ReLU),
    ):
        model = BaseNetwork(act_fn=act, input_size=64, num_classes=4, hidden_sizes=hidden).to(
            device
        )
        init_fn(model)
        weights = weight_distribution(model)
        sync(model)
        inits[init_name] = {
            "weight_std": {k: float(v.std()) for k, v in weights.items()},
            "bias_max": max(
                float(p.detach().abs().max())
                for n, p in model.named_parameters()
                if n.endswith(".bias")
            ),
            "grad_var": visualize_gradients(model),
            "act_var": visualize_activations(model),
        }

    class OptimizerTemplate:
        def __init__(self, params, lr):
            self.params = list(params)
            self.lr = lr

        def zero_grad(self):
            for p in self.params:
                if p.grad is not None:
                    p.grad.detach_()
                    p.grad.zero_()

        @torch.no_grad()
        def step(self):
            for p in self.params:
                if p.grad is None:
                    continue
                self.update_param(p)

        def update_param(self, p):
            raise NotImplementedError

    class SGD(OptimizerTemplate):
        def __init__(self, params, lr):
            super().__init__(params, lr)

        def update_param(self, p):
            p_update = -self.lr * p.grad
            p.add_(p_update)

    class SGDMomentum(OptimizerTemplate):
        def __init__(self, params, lr, momentum=0.0):
            super().__init__(params, lr)
            self.momentum = momentum
            self.param_momentum = {p: torch.zeros_like(p.data) for p in self.params}

        def update_param(self, p):
            self.param_momentum[p] = (
                1 - self.momentum
            ) * p.grad + self.momentum * self.param_momentum[p]
            p_update = -self.lr * self.param_momentum[p]
            p.add_(p_update)

    class Adam(OptimizerTemplate):
        def __init__(self, params, lr, beta1=0.9, beta2=0.999, eps=1e-8):
            super().__init__(params, lr)
            self.beta1 = beta1
            self.beta2 = beta2
            self.eps = eps
            self.param_step = {p: 0 for p in self.params}
            self.param_momentum = {p: torch.zeros_like(p.data) for p in self.params}
            self.param_2nd_momentum = {p: torch.zeros_like(p.data) for p in self.params}

        def update_param(self, p):
            self.param_step[p] += 1
            self.param_momentum[p] = (1 - self.beta1) * p.grad + self.beta1 * self.param_momentum[p]
            self.param_2nd_momentum[p] = (1 - self.beta2) * (
                p.grad
            ) ** 2 + self.beta2 * self.param_2nd_momentum[p]
            bias_correction_1 = 1 - self.beta1 ** self.param_step[p]
            bias_correction_2 = 1 - self.beta2 ** self.param_step[p]
            p_2nd_mom = self.param_2nd_momentum[p] / bias_correction_2
            p_mom = self.param_momentum[p] / bias_correction_1
            p_lr = self.lr / (torch.sqrt(p_2nd_mom) + self.eps)
            p_update = -p_lr * p_mom
            p.add_(p_update)

    def epoch_iteration(net, loss_module, optimizer, train_loader_local, epoch):
        net.train()
        true_preds, count = 0.0, 0
        epoch_losses = []
        for imgs, labels in train_loader_local:
            imgs, labels = imgs.to(device), labels.to(device)
            optimizer.zero_grad()
            preds = net(imgs)
            loss = loss_module(preds, labels)
            loss.backward()
            optimizer.step()
            true_preds += (preds.argmax(dim=-1) == labels).sum().item()
            count += labels.shape[0]
            epoch_losses.append(loss.item())
        train_acc = true_preds / count
        return train_acc, epoch_losses

    def train_model(net, optim_func, max_epochs=50, batch_size=256):
        optimizer = optim_func(net.parameters())
        loss_module = nn.CrossEntropyLoss()
        train_loader_local = data.DataLoader(
            train_set, batch_size=batch_size, shuffle=True, drop_last=True, pin_memory=True
        )
        train_losses, train_scores = [], []
        for epoch in range(max_epochs):
            train_acc, epoch_losses = epoch_iteration(
                net, loss_module, optimizer, train_loader_local, epoch
            )
            train_scores.append(train_acc)
            train_losses += epoch_losses
        return train_losses, train_scores

    trained = {}
    for opt_name, optim_func in (
        ("SGD", lambda params: SGD(params, lr=1e-1)),
        ("SGDMom", lambda params: SGDMomentum(params, lr=1e-1, momentum=0.9)),
        ("Adam", lambda params: Adam(params, lr=1e-3)),
        ("torch_Adam", lambda params: optim.Adam(params, lr=1e-3)),
    ):
        set_seed(42)
        model = BaseNetwork(act_fn=ReLU, input_size=64, num_classes=4, hidden_sizes=[16, 16])
        kaiming_init(model)
        sync(model)
        losses, scores = train_model(model, optim_func, max_epochs=2, batch_size=16)
        trained[opt_name] = {
            "losses": losses,
            "scores": scores,
            "weight": model.layers[0].weight.detach().numpy(),
        }

    def pathological_curve_loss(w1, w2):
        x1_loss = torch.tanh(w1) ** 2 + 0.01 * torch.abs(w1)
        x2_loss = torch.sigmoid(w2)
        return x1_loss + x2_loss

    def plot_curve(
        curve_fn, x_range=(-5, 5), y_range=(-5, 5), plot_3d=False, title="Pathological curvature"
    ):
        x = torch.arange(x_range[0], x_range[1], (x_range[1] - x_range[0]) / 100.0)
        y = torch.arange(y_range[0], y_range[1], (y_range[1] - y_range[0]) / 100.0)
        x, y = torch.meshgrid([x, y], indexing="xy")
        z = curve_fn(x, y)
        x, y, z = x.numpy(), y.numpy(), z.numpy()
        return x, y, z

    def train_curve(
        optimizer_func, curve_func=pathological_curve_loss, num_updates=100, init=[5, 5]
    ):
        weights = nn.Parameter(torch.FloatTensor(init), requires_grad=True)
        optimizer = optimizer_func([weights])
        list_points = []
        for _ in range(num_updates):
            loss = curve_func(weights[0], weights[1])
            list_points.append(
                torch.cat([weights.data.detach(), loss.unsqueeze(dim=0).detach()], dim=0)
            )
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        points = torch.stack(list_points, dim=0)
        return points

    def bivar_gaussian(w1, w2, x_mean=0.0, y_mean=0.0, x_sig=1.0, y_sig=1.0):
        norm = 1 / (2 * np.pi * x_sig * y_sig)
        x_exp = (-1 * (w1 - x_mean) ** 2) / (2 * x_sig**2)
        y_exp = (-1 * (w2 - y_mean) ** 2) / (2 * y_sig**2)
        return norm * torch.exp(x_exp + y_exp)

    def comb_func(w1, w2):
        z = -bivar_gaussian(w1, w2, x_mean=1.0, y_mean=-0.5, x_sig=0.2, y_sig=0.2)
        z -= bivar_gaussian(w1, w2, x_mean=-1.0, y_mean=0.5, x_sig=0.2, y_sig=0.2)
        z -= bivar_gaussian(w1, w2, x_mean=-0.5, y_mean=-0.8, x_sig=0.2, y_sig=0.2)
        return z

    surface = plot_curve(pathological_curve_loss)
    steep = plot_curve(comb_func, x_range=(-2, 2), y_range=(-2, 2))
    paths = {
        "SGD": train_curve(lambda params: SGD(params, lr=10)).numpy(),
        "SGDMom": train_curve(lambda params: SGDMomentum(params, lr=10, momentum=0.9)).numpy(),
        "Adam": train_curve(lambda params: Adam(params, lr=1)).numpy(),
        "steep_SGD": train_curve(
            lambda params: SGD(params, lr=0.5), comb_func, init=[0, 0]
        ).numpy(),
        "steep_SGDMom": train_curve(
            lambda params: SGDMomentum(params, lr=1, momentum=0.9), comb_func, init=[0, 0]
        ).numpy(),
        "steep_Adam": train_curve(
            lambda params: Adam(params, lr=0.2), comb_func, init=[0, 0]
        ).numpy(),
    }
    return {
        "inits": inits,
        "trained": trained,
        "surface": surface,
        "steep": steep,
        "paths": paths,
    }


# --- Tutorial 5: Inception, ResNet and DenseNet ---


def cnn_architectures(
    torch: Any, nn: Any, F: Any, optim: Any, data: Any, sync: Sync, steps: int = 2
) -> dict:
    """Tutorial 5: InceptionBlock/GoogleNet, ResNetBlock/PreActResNetBlock/ResNet,
    DenseLayer/DenseBlock/TransitionLayer/DenseNet with their ``_init_params``; the Lightning
    module's optimizer choice, MultiStepLR and accuracy in a hand-written loop."""
    act_fn_by_name = {"tanh": nn.Tanh, "relu": nn.ReLU, "leakyrelu": nn.LeakyReLU, "gelu": nn.GELU}

    class InceptionBlock(nn.Module):
        def __init__(self, c_in, c_red: dict, c_out: dict, act_fn):
            super().__init__()
            self.conv_1x1 = nn.Sequential(
                nn.Conv2d(c_in, c_out["1x1"], kernel_size=1), nn.BatchNorm2d(c_out["1x1"]), act_fn()
            )
            self.conv_3x3 = nn.Sequential(
                nn.Conv2d(c_in, c_red["3x3"], kernel_size=1),
                nn.BatchNorm2d(c_red["3x3"]),
                act_fn(),
                nn.Conv2d(c_red["3x3"], c_out["3x3"], kernel_size=3, padding=1),
                nn.BatchNorm2d(c_out["3x3"]),
                act_fn(),
            )
            self.conv_5x5 = nn.Sequential(
                nn.Conv2d(c_in, c_red["5x5"], kernel_size=1),
                nn.BatchNorm2d(c_red["5x5"]),
                act_fn(),
                nn.Conv2d(c_red["5x5"], c_out["5x5"], kernel_size=5, padding=2),
                nn.BatchNorm2d(c_out["5x5"]),
                act_fn(),
            )
            self.max_pool = nn.Sequential(
                nn.MaxPool2d(kernel_size=3, padding=1, stride=1),
                nn.Conv2d(c_in, c_out["max"], kernel_size=1),
                nn.BatchNorm2d(c_out["max"]),
                act_fn(),
            )

        def forward(self, x):
            x_1x1 = self.conv_1x1(x)
            x_3x3 = self.conv_3x3(x)
            x_5x5 = self.conv_5x5(x)
            x_max = self.max_pool(x)
            x_out = torch.cat([x_1x1, x_3x3, x_5x5, x_max], dim=1)
            return x_out

    class GoogleNet(nn.Module):
        def __init__(self, num_classes=10, act_fn_name="relu", **kwargs):
            super().__init__()
            self.hparams = SimpleNamespace(
                num_classes=num_classes, act_fn_name=act_fn_name, act_fn=act_fn_by_name[act_fn_name]
            )
            self._create_network()
            self._init_params()

        def _create_network(self):
            self.input_net = nn.Sequential(
                nn.Conv2d(3, 64, kernel_size=3, padding=1),
                nn.BatchNorm2d(64),
                self.hparams.act_fn(),
            )
            self.inception_blocks = nn.Sequential(
                InceptionBlock(
                    64,
                    c_red={"3x3": 32, "5x5": 16},
                    c_out={"1x1": 16, "3x3": 32, "5x5": 8, "max": 8},
                    act_fn=self.hparams.act_fn,
                ),
                InceptionBlock(
                    64,
                    c_red={"3x3": 32, "5x5": 16},
                    c_out={"1x1": 24, "3x3": 48, "5x5": 12, "max": 12},
                    act_fn=self.hparams.act_fn,
                ),
                nn.MaxPool2d(3, stride=2, padding=1),  # 32x32 => 16x16
                InceptionBlock(
                    96,
                    c_red={"3x3": 32, "5x5": 16},
                    c_out={"1x1": 24, "3x3": 48, "5x5": 12, "max": 12},
                    act_fn=self.hparams.act_fn,
                ),
                InceptionBlock(
                    96,
                    c_red={"3x3": 32, "5x5": 16},
                    c_out={"1x1": 16, "3x3": 48, "5x5": 16, "max": 16},
                    act_fn=self.hparams.act_fn,
                ),
                nn.MaxPool2d(3, stride=2, padding=1),  # 16x16 => 8x8
                InceptionBlock(
                    96,
                    c_red={"3x3": 48, "5x5": 16},
                    c_out={"1x1": 32, "3x3": 64, "5x5": 16, "max": 16},
                    act_fn=self.hparams.act_fn,
                ),
            )
            self.output_net = nn.Sequential(
                nn.AdaptiveAvgPool2d((1, 1)), nn.Flatten(), nn.Linear(128, self.hparams.num_classes)
            )

        def _init_params(self):
            for m in self.modules():
                if isinstance(m, nn.Conv2d):
                    nn.init.kaiming_normal_(m.weight, nonlinearity=self.hparams.act_fn_name)
                elif isinstance(m, nn.BatchNorm2d):
                    nn.init.constant_(m.weight, 1)
                    nn.init.constant_(m.bias, 0)

        def forward(self, x):
            x = self.input_net(x)
            x = self.inception_blocks(x)
            x = self.output_net(x)
            return x

    class ResNetBlock(nn.Module):
        def __init__(self, c_in, act_fn, subsample=False, c_out=-1):
            super().__init__()
            if not subsample:
                c_out = c_in
            self.net = nn.Sequential(
                nn.Conv2d(
                    c_in,
                    c_out,
                    kernel_size=3,
                    padding=1,
                    stride=1 if not subsample else 2,
                    bias=False,
                ),
                nn.BatchNorm2d(c_out),
                act_fn(),
                nn.Conv2d(c_out, c_out, kernel_size=3, padding=1, bias=False),
                nn.BatchNorm2d(c_out),
            )
            self.downsample = nn.Conv2d(c_in, c_out, kernel_size=1, stride=2) if subsample else None
            self.act_fn = act_fn()

        def forward(self, x):
            z = self.net(x)
            if self.downsample is not None:
                x = self.downsample(x)
            out = z + x
            out = self.act_fn(out)
            return out

    class PreActResNetBlock(nn.Module):
        def __init__(self, c_in, act_fn, subsample=False, c_out=-1):
            super().__init__()
            if not subsample:
                c_out = c_in
            self.net = nn.Sequential(
                nn.BatchNorm2d(c_in),
                act_fn(),
                nn.Conv2d(
                    c_in,
                    c_out,
                    kernel_size=3,
                    padding=1,
                    stride=1 if not subsample else 2,
                    bias=False,
                ),
                nn.BatchNorm2d(c_out),
                act_fn(),
                nn.Conv2d(c_out, c_out, kernel_size=3, padding=1, bias=False),
            )
            self.downsample = (
                nn.Sequential(
                    nn.BatchNorm2d(c_in),
                    act_fn(),
                    nn.Conv2d(c_in, c_out, kernel_size=1, stride=2, bias=False),
                )
                if subsample
                else None
            )

        def forward(self, x):
            z = self.net(x)
            if self.downsample is not None:
                x = self.downsample(x)
            out = z + x
            return out

    resnet_blocks_by_name = {"ResNetBlock": ResNetBlock, "PreActResNetBlock": PreActResNetBlock}

    class ResNet(nn.Module):
        def __init__(
            self,
            num_classes=10,
            num_blocks=[3, 3, 3],
            c_hidden=[16, 32, 64],
            act_fn_name="relu",
            block_name="ResNetBlock",
            **kwargs,
        ):
            super().__init__()
            assert block_name in resnet_blocks_by_name
            self.hparams = SimpleNamespace(
                num_classes=num_classes,
                c_hidden=c_hidden,
                num_blocks=num_blocks,
                act_fn_name=act_fn_name,
                act_fn=act_fn_by_name[act_fn_name],
                block_class=resnet_blocks_by_name[block_name],
            )
            self._create_network()
            self._init_params()

        def _create_network(self):
            c_hidden = self.hparams.c_hidden
            if self.hparams.block_class == PreActResNetBlock:
                self.input_net = nn.Sequential(
                    nn.Conv2d(3, c_hidden[0], kernel_size=3, padding=1, bias=False)
                )
            else:
                self.input_net = nn.Sequential(
                    nn.Conv2d(3, c_hidden[0], kernel_size=3, padding=1, bias=False),
                    nn.BatchNorm2d(c_hidden[0]),
                    self.hparams.act_fn(),
                )
            blocks = []
            for block_idx, block_count in enumerate(self.hparams.num_blocks):
                for bc in range(block_count):
                    subsample = bc == 0 and block_idx > 0
                    blocks.append(
                        self.hparams.block_class(
                            c_in=c_hidden[block_idx if not subsample else (block_idx - 1)],
                            act_fn=self.hparams.act_fn,
                            subsample=subsample,
                            c_out=c_hidden[block_idx],
                        )
                    )
            self.blocks = nn.Sequential(*blocks)
            self.output_net = nn.Sequential(
                nn.AdaptiveAvgPool2d((1, 1)),
                nn.Flatten(),
                nn.Linear(c_hidden[-1], self.hparams.num_classes),
            )

        def _init_params(self):
            for m in self.modules():
                if isinstance(m, nn.Conv2d):
                    nn.init.kaiming_normal_(
                        m.weight, mode="fan_out", nonlinearity=self.hparams.act_fn_name
                    )
                elif isinstance(m, nn.BatchNorm2d):
                    nn.init.constant_(m.weight, 1)
                    nn.init.constant_(m.bias, 0)

        def forward(self, x):
            x = self.input_net(x)
            x = self.blocks(x)
            x = self.output_net(x)
            return x

    class DenseLayer(nn.Module):
        def __init__(self, c_in, bn_size, growth_rate, act_fn):
            super().__init__()
            self.net = nn.Sequential(
                nn.BatchNorm2d(c_in),
                act_fn(),
                nn.Conv2d(c_in, bn_size * growth_rate, kernel_size=1, bias=False),
                nn.BatchNorm2d(bn_size * growth_rate),
                act_fn(),
                nn.Conv2d(bn_size * growth_rate, growth_rate, kernel_size=3, padding=1, bias=False),
            )

        def forward(self, x):
            out = self.net(x)
            out = torch.cat([out, x], dim=1)
            return out

    class DenseBlock(nn.Module):
        def __init__(self, c_in, num_layers, bn_size, growth_rate, act_fn):
            super().__init__()
            layers = []
            for layer_idx in range(num_layers):
                layers.append(
                    DenseLayer(
                        c_in=c_in + layer_idx * growth_rate,
                        bn_size=bn_size,
                        growth_rate=growth_rate,
                        act_fn=act_fn,
                    )
                )
            self.block = nn.Sequential(*layers)

        def forward(self, x):
            out = self.block(x)
            return out

    class TransitionLayer(nn.Module):
        def __init__(self, c_in, c_out, act_fn):
            super().__init__()
            self.transition = nn.Sequential(
                nn.BatchNorm2d(c_in),
                act_fn(),
                nn.Conv2d(c_in, c_out, kernel_size=1, bias=False),
                nn.AvgPool2d(kernel_size=2, stride=2),
            )

        def forward(self, x):
            return self.transition(x)

    class DenseNet(nn.Module):
        def __init__(
            self,
            num_classes=10,
            num_layers=[6, 6, 6, 6],
            bn_size=2,
            growth_rate=16,
            act_fn_name="relu",
            **kwargs,
        ):
            super().__init__()
            self.hparams = SimpleNamespace(
                num_classes=num_classes,
                num_layers=num_layers,
                bn_size=bn_size,
                growth_rate=growth_rate,
                act_fn_name=act_fn_name,
                act_fn=act_fn_by_name[act_fn_name],
            )
            self._create_network()
            self._init_params()

        def _create_network(self):
            c_hidden = self.hparams.growth_rate * self.hparams.bn_size
            self.input_net = nn.Sequential(nn.Conv2d(3, c_hidden, kernel_size=3, padding=1))
            blocks = []
            for block_idx, num_layers in enumerate(self.hparams.num_layers):
                blocks.append(
                    DenseBlock(
                        c_in=c_hidden,
                        num_layers=num_layers,
                        bn_size=self.hparams.bn_size,
                        growth_rate=self.hparams.growth_rate,
                        act_fn=self.hparams.act_fn,
                    )
                )
                c_hidden = c_hidden + num_layers * self.hparams.growth_rate
                if block_idx < len(self.hparams.num_layers) - 1:
                    blocks.append(
                        TransitionLayer(
                            c_in=c_hidden, c_out=c_hidden // 2, act_fn=self.hparams.act_fn
                        )
                    )
                    c_hidden = c_hidden // 2
            self.blocks = nn.Sequential(*blocks)
            self.output_net = nn.Sequential(
                nn.BatchNorm2d(c_hidden),
                self.hparams.act_fn(),
                nn.AdaptiveAvgPool2d((1, 1)),
                nn.Flatten(),
                nn.Linear(c_hidden, self.hparams.num_classes),
            )

        def _init_params(self):
            for m in self.modules():
                if isinstance(m, nn.Conv2d):
                    nn.init.kaiming_normal_(m.weight, nonlinearity=self.hparams.act_fn_name)
                elif isinstance(m, nn.BatchNorm2d):
                    nn.init.constant_(m.weight, 1)
                    nn.init.constant_(m.bias, 0)

        def forward(self, x):
            x = self.input_net(x)
            x = self.blocks(x)
            x = self.output_net(x)
            return x

    model_dict = {"GoogleNet": GoogleNet, "ResNet": ResNet, "DenseNet": DenseNet}

    def create_model(model_name, model_hparams):
        if model_name in model_dict:
            return model_dict[model_name](**model_hparams)
        else:
            assert False, (
                f'Unknown model name "{model_name}". Available models are: {str(model_dict.keys())}'
            )

    class CIFARModule(nn.Module):
        def __init__(self, model_name, model_hparams, optimizer_name, optimizer_hparams):
            super().__init__()
            self.hparams = SimpleNamespace(
                model_name=model_name,
                model_hparams=model_hparams,
                optimizer_name=optimizer_name,
                optimizer_hparams=optimizer_hparams,
            )
            self.model = create_model(model_name, model_hparams)
            self.loss_module = nn.CrossEntropyLoss()
            self.example_input_array = torch.zeros((1, 3, 8, 8), dtype=torch.float32)

        def forward(self, imgs):
            return self.model(imgs)

        def configure_optimizers(self):
            if self.hparams.optimizer_name == "Adam":
                optimizer = optim.AdamW(self.parameters(), **self.hparams.optimizer_hparams)
            elif self.hparams.optimizer_name == "SGD":
                optimizer = optim.SGD(self.parameters(), **self.hparams.optimizer_hparams)
            else:
                assert False, f'Unknown optimizer: "{self.hparams.optimizer_name}"'
            scheduler = optim.lr_scheduler.MultiStepLR(optimizer, milestones=[1, 150], gamma=0.1)
            return [optimizer], [scheduler]

        def training_step(self, batch, batch_idx):
            imgs, labels = batch
            preds = self.model(imgs)
            loss = self.loss_module(preds, labels)
            acc = (preds.argmax(dim=-1) == labels).float().mean()
            return loss, acc

        def validation_step(self, batch, batch_idx):
            imgs, labels = batch
            preds = self.model(imgs).argmax(dim=-1)
            acc = (labels == preds).float().mean()
            return acc

    images, labels = fake_images(torch, 8, (3, 8, 8), 10, seed=5)
    train_loader = data.DataLoader(
        data.TensorDataset(images, labels), batch_size=4, shuffle=False, drop_last=True
    )

    def train_model(model_name, **kwargs):
        model = CIFARModule(model_name=model_name, **kwargs)
        sync(model)
        [optimizer], [scheduler] = model.configure_optimizers()
        losses, accs, lrs = [], [], []
        for epoch in range(steps):
            model.train()
            for batch_idx, batch in enumerate(train_loader):
                optimizer.zero_grad()
                loss, acc = model.training_step(batch, batch_idx)
                loss.backward()
                optimizer.step()
                losses.append(loss.item())
                accs.append(acc.item())
            scheduler.step()
            lrs.append(optimizer.param_groups[0]["lr"])
        model.eval()
        with torch.no_grad():
            val_acc = model.validation_step((images, labels), 0).item()
            logits = model(images)
        return {
            "losses": losses,
            "accs": accs,
            "lrs": lrs,
            "val_acc": val_acc,
            "logits": logits.numpy(),
            "params": sum(np.prod(p.shape) for p in model.parameters()),
            "repr": repr(model),
        }

    results = {
        "GoogleNet": train_model(
            "GoogleNet",
            model_hparams={"num_classes": 10, "act_fn_name": "relu"},
            optimizer_name="Adam",
            optimizer_hparams={"lr": 1e-3, "weight_decay": 1e-4},
        ),
        "ResNet": train_model(
            "ResNet",
            model_hparams={
                "num_classes": 10,
                "c_hidden": [4, 8, 16],
                "num_blocks": [2, 2, 2],
                "act_fn_name": "relu",
            },
            optimizer_name="SGD",
            optimizer_hparams={"lr": 0.1, "momentum": 0.9, "weight_decay": 1e-4},
        ),
        "PreActResNet": train_model(
            "ResNet",
            model_hparams={
                "num_classes": 10,
                "c_hidden": [4, 8, 16],
                "num_blocks": [2, 2, 2],
                "act_fn_name": "relu",
                "block_name": "PreActResNetBlock",
            },
            optimizer_name="SGD",
            optimizer_hparams={"lr": 0.1, "momentum": 0.9, "weight_decay": 1e-4},
        ),
        "DenseNet": train_model(
            "DenseNet",
            model_hparams={
                "num_classes": 10,
                "num_layers": [2, 2, 2],
                "bn_size": 2,
                "growth_rate": 4,
                "act_fn_name": "relu",
            },
            optimizer_name="Adam",
            optimizer_hparams={"lr": 1e-3, "weight_decay": 1e-4},
        ),
    }
    try:
        GoogleNet(act_fn_name="gelu")
        gelu_error = None
    except ValueError as error:
        gelu_error = str(error)
    results["gelu_error"] = gelu_error
    resnet = ResNet(num_blocks=[1, 1], c_hidden=[2, 4])
    results["resnet_repr"] = repr(resnet.blocks[1])
    return results


# --- Tutorial 9: deep autoencoders ---


def autoencoder(
    torch: Any, nn: Any, F: Any, optim: Any, data: Any, sync: Sync, steps: int = 3
) -> dict:
    """Tutorial 9: the convolutional Encoder/Decoder (ConvTranspose2d with output_padding),
    the summed-per-image MSE, Adam with ReduceLROnPlateau, embedding images and finding
    neighbours with ``cdist`` and ``sort``, decoding random latents."""

    class Encoder(nn.Module):
        def __init__(
            self,
            num_input_channels: int,
            base_channel_size: int,
            latent_dim: int,
            act_fn: object = nn.GELU,
        ):
            super().__init__()
            c_hid = base_channel_size
            self.net = nn.Sequential(
                nn.Conv2d(
                    num_input_channels, c_hid, kernel_size=3, padding=1, stride=2
                ),  # 32x32 => 16x16
                act_fn(),
                nn.Conv2d(c_hid, c_hid, kernel_size=3, padding=1),
                act_fn(),
                nn.Conv2d(c_hid, 2 * c_hid, kernel_size=3, padding=1, stride=2),  # 16x16 => 8x8
                act_fn(),
                nn.Conv2d(2 * c_hid, 2 * c_hid, kernel_size=3, padding=1),
                act_fn(),
                nn.Conv2d(2 * c_hid, 2 * c_hid, kernel_size=3, padding=1, stride=2),  # 8x8 => 4x4
                act_fn(),
                nn.Flatten(),  # Image grid to single feature vector
                nn.Linear(2 * 16 * c_hid, latent_dim),
            )

        def forward(self, x):
            return self.net(x)

    class Decoder(nn.Module):
        def __init__(
            self,
            num_input_channels: int,
            base_channel_size: int,
            latent_dim: int,
            act_fn: object = nn.GELU,
        ):
            super().__init__()
            c_hid = base_channel_size
            self.linear = nn.Sequential(nn.Linear(latent_dim, 2 * 16 * c_hid), act_fn())
            self.net = nn.Sequential(
                nn.ConvTranspose2d(
                    2 * c_hid, 2 * c_hid, kernel_size=3, output_padding=1, padding=1, stride=2
                ),  # 4x4 => 8x8
                act_fn(),
                nn.Conv2d(2 * c_hid, 2 * c_hid, kernel_size=3, padding=1),
                act_fn(),
                nn.ConvTranspose2d(
                    2 * c_hid, c_hid, kernel_size=3, output_padding=1, padding=1, stride=2
                ),  # 8x8 => 16x16
                act_fn(),
                nn.Conv2d(c_hid, c_hid, kernel_size=3, padding=1),
                act_fn(),
                nn.ConvTranspose2d(
                    c_hid, num_input_channels, kernel_size=3, output_padding=1, padding=1, stride=2
                ),  # 16x16 => 32x32
                # The input images is scaled between -1 and 1, hence the output has to be bounded
                nn.Tanh(),
            )

        def forward(self, x):
            x = self.linear(x)
            x = x.reshape(x.shape[0], -1, 4, 4)
            x = self.net(x)
            return x

    class Autoencoder(nn.Module):
        def __init__(
            self,
            base_channel_size: int,
            latent_dim: int,
            encoder_class: object = Encoder,
            decoder_class: object = Decoder,
            num_input_channels: int = 3,
            width: int = 32,
            height: int = 32,
        ):
            super().__init__()
            self.hparams = SimpleNamespace(
                base_channel_size=base_channel_size, latent_dim=latent_dim
            )
            self.encoder = encoder_class(num_input_channels, base_channel_size, latent_dim)
            self.decoder = decoder_class(num_input_channels, base_channel_size, latent_dim)
            self.example_input_array = torch.zeros(2, num_input_channels, width, height)

        def forward(self, x):
            z = self.encoder(x)
            x_hat = self.decoder(z)
            return x_hat

        def _get_reconstruction_loss(self, batch):
            x, _ = batch
            x_hat = self.forward(x)
            loss = F.mse_loss(x, x_hat, reduction="none")
            loss = loss.sum(dim=[1, 2, 3]).mean(dim=[0])
            return loss

        def configure_optimizers(self):
            optimizer = optim.Adam(self.parameters(), lr=1e-3)
            scheduler = optim.lr_scheduler.ReduceLROnPlateau(
                optimizer, mode="min", factor=0.2, patience=1, min_lr=5e-5
            )
            return {"optimizer": optimizer, "lr_scheduler": scheduler, "monitor": "val_loss"}

    images, labels = fake_images(torch, 12, (3, 32, 32), 10, seed=9)
    train_set = data.TensorDataset(images[:8], labels[:8])
    val_set = data.TensorDataset(images[8:], labels[8:])
    train_loader = data.DataLoader(
        train_set, batch_size=4, shuffle=False, drop_last=True, pin_memory=True
    )
    val_loader = data.DataLoader(val_set, batch_size=4, shuffle=False, drop_last=False)

    model = Autoencoder(base_channel_size=2, latent_dim=4)
    sync(model)
    shape_out = model(model.example_input_array).shape
    conf = model.configure_optimizers()
    optimizer, scheduler = conf["optimizer"], conf["lr_scheduler"]
    losses, val_losses, lrs = [], [], []
    for epoch in range(steps):
        model.train()
        for batch in train_loader:
            optimizer.zero_grad()
            loss = model._get_reconstruction_loss(batch)
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
        model.eval()
        with torch.no_grad():
            val_loss = sum(model._get_reconstruction_loss(b).item() for b in val_loader) / len(
                val_loader
            )
        scheduler.step(val_loss)
        val_losses.append(val_loss)
        lrs.append(optimizer.param_groups[0]["lr"])

    def compare_imgs(img1, img2, title_prefix=""):
        loss = F.mse_loss(img1, img2, reduction="sum")
        grid = torch.stack([img1, img2], dim=0)
        return loss.item(), tuple(grid.shape)

    img = images[0]
    shifted = compare_imgs(img, img + 0.5)
    smoothed = compare_imgs(img, F.avg_pool2d(img[None], kernel_size=3, stride=1, padding=1)[0])

    def embed_imgs(model, data_loader):
        img_list, embed_list = [], []
        model.eval()
        for imgs, _ in data_loader:
            with torch.no_grad():
                z = model.encoder(imgs.to(torch.device("cpu")))
            img_list.append(imgs)
            embed_list.append(z)
        return (torch.cat(img_list, dim=0), torch.cat(embed_list, dim=0))

    train_img_embeds = embed_imgs(model, train_loader)
    test_img_embeds = embed_imgs(model, val_loader)

    def find_similar_images(query_img, query_z, key_embeds, K=8):
        dist = torch.cdist(query_z[None, :], key_embeds[1], p=2)
        dist = dist.squeeze(dim=0)
        dist, indices = torch.sort(dist)
        imgs_to_display = torch.cat([query_img[None], key_embeds[0][indices[:K]]], dim=0)
        return dist.numpy(), indices.numpy(), tuple(imgs_to_display.shape)

    similar = [
        find_similar_images(
            test_img_embeds[0][i], test_img_embeds[1][i], key_embeds=train_img_embeds, K=3
        )
        for i in range(2)
    ]
    with torch.no_grad():
        latent_vectors = torch.tensor(
            np.random.RandomState(0).randn(8, model.hparams.latent_dim), dtype=torch.float32
        )
        generated = model.decoder(latent_vectors)
        reconst = model(images[:2])
        grid = torch.stack([images[:2], reconst], dim=1).flatten(0, 1)
    return {
        "shape_out": tuple(shape_out),
        "losses": losses,
        "val_losses": val_losses,
        "lrs": lrs,
        "shifted": shifted,
        "smoothed": smoothed,
        "train_embeds": train_img_embeds[1].numpy(),
        "test_embeds": test_img_embeds[1].numpy(),
        "similar": similar,
        "generated": generated.numpy(),
        "grid_shape": tuple(grid.shape),
    }


# --- Tutorial 11: normalizing flows for image modeling ---


def normalizing_flows(
    torch: Any, nn: Any, F: Any, optim: Any, data: Any, sync: Sync, steps: int = 2, side: int = 8
) -> dict:
    """Tutorial 11: ImageFlow with a Normal prior, Dequantization and VariationalDequantization,
    CouplingLayer with checkerboard and channel masks, ConcatELU/LayerNormChannels/GatedConv,
    SqueezeFlow and SplitFlow; bits per dimension, importance-sampled test likelihood,
    sampling back through the inverted flows."""
    device = torch.device("cpu")

    class ImageFlow(nn.Module):
        def __init__(self, flows, import_samples=8):
            super().__init__()
            self.flows = nn.ModuleList(flows)
            self.import_samples = import_samples
            self.prior = torch.distributions.normal.Normal(loc=0.0, scale=1.0)

        def forward(self, imgs):
            return self._get_likelihood(imgs)

        def encode(self, imgs):
            z, ldj = imgs, torch.zeros(imgs.shape[0], device=device)
            for flow in self.flows:
                z, ldj = flow(z, ldj, reverse=False)
            return z, ldj

        def _get_likelihood(self, imgs, return_ll=False):
            z, ldj = self.encode(imgs)
            log_pz = self.prior.log_prob(z).sum(dim=[1, 2, 3])
            log_px = ldj + log_pz
            nll = -log_px
            bpd = nll * np.log2(np.exp(1)) / np.prod(imgs.shape[1:])
            return bpd.mean() if not return_ll else log_px

        @torch.no_grad()
        def sample(self, img_shape, z_init=None):
            if z_init is None:
                z = self.prior.sample(sample_shape=img_shape).to(device)
            else:
                z = z_init.to(device)
            ldj = torch.zeros(img_shape[0], device=device)
            for flow in reversed(self.flows):
                z, ldj = flow(z, ldj, reverse=True)
            return z

        def configure_optimizers(self):
            optimizer = optim.Adam(self.parameters(), lr=1e-3)
            scheduler = optim.lr_scheduler.StepLR(optimizer, 1, gamma=0.99)
            return [optimizer], [scheduler]

        def training_step(self, batch, batch_idx):
            loss = self._get_likelihood(batch[0])
            return loss

        def test_step(self, batch, batch_idx):
            samples = []
            for _ in range(self.import_samples):
                img_ll = self._get_likelihood(batch[0], return_ll=True)
                samples.append(img_ll)
            img_ll = torch.stack(samples, dim=-1)
            img_ll = torch.logsumexp(img_ll, dim=-1) - np.log(self.import_samples)
            bpd = -img_ll * np.log2(np.exp(1)) / np.prod(batch[0].shape[1:])
            bpd = bpd.mean()
            return bpd

    class Dequantization(nn.Module):
        def __init__(self, alpha=1e-5, quants=256):
            super().__init__()
            self.alpha = alpha
            self.quants = quants

        def forward(self, z, ldj, reverse=False):
            if not reverse:
                z, ldj = self.dequant(z, ldj)
                z, ldj = self.sigmoid(z, ldj, reverse=True)
            else:
                z, ldj = self.sigmoid(z, ldj, reverse=False)
                z = z * self.quants
                ldj += np.log(self.quants) * np.prod(z.shape[1:])
                z = torch.floor(z).clamp(min=0, max=self.quants - 1).to(torch.int32)
            return z, ldj

        def sigmoid(self, z, ldj, reverse=False):
            if not reverse:
                ldj += (-z - 2 * F.softplus(-z)).sum(dim=[1, 2, 3])
                z = torch.sigmoid(z)
            else:
                z = z * (1 - self.alpha) + 0.5 * self.alpha  # Scale to prevent boundaries 0 and 1
                ldj += np.log(1 - self.alpha) * np.prod(z.shape[1:])
                ldj += (-torch.log(z) - torch.log(1 - z)).sum(dim=[1, 2, 3])
                z = torch.log(z) - torch.log(1 - z)
            return z, ldj

        def dequant(self, z, ldj):
            z = z.to(torch.float32)
            z = z + torch.rand_like(z).detach()
            z = z / self.quants
            ldj -= np.log(self.quants) * np.prod(z.shape[1:])
            return z, ldj

    class VariationalDequantization(Dequantization):
        def __init__(self, var_flows, alpha=1e-5):
            super().__init__(alpha=alpha)
            self.flows = nn.ModuleList(var_flows)

        def dequant(self, z, ldj):
            z = z.to(torch.float32)
            img = (z / 255.0) * 2 - 1  # We condition the flows on x, i.e. the original image
            deq_noise = torch.rand_like(z).detach()
            deq_noise, ldj = self.sigmoid(deq_noise, ldj, reverse=True)
            for flow in self.flows:
                deq_noise, ldj = flow(deq_noise, ldj, reverse=False, orig_img=img)
            deq_noise, ldj = self.sigmoid(deq_noise, ldj, reverse=False)
            z = (z + deq_noise) / 256.0
            ldj -= np.log(256.0) * np.prod(z.shape[1:])
            return z, ldj

    class CouplingLayer(nn.Module):
        def __init__(self, network, mask, c_in):
            super().__init__()
            self.network = network
            self.scaling_factor = nn.Parameter(torch.zeros(c_in))
            self.register_buffer("mask", mask)

        def forward(self, z, ldj, reverse=False, orig_img=None):
            z_in = z * self.mask
            if orig_img is None:
                nn_out = self.network(z_in)
            else:
                nn_out = self.network(torch.cat([z_in, orig_img], dim=1))
            s, t = nn_out.chunk(2, dim=1)
            s_fac = self.scaling_factor.exp().view(1, -1, 1, 1)
            s = torch.tanh(s / s_fac) * s_fac
            s = s * (1 - self.mask)
            t = t * (1 - self.mask)
            if not reverse:
                z = (z + t) * torch.exp(s)
                ldj += s.sum(dim=[1, 2, 3])
            else:
                z = (z * torch.exp(-s)) - t
                ldj -= s.sum(dim=[1, 2, 3])
            return z, ldj

    def create_checkerboard_mask(h, w, invert=False):
        x, y = torch.arange(h, dtype=torch.int32), torch.arange(w, dtype=torch.int32)
        xx, yy = torch.meshgrid(x, y, indexing="ij")
        mask = torch.fmod(xx + yy, 2)
        mask = mask.to(torch.float32).view(1, 1, h, w)
        if invert:
            mask = 1 - mask
        return mask

    def create_channel_mask(c_in, invert=False):
        mask = torch.cat(
            [
                torch.ones(c_in // 2, dtype=torch.float32),
                torch.zeros(c_in - c_in // 2, dtype=torch.float32),
            ]
        )
        mask = mask.view(1, c_in, 1, 1)
        if invert:
            mask = 1 - mask
        return mask

    class ConcatELU(nn.Module):
        def forward(self, x):
            return torch.cat([F.elu(x), F.elu(-x)], dim=1)

    class LayerNormChannels(nn.Module):
        def __init__(self, c_in, eps=1e-5):
            super().__init__()
            self.gamma = nn.Parameter(torch.ones(1, c_in, 1, 1))
            self.beta = nn.Parameter(torch.zeros(1, c_in, 1, 1))
            self.eps = eps

        def forward(self, x):
            mean = x.mean(dim=1, keepdim=True)
            var = x.var(dim=1, unbiased=False, keepdim=True)
            y = (x - mean) / torch.sqrt(var + self.eps)
            y = y * self.gamma + self.beta
            return y

    class GatedConv(nn.Module):
        def __init__(self, c_in, c_hidden):
            super().__init__()
            self.net = nn.Sequential(
                ConcatELU(),
                nn.Conv2d(2 * c_in, c_hidden, kernel_size=3, padding=1),
                ConcatELU(),
                nn.Conv2d(2 * c_hidden, 2 * c_in, kernel_size=1),
            )

        def forward(self, x):
            out = self.net(x)
            val, gate = out.chunk(2, dim=1)
            return x + val * torch.sigmoid(gate)

    class GatedConvNet(nn.Module):
        def __init__(self, c_in, c_hidden=32, c_out=-1, num_layers=3):
            super().__init__()
            c_out = c_out if c_out > 0 else 2 * c_in
            layers = []
            layers += [nn.Conv2d(c_in, c_hidden, kernel_size=3, padding=1)]
            for layer_index in range(num_layers):
                layers += [GatedConv(c_hidden, c_hidden), LayerNormChannels(c_hidden)]
            layers += [ConcatELU(), nn.Conv2d(2 * c_hidden, c_out, kernel_size=3, padding=1)]
            self.nn = nn.Sequential(*layers)
            self.nn[-1].weight.data.zero_()
            self.nn[-1].bias.data.zero_()

        def forward(self, x):
            return self.nn(x)

    class SqueezeFlow(nn.Module):
        def forward(self, z, ldj, reverse=False):
            B, C, H, W = z.shape
            if not reverse:
                z = z.reshape(B, C, H // 2, 2, W // 2, 2)
                z = z.permute(0, 1, 3, 5, 2, 4)
                z = z.reshape(B, 4 * C, H // 2, W // 2)
            else:
                z = z.reshape(B, C // 4, 2, 2, H, W)
                z = z.permute(0, 1, 4, 2, 5, 3)
                z = z.reshape(B, C // 4, H * 2, W * 2)
            return z, ldj

    class SplitFlow(nn.Module):
        def __init__(self):
            super().__init__()
            self.prior = torch.distributions.normal.Normal(loc=0.0, scale=1.0)

        def forward(self, z, ldj, reverse=False):
            if not reverse:
                z, z_split = z.chunk(2, dim=1)
                ldj += self.prior.log_prob(z_split).sum(dim=[1, 2, 3])
            else:
                z_split = self.prior.sample(sample_shape=z.shape).to(device)
                z = torch.cat([z, z_split], dim=1)
                ldj -= self.prior.log_prob(z_split).sum(dim=[1, 2, 3])
            return z, ldj

    def create_simple_flow(use_vardeq=True):
        flow_layers = []
        if use_vardeq:
            vardeq_layers = [
                CouplingLayer(
                    network=GatedConvNet(c_in=2, c_out=2, c_hidden=4),
                    mask=create_checkerboard_mask(h=side, w=side, invert=(i % 2 == 1)),
                    c_in=1,
                )
                for i in range(4)
            ]
            flow_layers += [VariationalDequantization(var_flows=vardeq_layers)]
        else:
            flow_layers += [Dequantization()]
        for i in range(4):
            flow_layers += [
                CouplingLayer(
                    network=GatedConvNet(c_in=1, c_hidden=4),
                    mask=create_checkerboard_mask(h=side, w=side, invert=(i % 2 == 1)),
                    c_in=1,
                )
            ]
        flow_model = ImageFlow(flow_layers).to(device)
        return flow_model

    def create_multiscale_flow():
        flow_layers = []
        vardeq_layers = [
            CouplingLayer(
                network=GatedConvNet(c_in=2, c_out=2, c_hidden=4),
                mask=create_checkerboard_mask(h=side, w=side, invert=(i % 2 == 1)),
                c_in=1,
            )
            for i in range(4)
        ]
        flow_layers += [VariationalDequantization(vardeq_layers)]
        flow_layers += [
            CouplingLayer(
                network=GatedConvNet(c_in=1, c_hidden=4),
                mask=create_checkerboard_mask(h=side, w=side, invert=(i % 2 == 1)),
                c_in=1,
            )
            for i in range(2)
        ]
        flow_layers += [SqueezeFlow()]
        for i in range(2):
            flow_layers += [
                CouplingLayer(
                    network=GatedConvNet(c_in=4, c_hidden=6),
                    mask=create_channel_mask(c_in=4, invert=(i % 2 == 1)),
                    c_in=4,
                )
            ]
        flow_layers += [SplitFlow(), SqueezeFlow()]
        for i in range(4):
            flow_layers += [
                CouplingLayer(
                    network=GatedConvNet(c_in=8, c_hidden=8),
                    mask=create_channel_mask(c_in=8, invert=(i % 2 == 1)),
                    c_in=8,
                )
            ]
        flow_model = ImageFlow(flow_layers).to(device)
        return flow_model

    # MNIST stand-in: ToTensor then discretize, (sample * 255).to(torch.int32)
    imgs, labels = fake_images(torch, 8, (1, side, side), 4, seed=11, normalize=False)
    imgs = imgs.to(torch.int32)
    train_set = data.TensorDataset(imgs, labels)
    train_loader = data.DataLoader(train_set, batch_size=4, shuffle=False, drop_last=True)

    # the invertibility check of the plain dequantization
    orig_img = train_set[0][0].unsqueeze(dim=0)
    ldj = torch.zeros(
        1,
    )
    dequant_module = Dequantization()
    deq_img, ldj = dequant_module.forward(orig_img, ldj, reverse=False)
    reconst_img, ldj = dequant_module(deq_img, ldj, reverse=True)
    d1, d2 = torch.where(orig_img.squeeze() != reconst_img.squeeze())
    mismatches = [
        (orig_img[0, 0, d1[i], d2[i]].item(), reconst_img[0, 0, d1[i], d2[i]].item())
        for i in range(d1.shape[0])
    ]

    # the squeeze demonstration
    sq_flow = SqueezeFlow()
    rand_img = torch.arange(1, 17).view(1, 1, 4, 4)
    forward_img, _ = sq_flow(rand_img, ldj=None, reverse=False)
    reconst_sq, _ = sq_flow(forward_img, ldj=None, reverse=True)

    def visualize_dequantization(quants, prior=None):
        """The dequantized density over [-4, 4): its exp(ldj) per logit, weighted by the
        prior of the bin each value falls in."""
        if prior is None:
            prior = np.ones(quants, dtype=np.float32) / quants
        prior = (
            prior / prior.sum() * quants
        )  # In the following, we assume 1 for each value means uniform distribution
        inp = torch.arange(-4, 4, 0.01).view(
            -1, 1, 1, 1
        )  # Possible continuous values we want to consider
        ldj = torch.zeros(inp.shape[0])
        dequant_module = Dequantization(quants=quants)
        # Invert dequantization on continuous values to find corresponding discrete value
        out, ldj = dequant_module.forward(inp, ldj, reverse=True)
        inp, out, prob = inp.squeeze().numpy(), out.squeeze().numpy(), ldj.exp().numpy()
        prob = prob * prior[out]  # Probability scaled by categorical prior
        return inp, out, prob

    @torch.no_grad()
    def interpolate(model, img1, img2, num_steps=8):
        imgs = torch.stack([img1, img2], dim=0).to(device)
        z, _ = model.encode(imgs)
        alpha = torch.linspace(0, 1, steps=num_steps, device=z.device).view(-1, 1, 1, 1)
        interpolations = z[0:1] * alpha + z[1:2] * (1 - alpha)
        interp_imgs = model.sample(interpolations.shape[:1] + imgs.shape[1:], z_init=interpolations)
        return interp_imgs.numpy()

    results: dict = {
        "dequantization": visualize_dequantization(quants=8),
        "dequantization_prior": visualize_dequantization(
            quants=8, prior=np.array([0.075, 0.2, 0.4, 0.2, 0.075, 0.025, 0.0125, 0.0125])
        ),
        "deq_img": deq_img.numpy(),
        "deq_ldj": ldj.numpy(),
        "mismatches": mismatches,
        "squeezed": forward_img.numpy(),
        "unsqueezed": reconst_sq.numpy(),
        "checkerboard": create_checkerboard_mask(4, 4).numpy(),
        "channel_mask": create_channel_mask(5, invert=True).numpy(),
    }
    for name, make in (("simple", create_simple_flow), ("multiscale", create_multiscale_flow)):
        model = make()
        sync(model)
        [optimizer], [scheduler] = model.configure_optimizers()
        losses = []
        for epoch in range(steps):
            model.train()
            for batch_idx, batch in enumerate(train_loader):
                optimizer.zero_grad()
                loss = model.training_step(batch, batch_idx)
                loss.backward()
                optimizer.step()
                losses.append(loss.item())
            scheduler.step()
        model.eval()
        with torch.no_grad():
            test_bpd = model.test_step((imgs[:4], labels[:4]), 0).item()
            z, enc_ldj = model.encode(imgs[:4])
        results[name] = {
            "losses": losses,
            "lr": optimizer.param_groups[0]["lr"],
            "test_bpd": test_bpd,
            "z": z.numpy(),
            "ldj": enc_ldj.numpy(),
            "scaling": [
                p.detach().numpy()
                for n, p in model.named_parameters()
                if n.endswith("scaling_factor")
            ],
        }
        if name == "simple":
            results[name]["decoded"] = model.sample(img_shape=imgs[:4].shape, z_init=z).numpy()
            results[name]["interpolated"] = interpolate(model, imgs[0], imgs[1], num_steps=4)
        else:
            results[name]["sampled"] = model.sample(img_shape=[2, 8, side // 4, side // 4]).numpy()
    return results


# --- Tutorial 12: autoregressive image modeling (PixelCNN) ---


def pixelcnn(
    torch: Any, nn: Any, F: Any, optim: Any, data: Any, sync: Sync, steps: int = 2, side: int = 8
) -> dict:
    """Tutorial 12: MaskedConvolution (``weight.data *= mask`` before each call), vertical and
    horizontal stack convolutions, the receptive-field gradients, GatedMaskedConv with
    dilations, PixelCNN's 256-way cross entropy over a 5-D output, bits per dimension and
    pixel-by-pixel sampling with ``multinomial``."""
    device = torch.device("cpu")

    class MaskedConvolution(nn.Module):
        def __init__(self, c_in, c_out, mask, **kwargs):
            super().__init__()
            kernel_size = (mask.shape[0], mask.shape[1])
            dilation = 1 if "dilation" not in kwargs else kwargs["dilation"]
            padding = tuple(dilation * (kernel_size[i] - 1) // 2 for i in range(2))
            self.conv = nn.Conv2d(c_in, c_out, kernel_size, padding=padding, **kwargs)
            self.register_buffer("mask", mask[None, None])

        def forward(self, x):
            self.conv.weight.data *= self.mask  # Ensures zero's at masked positions
            return self.conv(x)

    class VerticalStackConvolution(MaskedConvolution):
        def __init__(self, c_in, c_out, kernel_size=3, mask_center=False, **kwargs):
            mask = torch.ones(kernel_size, kernel_size)
            mask[kernel_size // 2 + 1 :, :] = 0
            if mask_center:
                mask[kernel_size // 2, :] = 0
            super().__init__(c_in, c_out, mask, **kwargs)

    class HorizontalStackConvolution(MaskedConvolution):
        def __init__(self, c_in, c_out, kernel_size=3, mask_center=False, **kwargs):
            mask = torch.ones(1, kernel_size)
            mask[0, kernel_size // 2 + 1 :] = 0
            if mask_center:
                mask[0, kernel_size // 2] = 0
            super().__init__(c_in, c_out, mask, **kwargs)

    inp_img = torch.zeros(1, 1, 11, 11)
    inp_img.requires_grad_()
    fields = []

    def show_center_recep_field(img, out):
        loss = out[0, :, img.shape[2] // 2, img.shape[3] // 2].sum()
        loss.backward(retain_graph=True)
        img_grads = img.grad.abs()
        img.grad.fill_(0)
        img = img_grads.squeeze().cpu().numpy()
        fields.append(img)

    horiz_conv = HorizontalStackConvolution(c_in=1, c_out=1, kernel_size=3, mask_center=True)
    horiz_conv.conv.weight.data.fill_(1)
    horiz_conv.conv.bias.data.fill_(0)
    horiz_img = horiz_conv(inp_img)
    show_center_recep_field(inp_img, horiz_img)

    vert_conv = VerticalStackConvolution(c_in=1, c_out=1, kernel_size=3, mask_center=True)
    vert_conv.conv.weight.data.fill_(1)
    vert_conv.conv.bias.data.fill_(0)
    vert_img = vert_conv(inp_img)
    show_center_recep_field(inp_img, vert_img)

    horiz_img = vert_img + horiz_img
    show_center_recep_field(inp_img, horiz_img)

    horiz_conv = HorizontalStackConvolution(c_in=1, c_out=1, kernel_size=3, mask_center=False)
    horiz_conv.conv.weight.data.fill_(1)
    horiz_conv.conv.bias.data.fill_(0)
    vert_conv = VerticalStackConvolution(c_in=1, c_out=1, kernel_size=3, mask_center=False)
    vert_conv.conv.weight.data.fill_(1)
    vert_conv.conv.bias.data.fill_(0)
    for l_idx in range(4):
        vert_img = vert_conv(vert_img)
        horiz_img = horiz_conv(horiz_img) + vert_img
        show_center_recep_field(inp_img, horiz_img)

    class GatedMaskedConv(nn.Module):
        def __init__(self, c_in, **kwargs):
            super().__init__()
            self.conv_vert = VerticalStackConvolution(c_in, c_out=2 * c_in, **kwargs)
            self.conv_horiz = HorizontalStackConvolution(c_in, c_out=2 * c_in, **kwargs)
            self.conv_vert_to_horiz = nn.Conv2d(2 * c_in, 2 * c_in, kernel_size=1, padding=0)
            self.conv_horiz_1x1 = nn.Conv2d(c_in, c_in, kernel_size=1, padding=0)

        def forward(self, v_stack, h_stack):
            v_stack_feat = self.conv_vert(v_stack)
            v_val, v_gate = v_stack_feat.chunk(2, dim=1)
            v_stack_out = torch.tanh(v_val) * torch.sigmoid(v_gate)
            h_stack_feat = self.conv_horiz(h_stack)
            h_stack_feat = h_stack_feat + self.conv_vert_to_horiz(v_stack_feat)
            h_val, h_gate = h_stack_feat.chunk(2, dim=1)
            h_stack_feat = torch.tanh(h_val) * torch.sigmoid(h_gate)
            h_stack_out = self.conv_horiz_1x1(h_stack_feat)
            h_stack_out = h_stack_out + h_stack
            return v_stack_out, h_stack_out

    class PixelCNN(nn.Module):
        def __init__(self, c_in, c_hidden):
            super().__init__()
            self.conv_vstack = VerticalStackConvolution(c_in, c_hidden, mask_center=True)
            self.conv_hstack = HorizontalStackConvolution(c_in, c_hidden, mask_center=True)
            self.conv_layers = nn.ModuleList(
                [
                    GatedMaskedConv(c_hidden),
                    GatedMaskedConv(c_hidden, dilation=2),
                    GatedMaskedConv(c_hidden),
                    GatedMaskedConv(c_hidden, dilation=4),
                    GatedMaskedConv(c_hidden),
                    GatedMaskedConv(c_hidden, dilation=2),
                    GatedMaskedConv(c_hidden),
                ]
            )
            self.conv_out = nn.Conv2d(c_hidden, c_in * 256, kernel_size=1, padding=0)

        def forward(self, x):
            x = (x.float() / 255.0) * 2 - 1
            v_stack = self.conv_vstack(x)
            h_stack = self.conv_hstack(x)
            for layer in self.conv_layers:
                v_stack, h_stack = layer(v_stack, h_stack)
            out = self.conv_out(F.elu(h_stack))
            out = out.reshape(out.shape[0], 256, out.shape[1] // 256, out.shape[2], out.shape[3])
            return out

        def calc_likelihood(self, x):
            pred = self.forward(x)
            nll = F.cross_entropy(pred, x, reduction="none")
            bpd = nll.mean(dim=[1, 2, 3]) * np.log2(np.exp(1))
            return bpd.mean()

        @torch.no_grad()
        def sample(self, img_shape, img=None):
            if img is None:
                img = torch.zeros(img_shape, dtype=torch.long).to(device) - 1
            for h in range(img_shape[2]):
                for w in range(img_shape[3]):
                    for c in range(img_shape[1]):
                        if (img[:, c, h, w] != -1).all().item():
                            continue
                        pred = self.forward(img[:, :, : h + 1, :])
                        probs = F.softmax(pred[:, :, c, h, w], dim=-1)
                        img[:, c, h, w] = torch.multinomial(probs, num_samples=1).squeeze(dim=-1)
            return img

        def configure_optimizers(self):
            optimizer = optim.Adam(self.parameters(), lr=1e-3)
            scheduler = optim.lr_scheduler.StepLR(optimizer, 1, gamma=0.99)
            return [optimizer], [scheduler]

    imgs, labels = fake_images(torch, 8, (1, side, side), 4, seed=12, normalize=False)
    train_loader = data.DataLoader(data.TensorDataset(imgs, labels), batch_size=4, shuffle=False)

    test_model = PixelCNN(c_in=1, c_hidden=4)
    sync(test_model)
    inp = torch.zeros(1, 1, side, side)
    inp.requires_grad_()
    out = test_model(inp)
    show_center_recep_field(inp, out.squeeze(dim=2))
    del inp, out, test_model

    model = PixelCNN(c_in=1, c_hidden=4)
    sync(model)
    [optimizer], [scheduler] = model.configure_optimizers()
    losses = []
    for epoch in range(steps):
        model.train()
        for batch in train_loader:
            optimizer.zero_grad()
            loss = model.calc_likelihood(batch[0])
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
        scheduler.step()

    # the output at each pixel depends only on the pixels before it in raster order
    x = (imgs[:1].float() * 1.0).requires_grad_()
    pred = model.forward(x)
    dependence = []
    for h, w in ((0, 0), (2, 3), (side - 1, side - 1)):
        grad = torch.autograd.grad(pred[0, :, 0, h, w].sum(), x, retain_graph=True)[0]
        dependence.append(grad[0, 0].numpy())

    sampled = model.sample(img_shape=(2, 1, 4, 4))
    completed = imgs[:2].clone()
    completed[:, :, side - 2 :, :] = -1
    completed = model.sample(img_shape=completed.shape, img=completed)

    def autocomplete_image(img):
        img_init = img.clone()
        img_init[:, side - 2 :, :] = -1
        # the tutorial's .to(device) on a GPU copies the expanded tensor; on the CPU it does
        # not, and sampling writes into the expanded (shared-memory) tensor
        img_init = img_init.unsqueeze(dim=0).expand(3, -1, -1, -1).to(device)
        return model.sample(img_init.shape, img_init)

    try:
        autocomplete_image(imgs[0])
        expanded_error = None
    except RuntimeError as error:
        expanded_error = str(error)
    return {
        "expanded_error": expanded_error,
        "fields": fields,
        "losses": losses,
        "dependence": dependence,
        "sampled": sampled.numpy(),
        "completed": completed.numpy(),
        "orig": imgs[:2].numpy(),
        "masked_weight": model.conv_vstack.conv.weight.detach().numpy(),
    }
