package org.ijgenai.core.search;

import java.io.IOException;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.ijgenai.core.Closeables;
import org.ijgenai.core.GenAiException;
import org.ijgenai.core.image.RgbImage;
import org.ijgenai.core.onnx.OnnxModel;
import org.ijgenai.core.onnx.SessionSettings;
import org.ijgenai.core.onnx.TensorSpec;
import org.ijgenai.core.tensor.Tensor;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

/**
 * A CLIP model in the transformers.js / Optimum ONNX layout ({@code onnx/text_model.onnx},
 * {@code onnx/vision_model.onnx}, tokenizer files, {@code preprocessor_config.json}, {@code config.json}) that
 * turns texts and images into L2-normalised embeddings of one shared space.
 *
 * <p>The two networks load on first use, so a text search never pays for the vision tower. Inputs are fed in the
 * dtypes the sessions declare; a network that declares a fixed batch of 1 is run image by image.
 */
public final class ClipModel implements AutoCloseable {

    /** The logit scale used for zero-shot probabilities when the model folder has no combined model.onnx. */
    public static final double DEFAULT_LOGIT_SCALE = 100.0;

    private final Path dir;
    private final Path textFile;
    private final Path visionFile;
    private final Path combinedFile;
    private final SessionSettings settings;
    private final ClipImagePreprocessor preprocessor;
    private final ClipTextInputs textInputs;
    private final int configuredDimension;
    private final String id;
    private final double configLogitScale;
    private int measuredDimension;
    private OnnxModel text;
    private OnnxModel vision;
    private Double logitScale;

    private ClipModel(Path dir, Path textFile, Path visionFile, Path combinedFile, SessionSettings settings,
            ClipImagePreprocessor preprocessor, ClipTextInputs textInputs, int configuredDimension, String id,
            double configLogitScale) {
        this.dir = dir;
        this.textFile = textFile;
        this.visionFile = visionFile;
        this.combinedFile = combinedFile;
        this.settings = settings;
        this.preprocessor = preprocessor;
        this.textInputs = textInputs;
        this.configuredDimension = configuredDimension;
        this.id = id;
        this.configLogitScale = configLogitScale;
    }

    /**
     * Opens a model folder, reading its configuration files; the networks load when first needed.
     *
     * @throws GenAiException naming the missing or malformed file
     */
    public static ClipModel open(Path dir, SessionSettings settings) {
        if (dir == null || !Files.isDirectory(dir)) {
            throw new GenAiException("CLIP model folder not found: " + dir);
        }
        Path text = findNetwork(dir, "text_model.onnx");
        Path vision = findNetwork(dir, "vision_model.onnx");
        Path combined = dir.resolve("onnx").resolve("model.onnx");
        if (!Files.isRegularFile(combined)) {
            combined = Files.isRegularFile(dir.resolve("model.onnx")) ? dir.resolve("model.onnx") : null;
        }
        Path configFile = dir.resolve("config.json");
        JsonObject config = readJson(configFile);
        int dimension = config.has("projection_dim") ? config.get("projection_dim").getAsInt() : -1;
        ClipImagePreprocessor preprocessor = new ClipImagePreprocessor(
                ClipImageProcessorConfig.read(dir.resolve("preprocessor_config.json")));
        int maxPositions = -1;
        if (config.has("text_config") && config.get("text_config").isJsonObject()
                && config.getAsJsonObject("text_config").has("max_position_embeddings")) {
            maxPositions = config.getAsJsonObject("text_config").get("max_position_embeddings").getAsInt();
        }
        ClipTextInputs textInputs = ClipTextInputs.open(dir, maxPositions);
        String id = fingerprint(dir, text, vision);
        // Not a transformers key: exports that know the trained temperature (the bundled shapes-clip) write it
        // here as exp(logit_scale); logit_scale_init_value is only the untrained start and is ignored.
        double configScale = config.has("logit_scale") && config.get("logit_scale").isJsonPrimitive()
                ? config.get("logit_scale").getAsDouble() : Double.NaN;
        return new ClipModel(dir, text, vision, combined, settings, preprocessor, textInputs, dimension, id,
                configScale > 0 ? configScale : Double.NaN);
    }

