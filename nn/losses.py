"""Loss modules: each holds its options (reduction, margin, weights ...) and calls its
function in ``nn.functional`` (PyTorch's class names and constructor arguments)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, overload

from autograd import Tensor, Value

from . import functional as F
from .distance import PairwiseDistance
from .functional._losses_common import check_reduction, legacy_reduction
from .module import Module

_BUFFERS = ("weight", "pos_weight")  # tensors, kept as buffers as PyTorch does


class _Loss(Module):
    """A loss module: ``forward(*inputs)`` is ``function(*inputs, **options)``.

    Subclasses name their function and the attributes passed to it as keyword options;
    class weights are buffers (saved in ``state_dict``), as in PyTorch.
    """

    function: Callable[..., Any]
    options: tuple[str, ...] = ()

    def __init__(self, reduction: str = "mean", **options: Any) -> None:
        super().__init__()
        check_reduction(reduction, type(self).__name__, self._reductions())
        self.reduction = reduction
        for name, value in options.items():
            if name in _BUFFERS:
                self.register_buffer(name, None if value is None else _as_buffer(value))
            else:
                setattr(self, name, value)

    @classmethod
    def _reductions(cls) -> tuple[str, ...]:
        return ("mean", "sum", "none")

    def forward(self, *inputs: Any) -> Any:
        kwargs = {name: getattr(self, name) for name in self.options}
        return type(self).function(*inputs, reduction=self.reduction, **kwargs)

    def extra_repr(self) -> str:
        # PyTorch's loss modules print no options (``HuberLoss()``); ours beyond PyTorch's
        # (energy, style and content losses) show them
        if type(self).__module__ == __name__:
            return ""
        shown = [f"{n}={getattr(self, n)!r}" for n in self.options if n not in _BUFFERS]
        return ", ".join(shown)


class _PointwiseLoss(_Loss):
    """An elementwise loss: Tensors in, Tensor out; a Value or a list of Values in, a Value
    out (a list of Values with ``reduction='none'``, hence Any for list inputs)."""

    if TYPE_CHECKING:

        @overload
        def forward(self, input: Tensor, target: Any) -> Tensor: ...
        @overload
        def forward(self, input: Value, target: Any) -> Value: ...
        @overload
        def forward(self, input: Any, target: Any) -> Any: ...
        def forward(self, input: Any, target: Any) -> Any: ...


class _TensorLoss(_Loss):
    """A loss on Tensors: it returns a Tensor."""

    if TYPE_CHECKING:

        def forward(self, *inputs: Any) -> Tensor: ...


def _as_buffer(value: Any) -> Tensor:
    return value if isinstance(value, Tensor) else Tensor(value)


class L1Loss(_PointwiseLoss):
    """Mean absolute error (MAE); ``reduction='sum'`` is the notes' L1 loss."""

    function = staticmethod(F.l1_loss)

    def __init__(
        self, size_average: Any = None, reduce: Any = None, reduction: str = "mean"
    ) -> None:
        super().__init__(legacy_reduction(size_average, reduce, reduction))


class MSELoss(_PointwiseLoss):
    """Mean squared error; ``reduction='sum'`` is the notes' L2 loss."""

    function = staticmethod(F.mse_loss)

    def __init__(
        self, size_average: Any = None, reduce: Any = None, reduction: str = "mean"
    ) -> None:
        super().__init__(legacy_reduction(size_average, reduce, reduction))


class HuberLoss(_PointwiseLoss):
    """Squared error below ``delta``, linear above it."""

    function = staticmethod(F.huber_loss)
    options = ("delta",)

    def __init__(self, reduction: str = "mean", delta: float = 1.0) -> None:
        super().__init__(reduction, delta=delta)


class SmoothL1Loss(_PointwiseLoss):
    """Huber loss divided by ``beta`` (L1 for beta = 0)."""

    function = staticmethod(F.smooth_l1_loss)
    options = ("beta",)

    def __init__(
        self,
        size_average: Any = None,
        reduce: Any = None,
        reduction: str = "mean",
        beta: float = 1.0,
    ) -> None:
        super().__init__(legacy_reduction(size_average, reduce, reduction), beta=beta)


class LogCoshLoss(_PointwiseLoss):
    """log(cosh(input - target)), stable for large errors."""

    function = staticmethod(F.log_cosh_loss)

    def __init__(self, reduction: str = "mean") -> None:
        super().__init__(reduction)


class BCELoss(_PointwiseLoss):
    """Binary cross-entropy on probabilities (logs clamped at -100)."""

    function = staticmethod(F.binary_cross_entropy)
    options = ("weight",)

    def __init__(
        self,
        weight: Any = None,
        size_average: Any = None,
        reduce: Any = None,
        reduction: str = "mean",
    ) -> None:
        super().__init__(legacy_reduction(size_average, reduce, reduction), weight=weight)


