package org.ijgenai.core.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.ijgenai.core.progress.CancellationToken;
import org.ijgenai.core.progress.CancelledException;
import org.junit.jupiter.api.Test;

/** {@link ParameterGrid#run}: cell order, labels, one random seed for the whole grid, cancelling between cells. */
class ParameterGridRunTest {

    private static final GenerationRequest BASE = new GenerationRequest(List.of("a red circle"), null, -1, 5, 7.5,
            null, 64, 64, 1, 0.75);

    @Test
    void cellsRunInOrderXFastestWithTheirLabelsAndOneDrawnSeed() {
        ParameterGrid grid = new ParameterGrid(List.of(ParameterGrid.Axis.parse("cfg=3,7.5"),
                ParameterGrid.Axis.parse("prompt_sr=red,blue,green")));
        List<String> ran = new ArrayList<>();
        List<ParameterGrid.Cell<String>> cells = grid.run(BASE, (cell, r) -> {
            ran.add(cell + ":" + r.prompts().get(0) + "@" + r.guidance());
            return "result " + cell;
        }, CancellationToken.NONE);
        assertEquals(List.of("0:a red circle@3.0", "1:a red circle@7.5", "2:a blue circle@3.0",
                "3:a blue circle@7.5", "4:a green circle@3.0", "5:a green circle@7.5"), ran);
        assertEquals("CFG scale: 7.5 · green", cells.get(5).label());
        assertEquals("result 3", cells.get(3).result());
        long seed = cells.get(0).request().seed();
        assertTrue(seed >= 0, "the random seed is drawn, was " + seed);
        for (ParameterGrid.Cell<String> cell : cells) {
            assertEquals(seed, cell.request().seed(), "every cell has the one drawn seed");
            assertEquals(5, cell.request().steps());
            assertTrue(cell.seconds() >= 0);
        }
    }

    @Test
    void aSeedAxisOverridesTheBaseSeedAndTheEmphasisIsKept() {
        ParameterGrid grid = new ParameterGrid(List.of(ParameterGrid.Axis.parse("seed=4,9"),
                ParameterGrid.Axis.parse("steps=2,3")));
        GenerationRequest base = BASE.withEmphasis(org.ijgenai.core.text.Emphasis.COMFY);
        List<ParameterGrid.Cell<Void>> cells = grid.run(base, (cell, r) -> null, CancellationToken.NONE);
        assertEquals(9, cells.get(3).request().seed());
        assertEquals(3, cells.get(3).request().steps());
        assertEquals(org.ijgenai.core.text.Emphasis.COMFY, cells.get(2).request().emphasis());
        assertEquals(base.withSeed(9), new ParameterGrid(List.of(ParameterGrid.Axis.parse(
                "seed=9"))).request(base, 0));
        assertTrue(grid.varies(ParameterGrid.Kind.STEPS));
        assertTrue(!grid.varies(ParameterGrid.Kind.STRENGTH));
    }

    @Test
    void cancellingStopsBeforeTheNextCell() {
        ParameterGrid grid = new ParameterGrid(List.of(ParameterGrid.Axis.parse("seed=1,2,3")));
        CancellationToken token = new CancellationToken();
        List<Integer> ran = new ArrayList<>();
        assertThrows(CancelledException.class, () -> grid.run(BASE, (cell, r) -> {
            ran.add(cell);
            token.cancel();
            return cell;
        }, token));
        assertEquals(List.of(0), ran);
    }
}
