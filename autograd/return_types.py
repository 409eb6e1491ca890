"""Named results of ops that return several tensors (PyTorch's ``torch.return_types``):
``values, indices = t.max(1)`` unpacks, ``t.max(1).values`` reads by name, and printed they
read as torch's (``autograd.return_types.max(`` then one field per line)."""

from __future__ import annotations

from collections import namedtuple
from typing import Any


def _named(name: str, fields: list[str]) -> Any:
    base = namedtuple(name, fields)  # type: ignore[misc]

    def __repr__(self: Any) -> str:
        parts = ",\n".join(f"{f}={getattr(self, f)!r}" for f in fields)
        return f"autograd.return_types.{name}(\n{parts})"

    return type(name, (base,), {"__slots__": (), "__repr__": __repr__, "__module__": __name__})


max = _named("max", ["values", "indices"])  # noqa: A001 (torch's names)
min = _named("min", ["values", "indices"])  # noqa: A001
sort = _named("sort", ["values", "indices"])
topk = _named("topk", ["values", "indices"])
median = _named("median", ["values", "indices"])
histogram = _named("histogram", ["hist", "bin_edges"])
slogdet = _named("slogdet", ["sign", "logabsdet"])
linalg_slogdet = _named("linalg_slogdet", ["sign", "logabsdet"])
linalg_eigh = _named("linalg_eigh", ["eigenvalues", "eigenvectors"])
linalg_qr = _named("linalg_qr", ["Q", "R"])
linalg_svd = _named("linalg_svd", ["U", "S", "Vh"])
linalg_inv_ex = _named("linalg_inv_ex", ["inverse", "info"])
linalg_cholesky_ex = _named("linalg_cholesky_ex", ["L", "info"])
linalg_solve_ex = _named("linalg_solve_ex", ["result", "info"])
linalg_lstsq = _named("linalg_lstsq", ["solution", "residuals", "rank", "singular_values"])
linalg_lu_factor = _named("linalg_lu_factor", ["LU", "pivots"])
linalg_lu_factor_ex = _named("linalg_lu_factor_ex", ["LU", "pivots", "info"])
linalg_lu = _named("linalg_lu", ["P", "L", "U"])
lu_unpack = _named("lu_unpack", ["P", "L", "U"])
linalg_eig = _named("linalg_eig", ["eigenvalues", "eigenvectors"])
linalg_ldl_factor = _named("linalg_ldl_factor", ["LD", "pivots"])
linalg_ldl_factor_ex = _named("linalg_ldl_factor_ex", ["LD", "pivots", "info"])
cummax = _named("cummax", ["values", "indices"])
cummin = _named("cummin", ["values", "indices"])
kthvalue = _named("kthvalue", ["values", "indices"])
mode = _named("mode", ["values", "indices"])
aminmax = _named("aminmax", ["min", "max"])
frexp = _named("frexp", ["mantissa", "exponent"])
svd = _named("svd", ["U", "S", "V"])
qr = _named("qr", ["Q", "R"])
nanmedian = _named("nanmedian", ["values", "indices"])
