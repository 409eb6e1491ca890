"""LLM code from three well-known sources, shortened (a character tokenizer instead of tiktoken,
tiny configs, synthetic data, a few steps) and written once against the names ``torch``,
``nn``, ``F``, ``optim``, ``data``: Sebastian Raschka's "Build a Large Language Model (From
Scratch)" chapters 3-7 and appendix E, Karpathy's nanoGPT (model.py and train.py's loop), and
Phillip Lippe's UvA DL tutorial 6 (Transformers). The tests run them with our packages under
those names and, when it is installed, with PyTorch.

Weights a result depends on pass through ``sync(module)`` (a no-op, or PyTorch's initial
values copied into ours: the libraries' random streams differ). Where the source samples
(``torch.multinomial``) only shapes and ranges are returned; the compared tokens come from
argmax decoding.
"""

from __future__ import annotations

import inspect
import math
import os
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass
from functools import partial
from types import SimpleNamespace
from typing import Any

import numpy as np

Sync = Callable[[Any], None]

TEXT = (
    "In the heart of the city stood the old library, a relic from a bygone era. "
    "Its stone walls bore the marks of time, and ivy clung tightly to its facade. "
) * 2
PAD = 0  # plays GPT-2's <|endoftext|> (50256) in the character vocabulary


class CharTokenizer:
    """tiktoken's encode/decode interface over characters (id 0 is <|endoftext|>)."""

    def __init__(self, text: str) -> None:
        chars = sorted(set(text))
        self.stoi = {c: i + 1 for i, c in enumerate(chars)}
        self.itos = {i: c for c, i in self.stoi.items()}
        self.itos[0] = "|"
        self.n_vocab = len(chars) + 1

    def encode(self, text: str, allowed_special: Any = None) -> list:
        return [self.stoi[c] for c in text]

    def decode(self, ids: list) -> str:
        return "".join(self.itos[i] for i in ids)


# --- Raschka, chapters 3-4: the GPT model as printed ---


def gpt_classes(torch: Any, nn: Any) -> dict:
    """Chapters 3 and 4 as printed (torch.pi falls back locally if missing: noted)."""

    class MultiHeadAttention(nn.Module):
        def __init__(self, d_in, d_out, context_length, dropout, num_heads, qkv_bias=False):
            super().__init__()
            assert d_out % num_heads == 0, "d_out must be divisible by num_heads"
            self.d_out = d_out
            self.num_heads = num_heads
            self.head_dim = d_out // num_heads
            self.W_query = nn.Linear(d_in, d_out, bias=qkv_bias)
            self.W_key = nn.Linear(d_in, d_out, bias=qkv_bias)
            self.W_value = nn.Linear(d_in, d_out, bias=qkv_bias)
            self.out_proj = nn.Linear(d_out, d_out)
            self.dropout = nn.Dropout(dropout)
            self.register_buffer(
                "mask", torch.triu(torch.ones(context_length, context_length), diagonal=1)
            )

        def forward(self, x):
            b, num_tokens, d_in = x.shape
            keys = self.W_key(x)
            queries = self.W_query(x)
            values = self.W_value(x)
            keys = keys.view(b, num_tokens, self.num_heads, self.head_dim)
            values = values.view(b, num_tokens, self.num_heads, self.head_dim)
            queries = queries.view(b, num_tokens, self.num_heads, self.head_dim)
            keys = keys.transpose(1, 2)
            queries = queries.transpose(1, 2)
            values = values.transpose(1, 2)
            attn_scores = queries @ keys.transpose(2, 3)
            mask_bool = self.mask.bool()[:num_tokens, :num_tokens]
            attn_scores.masked_fill_(mask_bool, -torch.inf)
            attn_weights = torch.softmax(attn_scores / keys.shape[-1] ** 0.5, dim=-1)
            attn_weights = self.dropout(attn_weights)
            context_vec = (attn_weights @ values).transpose(1, 2)
            context_vec = context_vec.contiguous().view(b, num_tokens, self.d_out)
            context_vec = self.out_proj(context_vec)
            return context_vec

    class LayerNorm(nn.Module):
        def __init__(self, emb_dim):
            super().__init__()
            self.eps = 1e-5
            self.scale = nn.Parameter(torch.ones(emb_dim))
            self.shift = nn.Parameter(torch.zeros(emb_dim))

        def forward(self, x):
            mean = x.mean(dim=-1, keepdim=True)
            var = x.var(dim=-1, keepdim=True, unbiased=False)
            norm_x = (x - mean) / torch.sqrt(var + self.eps)
            return self.scale * norm_x + self.shift

    class GELU(nn.Module):
        def __init__(self):
            super().__init__()

        def forward(self, x):
            return (
                0.5
                * x
                * (
                    1
                    + torch.tanh(
                        torch.sqrt(torch.tensor(2.0 / torch.pi)) * (x + 0.044715 * torch.pow(x, 3))
                    )
                )
            )

    class FeedForward(nn.Module):
        def __init__(self, cfg):
            super().__init__()
            self.layers = nn.Sequential(
                nn.Linear(cfg["emb_dim"], 4 * cfg["emb_dim"]),
                GELU(),
                nn.Linear(4 * cfg["emb_dim"], cfg["emb_dim"]),
            )

        def forward(self, x):
            return self.layers(x)

    class TransformerBlock(nn.Module):
        def __init__(self, cfg):
            super().__init__()
            self.att = MultiHeadAttention(
                d_in=cfg["emb_dim"],
                d_out=cfg["emb_dim"],
                context_length=cfg["context_length"],
                num_heads=cfg["n_heads"],
                dropout=cfg["drop_rate"],
                qkv_bias=cfg["qkv_bias"],
            )
            self.ff = FeedForward(cfg)
            self.norm1 = LayerNorm(cfg["emb_dim"])
            self.norm2 = LayerNorm(cfg["emb_dim"])
            self.drop_shortcut = nn.Dropout(cfg["drop_rate"])

        def forward(self, x):
            shortcut = x
            x = self.norm1(x)
            x = self.att(x)
            x = self.drop_shortcut(x)
            x = x + shortcut
            shortcut = x
            x = self.norm2(x)
            x = self.ff(x)
            x = self.drop_shortcut(x)
            x = x + shortcut
            return x

    class GPTModel(nn.Module):
        def __init__(self, cfg):
            super().__init__()
            self.tok_emb = nn.Embedding(cfg["vocab_size"], cfg["emb_dim"])
            self.pos_emb = nn.Embedding(cfg["context_length"], cfg["emb_dim"])
            self.drop_emb = nn.Dropout(cfg["drop_rate"])
            self.trf_blocks = nn.Sequential(
                *[TransformerBlock(cfg) for _ in range(cfg["n_layers"])]
            )
            self.final_norm = LayerNorm(cfg["emb_dim"])
            self.out_head = nn.Linear(cfg["emb_dim"], cfg["vocab_size"], bias=False)

        def forward(self, in_idx):
            batch_size, seq_len = in_idx.shape
            tok_embeds = self.tok_emb(in_idx)
            pos_embeds = self.pos_emb(torch.arange(seq_len, device=in_idx.device))
            x = tok_embeds + pos_embeds
            x = self.drop_emb(x)
            x = self.trf_blocks(x)
            x = self.final_norm(x)
            logits = self.out_head(x)
            return logits

    return dict(
        MultiHeadAttention=MultiHeadAttention,
        LayerNorm=LayerNorm,
        GELU=GELU,
        FeedForward=FeedForward,
        TransformerBlock=TransformerBlock,
        GPTModel=GPTModel,
    )


