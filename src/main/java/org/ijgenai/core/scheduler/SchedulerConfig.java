package org.ijgenai.core.scheduler;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import org.ijgenai.core.GenAiException;
import org.ijgenai.core.JsonProblems;
import org.ijgenai.core.noise.BetaSchedule;
import org.ijgenai.core.noise.NoiseSchedule;

/**
 * The keys of a diffusers {@code scheduler_config.json} that were actually given, with diffusers' field names.
 *
 * <p>This mirrors diffusers' {@code from_config}: a config holds only the keys present in the file (or set through
 * the {@link Builder}); each scheduler reads them with <em>its own</em> defaults for the absent ones. So the same
 * Stable Diffusion 1.5 file gives DDIM "leading" timestep spacing and Euler "linspace", because the file has no
 * {@code timestep_spacing} key and the two classes default differently. Keys a scheduler does not know are kept and
 * ignored, as diffusers does.
 *
 * <p>Typical use: {@code SchedulerFactory.forPipeline("ddim", SchedulerConfig.fromJson(dir.resolve(
 * "scheduler/scheduler_config.json")))}. {@link #forPipeline()} applies what diffusers' Stable Diffusion pipelines
 * force: {@code steps_offset = 1} and {@code clip_sample = false}.
 */
public final class SchedulerConfig {

    /** T, the number of training timesteps. */
    public static final String NUM_TRAIN_TIMESTEPS = "num_train_timesteps";
    /** β at t = 0. */
    public static final String BETA_START = "beta_start";
    /** β at t = T−1. */
    public static final String BETA_END = "beta_end";
    /** linear, scaled_linear or squaredcos_cap_v2. */
    public static final String BETA_SCHEDULE = "beta_schedule";
    /** Explicit β values, overriding the schedule when not null. */
    public static final String TRAINED_BETAS = "trained_betas";
    /** epsilon, v_prediction or sample. */
    public static final String PREDICTION_TYPE = "prediction_type";
    /** leading, trailing or linspace. */
    public static final String TIMESTEP_SPACING = "timestep_spacing";
    /** Added to "leading" timesteps. */
    public static final String STEPS_OFFSET = "steps_offset";
    /** Whether ᾱ before t = 0 is 1 (else ᾱ_0). */
    public static final String SET_ALPHA_TO_ONE = "set_alpha_to_one";
    /** Whether x̂0 is clipped to ±clip_sample_range. */
    public static final String CLIP_SAMPLE = "clip_sample";
    /** The bound for clip_sample. */
    public static final String CLIP_SAMPLE_RANGE = "clip_sample_range";
    /** PNDM: skip the Runge–Kutta warm-up (PLMS only). */
    public static final String SKIP_PRK_STEPS = "skip_prk_steps";
    /** Sigma-based schedulers: use the Karras et al. (2022) σ spacing. */
    public static final String USE_KARRAS_SIGMAS = "use_karras_sigmas";
    /** Euler: linear or log_linear σ interpolation. */
    public static final String INTERPOLATION_TYPE = "interpolation_type";
    /** Euler: discrete or continuous timesteps. */
    public static final String TIMESTEP_TYPE = "timestep_type";
    /** Euler and DPM-Solver: the last σ, zero or sigma_min. */
    public static final String FINAL_SIGMAS_TYPE = "final_sigmas_type";
    /** Karras σ range bounds (Euler). */
    public static final String SIGMA_MIN = "sigma_min";
    /** Karras σ range bounds (Euler). */
    public static final String SIGMA_MAX = "sigma_max";
    /** DPM-Solver: order 1, 2 or 3. */
    public static final String SOLVER_ORDER = "solver_order";
    /** DPM-Solver: dpmsolver++ or dpmsolver. */
    public static final String ALGORITHM_TYPE = "algorithm_type";
    /** DPM-Solver: midpoint or heun. */
    public static final String SOLVER_TYPE = "solver_type";
    /** DPM-Solver: lower the order on the final steps of short runs. */
    public static final String LOWER_ORDER_FINAL = "lower_order_final";
    /** DPM-Solver: a first-order final step. */
    public static final String EULER_AT_FINAL = "euler_at_final";
    /** DPM-Solver: the smallest λ the timesteps may reach. */
    public static final String LAMBDA_MIN_CLIPPED = "lambda_min_clipped";
    /** LCM: the step count the model was distilled with. */
    public static final String ORIGINAL_INFERENCE_STEPS = "original_inference_steps";
    /** LCM: the factor on t in the boundary-condition scalings. */
    public static final String TIMESTEP_SCALING = "timestep_scaling";
    /** Dynamic thresholding of x̂0 (not supported: it needs the batch shape). */
    public static final String THRESHOLDING = "thresholding";
    /** Rescale β to zero terminal SNR (DDIM, Euler, Euler Ancestral, DPM-Solver, LCM). */
    public static final String RESCALE_BETAS_ZERO_SNR = "rescale_betas_zero_snr";

