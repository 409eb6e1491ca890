"""``autograd.backends``: the switches PyTorch scripts set on a CPU-only machine."""

from __future__ import annotations

import pytest

import autograd


def test_backends_tf32_switches_are_settable_and_misspellings_refused():
    # nanoGPT's train.py sets both before training
    m = autograd.backends.cuda.matmul
    before = m.allow_tf32
    try:
        autograd.backends.cuda.matmul.allow_tf32 = True
        autograd.backends.cudnn.allow_tf32 = True
        assert autograd.backends.cuda.matmul.allow_tf32 is True
    finally:
        m.allow_tf32 = before
    with pytest.raises(AttributeError):
        autograd.backends.cuda.matmul.allow_tf23 = True
