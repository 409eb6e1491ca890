"""Vision and efficient-sequence model code as the well-known PyTorch repositories write it
(ConvNeXt, EfficientNet / ShuffleNet v2 / ResNeXt / MobileNetV2 blocks, eriklindernoren's
YOLOv3 head, FCN / U-Net / DeepLab ASPP segmentation, Transformer-XL, Linformer, Performer,
RWKV-v4, RetNet), condensed to tiny sizes and written once against the names ``torch``,
``nn``, ``F``. The tests run them with our packages under those names and, when it is
installed, with PyTorch.

Weights a result depends on pass through ``sync(module_or_tensors)``: the tests make it a
no-op, or record PyTorch's initial values and copy them into ours, since the libraries'
random streams differ. Random draws inside forward passes (DropPath, drop_connect, random
features) are made from numpy or replaced through ``sync`` so both libraries see the same.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

Sync = Callable[[Any], None]


def _out(t: Any) -> np.ndarray:
    return t.detach().numpy().copy()


def convnext_block(torch: Any, nn: Any, F: Any, sync: Sync) -> dict:
    """facebookresearch/ConvNeXt: Block with depthwise 7x7 conv, channels_first LayerNorm,
    permute to channels_last, pointwise MLP, layer scale gamma and DropPath; _init_weights
    through self.apply with trunc_normal_ and constant_."""
    rs = np.random.RandomState(0)

    def drop_path(x, drop_prob: float = 0.0, training: bool = False):
        if drop_prob == 0.0 or not training:
            return x
        keep_prob = 1 - drop_prob
        shape = (x.shape[0],) + (1,) * (x.ndim - 1)
        random_tensor = keep_prob + torch.rand(shape, dtype=x.dtype, device=x.device)
        random_tensor.floor_()
        return x.div(keep_prob) * random_tensor

    class DropPath(nn.Module):
        def __init__(self, drop_prob=None):
            super().__init__()
            self.drop_prob = drop_prob

        def forward(self, x):
            return drop_path(x, self.drop_prob, self.training)

    class LayerNorm(nn.Module):
        def __init__(self, normalized_shape, eps=1e-6, data_format="channels_last"):
            super().__init__()
            self.weight = nn.Parameter(torch.ones(normalized_shape))
            self.bias = nn.Parameter(torch.zeros(normalized_shape))
            self.eps = eps
            self.data_format = data_format
            if self.data_format not in ["channels_last", "channels_first"]:
                raise NotImplementedError
            self.normalized_shape = (normalized_shape,)

        def forward(self, x):
            if self.data_format == "channels_last":
                return F.layer_norm(x, self.normalized_shape, self.weight, self.bias, self.eps)
            elif self.data_format == "channels_first":
                u = x.mean(1, keepdim=True)
                s = (x - u).pow(2).mean(1, keepdim=True)
                x = (x - u) / torch.sqrt(s + self.eps)
                x = self.weight[:, None, None] * x + self.bias[:, None, None]
                return x

    class Block(nn.Module):
        def __init__(self, dim, drop_path=0.0, layer_scale_init_value=1e-6):
            super().__init__()
            self.dwconv = nn.Conv2d(dim, dim, kernel_size=7, padding=3, groups=dim)
            self.norm = LayerNorm(dim, eps=1e-6)
            self.pwconv1 = nn.Linear(dim, 4 * dim)
            self.act = nn.GELU()
            self.pwconv2 = nn.Linear(4 * dim, dim)
            self.gamma = (
                nn.Parameter(layer_scale_init_value * torch.ones((dim,)), requires_grad=True)
                if layer_scale_init_value > 0
                else None
            )
            self.drop_path = DropPath(drop_path) if drop_path > 0.0 else nn.Identity()

        def forward(self, x):
            input = x
            x = self.dwconv(x)
            x = x.permute(0, 2, 3, 1)  # (N, C, H, W) -> (N, H, W, C)
            x = self.norm(x)
            x = self.pwconv1(x)
            x = self.act(x)
            x = self.pwconv2(x)
            if self.gamma is not None:
                x = self.gamma * x
            x = x.permute(0, 3, 1, 2)  # (N, H, W, C) -> (N, C, H, W)
            x = input + self.drop_path(x)
            return x

    class Tiny(nn.Module):
        def __init__(self, in_chans=3, num_classes=5, dim=8):
            super().__init__()
            self.stem = nn.Sequential(
                nn.Conv2d(in_chans, dim, kernel_size=2, stride=2),
                LayerNorm(dim, eps=1e-6, data_format="channels_first"),
            )
            self.stages = nn.Sequential(
                Block(dim, drop_path=0.0, layer_scale_init_value=0.5),
                Block(dim, drop_path=0.5, layer_scale_init_value=0.5),
            )
            self.norm = nn.LayerNorm(dim, eps=1e-6)
            self.head = nn.Linear(dim, num_classes)
            self.apply(self._init_weights)
            self.head.weight.data.mul_(2.0)
            self.head.bias.data.mul_(2.0)

        def _init_weights(self, m):
            if isinstance(m, (nn.Conv2d, nn.Linear)):
                nn.init.trunc_normal_(m.weight, std=0.02)
                nn.init.constant_(m.bias, 0)

        def forward(self, x):
            x = self.stages(self.stem(x))
            return self.head(self.norm(x.mean([-2, -1])))

    model = Tiny()
    stds = [float(m.weight.std()) for m in model.modules() if isinstance(m, nn.Linear)]
    biases_zero = all(
        float(m.bias.abs().max()) == 0
        for m in model.modules()
        if isinstance(m, (nn.Conv2d, nn.Linear)) and m is not model.head
    )
    sync(model)
    x = torch.tensor(rs.randn(2, 3, 8, 8), dtype=torch.float32, requires_grad=True)
    y = torch.tensor([1, 3])
    model.eval()
    logits = model(x)
    loss = F.cross_entropy(logits, y)
    loss.backward()
    # DropPath in training: a whole sample's residual branch is kept (scaled) or dropped
    model.train()
    blk = model.stages[1]
    feats = torch.tensor(rs.randn(6, 8, 4, 4), dtype=torch.float32)
    branch = blk.drop_path(torch.ones(6, 8, 4, 4))
    ln_cf = model.stem[1](feats)
    return {
        "logits": _out(logits),
        "loss": float(loss),
        "xgrad": x.grad.numpy().copy(),
        "dw_grad": model.stages[0].dwconv.weight.grad.numpy().copy(),
        "gamma_grad": model.stages[0].gamma.grad.numpy().copy(),
        "ln_weight_grad": model.stem[1].weight.grad.numpy().copy(),
        "dw_shape": tuple(model.stages[0].dwconv.weight.shape),
        "gamma_requires_grad": bool(model.stages[0].gamma.requires_grad),
        "linear_stds": stds,
        "biases_zero": biases_zero,
        "branch": branch.numpy().copy(),
        "ln_cf": _out(ln_cf),
        "ln_cf_ref": _out(
            F.layer_norm(feats.permute(0, 2, 3, 1), (8,), eps=1e-6).permute(0, 3, 1, 2)
        ),
    }


def efficient_blocks(torch: Any, nn: Any, F: Any, sync: Sync) -> dict:
    """lukemelas/EfficientNet-PyTorch MBConv with squeeze-and-excitation, Swish and
    drop_connect; torchvision ShuffleNet v2 channel_shuffle / InvertedResidual, ResNeXt's
    grouped bottleneck, MobileNetV2's inverted residual with ReLU6(inplace=True)."""
    rs = np.random.RandomState(1)

    class Swish(nn.Module):
        def forward(self, x):
            return x * torch.sigmoid(x)

    class SwishImplementation(torch.autograd.Function):
        @staticmethod
        def forward(ctx, i):
            result = i * torch.sigmoid(i)
            ctx.save_for_backward(i)
            return result

        @staticmethod
        def backward(ctx, grad_output):
            i = ctx.saved_tensors[0]
            sigmoid_i = torch.sigmoid(i)
            return grad_output * (sigmoid_i * (1 + i * (1 - sigmoid_i)))

    class MemoryEfficientSwish(nn.Module):
        def forward(self, x):
            return SwishImplementation.apply(x)

    class Conv2dDynamicSamePadding(nn.Conv2d):
        def __init__(self, in_channels, out_channels, kernel_size, stride=1, dilation=1, **kw):
            super().__init__(in_channels, out_channels, kernel_size, stride, 0, dilation, **kw)
            self.stride = self.stride if len(self.stride) == 2 else [self.stride[0]] * 2

        def forward(self, x):
            ih, iw = x.size()[-2:]
            kh, kw = self.weight.size()[-2:]
            sh, sw = self.stride
            oh, ow = math.ceil(ih / sh), math.ceil(iw / sw)
            pad_h = max((oh - 1) * self.stride[0] + (kh - 1) * self.dilation[0] + 1 - ih, 0)
            pad_w = max((ow - 1) * self.stride[1] + (kw - 1) * self.dilation[1] + 1 - iw, 0)
            if pad_h > 0 or pad_w > 0:
                x = F.pad(x, [pad_w // 2, pad_w - pad_w // 2, pad_h // 2, pad_h - pad_h // 2])
            return F.conv2d(
                x, self.weight, self.bias, self.stride, self.padding, self.dilation, self.groups
            )

    def drop_connect(inputs, p, training):
        assert 0 <= p <= 1, "p must be in range of [0,1]"
        if not training:
            return inputs
        batch_size = inputs.shape[0]
        keep_prob = 1 - p
        random_tensor = keep_prob
        random_tensor += torch.rand([batch_size, 1, 1, 1], dtype=inputs.dtype, device=inputs.device)
        binary_tensor = torch.floor(random_tensor)
        output = inputs / keep_prob * binary_tensor
        return output

    class MBConvBlock(nn.Module):
        def __init__(
            self, in_ch, out_ch, expand_ratio, kernel_size, stride, se_ratio, memory_efficient
        ):
            super().__init__()
            self.has_se = se_ratio is not None and 0 < se_ratio <= 1
            self.id_skip = True
            self.stride, self.in_ch, self.out_ch = stride, in_ch, out_ch
            oup = in_ch * expand_ratio
            self._expand_conv = nn.Conv2d(in_ch, oup, kernel_size=1, bias=False)
            self._bn0 = nn.BatchNorm2d(num_features=oup, momentum=0.01, eps=1e-3)
            self._depthwise_conv = Conv2dDynamicSamePadding(
                oup, oup, groups=oup, kernel_size=kernel_size, stride=stride, bias=False
            )
            self._bn1 = nn.BatchNorm2d(num_features=oup, momentum=0.01, eps=1e-3)
            if self.has_se:
                num_squeezed = max(1, int(in_ch * se_ratio))
                self._se_reduce = nn.Conv2d(oup, num_squeezed, kernel_size=1)
                self._se_expand = nn.Conv2d(num_squeezed, oup, kernel_size=1)
            self._project_conv = nn.Conv2d(oup, out_ch, kernel_size=1, bias=False)
            self._bn2 = nn.BatchNorm2d(num_features=out_ch, momentum=0.01, eps=1e-3)
            self._swish = MemoryEfficientSwish() if memory_efficient else nn.SiLU()

        def forward(self, inputs, drop_connect_rate=None):
            x = self._swish(self._bn0(self._expand_conv(inputs)))
            x = self._swish(self._bn1(self._depthwise_conv(x)))
            if self.has_se:
                x_squeezed = F.adaptive_avg_pool2d(x, 1)
                x_squeezed = self._se_reduce(x_squeezed)
                x_squeezed = Swish()(x_squeezed)
                x_squeezed = self._se_expand(x_squeezed)
                x = torch.sigmoid(x_squeezed) * x
            x = self._bn2(self._project_conv(x))
            if self.id_skip and self.stride == 1 and self.in_ch == self.out_ch:
                if drop_connect_rate:
                    x = drop_connect(x, p=drop_connect_rate, training=self.training)
                x = x + inputs
            return x

    def channel_shuffle(x, groups):
        batchsize, num_channels, height, width = x.size()
        channels_per_group = num_channels // groups
        x = x.view(batchsize, groups, channels_per_group, height, width)
        x = torch.transpose(x, 1, 2).contiguous()
        x = x.view(batchsize, -1, height, width)
        return x

    class ShuffleUnit(nn.Module):
        def __init__(self, inp):
            super().__init__()
            branch_features = inp // 2
            self.branch2 = nn.Sequential(
                nn.Conv2d(branch_features, branch_features, 1, 1, 0, bias=False),
                nn.BatchNorm2d(branch_features),
                nn.ReLU(inplace=True),
                nn.Conv2d(
                    branch_features, branch_features, 3, 1, 1, bias=False, groups=branch_features
                ),
                nn.BatchNorm2d(branch_features),
                nn.Conv2d(branch_features, branch_features, 1, 1, 0, bias=False),
                nn.BatchNorm2d(branch_features),
                nn.ReLU(inplace=True),
            )

        def forward(self, x):
            x1, x2 = x.chunk(2, dim=1)
            out = torch.cat((x1, self.branch2(x2)), dim=1)
            out = channel_shuffle(out, 2)
            return out

    class ResNeXtBottleneck(nn.Module):
        expansion = 2

        def __init__(self, in_planes, cardinality=4, bottleneck_width=2, stride=1):
            super().__init__()
            group_width = cardinality * bottleneck_width
            self.conv1 = nn.Conv2d(in_planes, group_width, kernel_size=1, bias=False)
            self.bn1 = nn.BatchNorm2d(group_width)
            self.conv2 = nn.Conv2d(
                group_width,
                group_width,
                kernel_size=3,
                stride=stride,
                padding=1,
                groups=cardinality,
                bias=False,
            )
            self.bn2 = nn.BatchNorm2d(group_width)
            self.conv3 = nn.Conv2d(
                group_width, self.expansion * group_width, kernel_size=1, bias=False
            )
            self.bn3 = nn.BatchNorm2d(self.expansion * group_width)
            self.shortcut = nn.Sequential()
            if stride != 1 or in_planes != self.expansion * group_width:
                self.shortcut = nn.Sequential(
                    nn.Conv2d(
                        in_planes,
                        self.expansion * group_width,
                        kernel_size=1,
                        stride=stride,
                        bias=False,
                    ),
                    nn.BatchNorm2d(self.expansion * group_width),
                )

        def forward(self, x):
            out = F.relu(self.bn1(self.conv1(x)))
            out = F.relu(self.bn2(self.conv2(out)))
            out = self.bn3(self.conv3(out))
            out += self.shortcut(x)
            out = F.relu(out)
            return out

    class InvertedResidual(nn.Module):
        def __init__(self, inp, oup, stride, expand_ratio):
            super().__init__()
            hidden_dim = int(round(inp * expand_ratio))
            self.use_res_connect = stride == 1 and inp == oup
            self.conv = nn.Sequential(
                nn.Conv2d(inp, hidden_dim, 1, 1, 0, bias=False),
                nn.BatchNorm2d(hidden_dim),
                nn.ReLU6(inplace=True),
                nn.Conv2d(hidden_dim, hidden_dim, 3, stride, 1, groups=hidden_dim, bias=False),
                nn.BatchNorm2d(hidden_dim),
                nn.ReLU6(inplace=True),
                nn.Conv2d(hidden_dim, oup, 1, 1, 0, bias=False),
                nn.BatchNorm2d(oup),
            )

        def forward(self, x):
            if self.use_res_connect:
                return x + self.conv(x)
            else:
                return self.conv(x)

    mb = MBConvBlock(4, 4, 3, kernel_size=3, stride=1, se_ratio=0.25, memory_efficient=True)
    strided = MBConvBlock(4, 6, 2, kernel_size=5, stride=2, se_ratio=0.25, memory_efficient=False)
    shuffle = ShuffleUnit(8)
    resnext = ResNeXtBottleneck(8, cardinality=4, bottleneck_width=2)
    mobile = InvertedResidual(8, 8, 1, expand_ratio=4)
    net = nn.ModuleList([mb, strided, shuffle, resnext, mobile])
    sync(net)
    x = torch.tensor(rs.randn(2, 4, 6, 6), dtype=torch.float32, requires_grad=True)
    y = mb(x)
    z = torch.cat([y, y * 0.5], dim=1)
    z = shuffle(z)
    r = resnext(z)
    m = mobile(r[:, :8] * 3.0)
    down = strided(x)
    loss = m.pow(2).mean() + r.mean() + down.pow(2).mean()
    loss.backward()
    # drop_connect in training: whole samples kept (scaled by 1 / keep_prob) or zeroed
    ones = torch.ones(64, 2, 3, 3)
    dropped = drop_connect(ones, p=0.25, training=True)
    # channel_shuffle is a fixed permutation of channels
    c = torch.arange(8, dtype=torch.float32).view(1, 8, 1, 1).expand(1, 8, 2, 2)
    return {
        "mb": _out(y),
        "down": _out(down),
        "same_pad_grad": strided._depthwise_conv.weight.grad.numpy().copy(),
        "out": _out(m),
        "loss": float(loss),
        "xgrad": x.grad.numpy().copy(),
        "se_grad": mb._se_reduce.weight.grad.numpy().copy(),
        "grouped_grad": resnext.conv2.weight.grad.numpy().copy(),
        "mobile_dw_grad": mobile.conv[3].weight.grad.numpy().copy(),
        "running_mean": mb._bn1.running_mean.numpy().copy(),
        "dropped": dropped.numpy().copy(),
        "shuffled": channel_shuffle(c, 2)[0, :, 0, 0].numpy().copy(),
        "grouped_shape": tuple(resnext.conv2.weight.shape),
        "relu6_min_max": (float(mobile.conv(r[:, :8] * 3.0).min()), 0.0),
    }


def yolov3_head(torch: Any, nn: Any, F: Any, sync: Sync, byte_masks: bool = False) -> dict:
    """eriklindernoren/PyTorch-YOLOv3's YOLOLayer (decoding with FloatTensor grids, build_targets
    with BoolTensor masks, or the older ByteTensor ones with ``byte_masks``, masked MSE/BCE
    losses and metrics) and ayooshkathuria's non-maximum suppression
    (torch.sort(descending=True), in-place masking, torch.nonzero)."""
    rs = np.random.RandomState(2)

    def bbox_wh_iou(wh1, wh2):
        wh2 = wh2.t()
        w1, h1 = wh1[0], wh1[1]
        w2, h2 = wh2[0], wh2[1]
        inter_area = torch.min(w1, w2) * torch.min(h1, h2)
        union_area = (w1 * h1 + 1e-16) + w2 * h2 - inter_area
        return inter_area / union_area

    def bbox_iou(box1, box2, x1y1x2y2=True):
        if not x1y1x2y2:
            b1_x1, b1_x2 = box1[:, 0] - box1[:, 2] / 2, box1[:, 0] + box1[:, 2] / 2
            b1_y1, b1_y2 = box1[:, 1] - box1[:, 3] / 2, box1[:, 1] + box1[:, 3] / 2
            b2_x1, b2_x2 = box2[:, 0] - box2[:, 2] / 2, box2[:, 0] + box2[:, 2] / 2
            b2_y1, b2_y2 = box2[:, 1] - box2[:, 3] / 2, box2[:, 1] + box2[:, 3] / 2
        else:
            b1_x1, b1_y1, b1_x2, b1_y2 = box1[:, 0], box1[:, 1], box1[:, 2], box1[:, 3]
            b2_x1, b2_y1, b2_x2, b2_y2 = box2[:, 0], box2[:, 1], box2[:, 2], box2[:, 3]
        inter_rect_x1 = torch.max(b1_x1, b2_x1)
        inter_rect_y1 = torch.max(b1_y1, b2_y1)
        inter_rect_x2 = torch.min(b1_x2, b2_x2)
        inter_rect_y2 = torch.min(b1_y2, b2_y2)
        inter_area = torch.clamp(inter_rect_x2 - inter_rect_x1 + 1, min=0) * torch.clamp(
            inter_rect_y2 - inter_rect_y1 + 1, min=0
        )
        b1_area = (b1_x2 - b1_x1 + 1) * (b1_y2 - b1_y1 + 1)
        b2_area = (b2_x2 - b2_x1 + 1) * (b2_y2 - b2_y1 + 1)
        iou = inter_area / (b1_area + b2_area - inter_area + 1e-16)
        return iou

    def build_targets(pred_boxes, pred_cls, target, anchors, ignore_thres):
        BoolTensor = torch.cuda.BoolTensor if pred_boxes.is_cuda else torch.BoolTensor
        if byte_masks:
            BoolTensor = torch.cuda.ByteTensor if pred_boxes.is_cuda else torch.ByteTensor
        FloatTensor = torch.cuda.FloatTensor if pred_boxes.is_cuda else torch.FloatTensor
        nB = pred_boxes.size(0)
        nA = pred_boxes.size(1)
        nC = pred_cls.size(-1)
        nG = pred_boxes.size(2)
        obj_mask = BoolTensor(nB, nA, nG, nG).fill_(0)
        noobj_mask = BoolTensor(nB, nA, nG, nG).fill_(1)
        class_mask = FloatTensor(nB, nA, nG, nG).fill_(0)
        iou_scores = FloatTensor(nB, nA, nG, nG).fill_(0)
        tx = FloatTensor(nB, nA, nG, nG).fill_(0)
        ty = FloatTensor(nB, nA, nG, nG).fill_(0)
        tw = FloatTensor(nB, nA, nG, nG).fill_(0)
        th = FloatTensor(nB, nA, nG, nG).fill_(0)
        tcls = FloatTensor(nB, nA, nG, nG, nC).fill_(0)
        target_boxes = target[:, 2:6] * nG
        gxy = target_boxes[:, :2]
        gwh = target_boxes[:, 2:]
        ious = torch.stack([bbox_wh_iou(anchor, gwh) for anchor in anchors])
        best_ious, best_n = ious.max(0)
        b, target_labels = target[:, :2].long().t()
        gx, gy = gxy.t()
        gw, gh = gwh.t()
        gi, gj = gxy.long().t()
        obj_mask[b, best_n, gj, gi] = 1
        noobj_mask[b, best_n, gj, gi] = 0
        for i, anchor_ious in enumerate(ious.t()):
            noobj_mask[b[i], anchor_ious > ignore_thres, gj[i], gi[i]] = 0
        tx[b, best_n, gj, gi] = gx - gx.floor()
        ty[b, best_n, gj, gi] = gy - gy.floor()
        tw[b, best_n, gj, gi] = torch.log(gw / anchors[best_n][:, 0] + 1e-16)
        th[b, best_n, gj, gi] = torch.log(gh / anchors[best_n][:, 1] + 1e-16)
        tcls[b, best_n, gj, gi, target_labels] = 1
        class_mask[b, best_n, gj, gi] = (
            pred_cls[b, best_n, gj, gi].argmax(-1) == target_labels
        ).float()
        iou_scores[b, best_n, gj, gi] = bbox_iou(
            pred_boxes[b, best_n, gj, gi], target_boxes, x1y1x2y2=False
        )
        tconf = obj_mask.float()
        return iou_scores, class_mask, obj_mask, noobj_mask, tx, ty, tw, th, tcls, tconf

    class YOLOLayer(nn.Module):
        def __init__(self, anchors, num_classes, img_dim=416):
            super().__init__()
            self.anchors = anchors
            self.num_anchors = len(anchors)
            self.num_classes = num_classes
            self.ignore_thres = 0.5
            self.mse_loss = nn.MSELoss()
            self.bce_loss = nn.BCELoss()
            self.obj_scale = 1
            self.noobj_scale = 100
            self.metrics = {}
            self.img_dim = img_dim
            self.grid_size = 0

        def compute_grid_offsets(self, grid_size, cuda=True):
            self.grid_size = grid_size
            g = self.grid_size
            FloatTensor = torch.cuda.FloatTensor if cuda else torch.FloatTensor
            self.stride = self.img_dim / self.grid_size
            self.grid_x = torch.arange(g).repeat(g, 1).view([1, 1, g, g]).type(FloatTensor)
            self.grid_y = torch.arange(g).repeat(g, 1).t().view([1, 1, g, g]).type(FloatTensor)
            self.scaled_anchors = FloatTensor(
                [(a_w / self.stride, a_h / self.stride) for a_w, a_h in self.anchors]
            )
            self.anchor_w = self.scaled_anchors[:, 0:1].view((1, self.num_anchors, 1, 1))
            self.anchor_h = self.scaled_anchors[:, 1:2].view((1, self.num_anchors, 1, 1))

        def forward(self, x, targets=None, img_dim=None):
            FloatTensor = torch.cuda.FloatTensor if x.is_cuda else torch.FloatTensor
            self.img_dim = img_dim
            num_samples = x.size(0)
            grid_size = x.size(2)
            prediction = (
                x.view(num_samples, self.num_anchors, self.num_classes + 5, grid_size, grid_size)
                .permute(0, 1, 3, 4, 2)
                .contiguous()
            )
            x = torch.sigmoid(prediction[..., 0])
            y = torch.sigmoid(prediction[..., 1])
            w = prediction[..., 2]
            h = prediction[..., 3]
            pred_conf = torch.sigmoid(prediction[..., 4])
            pred_cls = torch.sigmoid(prediction[..., 5:])
            if grid_size != self.grid_size:
                self.compute_grid_offsets(grid_size, cuda=x.is_cuda)
            pred_boxes = FloatTensor(prediction[..., :4].shape)
            pred_boxes[..., 0] = x.data + self.grid_x
            pred_boxes[..., 1] = y.data + self.grid_y
            pred_boxes[..., 2] = torch.exp(w.data) * self.anchor_w
            pred_boxes[..., 3] = torch.exp(h.data) * self.anchor_h
            output = torch.cat(
                (
                    pred_boxes.view(num_samples, -1, 4) * self.stride,
                    pred_conf.view(num_samples, -1, 1),
                    pred_cls.view(num_samples, -1, self.num_classes),
                ),
                -1,
            )
            if targets is None:
                return output, 0
            iou_scores, class_mask, obj_mask, noobj_mask, tx, ty, tw, th, tcls, tconf = (
                build_targets(
                    pred_boxes=pred_boxes,
                    pred_cls=pred_cls,
                    target=targets,
                    anchors=self.scaled_anchors,
                    ignore_thres=self.ignore_thres,
                )
            )
            loss_x = self.mse_loss(x[obj_mask], tx[obj_mask])
            loss_y = self.mse_loss(y[obj_mask], ty[obj_mask])
            loss_w = self.mse_loss(w[obj_mask], tw[obj_mask])
            loss_h = self.mse_loss(h[obj_mask], th[obj_mask])
            loss_conf_obj = self.bce_loss(pred_conf[obj_mask], tconf[obj_mask])
            loss_conf_noobj = self.bce_loss(pred_conf[noobj_mask], tconf[noobj_mask])
            loss_conf = self.obj_scale * loss_conf_obj + self.noobj_scale * loss_conf_noobj
            loss_cls = self.bce_loss(pred_cls[obj_mask], tcls[obj_mask])
            total_loss = loss_x + loss_y + loss_w + loss_h + loss_conf + loss_cls
            cls_acc = 100 * class_mask[obj_mask].mean()
            conf_obj = pred_conf[obj_mask].mean()
            conf_noobj = pred_conf[noobj_mask].mean()
            conf50 = (pred_conf > 0.5).float()
            iou50 = (iou_scores > 0.5).float()
            detected_mask = conf50 * class_mask * tconf
            precision = torch.sum(iou50 * detected_mask) / (conf50.sum() + 1e-16)
            recall50 = torch.sum(iou50 * detected_mask) / (obj_mask.sum() + 1e-16)
            self.metrics = {
                "loss": total_loss.item(),
                "x": loss_x.item(),
                "w": loss_w.item(),
                "conf": loss_conf.item(),
                "cls": loss_cls.item(),
                "cls_acc": cls_acc.item(),
                "precision": precision.item(),
                "recall50": recall50.item(),
                "conf_obj": conf_obj.item(),
                "conf_noobj": conf_noobj.item(),
                "grid_size": grid_size,
            }
            self.masks = (obj_mask, noobj_mask)
            return output, total_loss

    def unique(tensor):
        tensor_np = tensor.cpu().numpy()
        unique_np = np.unique(tensor_np)
        unique_tensor = torch.from_numpy(unique_np)
        tensor_res = tensor.new(unique_tensor.shape)
        tensor_res.copy_(unique_tensor)
        return tensor_res

    def write_results(prediction, confidence, num_classes, nms_conf=0.4):
        conf_mask = (prediction[:, :, 4] > confidence).float().unsqueeze(2)
        prediction = prediction * conf_mask
        box_corner = prediction.new(prediction.shape)
        box_corner[:, :, 0] = prediction[:, :, 0] - prediction[:, :, 2] / 2
        box_corner[:, :, 1] = prediction[:, :, 1] - prediction[:, :, 3] / 2
        box_corner[:, :, 2] = prediction[:, :, 0] + prediction[:, :, 2] / 2
        box_corner[:, :, 3] = prediction[:, :, 1] + prediction[:, :, 3] / 2
        prediction[:, :, :4] = box_corner[:, :, :4]
        batch_size = prediction.size(0)
        write = False
        for ind in range(batch_size):
            image_pred = prediction[ind]
            max_conf, max_conf_score = torch.max(image_pred[:, 5 : 5 + num_classes], 1)
            max_conf = max_conf.float().unsqueeze(1)
            max_conf_score = max_conf_score.float().unsqueeze(1)
            seq = (image_pred[:, :5], max_conf, max_conf_score)
            image_pred = torch.cat(seq, 1)
            non_zero_ind = torch.nonzero(image_pred[:, 4])
            try:
                image_pred_ = image_pred[non_zero_ind.squeeze(), :].view(-1, 7)
            except Exception:
                continue
            if image_pred_.shape[0] == 0:
                continue
            img_classes = unique(image_pred_[:, -1])
            for cls in img_classes:
                cls_mask = image_pred_ * (image_pred_[:, -1] == cls).float().unsqueeze(1)
                class_mask_ind = torch.nonzero(cls_mask[:, -2]).squeeze()
                image_pred_class = image_pred_[class_mask_ind].view(-1, 7)
                conf_sort_index = torch.sort(image_pred_class[:, 4], descending=True)[1]
                image_pred_class = image_pred_class[conf_sort_index]
                idx = image_pred_class.size(0)
                for i in range(idx):
                    try:
                        ious = bbox_iou(image_pred_class[i].unsqueeze(0), image_pred_class[i + 1 :])
                    except ValueError:
                        break
                    except IndexError:
                        break
                    iou_mask = (ious < nms_conf).float().unsqueeze(1)
                    image_pred_class[i + 1 :] *= iou_mask
                    non_zero_ind = torch.nonzero(image_pred_class[:, 4]).squeeze()
                    image_pred_class = image_pred_class[non_zero_ind].view(-1, 7)
                batch_ind = image_pred_class.new(image_pred_class.size(0), 1).fill_(ind)
                seq = batch_ind, image_pred_class
                if not write:
                    output = torch.cat(seq, 1)
                    write = True
                else:
                    out = torch.cat(seq, 1)
                    output = torch.cat((output, out))
        try:
            return output
        except NameError:
            return 0

    anchors = [(10, 13), (16, 30), (33, 23)]
    nC, nG, img_dim = 3, 4, 32
    conv = nn.Conv2d(6, len(anchors) * (nC + 5), 1)
    yolo = YOLOLayer(anchors, nC, img_dim)
    sync(conv)
    feats = torch.tensor(rs.randn(2, 6, nG, nG), dtype=torch.float32)
    # (sample, class, x, y, w, h), normalised
    targets = torch.tensor(
        [
            [0, 1, 0.30, 0.40, 0.40, 0.45],
            [0, 2, 0.70, 0.20, 0.90, 0.60],
            [1, 0, 0.55, 0.65, 0.35, 0.80],
        ],
        dtype=torch.float32,
    )
    output, loss = yolo(conv(feats), targets, img_dim)
    loss.backward()
    yolo.eval()
    with torch.no_grad():
        det_in = output.detach().clone()
        det_in[..., 4] = torch.tensor(rs.rand(2, 48), dtype=torch.float32)
        detections = write_results(det_in, 0.5, nC, nms_conf=0.3)
    obj_mask, noobj_mask = yolo.masks
    sorted_vals, sorted_idx = torch.sort(torch.tensor([0.2, 0.9, 0.5, 0.7]), descending=True)
    return {
        "output": _out(output),
        "loss": float(loss),
        "metrics": [v for k, v in sorted(yolo.metrics.items())],
        "w_grad": conv.weight.grad.numpy().copy(),
        "obj_mask": obj_mask.numpy().copy(),
        "noobj_mask": noobj_mask.numpy().copy(),
        "mask_dtype": str(obj_mask.dtype).split(".")[-1],
        "grid_x": yolo.grid_x.numpy().copy(),
        "grid_y": yolo.grid_y.numpy().copy(),
        "grid_dtype": str(yolo.grid_x.dtype).split(".")[-1],
        "anchor_w": yolo.anchor_w.numpy().copy(),
        "detections": detections.numpy().copy(),
        "sorted": (sorted_vals.numpy().copy(), sorted_idx.numpy().copy()),
    }


def yolov3_ultralytics(torch: Any, nn: Any, F: Any, sync: Sync) -> dict:
    """ultralytics/yolov3's YOLOLayer inference decoding (torch.meshgrid grid, io = p.clone(),
    slice assignments, torch.sigmoid_ on a slice), its build_targets / compute_loss (anchor
    matching by wh_iou, gain indexed with a list, clamp_ with tensor bounds, GIoU,
    BCEWithLogitsLoss(pos_weight=...)), and eriklindernoren's merging non_max_suppression."""
    rs = np.random.RandomState(9)
    bs, na, nc, ny, nx, stride = 2, 3, 2, 4, 5, 8
    no = nc + 5
    anchors = torch.tensor([[1.0, 1.5], [2.0, 2.0], [0.5, 1.0]])
    conv = nn.Conv2d(4, na * no, 1)
    sync(conv)
    feats = torch.tensor(rs.randn(bs, 4, ny, nx), dtype=torch.float32)
    p = conv(feats)
    p = p.view(bs, na, no, ny, nx).permute(0, 1, 3, 4, 2).contiguous()

    yv, xv = torch.meshgrid([torch.arange(ny), torch.arange(nx)], indexing="ij")
    grid = torch.stack((xv, yv), 2).view((1, 1, ny, nx, 2)).float()
    anchor_wh = anchors.view(1, na, 1, 1, 2)
    with torch.no_grad():
        io = p.clone()
        io[..., :2] = torch.sigmoid(io[..., :2]) + grid
        io[..., 2:4] = torch.exp(io[..., 2:4]) * anchor_wh
        io[..., :4] *= stride
        torch.sigmoid_(io[..., 4:])
        inference = io.view(bs, -1, no)

    def bbox_iou(box1, box2, x1y1x2y2=True, GIoU=False):
        box2 = box2.t()
        if x1y1x2y2:
            b1_x1, b1_y1, b1_x2, b1_y2 = box1[0], box1[1], box1[2], box1[3]
            b2_x1, b2_y1, b2_x2, b2_y2 = box2[0], box2[1], box2[2], box2[3]
        else:
            b1_x1, b1_x2 = box1[0] - box1[2] / 2, box1[0] + box1[2] / 2
            b1_y1, b1_y2 = box1[1] - box1[3] / 2, box1[1] + box1[3] / 2
            b2_x1, b2_x2 = box2[0] - box2[2] / 2, box2[0] + box2[2] / 2
            b2_y1, b2_y2 = box2[1] - box2[3] / 2, box2[1] + box2[3] / 2
        inter = (torch.min(b1_x2, b2_x2) - torch.max(b1_x1, b2_x1)).clamp(0) * (
            torch.min(b1_y2, b2_y2) - torch.max(b1_y1, b2_y1)
        ).clamp(0)
        w1, h1 = b1_x2 - b1_x1, b1_y2 - b1_y1
        w2, h2 = b2_x2 - b2_x1, b2_y2 - b2_y1
        union = (w1 * h1 + 1e-16) + w2 * h2 - inter
        iou = inter / union
        if GIoU:
            cw = torch.max(b1_x2, b2_x2) - torch.min(b1_x1, b2_x1)
            ch = torch.max(b1_y2, b2_y2) - torch.min(b1_y1, b2_y1)
            c_area = cw * ch + 1e-16
            return iou - (c_area - union) / c_area
        return iou

    def wh_iou(wh1, wh2):
        wh1 = wh1[:, None]
        wh2 = wh2[None]
        inter = torch.min(wh1, wh2).prod(2)
        return inter / (wh1.prod(2) + wh2.prod(2) - inter)

    targets = torch.tensor(
        [[0, 1, 0.3, 0.4, 0.2, 0.3], [1, 0, 0.8, 0.7, 0.4, 0.1], [1, 1, 0.5, 0.5, 0.1, 0.2]]
    )
    nt = targets.shape[0]
    gain = torch.ones(6, device=targets.device)
    at = torch.arange(na).view(na, 1).repeat(1, nt)
    gain[2:] = torch.tensor(p.shape)[[3, 2, 3, 2]]
    t = targets * gain
    j = wh_iou(anchors, t[:, 4:6]) > 0.2
    a, t = at[j], t.repeat(na, 1, 1)[j]
    b, c = t[:, :2].long().T
    gxy = t[:, 2:4]
    gwh = t[:, 4:6]
    gij = gxy.long()
    gi, gj = gij.T
    indices = (b, a, gj.clamp_(0, gain[3].long() - 1), gi.clamp_(0, gain[2].long() - 1))
    tbox = torch.cat((gxy - gij, gwh), 1)

    BCEcls = nn.BCEWithLogitsLoss(pos_weight=torch.tensor([1.0]))
    BCEobj = nn.BCEWithLogitsLoss(pos_weight=torch.tensor([1.0]))
    tobj = torch.zeros_like(p[..., 0])
    ps = p[indices]
    pxy = ps[:, :2].sigmoid()
    pwh = ps[:, 2:4].exp().clamp(max=1e3) * anchors[a]
    pbox = torch.cat((pxy, pwh), 1)
    giou = bbox_iou(pbox.t(), tbox, x1y1x2y2=False, GIoU=True)
    lbox = (1.0 - giou).mean()
    tobj[indices] = giou.detach().clamp(0).type(tobj.dtype)
    tc = torch.full_like(ps[:, 5:], 0.0)
    tc[range(len(b)), c] = 1.0
    lcls = BCEcls(ps[:, 5:], tc)
    lobj = BCEobj(p[..., 4], tobj)
    loss = lbox + lobj + lcls
    loss.backward()

    def xywh2xyxy(x):
        y = x.new(x.shape)
        y[..., 0] = x[..., 0] - x[..., 2] / 2
        y[..., 1] = x[..., 1] - x[..., 3] / 2
        y[..., 2] = x[..., 0] + x[..., 2] / 2
        y[..., 3] = x[..., 1] + x[..., 3] / 2
        return y

    def non_max_suppression(prediction, conf_thres=0.5, nms_thres=0.4):
        prediction[..., :4] = xywh2xyxy(prediction[..., :4])
        output = [None for _ in range(len(prediction))]
        for image_i, image_pred in enumerate(prediction):
            image_pred = image_pred[image_pred[:, 4] >= conf_thres]
            if not image_pred.size(0):
                continue
            score = image_pred[:, 4] * image_pred[:, 5:].max(1)[0]
            image_pred = image_pred[(-score).argsort()]
            class_confs, class_preds = image_pred[:, 5:].max(1, keepdim=True)
            detections = torch.cat((image_pred[:, :5], class_confs.float(), class_preds.float()), 1)
            keep_boxes = []
            while detections.size(0):
                large_overlap = (
                    bbox_iou(detections[0, :4].unsqueeze(0).t(), detections[:, :4]) > nms_thres
                )
                label_match = detections[0, -1] == detections[:, -1]
                invalid = large_overlap & label_match
                weights = detections[invalid, 4:5]
                detections[0, :4] = (weights * detections[invalid, :4]).sum(0) / weights.sum()
                keep_boxes += [detections[0]]
                detections = detections[~invalid]
            if keep_boxes:
                output[image_i] = torch.stack(keep_boxes)
        return output

    dets = non_max_suppression(inference.clone(), conf_thres=0.3, nms_thres=0.3)
    return {
        "p": _out(p),
        "inference": _out(inference),
        "grid": grid.numpy().copy(),
        "indices": [i.numpy().copy() for i in indices],
        "tbox": _out(tbox),
        "giou": _out(giou),
        "loss": float(loss),
        "tobj": _out(tobj),
        "w_grad": conv.weight.grad.numpy().copy(),
        "dets": [np.zeros((0, 7)) if d is None else _out(d) for d in dets],
    }


def segmentation(torch: Any, nn: Any, F: Any, sync: Sync) -> dict:
    """A U-Net-style decoder (ConvTranspose2d up, F.pad to the skip's size, torch.cat), an FCN
    head upsampled with F.interpolate, torchvision's DeepLabV3 ASPP (atrous 3x3 convs with
    dilation 6/12/18 and the image-pooling branch), a Dice loss, and
    CrossEntropyLoss(ignore_index=255) on (N, C, H, W) logits."""
    rs = np.random.RandomState(3)

    class DoubleConv(nn.Module):
        def __init__(self, in_channels, out_channels, mid_channels=None):
            super().__init__()
            if not mid_channels:
                mid_channels = out_channels
            self.double_conv = nn.Sequential(
                nn.Conv2d(in_channels, mid_channels, kernel_size=3, padding=1, bias=False),
                nn.BatchNorm2d(mid_channels),
                nn.ReLU(inplace=True),
                nn.Conv2d(mid_channels, out_channels, kernel_size=3, padding=1, bias=False),
                nn.BatchNorm2d(out_channels),
                nn.ReLU(inplace=True),
            )

        def forward(self, x):
            return self.double_conv(x)

    class Up(nn.Module):
        def __init__(self, in_channels, out_channels):
            super().__init__()
            self.up = nn.ConvTranspose2d(in_channels, in_channels // 2, kernel_size=2, stride=2)
            self.conv = DoubleConv(in_channels, out_channels)

        def forward(self, x1, x2):
            x1 = self.up(x1)
            diffY = x2.size()[2] - x1.size()[2]
            diffX = x2.size()[3] - x1.size()[3]
            x1 = F.pad(x1, [diffX // 2, diffX - diffX // 2, diffY // 2, diffY - diffY // 2])
            x = torch.cat([x2, x1], dim=1)
            return self.conv(x)

    class ASPPConv(nn.Sequential):
        def __init__(self, in_channels, out_channels, dilation):
            modules = [
                nn.Conv2d(
                    in_channels, out_channels, 3, padding=dilation, dilation=dilation, bias=False
                ),
                nn.BatchNorm2d(out_channels),
                nn.ReLU(),
            ]
            super().__init__(*modules)

    class ASPPPooling(nn.Sequential):
        def __init__(self, in_channels, out_channels):
            super().__init__(
                nn.AdaptiveAvgPool2d(1),
                nn.Conv2d(in_channels, out_channels, 1, bias=False),
                nn.BatchNorm2d(out_channels),
                nn.ReLU(),
            )

        def forward(self, x):
            size = x.shape[-2:]
            for mod in self:
                x = mod(x)
            return F.interpolate(x, size=size, mode="bilinear", align_corners=False)

    class ASPP(nn.Module):
        def __init__(self, in_channels, atrous_rates, out_channels=8):
            super().__init__()
            modules = []
            modules.append(
                nn.Sequential(
                    nn.Conv2d(in_channels, out_channels, 1, bias=False),
                    nn.BatchNorm2d(out_channels),
                    nn.ReLU(),
                )
            )
            rates = tuple(atrous_rates)
            for rate in rates:
                modules.append(ASPPConv(in_channels, out_channels, rate))
            modules.append(ASPPPooling(in_channels, out_channels))
            self.convs = nn.ModuleList(modules)
            self.project = nn.Sequential(
                nn.Conv2d(len(self.convs) * out_channels, out_channels, 1, bias=False),
                nn.BatchNorm2d(out_channels),
                nn.ReLU(),
                nn.Dropout(0.5),
            )

        def forward(self, x):
            _res = []
            for conv in self.convs:
                _res.append(conv(x))
            res = torch.cat(_res, dim=1)
            return self.project(res)

    class Net(nn.Module):
        def __init__(self, n_channels=3, n_classes=4):
            super().__init__()
            self.inc = DoubleConv(n_channels, 8)
            self.down = nn.Sequential(nn.MaxPool2d(2), DoubleConv(8, 16))
            self.aspp = ASPP(16, [6, 12, 18], 16)
            self.up = Up(16, 8)
            self.outc = nn.Conv2d(8, n_classes, kernel_size=1)
            self.fcn_head = nn.Conv2d(16, n_classes, 1)

        def forward(self, x):
            input_shape = x.shape[-2:]
            x1 = self.inc(x)
            x2 = self.aspp(self.down(x1))
            logits = self.outc(self.up(x2, x1))
            aux = F.interpolate(
                self.fcn_head(x2), size=input_shape, mode="bilinear", align_corners=False
            )
            return logits, aux

    class PSPModule(nn.Module):
        def __init__(self, features, out_features=8, sizes=(1, 2, 3, 6)):
            super().__init__()
            self.stages = nn.ModuleList([self._make_stage(features, size) for size in sizes])
            self.bottleneck = nn.Conv2d(features * (len(sizes) + 1), out_features, kernel_size=1)
            self.relu = nn.ReLU()

        def _make_stage(self, features, size):
            prior = nn.AdaptiveAvgPool2d(output_size=(size, size))
            conv = nn.Conv2d(features, features, kernel_size=1, bias=False)
            return nn.Sequential(prior, conv)

        def forward(self, feats):
            h, w = feats.size(2), feats.size(3)
            priors = [
                F.upsample(input=stage(feats), size=(h, w), mode="bilinear")
                for stage in self.stages
            ] + [feats]
            bottle = self.bottleneck(torch.cat(priors, 1))
            return self.relu(bottle)

    def dice_loss(pred, target, smooth=1.0):
        pred = pred.contiguous()
        target = target.contiguous()
        intersection = (pred * target).sum(dim=2).sum(dim=2)
        loss = 1 - (
            (2.0 * intersection + smooth)
            / (pred.sum(dim=2).sum(dim=2) + target.sum(dim=2).sum(dim=2) + smooth)
        )
        return loss.mean()

    def soft_dice(logits, true, eps=1e-7):
        num_classes = logits.shape[1]
        true_1_hot = F.one_hot(true.clamp(max=num_classes - 1), num_classes)
        true_1_hot = true_1_hot.permute(0, 3, 1, 2).float()
        probas = F.softmax(logits, dim=1)
        dims = (0,) + tuple(range(2, true.ndimension() + 1))
        intersection = torch.sum(probas * true_1_hot, dims)
        cardinality = torch.sum(probas + true_1_hot, dims)
        dice = (2.0 * intersection / (cardinality + eps)).mean()
        return 1 - dice

    net = Net()
    psp = PSPModule(8)
    sync(net)
    sync(psp)
    net.train()
    x = torch.tensor(rs.randn(2, 3, 9, 9), dtype=torch.float32, requires_grad=True)
    target = torch.tensor(rs.randint(0, 4, size=(2, 9, 9)), dtype=torch.int64)
    target[0, :2, :] = 255
    criterion = nn.CrossEntropyLoss(ignore_index=255)
    net.aspp.project[3].p = 0.0  # its dropout draws differ between libraries
    logits, aux = net(x)
    ce = criterion(logits, target) + 0.4 * criterion(aux, target)
    probs = torch.sigmoid(logits)
    valid = (target != 255).unsqueeze(1).float()
    onehot = F.one_hot(target.clamp(max=3), 4).permute(0, 3, 1, 2).float() * valid
    dice = dice_loss(probs, onehot)
    sdice = soft_dice(logits, target)
    intersection = (probs * onehot).sum(dim=(2, 3))
    psp_out = psp(net.inc(x))
    psp_up = F.upsample_bilinear(psp_out, scale_factor=2)
    total = ce + dice + sdice + psp_up.pow(2).mean()
    total.backward()
    pred = logits.argmax(1)
    ok = pred == target
    pixel_acc = ok[target != 255].float().mean()

    def _fast_hist(label_true, label_pred, n_class):
        mask = (label_true >= 0) & (label_true < n_class)
        hist = torch.bincount(
            n_class * label_true[mask] + label_pred[mask], minlength=n_class**2
        ).reshape(n_class, n_class)
        return hist

    hist = _fast_hist(target.flatten(), pred.flatten(), 4)
    iu = torch.diag(hist) / (hist.sum(dim=1) + hist.sum(dim=0) - torch.diag(hist))
    miou = torch.nanmean(iu.float())
    return {
        "logits": _out(logits),
        "aux": _out(aux),
        "ce": float(ce),
        "ce_none": _out(F.cross_entropy(logits, target, ignore_index=255, reduction="none")),
        "dice": float(dice),
        "soft_dice": float(sdice),
        "intersection": _out(intersection),
        "xgrad": x.grad.numpy().copy(),
        "aspp_grad": net.aspp.convs[3][0].weight.grad.numpy().copy(),
        "up_grad": net.up.up.weight.grad.numpy().copy(),
        "psp": _out(psp_out),
        "psp_up": _out(psp_up),
        "psp_grad": psp.stages[3][1].weight.grad.numpy().copy(),
        "pixel_acc": float(pixel_acc),
        "hist": hist.numpy().copy(),
        "miou": float(miou),
        "pred": pred.numpy().copy(),
        "target": target.numpy().copy(),
        "dilations": [tuple(c[0].dilation) for c in net.aspp.convs[1:4]],
        "pool_type": type(net.aspp.convs[4][0]).__name__,
    }


def transformer_xl(torch: Any, nn: Any, F: Any, sync: Sync) -> dict:
    """kimiyoung/transformer-xl: PositionalEmbedding with torch.ger, _rel_shift by padding and
    re-viewing, and RelPartialLearnableMultiHeadAttn with tuple-operand einsums, r_w / r_r
    biases, the causal mask with memory and attn_score.mul_(scale)."""
    rs = np.random.RandomState(4)

    class PositionalEmbedding(nn.Module):
        def __init__(self, demb):
            super().__init__()
            self.demb = demb
            inv_freq = 1 / (10000 ** (torch.arange(0.0, demb, 2.0) / demb))
            self.register_buffer("inv_freq", inv_freq)

        def forward(self, pos_seq, bsz=None):
            sinusoid_inp = torch.ger(pos_seq, self.inv_freq)
            pos_emb = torch.cat([sinusoid_inp.sin(), sinusoid_inp.cos()], dim=-1)
            if bsz is not None:
                return pos_emb[:, None, :].expand(-1, bsz, -1)
            return pos_emb[:, None, :]

    class RelPartialLearnableMultiHeadAttn(nn.Module):
        def __init__(self, n_head, d_model, d_head):
            super().__init__()
            self.n_head, self.d_model, self.d_head = n_head, d_model, d_head
            self.qkv_net = nn.Linear(d_model, 3 * n_head * d_head, bias=False)
            self.o_net = nn.Linear(n_head * d_head, d_model, bias=False)
            self.layer_norm = nn.LayerNorm(d_model)
            self.scale = 1 / (d_head**0.5)
            self.r_net = nn.Linear(d_model, n_head * d_head, bias=False)

        def _rel_shift(self, x, zero_triu=False):
            zero_pad = torch.zeros((x.size(0), 1, *x.size()[2:]), device=x.device, dtype=x.dtype)
            x_padded = torch.cat([zero_pad, x], dim=1)
            x_padded = x_padded.view(x.size(1) + 1, x.size(0), *x.size()[2:])
            x = x_padded[1:].view_as(x)
            if zero_triu:
                ones = torch.ones((x.size(0), x.size(1)))
                x = x * torch.tril(ones, x.size(1) - x.size(0))[:, :, None, None]
            return x

        def forward(self, w, r, r_w_bias, r_r_bias, attn_mask=None, mems=None):
            qlen, rlen, bsz = w.size(0), r.size(0), w.size(1)
            if mems is not None:
                cat = torch.cat([mems, w], 0)
                w_heads = self.qkv_net(cat)
                r_head_k = self.r_net(r)
                w_head_q, w_head_k, w_head_v = torch.chunk(w_heads, 3, dim=-1)
                w_head_q = w_head_q[-qlen:]
            else:
                w_heads = self.qkv_net(w)
                r_head_k = self.r_net(r)
                w_head_q, w_head_k, w_head_v = torch.chunk(w_heads, 3, dim=-1)
            klen = w_head_k.size(0)
            w_head_q = w_head_q.view(qlen, bsz, self.n_head, self.d_head)
            w_head_k = w_head_k.view(klen, bsz, self.n_head, self.d_head)
            w_head_v = w_head_v.view(klen, bsz, self.n_head, self.d_head)
            r_head_k = r_head_k.view(rlen, self.n_head, self.d_head)
            rw_head_q = w_head_q + r_w_bias
            AC = torch.einsum("ibnd,jbnd->ijbn", (rw_head_q, w_head_k))
            rr_head_q = w_head_q + r_r_bias
            BD = torch.einsum("ibnd,jnd->ijbn", (rr_head_q, r_head_k))
            BD = self._rel_shift(BD)
            attn_score = AC + BD
            attn_score.mul_(self.scale)
            if attn_mask is not None and attn_mask.any().item():
                if attn_mask.dim() == 2:
                    attn_score = (
                        attn_score.float()
                        .masked_fill(attn_mask[None, :, :, None], -float("inf"))
                        .type_as(attn_score)
                    )
                elif attn_mask.dim() == 3:
                    attn_score = (
                        attn_score.float()
                        .masked_fill(attn_mask[:, :, :, None], -float("inf"))
                        .type_as(attn_score)
                    )
            attn_prob = F.softmax(attn_score, dim=1)
            self.attn_prob = attn_prob
            attn_vec = torch.einsum("ijbn,jbnd->ibnd", (attn_prob, w_head_v))
            attn_vec = attn_vec.contiguous().view(
                attn_vec.size(0), attn_vec.size(1), self.n_head * self.d_head
            )
            attn_out = self.o_net(attn_vec)
            return self.layer_norm(w + attn_out)

    n_head, d_model, d_head, qlen, mlen, bsz = 2, 8, 4, 4, 3, 2
    klen = qlen + mlen
    attn = RelPartialLearnableMultiHeadAttn(n_head, d_model, d_head)
    pos_emb_mod = PositionalEmbedding(d_model)
    r_w_bias = nn.Parameter(torch.Tensor(n_head, d_head))
    r_r_bias = nn.Parameter(torch.Tensor(n_head, d_head))
    nn.init.normal_(r_w_bias, 0.0, 0.02)
    nn.init.normal_(r_r_bias, 0.0, 0.02)
    sync(attn)
    sync([r_w_bias, r_r_bias])
    w = torch.tensor(rs.randn(qlen, bsz, d_model), dtype=torch.float32, requires_grad=True)
    mems = torch.tensor(rs.randn(mlen, bsz, d_model), dtype=torch.float32)
    pos_seq = torch.arange(klen - 1, -1, -1.0, device=w.device, dtype=w.dtype)
    pos_emb = pos_emb_mod(pos_seq)
    dec_attn_mask = torch.triu(w.new_ones(qlen, klen), diagonal=1 + mlen).bool()[:, :, None]
    out = attn(w, pos_emb, r_w_bias, r_r_bias, attn_mask=dec_attn_mask, mems=mems)
    out.pow(2).sum().backward()
    attn_prob = attn.attn_prob

    # two segments with memories, as MemTransformerLM: init_mems' 1-d empty tensors are
    # concatenated with the hidden states, then the last mem_len states are kept
    def init_mems(n_layer):
        param = next(attn.parameters())
        return [torch.empty(0, dtype=param.dtype, device=param.device) for _ in range(n_layer + 1)]

    def _update_mems(hids, mems, qlen, mlen, mem_len=5, ext_len=0):
        assert len(hids) == len(mems), "len(hids) != len(mems)"
        with torch.no_grad():
            new_mems = []
            end_idx = mlen + max(0, qlen - 0 - ext_len)
            beg_idx = max(0, end_idx - mem_len)
            for i in range(len(hids)):
                cat = torch.cat([mems[i], hids[i]], dim=0)
                new_mems.append(cat[beg_idx:end_idx].detach())
        return new_mems

    def segment(word_emb, seg_mems):
        qlen = word_emb.size(0)
        mlen = seg_mems[0].size(0) if seg_mems is not None else 0
        klen = mlen + qlen
        mask = torch.triu(word_emb.new_ones(qlen, klen), diagonal=1 + mlen).bool()[:, :, None]
        pos = torch.arange(klen - 1, -1, -1.0, device=word_emb.device, dtype=word_emb.dtype)
        hids = [word_emb]
        core_out = attn(word_emb, pos_emb_mod(pos), r_w_bias, r_r_bias, mask, seg_mems[0])
        hids.append(core_out)
        return core_out, _update_mems(hids, seg_mems, qlen, mlen)

    seg_mems = init_mems(1)
    seg_outs = []
    for _ in range(2):
        seg_in = torch.tensor(rs.randn(qlen, bsz, d_model), dtype=torch.float32)
        seg_out, seg_mems = segment(seg_in, seg_mems)
        seg_outs.append(_out(seg_out))
    # _rel_shift on a labelled grid: row i is shifted left by qlen - 1 - i
    grid = torch.arange(qlen * klen, dtype=torch.float32).view(qlen, klen, 1, 1)
    shifted = attn._rel_shift(grid)
    return {
        "out": _out(out),
        "attn_prob": _out(attn_prob),
        "wgrad": w.grad.numpy().copy(),
        "r_w_grad": r_w_bias.grad.numpy().copy(),
        "r_r_grad": r_r_bias.grad.numpy().copy(),
        "qkv_grad": attn.qkv_net.weight.grad.numpy().copy(),
        "pos_emb": _out(pos_emb),
        "shifted": shifted[:, :, 0, 0].numpy().copy(),
        "mask": dec_attn_mask[:, :, 0].numpy().copy(),
        "segments": seg_outs,
        "mem_shapes": [tuple(m.shape) for m in seg_mems],
        "last_mem": _out(seg_mems[1]),
    }


def transformer_xl_adaptive_softmax(torch: Any, nn: Any, F: Any, sync: Sync) -> dict:
    """kimiyoung/transformer-xl's ProjectedAdaptiveLogSoftmax (div_val=1, d_proj == d_embed:
    out_projs holds None) with the nll filled through index_copy_ or a slice's copy_, and
    AdaptiveEmbedding's index_select / index_copy_ / mul_ lookup."""

    class ProjectedAdaptiveLogSoftmax(nn.Module):
        def __init__(self, n_token, d_embed, d_proj, cutoffs, div_val=1, keep_order=False):
            super().__init__()
            self.n_token, self.d_embed, self.d_proj = n_token, d_embed, d_proj
            self.cutoffs = cutoffs + [n_token]
            self.cutoff_ends = [0] + self.cutoffs
            self.div_val = div_val
            self.shortlist_size = self.cutoffs[0]
            self.n_clusters = len(self.cutoffs) - 1
            self.head_size = self.shortlist_size + self.n_clusters
            if self.n_clusters > 0:
                self.cluster_weight = nn.Parameter(torch.zeros(self.n_clusters, self.d_embed))
                self.cluster_bias = nn.Parameter(torch.zeros(self.n_clusters))
            self.out_layers = nn.ModuleList()
            self.out_projs = nn.ParameterList()
            for i in range(len(self.cutoffs)):  # noqa: B007
                if d_proj != d_embed:
                    self.out_projs.append(nn.Parameter(torch.Tensor(d_proj, d_embed)))
                else:
                    self.out_projs.append(None)
            self.out_layers.append(nn.Linear(d_embed, n_token))
            self.keep_order = keep_order

        def _compute_logit(self, hidden, weight, bias, proj):
            if proj is None:
                logit = F.linear(hidden, weight, bias=bias)
            else:
                proj_hid = F.linear(hidden, proj.t().contiguous())
                logit = F.linear(proj_hid, weight, bias=bias)
            return logit

        def forward(self, hidden, target, keep_order=False):
            if hidden.size(0) != target.size(0):
                raise RuntimeError(
                    "Input and target should have the same size in the batch dimension."
                )
            weights, biases = [], []
            for i in range(len(self.cutoffs)):
                l_idx, r_idx = self.cutoff_ends[i], self.cutoff_ends[i + 1]
                weight_i = self.out_layers[0].weight[l_idx:r_idx]
                bias_i = self.out_layers[0].bias[l_idx:r_idx]
                if i == 0:
                    weight_i = torch.cat([weight_i, self.cluster_weight], dim=0)
                    bias_i = torch.cat([bias_i, self.cluster_bias], dim=0)
                weights.append(weight_i)
                biases.append(bias_i)
            head_weight, head_bias, head_proj = weights[0], biases[0], self.out_projs[0]
            head_logit = self._compute_logit(hidden, head_weight, head_bias, head_proj)
            head_logprob = F.log_softmax(head_logit, dim=1)
            nll = torch.zeros_like(target, dtype=hidden.dtype, device=hidden.device)
            offset = 0
            cutoff_values = [0] + self.cutoffs
            for i in range(len(cutoff_values) - 1):
                l_idx, r_idx = cutoff_values[i], cutoff_values[i + 1]
                mask_i = (target >= l_idx) & (target < r_idx)
                indices_i = mask_i.nonzero().squeeze()
                if indices_i.numel() == 0:
                    continue
                target_i = target.index_select(0, indices_i) - l_idx
                head_logprob_i = head_logprob.index_select(0, indices_i)
                if i == 0:
                    logprob_i = head_logprob_i.gather(1, target_i[:, None]).squeeze(1)
                else:
                    weight_i, bias_i, proj_i = weights[i], biases[i], self.out_projs[i]
                    hidden_i = hidden.index_select(0, indices_i)
                    tail_logit_i = self._compute_logit(hidden_i, weight_i, bias_i, proj_i)
                    tail_logprob_i = F.log_softmax(tail_logit_i, dim=1)
                    logprob_i = head_logprob_i[:, -i] + tail_logprob_i.gather(
                        1, target_i[:, None]
                    ).squeeze(1)
                if (hasattr(self, "keep_order") and self.keep_order) or keep_order:
                    nll.index_copy_(0, indices_i, -logprob_i)
                else:
                    nll[offset : offset + logprob_i.size(0)].copy_(-logprob_i)
                offset += logprob_i.size(0)
            return nll

    class AdaptiveEmbedding(nn.Module):
        def __init__(self, n_token, d_embed, d_proj, cutoffs, div_val=2):
            super().__init__()
            self.n_token, self.d_embed, self.d_proj = n_token, d_embed, d_proj
            self.cutoffs = cutoffs + [n_token]
            self.div_val = div_val
            self.emb_scale = d_proj**0.5
            self.cutoff_ends = [0] + self.cutoffs
            self.emb_layers = nn.ModuleList()
            self.emb_projs = nn.ParameterList()
            for i in range(len(self.cutoffs)):
                l_idx, r_idx = self.cutoff_ends[i], self.cutoff_ends[i + 1]
                d_emb_i = d_embed // (div_val**i)
                self.emb_layers.append(nn.Embedding(r_idx - l_idx, d_emb_i))
                self.emb_projs.append(nn.Parameter(torch.Tensor(d_proj, d_emb_i).normal_()))

        def forward(self, inp):
            param = next(self.parameters())
            inp_flat = inp.view(-1)
            emb_flat = torch.zeros(
                [inp_flat.size(0), self.d_proj], dtype=param.dtype, device=param.device
            )
            for i in range(len(self.cutoffs)):
                l_idx, r_idx = self.cutoff_ends[i], self.cutoff_ends[i + 1]
                mask_i = (inp_flat >= l_idx) & (inp_flat < r_idx)
                indices_i = mask_i.nonzero().squeeze()
                if indices_i.numel() == 0:
                    continue
                inp_i = inp_flat.index_select(0, indices_i) - l_idx
                emb_i = self.emb_layers[i](inp_i)
                emb_i = F.linear(emb_i, self.emb_projs[i])
                emb_flat.index_copy_(0, indices_i, emb_i)
            embed = emb_flat.view(*inp.size(), self.d_proj)
            embed.mul_(self.emb_scale)
            return embed

    n_token, d = 10, 6
    crit = ProjectedAdaptiveLogSoftmax(n_token, d, d, [4, 7])
    emb = AdaptiveEmbedding(n_token, d, d, [4, 7])
    with torch.no_grad():
        crit.cluster_weight.normal_(0, 0.5)
    sync(crit)
    sync(emb)
    tokens = torch.tensor([[1, 5, 8, 2], [9, 0, 6, 4]])
    hidden = emb(tokens).view(-1, d)
    target = torch.tensor([3, 8, 5, 0, 9, 1, 7, 2])
    nll = crit(hidden, target)
    nll_ordered = crit(hidden, target, keep_order=True)
    (nll_ordered.mean() + nll.sum() * 0.1).backward()
    # one hidden state against every token: a distribution over the vocabulary
    with torch.no_grad():
        every = crit(hidden[:1].expand(n_token, d), torch.arange(n_token), keep_order=True)
    return {
        "nll": _out(nll),
        "nll_ordered": _out(nll_ordered),
        "every": _out(every),
        "embed": _out(hidden),
        "proj_types": [type(p).__name__ for p in crit.out_projs],
        "cluster_grad": crit.cluster_weight.grad.numpy().copy(),
        "out_grad": crit.out_layers[0].weight.grad.numpy().copy(),
        "emb_proj_grad": emb.emb_projs[2].grad.numpy().copy(),
        "emb_grad": emb.emb_layers[1].weight.grad.numpy().copy(),
    }


def linformer(torch: Any, nn: Any, F: Any, sync: Sync) -> dict:
    """lucidrains/linformer's LinformerSelfAttention (einsum 'bnd,nk->bkd' projections of keys
    and values along the sequence) and tatp22's variant with nn.Linear over the sequence dim
    after a transpose."""
    rs = np.random.RandomState(5)

    def init_(tensor):
        dim = tensor.shape[-1]
        std = 1 / math.sqrt(dim)
        tensor.uniform_(-std, std)
        return tensor

    class LinformerSelfAttention(nn.Module):
        def __init__(self, dim, seq_len, k=4, heads=2, dim_head=None, share_kv=False):
            super().__init__()
            assert (dim % heads) == 0, "dimension must be divisible by the number of heads"
            self.seq_len, self.k, self.heads = seq_len, k, heads
            dim_head = dim_head if dim_head is not None else dim // heads
            self.dim_head = dim_head
            self.to_q = nn.Linear(dim, dim_head * heads, bias=False)
            self.to_k = nn.Linear(dim, dim_head * heads, bias=False)
            self.proj_k = nn.Parameter(init_(torch.zeros(seq_len, k)))
            self.share_kv = share_kv
            if not share_kv:
                self.to_v = nn.Linear(dim, dim_head * heads, bias=False)
                self.proj_v = nn.Parameter(init_(torch.zeros(seq_len, k)))
            self.dropout = nn.Dropout(0.0)
            self.to_out = nn.Linear(dim_head * heads, dim)

        def forward(self, x):
            b, n, d, d_h, h, k = *x.shape, self.dim_head, self.heads, self.k  # noqa: F841
            assert n <= self.seq_len, f"the sequence length {n} is longer than {self.seq_len}"
            queries = self.to_q(x)

            def proj_seq_len(args):
                return torch.einsum("bnd,nk->bkd", *args)

            keys = self.to_k(x)
            values = self.to_v(x) if not self.share_kv else keys
            kv_projs = (self.proj_k, self.proj_v if not self.share_kv else self.proj_k)
            kv_projs = map(lambda t: t[:n], kv_projs)
            keys, values = map(proj_seq_len, zip((keys, values), kv_projs))
            queries = queries.reshape(b, n, h, -1).transpose(1, 2)

            def merge_key_values(t):
                return t.reshape(b, k, -1, d_h).transpose(1, 2).expand(-1, h, -1, -1)

            keys, values = map(merge_key_values, (keys, values))
            dots = torch.einsum("bhnd,bhkd->bhnk", queries, keys) * (d_h**-0.5)
            attn = dots.softmax(dim=-1)
            attn = self.dropout(attn)
            out = torch.einsum("bhnk,bhkd->bhnd", attn, values)
            out = out.transpose(1, 2).reshape(b, n, -1)
            return self.to_out(out)

    class LinearAttentionHead(nn.Module):
        def __init__(self, dim, E_proj, F_proj):
            super().__init__()
            self.E, self.F, self.dim = E_proj, F_proj, dim

        def forward(self, Q, K, V):
            K = K.transpose(1, 2)
            K = self.E(K)
            Q = torch.matmul(Q, K)
            P_bar = Q / torch.sqrt(torch.tensor(self.dim).type(Q.type()))
            P_bar = P_bar.softmax(dim=-1)
            V = V.transpose(1, 2)
            V = self.F(V)
            V = V.transpose(1, 2)
            return torch.matmul(P_bar, V)

    n, dim, k = 6, 8, 3
    lucid = LinformerSelfAttention(dim, seq_len=n, k=k, heads=2)
    E = nn.Linear(n, k)
    Fp = nn.Linear(n, k)
    to_q, to_k, to_v = (nn.Linear(dim, 4, bias=False) for _ in range(3))
    head = LinearAttentionHead(4, E, Fp)
    mods = nn.ModuleList([lucid, E, Fp, to_q, to_k, to_v])
    sync(mods)
    x = torch.tensor(rs.randn(2, n, dim), dtype=torch.float32, requires_grad=True)
    y1 = lucid(x)
    y2 = head(to_q(x), to_k(x), to_v(x))
    (y1.pow(2).mean() + y2.pow(2).mean()).backward()
    bound = float(lucid.proj_k.abs().max())
    return {
        "lucid": _out(y1),
        "tatp22": _out(y2),
        "xgrad": x.grad.numpy().copy(),
        "proj_k_grad": lucid.proj_k.grad.numpy().copy(),
        "E_grad": E.weight.grad.numpy().copy(),
        "proj_bound": bound,
        "shapes": (tuple(y1.shape), tuple(y2.shape)),
    }


def performer(torch: Any, nn: Any, F: Any, sync: Sync, nb_features: int = 16) -> dict:
    """lucidrains/performer-pytorch's FAVOR+: orthogonal random features from blocks of
    torch.linalg.qr, the positive softmax kernel with the max subtracted (torch.max(...).values),
    non-causal linear attention and the chunked causal form with cumsum."""
    rs = np.random.RandomState(6)

    def orthogonal_matrix_chunk(cols, device=None):
        unstructured_block = torch.randn((cols, cols), device=device)
        q, r = torch.linalg.qr(unstructured_block.cpu(), mode="reduced")
        q, r = map(lambda t: t.to(device), (q, r))
        return q.t()

    def gaussian_orthogonal_random_matrix(nb_rows, nb_columns, scaling=0, device=None):
        nb_full_blocks = int(nb_rows / nb_columns)
        block_list = []
        for _ in range(nb_full_blocks):
            q = orthogonal_matrix_chunk(nb_columns, device=device)
            block_list.append(q)
        remaining_rows = nb_rows - nb_full_blocks * nb_columns
        if remaining_rows > 0:
            q = orthogonal_matrix_chunk(nb_columns, device=device)
            block_list.append(q[:remaining_rows])
        final_matrix = torch.cat(block_list)
        if scaling == 0:
            multiplier = torch.randn((nb_rows, nb_columns), device=device).norm(dim=1)
        elif scaling == 1:
            multiplier = math.sqrt(float(nb_columns)) * torch.ones((nb_rows,), device=device)
        else:
            raise ValueError(f"Invalid scaling {scaling}")
        return torch.diag(multiplier) @ final_matrix

    def softmax_kernel(data, *, projection_matrix, is_query, normalize_data=True, eps=1e-4):
        b, h, *_ = data.shape
        data_normalizer = (data.shape[-1] ** -0.25) if normalize_data else 1.0
        ratio = projection_matrix.shape[0] ** -0.5
        projection = projection_matrix.expand(b, h, -1, -1)
        projection = projection.type_as(data)
        data_dash = torch.einsum("...id,...jd->...ij", (data_normalizer * data), projection)
        diag_data = data**2
        diag_data = torch.sum(diag_data, dim=-1)
        diag_data = (diag_data / 2.0) * (data_normalizer**2)
        diag_data = diag_data.unsqueeze(dim=-1)
        if is_query:
            data_dash = ratio * (
                torch.exp(data_dash - diag_data - torch.max(data_dash, dim=-1, keepdim=True).values)
                + eps
            )
        else:
            data_dash = ratio * (torch.exp(data_dash - diag_data - torch.max(data_dash)) + eps)
        return data_dash.type_as(data)

    def linear_attention(q, k, v):
        k_cumsum = k.sum(dim=-2)
        D_inv = 1.0 / torch.einsum("...nd,...d->...n", q, k_cumsum.type_as(q))
        context = torch.einsum("...nd,...ne->...de", k, v)
        out = torch.einsum("...de,...nd,...n->...ne", context, q, D_inv)
        return out

    def causal_linear_attention_noncuda(q, k, v, chunk_size=2, eps=1e-6):
        last_k_cumsum = 0
        last_ctx_cumsum = 0
        outs = []
        for q, k, v in zip(*map(lambda t: t.chunk(chunk_size, dim=-2), (q, k, v))):  # noqa: B020
            k_cumsum = last_k_cumsum + k.cumsum(dim=-2)
            D_inv = 1.0 / torch.einsum("...nd,...nd->...n", q, k_cumsum.type_as(q) + eps)
            context = torch.einsum("...nd,...ne->...nde", k, v)
            context_cumsum = last_ctx_cumsum + context.cumsum(dim=-3)
            out = torch.einsum("...nde,...nd,...n->...ne", context_cumsum, q, D_inv)
            last_k_cumsum = k_cumsum[:, :, -1:]
            last_ctx_cumsum = context_cumsum[:, :, -1:]
            outs.append(out)
        return torch.cat(outs, dim=-2)

    dim_head, n = 4, 6
    projection_matrix = gaussian_orthogonal_random_matrix(nb_features, dim_head, scaling=0)
    block = orthogonal_matrix_chunk(dim_head)
    sync([projection_matrix, block])
    q = torch.tensor(0.5 * rs.randn(1, 2, n, dim_head), dtype=torch.float32, requires_grad=True)
    k = torch.tensor(0.5 * rs.randn(1, 2, n, dim_head), dtype=torch.float32, requires_grad=True)
    v = torch.tensor(rs.randn(1, 2, n, dim_head), dtype=torch.float32)
    qp = softmax_kernel(q, projection_matrix=projection_matrix, is_query=True)
    kp = softmax_kernel(k, projection_matrix=projection_matrix, is_query=False)
    out = linear_attention(qp, kp, v)
    causal = causal_linear_attention_noncuda(qp, kp, v)
    (out.sum() + causal.pow(2).sum()).backward()
    exact = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(dim_head), dim=-1) @ v
    return {
        "out": _out(out),
        "causal": _out(causal),
        "exact": _out(exact),
        "qgrad": q.grad.numpy().copy(),
        "kgrad": k.grad.numpy().copy(),
        "block_gram": (block @ block.t()).numpy().copy(),
        "projection_shape": tuple(projection_matrix.shape),
        "v": v.numpy().copy(),
        "qp": _out(qp),
        "kp": _out(kp),
    }


def _rwkv_v4_modules(torch: Any, nn: Any) -> tuple:
    """BlinkDL/RWKV-LM v4's GPT-mode Block (ln0 on layer 0) and the WKV recurrence."""

    def wkv(time_decay, time_first, k, v):
        B, T, C = k.size()
        w = -torch.exp(time_decay)
        u = time_first
        aa = torch.zeros(B, C, dtype=k.dtype)
        bb = torch.zeros(B, C, dtype=k.dtype)
        pp = torch.full((B, C), -1e38, dtype=k.dtype)
        out = []
        for t in range(T):
            kk = k[:, t]
            vv = v[:, t]
            ww = u + kk
            p = torch.maximum(pp, ww)
            e1 = torch.exp(pp - p)
            e2 = torch.exp(ww - p)
            out.append((e1 * aa + e2 * vv) / (e1 * bb + e2))
            ww = w + pp
            p = torch.maximum(ww, kk)
            e1 = torch.exp(ww - p)
            e2 = torch.exp(kk - p)
            aa = e1 * aa + e2 * vv
            bb = e1 * bb + e2
            pp = p
        return torch.stack(out, dim=1)

    class RWKV_TimeMix(nn.Module):
        def __init__(self, n_embd, n_layer, layer_id):
            super().__init__()
            attn_sz = n_embd
            with torch.no_grad():
                ratio_0_to_1 = layer_id / (n_layer - 1)
                ratio_1_to_almost0 = 1.0 - (layer_id / n_layer)
                decay_speed = torch.ones(attn_sz)
                for h in range(attn_sz):
                    decay_speed[h] = -5 + 8 * (h / (attn_sz - 1)) ** (0.7 + 1.3 * ratio_0_to_1)
                self.time_decay = nn.Parameter(decay_speed)
                zigzag = torch.tensor([(i + 1) % 3 - 1 for i in range(attn_sz)]) * 0.5
                self.time_first = nn.Parameter(torch.ones(attn_sz) * math.log(0.3) + zigzag)
                x = torch.ones(1, 1, n_embd)
                for i in range(n_embd):
                    x[0, 0, i] = i / n_embd
                self.time_mix_k = nn.Parameter(torch.pow(x, ratio_1_to_almost0))
                self.time_mix_v = nn.Parameter(
                    torch.pow(x, ratio_1_to_almost0) + 0.3 * ratio_0_to_1
                )
                self.time_mix_r = nn.Parameter(torch.pow(x, 0.5 * ratio_1_to_almost0))
            self.time_shift = nn.ZeroPad2d((0, 0, 1, -1))
            self.key = nn.Linear(n_embd, attn_sz, bias=False)
            self.value = nn.Linear(n_embd, attn_sz, bias=False)
            self.receptance = nn.Linear(n_embd, attn_sz, bias=False)
            self.output = nn.Linear(attn_sz, n_embd, bias=False)

        def forward(self, x):
            B, T, C = x.size()
            xx = self.time_shift(x)
            xk = x * self.time_mix_k + xx * (1 - self.time_mix_k)
            xv = x * self.time_mix_v + xx * (1 - self.time_mix_v)
            xr = x * self.time_mix_r + xx * (1 - self.time_mix_r)
            k = self.key(xk)
            v = self.value(xv)
            r = self.receptance(xr)
            sr = torch.sigmoid(r)
            self.kv = (k, v)
            rwkv = sr * wkv(self.time_decay, self.time_first, k, v)
            return self.output(rwkv)

    class RWKV_ChannelMix(nn.Module):
        def __init__(self, n_embd, n_layer, layer_id):
            super().__init__()
            self.time_shift = nn.ZeroPad2d((0, 0, 1, -1))
            with torch.no_grad():
                ratio_1_to_almost0 = 1.0 - (layer_id / n_layer)
                x = torch.ones(1, 1, n_embd)
                for i in range(n_embd):
                    x[0, 0, i] = i / n_embd
                self.time_mix_k = nn.Parameter(torch.pow(x, ratio_1_to_almost0))
                self.time_mix_r = nn.Parameter(torch.pow(x, ratio_1_to_almost0))
            hidden_sz = 4 * n_embd
            self.key = nn.Linear(n_embd, hidden_sz, bias=False)
            self.receptance = nn.Linear(n_embd, n_embd, bias=False)
            self.value = nn.Linear(hidden_sz, n_embd, bias=False)

        def forward(self, x):
            xx = self.time_shift(x)
            xk = x * self.time_mix_k + xx * (1 - self.time_mix_k)
            xr = x * self.time_mix_r + xx * (1 - self.time_mix_r)
            k = self.key(xk)
            k = torch.square(torch.relu(k))
            kv = self.value(k)
            rkv = torch.sigmoid(self.receptance(xr)) * kv
            return rkv

    class Block(nn.Module):
        def __init__(self, n_embd, n_layer, layer_id):
            super().__init__()
            self.layer_id = layer_id
            self.ln1 = nn.LayerNorm(n_embd)
            self.ln2 = nn.LayerNorm(n_embd)
            if self.layer_id == 0:
                self.ln0 = nn.LayerNorm(n_embd)
            self.att = RWKV_TimeMix(n_embd, n_layer, layer_id)
            self.ffn = RWKV_ChannelMix(n_embd, n_layer, layer_id)

        def forward(self, x):
            if self.layer_id == 0:
                x = self.ln0(x)
            x = x + self.att(self.ln1(x))
            x = x + self.ffn(self.ln2(x))
            return x

    return Block, wkv


def rwkv_v4(torch: Any, nn: Any, F: Any, sync: Sync) -> dict:
    """BlinkDL/RWKV-LM v4 in plain torch: time-mixing with nn.ZeroPad2d((0, 0, 1, -1)) token
    shift, the layer-dependent init of time_decay / time_first / time_mix, the WKV recurrence
    in a Python loop (stable form with torch.maximum and w = -torch.exp(time_decay)), and
    channel-mixing with torch.square(torch.relu(k))."""
    rs = np.random.RandomState(7)
    Block, wkv = _rwkv_v4_modules(torch, nn)
    blocks = nn.Sequential(Block(6, 2, 0), Block(6, 2, 1))
    init_decay = blocks[1].att.time_decay.detach().numpy().copy()
    init_first = blocks[1].att.time_first.detach().numpy().copy()
    init_mix_v = blocks[1].att.time_mix_v.detach().numpy().copy()
    sync(blocks)
    x = torch.tensor(rs.randn(2, 5, 6), dtype=torch.float32, requires_grad=True)
    y = blocks(x)
    y.pow(2).mean().backward()
    shifted = blocks[0].att.time_shift(torch.arange(6.0).view(1, 3, 2))
    k, v = blocks[0].att.kv
    w64 = blocks[0].att.time_decay.detach().double()
    u64 = blocks[0].att.time_first.detach().double()
    return {
        "y": _out(y),
        "xgrad": x.grad.numpy().copy(),
        "decay_grad": blocks[0].att.time_decay.grad.numpy().copy(),
        "first_grad": blocks[1].att.time_first.grad.numpy().copy(),
        "mix_grad": blocks[1].ffn.time_mix_k.grad.numpy().copy(),
        "init_decay": init_decay,
        "init_first": init_first,
        "init_mix_v": init_mix_v,
        "shifted": shifted.numpy().copy(),
        "wkv": _out(wkv(w64, u64, k.detach().double(), v.detach().double())),
        "k": _out(k),
        "v": _out(v),
        "w": w64.numpy().copy(),
        "u": u64.numpy().copy(),
    }


def rwkv_v4_rnn(torch: Any, nn: Any, F: Any, sync: Sync, path: str) -> dict:
    """RWKV_in_150_lines: a GPT-mode RWKV-v4 model saved with torch.save(state_dict), loaded
    with torch.load(map_location='cpu'), its weights converted (squeeze, -exp(time_decay),
    float) into a types.SimpleNamespace tree, and run token by token by RWKV_RNN, a
    torch.jit.ScriptModule with @torch.jit.script_method mixing functions."""
    import types

    Block, _ = _rwkv_v4_modules(torch, nn)

    class GPT(nn.Module):
        def __init__(self, vocab_size, n_embd, n_layer):
            super().__init__()
            self.emb = nn.Embedding(vocab_size, n_embd)
            self.blocks = nn.Sequential(*[Block(n_embd, n_layer, i) for i in range(n_layer)])
            self.ln_out = nn.LayerNorm(n_embd)
            self.head = nn.Linear(n_embd, vocab_size, bias=False)

        def forward(self, idx):
            x = self.emb(idx)
            x = self.blocks(x)
            x = self.ln_out(x)
            return self.head(x)

    args = types.SimpleNamespace()
    args.MODEL_NAME = path
    args.n_layer = 2
    args.n_embd = 6
    model = GPT(7, args.n_embd, args.n_layer)
    sync(model)
    tokens = [3, 1, 4, 1, 5]
    with torch.no_grad():
        gpt_logits = model(torch.tensor([tokens]))[0]
    torch.save(model.state_dict(), args.MODEL_NAME + ".pth")

    MyModule = torch.jit.ScriptModule
    MyFunction = torch.jit.script_method

    class RWKV_RNN(MyModule):
        def __init__(self, args):
            super().__init__()
            self.args = args
            self.eval()
            w = torch.load(args.MODEL_NAME + ".pth", map_location="cpu")
            for k in w.keys():
                if ".time_" in k:
                    w[k] = w[k].squeeze()
                if ".time_decay" in k:
                    w[k] = -torch.exp(w[k].float())
                else:
                    w[k] = w[k].float()
            self.w = types.SimpleNamespace()
            self.w.blocks = {}
            for k in w.keys():
                parts = k.split(".")
                last = parts.pop()
                here = self.w
                for p in parts:
                    if p.isdigit():
                        p = int(p)
                        if p not in here:
                            here[p] = types.SimpleNamespace()
                        here = here[p]
                    else:
                        if not hasattr(here, p):
                            setattr(here, p, types.SimpleNamespace())
                        here = getattr(here, p)
                setattr(here, last, w[k])

        def layer_norm(self, x, w):
            return F.layer_norm(x, (self.args.n_embd,), weight=w.weight, bias=w.bias)

        @MyFunction
        def channel_mixing(self, x, state, i: int, time_mix_k, time_mix_r, kw, vw, rw):
            xk = x * time_mix_k + state[5 * i + 0] * (1 - time_mix_k)
            xr = x * time_mix_r + state[5 * i + 0] * (1 - time_mix_r)
            state[5 * i + 0] = x
            r = torch.sigmoid(rw @ xr)
            k = torch.square(torch.relu(kw @ xk))
            return r * (vw @ k)

        @MyFunction
        def time_mixing(
            self, x, state, i: int, time_mix_k, time_mix_v, time_mix_r, time_first, time_decay,
            kw, vw, rw, ow,
        ):  # fmt: skip
            xk = x * time_mix_k + state[5 * i + 1] * (1 - time_mix_k)
            xv = x * time_mix_v + state[5 * i + 1] * (1 - time_mix_v)
            xr = x * time_mix_r + state[5 * i + 1] * (1 - time_mix_r)
            state[5 * i + 1] = x
            r = torch.sigmoid(rw @ xr)
            k = kw @ xk
            v = vw @ xv
            aa = state[5 * i + 2]
            bb = state[5 * i + 3]
            pp = state[5 * i + 4]
            ww = time_first + k
            qq = torch.maximum(pp, ww)
            e1 = torch.exp(pp - qq)
            e2 = torch.exp(ww - qq)
            a = e1 * aa + e2 * v
            b = e1 * bb + e2
            wkv = a / b
            ww = pp + time_decay
            qq = torch.maximum(ww, k)
            e1 = torch.exp(ww - qq)
            e2 = torch.exp(k - qq)
            state[5 * i + 2] = e1 * aa + e2 * v
            state[5 * i + 3] = e1 * bb + e2
            state[5 * i + 4] = qq
            return ow @ (r * wkv)

        def forward(self, token, state):
            with torch.no_grad():
                if state == None:  # noqa: E711
                    state = torch.zeros(self.args.n_layer * 5, self.args.n_embd)
                    for i in range(self.args.n_layer):
                        state[5 * i + 4] = -1e30
                x = self.w.emb.weight[token]
                x = self.layer_norm(x, self.w.blocks[0].ln0)
                for i in range(self.args.n_layer):
                    att = self.w.blocks[i].att
                    x = x + self.time_mixing(
                        self.layer_norm(x, self.w.blocks[i].ln1), state, i,
                        att.time_mix_k, att.time_mix_v, att.time_mix_r, att.time_first,
                        att.time_decay, att.key.weight, att.value.weight,
                        att.receptance.weight, att.output.weight,
                    )  # fmt: skip
                    ffn = self.w.blocks[i].ffn
                    x = x + self.channel_mixing(
                        self.layer_norm(x, self.w.blocks[i].ln2), state, i,
                        ffn.time_mix_k, ffn.time_mix_r,
                        ffn.key.weight, ffn.value.weight, ffn.receptance.weight,
                    )  # fmt: skip
                x = self.w.head.weight @ self.layer_norm(x, self.w.ln_out)
                return x.float(), state

    rnn = RWKV_RNN(args)
    state = None
    rnn_logits = []
    for token in tokens:
        out, state = rnn.forward(token, state)
        rnn_logits.append(out.numpy().copy())
    return {
        "gpt": _out(gpt_logits),
        "rnn": np.stack(rnn_logits),
        "state": state.numpy().copy(),
        "is_script_module": isinstance(rnn, torch.jit.ScriptModule),
    }


def retnet(torch: Any, nn: Any, F: Any, sync: Sync) -> dict:
    """Multi-scale retention as microsoft/torchscale and the simple RetNet ports write it: decay
    per head torch.log(1 - 2 ** (-5 - torch.arange(h))), the decay mask from torch.tril,
    torch.arange and masked_fill(~mask, ...), the xpos-style rotation (rotate_every_two with
    torch.stack / flatten), parallel retention, and the recurrent form it must equal."""
    rs = np.random.RandomState(8)

    def rotate_every_two(x):
        x1 = x[:, :, :, ::2]
        x2 = x[:, :, :, 1::2]
        x = torch.stack((-x2, x1), dim=-1)
        return x.flatten(-2)

    def theta_shift(x, sin, cos):
        return (x * cos) + (rotate_every_two(x) * sin)

    class RetNetRelPos(nn.Module):
        def __init__(self, embed_dim, num_heads):
            super().__init__()
            angle = 1.0 / (10000 ** torch.linspace(0, 1, embed_dim // num_heads // 2))
            angle = angle.unsqueeze(-1).repeat(1, 2).flatten()
            decay = torch.log(1 - 2 ** (-5 - torch.arange(num_heads, dtype=torch.float)))
            self.register_buffer("angle", angle)
            self.register_buffer("decay", decay)

        def forward(self, slen):
            index = torch.arange(slen).to(self.decay)
            sin = torch.sin(index[:, None] * self.angle[None, :])
            cos = torch.cos(index[:, None] * self.angle[None, :])
            mask = torch.tril(torch.ones(slen, slen).to(self.decay))
            mask = torch.masked_fill(index[:, None] - index[None, :], ~mask.bool(), float("inf"))
            mask = torch.exp(mask * self.decay[:, None, None])
            mask = torch.nan_to_num(mask)
            mask = mask / mask.sum(dim=-1, keepdim=True).sqrt()
            return (sin, cos), mask

    class MultiScaleRetention(nn.Module):
        def __init__(self, embed_dim, num_heads):
            super().__init__()
            self.num_heads = num_heads
            self.head_dim = embed_dim // num_heads
            self.key_dim = embed_dim // num_heads
            self.scaling = self.key_dim**-0.5
            self.q_proj = nn.Linear(embed_dim, embed_dim, bias=True)
            self.k_proj = nn.Linear(embed_dim, embed_dim, bias=True)
            self.v_proj = nn.Linear(embed_dim, embed_dim, bias=True)
            self.g_proj = nn.Linear(embed_dim, embed_dim, bias=True)
            self.out_proj = nn.Linear(embed_dim, embed_dim, bias=True)
            self.group_norm = nn.LayerNorm(self.head_dim, eps=1e-6, elementwise_affine=False)

        def forward(self, x, rel_pos):
            bsz, tgt_len, _ = x.size()
            (sin, cos), inner_mask = rel_pos
            q = self.q_proj(x)
            k = self.k_proj(x)
            v = self.v_proj(x)
            g = self.g_proj(x)
            k *= self.scaling
            q = q.view(bsz, tgt_len, self.num_heads, self.key_dim).transpose(1, 2)
            k = k.view(bsz, tgt_len, self.num_heads, self.key_dim).transpose(1, 2)
            qr = theta_shift(q, sin, cos)
            kr = theta_shift(k, sin, cos)
            vr = v.view(bsz, tgt_len, self.num_heads, self.head_dim).transpose(1, 2)
            qk_mat = qr @ kr.transpose(-1, -2)
            qk_mat = qk_mat * inner_mask
            qk_mat = qk_mat / qk_mat.detach().abs().sum(dim=-1, keepdim=True).clamp(min=1)
            output = torch.matmul(qk_mat, vr)
            output = output.transpose(1, 2)
            output = self.group_norm(output).reshape(bsz, tgt_len, -1)
            output = F.silu(g) * output
            return self.out_proj(output)

    def simple_decay_mask(gammas, length):
        idx = torch.arange(length)
        diff = (idx[:, None] - idx[None, :]).float()
        mask = torch.tril(torch.ones(length, length)).bool()
        return gammas[:, None, None].pow(diff).masked_fill(~mask, 0)

    def parallel(q, k, v, D):
        return ((q @ k.transpose(-1, -2)) * D) @ v

    def recurrent(q, k, v, gammas):
        b, h, n, d = q.shape
        s = torch.zeros(b, h, d, v.shape[-1], dtype=q.dtype)
        outs = []
        for i in range(n):
            s = gammas.view(1, h, 1, 1) * s + k[:, :, i, :, None] @ v[:, :, i, None, :]
            outs.append(q[:, :, i, None, :] @ s)
        return torch.cat(outs, dim=2)

    embed_dim, heads, n = 8, 2, 5
    relpos = RetNetRelPos(embed_dim, heads)
    msr = MultiScaleRetention(embed_dim, heads)
    sync(msr)
    x = torch.tensor(rs.randn(2, n, embed_dim), dtype=torch.float32, requires_grad=True)
    rel = relpos(n)
    y = msr(x, rel)
    y.pow(2).mean().backward()
    gammas = 1 - 2 ** (-5 - torch.arange(heads, dtype=torch.float64))
    D = simple_decay_mask(gammas, n)
    q, k, v = (torch.tensor(rs.randn(1, heads, n, 3)) for _ in range(3))
    return {
        "y": _out(y),
        "xgrad": x.grad.numpy().copy(),
        "q_grad": msr.q_proj.weight.grad.numpy().copy(),
        "mask": _out(rel[1]),
        "decay": relpos.decay.numpy().copy(),
        "D": _out(D),
        "parallel": _out(parallel(q, k, v, D)),
        "recurrent": _out(recurrent(q, k, v, gammas)),
    }
