package org.ijgenai.core.scheduler;

import java.util.Locale;

/** What the denoising network predicts, spelled as diffusers' {@code prediction_type}. */
public enum PredictionType {
    /** The noise ε. */
    EPSILON("epsilon"),
    /** The velocity v = √ᾱ·ε − √(1−ᾱ)·x0. */
    V_PREDICTION("v_prediction"),
    /** The clean sample x0. */
    SAMPLE("sample");

    private final String configName;

    PredictionType(String configName) {
        this.configName = configName;
    }

    /** The name used in {@code scheduler_config.json}. */
    public String configName() {
        return configName;
    }

    /**
     * Parses a config name.
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static PredictionType fromConfigName(String name) {
        String wanted = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        for (PredictionType type : values()) {
            if (type.configName.equals(wanted)) {
                return type;
            }
        }
        throw new IllegalArgumentException("Unknown prediction_type '" + name
                + "'; expected one of epsilon, v_prediction, sample");
    }

    /**
     * x̂0 from one element of the model output {@code m} at x_t = α·x0 + σ·ε (α = √ᾱ_t, σ = √(1−ᾱ_t) for DDPM-style
     * schedulers), in float32 as diffusers' tensors.
     */
    public float originalSample(float m, float x, float alpha, float sigma) {
        switch (this) {
            case EPSILON:
                return (x - sigma * m) / alpha;
            case SAMPLE:
                return m;
            case V_PREDICTION:
                return alpha * x - sigma * m;
            default:
                throw new IllegalStateException("unhandled prediction type " + this);
        }
    }

    /** ε̂ from one element of the model output {@code m} at x_t = α·x0 + σ·ε, in float32 as diffusers' tensors. */
    public float noise(float m, float x, float alpha, float sigma) {
        switch (this) {
            case EPSILON:
                return m;
            case SAMPLE:
                return (x - alpha * m) / sigma;
            case V_PREDICTION:
                return alpha * m + sigma * x;
            default:
                throw new IllegalStateException("unhandled prediction type " + this);
        }
    }
}
