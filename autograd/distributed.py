"""``autograd.distributed``: what ``torch.distributed`` answers in a single CPU process.

This library has no process groups and no communication backend. Scripts that import the
distributed names at the top and use them only when launched by ``torchrun`` (nanoGPT's
train.py: ``ddp = int(os.environ.get('RANK', -1)) != -1``) import and run unchanged;
calling into a process group raises the error PyTorch raises before one is initialised.
"""

from __future__ import annotations

from typing import Any

_NOT_INITIALISED = (
    "Default process group has not been initialized, please make sure to call init_process_group."
)


def is_available() -> bool:
    """False: there is no distributed backend here."""
    return False


def is_initialized() -> bool:
    """False: no process group can be initialised here."""
    return False


def init_process_group(
    backend: str | None = None,
    init_method: str | None = None,
    timeout: Any = None,
    world_size: int = -1,
    rank: int = -1,
    store: Any = None,
    group_name: str = "",
    pg_options: Any = None,
    device_id: Any = None,
) -> None:
    """Refused: this library runs in one process and has no distributed backend."""
    raise RuntimeError(
        f"init_process_group(backend={backend!r}): this library runs in a single CPU process "
        "and has no distributed backend; run the script without torchrun (RANK unset)"
    )


def destroy_process_group(group: Any = None) -> None:
    """Raises ValueError, as PyTorch does when no process group was initialised."""
    raise ValueError(_NOT_INITIALISED)


def get_rank(group: Any = None) -> int:
    """Raises ValueError, as PyTorch does when no process group was initialised."""
    raise ValueError(_NOT_INITIALISED)


def get_world_size(group: Any = None) -> int:
    """Raises ValueError, as PyTorch does when no process group was initialised."""
    raise ValueError(_NOT_INITIALISED)


def barrier(group: Any = None, async_op: bool = False, device_ids: Any = None) -> None:
    """Raises ValueError, as PyTorch does when no process group was initialised."""
    raise ValueError(_NOT_INITIALISED)
