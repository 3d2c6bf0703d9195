package org.ijgenai.core.noise;

import java.util.Locale;

/** The named β-schedules of diffusers' schedulers, spelled as in {@code scheduler_config.json}. */
public enum BetaSchedule {
    /** β linear from beta_start to beta_end. */
    LINEAR("linear"),
    /** √β linear from √beta_start to √beta_end (Stable Diffusion). */
    SCALED_LINEAR("scaled_linear"),
    /** The cosine ᾱ schedule of Nichol and Dhariwal, with β capped at 0.999; ignores beta_start and beta_end. */
    SQUAREDCOS_CAP_V2("squaredcos_cap_v2"),
    /** A sigmoid of linspace(−6, 6) between beta_start and beta_end (DDPM scheduler only in diffusers). */
    SIGMOID("sigmoid");

    private final String configName;

    BetaSchedule(String configName) {
        this.configName = configName;
    }

    /** The name used in {@code scheduler_config.json}. */
    public String configName() {
        return configName;
    }

    /**
     * Parses a config name such as {@code scaled_linear}.
     *
     * @throws IllegalArgumentException naming the accepted values when the name is unknown
     */
    public static BetaSchedule fromConfigName(String name) {
        String wanted = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        for (BetaSchedule schedule : values()) {
            if (schedule.configName.equals(wanted)) {
                return schedule;
            }
        }
        throw new IllegalArgumentException("Unknown beta schedule '" + name
                + "'; expected one of linear, scaled_linear, squaredcos_cap_v2, sigmoid");
    }
}
