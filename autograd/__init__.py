"""Reverse-mode automatic differentiation on scalars (``Value``) and arrays (``Tensor``)."""

import math as _math
import warnings as _warnings
from typing import Any as _Any

from . import accelerator, backends, cuda, dtypes, random, return_types, version, xpu
from . import node as _node  # noqa: F401  (before the ops: they and Node import each other)
from .anomaly_mode import (
    detect_anomaly,
    is_anomaly_check_nan_enabled,
    is_anomaly_enabled,
    set_anomaly_enabled,
    set_detect_anomaly,
)
from .creation import (
    arange,
    as_tensor,
    asarray,
    bernoulli,
    binomial,
    empty,
    empty_like,
    eye,
    from_numpy,
    full,
    full_like,
    linspace,
    logspace,
    multinomial,
    normal,
    ones,
    ones_like,
    poisson,
    rand,
    rand_like,
    randint,
    randint_like,
    randn,
    randn_like,
    randperm,
    tensor,
    vander,
    zeros,
    zeros_like,
)
from .creation import inclusive_range as _inclusive_range
from .devices import device, get_default_device, set_default_device
from .dtypes import (
    bfloat16,
    complex64,
    complex128,
    dtype,
    finfo,
    float16,
    float32,
    float64,
    get_default_dtype,
    iinfo,
    int8,
    int16,
    int32,
    int64,
    is_complex,
    is_floating_point,
    is_tensor,
    set_default_dtype,
    uint8,
    uint16,
    uint32,
    uint64,
)
from .function import Context, Function
from .functions import *  # noqa: F403  (torch's module-level functions)
from .functions import __all__ as _function_names
from .functions import cat, concatenate, maximum, minimum, stack, where
from .grad import backward, grad
from .grad_mode import enable_grad, inference_mode, is_grad_enabled, no_grad, set_grad_enabled
from .istft import istft
from .layouts import layout, sparse_coo, strided
from .legacy import (
    BFloat16Tensor,
    BoolTensor,
    ByteTensor,
    CharTensor,
    DoubleTensor,
    FloatTensor,
    HalfTensor,
    IntTensor,
    LongTensor,
    ShortTensor,
    Variable,
    set_default_tensor_type,
)
from .memory_format import (
    channels_last,
    channels_last_3d,
    contiguous_format,
    memory_format,
    preserve_format,
)
from .nn_functions import *  # noqa: F403  (torch.conv2d, torch.celu_, torch.dropout ...)
from .nn_functions import __all__ as _nn_function_names
from .printing import set_printoptions
from .promotion import can_cast, promote_types, result_type
from .random import (
    Generator,
    are_deterministic_algorithms_enabled,
    get_rng_state,
    initial_seed,
    is_deterministic_algorithms_warn_only_enabled,
    manual_seed,
    seed,
    set_rng_state,
    use_deterministic_algorithms,
)
from .serialization import load, save
from .size import Size
from .sparse import spmm
from .sparse_tensor import sparse_coo_tensor
from .stft import stft
from .storage import TypedStorage, UntypedStorage
from .tensor import Tensor
from .trapezoid import cumulative_trapezoid, trapezoid, trapz
from .value import Value
from .version import __version__ as __version__  # the package version (torch.__version__)
from .window_functions import (
    bartlett_window,
    blackman_window,
    hamming_window,
    hann_window,
    kaiser_window,
)

# isort: split
# (after node and the ops, which they build on)
from . import amp, fft, jit, linalg, sparse, special
from .amp import autocast, is_autocast_available, is_autocast_enabled
from .jit import _assert as _assert  # torch._assert
from .linalg_lu import lu_unpack
from .runtime_settings import (
    compile,
    get_float32_matmul_precision,
    get_num_threads,
    set_float32_matmul_precision,
    set_num_interop_threads,
    set_num_threads,
)

# torch's constants: torch.inf, torch.pi ... (Python floats), and newaxis (None) for indexing
inf = _math.inf
nan = _math.nan
pi = _math.pi
e = _math.e
newaxis = None

