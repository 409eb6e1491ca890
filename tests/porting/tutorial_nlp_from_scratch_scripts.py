# ruff: noqa: UP008, E741, B007 (the tutorials' own super(Cls, self), names and loop variables)
"""PyTorch's "NLP From Scratch" tutorials: "Classifying Names with a Character-Level RNN" and
"Translation with a Sequence to Sequence Network and Attention" (the third, generating names,
is in tutorial_scripts.py). Shortened (tiny vocabularies and sizes, made-up data instead of
downloads, a few epochs) and written once against the names ``torch``, ``nn``, ``F``,
``optim`` and ``data`` (``torch.utils.data``). The tests run them with our packages under
those names and, when it is installed, with PyTorch.

Random values a result depends on pass through ``sync`` (see course_scripts.py); where that
meant adding a line to the tutorial's code, a comment says so.
"""

from __future__ import annotations

import random
import string
from typing import Any

import numpy as np

from .course_scripts import Sync

NAMES = {
    "English": ["Smith", "Jones", "Brown", "Taylor", "Walker", "Wright", "Green"],
    "French": ["Dubois", "Lefevre", "Martin", "Moreau", "Laurent", "Girard", "Roux"],
    "Japanese": ["Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito", "Yamamoto"],
}


def names_classification(torch: Any, nn: Any, data: Any, sync: Sync) -> dict:
    """The names classifier: a ``Dataset`` of one-hot line tensors, ``random_split`` by
    fractions with a seeded Generator, ``nn.RNN`` whose last hidden state feeds a Linear and
    LogSoftmax, minibatches whose summed NLL losses are clipped with ``clip_grad_norm_``,
    then a confusion matrix filled and normalised row by row."""
    allowed_characters = string.ascii_letters + " .,;'" + "_"
    n_letters = len(allowed_characters)

    def letterToIndex(letter):
        if letter not in allowed_characters:
            return allowed_characters.find("_")
        else:
            return allowed_characters.find(letter)

    def lineToTensor(line):
        tensor = torch.zeros(len(line), 1, n_letters)
        for li, letter in enumerate(line):
            tensor[li][0][letterToIndex(letter)] = 1
        return tensor

    class NamesDataset(data.Dataset):
        def __init__(self, lines_by_label):  # the tutorial reads data/names/*.txt
            self.data = []
            self.data_tensors = []
            self.labels = []
            self.labels_tensors = []
            for label, lines in lines_by_label.items():
                for name in lines:
                    self.data.append(name)
                    self.data_tensors.append(lineToTensor(name))
                    self.labels.append(label)
            self.labels_uniq = list(lines_by_label)
            for idx in range(len(self.labels)):
                temp_tensor = torch.tensor(
                    [self.labels_uniq.index(self.labels[idx])], dtype=torch.long
                )
                self.labels_tensors.append(temp_tensor)

        def __len__(self):
            return len(self.data)

        def __getitem__(self, idx):
            data_item = self.data[idx]
            data_label = self.labels[idx]
            data_tensor = self.data_tensors[idx]
            label_tensor = self.labels_tensors[idx]
            return label_tensor, data_tensor, data_label, data_item

    alldata = NamesDataset(NAMES)
    train_set, test_set = data.random_split(
        alldata, [0.85, 0.15], generator=torch.Generator(device="cpu").manual_seed(2024)
    )
    split_sizes = [len(train_set), len(test_set)]
    # added: the libraries' generators differ, so torch's split is replayed in ours
    order = torch.tensor(list(train_set.indices) + list(test_set.indices))
    sync([order])
    train_set.indices = order[: len(train_set)].tolist()
    test_set.indices = order[len(train_set) :].tolist()

    class CharRNN(nn.Module):
        def __init__(self, input_size, hidden_size, output_size):
            super(CharRNN, self).__init__()
            self.rnn = nn.RNN(input_size, hidden_size)
            self.h2o = nn.Linear(hidden_size, output_size)
            self.softmax = nn.LogSoftmax(dim=1)

        def forward(self, line_tensor):
            rnn_out, hidden = self.rnn(line_tensor)
            output = self.h2o(hidden[0])
            output = self.softmax(output)
            return output

    n_hidden = 16
    rnn = CharRNN(n_letters, n_hidden, len(alldata.labels_uniq))
    sync(rnn)

    def label_from_output(output, output_labels):
        top_n, top_i = output.topk(1)
        label_i = top_i[0].item()
        return output_labels[label_i], label_i

    def train(rnn, training_data, n_epoch=4, n_batch_size=4, learning_rate=0.2):
        criterion = nn.NLLLoss()
        current_loss = 0
        all_losses = []
        rnn.train()
        optimizer = torch.optim.SGD(rnn.parameters(), lr=learning_rate)
        for iter in range(1, n_epoch + 1):
            rnn.zero_grad()
            batches = list(range(len(training_data)))
            random.shuffle(batches)
            batches = np.array_split(batches, len(batches) // n_batch_size)
            for idx, batch in enumerate(batches):
                batch_loss = 0
                for i in batch:
                    (label_tensor, text_tensor, label, text) = training_data[i]
                    output = rnn.forward(text_tensor)
                    loss = criterion(output, label_tensor)
                    batch_loss += loss
                batch_loss.backward()
                nn.utils.clip_grad_norm_(rnn.parameters(), 3)
                optimizer.step()
                optimizer.zero_grad()
                current_loss += batch_loss.item() / len(batch)
            all_losses.append(current_loss / len(batches))
            current_loss = 0
        return all_losses

    random.seed(5)  # the tutorial's random.shuffle, made repeatable
    all_losses = train(rnn, train_set)

    def evaluate(rnn, testing_data, classes):
        confusion = torch.zeros(len(classes), len(classes))
        rnn.eval()
        with torch.no_grad():
            for i in range(len(testing_data)):
                (label_tensor, text_tensor, label, text) = testing_data[i]
                output = rnn(text_tensor)
                guess, guess_i = label_from_output(output, classes)
                label_i = classes.index(label)
                confusion[label_i][guess_i] += 1
        for i in range(len(classes)):
            denom = confusion[i].sum()
            if denom > 0:
                confusion[i] = confusion[i] / denom
        return confusion

    confusion = evaluate(rnn, train_set, classes=alldata.labels_uniq)
    with torch.no_grad():
        guesses = [
            label_from_output(rnn(lineToTensor(n)), alldata.labels_uniq)[0]
            for n in ("Sato", "Roux", "Walker")
        ]
    return {
        "split_sizes": split_sizes,
        "line_shape": tuple(lineToTensor("Jones").size()),
        "unknown_letter": int(lineToTensor("é")[0][0].argmax()),
        "losses": all_losses,
        "confusion": confusion.numpy().copy(),
        "guesses": guesses,
        "h2o": rnn.h2o.weight.detach().numpy().copy(),
    }


# --- Translation with a Sequence to Sequence Network and Attention ---

PAIRS = [
    ("je suis froid", "i am cold"),
    ("elle est grande", "she is tall"),
    ("il est petit", "he is small"),
    ("je suis grande", "i am tall"),
    ("elle est froid", "she is cold"),
    ("il est grande", "he is tall"),
]


def seq2seq_attention(torch: Any, nn: Any, F: Any, optim: Any, data: Any, sync: Sync) -> dict:
    """Seq2seq translation: Lang vocabularies, padded index arrays in a TensorDataset behind a
    RandomSampler, EncoderRNN (GRU, batch_first), BahdanauAttention, AttnDecoderRNN with
    teacher forcing in training and ``topk``/``squeeze``/``detach`` greedy decoding
    otherwise, NLLLoss over ``view(-1, ...)``, two Adam optimizers."""
    TensorDataset, DataLoader, RandomSampler = (
        data.TensorDataset,
        data.DataLoader,
        data.RandomSampler,
    )
    device = torch.device("cpu")
    SOS_token = 0
    EOS_token = 1
    MAX_LENGTH = 5

    class Lang:
        def __init__(self, name):
            self.name = name
            self.word2index = {}
            self.word2count = {}
            self.index2word = {0: "SOS", 1: "EOS"}
            self.n_words = 2

        def addSentence(self, sentence):
            for word in sentence.split(" "):
                self.addWord(word)

        def addWord(self, word):
            if word not in self.word2index:
                self.word2index[word] = self.n_words
                self.word2count[word] = 1
                self.index2word[self.n_words] = word
                self.n_words += 1
            else:
                self.word2count[word] += 1

    input_lang, output_lang, pairs = Lang("fra"), Lang("eng"), [list(p) for p in PAIRS]
    for pair in pairs:
        input_lang.addSentence(pair[0])
        output_lang.addSentence(pair[1])

    class EncoderRNN(nn.Module):
        def __init__(self, input_size, hidden_size, dropout_p=0.1):
            super(EncoderRNN, self).__init__()
            self.hidden_size = hidden_size
            self.embedding = nn.Embedding(input_size, hidden_size)
            self.gru = nn.GRU(hidden_size, hidden_size, batch_first=True)
            self.dropout = nn.Dropout(dropout_p)

        def forward(self, input):
            embedded = self.dropout(self.embedding(input))
            output, hidden = self.gru(embedded)
            return output, hidden

    class BahdanauAttention(nn.Module):
        def __init__(self, hidden_size):
            super(BahdanauAttention, self).__init__()
            self.Wa = nn.Linear(hidden_size, hidden_size)
            self.Ua = nn.Linear(hidden_size, hidden_size)
            self.Va = nn.Linear(hidden_size, 1)

        def forward(self, query, keys):
            scores = self.Va(torch.tanh(self.Wa(query) + self.Ua(keys)))
            scores = scores.squeeze(2).unsqueeze(1)
            weights = F.softmax(scores, dim=-1)
            context = torch.bmm(weights, keys)
            return context, weights

    class AttnDecoderRNN(nn.Module):
        def __init__(self, hidden_size, output_size, dropout_p=0.1):
            super(AttnDecoderRNN, self).__init__()
            self.embedding = nn.Embedding(output_size, hidden_size)
            self.attention = BahdanauAttention(hidden_size)
            self.gru = nn.GRU(2 * hidden_size, hidden_size, batch_first=True)
            self.out = nn.Linear(hidden_size, output_size)
            self.dropout = nn.Dropout(dropout_p)

        def forward(self, encoder_outputs, encoder_hidden, target_tensor=None):
            batch_size = encoder_outputs.size(0)
            decoder_input = torch.empty(batch_size, 1, dtype=torch.long, device=device).fill_(
                SOS_token
            )
            decoder_hidden = encoder_hidden
            decoder_outputs = []
            attentions = []
            for i in range(MAX_LENGTH):
                decoder_output, decoder_hidden, attn_weights = self.forward_step(
                    decoder_input, decoder_hidden, encoder_outputs
                )
                decoder_outputs.append(decoder_output)
                attentions.append(attn_weights)
                if target_tensor is not None:
                    decoder_input = target_tensor[:, i].unsqueeze(1)  # Teacher forcing
                else:
                    _, topi = decoder_output.topk(1)
                    decoder_input = topi.squeeze(-1).detach()
            decoder_outputs = torch.cat(decoder_outputs, dim=1)
            decoder_outputs = F.log_softmax(decoder_outputs, dim=-1)
            attentions = torch.cat(attentions, dim=1)
            return decoder_outputs, decoder_hidden, attentions

        def forward_step(self, input, hidden, encoder_outputs):
            embedded = self.dropout(self.embedding(input))
            query = hidden.permute(1, 0, 2)
            context, attn_weights = self.attention(query, encoder_outputs)
            input_gru = torch.cat((embedded, context), dim=2)
            output, hidden = self.gru(input_gru, hidden)
            output = self.out(output)
            return output, hidden, attn_weights

    def indexesFromSentence(lang, sentence):
        return [lang.word2index[word] for word in sentence.split(" ")]

    def tensorFromSentence(lang, sentence):
        indexes = indexesFromSentence(lang, sentence)
        indexes.append(EOS_token)
        return torch.tensor(indexes, dtype=torch.long, device=device).view(1, -1)

    def get_dataloader(batch_size):
        n = len(pairs)
        input_ids = np.zeros((n, MAX_LENGTH), dtype=np.int32)
        target_ids = np.zeros((n, MAX_LENGTH), dtype=np.int32)
        for idx, (inp, tgt) in enumerate(pairs):
            inp_ids = indexesFromSentence(input_lang, inp)
            tgt_ids = indexesFromSentence(output_lang, tgt)
            inp_ids.append(EOS_token)
            tgt_ids.append(EOS_token)
            input_ids[idx, : len(inp_ids)] = inp_ids
            target_ids[idx, : len(tgt_ids)] = tgt_ids
        train_data = TensorDataset(
            torch.LongTensor(input_ids).to(device), torch.LongTensor(target_ids).to(device)
        )
        train_sampler = RandomSampler(train_data)
        train_dataloader = DataLoader(train_data, sampler=train_sampler, batch_size=batch_size)
        return train_dataloader

    def train_epoch(dataloader, encoder, decoder, encoder_optimizer, decoder_optimizer, criterion):
        total_loss = 0
        for data in dataloader:
            input_tensor, target_tensor = data
            encoder_optimizer.zero_grad()
            decoder_optimizer.zero_grad()
            encoder_outputs, encoder_hidden = encoder(input_tensor)
            decoder_outputs, _, _ = decoder(encoder_outputs, encoder_hidden, target_tensor)
            loss = criterion(
                decoder_outputs.view(-1, decoder_outputs.size(-1)), target_tensor.view(-1)
            )
            loss.backward()
            encoder_optimizer.step()
            decoder_optimizer.step()
            total_loss += loss.item()
        return total_loss / len(dataloader)

    def train(train_dataloader, encoder, decoder, n_epochs, learning_rate=0.001):
        encoder_optimizer = optim.Adam(encoder.parameters(), lr=learning_rate)
        decoder_optimizer = optim.Adam(decoder.parameters(), lr=learning_rate)
        criterion = nn.NLLLoss()
        losses = []
        for epoch in range(1, n_epochs + 1):
            loss = train_epoch(
                train_dataloader, encoder, decoder, encoder_optimizer, decoder_optimizer, criterion
            )
            losses.append(loss)
        return losses

    def evaluate(encoder, decoder, sentence, input_lang, output_lang):
        with torch.no_grad():
            input_tensor = tensorFromSentence(input_lang, sentence)
            encoder_outputs, encoder_hidden = encoder(input_tensor)
            decoder_outputs, decoder_hidden, decoder_attn = decoder(encoder_outputs, encoder_hidden)
            _, topi = decoder_outputs.topk(1)
            decoded_ids = topi.squeeze()
            decoded_words = []
            for idx in decoded_ids:
                if idx.item() == EOS_token:
                    decoded_words.append("<EOS>")
                    break
                decoded_words.append(output_lang.index2word[idx.item()])
        return decoded_words, decoder_attn

    hidden_size = 16
    # one batch of every pair: the loss does not depend on the sampler's order, which differs
    train_dataloader = get_dataloader(batch_size=len(pairs))
    # dropout_p=0: the libraries' dropout masks differ (the tutorial keeps the default 0.1)
    encoder = EncoderRNN(input_lang.n_words, hidden_size, dropout_p=0.0).to(device)
    decoder = AttnDecoderRNN(hidden_size, output_lang.n_words, dropout_p=0.0).to(device)
    sync(encoder)
    sync(decoder)
    losses = train(train_dataloader, encoder, decoder, 40, learning_rate=0.01)
    encoder.eval()
    decoder.eval()
    words, attn = evaluate(encoder, decoder, pairs[0][0], input_lang, output_lang)
    translations = [evaluate(encoder, decoder, p[0], input_lang, output_lang)[0] for p in pairs]
    return {
        "losses": losses,
        "words": words,
        "translations": translations,
        "attn": attn.numpy().copy(),
        "attn_Va": decoder.attention.Va.weight.detach().numpy().copy(),
        "gru_hh": encoder.gru.weight_hh_l0.detach().numpy().copy(),
    }
