# ruff: noqa: B007, B008, E741, N806 (the notebooks' own names: MATRIX, X_train, unused loop variables, a default loss)
"""Zero to Mastery "Learn PyTorch for Deep Learning" notebooks 00-04 (Daniel Bourke), shortened:
synthetic data in place of make_circles/make_blobs, FashionMNIST and pizza_steak_sushi, fewer
epochs, small widths. Written once against the names ``torch``, ``nn``, ``optim`` and ``data``
(``torch.utils.data``, so ``from torch.utils.data import DataLoader`` is ``data.DataLoader``);
the tests run them with our packages under those names and, when it is installed, with
PyTorch. Where a notebook prints, the script collects the printed lines.

Weights a result depends on pass through ``sync`` (see course_scripts.py).
"""

from __future__ import annotations

import os
import pathlib
import random
from pathlib import Path
from timeit import default_timer as timer
from typing import Any

import numpy as np

from .course_scripts import Sync


def accuracy_fn(torch: Any) -> Any:
    """helper_functions.accuracy_fn (the notebooks import it; its body uses ``torch.eq``)."""

    def accuracy_fn(y_true, y_pred):
        correct = torch.eq(y_true, y_pred).sum().item()
        acc = (correct / len(y_pred)) * 100
        return acc

    return accuracy_fn


# --- 00 PyTorch fundamentals ---


def fundamentals(torch: Any, nn: Any) -> dict:
    """Notebook 00: creating tensors, dtypes, attributes, arithmetic, matmul and its shape
    error, aggregation, reshape/view/stack/squeeze/permute, indexing, numpy round trips,
    reproducible seeds, devices."""
    out: dict = {}
    scalar = torch.tensor(7)
    out["scalar"] = (scalar.ndim, scalar.item(), str(scalar))
    vector = torch.tensor([7, 7])
    out["vector"] = (vector.ndim, tuple(vector.shape))
    MATRIX = torch.tensor([[7, 8], [9, 10]])
    out["matrix"] = (MATRIX.ndim, MATRIX[1].tolist(), str(MATRIX.shape))
    TENSOR = torch.tensor([[[1, 2, 3], [3, 6, 9], [2, 4, 5]]])
    out["tensor"] = (TENSOR.ndim, str(TENSOR.shape), TENSOR[0].tolist())

    random_tensor = torch.rand(size=(3, 4))
    out["random"] = (str(random_tensor.dtype), tuple(random_tensor.shape))
    random_image_size_tensor = torch.rand(size=(224, 224, 3))
    out["image"] = (str(random_image_size_tensor.shape), random_image_size_tensor.ndim)
    zeros = torch.zeros(size=(3, 4))
    ones = torch.ones(size=(3, 4))
    out["zeros_ones"] = (str(zeros.dtype), str(ones.dtype), (zeros * random_tensor).sum().item())
    zero_to_ten = torch.arange(start=0, end=10, step=1)
    ten_zeros = torch.zeros_like(input=zero_to_ten)
    out["arange"] = (zero_to_ten.tolist(), ten_zeros.tolist(), str(zero_to_ten.dtype))

    float_32_tensor = torch.tensor([3.0, 6.0, 9.0], dtype=None, device=None, requires_grad=False)
    float_16_tensor = torch.tensor([3.0, 6.0, 9.0], dtype=torch.float16)
    out["dtypes"] = (
        str(float_32_tensor.dtype),
        str(float_16_tensor.dtype),
        str((float_16_tensor * float_32_tensor).dtype),
        str(float_32_tensor.device),
    )
    some_tensor = torch.rand(3, 4)
    out["attributes"] = [
        f"Shape of tensor: {some_tensor.shape}",
        f"Datatype of tensor: {some_tensor.dtype}",
        f"Device tensor is stored on: {some_tensor.device}",
    ]

    tensor = torch.tensor([1, 2, 3])
    out["arithmetic"] = [
        (tensor + 10).tolist(),
        (tensor * 10).tolist(),
        (tensor - 10).tolist(),
        torch.multiply(tensor, 10).tolist(),
        torch.mul(tensor, 10).tolist(),
        torch.add(tensor, 10).tolist(),
        (tensor * tensor).tolist(),
        torch.matmul(tensor, tensor).item(),
        (tensor @ tensor).item(),
    ]
    value = 0
    for i in range(len(tensor)):
        value += tensor[i] * tensor[i]
    out["loop_matmul"] = value.item()

    tensor_A = torch.tensor([[1, 2], [3, 4], [5, 6]], dtype=torch.float32)
    tensor_B = torch.tensor([[7, 10], [8, 11], [9, 12]], dtype=torch.float32)
    try:
        torch.matmul(tensor_A, tensor_B)
        out["matmul_error"] = None
    except RuntimeError as error:
        out["matmul_error"] = str(error)
    out["transposed"] = (str(tensor_B.T.shape), torch.mm(tensor_A, tensor_B.T).tolist())
    output = torch.matmul(tensor_A, tensor_B.T)
    out["output_shape"] = str(output.shape)
    out["printed"] = [
        str(output),
        f"Multiplying: {tensor_A.shape} * {tensor_B.T.shape} <- inner dimensions match\n",
        str(MATRIX),
        str(TENSOR),
        str(torch.arange(10.0, 100.0, 10.0).type(torch.float16)),
        str(torch.arange(10.0, 100.0, 10.0).type(torch.int8)),
        str(float_32_tensor),
        str(torch.tensor([[1, 2], [3, 4], [5, 6]], dtype=torch.float32).T),
        str(torch.linspace(0, 1, 5, requires_grad=True) * 2),
    ]
    zero_to_ten_deprecated = torch.range(0, 10)  # Note: this may return an error in the future
    out["range"] = (zero_to_ten_deprecated.tolist(), str(zero_to_ten_deprecated.dtype))

    torch.manual_seed(42)
    linear = torch.nn.Linear(in_features=2, out_features=6)
    x = tensor_A
    output = linear(x)
    out["linear"] = (tuple(x.shape), tuple(output.shape), output.grad_fn is not None)

    x = torch.arange(0, 100, 10)
    out["aggregation"] = [
        x.min().item(),
        x.max().item(),
        x.type(torch.float32).mean().item(),
        x.sum().item(),
        torch.max(x).item(),
        torch.min(x).item(),
        torch.mean(x.type(torch.float32)).item(),
        torch.sum(x).item(),
        x.argmax().item(),
        x.argmin().item(),
    ]
    try:
        x.mean()
        out["mean_int_error"] = None
    except RuntimeError as error:
        out["mean_int_error"] = type(error).__name__

    tensor = torch.arange(10.0, 100.0, 10.0)
    tensor_float16 = tensor.type(torch.float16)
    tensor_int8 = tensor.type(torch.int8)
    out["types"] = (
        str(tensor.dtype),
        str(tensor_float16.dtype),
        str(tensor_int8.dtype),
        tensor_int8.tolist(),
    )

    x = torch.arange(1.0, 8.0)
    x_reshaped = x.reshape(1, 7)
    z = x.view(1, 7)
    z[:, 0] = 5
    x_stacked = torch.stack([x, x, x, x], dim=0)
    x_squeezed = x_reshaped.squeeze()
    x_unsqueezed = x_squeezed.unsqueeze(dim=0)
    x_original = torch.rand(size=(224, 224, 3))
    x_permuted = x_original.permute(2, 0, 1)
    x_original[0, 0, 0] = 728218
    out["reshaping"] = {
        "x": x.tolist(),
        "z": z.tolist(),
        "stacked": tuple(x_stacked.shape),
        "stacked_dim1": tuple(torch.stack([x, x], dim=1).shape),
        "squeezed": tuple(x_squeezed.shape),
        "unsqueezed": tuple(x_unsqueezed.shape),
        "permuted": tuple(x_permuted.shape),
        "permuted_shares": x_permuted[0, 0, 0].item(),
    }

    x = torch.arange(1, 10).reshape(1, 3, 3)
    out["indexing"] = [
        x[0].tolist(),
        x[0][0].tolist(),
        x[0][0][0].item(),
        x[:, 0].tolist(),
        x[:, :, 1].tolist(),
        x[:, 1, 1].tolist(),
        x[0, 0, :].tolist(),
        x[0][2][2].item(),
        x[:, :, 2].tolist(),
    ]

    array = np.arange(1.0, 8.0)
    tensor = torch.from_numpy(array)
    array = array + 1
    out["from_numpy"] = (str(tensor.dtype), tensor.tolist(), array.tolist())
    tensor = torch.ones(7)
    numpy_tensor = tensor.numpy()
    tensor = tensor + 1
    out["to_numpy"] = (str(numpy_tensor.dtype), numpy_tensor.tolist(), tensor.tolist())

    random_tensor_A = torch.rand(3, 4)
    random_tensor_B = torch.rand(3, 4)
    out["unseeded_equal"] = bool((random_tensor_A == random_tensor_B).any())
    RANDOM_SEED = 42
    torch.manual_seed(seed=RANDOM_SEED)
    random_tensor_C = torch.rand(3, 4)
    torch.random.manual_seed(seed=RANDOM_SEED)
    random_tensor_D = torch.rand(3, 4)
    out["seeded_equal"] = (random_tensor_C == random_tensor_D).tolist()

    device = "cuda" if torch.cuda.is_available() else "cpu"
    tensor = torch.tensor([1, 2, 3])
    tensor_on_gpu = tensor.to(device)
    tensor_back_on_cpu = tensor_on_gpu.cpu().numpy()
    out["device"] = (
        device,
        torch.cuda.device_count(),
        str(tensor_on_gpu.device),
        tensor_back_on_cpu.tolist(),
    )

    # exercises: seeded products, max/argmax, squeeze of a (1, 1, 1, 10) tensor
    torch.manual_seed(7)
    X = torch.rand(size=(7, 7))
    Y = torch.rand(size=(1, 7))
    Z = torch.matmul(X, Y.T)
    out["exercise"] = (tuple(Z.shape), Z.max().item() >= Z.min().item())
    tensor_E = torch.rand(size=(1, 1, 1, 10))
    tensor_F = tensor_E.squeeze()
    out["squeeze_exercise"] = (tuple(tensor_E.shape), tuple(tensor_F.shape))
    return out


