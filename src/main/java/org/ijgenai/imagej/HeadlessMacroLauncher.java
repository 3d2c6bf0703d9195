package org.ijgenai.imagej;

import java.awt.GraphicsEnvironment;

import net.imagej.patcher.LegacyInjector;
import org.ijgenai.core.Offline;

/**
 * The entry point of {@code bin/ij-genai macro FILE.ijm [ARGS]}: runs an ImageJ macro with no display, through
 * ij1-patcher's headless ImageJ, and exits with 0 when the macro finished and 1 when it failed.
 *
 * <p>This class must not touch any {@code ij.*} class: ij1-patcher rewrites ImageJ's classes as they load, so
 * {@link LegacyInjector#preinit()} has to run before the first of them is loaded. {@link MacroFileRunner} holds
 * the ImageJ side.
 */
public final class HeadlessMacroLauncher {

    static {
        // Before any DJL class can load (a macro may run any of our commands).
        Offline.ensure();
    }

    private HeadlessMacroLauncher() {}

    private static final String USAGE = "usage: ij-genai macro FILE.ijm [ARGUMENT...]";

    /** Runs {@code args[0]} as a macro file with the remaining words, joined by spaces, as its argument. */
    public static void main(String[] args) {
        if (args.length == 0) {
            System.err.println(USAGE);
            System.exit(2);
        }
        if (args[0].equals("--help") || args[0].equals("-h")) {
            System.out.println(USAGE);
            System.out.println();
            System.out.println("  FILE.ijm             the macro to run with no display (java.awt.headless=true)");
            System.out.println("  ARGUMENT...          the words, joined by spaces, are the macro's getArgument()"
                    + " (default: empty)");
            System.out.println("Exit code 0 when the macro ran to its end, 1 when it stopped on an error, 2 for"
                    + " a usage error.");
            System.exit(0);
        }
        // Headless whatever the environment says: the patcher decides what to patch from this property.
        System.setProperty("java.awt.headless", "true");
        if (!GraphicsEnvironment.isHeadless()) {
            System.err.println("ij-genai macro: could not switch the JVM to headless mode");
            System.exit(1);
        }
        LegacyInjector.preinit();
        String argument = String.join(" ", java.util.Arrays.asList(args).subList(1, args.length));
        System.exit(MacroFileRunner.run(args[0], argument, System.err));
    }
}
