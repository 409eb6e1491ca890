# The authors' idioms are kept as written: super(Cls, self), %-formatting, loop variables
# the body ignores, mutable defaults, bare ``None`` statements, type(x) == cls, str.format.
# ruff: noqa: UP008, UP031, UP032, B006, B007, B008, B018, E721
"""Well-known third-party model code, shortened (tiny widths, synthetic data, a few steps) and
written once against the names ``torch``, ``nn``, ``F``, ``optim``, ``data``
(``torch.utils.data``): kuangliu/pytorch-cifar (ResNet18, a Bottleneck ResNet, MobileNetV2,
VGG and main.py's loop), Harvard NLP's "The Annotated Transformer", milesial/Pytorch-UNet,
Kim's TextCNN (Shawn1993's Conv2d and Chris Tran's Conv1d formulations), Andras7's word2vec
skip-gram with negative sampling, a from-scratch ViT and junyanz's CycleGAN. The tests run
them with our packages under those names and, when it is installed, with PyTorch.

The layer widths are the authors' divided by a factor (``64`` becomes ``64 // shrink``);
everything else is the authors' code. Weights a result depends on pass through
``sync(module)`` (a no-op, or PyTorch's initial values copied into ours: the libraries' random
streams differ). Data the authors draw with ``torch.randint`` is drawn here with numpy, so
both libraries see the same batches.
"""

from __future__ import annotations

import copy
import functools
import itertools
import math
import os
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

Sync = Callable[[Any], None]


# --- kuangliu/pytorch-cifar ---


