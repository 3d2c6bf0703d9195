"""A1111's prompt parsing and chunking, for PromptParserTest and PromptChunkerTest.

    python3 tools/prompt/a1111_prompt_reference.py > src/test/resources/org/ijgenai/core/text/a1111_prompt_refs.json
    python3 tools/prompt/a1111_prompt_reference.py --sdxl \
        > src/test/resources/org/ijgenai/core/text/a1111_sdxl_chunk_refs.json

With --sdxl it writes the chunks of the SDXL fixture's two tokenizers only (for TokenizeJsonTest): A1111 chunks the
prompt once per text encoder, each with its own tokenizer; tokenizer_2 pads with "!" (id 0), as A1111's OpenCLIP
wrapper (id_pad = 0) and diffusers' tokenizer_2 do. None of the case prompts contains a "!", the one character that
A1111's open_clip tokenizer and transformers' tokenizer_2 (where "!" is an added special token) tell apart.

Nothing can be fetched at run time (the build machine is offline), so the two functions below are TRANSCRIBED by
hand, statement for statement, from AUTOMATIC1111/stable-diffusion-webui:
- parse_prompt_attention and its two regular expressions from modules/prompt_parser.py (commit 28bd8e1, the one
  whose weight pattern is ":\\s*([+-]?[.\\d]+)\\s*\\)"), doctests included and re-run here on start;
- tokenize_line from modules/sd_hijack_clip.py (commit 5ad03e6) with opts.emphasis "Original",
  opts.comma_padding_backtrack 20 and no textual-inversion embeddings, plus process_tokens' rule that ids after
  the first <|endoftext|> of a chunk become the pad id (SD2's tokenizers pad with "!").
A1111 tokenizes each parsed run with transformers' CLIPTokenizer(add_special_tokens=False); transformers is not
installable here, so `tokenize` below is CLIP's byte-level BPE written out for ASCII text (lower-case, white space
collapsed, CLIP's split pattern, merges in rank order, the merges file's first line skipped as transformers does).
Every case prompt is ASCII, so that is exact for them. Python 3 standard library only.
"""
import doctest
import json
import math
import os
import re
import sys

# ---- transcribed from modules/prompt_parser.py ------------------------------------------------------------
re_attention = re.compile(r"""
\\\(|
\\\)|
\\\[|
\\]|
\\\\|
\\|
\(|
\[|
:\s*([+-]?[.\d]+)\s*\)|
\)|
]|
[^\\()\[\]:]+|
:
""", re.X)

re_break = re.compile(r"\s*\bBREAK\b\s*", re.S)


def parse_prompt_attention(text):
    r"""
    >>> parse_prompt_attention('normal text')
    [['normal text', 1.0]]
    >>> parse_prompt_attention('an (important) word')
    [['an ', 1.0], ['important', 1.1], [' word', 1.0]]
    >>> parse_prompt_attention('(unbalanced')
    [['unbalanced', 1.1]]
    >>> parse_prompt_attention('\(literal\]')
    [['(literal]', 1.0]]
    >>> parse_prompt_attention('(unnecessary)(parens)')
    [['unnecessaryparens', 1.1]]
    >>> parse_prompt_attention('a (((house:1.3)) [on] a (hill:0.5), sun, (((sky))).')
    [['a ', 1.0],
     ['house', 1.5730000000000004],
     [' ', 1.1],
     ['on', 1.0],
     [' a ', 1.1],
     ['hill', 0.55],
     [', sun, ', 1.1],
     ['sky', 1.4641000000000006],
     ['.', 1.1]]
    """
    res = []
    round_brackets = []
    square_brackets = []

    round_bracket_multiplier = 1.1
    square_bracket_multiplier = 1 / 1.1

    def multiply_range(start_position, multiplier):
        for p in range(start_position, len(res)):
            res[p][1] *= multiplier

    for m in re_attention.finditer(text):
        text = m.group(0)
        weight = m.group(1)

        if text.startswith('\\'):
            res.append([text[1:], 1.0])
        elif text == '(':
            round_brackets.append(len(res))
        elif text == '[':
            square_brackets.append(len(res))
        elif weight is not None and round_brackets:
            multiply_range(round_brackets.pop(), float(weight))
        elif text == ')' and round_brackets:
            multiply_range(round_brackets.pop(), round_bracket_multiplier)
        elif text == ']' and square_brackets:
            multiply_range(square_brackets.pop(), square_bracket_multiplier)
        else:
            parts = re.split(re_break, text)
            for i, part in enumerate(parts):
                if i > 0:
                    res.append(["BREAK", -1])
                res.append([part, 1.0])

    for pos in round_brackets:
        multiply_range(pos, round_bracket_multiplier)

    for pos in square_brackets:
        multiply_range(pos, square_bracket_multiplier)

    if len(res) == 0:
        res = [["", 1.0]]

    i = 0
    while i + 1 < len(res):
        if res[i][1] == res[i + 1][1]:
            res[i][0] += res[i + 1][0]
            res.pop(i + 1)
        else:
            i += 1

    return res


