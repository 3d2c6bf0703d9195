"""Reference fixtures for the attention capture: a tiny diffusers UNet2DConditionModel (random weights) exported to
ONNX, and the cross-attention probabilities that a recording attention processor saw in PyTorch on fixed inputs.

The recording processor is installed the way DAAM and prompt-to-prompt install theirs (``unet.set_attn_processor``):
it runs diffusers' own ``AttnProcessor`` and keeps what ``Attention.get_attention_scores`` returned, i.e. the softmax
probabilities [batch * heads, query = h*w, key], for every attention layer whose keys come from
``encoder_hidden_states`` (the ``attn2`` layers). The ONNX export is made with the default ``AttnProcessor`` (Debian's
torch 1.13 has no scaled_dot_product_attention, so diffusers picks it), so the graph computes attention as explicit
MatMul → Mul → Softmax → MatMul, as diffusers' converter script produces.

Cases (written to OUT/attention_refs.npz with OUT/attention_cases.json describing them):
- ``square``: batch 1, latents 8x8, no guidance;
- ``wide``: batch 1, latents 8x12 (non-square);
- ``guided``: two images under classifier-free guidance, i.e. a UNet batch of 4 (unconditional half first), 8x8.
Each case stores its inputs (sample, timestep, encoder_hidden_states), the UNet output, and per cross-attention layer
``<case>/<layer>`` the raw probabilities and ``<case>/<layer>/cond_mean`` = the conditional half averaged over heads
[B/2 or B, q, k] (numpy, from the raw ones). Layer names are the diffusers module paths, e.g.
``down_blocks.0.attentions.0.transformer_blocks.0.attn2``.

OUT/tiny_unet_4d.onnx is the same UNet exported with attention in the [batch, heads, queries, keys] layout of
scaled-dot-product exports (torch 2, Optimum), so both layouts are checked against the same probabilities.

Also writes OUT/fused_attention.onnx: a two-node graph with a com.microsoft MultiHeadAttention node, which the
capture must refuse.

Needs Debian's python3 with python3-torch (1.13), python3-onnx and the diffusers source of ../shared/refharness
(REFHARNESS_BUILD = a folder its `setup` filled). Exact command (from the repository root):

  REFHARNESS_BUILD=/tmp/refharness-inpaint /usr/bin/python3 tools/attention/make_attention_fixtures.py \
      src/test/resources/org/ijgenai/core/onnx/attention
"""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "refharness"))
import refharness_env  # noqa: E402,F401  (puts diffusers on sys.path, patches torch 1.13)

import numpy as np  # noqa: E402
import onnx  # noqa: E402
from onnx import helper, TensorProto  # noqa: E402
import torch  # noqa: E402
from diffusers import UNet2DConditionModel  # noqa: E402
from diffusers.models.attention_processor import AttnProcessor  # noqa: E402

OUT = sys.argv[1] if len(sys.argv) > 1 else "src/test/resources/org/ijgenai/core/onnx/attention"
TEXT_LEN = 77
CONTEXT_DIM = 16


class RecordingProcessor(AttnProcessor):
    """diffusers' AttnProcessor that also keeps the attention probabilities of cross-attention layers."""

    def __init__(self, name, store):
        self.name = name
        self.store = store

    def __call__(self, attn, hidden_states, encoder_hidden_states=None, attention_mask=None, temb=None, **kw):
        if encoder_hidden_states is None:
            return super().__call__(attn, hidden_states, encoder_hidden_states, attention_mask, temb, **kw)
        original = attn.get_attention_scores

        def recording(query, key, mask=None):
            probs = original(query, key, mask)
            self.store[self.name] = probs.detach().cpu().numpy().astype(np.float32)
            return probs

        attn.get_attention_scores = recording
        try:
            return super().__call__(attn, hidden_states, encoder_hidden_states, attention_mask, temb, **kw)
        finally:
            del attn.get_attention_scores


class FourDimProcessor(AttnProcessor):
    """Attention in the [batch, heads, queries, keys] layout that scaled-dot-product exports (torch 2, Optimum) have:
    the same arithmetic as AttnProcessor without folding the heads into the batch."""

    def __call__(self, attn, hidden_states, encoder_hidden_states=None, attention_mask=None, temb=None, **kw):
        context = hidden_states if encoder_hidden_states is None else encoder_hidden_states
        b, n, _ = hidden_states.shape
        q, k, v = attn.to_q(hidden_states), attn.to_k(context), attn.to_v(context)
        h = attn.heads
        d = q.shape[-1] // h
        q = q.view(b, -1, h, d).transpose(1, 2)
        k = k.view(b, -1, h, d).transpose(1, 2)
        v = v.view(b, -1, h, d).transpose(1, 2)
        probs = (torch.matmul(q, k.transpose(-1, -2)) * attn.scale).softmax(dim=-1)
        out = torch.matmul(probs, v).transpose(1, 2).reshape(b, n, h * d)
        return attn.to_out[1](attn.to_out[0](out))


