"""Writes transformers' CLIPTokenizer output for ClipTokenizerTest.

Run it once under transformers 4.x without ftfy (the Python "slow" tokenizer with its BasicTokenizer fallback)
and once under transformers 5.x (the tokenizers-backed CLIPTokenizer):
    <venv with transformers 4.57>/bin/python tools/make_clip_tokenizer_refs.py
    <venv with transformers 5.17>/bin/python tools/make_clip_tokenizer_refs.py
Each run writes src/test/resources/org/ijgenai/core/text/transformers<major>_refs.json. With the folder made by
tools/make_real_clip_tokenizer.py as argument, it writes real_clip_transformers<major>_refs.json instead, for
the full 49,408-token vocabulary, over the same texts plus typical Stable Diffusion prompts. The shared fixtures'
tokenizers are included when ../shared/fixtures exists (their cases are skipped by the test when it does not).
The fixtures' tiny-clip folder is left out: its tokenizer.json (which transformers prefers) does not match its
vocab.json/merges.txt, so transformers' output there says nothing about the BPE files.
"""
import json
import os
import sys

import transformers
from transformers import CLIPTokenizer

RES = "src/test/resources/org/ijgenai/core/text"
FOLDERS = {
    "tiny-clip-tokenizer": os.path.join(RES, "tiny-clip-tokenizer"),
    "tiny-clip-tokenizer-sd2": os.path.join(RES, "tiny-clip-tokenizer-sd2"),
    "fixtures:tiny-sd-onnx/tokenizer": "../shared/fixtures/tiny-sd-onnx/tokenizer",
}

TEXTS = [
    "a red circle on a blue background",
    "an astronaut riding a horse on the moon, oil painting",
    "Hello, World! 123 café",
    "hello",
    "HELLO the Cat and the red paint",
    "painting paintings",
    "  multiple   spaces\tand\ttabs\nnewlines  ",
    "It's the cat's toy; don't PANIC!!!",
    "they're we've I'm you'll he'd IT'S DON'T",
    "Café crème brûlée, naïve façade, Ångström, mañana",
    "cafe\u0301 decomposed",
    "ÉCOLE",
    "3.14159 and 42nd, 1,000,000 12",
    "emoji \U0001F431\u200d\U0001F464 \U0001F44D\U0001F3FD \u2764\ufe0f",
    "你好世界 mixed 中文text",
    "日本語のテキスト",
    "한국어 텍스트",
    "ΣΑΣ ΟΔΟΣ",
    "\u0130stanbul",
    "nbsp\u00a0em\u2003ideographic\u3000space",
    "zero\u200bwidth\u200djoiner",
    "control\u0001\u0007chars\u007f",
    "<|startoftext|>literal<|endoftext|> special",
    "<|ENDOFTEXT|> upper",
    "(masterpiece:1.2), [blurry], {best quality} | x-ray; a/b",
    "#hashtag @user $100 %50 ^_^ ~tilde~ `code`",
    "",
    "   ",
    "!!! hello! !",
    "hello!world",
    "\ufffd replacement \u0000 nul",
    "x\u2028y\u2029z",
    "\ufb01ne ligature",
    "\u01c4 titlecase \u212a kelvin",
    "\U0001D401\U0001D428\U0001D425\U0001D41D math letters",
    "\u0661\u0662\u0663 arabic digits \u00bd \u00b2 \u216b",
    "a photo of a cat " * 30,
    "a " * 75,
    "a " * 76,
]

PROMPTS = [
    "a photo of a cat",
    "masterpiece, best quality, (ultra-detailed:1.3), 8k uhd, dslr, soft lighting, high quality, film grain, Fujifilm XT3",
    "A majestic lion jumping from a big stone at night, by Greg Rutkowski and Alphonse Mucha, trending on ArtStation",
    "portrait of an old fisherman, wrinkles, weathered skin, dramatic rim light, 85mm f/1.4, bokeh",
    "cyberpunk city street at night, neon signs, rain, reflections, blade runner 2049 style, volumetric fog " * 3,
    "Ein Hund im Schnee, Gem\u00e4lde im Stil von Caspar David Friedrich; Stra\u00dfe, Gr\u00f6\u00dfe, \u00dcbermut",
    "un ch\u00e2teau m\u00e9di\u00e9val sous la pluie, aquarelle tr\u00e8s d\u00e9taill\u00e9e",
    "\u0433\u043e\u0440\u0430 \u0438 \u043e\u0437\u0435\u0440\u043e \u043d\u0430 \u0437\u0430\u043a\u0430\u0442\u0435",
    "\u5bcc\u58eb\u5c71\u3068\u685c\u3001\u6d6e\u4e16\u7d75\u98a8",
    "\U0001F600\U0001F603 emoji party \U0001F389",
    "l'\u00e9t\u00e9 dernier, c'\u00e9tait l'amour; we'd've gone",
    "don't stop believin' \u2014 it\u2019s \u201csmart quotes\u201d and \u2018single\u2019",
    "C++ & C# vs. Java/Kotlin: 100% (really?) #1 @home",
    "3d render, 4k, 16:9, 1920x1080, v1.5, sd-2.1",
    "WORDS IN ALL CAPS AND MiXeD cAsE",
    "tabs\tand\nnewlines\r\nand   spaces",
    "caf\u00e9 na\u00efve r\u00e9sum\u00e9 co\u00f6perate \u00c6r\u00f8sk\u00f8bing \u00de\u00f3rr",
    "<|startoftext|>a photo<|endoftext|>",
    "hello!!! world?! ...",
    "a" * 300,
]


def main():
    major = transformers.__version__.split(".")[0]
    folders, texts, out = FOLDERS, TEXTS, "transformers%s_refs.json" % major
    if len(sys.argv) > 1:
        folders = {"real:" + name: os.path.join(sys.argv[1], name) for name in ("sd15", "sd2")}
        texts, out = TEXTS + PROMPTS, "real_clip_transformers%s_refs.json" % major
    cases = []
    for key, folder in folders.items():
        if not os.path.isdir(folder):
            print("skipping absent", folder, file=sys.stderr)
            continue
        tok = CLIPTokenizer.from_pretrained(folder)
        if major == "4":
            assert tok.fix_text is None, "ftfy is installed: uninstall it to get the BasicTokenizer fallback"
        for text in texts:
            padded = tok(text, padding="max_length", max_length=tok.model_max_length, truncation=True)
            cases.append({
                "tokenizer": key,
                "text": text,
                "tokens": tok.tokenize(text),
                "ids": padded["input_ids"],
                "attention_mask": padded["attention_mask"],
                "full_length": len(tok(text)["input_ids"]),
            })
    doc = {"generator": "transformers " + transformers.__version__ + " CLIPTokenizer ("
           + type(tok).__mro__[1].__name__ + "), python " + sys.version.split()[0], "cases": cases}
    with open(os.path.join(RES, out), "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=True, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