# ---- CLIP BPE for ASCII text (what transformers' CLIPTokenizer does on it) ------------------------------------
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


ASCII_CLIP_PATTERN = re.compile(r"<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[a-z]+|[0-9]|[^\sa-z0-9]+",
                                re.IGNORECASE)


class AsciiClipTokenizer:
    def __init__(self, folder):
        with open(os.path.join(folder, "vocab.json"), encoding="utf-8") as f:
            self.vocab = json.load(f)
        with open(os.path.join(folder, "merges.txt"), encoding="utf-8") as f:
            merges = f.read().strip().split("\n")[1:49152 - 256 - 2 + 1]
        self.ranks = {tuple(m.split()): i for i, m in enumerate(merges)}
        self.byte_encoder = bytes_to_unicode()
        config = {}
        for name in ("tokenizer_config.json", "special_tokens_map.json"):
            path = os.path.join(folder, name)
            if os.path.exists(path):
                with open(path, encoding="utf-8") as f:
                    config.update(json.load(f))

        def token(key, default):
            value = config.get(key, default)
            return value["content"] if isinstance(value, dict) else value
        self.bos = self.vocab[token("bos_token", "<|startoftext|>")]
        self.eos = self.vocab[token("eos_token", "<|endoftext|>")]
        self.pad = self.vocab[token("pad_token", "<|endoftext|>")]
        self.unk = self.vocab[token("unk_token", "<|endoftext|>")]

    def bpe(self, token):
        word = tuple(token[:-1]) + (token[-1] + "</w>",)
        while len(word) > 1:
            pairs = set(zip(word, word[1:]))
            best = min(pairs, key=lambda p: self.ranks.get(p, float("inf")))
            if best not in self.ranks:
                break
            first, second = best
            out = []
            i = 0
            while i < len(word):
                if i < len(word) - 1 and word[i] == first and word[i + 1] == second:
                    out.append(first + second)
                    i += 2
                else:
                    out.append(word[i])
                    i += 1
            word = tuple(out)
        return list(word)

    def tokenize(self, text):
        assert all(ord(c) < 128 for c in text), text
        text = re.sub(r"\s+", " ", " ".join(text.split()).strip()).lower()
        ids = []
        for piece in ASCII_CLIP_PATTERN.findall(text):
            piece = "".join(self.byte_encoder[b] for b in piece.encode("utf-8"))
            ids.extend(self.vocab.get(t, self.unk) for t in self.bpe(piece))
        return ids


# ---- transcribed from modules/sd_hijack_clip.py (TextConditionalModel.tokenize_line) -------------------------
class PromptChunk:
    def __init__(self):
        self.tokens = []
        self.multipliers = []


