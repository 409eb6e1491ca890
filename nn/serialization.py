"""``nn.save`` / ``nn.load``: the same functions as ``autograd.save`` / ``autograd.load``
(see ``autograd.serialization``: a zip of ``.npy`` arrays and a JSON manifest, never pickle)."""

from autograd.serialization import UnreadableCheckpointError, load, save

__all__ = ["UnreadableCheckpointError", "load", "save"]
