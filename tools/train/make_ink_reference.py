"""Writes the XDoG drawing of samples/chelsea.png (held out from ink-gan's training) that InkGanDescriptorTest
compares the shipped ink-gan, run through `ij-genai style` with its descriptor, against.

Run with Debian's python3 (numpy, scipy, PIL):  /usr/bin/python3 tools/train/make_ink_reference.py
"""
import os
import sys

import numpy as np
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import xdog  # noqa: E402

src = os.path.join(ROOT, "samples", "chelsea.png")
out = os.path.join(ROOT, "src", "test", "resources", "org", "ijgenai", "cli", "ink", "chelsea-xdog.png")
target = xdog.xdog(np.asarray(Image.open(src).convert("RGB")))[..., 0]
Image.fromarray(target, mode="L").save(out)
print("wrote", out, target.shape)
