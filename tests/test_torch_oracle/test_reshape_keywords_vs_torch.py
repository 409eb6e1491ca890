"""reshape(shape=...), torch.reshape(x, shape=...) and view(size=...) against torch:
values, gradients, and the errors for a shape given twice."""

from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")

import autograd  # noqa: E402

from .oracle import compare, normal  # noqa: E402

FORMS = {
    "reshape_shape": lambda lib, x, s: x.reshape(shape=s),
    "function_shape": lambda lib, x, s: lib.reshape(x, shape=s),
    "view_size": lambda lib, x, s: x.view(size=s),
    "data_view_size": lambda lib, x, s: x * x.data.view(size=s).sum(),
}


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("shape", [(6, 4), (2, -1), (24,), [4, 3, 2]])
def test_keyword_shapes(form, shape):
    f = FORMS[form]
    compare(lambda x: f(autograd, x, shape), lambda x: f(torch, x, shape), [normal((2, 3, 4), 1)])


@pytest.mark.parametrize("lib", [autograd, torch], ids=["ours", "torch"])
def test_shape_given_twice(lib):
    x = lib.zeros(6)
    with pytest.raises(TypeError, match="multiple values for argument 'shape'"):
        x.reshape((2, 3), shape=(2, 3))
