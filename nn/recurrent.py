"""Recurrent layers: ``RNN``, ``LSTM``, ``GRU`` and their one-step cells ``RNNCell``,
``LSTMCell``, ``GRUCell``, with PyTorch's arguments, gate order, parameter names
(``weight_ih_l0``, ``bias_hh_l1_reverse``; ``weight_ih``, ``bias_hh`` for cells),
initialisation and results."""

from __future__ import annotations

import math
from typing import Any, Generic, TypeVar

import numpy as np

import autograd
from autograd import Tensor
from autograd.devices import check_device
from autograd.dtypes import get_default_dtype

from . import init
from .functional.conv import as_tensor
from .functional.dropout import dropout as _dropout
from .functional.recurrent import GATES, RecurrentLayer, cell
from .module import Module
from .parameter import Parameter
from .utils.rnn import PackedSequence, _packed_index, _sorted_lengths, _unpack_sorted

H = TypeVar("H")  # the final state: h_n, or (h_n, c_n) for an LSTM


def _check_sizes(layer: str, **sizes: Any) -> None:
    for arg, v in sizes.items():
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < 1:
            raise ValueError(f"{layer}: {arg} must be a positive integer, got {v!r}")


def _float_dtype(dtype: Any, layer: str) -> np.dtype:
    dt = np.dtype(get_default_dtype() if dtype is None else dtype)
    if dt.kind != "f":
        raise TypeError(f"{layer}: dtype must be a floating dtype, got {dt}")
    return dt


def _init_uniform(module: Module, hidden_size: int) -> None:
    """Every parameter from U(-1/sqrt(hidden_size), 1/sqrt(hidden_size)), as PyTorch."""
    bound = 1.0 / math.sqrt(hidden_size)
    for p in module.parameters():
        init.uniform_(p, -bound, bound)


