"""autograd.save / autograd.load of dataclass instances (a training script's config in its
checkpoint): stored as the class's name and fields, rebuilt only for classes allowed by
add_safe_globals or, with weights_only=False, defined by a module already imported; never by
importing a name read from the file."""

import builtins
import dataclasses
import pickle
import sys

import numpy as np
import pytest

import autograd as ag
from autograd import Tensor
from autograd.serialization import (
    UnsafeGlobalError,
    add_safe_globals,
    clear_safe_globals,
    get_safe_globals,
    safe_globals,
)

from .test_serialization import same


@dataclasses.dataclass
class Config:
    block_size: int = 8
    name: str = "gpt"
    dropout: float = 0.1
    scale: Tensor | None = None


@dataclasses.dataclass(frozen=True)
class Frozen:
    width: int
    inner: Config


@dataclasses.dataclass(slots=True)
class Slotted:
    sizes: tuple
    derived: int = dataclasses.field(init=False, default=0)

    def __post_init__(self) -> None:
        self.derived = sum(self.sizes)


@pytest.fixture(autouse=True)
def no_allowed_classes_left_behind():
    before = get_safe_globals()
    clear_safe_globals()
    yield
    clear_safe_globals()
    add_safe_globals(before)


def saved(obj, tmp_path):
    path = tmp_path / "ckpt.pt"
    ag.save(obj, path)
    return path


def test_allowed_dataclasses_round_trip_with_their_fields(tmp_path):
    scale = Tensor(np.arange(3, dtype=np.float32), requires_grad=True)
    slotted = Slotted((2, 3))
    slotted.derived = 7  # a field's value as it is, not as __post_init__ would recompute it
    obj = {"config": Config(16, "x", 0.0, scale), "frozen": Frozen(4, Config()), "s": slotted}
    path = saved(obj, tmp_path)
    add_safe_globals([Config, Frozen, Slotted])
    back = ag.load(path)
    assert back["frozen"] == obj["frozen"] and back["s"] == obj["s"]  # every field
    assert type(back["frozen"].inner) is Config and back["s"].derived == 7
    config = back["config"]
    assert type(config) is Config and (config.block_size, config.name) == (16, "x")
    assert repr(config.dropout) == "0.0"
    same(config.scale, scale)


def test_a_class_not_allowed_is_refused_as_torchs_weights_only_load(tmp_path):
    path = saved({"config": Config()}, tmp_path)
    for weights_only in (None, True):
        with pytest.raises(UnsafeGlobalError, match=r"Config.*add_safe_globals\(\[Config\]\)"):
            ag.load(path, weights_only=weights_only)
    assert issubclass(UnsafeGlobalError, pickle.UnpicklingError)  # torch's error type


def test_weights_only_false_rebuilds_classes_of_imported_modules_only(tmp_path):
    assert ag.load(saved(Config(3), tmp_path), weights_only=False) == Config(3)

    @dataclasses.dataclass
    class Local:  # its qualname holds <locals>: no module defines it
        x: int = 1

    path = saved([Local()], tmp_path)
    with pytest.raises(UnsafeGlobalError, match="Local"):
        ag.load(path, weights_only=False)
    add_safe_globals([Local])
    assert ag.load(path) == [Local()]


def test_a_class_name_from_the_file_is_never_imported(tmp_path, monkeypatch):
    path = saved(Config(), tmp_path)
    monkeypatch.delitem(sys.modules, __name__)  # as if this module had never been imported
    imported = []
    real_import = builtins.__import__

    def spy(name, *args, **kwargs):
        imported.append(name)
        return real_import(name, *args, **kwargs)

    builtins.__import__ = spy
    try:
        ag.load(path, weights_only=False)
        outcome = "rebuilt"
    except UnsafeGlobalError:
        outcome = "refused"
    finally:
        builtins.__import__ = real_import
    assert outcome == "refused" and __name__ not in imported
    assert __name__ not in sys.modules


def test_safe_globals_allows_for_the_block_only(tmp_path):
    path = saved(Config(), tmp_path)
    add_safe_globals([Frozen])
    with safe_globals([Config]):
        assert ag.load(path) == Config()
        assert set(get_safe_globals()) == {Config, Frozen}
    assert get_safe_globals() == [Frozen]
    with pytest.raises(UnsafeGlobalError):
        ag.load(path)


def test_a_class_allowed_under_the_name_it_was_saved_with(tmp_path):
    path = saved(Config(5), tmp_path)

    @dataclasses.dataclass
    class Renamed:
        block_size: int = 0
        name: str = ""
        dropout: float = 0.0
        scale: Tensor | None = None

    add_safe_globals([(Renamed, f"{__name__}.Config")])
    assert get_safe_globals() == [(Renamed, f"{__name__}.Config")]
    assert ag.load(path) == Renamed(5, "gpt", 0.1)


def test_fields_changed_since_saving_are_named(tmp_path):
    path = saved(Config(), tmp_path)

    @dataclasses.dataclass
    class Fewer:
        block_size: int = 0

    add_safe_globals([(Fewer, f"{__name__}.Config")])
    with pytest.raises(ag.serialization.UnreadableCheckpointError, match=r"fields.*'name'"):
        ag.load(path)


def test_a_dataclass_holding_its_container_is_a_cycle(tmp_path):
    box: list = []
    box.append(Config(scale=None, name="n", block_size=1, dropout=0.0))
    object.__setattr__(box[0], "name", box)
    with pytest.raises(ValueError, match="cycle"):
        ag.save(box, tmp_path / "loop")


@pytest.mark.parametrize("bad", [Config, "Config", [1], [(Config, 3)]])
def test_add_safe_globals_refuses_what_is_not_a_class_or_pair(bad):
    with pytest.raises(TypeError, match="safe globals"):
        add_safe_globals(bad)


def test_torch_names_the_same_functions():
    torch = pytest.importorskip("torch")
    for name in ("add_safe_globals", "get_safe_globals", "clear_safe_globals", "safe_globals"):
        assert hasattr(torch.serialization, name) and hasattr(ag.serialization, name), name