GPT_CONFIG = {
    "vocab_size": 0,  # set from the tokenizer
    "context_length": 8,
    "emb_dim": 16,
    "n_heads": 2,
    "n_layers": 2,
    "drop_rate": 0.0,
    "qkv_bias": False,
}


def generate_text_simple(torch, model, idx, max_new_tokens, context_size):
    for _ in range(max_new_tokens):
        idx_cond = idx[:, -context_size:]
        with torch.no_grad():
            logits = model(idx_cond)
        logits = logits[:, -1, :]
        probas = torch.softmax(logits, dim=-1)
        idx_next = torch.argmax(probas, dim=-1, keepdim=True)
        idx = torch.cat((idx, idx_next), dim=1)
    return idx


def generate(
    torch, model, idx, max_new_tokens, context_size, temperature=0.0, top_k=None, eos_id=None
):
    for _ in range(max_new_tokens):
        idx_cond = idx[:, -context_size:]
        with torch.no_grad():
            logits = model(idx_cond)
        logits = logits[:, -1, :]
        if top_k is not None:
            top_logits, _ = torch.topk(logits, top_k)
            min_val = top_logits[:, -1]
            logits = torch.where(
                logits < min_val, torch.tensor(float("-inf")).to(logits.device), logits
            )
        if temperature > 0.0:
            logits = logits / temperature
            probs = torch.softmax(logits, dim=-1)
            idx_next = torch.multinomial(probs, num_samples=1)
        else:
            idx_next = torch.argmax(logits, dim=-1, keepdim=True)
        if idx_next == eos_id:
            break
        idx = torch.cat((idx, idx_next), dim=1)
    return idx


def raschka_gpt(
    torch: Any, nn: Any, F: Any, optim: Any, data: Any, sync: Sync, workdir: str
) -> dict:
    """Chapters 4-5: GPTModel, parameter counts, the loss walk-through, train_model_simple
    with AdamW(weight_decay=0.1), temperature and top-k decoding, saving and resuming."""
    Dataset, DataLoader = torch.utils.data.Dataset, torch.utils.data.DataLoader
    tokenizer = CharTokenizer(TEXT)
    cfg = dict(GPT_CONFIG, vocab_size=tokenizer.n_vocab)
    GPTModel = gpt_classes(torch, nn)["GPTModel"]
    out: dict = {}
    torch.manual_seed(123)
    model = GPTModel(cfg)
    sync(model)
    out["total_params"] = sum(p.numel() for p in model.parameters())
    out["params_gpt2"] = out["total_params"] - sum(p.numel() for p in model.out_head.parameters())

    def text_to_token_ids(text, tokenizer):
        encoded = tokenizer.encode(text, allowed_special={"<|endoftext|>"})
        return torch.tensor(encoded).unsqueeze(0)

    def token_ids_to_text(token_ids, tokenizer):
        return tokenizer.decode(token_ids.squeeze(0).tolist())

    model.eval()
    out["greedy0"] = token_ids_to_text(
        generate_text_simple(torch, model, text_to_token_ids("In the ", tokenizer), 6, 8),
        tokenizer,
    )
    inputs = torch.tensor([tokenizer.encode("the old"), tokenizer.encode("its sto")])
    targets = torch.tensor([tokenizer.encode("he old "), tokenizer.encode("ts ston")])
    with torch.no_grad():
        logits = model(inputs)
    probas = torch.softmax(logits, dim=-1)
    target_probas_1 = probas[0, [0, 1, 2, 3, 4, 5, 6], targets[0]]
    target_probas_2 = probas[1, [0, 1, 2, 3, 4, 5, 6], targets[1]]
    log_probas = torch.log(torch.cat((target_probas_1, target_probas_2)))
    out["neg_avg_log_proba"] = (torch.mean(log_probas) * -1).item()
    loss = torch.nn.functional.cross_entropy(logits.flatten(0, 1), targets.flatten())
    out["ce"] = loss.item()
    out["perplexity"] = torch.exp(loss).item()

    class GPTDatasetV1(Dataset):
        def __init__(self, txt, tokenizer, max_length, stride):
            self.input_ids = []
            self.target_ids = []
            token_ids = tokenizer.encode(txt, allowed_special={"<|endoftext|>"})
            for i in range(0, len(token_ids) - max_length, stride):
                input_chunk = token_ids[i : i + max_length]
                target_chunk = token_ids[i + 1 : i + max_length + 1]
                self.input_ids.append(torch.tensor(input_chunk))
                self.target_ids.append(torch.tensor(target_chunk))

        def __len__(self):
            return len(self.input_ids)

        def __getitem__(self, idx):
            return self.input_ids[idx], self.target_ids[idx]

    split_idx = int(0.9 * len(TEXT))
    L = cfg["context_length"]
    train_loader = DataLoader(
        GPTDatasetV1(TEXT[:split_idx], tokenizer, L, L), batch_size=8, shuffle=False, drop_last=True
    )
    val_loader = DataLoader(
        GPTDatasetV1(TEXT[split_idx:], tokenizer, L, L),
        batch_size=2,
        shuffle=False,
        drop_last=False,
    )
    g = torch.Generator().manual_seed(123)
    windows = GPTDatasetV1(TEXT, tokenizer, L, L)
    shuffled = DataLoader(windows, batch_size=4, shuffle=True, drop_last=True, generator=g)
    out["windows"] = [x.tolist() for x, _ in windows]
    out["shuffled_batches"] = len(shuffled)
    out["shuffled_rows"] = sorted(row.tolist() for xb, _ in shuffled for row in xb)

    def calc_loss_batch(input_batch, target_batch, model, device):
        input_batch, target_batch = input_batch.to(device), target_batch.to(device)
        logits = model(input_batch)
        loss = torch.nn.functional.cross_entropy(logits.flatten(0, 1), target_batch.flatten())
        return loss

    def calc_loss_loader(data_loader, model, device, num_batches=None):
        total_loss = 0.0
        if len(data_loader) == 0:
            return float("nan")
        elif num_batches is None:
            num_batches = len(data_loader)
        else:
            num_batches = min(num_batches, len(data_loader))
        for i, (input_batch, target_batch) in enumerate(data_loader):
            if i < num_batches:
                loss = calc_loss_batch(input_batch, target_batch, model, device)
                total_loss += loss.item()
            else:
                break
        return total_loss / num_batches

    def evaluate_model(model, train_loader, val_loader, device, eval_iter):
        model.eval()
        with torch.no_grad():
            train_loss = calc_loss_loader(train_loader, model, device, num_batches=eval_iter)
            val_loss = calc_loss_loader(val_loader, model, device, num_batches=eval_iter)
        model.train()
        return train_loss, val_loss

    samples = []

    def generate_and_print_sample(model, tokenizer, device, start_context):
        model.eval()
        context_size = model.pos_emb.weight.shape[0]
        encoded = text_to_token_ids(start_context, tokenizer).to(device)
        with torch.no_grad():
            token_ids = generate_text_simple(
                torch, model=model, idx=encoded, max_new_tokens=6, context_size=context_size
            )
        samples.append(token_ids_to_text(token_ids, tokenizer).replace("\n", " "))
        model.train()

    grads = []

    def train_model_simple(
        model,
        train_loader,
        val_loader,
        optimizer,
        device,
        num_epochs,
        eval_freq,
        eval_iter,
        start_context,
        tokenizer,
    ):
        train_losses, val_losses, track_tokens_seen = [], [], []
        tokens_seen, global_step = 0, -1
        for epoch in range(num_epochs):  # noqa: B007 (as the source writes it)
            model.train()
            for input_batch, target_batch in train_loader:
                optimizer.zero_grad()
                loss = calc_loss_batch(input_batch, target_batch, model, device)
                loss.backward()
                grads.append(model.trf_blocks[0].att.W_query.weight.grad.numpy().copy())
                optimizer.step()
                tokens_seen += input_batch.numel()
                global_step += 1
                if global_step % eval_freq == 0:
                    train_loss, val_loss = evaluate_model(
                        model, train_loader, val_loader, device, eval_iter
                    )
                    train_losses.append(train_loss)
                    val_losses.append(val_loss)
                    track_tokens_seen.append(tokens_seen)
            generate_and_print_sample(model, tokenizer, device, start_context)
        return train_losses, val_losses, track_tokens_seen

    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    model.to(device)
    optimizer = torch.optim.AdamW(model.parameters(), lr=0.004, weight_decay=0.1)
    train_losses, val_losses, tokens_seen = train_model_simple(
        model,
        train_loader,
        val_loader,
        optimizer,
        device,
        num_epochs=2,
        eval_freq=2,
        eval_iter=2,
        start_context="In the ",
        tokenizer=tokenizer,
    )
    out.update(
        train_losses=train_losses,
        val_losses=val_losses,
        tokens_seen=tokens_seen,
        samples=samples,
        grads=grads,
    )

    next_token_logits = torch.tensor([4.51, 0.89, -1.90, 6.75, 1.63, -1.62, -1.89, 6.28, 1.79])
    top_logits, top_pos = torch.topk(next_token_logits, 3)
    new_logits = torch.where(
        condition=next_token_logits < top_logits[-1],
        input=torch.tensor(float("-inf")),
        other=next_token_logits,
    )
    out["topk_probas"] = torch.softmax(new_logits, dim=0).numpy()
    out["top_pos"] = top_pos.numpy()
    probas = torch.softmax(next_token_logits / 0.5, dim=0)
    torch.manual_seed(123)
    sample = [torch.multinomial(probas, num_samples=1).item() for i in range(500)]
    out["sampled_counts"] = torch.bincount(torch.tensor(sample), minlength=len(probas)).numpy()
    out["probas_t05"] = probas.numpy()

    start = text_to_token_ids("In the ", tokenizer)
    out["topk_greedy"] = token_ids_to_text(
        generate(torch, model, start, 6, L, temperature=0.0, top_k=5), tokenizer
    )
    torch.manual_seed(123)
    sampled = generate(torch, model, start, 6, L, temperature=1.4, top_k=3)
    out["sampled_len"] = sampled.shape[1]

    path = os.path.join(workdir, "model_and_optimizer.pth")
    torch.save(
        {"model_state_dict": model.state_dict(), "optimizer_state_dict": optimizer.state_dict()},
        path,
    )
    checkpoint = torch.load(path, map_location=device, weights_only=True)
    model2 = GPTModel(cfg)
    model2.load_state_dict(checkpoint["model_state_dict"])
    optimizer2 = torch.optim.AdamW(model2.parameters(), lr=0.004, weight_decay=0.1)
    optimizer2.load_state_dict(checkpoint["optimizer_state_dict"])
    model.eval()
    model2.eval()
    with torch.no_grad():
        out["reload_same"] = bool(torch.equal(model2(inputs), model(inputs)))
    model2.train()
    xb, yb = next(iter(train_loader))
    losses = []
    for _ in range(2):
        optimizer2.zero_grad()
        loss = calc_loss_batch(xb, yb, model2, device)
        loss.backward()
        optimizer2.step()
        losses.append(loss.item())
    out["resumed_losses"] = losses
    return out


