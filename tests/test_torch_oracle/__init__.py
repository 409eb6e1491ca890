"""The library against PyTorch as the oracle: same inputs and arguments, same values and gradients.

Every module here skips itself when torch is not installed.
"""
