package org.ijgenai.core.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.ijgenai.core.text.Emphasis;
import org.junit.jupiter.api.Test;

/** The A1111 infotext written from a request parses back to the same values, and A1111's own texts are read. */
class A1111ParametersTest {

    @Test
    void formattedParametersParseBackToTheSameValues() {
        GenerationRequest request = new GenerationRequest(List.of("(a red circle:1.3), on blue"), "blurry, dark", 42,
                12, 6.5, "dpmpp_2m_karras", 64, 96, 1, 0.6, Emphasis.COMFY);
        Map<String, String> p = new LinkedHashMap<>(request.describe(true));
        p.put("model", "shapes-sd");
        String text = A1111Parameters.format(p);
        assertEquals("(a red circle:1.3), on blue\nNegative prompt: blurry, dark\nSteps: 12, Sampler: DPM++ 2M Karras,"
                + " CFG scale: 6.5, Seed: 42, Size: 64x96, Model: shapes-sd, Denoising strength: 0.6,"
                + " Emphasis: Comfy", text);
        A1111Parameters.Parsed parsed = A1111Parameters.parse(text);
        assertEquals(List.of(), parsed.ignored());
        Map<String, String> v = parsed.values();
        assertEquals(p.get("prompt"), v.get("prompt"));
        assertEquals(p.get("negative"), v.get("negative"));
        for (String key : List.of("steps", "guidance", "seed", "scheduler", "width", "height", "strength",
                "emphasis", "model")) {
            assertEquals(p.get(key), v.get(key), key);
        }
    }

    @Test
    void readsA1111sInfotextAndNamesTheFieldsItIgnores() {
        String text = "masterpiece, (a red circle:1.2)\nsecond line\nNegative prompt: lowres,\nbad hands\n"
                + "Steps: 20, Sampler: DPM++ 2M, Schedule type: Karras, CFG scale: 7, Seed: 1234, Size: 512x768, "
                + "Model hash: 6ce0161689, Model: v1-5-pruned-emaonly, Clip skip: 2, "
                + "Lora hashes: \"add_detail: 7c6bad76eb54, more: 1\", Version: v1.10.1";
        A1111Parameters.Parsed parsed = A1111Parameters.parse(text);
        Map<String, String> v = parsed.values();
        assertEquals("masterpiece, (a red circle:1.2)\nsecond line", v.get("prompt"));
        assertEquals("lowres,\nbad hands", v.get("negative"));
        assertEquals("dpmpp_2m_karras", v.get("scheduler"));
        assertEquals("7", v.get("guidance"));
        assertEquals("1234", v.get("seed"));
        assertEquals("512", v.get("width"));
        assertEquals("768", v.get("height"));
        assertEquals("6ce0161689", v.get("model_hash"));
        assertEquals(List.of("Clip skip", "Lora hashes", "Version"), parsed.ignored());
        A1111Parameters.Parsed unknownSampler = A1111Parameters.parse("cat\nSteps: 20, Sampler: Heun, Seed: 1");
        assertEquals(List.of("Sampler (Heun)"), unknownSampler.ignored());
        // fewer than three fields: A1111 takes the last line as prompt text
        assertEquals("cat\nSteps: 20, Seed: 1", A1111Parameters.parse("cat\nSteps: 20, Seed: 1").values().get("prompt"));
    }
}
