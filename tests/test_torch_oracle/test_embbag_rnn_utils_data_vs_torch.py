"""EmbeddingBag (all modes, offsets, include_last_offset, per_sample_weights, padding_idx),
pad_sequence, packed recurrent layers and the deterministic samplers against PyTorch with
the same weights and inputs."""

import numpy as np
import pytest

import autograd
import nn
import nn.functional as F
from autograd import Tensor
from nn.utils import data as D
from nn.utils import rnn as R

torch = pytest.importorskip("torch")
TD = torch.utils.data

INPUT = np.array([1, 2, 2, 5, 0, 2, 1, 4])
OFFSETS = np.array([0, 3, 3, 6])


@pytest.mark.parametrize("mode", ["sum", "mean", "max"])
@pytest.mark.parametrize("padding_idx", [None, 2])
@pytest.mark.parametrize("layout", ["2d", "offsets", "include_last_offset"])
def test_embedding_bag(mode, padding_idx, layout):
    rng = np.random.default_rng(0)
    w = rng.standard_normal((6, 3))
    inp, off = (INPUT.reshape(2, 4), None) if layout == "2d" else (INPUT, OFFSETS)
    include_last_offset = layout == "include_last_offset"
    psw = rng.standard_normal(inp.shape) if mode == "sum" else None
    ours_w = Tensor(w, requires_grad=True)
    ours_p = None if psw is None else Tensor(psw, requires_grad=True)
    ours = nn.EmbeddingBag(
        6,
        3,
        mode=mode,
        padding_idx=padding_idx,
        _weight=ours_w.data,
        include_last_offset=include_last_offset,
    )
    theirs = torch.nn.EmbeddingBag(
        6,
        3,
        mode=mode,
        padding_idx=padding_idx,
        _weight=torch.tensor(w),
        include_last_offset=include_last_offset,
    )
    t_p = None if psw is None else torch.tensor(psw, requires_grad=True)
    out = ours(Tensor(inp), None if off is None else Tensor(off), ours_p)
    ref = theirs(torch.tensor(inp), None if off is None else torch.tensor(off), t_p)
    np.testing.assert_allclose(out.data, ref.detach().numpy(), rtol=1e-12, atol=1e-12)
    g = rng.standard_normal(out.shape)
    out.backward(Tensor(g))
    ref.backward(torch.tensor(g))
    np.testing.assert_allclose(ours.weight.grad.data, theirs.weight.grad.numpy(), atol=1e-12)
    if psw is not None:
        np.testing.assert_allclose(ours_p.grad.data, t_p.grad.numpy(), atol=1e-12)
    # the functional form agrees too
    f = F.embedding_bag(
        inp,
        ours_w,
        off,
        mode=mode,
        per_sample_weights=psw,
        include_last_offset=include_last_offset,
        padding_idx=padding_idx,
    )
    np.testing.assert_allclose(f.data, ref.detach().numpy(), rtol=1e-12, atol=1e-12)


def test_embedding_bag_repr_and_init():
    kwargs = {"max_norm": 1.5, "norm_type": 1.0, "mode": "max", "padding_idx": 0}
    assert repr(nn.EmbeddingBag(7, 2, **kwargs)) == repr(torch.nn.EmbeddingBag(7, 2, **kwargs))
    assert repr(nn.EmbeddingBag(7, 2)) == repr(torch.nn.EmbeddingBag(7, 2))
    assert nn.EmbeddingBag(7, 2).weight.dtype == np.float32


@pytest.mark.parametrize(
    "offsets, include_last_offset",
    [([1, 3], False), ([0, 3, 9], True), ([0, 9], False)],
    ids=["first_not_0", "closing_past_end", "past_end"],
)
def test_embedding_bag_bad_offsets_raise_as_torch(offsets, include_last_offset):
    w = np.random.default_rng(0).standard_normal((6, 2))
    kw = {"include_last_offset": include_last_offset}
    with pytest.raises(RuntimeError) as theirs:
        torch.nn.functional.embedding_bag(
            torch.tensor(INPUT), torch.tensor(w), torch.tensor(offsets), **kw
        )
    with pytest.raises(RuntimeError) as ours:
        F.embedding_bag(INPUT, Tensor(w), np.array(offsets), **kw)
    assert str(theirs.value).split(" ")[0] in str(ours.value)


