"""``save`` / ``load``: checkpoints in a format that never runs code when read.

A checkpoint is a zip archive holding

- ``provengrad/manifest.json``: the structure of the saved object as JSON: dicts (their key
  order, ``OrderedDict`` vs ``dict``, and keys of any of the scalar types below), lists vs
  tuples, Python numbers (exactly: floats by ``repr``, ints of any size), strings, bools and
  None, and for each array where it lives;
- ``provengrad/arrays/<i>.npy``: one ``.npy`` file per Tensor or ndarray, written and read
  with ``allow_pickle=False`` (so object arrays are refused both ways).

So keys that ``np.savez`` would confuse (``"a"`` and ``"a.npy"``, keys holding ``/``, int
keys such as an optimizer's parameter indices) come back exactly. Nothing is unpickled:
loading a PyTorch ``.pt`` file, a pickle, a truncated or corrupted file or some other zip
raises ``UnreadableCheckpointError`` naming the file. ``.npz`` archives of plain arrays (from
``np.savez`` or earlier versions of ``nn.save``) load as a dict of name -> ndarray.

A dataclass instance (a training script's config) is stored as its class's name and its
fields; ``load`` rebuilds it only for a class allowed by ``add_safe_globals`` (or, with
``weights_only=False``, defined by a module already imported): no name read from a file is
ever imported (see ``safe_globals``).
"""

from __future__ import annotations

import dataclasses
import errno
import io
import json
import math
import os
import pickle
import secrets
import sys
import zipfile
from collections import OrderedDict
from typing import IO, Any

import numpy as np

from .devices import check_device
from .devices import device as _device
from .safe_globals import (
    add_safe_globals,
    allowed,
    clear_safe_globals,
    get_safe_globals,
    safe_globals,
)
from .tensor import Tensor
from .tensor_style_array import TensorStyleArray
from .value import Value

FORMAT = "provengrad.save"
VERSION = 1
MANIFEST = "provengrad/manifest.json"
_ARRAY = "provengrad/arrays/{}.npy"


class UnreadableCheckpointError(RuntimeError, ValueError):
    """A file that ``load`` cannot read: not a checkpoint of this library, or damaged.

    Both a RuntimeError (what PyTorch raises for a bad checkpoint) and a ValueError.
    """


class UnsafeGlobalError(pickle.UnpicklingError):
    """A checkpoint holds an instance of a class ``load`` may not rebuild (PyTorch's error
    for a global its ``weights_only`` loading does not allow)."""


