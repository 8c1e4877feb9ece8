package io.vitlens.training.bench;

import io.vitlens.core.ViTConfig;
import io.vitlens.core.model.TrainSettings;
import io.vitlens.core.model.ViTGraph;
import io.vitlens.core.model.kernels.PhaseTimer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Times one model configuration: training steps (forward + backward + AdamW update, the trainer's path)
 * and inference passes, on a fixed random batch so that only the model is measured, after warm-up.
 */
public final class ModelBenchmark {
    /** Images/s of each timed repeat summarised, plus the FLOP counts used for the ratios. */
    public record Result(String name, ViTConfig config, int batch, Stats trainImagesPerSecond,
                         Stats inferImagesPerSecond, double flopsPerImage, long parameters,
                         Map<String, Double> stepProfileMillis, Map<String, Double> inferProfileMillis) {
        /** Achieved training GFLOP/s (3x forward FLOPs) at the median. */
        public double trainGflops() { return trainImagesPerSecond.median() * 3 * flopsPerImage / 1e9; }

        public double inferGflops() { return inferImagesPerSecond.median() * flopsPerImage / 1e9; }
    }

    private ModelBenchmark() {}

    /**
     * Times {@code cfg}; with {@code profile}, also runs {@code iterations} more training steps with
     * {@link PhaseTimer} on and reports milliseconds per step per phase (empty map otherwise).
     */
    public static Result run(String name, ViTConfig cfg, int batch, int warmup, int iterations, boolean profile) {
        ComputationGraph graph = ViTGraph.create(cfg, new TrainSettings(1,
                Adam.builder().learningRate(1e-4).build(), 0.05, DataType.FLOAT));
        Nd4j.getRandom().setSeed(7);
        INDArray x = Nd4j.randn(DataType.FLOAT, batch, cfg.channels(), cfg.imageSize(), cfg.imageSize());  // [B, C, S, S]
        INDArray y = Nd4j.zeros(DataType.FLOAT, batch, cfg.numClasses());                                   // [B, K]
        for (int i = 0; i < batch; i++) y.putScalar(i, i % cfg.numClasses(), 1f);
        DataSet ds = new DataSet(x, y);

        for (int i = 0; i < warmup; i++) graph.fit(ds);
        double[] train = new double[iterations];
        for (int i = 0; i < iterations; i++) {
            long t0 = System.nanoTime();
            graph.fit(ds);
            train[i] = batch / ((System.nanoTime() - t0) / 1e9);
        }
        Map<String, Double> phases = profile ? profile(() -> graph.fit(ds), iterations, "loss, updater, DL4J graph") : Map.of();
        for (int i = 0; i < warmup; i++) graph.outputSingle(false, x);
        double[] infer = new double[iterations];
        for (int i = 0; i < iterations; i++) {
            long t0 = System.nanoTime();
            graph.outputSingle(false, x);
            infer[i] = batch / ((System.nanoTime() - t0) / 1e9);
        }
        Map<String, Double> inferPhases = profile ? profile(() -> graph.outputSingle(false, x), iterations, "DL4J graph, head")
                : Map.of();
        return new Result(name, cfg, batch, Stats.of(train), Stats.of(infer), FlopCount.forwardPerImage(cfg),
                graph.numParams(), phases, inferPhases);
    }

    /** Milliseconds per call of {@code step}: each timed phase, "other (...)" outside them, and "step". */
    private static Map<String, Double> profile(Runnable step, int steps, String other) {
        PhaseTimer.enable(true);
        long t0 = System.nanoTime();
        try {
            for (int i = 0; i < steps; i++) step.run();
        } finally {
            PhaseTimer.enable(false);
        }
        double total = (System.nanoTime() - t0) / 1e6 / steps;
        Map<String, Long> nanos = PhaseTimer.totals();
        Map<String, Double> out = new TreeMap<>();
        double timed = 0;
        for (Map.Entry<String, Long> e : nanos.entrySet()) {
            double ms = e.getValue() / 1e6 / steps;
            out.put(e.getKey(), ms);
            timed += ms;
        }
        Map<String, Double> ordered = new LinkedHashMap<>(out);
        ordered.put("other (" + other + ")", total - timed);
        ordered.put("step", total);
        return ordered;
    }
}