@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("padding_side", ["right", "left"])
def test_pad_sequence(batch_first, padding_side):
    rng = np.random.default_rng(1)
    seqs = [rng.standard_normal((n, 2)) for n in (3, 1, 4)]
    ours = R.pad_sequence([Tensor(s) for s in seqs], batch_first, -2.0, padding_side)
    ref = torch.nn.utils.rnn.pad_sequence(
        [torch.tensor(s) for s in seqs], batch_first, -2.0, padding_side
    )
    np.testing.assert_array_equal(ours.data, ref.numpy())


@pytest.mark.parametrize("cls", ["RNN", "LSTM", "GRU"])
@pytest.mark.parametrize("bidirectional", [False, True])
def test_packed_recurrent_layers(cls, bidirectional):
    rng = np.random.default_rng(2)
    theirs = getattr(torch.nn, cls)(3, 4, num_layers=2, bidirectional=bidirectional).double()
    ours = getattr(nn, cls)(3, 4, num_layers=2, bidirectional=bidirectional).double()
    ours.load_state_dict({k: v.detach().numpy() for k, v in theirs.state_dict().items()})
    x = rng.standard_normal((5, 4, 3))
    lengths = [2, 5, 3, 5]
    h0 = rng.standard_normal((2 * (2 if bidirectional else 1), 4, 4))
    xo, xt = Tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    hx_o = (Tensor(h0), Tensor(h0 / 2)) if cls == "LSTM" else Tensor(h0)
    hx_t = (torch.tensor(h0), torch.tensor(h0 / 2)) if cls == "LSTM" else torch.tensor(h0)
    out_o, st_o = ours(R.pack_padded_sequence(xo, lengths, enforce_sorted=False), hx_o)
    out_t, st_t = theirs(
        torch.nn.utils.rnn.pack_padded_sequence(xt, lengths, enforce_sorted=False), hx_t
    )
    np.testing.assert_allclose(out_o.data.data, out_t.data.detach().numpy(), atol=1e-12)
    assert out_o.batch_sizes.tolist() == out_t.batch_sizes.tolist()
    assert out_o.sorted_indices.tolist() == out_t.sorted_indices.tolist()
    states_o = list(st_o) if cls == "LSTM" else [st_o]
    states_t = list(st_t) if cls == "LSTM" else [st_t]
    for so, st in zip(states_o, states_t):
        np.testing.assert_allclose(so.data, st.detach().numpy(), atol=1e-12)
    g = rng.standard_normal(out_t.data.shape)
    gs = [rng.standard_normal(s.shape) for s in states_t]
    loss_o = (out_o.data * Tensor(g)).sum() + sum(
        (s * Tensor(gi)).sum() for s, gi in zip(states_o, gs)
    )
    loss_t = (out_t.data * torch.tensor(g)).sum() + sum(
        (s * torch.tensor(gi)).sum() for s, gi in zip(states_t, gs)
    )
    loss_o.backward()
    loss_t.backward()
    np.testing.assert_allclose(xo.grad.data, xt.grad.numpy(), atol=1e-10)
    params = dict(ours.named_parameters())
    for name, p in theirs.named_parameters():
        np.testing.assert_allclose(params[name].grad.data, p.grad.numpy(), atol=1e-10)


def test_sequential_and_batch_sampler_index_sequences():
    assert list(D.SequentialSampler(range(7))) == list(TD.SequentialSampler(range(7)))
    for drop_last in (False, True):
        ours = D.BatchSampler(D.SequentialSampler(range(7)), 3, drop_last)
        theirs = TD.BatchSampler(TD.SequentialSampler(range(7)), 3, drop_last)
        assert list(ours) == list(theirs) and len(ours) == len(theirs)
    x = np.arange(10.0)
    ours_l = D.DataLoader(D.TensorDataset(Tensor(x)), batch_size=4, sampler=[9, 1, 3, 5, 7])
    theirs_l = TD.DataLoader(
        TD.TensorDataset(torch.tensor(x)), batch_size=4, sampler=[9, 1, 3, 5, 7]
    )
    assert [b[0].tolist() for b in ours_l] == [b[0].tolist() for b in theirs_l]
    bs = [[2, 3], [0], [9, 8, 7]]
    ours_l = D.DataLoader(D.TensorDataset(Tensor(x)), batch_sampler=bs)
    theirs_l = TD.DataLoader(TD.TensorDataset(torch.tensor(x)), batch_sampler=bs)
    assert [b[0].tolist() for b in ours_l] == [b[0].tolist() for b in theirs_l]
    assert len(ours_l) == len(theirs_l)
    # random samplers: same lengths and coverage as torch's (the streams differ)
    autograd.manual_seed(0)
    assert sorted(D.RandomSampler(range(9))) == sorted(TD.RandomSampler(range(9)))
    assert len(D.RandomSampler(range(9), num_samples=4)) == len(
        TD.RandomSampler(range(9), num_samples=4)
    )


