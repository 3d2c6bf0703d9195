"""Fine-tunes only the VAE decoder, with the encoder (and so the latent space the UNet learned) frozen, to sharpen
small details such as star points. Used for the shipped shapes-sd after the GPU runs; CPU is enough."""
import argparse
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import shapes_models as M  # noqa: E402
import train_all  # noqa: E402


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--vae", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--seed", type=int, default=4321)
    p.add_argument("--n", type=int, default=20000)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--steps", type=int, default=100000)
    p.add_argument("--seconds", type=float, default=900)
    p.add_argument("--lr", type=float, default=2e-4)
    p.add_argument("--threads", type=int, default=1)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    state = torch.load(a.vae, map_location="cpu")
    enc, dec = M.VaeEncoder(), M.VaeDecoder()
    enc.load_state_dict(state["encoder"])
    dec.load_state_dict(state["decoder"])
    enc.eval()
    ims, _, _ = train_all.make_dataset(a.seed, a.n, 2)
    x_all = torch.from_numpy(ims.transpose(0, 3, 1, 2).copy())
    with torch.no_grad():
        moments = torch.cat([enc(x_all[s:s + 500].float() / 127.5 - 1) for s in range(0, len(x_all), 500)])
    opt = torch.optim.Adam(dec.parameters(), lr=a.lr)
    budget = train_all.Budget(opt, a.steps, a.seconds, warmup=0.02)
    rng = np.random.RandomState(a.seed)
    start = time.time()
    while budget.next():
        idx = rng.randint(0, len(x_all), a.batch)
        m = moments[idx]
        z = m[:, :4] + torch.exp(0.5 * m[:, 4:].clamp(-30, 20)) * torch.randn_like(m[:, :4])
        x = x_all[idx].float() / 127.5 - 1
        rec = dec(z)
        loss = F.l1_loss(rec, x) + F.mse_loss(rec, x)
        opt.zero_grad()
        loss.backward()
        opt.step()
        if budget.step % 200 == 1:
            train_all.log(f"decoder step {budget.step} loss {loss.item():.4f} ({time.time() - start:.0f} s)")
    torch.save({"encoder": enc.state_dict(), "decoder": dec.state_dict()}, a.out)
    train_all.log(f"saved {a.out} after {budget.step} steps")


if __name__ == "__main__":
    main()
