package org.ijgenai.core.catalog;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ijgenai.core.GenAiException;
import org.junit.jupiter.api.Test;

/** What ModelLocator says when a model argument is not a model folder or name. */
class ModelLocatorTest {

    @Test
    void aFileIsNotReportedAsAMissingFolder() {
        GenAiException e = assertThrows(GenAiException.class,
                () -> ModelLocator.resolve("models/shapes-sd/model_index.json", null));
        assertTrue(e.getMessage().startsWith("models/shapes-sd/model_index.json is a file; give the model's folder"
                + " instead (perhaps "), e.getMessage());
        assertTrue(e.getMessage().endsWith("shapes-sd)"), e.getMessage());
    }
}
