package org.ijgenai.testing;

import java.awt.Button;
import java.awt.Component;
import java.awt.Container;
import java.awt.EventQueue;
import java.awt.Graphics2D;
import java.awt.Menu;
import java.awt.MenuItem;
import java.awt.Window;
import java.awt.event.ActionEvent;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import javax.swing.AbstractButton;
import javax.swing.Icon;
import javax.swing.ImageIcon;
import javax.swing.JFrame;
import javax.swing.JLabel;
import javax.swing.JScrollPane;
import javax.swing.text.JTextComponent;

import ij.IJ;
import ij.ImageJ;
import ij.ImagePlus;
import ij.Menus;
import ij.WindowManager;
import ij.gui.GenericDialog;
import ij.gui.HTMLDialog;
import ij.gui.ImageCanvas;

/**
 * Plays a new user in a real ImageJ GUI (under Xvfb) and prints what they would see, one line per finding, for
 * {@code FirstRunGuiIT} to check. Modes: {@code menu} (the Plugins › Generative AI menu, "-" for separators),
 * {@code help IMAGE} (each dialog's Help window: the size of its text and of the room it has), {@code zoom} (the
 * magnification Text to Image's 64×64 result opens at), {@code studio} (Prompt Studio's token counter for a model
 * name and its preview after a generation), {@code plot} (the glyphs the noise-schedule plot draws ᾱ with). Exits 0,
 * or 1 with the reason on stderr.
 */
public final class FirstRunDriver {

    private FirstRunDriver() {}

    /** See the class comment. */
    public static void main(String[] args) {
        int code = 0;
        try {
            new ImageJ(ImageJ.NO_SHOW);
            switch (args[0]) {
                case "menu" -> menu(Menus.getImageJMenu("Plugins>Generative AI"), "");
                case "help" -> help(args[1]);
                case "zoom" -> zoom();
                case "studio" -> studio();
                case "plot" -> plot();
                default -> throw new IllegalArgumentException("unknown mode " + args[0]);
            }
        } catch (Throwable e) {
            System.err.println("FirstRunDriver: " + e);
            e.printStackTrace();
            code = 1;
        }
        System.out.flush();
        System.exit(code);
    }

    private static void menu(Menu menu, String indent) {
        if (menu == null) {
            throw new IllegalStateException("ImageJ has no Plugins>Generative AI menu; is the plugin installed?");
        }
        for (int i = 0; i < menu.getItemCount(); i++) {
            MenuItem item = menu.getItem(i);
            System.out.println("MENU " + indent + item.getLabel() + (item instanceof Menu ? " >" : ""));
            if (item instanceof Menu sub) {
                menu(sub, indent + "  ");
            }
        }
    }

    /** Opens each dialog with a Help button, presses Help and measures the help window's text and view. */
    private static void help(String imageFile) throws Exception {
        ImagePlus image = IJ.openImage(imageFile);
        image.show();
        waitFor(() -> WindowManager.getCurrentImage() == image, "the image window");
        for (String command : List.of("Text to Image (Stable Diffusion)...", "Image to Image (Stable Diffusion)...",
                "Attention Maps (Stable Diffusion)...", "Text Encoder Attention...", "Forward Diffusion...")) {
            new Thread(() -> IJ.doCommand(command), command).start();
            GenericDialog dialog = waitFor(() -> showing(GenericDialog.class), "the dialog of " + command);
            Button help = find(dialog, Button.class, b -> "Help".equals(b.getLabel()));
            EventQueue.invokeLater(() -> dialog.actionPerformed(new ActionEvent(help, ActionEvent.ACTION_PERFORMED,
                    "Help")));
            HTMLDialog window = waitFor(() -> showing(HTMLDialog.class), "the Help window of " + command);
            Thread.sleep(300);
            JScrollPane scroll = find(window, JScrollPane.class, s -> true);
            EventQueue.invokeAndWait(() -> System.out.println("HELP " + command + " view="
                    + scroll.getViewport().getViewSize().width + "x" + scroll.getViewport().getViewSize().height
                    + " extent=" + scroll.getViewport().getExtentSize().width + "x"
                    + scroll.getViewport().getExtentSize().height + " window=" + window.getWidth() + "x"
                    + window.getHeight()));
            EventQueue.invokeAndWait(window::dispose);
            Button cancel = dialog.getButtons()[1];
            EventQueue.invokeAndWait(() -> dialog.actionPerformed(new ActionEvent(cancel,
                    ActionEvent.ACTION_PERFORMED, "Cancel")));
            waitFor(() -> showing(GenericDialog.class) == null ? Boolean.TRUE : null, "the dialog to close");
        }
    }

    /** Text to Image from a macro call with a display: the 64×64 result's window and its zoom. */
    private static void zoom() throws Exception {
        IJ.run("Text to Image (Stable Diffusion)...",
                "model=shapes-sd prompt=[a red circle on a blue background] steps=3 seed=0");
        ImagePlus result = waitFor(() -> {
            ImagePlus imp = WindowManager.getCurrentImage();
            return imp != null && imp.getWindow() != null && imp.getWindow().isShowing() ? imp : null;
        }, "the result window");
        ImageCanvas canvas = result.getCanvas();
        System.out.println("ZOOM " + result.getWidth() + "x" + result.getHeight() + " magnification="
                + canvas.getMagnification() + " canvas=" + canvas.getWidth() + "x" + canvas.getHeight());
    }

