"""Quality figures of the shipped models, measured through the shipped Java pipeline (bin/ij-genai), so they
describe exactly what users run. Prints the figures quoted in the README.

  python3 tools/train/evaluate_bundled.py checker        # the shape checker on ground-truth renders
  python3 tools/train/evaluate_bundled.py sd             # shapes-sd prompt agreement, training and held-out
  python3 tools/train/evaluate_bundled.py red-circle     # the README check: seeds 0-9
  python3 tools/train/evaluate_bundled.py clip           # shapes-clip text->image precision@5
  python3 tools/train/evaluate_bundled.py ink            # ink-gan SSIM against XDoG on held-out photos
  python3 tools/train/evaluate_bundled.py fill           # Generative Fill: "a yellow star" into a selection, seeds 0-9
                                                         # and, held out, 10-19
  python3 tools/train/evaluate_bundled.py img2img        # the demo's img2img: its red circle redrawn as a yellow star
  python3 tools/train/evaluate_bundled.py gan --n 500    # shapes-gan: share of samples read as clean shapes
"""
import argparse
import os
import subprocess
import sys
import tempfile

import numpy as np
from PIL import Image
from scipy.ndimage import gaussian_filter

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import shape_checker  # noqa: E402
import shapes_dataset as data  # noqa: E402
import xdog  # noqa: E402

SD_MODEL = os.environ.get("IJ_GENAI_SD_MODEL", os.path.join(ROOT, "models", "shapes-sd"))
CLI = os.environ.get("IJ_GENAI_CLI", os.path.join(ROOT, "bin", "ij-genai"))


def cli(*args):
    result = subprocess.run([CLI, *map(str, args)], capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"ij-genai {' '.join(map(str, args))} failed:\n{result.stderr}")
    return result.stdout


def generate(prompts, seed, out_png):
    """One txt2img batch through the CLI; returns the images in prompt order."""
    args = ["txt2img", "--model", SD_MODEL, "--seed", seed, "--out", out_png]
    for p in prompts:
        args += ["--prompt", p]
    cli(*args)
    if len(prompts) == 1:
        return [np.asarray(Image.open(out_png).convert("RGB"))]
    stem, ext = os.path.splitext(out_png)
    return [np.asarray(Image.open(f"{stem}-{i + 1}{ext}").convert("RGB")) for i in range(len(prompts))]


