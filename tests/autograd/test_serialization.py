"""autograd.save / autograd.load: exact round trips of tensors, arrays and nested containers
(state dicts of models and optimizers), written to exactly the path given; nothing unpickled;
every unreadable file refused with an error naming it."""

import io
import json
import os
import pickle
import zipfile
from collections import OrderedDict

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd as ag
import nn
import optim
from autograd import Tensor, Value
from autograd.serialization import MANIFEST, UnreadableCheckpointError


def same(a, b, where="obj"):
    """Deep equality that also checks exact types, dtypes, key order and float bits."""
    assert type(a) is type(b), (where, type(a), type(b))
    if isinstance(a, Tensor):
        assert a.dtype == b.dtype and a.shape == b.shape and a.requires_grad == b.requires_grad
        np.testing.assert_array_equal(a.data, b.data, err_msg=where)
    elif isinstance(a, np.ndarray):
        assert a.dtype == b.dtype and a.shape == b.shape, where
        np.testing.assert_array_equal(a, b, err_msg=where)
    elif isinstance(a, np.generic):
        assert a.dtype == b.dtype and (a == b or (a != a and b != b)), where
    elif isinstance(a, dict):
        assert list(a.keys()) == list(b.keys()), where
        for k in a:
            assert type(k) is type(next(kb for kb in b if kb == k)), (where, k)
            same(a[k], b[k], f"{where}[{k!r}]")
    elif isinstance(a, (list, tuple)):
        assert len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b)):
            same(x, y, f"{where}[{i}]")
    elif isinstance(a, float):
        assert repr(a) == repr(b), where  # nan, inf, -0.0 exactly
    elif isinstance(a, Value):
        assert (a.data, a.label) == (b.data, b.label)
    else:
        assert a == b, where


def round_trip(obj, tmp_path, name="x.ckpt"):
    path = tmp_path / name
    ag.save(obj, path)
    return ag.load(path)


def test_nested_containers_round_trip_exactly(tmp_path):
    obj = OrderedDict(
        [
            ("a", np.arange(3.0)),
            ("a.npy", np.ones(2, np.int8)),  # np.savez would confuse these two
            ("x/y", "slash in a key"),
            (0, "int key"),
            (1.5, "float key"),
            ((1, "t"), "tuple key"),
            (None, "None key"),
            (True, "bool key"),
            ("nested", {"list": [1, 2.5, None, True, "s"], "tuple": (1, (2, [3]))}),
            ("floats", [float("nan"), float("inf"), -float("inf"), -0.0, 1e-310, 0.1]),
            ("big", 2**100),
            ("neg", -7),
            ("complex", 1.5 - 2j),
            ("unicode", "héllo ✓ \udc80"),
            ("empty", [{}, [], (), ""]),
            ("bytes", b"\x00\xffraw"),
            ("np_scalars", [np.float32(1.5), np.int64(-3), np.bool_(True), np.float64(np.nan)]),
            ("dtype", ag.float16),
            ("device", ag.device("cpu")),
            ("value", Value(2.5, label="w")),
        ]
    )
    same(obj, round_trip(obj, tmp_path))


@pytest.mark.parametrize(
    "dtype",
    [np.float16, np.float32, np.float64, np.int8, np.int64, np.uint8, np.bool_, np.complex64],
)
def test_tensors_and_arrays_keep_dtype_shape_and_grad_flag(tmp_path, dtype):
    arr = (np.arange(12).reshape(3, 4) % 3).astype(dtype)
    obj = {
        "t": Tensor(arr),
        "a": arr,
        "col": arr[:, 1],  # not contiguous
        "T": arr.T,
        "scalar": Tensor(arr[0, 0]),
        "empty": np.zeros((0, 3), dtype),
    }
    if np.dtype(dtype).kind == "f":
        obj["param"] = Tensor(arr, requires_grad=True)
    back = round_trip(obj, tmp_path)
    same(
        {k: v for k, v in obj.items() if k not in ("col", "T")},
        {k: back[k] for k in obj if k not in ("col", "T")},
    )
    np.testing.assert_array_equal(back["col"], arr[:, 1])
    np.testing.assert_array_equal(back["T"], arr.T)
    assert back["T"].shape == (4, 3)


