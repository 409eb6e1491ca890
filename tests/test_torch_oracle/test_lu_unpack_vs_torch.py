"""``lu_unpack`` and the deprecated ``torch.lu`` / ``torch.lu_solve`` against torch (values and
gradients of the factors are in the op catalogue): the flags' empty results, result types and
dtypes, infos, the deprecation warnings and the errors for bad pivots."""

import warnings

import numpy as np
import pytest

import autograd as ag

torch = pytest.importorskip("torch")


def both(fn):
    out = []
    for lib in (ag, torch):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            result = fn(lib)
        out.append((result, [str(w.message).split("\n")[0] for w in caught]))
    return out


A = np.random.default_rng(0).normal(size=(2, 4, 3))


@pytest.mark.parametrize("unpack_data", [True, False])
@pytest.mark.parametrize("unpack_pivots", [True, False])
def test_lu_unpack_flags_match_torch(unpack_data, unpack_pivots):
    def run(lib):
        packed, pivots = lib.linalg.lu_factor(lib.tensor(A))
        out = lib.lu_unpack(packed, pivots, unpack_data=unpack_data, unpack_pivots=unpack_pivots)
        return [(tuple(x.shape), str(x.dtype).split(".")[-1], x.numpy()) for x in out]

    (ours, _), (theirs, _) = both(run)
    for (s1, d1, v1), (s2, d2, v2) in zip(ours, theirs, strict=True):
        assert s1 == s2 and d1 == d2
        np.testing.assert_allclose(v1, v2, rtol=1e-12, atol=1e-14)


def test_legacy_lu_results_and_warnings_match_torch():
    def run(lib):
        a = lib.tensor(A[:, :3])
        two = lib.lu(a)
        three = a.lu(get_infos=True)
        x = lib.lu_solve(lib.tensor(A[:, :3, :2]), *two)
        return (
            [type(two).__name__, len(two), type(three).__name__, len(three)],
            [
                str(three[1].dtype).split(".")[-1],
                str(three[2].dtype).split(".")[-1],
                tuple(three[2].shape),
            ],
            [two[0].numpy(), x.numpy()],
        )

    (ours, our_warnings), (theirs, their_warnings) = both(run)
    assert ours[0] == theirs[0] and ours[1] == theirs[1]
    for mine, want in zip(ours[2], theirs[2], strict=True):
        np.testing.assert_allclose(mine, want, rtol=1e-10, atol=1e-12)
    # torch says "lu_solveand" (a missing space) where we say "lu_solve and"; torch warns
    # once per process (TORCH_WARN_ONCE: none if an earlier test called it), we at every call
    normalise = {w.replace("lu_solveand", "lu_solve and") for w in their_warnings}
    assert normalise <= set(our_warnings) and len(our_warnings) == 3
    assert our_warnings[1:] == [
        "torch.lu is deprecated in favor of torch.linalg.lu_factor / torch.linalg.lu_factor_ex "
        "and will be removed in a future PyTorch release.",
        "torch.lu_solve is deprecated in favor of torch.linalg.lu_solve and will be removed in "
        "a future PyTorch release.",
    ]


@pytest.mark.parametrize(
    "make",
    [
        lambda lib, packed, pivots: lib.lu_unpack(packed, pivots.long()),
        lambda lib, packed, pivots: lib.lu_unpack(packed[0, 0], pivots),
    ],
)
def test_bad_arguments_raise_runtime_error_as_torch(make):
    for lib in (ag, torch):
        packed, pivots = lib.linalg.lu_factor(lib.tensor(A))
        with pytest.raises(RuntimeError):
            make(lib, packed, pivots)
