"""Composable function transforms, as ``torch.func``: ``grad``, ``grad_and_value``, ``vjp``,
``jvp``, ``jacrev``, ``jacfwd``, ``hessian``, ``vmap``, ``functional_call`` and
``stack_module_state``.

Each transform takes a function and returns a function; the arguments and results may be
pytrees (tuples, lists, dicts and namedtuples of Tensors), and transforms compose:
``grad(grad(f))``, ``vmap(grad(f))``, ``jacrev(jacrev(f))``, ``hessian(f)``.

How they work here (the results are torch's; the costs differ):

- The differentiating transforms run ``func`` on fresh inputs (a leaf that requires grad, or a
  differentiable view of an input that already requires grad) and call ``autograd.grad`` with
  ``create_graph=True``, so an enclosing transform can differentiate the result again. A
  result that depends on nothing outside the transform (no tensor that requires grad from the
  caller's side) is returned detached, as torch's is; one that does (a parameter captured by
  ``func``, an input that requires grad) keeps its history, so ordinary ``backward`` reaches
  through the transform as in torch. Under an outer ``no_grad`` the results are detached.
- ``jacrev`` takes one vector-Jacobian product per output element. ``jacfwd`` gives the same
  Jacobian the same way (reverse mode: its results equal ``jacrev``'s, its cost is one
  backward pass per output element, not one forward pass per input element). ``jvp`` uses the
  double-vjp trick: the gradient, with respect to the cotangent ``u``, of ``u . J`` dotted with
  the tangent is ``J @ tangent``.
- ``vmap`` is a loop: it calls ``func`` once per index of the mapped dimension, on slices of the
  batched inputs, and stacks the results along ``out_dims``. So it gives vmap's semantics for
  any ``func`` (including data-dependent control flow torch's vmap refuses), at the cost of a
  Python call per example; ``chunk_size`` is accepted and does not change the result.
  ``randomness='error'`` raises when ``func`` draws from the default generator (as torch),
  ``'different'`` draws independently per example, ``'same'`` replays the same draws for
  every example.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from . import grad_mode
from . import random as _random
from .creation import zeros, zeros_like
from .engine import reverse_topological
from .functions import stack
from .grad import grad as _grad
from .node import Node
from .pytree import TreeSpec, broadcast_prefix, flatten, unflatten
from .tensor import Tensor

__all__ = [
    "grad",
    "grad_and_value",
    "vjp",
    "jvp",
    "jacrev",
    "jacfwd",
    "hessian",
    "vmap",
    "functional_call",
    "stack_module_state",
]


_ACTIVE = threading.local()  # .stack: the transforms running in this thread, innermost last


# ----- the level of a transform: fresh inputs, and what leaves it --------------------------
class _Level:
    """One application of a differentiating transform: the leaves it made (whose history
    must not leave it) and whether the caller records gradients at all. Used as a context
    manager around the transform's work: the leaves of transforms nested inside it are its
    own too (they are inside it), so it adopts them when they finish."""

    def __init__(self) -> None:
        self.outer_enabled = grad_mode.is_grad_enabled()
        self.own: list[Tensor] = []  # keeps them alive while ids are compared

    def __enter__(self) -> _Level:
        _ACTIVE.__dict__.setdefault("stack", []).append(self)
        return self

    def __exit__(self, *exc: object) -> None:
        stack = _ACTIVE.stack
        stack.pop()
        if stack:
            stack[-1].own.extend(self.own)

    def lift(self, x: Any) -> Tensor:
        """``x`` as a tensor the transform differentiates with respect to."""
        if not isinstance(x, Tensor):
            raise ValueError(f"Thing passed to transform API must be Tensor, got {type(x)}")
        if x._data.dtype.kind not in "fc":
            raise RuntimeError("only Tensors of floating point dtype can require gradients")
        if x.requires_grad and self.outer_enabled:
            return x.view_as(x)
        leaf = x.detach().requires_grad_(True)
        self.own.append(leaf)
        return leaf

    def leaf(self, x: Tensor) -> Tensor:
        """A new leaf (a cotangent of the double-vjp trick) owned by this level."""
        x = x.requires_grad_(True)
        self.own.append(x)
        return x

    def release(self, tree: Any) -> Any:
        """``tree`` with each tensor detached unless its history reaches outside this level."""
        leaves, spec = flatten(tree)
        own = {id(t) for t in self.own}
        out = [
            t.detach()
            if isinstance(t, Tensor)
            and t.requires_grad
            and not (self.outer_enabled and _reaches_outside(t, own))
            else t
            for t in leaves
        ]
        return unflatten(out, spec)


def _reaches_outside(t: Tensor, own: set[int]) -> bool:
    """Does ``t``'s history reach a tensor that requires grad and is not one of ``own``?"""
    if t._ctx is None:
        return id(t) not in own
    for node in reverse_topological([t]):  # Tensors: every recorded node has a context
        for p in node._ctx.parents:
            if isinstance(p, Node) and p._ctx is None and p.requires_grad and id(p) not in own:
                return True
    return False


