"""Trains the bundled models: shapes-clip, the shapes-sd VAE, the shapes-sd UNet + text encoder, and ink-gan.

Seeded. Runs on CPU (python3-torch 1.13) and on CUDA. Writes PyTorch state dicts to --out; export_bundled.py turns
them into the ONNX layouts. The command that produced the shipped models is in tools/train/README.md.
"""
import argparse
import contextlib
import json
import math
import os
import sys
import time
from multiprocessing import Pool

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import clip_bpe  # noqa: E402
import shapes_dataset as data  # noqa: E402
import shapes_models as M  # noqa: E402
import xdog  # noqa: E402

CLIP_MEAN = np.array([0.48145466, 0.4578275, 0.40821073], dtype=np.float32)
CLIP_STD = np.array([0.26862954, 0.26130258, 0.27577711], dtype=np.float32)
BETA_START, BETA_END, T = 0.00085, 0.012, 1000


def log(*a):
    print(f"[{time.strftime('%H:%M:%S')}]", *a, flush=True)


def _chunk(args):
    seed, start, n = args
    ims, caps, attrs = data.batch(seed, start, n, data.training_combinations())
    return ims, caps, attrs


def make_dataset(seed, n, workers):
    chunks = [(seed, s, min(1000, n - s)) for s in range(0, n, 1000)]
    with Pool(workers) as pool:
        parts = pool.map(_chunk, chunks)
    ims = np.concatenate([p[0] for p in parts])
    caps = [c for p in parts for c in p[1]]
    attrs = [a for p in parts for a in p[2]]
    return ims, caps, attrs


class Budget:
    """Training progress as the larger of steps done and wall-clock time used, driving a warm-up + cosine rate,
    so a phase always ends inside its time cap with a fully decayed learning rate."""

    def __init__(self, opt, steps, seconds, warmup=0.05):
        self.opt, self.steps, self.seconds, self.warmup = opt, steps, seconds, warmup
        self.base = [g["lr"] for g in opt.param_groups]
        self.start = time.time()
        self.step = 0

    def progress(self):
        return max(self.step / self.steps, (time.time() - self.start) / self.seconds)

    def next(self):
        """Sets the rate for the coming step; False when the phase is over."""
        p = self.progress()
        if p >= 1:
            return False
        f = p / self.warmup if p < self.warmup else 0.5 * (1 + math.cos(math.pi * (p - self.warmup) / (1 - self.warmup)))
        for g, b in zip(self.opt.param_groups, self.base):
            g["lr"] = b * max(f, 0.01)
        self.step += 1
        return True


def caption_attrs(caption):
    words = caption.split()
    colour = next(w for w in words if w in data.COLOURS)
    shape_word = next(w for w in words if w in data.SHAPES or w in data.PLURALS.values())
    shape = shape_word if shape_word in data.SHAPES else [s for s, p in data.PLURALS.items() if p == shape_word][0]
    bg = words[words.index("background") - 1] if "background" in words else None
    return colour, shape, bg, 2 if words[0] == "two" else None


def attribute_codes(caps, attrs):
    """Integer codes so that caption/image agreement is computed on the GPU: caption side uses -1 for 'any'."""
    col = {c: i for i, c in enumerate(data.COLOURS)}
    shp = {s: i for i, s in enumerate(data.SHAPES)}
    cap_codes, img_codes = [], []
    for c in caps:
        colour, shape, bg, count = caption_attrs(c)
        cap_codes.append([col[colour], shp[shape], -1 if bg is None else col[bg], -1 if count is None else count])
    for a in attrs:
        img_codes.append([col[a["colour"]], shp[a["shape"]], col[a["background"]], a["count"]])
    return torch.tensor(cap_codes), torch.tensor(img_codes)


def positives(cap_codes, img_codes):
    c, i = cap_codes[:, None, :], img_codes[None, :, :]
    same = (c == i) | (c == -1)
    return same.all(-1).float()


def matches(caption, attr):
    colour, shape, bg, count = caption_attrs(caption)
    return (attr["colour"] == colour and attr["shape"] == shape and (bg is None or attr["background"] == bg)
            and (count is None or attr["count"] == count))


