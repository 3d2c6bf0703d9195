package org.ijgenai.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.ijgenai.core.diffusion.ModelFolder;
import org.ijgenai.core.catalog.ModelLocator;
import org.ijgenai.core.text.ClipTokenizer;
import org.ijgenai.core.text.TokenEncoding;

/** {@code tokenize}: prints the CLIP token ids a model's text encoder sees for a text, and how many it used. */
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
    public String help() {
        return String.join("\n",
                "  --model DIR|NAME     a model, its tokenizer folder, or an installed model's name (required)",
                "  --text TEXT          the prompt to tokenize (required)") + "\n";
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
        Path directory = Files.isRegularFile(model.resolve("vocab.json")) ? model : ModelFolder.open(model).tokenizer();
        ClipTokenizer tokenizer = ClipTokenizer.fromDirectory(directory);
        TokenEncoding tokens = tokenizer.encode(text);
        StringBuilder ids = new StringBuilder();
        for (int id : tokens.ids()) {
            if (ids.length() > 0) {
                ids.append(' ');
            }
            ids.append(id);
        }
        out.println(ids);
        out.println("tokens: " + tokens.tokenCount() + " of " + tokenizer.maxLength()
                + (tokens.truncated() ? " (truncated: the prompt is too long)" : ""));
        return 0;
    }
}
