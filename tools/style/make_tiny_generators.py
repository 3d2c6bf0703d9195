#!/usr/bin/python3
"""Exports the tiny style-transfer generators used by the unit tests, and their reference outputs.

One tiny network per public format, each exported with torch.onnx.export at opset 17:
  animegan  NHWC, values in [-1, 1], RGB      (like the AnimeGANv2 ONNX exports)
  cyclegan  NCHW, values in [-1, 1], RGB      (like CycleGAN / pix2pix generators; needs even sizes)
  fns       NCHW, values in [0, 255], RGB     (like the ONNX Model Zoo fast-neural-style models; output
                                               overshoots 0..255 so the clipping is exercised)
  bgr01     the animegan network behind a descriptor that says [0, 1] and BGR (a custom descriptor)
  fns-fixed32  the fns network exported with a fixed 1x3x32x32 input, as the zoo's files fix 224x224
  seam      NCHW [-1, 1], zero-padded dilated convolutions with a receptive-field radius of 12 pixels
  transformernet  pytorch/examples' TransformerNet at 1/8 width (instance norm, Resize upsampling), 0..255
  bench-resnet-generator  a quarter-width CycleGAN ResNet generator with random weights, for the benchmark only

The references are computed here with torch on the same modules, following each format's documented pre- and
post-processing (docs/style-transfer.md), never with ij-genai's Java code:
  rgb8 -> [0,1] = px / 255 -> the format's range -> (only for networks that reject other sizes) reflection
  padding up to the size multiple, split evenly between both sides (the odd pixel after) -> network -> crop -> back to [0, 255] -> clip to [0, 255].
References are stored as raw little-endian float32, H x W x 3 (RGB), values in [0, 255] before rounding.

Usage: /usr/bin/python3 tools/style/make_tiny_generators.py  (from the repository root)
"""
import json
import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image

OUT = os.path.join("src", "test", "resources", "org", "ijgenai", "core", "style")
OPSET = 17


class TinyAnimeGan(nn.Module):
    """NHWC in and out, tanh output, channels mixed so colour order matters."""

    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(3, 8, 3, padding=1)
        self.c2 = nn.Conv2d(8, 3, 3, padding=1)

    def forward(self, x):
        y = x.permute(0, 3, 1, 2)
        y = torch.tanh(self.c2(F.leaky_relu(self.c1(y), 0.2)) + 0.5 * y.flip(1))
        return y.permute(0, 2, 3, 1)


class TinyCycleGan(nn.Module):
    """A ResNet-generator-shaped miniature: reflection pad, stride-2 down, transposed-conv up, tanh."""

    def __init__(self):
        super().__init__()
        self.inc = nn.Sequential(nn.ReflectionPad2d(1), nn.Conv2d(3, 8, 3), nn.ReLU())
        self.down = nn.Sequential(nn.Conv2d(8, 8, 4, stride=2, padding=1), nn.ReLU())
        self.up = nn.Sequential(nn.ConvTranspose2d(8, 8, 4, stride=2, padding=1), nn.ReLU())
        self.outc = nn.Sequential(nn.ReflectionPad2d(1), nn.Conv2d(8, 3, 3))

    def forward(self, x):
        return torch.tanh(4.0 * self.outc(self.up(self.down(self.inc(x)))) + x.flip(1))


class TinyFastNeuralStyle(nn.Module):
    """0..255 in, unbounded out (overshoots), reflection padding like pytorch/examples' TransformerNet."""

    def __init__(self):
        super().__init__()
        self.c1 = nn.Sequential(nn.ReflectionPad2d(1), nn.Conv2d(3, 8, 3), nn.ReLU())
        self.c2 = nn.Sequential(nn.ReflectionPad2d(1), nn.Conv2d(8, 3, 3))

    def forward(self, x):
        return self.c2(self.c1(x / 255.0)) * 60.0 + x[:, [2, 0, 1]] * 1.2 - 20.0


class SeamProbe(nn.Module):
    """Zero-padded dilated 3x3 convolutions: the output at a pixel sees 12 pixels on each side."""

    def __init__(self):
        super().__init__()
        layers = []
        channels = [3, 8, 8, 8, 8, 8, 3]
        for i, d in enumerate([1, 2, 3, 3, 2, 1]):
            layers.append(nn.Conv2d(channels[i], channels[i + 1], 3, padding=d, dilation=d))
            if i < 5:
                layers.append(nn.LeakyReLU(0.2))
        self.body = nn.Sequential(*layers)

    def forward(self, x):
        return torch.tanh(self.body(x) + x)


