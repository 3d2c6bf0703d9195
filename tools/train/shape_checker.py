"""Image analysis that reads a shapes image back: background colour, foreground colour, shape class and count.

Used to score shapes-sd generations against their prompts. Colours are the nearest named dataset colour to the
median of the border (background) and of the pixels far from it (foreground); the shape is the dataset template,
fitted to the largest foreground component's bounding box, with the best intersection-over-union.
"""
import numpy as np
from PIL import Image, ImageDraw
from scipy import ndimage

import shapes_dataset as data

NAMES = list(data.COLOURS)
RGB = np.array([data.COLOURS[n] for n in NAMES], dtype=np.float64)
# Bounding box of each template around its centre, in units of its radius: (left, top, right, bottom).
EXTENT = {
    "circle": (-1, -1, 1, 1), "ring": (-1, -1, 1, 1), "cross": (-1, -1, 1, 1),
    "square": (-0.85, -0.85, 0.85, 0.85),
    "triangle": (-0.866, -1, 0.866, 0.5),
    "star": (-0.951, -1, 0.951, 0.809),
}


def nearest_colour(rgb):
    return NAMES[int(np.argmin(((RGB - np.asarray(rgb, dtype=np.float64)) ** 2).sum(1)))]


def _template(shape, box, size):
    x0, y0, x1, y1 = box
    l, t, r, b = EXTENT[shape]
    radius = max((x1 - x0) / (r - l), (y1 - y0) / (b - t))
    cx = x0 - l * radius
    cy = y0 - t * radius
    img = Image.new("L", (size * data.SUPERSAMPLE, size * data.SUPERSAMPLE), 0)
    data._draw_shape(ImageDraw.Draw(img), shape, cx, cy, radius, 255, 0)
    return np.asarray(img.resize((size, size), Image.BILINEAR)) > 127


def analyse(image):
    """(foreground colour, background colour, shape, count) of a uint8 HxWx3 image; shape None if nothing found."""
    return analyse_fit(image)[:4]


def analyse_fit(image):
    """analyse() plus the intersection-over-union of the best template, which says how cleanly the shape is drawn
    (0 when nothing was found)."""
    img = np.asarray(image, dtype=np.float64)[..., :3]
    h, w = img.shape[:2]
    border = np.concatenate([img[:3].reshape(-1, 3), img[-3:].reshape(-1, 3), img[:, :3].reshape(-1, 3),
                             img[:, -3:].reshape(-1, 3)])
    bg = np.median(border, axis=0)
    dist = np.sqrt(((img - bg) ** 2).sum(-1))
    mask = ndimage.binary_opening(dist > 60, iterations=1)
    labels, n = ndimage.label(mask)
    if n == 0:
        return None, nearest_colour(bg), None, 0, 0.0
    areas = ndimage.sum(mask, labels, range(1, n + 1))
    big = [i + 1 for i, a in enumerate(areas) if a >= 20]
    count = len(big)
    if count == 0:
        return None, nearest_colour(bg), None, 0, 0.0
    main = int(np.argmax(areas)) + 1
    comp = labels == main
    fg = np.median(img[comp], axis=0)
    # Holes belong to the shape's outline (rings), so fit templates to the filled component.
    filled = ndimage.binary_fill_holes(comp)
    ys, xs = np.nonzero(filled)
    box = (xs.min(), ys.min(), xs.max() + 1, ys.max() + 1)
    best, best_iou = None, -1.0
    for shape in data.SHAPES:
        tmpl = _template(shape, box, max(h, w))[:h, :w]
        inter = np.logical_and(tmpl, comp).sum()
        union = np.logical_or(tmpl, comp).sum()
        iou = inter / max(union, 1)
        if iou > best_iou:
            best, best_iou = shape, iou
    return nearest_colour(fg), nearest_colour(bg), best, count, float(best_iou)


def agrees(image, colour, shape, background, count=1):
    fg, bg, sh, n = analyse(image)
    return fg == colour and bg == background and sh == shape and n == count


if __name__ == "__main__":
    import argparse
    p = argparse.ArgumentParser(description="Validate the checker on ground-truth dataset renders")
    p.add_argument("--n", type=int, default=600)
    p.add_argument("--seed", type=int, default=99)
    a = p.parse_args()
    ok = 0
    errors = {}
    for i in range(a.n):
        im, cap, at = data.sample(a.seed, i, data.all_combinations())
        res = analyse(im)
        good = res == (at["colour"], at["background"], at["shape"], at["count"])
        ok += good
        if not good:
            key = f"{at['shape']}->{res[2]}" if res[2] != at["shape"] else f"colour/count {at} -> {res}"
            errors[key] = errors.get(key, 0) + 1
    print(f"checker accuracy on {a.n} ground-truth renders: {ok / a.n:.4f}")
    for k, v in sorted(errors.items(), key=lambda kv: -kv[1])[:10]:
        print("  ", v, k)
