"""Exports a ViT-B/32-sized CLIP (random weights) in the transformers.js / Optimum layout for ClipBenchmark.

    /usr/bin/python3 tools/clip/make_benchmark_clip.py [OUT_DIR]     (default: target/clip-bench-model)

The vision tower has OpenAI ViT-B/32's shape (224x224 input, 32x32 patches, width 768, 12 layers, 12 heads,
MLP 3072, quick-GELU, projection to 512), so the network dominates indexing time as with the real model. The text
tower is deliberately small (it is not timed) but projects to the same 512-d space. The tokenizer is a byte-level
vocabulary without merges. The export (~350 MB) stays out of git.
"""
import json
import os
import sys

import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import clip_vocab  # noqa: E402

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join("target", "clip-bench-model")
torch.manual_seed(0)


class QuickGelu(nn.Module):
    def forward(self, x):
        return x * torch.sigmoid(1.702 * x)


class Attention(nn.Module):
    """Multi-head self-attention written out as transformers' CLIPAttention does (q, k, v and out projections)."""

    def __init__(self, width, heads):
        super().__init__()
        self.heads = heads
        self.q = nn.Linear(width, width)
        self.k = nn.Linear(width, width)
        self.v = nn.Linear(width, width)
        self.out = nn.Linear(width, width)

    def forward(self, x, mask=None):
        b, n, w = x.shape
        d = w // self.heads

        def split(t):
            return t.reshape(b, n, self.heads, d).transpose(1, 2)

        q, k, v = split(self.q(x)) * d ** -0.5, split(self.k(x)), split(self.v(x))
        scores = q @ k.transpose(-1, -2)
        if mask is not None:
            scores = scores + mask
        return self.out((scores.softmax(-1) @ v).transpose(1, 2).reshape(b, n, w))


class Block(nn.Module):
    def __init__(self, width, heads, mlp):
        super().__init__()
        self.ln1 = nn.LayerNorm(width)
        self.attn = Attention(width, heads)
        self.ln2 = nn.LayerNorm(width)
        self.mlp = nn.Sequential(nn.Linear(width, mlp), QuickGelu(), nn.Linear(mlp, width))

    def forward(self, x, mask=None):
        x = x + self.attn(self.ln1(x), mask)
        return x + self.mlp(self.ln2(x))


class Vision(nn.Module):
    def __init__(self, size=224, patch=32, width=768, layers=12, heads=12, mlp=3072, dim=512):
        super().__init__()
        self.patch = nn.Conv2d(3, width, patch, patch, bias=False)
        n = (size // patch) ** 2 + 1
        self.cls = nn.Parameter(torch.randn(width) * 0.02)
        self.pos = nn.Parameter(torch.randn(n, width) * 0.02)
        self.pre = nn.LayerNorm(width)
        self.blocks = nn.ModuleList([Block(width, heads, mlp) for _ in range(layers)])
        self.post = nn.LayerNorm(width)
        self.proj = nn.Linear(width, dim, bias=False)

    def forward(self, pixel_values):
        x = self.patch(pixel_values).flatten(2).transpose(1, 2)
        cls = self.cls.expand(x.shape[0], 1, -1)
        x = self.pre(torch.cat([cls, x], 1) + self.pos)
        for b in self.blocks:
            x = b(x)
        return self.proj(self.post(x[:, 0]))


class Text(nn.Module):
    def __init__(self, vocab, length=77, width=64, dim=512):
        super().__init__()
        self.tok = nn.Embedding(vocab, width)
        self.pos = nn.Parameter(torch.randn(length, width) * 0.02)
        self.block = Block(width, 4, 4 * width)
        self.ln = nn.LayerNorm(width)
        self.proj = nn.Linear(width, dim, bias=False)
        self.register_buffer("mask", torch.full((length, length), float("-inf")).triu(1))

    def forward(self, input_ids, attention_mask):
        x = self.tok(input_ids) + self.pos[: input_ids.shape[1]]
        n = input_ids.shape[1]
        x = self.ln(self.block(x, self.mask[:n, :n]))
        # CLIP pools at the end-of-text token, the largest id in the vocabulary.
        eos = input_ids.argmax(-1)
        return self.proj(x[torch.arange(x.shape[0]), eos])


def main():
    os.makedirs(os.path.join(OUT, "onnx"), exist_ok=True)
    vocab = {t: i for i, t in enumerate(clip_vocab.vocabulary([]))}
    with open(os.path.join(OUT, "vocab.json"), "w") as f:
        json.dump(vocab, f)
    with open(os.path.join(OUT, "merges.txt"), "w") as f:
        f.write("#version: 0.2\n")
    with open(os.path.join(OUT, "tokenizer_config.json"), "w") as f:
        json.dump({"bos_token": "<|startoftext|>", "eos_token": "<|endoftext|>", "unk_token": "<|endoftext|>",
                   "pad_token": "<|endoftext|>", "model_max_length": 77}, f)
    with open(os.path.join(OUT, "config.json"), "w") as f:
        json.dump({"model_type": "clip", "projection_dim": 512, "logit_scale_init_value": 2.6592,
                   "text_config": {"max_position_embeddings": 77, "vocab_size": len(vocab)},
                   "vision_config": {"image_size": 224, "patch_size": 32, "hidden_size": 768,
                                     "num_hidden_layers": 12}}, f, indent=2)
    with open(os.path.join(OUT, "preprocessor_config.json"), "w") as f:
        json.dump({"crop_size": {"height": 224, "width": 224}, "do_center_crop": True, "do_convert_rgb": True,
                   "do_normalize": True, "do_rescale": True, "do_resize": True,
                   "image_mean": [0.48145466, 0.4578275, 0.40821073],
                   "image_std": [0.26862954, 0.26130258, 0.27577711], "resample": 3,
                   "rescale_factor": 1 / 255, "size": {"shortest_edge": 224},
                   "image_processor_type": "CLIPImageProcessor"}, f, indent=2)
    vision = Vision().eval()
    text = Text(len(vocab)).eval()
    with torch.no_grad():
        torch.onnx.export(vision, (torch.zeros(1, 3, 224, 224),), os.path.join(OUT, "onnx", "vision_model.onnx"),
                          input_names=["pixel_values"], output_names=["image_embeds"],
                          dynamic_axes={"pixel_values": {0: "batch"}, "image_embeds": {0: "batch"}}, opset_version=14)
        ids = torch.full((2, 77), vocab["<|endoftext|>"], dtype=torch.long)
        ids[:, 0] = vocab["<|startoftext|>"]
        torch.onnx.export(text, (ids, torch.ones_like(ids)), os.path.join(OUT, "onnx", "text_model.onnx"),
                          input_names=["input_ids", "attention_mask"], output_names=["text_embeds"],
                          dynamic_axes={"input_ids": {0: "batch", 1: "sequence"},
                                        "attention_mask": {0: "batch", 1: "sequence"},
                                        "text_embeds": {0: "batch"}}, opset_version=14)
    print("wrote", OUT)


if __name__ == "__main__":
    main()
