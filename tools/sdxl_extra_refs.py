"""More SDXL references over ../shared/fixtures/tiny-sdxl-onnx, made by diffusers' own StableDiffusionXLPipeline
(the cases the shared refs/sdxl_cases.json lacks: DDIM, DPM++ 2M, a non-square size, a batch of 2, Turbo-style
trailing spacing with 1 and 4 steps, an explicit "" negative, prompt_2 / negative_prompt_2), with the conventions of
refs/sdxl_cases.json; and StableDiffusionXLImg2ImgPipeline cases whose random draws (the 8-channel VAE latent
sample, then the noise) come, in the pipeline's order, from numpy's RandomState(seed) instead of torch's generator
(randn_tensor is replaced; nothing else is). Also writes the int32-input_ids variants of both text encoders (older
exports' dtype) and the img2img init image.

The networks are thin facades over the ONNX files, called through refharness's onnxruntime shim (real ONNX Runtime
via its Java binding), as Optimum's ORT pipelines call their sessions; the pipeline code is diffusers', unchanged.

Command (from the repository root, after ../shared/refharness/setup; REFHARNESS_BUILD its build folder):
  REFHARNESS_BUILD=/tmp/refharness-inpaint /usr/bin/python3 tools/sdxl_extra_refs.py \
      ../shared/fixtures/tiny-sdxl-onnx src/test/resources/org/ijgenai/core/diffusion/sdxl
"""
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1].parent / "shared" / "refharness"))
import refharness_env  # noqa: E402,F401  (sys.path + torch patches; must come first)

import numpy as np  # noqa: E402
import onnx  # noqa: E402
import onnxruntime as ort  # noqa: E402  (the shim)
import torch  # noqa: E402
from diffusers import (DDIMScheduler, DPMSolverMultistepScheduler, EulerDiscreteScheduler,  # noqa: E402
                       StableDiffusionXLImg2ImgPipeline, StableDiffusionXLPipeline)
from diffusers.models.autoencoders import vae as vae_module  # noqa: E402
from diffusers.pipelines.stable_diffusion_xl import pipeline_stable_diffusion_xl_img2img as img2img_module  # noqa: E402
from PIL import Image  # noqa: E402
from transformers import CLIPTokenizer  # noqa: E402

SCHEDS = {"euler": EulerDiscreteScheduler, "ddim": DDIMScheduler, "dpmpp_2m": DPMSolverMultistepScheduler}


class Config(dict):
    """A diffusers-style config: attribute and item access."""
    __getattr__ = dict.get


class Session:
    def __init__(self, path):
        self.sess = ort.InferenceSession(str(path))
        self.inputs = {i.name: i.type for i in self.sess.get_inputs()}
        self.outputs = [o.name for o in self.sess.get_outputs()]

    def run(self, feed):
        return dict(zip(self.outputs, self.sess.run(None, feed)))


class TextOutput(tuple):
    """What transformers' CLIP models return with output_hidden_states=True: [0] and .hidden_states."""


class TextEncoderFacade:
    dtype = torch.float32
    device = torch.device("cpu")

    def __init__(self, folder, first_output):
        self.session = Session(folder / "model.onnx")
        self.config = Config(json.loads((folder / "config.json").read_text()))
        self.first = first_output

    def __call__(self, input_ids, output_hidden_states=False):
        dtype = np.int32 if self.session.inputs["input_ids"] == "tensor(int32)" else np.int64
        out = self.session.run({"input_ids": input_ids.numpy().astype(dtype)})
        hidden = sorted((k for k in out if k.startswith("hidden_states.")), key=lambda k: int(k.split(".")[1]))
        result = TextOutput([torch.from_numpy(out[self.first])])
        result.hidden_states = tuple(torch.from_numpy(out[k]) for k in hidden)
        return result