# --- 01 PyTorch workflow ---


def workflow(torch: Any, nn: Any, optim: Any, sync: Sync, path: str) -> dict:
    """Notebook 01: the straight-line data, LinearRegressionModel with its own Parameters,
    inference_mode, L1Loss and SGD, the train/test loop collecting ``loss.detach().numpy()``,
    saving and loading the state_dict by Path, LinearRegressionModelV2 with nn.Linear."""
    device = "cuda" if torch.cuda.is_available() else "cpu"
    weight = 0.7
    bias = 0.3
    start = 0
    end = 1
    step = 0.02
    X = torch.arange(start, end, step).unsqueeze(dim=1)
    y = weight * X + bias
    train_split = int(0.8 * len(X))
    X_train, y_train = X[:train_split], y[:train_split]
    X_test, y_test = X[train_split:], y[train_split:]

    class LinearRegressionModel(nn.Module):
        def __init__(self):
            super().__init__()
            self.weights = nn.Parameter(torch.randn(1, dtype=torch.float), requires_grad=True)
            self.bias = nn.Parameter(torch.randn(1, dtype=torch.float), requires_grad=True)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return self.weights * x + self.bias

    torch.manual_seed(42)
    model_0 = LinearRegressionModel()
    sync(model_0)
    params = list(model_0.parameters())
    state_keys = list(model_0.state_dict().keys())
    with torch.inference_mode():
        y_preds = model_0(X_test)
    printed_tensors = [
        f"First 10 X and y:\n{X[:3]}\n{y[:3]}",
        str(params),
        f"Predicted values:\n{y_preds[:3]}",
    ]
    untrained = (y_test - y_preds).numpy()
    inference_flags = (y_preds.requires_grad, y_preds.grad_fn is None)

    loss_fn = nn.L1Loss()
    optimizer = optim.SGD(params=model_0.parameters(), lr=0.01)
    torch.manual_seed(42)
    epochs = 100
    train_loss_values = []
    test_loss_values = []
    epoch_count = []
    printed = []
    for epoch in range(epochs):
        model_0.train()
        y_pred = model_0(X_train)
        loss = loss_fn(y_pred, y_train)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        model_0.eval()
        with torch.inference_mode():
            test_pred = model_0(X_test)
            test_loss = loss_fn(test_pred, y_test.type(torch.float))
            if epoch % 10 == 0:
                epoch_count.append(epoch)
                train_loss_values.append(loss.detach().numpy())
                test_loss_values.append(test_loss.detach().numpy())
                printed.append(
                    f"Epoch: {epoch} | MAE Train Loss: {loss} | MAE Test Loss: {test_loss} "
                )

    learned = {k: np.asarray(v).tolist() for k, v in model_0.state_dict().items()}
    with torch.inference_mode():
        y_preds = model_0(X_test)

    MODEL_PATH = Path(path) / "models"
    MODEL_PATH.mkdir(parents=True, exist_ok=True)
    MODEL_NAME = "01_pytorch_workflow_model_0.pth"
    MODEL_SAVE_PATH = MODEL_PATH / MODEL_NAME
    torch.save(obj=model_0.state_dict(), f=MODEL_SAVE_PATH)
    loaded_model_0 = LinearRegressionModel()
    loaded_model_0.load_state_dict(torch.load(f=MODEL_SAVE_PATH))
    loaded_model_0.eval()
    with torch.inference_mode():
        loaded_model_preds = loaded_model_0(X_test)
    reloaded_equal = (y_preds == loaded_model_preds).tolist()

    class LinearRegressionModelV2(nn.Module):
        def __init__(self):
            super().__init__()
            self.linear_layer = nn.Linear(in_features=1, out_features=1)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return self.linear_layer(x)

    torch.manual_seed(42)
    model_1 = LinearRegressionModelV2()
    sync(model_1)
    before_device = str(next(model_1.parameters()).device)
    model_1.to(device)
    loss_fn = nn.L1Loss()
    optimizer = optim.SGD(params=model_1.parameters(), lr=0.01)
    torch.manual_seed(42)
    epochs = 300
    X_train = X_train.to(device)
    X_test = X_test.to(device)
    y_train = y_train.to(device)
    y_test = y_test.to(device)
    v2_losses = []
    for epoch in range(epochs):
        model_1.train()
        y_pred = model_1(X_train)
        loss = loss_fn(y_pred, y_train)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        model_1.eval()
        with torch.inference_mode():
            test_pred = model_1(X_test)
            test_loss = loss_fn(test_pred, y_test)
        if epoch % 100 == 0:
            v2_losses.append((loss.item(), test_loss.item()))
    return {
        "shapes": (tuple(X.shape), len(X_train), len(X_test)),
        "n_params": len(params),
        "printed_tensors": printed_tensors,
        "state_keys": state_keys,
        "untrained": untrained,
        "inference_flags": inference_flags,
        "train_loss_values": np.array(train_loss_values),
        "test_loss_values": np.array(test_loss_values),
        "epoch_count": epoch_count,
        "printed": printed,
        "learned": learned,
        "reloaded_equal": reloaded_equal,
        "file_exists": MODEL_SAVE_PATH.is_file(),
        "before_device": before_device,
        "v2_losses": v2_losses,
        "v2_state": {k: np.asarray(v).tolist() for k, v in model_1.state_dict().items()},
        "linear_repr": repr(model_1),
    }


