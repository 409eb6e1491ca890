"""Graph convolution code written for PyTorch's sparse COO tensors, shortened (a small
synthetic graph built with numpy in place of scipy and the Cora files) and written once
against the names ``torch``, ``nn``, ``F``, ``optim``. The tests run it with our packages under
those names and, when it is installed, with PyTorch.

- Kipf's pygcn (github tkipf/pygcn): utils.py's ``normalize``, ``accuracy`` and
  ``sparse_mx_to_torch_sparse_tensor`` (as written there, fed a numpy stand-in for scipy's
  coo_matrix), layers.py's ``GraphConvolution``, models.py's ``GCN`` and train.py's loop.
- The tutorial form: ``torch.sparse_coo_tensor(edge_index, edge_weight, (N, N))`` with
  ``torch.sparse.mm(adj, x)`` and ``adj @ x``, with learnable edge weights.

Weights a result depends on pass through ``sync(module_or_tensors)`` (see course_scripts).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

Sync = Callable[[Any], None]


class CooMatrix:
    """What pygcn reads of a ``scipy.sparse.coo_matrix``: ``row``, ``col``, ``data``,
    ``shape``, ``tocoo()`` and ``astype()`` (scipy is not a test dependency)."""

    def __init__(self, dense: np.ndarray) -> None:
        self.dense = dense
        self.row, self.col = np.nonzero(dense)
        self.data = dense[self.row, self.col]
        self.shape = dense.shape

    def tocoo(self) -> CooMatrix:
        return self

    def astype(self, dtype: Any) -> CooMatrix:
        return CooMatrix(self.dense.astype(dtype))


def synthetic_graph(n: int = 24, classes: int = 3, feats: int = 10) -> dict:
    """A graph of ``classes`` communities (dense inside, a few edges between), bag-of-words
    style features drawn per class, and pygcn's preprocessing: symmetric adjacency with
    self-loops, row-normalised features and adjacency."""
    rng = np.random.RandomState(0)
    labels = np.arange(n) % classes
    same = labels[:, None] == labels[None, :]
    adj = (rng.rand(n, n) < np.where(same, 0.35, 0.03)).astype(np.float64)
    np.fill_diagonal(adj, 0)
    adj = np.maximum(adj, adj.T)  # pygcn: adj + adj.T.multiply(adj.T > adj) - ...
    centres = rng.rand(classes, feats) < 0.4
    features = (rng.rand(n, feats) < 0.3) | (centres[labels] & (rng.rand(n, feats) < 0.7))
    return {
        "features": normalize(features.astype(np.float64)),
        "adj": CooMatrix(normalize(adj + np.eye(n))),
        "labels": labels,
        "idx_train": np.arange(0, n // 2),
        "idx_val": np.arange(n // 2, 3 * n // 4),
        "idx_test": np.arange(3 * n // 4, n),
    }


def normalize(mx: np.ndarray) -> np.ndarray:
    """pygcn's utils.normalize (row-normalise), on a dense array in place of scipy's."""
    rowsum = np.array(mx.sum(1))
    r_inv = np.power(rowsum, -1).flatten()
    r_inv[np.isinf(r_inv)] = 0.0
    return r_inv[:, None] * mx  # r_mat_inv.dot(mx)


def pygcn(torch: Any, nn: Any, F: Any, optim: Any, sync: Sync, dropout: float = 0.5) -> dict:
    Module, Parameter = nn.Module, nn.Parameter  # noqa: N806 (pygcn's imports)

    def accuracy(output: Any, labels: Any) -> Any:
        preds = output.max(1)[1].type_as(labels)
        correct = preds.eq(labels).double()
        correct = correct.sum()
        return correct / len(labels)

    def sparse_mx_to_torch_sparse_tensor(sparse_mx: Any) -> Any:
        """Convert a scipy sparse matrix to a torch sparse tensor."""
        sparse_mx = sparse_mx.tocoo().astype(np.float32)
        indices = torch.from_numpy(np.vstack((sparse_mx.row, sparse_mx.col)).astype(np.int64))
        values = torch.from_numpy(sparse_mx.data)
        shape = torch.Size(sparse_mx.shape)
        return torch.sparse.FloatTensor(indices, values, shape)

    class GraphConvolution(Module):
        """Simple GCN layer, similar to https://arxiv.org/abs/1609.02907"""

        def __init__(self, in_features: int, out_features: int, bias: bool = True) -> None:
            super(GraphConvolution, self).__init__()  # noqa: UP008 (as written there)
            self.in_features = in_features
            self.out_features = out_features
            self.weight = Parameter(torch.FloatTensor(in_features, out_features))
            if bias:
                self.bias = Parameter(torch.FloatTensor(out_features))
            else:
                self.register_parameter("bias", None)
            self.reset_parameters()

        def reset_parameters(self) -> None:
            stdv = 1.0 / math.sqrt(self.weight.size(1))
            self.weight.data.uniform_(-stdv, stdv)
            if self.bias is not None:
                self.bias.data.uniform_(-stdv, stdv)

        def forward(self, input: Any, adj: Any) -> Any:  # noqa: A002
            support = torch.mm(input, self.weight)
            output = torch.spmm(adj, support)
            if self.bias is not None:
                return output + self.bias
            else:
                return output

        def __repr__(self) -> str:
            return (
                self.__class__.__name__
                + " ("
                + str(self.in_features)
                + " -> "
                + str(self.out_features)
                + ")"
            )

    class GCN(nn.Module):
        def __init__(self, nfeat: int, nhid: int, nclass: int, dropout: float) -> None:
            super(GCN, self).__init__()  # noqa: UP008
            self.gc1 = GraphConvolution(nfeat, nhid)
            self.gc2 = GraphConvolution(nhid, nclass)
            self.dropout = dropout

        def forward(self, x: Any, adj: Any) -> Any:
            x = F.relu(self.gc1(x, adj))
            x = F.dropout(x, self.dropout, training=self.training)
            x = self.gc2(x, adj)
            return F.log_softmax(x, dim=1)

    g = synthetic_graph()
    features = torch.FloatTensor(np.array(g["features"]))
    labels = torch.LongTensor(g["labels"])
    adj = sparse_mx_to_torch_sparse_tensor(g["adj"])
    idx_train = torch.LongTensor(g["idx_train"])
    idx_val = torch.LongTensor(g["idx_val"])
    idx_test = torch.LongTensor(g["idx_test"])

    model = GCN(nfeat=features.shape[1], nhid=16, nclass=labels.max().item() + 1, dropout=dropout)
    sync(model)
    optimizer = optim.Adam(model.parameters(), lr=0.01, weight_decay=5e-4)
    losses, val_losses, accs = [], [], []
    for _epoch in range(60):
        model.train()
        optimizer.zero_grad()
        output = model(features, adj)
        loss_train = F.nll_loss(output[idx_train], labels[idx_train])
        acc_train = accuracy(output[idx_train], labels[idx_train])
        loss_train.backward()
        optimizer.step()
        model.eval()
        output = model(features, adj)
        loss_val = F.nll_loss(output[idx_val], labels[idx_val])
        losses.append(loss_train.item())
        val_losses.append(loss_val.item())
        accs.append(acc_train.item())
    model.eval()
    output = model(features, adj)
    loss_test = F.nll_loss(output[idx_test], labels[idx_test])
    acc_test = accuracy(output[idx_test], labels[idx_test])
    return {
        "losses": losses,
        "val_losses": val_losses,
        "train_acc": accs,
        "test_loss": loss_test.item(),
        "test_acc": acc_test.item(),
        "output": output.detach().numpy(),
        "dense_adj": adj.to_dense().numpy(),
        "layer_repr": repr(model.gc1),
        "is_sparse": adj.is_sparse,
    }


