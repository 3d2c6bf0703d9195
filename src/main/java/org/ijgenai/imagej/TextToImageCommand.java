package org.ijgenai.imagej;


import ij.IJ;
import ij.plugin.PlugIn;

/** Plugins › Generative AI › Text to Image (Stable Diffusion)…: a new RGB image (or stack) from a prompt. */
public final class TextToImageCommand extends GenAiCommand implements PlugIn {

    private static final String TITLE = "Text to Image (Stable Diffusion)";

    @Override
    public void run(String arg) {
        StableDiffusionDialog.Values values;
        try {
            values = StableDiffusionDialog.ask(TITLE, false, StableDiffusionDialog.HELP);
        } catch (IllegalArgumentException e) {
            reportError(TITLE, e);
            return;
        }
        if (values != null) {
            StableDiffusionRunner.run(TITLE, values, null);
        }
    }
}