# --- 02 neural network classification ---


def make_circles(n_samples: int, noise: float, seed: int) -> tuple:
    """sklearn.datasets.make_circles' construction (outer circle label 0, inner at factor 0.8
    label 1, Gaussian noise), shuffled, as numpy float64 arrays."""
    rs = np.random.RandomState(seed)
    n_out = n_samples // 2
    n_in = n_samples - n_out
    t_out = np.linspace(0, 2 * np.pi, n_out, endpoint=False)
    t_in = np.linspace(0, 2 * np.pi, n_in, endpoint=False)
    X = np.vstack([np.c_[np.cos(t_out), np.sin(t_out)], 0.8 * np.c_[np.cos(t_in), np.sin(t_in)]])
    y = np.hstack([np.zeros(n_out, dtype=np.int64), np.ones(n_in, dtype=np.int64)])
    order = rs.permutation(n_samples)
    X, y = X[order], y[order]
    return X + rs.normal(scale=noise, size=X.shape), y


def make_blobs(n_samples: int, centers: int, cluster_std: float, seed: int) -> tuple:
    """sklearn.datasets.make_blobs' construction in 2-D (centres uniform in [-10, 10])."""
    rs = np.random.RandomState(seed)
    means = rs.uniform(-10, 10, size=(centers, 2))
    y = rs.randint(0, centers, n_samples)
    return means[y] + rs.normal(scale=cluster_std, size=(n_samples, 2)), y


