package org.ijgenai.core.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Polygon;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javax.imageio.ImageIO;

import org.ijgenai.core.image.RgbImage;
import org.ijgenai.core.onnx.SessionSettings;
import org.ijgenai.core.progress.CancellationToken;
import org.ijgenai.core.progress.ProgressListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Search and zero-shot labels mean something with a trained model: the repository's bundled shapes-clip finds
 * drawn shapes by their description. Runs on a fresh clone (no shared fixtures needed).
 */
class BundledShapesClipTest {

    private static final Path MODEL = Path.of("models/shapes-clip");

    @TempDir
    Path tmp;

    private static void draw(Path file, String shape, Color colour, Color background) throws IOException {
        BufferedImage image = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(background);
        g.fillRect(0, 0, 64, 64);
        g.setColor(colour);
        switch (shape) {
            case "circle" -> g.fillOval(14, 14, 36, 36);
            case "square" -> g.fillRect(16, 16, 32, 32);
            default -> g.fillPolygon(new Polygon(new int[] {32, 52, 12}, new int[] {12, 48, 48}, 3));
        }
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }

    @Test
    void drawnShapesAreFoundByTheirDescriptionAndLabelled() throws IOException {
        assumeTrue(Files.isDirectory(MODEL), "bundled model " + MODEL + " not present");
        Path images = Files.createDirectories(tmp.resolve("shapes"));
        Color red = new Color(220, 40, 40);
        Color green = new Color(40, 170, 60);
        Color blue = new Color(40, 70, 220);
        Color yellow = new Color(235, 215, 40);
        draw(images.resolve("red-circle.png"), "circle", red, blue);
        draw(images.resolve("green-square.png"), "square", green, new Color(240, 240, 240));
        draw(images.resolve("yellow-triangle.png"), "triangle", yellow, new Color(25, 25, 25));
        draw(images.resolve("blue-circle.png"), "circle", blue, yellow);
        Path index = tmp.resolve("index");
        try (ClipModel model = ClipModel.open(MODEL, SessionSettings.DEFAULT)) {
            new ImageIndexer(model, ImageIndexer.Settings.DEFAULT).indexFolder(images, index, ProgressListener.NONE,
                    CancellationToken.NONE);
            // The bundled export records its trained temperature in config.json.
            assertTrue(model.hasLearnedLogitScale());
            assertEquals(26.3, model.logitScale(), 0.1);

            ZeroShotClassifier labels = new ZeroShotClassifier(model, List.of("circle", "square", "triangle"),
                    "a {}", Double.NaN);
            List<RgbImage> drawn = List.of(ImageFileReader.read(images.resolve("red-circle.png")),
                    ImageFileReader.read(images.resolve("green-square.png")),
                    ImageFileReader.read(images.resolve("yellow-triangle.png")));
            List<ZeroShotClassifier.Result> results = labels.classify(drawn);
            for (int i = 0; i < 3; i++) {
                assertEquals(i, results.get(i).best(), "label of image " + i);
            }
        }
        try (ClipSearch search = ClipSearch.open(index, null, SessionSettings.DEFAULT)) {
            assertEquals("red-circle.png", top(search, "a red circle on a blue background"));
            assertEquals("green-square.png", top(search, "a green square on a white background"));
            assertEquals("yellow-triangle.png", top(search, "a yellow triangle on a black background"));
            assertEquals("blue-circle.png", top(search, "a blue circle"));
        }
    }

    private static String top(ClipSearch search, String text) {
        SearchHit hit = search.byText(text, 1).get(0);
        return Path.of(hit.image().path()).getFileName().toString();
    }
}
