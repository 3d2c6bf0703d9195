package org.ijgenai.core.onnx;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.onnx.proto.OnnxProto.GraphProto;
import org.ijgenai.core.onnx.proto.OnnxProto.ModelProto;
import org.ijgenai.core.onnx.proto.OnnxProto.NodeProto;
import org.ijgenai.core.onnx.proto.OnnxProto.StringStringEntryProto;
import org.ijgenai.core.onnx.proto.OnnxProto.TensorProto;
import org.ijgenai.core.tensor.HalfFloat;

/**
 * The token and positional embedding tables of a Transformer text encoder, read from its ONNX initializers: the
 * token table is the [vocabulary, width] matrix that a Gather indexes with the token ids, the positional table the
 * [positions, width] (or [1, positions, width]) matrix of the same width beside it.
 *
 * @param tokens [vocabulary, width] row-major
 * @param positions [positions, width] row-major
 */
public record EmbeddingTables(float[] tokens, int vocabulary, float[] positions, int positionCount, int width) {

    /** One token's embedding row. */
    public float[] token(int id) {
        if (id < 0 || id >= vocabulary) {
            throw new IllegalArgumentException("token id " + id + " is outside the vocabulary of " + vocabulary);
        }
        float[] row = new float[width];
        System.arraycopy(tokens, id * width, row, 0, width);
        return row;
    }

    /** One position's embedding row. */
    public float[] position(int index) {
        float[] row = new float[width];
        System.arraycopy(positions, index * width, row, 0, width);
        return row;
    }

    /**
     * Finds both tables in {@code onnxFile}.
     *
     * @param idsInput the graph input holding the token ids
     * @param maxLength the encoder's sequence length (77 for CLIP), the positional table's number of rows
     * @throws GenAiException naming the file when a table cannot be found or read
     */
    public static EmbeddingTables read(Path onnxFile, String idsInput, int maxLength) {
        ModelProto model = AttentionGraph.read(onnxFile).model();
        GraphProto graph = model.getGraph();
        Map<String, TensorProto> initializers = new HashMap<>();
        for (TensorProto t : graph.getInitializerList()) {
            initializers.put(t.getName(), t);
        }
        Map<String, String> castFrom = new HashMap<>();
        TensorProto table = null;
        for (NodeProto node : graph.getNodeList()) {
            if (node.getOpType().equals("Cast") || node.getOpType().equals("Identity")) {
                castFrom.put(node.getOutput(0), node.getInput(0));
            }
            if (node.getOpType().equals("Gather") && node.getInputCount() == 2) {
                String indices = node.getInput(1);
                while (castFrom.containsKey(indices)) {
                    indices = castFrom.get(indices);
                }
                TensorProto data = initializers.get(node.getInput(0));
                if (indices.equals(idsInput) && data != null && data.getDimsCount() == 2) {
                    table = data;
                }
            }
        }
        if (table == null) {
            throw new GenAiException(onnxFile + " has no token embedding table: no Gather of a 2-D initializer"
                    + " indexed by " + idsInput);
        }
        int vocabulary = (int) table.getDims(0);
        int width = (int) table.getDims(1);
        TensorProto positions = null;
        for (TensorProto t : graph.getInitializerList()) {
            int rank = t.getDimsCount();
            boolean shaped = rank == 2 && t.getDims(1) == width
                    || rank == 3 && t.getDims(0) == 1 && t.getDims(2) == width;
            if (t != table && shaped && t.getDims(rank - 2) == maxLength) {
                positions = t;
                break;
            }
        }
        if (positions == null) {
            throw new GenAiException(onnxFile + " has no positional embedding table of " + maxLength + " × " + width);
        }
        Path folder = onnxFile.toAbsolutePath().getParent();
        int count = (int) positions.getDims(positions.getDimsCount() - 2);
        return new EmbeddingTables(floats(table, folder, onnxFile), vocabulary, floats(positions, folder, onnxFile),
                count, width);
    }

    /** An initializer's values as float32: raw float32 or float16 bytes, float_data, or external data. */
    static float[] floats(TensorProto t, Path folder, Path file) {
        long count = 1;
        for (long d : t.getDimsList()) {
            count *= d;
        }
        int n = Math.toIntExact(count);
        int type = t.getDataType();
        if (type != TensorProto.DataType.FLOAT_VALUE && type != TensorProto.DataType.FLOAT16_VALUE) {
            throw new GenAiException(file + ": initializer " + t.getName() + " is not float32 or float16");
        }
        if (type == TensorProto.DataType.FLOAT_VALUE && t.getFloatDataCount() == n) {
            float[] out = new float[n];
            for (int i = 0; i < n; i++) {
                out[i] = t.getFloatData(i);
            }
            return out;
        }
        int bytesPer = type == TensorProto.DataType.FLOAT_VALUE ? 4 : 2;
        ByteBuffer bytes;
        if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
            bytes = external(t, folder, (long) n * bytesPer, file);
        } else if (type == TensorProto.DataType.FLOAT16_VALUE && t.getInt32DataCount() == n) {
            float[] out = new float[n];
            for (int i = 0; i < n; i++) {
                out[i] = HalfFloat.toFloat((short) t.getInt32Data(i));
            }
            return out;
        } else {
            bytes = t.getRawData().asReadOnlyByteBuffer();
        }
        bytes.order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.remaining() != (long) n * bytesPer) {
            throw new GenAiException(file + ": initializer " + t.getName() + " holds " + bytes.remaining()
                    + " bytes for " + n + " values");
        }
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = bytesPer == 4 ? bytes.getFloat() : HalfFloat.toFloat(bytes.getShort());
        }
        return out;
    }

    private static ByteBuffer external(TensorProto t, Path folder, long length, Path file) {
        String location = null;
        long offset = 0;
        for (StringStringEntryProto e : t.getExternalDataList()) {
            if (e.getKey().equals("location")) {
                location = e.getValue();
            } else if (e.getKey().equals("offset")) {
                offset = Long.parseLong(e.getValue());
            }
        }
        if (location == null) {
            throw new GenAiException(file + ": initializer " + t.getName() + " is external but names no file");
        }
        Path data = folder.resolve(location);
        try (RandomAccessFile in = new RandomAccessFile(data.toFile(), "r")) {
            byte[] buffer = new byte[Math.toIntExact(length)];
            in.seek(offset);
            in.readFully(buffer);
            return ByteBuffer.wrap(buffer);
        } catch (IOException e) {
            throw new GenAiException("cannot read the external data of " + t.getName() + " from " + data + ": "
                    + e.getMessage(), e);
        }
    }
}
