"""Reference alpha_bar values of diffusers' DDPMScheduler beta schedules, for ForwardDiffusionScheduleTest.

Written from diffusers' scheduling_ddpm.py (DDPMScheduler.__init__ and betas_for_alpha_bar) with torch's float32
arithmetic, independently of the Java code. Run with Debian's python3 and python3-torch:

    /usr/bin/python3 tools/make_schedule_refs.py > src/test/resources/org/ijgenai/core/noise/schedule_refs.json
"""
import json
import math

import torch


def betas_for_alpha_bar(num_diffusion_timesteps, max_beta=0.999):
    def alpha_bar(t):
        return math.cos((t + 0.008) / 1.008 * math.pi / 2) ** 2

    betas = []
    for i in range(num_diffusion_timesteps):
        t1 = i / num_diffusion_timesteps
        t2 = (i + 1) / num_diffusion_timesteps
        betas.append(min(1 - alpha_bar(t2) / alpha_bar(t1), max_beta))
    return torch.tensor(betas, dtype=torch.float32)


def ddpm_betas(schedule, num_train_timesteps, beta_start, beta_end):
    if schedule == "linear":
        return torch.linspace(beta_start, beta_end, num_train_timesteps, dtype=torch.float32)
    if schedule == "scaled_linear":
        return torch.linspace(beta_start ** 0.5, beta_end ** 0.5, num_train_timesteps, dtype=torch.float32) ** 2
    if schedule == "squaredcos_cap_v2":
        return betas_for_alpha_bar(num_train_timesteps)
    if schedule == "sigmoid":
        betas = torch.linspace(-6, 6, num_train_timesteps)
        return torch.sigmoid(betas) * (beta_end - beta_start) + beta_start
    raise ValueError(schedule)


cases = []
for schedule, T, start, end in [
    ("linear", 1000, 0.0001, 0.02),
    ("scaled_linear", 1000, 0.0001, 0.02),
    ("squaredcos_cap_v2", 1000, 0.0001, 0.02),
    ("sigmoid", 1000, 0.0001, 0.02),
    ("scaled_linear", 1000, 0.00085, 0.012),
    ("linear", 50, 0.001, 0.2),
    ("sigmoid", 77, 0.0003, 0.05),
    ("squaredcos_cap_v2", 10, 0.0001, 0.02),
]:
    betas = ddpm_betas(schedule, T, start, end)
    alphas_cumprod = torch.cumprod(1.0 - betas, dim=0)
    cases.append({
        "schedule": schedule, "num_train_timesteps": T, "beta_start": start, "beta_end": end,
        "betas": [float(b) for b in betas], "alphas_cumprod": [float(a) for a in alphas_cumprod],
    })
print(json.dumps({"torch": torch.__version__, "cases": cases}))
