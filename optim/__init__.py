"""Optimizers and learning-rate schedules for Value and Tensor parameters."""

from . import lr_scheduler
from .adadelta import Adadelta
from .adagrad import Adagrad
from .adam import Adam, AdamW
from .bfgs import BFGS
from .conjugate_gradient import ConjugateGradient
from .lbfgs import LBFGS
from .newton import Newton
from .optimizer import Optimizer
from .rmsprop import RMSprop
from .sgd import SGD

__all__ = [
    "Optimizer",
    "SGD",
    "Adagrad",
    "RMSprop",
    "Adadelta",
    "Adam",
    "AdamW",
    "LBFGS",
    "Newton",
    "ConjugateGradient",
    "lr_scheduler",
    "BFGS",
]
