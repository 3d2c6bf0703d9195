"""The small networks of the bundled models, in plain PyTorch (runs on Debian's torch 1.13 and on newer versions).

Each has the inputs and outputs of its public counterpart, so the exported ONNX files drop into the same layouts:
a CLIP-style text transformer and image encoder (shapes-clip), a VAE with 8x downsampling and 4 latent channels,
a UNet with cross-attention (shapes-sd), and a pix2pix U-Net generator with a PatchGAN discriminator (ink-gan).
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class Attention(nn.Module):
    def __init__(self, dim, heads, context_dim=None):
        super().__init__()
        self.heads = heads
        context_dim = context_dim or dim
        self.q = nn.Linear(dim, dim, bias=False)
        self.k = nn.Linear(context_dim, dim, bias=False)
        self.v = nn.Linear(context_dim, dim, bias=False)
        self.out = nn.Linear(dim, dim)

    def forward(self, x, context=None, mask=None):
        context = x if context is None else context
        b, n, d = x.shape
        h = self.heads
        q = self.q(x).reshape(b, n, h, d // h).transpose(1, 2)
        k = self.k(context).reshape(b, context.shape[1], h, d // h).transpose(1, 2)
        v = self.v(context).reshape(b, context.shape[1], h, d // h).transpose(1, 2)
        att = (q @ k.transpose(-1, -2)) * (1.0 / math.sqrt(d // h))
        if mask is not None:
            att = att + mask
        att = att.softmax(-1)
        return self.out((att @ v).transpose(1, 2).reshape(b, n, d))


class TextBlock(nn.Module):
    def __init__(self, width, heads):
        super().__init__()
        self.ln1 = nn.LayerNorm(width)
        self.attn = Attention(width, heads)
        self.ln2 = nn.LayerNorm(width)
        self.fc1 = nn.Linear(width, 4 * width)
        self.fc2 = nn.Linear(4 * width, width)

    def forward(self, x, mask):
        x = x + self.attn(self.ln1(x), mask=mask)
        h = self.fc1(self.ln2(x))
        return x + self.fc2(h * torch.sigmoid(1.702 * h))


class TextTransformer(nn.Module):
    """CLIP's text tower: causal transformer, final LayerNorm, pooled at the first end-of-text token."""

    def __init__(self, vocab_size, width=128, layers=4, heads=4, max_length=77, projection_dim=64):
        super().__init__()
        self.token = nn.Embedding(vocab_size, width)
        self.position = nn.Parameter(torch.randn(max_length, width) * 0.01)
        self.blocks = nn.ModuleList([TextBlock(width, heads) for _ in range(layers)])
        self.ln = nn.LayerNorm(width)
        self.projection = nn.Linear(width, projection_dim, bias=False)
        mask = torch.full((max_length, max_length), float("-inf")).triu(1)
        self.register_buffer("mask", mask, persistent=False)

    def hidden(self, input_ids):
        n = input_ids.shape[1]
        x = self.token(input_ids) + self.position[:n]
        mask = self.mask[:n, :n]
        for block in self.blocks:
            x = block(x, mask)
        return self.ln(x)

    def pooled(self, input_ids, hidden):
        # The end-of-text id is the largest in the vocabulary, so argmax finds its first occurrence, as CLIP does.
        eos = input_ids.argmax(-1)
        return self.projection(hidden[torch.arange(hidden.shape[0]), eos])

    def forward(self, input_ids):
        return self.pooled(input_ids, self.hidden(input_ids))


def _norm(c):
    return nn.GroupNorm(8 if c % 8 == 0 else 1, c)


class ImageEncoder(nn.Module):
    """CLIP's image tower, as a small CNN over 64x64 images."""

    def __init__(self, projection_dim=64, width=24):
        super().__init__()
        c = [width, width * 2, width * 4, width * 4]
        layers, cin = [], 3
        for cout in c:
            layers += [nn.Conv2d(cin, cout, 3, 2, 1), _norm(cout), nn.SiLU(), nn.Conv2d(cout, cout, 3, 1, 1),
                       _norm(cout), nn.SiLU()]
            cin = cout
        self.features = nn.Sequential(*layers)
        self.head = nn.Sequential(nn.Flatten(), nn.Linear(cin * 16, 256), nn.SiLU(), nn.Linear(256, projection_dim))

    def forward(self, pixel_values):
        return self.head(self.features(pixel_values))


