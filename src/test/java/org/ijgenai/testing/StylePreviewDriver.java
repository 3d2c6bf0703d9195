package org.ijgenai.testing;

import java.awt.Button;
import java.awt.Checkbox;
import java.awt.EventQueue;
import java.awt.Window;
import java.awt.event.ActionEvent;
import java.awt.event.ItemEvent;

import ij.IJ;
import ij.ImageJ;
import ij.ImagePlus;
import ij.Prefs;
import ij.WindowManager;
import ij.gui.GenericDialog;

/**
 * Drives Style Transfer (GAN)… in a real ImageJ (run under Xvfb by StylePreviewIT): opens an image, turns the
 * dialog's preview on, then presses OK or Cancel, and prints what the image and the windows looked like at each
 * stage as {@code key=value} lines.
 *
 * <p>Arguments: image model.onnx format ok|cancel
 */
public final class StylePreviewDriver {

    private StylePreviewDriver() {}

    /** Whether a Browse button is in the dialog, as beside ImageJ's file fields. */
    private static boolean hasBrowseButton(java.awt.Container container) {
        for (java.awt.Component c : container.getComponents()) {
            if (c instanceof Button b && b.getLabel().startsWith("Browse")
                    || c instanceof java.awt.Container inner && hasBrowseButton(inner)) {
                return true;
            }
        }
        return false;
    }

    public static void main(String[] args) throws Exception {
        new ImageJ(ImageJ.NO_SHOW);
        ImagePlus imp = IJ.openImage(args[0]);
        imp.show();
        IJ.wait(300);
        Prefs.set("ijgenai.style.model", args[1]);
        Prefs.set("ijgenai.style.format", args[2]);
        Prefs.set("ijgenai.style.strength", 1.0);
        Prefs.set("ijgenai.style.tile", 0);
        int[] original = ((int[]) imp.getProcessor().getPixels()).clone();
        new Thread(() -> IJ.doCommand("Style Transfer (GAN)...")).start();
        GenericDialog dialog = null;
        for (int i = 0; i < 300 && dialog == null; i++) {
            for (Window window : Window.getWindows()) {
                if (window.isShowing() && window instanceof GenericDialog gd) {
                    dialog = gd;
                }
            }
            Thread.sleep(100);
        }
        if (dialog == null) {
            System.out.println("dialog=none");
            System.exit(1);
        }
        GenericDialog gd = dialog;
        System.out.println("browse=" + hasBrowseButton(gd));
        Checkbox preview = gd.getPreviewCheckbox();
        EventQueue.invokeAndWait(() -> {
            preview.setState(true);
            gd.itemStateChanged(new ItemEvent(preview, ItemEvent.ITEM_STATE_CHANGED, preview, ItemEvent.SELECTED));
        });
        boolean changed = false;
        for (int i = 0; i < 300 && !changed; i++) {
            Thread.sleep(100);
            changed = !java.util.Arrays.equals(original, (int[]) imp.getProcessor().getPixels());
        }
        System.out.println("preview.changed=" + changed);
        System.out.println("preview.pixel=" + Integer.toHexString(imp.getProcessor().get(20, 20) & 0xffffff));
        Button button = gd.getButtons()[args[3].equals("ok") ? 0 : 1];
        EventQueue.invokeLater(() -> gd.actionPerformed(new ActionEvent(button, ActionEvent.ACTION_PERFORMED,
                button.getLabel())));
        for (int i = 0; i < 300 && (gd.isShowing() || (args[3].equals("ok") && WindowManager.getImageCount() < 2));
                i++) {
            Thread.sleep(100);
        }
        Thread.sleep(500);
        System.out.println("input.restored=" + java.util.Arrays.equals(original, (int[]) imp.getProcessor()
                .getPixels()));
        System.out.println("input.changes=" + imp.changes);
        System.out.println("images=" + WindowManager.getImageCount());
        ImagePlus current = WindowManager.getCurrentImage();
        System.out.println("current.title=" + current.getTitle());
        System.out.println("current.pixel=" + Integer.toHexString(current.getProcessor().get(20, 20) & 0xffffff));
        System.exit(0);
    }
}