def cifar_models(torch: Any, nn: Any, F: Any, shrink: int = 16) -> dict:
    """models/resnet.py, models/mobilenetv2.py and models/vgg.py as written, widths / shrink."""
    w = 64 // shrink
    m = shrink // 2  # MobileNetV2's narrow rows need twice the width to keep their shortcuts

    class BasicBlock(nn.Module):
        expansion = 1

        def __init__(self, in_planes, planes, stride=1):
            super(BasicBlock, self).__init__()
            self.conv1 = nn.Conv2d(
                in_planes, planes, kernel_size=3, stride=stride, padding=1, bias=False
            )
            self.bn1 = nn.BatchNorm2d(planes)
            self.conv2 = nn.Conv2d(planes, planes, kernel_size=3, stride=1, padding=1, bias=False)
            self.bn2 = nn.BatchNorm2d(planes)

            self.shortcut = nn.Sequential()
            if stride != 1 or in_planes != self.expansion * planes:
                self.shortcut = nn.Sequential(
                    nn.Conv2d(
                        in_planes,
                        self.expansion * planes,
                        kernel_size=1,
                        stride=stride,
                        bias=False,
                    ),
                    nn.BatchNorm2d(self.expansion * planes),
                )

        def forward(self, x):
            out = F.relu(self.bn1(self.conv1(x)))
            out = self.bn2(self.conv2(out))
            out += self.shortcut(x)
            out = F.relu(out)
            return out

    class Bottleneck(nn.Module):
        expansion = 4

        def __init__(self, in_planes, planes, stride=1):
            super(Bottleneck, self).__init__()
            self.conv1 = nn.Conv2d(in_planes, planes, kernel_size=1, bias=False)
            self.bn1 = nn.BatchNorm2d(planes)
            self.conv2 = nn.Conv2d(
                planes, planes, kernel_size=3, stride=stride, padding=1, bias=False
            )
            self.bn2 = nn.BatchNorm2d(planes)
            self.conv3 = nn.Conv2d(planes, self.expansion * planes, kernel_size=1, bias=False)
            self.bn3 = nn.BatchNorm2d(self.expansion * planes)

            self.shortcut = nn.Sequential()
            if stride != 1 or in_planes != self.expansion * planes:
                self.shortcut = nn.Sequential(
                    nn.Conv2d(
                        in_planes,
                        self.expansion * planes,
                        kernel_size=1,
                        stride=stride,
                        bias=False,
                    ),
                    nn.BatchNorm2d(self.expansion * planes),
                )

        def forward(self, x):
            out = F.relu(self.bn1(self.conv1(x)))
            out = F.relu(self.bn2(self.conv2(out)))
            out = self.bn3(self.conv3(out))
            out += self.shortcut(x)
            out = F.relu(out)
            return out

    class ResNet(nn.Module):
        def __init__(self, block, num_blocks, num_classes=10):
            super(ResNet, self).__init__()
            self.in_planes = w

            self.conv1 = nn.Conv2d(3, w, kernel_size=3, stride=1, padding=1, bias=False)
            self.bn1 = nn.BatchNorm2d(w)
            self.layer1 = self._make_layer(block, w, num_blocks[0], stride=1)
            self.layer2 = self._make_layer(block, 2 * w, num_blocks[1], stride=2)
            self.layer3 = self._make_layer(block, 4 * w, num_blocks[2], stride=2)
            self.layer4 = self._make_layer(block, 8 * w, num_blocks[3], stride=2)
            self.linear = nn.Linear(8 * w * block.expansion, num_classes)

        def _make_layer(self, block, planes, num_blocks, stride):
            strides = [stride] + [1] * (num_blocks - 1)
            layers = []
            for stride in strides:
                layers.append(block(self.in_planes, planes, stride))
                self.in_planes = planes * block.expansion
            return nn.Sequential(*layers)

        def forward(self, x):
            out = F.relu(self.bn1(self.conv1(x)))
            out = self.layer1(out)
            out = self.layer2(out)
            out = self.layer3(out)
            out = self.layer4(out)
            out = F.avg_pool2d(out, 4)
            out = out.view(out.size(0), -1)
            out = self.linear(out)
            return out

    def ResNet18():
        return ResNet(BasicBlock, [2, 2, 2, 2])

    def ResNet50():  # [3, 4, 6, 3] in the source: one block per stage here
        return ResNet(Bottleneck, [1, 1, 1, 1])

    class Block(nn.Module):
        """expand + depthwise + pointwise"""

        def __init__(self, in_planes, out_planes, expansion, stride):
            super(Block, self).__init__()
            self.stride = stride

            planes = expansion * in_planes
            self.conv1 = nn.Conv2d(
                in_planes, planes, kernel_size=1, stride=1, padding=0, bias=False
            )
            self.bn1 = nn.BatchNorm2d(planes)
            self.conv2 = nn.Conv2d(
                planes,
                planes,
                kernel_size=3,
                stride=stride,
                padding=1,
                groups=planes,
                bias=False,
            )
            self.bn2 = nn.BatchNorm2d(planes)
            self.conv3 = nn.Conv2d(
                planes, out_planes, kernel_size=1, stride=1, padding=0, bias=False
            )
            self.bn3 = nn.BatchNorm2d(out_planes)

            self.shortcut = nn.Sequential()
            if stride == 1 and in_planes != out_planes:
                self.shortcut = nn.Sequential(
                    nn.Conv2d(
                        in_planes, out_planes, kernel_size=1, stride=1, padding=0, bias=False
                    ),
                    nn.BatchNorm2d(out_planes),
                )

        def forward(self, x):
            out = F.relu(self.bn1(self.conv1(x)))
            out = F.relu(self.bn2(self.conv2(out)))
            out = self.bn3(self.conv3(out))
            out = out + self.shortcut(x) if self.stride == 1 else out
            return out

    class MobileNetV2(nn.Module):
        # (expansion, out_planes, num_blocks, stride): the source's rows, one or two blocks each
        cfg = [
            (1, 16 // m, 1, 1),
            (6, 24 // m, 2, 1),  # NOTE: change stride 2 -> 1 for CIFAR10
            (6, 32 // m, 1, 2),
            (6, 64 // m, 1, 2),
            (6, 96 // m, 1, 1),
            (6, 160 // m, 1, 2),
            (6, 320 // m, 1, 1),
        ]

        def __init__(self, num_classes=10):
            super(MobileNetV2, self).__init__()
            # NOTE: change conv1 stride 2 -> 1 for CIFAR10
            self.conv1 = nn.Conv2d(3, 32 // m, kernel_size=3, stride=1, padding=1, bias=False)
            self.bn1 = nn.BatchNorm2d(32 // m)
            self.layers = self._make_layers(in_planes=32 // m)
            self.conv2 = nn.Conv2d(
                320 // m, 1280 // m, kernel_size=1, stride=1, padding=0, bias=False
            )
            self.bn2 = nn.BatchNorm2d(1280 // m)
            self.linear = nn.Linear(1280 // m, num_classes)

        def _make_layers(self, in_planes):
            layers = []
            for expansion, out_planes, num_blocks, stride in self.cfg:
                strides = [stride] + [1] * (num_blocks - 1)
                for stride in strides:
                    layers.append(Block(in_planes, out_planes, expansion, stride))
                    in_planes = out_planes
            return nn.Sequential(*layers)

        def forward(self, x):
            out = F.relu(self.bn1(self.conv1(x)))
            out = self.layers(out)
            out = F.relu(self.bn2(self.conv2(out)))
            # NOTE: change pooling kernel_size 7 -> 4 for CIFAR10
            out = F.avg_pool2d(out, 4)
            out = out.view(out.size(0), -1)
            out = self.linear(out)
            return out

    cfg = {
        "VGG11": [64, "M", 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"],
    }

    class VGG(nn.Module):
        def __init__(self, vgg_name):
            super(VGG, self).__init__()
            self.features = self._make_layers(cfg[vgg_name])
            self.classifier = nn.Linear(512 // shrink, 10)

        def forward(self, x):
            out = self.features(x)
            out = out.view(out.size(0), -1)
            out = self.classifier(out)
            return out

        def _make_layers(self, cfg):
            layers = []
            in_channels = 3
            for x in cfg:
                if x == "M":
                    layers += [nn.MaxPool2d(kernel_size=2, stride=2)]
                else:
                    x = x // shrink
                    layers += [
                        nn.Conv2d(in_channels, x, kernel_size=3, padding=1),
                        nn.BatchNorm2d(x),
                        nn.ReLU(inplace=True),
                    ]
                    in_channels = x
            layers += [nn.AvgPool2d(kernel_size=1, stride=1)]
            return nn.Sequential(*layers)

    return {"ResNet18": ResNet18, "ResNet50": ResNet50, "MobileNetV2": MobileNetV2, "VGG": VGG}


def cifar_utils(torch: Any, nn: Any, data: Any) -> dict:
    """utils.py: get_mean_and_std (a shuffled DataLoader with workers, ``mean[i] += ...``) and
    init_params (the deprecated ``init.kaiming_normal``/``constant``/``normal`` and
    ``if m.bias:``, which raises for a bias vector: in PyTorch too)."""
    init = nn.init  # import torch.nn.init as init

    def get_mean_and_std(dataset):
        """Compute the mean and std value of dataset."""
        dataloader = data.DataLoader(dataset, batch_size=1, shuffle=True, num_workers=2)
        mean = torch.zeros(3)
        std = torch.zeros(3)
        print("==> Computing mean and std..")
        for inputs, targets in dataloader:
            for i in range(3):
                mean[i] += inputs[:, i, :, :].mean()
                std[i] += inputs[:, i, :, :].std()
        mean.div_(len(dataset))
        std.div_(len(dataset))
        return mean, std

    def init_params(net):
        """Init layer parameters."""
        for m in net.modules():
            if isinstance(m, nn.Conv2d):
                init.kaiming_normal(m.weight, mode="fan_out")
                if m.bias:
                    init.constant(m.bias, 0)
            elif isinstance(m, nn.BatchNorm2d):
                init.constant(m.weight, 1)
                init.constant(m.bias, 0)
            elif isinstance(m, nn.Linear):
                init.normal(m.weight, std=1e-3)
                if m.bias:
                    init.constant(m.bias, 0)

    x = np.random.RandomState(1).rand(6, 3, 4, 4).astype(np.float32)
    mean, std = get_mean_and_std(data.TensorDataset(torch.tensor(x), torch.zeros(6)))
    out = {"mean": mean.numpy(), "std": std.numpy()}
    net = nn.Sequential(nn.Conv2d(3, 4, 3, bias=False), nn.BatchNorm2d(4), nn.Linear(4, 2))
    try:
        init_params(net)
    except RuntimeError as e:  # the Linear's bias: a vector's truth value
        out["init_error"] = str(e)
    out["bn_weight"] = net[1].weight.detach().numpy().copy()
    out["conv_std"] = float(net[0].weight.detach().std())
    return out


def cifar_main(
    torch: Any,
    nn: Any,
    F: Any,
    optim: Any,
    data: Any,
    sync: Sync,
    workdir: str,
    arch: str = "ResNet18",
    epochs: int = 2,
    n: int = 8,
    data_parallel: bool = False,
) -> dict:
    """main.py: SGD with momentum and weight decay, CosineAnnealingLR, ``outputs.max(1)``,
    ``predicted.eq(targets).sum().item()``, the best-accuracy checkpoint and ``--resume``;
    ``data_parallel`` takes the source's GPU branch (DataParallel, cudnn.benchmark)."""
    cudnn = torch.backends.cudnn  # import torch.backends.cudnn as cudnn
    rs = np.random.RandomState(0)
    x = rs.randn(n, 3, 32, 32).astype(np.float32)
    y = rs.randint(0, 10, n)
    trainset = data.TensorDataset(torch.tensor(x), torch.tensor(y))
    trainloader = data.DataLoader(trainset, batch_size=4, shuffle=False, num_workers=0)
    testloader = data.DataLoader(trainset, batch_size=4, shuffle=False, num_workers=0)

    device = "cuda" if torch.cuda.is_available() else "cpu"
    best_acc = 0
    start_epoch = 0
    models = cifar_models(torch, nn, F)
    if arch == "VGG":
        net = models["VGG"]("VGG11")
    else:
        net = models[arch]()
    net = net.to(device)
    if device == "cuda" or data_parallel:  # data_parallel: the GPU machine's branch
        net = torch.nn.DataParallel(net)
        cudnn.benchmark = True
    sync(net)

    criterion = nn.CrossEntropyLoss()
    optimizer = optim.SGD(net.parameters(), lr=0.1, momentum=0.9, weight_decay=5e-4)
    scheduler = optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=200)
    log: dict = {"train_loss": [], "train_acc": [], "test_loss": [], "test_acc": [], "lr": []}

    def train(epoch):
        net.train()
        train_loss = 0
        correct = 0
        total = 0
        for batch_idx, (inputs, targets) in enumerate(trainloader):
            inputs, targets = inputs.to(device), targets.to(device)
            optimizer.zero_grad()
            outputs = net(inputs)
            loss = criterion(outputs, targets)
            loss.backward()
            if epoch == 0 and batch_idx == 0:
                log["grad0"] = [p.grad.numpy().copy() for p in net.parameters()]
            optimizer.step()

            train_loss += loss.item()
            _, predicted = outputs.max(1)
            total += targets.size(0)
            correct += predicted.eq(targets).sum().item()
        log["train_loss"].append(train_loss / (batch_idx + 1))
        log["train_acc"].append(100.0 * correct / total)

    def test(epoch):
        nonlocal best_acc
        net.eval()
        test_loss = 0
        correct = 0
        total = 0
        with torch.no_grad():
            for batch_idx, (inputs, targets) in enumerate(testloader):
                inputs, targets = inputs.to(device), targets.to(device)
                outputs = net(inputs)
                loss = criterion(outputs, targets)

                test_loss += loss.item()
                _, predicted = outputs.max(1)
                total += targets.size(0)
                correct += predicted.eq(targets).sum().item()
        log["test_loss"].append(test_loss / (batch_idx + 1))
        acc = 100.0 * correct / total
        log["test_acc"].append(acc)
        if acc >= best_acc:  # the source saves on acc > best_acc (best_acc starts at 0)
            state = {
                "net": net.state_dict(),
                "acc": acc,
                "epoch": epoch,
            }
            if not os.path.isdir(os.path.join(workdir, "checkpoint")):
                os.mkdir(os.path.join(workdir, "checkpoint"))
            torch.save(state, os.path.join(workdir, "checkpoint", "ckpt.pth"))
            best_acc = acc

    for epoch in range(start_epoch, start_epoch + epochs):
        train(epoch)
        test(epoch)
        scheduler.step()
        log["lr"].append(scheduler.get_last_lr()[0])

    # --resume: a fresh network from the checkpoint
    net2 = models["VGG"]("VGG11") if arch == "VGG" else models[arch]()
    if device == "cuda" or data_parallel:
        net2 = torch.nn.DataParallel(net2)
    checkpoint = torch.load(os.path.join(workdir, "checkpoint", "ckpt.pth"))
    net2.load_state_dict(checkpoint["net"])
    best_acc = checkpoint["acc"]
    start_epoch = checkpoint["epoch"]
    net2.eval()
    with torch.no_grad():
        log["resumed_out"] = net2(torch.tensor(x[:2])).numpy()
    log["resumed_epoch"] = start_epoch
    log["best_acc"] = best_acc
    log["n_params"] = sum(p.numel() for p in net.parameters())
    log["keys"] = list(checkpoint["net"])[:2]
    log["first_grad"] = next(net.parameters()).grad.numpy().copy()
    return log


# --- Harvard NLP: The Annotated Transformer (2022 edition) ---


def annotated_transformer(
    torch: Any,
    nn: Any,
    F: Any,
    optim: Any,
    data: Any,
    sync: Sync,
    dropout: float = 0.1,
    epochs: int = 2,
) -> dict:
    """The model, masks, label smoothing, the ``rate`` schedule under LambdaLR, ``run_epoch``
    on the copy task and ``greedy_decode``, as written (N=2, d_model=16, h=2)."""
    LambdaLR = optim.lr_scheduler.LambdaLR

    class EncoderDecoder(nn.Module):
        """
        A standard Encoder-Decoder architecture. Base for this and many
        other models.
        """

        def __init__(self, encoder, decoder, src_embed, tgt_embed, generator):
            super(EncoderDecoder, self).__init__()
            self.encoder = encoder
            self.decoder = decoder
            self.src_embed = src_embed
            self.tgt_embed = tgt_embed
            self.generator = generator

        def forward(self, src, tgt, src_mask, tgt_mask):
            "Take in and process masked src and target sequences."
            return self.decode(self.encode(src, src_mask), src_mask, tgt, tgt_mask)

        def encode(self, src, src_mask):
            return self.encoder(self.src_embed(src), src_mask)

        def decode(self, memory, src_mask, tgt, tgt_mask):
            return self.decoder(self.tgt_embed(tgt), memory, src_mask, tgt_mask)

    class Generator(nn.Module):
        "Define standard linear + softmax generation step."

        def __init__(self, d_model, vocab):
            super(Generator, self).__init__()
            self.proj = nn.Linear(d_model, vocab)

        def forward(self, x):
            return F.log_softmax(self.proj(x), dim=-1)

    def clones(module, N):
        "Produce N identical layers."
        return nn.ModuleList([copy.deepcopy(module) for _ in range(N)])

    class Encoder(nn.Module):
        "Core encoder is a stack of N layers"

        def __init__(self, layer, N):
            super(Encoder, self).__init__()
            self.layers = clones(layer, N)
            self.norm = LayerNorm(layer.size)

        def forward(self, x, mask):
            "Pass the input (and mask) through each layer in turn."
            for layer in self.layers:
                x = layer(x, mask)
            return self.norm(x)

    class LayerNorm(nn.Module):
        "Construct a layernorm module (See citation for details)."

        def __init__(self, features, eps=1e-6):
            super(LayerNorm, self).__init__()
            self.a_2 = nn.Parameter(torch.ones(features))
            self.b_2 = nn.Parameter(torch.zeros(features))
            self.eps = eps

        def forward(self, x):
            mean = x.mean(-1, keepdim=True)
            std = x.std(-1, keepdim=True)
            return self.a_2 * (x - mean) / (std + self.eps) + self.b_2

    class SublayerConnection(nn.Module):
        """
        A residual connection followed by a layer norm.
        Note for code simplicity the norm is first as opposed to last.
        """

        def __init__(self, size, dropout):
            super(SublayerConnection, self).__init__()
            self.norm = LayerNorm(size)
            self.dropout = nn.Dropout(dropout)

        def forward(self, x, sublayer):
            "Apply residual connection to any sublayer with the same size."
            return x + self.dropout(sublayer(self.norm(x)))

    class EncoderLayer(nn.Module):
        "Encoder is made up of self-attn and feed forward (defined below)"

        def __init__(self, size, self_attn, feed_forward, dropout):
            super(EncoderLayer, self).__init__()
            self.self_attn = self_attn
            self.feed_forward = feed_forward
            self.sublayer = clones(SublayerConnection(size, dropout), 2)
            self.size = size

        def forward(self, x, mask):
            "Follow Figure 1 (left) for connections."
            x = self.sublayer[0](x, lambda x: self.self_attn(x, x, x, mask))
            return self.sublayer[1](x, self.feed_forward)

    class Decoder(nn.Module):
        "Generic N layer decoder with masking."

        def __init__(self, layer, N):
            super(Decoder, self).__init__()
            self.layers = clones(layer, N)
            self.norm = LayerNorm(layer.size)

        def forward(self, x, memory, src_mask, tgt_mask):
            for layer in self.layers:
                x = layer(x, memory, src_mask, tgt_mask)
            return self.norm(x)

    class DecoderLayer(nn.Module):
        "Decoder is made of self-attn, src-attn, and feed forward (defined below)"

        def __init__(self, size, self_attn, src_attn, feed_forward, dropout):
            super(DecoderLayer, self).__init__()
            self.size = size
            self.self_attn = self_attn
            self.src_attn = src_attn
            self.feed_forward = feed_forward
            self.sublayer = clones(SublayerConnection(size, dropout), 3)

        def forward(self, x, memory, src_mask, tgt_mask):
            "Follow Figure 1 (right) for connections."
            m = memory
            x = self.sublayer[0](x, lambda x: self.self_attn(x, x, x, tgt_mask))
            x = self.sublayer[1](x, lambda x: self.src_attn(x, m, m, src_mask))
            return self.sublayer[2](x, self.feed_forward)

    def subsequent_mask(size):
        "Mask out subsequent positions."
        attn_shape = (1, size, size)
        subsequent_mask = torch.triu(torch.ones(attn_shape), diagonal=1).type(torch.uint8)
        return subsequent_mask == 0

    def attention(query, key, value, mask=None, dropout=None):
        "Compute 'Scaled Dot Product Attention'"
        d_k = query.size(-1)
        scores = torch.matmul(query, key.transpose(-2, -1)) / math.sqrt(d_k)
        if mask is not None:
            scores = scores.masked_fill(mask == 0, -1e9)
        p_attn = scores.softmax(dim=-1)
        if dropout is not None:
            p_attn = dropout(p_attn)
        return torch.matmul(p_attn, value), p_attn

    class MultiHeadedAttention(nn.Module):
        def __init__(self, h, d_model, dropout=0.1):
            "Take in model size and number of heads."
            super(MultiHeadedAttention, self).__init__()
            assert d_model % h == 0
            # We assume d_v always equals d_k
            self.d_k = d_model // h
            self.h = h
            self.linears = clones(nn.Linear(d_model, d_model), 4)
            self.attn = None
            self.dropout = nn.Dropout(p=dropout)

        def forward(self, query, key, value, mask=None):
            "Implements Figure 2"
            if mask is not None:
                # Same mask applied to all h heads.
                mask = mask.unsqueeze(1)
            nbatches = query.size(0)

            # 1) Do all the linear projections in batch from d_model => h x d_k
            query, key, value = [
                lin(x).view(nbatches, -1, self.h, self.d_k).transpose(1, 2)
                for lin, x in zip(self.linears, (query, key, value))
            ]

            # 2) Apply attention on all the projected vectors in batch.
            x, self.attn = attention(query, key, value, mask=mask, dropout=self.dropout)

            # 3) "Concat" using a view and apply a final linear.
            x = x.transpose(1, 2).contiguous().view(nbatches, -1, self.h * self.d_k)
            del query
            del key
            del value
            return self.linears[-1](x)

    class PositionwiseFeedForward(nn.Module):
        "Implements FFN equation."

        def __init__(self, d_model, d_ff, dropout=0.1):
            super(PositionwiseFeedForward, self).__init__()
            self.w_1 = nn.Linear(d_model, d_ff)
            self.w_2 = nn.Linear(d_ff, d_model)
            self.dropout = nn.Dropout(dropout)

        def forward(self, x):
            return self.w_2(self.dropout(self.w_1(x).relu()))

    class Embeddings(nn.Module):
        def __init__(self, d_model, vocab):
            super(Embeddings, self).__init__()
            self.lut = nn.Embedding(vocab, d_model)
            self.d_model = d_model

        def forward(self, x):
            return self.lut(x) * math.sqrt(self.d_model)

    class PositionalEncoding(nn.Module):
        "Implement the PE function."

        def __init__(self, d_model, dropout, max_len=5000):
            super(PositionalEncoding, self).__init__()
            self.dropout = nn.Dropout(p=dropout)

            # Compute the positional encodings once in log space.
            pe = torch.zeros(max_len, d_model)
            position = torch.arange(0, max_len).unsqueeze(1)
            div_term = torch.exp(torch.arange(0, d_model, 2) * -(math.log(10000.0) / d_model))
            pe[:, 0::2] = torch.sin(position * div_term)
            pe[:, 1::2] = torch.cos(position * div_term)
            pe = pe.unsqueeze(0)
            self.register_buffer("pe", pe)

        def forward(self, x):
            x = x + self.pe[:, : x.size(1)].requires_grad_(False)
            return self.dropout(x)

    def make_model(src_vocab, tgt_vocab, N=6, d_model=512, d_ff=2048, h=8, dropout=0.1):
        "Helper: Construct a model from hyperparameters."
        c = copy.deepcopy
        attn = MultiHeadedAttention(h, d_model)
        ff = PositionwiseFeedForward(d_model, d_ff, dropout)
        position = PositionalEncoding(d_model, dropout)
        model = EncoderDecoder(
            Encoder(EncoderLayer(d_model, c(attn), c(ff), dropout), N),
            Decoder(DecoderLayer(d_model, c(attn), c(attn), c(ff), dropout), N),
            nn.Sequential(Embeddings(d_model, src_vocab), c(position)),
            nn.Sequential(Embeddings(d_model, tgt_vocab), c(position)),
            Generator(d_model, tgt_vocab),
        )

        # This was important from their code.
        # Initialize parameters with Glorot / fan_avg.
        for p in model.parameters():
            if p.dim() > 1:
                nn.init.xavier_uniform_(p)
        return model

    class Batch:
        """Object for holding a batch of data with mask during training."""

        def __init__(self, src, tgt=None, pad=2):  # 2 = <blank>
            self.src = src
            self.src_mask = (src != pad).unsqueeze(-2)
            if tgt is not None:
                self.tgt = tgt[:, :-1]
                self.tgt_y = tgt[:, 1:]
                self.tgt_mask = self.make_std_mask(self.tgt, pad)
                self.ntokens = (self.tgt_y != pad).data.sum()

        @staticmethod
        def make_std_mask(tgt, pad):
            "Create a mask to hide padding and future words."
            tgt_mask = (tgt != pad).unsqueeze(-2)
            tgt_mask = tgt_mask & subsequent_mask(tgt.size(-1)).type_as(tgt_mask.data)
            return tgt_mask

    class TrainState:
        """Track number of steps, examples, and tokens processed"""

        step: int = 0  # Steps in the current epoch
        accum_step: int = 0  # Number of gradient accumulation steps
        samples: int = 0  # total # of examples used
        tokens: int = 0  # total # of tokens processed

    printed = []
    step_losses: list = []

    def run_epoch(
        data_iter,
        model,
        loss_compute,
        optimizer,
        scheduler,
        mode="train",
        accum_iter=1,
        train_state=TrainState(),
    ):
        """Train a single epoch"""
        total_tokens = 0
        total_loss = 0
        tokens = 0
        n_accum = 0
        for i, batch in enumerate(data_iter):
            out = model.forward(batch.src, batch.tgt, batch.src_mask, batch.tgt_mask)
            loss, loss_node = loss_compute(out, batch.tgt_y, batch.ntokens)
            step_losses.append(float(loss_node.item()))
            # loss_node = loss_node / accum_iter
            if mode == "train" or mode == "train+log":
                loss_node.backward()
                train_state.step += 1
                train_state.samples += batch.src.shape[0]
                train_state.tokens += batch.ntokens
                if i % accum_iter == 0:
                    optimizer.step()
                    optimizer.zero_grad(set_to_none=True)
                    n_accum += 1
                    train_state.accum_step += 1
                scheduler.step()

            total_loss += loss
            total_tokens += batch.ntokens
            tokens += batch.ntokens
            if i % 40 == 1 and (mode == "train" or mode == "train+log"):
                lr = optimizer.param_groups[0]["lr"]
                printed.append(
                    (
                        "Epoch Step: %6d | Accumulation Step: %3d | Loss: %6.2f "
                        + "| Learning Rate: %6.1e"
                    )
                    % (i, n_accum, loss / batch.ntokens, lr)
                )
                tokens = 0
            del loss
            del loss_node
        return total_loss / total_tokens, train_state

    def rate(step, model_size, factor, warmup):
        """
        we have to default the step to 1 for LambdaLR function
        to avoid zero raising to negative power.
        """
        if step == 0:
            step = 1
        return factor * (model_size ** (-0.5) * min(step ** (-0.5), step * warmup ** (-1.5)))

    class LabelSmoothing(nn.Module):
        "Implement label smoothing."

        def __init__(self, size, padding_idx, smoothing=0.0):
            super(LabelSmoothing, self).__init__()
            self.criterion = nn.KLDivLoss(reduction="sum")
            self.padding_idx = padding_idx
            self.confidence = 1.0 - smoothing
            self.smoothing = smoothing
            self.size = size
            self.true_dist = None

        def forward(self, x, target):
            assert x.size(1) == self.size
            true_dist = x.data.clone()
            true_dist.fill_(self.smoothing / (self.size - 2))
            true_dist.scatter_(1, target.data.unsqueeze(1), self.confidence)
            true_dist[:, self.padding_idx] = 0
            mask = torch.nonzero(target.data == self.padding_idx)
            if mask.dim() > 0:
                true_dist.index_fill_(0, mask.squeeze(), 0.0)
            self.true_dist = true_dist
            return self.criterion(x, true_dist.clone().detach())

    rs = np.random.RandomState(0)

    def data_gen(V, batch_size, nbatches):
        "Generate random data for a src-tgt copy task."
        for i in range(nbatches):
            data = torch.from_numpy(rs.randint(1, V, size=(batch_size, 10)))  # torch.randint
            data[:, 0] = 1
            src = data.requires_grad_(False).clone().detach()
            tgt = data.requires_grad_(False).clone().detach()
            yield Batch(src, tgt, 0)

    class SimpleLossCompute:
        "A simple loss compute and train function."

        def __init__(self, generator, criterion):
            self.generator = generator
            self.criterion = criterion

        def __call__(self, x, y, norm):
            x = self.generator(x)
            sloss = (
                self.criterion(x.contiguous().view(-1, x.size(-1)), y.contiguous().view(-1)) / norm
            )
            return sloss.data * norm, sloss

    def greedy_decode(model, src, src_mask, max_len, start_symbol):
        memory = model.encode(src, src_mask)
        ys = torch.zeros(1, 1).fill_(start_symbol).type_as(src.data)
        for i in range(max_len - 1):
            out = model.decode(memory, src_mask, ys, subsequent_mask(ys.size(1)).type_as(src.data))
            prob = model.generator(out[:, -1])
            _, next_word = torch.max(prob, dim=1)
            next_word = next_word.data[0]
            ys = torch.cat([ys, torch.zeros(1, 1).type_as(src.data).fill_(next_word)], dim=1)
        return ys

    class DummyOptimizer(optim.Optimizer):
        def __init__(self):
            self.param_groups = [{"lr": 0}]
            None

        def step(self):
            None

        def zero_grad(self, set_to_none=False):
            None

    class DummyScheduler:
        def step(self):
            None

    out: dict = {}
    # the notebook's label smoothing example
    crit = LabelSmoothing(5, 0, 0.4)
    predict = torch.FloatTensor(
        [
            [0, 0.2, 0.7, 0.1, 0],
            [0, 0.2, 0.7, 0.1, 0],
            [0, 0.2, 0.7, 0.1, 0],
            [0, 0.2, 0.7, 0.1, 0],
            [0, 0.2, 0.7, 0.1, 0],
        ]
    )
    out["smoothing_loss"] = crit(x=predict.log(), target=torch.LongTensor([2, 1, 0, 3, 3])).item()
    out["true_dist"] = crit.true_dist.numpy().copy()
    out["subsequent_mask"] = subsequent_mask(5).numpy()
    pe = PositionalEncoding(20, 0)
    out["pe"] = pe.forward(torch.zeros(1, 100, 20)).numpy()[0, :, 4:8]
    out["rates"] = [rate(s, 512, 1, 4000) for s in (0, 1, 2000, 4000, 8000)]

    # example_simple_model, shortened
    V = 11
    criterion = LabelSmoothing(size=V, padding_idx=0, smoothing=0.0)
    model = make_model(V, V, N=2, d_model=16, d_ff=32, h=2, dropout=dropout)
    sync(model)
    out["n_params"] = sum(p.numel() for p in model.parameters())
    optimizer = torch.optim.Adam(model.parameters(), lr=0.5, betas=(0.9, 0.98), eps=1e-9)
    lr_scheduler = LambdaLR(
        optimizer=optimizer,
        lr_lambda=lambda step: rate(
            step, model_size=model.src_embed[0].d_model, factor=1.0, warmup=400
        ),
    )
    batch_size = 8
    out["train"], out["eval"], out["lrs"] = [], [], []
    for epoch in range(epochs):
        model.train()
        train_loss, _ = run_epoch(
            data_gen(V, batch_size, 4),
            model,
            SimpleLossCompute(model.generator, criterion),
            optimizer,
            lr_scheduler,
            mode="train",
        )
        out["train"].append(float(train_loss))
        out["lrs"].append(optimizer.param_groups[0]["lr"])
        model.eval()
        out["eval"].append(
            float(
                run_epoch(
                    data_gen(V, batch_size, 2),
                    model,
                    SimpleLossCompute(model.generator, criterion),
                    DummyOptimizer(),
                    DummyScheduler(),
                    mode="eval",
                )[0]
            )
        )
    out["printed"] = printed
    out["step_losses"] = step_losses
    model.eval()
    src = torch.LongTensor([[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]])
    max_len = src.shape[1]
    src_mask = torch.ones(1, 1, max_len)
    out["decoded"] = greedy_decode(model, src, src_mask, max_len=max_len, start_symbol=0).numpy()
    out["attn"] = model.decoder.layers[0].src_attn.attn.detach().numpy()
    return out


# --- milesial/Pytorch-UNet ---


def unet(
    torch: Any,
    nn: Any,
    F: Any,
    optim: Any,
    data: Any,
    sync: Sync,
    n_classes: int = 1,
    bilinear: bool = False,
    shrink: int = 16,
    steps: int = 2,
    size: int = 20,
    workdir: str | None = None,
) -> dict:
    """unet/unet_parts.py, unet/unet_model.py, utils/dice_score.py, train.py's step (RMSprop
    with foreach, ReduceLROnPlateau on the dice score, a disabled GradScaler, autocast,
    channels_last, clip_grad_norm_, the per-epoch checkpoint with ``mask_values``), evaluate.py
    and predict.py (loading the checkpoint, ``F.interpolate`` back to the image size,
    mask_to_image), widths / shrink (odd sizes on the way down, so Up pads)."""
    Tensor = torch.Tensor  # from torch import Tensor

    class DoubleConv(nn.Module):
        """(convolution => [BN] => ReLU) * 2"""

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

    class Down(nn.Module):
        """Downscaling with maxpool then double conv"""

        def __init__(self, in_channels, out_channels):
            super().__init__()
            self.maxpool_conv = nn.Sequential(
                nn.MaxPool2d(2), DoubleConv(in_channels, out_channels)
            )

        def forward(self, x):
            return self.maxpool_conv(x)

    class Up(nn.Module):
        """Upscaling then double conv"""

        def __init__(self, in_channels, out_channels, bilinear=True):
            super().__init__()

            # if bilinear, use the normal convolutions to reduce the number of channels
            if bilinear:
                self.up = nn.Upsample(scale_factor=2, mode="bilinear", align_corners=True)
                self.conv = DoubleConv(in_channels, out_channels, in_channels // 2)
            else:
                self.up = nn.ConvTranspose2d(in_channels, in_channels // 2, kernel_size=2, stride=2)
                self.conv = DoubleConv(in_channels, out_channels)

        def forward(self, x1, x2):
            x1 = self.up(x1)
            # input is CHW
            diffY = x2.size()[2] - x1.size()[2]
            diffX = x2.size()[3] - x1.size()[3]

            x1 = F.pad(x1, [diffX // 2, diffX - diffX // 2, diffY // 2, diffY - diffY // 2])
            # if you have padding issues, see
            # https://github.com/HaiyongJiang/U-Net-Pytorch-Unstructured-Buggy/commit/0e854509c2cea854e247a9c615f175f76fbb2e3a
            # https://github.com/xiaopeng-liao/Pytorch-UNet/commit/8ebac70e633bac59fc22bb5195e513d5832fb3bd
            x = torch.cat([x2, x1], dim=1)
            return self.conv(x)

    class OutConv(nn.Module):
        def __init__(self, in_channels, out_channels):
            super(OutConv, self).__init__()
            self.conv = nn.Conv2d(in_channels, out_channels, kernel_size=1)

        def forward(self, x):
            return self.conv(x)

    w = 64 // shrink

    class UNet(nn.Module):
        def __init__(self, n_channels, n_classes, bilinear=False):
            super(UNet, self).__init__()
            self.n_channels = n_channels
            self.n_classes = n_classes
            self.bilinear = bilinear

            self.inc = DoubleConv(n_channels, w)
            self.down1 = Down(w, 2 * w)
            self.down2 = Down(2 * w, 4 * w)
            self.down3 = Down(4 * w, 8 * w)
            factor = 2 if bilinear else 1
            self.down4 = Down(8 * w, 16 * w // factor)
            self.up1 = Up(16 * w, 8 * w // factor, bilinear)
            self.up2 = Up(8 * w, 4 * w // factor, bilinear)
            self.up3 = Up(4 * w, 2 * w // factor, bilinear)
            self.up4 = Up(2 * w, w, bilinear)
            self.outc = OutConv(w, n_classes)

        def forward(self, x):
            x1 = self.inc(x)
            x2 = self.down1(x1)
            x3 = self.down2(x2)
            x4 = self.down3(x3)
            x5 = self.down4(x4)
            x = self.up1(x5, x4)
            x = self.up2(x, x3)
            x = self.up3(x, x2)
            x = self.up4(x, x1)
            logits = self.outc(x)
            return logits

    def dice_coeff(
        input: Tensor, target: Tensor, reduce_batch_first: bool = False, epsilon: float = 1e-6
    ):
        # Average of Dice coefficient for all batches, or for a single mask
        assert input.size() == target.size()
        assert input.dim() == 3 or not reduce_batch_first

        sum_dim = (-1, -2) if input.dim() == 2 or not reduce_batch_first else (-1, -2, -3)

        inter = 2 * (input * target).sum(dim=sum_dim)
        sets_sum = input.sum(dim=sum_dim) + target.sum(dim=sum_dim)
        sets_sum = torch.where(sets_sum == 0, inter, sets_sum)

        dice = (inter + epsilon) / (sets_sum + epsilon)
        return dice.mean()

    def multiclass_dice_coeff(
        input: Tensor, target: Tensor, reduce_batch_first: bool = False, epsilon: float = 1e-6
    ):
        # Average of Dice coefficient for all classes
        return dice_coeff(input.flatten(0, 1), target.flatten(0, 1), reduce_batch_first, epsilon)

    def dice_loss(input: Tensor, target: Tensor, multiclass: bool = False):
        # Dice loss (objective to minimize) between 0 and 1
        fn = multiclass_dice_coeff if multiclass else dice_coeff
        return 1 - fn(input, target, reduce_batch_first=True)

    @torch.inference_mode()
    def evaluate(net, dataloader, device, amp):
        net.eval()
        num_val_batches = len(dataloader)
        dice_score = 0

        # iterate over the validation set
        with torch.autocast(device.type if device.type != "mps" else "cpu", enabled=amp):
            for batch in dataloader:
                image, mask_true = batch["image"], batch["mask"]

                # move images and labels to correct device and type
                image = image.to(
                    device=device, dtype=torch.float32, memory_format=torch.channels_last
                )
                mask_true = mask_true.to(device=device, dtype=torch.long)

                # predict the mask
                mask_pred = net(image)

                if net.n_classes == 1:
                    assert mask_true.min() >= 0 and mask_true.max() <= 1, (
                        "True mask indices should be in [0, 1]"
                    )
                    mask_pred = (F.sigmoid(mask_pred) > 0.5).float()
                    # compute the Dice score
                    dice_score += dice_coeff(
                        mask_pred.squeeze(1), mask_true.float(), reduce_batch_first=False
                    )
                else:
                    assert mask_true.min() >= 0 and mask_true.max() < net.n_classes, (
                        "True mask indices should be in [0, n_classes["
                    )
                    # convert to one-hot format
                    mask_true = F.one_hot(mask_true, net.n_classes).permute(0, 3, 1, 2).float()
                    mask_pred = (
                        F.one_hot(mask_pred.argmax(dim=1), net.n_classes)
                        .permute(0, 3, 1, 2)
                        .float()
                    )
                    # compute the Dice score, ignoring background
                    dice_score += multiclass_dice_coeff(
                        mask_pred[:, 1:], mask_true[:, 1:], reduce_batch_first=False
                    )

        net.train()
        return dice_score / max(num_val_batches, 1)

    class BasicDataset(data.Dataset):
        def __init__(self, images, masks):
            self.images, self.masks = images, masks

        def __len__(self):
            return len(self.images)

        def __getitem__(self, idx):
            return {
                "image": torch.as_tensor(self.images[idx].copy()).float().contiguous(),
                "mask": torch.as_tensor(self.masks[idx].copy()).long().contiguous(),
            }

    rs = np.random.RandomState(0)
    images = rs.rand(4, 3, size, size).astype(np.float32)
    if n_classes == 1:
        masks = (images.mean(1) > 0.5).astype(np.int64)
    else:
        masks = (images.mean(1) * 2 * n_classes).astype(np.int64).clip(0, n_classes - 1)
    dataset = BasicDataset(images, masks)
    dataset.mask_values = (
        [0, 1] if n_classes == 1 else [[0, 0, 0], [128, 128, 128], [255, 255, 255]]
    )
    images_np = images
    loader_args = dict(batch_size=2, num_workers=0, pin_memory=True)
    train_loader = data.DataLoader(dataset, shuffle=False, **loader_args)
    val_loader = data.DataLoader(dataset, shuffle=False, drop_last=True, **loader_args)

    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    model = UNet(n_channels=3, n_classes=n_classes, bilinear=bilinear)
    model = model.to(memory_format=torch.channels_last)
    model.to(device=device)
    sync(model)

    learning_rate, weight_decay, momentum, gradient_clipping, amp = 1e-3, 1e-8, 0.999, 1.0, False
    optimizer = optim.RMSprop(
        model.parameters(),
        lr=learning_rate,
        weight_decay=weight_decay,
        momentum=momentum,
        foreach=True,
    )
    scheduler = optim.lr_scheduler.ReduceLROnPlateau(
        optimizer, "max", patience=5
    )  # goal: maximize Dice score
    grad_scaler = torch.cuda.amp.GradScaler(enabled=amp)
    criterion = nn.CrossEntropyLoss() if model.n_classes > 1 else nn.BCEWithLogitsLoss()
    global_step = 0
    out: dict = {"losses": [], "dice": [], "lr": []}

    for epoch in range(1, steps + 1):
        model.train()
        epoch_loss = 0
        for batch in train_loader:
            images, true_masks = batch["image"], batch["mask"]

            assert images.shape[1] == model.n_channels, (
                f"Network has been defined with {model.n_channels} input channels, "
                f"but loaded images have {images.shape[1]} channels. Please check that "
                "the images are loaded correctly."
            )

            images = images.to(
                device=device, dtype=torch.float32, memory_format=torch.channels_last
            )
            true_masks = true_masks.to(device=device, dtype=torch.long)

            with torch.autocast(device.type if device.type != "mps" else "cpu", enabled=amp):
                masks_pred = model(images)
                if model.n_classes == 1:
                    loss = criterion(masks_pred.squeeze(1), true_masks.float())
                    loss += dice_loss(
                        F.sigmoid(masks_pred.squeeze(1)), true_masks.float(), multiclass=False
                    )
                else:
                    loss = criterion(masks_pred, true_masks)
                    loss += dice_loss(
                        F.softmax(masks_pred, dim=1).float(),
                        F.one_hot(true_masks, model.n_classes).permute(0, 3, 1, 2).float(),
                        multiclass=True,
                    )

            optimizer.zero_grad(set_to_none=True)
            grad_scaler.scale(loss).backward()
            if global_step == 0:
                out["grad0"] = [p.grad.numpy().copy() for p in model.parameters()]
            grad_scaler.unscale_(optimizer)
            norm = nn.utils.clip_grad_norm_(model.parameters(), gradient_clipping)
            out.setdefault("norms", []).append(float(norm))
            grad_scaler.step(optimizer)
            grad_scaler.update()

            global_step += 1
            epoch_loss += loss.item()
            out["losses"].append(loss.item())

        val_score = evaluate(model, val_loader, device, amp)
        scheduler.step(val_score)
        out["dice"].append(float(val_score))
        out["lr"].append(optimizer.param_groups[0]["lr"])

        if workdir is not None:  # save_checkpoint
            dir_checkpoint = Path(workdir) / "checkpoints"
            Path(dir_checkpoint).mkdir(parents=True, exist_ok=True)
            state_dict = model.state_dict()
            state_dict["mask_values"] = dataset.mask_values
            torch.save(state_dict, str(dir_checkpoint / "checkpoint_epoch{}.pth".format(epoch)))

    out["shape"] = tuple(masks_pred.shape)
    if workdir is None:
        out["n_params"] = sum(p.numel() for p in model.parameters())
        return out

    # predict.py
    def predict_img(net, full_img, device, scale_factor=1, out_threshold=0.5):
        net.eval()
        img = torch.from_numpy(full_img)  # BasicDataset.preprocess: already CHW floats
        img = img.unsqueeze(0)
        img = img.to(device=device, dtype=torch.float32)

        with torch.no_grad():
            output = net(img).cpu()
            output = F.interpolate(output, (full_img.shape[1], full_img.shape[2]), mode="bilinear")
            if net.n_classes > 1:
                mask = output.argmax(dim=1)
            else:
                mask = torch.sigmoid(output) > out_threshold

        return mask[0].long().squeeze().numpy()

    def mask_to_image(mask: np.ndarray, mask_values):
        if isinstance(mask_values[0], list):
            out = np.zeros((mask.shape[-2], mask.shape[-1], len(mask_values[0])), dtype=np.uint8)
        elif mask_values == [0, 1]:
            out = np.zeros((mask.shape[-2], mask.shape[-1]), dtype=bool)
        else:
            out = np.zeros((mask.shape[-2], mask.shape[-1]), dtype=np.uint8)

        if mask.ndim == 3:
            mask = np.argmax(mask, axis=0)

        for i, v in enumerate(mask_values):
            out[mask == i] = v

        return out

    net = UNet(n_channels=3, n_classes=n_classes, bilinear=bilinear)
    net.to(device=device)
    state_dict = torch.load(
        str(Path(workdir) / "checkpoints" / f"checkpoint_epoch{steps}.pth"), map_location=device
    )
    mask_values = state_dict.pop("mask_values", [0, 1])
    net.load_state_dict(state_dict)
    full_img = images_np[0][:, 1:, 1:].copy()  # a smaller image than the training crops
    mask = predict_img(net=net, full_img=full_img, scale_factor=1, out_threshold=0.5, device=device)
    out["mask_values"] = mask_values
    out["predicted"] = mask
    out["result"] = mask_to_image(mask, mask_values)
    with torch.no_grad():
        out["logits"] = net(torch.from_numpy(full_img).unsqueeze(0).float()).numpy()
    out["n_params"] = sum(p.numel() for p in model.parameters())
    return out
    out["n_params"] = sum(p.numel() for p in model.parameters())
    return out


# --- Kim (2014) TextCNN and word2vec skip-gram with negative sampling ---


class _Iter:
    """A torchtext iterator's two uses in train.py: iteration over batches and ``.dataset``."""

    def __init__(self, batches: list, size: int) -> None:
        self.batches, self.dataset = batches, range(size)

    def __iter__(self) -> Any:
        return iter(self.batches)


def textcnn(torch: Any, nn: Any, F: Any, optim: Any, data: Any, sync: Sync, steps: int = 3) -> dict:
    """Shawn1993/cnn-text-classification-pytorch (model.py's Conv2d over (K, D) windows and
    train.py's step: ``feature.t_()``, ``target.sub_(1)``, the ``.data`` accuracy), and Chris
    Tran's Conv1d TextCNN tutorial (``nn.Embedding.from_pretrained(freeze=...)``, Adadelta)."""
    from types import SimpleNamespace

    class CNN_Text(nn.Module):
        def __init__(self, args):
            super(CNN_Text, self).__init__()
            self.args = args

            V = args.embed_num
            D = args.embed_dim
            C = args.class_num
            Ci = 1
            Co = args.kernel_num
            Ks = args.kernel_sizes

            self.embed = nn.Embedding(V, D)
            self.convs = nn.ModuleList([nn.Conv2d(Ci, Co, (K, D)) for K in Ks])
            self.dropout = nn.Dropout(args.dropout)
            self.fc1 = nn.Linear(len(Ks) * Co, C)

            if self.args.static:
                self.embed.weight.requires_grad = False

        def forward(self, x):
            x = self.embed(x)  # (N, W, D)

            x = x.unsqueeze(1)  # (N, Ci, W, D)

            x = [F.relu(conv(x)).squeeze(3) for conv in self.convs]  # [(N, Co, W), ...]*len(Ks)

            x = [F.max_pool1d(i, i.size(2)).squeeze(2) for i in x]  # [(N, Co), ...]*len(Ks)

            x = torch.cat(x, 1)

            x = self.dropout(x)  # (N, len(Ks)*Co)
            logit = self.fc1(x)  # (N, C)
            return logit

    class CNN_NLP(nn.Module):
        """An 1D Convulational Neural Network for Sentence Classification."""

        def __init__(
            self,
            pretrained_embedding=None,
            freeze_embedding=False,
            vocab_size=None,
            embed_dim=300,
            filter_sizes=[3, 4, 5],
            num_filters=[100, 100, 100],
            num_classes=2,
            dropout=0.5,
        ):
            super(CNN_NLP, self).__init__()
            # Embedding layer
            if pretrained_embedding is not None:
                self.vocab_size, self.embed_dim = pretrained_embedding.shape
                self.embedding = nn.Embedding.from_pretrained(
                    pretrained_embedding, freeze=freeze_embedding
                )
            else:
                self.embed_dim = embed_dim
                self.embedding = nn.Embedding(
                    num_embeddings=vocab_size,
                    embedding_dim=self.embed_dim,
                    padding_idx=0,
                    max_norm=5.0,
                )
            # Conv Network
            self.conv1d_list = nn.ModuleList(
                [
                    nn.Conv1d(
                        in_channels=self.embed_dim,
                        out_channels=num_filters[i],
                        kernel_size=filter_sizes[i],
                    )
                    for i in range(len(filter_sizes))
                ]
            )
            # Fully-connected layer and Dropout
            self.fc = nn.Linear(np.sum(num_filters), num_classes)
            self.dropout = nn.Dropout(p=dropout)

        def forward(self, input_ids):
            # Get embeddings from `input_ids`. Output shape: (b, max_len, embed_dim)
            x_embed = self.embedding(input_ids).float()

            # Permute `x_embed` to match input shape requirement of `nn.Conv1d`.
            # Output shape: (b, embed_dim, max_len)
            x_reshaped = x_embed.permute(0, 2, 1)

            # Apply CNN and ReLU. Output shape: (b, num_filters[i], L_out)
            x_conv_list = [F.relu(conv1d(x_reshaped)) for conv1d in self.conv1d_list]

            # Max pooling. Output shape: (b, num_filters[i], 1)
            x_pool_list = [
                F.max_pool1d(x_conv, kernel_size=x_conv.shape[2]) for x_conv in x_conv_list
            ]

            # Concatenate x_pool_list to feed the fully connected layer.
            # Output shape: (b, sum(num_filters))
            x_fc = torch.cat([x_pool.squeeze(dim=2) for x_pool in x_pool_list], dim=1)

            # Compute logits. Output shape: (b, n_classes)
            logits = self.fc(self.dropout(x_fc))

            return logits

    rs = np.random.RandomState(0)
    V, W, N = 20, 9, 6
    # torchtext's batch.text is (W, N) and labels start at 1: train.py transposes and shifts
    texts = rs.randint(1, V, size=(W, N))
    labels = (texts[:3].sum(0) % 2) + 1
    out: dict = {"losses": [], "acc": [], "losses1d": [], "acc1d": []}

    args = SimpleNamespace(
        embed_num=V,
        embed_dim=8,
        class_num=2,
        kernel_num=3,
        kernel_sizes=[3, 4, 5],
        dropout=0.5,
        static=False,
        lr=0.01,
    )
    model = CNN_Text(args)
    sync(model)
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
    model.train()
    for step in range(steps):
        feature, target = torch.tensor(texts), torch.tensor(labels)
        feature.t_(), target.sub_(1)  # batch first, index align
        optimizer.zero_grad()
        logit = model.eval()(feature) if step == 0 else model.train()(feature)
        loss = F.cross_entropy(logit, target)
        loss.backward()
        optimizer.step()
        corrects = (torch.max(logit, 1)[1].view(target.size()).data == target.data).sum()
        accuracy = 100.0 * corrects / N
        out["losses"].append(loss.item())
        out["acc"].append(float(accuracy))
        if step == 0:
            out["grad0"] = [p.grad.numpy().copy() for p in model.parameters()]
    out["acc_type"] = type(accuracy).__name__

    # train.py's eval() and predict(), over the same batch (torchtext's iterator and fields
    # replaced by one batch and a vocabulary dict)
    def evaluate(data_iter, model, args):
        model.eval()
        corrects, avg_loss = 0, 0
        for batch in data_iter:
            feature, target = batch.text, batch.label
            feature.t_(), target.sub_(1)  # batch first, index align

            logit = model(feature)
            loss = F.cross_entropy(logit, target, size_average=False)

            avg_loss += loss.item()
            corrects += (torch.max(logit, 1)[1].view(target.size()).data == target.data).sum()

        size = len(data_iter.dataset)
        avg_loss /= size
        accuracy = 100.0 * corrects / size
        return "\nEvaluation - loss: {:.6f}  acc: {:.4f}%({}/{}) \n".format(
            avg_loss, accuracy, corrects, size
        )

    def predict(text, model, text_field, label_feild, cuda_flag):
        assert isinstance(text, str)
        model.eval()
        # text = text_field.tokenize(text)
        text = text_field.preprocess(text)
        text = [[text_field.vocab.stoi[x] for x in text]]
        x = torch.tensor(text)
        x = autograd.Variable(x)
        if cuda_flag:
            x = x.cuda()
        output = model(x)
        _, predicted = torch.max(output, 1)
        return label_feild.vocab.itos[predicted.item() + 1]

    autograd = torch.autograd  # import torch.autograd as autograd
    batch = SimpleNamespace(text=torch.tensor(texts), label=torch.tensor(labels))
    out["eval_line"] = evaluate(_Iter([batch], N), model, args)
    words = [f"w{i}" for i in range(V)]
    field = SimpleNamespace(
        preprocess=str.split, vocab=SimpleNamespace(stoi={w: i for i, w in enumerate(words)})
    )
    label_field = SimpleNamespace(vocab=SimpleNamespace(itos=["<unk>", "negative", "positive"]))
    out["predicted"] = predict(" ".join(words[1:8]), model, field, label_field, False)

    pretrained_np = rs.randn(V, 8).astype(np.float32)
    pretrained = torch.tensor(pretrained_np)
    for freeze in (True, False):
        model1d = CNN_NLP(
            pretrained_embedding=pretrained,
            freeze_embedding=freeze,
            filter_sizes=[2, 3],
            num_filters=[4, 4],
            dropout=0.0,
        )
        sync(model1d)
        optimizer = optim.Adadelta(model1d.parameters(), lr=0.5, rho=0.95)
        loss_fn = nn.CrossEntropyLoss()
        b_input_ids, b_labels = torch.tensor(texts.T), torch.tensor(labels - 1)
        for step in range(steps):
            model1d.zero_grad()
            logits = model1d(b_input_ids)
            loss = loss_fn(logits, b_labels)
            loss.backward()
            optimizer.step()
            preds = torch.argmax(logits, dim=1).flatten()
            accuracy = (preds == b_labels).cpu().numpy().mean() * 100
            out["losses1d"].append(loss.item())
            out["acc1d"].append(float(accuracy))
        weight = model1d.embedding.weight.detach().numpy()
        out[f"embedding_moved_{freeze}"] = not np.array_equal(weight, pretrained_np)
        out[f"pretrained_is_weight_{freeze}"] = np.array_equal(weight, pretrained.numpy())
    model_scratch = CNN_NLP(vocab_size=V, embed_dim=8, filter_sizes=[2], num_filters=[3])
    out["padding_row"] = model_scratch.embedding.weight.detach().numpy()[0].copy()
    out["scratch_shape"] = tuple(model_scratch(torch.tensor(texts.T)).shape)
    return out


CORPUS = (
    "the quick brown fox jumps over the lazy dog while the cat sleeps on the mat "
    "and the dog barks at the fox near the old tree by the river bank"
)


def word2vec(
    torch: Any,
    nn: Any,
    F: Any,
    optim: Any,
    data: Any,
    sync: Sync,
    workdir: str,
    sparse: bool = True,
    optimizer_name: str = "SparseAdam",
    iterations: int = 2,
) -> dict:
    """Andras7/word2vec-pytorch: DataReader (its unigram^0.5 negatives table, subsampling),
    Word2vecDataset with its collate, SkipGramModel (two ``nn.Embedding(..., sparse=True)``,
    ``init.uniform_`` on ``weight.data``, ``torch.bmm(emb_neg_v, emb_u.unsqueeze(2)).squeeze()``,
    ``F.logsigmoid``), the trainer (SparseAdam + CosineAnnealingLR, rebuilt every iteration)
    and save_embedding (``weight.cpu().data.numpy()``). ``np.random`` is a seeded
    RandomState here."""
    init = nn.init  # from torch.nn import init
    np_random = np.random.RandomState(0)
    input_file = os.path.join(workdir, "corpus.txt")
    words = CORPUS.split()
    with open(input_file, "w") as f:
        for _ in range(12):
            f.write(" ".join(np_random.permutation(words)) + "\n")

    class DataReader:
        NEGATIVE_TABLE_SIZE = 1e8 / 1e5  # 1e8 in the source

        def __init__(self, inputFileName, min_count):
            self.negatives = []
            self.discards = []
            self.negpos = 0

            self.word2id = dict()
            self.id2word = dict()
            self.sentences_count = 0
            self.token_count = 0
            self.word_frequency = dict()

            self.inputFileName = inputFileName
            self.read_words(min_count)
            self.initTableNegatives()
            self.initTableDiscards()

        def read_words(self, min_count):
            word_frequency = dict()
            for line in open(self.inputFileName, encoding="utf8"):
                line = line.split()
                if len(line) > 1:
                    self.sentences_count += 1
                    for word in line:
                        if len(word) > 0:
                            self.token_count += 1
                            word_frequency[word] = word_frequency.get(word, 0) + 1

            wid = 0
            for w, c in word_frequency.items():
                if c < min_count:
                    continue
                self.word2id[w] = wid
                self.id2word[wid] = w
                self.word_frequency[wid] = c
                wid += 1

        def initTableDiscards(self):
            t = 0.0001
            f = np.array(list(self.word_frequency.values())) / self.token_count
            self.discards = np.sqrt(t / f) + (t / f)

        def initTableNegatives(self):
            pow_frequency = np.array(list(self.word_frequency.values())) ** 0.5
            words_pow = sum(pow_frequency)
            ratio = pow_frequency / words_pow
            count = np.round(ratio * DataReader.NEGATIVE_TABLE_SIZE)
            for wid, c in enumerate(count):
                self.negatives += [wid] * int(c)
            self.negatives = np.array(self.negatives)
            np_random.shuffle(self.negatives)

        def getNegatives(self, target, size):  # TODO check equality with target
            response = self.negatives[self.negpos : self.negpos + size]
            self.negpos = (self.negpos + size) % len(self.negatives)
            if len(response) != size:
                return np.concatenate((response, self.negatives[0 : self.negpos]))
            return response

    class Word2vecDataset(data.Dataset):
        def __init__(self, data, window_size):
            self.data = data
            self.window_size = window_size
            self.input_file = open(data.inputFileName, encoding="utf8")

        def __len__(self):
            return self.data.sentences_count

        def __getitem__(self, idx):
            while True:
                line = self.input_file.readline()
                if not line:
                    self.input_file.seek(0, 0)
                    line = self.input_file.readline()

                if len(line) > 1:
                    words = line.split()

                    if len(words) > 1:
                        word_ids = [
                            self.data.word2id[w]
                            for w in words
                            if w in self.data.word2id
                            and np_random.rand() < self.data.discards[self.data.word2id[w]]
                        ]

                        boundary = np_random.randint(1, self.window_size)
                        return [
                            (u, v, self.data.getNegatives(v, 5))
                            for i, u in enumerate(word_ids)
                            for j, v in enumerate(word_ids[max(i - boundary, 0) : i + boundary])
                            if u != v
                        ]

        @staticmethod
        def collate(batches):
            all_u = [u for batch in batches for u, _, _ in batch if len(batch) > 0]
            all_v = [v for batch in batches for _, v, _ in batch if len(batch) > 0]
            all_neg_v = [neg_v for batch in batches for _, _, neg_v in batch if len(batch) > 0]

            return (
                torch.LongTensor(all_u),
                torch.LongTensor(all_v),
                torch.LongTensor(np.array(all_neg_v)),
            )

    class SkipGramModel(nn.Module):
        def __init__(self, emb_size, emb_dimension):
            super(SkipGramModel, self).__init__()
            self.emb_size = emb_size
            self.emb_dimension = emb_dimension
            self.u_embeddings = nn.Embedding(emb_size, emb_dimension, sparse=sparse)
            self.v_embeddings = nn.Embedding(emb_size, emb_dimension, sparse=sparse)

            initrange = 1.0 / self.emb_dimension
            init.uniform_(self.u_embeddings.weight.data, -initrange, initrange)
            init.constant_(self.v_embeddings.weight.data, 0)

        def forward(self, pos_u, pos_v, neg_v):
            emb_u = self.u_embeddings(pos_u)
            emb_v = self.v_embeddings(pos_v)
            emb_neg_v = self.v_embeddings(neg_v)

            score = torch.sum(torch.mul(emb_u, emb_v), dim=1)
            score = torch.clamp(score, max=10, min=-10)
            score = -F.logsigmoid(score)

            neg_score = torch.bmm(emb_neg_v, emb_u.unsqueeze(2)).squeeze()
            neg_score = torch.clamp(neg_score, max=10, min=-10)
            neg_score = -torch.sum(F.logsigmoid(-neg_score), dim=1)

            return torch.mean(score + neg_score)

        def save_embedding(self, id2word, file_name):
            embedding = self.u_embeddings.weight.cpu().data.numpy()
            with open(file_name, "w") as f:
                f.write("%d %d\n" % (len(id2word), self.emb_dimension))
                for wid, w in id2word.items():
                    e = " ".join(map(lambda x: str(x), embedding[wid]))
                    f.write("%s %s\n" % (w, e))

    class Word2VecTrainer:
        def __init__(
            self,
            input_file,
            output_file,
            emb_dimension=100,
            batch_size=32,
            window_size=5,
            iterations=3,
            initial_lr=0.001,
            min_count=12,
        ):
            self.data = DataReader(input_file, min_count)
            dataset = Word2vecDataset(self.data, window_size)
            self.dataloader = data.DataLoader(
                dataset,
                batch_size=batch_size,
                shuffle=False,
                num_workers=0,
                collate_fn=dataset.collate,
            )

            self.output_file_name = output_file
            self.emb_size = len(self.data.word2id)
            self.emb_dimension = emb_dimension
            self.batch_size = batch_size
            self.iterations = iterations
            self.initial_lr = initial_lr
            self.skip_gram_model = SkipGramModel(self.emb_size, self.emb_dimension)

            self.use_cuda = torch.cuda.is_available()
            self.device = torch.device("cuda" if self.use_cuda else "cpu")
            if self.use_cuda:
                self.skip_gram_model.cuda()

        def train(self):
            for iteration in range(self.iterations):
                if optimizer_name == "SparseAdam":
                    optimizer = optim.SparseAdam(
                        self.skip_gram_model.parameters(), lr=self.initial_lr
                    )
                else:  # the other optimizer with sparse support
                    optimizer = optim.SGD(self.skip_gram_model.parameters(), lr=self.initial_lr)
                scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(
                    optimizer, len(self.dataloader)
                )

                running_loss = 0.0
                for i, sample_batched in enumerate(self.dataloader):
                    if len(sample_batched[0]) > 1:
                        pos_u = sample_batched[0].to(self.device)
                        pos_v = sample_batched[1].to(self.device)
                        neg_v = sample_batched[2].to(self.device)

                        scheduler.step()
                        optimizer.zero_grad()
                        loss = self.skip_gram_model.forward(pos_u, pos_v, neg_v)
                        loss.backward()
                        optimizer.step()

                        running_loss = running_loss * 0.9 + loss.item() * 0.1
                        losses.append(loss.item())

                self.skip_gram_model.save_embedding(self.data.id2word, self.output_file_name)

    losses: list = []
    w2v = Word2VecTrainer(
        input_file=input_file,
        output_file=os.path.join(workdir, "out.vec"),
        emb_dimension=8,
        batch_size=2,
        iterations=iterations,
        initial_lr=0.05,
        min_count=1,
    )
    sync(w2v.skip_gram_model)
    w2v.train()
    with open(os.path.join(workdir, "out.vec")) as f:
        header = f.readline().split()
        vectors = {line.split()[0]: np.array(line.split()[1:], float) for line in f}
    return {
        "losses": losses,
        "header": header,
        "vocab": sorted(vectors),
        "u": np.stack([vectors[w] for w in sorted(vectors)]),
        "v": w2v.skip_gram_model.v_embeddings.weight.detach().numpy().copy(),
        "negatives": w2v.data.negatives[:20].tolist(),
    }


# --- a Vision Transformer from scratch ---


def vit(torch: Any, nn: Any, F: Any, optim: Any, data: Any, sync: Sync, steps: int = 3) -> dict:
    """The usual from-scratch ViT (the timm/"ViT from scratch" tutorials' shape): patch
    embedding as a strided Conv2d with ``x.flatten(2).transpose(1, 2)``, a zero cls token
    ``expand``-ed over the batch, a learned position embedding (trunc_normal_ init),
    ``nn.TransformerEncoderLayer(batch_first=True, norm_first=True, activation="gelu")``,
    ``_init_weights`` through ``self.apply``; AdamW with label smoothing and a warmup +
    cosine LambdaLR."""

    class PatchEmbedding(nn.Module):
        def __init__(self, img_size=32, patch_size=4, in_channels=3, embed_dim=256):
            super().__init__()
            self.num_patches = (img_size // patch_size) ** 2
            self.proj = nn.Conv2d(in_channels, embed_dim, kernel_size=patch_size, stride=patch_size)

        def forward(self, x):
            x = self.proj(x)  # (B, E, H/P, W/P)
            x = x.flatten(2).transpose(1, 2)  # (B, N, E)
            return x

    class ViT(nn.Module):
        def __init__(
            self,
            img_size=32,
            patch_size=4,
            in_channels=3,
            num_classes=10,
            embed_dim=256,
            depth=6,
            num_heads=8,
            mlp_ratio=4.0,
            dropout=0.1,
        ):
            super().__init__()
            self.patch_embed = PatchEmbedding(img_size, patch_size, in_channels, embed_dim)
            num_patches = self.patch_embed.num_patches

            self.cls_token = nn.Parameter(torch.zeros(1, 1, embed_dim))
            self.pos_embed = nn.Parameter(torch.zeros(1, 1 + num_patches, embed_dim))
            self.pos_drop = nn.Dropout(dropout)

            encoder_layer = nn.TransformerEncoderLayer(
                d_model=embed_dim,
                nhead=num_heads,
                dim_feedforward=int(embed_dim * mlp_ratio),
                dropout=dropout,
                activation="gelu",
                batch_first=True,
                norm_first=True,
            )
            self.encoder = nn.TransformerEncoder(encoder_layer, num_layers=depth)
            self.norm = nn.LayerNorm(embed_dim)
            self.head = nn.Linear(embed_dim, num_classes)

            nn.init.trunc_normal_(self.pos_embed, std=0.02)
            nn.init.trunc_normal_(self.cls_token, std=0.02)
            self.apply(self._init_weights)

        def _init_weights(self, m):
            if isinstance(m, nn.Linear):
                nn.init.trunc_normal_(m.weight, std=0.02)
                if m.bias is not None:
                    nn.init.constant_(m.bias, 0)
            elif isinstance(m, nn.LayerNorm):
                nn.init.constant_(m.bias, 0)
                nn.init.constant_(m.weight, 1.0)

        def forward(self, x):
            B = x.shape[0]
            x = self.patch_embed(x)
            cls_tokens = self.cls_token.expand(B, -1, -1)
            x = torch.cat((cls_tokens, x), dim=1)
            x = x + self.pos_embed
            x = self.pos_drop(x)
            x = self.encoder(x)
            x = self.norm(x)
            return self.head(x[:, 0])

    rs = np.random.RandomState(0)
    images = torch.tensor(rs.randn(4, 3, 16, 16).astype(np.float32))
    labels = torch.tensor(rs.randint(0, 10, 4))
    model = ViT(img_size=16, patch_size=4, embed_dim=16, depth=2, num_heads=2, mlp_ratio=2.0)
    sync(model)
    out: dict = {"losses": [], "lrs": []}
    out["trunc_in_range"] = bool(
        (model.pos_embed.detach().abs() <= 2.0).all() and model.pos_embed.detach().std() > 0
    )
    out["n_params"] = sum(p.numel() for p in model.parameters() if p.requires_grad)
    out["param_names"] = [n for n, _ in model.named_parameters()]

    criterion = nn.CrossEntropyLoss(label_smoothing=0.1)
    optimizer = optim.AdamW(model.parameters(), lr=3e-3, weight_decay=0.05)
    warmup, total = 2, steps

    def lr_lambda(step):
        if step < warmup:
            return (step + 1) / warmup
        progress = (step - warmup) / max(1, total - warmup)
        return 0.5 * (1.0 + math.cos(math.pi * progress))

    scheduler = optim.lr_scheduler.LambdaLR(optimizer, lr_lambda)
    for step in range(steps):
        model.train()
        optimizer.zero_grad()
        logits = model(images)
        loss = criterion(logits, labels)
        loss.backward()
        if step == 0:
            out["grad0"] = [p.grad.numpy().copy() for p in model.parameters()]
        optimizer.step()
        scheduler.step()
        out["losses"].append(loss.item())
        out["lrs"].append(scheduler.get_last_lr()[0])
    model.eval()
    with torch.no_grad():
        logits = model(images)
        out["eval_logits"] = logits.numpy()
        out["acc"] = (logits.argmax(dim=1) == labels).float().mean().item()
    return out


# --- junyanz/pytorch-CycleGAN-and-pix2pix ---


def cyclegan(
    torch: Any,
    nn: Any,
    F: Any,
    optim: Any,
    data: Any,
    sync: Sync,
    steps: int = 2,
    norm: str = "instance",
) -> dict:
    """models/networks.py (get_norm_layer, init_weights on ``m.weight.data``, ResnetGenerator
    with ReflectionPad2d / InstanceNorm2d / ConvTranspose2d(output_padding=1) / Tanh,
    ResnetBlock, NLayerDiscriminator, GANLoss with the LSGAN MSELoss, the linear-decay
    LambdaLR), util/image_pool.py and models/cycle_gan_model.py's optimize_parameters
    (``itertools.chain`` of both generators' parameters in one Adam, set_requires_grad).
    ngf = ndf = 4, two residual blocks, 16x16 images, ImagePool(pool_size=2)."""
    init = nn.init  # from torch.nn import init

    class Identity(nn.Module):
        def forward(self, x):
            return x

    def get_norm_layer(norm_type="instance"):
        if norm_type == "batch":
            norm_layer = functools.partial(nn.BatchNorm2d, affine=True, track_running_stats=True)
        elif norm_type == "instance":
            norm_layer = functools.partial(
                nn.InstanceNorm2d, affine=False, track_running_stats=False
            )
        elif norm_type == "none":

            def norm_layer(x):
                return Identity()

        else:
            raise NotImplementedError("normalization layer [%s] is not found" % norm_type)
        return norm_layer

    def get_scheduler(optimizer, opt):
        def lambda_rule(epoch):
            lr_l = 1.0 - max(0, epoch + opt.epoch_count - opt.n_epochs) / float(
                opt.n_epochs_decay + 1
            )
            return lr_l

        return optim.lr_scheduler.LambdaLR(optimizer, lr_lambda=lambda_rule)

    def init_weights(net, init_type="normal", init_gain=0.02):
        def init_func(m):  # define the initialization function
            classname = m.__class__.__name__
            if hasattr(m, "weight") and (
                classname.find("Conv") != -1 or classname.find("Linear") != -1
            ):
                if init_type == "normal":
                    init.normal_(m.weight.data, 0.0, init_gain)
                elif init_type == "xavier":
                    init.xavier_normal_(m.weight.data, gain=init_gain)
                elif init_type == "kaiming":
                    init.kaiming_normal_(m.weight.data, a=0, mode="fan_in")
                elif init_type == "orthogonal":
                    init.orthogonal_(m.weight.data, gain=init_gain)
                else:
                    raise NotImplementedError(
                        "initialization method [%s] is not implemented" % init_type
                    )
                if hasattr(m, "bias") and m.bias is not None:
                    init.constant_(m.bias.data, 0.0)
            elif classname.find("BatchNorm2d") != -1:
                init.normal_(m.weight.data, 1.0, init_gain)
                init.constant_(m.bias.data, 0.0)

        net.apply(init_func)  # apply the initialization function <init_func>

    class ResnetBlock(nn.Module):
        """Define a Resnet block"""

        def __init__(self, dim, padding_type, norm_layer, use_dropout, use_bias):
            super(ResnetBlock, self).__init__()
            self.conv_block = self.build_conv_block(
                dim, padding_type, norm_layer, use_dropout, use_bias
            )

        def build_conv_block(self, dim, padding_type, norm_layer, use_dropout, use_bias):
            conv_block = []
            p = 0
            if padding_type == "reflect":
                conv_block += [nn.ReflectionPad2d(1)]
            elif padding_type == "replicate":
                conv_block += [nn.ReplicationPad2d(1)]
            elif padding_type == "zero":
                p = 1
            else:
                raise NotImplementedError("padding [%s] is not implemented" % padding_type)

            conv_block += [
                nn.Conv2d(dim, dim, kernel_size=3, padding=p, bias=use_bias),
                norm_layer(dim),
                nn.ReLU(True),
            ]
            if use_dropout:
                conv_block += [nn.Dropout(0.5)]

            p = 0
            if padding_type == "reflect":
                conv_block += [nn.ReflectionPad2d(1)]
            elif padding_type == "replicate":
                conv_block += [nn.ReplicationPad2d(1)]
            elif padding_type == "zero":
                p = 1
            else:
                raise NotImplementedError("padding [%s] is not implemented" % padding_type)
            conv_block += [
                nn.Conv2d(dim, dim, kernel_size=3, padding=p, bias=use_bias),
                norm_layer(dim),
            ]

            return nn.Sequential(*conv_block)

        def forward(self, x):
            """Forward function (with skip connections)"""
            out = x + self.conv_block(x)  # add skip connections
            return out

    class ResnetGenerator(nn.Module):
        def __init__(
            self,
            input_nc,
            output_nc,
            ngf=64,
            norm_layer=nn.BatchNorm2d,
            use_dropout=False,
            n_blocks=6,
            padding_type="reflect",
        ):
            assert n_blocks >= 0
            super(ResnetGenerator, self).__init__()
            if type(norm_layer) == functools.partial:
                use_bias = norm_layer.func == nn.InstanceNorm2d
            else:
                use_bias = norm_layer == nn.InstanceNorm2d

            model = [
                nn.ReflectionPad2d(3),
                nn.Conv2d(input_nc, ngf, kernel_size=7, padding=0, bias=use_bias),
                norm_layer(ngf),
                nn.ReLU(True),
            ]

            n_downsampling = 2
            for i in range(n_downsampling):  # add downsampling layers
                mult = 2**i
                model += [
                    nn.Conv2d(
                        ngf * mult,
                        ngf * mult * 2,
                        kernel_size=3,
                        stride=2,
                        padding=1,
                        bias=use_bias,
                    ),
                    norm_layer(ngf * mult * 2),
                    nn.ReLU(True),
                ]

            mult = 2**n_downsampling
            for i in range(n_blocks):  # add ResNet blocks
                model += [
                    ResnetBlock(
                        ngf * mult,
                        padding_type=padding_type,
                        norm_layer=norm_layer,
                        use_dropout=use_dropout,
                        use_bias=use_bias,
                    )
                ]

            for i in range(n_downsampling):  # add upsampling layers
                mult = 2 ** (n_downsampling - i)
                model += [
                    nn.ConvTranspose2d(
                        ngf * mult,
                        int(ngf * mult / 2),
                        kernel_size=3,
                        stride=2,
                        padding=1,
                        output_padding=1,
                        bias=use_bias,
                    ),
                    norm_layer(int(ngf * mult / 2)),
                    nn.ReLU(True),
                ]
            model += [nn.ReflectionPad2d(3)]
            model += [nn.Conv2d(ngf, output_nc, kernel_size=7, padding=0)]
            model += [nn.Tanh()]

            self.model = nn.Sequential(*model)

        def forward(self, input):
            """Standard forward"""
            return self.model(input)

    class NLayerDiscriminator(nn.Module):
        """Defines a PatchGAN discriminator"""

        def __init__(self, input_nc, ndf=64, n_layers=3, norm_layer=nn.BatchNorm2d):
            super(NLayerDiscriminator, self).__init__()
            if type(norm_layer) == functools.partial:
                use_bias = norm_layer.func == nn.InstanceNorm2d
            else:
                use_bias = norm_layer == nn.InstanceNorm2d

            kw = 4
            padw = 1
            sequence = [
                nn.Conv2d(input_nc, ndf, kernel_size=kw, stride=2, padding=padw),
                nn.LeakyReLU(0.2, True),
            ]
            nf_mult = 1
            nf_mult_prev = 1
            for n in range(1, n_layers):  # gradually increase the number of filters
                nf_mult_prev = nf_mult
                nf_mult = min(2**n, 8)
                sequence += [
                    nn.Conv2d(
                        ndf * nf_mult_prev,
                        ndf * nf_mult,
                        kernel_size=kw,
                        stride=2,
                        padding=padw,
                        bias=use_bias,
                    ),
                    norm_layer(ndf * nf_mult),
                    nn.LeakyReLU(0.2, True),
                ]

            nf_mult_prev = nf_mult
            nf_mult = min(2**n_layers, 8)
            sequence += [
                nn.Conv2d(
                    ndf * nf_mult_prev,
                    ndf * nf_mult,
                    kernel_size=kw,
                    stride=1,
                    padding=padw,
                    bias=use_bias,
                ),
                norm_layer(ndf * nf_mult),
                nn.LeakyReLU(0.2, True),
            ]

            sequence += [
                nn.Conv2d(ndf * nf_mult, 1, kernel_size=kw, stride=1, padding=padw)
            ]  # output 1 channel prediction map
            self.model = nn.Sequential(*sequence)

        def forward(self, input):
            """Standard forward."""
            return self.model(input)

    class GANLoss(nn.Module):
        def __init__(self, gan_mode, target_real_label=1.0, target_fake_label=0.0):
            super(GANLoss, self).__init__()
            self.register_buffer("real_label", torch.tensor(target_real_label))
            self.register_buffer("fake_label", torch.tensor(target_fake_label))
            self.gan_mode = gan_mode
            if gan_mode == "lsgan":
                self.loss = nn.MSELoss()
            elif gan_mode == "vanilla":
                self.loss = nn.BCEWithLogitsLoss()
            elif gan_mode in ["wgangp"]:
                self.loss = None
            else:
                raise NotImplementedError("gan mode %s not implemented" % gan_mode)

        def get_target_tensor(self, prediction, target_is_real):
            if target_is_real:
                target_tensor = self.real_label
            else:
                target_tensor = self.fake_label
            return target_tensor.expand_as(prediction)

        def __call__(self, prediction, target_is_real):
            if self.gan_mode in ["lsgan", "vanilla"]:
                target_tensor = self.get_target_tensor(prediction, target_is_real)
                loss = self.loss(prediction, target_tensor)
            elif self.gan_mode == "wgangp":
                if target_is_real:
                    loss = -prediction.mean()
                else:
                    loss = prediction.mean()
            return loss

    class ImagePool:
        def __init__(self, pool_size):
            self.pool_size = pool_size
            if self.pool_size > 0:  # create an empty pool
                self.num_imgs = 0
                self.images = []

        def query(self, images):
            if self.pool_size == 0:  # if the buffer size is 0, do nothing
                return images
            return_images = []
            for image in images:
                image = torch.unsqueeze(image.data, 0)
                if self.num_imgs < self.pool_size:
                    self.num_imgs = self.num_imgs + 1
                    self.images.append(image)
                    return_images.append(image)
                else:
                    p = py_random.uniform(0, 1)
                    if p > 0.5:
                        random_id = py_random.randint(0, self.pool_size - 1)
                        tmp = self.images[random_id].clone()
                        self.images[random_id] = image
                        return_images.append(tmp)
                    else:
                        return_images.append(image)
            return_images = torch.cat(return_images, 0)
            return return_images

    py_random = random.Random(0)  # the source's `import random`
    from types import SimpleNamespace

    opt = SimpleNamespace(
        lr=0.0002,
        beta1=0.5,
        lambda_A=10.0,
        lambda_B=10.0,
        lambda_identity=0.5,
        pool_size=2,
        epoch_count=1,
        n_epochs=1,
        n_epochs_decay=2,
    )
    norm_layer = get_norm_layer(norm)
    netG_A = ResnetGenerator(3, 3, 4, norm_layer=norm_layer, use_dropout=False, n_blocks=2)
    netG_B = ResnetGenerator(3, 3, 4, norm_layer=norm_layer, use_dropout=False, n_blocks=2)
    netD_A = NLayerDiscriminator(3, 4, n_layers=2, norm_layer=norm_layer)
    netD_B = NLayerDiscriminator(3, 4, n_layers=2, norm_layer=norm_layer)
    for net in (netG_A, netG_B, netD_A, netD_B):
        init_weights(net, "normal", 0.02)
        sync(net)

    fake_A_pool = ImagePool(opt.pool_size)
    fake_B_pool = ImagePool(opt.pool_size)
    criterionGAN = GANLoss("lsgan")
    criterionCycle = torch.nn.L1Loss()
    criterionIdt = torch.nn.L1Loss()
    optimizer_G = torch.optim.Adam(
        itertools.chain(netG_A.parameters(), netG_B.parameters()),
        lr=opt.lr,
        betas=(opt.beta1, 0.999),
    )
    optimizer_D = torch.optim.Adam(
        itertools.chain(netD_A.parameters(), netD_B.parameters()),
        lr=opt.lr,
        betas=(opt.beta1, 0.999),
    )
    optimizers = [optimizer_G, optimizer_D]
    schedulers = [get_scheduler(optimizer, opt) for optimizer in optimizers]

    def set_requires_grad(nets, requires_grad=False):
        if not isinstance(nets, list):
            nets = [nets]
        for net in nets:
            if net is not None:
                for param in net.parameters():
                    param.requires_grad = requires_grad

    def backward_D_basic(netD, real, fake):
        # Real
        pred_real = netD(real)
        loss_D_real = criterionGAN(pred_real, True)
        # Fake
        pred_fake = netD(fake.detach())
        loss_D_fake = criterionGAN(pred_fake, False)
        # Combined loss and calculate gradients
        loss_D = (loss_D_real + loss_D_fake) * 0.5
        loss_D.backward()
        return loss_D

    rs = np.random.RandomState(0)
    out: dict = {"loss_G": [], "loss_D_A": [], "loss_D_B": [], "loss_cycle_A": [], "lr": []}
    for step in range(steps):
        real_A = torch.tensor(rs.rand(1, 3, 16, 16).astype(np.float32) * 2 - 1)
        real_B = torch.tensor(rs.rand(1, 3, 16, 16).astype(np.float32) * 2 - 1)
        # forward
        fake_B = netG_A(real_A)  # G_A(A)
        rec_A = netG_B(fake_B)  # G_B(G_A(A))
        fake_A = netG_B(real_B)  # G_B(B)
        rec_B = netG_A(fake_A)  # G_A(G_B(B))
        # G_A and G_B
        set_requires_grad([netD_A, netD_B], False)
        optimizer_G.zero_grad()
        lambda_idt = opt.lambda_identity
        lambda_A = opt.lambda_A
        lambda_B = opt.lambda_B
        idt_A = netG_A(real_B)
        loss_idt_A = criterionIdt(idt_A, real_B) * lambda_B * lambda_idt
        idt_B = netG_B(real_A)
        loss_idt_B = criterionIdt(idt_B, real_A) * lambda_A * lambda_idt
        loss_G_A = criterionGAN(netD_A(fake_B), True)
        loss_G_B = criterionGAN(netD_B(fake_A), True)
        loss_cycle_A = criterionCycle(rec_A, real_A) * lambda_A
        loss_cycle_B = criterionCycle(rec_B, real_B) * lambda_B
        loss_G = loss_G_A + loss_G_B + loss_cycle_A + loss_cycle_B + loss_idt_A + loss_idt_B
        loss_G.backward()
        if step == 0:
            out["D_grad_none"] = all(p.grad is None for p in netD_A.parameters())
            out["grad0"] = [p.grad.numpy().copy() for p in netG_A.parameters()]
        optimizer_G.step()
        # D_A and D_B
        set_requires_grad([netD_A, netD_B], True)
        optimizer_D.zero_grad()
        fake_B_q = fake_B_pool.query(fake_B)
        loss_D_A = backward_D_basic(netD_A, real_B, fake_B_q)
        fake_A_q = fake_A_pool.query(fake_A)
        loss_D_B = backward_D_basic(netD_B, real_A, fake_A_q)
        optimizer_D.step()
        # update_learning_rate
        old_lr = optimizers[0].param_groups[0]["lr"]
        for scheduler in schedulers:
            scheduler.step()
        lr = optimizers[0].param_groups[0]["lr"]
        out["lr"].append((old_lr, lr))
        out["loss_G"].append(loss_G.item())
        out["loss_D_A"].append(loss_D_A.item())
        out["loss_D_B"].append(loss_D_B.item())
        out["loss_cycle_A"].append(loss_cycle_A.item())
    out["fake_B"] = fake_B.detach().numpy()
    out["fake_shape"] = tuple(fake_B.shape)
    out["pred_shape"] = tuple(netD_A(real_B).shape)
    out["n_G"] = sum(p.numel() for p in netG_A.parameters())
    out["n_params_G_opt"] = sum(p.numel() for g in optimizer_G.param_groups for p in g["params"])
    return out
