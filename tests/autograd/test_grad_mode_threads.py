"""Grad mode is per thread (as PyTorch's), and the other grad-mode managers."""

from __future__ import annotations

import threading

import numpy as np

import autograd as ag
from autograd import Tensor


def test_no_grad_in_one_thread_does_not_stop_recording_in_another():
    inside = threading.Event()
    release = threading.Event()
    results = {}

    def paused():
        with ag.no_grad():
            inside.set()
            release.wait(5)
            results["paused"] = ag.is_grad_enabled()

    t = threading.Thread(target=paused)
    t.start()
    inside.wait(5)
    x = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    y = (x * x).sum()  # recorded here although the other thread sits in no_grad
    release.set()
    t.join()
    y.backward()
    np.testing.assert_allclose(x.grad.data, [2.0, 4.0])
    assert results["paused"] is False
    assert ag.is_grad_enabled()


def test_interleaved_enter_and_exit_in_many_threads_leave_every_mode_on():
    barrier = threading.Barrier(8)
    seen = []

    def work():
        barrier.wait()
        for _ in range(200):
            with ag.no_grad():
                assert not ag.is_grad_enabled()
            seen.append(ag.is_grad_enabled())

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(seen) and len(seen) == 1600
    assert ag.is_grad_enabled()


def test_a_new_thread_starts_with_grad_on_even_inside_no_grad():
    out = []
    with ag.no_grad():
        t = threading.Thread(target=lambda: out.append(ag.is_grad_enabled()))
        t.start()
        t.join()
    assert out == [True]


def test_set_grad_enabled_as_call_context_and_decorator():
    ag.set_grad_enabled(False)
    assert not ag.is_grad_enabled()
    ag.set_grad_enabled(True)
    assert ag.is_grad_enabled()
    with ag.set_grad_enabled(False):
        assert not ag.is_grad_enabled()
    assert ag.is_grad_enabled()

    @ag.set_grad_enabled(False)
    def f():
        return ag.is_grad_enabled()

    assert ag.is_grad_enabled()  # decorating switched nothing
    assert f() is False and ag.is_grad_enabled()


def test_inference_mode_records_nothing():
    x = Tensor(np.array([1.0]), requires_grad=True)
    with ag.inference_mode():
        assert not (x * 2).requires_grad
    with ag.inference_mode(False):
        assert (x * 2).requires_grad

    @ag.inference_mode()
    def f():
        return (x * 2).requires_grad

    @ag.no_grad
    def g():
        return (x * 2).requires_grad

    assert f() is False and g() is False
    assert (x * 2).requires_grad


def test_ops_follow_their_own_threads_mode_while_others_switch():
    # Ops skip the per-thread lookup while no thread has grad mode off (a shared set of
    # threads); it must stay right under threads switching concurrently.
    from autograd import grad_mode

    barrier = threading.Barrier(6)
    wrong = []

    def work(k: int) -> None:
        x = Tensor(np.ones(3), requires_grad=True)
        v = ag.Value(2.0)
        barrier.wait()
        for _ in range(300):
            if k % 2:
                with ag.no_grad():
                    if (x * 2.0).requires_grad or (v * 3.0)._ctx is not None:
                        wrong.append("recorded under no_grad")
            elif not (x * 2.0).requires_grad or (v * 3.0)._ctx is None:
                wrong.append("not recorded with grad on")

    threads = [threading.Thread(target=work, args=(k,)) for k in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert wrong == []
    assert not grad_mode.OFF
    assert (Tensor(np.ones(2), requires_grad=True) * 2.0).requires_grad
