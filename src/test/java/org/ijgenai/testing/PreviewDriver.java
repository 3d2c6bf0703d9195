package org.ijgenai.testing;

import java.awt.Checkbox;
import java.awt.EventQueue;
import java.awt.TextField;
import java.awt.Window;
import java.awt.event.ActionEvent;
import java.awt.event.ItemEvent;
import java.awt.event.TextEvent;
import java.util.Vector;

import ij.IJ;
import ij.ImageJ;
import ij.ImagePlus;
import ij.WindowManager;
import ij.gui.GenericDialog;

/**
 * Plays a designer in a real ImageJ GUI (under Xvfb): opens the Forward Diffusion dialog on an image, ticks
 * Preview, changes the number of frames and checks that the preview window follows, then presses OK and checks
 * that the preview closed, the result has the new number of frames and the source is unchanged. Prints
 * {@code PREVIEW OK} and exits 0, or explains and exits 1. Argument: the image file.
 */
public final class PreviewDriver {

    private static final String PREVIEW = "Forward Diffusion preview";

    private PreviewDriver() {}

    /** See the class comment. */
    public static void main(String[] args) throws Exception {
        int code;
        try {
            code = run(args[0]);
        } catch (Throwable e) {
            System.err.println("PreviewDriver: " + e);
            code = 1;
        }
        System.exit(code);
    }

    private static int run(String imageFile) throws Exception {
        new ImageJ(ImageJ.NO_SHOW);
        ImagePlus source = IJ.openImage(imageFile);
        source.show();
        waitFor(() -> WindowManager.getCurrentImage() == source, "the source window");
        int sourceHash = java.util.Arrays.hashCode((byte[]) source.getProcessor().getPixels());
        IJ.doCommand("Forward Diffusion...");
        GenericDialog dialog = waitFor(PreviewDriver::openDialog, "the Forward Diffusion dialog");

        Checkbox preview = dialog.getPreviewCheckbox();
        EventQueue.invokeAndWait(() -> {
            preview.setState(true);
            dialog.itemStateChanged(new ItemEvent(preview, ItemEvent.ITEM_STATE_CHANGED, preview,
                    ItemEvent.SELECTED));
        });
        ImagePlus shown = waitFor(() -> WindowManager.getImage(PREVIEW), "the preview window");
        int defaultFrames = shown.getStackSize();

        @SuppressWarnings("unchecked")
        Vector<TextField> numbers = dialog.getNumericFields();
        TextField frames = numbers.get(3);
        EventQueue.invokeAndWait(() -> {
            frames.setText("4");
            dialog.textValueChanged(new TextEvent(frames, TextEvent.TEXT_VALUE_CHANGED));
        });
        waitFor(() -> {
            ImagePlus p = WindowManager.getImage(PREVIEW);
            return p != null && p.getStackSize() == 4 ? p : null;
        }, "the preview to follow frames=4 (it had " + defaultFrames + " frames)");

        EventQueue.invokeLater(() -> dialog.actionPerformed(
                new ActionEvent(dialog.getButtons()[0], ActionEvent.ACTION_PERFORMED, "OK")));
        ImagePlus result = waitFor(() -> {
            for (int id : WindowManager.getIDList() == null ? new int[0] : WindowManager.getIDList()) {
                ImagePlus image = WindowManager.getImage(id);
                if (image != null && image.getTitle().contains("forward diffusion")) {
                    return image;
                }
            }
            return null;
        }, "the result stack");
        waitFor(() -> WindowManager.getImage(PREVIEW) == null ? Boolean.TRUE : null, "the preview to close");
        if (result.getStackSize() != 4) {
            System.err.println("PreviewDriver: result has " + result.getStackSize() + " frames, expected 4");
            return 1;
        }
        if (java.util.Arrays.hashCode((byte[]) source.getProcessor().getPixels()) != sourceHash) {
            System.err.println("PreviewDriver: the source image changed");
            return 1;
        }
        System.out.println("PREVIEW OK: default " + defaultFrames + " frames, then 4; result " + result.getTitle());
        return 0;
    }

    private static GenericDialog openDialog() {
        for (Window window : Window.getWindows()) {
            if (window instanceof GenericDialog dialog && window.isShowing()
                    && "Forward Diffusion".equals(dialog.getTitle())) {
                return dialog;
            }
        }
        return null;
    }

    private static <T> T waitFor(java.util.function.Supplier<T> condition, String what) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            T value = condition.get();
            if (value != null && !Boolean.FALSE.equals(value)) {
                return value;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("timed out waiting for " + what);
    }
}