# ----- argument handling --------------------------------------------------------------------
def _check_argnums(argnums: Any, nargs: int) -> tuple[int, ...]:
    """``argnums`` as non-negative positions into ``nargs`` positional arguments."""
    nums = argnums if isinstance(argnums, tuple) else (argnums,)
    if not all(isinstance(n, int) and not isinstance(n, bool) for n in nums):
        raise RuntimeError(f"argnums must be int or Tuple[int, ...], got: {type(argnums)}")
    if not nums:
        raise RuntimeError("argnums must be non-empty")
    if len(set(nums)) != len(nums):
        raise RuntimeError(f"argnums elements must be unique, got {argnums}")
    out = []
    for n in nums:
        if not -nargs <= n < nargs:
            raise RuntimeError(f"Got argnum={n}, but only {nargs} positional inputs")
        out.append(n % nargs)
    return tuple(out)


def _lift_args(
    level: _Level, args: tuple, argnums: Any
) -> tuple[list, list[Tensor], list[TreeSpec]]:
    """The arguments with those at ``argnums`` lifted, the lifted leaves, and their specs."""
    nums = _check_argnums(argnums, len(args))
    new_args = list(args)
    inputs: list[Tensor] = []
    specs = []
    for n in nums:
        leaves, spec = flatten(args[n])
        lifted = [level.lift(x) for x in leaves]
        inputs.extend(lifted)
        specs.append(spec)
        new_args[n] = unflatten(lifted, spec)
    return new_args, inputs, specs


def _per_argnum(flat: list, specs: list[TreeSpec], argnums: Any) -> Any:
    """Results for the lifted leaves, rebuilt into the structure of the chosen arguments:
    one tree for an int ``argnums``, a tuple of trees for a tuple."""
    trees = []
    i = 0
    for spec in specs:
        n = spec.num_leaves
        trees.append(unflatten(flat[i : i + n], spec))
        i += n
    return tuple(trees) if isinstance(argnums, tuple) else trees[0]


def _vjp_all(outputs: list, inputs: list, cotangents: list, retain: bool = True) -> list:
    """sum_k <cotangent_k, d output_k / d input> for each input (zeros when unused),
    differentiable (``create_graph``)."""
    pairs = [(o, c) for o, c in zip(outputs, cotangents) if o.requires_grad]
    found: tuple = (None,) * len(inputs)
    if pairs:
        found = _grad(
            [o for o, _ in pairs],
            inputs,
            [c for _, c in pairs],
            retain_graph=retain,
            create_graph=True,
            allow_unused=True,
        )
    return [zeros_like(x) if g is None else g for g, x in zip(found, inputs)]


def _split_aux(out: Any, has_aux: bool, api: str) -> tuple[Any, Any]:
    if not has_aux:
        return out, None
    if not (isinstance(out, tuple) and len(out) == 2):
        raise RuntimeError(
            f"{api}: output of function f should be a tuple: (output, aux) if has_aux is True"
        )
    return out


def _check_shape(given: Tensor, expected: Tensor, what: str, i: int) -> None:
    if tuple(given.shape) != tuple(expected.shape):
        raise RuntimeError(
            f"Mismatch in shape: {what}[{i}] has a shape of {given.shape} and output[{i}] "
            f"has a shape of {expected.shape}."
        )