class BenchResnetGenerator(nn.Module):
    """A narrow CycleGAN ResNet generator (c7s1-16, d32, 2 residual blocks, u16, c7s1-3, instance norm, tanh):
    the real architecture at a quarter of the width, for the 4000x3000 benchmark. Random weights."""

    def __init__(self):
        super().__init__()

        def block(c):
            return nn.Sequential(nn.ReflectionPad2d(1), nn.Conv2d(c, c, 3), nn.InstanceNorm2d(c), nn.ReLU(True),
                                 nn.ReflectionPad2d(1), nn.Conv2d(c, c, 3), nn.InstanceNorm2d(c))

        self.head = nn.Sequential(nn.ReflectionPad2d(3), nn.Conv2d(3, 16, 7), nn.InstanceNorm2d(16), nn.ReLU(True),
                                  nn.Conv2d(16, 32, 3, stride=2, padding=1), nn.InstanceNorm2d(32), nn.ReLU(True))
        self.blocks = nn.ModuleList([block(32), block(32)])
        self.tail = nn.Sequential(nn.ConvTranspose2d(32, 16, 3, stride=2, padding=1, output_padding=1),
                                  nn.InstanceNorm2d(16), nn.ReLU(True), nn.ReflectionPad2d(3), nn.Conv2d(16, 3, 7),
                                  nn.Tanh())

    def forward(self, x):
        y = self.head(x)
        for b in self.blocks:
            y = y + b(y)
        return self.tail(y)


