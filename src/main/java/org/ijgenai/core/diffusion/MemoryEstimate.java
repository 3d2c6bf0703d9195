package org.ijgenai.core.diffusion;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import org.ijgenai.core.GenAiException;

/**
 * The working memory a generation needs at its peak, estimated from its plan before the first network runs, so that
 * a size the machine cannot hold (8192×8192 on a 64×64 model) is refused with the numbers instead of failing inside
 * ONNX Runtime after minutes of swapping.
 *
 * <p>The model: without memory-efficient attention, each self-attention layer materialises its scores, UNet batch ×
 * heads × T² floats for T latent positions at its level, and its softmax beside them; the largest such layer sets the
 * UNet's peak ({@link #SCORE_COPIES} of its scores; measured on the bundled shapes-sd at 512² and 640²: 2.55 and 2.43
 * times, see docs/stable-diffusion.md). The VAE decoder's peak is its full-resolution feature maps plus its mid-block
 * attention at the latent size. Networks run one after another, so the native peak is the larger of the two; the
 * Java heap holds the decoded images and any recorded steps. The networks' weights are not counted: they are loaded
 * already when the estimate is made, and {@link HostMemory} refuses a UNet larger than the RAM on its own.
 *
 * @param nativeBytes the native (ONNX Runtime) working memory at the peak
 * @param heapBytes the Java heap the run allocates for its images and recorded steps
 * @param largestAttention the scores of the largest attention layer, in bytes
 * @param attentionTokens the latent positions T of that layer
 * @param heads its heads
 * @param modelSize the model's own size, "512×512", for the message
 */
