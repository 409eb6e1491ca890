"""The configuration space of every nn layer, activation and loss, for the configuration
fuzzer (tests/test_torch_oracle/test_config_fuzz.py): one drawing function per class gives a
``Case``, the constructor arguments (the same for ours and torch's class of that name), the
inputs of each forward step and, where the call is not ``module(*inputs)``, the call itself,
written once for both libraries against a namespace ``L`` (``L.nn``, ``L.F``, ``L.rnn``).

Draws cover valid and invalid configurations alike: where torch refuses a configuration
or an input, ours must refuse it too. Differences that are torch's (or a contract choice of
API.md) are listed in ``KNOWN`` with the reason, as tests/op_catalogue.py does for ops.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from hypothesis import assume
from hypothesis import strategies as st


class Draw:
    """Hypothesis draws with short names."""

    def __init__(self, data: Any) -> None:
        self.data = data

    def int(self, lo: int, hi: int) -> int:
        return self.data.draw(st.integers(lo, hi))

    def choice(self, xs: Any) -> Any:
        return self.data.draw(st.sampled_from(list(xs)))

    def flag(self) -> bool:
        return self.data.draw(st.booleans())

    def real(self, lo: float, hi: float) -> float:
        return self.data.draw(st.floats(lo, hi, allow_nan=False, width=32))

    def ints(self, n: int, lo: int, hi: int) -> tuple[int, ...]:
        return tuple(self.int(lo, hi) for _ in range(n))

    def int_or_tuple(self, n: int, lo: int, hi: int) -> Any:
        """An int (the same along every axis) or an n-tuple."""
        return self.int(lo, hi) if self.flag() else self.ints(n, lo, hi)


@dataclass(frozen=True)
class G:
    """A float input the gradient is taken with respect to."""

    a: np.ndarray


Maker = Callable[[np.random.Generator], tuple]


@dataclass
class Case:
    """One drawn configuration of one class."""

    name: str
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)
    make: Maker = lambda rng: ()  # noqa: E731  (inputs of one forward step)
    call: Callable[..., Any] | None = None  # (L, module, *inputs) -> output
    steps: int = 1
    training: bool = True
    randomize: bool = True  # torch's constant-initialised parameters drawn at random
    tol_scale: float = 1.0  # deep stacks: float32 rounding grows along the chain


@dataclass(frozen=True)
class Known:
    """A documented difference: skip comparing ``what`` ('value', 'grad', 'raises', 'repr',
    'state') for class ``name`` when ``when(case)`` holds and the mismatch's message contains
    ``match``."""

    name: str
    what: str
    when: Callable[[Case], bool]
    reason: str
    match: str = ""


def normal(shape: tuple) -> Maker:
    return lambda rng: (G(rng.normal(size=shape)),)


def _spatial(d: Draw, n: int, lo: int = 1, hi: int = 7) -> tuple[int, ...]:
    return d.ints(n, lo, hi)


def _batch(d: Draw, c: int, spatial: tuple, unbatched_ok: bool = True) -> tuple:
    if unbatched_ok and d.int(0, 4) == 0:
        return (c, *spatial)
    return (d.int(1, 3), c, *spatial)


# --- convolution ------------------------------------------------------------------------
def conv(d: Draw, name: str) -> Case:
    n = int(name[-2])
    transposed = name.startswith("ConvTranspose")
    groups = d.choice([1, 1, 2, 3])
    cin, cout = groups * d.int(1, 2), groups * d.int(1, 2)
    if d.int(0, 15) == 0:
        cout += 1  # not divisible by groups: both refuse
    kw: dict[str, Any] = {
        "stride": d.int_or_tuple(n, 1, 3),
        "dilation": d.int_or_tuple(n, 1, 2),
        "groups": groups,
        "bias": d.flag(),
    }
    if transposed:
        kw["padding"] = d.int_or_tuple(n, 0, 2)
        kw["output_padding"] = d.int_or_tuple(n, 0, 2)
        if d.int(0, 9) == 0:
            kw["padding_mode"] = "reflect"  # torch refuses for transposed
    else:
        kw["padding"] = d.choice(["same", "valid", d.int_or_tuple(n, 0, 2)])
        kw["padding_mode"] = d.choice(["zeros", "zeros", "reflect", "replicate", "circular"])
    k = d.int_or_tuple(n, 1, 3)
    shape = _batch(d, cin, _spatial(d, n))
    return Case(name, (cin, cout, k), kw, normal(shape))


# --- pooling ----------------------------------------------------------------------------
def _per_axis(v: Any, n: int) -> tuple:
    return tuple(v) if isinstance(v, tuple) else (v,) * n


def _has_empty_window(size: tuple, k: Any, s: Any, p: Any, dil: Any, ceil: bool) -> bool:
    """Whether some output window of a max pool covers padding only (torch's output size)."""
    n = len(size)
    for length, k_, s_, p_, d_ in zip(size, *(_per_axis(v, n) for v in (k, s, p, dil))):
        span = length + 2 * p_ - d_ * (k_ - 1) - 1
        if p_ > k_ // 2:
            continue  # both refuse
        out = (span + (s_ - 1 if ceil else 0)) // s_ + 1
        if ceil and (out - 1) * s_ >= length + p_:
            out -= 1
        # (out < 1: both refuse; in ceil_mode a window may overhang the padded input)
        for o in range(out):
            if not any(0 <= o * s_ - p_ + j * d_ < length for j in range(k_)):
                return True
    return False


def max_pool(d: Draw, name: str) -> Case:
    n = int(name[-2])
    k = d.int_or_tuple(n, 1, 3)
    kw = {
        "stride": d.choice([None, d.int_or_tuple(n, 1, 3)]),
        "padding": d.int_or_tuple(n, 0, 2),
        "dilation": d.int_or_tuple(n, 1, 2),
        "ceil_mode": d.flag(),
        "return_indices": d.flag(),
    }
    shape = _batch(d, d.int(1, 3), _spatial(d, n))
    stride = k if kw["stride"] is None else kw["stride"]
    # a dilated window over padding only: torch's forward gives -inf with an out-of-range
    # index and its backward writes out of bounds (it crashes); undefined, so not drawn
    assume(not _has_empty_window(shape[-n:], k, stride, kw["padding"], kw["dilation"],
                                 kw["ceil_mode"]))  # fmt: skip
    return Case(name, (k,), kw, normal(shape))


def avg_pool(d: Draw, name: str) -> Case:
    n = int(name[-2])
    kw: dict[str, Any] = {
        "stride": d.choice([None, d.int_or_tuple(n, 1, 3)]),
        "padding": d.int_or_tuple(n, 0, 2),
        "ceil_mode": d.flag(),
        "count_include_pad": d.flag(),
    }
    if n > 1:
        kw["divisor_override"] = d.choice([None, None, 1, 2, 3])
    shape = _batch(d, d.int(1, 3), _spatial(d, n))
    return Case(name, (d.int_or_tuple(n, 1, 3),), kw, normal(shape))


def lp_pool(d: Draw, name: str) -> Case:
    n = int(name[-2])
    p = d.choice([1, 2, 3, 1.5, 2.0])
    kw = {"stride": d.choice([None, d.int_or_tuple(n, 1, 3)]), "ceil_mode": d.flag()}
    k = d.int(1, 3) if n == 1 else d.int_or_tuple(n, 1, 3)  # LPPool1d's kernel is an int
    # (torch's lp_pool1d fails with a TypeError in its own code on a tuple)
    shape = _batch(d, d.int(1, 3), _spatial(d, n))

    def make(rng: np.random.Generator) -> tuple:
        x = rng.normal(size=shape)
        if not float(p).is_integer():
            x = np.abs(x) + 0.1  # x ** 1.5 of a negative number: nan in both
        return (G(x),)

    return Case(name, (p, k), kw, make)


def fractional_max_pool(d: Draw, name: str) -> Case:
    n = int(name[-2])
    c = d.int(1, 3)
    shape = _batch(d, c, _spatial(d, n, 2, 8))
    kw: dict[str, Any] = {"return_indices": d.flag()}
    if d.flag():
        kw["output_size"] = d.int_or_tuple(n, 1, 4)  # some too large: both refuse
    else:
        kw["output_ratio"] = d.choice([0.5, 0.7, tuple(d.choice([0.3, 0.6]) for _ in range(n))])
    # the same pseudo-random pooling regions in both (one sample per entry, channel and axis)
    batch = shape[0] if len(shape) == n + 2 else 1
    kw["_random_samples"] = np.random.default_rng(d.int(0, 999)).random((batch, c, n))
    return Case(name, (d.int_or_tuple(n, 1, 3),), kw, normal(shape))


def adaptive_pool(d: Draw, name: str) -> Case:
    n = int(name[-2])
    out: Any = d.int(1, 4) if d.flag() else tuple(d.choice([None, 1, 2, 3, 5]) for _ in range(n))
    if n == 1 and isinstance(out, tuple):
        out = out[0] if out[0] is not None else 2
    kw = {"return_indices": d.flag()} if "Max" in name else {}
    shape = _batch(d, d.int(1, 3), _spatial(d, n))
    return Case(name, (out,), kw, normal(shape))


def max_unpool(d: Draw, name: str) -> Case:
    n = int(name[-2])
    k = d.int_or_tuple(n, 1, 3)
    stride = d.choice([None, d.int_or_tuple(n, 1, 3)])
    pad = d.int_or_tuple(n, 0, 1)
    shape = _batch(d, d.int(1, 2), _spatial(d, n, 2, 7), unbatched_ok=False)
    sized = d.flag()

    def call(L: Any, m: Any, x: Any) -> Any:
        pool = getattr(L.F, f"max_pool{n}d")
        y, idx = pool(x, k, stride, pad, return_indices=True)
        return m(y, idx, output_size=x.shape[2:] if sized else None)

    return Case(name, (k, stride, pad), {}, normal(shape), call)


# --- normalisation ----------------------------------------------------------------------
def batch_norm(d: Draw, name: str) -> Case:
    n = int(name[-2])
    c = d.int(1, 3)
    kw = {
        "eps": d.choice([1e-5, 1e-3, 0.1]),
        "momentum": d.choice([0.1, None, 0.5, 0.0]),
        "affine": d.flag(),
        "track_running_stats": d.flag(),
    }
    if n == 1:
        shape = (d.int(1, 4), c) + (() if d.flag() else (d.int(1, 4),))
    else:
        shape = (d.int(1, 3), c, *_spatial(d, n, 1, 3))
    return Case(name, (c,), kw, normal(shape), steps=3, training=d.int(0, 3) > 0)


def instance_norm(d: Draw, name: str) -> Case:
    n = int(name[-2])
    c = d.int(1, 3)
    kw = {
        "eps": d.choice([1e-5, 1e-3]),
        "momentum": d.choice([0.1, None, 0.5]),
        "affine": d.flag(),
        "track_running_stats": d.flag(),
    }
    shape = _batch(d, c, _spatial(d, n, 1, 4))
    return Case(name, (c,), kw, normal(shape), steps=3, training=d.int(0, 3) > 0)


def layer_norm(d: Draw, name: str) -> Case:
    shape = d.ints(d.int(1, 4), 1, 4)
    k = d.int(1, len(shape))
    ns: Any = shape[-k:]
    if k == 1 and d.flag():
        ns = ns[0]
    kw: dict[str, Any] = {"eps": d.choice([1e-5, 1e-3, 0.5]), "elementwise_affine": d.flag()}
    if name == "LayerNorm":
        kw["bias"] = d.flag()
    else:
        kw["eps"] = d.choice([None, 1e-5, 0.5])
    return Case(name, (ns,), kw, normal(shape))


def group_norm(d: Draw, name: str) -> Case:
    g = d.int(1, 3)
    c = g * d.int(1, 2) + (1 if d.int(0, 9) == 0 else 0)
    kw = {"eps": d.choice([1e-5, 0.1]), "affine": d.flag()}
    shape = (d.int(1, 3), c, *_spatial(d, d.int(0, 2), 1, 3))
    # a group of one element normalises to 0 whatever the input: the exact gradient is 0 and
    # torch's float32 one is rounding noise (~6e-5), so the absolute tolerance is wider
    return Case(name, (g, c), kw, normal(shape), tol_scale=5.0)


def local_response_norm(d: Draw, name: str) -> Case:
    kw = {"alpha": d.choice([1e-4, 0.5]), "beta": d.choice([0.75, 1.0]), "k": d.choice([1.0, 2.0])}
    shape = (d.int(1, 2), d.int(1, 5), *_spatial(d, d.int(1, 2), 1, 3))
    return Case(name, (d.int(1, 5),), kw, normal(shape))


# --- embeddings -------------------------------------------------------------------------
def embedding(d: Draw, name: str) -> Case:
    num, dim = d.int(1, 6), d.int(1, 4)
    kw = {
        "padding_idx": d.choice([None, 0, num - 1, -1, num]),
        "max_norm": d.choice([None, None, 1.0, 0.5]),
        "norm_type": d.choice([2.0, 1.0, 3.0]),
        "scale_grad_by_freq": d.flag(),
        "sparse": d.flag(),
    }
    shape = d.ints(d.int(0, 2), 1, 4)
    if not shape and kw["padding_idx"] is not None:
        # torch 2.13's sparse backward fails on a 0-d input with padding_idx ("too many
        # indices for tensor of dimension 0"); ours gives the dense gradient's rows
        kw["sparse"] = False
    return Case(name, (num, dim), kw, lambda rng: (rng.integers(0, num, size=shape),), steps=2)


def embedding_bag(d: Draw, name: str) -> Case:
    num, dim = d.int(1, 6), d.int(1, 4)
    mode = d.choice(["sum", "mean", "max"])
    kw = {
        "mode": mode,
        "padding_idx": d.choice([None, 0, num - 1]),
        "max_norm": d.choice([None, None, 1.0]),
        "scale_grad_by_freq": d.flag() if mode != "max" else False,
        "include_last_offset": d.flag(),
        "sparse": d.flag(),  # refused with mode='max', in both
    }
    weighted = mode == "sum" and d.flag()
    two_d = d.flag()
    b, w = d.int(1, 3), d.int(1, 4)
    if kw["include_last_offset"] and not two_d:
        b = max(b, 2)  # torch 2.13 crashes (segfault) on a single offset with include_last_offset

    def make(rng: np.random.Generator) -> tuple:
        if two_d:
            idx = rng.integers(0, num, size=(b, w))
            return (idx, None, rng.normal(size=(b, w)) if weighted else None)
        idx = rng.integers(0, num, size=w * b)
        offs = np.sort(rng.integers(0, w * b, size=b))
        offs[0] = 0
        return (idx, offs, rng.normal(size=w * b) if weighted else None)

    def call(L: Any, m: Any, idx: Any, offs: Any, psw: Any) -> Any:
        return m(idx, offs, per_sample_weights=psw)

    return Case(name, (num, dim), kw, make, call, steps=2)


# --- recurrent --------------------------------------------------------------------------
def rnn(d: Draw, name: str) -> Case:
    inp, hid = d.int(1, 3), d.int(1, 4)
    layers, bi = d.int(1, 2), d.flag()
    kw: dict[str, Any] = {
        "num_layers": layers,
        "bias": d.flag(),
        "batch_first": d.flag(),
        "bidirectional": bi,
    }
    proj = 0
    if name == "RNN":
        kw["nonlinearity"] = d.choice(["tanh", "relu"])
    if name == "LSTM" and d.flag():
        proj = kw["proj_size"] = d.int(1, hid)
    t, b = d.int(1, 4), d.int(1, 3)
    unbatched = d.int(0, 4) == 0
    packed = not unbatched and d.int(0, 3) == 0
    h0 = d.flag()
    dirs = 2 if bi else 1
    hshape = (layers * dirs, b, proj or hid)
    cshape = (layers * dirs, b, hid)
    if unbatched:
        xshape: tuple = (t, inp)
        hshape, cshape = (hshape[0], hshape[2]), (cshape[0], cshape[2])
    else:
        xshape = (b, t, inp) if kw["batch_first"] else (t, b, inp)
    lengths = d.ints(b, 1, t)

    def make(rng: np.random.Generator) -> tuple:
        hs = (G(rng.normal(size=hshape)),) if h0 else ()
        if h0 and name == "LSTM":
            hs = ((hs[0], G(rng.normal(size=cshape))),)
        return (G(rng.normal(size=xshape)), *hs)

    def call(L: Any, m: Any, x: Any, *h: Any) -> Any:
        if packed:
            x = L.rnn.pack_padded_sequence(
                x, list(lengths), batch_first=kw["batch_first"], enforce_sorted=False
            )
        out = m(x, *h)
        return out

    return Case(name, (inp, hid), kw, make, call)


def rnn_cell(d: Draw, name: str) -> Case:
    inp, hid = d.int(1, 3), d.int(1, 4)
    kw: dict[str, Any] = {"bias": d.flag()}
    if name == "RNNCell":
        kw["nonlinearity"] = d.choice(["tanh", "relu"])
    b = d.choice([None, 1, 3])
    h0 = d.flag()
    xs = (inp,) if b is None else (b, inp)
    hs = (hid,) if b is None else (b, hid)

    def make(rng: np.random.Generator) -> tuple:
        if not h0:
            return (G(rng.normal(size=xs)),)
        h = G(rng.normal(size=hs))
        if name == "LSTMCell":
            return (G(rng.normal(size=xs)), (h, G(rng.normal(size=hs))))
        return (G(rng.normal(size=xs)), h)

    return Case(name, (inp, hid), kw, make)


# --- attention and transformers ---------------------------------------------------------
def _mask(d: Draw, shape: tuple, kind: str) -> Callable[[np.random.Generator], Any]:
    def make(rng: np.random.Generator) -> Any:
        m = rng.random(shape) < 0.3
        m[..., 0] = False  # a fully masked row is nan in both (torch's softmax of -inf row)
        return m if kind == "bool" else np.where(m, -1e9, rng.normal(size=shape))

    return make


def multihead_attention(d: Draw, name: str) -> Case:
    heads = d.int(1, 3)
    e = heads * d.int(1, 3)
    kdim, vdim = d.choice([None, e, 2, 3]), d.choice([None, e, 2, 5])
    bf = d.flag()
    kw = {
        "bias": d.flag(),
        "add_bias_kv": d.flag(),
        "add_zero_attn": d.flag(),
        "kdim": kdim,
        "vdim": vdim,
        "batch_first": bf,
    }
    lq, lk, b = d.int(1, 4), d.int(1, 4), d.int(1, 3)
    unbatched = d.int(0, 5) == 0

    def shp(length: int, dim: int) -> tuple:
        if unbatched:
            return (length, dim)
        return (b, length, dim) if bf else (length, b, dim)

    kpm = d.choice([None, "bool", "float"])
    am = d.choice([None, "bool", "float"])
    am3 = am is not None and d.flag()
    kpm_make = _mask(d, (lk,) if unbatched else (b, lk), kpm or "bool")
    am_make = _mask(d, (b * heads if not unbatched else heads, lq, lk) if am3 else (lq, lk),
                    am or "bool")  # fmt: skip
    fkw = {"need_weights": d.flag(), "average_attn_weights": d.flag()}

    def make(rng: np.random.Generator) -> tuple:
        q = G(rng.normal(size=shp(lq, e)))
        k = G(rng.normal(size=shp(lk, kdim or e)))
        v = G(rng.normal(size=shp(lk, vdim or e)))
        return (q, k, v, kpm_make(rng) if kpm else None, am_make(rng) if am else None)

    def call(L: Any, m: Any, q: Any, k: Any, v: Any, kp: Any, a: Any) -> Any:
        return m(q, k, v, key_padding_mask=kp, attn_mask=a, **fkw)

    return Case(name, (e, heads), kw, make, call)


def transformer_layer(d: Draw, name: str) -> Case:
    heads = d.int(1, 2)
    e = heads * d.int(1, 3) + (1 if heads == 1 else 0)
    # d_model >= 2: a LayerNorm over one feature is constant, and the gradients through it are
    # rounding noise (torch's float32 gives ~2e-5 where the exact value is 0)
    bf = d.flag()
    kw = {
        "dim_feedforward": d.int(1, 5),
        "dropout": 0.0,
        "activation": d.choice(["relu", "gelu"]),
        "layer_norm_eps": d.choice([1e-5, 1e-2]),
        "batch_first": bf,
        "norm_first": d.flag(),
        "bias": d.flag(),
    }
    ls, lt, b = d.int(1, 4), d.int(1, 4), d.int(1, 3)
    causal = d.flag()

    def shp(length: int) -> tuple:
        return (b, length, e) if bf else (length, b, e)

    def make(rng: np.random.Generator) -> tuple:
        return (G(rng.normal(size=shp(ls))), G(rng.normal(size=shp(lt))))

    def call(L: Any, m: Any, src: Any, tgt: Any) -> Any:
        if name == "TransformerEncoderLayer":
            mask = L.nn.Transformer.generate_square_subsequent_mask(ls) if causal else None
            return m(src, src_mask=mask)
        mask = L.nn.Transformer.generate_square_subsequent_mask(lt) if causal else None
        return m(tgt, src, tgt_mask=mask)

    return Case(name, (e, heads), kw, make, call, tol_scale=10.0)


# --- resampling, padding, reshaping -----------------------------------------------------
_MODES = {1: ["nearest", "linear", "nearest-exact"], 2: ["nearest", "bilinear", "bicubic",
          "nearest-exact"], 3: ["nearest", "trilinear", "nearest-exact"]}  # fmt: skip


def upsample(d: Draw, name: str) -> Case:
    n = 2 if name != "Upsample" else d.int(1, 3)
    kw: dict[str, Any] = {}
    if d.flag():
        kw["size"] = d.int_or_tuple(n, 1, 6)
    else:
        kw["scale_factor"] = d.choice([2, 0.5, 1.5, 3.0, (2.0, 1.0, 0.7)[:n] if n > 1 else 1.7])
    if name == "Upsample":
        mode = d.choice(_MODES[n] + (["bilinear"] if d.int(0, 9) == 0 else []))
        kw["mode"] = mode
        if mode in ("linear", "bilinear", "bicubic", "trilinear") and d.flag():
            kw["align_corners"] = d.flag()
        if "scale_factor" in kw and d.flag():
            kw["recompute_scale_factor"] = d.flag()
    shape = (d.int(1, 2), d.int(1, 2), *_spatial(d, n, 1, 5))
    return Case(name, (), kw, normal(shape))


def pad(d: Draw, name: str) -> Case:
    n = int(name[-2])
    lo = -1 if name.startswith(("Constant", "Zero")) else 0
    p = d.int(lo, 3) if d.flag() else d.ints(2 * n, lo, 3)
    args: tuple = (p, d.choice([0.0, 1.5, -2.0])) if name.startswith("Constant") else (p,)
    shape = _batch(d, d.int(1, 2), _spatial(d, n, 1, 5))
    return Case(name, args, {}, normal(shape))


def pixel_shuffle(d: Draw, name: str) -> Case:
    r = d.int(1, 3)
    if name == "PixelShuffle":
        c = d.int(1, 2) * r * r + (1 if d.int(0, 9) == 0 else 0)
        shape = (*d.ints(d.int(0, 1), 1, 2), c, *d.ints(2, 1, 3))
    elif name == "PixelUnshuffle":
        shape = (*d.ints(d.int(0, 1), 1, 2), d.int(1, 2), *(r * d.int(1, 2) for _ in range(2)))
    else:
        c = r * d.int(1, 3) + (1 if d.int(0, 9) == 0 else 0)
        shape = (d.int(1, 2), c, *d.ints(d.int(0, 2), 1, 3))
    return Case(name, (r,), {}, normal(shape))


def fold(d: Draw, name: str) -> Case:
    kw = {
        "kernel_size": d.int_or_tuple(2, 1, 3),
        "dilation": d.int_or_tuple(2, 1, 2),
        "padding": d.int_or_tuple(2, 0, 1),
        "stride": d.int_or_tuple(2, 1, 2),
    }

    def pair(v: Any) -> tuple:
        return v if isinstance(v, tuple) else (v, v)

    k, dl, p, s = (pair(kw[a]) for a in ("kernel_size", "dilation", "padding", "stride"))
    hw = d.ints(2, 1, 6)
    blocks = [(hw[i] + 2 * p[i] - dl[i] * (k[i] - 1) - 1) // s[i] + 1 for i in range(2)]
    c = d.int(1, 2)
    batched = d.flag()
    if name == "Unfold":
        return Case(name, (), kw, normal(((2,) if batched else ()) + (c, *hw)))
    nb = max(blocks[0], 0) * max(blocks[1], 0) + (1 if d.int(0, 9) == 0 else 0)
    shape = ((2,) if batched else ()) + (c * k[0] * k[1], nb)
    return Case(name, (hw,), kw, normal(shape))


def flatten(d: Draw, name: str) -> Case:
    shape = d.ints(d.int(1, 4), 1, 3)
    if name == "Flatten":
        return Case(name, (d.int(-2, 2), d.int(-2, 2)), {}, normal(shape))
    dim = d.int(-len(shape), len(shape) - 1)
    size = shape[dim]
    sizes: Any = d.choice([(size,), (1, size), (size, 1), (-1,), (size, -1)])
    if d.int(0, 9) == 0:
        sizes = (size + 1,)
    return Case(name, (dim, sizes), {}, normal(shape))


def linear(d: Draw, name: str) -> Case:
    i, o = d.int(0, 4), d.int(1, 4)
    lead = d.ints(d.int(0, 2), 1, 3)
    if name == "Linear":
        return Case(name, (i, o), {"bias": d.flag()}, normal((*lead, i)))
    i2 = d.int(1, 3)

    def make(rng: np.random.Generator) -> tuple:
        return (G(rng.normal(size=(*lead, i))), G(rng.normal(size=(*lead, i2))))

    return Case(name, (i, i2, o), {"bias": d.flag()}, make)


def distance(d: Draw, name: str) -> Case:
    shape = d.ints(d.int(1, 3), 1, 4)
    if name == "CosineSimilarity":
        kw: dict[str, Any] = {"dim": d.int(-1, len(shape) - 1), "eps": d.choice([1e-8, 0.5])}
    else:
        kw = {"p": d.choice([2.0, 1.0, 3.0, 0.5]), "eps": d.choice([1e-6, 0.1]),
              "keepdim": d.flag()}  # fmt: skip

    def make(rng: np.random.Generator) -> tuple:
        return (G(rng.normal(size=shape)), G(rng.normal(size=shape)))

    return Case(name, (), kw, make)


def dropout(d: Draw, name: str) -> Case:
    training = d.flag()
    p = d.choice([0.0, 1.0]) if training else d.choice([0.0, 0.3, 1.0])
    shape = d.ints(d.int(2, 5), 1, 3)
    return Case(name, (p,), {}, normal(shape), training=training)


# --- activations ------------------------------------------------------------------------
def _act_args(d: Draw, name: str) -> tuple[tuple, dict]:
    ip = {"inplace": d.flag()}
    table: dict[str, Callable[[], tuple[tuple, dict]]] = {
        "ELU": lambda: ((), {"alpha": d.choice([1.0, 0.5, 2.0]), **ip}),
        "CELU": lambda: ((), {"alpha": d.choice([1.0, 0.5, 2.0]), **ip}),
        "GELU": lambda: ((), {"approximate": d.choice(["none", "tanh"])}),
        "GLU": lambda: ((), {"dim": d.int(-2, 1)}),
        "Hardshrink": lambda: ((), {"lambd": d.choice([0.5, 0.0, 1.2])}),
        "Softshrink": lambda: ((), {"lambd": d.choice([0.5, 0.0, 1.2])}),
        "Hardtanh": lambda: (
            (),
            {"min_val": d.choice([-1.0, -0.5]), "max_val": d.choice([1.0, 2.0]), **ip},
        ),  # fmt: skip
        "LeakyReLU": lambda: ((), {"negative_slope": d.choice([0.01, 0.2, -0.5]), **ip}),
        "LogSoftmax": lambda: ((), {"dim": d.choice([None, 0, -1, 1])}),
        "Softmax": lambda: ((), {"dim": d.choice([None, 0, -1, 1])}),
        "Softmin": lambda: ((), {"dim": d.choice([None, 0, -1, 1])}),
        "PReLU": lambda: ((), {"num_parameters": d.choice([1, 2]), "init": d.choice([0.25, -1.0])}),
        "RReLU": lambda: ((), {"lower": d.choice([0.125, 0.1]), "upper": d.choice([1 / 3, 0.5])}),
        "Softplus": lambda: (
            (),
            {"beta": d.choice([1.0, 2.0, 0.5]), "threshold": d.choice([20.0, 1.0])},
        ),  # fmt: skip
        "Threshold": lambda: ((d.choice([0.1, -0.5]), d.choice([0.0, 2.0])), ip),
    }
    if name in table:
        return table[name]()
    if name in ("ReLU", "ReLU6", "SELU", "SiLU", "Mish", "Hardsigmoid", "Hardswish"):
        return (), ip
    return (), {}


def activation(d: Draw, name: str) -> Case:
    args, kw = _act_args(d, name)
    ndim = 3 if name == "Softmax2d" and d.flag() else d.int(0, 4)
    if name == "Softmax2d" and ndim < 3:
        ndim = 4
    shape = list(d.ints(ndim, 1, 4))
    if name == "GLU" and shape:
        shape[kw["dim"] % len(shape) if -len(shape) <= kw["dim"] < len(shape) else 0] *= 2
    if name == "PReLU" and kw["num_parameters"] > 1 and len(shape) >= 2:
        shape[1] = kw["num_parameters"]

    def call(L: Any, m: Any, x: Any) -> Any:
        return m(x * 1.0)  # a non-leaf: inplace=True must not touch the leaf

    # torch's hardsigmoid backward multiplies by 1/6 rounded to float32, even in float64
    # (relative 3e-8); a looser tolerance keeps its gradient compared
    scale = 10.0 if name == "Hardsigmoid" else 1.0
    return Case(name, args, kw, normal(tuple(shape)), call, training=name != "RReLU",
                tol_scale=scale)  # fmt: skip


# --- losses -----------------------------------------------------------------------------
RED = ["mean", "sum", "none"]


def pointwise_loss(d: Draw, name: str) -> Case:
    shape = d.ints(d.int(0, 3), 1, 4)
    kw: dict[str, Any] = {"reduction": d.choice(RED)}
    tshape = shape if d.int(0, 5) else (*shape, 1)  # a broadcasting target: torch warns
    if name == "HuberLoss":
        kw["delta"] = d.choice([1.0, 0.5, 2.0])
    if name == "SmoothL1Loss":
        kw["beta"] = d.choice([1.0, 0.0, 0.5])
    if name == "SoftMarginLoss":
        return Case(name, (), kw, lambda rng: (G(rng.normal(size=shape)),
                                              rng.choice([-1.0, 1.0], size=shape)))  # fmt: skip

    def make(rng: np.random.Generator) -> tuple:
        return (G(rng.normal(size=shape)), G(rng.normal(size=tshape)))

    return Case(name, (), kw, make)


def bce_loss(d: Draw, name: str) -> Case:
    shape = d.ints(d.int(0, 3), 1, 4)
    kw: dict[str, Any] = {"reduction": d.choice(RED)}
    wshape = shape[-d.int(0, len(shape)) :] if shape else ()
    if d.flag():
        kw["weight"] = np.random.default_rng(d.int(0, 99)).random(wshape) + 0.1
    if name == "BCEWithLogitsLoss" and d.flag():
        kw["pos_weight"] = np.random.default_rng(d.int(0, 99)).random(shape[-1:]) + 0.5

    def make(rng: np.random.Generator) -> tuple:
        x = rng.normal(size=shape)
        if name == "BCELoss":
            x = 1 / (1 + np.exp(-x))
        return (G(x), rng.random(shape))

    return Case(name, (), kw, make)


def class_loss(d: Draw, name: str) -> Case:
    c = d.int(1, 4)
    kind = d.choice(["batched", "batched", "unbatched", "spatial"])
    shape: tuple = {"batched": (d.int(1, 4), c), "unbatched": (c,),
                    "spatial": (d.int(1, 2), c, *d.ints(d.int(1, 2), 1, 3))}[kind]  # fmt: skip
    kw: dict[str, Any] = {"reduction": d.choice(RED)}
    if d.flag():
        kw["weight"] = np.random.default_rng(d.int(0, 99)).random(c) + 0.1
    ignore = d.choice([-100, 0, c - 1])
    kw["ignore_index"] = ignore
    probs = name == "CrossEntropyLoss" and d.int(0, 3) == 0
    if name == "CrossEntropyLoss":
        kw["label_smoothing"] = d.choice([0.0, 0.0, 0.1, 0.5])
    tshape = shape[:1] + shape[2:] if kind != "unbatched" else ()

    def make(rng: np.random.Generator) -> tuple:
        x = rng.normal(size=shape)
        if name == "NLLLoss":
            x = x - np.log(np.exp(x).sum(axis=0 if kind == "unbatched" else 1, keepdims=True))
        if probs:
            t = rng.random(shape)
            return (G(x), t / t.sum(axis=0 if kind == "unbatched" else 1, keepdims=True))
        return (G(x), rng.integers(0, c, size=tshape))

    return Case(name, (), kw, make)


def kl_div(d: Draw, name: str) -> Case:
    shape = d.ints(d.int(0, 3), 1, 4)
    kw = {"reduction": d.choice(RED + ["batchmean"]), "log_target": d.flag()}

    def make(rng: np.random.Generator) -> tuple:
        t = rng.random(shape) + 0.05
        return (G(np.log(rng.random(shape) + 0.05)), G(np.log(t) if kw["log_target"] else t))

    return Case(name, (), kw, make)


def pair_loss(d: Draw, name: str) -> Case:
    kw: dict[str, Any] = {"reduction": d.choice(RED), "margin": d.choice([0.0, 0.5, -0.3])}
    n, dim = d.int(1, 4), d.int(1, 3)
    if name == "MarginRankingLoss":
        return Case(name, (), kw, lambda rng: (G(rng.normal(size=n)), G(rng.normal(size=n)),
                                              rng.choice([-1.0, 1.0], size=n)))  # fmt: skip
    if name == "HingeEmbeddingLoss":
        kw["margin"] = d.choice([1.0, 0.5])
        shape = d.ints(d.int(0, 2), 1, 4)
        return Case(name, (), kw, lambda rng: (G(rng.normal(size=shape)),
                                              rng.choice([-1.0, 1.0], size=shape)))  # fmt: skip
    unb = d.int(0, 4) == 0
    shape = (dim,) if unb else (n, dim)

    def make(rng: np.random.Generator) -> tuple:
        t = rng.choice([-1.0, 1.0], size=() if unb else n)
        return (G(rng.normal(size=shape)), G(rng.normal(size=shape)), t)

    return Case(name, (), kw, make)


def triplet_loss(d: Draw, name: str) -> Case:
    kw: dict[str, Any] = {"reduction": d.choice(RED), "margin": d.choice([1.0, 0.5, 0.0]),
                          "swap": d.flag()}  # fmt: skip
    if name == "TripletMarginLoss":
        kw["p"] = d.choice([2.0, 1.0, 3.0])
        kw["eps"] = d.choice([1e-6, 0.1])
    shape = (d.int(1, 3), d.int(1, 4)) if d.int(0, 4) else (d.int(1, 4),)

    def make(rng: np.random.Generator) -> tuple:
        return tuple(G(rng.normal(size=shape)) for _ in range(3))

    return Case(name, (), kw, make)


def poisson_nll(d: Draw, name: str) -> Case:
    shape = d.ints(d.int(0, 3), 1, 4)
    kw = {"log_input": d.flag(), "full": d.flag(), "eps": d.choice([1e-8, 0.1]),
          "reduction": d.choice(RED)}  # fmt: skip

    def make(rng: np.random.Generator) -> tuple:
        x = rng.normal(size=shape) if kw["log_input"] else rng.random(shape) + 0.1
        return (G(x), rng.integers(0, 4, size=shape).astype(np.float64))

    return Case(name, (), kw, make)


def gaussian_nll(d: Draw, name: str) -> Case:
    n, k = d.int(1, 3), d.int(1, 3)
    vshape = d.choice([(n, k), (n, 1), (n,)])
    kw = {"full": d.flag(), "eps": d.choice([1e-6, 0.5]), "reduction": d.choice(RED)}

    def make(rng: np.random.Generator) -> tuple:
        return (G(rng.normal(size=(n, k))), G(rng.normal(size=(n, k))),
                G(rng.random(vshape) + 0.01))  # fmt: skip

    return Case(name, (), kw, make)


def multi_label_soft_margin(d: Draw, name: str) -> Case:
    n, c = d.int(1, 3), d.int(1, 4)
    kw: dict[str, Any] = {"reduction": d.choice(RED)}
    if d.flag():
        kw["weight"] = np.random.default_rng(d.int(0, 99)).random(c) + 0.1

    def make(rng: np.random.Generator) -> tuple:
        return (G(rng.normal(size=(n, c))), rng.integers(0, 2, size=(n, c)).astype(float))

    return Case(name, (), kw, make)


def multi_margin(d: Draw, name: str) -> Case:
    n, c = d.int(1, 3), d.int(1, 4)
    kw: dict[str, Any] = {"p": d.choice([1, 2]), "margin": d.choice([1.0, 0.5]),
                          "reduction": d.choice(RED)}  # fmt: skip
    if d.flag():
        kw["weight"] = np.random.default_rng(d.int(0, 99)).random(c) + 0.1
    unb = d.int(0, 4) == 0
    return Case(name, (), kw, lambda rng: (G(rng.normal(size=(c,) if unb else (n, c))),
                                          rng.integers(0, c, size=() if unb else n)))  # fmt: skip


def multilabel_margin(d: Draw, name: str) -> Case:
    n, c = d.int(1, 3), d.int(1, 4)
    kw = {"reduction": d.choice(RED)}
    unb = d.int(0, 4) == 0

    def targets(rng: Any) -> np.ndarray:
        # each row: some class indices, then -1 (what follows a -1 is ignored, as torch)
        rows = []
        for _ in range(1 if unb else n):
            k = int(rng.integers(0, c + 1))
            row = np.full(c, -1, dtype=np.int64)
            row[:k] = rng.choice(c, size=k, replace=False)
            if k < c - 1 and rng.random() < 0.5:
                row[k + 1] = rng.integers(0, c)
            rows.append(row)
        return rows[0] if unb else np.stack(rows)

    return Case(name, (), kw, lambda rng: (G(rng.normal(size=(c,) if unb else (n, c))),
                                          targets(rng)))  # fmt: skip


def ctc_loss(d: Draw, name: str) -> Case:
    c, t, n = d.int(2, 4), d.int(1, 6), d.int(1, 3)
    kw = {"blank": d.int(0, c - 1), "reduction": d.choice(RED), "zero_infinity": d.flag()}
    s = d.int(1, 3)

    def make(rng: np.random.Generator) -> tuple:
        labels = [v for v in range(c) if v != kw["blank"]]
        tg = rng.choice(labels, size=(n, s))
        return (G(rng.normal(size=(t, n, c))), tg, np.full(n, t), rng.integers(1, s + 1, size=n))

    def call(L: Any, m: Any, x: Any, *rest: Any) -> Any:
        # through log_softmax, as torch's docs use it: torch's gradient in log_probs is the
        # gradient in the logits of a log_softmax it assumes (pytorch/pytorch#52241), ours the
        # derivative in log_probs; through log_softmax both are the logits' gradient
        return m(L.F.log_softmax(x, -1), *rest)

    return Case(name, (), kw, make, call)


SPECS: dict[str, Callable[[Draw, str], Case]] = {
    **dict.fromkeys(
        [f"Conv{n}d" for n in (1, 2, 3)] + [f"ConvTranspose{n}d" for n in (1, 2, 3)], conv
    ),  # fmt: skip
    **{f"MaxPool{n}d": max_pool for n in (1, 2, 3)},
    **{f"AvgPool{n}d": avg_pool for n in (1, 2, 3)},
    **{f"LPPool{n}d": lp_pool for n in (1, 2, 3)},
    **{f"FractionalMaxPool{n}d": fractional_max_pool for n in (2, 3)},
    **{f"Adaptive{k}Pool{n}d": adaptive_pool for n in (1, 2, 3) for k in ("Max", "Avg")},
    **{f"MaxUnpool{n}d": max_unpool for n in (1, 2, 3)},
    **{f"BatchNorm{n}d": batch_norm for n in (1, 2, 3)},
    **{f"InstanceNorm{n}d": instance_norm for n in (1, 2, 3)},
    "LayerNorm": layer_norm,
    "RMSNorm": layer_norm,
    "GroupNorm": group_norm,
    "LocalResponseNorm": local_response_norm,
    "Embedding": embedding,
    "EmbeddingBag": embedding_bag,
    **dict.fromkeys(["RNN", "LSTM", "GRU"], rnn),
    **dict.fromkeys(["RNNCell", "LSTMCell", "GRUCell"], rnn_cell),
    "MultiheadAttention": multihead_attention,
    "TransformerEncoderLayer": transformer_layer,
    "TransformerDecoderLayer": transformer_layer,
    **dict.fromkeys(["Upsample", "UpsamplingNearest2d", "UpsamplingBilinear2d"], upsample),
    **{
        f"{k}Pad{n}d": pad
        for n in (1, 2, 3)
        for k in ("Constant", "Zero", "Reflection", "Replication", "Circular")
    },  # fmt: skip
    **dict.fromkeys(["PixelShuffle", "PixelUnshuffle", "ChannelShuffle"], pixel_shuffle),
    "Fold": fold,
    "Unfold": fold,
    "Flatten": flatten,
    "Unflatten": flatten,
    "Linear": linear,
    "Bilinear": linear,
    "Identity": lambda d, name: Case(name, (d.int(0, 3),), {"k": 2}, normal(d.ints(2, 1, 3))),
    "CosineSimilarity": distance,
    "PairwiseDistance": distance,
    **dict.fromkeys(
        ["Dropout", "Dropout1d", "Dropout2d", "Dropout3d", "AlphaDropout", "FeatureAlphaDropout"],
        dropout,
    ),  # fmt: skip
    **dict.fromkeys(
        [
            "CELU",
            "ELU",
            "GELU",
            "GLU",
            "SELU",
            "Hardshrink",
            "Hardsigmoid",
            "Hardswish",
            "Hardtanh",
            "LeakyReLU",
            "LogSigmoid",
            "LogSoftmax",
            "Mish",
            "PReLU",
            "ReLU",
            "ReLU6",
            "RReLU",
            "Sigmoid",
            "SiLU",
            "Softmax",
            "Softmax2d",
            "Softmin",
            "Softplus",
            "Softshrink",
            "Softsign",
            "Tanh",
            "Tanhshrink",
            "Threshold",
        ],
        activation,
    ),
    **dict.fromkeys(
        ["L1Loss", "MSELoss", "HuberLoss", "SmoothL1Loss", "SoftMarginLoss"], pointwise_loss
    ),  # fmt: skip
    "BCELoss": bce_loss,
    "BCEWithLogitsLoss": bce_loss,
    "CrossEntropyLoss": class_loss,
    "NLLLoss": class_loss,
    "KLDivLoss": kl_div,
    "MarginRankingLoss": pair_loss,
    "HingeEmbeddingLoss": pair_loss,
    "CosineEmbeddingLoss": pair_loss,
    "TripletMarginLoss": triplet_loss,
    "TripletMarginWithDistanceLoss": triplet_loss,
    "PoissonNLLLoss": poisson_nll,
    "GaussianNLLLoss": gaussian_nll,
    "MultiLabelSoftMarginLoss": multi_label_soft_margin,
    "MultiMarginLoss": multi_margin,
    "MultiLabelMarginLoss": multilabel_margin,
    "CTCLoss": ctc_loss,
}

# Classes of nn not drawn here, with the reason.
NOT_FUZZED = {
    "Module": "a base class",
    "RNNBase": "a base class (RNN, LSTM, GRU are fuzzed)",
    "RNNCellBase": "a base class (the cells are fuzzed)",
    "Sequential": "a container",
    "ModuleList": "a container",
    "ModuleDict": "a container",
    "ParameterList": "a container",
    "ParameterDict": "a container",
    "Parameter": "not a layer",
    "UninitializedParameter": "not a layer",
    "UninitializedBuffer": "not a layer",
    "Buffer": "not a layer (tests/test_torch_oracle/test_pads3d_lazy_instance_buffer_vs_torch.py)",
    "DataParallel": "a pass-through wrapper on CPU (tests/porting/test_distributed_names.py)",
    "AdaptiveLogSoftmaxWithLoss": "returns a named tuple and has methods of its own (log_prob, "
    "predict): tests/test_torch_oracle/test_adaptive_log_softmax_vs_torch.py compares them",
    "Residual": "ours only (no torch class of that name)",
    "Step": "ours only",
    "Swish": "ours only (torch's is SiLU, fuzzed)",
    "HingeLoss": "ours only",
    "LogCoshLoss": "ours only",
    "ContrastiveLoss": "ours only",
    "EnergyLoss": "ours only",
    "ContentLoss": "ours only",
    "StyleLoss": "ours only",
    "StyleTransferLoss": "ours only",
    "GramMatrix": "ours only",
    "Transformer": "a stack of the fuzzed encoder and decoder layers (tests/test_torch_oracle/"
    "test_transformer_vs_torch.py compares it); its random init draws differ",
    "TransformerEncoder": "a stack of fuzzed TransformerEncoderLayer (test_transformer_vs_torch)",
    "TransformerDecoder": "a stack of fuzzed TransformerDecoderLayer (test_transformer_vs_torch)",
    **{
        n: "materialises into the fuzzed eager class (test_lazy_modules_vs_torch.py)"
        for n in (
            "LazyBatchNorm1d",
            "LazyBatchNorm2d",
            "LazyBatchNorm3d",
            "LazyConv1d",
            "LazyConv2d",
            "LazyConv3d",
            "LazyConvTranspose1d",
            "LazyConvTranspose2d",
            "LazyConvTranspose3d",
            "LazyLinear",
            "LazyInstanceNorm1d",
            "LazyInstanceNorm2d",
            "LazyInstanceNorm3d",
        )  # fmt: skip
    },
}

_SHAPE_RULE = (
    "ours refuses a target whose shape differs from the input's (DESIGN.md 6: bad input never "
    "gives a silent wrong answer); torch broadcasts with a warning that results are likely wrong"
)

KNOWN: list[Known] = [
    *(
        Known(n, "raises", lambda c: True, _SHAPE_RULE)
        for n in ("L1Loss", "MSELoss", "HuberLoss", "SmoothL1Loss")
    ),
    Known(
        "LeakyReLU",
        "raises",
        lambda c: c.kwargs["inplace"] and c.kwargs["negative_slope"] < 0,
        "torch refuses the backward of an in-place leaky_relu with a negative slope (its "
        "saved output cannot tell the sign of the input); ours keeps what it needs and "
        "gives the gradient",
    ),  # fmt: skip
    *(
        Known(
            n,
            "raises",
            lambda c: True,
            "a 2-d input to Dropout2d/3d: torch warns it is deprecated and will be an error; "
            "ours already refuses it",
        )  # fmt: skip
        for n in ("Dropout2d", "Dropout3d")
    ),
    *(
        Known(
            f"ConvTranspose{n}d",
            "raises",
            lambda c: True,
            "an output size of 0: torch's float64 kernel refuses it ('Output size is too "
            "small'), its float32 (oneDNN) kernel returns an empty tensor; ours refuses both",
            match="output size",
        )  # fmt: skip
        for n in (1, 2, 3)
    ),
    *(
        Known(
            f"MaxUnpool{n}d",
            "raises",
            lambda c: True,
            "an output size of 0 ((1 - 1) * stride - 2 * padding + kernel): torch's forward "
            "returns the empty tensor, its backward gathers at the indices in that empty output "
            "and raises; ours gives the zero gradient",
            match="out of bounds",
        )  # fmt: skip
        for n in (1, 2, 3)
    ),
    Known(
        "EmbeddingBag",
        "raises",
        lambda c: c.kwargs.get("scale_grad_by_freq", False),
        "ours refuses scale_grad_by_freq for EmbeddingBag (nn/embedding.py): torch's CPU "
        "gradient for it does not divide by each index's frequency, as documented",
    ),  # fmt: skip
]
