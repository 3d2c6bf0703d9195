package org.ijgenai.imagej;

import java.awt.BorderLayout;
import java.awt.Dimension;
import java.awt.FlowLayout;
import java.awt.GridBagConstraints;
import java.awt.GridBagLayout;
import java.awt.Image;
import java.awt.Insets;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

import javax.swing.BorderFactory;
import javax.swing.BoxLayout;
import javax.swing.ImageIcon;
import javax.swing.JButton;
import javax.swing.JCheckBox;
import javax.swing.JComboBox;
import javax.swing.JFileChooser;
import javax.swing.JFrame;
import javax.swing.JLabel;
import javax.swing.JMenuItem;
import javax.swing.JPanel;
import javax.swing.JPopupMenu;
import javax.swing.JScrollPane;
import javax.swing.JSpinner;
import javax.swing.JTextArea;
import javax.swing.JTextField;
import javax.swing.SpinnerNumberModel;
import javax.swing.SwingUtilities;
import javax.swing.event.DocumentEvent;
import javax.swing.event.DocumentListener;

import org.ijgenai.core.diffusion.GeneratedImages;
import org.ijgenai.core.diffusion.GenerationJob;
import org.ijgenai.core.diffusion.GenerationRequest;
import org.ijgenai.core.diffusion.ModelFolder;
import org.ijgenai.core.diffusion.LatentPreview;
import org.ijgenai.core.diffusion.StepSnapshot;
import org.ijgenai.core.progress.CancellationToken;
import org.ijgenai.core.text.Emphasis;
import org.ijgenai.core.text.PromptTokenCounter;

import ij.IJ;
import ij.ImagePlus;
import ij.Prefs;
import ij.plugin.frame.Recorder;

/**
 * Prompt Studio: a non-modal window for designers, with prompt and negative prompt (and their token counts), the
 * generation parameters, a seed with a dice and a lock, a live preview at every step, and a history of thumbnails
 * that restore their parameters or go on to img2img. Every generation is also recorded as its macro line.
 */
final class PromptStudio extends JFrame {

    private static final long serialVersionUID = 1L;
    private static final int PREVIEW_SIZE = 384;
    private static final int THUMB_SIZE = 88;
    private static PromptStudio open;

    private final JTextField model = new JTextField(Prefs.get("ijgenai.sd.model", "shapes-sd"), 32);
    private final JTextArea prompt = new JTextArea(Prefs.get("ijgenai.sd.prompt", ""), 3, 40);
    private final JTextArea negative = new JTextArea(Prefs.get("ijgenai.sd.negative", ""), 2, 40);
    private final JTextArea prompt2 = new JTextArea(Prefs.get("ijgenai.sd.prompt_2", ""), 2, 40);
    private final JTextArea negative2 = new JTextArea(Prefs.get("ijgenai.sd.negative_2", ""), 2, 40);
    private final JLabel promptTokens = new JLabel(" ");
    private final JLabel negativeTokens = new JLabel(" ");
    private final JLabel prompt2Tokens = new JLabel(" ");
    private final JLabel negative2Tokens = new JLabel(" ");
    private final JComboBox<String> scheduler = new JComboBox<>();
    private final JComboBox<String> emphasis = new JComboBox<>(StableDiffusionDialog.EMPHASES);
    private final JSpinner steps = new JSpinner(new SpinnerNumberModel(GenerationRequest.DEFAULT_STEPS, 1, 1000, 1));
    private final JSpinner guidance = new JSpinner(new SpinnerNumberModel(GenerationRequest.DEFAULT_GUIDANCE, 0.0,
            50.0, 0.5));
    private final JSpinner width = new JSpinner(new SpinnerNumberModel(0, 0, 4096, 64));
    private final JSpinner height = new JSpinner(new SpinnerNumberModel(0, 0, 4096, 64));
    private final JTextField seed = new JTextField("42", 10);
    private final JCheckBox lock = new JCheckBox("Lock seed", true);
    private final JButton generate = new JButton("Generate");
    private final JLabel preview = new JLabel("", JLabel.CENTER);
    private final JLabel status = new JLabel("Name an installed model (e.g. shapes-sd) or choose a Stable Diffusion"
            + " ONNX folder, write a prompt, press Generate.");
    private final JPanel history = new JPanel(new FlowLayout(FlowLayout.LEFT, 4, 4));
    private volatile CancellationToken running;
    private PromptTokenCounter counter;
    private String counterModel;
    private String defaultsFolder;