def classification(torch: Any, nn: Any, optim: Any, sync: Sync) -> dict:
    """Notebook 02: circles with BCEWithLogitsLoss, ``torch.round(torch.sigmoid(...))``,
    accuracy_fn, the linear model's failure and the ReLU model's success, hand-written relu and
    sigmoid, and the blobs multi-class model with CrossEntropyLoss and
    ``.type(torch.LongTensor)``."""
    acc_fn = accuracy_fn(torch)
    device = "cuda" if torch.cuda.is_available() else "cpu"
    n_samples = 1000
    X, y = make_circles(n_samples, noise=0.03, seed=42)
    X = torch.from_numpy(X).type(torch.float)
    y = torch.from_numpy(y).type(torch.float)
    split = int(0.8 * n_samples)
    X_train, X_test, y_train, y_test = X[:split], X[split:], y[:split], y[split:]

    class CircleModelV0(nn.Module):
        def __init__(self):
            super().__init__()
            self.layer_1 = nn.Linear(in_features=2, out_features=5)
            self.layer_2 = nn.Linear(in_features=5, out_features=1)

        def forward(self, x):
            return self.layer_2(self.layer_1(x))

    torch.manual_seed(42)
    model_0 = CircleModelV0().to(device)
    sync(model_0)
    untrained_preds = model_0(X_test.to(device))
    loss_fn = nn.BCEWithLogitsLoss()
    optimizer = optim.SGD(params=model_0.parameters(), lr=0.1)

    y_logits = model_0(X_test.to(device))[:5]
    y_pred_probs = torch.sigmoid(y_logits)
    y_preds = torch.round(y_pred_probs)
    y_pred_labels = torch.round(torch.sigmoid(model_0(X_test.to(device))[:5]))
    same = torch.eq(y_preds.squeeze(), y_pred_labels.squeeze()).tolist()
    printed_tensors = [
        f"First 5 X features:\n{X[:5]}",
        f"\nFirst 5 y labels:\n{y[:5]}",
        f"Values for one sample of X: {X[0]} and the same for y: {y[0]}",
        f"First 10 predictions:\n{untrained_preds[:10]}",
        str(y_logits),
        str(y_pred_probs),
        str(y_preds.squeeze()),
    ]

    def fit(model, optimizer, epochs):
        torch.manual_seed(42)
        printed = []
        for epoch in range(epochs):
            model.train()
            y_logits = model(X_train).squeeze()
            y_pred = torch.round(torch.sigmoid(y_logits))
            loss = loss_fn(y_logits, y_train)
            acc = acc_fn(y_true=y_train, y_pred=y_pred)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            model.eval()
            with torch.inference_mode():
                test_logits = model(X_test).squeeze()
                test_pred = torch.round(torch.sigmoid(test_logits))
                test_loss = loss_fn(test_logits, y_test)
                test_acc = acc_fn(y_true=y_test, y_pred=test_pred)
            if epoch % 10 == 0:
                printed.append(
                    f"Epoch: {epoch} | Loss: {loss:.5f}, Accuracy: {acc:.2f}% | "
                    f"Test loss: {test_loss:.5f}, Test acc: {test_acc:.2f}%"
                )
        return printed, test_acc

    printed_0, acc_0 = fit(model_0, optimizer, 100)

    class CircleModelV2(nn.Module):
        def __init__(self):
            super().__init__()
            self.layer_1 = nn.Linear(in_features=2, out_features=10)
            self.layer_2 = nn.Linear(in_features=10, out_features=10)
            self.layer_3 = nn.Linear(in_features=10, out_features=1)
            self.relu = nn.ReLU()

        def forward(self, x):
            return self.layer_3(self.relu(self.layer_2(self.relu(self.layer_1(x)))))

    torch.manual_seed(42)
    model_3 = CircleModelV2().to(device)
    sync(model_3)
    optimizer = optim.SGD(model_3.parameters(), lr=0.1)
    printed_3, acc_3 = fit(model_3, optimizer, 1000)
    model_3.eval()
    with torch.inference_mode():
        y_preds = torch.round(torch.sigmoid(model_3(X_test))).squeeze()

    A = torch.arange(-10, 10, 1, dtype=torch.float32)

    def relu(x):
        return torch.maximum(torch.tensor(0), x)

    def sigmoid(x):
        return 1 / (1 + torch.exp(-x))

    NUM_CLASSES = 4
    NUM_FEATURES = 2
    RANDOM_SEED = 42
    X_blob, y_blob = make_blobs(
        n_samples=200, centers=NUM_CLASSES, cluster_std=1.5, seed=RANDOM_SEED
    )
    X_blob = torch.from_numpy(X_blob).type(torch.float)
    y_blob = torch.from_numpy(y_blob).type(torch.LongTensor)
    X_blob_train, X_blob_test = X_blob[:160], X_blob[160:]
    y_blob_train, y_blob_test = y_blob[:160], y_blob[160:]

    class BlobModel(nn.Module):
        def __init__(self, input_features, output_features, hidden_units=8):
            super().__init__()
            self.linear_layer_stack = nn.Sequential(
                nn.Linear(in_features=input_features, out_features=hidden_units),
                nn.Linear(in_features=hidden_units, out_features=hidden_units),
                nn.Linear(in_features=hidden_units, out_features=output_features),
            )

        def forward(self, x):
            return self.linear_layer_stack(x)

    model_4 = BlobModel(
        input_features=NUM_FEATURES, output_features=NUM_CLASSES, hidden_units=8
    ).to(device)
    sync(model_4)
    loss_fn = nn.CrossEntropyLoss()
    optimizer = optim.SGD(model_4.parameters(), lr=0.1)
    y_logits = model_4(X_blob_test.to(device))
    y_pred_probs = torch.softmax(y_logits, dim=1)
    first_sum = torch.sum(y_pred_probs[0]).item()
    first_argmax = torch.argmax(y_pred_probs[0]).item()
    torch.manual_seed(42)
    blob_printed = []
    for epoch in range(100):
        model_4.train()
        y_logits = model_4(X_blob_train)
        y_pred = torch.softmax(y_logits, dim=1).argmax(dim=1)
        loss = loss_fn(y_logits, y_blob_train)
        acc = acc_fn(y_true=y_blob_train, y_pred=y_pred)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        model_4.eval()
        with torch.inference_mode():
            test_logits = model_4(X_blob_test)
            test_pred = torch.softmax(test_logits, dim=1).argmax(dim=1)
            test_loss = loss_fn(test_logits, y_blob_test)
            test_acc = acc_fn(y_true=y_blob_test, y_pred=test_pred)
        if epoch % 10 == 0:
            blob_printed.append(
                f"Epoch: {epoch} | Loss: {loss:.5f}, Acc: {acc:.2f}% | "
                f"Test Loss: {test_loss:.5f}, Test Acc: {test_acc:.2f}%"
            )

    def plot_decision_boundary(model: torch.nn.Module, X: torch.Tensor, y: torch.Tensor):
        """helper_functions.plot_decision_boundary without the plotting: the class predicted
        on a 101 x 101 grid around the data (numpy's meshgrid of tensor bounds)."""
        model.to("cpu")
        X, y = X.to("cpu"), y.to("cpu")
        x_min, x_max = X[:, 0].min() - 0.1, X[:, 0].max() + 0.1
        y_min, y_max = X[:, 1].min() - 0.1, X[:, 1].max() + 0.1
        xx, yy = np.meshgrid(np.linspace(x_min, x_max, 101), np.linspace(y_min, y_max, 101))
        X_to_pred_on = torch.from_numpy(np.column_stack((xx.ravel(), yy.ravel()))).float()
        model.eval()
        with torch.inference_mode():
            y_logits = model(X_to_pred_on)
        if len(torch.unique(y)) > 2:
            y_pred = torch.softmax(y_logits, dim=1).argmax(dim=1)  # mutli-class
        else:
            y_pred = torch.round(torch.sigmoid(y_logits))  # binary
        y_pred = y_pred.reshape(xx.shape).detach().numpy()
        return xx, yy, y_pred

    return {
        "boundary_circles": plot_decision_boundary(model_3, X_test, y_test),
        "boundary_blobs": plot_decision_boundary(model_4, X_blob_test, y_blob_test),
        "dtypes": (str(X.dtype), str(y.dtype), str(y_blob.dtype)),
        "untrained_shape": tuple(untrained_preds.shape),
        "printed_tensors": printed_tensors,
        "same": same,
        "printed_0": printed_0,
        "acc_0": acc_0,
        "printed_3": printed_3,
        "acc_3": acc_3,
        "y_preds": y_preds.numpy(),
        "relu": relu(A).tolist(),
        "relu_dtype": str(relu(A).dtype),
        "sigmoid": sigmoid(A).numpy(),
        "first_sum": first_sum,
        "first_argmax": first_argmax,
        "blob_printed": blob_printed,
        "blob_acc": test_acc,
    }


# --- 03 computer vision ---


