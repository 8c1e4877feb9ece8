package io.vitlens.analysis;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Which checkpoints' attention maps the interactive page keeps under its size budget. */
class AtlasBudgetTest {

    @Test
    void everyCheckpointWhileTheyFitThenAnEvenSpreadWithFirstAndLast() {
        long budget = Analyzer.ATLAS_VALUE_BUDGET;
        // quickstart: 4 layers x 4 heads x 64^2 = 65,536 values per checkpoint, 11 checkpoints
        assertEquals(Set.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10), Analyzer.atlasCheckpoints(11, 65_536));
        // three fit: first, middle, last
        assertEquals(Set.of(0, 5, 10), Analyzer.atlasCheckpoints(11, budget / 3));
        // not even one fits: the last (trained) checkpoint alone
        assertEquals(Set.of(10), Analyzer.atlasCheckpoints(11, budget + 1));
        assertEquals(Set.of(0), Analyzer.atlasCheckpoints(1, 10));
    }
}
