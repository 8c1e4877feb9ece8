package io.vitlens.analysis.stats;

import io.vitlens.analysis.geometry.PatchGrid;
import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DistancePermutationTestTest {

    @Test
    void observedRhoEqualsCommonsMathSpearmanOverPairs() {
        PatchGrid grid = new PatchGrid(6, 4);
        int n = grid.patches();
        Random rnd = new Random(3);
        double[] values = new double[n * (n - 1) / 2], dist = new double[values.length];
        int p = 0;
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++) {
                dist[p] = grid.distance(i, j);
                values[p++] = -0.2 * grid.distance(i, j) + rnd.nextGaussian();
            }
        DistancePermutationTest.Result r = new DistancePermutationTest(grid).run(values, 99, 5);
        assertEquals(new SpearmansCorrelation().correlation(values, dist), r.rho(), 1e-12);
    }

    @Test
    void valueThatIsMinusTheDistanceHasRhoMinusOneAndTheSmallestPValue() {
        PatchGrid grid = new PatchGrid(8, 4);
        int n = grid.patches();
        double[] values = new double[n * (n - 1) / 2];
        int p = 0;
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++) values[p++] = -grid.distance(i, j);
        DistancePermutationTest.Result r = new DistancePermutationTest(grid).run(values, 999, 11);
        assertEquals(-1.0, r.rho(), 1e-12);
        assertEquals(1.0 / 1000, r.pValue(), 0); // no permutation of positions reaches |rho| = 1
    }

    /** The rank-reuse shortcut must count exactly what re-ranking every permuted distance vector counts. */
    @Test
    void pValueEqualsBruteForcePermutationWithTheSameShuffles() {
        PatchGrid grid = new PatchGrid(3, 1);
        int n = grid.patches();
        Random data = new Random(9);
        double[] values = new double[n * (n - 1) / 2];
        for (int p = 0; p < values.length; p++) values[p] = data.nextGaussian();
        int perms = 300;
        long seed = 42;
        DistancePermutationTest.Result fast = new DistancePermutationTest(grid).run(values, perms, seed);

        SpearmansCorrelation sc = new SpearmansCorrelation();
        double[] dist = new double[values.length];
        fill(dist, grid, identity(n));
        double observed = sc.correlation(values, dist);
        Random rnd = new Random(seed);
        int[] perm = identity(n);
        int count = 0;
        for (int k = 0; k < perms; k++) {
            for (int i = n - 1; i > 0; i--) {
                int j = rnd.nextInt(i + 1);
                int t = perm[i]; perm[i] = perm[j]; perm[j] = t;
            }
            fill(dist, grid, perm);
            if (Math.abs(sc.correlation(values, dist)) >= Math.abs(observed) - 1e-12) count++;
        }
        assertEquals(observed, fast.rho(), 1e-12);
        assertEquals((1.0 + count) / (perms + 1), fast.pValue(), 0);
    }

    @Test
    void randomValuesAreNotSignificant() {
        PatchGrid grid = new PatchGrid(8, 4);
        int n = grid.patches();
        Random rnd = new Random(123);
        double[] values = new double[n * (n - 1) / 2];
        for (int p = 0; p < values.length; p++) values[p] = rnd.nextGaussian();
        DistancePermutationTest.Result r = new DistancePermutationTest(grid).run(values, 999, 1);
        assertTrue(Math.abs(r.rho()) < 0.05, "rho " + r.rho());
        assertTrue(r.pValue() > 0.05, "p " + r.pValue());
    }

    @Test
    void a16x16GridWith999Permutations() {
        DistancePermutationTest.Result r = sixteenBySixteen();
        assertTrue(r.pValue() > 0 && r.pValue() <= 1);
    }

    /** Wall clock: excluded from the default suite (a loaded CI machine says nothing about the code); mvn -Ptiming. */
    @Test
    @Tag("timing")
    void a16x16GridWith999PermutationsIsFast() {
        long start = System.nanoTime();
        sixteenBySixteen();
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(seconds < 10, "took " + seconds + " s");
    }

    private static DistancePermutationTest.Result sixteenBySixteen() {
        PatchGrid grid = new PatchGrid(16, 2);
        int n = grid.patches();
        Random rnd = new Random(5);
        double[] values = new double[n * (n - 1) / 2];
        for (int p = 0; p < values.length; p++) values[p] = rnd.nextGaussian();
        return new DistancePermutationTest(grid).run(values, 999, 1);
    }

    private static int[] identity(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = i;
        return a;
    }

    private static void fill(double[] dist, PatchGrid grid, int[] pos) {
        int n = pos.length, p = 0;
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++) dist[p++] = grid.distance(pos[i], pos[j]);
    }
}
