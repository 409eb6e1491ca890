# ruff: noqa: UP008, UP032, B007 (the tutorials' own super(Cls, self), str.format and loops)
"""Code from PyTorch's official tutorials, shortened (small sizes, synthetic data, a few
steps) and written once against the names ``torch``, ``nn``, ``F``, ``optim``. The tests run
them with our packages under those names and, when it is installed, with PyTorch.

Weights a result depends on pass through ``sync(module_or_tensors)`` (see
course_scripts.py). ``.data`` lines (``p.data.add_(...)``, ``weight.data.zero_()``) are as
written.
"""

from __future__ import annotations

import math
import random
import string
from collections import deque, namedtuple
from typing import Any

import numpy as np

from .course_scripts import Sync

ALL_LETTERS = string.ascii_letters + " .,;'"
NAMES = {
    "English": ["Smith", "Jones", "Brown"],
    "French": ["Dubois", "Lefevre", "Martin"],
    "Italian": ["Rossi", "Russo", "Ferrari"],
}


def char_rnn_generation(torch: Any, nn: Any, sync: Sync) -> dict:
    """ "NLP From Scratch: Generating Names with a Character-Level RNN": one-hot tensors filled
    by indexing, a hand-written RNN with dropout, the loss summed into ``torch.Tensor([0])``,
    manual SGD, greedy sampling with ``topk``."""
    n_letters = len(ALL_LETTERS) + 1  # plus EOS
    all_categories = list(NAMES)
    n_categories = len(all_categories)

    class RNN(nn.Module):
        def __init__(self, input_size, hidden_size, output_size):
            super(RNN, self).__init__()
            self.hidden_size = hidden_size
            self.i2h = nn.Linear(n_categories + input_size + hidden_size, hidden_size)
            self.i2o = nn.Linear(n_categories + input_size + hidden_size, output_size)
            self.o2o = nn.Linear(hidden_size + output_size, output_size)
            self.dropout = nn.Dropout(0.1)
            self.softmax = nn.LogSoftmax(dim=1)

        def forward(self, category, input, hidden):
            input_combined = torch.cat((category, input, hidden), 1)
            hidden = self.i2h(input_combined)
            output = self.i2o(input_combined)
            output_combined = torch.cat((hidden, output), 1)
            output = self.o2o(output_combined)
            output = self.dropout(output)
            output = self.softmax(output)
            return output, hidden

        def initHidden(self):
            return torch.zeros(1, self.hidden_size)

    def categoryTensor(category):
        li = all_categories.index(category)
        tensor = torch.zeros(1, n_categories)
        tensor[0][li] = 1
        return tensor

    def inputTensor(line):
        tensor = torch.zeros(len(line), 1, n_letters)
        for li in range(len(line)):
            letter = line[li]
            tensor[li][0][ALL_LETTERS.find(letter)] = 1
        return tensor

    def targetTensor(line):
        letter_indexes = [ALL_LETTERS.find(line[li]) for li in range(1, len(line))]
        letter_indexes.append(n_letters - 1)  # EOS
        return torch.LongTensor(letter_indexes)

    criterion = nn.NLLLoss()
    learning_rate = 0.05
    rnn = RNN(n_letters, 32, n_letters)
    sync(rnn)
    rnn.eval()  # the libraries' dropout masks differ; the tutorial trains with them

    def train(category_tensor, input_line_tensor, target_line_tensor):
        target_line_tensor = target_line_tensor.unsqueeze(-1)  # the tutorial: .unsqueeze_(-1)
        hidden = rnn.initHidden()
        rnn.zero_grad()
        loss = torch.Tensor([0])  # a float tensor: torch.Tensor's rule for a list of ints
        for i in range(input_line_tensor.size(0)):
            output, hidden = rnn(category_tensor, input_line_tensor[i], hidden)
            l = criterion(output, target_line_tensor[i])  # noqa: E741 (the tutorial's name)
            loss += l
        loss.backward()
        for p in rnn.parameters():
            p.data.add_(p.grad.data, alpha=-learning_rate)
        return output, loss.item() / input_line_tensor.size(0)

    rr = random.Random(7)
    losses = []
    for _ in range(24):
        category = rr.choice(all_categories)
        line = rr.choice(NAMES[category])
        _, loss = train(categoryTensor(category), inputTensor(line), targetTensor(line))
        losses.append(loss)
    loss_dtype = str(torch.Tensor([0]).dtype).replace("torch.", "")

    def sample(category, start_letter="A", max_length=8):
        with torch.no_grad():
            category_tensor = categoryTensor(category)
            input = inputTensor(start_letter)
            hidden = rnn.initHidden()
            output_name = start_letter
            for _ in range(max_length):
                output, hidden = rnn(category_tensor, input[0], hidden)
                topv, topi = output.topk(1)
                topi = topi[0][0]
                if topi == n_letters - 1:
                    break
                letter = ALL_LETTERS[topi]
                output_name += letter
                input = inputTensor(letter)
            return output_name

    return {
        "losses": losses,
        "loss_dtype": loss_dtype,
        "samples": [sample(c, s) for c in all_categories for s in "RDS"],
        "i2h_grad": rnn.i2h.weight.grad.numpy().copy(),
    }


