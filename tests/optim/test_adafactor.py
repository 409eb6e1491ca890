"""Adafactor against a reference written from PyTorch's documented algorithm, on parameters of
0 to 3 dims; its state, its argument checks and its refusals."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import optim
from autograd import Tensor, Value, tensor

STEPS = 6


def ref_adafactor(
    w0: np.ndarray,
    grads: list[np.ndarray],
    lr: float = 1e-2,
    beta2_decay: float = -0.8,
    eps: tuple = (None, 1e-3),
    d: float = 1.0,
    weight_decay: float = 0.0,
    maximize: bool = False,
) -> list[np.ndarray]:
    """The docstring's algorithm, one matrix at a time for 3-d parameters."""
    eps1 = np.finfo(w0.dtype).eps if eps[0] is None else eps[0]
    w, out = w0.astype(np.float64), []
    mats = w.reshape((-1,) + w.shape[-2:]) if w.ndim > 1 else None
    R = np.zeros(mats.shape[:2]) if mats is not None else None
    C = np.zeros((mats.shape[0], mats.shape[2])) if mats is not None else None
    V = np.zeros(w.shape)
    for t, g in enumerate(grads, start=1):
        g = -g if maximize else g
        b2 = 1 - t**beta2_decay
        alpha = max(eps[1], np.sqrt(np.mean(w**2))) * min(lr, 1 / np.sqrt(t))
        w = w - lr * weight_decay * w
        if w.ndim > 1:
            gm = g.reshape((-1,) + g.shape[-2:])
            n, m = gm.shape[1:]
            v = np.empty_like(gm)
            for k in range(gm.shape[0]):
                R[k] = b2 * R[k] + (1 - b2) * (gm[k] ** 2).sum(axis=1) / m
                C[k] = b2 * C[k] + (1 - b2) * (gm[k] ** 2).sum(axis=0) / n
                v[k] = np.outer(R[k], C[k]) / max(R[k].sum() / n, eps1)
            V = v.reshape(g.shape)
        else:
            V = b2 * V + (1 - b2) * g * g
        U = g / np.maximum(np.sqrt(V), eps1)
        U_hat = U / max(1.0, np.sqrt(np.mean(U**2)) / d)
        w = w - alpha * U_hat
        out.append(w)
    return out


def _run(w0: np.ndarray, grads: list[np.ndarray], **hp: Any) -> list[np.ndarray]:
    p = Tensor(w0.copy(), requires_grad=True)
    opt = optim.Adafactor([p], **hp)
    out = []
    for g in grads:
        p.grad = Tensor(g.astype(w0.dtype))
        opt.step()
        assert p.data.dtype == w0.dtype
        out.append(p.data.astype(np.float64))
    return out


HPARAMS = st.fixed_dictionaries(
    {},
    optional={
        "lr": st.sampled_from([1e-3, 1e-2, 0.3, 1.0]),
        "beta2_decay": st.sampled_from([-0.8, -0.5, -1.0, 0.0]),
        "eps": st.tuples(st.sampled_from([None, 1e-30, 1e-3, 0.5]), st.sampled_from([0, 1e-3, 1])),
        "d": st.sampled_from([1.0, 1.5, 10.0]),
        "weight_decay": st.sampled_from([0.0, 0.1]),
        "maximize": st.booleans(),
    },
)


@settings(max_examples=60, deadline=None)
@given(
    shape=st.lists(st.integers(1, 4), min_size=0, max_size=3).map(tuple),
    hp=HPARAMS,
    seed=st.integers(0, 2**16),
    zero_grads=st.booleans(),
)
def test_matches_the_documented_algorithm(shape: tuple, hp: dict, seed: int, zero_grads: bool):
    rng = np.random.default_rng(seed)
    w0 = rng.normal(size=shape)
    grads = [rng.normal(size=shape) * (0.0 if zero_grads and k % 2 else 1.0) for k in range(STEPS)]
    got = _run(w0, grads, **hp)
    want = ref_adafactor(w0, grads, **hp)
    for k, (a, b) in enumerate(zip(got, want, strict=True)):
        np.testing.assert_allclose(a, b, rtol=1e-11, atol=1e-14, err_msg=f"step {k + 1}")


