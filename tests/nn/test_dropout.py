"""Dropout: inverted scaling, mask statistics, eval identity, gradients."""

import warnings

import numpy as np
import pytest

import autograd
import nn
import nn.functional as F
from autograd import Tensor, Value


def ones(*shape, dtype=np.float64, requires_grad=False):
    return Tensor(np.ones(shape, dtype=dtype), requires_grad=requires_grad)


@pytest.mark.parametrize("p", [0.1, 0.5, 0.8])
def test_kept_entries_are_scaled_and_the_drop_rate_is_p(p):
    autograd.manual_seed(0)
    x = Tensor(np.random.default_rng(123).uniform(1, 2, size=(200, 200)))
    y = F.dropout(x, p).data
    kept = y != 0
    np.testing.assert_allclose(y[kept], x.data[kept] / (1 - p), rtol=1e-15)
    n = kept.size
    assert abs((1 - kept.mean()) - p) < 4 * np.sqrt(p * (1 - p) / n)
    # inverted dropout keeps the expectation: mean of y ~ mean of x
    assert abs(y.mean() - x.data.mean()) < 0.02 * x.data.mean() / np.sqrt(1 - p)


def test_eval_and_p_zero_return_the_input_itself():
    x = ones(3, 3)
    assert F.dropout(x, 0.5, training=False) is x
    assert F.dropout(x, 0.0) is x
    m = nn.Dropout(0.5).eval()
    assert m(x) is x


def test_p_one_gives_zeros_and_zero_gradient():
    x = ones(4, 4, requires_grad=True)
    y = F.dropout(x, 1.0)
    assert np.all(y.data == 0) and np.all(np.isfinite(y.data))
    y.sum().backward()
    assert np.all(x.grad == 0)


def test_gradient_is_the_same_mask_times_the_scale():
    autograd.manual_seed(1)
    x = ones(50, 50, requires_grad=True)
    y = F.dropout(x, 0.3)
    y.sum().backward()
    np.testing.assert_array_equal(x.grad, y.data)  # y = mask / 0.7 where x = 1


def test_float32_stays_float32():
    autograd.manual_seed(2)
    x = ones(10, dtype=np.float32, requires_grad=True)
    y = F.dropout(x, 0.5)
    assert y.dtype == np.float32
    y.sum().backward()
    assert x.grad.dtype == np.float32
    assert set(np.unique(y.data)) <= {np.float32(0), np.float32(2)}


@pytest.mark.parametrize("p", [-0.1, 1.5, "0.5", True])
def test_p_outside_zero_one_is_an_error(p):
    with pytest.raises(ValueError, match="between 0 and 1"):
        F.dropout(ones(2), p)
    with pytest.raises(ValueError, match="between 0 and 1"):
        nn.Dropout(p)


def test_values_are_dropped_or_scaled():
    autograd.manual_seed(3)
    outs = {F.dropout(Value(1.5), 0.5).data for _ in range(200)}
    assert outs == {0.0, 3.0}
    v = Value(2.0)
    assert F.dropout(v, 0.5, training=False) is v


def test_module_follows_train_and_eval_and_draws_fresh_masks():
    autograd.manual_seed(4)
    net = nn.Sequential(nn.Dropout(0.5))
    x = ones(100)
    a, b = net(x).data, net(x).data
    assert not np.array_equal(a, b)
    net.eval()
    assert net(x) is x
    assert repr(nn.Dropout(0.2)) == "Dropout(p=0.2, inplace=False)"


def test_repeatable_with_manual_seed():
    autograd.manual_seed(5)
    a = F.dropout(ones(20), 0.5).data
    autograd.manual_seed(5)
    b = F.dropout(ones(20), 0.5).data
    assert np.array_equal(a, b)


def test_bad_input_is_refused():
    with pytest.raises(TypeError, match="Tensor or a Value"):
        F.dropout(np.ones(3), 0.5)


@pytest.mark.parametrize(
    "layer", [nn.Dropout(0.5, True), nn.Dropout2d(0.5, True), nn.AlphaDropout(0.5, True)]
)
def test_inplace_dropout_writes_into_its_input(layer):
    w = Tensor(np.ones((4, 3, 5, 5)), requires_grad=True)
    h = w * 2.0
    out = layer(h)
    assert out is h
    assert np.any(h.data != 2.0)  # some entries dropped (and the rest rescaled)
    out.sum().backward()
    assert w.grad is not None
    layer.eval()
    assert layer(h) is h


