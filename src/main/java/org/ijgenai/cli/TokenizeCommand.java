package org.ijgenai.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.diffusion.ModelFolder;
import org.ijgenai.core.catalog.ModelLocator;
import org.ijgenai.core.text.ChunkedPrompt;
import org.ijgenai.core.text.ClipTokenizer;
import org.ijgenai.core.text.Emphasis;
import org.ijgenai.core.text.PromptChunk;
import org.ijgenai.core.text.PromptChunker;
import org.ijgenai.core.text.TokenEncoding;

/**
 * {@code tokenize}: prints the CLIP token ids a model's text encoder sees for a text, and how many it used; for an
 * SDXL model, those of both tokenizers ({@code tokenizer/}, then {@code tokenizer_2/} for {@code --text-2} or the
 * same text), each ids line followed by its count line; with {@code --json}, the 77-id chunks and per-token weights
 * of the prompt's attention syntax, as A1111 makes them, and for SDXL also those of the second tokenizer
 * ({@code chunks_2}, {@code token_count_2}).
 */
final class TokenizeCommand implements Subcommand, Main.FlagAware {

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
                "  --text TEXT          the prompt to tokenize (required)",
                "  --text-2 TEXT        SDXL: the prompt_2 for tokenizer_2 (default: the --text)",
                "  --json               print the 77-id chunks and per-token weights that go into the text encoder;",
                "                       for SDXL also chunks_2 and token_count_2, those of tokenizer_2 (each",
                "                       tokenizer's own chunks: encoding pads the shorter with empty chunks)",
                "  --emphasis MODE      with --json: Original, No norm, Comfy, Ignore or None (default: Original)")
                + "\n";
    }

    @Override
    public String usage() {
        return "tokenize --model DIR|NAME --text TEXT [--text-2 TEXT] [--json [--emphasis Original|No norm|Comfy|"
                + "Ignore|None]]"
                + "   (a model, its tokenizer folder, or an installed model's name)";
    }

    @Override
    public Set<String> flags() {
        return Set.of("json");
    }

    @Override
    public int run(CliArgs args) {
        PrintStream out = this.out != null ? this.out : System.out;
        String modelArg = args.require("model");
        String text = args.require("text");
        String text2 = args.get("text-2", null);
        boolean json = args.flag("json");
        Emphasis emphasis;
        try {
            emphasis = Emphasis.fromLabel(args.get("emphasis", Emphasis.ORIGINAL.label()));
        } catch (GenAiException e) {
            throw new UsageException("--emphasis: " + e.getMessage());
        }
        args.rejectUnknown();
        // A model folder, a tokenizer folder on its own, or an installed model's name.
        Path model = Files.isDirectory(Path.of(modelArg)) ? Path.of(modelArg) : ModelLocator.resolve(modelArg, null);
        boolean tokenizerFolder = Files.isRegularFile(model.resolve("vocab.json"));
        ModelFolder folder = tokenizerFolder ? null : ModelFolder.open(model);
        boolean xl = folder != null && folder.isXl();
        if (text2 != null && !xl) {
            throw new UsageException("--text-2 is for SDXL models (prompt_2, for tokenizer_2), but " + model
                    + " has no tokenizer_2");
        }
        ClipTokenizer tokenizer = ClipTokenizer.fromDirectory(tokenizerFolder ? model : folder.tokenizer());
        ClipTokenizer second = xl ? ClipTokenizer.fromDirectory(folder.tokenizer2()) : null;
        // As the pipeline reads prompt_2: left out or empty, it is the prompt.
        String secondText = text2 == null || text2.isEmpty() ? text : text2;
        if (json) {
            ChunkedPrompt first = new PromptChunker(tokenizer).chunk(text, emphasis);
            out.println(second == null ? chunksJson(first, emphasis)
                    : chunksJson(first, new PromptChunker(second).chunk(secondText, emphasis), emphasis));
            return 0;
        }
        if (!xl) {
            print(out, tokenizer, text, "");
            return 0;
        }
        print(out, tokenizer, text, " (tokenizer/)");
        print(out, second, secondText, " (tokenizer_2/, padded with id " + second.padId() + ")");
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

    /** {"chunks": [{"ids": [...], "weights": [...]}, ...], "token_count": N, "emphasis": "Original"}. */
    static String chunksJson(ChunkedPrompt prompt, Emphasis emphasis) {
        JsonObject root = new JsonObject();
        root.add("chunks", chunks(prompt));
        root.addProperty("token_count", prompt.tokenCount());
        root.addProperty("emphasis", emphasis.label());
        return root.toString();
    }

    /**
     * SDXL's: {@code chunks} and {@code token_count} of tokenizer/, {@code chunks_2} and {@code token_count_2} of
     * tokenizer_2/, and the emphasis.
     */
    static String chunksJson(ChunkedPrompt prompt, ChunkedPrompt prompt2, Emphasis emphasis) {
        JsonObject root = new JsonObject();
        root.add("chunks", chunks(prompt));
        root.add("chunks_2", chunks(prompt2));
        root.addProperty("token_count", prompt.tokenCount());
        root.addProperty("token_count_2", prompt2.tokenCount());
        root.addProperty("emphasis", emphasis.label());
        return root.toString();
    }

    private static JsonArray chunks(ChunkedPrompt prompt) {
        JsonArray chunks = new JsonArray();
        for (PromptChunk chunk : prompt.chunks()) {
            JsonArray ids = new JsonArray();
            for (int id : chunk.ids()) {
                ids.add(id);
            }
            JsonArray weights = new JsonArray();
            for (double w : chunk.weights()) {
                weights.add(w);
            }
            JsonObject c = new JsonObject();
            c.add("ids", ids);
            c.add("weights", weights);
            chunks.add(c);
        }
        return chunks;
    }
}
