"""PyTorch's beginner tutorials run with our packages under torch's names: properties that
hold without PyTorch, and, when PyTorch is installed, PyTorch's numbers given its initial
values."""

from __future__ import annotations

import numpy as np

import autograd
import nn
import nn.functional as F
import nn.utils.data as data
import optim
from tests.autograd.torch_style_functions import build

from . import tutorial_basics_scripts as scripts
from .test_course_scripts import both, close, no_sync

# --- Learning PyTorch with Examples ---


def test_polynomial_tensors_manual_gradients_agree_with_autograd():
    autograd.manual_seed(0)
    out = scripts.polynomial_tensors(autograd, no_sync)
    close(out["manual"], out["autograd"], rtol=1e-10)
    close(out["manual_coeffs"], out["autograd_coeffs"], rtol=1e-10)
    assert out["manual"][-1] < out["manual"][0]
    assert out["leaf"] == [True, True, True]  # updated in place under no_grad, grad reset


def test_polynomial_tensors_match_torch():
    ours, theirs = both(lambda L, sync: scripts.polynomial_tensors(L[0], sync))
    for key in ("manual", "manual_coeffs", "autograd", "autograd_coeffs", "leaf"):
        close(ours[key], theirs[key], rtol=1e-10)


def test_legendre_custom_function_fits_and_differentiates():
    out = scripts.legendre_custom_function(autograd)
    assert out["losses"][-1] < out["losses"][0]
    x = np.array([0.25, -0.5])
    close(out["probe_grad"], 1.5 * (5 * x**2 - 1), rtol=1e-12)  # P3'(x)
    assert out["grad_fn"] == "AddBackward0"


def test_legendre_custom_function_matches_torch():
    ours, theirs = both(lambda L, sync: scripts.legendre_custom_function(L[0]))
    close(ours["losses"], theirs["losses"], rtol=1e-10)
    close(ours["coeffs"], theirs["coeffs"], rtol=1e-10)
    assert ours["grad_fn"] == theirs["grad_fn"]


def test_polynomial_nn_features_and_training():
    autograd.manual_seed(0)
    out = scripts.polynomial_nn(autograd, no_sync)
    assert out["xx_dtype"] == "float32" and out["xx_shape"] == (2000, 3)
    assert out["y_pred_shape"] == (2000,)  # Flatten(0, 1) of (2000, 1)
    assert out["manual"][-1] < out["manual"][0] and out["optim"][-1] < out["optim"][0]
    assert out["result"].startswith("Result: y = ")


def test_polynomial_nn_matches_torch():
    ours, theirs = both(lambda L, sync: scripts.polynomial_nn(L[0], sync))
    assert ours["xx_dtype"] == theirs["xx_dtype"]
    assert ours["y_pred_shape"] == theirs["y_pred_shape"]
    for key in ("manual", "optim", "weight"):
        close(ours[key], theirs[key], rtol=1e-4)


def test_polynomial_modules_share_the_weight():
    autograd.manual_seed(0)
    out = scripts.polynomial_modules(autograd, no_sync)
    assert out["names"] == ["a", "b", "c", "d", "e"]
    assert out["poly"][-1] < out["poly"][0] and np.isfinite(out["dynamic"]).all()
    assert out["poly_string"].startswith("y = ") and " x^4 ? + " in out["dynamic_string"]


def test_polynomial_modules_match_torch():
    ours, theirs = both(lambda L, sync: scripts.polynomial_modules(L[0], sync))
    assert ours["names"] == theirs["names"]
    for key in ("poly", "dynamic", "e"):
        close(ours[key], theirs[key], rtol=1e-4)


# --- What is torch.nn really? ---


def test_nn_really_every_refactoring_step_trains():
    autograd.manual_seed(0)
    out = scripts.nn_really(autograd, nn, F, optim, data, no_sync)
    assert out["shapes"] == [(64, 784), 0, 9] and out["preds_grad_fn"]
    close(np.exp(out["preds0"]).sum(), 1.0, rtol=1e-5)  # the hand-written log_softmax
    loss0, acc0 = out["first"]
    assert out["manual"][0] < loss0 and out["manual"][1] >= acc0
    for key in ("valid", "fit", "cnn", "sequential", "adaptive"):
        assert len(out[key]) == 2 and np.isfinite(out[key]).all()
    assert out["adaptive_grad"] is None  # opt.zero_grad() sets grads to None
    assert out["dev"] == "cpu"