class ShapesClip(nn.Module):
    def __init__(self, vocab_size, projection_dim=64):
        super().__init__()
        self.text = TextTransformer(vocab_size, projection_dim=projection_dim)
        self.image = ImageEncoder(projection_dim)
        self.logit_scale = nn.Parameter(torch.tensor(math.log(1 / 0.07)))


class ResBlock(nn.Module):
    def __init__(self, cin, cout, temb=None):
        super().__init__()
        self.n1, self.c1 = _norm(cin), nn.Conv2d(cin, cout, 3, 1, 1)
        self.n2, self.c2 = _norm(cout), nn.Conv2d(cout, cout, 3, 1, 1)
        self.t = nn.Linear(temb, cout) if temb else None
        self.skip = nn.Conv2d(cin, cout, 1) if cin != cout else nn.Identity()

    def forward(self, x, t=None):
        h = self.c1(F.silu(self.n1(x)))
        if self.t is not None:
            h = h + self.t(F.silu(t))[:, :, None, None]
        h = self.c2(F.silu(self.n2(h)))
        return self.skip(x) + h


class VaeEncoder(nn.Module):
    """64x64x3 in [-1,1] to the 8-channel posterior (mean, log-variance) on an 8x8 grid."""

    def __init__(self, ch=(32, 64, 96, 96)):
        super().__init__()
        self.inp = nn.Conv2d(3, ch[0], 3, 1, 1)
        blocks, cin = [], ch[0]
        for i, c in enumerate(ch):
            blocks.append(ResBlock(cin, c))
            if i < len(ch) - 1:
                blocks.append(nn.Conv2d(c, c, 3, 2, 1))
            cin = c
        self.blocks = nn.Sequential(*blocks)
        self.out = nn.Sequential(_norm(cin), nn.SiLU(), nn.Conv2d(cin, 8, 3, 1, 1))

    def forward(self, x):
        return self.out(self.blocks(self.inp(x)))


class VaeDecoder(nn.Module):
    def __init__(self, ch=(96, 96, 64, 32)):
        super().__init__()
        self.inp = nn.Conv2d(4, ch[0], 3, 1, 1)
        blocks, cin = [], ch[0]
        for i, c in enumerate(ch):
            blocks.append(ResBlock(cin, c))
            if i < len(ch) - 1:
                blocks += [nn.Upsample(scale_factor=2, mode="nearest"), nn.Conv2d(c, c, 3, 1, 1)]
            cin = c
        self.blocks = nn.Sequential(*blocks)
        self.out = nn.Sequential(_norm(cin), nn.SiLU(), nn.Conv2d(cin, 3, 3, 1, 1))

    def forward(self, z):
        return self.out(self.blocks(self.inp(z)))


class SpatialTransformer(nn.Module):
    def __init__(self, c, context_dim, heads=4):
        super().__init__()
        self.norm = _norm(c)
        self.proj_in = nn.Conv2d(c, c, 1)
        self.ln1, self.self_attn = nn.LayerNorm(c), Attention(c, heads)
        self.ln2, self.cross_attn = nn.LayerNorm(c), Attention(c, heads, context_dim)
        self.ln3 = nn.LayerNorm(c)
        self.ff = nn.Sequential(nn.Linear(c, 4 * c), nn.GELU(), nn.Linear(4 * c, c))
        self.proj_out = nn.Conv2d(c, c, 1)

    def forward(self, x, context):
        b, c, h, w = x.shape
        t = self.proj_in(self.norm(x)).reshape(b, c, h * w).transpose(1, 2)
        t = t + self.self_attn(self.ln1(t))
        t = t + self.cross_attn(self.ln2(t), context)
        t = t + self.ff(self.ln3(t))
        return x + self.proj_out(t.transpose(1, 2).reshape(b, c, h, w))


