"""Randomness: manual_seed repeats every draw of the library (creation, sampling, nn.init,
dropout, layer initialisation); Generators are independent streams; generator= is honoured."""

import copy
import pickle

import numpy as np
import pytest

import autograd as ag
import nn
import nn.functional as F
from autograd import random as agrandom
from nn.mlp import MLP

DRAWS = {
    "rand": lambda g: ag.rand(5, generator=g),
    "randn": lambda g: ag.randn(2, 3, generator=g),
    "randint": lambda g: ag.randint(0, 100, (5,), generator=g),
    "randperm": lambda g: ag.randperm(10, generator=g),
    "rand_like": lambda g: ag.rand_like(ag.ones(4), generator=g),
    "randn_like": lambda g: ag.randn_like(ag.ones(4), generator=g),
    "randint_like": lambda g: ag.randint_like(ag.ones(4), 50, generator=g),
    "normal_numbers": lambda g: ag.normal(1.0, 2.0, (5,), generator=g),
    "normal_tensors": lambda g: ag.normal(ag.zeros(5), ag.ones(5), generator=g),
    "bernoulli": lambda g: ag.bernoulli(ag.full((20,), 0.5), generator=g),
    "multinomial": lambda g: ag.multinomial(ag.ones(10), 5, generator=g),
    "multinomial_repl": lambda g: ag.multinomial(ag.ones(2, 10), 5, True, generator=g),
    "init_uniform": lambda g: nn.init.uniform_(ag.empty(5), generator=g),
    "init_normal": lambda g: nn.init.normal_(ag.empty(5), generator=g),
    "init_xavier": lambda g: nn.init.xavier_uniform_(ag.empty(3, 4), generator=g),
    "init_kaiming": lambda g: nn.init.kaiming_normal_(ag.empty(3, 4), generator=g),
}


def data(t):
    return np.asarray(t.data).copy()


@pytest.mark.parametrize("name", sorted(DRAWS))
def test_manual_seed_repeats_each_draw(name):
    draw = DRAWS[name]
    ag.manual_seed(123)
    a, b = data(draw(None)), data(draw(None))
    ag.manual_seed(123)
    np.testing.assert_array_equal(data(draw(None)), a)
    np.testing.assert_array_equal(data(draw(None)), b)
    assert not np.array_equal(a, b) or a.size == 0 or name.startswith("bernoulli")


@pytest.mark.parametrize("name", sorted(DRAWS))
def test_generator_argument_is_honoured_and_leaves_the_default_stream_alone(name):
    draw = DRAWS[name]
    ag.manual_seed(7)
    expected_default = data(ag.rand(4))
    ag.manual_seed(7)
    g = ag.Generator().manual_seed(99)
    first = data(draw(g))
    np.testing.assert_array_equal(data(ag.rand(4)), expected_default)  # default untouched
    np.testing.assert_array_equal(data(draw(ag.Generator().manual_seed(99))), first)
    # a plain numpy Generator works too
    assert data(draw(np.random.default_rng(0))).shape == first.shape


def test_generators_are_independent_streams():
    g1, g2 = ag.Generator().manual_seed(5), ag.Generator().manual_seed(5)
    a = data(ag.randn(6, generator=g1))
    _ = ag.randn(100, generator=ag.Generator().manual_seed(5))  # a third stream in between
    ag.manual_seed(5)
    _ = ag.randn(100)  # and the default stream
    np.testing.assert_array_equal(data(ag.randn(6, generator=g2)), a)
    np.testing.assert_array_equal(data(ag.randn(3, generator=g1)), data(ag.randn(3, generator=g2)))
    other = ag.Generator().manual_seed(6)
    assert not np.array_equal(data(ag.randn(6, generator=other)), a)


def test_a_new_generator_has_a_fixed_seed_the_default_a_random_one():
    assert ag.Generator().initial_seed() == agrandom.DEFAULT_SEED
    np.testing.assert_array_equal(
        data(ag.rand(3, generator=ag.Generator())), data(ag.rand(3, generator=ag.Generator()))
    )
    seeds = {ag.seed() for _ in range(3)}
    assert len(seeds) == 3 and ag.initial_seed() in seeds


