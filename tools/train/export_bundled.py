"""Exports the trained state dicts to the public layouts, so the Java pipelines load them like any public model:

- models/shapes-sd:   the diffusers ONNX layout (text_encoder, unet, vae_encoder, vae_decoder, tokenizer, scheduler)
- models/shapes-clip: the transformers.js / Optimum layout (onnx/text_model.onnx, onnx/vision_model.onnx, ...)
- models/ink-gan:     a pix2pix generator, NCHW in [-1, 1], with its style-transfer descriptor

Uses torch.onnx.export at opset 17 (Debian's python3-torch 1.13 works).
"""
import argparse
import json
import os
import shutil
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import clip_bpe  # noqa: E402
import shapes_models as M  # noqa: E402

OPSET = 17
CLIP_MEAN = [0.48145466, 0.4578275, 0.40821073]
CLIP_STD = [0.26862954, 0.26130258, 0.27577711]


def dump(path, obj):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        json.dump(obj, f, indent=2)
        f.write("\n")


def export(module, args, path, inputs, outputs, axes):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    module.eval()
    with torch.no_grad():
        torch.onnx.export(module, args, path, input_names=inputs, output_names=outputs, dynamic_axes=axes,
                          opset_version=OPSET, do_constant_folding=True)


class TextEncoderExport(torch.nn.Module):
    def __init__(self, text):
        super().__init__()
        self.text = text

    def forward(self, input_ids):
        ids = input_ids.long()
        hidden = self.text.hidden(ids)
        return hidden, self.text.pooled(ids, hidden)


class ClipTextExport(torch.nn.Module):
    def __init__(self, text):
        super().__init__()
        self.text = text

    def forward(self, input_ids, attention_mask):
        hidden = self.text.hidden(input_ids)
        # Causal attention already ignores what follows the end token; the mask only zeroes padding in the output.
        return self.text.pooled(input_ids, hidden), hidden * attention_mask.unsqueeze(-1).to(hidden.dtype)


class VaeEncoderExport(torch.nn.Module):
    def __init__(self, enc):
        super().__init__()
        self.enc = enc

    def forward(self, sample):
        return self.enc(sample)[:, :4]


def export_sd(ckpt, meta, out, tok_dir):
    vocab = json.load(open(os.path.join(tok_dir, "vocab.json")))
    sd = torch.load(os.path.join(ckpt, "sd.pt"), map_location="cpu")
    vae = torch.load(os.path.join(ckpt, "vae.pt"), map_location="cpu")
    text, unet = M.TextTransformer(len(vocab)), M.UNet()
    text.load_state_dict(sd["text"])
    unet.load_state_dict(sd["unet"])
    enc, dec = M.VaeEncoder(), M.VaeDecoder()
    enc.load_state_dict(vae["encoder"])
    dec.load_state_dict(vae["decoder"])
    scaling = meta["scaling_factor"]
    ids = torch.zeros(1, 77, dtype=torch.int32)
    export(TextEncoderExport(text), (ids,), f"{out}/text_encoder/model.onnx", ["input_ids"],
           ["last_hidden_state", "pooler_output"], {"input_ids": {0: "batch", 1: "sequence"}})
    export(unet, (torch.randn(2, 4, 8, 8), torch.tensor([1.0, 2.0]), torch.randn(2, 77, 128)),
           f"{out}/unet/model.onnx", ["sample", "timestep", "encoder_hidden_states"], ["out_sample"],
           {"sample": {0: "batch", 2: "height", 3: "width"}, "timestep": {0: "batch"},
            "encoder_hidden_states": {0: "batch", 1: "sequence"}})
    export(VaeEncoderExport(enc), (torch.randn(1, 3, 64, 64),), f"{out}/vae_encoder/model.onnx", ["sample"],
           ["latent_sample"], {"sample": {0: "batch", 2: "height", 3: "width"}})
    export(dec, (torch.randn(1, 4, 8, 8),), f"{out}/vae_decoder/model.onnx", ["latent_sample"], ["sample"],
           {"latent_sample": {0: "batch", 2: "height", 3: "width"}})
    shutil.copytree(tok_dir, f"{out}/tokenizer", dirs_exist_ok=True)
    dump(f"{out}/model_index.json", {
        "_class_name": "OnnxStableDiffusionPipeline", "_diffusers_version": "0.30.0",
        "feature_extractor": [None, None], "requires_safety_checker": False, "safety_checker": [None, None],
        "scheduler": ["diffusers", "EulerDiscreteScheduler"], "text_encoder": ["diffusers", "OnnxRuntimeModel"],
        "tokenizer": ["transformers", "CLIPTokenizer"], "unet": ["diffusers", "OnnxRuntimeModel"],
        "vae_decoder": ["diffusers", "OnnxRuntimeModel"], "vae_encoder": ["diffusers", "OnnxRuntimeModel"]})
    # Euler, not SD 1.5's PNDM: PNDM's (and LMS's) extrapolation of the noise predictions drifts on this small model
    # under guidance 7.5, while Euler, DDIM and DPM++ draw the prompt (tools/train/README.md has the figures).
    dump(f"{out}/scheduler/scheduler_config.json", {
        "_class_name": "EulerDiscreteScheduler", "_diffusers_version": "0.30.0", "beta_end": 0.012,
        "beta_schedule": "scaled_linear", "beta_start": 0.00085, "clip_sample": False, "num_train_timesteps": 1000,
        "set_alpha_to_one": False, "steps_offset": 1, "trained_betas": None})
    dump(f"{out}/unet/config.json", {
        "_class_name": "ShapesUNet", "sample_size": 8, "in_channels": 4, "out_channels": 4,
        "cross_attention_dim": 128, "block_out_channels": [64, 128], "prediction_type": "epsilon"})
    vae_config = {"_class_name": "AutoencoderKL", "sample_size": 64, "latent_channels": 4, "in_channels": 3,
                  "out_channels": 3, "scaling_factor": scaling, "block_out_channels": [32, 64, 96, 96]}
    dump(f"{out}/vae_decoder/config.json", vae_config)
    dump(f"{out}/vae_encoder/config.json", vae_config)
    dump(f"{out}/text_encoder/config.json", {
        "_class_name": "ShapesTextTransformer", "hidden_size": 128, "num_hidden_layers": 4,
        "num_attention_heads": 4, "max_position_embeddings": 77, "vocab_size": len(vocab),
        "projection_dim": 64})


