package org.ijgenai.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import org.ijgenai.core.diffusion.GenerationRequest;
import org.ijgenai.core.diffusion.ModelCache;
import org.ijgenai.core.diffusion.StableDiffusionPipeline;
import org.ijgenai.core.diffusion.StepSnapshot;
import org.ijgenai.core.io.NpzArchive;
import org.ijgenai.core.onnx.SessionSettings;
import org.ijgenai.core.progress.CancellationToken;
import org.ijgenai.core.progress.ProgressListener;
import org.ijgenai.testing.Fixtures;
import org.ijgenai.testing.ReferenceImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import ij.IJ;
import ij.ImagePlus;

/**
 * The shared fixture's "Will be checked" cases, run through the CLI exactly as a user would: every txt2img and
 * img2img case of refs/sd_cases.json within 2/255 of diffusers' output, and the tokenize cases.
 */
class StableDiffusionFixtureTest {

    @TempDir
    Path temp;

    private static JsonArray cases() throws IOException {
        return JsonParser.parseString(Files.readString(Fixtures.file("refs/sd_cases.json"))).getAsJsonArray();
    }

    static Stream<Arguments> imageCases() throws IOException {
        List<Arguments> list = new ArrayList<>();
        Path file = Fixtures.dir().resolve("refs/sd_cases.json");
        if (!Files.exists(file)) {
            return Stream.of(Arguments.of("fixtures absent", new JsonObject()));
        }
        for (JsonElement e : cases()) {
            JsonObject c = e.getAsJsonObject();
            String kind = c.get("kind").getAsString();
            if (kind.equals("txt2img") || kind.equals("img2img")) {
                list.add(Arguments.of(c.get("key").getAsString(), c));
            }
        }
        return list.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("imageCases")
    void cliReproducesDiffusersWithinTwoLevels(String key, JsonObject c) throws Exception {
        Path model = Fixtures.file("tiny-sd-onnx");
        Path refs = Fixtures.file("refs/sd_refs.npz");
        boolean img2img = c.get("kind").getAsString().equals("img2img");
        List<String> args = new ArrayList<>(List.of(img2img ? "img2img" : "txt2img", "--model", model.toString()));
        JsonElement prompt = c.get("prompt");
        if (prompt.isJsonArray()) {
            for (JsonElement p : prompt.getAsJsonArray()) {
                args.addAll(List.of("--prompt", p.getAsString()));
            }
        } else {
            args.addAll(List.of("--prompt", prompt.getAsString()));
        }
        if (c.has("negative_prompt") && !c.get("negative_prompt").isJsonNull()) {
            args.addAll(List.of("--negative", c.get("negative_prompt").getAsString()));
        }
        args.addAll(List.of("--seed", c.get("seed").getAsString(), "--steps", c.get("steps").getAsString(),
                "--cfg", c.get("guidance_scale").getAsString(), "--scheduler", c.get("scheduler").getAsString(),
                "--out", temp.resolve("out.png").toString(), "--quiet"));
        float[] expected;
        long[] shape;
        try (NpzArchive npz = NpzArchive.open(refs)) {
            expected = npz.get(key).floats();
            shape = npz.get(key).shape();
            if (img2img) {
                args.addAll(List.of("--strength", c.get("strength").getAsString(), "--init",
                        writeInit(npz.get(c.get("init").getAsString()).ints()).toString()));
            } else {
                args.addAll(List.of("--width", c.get("width").getAsString(), "--height",
                        c.get("height").getAsString()));
            }
        }
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args.toArray(new String[0]), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err));
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        ReferenceImages.assertPngsMatch(temp, expected, shape, key, 2);
        int batch = (int) shape[0];
        Map<String, String> text = ImageFiles.readPngText(batch > 1 ? temp.resolve("out-1.png")
                : temp.resolve("out.png"));
        assertEquals(c.get("seed").getAsString(), text.get("seed"));
        assertEquals(c.get("scheduler").getAsString(), text.get("scheduler"));
    }

    private Path writeInit(int[] hwc) throws IOException {
        int side = (int) Math.round(Math.sqrt(hwc.length / 3.0));
        BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                int i = (y * side + x) * 3;
                image.setRGB(x, y, (hwc[i] << 16) | (hwc[i + 1] << 8) | hwc[i + 2]);
            }
        }
        Path file = temp.resolve("init.png");
        ImageIO.write(image, "png", file.toFile());
        return file;
    }

    @Test
    void tokenizePrintsTheReferenceIds() throws Exception {
        Path model = Fixtures.file("tiny-sd-onnx");
        for (JsonElement e : cases()) {
            JsonObject c = e.getAsJsonObject();
            if (!c.get("kind").getAsString().equals("tokens")) {
                continue;
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int code = new TokenizeCommand(new PrintStream(out, true, StandardCharsets.UTF_8)).run(new CliArgs(
                    List.of("--model", model.toString(), "--text", c.get("text").getAsString()), Set.of()));
            assertEquals(0, code);
            String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
            JsonArray ids = c.getAsJsonArray("ids");
            StringBuilder expected = new StringBuilder();
            for (JsonElement id : ids) {
                expected.append(expected.length() > 0 ? " " : "").append(id.getAsInt());
            }
            assertEquals(expected.toString(), lines[0].strip(), c.get("text").getAsString());
            assertTrue(lines[1].startsWith("tokens: "), lines[1]);
        }
    }

    @Test
    void stepLatentsEqualTheCallbackLatentsOfDiffusers() throws Exception {
        Path model = Fixtures.file("tiny-sd-onnx");
        float[] expected;
        long[] shape;
        try (NpzArchive npz = NpzArchive.open(Fixtures.file("refs/sd_refs.npz"))) {
            expected = npz.get("txt2img_pndm_cfg7.5_step_latents").floats();
            shape = npz.get("txt2img_pndm_cfg7.5_step_latents").shape();
        }
        GenerationRequest request = new GenerationRequest(List.of("a red circle on a blue background"), "blurry", 42,
                10, 7.5, "pndm", 64, 64, 1, 0.75);
        List<StepSnapshot> steps = new ArrayList<>();
        try (ModelCache.Lease lease = ModelCache.shared().lease(model, SessionSettings.DEFAULT)) {
            new StableDiffusionPipeline(lease.model()).textToImage(request, s -> steps.add(new StepSnapshot(s.index(),
                    s.total(), s.timestep(), s.latents().clone(), s.predictedOriginal().clone(), s.batch(),
                    s.channels(), s.height(), s.width())), ProgressListener.NONE, CancellationToken.NONE);
        }
        assertEquals(shape[0], steps.size());
        int per = expected.length / steps.size();
        double worst = 0;
        for (int i = 0; i < steps.size(); i++) {
            float[] got = steps.get(i).latents();
            assertEquals(per, got.length);
            for (int k = 0; k < per; k++) {
                worst = Math.max(worst, Math.abs(got[k] - expected[i * per + k]));
            }
        }
        assertTrue(worst < 1e-3, "worst latent difference " + worst);
        assertEquals("step 3/11 · t=801", steps.get(2).label());
    }

    @Test
    void stepsOutWritesOneLabelledSlicePerUnetEvaluation() throws Exception {
        Path model = Fixtures.file("tiny-sd-onnx");
        Path stack = temp.resolve("steps.tif");
        int code = Main.run(new String[] {"txt2img", "--model", model.toString(), "--prompt", "a red circle",
            "--seed", "1", "--steps", "10", "--width", "64", "--height", "64", "--out",
            temp.resolve("x.tif").toString(), "--steps-out", stack.toString(), "--quiet"},
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(new ByteArrayOutputStream()));
        assertEquals(0, code);
        ImagePlus steps = IJ.openImage(stack.toString());
        assertEquals(11, steps.getStackSize());
        assertEquals("step 1/11 · t=901", steps.getStack().getSliceLabel(1));
        assertEquals("step 11/11 · t=1", steps.getStack().getSliceLabel(11));
        ImagePlus x0 = IJ.openImage(temp.resolve("steps-x0.tif").toString());
        assertEquals(11, x0.getStackSize());
        ImagePlus result = IJ.openImage(temp.resolve("x.tif").toString());
        assertTrue(((String) result.getProperty("Info")).contains("seed: 1"));
        assertArrayEquals(new int[] {64, 64}, new int[] {result.getWidth(), result.getHeight()});
    }
}
