"""Runs diffusers' own scheduler source on small loops and writes element-wise references for the Java ports.

The published "full loop" numbers of diffusers' tests pin sums only to 1e-2. This script pins every element: it loads
the real scheduling_*.py files of a diffusers checkout (not vendored here) into a minimal stand-in package that only
provides the config plumbing they import, runs each case with torch/numpy/scipy, and writes the final samples.

Usage (Debian python3 with python3-torch, python3-numpy, python3-scipy):
  /usr/bin/python3 tools/schedulers/make_scheduler_refs.py <diffusers>/src/diffusers/schedulers \
      src/test/resources/org/ijgenai/core/scheduler/diffusers_scheduler_refs.json

Each case runs a Stable Diffusion style loop on diffusers' dummy_sample_deter with its dummy model
(sample * t / (t + 1)): sample *= init_noise_sigma; for t: x = scale_model_input(sample, t); sample =
step(model(x, t), t, sample, ...).prev_sample. Noise-drawing steps take torch.manual_seed(0) draws, which the Java
side replays from torch_seed0_randn_10x4x3x8x8.f32. img2img cases first noise the sample with dummy_noise_deter at
timesteps[start] and loop over timesteps[start:].

Versions matter in the last bit: torch < 2 computes float32 linspace (hence β) with a vectorised formula that differs
from torch >= 2 by an ulp here and there, and numpy < 2 evaluates _sigma_to_t's weights in float32 (value-based
casting) where numpy >= 2 uses float64. The Java test therefore compares timesteps and σ with a relative tolerance;
the shared fixture (torch 2.11, numpy 2) pins the exact values.
"""
import base64
import dataclasses
import enum
import functools
import importlib.util
import inspect
import json
import logging as std_logging
import sys
import types

import numpy as np
import torch


def install_stand_in_package(scheduler_dir):
    """Registers a package 'diffusers' whose only real modules are the scheduler files under test."""
    root = types.ModuleType("diffusers")
    root.__path__ = []
    sys.modules["diffusers"] = root

    config = types.ModuleType("diffusers.configuration_utils")

    def register_to_config(init):
        @functools.wraps(init)
        def wrapper(self, *args, **kwargs):
            bound = inspect.signature(init).bind(self, *args, **kwargs)
            bound.apply_defaults()
            values = dict(bound.arguments)
            values.pop("self")
            self._internal_dict = values
            init(self, *args, **kwargs)

        return wrapper

    class ConfigMixin:
        @property
        def config(self):
            return types.SimpleNamespace(**self._internal_dict)

        def register_to_config(self, **kwargs):
            self._internal_dict.update(kwargs)

    config.register_to_config = register_to_config
    config.ConfigMixin = ConfigMixin
    sys.modules[config.__name__] = config

    utils = types.ModuleType("diffusers.utils")
    utils.__path__ = []

    class BaseOutput:
        pass

    utils.BaseOutput = BaseOutput
    utils.deprecate = lambda *args, **kwargs: None
    utils.is_scipy_available = lambda: True
    utils.logging = types.SimpleNamespace(get_logger=std_logging.getLogger)
    sys.modules[utils.__name__] = utils

    torch_utils = types.ModuleType("diffusers.utils.torch_utils")

    def randn_tensor(shape, generator=None, device=None, dtype=None, layout=None):
        return torch.randn(shape, generator=generator, dtype=dtype)

    torch_utils.randn_tensor = randn_tensor
    sys.modules[torch_utils.__name__] = torch_utils

    schedulers = types.ModuleType("diffusers.schedulers")
    schedulers.__path__ = [scheduler_dir]
    sys.modules[schedulers.__name__] = schedulers

    scheduling_utils = types.ModuleType("diffusers.schedulers.scheduling_utils")
    scheduling_utils.KarrasDiffusionSchedulers = enum.Enum("KarrasDiffusionSchedulers", "DDIMScheduler")

    class SchedulerMixin:
        pass

    @dataclasses.dataclass
    class SchedulerOutput(BaseOutput):
        prev_sample: torch.Tensor

    scheduling_utils.SchedulerMixin = SchedulerMixin
    scheduling_utils.SchedulerOutput = SchedulerOutput
    sys.modules[scheduling_utils.__name__] = scheduling_utils