# --- save ---
class _Encoder:
    """Turns the object into a JSON-able tree plus a list of arrays."""

    def __init__(self) -> None:
        self.arrays: list[np.ndarray] = []
        self._array_ids: dict[int, int] = {}  # id(Tensor or ndarray) -> array index
        self._keep: list[Any] = []  # keeps ids stable while encoding
        self._open: set[int] = set()  # containers being encoded (cycle check)

    def _array(self, owner: Any, arr: np.ndarray, where: str) -> int:
        if id(owner) in self._array_ids:
            return self._array_ids[id(owner)]
        if arr.dtype.hasobject:
            raise TypeError(
                f"save: {where} is an array of Python objects (dtype {arr.dtype}); only arrays "
                "of numbers, bools or strings can be saved without pickle"
            )
        self.arrays.append(arr)
        self._keep.append(owner)
        self._array_ids[id(owner)] = len(self.arrays) - 1
        return len(self.arrays) - 1

    def scalar(self, obj: Any) -> dict | None:
        """The node of a scalar (also usable as a dict key), or None if ``obj`` is not one."""
        if obj is None:
            return {"t": "none"}
        if isinstance(obj, bool):
            return {"t": "bool", "v": obj}
        if isinstance(obj, int):
            return {"t": "int", "v": str(int(obj))}
        if isinstance(obj, float):
            return {"t": "float", "v": repr(float(obj))}
        if isinstance(obj, complex):
            return {"t": "complex", "v": [repr(obj.real), repr(obj.imag)]}
        if isinstance(obj, str):
            return {"t": "str", "v": str(obj)}
        return None

    def encode(self, obj: Any, where: str) -> dict:
        if isinstance(obj, np.generic):  # before the scalars: np.float64 is a float
            return {"t": "npscalar", "a": self._array(obj, np.asarray(obj), where)}
        node = self.scalar(obj)
        if node is not None:
            return node
        if isinstance(obj, Tensor):
            return {
                "t": "tensor",
                "a": self._array(obj, obj._data, where),
                "requires_grad": bool(obj.requires_grad),
            }
        if isinstance(obj, Value):
            return {"t": "value", "v": repr(obj._data), "label": str(obj.label)}
        if isinstance(obj, np.ma.MaskedArray):
            raise TypeError(f"save: {where} is a masked array; save its data and mask separately")
        if isinstance(obj, np.ndarray):
            node = {"t": "ndarray", "a": self._array(obj, np.asarray(obj), where)}
            if isinstance(obj, TensorStyleArray):  # (a state_dict's value: loads as one again)
                node["styled"] = True
            return node
        if isinstance(obj, np.dtype):
            if obj.kind not in "biufc":
                raise TypeError(f"save: {where} is the non-numeric dtype {obj}")
            return {"t": "dtype", "v": obj.str}
        if isinstance(obj, _device):
            return {"t": "device", "v": str(obj)}
        if isinstance(obj, bytes):
            return {"t": "bytes", "a": self._array(obj, np.frombuffer(obj, np.uint8), where)}
        if isinstance(obj, (dict, list, tuple)) or (
            dataclasses.is_dataclass(obj) and not isinstance(obj, type)
        ):
            return self._container(obj, where)
        hint = " (save its .state_dict() instead)" if hasattr(obj, "state_dict") else ""
        raise TypeError(
            f"save: {where} is a {type(obj).__module__}.{type(obj).__qualname__}{hint}; only "
            "Tensors, ndarrays, numbers, strings, bools, None, dataclasses and "
            "dicts/lists/tuples of them can be saved (the format never stores code)"
        )

    def _container(self, obj: Any, where: str) -> dict:
        if id(obj) in self._open:
            raise ValueError(f"save: {where} contains itself (a reference cycle)")
        self._open.add(id(obj))
        try:
            if isinstance(obj, dict):
                items = []
                for k, v in obj.items():
                    key = self._key(k, where)
                    items.append([key, self.encode(v, f"{where}[{k!r}]")])
                kind = "odict" if isinstance(obj, OrderedDict) else "dict"
                return {"t": kind, "v": items}
            if not isinstance(obj, (list, tuple)):  # a dataclass instance
                cls = type(obj)
                fields = [
                    [f.name, self.encode(getattr(obj, f.name), f"{where}.{f.name}")]
                    for f in dataclasses.fields(obj)
                ]
                return {"t": "dataclass", "cls": [cls.__module__, cls.__qualname__], "v": fields}
            kind = "tuple" if isinstance(obj, tuple) else "list"
            return {"t": kind, "v": [self.encode(v, f"{where}[{i}]") for i, v in enumerate(obj)]}
        finally:
            self._open.discard(id(obj))

    def _key(self, key: Any, where: str) -> dict:
        if isinstance(key, (np.bool_, np.number)):
            key = key.item()
        node = self.scalar(key)
        if node is not None:
            return node
        if isinstance(key, tuple):
            return {"t": "tuple", "v": [self._key(k, where) for k in key]}
        raise TypeError(
            f"save: {where} has a key of type {type(key).__name__} ({key!r}); keys must be "
            "strings, numbers, bools, None or tuples of them"
        )


def _write(zf: zipfile.ZipFile, manifest: bytes, arrays: list[np.ndarray]) -> None:
    zf.writestr(MANIFEST, manifest)
    for i, arr in enumerate(arrays):
        with zf.open(_ARRAY.format(i), "w", force_zip64=True) as member:
            np.lib.format.write_array(member, arr, allow_pickle=False)


