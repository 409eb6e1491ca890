"""exp, log and sqrt on tensors give inf / -inf / nan at the edges of their domains silently,
as PyTorch does (word_language_model builds its causal mask as log(tril(ones)))."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import autograd

EDGES = np.array([-1.0, 0.0, 1.0, 1000.0])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", ["exp", "log", "sqrt"])
def test_domain_edges_give_ieee_values_without_warnings(name: str, dtype: type) -> None:
    x = EDGES.astype(dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        by_function = getattr(autograd, name)(autograd.tensor(x)).numpy()
        by_method = getattr(autograd.tensor(x), name)().numpy()
    with np.errstate(all="ignore"):
        want = getattr(np, name)(x)
    np.testing.assert_array_equal(by_function, want)
    np.testing.assert_array_equal(by_method, want)


def test_log_causal_mask_matches_torch() -> None:
    torch = pytest.importorskip("torch")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ours = autograd.log(autograd.tril(autograd.ones(4, 4))).numpy()
    np.testing.assert_array_equal(ours, torch.log(torch.tril(torch.ones(4, 4))).numpy())


def test_ops_meeting_inf_and_nan_print_no_numpy_warning_but_user_numpy_still_does() -> None:
    # In a fresh interpreter with warnings shown (pytest resets the filter list around
    # collection, so in-process this would test pytest, not the import): the library's ops
    # at inf / nan are silent as torch's; numpy called by the user still warns.
    import os
    import subprocess
    import sys
    from pathlib import Path

    script = (
        "import numpy as np\n"
        "import autograd as torch\n"
        "import nn.functional as F\n"
        "x = torch.tensor([np.inf, 1.0, 0.0, -1.0], requires_grad=True)\n"
        "y = (x - x) + x * 0 + 1 / x.detach() + (x * 1e308) * 10\n"
        "z = torch.tensor([[0.0, 1e308], [np.inf, -np.inf]])\n"
        "w = F.softmax(z, 1) + z @ z + z.pow(3) + torch.tensor([-1.0]).log()\n"
        "y.sum().backward()\n"
        "np.subtract(np.inf, np.inf)\n"
    )
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-W", "default", "-c", script],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(root)},
    )
    assert done.returncode == 0, done.stderr
    warned = [line for line in done.stderr.splitlines() if "RuntimeWarning" in line]
    assert len(warned) == 1 and "<string>:9" in warned[0], done.stderr