def tutorial_gcn(torch: Any, nn: Any, F: Any, sync: Sync) -> dict:
    """A GCN layer over ``torch.sparse_coo_tensor`` with learnable edge weights; the same
    propagation through ``torch.sparse.mm`` and ``@``."""
    g = synthetic_graph()
    a = g["adj"]
    edge_index = torch.tensor(np.vstack((a.row, a.col)), dtype=torch.long)
    n = a.shape[0]
    x = torch.tensor(g["features"], dtype=torch.float64, requires_grad=True)
    edge_weight = torch.tensor(a.data, dtype=torch.float64, requires_grad=True)
    lin = nn.Linear(x.shape[1], 4, bias=False).double()
    sync(lin)
    adj = torch.sparse_coo_tensor(edge_index, edge_weight, (n, n))
    h1 = torch.sparse.mm(adj, lin(x))
    h2 = adj @ lin(x)
    out = torch.tanh(h1).sum() + (h2**2).sum()
    out.backward()
    deg = torch.sparse.sum(adj.detach(), dim=1).to_dense()
    return {
        "h1": h1.detach().numpy(),
        "h2": h2.detach().numpy(),
        "x_grad": x.grad.numpy(),
        "edge_weight_grad": edge_weight.grad.numpy(),
        "lin_grad": lin.weight.grad.numpy(),
        "lin_weight": lin.weight.detach().numpy(),
        "x": x.detach().numpy(),
        "deg": deg.numpy(),
        "dense": adj.detach().to_dense().numpy(),
    }


