package org.ijgenai.core.scheduler;

import java.util.Locale;

/** How inference timesteps are spread over the training timesteps (table 2 of Lin et al., 2023). */
public enum TimestepSpacing {
    /** Evenly from 0 to T−1, rounded. */
    LINSPACE("linspace"),
    /** Multiples of T / n from 0, plus {@code steps_offset}. */
    LEADING("leading"),
    /** Multiples of T / n counting down from T, minus one. */
    TRAILING("trailing");

    private final String configName;

    TimestepSpacing(String configName) {
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
    public static TimestepSpacing fromConfigName(String name) {
        String wanted = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        for (TimestepSpacing spacing : values()) {
            if (spacing.configName.equals(wanted)) {
                return spacing;
            }
        }
        throw new IllegalArgumentException("Unknown timestep_spacing '" + name
                + "'; expected one of linspace, leading, trailing");
    }
}
