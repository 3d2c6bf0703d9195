package org.ijgenai.spark;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Polygon;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import javax.imageio.ImageIO;

/** Folders of generated shape pictures (what the bundled shapes-clip knows), plus corrupt files. */
final class TestImages {

    static final Path SHAPES_CLIP = Path.of("models/shapes-clip");

    private static final Color[] COLOURS = {new Color(220, 40, 40), new Color(40, 170, 60), new Color(40, 70, 220),
        new Color(235, 215, 40), new Color(240, 240, 240), new Color(25, 25, 25)};
    private static final String[] SHAPES = {"circle", "square", "triangle"};

    private TestImages() {}

    /**
     * Writes {@code count} 64×64 PNGs with a random shape, colour, background, size and position (seeded), in
     * sub-folders of ten.
     */
    static List<Path> shapes(Path dir, int count, long seed) throws IOException {
        Random random = new Random(seed);
        List<Path> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Path folder = Files.createDirectories(dir.resolve(String.format("set%02d", i / 10)));
            Path file = folder.resolve(String.format("img%04d.png", i));
            int fg = random.nextInt(COLOURS.length);
            int bg = (fg + 1 + random.nextInt(COLOURS.length - 1)) % COLOURS.length;
            draw(file, SHAPES[random.nextInt(SHAPES.length)], COLOURS[fg], COLOURS[bg], 24 + random.nextInt(20),
                    random.nextInt(9) - 4, random.nextInt(9) - 4);
            out.add(file);
        }
        return out;
    }

    static void draw(Path file, String shape, Color colour, Color background, int size, int dx, int dy)
            throws IOException {
        BufferedImage image = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(background);
        g.fillRect(0, 0, 64, 64);
        g.setColor(colour);
        int x = 32 - size / 2 + dx;
        int y = 32 - size / 2 + dy;
        switch (shape) {
            case "circle" -> g.fillOval(x, y, size, size);
            case "square" -> g.fillRect(x, y, size, size);
            default -> g.fillPolygon(new Polygon(new int[] {x + size / 2, x + size, x},
                    new int[] {y, y + size, y + size}, 3));
        }
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }

    /** Three files that look like images by name but are not: garbage bytes, an empty file, a truncated PNG. */
    static List<Path> corrupt(Path dir, Path goodPng) throws IOException {
        Files.createDirectories(dir);
        Path garbage = dir.resolve("garbage.png");
        Files.write(garbage, "this is not a picture".getBytes());
        Path empty = dir.resolve("empty.jpg");
        Files.write(empty, new byte[0]);
        Path truncated = dir.resolve("truncated.png");
        byte[] png = Files.readAllBytes(goodPng);
        Files.write(truncated, java.util.Arrays.copyOf(png, png.length / 3));
        return List.of(garbage, empty, truncated);
    }
}