def eval_sd(n, seed0, tmp, verbose=False):
    for name, combos in (("training combinations", data.training_combinations()),
                         ("held-out combinations", data.held_out_combinations())):
        rng = np.random.RandomState(2024)
        picks = [combos[rng.randint(len(combos))] for _ in range(n)]
        ok = 0
        for start in range(0, n, 10):
            chunk = picks[start:start + 10]
            prompts = [data.caption(c, s, b, 1, "large", 0) for c, s, b in chunk]
            ims = generate(prompts, seed0 + start // 10, os.path.join(tmp, "sd.png"))
            for im, (c, s, b) in zip(ims, chunk):
                good = shape_checker.agrees(im, c, s, b)
                ok += good
                if not good and verbose:
                    print(f"  wanted {c} {s} on {b}, got {shape_checker.analyse(im)}")
        print(f"shapes-sd prompt agreement, {name}: {ok}/{n} = {ok / n:.2f}")


def eval_red_circle(tmp):
    ok = 0
    for seed in range(10):
        im = generate(["a red circle on a blue background"], seed, os.path.join(tmp, f"red{seed}.png"))[0]
        good = shape_checker.agrees(im, "red", "circle", "blue")
        print(f"seed {seed}: {shape_checker.analyse(im)} {'ok' if good else 'WRONG'}")
        ok += good
    print(f"red circle on blue background: {ok}/10 seeds")


def blue_picture(path, size=64):
    """A plain picture in the training set's blue, with a little texture so it is not flat."""
    rng = np.random.RandomState(0)
    im = np.array(data.COLOURS["blue"], np.float32)[None, None] + rng.normal(0, 3, (size, size, 3))
    Image.fromarray(im.clip(0, 255).astype(np.uint8)).save(path)


def ellipse_mask(path, size=64, box=(12, 12, 52, 52)):
    yy, xx = np.mgrid[0:size, 0:size]
    cx, cy, rx, ry = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2, (box[2] - box[0]) / 2, (box[3] - box[1]) / 2
    m = (((xx + 0.5 - cx) / rx) ** 2 + ((yy + 0.5 - cy) / ry) ** 2 <= 1) * 255
    Image.fromarray(m.astype(np.uint8)).save(path)


# The demo's fill settings: the command's grow 4 and feather 8, with a 2 px blend, since on a 64x64 picture the
# command's 8 px blend fades a fifth of a 40 px selection, and the star's tips with it (tools/inpaint/fill_sweep.py).
FILL_GROW, FILL_FEATHER, FILL_BLEND = 4, 8, 2


def eval_fill(tmp, prompt="a yellow star", seeds=range(10)):
    """Generative Fill on shapes-sd: "a yellow star" into an elliptical selection of a blue picture, seeds 0-9,
    with the demo's settings (grow 4, feather 8, blend 2, only-masked context); the shape checker must see one
    yellow star on blue."""
    init, mask = os.path.join(tmp, "blue.png"), os.path.join(tmp, "mask.png")
    blue_picture(init)
    ellipse_mask(mask)
    ok = 0
    for seed in seeds:
        out = os.path.join(tmp, f"fill{seed}.png")
        cli("inpaint", "--model", SD_MODEL, "--init", init, "--mask", mask, "--prompt", prompt, "--seed", seed,
            "--grow", FILL_GROW, "--feather", FILL_FEATHER, "--blend", FILL_BLEND, "--out", out, "--quiet")
        im = np.asarray(Image.open(out).convert("RGB"))
        good = shape_checker.agrees(im, "yellow", "star", "blue")
        print(f"seed {seed}: {shape_checker.analyse(im)} {'ok' if good else 'WRONG'}")
        ok += good
    print(f"'{prompt}' filled into a selection of a blue picture: {ok}/{len(seeds)} seeds"
          f" ({seeds[0]}-{seeds[-1]})")


def eval_img2img(tmp, prompt="a yellow star on a blue background", strengths=(0.75, 0.8, 0.85, 0.9)):
    """The demo's img2img (DemoRun): its txt2img picture (a red circle on blue, seed 0, 20 steps, guidance 7.5)
    redrawn under the prompt at each strength, seeds 0-9; the shape checker must see one yellow star on blue. The
    demo's seed is one that passes at every strength, so that it does not sit on an edge."""
    init = os.path.join(tmp, "init.png")
    cli("txt2img", "--model", SD_MODEL, "--prompt", "a red circle on a blue background", "--seed", 0, "--steps", 20,
        "--cfg", 7.5, "--out", init, "--quiet")
    for strength in strengths:
        good_seeds = []
        for seed in range(10):
            out = os.path.join(tmp, "img2img.png")
            cli("img2img", "--model", SD_MODEL, "--prompt", prompt, "--init", init, "--strength", strength,
                "--seed", seed, "--steps", 20, "--cfg", 7.5, "--out", out, "--quiet")
            if shape_checker.agrees(np.asarray(Image.open(out).convert("RGB")), "yellow", "star", "blue"):
                good_seeds.append(seed)
        print(f"'{prompt}' from the red circle at strength {strength}: {len(good_seeds)}/10 seeds {good_seeds}")


def eval_clip(tmp, per_combo=6):
    for name, combos in (("training", data.training_combinations()), ("held-out", data.held_out_combinations())):
        rng = np.random.RandomState(5)
        chosen = [combos[i] for i in rng.choice(len(combos), 20, replace=False)]
        folder = os.path.join(tmp, f"clip-{name}")
        os.makedirs(folder, exist_ok=True)
        truth = {}
        for k, (c, s, b) in enumerate(chosen):
            for j in range(per_combo):
                im = data.render(c, s, b, 1, "small" if j % 2 else "large", np.random.RandomState(k * 100 + j))
                path = os.path.join(folder, f"{c}_{s}_{b}_{j}.png")
                Image.fromarray(im).save(path)
                truth[os.path.realpath(path)] = (c, s, b)
        index = os.path.join(tmp, f"index-{name}")
        cli("clip", "index", "--model", os.path.join(ROOT, "models", "shapes-clip"), "--images", folder,
            "--index", index)
        precisions = []
        for c, s, b in chosen:
            lines = cli("clip", "search", "--index", index, "--text", data.caption(c, s, b, 1, "", 0),
                        "--top", 5).strip().splitlines()
            hits = [truth.get(os.path.realpath(l.split("\t")[2])) for l in lines]
            precisions.append(sum(h == (c, s, b) for h in hits) / 5)
        print(f"shapes-clip text->image precision@5, {name} combinations: {np.mean(precisions):.3f}")


def ssim(a, b):
    """Mean SSIM of two grey images in [0, 255] (Gaussian window sigma 1.5, as Wang et al. 2004)."""
    a, b = a.astype(np.float64), b.astype(np.float64)
    c1, c2 = (0.01 * 255) ** 2, (0.03 * 255) ** 2
    mu_a, mu_b = gaussian_filter(a, 1.5), gaussian_filter(b, 1.5)
    saa = gaussian_filter(a * a, 1.5) - mu_a ** 2
    sbb = gaussian_filter(b * b, 1.5) - mu_b ** 2
    sab = gaussian_filter(a * b, 1.5) - mu_a * mu_b
    s = ((2 * mu_a * mu_b + c1) * (2 * sab + c2)) / ((mu_a ** 2 + mu_b ** 2 + c1) * (saa + sbb + c2))
    return float(s.mean())


def eval_ink(tmp, photos):
    import train_all
    scores = []
    for name in sorted(train_all.INK_HELD_OUT):
        src = os.path.join(photos, name)
        out = os.path.join(tmp, "ink-" + os.path.splitext(name)[0] + ".png")
        cli("style", "--model", os.path.join(ROOT, "models", "ink-gan"), "--image", src, "--out", out)
        pred = np.asarray(Image.open(out).convert("L"))
        target = xdog.xdog(np.asarray(Image.open(src).convert("RGB")))[..., 0]
        scores.append(ssim(pred, target))
        print(f"ink-gan SSIM on held-out {name}: {scores[-1]:.3f}")
    print(f"ink-gan mean SSIM against XDoG on held-out photos: {np.mean(scores):.3f}")


def eval_gan(tmp, n, seed0):
    """shapes-gan's pictures for the z's of seeds seed0 … seed0+n−1, made by gan-walk (a 2-frame straight-line walk
    is exactly the seeds' z's), scored like real 32×32 training pictures (train_shapes_gan.clean_fraction)."""
    from PIL import ImageSequence
    import train_shapes_gan
    stack = os.path.join(tmp, "gan.tif")
    seeds = ",".join(str(s) for s in range(seed0, seed0 + n))
    cli("gan-walk", "--model", os.path.join(ROOT, "models", "shapes-gan"), "--seeds", seeds, "--frames", 2,
        "--interpolation", "linear", "--out", stack)
    ims = [np.asarray(f.convert("RGB")) for f in ImageSequence.Iterator(Image.open(stack))]
    assert len(ims) == n, len(ims)
    gan, shapes = train_shapes_gan.clean_fraction(ims)
    reals = np.clip(np.rint(train_shapes_gan.shrink(data.batch(seed0, 0, n, data.training_combinations())[0])), 0, 255)
    real, _ = train_shapes_gan.clean_fraction(reals.astype(np.uint8))
    print(f"shapes-gan: {gan:.3f} of {n} samples read as one or two clean shapes (real 32x32 training pictures: {real:.3f});"
          f" shapes among the clean ones: {dict(sorted(shapes.items()))}")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("what", choices=["checker", "sd", "red-circle", "clip", "ink", "fill", "img2img", "gan"])
    p.add_argument("--prompt", default="a yellow star", help="the fill prompt")
    p.add_argument("--n", type=int, default=100)
    p.add_argument("--seed0", type=int, default=5000, help="first seed; held out from everything else")
    p.add_argument("--verbose", action="store_true", help="list each disagreement")
    p.add_argument("--photos", default=os.path.join(ROOT, "samples"))
    a = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if a.what == "checker":
            subprocess.run([sys.executable, os.path.join(HERE, "shape_checker.py"), "--n", "600"], check=True)
        elif a.what == "sd":
            eval_sd(a.n, a.seed0, tmp, a.verbose)
        elif a.what == "red-circle":
            eval_red_circle(tmp)
        elif a.what == "fill":
            eval_fill(tmp, a.prompt)
            eval_fill(tmp, a.prompt, range(10, 20))
        elif a.what == "img2img":
            eval_img2img(tmp)
        elif a.what == "clip":
            eval_clip(tmp)
        elif a.what == "gan":
            eval_gan(tmp, a.n, a.seed0)
        else:
            eval_ink(tmp, a.photos)


if __name__ == "__main__":
    main()
