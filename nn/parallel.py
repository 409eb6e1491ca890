"""``nn.parallel``: torch.nn.parallel's DistributedDataParallel name, so that scripts which
import it at the top (and wrap their model only under torchrun) run in one process."""

from __future__ import annotations

from typing import Any

from autograd import distributed

from .module import Module


class DistributedDataParallel(Module):
    """Needs an initialised process group, which a single process of this library never has:
    constructing one raises PyTorch's error for that case."""

    def __init__(self, module: Module, device_ids: Any = None, *args: Any, **kwargs: Any) -> None:
        raise ValueError("DistributedDataParallel: " + distributed._NOT_INITIALISED)  # noqa: SLF001