class UnetFacade:
    dtype = torch.float32
    device = torch.device("cpu")

    def __init__(self, folder):
        self.session = Session(folder / "model.onnx")
        self.config = Config(json.loads((folder / "config.json").read_text()))
        width = self.config.addition_time_embed_dim * 6 + self.config.text_encoder_projection_dim
        self.add_embedding = Config(linear_1=Config(in_features=width))
        self.timesteps = []

    def __call__(self, sample, timestep, encoder_hidden_states, timestep_cond=None, cross_attention_kwargs=None,
                 added_cond_kwargs=None, return_dict=False):
        self.timesteps.append(float(timestep))
        feed = {"sample": sample.numpy(), "timestep": np.array(float(timestep), dtype=np.float32),
                "encoder_hidden_states": encoder_hidden_states.numpy(),
                "text_embeds": added_cond_kwargs["text_embeds"].numpy(),
                "time_ids": added_cond_kwargs["time_ids"].numpy()}
        return (torch.from_numpy(self.session.run(feed)["out_sample"]),)


class VaeFacade:
    dtype = torch.float32
    device = torch.device("cpu")

    def __init__(self, folder):
        self.folder = folder
        self.encoder = None
        self.decoder = Session(folder / "vae_decoder" / "model.onnx")
        self.config = Config(json.loads((folder / "vae_decoder" / "config.json").read_text()))

    def to(self, *args, **kwargs):
        return self  # the ONNX sessions are float32 already (force_upcast asks for float32)

    def encode(self, image, return_dict=True):
        if self.encoder is None:
            self.encoder = Session(self.folder / "vae_encoder" / "model.onnx")
        parameters = self.encoder.run({"sample": image.numpy()})["latent_parameters"]
        return Config(latent_dist=vae_module.DiagonalGaussianDistribution(torch.from_numpy(parameters)))

    def decode(self, latents, return_dict=False):
        return (torch.from_numpy(self.decoder.run({"latent_sample": latents.numpy()})["sample"]),)


CASES = [
    dict(key="x_ddim_cfg5_neg", prompt="a red circle on a blue background", negative_prompt="blurry",
         scheduler="ddim", steps=6, guidance_scale=5.0, seed=21),
    dict(key="x_dpmpp2m_cfg6", prompt="an astronaut riding a horse on the moon, oil painting",
         negative_prompt="low quality", scheduler="dpmpp_2m", steps=7, guidance_scale=6.0, seed=22),
    dict(key="x_euler_nonsquare", prompt="a red circle on a blue background", negative_prompt="blurry",
         scheduler="euler", steps=5, guidance_scale=4.0, seed=23, height=48, width=80),
    dict(key="x_euler_batch2", prompt="an astronaut riding a horse", negative_prompt=None, scheduler="euler",
         steps=5, guidance_scale=7.0, seed=24, num_images_per_prompt=2),
    dict(key="x_euler_negemptystr", prompt="a red circle on a blue background", negative_prompt="",
         scheduler="euler", steps=6, guidance_scale=7.0, seed=25),
    dict(key="x_euler_prompt2", prompt="a red circle", prompt_2="oil painting of the moon",
         negative_prompt="blurry", negative_prompt_2="low quality", scheduler="euler", steps=5, guidance_scale=5.0,
         seed=26),
    dict(key="x_turbo_trailing_1step", prompt="a red circle on a blue background", negative_prompt=None,
         scheduler="euler", scheduler_overrides={"timestep_spacing": "trailing"}, steps=1, guidance_scale=0.0,
         seed=27),
    dict(key="x_turbo_trailing_4step", prompt="an astronaut riding a horse on the moon", negative_prompt=None,
         scheduler="euler", scheduler_overrides={"timestep_spacing": "trailing"}, steps=4, guidance_scale=0.0,
         seed=28),
    dict(key="x_int32_ids_cfg5_neg", model="int32", prompt="Hello, World! 123 café",
         negative_prompt="blurry, low quality", scheduler="euler", steps=4, guidance_scale=5.0, seed=29),
]


