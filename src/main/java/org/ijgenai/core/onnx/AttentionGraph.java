package org.ijgenai.core.onnx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.onnx.proto.OnnxProto.AttributeProto;
import org.ijgenai.core.onnx.proto.OnnxProto.GraphProto;
import org.ijgenai.core.onnx.proto.OnnxProto.ModelProto;
import org.ijgenai.core.onnx.proto.OnnxProto.NodeProto;
import org.ijgenai.core.onnx.proto.OnnxProto.OperatorSetIdProto;
import org.ijgenai.core.onnx.proto.OnnxProto.TensorProto;
import org.ijgenai.core.onnx.proto.OnnxProto.TensorShapeProto;
import org.ijgenai.core.onnx.proto.OnnxProto.TypeProto;
import org.ijgenai.core.onnx.proto.OnnxProto.ValueInfoProto;

import com.google.protobuf.CodedInputStream;

/**
 * The attention layers of an ONNX graph, and a copy of the graph that also returns their probabilities.
 *
 * <p>Non-fused exports (torch.onnx.export of diffusers' UNet or of a CLIP text encoder) compute attention as
 * {@code MatMul(Q, Kᵀ) → Mul/Div/Add → Softmax → MatMul(·, V)}; each such Softmax is an {@link AttentionSite}. A
 * capture copy adds, per chosen site, a small subgraph that casts the probabilities to float32, reshapes them to
 * [batch, heads, queries, keys] whichever of the two layouts the export uses ([batch·heads, q, k] from diffusers'
 * {@code AttnProcessor}, [batch, heads, q, k] from scaled-dot-product exports), optionally averages the heads, and
 * returns that as a new graph output. The model is read from its .onnx file only: weights stored as external data
 * stay in their files, and the copy is handed to ONNX Runtime as bytes with the original folder as the external data
 * folder (see {@link OnnxModel#load(Path, byte[], SessionSettings)}).
 *
 * <p>Exports whose attention is one fused operator (ONNX Runtime's {@code com.microsoft} Attention,
 * MultiHeadAttention and relatives, or ONNX's own Attention) hide the probabilities; {@link #requireUnfused()} says so.
 */
public final class AttentionGraph {

    /** What each captured output holds. */
    public enum Reduction {
        /** Every head: [batch, heads, queries, keys]. */
        EACH_HEAD,
        /** The mean over heads, computed in the graph: [batch, 1, queries, keys], heads× less to return. */
        HEAD_MEAN
    }

    /** The prefix of every output name a capture copy adds; the rest is the layer name. */
    public static final String OUTPUT_PREFIX = "attention/";

    private static final Set<String> FUSED_MICROSOFT = Set.of("Attention", "MultiHeadAttention", "PackedAttention",
            "PackedMultiHeadAttention", "DecoderMaskedMultiHeadAttention", "DecoderMaskedSelfAttention",
            "GroupQueryAttention", "SparseAttention", "QAttention", "LongformerAttention");
    /** Elementwise steps allowed between the scores' MatMul and the Softmax (scale, mask, upcast). */
    private static final Set<String> SCORE_STEPS = Set.of("Mul", "Div", "Add", "Sub", "Cast", "Where");
    /** Steps allowed between the Softmax and the MatMul with the values. */
    private static final Set<String> PROBABILITY_STEPS = Set.of("Cast", "Dropout", "Identity");
    private static final int MAX_SCORE_STEPS = 6;
    /** Operators whose output depends on their input's shape only, not on its values. */
    private static final Set<String> SHAPE_OPS = Set.of("Shape", "Size", "ConstantOfShape", "EyeLike");
    private static final String CAPTURE = "ijgenai_capture/";

    private final Path file;
    private final ModelProto model;
    private final List<AttentionSite> sites;
    private final List<String> fusedNodes;

    private AttentionGraph(Path file, ModelProto model, List<AttentionSite> sites, List<String> fusedNodes) {
        this.file = file;
        this.model = model;
        this.sites = sites;
        this.fusedNodes = fusedNodes;
    }

