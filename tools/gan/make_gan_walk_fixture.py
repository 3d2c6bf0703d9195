"""Reference for GAN Latent Walk: the trained PyTorch shapes-gan generator (not its ONNX export) run on z's made
independently of the Java code, written to src/test/resources/gan/shapes-gan-walk.npz.

- z of a seed: np.random.RandomState(seed).randn(z_dim).astype(np.float32)
- slerp: Shoemake's formula, sin((1-t)θ)/sin θ · a + sin(tθ)/sin θ · b with cos θ = a·b / (|a||b|), computed in
  float64 and rounded once to float32 (linear when |cos θ| > 0.9995, which random z's never reach)
- linear: (1-t)·a + t·b
- sweep: z[i] = z_base[i] + v for v = linspace(-range, range, steps), every other entry unchanged

GanWalkReferenceTest compares the Java walk on models/shapes-gan/model.onnx with these: the z's exactly (to float32
rounding), the raw pictures within 1e-4 and the 8-bit pictures within 1/255.

It also writes a tiny DCGAN-style generator whose z input is [1, 8, 1, 1] (PyTorch's DCGAN example layout, batch
fixed at 1) with its output for the z of seed 4, src/test/resources/gan/dcgan-z11.{onnx,npz}, so the wrapper's
handling of that layout is checked too.

    /usr/bin/python3 tools/gan/make_gan_walk_fixture.py --ckpt CKPT
"""
import argparse
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "train"))
import train_shapes_gan  # noqa: E402

WALK_SEEDS = [3, 8, 21]
WALK_FRAMES = 4
LINEAR_SEEDS = [3, 8]
LINEAR_FRAMES = 5
SWEEP_SEED = 0
SWEEP_COORDINATES = [0, 5, 63]
SWEEP_RANGE = 2.5
SWEEP_STEPS = 3


def noise(seed, z_dim):
    return np.random.RandomState(seed).randn(z_dim).astype(np.float32)


def slerp(a, b, t):
    a64, b64 = a.astype(np.float64), b.astype(np.float64)
    cos = np.clip(a64 @ b64 / np.sqrt((a64 @ a64) * (b64 @ b64)), -1, 1)
    if t == 0:
        return a.copy()
    if t == 1:
        return b.copy()
    if abs(cos) > 0.9995:
        return ((1 - t) * a64 + t * b64).astype(np.float32)
    theta = np.arccos(cos)
    return (np.sin((1 - t) * theta) / np.sin(theta) * a64 + np.sin(t * theta) / np.sin(theta) * b64).astype(np.float32)


def linear(a, b, t):
    return ((1 - t) * a.astype(np.float64) + t * b.astype(np.float64)).astype(np.float32)


def walk(seeds, frames, between, z_dim):
    ends = [noise(s, z_dim) for s in seeds]
    zs = []
    for s in range(len(seeds) - 1):
        for k in range(0 if s == 0 else 1, frames):
            zs.append(between(ends[s], ends[s + 1], k / (frames - 1)))
    return np.stack(zs)


def sweep(seed, coordinates, rng, steps, z_dim):
    base = noise(seed, z_dim)
    zs = []
    for i in coordinates:
        for v in np.linspace(-rng, rng, steps):
            z = base.copy()
            z[i] = np.float32(np.float64(base[i]) + v)
            zs.append(z)
    return np.stack(zs)


def write_z11_generator(folder):
    torch.manual_seed(11)
    net = torch.nn.Sequential(torch.nn.ConvTranspose2d(8, 16, 4, 1, 0), torch.nn.ReLU(),
                              torch.nn.ConvTranspose2d(16, 3, 4, 2, 1), torch.nn.Tanh()).eval()
    z = noise(4, 8).reshape(1, 8, 1, 1)
    with torch.no_grad():
        out = net(torch.from_numpy(z)).numpy()
        torch.onnx.export(net, (torch.from_numpy(z),), os.path.join(folder, "dcgan-z11.onnx"), input_names=["noise"],
                          output_names=["fake"], opset_version=train_shapes_gan.OPSET)
    np.savez_compressed(os.path.join(folder, "dcgan-z11.npz"), z=z.reshape(1, 8), image=out)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--ckpt", required=True, help="the folder train_shapes_gan.py train wrote")
    p.add_argument("--out", default="src/test/resources/gan/shapes-gan-walk.npz")
    a = p.parse_args()
    gen, meta = train_shapes_gan.load(a.ckpt)
    z_dim = meta["args"]["z_dim"]
    cases = {
        "walk_slerp": walk(WALK_SEEDS, WALK_FRAMES, slerp, z_dim),
        "walk_linear": walk(LINEAR_SEEDS, LINEAR_FRAMES, linear, z_dim),
        "sweep": sweep(SWEEP_SEED, SWEEP_COORDINATES, SWEEP_RANGE, SWEEP_STEPS, z_dim),
    }
    arrays = {}
    with torch.no_grad():
        for name, zs in cases.items():
            arrays[name + "_z"] = zs
            arrays[name + "_images"] = gen(torch.from_numpy(zs)).numpy().astype(np.float32)
    os.makedirs(os.path.dirname(a.out), exist_ok=True)
    np.savez_compressed(a.out, **arrays)
    print("wrote", a.out, {k: v.shape for k, v in arrays.items()})
    write_z11_generator(os.path.dirname(a.out))


if __name__ == "__main__":
    main()
