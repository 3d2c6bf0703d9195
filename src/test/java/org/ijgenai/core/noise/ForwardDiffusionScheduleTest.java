package org.ijgenai.core.noise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.ijgenai.testing.DiffusersFormulas;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The schedules the forward-diffusion explorer shows, against diffusers' formulas. */
class ForwardDiffusionScheduleTest {

    @ParameterizedTest
    @EnumSource(BetaSchedule.class)
    void alphaBarMatchesHandComputedDiffusersFormulasTo1e6(BetaSchedule schedule) {
        NoiseSchedule ours = NoiseSchedule.of(schedule, 1000, 0.0001, 0.02);
        double[] expected = DiffusersFormulas.alphaBar(schedule, 1000, 0.0001, 0.02);
        double worst = 0;
        for (int t = 0; t < 1000; t++) {
            worst = Math.max(worst, Math.abs(ours.alphaCumprod(t) - expected[t]));
        }
        assertTrue(worst < 1e-6, schedule + ": largest |ᾱ − formula| = " + worst);
    }

    @Test
    void alphaBarMatchesTorchReferenceOfDiffusersTo1e6() throws IOException {
        JsonObject refs;
        try (Reader reader = new InputStreamReader(
                getClass().getResourceAsStream("schedule_refs.json"), StandardCharsets.UTF_8)) {
            refs = JsonParser.parseReader(reader).getAsJsonObject();
        }
        int cases = 0;
        for (JsonElement element : refs.getAsJsonArray("cases")) {
            JsonObject c = element.getAsJsonObject();
            BetaSchedule schedule = BetaSchedule.fromConfigName(c.get("schedule").getAsString());
            int n = c.get("num_train_timesteps").getAsInt();
            NoiseSchedule ours = NoiseSchedule.of(schedule, n, c.get("beta_start").getAsDouble(),
                    c.get("beta_end").getAsDouble());
            JsonArray betas = c.getAsJsonArray("betas");
            JsonArray alphaBar = c.getAsJsonArray("alphas_cumprod");
            for (int t = 0; t < n; t++) {
                String where = schedule.configName() + " T=" + n + " t=" + t;
                assertEquals(betas.get(t).getAsDouble(), ours.beta(t), 1e-6, "β " + where);
                assertEquals(alphaBar.get(t).getAsDouble(), ours.alphaCumprod(t), 1e-6, "ᾱ " + where);
            }
            cases++;
        }
        assertEquals(8, cases);
    }

    @Test
    void snrAndLabelFollowAlphaBar() {
        NoiseSchedule schedule = NoiseSchedule.of(BetaSchedule.LINEAR, 1000, 0.0001, 0.02);
        double a = schedule.alphaCumprod(250);
        assertEquals(a / (1 - a), schedule.snr(250), 1e-12);
        assertEquals(Math.log(a / (1 - a)), schedule.logSnr(250), 1e-12);
        String label = ForwardDiffusion.label(schedule, 250);
        assertTrue(label.startsWith("t=250 alpha_bar=" + String.format(java.util.Locale.ROOT, "%.6f", a)), label);
        assertTrue(label.contains(" SNR="), label);
    }
}
