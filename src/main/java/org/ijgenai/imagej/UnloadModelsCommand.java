package org.ijgenai.imagej;

import java.util.List;

import org.ijgenai.core.diffusion.ModelCache;

import ij.IJ;
import ij.gui.GenericDialog;
import ij.plugin.PlugIn;

/**
 * Plugins › Generative AI › Unload Generative Models...: frees the cached model sessions that no command is using,
 * and sets the memory budget of the cache.
 */
public final class UnloadModelsCommand extends GenAiCommand implements PlugIn {

    private static final String TITLE = "Unload Generative Models";

    @Override
    public void run(String arg) {
        ModelCache cache = ModelCache.shared();
        List<String> cached = cache.describe();
        GenericDialog gd = new GenAiDialog(TITLE);
        gd.addMessage(cached.isEmpty() ? "No model is loaded." : "Loaded:\n" + String.join("\n", cached));
        gd.addCheckbox("Unload idle models now", true);
        gd.addNumericField("Memory budget (MiB)", cache.budgetBytes() >> 20, 0);
        gd.showDialog();
        if (gd.wasCanceled()) {
            return;
        }
        boolean unload = gd.getNextBoolean();
        double budget = gd.getNextNumber();
        try {
            if (gd.invalidNumber() || budget < 1) {
                throw new IllegalArgumentException("the memory budget must be a positive number of MiB");
            }
            cache.setBudgetBytes((long) budget << 20);
            int unloaded = unload ? cache.unloadAll() : 0;
            IJ.showStatus(TITLE + ": unloaded " + unloaded + ", budget " + (long) budget + " MiB");
            if (!cache.describe().isEmpty()) {
                IJ.log(TITLE + ": still loaded: " + String.join(", ", cache.describe()));
            }
        } catch (IllegalArgumentException e) {
            reportError(TITLE, e);
        }
    }
}
