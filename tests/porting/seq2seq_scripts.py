# The authors' idioms are kept as written: loop variables the body ignores.
# ruff: noqa: B007
"""bentrevett/pytorch-seq2seq (MIT licence), notebook 1 "Sequence to Sequence Learning with
Neural Networks": the collate function over ``nn.utils.rnn.pad_sequence``, Encoder and
Decoder (multi-layer ``nn.LSTM``), Seq2Seq with teacher forcing (``random.random()``) writing
each step's prediction into a zeros tensor, ``init_weights`` through ``named_parameters``,
count_parameters, Adam with ``CrossEntropyLoss(ignore_index=pad_index)``, train_fn /
evaluate_fn with ``clip_grad_norm_``, and translate_sentence's greedy decoding; written once
against the names ``torch``, ``nn``, ``optim``.

Stand-ins: the Multi30k data (HuggingFace ``datasets``, spaCy tokenizers, torchtext's vocab) is
a few made-up sentence pairs with a vocabulary of the same interface (``lookup_indices``,
``lookup_tokens``, ``[token]``); sizes are tiny and, for the comparison with PyTorch, dropout
is a setting (0 there, the notebook's 0.5 otherwise: the libraries' masks differ). The tests
run it with our packages under those names and, when it is installed, with PyTorch.
"""

from __future__ import annotations

import random
from typing import Any

from .course_scripts import Sync

PAIRS = [
    ("ein mann läuft .", "a man runs ."),
    ("eine frau liest ein buch .", "a woman reads a book ."),
    ("zwei hunde spielen .", "two dogs play ."),
    ("ein kind isst .", "a child eats ."),
    ("die frau läuft .", "the woman runs ."),
    ("ein hund liest .", "a dog reads ."),
]
SPECIALS = ["<unk>", "<pad>", "<sos>", "<eos>"]


class Vocab:
    """torchtext's ``Vocab`` calls the notebook makes."""

    def __init__(self, sentences: list) -> None:
        words = sorted({w for s in sentences for w in s.split()})
        self.itos = SPECIALS + words
        self.stoi = {w: i for i, w in enumerate(self.itos)}

    def __len__(self) -> int:
        return len(self.itos)

    def __getitem__(self, token: str) -> int:
        return self.stoi.get(token, 0)

    def lookup_indices(self, tokens: list) -> list:
        return [self[t] for t in tokens]

    def lookup_tokens(self, indices: list) -> list:
        return [self.itos[i] for i in indices]