def test_a_tensor_saved_twice_loads_as_one_object(tmp_path):
    w = Tensor(np.ones(3), requires_grad=True)
    back = round_trip({"a": w, "b": [w]}, tmp_path)
    assert back["a"] is back["b"][0]
    assert back["a"].is_leaf if hasattr(back["a"], "is_leaf") else True


def test_model_state_dict_round_trips_and_loads_into_a_model(tmp_path):
    ag.manual_seed(0)
    a = nn.Sequential(nn.Linear(3, 8), nn.ReLU(), nn.Linear(8, 2))
    b = nn.Sequential(nn.Linear(3, 8), nn.ReLU(), nn.Linear(8, 2))
    x = ag.randn(5, 3)
    assert not np.array_equal(a(x).data, b(x).data)
    state = a.state_dict()
    loaded = round_trip(state, tmp_path, "model.pt")
    same(state, loaded)
    b.load_state_dict(loaded)
    np.testing.assert_array_equal(a(x).data, b(x).data)
    # a dict of Tensors (as torch users save) loads too
    b.load_state_dict(round_trip({k: Tensor(v) for k, v in state.items()}, tmp_path))


@pytest.mark.parametrize(
    "make",
    [
        lambda ps: optim.Adam(ps, lr=0.05, amsgrad=True),
        lambda ps: optim.SGD(ps, lr=0.05, momentum=0.9, nesterov=True),
        lambda ps: optim.LBFGS(ps, lr=0.5, history_size=3),
        lambda ps: optim.RMSprop(ps, lr=0.01, centered=True),
    ],
)
def test_optimizer_state_round_trips_and_training_continues_identically(tmp_path, make):
    ag.manual_seed(1)
    x, y = ag.randn(16, 3), ag.randn(16, 1)

    def setup():
        ag.manual_seed(2)
        model = nn.Linear(3, 1)
        return model, make(list(model.parameters()))

    def train(model, opt, steps):
        for _ in range(steps):

            def closure():
                opt.zero_grad()
                loss = ((model(x) - y) ** 2).mean()
                loss.backward()
                return loss

            opt.step(closure)

    model, opt = setup()
    train(model, opt, 3)
    ckpt = {"model": model.state_dict(), "optim": opt.state_dict(), "epoch": 3}
    back = round_trip(ckpt, tmp_path)
    same(ckpt, back)
    assert all(type(k) is int for k in back["optim"]["state"])  # parameter indices
    assert isinstance(back["optim"]["param_groups"][0]["params"], list)
    train(model, opt, 3)

    model2, opt2 = setup()
    model2.load_state_dict(back["model"])
    opt2.load_state_dict(back["optim"])
    train(model2, opt2, 3)
    for p, q in zip(model.parameters(), model2.parameters()):
        np.testing.assert_array_equal(p.data, q.data)


def test_written_to_exactly_the_path_given_and_replaced_atomically(tmp_path):
    for name in ("model", "model.pt", "model.npz", "weird name.bin"):
        ag.save({"w": np.ones(2)}, tmp_path / name)
        assert (tmp_path / name).is_file()
    assert sorted(os.listdir(tmp_path)) == sorted(
        ["model", "model.pt", "model.npz", "weird name.bin"]
    )
    ag.save([1], str(tmp_path / "model"))  # str paths, overwriting
    assert ag.load(str(tmp_path / "model")) == [1]
    # a failing save leaves the old file as it was, and no temporary files
    with pytest.raises(TypeError):
        ag.save({"ok": 1, "bad": object()}, tmp_path / "model")
    assert ag.load(tmp_path / "model") == [1]
    assert sorted(os.listdir(tmp_path)) == sorted(
        ["model", "model.pt", "model.npz", "weird name.bin"]
    )


def test_bad_destinations(tmp_path):
    with pytest.raises(FileNotFoundError, match="nodir"):
        ag.save(1, tmp_path / "nodir" / "x")
    with pytest.raises(IsADirectoryError, match=str(tmp_path)):
        ag.save(1, tmp_path)
    with pytest.raises(TypeError, match="path"):
        ag.save(1, 3.5)
    assert not os.listdir(tmp_path)


def test_file_objects(tmp_path):
    buf = io.BytesIO()
    ag.save({"t": Tensor([1.0, 2.0])}, buf)
    buf.seek(0)
    assert ag.load(buf)["t"].data.tolist() == [1.0, 2.0]
    with open(tmp_path / "f.bin", "wb") as fh:
        ag.save((1, 2), fh)
    with open(tmp_path / "f.bin", "rb") as fh:
        assert ag.load(fh) == (1, 2)


