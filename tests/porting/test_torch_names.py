"""Names a ported script reaches through ``torch.`` after ``import autograd as torch``."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import autograd as torch
import nn
import nn.utils.data
import optim


def test_torch_dot_package_names_are_our_packages():
    assert torch.nn is nn
    assert torch.optim is optim
    assert torch.utils is nn.utils
    assert torch.utils.data is nn.utils.data
    assert torch.autograd is torch


def test_a_script_body_using_torch_dot_optim_and_torch_dot_nn_trains():
    # nanoGPT's style: only ``import torch`` at the top, the rest through ``torch.``
    torch.manual_seed(0)
    model = torch.nn.Linear(3, 1)
    torch.nn.init.normal_(model.weight, mean=0.0, std=0.02)
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-2)
    x = torch.tensor(np.random.default_rng(0).normal(size=(16, 3)), dtype=torch.float32)
    y = x.sum(dim=1, keepdim=True)
    losses = []
    for _ in range(30):
        loss = torch.nn.functional.mse_loss(model(x), y)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    assert losses[-1] < losses[0] * 0.5


def test_unknown_names_still_raise_attribute_error():
    with pytest.raises(AttributeError, match="no_such_name"):
        torch.no_such_name  # noqa: B018


def test_version_is_the_packages():
    text = (Path(__file__).parents[2] / "pyproject.toml").read_text()
    assert f'\nversion = "{torch.__version__}"\n' in text
    assert torch.version.__version__ == torch.__version__


def test_version_module_answers_as_a_cpu_build_of_torch():
    """Scripts print ``torch.version.cuda`` or test it for None when choosing a device."""
    assert torch.version.cuda is None and torch.version.hip is None
    assert torch.version.debug is False
    real = pytest.importorskip("torch")
    for name in ("cuda", "hip", "rocm", "xpu", "debug"):
        if getattr(real.version, name) is not None and name != "debug":
            continue  # a torch build for an accelerator
        assert getattr(torch.version, name) == getattr(real.version, name), name


def test_shape_and_size_print_as_a_size_and_compare_as_tuples():
    x = torch.ones(5, 3)
    assert x.shape == (5, 3) == x.size() == torch.Size([5, 3])
    assert repr(x.shape) == str(x.size()) == "autograd.Size([5, 3])"
    assert x.shape.numel() == 15 and x.size(1) == 3
    rows, cols = x.shape
    assert (rows, cols) == (5, 3)


def test_legacy_typed_constructors_and_variable():
    assert torch.FloatTensor(2, 3).shape == (2, 3) and torch.FloatTensor(2, 3).dtype == np.float32
    assert torch.FloatTensor([1, 2]).tolist() == [1.0, 2.0]
    assert torch.LongTensor([1, 2]).dtype == np.int64 and torch.DoubleTensor(1).dtype == np.float64
    assert isinstance(torch.ones(2), torch.FloatTensor) and not isinstance(
        torch.ones(2), torch.LongTensor
    )
    assert torch.ones(2).type(torch.DoubleTensor).dtype == np.float64
    x = torch.ones(2)
    v = torch.Variable(x, requires_grad=True)
    assert v is x and v.requires_grad
    with pytest.raises(TypeError, match="FloatTensor"):
        torch.FloatTensor(2, [1])


def test_legacy_constructor_takes_a_size_as_a_shape():
    x = torch.ones(2, 3)
    assert torch.FloatTensor(x.size()).shape == (2, 3)
    assert torch.FloatTensor((2, 3)).tolist() == [2.0, 3.0]  # a plain tuple is data, as torch


TYPE_NAMES = {
    torch.float32: "torch.FloatTensor",
    torch.float64: "torch.DoubleTensor",
    torch.float16: "torch.HalfTensor",
    torch.int64: "torch.LongTensor",
    torch.int32: "torch.IntTensor",
    torch.int16: "torch.ShortTensor",
    torch.int8: "torch.CharTensor",
    torch.uint8: "torch.ByteTensor",
    torch.bool: "torch.BoolTensor",
    torch.complex64: "torch.ComplexFloatTensor",
    torch.complex128: "torch.ComplexDoubleTensor",
}


@pytest.mark.parametrize("dtype", list(TYPE_NAMES))
def test_type_names_the_tensor_type_and_casts_to_one(dtype):
    x = torch.ones(2)
    assert torch.zeros(2, dtype=dtype).type() == TYPE_NAMES[dtype]
    assert x.type(TYPE_NAMES[dtype]).dtype == dtype
    assert x.type(dtype).dtype == dtype and x.type(dtype=dtype).dtype == dtype
    y = x.type(dtype)
    assert y.type(dtype) is y  # already of that type: no copy, as torch


def test_type_names_match_torch():
    real = pytest.importorskip("torch")
    for dtype, name in TYPE_NAMES.items():
        theirs = real.zeros(2, dtype=getattr(real, str(np.dtype(dtype)))).type()
        assert theirs == name
        assert real.ones(2).type(name).dtype == getattr(real, str(np.dtype(dtype)))


def test_type_refuses_what_is_not_a_tensor_type_name():
    for bad in ("float64", "torch.float64", "FloatTensor"):
        with pytest.raises(ValueError, match="invalid type"):
            torch.ones(2).type(bad)
    with pytest.raises(RuntimeError, match="CUDA"):
        torch.ones(2).type("torch.cuda.FloatTensor")


@pytest.fixture
def default_dtype_restored():
    before = torch.get_default_dtype()
    yield
    torch.set_default_dtype(before)


SET_DEFAULT_WARNING = r"set_default_tensor_type\(\) is deprecated as of PyTorch 2.1"


def warns_if_ours(lib: Any) -> Any:
    """Ours warns at every call; PyTorch warns once per process (so maybe not here)."""
    if lib is torch:
        return pytest.warns(UserWarning, match=SET_DEFAULT_WARNING)
    return warnings.catch_warnings()


@pytest.mark.parametrize("t", ["DoubleTensor", "torch.DoubleTensor", "HalfTensor"])
def test_set_default_tensor_type_sets_the_default_dtype_as_torch(t, default_dtype_restored):
    def run(lib: Any) -> Any:
        arg = t if "." in t else getattr(lib, t)
        with warns_if_ours(lib):
            lib.set_default_tensor_type(arg)
        try:
            return str(lib.get_default_dtype()).split(".")[-1], lib.tensor([1.5]).dtype
        finally:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                lib.set_default_tensor_type(lib.FloatTensor)

    ours = run(torch)
    assert ours[0] == ours[1] == ("float16" if t == "HalfTensor" else "float64")
    real = pytest.importorskip("torch")
    assert run(real)[0] == ours[0]


@pytest.mark.parametrize(
    ("t", "match"),
    [
        ("LongTensor", "only floating-point types"),
        ("torch.BoolTensor", "only floating-point types"),
        ("torch.cuda.FloatTensor", "torch.cuda.FloatTensor not available"),
        (3, "invalid type object"),
    ],
)
def test_set_default_tensor_type_refuses_what_torch_refuses(t, match, default_dtype_restored):
    def call(lib: Any) -> None:
        lib.set_default_tensor_type(getattr(lib, t) if t == "LongTensor" else t)

    with warns_if_ours(torch), pytest.raises(TypeError, match="set_default_tensor_type: "):
        call(torch)
    assert torch.get_default_dtype() == np.float32
    real = pytest.importorskip("torch")
    with warns_if_ours(real), pytest.raises(TypeError, match=match):
        call(real)


def test_bfloat16_tensor_names_a_dtype_numpy_lacks(default_dtype_restored):
    """PyTorch's inference scripts switch the default to bfloat16 on the CPU
    (``set_default_tensor_type(torch.BFloat16Tensor)``): ours refuses it, naming bfloat16."""
    with warns_if_ours(torch), pytest.raises(TypeError, match="bfloat16.*not supported"):
        torch.set_default_tensor_type(torch.BFloat16Tensor)
    with pytest.raises(TypeError, match="BFloat16Tensor: .*bfloat16"):
        torch.BFloat16Tensor(2)
    assert not isinstance(torch.ones(2), torch.BFloat16Tensor)
    assert torch.get_default_dtype() == np.float32


def test_legacy_tensor_constructor_with_sizes():
    w = nn.Parameter(torch.Tensor(3, 2))  # custom layers' idiom, then an init_ fills it
    assert w.shape == (3, 2) and w.dtype == np.float32 and w.requires_grad
    assert torch.Tensor(2, 3, 4).shape == (2, 3, 4)
    assert torch.Tensor(torch.ones(4, 5).size()).shape == (4, 5)
    assert torch.Tensor([1.0, 2.0], requires_grad=True).requires_grad  # data, as before


def test_contiguous_copies_a_transposed_tensor_and_new_makes_sizes_or_data():
    x = torch.ones(2, 3, requires_grad=True)
    t = x.t()
    assert not t.is_contiguous() and t.contiguous().is_contiguous()
    (t.contiguous() * torch.arange(6.0).reshape(3, 2)).sum().backward()
    assert x.grad.tolist() == [[0.0, 2.0, 4.0], [1.0, 3.0, 5.0]]
    assert x.new(2, 3).shape == (2, 3) and x.new(x.size()).shape == (2, 3)
    assert x.new([1, 2]).tolist() == [1.0, 2.0] and x.new([1, 2]).dtype == np.float32


def test_dtype_is_the_type_of_the_dtypes():
    assert isinstance(torch.ones(2).dtype, torch.dtype)
    assert isinstance(torch.float64, torch.dtype) and isinstance(torch.long, torch.dtype)
    assert not isinstance("float32", torch.dtype)
    # bfloat16 is a name only (numpy has no such type): not a dtype data can be made of
    assert not isinstance(torch.bfloat16, torch.dtype)


def test_accelerator_device_selection_takes_the_cpu_branch():
    # the device line of PyTorch's current tutorials (Quickstart, Build the Neural Network)
    device = (
        torch.accelerator.current_accelerator().type if torch.accelerator.is_available() else "cpu"
    )
    assert device == "cpu" and torch.zeros(2, device=device).device == torch.device("cpu")
    assert torch.accelerator.device_count() == 0
    assert torch.accelerator.current_accelerator(check_available=True) is None
    for ask in (torch.accelerator.current_device_index, torch.accelerator.synchronize):
        with pytest.raises(RuntimeError, match="none is available"):
            ask()


def test_accelerator_answers_as_torch_without_one():
    real = pytest.importorskip("torch")
    if real.accelerator.is_available():
        pytest.skip("this machine has an accelerator")
    assert torch.accelerator.is_available() == real.accelerator.is_available()
    assert torch.accelerator.device_count() == real.accelerator.device_count()
    assert torch.accelerator.current_accelerator() == real.accelerator.current_accelerator()


def test_set_default_device_takes_the_cpu_and_refuses_others():
    # the char-RNN classification tutorial: torch.set_default_device(device)
    device = torch.device("cuda") if torch.cuda.is_available() else torch.device("cpu")
    torch.set_default_device(device)
    torch.set_default_device(None)
    torch.set_default_device("cpu")
    assert torch.get_default_device() == torch.device("cpu") and torch.zeros(1).device == device
    with pytest.raises(RuntimeError, match="set_default_device.*'cuda'.*CPU only"):
        torch.set_default_device("cuda")
    with pytest.raises(RuntimeError, match="set_default_device"):
        torch.set_default_device(0)


def test_get_default_device_is_torchs_on_the_cpu():
    real = pytest.importorskip("torch")
    assert str(torch.get_default_device()) == str(real.get_default_device()) == "cpu"


def extending_pytorch_gradcheck(torch_: Any, wrong: bool) -> tuple[bool, bool]:
    """ "Extending PyTorch": a custom LinearFunction checked with torch.autograd.gradcheck
    (``wrong`` swaps in a backward that forgets a transpose)."""

    class LinearFunction(torch_.autograd.Function):
        @staticmethod
        def forward(ctx, input, weight, bias=None):
            ctx.save_for_backward(input, weight, bias)
            output = input @ weight.T
            if bias is not None:
                output += bias
            return output

        @staticmethod
        def backward(ctx, grad_output):
            input, weight, bias = ctx.saved_tensors
            grad_input = grad_weight = grad_bias = None
            if ctx.needs_input_grad[0]:
                grad_input = grad_output @ weight
            if ctx.needs_input_grad[1]:
                grad_weight = grad_output.T @ input
                if wrong:
                    grad_weight = grad_weight * 1.5
            if bias is not None and ctx.needs_input_grad[2]:
                grad_bias = grad_output.sum(0)
            return grad_input, grad_weight, grad_bias

    rs = np.random.RandomState(0)
    input = (
        torch_.tensor(rs.randn(5, 4), dtype=torch_.double, requires_grad=True),
        torch_.tensor(rs.randn(3, 4), dtype=torch_.double, requires_grad=True),
    )
    first = torch_.autograd.gradcheck(LinearFunction.apply, input, eps=1e-6, atol=1e-4)
    from_import = __import__(torch_.__name__).autograd.gradcheck
    second = from_import(LinearFunction.apply, input, eps=1e-6, atol=1e-4, raise_exception=False)
    return first, second


def test_autograd_gradcheck_is_torchs_name_for_it():
    from autograd import gradcheck, gradgradcheck

    # torch's signatures over the testing toolkit's checks
    assert (
        gradcheck.__name__ == "torch_gradcheck" and gradgradcheck.__name__ == "torch_gradgradcheck"
    )
    assert extending_pytorch_gradcheck(torch, wrong=False) == (True, True)
    with pytest.raises(torch.testing.GradcheckError):
        extending_pytorch_gradcheck(torch, wrong=True)
    x = torch.tensor([0.5, 2.0], dtype=torch.double, requires_grad=True)
    assert torch.autograd.gradgradcheck(lambda t: t.pow(3), (x,)) is True
    # torch's third positional argument is grad_outputs; its other options are accepted
    w = torch.tensor([1.0, -2.0], dtype=torch.double)
    assert torch.autograd.gradgradcheck(lambda t: t.pow(3), (x,), (w,), fast_mode=True) is True
    assert gradcheck(lambda t: t.pow(3), (x,), nondet_tol=0.0, check_undefined_grad=True)
    with pytest.raises(TypeError, match="unexpected keyword argument 'bogus'"):
        gradcheck(lambda t: t.pow(3), (x,), bogus=1)


def test_gradgradcheck_with_grad_outputs_catches_a_wrong_second_derivative():
    class Cube(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x**3

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            square = x * x  # cut from the graph under create_graph: a wrong second derivative
            return g * 3 * (square.detach() if hasattr(square, "detach") else square)

    x = torch.tensor([0.5, 2.0], dtype=torch.double, requires_grad=True)
    w = torch.tensor([1.0, -2.0], dtype=torch.double)
    assert torch.autograd.gradcheck(Cube.apply, (x,))
    assert not torch.autograd.gradgradcheck(Cube.apply, (x,), (w,), raise_exception=False)


def test_autograd_gradcheck_answers_as_torchs():
    real = pytest.importorskip("torch")
    assert extending_pytorch_gradcheck(real, wrong=False) == (True, True)
    assert extending_pytorch_gradcheck(torch, wrong=False) == (True, True)
    for lib in (real, torch):
        with pytest.raises((AssertionError, RuntimeError)):
            extending_pytorch_gradcheck(lib, wrong=True)


def test_submodule_import_statements_of_ported_scripts():
    """Import lines as PyTorch scripts write them, after the porting rule's rename:
    ``from torch.cuda.amp import ...`` and ``import torch.backends.cudnn as cudnn`` load
    submodules, not attributes, so those must be modules here too."""
    import importlib

    amp = importlib.import_module("autograd.cuda.amp")
    cudnn = importlib.import_module("autograd.backends.cudnn")
    assert torch.cuda.amp is amp and torch.backends.cudnn is cudnn
    cudnn.benchmark = True  # the usual line; nothing reads it
    assert importlib.import_module("autograd.backends.mps").is_available() is False
    with pytest.warns(UserWarning, match="not available"):
        scaler = amp.GradScaler()
    assert not scaler.is_enabled()


def test_xpu_answers_as_torch_without_one():
    """pytorch/examples pick ``torch.device("xpu")`` when ``torch.xpu.is_available()``."""
    real = pytest.importorskip("torch")
    if real.xpu.is_available():
        pytest.skip("this machine has an XPU")
    for name in ("is_available", "device_count", "is_initialized", "is_bf16_supported"):
        assert getattr(torch.xpu, name)() == getattr(real.xpu, name)(), name
    for name in ("manual_seed", "manual_seed_all"):
        assert getattr(torch.xpu, name)(3) is getattr(real.xpu, name)(3) is None
    for name in ("seed", "seed_all", "empty_cache"):
        assert getattr(torch.xpu, name)() is getattr(real.xpu, name)() is None


def test_module_constructors_take_device_and_dtype_where_torch_does():
    """``Layer(nn.Linear)`` calling ``super().__init__(in_features, out_features, bias,
    device, dtype)`` (pytorch/examples' forward-forward): every layer whose PyTorch
    constructor takes ``device``/``dtype`` takes them here too, at the same positions."""
    import inspect

    real = pytest.importorskip("torch")
    checked = 0
    for name in dir(real.nn):
        theirs, ours = getattr(real.nn, name), getattr(nn, name, None)
        if not (isinstance(theirs, type) and issubclass(theirs, real.nn.Module)) or ours is None:
            continue
        want = list(inspect.signature(theirs.__init__).parameters)
        if "device" not in want:
            continue
        got = list(inspect.signature(ours.__init__).parameters)
        if "kwargs" in got and "device" not in got:
            continue  # forwards them to a constructor checked on its own
        for arg in ("device", "dtype"):
            assert arg in got and got.index(arg) == want.index(arg), (name, arg, got, want)
        checked += 1
    assert checked > 40
    layer = nn.Linear(3, 4, True, None, torch.float64)
    assert layer.weight.dtype == layer.bias.dtype == torch.float64
    assert nn.PReLU(2, 0.1, "cpu", torch.float64).weight.dtype == torch.float64
    for make in (lambda: nn.Linear(3, 4, device="cuda"), lambda: nn.PReLU(device="cuda")):
        with pytest.raises(RuntimeError, match="CPU only"):
            make()


def test_function_transforms_checkpointing_swa_and_pruning_are_reached_by_torchs_names():
    """``torch.func``, ``torch.vmap``, ``torch.utils.checkpoint``, ``torch.optim.swa_utils``,
    ``torch.nn.utils.prune`` and ``torch.nn.utils.stateless``, through ``torch.`` and as
    the import lines of ported scripts write them."""
    import importlib

    func = importlib.import_module("autograd.func")
    assert torch.func is func and torch.vmap is func.vmap
    for name in ("grad", "grad_and_value", "vjp", "jvp", "jacrev", "jacfwd", "hessian"):
        assert callable(getattr(torch.func, name))
    assert callable(torch.func.functional_call) and callable(torch.func.stack_module_state)
    checkpoint = importlib.import_module("nn.utils.checkpoint")
    assert torch.utils.checkpoint is checkpoint and nn.utils.checkpoint is checkpoint
    assert callable(checkpoint.checkpoint) and callable(checkpoint.checkpoint_sequential)
    swa = importlib.import_module("optim.swa_utils")
    assert torch.optim.swa_utils is swa
    from optim.swa_utils import SWALR, AveragedModel, get_ema_multi_avg_fn, update_bn

    assert issubclass(AveragedModel, nn.Module) and callable(update_bn)
    assert callable(get_ema_multi_avg_fn()) and SWALR.__name__ == "SWALR"
    prune = importlib.import_module("nn.utils.prune")
    assert torch.nn.utils.prune is prune
    assert torch.nn.utils.stateless.functional_call is not torch.func.functional_call
