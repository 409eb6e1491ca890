"""``autograd.backends.mps``: Apple's Metal backend, which this library does not have."""


def is_available() -> bool:
    """False: there is no MPS device."""
    return False


def is_built() -> bool:
    """False: the library has no MPS support."""
    return False
