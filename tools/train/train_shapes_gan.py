"""Trains, exports and measures shapes-gan: an unconditional DCGAN whose generator turns a noise vector z into a
32×32 shapes picture, bundled so that GAN Latent Walk can show that z is a space one can walk in.

    train     seeded DCGAN training on the shapes data set (tools/train/shapes_dataset.py), stopped by a step or
              wall-clock cap; keeps an exponential moving average (EMA) of the generator's weights and
              re-estimates its batch-norm statistics at the end, so the exported eval-mode network draws what the
              training-mode one drew
    export    the EMA generator to ONNX (opset 17): input "z" float32 (batch, z_dim), output "image" float32
              (batch, 3, 32, 32) in [-1, 1], plus the manifest and the model card in models/shapes-gan
    evaluate  the quality figure: the fraction of 1000 samples (z from numpy RandomState) that shape_checker reads as
              one clean shape, against the same figure for real training pictures at 32×32

Runs on CPU with Debian's python3-torch 1.13 (one thread); the exact command of the shipped model is in
tools/train/README.md.
"""
import argparse
import copy
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import shape_checker  # noqa: E402
import shapes_dataset as data  # noqa: E402
import shapes_models as M  # noqa: E402

SIZE = 32
OPSET = 17
# A sample counts as a clean shape when the checker finds one or two shapes, distinct foreground and background
# colours, and a template that covers it with this intersection-over-union; real 32×32 pictures score ~0.9 here.
CLEAN_IOU = 0.7


def log(*a):
    print(f"[{time.strftime('%H:%M:%S')}]", *a, flush=True)


def shrink(images):
    """64×64 dataset pictures to 32×32 by 2×2 box averaging (anti-aliased, no resampler ambiguity)."""
    n = images.shape[0]
    return images.reshape(n, SIZE, 2, SIZE, 2, 3).astype(np.float32).mean(axis=(2, 4))


def to_uint8(x):
    """Generator output in [-1, 1], NCHW, to uint8 NHWC, the way the Java wrapper converts it."""
    return np.clip(np.rint((x.transpose(0, 2, 3, 1) + 1) * 127.5), 0, 255).astype(np.uint8)


def training_images(seed, n, cache=None):
    """n training pictures at 32×32 in [-1, 1]; kept in `cache` (an .npy file) when given, since drawing them costs
    minutes on a busy CPU and they are a pure function of (seed, n)."""
    if cache and os.path.exists(cache):
        ims = np.load(cache)
        if ims.shape[0] == n:
            return ims
    ims = shrink(data.batch(seed, 0, n, data.training_combinations())[0]) / 127.5 - 1
    if cache:
        np.save(cache, ims.astype(np.float32))
    return ims.astype(np.float32)


@torch.no_grad()
def recalibrate_batch_norm(gen, z_dim, seed, batches=100, batch=256):
    """Replaces the running batch-norm statistics by their exact average over many training-mode batches, so the
    eval-mode generator (what ONNX exports) normalises like the training-mode one it was trained as."""
    for m in gen.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            m.reset_running_stats()
            m.momentum = None
    gen.train()
    g = torch.Generator().manual_seed(seed)
    for _ in range(batches):
        gen(torch.randn(batch, z_dim, generator=g))
    gen.eval()


