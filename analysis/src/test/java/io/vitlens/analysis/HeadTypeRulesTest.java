package io.vitlens.analysis;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HeadTypeRulesTest {

    private final HeadTypeRules rules = HeadTypeRules.defaults();
    private static final double UNIFORM = 20.0;
    private static final int T = 65;

    @Test
    void rulesApplyInTheStatedOrder() {
        // right neighbour: local mass 1 too, but the row rule comes first
        assertEquals("horizontal", rules.classify(1, 1, 0, 0, 4, 0, 1, UNIFORM, T));
        assertEquals("vertical", rules.classify(1, 0, 1, 0, 4, 0, 1, UNIFORM, T));
        // attention on itself only: row = column = local = 1 -> neither axis dominates -> local
        assertEquals("local", rules.classify(1, 1, 1, 0, 0, 0, 1, UNIFORM, T));
        assertEquals("global", rules.classify(0.1, 0.12, 0.12, 0.015, UNIFORM, Math.log(T), Double.NaN, UNIFORM, T));
        assertEquals("content", rules.classify(0.1, 0.1, 0.1, 0.05, UNIFORM, 1.0, 0.1, UNIFORM, T));
        assertEquals("mixed", rules.classify(0.3, 0.3, 0.2, 0.1, 10, 2.0, 0.6, UNIFORM, T));
        assertEquals("cls", rules.classify(0.1, 0.1, 0.1, 0.8, 10, 1.0, 0.9, UNIFORM, T));
    }

    @Test
    void rulesAreStatedForTheJson() {
        assertEquals(HeadTypeRules.ORDER, rules.order());
        assertEquals(rules.order().size(), rules.rules().size());
        assertTrue(rules.rules().get(1).contains("rowMass >= 0.5"), rules.rules().get(1));
    }
}
