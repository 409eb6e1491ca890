"""nn.save / nn.load (the same functions as autograd.save / autograd.load): state dicts of
models round-trip exactly, to exactly the path given, never through pickle. The format's own
tests are in tests/autograd/test_serialization.py."""

import numpy as np
import pytest

import autograd
import nn
from autograd import Tensor, Value
from nn.mlp import MLP


def make_net():
    return nn.Sequential(nn.Linear(3, 8), nn.Residual(nn.Linear(8, 8)), nn.Linear(8, 2))


def test_round_trip_is_exact_and_keeps_dtypes_and_order(tmp_path):
    state = {
        "0.weight": np.random.default_rng(0).normal(size=(2, 3)).astype(np.float32),
        "block.inner.bias": np.arange(4, dtype=np.float64) / 3,
        "scalar": np.array(np.pi),
        "count": np.array([1, 2], dtype=np.int64),
    }
    nn.save(state, tmp_path / "s.npz")
    loaded = nn.load(tmp_path / "s.npz")
    assert list(loaded) == list(state)
    for k in state:
        assert loaded[k].dtype == state[k].dtype
        np.testing.assert_array_equal(loaded[k], state[k])


def test_model_outputs_are_restored_exactly(tmp_path):
    autograd.manual_seed(0)
    a, b = make_net(), make_net()
    x = autograd.randn(5, 3)
    assert not np.array_equal(a(x).data, b(x).data)
    nn.save(a.state_dict(), tmp_path / "model.npz")
    b.load_state_dict(nn.load(tmp_path / "model.npz"))
    np.testing.assert_array_equal(a(x).data, b(x).data)


def test_value_mlp_round_trip_to_the_exact_path(tmp_path):
    autograd.manual_seed(0)
    a, b = MLP(2, [4, 1]), MLP(2, [4, 1])
    nn.save(a.state_dict(), tmp_path / "mlp")  # no suffix is added
    assert [p.name for p in tmp_path.iterdir()] == ["mlp"]
    b.load_state_dict(nn.load(tmp_path / "mlp"))
    x = [0.3, -1.2]
    assert a(x).data == b(x).data


def test_tensors_values_and_numbers_load_back_as_themselves(tmp_path):
    nn.save({"t": Tensor([1.0, 2.0]), "v": Value(0.5), "f": 2.0, 1: [1.0]}, tmp_path / "x.npz")
    loaded = nn.load(tmp_path / "x.npz")
    assert isinstance(loaded["t"], Tensor) and loaded["t"].dtype == np.float32
    assert isinstance(loaded["v"], Value) and loaded["v"].data == 0.5
    assert loaded["f"] == 2.0 and loaded[1] == [1.0]


def test_object_arrays_are_refused_naming_the_key(tmp_path):
    with pytest.raises(TypeError, match="'w'"):
        nn.save({"w": np.array([{}], dtype=object)}, tmp_path / "bad.npz")
    assert not (tmp_path / "bad.npz").exists()


def test_object_arrays_in_an_archive_are_never_unpickled(tmp_path):
    path = tmp_path / "evil.npz"
    np.savez(path, ok=np.ones(2), payload=np.array([{"x": 1}], dtype=object))
    with pytest.raises(ValueError, match="'payload'.*pickle"):
        nn.load(path)


def test_a_pickle_file_is_refused(tmp_path):
    import pickle

    path = tmp_path / "model.npz"
    path.write_bytes(pickle.dumps({"w": np.ones(2)}))
    with pytest.raises(ValueError, match="pickled data is never loaded"):
        nn.load(path)


def test_a_single_npy_is_refused(tmp_path):
    path = tmp_path / "a.npy"
    np.save(path, np.ones(2))
    with pytest.raises(ValueError, match="single array"):
        nn.load(path)


def test_plain_npz_archives_still_load(tmp_path):
    np.savez(tmp_path / "n.npz", w=np.ones(2), **{"a.b": np.zeros(1)})
    loaded = nn.load(tmp_path / "n.npz")
    assert list(loaded) == ["w", "a.b"]
    np.testing.assert_array_equal(loaded["w"], np.ones(2))
