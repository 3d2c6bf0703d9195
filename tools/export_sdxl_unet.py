"""Exports a random-weight UNet with SDXL base 1.0's architecture (diffusers UNet2DConditionModel, the layer sizes of
stabilityai/stable-diffusion-xl-base-1.0's unet/config.json: 2.6 B parameters at --scale 1) in Optimum's input
layout, for SdxlUnetBenchmark: sample [B,4,h,w], timestep float32 [B], encoder_hidden_states [B,77,2048],
text_embeds [B,1280], time_ids [B,6] -> out_sample. Weights are random; only the cost matters.

--scale N divides every channel width by N (heads kept, so each head is 64/N wide; group norms 32/N) to check the
tool and the benchmark on a small machine; --scale 1 is the real size (about 10.3 GB in unet/model.onnx_data; the
export alone needs about 12 GB of RAM, so take `flock /work/tmp/bigmem.lock` on a shared machine).

Status: not yet run to completion. On the shared 2-core machine the tracing takes about a minute, but torch 1.13's
ONNX shape inference had not finished after 40 minutes even at --scale 8 (CPU-starved); SdxlUnetBenchmark itself was
checked on the tiny fixture's SDXL UNet. Run it on a machine with free cores.

Command (from the repository root; REFHARNESS_BUILD as for tools/sdxl_extra_refs.py, for diffusers' sources):
  REFHARNESS_BUILD=/tmp/refharness-inpaint /usr/bin/python3 tools/export_sdxl_unet.py --scale 4 /tmp/sdxl-unet-s4
"""
import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1].parent / "shared" / "refharness"))
import refharness_env  # noqa: E402,F401

import torch  # noqa: E402
from diffusers import UNet2DConditionModel  # noqa: E402

# stabilityai/stable-diffusion-xl-base-1.0 unet/config.json, the keys that set the architecture.
SDXL_BASE = dict(sample_size=128, in_channels=4, out_channels=4, layers_per_block=2,
                 down_block_types=["DownBlock2D", "CrossAttnDownBlock2D", "CrossAttnDownBlock2D"],
                 up_block_types=["CrossAttnUpBlock2D", "CrossAttnUpBlock2D", "UpBlock2D"],
                 mid_block_type="UNetMidBlock2DCrossAttn", block_out_channels=[320, 640, 1280],
                 transformer_layers_per_block=[1, 2, 10], attention_head_dim=[5, 10, 20], cross_attention_dim=2048,
                 norm_num_groups=32, use_linear_projection=True, addition_embed_type="text_time",
                 addition_time_embed_dim=256, projection_class_embeddings_input_dim=2816, flip_sin_to_cos=True,
                 freq_shift=0)
POOLED = 1280


class Optimum(torch.nn.Module):
    """The UNet with Optimum's named inputs instead of added_cond_kwargs."""

    def __init__(self, unet):
        super().__init__()
        self.unet = unet

    def forward(self, sample, timestep, encoder_hidden_states, text_embeds, time_ids):
        return self.unet(sample, timestep, encoder_hidden_states,
                         added_cond_kwargs={"text_embeds": text_embeds, "time_ids": time_ids}).sample


def config_for(scale):
    c = dict(SDXL_BASE)
    c["block_out_channels"] = [w // scale for w in c["block_out_channels"]]
    c["cross_attention_dim"] = c["cross_attention_dim"] // scale
    c["norm_num_groups"] = c["norm_num_groups"] // scale
    c["addition_time_embed_dim"] = c["addition_time_embed_dim"] // scale
    c["projection_class_embeddings_input_dim"] = 6 * c["addition_time_embed_dim"] + POOLED // scale
    return c


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=1, choices=[1, 2, 4, 8])
    parser.add_argument("out")
    args = parser.parse_args()
    out = Path(args.out) / "unet"
    out.mkdir(parents=True, exist_ok=True)
    config = config_for(args.scale)
    torch.manual_seed(0)
    unet = UNet2DConditionModel(**config).eval()
    print("parameters:", sum(p.numel() for p in unet.parameters()), flush=True)
    d = config["cross_attention_dim"]
    inputs = (torch.randn(1, 4, 16, 16), torch.tensor([999.0]), torch.randn(1, 77, d),
              torch.randn(1, POOLED // args.scale), torch.tensor([[512.0, 512.0, 0.0, 0.0, 512.0, 512.0]]))
    with torch.no_grad():
        torch.onnx.export(Optimum(unet), inputs, str(out / "model.onnx"), opset_version=14,
                          input_names=["sample", "timestep", "encoder_hidden_states", "text_embeds", "time_ids"],
                          output_names=["out_sample"], do_constant_folding=False,
                          dynamic_axes={"sample": {0: "batch", 2: "height", 3: "width"}, "timestep": {0: "batch"},
                                        "encoder_hidden_states": {0: "batch", 1: "sequence"},
                                        "text_embeds": {0: "batch"}, "time_ids": {0: "batch"},
                                        "out_sample": {0: "batch", 2: "height", 3: "width"}})
    (out / "config.json").write_text(json.dumps(dict(config, _class_name="UNet2DConditionModel",
                                                     _export_sdxl_unet={"scale": args.scale, "torch_seed": 0}),
                                                indent=2))
    print("wrote", out, flush=True)


if __name__ == "__main__":
    main()
