package org.ijgenai.core.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.image.RgbImage;
import org.junit.jupiter.api.Test;

/** Differential diffusion's per-step masks and diffusers' strength → first step. */
class LatentMaskInpaintTest {

    @Test
    void softMaskValuesBecomeFreeAsTheNoiseLevelFalls() {
        float[] soft = {0f, 0.25f, 0.5f, 0.75f, 1f};
        // t_first = 800: at t = 800 only fully selected latents are free; at 400 those of 0.5 and up; at 0 every
        // selected latent, never the unselected one.
        assertArrayEquals(new float[] {0, 0, 0, 0, 1}, LatentMaskInpaint.freeMask(soft, 800, 800));
        assertArrayEquals(new float[] {0, 0, 1, 1, 1}, LatentMaskInpaint.freeMask(soft, 400, 800));
        assertArrayEquals(new float[] {0, 1, 1, 1, 1}, LatentMaskInpaint.freeMask(soft, 200, 800));
        assertArrayEquals(new float[] {0, 1, 1, 1, 1}, LatentMaskInpaint.freeMask(soft, 0, 800));
    }

    @Test
    void firstStepFollowsDiffusersGetTimesteps() {
        LatentMaskInpaint start = new LatentMaskInpaint(new InpaintImage(new RgbImage(8, 8, new byte[192]),
                new byte[64], null), MaskedContent.ORIGINAL);
        // init_timestep = min(int(10·0.6), 10) = 6 → start index 4; strength 1 → 0.
        assertEquals(4, start.firstStep(request(10, 0.6), new double[10]));
        assertEquals(0, start.firstStep(request(10, 1.0), new double[10]));
        assertThrows(GenAiException.class, () -> start.firstStep(request(10, 0.05), new double[10]));
    }

    private static GenerationRequest request(int steps, double strength) {
        return new GenerationRequest(List.of("x"), null, 1, steps, 7.5, "ddim", 64, 64, 1, strength);
    }
}
