"""Records the standard-normal draws that diffusers' scheduler tests take from torch.manual_seed(0).

diffusers' Euler Ancestral and LCM multistep "full loop" tests draw their step noise with
randn_tensor((4, 3, 8, 8), generator=torch.manual_seed(0)), i.e. successive torch.randn calls on the default CPU
generator. This script writes 10 such draws as little-endian float32 (C order, draw after draw) so that the Java
ports can replay them through a NoiseSource and compare with the tests' published sums.

Run with Debian's python3 and python3-torch:  /usr/bin/python3 tools/schedulers/record_torch_noise.py
"""
import sys

import torch

OUT = "src/test/resources/org/ijgenai/core/scheduler/torch_seed0_randn_10x4x3x8x8.f32"


def main():
    generator = torch.manual_seed(0)
    draws = [torch.randn((4, 3, 8, 8), generator=generator, dtype=torch.float32) for _ in range(10)]
    data = torch.stack(draws).numpy().astype("<f4").tobytes()
    with open(OUT, "wb") as f:
        f.write(data)
    print("torch", torch.__version__, "wrote", len(data), "bytes to", OUT, file=sys.stderr)


if __name__ == "__main__":
    main()