def save(obj: Any, f: str | os.PathLike | IO[bytes]) -> None:
    """Write ``obj`` to ``f`` (a path, written exactly as given, or a binary file object).

    ``obj``: a Tensor (dtype and ``requires_grad`` kept), ndarray, numpy scalar, Python
    number, bool, None, string, bytes, dtype, device, Value, or dicts / OrderedDicts / lists
    / tuples nesting them, such as a model's or an optimizer's ``state_dict()``. Anything
    else is a TypeError naming where it sits in ``obj``, raised before the file is touched.
    A path is replaced atomically: a failed save never leaves a half-written file.
    """
    encoder = _Encoder()
    try:
        root = encoder.encode(obj, "obj")
    except RecursionError:
        raise ValueError("save: the object is nested too deeply to save") from None
    manifest = json.dumps(
        {"format": FORMAT, "version": VERSION, "arrays": len(encoder.arrays), "root": root},
        ensure_ascii=True,
        allow_nan=False,
    ).encode("ascii")
    if hasattr(f, "write"):
        with zipfile.ZipFile(f, "w", zipfile.ZIP_STORED, allowZip64=True) as zf:  # type: ignore[arg-type]
            _write(zf, manifest, encoder.arrays)
        return
    path = _fspath(f, "save")
    target = os.path.realpath(path)
    if os.path.isdir(target):
        raise IsADirectoryError(errno.EISDIR, "save: the path is a directory", path)
    folder = os.path.dirname(target)
    if not os.path.isdir(folder):
        raise FileNotFoundError(errno.ENOENT, "save: no such directory for the file", path)
    tmp = os.path.join(folder, f".{os.path.basename(target)}.{secrets.token_hex(6)}.tmp")
    try:
        with (
            open(tmp, "xb") as fh,
            zipfile.ZipFile(fh, "w", zipfile.ZIP_STORED, allowZip64=True) as zf,
        ):
            _write(zf, manifest, encoder.arrays)
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


def _fspath(f: Any, op: str) -> str:
    try:
        path = os.fspath(f)
    except TypeError:
        raise TypeError(
            f"{op}: f must be a path (str or os.PathLike) or a binary file object, got "
            f"{type(f).__name__}"
        ) from None
    if isinstance(path, bytes):
        path = os.fsdecode(path)
    return path


# --- load ---
_CHUNK = 1 << 24


