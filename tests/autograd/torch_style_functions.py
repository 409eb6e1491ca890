"""Custom autograd Functions written for PyTorch, as its documentation and tutorials print
them, built against a library (``lib`` is ``autograd`` or ``torch``): the same source runs
on both, for tests/autograd/test_user_functions.py and its torch oracle twin."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any


def build(lib: Any) -> SimpleNamespace:
    """The Functions, each defined with ``lib.autograd.Function``."""
    Function = lib.autograd.Function
    once_differentiable = lib.autograd.function.once_differentiable

    class MyReLU(Function):  # the tutorial "Learning PyTorch with Examples" (older edition)
        @staticmethod
        def forward(ctx, input):
            ctx.save_for_backward(input)
            return input.clamp(min=0)

        @staticmethod
        def backward(ctx, grad_output):
            (input,) = ctx.saved_tensors
            grad_input = grad_output.clone()
            grad_input[input < 0] = 0
            return grad_input

    class LinearFunction(Function):  # "Extending PyTorch"
        @staticmethod
        def forward(ctx, input, weight, bias=None):
            ctx.save_for_backward(input, weight, bias)
            output = input.mm(weight.t())
            if bias is not None:
                output += bias.unsqueeze(0).expand_as(output)
            return output

        @staticmethod
        def backward(ctx, grad_output):
            input, weight, bias = ctx.saved_tensors
            grad_input = grad_weight = grad_bias = None
            if ctx.needs_input_grad[0]:
                grad_input = grad_output.mm(weight)
            if ctx.needs_input_grad[1]:
                grad_weight = grad_output.t().mm(input)
            if bias is not None and ctx.needs_input_grad[2]:
                grad_bias = grad_output.sum(0)
            return grad_input, grad_weight, grad_bias

    class LinearWithSetup(Function):  # torch 2's form: forward without ctx, setup_context
        @staticmethod
        def forward(input, weight, bias):
            return input.mm(weight.t()) + bias

        @staticmethod
        def setup_context(ctx, inputs, output):
            input, weight, bias = inputs
            ctx.save_for_backward(input, weight)

        @staticmethod
        def backward(ctx, grad_output):
            input, weight = ctx.saved_tensors
            return grad_output.mm(weight), grad_output.t().mm(input), grad_output.sum(dim=0)

    class MulConstant(Function):  # "Extending PyTorch": a non-tensor argument
        @staticmethod
        def forward(ctx, tensor, constant):
            ctx.constant = constant
            return tensor * constant

        @staticmethod
        def backward(ctx, grad_output):
            return grad_output * ctx.constant, None

    class Exp(Function):  # torch.autograd.Function's docstring
        @staticmethod
        def forward(ctx, i):
            result = i.exp()
            ctx.save_for_backward(result)
            return result

        @staticmethod
        def backward(ctx, grad_output):
            (result,) = ctx.saved_tensors
            return grad_output * result

    class ExpOfModule(Function):  # the module's function on the raw input, a tensor back
        @staticmethod
        def forward(ctx, i):
            result = lib.exp(i)
            ctx.save_for_backward(result)
            return result

        @staticmethod
        def backward(ctx, grad_output):
            (result,) = ctx.saved_tensors
            return grad_output * result

    class Softmax(Function):  # Tensor methods with dim= keywords, size(), view, transpose
        @staticmethod
        def forward(ctx, x):
            shifted = x - x.max(dim=1, keepdim=True)[0]
            e = shifted.exp()
            s = e / e.sum(dim=1, keepdim=True)
            ctx.save_for_backward(s)
            return s

        @staticmethod
        def backward(ctx, g):
            (s,) = ctx.saved_tensors
            n = g.size(0)
            flat = (g * s).view(n, -1)
            inner = flat.transpose(0, 1).sum(dim=0, keepdim=True).transpose(0, 1)
            return s * (g - inner)

    class ClampedSquare(Function):  # in-place methods on forward's own arrays
        @staticmethod
        def forward(ctx, x):
            y = x.clone()
            y.clamp_(-1.0, 1.0)
            ctx.save_for_backward(x)
            return y.mul_(y)

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            inside = (x.abs() <= 1.0).to(x.dtype)
            return g * 2 * x.clamp(-1.0, 1.0) * inside

    class OnceCube(Function):  # backward on raw data only
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x**3

        @staticmethod
        @once_differentiable
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return g * 3 * x**2

    class Argmax(Function):  # an output marked non-differentiable
        @staticmethod
        def forward(ctx, x):
            out = (x == x.max(dim=-1, keepdim=True)[0]).to(x.dtype)
            ctx.mark_non_differentiable(out)
            return out

        @staticmethod
        def backward(ctx, g):
            return None

    class Sort(Function):  # "Extending PyTorch": mark_non_differentiable, two outputs
        @staticmethod
        def forward(ctx, x):
            sorted, idx = x.sort()
            ctx.mark_non_differentiable(idx)
            ctx.save_for_backward(x, idx)
            return sorted, idx

        @staticmethod
        def backward(ctx, g1, g2):  # still need to accept g2
            x, idx = ctx.saved_tensors
            grad_input = lib.zeros_like(x)
            grad_input.index_add_(0, idx, g1)
            return grad_input

    class ProductAndExp(Function):  # two differentiable outputs, one saved for backward
        @staticmethod
        def forward(ctx, x, y):
            a = x * y
            b = x.exp()
            ctx.save_for_backward(x, y, b)
            return a, b

        @staticmethod
        def backward(ctx, ga, gb):
            x, y, b = ctx.saved_tensors
            return ga * y + gb * b, ga * x

    class ScaledPair(Function):  # unused outputs' gradients as None, not zeros
        @staticmethod
        def forward(ctx, x):
            ctx.set_materialize_grads(False)
            ctx.save_for_backward(x)
            return x * 2, x * x

        @staticmethod
        def backward(ctx, g_double, g_square):
            (x,) = ctx.saved_tensors
            ctx.got = (g_double is not None, g_square is not None)
            grad = x * 0
            if g_double is not None:
                grad = grad + 2 * g_double
            if g_square is not None:
                grad = grad + 2 * x * g_square
            return grad

    return SimpleNamespace(**{k: v for k, v in locals().items() if isinstance(v, type)})