class BCEWithLogitsLoss(_PointwiseLoss):
    """Binary cross-entropy on logits (sigmoid fused in; gradient sigmoid(z) - y)."""

    function = staticmethod(F.binary_cross_entropy_with_logits)
    options = ("weight", "pos_weight")

    def __init__(
        self,
        weight: Any = None,
        size_average: Any = None,
        reduce: Any = None,
        reduction: str = "mean",
        pos_weight: Any = None,
    ) -> None:
        super().__init__(
            legacy_reduction(size_average, reduce, reduction), weight=weight, pos_weight=pos_weight
        )


class CrossEntropyLoss(_TensorLoss):
    """Softmax cross-entropy on logits, with class-index or class-probability targets."""

    function = staticmethod(F.cross_entropy)
    options = ("weight", "ignore_index", "label_smoothing")

    def __init__(
        self,
        weight: Any = None,
        size_average: Any = None,
        ignore_index: int = -100,
        reduce: Any = None,
        reduction: str = "mean",
        label_smoothing: float = 0.0,
    ) -> None:
        super().__init__(
            legacy_reduction(size_average, reduce, reduction),
            weight=weight,
            ignore_index=ignore_index,
            label_smoothing=label_smoothing,
        )


class NLLLoss(_TensorLoss):
    """Negative log-likelihood of log-probabilities at class indices."""

    function = staticmethod(F.nll_loss)
    options = ("weight", "ignore_index")

    def __init__(
        self,
        weight: Any = None,
        size_average: Any = None,
        ignore_index: int = -100,
        reduce: Any = None,
        reduction: str = "mean",
    ) -> None:
        super().__init__(
            legacy_reduction(size_average, reduce, reduction),
            weight=weight,
            ignore_index=ignore_index,
        )


class KLDivLoss(_TensorLoss):
    """KL divergence of log-probabilities ``input`` from ``target`` ('batchmean' allowed)."""

    function = staticmethod(F.kl_div)
    options = ("log_target",)

    def __init__(
        self,
        size_average: Any = None,
        reduce: Any = None,
        reduction: str = "mean",
        log_target: bool = False,
    ) -> None:
        super().__init__(legacy_reduction(size_average, reduce, reduction), log_target=log_target)

    @classmethod
    def _reductions(cls) -> tuple[str, ...]:
        return ("mean", "batchmean", "sum", "none")


class HingeLoss(_PointwiseLoss):
    """max(0, margin - target * input) for targets in {-1, 1}."""

    function = staticmethod(F.hinge_loss)
    options = ("margin",)

    def __init__(self, margin: float = 1.0, reduction: str = "mean") -> None:
        super().__init__(reduction, margin=margin)


class MarginRankingLoss(_TensorLoss):
    """max(0, -target * (input1 - input2) + margin)."""

    function = staticmethod(F.margin_ranking_loss)
    options = ("margin",)

    def __init__(
        self,
        margin: float = 0.0,
        size_average: Any = None,
        reduce: Any = None,
        reduction: str = "mean",
    ) -> None:
        super().__init__(legacy_reduction(size_average, reduce, reduction), margin=margin)


class TripletMarginLoss(_TensorLoss):
    """max(0, d(anchor, positive) - d(anchor, negative) + margin)."""

    function = staticmethod(F.triplet_margin_loss)
    options = ("margin", "p", "eps", "swap", "squared")

    def __init__(
        self,
        margin: float = 1.0,
        p: float = 2.0,
        eps: float = 1e-6,
        swap: bool = False,
        size_average: Any = None,
        reduce: Any = None,
        reduction: str = "mean",
        squared: bool = False,
    ) -> None:
        if not margin > 0:
            raise ValueError(f"TripletMarginLoss: margin must be greater than 0, got {margin}")
        super().__init__(
            legacy_reduction(size_average, reduce, reduction),
            margin=margin,
            p=p,
            eps=eps,
            swap=swap,
            squared=squared,
        )


class TripletMarginWithDistanceLoss(_TensorLoss):
    """max(0, d(anchor, positive) - d(anchor, negative) + margin) with a chosen distance
    (a submodule ``distance_function``, PyTorch's ``PairwiseDistance()`` by default)."""

    function = staticmethod(F.triplet_margin_with_distance_loss)
    options = ("distance_function", "margin", "swap")

    def __init__(
        self,
        *,
        distance_function: Callable[[Tensor, Tensor], Tensor] | None = None,
        margin: float = 1.0,
        swap: bool = False,
        reduction: str = "mean",
    ) -> None:
        if not margin > 0:
            raise ValueError(
                f"TripletMarginWithDistanceLoss: margin must be greater than 0, got {margin}"
            )
        super().__init__(
            reduction,
            distance_function=PairwiseDistance()
            if distance_function is None
            else distance_function,
            margin=margin,
            swap=swap,
        )


class ContrastiveLoss(_TensorLoss):
    """0.5 * (y d^2 + (1 - y) max(0, margin - d)^2) per pair (1 = similar, 0 = dissimilar)."""

    function = staticmethod(F.contrastive_loss)
    options = ("margin",)

    def __init__(self, margin: float = 1.0, reduction: str = "mean") -> None:
        super().__init__(reduction, margin=margin)


