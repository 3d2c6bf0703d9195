"""Exports the UNet-shaped network that StepOverheadBenchmark times: the Stable Diffusion UNet's signature
(sample [B,4,h,w], timestep float [B], encoder_hidden_states [B,77,32] -> out_sample) with enough 3x3 convolutions
at 128 channels that the network, not the pipeline, dominates a step. Random weights; only the cost matters.

Run with Debian's python3 (torch 1.13): /usr/bin/python3 tools/export_benchmark_unet.py
"""
import math
import os

import torch

OUT = os.path.join(os.path.dirname(__file__), "..", "src", "test", "resources", "org", "ijgenai", "benchmark")
WIDTH = 128
BLOCKS = 3


class Block(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.norm = torch.nn.GroupNorm(8, WIDTH)
        self.conv1 = torch.nn.Conv2d(WIDTH, WIDTH, 3, padding=1)
        self.conv2 = torch.nn.Conv2d(WIDTH, WIDTH, 3, padding=1)
        self.time = torch.nn.Linear(WIDTH, WIDTH)
        self.text = torch.nn.Linear(32, WIDTH)

    def forward(self, x, temb, text):
        h = self.conv1(torch.nn.functional.silu(self.norm(x)))
        h = h + (self.time(temb) + self.text(text))[:, :, None, None]
        return x + self.conv2(torch.nn.functional.silu(h))


class BenchUnet(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv_in = torch.nn.Conv2d(4, WIDTH, 3, padding=1)
        self.blocks = torch.nn.ModuleList([Block() for _ in range(BLOCKS)])
        self.conv_out = torch.nn.Conv2d(WIDTH, 4, 3, padding=1)

    def forward(self, sample, timestep, encoder_hidden_states):
        half = WIDTH // 2
        freqs = torch.exp(-math.log(10000.0) * torch.arange(half, dtype=torch.float32) / half)
        angles = timestep.reshape(-1, 1).expand(sample.shape[0], 1) * freqs[None, :]
        temb = torch.cat([torch.sin(angles), torch.cos(angles)], dim=1)
        text = encoder_hidden_states.mean(dim=1)
        x = self.conv_in(sample)
        for block in self.blocks:
            x = block(x, temb, text)
        return self.conv_out(x) * 0.1


if __name__ == "__main__":
    torch.manual_seed(0)
    model = BenchUnet().eval()
    args = (torch.zeros(2, 4, 48, 48), torch.tensor([500.0, 500.0]), torch.zeros(2, 77, 32))
    torch.onnx.export(model, args, os.path.join(OUT, "bench_unet.onnx"),
                      input_names=["sample", "timestep", "encoder_hidden_states"], output_names=["out_sample"],
                      dynamic_axes={"sample": {0: "batch", 2: "height", 3: "width"}, "timestep": {0: "steps"},
                                    "encoder_hidden_states": {0: "batch"},
                                    "out_sample": {0: "batch", 2: "height", 3: "width"}},
                      opset_version=14)
