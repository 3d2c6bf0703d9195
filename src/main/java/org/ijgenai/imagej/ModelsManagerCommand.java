package org.ijgenai.imagej;

import java.awt.GraphicsEnvironment;
import java.nio.file.Path;
import java.util.Locale;

import ij.IJ;
import ij.Macro;
import ij.plugin.PlugIn;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.catalog.DownloadProgress;
import org.ijgenai.core.catalog.ModelInstaller;
import org.ijgenai.core.catalog.ModelStore;
import org.ijgenai.core.progress.CancellationToken;
import org.ijgenai.core.progress.CancelledException;

/**
 * Plugins › Generative AI › Models…: opens the Models window. From a macro or headless it runs one action instead
 * and writes to the Log: {@code run("Models...", "action=list")}, {@code action=verify name=NAME},
 * {@code action=pull name=NAME}, {@code action=remove name=NAME}. A failing action (including a failed
 * verification) is reported as an error, so it stops the macro.
 */
public final class ModelsManagerCommand extends GenAiCommand implements PlugIn {

    private static final String TITLE = "Models";

    @Override
    public void run(String arg) {
        String options = Macro.getOptions();
        if (options == null && !GraphicsEnvironment.isHeadless()) {
            ModelsWindow.showWindow();
            return;
        }
        String action = Macro.getValue(options == null ? "" : options, "action", "list").toLowerCase(Locale.ROOT);
        String name = Macro.getValue(options == null ? "" : options, "name", "");
        try {
            ModelStore store = ModelsWindow.openStore();
            switch (action) {
                case "list" -> list(store);
                case "verify" -> verify(store, requireName(name));
                case "pull" -> pull(store, requireName(name));
                case "remove" -> IJ.log(store.remove(requireName(name)));
                default -> throw new GenAiException("action must be list, verify, pull or remove, was '" + action
                        + "'");
            }
        } catch (CancelledException e) {
            IJ.log("Models: cancelled");
        } catch (RuntimeException e) {
            reportError(TITLE, e);
        }
    }

    private static String requireName(String name) {
        if (name == null || name.isBlank()) {
            throw new GenAiException("this action needs name=NAME");
        }
        return name.trim();
    }

    private static void list(ModelStore store) {
        // The folders first, as the window shows them: an install without its bundled models is seen at once.
        Path bundled = store.directories().bundled();
        IJ.log("Bundled: " + (bundled == null ? "(none)" : bundled));
        IJ.log("Downloads: " + store.directories().user());
        for (ModelStore.Row row : store.list()) {
            IJ.log(row.name() + "\t" + row.task().id() + "\t" + (row.size() == null ? "?"
                    : DownloadProgress.bytes(row.size())) + "\t" + row.status() + "\t" + row.licence().displayName());
        }
    }

    private static void verify(ModelStore store, String name) {
        ModelStore.Verification result = store.verify(name, p -> IJ.showProgress(p.fraction()),
                new CancellationToken(IJ::escapePressed));
        IJ.showProgress(1.0);
        result.notes().forEach(n -> IJ.log("note: " + n));
        result.failures().forEach(f -> IJ.log("FAILED: " + f));
        if (!result.ok()) {
            throw new GenAiException(name + " failed verification:\n" + String.join("\n", result.failures()));
        }
        IJ.log("OK: " + name + ", " + result.filesChecked() + " files match the manifest");
    }

    private static void pull(ModelStore store, String name) {
        CancellationToken cancel = GenAiCommand.escapeCancels();
        ModelInstaller.InstallReport report = store.pull(name, null, p -> {
            IJ.showProgress(Math.max(0, p.fraction()));
            IJ.showStatus(p.describe());
        }, cancel);
        IJ.showProgress(1.0);
        report.warnings().forEach(w -> IJ.log("warning: " + w));
        IJ.log("Installed " + report.name() + " in " + report.folder());
        report.checks().forEach(IJ::log);
    }
}