@pytest.mark.parametrize(
    "obj, where",
    [
        ({"w": object()}, r"obj\['w'\]"),
        ([1, lambda: 0], r"obj\[1\]"),
        ({"s": {1, 2}}, r"obj\['s'\].*set"),
        ({"a": np.array([{}], dtype=object)}, r"obj\['a'\].*objects"),
        ({frozenset(): 1}, "key"),
        ({"m": np.ma.masked_array([1, 2])}, "masked"),
    ],
)
def test_unsupported_objects_are_refused_before_writing(tmp_path, obj, where):
    with pytest.raises(TypeError, match=where):
        ag.save(obj, tmp_path / "bad")
    assert not os.listdir(tmp_path)


def test_saving_a_whole_model_points_to_its_state_dict(tmp_path):
    model = nn.Linear(2, 1)
    with pytest.raises(
        TypeError, match=r"obj\['m'\] is a nn\.linear\.Linear \(save its \.state_dict\(\) instead\)"
    ):
        ag.save({"m": model}, tmp_path / "m")
    opt = optim.SGD(model.parameters(), lr=0.1)
    with pytest.raises(TypeError, match="state_dict"):
        ag.save(opt, tmp_path / "o")


def test_reference_cycles_are_refused(tmp_path):
    loop = [1]
    loop.append(loop)
    with pytest.raises(ValueError, match="cycle"):
        ag.save(loop, tmp_path / "loop")
    shared = [1]
    assert round_trip([shared, shared], tmp_path) == [[1], [1]]  # sharing is not a cycle


def test_nn_save_and_load_are_the_same_functions():
    assert nn.save is ag.save and nn.load is ag.load


def test_loading_never_unpickles(tmp_path, monkeypatch):
    ag.save({"w": Tensor(np.ones(2)), "l": [1, (2,)]}, tmp_path / "c")

    def refuse(*args, **kwargs):
        raise AssertionError("pickle was used")

    monkeypatch.setattr(pickle, "loads", refuse)
    monkeypatch.setattr(pickle, "load", refuse)
    monkeypatch.setattr(pickle, "Unpickler", refuse)
    assert ag.load(tmp_path / "c")["l"] == [1, (2,)]


def test_the_file_is_a_zip_of_npy_arrays_and_a_json_manifest(tmp_path):
    ag.save({"w": np.arange(3)}, tmp_path / "c")
    with zipfile.ZipFile(tmp_path / "c") as zf:
        names = zf.namelist()
        manifest = json.loads(zf.read(MANIFEST))
        with zf.open("provengrad/arrays/0.npy") as member:
            np.testing.assert_array_equal(
                np.lib.format.read_array(member, allow_pickle=False), np.arange(3)
            )
    assert names == [MANIFEST, "provengrad/arrays/0.npy"]
    assert manifest["format"] == "provengrad.save" and manifest["version"] == 1


# --- unreadable files ---------------------------------------------------------------------


def good_file(tmp_path):
    path = tmp_path / "good.ckpt"
    ag.save({"w": np.arange(100.0), "n": 3}, path)
    return path


def assert_refused(path, match=None):
    with pytest.raises(UnreadableCheckpointError, match=match) as info:
        ag.load(path)
    assert str(path) in str(info.value)
    assert isinstance(info.value, ValueError) and isinstance(info.value, RuntimeError)


def test_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="missing.pt"):
        ag.load(tmp_path / "missing.pt")


def test_empty_file(tmp_path):
    (tmp_path / "e").write_bytes(b"")
    assert_refused(tmp_path / "e", "empty")


@pytest.mark.parametrize("keep", [0.1, 0.5, 0.9, 0.99])
def test_truncated_files(tmp_path, keep):
    raw = good_file(tmp_path).read_bytes()
    path = tmp_path / "cut"
    path.write_bytes(raw[: max(1, int(len(raw) * keep))])
    assert_refused(path)


