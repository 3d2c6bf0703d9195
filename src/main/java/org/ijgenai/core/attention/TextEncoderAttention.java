package org.ijgenai.core.attention;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.onnx.AttentionGraph;
import org.ijgenai.core.onnx.AttentionSite;
import org.ijgenai.core.onnx.EmbeddingTables;
import org.ijgenai.core.onnx.OnnxModel;
import org.ijgenai.core.onnx.SessionSettings;
import org.ijgenai.core.tensor.Tensor;
import org.ijgenai.core.text.ClipTokenizer;
import org.ijgenai.core.text.TokenEncoding;

/**
 * What a CLIP text encoder does with a prompt, as a teacher shows it: the self-attention of every layer and head
 * between the prompt's tokens (bertviz's "model view"), and the token and positional embeddings that go in.
 *
 * @param tokens the used tokens' labels (start token, the prompt's tokens, end token)
 * @param layers the attention layers' names, in graph order
 * @param heads the number of heads per layer
 * @param attention per layer, [heads, used, used] row-major: row = the attending token (query), column = the token
 *     attended to (key), over the used tokens only
 * @param tokenEmbeddings [used, width]: the token table's rows for the prompt's ids
 * @param positionEmbeddings [used, width]: the positional table's first rows
 */
public record TextEncoderAttention(List<String> tokens, List<String> layers, int heads, List<float[]> attention,
        float[] tokenEmbeddings, float[] positionEmbeddings, int width) {

    /** The number of used tokens (the side of each attention matrix). */
    public int used() {
        return tokens.size();
    }

    /**
     * Runs {@code prompt} through the text encoder at {@code onnxFile} with every self-attention layer captured.
     *
     * @throws GenAiException for fused attention ("cannot capture: fused attention ops …"), a graph without
     *     attention layers, or missing embedding tables
     */
    public static TextEncoderAttention compute(Path onnxFile, ClipTokenizer tokenizer, String prompt,
            SessionSettings settings) {
        AttentionGraph graph = AttentionGraph.read(onnxFile);
        graph.requireUnfused();
        List<AttentionSite> sites = graph.sites();
        if (sites.isEmpty()) {
            throw new GenAiException("cannot capture: " + onnxFile + " has no attention layer in explicit"
                    + " MatMul → Softmax → MatMul form");
        }
        TokenEncoding encoding = tokenizer.encode(prompt);
        int length = encoding.ids().length;
        int used = Math.min(encoding.tokenCount(), length);
        Map<String, Tensor> outputs;
        String idsInput;
        try (OnnxModel model = OnnxModel.load(onnxFile, graph.withCapture(sites, AttentionGraph.Reduction.EACH_HEAD,
                idsInputOf(graph, onnxFile)), settings)) {
            idsInput = idsInputOf(graph, onnxFile);
            Map<String, Tensor> feeds = new LinkedHashMap<>();
            feeds.put(idsInput, Tensor.ofInts(encoding.ids(), 1, length));
            if (model.inputs().containsKey("attention_mask")) {
                long[] mask = new long[length];
                for (int i = 0; i < length; i++) {
                    mask[i] = encoding.attentionMask()[i];
                }
                feeds.put("attention_mask", Tensor.ofLongs(mask, 1, length));
            }
            outputs = model.run(feeds, "text encoder attention");
        }
        List<String> layers = new ArrayList<>();
        List<float[]> attention = new ArrayList<>();
        int heads = -1;
        for (AttentionSite site : sites) {
            Tensor t = outputs.get(AttentionGraph.outputName(site));
            int h = (int) t.dim(1);
            int q = (int) t.dim(2);
            int k = (int) t.dim(3);
            heads = h;
            float[] all = t.floats();
            float[] kept = new float[h * used * used];
            for (int head = 0; head < h; head++) {
                for (int row = 0; row < used; row++) {
                    System.arraycopy(all, (head * q + row) * k, kept, (head * used + row) * used, used);
                }
            }
            layers.add(site.layer());
            attention.add(kept);
        }
        EmbeddingTables tables = EmbeddingTables.read(onnxFile, idsInput, length);
        int width = tables.width();
        float[] tokenRows = new float[used * width];
        float[] positionRows = new float[used * width];
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < used; i++) {
            System.arraycopy(tables.token(encoding.ids()[i]), 0, tokenRows, i * width, width);
            System.arraycopy(tables.position(i), 0, positionRows, i * width, width);
            labels.add(tokenizer.decode(new int[] {encoding.ids()[i]}, false).trim());
        }
        return new TextEncoderAttention(Collections.unmodifiableList(labels), Collections.unmodifiableList(layers),
                heads, Collections.unmodifiableList(attention), tokenRows, positionRows, width);
    }

    private static String idsInputOf(AttentionGraph graph, Path file) {
        for (AttentionSite site : graph.sites()) {
            if (site.keyInputs().contains("input_ids")) {
                return "input_ids";
            }
        }
        throw new GenAiException(file + " is not a text encoder: its attention keys do not come from input_ids");
    }

    /** One head's [used, used] matrix. */
    public float[] matrix(int layer, int head) {
        float[] out = new float[used() * used()];
        System.arraycopy(attention.get(layer), head * out.length, out, 0, out.length);
        return out;
    }
}
