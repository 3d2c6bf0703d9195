package org.ijgenai.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.ijgenai.core.diffusion.ModelFolder;
import org.ijgenai.core.catalog.ModelLocator;
import org.ijgenai.core.text.ClipTokenizer;
import org.ijgenai.core.text.TokenEncoding;

/**
 * {@code tokenize}: prints the CLIP token ids a model's text encoder sees for a text, and how many it used; for an
 * SDXL model, those of both tokenizers ({@code tokenizer/}, then {@code tokenizer_2/}), each ids line followed by
 * its count line.
 */
final class TokenizeCommand implements Subcommand {

    /** Null for the System.out current at run time, so callers can redirect it. */
    private final PrintStream out;

    TokenizeCommand() {
        this(null);
    }

    TokenizeCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public String name() {
        return "tokenize";
    }

    @Override
    public String usage() {
        return "tokenize --model DIR|NAME --text TEXT   (a model, its tokenizer folder, or an installed model's name)";
    }

    @Override
    public int run(CliArgs args) {
        PrintStream out = this.out != null ? this.out : System.out;
        String modelArg = args.require("model");
        String text = args.require("text");
        args.rejectUnknown();
        // A model folder, a tokenizer folder on its own, or an installed model's name.
        Path model = Files.isDirectory(Path.of(modelArg)) ? Path.of(modelArg) : ModelLocator.resolve(modelArg, null);
        if (Files.isRegularFile(model.resolve("vocab.json"))) {
            print(out, ClipTokenizer.fromDirectory(model), text, "");
            return 0;
        }
        ModelFolder folder = ModelFolder.open(model);
        if (!folder.isXl()) {
            print(out, ClipTokenizer.fromDirectory(folder.tokenizer()), text, "");
            return 0;
        }
        print(out, ClipTokenizer.fromDirectory(folder.tokenizer()), text, " (tokenizer/)");
        ClipTokenizer second = ClipTokenizer.fromDirectory(folder.tokenizer2());
        print(out, second, text, " (tokenizer_2/, padded with id " + second.padId() + ")");
        return 0;
    }

    private static void print(PrintStream out, ClipTokenizer tokenizer, String text, String label) {
        TokenEncoding tokens = tokenizer.encode(text);
        StringBuilder ids = new StringBuilder();
        for (int id : tokens.ids()) {
            if (ids.length() > 0) {
                ids.append(' ');
            }
            ids.append(id);
        }
        out.println(ids);
        out.println("tokens: " + tokens.tokenCount() + " of " + tokenizer.maxLength() + label
                + (tokens.truncated() ? " (truncated: the prompt is too long)" : ""));
    }
}
