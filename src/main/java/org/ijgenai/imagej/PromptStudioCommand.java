package org.ijgenai.imagej;

import java.awt.GraphicsEnvironment;

import ij.IJ;
import ij.plugin.PlugIn;

/** Plugins › Generative AI › Prompt Studio (Stable Diffusion): opens the non-modal Prompt Studio window. */
public final class PromptStudioCommand extends GenAiCommand implements PlugIn {

    @Override
    public void run(String arg) {
        if (GraphicsEnvironment.isHeadless()) {
            // Logged, not an error, so a recorded macro that opened the studio still runs headless.
            IJ.log("Prompt Studio needs a display; in macros and headless runs use"
                    + " \"Text to Image (Stable Diffusion)...\" instead.");
            return;
        }
        java.awt.EventQueue.invokeLater(PromptStudio::showStudio);
    }
}
