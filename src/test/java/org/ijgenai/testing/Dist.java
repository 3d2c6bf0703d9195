package org.ijgenai.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** The packaged folder {@code target/ij-genai} that the integration tests run against. */
public final class Dist {

    private Dist() {}

    /** The folder from the failsafe property {@code ijgenai.dist}, else {@code target/ij-genai}. */
    public static Path dir() {
        Path dist = Paths.get(System.getProperty("ijgenai.dist", "target/ij-genai")).toAbsolutePath();
        assertTrue(Files.isRegularFile(dist.resolve("plugins/ij_genai.jar")),
                "no packaged plugin at " + dist + "; run the integration tests with `mvn verify`");
        return dist;
    }

    /** The packaged folder's bundled models, {@code plugins/ij-genai-models}. */
    public static Path bundledModels() {
        return dir().resolve("plugins/ij-genai-models");
    }

    /** The packaged launcher {@code bin/ij-genai}. */
    public static Path launcher() {
        return dir().resolve("bin/ij-genai");
    }

    /** The repository's {@code samples/} folder. */
    public static Path samples() {
        return Paths.get("samples").toAbsolutePath();
    }
}
