#!/usr/bin/env python3
"""Writes the ONNX files that pin OnnxExternalData (src/test/resources/org/ijgenai/core/catalog/onnx/).

Independent of the Java reader: a real model exported by torch.onnx (no external data), and hand-encoded
ModelProto messages (field numbers from onnx.proto) whose tensors point at external data inside and outside
their folder, at the top level, inside a node attribute and inside a subgraph. expected.json lists, per file,
the locations an ONNX loader would open.

Run with Debian's python3 (torch 1.13):  /usr/bin/python3 tools/models/make_onnx_fixtures.py
"""
import json
import os
import struct

import torch

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "src", "test", "resources", "org", "ijgenai", "core",
                   "models", "onnx")


def varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def field_varint(number, value):
    return varint(number << 3 | 0) + varint(value)


def field_bytes(number, payload):
    if isinstance(payload, str):
        payload = payload.encode("utf-8")
    return varint(number << 3 | 2) + varint(len(payload)) + payload


def entry(key, value):  # StringStringEntryProto
    return field_bytes(1, key) + field_bytes(2, value)


def tensor(name, location=None, raw=None):  # TensorProto
    t = field_varint(1, 4) + field_varint(2, 1) + field_bytes(8, name)  # dims=[4], FLOAT, name
    if raw is not None:
        t += field_bytes(9, raw)
    if location is not None:
        t += field_bytes(13, entry("location", location)) + field_bytes(13, entry("offset", "0"))
        t += field_bytes(13, entry("length", "16")) + field_varint(14, 1)
    return t


def model(graph):  # ModelProto: ir_version 8, producer, opset 17, graph
    opset = field_bytes(1, "") + field_varint(2, 17)
    return (field_varint(1, 8) + field_bytes(2, "ij-genai fixture") + field_bytes(8, opset)
            + field_bytes(7, graph))


def write(name, data):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)


def main():
    os.makedirs(OUT, exist_ok=True)
    expected = {}

    # 1. A real export: a 3x3 convolution with its weights inside the file.
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Conv2d(3, 4, 3, padding=1), torch.nn.ReLU())
    torch.onnx.export(net, torch.zeros(1, 3, 8, 8), os.path.join(OUT, "torch_conv.onnx"), opset_version=17,
                      input_names=["input"], output_names=["output"])
    expected["torch_conv.onnx"] = []

    # 2. Two initializers in one external file inside the folder, one embedded tensor with a large raw_data.
    graph = (field_bytes(2, "g") + field_bytes(5, tensor("w1", "weights.bin"))
             + field_bytes(5, tensor("w2", "weights.bin")) + field_bytes(5, tensor("b", raw=b"\0" * 70000)))
    write("external_inside.onnx", model(graph))
    write("weights.bin", struct.pack("<8f", *range(8)))
    expected["external_inside.onnx"] = ["weights.bin"]

    # 3. An initializer that escapes the folder.
    graph = field_bytes(2, "g") + field_bytes(5, tensor("w", "../../outside.bin"))
    write("external_escape.onnx", model(graph))
    expected["external_escape.onnx"] = ["../../outside.bin"]

    # 4. Escapes hidden deeper: a Constant node's tensor attribute, and an If node's subgraph initializer.
    constant_attr = field_bytes(1, "value") + field_varint(20, 4) + field_bytes(5, tensor("c", "sub/const.bin"))
    constant = field_bytes(2, "c") + field_bytes(4, "Constant") + field_bytes(5, constant_attr)
    subgraph = field_bytes(2, "then") + field_bytes(5, tensor("s", "../secret.bin"))
    if_attr = field_bytes(1, "then_branch") + field_varint(20, 5) + field_bytes(6, subgraph)
    if_node = field_bytes(1, "cond") + field_bytes(2, "y") + field_bytes(4, "If") + field_bytes(5, if_attr)
    graph = field_bytes(1, constant) + field_bytes(1, if_node) + field_bytes(2, "g")
    write("external_nested.onnx", model(graph))
    expected["external_nested.onnx"] = ["sub/const.bin", "../secret.bin"]

    # 5. A truncated file: the graph's length runs past the end.
    data = model(field_bytes(2, "g") + field_bytes(5, tensor("w", "weights.bin")))
    write("truncated.onnx", data[:-7])
    expected["truncated.onnx"] = None

    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(expected, f, indent=2, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