def test_every_corrupted_byte_is_caught_or_harmless(tmp_path):
    """Flipping any single byte either raises the clear error or (in zip padding that no
    reader looks at) loads the original content: never a silently different result."""
    path = good_file(tmp_path)
    raw = bytearray(path.read_bytes())
    original = ag.load(path)
    bad = tmp_path / "bad"
    caught = 0
    for i in range(0, len(raw), 7):
        flipped = bytearray(raw)
        flipped[i] ^= 0x5A
        bad.write_bytes(bytes(flipped))
        try:
            got = ag.load(bad)
        except UnreadableCheckpointError as e:
            assert str(bad) in str(e)
            caught += 1
            continue
        same(original, got)
    assert caught > 0.8 * len(range(0, len(raw), 7))


def test_random_bytes_and_other_formats(tmp_path):
    rng = np.random.default_rng(0)
    cases = {
        "random.bin": (rng.bytes(1000), "not a zip"),
        "text.txt": (b"hello world\n", "not a zip"),
        "pickle.pkl": (pickle.dumps({"w": [1.0]}), "pickle"),
        "zeros": (bytes(64), "not a zip"),
    }
    for name, (content, match) in cases.items():
        (tmp_path / name).write_bytes(content)
        assert_refused(tmp_path / name, match)
    np.save(tmp_path / "single.npy", np.ones(2))
    assert_refused(tmp_path / "single.npy", "single array")


def test_a_random_zip_and_a_torch_like_zip(tmp_path):
    with zipfile.ZipFile(tmp_path / "other.zip", "w") as zf:
        zf.writestr("readme.txt", "hi")
    assert_refused(tmp_path / "other.zip", "not a checkpoint written by autograd.save")
    # the layout torch.save writes: pickled data.pkl plus raw storages
    with zipfile.ZipFile(tmp_path / "model.pt", "w") as zf:
        zf.writestr("archive/data.pkl", pickle.dumps({"w": 1}))
        zf.writestr("archive/byteorder", "little")
        zf.writestr("archive/data/0", bytes(16))
        zf.writestr("archive/version", "3\n")
    assert_refused(tmp_path / "model.pt", "PyTorch checkpoint")


def crafted(tmp_path, manifest, arrays=()):
    path = tmp_path / "crafted"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(MANIFEST, json.dumps(manifest) if not isinstance(manifest, bytes) else manifest)
        for i, arr in enumerate(arrays):
            with zf.open(f"provengrad/arrays/{i}.npy", "w") as m:
                np.lib.format.write_array(m, arr, allow_pickle=True)
    return path


@pytest.mark.parametrize(
    "manifest, arrays, match",
    [
        (b"{not json", (), "corrupted"),
        ({"format": "other", "version": 1, "arrays": 0, "root": {"t": "none"}}, (), "not this"),
        (
            {"format": "provengrad.save", "version": 99, "arrays": 0, "root": {"t": "none"}},
            (),
            "newer",
        ),
        (
            {"format": "provengrad.save", "version": 1, "arrays": 0, "root": {"t": "exec"}},
            (),
            "unknown node",
        ),
        (
            {
                "format": "provengrad.save",
                "version": 1,
                "arrays": 0,
                "root": {"t": "ndarray", "a": 0},
            },
            (),
            "array 0",
        ),
        (
            {
                "format": "provengrad.save",
                "version": 1,
                "arrays": 1,
                "root": {"t": "ndarray", "a": 0},
            },
            (),
            "KeyError",
        ),
        (
            {
                "format": "provengrad.save",
                "version": 1,
                "arrays": 1,
                "root": {"t": "ndarray", "a": 0},
            },
            (np.array([{"x": 1}], dtype=object),),
            "pickle",
        ),
        (
            {
                "format": "provengrad.save",
                "version": 1,
                "arrays": 1,
                "root": {"t": "tensor", "a": 0, "requires_grad": True},
            },
            (np.arange(3),),
            "requires_grad",
        ),
        (
            {
                "format": "provengrad.save",
                "version": 1,
                "arrays": 0,
                "root": {"t": "int", "v": "1e9"},
            },
            (),
            "integer",
        ),
        (
            {
                "format": "provengrad.save",
                "version": 1,
                "arrays": 0,
                "root": {"t": "dict", "v": [[{"t": "list", "v": []}, {"t": "none"}]]},
            },
            (),
            "key",
        ),
    ],
)
def test_crafted_manifests_are_refused(tmp_path, manifest, arrays, match):
    assert_refused(crafted(tmp_path, manifest, arrays), match)


