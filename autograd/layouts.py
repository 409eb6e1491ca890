"""Memory layouts (PyTorch's ``torch.layout``): ``strided`` for dense tensors, ``sparse_coo``
for sparse COO tensors (``autograd.sparse_coo_tensor``)."""

from __future__ import annotations


class layout:  # noqa: N801 (torch's class name)
    """A tensor's layout; prints as its name in this library (``autograd.sparse_coo``)."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"autograd.{self.name}"

    def __reduce__(self) -> str:
        return self.name  # pickles as the module attribute (one object per layout)


strided = layout("strided")
sparse_coo = layout("sparse_coo")
