"""``autograd.backends.cuda``: CUDA's backend switches; ``matmul`` holds cuBLAS's precision
switches (torch's defaults), kept so that scripts can set them
(``backends.cuda.matmul.allow_tf32 = True``). The library has no CUDA; nothing reads them."""

from __future__ import annotations


class _CuBLAS:
    """cuBLAS's switches. A misspelt switch is an AttributeError, as in torch."""

    __slots__ = (
        "allow_tf32",
        "allow_fp16_reduced_precision_reduction",
        "allow_bf16_reduced_precision_reduction",
    )

    def __init__(self) -> None:
        self.allow_tf32 = False
        self.allow_fp16_reduced_precision_reduction = True
        self.allow_bf16_reduced_precision_reduction = True


matmul = _CuBLAS()


def is_built() -> bool:
    """False: the library has no CUDA support."""
    return False
