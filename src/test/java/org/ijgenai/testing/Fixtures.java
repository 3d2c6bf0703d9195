package org.ijgenai.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Locates the shared reference fixtures ({@code ../shared/fixtures}) and skips tests cleanly when absent. */
public final class Fixtures {

    private Fixtures() {}

    /**
     * The fixtures folder: {@code $IJ_GENAI_FIXTURES}, else {@code ../shared/fixtures} beside the repository.
     * Skips the calling test, with a message saying what is missing, when the folder does not exist.
     */
    public static Path dir() {
        String configured = System.getenv("IJ_GENAI_FIXTURES");
        Path dir = configured != null ? Paths.get(configured)
                : Paths.get("").toAbsolutePath().getParent().resolve("shared").resolve("fixtures");
        assumeTrue(Files.isDirectory(dir), "shared fixtures not found at " + dir
                + " (set IJ_GENAI_FIXTURES); skipping a test that needs them");
        return dir;
    }

    /** A path inside the fixtures folder; skips when it is absent. */
    public static Path file(String relative) {
        Path path = dir().resolve(relative);
        assumeTrue(Files.exists(path), "fixture " + path + " not found; skipping");
        return path;
    }
}
