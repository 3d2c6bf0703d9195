"""Writes transformers' CLIPTokenizer output for ClipTokenizerTest.

Run it once under transformers 4.x without ftfy (the Python "slow" tokenizer with its BasicTokenizer fallback)
and once under transformers 5.x (the tokenizers-backed CLIPTokenizer):
    <venv with transformers 4.57>/bin/python tools/make_clip_tokenizer_refs.py
    <venv with transformers 5.17>/bin/python tools/make_clip_tokenizer_refs.py
Each run writes src/test/resources/org/ijgenai/core/text/transformers<major>_refs.json. The shared fixtures'
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


def main():
    major = transformers.__version__.split(".")[0]
    cases = []
    for key, folder in FOLDERS.items():
        if not os.path.isdir(folder):
            print("skipping absent", folder, file=sys.stderr)
            continue
        tok = CLIPTokenizer.from_pretrained(folder)
        if major == "4":
            assert tok.fix_text is None, "ftfy is installed: uninstall it to get the BasicTokenizer fallback"
        for text in TEXTS:
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
    with open(os.path.join(RES, "transformers%s_refs.json" % major), "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=True, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
