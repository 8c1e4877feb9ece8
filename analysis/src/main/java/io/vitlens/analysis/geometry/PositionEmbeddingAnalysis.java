package io.vitlens.analysis.geometry;

import io.vitlens.analysis.PositionEmbeddingStats;
import io.vitlens.analysis.stats.Correlation;
import io.vitlens.analysis.stats.DistancePermutationTest;
import io.vitlens.analysis.stats.LooPcaRegression;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Claims C1 and C2 on the patch position embeddings p_i [N, D]: the similarity-distance rho with its
 * permutation p-value, and the leave-one-out R^2 of row and column from the leading principal
 * components (exact definitions in claims.md).
 */
public final class PositionEmbeddingAnalysis {

    /** k = min(MAX_COMPONENTS, N - 2) (claims.md). */
    public static final int MAX_COMPONENTS = 8;
    /** PC score maps kept in the JSON for figures. */
    static final int PAINTED_COMPONENTS = 4;

    private final PatchGrid grid;
    private final DistancePermutationTest permutationTest;

    public PositionEmbeddingAnalysis(PatchGrid grid) {
        this.grid = grid;
        this.permutationTest = new DistancePermutationTest(grid);
    }

    /**
     * @param embeddings   p_i, [N][D], patch t = r*g + c
     * @param kind         the model's position-embedding variant, copied into the result
     * @param permutations random permutations for the p-value
     * @param seed         seed of the permutations
     */
    public PositionEmbeddingStats analyze(double[][] embeddings, String kind, int permutations, long seed) {
        int n = grid.patches();
        if (embeddings.length != n)
            throw new IllegalArgumentException("position embeddings: " + embeddings.length + " rows, expected N = " + n
                    + " for a " + grid.side() + "x" + grid.side() + " grid");
        double[][] cos = cosineMatrix(embeddings);
        double[] pairCos = new double[permutationTest.pairCount()];
        int p = 0;
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++) pairCos[p++] = cos[i][j];
        DistancePermutationTest.Result test = permutationTest.run(pairCos, permutations, seed);

        int k = Math.min(MAX_COMPONENTS, n - 2);
        LooPcaRegression pca = new LooPcaRegression(embeddings, k);
        double[] rows = new double[n];
        double[] cols = new double[n];
        for (int t = 0; t < n; t++) { rows[t] = grid.row(t); cols[t] = grid.col(t); }
        double[][] scores = pca.scores();
        double[] rowCorr = new double[k];
        double[] colCorr = new double[k];
        for (int m = 0; m < k; m++) {
            rowCorr[m] = Correlation.pearson(scores[m], rows);
            colCorr[m] = Correlation.pearson(scores[m], cols);
        }
        double[][] painted = new double[Math.min(PAINTED_COMPONENTS, k)][];
        for (int m = 0; m < painted.length; m++) painted[m] = Rounding.round6(scores[m]);
        double[][] cosRounded = new double[n][];
        for (int i = 0; i < n; i++) cosRounded[i] = Rounding.round6(cos[i]);

        return new PositionEmbeddingStats(kind, test.rho(), test.pValue(), permutations, seed,
                pca.looR2(rows), pca.looR2(cols), k, pca.varianceShare(), rowCorr, colCorr,
                similarityByDistance(cos), cosRounded, painted);
    }

    /** cos(p_i, p_j), [N][N]; a zero vector has cosine 0 with everything (there is no direction to compare). */
    static double[][] cosineMatrix(double[][] v) {
        int n = v.length;
        double[] norm = new double[n];
        for (int i = 0; i < n; i++) norm[i] = Math.sqrt(dot(v[i], v[i]));
        double[][] cos = new double[n][n];
        for (int i = 0; i < n; i++)
            for (int j = i; j < n; j++) {
                double c = norm[i] > 0 && norm[j] > 0 ? dot(v[i], v[j]) / (norm[i] * norm[j]) : 0.0;
                cos[i][j] = c;
                cos[j][i] = c;
            }
        return cos;
    }

    private List<PositionEmbeddingStats.DistanceBin> similarityByDistance(double[][] cos) {
        int n = grid.patches();
        TreeMap<Integer, double[]> bins = new TreeMap<>(); // squared distance -> {sum, count}
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++) {
                double[] b = bins.computeIfAbsent(grid.squaredDistance(i, j), d -> new double[2]);
                b[0] += cos[i][j];
                b[1]++;
            }
        List<PositionEmbeddingStats.DistanceBin> out = new ArrayList<>(bins.size());
        bins.forEach((sq, b) -> out.add(new PositionEmbeddingStats.DistanceBin(Math.sqrt(sq), b[0] / b[1], (int) b[1])));
        return out;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }
}
