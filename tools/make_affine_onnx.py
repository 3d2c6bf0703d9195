"""A 200-byte ONNX model, y = 2*x + 1 over a [1, 4] float input, for OfflineIT's DJL/ONNX Runtime probe.

    /usr/bin/python3 tools/make_affine_onnx.py src/test/resources/org/ijgenai/testing/affine.onnx
"""
import sys

import torch


class Affine(torch.nn.Module):
    def forward(self, x):
        return 2 * x + 1


torch.onnx.export(Affine(), torch.zeros(1, 4), sys.argv[1], input_names=["x"], output_names=["y"], opset_version=17)
