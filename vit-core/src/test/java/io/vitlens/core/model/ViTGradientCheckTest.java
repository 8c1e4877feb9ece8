package io.vitlens.core.model;

import io.vitlens.core.ViTConfig;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DL4J's GradientCheckUtil on the whole tiny ViT in double precision (no dropout, NoOp updater),
 * for every position embedding, both poolings and both ablations ({@link Variants}). The key bias,
 * whose true gradient is exactly 0, passes through the absolute-error floor (1e-8); that it is 0 is
 * asserted in {@code GradientFlowTest}.
 */
class ViTGradientCheckTest {

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

    @Test
    void learnedClsFullAttention() {
        check(Variants.all().get(0));
    }

    @Test
    void learned2dMeanPooling() {
        check(Variants.all().get(1));
    }

    @Test
    void sincosIdentityValue() {
        check(Variants.all().get(2));
    }

    @Test
    void noPositionMeanPoolingTiedQk() {
        check(Variants.all().get(3));
    }

    @Test
    void tiedQkAndIdentityValue() {
        check(Variants.all().get(4));
    }

    @Test
    void dropoutAndDropPathWithFixedMasks() {
        // masks come from ND4J's RNG: resetting its seed before every pass makes them identical, so the
        // numeric gradient sees the same (random) function as the backward pass
        ViTConfig cfg = TestModels.tiny().withRegularisation(0.3, 0.5);
        ComputationGraph g = ViTGraph.create(cfg, TestModels.doubles(3));
        TestModels.randomize(g, 4);
        TestModels.showGradientCheckFailures();
        boolean ok = org.deeplearning4j.gradientcheck.GradientCheckUtil.checkGradients(
                new org.deeplearning4j.gradientcheck.GradientCheckUtil.GraphConfig()
                        .net(g)
                        .inputs(new INDArray[]{TestModels.images(cfg, 4, 5, DataType.DOUBLE)})
                        .labels(new INDArray[]{TestModels.labels(cfg, 4, 6, DataType.DOUBLE)})
                        .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-8)
                        .print(org.deeplearning4j.gradientcheck.GradientCheckUtil.PrintMode.FAILURES_ONLY)
                        .callEachIter(net -> Nd4j.getRandom().setSeed(1234)));
        assertTrue(ok, "gradient check with dropout 0.3 / drop path 0.5");
    }

    private static void check(ViTConfig cfg) {
        ComputationGraph g = ViTGraph.create(cfg, TestModels.doubles(3));
        TestModels.randomize(g, 4);
        INDArray x = TestModels.images(cfg, 2, 5, DataType.DOUBLE);
        INDArray y = TestModels.labels(cfg, 2, 6, DataType.DOUBLE);
        assertTrue(TestModels.gradientCheck(g, x, y, Set.of()), "gradient check " + Variants.name(cfg));
    }
}
