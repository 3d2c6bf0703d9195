package org.ijgenai.core.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Pins the resampler and the RGB conversion against Pillow 9.4 outputs made by
 * {@code tools/clip/make_pil_resize_refs.py}: every filter, up- and down-scaling, one axis or both.
 */
class PilResamplerTest {

    private static Path dir() throws URISyntaxException {
        return Path.of(PilResamplerTest.class.getResource("pil/cases.txt").toURI()).getParent();
    }

    @Test
    void rgbConversionMatchesTransformersConvertToRgb() throws Exception {
        for (String name : List.of("rgb37x23", "rgba29x31", "grey19x17")) {
            RgbImage ours = ImageFileReader.read(dir().resolve(name + ".png"));
            RgbImage pil = ImageFileReader.read(dir().resolve(name + "_rgb.png"));
            assertArrayEquals(pil.rgb(), ours.rgb(), name + ": RGB conversion differs from Pillow");
        }
    }

    @Test
    void everyFilterMatchesPillowBitForBit() throws Exception {
        List<String> lines = Files.readAllLines(dir().resolve("cases.txt"));
        int cases = 0;
        for (String line : lines) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            String[] f = line.split(" ");
            RgbImage input = ImageFileReader.read(dir().resolve(f[0] + "_rgb.png"));
            RgbImage expected = ImageFileReader.read(dir().resolve(f[4]));
            RgbImage actual = PilResampler.resize(input, Integer.parseInt(f[2]), Integer.parseInt(f[3]),
                    PilFilter.ofCode(Integer.parseInt(f[1])));
            assertEquals(expected.width(), actual.width(), line);
            assertEquals(expected.height(), actual.height(), line);
            assertArrayEquals(expected.rgb(), actual.rgb(), "resize differs from Pillow: " + line);
            cases++;
        }
        assertEquals(63, cases);
    }

    @Test
    void sameSizeIsAnUnchangedCopy() throws IOException, URISyntaxException {
        RgbImage input = ImageFileReader.read(dir().resolve("rgb37x23_rgb.png"));
        RgbImage same = PilResampler.resize(input, 37, 23, PilFilter.BICUBIC);
        assertArrayEquals(input.rgb(), same.rgb());
    }
}