def _tensor_outputs(out: Any, api: str) -> tuple[list, TreeSpec]:
    leaves, spec = flatten(out)
    for x in leaves:
        if not isinstance(x, Tensor):
            raise RuntimeError(
                f"{api}: expected f(*primals) to return only tensors, got unsupported type "
                f"{type(x)}"
            )
    return leaves, spec


# ----- grad ---------------------------------------------------------------------------------
def grad_and_value(
    func: Callable[..., Any], argnums: int | tuple[int, ...] = 0, has_aux: bool = False
) -> Callable[..., Any]:
    """A function returning ``(gradient, value)`` of ``func`` (which must return a scalar
    Tensor) with respect to the arguments at ``argnums``; with ``has_aux`` ``func`` returns
    ``(value, aux)`` and the result is ``(gradient, (value, aux))``."""
    api = "grad_and_value(f)(*args)"

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with _Level() as level, grad_mode.enable_grad():
            new_args, inputs, specs = _lift_args(level, args, argnums)
            value, aux = _split_aux(func(*new_args, **kwargs), has_aux, api)
            if not isinstance(value, Tensor):
                raise RuntimeError(
                    f"{api}: Expected f(*args) to return a Tensor, got {type(value)}"
                )
            if value.dim() != 0:
                raise RuntimeError(
                    f"{api}: Expected f(*args) to return a scalar Tensor, got tensor with "
                    f"{value.dim()} dims. Maybe you wanted to use the vjp or jacrev APIs "
                    "instead?"
                )
            flat = _vjp_all([value], inputs, [None])
        grads = level.release(_per_argnum(flat, specs, argnums))
        value = level.release(value)
        if has_aux:
            return grads, (value, level.release(aux))
        return grads, value

    return wrapper


def grad(
    func: Callable[..., Any], argnums: int | tuple[int, ...] = 0, has_aux: bool = False
) -> Callable[..., Any]:
    """A function returning the gradient of ``func`` (which must return a scalar Tensor)
    with respect to the arguments at ``argnums`` (a tree per argument; a tuple of them for a
    tuple ``argnums``); with ``has_aux`` it returns ``(gradient, aux)``."""
    both = grad_and_value(func, argnums, has_aux)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        g, value = both(*args, **kwargs)
        return (g, value[1]) if has_aux else g

    return wrapper


# ----- vjp and jvp --------------------------------------------------------------------------
def vjp(func: Callable[..., Any], *primals: Any, has_aux: bool = False) -> tuple:
    """``(func(*primals), vjp_fn)`` (and ``aux`` with ``has_aux``): ``vjp_fn(cotangents)``,
    ``cotangents`` shaped as the output, returns one vector-Jacobian product per primal (a
    tuple), and may be called many times."""
    api = "vjp(f, *primals)"
    with _Level() as level, grad_mode.enable_grad():
        lifted_args = []
        inputs: list[Tensor] = []
        specs = []
        for p in primals:
            leaves, spec = flatten(p)
            lifted = [level.lift(x) for x in leaves]
            inputs.extend(lifted)
            specs.append(spec)
            lifted_args.append(unflatten(lifted, spec))
        out, aux = _split_aux(func(*lifted_args), has_aux, api)
        outs, out_spec = _tensor_outputs(out, api)

    def vjp_fn(
        cotangents: Any, *, retain_graph: bool = True, create_graph: bool | None = None
    ) -> tuple:
        """The vector-Jacobian products of ``cotangents`` (the output's structure)."""
        cots, cot_spec = flatten(cotangents)
        if cot_spec != out_spec:
            raise RuntimeError(
                "Expected pytree structure of cotangents to be the same as pytree structure "
                f"of outputs to the function. cotangents: {cot_spec}, primal output: {out_spec}"
            )
        for i, (c, o) in enumerate(zip(cots, outs)):
            if not isinstance(c, Tensor):
                raise RuntimeError(f"{api}: expected cotangents to be only tensors, got {type(c)}")
            _check_shape(c, o, "grad_output", i)
        with grad_mode.enable_grad():
            flat = _vjp_all(outs, inputs, cots, retain=retain_graph)
        res = tuple(_per_argnum(flat, specs, tuple(range(len(specs)))))
        return res if create_graph else level.release(res)

    result = (level.release(out), vjp_fn)
    return (*result, level.release(aux)) if has_aux else result


