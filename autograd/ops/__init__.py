"""The built-in ops, each a ``Function`` with its derivative beside its forward."""
