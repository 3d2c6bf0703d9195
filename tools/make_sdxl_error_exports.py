"""Three unusual SDXL networks for the error and truncation tests (SdxlCliErrorsTest, SdxlChunkedPromptTest), built
with onnx.helper (no training, trivial arithmetic), into src/test/resources/org/ijgenai/core/diffusion/sdxl/:

  unet_text_embeds_only/model.onnx  an SDXL-style UNet with text_embeds but no time_ids input
                                    (out_sample = 0.5 * sample), with the tiny fixture's config.json
  vae_decoder_fp16_overflow/model.onnx
                                    a float16 vae_decoder that overflows as SDXL's original VAE does in float16:
                                    sample = fp16(nearest-upsample x8 of the first 3 latent channels * 6e4 * 6e4),
                                    infinite for any latent entry above about 1.8e-5 in magnitude; with the tiny
                                    fixture's config.json (scaling factor 0.13025)
  unet_fixed_text_length/model.onnx an SDXL UNet whose encoder_hidden_states sequence axis is fixed at 77, as exports
                                    traced without a dynamic "sequence" axis are: inputs sample, timestep,
                                    encoder_hidden_states [batch, 77, 64], text_embeds [batch, 32], time_ids
                                    [batch, 6]; out_sample = 0.5 * sample + 0 * mean(encoder_hidden_states) (the text
                                    is read, so ONNX Runtime checks its shape), with the tiny fixture's config.json

Run with Debian's python3 (onnx 1.12):  /usr/bin/python3 tools/make_sdxl_error_exports.py
"""
import shutil
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "test" / "resources" / "org" / "ijgenai" / "core" / "diffusion" / "sdxl"
FIXTURE = ROOT.parent / "shared" / "fixtures" / "tiny-sdxl-onnx"


def save(graph, folder, config_from):
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 14)], producer_name="ij-genai tools")
    model.ir_version = 8
    onnx.checker.check_model(model)
    folder.mkdir(parents=True, exist_ok=True)
    onnx.save(model, str(folder / "model.onnx"))
    shutil.copyfile(FIXTURE / config_from / "config.json", folder / "config.json")
    print("wrote", folder)


def unet_without_time_ids():
    inputs = [helper.make_tensor_value_info("sample", TensorProto.FLOAT, ["batch", 4, "height", "width"]),
              helper.make_tensor_value_info("timestep", TensorProto.FLOAT, ["steps"]),
              helper.make_tensor_value_info("encoder_hidden_states", TensorProto.FLOAT, ["batch", 77, 64]),
              helper.make_tensor_value_info("text_embeds", TensorProto.FLOAT, ["batch", 32])]
    output = helper.make_tensor_value_info("out_sample", TensorProto.FLOAT, ["batch", 4, "height", "width"])
    half = numpy_helper.from_array(np.array(0.5, dtype=np.float32), "half")
    graph = helper.make_graph([helper.make_node("Mul", ["sample", "half"], ["out_sample"])], "unet_text_embeds_only",
                              inputs, [output], [half])
    save(graph, OUT / "unet_text_embeds_only", "unet")


def vae_decoder_fp16_overflow():
    latent = helper.make_tensor_value_info("latent_sample", TensorProto.FLOAT16, ["batch", 4, "height", "width"])
    sample = helper.make_tensor_value_info("sample", TensorProto.FLOAT16, ["batch", 3, "h8", "w8"])
    inits = [numpy_helper.from_array(np.array([0], dtype=np.int64), "start"),
             numpy_helper.from_array(np.array([3], dtype=np.int64), "end"),
             numpy_helper.from_array(np.array([1], dtype=np.int64), "axis"),
             numpy_helper.from_array(np.array([1, 1, 8, 8], dtype=np.float32), "scales"),
             numpy_helper.from_array(np.array(6e4, dtype=np.float32), "big")]
    nodes = [helper.make_node("Cast", ["latent_sample"], ["latent32"], to=TensorProto.FLOAT),
             helper.make_node("Slice", ["latent32", "start", "end", "axis"], ["rgb"]),
             helper.make_node("Resize", ["rgb", "", "scales"], ["up"], mode="nearest"),
             helper.make_node("Mul", ["up", "big"], ["once"]),
             helper.make_node("Mul", ["once", "big"], ["twice"]),
             helper.make_node("Cast", ["twice"], ["sample"], to=TensorProto.FLOAT16)]
    graph = helper.make_graph(nodes, "vae_decoder_fp16_overflow", [latent], [sample], inits)
    save(graph, OUT / "vae_decoder_fp16_overflow", "vae_decoder")


def unet_fixed_text_length():
    inputs = [helper.make_tensor_value_info("sample", TensorProto.FLOAT, ["batch", 4, "height", "width"]),
              helper.make_tensor_value_info("timestep", TensorProto.FLOAT, ["steps"]),
              helper.make_tensor_value_info("encoder_hidden_states", TensorProto.FLOAT, ["batch", 77, 64]),
              helper.make_tensor_value_info("text_embeds", TensorProto.FLOAT, ["batch", 32]),
              helper.make_tensor_value_info("time_ids", TensorProto.FLOAT, ["batch", 6])]
    output = helper.make_tensor_value_info("out_sample", TensorProto.FLOAT, ["batch", 4, "height", "width"])
    inits = [numpy_helper.from_array(np.array(0.5, dtype=np.float32), "half"),
             numpy_helper.from_array(np.array(0.0, dtype=np.float32), "zero")]
    nodes = [helper.make_node("Mul", ["sample", "half"], ["scaled"]),
             helper.make_node("ReduceMean", ["encoder_hidden_states"], ["text_mean"], keepdims=1),
             helper.make_node("Mul", ["text_mean", "zero"], ["nothing"]),
             helper.make_node("Add", ["scaled", "nothing"], ["out_sample"])]
    graph = helper.make_graph(nodes, "unet_fixed_text_length", inputs, [output], inits)
    save(graph, OUT / "unet_fixed_text_length", "unet")


if __name__ == "__main__":
    unet_without_time_ids()
    vae_decoder_fp16_overflow()
    unet_fixed_text_length()
