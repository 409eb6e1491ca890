"""The lesson and architecture demos added for issue 13, by module name (``python -m demos.NAME``).

Kept apart from ``demos.STORIES`` so that branches adding demos merge cleanly; the smoke
tests run both lists.
"""

LESSONS: tuple[str, ...] = (
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
