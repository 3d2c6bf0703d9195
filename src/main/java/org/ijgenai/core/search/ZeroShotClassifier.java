package org.ijgenai.core.search;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * CLIP zero-shot classification: each label, optionally wrapped in a prompt template such as
 * {@code "a photo of a {}"}, is embedded once; an image's probabilities are softmax(logitScale · cosine) over
 * the labels, as transformers' {@code CLIPModel} computes {@code logits_per_image.softmax(dim=1)}.
 */
public final class ZeroShotClassifier {

    /** The scores of one image. */
    public record Result(double[] cosines, double[] probabilities) {

        /** The index of the most probable label. */
        public int best() {
            int best = 0;
            for (int i = 1; i < probabilities.length; i++) {
                if (probabilities[i] > probabilities[best]) {
                    best = i;
                }
            }
            return best;
        }
    }

    private final ClipModel model;
    private final List<String> labels;
    private final List<String> prompts;
    private final double logitScale;
    private final float[][] textEmbeddings;

    /**
     * Embeds the prompts of {@code labels}.
     *
     * @param template a prompt with {@code {}} where the label goes, or null/blank for the bare labels
     * @param logitScale the softmax temperature; {@code NaN} takes the model's ({@link ClipModel#logitScale()})
     */
    public ZeroShotClassifier(ClipModel model, List<String> labels, String template, double logitScale) {
        if (labels.size() < 2) {
            throw new IllegalArgumentException("zero-shot labelling needs at least 2 labels, got " + labels.size());
        }
        if (!Double.isNaN(logitScale) && !(logitScale > 0)) {
            throw new IllegalArgumentException("logit scale must be > 0, was " + logitScale);
        }
        this.model = model;
        this.labels = List.copyOf(labels);
        this.prompts = prompts(labels, template);
        this.logitScale = Double.isNaN(logitScale) ? model.logitScale() : logitScale;
        this.textEmbeddings = model.embedTexts(prompts);
    }

    /**
     * Splits a comma-separated label list, trimming blanks.
     *
     * @throws IllegalArgumentException for fewer than two labels or a repeated label
     */
    public static List<String> parseLabels(String commaSeparated) {
        Set<String> labels = new LinkedHashSet<>();
        for (String part : commaSeparated.split(",")) {
            String label = part.trim();
            if (!label.isEmpty() && !labels.add(label)) {
                throw new IllegalArgumentException("label '" + label + "' is given twice");
            }
        }
        if (labels.size() < 2) {
            throw new IllegalArgumentException("give at least 2 comma-separated labels, got '" + commaSeparated + "'");
        }
        return new ArrayList<>(labels);
    }

    /** The texts actually embedded: the template with {@code {}} replaced by each label. */
    public static List<String> prompts(List<String> labels, String template) {
        if (template == null || template.isBlank()) {
            return List.copyOf(labels);
        }
        if (!template.contains("{}")) {
            throw new IllegalArgumentException("the prompt template must contain {} where the label goes, e.g."
                    + " 'a photo of a {}'; got '" + template + "'");
        }
        List<String> out = new ArrayList<>();
        for (String label : labels) {
            out.add(template.replace("{}", label));
        }
        return out;
    }

    /** The labels, in order. */
    public List<String> labels() {
        return labels;
    }

    /** The embedded prompts, in label order. */
    public List<String> prompts() {
        return prompts;
    }

    /** The softmax temperature in use. */
    public double logitScale() {
        return logitScale;
    }

    /** Scores one image embedding (normalised here). */
    public Result classify(float[] imageEmbedding) {
        float[] image = Vectors.normalized(imageEmbedding.clone());
        double[] cosines = new double[labels.size()];
        for (int i = 0; i < cosines.length; i++) {
            cosines[i] = Vectors.dot(image, textEmbeddings[i]);
        }
        return new Result(cosines, Vectors.softmax(cosines, logitScale));
    }

    /** Embeds and scores images, in order. */
    public List<Result> classify(List<RgbImage> images) {
        List<Result> out = new ArrayList<>();
        float[][] embeddings = model.embedImages(images);
        for (float[] e : embeddings) {
            out.add(classify(e));
        }
        return out;
    }
}
