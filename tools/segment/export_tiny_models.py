#!/usr/bin/python3
"""Exports the tiny CNNs that the tiling and segmentation tests use, and the reference outputs of the
segmentation ones, computed by PyTorch itself (the independent reference of the ONNX files).

Run from the repository root with Debian's python3 (python3-torch 1.13):
    /usr/bin/python3 tools/segment/export_tiny_models.py
It rewrites src/test/resources/org/ijgenai/core/tiling/*.onnx and src/test/resources/org/ijgenai/core/segment/*.
"""
import json
import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
TILING = os.path.join(ROOT, "src/test/resources/org/ijgenai/core/tiling")
SEGMENT = os.path.join(ROOT, "src/test/resources/org/ijgenai/core/segment")
OPSET = 13


def export(model, example, path, input_name="input", output_name="output", dynamic=True, nhwc=False):
    model.eval()
    axes = None
    if dynamic:
        spatial = {1: "height", 2: "width"} if nhwc else {2: "height", 3: "width"}
        axes = {input_name: spatial, output_name: {2: "height", 3: "width"}}
    torch.onnx.export(model, example, path, input_names=[input_name], output_names=[output_name],
                      dynamic_axes=axes, opset_version=OPSET, do_constant_folding=True)
    print("wrote", os.path.relpath(path, ROOT), os.path.getsize(path), "bytes")