    /**
     * Reads the graph of an .onnx file (weights in external-data files are not read).
     *
     * @throws GenAiException naming the file when it is missing or is not an ONNX model
     */
    public static AttentionGraph read(Path onnxFile) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(onnxFile);
        } catch (IOException e) {
            throw new GenAiException("cannot read ONNX model " + onnxFile + ": " + e.getMessage(), e);
        }
        ModelProto model;
        try {
            CodedInputStream in = CodedInputStream.newInstance(bytes);
            in.setSizeLimit(Integer.MAX_VALUE);
            model = ModelProto.parseFrom(in);
        } catch (IOException e) {
            // InvalidProtocolBufferException is the only IOException parsing a byte array can throw.
            throw new GenAiException(onnxFile + " is not an ONNX model: " + e.getMessage(), e);
        }
        if (!model.hasGraph() || model.getGraph().getNodeCount() == 0) {
            throw new GenAiException(onnxFile + " is not an ONNX model: it has no graph");
        }
        return new AttentionGraph(onnxFile, model, findSites(model.getGraph()), findFused(model));
    }

    /** The file the graph was read from. */
    public Path file() {
        return file;
    }

    /** The parsed model (embedded weights included, external ones not). */
    ModelProto model() {
        return model;
    }

    /** Every attention layer, in graph order. */
    public List<AttentionSite> sites() {
        return sites;
    }

    /** The layers whose keys come from {@code input} alone: a UNet's cross-attention for encoder_hidden_states. */
    public List<AttentionSite> sitesWithKeysFrom(String input) {
        List<AttentionSite> chosen = new ArrayList<>();
        for (AttentionSite site : sites) {
            if (site.keysOnlyFrom(input)) {
                chosen.add(site);
            }
        }
        return chosen;
    }

    /** The fused attention nodes of the graph ("domain.Op name"), empty for an export with explicit attention. */
    public List<String> fusedNodes() {
        return fusedNodes;
    }

    /**
     * Checks that attention can be captured at all.
     *
     * @throws GenAiException "cannot capture: fused attention ops …" naming the file and the first fused nodes
     */
    public void requireUnfused() {
        if (!fusedNodes.isEmpty()) {
            List<String> shown = fusedNodes.subList(0, Math.min(3, fusedNodes.size()));
            throw new GenAiException("cannot capture: fused attention ops in " + file + " (" + fusedNodes.size()
                    + " nodes, e.g. " + String.join(", ", shown) + ") compute the attention probabilities inside one"
                    + " operator; use an export with explicit MatMul → Softmax → MatMul attention (torch.onnx.export"
                    + " or diffusers' converter without ONNX Runtime's transformer optimizer)");
        }
    }

    /** The name of the output that a capture copy gives to {@code site}. */
    public static String outputName(AttentionSite site) {
        return OUTPUT_PREFIX + site.layer();
    }

    /**
     * A copy of the model, serialized, that also returns the probabilities of {@code chosen} as float32 outputs
     * named {@link #outputName}, shaped [batch, heads (1 under HEAD_MEAN), queries, keys].
     *
     * @param batchInput a graph input whose first dimension is the attention's batch (a UNet's {@code sample}, a text
     *     encoder's {@code input_ids}); it resolves the [batch·heads, q, k] layout without knowing the head count
     * @throws GenAiException when the graph has fused attention, or a site or the input is not in this graph
     */
    public byte[] withCapture(List<AttentionSite> chosen, Reduction reduction, String batchInput) {
        requireUnfused();
        GraphProto graph = model.getGraph();
        boolean hasInput = graph.getInputList().stream().anyMatch(v -> v.getName().equals(batchInput));
        if (!hasInput) {
            throw new GenAiException(file + " has no input '" + batchInput + "' to take the attention batch from");
        }
        int opset = defaultOpset(model);
        GraphProto.Builder out = graph.toBuilder();
        out.addInitializer(int64s(CAPTURE + "minus2", -2));
        out.addInitializer(int64s(CAPTURE + "minus1", -1));
        out.addInitializer(int64s(CAPTURE + "zero", 0));
        out.addInitializer(int64s(CAPTURE + "one", 1));
        out.addInitializer(int64s(CAPTURE + "last", Long.MAX_VALUE));
        out.addNode(node("Shape", CAPTURE + "batch_shape", List.of(batchInput), CAPTURE + "batch_shape"));
        out.addNode(node("Slice", CAPTURE + "batch", List.of(CAPTURE + "batch_shape", CAPTURE + "zero",
                CAPTURE + "one", CAPTURE + "zero"), CAPTURE + "batch"));
        int i = 0;
        for (AttentionSite site : chosen) {
            if (!sites.contains(site)) {
                throw new GenAiException("attention layer " + site.layer() + " is not in " + file);
            }
            String c = CAPTURE + i++ + "/";
            out.addNode(node("Cast", c + "float", List.of(site.probabilities()), c + "float")
                    .toBuilder().addAttribute(intAttribute("to", TensorProto.DataType.FLOAT_VALUE)).build());
            out.addNode(node("Shape", c + "shape", List.of(c + "float"), c + "shape"));
            out.addNode(node("Slice", c + "qk", List.of(c + "shape", CAPTURE + "minus2", CAPTURE + "last",
                    CAPTURE + "zero"), c + "qk"));
            out.addNode(node("Concat", c + "target", List.of(CAPTURE + "batch", CAPTURE + "minus1", c + "qk"),
                    c + "target").toBuilder().addAttribute(intAttribute("axis", 0)).build());
            String name = outputName(site);
            if (reduction == Reduction.EACH_HEAD) {
                out.addNode(node("Reshape", c + "heads", List.of(c + "float", c + "target"), name));
            } else {
                out.addNode(node("Reshape", c + "heads", List.of(c + "float", c + "target"), c + "heads"));
                NodeProto.Builder mean = node("ReduceMean", c + "mean", List.of(c + "heads"), name).toBuilder()
                        .addAttribute(intAttribute("keepdims", 1));
                if (opset >= 18) {
                    // ReduceMean took its axes as an attribute until opset 18 and as an input since.
                    out.addInitializer(int64s(c + "axes", 1));
                    mean.addInput(c + "axes");
                } else {
                    mean.addAttribute(AttributeProto.newBuilder().setName("axes")
                            .setType(AttributeProto.AttributeType.INTS).addInts(1));
                }
                out.addNode(mean);
            }
            out.addOutput(floatOutput(name, "batch", reduction == Reduction.EACH_HEAD ? "heads" : null,
                    "queries_" + i, "keys_" + i));
        }
        return model.toBuilder().setGraph(out).build().toByteArray();
    }

    private static List<AttentionSite> findSites(GraphProto graph) {
        Map<String, NodeProto> producer = new HashMap<>();
        Map<String, List<NodeProto>> consumers = new HashMap<>();
        for (NodeProto node : graph.getNodeList()) {
            for (String output : node.getOutputList()) {
                producer.put(output, node);
            }
            for (String input : node.getInputList()) {
                consumers.computeIfAbsent(input, k -> new ArrayList<>()).add(node);
            }
        }
        Map<String, BitSet> dependencies = inputDependencies(graph);
        List<String> inputNames = graphInputs(graph);
        List<AttentionSite> found = new ArrayList<>();
        Set<String> layers = new HashSet<>();
        for (NodeProto node : graph.getNodeList()) {
            if (!node.getOpType().equals("Softmax") || !isDefaultDomain(node.getDomain())) {
                continue;
            }
            NodeProto scores = scoresMatMul(node.getInput(0), producer);
            if (scores == null || !feedsValueMatMul(node.getOutput(0), consumers)) {
                continue;
            }
            BitSet keyDeps = dependencies.getOrDefault(scores.getInput(1), new BitSet());
            Set<String> keyInputs = new LinkedHashSet<>();
            keyDeps.stream().forEach(b -> keyInputs.add(inputNames.get(b)));
            String layer = uniqueLayer(layerName(node), layers);
            found.add(new AttentionSite(layer, node.getName(), node.getOutput(0), Collections.unmodifiableSet(keyInputs)));
        }
        return Collections.unmodifiableList(found);
    }

    /** The MatMul of the scores, walking back from the Softmax input through scaling, masking and casts. */
    private static NodeProto scoresMatMul(String tensor, Map<String, NodeProto> producer) {
        Deque<String> frontier = new ArrayDeque<>(List.of(tensor));
        for (int depth = 0; depth <= MAX_SCORE_STEPS && !frontier.isEmpty(); depth++) {
            Deque<String> next = new ArrayDeque<>();
            for (String name : frontier) {
                NodeProto node = producer.get(name);
                if (node == null) {
                    continue;
                }
                if (node.getOpType().equals("MatMul")) {
                    return node;
                }
                if (SCORE_STEPS.contains(node.getOpType())) {
                    next.addAll(node.getInputList());
                }
            }
            frontier = next;
        }
        return null;
    }

    private static boolean feedsValueMatMul(String tensor, Map<String, List<NodeProto>> consumers) {
        for (NodeProto node : consumers.getOrDefault(tensor, List.of())) {
            if (node.getOpType().equals("MatMul") && node.getInput(0).equals(tensor)) {
                return true;
            }
            if (PROBABILITY_STEPS.contains(node.getOpType()) && feedsValueMatMul(node.getOutput(0), consumers)) {
                return true;
            }
        }
        return false;
    }

    /** For every tensor, the graph inputs (by index in {@link #graphInputs}) it is computed from. */
    private static Map<String, BitSet> inputDependencies(GraphProto graph) {
        Map<String, BitSet> deps = new HashMap<>();
        List<String> inputs = graphInputs(graph);
        for (int i = 0; i < inputs.size(); i++) {
            BitSet own = new BitSet();
            own.set(i);
            deps.put(inputs.get(i), own);
        }
        // ONNX requires nodes in topological order, so one pass sees every input before its consumers.
        for (NodeProto node : graph.getNodeList()) {
            BitSet union = new BitSet();
            // A shape is not a value: self-attention keys reshaped with the text's batch size are still computed from
            // the latents alone, and cross-attention keys reshaped with the latents' batch size from the text alone.
            boolean shapeOnly = SHAPE_OPS.contains(node.getOpType()) && isDefaultDomain(node.getDomain());
            for (String input : shapeOnly ? List.<String>of() : node.getInputList()) {
                BitSet d = deps.get(input);
                if (d != null) {
                    union.or(d);
                }
            }
            for (String output : node.getOutputList()) {
                deps.put(output, union);
            }
        }
        return deps;
    }

    /** The graph's real inputs: old IR versions also list the initializers as inputs. */
    private static List<String> graphInputs(GraphProto graph) {
        Set<String> initializers = new HashSet<>();
        for (TensorProto t : graph.getInitializerList()) {
            initializers.add(t.getName());
        }
        List<String> names = new ArrayList<>();
        for (ValueInfoProto v : graph.getInputList()) {
            if (!initializers.contains(v.getName())) {
                names.add(v.getName());
            }
        }
        return names;
    }

    private static String layerName(NodeProto softmax) {
        String name = softmax.getName();
        int slash = name.lastIndexOf('/');
        if (slash <= 0) {
            return name.isEmpty() ? softmax.getOutput(0) : name;
        }
        String scope = name.substring(0, slash);
        return (scope.startsWith("/") ? scope.substring(1) : scope).replace('/', '.');
    }

    private static String uniqueLayer(String layer, Set<String> taken) {
        String unique = layer;
        for (int n = 2; !taken.add(unique); n++) {
            unique = layer + "#" + n;
        }
        return unique;
    }

    private static List<String> findFused(ModelProto model) {
        List<String> fused = new ArrayList<>();
        collectFused(model.getGraph(), fused);
        return Collections.unmodifiableList(fused);
    }

    private static void collectFused(GraphProto graph, List<String> fused) {
        for (NodeProto node : graph.getNodeList()) {
            boolean microsoft = node.getDomain().equals("com.microsoft") && FUSED_MICROSOFT.contains(node.getOpType());
            boolean standard = isDefaultDomain(node.getDomain()) && node.getOpType().equals("Attention");
            if (microsoft || standard) {
                String domain = node.getDomain().isEmpty() ? "ai.onnx" : node.getDomain();
                fused.add(domain + "." + node.getOpType() + (node.getName().isEmpty() ? "" : " " + node.getName()));
            }
            for (AttributeProto attribute : node.getAttributeList()) {
                if (attribute.hasG()) {
                    collectFused(attribute.getG(), fused);
                }
                for (GraphProto g : attribute.getGraphsList()) {
                    collectFused(g, fused);
                }
            }
        }
    }

    private static boolean isDefaultDomain(String domain) {
        return domain.isEmpty() || domain.equals("ai.onnx");
    }

    private static int defaultOpset(ModelProto model) {
        for (OperatorSetIdProto opset : model.getOpsetImportList()) {
            if (isDefaultDomain(opset.getDomain())) {
                return (int) opset.getVersion();
            }
        }
        return 1;
    }

    private static NodeProto node(String op, String name, List<String> inputs, String output) {
        return NodeProto.newBuilder().setOpType(op).setName(name).addAllInput(inputs).addOutput(output).build();
    }

    private static AttributeProto intAttribute(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    private static TensorProto int64s(String name, long value) {
        return TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64_VALUE).addDims(1)
                .addInt64Data(value).build();
    }

    private static ValueInfoProto floatOutput(String name, String... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (String dim : dims) {
            shape.addDim(dim == null ? TensorShapeProto.Dimension.newBuilder().setDimValue(1)
                    : TensorShapeProto.Dimension.newBuilder().setDimParam(dim));
        }
        TypeProto type = TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder()
                .setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(shape)).build();
        return ValueInfoProto.newBuilder().setName(name).setType(type).build();
    }
}