__all__ = [
    "inf",
    "nan",
    "pi",
    "e",
    "newaxis",
    "Context",
    "Function",
    "Generator",
    "BoolTensor",
    "BFloat16Tensor",
    "ByteTensor",
    "CharTensor",
    "DoubleTensor",
    "FloatTensor",
    "HalfTensor",
    "IntTensor",
    "LongTensor",
    "ShortTensor",
    "Size",
    "TypedStorage",
    "UntypedStorage",
    "set_printoptions",
    "Variable",
    "set_default_tensor_type",
    "Tensor",
    "Value",
    "accelerator",
    "arange",
    "cumulative_trapezoid",
    "trapezoid",
    "trapz",
    "stft",
    "istft",
    "lu_unpack",
    "bartlett_window",
    "blackman_window",
    "hamming_window",
    "hann_window",
    "kaiser_window",
    *_nn_function_names,
    "asarray",
    "binomial",
    "vander",
    "are_deterministic_algorithms_enabled",
    "as_tensor",
    "backends",
    "backward",
    "detect_anomaly",
    "is_anomaly_check_nan_enabled",
    "is_anomaly_enabled",
    "set_anomaly_enabled",
    "set_detect_anomaly",
    "bernoulli",
    "can_cast",
    "cat",
    "complex128",
    "complex64",
    "concatenate",
    "cuda",
    "xpu",
    "version",
    "device",
    "get_default_device",
    "set_default_device",
    "channels_last",
    "channels_last_3d",
    "contiguous_format",
    "memory_format",
    "preserve_format",
    "empty",
    "empty_like",
    "enable_grad",
    "eye",
    "finfo",
    "bfloat16",
    "float16",
    "float32",
    "float64",
    "from_numpy",
    "full",
    "full_like",
    "get_default_dtype",
    "get_rng_state",
    "grad",
    "inference_mode",
    "linalg",
    "jit",
    "fft",
    "set_grad_enabled",
    "iinfo",
    "initial_seed",
    "int16",
    "int32",
    "int64",
    "int8",
    "is_complex",
    "is_deterministic_algorithms_warn_only_enabled",
    "is_floating_point",
    "is_grad_enabled",
    "is_tensor",
    "linspace",
    "load",
    "logspace",
    "manual_seed",
    "maximum",
    "minimum",
    "multinomial",
    "no_grad",
    "normal",
    "ones",
    "ones_like",
    "poisson",
    "dtype",
    "special",
    "rand",
    "rand_like",
    "randint",
    "randint_like",
    "randn",
    "randn_like",
    "random",
    "promote_types",
    "randperm",
    "result_type",
    "save",
    "seed",
    "set_default_dtype",
    "set_rng_state",
    "stack",
    "tensor",
    "uint16",
    "uint32",
    "uint64",
    "uint8",
    "use_deterministic_algorithms",
    "where",
    "zeros",
    "zeros_like",
    "return_types",
    "layout",
    "sparse",
    "sparse_coo",
    "sparse_coo_tensor",
    "spmm",
    "strided",
    "amp",
    "autocast",
    "is_autocast_available",
    "is_autocast_enabled",
    "compile",
    "get_float32_matmul_precision",
    "get_num_threads",
    "set_float32_matmul_precision",
    "set_num_interop_threads",
    "set_num_threads",
    *[
        n
        for n in _function_names
        if n not in ("cat", "concatenate", "maximum", "minimum", "stack", "where")
    ],
]


# What a ported script reaches through ``torch.``: ``import torch`` became ``import autograd
# as torch``, so ``torch.optim.AdamW`` and ``torch.nn.init.normal_`` in its body ask this module
# for the packages that hold PyTorch's ``torch.optim``, ``torch.nn``, ``torch.utils`` and
# ``torch.autograd`` (this module itself).
_PACKAGES = {"nn": "nn", "optim": "optim", "utils": "nn.utils"}


def __getattr__(name: str) -> _Any:
    """``autograd.viz`` and ``autograd.testing`` load on first use (graphviz, hypothesis), as
    do ``autograd.functional``, ``autograd.func``, ``autograd.distributions`` and
    ``autograd.distributed`` (PyTorch's ``torch.autograd.functional``, ``torch.func``,
    ``torch.distributions`` and ``torch.distributed``), ``autograd.nn``, ``autograd.optim``
    and ``autograd.utils`` (torch's names), ``autograd.vmap`` (``torch.vmap``, which is
    ``torch.func.vmap``), and ``autograd.gradcheck`` / ``gradgradcheck``
    (``torch.autograd.gradcheck``'s signature over ``autograd.testing``'s checks)."""
    import importlib

    if name in ("viz", "testing", "functional", "func", "distributions", "distributed"):
        return importlib.import_module(f".{name}", __name__)
    if name in _PACKAGES:
        return importlib.import_module(_PACKAGES[name])
    if name == "vmap":  # torch.vmap is torch.func.vmap
        return importlib.import_module(".func", __name__).vmap
    if name == "autograd":
        return importlib.import_module(__name__)
    if name in ("gradcheck", "gradgradcheck"):  # torch.autograd.gradcheck / gradgradcheck
        checks = importlib.import_module(".testing.gradcheck", __name__)
        return getattr(checks, f"torch_{name}")
    raise AttributeError(f"module 'autograd' has no attribute {name!r}")


# numpy warns when an op meets inf or nan (inf - inf, log(0), an overflow); PyTorch gives the
# IEEE result silently, and so does this library: numpy's RuntimeWarnings raised inside its
# own modules (autograd, nn, optim) are ignored. Warnings from the user's own code stay.
_warnings.filterwarnings(
    "ignore",
    message=r"(invalid value|divide by zero|overflow|underflow) encountered",
    category=RuntimeWarning,
    module=r"(autograd|nn|optim)(\..*)?$",
)

# PyTorch's short dtype names (autograd.float is float32, autograd.long int64, ...). Set last,
# and left out of __all__, because ``float``, ``int`` and ``bool`` would shadow the builtins in
# this module and in any ``from autograd import *``.
half = dtypes.float16
float = dtypes.float32  # noqa: A001
double = dtypes.float64
cfloat = dtypes.complex64
cdouble = dtypes.complex128
short = dtypes.int16
int = dtypes.int32  # noqa: A001
long = dtypes.int64
bool = dtypes.bool_  # noqa: A001
range = _inclusive_range  # noqa: A001  (torch.range, deprecated there: the end is included)
