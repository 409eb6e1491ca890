# ruff: noqa: UP008, E741, B007 (the tutorials' own super(Cls, self), names and loop variables)
"""PyTorch's "Deep Learning for NLP with PyTorch" tutorials: "Word Embeddings: Encoding
Lexical Semantics" (N-gram model, CBOW), "Sequence Models and Long Short-Term Memory
Networks" (the part-of-speech tagger) and "Advanced: Making Dynamic Decisions and the
Bi-LSTM CRF". Shortened (tiny data, a few epochs) and written once against the names
``torch``, ``nn``, ``F`` and ``optim``. The tests run them with our packages under those
names and, when it is installed, with PyTorch.

Random values a result depends on pass through ``sync`` (see course_scripts.py); where that
meant adding a line to the tutorial's code, a comment says so.
"""

from __future__ import annotations

from typing import Any

from .course_scripts import Sync

# --- Sequence Models and Long Short-Term Memory Networks ---

TAGGED = [
    ("The dog ate the apple".split(), ["DET", "NN", "V", "DET", "NN"]),
    ("Everybody read that book".split(), ["NN", "V", "DET", "NN"]),
]


def lstm_tagger(torch: Any, nn: Any, F: Any, optim: Any, sync: Sync) -> dict:
    """The LSTM step by step with a carried ``hidden`` pair versus the whole sequence at once,
    then the part-of-speech tagger: Embedding, LSTM over ``embeds.view(len(sentence), 1, -1)``,
    Linear and ``F.log_softmax``, NLLLoss and SGD."""
    lstm = nn.LSTM(3, 3)
    sync(lstm)
    inputs = [torch.randn(1, 3) for _ in range(5)]
    sync(inputs)
    hidden = (torch.randn(1, 1, 3), torch.randn(1, 1, 3))
    sync(list(hidden))
    start = hidden
    for i in inputs:
        out, hidden = lstm(i.view(1, 1, -1), hidden)
    stepped = (out.detach().numpy().copy(), hidden[1].detach().numpy().copy())
    inputs = torch.cat(inputs).view(len(inputs), 1, -1)
    out, hidden = lstm(inputs, start)
    whole = (out.detach().numpy().copy(), hidden[1].detach().numpy().copy())

    def prepare_sequence(seq, to_ix):
        idxs = [to_ix[w] for w in seq]
        return torch.tensor(idxs, dtype=torch.long)

    training_data = TAGGED
    word_to_ix = {}
    for sent, tags in training_data:
        for word in sent:
            if word not in word_to_ix:
                word_to_ix[word] = len(word_to_ix)
    tag_to_ix = {"DET": 0, "NN": 1, "V": 2}
    EMBEDDING_DIM = 6
    HIDDEN_DIM = 6

    class LSTMTagger(nn.Module):
        def __init__(self, embedding_dim, hidden_dim, vocab_size, tagset_size):
            super(LSTMTagger, self).__init__()
            self.hidden_dim = hidden_dim
            self.word_embeddings = nn.Embedding(vocab_size, embedding_dim)
            self.lstm = nn.LSTM(embedding_dim, hidden_dim)
            self.hidden2tag = nn.Linear(hidden_dim, tagset_size)

        def forward(self, sentence):
            embeds = self.word_embeddings(sentence)
            lstm_out, _ = self.lstm(embeds.view(len(sentence), 1, -1))
            tag_space = self.hidden2tag(lstm_out.view(len(sentence), -1))
            tag_scores = F.log_softmax(tag_space, dim=1)
            return tag_scores

    model = LSTMTagger(EMBEDDING_DIM, HIDDEN_DIM, len(word_to_ix), len(tag_to_ix))
    sync(model)
    loss_function = nn.NLLLoss()
    optimizer = optim.SGD(model.parameters(), lr=0.1)
    with torch.no_grad():
        inputs = prepare_sequence(training_data[0][0], word_to_ix)
        before = model(inputs).numpy().copy()
    losses = []
    for epoch in range(300):
        for sentence, tags in training_data:
            model.zero_grad()
            sentence_in = prepare_sequence(sentence, word_to_ix)
            targets = prepare_sequence(tags, tag_to_ix)
            tag_scores = model(sentence_in)
            loss = loss_function(tag_scores, targets)
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
    with torch.no_grad():
        inputs = prepare_sequence(training_data[0][0], word_to_ix)
        tag_scores = model(inputs)
    return {
        "stepped": stepped,
        "whole": whole,
        "before": before,
        "after": tag_scores.numpy().copy(),
        "tags": tag_scores.argmax(1).tolist(),
        "losses": losses,
    }


