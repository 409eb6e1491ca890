"""User-defined autograd.Function: forward on raw data, backward, save_for_backward,
needs_input_grad, constants, and second order when backward is written with operators."""

import math

import numpy as np
import pytest
from hypothesis import given

import autograd as ag
from autograd import Function, Tensor, Value, dual
from autograd.testing import gradcheck, gradgradcheck
from autograd.testing.strategies import floats, tensors


class ScaledCube(Function):
    """k * x**3 with a constant k; backward written with operators only."""

    @staticmethod
    def forward(ctx, x, k):
        ctx.save_for_backward(x)
        ctx.k = k
        return k * x**3

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g * 3 * ctx.k * x * x, None


class MyExp(Function):
    """e**x saving its output, as the notes' derivative rule uses it."""

    @staticmethod
    def forward(ctx, x):
        out = dual.exp(x)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, g):
        (out,) = ctx.saved_tensors
        return g * out


class RawSeen(Function):
    """Records what forward and backward receive."""

    seen: list = []

    @staticmethod
    def forward(ctx, a, b):
        RawSeen.seen = [type(a), type(b), ctx.needs_input_grad]
        ctx.save_for_backward(a, b)
        return a * b

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        RawSeen.seen.append(type(g))
        return (
            g * b if ctx.needs_input_grad[0] else None,
            g * a if ctx.needs_input_grad[1] else None,
        )


def test_forward_gets_raw_data_and_backward_raw_gradients():
    a = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    out = RawSeen.apply(a, Tensor(np.array([3.0, 4.0])))
    assert isinstance(out, Tensor)
    # ndarrays (which also answer torch.Tensor's methods: tensor_style_array)
    assert all(issubclass(t, np.ndarray) for t in RawSeen.seen[:2])
    assert RawSeen.seen[2] == (True, False)
    out.sum().backward()
    assert issubclass(RawSeen.seen[3], np.ndarray)
    np.testing.assert_array_equal(a.grad, [3.0, 4.0])
    v = RawSeen.apply(Value(2.0), 5.0)
    assert isinstance(v, Value) and v.data == 10.0
    assert RawSeen.seen[:3] == [float, float, (True, False)]


def test_constants_pass_through_apply_and_get_none():
    x = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    ScaledCube.apply(x, 2.0).sum().backward()
    np.testing.assert_array_equal(x.grad, 6 * x.data**2)


def test_grad_fn_names_the_function():
    x = Tensor(np.array([1.0]), requires_grad=True)
    node = ScaledCube.apply(x, 1.0).grad_fn
    assert node.fn is ScaledCube
    assert type(node).__name__ == node.name() == "ScaledCubeBackward"  # torch's naming
    assert node.next_functions[0][0].variable is x


def test_no_graph_when_nothing_requires_grad_or_under_no_grad():
    out = ScaledCube.apply(Tensor(np.array([1.0])), 2.0)
    assert not out.requires_grad and out.grad_fn is None
    with ag.no_grad():
        out = ScaledCube.apply(Tensor(np.array([1.0]), requires_grad=True), 2.0)
    assert not out.requires_grad


@given(x=tensors(shape=(3,), min_value=-2, max_value=2))
def test_first_and_second_order_of_a_custom_op_on_tensors(x):
    assert gradcheck(lambda x: ScaledCube.apply(x, 1.5), [x])
    assert gradgradcheck(lambda x: ScaledCube.apply(x, 1.5), [x])
    assert gradgradcheck(lambda x: x * MyExp.apply(x), [x])


@given(x=floats(-2, 2))
def test_first_and_second_order_of_a_custom_op_on_values(x):
    assert gradcheck(lambda v: ScaledCube.apply(v, 1.5), [Value(x)])
    assert gradgradcheck(lambda v: v * MyExp.apply(v), [Value(x)])


def test_saved_output_is_recognised_on_0d_tensors_and_numpy_scalars():
    # np.exp of a 0-d array returns a numpy scalar, which the node stores converted
    x = Tensor(np.array(0.5), requires_grad=True)
    (g,) = ag.grad(x * MyExp.apply(x), x, create_graph=True)
    (h,) = ag.grad(g, x)
    assert h.item() == pytest.approx((0.5 + 2) * math.exp(0.5), rel=1e-12)

    class NumpyExp(MyExp):
        @staticmethod
        def forward(ctx, x):
            out = np.exp(x)  # on a float: a numpy float64, not a Python float
            ctx.save_for_backward(out)
            return out

    v = Value(0.5)
    (g,) = ag.grad(v * NumpyExp.apply(v), v, create_graph=True)
    (h,) = ag.grad(g, v)
    assert h.data == pytest.approx((0.5 + 2) * math.exp(0.5), rel=1e-12)


class TwoInputs(Function):
    """a**2 * b, whose output has the broadcast shape of both inputs."""

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return a * a * b

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        # the engine reduces broadcast gradients to each input's shape
        return 2 * g * a * b, g * a * a


