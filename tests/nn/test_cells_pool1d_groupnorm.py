"""RNNCell, LSTMCell, GRUCell; max/avg/adaptive-avg pooling in 1-d; GroupNorm: values against
numpy written from the formulas, shapes (batched and unbatched), PyTorch's parameter names,
shapes, init and reprs, first and second derivatives by finite differences, and errors."""

import math

import numpy as np
import pytest

import autograd
import nn
import nn.functional as F
from autograd import Tensor
from autograd.testing import gradcheck, gradgradcheck

rng = np.random.default_rng(0)


def sig(a):
    return 1 / (1 + np.exp(-a))


# --- cells ---------------------------------------------------------------------------------


def numpy_cell(kind, x, h, c, w_ih, w_hh, b_ih, b_hh):
    """One step as PyTorch's documentation writes it (gate order i f g o; r z n)."""
    gi = x @ w_ih.T + b_ih
    gh = h @ w_hh.T + b_hh
    if kind == "tanh":
        return np.tanh(gi + gh)
    if kind == "relu":
        return np.maximum(gi + gh, 0)
    if kind == "lstm":
        i, f, g, o = np.split(gi + gh, 4, axis=-1)
        c2 = sig(f) * c + sig(i) * np.tanh(g)
        return sig(o) * np.tanh(c2), c2
    r = sig(gi[..., :H] + gh[..., :H])
    z = sig(gi[..., H : 2 * H] + gh[..., H : 2 * H])
    n = np.tanh(gi[..., 2 * H :] + r * gh[..., 2 * H :])
    return (1 - z) * n + z * h


H = 4
CELLS = {
    "tanh": lambda **kw: nn.RNNCell(3, H, **kw),
    "relu": lambda **kw: nn.RNNCell(3, H, nonlinearity="relu", **kw),
    "lstm": lambda **kw: nn.LSTMCell(3, H, **kw),
    "gru": lambda **kw: nn.GRUCell(3, H, **kw),
}


def _arrays(m):
    return [p.data for p in (m.weight_ih, m.weight_hh, m.bias_ih, m.bias_hh)]


