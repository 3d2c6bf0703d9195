"""Writes the Pillow Lanczos references for PilLanczosTest: a noisy RGB image and its resizes, all as PNG.

Run with Debian's python3 (Pillow 9.4, numpy): /usr/bin/python3 tools/make_lanczos_reference.py
"""
import os

import numpy as np
from PIL import Image

out = os.path.join(os.path.dirname(__file__), "..", "src", "test", "resources", "org", "ijgenai", "core", "diffusion")
rng = np.random.RandomState(5)
# Noise plus a smooth ramp, so both ringing and plain interpolation are exercised.
ramp = np.linspace(0, 255, 100)[None, :, None] * np.ones((130, 1, 3))
pixels = np.clip(0.5 * ramp + 0.5 * rng.randint(0, 256, (130, 100, 3)), 0, 255).astype(np.uint8)
image = Image.fromarray(pixels, "RGB")
image.save(os.path.join(out, "lanczos_in_100x130.png"))
for (w, h) in [(64, 128), (37, 200), (100, 64)]:
    image.resize((w, h), resample=Image.LANCZOS).save(os.path.join(out, f"lanczos_out_{w}x{h}.png"))
