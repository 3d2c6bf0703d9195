"""Writes the tiny CLIP tokenizer folders that ClipTokenizerTest uses (no dependencies beyond the standard library).

    python3 tools/make_tiny_clip_tokenizer.py

The vocabulary is laid out as OpenAI's CLIP vocabulary is: the 256 byte characters of GPT-2's byte encoder, the
same 256 with "</w>", one token per merge in merge order, then <|startoftext|> and <|endoftext|>. So ids can be
worked out by hand: byte character k has id k, with "</w>" 256 + k, merge m has id 512 + m.
Two folders: tiny-clip-tokenizer (SD 1.x style, pads with <|endoftext|>) and tiny-clip-tokenizer-sd2 (pads with
"!", as stabilityai/stable-diffusion-2 does).
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import clip_vocab  # noqa: E402

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


def write(folder, pad):
    tokens = clip_vocab.vocabulary(MERGES)
    assert len(set(tokens)) == len(tokens)
    clip_vocab.write_folder(os.path.join(OUT, folder), {t: i for i, t in enumerate(tokens)}, MERGES, pad,
                            model_max_length=77, do_lower_case=True, tokenizer_class="CLIPTokenizer")


if __name__ == "__main__":
    write("tiny-clip-tokenizer", "<|endoftext|>")
    write("tiny-clip-tokenizer-sd2", "!")
