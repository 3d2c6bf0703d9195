package org.ijgenai.core.catalog;

import java.nio.file.Files;
import java.nio.file.Path;

import org.ijgenai.core.GenAiException;

/** Turns what a user typed for "model" into a folder: a path to a model folder, or the name of an installed model. */
public final class ModelLocator {

    private ModelLocator() {}

    /**
     * Resolves a model folder or an installed model's name (e.g. {@code shapes-sd}).
     *
     * @param userModelsFolder the user's models folder preference, or null outside ImageJ
     * @throws GenAiException when it is neither, saying where to look
     */
    public static Path resolve(String folderOrName, String userModelsFolder) {
        String text = folderOrName == null ? "" : folderOrName.trim();
        if (text.isEmpty()) {
            throw new GenAiException("no model given: name a Stable Diffusion ONNX folder or an installed model");
        }
        Path path = Path.of(text);
        if (Files.isDirectory(path)) {
            return path;
        }
        if (Files.isRegularFile(path)) {
            Path parent = path.toAbsolutePath().getParent();
            throw new GenAiException(text + " is a file; give the model's folder instead"
                    + (parent != null ? " (perhaps " + parent + ")" : ""));
        }
        boolean plainName = !text.contains("/") && !text.contains("\\");
        String problems = "";
        if (plainName) {
            try {
                ModelStore store = new ModelStore(ModelDirectories.discover(userModelsFolder),
                        DownloadSettings.defaults());
                ModelStore.Installed installed = store.find(text);
                if (installed != null) {
                    return installed.folder();
                }
                if (!store.catalog().problems().isEmpty()) {
                    problems = "; note: " + String.join("; ", store.catalog().problems());
                }
            } catch (RuntimeException e) {
                throw new GenAiException("model '" + text + "' is not a folder, and the installed models could not be"
                        + " listed: " + e.getMessage(), e);
            }
        }
        throw new GenAiException("Model folder not found: " + text + (plainName
                ? " (and no installed model has that name; Plugins › Generative AI › Models... or"
                        + " 'ij-genai models list' shows them)" : "") + problems);
    }
}
