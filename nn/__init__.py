"""Neural-network building blocks: modules, layers, activations, losses, initialisation."""

from . import functional, init, parallel, utils
from .activations import (
    CELU,
    ELU,
    GELU,
    GLU,
    SELU,
    Hardshrink,
    Hardsigmoid,
    Hardswish,
    Hardtanh,
    Identity,
    LeakyReLU,
    LogSigmoid,
    LogSoftmax,
    Mish,
    PReLU,
    ReLU,
    ReLU6,
    RReLU,
    Sigmoid,
    SiLU,
    Softmax,
    Softmax2d,
    Softmin,
    Softplus,
    Softshrink,
    Softsign,
    Step,
    Swish,
    Tanh,
    Tanhshrink,
    Threshold,
)
from .containers import ModuleList, Residual, Sequential
from .distance import CosineSimilarity, PairwiseDistance
from .dropout import Dropout, Dropout1d, Dropout2d, Dropout3d
from .energy_loss import EnergyLoss
from .fold import Fold, Unfold
from .fractional_pooling import FractionalMaxPool2d, FractionalMaxPool3d
from .linear import Linear
from .losses import (
    BCELoss,
    BCEWithLogitsLoss,
    ContrastiveLoss,
    CosineEmbeddingLoss,
    CrossEntropyLoss,
    HingeLoss,
    HuberLoss,
    KLDivLoss,
    L1Loss,
    LogCoshLoss,
    MarginRankingLoss,
    MSELoss,
    NLLLoss,
    SmoothL1Loss,
    TripletMarginLoss,
    TripletMarginWithDistanceLoss,
)
from .lp_pooling import LPPool1d, LPPool2d, LPPool3d
from .module import Module
from .parallel import DataParallel
from .parameter import Parameter
from .serialization import load, save
from .style_losses import ContentLoss, GramMatrix, StyleLoss, StyleTransferLoss

__all__ = [
    "CELU",
    "ELU",
    "GELU",
    "GLU",
    "Fold",
    "FractionalMaxPool2d",
    "FractionalMaxPool3d",
    "LPPool1d",
    "LPPool2d",
    "LPPool3d",
    "ChannelShuffle",
    "TripletMarginWithDistanceLoss",
    "Unfold",
    "RReLU",
    "Softmax2d",
    "Hardshrink",
    "Hardsigmoid",
    "Hardswish",
    "Hardtanh",
    "Identity",
    "LeakyReLU",
    "LogSigmoid",
    "LogSoftmax",
    "Mish",
    "PReLU",
    "ReLU",
    "ReLU6",
    "SELU",
    "Sigmoid",
    "SiLU",
    "Softmax",
    "Softmin",
    "Softplus",
    "Softshrink",
    "Softsign",
    "Step",
    "Swish",
    "Tanh",
    "Tanhshrink",
    "Threshold",
    "BCELoss",
    "BCEWithLogitsLoss",
    "ContrastiveLoss",
    "CosineEmbeddingLoss",
    "CosineSimilarity",
    "CrossEntropyLoss",
    "HingeLoss",
    "HuberLoss",
    "KLDivLoss",
    "L1Loss",
    "LogCoshLoss",
    "MSELoss",
    "MarginRankingLoss",
    "NLLLoss",
    "PairwiseDistance",
    "SmoothL1Loss",
    "TripletMarginLoss",
    "Dropout",
    "Dropout1d",
    "Dropout2d",
    "Dropout3d",
    "Linear",
    "DataParallel",
    "Module",
    "ModuleList",
    "Parameter",
    "Residual",
    "Sequential",
    "functional",
    "init",
    "parallel",
    "load",
    "save",
    "utils",
    "ContentLoss",
    "EnergyLoss",
    "GramMatrix",
    "StyleLoss",
    "StyleTransferLoss",
]

# layers (issue 10)
from .conv import (  # noqa: E402
    Conv1d,
    Conv2d,
    Conv3d,
    ConvTranspose1d,
    ConvTranspose2d,
    ConvTranspose3d,
)

__all__ += ["Conv1d", "Conv2d", "Conv3d", "ConvTranspose1d", "ConvTranspose2d", "ConvTranspose3d"]
from .pooling import (  # noqa: E402
    AdaptiveAvgPool1d,
    AdaptiveAvgPool2d,
    AdaptiveAvgPool3d,
    AdaptiveMaxPool3d,
    AvgPool1d,
    AvgPool2d,
    AvgPool3d,
    MaxPool1d,
    MaxPool2d,
    MaxPool3d,
    MaxUnpool1d,
    MaxUnpool2d,
    MaxUnpool3d,
)

__all__ += [
    "AdaptiveAvgPool1d",
    "AdaptiveAvgPool2d",
    "AdaptiveAvgPool3d",
    "AdaptiveMaxPool3d",
    "AvgPool1d",
    "AvgPool2d",
    "AvgPool3d",
    "MaxPool1d",
    "MaxPool2d",
    "MaxPool3d",
    "MaxUnpool1d",
    "MaxUnpool2d",
    "MaxUnpool3d",
]
from .normalization import BatchNorm1d, BatchNorm2d, GroupNorm, LayerNorm  # noqa: E402

__all__ += ["BatchNorm1d", "BatchNorm2d", "GroupNorm", "LayerNorm"]
from .embedding import Embedding, EmbeddingBag  # noqa: E402