def raschka_finetune(torch: Any, nn: Any, F: Any, optim: Any, data: Any, sync: Sync) -> dict:
    """Chapter 5.5's weight loading with assign(), chapter 6's classification finetuning
    (freeze, new out_head, last block unfrozen), appendix E's LoRA and chapter 7's collate."""
    tokenizer = CharTokenizer(TEXT)
    cfg = dict(GPT_CONFIG, vocab_size=tokenizer.n_vocab, qkv_bias=True)
    GPTModel = gpt_classes(torch, nn)["GPTModel"]
    out: dict = {}
    rs = np.random.RandomState(7)
    E = cfg["emb_dim"]

    def r(*s):
        return (0.2 * rs.randn(*s)).astype(np.float32)

    params = {
        "wte": r(cfg["vocab_size"], E),
        "wpe": r(cfg["context_length"], E),
        "g": 1 + r(E),
        "b": r(E),
        "blocks": [
            {
                "attn": {
                    "c_attn": {"w": r(E, 3 * E), "b": r(3 * E)},
                    "c_proj": {"w": r(E, E), "b": r(E)},
                },
                "mlp": {
                    "c_fc": {"w": r(E, 4 * E), "b": r(4 * E)},
                    "c_proj": {"w": r(4 * E, E), "b": r(E)},
                },
                "ln_1": {"g": 1 + r(E), "b": r(E)},
                "ln_2": {"g": 1 + r(E), "b": r(E)},
            }
            for _ in range(cfg["n_layers"])
        ],
    }

    def assign(left, right):
        if left.shape != right.shape:
            raise ValueError(f"Shape mismatch. Left: {left.shape}, Right: {right.shape}")
        return torch.nn.Parameter(torch.tensor(right))

    def load_weights_into_gpt(gpt, params):
        gpt.pos_emb.weight = assign(gpt.pos_emb.weight, params["wpe"])
        gpt.tok_emb.weight = assign(gpt.tok_emb.weight, params["wte"])
        for b in range(len(params["blocks"])):
            blk, att, p = gpt.trf_blocks[b], gpt.trf_blocks[b].att, params["blocks"][b]
            q_w, k_w, v_w = np.split((p["attn"]["c_attn"])["w"], 3, axis=-1)
            att.W_query.weight = assign(att.W_query.weight, q_w.T)
            att.W_key.weight = assign(att.W_key.weight, k_w.T)
            att.W_value.weight = assign(att.W_value.weight, v_w.T)
            q_b, k_b, v_b = np.split((p["attn"]["c_attn"])["b"], 3, axis=-1)
            att.W_query.bias = assign(att.W_query.bias, q_b)
            att.W_key.bias = assign(att.W_key.bias, k_b)
            att.W_value.bias = assign(att.W_value.bias, v_b)
            att.out_proj.weight = assign(att.out_proj.weight, p["attn"]["c_proj"]["w"].T)
            att.out_proj.bias = assign(att.out_proj.bias, p["attn"]["c_proj"]["b"])
            blk.ff.layers[0].weight = assign(blk.ff.layers[0].weight, p["mlp"]["c_fc"]["w"].T)
            blk.ff.layers[0].bias = assign(blk.ff.layers[0].bias, p["mlp"]["c_fc"]["b"])
            blk.ff.layers[2].weight = assign(blk.ff.layers[2].weight, p["mlp"]["c_proj"]["w"].T)
            blk.ff.layers[2].bias = assign(blk.ff.layers[2].bias, p["mlp"]["c_proj"]["b"])
            blk.norm1.scale = assign(blk.norm1.scale, p["ln_1"]["g"])
            blk.norm1.shift = assign(blk.norm1.shift, p["ln_1"]["b"])
            blk.norm2.scale = assign(blk.norm2.scale, p["ln_2"]["g"])
            blk.norm2.shift = assign(blk.norm2.shift, p["ln_2"]["b"])
        gpt.final_norm.scale = assign(gpt.final_norm.scale, params["g"])
        gpt.final_norm.shift = assign(gpt.final_norm.shift, params["b"])
        gpt.out_head.weight = assign(gpt.out_head.weight, params["wte"])

    model = GPTModel(cfg)
    load_weights_into_gpt(model, params)
    try:
        assign(model.out_head.weight, params["wpe"])
    except ValueError as e:
        out["mismatch"] = str(e).replace(f"{torch.__name__}.Size(", "").replace("])", "]")
    model.eval()
    idx = torch.tensor(tokenizer.encode("In the ")).unsqueeze(0)
    out["loaded_greedy"] = tokenizer.decode(
        generate(torch, model, idx, 6, cfg["context_length"], top_k=4).squeeze(0).tolist()
    )

    # chapter 6: freeze, a two-class head, unfreeze the last block and final norm
    words = TEXT.split()
    texts = [" ".join(rs.choice(words, rs.randint(2, 4))) for _ in range(12)]
    labels = [int("the" in t.split()) for t in texts]
    max_length = cfg["context_length"]
    encoded = [tokenizer.encode(t)[:max_length] for t in texts]
    encoded = [t + [PAD] * (max_length - len(t)) for t in encoded]
    batches = [
        (
            torch.tensor(encoded[i : i + 4], dtype=torch.long),
            torch.tensor(labels[i : i + 4], dtype=torch.long),
        )
        for i in range(0, 12, 4)
    ]
    for param in model.parameters():
        param.requires_grad = False
    torch.manual_seed(123)
    model.out_head = torch.nn.Linear(in_features=cfg["emb_dim"], out_features=2)
    sync(model.out_head)
    for param in model.trf_blocks[-1].parameters():
        param.requires_grad = True
    for param in model.final_norm.parameters():
        param.requires_grad = True
    out["trainable"] = sum(p.numel() for p in model.parameters() if p.requires_grad)
    frozen_before = model.trf_blocks[0].att.W_query.weight.detach().numpy().copy()
    optimizer = torch.optim.AdamW(model.parameters(), lr=5e-3, weight_decay=0.1)
    cls_losses, correct = [], 0
    model.train()
    for input_batch, target_batch in batches * 2:
        optimizer.zero_grad()
        logits = model(input_batch)[:, -1, :]
        loss = torch.nn.functional.cross_entropy(logits, target_batch)
        loss.backward()
        optimizer.step()
        cls_losses.append(loss.item())
    model.eval()
    for input_batch, target_batch in batches:
        with torch.no_grad():
            logits = model(input_batch)[:, -1, :]
        predicted_labels = torch.argmax(logits, dim=-1)
        correct += (predicted_labels == target_batch).sum().item()
    out.update(
        cls_losses=cls_losses,
        accuracy=correct / 12,
        frozen_grad_none=model.trf_blocks[0].att.W_query.weight.grad is None,
        frozen_same=bool(
            np.array_equal(frozen_before, model.trf_blocks[0].att.W_query.weight.detach().numpy())
        ),
    )

    # appendix E: LoRA on every Linear, only the LoRA matrices trainable
    class LoRALayer(torch.nn.Module):
        def __init__(self, in_dim, out_dim, rank, alpha):
            super().__init__()
            self.A = torch.nn.Parameter(torch.empty(in_dim, rank))
            torch.nn.init.kaiming_uniform_(self.A, a=math.sqrt(5))
            self.B = torch.nn.Parameter(torch.zeros(rank, out_dim))
            self.alpha = alpha

        def forward(self, x):
            x = self.alpha * (x @ self.A @ self.B)
            return x

    class LinearWithLoRA(torch.nn.Module):
        def __init__(self, linear, rank, alpha):
            super().__init__()
            self.linear = linear
            self.lora = LoRALayer(linear.in_features, linear.out_features, rank, alpha)

        def forward(self, x):
            return self.linear(x) + self.lora(x)

    def replace_linear_with_lora(model, rank, alpha):
        for name, module in model.named_children():
            if isinstance(module, torch.nn.Linear):
                setattr(model, name, LinearWithLoRA(module, rank, alpha))
            else:
                replace_linear_with_lora(module, rank, alpha)

    for param in model.parameters():
        param.requires_grad = False
    replace_linear_with_lora(model, rank=4, alpha=8)
    sync(model)
    out["lora_trainable"] = sum(p.numel() for p in model.parameters() if p.requires_grad)
    out["lora_names"] = [n for n, p in model.named_parameters() if p.requires_grad][:3]
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-2, weight_decay=0.1)
    lora_losses = []
    model.train()
    for input_batch, target_batch in batches:
        optimizer.zero_grad()
        loss = torch.nn.functional.cross_entropy(model(input_batch)[:, -1, :], target_batch)
        loss.backward()
        optimizer.step()
        lora_losses.append(loss.item())
    out["lora_losses"] = lora_losses
    out["lora_B"] = model.out_head.lora.B.detach().numpy()

    # chapter 7: the instruction collate (pad, shift, -100 after the first pad)
    def custom_collate_fn(
        batch, pad_token_id=PAD, ignore_index=-100, allowed_max_length=None, device="cpu"
    ):
        batch_max_length = max(len(item) + 1 for item in batch)
        inputs_lst, targets_lst = [], []
        for item in batch:
            new_item = item.copy()
            new_item += [pad_token_id]
            padded = new_item + [pad_token_id] * (batch_max_length - len(new_item))
            inputs = torch.tensor(padded[:-1])
            targets = torch.tensor(padded[1:])
            mask = targets == pad_token_id
            indices = torch.nonzero(mask).squeeze()
            if indices.numel() > 1:
                targets[indices[1:]] = ignore_index
            if allowed_max_length is not None:
                inputs = inputs[:allowed_max_length]
                targets = targets[:allowed_max_length]
            inputs_lst.append(inputs)
            targets_lst.append(targets)
        inputs_tensor = torch.stack(inputs_lst).to(device)
        targets_tensor = torch.stack(targets_lst).to(device)
        return inputs_tensor, targets_tensor

    collate = partial(custom_collate_fn, device=torch.device("cpu"), allowed_max_length=6)
    loader = torch.utils.data.DataLoader(
        [[1, 2, 3, 4, 5], [6, 7], [8, 9, 10]], batch_size=3, collate_fn=collate, shuffle=False
    )
    inputs, targets = next(iter(loader))
    out["collate_inputs"], out["collate_targets"] = inputs.numpy(), targets.numpy()
    logits = torch.tensor([[-1.0, 1.0], [-0.5, 1.5], [-0.5, 1.5]])
    out["ce_ignore"] = torch.nn.functional.cross_entropy(logits, torch.tensor([0, 1, -100])).item()
    out["ce_two"] = torch.nn.functional.cross_entropy(logits[:2], torch.tensor([0, 1])).item()
    return out


