package org.ijgenai.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.ijgenai.core.catalog.DownloadProgress;
import org.ijgenai.core.catalog.DownloadSettings;
import org.ijgenai.core.catalog.ModelDirectories;
import org.ijgenai.core.catalog.ModelInstaller;
import org.ijgenai.core.catalog.ModelStore;
import org.ijgenai.core.progress.CancellationToken;

/**
 * {@code ij-genai models <action>}: list, pull, verify, add, remove and show the folders of models. Actions are a
 * map from word to {@link Action}, so another feature adds one with one line in
 * {@link #actions()}.
 */
public final class ModelsCommand implements Subcommand, Main.FlagAware {

    /** One {@code models} action. */
    public interface Action {

        /** A one-line synopsis, e.g. {@code pull NAME [--dir DIR]}. */
        String usage();

        /**
         * Runs the action.
         *
         * @param words the positional words after the action word
         */
        int run(ModelStore store, List<String> words, CliArgs args, PrintStream out, PrintStream err);
    }

    private final PrintStream out;
    private final PrintStream err;

    /** A command that prints to the process's standard streams as they are when it runs. */
    public ModelsCommand() {
        this(null, null);
    }

    /** A command that prints to the given streams, for tests. */
    public ModelsCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** The registered actions, in the order {@code help} shows them. */
    static Map<String, Action> actions() {
        Map<String, Action> map = new LinkedHashMap<>();
        map.put("list", new ListAction());
        map.put("pull", new PullAction());
        map.put("verify", new VerifyAction());
        map.put("add", new AddAction());
        map.put("remove", new RemoveAction());
        map.put("sizes", new SizesAction());
        map.put("dirs", new DirsAction());
        // Other features add their actions here with one line each.
        return map;
    }

    @Override
    public String name() {
        return "models";
    }

    @Override
    public String help() {
        return String.join("\n",
                "  --json               models list: machine-readable output",
                "  --dir DIR            models pull: install into DIR (default: the user's models folder)",
                "  --offline            never touch the network (a pull then only uses what is cached)",
                "  --name NAME          models add: the name to register the model under (required there)") + "\n";
    }

    @Override
    public String usage() {
        List<String> lines = new ArrayList<>();
        for (Action action : actions().values()) {
            lines.add("models " + action.usage());
        }
        return String.join("\n  ", lines);
    }

    @Override
    public Set<String> flags() {
        return Set.of("offline", "json");
    }

    @Override
    public int run(CliArgs args) {
        List<String> words = args.positional();
        if (words.isEmpty()) {
            throw new UsageException("say what to do: " + String.join(", ", actions().keySet()));
        }
        Action action = actions().get(words.get(0));
        if (action == null) {
            throw new UsageException("unknown action '" + words.get(0) + "'; expected one of "
                    + String.join(", ", actions().keySet()));
        }
        DownloadSettings settings = DownloadSettings.defaults();
        if (args.flag("offline")) {
            settings = settings.withOffline(true);
        }
        ModelStore store = new ModelStore(ModelDirectories.discover(null), settings);
        PrintStream warnings = err != null ? err : System.err;
        for (String problem : store.catalog().problems()) {
            warnings.println("ij-genai models: warning: " + problem);
        }
        return action.run(store, words.subList(1, words.size()), args, out != null ? out : System.out,
                err != null ? err : System.err);
    }

    private static String one(List<String> words, String what) {
        if (words.size() != 1) {
            throw new UsageException("expected exactly one " + what + ", got " + words.size());
        }
        return words.get(0);
    }

    /** {@code models list}: a table of installed and catalogue models. */
    static final class ListAction implements Action {
        @Override
        public String usage() {
            return "list [--json]";
        }

        @Override
        public int run(ModelStore store, List<String> words, CliArgs args, PrintStream out, PrintStream err) {
            boolean json = args.flag("json");
            args.rejectUnknown();
            if (!words.isEmpty()) {
                throw new UsageException("list takes no arguments");
            }
            List<ModelStore.Row> rows = store.list();
            if (json) {
                out.println(toJson(store, rows));
                return 0;
            }
            String format = "%-34s %-14s %-21s %10s  %-17s %s%n";
            out.printf(Locale.ROOT, format, "NAME", "TASK", "FORMAT", "SIZE", "STATUS", "LICENCE");
            for (ModelStore.Row row : rows) {
                out.printf(Locale.ROOT, format, row.name(), row.task().id(), row.format().isEmpty() ? "-"
                        : row.format(), row.size() == null ? "?" : DownloadProgress.bytes(row.size()), row.status(),
                        row.licence().displayName());
            }
            out.println();
            out.println("bundled models: " + (store.directories().bundled() == null ? "(none found)"
                    : store.directories().bundled()));
            out.println("user models:    " + store.directories().user());
            return 0;
        }
    }

