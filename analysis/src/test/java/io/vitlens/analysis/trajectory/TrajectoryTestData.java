package io.vitlens.analysis.trajectory;

import io.vitlens.analysis.AnalysisResult;
import io.vitlens.analysis.CheckpointAnalysis;
import io.vitlens.analysis.HeadStats;
import io.vitlens.analysis.HeadTypeRules;
import io.vitlens.analysis.ModelSummary;
import io.vitlens.analysis.PositionEmbeddingStats;
import io.vitlens.core.ViTConfig;

import java.util.List;
import java.util.Map;

/**
 * Fabricated per-checkpoint results whose rows can be checked by hand: 2 layers x 2
 * heads, uniform attention's mean distance 10 px.
 * <pre>
 * epoch-000: layer 0 heads 9 and 11 px (min 9, mean 10, fractions 0.9 and 1), every head global, rho 0.01,
 *            R^2 -0.1 / -0.2, C7 rho undefined (NaN), no accuracy logged
 *            every head's local, row and column mass 0.1 and CLS mass 0: the largest of each is L0H0's (ties go
 *            to the first head)
 * epoch-005: layer 0 heads 7 and 3 px (min 3, mean 5, fractions 0.3 and 0.5), types local, mixed, global,
 *            global; rho -0.5, R^2 0.9 / 0.75, C7 rho 0.8, accuracy 0.625 (the later of two logged lines);
 *            largest local mass 0.6 (L0H0, above L0H1's 0.45), row 0.3 and column 0.35 (both L1H0), CLS 0.25 (L1H1)
 * </pre>
 */
public final class TrajectoryTestData {

    private TrajectoryTestData() { }

    private static HeadStats head(int layer, int head, double distance, String type) {
        return head(layer, head, distance, type, 0.1, 0.1, 0.1, 0);
    }

    private static HeadStats head(int layer, int head, double distance, String type, double local, double row,
                                  double column, double cls) {
        return new HeadStats(layer, head, distance, 1, local, row, column, cls, 0.5, 0.1, 0, 0, Map.of(), new double[0], 0,
                Map.of(), type);
    }

    private static PositionEmbeddingStats pos(double rho, double rowR2, double colR2) {
        return new PositionEmbeddingStats("learned", rho, 0.001, 999, 1, rowR2, colR2, 2, new double[0], new double[0],
                new double[0], List.of(), new double[0][0], new double[0][0]);
    }

    private static CheckpointAnalysis checkpoint(String name, int epoch, PositionEmbeddingStats p, List<HeadStats> heads,
                                                 double depthRho) {
        return new CheckpointAnalysis(name, epoch, 4, p, null, heads, List.of(), 0, 0, 0, depthRho);
    }

    public static final String LARGEST_HEADER = "largestLocalMass,largestLocalMassHead,largestRowMass,largestRowMassHead,"
            + "largestColumnMass,largestColumnMassHead,largestClsMass,largestClsMassHead";

    public static AnalysisResult fabricated() {
        ViTConfig cfg = ViTConfig.of(16, 3, 4, 16, 2, 2, 32, 10);
        CheckpointAnalysis init = checkpoint("epoch-000", 0, pos(0.01, -0.1, -0.2), List.of(
                head(0, 0, 9, "global"), head(0, 1, 11, "global"), head(1, 0, 10, "global"), head(1, 1, 10, "global")),
                Double.NaN);
        CheckpointAnalysis trained = checkpoint("epoch-005", 5, pos(-0.5, 0.9, 0.75), List.of(
                head(0, 1, 3, "mixed", 0.45, 0.1, 0.1, 0), head(0, 0, 7, "local", 0.6, 0.2, 0.1, 0),
                head(1, 0, 12, "global", 0.1, 0.3, 0.35, 0), head(1, 1, 13, "global", 0.1, 0.1, 0.1, 0.25)),
                0.8);
        return new AnalysisResult(1, ModelSummary.of(cfg), 4, 10.0, HeadTypeRules.defaults(), List.of(init, trained),
                List.of(), null, "none", null);
    }
}
