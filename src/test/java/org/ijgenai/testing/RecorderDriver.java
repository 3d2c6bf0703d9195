package org.ijgenai.testing;

import java.awt.Button;
import java.awt.Checkbox;
import java.awt.Choice;
import java.awt.Component;
import java.awt.Dialog;
import java.awt.EventQueue;
import java.awt.Label;
import java.awt.TextComponent;
import java.awt.Window;
import java.awt.event.ActionEvent;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ij.IJ;
import ij.ImageJ;
import ij.Macro;
import ij.gui.GenericDialog;
import ij.plugin.frame.Recorder;

/**
 * Plays a user in a real ImageJ GUI (under Xvfb): runs a setup macro, opens the Recorder, starts one command
 * from the menu table, fills its dialog and presses OK, then writes the line the Recorder recorded.
 *
 * <p>Run in its own JVM by {@code CommandRecordingIT}, with only {@code ij.jar} and the test classes on the class
 * path and {@code -Dplugins.dir=<dist>}, so the command comes from {@code plugins/ij_genai.jar} exactly as in a
 * user's ImageJ. Arguments: command name, setup macro file, dialog values ({@code key=value} words, keys as the
 * macro recorder writes them), output file. Exit code 0 when a line was recorded, 1 otherwise (with the reason,
 * including the text of any error dialog, on stderr).
 */
public final class RecorderDriver {

    private static final long TIMEOUT_MS = Long.getLong("driver.timeout.ms", 120_000);

    private RecorderDriver() {}

    /** See the class comment for the arguments. */
    public static void main(String[] args) throws Exception {
        String command = args[0];
        String setup = Files.readString(Paths.get(args[1]), StandardCharsets.UTF_8);
        Map<String, String> values = parseValues(args[2]);
        Path output = Paths.get(args[3]);
        int code;
        try {
            code = record(command, setup, values, output);
        } catch (Throwable e) {
            System.err.println("RecorderDriver: " + e);
            code = 1;
        }
        System.exit(code);
    }

    private static int record(String command, String setup, Map<String, String> values, Path output)
            throws Exception {
        new ImageJ(ImageJ.NO_SHOW);
        if (!setup.isBlank()) {
            IJ.runMacro(setup);
        }
        Recorder recorder = new Recorder();
        long deadline = System.currentTimeMillis() + TIMEOUT_MS;
        if (!ij.Menus.getCommands().containsKey(command)) {
            System.err.println("RecorderDriver: ImageJ's menus have no command \"" + command
                    + "\"; is it in plugins.config and the jar in " + System.getProperty("plugins.dir") + "/plugins?");
            return 1;
        }
        IJ.doCommand(command);
        boolean dialogDone = false;
        while (System.currentTimeMillis() < deadline) {
            String recorded = recordedLine(recorder.getText(), command);
            if (recorded != null) {
                Files.writeString(output, recorded + "\n", StandardCharsets.UTF_8);
                System.out.println("recorded: " + recorded);
                return 0;
            }
            for (Window window : Window.getWindows()) {
                if (!window.isShowing()) {
                    continue;
                }
                if (window instanceof GenericDialog dialog && !dialogDone) {
                    fill(dialog, values);
                    pressOk(dialog);
                    dialogDone = true;
                } else if (window instanceof Dialog dialog && !(window instanceof GenericDialog)) {
                    System.err.println("RecorderDriver: a dialog \"" + dialog.getTitle() + "\" appeared: "
                            + textOf(dialog));
                    return 1;
                }
            }
            Thread.sleep(100);
        }
        System.err.println("RecorderDriver: nothing recorded for \"" + command + "\" within " + TIMEOUT_MS
                + " ms; recorder text:\n" + recorder.getText());
        return 1;
    }

    /** The last {@code run("command"...)} line of the recorder text, or null. */
    static String recordedLine(String text, String command) {
        String found = null;
        for (String line : text.split("\n")) {
            if (line.startsWith("run(\"" + command + "\"")) {
                found = line.trim();
            }
        }
        return found;
    }

    private static Map<String, String> parseValues(String words) {
        Map<String, String> values = new LinkedHashMap<>();
        if (words == null || words.isBlank()) {
            return values;
        }
        // key=value words; a value in [brackets] may hold spaces, as in a recorded macro line (the brackets go).
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("([^\\s=]+)(?:=(\\[[^\\]]*\\]|\\S*))?")
                .matcher(words.trim());
        while (m.find()) {
            String value = m.group(2);
            if (value == null) {
                value = "true";
            } else if (value.startsWith("[") && value.endsWith("]")) {
                value = value.substring(1, value.length() - 1);
            }
            values.put(m.group(1), value);
        }
        return values;
    }

    /** Sets the fields whose macro key (the first word of the label) is in {@code values}. */
    private static void fill(GenericDialog dialog, Map<String, String> values) throws Exception {
        Field labelsField = GenericDialog.class.getDeclaredField("labels");
        labelsField.setAccessible(true);
        Map<?, ?> labels = (Map<?, ?>) labelsField.get(dialog);
        List<String> unused = new ArrayList<>(values.keySet());
        if (labels != null) {
            for (Map.Entry<?, ?> entry : labels.entrySet()) {
                String key = Macro.trimKey((String) entry.getValue());
                String value = values.get(key);
                if (value == null) {
                    continue;
                }
                unused.remove(key);
                Object component = entry.getKey();
                EventQueue.invokeAndWait(() -> {
                    if (component instanceof TextComponent text) {
                        text.setText(value);
                    } else if (component instanceof Choice choice) {
                        choice.select(value);
                    } else if (component instanceof Checkbox box) {
                        box.setState(Boolean.parseBoolean(value));
                    }
                });
            }
        }
        if (!unused.isEmpty()) {
            throw new IllegalArgumentException("the dialog \"" + dialog.getTitle() + "\" has no field for " + unused);
        }
    }

    private static void pressOk(GenericDialog dialog) throws Exception {
        Button ok = dialog.getButtons()[0];
        EventQueue.invokeLater(() -> dialog.actionPerformed(new ActionEvent(ok, ActionEvent.ACTION_PERFORMED, "OK")));
    }

    private static String textOf(Component component) {
        StringBuilder text = new StringBuilder();
        collectText(component, text);
        return text.toString().trim();
    }

    private static void collectText(Component component, StringBuilder text) {
        if (component instanceof Label label) {
            text.append(label.getText()).append(' ');
        } else if (component instanceof TextComponent area) {
            text.append(area.getText()).append(' ');
        } else if (component instanceof ij.gui.MultiLineLabel label) {
            try {
                Field lines = ij.gui.MultiLineLabel.class.getDeclaredField("lines");
                lines.setAccessible(true);
                text.append(String.join(" ", (String[]) lines.get(label))).append(' ');
            } catch (ReflectiveOperationException e) {
                text.append("(unreadable message) ");
            }
        }
        if (component instanceof java.awt.Container container) {
            for (Component child : container.getComponents()) {
                collectText(child, text);
            }
        }
    }
}
