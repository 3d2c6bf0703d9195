"""The layout of OpenAI CLIP's byte-level BPE vocabulary, shared by the tools that write CLIP tokenizer folders
(tools/make_tiny_clip_tokenizer.py, tools/make_real_clip_tokenizer.py, tools/clip/make_benchmark_clip.py,
tools/train/clip_bpe.py): GPT-2's byte encoder, the vocabulary order, and the transformers folder files.

Standard library only; not a script.
"""
import json
import os

BOS, EOS = "<|startoftext|>", "<|endoftext|>"


def bytes_to_unicode():
    """GPT-2's byte → printable character table, as OpenAI's simple_tokenizer and transformers build it."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, [chr(c) for c in cs]))


def vocabulary(merges):
    """The tokens in id order: the 256 byte characters, the same with "</w>", one per merge (a pair of symbols)
    joined, then BOS and EOS."""
    chars = list(bytes_to_unicode().values())
    return chars + [c + "</w>" for c in chars] + ["".join(m) for m in merges] + [BOS, EOS]


def write_folder(folder, vocab, merges, pad, **config):
    """Writes vocab.json, merges.txt, special_tokens_map.json and tokenizer_config.json (the special tokens, then
    the keys of config in their order) as transformers' CLIPTokenizer reads them."""
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "vocab.json"), "w", encoding="utf-8") as f:
        json.dump(vocab, f, ensure_ascii=False)
    with open(os.path.join(folder, "merges.txt"), "w", encoding="utf-8") as f:
        f.write("#version: 0.2\n" + "\n".join(" ".join(m) for m in merges) + "\n")
    special = {"bos_token": BOS, "eos_token": EOS, "unk_token": EOS, "pad_token": pad}
    with open(os.path.join(folder, "special_tokens_map.json"), "w", encoding="utf-8") as f:
        json.dump(special, f, indent=2)
    with open(os.path.join(folder, "tokenizer_config.json"), "w", encoding="utf-8") as f:
        json.dump(dict(special, **config), f, indent=2)
