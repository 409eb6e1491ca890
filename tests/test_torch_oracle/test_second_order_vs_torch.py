"""Second derivatives against torch.autograd.grad: Hessian-vector products of ops,
activations and losses, taken through grad(..., create_graph=True)."""

from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import autograd  # noqa: E402
import nn.functional as F  # noqa: E402
from autograd import Tensor  # noqa: E402

from .oracle import normal  # noqa: E402

TF = torch.nn.functional
X = normal((4, 3), 80)
W = normal((4, 3), 81)  # weights of the scalar objective
V = normal((4, 3), 82)  # direction of the Hessian-vector product
Q = np.abs(normal((4, 3), 83)) + 0.5
LABELS = np.array([0, 2, 1, 1])
P01 = np.random.default_rng(84).uniform(size=(4, 3))

# name -> (ours, torch's), each mapping the (4, 3) input to an array of any shape
FUNCS = {
    "tanh": (lambda x: x.tanh(), torch.tanh),
    "sigmoid": (lambda x: x.sigmoid(), torch.sigmoid),
    "exp_log": (lambda x: (x.exp() + 1).log(), lambda x: (x.exp() + 1).log()),
    "pow": (lambda x: (x * x + 1) ** 1.5, lambda x: (x * x + 1) ** 1.5),
    "tensor_pow": (lambda x: Tensor(Q) ** x, lambda x: torch.tensor(Q) ** x),
    "div_sqrt": (lambda x: x / (x * x + 1).sqrt(), lambda x: x / (x * x + 1).sqrt()),
    "softplus": (F.softplus, TF.softplus),
    "gelu": (F.gelu, TF.gelu),
    "gelu_tanh": (
        lambda x: F.gelu(x, approximate="tanh"),
        lambda x: TF.gelu(x, approximate="tanh"),
    ),
    "elu": (F.elu, TF.elu),
    "selu": (F.selu, TF.selu),
    "silu": (F.silu, TF.silu),
    "mish": (F.mish, TF.mish),
    "softmax": (lambda x: F.softmax(x, dim=1), lambda x: TF.softmax(x, dim=1)),
    "log_softmax": (lambda x: F.log_softmax(x, dim=0), lambda x: TF.log_softmax(x, dim=0)),
    "matmul": (lambda x: (x @ x.T) @ x, lambda x: (x @ x.T) @ x),
    "var": (lambda x: x.var(dim=1, correction=1), lambda x: x.var(dim=1, correction=1)),
    "std": (lambda x: x.std(dim=0), lambda x: x.std(dim=0)),
    "cross_entropy": (
        lambda x: F.cross_entropy(x, LABELS, label_smoothing=0.1),
        lambda x: TF.cross_entropy(x, torch.tensor(LABELS), label_smoothing=0.1),
    ),
    "bce_logits": (
        lambda x: F.binary_cross_entropy_with_logits(x, P01, reduction="none"),
        lambda x: TF.binary_cross_entropy_with_logits(x, torch.tensor(P01), reduction="none"),
    ),
    "huber": (
        lambda x: F.huber_loss(x, W, delta=0.5, reduction="sum"),
        lambda x: TF.huber_loss(x, torch.tensor(W), delta=0.5, reduction="sum"),
    ),
    "log_cosh": (
        lambda x: F.log_cosh_loss(x, W, reduction="none"),
        lambda x: torch.log(torch.cosh(x - torch.tensor(W))),
    ),
    "bce": (
        lambda x: F.binary_cross_entropy(x.sigmoid(), P01, weight=Q[0]),
        lambda x: TF.binary_cross_entropy(x.sigmoid(), torch.tensor(P01), torch.tensor(Q[0])),
    ),
    "kl_div": (
        lambda x: F.kl_div(F.log_softmax(x, dim=1), P01 / 2, reduction="batchmean"),
        lambda x: TF.kl_div(TF.log_softmax(x, dim=1), torch.tensor(P01 / 2), reduction="batchmean"),
    ),
    "cosine_embedding": (
        lambda x: F.cosine_embedding_loss(x, W, np.array([1, -1, 1, -1]), margin=-1.0),
        lambda x: TF.cosine_embedding_loss(
            x, torch.tensor(W), torch.tensor([1, -1, 1, -1]), margin=-1.0
        ),
    ),
    "triplet": (
        lambda x: F.triplet_margin_loss(x, W, Q, margin=10.0),
        lambda x: TF.triplet_margin_loss(x, torch.tensor(W), torch.tensor(Q), margin=10.0),
    ),
    "index_concat": (
        lambda x: autograd.concatenate([x[np.array([0, 0, 3])], x[1:]]) ** 3,
        lambda x: torch.cat([x[torch.tensor([0, 0, 3])], x[1:]]) ** 3,
    ),
    "max_mean": (
        lambda x: x.amax(dim=1) * x.mean(dim=1),
        lambda x: x.amax(dim=1) * x.mean(dim=1),
    ),
}


@pytest.mark.parametrize("name", list(FUNCS))
def test_hessian_vector_product(name):
    ours, theirs = FUNCS[name]
    x = Tensor(X, requires_grad=True)
    out = ours(x)
    w = normal(out.shape, 85)
    (g,) = autograd.grad((out * w).sum(), [x], create_graph=True)
    (hv,) = autograd.grad((g * V).sum(), [x])

    tx = torch.tensor(X, requires_grad=True)
    t_out = theirs(tx)
    (tg,) = torch.autograd.grad((t_out * torch.tensor(w)).sum(), [tx], create_graph=True)
    (thv,) = torch.autograd.grad((tg * torch.tensor(V)).sum(), [tx])

    np.testing.assert_allclose(g.data, tg.detach().numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(hv.data, thv.numpy(), rtol=1e-9, atol=1e-11)