def test_manual_seed_drives_model_initialisation_and_dropout():
    def build():
        return nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Dropout(0.5), nn.Linear(8, 2))

    x = ag.ones(16, 4)
    ag.manual_seed(0)
    m1 = build()
    y1 = data(m1(x))
    ag.manual_seed(0)
    m2 = build()
    y2 = data(m2(x))
    for (k, a), b in zip(m1.state_dict().items(), m2.state_dict().values()):
        np.testing.assert_array_equal(a, b, err_msg=k)
    np.testing.assert_array_equal(y1, y2)  # same dropout masks too
    assert not np.array_equal(y1, data(m2(x)))  # the next forward draws new masks


def test_manual_seed_drives_functional_dropout_and_value_models():
    ag.manual_seed(3)
    a = data(F.dropout(ag.ones(50), 0.5))
    v1 = [p.data for p in MLP(3, [4, 1]).parameters()]
    ag.manual_seed(3)
    np.testing.assert_array_equal(data(F.dropout(ag.ones(50), 0.5)), a)
    assert [p.data for p in MLP(3, [4, 1]).parameters()] == v1


def test_default_generator_is_one_object_reseeded_in_place():
    g = agrandom.default_generator()
    assert ag.manual_seed(11) is g
    x = g.random(3)
    ag.manual_seed(11)
    np.testing.assert_array_equal(agrandom.default_generator().random(3), x)
    assert isinstance(g, np.random.Generator)  # numpy's methods work on it (permutation...)
    assert g.initial_seed() == 11 == ag.initial_seed()


def test_generator_state_round_trips():
    g = ag.Generator().manual_seed(4)
    ag.randn(3, generator=g)
    state = g.get_state()
    assert state.dtype == np.uint8 and state.ndim == 1
    a = data(ag.randn(5, generator=g))
    g.set_state(state)
    np.testing.assert_array_equal(data(ag.randn(5, generator=g)), a)
    h = ag.Generator().set_state(state)  # set_state returns the generator
    np.testing.assert_array_equal(data(ag.randn(5, generator=h)), a)
    assert h.initial_seed() == 4
    for bad in (
        ag.tensor([1, 2, 3]),
        ag.zeros(4, dtype=ag.uint8),
        np.frombuffer(b'{"a": 1}', np.uint8),
    ):
        with pytest.raises(RuntimeError, match="set_state"):
            g.set_state(bad)
    np.testing.assert_array_equal(data(ag.randn(5, generator=g)), data(ag.randn(5, generator=h)))


def test_rng_state_functions_and_fork_rng():
    ag.manual_seed(2)
    state = ag.get_rng_state()
    a = data(ag.rand(4))
    ag.set_rng_state(state)
    np.testing.assert_array_equal(data(ag.rand(4)), a)
    ag.manual_seed(2)
    with agrandom.fork_rng():
        ag.rand(100)
    np.testing.assert_array_equal(data(ag.rand(4)), a)


def test_copies_of_a_generator_continue_its_stream():
    g = ag.Generator().manual_seed(8)
    ag.rand(2, generator=g)
    for clone in (copy.deepcopy(g), pickle.loads(pickle.dumps(g))):
        assert isinstance(clone, ag.Generator) and clone.initial_seed() == 8
        np.testing.assert_array_equal(clone.random(3), copy.deepcopy(g).random(3))


def test_seed_values():
    g = ag.Generator()
    assert g.manual_seed(-1).initial_seed() == 2**64 - 1  # two's complement, as torch
    assert g.manual_seed(2**64 - 1).initial_seed() == 2**64 - 1
    assert g.manual_seed(np.int64(3)).initial_seed() == 3
    assert g.manual_seed(3.0).initial_seed() == 3
    with pytest.raises(ValueError, match="range"):
        g.manual_seed(2**64)
    with pytest.raises(ValueError, match="range"):
        ag.manual_seed(-(2**63) - 1)
    for bad in ("3", 1.5, None, True):
        with pytest.raises(TypeError, match="seed must be an integer"):
            ag.manual_seed(bad)


