package org.ijgenai.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

import org.ijgenai.core.attention.TextEncoderAttention;
import org.ijgenai.core.catalog.ModelLocator;
import org.ijgenai.core.diffusion.ModelFolder;
import org.ijgenai.core.onnx.ExecutionDevice;
import org.ijgenai.core.text.ClipTokenizer;
import org.ijgenai.imagej.GeneratedImagePlus;
import org.ijgenai.imagej.TextAttentionImages;

/**
 * {@code text-attention}: a prompt through a model's CLIP text encoder, writing every layer's and head's
 * self-attention (text-attention.tif) and the token and positional embeddings (embeddings.tif), as the Text Encoder
 * Attention command shows them.
 */
final class TextAttentionCommand implements Subcommand {

    /** Null for the System.out current at run time, so callers can redirect it. */
    private final PrintStream fixedOut;

    TextAttentionCommand() {
        this(null);
    }

    TextAttentionCommand(PrintStream out) {
        this.fixedOut = out;
    }

    @Override
    public String name() {
        return "text-attention";
    }

    @Override
    public String help() {
        return OptionHelp.lines(OptionHelp.model(), OptionHelp.prompt("the text to run through the text encoder"),
                "  --out DIR            the folder for text-attention.tif and embeddings.tif (required)",
                OptionHelp.threads());
    }

    @Override
    public String usage() {
        return "text-attention --model DIR|NAME --prompt TEXT --out DIR [--threads N]";
    }

    @Override
    public int run(CliArgs args) throws Exception {
        PrintStream out = fixedOut != null ? fixedOut : System.out;
        String model = args.require("model");
        String prompt = args.require("prompt");
        Path dir = args.requirePath("out");
        int threads = args.getInt("threads", 0);
        args.rejectUnknown();
        ModelFolder folder = ModelFolder.open(ModelLocator.resolve(model, null));
        TextEncoderAttention a = TextEncoderAttention.compute(folder.textEncoder(),
                ClipTokenizer.fromDirectory(folder.tokenizer()), prompt, ExecutionDevice.choose("cpu").settings(threads));
        ImageFiles.createFolder(dir, "--out");
        String title = GeneratedImagePlus.titleFor(List.of(prompt));
        ImageFiles.writeTiff(dir.resolve("text-attention.tif"), TextAttentionImages.attention(a, title));
        ImageFiles.writeTiff(dir.resolve("embeddings.tif"), TextAttentionImages.embeddings(a, title));
        out.println("wrote " + dir + ": text-attention.tif (" + a.layers().size() + " layers × " + a.heads()
                + " heads of " + a.used() + "×" + a.used() + " tokens: " + String.join(" ", a.tokens())
                + "), embeddings.tif (" + a.width() + " dimensions)");
        return 0;
    }
}
