"""Exports a random-weight UNet with Stable Diffusion 1.5's architecture (diffusers' UNet2DConditionModel with SD 1.5's
unet/config.json: block_out_channels 320/640/1280/1280, 8 heads, cross_attention_dim 768; 860 M parameters) to
ONNX with its weights in external data (model.onnx + model.onnx_data), for AttentionMemoryBenchmark. Only its size matters: the weights are
random. Needs about 10 GB of memory; take the shared lock on a shared machine.

Exact command (from the repository root):
  flock /work/tmp/bigmem.lock env REFHARNESS_BUILD=/tmp/refharness-inpaint \\
      /usr/bin/python3 tools/attention/export_sd15_random_unet.py /tmp/sd15-random/unet
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "refharness"))
import refharness_env  # noqa: E402,F401

import onnx  # noqa: E402
import torch  # noqa: E402
from diffusers import UNet2DConditionModel  # noqa: E402
from diffusers.models.attention_processor import AttnProcessor  # noqa: E402

OUT = sys.argv[1] if len(sys.argv) > 1 else "/tmp/sd15-random/unet"


class Signature(torch.nn.Module):
    def __init__(self, unet):
        super().__init__()
        self.unet = unet

    def forward(self, sample, timestep, encoder_hidden_states):
        return self.unet(sample, timestep, encoder_hidden_states, return_dict=False)[0]


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(0)
    # runwayml/stable-diffusion-v1-5's unet/config.json, where it differs from the defaults.
    unet = UNet2DConditionModel(sample_size=64, cross_attention_dim=768, attention_head_dim=8).eval()
    unet.set_attn_processor(AttnProcessor())
    raw = os.path.join(OUT, "raw.onnx")
    with torch.no_grad():
        torch.onnx.export(Signature(unet), (torch.randn(2, 4, 64, 64), torch.tensor([10.0, 10.0]),
                                            torch.randn(2, 77, 768)), raw,
                          input_names=["sample", "timestep", "encoder_hidden_states"], output_names=["out_sample"],
                          dynamic_axes={"sample": {0: "batch", 2: "height", 3: "width"}, "timestep": {0: "batch"},
                                        "encoder_hidden_states": {0: "batch"}},
                          opset_version=14, do_constant_folding=True)
    del unet
    model = onnx.load(raw)
    onnx.save_model(model, os.path.join(OUT, "model.onnx"), save_as_external_data=True, all_tensors_to_one_file=True,
                    location="model.onnx_data", size_threshold=1024)
    for f in os.listdir(OUT):
        if f != "model.onnx" and f != "model.onnx_data":
            os.remove(os.path.join(OUT, f))
    print("wrote", OUT, os.listdir(OUT))


if __name__ == "__main__":
    main()