class NarrowTransformerNet(nn.Module):
    """pytorch/examples' fast_neural_style TransformerNet (the architecture the Model Zoo files were exported from)
    at an eighth of the width: reflection-padded convolutions, instance norm, residual blocks, and nearest-neighbour
    upsampling (an ONNX Resize) before the last convolutions. Downsampling twice, it needs multiples of 4."""

    def __init__(self):
        super().__init__()

        def conv(cin, cout, k, stride=1, upsample=None):
            layers = []
            if upsample:
                layers.append(nn.Upsample(scale_factor=upsample, mode="nearest"))
            layers += [nn.ReflectionPad2d(k // 2), nn.Conv2d(cin, cout, k, stride)]
            return nn.Sequential(*layers)

        self.down = nn.Sequential(conv(3, 4, 9), nn.InstanceNorm2d(4, affine=True), nn.ReLU(),
                                  conv(4, 8, 3, 2), nn.InstanceNorm2d(8, affine=True), nn.ReLU(),
                                  conv(8, 16, 3, 2), nn.InstanceNorm2d(16, affine=True), nn.ReLU())
        self.res = nn.ModuleList([nn.Sequential(conv(16, 16, 3), nn.InstanceNorm2d(16, affine=True), nn.ReLU(),
                                                conv(16, 16, 3), nn.InstanceNorm2d(16, affine=True))
                                  for _ in range(2)])
        self.up = nn.Sequential(conv(16, 8, 3, upsample=2), nn.InstanceNorm2d(8, affine=True), nn.ReLU(),
                                conv(8, 4, 3, upsample=2), nn.InstanceNorm2d(4, affine=True), nn.ReLU(),
                                conv(4, 3, 9))

    def forward(self, x):
        y = self.down(x)
        for block in self.res:
            y = y + block(y)
        # Scaled so the raw output spans and overshoots 0..255 like the trained networks'.
        return self.up(y) * 60.0 + 128.0


def export(module, path, nhwc, name_in, name_out):
    module.eval()
    dummy = torch.rand(1, 24, 24, 3) if nhwc else torch.rand(1, 3, 24, 24)
    axes = {0: "batch", 1: "height", 2: "width"} if nhwc else {0: "batch", 2: "height", 3: "width"}
    torch.onnx.export(module, dummy, path, opset_version=OPSET, input_names=[name_in], output_names=[name_out],
                      dynamic_axes={name_in: axes, name_out: axes})


def to_range(x01, value_range):
    if value_range == "-1..1":
        return x01 * 2.0 - 1.0
    if value_range == "0..1":
        return x01
    return x01 * 255.0


def from_range(y, value_range):
    if value_range == "-1..1":
        return (y + 1.0) / 2.0 * 255.0
    if value_range == "0..1":
        return y * 255.0
    return y


def reference(module, rgb8, layout, value_range, colour, multiple):
    """The documented pre/post-processing, with torch doing the network."""
    x = torch.from_numpy(rgb8.astype(np.float32) / 255.0)  # H, W, 3 in RGB
    if colour == "BGR":
        x = x.flip(2)
    x = to_range(x, value_range).permute(2, 0, 1).unsqueeze(0)  # 1, 3, H, W
    h, w = x.shape[2], x.shape[3]
    ph, pw = (-h) % multiple, (-w) % multiple
    if ph or pw:
        # Split evenly, the extra pixel after, as core.tiling pads (docs/tiling.md).
        x = F.pad(x, (pw // 2, pw - pw // 2, ph // 2, ph - ph // 2), mode="reflect")
    with torch.no_grad():
        y = module(x.permute(0, 2, 3, 1)).permute(0, 3, 1, 2) if layout == "NHWC" else module(x)
    y = y[0, :, ph // 2:ph // 2 + h, pw // 2:pw // 2 + w].permute(1, 2, 0)
    if colour == "BGR":
        y = y.flip(2)
    return np.clip(from_range(y, value_range).numpy(), 0.0, 255.0).astype("<f4")


def test_image(width, height, seed):
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:height, 0:width]
    base = np.stack([128 + 100 * np.sin(xx / 7.0 + c) * np.cos(yy / 5.0 - c) for c in range(3)], axis=2)
    noisy = base + rng.normal(0, 25, size=base.shape)
    return np.clip(np.round(noisy), 0, 255).astype(np.uint8)


def main():
    torch.manual_seed(7)
    os.makedirs(OUT, exist_ok=True)
    image = test_image(61, 47, 3)
    Image.fromarray(image, "RGB").save(os.path.join(OUT, "input-61x47.png"))
    big = test_image(101, 77, 5)
    Image.fromarray(big, "RGB").save(os.path.join(OUT, "input-101x77.png"))

    anime, cycle, fns, seam = TinyAnimeGan(), TinyCycleGan(), TinyFastNeuralStyle(), SeamProbe()
    export(anime, os.path.join(OUT, "tiny-animegan.onnx"), True, "generator_input:0", "generator/G_MODEL/out:0")
    export(cycle, os.path.join(OUT, "tiny-cyclegan.onnx"), False, "input", "output")
    export(fns, os.path.join(OUT, "tiny-fns.onnx"), False, "input1", "output1")
    export(seam, os.path.join(OUT, "tiny-seam.onnx"), False, "input", "output")
    # Like the Model Zoo's fast-neural-style files, which declare a fixed 1x3x224x224 input: fixed 32x32 here.
    fns.eval()
    torch.onnx.export(fns, torch.rand(1, 3, 32, 32) * 255, os.path.join(OUT, "tiny-fns-fixed32.onnx"),
                      opset_version=OPSET, input_names=["input1"], output_names=["output1"])

    export(BenchResnetGenerator(), os.path.join(OUT, "bench-resnet-generator.onnx"), False, "input", "output")
    transformer = NarrowTransformerNet()
    export(transformer, os.path.join(OUT, "tiny-transformernet.onnx"), False, "input1", "output1")

    # The same NHWC network behind a custom descriptor: values in [0,1], BGR channel order, multiple 1.
    bgr_dir = os.path.join(OUT, "bgr01")
    os.makedirs(bgr_dir, exist_ok=True)
    export(anime, os.path.join(bgr_dir, "model.onnx"), True, "image", "styled")
    with open(os.path.join(bgr_dir, "style.json"), "w") as f:
        json.dump({"name": "tiny BGR [0,1] test generator", "model": "model.onnx", "input": "image",
                   "output": "styled", "layout": "NHWC", "range": "0..1", "colorOrder": "BGR",
                   "sizeMultiple": 1, "maxTile": 256}, f, indent=2)
        f.write("\n")

    # Padding: the runner pads up to the descriptor's size multiple only for networks that reject other sizes
    # (it tries one odd size when it loads the network). Of these, only the cyclegan miniature needs even sizes;
    # its ready descriptor asks for multiples of 4 (docs/style-transfer.md).
    cases = {
        "animegan": (anime, "NHWC", "-1..1", "RGB", 1),
        "cyclegan": (cycle, "NCHW", "-1..1", "RGB", 4),
        "fns": (fns, "NCHW", "0..255", "RGB", 1),
        "bgr01": (anime, "NHWC", "0..1", "BGR", 1),
        "seam": (seam, "NCHW", "-1..1", "RGB", 1),
        # Upsamples with Resize, so odd sizes give the wrong output size: padded to the format's multiple of 4.
        "transformernet": (transformer, "NCHW", "0..255", "RGB", 4),
    }
    for name, (module, layout, value_range, colour, multiple) in cases.items():
        module.eval()
        for label, img in (("61x47", image), ("101x77", big)):
            ref = reference(module, img, layout, value_range, colour, multiple)
            ref.tofile(os.path.join(OUT, "ref-%s-%s.f32" % (name, label)))
            print(name, label, "ref range", float(ref.min()), float(ref.max()))


if __name__ == "__main__":
    main()