# --- nanoGPT: model.py as written, and train.py's loop ---


def model_classes(torch: Any, nn: Any, F: Any) -> dict:
    class LayerNorm(nn.Module):
        """LayerNorm but with an optional bias. PyTorch doesn't support simply bias=False"""

        def __init__(self, ndim, bias):
            super().__init__()
            self.weight = nn.Parameter(torch.ones(ndim))
            self.bias = nn.Parameter(torch.zeros(ndim)) if bias else None

        def forward(self, input):
            return F.layer_norm(input, self.weight.shape, self.weight, self.bias, 1e-5)

    class CausalSelfAttention(nn.Module):
        def __init__(self, config):
            super().__init__()
            assert config.n_embd % config.n_head == 0
            self.c_attn = nn.Linear(config.n_embd, 3 * config.n_embd, bias=config.bias)
            self.c_proj = nn.Linear(config.n_embd, config.n_embd, bias=config.bias)
            self.attn_dropout = nn.Dropout(config.dropout)
            self.resid_dropout = nn.Dropout(config.dropout)
            self.n_head = config.n_head
            self.n_embd = config.n_embd
            self.dropout = config.dropout
            self.flash = hasattr(
                torch.nn.functional, "scaled_dot_product_attention"
            ) and not getattr(config, "force_manual", False)
            if not self.flash:
                self.register_buffer(
                    "bias",
                    torch.tril(torch.ones(config.block_size, config.block_size)).view(
                        1, 1, config.block_size, config.block_size
                    ),
                )

        def forward(self, x):
            B, T, C = x.size()
            q, k, v = self.c_attn(x).split(self.n_embd, dim=2)
            k = k.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
            q = q.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
            v = v.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
            if self.flash:
                y = torch.nn.functional.scaled_dot_product_attention(
                    q,
                    k,
                    v,
                    attn_mask=None,
                    dropout_p=self.dropout if self.training else 0,
                    is_causal=True,
                )
            else:
                att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(k.size(-1)))
                att = att.masked_fill(self.bias[:, :, :T, :T] == 0, float("-inf"))
                att = F.softmax(att, dim=-1)
                att = self.attn_dropout(att)
                y = att @ v
            y = y.transpose(1, 2).contiguous().view(B, T, C)
            y = self.resid_dropout(self.c_proj(y))
            return y

    class MLP(nn.Module):
        def __init__(self, config):
            super().__init__()
            self.c_fc = nn.Linear(config.n_embd, 4 * config.n_embd, bias=config.bias)
            self.gelu = nn.GELU()
            self.c_proj = nn.Linear(4 * config.n_embd, config.n_embd, bias=config.bias)
            self.dropout = nn.Dropout(config.dropout)

        def forward(self, x):
            x = self.c_fc(x)
            x = self.gelu(x)
            x = self.c_proj(x)
            x = self.dropout(x)
            return x

    class Block(nn.Module):
        def __init__(self, config):
            super().__init__()
            self.ln_1 = LayerNorm(config.n_embd, bias=config.bias)
            self.attn = CausalSelfAttention(config)
            self.ln_2 = LayerNorm(config.n_embd, bias=config.bias)
            self.mlp = MLP(config)

        def forward(self, x):
            x = x + self.attn(self.ln_1(x))
            x = x + self.mlp(self.ln_2(x))
            return x

    @dataclass
    class GPTConfig:
        block_size: int = 1024
        vocab_size: int = 50304
        n_layer: int = 12
        n_head: int = 12
        n_embd: int = 768
        dropout: float = 0.0
        bias: bool = True
        force_manual: bool = False

    class GPT(nn.Module):
        def __init__(self, config):
            super().__init__()
            assert config.vocab_size is not None
            assert config.block_size is not None
            self.config = config
            self.transformer = nn.ModuleDict(
                dict(
                    wte=nn.Embedding(config.vocab_size, config.n_embd),
                    wpe=nn.Embedding(config.block_size, config.n_embd),
                    drop=nn.Dropout(config.dropout),
                    h=nn.ModuleList([Block(config) for _ in range(config.n_layer)]),
                    ln_f=LayerNorm(config.n_embd, bias=config.bias),
                )
            )
            self.lm_head = nn.Linear(config.n_embd, config.vocab_size, bias=False)
            self.transformer.wte.weight = self.lm_head.weight
            self.apply(self._init_weights)
            for pn, p in self.named_parameters():
                if pn.endswith("c_proj.weight"):
                    torch.nn.init.normal_(p, mean=0.0, std=0.02 / math.sqrt(2 * config.n_layer))
            self.n_params = self.get_num_params()

        def get_num_params(self, non_embedding=True):
            n_params = sum(p.numel() for p in self.parameters())
            if non_embedding:
                n_params -= self.transformer.wpe.weight.numel()
            return n_params

        def _init_weights(self, module):
            if isinstance(module, nn.Linear):
                torch.nn.init.normal_(module.weight, mean=0.0, std=0.02)
                if module.bias is not None:
                    torch.nn.init.zeros_(module.bias)
            elif isinstance(module, nn.Embedding):
                torch.nn.init.normal_(module.weight, mean=0.0, std=0.02)

        def forward(self, idx, targets=None):
            device = idx.device
            b, t = idx.size()
            assert t <= self.config.block_size, (
                f"Cannot forward sequence of length {t}, "
                f"block size is only {self.config.block_size}"
            )
            pos = torch.arange(0, t, dtype=torch.long, device=device)
            tok_emb = self.transformer.wte(idx)
            pos_emb = self.transformer.wpe(pos)
            x = self.transformer.drop(tok_emb + pos_emb)
            for block in self.transformer.h:
                x = block(x)
            x = self.transformer.ln_f(x)
            if targets is not None:
                logits = self.lm_head(x)
                loss = F.cross_entropy(
                    logits.view(-1, logits.size(-1)), targets.view(-1), ignore_index=-1
                )
            else:
                logits = self.lm_head(x[:, [-1], :])
                loss = None
            return logits, loss

        def crop_block_size(self, block_size):
            assert block_size <= self.config.block_size
            self.config.block_size = block_size
            self.transformer.wpe.weight = nn.Parameter(self.transformer.wpe.weight[:block_size])
            for block in self.transformer.h:
                if hasattr(block.attn, "bias"):
                    block.attn.bias = block.attn.bias[:, :, :block_size, :block_size]

        def configure_optimizers(self, weight_decay, learning_rate, betas, device_type):
            param_dict = {pn: p for pn, p in self.named_parameters()}
            param_dict = {pn: p for pn, p in param_dict.items() if p.requires_grad}
            decay_params = [p for n, p in param_dict.items() if p.dim() >= 2]
            nodecay_params = [p for n, p in param_dict.items() if p.dim() < 2]
            optim_groups = [
                {"params": decay_params, "weight_decay": weight_decay},
                {"params": nodecay_params, "weight_decay": 0.0},
            ]
            self.num_decay_params = sum(p.numel() for p in decay_params)
            self.num_nodecay_params = sum(p.numel() for p in nodecay_params)
            fused_available = "fused" in inspect.signature(torch.optim.AdamW).parameters
            use_fused = fused_available and device_type == "cuda"
            extra_args = dict(fused=True) if use_fused else dict()
            optimizer = torch.optim.AdamW(optim_groups, lr=learning_rate, betas=betas, **extra_args)
            self.fused_available = fused_available
            return optimizer

        def estimate_mfu(self, fwdbwd_per_iter, dt):
            N = self.get_num_params()
            cfg = self.config
            L, H, Q, T = cfg.n_layer, cfg.n_head, cfg.n_embd // cfg.n_head, cfg.block_size
            flops_per_token = 6 * N + 12 * L * H * Q * T
            flops_per_fwdbwd = flops_per_token * T
            flops_per_iter = flops_per_fwdbwd * fwdbwd_per_iter
            flops_achieved = flops_per_iter * (1.0 / dt)
            flops_promised = 312e12
            mfu = flops_achieved / flops_promised
            return mfu

        @torch.no_grad()
        def generate(self, idx, max_new_tokens, temperature=1.0, top_k=None, greedy=False):
            for _ in range(max_new_tokens):
                idx_cond = (
                    idx
                    if idx.size(1) <= self.config.block_size
                    else idx[:, -self.config.block_size :]
                )
                logits, _ = self(idx_cond)
                logits = logits[:, -1, :] / temperature
                if top_k is not None:
                    v, _ = torch.topk(logits, min(top_k, logits.size(-1)))
                    logits[logits < v[:, [-1]]] = -float("Inf")
                probs = F.softmax(logits, dim=-1)
                if greedy:  # argmax decoding so both libraries agree (ours: sampling differs)
                    idx_next = torch.argmax(probs, dim=-1, keepdim=True)
                else:
                    idx_next = torch.multinomial(probs, num_samples=1)
                idx = torch.cat((idx, idx_next), dim=1)
            return idx

    return dict(GPT=GPT, GPTConfig=GPTConfig, LayerNorm=LayerNorm)


