package org.ijgenai.imagej;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.ijgenai.core.diffusion.GenerationRequest;
import org.ijgenai.core.diffusion.GridRun;
import org.ijgenai.core.diffusion.ParameterGrid;
import org.junit.jupiter.api.Test;

import ij.ImagePlus;
import ij.ImageStack;
import ij.measure.ResultsTable;
import ij.process.ColorProcessor;

/**
 * {@link GridImages} on a 3×2×2 grid of flat-coloured cells: one hyperstack dimension per axis with each cell's
 * label and pixels in its place, the montage's layout, the table's columns and the grid's parameters.
 */
class GridImagesTest {

    private static final GenerationRequest BASE = new GenerationRequest(List.of("a red circle"), "blurry", 1, 4,
            7.5, "ddim", 16, 8, 1, 0.75);

    private final ParameterGrid grid = new ParameterGrid(List.of(ParameterGrid.Axis.parse("seed=1,2,3"),
            ParameterGrid.Axis.parse("cfg=3,7.5"), ParameterGrid.Axis.parse("prompt_sr=red,blue")));

    /** Cell i is filled with the colour i + 1, so every pixel says which cell it came from. */
    private final List<GridRun.Cell> cells = cells();

    private List<GridRun.Cell> cells() {
        List<GridRun.Cell> made = new ArrayList<>();
        for (int cell = 0; cell < grid.cells(); cell++) {
            int[] rgb = new int[16 * 8];
            Arrays.fill(rgb, cell + 1);
            GenerationRequest r = grid.request(BASE, cell);
            made.add(new GridRun.Cell(cell, grid.index(cell), grid.label(cell), r, rgb, 16, 8, r.describe(false),
                    0.5));
        }
        return made;
    }

    @Test
    void theHyperstackHasOneDimensionPerAxisWithEachCellInItsPlace() {
        ImageStack stack = GridImages.cellStack(cells);
        ImagePlus hyper = GridImages.hyperstack(grid, stack, "grid", Map.of("prompt", "x"));
        assertEquals(3, hyper.getNSlices());
        assertEquals(2, hyper.getNFrames());
        assertEquals(2, hyper.getNChannels());
        for (int z = 0; z < 2; z++) {
            for (int y = 0; y < 2; y++) {
                for (int x = 0; x < 3; x++) {
                    int cell = x + 3 * (y + 2 * z);
                    int index = hyper.getStackIndex(z + 1, x + 1, y + 1);
                    assertEquals(grid.label(cell), hyper.getStack().getSliceLabel(index));
                    assertEquals(cell + 1, hyper.getStack().getProcessor(index).get(5, 5) & 0xFFFFFF);
                }
            }
        }
        assertEquals("Seed: 3 · CFG scale: 7.5 · blue", hyper.getStack().getSliceLabel(12));
        assertEquals("x", hyper.getProp("sd.prompt"));
    }

    @Test
    void theMontageHasColumnHeadersRowHeadersAndOneBlockPerZValue() {
        ColorProcessor m = GridImages.montage(grid, GridImages.cellStack(cells));
        // Two blocks of (row labels 140 + 3 × 16) with an 8-pixel gap; two header rows of 24 above 2 × 8.
        assertEquals(2 * (140 + 3 * 16) + 8, m.getWidth());
        assertEquals(2 * 24 + 2 * 8, m.getHeight());
        // The cell (x=1, y=1, z=1) sits in the second block, second column, second row.
        assertEquals(1 + 1 + 3 * (1 + 2), m.get(140 + 3 * 16 + 8 + 140 + 16 + 3, 48 + 8 + 3) & 0xFFFFFF);
        assertEquals(1, m.get(140 + 2, 48 + 2) & 0xFFFFFF);
    }

    @Test
    void theTableListsEveryCellsValuesAndTime() {
        ResultsTable rt = GridImages.table(new GridRun.Result(grid, GridRun.Mode.TXT2IMG, cells, Map.of()));
        assertEquals(12, rt.size());
        for (String column : GridImages.COLUMNS) {
            assertFalse(rt.getColumnIndex(column) == ResultsTable.COLUMN_NOT_FOUND, column);
        }
        assertEquals("a blue circle", rt.getStringValue("prompt", 11));
        assertEquals(3, rt.getValue("seed", 11));
        assertEquals(7.5, rt.getValue("guidance", 11));
        assertEquals(3, rt.getValue("x", 11));
        assertEquals(2, rt.getValue("z", 11));
        assertEquals("ddim", rt.getStringValue("scheduler", 0));
        assertEquals("Original", rt.getStringValue("emphasis", 0));
        assertEquals("Seed: 1 · CFG scale: 3 · red", rt.getStringValue("label", 0));
        assertEquals(Double.NaN, rt.getValue("strength", 0), "txt2img has no strength");
        assertEquals(0.75, GridImages.table(new GridRun.Result(grid, GridRun.Mode.IMG2IMG, cells, Map.of()))
                .getValue("strength", 0));
    }

    @Test
    void theGridsParametersNameTheAxesInsteadOfTheValuesTheyVary() {
        Map<String, String> p = grid.describe(cells.get(0).parameters());
        assertEquals("seed=1,2,3", p.get("grid_x"));
        assertEquals("guidance=3,7.5", p.get("grid_y"));
        assertEquals("prompt_sr=red,blue", p.get("grid_z"));
        assertFalse(p.containsKey("seed") || p.containsKey("guidance") || p.containsKey("prompt"));
        assertEquals("4", p.get("steps"));
    }
}
