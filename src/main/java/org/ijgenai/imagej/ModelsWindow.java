package org.ijgenai.imagej;

import java.awt.BorderLayout;
import java.awt.Desktop;
import java.awt.Dimension;
import java.awt.FlowLayout;
import java.awt.event.ActionEvent;
import java.awt.event.KeyEvent;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;

import javax.swing.AbstractAction;
import javax.swing.BorderFactory;
import javax.swing.JButton;
import javax.swing.JComponent;
import javax.swing.JFileChooser;
import javax.swing.JFrame;
import javax.swing.JLabel;
import javax.swing.JOptionPane;
import javax.swing.JPanel;
import javax.swing.JProgressBar;
import javax.swing.JScrollPane;
import javax.swing.JSplitPane;
import javax.swing.JTable;
import javax.swing.JTextArea;
import javax.swing.KeyStroke;
import javax.swing.ListSelectionModel;
import javax.swing.SwingUtilities;
import javax.swing.SwingWorker;
import javax.swing.table.AbstractTableModel;

import ij.IJ;
import ij.Prefs;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.catalog.DownloadProgress;
import org.ijgenai.core.catalog.DownloadSettings;
import org.ijgenai.core.catalog.ModelDirectories;
import org.ijgenai.core.catalog.ModelInstaller;
import org.ijgenai.core.catalog.ModelStore;
import org.ijgenai.core.progress.CancellationToken;
import org.ijgenai.core.progress.CancelledException;

/**
 * The non-modal "Models" window: a table of installed and catalogue models with Install, Verify, Remove and
 * Reveal-in-folder, a progress bar with bytes, speed and ETA, and Cancel (or Esc). All work is done by
 * {@link ModelStore} on a background thread.
 */
final class ModelsWindow extends JFrame {

    private static final long serialVersionUID = 1L;
    /** ImageJ preference key of the user's models folder. */
    static final String PREF_USER_DIR = "ijgenai.models.dir";
    private static ModelsWindow instance;

    private final RowsModel rows = new RowsModel();
    private final JTable table = new JTable(rows);
    private final JTextArea details = new JTextArea(7, 60);
    private final JLabel folders = new JLabel();
    private final JLabel status = new JLabel(" ");
    private final JProgressBar progress = new JProgressBar(0, 1000);
    private final JButton install = new JButton("Install");
    private final JButton verify = new JButton("Verify");
    private final JButton remove = new JButton("Remove");
    private final JButton reveal = new JButton("Reveal in folder");
    private final JButton add = new JButton("Add folder…");
    private final JButton refresh = new JButton("Refresh");
    private final JButton sizes = new JButton("Look up sizes");
    private final JButton folder = new JButton("Models folder…");
    private final JButton cancel = new JButton("Cancel");
    private transient ModelStore store;
    private transient CancellationToken running;
    private String lastReport;
    private boolean reloading;

