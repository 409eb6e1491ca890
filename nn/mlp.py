"""A micrograd-style multilayer perceptron on scalar ``Value`` nodes: Neuron, Layer, MLP.

Each weight is its own Value, so the graph can be drawn and traced neuron by neuron. These
are Modules: ``parameters()`` yields the Values (a Neuron holds ``w``, a list of Values,
which registers as parameters ``w.0``, ``w.1``, ..., and ``b``), and ``state_dict()`` /
``load_state_dict`` / ``nn.save`` work on them (each Value saves as a 0-d float64 array).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from autograd import Value
from autograd.random import default_generator

from .containers import ModuleList
from .module import Module


class Neuron(Module):
    """act(sum_i w_i x_i + b) with weights from U(-1, 1) and bias 0, as micrograd.

    ``activation`` names a Value method (``"relu"``, ``"tanh"``, ...) or is None for a
    linear neuron; ``nonlin=False`` also makes it linear (micrograd's argument).
    """

    def __init__(self, nin: int, nonlin: bool = True, activation: str | None = "relu") -> None:
        super().__init__()
        if activation is not None and not callable(getattr(Value, activation, None)):
            raise ValueError(f"Neuron: unknown activation {activation!r} (a Value method name)")
        self.w = [Value(x) for x in default_generator().uniform(-1.0, 1.0, nin).tolist()]
        self.b = Value(0.0)
        self.activation = activation if nonlin else None

    def forward(self, x: Sequence[Any]) -> Value:
        # self.w and self.b, each read once from the registry (not through Module.__getattr__)
        params = self._parameters
        w, b = params["w"], params["b"]
        if len(x) != len(w):
            raise ValueError(f"Neuron with {len(w)} inputs got {len(x)} inputs")
        act = sum((wi * xi for wi, xi in zip(w, x)), b)
        return act if self.activation is None else getattr(act, self.activation)()

    def extra_repr(self) -> str:
        return f"{self.activation or 'linear'}, nin={len(self.w)}"


class Layer(Module):
    """``nout`` neurons reading the same inputs; returns a list of Values (one if nout == 1,
    as micrograd)."""

    def __init__(self, nin: int, nout: int, **kwargs: Any) -> None:
        super().__init__()
        self.neurons = ModuleList(Neuron(nin, **kwargs) for _ in range(nout))

    def forward(self, x: Sequence[Any]) -> Any:
        out = [n(x) for n in self.neurons]
        return out[0] if len(out) == 1 else out

    def __repr__(self) -> str:
        first = self.neurons[0] if len(self.neurons) else None
        kind = "" if first is None else f"{first.activation or 'linear'}, "
        nin = 0 if first is None else len(first.w)
        return f"Layer({kind}nin={nin}, nout={len(self.neurons)})"


class MLP(Module):
    """Layers of sizes ``nin -> nouts[0] -> ... -> nouts[-1]``; hidden layers use
    ``activation`` (ReLU by default) and the last layer is linear, as in micrograd."""

    def __init__(self, nin: int, nouts: Sequence[int], activation: str = "relu") -> None:
        super().__init__()
        sizes = [nin, *nouts]
        self.layers = ModuleList(
            Layer(sizes[i], sizes[i + 1], nonlin=i != len(nouts) - 1, activation=activation)
            for i in range(len(nouts))
        )

    def forward(self, x: Sequence[Any]) -> Any:
        for layer in self.layers:
            x = layer(x)
            if not isinstance(x, list):
                x = [x]
        return x[0] if len(x) == 1 else x