def test_backward_may_return_broadcast_shaped_gradients():
    a = Tensor(np.array([[1.0], [2.0]]), requires_grad=True)
    b = Tensor(np.array([1.0, 2.0, 3.0]), requires_grad=True)
    TwoInputs.apply(a, b).sum().backward()
    np.testing.assert_allclose(a.grad, 2 * a.data * b.data.sum())
    np.testing.assert_allclose(b.grad, np.full(3, (a.data**2).sum()))
    a64 = Tensor(np.array([[1.0], [2.0]]), requires_grad=True)
    assert gradgradcheck(
        TwoInputs.apply, [a64, Tensor(np.array([1.0, 2.0, 3.0]), requires_grad=True)]
    )


class Double(Function):
    """2 * x; the tests below give it broken backwards."""

    @staticmethod
    def forward(ctx, x):
        return 2 * x

    @staticmethod
    def backward(ctx, g):
        return 2 * g


def test_apply_without_any_node_is_refused():
    with pytest.raises(TypeError, match="Double.*at least one Value or Tensor"):
        Double.apply(3.0)


def test_a_backward_that_returns_the_wrong_number_of_gradients_is_refused():
    class Wrong(Double):
        @staticmethod
        def backward(ctx, g):
            return 2 * g, g

    x = Tensor(np.array([1.0]), requires_grad=True)
    with pytest.raises(RuntimeError, match="Wrong.backward returned 2 gradients.*1 input"):
        Wrong.apply(x).sum().backward()


def test_a_backward_with_an_unreducible_gradient_shape_is_refused():
    class BadShape(Double):
        @staticmethod
        def backward(ctx, g):
            return np.ones(5)

    x = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    with pytest.raises(ValueError, match=r"\(5,\).*\(2,\)"):
        BadShape.apply(x).sum().backward()


class _ScaleMaybeShift(Function):
    """forward(x, w, b=None): a defaulted input that callers may leave out; backward returns
    a gradient slot for it either way (the pattern of PyTorch's LinearFunction example)."""

    @staticmethod
    def forward(ctx, x, w, b=None):
        ctx.save_for_backward(x, w)
        return x * w if b is None else x * w + b

    @staticmethod
    def backward(ctx, g):
        x, w = ctx.saved_tensors
        extra = ctx.extra if hasattr(ctx, "extra") else None
        return g * w, g * x, extra


def test_backward_may_return_none_for_inputs_forward_did_not_get():
    x = Tensor(np.array([1.0, -2.0]), requires_grad=True)
    w = Tensor(np.array([3.0, 0.5]), requires_grad=True)
    _ScaleMaybeShift.apply(x, w).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [3.0, 0.5])
    np.testing.assert_array_equal(w.grad.data, [1.0, -2.0])
    assert gradcheck(_ScaleMaybeShift.apply, [x.detach().requires_grad_(), w])


def test_backward_returning_a_real_gradient_for_a_missing_input_is_an_error():
    class Extra(_ScaleMaybeShift):
        @staticmethod
        def forward(ctx, x, w, b=None):
            ctx.extra = np.ones(2)
            return _ScaleMaybeShift.forward(ctx, x, w, b)

    x = Tensor(np.array([1.0, -2.0]), requires_grad=True)
    with pytest.raises(RuntimeError, match="Extra.backward returned 3 gradients but forward"):
        Extra.apply(x, Tensor(np.ones(2))).sum().backward()


def test_extra_none_gradients_match_torch():
    torch = pytest.importorskip("torch")

    class TorchScale(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x, w, b=None):
            ctx.save_for_backward(x, w)
            return x * w

        @staticmethod
        def backward(ctx, g):
            x, w = ctx.saved_tensors
            return g * w, g * x, None

    xs, ws = np.array([1.0, -2.0]), np.array([3.0, 0.5])
    tx = torch.tensor(xs, requires_grad=True)
    TorchScale.apply(tx, torch.tensor(ws)).sum().backward()
    x = Tensor(xs, requires_grad=True)
    _ScaleMaybeShift.apply(x, Tensor(ws)).sum().backward()
    np.testing.assert_array_equal(x.grad.data, tx.grad.numpy())


class _ScaleBy(Function):
    """x * k for a number k; its backward (wrongly) returns a gradient for k too."""

    @staticmethod
    def forward(ctx, x, k):
        ctx.k = k
        return x * k

    @staticmethod
    def backward(ctx, g):
        return g * ctx.k, g.sum()


class _ScaleByRight(_ScaleBy):
    @staticmethod
    def backward(ctx, g):
        return g * ctx.k, None


def test_a_gradient_for_an_input_that_was_not_a_tensor_is_an_error_as_pytorch():
    x = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    with pytest.raises(
        RuntimeError,
        match="function _ScaleByBackward returned a gradient different than None at position "
        "2, but the corresponding forward input was not a Variable",
    ):
        _ScaleBy.apply(x, 3.0).sum().backward()
    _ScaleByRight.apply(x, 3.0).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [3.0, 3.0])
    # a tensor that does not require grad may get one (it is dropped), as in PyTorch
    y = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    TwoInputs.apply(y, Tensor(np.array([3.0, 4.0]))).sum().backward()
    assert y.grad is not None