def test_nn_really_matches_torch():
    ours, theirs = both(lambda L, sync: scripts.nn_really(L[0], L[1], L[2], L[3], L[4], sync))
    assert ours["shapes"] == theirs["shapes"] and ours["dev"] == theirs["dev"]
    for key in ("preds0", "first", "manual", "manual_weights", "cross_entropy"):
        close(ours[key], theirs[key], rtol=1e-4, atol=1e-6)
    for key in ("module", "linear", "optim_dataset", "dataloader", "valid", "fit"):
        close(ours[key], theirs[key], rtol=1e-4, atol=1e-6)
    for key in ("cnn", "sequential", "adaptive", "adaptive_weight"):
        close(ours[key], theirs[key], rtol=1e-3, atol=1e-5)


# --- Neural Networks ---


def test_neural_networks_lenet_backward_and_manual_sgd():
    autograd.manual_seed(0)
    out = scripts.neural_networks(autograd, nn, F, optim, no_sync)
    assert out["n_params"] == 10 and out["size0"] == (6, 1, 5, 5)
    assert out["out"].shape == (1, 10)
    assert out["bias_grad_before"] is None  # net.zero_grad() sets grads to None
    assert np.abs(out["bias_grad_after"]).max() > 0
    assert out["manual_loss"] < out["loss"]
    assert out["losses"][-1] < out["losses"][0]


def test_neural_networks_match_torch():
    ours, theirs = both(lambda L, sync: scripts.neural_networks(L[0], L[1], L[2], L[3], sync))
    assert ours["repr"] == theirs["repr"] and ours["chain"] == theirs["chain"]
    for key in ("out", "random_grad", "loss", "bias_grad_after", "manual_loss", "losses", "fc3"):
        close(ours[key], theirs[key], rtol=1e-4, atol=1e-6)


def test_neural_networks_grad_fn_chain_is_torchs():
    """The tutorial's walk along ``next_functions``: MSELoss, then the Linear's addmm, then
    the bias's AccumulateGrad, as PyTorch records them (our MSE is composed of primitives
    and our linear is one op; their backward nodes are shown as PyTorch's)."""
    autograd.manual_seed(0)
    out = scripts.neural_networks(autograd, nn, F, optim, no_sync)
    assert out["chain"] == ["MseLossBackward0", "AddmmBackward0", "AccumulateGrad"]


def test_neural_networks_data_sub_updates_the_parameter_in_place():
    """The tutorial's ``f.data.sub_(f.grad.data * learning_rate)``, as the script writes it:
    the parameter changes in place, without a graph."""
    f = nn.Parameter(autograd.ones(2))
    f.grad = autograd.ones(2)
    f.data.sub_(f.grad.data * 0.01)
    close(f.detach().numpy(), [0.99, 0.99], rtol=1e-6)
    assert f.grad_fn is None and f.requires_grad and f.is_leaf


def test_custom_function_with_tensor_methods_runs():
    """The older examples' MyReLU calls Tensor methods on what forward and backward receive
    (``input.clamp(min=0)``, ``grad_output.clone()``): those arrays answer them
    (autograd/tensor_style_array.py), so it runs unchanged (the class as the tutorial prints
    it: tests/autograd/torch_style_functions.py)."""
    MyReLU = build(autograd).MyReLU
    x = autograd.tensor([[-1.0, 2.0], [3.0, -4.0]], requires_grad=True)
    y = MyReLU.apply(x)
    (y * autograd.tensor([[1.0, 2.0], [3.0, 4.0]])).sum().backward()
    close(y.detach().numpy(), [[0.0, 2.0], [3.0, 0.0]], rtol=0)
    close(x.grad.numpy(), [[0.0, 2.0], [3.0, 0.0]], rtol=0)
