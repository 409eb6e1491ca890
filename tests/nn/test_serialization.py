"""nn.save / nn.load: exact .npz round trips, never pickle."""

import zipfile

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


def test_value_mlp_round_trip(tmp_path):
    autograd.manual_seed(0)
    a, b = MLP(2, [4, 1]), MLP(2, [4, 1])
    nn.save(a.state_dict(), tmp_path / "mlp")  # suffix added
    b.load_state_dict(nn.load(tmp_path / "mlp.npz"))
    x = [0.3, -1.2]
    assert a(x).data == b(x).data


def test_tensors_and_values_in_the_dict_save_as_their_data(tmp_path):
    nn.save({"t": Tensor([1.0, 2.0]), "v": Value(0.5), "f": 2.0}, tmp_path / "x.npz")
    loaded = nn.load(tmp_path / "x.npz")
    assert loaded["t"].dtype == np.float32 and loaded["v"] == 0.5 and loaded["f"] == 2.0


@pytest.mark.parametrize("bad", [{"a": 1}, "text", np.array([{}], dtype=object), [1.0, 2.0]])
def test_non_array_values_are_refused_naming_the_key(tmp_path, bad):
    with pytest.raises(TypeError, match="'w'"):
        nn.save({"w": bad}, tmp_path / "bad.npz")
    assert not (tmp_path / "bad.npz").exists()


def test_non_mapping_and_non_string_keys_are_refused(tmp_path):
    with pytest.raises(TypeError, match="dict"):
        nn.save([np.ones(2)], tmp_path / "a.npz")
    with pytest.raises(TypeError, match="keys must be strings"):
        nn.save({1: np.ones(2)}, tmp_path / "a.npz")


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


def test_archive_is_a_plain_npz_numpy_can_read(tmp_path):
    nn.save({"file": np.ones(2), "a.b": np.zeros(1)}, tmp_path / "n.npz")
    with zipfile.ZipFile(tmp_path / "n.npz") as zf:
        assert zf.namelist() == ["file.npy", "a.b.npy"]
    with np.load(tmp_path / "n.npz", allow_pickle=False) as z:
        np.testing.assert_array_equal(z["file"], np.ones(2))