def receptive_radius(model, channels, size=81):
    """The largest distance at which an input pixel changes the centre output pixel, measured by gradient."""
    x = torch.zeros(1, channels, size, size, requires_grad=True)
    y = model(x)
    y[0, :, size // 2, size // 2].sum().backward()
    g = x.grad.abs().sum(dim=(0, 1)) > 0
    ys, xs = np.nonzero(g.numpy())
    return int(max(np.abs(ys - size // 2).max(), np.abs(xs - size // 2).max()))


class DilatedNet(nn.Module):
    """3 → 2 channels; 3×3 convs with dilations 1, 2, 4, 4: receptive-field radius 11 (23 pixels)."""

    def __init__(self):
        super().__init__()
        self.convs = nn.ModuleList([
            nn.Conv2d(3, 8, 3, padding=1, dilation=1),
            nn.Conv2d(8, 8, 3, padding=2, dilation=2),
            nn.Conv2d(8, 8, 3, padding=4, dilation=4),
            nn.Conv2d(8, 2, 3, padding=4, dilation=4),
        ])

    def forward(self, x):
        for i, conv in enumerate(self.convs):
            x = conv(x)
            if i < len(self.convs) - 1:
                x = torch.tanh(x)
        return x


class StridedNet(nn.Module):
    """1 → 1 channel encoder–decoder with two stride-2 stages, so inputs must be multiples of 4."""

    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(1, 6, 3, padding=1)
        self.d1 = nn.Conv2d(6, 6, 3, stride=2, padding=1)
        self.d2 = nn.Conv2d(6, 6, 3, stride=2, padding=1)
        self.u1 = nn.Conv2d(6, 6, 3, padding=1)
        self.u2 = nn.Conv2d(12, 1, 3, padding=1)

    def forward(self, x):
        a = torch.tanh(self.c1(x))
        b = torch.tanh(self.d2(torch.tanh(self.d1(a))))
        b = F.interpolate(torch.tanh(self.u1(b)), scale_factor=4.0, mode="nearest")
        return self.u2(torch.cat([a, b], dim=1))


class RedBlobNet(nn.Module):
    """Hand-set blob detector on the red channel: r = 3×3 mean then dilated 3×3 mean of red (input already scaled
    to [0,1]); heads: sigmoid(20·(r−0.5)), logits of (background, dim, bright), or their argmax."""

    def __init__(self, head, order="RGB", nhwc=False):
        super().__init__()
        self.head = head
        self.nhwc = nhwc
        red = order.index("R")
        self.blur1 = nn.Conv2d(3, 1, 3, padding=1, bias=False)
        self.blur2 = nn.Conv2d(1, 1, 3, padding=2, dilation=2, bias=False)
        with torch.no_grad():
            self.blur1.weight.zero_()
            self.blur1.weight[0, red] = 1.0 / 9.0
            self.blur2.weight.fill_(1.0 / 9.0)

    def forward(self, x):
        if self.nhwc:
            x = x.permute(0, 3, 1, 2)
        r = self.blur2(self.blur1(x))
        if self.head == "sigmoid":
            return torch.sigmoid(20.0 * (r - 0.5))
        logits = torch.cat([torch.zeros_like(r), 20.0 * (r - 0.2), 40.0 * r - 16.0], dim=1)
        if self.head == "logits":
            return logits
        return torch.argmax(logits, dim=1, keepdim=True)


def test_image(width, height, seed):
    """Red disks of three brightnesses on a dim noisy background, as uint8 RGB (H, W, 3)."""
    rng = np.random.RandomState(seed)
    img = (rng.rand(height, width, 3) * 40).astype(np.float64)
    yy, xx = np.mgrid[0:height, 0:width]
    disks = [(30, 25, 12, 250), (100, 40, 9, 120), (60, 90, 15, 230), (130, 100, 6, 250), (20, 100, 10, 90)]
    for cx, cy, rad, red in disks:
        inside = (xx - cx) ** 2 + (yy - cy) ** 2 <= rad ** 2
        img[inside, 0] = red
        img[inside, 1] = 30
        img[inside, 2] = 200
    return np.clip(img, 0, 255).astype(np.uint8)


def main():
    torch.manual_seed(1234)
    os.makedirs(TILING, exist_ok=True)
    os.makedirs(SEGMENT, exist_ok=True)

    dilated = DilatedNet()
    with torch.no_grad():
        for conv in dilated.convs:
            conv.weight.mul_(1.5)
    print("dilated receptive radius", receptive_radius(dilated, 3))
    export(dilated, torch.rand(1, 3, 40, 40), os.path.join(TILING, "dilated_rf23.onnx"))

    strided = StridedNet()
    print("strided receptive radius", receptive_radius(strided, 1, size=84))
    export(strided, torch.rand(1, 1, 40, 40), os.path.join(TILING, "strided_m4.onnx"))

    # Segmentation models; their inputs are scaled to [0,1] by the descriptor (scale 1/255).
    models = {
        "blobs_sigmoid": RedBlobNet("sigmoid"),
        "blobs_logits": RedBlobNet("logits"),
        "blobs_label": RedBlobNet("label"),
        "blobs_bgr_nhwc": RedBlobNet("sigmoid", order="BGR", nhwc=True),
    }
    for name, model in models.items():
        nhwc = name.endswith("nhwc")
        example = torch.rand(1, 40, 40, 3) if nhwc else torch.rand(1, 3, 40, 40)
        export(model, example, os.path.join(SEGMENT, name + ".onnx"), nhwc=nhwc)
    export(RedBlobNet("sigmoid"), torch.rand(1, 3, 64, 64), os.path.join(SEGMENT, "blobs_fixed64.onnx"),
           dynamic=False)

    # Reference outputs on an odd-sized test image.
    width, height = 157, 123
    rgb = test_image(width, height, seed=7)
    Image.fromarray(rgb).save(os.path.join(SEGMENT, "blobs.png"))
    x = torch.from_numpy(rgb.astype(np.float32) / 255.0).permute(2, 0, 1).unsqueeze(0)
    refs = {}
    with torch.no_grad():
        refs["blobs_sigmoid"] = models["blobs_sigmoid"](x)
        refs["blobs_logits_softmax"] = torch.softmax(models["blobs_logits"](x), dim=1)
        refs["blobs_label"] = models["blobs_label"](x).float()
        # Fixed 64×64 model: resize the whole image to 64×64 bilinearly (half-pixel centres), run, resize the map
        # back bilinearly; plain (PyTorch's default) and antialiased (PIL's BILINEAR) variants.
        for suffix, aa in (("", False), ("_antialias", True)):
            small = F.interpolate(x, size=(64, 64), mode="bilinear", align_corners=False, antialias=aa)
            prob = RedBlobNet("sigmoid")(small)
            refs["blobs_fixed64" + suffix] = F.interpolate(prob, size=(height, width), mode="bilinear",
                                                           align_corners=False, antialias=aa)
        # bioimage.io preprocessing on raw 0–255 values, statistics per channel over the whole image.
        raw = rgb.astype(np.float64).transpose(2, 0, 1)
        mean = raw.mean(axis=(1, 2), keepdims=True)
        std = raw.std(axis=(1, 2), keepdims=True)
        zmuv = (raw - mean) / (std + 1e-6)
        refs["blobs_zmuv"] = models["blobs_sigmoid"](torch.from_numpy(zmuv.astype(np.float32)).unsqueeze(0))
        low = np.percentile(raw, 1.0, axis=(1, 2), keepdims=True)
        high = np.percentile(raw, 99.8, axis=(1, 2), keepdims=True)
        ranged = (raw - low) / (high - low + 1e-6)
        refs["blobs_scale_range"] = models["blobs_sigmoid"](torch.from_numpy(ranged.astype(np.float32)).unsqueeze(0))
    index = {}
    for key, tensor in refs.items():
        array = tensor.numpy().astype("<f4")
        array.tofile(os.path.join(SEGMENT, key + ".f32"))
        index[key] = list(array.shape)
    with open(os.path.join(SEGMENT, "refs.json"), "w") as f:
        json.dump({"image": "blobs.png", "width": width, "height": height, "arrays": index}, f, indent=1)
    print("refs", index)


if __name__ == "__main__":
    main()
