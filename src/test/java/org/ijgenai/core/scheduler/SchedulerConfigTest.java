package org.ijgenai.core.scheduler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.ijgenai.core.GenAiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** diffusers' {@code from_config} semantics of {@link SchedulerConfig} and the names of {@link SchedulerFactory}. */
class SchedulerConfigTest {

    /** The keys of Stable Diffusion 1.5's scheduler_config.json (no timestep_spacing, no prediction_type). */
    private static final String SD15 = "{\n  \"_class_name\": \"PNDMScheduler\",\n  \"_diffusers_version\": \"0.6.0\",\n"
            + "  \"beta_end\": 0.012,\n  \"beta_schedule\": \"scaled_linear\",\n  \"beta_start\": 0.00085,\n"
            + "  \"clip_sample\": false,\n  \"num_train_timesteps\": 1000,\n  \"set_alpha_to_one\": false,\n"
            + "  \"skip_prk_steps\": true,\n  \"steps_offset\": 1,\n  \"trained_betas\": null\n}\n";

    @TempDir
    Path dir;

    private Path write(String json) throws IOException {
        Path file = dir.resolve("scheduler_config.json");
        Files.writeString(file, json, StandardCharsets.UTF_8);
        return file;
    }

    @Test
    void absentKeysTakeEachSchedulersOwnDefaults() throws IOException {
        SchedulerConfig config = SchedulerConfig.fromJson(write(SD15));
        assertFalse(config.has("_class_name"));
        assertTrue(config.has(SchedulerConfig.TRAINED_BETAS));
        Scheduler ddim = SchedulerFactory.create("ddim", config);
        Scheduler euler = SchedulerFactory.create("euler", config);
        ddim.setTimesteps(10);
        euler.setTimesteps(10);
        // DDIM defaults to "leading" (+ steps_offset 1 from the file), Euler to "linspace".
        assertArrayEquals(new double[] {901, 801, 701, 601, 501, 401, 301, 201, 101, 1}, ddim.timesteps());
        assertArrayEquals(new double[] {999, 888, 777, 666, 555, 444, 333, 222, 111, 0}, euler.timesteps());
    }

    @Test
    void presentKeysCarryOverToAnyScheduler() throws IOException {
        SchedulerConfig config = SchedulerConfig.fromJson(write(SD15.replace("\"steps_offset\": 1",
                "\"steps_offset\": 1, \"timestep_spacing\": \"trailing\"")));
        for (String name : new String[] {"ddim", "euler", "lms", "euler_a"}) {
            Scheduler scheduler = SchedulerFactory.create(name, config);
            scheduler.setTimesteps(4);
            assertArrayEquals(new double[] {999, 749, 499, 249}, scheduler.timesteps(), name);
        }
    }

    @Test
    void forPipelineForcesStepsOffsetOneAndNoClipping() {
        SchedulerConfig plain = SchedulerConfig.builder().numTrainTimesteps(1000).build();
        SchedulerConfig pipeline = plain.forPipeline();
        assertEquals(1, pipeline.getInt(SchedulerConfig.STEPS_OFFSET, 0));
        assertFalse(pipeline.getBoolean(SchedulerConfig.CLIP_SAMPLE, true));
        assertFalse(plain.has(SchedulerConfig.STEPS_OFFSET));
        Scheduler ddim = SchedulerFactory.create("ddim", plain);
        Scheduler ddimInPipeline = SchedulerFactory.forPipeline("ddim", plain);
        ddim.setTimesteps(10);
        ddimInPipeline.setTimesteps(10);
        assertEquals(900.0, ddim.timesteps()[0]);
        assertEquals(901.0, ddimInPipeline.timesteps()[0]);
    }

    @Test
    void builderSetsTypedAndGenericKeys() {
        SchedulerConfig config = SchedulerConfig.builder().betaSchedule("linear").set("custom", "kept")
                .set(SchedulerConfig.TRAINED_BETAS, null).build();
        assertEquals("linear", config.getString(SchedulerConfig.BETA_SCHEDULE, "x"));
        assertEquals("kept", config.getString("custom", null));
        assertTrue(config.has(SchedulerConfig.TRAINED_BETAS));
        assertEquals(null, config.trainedBetas());
        assertEquals(7, config.getInt("absent", 7));
        assertFalse(config.with("custom", null).toBuilder().unset("custom").build().has("custom"));
    }

    @Test
    void trainedBetasOverrideTheNamedSchedule() {
        double[] betas = new double[1000];
        java.util.Arrays.fill(betas, 0.01);
        SchedulerConfig config = SchedulerConfig.builder().betaSchedule("scaled_linear")
                .set(SchedulerConfig.TRAINED_BETAS, betas).build();
        DdimScheduler scheduler = new DdimScheduler(config);
        assertEquals((float) Math.pow(0.99, 10), scheduler.noiseSchedule().alphaCumprod(9), 1e-6);
    }

