package org.ijgenai.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
    private final CliRun cli = new CliRun();
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
        return cli.run(args);
    }

    private String output() {
        return cli.out();
    }

    /** Runs the command once with a model's name and once with its folder; both must write the same file. */
    private void sameFileByNameAndFolder(List<String> command, String name, Path folder, String outName)
            throws Exception {
        Path[] outs = {tmp.resolve("by-name-" + outName), tmp.resolve("by-folder-" + outName)};
        String[] models = {name, folder.toString()};
        for (int i = 0; i < 2; i++) {
            List<String> args = new ArrayList<>(List.of(command.get(0), "--model", models[i]));
            args.addAll(command.subList(1, command.size()));
            args.addAll(List.of("--out", outs[i].toString()));
            assertEquals(0, run(args.toArray(String[]::new)), cli.err());
        }
        assertArrayEquals(Files.readAllBytes(outs[1]), Files.readAllBytes(outs[0]));
    }

    @Test
    void styleTakesTheBundledInkGanByName() throws Exception {
        sameFileByNameAndFolder(List.of("style", "--image", image.toString()), "ink-gan", BUNDLED.resolve("ink-gan"),
                "style.png");
    }

    @Test
    void theStyleDialogResolvesANameToTheSameDescriptor() {
        String fromDescriptor = StyleTransferCommand.FROM_DESCRIPTOR;
        assertEquals(StyleTransferCommand.descriptor(BUNDLED.resolve("ink-gan").toString(), fromDescriptor),
                StyleTransferCommand.descriptor("ink-gan", fromDescriptor));
    }

    @Test
    void segmentTakesAnInstalledModelByName() throws Exception {
        sameFileByNameAndFolder(List.of("segment", "--image", image.toString()), "blobs", tmp.resolve("user/blobs"),
                "mask.tif");
    }

    @Test
    void clipLabelTakesTheBundledShapesClipByName() {
        assertEquals(0, run("clip", "label", "--model", "shapes-clip", "--image", image.toString(), "--labels",
                "a red circle,a blue square"), cli.err());
        String byName = output();
        assertEquals(0, run("clip", "label", "--model", BUNDLED.resolve("shapes-clip").toString(), "--image",
                image.toString(), "--labels", "a red circle,a blue square"), cli.err());
        assertEquals(output(), byName);
        assertTrue(byName.contains("a red circle"), byName);
    }

    @Test
    void aCatalogueModelThatIsNotInstalledSaysHowToInstallIt() {
        assertEquals(1, run("segment", "--model", "isnet-small", "--image", image.toString(), "--out",
                tmp.resolve("mask.tif").toString()));
        String message = cli.err();
        assertTrue(message.contains("isnet-small is in the catalogue but not installed")
                && message.contains("Models...") && message.contains("bin/ij-genai segment setup"), message);
    }
}
