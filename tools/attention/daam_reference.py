"""DAAM's heat-map aggregation written out independently in numpy, on synthetic cross-attention maps, as the
reference for DaamHeatMapsTest.

What it computes (DAAM, castorini/daam, daam/trace.py compute_global_heat_map and daam/heatmap.py):
- per layer and head, the conditional image's [queries, keys] probabilities are summed over the chosen steps
  (RawHeatMapCollection.update adds each step);
- per token, that sum laid out on the layer's grid is upsampled bicubically to the latent grid
  (F.interpolate(mode="bicubic"), align_corners False) and clamped at 0;
- the mean over every (layer, head) is the token's map; the first len(prompt tokens) + 2 are kept;
- normalize: maps / (sum of maps[1:-1] + 1e-6);
- a word's map is the mean of its tokens' maps (compute_word_heat_map), expanded to the image size bicubically
  (WordHeatMap.expand_as) and, for display, min-max scaled: (x - min) / (max - min + 1e-8).
The latent grid here is not square (8x12), which DAAM does not handle; each layer's grid is the latent grid halved.

The bicubic kernel is Keys' cubic convolution with a = -0.75 at source coordinate (dst + 0.5) * in / out - 0.5 with
border pixels repeated, written here in float64; the script checks it against torch's F.interpolate when torch is
importable.

Exact command (from the repository root; Debian's python3 with python3-numpy, optionally python3-torch):
  /usr/bin/python3 tools/attention/daam_reference.py src/test/resources/org/ijgenai/core/attention/daam_refs.npz
"""
import sys

import numpy as np

OUT = sys.argv[1] if len(sys.argv) > 1 else "src/test/resources/org/ijgenai/core/attention/daam_refs.npz"
LATENT = (8, 12)
GRIDS = [(8, 12), (4, 6), (2, 3), (4, 6), (8, 12)]
HEADS, KEYS, STEPS, IMAGES = 2, 77, 3, 2
IMAGE = 1  # the second image, so image indexing is checked too
PROMPT_TOKENS = 4
CHOSEN_STEPS = [1, 3]  # 1-based
WORDS = [[1], [2, 3], [4]]
IMAGE_SIZE = (64, 96)
A = -0.75


def kernel(x):
    x = abs(x)
    if x <= 1:
        return ((A + 2) * x - (A + 3)) * x * x + 1
    if x < 2:
        return ((A * x - 5 * A) * x + 8 * A) * x - 4 * A
    return 0.0


def weights(size_in, size_out):
    """[size_out, size_in] interpolation matrix of torch's bicubic, align_corners=False."""
    m = np.zeros((size_out, size_in))
    scale = size_in / size_out
    for o in range(size_out):
        src = (o + 0.5) * scale - 0.5
        base = int(np.floor(src))
        t = src - base
        for k, offset in enumerate((-1, 0, 1, 2)):
            i = min(max(base + offset, 0), size_in - 1)
            m[o, i] += kernel(t - offset)
    return m


def bicubic(plane, out_h, out_w):
    h, w = plane.shape
    return weights(h, out_h) @ plane.astype(np.float64) @ weights(w, out_w).T


def check_against_torch():
    try:
        import torch
        import torch.nn.functional as F
    except ImportError:
        print("torch not importable: bicubic not cross-checked")
        return
    rng = np.random.RandomState(3)
    for (h, w), (oh, ow) in [((2, 3), (8, 12)), ((8, 12), (64, 96)), ((5, 7), (9, 4))]:
        x = rng.rand(h, w).astype(np.float32)
        ref = F.interpolate(torch.from_numpy(x)[None, None], size=(oh, ow), mode="bicubic")[0, 0].numpy()
        diff = np.abs(bicubic(x, oh, ow) - ref).max()
        assert diff < 1e-5, diff
    print("numpy bicubic = torch F.interpolate(bicubic) within 1e-5")


def token_maps(probs, chosen, factors=None, normalize=False):
    merges = []
    for layer, (gh, gw) in enumerate(GRIDS):
        factor = max(1, round(LATENT[0] / gh))
        if factors is not None and factor not in factors:
            continue
        summed = sum(probs[layer][s - 1, IMAGE] for s in chosen).astype(np.float64)  # [heads, q, keys]
        for head in range(HEADS):
            per_token = summed[head].T.reshape(KEYS, gh, gw)
            up = np.stack([np.maximum(bicubic(m, *LATENT), 0) for m in per_token])
            merges.append(up)
    maps = np.mean(np.stack(merges), axis=0)[: PROMPT_TOKENS + 2]
    if normalize:
        maps = maps / (maps[1:-1].sum(0, keepdims=True) + 1e-6)
    return maps.reshape(maps.shape[0], -1)


def main():
    check_against_torch()
    rng = np.random.RandomState(11)
    probs = []
    out = {}
    for layer, (gh, gw) in enumerate(GRIDS):
        logits = rng.randn(STEPS, IMAGES, HEADS, gh * gw, KEYS) * 2.0
        p = np.exp(logits - logits.max(-1, keepdims=True))
        p = (p / p.sum(-1, keepdims=True)).astype(np.float32)
        probs.append(p)
        out["layer%d" % layer] = p
    out["grids"] = np.array(GRIDS, np.int64)
    out["tokens"] = token_maps(probs, CHOSEN_STEPS).astype(np.float32)
    out["tokens_normalized"] = token_maps(probs, CHOSEN_STEPS, normalize=True).astype(np.float32)
    out["tokens_factor2"] = token_maps(probs, [1, 2, 3], factors={2}).astype(np.float32)
    tokens = out["tokens"].astype(np.float64).reshape(-1, *LATENT)
    for i, positions in enumerate(WORDS):
        word = tokens[positions].mean(0)
        expanded = bicubic(word, *IMAGE_SIZE)
        out["word%d" % i] = expanded.reshape(-1).astype(np.float32)
        out["word%d_minmax" % i] = ((expanded - expanded.min()) / (expanded.max() - expanded.min() + 1e-8)) \
            .reshape(-1).astype(np.float32)
    np.savez(OUT, **out)
    print("wrote", OUT)


if __name__ == "__main__":
    main()
