"""Activations and losses as functions, with PyTorch's names and signatures."""

from .activations import (
    celu,
    elu,
    gelu,
    glu,
    hardshrink,
    hardsigmoid,
    hardswish,
    hardtanh,
    identity,
    leaky_relu,
    log_softmax,
    logsigmoid,
    mish,
    prelu,
    relu,
    relu6,
    selu,
    sigmoid,
    silu,
    softmax,
    softmin,
    softplus,
    softshrink,
    softsign,
    step,
    swish,
    tanh,
    tanhshrink,
    threshold,
)
from .binary_losses import binary_cross_entropy, binary_cross_entropy_with_logits, hinge_loss
from .distribution_losses import cross_entropy, kl_div, nll_loss
from .dropout import dropout, dropout1d, dropout2d, dropout3d
from .energy_loss import energy_loss
from .fold import fold, unfold
from .fractional_pooling import (
    fractional_max_pool2d,
    fractional_max_pool2d_with_indices,
    fractional_max_pool3d,
    fractional_max_pool3d_with_indices,
)
from .grid_sample import affine_grid, grid_sample
from .interpolate import interpolate
from .linear import linear
from .lp_pooling import lp_pool1d, lp_pool2d, lp_pool3d
from .ranking_losses import (
    contrastive_loss,
    cosine_embedding_loss,
    margin_ranking_loss,
    triplet_margin_loss,
    triplet_margin_with_distance_loss,
)
from .regression_losses import huber_loss, l1_loss, log_cosh_loss, mse_loss, smooth_l1_loss
from .stochastic_activations import gumbel_softmax, rrelu
from .style_losses import content_loss, gram_matrix, style_loss, style_transfer_loss

__all__ = [
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "contrastive_loss",
    "cosine_embedding_loss",
    "cross_entropy",
    "dropout",
    "affine_grid",
    "fold",
    "grid_sample",
    "fractional_max_pool2d",
    "fractional_max_pool2d_with_indices",
    "fractional_max_pool3d",
    "fractional_max_pool3d_with_indices",
    "lp_pool1d",
    "lp_pool2d",
    "lp_pool3d",
    "unfold",
    "gumbel_softmax",
    "rrelu",
    "interpolate",
    "dropout1d",
    "dropout2d",
    "dropout3d",
    "celu",
    "elu",
    "gelu",
    "glu",
    "hardshrink",
    "hardsigmoid",
    "hardswish",
    "hardtanh",
    "hinge_loss",
    "huber_loss",
    "identity",
    "kl_div",
    "l1_loss",
    "leaky_relu",
    "linear",
    "log_cosh_loss",
    "log_softmax",
    "logsigmoid",
    "margin_ranking_loss",
    "mish",
    "mse_loss",
    "nll_loss",
    "prelu",
    "relu",
    "relu6",
    "selu",
    "sigmoid",
    "silu",
    "smooth_l1_loss",
    "softmax",
    "softmin",
    "softplus",
    "softshrink",
    "softsign",
    "step",
    "swish",
    "tanh",
    "tanhshrink",
    "threshold",
    "triplet_margin_loss",
    "triplet_margin_with_distance_loss",
    "content_loss",
    "energy_loss",
    "gram_matrix",
    "style_loss",
    "style_transfer_loss",
]

# layers' functional forms (issue 10)
from .conv import (  # noqa: E402
    conv1d,
    conv2d,
    conv3d,
    conv_transpose1d,
    conv_transpose2d,
    conv_transpose3d,
)

__all__ += [
    "conv1d",
    "conv2d",
    "conv3d",
    "conv_transpose1d",
    "conv_transpose2d",
    "conv_transpose3d",
]
from .padding import pad  # noqa: E402

__all__ += ["pad"]
from .pooling import (  # noqa: E402
    adaptive_avg_pool1d,
    adaptive_avg_pool2d,
    adaptive_avg_pool3d,
    adaptive_max_pool3d,
    avg_pool1d,
    avg_pool2d,
    avg_pool3d,
    max_pool1d,
    max_pool2d,
    max_pool3d,
)
from .unpooling import max_unpool1d, max_unpool2d, max_unpool3d  # noqa: E402

__all__ += [
    "adaptive_avg_pool1d",
    "adaptive_avg_pool2d",
    "adaptive_avg_pool3d",
    "adaptive_max_pool3d",
    "avg_pool1d",
    "avg_pool2d",
    "avg_pool3d",
    "max_pool1d",
    "max_pool2d",
    "max_pool3d",
    "max_unpool1d",
    "max_unpool2d",
    "max_unpool3d",
]
from .distance import cosine_similarity, normalize, pairwise_distance, pdist  # noqa: E402
from .normalization import batch_norm, group_norm, layer_norm  # noqa: E402

__all__ += [
    "batch_norm",
    "cosine_similarity",
    "group_norm",
    "layer_norm",
    "normalize",
    "pairwise_distance",
    "pdist",
]
from .sparse import embedding, embedding_bag, one_hot  # noqa: E402

__all__ += ["embedding", "embedding_bag", "one_hot"]
from .attention import scaled_dot_product_attention  # noqa: E402

__all__ += ["scaled_dot_product_attention"]
from .likelihood_losses import gaussian_nll_loss, poisson_nll_loss  # noqa: E402
from .linear import bilinear  # noqa: E402
from .margin_losses import (  # noqa: E402
    hinge_embedding_loss,
    multi_margin_loss,
    multilabel_margin_loss,
    multilabel_soft_margin_loss,
    soft_margin_loss,
)
from .pixel_shuffle import channel_shuffle, pixel_shuffle, pixel_unshuffle  # noqa: E402
from .pooling import adaptive_max_pool1d, adaptive_max_pool2d  # noqa: E402

__all__ += [
    "adaptive_max_pool1d",
    "adaptive_max_pool2d",
    "bilinear",
    "gaussian_nll_loss",
    "hinge_embedding_loss",
    "multi_margin_loss",
    "multilabel_margin_loss",
    "multilabel_soft_margin_loss",
    "channel_shuffle",
    "pixel_shuffle",
    "pixel_unshuffle",
    "poisson_nll_loss",
    "soft_margin_loss",
]
from .dropout import alpha_dropout, feature_alpha_dropout  # noqa: E402
from .normalization import instance_norm, local_response_norm, rms_norm  # noqa: E402

__all__ += [
    "alpha_dropout",
    "feature_alpha_dropout",
    "instance_norm",
    "local_response_norm",
    "rms_norm",
]
from .ctc_loss import ctc_loss  # noqa: E402

__all__ += ["ctc_loss"]
from .named_variants import *  # noqa: E402, F403  (relu_, max_pool2d_with_indices ...)
from .named_variants import __all__ as _named_variants  # noqa: E402

__all__ += _named_variants
from .upsample import upsample, upsample_bilinear, upsample_nearest  # noqa: E402

__all__ += ["upsample", "upsample_bilinear", "upsample_nearest"]
