package io.vitlens.analysis.attention;

import io.vitlens.analysis.geometry.PatchGrid;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AttentionAccumulatorTest {

    private static final int G = 4, P = 8, N = G * G, T = N + 1;
    private static final PatchGrid GRID = new PatchGrid(G, P);

    @Test
    void rightNeighbourHead() {
        AttentionAccumulator acc = new AttentionAccumulator(GRID, 1);
        acc.add(flatten(new double[][][]{rightNeighbour(), rightNeighbour(), rightNeighbour()}), 3);
        AttentionAccumulator.HeadSummary s = acc.summary(0);
        assertEquals(P, s.meanDistancePx(), 1e-12);
        assertEquals(1.0, s.rowMass(), 1e-12);
        assertEquals(0.0, s.columnMass(), 1e-12);
        assertEquals(1.0, s.localMass(), 1e-12);
        assertEquals(0.0, s.clsMass(), 1e-12);
        assertEquals(0.0, s.entropy(), 1e-12);
        assertEquals(1.0, s.positionalShare(), 1e-12); // the same map on every image
        // per row: g-2 one-way edges c -> c+1, the last pair (g-2 <-> g-1) mutual: ||A-A^T||^2 = 2 g (g-2), ||A||^2 = N
        assertEquals(Math.sqrt(2.0 * G * (G - 2) / N), s.asymmetry(), 1e-7);
        int side = GRID.offsetSide();
        assertEquals(1.0, s.attentionAtOffset()[(G - 1) * side + G], 1e-12);            // (0, +1): every pair attends
        assertEquals(1.0 / (G - 1), s.attentionAtOffset()[(G - 1) * side + G - 2], 1e-7); // (0, -1): only the last column
        assertEquals(0.0, s.attentionAtOffset()[(G - 1) * side + G - 1], 0);              // (0, 0)
        assertTrue(acc.maxRowSumDeviation() < 1e-6);
    }

    @Test
    void uniformHead() {
        AttentionAccumulator acc = new AttentionAccumulator(GRID, 1);
        double[][] u = new double[T][T];
        for (double[] row : u) Arrays.fill(row, 1.0 / T);
        acc.add(flatten(new double[][][]{u, u}), 2);
        AttentionAccumulator.HeadSummary s = acc.summary(0);
        // brute force over grid coordinates: mean over queries of the mean distance to all N patch keys
        double sum = 0;
        for (int r1 = 0; r1 < G; r1++) for (int c1 = 0; c1 < G; c1++)
            for (int r2 = 0; r2 < G; r2++) for (int c2 = 0; c2 < G; c2++)
                sum += Math.hypot(r1 - r2, c1 - c2) * P;
        assertEquals(sum / (N * N), s.meanDistancePx(), 1e-5);
        assertEquals(Math.log(T), s.entropy(), 1e-5);
        assertEquals(1.0 / T, s.clsMass(), 1e-7);
        assertEquals((double) G / T, s.rowMass(), 1e-6);
        assertEquals((double) G / T, s.columnMass(), 1e-6);
        // 3x3 neighbourhood sizes on a 4x4 grid: 4 corners x 4, 8 edges x 6, 4 inner x 9 = 100 -> mean 100/16
        assertEquals(100.0 / N / T, s.localMass(), 1e-6);
        assertEquals(0.0, s.asymmetry(), 1e-12);
        assertTrue(Double.isNaN(s.positionalShare())); // no variance at all: 0 / 0
    }

    /** Image 1: every patch attends to patch 0; image 2: to patch 1. Share = (N/2 - 1) / (N - 1) by hand. */
    @Test
    void contentDependentHeadHasTheHandComputedPositionalShare() {
        AttentionAccumulator acc = new AttentionAccumulator(GRID, 1);
        acc.add(flatten(new double[][][]{allTo(0)}), 1);
        acc.add(flatten(new double[][][]{allTo(1)}), 1); // a second batch: the streaming must combine
        AttentionAccumulator.HeadSummary s = acc.summary(0);
        assertEquals((N / 2.0 - 1) / (N - 1), s.positionalShare(), 1e-12);
        assertEquals(2, acc.images());
    }

    /** Symmetric scores S_ij = -d_ij^2 (as from W_Q = W_K): rows normalise differently, so A is not symmetric. */
    @Test
    void symmetricScoresStillGiveAnAsymmetricMap() {
        double[][] a = new double[T][T];
        Arrays.fill(a[0], 1.0 / T);
        for (int i = 0; i < N; i++) {
            double z = Math.exp(0); // the CLS key, score 0
            for (int j = 0; j < N; j++) z += Math.exp(-GRID.squaredDistance(i, j));
            a[1 + i][0] = 1 / z;
            for (int j = 0; j < N; j++) a[1 + i][1 + j] = Math.exp(-GRID.squaredDistance(i, j)) / z;
        }
        double diff = 0, norm = 0; // the definition, written out
        for (int i = 0; i < N; i++)
            for (int j = 0; j < N; j++) {
                diff += Math.pow(a[1 + i][1 + j] - a[1 + j][1 + i], 2);
                norm += Math.pow(a[1 + i][1 + j], 2);
            }
        AttentionAccumulator acc = new AttentionAccumulator(GRID, 1);
        acc.add(flatten(new double[][][]{a}), 1);
        assertEquals(Math.sqrt(diff / norm), acc.summary(0).asymmetry(), 1e-6);
        assertTrue(acc.summary(0).asymmetry() > 0.05, "asymmetry " + acc.summary(0).asymmetry());
    }

    @Test
    void headsAreKeptApartAndRowSumErrorsAreMeasured() {
        AttentionAccumulator acc = new AttentionAccumulator(GRID, 2);
        double[][] bad = rightNeighbour();
        bad[5][3] += 0.25; // a row summing to 1.25
        acc.add(flatten(new double[][][]{rightNeighbour(), bad}), 1); // [B=1, H=2, T, T]
        assertEquals(0.25, acc.maxRowSumDeviation(), 1e-7);
        assertEquals(P, acc.summary(0).meanDistancePx(), 1e-12);
    }

    @Test
    void wrongLengthIsRejectedWithTheExpectedShape() {
        AttentionAccumulator acc = new AttentionAccumulator(GRID, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> acc.add(new float[10], 1));
        assertTrue(e.getMessage().contains("B*H*T*T"), e.getMessage());
    }

    @Test
    void tokenMeansSkipClsAndAverageImages() {
        TokenMeanAccumulator acc = new TokenMeanAccumulator(3, 2); // T = 3 (N = 2), D = 2
        acc.add(new float[]{9, 9, 1, 2, 3, 4, /* image 2 */ 9, 9, 3, 4, 5, 6}, 2);
        double[][] m = acc.mean();
        assertEquals(2.0, m[0][0], 0);
        assertEquals(3.0, m[0][1], 0);
        assertEquals(4.0, m[1][0], 0);
        assertEquals(5.0, m[1][1], 0);
    }

    static double[][] rightNeighbour() {
        double[][] a = new double[T][T];
        Arrays.fill(a[0], 1.0 / T);
        for (int i = 0; i < N; i++) {
            int r = i / G, c = i % G;
            a[1 + i][1 + (c < G - 1 ? r * G + c + 1 : r * G + c - 1)] = 1;
        }
        return a;
    }

    static double[][] allTo(int key) {
        double[][] a = new double[T][T];
        Arrays.fill(a[0], 1.0 / T);
        for (int i = 0; i < N; i++) a[1 + i][1 + key] = 1;
        return a;
    }

    /** Maps in [B*H][T][T] order to the flat [B, H, T, T] layout. */
    static float[] flatten(double[][][] maps) {
        float[] f = new float[maps.length * T * T];
        for (int m = 0; m < maps.length; m++)
            for (int q = 0; q < T; q++)
                for (int k = 0; k < T; k++) f[(m * T + q) * T + k] = (float) maps[m][q][k];
        return f;
    }
}
