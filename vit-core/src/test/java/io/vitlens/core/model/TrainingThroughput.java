package io.vitlens.core.model;

import io.vitlens.core.ViTConfig;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.learning.config.Adam;

/**
 * Not a test: times training steps of the tiny CIFAR ViT (32x32, P 4, D 128, L 6, H 4, M 256, K 10),
 * batch 128, float, Adam + weight decay, and prints images per second. Run with
 * {@code OMP_WAIT_POLICY=PASSIVE OPENBLAS_THREAD_TIMEOUT=4} like the launcher does.
 * Arguments: [steps] [batch] [dropout and drop-path rate, default 0.1].
 */
public final class TrainingThroughput {

    private TrainingThroughput() {
    }

    public static void main(String[] args) {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 128;
        double dropout = args.length > 2 ? Double.parseDouble(args[2]) : 0.1;
        ViTConfig cfg = ViTConfig.of(32, 3, 4, 128, 6, 4, 256, 10).withRegularisation(dropout, dropout);
        ComputationGraph g = ViTGraph.create(cfg, new TrainSettings(1, new Adam(1e-3), 0.05, DataType.FLOAT));
        MultiDataSet data = new MultiDataSet(TestModels.images(cfg, batch, 1, DataType.FLOAT),
                TestModels.labels(cfg, batch, 2, DataType.FLOAT));
        for (int i = 0; i < 3; i++) g.fit(data); // warm-up: JIT, allocations
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long start = System.nanoTime();
        for (int i = 0; i < steps; i++) g.fit(data);
        double sec = (System.nanoTime() - start) / 1e9;
        double cpuSec = (os.getProcessCpuTime() - cpu0) / 1e9;
        int cores = Runtime.getRuntime().availableProcessors();
        // on a shared machine wall time includes other processes' turns; CPU time / cores estimates a quiet one
        System.out.printf("%d params, %d steps of %d: %.1f ms/step wall, %.1f img/s wall, %.1f img/s by CPU time "
                        + "on %d cores (load %.1f), score %.4f%n", g.numParams(), steps, batch, 1000 * sec / steps,
                steps * batch / sec, steps * batch / (cpuSec / cores), cores, os.getSystemLoadAverage(), g.score());
    }
}