def tokenize_line(tok, line, chunk_length=75, comma_padding_backtrack=20):
    parsed = parse_prompt_attention(line)
    tokenized = [tok.tokenize(text) for text, _ in parsed]
    comma_token = tok.vocab.get(",</w>", None)
    id_start, id_end = tok.bos, tok.eos

    chunks = []
    chunk = PromptChunk()
    token_count = 0
    last_comma = -1

    def next_chunk(is_last=False):
        nonlocal token_count
        nonlocal last_comma
        nonlocal chunk
        if is_last:
            token_count += len(chunk.tokens)
        else:
            token_count += chunk_length
        to_add = chunk_length - len(chunk.tokens)
        if to_add > 0:
            chunk.tokens += [id_end] * to_add
            chunk.multipliers += [1.0] * to_add
        chunk.tokens = [id_start] + chunk.tokens + [id_end]
        chunk.multipliers = [1.0] + chunk.multipliers + [1.0]
        last_comma = -1
        chunks.append(chunk)
        chunk = PromptChunk()

    for tokens, (text, weight) in zip(tokenized, parsed):
        if text == 'BREAK' and weight == -1:
            next_chunk()
            continue
        position = 0
        while position < len(tokens):
            token = tokens[position]
            if token == comma_token:
                last_comma = len(chunk.tokens)
            elif comma_padding_backtrack != 0 and len(chunk.tokens) == chunk_length and last_comma != -1 \
                    and len(chunk.tokens) - last_comma <= comma_padding_backtrack:
                break_location = last_comma + 1
                reloc_tokens = chunk.tokens[break_location:]
                reloc_mults = chunk.multipliers[break_location:]
                chunk.tokens = chunk.tokens[:break_location]
                chunk.multipliers = chunk.multipliers[:break_location]
                next_chunk()
                chunk.tokens = reloc_tokens
                chunk.multipliers = reloc_mults
            if len(chunk.tokens) == chunk_length:
                next_chunk()
            chunk.tokens.append(token)
            chunk.multipliers.append(weight)
            position += 1

    if chunk.tokens or not chunks:
        next_chunk(is_last=True)

    # process_tokens: SD2 tokenizers pad with another id than <|endoftext|>
    if tok.eos != tok.pad:
        for c in chunks:
            index = c.tokens.index(tok.eos)
            c.tokens[index + 1:] = [tok.pad] * (len(c.tokens) - index - 1)
    return chunks, token_count


# ---- the cases ------------------------------------------------------------------------------------------------
PARSE_CASES = [
    "normal text", "an (important) word", "(unbalanced", "\\(literal\\]", "(unnecessary)(parens)",
    "a (((house:1.3)) [on] a (hill:0.5), sun, (((sky))).",
    "", "()", "[]", "(:)", ")(", "][", "a)b]c", "((a)", "[[a]", "(a:0.5)", "(a:-1)", "(a: 1.25 )", "(a:+.5)",
    "(a:1.)", "(a:.5)", "(a:1e3)", "(a:1.5", "a:1.5)", "(a:)", "(a :1.2)", "[a:1.5]", "(a:1.5:2)", "((a:1.2):1.3)",
    "[(a:1.5)]", "([a])", "(a [b (c) d] e)", "\\\\(a)", "\\a\\", "a \\\\ b", "\\(a\\)(b)", "(a\\)b)",
    "a BREAK b", "aBREAK b", "a BREAKb", "BREAK", " BREAK ", "a BREAK BREAK b", "a\nBREAK\tb", "(a BREAK b)",
    "[a BREAK b]", "(a BREAK b:1)", "(BREAK:-1)", "a_BREAK b", "a break b", "BREAK:1)", "(x:-1) BREAK y",
    "a, (b:1.1) (c) ((d))", "(a:1.1)(b:1.1)", "[[[[x]]]]", "((((((((x))))))))", "(a:0)", "(a:00.50)",
    "(\u00e9l\u00e8ve:1.2) caf\u00e9 BREAK na\u00efve", "\u00fcBREAK", "(a:\u0661.\u0665)", "a\u3000BREAK\u3000b",
    "(a:" + "1" * 400 + ")",
]
PARSE_ERRORS = ["(a:1.2.3)", "(a:.)", "(a:..5)", "(a:-.)"]