@pytest.mark.parametrize("kind", list(CELLS))
def test_cells_follow_the_formulas_batched_and_unbatched(kind):
    m = CELLS[kind](dtype=np.float64)
    x, h, c = rng.normal(size=(5, 3)), rng.normal(size=(5, H)), rng.normal(size=(5, H))
    want = numpy_cell(kind, x, h, c, *_arrays(m))
    if kind == "lstm":
        got = m(Tensor(x), (Tensor(h), Tensor(c)))
        assert isinstance(got, tuple) and len(got) == 2
        for g, w in zip(got, want):
            assert g.shape == (5, H)
            np.testing.assert_allclose(g.data, w, rtol=1e-12, atol=1e-12)
        one = m(Tensor(x[2]), (Tensor(h[2]), Tensor(c[2])))
        for g, w in zip(one, want):
            assert g.shape == (H,)
            np.testing.assert_allclose(g.data, w[2], rtol=1e-12, atol=1e-12)
    else:
        got = m(Tensor(x), Tensor(h))
        assert got.shape == (5, H)
        np.testing.assert_allclose(got.data, want, rtol=1e-12, atol=1e-12)
        one = m(Tensor(x[2]), Tensor(h[2]))
        assert one.shape == (H,)
        np.testing.assert_allclose(one.data, want[2], rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("kind", list(CELLS))
def test_missing_state_is_zeros(kind):
    m = CELLS[kind](dtype=np.float64)
    x = rng.normal(size=(2, 3))
    zeros = np.zeros((2, H))
    want = numpy_cell(kind, x, zeros, zeros, *_arrays(m))
    got = m(Tensor(x))
    for g, w in zip(*((got, want) if kind == "lstm" else ((got,), (want,)))):
        np.testing.assert_allclose(g.data, w, rtol=1e-12, atol=1e-12)
    unbatched = m(Tensor(x[1]))
    first = unbatched[0] if kind == "lstm" else unbatched
    assert first.shape == (H,)


@pytest.mark.parametrize("kind", list(CELLS))
def test_cell_is_one_step_of_the_layer(kind):
    layer = {
        "tanh": nn.RNN(3, H),
        "relu": nn.RNN(3, H, nonlinearity="relu"),
        "lstm": nn.LSTM(3, H),
        "gru": nn.GRU(3, H),
    }[kind].double()
    m = CELLS[kind](dtype=np.float64)
    m.load_state_dict({k.removesuffix("_l0"): v for k, v in layer.state_dict().items()})
    x = rng.normal(size=(1, 2, 3))
    out, _ = layer(Tensor(x))
    got = m(Tensor(x[0]))
    np.testing.assert_allclose((got[0] if kind == "lstm" else got).data, out.data[0], rtol=1e-12)


def test_no_bias_cells():
    m = nn.GRUCell(3, H, bias=False, dtype=np.float64)
    assert m.bias_ih is None and m.bias_hh is None
    assert list(m.state_dict()) == ["weight_ih", "weight_hh"]
    x, h = rng.normal(size=(2, 3)), rng.normal(size=(2, H))
    z = np.zeros(3 * H)
    want = numpy_cell("gru", x, h, None, m.weight_ih.data, m.weight_hh.data, z, z)
    np.testing.assert_allclose(m(Tensor(x), Tensor(h)).data, want, rtol=1e-12)


def test_cell_parameters_init_and_repr_as_pytorch():
    autograd.manual_seed(0)
    for cls, chunks in ((nn.RNNCell, 1), (nn.LSTMCell, 4), (nn.GRUCell, 3)):
        m = cls(3, 16)
        assert [(n, tuple(p.shape)) for n, p in m.named_parameters()] == [
            ("weight_ih", (chunks * 16, 3)),
            ("weight_hh", (chunks * 16, 16)),
            ("bias_ih", (chunks * 16,)),
            ("bias_hh", (chunks * 16,)),
        ]
        for p in m.parameters():
            assert p.dtype == np.float32
            assert np.abs(p.data).max() <= 1 / math.sqrt(16)
            assert np.abs(p.data).max() > 0.5 / math.sqrt(16)  # spread over the range
    assert repr(nn.RNNCell(3, 4)) == "RNNCell(3, 4)"
    assert repr(nn.RNNCell(3, 4, False, "relu")) == "RNNCell(3, 4, bias=False, nonlinearity=relu)"
    assert repr(nn.LSTMCell(3, 4)) == "LSTMCell(3, 4)"
    assert repr(nn.GRUCell(3, 4, bias=False)) == "GRUCell(3, 4, bias=False)"


@pytest.mark.parametrize("kind", list(CELLS))
def test_cell_gradients_first_and_second_order(kind):
    m = CELLS[kind](dtype=np.float64)
    x = Tensor(rng.normal(size=(2, 3)), requires_grad=True)
    h = Tensor(rng.normal(size=(2, H)), requires_grad=True)
    c = Tensor(rng.normal(size=(2, H)), requires_grad=True)
    params = list(m.parameters())
    if kind == "lstm":

        def f(x, h, c, *ws):
            return m(x, (h, c))

        inputs = [x, h, c, *params]
    else:

        def f(x, h, *ws):
            return m(x, h)

        inputs = [x, h, *params]
    assert gradcheck(f, inputs)
    states = inputs[: len(inputs) - len(params)]
    assert gradgradcheck(lambda *xs: f(*xs, *params), states)
    assert gradgradcheck(lambda w_hh: f(*states, *params), [m.weight_hh])
    # unbatched input: the same derivatives through the squeeze
    xu = Tensor(rng.normal(size=(3,)), requires_grad=True)
    assert gradcheck(lambda xu: m(xu), [xu])


@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda: nn.RNNCell(3, 4)(Tensor(np.zeros((1, 2, 3)))), ValueError, "1D or 2D, got 3D"),
        (
            lambda: nn.GRUCell(3, 4)(Tensor(np.zeros((2, 5)))),
            RuntimeError,  # shape mismatches: torch's RuntimeError
            "last dimension must be 3",
        ),
        (
            lambda: nn.RNNCell(3, 4)(Tensor(np.zeros((2, 3))), Tensor(np.zeros((3, 4)))),
            RuntimeError,
            r"\(2, 4\)",
        ),
        (
            lambda: nn.GRUCell(3, 4)(Tensor(np.zeros(3)), Tensor(np.zeros((1, 4)))),
            RuntimeError,
            r"\(4,\)",
        ),
        (
            lambda: nn.LSTMCell(3, 4)(Tensor(np.zeros((2, 3))), Tensor(np.zeros((2, 4)))),
            ValueError,
            "pair",
        ),
        (
            lambda: nn.LSTMCell(3, 4)(Tensor(np.zeros(3)), (np.zeros(4), np.zeros(5))),
            RuntimeError,
            "hx\\[1\\]",
        ),
        (lambda: nn.RNNCell(3, 4, nonlinearity="sigmoid"), ValueError, "nonlinearity"),
        (lambda: nn.LSTMCell(0, 4), ValueError, "input_size"),
    ],
)
def test_cell_errors(call, error, match):
    with pytest.raises(error, match=match):
        call()