    private PromptStudio() {
        super("Prompt Studio (Stable Diffusion)");
        scheduler.addItem(StableDiffusionDialog.MODEL_DEFAULT);
        for (String name : org.ijgenai.core.diffusion.Schedulers.NAMES) {
            scheduler.addItem(name);
        }
        prompt.setLineWrap(true);
        prompt.setWrapStyleWord(true);
        negative.setLineWrap(true);
        negative.setWrapStyleWord(true);
        for (JTextArea second : new JTextArea[] {prompt2, negative2}) {
            second.setLineWrap(true);
            second.setWrapStyleWord(true);
            second.setToolTipText("SDXL: for the second text encoder (text_encoder_2); empty: the same as the first");
        }
        preview.setPreferredSize(new Dimension(PREVIEW_SIZE, PREVIEW_SIZE));
        preview.setBorder(BorderFactory.createEtchedBorder());

        JPanel form = new JPanel(new GridBagLayout());
        GridBagConstraints c = new GridBagConstraints();
        c.insets = new Insets(2, 4, 2, 4);
        c.anchor = GridBagConstraints.WEST;
        c.fill = GridBagConstraints.HORIZONTAL;
        JButton browse = new JButton("…");
        browse.addActionListener(e -> chooseModel());
        row(form, c, 0, "Model (name or folder)", inline(model, browse));
        row(form, c, 1, "Prompt", new JScrollPane(prompt));
        row(form, c, 2, "", promptTokens);
        row(form, c, 3, "Negative prompt", new JScrollPane(negative));
        row(form, c, 4, "", negativeTokens);
        row(form, c, 5, "Prompt 2 (SDXL)", new JScrollPane(prompt2));
        row(form, c, 6, "", prompt2Tokens);
        row(form, c, 7, "Negative 2 (SDXL)", new JScrollPane(negative2));
        row(form, c, 8, "", negative2Tokens);
        row(form, c, 9, "Scheduler", inline(scheduler, new JLabel("Steps"), steps, new JLabel("Guidance"), guidance));
        row(form, c, 10, "Size (0 = model's)", inline(width, new JLabel("×"), height, new JLabel(" Emphasis"),
                emphasis));
        emphasis.setSelectedItem(Prefs.get("ijgenai.sd.emphasis", Emphasis.ORIGINAL.label()));
        emphasis.setToolTipText("How (word:1.3) weights act: Original (A1111's), No norm, Comfy, Ignore, None");
        emphasis.addActionListener(e -> updateTokenCounts());
        JButton dice = new JButton("Dice");
        dice.setToolTipText("Draw a random seed");
        dice.addActionListener(e -> seed.setText(Long.toString(randomSeed())));
        row(form, c, 11, "Seed", inline(seed, dice, lock));
        generate.addActionListener(e -> generateOrCancel());
        row(form, c, 12, "", inline(generate));

        JPanel right = new JPanel(new BorderLayout());
        right.add(preview, BorderLayout.CENTER);
        JScrollPane strip = new JScrollPane(history);
        strip.setPreferredSize(new Dimension(PREVIEW_SIZE, THUMB_SIZE + 30));
        strip.setBorder(BorderFactory.createTitledBorder("History (click to restore, right-click for more)"));

        JPanel main = new JPanel(new BorderLayout(8, 8));
        main.setBorder(BorderFactory.createEmptyBorder(8, 8, 8, 8));
        main.add(form, BorderLayout.CENTER);
        main.add(right, BorderLayout.EAST);
        main.add(strip, BorderLayout.SOUTH);
        getContentPane().add(main, BorderLayout.CENTER);
        getContentPane().add(status, BorderLayout.SOUTH);
        // Named so that FirstRunGuiIT can find them.
        model.setName("model");
        prompt.setName("prompt");
        promptTokens.setName("promptTokens");
        generate.setName("generate");
        preview.setName("preview");
        status.setName("status");
        DocumentListener counter = new DocumentListener() {
            @Override
            public void insertUpdate(DocumentEvent e) {
                updateTokenCounts();
            }

            @Override
            public void removeUpdate(DocumentEvent e) {
                updateTokenCounts();
            }

            @Override
            public void changedUpdate(DocumentEvent e) {
                updateTokenCounts();
            }
        };
        prompt.getDocument().addDocumentListener(counter);
        negative.getDocument().addDocumentListener(counter);
        prompt2.getDocument().addDocumentListener(counter);
        negative2.getDocument().addDocumentListener(counter);
        model.getDocument().addDocumentListener(counter);
        setDefaultCloseOperation(DISPOSE_ON_CLOSE);
        pack();
        updateTokenCounts();
    }

