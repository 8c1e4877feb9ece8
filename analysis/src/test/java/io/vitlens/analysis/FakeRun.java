package io.vitlens.analysis;

import io.vitlens.core.ViTConfig;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * A constructed two-checkpoint run on a 4x4 grid (P = 4, D = 16, L = 2, H = 2) with known answers:
 * <ul>
 *   <li>epoch-000: random position embeddings, near-uniform random attention, independent W_Q / W_K;</li>
 *   <li>epoch-005: position embeddings with Gram matrix exp(-d^2/8) (cos falls strictly with distance);
 *       layer 0: head 0 looks at the right-hand neighbour, head 1 at the patch below, with W_Q = W_K;
 *       layer 1: head 0 uniform, head 1 a random map per image (content), independent W_Q / W_K.</li>
 * </ul>
 */
final class FakeRun {

    static final ViTConfig CFG = ViTConfig.of(16, 3, 4, 16, 2, 2, 32, 10);
    static final int G = CFG.gridSize(), N = CFG.numPatches(), T = CFG.numTokens();

    private FakeRun() { }

    static AnalysisInput initial(ViTConfig cfg) {
        int g = cfg.gridSize(), n = cfg.numPatches();
        Random rnd = new Random(11);
        double[][] pos = new double[n][cfg.dim()];
        for (double[] row : pos) for (int c = 0; c < row.length; c++) row[c] = 0.02 * rnd.nextGaussian();
        double[][][][][] w = FakeInspector.randomWeights(cfg, 1, false);
        FakeInspector m = new FakeInspector(cfg, pos, (img, l, h) -> Maps.random(g, 1000L * l + 10L * h + img, 0.05),
                inputs(pos, cfg.dim()), w[0], w[1], FakeInspector.zeroBias(cfg), FakeInspector.zeroBias(cfg));
        return new AnalysisInput("epoch-000", 0, m);
    }

    static AnalysisInput trained(ViTConfig cfg) {
        int g = cfg.gridSize();
        double[][] pos = kernelEmbedding(cfg);
        double[][][][][] w = FakeInspector.randomWeights(cfg, 2, false);
        double[][][][][] tied = FakeInspector.randomWeights(cfg, 3, true);
        w[0][0] = tied[0][0]; // layer 0: W_Q = W_K for every head
        w[1][0] = tied[1][0];
        FakeInspector m = new FakeInspector(cfg, pos, (img, l, h) -> {
            if (l == 0) return h == 0 ? Maps.rightNeighbour(g) : Maps.downNeighbour(g);
            return h == 0 ? Maps.uniform(g) : Maps.random(g, 77 + img, 3.0);
        }, inputs(pos, cfg.dim()), w[0], w[1], FakeInspector.zeroBias(cfg), FakeInspector.zeroBias(cfg));
        return new AnalysisInput("epoch-005", 5, m);
    }

    /** Block inputs: patch t carries p_t plus image noise, CLS is zero. */
    static FakeInspector.BlockInputFn inputs(double[][] pos, int dim) {
        return (img, l) -> {
            Random rnd = new Random(31L * img + l);
            double[][] x = new double[pos.length + 1][dim];
            for (int t = 0; t < pos.length; t++)
                for (int c = 0; c < dim; c++) x[t + 1][c] = pos[t][c] + 0.01 * rnd.nextGaussian();
            return x;
        };
    }

    /** Unit vectors with cos(p_i, p_j) = exp(-d_ij^2 / 8) (needs D >= N). */
    static double[][] kernelEmbedding(ViTConfig cfg) {
        int n = cfg.numPatches(), g = cfg.gridSize();
        double[][] k = new double[n][n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) {
                int dr = i / g - j / g, dc = i % g - j % g;
                k[i][j] = Math.exp(-(dr * dr + dc * dc) / 8.0);
            }
        EigenDecomposition eig = new EigenDecomposition(new Array2DRowRealMatrix(k));
        double[][] p = new double[n][cfg.dim()];
        for (int m = 0; m < n; m++) {
            double s = Math.sqrt(Math.max(0, eig.getRealEigenvalue(m)));
            double[] v = eig.getEigenvector(m).toArray();
            for (int i = 0; i < n; i++) p[i][m] = v[i] * s;
        }
        return p;
    }

    /** metrics.jsonl with three epochs; blocks.1.attn.k gets no gradient in any epoch. */
    static Path metrics(Path dir) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int e = 1; e <= 3; e++) {
            b.append("{\"epoch\":").append(e).append(",\"trainLoss\":1.5,\"gradNorms\":{\"patch_embed\":0.5,")
                    .append("\"pos_embed\":0.02,\"cls_token\":0.01");
            for (int l = 0; l < 2; l++)
                for (String p : List.of("q", "k", "v"))
                    b.append(",\"blocks.").append(l).append(".attn.").append(p).append("\":")
                            .append(l == 1 && p.equals("k") ? "0.0" : String.valueOf(0.1 * e));
            b.append("}}\n");
        }
        Path f = dir.resolve("metrics.jsonl");
        Files.writeString(f, b.toString());
        return f;
    }
}
