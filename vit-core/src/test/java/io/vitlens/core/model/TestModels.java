package io.vitlens.core.model;

import io.vitlens.core.ViTConfig;
import io.vitlens.core.model.kernels.Buffers;
import io.vitlens.core.model.layers.ParamSpec;
import io.vitlens.core.model.layers.ParamSpecLayer;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

import java.util.Map;
import java.util.Random;
import java.util.Set;

/** Shared fixtures: the tiny ViT of the gradient checks, random data and non-degenerate random parameters. */
public final class TestModels {

    private TestModels() {
    }

    /** 8x8 RGB, patch 4 (2x2 grid, T = 5), D 8, H 2, L 2, M 16, K 3. */
    public static ViTConfig tiny() {
        return ViTConfig.of(8, 3, 4, 8, 2, 2, 16, 3);
    }

    public static TrainSettings doubles(long seed) {
        return new TrainSettings(seed, new NoOp(), 0.0, DataType.DOUBLE);
    }

    public static TrainSettings floats(long seed) {
        return new TrainSettings(seed, new NoOp(), 0.0, DataType.FLOAT);
    }

    /** Standard-normal images [B, C, S, S]. */
    public static INDArray images(ViTConfig cfg, int batch, long seed, DataType t) {
        Random r = new Random(seed);
        double[] v = new double[batch * cfg.channels() * cfg.imageSize() * cfg.imageSize()];
        for (int i = 0; i < v.length; i++) v[i] = r.nextGaussian();
        return Nd4j.createFromArray(v).reshape('c', batch, cfg.channels(), cfg.imageSize(), cfg.imageSize()).castTo(t);
    }

    /** One-hot labels [B, K] with classes drawn uniformly. */
    public static INDArray labels(ViTConfig cfg, int batch, long seed, DataType t) {
        Random r = new Random(seed);
        INDArray y = Nd4j.zeros(t, batch, cfg.numClasses());
        for (int i = 0; i < batch; i++) y.putScalar(i, r.nextInt(cfg.numClasses()), 1.0);
        return y;
    }

    /**
     * Replaces every parameter with values large enough that attention is far from uniform and every
     * LayerNorm scale and bias matters: N(0, 0.4^2) for weights, biases and embeddings, 1 + N(0, 0.2^2)
     * for LayerNorm scales.
     */
    public static void randomize(ComputationGraph g, long seed) {
        Random r = new Random(seed);
        for (Layer layer : g.getLayers()) {
            Map<String, INDArray> table = layer.paramTable();
            for (Map.Entry<String, INDArray> e : table.entrySet()) {
                boolean gain = layer.conf().getLayer() instanceof ParamSpecLayer p && p.paramSpecs().stream()
                        .anyMatch(s -> s.key().equals(e.getKey()) && s.role() == ParamSpec.Role.NORM_GAIN);
                double[] v = new double[(int) e.getValue().length()];
                for (int i = 0; i < v.length; i++) v[i] = (gain ? 1.0 : 0.0) + (gain ? 0.2 : 0.4) * r.nextGaussian();
                Buffers.fromDoubles(v, e.getValue());
            }
        }
    }

    /** Lets GradientCheckUtil report failing parameters (it logs at INFO; the test log config shows WARN+). */
    public static void showGradientCheckFailures() {
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(GradientCheckUtil.class))
                .setLevel(ch.qos.logback.classic.Level.INFO);
    }

    /** DL4J's gradient check in double precision: central differences, eps 1e-6, max relative error
     * 1e-5, absolute-error floor 1e-8 (the resolution of a score of ~50 with eps 1e-6 is ~1e-8). */
    public static boolean gradientCheck(ComputationGraph g, INDArray x, INDArray y, Set<String> exclude) {
        showGradientCheckFailures();
        return GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig()
                .net(g)
                .inputs(new INDArray[]{x})
                .labels(new INDArray[]{y})
                .epsilon(1e-6)
                .maxRelError(1e-5)
                .minAbsoluteError(1e-8)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY)
                .exitOnFirstError(false)
                .excludeParams(exclude));
    }
}
