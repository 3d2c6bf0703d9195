"""Builds OpenAI CLIP's real tokenizer files (49,408 tokens, as in openai/clip-vit-large-patch14 and Stable
Diffusion 1.x/2.x) from the BPE merges file that the open_clip_torch wheel ships, for tests that need the
full vocabulary without a model hub.

    python3 tools/make_real_clip_tokenizer.py <bpe_simple_vocab_16e6.txt.gz> <out-folder>

Writes <out-folder>/sd15 (pads with <|endoftext|>) and <out-folder>/sd2 (pads with "!"). The vocabulary is built
exactly as OpenAI's simple_tokenizer builds it: 256 byte characters, the same with "</w>", the first 48,894
merges joined, then <|startoftext|> and <|endoftext|>. Point IJ_GENAI_REAL_CLIP_TOKENIZERS at <out-folder> to
run ClipTokenizerTransformersTest's full-vocabulary cases.
"""
import gzip
import json
import os
import sys


def bytes_to_unicode_chars():
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return [chr(c) for c in cs]


def main(source, out):
    lines = gzip.open(source).read().decode("utf-8").split("\n")
    merges = lines[1:49152 - 256 - 2 + 1]
    chars = bytes_to_unicode_chars()
    vocab = chars + [c + "</w>" for c in chars] + ["".join(m.split()) for m in merges]
    vocab += ["<|startoftext|>", "<|endoftext|>"]
    assert len(vocab) == 49408, len(vocab)
    for name, pad in [("sd15", "<|endoftext|>"), ("sd2", "!")]:
        folder = os.path.join(out, name)
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, "vocab.json"), "w", encoding="utf-8") as f:
            json.dump({t: i for i, t in enumerate(vocab)}, f, ensure_ascii=False)
        with open(os.path.join(folder, "merges.txt"), "w", encoding="utf-8") as f:
            f.write("#version: 0.2\n" + "\n".join(merges) + "\n")
        special = {"bos_token": "<|startoftext|>", "eos_token": "<|endoftext|>", "unk_token": "<|endoftext|>",
                   "pad_token": pad}
        with open(os.path.join(folder, "special_tokens_map.json"), "w", encoding="utf-8") as f:
            json.dump(special, f, indent=2)
        with open(os.path.join(folder, "tokenizer_config.json"), "w", encoding="utf-8") as f:
            json.dump(dict(special, model_max_length=77, do_lower_case=True, tokenizer_class="CLIPTokenizer"), f,
                      indent=2)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
