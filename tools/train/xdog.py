"""XDoG (eXtended Difference of Gaussians, Winnemoeller et al. 2012): the classical line-drawing filter whose
output ink-gan learns to imitate. Parameters are fixed so the targets are reproducible."""
import numpy as np
from scipy.ndimage import gaussian_filter

SIGMA, K, P, EPSILON, PHI = 1.0, 1.6, 20.0, 0.3, 15.0


def luminance(rgb):
    """ITU-R 601 luma of uint8 RGB (H, W, 3), in [0, 1]."""
    rgb = rgb.astype(np.float64) / 255.0
    return rgb[..., 0] * 0.299 + rgb[..., 1] * 0.587 + rgb[..., 2] * 0.114


def xdog(rgb):
    """The ink drawing of an RGB uint8 image, as uint8 RGB (black lines on white)."""
    g = luminance(rgb)
    g1 = gaussian_filter(g, SIGMA)
    g2 = gaussian_filter(g, SIGMA * K)
    s = (1 + P) * g1 - P * g2
    e = np.where(s >= EPSILON, 1.0, 1.0 + np.tanh(PHI * (s - EPSILON)))
    e = np.clip(e, 0, 1)
    out = np.rint(e * 255).astype(np.uint8)
    return np.repeat(out[..., None], 3, axis=2)