class CosineEmbeddingLoss(_TensorLoss):
    """1 - cos for similar pairs (1), max(0, cos - margin) for dissimilar ones (-1)."""

    function = staticmethod(F.cosine_embedding_loss)
    options = ("margin",)

    def __init__(
        self,
        margin: float = 0.0,
        size_average: Any = None,
        reduce: Any = None,
        reduction: str = "mean",
    ) -> None:
        super().__init__(legacy_reduction(size_average, reduce, reduction), margin=margin)


class _PlainReprLoss(_TensorLoss):
    """A loss whose repr shows no options (PyTorch's ``PoissonNLLLoss()``, ...), and whose
    constructor takes PyTorch's deprecated ``size_average`` / ``reduce`` positionally."""

    def __init__(
        self, size_average: Any = None, reduce: Any = None, reduction: str = "mean", **options: Any
    ) -> None:
        super().__init__(legacy_reduction(size_average, reduce, reduction), **options)

    def extra_repr(self) -> str:
        return ""


class PoissonNLLLoss(_PlainReprLoss):
    """Poisson negative log-likelihood: exp(input) - target * input (``log_input``), else
    input - target * log(input + eps); ``full`` adds Stirling's term."""

    function = staticmethod(F.poisson_nll_loss)
    options = ("log_input", "full", "eps")

    def __init__(
        self,
        log_input: bool = True,
        full: bool = False,
        size_average: Any = None,
        eps: float = 1e-8,
        reduce: Any = None,
        reduction: str = "mean",
    ) -> None:
        super().__init__(size_average, reduce, reduction, log_input=log_input, full=full, eps=eps)


class GaussianNLLLoss(_PlainReprLoss):
    """Gaussian negative log-likelihood: forward(input, target, var)."""

    function = staticmethod(F.gaussian_nll_loss)
    options = ("full", "eps")

    def __init__(self, *, full: bool = False, eps: float = 1e-6, reduction: str = "mean") -> None:
        super().__init__(None, None, reduction, full=full, eps=eps)


class SoftMarginLoss(_PlainReprLoss):
    """log(1 + exp(-target * input)) for targets +-1."""

    function = staticmethod(F.soft_margin_loss)

    def __init__(
        self, size_average: Any = None, reduce: Any = None, reduction: str = "mean"
    ) -> None:
        super().__init__(size_average, reduce, reduction)


class MultiLabelSoftMarginLoss(_PlainReprLoss):
    """Per-class logistic losses averaged over the classes (``weight`` per class)."""

    function = staticmethod(F.multilabel_soft_margin_loss)
    options = ("weight",)

    def __init__(
        self,
        weight: Any = None,
        size_average: Any = None,
        reduce: Any = None,
        reduction: str = "mean",
    ) -> None:
        super().__init__(size_average, reduce, reduction, weight=weight)


class HingeEmbeddingLoss(_PlainReprLoss):
    """input for target 1, max(0, margin - input) for target -1."""

    function = staticmethod(F.hinge_embedding_loss)
    options = ("margin",)

    def __init__(
        self,
        margin: float = 1.0,
        size_average: Any = None,
        reduce: Any = None,
        reduction: str = "mean",
    ) -> None:
        super().__init__(size_average, reduce, reduction, margin=margin)


class MultiMarginLoss(_PlainReprLoss):
    """Multi-class hinge loss: sum over j != y of max(0, margin - x[y] + x[j])^p * weight[y],
    divided by the number of classes."""

    function = staticmethod(F.multi_margin_loss)
    options = ("p", "margin", "weight")

    def __init__(
        self,
        p: int = 1,
        margin: float = 1.0,
        weight: Any = None,
        size_average: Any = None,
        reduce: Any = None,
        reduction: str = "mean",
    ) -> None:
        if p not in (1, 2) or isinstance(p, bool):
            raise ValueError(f"MultiMarginLoss: only p == 1 and p == 2 supported, got p={p!r}")
        if weight is not None and getattr(weight, "ndim", 1) != 1:
            raise ValueError("MultiMarginLoss: weight must be one-dimensional")
        super().__init__(size_average, reduce, reduction, p=p, margin=margin, weight=weight)


class MultiLabelMarginLoss(_PlainReprLoss):
    """Multi-label hinge loss: for each label j (the target's indices before its first -1)
    and each non-label i, max(0, 1 - (x[j] - x[i])), summed and divided by the number of
    classes."""

    function = staticmethod(F.multilabel_margin_loss)
    options = ()

    def __init__(
        self, size_average: Any = None, reduce: Any = None, reduction: str = "mean"
    ) -> None:
        super().__init__(size_average, reduce, reduction)


class CTCLoss(_TensorLoss):
    """Connectionist temporal classification: forward(log_probs, targets, input_lengths,
    target_lengths), see ``F.ctc_loss``."""

    function = staticmethod(F.ctc_loss)
    options = ("blank", "zero_infinity")

    def __init__(self, blank: int = 0, reduction: str = "mean", zero_infinity: bool = False):
        super().__init__(reduction, blank=blank, zero_infinity=zero_infinity)

    def extra_repr(self) -> str:
        return ""
