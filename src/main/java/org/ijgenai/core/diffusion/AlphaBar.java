package org.ijgenai.core.diffusion;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import org.ijgenai.core.noise.BetaSchedule;
import org.ijgenai.core.noise.NoiseSchedule;

/**
 * ᾱ_t of a model's training schedule, for estimating x̂0 from the UNet output when the scheduler does not report
 * it (PNDM): x̂0 = (x_t − √(1−ᾱ_t)·ε)/√ᾱ_t, with x_t the scaled model input.
 */
final class AlphaBar {

    private final NoiseSchedule schedule;

    AlphaBar(ModelFolder folder) {
        JsonObject config = ModelFolder.readJson(folder.schedulerConfig());
        JsonElement trained = config.get("trained_betas");
        if (trained != null && trained.isJsonArray()) {
            JsonArray array = trained.getAsJsonArray();
            double[] betas = new double[array.size()];
            for (int i = 0; i < betas.length; i++) {
                betas[i] = array.get(i).getAsDouble();
            }
            schedule = NoiseSchedule.ofTrainedBetas(betas);
        } else {
            schedule = NoiseSchedule.of(BetaSchedule.fromConfigName(text(config, "beta_schedule", "linear")),
                    integer(config, "num_train_timesteps", 1000), number(config, "beta_start", 0.0001),
                    number(config, "beta_end", 0.02));
        }
    }

    /** ᾱ at a possibly fractional timestep, interpolated linearly between training steps. */
    double at(double t) {
        int last = schedule.numTrainTimesteps() - 1;
        double clamped = Math.max(0, Math.min(last, t));
        int low = (int) Math.floor(clamped);
        int high = Math.min(last, low + 1);
        double frac = clamped - low;
        return schedule.alphaCumprod(low) * (1 - frac) + schedule.alphaCumprod(high) * frac;
    }

    /** x̂0 from the scaled model input and the (guided) model output. */
    float[] predictOriginal(float[] scaledInput, float[] modelOutput, double t, String predictionType) {
        double a = at(t);
        double sa = Math.sqrt(a);
        double sb = Math.sqrt(1 - a);
        float[] out = new float[modelOutput.length];
        for (int i = 0; i < out.length; i++) {
            double x = scaledInput[i];
            double o = modelOutput[i];
            out[i] = (float) switch (predictionType) {
                case "v_prediction" -> sa * x - sb * o;
                case "sample" -> o;
                default -> (x - sb * o) / sa;
            };
        }
        return out;
    }

    private static String text(JsonObject json, String key, String fallback) {
        JsonElement v = json.get(key);
        return v == null || v.isJsonNull() ? fallback : v.getAsString();
    }

    private static int integer(JsonObject json, String key, int fallback) {
        JsonElement v = json.get(key);
        return v == null || v.isJsonNull() ? fallback : v.getAsInt();
    }

    private static double number(JsonObject json, String key, double fallback) {
        JsonElement v = json.get(key);
        return v == null || v.isJsonNull() ? fallback : v.getAsDouble();
    }
}