def test_deeply_nested_input(tmp_path):
    deep = []
    for _ in range(5000):
        deep = [deep]
    with pytest.raises(ValueError, match="nested too deeply"):
        ag.save(deep, tmp_path / "deep")
    node = {"t": "none"}
    text = '{"t": "list", "v": [' * 5000 + json.dumps(node) + "]}" * 5000
    manifest = '{"format": "provengrad.save", "version": 1, "arrays": 0, "root": ' + text + "}"
    assert_refused(crafted(tmp_path, manifest.encode()), "deep")


def test_npz_archives_of_arrays_load_as_a_dict(tmp_path):
    np.savez(tmp_path / "arrays.npz", w=np.ones(2), b=np.zeros(3, np.int32))
    back = ag.load(tmp_path / "arrays.npz")
    assert list(back) == ["w", "b"] and back["b"].dtype == np.int32
    np.savez(tmp_path / "evil.npz", ok=np.ones(2), payload=np.array([{"x": 1}], dtype=object))
    assert_refused(tmp_path / "evil.npz", "'payload'.*pickle")


def test_map_location_and_torch_keywords(tmp_path):
    path = good_file(tmp_path)
    for loc in (None, "cpu", ag.device("cpu"), lambda storage, loc: storage, {"cuda:0": "cpu"}):
        assert ag.load(path, map_location=loc)["n"] == 3
    assert ag.load(path, weights_only=True)["n"] == 3
    with pytest.raises(RuntimeError, match="CPU only"):
        ag.load(path, map_location="cuda")


# --- property: any structure of supported leaves round-trips --------------------------------

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=5),
)
arrays = st.builds(
    lambda shape, dtype, seed: (np.random.default_rng(seed).normal(size=shape) * 10).astype(dtype),
    st.lists(st.integers(0, 3), max_size=3).map(tuple),
    st.sampled_from([np.float32, np.float64, np.int16, np.uint8, np.bool_]),
    st.integers(0, 1000),
)
leaves = st.one_of(scalars, arrays, arrays.map(Tensor))
keys = st.one_of(
    st.text(max_size=6), st.integers(-3, 3), st.tuples(st.integers(0, 2), st.text(max_size=2))
)
trees = st.recursive(
    leaves,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.lists(children, max_size=4).map(tuple),
        st.dictionaries(keys, children, max_size=4),
        st.dictionaries(keys, children, max_size=4).map(OrderedDict),
    ),
    max_leaves=12,
)


@settings(max_examples=40, deadline=None)
@given(trees)
def test_any_tree_round_trips_exactly(tree):
    buf = io.BytesIO()
    ag.save(tree, buf)
    buf.seek(0)
    same(tree, ag.load(buf))


def test_a_header_claiming_a_huge_array_is_refused_without_allocating_it(tmp_path):
    path = tmp_path / "huge"
    manifest = {
        "format": "provengrad.save",
        "version": 1,
        "arrays": 1,
        "root": {"t": "ndarray", "a": 0},
    }
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(MANIFEST, json.dumps(manifest))
        with zf.open("provengrad/arrays/0.npy", "w") as m:
            header = {"descr": "<f8", "fortran_order": False, "shape": (10**12,)}
            np.lib.format.write_array_header_1_0(m, header)
            m.write(bytes(8))
    assert_refused(path, "header describes 8000000000000 bytes")


def test_fortran_ordered_and_zero_size_arrays(tmp_path):
    f = np.asfortranarray(np.arange(6.0).reshape(2, 3))
    back = round_trip({"f": f, "z": np.zeros((2, 0)), "s": np.float32(2.0)}, tmp_path)
    np.testing.assert_array_equal(back["f"], f)
    assert back["z"].shape == (2, 0) and back["s"] == np.float32(2.0)


def test_a_state_dicts_arrays_load_as_they_were_saved(tmp_path):
    """A state_dict's values (ndarrays answering torch's methods) load as such again, so
    RWKV_in_150_lines' w[k].float() on loaded weights works; plain ndarrays stay plain."""
    path = tmp_path / "sd.pt"
    sd = nn.Linear(3, 2).state_dict()
    ag.save({"sd": sd, "plain": np.arange(6.0).reshape(2, 3)}, path)
    loaded = ag.load(path)
    assert type(loaded["plain"]) is np.ndarray
    w = loaded["sd"]["weight"]
    assert type(w) is type(sd["weight"]) and w.float().dtype == np.float32
    np.testing.assert_array_equal(w.float().t(), sd["weight"].T)