    /** Shows the studio, reusing the open one. */
    static void showStudio() {
        if (open == null || !open.isDisplayable()) {
            open = new PromptStudio();
            open.setLocationRelativeTo(null);
        }
        open.setVisible(true);
        open.toFront();
    }

    private static void row(JPanel form, GridBagConstraints c, int y, String label, java.awt.Component field) {
        c.gridy = y;
        c.gridx = 0;
        c.weightx = 0;
        form.add(new JLabel(label), c);
        c.gridx = 1;
        c.weightx = 1;
        form.add(field, c);
    }

    private static JPanel inline(java.awt.Component... parts) {
        JPanel panel = new JPanel();
        panel.setLayout(new BoxLayout(panel, BoxLayout.X_AXIS));
        for (java.awt.Component part : parts) {
            panel.add(part);
        }
        return panel;
    }

    private static long randomSeed() {
        return ThreadLocalRandom.current().nextLong(GenerationRequest.MAX_SEED + 1);
    }

    private void chooseModel() {
        JFileChooser chooser = new JFileChooser(model.getText());
        chooser.setFileSelectionMode(JFileChooser.DIRECTORIES_ONLY);
        if (chooser.showOpenDialog(this) == JFileChooser.APPROVE_OPTION) {
            model.setText(chooser.getSelectedFile().getPath());
        }
    }

    /** A blank second prompt means "the same as the first", as {@link #generateOrCancel} passes it. */
    private static String blankAsEmpty(String text) {
        return text.isBlank() ? "" : text;
    }

    private void updateTokenCounts() {
        String typed = model.getText().trim();
        followModel(typed);
        if (counter == null || !typed.equals(counterModel)) {
            // Resolved once per model text, not per keystroke in the prompt.
            counterModel = typed;
            counter = PromptTokenCounter.forModel(typed, Prefs.get(ModelsWindow.PREF_USER_DIR, ""));
        }
        Emphasis mode = selectedEmphasis();
        promptTokens.setText(counter.describe(prompt.getText(), mode));
        negativeTokens.setText(counter.describe(negative.getText(), mode));
        // SDXL: tokenizer_2 chunks the second prompts (or, when they are blank, the first ones) on its own.
        boolean second = counter.countsSecond();
        prompt2Tokens.setText(second ? counter.describeSecond(blankAsEmpty(prompt2.getText()), prompt.getText(), mode)
                : " ");
        negative2Tokens.setText(second ? counter.describeSecond(blankAsEmpty(negative2.getText()),
                negative.getText(), mode) : " ");
    }
    /**
     * When the model changes: the second prompts are editable only for SDXL, and an SDXL-Turbo model (its
     * scheduler config says trailing) sets Steps and Guidance to its defaults (1 and 0), as the CLI does.
     */
    private void followModel(String folderText) {
        if (folderText.equals(defaultsFolder)) {
            return;
        }
        defaultsFolder = folderText;
        ModelFolder folder = StableDiffusionDialog.folderOrNull(folderText);
        boolean xl = folder != null && folder.isXl();
        prompt2.setEnabled(xl);
        negative2.setEnabled(xl);
        if (folder != null && folder.isTurbo()) {
            steps.setValue(folder.defaultSteps());
            guidance.setValue(folder.defaultGuidance());
        }
    }