def test_pack_padded_sequence_takes_float_lengths_as_torch():
    x = np.arange(12.0).reshape(3, 2, 2)
    lengths = np.array([3.0, 2.0])
    ours = R.pack_padded_sequence(Tensor(x), Tensor(lengths))
    theirs = torch.nn.utils.rnn.pack_padded_sequence(torch.tensor(x), torch.tensor(lengths))
    np.testing.assert_array_equal(ours.data.data, theirs.data.numpy())
    np.testing.assert_array_equal(ours.batch_sizes.data, theirs.batch_sizes.numpy())


def test_chained_streams_and_worker_info_as_torch():
    def stream(lib: object, items: list) -> object:
        base = TD.IterableDataset if lib is TD else D.IterableDataset

        class Stream(base):  # type: ignore[misc,valid-type]
            def __iter__(self):
                return iter(items)

        return Stream()

    batches = []
    for lib in (TD, D):
        loader = lib.DataLoader(stream(lib, [1, 2, 3]) + stream(lib, [4, 5]), batch_size=2)
        batches.append([b.tolist() for b in loader])
        assert lib.get_worker_info() is None
    assert batches[0] == batches[1]


def test_default_collate_containers_as_torch():
    from collections import namedtuple

    from torch.utils.data import default_collate as t_collate

    Pair = namedtuple("Pair", "x y")
    for batch in (
        [(1, 2.0), (3, 4.0)],
        [[1, 2], [3, 4]],
        [("a", np.float32(1)), ("b", np.float32(2))],
        [{"t": "x", "v": [1, 2]}, {"t": "y", "v": [3, 4]}],
        [Pair(1, "p"), Pair(2, "q")],
        ["a", "b"],
        [1, 2.5],  # an int first, a float after: torch.tensor's float32, not truncated ints
        [2.5, 1],
        [True, False],
    ):
        ours, theirs = D.default_collate(batch), t_collate(batch)
        _same_structure(ours, theirs)


def _same_structure(ours, theirs):
    assert type(ours) is type(theirs) or (
        isinstance(ours, Tensor) and isinstance(theirs, torch.Tensor)
    ), (type(ours), type(theirs))
    if isinstance(ours, Tensor):
        np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
        assert str(ours.dtype) == str(theirs.dtype).replace("torch.", "")
    elif isinstance(ours, dict):
        assert ours.keys() == theirs.keys()
        for k in ours:
            _same_structure(ours[k], theirs[k])
    elif isinstance(ours, (list, tuple)):
        assert len(ours) == len(theirs)
        for a, b in zip(ours, theirs):
            _same_structure(a, b)
    else:
        assert ours == theirs


def test_huge_replacement_sampler_iterates_lazily_as_torch():
    """minGPT's ``RandomSampler(ds, replacement=True, num_samples=int(1e10))``: both draw as
    iterated, with the same lengths through a DataLoader."""
    x = np.arange(5.0)
    loaders = [
        L.DataLoader(
            L.TensorDataset(t),
            sampler=L.RandomSampler(range(5), replacement=True, num_samples=int(1e10)),
            batch_size=8,
        )
        for L, t in ((D, Tensor(x)), (TD, torch.tensor(x)))
    ]
    assert len(loaders[0]) == len(loaders[1]) == 1_250_000_000
    for loader in loaders:
        it = iter(loader)
        batches = [next(it)[0].tolist() for _ in range(20)]
        assert all(len(b) == 8 and set(b) <= set(x.tolist()) for b in batches)
        assert len({v for b in batches for v in b}) == 5
