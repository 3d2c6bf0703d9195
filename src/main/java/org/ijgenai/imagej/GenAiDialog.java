package org.ijgenai.imagej;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import ij.IJ;
import ij.Macro;
import ij.gui.GenericDialog;
import ij.plugin.filter.PlugInFilterRunner;
import ij.util.Tools;

import org.ijgenai.core.GenAiException;

/**
 * The GenericDialog of every ij-genai command: it checks what a macro gives it the same way with a display and
 * headless (where ij1-patcher's dialog would silently take the first item or NaN): a choice must name one of its
 * items and a number must be a number, else the macro stops with a message; a key that names no field is logged.
 */
public class GenAiDialog extends GenericDialog {

    /** Keys that ImageJ itself reads from a command's options, not a dialog field. */
    private static final Set<String> IMAGEJ_KEYS = Set.of("stack", "slice");

    private final String title;
    private final Set<String> keys = new LinkedHashSet<>();
    private final Map<String, String[]> choices = new LinkedHashMap<>();
    private final Map<String, String> numbers = new LinkedHashMap<>();
    private boolean refused;
    private String unparsable;

    /** A dialog with this title (also the title of its error messages). */
    public GenAiDialog(String title) {
        super(title);
        this.title = title;
    }

    @Override
    public void addChoice(String label, String[] items, String defaultItem) {
        super.addChoice(label, items, defaultItem);
        choices.put(key(label), items.clone());
    }

    @Override
    public void addNumericField(String label, double defaultValue) {
        numbers.put(key(label), label);
        try {
            super.addNumericField(label, defaultValue);
        } catch (NumberFormatException headless) {
            unparsable(label);
        }
    }

    @Override
    public void addNumericField(String label, double defaultValue, int digits) {
        numbers.put(key(label), label);
        try {
            super.addNumericField(label, defaultValue, digits);
        } catch (NumberFormatException headless) {
            unparsable(label);
        }
    }

    @Override
    public void addNumericField(String label, double defaultValue, int digits, int columns, String units) {
        numbers.put(key(label), label);
        try {
            super.addNumericField(label, defaultValue, digits, columns, units);
        } catch (NumberFormatException headless) {
            unparsable(label);
        }
    }

    @Override
    public void addSlider(String label, double minValue, double maxValue, double defaultValue) {
        numbers.put(key(label), label);
        try {
            super.addSlider(label, minValue, maxValue, defaultValue);
        } catch (NumberFormatException headless) {
            unparsable(label);
        }
    }

    @Override
    public void addSlider(String label, double minValue, double maxValue, double defaultValue, double stepSize) {
        numbers.put(key(label), label);
        try {
            super.addSlider(label, minValue, maxValue, defaultValue, stepSize);
        } catch (NumberFormatException headless) {
            unparsable(label);
        }
    }

    @Override
    public void addStringField(String label, String defaultText) {
        super.addStringField(label, defaultText);
        key(label);
    }

    @Override
    public void addStringField(String label, String defaultText, int columns) {
        super.addStringField(label, defaultText, columns);
        key(label);
    }

    @Override
    public void addCheckbox(String label, boolean defaultValue) {
        super.addCheckbox(label, defaultValue);
        key(label);
    }

    @Override
    public void addPreviewCheckbox(PlugInFilterRunner pfr) {
        super.addPreviewCheckbox(pfr);
        key("preview");
    }

    @Override
    public void addPreviewCheckbox(PlugInFilterRunner pfr, String label) {
        super.addPreviewCheckbox(pfr, label);
        key(label);
    }

    /**
     * Adds the Help button; an HTML help text is laid out {@value #HELP_WIDTH} CSS pixels wide (see
     * {@link #fitHelp}).
     */
    @Override
    public void addHelp(String url) {
        super.addHelp(fitHelp(url));
    }

    /** The width, in CSS pixels, that help texts are laid out at. */
    static final int HELP_WIDTH = 560;

