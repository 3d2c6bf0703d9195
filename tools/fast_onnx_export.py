"""Exports large random-weight networks with Debian's torch 1.13 in minutes instead of hours, for the benchmarks
(tools/export_sdxl_unet.py, tools/export_sd_benchmark_networks.py).

torch.onnx.export as it is ran for over 40 minutes on an SDXL-architecture UNet without finishing. What this does
differently:
- torch.onnx.utils._export(onnx_shape_inference=False): the exporter's own ONNX shape/type inference pass is
  skipped; ONNX Runtime infers the shapes itself when it loads the model.
- The tracer's copy of every weight is not made: torch.jit's ONNXTracedModule clones all of its inputs, the
  weights included, to return them when asked (_return_inputs, which the exporter never asks for); for SDXL that
  doubled the export's memory to over 19 GB (killed by the kernel's OOM killer here).
- do_constant_folding=False, and _jit_pass_onnx_deduplicate_initializers skipped: with training off that pass
  compares every pair of same-shaped weights by value (hundreds of 1280x1280 matrices in SDXL); random weights have
  no duplicates to find.
- to_one_data_file: torch writes each initializer of a model over 2 GB to its own file; they are streamed, one
  tensor at a time, into one model.onnx_data (Optimum's layout), each at a 4096-byte-aligned offset so ONNX Runtime
  can map the file instead of copying it.
"""


def _traced_forward_without_copies(self, *args):
    """torch 1.13's ONNXTracedModule.forward (torch/jit/_trace.py) without the clone of every input and weight,
    which only _return_inputs needs."""
    from torch.jit import _trace
    assert not self._return_inputs
    in_vars, in_desc = _trace._flatten(args)
    module_state = list(_trace._unique_state_dict(self, keep_vars=True).values())
    inputs_states = []
    outs = []

    def wrapper(*args):
        in_args = [args[i] for i in range(len(in_vars))]
        trace_inputs = _trace._unflatten(in_args, in_desc)
        if self._return_inputs_states:
            inputs_states.append(_trace._unflatten(in_args, in_desc))
        outs.append(self.inner(*trace_inputs))
        if self._return_inputs_states:
            inputs_states[0] = (inputs_states[0], trace_inputs)
        out_vars, _ = _trace._flatten(outs)
        return out_vars[0] if len(out_vars) == 1 else tuple(out_vars)

    graph, out = _trace.torch._C._create_graph_by_tracing(wrapper, in_vars + module_state,
                                                         _trace._create_interpreter_name_lookup_fn(), self.strict,
                                                         self._force_outplace)
    if self._return_inputs_states:
        return graph, outs[0], inputs_states[0]
    return graph, outs[0]


def export(model, inputs, onnx_file, input_names, output_names, dynamic_axes):
    """torch 1.13's exporter (opset 14) without its shape inference, constant folding and initializer
    deduplication (see the module comment)."""
    from torch.jit import _trace
    from torch.onnx import utils as onnx_utils
    traced_forward = _trace.ONNXTracedModule.forward
    _trace.ONNXTracedModule.forward = _traced_forward_without_copies
    dedupe = onnx_utils._C._jit_pass_onnx_deduplicate_initializers
    onnx_utils._C._jit_pass_onnx_deduplicate_initializers = lambda graph, params, training: params
    try:
        onnx_utils._export(model, inputs, str(onnx_file), opset_version=14, do_constant_folding=False,
                           onnx_shape_inference=False, input_names=input_names, output_names=output_names,
                           dynamic_axes=dynamic_axes)
    finally:
        onnx_utils._C._jit_pass_onnx_deduplicate_initializers = dedupe
        _trace.ONNXTracedModule.forward = traced_forward


def to_one_data_file(onnx_file, data_name="model.onnx_data", align=4096):
    """Moves every initializer over 1 KiB (embedded, or in torch's one-file-per-tensor external data) into one
    data file beside the model, one tensor at a time, each at an aligned offset."""
    import onnx
    from onnx.external_data_helper import ExternalDataInfo
    folder = onnx_file.parent
    model = onnx.load(str(onnx_file), load_external_data=False)
    offset = 0
    moved = []
    with open(folder / data_name, "wb") as data:
        for tensor in model.graph.initializer:
            if tensor.data_location == onnx.TensorProto.EXTERNAL:
                info = ExternalDataInfo(tensor)
                source = folder / info.location
                with open(source, "rb") as f:
                    f.seek(info.offset or 0)
                    raw = f.read(info.length) if info.length else f.read()
                moved.append(source)
            elif len(tensor.raw_data) > 1024:
                raw = tensor.raw_data
            else:
                continue
            offset = (offset + align - 1) // align * align
            data.seek(offset)
            data.write(raw)
            # Written by hand: onnx's set_external_data refuses a tensor whose data is already external (no
            # raw_data field), which is what torch's one-file-per-tensor export leaves for a model over 2 GB.
            del tensor.external_data[:]
            for key, value in (("location", data_name), ("offset", str(offset)), ("length", str(len(raw)))):
                entry = tensor.external_data.add()
                entry.key = key
                entry.value = value
            tensor.data_location = onnx.TensorProto.EXTERNAL
            tensor.ClearField("raw_data")
            offset += len(raw)
    onnx.save_model(model, str(onnx_file))
    for source in set(moved):
        source.unlink()
    return offset