def computer_vision(torch: Any, nn: Any, optim: Any, data: Any, sync: Sync, path: str) -> dict:
    """Notebook 03: a FashionMNIST-shaped dataset, DataLoader batches, nn.Flatten, the linear
    baseline, ``train_loss += loss`` (a graph summed across batches, then divided in place),
    eval_model, train_step/test_step, TinyVGG (FashionMNISTModelV2), an unbatched Conv2d call,
    make_predictions over ``random.sample(list(test_data), k=9)``, saving and reloading."""
    acc_fn = accuracy_fn(torch)
    device = "cuda" if torch.cuda.is_available() else "cpu"
    DataLoader = data.DataLoader

    class FashionMNIST(data.Dataset):
        """The torchvision dataset's interface on synthetic 28x28 images (ToTensor: floats in
        [0, 1], shape (1, 28, 28); int labels)."""

        classes = [
            "T-shirt/top",
            "Trouser",
            "Pullover",
            "Dress",
            "Coat",
            "Sandal",
            "Shirt",
            "Sneaker",
            "Bag",
            "Ankle boot",
        ]

        def __init__(self, train: bool):
            rs = np.random.RandomState(0 if train else 1)
            n = 96 if train else 32
            self.targets = rs.randint(0, 10, n)
            pattern = np.random.RandomState(3).rand(10, 28, 28)
            self.data = (0.5 * pattern[self.targets] + 0.5 * rs.rand(n, 28, 28)) * 255

        def __len__(self):
            return len(self.targets)

        def __getitem__(self, index):
            img = torch.tensor(self.data[index][None] / 255.0, dtype=torch.float32)
            return img, int(self.targets[index])

    train_data, test_data = FashionMNIST(train=True), FashionMNIST(train=False)
    image, label = train_data[0]
    class_names = train_data.classes
    BATCH_SIZE = 32
    train_dataloader = DataLoader(train_data, batch_size=BATCH_SIZE, shuffle=True)
    test_dataloader = DataLoader(test_data, batch_size=BATCH_SIZE, shuffle=False)
    train_features_batch, train_labels_batch = next(iter(train_dataloader))
    flatten_model = nn.Flatten()
    x = train_features_batch[0]
    output = flatten_model(x)
    out: dict = {
        "image": (tuple(image.shape), label, class_names[label]),
        "loaders": (len(train_dataloader), len(test_dataloader)),
        "batch": (
            tuple(train_features_batch.shape),
            tuple(train_labels_batch.shape),
            str(train_labels_batch.dtype),
        ),
        "flatten": (tuple(x.shape), tuple(output.shape)),
    }

    class FashionMNISTModelV0(nn.Module):
        def __init__(self, input_shape: int, hidden_units: int, output_shape: int):
            super().__init__()
            self.layer_stack = nn.Sequential(
                nn.Flatten(),
                nn.Linear(in_features=input_shape, out_features=hidden_units),
                nn.Linear(in_features=hidden_units, out_features=output_shape),
            )

        def forward(self, x):
            return self.layer_stack(x)

    torch.manual_seed(42)
    model_0 = FashionMNISTModelV0(
        input_shape=784, hidden_units=10, output_shape=len(class_names)
    ).to("cpu")
    sync(model_0)
    loss_fn = nn.CrossEntropyLoss()
    optimizer = optim.SGD(params=model_0.parameters(), lr=0.1)

    def print_train_time(start: float, end: float, device: torch.device = None):
        total_time = end - start
        return total_time

    torch.manual_seed(42)
    train_time_start_on_cpu = timer()
    epochs = 2
    printed = []
    for epoch in range(epochs):
        printed.append(f"Epoch: {epoch}\n-------")
        train_loss = 0
        for batch, (X, y) in enumerate(train_dataloader):
            model_0.train()
            y_pred = model_0(X)
            loss = loss_fn(y_pred, y)
            train_loss += loss
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            if batch % 2 == 0:
                printed.append(
                    f"Looked at {batch * len(X)}/{len(train_dataloader.dataset)} samples"
                )
        train_loss /= len(train_dataloader)
        test_loss, test_acc = 0, 0
        model_0.eval()
        with torch.inference_mode():
            for X, y in test_dataloader:
                test_pred = model_0(X)
                test_loss += loss_fn(test_pred, y)
                test_acc += acc_fn(y_true=y, y_pred=test_pred.argmax(dim=1))
            test_loss /= len(test_dataloader)
            test_acc /= len(test_dataloader)
        printed.append(
            f"\nTrain loss: {train_loss:.5f} | Test loss: {test_loss:.5f}, "
            f"Test acc: {test_acc:.2f}%\n"
        )
    train_time_end_on_cpu = timer()
    total_train_time_model_0 = print_train_time(
        start=train_time_start_on_cpu,
        end=train_time_end_on_cpu,
        device=str(next(model_0.parameters()).device),
    )
    out["printed_0"] = printed
    out["train_loss_grad_fn"] = (
        type(train_loss.grad_fn).__name__ if train_loss.grad_fn is not None else None
    )
    out["train_time"] = total_train_time_model_0 > 0

    def eval_model(
        model: torch.nn.Module,
        data_loader: torch.utils.data.DataLoader,
        loss_fn: torch.nn.Module,
        accuracy_fn,
    ):
        loss, acc = 0, 0
        model.eval()
        with torch.inference_mode():
            for X, y in data_loader:
                y_pred = model(X)
                loss += loss_fn(y_pred, y)
                acc += accuracy_fn(y_true=y, y_pred=y_pred.argmax(dim=1))
            loss /= len(data_loader)
            acc /= len(data_loader)
        return {"model_name": model.__class__.__name__, "model_loss": loss.item(), "model_acc": acc}

    model_0_results = eval_model(
        model=model_0, data_loader=test_dataloader, loss_fn=loss_fn, accuracy_fn=acc_fn
    )
    out["model_0_results"] = model_0_results

    def train_step(
        model: torch.nn.Module,
        data_loader: torch.utils.data.DataLoader,
        loss_fn: torch.nn.Module,
        optimizer: torch.optim.Optimizer,
        accuracy_fn,
        device: torch.device = device,
    ):
        train_loss, train_acc = 0, 0
        model.to(device)
        for batch, (X, y) in enumerate(data_loader):
            X, y = X.to(device), y.to(device)
            y_pred = model(X)
            loss = loss_fn(y_pred, y)
            train_loss += loss
            train_acc += accuracy_fn(y_true=y, y_pred=y_pred.argmax(dim=1))
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        train_loss /= len(data_loader)
        train_acc /= len(data_loader)
        return f"Train loss: {train_loss:.5f} | Train accuracy: {train_acc:.2f}%"

    def test_step(
        data_loader: torch.utils.data.DataLoader,
        model: torch.nn.Module,
        loss_fn: torch.nn.Module,
        accuracy_fn,
        device: torch.device = device,
    ):
        test_loss, test_acc = 0, 0
        model.to(device)
        model.eval()
        with torch.inference_mode():
            for X, y in data_loader:
                X, y = X.to(device), y.to(device)
                test_pred = model(X)
                test_loss += loss_fn(test_pred, y)
                test_acc += accuracy_fn(y_true=y, y_pred=test_pred.argmax(dim=1))
            test_loss /= len(data_loader)
            test_acc /= len(data_loader)
            return f"Test loss: {test_loss:.5f} | Test accuracy: {test_acc:.2f}%\n"

    class FashionMNISTModelV1(nn.Module):
        def __init__(self, input_shape: int, hidden_units: int, output_shape: int):
            super().__init__()
            self.layer_stack = nn.Sequential(
                nn.Flatten(),
                nn.Linear(in_features=input_shape, out_features=hidden_units),
                nn.ReLU(),
                nn.Linear(in_features=hidden_units, out_features=output_shape),
                nn.ReLU(),
            )

        def forward(self, x: torch.Tensor):
            return self.layer_stack(x)

    class FashionMNISTModelV2(nn.Module):
        """Model architecture copying TinyVGG from: https://poloclub.github.io/cnn-explainer/"""

        def __init__(self, input_shape: int, hidden_units: int, output_shape: int):
            super().__init__()
            self.block_1 = nn.Sequential(
                nn.Conv2d(
                    in_channels=input_shape,
                    out_channels=hidden_units,
                    kernel_size=3,
                    stride=1,
                    padding=1,
                ),
                nn.ReLU(),
                nn.Conv2d(
                    in_channels=hidden_units,
                    out_channels=hidden_units,
                    kernel_size=3,
                    stride=1,
                    padding=1,
                ),
                nn.ReLU(),
                nn.MaxPool2d(kernel_size=2, stride=2),
            )
            self.block_2 = nn.Sequential(
                nn.Conv2d(hidden_units, hidden_units, 3, padding=1),
                nn.ReLU(),
                nn.Conv2d(hidden_units, hidden_units, 3, padding=1),
                nn.ReLU(),
                nn.MaxPool2d(2),
            )
            self.classifier = nn.Sequential(
                nn.Flatten(),
                nn.Linear(in_features=hidden_units * 7 * 7, out_features=output_shape),
            )

        def forward(self, x: torch.Tensor):
            x = self.block_1(x)
            x = self.block_2(x)
            x = self.classifier(x)
            return x

    results = {}
    for name, model_class, lr in (
        ("model_1", FashionMNISTModelV1, 0.1),
        ("model_2", FashionMNISTModelV2, 0.1),
    ):
        torch.manual_seed(42)
        model = model_class(
            input_shape=784 if name == "model_1" else 1,
            hidden_units=10 if name == "model_1" else 4,
            output_shape=len(class_names),
        ).to(device)
        sync(model)
        loss_fn = nn.CrossEntropyLoss()
        optimizer = optim.SGD(params=model.parameters(), lr=lr)
        lines = []
        for epoch in range(2):
            lines.append(f"Epoch: {epoch}\n---------")
            lines.append(
                train_step(
                    data_loader=train_dataloader,
                    model=model,
                    loss_fn=loss_fn,
                    optimizer=optimizer,
                    accuracy_fn=acc_fn,
                )
            )
            lines.append(
                test_step(
                    data_loader=test_dataloader, model=model, loss_fn=loss_fn, accuracy_fn=acc_fn
                )
            )
        results[name] = (
            model,
            lines,
            eval_model(
                model=model, data_loader=test_dataloader, loss_fn=loss_fn, accuracy_fn=acc_fn
            ),
        )
    model_2 = results["model_2"][0]
    out["printed_1"], out["model_1_results"] = results["model_1"][1], results["model_1"][2]
    out["printed_2"], out["model_2_results"] = results["model_2"][1], results["model_2"][2]

    torch.manual_seed(42)
    images = torch.randn(size=(32, 3, 64, 64))
    test_image = images[0]
    conv_layer = nn.Conv2d(in_channels=3, out_channels=10, kernel_size=3, stride=1, padding=0)
    unbatched = conv_layer(test_image)
    batched = conv_layer(test_image.unsqueeze(dim=0))
    conv_layer_2 = nn.Conv2d(
        in_channels=3, out_channels=10, kernel_size=(5, 5), stride=2, padding=0
    )
    max_pool_layer = nn.MaxPool2d(kernel_size=2)
    test_image_through_conv = conv_layer(test_image.unsqueeze(dim=0))
    test_image_through_conv_and_max_pool = max_pool_layer(test_image_through_conv)
    random_tensor = torch.tensor([[[[0.3367, 0.1288], [0.2345, 0.2303]]]])
    max_pool_tensor = max_pool_layer(random_tensor)
    out["conv"] = {
        "unbatched": tuple(unbatched.shape),
        "unbatched_equal": bool(torch.allclose(unbatched, batched.squeeze(dim=0), atol=1e-6)),
        "conv_2": tuple(conv_layer_2(test_image.unsqueeze(dim=0)).shape),
        "conv_2_params": (tuple(conv_layer_2.weight.shape), tuple(conv_layer_2.bias.shape)),
        "state_keys": list(conv_layer_2.state_dict().keys()),
        "pooled": (
            tuple(test_image_through_conv.shape),
            tuple(test_image_through_conv_and_max_pool.shape),
        ),
        "max_pool": (max_pool_tensor.item(), tuple(max_pool_tensor.shape)),
    }

    def make_predictions(model: torch.nn.Module, data: list, device: torch.device = device):
        pred_probs = []
        model.eval()
        with torch.inference_mode():
            for sample in data:
                sample = torch.unsqueeze(sample, dim=0).to(device)
                pred_logit = model(sample)
                pred_prob = torch.softmax(pred_logit.squeeze(), dim=0)
                pred_probs.append(pred_prob.cpu())
        return torch.stack(pred_probs)

    random.seed(42)
    test_samples = []
    test_labels = []
    for sample, label in random.sample(list(test_data), k=9):
        test_samples.append(sample)
        test_labels.append(label)
    pred_probs = make_predictions(model=model_2, data=test_samples)
    pred_classes = pred_probs.argmax(dim=1)
    out["predictions"] = (
        pred_probs.numpy(),
        pred_classes.tolist(),
        test_labels,
        [class_names[c] for c in pred_classes],
    )

    y_preds = []
    model_2.eval()
    with torch.inference_mode():
        for X, y in test_dataloader:
            X, y = X.to(device), y.to(device)
            y_logit = model_2(X)
            y_pred = torch.softmax(y_logit, dim=1).argmax(dim=1)
            y_preds.append(y_pred.cpu())
    y_pred_tensor = torch.cat(y_preds)
    out["y_pred_tensor"] = y_pred_tensor.tolist()

    MODEL_PATH = Path(path) / "models"
    MODEL_PATH.mkdir(parents=True, exist_ok=True)
    MODEL_SAVE_PATH = MODEL_PATH / "03_pytorch_computer_vision_model_2.pth"
    torch.save(obj=model_2.state_dict(), f=MODEL_SAVE_PATH)
    loaded_model_2 = FashionMNISTModelV2(input_shape=1, hidden_units=4, output_shape=10)
    loaded_model_2.load_state_dict(torch.load(f=MODEL_SAVE_PATH))
    loaded_model_2 = loaded_model_2.to(device)
    torch.manual_seed(42)
    loaded_model_2_results = eval_model(
        model=loaded_model_2, data_loader=test_dataloader, loss_fn=loss_fn, accuracy_fn=acc_fn
    )
    out["reloaded_close"] = bool(
        torch.isclose(
            torch.tensor(out["model_2_results"]["model_loss"]),
            torch.tensor(loaded_model_2_results["model_loss"]),
            atol=1e-08,
            rtol=0.0001,
        )
    )
    return out


