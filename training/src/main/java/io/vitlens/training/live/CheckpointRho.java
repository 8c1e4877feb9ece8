package io.vitlens.training.live;

import io.vitlens.analysis.PositionEmbeddingStats;
import io.vitlens.analysis.AnalysisOptions;
import io.vitlens.analysis.geometry.PatchGrid;
import io.vitlens.analysis.geometry.PositionEmbeddingAnalysis;
import io.vitlens.core.ViTConfig;
import io.vitlens.core.model.ViTInspector;
import io.vitlens.training.checkpoint.Checkpoint;
import io.vitlens.training.checkpoint.CheckpointIO;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.file.Path;

/** Claim C1 on one checkpoint file, with the same definition and permutation seed as the report. */
final class CheckpointRho {

    private CheckpointRho() { }

    /** @return the rho, or null when the model has no position embedding */
    static LiveStatus.PositionRho measure(Path file, String name, int epoch) throws Exception {
        Checkpoint cp = CheckpointIO.read(file, false);
        ViTConfig cfg = cp.vit();
        INDArray pe = new ViTInspector(cp.graph(), cp.vit()).patchPositionEmbeddings(); // [N, D]
        if (pe == null) return null;
        double[][] p = pe.toDoubleMatrix();
        PositionEmbeddingStats s = new PositionEmbeddingAnalysis(new PatchGrid(cfg.gridSize(), cfg.patchSize()))
                .analyze(p, cfg.posEmbedding().id(), AnalysisOptions.DEFAULT_PERMUTATIONS, AnalysisOptions.DEFAULT_SEED);
        return new LiveStatus.PositionRho(name, epoch, s.rho(), s.pValue());
    }
}
