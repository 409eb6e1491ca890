"""Higher-level differentiation of functions, as ``torch.autograd.functional``: ``jacobian``,
``hessian``, ``vjp``, ``jvp``, ``hvp``, ``vhp``.

Each takes ``func`` (Tensors in, a Tensor or a tuple of Tensors out) and ``inputs`` (a Tensor
or a tuple of Tensors), and returns results shaped as PyTorch's: one level of tuple per tuple
given (``jacobian(f, (x, y))[i][j]`` has shape ``out_i.shape + in_j.shape``). Everything is
built on ``autograd.grad``: a Jacobian is one vector-Jacobian product per output element, and
forward-mode products (``jvp``, ``hvp``) use the double-backward trick (the gradient of a
vector-Jacobian product with respect to its vector is a Jacobian-vector product).

Without ``create_graph`` the results carry no history; with it they are differentiable.
``strict=True`` refuses an output that does not depend on an input (instead of returning
zeros for it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import grad_mode
from .creation import zeros, zeros_like
from .functions import stack
from .grad import grad as _grad
from .tensor import Tensor

__all__ = ["vjp", "jvp", "jacobian", "hessian", "hvp", "vhp"]


def _as_tuple(x: Any, arg_name: str, fn_name: str) -> tuple[bool, tuple]:
    """(was ``x`` a tuple?, ``x`` as a tuple of Tensors)."""
    is_tuple = isinstance(x, tuple)
    items = x if is_tuple else (x,)
    for i, el in enumerate(items):
        if not isinstance(el, Tensor):
            where = f"the value at index {i}" if is_tuple else f"the given {arg_name}"
            raise TypeError(
                f"The {arg_name} given to {fn_name} must be either a Tensor or a tuple of "
                f"Tensors but {where} has type {type(el)}."
            )
    return is_tuple, items


def _unpack(res: Any, to_unpack: bool | tuple[bool, bool]) -> Any:
    """Undo ``_as_tuple``: drop the tuple levels the caller did not give."""
    if isinstance(to_unpack, tuple):
        if not to_unpack[1]:
            res = tuple(el[0] for el in res)
        if not to_unpack[0]:
            res = res[0]
    elif not to_unpack:
        res = res[0]
    return res


def _preprocess(inputs: tuple, create_graph: bool, need_graph: bool) -> tuple:
    """New Tensor objects for the inputs, so that the gradients found are with respect to
    these very arguments (not the same tensors captured by ``func`` from outside): a
    differentiable view when the caller wants gradients to flow back to them, else a detached
    copy that requires grad if ``need_graph``."""
    out = []
    for inp in inputs:
        if create_graph and inp.requires_grad:
            out.append(inp.view_as(inp))
        else:
            out.append(inp.detach().requires_grad_(need_graph))
    return tuple(out)


def _postprocess(res: Any, create_graph: bool) -> Any:
    if isinstance(res, tuple):
        return tuple(_postprocess(r, create_graph) for r in res)
    return res if create_graph else res.detach()


def _validate_v(v: tuple, other: tuple, is_other_tuple: bool) -> None:
    if len(other) != len(v):
        if is_other_tuple:
            raise RuntimeError(
                f"v is a tuple of invalid length: should be {len(other)} but got {len(v)}."
            )
        raise RuntimeError("The given v should contain a single Tensor.")
    for idx, (el_v, el_other) in enumerate(zip(v, other)):
        if el_v.shape != el_other.shape:
            prefix = f"Entry {idx} in " if is_other_tuple else ""
            raise RuntimeError(
                f"{prefix}v has invalid size: should be {el_other.size()} but got {el_v.size()}."
            )


def _check_requires_grad(items: tuple, kind: str, strict: bool) -> None:
    if not strict:
        return
    for i, it in enumerate(items):
        if it is None:
            raise RuntimeError(_STAGE_ERRORS["back"].format(i=i))
        if not it.requires_grad:
            if kind == "hessian":
                raise RuntimeError(
                    f"The hessian of the user-provided function with respect to input {i} is "
                    "independent of the input. This is not allowed in strict mode. You should "
                    "ensure that your function is thrice differentiable and that the hessian "
                    "depends on the inputs."
                )
            if kind == "jacobian":
                raise RuntimeError(
                    "While computing the hessian, found that the jacobian of the user-provided "
                    f"function with respect to input {i} is independent of the input. This is "
                    "not allowed in strict mode. You should ensure that your function is twice "
                    "differentiable and that the jacobian depends on the inputs (this would be "
                    "violated by a linear function for example)."
                )
            if kind == "grad_inputs":
                raise RuntimeError(
                    f"The gradient with respect to input {i} is independent of the inputs of "
                    "the user-provided function. This is not allowed in strict mode."
                )
            raise RuntimeError(
                f"Output {i} of the user-provided function does not require gradients. The "
                "outputs must be computed in a differentiable manner from the input when "
                "running in strict mode."
            )


def _autograd_grad(
    outputs: tuple,
    inputs: tuple,
    grad_outputs: tuple | None = None,
    create_graph: bool = False,
    retain_graph: bool | None = None,
) -> tuple:
    """``autograd.grad`` that skips outputs without history and gives None for unused
    inputs."""
    if grad_outputs is None:
        grad_outputs = (None,) * len(outputs)
    outs, gos = [], []
    for out, go in zip(outputs, grad_outputs):
        if out is not None and out.requires_grad:
            outs.append(out)
            gos.append(go)
    if not outs:
        return (None,) * len(inputs)
    return _grad(
        outs,
        list(inputs),
        gos,
        retain_graph=retain_graph,
        create_graph=create_graph,
        allow_unused=True,
    )


_STAGE_ERRORS = {
    "back": "The output of the user-provided function is independent of input {i}. This is "
    "not allowed in strict mode.",
    "back_trick": "The gradient with respect to the input is independent of entry {i} in the "
    "grad_outputs when using the double backward trick to compute forward mode gradients. "
    "This is not allowed in strict mode.",
    "double_back": "The jacobian of the user-provided function is independent of input {i}. "
    "This is not allowed in strict mode.",
    "double_back_trick": "The hessian of the user-provided function is independent of entry "
    "{i} in the grad_jacobian. This is not allowed in strict mode as it prevents from using "
    "the double backward trick to replace forward mode AD.",
    "jacobian": "Output {out} of the user-provided function is independent of input {i}. This "
    "is not allowed in strict mode.",
}


def _fill_in_zeros(
    grads: tuple, refs: tuple, strict: bool, create_graph: bool, stage: str, out: int = 0
) -> tuple:
    """Zeros (shaped as ``refs``) where an input was unused; in strict mode, an error.
    ``out``: the output whose gradients these are (``jacobian``, one output at a time)."""
    res = []
    for i, g in enumerate(grads):
        if g is None:
            if strict:
                raise RuntimeError(_STAGE_ERRORS[stage].format(i=i, out=out))
            g = zeros_like(refs[i])
        elif strict and create_graph and not g.requires_grad:
            what = "hessian" if "double" in stage else "jacobian"
            raise RuntimeError(
                f"The {what} of the user-provided function is independent of input "
                f"{out if stage == 'jacobian' else i}. This is not allowed in strict mode when "
                "create_graph=True."
            )
        res.append(g)
    return tuple(res)


def _prepared_inputs(inputs: Any, create_graph: bool, fn: str) -> tuple[bool, tuple]:
    """(was ``inputs`` a tuple?, the inputs as new Tensors that require grad)."""
    is_tuple, ins = _as_tuple(inputs, "inputs", fn)
    return is_tuple, _preprocess(ins, create_graph=create_graph, need_graph=True)


def _called(func: Callable[..., Any], ins: tuple, strict: bool, fn: str) -> tuple[bool, tuple]:
    """(did ``func`` return a tuple?, its outputs at ``ins`` as a tuple), checked."""
    is_tuple, outputs = _as_tuple(func(*ins), "outputs of the user-provided function", fn)
    _check_requires_grad(outputs, "outputs", strict)
    return is_tuple, outputs


def _scalar_gradient(
    func: Callable[..., Any], ins: tuple, strict: bool, fn: str
) -> tuple[bool, tuple, tuple]:
    """``_called`` for a function of one element, and its gradient (with its graph)."""
    is_tuple, outputs = _called(func, ins, strict, fn)
    _scalar_output(outputs, is_tuple, fn)
    jac = _autograd_grad(outputs, ins, create_graph=True)
    _check_requires_grad(jac, "jacobian", strict)
    return is_tuple, outputs, jac


def _product(
    outputs: tuple,
    is_outputs_tuple: bool,
    grads: tuple,
    wrt: tuple,
    vt: Any,
    refs: tuple,
    is_result_tuple: bool,
    strict: bool,
    create_graph: bool,
    stage: str,
) -> tuple[Any, Any]:
    """The last step of ``vjp``, ``jvp``, ``vhp``, ``hvp``: the gradient of ``grads`` with
    respect to ``wrt`` weighted by ``vt`` (zeros shaped as ``refs`` where unused), and
    ``(outputs, result)`` shaped as the caller gave them."""
    with grad_mode.set_grad_enabled(create_graph or grad_mode.is_grad_enabled()):
        res = _autograd_grad(grads, wrt, vt, create_graph=create_graph)
        result = _fill_in_zeros(res, refs, strict, create_graph, stage)
    return (
        _unpack(_postprocess(outputs, create_graph), is_outputs_tuple),
        _unpack(_postprocess(result, create_graph), is_result_tuple),
    )


_INPUT = "input to the user-provided function"


def _check_v(v: Any, against: tuple, is_tuple: bool, create_graph: bool, fn: str, what: str):
    if v is not None:
        _, vt = _as_tuple(v, "v", fn)
        vt = _preprocess(vt, create_graph=create_graph, need_graph=False)
        _validate_v(vt, against, is_tuple)
        return vt
    if len(against) != 1 or against[0].numel() != 1:
        raise RuntimeError(
            f"The vector v can only be None if the {what} is a single Tensor with a single element."
        )
    return None


def vjp(
    func: Callable[..., Any],
    inputs: Any,
    v: Any = None,
    create_graph: bool = False,
    strict: bool = False,
) -> tuple[Any, Any]:
    """``(func(*inputs), v^T J)``: the vector-Jacobian product of ``func`` at ``inputs``.

    ``v`` has the shape of ``func``'s output (may be omitted for a one-element output).
    """
    with grad_mode.enable_grad():
        is_inputs_tuple, ins = _prepared_inputs(inputs, create_graph, "vjp")
        is_outputs_tuple, outputs = _called(func, ins, strict, "vjp")
        vt = _check_v(
            v, outputs, is_outputs_tuple, create_graph, "vjp", "user-provided function returns"
        )
    return _product(outputs, is_outputs_tuple, outputs, ins, vt, ins, is_inputs_tuple, strict,
                    create_graph, "back")  # fmt: skip


def jvp(
    func: Callable[..., Any],
    inputs: Any,
    v: Any = None,
    create_graph: bool = False,
    strict: bool = False,
) -> tuple[Any, Any]:
    """``(func(*inputs), J v)``: the Jacobian-vector product of ``func`` at ``inputs``.

    ``v`` has the shape of ``inputs`` (may be omitted for a one-element input). Computed with
    the double-backward trick: u -> u^T J is linear in u, and its gradient with respect to u,
    weighted by v, is J v.
    """
    with grad_mode.enable_grad():
        is_inputs_tuple, ins = _prepared_inputs(inputs, create_graph, "jvp")
        vt = _check_v(v, ins, is_inputs_tuple, create_graph, "jvp", _INPUT)
        is_outputs_tuple, outputs = _called(func, ins, strict, "jvp")
        # backward is linear in u, so u's value does not matter (zeros: no inf or NaN)
        us = tuple(zeros_like(out, requires_grad=True) for out in outputs)
        grad_inputs = _autograd_grad(outputs, ins, us, create_graph=True)
        _check_requires_grad(grad_inputs, "grad_inputs", strict)
    return _product(outputs, is_outputs_tuple, grad_inputs, us, vt, outputs, is_outputs_tuple,
                    strict, create_graph, "back_trick")  # fmt: skip


def jacobian(
    func: Callable[..., Any],
    inputs: Any,
    create_graph: bool = False,
    strict: bool = False,
    vectorize: bool = False,
    strategy: str = "reverse-mode",
) -> Any:
    """The Jacobian of ``func`` at ``inputs``: entry [i][j] (levels dropped where a single
    Tensor was given) has shape ``outputs[i].shape + inputs[j].shape``.

    ``vectorize`` and ``strategy="forward-mode"`` are accepted with PyTorch's restrictions
    (forward mode needs ``vectorize=True`` and refuses ``create_graph`` and ``strict``); they
    give the same numbers, computed one output element at a time in reverse mode.
    """
    if strategy not in ("forward-mode", "reverse-mode"):
        raise AssertionError(
            'Expected strategy to be either "forward-mode" or "reverse-mode". Hint: If your '
            'function has more outputs than inputs, "forward-mode" tends to be more '
            'performant. Otherwise, prefer to use "reverse-mode".'
        )
    if strategy == "forward-mode":
        if create_graph:
            raise NotImplementedError(
                "autograd.functional.jacobian: `create_graph=True` and "
                '`strategy="forward-mode"` are not supported together (yet). Please either '
                'set `create_graph=False` or `strategy="reverse-mode"`.'
            )
        if strict:
            raise RuntimeError(
                'autograd.functional.jacobian: `strict=True` and `strategy="forward-mode"` '
                "are not supported together (yet). Please either set `strict=False` or "
                '`strategy="reverse-mode"`.'
            )
        if not vectorize:
            raise NotImplementedError(
                "Computing Jacobian using forward-AD or forward-over-reverse Hessian is only "
                "implemented for `vectorize=True`."
            )
    with grad_mode.enable_grad():
        is_inputs_tuple, ins = _prepared_inputs(inputs, create_graph, "jacobian")
        is_outputs_tuple, outputs = _called(func, ins, strict, "jacobian")
        if vectorize and strict:
            raise RuntimeError(
                "autograd.functional.jacobian: `strict=True` and `vectorized=True` are not "
                "supported together. Please either set `strict=False` or `vectorize=False`."
            )
        jac = []
        for i, out in enumerate(outputs):
            rows: list[list[Any]] = [[] for _ in ins]
            flat = out.reshape(-1)
            for k in range(out.numel()):
                vj = _autograd_grad((flat[k],), ins, retain_graph=True, create_graph=create_graph)
                for j, g in enumerate(_fill_in_zeros(vj, ins, strict, create_graph, "jacobian", i)):
                    rows[j].append(g)
            jac.append(
                tuple(
                    _stack_rows(r, tuple(out.shape) + tuple(inp.shape), inp)
                    for r, inp in zip(rows, ins)
                )
            )
    return _unpack(_postprocess(tuple(jac), create_graph), (is_outputs_tuple, is_inputs_tuple))


def _stack_rows(rows: list, shape: tuple, like: Tensor) -> Any:
    if not rows:  # an output with no elements
        return zeros(shape, dtype=like.dtype)
    return stack(rows, 0).reshape(shape)


def hessian(
    func: Callable[..., Any],
    inputs: Any,
    create_graph: bool = False,
    strict: bool = False,
    vectorize: bool = False,
    outer_jacobian_strategy: str = "reverse-mode",
) -> Any:
    """The Hessian of the scalar function ``func`` at ``inputs``: entry [i][j] has shape
    ``inputs[i].shape + inputs[j].shape`` (levels dropped where a single Tensor was given)."""
    is_inputs_tuple, ins = _as_tuple(inputs, "inputs", "hessian")
    if outer_jacobian_strategy not in ("forward-mode", "reverse-mode"):
        raise AssertionError('Expected strategy to be either "forward-mode" or "reverse-mode".')

    def single_output(*inp: Any) -> Any:
        is_out_tuple, t_out = _called(func, inp, strict, "hessian")
        _scalar_output(t_out, is_out_tuple, "hessian")
        return t_out[0].squeeze()

    def jac_func(*inp: Any) -> Any:
        if outer_jacobian_strategy == "forward-mode":
            inp = tuple(t.requires_grad_(True) for t in inp)
        jac = jacobian(single_output, inp, create_graph=True)
        _check_requires_grad(jac, "jacobian", strict)
        return jac

    res = jacobian(
        jac_func,
        ins,
        create_graph=create_graph,
        strict=strict,
        vectorize=vectorize,
        strategy=outer_jacobian_strategy,
    )
    return _unpack(res, (is_inputs_tuple, is_inputs_tuple))


def _scalar_output(outputs: tuple, is_tuple: bool, fn: str) -> None:
    if is_tuple:
        raise RuntimeError(f"The function given to {fn} should return a single Tensor")
    if outputs[0].numel() != 1:
        raise RuntimeError(
            f"The Tensor returned by the function given to {fn} should contain a single element"
        )


def vhp(
    func: Callable[..., Any],
    inputs: Any,
    v: Any = None,
    create_graph: bool = False,
    strict: bool = False,
) -> tuple[Any, Any]:
    """``(func(*inputs), v^T H)``: the vector-Hessian product of the scalar ``func``."""
    with grad_mode.enable_grad():
        is_inputs_tuple, ins = _prepared_inputs(inputs, create_graph, "vhp")
        vt = _check_v(v, ins, is_inputs_tuple, create_graph, "vhp", _INPUT)
        is_outputs_tuple, outputs, jac = _scalar_gradient(func, ins, strict, "vhp")
    return _product(outputs, is_outputs_tuple, jac, ins, vt, ins, is_inputs_tuple, strict,
                    create_graph, "double_back")  # fmt: skip


def hvp(
    func: Callable[..., Any],
    inputs: Any,
    v: Any = None,
    create_graph: bool = False,
    strict: bool = False,
) -> tuple[Any, Any]:
    """``(func(*inputs), H v)``: the Hessian-vector product of the scalar ``func`` (by the
    double-backward trick; equal to ``vhp`` for a twice continuously differentiable func)."""
    with grad_mode.enable_grad():
        is_inputs_tuple, ins = _prepared_inputs(inputs, create_graph, "hvp")
        vt = _check_v(v, ins, is_inputs_tuple, create_graph, "hvp", _INPUT)
        is_outputs_tuple, outputs, jac = _scalar_gradient(func, ins, strict, "hvp")
        us = tuple(zeros_like(inp, requires_grad=True) for inp in ins)
        double_back = _autograd_grad(jac, ins, us, create_graph=True)
        _check_requires_grad(jac, "hessian", strict)
    return _product(outputs, is_outputs_tuple, double_back, us, vt, ins, is_inputs_tuple, strict,
                    create_graph, "double_back_trick")  # fmt: skip
