"""Short PyTorch scripts of the kind courses are made of, written once against the names
``torch``, ``nn``, ``F``, ``optim``, ``data``. The tests run them with our packages under those
names (the porting rule's renaming) and, when it is installed, with PyTorch itself.

Random draws differ between the libraries (same seed, other numbers), so the scripts take
their data and initial weights as numpy arrays and use the libraries' generators only where
the result does not decide the loss.
"""

from __future__ import annotations

from typing import Any


def char_mlp(torch: Any, F: Any, arrays: dict, path: str) -> dict:
    """A makemore-style character MLP with a manual training loop."""
    g = torch.Generator().manual_seed(2147483647)
    X = torch.tensor(arrays["X"])
    Y = torch.tensor(arrays["Y"])
    C = torch.tensor(arrays["C"], requires_grad=True)
    W1 = torch.tensor(arrays["W1"]).requires_grad_()
    b1 = torch.zeros(arrays["W1"].shape[1], requires_grad=True)
    W2 = torch.from_numpy(arrays["W2"].copy()).requires_grad_(True)
    b2 = torch.zeros(arrays["W2"].shape[1]).requires_grad_()
    params = [C, W1, b1, W2, b2]
    n_params = sum(p.nelement() for p in params)
    losses = []
    for i in range(40):
        emb = C[X]
        h = torch.tanh(emb.view(-1, W1.shape[0]) @ W1 + b1)
        logits = h @ W2 + b2
        loss = F.cross_entropy(logits, Y)
        for p in params:
            p.grad = None
        loss.backward()
        lr = 0.5 if i < 30 else 0.05
        for p in params:
            p.data += -lr * p.grad
        losses.append(loss.item())
    with torch.no_grad():
        emb = C[X]
        hpre = emb.view(emb.shape[0], -1) @ W1 + b1
        bnmean = hpre.mean(0, keepdim=True)
        bnvar = hpre.var(0, keepdim=True)
        hn = (hpre - bnmean) / torch.sqrt(bnvar + 1e-5)
        logits = torch.tanh(hpre) @ W2 + b2
        _, pred = logits.max(1)
        acc = (pred == Y).float().mean().item()
        top = torch.argmax(logits, dim=1)
        probs = F.softmax(logits[:4], dim=1)
        ix = torch.multinomial(probs, num_samples=1, replacement=True, generator=g)
        k = torch.randint(0, X.shape[0], (8,), generator=g)
    torch.save({"C": C.detach(), "W1": W1.detach(), "step": 40}, path)
    back = torch.load(path)
    return {
        "n_params": n_params,
        "losses": losses,
        "loss_text": f"{loss:.4f}",
        "acc": acc,
        "same_argmax": bool((top == pred).all()),
        "bn_std": float(hn.std(0).mean()),
        "var_unbiased": bnvar.squeeze(0).tolist(),
        "sample_shape": tuple(ix.shape),
        "sample_ok": bool(((ix >= 0) & (ix < logits.shape[1])).all()),
        "batch_ok": bool(((k >= 0) & (k < X.shape[0])).all()) and k.dtype == torch.int64,
        "saved": float((back["C"] - C).abs().max()) == 0.0 and back["step"] == 40,
        "transpose": tuple(logits.transpose(0, 1).shape),
        "size0": logits.size(0),
        "cuda": torch.cuda.is_available(),
    }


def module_training(torch: Any, nn: Any, F: Any, optim: Any, data: Any, arrays: dict) -> dict:
    """An nn.Module classifier trained with Adam over a DataLoader, then evaluated."""

    class Net(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.fc1 = nn.Linear(4, 16)
            self.fc2 = nn.Linear(16, 3)

        def forward(self, x: Any) -> Any:
            return self.fc2(F.relu(self.fc1(x)))

    torch.manual_seed(0)
    model = Net().double()
    model.load_state_dict({k: torch.tensor(v) for k, v in arrays["state"].items()})
    opt = optim.Adam(model.parameters(), lr=0.01)
    X = torch.tensor(arrays["X"])
    y = torch.tensor(arrays["y"])
    loader = data.DataLoader(data.TensorDataset(X, y), batch_size=20, shuffle=False)
    history = []
    for _epoch in range(5):
        model.train()
        for xb, yb in loader:
            opt.zero_grad()
            loss = F.cross_entropy(model(xb), yb)
            loss.backward()
            opt.step()
        model.eval()
        with torch.no_grad():
            history.append(F.cross_entropy(model(X), y).item())
    with torch.no_grad():
        acc = (model(X).argmax(dim=1) == y).double().mean().item()
    return {"history": history, "acc": acc, "n_batches": len(loader)}