__all__ += ["Embedding", "EmbeddingBag"]
from .containers import ModuleDict, ParameterList  # noqa: E402
from .flatten import Flatten, Unflatten  # noqa: E402

__all__ += ["Flatten", "ModuleDict", "ParameterList", "Unflatten"]
from .recurrent import (  # noqa: E402
    GRU,
    LSTM,
    RNN,
    GRUCell,
    LSTMCell,
    RNNBase,
    RNNCell,
    RNNCellBase,
)

__all__ += ["GRU", "GRUCell", "LSTM", "LSTMCell", "RNN", "RNNBase", "RNNCell", "RNNCellBase"]
from .attention import MultiheadAttention  # noqa: E402
from .transformer import (  # noqa: E402
    Transformer,
    TransformerDecoder,
    TransformerDecoderLayer,
    TransformerEncoder,
    TransformerEncoderLayer,
)

__all__ += ["MultiheadAttention"]
from .upsampling import Upsample, UpsamplingBilinear2d, UpsamplingNearest2d  # noqa: E402

__all__ += ["Upsample", "UpsamplingBilinear2d", "UpsamplingNearest2d"]
__all__ += [
    "Transformer",
    "TransformerDecoder",
    "TransformerDecoderLayer",
    "TransformerEncoder",
    "TransformerEncoderLayer",
]
from .containers import ParameterDict  # noqa: E402
from .linear import Bilinear  # noqa: E402
from .losses import (  # noqa: E402
    GaussianNLLLoss,
    HingeEmbeddingLoss,
    MultiLabelMarginLoss,
    MultiLabelSoftMarginLoss,
    MultiMarginLoss,
    PoissonNLLLoss,
    SoftMarginLoss,
)
from .padding import (  # noqa: E402
    CircularPad1d,
    CircularPad2d,
    CircularPad3d,
    ConstantPad1d,
    ConstantPad2d,
    ConstantPad3d,
    ReflectionPad1d,
    ReflectionPad2d,
    ReflectionPad3d,
    ReplicationPad1d,
    ReplicationPad2d,
    ReplicationPad3d,
    ZeroPad1d,
    ZeroPad2d,
    ZeroPad3d,
)
from .pixel_shuffle import ChannelShuffle, PixelShuffle, PixelUnshuffle  # noqa: E402
from .pooling import AdaptiveMaxPool1d, AdaptiveMaxPool2d  # noqa: E402

__all__ += [
    "AdaptiveMaxPool1d",
    "AdaptiveMaxPool2d",
    "Bilinear",
    "ConstantPad1d",
    "ConstantPad2d",
    "GaussianNLLLoss",
    "HingeEmbeddingLoss",
    "MultiLabelSoftMarginLoss",
    "MultiLabelMarginLoss",
    "MultiMarginLoss",
    "ParameterDict",
    "PixelShuffle",
    "PixelUnshuffle",
    "PoissonNLLLoss",
    "ReflectionPad1d",
    "ReflectionPad2d",
    "ReplicationPad1d",
    "ReplicationPad2d",
    "SoftMarginLoss",
    "ZeroPad1d",
    "ZeroPad2d",
    "ZeroPad3d",
    "ConstantPad3d",
    "ReflectionPad3d",
    "ReplicationPad3d",
    "CircularPad1d",
    "CircularPad2d",
    "CircularPad3d",
]
from .dropout import AlphaDropout, FeatureAlphaDropout  # noqa: E402
from .normalization import (  # noqa: E402
    BatchNorm3d,
    InstanceNorm1d,
    InstanceNorm2d,
    InstanceNorm3d,
    LocalResponseNorm,
    RMSNorm,
)

__all__ += [
    "AlphaDropout",
    "BatchNorm3d",
    "FeatureAlphaDropout",
    "InstanceNorm1d",
    "InstanceNorm2d",
    "InstanceNorm3d",
    "LocalResponseNorm",
    "RMSNorm",
]
from .losses import CTCLoss  # noqa: E402

__all__ += ["CTCLoss"]
from .lazy import (  # noqa: E402
    LazyBatchNorm1d,
    LazyBatchNorm2d,
    LazyBatchNorm3d,
    LazyConv1d,
    LazyConv2d,
    LazyConv3d,
    LazyConvTranspose1d,
    LazyConvTranspose2d,
    LazyConvTranspose3d,
    LazyInstanceNorm1d,
    LazyInstanceNorm2d,
    LazyInstanceNorm3d,
    LazyLinear,
)
from .parameter import Buffer, UninitializedBuffer, UninitializedParameter  # noqa: E402

__all__ += [
    "Buffer",
    "LazyInstanceNorm1d",
    "LazyInstanceNorm2d",
    "LazyInstanceNorm3d",
    "LazyBatchNorm3d",
    "LazyConv3d",
    "LazyConvTranspose1d",
    "LazyConvTranspose3d",
    "LazyBatchNorm1d",
    "LazyBatchNorm2d",
    "LazyConv1d",
    "LazyConv2d",
    "LazyConvTranspose2d",
    "LazyLinear",
    "UninitializedBuffer",
    "UninitializedParameter",
]
from .adaptive import AdaptiveLogSoftmaxWithLoss  # noqa: E402

__all__ += ["AdaptiveLogSoftmaxWithLoss"]
