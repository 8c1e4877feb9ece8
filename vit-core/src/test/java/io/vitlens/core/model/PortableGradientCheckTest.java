package io.vitlens.core.model;

import io.vitlens.core.Pooling;
import io.vitlens.core.PosEmbedding;
import io.vitlens.core.ValueProjection;
import io.vitlens.core.ViTConfig;
import io.vitlens.core.model.layers.Engine;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DL4J's GradientCheckUtil in double precision on the portable engine, as {@code ViTGradientCheckTest}
 * does on the fast one: every position embedding, both poolings and both ablations ({@link Variants}),
 * and dropout / drop-path with masks fixed by reseeding ND4J's RNG before every pass.
 *
 * <p>On the CPU the portable engine's many small ND4J ops make a pass ~6x slower than the fast engine's at
 * these tiny shapes (2.4 vs 15 ms per score pass, measured under load; a check of one variant takes 25-40 s,
 * with dropout at batch 4 two minutes), and GradientCheckUtil ignores {@code subset} for graphs, so
 * {@code mvn verify} checks two variants that between them use every feature (learned-2d + mean pooling +
 * identity V + tied Q/K; learned + CLS with dropout and drop-path) and the equality test
 * ({@link PortableEngineEqualityTest}) carries the rest over from the fast engine's checks.
 * {@code -Dvitlens.fullGradientCheck=true} checks all {@link Variants} too (tools/gpu-check.sh sets it).
 */
class PortableGradientCheckTest {

    private static final boolean FULL = Boolean.getBoolean("vitlens.fullGradientCheck");

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
    void learned2dMeanPoolingIdentityValueTiedQk() {
        check(TestModels.tiny().withPosEmbedding(PosEmbedding.LEARNED_2D).withPooling(Pooling.MEAN)
                .withAblation(ValueProjection.IDENTITY, true));
    }

    @Test
    void everyVariantWhenAskedFor() {
        Assumptions.assumeTrue(FULL, "-Dvitlens.fullGradientCheck=true runs every variant");
        Variants.all().forEach(PortableGradientCheckTest::check);
    }

    private static void check(ViTConfig cfg) {
        {   // parameters set through ND4J, so the check means the same on a CUDA backend
            ComputationGraph g = Engines.create(cfg, TestModels.doubles(3), Engine.PORTABLE);
            assertEquals(Engine.PORTABLE, Engine.of(g));
            Engines.randomizeThroughNd4j(g, 4);
            INDArray x = TestModels.images(cfg, 2, 5, DataType.DOUBLE);
            INDArray y = TestModels.labels(cfg, 2, 6, DataType.DOUBLE);
            TestModels.showGradientCheckFailures();
            boolean ok = GradientCheckUtil.checkGradients(config(g)
                    .inputs(new INDArray[]{x})
                    .labels(new INDArray[]{y}));
            assertTrue(ok, "portable gradient check " + Variants.name(cfg));
        }
    }

    /** The settings of {@link TestModels#gradientCheck}. */
    private static GradientCheckUtil.GraphConfig config(ComputationGraph g) {
        return new GradientCheckUtil.GraphConfig()
                .net(g)
                .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-8)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY)
                .exitOnFirstError(false);
    }

    @Test
    void dropoutAndDropPathWithFixedMasks() {
        ViTConfig cfg = TestModels.tiny().withRegularisation(0.3, 0.5);
        ComputationGraph g = Engines.create(cfg, TestModels.doubles(3), Engine.PORTABLE);
        Engines.randomizeThroughNd4j(g, 4);
        TestModels.showGradientCheckFailures();
        boolean ok = GradientCheckUtil.checkGradients(config(g)
                .inputs(new INDArray[]{TestModels.images(cfg, 2, 5, DataType.DOUBLE)})
                .labels(new INDArray[]{TestModels.labels(cfg, 2, 6, DataType.DOUBLE)})
                .callEachIter(net -> Nd4j.getRandom().setSeed(1234)));
        assertTrue(ok, "portable gradient check with dropout 0.3 / drop path 0.5");
    }
}
