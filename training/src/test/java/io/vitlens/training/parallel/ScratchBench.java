package io.vitlens.training.parallel;

import io.vitlens.core.ViTConfig;
import io.vitlens.core.model.TrainSettings;
import io.vitlens.core.model.ViTGraph;
import io.vitlens.data.*;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;

class ScratchBench {
    @Test
    void bench() throws Exception {
        int[] m = java.util.Arrays.stream(System.getProperty("model", "64,4,4,128").split(",")).mapToInt(Integer::parseInt).toArray();
        int images = Integer.getInteger("images", 2048);
        SyntheticSpec spec = SyntheticSpec.defaults().withSizes(images, 64);
        LoadedDataset data = Datasets.open(new DataConfig("synthetic-shapes", null, 32, 128, 0.0, 5L, null, spec, false));
        for (String v : System.getProperty("workers", "1,2,1,2").split(",")) {
            int w = Integer.parseInt(v);
            ComputationGraph g = ViTGraph.create(ViTConfig.of(32, 3, 4, m[0], m[1], m[2], m[3], 10), new TrainSettings(21L, new Adam(1e-3), 0.05, DataType.FLOAT));
            ParallelFit.fitEpoch(g, data.trainIterator(1), w, null, 4, null);   // warm-up
            EpochResult r = ParallelFit.fitEpoch(g, data.trainIterator(2), w, null);
            System.out.printf("BENCH model=%s workers=%d images=%d seconds=%.2f img/s=%.1f loss=%.3f%n", System.getProperty("model"), w, r.images(), r.seconds(), r.imagesPerSecond(), r.meanLoss());
        }
    }
}
