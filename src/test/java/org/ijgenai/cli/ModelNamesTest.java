package org.ijgenai.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.imageio.ImageIO;

import org.ijgenai.imagej.StyleTransferCommand;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model name works wherever a model is asked for: each subcommand given an installed model's name writes exactly
 * what it writes given that model's folder, and a catalogue model that is not installed says how to install it.
 */
class ModelNamesTest {

    private static final Path BUNDLED = Path.of("models").toAbsolutePath();
    private static final Path SEGMENT = Path.of("src/test/resources/org/ijgenai/core/segment");

    @TempDir
    Path tmp;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private Path image;

    @BeforeEach
    void userFolderWithASegmentationModel() throws Exception {
        assumeTrue(Files.isDirectory(BUNDLED.resolve("ink-gan")), "the bundled models are not in this checkout");
        Path user = Files.createDirectories(tmp.resolve("user"));
        System.setProperty("ijgenai.models", user.toString());
        Path blobs = Files.createDirectories(user.resolve("blobs"));
        Files.copy(SEGMENT.resolve("blobs_sigmoid.onnx"), blobs.resolve("model.onnx"));
        Files.writeString(blobs.resolve("segmentation.json"), Files.readString(SEGMENT.resolve("blobs_sigmoid.json"))
                .replace("blobs_sigmoid.onnx", "model.onnx"));
        BufferedImage picture = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                boolean inside = (x - 30) * (x - 30) + (y - 34) * (y - 34) < 200;
                picture.setRGB(x, y, inside ? 0xd02020 : 0x2030c0 + x);
            }
        }
        image = tmp.resolve("picture.png");
        ImageIO.write(picture, "png", image.toFile());
    }

    @AfterEach
    void clearProperties() {
        System.clearProperty("ijgenai.models");
    }

    private int run(String... args) {
        out.reset();
        err.reset();
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        System.setOut(o);
        System.setErr(e);
        try {
            return Main.run(args, o, e);
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }
    }

    private String output() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void styleTakesTheBundledInkGanByName() throws Exception {
        assertEquals(0, run("style", "--model", "ink-gan", "--image", image.toString(), "--out",
                tmp.resolve("by-name.png").toString()), err.toString(StandardCharsets.UTF_8));
        assertEquals(0, run("style", "--model", BUNDLED.resolve("ink-gan").toString(), "--image", image.toString(),
                "--out", tmp.resolve("by-folder.png").toString()), err.toString(StandardCharsets.UTF_8));
        assertArrayEquals(Files.readAllBytes(tmp.resolve("by-folder.png")),
                Files.readAllBytes(tmp.resolve("by-name.png")));
    }

    @Test
    void theStyleDialogResolvesANameToTheSameDescriptor() {
        assertEquals(StyleTransferCommand.descriptor(BUNDLED.resolve("ink-gan").toString(), StyleTransferCommand.FROM_DESCRIPTOR),
                StyleTransferCommand.descriptor("ink-gan", StyleTransferCommand.FROM_DESCRIPTOR));
    }

    @Test
    void segmentTakesAnInstalledModelByName() throws Exception {
        assertEquals(0, run("segment", "--model", "blobs", "--image", image.toString(), "--out",
                tmp.resolve("by-name.tif").toString()), err.toString(StandardCharsets.UTF_8));
        assertEquals(0, run("segment", "--model", tmp.resolve("user/blobs").toString(), "--image", image.toString(),
                "--out", tmp.resolve("by-folder.tif").toString()), err.toString(StandardCharsets.UTF_8));
        assertArrayEquals(Files.readAllBytes(tmp.resolve("by-folder.tif")),
                Files.readAllBytes(tmp.resolve("by-name.tif")));
    }

    @Test
    void clipLabelTakesTheBundledShapesClipByName() {
        assertEquals(0, run("clip", "label", "--model", "shapes-clip", "--image", image.toString(), "--labels",
                "a red circle,a blue square"), err.toString(StandardCharsets.UTF_8));
        String byName = output();
        assertEquals(0, run("clip", "label", "--model", BUNDLED.resolve("shapes-clip").toString(), "--image",
                image.toString(), "--labels", "a red circle,a blue square"), err.toString(StandardCharsets.UTF_8));
        assertEquals(output(), byName);
        assertTrue(byName.contains("a red circle"), byName);
    }

    @Test
    void aCatalogueModelThatIsNotInstalledSaysHowToInstallIt() {
        assertEquals(1, run("segment", "--model", "isnet-small", "--image", image.toString(), "--out",
                tmp.resolve("mask.tif").toString()));
        String message = err.toString(StandardCharsets.UTF_8);
        assertTrue(message.contains("isnet-small is in the catalogue but not installed")
                && message.contains("Models...") && message.contains("bin/ij-genai segment setup"), message);
    }
}
