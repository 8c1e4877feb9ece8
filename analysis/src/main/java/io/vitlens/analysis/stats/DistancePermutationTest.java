package io.vitlens.analysis.stats;

import io.vitlens.analysis.geometry.PatchGrid;

import java.util.Random;

/**
 * Spearman rho between a per-pair value (e.g. cos(p_i, p_j)) and the grid distance of the pair,
 * over all pairs i &lt; j of patches, with the permutation p-value of claims.md (C1):
 * p = (1 + #{permutations with |rho_perm| &gt;= |rho_obs|}) / (permutations + 1), each permutation
 * shuffling which grid position every patch sits at.
 *
 * <p>Why this is fast: a permutation only relabels positions, so the permuted distances are the
 * same multiset of values and their ranks are the original distance ranks read at permuted
 * indices. Ranks, their means and their norms are therefore computed once; each permutation costs
 * one dot product over the N(N-1)/2 pairs.
 */
public final class DistancePermutationTest {

    /** Result: observed rho and its permutation p-value. */
    public record Result(double rho, double pValue, int permutations, long seed) { }

    /** |rho_perm| within this of |rho_obs| counts as "at least as large": exact ties survive rounding. */
    private static final double TIE_TOLERANCE = 1e-12;

    private final PatchGrid grid;
    private final double[][] centredDistanceRank; // [N][N], rank of d_ab among all pairs a<b, minus the mean rank
    private final double distanceRankNorm;        // sqrt(sum over pairs of centredDistanceRank^2)

    public DistancePermutationTest(PatchGrid grid) {
        this.grid = grid;
        int n = grid.patches();
        if (n < 3) throw new IllegalArgumentException("permutation test needs at least 3 patches, grid has " + n);
        int pairs = n * (n - 1) / 2;
        double[] sq = new double[pairs];
        int p = 0;
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++) sq[p++] = grid.squaredDistance(i, j); // same order as sqrt(d^2)
        double[] ranks = Ranks.average(sq);
        double mean = (pairs + 1) / 2.0;
        centredDistanceRank = new double[n][n];
        double norm = 0;
        p = 0;
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++) {
                double r = ranks[p++] - mean;
                centredDistanceRank[i][j] = r;
                centredDistanceRank[j][i] = r;
                norm += r * r;
            }
        distanceRankNorm = Math.sqrt(norm);
    }

    /** Number of pairs i &lt; j: the length {@link #run} expects. */
    public int pairCount() { return grid.patches() * (grid.patches() - 1) / 2; }

    /**
     * @param pairValues  value of each pair i &lt; j, in the order i ascending then j ascending
     * @param permutations number of random permutations (claims.md: 999)
     * @param seed        seed of the {@link java.util.Random} that drives a Fisher-Yates shuffle
     */
    public Result run(double[] pairValues, int permutations, long seed) {
        int n = grid.patches();
        if (pairValues.length != pairCount())
            throw new IllegalArgumentException("pair values: got " + pairValues.length + ", expected N(N-1)/2 = "
                    + pairCount() + " for N = " + n);
        if (permutations < 1) throw new IllegalArgumentException("permutations: " + permutations + " is not >= 1");
        double[] valueRanks = Ranks.average(pairValues);
        double mean = (valueRanks.length + 1) / 2.0;
        double norm = 0;
        for (int p = 0; p < valueRanks.length; p++) {
            valueRanks[p] -= mean;
            norm += valueRanks[p] * valueRanks[p];
        }
        double denominator = Math.sqrt(norm) * distanceRankNorm;
        int[] identity = new int[n];
        for (int i = 0; i < n; i++) identity[i] = i;
        double observed = dot(valueRanks, identity) / denominator;
        if (Double.isNaN(observed)) return new Result(Double.NaN, Double.NaN, permutations, seed);

        Random random = new Random(seed);
        int[] perm = identity.clone();
        int atLeast = 0;
        double threshold = Math.abs(observed) - TIE_TOLERANCE;
        for (int k = 0; k < permutations; k++) {
            for (int i = n - 1; i > 0; i--) { // Fisher-Yates
                int j = random.nextInt(i + 1);
                int t = perm[i]; perm[i] = perm[j]; perm[j] = t;
            }
            if (Math.abs(dot(valueRanks, perm) / denominator) >= threshold) atLeast++;
        }
        return new Result(observed, (1.0 + atLeast) / (permutations + 1.0), permutations, seed);
    }

    private double dot(double[] centredValueRanks, int[] position) {
        int n = position.length;
        double s = 0;
        int p = 0;
        for (int i = 0; i < n; i++) {
            double[] row = centredDistanceRank[position[i]];
            for (int j = i + 1; j < n; j++) s += centredValueRanks[p++] * row[position[j]];
        }
        return s;
    }
}
