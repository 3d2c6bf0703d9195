package org.ijgenai.core.attention;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.diffusion.StepListener;
import org.ijgenai.core.diffusion.StepSnapshot;
import org.ijgenai.core.diffusion.network.Unet;
import org.ijgenai.core.tensor.Tensor;

/**
 * Keeps the cross-attention that a capturing UNet returns at each evaluation, for the prompt's images only: under
 * classifier-free guidance the UNet batch is [unconditional images, conditional images] and the first half is
 * dropped, as DAAM does. It is both the UNet's {@link Unet.AttentionSink} and a {@link StepListener} of the same
 * run, which gives each evaluation its step number.
 */
public final class CrossAttentionRecorder implements Unet.AttentionSink, StepListener {

    private final List<AttentionStep> steps = new ArrayList<>();
    private Map<String, Tensor> pending;

    @Override
    public void accept(double timestep, Map<String, Tensor> layers) {
        pending = layers;
    }

    @Override
    public void onStep(StepSnapshot snapshot) {
        if (pending == null) {
            throw new IllegalStateException("step " + snapshot.index() + " came without the UNet's attention: is the"
                    + " run using the capturing UNet?");
        }
        int images = snapshot.batch();
        List<LayerAttention> layers = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : pending.entrySet()) {
            layers.add(conditional(e.getKey(), e.getValue(), images, snapshot.height(), snapshot.width()));
        }
        steps.add(new AttentionStep(snapshot.index(), snapshot.total(), snapshot.timestep(),
                Collections.unmodifiableList(layers)));
        pending = null;
    }

    /** The recorded steps, in order. */
    public List<AttentionStep> steps() {
        return Collections.unmodifiableList(steps);
    }

    /**
     * The conditional images of one layer's output [unet batch, heads, queries, keys], its queries laid out on the
     * layer's grid.
     */
    static LayerAttention conditional(String layer, Tensor output, int images, int latentHeight, int latentWidth) {
        if (output == null || output.rank() != 4) {
            throw new GenAiException("attention layer " + layer + " returned " + output
                    + ", not [batch, heads, queries, keys]");
        }
        int batch = (int) output.dim(0);
        int heads = (int) output.dim(1);
        int queries = (int) output.dim(2);
        int keys = (int) output.dim(3);
        if (batch != images && batch != 2 * images) {
            throw new GenAiException("attention layer " + layer + " has a batch of " + batch + " for " + images
                    + " images");
        }
        int[] grid = grid(queries, latentHeight, latentWidth);
        float[] all = output.floats();
        int perImage = heads * queries * keys;
        float[] kept = Arrays.copyOfRange(all, (batch - images) * perImage, batch * perImage);
        return new LayerAttention(layer, images, heads, grid[0], grid[1], keys, kept);
    }

    /**
     * The grid of a layer with {@code queries} positions: the latent grid halved (rounding up, as stride-2
     * convolutions do) until it has that many.
     */
    static int[] grid(int queries, int latentHeight, int latentWidth) {
        int h = latentHeight;
        int w = latentWidth;
        while (h * w > queries && (h > 1 || w > 1)) {
            h = (h + 1) / 2;
            w = (w + 1) / 2;
        }
        if (h * w != queries) {
            throw new GenAiException("an attention layer with " + queries + " queries does not fit the " + latentHeight
                    + "×" + latentWidth + " latent grid halved any number of times");
        }
        return new int[] {h, w};
    }
}
