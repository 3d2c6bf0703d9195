package org.ijgenai.spark;

/** ImageJ's image classes must not look for a display on an executor. */
final class Headless {

    private Headless() {}

    /** Sets {@code java.awt.headless} unless the JVM was started with a choice. */
    static void ensure() {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }
}
