"""A small skip-gram model (two ``Embedding(..., sparse=True)``, ``bmm``, ``logsigmoid``)
trained for several steps by SparseAdam, SGD and Adagrad here and in torch (whose gradients
are sparse tensors): the same tables and moments; the rows our dense gradients record are
torch's sparse gradients' indices; the same refusals."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import autograd  # noqa: E402
import nn  # noqa: E402
import nn.functional as F  # noqa: E402
import optim  # noqa: E402

V, D = 9, 4
PAD = 8
RNG = np.random.default_rng(7)
U0, V0 = RNG.normal(size=(V, D)), RNG.normal(size=(V, D))
# (centre words, context + negative words): rows 7 and PAD's never looked up in u
BATCHES = [
    (RNG.integers(0, 7, size=5), RNG.integers(0, V, size=(5, 3))) for _ in range(6)
]  # fmt: skip
BATCHES[2] = (np.array([PAD, PAD, 1, 1, 1]), BATCHES[2][1])  # padding lookups, repeats


class SkipGram:
    """Both libraries' modules from the same start; ``loss`` as word2vec scripts write it."""

    def __init__(self, lib: Any, dtype: Any) -> None:
        self.lib = lib
        mod = torch.nn if lib is torch else nn
        self.u = mod.Embedding(V, D, padding_idx=PAD, sparse=True)
        self.v = mod.Embedding(V, D, sparse=True)
        for emb, start in ((self.u, U0), (self.v, V0)):
            if lib is torch:
                emb.weight = torch.nn.Parameter(torch.tensor(start, dtype=dtype))
            else:
                emb.weight = nn.Parameter(autograd.tensor(start, dtype=dtype))

    def params(self) -> list:
        return [self.u.weight, self.v.weight]

    def loss(self, centre: np.ndarray, ctx: np.ndarray) -> Any:
        lib = self.lib
        f = torch.nn.functional if lib is torch else F
        u = self.u(lib.tensor(centre)).unsqueeze(2)  # (B, D, 1)
        v = self.v(lib.tensor(ctx))  # (B, K, D)
        score = lib.bmm(v, u).squeeze(2)
        sign = lib.tensor(np.array([1.0, -1.0, -1.0], dtype=u.detach().numpy().dtype))
        return -f.logsigmoid(score * sign).sum(1).mean()


def train(lib: Any, dtype: Any, name: str, hp: dict) -> tuple[SkipGram, Any, list]:
    model = SkipGram(lib, dtype)
    opt = getattr(torch.optim if lib is torch else optim, name)(model.params(), **hp)
    losses = []
    for centre, ctx in BATCHES:
        opt.zero_grad()
        loss = model.loss(centre, ctx)
        loss.backward()
        opt.step()
        losses.append(float(loss.item()))
    return model, opt, losses


CONFIGS = [
    ("SparseAdam", {"lr": 0.05}),
    ("SparseAdam", {"lr": 0.1, "betas": (0.5, 0.8), "eps": 1e-3, "maximize": True}),
    ("SGD", {"lr": 0.3}),
    ("SGD", {"lr": 0.3, "momentum": 0.9}),
    ("SGD", {"lr": 0.3, "momentum": 0.8, "dampening": 0.3}),
    ("SGD", {"lr": 0.2, "momentum": 0.9, "nesterov": True, "maximize": True}),
    ("Adagrad", {"lr": 0.3}),
    ("Adagrad", {"lr": 0.3, "lr_decay": 0.05, "initial_accumulator_value": 0.1}),
]


