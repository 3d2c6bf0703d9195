package org.ijgenai.core.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the bundled models are found, for each way the plugin is installed. */
class ModelDirectoriesTest {

    @Test
    void aPlainImageJPluginsFolderHasItsModelsBesideTheJar(@TempDir Path imagej) throws Exception {
        Path plugins = Files.createDirectories(imagej.resolve("plugins"));
        Path jar = Files.createFile(plugins.resolve("ij_genai.jar"));
        Path models = Files.createDirectories(plugins.resolve("ij-genai-models/shapes-sd"));
        assertEquals(models.getParent(), ModelDirectories.bundledRoot(jar));
    }

    @Test
    void fijiFromTheUpdateSiteHasThemInItsModelsFolderNotAnotherPluginsModels(@TempDir Path fiji) throws Exception {
        Path jar = Files.createFile(Files.createDirectories(fiji.resolve("plugins")).resolve("ij_genai.jar"));
        Files.createDirectories(fiji.resolve("models/someone-elses-model"));
        Path models = Files.createDirectories(fiji.resolve("models/ij-genai"));
        Files.createDirectories(models.resolve("shapes-sd"));
        assertEquals(models, ModelDirectories.bundledRoot(jar));
    }

    @Test
    void theIjGenaiFolderAndABuildStillFindTheirModelsFolder(@TempDir Path dist) throws Exception {
        Path jar = Files.createFile(Files.createDirectories(dist.resolve("plugins")).resolve("ij_genai.jar"));
        Path models = Files.createDirectories(dist.resolve("models"));
        assertEquals(models, ModelDirectories.bundledRoot(jar));
    }
}