def _read_npy(zf: zipfile.ZipFile, member: str) -> np.ndarray:
    """One ``.npy`` member, never unpickled; its header's shape and dtype must account for
    exactly the bytes stored (so a damaged header cannot ask for a huge allocation)."""
    stored = zf.getinfo(member).file_size
    with zf.open(member) as fp:
        version = np.lib.format.read_magic(fp)
        if version == (1, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_1_0(fp)
        elif version == (2, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_2_0(fp)
        else:
            raise ValueError(f"unsupported .npy format version {version}")
        if dtype.hasobject:
            raise ValueError("Object arrays cannot be loaded when allow_pickle=False")
        count = math.prod(shape)
        if count * dtype.itemsize != stored - fp.tell():
            raise ValueError(
                f"{member}: the header describes {count * dtype.itemsize} bytes of data "
                f"({dtype} of shape {shape}), the member holds {stored - fp.tell()}"
            )
        flat = np.empty(count, dtype=dtype)
        view = flat.view(np.uint8).data  # the array's own bytes, filled in place
        pos = 0
        while pos < len(view):
            got = fp.readinto(view[pos : pos + _CHUNK])  # type: ignore[attr-defined]
            if not got:
                raise ValueError(f"{member}: the data ends early")
            pos += got
        if fp.read(1):  # also completes the member's CRC check
            raise ValueError(f"{member}: bytes after the data")
    return flat.reshape(shape, order="F" if fortran else "C")


class _Decoder:
    def __init__(self, zf: zipfile.ZipFile, n_arrays: int, weights_only: bool) -> None:
        self.zf = zf
        self.n_arrays = n_arrays
        self.weights_only = weights_only
        self._arrays: dict[int, np.ndarray] = {}
        self._tensors: dict[int, Tensor] = {}

    def array(self, index: Any) -> np.ndarray:
        if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < self.n_arrays:
            raise ValueError(f"the manifest refers to array {index!r}, which is not in the file")
        if index not in self._arrays:
            self._arrays[index] = _read_npy(self.zf, _ARRAY.format(index))
        return self._arrays[index]

    def decode(self, node: Any) -> Any:
        t = node["t"]
        if t in _SCALARS:
            return _SCALARS[t](node)
        if t == "list":
            return [self.decode(v) for v in _seq(node["v"])]
        if t == "tuple":
            return tuple(self.decode(v) for v in _seq(node["v"]))
        if t in ("dict", "odict"):
            out: dict = OrderedDict() if t == "odict" else {}
            for pair in _seq(node["v"]):
                if not isinstance(pair, list) or len(pair) != 2:
                    raise ValueError("a dict item is not a [key, value] pair")
                key = _key(pair[0])
                if key in out:
                    raise ValueError(f"the key {key!r} appears twice")
                out[key] = self.decode(pair[1])
            return out
        if t == "tensor":
            return self._tensor(node)
        if t == "ndarray":
            arr = self.array(node["a"])
            return arr.view(TensorStyleArray) if node.get("styled") is True else arr
        if t == "npscalar":
            arr = self.array(node["a"])
            if arr.ndim != 0:
                raise ValueError("a numpy scalar is stored as an array with dimensions")
            return arr[()]
        if t == "bytes":
            arr = self.array(node["a"])
            if arr.dtype != np.uint8 or arr.ndim != 1:
                raise ValueError("bytes are stored as something other than a uint8 vector")
            return arr.tobytes()
        if t == "value":
            return Value(float(_str(node["v"])), label=_str(node["label"]))
        if t == "dataclass":
            return self._dataclass(node)
        raise ValueError(f"unknown node type {t!r}")

    def _dataclass(self, node: dict) -> Any:
        module, qualname = (_str(part) for part in _seq(node["cls"]))
        name = f"{module}.{qualname}"
        cls = allowed(name)
        if cls is None and not self.weights_only:
            cls = _imported_class(module, qualname)
        if cls is None:
            hint = (
                f"Please use autograd.serialization.add_safe_globals([{qualname}]) or the "
                f"autograd.serialization.safe_globals([{qualname}]) context manager to allow "
                "this class if you trust it"
            )
            if self.weights_only:
                hint += (
                    ", or load with weights_only=False (which rebuilds dataclasses of modules "
                    "already imported; nothing is imported)"
                )
            raise UnsafeGlobalError(
                f"load: the checkpoint holds an instance of {name}, a class load may not "
                f"rebuild. {hint}"
            )
        if not dataclasses.is_dataclass(cls) or not isinstance(cls, type):
            raise UnsafeGlobalError(f"load: {name} is stored as a dataclass but is not one")
        pairs = [_seq(pair) for pair in _seq(node["v"])]
        stored = [_str(pair[0]) for pair in pairs if len(pair) == 2]
        expected = [f.name for f in dataclasses.fields(cls)]
        if len(stored) != len(pairs) or stored != expected:
            raise ValueError(
                f"{name} was saved with the fields {stored}, but the class now has {expected}"
            )
        obj = cls.__new__(cls)
        for field, value in pairs:
            # (object's own setattr: a frozen dataclass refuses its own)
            object.__setattr__(obj, field, self.decode(value))
        return obj

    def _tensor(self, node: dict) -> Tensor:
        index = node["a"]
        if index in self._tensors:  # the same Tensor saved twice loads as one object
            return self._tensors[index]
        arr = self.array(index)
        if arr.dtype.kind not in "biufc":
            raise ValueError(f"a Tensor is stored with the non-numeric dtype {arr.dtype}")
        requires_grad = node["requires_grad"]
        if not isinstance(requires_grad, bool) or (requires_grad and arr.dtype.kind != "f"):
            raise ValueError(f"invalid requires_grad={requires_grad!r} for dtype {arr.dtype}")
        from .creation import from_numpy

        t = from_numpy(arr)
        if requires_grad:
            t.requires_grad_(True)
        self._tensors[index] = t
        return t


def _imported_class(module: str, qualname: str) -> Any:
    """The class ``module.qualname`` if a module already imported defines it, else None;
    read from the namespaces' dicts, so nothing is imported and no attribute hook runs."""
    owner: Any = sys.modules.get(module)
    for part in qualname.split("."):
        namespace = getattr(owner, "__dict__", None)  # a module's dict, a class's mappingproxy
        if namespace is None:
            return None
        owner = namespace.get(part)
    return owner if isinstance(owner, type) else None


def _seq(v: Any) -> list:
    if not isinstance(v, list):
        raise ValueError(f"expected a list in the manifest, got {type(v).__name__}")
    return v


def _str(v: Any) -> str:
    if not isinstance(v, str):
        raise ValueError(f"expected a string in the manifest, got {type(v).__name__}")
    return v


def _int_node(node: dict) -> int:
    v = _str(node["v"])
    if not v.lstrip("-").isdigit():
        raise ValueError(f"invalid integer {v!r}")
    return int(v)


def _bool_node(node: dict) -> bool:
    if not isinstance(node["v"], bool):
        raise ValueError(f"invalid bool {node['v']!r}")
    return node["v"]


def _complex_node(node: dict) -> complex:
    re, im = _seq(node["v"])
    return complex(float(_str(re)), float(_str(im)))


def _dtype_node(node: dict) -> np.dtype:
    dt = np.dtype(_str(node["v"]))
    if dt.kind not in "biufc":
        raise ValueError(f"invalid dtype {dt}")
    return dt


def _device_node(node: dict) -> _device:
    return _device(_str(node["v"]))


_SCALARS: dict[str, Any] = {
    "none": lambda node: None,
    "bool": _bool_node,
    "int": _int_node,
    "float": lambda node: float(_str(node["v"])),
    "complex": _complex_node,
    "str": lambda node: _str(node["v"]),
    "dtype": _dtype_node,
    "device": _device_node,
}


def _key(node: Any) -> Any:
    if node["t"] == "tuple":
        return tuple(_key(k) for k in _seq(node["v"]))
    if node["t"] not in _SCALARS:
        raise ValueError(f"a dict key of type {node['t']!r}")
    return _SCALARS[node["t"]](node)


def _describe(f: Any) -> str:
    if hasattr(f, "read"):
        name = getattr(f, "name", None)
        return repr(name) if isinstance(name, (str, bytes)) else f"<{type(f).__name__}>"
    return repr(_fspath(f, "load"))


def _open_bytes(f: Any) -> tuple[IO[bytes], bool]:
    """A seekable binary stream for ``f`` and whether this function opened it."""
    if hasattr(f, "read"):
        seekable = getattr(f, "seekable", lambda: False)()
        return (f, False) if seekable else (io.BytesIO(f.read()), False)
    path = _fspath(f, "load")
    if not os.path.exists(path):
        raise FileNotFoundError(errno.ENOENT, "load: no such file", path)
    return open(path, "rb"), True


def load(
    f: str | os.PathLike | IO[bytes],
    map_location: Any = None,
    *,
    weights_only: Any = None,
    mmap: Any = None,
    **_: Any,
) -> Any:
    """Read what ``save`` wrote: Tensors come back as Tensors (dtype and ``requires_grad``
    kept), ndarrays as ndarrays, containers as the same types with the same keys and order.

    ``map_location`` may be None, 'cpu' or a ``device('cpu')`` (a function or dict, as
    PyTorch scripts pass to move GPU checkpoints, is accepted: everything loads on the CPU).
    Dataclass instances are rebuilt for classes allowed by ``add_safe_globals`` (PyTorch's
    ``weights_only=True``, the default) and, with ``weights_only=False``, also for those an
    imported module defines (no name read from the file is imported); any other raises
    ``UnsafeGlobalError``. ``mmap`` is accepted for PyTorch's signature; loading reads into
    memory. A file that is not such a
    checkpoint (another format, a PyTorch ``.pt``, a pickle, truncated or corrupted bytes)
    raises ``UnreadableCheckpointError`` naming the file; a missing path FileNotFoundError.
    """
    if isinstance(map_location, (str, _device)):
        check_device(map_location, "load(map_location=...)")
    name = _describe(f)
    stream, opened = _open_bytes(f)
    try:
        return _load_stream(stream, name, weights_only is not False)
    finally:
        if opened:
            stream.close()


def _fail(name: str, why: str) -> UnreadableCheckpointError:
    return UnreadableCheckpointError(f"load: {name} {why}")


def _load_stream(stream: IO[bytes], name: str, weights_only: bool) -> Any:
    start = stream.tell()
    head = stream.read(8)
    stream.seek(start)
    if not head:
        raise _fail(name, "is empty (0 bytes): not a checkpoint written by autograd.save")
    if head.startswith(b"\x93NUMPY"):
        raise _fail(name, "holds a single array (a .npy file); read it with numpy.load")
    if head[:1] == b"\x80":
        raise _fail(
            name,
            "is a pickle (from pickle.dump or an old torch.save); pickled data is never loaded "
            "because unpickling can run arbitrary code",
        )
    try:
        zf = zipfile.ZipFile(stream)
    except MemoryError:
        raise
    except Exception as e:  # noqa: BLE001  (BadZipFile, EOFError, struct errors, bad seeks...)
        if head.startswith(b"PK"):
            raise _fail(name, f"is a truncated or corrupted zip archive ({e})") from e
        raise _fail(
            name, "is not a checkpoint written by autograd.save (it is not a zip archive)"
        ) from e
    with zf:
        try:
            names = zf.namelist()
        except Exception as e:  # noqa: BLE001  (any failure here is a damaged archive)
            raise _fail(name, f"is a corrupted zip archive ({e})") from e
        if MANIFEST in names:
            return _load_checkpoint(zf, name, weights_only)
        if any(n.endswith("data.pkl") for n in names):
            raise _fail(
                name,
                "is a PyTorch checkpoint (torch.save), which stores pickled data; it is never "
                "loaded. Convert it where PyTorch is installed, e.g. autograd.save({k: "
                "v.numpy() for k, v in torch.load(path).items()}, new_path)",
            )
        if names and all(n.endswith(".npy") for n in names):
            return _load_npz(zf, names, name)
        raise _fail(name, "is a zip archive but not a checkpoint written by autograd.save")


def _load_checkpoint(zf: zipfile.ZipFile, name: str, weights_only: bool) -> Any:
    try:
        manifest = json.loads(zf.read(MANIFEST).decode("utf-8"))
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise ValueError("the manifest is not this library's")
        version = manifest.get("version")
        if not isinstance(version, int) or isinstance(version, bool):
            raise ValueError(f"invalid version {version!r}")
        if version > VERSION:
            raise _fail(
                name,
                f"was written by a newer version of the format ({version}; this library reads "
                f"up to {VERSION})",
            )
        return _Decoder(zf, manifest["arrays"], weights_only).decode(manifest["root"])
    except (UnreadableCheckpointError, UnsafeGlobalError):
        raise
    except RecursionError:
        raise _fail(name, "is nested too deeply to load") from None
    except MemoryError:
        raise
    except Exception as e:  # noqa: BLE001  (every failure here means a damaged file; even an
        # OSError: the file is open, so a bad offset in the zip directory is what makes seeks fail)
        raise _fail(name, f"is corrupted or not a valid checkpoint: {type(e).__name__}: {e}") from e


def _load_npz(zf: zipfile.ZipFile, names: list[str], name: str) -> OrderedDict[str, np.ndarray]:
    out: OrderedDict[str, np.ndarray] = OrderedDict()
    for member in names:
        key = member[: -len(".npy")]
        try:
            arr = _read_npy(zf, member)
        except ValueError as e:
            if "pickle" in str(e).lower() or "Object arrays" in str(e):
                raise _fail(
                    name,
                    f"entry {key!r} is an object array, which needs pickle to load; that is "
                    "never allowed",
                ) from e
            raise _fail(name, f"entry {key!r} is corrupted ({e})") from e
        except MemoryError:
            raise
        except Exception as e:  # noqa: BLE001  (as in _load_checkpoint)
            raise _fail(name, f"entry {key!r} is corrupted ({type(e).__name__}: {e})") from e
        out[key] = arr
    return out


__all__ = [
    "UnreadableCheckpointError",
    "UnsafeGlobalError",
    "add_safe_globals",
    "clear_safe_globals",
    "get_safe_globals",
    "load",
    "safe_globals",
    "save",
]
