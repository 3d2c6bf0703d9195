package org.ijgenai.core.attention;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.ijgenai.core.diffusion.GenerationJob;
import org.ijgenai.core.diffusion.GenerationRequest;
import org.junit.jupiter.api.Test;

/** Attention maps of the bundled shapes-sd, captured through the shared pipeline. */
class AttentionMapsJobTest {

    private static final String MODEL = "models/shapes-sd";
    private static final String PROMPT = "a red circle on a blue background";

    private static GenerationRequest request(long seed) {
        return new GenerationRequest(List.of(PROMPT), null, seed, 20, 7.5, null, 0, 0, 1, 0.75);
    }

    @Test
    void captureLeavesTheImageAsThePlainJobMakesIt() {
        assumeTrue(Files.isDirectory(Path.of(MODEL)), MODEL + " is not in this checkout");
        AttentionMapsJob.Result maps = new AttentionMapsJob().setModel(MODEL).setRequest(request(3)).run();
        GenerationJob.Result plain = new GenerationJob().setModel(MODEL).setRequest(request(3)).run();
        float[] a = maps.generation().images().images().get(0);
        float[] b = plain.images().images().get(0);
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - b[i]));
        }
        assertTrue(worst < 1e-5, "max |Δ| = " + worst);
        assertEquals(20, maps.steps().size());
        assertEquals(5, maps.steps().get(0).layers().size(), "shapes-sd has five cross-attention layers");
        List<String> words = new ArrayList<>();
        maps.words().forEach(w -> words.add(w.text()));
        assertEquals(List.of("a", "red", "circle", "on", "a", "blue", "background"), words);
        assertArrayEquals(new int[] {2}, maps.words().get(1).positions());
        assertEquals("\"circle\" · " + org.ijgenai.core.diffusion.StepSnapshot.label(7, 20,
                maps.steps().get(6).timestep()), maps.label(2, 6));
        assertTrue(maps.label(2, 6).startsWith("\"circle\" · step 7/20 · t="), maps.label(2, 6));
        assertEquals(64 * 64, maps.wordMaps().get(0).length);
    }

    /** The measurement docs/inside-the-model.md reports: DAAM's defaults over every layer, seeds 0–9. */
    @Test
    void redAndCircleLieInsideTheCircleAndBlueOutside() {
        assumeTrue(Files.isDirectory(Path.of(MODEL)), MODEL + " is not in this checkout");
        double red = 0;
        double circle = 0;
        double blue = 0;
        int seeds = 10;
        for (int seed = 0; seed < seeds; seed++) {
            AttentionMapsJob.Result maps = new AttentionMapsJob().setModel(MODEL).setRequest(request(seed))
                    .run();
            boolean[] inside = HeatMapMass.dominantChannel(maps.generation().images().images().get(0), 64, 64, 0,
                    0.2f);
            double r = HeatMapMass.fractionInside(maps.wordMaps().get(1), inside);
            double c = HeatMapMass.fractionInside(maps.wordMaps().get(2), inside);
            double b = 1 - HeatMapMass.fractionInside(maps.wordMaps().get(5), inside);
            System.out.printf(Locale.ROOT, "seed %d: circle area %.3f, red %.3f, circle %.3f, blue outside %.3f%n",
                    seed, area(inside), r, c, b);
            assertTrue(r > 1 - b, "seed " + seed + ": more of red's map than of blue's inside the circle");
            red += r / seeds;
            circle += c / seeds;
            blue += b / seeds;
        }
        System.out.printf(Locale.ROOT, "mean over %d seeds: red inside %.3f, circle inside %.3f, blue outside %.3f%n",
                seeds, red, circle, blue);
        // The circle covers about 27 % of the picture, so these are about twice the share of chance.
        assertTrue(red > 0.45 && circle > 0.5 && blue > 0.75, "red " + red + ", circle " + circle + ", blue " + blue);
    }

    private static double area(boolean[] region) {
        int n = 0;
        for (boolean b : region) {
            n += b ? 1 : 0;
        }
        return n / (double) region.length;
    }
}
