package io.vitlens.core.model.kernels;

import io.vitlens.core.ViTConfig;
import io.vitlens.core.model.TestModels;
import io.vitlens.core.model.ViTGraph;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;

import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PhaseTimerTest {

    @AfterEach
    void off() {
        PhaseTimer.enable(false);
    }

    @Test
    void offByDefaultAndThenFree() {
        PhaseTimer.enable(false);
        long t = PhaseTimer.start();
        assertEquals(0L, t);
        assertEquals(0L, PhaseTimer.stop("x", t));
    }

    @Test
    void accumulatesPerPhaseAndKeepsTotalsAfterSwitchingOff() throws InterruptedException {
        PhaseTimer.enable(true);
        long t = PhaseTimer.start();
        Thread.sleep(5);
        t = PhaseTimer.stop("a", t);
        Thread.sleep(5);
        PhaseTimer.stop("b", t);
        PhaseTimer.stop("a", PhaseTimer.start());
        PhaseTimer.enable(false);
        Map<String, Long> totals = PhaseTimer.totals();
        assertEquals(Set.of("a", "b"), totals.keySet());
        assertTrue(totals.get("a") >= 5_000_000L && totals.get("b") >= 5_000_000L, totals.toString());
        PhaseTimer.enable(true);   // switching on starts afresh
        assertTrue(PhaseTimer.totals().isEmpty());
    }

    @Test
    void aTrainingStepReportsEveryLayerPhaseWithinItsWallTime() {
        ViTConfig cfg = TestModels.tiny();
        ComputationGraph g = ViTGraph.create(cfg, TestModels.floats(1));
        DataSet ds = new DataSet(TestModels.images(cfg, 4, 2, DataType.FLOAT), TestModels.labels(cfg, 4, 3, DataType.FLOAT));
        g.fit(ds);
        PhaseTimer.enable(true);
        long t0 = System.nanoTime();
        g.fit(ds);
        long wall = System.nanoTime() - t0;
        PhaseTimer.enable(false);
        Map<String, Long> totals = PhaseTimer.totals();
        for (String phase : new String[]{"fwd linear products (+ bias, residual)", "bwd input grads",
                "bwd weight + bias grads", "fwd layernorm", "bwd layernorm", "fwd fc1 product + gelu", "bwd gelu",
                "fwd patch embedding", "bwd patch embedding", "fwd final norm + pool", "bwd final norm + pool"})
            assertTrue(totals.containsKey(phase), phase + " missing from " + totals.keySet());
        // heads of d = 4 take the vector attention only where a vector has 4 lanes
        for (String dir : new String[]{"fwd ", "bwd "})
            assertTrue(totals.containsKey(dir + "attention products + softmax (fused)")
                            || totals.containsKey(dir + "attention products") && totals.containsKey(dir + "softmax"),
                    dir + "attention phases missing from " + totals.keySet());
        long sum = totals.values().stream().mapToLong(Long::longValue).sum();
        assertTrue(sum <= wall, "phases " + sum + " ns > step " + wall + " ns");
    }
}
