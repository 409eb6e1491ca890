"""ParallelWaveGAN's stft_loss.py run with our packages under torch's names. The file gates on
``torch.__version__ >= 1.7``: our ``autograd.__version__`` is the package's own (0.1.0), so as
written it takes the pre-1.7 branch, whose ``torch.stft`` call without ``return_complex``
PyTorch 2 refuses too (pinned, for both). With the version reported as PyTorch's, the
multi-resolution loss registers its windows, trains a filter, and gives PyTorch's numbers."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import autograd
import nn
import nn.functional as F

from . import stft_loss_scripts as scripts
from .test_course_scripts import both, close, no_sync
from .test_llm_scripts import one_torch_thread  # noqa: F401 (an autouse fixture)

OURS = (autograd, nn, F)
NO_RETURN_COMPLEX = "stft requires the return_complex parameter be given for real inputs"


@pytest.fixture
def torch_version(monkeypatch):
    """Our package reporting PyTorch 2's version, as the script's gate expects of torch."""
    monkeypatch.setattr(autograd, "__version__", "2.13.0")


def run_ours() -> dict:
    autograd.manual_seed(0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # stft's return_complex=False deprecation, as torch's
        return scripts.fit_fir_filter(*OURS, no_sync)


def test_as_written_the_version_gate_takes_the_pre_17_branch_which_torch_2_refuses(monkeypatch):
    assert autograd.__version__ == "0.1.0"
    with pytest.raises(RuntimeError, match=NO_RETURN_COMPLEX):
        run_ours()
    torch = pytest.importorskip("torch")
    monkeypatch.setattr(torch, "__version__", "1.6.0")
    with pytest.raises(RuntimeError, match=NO_RETURN_COMPLEX):
        scripts.fit_fir_filter(torch, torch.nn, torch.nn.functional, no_sync)


def test_multi_resolution_loss_registers_windows_and_trains(torch_version):
    out = run_ours()
    assert out["buffers"] == [(24,), (48,), (12,)]
    assert out["mag_shape"] == (4, 256 // 4 + 1, 32 // 2 + 1)  # (B, frames, bins)
    assert out["sc"][-1] < out["sc"][0] and out["mag"][-1] < out["mag"][0]
    assert np.isfinite(out["weight"]).all()


def test_multi_resolution_loss_matches_torch(torch_version):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours, theirs = both(lambda L, sync: scripts.fit_fir_filter(*L[:3], sync))
    close(ours["sc"], theirs["sc"], rtol=1e-4)
    close(ours["mag"], theirs["mag"], rtol=1e-4)
    close(ours["weight"], theirs["weight"], rtol=1e-4, atol=1e-6)
    assert ours["buffers"] == theirs["buffers"] and ours["mag_shape"] == theirs["mag_shape"]