class RNNBase(Module, Generic[H]):
    """What RNN, LSTM and GRU share: parameters per layer and direction, and the loop over
    layers and directions around the fused one-layer op."""

    def __init__(
        self,
        mode: str,
        input_size: int,
        hidden_size: int,
        num_layers: int = 1,
        bias: bool = True,
        batch_first: bool = False,
        dropout: float = 0.0,
        bidirectional: bool = False,
        proj_size: int = 0,
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        name = type(self).__name__
        _check_sizes(name, input_size=input_size, hidden_size=hidden_size, num_layers=num_layers)
        if isinstance(dropout, bool) or not 0 <= dropout <= 1:
            raise ValueError(f"{name}: dropout must be a probability in [0, 1], got {dropout!r}")
        if isinstance(proj_size, bool) or not isinstance(proj_size, int) or proj_size < 0:
            raise ValueError(
                f"{name}: proj_size should be a positive integer or zero to disable "
                f"projections, got {proj_size!r}"
            )
        if proj_size and mode != "LSTM":
            raise ValueError(f"{name}: proj_size argument is only supported for LSTM")
        if proj_size >= hidden_size:
            raise ValueError(
                f"{name}: proj_size has to be smaller than hidden_size, got proj_size="
                f"{proj_size} and hidden_size={hidden_size}"
            )
        self.mode = mode
        self.input_size = int(input_size)
        self.hidden_size = int(hidden_size)
        self.num_layers = int(num_layers)
        self.bias = bias
        self.batch_first = batch_first
        self.dropout = float(dropout)
        self.bidirectional = bidirectional
        self.proj_size = proj_size
        dt = _float_dtype(dtype, name)
        gate = GATES[mode] * self.hidden_size
        directions = 2 if bidirectional else 1
        out_size = self.proj_size or self.hidden_size  # what each direction outputs
        self._flat_weights_names: list[str] = []
        for layer in range(self.num_layers):
            layer_in = self.input_size if layer == 0 else out_size * directions
            for d in range(directions):
                sfx = f"_l{layer}" + ("_reverse" if d else "")
                shapes: list[tuple[str, tuple[int, ...]]] = [
                    ("weight_ih", (gate, layer_in)),
                    ("weight_hh", (gate, out_size)),
                ]
                if bias:
                    shapes += [("bias_ih", (gate,)), ("bias_hh", (gate,))]
                if self.proj_size:
                    shapes += [("weight_hr", (self.proj_size, self.hidden_size))]
                for base, shape in shapes:
                    setattr(self, base + sfx, Parameter(np.empty(shape, dtype=dt)))
                    self._flat_weights_names.append(base + sfx)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Every weight and bias from U(-1/sqrt(hidden_size), 1/sqrt(hidden_size))."""
        _init_uniform(self, self.hidden_size)

    def flatten_parameters(self) -> None:
        """PyTorch's call to pack the weights into one buffer for cuDNN; on the CPU, as here,
        it does nothing (scripts call it in forward)."""

    @property
    def _flat_weights(self) -> list[Parameter]:
        """The parameters in ``_flat_weights_names`` order."""
        return [getattr(self, n) for n in self._flat_weights_names]

    @property
    def all_weights(self) -> list[list[Parameter]]:
        """The parameters of each layer and direction, in order (weight_ih, weight_hh, then
        the biases)."""
        per = len(self._flat_weights_names) // (self.num_layers * (2 if self.bidirectional else 1))
        flat = self._flat_weights
        return [flat[i : i + per] for i in range(0, len(flat), per)]

    def extra_repr(self) -> str:
        s = f"{self.input_size}, {self.hidden_size}"
        if self.proj_size != 0:
            s += f", proj_size={self.proj_size}"
        if self.num_layers != 1:
            s += f", num_layers={self.num_layers}"
        if self.bias is not True:
            s += f", bias={self.bias}"
        if self.batch_first is not False:
            s += f", batch_first={self.batch_first}"
        if self.dropout != 0:
            s += f", dropout={self.dropout}"
        if self.bidirectional is not False:
            s += f", bidirectional={self.bidirectional}"
        return s

    # --- forward ---
    def _check_state(self, h: Any, expected: tuple, what: str, unbatched: bool) -> Tensor:
        h = as_tensor(h, type(self).__name__, what)
        want = expected[:1] + expected[2:] if unbatched else expected
        if tuple(h.shape) != want:
            raise RuntimeError(
                f"{type(self).__name__}: expected {what} of shape {want} (num_layers * "
                f"num_directions, {'' if unbatched else 'batch, '}hidden_size), got "
                f"{tuple(h.shape)}"
            )
        return h.unsqueeze(1) if unbatched else h

    def _run(self, input: Any, hx: Any) -> tuple:
        name = type(self).__name__
        packed = input if isinstance(input, PackedSequence) else None
        lengths = None
        if packed is not None:  # padded here, in sorted order; the padded steps are skipped
            lengths = _sorted_lengths(packed)
            x = _unpack_sorted(packed, 0.0, int(lengths[0]) if lengths.size else 0)
            if x.ndim != 3:
                raise ValueError(
                    f"{name}: a PackedSequence's data must be 2-d (steps, H_in), got "
                    f"{tuple(packed.data.shape)}"
                )
            if packed.sorted_indices is not None and hx is not None:
                order = np.asarray(packed.sorted_indices._data)
                if isinstance(hx, (tuple, list)):
                    hx = tuple(as_tensor(h, name, "hx")[:, order] for h in hx)
                else:
                    hx = as_tensor(hx, name, "hx")[:, order]
        else:
            x = as_tensor(input, name)
        if x.ndim not in (2, 3):
            raise ValueError(
                f"{name}: expected a 2-d (unbatched: L, H_in) or 3-d input "
                f"({'N, L' if self.batch_first else 'L, N'}, H_in), got input of shape "
                f"{tuple(x.shape)}"
            )
        if x.shape[-1] != self.input_size:
            raise RuntimeError(
                f"{name}(input_size={self.input_size}): the input's last dimension must be "
                f"{self.input_size}, got input of shape {tuple(x.shape)}"
            )
        unbatched = x.ndim == 2
        if unbatched:
            x = x.unsqueeze(1)
        elif self.batch_first and packed is None:
            x = x.swapaxes(0, 1)
        batch = x.shape[1]
        directions = 2 if self.bidirectional else 1
        state_shape = (self.num_layers * directions, batch, self.hidden_size)
        h_shape = (self.num_layers * directions, batch, self.proj_size or self.hidden_size)
        is_lstm = self.mode == "LSTM"
        h0 = c0 = None
        if hx is not None:
            if is_lstm:
                if not isinstance(hx, (tuple, list)) or len(hx) != 2:
                    raise ValueError(f"{name}: hx must be a pair (h_0, c_0)")
                h0 = self._check_state(hx[0], h_shape, "h_0", unbatched)
                c0 = self._check_state(hx[1], state_shape, "c_0", unbatched)
            else:
                h0 = self._check_state(hx, state_shape, "h_0", unbatched)
        zeros = np.zeros(state_shape[1:], dtype=x.dtype)
        h_zeros = np.zeros(h_shape[1:], dtype=x.dtype)
        h_n, c_n = [], []
        layer_in = x
        for layer in range(self.num_layers):
            outs = []
            for d in range(directions):
                k = layer * directions + d
                sfx = f"_l{layer}" + ("_reverse" if d else "")
                w_ih, w_hh = getattr(self, "weight_ih" + sfx), getattr(self, "weight_hh" + sfx)
                b_ih = getattr(self, "bias_ih" + sfx) if self.bias else None
                b_hh = getattr(self, "bias_hh" + sfx) if self.bias else None
                h_init = h_zeros if h0 is None else h0[k]
                c_init = (zeros if c0 is None else c0[k]) if is_lstm else None
                weights = (w_ih, w_hh, b_ih, b_hh)
                if self.proj_size:
                    w_hr = getattr(self, "weight_hr" + sfx)
                    out, h_last, c_last = _projected_lstm_direction(
                        layer_in, h_init, c_init, weights, w_hr, lengths, bool(d)
                    )
                    h_n.append(h_last)
                    c_n.append(c_last)
                    outs.append(out)
                    continue
                if lengths is not None:
                    out, h_last, c_last = _packed_direction(
                        self.mode, layer_in, h_init, c_init, weights, lengths, bool(d)
                    )
                    h_n.append(h_last)
                    if is_lstm:
                        c_n.append(c_last)
                    outs.append(out)
                    continue
                seq = layer_in if d == 0 else layer_in[::-1]
                res = RecurrentLayer.apply(seq, h_init, c_init, *weights, self.mode)
                t_len = seq.shape[0]
                out = res[:t_len] if is_lstm else res
                h_n.append(out[t_len - 1])
                if is_lstm:
                    c_n.append(res[t_len])
                outs.append(out if d == 0 else out[::-1])
            layer_in = outs[0] if directions == 1 else autograd.cat(outs, axis=2)
            if self.dropout and self.training and layer < self.num_layers - 1:
                layer_in = _dropout(layer_in, self.dropout, True)
        output: Any = layer_in
        h_stack = autograd.stack(h_n)
        c_stack = autograd.stack(c_n) if is_lstm else None
        if packed is not None:
            assert lengths is not None
            output = packed._replace(data=output[_packed_index(lengths)])
            if packed.unsorted_indices is not None:
                unsort = np.asarray(packed.unsorted_indices._data)
                h_stack = h_stack[:, unsort]
                c_stack = c_stack[:, unsort] if c_stack is not None else None
        elif unbatched:
            output = output.squeeze(1)
            h_stack = h_stack.squeeze(1)
            c_stack = c_stack.squeeze(1) if c_stack is not None else None
        elif self.batch_first:
            output = output.swapaxes(0, 1)
        if c_stack is None:
            return output, h_stack
        return output, (h_stack, c_stack)

    def forward(self, input: Any, hx: Any = None) -> tuple[Tensor, H]:
        return self._run(input, hx)


def _packed_direction(
    mode: str, x: Tensor, h0: Any, c0: Any, weights: tuple, lengths: np.ndarray, reverse: bool
) -> tuple[Tensor, Any, Any]:
    """One direction of one layer over padded sequences x (T, B, I) of the given lengths
    (decreasing): the outputs (T, B, H), zero past each sequence's end, and the states after
    each sequence's last true step. The time axis is cut where the number of running
    sequences changes and the fused layer runs on each piece for the sequences still running,
    carrying their states; the reverse direction runs on each sequence reversed in place."""
    t_len, batch = x.shape[0], x.shape[1]
    cols = np.arange(batch)
    flip = None
    if reverse:  # step t of sequence b <-> step len_b - 1 - t; padded steps stay put
        t = np.arange(t_len)[:, None]
        flip = np.where(t < lengths[None, :], lengths[None, :] - 1 - t, t)
        x = x[flip, cols]
    is_lstm = mode == "LSTM"
    h, c = h0, c0
    outs: list[Any] = []
    h_ends: list[Any] = []
    c_ends: list[Any] = []
    start = 0
    for end in sorted(set(lengths.tolist())):
        running = int(np.sum(lengths >= end))
        done = int(np.sum(lengths > end))  # rows done..running end here
        res = RecurrentLayer.apply(
            x[start:end, :running], h[:running], None if c is None else c[:running],
            *weights, mode,
        )  # fmt: skip
        steps = end - start
        out = res[:steps] if is_lstm else res
        h = out[steps - 1]
        if is_lstm:
            c = res[steps]
            c_ends.append(c[done:running])
        h_ends.append(h[done:running])
        if running < batch:
            pad = np.zeros((steps, batch - running, out.shape[2]), dtype=out.dtype)
            out = autograd.cat([out, Tensor(pad)], 1)
        outs.append(out)
        start = end
    out = autograd.cat(outs, 0)
    if flip is not None:
        out = out[flip, cols]
    h_last = autograd.cat(h_ends[::-1], 0)
    c_last = autograd.cat(c_ends[::-1], 0) if is_lstm else None
    return out, h_last, c_last


def _projected_lstm_direction(
    x: Tensor,
    h0: Any,
    c0: Any,
    weights: tuple,
    w_hr: Tensor,
    lengths: np.ndarray | None,
    reverse: bool,
) -> tuple[Tensor, Tensor, Tensor]:
    """One direction of one layer of an LSTM with projections (``proj_size``), step by step
    in Tensor ops: h_t = W_hr (o_t * tanh(c_t)). x (T, B, I), sequences of the given lengths
    (decreasing; None: all T); the outputs (T, B, P), zero past each sequence's end, and the
    states after each sequence's last true step. The reverse direction runs on each sequence
    reversed in place."""
    w_ih, w_hh, b_ih, b_hh = weights
    t_len, batch = x.shape[0], x.shape[1]
    lens = np.full(batch, t_len) if lengths is None else lengths
    cols = np.arange(batch)
    flip = None
    if reverse:  # step t of sequence b <-> step len_b - 1 - t; padded steps stay put
        t = np.arange(t_len)[:, None]
        flip = np.where(t < lens[None, :], lens[None, :] - 1 - t, t)
        x = x[flip, cols]
    hsz = w_hh.shape[0] // 4
    xw = x @ w_ih.T
    if b_ih is not None:
        xw = xw + b_ih + b_hh
    h = h0 if isinstance(h0, Tensor) else Tensor(h0)
    c = c0 if isinstance(c0, Tensor) else Tensor(c0)
    outs = []
    for step in range(t_len):
        a = xw[step] + h @ w_hh.T
        i, f = a[:, :hsz].sigmoid(), a[:, hsz : 2 * hsz].sigmoid()
        g, o = a[:, 2 * hsz : 3 * hsz].tanh(), a[:, 3 * hsz :].sigmoid()
        c_new = f * c + i * g
        h_new = (o * c_new.tanh()) @ w_hr.T
        run = (step < lens).astype(x.dtype)[:, None]  # 1 where still running, else 0
        running, stopped = Tensor(run), Tensor(1 - run)
        h = running * h_new + stopped * h  # the states of finished sequences stay as they were
        c = running * c_new + stopped * c
        outs.append(h_new * running)
    out = autograd.stack(outs)
    if flip is not None:
        out = out[flip, cols]
    return out, h, c


class RNN(RNNBase[Tensor]):
    """Elman RNN: h_t = tanh(x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh) (or ReLU with
    ``nonlinearity='relu'``). ``forward(input, h_0=None)`` returns (output, h_n): output
    (L, N, D * hidden_size) (batch first with ``batch_first``), h_n (D * num_layers, N,
    hidden_size)."""

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        num_layers: int = 1,
        nonlinearity: str = "tanh",
        bias: bool = True,
        batch_first: bool = False,
        dropout: float = 0.0,
        bidirectional: bool = False,
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"RNN: unknown nonlinearity {nonlinearity!r} (use 'tanh' or 'relu')")
        super().__init__(
            "RNN_TANH" if nonlinearity == "tanh" else "RNN_RELU",
            input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional,
            0, device, dtype,
        )  # fmt: skip
        self.nonlinearity = nonlinearity


class LSTM(RNNBase[tuple[Tensor, Tensor]]):
    """Long short-term memory, PyTorch's gates in order i, f, g, o:
    i, f, o = sigmoid(.), g = tanh(.), c_t = f c_{t-1} + i g, h_t = o tanh(c_t).
    ``forward(input, (h_0, c_0)=None)`` returns (output, (h_n, c_n))."""

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        num_layers: int = 1,
        bias: bool = True,
        batch_first: bool = False,
        dropout: float = 0.0,
        bidirectional: bool = False,
        proj_size: int = 0,
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__(
            "LSTM", input_size, hidden_size, num_layers, bias, batch_first, dropout,
            bidirectional, proj_size, device, dtype,
        )  # fmt: skip


class GRU(RNNBase[Tensor]):
    """Gated recurrent unit, PyTorch's gates in order r, z, n:
    r, z = sigmoid(.), n = tanh(W_in x + b_in + r (W_hn h + b_hn)), h_t = (1 - z) n + z h_{t-1}.
    ``forward(input, h_0=None)`` returns (output, h_n)."""

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        num_layers: int = 1,
        bias: bool = True,
        batch_first: bool = False,
        dropout: float = 0.0,
        bidirectional: bool = False,
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__(
            "GRU", input_size, hidden_size, num_layers, bias, batch_first, dropout,
            bidirectional, 0, device, dtype,
        )  # fmt: skip


# --- cells: one time step ------------------------------------------------------------------


class RNNCellBase(Module):
    """What RNNCell, LSTMCell and GRUCell share: ``weight_ih`` (num_chunks * hidden_size,
    input_size), ``weight_hh`` (num_chunks * hidden_size, hidden_size), ``bias_ih`` and
    ``bias_hh`` (num_chunks * hidden_size,) (None without bias), all from
    U(-1/sqrt(hidden_size), 1/sqrt(hidden_size)); input (N, input_size) or unbatched
    (input_size,), states of shape (N, hidden_size) or (hidden_size,)."""

    _mode = "RNN_TANH"  # the step run by ``cell`` (functional/recurrent.py)

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        bias: bool,
        num_chunks: int,
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        name = type(self).__name__
        _check_sizes(name, input_size=input_size, hidden_size=hidden_size)
        check_device(device, name)
        self.input_size = int(input_size)
        self.hidden_size = int(hidden_size)
        self.bias = bias
        dt = _float_dtype(dtype, name)
        gate = num_chunks * self.hidden_size
        self.weight_ih = Parameter(np.empty((gate, self.input_size), dtype=dt))
        self.weight_hh = Parameter(np.empty((gate, self.hidden_size), dtype=dt))
        if bias:
            self.bias_ih = Parameter(np.empty((gate,), dtype=dt))
            self.bias_hh = Parameter(np.empty((gate,), dtype=dt))
        else:
            self.register_parameter("bias_ih", None)
            self.register_parameter("bias_hh", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Every weight and bias from U(-1/sqrt(hidden_size), 1/sqrt(hidden_size))."""
        _init_uniform(self, self.hidden_size)

    def extra_repr(self) -> str:
        s = f"{self.input_size}, {self.hidden_size}"
        if self.bias is not True:
            s += f", bias={self.bias}"
        nonlinearity = getattr(self, "nonlinearity", "tanh")
        if nonlinearity != "tanh":
            s += f", nonlinearity={nonlinearity}"
        return s

    def _input(self, input: Any) -> tuple[Tensor, bool]:
        """The input as (N, input_size), and whether it came unbatched."""
        name = type(self).__name__
        x = as_tensor(input, name)
        if x.ndim not in (1, 2):
            raise ValueError(f"{name}: Expected input to be 1D or 2D, got {x.ndim}D instead")
        if x.shape[-1] != self.input_size:
            raise RuntimeError(
                f"{name}(input_size={self.input_size}): the input's last dimension must be "
                f"{self.input_size}, got input of shape {tuple(x.shape)}"
            )
        return (x.unsqueeze(0), True) if x.ndim == 1 else (x, False)

    def _state(self, h: Any, what: str, x: Tensor, unbatched: bool) -> Any:
        """A state as (N, hidden_size): zeros when None, checked against the input's batch."""
        if h is None:
            return np.zeros((x.shape[0], self.hidden_size), dtype=x.dtype)
        name = type(self).__name__
        h = as_tensor(h, name, what)
        want = (self.hidden_size,) if unbatched else (x.shape[0], self.hidden_size)
        if tuple(h.shape) != want:
            raise RuntimeError(
                f"{name}(hidden_size={self.hidden_size}): expected {what} of shape {want} for "
                f"input of shape {tuple(x.shape[1:] if unbatched else x.shape)}, got "
                f"{tuple(h.shape)}"
            )
        return h.unsqueeze(0) if unbatched else h

    def _forward_hidden(self, input: Any, hx: Any) -> Tensor:
        """The forward of a cell whose state is h alone (RNNCell, GRUCell)."""
        x, unbatched = self._input(input)
        h = self._step(x, self._state(hx, "hx", x, unbatched), None)
        return h.squeeze(0) if unbatched else h

    def _step(self, x: Tensor, h: Any, c: Any) -> Any:
        return cell(self._mode, x, h, c, self.weight_ih, self.weight_hh,
                    self.bias_ih, self.bias_hh)  # fmt: skip


class RNNCell(RNNCellBase):
    """One step of an Elman RNN: h' = tanh(x W_ih^T + b_ih + h W_hh^T + b_hh) (ReLU with
    ``nonlinearity='relu'``). ``forward(input, hx=None)`` returns h' (N, hidden_size), or
    (hidden_size,) for unbatched input; hx defaults to zeros."""

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        bias: bool = True,
        nonlinearity: str = "tanh",
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(
                f"RNNCell: unknown nonlinearity {nonlinearity!r} (use 'tanh' or 'relu')"
            )
        super().__init__(input_size, hidden_size, bias, 1, device, dtype)
        self.nonlinearity = nonlinearity
        self._mode = "RNN_TANH" if nonlinearity == "tanh" else "RNN_RELU"

    def forward(self, input: Any, hx: Any = None) -> Tensor:
        return self._forward_hidden(input, hx)


class _GatedCell(RNNCellBase):
    """LSTMCell and GRUCell: PyTorch's arguments, with ``_chunks`` gates."""

    _chunks: int

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        bias: bool = True,
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__(input_size, hidden_size, bias, self._chunks, device, dtype)


class LSTMCell(_GatedCell):
    """One step of an LSTM, PyTorch's gates in order i, f, g, o:
    i, f, o = sigmoid(.), g = tanh(.), c' = f c + i g, h' = o tanh(c').
    ``forward(input, hx=None)`` takes hx = (h, c) (zeros when None) and returns (h', c'),
    each (N, hidden_size), or (hidden_size,) for unbatched input."""

    _mode = "LSTM"
    _chunks = 4

    def forward(self, input: Any, hx: Any = None) -> tuple[Tensor, Tensor]:
        x, unbatched = self._input(input)
        if hx is None:
            h = c = self._state(None, "hx[0]", x, unbatched)
        elif not isinstance(hx, (tuple, list)) or len(hx) != 2:
            raise ValueError("LSTMCell: hx must be a pair (h, c) of tensors")
        else:
            h = self._state(hx[0], "hx[0]", x, unbatched)
            c = self._state(hx[1], "hx[1]", x, unbatched)
        h, c = self._step(x, h, c)
        return (h.squeeze(0), c.squeeze(0)) if unbatched else (h, c)


class GRUCell(_GatedCell):
    """One step of a GRU, PyTorch's gates in order r, z, n:
    r, z = sigmoid(.), n = tanh(W_in x + b_in + r (W_hn h + b_hn)), h' = (1 - z) n + z h.
    ``forward(input, hx=None)`` returns h' (N, hidden_size), or (hidden_size,) for unbatched
    input; hx defaults to zeros."""

    _mode = "GRU"
    _chunks = 3

    def forward(self, input: Any, hx: Any = None) -> Tensor:
        return self._forward_hidden(input, hx)