    @Test
    void infinityAndNullValuesParse() throws IOException {
        SchedulerConfig config = SchedulerConfig.fromJson(write("{\"lambda_min_clipped\": -Infinity, "
                + "\"sigma_min\": null, \"solver_order\": 2}"));
        assertEquals(Double.NEGATIVE_INFINITY, config.getDouble(SchedulerConfig.LAMBDA_MIN_CLIPPED, 0));
        assertEquals(null, config.getNullableDouble(SchedulerConfig.SIGMA_MIN));
        assertEquals(2, config.getInt(SchedulerConfig.SOLVER_ORDER, 1));
    }

    @Test
    void badFilesAndValuesAreReportedWithTheirNames() throws IOException {
        GenAiException typeError = assertThrows(GenAiException.class,
                () -> SchedulerConfig.fromJson(write("{\"num_train_timesteps\": [1, 2]}")));
        assertTrue(typeError.getMessage().contains("scheduler_config.json"), typeError.getMessage());
        GenAiException syntax = assertThrows(GenAiException.class,
                () -> SchedulerConfig.fromJson(write("{\"beta_start\": ")));
        assertTrue(syntax.getMessage().contains("scheduler_config.json"), syntax.getMessage());
        GenAiException missing = assertThrows(GenAiException.class,
                () -> SchedulerConfig.fromJson(dir.resolve("absent.json")));
        assertTrue(missing.getMessage().contains("absent.json"), missing.getMessage());
        IllegalArgumentException wrongType = assertThrows(IllegalArgumentException.class,
                () -> SchedulerConfig.builder().set(SchedulerConfig.CLIP_SAMPLE, "yes").build());
        assertTrue(wrongType.getMessage().contains("clip_sample"), wrongType.getMessage());
        IllegalArgumentException schedule = assertThrows(IllegalArgumentException.class,
                () -> SchedulerFactory.create("ddim", SchedulerConfig.builder().betaSchedule("cubic").build()));
        assertTrue(schedule.getMessage().contains("scaled_linear"), schedule.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> SchedulerFactory.create("euler", SchedulerConfig.builder().timestepSpacing("random").build()));
        assertThrows(IllegalArgumentException.class, () -> SchedulerFactory.create("ddim",
                SchedulerConfig.builder().set(SchedulerConfig.THRESHOLDING, true).build()));
    }

    @Test
    void factoryKnowsTheCliNames() {
        for (String name : SchedulerFactory.NAMES) {
            Scheduler scheduler = SchedulerFactory.forPipeline(name, SchedulerConfig.empty());
            assertEquals(name, scheduler.name());
            scheduler.setTimesteps(4);
            // PNDM's default Runge-Kutta warm-up: 12 evaluations for the last 3 steps, then 1 PLMS step.
            assertEquals(name.equals("pndm") ? 13 : 4, scheduler.timesteps().length, name);
        }
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> SchedulerFactory.create("heun", SchedulerConfig.empty()));
        assertTrue(unknown.getMessage().contains("dpmpp_2m_karras"), unknown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SchedulerFactory.create("euler", SchedulerConfig.empty(),
                0.5));
        assertEquals(0.5, ((DdimScheduler) SchedulerFactory.create("DDIM", SchedulerConfig.empty(), 0.5)).eta());
    }

    @Test
    void dpmNamesFixOrderAlgorithmAndKarras() {
        SchedulerConfig third = SchedulerConfig.builder().set(SchedulerConfig.SOLVER_ORDER, 3)
                .set(SchedulerConfig.USE_KARRAS_SIGMAS, true).build();
        Scheduler plain = SchedulerFactory.create("dpmpp_2m", third);
        Scheduler reference = new DpmSolverMultistepScheduler(SchedulerConfig.builder()
                .set(SchedulerConfig.SOLVER_ORDER, 2).build());
        plain.setTimesteps(10);
        reference.setTimesteps(10);
        assertArrayEquals(reference.timesteps(), plain.timesteps());
        float[] a = DiffusersTestKit.dummySampleDeter();
        float[] b = a.clone();
        for (double t : reference.timesteps()) {
            a = plain.step(DiffusersTestKit.dummyModel(a, t), t, a, null).prevSample();
            b = reference.step(DiffusersTestKit.dummyModel(b, t), t, b, null).prevSample();
        }
        assertArrayEquals(b, a);
        assertEquals("dpmpp_2m_karras", SchedulerFactory.create("dpmpp_2m_karras", SchedulerConfig.empty()).name());
    }
    @Test
    void everySchedulerFailsLoudlyBeforeSetTimestepsAndOnShapeMismatch() {
        float[] sample = DiffusersTestKit.dummySampleDeter();
        for (String name : SchedulerFactory.NAMES) {
            Scheduler scheduler = SchedulerFactory.forPipeline(name, SchedulerConfig.empty());
            IllegalStateException early = assertThrows(IllegalStateException.class,
                    () -> scheduler.step(sample, 1, sample, new DiffusersTestKit.ZeroNoise()), name);
            assertTrue(early.getMessage().contains("setTimesteps"), name + ": " + early.getMessage());
            assertThrows(IllegalStateException.class, scheduler::timesteps, name);
            scheduler.setTimesteps(10);
            double first = scheduler.timesteps()[0];
            assertThrows(IllegalArgumentException.class, () -> scheduler.step(new float[3], first, sample,
                    new DiffusersTestKit.ZeroNoise()), name);
        }
    }
}
