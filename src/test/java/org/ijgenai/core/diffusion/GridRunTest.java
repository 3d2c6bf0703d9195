package org.ijgenai.core.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.progress.CancellationToken;
import org.ijgenai.core.progress.CancelledException;
import org.ijgenai.core.text.Emphasis;
import org.junit.jupiter.api.Test;

/**
 * {@link GridRun} on the bundled shapes-sd and {@link ParameterGrid}'s cell requests: cell order (X fastest),
 * labels, one random seed for the whole grid, the axis values over the base request, cancelling between cells.
 */
class GridRunTest {

    private static final String MODEL = "models/shapes-sd";
    private static final GenerationRequest BASE = new GenerationRequest(List.of("a red circle"), null, -1, 1, 7.5,
            "ddim", 64, 64, 1, 0.75);

    @Test
    void cellsRunInOrderXFastestWithTheirLabelsAndOneDrawnSeed() {
        ParameterGrid grid = new ParameterGrid(List.of(ParameterGrid.Axis.parse("cfg=3,7.5"),
                ParameterGrid.Axis.parse("prompt_sr=red,blue,green")));
        List<String> ran = new ArrayList<>();
        GridRun.Result result = new GridRun().setModel(MODEL).setRequest(BASE).setGrid(grid)
                .optCellListener(c -> ran.add(c.index() + ":" + c.request().prompts().get(0) + "@"
                        + c.request().guidance()))
                .run();
        assertEquals(List.of("0:a red circle@3.0", "1:a red circle@7.5", "2:a blue circle@3.0",
                "3:a blue circle@7.5", "4:a green circle@3.0", "5:a green circle@7.5"), ran);
        assertEquals(GridRun.Mode.TXT2IMG, result.mode());
        GridRun.Cell last = result.cells().get(5);
        assertEquals("CFG scale: 7.5 · green", last.label());
        assertEquals(List.of(1, 2, 0), List.of(last.at()[0], last.at()[1], last.at()[2]));
        long seed = result.cells().get(0).request().seed();
        assertTrue(seed >= 0, "the random seed is drawn, was " + seed);
        for (GridRun.Cell cell : result.cells()) {
            assertEquals(seed, cell.request().seed(), "every cell has the one drawn seed");
            assertEquals(1, cell.request().steps());
            assertEquals(64 * 64, cell.rgb().length);
            assertTrue(cell.seconds() > 0);
        }
        assertEquals("guidance=3,7.5", result.parameters().get("grid_x"));
        assertEquals("txt2img", result.parameters().get("grid_mode"));
    }

    @Test
    void aSeedAxisOverridesTheBaseSeedAndTheEmphasisIsKept() {
        ParameterGrid grid = new ParameterGrid(List.of(ParameterGrid.Axis.parse("seed=4,9"),
                ParameterGrid.Axis.parse("steps=2,3")));
        GenerationRequest base = BASE.withEmphasis(Emphasis.COMFY);
        assertEquals(9, grid.request(base, 3).seed());
        assertEquals(3, grid.request(base, 3).steps());
        assertEquals(Emphasis.COMFY, grid.request(base, 2).emphasis());
        assertEquals(base.withSeed(9), new ParameterGrid(List.of(ParameterGrid.Axis.parse("seed=9")))
                .request(base, 0));
        assertTrue(grid.varies(ParameterGrid.Kind.STEPS));
        assertTrue(!grid.varies(ParameterGrid.Kind.STRENGTH));
    }

    @Test
    void aStrengthAxisWithoutAnInitImageIsRefusedBeforeAnyCell() {
        GridRun run = new GridRun().setModel(MODEL).setRequest(BASE)
                .setGrid(new ParameterGrid(List.of(ParameterGrid.Axis.parse("strength=0.5,0.7"))));
        GenAiException e = assertThrows(GenAiException.class, run::run);
        assertTrue(e.getMessage().contains("the strength axis needs an init image"), e.getMessage());
    }

    @Test
    void cancellingStopsBeforeTheNextCell() {
        CancellationToken token = new CancellationToken();
        List<Integer> ran = new ArrayList<>();
        GridRun run = new GridRun().setModel(MODEL).setRequest(BASE)
                .setGrid(new ParameterGrid(List.of(ParameterGrid.Axis.parse("seed=1,2,3")))).optCancel(token)
                .optCellListener(c -> {
                    ran.add(c.index());
                    token.cancel();
                });
        assertThrows(CancelledException.class, run::run);
        assertEquals(List.of(0), ran);
    }
}
