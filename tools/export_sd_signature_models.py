"""Exports toy ONNX networks with the input/output signatures real Stable Diffusion exports use, for the runner tests
(TextEncoder, Unet, VaeEncoder). Their arithmetic is trivial so the tests can state the expected numbers by hand.

Run with Debian's python3 (torch 1.13): /usr/bin/python3 tools/export_sd_signature_models.py
"""
import os

import torch

OUT = os.path.join(os.path.dirname(__file__), "..", "src", "test", "resources", "org", "ijgenai", "core", "model")


class ToyUnet(torch.nn.Module):
    """out = sample * 0.5 + timestep / 1000 + mean(encoder_hidden_states) [+ sum(timestep_cond)]."""

    def __init__(self, with_cond):
        super().__init__()
        self.with_cond = with_cond

    def forward(self, sample, timestep, encoder_hidden_states, timestep_cond=None):
        t = timestep.to(torch.float32).reshape(-1, 1, 1, 1).expand(sample.shape[0], 1, 1, 1)
        h = encoder_hidden_states.mean(dim=(1, 2)).reshape(-1, 1, 1, 1)
        out = sample * 0.5 + t / 1000.0 + h
        if self.with_cond:
            out = out + timestep_cond.sum(dim=1).reshape(-1, 1, 1, 1)
        return out


def export_unet(name, timestep, with_cond=False, timestep_axes=None):
    sample = torch.zeros(2, 4, 4, 6)
    hidden = torch.zeros(2, 77, 8)
    args = [sample, timestep, hidden]
    names = ["sample", "timestep", "encoder_hidden_states"]
    axes = {"sample": {0: "batch", 2: "height", 3: "width"}, "encoder_hidden_states": {0: "batch"},
            "out_sample": {0: "batch", 2: "height", 3: "width"}}
    if timestep_axes is not None:
        axes["timestep"] = timestep_axes
    if with_cond:
        args.append(torch.zeros(2, 6))
        names.append("timestep_cond")
        axes["timestep_cond"] = {0: "batch"}
    torch.onnx.export(ToyUnet(with_cond), tuple(args), os.path.join(OUT, name), input_names=names,
                      output_names=["out_sample"], dynamic_axes=axes, opset_version=14)


class ToyTextEncoder(torch.nn.Module):
    """last_hidden_state[b, i, k] = ids[b, i] * (k + 1)."""

    def forward(self, input_ids):
        k = torch.arange(1, 5, dtype=torch.float32).reshape(1, 1, 4)
        hidden = input_ids.to(torch.float32).unsqueeze(-1) * k
        return hidden, hidden[:, 0]


class ToyVaeEncoder(torch.nn.Module):
    """latent_parameters: 4 mean channels = 0.5 · the average of RGB, then 4 log-variance channels = log(0.25)."""

    def forward(self, sample):
        pooled = torch.nn.functional.avg_pool2d(sample.mean(dim=1, keepdim=True), 8)
        mean = pooled.repeat(1, 4, 1, 1) * 0.5
        logvar = torch.full_like(mean, -1.3862943611198906)
        return torch.cat([mean, logvar], dim=1)


class HalfBoundaryUnet(torch.nn.Module):
    """The float-timestep toy UNet with float16 inputs and output, as fp16 exports declare them."""

    def forward(self, sample, timestep, encoder_hidden_states):
        out = ToyUnet(False)(sample.float(), timestep.float(), encoder_hidden_states.float())
        return out.half()


if __name__ == "__main__":
    export_unet("unet_float_timestep_batch.onnx", torch.tensor([500.0, 500.0]), timestep_axes={0: "steps"})
    export_unet("unet_int64_timestep_one.onnx", torch.tensor([500], dtype=torch.int64))
    export_unet("unet_scalar_timestep.onnx", torch.tensor(500.0))
    export_unet("unet_lcm_timestep_cond.onnx", torch.tensor([500], dtype=torch.int64), with_cond=True,
                timestep_axes={0: "steps"})
    torch.onnx.export(HalfBoundaryUnet(), (torch.zeros(2, 4, 4, 6).half(), torch.tensor([500.0, 500.0]).half(),
                                           torch.zeros(2, 77, 8).half()),
                      os.path.join(OUT, "unet_float16.onnx"), input_names=["sample", "timestep", "encoder_hidden_states"],
                      output_names=["out_sample"],
                      dynamic_axes={"sample": {0: "batch", 2: "height", 3: "width"}, "timestep": {0: "steps"},
                                    "encoder_hidden_states": {0: "batch"}}, opset_version=14)
    torch.onnx.export(ToyTextEncoder(), (torch.zeros(1, 77, dtype=torch.int64),),
                      os.path.join(OUT, "text_encoder_int64_ids.onnx"), input_names=["input_ids"],
                      output_names=["last_hidden_state", "pooler_output"],
                      dynamic_axes={"input_ids": {0: "batch"}}, opset_version=14)
    torch.onnx.export(ToyVaeEncoder(), (torch.zeros(1, 3, 16, 16),),
                      os.path.join(OUT, "vae_encoder_latent_parameters.onnx"), input_names=["sample"],
                      output_names=["latent_parameters"],
                      dynamic_axes={"sample": {0: "batch", 2: "height", 3: "width"}}, opset_version=14)