IMG2IMG_CASES = [
    dict(key="x_img2img_euler_s0.6", prompt="an oil painting of a red circle", negative_prompt="blurry",
         scheduler="euler", steps=5, guidance_scale=5.0, seed=31, strength=0.6),
    dict(key="x_img2img_ddim_s0.5_batch2", prompt="a watercolor", negative_prompt=None, scheduler="ddim", steps=6,
         guidance_scale=6.0, seed=32, strength=0.5, num_images_per_prompt=2),
]


def init_image():
    """A 64x64 RGB test picture: a colour ramp with a dark disc."""
    y, x = np.mgrid[0:64, 0:64]
    rgb = np.stack([x * 4, y * 4, 255 - (x + y) * 2], axis=-1).clip(0, 255)
    rgb[(x - 40) ** 2 + (y - 24) ** 2 < 150] = [20, 30, 40]
    return Image.fromarray(rgb.astype(np.uint8), "RGB")


def numpy_draws(seed):
    """randn_tensor replaced: every draw, in the pipeline's order, from one RandomState(seed), as ij-genai draws."""
    rs = np.random.RandomState(seed)
    return lambda shape, generator=None, device=None, dtype=None, layout=None: torch.from_numpy(
        rs.randn(*shape).astype(np.float32))


def int32_variant(src, dst):
    """A text encoder whose input_ids are int32, as exports made before late 2024 have: the graph casts to int64."""
    model = onnx.load(str(src))
    graph = model.graph
    ids = next(i for i in graph.input if i.name == "input_ids")
    ids.type.tensor_type.elem_type = onnx.TensorProto.INT32
    for node in graph.node:
        node.input[:] = ["input_ids_int64" if n == "input_ids" else n for n in node.input]
    graph.node.insert(0, onnx.helper.make_node("Cast", ["input_ids"], ["input_ids_int64"],
                                               to=onnx.TensorProto.INT64))
    onnx.checker.check_model(model)
    dst.parent.mkdir(parents=True, exist_ok=True)
    onnx.save(model, str(dst))


def pipeline(model_dir, encoders_dir, scheduler, cls=StableDiffusionXLPipeline):
    return cls(
        vae=VaeFacade(model_dir),
        text_encoder=TextEncoderFacade(encoders_dir / "text_encoder", "last_hidden_state"),
        text_encoder_2=TextEncoderFacade(encoders_dir / "text_encoder_2", "text_embeds"),
        tokenizer=CLIPTokenizer.from_pretrained(str(model_dir / "tokenizer")),
        tokenizer_2=CLIPTokenizer.from_pretrained(str(model_dir / "tokenizer_2")),
        unet=UnetFacade(model_dir / "unet"), scheduler=scheduler,
        force_zeros_for_empty_prompt=json.loads((model_dir / "model_index.json").read_text())
        ["force_zeros_for_empty_prompt"], add_watermarker=False)