def nanogpt(
    torch: Any,
    nn: Any,
    F: Any,
    optim: Any,
    data: Any,
    sync: Sync,
    workdir: str,
    compile: bool = True,
    force_manual: bool = False,
) -> dict:
    """model.py's GPT (flash or manual attention, tied weights, scaled init), then train.py:
    get_batch over a uint16 token file, warmup-cosine lr written into param_groups, the
    GradScaler/autocast contexts, gradient accumulation, clipping, a checkpoint and resume."""
    C = model_classes(torch, nn, F)
    GPT, GPTConfig = C["GPT"], C["GPTConfig"]
    rs = np.random.RandomState(0)
    path = os.path.join(workdir, "train.bin")
    np.tile(rs.randint(0, 11, size=13).astype(np.uint16), 20).tofile(path)
    batch_size, block_size, gradient_accumulation_steps = 4, 8, 2
    learning_rate, max_iters, warmup_iters, lr_decay_iters, min_lr = 1e-2, 5, 2, 5, 1e-3
    grad_clip, device = 1.0, "cpu"
    dtype = (
        "bfloat16" if torch.cuda.is_available() and torch.cuda.is_bf16_supported() else "float16"
    )
    torch.manual_seed(1337)
    torch.backends.cuda.matmul.allow_tf32 = True
    torch.backends.cudnn.allow_tf32 = True
    device_type = "cuda" if "cuda" in device else "cpu"
    ctx = nullcontext() if device_type == "cpu" else torch.amp.autocast(device_type=device_type)
    ix_draws = iter(rs.randint(0, 20 * 13 - block_size, size=(50, batch_size)))
    out: dict = {"randint_ok": []}

    def get_batch(split):
        data = np.memmap(path, dtype=np.uint16, mode="r")
        ix = torch.randint(len(data) - block_size, (batch_size,))
        out["randint_ok"].append(ix.dtype == torch.int64 and int(ix.max()) < len(data) - block_size)
        ix = torch.from_numpy(next(ix_draws))  # the same positions in both libraries
        x = torch.stack([torch.from_numpy((data[i : i + block_size]).astype(np.int64)) for i in ix])
        y = torch.stack(
            [torch.from_numpy((data[i + 1 : i + 1 + block_size]).astype(np.int64)) for i in ix]
        )
        if device_type == "cuda":
            x, y = (
                x.pin_memory().to(device, non_blocking=True),
                y.pin_memory().to(device, non_blocking=True),
            )
        else:
            x, y = x.to(device), y.to(device)
        return x, y

    model_args = dict(
        n_layer=2,
        n_head=2,
        n_embd=8,
        block_size=block_size,
        bias=False,
        vocab_size=None,
        dropout=0.0,
    )
    model_args["vocab_size"] = 11
    gptconf = GPTConfig(**model_args, force_manual=force_manual)
    model = GPT(gptconf)
    w = model.transformer.h[0].attn.c_proj.weight
    out["tied"] = model.transformer.wte.weight is model.lm_head.weight
    out["c_proj_std"] = float(w.detach().std())
    out["n_params"] = model.get_num_params()
    sync(model)
    model.to(device)
    scaler = torch.amp.GradScaler(enabled=(dtype == "float16"))
    optimizer = model.configure_optimizers(0.1, learning_rate, (0.9, 0.95), device_type)
    out["groups"] = [len(g["params"]) for g in optimizer.param_groups]
    out["decay"] = [model.num_decay_params, model.num_nodecay_params]
    if compile:
        model = torch.compile(model)

    def get_lr(it):
        if it < warmup_iters:
            return learning_rate * (it + 1) / (warmup_iters + 1)
        if it > lr_decay_iters:
            return min_lr
        decay_ratio = (it - warmup_iters) / (lr_decay_iters - warmup_iters)
        assert 0 <= decay_ratio <= 1
        coeff = 0.5 * (1.0 + math.cos(math.pi * decay_ratio))
        return min_lr + coeff * (learning_rate - min_lr)

    @torch.no_grad()
    def estimate_loss():
        out = {}
        model.eval()
        for split in ["train", "val"]:
            losses = torch.zeros(2)
            for k in range(2):
                X, Y = get_batch(split)
                with ctx:
                    logits, loss = model(X, Y)
                losses[k] = loss.item()
            out[split] = losses.mean()
        model.train()
        return out

    out.update(lrs=[], losses=[], norms=[], evals=[])
    X, Y = get_batch("train")
    iter_num, best_val_loss = 0, 1e9
    raw_model = model._orig_mod if hasattr(model, "_orig_mod") else model
    while True:
        lr = get_lr(iter_num)
        for param_group in optimizer.param_groups:
            param_group["lr"] = lr
        out["lrs"].append(lr)
        if iter_num % 2 == 0:
            losses = estimate_loss()
            out["evals"].append(f"val loss {losses['val']:.4f}")
            if losses["val"] < best_val_loss:
                best_val_loss = losses["val"]
                checkpoint = {
                    "model": raw_model.state_dict(),
                    "optimizer": optimizer.state_dict(),
                    "model_args": model_args,
                    "iter_num": iter_num,
                    "best_val_loss": best_val_loss,
                    "config": {"compile": compile},
                }
                torch.save(checkpoint, os.path.join(workdir, "ckpt.pt"))
        for micro_step in range(gradient_accumulation_steps):  # noqa: B007 (as the source writes it)
            with ctx:
                logits, loss = model(X, Y)
                loss = loss / gradient_accumulation_steps
            X, Y = get_batch("train")
            scaler.scale(loss).backward()
        if grad_clip != 0.0:
            scaler.unscale_(optimizer)
            out["norms"].append(
                float(torch.nn.utils.clip_grad_norm_(model.parameters(), grad_clip))
            )
        scaler.step(optimizer)
        scaler.update()
        optimizer.zero_grad(set_to_none=True)
        out["losses"].append(loss.item() * gradient_accumulation_steps)
        iter_num += 1
        if iter_num > max_iters:
            break
    out["mfu"] = raw_model.estimate_mfu(batch_size * gradient_accumulation_steps, 0.5)

    checkpoint = torch.load(os.path.join(workdir, "ckpt.pt"), map_location=device)
    model2 = GPT(GPTConfig(**checkpoint["model_args"], force_manual=force_manual))
    state_dict = {"_orig_mod." + k: v for k, v in checkpoint["model"].items()}  # as compiled
    unwanted_prefix = "_orig_mod."
    for k, v in list(state_dict.items()):  # noqa: B007 (as the source writes it)
        if k.startswith(unwanted_prefix):
            state_dict[k[len(unwanted_prefix) :]] = state_dict.pop(k)
    model2.load_state_dict(state_dict)
    optimizer2 = model2.configure_optimizers(0.1, learning_rate, (0.9, 0.95), device_type)
    optimizer2.load_state_dict(checkpoint["optimizer"])
    out["resume"] = [
        checkpoint["iter_num"],
        float(checkpoint["best_val_loss"]),
        float(optimizer2.state_dict()["state"][0]["step"]),
    ]
    logits, loss = model2(X, Y)
    loss.backward()
    optimizer2.step()
    out["resume_loss"] = loss.item()

    model2.eval()
    idx = torch.zeros((2, 1), dtype=torch.long)
    out["greedy"] = model2.generate(idx, 10, temperature=0.8, top_k=3, greedy=True).numpy()
    torch.manual_seed(42)
    out["sampled_shape"] = tuple(model2.generate(idx, 10, temperature=0.8, top_k=3).shape)
    logits, none = model2(idx)
    out["inference_shape"], out["inference_loss_none"] = tuple(logits.shape), none is None
    model2.crop_block_size(4)
    logits, loss = model2(X[:, :4].contiguous(), Y[:, :4].contiguous())
    out["cropped"] = [tuple(model2.transformer.wpe.weight.shape), loss.item()]
    return out