def seq2seq(torch: Any, nn: Any, optim: Any, sync: Sync, dropout: float = 0.5) -> dict:
    """The notebook from its collate function to translate_sentence, on PAIRS."""
    out: dict = {}
    seed = 1234

    random.seed(seed)
    torch.manual_seed(seed)
    torch.backends.cudnn.deterministic = True

    sos_token, eos_token = "<sos>", "<eos>"
    de_vocab = Vocab([de for de, _ in PAIRS])
    en_vocab = Vocab([en for _, en in PAIRS])
    pad_index = en_vocab["<pad>"]
    data = [
        {
            "en_ids": torch.tensor(en_vocab.lookup_indices([sos_token, *en.split(), eos_token])),
            "de_ids": torch.tensor(de_vocab.lookup_indices([sos_token, *de.split(), eos_token])),
        }
        for de, en in PAIRS
    ]

    def get_collate_fn(pad_index):
        def collate_fn(batch):
            batch_en_ids = [example["en_ids"] for example in batch]
            batch_de_ids = [example["de_ids"] for example in batch]
            batch_en_ids = nn.utils.rnn.pad_sequence(batch_en_ids, padding_value=pad_index)
            batch_de_ids = nn.utils.rnn.pad_sequence(batch_de_ids, padding_value=pad_index)
            batch = {
                "en_ids": batch_en_ids,
                "de_ids": batch_de_ids,
            }
            return batch

        return collate_fn

    def get_data_loader(dataset, batch_size, pad_index, shuffle=False):
        collate_fn = get_collate_fn(pad_index)
        data_loader = torch.utils.data.DataLoader(
            dataset=dataset,
            batch_size=batch_size,
            collate_fn=collate_fn,
            shuffle=shuffle,
        )
        return data_loader

    batch_size = 3

    train_data_loader = get_data_loader(data, batch_size, pad_index)
    valid_data_loader = get_data_loader(data[:3], batch_size, pad_index)

    class Encoder(nn.Module):
        def __init__(self, input_dim, embedding_dim, hidden_dim, n_layers, dropout):
            super().__init__()
            self.hidden_dim = hidden_dim
            self.n_layers = n_layers
            self.embedding = nn.Embedding(input_dim, embedding_dim)
            self.rnn = nn.LSTM(embedding_dim, hidden_dim, n_layers, dropout=dropout)
            self.dropout = nn.Dropout(dropout)

        def forward(self, src):
            # src = [src length, batch size]
            embedded = self.dropout(self.embedding(src))
            # embedded = [src length, batch size, embedding dim]
            outputs, (hidden, cell) = self.rnn(embedded)
            # outputs = [src length, batch size, hidden dim * n directions]
            # hidden = [n layers * n directions, batch size, hidden dim]
            # cell = [n layers * n directions, batch size, hidden dim]
            # outputs are always from the top hidden layer
            return hidden, cell

    class Decoder(nn.Module):
        def __init__(self, output_dim, embedding_dim, hidden_dim, n_layers, dropout):
            super().__init__()
            self.output_dim = output_dim
            self.hidden_dim = hidden_dim
            self.n_layers = n_layers
            self.embedding = nn.Embedding(output_dim, embedding_dim)
            self.rnn = nn.LSTM(embedding_dim, hidden_dim, n_layers, dropout=dropout)
            self.fc_out = nn.Linear(hidden_dim, output_dim)
            self.dropout = nn.Dropout(dropout)

        def forward(self, input, hidden, cell):
            # input = [batch size]
            # hidden = [n layers * n directions, batch size, hidden dim]
            # cell = [n layers * n directions, batch size, hidden dim]
            # n directions in the decoder will both always be 1, therefore:
            # hidden = [n layers, batch size, hidden dim]
            # context = [n layers, batch size, hidden dim]
            input = input.unsqueeze(0)
            # input = [1, batch size]
            embedded = self.dropout(self.embedding(input))
            # embedded = [1, batch size, embedding dim]
            output, (hidden, cell) = self.rnn(embedded, (hidden, cell))
            # output = [seq length, batch size, hidden dim * n directions]
            # hidden = [n layers * n directions, batch size, hidden dim]
            # cell = [n layers * n directions, batch size, hidden dim]
            # seq length and n directions will always be 1 in this decoder, therefore:
            # output = [1, batch size, hidden dim]
            # hidden = [n layers, batch size, hidden dim]
            # cell = [n layers, batch size, hidden dim]
            prediction = self.fc_out(output.squeeze(0))
            # prediction = [batch size, output dim]
            return prediction, hidden, cell

    class Seq2Seq(nn.Module):
        def __init__(self, encoder, decoder, device):
            super().__init__()
            self.encoder = encoder
            self.decoder = decoder
            self.device = device
            assert encoder.hidden_dim == decoder.hidden_dim, (
                "Hidden dimensions of encoder and decoder must be equal!"
            )
            assert encoder.n_layers == decoder.n_layers, (
                "Encoder and decoder must have equal number of layers!"
            )

        def forward(self, src, trg, teacher_forcing_ratio):
            # src = [src length, batch size]
            # trg = [trg length, batch size]
            # teacher_forcing_ratio is probability to use teacher forcing
            # e.g. if teacher_forcing_ratio is 0.75 we use ground-truth inputs 75% of the time
            batch_size = trg.shape[1]
            trg_length = trg.shape[0]
            trg_vocab_size = self.decoder.output_dim
            # tensor to store decoder outputs
            outputs = torch.zeros(trg_length, batch_size, trg_vocab_size).to(self.device)
            # last hidden state of the encoder is used as the initial hidden state of the decoder
            hidden, cell = self.encoder(src)
            # hidden = [n layers * n directions, batch size, hidden dim]
            # cell = [n layers * n directions, batch size, hidden dim]
            # first input to the decoder is the <sos> tokens
            input = trg[0, :]
            # input = [batch size]
            for t in range(1, trg_length):
                # insert input token embedding, previous hidden and previous cell states
                # receive output tensor (predictions) and new hidden and cell states
                output, hidden, cell = self.decoder(input, hidden, cell)
                # output = [batch size, output dim]
                # hidden = [n layers, batch size, hidden dim]
                # cell = [n layers, batch size, hidden dim]
                # place predictions in a tensor holding predictions for each token
                outputs[t] = output
                # decide if we are going to use teacher forcing or not
                teacher_force = random.random() < teacher_forcing_ratio
                # get the highest predicted token from our predictions
                top1 = output.argmax(1)
                # if teacher forcing, use actual next token as next input
                # if not, use predicted token
                input = trg[t] if teacher_force else top1
                # input = [batch size]
            return outputs

    input_dim = len(de_vocab)
    output_dim = len(en_vocab)
    encoder_embedding_dim = 8
    decoder_embedding_dim = 8
    hidden_dim = 16
    n_layers = 2
    encoder_dropout = dropout
    decoder_dropout = dropout

    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")

    encoder = Encoder(
        input_dim,
        encoder_embedding_dim,
        hidden_dim,
        n_layers,
        encoder_dropout,
    )

    decoder = Decoder(
        output_dim,
        decoder_embedding_dim,
        hidden_dim,
        n_layers,
        decoder_dropout,
    )

    model = Seq2Seq(encoder, decoder, device).to(device)

    def init_weights(m):
        for name, param in m.named_parameters():
            nn.init.uniform_(param.data, -0.08, 0.08)

    model.apply(init_weights)
    out["init_max"] = max(float(p.detach().abs().max()) for p in model.parameters())

    def count_parameters(model):
        return sum(p.numel() for p in model.parameters() if p.requires_grad)

    print(f"The model has {count_parameters(model):,} trainable parameters")
    out["n_params"] = count_parameters(model)
    sync(model)

    optimizer = optim.Adam(model.parameters(), lr=1e-2)
    criterion = nn.CrossEntropyLoss(ignore_index=pad_index)

    def train_fn(model, data_loader, optimizer, criterion, clip, teacher_forcing_ratio, device):
        model.train()
        epoch_loss = 0
        for i, batch in enumerate(data_loader):
            src = batch["de_ids"].to(device)
            trg = batch["en_ids"].to(device)
            # src = [src length, batch size]
            # trg = [trg length, batch size]
            optimizer.zero_grad()
            output = model(src, trg, teacher_forcing_ratio)
            # output = [trg length, batch size, trg vocab size]
            output_dim = output.shape[-1]
            output = output[1:].view(-1, output_dim)
            # output = [(trg length - 1) * batch size, trg vocab size]
            trg = trg[1:].view(-1)
            # trg = [(trg length - 1) * batch size]
            loss = criterion(output, trg)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), clip)
            optimizer.step()
            epoch_loss += loss.item()
        return epoch_loss / len(data_loader)

    def evaluate_fn(model, data_loader, criterion, device):
        model.eval()
        epoch_loss = 0
        with torch.no_grad():
            for i, batch in enumerate(data_loader):
                src = batch["de_ids"].to(device)
                trg = batch["en_ids"].to(device)
                # src = [src length, batch size]
                # trg = [trg length, batch size]
                output = model(src, trg, 0)  # turn off teacher forcing
                # output = [trg length, batch size, trg vocab size]
                output_dim = output.shape[-1]
                output = output[1:].view(-1, output_dim)
                # output = [(trg length - 1) * batch size, trg vocab size]
                trg = trg[1:].view(-1)
                # trg = [(trg length - 1) * batch size]
                loss = criterion(output, trg)
                epoch_loss += loss.item()
        return epoch_loss / len(data_loader)

    n_epochs = 8
    clip = 1.0
    teacher_forcing_ratio = 0.5

    out["train_losses"], out["valid_losses"] = [], []
    for epoch in range(n_epochs):
        train_loss = train_fn(
            model, train_data_loader, optimizer, criterion, clip, teacher_forcing_ratio, device
        )
        valid_loss = evaluate_fn(model, valid_data_loader, criterion, device)
        out["train_losses"].append(train_loss)
        out["valid_losses"].append(valid_loss)

    def translate_sentence(
        sentence,
        model,
        en_vocab,
        de_vocab,
        lower,
        sos_token,
        eos_token,
        device,
        max_output_length=25,
    ):
        model.eval()
        with torch.no_grad():
            tokens = sentence.split()  # de_nlp.tokenizer(sentence), spaCy's
            if lower:
                tokens = [token.lower() for token in tokens]
            tokens = [sos_token] + tokens + [eos_token]
            ids = de_vocab.lookup_indices(tokens)
            tensor = torch.LongTensor(ids).unsqueeze(-1).to(device)
            hidden, cell = model.encoder(tensor)
            inputs = en_vocab.lookup_indices([sos_token])
            for _ in range(max_output_length):
                inputs_tensor = torch.LongTensor([inputs[-1]]).to(device)
                output, hidden, cell = model.decoder(inputs_tensor, hidden, cell)
                predicted_token = output.argmax(-1).item()
                inputs.append(predicted_token)
                if predicted_token == en_vocab[eos_token]:
                    break
            tokens = en_vocab.lookup_tokens(inputs)
        return tokens

    out["translation"] = translate_sentence(
        "Ein Mann läuft .", model, en_vocab, de_vocab, True, sos_token, eos_token, device, 8
    )
    return out
