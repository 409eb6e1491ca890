"""Row-sparse gradients kept dense: which rows of a table (an embedding's weight) a gradient
holds, for the optimizers that treat a row absent from a sparse gradient differently from a
row present with a zero gradient (``optim.SparseAdam``, ``optim.Adagrad``).

There is no sparse tensor type. A lookup made with ``sparse=True`` returns a dense gradient
array of the class ``RowGrad``, zero outside its ``rows``; adding two of them (the engine
summing the contributions of two lookups) gives another with the union of rows, and adding
anything else gives a plain array (a dense contribution makes the gradient dense, as in
PyTorch). When it reaches a leaf, the leaf's ``.grad`` Tensor keeps the rows in its
``_sparse_rows`` attribute (None: a dense gradient), which later backward calls merge in the
same way and ``zero_grad`` / ``zero_()`` empty.
"""

from __future__ import annotations

from typing import Any

import numpy as np


class RowGrad(np.ndarray):
    """A dense gradient that is zero outside ``rows`` (sorted, unique, along dim 0)."""

    rows: np.ndarray | None

    def __array_finalize__(self, obj: Any) -> None:
        # a copy or cast (``astype`` when the engine conforms a gradient's dtype) keeps the rows
        self.rows = getattr(obj, "rows", None)

    def __array_ufunc__(self, ufunc: Any, method: str, *inputs: Any, **kwargs: Any) -> Any:
        plain = [x.view(np.ndarray) if isinstance(x, RowGrad) else x for x in inputs]
        out = kwargs.get("out")
        if out is not None:
            kwargs["out"] = tuple(o.view(np.ndarray) if isinstance(o, RowGrad) else o for o in out)
        result = getattr(ufunc, method)(*plain, **kwargs)
        if (
            ufunc is np.add
            and method == "__call__"
            and out is None
            and len(inputs) == 2
            and all(isinstance(x, RowGrad) and x.rows is not None for x in inputs)
        ):
            return row_grad(result, np.union1d(inputs[0].rows, inputs[1].rows))
        return result


def row_grad(dense: np.ndarray, rows: np.ndarray) -> RowGrad:
    """``dense`` (zero outside ``rows``) marked as holding only ``rows``."""
    g = dense.view(RowGrad)
    g.rows = rows
    return g


def plain(g: Any) -> Any:
    """``g`` as a plain ndarray (the same memory) when it is a RowGrad, else ``g``."""
    return g.view(np.ndarray) if type(g) is RowGrad else g


def merged_rows(before: Any, g: Any) -> np.ndarray | None:
    """The rows of a leaf's gradient after adding ``g`` to it: ``before`` is the rows of the
    gradient it had (None: dense; absent gradient: an empty array). None when either part is
    dense."""
    if before is None or type(g) is not RowGrad or g.rows is None:
        return None
    return np.union1d(before, g.rows)


NO_ROWS = np.zeros(0, dtype=np.intp)


def forget_rows(grad: Any) -> None:
    """After ``grad`` (a ``.grad`` Tensor) was zeroed in place: if it held rows, it now holds
    none (as a sparse gradient's ``zero_()`` leaves no entries)."""
    if grad._sparse_rows is not None:
        grad._sparse_rows = NO_ROWS