# --- 1-d pooling ---------------------------------------------------------------------------


def test_pool1d_exact_small_cases():
    x = Tensor(np.array([[[1.0, 3.0, 2.0, 5.0, 4.0, 0.0, 7.0]]]), requires_grad=True)
    y = F.max_pool1d(x, 2)
    np.testing.assert_array_equal(y.data, [[[3, 5, 4]]])
    y.sum().backward()
    np.testing.assert_array_equal(np.asarray(x.grad), [[[0, 1, 0, 1, 1, 0, 0]]])
    np.testing.assert_array_equal(F.max_pool1d(x, 2, ceil_mode=True).data, [[[3, 5, 4, 7]]])
    # stride 1, padding 1, dilation 2: windows (p-1, p+1) for p = 0..6, padding -inf
    np.testing.assert_array_equal(F.max_pool1d(x, 2, 1, 1, 2).data, [[[3, 2, 5, 4, 5, 7, 0]]])
    vals, idx = F.max_pool1d(x, 3, 2, return_indices=True)
    np.testing.assert_array_equal(vals.data, [[[3, 5, 7]]])
    np.testing.assert_array_equal(idx.data, [[[1, 3, 6]]])
    assert idx.dtype == np.int64
    np.testing.assert_allclose(F.avg_pool1d(x, 3).data, [[[2, 3]]])
    ones = Tensor(np.ones((1, 1, 5)))
    np.testing.assert_array_equal(F.avg_pool1d(ones, 2, 2, 1, True).data, [[[0.5, 1, 1]]])
    np.testing.assert_array_equal(
        F.avg_pool1d(ones, 2, 2, 1, count_include_pad=False).data, [[[1, 1, 1]]]
    )
    ar = Tensor(np.arange(10.0).reshape(1, 10))  # unbatched (C, L)
    np.testing.assert_allclose(F.adaptive_avg_pool1d(ar, 3).data, [[1.5, 4.5, 7.5]])
    np.testing.assert_allclose(F.adaptive_avg_pool1d(ar, (1,)).data, [[4.5]])


def test_pool1d_is_the_2d_op_along_one_row():
    x = rng.normal(size=(2, 3, 11))
    t = Tensor(x)
    rows = Tensor(x[:, :, None, :])
    pairs = [
        (F.max_pool1d(t, 3, 2, 1, 2, True),
         F.max_pool2d(rows, (1, 3), (1, 2), (0, 1), (1, 2), True)),
        (F.avg_pool1d(t, 4, 3, 2, True, False),
         F.avg_pool2d(rows, (1, 4), (1, 3), (0, 2), True, False)),
        (F.adaptive_avg_pool1d(t, 4), F.adaptive_avg_pool2d(rows, (1, 4))),
    ]  # fmt: skip
    for one, two in pairs:  # equal up to the order BLAS sums in
        np.testing.assert_allclose(one.data, two.data[:, :, 0], rtol=1e-14, atol=1e-15)
    unb = F.max_pool1d(Tensor(x[0]), 3)
    assert unb.shape == (3, 3)
    np.testing.assert_array_equal(unb.data, F.max_pool1d(t, 3).data[0])


def test_pool1d_gradients_first_and_second_order():
    x = Tensor(rng.normal(size=(2, 2, 9)), requires_grad=True)
    for f in (
        lambda x: F.max_pool1d(x, 3, 2, 1, ceil_mode=True),
        lambda x: F.max_pool1d(x, 2, 1, 1, dilation=2),
        lambda x: F.avg_pool1d(x, 3, 2, 1, count_include_pad=False),
        lambda x: F.adaptive_avg_pool1d(x, 4),
    ):
        assert gradcheck(f, [x])
        assert gradgradcheck(f, [x])
    assert gradcheck(lambda x: nn.AvgPool1d(3)(x[0]), [x])


