package org.ijgenai.core.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One bad entry, or a broken file, in a user's catalog.json is reported once and skipped; other models still work. */
class CatalogProblemsTest {

    @Test
    void aBadEntryIsSkippedAndReportedAndTheBundledModelsStillResolve(@TempDir Path user) throws Exception {
        Files.writeString(user.resolve(Catalog.FILE_NAME), "{\"format\": \"ij-genai-model-catalog\", \"models\": ["
                + "{\"name\": \"broken\", \"task\": \"no-such-task\", \"source\": {\"type\": \"local\","
                + " \"path\": \"/data/b\"}},"
                + "{\"name\": \"mine\", \"task\": \"style\", \"source\": {\"type\": \"local\", \"path\": \"/data/m\"}}]}");
        ModelStore store = new ModelStore(new ModelDirectories(Paths.get("models"), user),
                DownloadSettings.defaults());
        assertNotNull(store.find("shapes-sd"), "a bundled model resolves despite the bad entry");
        assertNotNull(store.catalog().find("mine"), "the good entry of the same file is kept");
        assertEquals(1, store.catalog().problems().size(), store.catalog().problems().toString());
        String problem = store.catalog().problems().get(0);
        assertTrue(problem.contains("model 'broken'") && problem.contains("skipped"), problem);
    }

    @Test
    void aFileThatIsNotJsonIsReportedWithoutTheLibrarysNames(@TempDir Path user) throws Exception {
        Files.writeString(user.resolve(Catalog.FILE_NAME), "{\"format\": \"ij-genai-model-catalog\", \"models\": [");
        Catalog catalog = Catalog.load(new ModelDirectories(Paths.get("models"), user));
        assertNotNull(catalog.find("shapes-sd"));
        assertEquals(1, catalog.problems().size());
        String problem = catalog.problems().get(0);
        assertTrue(problem.contains("not valid JSON") && problem.contains("ignored"), problem);
        assertFalse(problem.contains("com.google") || problem.contains("http"), problem);
    }
}
