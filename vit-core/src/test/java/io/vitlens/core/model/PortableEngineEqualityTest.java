package io.vitlens.core.model;

import io.vitlens.core.ViTConfig;
import io.vitlens.core.model.layers.Engine;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The portable engine computes what the fast one does, in float: the logits and every parameter's
 * gradient agree to a relative 1e-5 in the 2-norm (||portable - fast|| <= 1e-5 ||fast||, per parameter
 * array; per element would be meaningless for the key bias, whose true gradient is exactly 0 and whose
 * computed one is float noise of either sign), for every variant of {@link Engines#variantGrid()} and a
 * larger model with 17 tokens; also with dropout and drop-path (same ND4J seed: the engines draw the same
 * masks in the same order) and over three Adam steps with DL4J's workspaces.
 */
class PortableEngineEqualityTest {

    static final double REL = 1e-5;

    @Test
    void everyVariantLogitsAndGradients() {
        StringBuilder report = new StringBuilder();
        double worst = 0;
        for (ViTConfig cfg : Engines.variantGrid()) worst = Math.max(worst, compare(cfg, 3, report));
        System.out.println("portable vs fast, worst relative difference over the grid: " + worst + "\n" + report);
        assertTrue(worst <= REL, report.toString());
    }

    @Test
    void largerModel() {
        StringBuilder report = new StringBuilder();
        double worst = compare(ViTConfig.of(16, 3, 4, 32, 2, 4, 64, 5), 4, report);
        assertTrue(worst <= REL, report.toString());
    }

    @Test
    void dropoutAndDropPathDrawTheSameMasks() {
        StringBuilder report = new StringBuilder();
        double worst = compare(TestModels.tiny().withRegularisation(0.3, 0.5), 4, report);
        assertTrue(worst <= REL, report.toString());
    }

    @Test
    void threeAdamStepsInWorkspaces() {
        ViTConfig cfg = TestModels.tiny().withPooling(io.vitlens.core.Pooling.MEAN);
        TrainSettings t = new TrainSettings(3, new Adam(1e-2), 0.05, DataType.FLOAT);
        ComputationGraph fast = Engines.create(cfg, t, Engine.FAST);
        ComputationGraph portable = Engines.create(cfg, t, Engine.PORTABLE);
        portable.setParams(fast.params().dup());
        for (int step = 0; step < 3; step++) {
            INDArray x = TestModels.images(cfg, 6, 10 + step, DataType.FLOAT);
            INDArray y = TestModels.labels(cfg, 6, 20 + step, DataType.FLOAT);
            fast.fit(new INDArray[]{x}, new INDArray[]{y});
            portable.fit(new INDArray[]{x}, new INDArray[]{y});
        }
        double rel = relative(portable.params(), fast.params());
        assertTrue(rel <= REL, "parameters after three Adam steps differ by " + rel);
    }

    /** The worst relative difference over logits, score and every gradient; appends each to {@code report}. */
    static double compare(ViTConfig cfg, int batch, StringBuilder report) {
        TrainSettings t = TestModels.floats(3);
        ComputationGraph fast = Engines.create(cfg, t, Engine.FAST);
        ComputationGraph portable = Engines.create(cfg, t, Engine.PORTABLE);
        assertEquals(Engine.FAST, Engine.of(fast));
        assertEquals(Engine.PORTABLE, Engine.of(portable));
        TestModels.randomize(fast, 4);
        portable.setParams(fast.params().dup());
        INDArray x = TestModels.images(cfg, batch, 5, DataType.FLOAT);
        INDArray y = TestModels.labels(cfg, batch, 6, DataType.FLOAT);

        Map<String, Double> diffs = new TreeMap<>();
        diffs.put("logits", relative(portable.outputSingle(false, x), fast.outputSingle(false, x)));
        Gradient gf = gradient(fast, x, y), gp = gradient(portable, x, y);
        diffs.put("score", Math.abs(portable.score() - fast.score()) / Math.abs(fast.score()));
        assertEquals(gf.gradientForVariable().keySet(), gp.gradientForVariable().keySet());
        for (Map.Entry<String, INDArray> e : gf.gradientForVariable().entrySet())
            diffs.put(e.getKey(), relative(gp.getGradientFor(e.getKey()), e.getValue()));
        double worst = diffs.values().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        report.append(Engines.name(cfg)).append(" (B=").append(batch).append("): worst ").append(worst)
                .append(worst > REL ? " " + diffs : "").append('\n');
        return worst;
    }

    private static Gradient gradient(ComputationGraph g, INDArray x, INDArray y) {
        Nd4j.getRandom().setSeed(1234); // dropout masks, when on
        g.setInputs(x);
        g.setLabels(y);
        g.computeGradientAndScore();
        Gradient copy = new org.deeplearning4j.nn.gradient.DefaultGradient();
        g.gradient().gradientForVariable().forEach((k, v) -> copy.setGradientFor(k, v.dup()));
        return copy;
    }

    /** ||a - b|| / ||b|| in the 2-norm (in double), 0 when both are 0. */
    static double relative(INDArray a, INDArray b) {
        INDArray ad = a.castTo(DataType.DOUBLE), bd = b.castTo(DataType.DOUBLE);
        double diff = ad.sub(bd).norm2Number().doubleValue(), ref = bd.norm2Number().doubleValue();
        return diff == 0 ? 0 : diff / ref;
    }
}
