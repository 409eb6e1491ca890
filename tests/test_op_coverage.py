"""The op table (tests/op_catalogue.py) covers every public op: each public method of Tensor
and each public function of the autograd module is called by some entry's ``fn`` (or used
through its operator), or sits in ``EXCLUDED`` with the reason it is not an op to compare."""

from __future__ import annotations

import dis
import inspect
import types

import autograd
from autograd.tensor import IN_PLACE_FORMS, VIEW_FORMS
from tests.op_catalogue import ERRORS, OPS

# operator syntax in an entry stands for these methods
OPERATORS = {
    "+": ("__add__", "__radd__"),
    "-": ("__sub__", "__rsub__"),
    "*": ("__mul__", "__rmul__"),
    "/": ("__truediv__", "__rtruediv__"),
    "//": ("__floordiv__", "__rfloordiv__"),
    "%": ("__mod__", "__rmod__"),
    "**": ("__pow__", "__rpow__"),
    "@": ("__matmul__", "__rmatmul__"),
}

_IN_PLACE = (
    "in place: tests/autograd/test_inplace.py, the in-place torch oracle programs and "
    "tests/test_torch_oracle/test_inplace_forms_vs_torch.py"
)
_META = "metadata or a conversion, not a differentiable op (tests/autograd/test_conversions.py)"
_CREATE = "creation or random sampling: tests/autograd/test_creation.py, test_random.py"
_STATE = "global state (grad mode, dtype, seeds, determinism, printing), not an op"
_AUTOGRAD = "autograd machinery, tested by tests/autograd/test_engine.py and test_grad.py"
_OURS = "not a PyTorch API (numpy / micrograd compatibility), nothing to compare with"

# in-place forms with entries of their own in the op table
IN_PLACE_IN_CATALOGUE = {
    "index_fill",
    "index_copy",
    "index_put",
    "masked_scatter",
    "put",
    "addmv",
    "addr",
    "renorm",
}

EXCLUDED: dict[str, str] = {
    **{
        n: _IN_PLACE
        for n in (
            "add_",
            "sub_",
            "mul_",
            "div_",
            "pow_",
            "neg_",
            "exp_",
            "clamp_",
            "clip_",
            "copy_",
            "fill_",
            "zero_",
            "masked_fill_",
            "normal_",
            "uniform_",
            "detach_",
            "requires_grad_",
            "scatter_",
            "scatter_add_",
            "scatter_reduce_",
            "index_add_",
            "fill_diagonal_",
            "clamp_min_",
            "clamp_max_",
            "lerp_",
            "addcmul_",
            "addcdiv_",
            *(f"{n}_" for n in IN_PLACE_FORMS if n not in IN_PLACE_IN_CATALOGUE),
            *(f"{n}_" for n in VIEW_FORMS),
            "float_power_",
        )
    },
    **{
        n: _META
        for n in (
            "cpu",
            "data",
            "cuda",
            "device",
            "dim",
            "dtype",
            "element_size",
            "int",
            "is_cuda",
            "is_floating_point",
            "is_contiguous",
            "is_leaf",
            "is_sparse",
            "item",
            "ndim",
            "ndimension",
            "nelement",
            "numpy",
            "shape",
            "short",
            "byte",
            "char",
            "cfloat",
            "cdouble",
            "size",
            "to",
            "tolist",
            "type",
            "finfo",
            "iinfo",
            "is_complex",
            "is_tensor",
            "can_cast",
            "promote_types",
            "result_type",
            "from_numpy",
            "as_tensor",
            "save",
            "load",
        )
    },
    **{
        n: _CREATE
        for n in (
            "arange",
            "bernoulli",
            "empty",
            "empty_like",
            "eye",
            "full",
            "full_like",
            "linspace",
            "logspace",
            "multinomial",
            "normal",
            "ones",
            "ones_like",
            "rand",
            "rand_like",
            "randint",
            "randint_like",
            "randn",
            "randn_like",
            "randperm",
            "poisson",
            "zeros",
            "zeros_like",
            "new",
            "new_tensor",
            "new_zeros",
            "new_ones",
            "new_full",
            "new_empty",
            "tensor",
            "asarray",
            "binomial",
        )
    },
    **{
        n: _STATE
        for n in (
            "are_deterministic_algorithms_enabled",
            "get_default_device",
            "get_default_dtype",
            "get_rng_state",
            "initial_seed",
            "is_deterministic_algorithms_warn_only_enabled",
            "is_grad_enabled",
            "manual_seed",
            "seed",
            "set_default_device",
            "set_default_dtype",
            "set_printoptions",
            "set_rng_state",
            "use_deterministic_algorithms",
        )
    },
    **{n: _AUTOGRAD for n in ("grad", "grad_fn", "requires_grad", "retain_grad", "register_hook")},
    **{
        n: "anomaly-detection switches, not ops (tests/autograd/test_anomaly.py)"
        for n in ("is_anomaly_enabled", "is_anomaly_check_nan_enabled", "set_anomaly_enabled")
    },
    **{
        n: "performance switches and autocast, no effect on results "
        "(tests/autograd/test_amp_and_switches.py)"
        for n in (
            "compile",
            "get_float32_matmul_precision",
            "get_num_threads",
            "is_autocast_available",
            "is_autocast_enabled",
            "set_float32_matmul_precision",
            "set_num_interop_threads",
            "set_num_threads",
        )
    },
    **{
        n: "random fill, in place: distributions and rules in tests/autograd/test_random_methods.py"
        for n in (
            "bernoulli_",
            "random_",
            "exponential_",
            "log_normal_",
            "cauchy_",
            "geometric_",
        )
    },
    **{
        n: "a question about the tensor or its memory, or gradient bookkeeping "
        "(tests/autograd/test_tensor_info.py)"
        for n in (
            "data_ptr get_device is_conj is_cpu is_neg is_nonzero is_pinned "
            "is_same_size is_shared is_signed itemsize nbytes pin_memory "
            "register_post_accumulate_grad_hook resize_ resize_as_ resolve_conj resolve_neg "
            "retains_grad share_memory_ storage storage_offset stride untyped_storage "
            "is_inference apply_ map_ "
            "broadcast_shapes"
        ).split()
    },
    "Variable": "PyTorch's pre-0.4 name: returns its argument (tests/porting/test_torch_names.py)",
    **{
        n: "window functions (constants, no gradient): tests/autograd/test_stft.py, against "
        "torch in tests/test_torch_oracle/test_stft_vs_torch.py"
        for n in (
            "bartlett_window",
            "blackman_window",
            "hamming_window",
            "hann_window",
            "kaiser_window",
        )
    },
    "set_default_tensor_type": (
        "PyTorch's deprecated default-dtype switch, not an op (tests/porting/test_torch_names.py)"
    ),
    **{n: _OURS for n in ("astype", "step", "zero_grad", "swish")},
    **{
        n: "sparse COO tensors (another layout; dense ops refuse them): tests/autograd/"
        "test_sparse*.py, against torch in tests/test_torch_oracle/test_sparse_vs_torch.py"
        for n in ("layout", "sparse_coo_tensor", "spmm", "to_sparse")
    },
}