    private ModelsWindow() {
        super("Generative AI Models");
        setDefaultCloseOperation(DISPOSE_ON_CLOSE);
        table.setSelectionMode(ListSelectionModel.SINGLE_SELECTION);
        table.setAutoCreateRowSorter(true);
        table.getSelectionModel().addListSelectionListener(e -> {
            if (!e.getValueIsAdjusting() && running == null && !reloading) {
                lastReport = null;
            }
            showDetails();
        });
        details.setEditable(false);
        details.setLineWrap(true);
        details.setWrapStyleWord(true);

        JPanel buttons = new JPanel(new FlowLayout(FlowLayout.LEFT));
        for (JButton button : new JButton[] {install, verify, remove, reveal, add, refresh, sizes, folder}) {
            buttons.add(button);
        }
        install.addActionListener(e -> installSelected());
        verify.addActionListener(e -> verifySelected());
        remove.addActionListener(e -> removeSelected());
        reveal.addActionListener(e -> revealSelected());
        add.addActionListener(e -> addFolder());
        refresh.addActionListener(e -> reload());
        // The catalogue records few sizes; the hub announces them, on request only (it opens connections).
        sizes.setToolTipText("Ask the hub for the download sizes the catalogue does not record");
        sizes.addActionListener(e -> run("Looking up sizes", token -> String.join("\n", store.lookUpSizes(token))));
        folder.addActionListener(e -> chooseUserFolder());
        cancel.addActionListener(e -> cancelRunning());
        cancel.setEnabled(false);
        progress.setStringPainted(true);
        progress.setString("");

        JPanel bottom = new JPanel(new BorderLayout(6, 2));
        bottom.add(buttons, BorderLayout.NORTH);
        bottom.add(progress, BorderLayout.CENTER);
        bottom.add(cancel, BorderLayout.EAST);
        bottom.add(status, BorderLayout.SOUTH);
        bottom.setBorder(BorderFactory.createEmptyBorder(4, 6, 6, 6));
        folders.setBorder(BorderFactory.createEmptyBorder(6, 6, 4, 6));

        JSplitPane split = new JSplitPane(JSplitPane.VERTICAL_SPLIT, new JScrollPane(table),
                new JScrollPane(details));
        split.setResizeWeight(0.7);
        getContentPane().add(folders, BorderLayout.NORTH);
        getContentPane().add(split, BorderLayout.CENTER);
        getContentPane().add(bottom, BorderLayout.SOUTH);

        getRootPane().getInputMap(JComponent.WHEN_IN_FOCUSED_WINDOW)
                .put(KeyStroke.getKeyStroke(KeyEvent.VK_ESCAPE, 0), "cancel");
        getRootPane().getActionMap().put("cancel", new AbstractAction() {
            private static final long serialVersionUID = 1L;

            @Override
            public void actionPerformed(ActionEvent e) {
                cancelRunning();
            }
        });
        setPreferredSize(new Dimension(980, 560));
        pack();
    }

    /** Shows the window, creating it on first use, and reloads its table. */
    static void showWindow() {
        SwingUtilities.invokeLater(() -> {
            if (instance == null || !instance.isDisplayable()) {
                instance = new ModelsWindow();
            }
            instance.reload();
            instance.setVisible(true);
            instance.toFront();
        });
    }

    /** The store for the folders and settings currently configured. */
    static ModelStore openStore() {
        return new ModelStore(ModelDirectories.discover(Prefs.get(PREF_USER_DIR, "")), DownloadSettings.defaults());
    }

    private void reload() {
        ModelStore.Row before = selected();
        reloading = true;
        try {
            store = openStore();
            List<ModelStore.Row> list = store.list();
            rows.set(list);
            if (before != null) {
                // Keep the user's selection across a refresh, so a result stays next to its model.
                for (int i = 0; i < list.size(); i++) {
                    if (list.get(i).name().equals(before.name())) {
                        int view = table.convertRowIndexToView(i);
                        table.getSelectionModel().setSelectionInterval(view, view);
                    }
                }
            }
            ModelDirectories dirs = store.directories();
            folders.setText("<html>Bundled: " + (dirs.bundled() == null ? "(none)" : dirs.bundled())
                    + "<br>Downloads: " + dirs.user() + (store.settings().offline() ? " — offline mode" : "")
                    + "</html>");
            showDetails();
        } catch (GenAiException e) {
            fail("Could not read the models", e);
        } finally {
            reloading = false;
        }
    }

    private ModelStore.Row selected() {
        int view = table.getSelectedRow();
        return view < 0 ? null : rows.get(table.convertRowIndexToModel(view));
    }

