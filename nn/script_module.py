"""``torch.jit.ScriptModule`` (reached as ``autograd.jit.ScriptModule``, since ``import torch``
becomes ``import autograd as torch``): the base class of PyTorch's older scripting style, where
a subclass marks methods with ``@torch.jit.script_method`` (RWKV's ``RWKV_RNN``). TorchScript
compiles those methods; here every method runs as the Python it is, so the class is an
nn.Module that models subclass and that ``isinstance`` recognises."""

from __future__ import annotations

from .module import Module


class ScriptModule(Module):
    """An nn.Module whose subclasses may mark methods with ``autograd.jit.script_method``."""
