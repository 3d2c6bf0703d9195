"""A small CLIP byte-level BPE vocabulary for the shapes captions, written in the vocab.json + merges.txt format of
OpenAI CLIP / transformers' CLIPTokenizer, and an encoder that follows the same algorithm for training."""
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import clip_vocab  # noqa: E402
from clip_vocab import BOS, EOS, bytes_to_unicode, vocabulary  # noqa: E402

MAX_LENGTH = 77


def _word_symbols(word):
    enc = bytes_to_unicode()
    chars = [enc[b] for b in word.encode("utf-8")]
    return tuple(chars[:-1]) + (chars[-1] + "</w>",)


def _bpe(symbols, ranks):
    word = list(symbols)
    while len(word) > 1:
        pairs = [(ranks.get((word[i], word[i + 1]), float("inf")), i) for i in range(len(word) - 1)]
        best = min(pairs)[0]
        if best == float("inf"):
            break
        first, second = min(pairs)[1], None
        pair = (word[first], word[first + 1])
        merged, i = [], 0
        while i < len(word):
            if i < len(word) - 1 and (word[i], word[i + 1]) == pair:
                merged.append(word[i] + word[i + 1])
                i += 2
            else:
                merged.append(word[i])
                i += 1
        word = merged
    return word


def build(words):
    """Merges that turn every word into a single token, added until BPE reproduces each word whole."""
    merges = []
    ranks = {}
    for _ in range(20):
        changed = False
        for w in words:
            pieces = _bpe(_word_symbols(w), ranks)
            while len(pieces) > 1:
                pair = (pieces[0], pieces[1])
                if pair not in ranks:
                    ranks[pair] = len(merges)
                    merges.append(pair)
                    changed = True
                pieces = _bpe(_word_symbols(w), ranks)
                if len(pieces) > 1 and (pieces[0], pieces[1]) in ranks and pieces[0] + pieces[1] not in pieces:
                    break
        if not changed:
            break
    vocab = {}
    for tok in vocabulary(merges):
        vocab.setdefault(tok, len(vocab))
    return vocab, merges


class Tokenizer:
    """Encodes lower-case space-separated text exactly as CLIPTokenizer does for such text."""

    PATTERN = re.compile(r"'s|'t|'re|'ve|'m|'ll|'d|[a-z]+|[0-9]|[^\sa-z0-9]+")

    def __init__(self, vocab, merges):
        self.vocab = vocab
        self.ranks = {tuple(m): i for i, m in enumerate(merges)}

    @classmethod
    def load(cls, folder):
        with open(os.path.join(folder, "vocab.json")) as f:
            vocab = json.load(f)
        with open(os.path.join(folder, "merges.txt")) as f:
            lines = f.read().strip().split("\n")[1:]
        return cls(vocab, [tuple(l.split()) for l in lines if l])

    def encode(self, text, max_length=MAX_LENGTH):
        text = " ".join(text.lower().split())
        ids = [self.vocab[BOS]]
        enc = bytes_to_unicode()
        for word in self.PATTERN.findall(text):
            chars = "".join(enc[b] for b in word.encode("utf-8"))
            symbols = tuple(chars[:-1]) + (chars[-1] + "</w>",)
            ids.extend(self.vocab[p] for p in _bpe(symbols, self.ranks))
        ids = ids[: max_length - 1] + [self.vocab[EOS]]
        return ids + [self.vocab[EOS]] * (max_length - len(ids))


def write(folder, vocab, merges):
    clip_vocab.write_folder(folder, vocab, merges, EOS, model_max_length=MAX_LENGTH, tokenizer_class="CLIPTokenizer",
                            do_lower_case=True, errors="replace", add_prefix_space=False)


def caption_words():
    import shapes_dataset as d
    words = {"a", "an", "two", "on", "background", "small", "large", "the", "of", "and", "photo", "with"}
    words.update(d.SHAPES)
    words.update(d.PLURALS.values())
    words.update(d.COLOURS)
    return sorted(words)


if __name__ == "__main__":
    import sys
    vocab, merges = build(caption_words())
    write(sys.argv[1], vocab, merges)
    tok = Tokenizer.load(sys.argv[1])
    print(len(vocab), "tokens,", len(merges), "merges")
    print(tok.encode("a red circle on a blue background")[:10])