def test_pool1d_modules_and_reprs_as_pytorch():
    x = Tensor(rng.normal(size=(2, 3, 8)))
    np.testing.assert_array_equal(nn.MaxPool1d(3, 2, 1)(x).data, F.max_pool1d(x, 3, 2, 1).data)
    vals, idx = nn.MaxPool1d(2, return_indices=True)(x)
    assert vals.shape == idx.shape == (2, 3, 4)
    np.testing.assert_array_equal(nn.AvgPool1d(3, 1)(x).data, F.avg_pool1d(x, 3, 1).data)
    np.testing.assert_array_equal(nn.AdaptiveAvgPool1d(2)(x).data, F.adaptive_avg_pool1d(x, 2).data)
    assert repr(nn.MaxPool1d(3)) == (
        "MaxPool1d(kernel_size=3, stride=3, padding=0, dilation=1, ceil_mode=False)"
    )
    assert repr(nn.MaxPool1d(3, 2, 1, 2, True, True)) == (
        "MaxPool1d(kernel_size=3, stride=2, padding=1, dilation=2, ceil_mode=True)"
    )
    assert repr(nn.AvgPool1d(3)) == "AvgPool1d(kernel_size=(3,), stride=(3,), padding=(0,))"
    assert repr(nn.AvgPool1d(3, 2, 1)) == "AvgPool1d(kernel_size=(3,), stride=(2,), padding=(1,))"
    assert repr(nn.AdaptiveAvgPool1d(4)) == "AdaptiveAvgPool1d(output_size=4)"
    assert list(nn.MaxPool1d(2).parameters()) == []


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda x: F.max_pool1d(x, 3, padding=2), "max_pool1d: padding 2 should be at most half"),
        (lambda x: F.avg_pool1d(x[0, 0], 2), "avg_pool1d: expected a 2-d"),
        (lambda x: F.max_pool1d(x[None], 2), "3-d"),
        (lambda x: F.max_pool1d(x, (2, 2)), "1-tuple"),
        (lambda x: F.max_pool1d(x, 6, dilation=2), "larger than the padded input"),
        (lambda x: F.adaptive_avg_pool1d(x, (2, 3)), "output_size"),
        (lambda x: nn.MaxPool1d(0)(x), "MaxPool1d: kernel_size"),
        (lambda x: nn.AvgPool1d(9)(x), "AvgPool1d: the window"),
        (lambda x: nn.AdaptiveAvgPool1d(0)(x), "AdaptiveAvgPool1d: output_size"),
    ],
)
def test_pool1d_errors(call, match):
    with pytest.raises(ValueError, match=match):
        call(Tensor(np.zeros((1, 2, 8))))


# --- group normalisation -------------------------------------------------------------------