def tiny_unet():
    torch.manual_seed(0)
    unet = UNet2DConditionModel(
        sample_size=8, in_channels=4, out_channels=4, layers_per_block=1, block_out_channels=(16, 32),
        down_block_types=("CrossAttnDownBlock2D", "CrossAttnDownBlock2D"),
        up_block_types=("CrossAttnUpBlock2D", "CrossAttnUpBlock2D"),
        cross_attention_dim=CONTEXT_DIM, attention_head_dim=2, norm_num_groups=8)
    # Random-init attention is nearly uniform; larger q/k weights make the maps peaked, so a wrong head or token
    # order cannot pass the comparison by accident.
    with torch.no_grad():
        for name, p in unet.named_parameters():
            if name.endswith("attn2.to_q.weight") or name.endswith("attn2.to_k.weight"):
                p.mul_(3.0)
    return unet.eval()


def cross_attention_names(unet):
    return [name[: -len(".processor")] for name in unet.attn_processors if ".attn2." in name]


class Signature(torch.nn.Module):
    """The diffusers ONNX layout's UNet signature: sample, timestep, encoder_hidden_states → out_sample."""

    def __init__(self, unet):
        super().__init__()
        self.unet = unet

    def forward(self, sample, timestep, encoder_hidden_states):
        return self.unet(sample, timestep, encoder_hidden_states, return_dict=False)[0]


def export(unet, path, processor):
    unet.set_attn_processor(processor)
    sample = torch.randn(1, 4, 8, 8)
    timestep = torch.tensor([10.0])
    hidden = torch.randn(1, TEXT_LEN, CONTEXT_DIM)
    torch.onnx.export(
        Signature(unet), (sample, timestep, hidden), path,
        input_names=["sample", "timestep", "encoder_hidden_states"], output_names=["out_sample"],
        dynamic_axes={"sample": {0: "batch", 2: "height", 3: "width"}, "timestep": {0: "batch"},
                      "encoder_hidden_states": {0: "batch", 1: "sequence"}},
        opset_version=14, do_constant_folding=True)


def fused_graph(path):
    x = helper.make_tensor_value_info("query", TensorProto.FLOAT, [1, 4, 8])
    k = helper.make_tensor_value_info("key", TensorProto.FLOAT, [1, 77, 8])
    y = helper.make_tensor_value_info("out", TensorProto.FLOAT, [1, 4, 8])
    node = helper.make_node("MultiHeadAttention", ["query", "key", "key"], ["mha"], domain="com.microsoft",
                            num_heads=2, name="/attn2/MultiHeadAttention")
    ident = helper.make_node("Identity", ["mha"], ["out"])
    graph = helper.make_graph([node, ident], "fused", [x, k], [y])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 14),
                                                    helper.make_opsetid("com.microsoft", 1)])
    onnx.save(model, path)


def main():
    os.makedirs(OUT, exist_ok=True)
    unet = tiny_unet()
    names = cross_attention_names(unet)
    heads = unet.config.attention_head_dim
    export(unet, os.path.join(OUT, "tiny_unet.onnx"), AttnProcessor())
    export(unet, os.path.join(OUT, "tiny_unet_4d.onnx"), FourDimProcessor())
    fused_graph(os.path.join(OUT, "fused_attention.onnx"))
    rng = np.random.RandomState(17)
    cases = [("square", 1, 8, 8, False), ("wide", 1, 8, 12, False), ("guided", 2, 8, 8, True)]
    arrays, described = {}, []
    for key, images, h, w, guided in cases:
        batch = images * 2 if guided else images
        sample = rng.randn(batch, 4, h, w).astype(np.float32)
        if guided:
            sample[images:] = sample[:images]  # the pipeline doubles the same latents
        timestep = np.full([batch], 501.0, np.float32)
        hidden = rng.randn(batch, TEXT_LEN, CONTEXT_DIM).astype(np.float32)
        store = {}
        unet.set_attn_processor({n: RecordingProcessor(n[: -len(".processor")], store) for n in unet.attn_processors})
        with torch.no_grad():
            out = unet(torch.from_numpy(sample), torch.from_numpy(timestep), torch.from_numpy(hidden)).sample.numpy()
        arrays[key + "/sample"] = sample
        arrays[key + "/timestep"] = timestep
        arrays[key + "/encoder_hidden_states"] = hidden
        arrays[key + "/out_sample"] = out.astype(np.float32)
        for name in names:
            raw = store[name]  # [batch * heads, q, k], batch-major
            arrays[key + "/" + name] = raw
            per = raw.reshape(batch, heads, raw.shape[1], raw.shape[2])
            cond = per[batch // 2:] if guided else per
            arrays[key + "/" + name + "/cond_mean"] = cond.mean(axis=1, dtype=np.float64).astype(np.float32)
        described.append({"case": key, "unet_batch": batch, "latent_height": h, "latent_width": w,
                          "guided": guided, "timestep": 501.0})
    np.savez(os.path.join(OUT, "attention_refs.npz"), **arrays)
    with open(os.path.join(OUT, "attention_cases.json"), "w") as f:
        json.dump({"made_with": "tools/attention/make_attention_fixtures.py: diffusers UNet2DConditionModel "
                   "(block_out_channels 16/32, 2 heads, cross_attention_dim 16, random weights, seed 0), "
                   "torch " + torch.__version__ + ", torch.onnx.export opset 14, AttnProcessor",
                   "heads": heads, "text_length": TEXT_LEN, "cross_attention_layers": names, "cases": described},
                  f, indent=1)
    print("wrote", OUT, "layers", names)


if __name__ == "__main__":
    main()
