"""Products of operands of two different dtypes against torch. Where torch promotes (outer,
addr, kron, inner with a 0-d operand, einsum without a contraction), ours gives torch's dtype
and values. Where torch refuses the mix (matmul and its relatives: mm, bmm, mv, dot, inner,
addmm, addbmm, baddbmm, addmv, linear, bilinear, tensordot, einsum with a contraction,
cross, cdist), ours promotes, a documented difference (README: ``Tensor(ndarray)`` keeps a
float64 array's dtype, so ported scripts feed float64 data to float32 layers): its result is
torch's for the operands promoted first. vdot, multi_dot and vecdot refuse as torch."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import autograd  # noqa: E402
import nn.functional as ours_F  # noqa: E402

DTYPES = ["float32", "float64", "float16", "int64", "int32"]
PAIRS = [(a, b) for a in DTYPES for b in DTYPES if a != b]


def _t(lib: Any, shape: tuple, dtype: str) -> Any:
    return lib.ones(shape, dtype=getattr(lib, dtype))


# name: (lib, F, dtype a, dtype b) -> result; both libraries run the same call
CASES: dict[str, Callable[[Any, Any, str, str], Any]] = {
    "matmul_2d": lambda L, F, a, b: L.matmul(_t(L, (2, 3), a), _t(L, (3, 2), b)),
    "matmul_1d": lambda L, F, a, b: L.matmul(_t(L, (3,), a), _t(L, (3,), b)),
    "matmul_1d_2d": lambda L, F, a, b: _t(L, (3,), a) @ _t(L, (3, 2), b),
    "matmul_2d_1d": lambda L, F, a, b: _t(L, (2, 3), a) @ _t(L, (3,), b),
    "matmul_batched": lambda L, F, a, b: _t(L, (2, 2, 3), a) @ _t(L, (2, 3, 2), b),
    "matmul_broadcast": lambda L, F, a, b: _t(L, (3,), a) @ _t(L, (2, 3, 2), b),
    "linalg_matmul": lambda L, F, a, b: L.linalg.matmul(_t(L, (2, 3), a), _t(L, (3, 2), b)),
    "mm": lambda L, F, a, b: L.mm(_t(L, (2, 3), a), _t(L, (3, 2), b)),
    "bmm": lambda L, F, a, b: L.bmm(_t(L, (2, 2, 3), a), _t(L, (2, 3, 2), b)),
    "mv": lambda L, F, a, b: L.mv(_t(L, (2, 3), a), _t(L, (3,), b)),
    "dot": lambda L, F, a, b: L.dot(_t(L, (3,), a), _t(L, (3,), b)),
    "vdot": lambda L, F, a, b: L.vdot(_t(L, (3,), a), _t(L, (3,), b)),
    "inner": lambda L, F, a, b: L.inner(_t(L, (2, 3), a), _t(L, (4, 3), b)),
    "inner_0d": lambda L, F, a, b: L.inner(_t(L, (), a), _t(L, (2, 3), b)),
    "outer": lambda L, F, a, b: L.outer(_t(L, (3,), a), _t(L, (2,), b)),
    "addr": lambda L, F, a, b: L.addr(_t(L, (3, 2), a), _t(L, (3,), b), _t(L, (2,), b)),
    "kron": lambda L, F, a, b: L.kron(_t(L, (2, 3), a), _t(L, (3, 2), b)),
    "addmm_input": lambda L, F, a, b: L.addmm(_t(L, (2,), b), _t(L, (2, 3), a), _t(L, (3, 2), a)),
    "addmm_mat2": lambda L, F, a, b: L.addmm(_t(L, (2, 2), a), _t(L, (2, 3), a), _t(L, (3, 2), b)),
    "baddbmm_input": lambda L, F, a, b: L.baddbmm(
        _t(L, (2, 2, 2), b), _t(L, (2, 2, 3), a), _t(L, (2, 3, 2), a)
    ),
    "baddbmm_batch2": lambda L, F, a, b: L.baddbmm(
        _t(L, (2, 2, 2), a), _t(L, (2, 2, 3), a), _t(L, (2, 3, 2), b)
    ),
    "addbmm_input": lambda L, F, a, b: L.addbmm(
        _t(L, (2, 2), b), _t(L, (2, 2, 3), a), _t(L, (2, 3, 2), a)
    ),
    "addbmm_batch1": lambda L, F, a, b: L.addbmm(
        _t(L, (2, 2), a), _t(L, (2, 2, 3), b), _t(L, (2, 3, 2), a)
    ),
    "addmv_input": lambda L, F, a, b: L.addmv(_t(L, (2,), b), _t(L, (2, 3), a), _t(L, (3,), a)),
    "addmv_vec": lambda L, F, a, b: L.addmv(_t(L, (2,), a), _t(L, (2, 3), a), _t(L, (3,), b)),
    "linear_weight": lambda L, F, a, b: F.linear(_t(L, (2, 3), a), _t(L, (4, 3), b)),
    "linear_bias": lambda L, F, a, b: F.linear(_t(L, (2, 3), a), _t(L, (4, 3), a), _t(L, (4,), b)),
    "linear_1d": lambda L, F, a, b: F.linear(_t(L, (3,), a), _t(L, (4, 3), b)),
    "bilinear": lambda L, F, a, b: F.bilinear(
        _t(L, (2, 3), a), _t(L, (2, 4), b), _t(L, (5, 3, 4), a)
    ),
    "bilinear_bias": lambda L, F, a, b: F.bilinear(
        _t(L, (2, 3), a), _t(L, (2, 4), a), _t(L, (5, 3, 4), a), _t(L, (5,), b)
    ),
    "tensordot": lambda L, F, a, b: L.tensordot(_t(L, (2, 3), a), _t(L, (3, 2), b), dims=1),
    "tensordot_0": lambda L, F, a, b: L.tensordot(_t(L, (2, 3), a), _t(L, (3, 2), b), dims=0),
    "einsum_contraction": lambda L, F, a, b: L.einsum(
        "ij,jk->ik", _t(L, (2, 3), a), _t(L, (3, 2), b)
    ),
    "einsum_row_sums": lambda L, F, a, b: L.einsum("ij,ij->i", _t(L, (2, 3), a), _t(L, (2, 3), b)),
    "einsum_elementwise": lambda L, F, a, b: L.einsum(
        "ij,ij->ij", _t(L, (2, 3), a), _t(L, (2, 3), b)
    ),
    "einsum_outer": lambda L, F, a, b: L.einsum("i,j->ij", _t(L, (2,), a), _t(L, (3,), b)),
    "einsum_own_sum": lambda L, F, a, b: L.einsum("ij,k->k", _t(L, (2, 3), a), _t(L, (3,), b)),
    "einsum_third_contracted": lambda L, F, a, b: L.einsum(
        "i,j,j->i", _t(L, (2,), a), _t(L, (3,), a), _t(L, (3,), b)
    ),
    "einsum_third_outer_first": lambda L, F, a, b: L.einsum(
        "i,j,ij->", _t(L, (2,), a), _t(L, (3,), b), _t(L, (2, 3), b)
    ),
    "cross": lambda L, F, a, b: L.cross(_t(L, (2, 3), a), _t(L, (2, 3), b), dim=1),
    "linalg_cross": lambda L, F, a, b: L.linalg.cross(_t(L, (2, 3), a), _t(L, (2, 3), b)),
    "cdist": lambda L, F, a, b: L.cdist(_t(L, (2, 3), a), _t(L, (4, 3), b)),
    "multi_dot": lambda L, F, a, b: L.linalg.multi_dot([_t(L, (2, 3), a), _t(L, (3, 2), b)]),
    "vecdot": lambda L, F, a, b: L.linalg.vecdot(_t(L, (2, 3), a), _t(L, (2, 3), b)),
}


def _outcome(case: Callable[..., Any], lib: Any, F: Any, a: str, b: str) -> tuple[str, Any]:
    try:
        return "ok", case(lib, F, a, b)
    except Exception as e:  # noqa: BLE001 (the error is the outcome compared)
        return "raises", e


@pytest.mark.parametrize("name", list(CASES))
def test_mixed_dtype_products_promote_or_raise(name):
    case = CASES[name]
    for a, b in PAIRS:
        kind_t, theirs = _outcome(case, torch, torch.nn.functional, a, b)
        kind_o, ours = _outcome(case, autograd, ours_F, a, b)
        if kind_t == "raises" and kind_o == "ok":  # ours promotes: torch's promoted result
            common = str(torch.promote_types(getattr(torch, a), getattr(torch, b)))
            common = common.removeprefix("torch.")
            kind_t, theirs = _outcome(case, torch, torch.nn.functional, common, common)
            if isinstance(theirs, NotImplementedError):
                continue  # torch has no kernel for that dtype (cdist of float16)
        assert kind_o == kind_t, f"{name}({a}, {b}): torch {kind_t} ({theirs!r}), ours {ours!r}"
        if kind_t == "raises":
            assert isinstance(ours, RuntimeError), f"{name}({a}, {b}): {ours!r}"
        else:
            want = np.dtype(str(theirs.dtype).removeprefix("torch."))
            assert ours.dtype == want, f"{name}({a}, {b}): {ours.dtype}, torch {want}"
            np.testing.assert_allclose(ours.numpy(), theirs.numpy().astype(want), rtol=1e-6)


@pytest.mark.parametrize("name", list(CASES))
def test_same_dtype_products_still_agree(name):
    case = CASES[name]
    for a in DTYPES[:2]:
        theirs = case(torch, torch.nn.functional, a, a)
        ours = case(autograd, ours_F, a, a)
        np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-6)