def _names(code: types.CodeType, acc: set) -> set:
    acc.update(code.co_names)
    for ins in dis.get_instructions(code):
        if ins.opname == "BINARY_OP":
            acc.update(OPERATORS.get(ins.argrepr.rstrip("="), ()))
    for c in code.co_consts:
        if isinstance(c, types.CodeType):
            _names(c, acc)
    return acc


def _covered() -> set:
    acc: set = set()
    for entry in [*OPS, *ERRORS]:
        _names(entry.fn.__code__, acc)
    return acc


def _public_methods() -> set:
    return {n for n in dir(autograd.Tensor) if not n.startswith("_")}


def _public_functions() -> set:
    out = set()
    for n in dir(autograd):
        obj = getattr(autograd, n)
        if n.startswith("_") or inspect.ismodule(obj) or inspect.isclass(obj):
            continue
        if callable(obj):
            out.add(n)
    return out


def test_every_public_op_is_in_the_catalogue_or_excluded_with_a_reason() -> None:
    covered = _covered()
    missing = sorted((_public_methods() | _public_functions()) - covered - set(EXCLUDED))
    assert not missing, f"public ops in no catalogue entry and not excluded: {missing}"


def test_arithmetic_operators_are_in_the_catalogue() -> None:
    covered = _covered()
    missing = [m for pair in OPERATORS.values() for m in pair[:1] if m not in covered]
    assert not missing, missing


def test_exclusions_are_not_stale() -> None:
    public = _public_methods() | _public_functions()
    stale = sorted(n for n in EXCLUDED if n not in public)
    covered = sorted(n for n in EXCLUDED if n in _covered() and n not in ("tensor", "grad"))
    assert not stale, f"excluded names that are no longer public: {stale}"
    assert not covered, f"excluded names that the catalogue covers after all: {covered}"


def test_counts() -> None:
    public = _public_methods() | _public_functions()
    in_table = public & _covered()
    excluded = public & set(EXCLUDED) - in_table
    assert len(in_table) + len(excluded) == len(public)
    # most of the API is compared with torch (the generic in-place forms are too, in
    # tests/test_torch_oracle/test_inplace_forms_vs_torch.py)
    generic = {f"{n}_" for n in (*IN_PLACE_FORMS, *VIEW_FORMS)}
    assert len(in_table) > 1.5 * len(excluded - generic)