    private void generateOrCancel() {
        CancellationToken token = running;
        if (token != null) {
            token.cancel();
            status.setText("Cancelling after this step…");
            return;
        }
        GenerationRequest request;
        try {
            long seedValue = lock.isSelected() ? Long.parseLong(seed.getText().trim()) : randomSeed();
            seed.setText(Long.toString(seedValue));
            String schedulerName = (String) scheduler.getSelectedItem();
            // The second prompts count only where they are editable (SDXL); elsewhere they are left out.
            boolean xl = prompt2.isEnabled();
            request = new GenerationRequest(List.of(prompt.getText()),
                    negative.getText().isBlank() ? null : negative.getText(), seedValue,
                    (Integer) steps.getValue(), ((Number) guidance.getValue()).doubleValue(),
                    StableDiffusionDialog.MODEL_DEFAULT.equals(schedulerName) ? null : schedulerName,
                    (Integer) width.getValue(), (Integer) height.getValue(), 1, GenerationRequest.DEFAULT_STRENGTH,
                    selectedEmphasis(), xl && !prompt2.getText().isBlank() ? prompt2.getText() : null,
                    xl && !negative2.getText().isBlank() ? negative2.getText() : null, null);
        } catch (NumberFormatException e) {
            status.setText("The seed must be a whole number.");
            return;
        } catch (IllegalArgumentException e) {
            status.setText(e.getMessage());
            return;
        }
        String folder = model.getText().trim();
        Prefs.set("ijgenai.sd.model", folder);
        Prefs.set("ijgenai.sd.prompt", prompt.getText());
        Prefs.set("ijgenai.sd.negative", negative.getText());
        Prefs.set("ijgenai.sd.emphasis", selectedEmphasis().label());
        Prefs.set("ijgenai.sd.prompt_2", prompt2.getText());
        Prefs.set("ijgenai.sd.negative_2", negative2.getText());
        CancellationToken token2 = GenAiCommand.escapeCancels();
        running = token2;
        generate.setText("Cancel");
        Thread worker = new Thread(() -> run(folder, request, token2), "Prompt Studio generation");
        worker.start();
    }

    private void run(String folder, GenerationRequest request, CancellationToken token) {
        try {
            GenerationJob.Result job = new GenerationJob().setModel(folder).setRequest(request)
                    .optUserModelDir(Prefs.get(ModelsWindow.PREF_USER_DIR, ""))
                    .optStepListener(sd -> {
                        ui("Fitting the live preview to this model's VAE…");
                        LatentPreview latentPreview = sd.latentPreview();
                        return snapshot -> showPreview(latentPreview, snapshot);
                    })
                    .optProgress((done, total, message) -> {
                        IJ.showProgress(done, total);
                        ui(message);
                    })
                    .optCancel(token)
                    .run();
            GeneratedImages result = job.images();
            IJ.showProgress(1.0);
            ImagePlus image = GeneratedImagePlus.images(result, GeneratedImagePlus.titleFor(request.prompts()));
            GeneratedImagePlus.describe(image, job.parameters());
            ResultWindows.show(image);
            String options = StableDiffusionDialog.macroOptions(folder, result.request(),
                    StableDiffusionDialog.STEP_STACKS[0]);
            if (Recorder.record) {
                Recorder.recordString("run(\"Text to Image (Stable Diffusion)...\", \"" + options + "\");\n");
            }
            BufferedImage last = image.getBufferedImage();
            SwingUtilities.invokeLater(() -> {
                // The large preview ends on the decoded picture, not on the last step's latent preview.
                showInPreview(last);
                addToHistory(result, folder, image);
            });
            ui(String.format(Locale.ROOT, "Done: seed %d, %.1f s", result.request().seed(), result.seconds()));
        } catch (org.ijgenai.core.progress.CancelledException e) {
            ui("Cancelled.");
        } catch (RuntimeException | OutOfMemoryError e) {
            IJ.log("Prompt Studio: " + e);
            ui(e instanceof OutOfMemoryError ? "Out of memory; try a smaller size." : e.getMessage());
        } finally {
            IJ.showProgress(1.0);
            running = null;
            SwingUtilities.invokeLater(() -> generate.setText("Generate"));
        }
    }

