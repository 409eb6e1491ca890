"""Training utilities: gradient clipping, datasets and loaders, variable-length sequences
(``rnn``), and training diagnostics."""

from . import (
    checkpoint,
    data,
    diagnostics,
    parametrizations,
    parametrize,
    prune,
    rnn,
    stateless,
)
from .clip_grad import clip_grad_norm_, clip_grad_value_
from .convert_parameters import parameters_to_vector, vector_to_parameters
from .data import DataLoader
from .diagnostics import (
    activation_stats,
    dead_fraction,
    diagnose,
    grad_norms,
    plot_diagnostics,
    saturated_fraction,
    update_ratios,
)
from .early_stopping import EarlyStopping
from .reparametrised_weights import (
    remove_spectral_norm,
    remove_weight_norm,
    spectral_norm,
    weight_norm,
)

__all__ = [
    "clip_grad_norm_",
    "clip_grad_value_",
    "DataLoader",
    "data",
    "rnn",
    "stateless",
    "checkpoint",
    "prune",
    "parametrizations",
    "parametrize",
    "activation_stats",
    "dead_fraction",
    "diagnose",
    "diagnostics",
    "grad_norms",
    "plot_diagnostics",
    "saturated_fraction",
    "update_ratios",
    "EarlyStopping",
    "parameters_to_vector",
    "vector_to_parameters",
    "weight_norm",
    "remove_weight_norm",
    "spectral_norm",
    "remove_spectral_norm",
]