@pytest.mark.filterwarnings("ignore:Sparse invariant checks")
@pytest.mark.parametrize("name, hp", CONFIGS, ids=[f"{n}-{h}" for n, h in CONFIGS])
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_skip_gram_training_matches_torch(name, hp, dtype):
    tdt = getattr(torch, dtype)
    ours, ours_opt, ours_losses = train(autograd, np.dtype(dtype), name, hp)
    theirs, theirs_opt, theirs_losses = train(torch, tdt, name, hp)
    tol = {"rtol": 1e-12, "atol": 1e-13} if dtype == "float64" else {"rtol": 2e-5, "atol": 2e-6}
    np.testing.assert_allclose(ours_losses, theirs_losses, **tol)
    for mine, ref in zip(ours.params(), theirs.params(), strict=True):
        np.testing.assert_allclose(mine.detach().numpy(), ref.detach().numpy(), **tol)
        for key, value in theirs_opt.state[ref].items():
            got = ours_opt.state[mine][key]
            if isinstance(value, torch.Tensor):
                value = value.to_dense() if value.is_sparse else value
                np.testing.assert_allclose(np.asarray(got), value.numpy(), **tol)
            else:
                assert got == value, key
    untouched = U0[[7, PAD]].astype(dtype)  # rows never in a gradient never move
    np.testing.assert_array_equal(ours.u.weight.detach().numpy()[[7, PAD]], untouched)


@pytest.mark.filterwarnings("ignore:Sparse invariant checks")
def test_recorded_rows_are_torchs_sparse_indices():
    for lib in (autograd, torch):
        model = SkipGram(lib, torch.float64 if lib is torch else np.float64)
        for centre, ctx in BATCHES[1:3]:  # two backward calls accumulate
            model.loss(centre, ctx).backward()
        if lib is torch:
            want = [p.grad.coalesce().indices()[0].tolist() for p in model.params()]
            dense = [p.grad.to_dense().numpy() for p in model.params()]
        else:
            got = [p.grad._sparse_rows.tolist() for p in model.params()]
            ours_dense = [p.grad.detach().numpy() for p in model.params()]
    assert got == want
    for a, b in zip(ours_dense, dense, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-13)


@pytest.mark.filterwarnings("ignore:Sparse invariant checks")
@pytest.mark.parametrize(
    "name, hp",
    [
        ("SGD", {"lr": 0.1, "weight_decay": 0.1}),
        ("Adagrad", {"weight_decay": 0.1}),
        ("Adam", {}),
        ("RMSprop", {}),
    ],
)
def test_refusals_match_torch(name, hp):
    raised = []
    for lib in (torch, autograd):
        model = SkipGram(lib, torch.float64 if lib is torch else np.float64)
        opt = getattr(torch.optim if lib is torch else optim, name)(model.params(), **hp)
        model.loss(*BATCHES[0]).backward()
        with pytest.raises(RuntimeError) as info:
            opt.step()
        raised.append(str(info.value))
    if name != "SGD":  # torch's SGD fails inside a sparse add; ours names the option
        assert raised[1] == raised[0]


def test_sparse_adam_refuses_dense_gradients_as_torch():
    raised = []
    for lib in (torch, autograd):
        w = lib.tensor(np.ones((3, 2)), requires_grad=True)
        opt = (torch.optim if lib is torch else optim).SparseAdam([w])
        (w * 2).sum().backward()
        with pytest.raises(RuntimeError) as info:
            opt.step()
        raised.append(str(info.value))
    assert raised[1].startswith(raised[0])


def test_reprs_match_torch():
    for args, kw in [((10, 3), {"sparse": True}), ((6, 3), {"padding_idx": 2, "sparse": True})]:
        assert repr(nn.Embedding(*args, **kw)) == repr(torch.nn.Embedding(*args, **kw))
        assert repr(nn.EmbeddingBag(*args, **kw)) == repr(torch.nn.EmbeddingBag(*args, **kw))
    w = np.ones((2, 2))
    assert repr(nn.Embedding.from_pretrained(autograd.tensor(w), sparse=True)) == repr(
        torch.nn.Embedding.from_pretrained(torch.tensor(w), sparse=True)
    )
    p = [torch.zeros(1, requires_grad=True)]
    assert repr(optim.SparseAdam([autograd.zeros(1, requires_grad=True)])) == repr(
        torch.optim.SparseAdam(p)
    )
