package org.ijgenai.core.gan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.catalog.ModelLayout;
import org.ijgenai.core.catalog.ModelTask;
import org.ijgenai.core.onnx.SessionSettings;
import org.ijgenai.core.progress.CancellationToken;
import org.ijgenai.core.progress.ProgressListener;
import org.ijgenai.core.style.ValueRange;

/** What the generator wrapper reads from the session, and how it refuses models and z's that do not fit. */
class GanGeneratorTest {

    private static final Path MODEL = Path.of("models/shapes-gan");

    @Test
    void readsZFromTheSessionAndTheRangeFromTheDescriptor() {
        GanDescriptor descriptor = GanDescriptor.resolve(MODEL);
        assertEquals(ValueRange.MINUS_ONE_TO_ONE, descriptor.range());
        assertEquals("image", descriptor.output());
        try (GanGenerator generator = GanGenerator.open(descriptor, SessionSettings.DEFAULT)) {
            assertEquals(64, generator.zDim());
            assertEquals("z", generator.input().name());
            // More frames than one batch, so the batching is exercised.
            GanPictures p = generator.generate(java.util.Collections.nCopies(19, LatentPaths.noise(5, 64)),
                    ProgressListener.NONE, CancellationToken.NONE);
            assertEquals(19, p.count());
            assertEquals(32, p.width());
            assertEquals(32, p.height());
            assertTrue(java.util.Arrays.equals(p.raw().get(0), p.raw().get(18)), "same z, same picture");
        }
    }

    @Test
    void theBundledFolderIsAGanModelForTheModelManager() {
        ModelLayout layout = ModelLayout.detect(MODEL);
        assertEquals(ModelTask.GAN, layout.task(), layout.toString());
        assertTrue(layout.usable(), layout.toString());
    }

    @Test
    void zOfTheWrongLengthIsRefusedWithBothLengths() {
        try (GanGenerator generator = GanGenerator.open(GanDescriptor.resolve(MODEL), SessionSettings.DEFAULT)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> generator.generate(
                    List.of(new float[64], new float[100]), ProgressListener.NONE, CancellationToken.NONE));
            assertEquals("z 2 has 100 entries; model.onnx takes z of length 64", e.getMessage());
        }
    }

    @Test
    void anImageToImageNetworkIsNotANoiseVectorGenerator() {
        GenAiException e = assertThrows(GenAiException.class, () -> GanGenerator.open(
                GanDescriptor.resolve(Path.of("models/ink-gan/model.onnx")), SessionSettings.DEFAULT));
        assertTrue(e.getMessage().contains("is not a noise vector: expected [batch, z] or [batch, z, 1, 1]"),
                e.getMessage());
    }

    @Test
    void aFolderWithoutGanJsonAndAnUnknownNameSayWhatIsMissing(@TempDir Path empty) throws Exception {
        GenAiException folder = assertThrows(GenAiException.class, () -> GanDescriptor.resolve(
                Path.of("models/shapes-sd")));
        assertTrue(folder.getMessage().startsWith("no gan.json in models/shapes-sd: not a GAN generator folder"),
                folder.getMessage());
        GenAiException unknown = assertThrows(GenAiException.class, () -> GanDescriptor.locate("no-such-gan",
                empty.toString()));
        assertTrue(unknown.getMessage().contains("Model folder not found: no-such-gan"), unknown.getMessage());
        Files.writeString(empty.resolve("gan.json"), "{\"task\": \"style\"}");
        GenAiException task = assertThrows(GenAiException.class, () -> GanDescriptor.resolve(empty));
        assertTrue(task.getMessage().endsWith("this descriptor is for the task 'style', not 'gan'"),
                task.getMessage());
        Files.writeString(empty.resolve("gan.json"), "{\"range\": \"0..9\"}");
        GenAiException range = assertThrows(GenAiException.class, () -> GanDescriptor.resolve(empty));
        assertTrue(range.getMessage().endsWith("range must be -1..1, 0..1 or 0..255, was '0..9'"),
                range.getMessage());
    }

    @Test
    void aDcganStyleZOfShapeBatchZ11WithAFixedBatchOfOneRunsOneFrameAtATime() throws Exception {
        // tools/gan/make_gan_walk_fixture.py: a tiny ConvTranspose generator exported with input "noise" [1, 8, 1, 1]
        Path dir = Path.of("src/test/resources/gan");
        try (GanGenerator generator = GanGenerator.open(GanDescriptor.resolve(dir.resolve("dcgan-z11.onnx")),
                SessionSettings.DEFAULT);
                org.ijgenai.core.io.NpzArchive npz = org.ijgenai.core.io.NpzArchive.open(dir.resolve("dcgan-z11.npz"))) {
            assertEquals(8, generator.zDim());
            float[] z = npz.get("z").floats();
            org.junit.jupiter.api.Assertions.assertArrayEquals(LatentPaths.noise(4, 8), z, 1e-7f);
            GanPictures p = generator.generate(List.of(z, z, z), ProgressListener.NONE, CancellationToken.NONE);
            assertEquals(3, p.count());
            assertEquals(8, p.width());
            org.junit.jupiter.api.Assertions.assertArrayEquals(npz.get("image").floats(), p.raw().get(2), 1e-5f);
        }
    }
}