def numpy_group_norm(x, g, w=None, b=None, eps=1e-5):
    n, c = x.shape[:2]
    xg = x.reshape(n, g, int(np.prod(x.shape[1:])) // g)
    mean = xg.mean(axis=2, keepdims=True)
    var = xg.var(axis=2, keepdims=True)
    y = ((xg - mean) / np.sqrt(var + eps)).reshape(x.shape)
    shape = (1, c) + (1,) * (x.ndim - 2)
    if w is not None:
        y = y * w.reshape(shape)
    if b is not None:
        y = y + b.reshape(shape)
    return y


def test_group_norm_exact_small_case():
    # two groups of two channels; each group's four values are 1, 2, 3, 4 (mean 2.5, var 1.25)
    x = np.array([[[1.0, 2.0], [3.0, 4.0], [4.0, 3.0], [2.0, 1.0]]])
    y = F.group_norm(Tensor(x), 2, eps=0.0).data
    s = 1 / math.sqrt(1.25)
    np.testing.assert_allclose(
        y, [[[-1.5 * s, -0.5 * s], [0.5 * s, 1.5 * s], [1.5 * s, 0.5 * s], [-0.5 * s, -1.5 * s]]]
    )
    w, b = np.array([1.0, 2.0, 3.0, 4.0]), np.array([0.0, 1.0, 0.0, -1.0])
    yw = F.group_norm(Tensor(x), 2, Tensor(w), Tensor(b), eps=0.0).data
    np.testing.assert_allclose(yw, y * w[None, :, None] + b[None, :, None])


@pytest.mark.parametrize("shape, groups", [((3, 6), 3), ((2, 6, 5), 2), ((2, 4, 3, 2), 4),
                                           ((2, 4, 3, 2), 1), ((0, 4, 3), 2)])  # fmt: skip
def test_group_norm_matches_the_definition(shape, groups):
    x = rng.normal(size=shape) * 3 + 1
    w, b = rng.normal(size=shape[1]), rng.normal(size=shape[1])
    got = F.group_norm(Tensor(x), groups, Tensor(w), Tensor(b), eps=1e-3)
    assert got.shape == shape and got.dtype == np.float64
    np.testing.assert_allclose(got.data, numpy_group_norm(x, groups, w, b, 1e-3), atol=1e-12)
    np.testing.assert_allclose(
        F.group_norm(Tensor(x), groups).data, numpy_group_norm(x, groups), atol=1e-12
    )


def test_group_norm_with_one_group_is_layer_norm_over_all_but_the_batch():
    x = Tensor(rng.normal(size=(2, 3, 4)))
    np.testing.assert_allclose(
        F.group_norm(x, 1).data, F.layer_norm(x, (3, 4)).data, rtol=1e-12, atol=1e-12
    )


def test_group_norm_gradients_first_and_second_order():
    x = Tensor(rng.normal(size=(2, 6, 3)), requires_grad=True)
    w = Tensor(rng.normal(size=6), requires_grad=True)
    b = Tensor(rng.normal(size=6), requires_grad=True)
    assert gradcheck(lambda x, w, b: F.group_norm(x, 3, w, b), [x, w, b])
    assert gradgradcheck(lambda x, w, b: F.group_norm(x, 3, w, b), [x, w, b])
    m = nn.GroupNorm(2, 6, dtype=np.float64)
    assert gradcheck(lambda x, *ps: m(x), [x, *m.parameters()])


def test_group_norm_module_as_pytorch():
    m = nn.GroupNorm(2, 4)
    assert [(n, tuple(p.shape)) for n, p in m.named_parameters()] == [
        ("weight", (4,)),
        ("bias", (4,)),
    ]
    assert m.weight.dtype == np.float32
    np.testing.assert_array_equal(m.weight.data, np.ones(4))
    np.testing.assert_array_equal(m.bias.data, np.zeros(4))
    assert repr(m) == "GroupNorm(2, 4, eps=1e-05, affine=True, bias=True)"
    plain = nn.GroupNorm(2, 4, affine=False)
    assert plain.weight is None and plain.bias is None and list(plain.state_dict()) == []
    assert repr(plain) == "GroupNorm(2, 4, eps=1e-05, affine=False, bias=False)"
    assert repr(nn.GroupNorm(1, 3, eps=0.1, bias=False)) == (
        "GroupNorm(1, 3, eps=0.1, affine=True, bias=False)"
    )
    x = rng.normal(size=(3, 4, 5)).astype(np.float32)
    m.weight.data[:] = [1, 2, 3, 4]
    np.testing.assert_allclose(
        m(Tensor(x)).data, numpy_group_norm(x, 2, m.weight.data, m.bias.data), atol=1e-5
    )
    assert m(Tensor(x)).dtype == np.float32


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: nn.GroupNorm(3, 4), r"num_channels \(4\) must be divisible by num_groups \(3\)"),
        (lambda: F.group_norm(Tensor(np.zeros((2, 3))), 2), "divisible by num_groups=2"),
        (lambda: F.group_norm(Tensor(np.zeros(4)), 2), "expected input of shape"),
        (lambda: F.group_norm(Tensor(np.zeros((1, 2))), 2), "more than 1 value"),
        (lambda: F.group_norm(Tensor(np.zeros((2, 4))), 2, Tensor(np.ones(3))), "weight"),
        (lambda: nn.GroupNorm(2, 4)(Tensor(np.zeros((2, 6, 3)))), r"GroupNorm\(num_channels=4\)"),
        (lambda: F.group_norm(Tensor(np.zeros((2, 4))), 0), "num_groups"),
    ],
)
def test_group_norm_errors(call, match):
    with pytest.raises(ValueError, match=match):
        call()
