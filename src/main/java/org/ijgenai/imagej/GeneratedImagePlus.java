package org.ijgenai.imagej;

import java.util.List;
import java.util.Map;

import org.ijgenai.core.diffusion.GeneratedImages;
import org.ijgenai.core.diffusion.StepRecorder;

import ij.ImagePlus;
import ij.ImageStack;
import ij.process.ColorProcessor;

/**
 * Turns Stable Diffusion results into ImagePlus windows: the images as an RGB image or stack with every generation
 * parameter in Info and properties, and the step stacks with one labelled slice per UNet evaluation.
 */
public final class GeneratedImagePlus {

    /** Prefix of the image properties that hold generation parameters, e.g. {@code sd.seed}. */
    public static final String PROPERTY_PREFIX = "sd.";

    private GeneratedImagePlus() {}

    /** The generated images, one slice each, titled {@code title}. */
    public static ImagePlus images(GeneratedImages result, String title) {
        ImageStack stack = new ImageStack(result.width(), result.height());
        for (int i = 0; i < result.count(); i++) {
            ColorProcessor cp = new ColorProcessor(result.width(), result.height(), result.rgb(i));
            stack.addSlice(sliceLabel(result, i), cp);
        }
        ImagePlus imp = new ImagePlus(title, stack);
        describe(imp, result.parameters());
        return imp;
    }

    private static String sliceLabel(GeneratedImages result, int index) {
        int perPrompt = result.request().imagesPerPrompt();
        String prompt = result.request().prompts().get(index / perPrompt);
        return (index + 1) + ": " + (prompt.length() > 60 ? prompt.substring(0, 60) + "…" : prompt);
    }

    /** Stores the parameters in the image's Info (one "key: value" line each) and as {@code sd.*} properties. */
    public static void describe(ImagePlus imp, Map<String, String> parameters) {
        describe(imp, "Stable Diffusion (ij-genai)", PROPERTY_PREFIX, parameters);
    }

    /**
     * Stores the parameters in the image's Info under a heading line (one "key: value" line each) and as
     * properties named {@code prefix + key}, for results that are not Stable Diffusion's.
     */
    public static void describe(ImagePlus imp, String heading, String prefix, Map<String, String> parameters) {
        StringBuilder info = new StringBuilder(heading).append('\n');
        for (Map.Entry<String, String> e : parameters.entrySet()) {
            info.append(e.getKey()).append(": ").append(e.getValue()).append('\n');
            imp.setProp(prefix + e.getKey(), e.getValue());
        }
        imp.setProperty("Info", info.toString());
    }

    /**
     * The step stacks: the decoded (or previewed) latents, and x̂0, each with one slice per UNet evaluation
     * labelled like "step 3/11 · t=701".
     */
    public static ImagePlus[] stepStacks(StepRecorder recorder, String title, Map<String, String> parameters) {
        ImagePlus latents = stack(recorder, recorder.latentFrames(), title + " – steps (latents)");
        ImagePlus original = stack(recorder, recorder.predictedOriginalFrames(), title + " – steps (x̂0)");
        describe(latents, parameters);
        describe(original, parameters);
        return new ImagePlus[] {latents, original};
    }

    private static ImagePlus stack(StepRecorder recorder, List<int[]> frames, String title) {
        int w = recorder.frameWidth();
        int h = recorder.frameHeight();
        ImageStack stack = new ImageStack(w, h);
        for (int i = 0; i < frames.size(); i++) {
            stack.addSlice(recorder.labels().get(i), new ColorProcessor(w, h, frames.get(i).clone()));
        }
        return new ImagePlus(title, stack);
    }

    /** A window title from the prompt: its first words, at most 50 characters. */
    public static String titleFor(List<String> prompts) {
        String prompt = prompts.get(0).strip().replaceAll("[\\\\/:*?\"<>|\\s]+", " ");
        if (prompt.length() > 50) {
            prompt = prompt.substring(0, 50).strip() + "…";
        }
        if (prompt.isBlank()) {
            // An empty prompt is a valid request; the window still needs a name a user can tell apart.
            prompt = "(empty prompt)";
        }
        return prompts.size() > 1 ? prompt + " (+" + (prompts.size() - 1) + ")" : prompt;
    }
}
