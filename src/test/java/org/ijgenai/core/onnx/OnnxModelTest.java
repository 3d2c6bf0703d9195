package org.ijgenai.core.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.tensor.ElementType;
import org.ijgenai.core.tensor.Tensor;
import org.ijgenai.testing.Fixtures;
import org.junit.jupiter.api.Test;

class OnnxModelTest {

    @Test
    void readsDeclaredInputTypesAndConvertsLongIdsToInt32() {
        Path file = Fixtures.file("tiny-sd-onnx/text_encoder/model.onnx");
        try (OnnxModel model = OnnxModel.load(file, SessionSettings.DEFAULT)) {
            TensorSpec ids = model.input("input_ids");
            assertEquals(ElementType.INT32, ids.type());
            assertEquals(2, ids.rank());
            long[] tokens = new long[77];
            tokens[0] = 49406 % 679;
            Map<String, Tensor> out = model.run(Map.of("input_ids", Tensor.ofLongs(tokens, 1, 77)), "text encoder");
            Tensor hidden = out.get("last_hidden_state");
            assertArrayEquals(new long[] {1, 77, 32}, hidden.shape());
            assertTrue(Float.isFinite(hidden.floats()[0]));
        }
    }

    @Test
    void missingFileIsNamed() {
        GenAiException e = assertThrows(GenAiException.class,
                () -> OnnxModel.load(Path.of("no/such/model.onnx"), SessionSettings.DEFAULT));
        assertTrue(e.getMessage().contains("no/such/model.onnx"), e.getMessage());
    }

    @Test
    void anEmptyFileIsNamedAsEmpty(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path empty = java.nio.file.Files.createFile(dir.resolve("model.onnx"));
        GenAiException e = assertThrows(GenAiException.class, () -> OnnxModel.load(empty, SessionSettings.DEFAULT));
        assertTrue(e.getMessage().equals(empty + " is empty (0 bytes), not an ONNX model: an interrupted copy or"
                + " download; install the model again"), e.getMessage());
    }
}