CHUNK_PROMPTS = [
    "a red circle on a blue background",
    "",
    "(a red circle:1.3) on a [blue] background",
    "a red circle BREAK on a blue background",
    "BREAK a red circle",
    "a red circle BREAK",
    "BREAK BREAK",
    "(red:1.2), " * 40,
    "red, blue, green, yellow, " * 20,
    "red circle on blue background " * 16 + ", star",
    ("circle " * 60) + ", " + ("square " * 30),
    ("circle " * 73) + ", " + ("square " * 5),
    ("circle " * 74) + "," + " star",
    ("circle " * 75) + ", star",
    ("circle " * 54) + ", " + ("square " * 21) + "star",
    ("circle " * 53) + ", " + ("square " * 21) + "star",
    ("circle " * 74) + ", , star",
    ("circle " * 55) + ", " + ("square " * 25),
    ("circle " * 54) + ", " + ("square " * 25),
    ("circle " * 30) + ", " + ("square " * 24) + ", " + ("star " * 25),
    ("a " * 70) + "BREAK " + ("b " * 80),
    "(" + "a red circle on a blue background, " * 12 + ":0.8) BREAK [" + "yellow star, " * 10 + "]",
    "a red circle on a blue background, " * 40,
]
TOKENIZERS = {
    "tiny-clip-tokenizer": "src/test/resources/org/ijgenai/core/text/tiny-clip-tokenizer",
    "tiny-clip-tokenizer-sd2": "src/test/resources/org/ijgenai/core/text/tiny-clip-tokenizer-sd2",
    "shapes-sd": "models/shapes-sd/tokenizer",
    "fixtures:tiny-sd-onnx": "../shared/fixtures/tiny-sd-onnx/tokenizer",
}
SDXL_TOKENIZERS = {
    "fixtures:tiny-sdxl-onnx/tokenizer": "../shared/fixtures/tiny-sdxl-onnx/tokenizer",
    "fixtures:tiny-sdxl-onnx/tokenizer_2": "../shared/fixtures/tiny-sdxl-onnx/tokenizer_2",
}


def chunk_cases(folder):
    tok = AsciiClipTokenizer(folder)
    cases = []
    for prompt in CHUNK_PROMPTS:
        assert "!" not in prompt, prompt
        result, count = tokenize_line(tok, prompt)
        cases.append({"prompt": prompt, "token_count": count,
                      "chunks": [{"ids": c.tokens, "weights": c.multipliers} for c in result]})
    return cases


def main():
    failures, _ = doctest.testmod(optionflags=doctest.NORMALIZE_WHITESPACE)
    if failures:
        sys.exit("the transcribed doctests fail")
    if sys.argv[1:] == ["--sdxl"]:
        chunks = {name: chunk_cases(folder) for name, folder in SDXL_TOKENIZERS.items()}
        out = {"made_with": "python3 tools/prompt/a1111_prompt_reference.py --sdxl", "chunks": chunks}
        json.dump(out, sys.stdout, ensure_ascii=True, allow_nan=True)
        sys.stdout.write("\n")
        return
    parse = [{"prompt": p, "runs": parse_prompt_attention(p)} for p in PARSE_CASES]
    for p in PARSE_ERRORS:
        try:
            parse_prompt_attention(p)
            sys.exit("expected ValueError for " + p)
        except ValueError:
            pass
    chunks = {}
    for name, folder in TOKENIZERS.items():
        if not os.path.isdir(folder):
            continue
        chunks[name] = chunk_cases(folder)
    out = {"made_with": "python3 tools/prompt/a1111_prompt_reference.py", "parse": parse,
           "parse_errors": PARSE_ERRORS, "chunks": chunks}
    json.dump(out, sys.stdout, ensure_ascii=True, allow_nan=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