# --- 04 custom datasets ---


def write_pizza_steak_sushi(path: str, n_per_class: int = 4, side: int = 20) -> pathlib.Path:
    """A tiny pizza_steak_sushi tree of PNG files (train/test, one folder per class), each
    class its own colour plus noise, written with PIL."""
    from PIL import Image

    image_path = Path(path) / "data" / "pizza_steak_sushi"
    rs = np.random.RandomState(4)
    colours = {"pizza": (200, 60, 40), "steak": (120, 70, 50), "sushi": (230, 230, 220)}
    for split in ("train", "test"):
        for cls, colour in colours.items():
            folder = image_path / split / cls
            folder.mkdir(parents=True, exist_ok=True)
            for i in range(n_per_class if split == "train" else n_per_class // 2):
                pixels = np.clip(np.array(colour) + rs.normal(0, 40, (side, side, 3)), 0, 255)
                Image.fromarray(pixels.astype(np.uint8)).save(folder / f"{i}.png")
    return image_path


def custom_datasets(torch: Any, nn: Any, optim: Any, data: Any, sync: Sync, path: str) -> dict:
    """Notebook 04: walking the image folders, find_classes with os.scandir, ImageFolderCustom
    subclassing Dataset (PIL images, a transform), DataLoader, TinyVGG, train_step/test_step/
    train with Adam, predicting on a custom image and ``class_names[label.cpu()]``."""
    from PIL import Image

    device = "cuda" if torch.cuda.is_available() else "cpu"
    DataLoader = data.DataLoader
    Dataset = data.Dataset
    image_path = write_pizza_steak_sushi(path)
    walked = []

    def walk_through_dir(dir_path):
        for dirpath, dirnames, filenames in os.walk(dir_path):
            walked.append(
                f"There are {len(dirnames)} directories and {len(filenames)} images in '{dirpath}'."
            )

    walk_through_dir(image_path)
    train_dir = image_path / "train"
    test_dir = image_path / "test"
    random.seed(42)
    image_path_list = sorted(image_path.glob("*/*/*.png"))
    random_image_path = random.choice(image_path_list)
    image_class = random_image_path.parent.stem
    img = Image.open(random_image_path)
    img_as_array = np.asarray(img)

    def data_transform(img):
        """transforms.Compose([transforms.Resize(size=(16, 16)), transforms.ToTensor()])."""
        img = img.resize((16, 16), resample=Image.BILINEAR)
        return torch.tensor(np.asarray(img, dtype=np.float32) / 255.0).permute(2, 0, 1)

    def find_classes(directory: str) -> tuple[list[str], dict[str, int]]:
        classes = sorted(entry.name for entry in os.scandir(directory) if entry.is_dir())
        if not classes:
            raise FileNotFoundError(f"Couldn't find any classes in {directory}.")
        class_to_idx = {cls_name: i for i, cls_name in enumerate(classes)}
        return classes, class_to_idx

    class ImageFolderCustom(Dataset):
        def __init__(self, targ_dir: str, transform=None) -> None:
            self.paths = sorted(pathlib.Path(targ_dir).glob("*/*.png"))
            self.transform = transform
            self.classes, self.class_to_idx = find_classes(targ_dir)

        def load_image(self, index: int) -> Image.Image:
            image_path = self.paths[index]
            return Image.open(image_path)

        def __len__(self) -> int:
            return len(self.paths)

        def __getitem__(self, index: int) -> tuple[torch.Tensor, int]:
            img = self.load_image(index)
            class_name = self.paths[index].parent.name
            class_idx = self.class_to_idx[class_name]
            if self.transform:
                return self.transform(img), class_idx
            else:
                return img, class_idx

    train_data_custom = ImageFolderCustom(targ_dir=train_dir, transform=data_transform)
    test_data_custom = ImageFolderCustom(targ_dir=test_dir, transform=data_transform)
    class_names = train_data_custom.classes
    img0, label0 = train_data_custom[0]
    img_permute = img0.permute(1, 2, 0)
    train_dataloader_custom = DataLoader(
        dataset=train_data_custom, batch_size=4, num_workers=0, shuffle=True
    )
    test_dataloader_custom = DataLoader(
        dataset=test_data_custom, batch_size=4, num_workers=0, shuffle=False
    )
    img_custom, label_custom = next(iter(train_dataloader_custom))
    out: dict = {
        "walked": [line.replace(str(image_path), "<root>") for line in walked],
        "random_image": (image_class, img_as_array.shape, str(img_as_array.dtype)),
        "classes": (
            class_names,
            train_data_custom.class_to_idx,
            len(train_data_custom),
            len(test_data_custom),
        ),
        "item": (tuple(img0.shape), label0, tuple(img_permute.shape), str(img0.dtype)),
        "batch": (
            tuple(img_custom.shape),
            label_custom.tolist().__class__.__name__,
            str(label_custom.dtype),
        ),
    }
    try:
        find_classes(str(image_path / "train" / "pizza"))
        out["no_classes"] = None
    except FileNotFoundError as error:
        out["no_classes"] = str(error).replace(str(image_path), "<root>")

    class TinyVGG(nn.Module):
        def __init__(self, input_shape: int, hidden_units: int, output_shape: int) -> None:
            super().__init__()
            self.conv_block_1 = nn.Sequential(
                nn.Conv2d(
                    in_channels=input_shape,
                    out_channels=hidden_units,
                    kernel_size=3,
                    stride=1,
                    padding=1,
                ),
                nn.ReLU(),
                nn.Conv2d(
                    in_channels=hidden_units,
                    out_channels=hidden_units,
                    kernel_size=3,
                    stride=1,
                    padding=1,
                ),
                nn.ReLU(),
                nn.MaxPool2d(kernel_size=2, stride=2),
            )
            self.conv_block_2 = nn.Sequential(
                nn.Conv2d(hidden_units, hidden_units, kernel_size=3, padding=1),
                nn.ReLU(),
                nn.Conv2d(hidden_units, hidden_units, kernel_size=3, padding=1),
                nn.ReLU(),
                nn.MaxPool2d(2),
            )
            self.classifier = nn.Sequential(
                nn.Flatten(),
                nn.Linear(in_features=hidden_units * 4 * 4, out_features=output_shape),
            )

        def forward(self, x: torch.Tensor):
            return self.classifier(self.conv_block_2(self.conv_block_1(x)))

    torch.manual_seed(42)
    model_0 = TinyVGG(
        input_shape=3, hidden_units=4, output_shape=len(train_data_custom.classes)
    ).to(device)
    sync(model_0)
    img_batch, label_batch = next(iter(test_dataloader_custom))
    img_single, label_single = img_batch[0].unsqueeze(dim=0), label_batch[0]
    model_0.eval()
    with torch.inference_mode():
        pred = model_0(img_single.to(device))
    out["single"] = (
        tuple(img_single.shape),
        pred.numpy(),
        torch.softmax(pred, dim=1).numpy(),
        torch.argmax(torch.softmax(pred, dim=1), dim=1).tolist(),
        class_names[label_single],
    )

    def train_step(
        model: torch.nn.Module,
        dataloader: torch.utils.data.DataLoader,
        loss_fn: torch.nn.Module,
        optimizer: torch.optim.Optimizer,
    ):
        model.train()
        train_loss, train_acc = 0, 0
        for batch, (X, y) in enumerate(dataloader):
            X, y = X.to(device), y.to(device)
            y_pred = model(X)
            loss = loss_fn(y_pred, y)
            train_loss += loss.item()
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            y_pred_class = torch.argmax(torch.softmax(y_pred, dim=1), dim=1)
            train_acc += (y_pred_class == y).sum().item() / len(y_pred)
        train_loss = train_loss / len(dataloader)
        train_acc = train_acc / len(dataloader)
        return train_loss, train_acc

    def test_step(
        model: torch.nn.Module, dataloader: torch.utils.data.DataLoader, loss_fn: torch.nn.Module
    ):
        model.eval()
        test_loss, test_acc = 0, 0
        with torch.inference_mode():
            for batch, (X, y) in enumerate(dataloader):
                X, y = X.to(device), y.to(device)
                test_pred_logits = model(X)
                loss = loss_fn(test_pred_logits, y)
                test_loss += loss.item()
                test_pred_labels = test_pred_logits.argmax(dim=1)
                test_acc += (test_pred_labels == y).sum().item() / len(test_pred_labels)
        test_loss = test_loss / len(dataloader)
        test_acc = test_acc / len(dataloader)
        return test_loss, test_acc

    def train(
        model: torch.nn.Module,
        train_dataloader: torch.utils.data.DataLoader,
        test_dataloader: torch.utils.data.DataLoader,
        optimizer: torch.optim.Optimizer,
        loss_fn: torch.nn.Module = nn.CrossEntropyLoss(),
        epochs: int = 5,
    ):
        results = {"train_loss": [], "train_acc": [], "test_loss": [], "test_acc": []}
        printed = []
        for epoch in range(epochs):
            train_loss, train_acc = train_step(
                model=model, dataloader=train_dataloader, loss_fn=loss_fn, optimizer=optimizer
            )
            test_loss, test_acc = test_step(
                model=model, dataloader=test_dataloader, loss_fn=loss_fn
            )
            printed.append(
                f"Epoch: {epoch + 1} | train_loss: {train_loss:.4f} | train_acc: {train_acc:.4f} | "
                f"test_loss: {test_loss:.4f} | test_acc: {test_acc:.4f}"
            )
            results["train_loss"].append(train_loss)
            results["train_acc"].append(train_acc)
            results["test_loss"].append(test_loss)
            results["test_acc"].append(test_acc)
        return results, printed

    torch.manual_seed(42)
    torch.cuda.manual_seed(42)
    NUM_EPOCHS = 5
    loss_fn = nn.CrossEntropyLoss()
    optimizer = optim.Adam(params=model_0.parameters(), lr=0.01)
    start_time = timer()
    model_0_results, printed = train(
        model=model_0,
        train_dataloader=train_dataloader_custom,
        test_dataloader=test_dataloader_custom,
        optimizer=optimizer,
        loss_fn=loss_fn,
        epochs=NUM_EPOCHS,
    )
    end_time = timer()
    out["results"], out["printed"], out["timed"] = model_0_results, printed, end_time > start_time

    # predicting on a custom image (torchvision.io.read_image gives uint8 (C, H, W))
    custom_image_path = image_path / "custom.png"
    Image.fromarray(np.full((24, 24, 3), (210, 70, 45), dtype=np.uint8)).save(custom_image_path)
    custom_image_uint8 = torch.from_numpy(np.asarray(Image.open(custom_image_path)).copy()).permute(
        2, 0, 1
    )
    custom_image = custom_image_uint8.type(torch.float32) / 255.0
    custom_image_transformed = torch.nn.functional.interpolate(
        custom_image.unsqueeze(0), size=(16, 16), mode="bilinear", align_corners=False
    ).squeeze(0)
    model_0.eval()
    with torch.inference_mode():
        custom_image_pred = model_0(custom_image_transformed.unsqueeze(dim=0).to(device))
    custom_image_pred_probs = torch.softmax(custom_image_pred, dim=1)
    custom_image_pred_label = torch.argmax(custom_image_pred_probs, dim=1)
    custom_image_pred_class = class_names[custom_image_pred_label.cpu()]
    out["custom"] = (
        str(custom_image_uint8.dtype),
        tuple(custom_image_uint8.shape),
        tuple(custom_image_transformed.shape),
        custom_image_pred_probs.numpy(),
        custom_image_pred_class,
    )
    return out
