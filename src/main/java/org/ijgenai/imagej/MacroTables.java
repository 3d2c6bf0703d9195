package org.ijgenai.imagej;

import java.awt.GraphicsEnvironment;

import ij.Macro;
import ij.measure.ResultsTable;
import ij.plugin.filter.Analyzer;

/** Shows the commands' results tables so that macros reach them too, with or without a display. */
final class MacroTables {

    private MacroTables() {}

    /**
     * Shows a results table in its own window ({@code title}) and, in a macro, also makes it ImageJ's Results
     * table, because a headless macro can reach no table by its title but can always read {@code nResults},
     * {@code getResult} and {@code getResultString}.
     */
    static void publish(ResultsTable table, String title) {
        if (Macro.getOptions() != null || GraphicsEnvironment.isHeadless()) {
            Analyzer.setResultsTable(table);
        }
        if (!GraphicsEnvironment.isHeadless()) {
            table.show(title);
        }
    }
}