def timestep_embedding(t, dim):
    """Sinusoidal embedding as diffusers' Timesteps(flip_sin_to_cos=True, downscale_freq_shift=0)."""
    half = dim // 2
    freqs = torch.exp(-math.log(10000.0) * torch.arange(half, dtype=torch.float32, device=t.device) / half)
    args = t.float()[:, None] * freqs[None]
    return torch.cat([torch.cos(args), torch.sin(args)], dim=-1)


class UNet(nn.Module):
    """epsilon-prediction UNet on 4-channel latents with cross-attention to the text encoder's hidden states."""

    def __init__(self, context_dim=128, ch=(64, 128)):
        super().__init__()
        c0, c1 = ch
        temb = c0 * 4
        self.c0 = c0
        self.time = nn.Sequential(nn.Linear(c0, temb), nn.SiLU(), nn.Linear(temb, temb))
        self.inp = nn.Conv2d(4, c0, 3, 1, 1)
        self.d1, self.a1 = ResBlock(c0, c0, temb), SpatialTransformer(c0, context_dim)
        self.down = nn.Conv2d(c0, c0, 3, 2, 1)
        self.d2, self.a2 = ResBlock(c0, c1, temb), SpatialTransformer(c1, context_dim)
        self.m1, self.am, self.m2 = ResBlock(c1, c1, temb), SpatialTransformer(c1, context_dim), ResBlock(c1, c1, temb)
        self.u2, self.au2 = ResBlock(2 * c1, c1, temb), SpatialTransformer(c1, context_dim)
        self.up = nn.Sequential(nn.Upsample(scale_factor=2, mode="nearest"), nn.Conv2d(c1, c1, 3, 1, 1))
        self.u1, self.au1 = ResBlock(c1 + c0, c0, temb), SpatialTransformer(c0, context_dim)
        self.out = nn.Sequential(_norm(c0), nn.SiLU(), nn.Conv2d(c0, 4, 3, 1, 1))

    def forward(self, sample, timestep, encoder_hidden_states):
        t = self.time(timestep_embedding(timestep, self.c0))
        ctx = encoder_hidden_states
        h0 = self.inp(sample)
        h1 = self.a1(self.d1(h0, t), ctx)
        h2 = self.a2(self.d2(self.down(h1), t), ctx)
        m = self.m2(self.am(self.m1(h2, t), ctx), t)
        u = self.au2(self.u2(torch.cat([m, h2], 1), t), ctx)
        u = self.au1(self.u1(torch.cat([self.up(u), h1], 1), t), ctx)
        return self.out(u)


class UnetGenerator(nn.Module):
    """pix2pix's U-Net generator (4x4 stride-2 convolutions, skip connections), NCHW in and out in [-1,1]."""

    def __init__(self, ngf=16, depth=5):
        super().__init__()
        chans = [min(ngf * 2 ** i, ngf * 8) for i in range(depth)]
        self.downs = nn.ModuleList()
        cin = 3
        for i, c in enumerate(chans):
            layers = [nn.Conv2d(cin, c, 4, 2, 1)]
            if 0 < i < depth - 1:
                layers.append(nn.InstanceNorm2d(c, affine=True))
            self.downs.append(nn.Sequential(*layers))
            cin = c
        self.ups = nn.ModuleList()
        for i in reversed(range(depth)):
            cout = chans[i - 1] if i > 0 else 3
            cin_up = chans[i] if i == depth - 1 else chans[i] * 2
            layers = [nn.ReLU(), nn.ConvTranspose2d(cin_up, cout, 4, 2, 1)]
            if i > 0:
                layers.append(nn.InstanceNorm2d(cout, affine=True))
            self.ups.append(nn.Sequential(*layers))

    def forward(self, x):
        skips = []
        h = x
        for i, down in enumerate(self.downs):
            h = down(h if i == 0 else F.leaky_relu(h, 0.2))
            skips.append(h)
        for j, up in enumerate(self.ups):
            if j > 0:
                h = torch.cat([h, skips[len(skips) - 1 - j]], 1)
            h = up(h)
        return torch.tanh(h)