@pytest.mark.parametrize(
    "layer,shape",
    [(nn.Dropout, (6, 50)), (nn.Dropout2d, (6, 50, 2, 2)), (nn.Dropout1d, (6, 50, 3))],
)
def test_inplace_writes_the_input_and_keeps_the_gradient(layer, shape):
    # as PyTorch's nn.Dropout(p, inplace=True) after a layer: the layer's output is modified
    autograd.manual_seed(3)
    x = Tensor(np.random.default_rng(0).normal(size=shape), requires_grad=True)
    h = x * 3.0
    drop = layer(0.4, inplace=True)
    assert repr(drop) == f"{layer.__name__}(p=0.4, inplace=True)"
    out = drop(h)
    assert out is h
    kept = out.data != 0
    assert 0.2 < 1 - kept.mean() < 0.6
    np.testing.assert_allclose(out.data[kept], (x.data * 3.0 / 0.6)[kept])
    out.sum().backward()
    np.testing.assert_allclose(x.grad.data, np.where(kept, 3.0 / 0.6, 0.0))
    leaf = Tensor(np.ones(shape), requires_grad=True)
    with pytest.raises(RuntimeError):  # a leaf that requires grad: refused, as PyTorch
        drop(leaf)
    drop.eval()
    assert drop(leaf) is leaf


@pytest.mark.parametrize(
    ("layer", "shape", "mask_dims"),
    [
        (nn.Dropout1d, (4, 6, 9), 2),
        (nn.Dropout1d, (6, 9), 1),
        (nn.Dropout2d, (4, 6, 5, 5), 2),
        (nn.Dropout2d, (4, 6, 5), 2),  # PyTorch reads 3-d as (N, C, L), with a warning
        (nn.Dropout2d, (30, 6), 2),  # 2-d (N, C), deprecated: entry by entry (mnist_rnn)
        (nn.Dropout2d, (4, 6, 2, 2, 2), 2),  # 5-d, deprecated: (N, C, *)
        (nn.Dropout3d, (2, 6, 3, 3, 3), 2),
        (nn.Dropout3d, (6, 3, 3, 3), 1),
        (nn.Dropout3d, (6, 3, 3), 1),  # deprecated ranks are unbatched (C, *)
    ],
)
@pytest.mark.filterwarnings("ignore:dropout[23]d. a [235]-d input")  # the deprecated ranks
def test_channel_dropout_zeroes_whole_channels_and_scales_the_rest(layer, shape, mask_dims):
    autograd.manual_seed(0)
    x = Tensor(np.ones(shape), requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        y = layer(p=0.5)(x)
    channels = y.data.reshape(shape[:mask_dims] + (-1,))
    for row in channels.reshape(-1, channels.shape[-1]):
        assert set(np.unique(row)) <= {0.0, 2.0} and len(set(row)) == 1  # all kept or all zero
    assert 0 < (channels[..., 0] == 0).sum() < channels[..., 0].size
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.data, y.data)  # the gradient is the same mask
    assert layer(p=0.5).eval()(x) is x


def test_channel_dropout_refuses_wrong_ranks_and_warns_on_deprecated_ones():
    with pytest.raises(ValueError, match=r"dropout2d: expected a 3-d \(unbatched\) or 4-d"):
        F.dropout2d(Tensor(np.ones(3)))
    with pytest.raises(ValueError, match=r"dropout1d: expected a 2-d \(unbatched\) or 3-d"):
        F.dropout1d(Tensor(np.ones((2, 3, 4, 5))))
    with pytest.raises(ValueError, match=r"dropout3d: expected a 4-d \(unbatched\) or 5-d"):
        F.dropout3d(Tensor(np.ones(())))
    for fn, shape in ((F.dropout2d, (2, 3)), (F.dropout3d, (2, 3)), (F.dropout2d, (1,) * 5)):
        with pytest.warns(UserWarning, match=r"-d input is deprecated in PyTorch"):
            fn(Tensor(np.ones(shape)), 0.5, training=False)
    assert repr(nn.Dropout2d(0.2)) == "Dropout2d(p=0.2, inplace=False)"


@pytest.mark.parametrize(
    "call",
    [
        lambda x, p: F.dropout(x, p),
        lambda x, p: nn.Dropout(p)(x),
        lambda x, p: F.dropout1d(x, p),
        lambda x, p: F.dropout2d(x[None], p),
        lambda x, p: F.alpha_dropout(x, p, training=True),
        lambda x, p: F.feature_alpha_dropout(x, p, training=True),
    ],
)
def test_dropout_refuses_integer_input_it_would_scale(call):
    """Kept entries are scaled by 1 / (1 - p): an integer tensor would have them cut (it gave
    int64 garbage); PyTorch refuses, and so do we. p=1 (zeros) and evaluation are fine."""
    x = Tensor(np.arange(24).reshape(2, 3, 4))
    with pytest.raises(RuntimeError, match=r"expected a floating tensor.*\.float\(\)"):
        call(x, 0.3)
    assert call(x.float(), 0.3).dtype == np.float32
    assert F.dropout(x, 0.3, training=False) is x and F.dropout(x, 0.0) is x
    zeros = F.dropout(x, 1.0)
    assert zeros.dtype == np.int64 and (zeros.data == 0).all()
