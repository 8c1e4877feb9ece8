package io.vitlens.analysis;

import io.vitlens.core.ViTConfig;
import io.vitlens.core.model.TrainSettings;
import io.vitlens.core.model.ViTGraph;
import io.vitlens.core.model.ViTInspector;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Path;
import java.util.List;

class TmpRealModelTest {
    @Test
    void real() throws Exception {
        ViTConfig cfg = ViTConfig.of(32, 3, 4, 128, 6, 4, 256, 10);
        ComputationGraph g0 = ViTGraph.create(cfg, TrainSettings.inference(1));
        ComputationGraph g1 = ViTGraph.create(cfg, TrainSettings.inference(2));
        Nd4j.getRandom().setSeed(5);
        INDArray x = Nd4j.randn(DataType.FLOAT, 1000, 3, 32, 32);
        long t0 = System.nanoTime();
        AnalysisResult r = new Analyzer(AnalysisOptions.defaults()).analyze(List.of(
                new AnalysisInput("epoch-000", 0, new ViTInspector(g0, cfg)),
                new AnalysisInput("epoch-001", 1, new ViTInspector(g1, cfg))), x, null,
                (s, d, t) -> { if (d == t) System.out.println("  " + s + " " + (System.nanoTime() - t0) / 1e9); });
        System.out.println("TOTAL " + (System.nanoTime() - t0) / 1e9);
        ReportWriter.write(r, Path.of("/tmp/vir/real"));
        System.out.println("WRITTEN " + (System.nanoTime() - t0) / 1e9);
        for (ClaimVerdict c : r.claims()) System.out.println(c.id() + " " + c.holds() + " " + c.reason());
    }
}