# --- Lippe, UvA DL tutorial 6 ---


def lippe_transformer(torch: Any, nn: Any, F: Any, optim: Any, data: Any, sync: Sync) -> dict:
    """Tutorial 6: scaled dot product with a -9e15 mask, MultiheadAttention with a fused qkv
    projection and xavier init, EncoderBlock, PositionalEncoding (non-persistent buffer),
    CosineWarmupScheduler subclassing _LRScheduler, the sequence-reversal task."""

    def scaled_dot_product(q, k, v, mask=None):
        d_k = q.size()[-1]
        attn_logits = torch.matmul(q, k.transpose(-2, -1))
        attn_logits = attn_logits / math.sqrt(d_k)
        if mask is not None:
            attn_logits = attn_logits.masked_fill(mask == 0, -9e15)
        attention = F.softmax(attn_logits, dim=-1)
        values = torch.matmul(attention, v)
        return values, attention

    def expand_mask(mask):
        assert mask.ndim >= 2, "Mask must be at least 2-dimensional with seq_length x seq_length"
        if mask.ndim == 3:
            mask = mask.unsqueeze(1)
        while mask.ndim < 4:
            mask = mask.unsqueeze(0)
        return mask

    class MultiheadAttention(nn.Module):
        def __init__(self, input_dim, embed_dim, num_heads):
            super().__init__()
            assert embed_dim % num_heads == 0
            self.embed_dim = embed_dim
            self.num_heads = num_heads
            self.head_dim = embed_dim // num_heads
            self.qkv_proj = nn.Linear(input_dim, 3 * embed_dim)
            self.o_proj = nn.Linear(embed_dim, embed_dim)
            self._reset_parameters()

        def _reset_parameters(self):
            nn.init.xavier_uniform_(self.qkv_proj.weight)
            self.qkv_proj.bias.data.fill_(0)
            nn.init.xavier_uniform_(self.o_proj.weight)
            self.o_proj.bias.data.fill_(0)

        def forward(self, x, mask=None, return_attention=False):
            batch_size, seq_length, _ = x.size()
            if mask is not None:
                mask = expand_mask(mask)
            qkv = self.qkv_proj(x)
            qkv = qkv.reshape(batch_size, seq_length, self.num_heads, 3 * self.head_dim)
            qkv = qkv.permute(0, 2, 1, 3)
            q, k, v = qkv.chunk(3, dim=-1)
            values, attention = scaled_dot_product(q, k, v, mask=mask)
            values = values.permute(0, 2, 1, 3)
            values = values.reshape(batch_size, seq_length, self.embed_dim)
            o = self.o_proj(values)
            if return_attention:
                return o, attention
            else:
                return o

    class EncoderBlock(nn.Module):
        def __init__(self, input_dim, num_heads, dim_feedforward, dropout=0.0):
            super().__init__()
            self.self_attn = MultiheadAttention(input_dim, input_dim, num_heads)
            self.linear_net = nn.Sequential(
                nn.Linear(input_dim, dim_feedforward),
                nn.Dropout(dropout),
                nn.ReLU(inplace=True),
                nn.Linear(dim_feedforward, input_dim),
            )
            self.norm1 = nn.LayerNorm(input_dim)
            self.norm2 = nn.LayerNorm(input_dim)
            self.dropout = nn.Dropout(dropout)

        def forward(self, x, mask=None):
            attn_out = self.self_attn(x, mask=mask)
            x = x + self.dropout(attn_out)
            x = self.norm1(x)
            linear_out = self.linear_net(x)
            x = x + self.dropout(linear_out)
            x = self.norm2(x)
            return x

    class TransformerEncoder(nn.Module):
        def __init__(self, num_layers, **block_args):
            super().__init__()
            self.layers = nn.ModuleList([EncoderBlock(**block_args) for _ in range(num_layers)])

        def forward(self, x, mask=None):
            for l in self.layers:
                x = l(x, mask=mask)
            return x

        @torch.no_grad()
        def get_attention_maps(self, x, mask=None):
            attention_maps = []
            for l in self.layers:
                _, attn_map = l.self_attn(x, mask=mask, return_attention=True)
                attention_maps.append(attn_map)
                x = l(x)
            return attention_maps

    class PositionalEncoding(nn.Module):
        def __init__(self, d_model, max_len=5000):
            super().__init__()
            pe = torch.zeros(max_len, d_model)
            position = torch.arange(0, max_len, dtype=torch.float).unsqueeze(1)
            div_term = torch.exp(
                torch.arange(0, d_model, 2).float() * (-math.log(10000.0) / d_model)
            )
            pe[:, 0::2] = torch.sin(position * div_term)
            pe[:, 1::2] = torch.cos(position * div_term)
            pe = pe.unsqueeze(0)
            self.register_buffer("pe", pe, persistent=False)

        def forward(self, x):
            x = x + self.pe[:, : x.size(1)]
            return x

    class CosineWarmupScheduler(optim.lr_scheduler._LRScheduler):
        def __init__(self, optimizer, warmup, max_iters):
            self.warmup = warmup
            self.max_num_iters = max_iters
            super().__init__(optimizer)

        def get_lr(self):
            lr_factor = self.get_lr_factor(epoch=self.last_epoch)
            return [base_lr * lr_factor for base_lr in self.base_lrs]

        def get_lr_factor(self, epoch):
            lr_factor = 0.5 * (1 + np.cos(np.pi * epoch / self.max_num_iters))
            if epoch <= self.warmup:
                lr_factor *= epoch * 1.0 / self.warmup
            return lr_factor

    class ReverseDataset(data.Dataset):
        def __init__(self, num_categories, seq_len, size):
            super().__init__()
            self.num_categories = num_categories
            self.seq_len = seq_len
            self.size = size
            self.data = torch.randint(self.num_categories, size=(self.size, self.seq_len))

        def __len__(self):
            return self.size

        def __getitem__(self, idx):
            inp_data = self.data[idx]
            labels = torch.flip(inp_data, dims=(0,))
            return inp_data, labels

    class TransformerPredictor(nn.Module):
        def __init__(
            self,
            input_dim,
            model_dim,
            num_classes,
            num_heads,
            num_layers,
            lr,
            warmup,
            max_iters,
            dropout=0.0,
            input_dropout=0.0,
        ):
            super().__init__()
            self.hparams = SimpleNamespace(
                input_dim=input_dim,
                model_dim=model_dim,
                num_classes=num_classes,
                num_heads=num_heads,
                num_layers=num_layers,
                lr=lr,
                warmup=warmup,
                max_iters=max_iters,
                dropout=dropout,
                input_dropout=input_dropout,
            )
            self._create_model()

        def _create_model(self):
            self.input_net = nn.Sequential(
                nn.Dropout(self.hparams.input_dropout),
                nn.Linear(self.hparams.input_dim, self.hparams.model_dim),
            )
            self.positional_encoding = PositionalEncoding(d_model=self.hparams.model_dim)
            self.transformer = TransformerEncoder(
                num_layers=self.hparams.num_layers,
                input_dim=self.hparams.model_dim,
                dim_feedforward=2 * self.hparams.model_dim,
                num_heads=self.hparams.num_heads,
                dropout=self.hparams.dropout,
            )
            self.output_net = nn.Sequential(
                nn.Linear(self.hparams.model_dim, self.hparams.model_dim),
                nn.LayerNorm(self.hparams.model_dim),
                nn.ReLU(inplace=True),
                nn.Dropout(self.hparams.dropout),
                nn.Linear(self.hparams.model_dim, self.hparams.num_classes),
            )

        def forward(self, x, mask=None, add_positional_encoding=True):
            x = self.input_net(x)
            if add_positional_encoding:
                x = self.positional_encoding(x)
            x = self.transformer(x, mask=mask)
            x = self.output_net(x)
            return x

        @torch.no_grad()
        def get_attention_maps(self, x, mask=None, add_positional_encoding=True):
            x = self.input_net(x)
            if add_positional_encoding:
                x = self.positional_encoding(x)
            return self.transformer.get_attention_maps(x, mask=mask)

        def configure_optimizers(self):
            optimizer = optim.Adam(self.parameters(), lr=self.hparams.lr)
            self.lr_scheduler = CosineWarmupScheduler(
                optimizer, warmup=self.hparams.warmup, max_iters=self.hparams.max_iters
            )
            return optimizer

    out = {}
    seq_len, d_k = 3, 2
    torch.manual_seed(42)
    q = torch.randn(seq_len, d_k)
    k = torch.randn(seq_len, d_k)
    v = torch.randn(seq_len, d_k)
    sync([q, k, v])
    values, attention = scaled_dot_product(q, k, v, mask=torch.tril(torch.ones(3, 3)))
    out["sdp_values"] = values.numpy()
    out["sdp_attention"] = attention.numpy()

    p = nn.Parameter(torch.empty(4, 4))
    optimizer = optim.Adam([p], lr=1e-3)
    lr_scheduler = CosineWarmupScheduler(optimizer=optimizer, warmup=10, max_iters=200)
    epochs = list(range(200))
    out["lr_factors"] = [float(lr_scheduler.get_lr_factor(e)) for e in epochs]
    out["lr_initial"] = float(optimizer.param_groups[0]["lr"])
    out["last_epoch0"] = lr_scheduler.last_epoch

    dataset = ReverseDataset(num_categories=5, seq_len=6, size=32)
    rs = np.random.RandomState(0)
    dataset.data = torch.tensor(rs.randint(0, 5, size=(32, 6)))  # same data in both
    train_loader = data.DataLoader(
        dataset, batch_size=8, shuffle=False, drop_last=True, pin_memory=False
    )
    inp_data, labels = next(iter(train_loader))
    out["first_batch"] = inp_data.numpy()
    out["first_labels"] = labels.numpy()
    model = TransformerPredictor(
        input_dim=5,
        model_dim=16,
        num_heads=2,
        num_classes=5,
        num_layers=1,
        dropout=0.0,
        lr=5e-3,
        warmup=2,
        max_iters=12,
    )
    sync(model)
    out["pe_in_state"] = any("pe" in n.split(".")[-1] for n in model.state_dict())
    out["n_buffers"] = len(list(model.buffers()))
    optimizer = model.configure_optimizers()
    losses, accs, lrs = [], [], []
    for epoch in range(3):  # noqa: B007 (as the source writes it)
        model.train()
        for batch in train_loader:
            inp_data, labels = batch
            inp_data = F.one_hot(inp_data, num_classes=5).float()
            preds = model(inp_data, add_positional_encoding=True)
            loss = F.cross_entropy(preds.view(-1, preds.size(-1)), labels.view(-1))
            acc = (preds.argmax(dim=-1) == labels).float().mean()
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            model.lr_scheduler.step()
            losses.append(loss.item())
            accs.append(acc.item())
            lrs.append(optimizer.param_groups[0]["lr"])
    out["losses"] = losses
    out["accs"] = accs
    out["lrs"] = lrs
    out["sched_last_lr"] = model.lr_scheduler.get_last_lr()
    model.eval()
    data_input, labels = next(iter(train_loader))
    inp_data = F.one_hot(data_input, num_classes=5).float()
    attention_maps = model.get_attention_maps(inp_data)
    out["attention_maps"] = [a.numpy() for a in attention_maps]
    # a padding mask (batch, seq, seq) through the encoder
    mask = torch.ones(8, 6, 6)
    mask[:, :, 4:] = 0
    with torch.no_grad():
        out["masked_out"] = model(inp_data, mask=mask).numpy()
    return out
