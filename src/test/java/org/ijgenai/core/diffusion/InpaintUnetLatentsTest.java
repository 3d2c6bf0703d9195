package org.ijgenai.core.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.ijgenai.core.image.RgbImage;
import org.ijgenai.core.io.NpzArchive;
import org.ijgenai.core.onnx.SessionSettings;
import org.ijgenai.core.progress.CancellationToken;
import org.ijgenai.core.progress.ProgressListener;
import org.ijgenai.testing.Fixtures;
import org.junit.jupiter.api.Test;

import ij.IJ;
import ij.ImagePlus;

/** The 9-channel start: its UNet input layout, and diffusers' latents after every step on the fixture. */
class InpaintUnetLatentsTest {

    @Test
    void stepLatentsEqualDiffusersCallbackLatents() throws Exception {
        Path refs = Fixtures.file("refs");
        String key = "inpaint_pndm_cfg7.5_rect_64x64";
        float[] expected;
        long[] shape;
        try (NpzArchive npz = NpzArchive.open(refs.resolve("inpaint_refs.npz"))) {
            expected = npz.get(key + "_step_latents").floats();
            shape = npz.get(key + "_step_latents").shape();
        }
        InpaintImage image = new InpaintImage(read(refs.resolve("inpaint_images/init_64x64.png")),
                grey(refs.resolve("inpaint_images/mask_rect_64x64.png")), null);
        GenerationRequest request = new GenerationRequest(List.of("a red circle on a blue background"), "blurry", 42,
                10, 7.5, "pndm", 64, 64, 1, 1.0);
        List<float[]> steps = new ArrayList<>();
        try (ModelCache.Lease lease = ModelCache.shared().lease(Fixtures.file("tiny-sd-inpaint-onnx"),
                SessionSettings.DEFAULT)) {
            new StableDiffusionPipeline(lease.model()).generate(request, new InpaintUnetLatents(image),
                    s -> steps.add(s.latents().clone()), ProgressListener.NONE, CancellationToken.NONE);
        }
        assertEquals(shape[0], steps.size());
        int per = expected.length / steps.size();
        double worst = 0;
        for (int i = 0; i < steps.size(); i++) {
            for (int k = 0; k < per; k++) {
                worst = Math.max(worst, Math.abs(steps.get(i)[k] - expected[i * per + k]));
            }
        }
        assertTrue(worst < 1e-3, "worst latent difference " + worst);
    }

    @Test
    void unetInputIsLatentsMaskThenMaskedImageLatentsPerSample() {
        InpaintUnetLatents start = new InpaintUnetLatents(new InpaintImage(new RgbImage(8, 8, new byte[192]),
                new byte[64], null));
        start.setUpForTest(new float[] {7f}, new float[] {1f, 2f, 3f, 4f});
        float[] scaled = {10, 11, 12, 13, 20, 21, 22, 23};
        assertArrayEquals(new float[] {10, 11, 12, 13, 7, 1, 2, 3, 4, 20, 21, 22, 23, 7, 1, 2, 3, 4},
                start.concatenate(scaled, 2));
    }

    private static RgbImage read(Path file) {
        ImagePlus imp = IJ.openImage(file.toString());
        int[] pixels = (int[]) imp.getProcessor().convertToRGB().getPixels();
        byte[] rgb = new byte[pixels.length * 3];
        for (int i = 0; i < pixels.length; i++) {
            rgb[i * 3] = (byte) (pixels[i] >> 16);
            rgb[i * 3 + 1] = (byte) (pixels[i] >> 8);
            rgb[i * 3 + 2] = (byte) pixels[i];
        }
        return new RgbImage(imp.getWidth(), imp.getHeight(), rgb);
    }

    private static byte[] grey(Path file) {
        ImagePlus imp = IJ.openImage(file.toString());
        return (byte[]) imp.getProcessor().convertToByte(false).getPixels();
    }
}