def train(a):
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    rng = np.random.RandomState(a.seed)
    t0 = time.time()
    real = torch.from_numpy(training_images(a.seed, a.n, a.data_cache).transpose(0, 3, 1, 2).copy())
    log(f"{a.n} training pictures in {time.time() - t0:.0f} s")
    gen, disc = M.DcganGenerator(a.z_dim, a.ngf, SIZE), M.DcganDiscriminator(a.ndf, SIZE)
    ema = copy.deepcopy(gen)
    og = torch.optim.Adam(gen.parameters(), lr=a.lr, betas=(0.5, 0.999))
    od = torch.optim.Adam(disc.parameters(), lr=a.lr, betas=(0.5, 0.999))
    fixed_z = torch.from_numpy(np.random.RandomState(a.seed + 2).randn(64, a.z_dim).astype(np.float32))
    start, step = time.time(), 0
    while step < a.steps and time.time() - start < a.seconds:
        x = real[rng.randint(0, a.n, a.batch)]
        if rng.rand() < 0.5:
            x = x.flip(3)
        fake = gen(torch.randn(a.batch, a.z_dim))
        # Instance noise (Sønderby et al. 2017), annealed to 0: the real pictures carry a fine sensor-noise texture
        # that lets the discriminator win within a few hundred steps and starve the generator of gradient.
        sigma = a.instance_noise * max(0.0, 1 - max(step / a.steps, (time.time() - start) / a.seconds))

        def noisy(images):
            return images + sigma * torch.randn_like(images) if sigma > 0 else images

        # The hinge loss of SNGAN (Miyato et al. 2018) for the discriminator, −D(fake) for the generator.
        loss_d = F.relu(1 - disc(noisy(x))).mean() + F.relu(1 + disc(noisy(fake.detach()))).mean()
        od.zero_grad()
        loss_d.backward()
        od.step()
        loss_g = -disc(noisy(fake)).mean()
        og.zero_grad()
        loss_g.backward()
        og.step()
        with torch.no_grad():
            decay = min(a.ema, (1 + step) / (10 + step))
            for pe, pg in zip(ema.parameters(), gen.parameters()):
                pe.mul_(decay).add_(pg, alpha=1 - decay)
        if step % 200 == 0:
            log(f"step {step} loss_d {loss_d.item():.3f} loss_g {loss_g.item():.3f} noise {sigma:.3f}"
                f" {time.time() - start:.0f} s")
        if a.snapshots and step % a.snapshots == 0:
            with torch.no_grad():
                ims = to_uint8(gen(fixed_z).numpy())
            grid = ims.reshape(8, 8, SIZE, SIZE, 3).transpose(0, 2, 1, 3, 4).reshape(8 * SIZE, 8 * SIZE, 3)
            os.makedirs(a.out, exist_ok=True)
            Image.fromarray(grid).save(os.path.join(a.out, f"snapshot-{step:06d}.png"))
        step += 1
    seconds = time.time() - start
    log(f"stopped after {step} steps, {seconds:.0f} s")
    recalibrate_batch_norm(ema, a.z_dim, a.seed + 1)
    os.makedirs(a.out, exist_ok=True)
    torch.save(ema.state_dict(), os.path.join(a.out, "shapes_gan.pt"))
    meta = {"seed": a.seed, "args": vars(a), "steps": step, "train_seconds": round(seconds),
            "threads": a.threads, "torch": torch.__version__}
    with open(os.path.join(a.out, "train_meta.json"), "w") as f:
        json.dump(meta, f, indent=2)


def load(ckpt):
    meta = json.load(open(os.path.join(ckpt, "train_meta.json")))
    gen = M.DcganGenerator(meta["args"]["z_dim"], meta["args"]["ngf"], SIZE)
    gen.load_state_dict(torch.load(os.path.join(ckpt, "shapes_gan.pt"), map_location="cpu"))
    return gen.eval(), meta


def clean_fraction(images):
    """Fraction of uint8 32×32 pictures read as one or two clean shapes, and the count of each shape class."""
    clean, shapes = 0, {}
    for im in images:
        big = np.asarray(Image.fromarray(im).resize((64, 64), Image.BICUBIC))
        fg, bg, shape, count, iou = shape_checker.analyse_fit(big)
        if shape is not None and count in (1, 2) and fg != bg and iou >= CLEAN_IOU:
            clean += 1
            shapes[shape] = shapes.get(shape, 0) + 1
    return clean / len(images), shapes


@torch.no_grad()
def samples(gen, z_dim, n, seed):
    z = np.random.RandomState(seed).standard_normal((n, z_dim)).astype(np.float32)
    return to_uint8(gen(torch.from_numpy(z)).numpy())