def dcgan_weights_init(torch: Any, nn: Any, optim: Any, sync: Sync) -> dict:
    """DCGAN: ``weights_init`` applied with ``model.apply`` passes ``m.weight.data`` (an
    array on the weight's memory) to ``nn.init``; then a few steps of the alternating BCE
    training."""
    nc, nz, ngf, ndf = 3, 8, 4, 4

    def weights_init(m):
        classname = m.__class__.__name__
        if classname.find("Conv") != -1:
            nn.init.normal_(m.weight.data, 0.0, 0.02)
        elif classname.find("BatchNorm") != -1:
            nn.init.normal_(m.weight.data, 1.0, 0.02)
            nn.init.constant_(m.bias.data, 0)

    netG = nn.Sequential(
        nn.ConvTranspose2d(nz, ngf * 4, 4, 1, 0, bias=False),
        nn.BatchNorm2d(ngf * 4),
        nn.ReLU(True),
        nn.ConvTranspose2d(ngf * 4, nc, 4, 2, 1, bias=False),
        nn.Tanh(),
    )
    netD = nn.Sequential(
        nn.Conv2d(nc, ndf, 4, 2, 1, bias=False),
        nn.LeakyReLU(0.2, inplace=True),
        nn.Conv2d(ndf, ndf * 2, 4, 2, 1, bias=False),
        nn.BatchNorm2d(ndf * 2),
        nn.LeakyReLU(0.2, inplace=True),
        nn.Conv2d(ndf * 2, 1, 2, 1, 0, bias=False),
        nn.Sigmoid(),
    )
    netG.apply(weights_init)
    netD.apply(weights_init)
    init = {
        "conv_std": float(netG[0].weight.detach().numpy().std()),
        "bn_weight_mean": float(netG[1].weight.detach().numpy().mean()),
        "bn_weight_changed": bool(np.all(netG[1].weight.detach().numpy() != 1)),
        "bn_bias": netG[1].bias.detach().numpy().copy(),
    }
    sync(netG)
    sync(netD)
    criterion = nn.BCELoss()
    real_label, fake_label = 1.0, 0.0
    optimizerD = optim.Adam(netD.parameters(), lr=0.0002, betas=(0.5, 0.999))
    optimizerG = optim.Adam(netG.parameters(), lr=0.0002, betas=(0.5, 0.999))
    rs = np.random.RandomState(5)
    G_losses, D_losses = [], []
    for _ in range(3):
        netD.zero_grad()
        real = torch.tensor(rs.rand(6, nc, 8, 8).astype(np.float32) * 2 - 1)
        b_size = real.size(0)
        label = torch.full((b_size,), real_label, dtype=torch.float)
        output = netD(real).view(-1)
        errD_real = criterion(output, label)
        errD_real.backward()
        noise = torch.tensor(rs.randn(b_size, nz, 1, 1).astype(np.float32))
        fake = netG(noise)
        label.fill_(fake_label)
        output = netD(fake.detach()).view(-1)
        errD_fake = criterion(output, label)
        errD_fake.backward()
        errD = errD_real + errD_fake
        optimizerD.step()
        netG.zero_grad()
        label.fill_(real_label)
        output = netD(fake).view(-1)
        errG = criterion(output, label)
        errG.backward()
        optimizerG.step()
        G_losses.append(errG.item())
        D_losses.append(errD.item())
    return {
        **init,
        "G_losses": G_losses,
        "D_losses": D_losses,
        "gradG": netG[0].weight.grad.numpy().copy(),
        "running_mean": netD[3].running_mean.numpy().copy(),
    }