    /**
     * The help text as ImageJ's help window (HTMLDialog) can show it without scrolling. That window sizes itself to
     * the text's unwrapped width, caps it at 800 pixels and adds half the unwrapped height, so a long paragraph
     * wraps into more lines than it has room for; with a fixed width the text's height is known when the window is
     * sized. A URL, plain text or a text that sets its own body is returned as it is.
     */
    static String fitHelp(String help) {
        if (help == null || !help.regionMatches(true, 0, "<html>", 0, 6) || help.contains("<body")) {
            return help;
        }
        String inner = help.substring(6);
        if (inner.regionMatches(true, inner.length() - 7, "</html>", 0, 7)) {
            inner = inner.substring(0, inner.length() - 7);
        }
        return "<html><body style='width:" + HELP_WIDTH + "px'>" + inner + "</body></html>";
    }

    /**
     * In a macro, checks the options first: a bad value reports the error (stopping the macro) and the dialog
     * counts as cancelled, so the command does nothing; unknown keys go to the Log window.
     */
    @Override
    public void showDialog() {
        String options = Macro.getOptions();
        if (options != null) {
            String problem = problem(options);
            if (problem != null) {
                refused = true;
                GenAiCommand.reportError(title, new GenAiException(problem));
                return;
            }
            List<String> unknown = unknownKeys(options);
            if (!unknown.isEmpty()) {
                IJ.log(title + ": unknown key" + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown)
                        + " ignored; this command's keys are " + String.join(", ", keys));
            }
        }
        super.showDialog();
    }

    @Override
    public boolean wasCanceled() {
        return refused || super.wasCanceled();
    }

    /** The first bad value among the macro options, in words, or null when all are valid. */
    String problem(String options) {
        if (unparsable != null) {
            return unparsable;
        }
        for (Map.Entry<String, String[]> choice : choices.entrySet()) {
            String value = Macro.getValue(options, choice.getKey(), null);
            if (value != null && !value.startsWith("&") && !List.of(choice.getValue()).contains(value)) {
                return choice.getKey() + "=" + value + " is not a valid choice; expected one of: "
                        + String.join(", ", choice.getValue());
            }
        }
        for (String key : numbers.keySet()) {
            String value = Macro.getValue(options, key, null);
            if (value != null && !value.startsWith("&") && Double.isNaN(Tools.parseDouble(value.trim()))) {
                return key + "=" + value + " is not a number";
            }
        }
        return null;
    }

    /** The keys of {@code options} that name no field of this dialog. */
    List<String> unknownKeys(String options) {
        List<String> unknown = new ArrayList<>();
        for (String key : optionKeys(options)) {
            if (!keys.contains(key) && !IMAGEJ_KEYS.contains(key)) {
                unknown.add(key);
            }
        }
        return unknown;
    }

    /** The keys of a macro options string: {@code key=value}, {@code key=[a value]} and bare {@code flag}s. */
    static List<String> optionKeys(String options) {
        List<String> found = new ArrayList<>();
        int i = 0;
        int n = options.length();
        while (i < n) {
            while (i < n && options.charAt(i) == ' ') {
                i++;
            }
            int start = i;
            while (i < n && options.charAt(i) != '=' && options.charAt(i) != ' ') {
                i++;
            }
            if (i > start) {
                found.add(options.substring(start, i).toLowerCase(Locale.ROOT));
            }
            if (i < n && options.charAt(i) == '=') {
                i++;
                if (i < n && options.charAt(i) == '[') {
                    int close = options.indexOf(']', i);
                    i = close < 0 ? n : close + 1;
                } else {
                    while (i < n && options.charAt(i) != ' ') {
                        i++;
                    }
                }
            }
        }
        return found;
    }

    // ij1-patcher's headless dialog parses a macro's number when the field is added, and throws; the value is
    // reported, with its key, when the dialog is shown.
    private void unparsable(String label) {
        if (unparsable == null) {
            unparsable = key(label) + "=" + Macro.getValue(Macro.getOptions(), label, "") + " is not a number";
        }
    }

    private String key(String label) {
        String key = Macro.trimKey(label);
        keys.add(key);
        return key;
    }
}
