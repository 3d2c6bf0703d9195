"""Extra inpainting references beyond the shared fixture set: diffusers' own OnnxStableDiffusionInpaintPipeline
(through ../shared/refharness) on ../shared/fixtures/tiny-sd-inpaint-onnx for the schedulers, sizes, batches and
mask kinds the issue's hidden cases name (euler, dpmpp_2m, 128x64, a batch of 2, a soft-edged mask, a rectangle off
the 8-pixel grid). Writes OUT/cases.json, OUT/refs.npz and OUT/images/, which src/test/java/org/ijgenai/cli/InpaintFixtureTest
runs from src/test/resources/inpaint-checks.

Command (after ../shared/refharness/setup with REFHARNESS_BUILD=/tmp/refharness-inpaint):
  REFHARNESS_BUILD=/tmp/refharness-inpaint /usr/bin/python3 tools/inpaint/make_inpaint_checks.py \
      ../shared/fixtures/tiny-sd-inpaint-onnx src/test/resources/inpaint-checks
"""
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2].parent / "shared" / "refharness"))
import refharness_env  # noqa: F401,E402
import numpy as np  # noqa: E402
from PIL import Image, ImageDraw, ImageFilter  # noqa: E402
from diffusers import OnnxStableDiffusionInpaintPipeline  # noqa: E402

from harness import load_parts, make_scheduler  # noqa: E402

model, out = Path(sys.argv[1]), Path(sys.argv[2])
(out / "images").mkdir(parents=True, exist_ok=True)


def init_image(w, h, seed):
    rs = np.random.RandomState(seed)
    yy, xx = np.mgrid[0:h, 0:w]
    img = np.stack([xx * 255 // max(w - 1, 1), yy * 255 // max(h - 1, 1), (xx + yy) * 127 // (w + h)], -1)
    img = (img + rs.randint(0, 30, img.shape)).clip(0, 255).astype(np.uint8)
    return Image.fromarray(img, "RGB")


def rect_mask(w, h, box):
    m = Image.new("L", (w, h), 0)
    ImageDraw.Draw(m).rectangle(box, fill=255)
    return m


def soft_mask(w, h):
    m = Image.new("L", (w, h), 0)
    ImageDraw.Draw(m).polygon([(w * 0.2, h * 0.3), (w * 0.7, h * 0.15), (w * 0.85, h * 0.7), (w * 0.35, h * 0.85)],
                              fill=255)
    return m.filter(ImageFilter.GaussianBlur(3))


cases = [
    dict(key="euler_cfg7.5_rect_offgrid_64x64", scheduler="euler", steps=8, guidance=7.5, seed=11, w=64, h=64,
         n=1, mask=("rect", (13, 9, 45, 37))),
    dict(key="dpmpp_2m_cfg1.0_soft_64x64", scheduler="dpmpp_2m", steps=8, guidance=1.0, seed=5, w=64, h=64, n=1,
         mask=("soft",)),
    dict(key="ddim_cfg7.5_rect_128x64_batch2", scheduler="ddim", steps=6, guidance=7.5, seed=9, w=64, h=128, n=2,
         mask=("rect", (5, 70, 50, 117))),
    dict(key="euler_cfg1.0_soft_64x128", scheduler="euler", steps=6, guidance=1.0, seed=2, w=128, h=64, n=1,
         mask=("soft",)),
]
records = []
arrays = {}
for c in cases:
    w, h = c["w"], c["h"]
    image = init_image(w, h, c["seed"])
    mask = rect_mask(w, h, c["mask"][1]) if c["mask"][0] == "rect" else soft_mask(w, h)
    image_file, mask_file = f"images/{c['key']}_init.png", f"images/{c['key']}_mask.png"
    image.save(out / image_file)
    mask.save(out / mask_file)
    pipe = OnnxStableDiffusionInpaintPipeline(scheduler=make_scheduler(model, c["scheduler"]), **load_parts(model))
    neg = "blurry" if c["guidance"] > 1 else None
    result = pipe("a red circle on a blue background", image=image, mask_image=mask, height=h, width=w,
                  num_inference_steps=c["steps"], guidance_scale=c["guidance"], negative_prompt=neg,
                  num_images_per_prompt=c["n"], generator=np.random.RandomState(c["seed"]), output_type="np")
    arrays[c["key"]] = result.images.astype(np.float32)
    records.append(dict(key=c["key"], prompt="a red circle on a blue background", negative_prompt=neg,
                        scheduler=c["scheduler"], steps=c["steps"], guidance_scale=c["guidance"], seed=c["seed"],
                        width=w, height=h, num_images_per_prompt=c["n"], image=image_file, mask=mask_file))
    print(c["key"], result.images.shape, flush=True)
np.savez(out / "refs.npz", **arrays)
(out / "cases.json").write_text(json.dumps(dict(cases=records), indent=1))