Transition = namedtuple("Transition", ("state", "action", "next_state", "reward"))


def dqn(torch: Any, nn: Any, F: Any, optim: Any, sync: Sync) -> dict:
    """The DQN tutorial's optimisation: replay memory of Transitions, the non-final mask, the
    ``gather`` of the taken actions, the target net's ``max(1).values`` written under
    ``no_grad`` into a masked slice, SmoothL1, ``clip_grad_value_``, AdamW(amsgrad) and the
    soft update through state_dict dictionaries (ndarrays here, Tensors in torch)."""

    class DQN(nn.Module):
        def __init__(self, n_observations, n_actions):
            super(DQN, self).__init__()
            self.layer1 = nn.Linear(n_observations, 16)
            self.layer2 = nn.Linear(16, n_actions)

        def forward(self, x):
            return self.layer2(F.relu(self.layer1(x)))

    BATCH_SIZE, GAMMA, TAU = 6, 0.99, 0.05
    policy_net, target_net = DQN(4, 2), DQN(4, 2)
    sync(policy_net)
    target_net.load_state_dict(policy_net.state_dict())
    optimizer = optim.AdamW(policy_net.parameters(), lr=1e-2, amsgrad=True)
    memory: deque = deque([], maxlen=100)
    rnd, env = random.Random(11), np.random.RandomState(9)
    losses, greedy = [], []
    for episode in range(3):
        state = torch.tensor(env.randn(4).astype(np.float32)).unsqueeze(0)
        for t in range(4 + episode):
            with torch.no_grad():
                action = policy_net(state).max(1).indices.view(1, 1)
            greedy.append(action.item())
            observation = (state.numpy()[0] + (action.item() - 0.5) * 0.3).astype(np.float32)
            reward = torch.tensor([float(-abs(observation[0]))])
            terminated = t == 3 + episode
            next_state = None if terminated else torch.tensor(observation).unsqueeze(0)
            memory.append(Transition(state, action, next_state, reward))
            state = next_state
            if len(memory) < BATCH_SIZE:
                continue
            batch = Transition(*zip(*rnd.sample(memory, BATCH_SIZE)))
            non_final_mask = torch.tensor(
                tuple(map(lambda s: s is not None, batch.next_state)), dtype=torch.bool
            )
            non_final_next_states = torch.cat([s for s in batch.next_state if s is not None])
            state_batch = torch.cat(batch.state)
            action_batch = torch.cat(batch.action)
            reward_batch = torch.cat(batch.reward)
            state_action_values = policy_net(state_batch).gather(1, action_batch)
            next_state_values = torch.zeros(BATCH_SIZE)
            with torch.no_grad():
                next_state_values[non_final_mask] = target_net(non_final_next_states).max(1).values
            expected = (next_state_values * GAMMA) + reward_batch
            loss = nn.SmoothL1Loss()(state_action_values, expected.unsqueeze(1))
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_value_(policy_net.parameters(), 100)
            optimizer.step()
            losses.append(loss.item())
            target_net_state_dict = target_net.state_dict()
            policy_net_state_dict = policy_net.state_dict()
            for key in policy_net_state_dict:
                target_net_state_dict[key] = policy_net_state_dict[key] * TAU + (
                    target_net_state_dict[key] * (1 - TAU)
                )
            target_net.load_state_dict(target_net_state_dict)
    return {
        "losses": losses,
        "greedy": greedy,
        "policy_w": policy_net.layer1.weight.detach().numpy().copy(),
        "target_w": target_net.layer1.weight.detach().numpy().copy(),
        "mask_dtype": str(non_final_mask.dtype).replace("torch.", ""),
        "n_final": int((~non_final_mask).sum().item()),
    }


