"""Exports random-weight networks of Stable Diffusion 1.5's real sizes, in the diffusers ONNX layout, for
OrtSettingsBenchmark (ONNX Runtime settings per network):

  text_encoder/model.onnx  CLIP ViT-L/14's text transformer (123 M parameters: 12 layers, width 768, 12 heads,
                           MLP 3072, quick-GELU, causal mask): input_ids int32 [B,77] -> last_hidden_state,
                           pooler_output
  unet/model.onnx          diffusers' UNet2DConditionModel with runwayml/stable-diffusion-v1-5's unet/config.json
                           (860 M parameters, 3.4 GB in unet/model.onnx_data): sample, timestep [B],
                           encoder_hidden_states [B,77,768] -> out_sample
  vae_decoder/model.onnx   diffusers' AutoencoderKL decoder with SD's vae/config.json (post_quant_conv + decoder,
                           49 M parameters): latent_sample [B,4,h,w] -> sample [B,3,8h,8w]

Weights are random (torch seed 0); only the cost matters. Exported with tools/fast_onnx_export.py; needs about
4 GB of memory. Command (from the repository root; REFHARNESS_BUILD as for tools/export_sdxl_unet.py):
  REFHARNESS_BUILD=/tmp/refharness-sdxl /usr/bin/python3 tools/export_sd_benchmark_networks.py /tmp/sd15-bench
"""
import argparse
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1].parent / "shared" / "refharness"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
import refharness_env  # noqa: E402,F401

import fast_onnx_export  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402
from diffusers import AutoencoderKL, UNet2DConditionModel  # noqa: E402
from diffusers.models.attention_processor import AttnProcessor  # noqa: E402


class ClipTextLayer(nn.Module):
    """One pre-norm CLIP encoder layer, written out as transformers' CLIPEncoderLayer computes it."""

    def __init__(self, width, heads, mlp):
        super().__init__()
        self.heads = heads
        self.ln1 = nn.LayerNorm(width)
        self.q, self.k, self.v, self.o = (nn.Linear(width, width) for _ in range(4))
        self.ln2 = nn.LayerNorm(width)
        self.fc1 = nn.Linear(width, mlp)
        self.fc2 = nn.Linear(mlp, width)

    def forward(self, x, mask):
        b, n, w = x.shape
        d = w // self.heads
        h = self.ln1(x)

        def split(t):
            return t.reshape(b, n, self.heads, d).transpose(1, 2)

        scores = (split(self.q(h)) * d ** -0.5) @ split(self.k(h)).transpose(-1, -2) + mask
        x = x + self.o((scores.softmax(-1) @ split(self.v(h))).transpose(1, 2).reshape(b, n, w))
        h = self.fc1(self.ln2(x))
        return x + self.fc2(h * torch.sigmoid(1.702 * h))


class ClipText(nn.Module):
    """CLIP ViT-L/14's text transformer: last_hidden_state and the pooled state at the highest token id (EOS)."""

    def __init__(self, vocab=49408, positions=77, width=768, layers=12, heads=12, mlp=3072):
        super().__init__()
        self.tokens = nn.Embedding(vocab, width)
        self.positions = nn.Embedding(positions, width)
        self.layers = nn.ModuleList([ClipTextLayer(width, heads, mlp) for _ in range(layers)])
        self.final = nn.LayerNorm(width)

    def forward(self, input_ids):
        n = input_ids.shape[1]
        x = self.tokens(input_ids.long()) + self.positions.weight[:n]
        mask = torch.full((n, n), float("-inf")).triu(1)
        for layer in self.layers:
            x = layer(x, mask)
        x = self.final(x)
        # The state at the highest token id (EOS) of each row, as a gather so the batch size stays dynamic.
        eos = input_ids.long().argmax(-1)
        pooled = torch.gather(x, 1, eos[:, None, None].expand(-1, 1, x.shape[2]))[:, 0]
        return x, pooled


class VaeDecoder(nn.Module):
    """diffusers' OnnxStableDiffusionPipeline vae_decoder: post_quant_conv, then the decoder."""

    def __init__(self, vae):
        super().__init__()
        self.vae = vae

    def forward(self, latent_sample):
        return self.vae.decode(latent_sample, return_dict=False)[0]


class UnetSignature(nn.Module):
    def __init__(self, unet):
        super().__init__()
        self.unet = unet

    def forward(self, sample, timestep, encoder_hidden_states):
        return self.unet(sample, timestep, encoder_hidden_states, return_dict=False)[0]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", choices=["text_encoder", "unet", "vae_decoder"])
    parser.add_argument("out")
    args = parser.parse_args()
    started = time.time()
    for name in ("text_encoder", "vae_decoder", "unet"):
        if args.only and args.only != name:
            continue
        folder = Path(args.out) / name
        folder.mkdir(parents=True, exist_ok=True)
        torch.manual_seed(0)
        if name == "text_encoder":
            model = ClipText().eval()
            inputs = (torch.zeros(1, 77, dtype=torch.int32),)
            names = (["input_ids"], ["last_hidden_state", "pooler_output"], {"input_ids": {0: "batch"}})
        elif name == "vae_decoder":
            vae = AutoencoderKL(block_out_channels=[128, 256, 512, 512], layers_per_block=2, latent_channels=4,
                                down_block_types=["DownEncoderBlock2D"] * 4,
                                up_block_types=["UpDecoderBlock2D"] * 4, sample_size=512).eval()
            vae.set_attn_processor(AttnProcessor())
            model = VaeDecoder(vae)
            inputs = (torch.randn(1, 4, 16, 16),)
            names = (["latent_sample"], ["sample"], {"latent_sample": {0: "batch", 2: "height", 3: "width"},
                                                     "sample": {0: "batch", 2: "height", 3: "width"}})
        else:
            unet = UNet2DConditionModel(sample_size=64, cross_attention_dim=768, attention_head_dim=8).eval()
            unet.set_attn_processor(AttnProcessor())
            model = UnetSignature(unet)
            inputs = (torch.randn(2, 4, 16, 16), torch.tensor([10.0, 10.0]), torch.randn(2, 77, 768))
            names = (["sample", "timestep", "encoder_hidden_states"], ["out_sample"],
                     {"sample": {0: "batch", 2: "height", 3: "width"}, "timestep": {0: "batch"},
                      "encoder_hidden_states": {0: "batch"}, "out_sample": {0: "batch", 2: "height", 3: "width"}})
        print(name, "parameters:", sum(p.numel() for p in model.parameters()), flush=True)
        with torch.no_grad():
            fast_onnx_export.export(model, inputs, folder / "model.onnx", *names)
        del model
        size = fast_onnx_export.to_one_data_file(folder / "model.onnx")
        print("wrote %s (%.2f GB of weights) at %.0f s, peak RSS %.2f GB" % (
            folder, size / 1e9, time.time() - started,
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6), flush=True)


if __name__ == "__main__":
    main()
