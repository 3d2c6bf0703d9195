"""Exports a random-weight UNet with SDXL base 1.0's architecture (diffusers UNet2DConditionModel, the layer sizes of
stabilityai/stable-diffusion-xl-base-1.0's unet/config.json: 2.6 B parameters at --scale 1) in Optimum's layout, for
SdxlUnetBenchmark: sample [B,4,h,w], timestep float32 [B], encoder_hidden_states [B,77,2048], text_embeds [B,1280],
time_ids [B,6] -> out_sample, weights in unet/model.onnx_data. Weights are random; only the cost matters.

--scale N divides every channel width by N (heads kept, so each head is 64/N wide; group norms 32/N) to check the
tool and the benchmark quickly; --scale 1 is the real size (10.3 GB of fp32 weights).

Memory: the model is built in fp32 (10.3 GB at --scale 1) and tools/fast_onnx_export.py keeps the export at that
(torch's tracer would clone every weight: 19.3 GB, killed by the OOM killer), skips the exporter's shape inference
and initializer deduplication, and streams the weights into one model.onnx_data. On an idle 2-core machine the
--scale 1 export took 354 s (built in 42 s) at a peak RSS of 10.7 GB, and the repacking into one data file 47 s;
under a load average of 25-35 (other builds) torch's ONNX conversion pass alone took over an hour. Take
`flock /work/tmp/bigmem.lock` on a shared machine.

Command (from the repository root; REFHARNESS_BUILD as for tools/sdxl_extra_refs.py, for diffusers' sources):
  flock /work/tmp/bigmem.lock env REFHARNESS_BUILD=/tmp/refharness-sdxl \
      /usr/bin/python3 tools/export_sdxl_unet.py --scale 1 /tmp/sdxl-unet
"""
import argparse
import json
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1].parent / "shared" / "refharness"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
import refharness_env  # noqa: E402,F401

import fast_onnx_export  # noqa: E402

import torch  # noqa: E402
from diffusers import UNet2DConditionModel  # noqa: E402
from diffusers.models.attention_processor import AttnProcessor  # noqa: E402

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
    started = time.time()
    torch.manual_seed(0)
    unet = UNet2DConditionModel(**config).eval()
    unet.set_attn_processor(AttnProcessor())
    print("parameters:", sum(p.numel() for p in unet.parameters()), "built in %.0f s" % (time.time() - started),
          flush=True)
    d = config["cross_attention_dim"]
    inputs = (torch.randn(1, 4, 16, 16), torch.tensor([999.0]), torch.randn(1, 77, d),
              torch.randn(1, POOLED // args.scale), torch.tensor([[512.0, 512.0, 0.0, 0.0, 512.0, 512.0]]))
    with torch.no_grad():
        fast_onnx_export.export(Optimum(unet), inputs, out / "model.onnx",
                                ["sample", "timestep", "encoder_hidden_states", "text_embeds", "time_ids"],
                                ["out_sample"],
                                {"sample": {0: "batch", 2: "height", 3: "width"}, "timestep": {0: "batch"},
                                 "encoder_hidden_states": {0: "batch", 1: "sequence"}, "text_embeds": {0: "batch"},
                                 "time_ids": {0: "batch"}, "out_sample": {0: "batch", 2: "height", 3: "width"}})
    print("exported in %.0f s" % (time.time() - started), flush=True)
    del unet
    size = fast_onnx_export.to_one_data_file(out / "model.onnx")
    (out / "config.json").write_text(json.dumps(dict(config, _class_name="UNet2DConditionModel",
                                                     _export_sdxl_unet={"scale": args.scale, "torch_seed": 0}),
                                                indent=2))
    print("wrote %s (%.2f GB of weights) in %.0f s, peak RSS %.2f GB" % (
        out, size / 1e9, time.time() - started,
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6), flush=True)


if __name__ == "__main__":
    main()
