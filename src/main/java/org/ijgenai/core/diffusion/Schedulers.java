package org.ijgenai.core.diffusion;

import java.util.List;
import java.util.Locale;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import org.ijgenai.core.scheduler.Scheduler;
import org.ijgenai.core.scheduler.SchedulerConfig;
import org.ijgenai.core.scheduler.SchedulerFactory;

/**
 * The schedulers a Stable Diffusion run can use, by the names the CLI and dialogs show, built the way a diffusers
 * user gets them: {@code Class.from_config(model's scheduler_config.json)} with the pipeline's overrides.
 */
public final class Schedulers {

    /** The names accepted, in the order menus list them. */
    public static final List<String> NAMES = SchedulerFactory.NAMES;

    private Schedulers() {}

    /**
     * Normalises a user-given scheduler name.
     *
     * @throws IllegalArgumentException listing the accepted names
     */
    public static String canonicalName(String name) {
        String wanted = name.trim().toLowerCase(Locale.ROOT).replace('-', '_').replace("++", "pp");
        if (NAMES.contains(wanted)) {
            return wanted;
        }
        throw new IllegalArgumentException("unknown scheduler '" + name + "'; expected one of "
                + String.join(", ", NAMES));
    }

    /** The name of the scheduler the model ships with, from its config's {@code _class_name}. */
    public static String nameOfModelScheduler(ModelFolder folder) {
        JsonObject config = ModelFolder.readJson(folder.schedulerConfig());
        String cls = folder.schedulerClass();
        switch (cls) {
            case "PNDMScheduler":
                return "pndm";
            case "DDIMScheduler":
                return "ddim";
            case "EulerDiscreteScheduler":
                return "euler";
            case "EulerAncestralDiscreteScheduler":
                return "euler_a";
            case "LMSDiscreteScheduler":
                return "lms";
            case "LCMScheduler":
                return "lcm";
            case "DPMSolverMultistepScheduler": {
                JsonElement karras = config.get("use_karras_sigmas");
                return karras != null && karras.isJsonPrimitive() && karras.getAsBoolean() ? "dpmpp_2m_karras"
                        : "dpmpp_2m";
            }
            default:
                throw new org.ijgenai.core.GenAiException(folder.schedulerConfig() + " names " + cls
                        + ", which ij-genai does not implement; choose one of " + String.join(", ", NAMES));
        }
    }

    /** Builds the named scheduler from the model's scheduler config. */
    public static Scheduler create(String name, ModelFolder folder) {
        return create(name, folder, null);
    }

    /**
     * Builds the named scheduler from the model's scheduler config, with its {@code timestep_spacing} replaced when
     * {@code spacing} is not null (SDXL-Turbo wants "trailing" whatever scheduler runs it). SD 1.x/2.x get the
     * adjustments of diffusers' Stable Diffusion pipelines' constructors (steps_offset 1, clip_sample false);
     * diffusers' SDXL pipeline makes none, so SDXL models get the file's config as it is.
     */
    public static Scheduler create(String name, ModelFolder folder, String spacing) {
        SchedulerConfig config = SchedulerConfig.fromJson(folder.schedulerConfig());
        if (spacing != null) {
            config = config.with(SchedulerConfig.TIMESTEP_SPACING, spacing);
        }
        String canonical = canonicalName(name);
        return folder.isXl() ? SchedulerFactory.create(canonical, config)
                : SchedulerFactory.forPipeline(canonical, config);
    }
}