    private void showDetails() {
        ModelStore.Row row = selected();
        boolean idle = running == null;
        install.setEnabled(idle && row != null && row.installed() == null && row.entry() != null);
        verify.setEnabled(idle && row != null && row.installed() != null);
        remove.setEnabled(idle && row != null && (row.installed() != null && !"bundled".equals(row.status())
                || "partial download".equals(row.status())));
        reveal.setEnabled(row != null && row.installed() != null);
        add.setEnabled(idle);
        sizes.setEnabled(idle);
        folder.setEnabled(idle);
        if (row == null) {
            details.setText("Select a model to see what it is, where it comes from and which commands use it.");
            return;
        }
        StringBuilder text = new StringBuilder();
        text.append(row.name()).append(" — ").append(row.task().id()).append(", ").append(row.status())
                .append('\n');
        text.append("Used by: ").append(row.task().usedBy()).append('\n');
        if (row.entry() != null) {
            if (!row.entry().description().isEmpty()) {
                text.append(row.entry().description()).append('\n');
            }
            text.append("Source: ").append(row.entry().source().describe()).append('\n');
            if (row.entry().notes() != null) {
                text.append("Note: ").append(row.entry().notes()).append('\n');
            }
        }
        text.append("Licence: ").append(row.licence().displayName());
        if (row.licence().url() != null) {
            text.append(" <").append(row.licence().url()).append('>');
        }
        text.append('\n').append("Location: ").append(row.location()).append('\n');
        if (lastReport != null) {
            text.append('\n').append("Last result:\n").append(lastReport).append('\n');
        }
        details.setText(text.toString());
        details.setCaretPosition(0);
    }

    private void installSelected() {
        ModelStore.Row row = selected();
        if (row == null || row.entry() == null) {
            return;
        }
        // A setup step (IS-Net from npm) runs here too, so Fiji and ImageJ users need no command line.
        run("Installing " + row.name(), token -> {
            ModelInstaller.InstallReport report = store.pull(row.name(), null, this::showProgress, token);
            List<String> lines = new ArrayList<>(report.warnings());
            lines.add("Installed in " + report.folder());
            lines.addAll(report.checks());
            return String.join("\n", lines);
        });
    }

    private void verifySelected() {
        ModelStore.Row row = selected();
        if (row == null || row.installed() == null) {
            return;
        }
        run("Verifying " + row.name(), token -> {
            ModelStore.Verification result = store.verify(row.name(), this::showProgress, token);
            List<String> lines = new ArrayList<>();
            lines.add((result.ok() ? "OK: " : "FAILED: ") + result.name() + ", " + result.filesChecked()
                    + " files checked");
            result.failures().forEach(f -> lines.add("FAILED: " + f));
            result.notes().forEach(n -> lines.add("note: " + n));
            return String.join("\n", lines);
        });
    }

    private void removeSelected() {
        ModelStore.Row row = selected();
        if (row == null) {
            return;
        }
        String what = "local".equals(row.status()) ? "Unregister " + row.name() + " (its folder stays)?"
                : "Delete " + row.name() + " from " + row.location() + "?";
        if (JOptionPane.showConfirmDialog(this, what, "Remove model", JOptionPane.OK_CANCEL_OPTION)
                != JOptionPane.OK_OPTION) {
            return;
        }
        run("Removing " + row.name(), token -> store.remove(row.name()));
    }

    private void revealSelected() {
        ModelStore.Row row = selected();
        if (row == null || row.installed() == null) {
            return;
        }
        Path path = row.installed().folder();
        try {
            if (Desktop.isDesktopSupported() && Desktop.getDesktop().isSupported(Desktop.Action.OPEN)) {
                Desktop.getDesktop().open(path.toFile());
            } else {
                IJ.showMessage("Models", row.name() + " is in\n" + path);
            }
        } catch (IOException | UnsupportedOperationException e) {
            IJ.showMessage("Models", row.name() + " is in\n" + path);
        }
    }

    private void addFolder() {
        JFileChooser chooser = new JFileChooser();
        chooser.setFileSelectionMode(JFileChooser.FILES_AND_DIRECTORIES);
        chooser.setDialogTitle("Add a model folder or .zip archive");
        if (chooser.showOpenDialog(this) != JFileChooser.APPROVE_OPTION) {
            return;
        }
        Path chosen = chooser.getSelectedFile().toPath();
        String suggested = chosen.getFileName().toString().replaceAll("(?i)\\.zip$", "")
                .replaceAll("[^A-Za-z0-9._-]", "-");
        String name = JOptionPane.showInputDialog(this, "Model name:", suggested);
        if (name == null || name.isBlank()) {
            return;
        }
        run("Adding " + name, token -> {
            ModelStore.Installed added = store.add(chosen, name.trim());
            return "Added " + added.name() + " (" + added.folder() + ")";
        });
    }

