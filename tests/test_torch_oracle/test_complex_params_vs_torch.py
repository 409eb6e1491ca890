"""Optimizers on complex parameters update the real and imaginary parts as real numbers, as
torch's do (view_as_real): five steps of each against torch."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import autograd  # noqa: E402
import optim  # noqa: E402

rng = np.random.default_rng(0)
Z0 = rng.normal(size=3) + 1j * rng.normal(size=3)
W = rng.normal(size=3) + 1j * rng.normal(size=3)
CASES = [
    ("Adam", {"lr": 0.1}),
    ("AdamW", {"lr": 0.1, "weight_decay": 0.1}),
    ("RMSprop", {"lr": 0.05, "momentum": 0.9, "centered": True}),
    ("Adagrad", {"lr": 0.1}),
    ("SGD", {"lr": 0.1, "momentum": 0.9, "nesterov": True}),
    ("Adamax", {"lr": 0.1}),
    ("NAdam", {"lr": 0.1}),
    ("RAdam", {"lr": 0.1}),
    ("Adadelta", {"lr": 1.0}),
    ("ASGD", {"lr": 0.1}),
    ("Rprop", {"lr": 0.1}),
    ("LBFGS", {"lr": 0.5}),
]


def _run(lib, optimizers, name, kw):
    z = lib.tensor(Z0.copy(), requires_grad=True)
    opt = getattr(optimizers, name)([z], **kw)
    w = lib.tensor(W)

    def closure():
        opt.zero_grad()
        loss = ((z - w).abs() ** 2).sum() + 0.1 * ((z * z).abs() ** 2).sum()
        loss.backward()
        return loss

    for _ in range(5):
        opt.step(closure)
    return z.detach().numpy()


@pytest.mark.parametrize("name, kw", CASES, ids=[c[0] for c in CASES])
def test_complex_parameter_steps_match_torch(name, kw):
    ours = _run(autograd, optim, name, kw)
    theirs = _run(torch, torch.optim, name, kw)
    assert ours.dtype == np.complex128
    np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-12)


def test_adafactor_refuses_complex_parameters_as_torch() -> None:
    for lib, optimizers in ((torch, torch.optim), (autograd, optim)):
        with pytest.raises(RuntimeError, match="Adafactor does not support complex parameters"):
            _run(lib, optimizers, "Adafactor", {})


class _Phase:
    """A module with one complex parameter, built the same way in each library."""

    def __init__(self, lib, nn_mod):
        class Phase(nn_mod.Module):
            def __init__(self) -> None:
                super().__init__()
                self.z = nn_mod.Parameter(lib.tensor(Z0.copy()))
                self.scale = nn_mod.Parameter(lib.tensor(np.ones(3)))

            def forward(self, x):
                return (self.z * x).real * self.scale

        self.module = Phase()


@pytest.mark.parametrize("name, kw", [("Adam", {"lr": 0.1}), ("SGD", {"lr": 0.1, "momentum": 0.9})])
def test_nn_parameter_of_a_complex_tensor_trains_as_torch(name, kw):
    import nn

    results = []
    for lib, nn_mod, optimizers in ((autograd, nn, optim), (torch, torch.nn, torch.optim)):
        m = _Phase(lib, nn_mod).module
        assert [n for n, _ in m.named_parameters()] == ["z", "scale"]
        opt = getattr(optimizers, name)(m.parameters(), **kw)
        x = lib.tensor(W)
        for _ in range(4):
            opt.zero_grad()
            (m(x) ** 2).sum().backward()
            opt.step()
        results.append(
            (
                repr(m.z).replace("autograd.", "torch."),
                *(np.asarray(v) for v in m.state_dict().values()),
            )
        )
    ours, theirs = results
    assert ours[0] == theirs[0] and ours[0].startswith("Parameter containing:\ntensor([")
    for a, b in zip(ours[1:], theirs[1:]):
        assert a.dtype == b.dtype
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("cast", ["double", "float", "half", "f64", "c128", "c64_then_f32"])
def test_module_casts_of_complex_parameters_as_torch(cast):
    import nn

    dtypes = []
    for lib, nn_mod in ((autograd, nn), (torch, torch.nn)):
        m = nn_mod.Linear(2, 2)
        m.z = nn_mod.Parameter(lib.tensor([1 + 2j], dtype=lib.complex64))
        if cast in ("double", "float", "half"):
            getattr(m, cast)()
        elif cast == "c64_then_f32":
            with pytest.warns(UserWarning):  # (both warn about dropping the imaginary part)
                m.to(lib.complex64).to(lib.float32)
        else:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # torch: complex modules are experimental
                m.to({"f64": lib.float64, "c128": lib.complex128}[cast])
        dtypes.append((str(m.z.dtype).split(".")[-1], str(m.weight.dtype).split(".")[-1]))
    assert dtypes[0] == dtypes[1]