    /** The model table as JSON, for scripts. */
    static String toJson(ModelStore store, List<ModelStore.Row> rows) {
        com.google.gson.JsonObject root = new com.google.gson.JsonObject();
        root.addProperty("bundled", store.directories().bundled() == null ? null
                : store.directories().bundled().toString());
        root.addProperty("user", store.directories().user().toString());
        com.google.gson.JsonArray models = new com.google.gson.JsonArray();
        for (ModelStore.Row row : rows) {
            com.google.gson.JsonObject model = new com.google.gson.JsonObject();
            model.addProperty("name", row.name());
            model.addProperty("task", row.task().id());
            model.addProperty("format", row.format());
            model.addProperty("size", row.size());
            model.addProperty("status", row.status());
            model.addProperty("licence", row.licence().name());
            model.addProperty("licenceUrl", row.licence().url());
            model.addProperty("location", row.location());
            model.addProperty("usedBy", row.task().usedBy());
            models.add(model);
        }
        root.add("models", models);
        return new com.google.gson.GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeNulls().create()
                .toJson(root);
    }

    /** {@code models pull NAME [--dir DIR]}: download and install a catalogue model. */
    static final class PullAction implements Action {
        @Override
        public String usage() {
            return "pull NAME [--dir DIR] [--offline]";
        }

        @Override
        public int run(ModelStore store, List<String> words, CliArgs args, PrintStream out, PrintStream err) {
            Path dir = args.getPath("dir");
            args.rejectUnknown();
            String name = one(words, "model name");
            long[] lastLine = {0};
            ModelInstaller.InstallReport report = store.pull(name, dir, progress -> {
                long now = System.nanoTime();
                if (now - lastLine[0] > 1_000_000_000L) {
                    lastLine[0] = now;
                    err.println("  " + progress.describe());
                }
            }, new CancellationToken());
            for (String warning : report.warnings()) {
                err.println("warning: " + warning);
            }
            out.println("installed " + report.name() + " in " + report.folder() + " ("
                    + DownloadProgress.bytes(report.manifest().totalSize()) + ", " + report.layout().summary() + ")");
            for (String line : report.checks()) {
                out.println("  " + line);
            }
            return 0;
        }
    }

    /** {@code models verify NAME|DIR}: recompute every checksum against the manifest. */
    static final class VerifyAction implements Action {
        @Override
        public String usage() {
            return "verify NAME|DIR";
        }

        @Override
        public int run(ModelStore store, List<String> words, CliArgs args, PrintStream out, PrintStream err) {
            args.rejectUnknown();
            ModelStore.Verification result = store.verify(one(words, "model name or folder"), p -> { },
                    new CancellationToken());
            for (String note : result.notes()) {
                out.println("note: " + note);
            }
            for (String failure : result.failures()) {
                out.println("FAILED: " + failure);
            }
            if (result.ok()) {
                out.println("OK: " + result.name() + " — " + result.filesChecked() + " files, "
                        + DownloadProgress.bytes(result.bytesChecked()) + " match the manifest (" + result.folder()
                        + ")");
                return 0;
            }
            out.println("FAILED: " + result.name() + " (" + result.folder() + "): " + result.failures().size()
                    + " problem(s)");
            return 1;
        }
    }

    /** {@code models add DIR|ZIP --name NAME}: register or unpack a local model and record its manifest. */
    static final class AddAction implements Action {
        @Override
        public String usage() {
            return "add DIR|ARCHIVE.zip --name NAME";
        }

        @Override
        public int run(ModelStore store, List<String> words, CliArgs args, PrintStream out, PrintStream err) {
            String name = args.require("name");
            args.rejectUnknown();
            ModelStore.Installed model = store.add(Path.of(one(words, "folder or archive")), name);
            out.println("added " + model.name() + " (" + model.folder() + "); manifest " + model.manifestFile());
            return 0;
        }
    }

    /** {@code models remove NAME}: uninstall a downloaded model or unregister a local one. */
    static final class RemoveAction implements Action {
        @Override
        public String usage() {
            return "remove NAME";
        }

        @Override
        public int run(ModelStore store, List<String> words, CliArgs args, PrintStream out, PrintStream err) {
            args.rejectUnknown();
            out.println(store.remove(one(words, "model name")));
            return 0;
        }
    }

    /** {@code models dirs}: where models are looked for and downloaded to. */
    /** {@code models sizes}: asks the hub for the download sizes the catalogue does not record. */
    static final class SizesAction implements Action {
        @Override
        public String usage() {
            return "sizes   (asks the hub for the download sizes the catalogue lacks; `models list` then shows them)";
        }

        @Override
        public int run(ModelStore store, List<String> words, CliArgs args, PrintStream out, PrintStream err) {
            args.rejectUnknown();
            if (!words.isEmpty()) {
                throw new UsageException("models sizes takes no names; it looks up every model it can");
            }
            List<String> lines = store.lookUpSizes(new CancellationToken());
            lines.forEach(out::println);
            return lines.stream().anyMatch(l -> l.contains("size unknown")) ? 1 : 0;
        }
    }

    static final class DirsAction implements Action {
        @Override
        public String usage() {
            return "dirs";
        }

        @Override
        public int run(ModelStore store, List<String> words, CliArgs args, PrintStream out, PrintStream err) {
            args.rejectUnknown();
            out.println("bundled: " + (store.directories().bundled() == null ? "(none found)"
                    : store.directories().bundled()));
            out.println("user:    " + store.directories().user() + "  (set with -Dijgenai.models=DIR or $"
                    + ModelDirectories.USER_DIR_ENV + ")");
            out.println("hub:     " + store.settings().hubUrl() + (store.settings().offline() ? "  (offline)" : ""));
            out.println("token:   " + store.settings().token().map(t -> "found in " + t.origin()).orElse("none"));
            return 0;
        }
    }
}
