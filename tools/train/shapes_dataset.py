"""Synthetic captioned shapes: 64x64 images of simple shapes, generated reproducibly from a seed.

Every image is a pure function of (seed, index), so the dataset never needs to be stored.
Held-out combinations (colour, shape, background) never appear in training and are used for evaluation.
"""
import math

import numpy as np
from PIL import Image, ImageDraw

SIZE = 64
SUPERSAMPLE = 4

SHAPES = ["circle", "square", "triangle", "star", "ring", "cross"]
COLOURS = {
    "red": (220, 40, 40),
    "green": (40, 170, 60),
    "blue": (40, 70, 220),
    "yellow": (235, 215, 40),
    "orange": (240, 140, 30),
    "purple": (140, 50, 180),
    "white": (240, 240, 240),
    "black": (25, 25, 25),
}
COLOUR_NAMES = list(COLOURS)
SIZES = {"small": (8.0, 11.0), "large": (16.0, 21.0)}
PLURALS = {"circle": "circles", "square": "squares", "triangle": "triangles", "star": "stars",
           "ring": "rings", "cross": "crosses"}


def all_combinations():
    """Every (colour, shape, background) triple with distinct colours."""
    return [(c, s, b) for c in COLOUR_NAMES for s in SHAPES for b in COLOUR_NAMES if b != c]


def held_out_combinations():
    """A documented, fixed 1-in-12 set of triples kept out of training (never red-circle-on-blue)."""
    held = []
    for i, combo in enumerate(all_combinations()):
        if combo == ("red", "circle", "blue"):
            continue
        if (i * 7) % 12 == 5:
            held.append(combo)
    return held


def training_combinations():
    held = set(held_out_combinations())
    return [c for c in all_combinations() if c not in held]


def _shape_polygon(shape, cx, cy, r):
    if shape == "square":
        h = r * 0.85
        return [(cx - h, cy - h), (cx + h, cy - h), (cx + h, cy + h), (cx - h, cy + h)]
    if shape == "triangle":
        return [(cx + r * math.cos(a), cy + r * math.sin(a))
                for a in (-math.pi / 2, -math.pi / 2 + 2 * math.pi / 3, -math.pi / 2 + 4 * math.pi / 3)]
    if shape == "star":
        pts = []
        for k in range(10):
            rad = r if k % 2 == 0 else r * 0.45
            a = -math.pi / 2 + k * math.pi / 5
            pts.append((cx + rad * math.cos(a), cy + rad * math.sin(a)))
        return pts
    if shape == "cross":
        w = r * 0.33
        return [(cx - w, cy - r), (cx + w, cy - r), (cx + w, cy - w), (cx + r, cy - w), (cx + r, cy + w),
                (cx + w, cy + w), (cx + w, cy + r), (cx - w, cy + r), (cx - w, cy + w), (cx - r, cy + w),
                (cx - r, cy - w), (cx - w, cy - w)]
    raise ValueError(shape)


def _draw_shape(draw, shape, cx, cy, r, fg, bg):
    s = SUPERSAMPLE
    cx, cy, r = cx * s, cy * s, r * s
    if shape == "circle":
        draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=fg)
    elif shape == "ring":
        draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=fg)
        ri = r * 0.55
        draw.ellipse([cx - ri, cy - ri, cx + ri, cy + ri], fill=bg)
    else:
        draw.polygon(_shape_polygon(shape, cx, cy, r), fill=fg)


def render(colour, shape, background, count, size_name, rng):
    """Renders one image as uint8 HxWx3 with the given attributes; position, exact size and noise from rng."""
    fg, bg = COLOURS[colour], COLOURS[background]
    img = Image.new("RGB", (SIZE * SUPERSAMPLE, SIZE * SUPERSAMPLE), bg)
    draw = ImageDraw.Draw(img)
    lo, hi = SIZES[size_name]
    if count == 1:
        r = rng.uniform(lo, hi)
        margin = r + 2
        cx, cy = rng.uniform(margin, SIZE - margin), rng.uniform(margin, SIZE - margin)
        _draw_shape(draw, shape, cx, cy, r, fg, bg)
    else:
        r = rng.uniform(7.0, 10.0)
        horizontal = rng.rand() < 0.5
        c = rng.uniform(r + 3, SIZE - r - 3)
        a, b = 16.0 + rng.uniform(-3, 3), 48.0 + rng.uniform(-3, 3)
        for p in (a, b):
            cx, cy = (p, c) if horizontal else (c, p)
            _draw_shape(draw, shape, cx, cy, r, fg, bg)
    img = img.resize((SIZE, SIZE), Image.LANCZOS)
    arr = np.asarray(img).astype(np.float32)
    # Slight texture: a soft illumination gradient and sensor noise.
    yy, xx = np.mgrid[0:SIZE, 0:SIZE] / SIZE
    angle = rng.uniform(0, 2 * math.pi)
    grad = (np.cos(angle) * (xx - 0.5) + np.sin(angle) * (yy - 0.5)) * rng.uniform(0, 16)
    arr = arr + grad[..., None] + rng.normal(0, 3.0, arr.shape)
    return np.clip(np.rint(arr), 0, 255).astype(np.uint8)


def _article(word):
    return "an" if word[0] in "aeiou" else "a"


def caption(colour, shape, background, count, size_name, style):
    """The caption of an image; style 0 full, 1 with size, 2 no background, 3 bare 'colour shape'."""
    if count == 2:
        return f"two {colour} {PLURALS[shape]} on {_article(background)} {background} background"
    if style == 1:
        return f"a {size_name} {colour} {shape} on {_article(background)} {background} background"
    if style == 2:
        return f"{_article(colour)} {colour} {shape}"
    if style == 3:
        return f"{colour} {shape}"
    return f"{_article(colour)} {colour} {shape} on {_article(background)} {background} background"


def sample(seed, index, combos):
    """Item `index` of the dataset defined by `seed`: (uint8 image, caption, attributes)."""
    rng = np.random.RandomState((seed * 1_000_003 + index) % (2 ** 32))
    colour, shape, background = combos[rng.randint(len(combos))]
    count = 2 if rng.rand() < 0.15 else 1
    size_name = "small" if rng.rand() < 0.5 else "large"
    u = rng.rand()
    style = 0 if u < 0.5 else 1 if u < 0.85 else 2 if u < 0.95 else 3
    image = render(colour, shape, background, count, size_name, rng)
    return image, caption(colour, shape, background, count, size_name, style), dict(
        colour=colour, shape=shape, background=background, count=count, size=size_name)


def batch(seed, start, n, combos):
    images, captions, attrs = [], [], []
    for i in range(start, start + n):
        im, cap, at = sample(seed, i, combos)
        images.append(im)
        captions.append(cap)
        attrs.append(at)
    return np.stack(images), captions, attrs


if __name__ == "__main__":
    import argparse
    import os
    p = argparse.ArgumentParser(description="Write a folder of shapes images with captions.txt")
    p.add_argument("--out", required=True)
    p.add_argument("--n", type=int, default=64)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--held-out", action="store_true", help="draw only held-out combinations")
    a = p.parse_args()
    os.makedirs(a.out, exist_ok=True)
    combos = held_out_combinations() if a.held_out else training_combinations()
    with open(os.path.join(a.out, "captions.txt"), "w") as f:
        for i in range(a.n):
            im, cap, _ = sample(a.seed, i, combos)
            name = f"shape_{i:04d}.png"
            Image.fromarray(im).save(os.path.join(a.out, name))
            f.write(f"{name}\t{cap}\n")
