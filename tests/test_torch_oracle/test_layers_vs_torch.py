"""Every layer against PyTorch with the same weights: the state_dict keys are identical (torch's
state_dict loads into ours with strict=True), and outputs, input gradients, parameter
gradients and the buffers after the step agree, in train and eval mode, float32 and float64.
Then the functional forms."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import nn
import nn.functional as F
from autograd import Tensor

torch = pytest.importorskip("torch")
TF = torch.nn.functional

TOL = {np.float32: {"rtol": 2e-4, "atol": 2e-5}, np.float64: {"rtol": 1e-9, "atol": 1e-10}}
TORCH_DTYPE = {np.float32: torch.float32, np.float64: torch.float64}


def _flat(out: Any) -> list:
    if isinstance(out, (tuple, list)):
        return [t for o in out for t in _flat(o)]
    return [] if out is None else [out]


# (id, our module factory, torch module factory, input shape or array maker, kwargs of forward)
CASES: list[tuple[str, Callable, Callable, Any, dict]] = [
    ("Conv1d", lambda: nn.Conv1d(4, 6, 3, stride=2, padding=1, groups=2),
     lambda: torch.nn.Conv1d(4, 6, 3, stride=2, padding=1, groups=2), (2, 4, 9), {}),
    ("Conv2d", lambda: nn.Conv2d(3, 4, (3, 2), stride=(2, 1), padding=(1, 0), dilation=(1, 2)),
     lambda: torch.nn.Conv2d(3, 4, (3, 2), stride=(2, 1), padding=(1, 0), dilation=(1, 2)),
     (2, 3, 7, 8), {}),
    ("Conv2d-same-reflect", lambda: nn.Conv2d(2, 4, 4, padding="same", padding_mode="reflect"),
     lambda: torch.nn.Conv2d(2, 4, 4, padding="same", padding_mode="reflect"), (2, 2, 6, 5), {}),
    ("Conv2d-unbatched-nobias", lambda: nn.Conv2d(2, 2, 3, bias=False, groups=2),
     lambda: torch.nn.Conv2d(2, 2, 3, bias=False, groups=2), (2, 5, 5), {}),
    ("ConvTranspose2d", lambda: nn.ConvTranspose2d(4, 6, 3, stride=2, padding=1,
                                                   output_padding=1, groups=2),
     lambda: torch.nn.ConvTranspose2d(4, 6, 3, stride=2, padding=1, output_padding=1, groups=2),
     (2, 4, 4, 3), {}),
    ("MaxPool2d", lambda: nn.MaxPool2d(3, 2, 1, ceil_mode=True),
     lambda: torch.nn.MaxPool2d(3, 2, 1, ceil_mode=True), (2, 3, 7, 6), {}),
    ("AvgPool2d", lambda: nn.AvgPool2d(3, 2, 1, count_include_pad=False),
     lambda: torch.nn.AvgPool2d(3, 2, 1, count_include_pad=False), (2, 3, 7, 6), {}),
    ("AdaptiveAvgPool2d", lambda: nn.AdaptiveAvgPool2d((3, 4)),
     lambda: torch.nn.AdaptiveAvgPool2d((3, 4)), (2, 3, 7, 6), {}),
    ("BatchNorm1d", lambda: nn.BatchNorm1d(3), lambda: torch.nn.BatchNorm1d(3), (5, 3, 4), {}),
    ("BatchNorm1d-2d-input", lambda: nn.BatchNorm1d(3, momentum=None),
     lambda: torch.nn.BatchNorm1d(3, momentum=None), (6, 3), {}),
    ("BatchNorm2d", lambda: nn.BatchNorm2d(3, momentum=0.3),
     lambda: torch.nn.BatchNorm2d(3, momentum=0.3), (4, 3, 3, 5), {}),
    ("LayerNorm", lambda: nn.LayerNorm((3, 4)), lambda: torch.nn.LayerNorm((3, 4)),
     (2, 5, 3, 4), {}),
    ("Embedding", lambda: nn.Embedding(7, 3, padding_idx=1),
     lambda: torch.nn.Embedding(7, 3, padding_idx=1),
     lambda rng: rng.integers(0, 7, size=(3, 4)), {}),
    ("RNN", lambda: nn.RNN(3, 4, num_layers=2, nonlinearity="relu"),
     lambda: torch.nn.RNN(3, 4, num_layers=2, nonlinearity="relu"), (5, 2, 3), {}),
    ("LSTM", lambda: nn.LSTM(3, 4, num_layers=2, batch_first=True, bidirectional=True),
     lambda: torch.nn.LSTM(3, 4, num_layers=2, batch_first=True, bidirectional=True),
     (2, 5, 3), {}),
    ("GRU", lambda: nn.GRU(3, 4, bidirectional=True),
     lambda: torch.nn.GRU(3, 4, bidirectional=True), (5, 2, 3), {}),
    ("MultiheadAttention", lambda: nn.MultiheadAttention(8, 2, batch_first=True),
     lambda: torch.nn.MultiheadAttention(8, 2, batch_first=True), (2, 5, 8), {"self": True}),
    ("Sequential-CNN", lambda: nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.BatchNorm2d(4),
                                             nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                                             nn.Unflatten(1, (4, 4)), nn.Flatten(),
                                             nn.Linear(16, 3)),
     lambda: torch.nn.Sequential(torch.nn.Conv2d(1, 4, 3, padding=1), torch.nn.BatchNorm2d(4),
                                 torch.nn.ReLU(), torch.nn.MaxPool2d(2), torch.nn.Flatten(),
                                 torch.nn.Unflatten(1, (4, 4)), torch.nn.Flatten(),
                                 torch.nn.Linear(16, 3)),
     (3, 1, 4, 4), {}),
]  # fmt: skip


@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=["float32", "float64"])
@pytest.mark.parametrize("training", [True, False], ids=["train", "eval"])
@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_layer_matches_torch(case, training, dtype):
    name, ours_f, theirs_f, make_input, kw = case
    rng = np.random.default_rng(abs(hash(name)) % 2**32)
    torch.manual_seed(0)
    theirs = theirs_f().to(TORCH_DTYPE[dtype])
    ours = ours_f().to(dtype)
    # randomise torch's parameters (so that no default like ones/zeros hides a mistake)
    with torch.no_grad():
        for p in theirs.parameters():
            p.copy_(torch.tensor(rng.normal(size=tuple(p.shape)) * 0.5))
    assert list(ours.state_dict()) == list(theirs.state_dict())
    ours.load_state_dict({k: v.numpy() for k, v in theirs.state_dict().items()})
    ours.train(training)
    theirs.train(training)
    if callable(make_input):
        x = make_input(rng)
        xs, txs = [Tensor(x)], [torch.tensor(x)]
    else:
        x = rng.normal(size=make_input).astype(dtype)
        xs = [Tensor(x, requires_grad=True)]
        txs = [torch.tensor(x, requires_grad=True)]
    if kw.get("self"):
        xs, txs = xs * 3, txs * 3
    outs = _flat(ours(*xs))
    touts = _flat(theirs(*txs))
    assert len(outs) == len(touts)
    tol = TOL[dtype]
    for o, t in zip(outs, touts):
        assert o.dtype == dtype
        np.testing.assert_allclose(o.data, t.detach().numpy(), **tol)
    gs = [rng.normal(size=o.shape).astype(dtype) for o in outs]
    loss = sum((o * Tensor(g)).sum() for o, g in zip(outs, gs))
    tloss = sum((t * torch.tensor(g)).sum() for t, g in zip(touts, gs))
    loss.backward()
    tloss.backward()
    if xs[0].requires_grad:
        np.testing.assert_allclose(np.asarray(xs[0].grad), txs[0].grad.numpy(), **tol)
    tparams = dict(theirs.named_parameters())
    for pname, p in ours.named_parameters():
        np.testing.assert_allclose(
            np.asarray(p.grad), tparams[pname].grad.numpy(), err_msg=pname, **tol
        )
    for key, value in theirs.state_dict().items():  # running statistics after the step
        np.testing.assert_allclose(ours.state_dict()[key], value.numpy(), err_msg=key, **tol)


def _both(fn_ours, fn_theirs, arrays, grads=True, rtol=1e-10, atol=1e-12):
    rng = np.random.default_rng(0)
    xs = [Tensor(a, requires_grad=grads and a.dtype.kind == "f") for a in arrays]
    txs = [torch.tensor(a, requires_grad=grads and a.dtype.kind == "f") for a in arrays]
    y, ty = fn_ours(*xs), fn_theirs(*txs)
    np.testing.assert_allclose(y.data, ty.detach().numpy(), rtol=rtol, atol=atol)
    if not y.requires_grad:
        return
    g = rng.normal(size=y.shape)
    y.backward(g)
    ty.backward(torch.tensor(g))
    for x, tx in zip(xs, txs):
        if x.requires_grad:
            np.testing.assert_allclose(np.asarray(x.grad), tx.grad.numpy(), rtol=rtol, atol=atol)


def test_functional_forms_match_torch():
    rng = np.random.default_rng(1)
    a, b = rng.normal(size=(4, 5)), rng.normal(size=(4, 5))
    a[0] = 0
    _both(lambda u, v: F.cosine_similarity(u, v), lambda u, v: TF.cosine_similarity(u, v), [a, b])
    _both(lambda u, v: F.pairwise_distance(u, v, p=3), lambda u, v: TF.pairwise_distance(u, v, 3),
          [a, b])  # fmt: skip
    _both(lambda u: F.normalize(u, p=1, dim=0), lambda u: TF.normalize(u, p=1, dim=0), [a])
    x = rng.normal(size=(2, 3, 4, 5))
    for mode in ("constant", "reflect", "replicate", "circular"):
        _both(lambda u: F.pad(u, (1, 2, 2, 1), mode), lambda u: TF.pad(u, (1, 2, 2, 1), mode), [x])  # noqa: B023
    idx = rng.integers(0, 5, size=(3, 4))
    np.testing.assert_array_equal(F.one_hot(Tensor(idx), 6).data, TF.one_hot(torch.tensor(idx), 6))
    q, k, v = (
        rng.normal(size=(2, 2, 4, 3)),
        rng.normal(size=(2, 2, 4, 3)),
        rng.normal(size=(2, 2, 4, 5)),
    )
    _both(lambda q, k, v: F.scaled_dot_product_attention(q, k, v, is_causal=True),
          lambda q, k, v: TF.scaled_dot_product_attention(q, k, v, is_causal=True),
          [q, k, v])  # fmt: skip
    w = rng.normal(size=(3,))
    rm, rv = rng.normal(size=3), rng.random(3) + 0.5
    _both(lambda u, w: F.batch_norm(u, rm, rv, w, None, False, 0.1, 1e-3),
          lambda u, w: TF.batch_norm(u, torch.tensor(rm), torch.tensor(rv), w, None, False,
                                     0.1, 1e-3),
          [rng.normal(size=(4, 3, 2)), w])  # fmt: skip
    _both(lambda u: F.layer_norm(u, (5,)), lambda u: TF.layer_norm(u, (5,)), [a])
    _both(
        lambda u: F.max_pool2d(u, 2, 1, dilation=2),
        lambda u: TF.max_pool2d(u, 2, 1, dilation=2),
        [x],
    )
    _both(lambda u: F.avg_pool2d(u, 3, 2, 1, ceil_mode=True),
          lambda u: TF.avg_pool2d(u, 3, 2, 1, ceil_mode=True), [x])  # fmt: skip
    emb = rng.normal(size=(6, 3))
    _both(lambda w: F.embedding(Tensor(idx), w, max_norm=1.0),
          lambda w: TF.embedding(torch.tensor(idx), w, max_norm=1.0), [emb.copy()])  # fmt: skip


def test_second_derivatives_match_torch():
    """grad of a gradient norm (the gradient-penalty pattern) through conv, norms, pooling."""
    rng = np.random.default_rng(2)
    x = rng.normal(size=(2, 3, 6, 6))
    w = rng.normal(size=(4, 3, 3, 3))
    lw = rng.normal(size=(4,))

    def run(lib, F_, x, w, lw):
        h = F_.conv2d(x, w, None, 1, 1)
        h = F_.max_pool2d(h, 2)
        h = F_.layer_norm(h.swapaxes(1, 3) if lib == "ours" else h.transpose(1, 3), (4,), lw)
        y = F_.avg_pool2d(h.tanh() if lib == "ours" else torch.tanh(h), (1, 1))
        return (y * y).sum()

    import autograd

    X, W, LW = (Tensor(a, requires_grad=True) for a in (x, w, lw))
    (gx,) = autograd.grad([run("ours", F, X, W, LW)], [X], create_graph=True)
    (gx * gx).sum().backward()
    tX, tW, tLW = (torch.tensor(a, requires_grad=True) for a in (x, w, lw))
    (tgx,) = torch.autograd.grad(run("torch", TF, tX, tW, tLW), [tX], create_graph=True)
    (tgx * tgx).sum().backward()
    np.testing.assert_allclose(gx.data, tgx.detach().numpy(), rtol=1e-9, atol=1e-10)
    for a, b in ((W, tW), (LW, tLW), (X, tX)):
        np.testing.assert_allclose(np.asarray(a.grad), b.grad.numpy(), rtol=1e-8, atol=1e-9)


@pytest.mark.parametrize("kind", ["RNN", "LSTM", "GRU"])
@pytest.mark.parametrize("bias", [True, False])
def test_recurrent_all_weights_layout_and_flatten_parameters_as_torch(kind, bias):
    kw = {"num_layers": 2, "bidirectional": True, "bias": bias}
    ours, theirs = getattr(nn, kind)(3, 4, **kw), getattr(torch.nn, kind)(3, 4, **kw)
    assert ours.flatten_parameters() is None and theirs.flatten_parameters() is None
    ours_names = {id(p): n for n, p in ours.named_parameters()}
    theirs_names = {id(p): n for n, p in theirs.named_parameters()}
    assert [[ours_names[id(p)] for p in ws] for ws in ours.all_weights] == [
        [theirs_names[id(p)] for p in ws] for ws in theirs.all_weights
    ]
    assert [ours_names[id(p)] for p in ours._flat_weights] == [
        theirs_names[id(p)] for p in theirs._flat_weights
    ]


@pytest.mark.parametrize(
    "call",
    [
        lambda m, x: m.GRU(3, 4)(x(5, 2, 3), x(2, 2, 4)),  # h_0 of the wrong shape
        lambda m, x: m.GRU(3, 4)(x(5, 2, 2)),  # input_size
        lambda m, x: m.LSTM(3, 4)(x(5, 2, 3), (x(1, 2, 4), x(1, 3, 4))),  # c_0
        lambda m, x: m.GRUCell(3, 4)(x(2, 5)),
        lambda m, x: m.GRUCell(3, 4)(x(2, 3), x(3, 4)),
        lambda m, x: m.LSTMCell(3, 4)(x(3), (x(4), x(5))),
    ],
)
def test_recurrent_shape_errors_are_runtime_errors_as_torch(call):
    with pytest.raises(RuntimeError):
        call(torch.nn, lambda *s: torch.zeros(s))
    with pytest.raises(RuntimeError):
        call(nn, lambda *s: Tensor(np.zeros(s, np.float32)))


@pytest.mark.parametrize("packed", [False, True])
@pytest.mark.parametrize("bidirectional", [False, True])
def test_lstm_with_projections_as_torch(packed, bidirectional):
    torch.manual_seed(0)
    kw = {"num_layers": 2, "proj_size": 2, "bidirectional": bidirectional, "batch_first": True}
    theirs = torch.nn.LSTM(3, 5, **kw).double()
    ours = nn.LSTM(3, 5, **kw)
    ours.load_state_dict({k: v.numpy() for k, v in theirs.state_dict().items()})
    ours.double()
    assert repr(ours) == repr(theirs)
    d = 2 if bidirectional else 1
    gen = np.random.default_rng(1)
    arrays = [
        gen.normal(size=(3, 4, 3)),
        gen.normal(size=(2 * d, 3, 2)),
        gen.normal(size=(2 * d, 3, 5)),
    ]
    o_in = [Tensor(a, requires_grad=True) for a in arrays]
    t_in = [torch.tensor(a, requires_grad=True) for a in arrays]
    lengths = [2, 4, 1]

    def run(model: Any, x: Any, h0: Any, c0: Any, utils: Any) -> Any:
        if packed:
            x = utils.pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
        out, (h, c) = model(x, (h0, c0))
        if packed:
            out = utils.pad_packed_sequence(out, batch_first=True)[0]
        return out, h, c

    o_out = run(ours, *o_in, nn.utils.rnn)
    t_out = run(theirs, *t_in, torch.nn.utils.rnn)
    weights = [gen.normal(size=tuple(t.shape)) for t in t_out]
    for a, b in zip(o_out, t_out):
        np.testing.assert_allclose(a.data, b.detach().numpy(), rtol=1e-10, atol=1e-12)
    sum((a * Tensor(w)).sum() for a, w in zip(o_out, weights)).backward()
    sum((b * torch.tensor(w)).sum() for b, w in zip(t_out, weights)).backward()
    for a, b in zip(o_in, t_in):
        np.testing.assert_allclose(a.grad.data, b.grad.numpy(), rtol=1e-9, atol=1e-12)
    for (name, p), (_, q) in zip(ours.named_parameters(), theirs.named_parameters()):
        np.testing.assert_allclose(p.grad.data, q.grad.numpy(), rtol=1e-9, atol=1e-12, err_msg=name)
