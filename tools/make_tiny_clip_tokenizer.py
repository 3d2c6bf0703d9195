"""Writes the tiny CLIP tokenizer folders that ClipTokenizerTest uses (no dependencies beyond the standard library).

    python3 tools/make_tiny_clip_tokenizer.py

The vocabulary is laid out as OpenAI's CLIP vocabulary is: the 256 byte characters of GPT-2's byte encoder, the
same 256 with "</w>", one token per merge in merge order, then <|startoftext|> and <|endoftext|>. So ids can be
worked out by hand: byte character k has id k, with "</w>" 256 + k, merge m has id 512 + m.
Two folders: tiny-clip-tokenizer (SD 1.x style, pads with <|endoftext|>) and tiny-clip-tokenizer-sd2 (pads with
"!", as stabilityai/stable-diffusion-2 does).
"""
import json
import os

OUT = "src/test/resources/org/ijgenai/core/text"

MERGES = [
    ("h", "e"), ("l", "l"), ("he", "ll"), ("hell", "o</w>"),    # hello</w> = 515
    ("t", "h"), ("th", "e</w>"),                                 # the</w> = 517
    ("c", "a"), ("ca", "t</w>"),                                 # cat</w> = 519
    ("'", "s</w>"), ("'", "t</w>"),                              # 's</w> = 520, 't</w> = 521
    ("a", "n"), ("an", "d</w>"),                                 # and</w> = 523
    ("r", "e"), ("re", "d</w>"),                                 # red</w> = 525
    ("o", "n</w>"),                                              # on</w> = 526
    ("i", "n"), ("in", "g</w>"),                                 # ing</w> = 528
    ("p", "a"), ("pa", "in"), ("pain", "t"), ("paint", "ing</w>"),  # painting</w> = 532
    ("1", "2</w>"),                                              # never used: CLIP splits digits one by one
    ("Ã", "©</w>"), ("ca", "f"), ("caf", "Ã©</w>"),             # café</w> = 536 (é is bytes C3 A9)
    ("d", "o"),                                                  # do = 537
]


def bytes_to_unicode():
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, [chr(c) for c in cs]))


def write(folder, pad):
    path = os.path.join(OUT, folder)
    os.makedirs(path, exist_ok=True)
    chars = list(bytes_to_unicode().values())
    tokens = chars + [c + "</w>" for c in chars] + ["".join(m) for m in MERGES] + ["<|startoftext|>", "<|endoftext|>"]
    assert len(set(tokens)) == len(tokens)
    with open(os.path.join(path, "vocab.json"), "w", encoding="utf-8") as f:
        json.dump({t: i for i, t in enumerate(tokens)}, f, ensure_ascii=False)
    with open(os.path.join(path, "merges.txt"), "w", encoding="utf-8") as f:
        f.write("#version: 0.2\n")
        for a, b in MERGES:
            f.write(a + " " + b + "\n")
    special = {"bos_token": "<|startoftext|>", "eos_token": "<|endoftext|>", "unk_token": "<|endoftext|>",
               "pad_token": pad}
    with open(os.path.join(path, "special_tokens_map.json"), "w", encoding="utf-8") as f:
        json.dump(special, f, indent=2)
    config = dict(special, model_max_length=77, do_lower_case=True, tokenizer_class="CLIPTokenizer")
    with open(os.path.join(path, "tokenizer_config.json"), "w", encoding="utf-8") as f:
        json.dump(config, f, indent=2)


if __name__ == "__main__":
    write("tiny-clip-tokenizer", "<|endoftext|>")
    write("tiny-clip-tokenizer-sd2", "!")