def style_transfer(torch: Any, nn: Any, F: Any, optim: Any, sync: Sync) -> dict:
    """Neural style transfer: Normalization, Content/StyleLoss modules inserted after the
    layers of a copied Sequential (in-place ReLUs replaced), the model cut with ``model[:i]``,
    then L-BFGS on the image with a closure that clamps it under ``no_grad``."""
    rs = np.random.RandomState(6)
    style_img = torch.tensor(rs.rand(1, 3, 8, 8).astype(np.float32))
    content_img = torch.tensor(rs.rand(1, 3, 8, 8).astype(np.float32))

    def gram_matrix(input):
        a, b, c, d = input.size()
        features = input.view(a * b, c * d)
        G = torch.mm(features, features.t())
        return G.div(a * b * c * d)

    class ContentLoss(nn.Module):
        def __init__(self, target):
            super(ContentLoss, self).__init__()
            self.target = target.detach()

        def forward(self, input):
            self.loss = F.mse_loss(input, self.target)
            return input

    class StyleLoss(nn.Module):
        def __init__(self, target_feature):
            super(StyleLoss, self).__init__()
            self.target = gram_matrix(target_feature).detach()

        def forward(self, input):
            self.loss = F.mse_loss(gram_matrix(input), self.target)
            return input

    class Normalization(nn.Module):
        def __init__(self, mean, std):
            super(Normalization, self).__init__()
            self.mean = torch.tensor(mean).view(-1, 1, 1)
            self.std = torch.tensor(std).view(-1, 1, 1)

        def forward(self, img):
            return (img - self.mean) / self.std

    cnn = nn.Sequential(
        nn.Conv2d(3, 4, 3, padding=1),
        nn.ReLU(inplace=True),
        nn.MaxPool2d(2, 2),
        nn.Conv2d(4, 4, 3, padding=1),
        nn.ReLU(inplace=True),
        nn.Conv2d(4, 4, 3, padding=1),
    ).eval()
    sync(cnn)
    model = nn.Sequential(Normalization([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]))
    content_losses, style_losses = [], []
    i = 0
    for layer in cnn.children():
        if isinstance(layer, nn.Conv2d):
            i += 1
            name = "conv_{}".format(i)
        elif isinstance(layer, nn.ReLU):
            name = "relu_{}".format(i)
            layer = nn.ReLU(inplace=False)
        elif isinstance(layer, nn.MaxPool2d):
            name = "pool_{}".format(i)
        else:
            raise RuntimeError("Unrecognized layer: {}".format(layer.__class__.__name__))
        model.add_module(name, layer)
        if name == "conv_2":
            content_loss = ContentLoss(model(content_img).detach())
            model.add_module("content_loss_{}".format(i), content_loss)
            content_losses.append(content_loss)
        if name in ("conv_1", "conv_2"):
            style_loss = StyleLoss(model(style_img).detach())
            model.add_module("style_loss_{}".format(i), style_loss)
            style_losses.append(style_loss)
    for i in range(len(model) - 1, -1, -1):
        if isinstance(model[i], ContentLoss) or isinstance(model[i], StyleLoss):
            break
    model = model[: (i + 1)]
    input_img = content_img.clone()
    input_img.requires_grad_(True)
    model.eval()
    model.requires_grad_(False)
    optimizer = optim.LBFGS([input_img])
    trace = []
    run = [0]
    while run[0] <= 3:

        def closure():
            with torch.no_grad():
                input_img.clamp_(0, 1)
            optimizer.zero_grad()
            model(input_img)
            style_score = 0
            content_score = 0
            for sl in style_losses:
                style_score += sl.loss
            for cl in content_losses:
                content_score += cl.loss
            style_score *= 1000
            loss = style_score + content_score
            loss.backward()
            run[0] += 1
            trace.append([style_score.item(), content_score.item()])
            return style_score + content_score

        optimizer.step(closure)
    with torch.no_grad():
        input_img.clamp_(0, 1)
    return {
        "names": [n for n, _ in model.named_children()],
        "trace": trace,
        "image": input_img.detach().numpy().copy(),
        "cnn_inplace": [m.inplace for m in cnn if isinstance(m, nn.ReLU)],
        "math_check": math.isfinite(trace[-1][0]),
    }