def jvp(
    func: Callable[..., Any],
    primals: Any,
    tangents: Any,
    *,
    strict: bool = False,
    has_aux: bool = False,
) -> tuple:
    """``(func(*primals), J @ tangents)``: the output and its Jacobian-vector product with
    ``tangents`` (the structure of ``primals``, a tuple); ``aux`` third with ``has_aux``."""
    api = "jvp(f, primals, tangents)"
    if not isinstance(primals, tuple):
        raise RuntimeError(
            f"{api}: Expected primals to be a tuple. E.g. it should be valid to call f(*primals)."
        )
    prim_leaves, prim_spec = flatten(primals)
    tan_leaves, tan_spec = flatten(tangents)
    if prim_spec != tan_spec:
        raise RuntimeError(
            f"{api}: Expected primals and tangents to have the same python structure. For "
            "example, if primals is a tuple of 3 tensors, tangents also must be. Got primals "
            f"with structure {prim_spec} and tangents with structure {tan_spec}"
        )
    for p, t in zip(prim_leaves, tan_leaves):
        if not isinstance(t, Tensor):
            raise RuntimeError(f"{api}: Expected tangents to be tensors, got {type(t)}")
        if t._data.dtype.kind not in "fc":
            raise ValueError(
                f"Expected tangent to be floating point or complex, but got: {t.dtype}"
            )
        if isinstance(p, Tensor) and tuple(p.shape) != tuple(t.shape):
            raise RuntimeError(
                "Trying to set a forward gradient that has a different size than that of the "
                f"original Tensor, this is not supported. Tensor is of size {list(p.shape)} "
                f"while the given forward gradient is of size {list(t.shape)}."
            )
    with _Level() as level, grad_mode.enable_grad():
        inputs = [level.lift(x) for x in prim_leaves]
        out, aux = _split_aux(func(*unflatten(inputs, prim_spec)), has_aux, api)
        outs, out_spec = _tensor_outputs(out, api)
        us = [level.leaf(zeros_like(o).detach()) for o in outs]
        vjps = _vjp_all(outs, inputs, us)
        pairs = [(g, t) for g, t in zip(vjps, tan_leaves) if g.requires_grad]
        found: tuple = (None,) * len(us)
        if pairs:
            found = _grad(
                [g for g, _ in pairs],
                us,
                [t for _, t in pairs],
                retain_graph=True,
                create_graph=True,
                allow_unused=True,
            )
        jv = [zeros_like(o) if g is None else g for g, o in zip(found, outs)]
    result = (level.release(out), level.release(unflatten(jv, out_spec)))
    return (*result, level.release(aux)) if has_aux else result


# ----- Jacobians and the Hessian ------------------------------------------------------------
def _jacobian_transform(
    func: Callable[..., Any], argnums: Any, has_aux: bool, api: str
) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with _Level() as level, grad_mode.enable_grad():
            new_args, inputs, specs = _lift_args(level, args, argnums)
            out, aux = _split_aux(func(*new_args, **kwargs), has_aux, api)
            outs, out_spec = _tensor_outputs(out, "vjp(f, *primals)")
            jac_per_output = []
            for o in outs:
                rows = _jacobian_rows(o, inputs)
                jac_per_output.append(_per_argnum(rows, specs, argnums))
        jac = level.release(unflatten(jac_per_output, out_spec))
        return (jac, level.release(aux)) if has_aux else jac

    return wrapper


