"""EarlyStopping: the counter (patience, min_delta from the best, mode), the best-state
snapshot and its restoration, resuming from a state_dict, and bad arguments."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import nn
from autograd import Tensor, Value
from nn.utils import EarlyStopping


def run(stopper: EarlyStopping, metrics, model=None) -> list[bool]:
    return [stopper.step(m, model) for m in metrics]


def test_counts_epochs_without_improvement():
    es = EarlyStopping(patience=3)
    assert run(es, [1.0, 0.9, 0.95, 0.91, 0.92]) == [False, False, False, False, True]
    assert (es.best, es.best_epoch, es.num_bad_epochs, es.last_epoch) == (0.9, 2, 3, 5)
    assert es.stopped_epoch == 5 and es.should_stop


def test_an_improvement_resets_the_counter():
    es = EarlyStopping(patience=2)
    assert run(es, [1.0, 1.1, 0.5, 0.6, 0.4, 0.45]) == [False] * 6
    assert es.best == 0.4 and es.best_epoch == 5 and es.num_bad_epochs == 1
    assert es.step(0.41) and es.num_bad_epochs == 2


def test_min_delta_is_measured_from_the_best():
    es = EarlyStopping(patience=2, min_delta=0.1)
    # 0.95 and 0.91 are better than the previous epoch, but not by 0.1 than the best (1.0)
    assert run(es, [1.0, 0.95, 0.91]) == [False, False, True]
    assert es.best == 1.0
    es = EarlyStopping(patience=2, min_delta=0.1)
    assert run(es, [1.0, 0.95, 0.89]) == [False, False, False]
    assert es.best == 0.89 and es.best_epoch == 3


def test_mode_max():
    es = EarlyStopping(patience=2, mode="max", min_delta=0.01)
    assert run(es, [0.5, 0.7, 0.705, 0.69]) == [False, False, False, True]
    assert es.best == 0.7 and es.best_epoch == 2
    assert EarlyStopping(mode="max").best == -math.inf
    assert EarlyStopping().best == math.inf


@pytest.mark.parametrize("patience", [0, 1])
def test_patience_zero_and_one_stop_at_the_first_bad_epoch(patience):
    es = EarlyStopping(patience=patience)
    assert run(es, [1.0, 0.5, 0.5]) == [False, False, True]


def test_nan_metric_counts_as_bad():
    es = EarlyStopping(patience=2)
    assert run(es, [float("nan"), 1.0, float("nan"), float("nan")]) == [False, False, False, True]
    assert es.best == 1.0 and es.best_epoch == 2


def test_metric_types():
    es = EarlyStopping(patience=5)
    es.step(Tensor(3.0))
    es.step(Tensor([2.0]))
    es.step(Value(1.0))
    es.step(np.float32(0.5))
    assert es.best == 0.5 and es.best_epoch == 4
    with pytest.raises(ValueError, match="single number"):
        es.step(Tensor([1.0, 2.0]))
    with pytest.raises(TypeError, match="metric must be a number"):
        es.step("0.1")


@given(
    metrics=st.lists(st.floats(-10, 10, allow_nan=False), min_size=1, max_size=30),
    patience=st.integers(0, 5),
    min_delta=st.sampled_from([0.0, 0.5]),
    mode=st.sampled_from(["min", "max"]),
)
def test_against_a_direct_count(metrics, patience, min_delta, mode):
    es = EarlyStopping(patience=patience, min_delta=min_delta, mode=mode)
    sign = 1.0 if mode == "min" else -1.0
    best, bad = math.inf, 0
    for m in metrics:
        if sign * m < best - min_delta:
            best, bad = sign * m, 0
        else:
            bad += 1
        assert es.step(m) == (bad >= max(patience, 1))
        assert es.num_bad_epochs == bad and es.best == sign * best


# --- the best model state ---


def make_model() -> nn.Module:
    model = nn.Linear(3, 2)
    model.register_buffer("seen", Tensor(np.zeros(1)))
    return model


def train_epoch(model: nn.Module, epoch: int) -> None:
    """Change every parameter and buffer in place, the way an optimizer would."""
    for p in model.parameters():
        p.data += 0.1 * (epoch + 1)
    model.seen.data += 1


def test_restores_the_best_state_at_stop():
    model = make_model()
    es = EarlyStopping(patience=2)
    metrics = [3.0, 2.0, 1.0, 1.5, 1.2]
    stopped = None
    for epoch, m in enumerate(metrics):
        train_epoch(model, epoch)
        if epoch == 2:
            best = {k: v.copy() for k, v in model.state_dict().items()}
        if es.step(m, model):
            stopped = epoch
            break
    assert stopped == 4 and es.best_epoch == 3
    for k, v in model.state_dict().items():
        np.testing.assert_array_equal(v, best[k])
    assert model.seen.data[0] == 3.0  # buffers too


def test_best_state_is_a_copy():
    model = make_model()
    es = EarlyStopping(patience=3)
    es.step(1.0, model)
    saved = {k: v.copy() for k, v in es.best_state.items()}
    train_epoch(model, 0)  # in place: the snapshot must not follow
    for k, v in es.best_state.items():
        np.testing.assert_array_equal(v, saved[k])


def test_restore_best_false_leaves_the_model_and_restore_does_it_by_hand():
    model = make_model()
    es = EarlyStopping(patience=1, restore_best=False)
    es.step(1.0, model)
    best = {k: v.copy() for k, v in model.state_dict().items()}
    train_epoch(model, 0)
    last = {k: v.copy() for k, v in model.state_dict().items()}
    assert es.step(2.0, model)
    for k, v in model.state_dict().items():
        np.testing.assert_array_equal(v, last[k])
    es.restore(model)
    for k, v in model.state_dict().items():
        np.testing.assert_array_equal(v, best[k])


def test_restore_without_a_snapshot_is_an_error():
    es = EarlyStopping(patience=1)
    es.step(1.0)
    with pytest.raises(RuntimeError, match="pass the model to step"):
        es.restore(make_model())
    # stopping without a model just says so
    assert es.step(2.0)


def test_restores_again_after_a_second_stall():
    model = make_model()
    es = EarlyStopping(patience=1)
    es.step(1.0, model)
    train_epoch(model, 0)
    assert es.step(2.0, model) and es.stopped_epoch == 2
    train_epoch(model, 1)
    assert not es.step(0.5, model)  # the loop went on and improved
    snapshot = {k: v.copy() for k, v in model.state_dict().items()}
    train_epoch(model, 2)
    assert es.step(0.7, model) and es.stopped_epoch == 4
    for k, v in model.state_dict().items():
        np.testing.assert_array_equal(v, snapshot[k])


def test_state_dict_round_trip():
    model = make_model()
    es = EarlyStopping(patience=3, min_delta=0.05, mode="max")
    for epoch, m in enumerate([0.1, 0.3, 0.32]):
        train_epoch(model, epoch)
        es.step(m, model)
    saved = es.state_dict()
    resumed = EarlyStopping()
    resumed.load_state_dict(saved)
    for m in [0.2, 0.31]:
        assert resumed.step(m, model) == es.step(m, model)
    for attr in ("best", "best_epoch", "num_bad_epochs", "last_epoch", "mode", "min_delta"):
        assert getattr(resumed, attr) == getattr(es, attr)
    for k, v in es.best_state.items():
        np.testing.assert_array_equal(resumed.best_state[k], v)
        assert resumed.best_state[k] is not v


def test_bad_arguments():
    with pytest.raises(ValueError, match="mode must be 'min' or 'max'"):
        EarlyStopping(mode="minimum")
    with pytest.raises(ValueError, match="patience must be >= 0"):
        EarlyStopping(patience=-1)
    with pytest.raises(TypeError, match="patience must be an int"):
        EarlyStopping(patience=2.5)
    with pytest.raises(ValueError, match="min_delta must be >= 0"):
        EarlyStopping(min_delta=-0.1)
    assert "patience=10" in repr(EarlyStopping())