# --- Advanced: Making Dynamic Decisions and the Bi-LSTM CRF ---

CRF_DATA = [
    (
        "the wall street journal reported today that apple corporation made money".split(),
        "B I I I O O O B I O O".split(),
    ),
    ("georgia tech is a university in georgia".split(), "B I O O O O B".split()),
]


def bilstm_crf(torch: Any, nn: Any, optim: Any, sync: Sync, epochs: int = 12) -> dict:
    """The Bi-LSTM CRF: ``argmax`` through ``torch.max(vec, 1)`` and ``.item()``,
    ``log_sum_exp`` with ``.view(1, -1).expand``, the forward algorithm from
    ``torch.full``, the gold score indexing ``transitions[tags[i + 1], tags[i]]``, Viterbi
    with back-pointers, trained by SGD with weight_decay. The transitions' rows and columns
    for START/STOP are set through ``.data`` indexing, as written."""
    START_TAG = "<START>"
    STOP_TAG = "<STOP>"

    def argmax(vec):
        _, idx = torch.max(vec, 1)
        return idx.item()

    def prepare_sequence(seq, to_ix):
        idxs = [to_ix[w] for w in seq]
        return torch.tensor(idxs, dtype=torch.long)

    def log_sum_exp(vec):
        max_score = vec[0, argmax(vec)]
        max_score_broadcast = max_score.view(1, -1).expand(1, vec.size()[1])
        return max_score + torch.log(torch.sum(torch.exp(vec - max_score_broadcast)))

    class BiLSTM_CRF(nn.Module):
        def __init__(self, vocab_size, tag_to_ix, embedding_dim, hidden_dim):
            super(BiLSTM_CRF, self).__init__()
            self.embedding_dim = embedding_dim
            self.hidden_dim = hidden_dim
            self.vocab_size = vocab_size
            self.tag_to_ix = tag_to_ix
            self.tagset_size = len(tag_to_ix)
            self.word_embeds = nn.Embedding(vocab_size, embedding_dim)
            self.lstm = nn.LSTM(embedding_dim, hidden_dim // 2, num_layers=1, bidirectional=True)
            self.hidden2tag = nn.Linear(hidden_dim, self.tagset_size)
            self.transitions = nn.Parameter(torch.randn(self.tagset_size, self.tagset_size))
            self.transitions.data[tag_to_ix[START_TAG], :] = -10000
            self.transitions.data[:, tag_to_ix[STOP_TAG]] = -10000
            self.hidden = self.init_hidden()

        def init_hidden(self):
            hidden = (
                torch.randn(2, 1, self.hidden_dim // 2),
                torch.randn(2, 1, self.hidden_dim // 2),
            )
            sync(list(hidden))  # added: torch's random initial state, replayed in ours
            return hidden

        def _forward_alg(self, feats):
            init_alphas = torch.full((1, self.tagset_size), -10000.0)
            init_alphas[0][self.tag_to_ix[START_TAG]] = 0.0
            forward_var = init_alphas
            for feat in feats:
                alphas_t = []
                for next_tag in range(self.tagset_size):
                    emit_score = feat[next_tag].view(1, -1).expand(1, self.tagset_size)
                    trans_score = self.transitions[next_tag].view(1, -1)
                    next_tag_var = forward_var + trans_score + emit_score
                    alphas_t.append(log_sum_exp(next_tag_var).view(1))
                forward_var = torch.cat(alphas_t).view(1, -1)
            terminal_var = forward_var + self.transitions[self.tag_to_ix[STOP_TAG]]
            alpha = log_sum_exp(terminal_var)
            return alpha

        def _get_lstm_features(self, sentence):
            self.hidden = self.init_hidden()
            embeds = self.word_embeds(sentence).view(len(sentence), 1, -1)
            lstm_out, self.hidden = self.lstm(embeds, self.hidden)
            lstm_out = lstm_out.view(len(sentence), self.hidden_dim)
            lstm_feats = self.hidden2tag(lstm_out)
            return lstm_feats

        def _score_sentence(self, feats, tags):
            score = torch.zeros(1)
            tags = torch.cat([torch.tensor([self.tag_to_ix[START_TAG]], dtype=torch.long), tags])
            for i, feat in enumerate(feats):
                score = score + self.transitions[tags[i + 1], tags[i]] + feat[tags[i + 1]]
            score = score + self.transitions[self.tag_to_ix[STOP_TAG], tags[-1]]
            return score

        def _viterbi_decode(self, feats):
            backpointers = []
            init_vvars = torch.full((1, self.tagset_size), -10000.0)
            init_vvars[0][self.tag_to_ix[START_TAG]] = 0
            forward_var = init_vvars
            for feat in feats:
                bptrs_t = []
                viterbivars_t = []
                for next_tag in range(self.tagset_size):
                    next_tag_var = forward_var + self.transitions[next_tag]
                    best_tag_id = argmax(next_tag_var)
                    bptrs_t.append(best_tag_id)
                    viterbivars_t.append(next_tag_var[0][best_tag_id].view(1))
                forward_var = (torch.cat(viterbivars_t) + feat).view(1, -1)
                backpointers.append(bptrs_t)
            terminal_var = forward_var + self.transitions[self.tag_to_ix[STOP_TAG]]
            best_tag_id = argmax(terminal_var)
            path_score = terminal_var[0][best_tag_id]
            best_path = [best_tag_id]
            for bptrs_t in reversed(backpointers):
                best_tag_id = bptrs_t[best_tag_id]
                best_path.append(best_tag_id)
            start = best_path.pop()
            assert start == self.tag_to_ix[START_TAG]
            best_path.reverse()
            return path_score, best_path

        def neg_log_likelihood(self, sentence, tags):
            feats = self._get_lstm_features(sentence)
            forward_score = self._forward_alg(feats)
            gold_score = self._score_sentence(feats, tags)
            return forward_score - gold_score

        def forward(self, sentence):
            lstm_feats = self._get_lstm_features(sentence)
            score, tag_seq = self._viterbi_decode(lstm_feats)
            return score, tag_seq

    EMBEDDING_DIM = 5
    HIDDEN_DIM = 4
    training_data = CRF_DATA
    word_to_ix = {}
    for sentence, tags in training_data:
        for word in sentence:
            if word not in word_to_ix:
                word_to_ix[word] = len(word_to_ix)
    tag_to_ix = {"B": 0, "I": 1, "O": 2, START_TAG: 3, STOP_TAG: 4}
    model = BiLSTM_CRF(len(word_to_ix), tag_to_ix, EMBEDDING_DIM, HIDDEN_DIM)
    sync(model)
    transitions0 = model.transitions.detach().numpy().copy()
    optimizer = optim.SGD(model.parameters(), lr=0.01, weight_decay=1e-4)
    with torch.no_grad():
        precheck_sent = prepare_sequence(training_data[0][0], word_to_ix)
        precheck_tags = torch.tensor([tag_to_ix[t] for t in training_data[0][1]], dtype=torch.long)
        before = model(precheck_sent)
        feats = model._get_lstm_features(precheck_sent)
        forward_score = model._forward_alg(feats).item()
        gold_score = model._score_sentence(feats, precheck_tags).item()
        feats_array = feats.numpy().copy()
    nll = []
    for epoch in range(epochs):
        for sentence, tags in training_data:
            model.zero_grad()
            sentence_in = prepare_sequence(sentence, word_to_ix)
            targets = torch.tensor([tag_to_ix[t] for t in tags], dtype=torch.long)
            neg_log_likelihood = model.neg_log_likelihood(sentence_in, targets)
            neg_log_likelihood.backward()
            optimizer.step()
            nll.append(neg_log_likelihood.item())
    with torch.no_grad():
        precheck_sent = prepare_sequence(training_data[0][0], word_to_ix)
        after = model(precheck_sent)
    return {
        "transitions0": transitions0,
        "before": (before[0].item(), before[1]),
        "forward_score": forward_score,
        "gold_score": gold_score,
        "feats": feats_array,
        "nll": nll,
        "after": (after[0].item(), after[1]),
        "transitions": model.transitions.detach().numpy().copy(),
        "tag_to_ix": tag_to_ix,
    }


# --- Word Embeddings: Encoding Lexical Semantics ---

SONNET = """When forty winters shall besiege thy brow,
And dig deep trenches in thy beauty's field,
Thy youth's proud livery so gazed on now,
Will be a totter'd weed of small worth held:
Then being asked, where all thy beauty lies,
Where all the treasure of thy lusty days;""".split()

RAW_TEXT = """We are about to study the idea of a computational process.
Computational processes are abstract beings that inhabit computers.
As they evolve, processes manipulate other abstract things called data.""".split()


def word_embeddings(torch: Any, nn: Any, F: Any, optim: Any, sync: Sync) -> dict:
    """``nn.Embedding`` looked up with a LongTensor, the N-gram language model (context
    embeddings ``.view((1, -1))``, two Linears, log_softmax, NLLLoss, SGD), and CBOW over a
    window of two words each side (the tutorial's exercise, done the way it asks)."""
    word_to_ix = {"hello": 0, "world": 1}
    embeds = nn.Embedding(2, 5)
    sync(embeds)
    lookup_tensor = torch.tensor([word_to_ix["hello"]], dtype=torch.long)
    hello_embed = embeds(lookup_tensor)

    CONTEXT_SIZE = 2
    EMBEDDING_DIM = 10
    test_sentence = SONNET
    ngrams = [
        ([test_sentence[i - j - 1] for j in range(CONTEXT_SIZE)], test_sentence[i])
        for i in range(CONTEXT_SIZE, len(test_sentence))
    ]
    vocab = set(test_sentence)
    word_to_ix = {word: i for i, word in enumerate(vocab)}

    class NGramLanguageModeler(nn.Module):
        def __init__(self, vocab_size, embedding_dim, context_size):
            super(NGramLanguageModeler, self).__init__()
            self.embeddings = nn.Embedding(vocab_size, embedding_dim)
            self.linear1 = nn.Linear(context_size * embedding_dim, 128)
            self.linear2 = nn.Linear(128, vocab_size)

        def forward(self, inputs):
            embeds = self.embeddings(inputs).view((1, -1))
            out = F.relu(self.linear1(embeds))
            out = self.linear2(out)
            log_probs = F.log_softmax(out, dim=1)
            return log_probs

    losses = []
    loss_function = nn.NLLLoss()
    model = NGramLanguageModeler(len(vocab), EMBEDDING_DIM, CONTEXT_SIZE)
    sync(model)
    optimizer = optim.SGD(model.parameters(), lr=0.001)
    for epoch in range(3):
        total_loss = 0
        for context, target in ngrams:
            context_idxs = torch.tensor([word_to_ix[w] for w in context], dtype=torch.long)
            model.zero_grad()
            log_probs = model(context_idxs)
            loss = loss_function(log_probs, torch.tensor([word_to_ix[target]], dtype=torch.long))
            loss.backward()
            optimizer.step()
            total_loss += loss.item()
        losses.append(total_loss)
    beauty = model.embeddings.weight[word_to_ix["beauty"]]

    raw_text = RAW_TEXT
    vocab = set(raw_text)
    vocab_size = len(vocab)
    word_to_ix = {word: i for i, word in enumerate(vocab)}
    data = []
    for i in range(CONTEXT_SIZE, len(raw_text) - CONTEXT_SIZE):
        context = [raw_text[i - j - 1] for j in range(CONTEXT_SIZE)] + [
            raw_text[i + j + 1] for j in range(CONTEXT_SIZE)
        ]
        target = raw_text[i]
        data.append((context, target))

    class CBOW(nn.Module):
        def __init__(self, vocab_size, embedding_dim):
            super(CBOW, self).__init__()
            self.embeddings = nn.Embedding(vocab_size, embedding_dim)
            self.linear = nn.Linear(embedding_dim, vocab_size)

        def forward(self, inputs):
            embeds = self.embeddings(inputs).sum(dim=0).view(1, -1)
            return F.log_softmax(self.linear(embeds), dim=1)

    def make_context_vector(context, word_to_ix):
        idxs = [word_to_ix[w] for w in context]
        return torch.tensor(idxs, dtype=torch.long)

    cbow = CBOW(vocab_size, EMBEDDING_DIM)
    sync(cbow)
    optimizer = optim.SGD(cbow.parameters(), lr=0.05)
    cbow_losses = []
    for epoch in range(5):
        total_loss = 0
        for context, target in data:
            cbow.zero_grad()
            log_probs = cbow(make_context_vector(context, word_to_ix))
            loss = loss_function(log_probs, torch.tensor([word_to_ix[target]], dtype=torch.long))
            loss.backward()
            optimizer.step()
            total_loss += loss.item()
        cbow_losses.append(total_loss)
    return {
        "hello_embed": hello_embed.detach().numpy().copy(),
        "hello_row": embeds.weight[0].detach().numpy().copy(),
        "n_ngrams": len(ngrams),
        "first_ngram": ngrams[0],
        "losses": losses,
        "beauty": beauty.detach().numpy().copy(),
        "context0": make_context_vector(data[0][0], word_to_ix).tolist(),
        "cbow_losses": cbow_losses,
        "cbow_embedding": cbow.embeddings.weight.detach().numpy().copy(),
    }