@pytest.mark.parametrize("shape", [(5,), (3, 4), (2, 3, 4)])
def test_float32_keeps_float32_and_its_machine_epsilon(shape: tuple) -> None:
    rng = np.random.default_rng(0)
    w0 = rng.normal(size=shape).astype(np.float32)
    grads = [rng.normal(size=shape).astype(np.float32) * 1e-5 for _ in range(STEPS)]
    got = _run(w0, grads)
    want = ref_adafactor(w0, [g.astype(np.float64) for g in grads])
    np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-6)


def test_values_are_scalar_parameters() -> None:
    """Each Value is its own 0-d parameter: its own RMS, its own variance."""
    ws = [Value(0.5), Value(-1.2)]
    opt = optim.Adafactor(ws, lr=0.2)
    refs = [ref_adafactor(np.array(w.data), [np.array(2 * w.data)], lr=0.2) for w in ws]
    (ws[0] ** 2 + ws[1] ** 2).backward()
    opt.step()
    assert [w.data for w in ws] == pytest.approx([float(r[0]) for r in refs], rel=1e-12)


VECTOR_KEYS, MATRIX_KEYS = {"step", "variance"}, {"step", "row_var", "col_var"}


@pytest.mark.parametrize(
    "shape, keys", [((), VECTOR_KEYS), ((4,), VECTOR_KEYS), ((2, 3, 4), MATRIX_KEYS)]
)
def test_state_layout(shape: tuple, keys: set) -> None:
    p = Tensor(np.ones(shape), requires_grad=True)
    opt = optim.Adafactor([p])
    p.grad = Tensor(np.ones(shape))
    opt.step()
    opt.step()
    state = opt.state_dict()["state"][0]
    assert set(state) == keys and state["step"] == 2
    if "row_var" in keys:
        assert state["row_var"].shape == (2, 3, 1) and state["col_var"].shape == (2, 1, 4)
    else:
        assert state["variance"].shape == shape


@pytest.mark.parametrize(
    "hp, message",
    [
        (dict(lr=-1.0), "lr must be >= 0"),
        (dict(beta2_decay=0.1), "beta2_decay must be <= 0"),
        (dict(eps=(-1.0, 1e-3)), "epsilon1"),
        (dict(eps=(None, -1.0)), "epsilon2"),
        (dict(eps=(1e-3,)), "eps must be a pair"),
        (dict(d=0.5), "Clipping threshold d must be >= 1"),
        (dict(weight_decay=-0.1), "weight_decay must be >= 0"),
        (dict(lr=float("nan")), "lr must be >= 0"),
    ],
)
def test_bad_arguments_are_named(hp: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        optim.Adafactor([Tensor(np.zeros(2), requires_grad=True)], **hp)


def test_complex_parameters_are_refused_after_the_closure_runs() -> None:
    z = tensor(np.array([1 + 2j, 3 - 1j]), requires_grad=True)
    opt = optim.Adafactor([z])
    calls = []

    def closure() -> Any:
        calls.append(1)
        loss = (z.abs() ** 2).sum()
        loss.backward()
        return loss

    with pytest.raises(RuntimeError, match="Adafactor does not support complex parameters"):
        opt.step(closure)
    assert calls == [1]
    np.testing.assert_array_equal(z.data, [1 + 2j, 3 - 1j])


def test_step_returns_the_closures_loss() -> None:
    p = Tensor(np.array([1.0, -2.0]), requires_grad=True)
    opt = optim.Adafactor([p])

    def closure() -> Any:
        opt.zero_grad()
        loss = (p * p).sum()
        loss.backward()
        return loss

    assert opt.step(closure).item() == 5.0
    assert not np.array_equal(p.data, [1.0, -2.0])
