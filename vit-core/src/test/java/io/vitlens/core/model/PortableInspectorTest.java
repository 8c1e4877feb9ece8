package io.vitlens.core.model;

import io.vitlens.core.PosEmbedding;
import io.vitlens.core.ValueProjection;
import io.vitlens.core.ViTConfig;
import io.vitlens.core.inspect.ForwardTrace;
import io.vitlens.core.model.layers.Engine;
import io.vitlens.core.model.layers.TransformerBlock;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * {@link ViTInspector} on the portable engine reads what it reads on the fast one (in double, to 1e-12):
 * block inputs, attention maps and logits of a trace, per-head queries and keys, and the patch position
 * embeddings of every variant; recording is switched off again afterwards.
 */
class PortableInspectorTest {

    private static DataType previous;

    @BeforeAll
    static void doubles() {
        previous = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    @AfterAll
    static void restore() {
        Nd4j.setDefaultDataTypes(previous, previous);
    }

    private static ComputationGraph[] pair(ViTConfig cfg) {
        ComputationGraph fast = Engines.create(cfg, TestModels.doubles(1), Engine.FAST);
        ComputationGraph portable = Engines.create(cfg, TestModels.doubles(1), Engine.PORTABLE);
        TestModels.randomize(fast, 2);
        portable.setParams(fast.params().dup());
        return new ComputationGraph[]{fast, portable};
    }

    private static void close(INDArray expected, INDArray actual, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what);
        assertEquals(0.0, expected.sub(actual).amaxNumber().doubleValue(), 1e-12, what);
    }

    @Test
    void traceQueriesKeysAndPositionsMatchTheFastEngine() {
        for (ViTConfig cfg : Engines.variantGrid()) {
            String name = Engines.name(cfg);
            ComputationGraph[] g = pair(cfg);
            ViTInspector fast = new ViTInspector(g[0], cfg), portable = new ViTInspector(g[1], cfg);
            INDArray x = TestModels.images(cfg, 3, 3, DataType.DOUBLE);
            ForwardTrace tf = fast.trace(x), tp = portable.trace(x);
            for (int l = 0; l < cfg.depth(); l++) {
                close(tf.blockInputs().get(l), tp.blockInputs().get(l), name + " block input " + l);
                close(tf.attention().get(l), tp.attention().get(l), name + " attention " + l);
                assertNull(((TransformerBlock) g[1].getLayer(ViTGraph.blockName(l))).recordedAttention());
            }
            close(tf.logits(), tp.logits(), name + " logits");

            INDArray tokens = TestModels.images(cfg, 1, 8, DataType.DOUBLE).reshape(6, 32)
                    .get(NDArrayIndex.all(), NDArrayIndex.interval(0, cfg.dim())).dup();
            for (int l = 0; l < cfg.depth(); l++) {
                INDArray[] qf = fast.queriesAndKeys(l, tokens), qp = portable.queriesAndKeys(l, tokens);
                close(qf[0], qp[0], name + " queries " + l);
                close(qf[1], qp[1], name + " keys " + l);
            }
            INDArray pf = fast.patchPositionEmbeddings(), pp = portable.patchPositionEmbeddings();
            if (cfg.posEmbedding() == PosEmbedding.NONE) {
                assertNull(pp, name);
            } else {
                close(pf, pp, name + " position embeddings");
            }
        }
    }

    @Test
    void tiedQkKeysAreTheQueries() {
        ViTConfig cfg = TestModels.tiny().withAblation(ValueProjection.IDENTITY, true);
        ViTInspector in = new ViTInspector(pair(cfg)[1], cfg);
        INDArray tokens = TestModels.images(cfg, 1, 9, DataType.DOUBLE).reshape(6, 32)
                .get(NDArrayIndex.all(), NDArrayIndex.interval(0, cfg.dim())).dup();
        INDArray[] qk = in.queriesAndKeys(1, tokens);
        close(qk[0], qk[1], "tied q/k");
    }
}