def train_clip(ims, caps, attrs, tok, args, dev):
    torch.manual_seed(args.seed)
    model = M.ShapesClip(len(tok.vocab)).to(dev)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.01)
    ids_all = torch.tensor([tok.encode(c) for c in caps])
    x_all = torch.from_numpy(((ims.astype(np.float32) / 255 - CLIP_MEAN) / CLIP_STD).transpose(0, 3, 1, 2).copy())
    rng = np.random.RandomState(args.seed)
    cap_codes, img_codes = attribute_codes(caps, attrs)
    budget = Budget(opt, args.clip_steps, args.clip_seconds)
    while budget.next():
        step = budget.step - 1
        idx = rng.randint(0, len(caps), args.batch)
        ids, x = ids_all[idx].to(dev), x_all[idx].to(dev)
        pos = positives(cap_codes[idx], img_codes[idx]).to(dev)
        t = F.normalize(model.text(ids), dim=-1)
        v = F.normalize(model.image(x), dim=-1)
        logits = model.logit_scale.exp().clamp(max=100) * t @ v.t()
        loss_t = -(torch.log_softmax(logits, 1) * pos).sum(1) / pos.sum(1)
        loss_i = -(torch.log_softmax(logits.t(), 1) * pos.t()).sum(1) / pos.t().sum(1).clamp(min=1)
        loss = loss_t.mean() + loss_i.mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        if step % 200 == 0:
            log(f"clip step {step} loss {loss.item():.4f} scale {model.logit_scale.exp().item():.1f}")
    return model


def train_vae(ims, args, dev):
    torch.manual_seed(args.seed + 1)
    enc, dec = M.VaeEncoder().to(dev), M.VaeDecoder().to(dev)
    params = list(enc.parameters()) + list(dec.parameters())
    opt = torch.optim.AdamW(params, lr=4e-4, weight_decay=0.0)
    budget = Budget(opt, args.vae_steps, args.vae_seconds)
    x_all = torch.from_numpy(ims.transpose(0, 3, 1, 2).copy())
    rng = np.random.RandomState(args.seed + 1)
    while budget.next():
        step = budget.step - 1
        idx = rng.randint(0, len(x_all), args.batch)
        x = x_all[idx].to(dev).float() / 127.5 - 1
        moments = enc(x)
        mean, logvar = moments[:, :4], moments[:, 4:].clamp(-30, 20)
        z = mean + torch.exp(0.5 * logvar) * torch.randn_like(mean)
        rec = dec(z)
        kl = 0.5 * (mean ** 2 + logvar.exp() - 1 - logvar).mean()
        loss = F.l1_loss(rec, x) + F.mse_loss(rec, x) + 1e-5 * kl
        opt.zero_grad()
        loss.backward()
        opt.step()
        if step % 500 == 0:
            log(f"vae step {step} loss {loss.item():.4f} kl {kl.item():.3f}")
    with torch.no_grad():
        zs = []
        for s in range(0, min(len(x_all), 4096), 512):
            m = enc(x_all[s:s + 512].to(dev).float() / 127.5 - 1)
            zs.append(m[:, :4] + torch.exp(0.5 * m[:, 4:].clamp(-30, 20)) * torch.randn_like(m[:, :4]))
        scaling = 1.0 / torch.cat(zs).std().item()
    log(f"vae scaling_factor {scaling:.5f}")
    return enc, dec, scaling


def alphas_cumprod(dev):
    betas = torch.linspace(BETA_START ** 0.5, BETA_END ** 0.5, T, dtype=torch.float64) ** 2
    return torch.cumprod(1 - betas, 0).float().to(dev)


