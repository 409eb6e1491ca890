"""``nn.parallel``: torch.nn.parallel's wrappers as they behave on a machine without an
accelerator: ``DataParallel`` holds the module and calls it (PyTorch's CPU-only path), and
``DistributedDataParallel`` names the missing process group, so scripts that wrap their model
unconditionally, or import DDP at the top and use it only under torchrun, run in one process."""

from __future__ import annotations

from typing import Any

from autograd import distributed

from .module import Module


class DataParallel(Module):
    """``DataParallel(module, device_ids=None, output_device=None, dim=0)``: with no
    accelerator (always here) PyTorch keeps ``module`` as the submodule ``module`` (so the
    state_dict keys gain the ``module.`` prefix), sets ``device_ids = []`` and makes
    ``forward`` call the module unchanged; this does the same."""

    def __init__(
        self, module: Module, device_ids: Any = None, output_device: Any = None, dim: int = 0
    ) -> None:
        super().__init__()
        self.module = module
        self.device_ids: list[int] = []

    def forward(self, *inputs: Any, **kwargs: Any) -> Any:
        return self.module(*inputs, **kwargs)


class DistributedDataParallel(Module):
    """Needs an initialised process group, which a single process of this library never has:
    constructing one raises PyTorch's error for that case."""

    def __init__(self, module: Module, device_ids: Any = None, *args: Any, **kwargs: Any) -> None:
        raise ValueError("DistributedDataParallel: " + distributed._NOT_INITIALISED)  # noqa: SLF001
