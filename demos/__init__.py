"""Runnable stories from the lecture notes, each writing its pictures to a folder.

``python -m demos`` runs the flagship (an MLP on two moons with the Tensor engine);
``python -m demos.NAME`` runs one story. Every story takes ``--out FOLDER`` (default
``demo_output/NAME``) and ``--quick`` (small settings), and has ``main(out_dir, quick=False)``.

The stories are listed in ``STORIES`` (``python -m demos --help`` prints them with their
summaries).
"""

import os

# Small matrices: OpenBLAS's threads only spin against each other (on this shared 2-core
# machine a 128x64 @ 64x64 product took 17 ms instead of 0.04 ms). Set before numpy loads.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

STORIES = (
    "forward_pass",
    "backprop_worked",
    "moons_value",
    "gradient_descent",
    "batch_sizes",
    "optimizers",
    "activations",
    "losses",
    "softmax_stability",
    "xor",
    "vanishing_gradients",
    "learning_curves",
    "digits",
    "output_layers",
    "gan",
    "autoencoder",
    "adagrad_decay",
    "clipping",
    "gradient_variance",
    "softmax_temperature",
    "dropout_l2",
    "early_stopping",
    "quasi_newton",
    "growing_batch",
    "cnn_digits",
    "char_rnn",
    "char_transformer",
    "style_transfer",
)