def _jacobian_rows(o: Tensor, inputs: list[Tensor]) -> list[Tensor]:
    """d o / d x for each input x, shaped ``o.shape + x.shape``."""
    shape = tuple(o.shape)
    n = int(np.prod(shape, dtype=np.int64))
    if n == 0 or not o.requires_grad:
        return [zeros(*shape, *x.shape, dtype=x.dtype) for x in inputs]
    per_input: list[list[Tensor]] = [[] for _ in inputs]
    for k in range(n):
        onehot = np.zeros(n, dtype=o._data.dtype)
        onehot[k] = 1
        row = _vjp_all([o], inputs, [Tensor(onehot.reshape(shape))])
        for acc, g in zip(per_input, row):
            acc.append(g)
    return [stack(acc).reshape(*shape, *x.shape) for acc, x in zip(per_input, inputs)]


def jacrev(
    func: Callable[..., Any],
    argnums: int | tuple[int, ...] = 0,
    *,
    has_aux: bool = False,
    chunk_size: int | None = None,
    _preallocate_and_copy: bool = False,
) -> Callable[..., Any]:
    """A function returning the Jacobian of ``func`` with respect to the arguments at
    ``argnums``: for each output tensor (in the output's structure), ``out.shape +
    input.shape`` per input (a tuple of them for a tuple ``argnums``). ``chunk_size`` is
    accepted and does not change the result."""
    if chunk_size is not None and not (isinstance(chunk_size, int) and chunk_size > 0):
        raise ValueError("jacrev: `chunk_size` should be greater than 0.")
    return _jacobian_transform(func, argnums, has_aux, "jacrev(f, ...)(*args)")


def jacfwd(
    func: Callable[..., Any],
    argnums: int | tuple[int, ...] = 0,
    has_aux: bool = False,
    *,
    randomness: str = "error",
) -> Callable[..., Any]:
    """The Jacobian as ``jacrev`` gives it (torch's forward-mode version returns the same
    values; this one is computed in reverse mode). ``randomness`` is accepted and checked."""
    _check_randomness(randomness)
    return _jacobian_transform(func, argnums, has_aux, "jacfwd(f, ...)(*args)")


def hessian(func: Callable[..., Any], argnums: int | tuple[int, ...] = 0) -> Callable[..., Any]:
    """A function returning the Hessian of ``func`` (a scalar-valued function) with respect to
    the arguments at ``argnums``: ``jacfwd(jacrev(func, argnums), argnums)``."""
    return jacfwd(jacrev(func, argnums), argnums)


# ----- vmap ---------------------------------------------------------------------------------
def _check_chunk_size(chunk_size: Any) -> None:
    if chunk_size is not None and not (isinstance(chunk_size, int) and chunk_size > 0):
        raise ValueError(f"vmap: chunk_size should be None or greater than 0. (got {chunk_size})")


def _check_randomness(randomness: Any) -> None:
    if randomness not in ("error", "different", "same"):
        raise RuntimeError(
            "Only allowed values for randomness are 'error', 'different', or 'same'. Got "
            f"{randomness}"
        )


def _is_dim(d: Any) -> bool:
    return d is None or (isinstance(d, int) and not isinstance(d, bool))


def _rng_state() -> Any:
    return _random.default_generator().bit_generator.state