def spatial_transformer(torch: Any, nn: Any, F: Any, optim: Any, sync: Sync) -> dict:
    """Spatial transformer networks: the localisation net and its regressor ``fc_loc``
    started at the identity transform, ``F.affine_grid`` and ``F.grid_sample`` in front of
    the classifier, ``size_average=False`` in the test loss, ``max(1, keepdim=True)[1]`` and
    ``eq(target.view_as(pred))`` for accuracy, SGD training with dropout."""

    class Net(nn.Module):
        def __init__(self):
            super(Net, self).__init__()
            self.conv1 = nn.Conv2d(1, 10, kernel_size=5)
            self.conv2 = nn.Conv2d(10, 20, kernel_size=5)
            self.conv2_drop = nn.Dropout2d()
            self.fc1 = nn.Linear(320, 50)
            self.fc2 = nn.Linear(50, 10)
            self.localization = nn.Sequential(
                nn.Conv2d(1, 8, kernel_size=7),
                nn.MaxPool2d(2, stride=2),
                nn.ReLU(True),
                nn.Conv2d(8, 10, kernel_size=5),
                nn.MaxPool2d(2, stride=2),
                nn.ReLU(True),
            )
            self.fc_loc = nn.Sequential(
                nn.Linear(10 * 3 * 3, 32), nn.ReLU(True), nn.Linear(32, 3 * 2)
            )
            # Initialize the weights/bias with identity transformation
            self.fc_loc[2].weight.data.zero_()
            self.fc_loc[2].bias.data.copy_(torch.tensor([1, 0, 0, 0, 1, 0], dtype=torch.float))

        def stn(self, x):
            xs = self.localization(x)
            xs = xs.view(-1, 10 * 3 * 3)
            theta = self.fc_loc(xs)
            theta = theta.view(-1, 2, 3)
            grid = F.affine_grid(theta, x.size())
            x = F.grid_sample(x, grid)
            return x

        def forward(self, x):
            x = self.stn(x)
            x = F.relu(F.max_pool2d(self.conv1(x), 2))
            x = F.relu(F.max_pool2d(self.conv2_drop(self.conv2(x)), 2))
            x = x.view(-1, 320)
            x = F.relu(self.fc1(x))
            x = F.dropout(x, training=self.training)
            x = self.fc2(x)
            return F.log_softmax(x, dim=1)

    rs = np.random.RandomState(4)
    images = rs.rand(8, 1, 28, 28).astype(np.float32)
    labels = rs.randint(0, 10, 8).astype(np.int64)
    batches = [(torch.tensor(images[i : i + 4]), torch.tensor(labels[i : i + 4])) for i in (0, 4)]
    model = Net()
    identity = model.fc_loc[2].bias.detach().numpy().copy()
    sync(model)

    def test():
        with torch.no_grad():
            model.eval()
            test_loss = 0
            correct = 0
            for data, target in batches:
                output = model(data)
                test_loss += F.nll_loss(output, target, size_average=False).item()
                pred = output.max(1, keepdim=True)[1]
                correct += pred.eq(target.view_as(pred)).sum().item()
            return test_loss / 8, correct

    test_loss, correct = test()
    data, target = batches[0]
    with torch.no_grad():
        warped = model.stn(data)
    optimizer = optim.SGD(model.parameters(), lr=0.01)
    model.eval()  # gradients without dropout, to compare with torch: at the identity...
    optimizer.zero_grad()
    F.nll_loss(model(data), target).backward()
    fc_loc_grad = model.fc_loc[2].weight.grad.numpy().copy()
    optimizer.step()  # ...and after a step, where they reach the localisation net
    optimizer.zero_grad()
    F.nll_loss(model(data), target).backward()
    loc_grad = model.localization[0].weight.grad.numpy().copy()
    theta = model.fc_loc(model.localization(data).view(-1, 90)).detach().numpy().copy()

    losses = []
    for epoch in range(2):
        model.train()
        for batch_idx, (data, target) in enumerate(batches):
            optimizer.zero_grad()
            output = model(data)
            loss = F.nll_loss(output, target)
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
    return {
        "identity": identity,
        "test_loss": test_loss,
        "correct": correct,
        "warped": warped.numpy().copy(),
        "input": batches[0][0].numpy().copy(),
        "loc_grad": loc_grad,
        "fc_loc_grad": fc_loc_grad,
        "theta": theta,
        "losses": losses,
    }