def test_bad_generator_arguments_are_refused_naming_the_op():
    with pytest.raises(TypeError, match="randn: generator must be"):
        ag.randn(2, generator=42)
    with pytest.raises(TypeError, match="uniform_: generator must be"):
        nn.init.uniform_(ag.empty(2), generator="seed")
    with pytest.raises(RuntimeError, match="Generator.*cuda.*CPU only"):
        ag.Generator(device="cuda")
    assert ag.Generator(device="cpu").device == ag.device("cpu")


def test_cuda_namespace():
    assert ag.cuda.is_available() is False and ag.cuda.device_count() == 0
    ag.cuda.manual_seed(1)
    ag.cuda.manual_seed_all(1)
    ag.cuda.empty_cache()
    device = ag.device("cuda" if ag.cuda.is_available() else "cpu")
    assert ag.zeros(2, device=device).shape == (2,)


def test_pytorch_seeding_recipe_runs_unchanged():
    def seed_everything(torch, seed):
        torch.manual_seed(seed)
        torch.cuda.manual_seed_all(seed)
        torch.backends.cudnn.deterministic = True
        torch.backends.cudnn.benchmark = False
        torch.use_deterministic_algorithms(True)

    try:
        seed_everything(ag, 5)
        a = ag.randn(3).data.copy()
        assert ag.are_deterministic_algorithms_enabled()
        assert ag.backends.cudnn.deterministic and not ag.backends.cudnn.benchmark
        seed_everything(ag, 5)
        np.testing.assert_array_equal(ag.randn(3).data, a)
    finally:
        ag.use_deterministic_algorithms(False)
        ag.backends.cudnn.deterministic = False
    assert not ag.are_deterministic_algorithms_enabled()
    assert not ag.is_deterministic_algorithms_warn_only_enabled()
    device = (
        "cuda" if ag.cuda.is_available() else "mps" if ag.backends.mps.is_available() else "cpu"
    )
    assert device == "cpu" and not ag.backends.cudnn.is_available()


@pytest.mark.parametrize("dtype", [ag.complex64, ag.complex128])
def test_complex_draws_have_torchs_distribution(dtype):
    """randn: unit variance, each part of variance 1/2; rand: each part uniform on [0, 1)."""
    ag.manual_seed(3)
    z = ag.randn(100_000, dtype=dtype).numpy()
    assert z.dtype == dtype
    for part in (z.real, z.imag):
        assert abs(part.mean()) < 0.01 and abs(part.var() - 0.5) < 0.01
    assert abs(np.corrcoef(z.real, z.imag)[0, 1]) < 0.02  # independent parts
    u = ag.rand(100_000, dtype=dtype).numpy()
    for part in (u.real, u.imag):
        assert part.min() >= 0 and part.max() < 1 and abs(part.mean() - 0.5) < 0.01
    like = ag.randn_like(ag.zeros(2, 3, dtype=dtype), requires_grad=True)
    assert like.dtype == dtype and like.shape == (2, 3) and like.requires_grad
    assert ag.rand_like(ag.zeros(4, dtype=dtype)).dtype == dtype


def test_a_complex_draw_is_pairs_of_real_draws_from_the_same_stream():
    """Each complex entry takes two consecutive draws of the real stream (real part, then
    imaginary), scaled to variance 1/2 for randn; integer dtypes stay refused."""
    ag.manual_seed(5)
    pairs = ag.randn(6, 2, dtype=ag.float64).numpy()
    ag.manual_seed(5)
    z = ag.randn(6, dtype=ag.complex128).numpy()
    np.testing.assert_allclose(z.real, pairs[:, 0] * np.sqrt(0.5), rtol=1e-15)
    np.testing.assert_allclose(z.imag, pairs[:, 1] * np.sqrt(0.5), rtol=1e-15)
    ag.manual_seed(5)
    u_pairs = ag.rand(3, 2, dtype=ag.float32).numpy()
    ag.manual_seed(5)
    u = ag.rand(3, dtype=ag.complex64).numpy()
    np.testing.assert_array_equal(u.real, u_pairs[:, 0])
    np.testing.assert_array_equal(u.imag, u_pairs[:, 1])
    with pytest.raises(TypeError, match="randn.*int64"):
        ag.randn(2, dtype=ag.int64)
