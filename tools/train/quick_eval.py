"""In-training evaluation of the PyTorch shapes-sd weights (before ONNX export): DDIM sampling with guidance,
then shape_checker. The figures for the shipped ONNX model come from evaluate_bundled.py through the Java CLI."""
import numpy as np
import torch

import shape_checker
import shapes_dataset as data


@torch.no_grad()
def ddim_sample(unet, text, dec, tok, prompts, seeds, scaling, ac, steps=20, cfg=7.5, dev="cpu"):
    ids = torch.tensor([tok.encode(p) for p in prompts], device=dev)
    empty = torch.tensor([tok.encode("")] * len(prompts), device=dev)
    ctx = torch.cat([text.hidden(empty), text.hidden(ids)])
    z = torch.from_numpy(np.stack([np.random.RandomState(s).randn(4, 8, 8) for s in seeds]).astype(np.float32)).to(dev)
    ts = (np.arange(0, steps) * (1000 // steps)).round()[::-1].astype(np.int64) + 1
    for i, t in enumerate(ts):
        tt = torch.full((2 * len(prompts),), float(t), device=dev)
        eps = unet(torch.cat([z, z]), tt, ctx)
        e_u, e_c = eps.chunk(2)
        e = e_u + cfg * (e_c - e_u)
        a = ac[t]
        a_prev = ac[ts[i + 1]] if i + 1 < len(ts) else torch.tensor(0.9991500, device=dev)
        x0 = (z - (1 - a).sqrt() * e) / a.sqrt()
        z = a_prev.sqrt() * x0 + (1 - a_prev).sqrt() * e
    img = dec(z / scaling)
    return ((img.clamp(-1, 1) + 1) * 127.5).round().byte().permute(0, 2, 3, 1).cpu().numpy()


def evaluate(unet, text, dec, tok, scaling, ac, dev, n=100, seed0=10_000):
    results = {}
    for name, combos in (("train", data.training_combinations()), ("held-out", data.held_out_combinations())):
        rng = np.random.RandomState(7)
        picks = [combos[rng.randint(len(combos))] for _ in range(n)]
        prompts = [data.caption(c, s, b, 1, "large", 0) for c, s, b in picks]
        seeds = [seed0 + i for i in range(n)]
        ims = ddim_sample(unet, text, dec, tok, prompts, seeds, scaling, ac, dev=dev)
        ok = [shape_checker.agrees(im, c, s, b) for im, (c, s, b) in zip(ims, picks)]
        results[name] = float(np.mean(ok))
    red = ddim_sample(unet, text, dec, tok, ["a red circle on a blue background"] * 10, list(range(10)), scaling, ac,
                      dev=dev)
    results["red_circle_seeds0-9"] = int(sum(shape_checker.agrees(im, "red", "circle", "blue") for im in red))
    return results, red
