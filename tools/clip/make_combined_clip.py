"""A tiny combined CLIP network (onnx/model.onnx layout) with a known logit scale, for ClipLogitScaleTest.

    /usr/bin/python3 tools/clip/make_combined_clip.py

Like Optimum's combined CLIP export it takes input_ids, attention_mask and pixel_values and returns
logits_per_image = exp(logit_scale) * cosine(image, text), logits_per_text, text_embeds and image_embeds. The
towers are trivial (the test only needs the head); exp(logit_scale) is 42.5.
"""
import math
import os

import torch
from torch import nn

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "src", "test", "resources", "org", "ijgenai", "core",
                   "search", "combined", "model.onnx")
torch.manual_seed(3)


class Combined(nn.Module):
    def __init__(self, vocab=679, dim=16):
        super().__init__()
        self.tok = nn.Embedding(vocab, dim)
        self.pix = nn.Linear(3 * 16, dim)
        self.logit_scale = nn.Parameter(torch.tensor(math.log(42.5)))

    def forward(self, input_ids, pixel_values, attention_mask):
        mask = attention_mask.unsqueeze(-1).float()
        text = (self.tok(input_ids) * mask).sum(1) / mask.sum(1)
        pooled = nn.functional.adaptive_avg_pool2d(pixel_values, 4).flatten(1)
        image = self.pix(pooled)
        t = text / text.norm(dim=-1, keepdim=True)
        i = image / image.norm(dim=-1, keepdim=True)
        logits_per_text = self.logit_scale.exp() * t @ i.t()
        return logits_per_text.t(), logits_per_text, text, image


model = Combined().eval()
ids = torch.full((2, 77), 678, dtype=torch.long)
ids[:, 0] = 677
with torch.no_grad():
    torch.onnx.export(model, (ids, torch.zeros(3, 3, 64, 64), torch.ones_like(ids)), OUT,
                      input_names=["input_ids", "pixel_values", "attention_mask"],
                      output_names=["logits_per_image", "logits_per_text", "text_embeds", "image_embeds"],
                      dynamic_axes={"input_ids": {0: "text_batch", 1: "sequence"},
                                    "attention_mask": {0: "text_batch", 1: "sequence"},
                                    "pixel_values": {0: "image_batch"},
                                    "logits_per_image": {0: "image_batch", 1: "text_batch"},
                                    "logits_per_text": {0: "text_batch", 1: "image_batch"},
                                    "text_embeds": {0: "text_batch"}, "image_embeds": {0: "image_batch"}},
                      opset_version=14)
print("wrote", OUT, os.path.getsize(OUT), "bytes")