    /** Prompt Studio: the token counter for the model "shapes-sd", then a generation and its preview. */
    private static void studio() throws Exception {
        IJ.doCommand("Prompt Studio (Stable Diffusion)");
        JFrame studio = waitFor(() -> showing(JFrame.class, "Prompt Studio (Stable Diffusion)"), "Prompt Studio");
        JTextComponent model = named(studio, "model", JTextComponent.class);
        JTextComponent prompt = named(studio, "prompt", JTextComponent.class);
        JLabel tokens = named(studio, "promptTokens", JLabel.class);
        EventQueue.invokeAndWait(() -> {
            model.setText("shapes-sd");
            prompt.setText("a red circle on a blue background");
        });
        Thread.sleep(500);
        EventQueue.invokeAndWait(() -> System.out.println("TOKENS " + tokens.getText()));
        AbstractButton generate = named(studio, "generate", AbstractButton.class);
        EventQueue.invokeAndWait(generate::doClick);
        JLabel status = named(studio, "status", JLabel.class);
        waitFor(() -> status.getText().startsWith("Done") ? Boolean.TRUE : null, "the generation (status: "
                + status.getText() + ")");
        Thread.sleep(500);
        ImagePlus result = waitFor(WindowManager::getCurrentImage, "the result window");
        JLabel preview = named(studio, "preview", JLabel.class);
        List<BufferedImage> shown = new ArrayList<>();
        EventQueue.invokeAndWait(() -> shown.add(render(preview.getIcon())));
        BufferedImage picture = shown.get(0);
        int w = result.getWidth();
        int h = result.getHeight();
        double scale = picture.getWidth() / (double) w;
        double difference = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int a = result.getProcessor().get(x, y);
                int b = picture.getRGB((int) ((x + 0.5) * scale), (int) ((y + 0.5) * scale));
                for (int shift = 0; shift <= 16; shift += 8) {
                    difference += Math.abs(((a >> shift) & 255) - ((b >> shift) & 255));
                }
            }
        }
        System.out.println("PREVIEW " + picture.getWidth() + "x" + picture.getHeight() + " mean difference from the"
                + " result=" + difference / (3.0 * w * h));
    }

    /**
     * The font Forward Diffusion's schedule plot labels its axes with, and whether each label character has a glyph
     * in it (not the missing-glyph box). Reads the font the way the plot does, through {@code SchedulePlot}.
     */
    private static void plot() throws Exception {
        // From the installed plugin jar, through ImageJ's plugin class loader, as the command loads it.
        Class<?> plot = IJ.getClassLoader().loadClass("org.ijgenai.imagej.SchedulePlot");
        java.lang.reflect.Method labelFont = plot.getDeclaredMethod("labelFont");
        labelFont.setAccessible(true);
        java.awt.Font font = (java.awt.Font) labelFont.invoke(null);
        java.lang.reflect.Field labels = plot.getDeclaredField("LABELS");
        labels.setAccessible(true);
        String text = String.join("", ((List<?>) labels.get(null)).stream().map(String::valueOf).toList());
        java.awt.font.FontRenderContext frc = new java.awt.font.FontRenderContext(null, true, true);
        int missing = 0;
        for (int i = 0; i < text.length(); i++) {
            java.awt.font.GlyphVector glyphs = font.createGlyphVector(frc, text.substring(i, i + 1));
            missing += glyphs.getGlyphCode(0) == font.getMissingGlyphCode() ? 1 : 0;
        }
        System.out.println("PLOT font=" + font.getFontName() + " characters=" + text.length() + " missing=" + missing);
    }

    private static BufferedImage render(Icon icon) {
        if (!(icon instanceof ImageIcon image)) {
            throw new IllegalStateException("the preview shows no picture");
        }
        BufferedImage out = new BufferedImage(icon.getIconWidth(), icon.getIconHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.drawImage(image.getImage(), 0, 0, null);
        g.dispose();
        return out;
    }

    private static <T extends Window> T showing(Class<T> type) {
        return showing(type, null);
    }

    private static <T extends Window> T showing(Class<T> type, String title) {
        for (Window window : Window.getWindows()) {
            if (type.isInstance(window) && window.isShowing() && (title == null
                    || window instanceof java.awt.Frame frame && title.equals(frame.getTitle()))) {
                return type.cast(window);
            }
        }
        return null;
    }

    private static <T extends Component> T named(Container root, String name, Class<T> type) {
        T found = find(root, type, c -> name.equals(c.getName()));
        if (found == null) {
            throw new IllegalStateException("no " + type.getSimpleName() + " named " + name);
        }
        return found;
    }

    private static <T extends Component> T find(Container root, Class<T> type,
            java.util.function.Predicate<T> test) {
        for (Component c : root.getComponents()) {
            if (type.isInstance(c) && test.test(type.cast(c))) {
                return type.cast(c);
            }
            if (c instanceof Container container) {
                T found = find(container, type, test);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    private static <T> T waitFor(Supplier<T> condition, String what) throws Exception {
        long deadline = System.currentTimeMillis() + 90_000;
        while (System.currentTimeMillis() < deadline) {
            T value = condition.get();
            if (value != null) {
                return value;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("timed out waiting for " + what);
    }
}
