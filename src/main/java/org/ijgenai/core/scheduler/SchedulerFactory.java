package org.ijgenai.core.scheduler;

import java.util.List;
import java.util.Locale;

/**
 * Creates schedulers by the names the CLI and the ImageJ commands use: {@code pndm, ddim, euler, euler_a, lms,
 * dpmpp_2m, dpmpp_2m_karras, lcm}.
 *
 * <p>Usage in a Stable Diffusion pipeline, as diffusers' {@code Class.from_config(scheduler_config)} followed by the
 * pipeline constructor's adjustments:
 *
 * <pre>{@code
 * SchedulerConfig fileConfig = SchedulerConfig.fromJson(modelDir.resolve("scheduler/scheduler_config.json"));
 * Scheduler scheduler = SchedulerFactory.forPipeline("euler", fileConfig);
 * }</pre>
 *
 * Keys present in the file carry over to whichever scheduler is picked; absent keys take that scheduler's own
 * defaults (see each class). The two DPM-Solver++ names also fix what the name promises: algorithm_type
 * "dpmsolver++", solver_order 2, and use_karras_sigmas false / true.
 */
public final class SchedulerFactory {

    /** The accepted names, in the order a user interface should list them. */
    public static final List<String> NAMES = List.of("pndm", "ddim", "euler", "euler_a", "lms", "dpmpp_2m",
            "dpmpp_2m_karras", "lcm");

    private SchedulerFactory() {}

    /**
     * The scheduler {@code name} built from {@code config} exactly as given (diffusers' {@code from_config}).
     *
     * @throws IllegalArgumentException for an unknown name (listing the accepted ones) or an invalid config
     */
    public static Scheduler create(String name, SchedulerConfig config) {
        return create(name, config, 0.0);
    }

    /**
     * As {@link #create(String, SchedulerConfig)}, with DDIM's η (only {@code ddim} accepts η ≠ 0).
     *
     * @throws IllegalArgumentException for an unknown name, an invalid config, or η ≠ 0 for another scheduler
     */
    public static Scheduler create(String name, SchedulerConfig config, double eta) {
        String key = normalise(name);
        if (eta != 0 && !key.equals("ddim")) {
            throw new IllegalArgumentException("eta applies to the ddim scheduler only, not to " + key);
        }
        switch (key) {
            case "pndm":
                return new PndmScheduler(config);
            case "ddim":
                return new DdimScheduler(config, eta);
            case "euler":
                return new EulerScheduler(config);
            case "euler_a":
                return new EulerAncestralScheduler(config);
            case "lms":
                return new LmsScheduler(config);
            case "dpmpp_2m":
                return new DpmSolverMultistepScheduler(dpmConfig(config, false));
            case "dpmpp_2m_karras":
                return new DpmSolverMultistepScheduler(dpmConfig(config, true));
            case "lcm":
                return new LcmScheduler(config);
            default:
                throw new IllegalArgumentException("Unknown scheduler '" + name + "'; expected one of "
                        + String.join(", ", NAMES));
        }
    }

    /**
     * The scheduler {@code name} as a diffusers Stable Diffusion pipeline would run it: built from the model's
     * config, then with steps_offset = 1 and clip_sample = false ({@link SchedulerConfig#forPipeline()}).
     */
    public static Scheduler forPipeline(String name, SchedulerConfig modelConfig) {
        return create(name, modelConfig.forPipeline());
    }

    /** As {@link #forPipeline(String, SchedulerConfig)}, with DDIM's η. */
    public static Scheduler forPipeline(String name, SchedulerConfig modelConfig, double eta) {
        return create(name, modelConfig.forPipeline(), eta);
    }

    private static SchedulerConfig dpmConfig(SchedulerConfig config, boolean karras) {
        return config.toBuilder()
                .set(SchedulerConfig.ALGORITHM_TYPE, "dpmsolver++")
                .set(SchedulerConfig.SOLVER_ORDER, 2)
                .set(SchedulerConfig.USE_KARRAS_SIGMAS, karras)
                .build();
    }

    private static String normalise(String name) {
        if (name == null) {
            throw new IllegalArgumentException("scheduler name is missing; expected one of " + String.join(", ", NAMES));
        }
        return name.trim().toLowerCase(Locale.ROOT);
    }
}
