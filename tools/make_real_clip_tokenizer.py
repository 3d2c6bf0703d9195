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
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import clip_vocab  # noqa: E402


def main(source, out):
    lines = gzip.open(source).read().decode("utf-8").split("\n")
    merges = [tuple(m.split()) for m in lines[1:49152 - 256 - 2 + 1]]
    vocab = clip_vocab.vocabulary(merges)
    assert len(vocab) == 49408, len(vocab)
    for name, pad in [("sd15", clip_vocab.EOS), ("sd2", "!")]:
        clip_vocab.write_folder(os.path.join(out, name), {t: i for i, t in enumerate(vocab)}, merges, pad,
                                model_max_length=77, do_lower_case=True, tokenizer_class="CLIPTokenizer")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