def load(scheduler_dir, module, cls):
    name = "diffusers.schedulers." + module
    spec = importlib.util.spec_from_file_location(name, f"{scheduler_dir}/{module}.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return getattr(mod, cls)


def dummy(flip):
    n = 4 * 3 * 8 * 8
    sample = torch.arange(n)
    if flip:
        sample = sample.flip(-1)
    return (sample.reshape(3, 8, 8, 4) / n).permute(3, 0, 1, 2)


def model(sample, t):
    t = t.reshape(-1, 1, 1, 1).to(sample.dtype) if isinstance(t, torch.Tensor) else torch.tensor(float(t))
    return sample * t / (t + 1)


SD15 = {"num_train_timesteps": 1000, "beta_start": 0.00085, "beta_end": 0.012, "beta_schedule": "scaled_linear",
        "trained_betas": None, "set_alpha_to_one": False, "steps_offset": 1, "clip_sample": False}
LINEAR = {"num_train_timesteps": 1000, "beta_start": 0.0001, "beta_end": 0.02, "beta_schedule": "linear"}

# (id, class key, config, steps, extra: eta / img2img start)
CASES = [
    ("ddim_sd15", "ddim", SD15, 10, {}),
    ("ddim_sd15_eta1", "ddim", SD15, 10, {"eta": 1.0}),
    ("ddim_linear_trailing_v", "ddim", dict(LINEAR, timestep_spacing="trailing", prediction_type="v_prediction"),
     7, {}),
    ("ddim_sd15_sample_prediction_linspace", "ddim", dict(SD15, prediction_type="sample", timestep_spacing="linspace",
                                                           clip_sample=True), 10, {}),
    ("ddim_sd15_img2img", "ddim", SD15, 10, {"start": 3}),
    ("pndm_sd15_plms", "pndm", dict(SD15, skip_prk_steps=True), 10, {}),
    ("pndm_linear_prk", "pndm", LINEAR, 10, {}),
    ("pndm_cosine_v_trailing", "pndm", dict(LINEAR, beta_schedule="squaredcos_cap_v2", prediction_type="v_prediction",
                                            timestep_spacing="trailing", skip_prk_steps=True), 8, {}),
    ("euler_sd15", "euler", SD15, 10, {}),
    ("euler_sd15_karras", "euler", dict(SD15, use_karras_sigmas=True), 10, {}),
    ("euler_sd15_leading", "euler", dict(SD15, timestep_spacing="leading"), 10, {}),
    ("euler_linear_loglinear_sigma_min", "euler", dict(LINEAR, interpolation_type="log_linear",
                                                        final_sigmas_type="sigma_min"), 10, {}),
    ("euler_linear_v_continuous", "euler", dict(LINEAR, prediction_type="v_prediction", timestep_type="continuous"),
     10, {}),
    ("euler_sd15_img2img", "euler", SD15, 10, {"start": 3}),
    ("euler_a_sd15", "euler_a", SD15, 10, {}),
    ("euler_a_sd15_trailing_v", "euler_a", dict(SD15, timestep_spacing="trailing", prediction_type="v_prediction"),
     10, {}),
    ("lms_sd15", "lms", SD15, 10, {}),
    ("lms_sd15_karras", "lms", dict(SD15, use_karras_sigmas=True), 10, {}),
    ("lms_sd15_img2img", "lms", SD15, 10, {"start": 3}),
    ("dpm_sd15", "dpm", SD15, 10, {}),
    ("dpm_sd15_karras", "dpm", dict(SD15, use_karras_sigmas=True), 10, {}),
    ("dpm_sd15_order3_heun", "dpm", dict(SD15, solver_order=3, solver_type="heun"), 10, {}),
    ("dpm_sd15_order3_long", "dpm", dict(SD15, solver_order=3), 20, {}),
    ("dpm_linear_dpmsolver_sigma_min", "dpm", dict(LINEAR, algorithm_type="dpmsolver",
                                                    final_sigmas_type="sigma_min"), 10, {}),
    ("dpm_cosine_clipped", "dpm", dict(LINEAR, beta_schedule="squaredcos_cap_v2", lambda_min_clipped=-5.1), 10, {}),
    ("dpm_sd15_img2img", "dpm", SD15, 10, {"start": 3}),
    ("ddim_sd15_zero_snr_trailing_v", "ddim", dict(SD15, rescale_betas_zero_snr=True, timestep_spacing="trailing",
                                                    prediction_type="v_prediction"), 10, {}),
    ("euler_sd15_zero_snr_trailing_v", "euler", dict(SD15, rescale_betas_zero_snr=True, timestep_spacing="trailing",
                                                      prediction_type="v_prediction"), 10, {}),
    ("euler_a_sd15_zero_snr_trailing_v", "euler_a", dict(SD15, rescale_betas_zero_snr=True,
                                                          timestep_spacing="trailing", prediction_type="v_prediction"),
     10, {}),
    ("dpm_sd15_zero_snr_trailing_v", "dpm", dict(SD15, rescale_betas_zero_snr=True, timestep_spacing="trailing",
                                                  prediction_type="v_prediction"), 10, {}),
    ("lms_sd15_ignores_zero_snr", "lms", dict(SD15, rescale_betas_zero_snr=True), 10, {}),
    ("lcm_zero_snr_v_4", "lcm", {"rescale_betas_zero_snr": True, "prediction_type": "v_prediction"}, 4, {}),
    ("lcm_default_4", "lcm", {}, 4, {}),
    ("lcm_default_1", "lcm", {}, 1, {}),
]

CLASSES = {
    "ddim": ("scheduling_ddim", "DDIMScheduler"),
    "pndm": ("scheduling_pndm", "PNDMScheduler"),
    "euler": ("scheduling_euler_discrete", "EulerDiscreteScheduler"),
    "euler_a": ("scheduling_euler_ancestral_discrete", "EulerAncestralDiscreteScheduler"),
    "lms": ("scheduling_lms_discrete", "LMSDiscreteScheduler"),
    "dpm": ("scheduling_dpmsolver_multistep", "DPMSolverMultistepScheduler"),
    "lcm": ("scheduling_lcm", "LCMScheduler"),
}


def encode(array):
    return base64.b64encode(np.ascontiguousarray(array, dtype="<f4").tobytes()).decode("ascii")


def run_case(scheduler_dir, case):
    case_id, key, config, steps, extra = case
    cls = load(scheduler_dir, *CLASSES[key])
    scheduler = cls(**{k: v for k, v in config.items() if k in inspect.signature(cls.__init__).parameters})
    scheduler.set_timesteps(steps)
    generator = torch.manual_seed(0)
    timesteps = scheduler.timesteps
    sample = dummy(False) * scheduler.init_noise_sigma
    start = extra.get("start", 0)
    if start:
        timesteps = timesteps[start:]
        sample = scheduler.add_noise(dummy(False), dummy(True), timesteps[:1])
    kwargs = {}
    if key in ("euler_a", "lcm"):
        kwargs["generator"] = generator
    if key == "ddim":
        kwargs["eta"] = extra.get("eta", 0.0)
        if kwargs["eta"] > 0:
            kwargs["generator"] = generator
    for t in timesteps:
        x = scheduler.scale_model_input(sample, t)
        sample = scheduler.step(model(x, t), t, sample, **kwargs).prev_sample
    sigmas = getattr(scheduler, "sigmas", None)
    return {
        "id": case_id,
        "class": key,
        "config": config,
        "steps": steps,
        "eta": extra.get("eta", 0.0),
        "start": start,
        "timesteps": [float(v) for v in scheduler.timesteps.double().tolist()],
        "init_noise_sigma": float(scheduler.init_noise_sigma),
        "sigmas_f32": encode(sigmas.numpy()) if isinstance(sigmas, torch.Tensor) and key != "ddim" else None,
        "result_f32": encode(sample.numpy()),
    }


def main():
    scheduler_dir, out = sys.argv[1], sys.argv[2]
    install_stand_in_package(scheduler_dir)
    results = [run_case(scheduler_dir, case) for case in CASES]
    with open(out, "w") as f:
        json.dump({"made_with": {"torch": torch.__version__, "numpy": np.__version__},
                   "cases": results}, f, indent=1)
    print("wrote", len(results), "cases to", out, file=sys.stderr)


if __name__ == "__main__":
    main()
