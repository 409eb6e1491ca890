"""Activations and losses as functions, with PyTorch's names and signatures."""
