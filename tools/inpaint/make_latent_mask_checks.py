"""References for latent-mask inpainting with an ordinary 4-channel UNet: diffusers' torch
StableDiffusionInpaintPipeline (which blends the image's latents noised to the next timestep back outside the mask
after every step) over the ONNX files of ../shared/fixtures/tiny-sd-onnx, through thin torch.nn.Module facades,
as Optimum's ORT pipelines do. Its torch noise (randn_tensor) is replaced by numpy.random.RandomState(seed).randn
in the same order of draws, so the Java pipeline's seeded generator can match it. Masks are hard and on the 8-pixel
grid, where diffusers' nearest-neighbour latent mask and ij-genai's area-averaged one agree.

Command (after ../shared/refharness/setup with REFHARNESS_BUILD=/tmp/refharness-inpaint):
  REFHARNESS_BUILD=/tmp/refharness-inpaint /usr/bin/python3 tools/inpaint/make_latent_mask_checks.py \
      ../shared/fixtures/tiny-sd-onnx src/test/resources/latent-mask-checks
"""
import json
import sys
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parents[2].parent / "shared" / "refharness"))
import refharness_env  # noqa: F401,E402
import numpy as np  # noqa: E402
import torch  # noqa: E402
from PIL import Image, ImageDraw  # noqa: E402
import diffusers.pipelines.stable_diffusion.pipeline_stable_diffusion_inpaint as inpaint_module  # noqa: E402
from diffusers import StableDiffusionInpaintPipeline  # noqa: E402

from harness import load_parts, make_scheduler  # noqa: E402

model, out = Path(sys.argv[1]), Path(sys.argv[2])
(out / "images").mkdir(parents=True, exist_ok=True)
parts = load_parts(model)


class Facade(torch.nn.Module):
    def __init__(self, config):
        super().__init__()
        self.config = SimpleNamespace(**config)

    @property
    def device(self):
        return torch.device("cpu")

    @property
    def dtype(self):
        return torch.float32


class Unet(Facade):
    def __init__(self):
        super().__init__(dict(in_channels=4, time_cond_proj_dim=None, sample_size=8))

    def forward(self, sample, t, encoder_hidden_states=None, return_dict=False, **kwargs):
        ts = np.array([float(t)], np.float32)
        out = parts["unet"](sample=sample.numpy(), timestep=ts,
                            encoder_hidden_states=encoder_hidden_states.numpy())[0]
        return (torch.from_numpy(out),)


class TextEncoder(Facade):
    def __init__(self):
        super().__init__(dict())

    def forward(self, ids, attention_mask=None, **kwargs):
        return (torch.from_numpy(parts["text_encoder"](input_ids=ids.numpy().astype(np.int32))[0]),)


class Dist:
    def __init__(self, mean):
        self.mean = mean

    def sample(self, generator=None):
        return self.mean

    def mode(self):
        return self.mean


class Vae(Facade):
    def __init__(self):
        super().__init__(dict(block_out_channels=[32, 32, 32, 32], latent_channels=4, scaling_factor=0.18215,
                              force_upcast=False))

    def encode(self, image, return_dict=True):
        latents = parts["vae_encoder"](sample=image.numpy().astype(np.float32))[0]
        return SimpleNamespace(latent_dist=Dist(torch.from_numpy(latents)))

    def decode(self, z, return_dict=False, generator=None, **kwargs):
        images = [parts["vae_decoder"](latent_sample=z[i:i + 1].numpy())[0] for i in range(z.shape[0])]
        return (torch.from_numpy(np.concatenate(images)),)


current = {}


def numpy_randn(shape, generator=None, device=None, dtype=None, layout=None):
    return torch.from_numpy(current["rs"].randn(*shape).astype(np.float32))


inpaint_module.randn_tensor = numpy_randn


def init_image(w, h, seed):
    rs = np.random.RandomState(seed)
    yy, xx = np.mgrid[0:h, 0:w]
    img = np.stack([xx * 255 // max(w - 1, 1), yy * 255 // max(h - 1, 1), (xx + yy) * 127 // (w + h)], -1)
    return Image.fromarray((img + rs.randint(0, 30, img.shape)).clip(0, 255).astype(np.uint8), "RGB")


cases = [
    dict(key="lm_ddim_cfg7.5_s1.0_64x64", scheduler="ddim", steps=8, guidance=7.5, strength=1.0, seed=4, w=64, h=64,
         n=1, box=(16, 8, 48, 40)),
    dict(key="lm_ddim_cfg7.5_s0.6_64x64", scheduler="ddim", steps=10, guidance=7.5, strength=0.6, seed=6, w=64,
         h=64, n=1, box=(8, 24, 40, 56)),
    dict(key="lm_euler_cfg1.0_s0.75_128x64_batch2", scheduler="euler", steps=8, guidance=1.0, strength=0.75, seed=8,
         w=128, h=64, n=2, box=(64, 16, 112, 56)),
    dict(key="lm_pndm_cfg7.5_s0.8_64x128", scheduler="pndm", steps=10, guidance=7.5, strength=0.8, seed=1, w=64,
         h=128, n=1, box=(0, 48, 40, 104)),
]
records, arrays = [], {}
for c in cases:
    w, h = c["w"], c["h"]
    image = init_image(w, h, c["seed"])
    mask = Image.new("L", (w, h), 0)
    x1, y1, x2, y2 = c["box"]
    ImageDraw.Draw(mask).rectangle((x1, y1, x2 - 1, y2 - 1), fill=255)
    image_file, mask_file = f"images/{c['key']}_init.png", f"images/{c['key']}_mask.png"
    image.save(out / image_file)
    mask.save(out / mask_file)
    pipe = StableDiffusionInpaintPipeline(vae=Vae(), text_encoder=TextEncoder(), tokenizer=parts["tokenizer"],
                                          unet=Unet(), scheduler=make_scheduler(model, c["scheduler"]),
                                          safety_checker=None, feature_extractor=None, image_encoder=None,
                                          requires_safety_checker=False)
    current["rs"] = np.random.RandomState(c["seed"])
    neg = "blurry" if c["guidance"] > 1 else None
    result = pipe("a red circle on a blue background", image=image, mask_image=mask, height=h, width=w,
                  strength=c["strength"], num_inference_steps=c["steps"], guidance_scale=c["guidance"],
                  negative_prompt=neg, num_images_per_prompt=c["n"], output_type="np")
    arrays[c["key"]] = np.asarray(result.images, np.float32)
    records.append(dict(key=c["key"], prompt="a red circle on a blue background", negative_prompt=neg,
                        scheduler=c["scheduler"], steps=c["steps"], guidance_scale=c["guidance"],
                        strength=c["strength"], seed=c["seed"], width=w, height=h, num_images_per_prompt=c["n"],
                        image=image_file, mask=mask_file))
    print(c["key"], arrays[c["key"]].shape, flush=True)
np.savez(out / "refs.npz", **arrays)
(out / "cases.json").write_text(json.dumps(dict(cases=records), indent=1))
