package org.ijgenai.imagej;

import org.ijgenai.core.attention.TextEncoderAttention;
import org.ijgenai.core.catalog.ModelLocator;
import org.ijgenai.core.diffusion.ModelFolder;
import org.ijgenai.core.onnx.ExecutionDevice;
import org.ijgenai.core.text.ClipTokenizer;

import ij.IJ;
import ij.ImagePlus;
import ij.Macro;
import ij.Prefs;
import ij.gui.GenericDialog;
import ij.plugin.PlugIn;

/**
 * Plugins › Generative AI › Text Encoder Attention...: how a Stable Diffusion model's CLIP text encoder attends
 * between the tokens of a prompt, every layer and head as a token × token matrix (a bertviz "model view"), and the
 * token and positional embeddings that enter it.
 *
 * <p>Macro: {@code run("Text Encoder Attention...", "model=shapes-sd prompt=[a red circle on a blue background]")}.
 */
public final class TextEncoderAttentionCommand extends GenAiCommand implements PlugIn {

    /** The exact menu and macro name. */
    public static final String COMMAND = "Text Encoder Attention...";

    private static final String TITLE = "Text Encoder Attention";
    private static final String PREFS = "ijgenai.textattention.";

    @Override
    public void run(String arg) {
        boolean macro = Macro.getOptions() != null;
        GenericDialog gd = new GenAiDialog(TITLE);
        gd.addStringField("Model folder or name", macro ? "shapes-sd" : Prefs.get(PREFS + "model", "shapes-sd"), 40);
        gd.addStringField("Prompt", macro ? "a red circle on a blue background"
                : Prefs.get(PREFS + "prompt", "a red circle on a blue background"), 40);
        gd.addHelp("<html><b>Text encoder attention</b><br>Runs the prompt through the model's CLIP text encoder"
                + " and shows every layer's and head's self-attention between the used tokens (rows attend to"
                + " columns; CLIP only attends to earlier tokens), and the token and positional embeddings."
                + " See docs/inside-the-model.md.</html>");
        gd.showDialog();
        if (gd.wasCanceled()) {
            return;
        }
        String model = gd.getNextString().trim();
        String prompt = gd.getNextString();
        try {
            if (prompt.isBlank()) {
                throw new IllegalArgumentException("prompt is empty: give the text to look at");
            }
            if (!macro) {
                Prefs.set(PREFS + "model", model);
                Prefs.set(PREFS + "prompt", prompt);
            }
            IJ.showStatus(TITLE + ": running the text encoder");
            ModelFolder folder = ModelFolder.open(ModelLocator.resolve(model,
                    Prefs.get(ModelsWindow.PREF_USER_DIR, "")));
            TextEncoderAttention a = TextEncoderAttention.compute(folder.textEncoder(),
                    ClipTokenizer.fromDirectory(folder.tokenizer()), prompt, ExecutionDevice.choose("cpu").settings(0));
            String title = GeneratedImagePlus.titleFor(java.util.List.of(prompt));
            ImagePlus embeddings = TextAttentionImages.embeddings(a, title);
            ImagePlus attention = TextAttentionImages.attention(a, title);
            embeddings.show();
            attention.show();
            IJ.showStatus(TITLE + ": " + a.used() + " tokens, " + a.layers().size() + " layers × " + a.heads()
                    + " heads");
        } catch (RuntimeException e) {
            reportError(TITLE, e);
        }
    }
}