public record MemoryEstimate(long nativeBytes, long heapBytes, long largestAttention, long attentionTokens,
        int heads, String modelSize) {

    /** How many copies of the largest attention's scores the UNet holds at its peak (scores, softmax, slack). */
    static final double SCORE_COPIES = 2.5;
    /** Full-resolution feature maps the VAE decoder holds at once (input, two resnet halves, upsampled, skip). */
    private static final int VAE_MAPS = 6;
    /** Latent-sized float arrays a denoising step holds on the heap (latents, scaled, doubled, prediction, …). */
    private static final int LATENT_COPIES = 8;
    private static final int FLOAT = 4;

    /** One resolution level of a UNet: its channels and the heads of its attention (0 for none). */
    record Level(int channels, int heads) {}

    /**
     * Estimates a run of {@code plan} on {@code folder}.
     *
     * @param recordSteps whether every step is decoded and kept (step stacks)
     */
    public static MemoryEstimate of(ModelFolder folder, DenoisingPlan plan, boolean recordSteps) {
        List<Level> levels = unetLevels(folder.unet().resolveSibling("config.json"));
        long h = plan.latentHeight();
        long w = plan.latentWidth();
        long unetBatch = plan.unetBatch();
        long largest = 0;
        long tokensOfLargest = 0;
        int headsOfLargest = 0;
        for (int level = 0; level < levels.size(); level++) {
            long tokens = Math.max(1, h >> level) * Math.max(1, w >> level);
            long scores = saturatingProduct(unetBatch, levels.get(level).heads(), tokens, tokens, FLOAT);
            if (scores > largest) {
                largest = scores;
                tokensOfLargest = tokens;
                headsOfLargest = levels.get(level).heads();
            }
        }
        long activations = saturatingProduct(16, unetBatch, levels.get(0).channels(), h * w, FLOAT);
        long unet = saturate(SCORE_COPIES * largest + activations);
        long pixels = (long) plan.width() * plan.height();
        int vaeChannels = firstChannels(folder.vaeDecoder().resolveSibling("config.json"), 128);
        long vae = saturate(saturatingProduct(VAE_MAPS, pixels, vaeChannels, FLOAT)
                + SCORE_COPIES * saturatingProduct(h * w, h * w, FLOAT));
        long images = saturatingProduct(plan.batch(), pixels, 3 * FLOAT + 4);
        long decode = saturatingProduct(3, pixels, 3 * FLOAT);
        long steps = recordSteps ? saturatingProduct(plan.evaluations(), 2, plan.batch(), pixels, 4) : 0;
        long latents = saturatingProduct(LATENT_COPIES, unetBatch, plan.channels(), h * w, FLOAT);
        long heap = saturate((double) images + decode + steps + latents);
        return new MemoryEstimate(Math.max(unet, vae), heap, largest, tokensOfLargest, headsOfLargest,
                folder.nativeWidth() + "×" + folder.nativeHeight());
    }

    /**
     * Refuses the run when its native working memory exceeds what the computer has available (on a GPU run the
     * networks' memory is the GPU's, which ONNX Runtime reports itself), or its heap need what the JVM has left.
     *
     * @param nativeAvailable the native memory a run can have: the computer's available memory plus what this
     *     process's arena already holds; ≤ 0 when unknown (then only the heap is checked)
     * @throws GenAiException with the size, the UNet batch, the GiB needed and available, and what to change
     */
    public void check(DenoisingPlan plan, boolean gpu, long nativeAvailable, long heapAvailable) {
        String size = String.format(Locale.ROOT, "%d×%d with a UNet batch of %d (%d image%s%s)", plan.width(),
                plan.height(), plan.unetBatch(), plan.batch(), plan.batch() == 1 ? "" : "s",
                plan.guided() ? " × 2 for guidance" : "");
        long available = nativeAvailable;
        if (!gpu && available > 0 && nativeBytes > available) {
            throw new GenAiException(String.format(Locale.ROOT, "%s needs about %s of working memory (its largest"
                    + " attention layer compares %d×%d latent positions in %d head%s: %s of scores), but this"
                    + " computer has %s available; try a smaller width and height, e.g. the model's own %s,"
                    + " or fewer images", size, gib(nativeBytes), attentionTokens, attentionTokens, heads,
                    heads == 1 ? "" : "s", gib(largestAttention), gib(available), modelSize));
        }
        if (heapBytes > heapAvailable) {
            throw new GenAiException(String.format(Locale.ROOT, "%s needs about %s of Java heap for its images"
                    + " and any recorded steps, but this JVM has %s left; try a smaller size, fewer images, no step"
                    + " stacks, or more -Xmx (JAVA_OPTS)", size, gib(heapBytes), gib(heapAvailable)));
        }
    }

    /** What the JVM can still allocate: its limit minus what is in use now. */
    public static long heapAvailable() {
        Runtime runtime = Runtime.getRuntime();
        return runtime.maxMemory() - (runtime.totalMemory() - runtime.freeMemory());
    }

    /**
     * The UNet's levels from its diffusers config: {@code block_out_channels}, which {@code down_block_types} have
     * attention (all when the config does not say), and the heads ({@code num_attention_heads}, else
     * {@code attention_head_dim}, which diffusers' UNet2DConditionModel reads as the head count). A config that names
     * no heads counts those of its class's code: 8 for diffusers' default, 4 for the bundled ShapesUNet
     * (tools/train/shapes_models.py), 1 otherwise. Without a config: one level of 320 channels with one head, the
     * least a Stable Diffusion UNet has, so a size is only refused when even that cannot fit.
     */
    static List<Level> unetLevels(Path config) {
        List<Level> levels = new ArrayList<>();
        JsonObject json = Files.isRegularFile(config) ? readQuietly(config) : null;
        JsonArray channels = json == null ? null : array(json, "block_out_channels");
        if (channels == null || channels.isEmpty()) {
            levels.add(new Level(320, 1));
            return levels;
        }
        JsonArray types = array(json, "down_block_types");
        JsonElement heads = json.has("num_attention_heads") && !json.get("num_attention_heads").isJsonNull()
                ? json.get("num_attention_heads") : json.get("attention_head_dim");
        String className = json.has("_class_name") && !json.get("_class_name").isJsonNull()
                ? json.get("_class_name").getAsString() : "";
        int classHeads = switch (className) {
            case "ShapesUNet" -> 4;
            case "UNet2DConditionModel" -> 8;
            default -> 1;
        };
        for (int i = 0; i < channels.size(); i++) {
            boolean attention = types == null || i >= types.size()
                    || types.get(i).getAsString().contains("Attn")
                    || i == channels.size() - 1;
            int n = classHeads;
            if (heads != null && heads.isJsonArray() && i < heads.getAsJsonArray().size()) {
                n = heads.getAsJsonArray().get(i).getAsInt();
            } else if (heads != null && heads.isJsonPrimitive()) {
                n = heads.getAsInt();
            }
            levels.add(new Level(channels.get(i).getAsInt(), attention ? Math.max(1, n) : 0));
        }
        return levels;
    }

    private static int firstChannels(Path config, int fallback) {
        JsonObject json = Files.isRegularFile(config) ? readQuietly(config) : null;
        JsonArray channels = json == null ? null : array(json, "block_out_channels");
        return channels == null || channels.isEmpty() ? fallback : channels.get(0).getAsInt();
    }

    // A broken config is the model loader's to report; the estimate then uses its fallbacks.
    private static JsonObject readQuietly(Path config) {
        try {
            return ModelFolder.readJson(config);
        } catch (GenAiException e) {
            return null;
        }
    }

    private static JsonArray array(JsonObject json, String key) {
        JsonElement value = json.get(key);
        return value != null && value.isJsonArray() ? value.getAsJsonArray() : null;
    }

    private static long saturatingProduct(long... factors) {
        double product = 1;
        for (long f : factors) {
            product *= f;
        }
        return saturate(product);
    }

    private static long saturate(double bytes) {
        return bytes >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) bytes;
    }

    private static String gib(long bytes) {
        double gib = bytes / (double) (1L << 30);
        return gib >= 100 ? String.format(Locale.ROOT, "%.0f GiB", gib) : String.format(Locale.ROOT, "%.1f GiB", gib);
    }
}
