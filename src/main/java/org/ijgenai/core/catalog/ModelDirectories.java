package org.ijgenai.core.catalog;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.CodeSource;

import org.ijgenai.core.Offline;

/**
 * The two places models live: the bundled {@code models/} folder of the ij-genai installation (read-only in
 * spirit) and the user's models folder, where downloads and added archives go.
 *
 * @param bundled the bundled models folder, or null when none was found
 * @param user the user's models folder (created on first write)
 */
public record ModelDirectories(Path bundled, Path user) {

    /** The folder beside the plugin jar that holds the bundled models in an ImageJ or Fiji plugins folder. */
    public static final String PLUGIN_MODELS = "ij-genai-models";
    /**
     * Where the update site puts the bundled models, below Fiji's top-level {@code models/} folder: Fiji's updater
     * tracks every file there, while in {@code plugins/} it tracks only jars, classes and scripts.
     */
    public static final String FIJI_MODELS = "models/ij-genai";
    /** System property and environment variable that set the user's models folder. */
    public static final String USER_DIR_PROPERTY = "ijgenai.models";
    /** Environment variable that sets the user's models folder. */
    public static final String USER_DIR_ENV = "IJ_GENAI_MODELS";
    /** System property, set by bin/ij-genai, that names the installation folder. */
    public static final String HOME_PROPERTY = "ijgenai.home";

    /** Normalises both paths. */
    public ModelDirectories {
        bundled = bundled == null ? null : bundled.toAbsolutePath().normalize();
        user = user.toAbsolutePath().normalize();
    }

    /**
     * Finds both folders.
     *
     * @param preference the user folder chosen in ImageJ's preferences, or null/blank outside ImageJ. Precedence:
     *        this preference, then the {@code ijgenai.models} system property, then {@code $IJ_GENAI_MODELS}, then
     *        {@code <cache>/models} (cache = {@code $IJ_GENAI_CACHE} or {@code ~/.cache/ij-genai}).
     */
    public static ModelDirectories discover(String preference) {
        return new ModelDirectories(bundledRoot(), userRoot(preference));
    }

    /** The user's models folder, by the precedence documented on {@link #discover}. */
    public static Path userRoot(String preference) {
        for (String candidate : new String[] {preference, System.getProperty(USER_DIR_PROPERTY),
                System.getenv(USER_DIR_ENV)}) {
            if (candidate != null && !candidate.isBlank()) {
                return Paths.get(candidate.trim());
            }
        }
        return Offline.cacheDir().resolve("models");
    }

    /**
     * The bundled models folder: {@code <ijgenai.home>/models} (the repository, for bin/ij-genai run from it), else
     * the folder {@link #bundledRoot(Path)} finds from the plugin jar, else null.
     */
    public static Path bundledRoot() {
        String home = System.getProperty(HOME_PROPERTY);
        if (home != null && !home.isBlank()) {
            Path models = Paths.get(home).resolve("models");
            if (Files.isDirectory(models)) {
                return models;
            }
        }
        try {
            CodeSource source = ModelDirectories.class.getProtectionDomain().getCodeSource();
            if (source != null) {
                return bundledRoot(Paths.get(source.getLocation().toURI()).toAbsolutePath());
            }
        } catch (URISyntaxException | SecurityException | IllegalArgumentException e) {
            // An unusual class loader: no bundled folder, which only hides the bundled models.
        }
        return null;
    }

    /**
     * The bundled models folder for code loaded from {@code codeLocation} (the plugin jar, or target/classes):
     * {@code ij-genai-models} beside the jar (the ij-genai folder, or a plain ImageJ's plugins folder it was copied
     * into), else {@code models/ij-genai} above it (Fiji installed from the update site), else a {@code models}
     * folder above it in a build, else null.
     */
    static Path bundledRoot(Path codeLocation) {
        Path beside = codeLocation.getParent() == null ? null : codeLocation.getParent().resolve(PLUGIN_MODELS);
        if (beside != null && Files.isRegularFile(codeLocation) && Files.isDirectory(beside)) {
            return beside;
        }
        for (Path dir = codeLocation.getParent(); dir != null; dir = dir.getParent()) {
            Path fiji = dir.resolve(FIJI_MODELS);
            if (Files.isDirectory(fiji) && Files.isDirectory(dir.resolve("plugins"))) {
                return fiji;
            }
            Path models = dir.resolve("models");
            if (Files.isDirectory(models) && (Files.exists(dir.resolve("pom.xml"))
                    || Files.isDirectory(dir.resolve("plugins")))) {
                return models;
            }
        }
        return null;
    }

    /** The folder where partial downloads of {@code root}'s models wait to be completed. */
    public static Path stagingRoot(Path root) {
        return root.resolve(".partial");
    }

    /** The folder of manifests for models registered in place with {@code models add}. */
    public Path manifestsRoot() {
        return user.resolve(".manifests");
    }
}