    private final Map<String, Object> values;

    private SchedulerConfig(Map<String, Object> values) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** An empty config: every scheduler then uses all its own defaults. */
    public static SchedulerConfig empty() {
        return new SchedulerConfig(Map.of());
    }

    /** A builder for configs written in code, e.g. in tests. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads a diffusers {@code scheduler_config.json}. Keys starting with {@code _} (class name, version) are
     * dropped; {@code null} values are kept as given-but-null, as diffusers passes them on.
     *
     * @throws GenAiException naming the file when it cannot be read or is not a JSON object
     */
    public static SchedulerConfig fromJson(Path file) {
        JsonElement root;
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            root = JsonParser.parseReader(reader);
        } catch (IOException e) {
            throw new GenAiException("Cannot read scheduler config " + file + ": " + e.getMessage(), e);
        } catch (JsonParseException e) {
            throw new GenAiException("Scheduler config " + file + " is not valid JSON: " + JsonProblems.describe(e),
                    e);
        }
        if (!root.isJsonObject()) {
            throw new GenAiException("Scheduler config " + file + " must hold a JSON object");
        }
        try {
            return fromJsonObject(root.getAsJsonObject());
        } catch (IllegalArgumentException e) {
            throw new GenAiException("Scheduler config " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * A config from an already parsed JSON object (keys starting with {@code _} are dropped).
     *
     * @throws IllegalArgumentException naming the key whose value has the wrong type
     */
    public static SchedulerConfig fromJsonObject(JsonObject json) {
        Builder builder = builder();
        for (Map.Entry<String, JsonElement> entry : json.entrySet()) {
            if (!entry.getKey().startsWith("_")) {
                builder.set(entry.getKey(), fromJsonValue(entry.getValue()));
            }
        }
        return builder.build();
    }

    private static Object fromJsonValue(JsonElement element) {
        if (element == null || element.isJsonNull()) {
            return null;
        }
        if (element.isJsonArray()) {
            JsonArray array = element.getAsJsonArray();
            double[] out = new double[array.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = array.get(i).getAsDouble();
            }
            return out;
        }
        if (element.isJsonPrimitive()) {
            JsonPrimitive primitive = element.getAsJsonPrimitive();
            if (primitive.isBoolean()) {
                return primitive.getAsBoolean();
            }
            if (primitive.isNumber()) {
                return primitive.getAsDouble();
            }
            String text = primitive.getAsString();
            // Python's json module writes ±Infinity bare; some writers quote them.
            if (text.equals("-Infinity") || text.equals("Infinity") || text.equals("NaN")) {
                return Double.parseDouble(text);
            }
            return text;
        }
        // No scheduler key holds an object; keep it as text so that an unknown key never breaks reading.
        return element.toString();
    }

    /** This config with {@code key} set to {@code value} (a Number, Boolean, String, double[] or null). */
    public SchedulerConfig with(String key, Object value) {
        return toBuilder().set(key, value).build();
    }

    /**
     * This config as diffusers' Stable Diffusion pipelines adjust it in their constructor: {@code steps_offset}
     * becomes 1 and {@code clip_sample} false, whatever the file says.
     */
    public SchedulerConfig forPipeline() {
        return toBuilder().set(STEPS_OFFSET, 1).set(CLIP_SAMPLE, false).build();
    }

    /** A builder starting from this config's keys. */
    public Builder toBuilder() {
        Builder builder = new Builder();
        builder.values.putAll(values);
        return builder;
    }

    /** Whether the key was given (possibly as null). */
    public boolean has(String key) {
        return values.containsKey(key);
    }

    /** The given keys, in order. */
    public Set<String> keys() {
        return values.keySet();
    }

    /** The given keys and values (arrays are not copied). */
    public Map<String, Object> asMap() {
        return values;
    }

    /** An integer value, or {@code defaultValue} when absent or null. */
    public int getInt(String key, int defaultValue) {
        Object value = values.get(key);
        if (value == null) {
            return defaultValue;
        }
        if (!(value instanceof Number) || ((Number) value).doubleValue() != Math.rint(((Number) value).doubleValue())) {
            throw new IllegalArgumentException(key + " must be an integer, was " + describe(value));
        }
        return ((Number) value).intValue();
    }

    /** A number, or {@code defaultValue} when absent or null. */
    public double getDouble(String key, double defaultValue) {
        Double value = getNullableDouble(key);
        return value == null ? defaultValue : value;
    }

    /** A number that may legitimately be null (such as {@code sigma_min}); null when absent or null. */
    public Double getNullableDouble(String key) {
        Object value = values.get(key);
        if (value == null) {
            return null;
        }
        if (!(value instanceof Number)) {
            throw new IllegalArgumentException(key + " must be a number, was " + describe(value));
        }
        return ((Number) value).doubleValue();
    }

    /** A boolean, or {@code defaultValue} when absent or null. */
    public boolean getBoolean(String key, boolean defaultValue) {
        Object value = values.get(key);
        if (value == null) {
            return defaultValue;
        }
        if (!(value instanceof Boolean)) {
            throw new IllegalArgumentException(key + " must be true or false, was " + describe(value));
        }
        return (Boolean) value;
    }

    /** A string, or {@code defaultValue} when absent or null. */
    public String getString(String key, String defaultValue) {
        Object value = values.get(key);
        if (value == null) {
            return defaultValue;
        }
        if (!(value instanceof String)) {
            throw new IllegalArgumentException(key + " must be a string, was " + describe(value));
        }
        return (String) value;
    }

    /** {@code trained_betas}, or null when absent or null. */
    public double[] trainedBetas() {
        Object value = values.get(TRAINED_BETAS);
        if (value == null) {
            return null;
        }
        if (!(value instanceof double[])) {
            throw new IllegalArgumentException(TRAINED_BETAS + " must be a list of numbers, was " + describe(value));
        }
        return ((double[]) value).clone();
    }

    /**
     * The training noise schedule these keys define, with a scheduler's defaults for the absent ones: trained_betas
     * when given, else the named β-schedule; rescaled to zero terminal SNR when {@code rescale_betas_zero_snr} is
     * true and the scheduler knows that key.
     *
     * @throws IllegalArgumentException for unknown or unsupported β-schedules
     */
    NoiseSchedule noiseSchedule(int defaultTrainSteps, double defaultBetaStart, double defaultBetaEnd,
            String defaultBetaSchedule, boolean knowsZeroSnrRescaling) {
        NoiseSchedule schedule;
        double[] trained = trainedBetas();
        if (trained != null) {
            schedule = NoiseSchedule.ofTrainedBetas(trained);
        } else {
            BetaSchedule named = BetaSchedule.fromConfigName(getString(BETA_SCHEDULE, defaultBetaSchedule));
            if (named == BetaSchedule.SIGMOID) {
                // As in diffusers, only the DDPM scheduler knows the sigmoid schedule.
                throw new IllegalArgumentException("beta_schedule 'sigmoid' is not implemented for these schedulers;"
                        + " expected linear, scaled_linear or squaredcos_cap_v2");
            }
            schedule = NoiseSchedule.of(named, getInt(NUM_TRAIN_TIMESTEPS, defaultTrainSteps),
                    getDouble(BETA_START, defaultBetaStart), getDouble(BETA_END, defaultBetaEnd));
        }
        return knowsZeroSnrRescaling && rescalesToZeroSnr() ? schedule.withZeroTerminalSnr() : schedule;
    }

    /** Whether {@code rescale_betas_zero_snr} is true. */
    boolean rescalesToZeroSnr() {
        return getBoolean(RESCALE_BETAS_ZERO_SNR, false);
    }

    /**
     * Rejects the settings that a scheduler knows (in diffusers) but that we do not implement, naming the key. Keys a
     * scheduler does not know are ignored, as diffusers' {@code from_config} ignores them.
     */
    void rejectUnsupported(String... keysTheSchedulerKnows) {
        for (String key : keysTheSchedulerKnows) {
            if (getBoolean(key, false)) {
                String what = key.equals(THRESHOLDING) ? " (dynamic thresholding needs the batch shape)" : "";
                throw new IllegalArgumentException(key + "=true is not supported" + what);
            }
        }
    }

    private static final Set<String> INTEGER_KEYS = Set.of(NUM_TRAIN_TIMESTEPS, STEPS_OFFSET, SOLVER_ORDER,
            ORIGINAL_INFERENCE_STEPS);
    private static final Set<String> NUMBER_KEYS = Set.of(BETA_START, BETA_END, CLIP_SAMPLE_RANGE, SIGMA_MIN,
            SIGMA_MAX, LAMBDA_MIN_CLIPPED, TIMESTEP_SCALING, "dynamic_thresholding_ratio", "sample_max_value",
            "flow_shift");
    private static final Set<String> BOOLEAN_KEYS = Set.of(SET_ALPHA_TO_ONE, CLIP_SAMPLE, SKIP_PRK_STEPS,
            USE_KARRAS_SIGMAS, LOWER_ORDER_FINAL, EULER_AT_FINAL, THRESHOLDING, RESCALE_BETAS_ZERO_SNR,
            "use_exponential_sigmas", "use_beta_sigmas", "use_lu_lambdas", "use_flow_sigmas", "use_dynamic_shifting");
    private static final Set<String> STRING_KEYS = Set.of(BETA_SCHEDULE, PREDICTION_TYPE, TIMESTEP_SPACING,
            INTERPOLATION_TYPE, TIMESTEP_TYPE, FINAL_SIGMAS_TYPE, ALGORITHM_TYPE, SOLVER_TYPE);

    /** Checks the value types of the keys our schedulers read, so that a bad file fails when it is read. */
    private void checkKnownTypes() {
        for (String key : values.keySet()) {
            if (INTEGER_KEYS.contains(key)) {
                getInt(key, 0);
            } else if (NUMBER_KEYS.contains(key)) {
                getNullableDouble(key);
            } else if (BOOLEAN_KEYS.contains(key)) {
                getBoolean(key, false);
            } else if (STRING_KEYS.contains(key)) {
                getString(key, null);
            } else if (key.equals(TRAINED_BETAS)) {
                trainedBetas();
            }
        }
    }

    private static String describe(Object value) {
        if (value instanceof String) {
            return "\"" + value + "\"";
        }
        if (value instanceof double[]) {
            return "a list of " + ((double[]) value).length + " numbers";
        }
        return String.valueOf(value);
    }

    @Override
    public String toString() {
        StringJoiner text = new StringJoiner(", ", "SchedulerConfig{", "}");
        values.forEach((key, value) -> text.add(key + "=" + describe(value)));
        return text.toString();
    }

    /** Builds a {@link SchedulerConfig} key by key; only the keys set are "present". */
    public static final class Builder {

        private final Map<String, Object> values = new LinkedHashMap<>();

        private Builder() {}

        /**
         * Sets any key; the value must be a Number, Boolean, String, double[] (trained_betas) or null.
         *
         * @throws IllegalArgumentException for other value types
         */
        public Builder set(String key, Object value) {
            if (key == null || key.isEmpty()) {
                throw new IllegalArgumentException("config key must not be empty");
            }
            if (value != null && !(value instanceof Number || value instanceof Boolean || value instanceof String
                    || value instanceof double[])) {
                throw new IllegalArgumentException(key + " has an unsupported value type "
                        + value.getClass().getSimpleName());
            }
            values.put(key, value instanceof double[] ? ((double[]) value).clone() : value);
            return this;
        }

        /** Removes a key, so that the scheduler's default applies. */
        public Builder unset(String key) {
            values.remove(key);
            return this;
        }

        /** Sets {@code num_train_timesteps}. */
        public Builder numTrainTimesteps(int steps) {
            return set(NUM_TRAIN_TIMESTEPS, steps);
        }

        /** Sets {@code beta_start}. */
        public Builder betaStart(double beta) {
            return set(BETA_START, beta);
        }

        /** Sets {@code beta_end}. */
        public Builder betaEnd(double beta) {
            return set(BETA_END, beta);
        }

        /** Sets {@code beta_schedule}. */
        public Builder betaSchedule(String schedule) {
            return set(BETA_SCHEDULE, schedule);
        }

        /** Sets {@code prediction_type}. */
        public Builder predictionType(String type) {
            return set(PREDICTION_TYPE, type);
        }

        /** Sets {@code timestep_spacing}. */
        public Builder timestepSpacing(String spacing) {
            return set(TIMESTEP_SPACING, spacing);
        }

        /** Sets {@code steps_offset}. */
        public Builder stepsOffset(int offset) {
            return set(STEPS_OFFSET, offset);
        }

        /** Sets {@code set_alpha_to_one}. */
        public Builder setAlphaToOne(boolean one) {
            return set(SET_ALPHA_TO_ONE, one);
        }

        /** Sets {@code clip_sample}. */
        public Builder clipSample(boolean clip) {
            return set(CLIP_SAMPLE, clip);
        }

        /**
         * The config.
         *
         * @throws IllegalArgumentException when a known key holds a value of the wrong type (naming the key)
         */
        public SchedulerConfig build() {
            SchedulerConfig config = new SchedulerConfig(values);
            config.checkKnownTypes();
            return config;
        }
    }
}