def export_clip(ckpt, meta, out, tok_dir):
    vocab = json.load(open(os.path.join(tok_dir, "vocab.json")))
    model = M.ShapesClip(len(vocab))
    model.load_state_dict(torch.load(os.path.join(ckpt, "shapes_clip.pt"), map_location="cpu"))
    ids = torch.zeros(1, 77, dtype=torch.long)
    export(ClipTextExport(model.text), (ids, torch.ones_like(ids)), f"{out}/onnx/text_model.onnx",
           ["input_ids", "attention_mask"], ["text_embeds", "last_hidden_state"],
           {"input_ids": {0: "batch", 1: "sequence"}, "attention_mask": {0: "batch", 1: "sequence"}})
    export(model.image, (torch.randn(1, 3, 64, 64),), f"{out}/onnx/vision_model.onnx", ["pixel_values"],
           ["image_embeds"], {"pixel_values": {0: "batch"}})
    for f in os.listdir(tok_dir):
        shutil.copy(os.path.join(tok_dir, f), os.path.join(out, f))
    dump(f"{out}/preprocessor_config.json", {
        "crop_size": {"height": 64, "width": 64}, "do_center_crop": True, "do_convert_rgb": True,
        "do_normalize": True, "do_rescale": True, "do_resize": True, "image_mean": CLIP_MEAN,
        "image_processor_type": "CLIPImageProcessor", "image_std": CLIP_STD, "resample": 3,
        "rescale_factor": 0.00392156862745098, "size": {"shortest_edge": 64}})
    dump(f"{out}/config.json", {
        "model_type": "clip", "projection_dim": 64, "logit_scale": meta["logit_scale"],
        "logit_scale_init_value": 2.6592,
        "text_config": {"hidden_size": 128, "num_hidden_layers": 4, "max_position_embeddings": 77,
                        "vocab_size": len(vocab)},
        "vision_config": {"image_size": 64, "model_type": "shapes-cnn"}})


def export_ink(ckpt, out):
    gen = M.UnetGenerator()
    gen.load_state_dict(torch.load(os.path.join(ckpt, "ink_gan.pt"), map_location="cpu"))
    export(gen, (torch.randn(1, 3, 128, 128),), f"{out}/model.onnx", ["input"], ["output"],
           {"input": {0: "batch", 2: "height", 3: "width"}, "output": {0: "batch", 2: "height", 3: "width"}})
    # The style-transfer descriptor (docs/style-transfer.md). Five stride-2 levels need sizes that are multiples of
    # 32; instance norm makes results depend a little on the tile, so tiles are large (512) with a wide overlap.
    dump(f"{out}/style.json", {
        "name": "ink-gan (bundled pix2pix demonstrator)",
        "description": "A small pix2pix U-Net generator trained by this project (tools/train) to turn photos into"
                       " ink drawings that imitate the XDoG line-drawing filter.",
        "task": "style",
        "model": "model.onnx",
        "input": "input",
        "output": "output",
        "layout": "NCHW",
        "range": "-1..1",
        "colorOrder": "RGB",
        "sizeMultiple": 32,
        "maxTile": 512,
        "overlap": 128,
        "license": "trained from scratch by ij-genai on freely licensed sample photos (samples/README.md)",
        "source": "tools/train/train_all.py + tools/train/export_bundled.py"})


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--ckpt", required=True, help="folder with the state dicts from train_all.py")
    p.add_argument("--models", default="models")
    a = p.parse_args()
    meta_all = json.load(open(os.path.join(a.ckpt, "train_meta.json")))
    meta = dict(meta_all.get("run1", meta_all))
    meta.update({k: v for k, v in meta_all.get("run2", {}).items() if k in ("logit_scale",)})
    tok_dir = os.path.join(a.ckpt, "tokenizer")
    vocab, merges = clip_bpe.build(clip_bpe.caption_words())
    clip_bpe.write(tok_dir, vocab, merges)
    export_sd(a.ckpt, meta, os.path.join(a.models, "shapes-sd"), tok_dir)
    export_clip(a.ckpt, meta, os.path.join(a.models, "shapes-clip"), tok_dir)
    export_ink(a.ckpt, os.path.join(a.models, "ink-gan"))
    print("exported to", a.models)


if __name__ == "__main__":
    main()
