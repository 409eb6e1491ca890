"""``autograd.jit`` (PyTorch's torch.jit as pass-throughs): scripted and traced functions and
modules compute the same values and gradients as the originals, keep their parameters,
state_dict and train/eval mode, train; the decorators return what they decorate; the argument
checks and the save/load error."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given

import autograd as torch
import nn
import optim
from autograd.testing.strategies import tensors


def _fused_gelu(x: torch.Tensor) -> torch.Tensor:
    return x * 0.5 * (1.0 + torch.erf(x / 1.41421))


@torch.jit.script
def fused_gelu(x: torch.Tensor) -> torch.Tensor:
    return x * 0.5 * (1.0 + torch.erf(x / 1.41421))


def _value_and_grad(fn, data: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    x = torch.tensor(data, requires_grad=True)
    y = fn(x)
    (y * torch.tensor(np.cos(np.arange(data.size)).reshape(data.shape))).sum().backward()
    return y.detach().numpy(), x.grad.numpy()


@given(tensors(min_dims=1, requires_grad=False))
def test_scripted_function_gives_the_same_values_and_gradients(t: torch.Tensor) -> None:
    v0, g0 = _value_and_grad(_fused_gelu, t.data)
    v1, g1 = _value_and_grad(fused_gelu, t.data)
    np.testing.assert_array_equal(v1, v0)
    np.testing.assert_array_equal(g1, g0)


@given(tensors(min_dims=1, requires_grad=False))
def test_traced_function_gives_the_same_values_and_gradients(t: torch.Tensor) -> None:
    traced = torch.jit.trace(_fused_gelu, torch.ones(3, dtype=torch.float64))
    v0, g0 = _value_and_grad(_fused_gelu, t.data)
    v1, g1 = _value_and_grad(traced, t.data)
    np.testing.assert_array_equal(v1, v0)
    np.testing.assert_array_equal(g1, g0)


def _model() -> nn.Module:
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(4, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Linear(8, 2))


@pytest.mark.parametrize("how", ["script", "trace"])
def test_scripted_or_traced_module_keeps_its_state_and_trains(how: str) -> None:
    model = _model()
    x = torch.randn(16, 4)
    y = torch.randint(0, 2, (16,))
    before = {k: v.copy() for k, v in model.state_dict().items()}
    wrapped = torch.jit.script(model) if how == "script" else torch.jit.trace(model, x)
    pairs = list(zip(wrapped.parameters(), model.parameters(), strict=True))
    assert len(pairs) == 6 and all(p is q for p, q in pairs)
    assert wrapped.state_dict().keys() == before.keys()
    wrapped.eval()
    assert not model.training and not wrapped.training
    ref = _model().eval()
    ref.load_state_dict(wrapped.state_dict())
    np.testing.assert_array_equal(wrapped(x).data, ref(x).data)
    wrapped.train()
    assert model.training
    opt = optim.SGD(wrapped.parameters(), lr=0.1)
    losses = []
    for _ in range(20):
        opt.zero_grad()
        loss = nn.functional.cross_entropy(wrapped(x), y)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    assert losses[-1] < losses[0]
    assert not np.array_equal(model.state_dict()["0.weight"], before["0.weight"])


def test_script_of_a_module_gives_the_same_gradients() -> None:
    a, b = _model().eval(), _model().eval()
    scripted = torch.jit.script(b)
    x = torch.randn(5, 4)
    a(x).pow(2).sum().backward()
    scripted(x).pow(2).sum().backward()
    for p, q in zip(a.parameters(), scripted.parameters()):
        np.testing.assert_array_equal(p.grad.data, q.grad.data)


def test_trace_runs_the_function_on_the_example_inputs_with_is_tracing_on() -> None:
    seen = []

    def f(x: torch.Tensor, y: torch.Tensor) -> tuple:
        seen.append(torch.jit.is_tracing())
        return x + y, [x * y]

    assert torch.jit.trace(f, (torch.ones(2), torch.ones(2))) is f
    assert seen == [True]
    assert not torch.jit.is_tracing()
    assert f(torch.ones(1), torch.ones(1))[0].item() == 2.0
    assert not torch.jit.is_scripting()
    torch.jit.trace(lambda x=None: {"out": x * 2}, example_kwarg_inputs={"x": torch.ones(2)})


def test_trace_checks_its_inputs_and_outputs() -> None:
    with pytest.raises(TypeError, match="missing 1 required positional argument"):
        torch.jit.trace(lambda x, y: x, torch.ones(2))
    with pytest.raises(TypeError, match="example_inputs"):
        torch.jit.trace(lambda x: x)
    with pytest.raises(TypeError, match="'int' object is not iterable"):
        torch.jit.trace(lambda x: x, 3)
    with pytest.raises(RuntimeError, match="Only tensors"):
        torch.jit.trace(lambda x: 3, torch.ones(2))
    with pytest.raises(RuntimeError, match="function or an nn.Module"):
        torch.jit.trace(3, torch.ones(2))
    assert not torch.jit.is_tracing()  # reset after a failing run


def test_trace_module_runs_each_named_method() -> None:
    model = nn.Linear(3, 2)
    assert torch.jit.trace_module(model, {"forward": torch.ones(1, 3)}) is model
    with pytest.raises(AttributeError, match="nn.Module"):
        torch.jit.trace_module(lambda x: x, {"forward": torch.ones(1)})


def test_script_refuses_a_module_class_and_builtins() -> None:
    with pytest.raises(RuntimeError, match="inherits from nn.Module, pass an instance"):
        torch.jit.script(nn.Linear)
    with pytest.raises(TypeError, match="built-in class"):
        torch.jit.script(3)

    @torch.jit.script
    class Pair:
        def __init__(self, a: int) -> None:
            self.a = a

    assert Pair(2).a == 2


def test_decorators_return_what_they_decorate() -> None:
    def f(x: int) -> int:
        return x + 1

    assert torch.jit.ignore(f) is f
    assert torch.jit.ignore(drop=True)(f) is f
    assert torch.jit.unused(f) is f
    assert torch.jit.export(f) is f
    assert torch.jit.script_if_tracing(f) is f
    assert torch.jit.script_method(f) is f
    assert torch.jit.interface(int) is int
    assert torch.jit.annotate(list[int], [1]) == [1]
    assert torch.jit.Final[int] is not None


def test_fork_runs_now_and_wait_returns_the_result() -> None:
    fut = torch.jit.fork(lambda a, b=1: a + b, torch.ones(2), b=2)
    assert fut.done()
    np.testing.assert_array_equal(torch.jit.wait(fut).data, [3.0, 3.0])
    assert fut.wait() is fut.value()


def test_freeze_needs_eval_mode() -> None:
    model = nn.Linear(2, 2)
    with pytest.raises(RuntimeError, match="eval mode"):
        torch.jit.freeze(model)
    assert torch.jit.freeze(model.eval()) is model
    m2 = nn.Linear(2, 2)
    assert torch.jit.optimize_for_inference(m2) is m2 and not m2.training


def test_save_and_load_name_the_state_dict_alternative(tmp_path) -> None:
    with pytest.raises(NotImplementedError, match=r"autograd.save\(model.state_dict\(\)"):
        torch.jit.save(torch.jit.script(nn.Linear(2, 2)), tmp_path / "m.pt")
    with pytest.raises(NotImplementedError, match="TorchScript serialization"):
        torch.jit.load(tmp_path / "m.pt")


def test_tracer_warning_is_a_warning_category() -> None:
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=torch.jit.TracerWarning)
        warnings.warn("x", torch.jit.TracerWarning, stacklevel=1)


def test_assert_passes_or_raises_assertion_error_with_the_message() -> None:
    torch._assert(True, "unused")
    torch._assert(torch.tensor(3.0) > 2, "unused")  # one-element tensors read as bool
    with pytest.raises(AssertionError, match="^input image height 7 != 8$"):
        torch._assert(7 == 8, "input image height 7 != 8")
    with pytest.raises(AssertionError, match="bad size"):
        torch._assert(torch.tensor([False]), "bad size")
    with pytest.raises(RuntimeError, match="more than one"):
        torch._assert(torch.tensor([True, True]), "ambiguous")
