"""Saving and loading state dicts as ``.npz`` archives, never with pickle."""

from __future__ import annotations

import os
import zipfile
from collections import OrderedDict
from collections.abc import Mapping
from typing import Any

import numpy as np

from autograd import Tensor, Value


def _as_plain_array(key: str, value: Any) -> np.ndarray:
    if isinstance(value, Tensor):
        value = value.data
    elif isinstance(value, Value):
        value = np.array(value.data, dtype=np.float64)
    if not isinstance(value, (np.ndarray, np.generic, int, float, bool)):
        raise TypeError(
            f"save: state_dict[{key!r}] is a {type(value).__name__}; only arrays (and Tensors, "
            "Values, numbers) can be saved"
        )
    arr = np.asarray(value)
    if arr.dtype.kind not in "biufc":
        raise TypeError(
            f"save: state_dict[{key!r}] has dtype {arr.dtype}; only numeric arrays can be saved"
        )
    return arr


def save(state_dict: Mapping[str, Any], path: str | os.PathLike) -> None:
    """Write ``state_dict`` (name -> array) to ``path`` as an uncompressed ``.npz``.

    Names are kept exactly (dots included). Tensors and Values are saved as their data; any
    other non-numeric value is a TypeError, since the archive must load without pickle.
    ``.npz`` is appended to a path without that suffix, as numpy does.
    """
    if not isinstance(state_dict, Mapping):
        raise TypeError(f"save: expected a dict of name -> array, got {type(state_dict).__name__}")
    arrays = {}
    for key, value in state_dict.items():
        if not isinstance(key, str):
            raise TypeError(f"save: state_dict keys must be strings, got {key!r}")
        arrays[key] = _as_plain_array(key, value)
    path = os.fspath(path)
    if not path.endswith(".npz"):
        path += ".npz"
    # written member by member (not np.savez(**arrays)) so that any key, even "file", is kept
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED, allowZip64=True) as zf:
        for key, arr in arrays.items():
            with zf.open(key + ".npy", "w", force_zip64=True) as member:
                np.lib.format.write_array(member, arr, allow_pickle=False)


def load(path: str | os.PathLike) -> OrderedDict[str, np.ndarray]:
    """Read a ``.npz`` written by ``save``: name -> ndarray, in the saved order.

    Pickle is refused: an archive holding object arrays raises ValueError.
    """
    try:
        archive = np.load(path, allow_pickle=False)
    except ValueError as e:
        raise ValueError(
            f"load: {os.fspath(path)!r} is not an .npz archive of arrays (pickled data is never "
            "loaded)"
        ) from e
    if not isinstance(archive, np.lib.npyio.NpzFile):
        raise ValueError(f"load: {os.fspath(path)!r} holds a single array, not an .npz archive")
    with archive:
        out = OrderedDict()
        for key in archive.files:
            try:
                out[key] = archive[key]
            except ValueError as e:
                raise ValueError(
                    f"load: entry {key!r} of {os.fspath(path)!r} needs pickle to load "
                    "(an object array), which is never allowed"
                ) from e
        return out