def main(model_dir, out_dir):
    model_dir, out_dir = Path(model_dir), Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    int32_dir = out_dir / "int32"
    for part in ("text_encoder", "text_encoder_2"):
        int32_variant(model_dir / part / "model.onnx", int32_dir / part / "model.onnx")
        (int32_dir / part / "config.json").write_text((model_dir / part / "config.json").read_text())
    base_config = json.loads((model_dir / "scheduler" / "scheduler_config.json").read_text())
    arrays, cases = {}, []
    for case in CASES:
        c = dict(dict(negative_prompt=None, prompt_2=None, negative_prompt_2=None, scheduler_overrides={},
                      height=64, width=64, num_images_per_prompt=1, model="tiny-sdxl-onnx"), **case)
        config = {k: v for k, v in base_config.items() if k != "_class_name"}
        config.update(c["scheduler_overrides"])
        scheduler = SCHEDS[c["scheduler"]].from_config(config)
        encoders = int32_dir if c["model"] == "int32" else model_dir
        pipe = pipeline(model_dir, encoders, scheduler)
        n = c["num_images_per_prompt"]
        latents = np.random.RandomState(c["seed"]).randn(n, 4, c["height"] // 8, c["width"] // 8).astype(np.float32)
        image = pipe(c["prompt"], prompt_2=c["prompt_2"], negative_prompt=c["negative_prompt"],
                     negative_prompt_2=c["negative_prompt_2"], height=c["height"], width=c["width"],
                     num_inference_steps=c["steps"], guidance_scale=c["guidance_scale"], num_images_per_prompt=n,
                     latents=torch.from_numpy(latents), output_type="np").images
        arrays[c["key"]] = np.asarray(image, dtype=np.float32)
        arrays[c["key"] + "_latents"] = latents
        arrays[c["key"] + "_timesteps"] = np.asarray(pipe.unet.timesteps, dtype=np.float32)
        c.update(kind="sdxl_txt2img", scheduler_class=type(scheduler).__name__,
                 scheduler_config=dict(scheduler.config), output_shape=list(arrays[c["key"]].shape))
        cases.append(c)
        print(c["key"], arrays[c["key"]].shape, flush=True)
    image = init_image()
    image.save(out_dir / "sdxl_init.png")
    for case in IMG2IMG_CASES:
        c = dict(dict(negative_prompt=None, prompt_2=None, negative_prompt_2=None, scheduler_overrides={},
                      num_images_per_prompt=1, model="tiny-sdxl-onnx", init="sdxl_init.png"), **case)
        config = {k: v for k, v in base_config.items() if k != "_class_name"}
        scheduler = SCHEDS[c["scheduler"]].from_config(config)
        pipe = pipeline(model_dir, model_dir, scheduler, StableDiffusionXLImg2ImgPipeline)
        draws = numpy_draws(c["seed"])
        vae_module.randn_tensor = img2img_module.randn_tensor = draws
        out = pipe(c["prompt"], image=image, strength=c["strength"], negative_prompt=c["negative_prompt"],
                   num_inference_steps=c["steps"], guidance_scale=c["guidance_scale"],
                   num_images_per_prompt=c["num_images_per_prompt"], output_type="np").images
        arrays[c["key"]] = np.asarray(out, dtype=np.float32)
        arrays[c["key"] + "_timesteps"] = np.asarray(pipe.unet.timesteps, dtype=np.float32)
        c.update(kind="sdxl_img2img", scheduler_class=type(scheduler).__name__,
                 scheduler_config=dict(scheduler.config), output_shape=list(arrays[c["key"]].shape))
        cases.append(c)
        print(c["key"], arrays[c["key"]].shape, pipe.unet.timesteps, flush=True)
    (out_dir / "sdxl_extra_cases.json").write_text(json.dumps(dict(
        made_with="tools/sdxl_extra_refs.py: diffusers StableDiffusionXLPipeline with ONNX facades via refharness",
        conventions="as ../shared/fixtures/refs/sdxl_cases.json; model 'int32' = tiny-sdxl-onnx with the text"
                    " encoders of int32/ (input_ids int32)", cases=cases), indent=1, default=str))
    np.savez(out_dir / "sdxl_extra_refs.npz", **arrays)
    check_facades(model_dir, base_config)


def check_facades(model_dir, base_config):
    """Re-makes the shared set's sdxl_euler_cfg5_neg with these facades and prints the largest difference."""
    refs = model_dir.parent / "refs"
    case = next(c for c in json.loads((refs / "sdxl_cases.json").read_text())["cases"]
                if c.get("key") == "sdxl_euler_cfg5_neg")
    shared = np.load(refs / "sdxl_refs.npz")
    config = {k: v for k, v in base_config.items() if k != "_class_name"}
    pipe = pipeline(model_dir, model_dir, EulerDiscreteScheduler.from_config(config))
    image = pipe(case["prompt"], negative_prompt=case["negative_prompt"], height=64, width=64,
                 num_inference_steps=case["steps"], guidance_scale=case["guidance_scale"],
                 latents=torch.from_numpy(shared["sdxl_euler_cfg5_neg_latents"]), output_type="np").images
    print("facade check: max |diff| vs shared sdxl_euler_cfg5_neg =",
          float(np.abs(np.asarray(image) - shared["sdxl_euler_cfg5_neg"]).max()))


if __name__ == "__main__":
    main(*sys.argv[1:])