def vmap(
    func: Callable[..., Any],
    in_dims: int | tuple = 0,
    out_dims: int | tuple = 0,
    randomness: str = "error",
    *,
    chunk_size: int | None = None,
) -> Callable[..., Any]:
    """``func`` mapped over a dimension of its inputs: ``in_dims`` says which dimension of
    each input is mapped (an int for all, or a tuple matching the arguments, nested for
    containers; None for an input passed whole to every call), ``out_dims`` where the mapped
    dimension goes in each output (None: an output that is the same for every example).
    Computed as a loop over the mapped dimension (see the module docstring)."""
    name = getattr(func, "__name__", repr(func))
    _check_randomness(randomness)
    _check_chunk_size(chunk_size)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        where = f"vmap({name}, in_dims={in_dims}, ...)(<inputs>)"
        if not args:
            raise ValueError(
                f"vmap({name})(<inputs>): got no inputs. Maybe you forgot to add inputs, or "
                "you are trying to vmap over a function with no inputs. The latter is "
                "unsupported."
            )
        if not (_is_dim(in_dims) and in_dims is not None or isinstance(in_dims, tuple)):
            raise ValueError(
                f"{where}: expected `in_dims` to be int or a (potentially nested) tuple "
                f"matching the structure of inputs, got: {type(in_dims)}."
            )
        leaves, spec = flatten(args)
        dims = broadcast_prefix(
            in_dims if isinstance(in_dims, tuple) else (in_dims,) * len(args), args, _is_dim
        )
        if dims is None:
            raise ValueError(
                f"{where}: in_dims is not compatible with the structure of `inputs`. in_dims "
                f"has structure {flatten(in_dims)[1]} but inputs has structure {spec}."
            )
        sizes = []
        for x, d in zip(leaves, dims):
            if d is None:
                continue
            if not isinstance(x, Tensor):
                raise ValueError(
                    f"{where}: Got in_dim={d} for an input but the input is of type {type(x)}. "
                    "We cannot vmap over non-Tensor arguments, please use None as the "
                    "respective in_dim"
                )
            if not -x.dim() <= d < x.dim():
                raise ValueError(
                    f"{where}: Got in_dim={d} for some input, but that input is a Tensor of "
                    f"dimensionality {x.dim()} so expected in_dim to satisfy "
                    f"-{x.dim()} <= in_dim < {x.dim()}."
                )
            sizes.append(x.shape[d])
        if not sizes:
            raise ValueError("vmap: Expected at least one Tensor to vmap over")
        if len(set(sizes)) != 1:
            raise ValueError(
                "vmap: Expected all tensors to have the same size in the mapped dimension, "
                f"got sizes {sizes} for the mapped dimension"
            )

        def example(b: int | None) -> Any:
            """``func`` on example ``b`` (None: on zeros shaped as one example)."""
            sliced = [
                x if d is None else (x.select(d, b) if b is not None else _example_zeros(x, d))
                for x, d in zip(leaves, dims)
            ]
            return func(*unflatten(sliced, spec), **kwargs)

        batch = sizes[0]
        start = _rng_state()
        results = []
        for b in range(batch):
            if randomness == "same":
                _random.default_generator().bit_generator.state = start
            before = _rng_state()
            results.append(example(b))
            if randomness == "error" and _rng_state() != before:
                raise RuntimeError(
                    "vmap: called random operation while in randomness error mode. Please "
                    "either use the 'same' or 'different' randomness flags on vmap or perform "
                    "the randomness operation out of vmap"
                )
        if batch == 0:
            with grad_mode.no_grad():
                template = example(None)
            return _stack_outputs([template], out_dims, name, empty=True)
        return _stack_outputs(results, out_dims, name, empty=False)

    return wrapper


def _example_zeros(x: Tensor, d: int) -> Tensor:
    shape = list(x.shape)
    del shape[d]
    return zeros(*shape, dtype=x.dtype)


def _stack_outputs(results: list, out_dims: Any, name: str, empty: bool) -> Any:
    spec = flatten(results[0])[1]
    per_example = [flatten(r) for r in results]
    for _, s in per_example:
        if s != spec:
            raise ValueError(
                f"vmap({name}, ...): `{name}` must return outputs of the same structure for "
                f"every example, got {spec} and {s}"
            )
    dims = broadcast_prefix(out_dims, results[0], _is_dim)
    if dims is None:
        raise ValueError(
            f"vmap({name}, ..., out_dims={out_dims})(<inputs>): out_dims is not compatible "
            f"with the structure of `outputs`. out_dims has structure "
            f"{flatten(out_dims)[1]} but outputs has structure {spec}."
        )
    out = []
    for i, d in enumerate(dims):
        column = [leaves[i] for leaves, _ in per_example]
        first = column[0]
        if d is None:
            if any(not _same(first, c) for c in column[1:]):
                raise ValueError(
                    f"vmap({name}, ...): `{name}` can not return a BatchedTensor when out_dim "
                    "is None"
                )
            out.append(first)
            continue
        if not isinstance(first, Tensor):
            raise ValueError(
                f"vmap({name}, ...): `{name}` must only return Tensors, got type "
                f"{type(first)}. Did you mean to set out_dims= to None for output?"
            )
        rank = first.dim() + 1
        if not -rank <= d < rank:
            raise IndexError(
                f"Dimension out of range (expected to be in range of [{-rank}, {rank - 1}], "
                f"but got {d})"
            )
        if empty:
            shape = list(first.shape)
            shape.insert(d % rank, 0)
            out.append(zeros(*shape, dtype=first.dtype))
        else:
            out.append(stack(column, dim=d))
    return unflatten(out, spec)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, Tensor) and isinstance(b, Tensor):
        return a is b or (a.shape == b.shape and bool(np.array_equal(a._data, b._data)))
    return a is b or a == b