    private static Path findNetwork(Path dir, String name) {
        Path inOnnx = dir.resolve("onnx").resolve(name);
        if (Files.isRegularFile(inOnnx)) {
            return inOnnx;
        }
        Path atRoot = dir.resolve(name);
        if (Files.isRegularFile(atRoot)) {
            return atRoot;
        }
        throw new GenAiException("CLIP model folder " + dir + " has no onnx/" + name
                + " (expected the transformers.js / Optimum layout, as in the Xenova/clip-vit-* repositories)");
    }

    static JsonObject readJson(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new GenAiException("CLIP model file missing: " + file);
        }
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            JsonElement root = JsonParser.parseReader(reader);
            if (!root.isJsonObject()) {
                throw new GenAiException(file + " is not a JSON object");
            }
            return root.getAsJsonObject();
        } catch (IOException | JsonParseException e) {
            throw new GenAiException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * A short identity of the model's behaviour: a hash of its configuration files and of the size, head and tail
     * of each network file. It survives moving the folder and changes when the weights or preprocessing do,
     * without reading hundreds of megabytes on every search.
     */
    static String fingerprint(Path dir, Path text, Path vision) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String name : List.of("config.json", "preprocessor_config.json")) {
                Path file = dir.resolve(name);
                if (Files.isRegularFile(file)) {
                    digest.update(Files.readAllBytes(file));
                }
            }
            for (Path network : List.of(text, vision)) {
                hashHeadAndTail(digest, network);
            }
            return "clip-" + HexFormat.of().formatHex(digest.digest(), 0, 8);
        } catch (IOException e) {
            throw new GenAiException("Cannot read CLIP model files in " + dir + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }

    private static void hashHeadAndTail(MessageDigest digest, Path file) throws IOException {
        final int window = 1 << 20;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            digest.update(ByteBuffer.allocate(Long.BYTES).putLong(size).flip());
            ByteBuffer head = ByteBuffer.allocate((int) Math.min(window, size));
            channel.read(head, 0);
            digest.update(head.flip());
            if (size > window) {
                ByteBuffer tail = ByteBuffer.allocate((int) Math.min(window, size - window));
                channel.read(tail, size - tail.capacity());
                digest.update(tail.flip());
            }
        }
    }

    /** The model folder. */
    public Path directory() {
        return dir;
    }

    /** The model's identity, stored in every index built with it. */
    public String id() {
        return id;
    }

    /** The image preprocessing of this model. */
    public ClipImagePreprocessor preprocessor() {
        return preprocessor;
    }

    /** How texts become {@code input_ids} for this model. */
    public ClipTextInputs textInputs() {
        return textInputs;
    }

    /**
     * The embedding size: {@code projection_dim} of config.json, else the declared width of the vision network's
     * {@code image_embeds}, else measured by embedding one blank image.
     */
    public synchronized int dimension() {
        if (measuredDimension > 0) {
            return measuredDimension;
        }
        if (configuredDimension > 0) {
            measuredDimension = configuredDimension;
        } else {
            long declared = vision().outputs().get("image_embeds").rank() == 2
                    ? vision().outputs().get("image_embeds").dim(1) : -1;
            if (declared > 0) {
                measuredDimension = (int) declared;
            } else {
                int[] size = preprocessor.fixedOutputSize();
                int h = size[0] > 0 ? size[0] : 224;
                int w = size[1] > 0 ? size[1] : 224;
                float[] probe = new float[3 * h * w];
                Arrays.fill(probe, 0.5f);
                measuredDimension = embedPixelValues(probe, 1, h, w)[0].length;
            }
        }
        return measuredDimension;
    }

    private synchronized OnnxModel text() {
        if (text == null) {
            text = OnnxModel.load(textFile, settings);
            requireOutput(text, "text_embeds");
            text.input("input_ids");
        }
        return text;
    }

    private synchronized OnnxModel vision() {
        if (vision == null) {
            vision = OnnxModel.load(visionFile, settings);
            requireOutput(vision, "image_embeds");
            TensorSpec pixels = vision.input("pixel_values");
            int[] size = preprocessor.fixedOutputSize();
            if (pixels.rank() == 4 && size[0] > 0 && ((pixels.dim(2) > 0 && pixels.dim(2) != size[0])
                    || (pixels.dim(3) > 0 && pixels.dim(3) != size[1]))) {
                throw new GenAiException(visionFile + " expects " + pixels.dim(2) + "×" + pixels.dim(3)
                        + " pixel_values but preprocessor_config.json crops to " + size[0] + "×" + size[1]);
            }
        }
        return vision;
    }

    private static void requireOutput(OnnxModel model, String name) {
        if (!model.outputs().containsKey(name)) {
            throw new GenAiException(model.file() + " has no output '" + name + "' (its outputs are "
                    + model.outputs().keySet() + "); export it with the projection, as Optimum's CLIP export does");
        }
    }

    /** Loads the vision network now, e.g. before timing or before a long indexing run. */
    public void warmUpVision() {
        vision();
    }

    /** The largest batch the vision network accepts: 1 when it declares a fixed batch of 1, else unbounded. */
    public int maxVisionBatch() {
        long b = vision().input("pixel_values").dim(0);
        return b > 0 ? (int) b : Integer.MAX_VALUE;
    }

    /**
     * Embeds a batch of preprocessed images.
     *
     * @param pixelValues the {@code [count, 3, H, W]} values from {@link ClipImagePreprocessor#pixelValues}
     * @return one L2-normalised embedding per image
     */
    public float[][] embedPixelValues(float[] pixelValues, int count, int height, int width) {
        if (count < 1) {
            return new float[0][];
        }
        OnnxModel model = vision();
        int per = 3 * height * width;
        if (pixelValues.length != (long) count * per) {
            throw new IllegalArgumentException("pixel values hold " + pixelValues.length + " values, not " + count
                    + "×3×" + height + "×" + width);
        }
        int step = Math.min(count, maxVisionBatch());
        float[][] out = new float[count][];
        for (int start = 0; start < count; start += step) {
            int n = Math.min(step, count - start);
            float[] chunk = n == count ? pixelValues : Arrays.copyOfRange(pixelValues, start * per,
                    (start + n) * per);
            Map<String, Tensor> feeds = new LinkedHashMap<>();
            feeds.put("pixel_values", Tensor.ofFloats(chunk, n, 3, height, width));
            Tensor embeds = model.run(feeds, "CLIP vision model, " + n + " image(s)").get("image_embeds");
            float[][] rows = rows(embeds, n);
            System.arraycopy(rows, 0, out, start, n);
        }
        return out;
    }

    /** Preprocesses and embeds images. */
    public float[][] embedImages(List<RgbImage> images) {
        if (images.isEmpty()) {
            return new float[0][];
        }
        int[] size = preprocessor.fixedOutputSize();
        if (size[0] < 0) {
            float[][] out = new float[images.size()][];
            for (int i = 0; i < images.size(); i++) {
                RgbImage cropped = preprocessor.resizeAndCrop(images.get(i));
                out[i] = embedPixelValues(preprocessor.rescaleAndNormalize(cropped), 1, cropped.height(),
                        cropped.width())[0];
            }
            return out;
        }
        int per = 3 * size[0] * size[1];
        float[] batch = new float[images.size() * per];
        for (int i = 0; i < images.size(); i++) {
            System.arraycopy(preprocessor.pixelValues(images.get(i)), 0, batch, i * per, per);
        }
        return embedPixelValues(batch, images.size(), size[0], size[1]);
    }

    /** Tokenises and embeds texts into L2-normalised embeddings. */
    public float[][] embedTexts(List<String> texts) {
        if (texts.isEmpty()) {
            return new float[0][];
        }
        OnnxModel model = text();
        long fixedBatch = model.input("input_ids").dim(0);
        int step = fixedBatch > 0 ? (int) fixedBatch : texts.size();
        if (step != 1 && step < texts.size()) {
            throw new GenAiException(model.file() + " takes exactly " + step + " texts per run");
        }
        float[][] out = new float[texts.size()][];
        for (int start = 0; start < texts.size(); start += step) {
            List<String> part = texts.subList(start, Math.min(texts.size(), start + step));
            ClipTextInputs.Batch batch = textInputs.encode(part, model.input("input_ids"));
            Map<String, Tensor> feeds = new LinkedHashMap<>();
            feeds.put("input_ids", batch.inputIds());
            if (model.inputs().containsKey("attention_mask")) {
                feeds.put("attention_mask", batch.attentionMask());
            }
            Tensor embeds = model.run(feeds, "CLIP text model, " + part.size() + " text(s)").get("text_embeds");
            System.arraycopy(rows(embeds, part.size()), 0, out, start, part.size());
        }
        return out;
    }

    private float[][] rows(Tensor embeds, int n) {
        if (embeds.rank() != 2 || embeds.dim(0) != n) {
            throw new GenAiException("CLIP model " + dir + " returned embeddings of shape "
                    + Arrays.toString(embeds.shape()) + " for " + n + " input(s); expected [" + n + ", D]");
        }
        int d = (int) embeds.dim(1);
        float[] all = embeds.floats();
        float[][] out = new float[n][];
        for (int i = 0; i < n; i++) {
            out[i] = Vectors.normalized(Arrays.copyOfRange(all, i * d, (i + 1) * d));
        }
        return out;
    }

    /**
     * CLIP's learned temperature for zero-shot logits, exp(logit_scale), about 100 for OpenAI CLIP.
     *
     * <p>It is not part of the text or vision network, so it is measured on the combined {@code model.onnx} when
     * the folder has one: that network returns {@code logits_per_image = scale · cosine}, so one run on a probe
     * image and two probe texts gives the scale. Without it, a {@code logit_scale} value in config.json (the
     * trained temperature, as some exports record it), else {@link #DEFAULT_LOGIT_SCALE}.
     */
    public synchronized double logitScale() {
        if (logitScale == null) {
            logitScale = combinedFile != null ? measureLogitScale()
                    : !Double.isNaN(configLogitScale) ? configLogitScale : DEFAULT_LOGIT_SCALE;
        }
        return logitScale;
    }

    /** Whether {@link #logitScale()} comes from the model rather than the default. */
    public boolean hasLearnedLogitScale() {
        return combinedFile != null || !Double.isNaN(configLogitScale);
    }

    /** Where {@link #logitScale()} comes from, in words. */
    public String logitScaleSource() {
        return combinedFile != null ? "measured on " + dir.relativize(combinedFile)
                : !Double.isNaN(configLogitScale) ? "logit_scale of config.json"
                : "default; the model has no combined model.onnx";
    }

    private double measureLogitScale() {
        try (OnnxModel combined = OnnxModel.load(combinedFile, settings)) {
            requireOutput(combined, "logits_per_image");
            List<String> probes = List.of("a photo of a cat", "a diagram");
            ClipTextInputs.Batch batch = textInputs.encode(probes, combined.input("input_ids"));
            int[] size = preprocessor.fixedOutputSize();
            int h = size[0] > 0 ? size[0] : 224;
            int w = size[1] > 0 ? size[1] : 224;
            float[] probe = new float[3 * h * w];
            for (int i = 0; i < probe.length; i++) {
                // A smooth ramp keeps the probe image away from any degenerate, all-zero embedding.
                probe[i] = (float) Math.sin(i * 0.001);
            }
            Map<String, Tensor> feeds = new LinkedHashMap<>();
            feeds.put("input_ids", batch.inputIds());
            if (combined.inputs().containsKey("attention_mask")) {
                feeds.put("attention_mask", batch.attentionMask());
            }
            feeds.put("pixel_values", Tensor.ofFloats(probe, 1, 3, h, w));
            Map<String, Tensor> out = combined.run(feeds, "measuring the logit scale of " + combinedFile);
            float[] logits = out.get("logits_per_image").floats();
            float[] image = Vectors.normalized(out.get("image_embeds").floats().clone());
            float[] texts = out.get("text_embeds").floats();
            int d = image.length;
            double best = 0;
            double scale = DEFAULT_LOGIT_SCALE;
            for (int t = 0; t < probes.size(); t++) {
                float[] text = Vectors.normalized(Arrays.copyOfRange(texts, t * d, (t + 1) * d));
                double cosine = Vectors.dot(image, text);
                if (Math.abs(cosine) > best) {
                    best = Math.abs(cosine);
                    scale = logits[t] / cosine;
                }
            }
            if (best < 1e-4 || !(scale > 0)) {
                throw new GenAiException("Cannot measure the logit scale of " + combinedFile
                        + "; give one explicitly (CLIP uses about 100)");
            }
            return scale;
        }
    }

    @Override
    public synchronized void close() {
        AutoCloseable[] towers = {text, vision};
        text = null;
        vision = null;
        Closeables.closeAll(towers);
    }
}