def train_sd(ims, caps, tok, clip_model, enc, scaling, args, dev, resume=None):
    torch.manual_seed(args.seed + 2)
    text = M.TextTransformer(len(tok.vocab)).to(dev)
    text.load_state_dict(clip_model.text.state_dict() if resume is None else resume["text"])
    unet = M.UNet().to(dev)
    if resume is not None:
        unet.load_state_dict(resume["unet"])
    ema = M.UNet().to(dev)
    ema.load_state_dict(unet.state_dict())
    ema_text = M.TextTransformer(len(tok.vocab)).to(dev)
    ema_text.load_state_dict(text.state_dict())
    lr = args.sd_lr
    opt = torch.optim.AdamW([{"params": unet.parameters(), "lr": lr}, {"params": text.parameters(), "lr": lr / 6}],
                            weight_decay=0.01)
    budget = Budget(opt, args.sd_steps, args.sd_seconds, warmup=0.05 if resume is None else 0.01)
    ac = alphas_cumprod(dev)
    ids_all = torch.tensor([tok.encode(c) for c in caps])
    empty = torch.tensor(tok.encode(""))
    # Posterior moments once; the latent is re-sampled at every step, as Stable Diffusion trains.
    with torch.no_grad():
        moments = torch.cat([enc(torch.from_numpy(ims[s:s + 1024].transpose(0, 3, 1, 2).copy()).to(dev).float()
                                 / 127.5 - 1) for s in range(0, len(ims), 1024)])
    rng = np.random.RandomState(args.seed + 2)
    decay = 0.999
    while budget.next():
        step = budget.step - 1
        idx = rng.randint(0, len(ims), args.batch)
        m = moments[idx]
        z = (m[:, :4] + torch.exp(0.5 * m[:, 4:].clamp(-30, 20)) * torch.randn_like(m[:, :4])) * scaling
        ids = ids_all[idx].clone()
        drop = torch.from_numpy(rng.rand(args.batch) < 0.1)
        ids[drop] = empty
        ids = ids.to(dev)
        t = torch.randint(0, T, (args.batch,), device=dev)
        noise = torch.randn_like(z)
        a = ac[t][:, None, None, None]
        zt = a.sqrt() * z + (1 - a).sqrt() * noise
        amp = (torch.autocast(device_type="cuda", dtype=torch.bfloat16) if dev.type == "cuda"
               else contextlib.nullcontext())
        with amp:
            pred = unet(zt, t.float(), text.hidden(ids))
        loss = F.mse_loss(pred.float(), noise)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(list(unet.parameters()) + list(text.parameters()), 1.0)
        opt.step()
        with torch.no_grad():
            d = min(decay, (1 + step) / (10 + step))
            for pe, p in zip(ema.parameters(), unet.parameters()):
                pe.mul_(d).add_(p.detach(), alpha=1 - d)
            for pe, p in zip(ema_text.parameters(), text.parameters()):
                pe.mul_(d).add_(p.detach(), alpha=1 - d)
        if step % 1000 == 0:
            log(f"sd step {step} loss {loss.item():.4f}")
    log(f"sd finished after {budget.step} steps")
    return ema_text, ema


def photo_crops(folder, names, n, size, rng):
    from PIL import Image
    photos = [np.asarray(Image.open(os.path.join(folder, f)).convert("RGB")) for f in names]
    targets = [xdog.xdog(p) for p in photos]
    xs, ys = [], []
    for _ in range(n):
        k = rng.randint(len(photos))
        p, q = photos[k], targets[k]
        h, w = p.shape[:2]
        y, x = rng.randint(0, h - size + 1), rng.randint(0, w - size + 1)
        a, b = p[y:y + size, x:x + size], q[y:y + size, x:x + size]
        if rng.rand() < 0.5:
            a, b = a[:, ::-1], b[:, ::-1]
        xs.append(a)
        ys.append(b)
    return np.stack(xs), np.stack(ys)


def train_ink(args, dev):
    torch.manual_seed(args.seed + 3)
    rng = np.random.RandomState(args.seed + 3)
    train_names = [f for f in sorted(os.listdir(args.photos)) if f not in INK_HELD_OUT]
    xs, ys = photo_crops(args.photos, train_names, args.ink_crops, 128, rng)
    x_all = torch.from_numpy(xs.transpose(0, 3, 1, 2).copy()).float() / 127.5 - 1
    y_all = torch.from_numpy(ys.transpose(0, 3, 1, 2).copy()).float() / 127.5 - 1
    gen, disc = M.UnetGenerator().to(dev), M.PatchDiscriminator().to(dev)
    og = torch.optim.Adam(gen.parameters(), lr=2e-4, betas=(0.5, 0.999))
    od = torch.optim.Adam(disc.parameters(), lr=2e-4, betas=(0.5, 0.999))
    bs = min(args.batch, 64)
    budget = Budget(og, args.ink_steps, args.ink_seconds, warmup=0.0)
    while budget.next():
        step = budget.step - 1
        for g in od.param_groups:
            g["lr"] = og.param_groups[0]["lr"]
        idx = rng.randint(0, len(x_all), bs)
        x, y = x_all[idx].to(dev), y_all[idx].to(dev)
        fake = gen(x)
        d_real, d_fake = disc(x, y), disc(x, fake.detach())
        loss_d = 0.5 * (F.mse_loss(d_real, torch.ones_like(d_real)) + F.mse_loss(d_fake, torch.zeros_like(d_fake)))
        od.zero_grad()
        loss_d.backward()
        od.step()
        d_fake = disc(x, fake)
        loss_g = F.mse_loss(d_fake, torch.ones_like(d_fake)) + 100 * F.l1_loss(fake, y)
        og.zero_grad()
        loss_g.backward()
        og.step()
        if step % 500 == 0:
            log(f"ink step {step} loss_g {loss_g.item():.4f} loss_d {loss_d.item():.4f}")
    return gen