    private void showPreview(LatentPreview latentPreview, StepSnapshot snapshot) {
        float[] rgb = latentPreview.toRgb(snapshot.latentsOf(0), snapshot.height(), snapshot.width());
        int[] pixels = GeneratedImages.toRgb(rgb, snapshot.width(), snapshot.height());
        BufferedImage small = new BufferedImage(snapshot.width(), snapshot.height(), BufferedImage.TYPE_INT_RGB);
        small.setRGB(0, 0, snapshot.width(), snapshot.height(), pixels, 0, snapshot.width());
        SwingUtilities.invokeLater(() -> showInPreview(small));
    }

    /** Shows a picture in the large preview, scaled to its width (call on the event thread). */
    private void showInPreview(BufferedImage picture) {
        Image scaled = picture.getScaledInstance(PREVIEW_SIZE,
                Math.max(1, PREVIEW_SIZE * picture.getHeight() / Math.max(1, picture.getWidth())), Image.SCALE_FAST);
        preview.setIcon(new ImageIcon(scaled));
        preview.setText(null);
    }

    private void addToHistory(GeneratedImages result, String folder, ImagePlus image) {
        BufferedImage full = image.getBufferedImage();
        int h = THUMB_SIZE * result.height() / Math.max(1, result.width());
        JButton thumb = new JButton(new ImageIcon(full.getScaledInstance(THUMB_SIZE, Math.max(1, h),
                Image.SCALE_SMOOTH)));
        GenerationRequest request = result.request();
        thumb.setToolTipText("<html>" + escape(String.join(" | ", request.prompts())) + "<br>seed " + request.seed()
                + ", " + request.scheduler() + ", " + request.steps() + " steps, guidance " + request.guidance()
                + "</html>");
        thumb.addActionListener(e -> restore(folder, request));
        JPopupMenu menu = new JPopupMenu();
        JMenuItem restoreItem = new JMenuItem("Restore parameters");
        restoreItem.addActionListener(e -> restore(folder, request));
        JMenuItem img2img = new JMenuItem("Send to Image to Image…");
        img2img.addActionListener(e -> {
            ImagePlus copy = new ImagePlus(image.getTitle(), full);
            copy.show();
            new Thread(() -> IJ.run(copy, "Image to Image (Stable Diffusion)...", ""), "img2img").start();
        });
        menu.add(restoreItem);
        menu.add(img2img);
        thumb.setComponentPopupMenu(menu);
        history.add(thumb, 0);
        history.revalidate();
        history.repaint();
    }

    private void restore(String folder, GenerationRequest request) {
        model.setText(folder);
        prompt.setText(request.prompts().get(0));
        negative.setText(request.negativePrompt() == null ? "" : request.negativePrompt());
        prompt2.setText(request.prompt2() == null ? "" : request.prompt2());
        negative2.setText(request.negativePrompt2() == null ? "" : request.negativePrompt2());
        scheduler.setSelectedItem(request.scheduler() == null ? StableDiffusionDialog.MODEL_DEFAULT
                : request.scheduler());
        steps.setValue(request.steps());
        guidance.setValue(request.guidance());
        width.setValue(request.width());
        height.setValue(request.height());
        seed.setText(Long.toString(request.seed()));
        emphasis.setSelectedItem(request.emphasis().label());
        lock.setSelected(true);
        status.setText("Restored the parameters of seed " + request.seed() + ".");
    }

    private Emphasis selectedEmphasis() {
        return Emphasis.fromLabel((String) emphasis.getSelectedItem());
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private void ui(String message) {
        SwingUtilities.invokeLater(() -> status.setText(message));
    }
}
