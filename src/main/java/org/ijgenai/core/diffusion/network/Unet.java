package org.ijgenai.core.diffusion.network;

import org.ijgenai.core.onnx.AttentionGraph;
import org.ijgenai.core.onnx.AttentionSite;
import org.ijgenai.core.onnx.OnnxModel;
import org.ijgenai.core.onnx.SessionSettings;
import org.ijgenai.core.onnx.TensorSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.tensor.ElementType;
import org.ijgenai.core.tensor.Tensor;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * The denoising UNet of a Stable Diffusion model, adapting to how an export declares its inputs: {@code timestep}
 * as float or int64, with shape [B], [1] or scalar, the optional {@code timestep_cond} guidance embedding of
 * LCM-distilled models, and SDXL's added conditioning {@code text_embeds} and {@code time_ids}. A capturing UNet
 * ({@link #loadCapturing}) also hands its cross-attention probabilities to an {@link AttentionSink} at every
 * evaluation.
 */
public final class Unet implements AutoCloseable {

    /** Receives the cross-attention probabilities of each evaluation of a capturing UNet. */
    @FunctionalInterface
    public interface AttentionSink {
        /**
         * One evaluation's probabilities.
         *
         * @param timestep the timestep the UNet was evaluated at
         * @param layers per cross-attention layer (graph order), [unet batch, heads or 1, queries = h·w, keys]
         */
        void accept(double timestep, Map<String, Tensor> layers);
    }

    private static final String SAMPLE = "sample";
    private static final String TIMESTEP = "timestep";
    private static final String HIDDEN = "encoder_hidden_states";
    private static final String TIMESTEP_COND = "timestep_cond";
    /** SDXL's pooled text embedding input. */
    public static final String TEXT_EMBEDS = "text_embeds";
    /** SDXL's size-and-crop conditioning input. */
    public static final String TIME_IDS = "time_ids";
    private static final Set<String> KNOWN = Set.of(SAMPLE, TIMESTEP, HIDDEN, TIMESTEP_COND, TEXT_EMBEDS, TIME_IDS);
    /** diffusers' NUM_UNET_INPUT_CHANNELS of its ONNX inpainting pipeline. */
    private static final int INPAINT_SAMPLE_CHANNELS = 9;
    /** The mask channel and the 4 channels of the masked image's latents. */
    private static final int INPAINT_EXTRA_CHANNELS = 5;

    private final OnnxModel model;
    private final TensorSpec timestep;
    private final TensorSpec sample;
    private final TensorSpec hidden;
    private final TensorSpec timestepCond;
    private final String output;
    private final List<AttentionSite> attentionLayers;
    private final AttentionSink sink;
    /** The sample's channels, from the export, its config.json, or a probe; 0 until known. */
    private int sampleChannels;
    /** The output's channels, from the export or its config.json; 0 until known. */
    private final int outputChannels;

    private Unet(OnnxModel model) {
        this(model, List.of(), null);
    }

    private Unet(OnnxModel model, List<AttentionSite> attentionLayers, AttentionSink sink) {
        this.model = model;
        this.attentionLayers = attentionLayers;
        this.sink = sink;
        for (String name : new String[] {SAMPLE, TIMESTEP, HIDDEN}) {
            if (!model.inputs().containsKey(name)) {
                model.close();
                throw new GenAiException(model.file() + " is not a Stable Diffusion UNet: it has no input '" + name
                        + "'; its inputs are " + model.inputs().values());
            }
        }
        this.sample = model.input(SAMPLE);
        this.timestep = model.input(TIMESTEP);
        this.hidden = model.input(HIDDEN);
        this.timestepCond = model.inputs().get(TIMESTEP_COND);
        for (String name : model.inputs().keySet()) {
            if (!KNOWN.contains(name)) {
                model.close();
                throw new GenAiException(model.file() + " has an input '" + name + "' that ij-genai cannot feed"
                        + " (ControlNet, IP-Adapter and refiner UNets are not supported); its inputs are "
                        + model.inputs().values());
            }
        }
        if (model.inputs().containsKey(TEXT_EMBEDS) != model.inputs().containsKey(TIME_IDS)) {
            String missing = model.inputs().containsKey(TEXT_EMBEDS) ? TIME_IDS : TEXT_EMBEDS;
            model.close();
            throw new GenAiException(model.file() + " is an incomplete SDXL UNet: it has no input '" + missing
                    + "'; SDXL UNets take both text_embeds and time_ids. Its inputs are " + model.inputs().values());
        }
        this.output = model.outputs().containsKey("out_sample") ? "out_sample"
                : model.outputs().keySet().iterator().next();
        // diffusers' ONNX conversion leaves the channel dimension dynamic; its config.json beside the file says.
        TensorSpec out = model.outputs().get(output);
        this.sampleChannels = sample.rank() == 4 && sample.dim(1) > 0 ? (int) sample.dim(1)
                : configuredChannels(model.file(), "in_channels");
        this.outputChannels = out != null && out.rank() == 4 && out.dim(1) > 0 ? (int) out.dim(1)
                : configuredChannels(model.file(), "out_channels");
    }

    private static int configuredChannels(Path onnxFile, String key) {
        Path config = onnxFile.toAbsolutePath().getParent().resolve("config.json");
        if (!Files.isRegularFile(config)) {
            return 0;
        }
        try {
            JsonObject json = JsonParser.parseString(Files.readString(config)).getAsJsonObject();
            return json.has(key) && json.get(key).isJsonPrimitive() ? json.get(key).getAsInt() : 0;
        } catch (IOException | RuntimeException e) {
            throw new GenAiException("cannot read " + config + ": " + e.getMessage(), e);
        }
    }

    /** Loads {@code unet/model.onnx}; external weights beside it are found by ONNX Runtime. */
    public static Unet load(Path onnxFile, SessionSettings settings) {
        return load(onnxFile, settings, false);
    }

    /**
     * Loads {@code unet/model.onnx}, with {@link SessionSettings.Network#UNET_LOW_MEMORY} when {@code lowMemory}
     * (no repacked copy of the weights: less memory, a slightly slower step).
     */
    public static Unet load(Path onnxFile, SessionSettings settings, boolean lowMemory) {
        return new Unet(OnnxModel.load(onnxFile, settings.forNetwork(lowMemory
                ? SessionSettings.Network.UNET_LOW_MEMORY : SessionSettings.Network.UNET)));
    }

    /**
     * Loads {@code unet/model.onnx} with every cross-attention layer's probabilities as extra outputs (the layers
     * whose keys come from {@code encoder_hidden_states} alone), reduced in the graph as {@code reduction} says and
     * handed to {@code sink} after each evaluation. The weights are read where they are; nothing is written.
     *
     * @throws GenAiException "cannot capture: fused attention ops …" for exports with fused attention, or when the
     *     graph has no cross-attention layer in explicit form
     */
    public static Unet loadCapturing(Path onnxFile, SessionSettings settings, AttentionGraph.Reduction reduction,
            AttentionSink sink) {
        AttentionGraph graph = AttentionGraph.read(onnxFile);
        graph.requireUnfused();
        List<AttentionSite> layers = graph.sitesWithKeysFrom(HIDDEN);
        if (layers.isEmpty()) {
            throw new GenAiException("cannot capture: " + onnxFile + " has no cross-attention layer in explicit"
                    + " MatMul → Softmax → MatMul form whose keys come from " + HIDDEN + " (found "
                    + graph.sites().size() + " attention layers in all)");
        }
        byte[] capturing = graph.withCapture(layers, reduction, SAMPLE);
        return new Unet(OnnxModel.load(onnxFile, capturing,
                settings.forNetwork(SessionSettings.Network.UNET)), layers, sink);
    }

    /** The cross-attention layers a capturing UNet returns, in graph order; empty for a plain UNet. */
    public List<AttentionSite> attentionLayers() {
        return attentionLayers;
    }

    /** Whether this is an LCM-distilled UNet that takes the guidance embedding {@code timestep_cond}. */
    public boolean takesGuidanceEmbedding() {
        return timestepCond != null;
    }

    /** The width of the guidance embedding ({@code time_cond_proj_dim}), or −1 when there is none or it is dynamic. */
    public int guidanceEmbeddingDim() {
        return timestepCond == null || timestepCond.rank() < 2 ? -1 : (int) timestepCond.dim(1);
    }

    /** Whether this is an SDXL UNet, conditioned on the pooled {@code text_embeds} and {@code time_ids} too. */
    public boolean takesAddedConditioning() {
        return model.inputs().containsKey(TIME_IDS);
    }

    /** The declared {@code time_ids} width (6 for SDXL base and Turbo), or −1 when it is dynamic or absent. */
    public int timeIdsWidth() {
        TensorSpec spec = model.inputs().get(TIME_IDS);
        return spec == null || spec.rank() < 2 ? -1 : (int) spec.dim(1);
    }

    /** The declared width of {@code text_embeds}, or −1 when it is dynamic or absent. */
    public int textEmbedsWidth() {
        TensorSpec spec = model.inputs().get(TEXT_EMBEDS);
        return spec == null || spec.rank() < 2 ? -1 : (int) spec.dim(1);
    }

    /**
     * The number of latent channels the UNet denoises (4 for Stable Diffusion): its output's channels, which for an
     * inpainting UNet are fewer than the sample input's.
     */
    public int latentChannels() {
        if (outputChannels > 0) {
            return outputChannels;
        }
        int in = sampleChannels();
        return in == INPAINT_SAMPLE_CHANNELS ? in - INPAINT_EXTRA_CHANNELS : in;
    }

    /**
     * The channels of the UNet's sample input: the latent channels, plus the mask (1) and the masked image's
     * latents (4) for an inpainting UNet (9 in all). An export whose channel dimension is dynamic and that has no
     * config.json beside it is probed once with a 9-channel sample.
     */
    public synchronized int sampleChannels() {
        if (sampleChannels == 0) {
            sampleChannels = probeChannels();
        }
        return sampleChannels;
    }

    private int probeChannels() {
        int dim = crossAttentionDim();
        if (dim <= 0 || timestepCond != null) {
            return 4;
        }
        int side = 8;
        try {
            Map<String, Tensor> feeds = new HashMap<>();
            feeds.put(SAMPLE, Tensor.ofFloats(new float[INPAINT_SAMPLE_CHANNELS * side * side], 1,
                    INPAINT_SAMPLE_CHANNELS, side, side));
            feeds.put(TIMESTEP, timestepTensor(1, 1));
            feeds.put(HIDDEN, Tensor.ofFloats(new float[77 * dim], 1, 77, dim));
            model.run(feeds, "UNet channel probe");
            return INPAINT_SAMPLE_CHANNELS;
        } catch (GenAiException e) {
            return 4;
        }
    }

    /** Whether this is an inpainting UNet, whose sample input is [latents, mask, masked-image latents]. */
    public boolean isInpainting() {
        return sampleChannels() == latentChannels() + INPAINT_EXTRA_CHANNELS;
    }

    /** The width of the text embeddings it attends to, or −1 when the export leaves it dynamic. */
    public int crossAttentionDim() {
        return hidden.rank() == 3 ? (int) hidden.dim(2) : -1;
    }

    /**
     * The text length the export was traced with along {@code encoder_hidden_states}' sequence axis, or −1 when that
     * axis is dynamic (diffusers' exporter names it "sequence"), so that prompts of several 77-token chunks fit.
     */
    public int fixedSequenceLength() {
        return hidden.rank() == 3 ? (int) hidden.dim(1) : -1;
    }

    /** The fixed latent height and width the export was traced with, or −1 where they are dynamic. */
    public int[] fixedLatentSize() {
        return sample.rank() == 4 ? new int[] {(int) sample.dim(2), (int) sample.dim(3)} : new int[] {-1, -1};
    }

    /**
     * Predicts the model output (ε, v or x0, as the model was trained) for one evaluation.
     *
     * @param latents the scaled model input, [batch, C, h, w] flattened
     * @param batch the batch size of {@code latents}
     * @param timestep the scheduler timestep, fed in the export's dtype (int64 exports truncate, as numpy's cast does)
     * @param hiddenStates text embeddings [batch, 77, D]
     * @param guidanceEmbedding the LCM guidance embedding [batch, dim], or null for UNets without it
     */
    public float[] predict(float[] latents, int batch, int height, int width, double timestep, Tensor hiddenStates,
            float[] guidanceEmbedding) {
        return predict(latents, batch, height, width, timestep,
                new UnetConditioning(hiddenStates, guidanceEmbedding, Map.of()));
    }

    /**
     * Predicts the model output (ε, v or x0, as the model was trained) for one evaluation.
     *
     * @param latents the scaled model input, [batch, C, h, w] flattened
     * @param batch the batch size of {@code latents}
     * @param timestep the scheduler timestep, fed in the export's dtype (int64 exports truncate, as numpy's cast does)
     * @param conditioning the text embeddings and further conditioning, laid out for {@code batch}
     */
    public float[] predict(float[] latents, int batch, int height, int width, double timestep,
            UnetConditioning conditioning) {
        int channels = latents.length / (batch * height * width);
        for (String name : conditioning.extraInputs().keySet()) {
            if (!model.inputs().containsKey(name)) {
                throw new GenAiException(model.file() + " has no input '" + name + "' for the conditioning this"
                        + " pipeline computes; its inputs are " + model.inputs().values());
            }
        }
        for (String name : new String[] {TEXT_EMBEDS, TIME_IDS}) {
            if (model.inputs().containsKey(name) && !conditioning.extraInputs().containsKey(name)) {
                throw new GenAiException(model.file() + " is an SDXL UNet (it takes '" + name + "') but the model"
                        + " folder was not opened as SDXL: it needs text_encoder_2/ and tokenizer_2/");
            }
        }
        Map<String, Tensor> feeds = new HashMap<>(conditioning.extraInputs());
        feeds.put(SAMPLE, Tensor.ofFloats(latents, batch, channels, height, width));
        feeds.put(TIMESTEP, timestepTensor(timestep, batch));
        feeds.put(HIDDEN, conditioning.hiddenStates());
        if (timestepCond != null) {
            float[] guidanceEmbedding = conditioning.guidanceEmbedding();
            if (guidanceEmbedding == null) {
                throw new IllegalArgumentException("this LCM UNet needs a guidance embedding (timestep_cond)");
            }
            feeds.put(TIMESTEP_COND, Tensor.ofFloats(guidanceEmbedding, batch, guidanceEmbedding.length / batch));
        }
        String context = "UNet step t=" + formatTimestep(timestep);
        if (channels != sampleChannels()) {
            throw new GenAiException(context + ": " + model.file() + " takes samples of " + sampleChannels()
                    + " channels, was given " + channels);
        }
        Map<String, Tensor> results = model.run(feeds, context);
        Tensor out = results.get(output);
        long expected = (long) batch * latentChannels() * height * width;
        if (out == null || out.size() != expected) {
            throw new GenAiException(context + ": " + model.file() + " returned " + out + " for a sample of "
                    + latents.length + " values; expected " + expected + " values");
        }
        if (sink != null) {
            Map<String, Tensor> layers = new LinkedHashMap<>();
            for (AttentionSite site : attentionLayers) {
                layers.put(site.layer(), results.get(AttentionGraph.outputName(site)));
            }
            sink.accept(timestep, layers);
        }
        return out.floats();
    }

    private Tensor timestepTensor(double t, int batch) {
        // A fixed first dimension (1 or B) is honoured; a dynamic one gets one entry per sample, which both
        // [1]-traced and [B]-traced exports broadcast identically.
        int count = timestep.rank() == 0 ? 1 : timestep.dim(0) > 0 ? (int) timestep.dim(0) : batch;
        long[] shape = timestep.rank() == 0 ? new long[0] : new long[] {count};
        if (timestep.type() == ElementType.INT64 || timestep.type() == ElementType.INT32) {
            long[] values = new long[count];
            java.util.Arrays.fill(values, (long) t);
            return Tensor.ofLongs(values, shape);
        }
        float[] values = new float[count];
        java.util.Arrays.fill(values, (float) t);
        return Tensor.ofFloats(values, shape);
    }

    private static String formatTimestep(double t) {
        return t == Math.rint(t) ? Long.toString((long) t) : String.format(java.util.Locale.ROOT, "%.2f", t);
    }

    /** The time spent inside ONNX Runtime for this UNet since it loaded, in nanoseconds. */
    public long networkNanos() {
        return model.networkNanos();
    }

    /** The file the UNet was loaded from. */
    public Path file() {
        return model.file();
    }

    @Override
    public void close() {
        model.close();
    }
}