# ----- modules as functions -----------------------------------------------------------------
def functional_call(
    module: Any,
    parameter_and_buffer_dicts: dict[str, Any] | Sequence[dict[str, Any]],
    args: Any = None,
    kwargs: dict[str, Any] | None = None,
    *,
    tie_weights: bool = True,
    strict: bool = False,
) -> Any:
    """Call ``module(*args, **kwargs)`` with its parameters and buffers (by dotted name)
    replaced by the given tensors for the duration of the call (a dict, or a sequence of
    dicts with distinct keys); ``args`` that is not a tuple is one argument."""
    from .module_swap import call_with_tensors

    if isinstance(parameter_and_buffer_dicts, dict):
        tensors = parameter_and_buffer_dicts
    elif isinstance(parameter_and_buffer_dicts, Sequence) and not isinstance(
        parameter_and_buffer_dicts, str
    ):
        if not all(isinstance(d, dict) for d in parameter_and_buffer_dicts):
            raise ValueError(
                "Expected all elements of parameter_and_buffer_dicts to be dictionaries"
            )
        counts: dict[str, int] = {}
        for d in parameter_and_buffer_dicts:
            for k in d:
                counts[k] = counts.get(k, 0) + 1
        repeated = [k for k, n in counts.items() if n > 1]
        if repeated:
            raise ValueError(
                f"{repeated} appeared in multiple dictionaries; behavior of functional call "
                "is ambiguous"
            )
        tensors = {k: v for d in parameter_and_buffer_dicts for k, v in d.items()}
    else:
        raise ValueError(
            "Expected parameter_and_buffer_dicts to be a dict, or a list/tuple of dicts, but "
            f"got {type(parameter_and_buffer_dicts)}"
        )
    return call_with_tensors(module, tensors, args, kwargs, tie_weights=tie_weights, strict=strict)


def stack_module_state(models: Sequence[Any]) -> tuple[dict[str, Tensor], dict[str, Tensor]]:
    """``(params, buffers)``: each parameter and buffer of the models (all of one class and
    mode) stacked along a new first dimension, by name. The stacked parameters are new leaves
    (requiring grad when the models' do), unrelated to the models' own."""
    if len(models) == 0:
        raise RuntimeError("stack_module_state: Expected at least one model, got 0.")
    if not (all(m.training for m in models) or all(not m.training for m in models)):
        raise RuntimeError(
            "stack_module_state: Expected all models to have the same training/eval mode."
        )
    if len({type(m) for m in models}) != 1:
        raise RuntimeError("stack_module_state: Expected all models to be of the same class.")
    all_params = [dict(m.named_parameters()) for m in models]
    params = {}
    for k in all_params[0]:
        ps = [p[k] for p in all_params]
        grads = {p.requires_grad for p in ps}
        if len(grads) != 1:
            raise RuntimeError(f"Expected {k} from each model to have the same .requires_grad")
        with grad_mode.no_grad():
            stacked = stack([p.detach() for p in ps])
        params[k] = stacked.requires_grad_(True) if grads.pop() else stacked
    all_buffers = [dict(m.named_buffers()) for m in models]
    buffers = {}
    for k in all_buffers[0]:
        with grad_mode.no_grad():
            buffers[k] = stack([_as_tensor(b[k]) for b in all_buffers])
    return params, buffers


def _as_tensor(x: Any) -> Tensor:
    return x.detach() if isinstance(x, Tensor) else Tensor(np.asarray(x))
