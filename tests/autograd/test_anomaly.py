"""Anomaly detection: a backward that returns NaN raises, naming the op, only when enabled."""

import warnings

import numpy as np
import pytest

import autograd as ag
from autograd import Function, Tensor, Value

pytestmark = pytest.mark.filterwarnings("ignore:invalid value:RuntimeWarning")


@pytest.fixture(autouse=True)
def _restore():
    yield
    ag.set_anomaly_enabled(False, True)


def nan_sqrt_graph():
    x = Tensor(np.array([0.0, 4.0]), requires_grad=True)
    return x, (x.sqrt() * 0.0).sum()  # d sqrt/dx at 0 is inf; inf * 0 is NaN


def test_disabled_by_default_and_nan_flows_silently():
    assert not ag.is_anomaly_enabled()
    x, y = nan_sqrt_graph()
    y.backward()
    assert np.isnan(x.grad.data[0])


def test_detect_anomaly_raises_naming_the_op():
    x, y = nan_sqrt_graph()
    with pytest.warns(UserWarning, match="Anomaly Detection has been enabled"):
        ctx = ag.detect_anomaly()
    with ctx, pytest.raises(RuntimeError, match=r"Function 'SqrtBackward0' returned nan values"):
        y.backward()
    assert not ag.is_anomaly_enabled()  # restored on exit


def test_set_detect_anomaly_as_function_and_context_manager():
    ag.set_detect_anomaly(True)
    assert ag.is_anomaly_enabled() and ag.is_anomaly_check_nan_enabled()
    _, y = nan_sqrt_graph()
    with pytest.raises(RuntimeError, match="Sqrt"):
        y.backward()
    with ag.set_detect_anomaly(False):
        assert not ag.is_anomaly_enabled()
        _, y = nan_sqrt_graph()
        y.backward()
    assert ag.is_anomaly_enabled()
    ag.set_detect_anomaly(False)
    assert not ag.is_anomaly_enabled()


def test_check_nan_false_does_not_raise():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with ag.autograd.detect_anomaly(check_nan=False):
            x, y = nan_sqrt_graph()
            y.backward()
    assert np.isnan(x.grad.data[0])


def test_grad_and_create_graph_are_checked_too():
    x, y = nan_sqrt_graph()
    with ag.set_detect_anomaly(True), pytest.raises(RuntimeError, match="SqrtBackward0"):
        ag.grad(y, x, create_graph=True)


def test_a_users_function_is_named_and_the_output_index_given():
    class Bad(Function):
        @staticmethod
        def forward(ctx, a, b):
            return a * b

        @staticmethod
        def backward(ctx, g):
            return g, g * np.nan

    a = Tensor(np.ones(2), requires_grad=True)
    b = Tensor(np.ones(2), requires_grad=True)
    with (
        ag.set_detect_anomaly(True),
        pytest.raises(
            RuntimeError, match=r"Function 'BadBackward' returned nan values in its 1th output"
        ),
    ):
        Bad.apply(a, b).sum().backward()


def test_values_are_checked():
    v = Value(0.0)
    y = v.sqrt() * 0.0
    with ag.set_detect_anomaly(True), pytest.raises(RuntimeError, match="Sqrt"):
        y.backward()


def test_a_clean_backward_passes_under_anomaly_mode():
    x = Tensor(np.array([1.0, 4.0]), requires_grad=True)
    with ag.set_detect_anomaly(True):
        x.sqrt().sum().backward()
    np.testing.assert_allclose(x.grad.data, [0.5, 0.25])
