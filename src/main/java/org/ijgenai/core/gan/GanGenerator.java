package org.ijgenai.core.gan;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.onnx.OnnxModel;
import org.ijgenai.core.onnx.SessionSettings;
import org.ijgenai.core.onnx.TensorSpec;
import org.ijgenai.core.progress.CancellationToken;
import org.ijgenai.core.progress.ProgressListener;
import org.ijgenai.core.tensor.ElementType;
import org.ijgenai.core.tensor.Tensor;

/**
 * An unconditional GAN generator, z → picture, over one ONNX session. The z input's name, length, rank ([batch, z]
 * or DCGAN's [batch, z, 1, 1]) and dtype (float32 or float16) come from the session; the output is an NCHW picture
 * with 1 or 3 channels in the descriptor's range.
 *
 * <p>Open one per model and reuse it; it is {@link AutoCloseable}.
 */
public final class GanGenerator implements AutoCloseable {

    /** Pictures per network call when the batch dimension is free; small enough for a 256×256 generator. */
    private static final int BATCH = 16;

    private final GanDescriptor descriptor;
    private final OnnxModel model;
    private final TensorSpec input;
    private final String outputName;
    private final int zDim;
    private final boolean fixedBatchOfOne;

    private GanGenerator(GanDescriptor descriptor, OnnxModel model) {
        this.descriptor = descriptor;
        this.model = model;
        String file = descriptor.model().getFileName().toString();
        if (model.inputs().size() != 1) {
            throw new GenAiException(file + " has " + model.inputs().size() + " inputs " + model.inputs().values()
                    + "; an unconditional GAN generator takes one, the noise vector z");
        }
        this.input = model.inputs().values().iterator().next();
        if (input.type() != ElementType.FLOAT32 && input.type() != ElementType.FLOAT16) {
            throw new GenAiException("input " + input + " of " + file + " is " + input.type()
                    + "; a noise vector z is float32 or float16");
        }
        boolean flat = input.rank() == 2;
        boolean dcgan = input.rank() == 4 && input.dim(2) == 1 && input.dim(3) == 1;
        if (!flat && !dcgan) {
            throw new GenAiException("input " + input + " of " + file + " is not a noise vector: expected"
                    + " [batch, z] or [batch, z, 1, 1]");
        }
        if (input.dim(1) < 1) {
            throw new GenAiException("input " + input + " of " + file + " does not declare z's length (dimension 1"
                    + " is dynamic); export the generator with a fixed z size");
        }
        this.zDim = (int) input.dim(1);
        this.fixedBatchOfOne = input.dim(0) == 1;
        if (descriptor.output() != null && !model.outputs().containsKey(descriptor.output())) {
            throw new GenAiException(file + " has no output '" + descriptor.output() + "'; its outputs are "
                    + model.outputs().values());
        }
        this.outputName = descriptor.output() != null ? descriptor.output() : model.outputs().keySet().iterator()
                .next();
        TensorSpec out = model.outputs().get(outputName);
        if (out.rank() != 4 || (out.dim(1) != -1 && out.dim(1) != 1 && out.dim(1) != 3)) {
            throw new GenAiException("output " + out + " of " + file + " is not an NCHW picture with 1 or 3"
                    + " channels");
        }
    }

    /**
     * Loads the descriptor's ONNX file.
     *
     * @throws GenAiException when the file is missing or does not look like a z → picture generator
     */
    public static GanGenerator open(GanDescriptor descriptor, SessionSettings settings) {
        OnnxModel model = OnnxModel.load(descriptor.model(), settings);
        try {
            return new GanGenerator(descriptor, model);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** The descriptor this generator runs with. */
    public GanDescriptor descriptor() {
        return descriptor;
    }

    /** The length of the noise vector z, as the session declares it. */
    public int zDim() {
        return zDim;
    }

    /** The z input as the session declares it. */
    public TensorSpec input() {
        return input;
    }

    /**
     * Runs the generator on each z, in batches, and returns the pictures as they left the network (not yet mapped
     * from the descriptor's range).
     *
     * @throws IllegalArgumentException when a z has the wrong length
     * @throws GenAiException naming the frame when ONNX Runtime fails
     */
    public GanPictures generate(List<float[]> zs, ProgressListener progress, CancellationToken cancel) {
        for (int i = 0; i < zs.size(); i++) {
            if (zs.get(i).length != zDim) {
                throw new IllegalArgumentException("z " + (i + 1) + " has " + zs.get(i).length + " entries; "
                        + descriptor.model().getFileName() + " takes z of length " + zDim);
            }
        }
        int batch = fixedBatchOfOne ? 1 : input.dim(0) > 1 ? (int) input.dim(0) : BATCH;
        List<float[]> pictures = new ArrayList<>();
        long[] shape = null;
        for (int start = 0; start < zs.size(); start += batch) {
            cancel.throwIfCancelled();
            int n = Math.min(batch, zs.size() - start);
            // A fixed batch larger than the frames left is filled with copies of the last z, whose pictures are
            // dropped.
            int rows = input.dim(0) > 1 ? batch : n;
            float[] feed = new float[rows * zDim];
            for (int r = 0; r < rows; r++) {
                System.arraycopy(zs.get(start + Math.min(r, n - 1)), 0, feed, r * zDim, zDim);
            }
            long[] inShape = input.rank() == 2 ? new long[] {rows, zDim} : new long[] {rows, zDim, 1, 1};
            Map<String, Tensor> result = model.run(Map.of(input.name(), Tensor.ofFloats(feed, inShape)),
                    "GAN generator, frames " + (start + 1) + "–" + (start + n));
            Tensor out = result.get(outputName);
            long[] s = out.shape();
            if (s.length != 4 || s[0] != rows || (s[1] != 1 && s[1] != 3)) {
                throw new GenAiException(descriptor.model().getFileName() + " returned " + Arrays.toString(s)
                        + " for a batch of " + rows + "; expected [" + rows + ", 1 or 3, height, width]");
            }
            shape = s;
            int size = (int) (s[1] * s[2] * s[3]);
            float[] all = out.floats();
            for (int r = 0; r < n; r++) {
                pictures.add(Arrays.copyOfRange(all, r * size, (r + 1) * size));
            }
            progress.progress(start + n, zs.size(), "generator: " + (start + n) + "/" + zs.size() + " pictures");
        }
        if (shape == null) {
            throw new IllegalArgumentException("no z given");
        }
        return new GanPictures((int) shape[1], (int) shape[2], (int) shape[3], descriptor.range(), pictures);
    }

    @Override
    public void close() {
        model.close();
    }
}