INK_HELD_OUT = {"chelsea.png", "flower.jpg"}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--out", required=True)
    p.add_argument("--photos", default=None)
    p.add_argument("--seed", type=int, default=1234)
    p.add_argument("--n", type=int, default=60000)
    p.add_argument("--batch", type=int, default=256)
    p.add_argument("--clip-steps", type=int, default=4000)
    p.add_argument("--vae-steps", type=int, default=10000)
    p.add_argument("--sd-steps", type=int, default=40000)
    p.add_argument("--ink-steps", type=int, default=6000)
    p.add_argument("--ink-crops", type=int, default=4000)
    p.add_argument("--clip-seconds", type=float, default=45)
    p.add_argument("--vae-seconds", type=float, default=75)
    p.add_argument("--sd-seconds", type=float, default=270)
    p.add_argument("--ink-seconds", type=float, default=60)
    p.add_argument("--workers", type=int, default=os.cpu_count())
    p.add_argument("--only", default="clip,vae,sd,ink")
    p.add_argument("--eval-n", type=int, default=100)
    p.add_argument("--sd-lr", type=float, default=3e-4)
    p.add_argument("--sd-batch", type=int, default=256)
    p.add_argument("--resume", default=None, help="folder with vae.pt and sd.pt from an earlier run to continue")
    args = p.parse_args()
    os.makedirs(args.out, exist_ok=True)
    dev = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    log("device", dev, "torch", torch.__version__)
    torch.backends.cuda.matmul.allow_tf32 = True
    torch.backends.cudnn.allow_tf32 = True
    vocab, merges = clip_bpe.build(clip_bpe.caption_words())
    tok = clip_bpe.Tokenizer(vocab, merges)
    clip_bpe.write(os.path.join(args.out, "tokenizer"), vocab, merges)
    only = set(args.only.split(","))
    log("generating", args.n, "images")
    ims, caps, attrs = make_dataset(args.seed, args.n, args.workers)
    log("dataset ready", ims.shape)
    meta = {"seed": args.seed, "args": vars(args)}
    if "clip" in only or "sd" in only:
        clip_model = train_clip(ims, caps, attrs, tok, args, dev)
        torch.save(clip_model.state_dict(), os.path.join(args.out, "shapes_clip.pt"))
        meta["logit_scale"] = clip_model.logit_scale.exp().item()
    resume = None
    if args.resume:
        vae_state = torch.load(os.path.join(args.resume, "vae.pt"), map_location=dev)
        enc, dec = M.VaeEncoder().to(dev), M.VaeDecoder().to(dev)
        enc.load_state_dict(vae_state["encoder"])
        dec.load_state_dict(vae_state["decoder"])
        with open(os.path.join(args.resume, "train_meta.json")) as f:
            scaling = json.load(f)["scaling_factor"]
        meta["scaling_factor"] = scaling
        resume = torch.load(os.path.join(args.resume, "sd.pt"), map_location=dev)
        meta["resumed_from"] = args.resume
    elif "vae" in only or "sd" in only:
        enc, dec, scaling = train_vae(ims, args, dev)
        torch.save({"encoder": enc.state_dict(), "decoder": dec.state_dict()}, os.path.join(args.out, "vae.pt"))
        meta["scaling_factor"] = scaling
    if "sd" in only:
        sd_args = argparse.Namespace(**vars(args))
        sd_args.batch = args.sd_batch
        text, unet = train_sd(ims, caps, tok, clip_model, enc, scaling, sd_args, dev, resume)
        torch.save({"text": text.state_dict(), "unet": unet.state_dict()}, os.path.join(args.out, "sd.pt"))
        import quick_eval
        text.eval(), unet.eval(), dec.eval()
        scores, red = quick_eval.evaluate(unet, text, dec, tok, scaling, alphas_cumprod(dev), dev,
                                          n=args.eval_n)
        log("quick eval (torch DDIM 20 steps, cfg 7.5):", scores)
        meta["quick_eval"] = scores
        from PIL import Image
        Image.fromarray(np.concatenate(list(red), 1)).save(os.path.join(args.out, "red_circles.png"))
    if "ink" in only and args.photos:
        gen = train_ink(args, dev)
        torch.save(gen.state_dict(), os.path.join(args.out, "ink_gan.pt"))
    with open(os.path.join(args.out, "train_meta.json"), "w") as f:
        json.dump(meta, f, indent=2)
    log("done")


if __name__ == "__main__":
    main()