def pygat_sparse(torch: Any, nn: Any, F: Any, optim: Any, sync: Sync, dropout: float = 0.6) -> dict:
    """pyGAT's sparse variant (github Diego999/pyGAT, layers.py's SpecialSpmmFunction,
    SpGraphAttentionLayer and models.py's SpGAT): a custom autograd Function that builds a
    sparse tensor inside its forward and multiplies through it in both passes."""

    class SpecialSpmmFunction(torch.autograd.Function):
        """Special function for only sparse region backpropataion layer."""

        @staticmethod
        def forward(ctx: Any, indices: Any, values: Any, shape: Any, b: Any) -> Any:
            assert indices.requires_grad == False  # noqa: E712 (as written there)
            a = torch.sparse_coo_tensor(indices, values, shape)
            ctx.save_for_backward(a, b)
            ctx.N = shape[0]
            return torch.matmul(a, b)

        @staticmethod
        def backward(ctx: Any, grad_output: Any) -> Any:
            a, b = ctx.saved_tensors
            grad_values = grad_b = None
            if ctx.needs_input_grad[1]:
                grad_a_dense = grad_output.matmul(b.t())
                edge_idx = a._indices()[0, :] * ctx.N + a._indices()[1, :]
                grad_values = grad_a_dense.view(-1)[edge_idx]
            if ctx.needs_input_grad[3]:
                grad_b = a.t().matmul(grad_output)
            return None, grad_values, None, grad_b

    class SpecialSpmm(nn.Module):
        def forward(self, indices: Any, values: Any, shape: Any, b: Any) -> Any:
            return SpecialSpmmFunction.apply(indices, values, shape, b)

    class SpGraphAttentionLayer(nn.Module):
        """Sparse version GAT layer, similar to https://arxiv.org/abs/1710.10903"""

        def __init__(
            self, in_features: int, out_features: int, dropout: float, alpha: float,
            concat: bool = True,
        ) -> None:  # fmt: skip
            super(SpGraphAttentionLayer, self).__init__()  # noqa: UP008
            self.in_features = in_features
            self.out_features = out_features
            self.alpha = alpha
            self.concat = concat

            self.W = nn.Parameter(torch.zeros(size=(in_features, out_features)))
            nn.init.xavier_normal_(self.W.data, gain=1.414)

            self.a = nn.Parameter(torch.zeros(size=(1, 2 * out_features)))
            nn.init.xavier_normal_(self.a.data, gain=1.414)

            self.dropout = nn.Dropout(dropout)
            self.leakyrelu = nn.LeakyReLU(self.alpha)
            self.special_spmm = SpecialSpmm()

        def forward(self, input: Any, adj: Any) -> Any:  # noqa: A002
            dv = "cuda" if input.is_cuda else "cpu"

            N = input.size()[0]  # noqa: N806
            edge = adj.nonzero().t()

            h = torch.mm(input, self.W)
            assert not torch.isnan(h).any()

            edge_h = torch.cat((h[edge[0, :], :], h[edge[1, :], :]), dim=1).t()
            edge_e = torch.exp(-self.leakyrelu(self.a.mm(edge_h).squeeze()))
            assert not torch.isnan(edge_e).any()

            e_rowsum = self.special_spmm(
                edge, edge_e, torch.Size([N, N]), torch.ones(size=(N, 1), device=dv)
            )
            edge_e = self.dropout(edge_e)
            h_prime = self.special_spmm(edge, edge_e, torch.Size([N, N]), h)
            assert not torch.isnan(h_prime).any()
            h_prime = h_prime.div(e_rowsum)
            assert not torch.isnan(h_prime).any()

            if self.concat:
                return F.elu(h_prime)
            else:
                return h_prime

    class SpGAT(nn.Module):
        def __init__(
            self, nfeat: int, nhid: int, nclass: int, dropout: float, alpha: float, nheads: int
        ) -> None:
            super(SpGAT, self).__init__()  # noqa: UP008
            self.dropout = dropout
            self.attentions = [
                SpGraphAttentionLayer(nfeat, nhid, dropout=dropout, alpha=alpha, concat=True)
                for _ in range(nheads)
            ]
            for i, attention in enumerate(self.attentions):
                self.add_module("attention_{}".format(i), attention)  # noqa: UP032
            self.out_att = SpGraphAttentionLayer(
                nhid * nheads, nclass, dropout=dropout, alpha=alpha, concat=False
            )

        def forward(self, x: Any, adj: Any) -> Any:
            x = F.dropout(x, self.dropout, training=self.training)
            x = torch.cat([att(x, adj) for att in self.attentions], dim=1)
            x = F.dropout(x, self.dropout, training=self.training)
            x = F.elu(self.out_att(x, adj))
            return F.log_softmax(x, dim=1)

    g = synthetic_graph()
    features = torch.FloatTensor(g["features"])
    adj = torch.FloatTensor(g["adj"].dense)  # pyGAT keeps the adjacency dense
    labels = torch.LongTensor(g["labels"])
    idx_train = torch.LongTensor(g["idx_train"])
    model = SpGAT(features.shape[1], 8, int(labels.max()) + 1, dropout, 0.2, 2)
    sync(model)
    optimizer = optim.Adam(model.parameters(), lr=0.005, weight_decay=5e-4)
    losses = []
    for _epoch in range(30):
        model.train()
        optimizer.zero_grad()
        output = model(features, adj)
        loss_train = F.nll_loss(output[idx_train], labels[idx_train])
        loss_train.backward()
        optimizer.step()
        losses.append(loss_train.item())
    model.eval()
    return {"losses": losses, "output": model(features, adj).detach().numpy()}