class PatchDiscriminator(nn.Module):
    """pix2pix's PatchGAN discriminator on (input, output) pairs."""

    def __init__(self, ndf=32):
        super().__init__()
        self.net = nn.Sequential(
            nn.Conv2d(6, ndf, 4, 2, 1), nn.LeakyReLU(0.2),
            nn.Conv2d(ndf, ndf * 2, 4, 2, 1), nn.InstanceNorm2d(ndf * 2, affine=True), nn.LeakyReLU(0.2),
            nn.Conv2d(ndf * 2, ndf * 4, 4, 2, 1), nn.InstanceNorm2d(ndf * 4, affine=True), nn.LeakyReLU(0.2),
            nn.Conv2d(ndf * 4, ndf * 4, 4, 1, 1), nn.InstanceNorm2d(ndf * 4, affine=True), nn.LeakyReLU(0.2),
            nn.Conv2d(ndf * 4, 1, 4, 1, 1))

    def forward(self, a, b):
        return self.net(torch.cat([a, b], 1))


def count(m):
    return sum(p.numel() for p in m.parameters())


if __name__ == "__main__":
    u, t = UNet(), TextTransformer(615)
    print("unet", count(u), "text", count(t), "vae", count(VaeEncoder()) + count(VaeDecoder()),
          "clip-image", count(ImageEncoder()), "gen", count(UnetGenerator()), "disc", count(PatchDiscriminator()))
    ids = torch.zeros(2, 77, dtype=torch.long)
    out = u(torch.randn(2, 4, 8, 8), torch.tensor([10.0, 500.0]), t.hidden(ids))
    print(out.shape, VaeDecoder()(VaeEncoder()(torch.randn(1, 3, 64, 64))[:, :4]).shape,
          UnetGenerator()(torch.randn(1, 3, 64, 96)).shape)


class DcganGenerator(nn.Module):
    """DCGAN generator (Radford et al. 2016) for shapes-gan: z (B, z_dim) → RGB (B, 3, size, size) in [-1, 1].

    A fully connected layer to 4×4, then stride-2 transposed convolutions up to `size` (32: 4→8→16→32), with batch
    norm and ReLU between them and tanh at the end, halving the channels at each step. Takes z as a flat vector (not
    B×z×1×1) so that the ONNX input is exactly the noise vector.
    """

    def __init__(self, z_dim=64, ngf=32, size=32):
        super().__init__()
        levels = int(math.log2(size // 4))
        self.z_dim, self.width = z_dim, ngf * 2 ** (levels - 1)
        self.fc = nn.Linear(z_dim, self.width * 16, bias=False)
        self.bn0 = nn.BatchNorm2d(self.width)
        layers, c = [], self.width
        for _ in range(levels - 1):
            layers += [nn.ConvTranspose2d(c, c // 2, 4, 2, 1, bias=False), nn.BatchNorm2d(c // 2), nn.ReLU(True)]
            c //= 2
        self.body = nn.Sequential(*layers, nn.ConvTranspose2d(c, 3, 4, 2, 1), nn.Tanh())

    def forward(self, z):
        x = F.relu(self.bn0(self.fc(z).reshape(z.shape[0], self.width, 4, 4)))
        return self.body(x)


class DcganDiscriminator(nn.Module):
    """DCGAN discriminator for shapes-gan: RGB (B, 3, size, size) → one score per image (stride-2 convs to 4×4),
    with spectral normalisation instead of batch norm (Miyato et al. 2018), which keeps it from overpowering the
    generator in the first few hundred steps."""

    def __init__(self, ndf=32, size=32):
        super().__init__()
        levels = int(math.log2(size // 4))
        sn = nn.utils.spectral_norm
        layers, c = [sn(nn.Conv2d(3, ndf, 4, 2, 1)), nn.LeakyReLU(0.1, True)], ndf
        for _ in range(levels - 1):
            layers += [sn(nn.Conv2d(c, c * 2, 4, 2, 1)), nn.LeakyReLU(0.1, True)]
            c *= 2
        self.net = nn.Sequential(*layers, sn(nn.Conv2d(c, 1, 4, 1, 0)))

    def forward(self, x):
        return self.net(x).reshape(x.shape[0])
