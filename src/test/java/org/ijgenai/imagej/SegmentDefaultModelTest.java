package org.ijgenai.imagej;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Segment (CNN)... and Remove Background... propose IS-Net small by its name, where `segment setup` installs it,
 * and while it is missing their dialog says how to install it.
 */
class SegmentDefaultModelTest {

    @TempDir
    Path user;

    @BeforeEach
    void emptyUserFolder() {
        System.setProperty("ijgenai.models", user.toString());
    }

    @AfterEach
    void clear() {
        System.clearProperty("ijgenai.models");
    }

    @Test
    void theDefaultIsTheInstalledNameAndAMissingOneComesWithItsInstallHint() throws Exception {
        assertEquals("isnet-small", SegmentationCommandSupport.DEFAULT_MODEL);
        String hint = SegmentationCommandSupport.missingDefaultHint();
        assertTrue(hint != null && hint.contains("Models...") && hint.contains("bin/ij-genai segment setup"),
                String.valueOf(hint));
        Files.createDirectories(user.resolve("isnet-small"));
        assertNull(SegmentationCommandSupport.missingDefaultHint(), "no hint once it is installed");
    }
}
