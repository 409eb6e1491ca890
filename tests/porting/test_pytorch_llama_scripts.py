"""hkproj/pytorch-llama (model.py, inference.py) run with our packages under torch's names: the
contract difference pinned (``build`` switches the CPU default to bfloat16, which numpy
lacks), the complex rotary embedding is a rotation, the KV cache is filled in place, decoding
works, and, when PyTorch is installed, PyTorch's numbers from the same checkpoint weights."""

from __future__ import annotations

import numpy as np
import pytest

import autograd
import nn
import nn.functional as F

from . import pytorch_llama_scripts as scripts
from .test_course_scripts import both, close, no_sync
from .test_llm_scripts import one_torch_thread  # noqa: F401 (an autouse fixture)

OURS = (autograd, nn, F)


@pytest.fixture
def float32_default(monkeypatch):
    """``build``'s ``set_default_tensor_type(torch.BFloat16Tensor)`` recorded, not applied,
    in both libraries: both then run in float32."""
    calls: list = []
    monkeypatch.setattr(autograd, "set_default_tensor_type", calls.append)
    try:
        import torch

        monkeypatch.setattr(torch, "set_default_tensor_type", calls.append)
    except ImportError:
        pass
    return calls


def test_build_as_written_stops_at_the_bfloat16_default(tmp_path):
    autograd.manual_seed(0)
    with pytest.warns(UserWarning, match="deprecated"):
        with pytest.raises(TypeError, match="set_default_tensor_type: .*bfloat16.*not supported"):
            scripts.llama_inference(*OURS, no_sync, str(tmp_path))
    assert autograd.get_default_dtype() == np.float32


def test_rotary_embedding_rotates_pairs_by_position():
    M = scripts.model_py(*OURS)
    freqs = M["precompute_theta_pos_frequencies"](8, 6, device="cpu")
    assert freqs.dtype == autograd.complex64 and tuple(freqs.shape) == (6, 4)
    np.testing.assert_allclose(np.abs(freqs.numpy()), 1, rtol=1e-6)
    theta = 1 / 10000 ** (np.arange(0, 8, 2) / 8)
    np.testing.assert_allclose(np.angle(freqs.numpy()[2]), 2 * theta, rtol=1e-5)
    x = autograd.randn(2, 6, 3, 8, requires_grad=True)
    y = M["apply_rotary_embeddings"](x, freqs, device="cpu")
    norms = lambda t: (t.detach().numpy().reshape(2, 6, 3, 4, 2) ** 2).sum(-1)  # noqa: E731
    np.testing.assert_allclose(norms(y), norms(x), rtol=1e-5)
    # gradients flow back through view_as_real, the complex product and view_as_complex: the
    # rotation is orthogonal, so the gradient of |y|^2 is 2x
    (y**2).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), 2 * x.detach().numpy(), rtol=1e-5, atol=1e-6)


def test_llama_inference_loads_fills_the_cache_and_decodes(tmp_path, float32_default):
    autograd.manual_seed(0)
    out = scripts.llama_inference(*OURS, no_sync, str(tmp_path))
    assert float32_default == [autograd.BFloat16Tensor]
    assert out["default_dtype"] == "float32"
    prompts = ["simply put, the theory ", "if google was an italian company"]
    for text, tokens, prompt in zip(out["greedy"], out["greedy_tokens"], prompts, strict=True):
        assert text.startswith("<" + prompt) and len(tokens) == 1 + 32 + 12
        assert 1 not in tokens  # the EOS check compares with the method, as written: no cut
    cache = out["cache_k"]
    assert np.all(cache[:, 0] == 0) and np.all(np.abs(cache[:, 1:]).sum(-1) > 0)
    assert all(s.startswith("<" + p) for s, p in zip(out["sampled"], prompts, strict=True))
    assert out["logits"].shape == (2, 1, 31)


def test_llama_inference_matches_torch(tmp_path, float32_default):
    ours, theirs = both(
        lambda L, sync: scripts.llama_inference(*L[:3], sync, str(tmp_path / L[0].__name__))
    )
    assert ours["greedy"] == theirs["greedy"] and ours["greedy_tokens"] == theirs["greedy_tokens"]
    close(ours["cache_k"], theirs["cache_k"], rtol=1e-4, atol=1e-5)
    close(ours["logits"], theirs["logits"], rtol=1e-4, atol=1e-5)
    assert ours["default_dtype"] == theirs["default_dtype"].replace("torch.", "")
    assert [len(s) for s in ours["sampled"]] == [len(s) for s in theirs["sampled"]]
