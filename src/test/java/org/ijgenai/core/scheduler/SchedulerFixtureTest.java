package org.ijgenai.core.scheduler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.ijgenai.testing.Fixtures;
import org.junit.jupiter.api.Test;

/**
 * The shared fixture's {@code timesteps} cases (diffusers' {@code Class.from_config(scheduler_config.json)} plus the
 * pipeline's adjustments) against {@link SchedulerFactory#forPipeline}: timesteps, initial σ and the effective
 * config values our schedulers read.
 */
class SchedulerFixtureTest {

    @Test
    void timestepsFromTinySdConfigMatchDiffusers() throws IOException {
        Path configFile = Fixtures.file("tiny-sd-onnx/scheduler/scheduler_config.json");
        Path casesFile = Fixtures.file("refs/sd_cases.json");
        SchedulerConfig fileConfig = SchedulerConfig.fromJson(configFile);
        JsonArray cases;
        try (Reader reader = Files.newBufferedReader(casesFile, StandardCharsets.UTF_8)) {
            cases = JsonParser.parseReader(reader).getAsJsonArray();
        }
        Set<String> checked = new TreeSet<>();
        for (JsonElement element : cases) {
            JsonObject testCase = element.getAsJsonObject();
            if (!testCase.get("kind").getAsString().equals("timesteps")) {
                continue;
            }
            String name = testCase.get("scheduler").getAsString();
            Scheduler scheduler = SchedulerFactory.forPipeline(name, fileConfig);
            scheduler.setTimesteps(testCase.get("steps").getAsInt());
            JsonArray expected = testCase.getAsJsonArray("timesteps");
            double[] expectedTimesteps = new double[expected.size()];
            for (int i = 0; i < expectedTimesteps.length; i++) {
                expectedTimesteps[i] = expected.get(i).getAsDouble();
            }
            assertArrayEquals(expectedTimesteps, scheduler.timesteps(), name + " timesteps");
            assertEquals(testCase.get("init_noise_sigma").getAsDouble(), scheduler.initNoiseSigma(), 0.0,
                    name + " init_noise_sigma");
            checked.add(name);
        }
        assertEquals(Set.of("pndm", "ddim", "euler", "lms", "dpmpp_2m", "dpmpp_2m_karras"), checked);
    }
}
