package io.vitlens.training.parallel;

import io.vitlens.core.ViTConfig;
import io.vitlens.core.model.TrainSettings;
import io.vitlens.core.model.ViTGraph;
import io.vitlens.data.*;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;

class ScratchTest {
    @Test
    void compare() throws Exception {
        for (String v : System.getProperty("variants", "1,2").split(",")) {
            String[] f = v.split(":");
            int w = Integer.parseInt(f[0]);
            double lr = f.length > 1 ? Double.parseDouble(f[1]) : 1e-2;
            int batch = f.length > 2 ? Integer.parseInt(f[2]) : 32;
            SyntheticSpec spec = new SyntheticSpec(256, 64, 3L, 4, 0.50, 0.90, 0.05, 0.40, 0.0);
            LoadedDataset data = Datasets.open(new DataConfig("synthetic-shapes", null, 16, batch, 0.0, 5L, null, spec, false));
            ComputationGraph g = ViTGraph.create(ViTConfig.of(16, 3, 4, 32, 2, 2, 64, 4), new TrainSettings(21L, new Adam(lr), 0.05, DataType.FLOAT));
            StringBuilder sb = new StringBuilder("W=" + v + ":");
            long t0 = System.nanoTime();
            for (int e = 1; e <= Integer.getInteger("epochs", 8); e++) sb.append(String.format(" %.3f", ParallelFit.fitEpoch(g, data.trainIterator(e), w, null).meanLoss()));
            System.out.println(sb + String.format("  %.1fs", (System.nanoTime() - t0) / 1e9));
        }
    }
}