def evaluate(a):
    gen, meta = load(a.ckpt)
    z_dim = meta["args"]["z_dim"]
    gan, gan_shapes = clean_fraction(samples(gen, z_dim, a.n, a.seed))
    reals = np.clip(np.rint(shrink(data.batch(a.seed, 0, a.n, data.training_combinations())[0])), 0, 255)
    real, real_shapes = clean_fraction(reals.astype(np.uint8))
    result = {"samples": a.n, "seed": a.seed, "clean_iou": CLEAN_IOU, "gan_clean": round(gan, 3),
              "gan_shapes": gan_shapes, "real_clean": round(real, 3), "real_shapes": real_shapes}
    print(json.dumps(result, indent=2))
    if a.grid:
        ims = samples(gen, z_dim, 64, a.seed)
        grid = ims.reshape(8, 8, SIZE, SIZE, 3).transpose(0, 2, 1, 3, 4).reshape(8 * SIZE, 8 * SIZE, 3)
        Image.fromarray(grid).resize((16 * SIZE, 16 * SIZE), Image.NEAREST).save(a.grid)
    return result


def export(a):
    gen, meta = load(a.ckpt)
    out = os.path.join(a.models, "shapes-gan")
    os.makedirs(out, exist_ok=True)
    z = torch.zeros(1, meta["args"]["z_dim"])
    with torch.no_grad():
        torch.onnx.export(gen, (z,), os.path.join(out, "model.onnx"), input_names=["z"], output_names=["image"],
                          dynamic_axes={"z": {0: "batch"}, "image": {0: "batch"}}, opset_version=OPSET,
                          do_constant_folding=True)
    # The descriptor the Java side reads (docs/inside-the-model.md); the z input's name, length and dtype are read
    # from the ONNX session, so only the picture's range is declared here.
    with open(os.path.join(out, "gan.json"), "w") as f:
        json.dump({
            "name": "shapes-gan (bundled DCGAN demonstrator)",
            "description": f"An unconditional DCGAN generator trained by this project (tools/train) on the shapes"
                           f" data set: z of {meta['args']['z_dim']} entries to a {SIZE}×{SIZE} RGB picture.",
            "task": "gan",
            "model": "model.onnx",
            "output": "image",
            "range": "-1..1",
            "license": "trained from scratch by ij-genai on synthetic data (tools/train/shapes_dataset.py)",
            "source": "tools/train/train_shapes_gan.py"}, f, indent=2, ensure_ascii=False)
        f.write("\n")
    log("exported", out)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("train")
    t.add_argument("--out", required=True)
    t.add_argument("--seed", type=int, default=0)
    t.add_argument("--n", type=int, default=12000, help="training pictures (drawn from the seed)")
    t.add_argument("--data-cache", help="an .npy file that keeps the drawn training pictures between runs")
    t.add_argument("--z-dim", type=int, default=64)
    t.add_argument("--ngf", type=int, default=24)
    t.add_argument("--ndf", type=int, default=32)
    t.add_argument("--instance-noise", type=float, default=0.05, help="initial σ of the discriminator's input noise")
    t.add_argument("--snapshots", type=int, default=0, help="save a sample grid every N steps (0: never)")
    t.add_argument("--batch", type=int, default=32)
    t.add_argument("--lr", type=float, default=2e-4)
    t.add_argument("--ema", type=float, default=0.999)
    t.add_argument("--steps", type=int, default=100000)
    t.add_argument("--seconds", type=float, default=2000)
    t.add_argument("--threads", type=int, default=1)
    e = sub.add_parser("evaluate")
    e.add_argument("--ckpt", required=True)
    e.add_argument("--n", type=int, default=1000)
    e.add_argument("--seed", type=int, default=1234)
    e.add_argument("--grid", help="also write an 8×8 sample grid PNG")
    x = sub.add_parser("export")
    x.add_argument("--ckpt", required=True)
    x.add_argument("--models", default="models")
    a = p.parse_args()
    {"train": train, "evaluate": evaluate, "export": export}[a.cmd](a)


if __name__ == "__main__":
    main()
