package org.ijgenai.core.search;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.ijgenai.core.GenAiException;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

/**
 * The settings of transformers' {@code CLIPImageProcessor}, read from a model's {@code preprocessor_config.json}
 * with that class's key names and defaults (a key that is absent takes the default transformers would use).
 *
 * @param doConvertRgb convert to RGB first (transparent pixels composited on white, as transformers does)
 * @param doResize resize before cropping
 * @param shortestEdge the target of the shortest edge, or −1 when {@code resizeHeight/resizeWidth} apply
 * @param resizeHeight exact resize height when {@code size} gives height and width, else −1
 * @param resizeWidth exact resize width when {@code size} gives height and width, else −1
 * @param resample PIL's resampling filter
 * @param doCenterCrop crop the centre after resizing
 * @param cropHeight height of the centre crop
 * @param cropWidth width of the centre crop
 * @param doRescale multiply by {@code rescaleFactor}
 * @param rescaleFactor usually 1/255
 * @param doNormalize subtract {@code mean} and divide by {@code std} per channel
 * @param mean per-channel mean (RGB)
 * @param std per-channel standard deviation (RGB)
 */
public record ClipImageProcessorConfig(boolean doConvertRgb, boolean doResize, int shortestEdge, int resizeHeight,
        int resizeWidth, PilFilter resample, boolean doCenterCrop, int cropHeight, int cropWidth, boolean doRescale,
        double rescaleFactor, boolean doNormalize, double[] mean, double[] std) {

    /** transformers' OPENAI_CLIP_MEAN, the default when the file has no image_mean. */
    private static final double[] DEFAULT_MEAN = {0.48145466, 0.4578275, 0.40821073};
    /** transformers' OPENAI_CLIP_STD, the default when the file has no image_std. */
    private static final double[] DEFAULT_STD = {0.26862954, 0.26130258, 0.27577711};

    /** Validates sizes and channel statistics. */
    public ClipImageProcessorConfig {
        if (doResize && shortestEdge < 1 && (resizeHeight < 1 || resizeWidth < 1)) {
            throw new IllegalArgumentException("resize needs a shortest_edge or a height and width ≥ 1");
        }
        if (doCenterCrop && (cropHeight < 1 || cropWidth < 1)) {
            throw new IllegalArgumentException("crop size must be ≥ 1, was " + cropHeight + "×" + cropWidth);
        }
        if (mean.length != 3 || std.length != 3) {
            throw new IllegalArgumentException("image_mean and image_std need 3 values each");
        }
        for (double s : std) {
            if (!(s > 0)) {
                throw new IllegalArgumentException("image_std values must be > 0, got " + s);
            }
        }
        mean = mean.clone();
        std = std.clone();
    }

    /** A copy of the channel means. */
    @Override
    public double[] mean() {
        return mean.clone();
    }

    /** A copy of the channel standard deviations. */
    @Override
    public double[] std() {
        return std.clone();
    }

    /**
     * Reads {@code preprocessor_config.json}.
     *
     * @throws GenAiException naming the file and key when it is missing or malformed
     */
    public static ClipImageProcessorConfig read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new GenAiException("CLIP model has no preprocessor_config.json: " + file);
        }
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            JsonElement root = JsonParser.parseReader(reader);
            if (!root.isJsonObject()) {
                throw new GenAiException(file + " is not a JSON object");
            }
            return fromJson(root.getAsJsonObject(), file.toString());
        } catch (IOException | JsonParseException e) {
            throw new GenAiException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Builds the settings from the parsed JSON; {@code source} names the file in error messages. */
    static ClipImageProcessorConfig fromJson(JsonObject json, String source) {
        try {
            int shortest = -1;
            int height = -1;
            int width = -1;
            JsonElement size = json.get("size");
            if (size == null || size.isJsonNull()) {
                shortest = 224;
            } else if (size.isJsonPrimitive()) {
                // transformers' get_size_dict(int, default_to_square=False) turns a bare int into a shortest edge.
                shortest = size.getAsInt();
            } else {
                JsonObject s = size.getAsJsonObject();
                if (s.has("shortest_edge")) {
                    shortest = s.get("shortest_edge").getAsInt();
                } else if (s.has("height") && s.has("width")) {
                    height = s.get("height").getAsInt();
                    width = s.get("width").getAsInt();
                } else {
                    throw new GenAiException(source + ": 'size' must have shortest_edge, or height and width; got "
                            + s);
                }
            }
            int cropH = 224;
            int cropW = 224;
            JsonElement crop = json.get("crop_size");
            if (crop != null && !crop.isJsonNull()) {
                if (crop.isJsonPrimitive()) {
                    cropH = crop.getAsInt();
                    cropW = cropH;
                } else {
                    JsonObject c = crop.getAsJsonObject();
                    if (!c.has("height") || !c.has("width")) {
                        throw new GenAiException(source + ": 'crop_size' must have height and width; got " + c);
                    }
                    cropH = c.get("height").getAsInt();
                    cropW = c.get("width").getAsInt();
                }
            }
            return new ClipImageProcessorConfig(
                    bool(json, "do_convert_rgb", true),
                    bool(json, "do_resize", true), shortest, height, width,
                    PilFilter.ofCode(json.has("resample") ? json.get("resample").getAsInt() : 3),
                    bool(json, "do_center_crop", true), cropH, cropW,
                    bool(json, "do_rescale", true),
                    json.has("rescale_factor") ? json.get("rescale_factor").getAsDouble() : 1.0 / 255,
                    bool(json, "do_normalize", true),
                    triple(json, "image_mean", DEFAULT_MEAN, source),
                    triple(json, "image_std", DEFAULT_STD, source));
        } catch (IllegalStateException | UnsupportedOperationException | NumberFormatException e) {
            throw new GenAiException(source + ": unexpected value type: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new GenAiException(source + ": " + e.getMessage(), e);
        }
    }

    /** The height and width of the network input: the crop when cropping, else the resize target. */
    public int[] outputSize(int imageWidth, int imageHeight) {
        if (doCenterCrop) {
            return new int[] {cropHeight, cropWidth};
        }
        if (doResize) {
            return resizeTarget(imageWidth, imageHeight);
        }
        return new int[] {imageHeight, imageWidth};
    }

    /**
     * The size {height, width} the resize step produces, as transformers' {@code get_resize_output_image_size}
     * computes it: the short side becomes {@code shortestEdge} and the long side {@code int(edge·long/short)},
     * truncated like Python's {@code int()}.
     */
    public int[] resizeTarget(int imageWidth, int imageHeight) {
        if (shortestEdge < 1) {
            return new int[] {resizeHeight, resizeWidth};
        }
        boolean portrait = imageWidth <= imageHeight;
        int shortSide = portrait ? imageWidth : imageHeight;
        int longSide = portrait ? imageHeight : imageWidth;
        int newLong = (int) ((double) ((long) shortestEdge * longSide) / shortSide);
        return portrait ? new int[] {newLong, shortestEdge} : new int[] {shortestEdge, newLong};
    }

    private static boolean bool(JsonObject json, String key, boolean fallback) {
        JsonElement e = json.get(key);
        return e == null || e.isJsonNull() ? fallback : e.getAsBoolean();
    }

    private static double[] triple(JsonObject json, String key, double[] fallback, String source) {
        JsonElement e = json.get(key);
        if (e == null || e.isJsonNull()) {
            return fallback.clone();
        }
        if (e.isJsonPrimitive()) {
            double v = e.getAsDouble();
            return new double[] {v, v, v};
        }
        JsonArray array = e.getAsJsonArray();
        if (array.size() != 3) {
            throw new GenAiException(source + ": '" + key + "' needs 3 values (R, G, B), got " + array.size());
        }
        return new double[] {array.get(0).getAsDouble(), array.get(1).getAsDouble(), array.get(2).getAsDouble()};
    }
}
