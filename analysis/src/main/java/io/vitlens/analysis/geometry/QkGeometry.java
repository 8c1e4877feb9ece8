package io.vitlens.analysis.geometry;

import io.vitlens.analysis.stats.Correlation;

/**
 * Claim C5 for one head: cosines cos(q_i, k_j) between the queries and keys of the mean token
 * representations at every patch position, summarised by grid offset (key minus query) and by
 * their Spearman rho and slope against grid distance over all N^2 ordered pairs (i = j included).
 */
public final class QkGeometry {

    /** The per-head summary. */
    public record Result(double[] cosineAtOffset, double rho, double slope) { }

    private final PatchGrid grid;
    private final double[] pairDistance; // [N*N] grid distance of ordered pair (i, j) at i*N + j
    private final int[] offsetCount;     // ordered pairs per offset

    public QkGeometry(PatchGrid grid) {
        this.grid = grid;
        int n = grid.patches();
        pairDistance = new double[n * n];
        offsetCount = new int[grid.offsetSide() * grid.offsetSide()];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) {
                pairDistance[i * n + j] = grid.distance(i, j);
                offsetCount[grid.offsetIndex(i, j)]++;
            }
    }

    /**
     * @param q queries of one head, [N][d]
     * @param k keys of one head, [N][d]
     */
    public Result analyze(double[][] q, double[][] k) {
        int n = grid.patches();
        if (q.length != n || k.length != n)
            throw new IllegalArgumentException("queries/keys: " + q.length + "/" + k.length + " rows, expected N = " + n);
        double[] qNorm = norms(q);
        double[] kNorm = norms(k);
        double[] cos = new double[n * n];
        double[] offsetSum = new double[offsetCount.length];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) {
                double c = qNorm[i] > 0 && kNorm[j] > 0
                        ? PositionEmbeddingAnalysis.dot(q[i], k[j]) / (qNorm[i] * kNorm[j]) : 0.0;
                cos[i * n + j] = c;
                offsetSum[grid.offsetIndex(i, j)] += c;
            }
        double[] atOffset = new double[offsetSum.length];
        for (int o = 0; o < atOffset.length; o++) atOffset[o] = offsetSum[o] / offsetCount[o];
        return new Result(atOffset, Correlation.spearman(cos, pairDistance), Correlation.slope(pairDistance, cos));
    }

    private static double[] norms(double[][] v) {
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; i++) r[i] = Math.sqrt(PositionEmbeddingAnalysis.dot(v[i], v[i]));
        return r;
    }
}
