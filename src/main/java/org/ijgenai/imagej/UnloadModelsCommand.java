package org.ijgenai.imagej;

import org.ijgenai.core.diffusion.ModelCache;

import ij.IJ;
import ij.plugin.PlugIn;

/** Plugins › Generative AI › Unload Generative Models: frees every cached model session no command is using. */
public final class UnloadModelsCommand extends GenAiCommand implements PlugIn {

    @Override
    public void run(String arg) {
        int before = ModelCache.shared().describe().size();
        int unloaded = ModelCache.shared().unloadAll();
        IJ.showStatus("Unloaded " + unloaded + " of " + before + " cached model(s)");
        if (!ModelCache.shared().describe().isEmpty()) {
            IJ.log("Still in use: " + String.join(", ", ModelCache.shared().describe()));
        }
    }
}
