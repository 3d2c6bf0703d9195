"""References for the empty prompt "": diffusers' own OnnxStableDiffusionPipeline, OnnxStableDiffusionImg2ImgPipeline
(on ../shared/fixtures/tiny-sd-onnx) and OnnxStableDiffusionInpaintPipeline (on tiny-sd-inpaint-onnx), through
../shared/refharness, with prompt="" (encoded like any text: the start and end tokens and padding), with and without
guidance and a negative prompt. Writes OUT/cases.json, OUT/refs.npz and OUT/images/, which
src/test/java/org/ijgenai/cli/EmptyPromptFixtureTest runs through bin/ij-genai txt2img / img2img / inpaint.

Command (from the repository root, after ../shared/refharness/setup with REFHARNESS_BUILD=/tmp/refharness-inpaint):
  REFHARNESS_BUILD=/tmp/refharness-inpaint /usr/bin/python3 tools/prompt/make_empty_prompt_refs.py \
      ../shared/fixtures src/test/resources/empty-prompt
"""
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2].parent / "shared" / "refharness"))
import refharness_env  # noqa: F401,E402  (sys.path + torch patches; must come first)
import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402
from diffusers import (OnnxStableDiffusionImg2ImgPipeline, OnnxStableDiffusionInpaintPipeline,  # noqa: E402
                       OnnxStableDiffusionPipeline)

from harness import load_parts, make_scheduler  # noqa: E402

fixtures, out = Path(sys.argv[1]), Path(sys.argv[2])
(out / "images").mkdir(parents=True, exist_ok=True)
SD, INPAINT = fixtures / "tiny-sd-onnx", fixtures / "tiny-sd-inpaint-onnx"


# The shared fixture's own init picture and rectangle mask (refs/inpaint_images), so no picture is made here.
IMAGES = fixtures / "refs" / "inpaint_images"


cases = [
    dict(key="txt2img_empty_pndm_cfg7.5", kind="txt2img", scheduler="pndm", steps=8, guidance=7.5, seed=3,
         negative=None),
    dict(key="txt2img_empty_ddim_cfg1.0", kind="txt2img", scheduler="ddim", steps=6, guidance=1.0, seed=8,
         negative=None),
    dict(key="txt2img_empty_euler_cfg7.5_negative", kind="txt2img", scheduler="euler", steps=6, guidance=7.5,
         seed=4, negative="blurry"),
    dict(key="img2img_empty_pndm_cfg7.5", kind="img2img", scheduler="pndm", steps=10, guidance=7.5, seed=6,
         negative=None, strength=0.75),
    dict(key="inpaint_empty_ddim_cfg7.5", kind="inpaint", scheduler="ddim", steps=8, guidance=7.5, seed=2,
         negative=None),
    dict(key="inpaint_empty_euler_cfg1.0", kind="inpaint", scheduler="euler", steps=6, guidance=1.0, seed=12,
         negative=None),
]
records, arrays = [], {}
for c in cases:
    w = h = 64
    scheduler = make_scheduler(SD if c["kind"] != "inpaint" else INPAINT, c["scheduler"])
    common = dict(num_inference_steps=c["steps"], guidance_scale=c["guidance"], negative_prompt=c["negative"],
                  generator=np.random.RandomState(c["seed"]), output_type="np")
    record = dict(key=c["key"], kind=c["kind"], prompt="", negative_prompt=c["negative"], scheduler=c["scheduler"],
                  steps=c["steps"], guidance_scale=c["guidance"], seed=c["seed"], width=w, height=h)
    if c["kind"] == "txt2img":
        pipe = OnnxStableDiffusionPipeline(scheduler=scheduler, **load_parts(SD))
        result = pipe("", height=h, width=w, **common)
    else:
        image = Image.open(IMAGES / "init_64x64.png").convert("RGB")
        record["image"] = f"images/{c['key']}_init.png"
        image.save(out / record["image"])
        if c["kind"] == "img2img":
            pipe = OnnxStableDiffusionImg2ImgPipeline(scheduler=scheduler, **load_parts(SD))
            result = pipe("", image=image, strength=c["strength"], **common)
            record["strength"] = c["strength"]
        else:
            mask = Image.open(IMAGES / "mask_rect_64x64.png").convert("L")
            record["mask"] = f"images/{c['key']}_mask.png"
            mask.save(out / record["mask"])
            pipe = OnnxStableDiffusionInpaintPipeline(scheduler=scheduler, **load_parts(INPAINT))
            result = pipe("", image=image, mask_image=mask, height=h, width=w, **common)
    arrays[c["key"]] = result.images.astype(np.float32)
    records.append(record)
    print(c["key"], result.images.shape, flush=True)
np.savez(out / "refs.npz", **arrays)
(out / "cases.json").write_text(json.dumps(dict(cases=records), indent=1))
