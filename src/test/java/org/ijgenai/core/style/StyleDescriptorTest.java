package org.ijgenai.core.style;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.ijgenai.core.GenAiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StyleDescriptorTest {

    @TempDir
    Path dir;

    @Test
    void readyFormatsFollowTheirReferenceCode() {
        StyleDescriptor anime = StyleFormat.ANIMEGAN.descriptorFor(Path.of("a.onnx"));
        assertEquals(TensorLayout.NHWC, anime.layout());
        assertEquals(ValueRange.MINUS_ONE_TO_ONE, anime.range());
        assertEquals(ColorOrder.RGB, anime.colorOrder());
        StyleDescriptor cycle = StyleFormat.CYCLEGAN.descriptorFor(Path.of("c.onnx"));
        assertEquals(TensorLayout.NCHW, cycle.layout());
        assertEquals(ValueRange.MINUS_ONE_TO_ONE, cycle.range());
        assertEquals(4, cycle.sizeMultiple());
        StyleDescriptor fns = StyleFormat.parse("Fast-Neural-Style").descriptorFor(Path.of("candy-9.onnx"));
        assertEquals(TensorLayout.NCHW, fns.layout());
        assertEquals(ValueRange.ZERO_TO_255, fns.range());
        assertEquals(ColorOrder.RGB, fns.colorOrder());
        assertNull(fns.input());
    }

    @Test
    void valueRangesMapExactly() {
        assertEquals(-1f, ValueRange.MINUS_ONE_TO_ONE.encode(0f));
        assertEquals(1f, ValueRange.MINUS_ONE_TO_ONE.encode(1f));
        assertEquals(200f / 127.5f - 1f, ValueRange.MINUS_ONE_TO_ONE.encode(200f / 255f), 1e-6f);
        assertEquals(200f, ValueRange.ZERO_TO_255.encode(200f / 255f), 1e-4f);
        assertEquals(0.75f, ValueRange.MINUS_ONE_TO_ONE.decode(0.5f));
        assertEquals(1f, ValueRange.ZERO_TO_255.decode(300f), "clipped like np.clip(y, 0, 255)");
        assertEquals(0f, ValueRange.ZERO_TO_ONE.decode(-0.2f));
        assertEquals(0f, ValueRange.ZERO_TO_ONE.decode(Float.NaN));
        assertEquals(ValueRange.MINUS_ONE_TO_ONE, ValueRange.parse("[-1, 1]"));
        assertEquals(ValueRange.ZERO_TO_255, ValueRange.parse("0..255"));
        assertEquals(ValueRange.ZERO_TO_ONE, ValueRange.parse("[0,1]"));
        assertThrows(GenAiException.class, () -> ValueRange.parse("0..2"));
    }

    @Test
    void folderDescriptorIsRead() {
        StyleDescriptor d = StyleDescriptor.resolve(StyleTestData.resource("bgr01"), null);
        assertEquals("image", d.input());
        assertEquals("styled", d.output());
        assertEquals(TensorLayout.NHWC, d.layout());
        assertEquals(ValueRange.ZERO_TO_ONE, d.range());
        assertEquals(ColorOrder.BGR, d.colorOrder());
        assertEquals(256, d.maxTile());
        assertTrue(Files.isRegularFile(d.model()));
    }

    @Test
    void formatInDescriptorSuppliesDefaults() throws IOException {
        Files.writeString(dir.resolve("style.json"),
                "{\"format\": \"cyclegan\", \"model\": \"gen.onnx\", \"sizeMultiple\": 256, \"overlap\": 32}");
        Files.writeString(dir.resolve("gen.onnx"), "");
        StyleDescriptor d = StyleDescriptor.resolve(dir, null);
        assertEquals(TensorLayout.NCHW, d.layout());
        assertEquals(ValueRange.MINUS_ONE_TO_ONE, d.range());
        assertEquals(256, d.sizeMultiple());
        assertEquals(32, d.overlap());
        assertEquals(dir.resolve("gen.onnx").toAbsolutePath().normalize(), d.model());
        // A lone .onnx in the folder gets the family's descriptor when a format is chosen.
        assertEquals(StyleFormat.ANIMEGAN.descriptorFor(dir.resolve("gen.onnx")).layout(),
                StyleDescriptor.resolve(dir, StyleFormat.ANIMEGAN).layout());
    }

    @Test
    void modelManagerDescriptorIsRead() throws IOException {
        // What the model manager writes beside a catalogue model it installs.
        Files.writeString(dir.resolve("descriptor.json"),
                "{\"task\": \"style\", \"format\": \"fast-neural-style\", \"model\": \"mosaic-9.onnx\"}");
        StyleDescriptor d = StyleDescriptor.resolve(dir, null);
        assertEquals(ValueRange.ZERO_TO_255, d.range());
        assertEquals("mosaic-9.onnx", d.model().getFileName().toString());
        Files.writeString(dir.resolve("descriptor.json"), "{\"task\": \"segmentation\", \"format\": \"u2net\"}");
        GenAiException e = assertThrows(GenAiException.class, () -> StyleDescriptor.resolve(dir, null));
        assertTrue(e.getMessage().contains("segmentation"), e.getMessage());
    }

    @Test
    void descriptorBesideOnnxFileIsFound() throws IOException {
        Path onnx = dir.resolve("udnie.onnx");
        Files.writeString(onnx, "");
        Files.writeString(dir.resolve("udnie.style.json"), "{\"layout\": \"nchw\", \"range\": \"0..255\"}");
        StyleDescriptor d = StyleDescriptor.resolve(onnx, null);
        assertEquals(onnx, d.model());
        assertEquals(ValueRange.ZERO_TO_255, d.range());
    }

    @Test
    void mistakesNameTheFileAndField() throws IOException {
        Path json = dir.resolve("style.json");
        Files.writeString(json, "{\"layout\": \"NCHW\", \"range\": \"-1..1\", \"colourOrder\": \"BGR\"}");
        GenAiException unknown = assertThrows(GenAiException.class, () -> StyleDescriptor.resolve(dir, null));
        assertTrue(unknown.getMessage().contains("colourOrder") && unknown.getMessage().contains("style.json"),
                unknown.getMessage());
        Files.writeString(json, "{\"layout\": \"CHW\", \"range\": \"-1..1\"}");
        GenAiException layout = assertThrows(GenAiException.class, () -> StyleDescriptor.read(json));
        assertTrue(layout.getMessage().contains("NCHW or NHWC"), layout.getMessage());
        Files.writeString(json, "{\"layout\": \"NCHW\"}");
        GenAiException range = assertThrows(GenAiException.class, () -> StyleDescriptor.read(json));
        assertTrue(range.getMessage().contains("'range'"), range.getMessage());
        Files.writeString(json, "{\"layout\": \"NCHW\", \"range\": \"0..1\", \"sizeMultiple\": 2.5}");
        GenAiException multiple = assertThrows(GenAiException.class, () -> StyleDescriptor.read(json));
        assertTrue(multiple.getMessage().contains("sizeMultiple"), multiple.getMessage());
        Files.writeString(json, "not json");
        assertThrows(GenAiException.class, () -> StyleDescriptor.read(json));
        GenAiException missing = assertThrows(GenAiException.class,
                () -> StyleDescriptor.resolve(dir.resolve("none.onnx"), StyleFormat.ANIMEGAN));
        assertTrue(missing.getMessage().contains("none.onnx"), missing.getMessage());
    }
}