    private void chooseUserFolder() {
        JFileChooser chooser = new JFileChooser(store == null ? null : store.directories().user().toFile());
        chooser.setFileSelectionMode(JFileChooser.DIRECTORIES_ONLY);
        chooser.setDialogTitle("Folder for downloaded models");
        if (chooser.showOpenDialog(this) == JFileChooser.APPROVE_OPTION) {
            Prefs.set(PREF_USER_DIR, chooser.getSelectedFile().getAbsolutePath());
            Prefs.savePreferences();
            reload();
        }
    }

    private void showProgress(DownloadProgress report) {
        SwingUtilities.invokeLater(() -> {
            double fraction = report.fraction();
            progress.setIndeterminate(fraction < 0);
            progress.setValue(fraction < 0 ? 0 : (int) Math.round(fraction * 1000));
            progress.setString(report.describe());
        });
    }

    /** Work for the background thread; returns a report for the user. */
    private interface Work {
        String run(CancellationToken token) throws Exception;
    }

    private void run(String title, Work work) {
        CancellationToken token = GenAiCommand.escapeCancels();
        running = token;
        cancel.setEnabled(true);
        status.setText(title + "… (Esc cancels)");
        progress.setValue(0);
        progress.setString(title);
        showDetails();
        new SwingWorker<String, Void>() {
            @Override
            protected String doInBackground() throws Exception {
                return work.run(token);
            }

            @Override
            protected void done() {
                running = null;
                cancel.setEnabled(false);
                progress.setIndeterminate(false);
                try {
                    String report = get();
                    boolean failed = report.startsWith("FAILED");
                    status.setText(title + (failed ? ": FAILED (see below and the Log)" : ": done"));
                    progress.setString(failed ? "FAILED" : "done");
                    IJ.log(report);
                    lastReport = report;
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof CancelledException) {
                        status.setText(title + ": cancelled (run it again to resume)");
                        progress.setString("cancelled");
                        lastReport = title + ": cancelled";
                    } else {
                        status.setText(title + ": failed");
                        progress.setString("failed");
                        lastReport = title + " failed: " + cause.getMessage();
                        fail(title + " failed", cause);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                reload();
            }
        }.execute();
    }

    private void cancelRunning() {
        CancellationToken token = running;
        if (token != null) {
            token.cancel();
            status.setText("Cancelling…");
        }
    }

    private void fail(String title, Throwable error) {
        GenAiCommand.reportError("Models: " + title, error);
    }

    /** The table's rows. */
    private static final class RowsModel extends AbstractTableModel {
        private static final long serialVersionUID = 1L;
        private static final String[] COLUMNS = {"Name", "Task", "Size", "Licence", "Status", "Format"};
        private transient List<ModelStore.Row> rows = new ArrayList<>();

        void set(List<ModelStore.Row> list) {
            rows = new ArrayList<>(list);
            fireTableDataChanged();
        }

        ModelStore.Row get(int index) {
            return rows.get(index);
        }

        @Override
        public int getRowCount() {
            return rows.size();
        }

        @Override
        public int getColumnCount() {
            return COLUMNS.length;
        }

        @Override
        public String getColumnName(int column) {
            return COLUMNS[column];
        }

        @Override
        public Object getValueAt(int index, int column) {
            ModelStore.Row row = rows.get(index);
            return switch (column) {
                case 0 -> row.name();
                case 1 -> row.task().id();
                case 2 -> row.size() == null ? "?" : DownloadProgress.bytes(row.size());
                case 3 -> row.licence().displayName();
                case 4 -> row.status();
                default -> row.format();
            };
        }
    }
}
