"""Result dtypes (and values) of mixed-dtype elementwise ops match PyTorch's over every pair of
dtypes x (dimensioned, 0-d, Python number) operands: torch's categories decide, not numpy's
(``int32 vector + int64 0-d`` is int32, ``float16 vector + float32 0-d`` float16, an integer
vector with a float 0-d or Python float becomes floating)."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import autograd

torch = pytest.importorskip("torch")

DTYPES = [
    "bool",
    "uint8",
    "int8",
    "int16",
    "int32",
    "int64",
    "float16",
    "float32",
    "float64",
    "complex64",
    "complex128",
]
# the Python number standing for each category
SCALARS = {"bool": True, "int64": 3, "float32": 1.5, "complex64": 2 - 1j}
KINDS = [("dim", "dim"), ("dim", "0d"), ("0d", "dim"), ("0d", "0d")]
KINDS += [("dim", "scalar"), ("scalar", "dim"), ("0d", "scalar"), ("scalar", "0d")]


def operand(lib: Any, dtype: str, kind: str) -> Any:
    """[3, 2, 1] with dimensions, 2 without (all True for bool: no division by zero)."""
    if kind == "scalar":
        return SCALARS[dtype]
    values = [3, 2, 1] if kind == "dim" else 2
    return lib.tensor(values, dtype=getattr(lib, dtype))


def cases() -> list[tuple[str, str, str, str]]:
    out = []
    for (ka, kb), da, db in itertools.product(KINDS, DTYPES, DTYPES):
        if (ka == "scalar" and da not in SCALARS) or (kb == "scalar" and db not in SCALARS):
            continue
        out.append((da, ka, db, kb))
    return out


CASES = cases()


def torch_dtype_name(dtype: Any) -> str:
    name = str(dtype).removeprefix("torch.")
    return "complex64" if name == "complex32" else name  # (no complex32 here: the nearest)


def run(lib: Any, f: Callable[..., Any], case: tuple[str, str, str, str]) -> Any:
    da, ka, db, kb = case
    try:
        return f(lib, operand(lib, da, ka), operand(lib, db, kb))
    except (RuntimeError, TypeError, ValueError, ZeroDivisionError) as e:
        return e


OPS: dict[str, Callable[..., Any]] = {
    "+": lambda lib, a, b: a + b,
    "-": lambda lib, a, b: a - b,
    "*": lambda lib, a, b: a * b,
    "/": lambda lib, a, b: a / b,
    "//": lambda lib, a, b: a // b,
    "%": lambda lib, a, b: a % b,
    "**": lambda lib, a, b: a**b,
    "<": lambda lib, a, b: a < b,
    "==": lambda lib, a, b: a == b,
    "&": lambda lib, a, b: a & b,
    "where": lambda lib, a, b: lib.where(lib.tensor([True, False, True]), a, b),
    "maximum": lambda lib, a, b: lib.maximum(a, b),
    "torch.add": lambda lib, a, b: lib.add(a, b),
    "torch.div": lambda lib, a, b: lib.div(a, b),
}


@pytest.mark.parametrize("name", list(OPS))
def test_result_dtypes_and_values_match_torch(name: str) -> None:
    f = OPS[name]
    wrong = []
    for case in CASES:
        ref = run(torch, f, case)
        if isinstance(ref, Exception):
            continue  # torch refuses (bool - bool, complex //, ...): see the report
        out = run(autograd, f, case)
        if isinstance(out, Exception):
            wrong.append((case, torch_dtype_name(ref.dtype), repr(out)))
            continue
        expected = torch_dtype_name(ref.dtype)
        if str(out.dtype) != expected:
            wrong.append((case, expected, str(out.dtype)))
            continue
        ref_np = ref.numpy() if ref.dtype != torch.complex32 else ref.to(torch.complex64).numpy()
        if not np.allclose(out.data, ref_np, rtol=2e-3, equal_nan=True):
            wrong.append((case, ref_np, out.data))
    assert not wrong, f"{len(wrong)} of {len(CASES)} differ: {wrong[:10]}"


def test_result_type_promote_types_and_can_cast_match_torch() -> None:
    wrong = []
    for case in CASES:
        da, ka, db, kb = case
        if ka == "scalar" and kb == "scalar":
            continue
        ref = torch_dtype_name(torch.result_type(operand(torch, da, ka), operand(torch, db, kb)))
        got = str(autograd.result_type(operand(autograd, da, ka), operand(autograd, db, kb)))
        if got != ref:
            wrong.append((case, ref, got))
    for da, db in itertools.product(DTYPES, DTYPES):
        ta, tb = getattr(torch, da), getattr(torch, db)
        aa, ab = getattr(autograd, da), getattr(autograd, db)
        ref = torch_dtype_name(torch.promote_types(ta, tb))
        if str(autograd.promote_types(aa, ab)) != ref:
            wrong.append(("promote_types", da, db, ref))
        if autograd.can_cast(aa, ab) != torch.can_cast(ta, tb):
            wrong.append(("can_cast", da, db))
    assert not wrong, wrong[:10]


INPLACE: dict[str, Callable[..., Any]] = {
    "+=": lambda a, b: a.__iadd__(b),
    "*=": lambda a, b: a.__imul__(b),
    "/=": lambda a, b: a.__itruediv__(b),
    "add_": lambda a, b: a.add_(b),
}


@pytest.mark.parametrize("name", list(INPLACE))
def test_in_place_ops_keep_the_dtype_or_raise_as_torch(name: str) -> None:
    f = INPLACE[name]
    wrong = []
    for case in CASES:
        da, ka, db, kb = case
        if ka != "dim":
            continue
        ref = run(torch, lambda lib, a, b: f(a, b), case)
        out = run(autograd, lambda lib, a, b: f(a, b), case)
        if isinstance(ref, Exception):
            message = str(ref).replace("ComplexHalf", "ComplexFloat")  # (no complex32 here)
            if "can't be cast to the desired output type" in message and (
                not isinstance(out, RuntimeError) or message not in str(out)
            ):
                wrong.append((case, message, out))
            continue
        if isinstance(out, Exception) or str(out.dtype) != da:
            wrong.append((case, da, out))
        elif not np.allclose(out.data, ref.numpy(), rtol=2e-3):
            wrong.append((case, ref.numpy(), out.data))
    assert not wrong, f"{len(wrong)} differ: {wrong[:10]}"


def test_gradients_flow_in_each_operands_dtype() -> None:
    # float32 vector times a float64 0-d parameter: a float32 result; each gradient in the
    # dtype of its own tensor, as torch
    xs = np.array([0.5, -1.5, 2.0], dtype=np.float32)
    ours_x = autograd.tensor(xs, requires_grad=True)
    ours_w = autograd.tensor(0.25, dtype=autograd.float64, requires_grad=True)
    ref_x = torch.tensor(xs, requires_grad=True)
    ref_w = torch.tensor(0.25, dtype=torch.float64, requires_grad=True)
    out, ref = (ours_x * ours_w).sum(), (ref_x * ref_w).sum()
    assert str(out.dtype) == torch_dtype_name(ref.dtype) == "float32"
    out.backward()
    ref.backward()
    assert ours_x.grad.dtype == np.float32 and ours_w.grad.dtype == np.float64
    np.testing.assert_allclose(ours_x.grad.data, ref_x.grad.numpy())
    np.testing.assert_allclose(ours_w.grad.data, ref_w.grad.numpy(), rtol=1e-6)
