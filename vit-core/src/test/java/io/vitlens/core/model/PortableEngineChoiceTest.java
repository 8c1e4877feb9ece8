package io.vitlens.core.model;

import io.vitlens.core.ViTConfig;
import io.vitlens.core.model.layers.Engine;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.File;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How {@code -Dvitlens.engine} chooses the engine, and that the default on the CPU backend stays the fast one. */
class PortableEngineChoiceTest {

    @Test
    void parsesTheProperty() {
        assertEquals(Engine.FAST, Engine.parse("auto", true));
        assertEquals(Engine.PORTABLE, Engine.parse("auto", false));
        assertEquals(Engine.FAST, Engine.parse(null, true));
        assertEquals(Engine.FAST, Engine.parse(" Fast ", false));
        assertEquals(Engine.PORTABLE, Engine.parse("PORTABLE", true));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Engine.parse("gpu", true));
        assertTrue(e.getMessage().contains("gpu") && e.getMessage().contains("auto, fast, portable"), e.getMessage());
        assertEquals("fast", Engine.FAST.id());
        assertEquals("portable", Engine.PORTABLE.id());
    }

    @Test
    void theDefaultOnTheCpuBackendIsFast() {
        assertNull(System.getProperty(Engine.PROPERTY), "the test JVM sets no engine");
        assertEquals(Engine.FAST, Engine.fromSystemProperty());
        assertEquals(Engine.FAST, Engine.of(ViTGraph.create(TestModels.tiny(), TestModels.floats(1))));
        assertEquals(Engine.PORTABLE, Engine.of(Engines.create(TestModels.tiny(), TestModels.floats(1), Engine.PORTABLE)));
        assertNull(System.getProperty(Engine.PROPERTY), "Engines.with restores the property");
    }

    @Test
    void aRestoredModelRunsOnTheEngineOfTheLoadingJvm(@TempDir File dir) throws Exception {
        ViTConfig cfg = TestModels.tiny();
        ComputationGraph fast = ViTGraph.create(cfg, TestModels.floats(1));
        TestModels.randomize(fast, 2);
        File f = new File(dir, "m.zip");
        ModelSerializer.writeModel(fast, f, true);
        ComputationGraph portable = Engines.with(Engine.PORTABLE, () -> {
            try {
                return ModelSerializer.restoreComputationGraph(f, true);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        assertEquals(Engine.PORTABLE, Engine.of(portable));
        INDArray x = TestModels.images(cfg, 2, 3, DataType.FLOAT);
        double rel = PortableEngineEqualityTest.relative(portable.outputSingle(false, x), fast.outputSingle(false, x));
        assertTrue(rel <= 1e-5, "restored on the portable engine: " + rel);
    }
}
