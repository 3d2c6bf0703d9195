"""Reference outputs of Pillow's Image.resize and transformers-style RGB conversion for PilResamplerTest.

Run with Debian's python3 (Pillow 9.4, numpy):  /usr/bin/python3 tools/clip/make_pil_resize_refs.py
It writes small PNG inputs and, for each (input, size, filter), the PNG that Pillow produces, into
src/test/resources/org/ijgenai/core/search/pil/, plus cases.txt listing them.
"""
import os

import numpy as np
from PIL import Image

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "src", "test", "resources", "org", "ijgenai", "core",
                   "search", "pil")
os.makedirs(OUT, exist_ok=True)
rng = np.random.RandomState(7)


def smooth_noise(h, w, c):
    """Noise plus gradients and a sharp edge, so both flat and high-contrast areas are exercised."""
    y, x = np.mgrid[0:h, 0:w]
    base = (x * 255.0 / max(w - 1, 1))[..., None] * np.ones(c) * 0.5 + (y * 255.0 / max(h - 1, 1))[..., None] * 0.3
    base[:, w // 2:] += 90
    noise = rng.randint(0, 80, size=(h, w, c))
    return np.clip(base + noise, 0, 255).astype(np.uint8)


def to_rgb(image):
    """transformers' convert_to_rgb: RGB passes through, anything else is composited on white via RGBA."""
    if image.mode == "RGB":
        return image
    rgba = image.convert("RGBA")
    background = Image.new("RGBA", rgba.size, (255, 255, 255))
    return Image.alpha_composite(background, rgba).convert("RGB")


inputs = {
    "rgb37x23": Image.fromarray(smooth_noise(23, 37, 3), "RGB"),
    "rgba29x31": Image.fromarray(np.concatenate([smooth_noise(31, 29, 3),
                                                 rng.randint(0, 256, size=(31, 29, 1)).astype(np.uint8)], 2), "RGBA"),
    "grey19x17": Image.fromarray(smooth_noise(17, 19, 1)[..., 0], "L"),
}
filters = {"nearest": 0, "lanczos": 1, "bilinear": 2, "bicubic": 3, "box": 4, "hamming": 5}
sizes = [(64, 40), (11, 9), (37, 7), (5, 50)]
lines = []
for name, image in inputs.items():
    image.save(os.path.join(OUT, name + ".png"))
    rgb = to_rgb(image)
    rgb.save(os.path.join(OUT, name + "_rgb.png"))
    for fname, code in filters.items():
        for (w, h) in sizes:
            if fname == "nearest" and (w, h) != (64, 40):
                continue
            out = rgb.resize((w, h), resample=code)
            ref = "%s_%s_%dx%d.png" % (name, fname, w, h)
            out.save(os.path.join(OUT, ref))
            lines.append("%s %d %d %d %s" % (name, code, w, h, ref))
with open(os.path.join(OUT, "cases.txt"), "w") as f:
    f.write("# input filter-code width height expected (made by tools/clip/make_pil_resize_refs.py)\n")
    f.write("\n".join(lines) + "\n")
print(len(lines), "cases")
